//! Interim French value parsers (replaced by the values branch).
pub const NUM: &str = r"[0-9]+(?:[,.][0-9]+)?";
pub const PCT: &str = r"[0-9]+(?:[,.][0-9]+)? ?%";
pub const EUR: &str = r"[0-9]+(?:[,.][0-9]+)? ?(?:€|euros?)";
pub const TIME: &str = r"[0-9]{1,2} ?h(?: ?[0-9]{2})?";
pub const DATE: &str = r"[0-9]{1,2}/[0-9]{2}/[0-9]{4}";
pub const DURATION: &str = r"[0-9]+ (?:ans|mois)";
pub fn parse_num(s: &str) -> Option<f64> { s.trim().replace(',', ".").parse().ok() }
pub fn parse_pct(s: &str) -> Option<f64> { parse_num(s.trim_end_matches('%')) }
pub fn parse_eur(s: &str) -> Option<f64> { parse_num(s.split(' ').next()?) }
pub fn parse_time(s: &str) -> Option<String> { let mut it = s.split('h'); let h: u32 = it.next()?.trim().parse().ok()?; let m: u32 = it.next().map(|m| m.trim()).filter(|m| !m.is_empty()).map_or(Some(0), |m| m.parse().ok())?; Some(format!("{h:02}:{m:02}")) }
pub fn parse_date(_s: &str) -> Option<String> { None }
pub fn parse_duration_months(_s: &str) -> Option<f64> { None }
