//! Text -> clauses: the headings of French agreements (Titre, Chapitre,
//! Section, Article, numbered and Roman headings), the préambule and the
//! signature block.
//!
//! A clause runs from its heading to the next heading. Its reference is the
//! innermost numbered heading ("Article 4.2"), so a reviewer can find it in
//! the signed text. The signature block ("Fait à …, le …" to the end) is a
//! clause of its own that never carries themes or evidence, because it holds
//! people's names.

use crate::text::slice;
use regex::Regex;
use std::sync::LazyLock;

#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// "Article 4.2", "Titre II", "Préambule", or "" before any heading.
    pub reference: String,
    /// The heading line as written, without its reference.
    pub title: String,
    /// Byte range in the document text.
    pub start: usize,
    pub end: usize,
    /// Duration, deposit, revision, follow-up...: carries no theme.
    pub boilerplate: bool,
    /// The signature block.
    pub signature: bool,
    /// Nesting: 1 Titre/Partie/Préambule, 2 Chapitre, 3 Section, 4 Article,
    /// 5 and more numbered sub-headings; 0 before any heading.
    pub level: u8,
}

static STRUCTURAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(titre|chapitre|section|sous-section|partie)\s+([0-9]+|[IVXLC]+(?-u:\b)|premier|première|premiere|unique|1er)\s*(?:[-–—:.)]\s*)?(.*)$")
        .expect("static regex")
});
static ARTICLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(?:article|art\.)\s*([0-9]+(?:[.\-][0-9]+)*(?:\s*(?:bis|ter))?|premier|1er|unique|[IVXLC]+(?-u:\b))\s*(?:[-–—:.)]\s*)?(.*)$")
        .expect("static regex")
});
static NUMBERED: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9]{1,2}(?:\.[0-9]{1,2}){0,3})(?:[.)]|\s*[-–—])?\s+(\p{Lu}.*)$").expect("static regex"));
static ROMAN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([IVX]{1,5})\s*[-–—.)]\s*(\p{Lu}.*)$").expect("static regex"));
static PREAMBLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?i)^(pr[ée]ambule|expos[ée] des motifs)\s*:?\s*$").expect("static regex"));
static SIGNATURE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^(fait\s+(à|a)\s+.{1,60}(,\s*)?le(?-u:\b)|fait\s+en\s+\S+\s+exemplaires|fait\s+le\s+\d|pour\s+la\s+(direction|soci[ée]t[ée])\s*:?\s*$|signatures?\s*:?\s*$)")
        .expect("static regex")
});
static BOILERPLATE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)(^dur[ée]e\s*$|(?-u:\b)dur[ée]e\s+(de\s+l|et\s+|d.application|du\s+pr[ée]sent|de\s+validit)|^suivi\s*[.:]?\s*$|^suivi\s+et\s+(bilan|[ée]valuation|rendez|r[ée]vision|interpr)|suivi\s+(national\s+|local\s+)?(de|du)\s+(l['’]accord|l['’]avenant|pr[ée]sent|la\s+mise\s+en\s+(œ|oe)uvre\s+de\s+l|l['’]application\s+de\s+l)|(commission|comit[ée]|clause|modalit[ée]s)\s+(paritaire\s+)?(nationale?\s+)?de\s+suivi\s*[.:]?\s*$|entr[ée]e\s+en\s+vigueur|d[ée]p[ôo]t|publicit[ée]|r[ée]vision|d[ée]nonciation|clause\s+de\s+rendez|rendez-vous|interpr[ée]tation|adh[ée]sion|notification|formalit[ée]s|champ\s+d.application|signataires?(?-u:\b))")
        .expect("static regex")
});

fn roman_or_number(s: &str) -> String {
    match s.to_lowercase().as_str() {
        "premier" | "première" | "premiere" | "1er" => "1".into(),
        _ => s.split_whitespace().collect::<Vec<_>>().join(" "),
    }
}

struct Heading {
    reference: String,
    title: String,
    level: u8,
}

/// Whether a line can start a heading at all: most lines of a text are
/// prose, and are let go before any regex runs.
fn may_be_heading(l: &str) -> bool {
    let Some(c) = l.chars().next() else { return false };
    if c.is_ascii_digit() || matches!(c, 'I' | 'V' | 'X') {
        return true;
    }
    // The first word, compared without building a string: these words
    // start with a, c, e, p, s or t (É for EXPOSÉ, PRÉAMBULE).
    if !matches!(c.to_ascii_lowercase(), 'a' | 'c' | 'e' | 'p' | 's' | 't') {
        return false;
    }
    let end = l.find(|c: char| !(c.is_alphabetic() || c == '-')).unwrap_or(l.len());
    let word = slice::prefix(l, end);
    const WORDS: [&str; 11] = ["titre", "chapitre", "section", "sous-section", "partie", "article", "art", "préambule", "preambule", "exposé", "expose"];
    WORDS.iter().any(|w| w.len() == word.len() && (w.eq_ignore_ascii_case(word) || word.to_lowercase() == *w))
}

/// A run-in heading: "8.6 – Droit à la déconnexion. Les cadres …" puts its
/// title and the first sentence of its body on one line. The title is the
/// short phrase before the first full stop followed by a capital; a line
/// without one is returned whole.
fn run_in_title(t: &str) -> &str {
    let mut from = 0;
    while let Some(p) = t.get(from..).and_then(|r| r.find(". ")).map(|p| p + from) {
        let head = slice::prefix(t, p);
        if head.chars().count() > 80 || head.contains([',', ';', ':']) {
            return t;
        }
        let next = slice::suffix(t, p + 2).trim_start();
        if next.chars().next().is_some_and(char::is_uppercase) {
            // "Art. 3" or "M. Dupont" stop inside a title: a full stop after
            // a short abbreviation is not the end of one.
            let last = head.rsplit(' ').next().unwrap_or("");
            if last.chars().count() > 2 {
                return head;
            }
        }
        from = p + 2;
    }
    t
}

fn heading(line: &str, current_article: Option<&str>) -> Option<Heading> {
    let l = line.trim();
    if l.is_empty() || l.len() > 600 || !may_be_heading(l) || l.chars().count() > 140 {
        return None;
    }
    if let Some(c) = STRUCTURAL.captures(l) {
        let word = &c[1];
        let mut kind = word.to_lowercase();
        if let Some(f) = kind.get_mut(0..1) {
            f.make_ascii_uppercase();
        }
        let level = match kind.as_str() {
            "Partie" | "Titre" => 1,
            "Chapitre" => 2,
            _ => 3,
        };
        return Some(Heading { reference: format!("{kind} {}", roman_or_number(&c[2])), title: c[3].trim().into(), level });
    }
    if let Some(c) = ARTICLE.captures(l) {
        return Some(Heading { reference: format!("Article {}", roman_or_number(&c[1])), title: run_in_title(c[2].trim()).into(), level: 4 });
    }
    if PREAMBLE.is_match(l) {
        return Some(Heading { reference: "Préambule".into(), title: String::new(), level: 1 });
    }
    // Bare numbered headings are short and do not read as a sentence.
    let sentence_like = l.ends_with(',') || l.ends_with(';') || l.chars().count() > 100;
    if let Some(c) = NUMBERED.captures(l) {
        // A run-in heading ("8.6 – Droit à la déconnexion. Les cadres …")
        // is a heading however long its line, when its number is a
        // sub-number or is followed by a dash: "1. Les salariés …" stays a
        // list item.
        let title = run_in_title(c[2].trim());
        let marked = c[1].contains('.') || l.get(c[1].len()..).is_some_and(|r| r.trim_start().starts_with(['–', '—', '-']));
        let run_in = title.len() < c[2].trim().len() && marked;
        if !sentence_like || run_in {
            let num = &c[1];
            let depth = num.matches('.').count() as u8;
            let reference = match current_article {
                Some(a) if num.starts_with(&format!("{a}.")) => format!("Article {num}"),
                _ => num.to_string(),
            };
            return Some(Heading { reference, title: title.into(), level: 5 + depth });
        }
    }
    if let Some(c) = ROMAN.captures(l) {
        if !sentence_like {
            return Some(Heading { reference: c[1].to_string(), title: c[2].trim().into(), level: 1 });
        }
    }
    None
}

/// For each clause, the clauses that enclose it (its article, chapter,
/// title), nearest first.
pub fn ancestors(clauses: &[Clause], i: usize) -> Vec<usize> {
    let mut out = Vec::new();
    let mut level = clauses.get(i).map_or(0, |c| c.level);
    for j in (0..i).rev() {
        if level <= 1 {
            break;
        }
        let l = clauses[j].level;
        if l > 0 && l < level && !clauses[j].signature {
            out.push(j);
            level = l;
        }
    }
    out
}

/// Splits a document's text into clauses covering it entirely, in order.
pub fn clauses(text: &str) -> Vec<Clause> {
    let mut out: Vec<Clause> = Vec::new();
    let mut current = Clause { reference: String::new(), title: String::new(), start: 0, end: text.len(), boilerplate: false, signature: false, level: 0 };
    let mut article: Option<String> = None;
    let mut pos = 0;
    let mut in_signature = false;
    // Lines end at a new line or a form feed (both ASCII: a byte search).
    let bytes = text.as_bytes();
    while pos < bytes.len() {
        let line_start = pos;
        let end = memchr::memchr2(b'\n', 0x0c, &bytes[pos..]).map_or(bytes.len(), |p| pos + p + 1);
        let raw = slice::range(text, line_start, end);
        pos = end;
        if in_signature {
            break;
        }
        let line = raw.trim_end_matches(['\n', '\u{c}']);
        let lt = line.trim_start();
        let may_sign = lt.get(..4).is_some_and(|w| w.eq_ignore_ascii_case("fait") || w.eq_ignore_ascii_case("pour") || w.eq_ignore_ascii_case("sign"));
        if may_sign && line_start > text.len() / 3 && SIGNATURE.is_match(line.trim()) {
            in_signature = true;
            current.end = line_start;
            out.push(std::mem::replace(
                &mut current,
                Clause { reference: "Signatures".into(), title: String::new(), start: line_start, end: text.len(), boilerplate: true, signature: true, level: 1 },
            ));
            continue;
        }
        let art_num = article.as_deref().and_then(|a| a.strip_prefix("Article "));
        if let Some(h) = heading(line, art_num) {
            if h.level == 4 {
                article = Some(h.reference.clone());
            } else if h.level < 4 {
                article = None;
            }
            current.end = line_start;
            let boilerplate = BOILERPLATE.is_match(&h.title);
            out.push(std::mem::replace(
                &mut current,
                Clause { reference: h.reference, title: h.title, start: line_start, end: text.len(), boilerplate, signature: false, level: h.level },
            ));
        }
    }
    current.end = text.len();
    out.push(current);
    out.retain(|c| c.end > c.start || c.signature);
    out
}

#[cfg(test)]
// The tests slice at the offsets they found in the same text.
#[allow(clippy::string_slice)]
mod tests {
    use super::*;

    fn refs(text: &str) -> Vec<String> {
        clauses(text).into_iter().map(|c| c.reference).collect()
    }

    #[test]
    fn finds_usual_heading_forms() {
        let t = "ACCORD\nPréambule\nTexte.\nTITRE I - OBJET\nArticle 1 - Objet\nLe texte.\nARTICLE 2 : Durée du travail\nx\nArt. 4 Congés\ny\nArticle 3.2.1 Détail\nz\nII - Télétravail\nw\n";
        assert_eq!(refs(t), ["", "Préambule", "Titre I", "Article 1", "Article 2", "Article 4", "Article 3.2.1", "II"]);
    }

    #[test]
    fn numbered_subheadings_inherit_the_article() {
        let t = "Article 4 Télétravail\nintro\n4.2 Nombre de jours\nLe salarié.\n";
        assert_eq!(refs(t), ["Article 4", "Article 4.2"]);
    }

    #[test]
    fn numbered_sentences_are_not_headings() {
        let t = "Article 1 Objet\n1. Les salariés peuvent demander à télétravailler, sous conditions,\n";
        assert_eq!(refs(t), ["Article 1"]);
    }

    #[test]
    fn signature_block_and_boilerplate() {
        let t = "Article 1 Objet\nLe télétravail est ouvert à tous les salariés de l'entreprise ici.\nArticle 9 Durée de l'accord\nTrois ans.\nFait à Lyon, le 12 mars 2024\nM. Jean Dupont\n";
        let c = clauses(t);
        assert_eq!(c.len(), 3);
        assert!(c[1].boilerplate);
        assert!(c[2].signature);
        assert!(t[c[2].start..c[2].end].contains("Jean"));
    }

    #[test]
    fn run_in_numbered_headings_start_a_clause() {
        let t = "Article 8 Forfait en jours\n8.5 – Suivi de la charge de travail. Le cadre remplit un relevé mensuel des jours travaillés et des\njours de repos.\n8.6 – Droit à la déconnexion. Les cadres au forfait jours bénéficient d'un droit à la déconnexion : en\ndehors de leurs journées.\n";
        let c = clauses(t);
        assert_eq!(c.iter().map(|c| c.reference.as_str()).collect::<Vec<_>>(), ["Article 8", "Article 8.5", "Article 8.6"]);
        assert_eq!(c[1].title, "Suivi de la charge de travail");
        assert_eq!(c[2].title, "Droit à la déconnexion");
        // Following up workload is content, not the agreement's own follow-up.
        assert!(!c[1].boilerplate);
        // A numbered list item that is a sentence stays in its clause.
        assert_eq!(refs("Article 1 Objet\n1. Les salariés peuvent demander à télétravailler deux jours. Ils le font par écrit auprès de leur responsable direct, sous conditions,\n"), ["Article 1"]);
    }

    #[test]
    fn only_the_agreements_own_follow_up_is_boilerplate() {
        for (title, b) in [
            ("Suivi", true),
            ("Suivi de l'accord", true),
            ("Commission de suivi", true),
            ("Création d'une commission paritaire de suivi", true),
            ("Suivi du présent accord et clause de rendez-vous", true),
            ("Suivi de la charge de travail", false),
            ("Suivi médical renforcé", false),
            ("Mise en œuvre d'un entretien de suivi", false),
        ] {
            let t = format!("Article 1 {title}\nTexte.\n");
            assert_eq!(clauses(&t)[0].boilerplate, b, "{title}");
        }
    }

    #[test]
    fn clauses_cover_the_text() {
        let t = "a\nArticle 1\nb\nArticle 2\nc";
        let c = clauses(t);
        assert_eq!(c.first().unwrap().start, 0);
        assert_eq!(c.last().unwrap().end, t.len());
        for w in c.windows(2) {
            assert_eq!(w[0].end, w[1].start);
        }
    }
}
