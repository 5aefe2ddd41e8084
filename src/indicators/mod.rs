//! Hits -> typed indicators and metadata, with evidence.
//!
//! This layer turns what the rules found in a document into the values of
//! the contract: one value per indicator (the largest regular number, a
//! boolean that is `false` only when nothing says `true`), every hit kept as
//! evidence that points at the page, clause and characters it came from.

pub mod metadata;

use crate::pdf::PageText;
use crate::rules::engine::{normalise_number, Hit};
use crate::rules::RuleSet;
use crate::segment::{self, Clause};
use crate::spec::{self, Kind};
use crate::text::{self, slice, Folded};
use regex::Regex;
use serde::Serialize;
use serde_json::{Map, Value};
use std::collections::BTreeMap;
use std::sync::LazyLock;

/// Where a value comes from in the text.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Evidence {
    pub value: Value,
    pub page: usize,
    pub clause: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub excerpt: String,
    pub rule: String,
}

/// A clause that carries a theme or a hit.
#[derive(Debug, Clone, PartialEq)]
pub struct ClauseRow {
    pub clause: String,
    pub pages: Vec<usize>,
    pub start: usize,
    pub end: usize,
    pub themes: Vec<String>,
    pub rules: Vec<String>,
    pub text: String,
}

/// A rule that nearly fired, for reviewers.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct NearMissRow {
    pub indicator: String,
    pub rule: String,
    pub reason: String,
    pub page: usize,
    pub clause: String,
    pub text: String,
    pub excerpt: String,
}

/// Everything the text of one agreement says, per the contract.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Analysis {
    /// Metadata in contract order.
    pub metadata: Map<String, Value>,
    pub metadata_source: Map<String, Value>,
    pub themes: Vec<String>,
    /// Indicators in contract order.
    pub indicators: Map<String, Value>,
    /// Evidence per indicator and metadata field.
    pub evidence: Map<String, Value>,
    pub clauses: Vec<ClauseRow>,
    pub near_misses: Vec<NearMissRow>,
    /// Reviewers' decisions applied to this document, by indicator (see
    /// `reviews`); empty for automatic values.
    pub review: Map<String, Value>,
    /// ACCO fields of an agreement read from a delivery: `acco_id`,
    /// `partial_text`, `acco_themes`; empty otherwise.
    pub acco: Map<String, Value>,
    /// What could not be read of a document that still gave text ("the file
    /// seems truncated after page 3: pages 4-5 gave no text"); written at
    /// the end of its agreements.jsonl row and in errors.csv.
    pub warnings: Vec<String>,
}

/// The document text as `starfinder extract` prints it: each page's body
/// followed by a form feed. Offsets into it are what clauses.jsonl reports.
pub struct DocText {
    pub text: String,
    /// Byte offset where each page starts.
    pub page_starts: Vec<usize>,
}

impl DocText {
    pub fn new(pages: &[PageText]) -> DocText {
        let mut text = String::new();
        let mut page_starts = Vec::with_capacity(pages.len());
        for p in pages {
            page_starts.push(text.len());
            text.push_str(&p.body);
            text.push('\u{c}');
        }
        DocText { text, page_starts }
    }

    /// 0-based page of a byte offset.
    pub fn page_of(&self, byte: usize) -> usize {
        self.page_starts.partition_point(|&s| s <= byte).saturating_sub(1)
    }

    /// The end of a byte range cut at the end of the page where it starts:
    /// evidence counts characters into one page's body, so a match that runs
    /// over a page break quotes its words on the first page.
    pub fn clip(&self, s: usize, e: usize) -> usize {
        let next = self.page_starts.get(self.page_of(s) + 1).map_or(self.text.len(), |n| n.saturating_sub(1));
        e.min(next.max(s))
    }

    /// (1-based page, char start, char end) of a byte range, counted into
    /// that page's body text.
    pub fn locate(&self, s: usize, e: usize) -> (usize, usize, usize) {
        let p = self.page_of(s);
        let base = self.page_starts.get(p).copied().unwrap_or(0);
        let cs = text::char_offset(slice::suffix(&self.text, base), s.saturating_sub(base));
        let ce = cs + slice::range(&self.text, s, e).chars().count();
        (p + 1, cs, ce)
    }
}

static PERSON: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(M\.|Mme|Mlle|Monsieur|Madame|Mr\.?|Me)\s+(\p{Lu}[\p{L}'\-]*\.?\s*){1,4}").expect("static regex")
});
/// Names without a civility, after the words that introduce a signatory.
static SIGNATORY: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(?-u:\b)(repr[ée]sent[ée]e?s? par|en la personne de|pour (?:la|le|l')\s?[\p{L}\-. ]{1,40}?\s?:)\s+(\p{Lu}[\p{L}'\-]*\.?\s*){1,4}").expect("static regex")
});

/// Replaces people's names after a civility or a "représentée par" with
/// "[…]": the company, not its staff, is the subject of every output.
pub fn redact(s: &str) -> String {
    // Cheap tests first: most clauses name nobody.
    let lower_has = |w: &str| s.contains(w) || s.contains(&w.to_uppercase());
    let s = if lower_has("représent") || lower_has("present") || lower_has("personne de") || s.contains(':') {
        SIGNATORY.replace_all(s, "$1 […] ")
    } else {
        std::borrow::Cow::Borrowed(s)
    };
    let s = PERSON.replace_all(&s, "$1 […] ");
    s.trim_end().to_string()
}

/// White space folded to single spaces, at most `max` characters around
/// `focus` (a byte range in `s`).
fn excerpt(s: &str, focus: (usize, usize), max: usize) -> String {
    let collapsed = |x: &str| x.split_whitespace().collect::<Vec<_>>().join(" ");
    let n = s.chars().count();
    if n <= max {
        return redact(&collapsed(s));
    }
    let fs = text::char_offset(s, focus.0);
    let fe = text::char_offset(s, focus.1);
    let room = max.saturating_sub(fe - fs) / 2;
    let a = fs.saturating_sub(room);
    let b = (fe + room).min(n);
    let part: String = s.chars().skip(a).take(b - a).collect();
    let mut out = collapsed(&part);
    if a > 0 {
        out = format!("… {out}");
    }
    if b < n {
        out.push_str(" …");
    }
    redact(&out)
}

fn clause_ref(c: &Clause, page: usize) -> String {
    if c.reference.is_empty() { format!("Page {page}") } else { c.reference.clone() }
}

/// What to compute beyond the contract's values.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Ignore rule scopes (examples are single sentences without themes).
    pub all_scopes: bool,
    /// Keep the near misses, for `explain` (they cost time on every cue).
    pub near_misses: bool,
}

/// Analyses a document's pages with a rule set.
pub fn analyse(pages: &[PageText], rules: &RuleSet, opts: Options) -> Analysis {
    let doc = DocText::new(pages);
    analyse_text(&doc, rules, opts)
}

/// Analyses text already joined into a [`DocText`].
pub fn analyse_text(doc: &DocText, rules: &RuleSet, opts: Options) -> Analysis {
    let all_scopes = opts.all_scopes;
    let orig = doc.text.as_str();
    let folded = Folded::new(orig);
    let clauses = segment::clauses(orig);
    let tagged = rules.tag(&folded, orig, &clauses, all_scopes);
    let mut a = Analysis::default();

    // Indicators.
    let mut by_ind: BTreeMap<usize, Vec<&Hit>> = BTreeMap::new();
    for h in &tagged.hits {
        by_ind.entry(spec::indicator_rank(h.indicator)).or_default().push(h);
    }
    let evidence_of = |h_start: usize, h_end: usize, sent: (usize, usize), clause: usize, value: Value, rule: &str| {
        let (os, oe) = folded.orig_range(orig, h_start, h_end);
        let oe = doc.clip(os, oe);
        let (ss, se) = folded.orig_range(orig, sent.0, sent.1);
        let (page, cs, ce) = doc.locate(os, oe);
        let sentence = slice::range(orig, ss, se);
        let rel = (os.saturating_sub(ss).min(sentence.len()), oe.saturating_sub(ss).min(sentence.len()));
        Evidence {
            value,
            page,
            clause: clauses.get(clause).map_or_else(|| format!("Page {page}"), |c| clause_ref(c, page)),
            start: cs,
            end: ce,
            text: slice::range(orig, os, oe).split_whitespace().collect::<Vec<_>>().join(" "),
            excerpt: excerpt(sentence, rel, 320),
            rule: rule.to_string(),
        }
    };
    let mut present_themes: Vec<&str> = Vec::new();
    for (rank, hits) in &by_ind {
        let ind = &spec::INDICATORS[*rank];
        let value = match ind.kind {
            Kind::Bool => Value::Bool(hits.iter().any(|h| h.value == Value::Bool(true))),
            Kind::Number => {
                let best = hits.iter().filter_map(|h| h.value.as_f64()).fold(f64::NEG_INFINITY, f64::max);
                normalise_number(serde_json::Number::from_f64(best).map_or(Value::Null, Value::Number))
            }
            Kind::Time => hits[0].value.clone(),
        };
        if value.is_null() {
            continue;
        }
        let mut ev = Vec::new();
        let mut seen = Vec::new();
        for h in hits {
            let key = (h.start, h.end, h.value.to_string());
            if seen.contains(&key) {
                continue;
            }
            seen.push(key);
            let e = evidence_of(h.start, h.end, h.sentence, h.clause, h.value.clone(), &rules.rule(h.rule).id);
            ev.push(serde_json::to_value(e).unwrap_or(Value::Null));
        }
        present_themes.push(ind.theme);
        a.indicators.insert(ind.id.to_string(), value);
        a.evidence.insert(ind.id.to_string(), Value::Array(ev));
    }

    // Metadata.
    let meta = metadata::extract_metadata_folded(orig, &folded);
    for field in spec::metadata_fields() {
        if let Some(m) = meta.iter().find(|m| m.field == field) {
            let m = metadata::MetaHit { end: doc.clip(m.start, m.end), ..m.clone() };
            let (page, cs, ce) = doc.locate(m.start, m.end);
            let ci = clauses.iter().position(|c| c.start <= m.start && m.start < c.end.max(c.start + 1));
            let line_s = slice::prefix(orig, m.start).rfind(['\n', '\u{c}']).map_or(0, |p| p + 1);
            // In the signature block the rest of a line is people's names:
            // the excerpt stops at the matched words there.
            let in_signature = ci.and_then(|i| clauses.get(i)).is_some_and(|c| c.signature);
            let line_e = if in_signature { m.end } else { slice::suffix(orig, m.end).find(['\n', '\u{c}']).map_or(orig.len(), |p| m.end + p) };
            let e = Evidence {
                value: m.value.clone(),
                page,
                clause: ci.and_then(|i| clauses.get(i)).map_or_else(|| format!("Page {page}"), |c| clause_ref(c, page)),
                start: cs,
                end: ce,
                text: slice::range(orig, m.start, m.end).split_whitespace().collect::<Vec<_>>().join(" "),
                excerpt: excerpt(slice::range(orig, line_s, line_e), (m.start.saturating_sub(line_s), m.end.saturating_sub(line_s)), 320),
                rule: format!("META-{}", field.to_uppercase()),
            };
            a.metadata.insert(field.to_string(), m.value.clone());
            a.metadata_source.insert(field.to_string(), Value::from("text"));
            a.evidence.insert(field.to_string(), Value::Array(vec![serde_json::to_value(e).unwrap_or(Value::Null)]));
        }
    }

    // Themes: the union over clauses, plus the theme of every indicator
    // found (a clause that denies telework still deals with telework).
    let mut themes: Vec<&str> = tagged.clause_themes.iter().flatten().map(|&t| rules.theme_id(t)).collect();
    themes.extend(present_themes);
    themes.sort_unstable();
    themes.dedup();
    a.themes = themes.into_iter().map(String::from).collect();

    // Clauses with a theme or a hit. Clauses come in text order, so char
    // offsets are counted once, from one clause to the next.
    let mut cursor = (0usize, 0usize);
    let mut chars_at = |byte: usize| {
        let (b, c) = cursor;
        let n = if byte >= b { c + slice::range(orig, b, byte).chars().count() } else { text::char_offset(orig, byte) };
        cursor = (byte, n);
        n
    };
    for (ci, c) in clauses.iter().enumerate() {
        if c.signature {
            continue;
        }
        let th = &tagged.clause_themes[ci];
        let rl = &tagged.clause_rules[ci];
        if th.is_empty() && rl.is_empty() {
            continue;
        }
        let first = doc.page_of(c.start);
        let last = doc.page_of(c.end.saturating_sub(1).max(c.start));
        let mut t: Vec<String> = th.iter().map(|&t| rules.theme_id(t).to_string()).collect();
        t.sort();
        a.clauses.push(ClauseRow {
            clause: clause_ref(c, first + 1),
            pages: (first + 1..=last + 1).collect(),
            start: chars_at(c.start),
            end: chars_at(c.end),
            themes: t,
            rules: rl.iter().map(|&r| rules.rule(r).id.clone()).collect(),
            text: redact(slice::range(orig, c.start, c.end).trim()),
        });
    }

    // Near misses, for explain.
    for m in tagged.near_misses.iter().filter(|_| opts.near_misses) {
        let e = evidence_of(m.start, m.end, m.sentence, m.clause, Value::Null, &rules.rule(m.rule).id);
        a.near_misses.push(NearMissRow {
            indicator: m.indicator.to_string(),
            rule: e.rule,
            reason: m.reason.clone(),
            page: e.page,
            clause: e.clause,
            text: e.text,
            excerpt: e.excerpt,
        });
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn metadata_evidence_in_the_signature_block_quotes_no_name() {
        let rules = crate::rules::load(None).unwrap();
        let body = "ACCORD SUR LE TÉLÉTRAVAIL\nEntre la société DELTA SAS, d'une part, et les salariés, d'autre part.\nArticle 1 – Objet\nLe télétravail est ouvert à tous les salariés de la société.\nArticle 2 – Dépôt\nLe présent accord sera déposé.\nFait à Lyon, le 12 mars 2024\nPour la CFDT : Jean Valjean\nPour la direction : Paul Durand";
        let a = analyse(&[PageText { body: body.into(), ..Default::default() }], &rules, Options::default());
        let text = serde_json::to_string(&a.evidence).unwrap();
        assert!(a.metadata.contains_key("unions"), "{:?}", a.metadata);
        assert!(!text.contains("Valjean") && !text.contains("Durand"), "{text}");
    }

    #[test]
    fn redacts_names_after_civilities() {
        assert_eq!(redact("représentée par M. Jean Dupont, directeur"), "représentée par […] , directeur");
        assert_eq!(redact("en présence de M. Jean Dupont"), "en présence de M. […]");
        assert_eq!(redact("Mme Marie-Claire Durand"), "Mme […]");
        assert_eq!(redact("la CGT, représentée par Sandrine Lefebvre ; la CFDT"), "la CGT, représentée par […] ; la CFDT");
        assert_eq!(redact("Pour la CFDT : Mehdi Bouzid"), "Pour la CFDT : […]");
    }

    #[test]
    fn locates_offsets_per_page() {
        let pages = vec![
            PageText { body: "été".into(), ..Default::default() },
            PageText { body: "ab télé".into(), ..Default::default() },
        ];
        let d = DocText::new(&pages);
        let s = d.text.find("télé").unwrap();
        assert_eq!(d.locate(s, s + "télé".len()), (2, 3, 7));
    }

    #[test]
    fn excerpt_is_bounded() {
        let s = "a ".repeat(500) + "CIBLE" + &" b".repeat(500);
        let at = s.find("CIBLE").unwrap();
        let e = excerpt(&s, (at, at + 5), 100);
        assert!(e.contains("CIBLE") && e.starts_with('…') && e.ends_with('…'));
        assert!(e.chars().count() < 110);
    }
}
