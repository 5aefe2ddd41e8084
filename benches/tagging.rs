//! Throughput of the tagging stage alone (normalise -> clauses -> rules ->
//! indicators), on text that is already extracted, on one thread.
//!
//! `cargo bench --bench tagging [-- DIR]` reads every `.txt` of DIR (default
//! ../shared/corpus/kali/txt, the true text of 400 real agreements) and
//! prints MB/s of text per core, then where the time goes, stage by stage.
//! No timing is asserted: this is a measurement, not a test.

use starfinder::indicators::{analyse_text, DocText};
use starfinder::pdf::PageText;
use starfinder::text::Folded;
use std::time::Instant;

fn main() {
    let dir = std::env::args().skip(1).find(|a| !a.starts_with('-')).unwrap_or_else(|| "../shared/corpus/kali/txt".into());
    let Ok(rd) = std::fs::read_dir(&dir) else {
        eprintln!("tagging bench: no folder {dir}; pass a folder of .txt files");
        return;
    };
    let mut paths: Vec<_> = rd.filter_map(|e| e.ok()).map(|e| e.path()).filter(|p| p.extension().is_some_and(|x| x == "txt")).collect();
    paths.sort();
    let docs: Vec<DocText> = paths
        .iter()
        .filter_map(|p| std::fs::read_to_string(p).ok())
        .map(|t| DocText::new(&[PageText { body: t, ..Default::default() }]))
        .collect();
    let bytes: usize = docs.iter().map(|d| d.text.len()).sum();
    let rules = starfinder::rules::load(None).expect("built-in rules are valid");
    let mut best = f64::MAX;
    let mut indicators = 0;
    // The best of five: the machines this runs on share their cores, and
    // the least disturbed pass is the one that says what the code costs.
    for _ in 0..5 {
        let t = Instant::now();
        indicators = 0;
        for d in &docs {
            indicators += analyse_text(d, &rules, Default::default()).indicators.len();
        }
        best = best.min(t.elapsed().as_secs_f64());
    }
    println!(
        "tagging: {} documents, {:.1} MB of text, best of 5: {:.3} s, {:.1} MB/s on one core, {} indicators ({:.1} per 100 documents)",
        docs.len(),
        bytes as f64 / 1e6,
        best,
        bytes as f64 / 1e6 / best,
        indicators,
        indicators as f64 * 100.0 / docs.len().max(1) as f64
    );

    // The stages one by one (best of 3 each): what to work on next.
    let stage = |name: &str, f: &dyn Fn(&DocText)| {
        let mut best = f64::MAX;
        for _ in 0..3 {
            let t = Instant::now();
            docs.iter().for_each(f);
            best = best.min(t.elapsed().as_secs_f64());
        }
        println!("  {name:<28} {:7.3} s {:7.1} MB/s", best, bytes as f64 / 1e6 / best);
    };
    stage("fold", &|d| drop(Folded::new(&d.text)));
    stage("clauses", &|d| drop(starfinder::segment::clauses(&d.text)));
    stage("sentences", &|d| drop(starfinder::text::sentences(&Folded::new(&d.text), &d.text)));
    stage("fold+clauses+tag", &|d| {
        let f = Folded::new(&d.text);
        let c = starfinder::segment::clauses(&d.text);
        drop(rules.tag(&f, &d.text, &c, false));
    });
    stage("fold+metadata", &|d| drop(starfinder::indicators::metadata::extract_metadata(&d.text)));
    stage("redact clauses", &|d| {
        for c in starfinder::segment::clauses(&d.text) {
            drop(starfinder::indicators::redact(d.text[c.start..c.end].trim()));
        }
    });
}
