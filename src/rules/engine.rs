//! Compiled rules -> hits over a document.
//!
//! Every literal of every rule and theme (triggers, cues, proximity,
//! negation and exclusion phrases) goes into one Aho-Corasick automaton run
//! once over the folded text; regexes then run only on the sentences where
//! a rule's trigger was found. The cost of a document is one linear scan
//! plus a little work per candidate sentence, whatever the number of rules.

use super::{themes, RuleDef, RuleDefs};
use crate::indicators::values;
use crate::segment::{self, Clause};
use crate::spec::{self, Kind};
use crate::text::{self, Folded};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;
use serde_json::Value;

/// Expands the value placeholders of a rule regex.
pub fn expand(re: &str) -> String {
    // Amounts may be written in words ("trente euros"): {EUR} brings a
    // {NUM}, so it is expanded first.
    re.replace("{EUR}", &format!("(?:{}|{{NUM}} euros?(?-u:\\b))", values::EUR))
        .replace("{NUM}", values::NUM)
        .replace("{PCT}", values::PCT)
        .replace("{TIME}", values::TIME)
        .replace("{DATE}", values::DATE)
        .replace("{DURATION}", values::DURATION)
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Role {
    Cue { theme: usize, strong: bool },
    Trigger,
    Near,
    Negation,
    Exclude,
    Hedge,
}

#[derive(Debug, Clone, Copy)]
struct Owner {
    role: Role,
    rule: usize,
}

/// One occurrence of a literal in the folded text.
#[derive(Debug, Clone, Copy)]
struct Occ {
    start: usize,
    end: usize,
    pat: usize,
}

/// A value a rule found.
#[derive(Debug, Clone)]
pub struct Hit {
    pub rule: usize,
    pub indicator: &'static str,
    pub value: Value,
    /// Folded byte range of the words that support the value.
    pub start: usize,
    pub end: usize,
    /// Folded byte range of the sentence.
    pub sentence: (usize, usize),
    pub clause: usize,
}

/// A rule that nearly fired: shown to reviewers by `explain`.
#[derive(Debug, Clone)]
pub struct NearMiss {
    pub rule: usize,
    pub indicator: &'static str,
    pub reason: String,
    pub start: usize,
    pub end: usize,
    pub sentence: (usize, usize),
    pub clause: usize,
}

/// What tagging found in one document.
#[derive(Debug, Default)]
pub struct Tagged {
    /// Theme indices (into `RuleSet::themes`) per clause, sorted.
    pub clause_themes: Vec<Vec<usize>>,
    /// Rule indices that fired per clause, sorted.
    pub clause_rules: Vec<Vec<usize>>,
    /// Theme scores per clause (cues found), for rule scopes.
    pub clause_scores: Vec<Vec<usize>>,
    /// Themes per clause from the raw scores, for rule scopes: the context
    /// a rule needs is what the clause names (a heading over sub-clauses,
    /// a topic list), not what it deals with.
    pub scope_themes: Vec<Vec<usize>>,
    pub hits: Vec<Hit>,
    pub near_misses: Vec<NearMiss>,
}

struct Compiled {
    regex: Option<Regex>,
    indicator: &'static spec::Indicator,
    groups: Vec<(String, &'static spec::Indicator)>,
}

/// Rules compiled for matching.
pub struct RuleSet {
    pub defs: RuleDefs,
    compiled: Vec<Compiled>,
    ac: AhoCorasick,
    prefix: Vec<bool>,
    owners: Vec<Vec<Owner>>,
}

fn is_word(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b >= 0x80
}

impl RuleSet {
    pub fn new(defs: RuleDefs) -> Result<RuleSet, super::RuleErrors> {
        let mut literals: Vec<String> = Vec::new();
        let mut prefix = Vec::new();
        let mut owners: Vec<Vec<Owner>> = Vec::new();
        let mut index: std::collections::BTreeMap<(String, bool), usize> = std::collections::BTreeMap::new();
        let mut add = |lit: &str, owner: Owner| {
            let is_prefix = lit.ends_with('*');
            let folded = text::fold(lit.trim_end_matches('*'));
            if folded.is_empty() {
                return;
            }
            let i = *index.entry((folded.clone(), is_prefix)).or_insert_with(|| {
                literals.push(folded);
                prefix.push(is_prefix);
                owners.push(Vec::new());
                literals.len() - 1
            });
            owners[i].push(owner);
        };
        for (ti, t) in defs.themes.iter().enumerate() {
            for c in &t.cues {
                add(c, Owner { role: Role::Cue { theme: ti, strong: false }, rule: usize::MAX });
            }
            for c in &t.strong {
                add(c, Owner { role: Role::Cue { theme: ti, strong: true }, rule: usize::MAX });
            }
        }
        for h in &defs.common.hedges {
            add(h, Owner { role: Role::Hedge, rule: usize::MAX });
        }
        let mut compiled = Vec::new();
        for (ri, r) in defs.rules.iter().enumerate() {
            let d = &r.def;
            for k in &d.keywords {
                add(k, Owner { role: Role::Trigger, rule: ri });
            }
            for k in &d.near {
                add(k, Owner { role: Role::Near, rule: ri });
            }
            for k in &d.negation {
                add(k, Owner { role: Role::Negation, rule: ri });
            }
            for k in &d.exclude {
                add(k, Owner { role: Role::Exclude, rule: ri });
            }
            let err = |m: String| super::RuleErrors(vec![super::RuleError { file: r.file.clone(), line: r.line, message: m }]);
            let regex = match &d.regex {
                Some(re) => match &r.regex {
                    Some(c) => Some(c.clone()),
                    None => Some(super::compile(re).map_err(|e| err(format!("regex: {e}")))?),
                },
                None => None,
            };
            let indicator = spec::indicator(&d.indicator).ok_or_else(|| err(format!("unknown indicator {}", d.indicator)))?;
            let mut groups = Vec::new();
            for (g, t) in &d.groups {
                groups.push((g.clone(), spec::indicator(t).ok_or_else(|| err(format!("unknown indicator {t}")))?));
            }
            compiled.push(Compiled { regex, indicator, groups });
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&literals)
            .map_err(|e| super::RuleErrors(vec![super::RuleError { file: "rules".into(), line: 0, message: format!("keyword automaton: {e}") }]))?;
        Ok(RuleSet { defs, compiled, ac, prefix, owners })
    }

    pub fn rule(&self, i: usize) -> &RuleDef {
        &self.defs.rules[i].def
    }

    pub fn theme_id(&self, i: usize) -> &str {
        &self.defs.themes[i].id
    }

    fn occurrences(&self, t: &str) -> Vec<Occ> {
        let b = t.as_bytes();
        let mut out = Vec::new();
        for m in self.ac.find_overlapping_iter(t) {
            let (s, e) = (m.start(), m.end());
            if s > 0 && is_word(b[s - 1]) && is_word(b[s]) {
                continue;
            }
            let pat = m.pattern().as_usize();
            if !self.prefix[pat] && e < b.len() && is_word(b[e]) && is_word(b[e - 1]) {
                continue;
            }
            out.push(Occ { start: s, end: e, pat });
        }
        out.sort_unstable_by_key(|o| (o.start, o.end, o.pat));
        out
    }

    /// Tags a document: themes per clause, hits and near misses.
    /// `all_scopes` ignores rule scopes (used to run examples).
    pub fn tag(&self, folded: &Folded, orig: &str, clauses: &[Clause], all_scopes: bool) -> Tagged {
        let t = folded.text.as_str();
        let occs = self.occurrences(t);
        let mut out = Tagged::default();
        let ranges: Vec<(usize, usize)> = clauses.iter().map(|c| (folded.folded_pos(c.start), folded.folded_pos(c.end))).collect();

        // Themes per clause.
        let units = themes::units(t, &text::sentences(folded, orig));
        // Where the text only names its branch: no theme.
        let named_only = themes::merge(themes::branch_names(orig, t));
        let mut oi = 0;
        for (ci, c) in clauses.iter().enumerate() {
            let (cs, ce) = ranges[ci];
            let heading_end = orig[c.start..c.end].find('\n').map_or(c.end, |p| c.start + p);
            let he = folded.folded_pos(heading_end);
            while oi < occs.len() && occs[oi].start < cs {
                oi += 1;
            }
            let mut j = oi;
            let mut cues: Vec<(Occ, usize, bool)> = Vec::new();
            while j < occs.len() && occs[j].start < ce {
                let o = occs[j];
                for ow in &self.owners[o.pat] {
                    if let Role::Cue { theme, strong } = ow.role {
                        cues.push((o, theme, strong));
                    }
                }
                j += 1;
            }
            // A cue inside a longer cue counts once, for the longer one:
            // "rémunération" in "écarts de rémunération" speaks of equality,
            // and "RTT" in "jours de RTT" is one cue, not two.
            // Cues come sorted by start then end: one sweep finds them, in
            // linear time even in a clause of thousands of cues (a long text
            // without headings), where comparing every pair was quadratic.
            let mut counted: Vec<(usize, usize, usize, bool)> = Vec::with_capacity(cues.len());
            let mut reach = 0; // the furthest end of the cues that start before
            let mut g = 0;
            while g < cues.len() {
                let start = cues[g].0.start;
                let group_end = cues[g..].iter().take_while(|c| c.0.start == start).count() + g;
                let group_reach = cues[g..group_end].iter().map(|c| c.0.end).max().unwrap_or(0);
                for &(o, th, strong) in &cues[g..group_end] {
                    if !(reach >= o.end || group_reach > o.end) {
                        counted.push((o.start, o.end, th, strong));
                    }
                }
                reach = reach.max(group_reach);
                g = group_end;
            }
            // The same words listed as a cue and a strong cue count once.
            counted.sort_unstable_by_key(|&(s, e, th, strong)| (s, e, th, !strong));
            counted.dedup_by_key(|&mut (s, e, th, _)| (s, e, th));
            // Raw scores (every cue, the heading's bonus) for rule scopes;
            // weighted ones for the clause's themes (see themes.rs).
            let mut score = vec![0usize; self.defs.themes.len()];
            let mut in_heading = vec![false; self.defs.themes.len()];
            let has_heading = !c.reference.is_empty();
            let mut weighted: Vec<themes::Cue> = Vec::with_capacity(counted.len());
            for &(start, _, th, strong) in &counted {
                score[th] += if strong { 2 } else { 1 };
                if start < he && has_heading {
                    in_heading[th] = true;
                }
                weighted.push(themes::Cue { start, theme: th, weight: if strong { 2 } else { 1 } });
            }
            for (th, h) in in_heading.iter().enumerate() {
                if *h {
                    score[th] += 3;
                }
            }
            weighted.retain(|w| !themes::inside(&named_only, w.start));
            weighted.sort_by_key(|w| w.start);
            let kind = themes::ClauseKind {
                body_start: if has_heading { he.max(cs) } else { cs },
                preamble: c.reference == "Préambule",
                excluded: c.boilerplate || c.signature,
                words: t[cs..ce].split_ascii_whitespace().count(),
                untitled: c.title.trim().is_empty(),
            };
            let ws = themes::weighted_scores(&weighted, &kind, &units, self.defs.themes.len());
            let th = themes::select(&ws, &kind, &self.defs.themes);
            out.clause_themes.push(th);
            let top = score.iter().copied().max().unwrap_or(0);
            out.scope_themes.push(if kind.excluded {
                Vec::new()
            } else {
                (0..score.len()).filter(|&ti| score[ti] >= self.defs.themes[ti].min_cues.unwrap_or(3) && score[ti] * 4 >= top).collect()
            });
            out.clause_scores.push(score);
            out.clause_rules.push(Vec::new());
        }

        // Sentences, cut at clause boundaries and after each heading line,
        // so a heading ("Article 9 – Prévoyance et santé") never lends its
        // words to the sentence that follows it.
        let mut cuts: Vec<usize> = Vec::with_capacity(clauses.len() * 2);
        // Folded range of each clause's heading line (empty without one).
        let mut headings: Vec<(usize, usize)> = Vec::with_capacity(clauses.len());
        for (ci, c) in clauses.iter().enumerate() {
            cuts.push(ranges[ci].0);
            let mut h = (ranges[ci].0, ranges[ci].0);
            if !c.reference.is_empty() {
                if let Some(nl) = orig[c.start..c.end].find('\n') {
                    let he = folded.folded_pos(c.start + nl);
                    cuts.push(he);
                    h.1 = he;
                }
            }
            headings.push(h);
        }
        cuts.sort_unstable();
        cuts.dedup();
        let mut sents = Vec::new();
        let mut k = 0;
        for (s, e) in text::sentences(folded, orig) {
            let mut s = s;
            while k < cuts.len() && cuts[k] <= s {
                k += 1;
            }
            while k < cuts.len() && cuts[k] < e {
                if cuts[k] > s {
                    sents.push((s, cuts[k]));
                    s = cuts[k];
                }
                k += 1;
            }
            // Leading white space after a cut is not part of the sentence.
            while s < e && t.as_bytes()[s] == b' ' {
                s += 1;
            }
            if e > s {
                sents.push((s, e));
            }
        }

        let scope_themes = std::mem::take(&mut out.scope_themes);
        let clause_scores = std::mem::take(&mut out.clause_scores);
        let mut oi = 0;
        let mut ci = 0;
        // The lead-in of the current list ("... demandent :"), as a range of
        // `occs`, while the sentences that follow are its items.
        let mut lead: (usize, usize) = (0, 0);
        for (si, &(ss, se)) in sents.iter().enumerate() {
            let is_item = t[ss..se].starts_with("- ") || t[ss..se].starts_with("-- ");
            let prev_lead = si > 0 && t[sents[si - 1].0..sents[si - 1].1].trim_end().ends_with(':');
            while ci + 1 < ranges.len() && ranges[ci].1 <= ss {
                ci += 1;
            }
            while oi < occs.len() && occs[oi].start < ss {
                oi += 1;
            }
            let mut j = oi;
            while j < occs.len() && occs[j].end <= se {
                j += 1;
            }
            let in_sent = &occs[oi..j];
            if prev_lead {
                let (ps, pe) = sents[si - 1];
                let a = occs.partition_point(|o| o.start < ps);
                let b = occs.partition_point(|o| o.end <= pe && o.start < pe);
                lead = (a, b.max(a));
            } else if !is_item {
                lead = (0, 0);
            }
            // The context of a sentence: the lead-in of its list and the
            // heading of its clause ("Revendications syndicales").
            let mut context: Vec<Occ> = if is_item || prev_lead { occs[lead.0..lead.1].to_vec() } else { Vec::new() };
            let (hs, he) = headings.get(ci).copied().unwrap_or((0, 0));
            if he > hs && ss >= he {
                let a = occs.partition_point(|o| o.start < hs);
                context.extend(occs[a..].iter().take_while(|o| o.start < he).copied());
            }
            let lead_occs = context.as_slice();
            if in_sent.is_empty() || clauses.get(ci).is_some_and(|c| c.signature || c.boilerplate) {
                continue;
            }
            let mut rules_here: Vec<usize> = in_sent
                .iter()
                .flat_map(|o| self.owners[o.pat].iter().filter(|w| w.role == Role::Trigger).map(|w| w.rule))
                .collect();
            rules_here.sort_unstable();
            rules_here.dedup();
            for ri in rules_here {
                self.apply(ri, in_sent, lead_occs, (ss, se), ci, clauses, t, (&scope_themes, &clause_scores), all_scopes, &mut out);
            }
        }
        out.scope_themes = scope_themes;
        out.clause_scores = clause_scores;
        for h in &out.hits {
            out.clause_rules[h.clause].push(h.rule);
        }
        for r in &mut out.clause_rules {
            r.sort_unstable();
            r.dedup();
        }
        out.hits.sort_by_key(|h| (h.start, h.end, h.rule));
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn apply(&self, ri: usize, occs: &[Occ], lead: &[Occ], sent: (usize, usize), ci: usize, clauses: &[Clause], t: &str, (themes, scores): (&[Vec<usize>], &[Vec<usize>]), all_scopes: bool, out: &mut Tagged) {
        let d = &self.defs.rules[ri].def;
        let c = &self.compiled[ri];
        let role_of = |o: &Occ, role: Role| self.owners[o.pat].iter().any(|w| w.rule == ri && w.role == role);
        let triggers: Vec<&Occ> = occs.iter().filter(|o| role_of(o, Role::Trigger)).collect();
        let Some(first) = triggers.first() else { return };
        let miss = |out: &mut Tagged, reason: String, s: usize, e: usize| {
            out.near_misses.push(NearMiss { rule: ri, indicator: c.indicator.id, reason, start: s, end: e, sentence: sent, clause: ci });
        };
        if !all_scopes && !d.scope.is_empty() {
            // A sub-clause ("4.1 Formule hebdomadaire") is in the scope of
            // the article or title that encloses it.
            // The scope is context, not tagging: a clause that names the
            // theme at all ("Article 4 – Indemnisation: … par jour
            // télétravaillé") is in it.
            let carries = |c: usize| themes[c].iter().any(|&ti| d.scope.iter().any(|s| *s == self.defs.themes[ti].id));
            let named = self.defs.themes.iter().enumerate().any(|(ti, th)| d.scope.contains(&th.id) && scores.get(ci).and_then(|s| s.get(ti)).is_some_and(|&v| v > 0));
            let ok = named || carries(ci) || segment::ancestors(clauses, ci).into_iter().any(carries);
            if !ok {
                miss(out, format!("the clause does not carry the theme {}", d.scope.join(" or ")), first.start, first.end);
                return;
            }
        }
        let words_between = |a: &Occ, b: &Occ| {
            let (lo, hi) = if a.start <= b.start { (a.end.min(b.start), b.start) } else { (b.end.min(a.start), a.start) };
            t[lo..hi].bytes().filter(|&x| x == b' ').count()
        };
        let within = |o: &Occ| d.window.is_none_or(|w| triggers.iter().any(|tr| words_between(tr, o) <= w));
        if let Some(x) = occs.iter().find(|o| role_of(o, Role::Exclude) && within(o)).or_else(|| lead.iter().find(|o| role_of(o, Role::Exclude))) {
            miss(out, format!("excluded by \u{ab}{}\u{bb}", &t[x.start..x.end]), x.start, x.end);
            return;
        }
        if !d.near.is_empty() && !occs.iter().any(|o| role_of(o, Role::Near) && within(o)) {
            miss(out, format!("no \u{ab}{}\u{bb} near the cue", d.near.join("\u{bb} / \u{ab}")), first.start, first.end);
            return;
        }
        if let Some(h) = occs.iter().find(|o| self.owners[o.pat].iter().any(|w| w.role == Role::Hedge)) {
            miss(out, format!("hedged by \u{ab}{}\u{bb}: considered, not stated", &t[h.start..h.end]), first.start, first.end);
            return;
        }
        let negation = occs.iter().find(|o| role_of(o, Role::Negation) && within(o));
        let (ss, se) = sent;
        let sentence = &t[ss..se];
        let max_words = self.defs.common.topic_item_max_words;
        if c.regex.is_none() && max_words > 0 && sentence.starts_with("- ") && sentence.split(' ').count() <= max_words + 1 {
            miss(out, "a topic named in a list, not a measure".into(), first.start, first.end);
            return;
        }
        let Some(re) = &c.regex else {
            // A boolean rule without a regex: the trigger is the evidence.
            let v = d.value.unwrap_or(true);
            if let (Some(n), super::OnNegation::Drop) = (negation, d.on_negation) {
                miss(out, format!("dropped by the negation \u{ab}{}\u{bb}", &t[n.start..n.end]), first.start, first.end);
                return;
            }
            let v = if negation.is_some() { !v } else { v };
            out.hits.push(Hit { rule: ri, indicator: c.indicator.id, value: Value::Bool(v), start: first.start, end: first.end, sentence: sent, clause: ci });
            return;
        };
        let mut found = false;
        for caps in re.captures_iter(sentence) {
            let Some(m0) = caps.get(0) else { continue };
            let mut targets: Vec<(&'static spec::Indicator, Option<regex::Match>)> = vec![(c.indicator, caps.name("value"))];
            for (g, ind) in &c.groups {
                targets.push((ind, caps.name(g)));
            }
            for (ind, m) in targets {
                // A group of another alternative of the regex took no part.
                if m.is_none() && ind.kind != Kind::Bool {
                    continue;
                }
                let (s, e) = m.map_or((m0.start(), m0.end()), |m| (m.start(), m.end()));
                let value = match ind.kind {
                    Kind::Bool => Some(Value::Bool(d.value.unwrap_or(true))),
                    Kind::Number => m.and_then(|m| parse_number(m.as_str())).map(|v| {
                        let half = re.capture_names().flatten().filter(|n| n.starts_with("half")).any(|n| caps.name(n).is_some_and(|h| !h.as_str().is_empty()));
                        if half { v + 0.5 } else { v }
                    }).and_then(|v| {
                        if d.min.is_some_and(|lo| v < lo) || d.max.is_some_and(|hi| v > hi) { None } else { serde_json::Number::from_f64(v).map(Value::Number) }
                    }),
                    Kind::Time => m.and_then(|m| values::parse_time(m.as_str())).map(Value::String),
                };
                let Some(value) = value else {
                    miss(out, format!("value \u{ab}{}\u{bb} not parsed or out of bounds", m.map_or("", |m| m.as_str())), ss + s, ss + e);
                    continue;
                };
                if let Some(na) = d.not_after.iter().find(|na| {
                    let before = t[..ss + s].trim_end();
                    before.ends_with(text::fold(na).as_str())
                }) {
                    miss(out, format!("value after \u{ab}{na}\u{bb} is a cap, not the value"), ss + s, ss + e);
                    continue;
                }
                if let Some(n) = negation {
                    if let (Value::Bool(_), super::OnNegation::Drop) = (&value, d.on_negation) {
                        miss(out, format!("dropped by the negation \u{ab}{}\u{bb}", &t[n.start..n.end]), ss + s, ss + e);
                        found = true;
                        continue;
                    }
                    if let Value::Bool(b) = value {
                        out.hits.push(Hit { rule: ri, indicator: ind.id, value: Value::Bool(!b), start: ss + s, end: ss + e, sentence: sent, clause: ci });
                    } else {
                        miss(out, format!("value dropped by the negation \u{ab}{}\u{bb}", &t[n.start..n.end]), ss + s, ss + e);
                    }
                    found = true;
                    continue;
                }
                found = true;
                out.hits.push(Hit { rule: ri, indicator: ind.id, value: normalise_number(value), start: ss + s, end: ss + e, sentence: sent, clause: ci });
            }
        }
        if !found {
            miss(out, "cue found but the regex gave no value".into(), first.start, first.end);
        }
    }
}

static HOURS: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"^(.+?) ?(?:h|heures?)(?: ?([0-9]{1,2})(?: ?min(?:utes)?)?| et (demie))?$").expect("static regex")
});

/// A number from a captured value: a duration in hours ("37 h 30"), a
/// percentage, an amount or a plain number.
fn parse_number(s: &str) -> Option<f64> {
    let s = s.trim();
    if let Some(c) = HOURS.captures(s) {
        if let Some(h) = values::parse_num(&c[1]) {
            let m: f64 = c.get(2).and_then(|m| m.as_str().parse().ok()).unwrap_or(0.0);
            let half = if c.get(3).is_some() { 0.5 } else { 0.0 };
            if m < 60.0 {
                return Some(h + m / 60.0 + half);
            }
        }
    }
    let has = |w: &str| s.contains(w);
    if has("%") || has("pour cent") || has("pourcent") {
        if let Some(v) = values::parse_pct(s) {
            return Some(v);
        }
    }
    if has("€") || has("euro") || has("eur") {
        if let Some(v) = values::parse_eur(s) {
            return Some(v);
        }
    }
    values::parse_num(s)
}

/// Whole numbers are written as integers (3, not 3.0) so that files read the
/// same as the texts.
pub fn normalise_number(v: Value) -> Value {
    if let Value::Number(n) = &v {
        if let Some(f) = n.as_f64() {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                return Value::from(f as i64);
            }
            return Value::from((f * 10_000.0).round() / 10_000.0);
        }
    }
    v
}
