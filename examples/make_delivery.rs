//! Builds an ACCO-shaped delivery for benchmarks:
//!
//!     cargo run --release --example make_delivery -- DOCX_DIR COUNT OUT.tar.gz
//!
//! COUNT agreements, each a `.docx` of DOCX_DIR (cycled) with its official
//! XML metadata, in the layout of the weekly `ACCO_*.tar.gz` deliveries.

use starfinder::acco::{write_archive, AccoMeta};

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [dir, count, out] = args.as_slice() else {
        eprintln!("usage: make_delivery DOCX_DIR COUNT OUT.tar.gz");
        std::process::exit(2);
    };
    let count: usize = count.parse().map_err(|_| std::io::Error::other("COUNT is not a number"))?;
    let mut docs: Vec<_> = std::fs::read_dir(dir)?.filter_map(Result::ok).map(|e| e.path()).filter(|p| p.extension().is_some_and(|e| e == "docx")).collect();
    docs.sort();
    if docs.is_empty() {
        return Err(std::io::Error::other("no .docx in DOCX_DIR"));
    }
    let bytes: Vec<Vec<u8>> = docs.iter().map(std::fs::read).collect::<Result<_, _>>()?;
    let mut entries: Vec<(String, Vec<u8>)> = Vec::new();
    for i in 0..count {
        let name = format!("T{i:08}.docx");
        let meta = AccoMeta {
            id: format!("ACCOTEXT{i:012}"),
            nature: "ACCORD".into(),
            docx_path: format!("/acco/bureautique/2024/01/01/{name}"),
            company_name: format!("ENTREPRISE {i}"),
            signature_date: "2024-01-01".into(),
            ..Default::default()
        };
        entries.push((format!("acco/bureautique/2024/01/01/{name}"), bytes[i % bytes.len()].clone()));
        entries.push((format!("acco/global/TEXT/{:02}/ACCOTEXT{i:012}.xml", i % 100), meta.to_xml().into_bytes()));
    }
    let refs: Vec<(&str, &[u8])> = entries.iter().map(|(p, b)| (p.as_str(), b.as_slice())).collect();
    std::fs::write(out, write_archive(&refs)?)?;
    Ok(())
}
