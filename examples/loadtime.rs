//! Times lopdf's loading alone over a folder (to split load from extraction).
fn main() {
    let dir = std::env::args().nth(1).expect("usage: loadtime DIR");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "pdf"))
        .collect();
    files.sort();
    let t = std::time::Instant::now();
    let mut n = 0;
    for f in files {
        let b = std::fs::read(f).expect("read");
        if let Ok(d) = lopdf::Document::load_mem(&b) {
            n += d.get_pages().len();
        }
    }
    println!("pages {n} load seconds {:.3}", t.elapsed().as_secs_f64());
}
