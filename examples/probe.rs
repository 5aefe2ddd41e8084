//! Debug helper: prints per-page body and furniture of one PDF.
fn main() {
    let path = std::env::args().nth(1).expect("usage: probe FILE.pdf");
    let bytes = std::fs::read(&path).expect("read");
    match starfinder::pdf::extract(&bytes, &starfinder::pdf::Limits::default()) {
        Ok(t) => {
            for (i, p) in t.pages.iter().enumerate() {
                println!(
                    "=== page {} image_only={} furniture={:?}",
                    i + 1,
                    p.image_only,
                    p.furniture
                );
                print!("{}", p.body);
            }
        }
        Err(e) => println!("error {}: {e}", e.kind()),
    }
}
