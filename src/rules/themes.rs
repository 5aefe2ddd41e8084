//! Clause themes from cues: which themes a clause substantially deals with.
//!
//! Every cue found in a clause scores (1, or 2 for a strong cue, plus 3
//! once for a theme named in the heading). What a clause *deals with* is
//! less than what it names, so the score that decides a theme weighs the
//! cues by the sentence they stand in:
//! - a sentence or list that names three themes or more is a list of
//!   topics ("la qualité de vie … inclut la conciliation, l'égalité
//!   professionnelle, l'expression des salariés …"): it counts at most 1
//!   for each theme it names;
//! - the préambule announces what the text will deal with: its themes need
//!   twice the score, since the clauses that follow deal with them;
//! - a theme the clause's main theme covers ("égalité de rémunération" in
//!   an equality clause, see `covers` in rules/README.md) is an aspect of
//!   the main one, not a theme of its own.

use super::ThemeDef;

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
}

/// A sentence or list naming at least this many themes is a list of topics.
fn knob(n: &str, d: usize) -> usize { std::env::var(n).ok().and_then(|v| v.parse().ok()).unwrap_or(d) }
#[allow(non_snake_case)] fn TOPIC_LIST_THEMES() -> usize { knob("TH_N", 3) }
#[allow(non_snake_case)] fn TOPIC_LIST_CAP() -> usize { knob("TH_CAP", 1) }
#[allow(non_snake_case)] fn PRE() -> usize { knob("TH_PRE", 2) }
#[allow(non_snake_case)] fn COV() -> bool { knob("TH_COV", 1) == 1 }
#[allow(non_snake_case)] fn RATIO() -> usize { knob("TH_RATIO", 4) }
const _TOPIC_LIST_THEMES: usize = 3;
/// What a list of topics counts for each theme it names.
const _TOPIC_LIST_CAP: usize = 1;
/// A cue in the clause's heading adds this, once per theme.
const HEADING_BONUS: usize = 3;

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
        let trade = trade[..end].trim_end().trim_end_matches(" du").trim_end_matches(" de").trim_end_matches(" au").trim();
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
            score[th] += if named >= TOPIC_LIST_THEMES() { (*s).min(TOPIC_LIST_CAP()) } else { *s };
        }
    }
    for (th, h) in in_heading.iter().enumerate() {
        if *h && (in_body[th] || knob("TH_HB", 1) == 0) {
            score[th] += HEADING_BONUS;
        }
    }
    score
}

/// The themes a clause carries, from its weighted scores: a theme needs its
/// `min_cues` (twice that in the préambule), and a quarter of the score of
/// the clause's main theme; a theme the main theme covers is left out.
pub(super) fn select(score: &[usize], kind: &ClauseKind, defs: &[ThemeDef]) -> Vec<usize> {
    if kind.excluded {
        return Vec::new();
    }
    let top = score.iter().copied().max().unwrap_or(0);
    let mut out = Vec::new();
    for (ti, def) in defs.iter().enumerate() {
        let mut min = def.min_cues.unwrap_or(3) * if kind.preamble { PRE() } else { 1 };
        if kind.words <= knob("TH_SHORT", 0) && !kind.preamble && score[ti] == top { min = min.min(knob("TH_SHORTMIN", 2)); }
        if score[ti] >= min && score[ti] * RATIO() >= top {
            out.push(ti);
        }
    }
    // A theme another carried theme covers is an aspect of it.
    if COV() {
        let carried = out.clone();
        out.retain(|&t| !carried.iter().any(|&m| m != t && defs[m].covers.iter().any(|c| *c == defs[t].id)));
    }
    out
}
