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
//! - a theme named in a procedure ("après consultation du CSE": its
//!   `passing` phrases) counts nothing in that sentence;
//! - pay that is the price of working time or leave (`price_of`) counts
//!   nothing beside them, and its plain words (`price_cues`) nothing at all
//!   in a text whose main theme is working time or leave;
//! - a theme another carried theme covers ("égalité de rémunération" in an
//!   equality clause; `covers` in rules/README.md) is an aspect of it.

use super::ThemeDef;
use crate::text::slice;

/// One counted cue of a clause: where it starts (folded byte), its theme,
/// its weight (1, or 2 for a strong cue).
#[derive(Debug, Clone, Copy)]
pub(super) struct Cue {
    pub start: usize,
    pub end: usize,
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
/// [`units`]), in order; `text` the folded document. A theme's cues count
/// nothing in a unit that holds one of its `passing` phrases, nor, where
/// the clause's main theme is one of its `price_of`, in a unit that names
/// the main theme too. Where `pricing` says so, a theme's `price_cues`
/// (the plain words of pay: "rémunération", "salaires") count nothing at
/// all.
pub(super) fn weighted_scores(cues: &[Cue], kind: &ClauseKind, units: &[(usize, usize)], text: &str, defs: &[ThemeDef], pricing: Pricing) -> Vec<usize> {
    let priced = |c: &Cue| {
        let def = &defs[c.theme];
        let applies = match pricing {
            Pricing::Off => false,
            Pricing::All => !def.price_of.is_empty(),
            Pricing::Text(m) => def.price_of.iter().any(|p| *p == defs[m].id),
        };
        applies && def.price_cues.iter().any(|p| p.as_str() == slice::range(text, c.start, c.end.min(text.len())))
    };
    // A priced cue weighs nothing, but still names its theme in a list of
    // topics.
    let kept: Vec<Cue> = cues.iter().map(|c| Cue { weight: if priced(c) { 0 } else { c.weight }, ..*c }).collect();
    let cues = &kept[..];
    let first = pass(cues, kind, units, text, defs, pricing, None);
    let top = first.iter().copied().max().unwrap_or(0);
    let main = first.iter().position(|&s| s == top && s > 0);
    match main {
        Some(m) if defs.iter().any(|d| d.price_of.iter().any(|p| *p == defs[m].id)) => pass(cues, kind, units, text, defs, pricing, Some(m)),
        _ => first,
    }
}

/// Where the `price_cues` of a theme count nothing.
#[derive(Debug, Clone, Copy)]
pub(super) enum Pricing {
    /// They count everywhere.
    Off,
    /// Nowhere, and `passing` phrases are not read: the weighing that finds
    /// the text's main theme from all it names but its plain words of pay,
    /// so that a text on the forfait en jours, which names its pay often,
    /// is still a text on working time.
    All,
    /// Nowhere in a text whose main theme is this one, where it is one of
    /// the theme's `price_of`.
    Text(usize),
}

/// The main theme of a text: the one with the highest score summed over
/// its clauses (`scores`, one per clause, empty for a clause that carries
/// nothing).
pub(super) fn text_main(scores: &[Vec<usize>], n_themes: usize) -> Option<usize> {
    let mut sum = vec![0usize; n_themes];
    for s in scores {
        for (th, v) in s.iter().enumerate().take(n_themes) {
            sum[th] += v;
        }
    }
    let top = sum.iter().copied().max().unwrap_or(0);
    sum.iter().position(|&s| s == top && s > 0)
}

/// One weighing of [`weighted_scores`], with the clause's main theme where
/// `price_of` applies.
fn pass(cues: &[Cue], kind: &ClauseKind, units: &[(usize, usize)], text: &str, defs: &[ThemeDef], pricing: Pricing, main: Option<usize>) -> Vec<usize> {
    let n_themes = defs.len();
    let mut score = vec![0usize; n_themes];
    let mut in_heading = vec![false; n_themes];
    // Body cues, grouped by the unit they stand in.
    let mut i = 0;
    let mut u = units.partition_point(|&(_, e)| e <= cues.first().map_or(0, |c| c.start));
    let mut unit_score = vec![0usize; n_themes];
    let mut unit_named = vec![false; n_themes];
    let mut in_body = vec![false; n_themes];
    while i < cues.len() {
        let c = cues[i];
        if c.start < kind.body_start {
            in_heading[c.theme] |= c.weight > 0;
            score[c.theme] += c.weight;
            i += 1;
            continue;
        }
        while u < units.len() && units[u].1 <= c.start {
            u += 1;
        }
        let (us, end) = units.get(u).copied().unwrap_or((c.start, usize::MAX));
        unit_score.iter_mut().for_each(|s| *s = 0);
        unit_named.iter_mut().for_each(|n| *n = false);
        while i < cues.len() && cues[i].start < end {
            unit_score[cues[i].theme] += cues[i].weight;
            unit_named[cues[i].theme] = true;
            i += 1;
        }
        let unit_text = slice::range(text, us.min(c.start), end.min(text.len()));
        let named = unit_named.iter().filter(|&&n| n).count();
        for (th, s) in unit_score.iter().enumerate() {
            if *s == 0 {
                continue;
            }
            let passing = !matches!(pricing, Pricing::All) && defs[th].passing.iter().any(|p| unit_text.contains(p.as_str()));
            let priced = main.is_some_and(|m| m != th && unit_score[m] > 0 && defs[th].price_of.iter().any(|p| *p == defs[m].id));
            if passing || priced {
                continue;
            }
            in_body[th] = true;
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
        ThemeDef { id: id.into(), cues: vec![], strong: vec![], min_cues: None, covers: covers.iter().map(|c| c.to_string()).collect(), passing: vec![], price_of: vec![], price_cues: vec![] }
    }

    fn kind() -> ClauseKind {
        ClauseKind { body_start: 0, preamble: false, excluded: false, words: 300, untitled: false }
    }

    fn defs(n: usize) -> Vec<ThemeDef> {
        (0..n).map(|i| def(&format!("t{i}"), &[])).collect()
    }

    fn text(n: usize) -> String {
        " ".repeat(n)
    }

    fn cue(start: usize, theme: usize) -> Cue {
        Cue { start, end: start + 1, theme, weight: 1 }
    }

    #[test]
    fn a_lead_in_and_its_list_items_are_one_unit() {
        let s = "Les mesures sont :\n- le télétravail ;\n- la crèche ;\nLa suite. Fin.";
        let f = Folded::new(s);
        let units: Vec<&str> = units(&f.text, &text::sentences(&f, s)).into_iter().map(|(a, b)| slice::range(&f.text, a, b)).collect();
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
        assert_eq!(weighted_scores(&cues, &kind(), &units, &text(200), &defs(3), Pricing::Off), [3, 1, 1]);
        // Two themes in a sentence are not a list of topics.
        let cues = [cue(1, 0), cue(5, 0), cue(9, 0), cue(20, 1)];
        assert_eq!(weighted_scores(&cues, &kind(), &units, &text(200), &defs(3), Pricing::Off), [3, 1, 0]);
    }

    #[test]
    fn a_heading_counts_only_where_the_body_speaks_of_it() {
        let k = ClauseKind { body_start: 10, ..kind() };
        let units = [(10, 100)];
        // "Article 14 – Formation", a body on theme 1.
        assert_eq!(weighted_scores(&[cue(2, 0), cue(20, 1)], &k, &units, &text(100), &defs(2), Pricing::Off), [1, 1]);
        // The body names theme 0 too: the heading's bonus.
        assert_eq!(weighted_scores(&[cue(2, 0), cue(20, 0)], &k, &units, &text(100), &defs(2), Pricing::Off), [5, 0]);
    }

    #[test]
    fn a_theme_named_in_passing_by_a_procedure_counts_nothing_there() {
        let mut d = defs(2);
        d[1].passing = vec!["apres consultation".into()];
        let t = "le travail de nuit est organise apres consultation du cse. le cse dispose d'heures de delegation.";
        let units = [(0, 58), (58, t.len())];
        // Theme 0 at 3 and 14; theme 1 ("cse") at 54 in the procedure, at 62 and 76 apart.
        let cues = [cue(3, 0), cue(14, 0), cue(54, 1), cue(62, 1), cue(76, 1)];
        assert_eq!(weighted_scores(&cues, &kind(), &units, t, &d, Pricing::Off), [2, 2]);
        // The weighing for the text's main theme reads them all.
        assert_eq!(weighted_scores(&cues, &kind(), &units, t, &d, Pricing::All), [2, 3]);
        d[1].passing.clear();
        assert_eq!(weighted_scores(&cues, &kind(), &units, t, &d, Pricing::Off), [2, 3]);
    }

    #[test]
    fn pay_that_is_the_price_of_the_main_theme_counts_nothing_beside_it() {
        let mut d = defs(2);
        d[1].price_of = vec!["t0".into()];
        let t = text(200);
        let units = [(0, 100), (100, 200)];
        // Unit 1: theme 0 and theme 1 together (an overtime premium); unit 2: pay alone.
        let cues = [cue(1, 0), cue(5, 0), cue(9, 0), cue(20, 1), cue(30, 1), cue(110, 1)];
        assert_eq!(weighted_scores(&cues, &kind(), &units, &t, &d, Pricing::Off), [3, 1]);
        // Pay as the main theme: its cues count everywhere.
        let cues = [cue(1, 0), cue(20, 1), cue(30, 1), cue(110, 1)];
        assert_eq!(weighted_scores(&cues, &kind(), &units, &t, &d, Pricing::Off), [1, 3]);
        // Without price_of, pay beside working time counts.
        d[1].price_of.clear();
        let cues = [cue(1, 0), cue(5, 0), cue(9, 0), cue(20, 1), cue(30, 1), cue(110, 1)];
        assert_eq!(weighted_scores(&cues, &kind(), &units, &t, &d, Pricing::Off), [3, 3]);
    }

    #[test]
    fn plain_pay_words_count_nothing_in_a_text_on_working_time() {
        let mut d = defs(2);
        d[1].price_of = vec!["t0".into()];
        d[1].price_cues = vec!["salaires".into()];
        let t = "les salaires sont maintenus. la grille est fixee.";
        let units = [(0, 28), (28, t.len())];
        let cues = [Cue { start: 4, end: 12, theme: 1, weight: 1 }, Cue { start: 32, end: 38, theme: 1, weight: 1 }];
        // A text on theme 0: "salaires" counts nothing, the grid counts.
        assert_eq!(weighted_scores(&cues, &kind(), &units, t, &d, Pricing::Text(0)), [0, 1]);
        // A text on pay: both count.
        assert_eq!(weighted_scores(&cues, &kind(), &units, t, &d, Pricing::Text(1)), [0, 2]);
        assert_eq!(weighted_scores(&cues, &kind(), &units, t, &d, Pricing::Off), [0, 2]);
        assert_eq!(weighted_scores(&cues, &kind(), &units, t, &d, Pricing::All), [0, 1]);
        // A priced cue still names its theme in a list of topics.
        let d3 = { let mut d3 = defs(3); d3[1] = d[1].clone(); d3 };
        let cues = [Cue { start: 4, end: 12, theme: 1, weight: 1 }, cue(14, 0), cue(15, 0), cue(16, 2)];
        assert_eq!(weighted_scores(&cues, &kind(), &units, t, &d3, Pricing::Text(0)), [1, 0, 1]);
        assert_eq!(text_main(&[vec![1, 4], vec![], vec![5, 1]], 2), Some(0));
        assert_eq!(text_main(&[vec![0, 0]], 2), None);
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
        let names: Vec<&str> = branch_names(s, &f.text).into_iter().map(|(a, b)| slice::range(&f.text, a, b)).collect();
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
