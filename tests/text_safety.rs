//! No text makes the analysis panic: the two slices that did (a "€" inside
//! the 90-byte window before a SIREN, a multi-byte character at byte 500
//! of the title), and a property test that mixes multi-byte characters into
//! real French agreement sentences at random places and runs the whole
//! analysis (folding, clauses, rules, values, metadata) on them.

use proptest::prelude::*;
use starfinder::indicators::{self, metadata, Options};
use starfinder::values;
use starfinder::pdf::PageText;
use starfinder::rules::RuleSet;
use std::sync::LazyLock;

static RULES: LazyLock<RuleSet> = LazyLock::new(|| starfinder::rules::load(None).expect("built-in rules"));
const PHRASES: &str = include_str!("fixtures/phrases_fr.txt");
/// Characters that take 2 to 4 bytes, or fold to more or fewer bytes.
const MULTI: &[char] = &['€', '’', 'œ', 'Œ', 'ß', 'İ', 'ﬁ', 'ﬂ', '😀', '\u{a0}', '\u{202f}', 'é', 'É', '…', '«', '»', '–', '\u{ad}', '\u{200b}', '한', '\u{301}'];

fn analyse(pages: &[&str]) -> indicators::Analysis {
    let pages: Vec<PageText> = pages.iter().map(|b| PageText { body: b.to_string(), ..Default::default() }).collect();
    indicators::analyse(&pages, &RULES, Options { all_scopes: false, near_misses: true })
}

fn field(text: &str, f: &str) -> Option<serde_json::Value> {
    metadata::extract_metadata(text).into_iter().find(|m| m.field == f).map(|m| m.value)
}

#[test]
fn a_euro_sign_just_before_the_siren() {
    // The folded text puts "€" (3 bytes) across the 90-byte window that
    // looks for an identification cue before the number.
    for pad in 0..8 {
        let text = format!(
            "ACCORD RELATIF AU TÉLÉTRAVAIL\nEntre la société ORION SAS, au capital de 1 700 000 €{}, immatriculée au RCS de Lyon sous le numéro 552 100 554, représentée par sa présidente, d'une part,\net la CFDT, d'autre part.\nArticle 1\nTexte.",
            " ".repeat(pad)
        );
        assert_eq!(field(&text, "siren"), Some(serde_json::json!("552100554")), "pad {pad}");
        let a = analyse(&[&text]);
        assert_eq!(a.metadata.get("siren"), Some(&serde_json::json!("552100554")));
    }
    // Every offset of the "€" before the number: none panics.
    for k in 0..100 {
        let text = format!("Entre la société X SAS, {}€ RCS 552 100 554, représentée", "a".repeat(k));
        let _ = metadata::extract_metadata(&text);
    }
}

#[test]
fn a_multibyte_character_at_byte_500_of_the_title() {
    for shift in 0..4 {
        let mut text = "A".repeat(497 + shift);
        text.push_str("€’œ ACCORD suite du titre\nArticle 1 – Objet\nLe présent accord est conclu pour une durée déterminée de trois ans.\nFait à Lyon, le 12 mars 2024");
        let folded = starfinder::text::Folded::new(&text).text;
        if (1..=2).contains(&shift) {
            assert!(!folded.is_char_boundary(500), "the test puts a character across byte 500 of the folded text");
        }
        let _ = metadata::extract_metadata(&text);
        let a = analyse(&[&text]);
        assert_eq!(a.metadata.get("signature_date"), Some(&serde_json::json!("2024-03-12")));
    }
}

/// Sentences of the fixture, some of them, multi-byte characters put in at
/// random character positions, cut into one or two pages.
fn mutated() -> impl Strategy<Value = (String, usize)> {
    let lines: Vec<&'static str> = PHRASES.lines().collect();
    let n = lines.len();
    (
        prop::collection::vec(0..n, 1..24),
        prop::collection::vec((any::<prop::sample::Index>(), prop::sample::select(MULTI)), 0..40),
        any::<prop::sample::Index>(),
        any::<bool>(),
    )
        .prop_map(move |(picks, inserts, cut, joined)| {
            let sep = if joined { " " } else { "\n" };
            let mut chars: Vec<char> = picks.iter().map(|&i| lines[i]).collect::<Vec<_>>().join(sep).chars().collect();
            for (at, c) in inserts {
                let i = at.index(chars.len() + 1);
                chars.insert(i, c);
            }
            let cut = cut.index(chars.len() + 1);
            (chars.into_iter().collect(), cut)
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2500, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_analysis_never_panics_on_mutated_french((text, cut) in mutated()) {
        let at = text.char_indices().nth(cut).map_or(text.len(), |(i, _)| i);
        let (p1, p2) = text.split_at(at);
        let a = analyse(&[p1, p2]);
        // Evidence offsets are ordered character counts (a match may run
        // across a page break: its end then counts past its first page,
        // and the form feed between the pages with it).
        for list in a.evidence.values() {
            for e in list.as_array().into_iter().flatten() {
                let (s, end) = (e["start"].as_u64(), e["end"].as_u64());
                prop_assert!(s.is_some() && s <= end && end.unwrap_or(0) as usize <= text.chars().count() + 1, "{e}");
            }
        }
        let _ = metadata::extract_metadata(&text);
        for w in text.split(['\n', ',', ';']) {
            let f = starfinder::text::fold(w);
            let _ = (values::parse_num(&f), values::parse_date(&f), values::parse_time(&f), values::parse_duration_months(&f), values::parse_eur(&f), values::parse_pct(&f));
        }
    }
}
