//! Per-company aggregation and stars (companies.jsonl, companies.csv).
//!
//! Companies are aggregated while documents stream past, so memory grows
//! with the number of companies and paths, never with the documents' text.
//! Which agreement wins does not depend on arrival order: the most recent
//! signature date that states an indicator, ties and missing dates broken
//! by the smaller path.

use super::{CsvDialect, CsvOut, DocRecord, Status, SCHEMA_VERSION};
use crate::spec::{self, Favourable};
use crate::text;
use serde_json::{json, Map, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::io::Write;
use std::path::Path;

/// Orders two (date, path) claims: the greater wins.
fn rank<'a>(date: Option<&'a str>, path: &'a str) -> (Option<&'a str>, std::cmp::Reverse<&'a str>) {
    (date, std::cmp::Reverse(path))
}

#[derive(Debug, Default)]
struct Company {
    siren: Option<String>,
    name: (Option<String>, String, String),
    paths: Vec<String>,
    themes: BTreeSet<String>,
    /// indicator rank -> (value, date, path, review mark)
    indicators: BTreeMap<usize, (Value, Option<String>, String, Option<Value>)>,
}

/// The normalised company name: case-folded, accents removed, every run of
/// non-alphanumerics one space, trimmed.
pub fn name_key(name: &str) -> String {
    let f = text::fold(name);
    let mut out = String::new();
    for part in f.split(|c: char| !c.is_alphanumeric()).filter(|p| !p.is_empty()) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(part);
    }
    out
}

#[derive(Debug, Default)]
pub struct Companies {
    by_key: BTreeMap<String, Company>,
}

impl Companies {
    pub fn add(&mut self, r: &DocRecord) {
        if r.status != Status::Ok {
            return;
        }
        let a = &r.analysis;
        // A branch text names no employer: it is no company's agreement.
        if a.metadata.get("scope").and_then(Value::as_str) == Some("branch") {
            return;
        }
        let siren = a.metadata.get("siren").and_then(Value::as_str).map(String::from);
        let name = a.metadata.get("company_name").and_then(Value::as_str).map(String::from);
        let key = match (&siren, &name) {
            (Some(s), _) => s.clone(),
            (None, Some(n)) if !name_key(n).is_empty() => name_key(n),
            _ => return,
        };
        let date = a.metadata.get("signature_date").and_then(Value::as_str).map(String::from);
        let c = self.by_key.entry(key).or_default();
        if c.siren.is_none() {
            c.siren = siren;
        }
        if let Some(n) = name {
            if c.name.2.is_empty() || rank(date.as_deref(), &r.path) > rank(c.name.0.as_deref(), &c.name.1) {
                c.name = (date.clone(), r.path.clone(), n);
            }
        }
        c.paths.push(r.path.clone());
        c.themes.extend(a.themes.iter().cloned());
        for (id, v) in &a.indicators {
            let k = spec::indicator_rank(id);
            let better = match c.indicators.get(&k) {
                None => true,
                Some((_, d, p, _)) => rank(date.as_deref(), &r.path) > rank(d.as_deref(), p),
            };
            if better {
                c.indicators.insert(k, (v.clone(), date.clone(), r.path.clone(), a.review.get(id).cloned()));
            }
        }
    }

    pub fn len(&self) -> usize {
        self.by_key.len()
    }

    pub fn is_empty(&self) -> bool {
        self.by_key.is_empty()
    }

    /// Writes companies.jsonl and companies.csv (atomically).
    pub fn write(&self, dir: &Path, dialect: CsvDialect) -> std::io::Result<()> {
        let mut jsonl = super::AtomicFile::create(dir, "companies.jsonl")?;
        let mut header: Vec<String> =
            ["schema_version", "company_key", "company_name", "siren", "agreements", "paths", "themes"].map(String::from).to_vec();
        header.extend(spec::INDICATORS.iter().map(|i| i.id.to_string()));
        header.extend(spec::THEMES.iter().map(|t| format!("stars_{}", t.id)));
        let mut csv = CsvOut::create(dir, "companies.csv", dialect, &header)?;
        for (key, c) in &self.by_key {
            let mut paths = c.paths.clone();
            paths.sort();
            let mut indicators = Map::new();
            let mut sources = Map::new();
            let mut review = Map::new();
            for (k, (v, _, p, mark)) in &c.indicators {
                let id = spec::INDICATORS[*k].id;
                indicators.insert(id.into(), v.clone());
                sources.insert(id.into(), json!(p));
                if let Some(m) = mark {
                    review.insert(id.into(), m.clone());
                }
            }
            let stars = stars(&c.themes, &indicators);
            let v = json!({
                "schema_version": SCHEMA_VERSION, "company_key": key, "company_name": c.name.2, "siren": c.siren,
                "agreements": paths.len(), "paths": paths, "themes": c.themes, "indicators": indicators,
                "sources": sources, "stars": stars,
            });
            let mut v = v;
            if !review.is_empty() {
                if let Some(o) = v.as_object_mut() {
                    o.insert("review".into(), Value::Object(review));
                }
            }
            serde_json::to_writer(jsonl.writer(), &v)?;
            jsonl.writer().write_all(b"\n")?;
            let mut cells = vec![
                SCHEMA_VERSION.to_string(),
                key.clone(),
                c.name.2.clone(),
                c.siren.clone().unwrap_or_default(),
                paths.len().to_string(),
                paths.join("|"),
                c.themes.iter().cloned().collect::<Vec<_>>().join("|"),
            ];
            for i in spec::INDICATORS {
                cells.push(csv.cell(indicators.get(i.id)));
            }
            for t in spec::THEMES {
                cells.push(stars.get(t.id).map(|v| v.to_string()).unwrap_or_default());
            }
            csv.row(cells.iter().map(String::as_str))?;
        }
        jsonl.commit()?;
        csv.commit()
    }
}

fn minutes(hhmm: &str) -> Option<i32> {
    let (h, m) = hhmm.split_once(':')?;
    Some(h.parse::<i32>().ok()? * 60 + m.parse::<i32>().ok()?)
}

/// Whether one indicator's value is favourable (see docs/stars.md).
fn favourable(ind: &spec::Indicator, indicators: &Map<String, Value>) -> bool {
    let Some(v) = indicators.get(ind.id) else { return false };
    match ind.favourable {
        Favourable::True => v == &Value::Bool(true),
        Favourable::AtLeast(x) => v.as_f64().is_some_and(|n| n >= x),
        Favourable::AtMost(x) => v.as_f64().is_some_and(|n| n <= x),
        Favourable::PeriodHours(h) => {
            let s = indicators.get("disconnect_start").and_then(Value::as_str).and_then(minutes);
            let e = indicators.get("disconnect_end").and_then(Value::as_str).and_then(minutes);
            match (s, e) {
                (Some(s), Some(e)) => ((e - s).rem_euclid(24 * 60)) as f64 >= h * 60.0,
                _ => false,
            }
        }
    }
}

/// Stars per theme, 0 to 5: 0 when no agreement deals with the theme, 1 when
/// one does, plus round(4 x favourable / n) over the theme's n indicators.
pub fn stars(themes: &BTreeSet<String>, indicators: &Map<String, Value>) -> Map<String, Value> {
    let mut out = Map::new();
    for t in spec::THEMES {
        let of_theme: Vec<_> = spec::INDICATORS.iter().filter(|i| i.theme == t.id).collect();
        let s = if !themes.contains(t.id) {
            0
        } else if of_theme.is_empty() {
            1
        } else {
            let fav = of_theme.iter().filter(|i| favourable(i, indicators)).count();
            1 + (4.0 * fav as f64 / of_theme.len() as f64).round() as u64
        };
        out.insert(t.id.to_string(), json!(s));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::indicators::Analysis;

    fn rec(path: &str, siren: &str, date: Option<&str>, ind: Value) -> DocRecord {
        let mut a = Analysis::default();
        a.metadata.insert("company_name".into(), json!(format!("Société {path}")));
        a.metadata.insert("siren".into(), json!(siren));
        if let Some(d) = date {
            a.metadata.insert("signature_date".into(), json!(d));
        }
        a.indicators = ind.as_object().unwrap().clone();
        a.themes = vec!["teletravail".into()];
        DocRecord { path: path.into(), sha256: None, status: Status::Ok, pages: Some(1), error: None, analysis: a, clause_lines: None }
    }

    #[test]
    fn most_recent_agreement_wins_whatever_the_order() {
        let docs = [
            rec("a.pdf", "424220267", Some("2023-01-01"), json!({"telework_days_per_week": 1})),
            rec("b.pdf", "424220267", Some("2024-01-01"), json!({"telework_days_per_week": 3})),
            rec("c.pdf", "424220267", None, json!({"telework_days_per_week": 5, "telework_allowed": true})),
        ];
        for order in [[0, 1, 2], [2, 1, 0], [1, 2, 0]] {
            let mut c = Companies::default();
            for i in order {
                c.add(&docs[i]);
            }
            let co = &c.by_key["424220267"];
            assert_eq!(co.indicators[&spec::indicator_rank("telework_days_per_week")].0, json!(3));
            assert_eq!(co.indicators[&spec::indicator_rank("telework_allowed")].2, "c.pdf");
            assert_eq!(co.name.2, "Société b.pdf");
        }
    }

    #[test]
    fn stars_follow_the_scale() {
        let themes: BTreeSet<String> = ["teletravail", "deconnexion", "formation"].map(String::from).into();
        let ind = json!({"telework_allowed": true, "telework_days_per_week": 3, "disconnect_right": true,
                         "disconnect_start": "20:00", "disconnect_end": "07:30"});
        let s = stars(&themes, ind.as_object().unwrap());
        assert_eq!(s["teletravail"], json!(1 + 2)); // 2 of 5 favourable: round(1.6) = 2
        assert_eq!(s["deconnexion"], json!(5)); // 11 h 30 of disconnection
        assert_eq!(s["formation"], json!(1));
        assert_eq!(s["handicap"], json!(0));
    }

    #[test]
    fn name_keys_fold() {
        assert_eq!(name_key("  Aérostructures du Midi, S.A.S. "), "aerostructures du midi s a s");
    }
}
