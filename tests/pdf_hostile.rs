//! Hostile input: mutated copies of a PDF built here must give Ok or Err,
//! never a panic, a hang or a stack overflow.

#[path = "pdf_common.rs"]
mod common;

use common::{build, page, text_at};
use starfinder::pdf::{extract, Limits};

/// xorshift64*: a fixed-seed PRNG so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
}

fn limits() -> Limits {
    Limits {
        max_operators: 200_000,
        max_decompressed_bytes: 8 << 20,
        ..Limits::default()
    }
}

fn check(bytes: &[u8]) {
    let r = std::panic::catch_unwind(|| extract(bytes, &limits()));
    assert!(
        r.is_ok(),
        "extract panicked on a {}-byte input",
        bytes.len()
    );
}

fn sample() -> Vec<u8> {
    let c = text_at(72.0, 700.0, 12.0, "Accord sur la qualité de vie au travail")
        + "BT /F2 12 Tf 72 680 Td (\\001t\\001) Tj ET BT /F3 10 Tf 72 660 Td <00010002> Tj ET /Fm1 Do";
    build(&[page(&c), page(&text_at(72.0, 700.0, 12.0, "Page deux"))])
}

#[test]
fn truncated_copies() {
    let pdf = sample();
    for cut in (0..pdf.len()).step_by(pdf.len() / 60 + 1) {
        check(&pdf[..cut]);
    }
}

#[test]
fn flipped_bytes() {
    let pdf = sample();
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for _ in 0..150 {
        let mut m = pdf.clone();
        for _ in 0..(1 + rng.next() % 8) {
            let i = (rng.next() as usize) % m.len();
            m[i] = rng.next() as u8;
        }
        check(&m);
    }
}

#[test]
fn garbage_and_degenerate_inputs() {
    let mut rng = Rng(42);
    let mut g = b"%PDF-1.7\n".to_vec();
    g.extend((0..4000).map(|_| rng.next() as u8));
    check(&g);
    check(b"");
    check(b"not a pdf at all");
    check(b"%PDF-");
    check(b"%PDF-1.4\ntrailer<</Root 1 0 R>>\n%%EOF");
}

#[test]
fn deeply_nested_operands_and_objects() {
    let deep = "[".repeat(100_000) + &"]".repeat(100_000) + " TJ";
    check(&build(&[page(&deep)]));
    let dicts = "<<".repeat(50_000) + " BDC";
    check(&build(&[page(&dicts)]));
    // Nesting inside the file's own objects (lopdf's parser).
    let mut raw = b"%PDF-1.4\n1 0 obj\n".to_vec();
    raw.extend(std::iter::repeat_n(b'[', 200_000));
    raw.extend(b"\nendobj\ntrailer<</Root 1 0 R>>\n%%EOF\n");
    check(&raw);
}

#[test]
fn form_that_draws_itself() {
    // Replace the sample form's content with a call to itself.
    let c = "/Fm1 Do";
    let pdf = build(&[page(c)]);
    let s = String::from_utf8_lossy(&pdf).into_owned();
    let patched = s.replace(
        "BT /F1 12 Tf 72 300 Td (formulaire) Tj ET",
        "/Fm1 Do /Fm1 Do /Fm1 Do /Fm1 ",
    );
    // The length changed; lopdf rebuilds or reads /Length leniently either way.
    check(patched.as_bytes());
    // And a form whose resources point at itself under another name.
    let patched = s.replace("(formulaire) Tj ET", "(x) Tj ET /Fm1 Do");
    check(patched.as_bytes());
}

#[test]
fn operator_flood_is_a_limit() {
    let flood = "q Q ".repeat(300_000);
    let pdf = build(&[page(&flood)]);
    let r = extract(&pdf, &limits());
    assert!(
        matches!(r, Err(starfinder::pdf::PdfError::Limit(_))),
        "{r:?}"
    );
}
