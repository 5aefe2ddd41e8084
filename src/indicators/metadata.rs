//! Agreement metadata from the text: company name, SIREN and SIRET
//! (Luhn-checked), signature date, kind, unions, IDCC and duration.
//!
//! Metadata is read where French agreements put it: the parties clause at
//! the top ("Entre : la société X, … SIRET …, représentée par …, et les
//! organisations syndicales …"), the title (kind), the duration clause and
//! the signature block ("Fait à Lyon, le 12 mars 2024"). Patterns run on
//! folded text and spans are mapped back to the original, so evidence
//! quotes the text exactly.

use super::values;
use crate::text::{slice, Folded};
use regex::Regex;
use serde_json::{json, Value};
use std::sync::LazyLock;

/// One metadata value and the byte span of the original text it rests on.
#[derive(Debug, Clone, PartialEq)]
pub struct MetaHit {
    pub field: &'static str,
    pub value: Value,
    pub start: usize,
    pub end: usize,
}

fn re(p: &str) -> Regex {
    Regex::new(p).expect("static regex")
}

static COMPANY: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:^|[ :\n])(?:la societe denommee|la societe|l'entreprise|la sas|la sasu|la sarl|la sa|la scop|la sca|la selarl|l'association|le groupe|l'etablissement|la caisse|la mutuelle|la fondation|l'unite economique et sociale|l'ues|la clinique|le cabinet|raison sociale ?:|denomination sociale ?:)(?: anonyme| par actions simplifiee)? (?P<name>[^,;()\n]{2,120}?) ?(?:,|\(| sas au capital| sa au capital| sarl au capital| au capital| dont le siege| immatricul| representee)")
});
static ENTRE: LazyLock<Regex> =
    LazyLock::new(|| re(r"entre (?:les soussignes|les parties soussignees|d'une part)? ?:? (?P<name>[^,;()]{2,120}?) ?(?:,|\()"));
static IDENT: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?P<num>(?-u:\b)[0-9]{3} ?[.]? ?[0-9]{3} ?[.]? ?[0-9]{3}(?: ?[.]? ?[0-9]{5})?(?-u:\b))")
});
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(r"(?:fait|signe|etabli) (?:a|en) [^.;]{{1,80}}? le (?P<d>{})|(?:fait|signe) le (?P<d2>{})", values::DATE, values::DATE))
});
static LATE_DATE: LazyLock<Regex> = LazyLock::new(|| re(&format!(r"(?-u:\b)le (?P<d>{})", values::DATE)));
static IDCC: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?-u:\b)idcc(?: ?:| no| n o| n°| numero)? ?:? ?(?P<n>[0-9]{1,4})(?-u:\b)"));
static DURATION: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(r"(?:pour|sur) une (?:periode|duree) (?:determinee )?(?:de |d')(?P<d>{})", values::DURATION))
});
static REFERENDUM: LazyLock<Regex> =
    LazyLock::new(|| re(r"referendum|ratifie a la majorite des deux tiers|approuve par les salaries a la majorite"));
static UNION: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(CFDT|CGT[- ]FO|CGT|FO|CFE[- ]CGC|CGC|CFTC|UNSA|SUD|Solidaires|SOLIDAIRES|Force [Oo]uvri[èe]re|FORCE OUVRI[ÈE]RE|C\.F\.D\.T\.?|C\.G\.T\.?(?:[- ]F\.O\.?)?|F\.O\.?|C\.F\.E\.?[- ]C\.G\.C\.?|C\.F\.T\.C\.?|U\.N\.S\.A\.?)(?:(?-u:\b)|$|[^\w])").expect("static regex")
});

/// Luhn check over a string of digits.
pub fn luhn_ok(digits: &str) -> bool {
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return false;
    }
    let sum: u32 = digits
        .bytes()
        .rev()
        .enumerate()
        .map(|(i, b)| {
            let d = u32::from(b - b'0');
            if i % 2 == 1 {
                let x = d * 2;
                if x > 9 { x - 9 } else { x }
            } else {
                d
            }
        })
        .sum();
    sum % 10 == 0
}

fn valid_siret(s: &str) -> bool {
    s.len() == 14 && (luhn_ok(s) || s.starts_with("356000000"))
}

/// The end of the parties clause: where the agreement proper begins.
/// Captures of `re` in `hay`, found with the fast search and resolved on
/// each match alone: capture groups over a whole document would run the
/// slow engines over all of it.
fn captures_in<'h>(re: &'h Regex, hay: &'h str) -> impl Iterator<Item = (usize, regex::Captures<'h>)> + 'h {
    re.find_iter(hay).filter_map(move |m| re.captures(slice::range(hay, m.start(), m.end())).map(|c| (m.start(), c)))
}

static PARTIES_END: LazyLock<Regex> = LazyLock::new(|| re(r"il a ete convenu|il est convenu|article 1|article premier|titre i |chapitre 1|chapitre i "));

fn parties_end(f: &str) -> usize {
    let limit = slice::floor(f, 6000);
    let end = PARTIES_END.find(slice::prefix(f, limit)).map_or(limit, |m| m.start());
    // Some texts open on a préambule that names the parties; others put
    // the parties first and the préambule after them.
    match slice::prefix(f, end).find("preambule") {
        Some(p) if COMPANY.is_match(slice::prefix(f, p)) || ENTRE.is_match(slice::prefix(f, p)) => p,
        _ => end,
    }
}

pub fn extract_metadata(text: &str) -> Vec<MetaHit> {
    extract_metadata_folded(text, &Folded::new(text))
}

/// [`extract_metadata`] on text the caller has already folded.
pub fn extract_metadata_folded(text: &str, folded: &Folded) -> Vec<MetaHit> {
    let f = folded.text.as_str();
    let span = |s: usize, e: usize| folded.orig_range(text, s, e);
    let mut out = Vec::new();
    let top = parties_end(f);

    // Company name: the parties clause, else the first party after "Entre".
    let name_match = COMPANY.captures(slice::prefix(f, top)).and_then(|c| c.name("name")).or_else(|| ENTRE.captures(slice::prefix(f, top)).and_then(|c| c.name("name")));
    if let Some(m) = name_match {
        let (s, e) = span(m.start(), m.end());
        let name = slice::range(text, s, e).split_whitespace().collect::<Vec<_>>().join(" ").replace('\u{2019}', "'");
        let name = name.trim_matches(|c: char| c == ':' || c == '-' || c.is_whitespace()).to_string();
        if name.chars().any(char::is_alphabetic) {
            out.push(MetaHit { field: "company_name", value: json!(name), start: s, end: e });
        }
    }

    // SIREN / SIRET: Luhn-valid numbers after an identification cue.
    let mut siren: Option<(String, usize, usize)> = None;
    let mut siret: Option<(String, usize, usize)> = None;
    // Identifiers stand in the parties clause or just after it; looking
    // further would only meet other numbers.
    for m in IDENT.find_iter(slice::prefix(f, top + 4000)) {
        let digits: String = m.as_str().chars().filter(char::is_ascii_digit).collect();
        let before = slice::range(f, m.start().saturating_sub(90), m.start());
        let cue = ["siren", "siret", "rcs", "r.c.s", "registre", "immatricul", "sous le n", "numero"].iter().any(|k| before.contains(k));
        if !cue {
            continue;
        }
        let (s, e) = span(m.start(), m.end());
        if digits.len() == 14 && valid_siret(&digits) && siret.is_none() {
            siret = Some((digits.clone(), s, e));
            if siren.is_none() {
                siren = Some((slice::prefix(&digits, 9).to_string(), s, e));
            }
        } else if digits.len() == 9 && luhn_ok(&digits) && siren.is_none() {
            siren = Some((digits, s, e));
        }
        if siren.is_some() && siret.is_some() {
            break;
        }
    }
    if let Some((v, s, e)) = siren {
        out.push(MetaHit { field: "siren", value: json!(v), start: s, end: e });
    }
    if let Some((v, s, e)) = siret {
        out.push(MetaHit { field: "siret", value: json!(v), start: s, end: e });
    }

    // Signature date: the last "Fait à …, le …"; else the last date
    // introduced by "le" in the closing lines.
    // The last signature line serves the date and the unions.
    let last_signature = SIGNATURE.find_iter(f).last();
    let signed = last_signature
        .and_then(|m| SIGNATURE.captures(slice::range(f, m.start(), m.end())).map(|c| (m.start(), c)))
        .and_then(|(at, c)| c.name("d").or_else(|| c.name("d2")).map(|m| (at + m.start(), at + m.end(), m.as_str())));
    if let Some((ms, me, text)) = signed {
        if let Some(d) = values::parse_date(text) {
            let (s, e) = span(ms, me);
            out.push(MetaHit { field: "signature_date", value: json!(d), start: s, end: e });
        }
    } else {
        let from = slice::floor(f, f.len().saturating_sub(1500));
        if let Some(m) = LATE_DATE.captures_iter(slice::suffix(f, from)).last().and_then(|c| c.name("d")) {
            if let Some(d) = values::parse_date(m.as_str()) {
                let (s, e) = span(from + m.start(), from + m.end());
                out.push(MetaHit { field: "signature_date", value: json!(d), start: s, end: e });
            }
        }
    }

    // Kind, from the title.
    let title_end = f.len().min(top.min(500).max(f.len().min(120)));
    let title = slice::prefix(f, title_end);
    let kinds = [
        ("protocole d'accord", "accord"),
        ("proces-verbal de desaccord", "pv_desaccord"),
        ("proces verbal de desaccord", "pv_desaccord"),
        ("pv de desaccord", "pv_desaccord"),
        ("decision unilaterale", "decision_unilaterale"),
        ("plan d'action", "plan_action"),
        ("avenant", "avenant"),
        ("accord", "accord"),
        ("protocole", "other"),
        ("charte", "other"),
    ];
    if let Some((k, kind)) = kinds.iter().filter_map(|(k, v)| title.find(k).map(|p| (p, (*k, *v)))).min_by_key(|(p, _)| *p).map(|(_, kv)| kv) {
        if let Some(p) = title.find(k) {
            let (s, e) = span(p, p + k.len());
            out.push(MetaHit { field: "kind", value: json!(kind), start: s, end: e });
        }
    }
    let kind = out.iter().find(|m| m.field == "kind").and_then(|m| m.value.as_str()).unwrap_or("");

    // Unions: named in the parties clause or the signature block; none for a
    // unilateral decision or an agreement approved by referendum.
    let referendum = REFERENDUM.is_match(f);
    if kind != "decision_unilaterale" && !referendum {
        let (ps, _) = span(0, top);
        let (pe, _) = span(top.min(f.len().saturating_sub(1)), top.min(f.len()));
        let mut zones = vec![(ps, pe.max(ps))];
        if let Some(last) = last_signature {
            let (s, _) = span(last.start(), last.end());
            zones.push((s, text.len()));
        }
        let mut found: Vec<(&'static str, usize, usize)> = Vec::new();
        for (zs, ze) in zones {
            let zone = slice::range(text, zs, ze);
            for m in UNION.find_iter(zone) {
                let u = m.as_str().trim_end_matches(|c: char| !c.is_alphanumeric()).to_uppercase().replace('.', "").replace(' ', "-");
                let id = match u.as_str() {
                    "CFDT" => "CFDT",
                    "CGT-FO" | "FO" | "FORCE-OUVRIÈRE" | "FORCE-OUVRIERE" => "FO",
                    "CGT" => "CGT",
                    "CFE-CGC" | "CGC" => "CFE-CGC",
                    "CFTC" => "CFTC",
                    "UNSA" => "UNSA",
                    "SUD" | "SOLIDAIRES" => "SOLIDAIRES",
                    _ => continue,
                };
                if !found.iter().any(|(x, _, _)| *x == id) {
                    found.push((id, zs + m.start(), zs + m.end()));
                }
            }
        }
        if !found.is_empty() {
            let s = found.iter().map(|x| x.1).min().unwrap_or(0);
            let e = found.iter().map(|x| x.2).max().unwrap_or(s);
            // The evidence is the first union named, not the whole block.
            let first = found.iter().min_by_key(|x| x.1).map_or((s, e), |x| (x.1, x.2));
            let mut ids: Vec<&str> = found.iter().map(|x| x.0).collect();
            ids.sort_unstable();
            out.push(MetaHit { field: "unions", value: json!(ids), start: first.0, end: first.1 });
        }
    }

    if let Some((at, c)) = captures_in(&IDCC, f).next() {
        if let Some(m) = c.name("n") {
            if let Ok(n) = m.as_str().parse::<u32>() {
                let (s, e) = span(at + m.start(), at + m.end());
                out.push(MetaHit { field: "idcc", value: json!(format!("{n:04}")), start: s, end: e });
            }
        }
    }

    // Duration: a fixed-term clause about the agreement itself.
    for (at, c) in captures_in(&DURATION, f) {
        let Some(m0) = c.get(0) else { continue };
        let (m_start, m_end) = (at + m0.start(), at + m0.end());
        let sent_start = slice::prefix(f, m_start).rfind(['.', ';']).map_or(0, |p| p + 1);
        let sent_end = slice::suffix(f, m_end).find(['.', ';']).map_or(f.len(), |p| m_end + p);
        let sentence = slice::range(f, sent_start, sent_end);
        let about_agreement = ["present accord", "present avenant", "present plan", "present protocole", "est conclu", "est etabli", "est applicable", "present texte"]
            .iter()
            .any(|k| sentence.contains(k));
        if !about_agreement || sentence.contains("indeterminee") {
            continue;
        }
        if let Some(d) = c.name("d").and_then(|d| values::parse_duration_months(d.as_str())) {
            let (s, e) = span(m_start, m_end);
            out.push(MetaHit { field: "duration_months", value: super::super::rules::engine::normalise_number(json!(d)), start: s, end: e });
            break;
        }
    }
    out.sort_by_key(|m| m.field);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn get(text: &str, field: &str) -> Option<Value> {
        extract_metadata(text).into_iter().find(|m| m.field == field).map(|m| m.value)
    }

    const PARTIES: &str = "ACCORD RELATIF AU TÉLÉTRAVAIL\nEntre les soussignés :\nLa société NOVALYS CONSEIL SAS, société par actions simplifiée au capital de 480 000 euros, immatriculée au RCS de Lyon sous le numéro SIRET 424 220 267 06818, représentée par Madame Claire Vasseur,\nd'une part,\net les organisations syndicales : la CFDT, représentée par M. X ; la CFE-CGC,\nd'autre part.\nPréambule\nLa convention collective (IDCC 1486) s'applique.\nArticle 10 – Durée\nLe présent accord est conclu pour une durée déterminée de trois ans. Il entre en vigueur le 1er avril 2024.\nFait à Lyon, le 12 mars 2024, en 4 exemplaires.\n";

    #[test]
    fn reads_the_parties_clause() {
        assert_eq!(get(PARTIES, "company_name"), Some(json!("NOVALYS CONSEIL SAS")));
        assert_eq!(get(PARTIES, "siret"), Some(json!("42422026706818")));
        assert_eq!(get(PARTIES, "siren"), Some(json!("424220267")));
        assert_eq!(get(PARTIES, "unions"), Some(json!(["CFDT", "CFE-CGC"])));
        assert_eq!(get(PARTIES, "idcc"), Some(json!("1486")));
        assert_eq!(get(PARTIES, "kind"), Some(json!("accord")));
        assert_eq!(get(PARTIES, "signature_date"), Some(json!("2024-03-12")));
        assert_eq!(get(PARTIES, "duration_months"), Some(json!(36)));
    }

    #[test]
    fn spans_quote_the_original() {
        for m in extract_metadata(PARTIES) {
            assert!(PARTIES.is_char_boundary(m.start) && PARTIES.is_char_boundary(m.end) && m.start <= m.end, "{m:?}");
        }
    }

    #[test]
    fn dotted_unions_protocols_and_late_dates() {
        let t = "PROTOCOLE D'ACCORD RELATIF AUX SALAIRES\nEntre la société GAMMA SARL, d'une part, et la C.F.D.T. et F.O., d'autre part.\nArticle 1\nTexte.\nLyon, le 3 juin 2024\nPour la C.F.D.T.";
        assert_eq!(get(t, "kind"), Some(json!("accord")));
        assert_eq!(get(t, "unions"), Some(json!(["CFDT", "FO"])));
        assert_eq!(get(t, "signature_date"), Some(json!("2024-06-03")));
        assert_eq!(get(t, "company_name"), Some(json!("GAMMA SARL")));
    }

    #[test]
    fn guards() {
        assert!(luhn_ok("424220267") && !luhn_ok("424220268") && !luhn_ok(""));
        let t = "AVENANT N° 2 À L'ACCORD DU 14 MARS 2018\nEntre : la société X SAS, RCS 424 220 268, représentée\nLe présent avenant est conclu pour une durée indéterminée.\nFait à Nantes le 4 octobre 2023";
        assert_eq!(get(t, "kind"), Some(json!("avenant")));
        assert_eq!(get(t, "siren"), None);
        assert_eq!(get(t, "duration_months"), None);
        assert_eq!(get(t, "signature_date"), Some(json!("2023-10-04")));
        let d = "DÉCISION UNILATÉRALE DE L'EMPLOYEUR\nLa société Y SAS, après consultation de la CGT, décide.";
        assert_eq!(get(d, "kind"), Some(json!("decision_unilaterale")));
        assert_eq!(get(d, "unions"), None);
        assert!(extract_metadata("").is_empty());
    }
}
