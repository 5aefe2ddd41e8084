//! Writes `extract_to_string` of every PDF in a folder to OUT/NAME.txt, and
//! prints pages, seconds and pages/s (one thread). Usage: dump IN_DIR OUT_DIR
use std::time::Instant;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (inp, out) = match (args.get(1), args.get(2)) {
        (Some(a), Some(b)) => (a.clone(), b.clone()),
        _ => {
            eprintln!("usage: dump IN_DIR OUT_DIR");
            std::process::exit(2);
        }
    };
    std::fs::create_dir_all(&out).expect("create output folder");
    let mut files: Vec<_> = std::fs::read_dir(&inp)
        .expect("read input folder")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    let limits = starfinder::pdf::Limits::default();
    let (mut pages, mut secs) = (0usize, 0f64);
    for f in files {
        let bytes = std::fs::read(&f).expect("read pdf");
        let t = Instant::now();
        let r = std::panic::catch_unwind(|| starfinder::pdf::extract(&bytes, &limits));
        let dt = t.elapsed().as_secs_f64();
        secs += dt;
        let name = f
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let text = match r {
            Ok(Ok(t)) => {
                pages += t.pages.len();
                let mut s = String::new();
                for p in &t.pages {
                    s.push_str(&p.body);
                    s.push('\x0c');
                }
                s
            }
            Ok(Err(e)) => {
                eprintln!("{name}: {} ({e})", e.kind());
                String::new()
            }
            Err(_) => {
                eprintln!("{name}: PANIC");
                String::new()
            }
        };
        if dt > 1.0 {
            eprintln!("{name}: slow {dt:.2}s");
        }
        std::fs::write(format!("{out}/{name}.txt"), text).expect("write text");
    }
    println!(
        "pages {pages} seconds {secs:.3} pages/s {:.0}",
        pages as f64 / secs.max(1e-9)
    );
}
