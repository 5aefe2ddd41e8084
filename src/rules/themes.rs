//! Clause themes from cues: which themes a clause substantially deals with.
//!
//! Every cue found in a clause scores (1, or 2 for a strong cue, plus 3
//! once for a theme named in the heading). What a clause *deals with* is
//! less than what it names, so the score that decides a theme weighs the
//! cues by where they stand:
//! - a sentence or list that names three themes or more is a list of
//!   topics ("la qualité de vie … inclut la conciliation, l'égalité
//!   professionnelle, l'expression des salariés …"): it counts at most 1
//!   for each theme it names;
//! - a heading adds its bonus only where the body speaks of the theme too
//!   ("Article 14 – Formation" over sub-clauses of its own);
//! - the préambule announces what the text will deal with: its themes need
//!   twice the score, since the clauses that follow deal with them;
//! - the branch's name ("Convention collective nationale des organismes de
//!   formation") is not a theme of the text;
//! - a theme that is not the clause's main one needs a little more;
//! - a short article without a title (real texts often lose their article
//!   titles) carries its main theme at 2;
//! - a theme another carried theme covers ("égalité de rémunération" in an
//!   equality clause; `covers` in rules/README.md) is an aspect of it.

use super::ThemeDef;
use crate::text::slice;

/// One counted cue of a clause: where it starts (folded byte), its theme,
/// its weight (1, or 2 for a strong cue).
#[derive(Debug, Clone, Copy)]
pub(super) struct Cue {
    pub start: usize,
    pub theme: usize,
    pub weight: usize,
}

/// What a clause is, for theme selection.
#[derive(Debug, Clone, Copy)]
pub(super) struct ClauseKind {
    /// Folded byte where the body starts (after the heading line; the
    /// clause's start where it has no heading).
    pub body_start: usize,
    /// The préambule (or exposé des motifs).
    pub preamble: bool,
    /// Boilerplate or signature block: no theme at all.
    pub excluded: bool,
    /// Words in the clause.
    pub words: usize,
    /// The heading gives no title ("Article 7" alone, as in texts whose
    /// titles were stripped).
    pub untitled: bool,
}

/// A sentence or list naming at least this many themes is a list of topics.
const TOPIC_LIST_THEMES: usize = 3;
/// What a list of topics counts for each theme it names.
const TOPIC_LIST_CAP: usize = 1;
/// A cue in the clause's heading adds this, once per theme, where the body
/// has a cue of the theme too.
const HEADING_BONUS: usize = 3;
/// The score a theme needs where it is not the clause's main theme (at
/// least; a theme's own `min_cues` may ask more).
const SECONDARY_MIN: usize = 4;
/// An untitled clause of at most this many words is short...
const SHORT_WORDS: usize = 100;
/// ... and carries its main theme at this score.
const SHORT_MIN: usize = 2;

/// Folded byte ranges where the text names its branch: the title line
/// "Convention collective nationale des organismes de formation du 10 juin
/// 1988", and every later mention of the trade it names ("la branche des
/// organismes de formation"). A branch named for a trade says nothing of
/// what the text deals with.
pub(super) fn branch_names(orig: &str, folded: &str) -> Vec<(usize, usize)> {
    const NAME: &str = "convention collective nationale";
    let mut trades: Vec<String> = Vec::new();
    let mut out = Vec::new();
    for line in orig.lines().take(5) {
        let l = crate::text::fold(line.trim());
        let Some(rest) = l.strip_prefix(NAME) else { continue };
        // The trade: up to its date, a full stop or a bracket.
        let mut trade = rest.trim_start();
        for lead in ["de travail ", "du personnel ", "des ", "de la ", "de l'", "du ", "de "] {
            trade = trade.strip_prefix(lead).unwrap_or(trade);
        }
        let end = trade.find(|c: char| c == '.' || c == '(' || c.is_ascii_digit()).unwrap_or(trade.len());
        let trade = slice::prefix(trade, end).trim_end().trim_end_matches(" du").trim_end_matches(" de").trim_end_matches(" au").trim();
        if trade.split(' ').count() >= 2 {
            trades.push(trade.to_string());
        }
        if let Some(at) = folded.find(&l) {
            out.push((at, at + l.len()));
        }
    }
    for trade in &trades {
        out.extend(folded.match_indices(trade.as_str()).map(|(at, m)| (at, at + m.len())));
    }
    out
}

/// Ranges sorted and merged where they overlap, for [`inside`].
pub(super) fn merge(mut spans: Vec<(usize, usize)>) -> Vec<(usize, usize)> {
    spans.sort_unstable();
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(spans.len());
    for (s, e) in spans {
        match out.last_mut() {
            Some(last) if s <= last.1 => last.1 = last.1.max(e),
            _ => out.push((s, e)),
        }
    }
    out
}

/// Whether `pos` falls in one of `spans` (sorted and merged by [`merge`]).
pub(super) fn inside(spans: &[(usize, usize)], pos: usize) -> bool {
    let i = spans.partition_point(|&(s, _)| s <= pos);
    i > 0 && pos < spans[i - 1].1
}

/// Units of text a theme's weight is counted over: the sentences of
/// `sentences` (folded byte ranges, in order), where a sentence ending in a
/// colon and the list items that follow it (sentences starting with a
/// dash) make one unit, as do list items that follow one another.
pub(super) fn units(text: &str, sentences: &[(usize, usize)]) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let item = |(s, e): (usize, usize)| b[s..e].iter().find(|c| **c != b' ').is_some_and(|c| matches!(c, b'-' | b'*'));
    let lead_in = |(s, e): (usize, usize)| b[s..e].iter().rev().find(|c| **c != b' ').is_some_and(|c| *c == b':');
    let mut out: Vec<(usize, usize)> = Vec::with_capacity(sentences.len());
    let mut open = false; // the last unit takes the list items that follow
    for &s in sentences {
        match out.last_mut() {
            Some(last) if open && item(s) => last.1 = s.1,
            _ => {
                out.push(s);
                open = lead_in(s) || item(s);
            }
        }
    }
    out
}

/// Theme scores of one clause for choosing its themes. `cues` are the
/// clause's counted cues in text order; `units` the document's units (see
/// [`units`]), in order.
pub(super) fn weighted_scores(cues: &[Cue], kind: &ClauseKind, units: &[(usize, usize)], n_themes: usize) -> Vec<usize> {
    let mut score = vec![0usize; n_themes];
    let mut in_heading = vec![false; n_themes];
    // Body cues, grouped by the unit they stand in.
    let mut i = 0;
    let mut u = units.partition_point(|&(_, e)| e <= cues.first().map_or(0, |c| c.start));
    let mut unit_score = vec![0usize; n_themes];
    let mut in_body = vec![false; n_themes];
    while i < cues.len() {
        let c = cues[i];
        if c.start < kind.body_start {
            in_heading[c.theme] = true;
            score[c.theme] += c.weight;
            i += 1;
            continue;
        }
        while u < units.len() && units[u].1 <= c.start {
            u += 1;
        }
        let end = units.get(u).map_or(usize::MAX, |&(_, e)| e);
        unit_score.iter_mut().for_each(|s| *s = 0);
        while i < cues.len() && cues[i].start < end {
            unit_score[cues[i].theme] += cues[i].weight;
            in_body[cues[i].theme] = true;
            i += 1;
        }
        let named = unit_score.iter().filter(|&&s| s > 0).count();
        for (th, s) in unit_score.iter().enumerate() {
            score[th] += if named >= TOPIC_LIST_THEMES { (*s).min(TOPIC_LIST_CAP) } else { *s };
        }
    }
    for (th, h) in in_heading.iter().enumerate() {
        if *h && in_body[th] {
            score[th] += HEADING_BONUS;
        }
    }
    score
}

/// The themes a clause carries, from its weighted scores (see the module
/// documentation): a theme needs its `min_cues` (default 3; twice that in
/// the préambule, [`SECONDARY_MIN`] where it is not the main theme,
/// [`SHORT_MIN`] for the main theme of a short untitled clause) and a
/// quarter of the main theme's score.
pub(super) fn select(score: &[usize], kind: &ClauseKind, defs: &[ThemeDef]) -> Vec<usize> {
    if kind.excluded {
        return Vec::new();
    }
    let top = score.iter().copied().max().unwrap_or(0);
    let mut out = Vec::new();
    for (ti, def) in defs.iter().enumerate() {
        let mut min = def.min_cues.unwrap_or(3);
        if kind.preamble {
            min *= 2;
        } else if score[ti] < top {
            min = min.max(SECONDARY_MIN);
        } else if kind.untitled && kind.words <= SHORT_WORDS {
            min = min.min(SHORT_MIN);
        }
        if score[ti] >= min && score[ti] * 4 >= top {
            out.push(ti);
        }
    }
    // A theme another carried theme covers is an aspect of it; where two
    // themes cover each other, the one that scores more wins.
    let carried = out.clone();
    let covers = |m: usize, t: usize| defs[m].covers.iter().any(|c| *c == defs[t].id);
    out.retain(|&t| !carried.iter().any(|&m| m != t && covers(m, t) && (!covers(t, m) || score[m] > score[t])));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::text::{self, Folded};

    fn def(id: &str, covers: &[&str]) -> ThemeDef {
        ThemeDef { id: id.into(), cues: vec![], strong: vec![], min_cues: None, covers: covers.iter().map(|c| c.to_string()).collect() }
    }

    fn kind() -> ClauseKind {
        ClauseKind { body_start: 0, preamble: false, excluded: false, words: 300, untitled: false }
    }

    fn cue(start: usize, theme: usize) -> Cue {
        Cue { start, theme, weight: 1 }
    }

    #[test]
    fn a_lead_in_and_its_list_items_are_one_unit() {
        let s = "Les mesures sont :\n- le télétravail ;\n- la crèche ;\nLa suite. Fin.";
        let f = Folded::new(s);
        let units: Vec<&str> = units(&f.text, &text::sentences(&f, s)).into_iter().map(|(a, b)| &f.text[a..b]).collect();
        assert_eq!(units.len(), 3, "{units:?}");
        assert!(units[0].starts_with("les mesures") && units[0].ends_with("la creche ;"), "{units:?}");
        assert_eq!(units[1], "la suite.");
    }

    #[test]
    fn a_topic_list_counts_one_per_theme() {
        // One unit naming themes 0, 1 and 2 (theme 0 three times), then a
        // sentence on theme 0 alone.
        let units = [(0, 100), (100, 200)];
        let cues = [cue(1, 0), cue(5, 0), cue(9, 0), cue(20, 1), cue(30, 2), cue(110, 0), cue(120, 0)];
        assert_eq!(weighted_scores(&cues, &kind(), &units, 3), [3, 1, 1]);
        // Two themes in a sentence are not a list of topics.
        let cues = [cue(1, 0), cue(5, 0), cue(9, 0), cue(20, 1)];
        assert_eq!(weighted_scores(&cues, &kind(), &units, 3), [3, 1, 0]);
    }

    #[test]
    fn a_heading_counts_only_where_the_body_speaks_of_it() {
        let k = ClauseKind { body_start: 10, ..kind() };
        let units = [(10, 100)];
        // "Article 14 – Formation", a body on theme 1.
        assert_eq!(weighted_scores(&[cue(2, 0), cue(20, 1)], &k, &units, 2), [1, 1]);
        // The body names theme 0 too: the heading's bonus.
        assert_eq!(weighted_scores(&[cue(2, 0), cue(20, 0)], &k, &units, 2), [5, 0]);
    }

    #[test]
    fn thresholds_of_main_secondary_preamble_and_short_clauses() {
        let defs = [def("a", &[]), def("b", &[])];
        assert_eq!(select(&[3, 0], &kind(), &defs), [0]);
        assert_eq!(select(&[2, 0], &kind(), &defs), Vec::<usize>::new());
        // A theme that is not the main one needs 4.
        assert_eq!(select(&[8, 3], &kind(), &defs), [0]);
        assert_eq!(select(&[8, 4], &kind(), &defs), [0, 1]);
        // Under a quarter of the main theme: left out.
        assert_eq!(select(&[20, 4], &kind(), &defs), [0]);
        // The préambule needs twice the score.
        let pre = ClauseKind { preamble: true, ..kind() };
        assert_eq!(select(&[5, 0], &pre, &defs), Vec::<usize>::new());
        assert_eq!(select(&[6, 0], &pre, &defs), [0]);
        // A short untitled article carries its main theme at 2, not the other.
        let short = ClauseKind { words: 60, untitled: true, ..kind() };
        assert_eq!(select(&[2, 2], &short, &defs), [0, 1]);
        assert_eq!(select(&[2, 1], &short, &defs), [0]);
        assert_eq!(select(&[2, 0], &ClauseKind { untitled: false, ..short }, &defs), Vec::<usize>::new());
        // Boilerplate carries nothing.
        assert_eq!(select(&[9, 0], &ClauseKind { excluded: true, ..kind() }, &defs), Vec::<usize>::new());
    }

    #[test]
    fn a_covered_theme_is_an_aspect_of_the_carried_one() {
        let defs = [def("egalite_pro", &["remuneration"]), def("remuneration", &[])];
        // Carried together: equality only, even where pay scores more.
        assert_eq!(select(&[10, 11], &kind(), &defs), [0]);
        // Equality not carried: pay stands.
        assert_eq!(select(&[2, 11], &kind(), &defs), [1]);
        // Themes that cover each other: the higher wins, a tie keeps both.
        let defs = [def("conges", &["temps_travail"]), def("temps_travail", &["conges"])];
        assert_eq!(select(&[9, 5], &kind(), &defs), [0]);
        assert_eq!(select(&[5, 9], &kind(), &defs), [1]);
        assert_eq!(select(&[6, 6], &kind(), &defs), [0, 1]);
    }

    #[test]
    fn the_branch_name_and_its_trade_are_found() {
        let s = "Convention collective nationale des organismes de formation du 10 juin 1988\nIDCC : 1516\nLe régime de la branche des organismes de formation est maintenu. La formation continue.";
        let f = Folded::new(s);
        let names: Vec<&str> = branch_names(s, &f.text).into_iter().map(|(a, b)| &f.text[a..b]).collect();
        assert_eq!(names, ["convention collective nationale des organismes de formation du 10 juin 1988", "organismes de formation", "organismes de formation"]);
        // A text that names no branch.
        assert!(branch_names("Accord d'entreprise sur la formation", "accord d'entreprise sur la formation").is_empty());
    }

    #[test]
    fn spans_merge_and_contain() {
        let spans = merge(vec![(10, 20), (0, 5), (15, 30), (40, 41)]);
        assert_eq!(spans, [(0, 5), (10, 30), (40, 41)]);
        assert!(inside(&spans, 0) && inside(&spans, 29) && inside(&spans, 40));
        assert!(!inside(&spans, 5) && !inside(&spans, 30) && !inside(&spans, 41) && !inside(&[], 3));
    }
}
