//! Local robustness sweep (not run in CI): flips and truncates bytes of
//! every PDF in a folder with a fixed-seed PRNG, runs `extract` on each
//! copy, and reports panics and slow copies. Usage: stress DIR [ROUNDS]
use std::time::Instant;

fn main() {
    let dir = std::env::args().nth(1).expect("usage: stress DIR [ROUNDS]");
    let rounds: usize = std::env::args()
        .nth(2)
        .and_then(|s| s.parse().ok())
        .unwrap_or(20);
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let limits = starfinder::pdf::Limits {
        max_operators: 5_000_000,
        max_decompressed_bytes: 256 << 20,
        ..Default::default()
    };
    std::panic::set_hook(Box::new(|_| {}));
    let (mut runs, mut panics) = (0, 0);
    for f in &files {
        let orig = std::fs::read(f).expect("read");
        if orig.is_empty() {
            continue;
        }
        for r in 0..rounds {
            let mut m = orig.clone();
            if r % 4 == 3 {
                let cut = (next() as usize) % m.len();
                m.truncate(cut);
            } else {
                for _ in 0..(1 + next() % 16) {
                    let i = (next() as usize) % m.len();
                    m[i] = next() as u8;
                }
            }
            let t = Instant::now();
            let res = std::panic::catch_unwind(|| starfinder::pdf::extract(&m, &limits));
            runs += 1;
            let dt = t.elapsed().as_secs_f64();
            if res.is_err() {
                panics += 1;
                let out = format!(
                    "/tmp/stress_panic_{}_{r}.pdf",
                    f.file_stem()
                        .map(|s| s.to_string_lossy().into_owned())
                        .unwrap_or_default()
                );
                std::fs::write(&out, &m).expect("write");
                println!("PANIC {} round {r} -> {out}", f.display());
            }
            if dt > 2.0 {
                println!("SLOW {:.1}s {} round {r}", dt, f.display());
            }
        }
    }
    println!("runs {runs} panics {panics}");
}
