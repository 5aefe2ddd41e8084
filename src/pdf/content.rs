//! The content-stream interpreter: runs a page's operators and emits one
//! positioned [`Glyph`] per shown character code.
//!
//! Only the state that places text is tracked (CTM, text matrices, text
//! state, font); paths and colours are ignored. Form XObjects run recursively
//! with their own depth counter and a stack of the forms being run, so a form
//! that draws itself stops instead of overflowing the stack. Every operator
//! and every decompressed byte is charged to the document's [`Budget`].

use std::collections::HashMap;
use std::rc::Rc;

use lopdf::{Dictionary, Document, Object, ObjectId};

use super::encodings::decode_text_string;
use super::fonts::Font;
use super::lexer::{Lexer, Operand, Token};
use super::{Budget, PdfError};

pub type Matrix = [f64; 6];

/// Per-page caps on what is kept (not on work, which the budget bounds): a
/// page is not a book, and a hostile ToUnicode map can make one code expand
/// to a long string.
const MAX_GLYPHS: usize = 4_000_000;
const MAX_TEXT: usize = 64 << 20;
pub const IDENTITY: Matrix = [1.0, 0.0, 0.0, 1.0, 0.0, 0.0];

/// `a × b` (apply a, then b), the PDF convention for `cm`, `Tm` etc.
#[inline]
pub fn mul(a: &Matrix, b: &Matrix) -> Matrix {
    [
        a[0] * b[0] + a[1] * b[2],
        a[0] * b[1] + a[1] * b[3],
        a[2] * b[0] + a[3] * b[2],
        a[2] * b[1] + a[3] * b[3],
        a[4] * b[0] + a[5] * b[2] + b[4],
        a[4] * b[1] + a[5] * b[3] + b[5],
    ]
}

/// `tm = [1 0 0 1 tx ty] × tm`, without the full product.
#[inline]
fn translate(tm: &mut Matrix, tx: f64, ty: f64) {
    tm[4] += tx * tm[0] + ty * tm[2];
    tm[5] += tx * tm[1] + ty * tm[3];
}

#[inline]
fn apply(m: &Matrix, x: f64, y: f64) -> (f64, f64) {
    (x * m[0] + y * m[2] + m[4], x * m[1] + y * m[3] + m[5])
}

/// One shown glyph in device space (page rotation applied).
#[derive(Debug, Clone, Copy)]
pub struct Glyph {
    /// Origin of the glyph.
    pub x0: f64,
    pub y0: f64,
    /// Origin advanced by the glyph's width (along the writing direction).
    pub x1: f64,
    pub y1: f64,
    /// Em size in device space.
    pub size: f64,
    /// The glyph's text in the page's text buffer.
    pub start: u32,
    pub len: u32,
    /// Unit vector of the writing direction (used when the width is zero).
    pub dx: f32,
    pub dy: f32,
}

#[derive(Clone)]
struct GState {
    ctm: Matrix,
    font: Option<Rc<Font>>,
    fs: f64,
    tc: f64,
    tw: f64,
    th: f64,
    tl: f64,
    rise: f64,
}

/// Caches shared by all pages of one document.
#[derive(Default)]
pub struct DocCache {
    fonts: HashMap<usize, Rc<Font>>,
    forms: HashMap<ObjectId, Rc<Vec<u8>>>,
    fallback: Option<Rc<Font>>,
}

pub struct PageOut {
    pub glyphs: Vec<Glyph>,
    pub text: String,
    pub painted_image: bool,
}

pub struct Interp<'a> {
    doc: &'a Document,
    budget: &'a mut Budget,
    cache: &'a mut DocCache,
    max_depth: usize,
    forms: Vec<ObjectId>,
    pub out: PageOut,
    /// /ActualText spans: the replacement text, and whether a glyph took it.
    actual: Vec<Option<(String, bool)>>,
    /// The fonts `Tf` named last on this page, by resource dictionary and
    /// name. A page switches between two or three fonts thousands of
    /// times; this spares the dictionary lookups of each switch.
    recent_fonts: Vec<(Option<&'a Dictionary>, Vec<u8>, Rc<Font>)>,
}

fn deref<'a>(doc: &'a Document, o: &'a Object) -> &'a Object {
    match o {
        Object::Reference(id) => doc.get_object(*id).unwrap_or(&Object::Null),
        _ => o,
    }
}

fn matrix_of(doc: &Document, o: Option<&Object>) -> Option<Matrix> {
    let a = match o.map(|o| deref(doc, o)) {
        Some(Object::Array(a)) if a.len() == 6 => a,
        _ => return None,
    };
    let mut m = [0.0; 6];
    for (i, v) in a.iter().enumerate() {
        m[i] = match deref(doc, v) {
            Object::Integer(n) => *n as f64,
            Object::Real(r) => *r as f64,
            _ => return None,
        };
        if !m[i].is_finite() {
            return None;
        }
    }
    Some(m)
}

impl<'a> Interp<'a> {
    pub fn new(
        doc: &'a Document,
        budget: &'a mut Budget,
        cache: &'a mut DocCache,
        max_depth: usize,
    ) -> Self {
        Interp {
            doc,
            budget,
            cache,
            max_depth,
            forms: Vec::new(),
            out: PageOut {
                glyphs: Vec::new(),
                text: String::new(),
                painted_image: false,
            },
            actual: Vec::new(),
            recent_fonts: Vec::new(),
        }
    }

    fn resource(&self, res: Option<&'a Dictionary>, cat: &[u8], name: &[u8]) -> Option<&'a Object> {
        let doc: &'a Document = self.doc;
        let cat = deref(doc, res?.get(cat).ok()?).as_dict().ok()?;
        cat.get(name).ok()
    }

    fn font(&mut self, res: Option<&'a Dictionary>, name: &[u8]) -> Option<Rc<Font>> {
        let same = |r: &Option<&Dictionary>| match (r, res) {
            (Some(a), Some(b)) => std::ptr::eq(*a, b),
            (None, None) => true,
            _ => false,
        };
        if let Some((_, _, f)) = self.recent_fonts.iter().find(|(r, n, _)| same(r) && n == name) {
            return Some(f.clone());
        }
        let f = self.font_uncached(res, name)?;
        if self.recent_fonts.len() >= 8 {
            self.recent_fonts.remove(0);
        }
        self.recent_fonts.push((res, name.to_vec(), f.clone()));
        Some(f)
    }

    fn font_uncached(&mut self, res: Option<&'a Dictionary>, name: &[u8]) -> Option<Rc<Font>> {
        let o = self.resource(res, b"Font", name)?;
        let (key, dict) = match o {
            Object::Reference(id) => {
                let d = self.doc.get_object(*id).ok()?.as_dict().ok()?;
                (((id.0 as usize) << 16) | id.1 as usize, d)
            }
            // A direct dictionary has no id; its address is stable while the
            // document is borrowed, which is all a cache key needs here.
            Object::Dictionary(d) => (d as *const Dictionary as usize | (1usize << 63), d),
            _ => return None,
        };
        if let Some(f) = self.cache.fonts.get(&key) {
            return Some(f.clone());
        }
        let f = Rc::new(Font::load(self.doc, dict, self.budget));
        self.cache.fonts.insert(key, f.clone());
        Some(f)
    }

    /// The font used when `Tf` names a font the resources do not have (a
    /// damaged file): Helvetica with WinAnsi, the likeliest encoding of a
    /// Latin text, so the text is not lost.
    fn fallback_font(&mut self) -> Rc<Font> {
        if let Some(f) = &self.cache.fallback {
            return f.clone();
        }
        let mut d = Dictionary::new();
        d.set("Encoding", Object::Name(b"WinAnsiEncoding".to_vec()));
        let f = Rc::new(Font::load(self.doc, &d, self.budget));
        self.cache.fallback = Some(f.clone());
        f
    }

    /// Runs a content stream with the given resources and initial CTM.
    pub fn run(
        &mut self,
        content: &[u8],
        res: Option<&'a Dictionary>,
        ctm: Matrix,
        depth: usize,
    ) -> Result<(), PdfError> {
        if depth > self.max_depth {
            return Err(PdfError::Limit(format!(
                "Form XObjects nested deeper than {}",
                self.max_depth
            )));
        }
        if depth == 0 {
            // A glyph takes a few bytes of content ("<0A>-6 "): room for a
            // page's glyphs at once rather than by doubling.
            self.out.glyphs.reserve((content.len() / 4).min(1 << 16));
            self.out.text.reserve((content.len() / 4).min(1 << 18));
        }
        let mut gs = GState {
            ctm,
            font: None,
            fs: 0.0,
            tc: 0.0,
            tw: 0.0,
            th: 1.0,
            tl: 0.0,
            rise: 0.0,
        };
        let mut stack: Vec<GState> = Vec::new();
        let mut tm = IDENTITY;
        let mut tlm = IDENTITY;
        let mut ops: Vec<Operand> = Vec::new();
        let mut lex = Lexer::new(content, self.max_depth);
        let actual_base = self.actual.len();
        while let Some(tok) = lex.next_token() {
            self.budget.op()?;
            let op = match tok {
                Token::Operand(o) => {
                    if ops.len() >= 64 {
                        // No text operator takes this many operands: junk.
                        ops.remove(0);
                    }
                    ops.push(o);
                    continue;
                }
                Token::InlineImage => {
                    self.out.painted_image = true;
                    ops.clear();
                    continue;
                }
                Token::Op(op) => op,
            };
            let n = |i: usize| ops.get(i).and_then(Operand::num).unwrap_or(0.0);
            // Operands counted from the end, as viewers do when there are extras.
            let tail = |k: usize| ops.len().checked_sub(k).map(|s| &ops[s..]).unwrap_or(&[]);
            match op {
                // Deeper saves than this are junk; ignoring them is harmless.
                b"q" if stack.len() < 4096 => stack.push(gs.clone()),
                b"Q" => {
                    if let Some(g) = stack.pop() {
                        gs = g;
                    }
                }
                b"cm" => {
                    let t = tail(6);
                    if t.len() == 6 {
                        let m: Matrix = std::array::from_fn(|i| t[i].num().unwrap_or(0.0));
                        gs.ctm = mul(&m, &gs.ctm);
                    }
                }
                b"BT" => {
                    tm = IDENTITY;
                    tlm = IDENTITY;
                }
                b"ET" => {}
                b"Tf" => {
                    let t = tail(2);
                    if let [Operand::Name(name), size] = t {
                        gs.font = match self.font(res, name) {
                            Some(f) => Some(f),
                            None => Some(self.fallback_font()),
                        };
                        gs.fs = size.num().unwrap_or(0.0);
                    }
                }
                b"Tc" => gs.tc = tail(1).first().and_then(Operand::num).unwrap_or(0.0),
                b"Tw" => gs.tw = tail(1).first().and_then(Operand::num).unwrap_or(0.0),
                b"Tz" => gs.th = tail(1).first().and_then(Operand::num).unwrap_or(100.0) / 100.0,
                b"TL" => gs.tl = tail(1).first().and_then(Operand::num).unwrap_or(0.0),
                b"Ts" => gs.rise = tail(1).first().and_then(Operand::num).unwrap_or(0.0),
                b"Td" | b"TD" => {
                    let t = tail(2);
                    let (tx, ty) = (
                        t.first().and_then(Operand::num).unwrap_or(0.0),
                        t.get(1).and_then(Operand::num).unwrap_or(0.0),
                    );
                    if op == b"TD" {
                        gs.tl = -ty;
                    }
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, tx, ty], &tlm);
                    tm = tlm;
                }
                b"Tm" => {
                    let t = tail(6);
                    if t.len() == 6 {
                        tlm = std::array::from_fn(|i| t[i].num().unwrap_or(0.0));
                        tm = tlm;
                    }
                }
                b"T*" => {
                    tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                    tm = tlm;
                }
                b"Tj" | b"'" | b"\"" => {
                    if op == b"\"" && ops.len() >= 3 {
                        gs.tw = n(ops.len() - 3);
                        gs.tc = n(ops.len() - 2);
                    }
                    if op != b"Tj" {
                        tlm = mul(&[1.0, 0.0, 0.0, 1.0, 0.0, -gs.tl], &tlm);
                        tm = tlm;
                    }
                    if let Some(last @ Operand::Str(_)) = ops.last() {
                        self.show(std::slice::from_ref(last), &gs, &mut tm);
                    }
                }
                b"TJ" => {
                    if let Some(Operand::Array(items)) = ops.last() {
                        self.show(items, &gs, &mut tm);
                    }
                }
                b"Do" => {
                    if let Some(Operand::Name(name)) = ops.last() {
                        let name = name.to_vec();
                        self.xobject(res, &name, &gs.ctm, depth)?;
                    }
                }
                b"BDC" | b"BMC" => {
                    let mut span = None;
                    if op == b"BDC" {
                        if let Some(Operand::Dict(d)) = ops.last() {
                            if let Some((_, Operand::Str(s))) =
                                d.iter().find(|(k, _)| k.as_ref() == b"ActualText")
                            {
                                span = Some((decode_text_string(s), false));
                            }
                        }
                    }
                    if self.actual.len() < 256 {
                        self.actual.push(span);
                    }
                }
                // Only spans opened by this stream may be closed by it.
                b"EMC" if self.actual.len() > actual_base => {
                    self.actual.pop();
                }
                _ => {}
            }
            for o in ops.drain(..) {
                lex.recycle(o);
            }
        }
        self.actual.truncate(actual_base);
        Ok(())
    }

    /// Runs the normal appearance streams of the page's visible annotations
    /// (form field values, stamps), placed in their /Rect as the spec says:
    /// the form's BBox, transformed by its Matrix, is mapped onto the Rect.
    pub fn annotations(&mut self, page: &'a Dictionary, rot: Matrix) -> Result<(), PdfError> {
        let doc = self.doc;
        let Some(Object::Array(annots)) = page.get(b"Annots").ok().map(|o| deref(doc, o)) else {
            return Ok(());
        };
        for a in annots.iter().take(10_000) {
            let Ok(ad) = deref(doc, a).as_dict() else {
                continue;
            };
            let sub = ad
                .get(b"Subtype")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_name().ok())
                .unwrap_or(b"");
            if matches!(sub, b"Link" | b"Popup") {
                continue;
            }
            let flags = match ad.get(b"F").ok().map(|o| deref(doc, o)) {
                Some(Object::Integer(f)) => *f,
                _ => 0,
            };
            if flags & (2 | 32) != 0 {
                continue;
            }
            let Some(ap) = ad
                .get(b"AP")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_dict().ok())
            else {
                continue;
            };
            let Some(n) = ap.get(b"N").ok() else { continue };
            let mut target = n;
            if let Object::Dictionary(states) = deref(doc, n) {
                let as_ = ad
                    .get(b"AS")
                    .ok()
                    .map(|o| deref(doc, o))
                    .and_then(|o| o.as_name().ok());
                match as_.and_then(|s| states.get(s).ok()) {
                    Some(o) => target = o,
                    None => continue,
                }
            }
            let id = match target {
                Object::Reference(id) => Some(*id),
                _ => None,
            };
            let Ok(stream) = deref(doc, target).as_stream() else {
                continue;
            };
            let Some(r) = rect4(doc, ad.get(b"Rect").ok()) else {
                continue;
            };
            let bbox = rect4(doc, stream.dict.get(b"BBox").ok()).unwrap_or(r);
            let m = matrix_of(doc, stream.dict.get(b"Matrix").ok()).unwrap_or(IDENTITY);
            // Transformed bbox corners.
            let pts = [
                (bbox[0], bbox[1]),
                (bbox[2], bbox[3]),
                (bbox[0], bbox[3]),
                (bbox[2], bbox[1]),
            ];
            let (mut x0, mut y0, mut x1, mut y1) = (f64::MAX, f64::MAX, f64::MIN, f64::MIN);
            for (x, y) in pts {
                let (u, v) = apply(&m, x, y);
                x0 = x0.min(u);
                y0 = y0.min(v);
                x1 = x1.max(u);
                y1 = y1.max(v);
            }
            let (bw, bh) = (x1 - x0, y1 - y0);
            if !(bw > 1e-6 && bh > 1e-6) {
                continue;
            }
            let (rx0, ry0, rx1, ry1) = (
                r[0].min(r[2]),
                r[1].min(r[3]),
                r[0].max(r[2]),
                r[1].max(r[3]),
            );
            let (sx, sy) = ((rx1 - rx0) / bw, (ry1 - ry0) / bh);
            let fit = [sx, 0.0, 0.0, sy, rx0 - x0 * sx, ry0 - y0 * sy];
            if let Some(id) = id {
                if self.forms.contains(&id) {
                    continue;
                }
                self.forms.push(id);
            }
            let content = self.budget.stream(stream)?;
            // Appearance streams often rely on the field's or the form's
            // default resources (/DR) for their font.
            let dict_of =
                |o: Option<&'a Object>| o.map(|o| deref(doc, o)).and_then(|o| o.as_dict().ok());
            let acro_dr = || {
                let cat = doc.catalog().ok()?;
                let af = dict_of(cat.get(b"AcroForm").ok())?;
                dict_of(af.get(b"DR").ok())
            };
            let res = dict_of(stream.dict.get(b"Resources").ok())
                .or_else(|| dict_of(ad.get(b"DR").ok()))
                .or_else(acro_dr);
            let before = self.out.glyphs.len();
            let r = self.run(&content, res, mul(&mul(&m, &fit), &rot), 1);
            if id.is_some() {
                self.forms.pop();
            }
            r?;
            if self.out.glyphs.len() == before {
                // A text field whose appearance was never generated (the
                // form asks viewers to do it): show its value in its Rect.
                self.field_value(ad, [rx0, ry0, rx1, ry1], &rot);
            }
        }
        Ok(())
    }

    fn field_value(&mut self, ad: &Dictionary, r: [f64; 4], rot: &Matrix) {
        let doc = self.doc;
        // /FT and /V may sit on the parent field.
        let mut d = ad;
        let mut ft: Option<&[u8]> = None;
        let mut v: Option<&[u8]> = None;
        let mut da: Option<&[u8]> = None;
        for _ in 0..16 {
            ft = ft.or_else(|| {
                d.get(b"FT")
                    .ok()
                    .map(|o| deref(doc, o))
                    .and_then(|o| o.as_name().ok())
            });
            v = v.or_else(|| {
                d.get(b"V")
                    .ok()
                    .map(|o| deref(doc, o))
                    .and_then(|o| o.as_str().ok())
            });
            da = da.or_else(|| {
                d.get(b"DA")
                    .ok()
                    .map(|o| deref(doc, o))
                    .and_then(|o| o.as_str().ok())
            });
            match d
                .get(b"Parent")
                .ok()
                .map(|o| deref(doc, o))
                .and_then(|o| o.as_dict().ok())
            {
                Some(p) => d = p,
                None => break,
            }
        }
        let (Some(b"Tx"), Some(v)) = (ft, v) else {
            return;
        };
        let value = decode_text_string(v);
        if value.trim().is_empty() {
            return;
        }
        // Font size from the default appearance "... /Helv 10 Tf".
        let mut size = da
            .and_then(|da| {
                let mut lex = Lexer::new(da, 4);
                let mut last = None;
                while let Some(t) = lex.next_token() {
                    match t {
                        Token::Operand(Operand::Num(n)) => last = Some(n),
                        Token::Op(b"Tf") => return last,
                        _ => {}
                    }
                }
                None
            })
            .unwrap_or(0.0);
        let h = r[3] - r[1];
        if !(size > 0.0 && size.is_finite()) {
            size = (h * 0.7).clamp(4.0, 12.0);
        }
        let mut y = r[3] - (size * 1.1).min(h);
        for line in value
            .split(['\r', '\n'])
            .filter(|l| !l.trim().is_empty())
            .take(200)
        {
            let mut x = r[0] + 2.0;
            for c in line.chars().take(10_000) {
                let w = size * if c == ' ' { 0.28 } else { 0.5 };
                let start = self.out.text.len();
                self.out.text.push(c);
                let (x0, y0) = apply(rot, x, y);
                let (x1, y1) = apply(rot, x + w, y);
                let (dx, dy) = (((x1 - x0) / w) as f32, ((y1 - y0) / w) as f32);
                self.out.glyphs.push(Glyph {
                    x0,
                    y0,
                    x1,
                    y1,
                    size,
                    start: start as u32,
                    len: c.len_utf8() as u32,
                    dx,
                    dy,
                });
                x += w;
            }
            y -= size * 1.2;
        }
    }

    fn xobject(
        &mut self,
        res: Option<&'a Dictionary>,
        name: &[u8],
        ctm: &Matrix,
        depth: usize,
    ) -> Result<(), PdfError> {
        let doc = self.doc;
        let Some(o) = self.resource(res, b"XObject", name) else {
            return Ok(());
        };
        let id = match o {
            Object::Reference(id) => Some(*id),
            _ => None,
        };
        let Ok(stream) = deref(doc, o).as_stream() else {
            return Ok(());
        };
        let subtype = stream
            .dict
            .get(b"Subtype")
            .ok()
            .map(|o| deref(doc, o))
            .and_then(|o| o.as_name().ok());
        match subtype {
            Some(b"Image") => {
                self.out.painted_image = true;
                Ok(())
            }
            Some(b"Form") => {
                if let Some(id) = id {
                    if self.forms.contains(&id) {
                        // A form that draws itself (directly or not): skip the
                        // recursive call, keep what was drawn so far.
                        return Ok(());
                    }
                }
                if depth + 1 > self.max_depth {
                    return Err(PdfError::Limit(format!(
                        "Form XObjects nested deeper than {}",
                        self.max_depth
                    )));
                }
                let content: Rc<Vec<u8>> = match id.and_then(|id| self.cache.forms.get(&id)) {
                    Some(c) => c.clone(),
                    None => {
                        let c = Rc::new(self.budget.stream(stream)?);
                        if let Some(id) = id {
                            self.cache.forms.insert(id, c.clone());
                        }
                        c
                    }
                };
                let m = matrix_of(doc, stream.dict.get(b"Matrix").ok()).unwrap_or(IDENTITY);
                let form_res = stream
                    .dict
                    .get(b"Resources")
                    .ok()
                    .map(|o| deref(doc, o))
                    .and_then(|o| o.as_dict().ok());
                let res = form_res.or(res);
                if let Some(id) = id {
                    self.forms.push(id);
                }
                let r = self.run(&content, res, mul(&m, ctm), depth + 1);
                if id.is_some() {
                    self.forms.pop();
                }
                r
            }
            _ => Ok(()),
        }
    }

    /// Shows the strings of a `Tj` or `TJ` (with its position adjustments):
    /// one glyph per code, advancing `tm`.
    fn show(&mut self, parts: &[Operand], gs: &GState, tm: &mut Matrix) {
        let Some(font) = gs.font.clone() else { return };
        // Tm only moves by translations inside one string, so the text
        // rendering matrix is [fs*th 0 0 fs tx rise] x (Tm x CTM): compute
        // Tm x CTM once and track the advance (tx or ty) in text space.
        let base = mul(tm, &gs.ctm);
        let (sx, sy) = (gs.fs * gs.th, gs.fs);
        let (ux, uy) = (sx * base[0], sx * base[1]);
        let (vx, vy) = (sy * base[2], sy * base[3]);
        let vlen = (vx * vx + vy * vy).sqrt();
        let ulen = (ux * ux + uy * uy).sqrt();
        let size = vlen * font.size_scale;
        let (dx, dy) = if font.vertical {
            ((-vx / vlen.max(1e-9)) as f32, (-vy / vlen.max(1e-9)) as f32)
        } else {
            ((ux / ulen.max(1e-9)) as f32, (uy / ulen.max(1e-9)) as f32)
        };
        let at = |tx: f64, ty: f64| {
            (
                tx * base[0] + ty * base[2] + base[4],
                tx * base[1] + ty * base[3] + base[5],
            )
        };
        let (mut tx, mut ty) = (0.0f64, 0.0f64);
        for part in parts {
            let s: &[u8] = match part {
                Operand::Str(s) => s,
                Operand::Num(adj) if adj.is_finite() => {
                    let d = -adj / 1000.0 * gs.fs;
                    if font.vertical {
                        ty += d;
                    } else {
                        tx += d * gs.th;
                    }
                    continue;
                }
                _ => continue,
            };
            let mut rest: &[u8] = s;
            while !rest.is_empty() {
                let start = self.out.text.len();
                let shown = font.next(rest, &mut self.out.text);
                rest = rest.get(shown.len..).unwrap_or(&[]);
                // /ActualText replaces the glyphs of its span: the first glyph
                // carries the text, the others only their position.
                if let Some(Some((text, used))) = self.actual.last_mut() {
                    self.out.text.truncate(start);
                    if !*used {
                        self.out.text.push_str(text);
                        *used = true;
                    }
                }
                let (x0, y0) = at(tx, ty + gs.rise);
                let (x1, y1) = if font.vertical {
                    at(tx, ty + gs.rise - shown.width * gs.fs)
                } else {
                    at(tx + shown.width * sx, ty + gs.rise)
                };
                let len = self.out.text.len() - start;
                if x0.is_finite()
                    && y0.is_finite()
                    && x1.is_finite()
                    && y1.is_finite()
                    && size.is_finite()
                    && self.out.glyphs.len() < MAX_GLYPHS
                    && self.out.text.len() < MAX_TEXT
                {
                    self.out.glyphs.push(Glyph {
                        x0,
                        y0,
                        x1,
                        y1,
                        size,
                        start: start as u32,
                        len: len as u32,
                        dx,
                        dy,
                    });
                } else {
                    self.out.text.truncate(start);
                }
                let spacing = gs.tc + if shown.word_space { gs.tw } else { 0.0 };
                if font.vertical {
                    // Vertical writing advances down the page.
                    ty -= shown.width * gs.fs + spacing;
                } else {
                    tx += (shown.width * gs.fs + spacing) * gs.th;
                }
            }
        }
        translate(tm, tx, ty);
    }
}

fn rect4(doc: &Document, o: Option<&Object>) -> Option<[f64; 4]> {
    let a = match o.map(|o| deref(doc, o)) {
        Some(Object::Array(a)) if a.len() == 4 => a,
        _ => return None,
    };
    let mut r = [0.0; 4];
    for (i, v) in a.iter().enumerate() {
        r[i] = match deref(doc, v) {
            Object::Integer(n) => *n as f64,
            Object::Real(x) => *x as f64,
            _ => return None,
        };
        if !r[i].is_finite() {
            return None;
        }
    }
    Some(r)
}
