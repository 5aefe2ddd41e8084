//! A small, allocation-light tokenizer for content streams and CMap files.
//!
//! lopdf can parse content streams into `Operation`s, but it allocates an
//! object tree for every operator and gives no hook to stop on a work budget.
//! Text extraction only needs a handful of operators, so this lexer walks the
//! bytes once, yields operands and operators, and bounds everything that could
//! grow on hostile input: array/dictionary nesting (an explicit depth counter,
//! no recursion), string lengths (bounded by the input) and inline image data
//! (skipped by scanning for `EI`).

use std::borrow::Cow;

/// One operand on the content stream's stack.
/// Names and strings borrow from the content stream when they need no
/// unescaping, which is nearly always: it saves an allocation per `Tj`.
#[derive(Debug, Clone, PartialEq)]
pub enum Operand<'a> {
    Num(f64),
    Name(Cow<'a, [u8]>),
    Str(Bytes<'a>),
    Array(Vec<Operand<'a>>),
    Dict(Vec<(Cow<'a, [u8]>, Operand<'a>)>),
    Bool(bool),
    Null,
}

/// String operand bytes: borrowed from the stream, inline when short (the
/// many tiny hex strings of a `TJ` array then cost no allocation), or owned.
#[derive(Debug, Clone, PartialEq)]
pub enum Bytes<'a> {
    Borrowed(&'a [u8]),
    Inline([u8; 30], u8),
    Owned(Vec<u8>),
}

impl<'a> Bytes<'a> {
    fn from_vec(v: Vec<u8>) -> Self {
        if v.len() <= 30 {
            let mut a = [0u8; 30];
            a[..v.len()].copy_from_slice(&v);
            Bytes::Inline(a, v.len() as u8)
        } else {
            Bytes::Owned(v)
        }
    }
}

impl std::ops::Deref for Bytes<'_> {
    type Target = [u8];
    fn deref(&self) -> &[u8] {
        match self {
            Bytes::Borrowed(b) => b,
            Bytes::Inline(a, n) => &a[..(*n as usize).min(30)],
            Bytes::Owned(v) => v,
        }
    }
}

impl Operand<'_> {
    pub fn num(&self) -> Option<f64> {
        match self {
            Operand::Num(n) if n.is_finite() => Some(*n),
            _ => None,
        }
    }
}

/// A lexed token: an operand, or an operator keyword (borrowed from the input).
#[derive(Debug)]
pub enum Token<'a> {
    Operand(Operand<'a>),
    Op(&'a [u8]),
    /// Inline image: the dictionary entries between BI and ID; the data is skipped.
    InlineImage,
}

pub struct Lexer<'a> {
    buf: &'a [u8],
    pos: usize,
    max_depth: usize,
    /// Emptied arrays given back by the caller (see [`Lexer::recycle`]):
    /// a page shows text with thousands of `TJ` arrays, and reusing their
    /// buffers spares an allocation and its growth for each.
    pool: Vec<Vec<Operand<'a>>>,
    /// The frames of `composite`, kept between calls for the same reason.
    frames: Vec<Frame<'a>>,
}

/// Byte classes, looked up once per byte on the hot path.
const WHITE: u8 = 1;
const DELIM: u8 = 2;
const HEX: u8 = 4;

const fn classes() -> [u8; 256] {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        let b = i as u8;
        let mut c = 0;
        if matches!(b, b' ' | b'\n' | b'\r' | b'\t' | b'\x0c' | b'\0') {
            c |= WHITE;
        }
        if matches!(
            b,
            b'(' | b')' | b'<' | b'>' | b'[' | b']' | b'{' | b'}' | b'/' | b'%'
        ) {
            c |= DELIM;
        }
        if b.is_ascii_hexdigit() {
            c |= HEX;
        }
        t[i] = c;
        i += 1;
    }
    t
}

static CLASS: [u8; 256] = classes();

#[inline]
pub fn is_white(b: u8) -> bool {
    CLASS[b as usize] & WHITE != 0
}

#[inline]
pub fn is_delim(b: u8) -> bool {
    CLASS[b as usize] & DELIM != 0
}

#[inline]
fn is_regular(b: u8) -> bool {
    CLASS[b as usize] & (WHITE | DELIM) == 0
}

#[inline]
fn hexval(b: u8) -> Option<u8> {
    if CLASS[b as usize] & HEX == 0 {
        return None;
    }
    Some(match b {
        b'0'..=b'9' => b - b'0',
        b'a'..=b'f' => b - b'a' + 10,
        _ => b - b'A' + 10,
    })
}

const MAX_ELEMENTS: usize = 1 << 20;

/// Frames of an array or dictionary under construction; kept on an explicit
/// stack so that `[[[[...` cannot overflow the thread's stack.
enum Frame<'a> {
    Array(Vec<Operand<'a>>),
    Dict(Vec<(Cow<'a, [u8]>, Operand<'a>)>, Option<Cow<'a, [u8]>>),
}

impl<'a> Lexer<'a> {
    pub fn new(buf: &'a [u8], max_depth: usize) -> Self {
        Lexer {
            buf,
            pos: 0,
            max_depth: max_depth.max(2),
            pool: Vec::new(),
            frames: Vec::new(),
        }
    }

    /// Takes back an operand the caller is done with, so that the buffers
    /// of its arrays serve the next ones.
    pub fn recycle(&mut self, o: Operand<'a>) {
        if let Operand::Array(mut v) = o {
            if self.pool.len() < 16 && v.capacity() <= 1 << 16 {
                v.clear();
                self.pool.push(v);
            }
        }
    }

    fn skip_ws(&mut self) {
        while self.pos < self.buf.len() {
            let b = self.buf[self.pos];
            if is_white(b) {
                self.pos += 1;
            } else if b == b'%' {
                while self.pos < self.buf.len()
                    && self.buf[self.pos] != b'\n'
                    && self.buf[self.pos] != b'\r'
                {
                    self.pos += 1;
                }
            } else {
                break;
            }
        }
    }

    /// Next token, or `None` at the end of the input.
    pub fn next_token(&mut self) -> Option<Token<'a>> {
        loop {
            self.skip_ws();
            if self.pos >= self.buf.len() {
                return None;
            }
            let b = self.buf[self.pos];
            match b {
                b'[' | b'<' if b == b'[' || self.buf.get(self.pos + 1) == Some(&b'<') => {
                    return self
                        .composite()
                        .map(Token::Operand)
                        .or_else(|| self.next_token());
                }
                b'(' | b'<' | b'/' | b'0'..=b'9' | b'+' | b'-' | b'.' => {
                    if let Some(o) = self.simple() {
                        return Some(Token::Operand(o));
                    }
                    continue;
                }
                b']' | b'>' | b')' | b'{' | b'}' => {
                    // Stray closer: skip it, as viewers do.
                    self.pos += 1;
                    continue;
                }
                _ => {
                    let start = self.pos;
                    while self.pos < self.buf.len() && is_regular(self.buf[self.pos]) {
                        self.pos += 1;
                    }
                    let word = &self.buf[start..self.pos];
                    match word {
                        b"true" => return Some(Token::Operand(Operand::Bool(true))),
                        b"false" => return Some(Token::Operand(Operand::Bool(false))),
                        b"null" => return Some(Token::Operand(Operand::Null)),
                        b"BI" => {
                            self.skip_inline_image();
                            return Some(Token::InlineImage);
                        }
                        _ => return Some(Token::Op(word)),
                    }
                }
            }
        }
    }

    /// Skips `<dict> ID <data> EI`. The data length is unknown without
    /// decoding, so we look for `EI` between white space, the way most readers do.
    fn skip_inline_image(&mut self) {
        let buf = self.buf;
        // Find the ID keyword first (the dictionary cannot contain it as a token).
        let mut i = self.pos;
        let mut found_id = false;
        while i + 1 < buf.len() {
            if buf[i] == b'I'
                && buf[i + 1] == b'D'
                && (i == 0 || is_white(buf[i - 1]) || is_delim(buf[i - 1]))
                && buf.get(i + 2).is_none_or(|c| is_white(*c))
            {
                found_id = true;
                i += 3;
                break;
            }
            i += 1;
        }
        if !found_id {
            self.pos = buf.len();
            return;
        }
        while i + 1 < buf.len() {
            if buf[i] == b'E'
                && buf[i + 1] == b'I'
                && i > 0
                && is_white(buf[i - 1])
                && buf.get(i + 2).is_none_or(|c| is_white(*c) || is_delim(*c))
            {
                self.pos = i + 2;
                return;
            }
            i += 1;
        }
        self.pos = buf.len();
    }

    /// Strings, names and numbers. Returns `None` (having advanced) on junk.
    fn simple(&mut self) -> Option<Operand<'a>> {
        let buf = self.buf;
        let b = *buf.get(self.pos)?;
        match b {
            b'(' => Some(Operand::Str(self.literal_string())),
            b'<' => Some(Operand::Str(self.hex_string())),
            b'/' => {
                self.pos += 1;
                let start = self.pos;
                while self.pos < buf.len() && is_regular(buf[self.pos]) {
                    self.pos += 1;
                }
                let raw = &buf[start..self.pos];
                if !raw.contains(&b'#') {
                    return Some(Operand::Name(Cow::Borrowed(raw)));
                }
                let mut out = Vec::with_capacity(raw.len());
                let mut k = 0;
                while k < raw.len() {
                    if raw[k] == b'#' && k + 2 < raw.len() {
                        if let (Some(h), Some(l)) = (hexval(raw[k + 1]), hexval(raw[k + 2])) {
                            out.push(h * 16 + l);
                            k += 3;
                            continue;
                        }
                    }
                    out.push(raw[k]);
                    k += 1;
                }
                Some(Operand::Name(Cow::Owned(out)))
            }
            _ => {
                let start = self.pos;
                while self.pos < buf.len()
                    && matches!(buf[self.pos], b'0'..=b'9' | b'+' | b'-' | b'.')
                {
                    self.pos += 1;
                }
                let n = parse_number(&buf[start..self.pos]);
                if self.pos == start {
                    self.pos += 1;
                }
                n.map(Operand::Num)
            }
        }
    }

    fn literal_string(&mut self) -> Bytes<'a> {
        let buf = self.buf;
        self.pos += 1; // (
                       // Fast path: no escape and no nested parenthesis before the close.
        let start = self.pos;
        if let Some(k) = buf[start..]
            .iter()
            .position(|&c| c == b')' || c == b'(' || c == b'\\')
        {
            if buf[start + k] == b')' {
                self.pos = start + k + 1;
                return Bytes::Borrowed(&buf[start..start + k]);
            }
        }
        Bytes::from_vec(self.literal_string_slow())
    }

    fn literal_string_slow(&mut self) -> Vec<u8> {
        let buf = self.buf;
        let mut out = Vec::new();
        let mut depth = 1usize;
        while self.pos < buf.len() {
            let c = buf[self.pos];
            self.pos += 1;
            match c {
                b'(' => {
                    depth += 1;
                    out.push(c);
                }
                b')' => {
                    depth -= 1;
                    if depth == 0 {
                        return out;
                    }
                    out.push(c);
                }
                b'\\' => {
                    let Some(&e) = buf.get(self.pos) else { break };
                    self.pos += 1;
                    match e {
                        b'n' => out.push(b'\n'),
                        b'r' => out.push(b'\r'),
                        b't' => out.push(b'\t'),
                        b'b' => out.push(8),
                        b'f' => out.push(12),
                        b'\r' => {
                            if buf.get(self.pos) == Some(&b'\n') {
                                self.pos += 1;
                            }
                        }
                        b'\n' => {}
                        b'0'..=b'7' => {
                            let mut v: u32 = (e - b'0') as u32;
                            for _ in 0..2 {
                                match buf.get(self.pos) {
                                    Some(&d @ b'0'..=b'7') => {
                                        v = v * 8 + (d - b'0') as u32;
                                        self.pos += 1;
                                    }
                                    _ => break,
                                }
                            }
                            out.push((v & 0xff) as u8);
                        }
                        other => out.push(other),
                    }
                }
                _ => out.push(c),
            }
        }
        out
    }

    fn hex_string(&mut self) -> Bytes<'a> {
        let buf = self.buf;
        self.pos += 1; // <
        let mut inline = [0u8; 30];
        let mut n = 0usize;
        let mut out: Vec<u8> = Vec::new();
        let mut push = |b: u8, out: &mut Vec<u8>| {
            if n < 30 {
                inline[n] = b;
                n += 1;
            } else {
                if out.is_empty() {
                    out.extend_from_slice(&inline);
                }
                out.push(b);
            }
        };
        let mut hi: Option<u8> = None;
        while self.pos < buf.len() {
            let c = buf[self.pos];
            self.pos += 1;
            if c == b'>' {
                break;
            }
            if let Some(v) = hexval(c) {
                match hi.take() {
                    Some(h) => push(h * 16 + v, &mut out),
                    None => hi = Some(v),
                }
            }
        }
        if let Some(h) = hi {
            push(h * 16, &mut out);
        }
        if out.is_empty() {
            Bytes::Inline(inline, n as u8)
        } else {
            Bytes::Owned(out)
        }
    }

    /// Arrays and dictionaries, built with an explicit stack. Beyond
    /// `max_depth` the inner content is dropped (the operator will see a
    /// truncated operand, which is harmless for text extraction).
    fn composite(&mut self) -> Option<Operand<'a>> {
        let mut stack = std::mem::take(&mut self.frames);
        let r = self.composite_in(&mut stack);
        stack.clear();
        self.frames = stack;
        r
    }

    fn composite_in(&mut self, stack: &mut Vec<Frame<'a>>) -> Option<Operand<'a>> {
        let buf = self.buf;
        let mut too_deep = 0usize;
        // Elements kept per composite operand: a TJ of a whole page has a few
        // ten thousand; past this the stream is hostile and the rest is dropped.
        let mut room = MAX_ELEMENTS;
        loop {
            self.skip_ws();
            if self.pos >= buf.len() {
                // Unterminated: close everything that is open.
                let mut last: Option<Operand<'a>> = None;
                while let Some(f) = stack.pop() {
                    let mut v = close(f);
                    if let Some(inner) = last.take() {
                        push_into(&mut v, inner);
                    }
                    last = Some(v);
                }
                return last;
            }
            let b = buf[self.pos];
            let value: Option<Operand<'a>> = match b {
                b'[' => {
                    self.pos += 1;
                    if stack.len() >= self.max_depth {
                        too_deep += 1;
                    } else {
                        stack.push(Frame::Array(self.pool.pop().unwrap_or_default()));
                    }
                    None
                }
                b'<' if buf.get(self.pos + 1) == Some(&b'<') => {
                    self.pos += 2;
                    if stack.len() >= self.max_depth {
                        too_deep += 1;
                    } else {
                        stack.push(Frame::Dict(Vec::new(), None));
                    }
                    None
                }
                b']' | b'>' => {
                    self.pos += if b == b'>' && buf.get(self.pos + 1) == Some(&b'>') {
                        2
                    } else {
                        1
                    };
                    if too_deep > 0 {
                        too_deep -= 1;
                        None
                    } else {
                        match stack.pop() {
                            Some(f) => Some(close(f)),
                            None => return None,
                        }
                    }
                }
                b'(' | b'<' | b'/' | b'0'..=b'9' | b'+' | b'-' | b'.' => self.simple(),
                b')' | b'{' | b'}' => {
                    self.pos += 1;
                    None
                }
                _ => {
                    let start = self.pos;
                    while self.pos < buf.len() && is_regular(buf[self.pos]) {
                        self.pos += 1;
                    }
                    match &buf[start..self.pos] {
                        b"true" => Some(Operand::Bool(true)),
                        b"false" => Some(Operand::Bool(false)),
                        b"null" => Some(Operand::Null),
                        // An operator inside an array means the array was never
                        // closed; end it here and give the operator back.
                        _ => {
                            self.pos = start;
                            let mut last: Option<Operand<'a>> = None;
                            while let Some(f) = stack.pop() {
                                let mut v = close(f);
                                if let Some(inner) = last.take() {
                                    push_into(&mut v, inner);
                                }
                                last = Some(v);
                            }
                            return last;
                        }
                    }
                }
            };
            if let Some(v) = value {
                if too_deep > 0 || (room == 0 && !stack.is_empty()) {
                    continue;
                }
                room = room.saturating_sub(1);
                match stack.last_mut() {
                    Some(Frame::Array(a)) => a.push(v),
                    Some(Frame::Dict(d, key)) => match key.take() {
                        Some(k) => d.push((k, v)),
                        None => {
                            if let Operand::Name(n) = v {
                                *key = Some(n);
                            }
                        }
                    },
                    None => return Some(v),
                }
            }
        }
    }
}

fn close(f: Frame<'_>) -> Operand<'_> {
    match f {
        Frame::Array(a) => Operand::Array(a),
        Frame::Dict(d, _) => Operand::Dict(d),
    }
}

fn push_into<'a>(container: &mut Operand<'a>, v: Operand<'a>) {
    match container {
        Operand::Array(a) => a.push(v),
        Operand::Dict(d) => d.push((Cow::Borrowed(&[]), v)),
        _ => {}
    }
}

/// PDF numbers: optional sign, digits, at most one point. Lenient on junk
/// like `--5` or `1.2.3` (takes what parses), as viewers are.
pub fn parse_number(s: &[u8]) -> Option<f64> {
    let mut i = 0;
    let mut neg = false;
    while i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        neg ^= s[i] == b'-';
        i += 1;
    }
    let mut int: f64 = 0.0;
    let mut any = false;
    while i < s.len() && s[i].is_ascii_digit() {
        int = int * 10.0 + (s[i] - b'0') as f64;
        i += 1;
        any = true;
    }
    if i < s.len() && s[i] == b'.' {
        i += 1;
        let mut scale = 0.1;
        while i < s.len() && s[i].is_ascii_digit() {
            int += (s[i] - b'0') as f64 * scale;
            scale *= 0.1;
            i += 1;
            any = true;
        }
    }
    if !any {
        return None;
    }
    Some(if neg { -int } else { int })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &[u8]) -> Vec<String> {
        let mut l = Lexer::new(s, 8);
        let mut out = Vec::new();
        while let Some(t) = l.next_token() {
            out.push(match t {
                Token::Op(o) => format!("op:{}", String::from_utf8_lossy(o)),
                Token::Operand(o) => format!("{:?}", o),
                Token::InlineImage => "img".into(),
            });
        }
        out
    }

    #[test]
    fn basic_tokens() {
        let t = toks(b"BT /F1 12 Tf (a\\(b\\)) Tj [(x) -250 (y)] TJ <48 65> Tj ET");
        assert_eq!(t[0], "op:BT");
        assert_eq!(t[1], "Name([70, 49])");
        assert!(t[4].contains("[97, 40, 98, 41"), "{}", t[4]);
        assert!(t[6].starts_with("Array"));
        assert!(t[8].starts_with("Str(Inline([72, 101, 0"), "{}", t[8]);
    }

    #[test]
    fn inline_image_is_skipped() {
        let t = toks(b"q BI /W 2 /H 2 ID \x00EI\x01\xff EI Q");
        assert_eq!(t, vec!["op:q", "img", "op:Q"]);
    }

    #[test]
    fn huge_arrays_are_capped() {
        let s = b"["
            .iter()
            .chain(b"0 ".repeat(MAX_ELEMENTS + 10).iter())
            .chain(b"] TJ".iter())
            .copied()
            .collect::<Vec<u8>>();
        let mut l = Lexer::new(&s, 8);
        match l.next_token() {
            Some(Token::Operand(Operand::Array(a))) => assert_eq!(a.len(), MAX_ELEMENTS),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn deep_arrays_do_not_recurse() {
        let mut s = vec![b'['; 100_000];
        s.extend(vec![b']'; 100_000]);
        s.extend(b" TJ");
        let t = toks(&s);
        assert_eq!(t.last().map(|s| s.as_str()), Some("op:TJ"));
    }
}
