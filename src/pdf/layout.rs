//! Positioned glyphs -> words -> lines -> reading order, then running
//! headers/footers across pages, hyphenation, and the final page text.
//!
//! Glyphs are first brought into a frame where their writing direction is +x
//! (rotated text and vertical writing become ordinary lines there), so the
//! rest only deals with horizontal text. Words are built in content-stream
//! order, because producers mostly draw a word contiguously and the stream
//! order keeps explicit spaces meaningful; lines are then found geometrically
//! (same baseline), because producers do not always draw lines in order.
//! Two-column pages are detected by a vertical gutter most lines share.

use super::content::{Glyph, PageOut};

/// Fraction of the font size above which the gap between two glyphs starts
/// a new word. TeX's tightest inter-word space is about 0.2 em; kerning inside
/// a word rarely exceeds 0.1 em.
const WORD_GAP: f64 = 0.16;

#[derive(Debug, Clone)]
struct Word {
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    text: String,
    sp_before: bool,
    sp_after: bool,
}

/// A laid-out line of a page.
#[derive(Debug, Clone)]
pub struct Line {
    pub text: String,
    /// Position from the top of the page, 0.0 (top) to 1.0 (bottom); `None`
    /// for lines of rotated text, which are never running headers.
    pub pos: Option<f64>,
}

/// Page box in device space (rotation applied): x0, y0, x1, y1.
pub type Bounds = [f64; 4];

fn is_sep_space(c: char) -> bool {
    // No-break spaces belong to the text (French typography puts them before
    // ; : ! ? and inside numbers); every other space separates words.
    c.is_whitespace() && c != '\u{A0}' && c != '\u{202F}'
}

fn frame(q: u8, x: f64, y: f64) -> (f64, f64) {
    match q & 3 {
        0 => (x, y),
        1 => (y, -x),
        2 => (-x, -y),
        _ => (-y, x),
    }
}

fn direction(g: &Glyph) -> u8 {
    let (mut dx, mut dy) = (g.x1 - g.x0, g.y1 - g.y0);
    if dx.abs() + dy.abs() < 1e-6 * g.size.max(1e-6) {
        dx = g.dx as f64;
        dy = g.dy as f64;
    }
    if dx.abs() >= dy.abs() {
        if dx >= 0.0 {
            0
        } else {
            2
        }
    } else if dy > 0.0 {
        1
    } else {
        3
    }
}

/// Lays out one page into lines in reading order.
pub fn page_lines(page: &PageOut, bounds: Bounds) -> Vec<Line> {
    let dirs: Vec<u8> = page.glyphs.iter().map(direction).collect();
    let mut out = Vec::new();
    for q in 0..4u8 {
        if !dirs.contains(&q) {
            continue;
        }
        let words = words_of(page, &dirs, q);
        if words.is_empty() {
            continue;
        }
        let lines = lines_of(words);
        let ordered = reading_order(lines);
        let (top, height) = {
            let (_, ya) = frame(q, bounds[0], bounds[1]);
            let (_, yb) = frame(q, bounds[2], bounds[3]);
            (ya.max(yb), (ya - yb).abs())
        };
        for l in ordered {
            let text = join_words(&l.words);
            if text.trim().is_empty() {
                continue;
            }
            let pos = if q == 0 && height > 0.0 {
                Some(((top - l.y) / height).clamp(-1.0, 2.0))
            } else {
                None
            };
            out.push(Line { text, pos });
        }
    }
    out
}

fn words_of(page: &PageOut, dirs: &[u8], q: u8) -> Vec<Word> {
    // Words run about five glyphs: room for them all at once.
    let mut words: Vec<Word> = Vec::with_capacity(page.glyphs.len() / 4 + 1);
    let mut cur: Option<Word> = None;
    let mut pending_space = false;
    for (g, d) in page.glyphs.iter().zip(dirs) {
        if *d != q {
            continue;
        }
        let text = page
            .text
            .get(g.start as usize..(g.start + g.len) as usize)
            .unwrap_or("");
        let (x0, y) = frame(q, g.x0, g.y0);
        let (x1, _) = frame(q, g.x1, g.y1);
        let size = g.size.max(0.5);
        if !text.is_empty() && text.chars().all(is_sep_space) {
            if let Some(mut w) = cur.take() {
                w.sp_after = true;
                words.push(w);
            }
            pending_space = true;
            continue;
        }
        if let Some(w) = cur.as_mut() {
            let gap = x0 - w.x1;
            let tol = size.min(w.size);
            let same_line = (y - w.y).abs() < 0.35 * tol;
            if same_line && gap < WORD_GAP * tol && gap > -0.5 * tol && x0 >= w.x0 - 0.1 * tol {
                w.text.push_str(text);
                w.x1 = w.x1.max(x1);
                w.size = w.size.max(size);
                continue;
            }
            if let Some(w) = cur.take() {
                words.push(w);
            }
        }
        cur = Some(Word {
            x0,
            x1: x1.max(x0),
            y,
            size,
            text: {
                // Room for the rest of the word: it comes glyph by glyph.
                let mut t = String::with_capacity(text.len().max(16));
                t.push_str(text);
                t
            },
            sp_before: pending_space,
            sp_after: false,
        });
        pending_space = false;
    }
    if let Some(w) = cur.take() {
        words.push(w);
    }
    words
}

struct LineBuild {
    y: f64,
    size: f64,
    words: Vec<Word>,
}

impl LineBuild {
    fn x0(&self) -> f64 {
        self.words.first().map_or(0.0, |w| w.x0)
    }
    fn x1(&self) -> f64 {
        self.words.iter().map(|w| w.x1).fold(f64::MIN, f64::max)
    }
}

fn lines_of(mut words: Vec<Word>) -> Vec<LineBuild> {
    words.sort_by(|a, b| b.y.total_cmp(&a.y).then(a.x0.total_cmp(&b.x0)));
    let mut lines: Vec<LineBuild> = Vec::new();
    for w in words {
        if let Some(l) = lines.last_mut() {
            if (l.y - w.y).abs() < 0.4 * l.size.min(w.size).max(0.5) {
                l.size = l.size.max(w.size);
                l.words.push(w);
                continue;
            }
        }
        lines.push(LineBuild {
            y: w.y,
            size: w.size,
            words: vec![w],
        });
    }
    for l in &mut lines {
        l.words.sort_by(|a, b| a.x0.total_cmp(&b.x0));
        // Merge pieces of one word drawn apart in the stream, and drop text
        // drawn twice at the same place (fake bold, shadows).
        let mut merged: Vec<Word> = Vec::with_capacity(l.words.len());
        for w in l.words.drain(..) {
            if let Some(p) = merged.last_mut() {
                let tol = p.size.min(w.size);
                let gap = w.x0 - p.x1;
                if p.text == w.text && (w.x0 - p.x0).abs() < 0.3 * tol {
                    p.x1 = p.x1.max(w.x1);
                    continue;
                }
                if !p.sp_after && !w.sp_before && gap < WORD_GAP * tol * 0.6 && gap > -0.3 * tol {
                    p.text.push_str(&w.text);
                    p.x1 = p.x1.max(w.x1);
                    p.sp_after = w.sp_after;
                    continue;
                }
            }
            merged.push(w);
        }
        l.words = merged;
        // The baseline of a line is that of its larger words (superscripts
        // have been pulled in above).
        if let Some(w) = l.words.iter().max_by(|a, b| a.size.total_cmp(&b.size)) {
            l.y = w.y;
        }
    }
    lines.retain(|l| l.words.iter().any(|w| !w.text.is_empty()));
    lines
}

struct Out {
    y: f64,
    words: Vec<Word>,
}

/// Orders lines top to bottom; on a two-column page, the left column's lines
/// between two full-width lines come before the right column's.
fn reading_order(lines: Vec<LineBuild>) -> Vec<Out> {
    let plain = |lines: Vec<LineBuild>| {
        lines
            .into_iter()
            .map(|l| Out {
                y: l.y,
                words: l.words,
            })
            .collect()
    };
    if lines.len() < 6 {
        return plain(lines);
    }
    let Some((g, band)) = gutter(&lines) else {
        return plain(lines);
    };
    let mut out = Vec::with_capacity(lines.len() + 8);
    let mut left: Vec<Out> = Vec::new();
    let mut right: Vec<Out> = Vec::new();
    for l in lines {
        let mut crosses = l.words.iter().any(|w| w.x0 < g && w.x1 > g);
        if !crosses {
            // A line with words on both sides is only split by a gap about
            // as wide as the gutter; an ordinary word space that happens to
            // fall on it does not make two columns.
            let lx = l
                .words
                .iter()
                .filter(|w| w.x1 <= g)
                .map(|w| w.x1)
                .fold(f64::MIN, f64::max);
            let rx = l
                .words
                .iter()
                .filter(|w| w.x0 >= g)
                .map(|w| w.x0)
                .fold(f64::MAX, f64::min);
            crosses = lx > f64::MIN && rx < f64::MAX && rx - lx < 0.6 * band;
        }
        if crosses {
            out.append(&mut left);
            out.append(&mut right);
            out.push(Out {
                y: l.y,
                words: l.words,
            });
            continue;
        }
        let (a, b): (Vec<Word>, Vec<Word>) = l.words.into_iter().partition(|w| w.x1 <= g);
        if !a.is_empty() {
            left.push(Out { y: l.y, words: a });
        }
        if !b.is_empty() {
            right.push(Out { y: l.y, words: b });
        }
    }
    out.append(&mut left);
    out.append(&mut right);
    out
}

/// A vertical band no line's words cross, with text on both sides of it in
/// most lines, and wide text on both sides (tables with short cells do not
/// qualify).
fn gutter(lines: &[LineBuild]) -> Option<(f64, f64)> {
    let l = lines.iter().map(|l| l.x0()).fold(f64::MAX, f64::min);
    let r = lines.iter().map(|l| l.x1()).fold(f64::MIN, f64::max);
    let w = r - l;
    if !(w > 50.0 && w < 100_000.0) {
        return None;
    }
    let nb = 400usize;
    let bin = w / nb as f64;
    // Difference arrays: per bin, how many words cover it, how many lines
    // have a word wholly left of it, and how many a word wholly right of it.
    // (Counted per line, not per pair of columns: the two columns' baselines
    // need not line up.)
    let mut dcross = vec![0i32; nb + 1];
    let mut dleft = vec![0i32; nb + 1];
    let mut dright = vec![0i32; nb + 1];
    let idx = |x: f64, up: bool| {
        let v = (x - l) / bin;
        let v = if up { v.ceil() } else { v.floor() };
        (v.max(0.0) as usize).min(nb)
    };
    for ln in lines {
        let mut min_x1 = f64::MAX;
        let mut max_x0 = f64::MIN;
        for wd in &ln.words {
            let (a, b) = (idx(wd.x0, false), idx(wd.x1, true));
            if a < b {
                dcross[a] += 1;
                dcross[b] -= 1;
            }
            min_x1 = min_x1.min(wd.x1);
            max_x0 = max_x0.max(wd.x0);
        }
        if min_x1 < f64::MAX {
            dleft[idx(min_x1, true)] += 1;
            dright[0] += 1;
            dright[idx(max_x0, false).min(nb)] -= 1;
        }
    }
    let mut cross = vec![0u32; nb];
    let mut lefts = vec![0u32; nb];
    let mut rights = vec![0u32; nb];
    let (mut c, mut lf, mut rt) = (0i32, 0i32, 0i32);
    for i in 0..nb {
        c += dcross[i];
        lf += dleft[i];
        rt += dright[i];
        cross[i] = c.max(0) as u32;
        lefts[i] = lf.max(0) as u32;
        rights[i] = rt.max(0) as u32;
    }
    let n = lines.len() as u32;
    let ok =
        |i: usize| cross[i] * 100 <= n * 15 && lefts[i] * 10 >= n * 3 && rights[i] * 10 >= n * 3;
    // Two-column gutters sit near the middle; off-centre bands are table
    // columns far more often.
    let (lo, hi) = (nb * 35 / 100, nb * 65 / 100);
    let mut best: Option<(usize, usize)> = None;
    let mut i = lo;
    while i < hi {
        if ok(i) {
            let s = i;
            while i < hi && ok(i) {
                i += 1;
            }
            if best.is_none_or(|(a, b)| i - s > b - a) {
                best = Some((s, i));
            }
        } else {
            i += 1;
        }
    }
    let (s, e) = best?;
    let mut sizes: Vec<f64> = lines.iter().map(|l| l.size).collect();
    sizes.sort_by(f64::total_cmp);
    let med = sizes.get(sizes.len() / 2).copied().unwrap_or(10.0);
    if ((e - s) as f64) * bin < 0.8 * med {
        return None;
    }
    let g = l + (s + e) as f64 / 2.0 * bin;
    // Both sides must hold real columns of text, not table cells.
    let widths = |left: bool| {
        let mut v: Vec<f64> = lines
            .iter()
            .filter_map(|ln| {
                let ws: Vec<&Word> = ln
                    .words
                    .iter()
                    .filter(|w| if left { w.x1 <= g } else { w.x0 >= g })
                    .collect();
                if ws.is_empty() {
                    return None;
                }
                Some(
                    ws.iter().map(|w| w.x1).fold(f64::MIN, f64::max)
                        - ws.iter().map(|w| w.x0).fold(f64::MAX, f64::min),
                )
            })
            .collect();
        v.sort_by(f64::total_cmp);
        v.get(v.len() / 2).copied().unwrap_or(0.0)
    };
    if widths(true) < 0.35 * w || widths(false) < 0.35 * w {
        return None;
    }
    Some((g, (e - s) as f64 * bin))
}

fn is_rtl(c: char) -> bool {
    matches!(c as u32, 0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF)
}

fn join_words(words: &[Word]) -> String {
    let mut s = String::with_capacity(words.iter().map(|w| w.text.len() + 1).sum());
    for w in words {
        if w.text.is_empty() {
            continue;
        }
        if !s.is_empty() {
            s.push(' ');
        }
        // Right-to-left words are drawn left to right in visual order; give
        // them back their logical order.
        if w.text.chars().any(is_rtl) && w.text.chars().all(|c| is_rtl(c) || !c.is_alphabetic()) {
            s.extend(w.text.chars().rev());
        } else {
            s.push_str(&w.text);
        }
    }
    s
}

/// Normalised form of a line for comparing across pages.
fn key(s: &str) -> String {
    let mut k = String::with_capacity(s.len());
    let mut last_space = true;
    for c in s.chars() {
        if c.is_whitespace() {
            if !last_space {
                k.push(' ');
            }
            last_space = true;
        } else {
            k.extend(c.to_lowercase());
            last_space = false;
        }
    }
    k.trim_end().to_string()
}

fn numbers(s: &str) -> Vec<i64> {
    let mut v = Vec::new();
    let mut cur: Option<i64> = None;
    for c in s.chars() {
        match c.to_digit(10) {
            Some(d) => cur = Some(cur.unwrap_or(0).saturating_mul(10).saturating_add(d as i64)),
            None => {
                if let Some(n) = cur.take() {
                    v.push(n);
                }
            }
        }
    }
    if let Some(n) = cur {
        v.push(n);
    }
    v
}

/// "3", "- 3 -", "Page 3", "Page 3 sur 12", "3/12", "3 of 12", "p. 3".
pub fn is_page_number(s: &str) -> bool {
    let k = key(s);
    let k =
        k.trim_matches(|c: char| c == '-' || c == '—' || c == '–' || c.is_whitespace() || c == '|');
    let k = k
        .strip_prefix("page")
        .or_else(|| k.strip_prefix("p."))
        .or_else(|| k.strip_prefix("pg"))
        .unwrap_or(k)
        .trim();
    if k.is_empty() {
        return false;
    }
    let mut parts = k
        .split(|c: char| c == '/' || c.is_whitespace())
        .filter(|p| !p.is_empty());
    let Some(a) = parts.next() else { return false };
    if !(a.len() <= 4 && a.chars().all(|c| c.is_ascii_digit())) {
        return false;
    }
    let rest: Vec<&str> = parts.collect();
    match rest.as_slice() {
        [] => true,
        [b] => b.len() <= 4 && b.chars().all(|c| c.is_ascii_digit()),
        [sep, b] => {
            matches!(*sep, "sur" | "of" | "de" | "von")
                && b.len() <= 4
                && b.chars().all(|c| c.is_ascii_digit())
        }
        _ => false,
    }
}

/// Marks running headers, footers and page numbers: returns, per page, a
/// flag per line. Only lines in the top or bottom band of a page are
/// candidates; they are furniture when they are a page number at the very
/// top or bottom, or when the same line (exactly, or with a number that
/// follows the page number) is on at least half the pages.
pub fn furniture(pages: &[Vec<Line>]) -> Vec<Vec<bool>> {
    const BAND: f64 = 0.13;
    let npages = pages.len();
    let mut flags: Vec<Vec<bool>> = pages.iter().map(|p| vec![false; p.len()]).collect();
    // Candidates: up to 3 lines from the top and from the bottom, in the bands.
    let mut cands: Vec<Vec<usize>> = Vec::with_capacity(npages);
    for p in pages {
        let mut idx: Vec<(usize, f64)> = p
            .iter()
            .enumerate()
            .filter_map(|(i, l)| l.pos.map(|y| (i, y)))
            .collect();
        idx.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.cmp(&b.0)));
        let mut c: Vec<usize> = Vec::new();
        for (i, y) in idx.iter().take(3) {
            if *y < BAND {
                c.push(*i);
            }
        }
        for (i, y) in idx.iter().rev().take(3) {
            if *y > 1.0 - BAND && !c.contains(i) {
                c.push(*i);
            }
        }
        cands.push(c);
    }
    // Page numbers at the extreme top or bottom line.
    for (pi, p) in pages.iter().enumerate() {
        let ys: Vec<(usize, f64)> = p
            .iter()
            .enumerate()
            .filter_map(|(i, l)| l.pos.map(|y| (i, y)))
            .collect();
        let top = ys.iter().min_by(|a, b| a.1.total_cmp(&b.1)).map(|x| x.0);
        let bottom = ys.iter().max_by(|a, b| a.1.total_cmp(&b.1)).map(|x| x.0);
        for &i in &cands[pi] {
            if (Some(i) == top || Some(i) == bottom) && is_page_number(&p[i].text) {
                flags[pi][i] = true;
            }
        }
    }
    if npages >= 2 {
        let need = npages.div_ceil(2).max(2);
        // Exact repeats, and repeats whose numbers follow the page number.
        let mut exact: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
        let mut numbered: std::collections::BTreeMap<(String, i64), Vec<usize>> =
            Default::default();
        for (pi, p) in pages.iter().enumerate() {
            for &i in &cands[pi] {
                let k = key(&p[i].text);
                let masked: String = k
                    .chars()
                    .map(|c| if c.is_ascii_digit() { '#' } else { c })
                    .collect();
                let e = exact.entry(k.clone()).or_default();
                if e.last() != Some(&pi) {
                    e.push(pi);
                }
                let mut seen = Vec::new();
                for n in numbers(&k) {
                    let off = n - pi as i64;
                    if seen.contains(&off) {
                        continue;
                    }
                    seen.push(off);
                    let e = numbered.entry((masked.clone(), off)).or_default();
                    if e.last() != Some(&pi) {
                        e.push(pi);
                    }
                }
            }
        }
        for (pi, p) in pages.iter().enumerate() {
            for &i in &cands[pi] {
                let k = key(&p[i].text);
                if exact.get(&k).is_some_and(|v| v.len() >= need) {
                    flags[pi][i] = true;
                    continue;
                }
                let masked: String = k
                    .chars()
                    .map(|c| if c.is_ascii_digit() { '#' } else { c })
                    .collect();
                for n in numbers(&k) {
                    if numbered
                        .get(&(masked.clone(), n - pi as i64))
                        .is_some_and(|v| v.len() >= need)
                    {
                        flags[pi][i] = true;
                    }
                }
            }
        }
    }
    flags
}

fn ends_with_break_hyphen(s: &str) -> bool {
    let mut it = s.chars().rev();
    match it.next() {
        Some('-') | Some('\u{2010}') | Some('\u{AD}') => {
            it.next().is_some_and(|c| c.is_alphabetic())
        }
        _ => false,
    }
}

/// Hyphenated compounds ("forfait-jours") seen inside lines anywhere in the
/// document, lowercased: the evidence that a hyphen at a line end is part of
/// the word rather than a hyphenation break.
pub type Compounds = std::collections::HashSet<String>;

fn trim_word(w: &str) -> &str {
    w.trim_matches(|c: char| !c.is_alphanumeric() && c != '-' && c != '\'')
}

/// Adds the compounds of `line` (tokens with an inner hyphen) to `set`.
pub fn collect_compounds(line: &str, set: &mut Compounds) {
    for tok in line.split_whitespace() {
        let t = trim_word(tok);
        let inner = t.trim_end_matches('-');
        if inner.contains('-') && inner.chars().any(|c| c.is_alphabetic()) {
            set.insert(inner.to_lowercase());
        }
    }
}

/// French prefixes and suffixes that keep their hyphen (vice-président,
/// sous-traitance, lui-même, ci-dessus...), used when the document itself
/// gives no evidence either way.
fn compound_by_rule(prefix: &str, suffix: &str) -> bool {
    const PRE: &[&str] = &[
        "vice", "sous", "non", "demi", "semi", "mi", "ex", "après", "avant", "arrière", "au", "ci",
        "peut", "week", "grand", "grands", "là", "celui", "celle", "ceux", "celles", "lui", "elle",
        "eux", "elles", "nous", "vous", "moi", "soi", "c'est-à", "post", "pré", "hors", "quasi",
        "basse", "haute", "porte", "abat", "garde",
    ];
    const SUF: &[&str] = &[
        "même", "mêmes", "ci", "là", "dessus", "dessous", "delà", "jours", "end", "clé", "clés",
        "dire",
    ];
    let p = prefix.to_lowercase();
    let s = suffix.to_lowercase();
    PRE.contains(&p.rsplit('-').next().unwrap_or("")) || SUF.contains(&s.as_str())
}

/// Joins the body lines of a page with `\n`, rejoining a word broken at a
/// line end ("profes-" / "sionnelle") when the next line starts with a
/// lowercase letter. The completed word goes up to the first line. The
/// hyphen is dropped unless the word is a compound: the document uses it
/// with its hyphen elsewhere, or a French compound rule says so.
pub fn body_text(lines: &[&str], compounds: &Compounds) -> String {
    let mut out = String::new();
    let mut skip_first_word = false;
    for (i, l) in lines.iter().enumerate() {
        let mut line: &str = l;
        if skip_first_word {
            let cut = line.find(' ').unwrap_or(line.len());
            line = line.get(cut..).unwrap_or("").trim_start();
            skip_first_word = false;
        }
        let mut text = line.to_string();
        if ends_with_break_hyphen(line) {
            if let Some(next) = lines
                .get(i + 1)
                .filter(|n| n.chars().next().is_some_and(|c| c.is_lowercase()))
            {
                let first = next.split(' ').next().unwrap_or("");
                let soft = text.ends_with('\u{AD}');
                text.pop(); // the hyphen
                let prefix = trim_word(text.rsplit(' ').next().unwrap_or(""));
                let suffix = trim_word(first);
                let compound = format!("{}-{}", prefix, suffix).to_lowercase();
                if !soft && (compounds.contains(&compound) || compound_by_rule(prefix, suffix)) {
                    text.push('-');
                }
                text.push_str(first);
                skip_first_word = true;
            }
        }
        if text.is_empty() {
            continue;
        }
        out.push_str(&text);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn page_numbers() {
        for s in [
            "3",
            "- 3 -",
            "Page 3",
            "Page 3 sur 12",
            "3/12",
            "3 / 12",
            "page 2 of 9",
        ] {
            assert!(is_page_number(s), "{s}");
        }
        for s in ["Article 3", "3 salariés", "12345", "Page de garde"] {
            assert!(!is_page_number(s), "{s}");
        }
    }

    #[test]
    fn hyphens() {
        let none = Compounds::new();
        let t = body_text(
            &[
                "la formation profes-",
                "sionnelle est un droit",
                "le vice-",
                "Président signe",
            ],
            &none,
        );
        assert_eq!(
            t,
            "la formation professionnelle\nest un droit\nle vice-\nPrésident signe\n"
        );
        let t = body_text(&["un vice-président élu", "ensuite"], &none);
        assert_eq!(t, "un vice-président élu\nensuite\n");
        let t = body_text(&["le vice-", "président et le sous-", "traitant"], &none);
        assert_eq!(t, "le vice-président\net le sous-traitant\n");
        let mut seen = Compounds::new();
        collect_compounds("les cadres au forfait-jours.", &mut seen);
        let t = body_text(
            &["convention de forfait-", "jours ; la profes-", "sion"],
            &seen,
        );
        assert_eq!(t, "convention de forfait-jours\n; la profession\n");
    }
}
