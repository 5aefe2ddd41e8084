//! French value parsers over folded text (lower case, no accents): numbers
//! in digits or words ("2,5", "1 350", "deux (2)", "vingt-cinq", "un et
//! demi"), percentages, euro amounts, times of day, dates and durations.
//!
//! Each value comes as a regex fragment (no capture groups, so rules can
//! wrap it in their own) and a parser for the text the fragment matched.

use regex::Regex;
use std::sync::LazyLock;

/// French number words, folded; longest first so alternations prefer them.
const UNITS: &[(&str, f64)] = &[
    ("dix-sept", 17.0), ("dix-huit", 18.0), ("dix-neuf", 19.0), ("quatorze", 14.0), ("quinze", 15.0), ("treize", 13.0),
    ("douze", 12.0), ("seize", 16.0), ("onze", 11.0), ("quatre", 4.0), ("trois", 3.0), ("deux", 2.0), ("cinq", 5.0),
    ("sept", 7.0), ("huit", 8.0), ("neuf", 9.0), ("zero", 0.0), ("une", 1.0), ("six", 6.0), ("dix", 10.0), ("un", 1.0),
];
const TENS: &[(&str, f64)] = &[
    ("quatre-vingts", 80.0), ("quatre-vingt", 80.0), ("soixante", 60.0), ("cinquante", 50.0), ("quarante", 40.0),
    ("trente", 30.0), ("vingt", 20.0),
];

/// A French number: digits (decimal comma or point, thousands spaces), the
/// legal double form "deux (2)", or words.
pub const NUM: &str = r"(?:[0-9]{1,3}(?: [0-9]{3})+(?:[,.][0-9]+)?|[0-9]+(?:[,.][0-9]+)?|(?-u:\b)(?:(?:(?:(?:deux|trois|quatre|cinq|six|sept|huit|neuf)[ -])?cents?[ -])?(?:(?:quatre-vingts?|soixante|cinquante|quarante|trente|vingt)(?:(?:[ -]et[ -]|-)(?:dix-sept|dix-huit|dix-neuf|quatorze|quinze|treize|douze|seize|onze|quatre|trois|deux|cinq|sept|huit|neuf|zero|une|six|dix|un))?|(?:dix-sept|dix-huit|dix-neuf|quatorze|quinze|treize|douze|seize|onze|quatre|trois|deux|cinq|sept|huit|neuf|zero|une|six|dix|un))|(?:(?:deux|trois|quatre|cinq|six|sept|huit|neuf)[ -])?cents?)(?-u:\b)(?: \([0-9]+(?:[,.][0-9]+)?\))?)";

pub const PCT: &str = r"(?:[0-9]+(?:[,.][0-9]+)? ?(?:%|pour ?cent)|(?:(?-u:\b)[a-z-]+ )?\([0-9]+(?:[,.][0-9]+)? ?%\))";
pub const EUR: &str = r"(?:(?:[0-9]{1,3}(?: [0-9]{3})+|[0-9]+)(?:[,.][0-9]{1,2})? ?(?:€|euros?(?-u:\b)|eur(?-u:\b))|€ ?[0-9]+(?:[,.][0-9]{1,2})?)";
pub const TIME: &str = r"(?:[0-9]{1,2} ?(?:h|heures?)(?: ?[0-5][0-9])?(?-u:\b)|[0-9]{1,2}:[0-5][0-9]|(?-u:\b)(?:vingt[ -]et[ -]une|vingt[ -](?:deux|trois|quatre)|dix-(?:sept|huit|neuf)|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|vingt) heures?(?: (?:trente|quinze|quarante-cinq|et demie|et quart))?|minuit|midi)";
pub const DATE: &str = r"(?:(?:1er|premier|[0-9]{1,2}) (?:janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre) [0-9]{4}|[0-9]{1,2}[/.-][0-9]{1,2}[/.-][0-9]{4})";
pub const DURATION: &str = r"(?:[0-9]+|[a-z-]+(?: \([0-9]+\))?) (?:ans?|annees?|mois)(?-u:\b)";

static DIGITS: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"[0-9]+(?:[ ][0-9]{3})*(?:[,.][0-9]+)?").expect("static regex"));

fn digits(s: &str) -> Option<f64> {
    let m = DIGITS.find(s)?;
    m.as_str().replace(' ', "").replace(',', ".").parse().ok()
}

/// A number in words, 0..=999, with "et demi(e)"; `None` if any word is not a number word.
pub fn word_number(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    let mut total = 0.0;
    let mut current = 0.0;
    let mut any = false;
    let words: Vec<&str> = s.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        let v = match w {
            "et" => {
                if words.get(i + 1).is_some_and(|n| n.starts_with("demi")) {
                    total += 0.5;
                    i += 2;
                    continue;
                }
                i += 1;
                continue;
            }
            "cent" | "cents" => {
                current = if current == 0.0 { 100.0 } else { current * 100.0 };
                any = true;
                i += 1;
                continue;
            }
            "vingt" | "vingts" if current == 4.0 => {
                current = 80.0;
                i += 1;
                continue;
            }
            "dix" if words.get(i + 1).is_some_and(|n| matches!(*n, "sept" | "huit" | "neuf")) => {
                let u = UNITS.iter().find(|(n, _)| *n == words[i + 1]).map_or(0.0, |x| x.1);
                i += 2;
                current += 10.0 + u;
                any = true;
                continue;
            }
            "demi" | "demie" => 0.5,
            _ => {
                if let Some((_, v)) = UNITS.iter().find(|(n, _)| *n == w) {
                    *v
                } else if let Some((_, v)) = TENS.iter().find(|(n, _)| *n == w) {
                    *v
                } else {
                    return None;
                }
            }
        };
        // "soixante-dix", "quatre-vingt-onze": a teen after 60/80 adds up.
        current += v;
        any = true;
        i += 1;
    }
    total += current;
    any.then_some(total)
}

/// A number matched by [`NUM`]; for "deux (2)" the digits win.
pub fn parse_num(s: &str) -> Option<f64> {
    let s = s.trim();
    if s.chars().any(|c| c.is_ascii_digit()) {
        return digits(s);
    }
    word_number(s)
}

/// A percentage matched by [`PCT`].
pub fn parse_pct(s: &str) -> Option<f64> {
    digits(s)
}

/// An amount in euros matched by [`EUR`].
pub fn parse_eur(s: &str) -> Option<f64> {
    digits(s).or_else(|| word_number(s.replace("euros", "").replace("euro", "").trim()))
}

static TIME_RE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"^([0-9]{1,2}) ?(?:h|heures?|:)(?: ?([0-5][0-9]))?$").expect("static regex"));

/// A time of day "HH:MM" matched by [`TIME`].
pub fn parse_time(s: &str) -> Option<String> {
    let s = s.trim();
    match s {
        "minuit" => return Some("00:00".into()),
        "midi" => return Some("12:00".into()),
        _ => {}
    }
    if let Some((h, rest)) = s.split_once(" heure") {
        if h.chars().all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '-') {
            let h = word_number(h)?;
            let rest = rest.trim_start_matches('s').trim();
            let m = match rest {
                "" => 0.0,
                "trente" | "et demie" => 30.0,
                "quinze" | "et quart" => 15.0,
                "quarante-cinq" => 45.0,
                _ => return None,
            };
            if !(0.0..=24.0).contains(&h) || h.fract() != 0.0 {
                return None;
            }
            return Some(format!("{:02}:{:02}", (h as u32) % 24, m as u32));
        }
    }
    let c = TIME_RE.captures(s)?;
    let h: u32 = c[1].parse().ok()?;
    let m: u32 = c.get(2).map_or(Ok(0), |m| m.as_str().parse()).ok()?;
    if h > 24 || m > 59 || (h == 24 && m > 0) {
        return None;
    }
    Some(format!("{:02}:{m:02}", h % 24))
}

const MONTHS: &[&str] =
    &["janvier", "fevrier", "mars", "avril", "mai", "juin", "juillet", "aout", "septembre", "octobre", "novembre", "decembre"];

/// A date "YYYY-MM-DD" matched by [`DATE`] (folded text).
pub fn parse_date(s: &str) -> Option<String> {
    let s = s.trim();
    let parts: Vec<&str> = s.split([' ', '/', '.', '-']).filter(|p| !p.is_empty()).collect();
    if parts.len() != 3 {
        return None;
    }
    let d: u32 = match parts[0] {
        "1er" | "premier" => 1,
        x => x.parse().ok()?,
    };
    let m: u32 = match MONTHS.iter().position(|m| *m == parts[1]) {
        Some(i) => i as u32 + 1,
        None => parts[1].parse().ok()?,
    };
    let y: u32 = parts[2].parse().ok()?;
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    if !(1..=12).contains(&m) || d == 0 || d > days[m as usize - 1] || !(1900..=2999).contains(&y) {
        return None;
    }
    Some(format!("{y:04}-{m:02}-{d:02}"))
}

/// A duration in months matched by [`DURATION`] ("trois ans" gives 36).
pub fn parse_duration_months(s: &str) -> Option<f64> {
    let s = s.trim();
    let (num, unit) = s.rsplit_once(' ')?;
    let n = parse_num(num)?;
    if unit.starts_with("an") {
        Some(n * 12.0)
    } else if unit == "mois" {
        Some(n)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full(pat: &str, s: &str) -> bool {
        Regex::new(&format!("^(?:{pat})$")).unwrap().is_match(s)
    }

    #[test]
    fn numbers() {
        for (s, v) in [
            ("2", 2.0), ("2,5", 2.5), ("37.5", 37.5), ("1 350", 1350.0), ("deux (2)", 2.0), ("trois (3)", 3.0),
            ("deux", 2.0), ("vingt-cinq", 25.0), ("trente et un", 31.0), ("deux cent dix-huit", 218.0),
            ("soixante-dix", 70.0), ("quatre-vingt-dix", 90.0), ("dix", 10.0), ("une", 1.0),
        ] {
            assert!(full(NUM, s), "NUM does not match {s}");
            assert_eq!(parse_num(s), Some(v), "{s}");
        }
        assert_eq!(parse_num("un et demi"), Some(1.5));
        assert!(!Regex::new(NUM).unwrap().find("  jours").is_some_and(|m| m.as_str().is_empty() || m.as_str().trim().is_empty()));
        assert_eq!(parse_num("bonjour"), None);
        assert_eq!(word_number(""), None);
    }

    #[test]
    fn percentages_amounts_times() {
        assert_eq!(parse_pct("2,5 %"), Some(2.5));
        assert!(full(PCT, "0,3 %") && full(PCT, "2 pour cent"));
        assert_eq!(parse_eur("1 850 €"), Some(1850.0));
        assert_eq!(parse_eur("2,50 euros"), Some(2.5));
        assert!(full(EUR, "30 euros") && full(EUR, "2,50 €"));
        for (s, v) in [("20 h", "20:00"), ("7 h 30", "07:30"), ("20h30", "20:30"), ("19 heures", "19:00"), ("20:00", "20:00"), ("minuit", "00:00")] {
            assert!(full(TIME, s), "TIME does not match {s}");
            assert_eq!(parse_time(s).as_deref(), Some(v), "{s}");
        }
        for (s, v) in [("vingt et une heures", "21:00"), ("sept heures", "07:00"), ("dix-neuf heures trente", "19:30"), ("huit heures et demie", "08:30")] {
            assert!(full(TIME, s), "TIME does not match {s}");
            assert_eq!(parse_time(s).as_deref(), Some(v), "{s}");
        }
        assert_eq!(parse_time("25 h"), None);
        assert_eq!(parse_time("7 h 75"), None);
    }

    #[test]
    fn dates_and_durations() {
        assert_eq!(parse_date("1er juillet 2024").as_deref(), Some("2024-07-01"));
        assert_eq!(parse_date("12/03/2024").as_deref(), Some("2024-03-12"));
        assert_eq!(parse_date("31 fevrier 2024"), None);
        assert!(full(DATE, "12 mars 2024"));
        assert_eq!(parse_duration_months("trois ans"), Some(36.0));
        assert_eq!(parse_duration_months("deux (2) annees"), Some(24.0));
        assert_eq!(parse_duration_months("18 mois"), Some(18.0));
    }
}
