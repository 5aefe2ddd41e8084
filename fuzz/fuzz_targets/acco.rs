//! ACCO deliveries: the first byte chooses between the archive reader (the
//! rest gzip-compressed on the fly, so the fuzzer works on the tar layer)
//! and the metadata XML parser on the rest. Never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;
use starfinder::acco::{parse_meta, read_archive, ArchiveLimits};
use std::io::Write;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    if mode & 1 == 0 {
        if let Ok(m) = parse_meta(rest) {
            let _ = (m.metadata(), m.themes_json());
        }
        return;
    }
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    if gz.write_all(rest).is_err() {
        return;
    }
    let Ok(archive) = gz.finish() else { return };
    let limits = ArchiveLimits { max_xml_bytes: 1 << 16, max_doc_bytes: 1 << 20, max_waiting_bytes: 4 << 20, max_total_bytes: 16 << 20 };
    let _ = read_archive(&archive[..], &limits, |item| {
        if let starfinder::acco::AccoItem::Agreement { meta: Some(m), .. } = item {
            let _ = m.metadata();
        }
    });
});
