//! PDF font dictionaries -> a decoder from string bytes to (text, advance).
//!
//! Text comes first from the ToUnicode CMap, then from the encoding (base
//! encoding + `/Differences` through glyph names, or the built-in encoding of
//! an embedded Type 1 program), then nothing: an unknown glyph loses only
//! itself. Widths come from `/Widths` (simple fonts), `/W` + `/DW` (CID
//! fonts), a small standard-14 table when a base font has no widths, and the
//! Type 3 `/FontMatrix`. Simple fonts are resolved into a 256-entry table
//! once, so showing a glyph is an array index; composite fonts keep hash maps.

use lopdf::{Dictionary, Document, Object};

use super::cmap::CMap;
use super::encodings;
use super::glyphlist;
use super::Budget;

/// What one code of a shown string produced.
pub struct Shown {
    /// Bytes consumed from the string.
    pub len: usize,
    /// Advance in text space units per unit of font size (1.0 = one em).
    pub width: f64,
    /// Single-byte code 32, which gets word spacing (`Tw`).
    pub word_space: bool,
}

// One value per font resource in a document, so the size difference
// between the variants does not matter.
#[allow(clippy::large_enum_variant)]
enum Kind {
    Simple {
        table: Vec<(Box<str>, f32)>,
    },
    Composite {
        to_unicode: Option<CMap>,
        encoding: Option<CMap>,
        /// Code = UTF-16 unit (predefined `Uni...-UCS2-H` style CMaps).
        ucs2: bool,
        widths: Vec<f32>,
        dw: f32,
    },
}

pub struct Font {
    kind: Kind,
    pub vertical: bool,
    /// Multiplier from font size to the em height actually drawn (Type 3
    /// fonts have their own glyph space); 1.0 for ordinary fonts.
    pub size_scale: f64,
}

fn num(o: &Object) -> Option<f64> {
    match o {
        Object::Integer(i) => Some(*i as f64),
        Object::Real(r) if r.is_finite() => Some(*r as f64),
        _ => None,
    }
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(&Object::Null),
        _ => o,
    }
}

fn get<'a>(doc: &'a Document, d: &'a Dictionary, k: &[u8]) -> Option<&'a Object> {
    d.get(k).ok().map(|o| deref(doc, o))
}

fn strip_subset(name: &[u8]) -> &[u8] {
    if name.len() > 7 && name[6] == b'+' && name[..6].iter().all(|c| c.is_ascii_uppercase()) {
        &name[7..]
    } else {
        name
    }
}

/// Decompresses a stream under the document budget.
pub fn stream_bytes(doc: &Document, o: &Object, budget: &mut Budget) -> Option<Vec<u8>> {
    let s = match deref(doc, o) {
        Object::Stream(s) => s,
        _ => return None,
    };
    budget.stream(s).ok()
}

impl Font {
    pub fn load(doc: &Document, d: &Dictionary, budget: &mut Budget) -> Font {
        let subtype = get(doc, d, b"Subtype")
            .and_then(|o| o.as_name().ok())
            .unwrap_or(b"Type1");
        let to_unicode = get(doc, d, b"ToUnicode")
            .and_then(|o| match o {
                Object::Stream(_) => stream_bytes(doc, o, budget),
                _ => None,
            })
            .map(|b| CMap::parse(&b));
        if subtype == b"Type0" {
            // `/ToUnicode /Identity-H` (a name, not a stream) means the codes
            // are Unicode; so, in practice, are the codes of a non-embedded
            // CID font with no ToUnicode (the viewer picks a system font by
            // Unicode), which is what iText and poppler write.
            let identity_name = matches!(get(doc, d, b"ToUnicode"), Some(Object::Name(n)) if n.starts_with(b"Identity"));
            let codes_are_unicode =
                identity_name || (to_unicode.is_none() && !cids_may_not_be_unicode(doc, d));
            let mut f = Self::load_composite(doc, d, to_unicode, budget);
            if codes_are_unicode {
                if let Kind::Composite { ucs2, .. } = &mut f.kind {
                    *ucs2 = true;
                }
            }
            return f;
        }
        let base = get(doc, d, b"BaseFont")
            .and_then(|o| o.as_name().ok())
            .map(strip_subset)
            .unwrap_or(b"");
        let descriptor = get(doc, d, b"FontDescriptor").and_then(|o| o.as_dict().ok());

        // Base encoding and differences.
        let mut names: Vec<Option<String>> = vec![None; 256];
        let mut base_table: &'static [u16; 256] = if subtype == b"TrueType" {
            &encodings::WIN_ANSI
        } else {
            &encodings::STANDARD
        };
        let lower = String::from_utf8_lossy(base).to_ascii_lowercase();
        if lower.contains("symbol") && !lower.contains("wingding") {
            base_table = &encodings::SYMBOL;
        }
        let mut explicit_base = false;
        match get(doc, d, b"Encoding") {
            Some(Object::Name(n)) => {
                if let Some(t) = encodings::by_name(n) {
                    base_table = t;
                    explicit_base = true;
                }
            }
            Some(Object::Dictionary(ed)) => {
                if let Some(t) = get(doc, ed, b"BaseEncoding")
                    .and_then(|o| o.as_name().ok())
                    .and_then(encodings::by_name)
                {
                    base_table = t;
                    explicit_base = true;
                }
                if let Some(Object::Array(diffs)) = get(doc, ed, b"Differences") {
                    let mut code: i64 = 0;
                    for it in diffs.iter().take(4096) {
                        match deref(doc, it) {
                            Object::Integer(i) => code = *i,
                            Object::Name(n) => {
                                if (0..256).contains(&code) {
                                    names[code as usize] =
                                        Some(String::from_utf8_lossy(n).into_owned());
                                }
                                code += 1;
                            }
                            _ => {}
                        }
                    }
                }
            }
            _ => {}
        }
        // An embedded Type 1 program carries its own encoding, which applies
        // when the dictionary names no base encoding (TeX fonts, mostly).
        if !explicit_base && subtype == b"Type1" {
            if let Some(ff) = descriptor.and_then(|fd| fd.get(b"FontFile").ok()) {
                if let Some(bytes) = stream_bytes(doc, ff, budget) {
                    for (code, name) in type1_builtin_encoding(&bytes) {
                        if names[code as usize].is_none() {
                            names[code as usize] = Some(name);
                        }
                    }
                }
            }
        }

        // Widths.
        let is_type3 = subtype == b"Type3";
        let fm = if is_type3 {
            match get(doc, d, b"FontMatrix") {
                Some(Object::Array(a)) if a.len() == 6 => {
                    let v: Vec<f64> = a
                        .iter()
                        .map(|o| num(deref(doc, o)).unwrap_or(0.0))
                        .collect();
                    [v[0], v[3]]
                }
                _ => [0.001, 0.001],
            }
        } else {
            [0.001, 0.001]
        };
        let first = get(doc, d, b"FirstChar").and_then(num).unwrap_or(0.0) as i64;
        let widths: Vec<f64> = match get(doc, d, b"Widths") {
            Some(Object::Array(a)) => a
                .iter()
                .take(256)
                .map(|o| num(deref(doc, o)).unwrap_or(0.0))
                .collect(),
            _ => Vec::new(),
        };
        let missing = descriptor
            .and_then(|fd| get(doc, fd, b"MissingWidth"))
            .and_then(num)
            .unwrap_or(0.0);
        let std_family = std_family(base);

        let mut table = Vec::with_capacity(256);
        let mut text = String::new();
        for code in 0..256usize {
            text.clear();
            let mut ok = false;
            if let Some(tu) = &to_unicode {
                ok = tu.lookup_text(code as u32, 1, &mut text);
                if ok && (text.is_empty() || text.chars().all(|c| c == '\0')) {
                    text.clear();
                    ok = false;
                }
            }
            if !ok {
                if let Some(n) = &names[code] {
                    // Type 3 glyph names are the producer's own ("square",
                    // "a12"); viewers then read the code as ASCII.
                    if !glyphlist::glyph_to_text(n, &mut text)
                        && is_type3
                        && (0x21..0x7f).contains(&code)
                    {
                        text.push(code as u8 as char);
                    }
                } else if let Some(c) =
                    char::from_u32(base_table[code] as u32).filter(|c| *c != '\0')
                {
                    match glyphlist::expand_ligature(c) {
                        Some(s) => text.push_str(s),
                        None => text.push(c),
                    }
                }
            }
            let idx = code as i64 - first;
            let w = if idx >= 0 && (idx as usize) < widths.len() {
                widths[idx as usize] * fm[0].abs()
            } else if !widths.is_empty() || is_type3 {
                missing * fm[0].abs()
            } else {
                std_width(std_family, text.chars().next()) / 1000.0
            };
            // Text that is only controls is not text (some maps give \r, \0).
            if text.chars().all(|c| c.is_control()) {
                text.clear();
            }
            table.push((text.clone().into_boxed_str(), w as f32));
        }

        let size_scale = if is_type3 {
            let bbox_h = match get(doc, d, b"FontBBox") {
                Some(Object::Array(a)) if a.len() == 4 => {
                    let v: Vec<f64> = a
                        .iter()
                        .map(|o| num(deref(doc, o)).unwrap_or(0.0))
                        .collect();
                    (v[3] - v[1]).abs()
                }
                _ => 0.0,
            };
            let s = if bbox_h > 0.0 {
                bbox_h * fm[1].abs()
            } else {
                let mut ws: Vec<f64> = widths.iter().copied().filter(|w| *w > 0.0).collect();
                ws.sort_by(f64::total_cmp);
                match ws.get(ws.len() / 2) {
                    Some(m) => 2.0 * m * fm[0].abs(),
                    None => fm[1].abs() * 1000.0,
                }
            };
            s.clamp(0.2, 5.0)
        } else {
            1.0
        };
        Font {
            kind: Kind::Simple { table },
            vertical: false,
            size_scale,
        }
    }

    fn load_composite(
        doc: &Document,
        d: &Dictionary,
        to_unicode: Option<CMap>,
        budget: &mut Budget,
    ) -> Font {
        let mut vertical = false;
        let mut ucs2 = false;
        let encoding = match get(doc, d, b"Encoding") {
            Some(Object::Name(n)) => {
                vertical = n.ends_with(b"-V");
                ucs2 = n.windows(4).any(|w| w == b"UCS2") || n.windows(5).any(|w| w == b"UTF16");
                None
            }
            Some(o @ Object::Stream(_)) => stream_bytes(doc, o, budget).map(|b| {
                let cm = CMap::parse(&b);
                vertical = cm.vertical;
                cm
            }),
            _ => None,
        };
        let desc = match get(doc, d, b"DescendantFonts") {
            Some(Object::Array(a)) => a
                .first()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_dict().ok()),
            Some(Object::Dictionary(dd)) => Some(dd),
            _ => None,
        };
        let mut dw = 1000.0f32;
        let mut widths: Vec<f32> = Vec::new();
        if let Some(desc) = desc {
            if let Some(v) = get(doc, desc, b"DW").and_then(num) {
                dw = v as f32;
            }
            if let Some(Object::Array(w)) = get(doc, desc, b"W") {
                let mut i = 0;
                let set = |widths: &mut Vec<f32>, cid: i64, v: f32| {
                    if (0..65536).contains(&cid) {
                        let c = cid as usize;
                        if widths.len() <= c {
                            widths.resize(c + 1, f32::NAN);
                        }
                        widths[c] = v;
                    }
                };
                while i < w.len() {
                    let Some(c0) = num(deref(doc, &w[i])) else {
                        break;
                    };
                    match w.get(i + 1).map(|o| deref(doc, o)) {
                        Some(Object::Array(ws)) => {
                            for (k, o) in ws.iter().enumerate().take(65536) {
                                set(
                                    &mut widths,
                                    c0 as i64 + k as i64,
                                    num(deref(doc, o)).unwrap_or(dw as f64) as f32,
                                );
                            }
                            i += 2;
                        }
                        Some(o) => {
                            let (Some(c1), Some(wv)) =
                                (num(o), w.get(i + 2).and_then(|o| num(deref(doc, o))))
                            else {
                                break;
                            };
                            let (a, b) = (c0 as i64, (c1 as i64).min(c0 as i64 + 65536));
                            for c in a..=b {
                                set(&mut widths, c, wv as f32);
                            }
                            i += 3;
                        }
                        None => break,
                    }
                }
            }
        }
        Font {
            kind: Kind::Composite {
                to_unicode,
                encoding,
                ucs2,
                widths,
                dw,
            },
            vertical,
            size_scale: 1.0,
        }
    }

    /// Decodes the glyph at the start of `bytes`, appending its text to `out`.
    pub fn next(&self, bytes: &[u8], out: &mut String) -> Shown {
        match &self.kind {
            Kind::Simple { table } => {
                let code = bytes[0] as usize;
                let (t, w) = &table[code];
                out.push_str(t);
                Shown {
                    len: 1,
                    width: *w as f64,
                    word_space: code == 32,
                }
            }
            Kind::Composite {
                to_unicode,
                encoding,
                ucs2,
                widths,
                dw,
            } => {
                let (code, len) = match (encoding, to_unicode) {
                    (Some(e), _) if e.has_codespace() => e.next_code(bytes, 2),
                    (_, Some(t)) if t.has_codespace() && encoding.is_none() && !*ucs2 => {
                        // Identity encodings are two bytes whatever the ToUnicode says.
                        let n = 2.min(bytes.len());
                        (bytes[..n].iter().fold(0u32, |a, &b| (a << 8) | b as u32), n)
                    }
                    _ => {
                        let n = 2.min(bytes.len());
                        (bytes[..n].iter().fold(0u32, |a, &b| (a << 8) | b as u32), n)
                    }
                };
                let cid = encoding
                    .as_ref()
                    .and_then(|e| e.lookup_cid(code, len))
                    .unwrap_or(code);
                let start = out.len();
                let mut ok = to_unicode
                    .as_ref()
                    .is_some_and(|t| t.lookup_text(code, len, out));
                if ok && crate::text::slice::suffix(out, start).chars().all(|c| c == '\0' || c.is_control()) {
                    out.truncate(start);
                    ok = false;
                }
                if !ok && *ucs2 {
                    if let Some(c) = char::from_u32(code) {
                        if !c.is_control() {
                            out.push(c);
                        }
                    }
                }
                if let Some(s) = out.get(start..) {
                    if s.chars().any(|c| glyphlist::expand_ligature(c).is_some()) {
                        let expanded: String = s
                            .chars()
                            .map(|c| {
                                glyphlist::expand_ligature(c)
                                    .map(str::to_string)
                                    .unwrap_or_else(|| c.to_string())
                            })
                            .collect();
                        out.truncate(start);
                        out.push_str(&expanded);
                    }
                }
                let w = widths
                    .get(cid as usize)
                    .copied()
                    .filter(|w| !w.is_nan())
                    .unwrap_or(*dw);
                Shown {
                    len,
                    width: w as f64 / 1000.0,
                    word_space: len == 1 && code == 32,
                }
            }
        }
    }
}

/// Whether the CIDs of a Type 0 font may not be Unicode values: its
/// descendant embeds a program that maps CIDs to glyphs itself, or uses a
/// registered character collection.
fn cids_may_not_be_unicode(doc: &Document, d: &Dictionary) -> bool {
    let desc = match get(doc, d, b"DescendantFonts") {
        Some(Object::Array(a)) => a
            .first()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_dict().ok()),
        _ => None,
    };
    let Some(fd) = desc
        .and_then(|dd| get(doc, dd, b"FontDescriptor"))
        .and_then(|o| o.as_dict().ok())
    else {
        return false;
    };
    // Registered orderings (Adobe-Japan1, -GB1 ...) number glyphs by their
    // own character collections, not by Unicode: never read those as text.
    let ordering = desc
        .and_then(|dd| get(doc, dd, b"CIDSystemInfo"))
        .and_then(|o| o.as_dict().ok())
        .and_then(|si| get(doc, si, b"Ordering"))
        .and_then(|o| o.as_str().ok());
    if ordering.is_some_and(|o| {
        o.starts_with(b"Japan")
            || o.starts_with(b"GB")
            || o.starts_with(b"CNS")
            || o.starts_with(b"Korea")
    }) {
        return true;
    }
    let embedded = fd.has(b"FontFile") || fd.has(b"FontFile2") || fd.has(b"FontFile3");
    // A CIDToGIDMap stream exists when CIDs are not glyph ids, which in
    // practice means the producer used Unicode values as CIDs (poppler, Qt).
    let cid_to_gid_stream =
        desc.is_some_and(|dd| matches!(get(doc, dd, b"CIDToGIDMap"), Some(Object::Stream(_))));
    embedded && !cid_to_gid_stream
}

/// The `dup <code> /<name> put` entries of a Type 1 program's clear-text
/// part. Only the part before `eexec` is read, with a token budget.
fn type1_builtin_encoding(prog: &[u8]) -> Vec<(u8, String)> {
    let end = prog
        .windows(5)
        .position(|w| w == b"eexec")
        .unwrap_or(prog.len())
        .min(1 << 20);
    let head = &prog[..end];
    let Some(at) = head.windows(9).position(|w| w == b"/Encoding") else {
        return Vec::new();
    };
    let mut lex = super::lexer::Lexer::new(&head[at + 9..], 4);
    let mut out = Vec::new();
    let mut last: Vec<super::lexer::Operand> = Vec::new();
    for _ in 0..5000 {
        match lex.next_token() {
            Some(super::lexer::Token::Op(b"StandardEncoding")) if out.is_empty() => return out,
            Some(super::lexer::Token::Op(b"put")) => {
                if let [.., super::lexer::Operand::Num(c), super::lexer::Operand::Name(n)] =
                    last.as_slice()
                {
                    if (0.0..256.0).contains(c) {
                        out.push((*c as u8, String::from_utf8_lossy(n).into_owned()));
                    }
                }
                last.clear();
            }
            Some(super::lexer::Token::Op(b"def")) | Some(super::lexer::Token::Op(b"readonly"))
                if !out.is_empty() =>
            {
                break
            }
            Some(super::lexer::Token::Op(_)) => last.clear(),
            Some(super::lexer::Token::Operand(o)) => {
                if last.len() > 8 {
                    last.clear();
                }
                last.push(o)
            }
            Some(super::lexer::Token::InlineImage) => {}
            None => break,
        }
    }
    out
}

#[derive(Clone, Copy)]
enum Family {
    Helvetica,
    Times,
    Courier,
}

fn std_family(base: &[u8]) -> Family {
    let l = String::from_utf8_lossy(base).to_ascii_lowercase();
    if l.contains("courier") || l.contains("mono") {
        Family::Courier
    } else if l.contains("times")
        || l.contains("serif") && !l.contains("sans")
        || l.contains("roman")
        || l.contains("georgia")
    {
        Family::Times
    } else {
        Family::Helvetica
    }
}

// Approximate advance widths (1/1000 em) of the standard-14 base fonts for
// ASCII 32..126, used only when a simple font gives no /Widths.
const HELV: [u16; 95] = [
    278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556,
    556, 556, 556, 556, 556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667,
    611, 778, 722, 278, 500, 667, 556, 833, 722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667,
    667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500,
    222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334, 260, 334, 584,
];
const TIMES: [u16; 95] = [
    250, 333, 408, 500, 500, 833, 778, 180, 333, 333, 500, 564, 250, 333, 250, 278, 500, 500, 500,
    500, 500, 500, 500, 500, 500, 500, 278, 278, 564, 564, 564, 444, 921, 722, 667, 667, 722, 611,
    556, 722, 722, 333, 389, 722, 611, 889, 722, 722, 556, 722, 667, 556, 611, 722, 722, 944, 722,
    722, 611, 333, 278, 333, 469, 500, 333, 444, 500, 444, 500, 444, 333, 500, 500, 278, 278, 500,
    278, 778, 500, 500, 500, 500, 333, 389, 278, 500, 500, 722, 500, 500, 444, 480, 200, 480, 541,
];

fn std_width(f: Family, c: Option<char>) -> f64 {
    let table = match f {
        Family::Courier => return 600.0,
        Family::Helvetica => &HELV,
        Family::Times => &TIMES,
    };
    let Some(mut c) = c else { return 0.0 };
    if !c.is_ascii() {
        // Accented letters take their base letter's width.
        use unicode_normalization::UnicodeNormalization;
        if let Some(b) = std::iter::once(c).nfd().next() {
            c = b;
        }
        if c == '\u{2019}' || c == '\u{2018}' {
            c = '\'';
        }
    }
    let i = c as u32;
    if (32..127).contains(&i) {
        table[(i - 32) as usize] as f64
    } else {
        match f {
            Family::Times => 500.0,
            _ => 556.0,
        }
    }
}
