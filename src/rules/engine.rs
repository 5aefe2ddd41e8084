//! Compiled rules -> hits over a document.
//!
//! Every literal of every rule and theme (triggers, cues, proximity,
//! negation and exclusion phrases) goes into one Aho-Corasick automaton run
//! once over the folded text; regexes then run only on the sentences where
//! a rule's trigger was found. The cost of a document is one linear scan
//! plus a little work per candidate sentence, whatever the number of rules.

use super::{themes, RuleDef, RuleDefs};
use crate::values;
use crate::segment::{self, Clause};
use crate::spec::{self, Kind};
use crate::text::{self, slice, Folded};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, AhoCorasickKind, MatchKind};
use regex::Regex;
use serde_json::Value;

/// Expands the value placeholders of a rule regex.
pub fn expand(re: &str) -> String {
    // Amounts and rates may be written in words ("trente euros", "six et
    // demi pour cent"): {EUR} and {PCT} bring a {NUM}, so they are
    // expanded first. A value in words may be restated in digits ("trois
    // euros (3 €)", "vingt heures trente (20 h 30)"): the restatement is
    // part of it.
    re.replace("{PCT}", &format!("(?:{}|{{NUM}}(?: et demie?)? pour ?cent)", values::PCT))
        .replace("{EUR}", &format!("(?:(?:{eur}|{{NUM}} euros?(?: et {{NUM}} centimes?)?(?-u:\\b))(?: \\((?:{eur})\\))?)", eur = values::EUR))
        .replace("{NUM}", values::NUM)
        .replace("{TIME}", &format!("(?:{time}(?: \\((?:{time})\\))?)", time = values::TIME))
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
    /// A cue of a kind of sentence (index into `RuleSet::kinds`).
    KindCue(usize),
    /// A cue of a kind that counts in a clause heading.
    KindHeading(usize),
    /// A phrase that undoes a kind.
    KindUnless(usize),
    /// A phrase that ends the reach of a kind's cue (`until`).
    KindUntil(usize),
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
    /// The rule's `not_after` phrases folded once, in the rule's order.
    not_after: Vec<String>,
}

/// Rules compiled for matching.
pub struct RuleSet {
    pub defs: RuleDefs,
    compiled: Vec<Compiled>,
    ac: AhoCorasick,
    prefix: Vec<bool>,
    owners: Vec<Vec<Owner>>,
    /// The kinds of sentence of `[common.kinds]`, in name order.
    kinds: Vec<(String, super::KindDef)>,
    /// Their patterns, compiled.
    kind_patterns: Vec<Option<Regex>>,
}

/// Where one kind of sentence holds in a sentence: the folded range it
/// reaches (the whole sentence unless the kind reaches only what follows
/// its cue, up to an `until` phrase), and the cue that made it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct KindSpan {
    pub from: usize,
    pub to: usize,
    pub cue: (usize, usize),
}

/// The kinds of one sentence: per kind of `[common.kinds]`, the spans
/// where it holds (none: the sentence is not of that kind).
pub type SentenceKinds = Vec<Vec<KindSpan>>;

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
        let kinds: Vec<(String, super::KindDef)> = defs.common.kinds.iter().map(|(n, k)| (n.clone(), k.clone())).collect();
        for (ki, (_, k)) in kinds.iter().enumerate() {
            for c in &k.cues {
                add(c, Owner { role: Role::KindCue(ki), rule: usize::MAX });
            }
            for c in &k.heading {
                add(c, Owner { role: Role::KindHeading(ki), rule: usize::MAX });
            }
            for c in &k.unless {
                add(c, Owner { role: Role::KindUnless(ki), rule: usize::MAX });
            }
            for c in &k.until {
                add(c, Owner { role: Role::KindUntil(ki), rule: usize::MAX });
            }
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
            let not_after = d.not_after.iter().map(|na| text::fold(na)).collect();
            compiled.push(Compiled { regex, indicator, groups, not_after });
        }
        let ac = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .kind(Some(AhoCorasickKind::DFA))
            .build(&literals)
            .map_err(|e| super::RuleErrors(vec![super::RuleError { file: "rules".into(), line: 0, message: format!("keyword automaton: {e}") }]))?;
        let mut kind_patterns = Vec::new();
        for (name, k) in &kinds {
            let p = match &k.pattern {
                Some(p) => Some(Regex::new(p).map_err(|e| {
                    super::RuleErrors(vec![super::RuleError { file: defs.common_file.clone(), line: k.line, message: format!("kind {name}: pattern: {e}") }])
                })?),
                None => None,
            };
            kind_patterns.push(p);
        }
        Ok(RuleSet { defs, compiled, ac, prefix, owners, kinds, kind_patterns })
    }

    /// The names of the kinds of sentence, in the order of [`SentenceKinds`].
    pub fn kind_names(&self) -> impl Iterator<Item = &str> {
        self.kinds.iter().map(|(n, _)| n.as_str())
    }

    /// What kinds a sentence is, from the cues in it (`sent`), in the
    /// lead-in of the list it is an item of (`lead`) and in the heading of
    /// its clause (`heading`). Computed once per sentence, whatever the
    /// number of rules that look at it.
    fn sentence_kinds(&self, t: &str, (start, end): (usize, usize), lead_span: Option<(usize, usize)>, sent: &[Occ], lead: &[Occ], heading: &[Occ]) -> SentenceKinds {
        // Every span where a kind holds; a kind holds at an offset if any
        // of its spans covers it.
        let mut spans: Vec<Vec<KindSpan>> = vec![Vec::new(); self.kinds.len()];
        let mut undone = vec![false; self.kinds.len()];
        for o in sent.iter().chain(lead) {
            for w in &self.owners[o.pat] {
                if let Role::KindUnless(ki) = w.role {
                    undone[ki] = true;
                }
            }
        }
        let whole = |o: (usize, usize)| KindSpan { from: start, to: end, cue: o };
        // A cue in the sentence of a kind that reaches only what follows it:
        // up to the next `until` phrase of the kind, or the sentence's end.
        let reach = |ki: usize, o: (usize, usize)| {
            if !self.kinds[ki].1.after {
                return whole(o);
            }
            let to = sent
                .iter()
                .find(|u| u.start >= o.1 && self.owners[u.pat].iter().any(|w| w.role == Role::KindUntil(ki)))
                .map_or(end, |u| u.start);
            KindSpan { from: o.0, to, cue: o }
        };
        for o in lead {
            for w in &self.owners[o.pat] {
                if let Role::KindCue(ki) = w.role {
                    spans[ki].push(whole((o.start, o.end)));
                }
            }
        }
        for o in heading {
            for w in &self.owners[o.pat] {
                if let Role::KindHeading(ki) = w.role {
                    spans[ki].push(whole((o.start, o.end)));
                }
            }
        }
        for o in sent {
            for w in &self.owners[o.pat] {
                if let Role::KindCue(ki) = w.role {
                    spans[ki].push(reach(ki, (o.start, o.end)));
                }
            }
        }
        for (ki, re) in self.kind_patterns.iter().enumerate() {
            let Some(re) = re else { continue };
            if let Some((a, b)) = lead_span {
                if let Some(m) = re.find(slice::range(t, a, b)) {
                    spans[ki].push(whole((a + m.start(), a + m.end())));
                }
            }
            for m in re.find_iter(slice::range(t, start, end)) {
                spans[ki].push(reach(ki, (start + m.start(), start + m.end())));
            }
        }
        spans.into_iter().zip(undone).map(|(s, u)| if u { Vec::new() } else { s }).collect()
    }

    /// The kinds of each sentence of a short text, as `tag` sees them
    /// (used to run the kinds' examples).
    pub fn kinds_of(&self, folded: &Folded, orig: &str) -> Vec<SentenceKinds> {
        let clauses = segment::clauses(orig);
        let mut out = Vec::new();
        self.walk(folded, orig, &clauses, |_, ctx| out.push(ctx.kinds.clone()));
        out
    }

    /// The first kind that keeps rule `ri` from giving a value of type `vt`
    /// at folded offset `at`, if any.
    fn dropping_kind(&self, ri: usize, vt: super::ValueType, kinds: &SentenceKinds, at: usize) -> Option<(usize, KindSpan)> {
        let d = &self.defs.rules[ri].def;
        kinds.iter().enumerate().find_map(|(ki, spans)| {
            let (name, def) = &self.kinds[ki];
            let drops = (def.drops.contains(&vt) || d.drop_in.contains(name)) && !d.keep_in.contains(name);
            if !drops {
                return None;
            }
            spans.iter().find(|k| k.from <= at && at < k.to.max(k.from + 1)).map(|k| (ki, *k))
        })
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
        // Each clause's cues and kind, and its scores before the text's
        // main theme is known (see `price_of` in themes.rs).
        let mut weighed: Vec<(Vec<themes::Cue>, themes::ClauseKind)> = Vec::with_capacity(clauses.len());
        let mut text_scores: Vec<Vec<usize>> = Vec::with_capacity(clauses.len());
        let mut oi = 0;
        for (ci, c) in clauses.iter().enumerate() {
            let (cs, ce) = ranges[ci];
            let heading_end = slice::range(orig, c.start, c.end).find('\n').map_or(c.end, |p| c.start + p);
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
            for &(start, end, th, strong) in &counted {
                score[th] += if strong { 2 } else { 1 };
                if start < he && has_heading {
                    in_heading[th] = true;
                }
                weighted.push(themes::Cue { start, end, theme: th, weight: if strong { 2 } else { 1 } });
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
                words: slice::range(t, cs, ce).split_ascii_whitespace().count(),
                untitled: c.title.trim().is_empty(),
            };
            let ws = themes::weighted_scores(&weighted, &kind, &units, t, &self.defs.themes, themes::Pricing::All);
            text_scores.push(if kind.excluded { Vec::new() } else { ws });
            weighed.push((weighted, kind));
            let top = score.iter().copied().max().unwrap_or(0);
            out.scope_themes.push(if kind.excluded {
                Vec::new()
            } else {
                (0..score.len()).filter(|&ti| score[ti] >= self.defs.themes[ti].min_cues.unwrap_or(3) && score[ti] * 4 >= top).collect()
            });
            out.clause_scores.push(score);
            out.clause_rules.push(Vec::new());
        }
        let text_main = themes::text_main(&text_scores, self.defs.themes.len());
        for (weighted, kind) in &weighed {
            let pricing = text_main.map_or(themes::Pricing::Off, themes::Pricing::Text);
            let ws = themes::weighted_scores(weighted, kind, &units, t, &self.defs.themes, pricing);
            out.clause_themes.push(themes::select(&ws, kind, &self.defs.themes));
        }

        // Rule scopes read their own themes, apart from the output's.
        let scope_themes = std::mem::take(&mut out.scope_themes);
        let clause_scores = std::mem::take(&mut out.clause_scores);
        self.walk_with(folded, orig, clauses, &ranges, &occs, false, |ctx| {
            if (ctx.occs.is_empty() && ctx.lead.is_none()) || clauses.get(ctx.clause).is_some_and(|c| c.signature || c.boilerplate) {
                return;
            }
            // A list item is read with its lead-in ("Le nombre de jours de
            // télétravail est fixé comme suit, par semaine :\n- salariés à
            // temps plein : deux jours ;"): a value rule triggered there runs.
            let lead_occs = ctx.lead.map_or(&[][..], |l| l.1);
            let mut rules_here: Vec<usize> = ctx
                .occs
                .iter()
                .flat_map(|o| self.owners[o.pat].iter().filter(|w| w.role == Role::Trigger).map(|w| w.rule))
                .chain(lead_occs.iter().flat_map(|o| self.owners[o.pat].iter().filter(|w| w.role == Role::Trigger && self.compiled[w.rule].regex.is_some()).map(|w| w.rule)))
                .collect();
            rules_here.sort_unstable();
            rules_here.dedup();
            for ri in rules_here {
                self.apply(ri, ctx, clauses, t, (&scope_themes, &clause_scores), all_scopes, &mut out);
            }
        });
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

}

/// One sentence as rules see it: its span, its clause, the literals in it,
/// its context (the lead-in of its list and its clause heading) and its kinds.
pub(crate) struct SentCtx<'a> {
    span: (usize, usize),
    clause: usize,
    occs: &'a [Occ],
    context: Vec<Occ>,
    kinds: SentenceKinds,
    /// For a list item: its lead-in, as a span and its literals.
    lead: Option<((usize, usize), &'a [Occ])>,
    /// The lead is the previous sentence, referred back to ("Ce plafond …").
    anaphor: bool,
}

impl RuleSet {
    fn walk(&self, folded: &Folded, orig: &str, clauses: &[Clause], mut f: impl FnMut(usize, &SentCtx)) {
        let ranges: Vec<(usize, usize)> = clauses.iter().map(|c| (folded.folded_pos(c.start), folded.folded_pos(c.end))).collect();
        let occs = self.occurrences(&folded.text);
        let mut i = 0;
        self.walk_with(folded, orig, clauses, &ranges, &occs, true, |ctx| {
            f(i, ctx);
            i += 1;
        });
    }

    /// Cuts the text into sentences and hands each, with its context and
    /// kinds, to `f`.
    /// `all`: compute the kinds of every sentence, not only of those with
    /// a literal of the rules in them.
    #[allow(clippy::too_many_arguments)]
    fn walk_with(&self, folded: &Folded, orig: &str, clauses: &[Clause], ranges: &[(usize, usize)], occs: &[Occ], all: bool, mut f: impl FnMut(&SentCtx)) {
        let t = folded.text.as_str();
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
                if let Some(nl) = slice::range(orig, c.start, c.end).find('\n') {
                    // A first line that runs on into a line in lower case
                    // ("4.1 Les salariés bénéficient de quinze (15) jours
                    // de\nréduction du temps de travail"), or that ends on a
                    // word no heading ends on ("… individuelles de\n1,8 %"),
                    // is a sentence wrapped by the layout, not a heading.
                    let next = slice::range(orig, c.start + nl, c.end).trim_start().chars().next();
                    let last = slice::range(orig, c.start, c.start + nl).trim_end().rsplit([' ', '\'', '\u{2019}']).next().unwrap_or("");
                    if !next.is_some_and(char::is_lowercase) && !RUNS_ON.contains(&last.to_lowercase().as_str()) {
                        let he = folded.folded_pos(c.start + nl);
                        cuts.push(he);
                        h.1 = he;
                    }
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

        let mut oi = 0;
        let mut ci = 0;
        // The lead-in of the current list ("... demandent :"), as a range of
        // `occs`, while the sentences that follow are its items.
        let mut lead: (usize, usize) = (0, 0);
        let mut lead_sent = 0;
        for (si, &(ss, se)) in sents.iter().enumerate() {
            let is_item = is_list_item(slice::range(t, ss, se));
            let prev_lead = si > 0 && slice::range(t, sents[si - 1].0, sents[si - 1].1).trim_end().ends_with(':');
            while ci + 1 < ranges.len() && ranges[ci].1 <= ss {
                ci += 1;
            }
            // A sentence that refers back to the previous one of its clause
            // ("Ce plafond est porté à trois jours") is read with it, as a
            // list item with its lead-in; not across a heading line.
            let anaphor = !is_item
                && !prev_lead
                && si > 0
                && sents[si - 1].0 >= ranges[ci].0
                && ANAPHOR.is_match(slice::range(t, ss, se));
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
                lead_sent = si - 1;
            } else if !is_item {
                lead = (0, 0);
            }
            // The context of a sentence: the lead-in of its list and the
            // heading of its clause ("Revendications syndicales").
            let back = if anaphor {
                let (ps, pe) = sents[si - 1];
                let a = occs.partition_point(|o| o.start < ps);
                let b = occs.partition_point(|o| o.end <= pe && o.start < pe);
                (a, b.max(a))
            } else {
                lead
            };
            let lead_occs: &[Occ] = if is_item || prev_lead || anaphor { &occs[back.0..back.1] } else { &[] };
            let (hs, he) = headings.get(ci).copied().unwrap_or((0, 0));
            let heading_occs: &[Occ] = if he > hs && ss >= he {
                let a = occs.partition_point(|o| o.start < hs);
                let b = a + occs[a..].iter().take_while(|o| o.start < he).count();
                &occs[a..b]
            } else {
                &[]
            };
            let lead_span = if anaphor { Some(sents[si - 1]) } else { (is_item || prev_lead).then(|| (sents[lead_sent].0, sents[lead_sent].1)) };
            // The headings of the clauses that enclose this one count for
            // kinds too ("3. Demandes des organisations syndicales" over
            // "3.2 – Le syndicat demande :").
            let mut kind_heading = heading_occs.to_vec();
            if !in_sent.is_empty() || is_item || all {
                for a in segment::ancestors(clauses, ci) {
                    let (hs, he) = headings[a];
                    let i = occs.partition_point(|o| o.start < hs);
                    kind_heading.extend(occs[i..].iter().take_while(|o| o.start < he));
                }
            }
            // The sentence referred to lends its cue, not its kind: "La loi
            // fixe … Ce plafond est porté à …" is the text's own measure.
            let (kind_span, kind_lead) = if anaphor { (None, &[][..]) } else { (lead_span, lead_occs) };
            let kinds = if in_sent.is_empty() && !is_item && !anaphor && !all { vec![Vec::new(); self.kinds.len()] } else { self.sentence_kinds(t, (ss, se), kind_span, in_sent, kind_lead, &kind_heading) };
            let mut context = lead_occs.to_vec();
            context.extend_from_slice(heading_occs);
            let lead = lead_span.filter(|_| is_item || anaphor).map(|span| (span, lead_occs));
            f(&SentCtx { span: (ss, se), clause: ci, occs: in_sent, context, kinds, lead, anaphor });
        }
    }

    #[allow(clippy::too_many_arguments)]
    fn apply(&self, ri: usize, ctx: &SentCtx, clauses: &[Clause], t: &str, (themes, scores): (&[Vec<usize>], &[Vec<usize>]), all_scopes: bool, out: &mut Tagged) {
        let (occs, lead, sent, ci) = (ctx.occs, ctx.context.as_slice(), ctx.span, ctx.clause);
        let d = &self.defs.rules[ri].def;
        let c = &self.compiled[ri];
        let role_of = |o: &Occ, role: Role| self.owners[o.pat].iter().any(|w| w.rule == ri && w.role == role);
        let mut triggers: Vec<&Occ> = occs.iter().filter(|o| role_of(o, Role::Trigger)).collect();
        // Triggered only in the lead-in of its list: the item is read with it.
        let from_lead = triggers.is_empty();
        if from_lead {
            triggers = ctx.lead.map_or(&[][..], |l| l.1).iter().filter(|o| role_of(o, Role::Trigger)).collect();
        }
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
            slice::range(t, lo, hi).bytes().filter(|&x| x == b' ').count()
        };
        // A sentence referring back ("Son montant …") stands for its cue:
        // what it says is near the cue.
        let within = |o: &Occ| (from_lead && ctx.anaphor && o.start >= sent.0) || d.window.is_none_or(|w| triggers.iter().any(|tr| words_between(tr, o) <= w));
        if let Some(x) = occs.iter().find(|o| role_of(o, Role::Exclude) && within(o)).or_else(|| lead.iter().find(|o| role_of(o, Role::Exclude))) {
            miss(out, format!("excluded by \u{ab}{}\u{bb}", slice::range(t, x.start, x.end)), x.start, x.end);
            return;
        }
        if !d.near.is_empty() && !occs.iter().any(|o| role_of(o, Role::Near) && within(o)) {
            miss(out, format!("no \u{ab}{}\u{bb} near the cue", d.near.join("\u{bb} / \u{ab}")), first.start, first.end);
            return;
        }
        let kind_miss = |out: &mut Tagged, (ki, k): (usize, KindSpan), s: usize, e: usize| {
            miss(out, format!("a sentence of kind {} (\u{ab}{}\u{bb}) states no value", self.kinds[ki].0, slice::range(t, k.cue.0, k.cue.1)), s, e);
        };
        let negation = occs.iter().find(|o| role_of(o, Role::Negation) && within(o));
        let (ss, se) = sent;
        let sentence = slice::range(t, ss, se);
        let max_words = self.defs.common.topic_item_max_words;
        if c.regex.is_none() && max_words > 0 && sentence.starts_with("- ") && sentence.split(' ').count() <= max_words + 1 {
            miss(out, "a topic named in a list, not a measure".into(), first.start, first.end);
            return;
        }
        let Some(re) = &c.regex else {
            // A boolean rule without a regex: the trigger is the evidence.
            // A trigger right after a `not_after` phrase ("en cas
            // d'horaires individualisés") names a case, not a measure.
            let after_cap = |o: &&Occ| {
                let before = slice::prefix(t, o.start).trim_end();
                c.not_after.iter().position(|na| before.ends_with(na.as_str())).map(|i| &d.not_after[i])
            };
            if let Some(na) = after_cap(first).filter(|_| triggers.iter().all(|o| after_cap(o).is_some())) {
                miss(out, format!("trigger after \u{ab}{na}\u{bb}: a case, not a measure"), first.start, first.end);
                return;
            }
            if let Some(k) = self.dropping_kind(ri, super::ValueType::of(c.indicator.kind), &ctx.kinds, first.start) {
                kind_miss(out, k, first.start, first.end);
                return;
            }
            let v = d.value.unwrap_or(true);
            if let (Some(n), super::OnNegation::Drop) = (negation, d.on_negation) {
                miss(out, format!("dropped by the negation \u{ab}{}\u{bb}", slice::range(t, n.start, n.end)), first.start, first.end);
                return;
            }
            let v = if negation.is_some() { !v } else { v };
            out.hits.push(Hit { rule: ri, indicator: c.indicator.id, value: Value::Bool(v), start: first.start, end: first.end, sentence: sent, clause: ci });
            return;
        };
        let mut found = false;
        // The sentence alone first; for a list item that gives nothing, the
        // item read after its lead-in, keeping only values in the item.
        let mut passes: Vec<(std::borrow::Cow<str>, usize)> = Vec::new();
        if !from_lead {
            passes.push((sentence.into(), 0));
        }
        if let Some(((ls, le), lead_occs)) = ctx.lead {
            // A sentence referred back to ("Une enveloppe de rattrapage est
            // constituée. Son montant …") lends the phrases of the rules it
            // holds, in order, as if they stood for the demonstrative: the
            // rule's regex reads "enveloppe rattrapage son montant …".
            let lead_text = if ctx.anaphor {
                let mut words: Vec<&str> = Vec::new();
                let mut last = 0;
                for o in lead_occs {
                    if o.start >= last {
                        words.push(slice::range(t, o.start, o.end));
                        last = o.end;
                    }
                }
                words.join(" ")
            } else {
                slice::range(t, ls, le).to_string()
            };
            let offset = lead_text.len() + 1;
            passes.push((format!("{lead_text} {sentence}").into(), offset));
        }
        for (haystack, offset) in &passes {
            if found {
                break;
            }
            let offset = *offset;
            // Folded offset of a haystack offset; `None` inside the lead-in.
            let at = |x: usize| x.checked_sub(offset).map(|x| ss + x);
            for caps in re.captures_iter(haystack) {
                let Some(m0) = caps.get(0) else { continue };
                let mut targets: Vec<(&'static spec::Indicator, Option<regex::Match>)> = vec![(c.indicator, caps.name("value"))];
                for (g, ind) in &c.groups {
                    targets.push((ind, caps.name(g)));
                }
                // A time out of the rule's bounds (a daytime range where an
                // evening period is meant) takes the whole match with it.
                if let (Kind::Time, Some(m)) = (c.indicator.kind, targets[0].1) {
                    let h = values::parse_time(strip_restatement(m.as_str())).and_then(|v| time_hours(&v));
                    if h.is_some_and(|h| d.min.is_some_and(|lo| h < lo) || d.max.is_some_and(|hi| h > hi)) {
                        let (a, b) = (at(m.start()).unwrap_or(ss), at(m.end()).unwrap_or(ss));
                        miss(out, format!("time \u{ab}{}\u{bb} out of the rule's bounds", m.as_str()), a, b);
                        found = true;
                        continue;
                    }
                }
                for (ind, m) in targets {
                    // A group of another alternative of the regex took no part.
                    if m.is_none() && ind.kind != Kind::Bool {
                        continue;
                    }
                    let (s, e) = m.map_or((m0.start(), m0.end()), |m| (m.start(), m.end()));
                    // A value in the lead-in is the lead-in's, not the item's.
                    let (Some(s), Some(e)) = (at(s), at(e)) else { continue };
                    let (s, e) = (s - ss, e - ss);
                    let value = match ind.kind {
                        Kind::Bool => Some(Value::Bool(d.value.unwrap_or(true))),
                        Kind::Number => m.and_then(|m| parse_number(m.as_str())).map(|v| {
                            let half = re.capture_names().flatten().filter(|n| n.starts_with("half")).any(|n| caps.name(n).is_some_and(|h| !h.as_str().is_empty()));
                            if half { v + 0.5 } else { v }
                        }).and_then(|v| {
                            if d.min.is_some_and(|lo| v < lo) || d.max.is_some_and(|hi| v > hi) { None } else { serde_json::Number::from_f64(v).map(Value::Number) }
                        }),
                        Kind::Time => m.and_then(|m| values::parse_time(strip_restatement(m.as_str()))).map(Value::String),
                    };
                    let Some(value) = value else {
                        miss(out, format!("value \u{ab}{}\u{bb} not parsed or out of bounds", m.map_or("", |m| m.as_str())), ss + s, ss + e);
                        continue;
                    };
                    if let Some(k) = self.dropping_kind(ri, super::ValueType::of(ind.kind), &ctx.kinds, ss + s) {
                        kind_miss(out, k, ss + s, ss + e);
                        found = true;
                        continue;
                    }
                    let before = slice::prefix(t, ss + s).trim_end();
                    if let Some(na) = c.not_after.iter().position(|na| before.ends_with(na.as_str())).map(|i| &d.not_after[i]) {
                        miss(out, format!("value after \u{ab}{na}\u{bb} is a cap, not the value"), ss + s, ss + e);
                        continue;
                    }
                    if let Some(n) = negation {
                        if let (Value::Bool(_), super::OnNegation::Drop) = (&value, d.on_negation) {
                            miss(out, format!("dropped by the negation \u{ab}{}\u{bb}", slice::range(t, n.start, n.end)), ss + s, ss + e);
                            found = true;
                            continue;
                        }
                        if let Value::Bool(b) = value {
                            out.hits.push(Hit { rule: ri, indicator: ind.id, value: Value::Bool(!b), start: ss + s, end: ss + e, sentence: sent, clause: ci });
                        } else {
                            miss(out, format!("value dropped by the negation \u{ab}{}\u{bb}", slice::range(t, n.start, n.end)), ss + s, ss + e);
                        }
                        found = true;
                        continue;
                    }
                    found = true;
                    out.hits.push(Hit { rule: ri, indicator: ind.id, value: normalise_number(value), start: ss + s, end: ss + e, sentence: sent, clause: ci });
                }
            }
        }
        if !found {
            miss(out, "cue found but the regex gave no value".into(), first.start, first.end);
        }
    }
}

/// A sentence opening on a demonstrative or possessive that names an amount
/// ("ce plafond", "son montant", "cette enveloppe") refers back to the
/// previous sentence.
static ANAPHOR: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"^(ce|cet|cette|ces|son|sa|ses|leur|leurs) (plafond|nombre|montant|taux|enveloppe|budget|volume|forfait|quota|contingent|cr[eé]dit|pourcentage|indemnit[eé]|allocation|prime|abondement|limite|maximum)s?\b").expect("static regex")
});

/// Words a heading never ends on: a first line ending on one runs on.
const RUNS_ON: &[&str] = &["de", "du", "des", "d", "a", "au", "aux", "et", "ou", "la", "le", "les", "l", "en", "pour", "par", "sur", "un", "une", "que", "qui", "dont", "avec", "dans", "est", "sont"];

static ITEM: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"^(?:-{1,2} |(?:[a-h]|[0-9]{1,2}|[ivx]{1,4})°?\) |[0-9]{1,2}° )").expect("static regex")
});

/// A list item: "- …", "a) …", "1°) …", "ii) …".
fn is_list_item(s: &str) -> bool {
    ITEM.is_match(s)
}

static HOURS: std::sync::LazyLock<Regex> = std::sync::LazyLock::new(|| {
    Regex::new(r"^(.+?) ?(?:h|heures?)(?: ?([0-9]{1,2})(?: ?min(?:utes)?)?| et (demie))?$").expect("static regex")
});

/// Hours since midnight of an "HH:MM" time.
fn time_hours(v: &str) -> Option<f64> {
    let (h, m) = v.split_once(':')?;
    Some(h.parse::<f64>().ok()? + m.parse::<f64>().ok()? / 60.0)
}

/// A value written twice, in words then in digits ("vingt heures trente
/// (20 h 30)", "trois euros (3 €)"): the digits in the parentheses.
fn strip_restatement(s: &str) -> &str {
    let s = s.trim();
    match (s.rfind('('), s.ends_with(')')) {
        (Some(open), true) if slice::range(s, open + 1, s.len() - 1).bytes().any(|b| b.is_ascii_digit()) => slice::range(s, open + 1, s.len() - 1).trim(),
        _ => s,
    }
}

/// A number from a captured value: a duration in hours ("37 h 30"), a
/// percentage, an amount or a plain number.
fn parse_number(s: &str) -> Option<f64> {
    let s = strip_restatement(s);
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
        // "six et demi pour cent"
        if let Some(v) = values::word_number(s.replace("pourcent", "").replace("pour cent", "").trim()) {
            return Some(v);
        }
    }
    if let Some((e, c)) = s.split_once(" et ").filter(|(_, c)| c.contains("centime")) {
        // "deux euros et vingt centimes"
        let cents = values::parse_num(c.trim_end_matches('s').trim_end_matches("centime").trim())?;
        return values::parse_eur(e).map(|v| v + cents / 100.0);
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

#[cfg(test)]
mod tests {
    use super::*;

    const COMMON: &str = r#"
[common.kinds.reminder]
drops = ["bool", "number", "time"]
cues = ["il est rappele"]
unless = ["present accord"]

[common.kinds.demand]
drops = ["bool", "number"]
cues = ["revendications"]
heading = ["revendications"]
pattern = '''syndicats (?:ont )?demande'''

[common.kinds.old]
drops = ["number"]
after = true
cues = ["au lieu de"]
"#;

    const RULES: &str = r#"
[[rule]]
id = "T-1"
indicator = "time_savings_account"
description = "d"
keywords = ["compte epargne-temps"]
examples = [{ text = "Un compte épargne-temps est créé.", value = true }]

[[rule]]
id = "T-2"
indicator = "telework_days_per_week"
description = "d"
keywords = ["par semaine"]
regex = '''(?P<value>{NUM}) jours? par semaine'''
examples = [{ text = "2 jours par semaine", value = 2 }]

[[rule]]
id = "T-4"
indicator = "rtt_days"
description = "d"
keywords = ["par an"]
regex = '''par an ?: -{1,2} [^.;:]{0,40}: (?P<value>{NUM}) jours'''
examples = [{ text = "Les jours sont fixés ainsi, par an :\n- cadres : 12 jours ;", value = 12 }]

[[rule]]
id = "T-5"
indicator = "pay_gap_budget_pct"
description = "d"
keywords = ["enveloppe"]
regex = '''enveloppe[^.;]{0,80}?(?P<value>{PCT})'''
examples = [{ text = "Une enveloppe de 0,3 % est consacrée au rattrapage.", value = 0.3 }]

[[rule]]
id = "T-3"
indicator = "profit_sharing"
description = "d"
keywords = ["accord d'interessement"]
keep_in = ["reminder"]
examples = [{ text = "Un accord d'intéressement est conclu.", value = true }]
"#;

    fn set() -> RuleSet {
        let defs = super::super::parse_files(vec![("common.toml".into(), COMMON.into()), ("t.toml".into(), RULES.into())]).unwrap_or_else(|e| panic!("{e}"));
        RuleSet::new(defs).unwrap_or_else(|e| panic!("{e}"))
    }

    fn values(rules: &RuleSet, text: &str, indicator: &str) -> Vec<Value> {
        let folded = Folded::new(text);
        let clauses = segment::clauses(text);
        rules.tag(&folded, text, &clauses, true).hits.into_iter().filter(|h| h.indicator == indicator).map(|h| h.value).collect()
    }

    fn kinds(rules: &RuleSet, text: &str) -> Vec<String> {
        crate::rules::examples::kinds_of_last(rules, text)
    }

    #[test]
    fn a_kind_drops_the_types_it_names() {
        let r = set();
        assert!(values(&r, "Il est rappelé qu'un compte épargne-temps peut être ouvert.", "time_savings_account").is_empty());
        assert!(values(&r, "Il est rappelé que le télétravail est limité à 2 jours par semaine.", "telework_days_per_week").is_empty());
        assert_eq!(values(&r, "Un compte épargne-temps est ouvert à chaque salarié.", "time_savings_account"), vec![Value::Bool(true)]);
    }

    #[test]
    fn unless_undoes_a_kind() {
        let r = set();
        assert_eq!(kinds(&r, "Il est rappelé que le présent accord ouvre un compte épargne-temps."), Vec::<String>::new());
        assert_eq!(values(&r, "Il est rappelé que le présent accord ouvre un compte épargne-temps.", "time_savings_account"), vec![Value::Bool(true)]);
    }

    #[test]
    fn keep_in_lets_a_rule_fire_in_a_kind() {
        let r = set();
        assert_eq!(values(&r, "Il est rappelé que l'accord d'intéressement du 3 mai 2021 reste en vigueur.", "profit_sharing"), vec![Value::Bool(true)]);
    }

    #[test]
    fn a_list_item_takes_the_kind_of_its_lead_in() {
        let r = set();
        let text = "Les organisations syndicales ont présenté leurs revendications :\n- un compte épargne-temps ;\n- trois jours par semaine de télétravail.";
        assert_eq!(kinds(&r, text), vec!["demand".to_string()]);
        assert!(values(&r, text, "time_savings_account").is_empty());
        assert!(values(&r, text, "telework_days_per_week").is_empty());
        // An enumerated item ("a)") is an item too.
        assert_eq!(kinds(&r, "Leurs revendications sont :\na) un compte épargne-temps ;"), vec!["demand".to_string()]);
        // The list ends with the first sentence that is no item.
        assert!(kinds(&r, "Leurs revendications sont :\n- un compte ;\nUn compte épargne-temps est créé.").is_empty());
    }

    #[test]
    fn a_list_item_is_read_with_its_lead_in() {
        let r = set();
        let text = "Les jours de repos sont fixés ainsi, par an :\n- cadres : 12 jours ;\n- autres salariés : 10 jours.";
        assert_eq!(values(&r, text, "rtt_days"), vec![Value::from(12), Value::from(10)]);
        // The list ends with the first sentence that is no item.
        assert!(values(&r, "Les jours sont fixés ainsi, par an :\n- cadres : 12 jours ;\nLes autres : 10 jours.", "rtt_days").len() == 1);
    }

    #[test]
    fn a_sentence_referring_back_is_read_with_the_previous_one() {
        let r = set();
        let v = |t| values(&r, t, "pay_gap_budget_pct");
        assert_eq!(v("Une enveloppe de rattrapage est constituée. Son montant est égal à 0,2 % de la masse salariale."), vec![Value::from(0.2)]);
        // No demonstrative or possessive: the sentence stands alone.
        assert!(v("Une enveloppe de rattrapage est constituée. Le taux d'absentéisme est de 4 %.").is_empty());
        // The previous sentence lends its cue, not its values.
        assert_eq!(v("Une enveloppe de 0,3 % est constituée. Son montant est revu chaque année."), vec![Value::from(0.3)]);
        // Not across clauses.
        assert!(v("Article 1 Enveloppe\nUne enveloppe de rattrapage est constituée.\nArticle 2 Absences\nSon montant est égal à 4 % du salaire.").is_empty());
        // Nor with the kind of the sentence referred to: the law's cap is
        // recalled, the agreement's own is set.
        assert_eq!(v("Il est rappelé que la loi prévoit une enveloppe. Son montant est fixé à 0,5 % de la masse salariale."), vec![Value::from(0.5)]);
    }

    #[test]
    fn a_heading_cue_makes_its_clause_a_kind() {
        let r = set();
        let text = "Article 2 – Revendications\nUn compte épargne-temps serait créé.";
        assert_eq!(kinds(&r, text), vec!["demand".to_string()]);
        assert!(values(&r, text, "time_savings_account").is_empty());
    }

    #[test]
    fn a_pattern_cue_counts() {
        let r = set();
        assert_eq!(kinds(&r, "Les syndicats ont demandé trois jours par semaine."), vec!["demand".to_string()]);
        assert!(values(&r, "Les syndicats ont demandé trois jours par semaine.", "telework_days_per_week").is_empty());
    }

    #[test]
    fn an_after_kind_reaches_only_what_follows_its_cue() {
        let r = set();
        let got = values(&r, "Le télétravail passe à 3 jours par semaine au lieu de 1 jour par semaine.", "telework_days_per_week");
        assert_eq!(got, vec![Value::from(3)]);
    }

    #[test]
    fn restated_values_read_the_digits() {
        assert_eq!(parse_number("trois euros (3 €)"), Some(3.0));
        assert_eq!(parse_number("trente-sept heures trente minutes (37 h 30)"), Some(37.5));
        assert_eq!(parse_number("deux euros et vingt centimes"), Some(2.2));
        assert_eq!(parse_number("six et demi pour cent"), Some(6.5));
        assert_eq!(strip_restatement("vingt heures trente (20 h 30)"), "20 h 30");
        assert_eq!(strip_restatement("(voir ci-dessous)"), "(voir ci-dessous)");
        assert_eq!(time_hours("20:30"), Some(20.5));
    }

    #[test]
    fn unknown_kinds_and_bad_patterns_are_errors() {
        let bad = RULES.replace(r#"keep_in = ["reminder"]"#, r#"keep_in = ["remindr"]"#);
        let errs = super::super::parse_files(vec![("common.toml".into(), COMMON.into()), ("t.toml".into(), bad)]).unwrap_err().0;
        assert!(errs.iter().any(|e| e.message.contains("remindr")), "{errs:?}");
        let bad = COMMON.replace("syndicats (?:ont )?demande", "syndicats (");
        let errs = super::super::parse_files(vec![("common.toml".into(), bad), ("t.toml".into(), RULES.into())]).unwrap_err().0;
        assert!(errs.iter().any(|e| e.message.contains("pattern does not compile") && e.line == 7), "{errs:?}");
        let bad = COMMON.replace(r#"drops = ["number"]"#, "drops = []");
        let errs = super::super::parse_files(vec![("common.toml".into(), bad), ("t.toml".into(), RULES.into())]).unwrap_err().0;
        assert!(errs.iter().any(|e| e.message.contains("drops no value type")), "{errs:?}");
    }
}
