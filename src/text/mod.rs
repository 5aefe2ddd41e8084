//! Normalisation for matching, with a map back to the original text.
//!
//! Rules match on *folded* text: lower case, accents removed, ligatures
//! expanded, typographic apostrophes and dashes unified, every run of white
//! space (no-break and thin spaces and line breaks included) one space. Rule
//! authors write plain ASCII keywords and never think about typography.
//! Evidence must still quote the original exactly, so every folded byte
//! remembers the original byte it came from.

pub mod slice;

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Folded text and its map back to the original.
pub struct Folded {
    pub text: String,
    /// For each byte of `text`, the byte offset in the original of the
    /// character it came from.
    map: Vec<u32>,
    orig_len: usize,
    /// Where a sentence may end, found while folding (see [`sentences`]):
    /// punctuation followed by a space or the end, and spaces that stand
    /// for a line break of the original. Sorted.
    breaks: Vec<u32>,
}

/// Punctuation after which, followed by a space, a sentence may end.
fn ends_sentence(b: u8) -> bool {
    matches!(b, b'.' | b'!' | b'?' | b';')
}

/// The folded text being written: buffers sized up front and written by
/// index, so the common case (an ASCII byte) is two stores.
struct Writer {
    text: Vec<u8>,
    map: Vec<u32>,
    w: usize,
    breaks: Vec<u32>,
    last_space: bool,
}

impl Writer {
    fn room(&mut self, n: usize) {
        if self.w + n > self.text.len() {
            let len = (self.text.len() * 2).max(self.w + n);
            self.text.resize(len, 0);
            self.map.resize(len, 0);
        }
    }

    fn byte(&mut self, b: u8, from: u32) {
        self.text[self.w] = b;
        self.map[self.w] = from;
        self.w += 1;
        self.last_space = false;
    }

    fn bytes(&mut self, s: &[u8], from: u32) {
        self.room(s.len());
        for &b in s {
            self.byte(b, from);
        }
    }

    /// Folds the ASCII text from `bytes[pos..]` up to the next non-ASCII
    /// byte (or until the buffer is full); returns where it stopped. This
    /// is where nearly all the time goes, so it works on locals.
    fn ascii(&mut self, bytes: &[u8], mut pos: usize) -> usize {
        let (mut w, mut last_space) = (self.w, self.last_space);
        let text = &mut self.text[..];
        let map = &mut self.map[..];
        while pos < bytes.len() && w < text.len() {
            let b = bytes[pos];
            if b >= 0x80 {
                break;
            }
            if b.is_ascii_whitespace() {
                if !last_space {
                    if w > 0 && ends_sentence(text[w - 1]) {
                        self.breaks.push(w as u32 - 1);
                    }
                    if b == b'\n' || b == 0x0c {
                        self.breaks.push(w as u32);
                    }
                    text[w] = b' ';
                    map[w] = pos as u32;
                    w += 1;
                    last_space = true;
                }
            } else {
                text[w] = b.to_ascii_lowercase();
                map[w] = pos as u32;
                w += 1;
                last_space = false;
            }
            pos += 1;
        }
        self.w = w;
        self.last_space = last_space;
        pos
    }

    /// One space for a run of white space that starts with a character
    /// other than ASCII (line breaks are ASCII: see `ascii`).
    fn space(&mut self, from: u32) {
        if self.last_space {
            return;
        }
        if ends_sentence(self.text[self.w - 1]) {
            self.breaks.push(self.w as u32 - 1);
        }
        self.room(1);
        self.byte(b' ', from);
        self.last_space = true;
    }
}

impl Folded {
    pub fn new(orig: &str) -> Folded {
        let bytes = orig.as_bytes();
        // Folding rarely makes text longer ("ﬀ" is three bytes, "ff" two);
        // `room` grows the buffers when it does.
        let mut o = Writer { text: vec![0; bytes.len() + 8], map: vec![0; bytes.len() + 8], w: 0, breaks: Vec::new(), last_space: true };
        let mut buf = [0u8; 4];
        let mut pos = 0;
        while pos < bytes.len() {
            pos = o.ascii(bytes, pos);
            if pos >= bytes.len() {
                break;
            }
            let p32 = pos as u32;
            if bytes[pos] < 0x80 {
                // The buffer is full.
                o.room(1);
                continue;
            }
            let c = slice::suffix(orig, pos).chars().next().unwrap_or('\u{fffd}');
            pos += c.len_utf8();
            // Most other characters are Latin-1 letters: no tables needed.
            if let Some(f) = fold_latin1(c) {
                if f == b' ' {
                    o.space(p32);
                } else {
                    o.room(1);
                    o.byte(f, p32);
                }
                continue;
            }
            match fold_special(c) {
                Some("") => {}
                Some(" ") => o.space(p32),
                Some(s) => o.bytes(s.as_bytes(), p32),
                None if c.is_whitespace() => o.space(p32),
                None => {
                    for l in c.to_lowercase() {
                        decompose_canonical(l, |d| {
                            if !is_combining_mark(d) {
                                o.bytes(d.encode_utf8(&mut buf).as_bytes(), p32);
                            }
                        });
                    }
                }
            }
        }
        if o.w > 0 && ends_sentence(o.text[o.w - 1]) {
            o.breaks.push(o.w as u32 - 1);
        }
        let Writer { mut text, mut map, w, breaks, .. } = o;
        text.truncate(w);
        map.truncate(w);
        let text = String::from_utf8(text).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Folded { text, map, orig_len: orig.len(), breaks }
    }

    /// The original byte range of folded bytes `start..end`.
    pub fn orig_range(&self, orig: &str, start: usize, end: usize) -> (usize, usize) {
        if self.map.is_empty() {
            return (0, 0);
        }
        let s = self.map[start.min(self.map.len() - 1)] as usize;
        if end <= start {
            return (s, s);
        }
        let last = self.map[(end - 1).min(self.map.len() - 1)] as usize;
        let e = last + slice::suffix(orig, last).chars().next().map_or(0, char::len_utf8);
        (s, e.min(self.orig_len))
    }

    /// The folded byte offset of original byte offset `pos`.
    pub fn folded_pos(&self, pos: usize) -> usize {
        // `map` never decreases: the first folded byte from at or after `pos`.
        let pos = pos.min(self.orig_len) as u32;
        self.map.partition_point(|&m| m < pos)
    }
}

/// French letters with accents, folded without Unicode tables.
fn fold_latin1(c: char) -> Option<u8> {
    Some(match c {
        'à' | 'â' | 'ä' | 'á' | 'ã' | 'À' | 'Â' | 'Ä' | 'Á' | 'Ã' => b'a',
        'é' | 'è' | 'ê' | 'ë' | 'É' | 'È' | 'Ê' | 'Ë' => b'e',
        'î' | 'ï' | 'í' | 'ì' | 'Î' | 'Ï' | 'Í' | 'Ì' => b'i',
        'ô' | 'ö' | 'ó' | 'ò' | 'õ' | 'Ô' | 'Ö' | 'Ó' | 'Ò' | 'Õ' => b'o',
        'ù' | 'û' | 'ü' | 'ú' | 'Ù' | 'Û' | 'Ü' | 'Ú' => b'u',
        'ç' | 'Ç' => b'c',
        'ÿ' | 'Ÿ' | 'ý' | 'Ý' => b'y',
        'ñ' | 'Ñ' => b'n',
        '\u{a0}' | '\u{202f}' | '\u{2009}' => b' ',
        '\u{2019}' | '\u{2018}' => b'\'',
        _ => return None,
    })
}

/// Characters whose folded form is not their lower-case, accent-free self.
fn fold_special(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{2019}' | '\u{2018}' | '\u{201B}' | '\u{2032}' | '\u{00B4}' | '\u{02BC}' | '`' => "'",
        '\u{00AB}' | '\u{00BB}' | '\u{201C}' | '\u{201D}' | '\u{201E}' => "\"",
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2212}' => "-",
        '\u{00A0}' | '\u{202F}' | '\u{2009}' | '\u{2007}' | '\u{2002}' | '\u{2003}' | '\u{200A}' => " ",
        '\u{00AD}' | '\u{200B}' | '\u{FEFF}' => "",
        '\u{0153}' | '\u{0152}' => "oe",
        '\u{00E6}' | '\u{00C6}' => "ae",
        '\u{00DF}' => "ss",
        '\u{FB00}' => "ff",
        '\u{FB01}' => "fi",
        '\u{FB02}' => "fl",
        '\u{FB03}' => "ffi",
        '\u{FB04}' => "ffl",
        '\u{FB05}' | '\u{FB06}' => "st",
        '\u{2026}' => "...",
        '\u{2022}' | '\u{25AA}' | '\u{25CF}' | '\u{F0B7}' | '\u{2023}' | '\u{25E6}' => "-",
        '\u{00B0}' => "o",
        '\u{00BA}' => "o",
        '\u{20AC}' => "€",
        _ => return None,
    })
}

/// Folds a short string (a keyword, an example) the same way as documents.
pub fn fold(s: &str) -> String {
    Folded::new(s).text.trim_end().to_string()
}

/// Number of characters in `s[..byte]`: evidence offsets count characters.
pub fn char_offset(s: &str, byte: usize) -> usize {
    slice::prefix(s, byte).chars().count()
}

/// Abbreviations after which a full stop does not end a sentence.
const ABBREVIATIONS: &[&str] = &[
    "art", "al", "cf", "etc", "ex", "mme", "mmes", "mm", "m", "n", "no", "p", "pp", "l", "r", "d", "st", "ste", "av",
    "bd", "sa", "sas", "sarl", "vol", "chap", "min", "max", "env", "fig", "hab", "tel", "resp",
];

/// Sentence boundaries over folded text, as byte ranges of `folded.text`.
/// A sentence ends at `.`, `!`, `?` or `;` followed by a space, unless the
/// full stop closes an abbreviation ("art. L. 1222-9") or a number; `orig`
/// tells where a new line starts with a list marker.
pub fn sentences(folded: &Folded, orig: &str) -> Vec<(usize, usize)> {
    let t = folded.text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    for &i in &folded.breaks {
        let i = i as usize;
        if i < start {
            continue;
        }
        let b = t[i];
        if b != b' ' {
            if b == b'.' {
                let word_start = t[..i].iter().rposition(|c| !c.is_ascii_alphanumeric()).map_or(0, |p| p + 1);
                let word = slice::range(&folded.text, word_start, i);
                if ABBREVIATIONS.contains(&word) || (word.len() == 1 && word.as_bytes()[0].is_ascii_alphabetic()) {
                    continue;
                }
            }
            out.push((start, i + 1));
            start = i + 1;
            while start < t.len() && t[start] == b' ' {
                start += 1;
            }
        } else if i > start {
            // A line break in the original before a list marker or a heading
            // starts a new sentence too.
            let os = folded.map[i] as usize;
            let next = slice::suffix(orig, os).trim_start();
            let first = next.chars().next().unwrap_or(' ');
            if matches!(first, '-' | '•' | '\u{f0b7}' | '▪' | '●' | '–' | '*' | '◦') || t[..i].last().is_some_and(|c| matches!(c, b':' | b'.')) {
                out.push((start, i));
                start = i + 1;
            }
        }
    }
    if start < t.len() {
        out.push((start, t.len()));
    }
    out.retain(|(s, e)| e > s);
    out
}

#[cfg(test)]
// The tests slice at the offsets they found in the same text.
#[allow(clippy::string_slice)]
mod tests {
    use super::*;

    #[test]
    fn folds_accents_case_spaces_and_ligatures() {
        let s = "Télétravail\u{a0}:  l’ŒUVRE\nefﬁcace – 2,5\u{202f}%";
        let f = Folded::new(s);
        assert_eq!(f.text, "teletravail : l'oeuvre efficace - 2,5 %");
    }

    #[test]
    fn maps_folded_spans_back_to_the_original() {
        let s = "Le  télétravail est ouvert";
        let f = Folded::new(s);
        let at = f.text.find("teletravail").unwrap();
        let (a, b) = f.orig_range(s, at, at + "teletravail".len());
        assert_eq!(&s[a..b], "télétravail");
        assert_eq!(f.folded_pos(a), at);
    }

    #[test]
    fn ligature_maps_back_whole() {
        let s = "efﬁcace";
        let f = Folded::new(s);
        let (a, b) = f.orig_range(s, 0, f.text.len());
        assert_eq!(&s[a..b], s);
    }

    #[test]
    fn sentences_skip_abbreviations() {
        let s = "Selon l'art. L. 1222-9 du code, le salarié peut télétravailler. Le reste suit; enfin.";
        let f = Folded::new(s);
        let sents: Vec<_> = sentences(&f, s).into_iter().map(|(a, b)| &f.text[a..b]).collect();
        assert_eq!(sents.len(), 3, "{sents:?}");
        assert!(sents[0].ends_with("teletravailler."));
    }

    #[test]
    fn sentences_cut_at_list_items_and_after_colons() {
        let s = "Les salariés peuvent :\n- télétravailler deux jours\n• partir à 17 h\nFin de liste\u{a0}; suite…\nDernière";
        let f = Folded::new(s);
        let sents: Vec<_> = sentences(&f, s).into_iter().map(|(a, b)| &f.text[a..b]).collect();
        assert_eq!(sents, ["les salaries peuvent :", "- teletravailler deux jours", "- partir a 17 h fin de liste ;", "suite...", "derniere"]);
    }

    #[test]
    fn folding_grows_when_letters_decompose() {
        // Hangul syllables decompose into two or three letters each.
        let s = "한".repeat(50) + " fin";
        let f = Folded::new(&s);
        assert!(f.text.len() > s.len() && f.text.ends_with(" fin"), "{}", f.text.len());
        let at = f.text.len() - 3;
        let (a, b) = f.orig_range(&s, at, f.text.len());
        assert_eq!(&s[a..b], "fin");
    }

    #[test]
    fn empty_text_folds_to_nothing() {
        let f = Folded::new("");
        assert_eq!(f.text, "");
        assert_eq!(f.orig_range("", 0, 0), (0, 0));
        assert!(sentences(&f, "").is_empty());
    }
}
