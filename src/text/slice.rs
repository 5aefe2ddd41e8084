//! Byte indexes into text that the code computes (a window of 90 bytes
//! before a match, a cap of 500 bytes) land on a character boundary, never
//! inside a character: slicing there would panic on "€", "’" or "œ".
//!
//! The modules that slice text deny `clippy::string_slice`; these helpers
//! are the one place allowed to slice, and they round the indexes first.
//! Indexes that come from a match or a `find` on the same text are already
//! on boundaries and go through them too, at no cost.

/// The nearest character boundary of `s` at or before `i` (`s.len()` when
/// `i` is past the end).
pub fn floor(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    let mut i = i;
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// The nearest character boundary of `s` at or after `i` (`s.len()` when
/// `i` is past the end).
pub fn ceil(s: &str, i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    let mut i = i;
    while !s.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// `s[start..end]`, both ends rounded down to a character boundary and
/// clamped to `s`; empty when `end` comes before `start`.
#[allow(clippy::string_slice)]
pub fn range(s: &str, start: usize, end: usize) -> &str {
    let (a, b) = (floor(s, start), floor(s, end));
    if b <= a { "" } else { &s[a..b] }
}

/// `s[..end]`, `end` rounded down to a character boundary.
pub fn prefix(s: &str, end: usize) -> &str {
    range(s, 0, end)
}

/// `s[start..]`, `start` rounded down to a character boundary.
pub fn suffix(s: &str, start: usize) -> &str {
    range(s, start, s.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn indexes_inside_a_character_round_to_its_edges() {
        let s = "a€b"; // '€' is bytes 1..4
        assert_eq!((floor(s, 2), ceil(s, 2)), (1, 4));
        assert_eq!((floor(s, 4), ceil(s, 4)), (4, 4));
        assert_eq!((floor(s, 99), ceil(s, 99)), (5, 5));
        assert_eq!(range(s, 2, 5), "€b");
        assert_eq!(range(s, 3, 2), "");
        assert_eq!(prefix(s, 3), "a");
        assert_eq!(suffix(s, 3), "€b");
        assert_eq!(prefix("", 10), "");
    }

    #[test]
    fn every_cut_of_multibyte_text_is_a_valid_slice() {
        let s = "l’œuvre ﬁnale à 1 700 000 € 😀 İß\u{202f}%";
        for a in 0..=s.len() + 2 {
            for b in 0..=s.len() + 2 {
                let t = range(s, a, b);
                assert!(t.len() <= s.len());
                assert!(s.contains(t));
            }
        }
    }
}
