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

/// A French number below 100 in words ("trois", "soixante et onze",
/// "quatre-vingt-dix-neuf").
macro_rules! below_100 {
    () => {
        r"(?:(?:quatre-vingts?|soixante|cinquante|quarante|trente|vingt)(?:(?:[ -]et[ -]|-)(?:dix-sept|dix-huit|dix-neuf|quatorze|quinze|treize|douze|seize|onze|quatre|trois|deux|cinq|sept|huit|neuf|zero|une|six|dix|un))?|(?:dix-sept|dix-huit|dix-neuf|quatorze|quinze|treize|douze|seize|onze|quatre|trois|deux|cinq|sept|huit|neuf|zero|une|six|dix|un))"
    };
}
/// A French number below 1,000 in words ("deux cent quatre-vingts").
macro_rules! below_1000 {
    () => {
        concat!(r"(?:(?:(?:deux|trois|quatre|cinq|six|sept|huit|neuf)[ -])?cents?(?:[ -]", below_100!(), r")?|", below_100!(), ")")
    };
}

/// A French number: digits (decimal comma or point, thousands spaces), the
/// legal double form "deux (2)", or words up to 999,999 ("deux mille cinq
/// cents").
pub const NUM: &str = concat!(
    r"(?:[0-9]{1,3}(?: [0-9]{3})+(?:[,.][0-9]+)?|[0-9]+(?:[,.][0-9]+)?|(?-u:\b)(?:(?:",
    below_1000!(),
    r"[ -])?mille(?:[ -]",
    below_1000!(),
    r")?|",
    below_1000!(),
    r")(?-u:\b)(?: \([0-9]+(?:[,.][0-9]+)?\))?)"
);

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

/// A number in words, 0..=999,999, with "et demi(e)"; `None` if any word
/// is not a number word, or for "million" and above.
///
/// Words add up within a group below a hundred ("soixante" + "dix" +
/// "sept"); "vingt" right after a lone "quatre" makes 80; "cent" multiplies
/// what comes before it in the group, "mille" everything before it.
pub fn word_number(s: &str) -> Option<f64> {
    let words: Vec<&str> = s.split([' ', '-']).filter(|w| !w.is_empty()).collect();
    let (mut thousands, mut hundreds, mut small) = (0.0_f64, 0.0_f64, 0.0_f64);
    // The words of the group below a hundred read so far.
    let mut small_words = 0;
    let mut half = 0.0;
    let mut any = false;
    let mut i = 0;
    while i < words.len() {
        let w = words[i];
        i += 1;
        match w {
            "et" => {
                if words.get(i).is_some_and(|n| n.starts_with("demi")) {
                    half = 0.5;
                    i += 1;
                }
            }
            "cent" | "cents" => {
                if hundreds > 0.0 {
                    return None;
                }
                hundreds = if small_words == 0 { 100.0 } else { small * 100.0 };
                (small, small_words) = (0.0, 0);
                any = true;
            }
            "mille" => {
                if thousands > 0.0 {
                    return None;
                }
                let group = hundreds + small;
                thousands = if group == 0.0 { 1000.0 } else { group * 1000.0 };
                (hundreds, small, small_words) = (0.0, 0.0, 0);
                any = true;
            }
            "vingt" | "vingts" if small_words == 1 && small == 4.0 => {
                small = 80.0;
                small_words += 1;
            }
            "demi" | "demie" => {
                half = 0.5;
                any = true;
            }
            _ => {
                let v = UNITS.iter().chain(TENS).find(|(n, _)| *n == w).map(|x| x.1)?;
                small += v;
                small_words += 1;
                any = true;
            }
        }
    }
    any.then_some(thousands + hundreds + small + half)
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

    /// French numbers in words, written independently of the parser from
    /// the spelling rules: "et un" / "et onze" for 21..=71 (not 81, 91),
    /// "quatre-vingts" and "deux cents" plural only at the end of a number,
    /// "mille" invariable and never preceded by "un". `reform` is the 1990
    /// spelling (hyphens between every word) instead of the traditional one
    /// (hyphens only below a hundred).
    fn french(n: u32, reform: bool) -> String {
        const ONES: [&str; 17] = ["zero", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix", "onze", "douze", "treize", "quatorze", "quinze", "seize"];
        const TENS_W: [&str; 7] = ["", "", "vingt", "trente", "quarante", "cinquante", "soixante"];
        let sep = if reform { "-" } else { " " };
        // Below 100; `last`: nothing follows (the plural of "quatre-vingts").
        let below_100 = |n: u32, last: bool| -> String {
            match n {
                0..=16 => ONES[n as usize].to_string(),
                17..=19 => format!("dix-{}", ONES[n as usize - 10]),
                20..=69 => {
                    let (t, u) = (TENS_W[n as usize / 10], n % 10);
                    match u {
                        0 => t.to_string(),
                        1 => format!("{t}{sep}et{sep}un"),
                        _ => format!("{t}-{}", ONES[u as usize]),
                    }
                }
                70..=79 => match n {
                    71 => format!("soixante{sep}et{sep}onze"),
                    70 => "soixante-dix".into(),
                    77..=79 => format!("soixante-dix-{}", ONES[n as usize - 70]),
                    _ => format!("soixante-{}", ONES[n as usize - 60]),
                },
                80 => if last { "quatre-vingts".into() } else { "quatre-vingt".into() },
                81..=96 => format!("quatre-vingt-{}", ONES[n as usize - 80]),
                _ => format!("quatre-vingt-dix-{}", ONES[n as usize - 90]),
            }
        };
        let below_1000 = |n: u32, last: bool| -> String {
            let (h, r) = (n / 100, n % 100);
            let head = match h {
                0 => return below_100(r, last),
                1 => "cent".to_string(),
                _ if r == 0 && last => format!("{}{sep}cents", ONES[h as usize]),
                _ => format!("{}{sep}cent", ONES[h as usize]),
            };
            if r == 0 { head } else { format!("{head}{sep}{}", below_100(r, last)) }
        };
        let (th, r) = (n / 1000, n % 1000);
        match (th, r) {
            (0, _) => below_1000(r, true),
            (1, 0) => "mille".into(),
            (1, _) => format!("mille{sep}{}", below_1000(r, true)),
            (_, 0) => format!("{}{sep}mille", below_1000(th, false)),
            _ => format!("{}{sep}mille{sep}{}", below_1000(th, false), below_1000(r, true)),
        }
    }

    #[test]
    fn every_number_in_words_up_to_999_999() {
        assert_eq!(french(190, false), "cent quatre-vingt-dix");
        assert_eq!(french(280, false), "deux cent quatre-vingts");
        assert_eq!(french(80_000, false), "quatre-vingt mille");
        assert_eq!(french(201_071, true), "deux-cent-un-mille-soixante-et-onze");
        let num = Regex::new(&format!("^(?:{NUM})$")).unwrap();
        for n in 0..=999_999u32 {
            for reform in [false, true] {
                let w = french(n, reform);
                assert_eq!(word_number(&w), Some(f64::from(n)), "{w}");
                // The pattern is slower: every 97th number and the edges.
                if n % 97 == 0 || n < 1000 || n % 1000 == 0 {
                    assert!(num.is_match(&w), "NUM does not match {w}");
                }
            }
        }
        for (s, v) in [
            ("cent quatre-vingt-dix", 190.0), ("deux cent quatre-vingts", 280.0), ("soixante et onze", 71.0), ("mille", 1000.0),
            ("deux mille", 2000.0), ("quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf", 99_999.0),
            ("neuf cent quatre-vingt-dix-neuf mille neuf cent quatre-vingt-dix-neuf", 999_999.0), ("cent un", 101.0),
        ] {
            assert_eq!(parse_num(s), Some(v), "{s}");
        }
        for s in ["un million", "deux millions", "mille mille", "cent cent", "million"] {
            assert_eq!(word_number(s), None, "{s}");
        }
        // In running text the pattern takes the whole number.
        let m = Regex::new(NUM).unwrap().find("soit deux mille cinq cents euros").unwrap();
        assert_eq!(m.as_str(), "deux mille cinq cents");
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
