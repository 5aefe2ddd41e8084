//! Mutates real agreement texts and runs each through the analysis, in
//! process, counting panics: multi-byte characters (€, ’, œ, ß, İ,
//! ligatures, emoji, no-break and narrow no-break spaces…) are put in at
//! random places, often next to a digit, where the metadata and value
//! windows are cut.
//!
//!     cargo run --release --example mutate_texts -- DIR [--count N] [--seed S] [--threads T]
//!
//! DIR holds `.txt` files (`../shared/corpus/kali/txt`); pages are split on
//! form feeds. N mutated texts in all (default 300), the files cycled; the
//! same seed gives the same texts. Prints `N texts, P panics` and exits 1
//! when P > 0, after writing each text that panicked to
//! `target/mutate-panics/` with the panic message.

use rayon::prelude::*;
use starfinder::indicators::{self, Options};
use starfinder::pdf::PageText;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::PathBuf;

const CHARS: &[char] = &['€', '’', 'œ', 'Œ', 'ß', 'İ', 'ﬁ', 'ﬂ', 'ﬀ', '😀', '🇫', '\u{a0}', '\u{202f}', '\u{2009}', 'é', 'É', '…', '«', '»', '–', '—', '\u{ad}', '\u{200b}', '\u{feff}', '한', '\u{301}', 'ǅ', 'ﬃ', '°', '№'];

/// splitmix64: small, fast, and the same everywhere.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

/// `text` with multi-byte characters inserted: one per ~400 characters,
/// at least 3; a quarter of them just before or after a digit.
fn mutate(text: &str, rng: &mut Rng) -> String {
    let mut chars: Vec<char> = text.chars().collect();
    let n = (chars.len() / 400).max(3) + rng.below(8);
    for _ in 0..n {
        let mut at = rng.below(chars.len() + 1);
        if rng.below(4) == 0 {
            if let Some(d) = chars[at..].iter().position(char::is_ascii_digit) {
                at += d + rng.below(2);
            }
        }
        let run = 1 + rng.below(3);
        for _ in 0..run {
            chars.insert(at.min(chars.len()), CHARS[rng.below(CHARS.len())]);
        }
    }
    chars.into_iter().collect()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let mut dir: Option<PathBuf> = None;
    let (mut count, mut seed, mut threads) = (300usize, 12u64, 0usize);
    while let Some(a) = args.next() {
        let mut num = |what: &str| -> u64 {
            args.next().and_then(|v| v.parse().ok()).unwrap_or_else(|| {
                eprintln!("mutate_texts: {what} needs a number");
                std::process::exit(2)
            })
        };
        match a.as_str() {
            "--count" => count = num("--count") as usize,
            "--seed" => seed = num("--seed"),
            "--threads" => threads = num("--threads") as usize,
            _ if dir.is_none() => dir = Some(PathBuf::from(a)),
            _ => {
                eprintln!("usage: mutate_texts DIR [--count N] [--seed S] [--threads T]");
                std::process::exit(2);
            }
        }
    }
    let Some(dir) = dir else {
        eprintln!("usage: mutate_texts DIR [--count N] [--seed S] [--threads T]");
        std::process::exit(2);
    };
    let mut files: Vec<PathBuf> = match std::fs::read_dir(&dir) {
        Ok(rd) => rd.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "txt")).collect(),
        Err(e) => {
            eprintln!("mutate_texts: cannot read {}: {e}", dir.display());
            std::process::exit(2);
        }
    };
    files.sort();
    let texts: Vec<(String, String)> = files
        .iter()
        .filter_map(|p| Some((p.file_name()?.to_string_lossy().into_owned(), String::from_utf8_lossy(&std::fs::read(p).ok()?).into_owned())))
        .collect();
    if texts.is_empty() {
        eprintln!("mutate_texts: no .txt file in {}", dir.display());
        std::process::exit(2);
    }
    let rules = starfinder::rules::load(None).unwrap_or_else(|e| {
        eprintln!("mutate_texts: built-in rules: {e}");
        std::process::exit(2)
    });
    if threads > 0 {
        let _ = rayon::ThreadPoolBuilder::new().num_threads(threads).build_global();
    }
    // Panics are counted and reported below, not printed as they happen.
    std::panic::set_hook(Box::new(|_| {}));
    let started = std::time::Instant::now();
    let panics: Vec<(usize, String, String, String)> = (0..count)
        .into_par_iter()
        .filter_map(|i| {
            let (name, text) = &texts[i % texts.len()];
            let mut rng = Rng(seed ^ (i as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
            let mutated = mutate(text, &mut rng);
            let pages: Vec<PageText> = mutated.split('\u{c}').map(|p| PageText { body: p.to_string(), ..Default::default() }).collect();
            let run = catch_unwind(AssertUnwindSafe(|| indicators::analyse(&pages, &rules, Options { all_scopes: false, near_misses: true })));
            run.err().map(|p| {
                let msg = p.downcast_ref::<&str>().map(|s| s.to_string()).or_else(|| p.downcast_ref::<String>().cloned()).unwrap_or_else(|| "unknown panic".into());
                (i, name.clone(), msg, mutated)
            })
        })
        .collect();
    let _ = std::panic::take_hook();
    if !panics.is_empty() {
        let out = PathBuf::from("target/mutate-panics");
        let _ = std::fs::create_dir_all(&out);
        for (i, name, msg, text) in &panics {
            eprintln!("panic on text {i} ({name}): {msg}");
            let _ = std::fs::write(out.join(format!("{i}-{name}")), text);
        }
        eprintln!("the texts that panicked are in {}", out.display());
    }
    println!("{count} texts, {} panics ({} files, seed {seed}, {:.1} s)", panics.len(), texts.len(), started.elapsed().as_secs_f64());
    if !panics.is_empty() {
        std::process::exit(1);
    }
}
