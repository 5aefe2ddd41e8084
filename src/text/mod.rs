//! Normalisation for matching, with a map back to the original text.
//!
//! Rules match on *folded* text: lower case, accents removed, ligatures
//! expanded, typographic apostrophes and dashes unified, every run of white
//! space (no-break and thin spaces and line breaks included) one space. Rule
//! authors write plain ASCII keywords and never think about typography.
//! Evidence must still quote the original exactly, so every folded byte
//! remembers the original byte it came from.

use unicode_normalization::char::{decompose_canonical, is_combining_mark};

/// Folded text and its map back to the original.
pub struct Folded {
    pub text: String,
    /// For each byte of `text`, the byte offset in the original of the
    /// character it came from.
    map: Vec<u32>,
    orig_len: usize,
}

impl Folded {
    pub fn new(orig: &str) -> Folded {
        // Built as bytes: everything pushed is ASCII or whole UTF-8 strings.
        let mut text: Vec<u8> = Vec::with_capacity(orig.len());
        let mut map: Vec<u32> = Vec::with_capacity(orig.len());
        let mut last_space = true; // leading white space is dropped
        let mut buf = [0u8; 4];
        let bytes = orig.as_bytes();
        let mut pos = 0;
        while pos < bytes.len() {
            let p32 = pos as u32;
            let b0 = bytes[pos];
            // Most characters are ASCII or Latin-1 letters: no tables needed.
            let (c, len) = if b0 < 0x80 {
                (b0 as char, 1)
            } else {
                let c = orig[pos..].chars().next().unwrap_or('\u{fffd}');
                (c, c.len_utf8())
            };
            pos += len;
            let simple = if b0 < 0x80 {
                if b0.is_ascii_whitespace() || b0 == 0x0c { Some(b' ') } else { Some(b0.to_ascii_lowercase()) }
            } else {
                fold_latin1(c)
            };
            if let Some(b) = simple {
                if b == b' ' {
                    if !last_space {
                        text.push(b' ');
                        map.push(p32);
                        last_space = true;
                    }
                } else {
                    text.push(b);
                    map.push(p32);
                    last_space = false;
                }
                continue;
            }
            let push = |s: &str, text: &mut Vec<u8>, map: &mut Vec<u32>| {
                text.extend_from_slice(s.as_bytes());
                map.extend(std::iter::repeat_n(p32, s.len()));
            };
            match fold_special(c) {
                Some("") => {}
                Some(" ") => {
                    if !last_space {
                        push(" ", &mut text, &mut map);
                        last_space = true;
                    }
                }
                Some(s) => {
                    push(s, &mut text, &mut map);
                    last_space = false;
                }
                None => {
                    if c.is_whitespace() {
                        if !last_space {
                            push(" ", &mut text, &mut map);
                            last_space = true;
                        }
                        continue;
                    }
                    let mut any = false;
                    for l in c.to_lowercase() {
                        decompose_canonical(l, |d| {
                            if !is_combining_mark(d) {
                                push(d.encode_utf8(&mut buf), &mut text, &mut map);
                                any = true;
                            }
                        });
                    }
                    if any {
                        last_space = false;
                    }
                }
            }
        }
        let text = String::from_utf8(text).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
        Folded { text, map, orig_len: orig.len() }
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
        let e = last + orig[last..].chars().next().map_or(0, char::len_utf8);
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
    s[..byte.min(s.len())].chars().count()
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
    let mut i = 0;
    while i < t.len() {
        let b = t[i];
        let mut cut = false;
        if matches!(b, b'.' | b'!' | b'?' | b';') && (i + 1 == t.len() || t[i + 1] == b' ') {
            cut = true;
            if b == b'.' {
                let word_start = t[..i].iter().rposition(|c| !c.is_ascii_alphanumeric()).map_or(0, |p| p + 1);
                let word = &folded.text[word_start..i];
                if ABBREVIATIONS.contains(&word) || (word.len() == 1 && word.as_bytes()[0].is_ascii_alphabetic()) {
                    cut = false;
                }
            }
        } else if b == b' ' && i > start {
            // A line break in the original before a list marker or a heading
            // starts a new sentence too.
            let os = folded.map[i] as usize;
            if matches!(orig.as_bytes().get(os), Some(b'\n' | b'\x0c')) {
                let next = orig[os..].trim_start();
                let first = next.chars().next().unwrap_or(' ');
                if matches!(first, '-' | '•' | '\u{f0b7}' | '▪' | '●' | '–' | '*' | '◦')
                    || t[..i].last().is_some_and(|c| matches!(c, b':' | b'.'))
                {
                    out.push((start, i));
                    start = i + 1;
                }
            }
        }
        if cut {
            out.push((start, i + 1));
            start = i + 1;
            while start < t.len() && t[start] == b' ' {
                start += 1;
            }
            i = start;
            continue;
        }
        i += 1;
    }
    if start < t.len() {
        out.push((start, t.len()));
    }
    out.retain(|(s, e)| e > s);
    out
}

#[cfg(test)]
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
    fn empty_text_folds_to_nothing() {
        let f = Folded::new("");
        assert_eq!(f.text, "");
        assert_eq!(f.orig_range("", 0, 0), (0, 0));
        assert!(sentences(&f, "").is_empty());
    }
}
