//! Any UTF-8 text through the whole analysis (folding, clauses, rules,
//! values, metadata) with the built-in rules: never a panic. Run with the
//! dictionary of French legal words:
//!     RUSTC_BOOTSTRAP=1 cargo fuzz run analysis -- -dict=fuzz/dicts/analysis.dict
#![no_main]

use libfuzzer_sys::fuzz_target;
use starfinder::indicators::{self, metadata, Options};
use starfinder::values;
use starfinder::pdf::PageText;
use std::sync::LazyLock;

static RULES: LazyLock<starfinder::rules::RuleSet> = LazyLock::new(|| starfinder::rules::load(None).expect("built-in rules"));

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    // A form feed starts a new page, as in `starfinder extract`.
    let pages: Vec<PageText> = text.split('\u{c}').map(|p| PageText { body: p.to_string(), ..Default::default() }).collect();
    let _ = indicators::analyse(&pages, &RULES, Options { all_scopes: data.first().is_some_and(|b| b & 1 == 1), near_misses: true });
    let _ = metadata::extract_metadata(&text);
    let folded = starfinder::text::fold(&text);
    let _ = (values::parse_num(&folded), values::parse_date(&folded), values::parse_time(&folded), values::parse_duration_months(&folded), values::parse_eur(&folded));
});
