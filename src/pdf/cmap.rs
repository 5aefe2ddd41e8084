//! CMap files: ToUnicode maps (bfchar/bfrange) and embedded encoding CMaps
//! (codespace ranges, cidchar/cidrange).
//!
//! One parser serves both because they share the syntax and a font may need
//! both: the encoding CMap says how to cut a string into codes, the ToUnicode
//! map says what each code means. Ranges are expanded into a hash map up to a
//! budget (lookups are per glyph, so they must be cheap); past that budget the
//! remaining ranges are kept as ranges and searched, so a hostile
//! `<00000000> <FFFFFFFF>` range costs nothing.

use std::collections::HashMap;

use super::lexer::{Lexer, Operand, Token};

/// Most code -> text entries expanded into the hash map for one CMap.
const EXPAND_BUDGET: usize = 1 << 17;

#[derive(Debug, Clone, Copy)]
struct CodeSpace {
    len: u8,
    lo: [u8; 4],
    hi: [u8; 4],
}

#[derive(Debug, Clone)]
enum RangeDst {
    /// UTF-16 units of the first code's text; the last unit is incremented.
    Offset(Vec<u16>),
    /// CID of the first code.
    Cid(u32),
}

#[derive(Debug, Clone)]
struct Range {
    len: u8,
    lo: u32,
    hi: u32,
    dst: RangeDst,
}

#[derive(Debug, Default, Clone)]
pub struct CMap {
    spaces: Vec<CodeSpace>,
    text: HashMap<u64, Box<str>>,
    cids: HashMap<u64, u32>,
    ranges: Vec<Range>,
    /// Writing mode from `/WMode 1`.
    pub vertical: bool,
    /// Name given by `usecmap` (a predefined parent), if any.
    pub use_cmap: Option<Vec<u8>>,
}

#[inline]
fn key(len: u8, code: u32) -> u64 {
    ((len as u64) << 32) | code as u64
}

fn be(b: &[u8]) -> u32 {
    b.iter().take(4).fold(0u32, |a, &x| (a << 8) | x as u32)
}

fn utf16_text(units: &[u16]) -> String {
    char::decode_utf16(units.iter().copied())
        .filter_map(|r| r.ok())
        .filter(|c| *c != '\0')
        .collect()
}

impl CMap {
    pub fn parse(data: &[u8]) -> CMap {
        let mut cm = CMap::default();
        let mut lex = Lexer::new(data, 4);
        let mut ops: Vec<Operand> = Vec::new();
        let mut expanded = 0usize;
        let mut sec = Sec::None;
        while let Some(t) = lex.next_token() {
            match t {
                Token::Operand(o) => {
                    if ops.len() < 4096 {
                        ops.push(o);
                    }
                    // Process complete tuples eagerly so that `ops` stays small.
                    let n = match sec {
                        Sec::Space | Sec::BfChar | Sec::CidChar => 2,
                        Sec::BfRange | Sec::CidRange => 3,
                        Sec::None => 0,
                    };
                    if n > 0 && ops.len() == n {
                        cm.entry(&(sec as u8), &ops, &mut expanded);
                        ops.clear();
                    }
                }
                Token::Op(op) => {
                    match op {
                        b"begincodespacerange" => sec = Sec::Space,
                        b"beginbfchar" => sec = Sec::BfChar,
                        b"beginbfrange" => sec = Sec::BfRange,
                        b"begincidchar" => sec = Sec::CidChar,
                        b"begincidrange" => sec = Sec::CidRange,
                        b"endcodespacerange" | b"endbfchar" | b"endbfrange" | b"endcidchar"
                        | b"endcidrange" => sec = Sec::None,
                        b"def" => {
                            if let [Operand::Name(n), Operand::Num(v)] = ops.as_slice() {
                                if n.as_ref() == b"WMode" && *v == 1.0 {
                                    cm.vertical = true;
                                }
                            }
                        }
                        b"usecmap" => {
                            if let Some(Operand::Name(n)) = ops.last() {
                                cm.use_cmap = Some(n.to_vec());
                            }
                        }
                        _ => {}
                    }
                    ops.clear();
                }
                Token::InlineImage => ops.clear(),
            }
        }
        cm
    }

    fn entry(&mut self, kind: &u8, ops: &[Operand], expanded: &mut usize) {
        match (kind, ops) {
            (0, [Operand::Str(lo), Operand::Str(hi)]) => {
                let len = lo.len().min(hi.len());
                if (1..=4).contains(&len) {
                    let mut s = CodeSpace {
                        len: len as u8,
                        lo: [0; 4],
                        hi: [0; 4],
                    };
                    s.lo[..len].copy_from_slice(&lo[..len]);
                    s.hi[..len].copy_from_slice(&hi[..len]);
                    self.spaces.push(s);
                }
            }
            (1, [Operand::Str(src), dst]) => {
                if src.is_empty() || src.len() > 4 {
                    return;
                }
                let text = match dst {
                    Operand::Str(d) => utf16_text(&d.chunks(2).map(unit).collect::<Vec<_>>()),
                    Operand::Name(n) => {
                        let mut s = String::new();
                        super::glyphlist::glyph_to_text(&String::from_utf8_lossy(n), &mut s);
                        s
                    }
                    _ => return,
                };
                self.text
                    .insert(key(src.len() as u8, be(src)), text.into_boxed_str());
            }
            (2, [Operand::Str(lo), Operand::Str(hi), dst]) => {
                if lo.is_empty() || lo.len() > 4 {
                    return;
                }
                let len = lo.len() as u8;
                let (l, h) = (be(lo), be(hi));
                if h < l {
                    return;
                }
                match dst {
                    Operand::Str(d) => {
                        let units: Vec<u16> = d.chunks(2).map(unit).collect();
                        if units.is_empty() {
                            return;
                        }
                        let span = (h - l) as usize + 1;
                        if *expanded + span <= EXPAND_BUDGET {
                            *expanded += span;
                            let mut u = units.clone();
                            for c in l..=h {
                                let idx = u.len() - 1;
                                u[idx] = units[idx].wrapping_add((c - l) as u16);
                                self.text
                                    .insert(key(len, c), utf16_text(&u).into_boxed_str());
                            }
                        } else {
                            self.ranges.push(Range {
                                len,
                                lo: l,
                                hi: h,
                                dst: RangeDst::Offset(units),
                            });
                        }
                    }
                    Operand::Array(items) => {
                        for (i, it) in items.iter().enumerate() {
                            let c = l.saturating_add(i as u32);
                            if c > h {
                                break;
                            }
                            if let Operand::Str(d) = it {
                                let u: Vec<u16> = d.chunks(2).map(unit).collect();
                                self.text
                                    .insert(key(len, c), utf16_text(&u).into_boxed_str());
                            }
                        }
                    }
                    _ => {}
                }
            }
            (3, [Operand::Str(src), Operand::Num(cid)])
                if !src.is_empty() && src.len() <= 4 && *cid >= 0.0 =>
            {
                self.cids.insert(key(src.len() as u8, be(src)), *cid as u32);
            }
            (4, [Operand::Str(lo), Operand::Str(hi), Operand::Num(cid)]) => {
                if lo.is_empty() || lo.len() > 4 || *cid < 0.0 {
                    return;
                }
                let len = lo.len() as u8;
                let (l, h) = (be(lo), be(hi));
                if h < l {
                    return;
                }
                let span = (h - l) as usize + 1;
                if *expanded + span <= EXPAND_BUDGET {
                    *expanded += span;
                    for c in l..=h {
                        self.cids.insert(key(len, c), *cid as u32 + (c - l));
                    }
                } else {
                    self.ranges.push(Range {
                        len,
                        lo: l,
                        hi: h,
                        dst: RangeDst::Cid(*cid as u32),
                    });
                }
            }
            _ => {}
        }
    }

    pub fn has_codespace(&self) -> bool {
        !self.spaces.is_empty()
    }

    /// Cuts the next code from `bytes`, returning (code, byte length). Falls
    /// back to `default_len` bytes when no codespace range matches, which is
    /// what viewers do with codes outside the declared space.
    pub fn next_code(&self, bytes: &[u8], default_len: usize) -> (u32, usize) {
        for s in &self.spaces {
            let n = s.len as usize;
            if bytes.len() >= n && (0..n).all(|i| bytes[i] >= s.lo[i] && bytes[i] <= s.hi[i]) {
                return (be(&bytes[..n]), n);
            }
        }
        let n = if self.spaces.is_empty() {
            default_len
        } else {
            self.spaces
                .iter()
                .map(|s| s.len as usize)
                .min()
                .unwrap_or(default_len)
        };
        let n = n.clamp(1, bytes.len().max(1)).min(bytes.len());
        (be(&bytes[..n]), n.max(1))
    }

    /// The text of code `code` (of `len` bytes), appended to `out`.
    pub fn lookup_text(&self, code: u32, len: usize, out: &mut String) -> bool {
        if let Some(t) = self.text.get(&key(len as u8, code)) {
            out.push_str(t);
            return true;
        }
        for r in self.ranges.iter().rev() {
            if r.len as usize == len && code >= r.lo && code <= r.hi {
                if let RangeDst::Offset(units) = &r.dst {
                    let mut u = units.clone();
                    if let Some(last) = u.last_mut() {
                        *last = last.wrapping_add((code - r.lo) as u16);
                    }
                    out.push_str(&utf16_text(&u));
                    return true;
                }
            }
        }
        false
    }

    pub fn lookup_cid(&self, code: u32, len: usize) -> Option<u32> {
        if let Some(c) = self.cids.get(&key(len as u8, code)) {
            return Some(*c);
        }
        self.ranges.iter().rev().find_map(|r| match r.dst {
            RangeDst::Cid(base) if r.len as usize == len && code >= r.lo && code <= r.hi => {
                Some(base + (code - r.lo))
            }
            _ => None,
        })
    }
}

fn unit(c: &[u8]) -> u16 {
    match c {
        [a, b] => u16::from_be_bytes([*a, *b]),
        [a] => *a as u16,
        _ => 0,
    }
}

/// The CMap section being read; the discriminant is the `entry` kind.
#[derive(PartialEq, Clone, Copy)]
enum Sec {
    Space = 0,
    BfChar = 1,
    BfRange = 2,
    CidChar = 3,
    CidRange = 4,
    None = 5,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bfchar_bfrange() {
        let cm = CMap::parse(
            b"1 begincodespacerange <0000> <FFFF> endcodespacerange\n\
              2 beginbfchar <0003> <0020> <0011> <00660069> endbfchar\n\
              2 beginbfrange <0024> <0026> <0041> <0030> <0031> [<00E9> <0152>] endbfrange",
        );
        let mut s = String::new();
        assert_eq!(cm.next_code(&[0, 3, 0, 0x25], 1), (3, 2));
        for c in [3u32, 0x11, 0x24, 0x26, 0x30, 0x31] {
            cm.lookup_text(c, 2, &mut s);
        }
        assert_eq!(s, " fiACéŒ");
    }
}
