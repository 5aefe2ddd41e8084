//! ACCO deliveries: `ACCO_YYYYMMDD-HHMMSS.tar.gz` archives of agreement
//! texts (.docx) and their official XML metadata, read as a stream.
//!
//! The archive is never unpacked to disk nor held whole in memory: entries
//! are read one at a time, the small XML files are parsed as they come,
//! and a document waits in memory only until its XML has been seen (within
//! a byte budget). Every agreement comes out as an [`AccoItem`]: its
//! official metadata, its document bytes, or what is missing. Names of
//! people (NEGOCIATEURS, SIGNATAIRES) are skipped by the parser and never
//! read into anything.

use quick_xml::events::Event;
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::io::Read;
use thiserror::Error;

#[derive(Debug, Clone, Copy)]
pub struct ArchiveLimits {
    /// Largest XML metadata file.
    pub max_xml_bytes: u64,
    /// Largest document.
    pub max_doc_bytes: u64,
    /// Documents waiting for their XML, in bytes.
    pub max_waiting_bytes: usize,
    /// Total bytes read from the decompressed stream.
    pub max_total_bytes: u64,
}

impl Default for ArchiveLimits {
    fn default() -> Self {
        ArchiveLimits { max_xml_bytes: 4 << 20, max_doc_bytes: 64 << 20, max_waiting_bytes: 512 << 20, max_total_bytes: 64 << 30 }
    }
}

#[derive(Debug, Error)]
pub enum AccoError {
    #[error("not a gzip-compressed tar archive: {0}")]
    NotArchive(String),
    #[error("damaged archive: {0}")]
    Malformed(String),
    #[error("limit exceeded: {0}")]
    Limit(String),
}

impl AccoError {
    pub fn kind(&self) -> &'static str {
        match self {
            AccoError::NotArchive(_) => "not_archive",
            AccoError::Malformed(_) => "malformed",
            AccoError::Limit(_) => "limit",
        }
    }
}

/// An official theme of an agreement.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AccoTheme {
    pub code: String,
    pub label: String,
    pub group: String,
}

/// Official metadata of one agreement (TEXTE_ACCO).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AccoMeta {
    pub id: String,
    pub nature: String,
    pub title: String,
    pub docx_path: String,
    pub numero: String,
    pub siret: String,
    pub company_name: String,
    pub ape: String,
    pub idcc: String,
    pub signature_date: String,
    pub deposit_date: String,
    pub effect_date: String,
    pub end_date: String,
    /// CONFORME_VERSION_INTEGRALE false: only an extract is published.
    pub partial_text: bool,
    pub unions: Vec<String>,
    pub themes: Vec<AccoTheme>,
}

/// One agreement of an archive, or a deletion.
#[derive(Debug, Clone, PartialEq)]
pub enum AccoItem {
    Agreement { inner_path: String, meta: Option<AccoMeta>, doc: Option<Vec<u8>>, error: Option<String> },
    Deleted(String),
}

/// Whether a file name is an ACCO delivery.
pub fn is_archive_name(name: &str) -> bool {
    (name.starts_with("ACCO_") || name.starts_with("Freemium_acco_global_")) && name.ends_with(".tar.gz")
}

fn local(name: &[u8]) -> &[u8] {
    name.rsplit(|&b| b == b':').next().unwrap_or(name)
}

/// Parses a TEXTE_ACCO XML. Elements under NEGOCIATEURS and SIGNATAIRES are
/// skipped whole.
pub fn parse_meta(xml: &[u8]) -> Result<AccoMeta, String> {
    let mut r = quick_xml::Reader::from_reader(xml);
    let mut buf = Vec::new();
    let mut stack: Vec<String> = Vec::new();
    let mut m = AccoMeta { partial_text: false, ..Default::default() };
    let mut root_seen = false;
    let mut theme = AccoTheme { code: String::new(), label: String::new(), group: String::new() };
    let mut text = String::new();
    loop {
        let ev = r.read_event_into(&mut buf).map_err(|e| format!("XML error at byte {}: {e}", r.buffer_position()))?;
        match ev {
            Event::Eof => break,
            Event::Start(e) => {
                let n = String::from_utf8_lossy(local(e.name().as_ref())).into_owned();
                if stack.is_empty() {
                    if n != "TEXTE_ACCO" {
                        return Err(format!("root element is <{n}>, not <TEXTE_ACCO>"));
                    }
                    root_seen = true;
                }
                if n == "NEGOCIATEURS" || n == "SIGNATAIRES" {
                    // People's names: skip the whole element unread.
                    let end = e.to_end().into_owned();
                    r.read_to_end_into(end.name(), &mut Vec::new()).map_err(|e| format!("XML error: {e}"))?;
                    buf.clear();
                    continue;
                }
                if stack.len() > 64 {
                    return Err("XML nested deeper than 64".into());
                }
                stack.push(n);
                text.clear();
            }
            Event::Empty(e) => {
                if stack.is_empty() {
                    return Err("empty root element".into());
                }
                let _ = e;
            }
            Event::Text(t) => text.push_str(&t.decode().unwrap_or_default()),
            Event::GeneralRef(g) => match g.resolve_char_ref() {
                Ok(Some(c)) => text.push(c),
                _ => text.push_str(quick_xml::escape::resolve_predefined_entity(&g.decode().unwrap_or_default()).unwrap_or("")),
            },
            Event::CData(c) => text.push_str(&String::from_utf8_lossy(&c)),
            Event::End(_) => {
                let name = stack.pop().unwrap_or_default();
                let parent = stack.last().map(String::as_str).unwrap_or("");
                let v = text.trim().to_string();
                match (parent, name.as_str()) {
                    ("META_COMMUN", "ID") => m.id = v,
                    ("META_COMMUN", "NATURE") => m.nature = v,
                    (_, "TITRE_TXT") => m.title = v,
                    (_, "DOCUMENT_BUREAUTIQUE") => m.docx_path = v,
                    ("META_ACCO", "NUMERO") => m.numero = v,
                    ("META_ACCO", "SIRET") => m.siret = v.chars().filter(char::is_ascii_digit).collect(),
                    ("META_ACCO", "RAISON_SOCIALE") => m.company_name = v,
                    ("META_ACCO", "CODE_APE") => m.ape = v,
                    ("META_ACCO", "CODE_IDCC") => m.idcc = v,
                    ("META_ACCO", "DATE_TEXTE") => m.signature_date = v,
                    ("META_ACCO", "DATE_DEPOT") => m.deposit_date = v,
                    ("META_ACCO", "DATE_EFFET") => m.effect_date = v,
                    ("META_ACCO", "DATE_FIN") => m.end_date = v,
                    ("META_ACCO", "CONFORME_VERSION_INTEGRALE") => m.partial_text = v.eq_ignore_ascii_case("false"),
                    ("THEME", "CODE") => theme.code = v,
                    ("THEME", "LIBELLE") => theme.label = v,
                    ("THEME", "GROUPE") => theme.group = v,
                    ("THEMES", "THEME") => m.themes.push(std::mem::replace(&mut theme, AccoTheme { code: String::new(), label: String::new(), group: String::new() })),
                    ("SYNDICAT", "LIBELLE") => {
                        if !v.is_empty() {
                            m.unions.push(v)
                        }
                    }
                    _ => {}
                }
                text.clear();
            }
            _ => {}
        }
        buf.clear();
    }
    if !root_seen {
        return Err("no <TEXTE_ACCO> element".into());
    }
    m.themes.sort();
    m.themes.dedup();
    Ok(m)
}

/// A union label to the contract's enum.
pub fn union_id(label: &str) -> &'static str {
    let l = crate::text::fold(label).replace(['.', '-'], " ");
    let has = |w: &str| l.split_whitespace().collect::<Vec<_>>().windows(w.split(' ').count()).any(|x| x.join(" ") == w);
    if has("cgt fo") || has("fo") || l.contains("force ouvriere") {
        "FO"
    } else if has("cfe cgc") || has("cgc") {
        "CFE-CGC"
    } else if has("cfdt") {
        "CFDT"
    } else if has("cftc") {
        "CFTC"
    } else if has("cgt") {
        "CGT"
    } else if has("unsa") {
        "UNSA"
    } else if has("sud") || l.contains("solidaires") {
        "SOLIDAIRES"
    } else {
        "OTHER"
    }
}

fn iso_date(s: &str) -> Option<String> {
    let d = s.get(..10)?;
    let ok = d.len() == 10 && d.as_bytes()[4] == b'-' && d.as_bytes()[7] == b'-' && d.bytes().enumerate().all(|(i, b)| i == 4 || i == 7 || b.is_ascii_digit());
    ok.then(|| d.to_string())
}

/// Whole months from `a` to the day after `b` ("du 1er avril 2024 au 31
/// mars 2027" is 36 months).
fn months_between(a: &str, b: &str) -> Option<i64> {
    let p = |s: &str| -> Option<(i64, i64, i64)> { Some((s.get(..4)?.parse().ok()?, s.get(5..7)?.parse().ok()?, s.get(8..10)?.parse().ok()?)) };
    let (y1, m1, d1) = p(a)?;
    let (mut y2, mut m2, mut d2) = p(b)?;
    let leap = |y: i64| (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = [31, if leap(y2) { 29 } else { 28 }, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    d2 += 1;
    if d2 > *days.get((m2 - 1).clamp(0, 11) as usize)? {
        d2 = 1;
        m2 += 1;
        if m2 > 12 {
            m2 = 1;
            y2 += 1;
        }
    }
    let months = (y2 - y1) * 12 + (m2 - m1) - i64::from(d2 < d1);
    (months > 0).then_some(months)
}

impl AccoMeta {
    /// The contract's metadata fields this record states, as plain values.
    pub fn metadata(&self) -> Vec<(&'static str, Value)> {
        let mut out = Vec::new();
        if !self.company_name.is_empty() {
            out.push(("company_name", json!(self.company_name.replace('\u{2019}', "'"))));
        }
        // Fourteen ASCII digits, else no identifier: the XML is outside data.
        if self.siret.len() == 14 && self.siret.bytes().all(|b| b.is_ascii_digit()) {
            out.push(("siren", json!(crate::text::slice::prefix(&self.siret, 9))));
            out.push(("siret", json!(self.siret)));
        }
        if let Some(d) = iso_date(&self.signature_date) {
            out.push(("signature_date", json!(d)));
        }
        let kind = match self.nature.to_uppercase().as_str() {
            "ACCORD" => "accord",
            "AVENANT" => "avenant",
            _ => "other",
        };
        if !self.nature.is_empty() {
            out.push(("kind", json!(kind)));
        }
        if !self.unions.is_empty() {
            let mut u: Vec<&str> = self.unions.iter().map(|l| union_id(l)).collect();
            u.sort_unstable();
            u.dedup();
            out.push(("unions", json!(u)));
        }
        let idcc: String = self.idcc.chars().filter(char::is_ascii_digit).collect();
        if let Ok(n) = idcc.parse::<u32>() {
            if n > 0 && n < 9999 {
                out.push(("idcc", json!(format!("{n:04}"))));
            }
        }
        if let (Some(a), Some(b)) = (iso_date(&self.effect_date), iso_date(&self.end_date)) {
            if !b.starts_with("2999") {
                if let Some(m) = months_between(&a, &b) {
                    out.push(("duration_months", json!(m)));
                }
            }
        }
        // ACCO publishes the agreements of companies (their establishments,
        // groups and UES), never branch texts.
        out.push(("scope", json!("company")));
        out
    }

    pub fn themes_json(&self) -> Value {
        Value::Array(self.themes.iter().map(|t| json!({"code": t.code, "label": t.label, "group": t.group})).collect())
    }
}

/// Writes a tar.gz of `entries` (path, bytes) in the shape of a delivery:
/// how the tests and the bench make their archives. Paths are written as
/// given, even hostile ones, so tests can check the reader refuses them.
pub fn write_archive(entries: &[(&str, &[u8])]) -> std::io::Result<Vec<u8>> {
    let gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    let mut b = tar::Builder::new(gz);
    for (path, data) in entries {
        let mut h = tar::Header::new_gnu();
        h.set_size(data.len() as u64);
        h.set_mode(0o644);
        h.set_entry_type(tar::EntryType::Regular);
        let name = path.as_bytes();
        if name.len() > 99 {
            return Err(std::io::Error::other(format!("{path}: longer than a tar name")));
        }
        h.as_old_mut().name[..name.len()].copy_from_slice(name);
        h.set_cksum();
        b.append(&h, *data)?;
    }
    b.into_inner()?.finish()
}

impl AccoMeta {
    /// The TEXTE_ACCO XML of this record (people's names are never
    /// written): for tests and benches.
    pub fn to_xml(&self) -> String {
        let e = |s: &str| s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;");
        let themes: String = self.themes.iter().map(|t| format!("<THEME><CODE>{}</CODE><LIBELLE>{}</LIBELLE><GROUPE>{}</GROUPE></THEME>", e(&t.code), e(&t.label), e(&t.group))).collect();
        let unions: String = self.unions.iter().map(|u| format!("<SYNDICAT><LIBELLE>{}</LIBELLE></SYNDICAT>", e(u))).collect();
        format!(
            "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<TEXTE_ACCO><META><META_COMMUN><ID>{}</ID><NATURE>{}</NATURE></META_COMMUN><META_SPEC><META_ACCO><TITRE_TXT>{}</TITRE_TXT><DOCUMENT_BUREAUTIQUE>{}</DOCUMENT_BUREAUTIQUE><NUMERO>{}</NUMERO><SIRET>{}</SIRET><RAISON_SOCIALE>{}</RAISON_SOCIALE><CODE_APE>{}</CODE_APE><CODE_IDCC>{}</CODE_IDCC><DATE_TEXTE>{}</DATE_TEXTE><DATE_DEPOT>{}</DATE_DEPOT><DATE_EFFET>{}</DATE_EFFET><DATE_FIN>{}</DATE_FIN><CONFORME_VERSION_INTEGRALE>{}</CONFORME_VERSION_INTEGRALE><THEMES>{themes}</THEMES><SYNDICATS>{unions}</SYNDICATS><NEGOCIATEURS/><SIGNATAIRES/></META_ACCO></META_SPEC></META></TEXTE_ACCO>",
            e(&self.id), e(&self.nature), e(&self.title), e(&self.docx_path), e(&self.numero), e(&self.siret), e(&self.company_name), e(&self.ape), e(&self.idcc),
            e(&self.signature_date), e(&self.deposit_date), e(&self.effect_date), e(&self.end_date), !self.partial_text
        )
    }
}

fn file_name(path: &str) -> &str {
    path.rsplit('/').next().unwrap_or(path)
}

/// Reads an archive stream and hands out each agreement as it completes,
/// then the leftovers (an XML without its document, a document without
/// XML). Returns the number of entries read.
pub fn read_archive(reader: impl Read, limits: &ArchiveLimits, mut on_item: impl FnMut(AccoItem)) -> Result<usize, AccoError> {
    let gz = flate2::read::GzDecoder::new(reader).take(limits.max_total_bytes);
    let mut ar = tar::Archive::new(gz);
    // Documents and metadata waiting for each other, by document file name.
    let mut docs: BTreeMap<String, (String, Vec<u8>)> = BTreeMap::new();
    let mut metas: BTreeMap<String, (String, AccoMeta)> = BTreeMap::new();
    let mut waiting = 0usize;
    let mut count = 0usize;
    let entries = ar.entries().map_err(|e| AccoError::NotArchive(e.to_string()))?;
    for entry in entries {
        let mut entry = entry.map_err(|e| {
            if count == 0 { AccoError::NotArchive(e.to_string()) } else { AccoError::Malformed(format!("after {count} entries: {e}")) }
        })?;
        count += 1;
        let raw = entry.path_bytes().into_owned();
        let path = String::from_utf8_lossy(&raw).replace('\\', "/");
        if !entry.header().entry_type().is_file() {
            continue;
        }
        // Paths are only names here, but one that escapes is a hostile
        // archive: report it, read nothing from it.
        if path.starts_with('/') || path.split('/').any(|c| c == "..") {
            on_item(AccoItem::Agreement { inner_path: path.clone(), meta: None, doc: None, error: Some(format!("entry path `{path}` escapes the archive; skipped")) });
            continue;
        }
        let size = entry.header().size().unwrap_or(u64::MAX);
        let name = file_name(&path).to_string();
        let read = |entry: &mut tar::Entry<_>, cap: u64| -> Result<Vec<u8>, String> {
            let mut b = Vec::new();
            entry.take(cap + 1).read_to_end(&mut b).map_err(|e| e.to_string())?;
            if b.len() as u64 > cap { Err(format!("larger than {cap} bytes")) } else { Ok(b) }
        };
        if name == "liste_suppression_acco.dat" {
            let b = read(&mut entry, limits.max_xml_bytes).map_err(|e| AccoError::Malformed(format!("{path}: {e}")))?;
            for line in String::from_utf8_lossy(&b).lines().map(str::trim).filter(|l| !l.is_empty()) {
                on_item(AccoItem::Deleted(line.to_string()));
            }
        } else if name.ends_with(".xml") && path.contains("/TEXT/") || (name.starts_with("ACCOTEXT") && name.ends_with(".xml")) {
            if size > limits.max_xml_bytes {
                on_item(AccoItem::Agreement { inner_path: path, meta: None, doc: None, error: Some(format!("metadata XML of {size} bytes, above the limit")) });
                continue;
            }
            let parsed = read(&mut entry, limits.max_xml_bytes).and_then(|b| parse_meta(&b));
            match parsed {
                Ok(meta) => {
                    let key = file_name(&meta.docx_path).to_string();
                    if key.is_empty() {
                        on_item(AccoItem::Agreement { inner_path: path, meta: Some(meta), doc: None, error: Some("the metadata names no document (DOCUMENT_BUREAUTIQUE)".into()) });
                    } else if let Some((dpath, bytes)) = docs.remove(&key) {
                        waiting -= bytes.len();
                        on_item(AccoItem::Agreement { inner_path: dpath, meta: Some(meta), doc: Some(bytes), error: None });
                    } else {
                        metas.insert(key, (path, meta));
                    }
                }
                Err(e) => on_item(AccoItem::Agreement { inner_path: path, meta: None, doc: None, error: Some(format!("metadata XML: {e}")) }),
            }
        } else if name.ends_with(".docx") {
            if size > limits.max_doc_bytes {
                on_item(AccoItem::Agreement { inner_path: path, meta: None, doc: None, error: Some(format!("document of {size} bytes, above the limit")) });
                continue;
            }
            let bytes = match read(&mut entry, limits.max_doc_bytes) {
                Ok(b) => b,
                Err(e) => {
                    on_item(AccoItem::Agreement { inner_path: path, meta: None, doc: None, error: Some(e) });
                    continue;
                }
            };
            if let Some((_, meta)) = metas.remove(&name) {
                on_item(AccoItem::Agreement { inner_path: path, meta: Some(meta), doc: Some(bytes), error: None });
            } else {
                waiting += bytes.len();
                if waiting > limits.max_waiting_bytes {
                    return Err(AccoError::Limit(format!("more than {} bytes of documents wait for their metadata", limits.max_waiting_bytes)));
                }
                docs.insert(name, (path, bytes));
            }
        }
    }
    for (_, (path, meta)) in metas {
        let error = format!("the document {} named by the metadata is not in the archive", meta.docx_path);
        on_item(AccoItem::Agreement { inner_path: path, meta: Some(meta), doc: None, error: Some(error) });
    }
    for (_, (path, bytes)) in docs {
        on_item(AccoItem::Agreement { inner_path: path, meta: None, doc: Some(bytes), error: Some("no metadata XML for this document".into()) });
    }
    Ok(count)
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use std::io::Write;

    pub fn meta_xml(id: &str, docx: &str, siret: &str) -> String {
        format!(
            r#"<?xml version="1.0" encoding="UTF-8"?>
<TEXTE_ACCO><META><META_COMMUN><ID>{id}</ID><NATURE>ACCORD</NATURE></META_COMMUN>
<META_SPEC><META_ACCO><TITRE_TXT>Accord relatif au télétravail</TITRE_TXT>
<DOCUMENT_BUREAUTIQUE>/acco/bureautique/2024/03/12/{docx}</DOCUMENT_BUREAUTIQUE>
<NUMERO>T06924001234</NUMERO><SIRET>{siret}</SIRET><RAISON_SOCIALE>NOVALYS CONSEIL</RAISON_SOCIALE><CODE_APE>7022Z</CODE_APE>
<CODE_IDCC>1486</CODE_IDCC><DATE_TEXTE>2024-03-12</DATE_TEXTE><DATE_DEPOT>2024-03-20</DATE_DEPOT>
<DATE_EFFET>2024-04-01</DATE_EFFET><DATE_FIN>2027-03-31</DATE_FIN><CONFORME_VERSION_INTEGRALE>false</CONFORME_VERSION_INTEGRALE>
<THEMES><THEME><CODE>120</CODE><LIBELLE>Télétravail</LIBELLE><GROUPE>Conditions de travail</GROUPE></THEME></THEMES>
<SYNDICATS><SYNDICAT><LIBELLE>CGT-FO</LIBELLE></SYNDICAT><SYNDICAT><LIBELLE>CFDT</LIBELLE></SYNDICAT></SYNDICATS>
<NEGOCIATEURS><NEGOCIATEUR><NOM>Jean Secret</NOM></NEGOCIATEUR></NEGOCIATEURS>
<SIGNATAIRES/></META_ACCO></META_SPEC></META></TEXTE_ACCO>"#
        )
    }

    #[test]
    fn a_siret_that_is_not_fourteen_digits_is_left_out() {
        // Fourteen bytes, but "€" takes three of them: no panic, no SIREN.
        let m = AccoMeta { siret: "55210€540000".into(), company_name: "X".into(), ..Default::default() };
        assert_eq!(m.siret.len(), 14);
        assert!(m.metadata().iter().all(|(f, _)| *f != "siren" && *f != "siret"));
        let m = AccoMeta { siret: "55210055400005".into(), ..Default::default() };
        assert_eq!(m.metadata()[0], ("siren", json!("552100554")));
    }

    pub fn targz(entries: &[(&str, &[u8])]) -> Vec<u8> {
        write_archive(entries).unwrap()
    }

    #[test]
    fn parses_metadata_and_maps_it() {
        let m = parse_meta(meta_xml("ACCOTEXT000001", "T06924001234-42422026706818.docx", "42422026706818").as_bytes()).unwrap();
        assert!(m.partial_text);
        let md: BTreeMap<_, _> = m.metadata().into_iter().collect();
        assert_eq!(md["siren"], json!("424220267"));
        assert_eq!(md["unions"], json!(["CFDT", "FO"]));
        assert_eq!(md["idcc"], json!("1486"));
        assert_eq!(md["duration_months"], json!(36));
        assert_eq!(md["kind"], json!("accord"));
        assert!(!format!("{m:?}").contains("Secret"), "names of people are never read");
        assert_eq!(m.themes_json()[0]["label"], json!("Télétravail"));
        let open = parse_meta(meta_xml("A", "x.docx", "").replace("2027-03-31", "2999-01-01").as_bytes()).unwrap();
        assert!(!open.metadata().iter().any(|(k, _)| *k == "duration_months" || *k == "siren"));
        assert!(parse_meta(b"<OTHER/>").is_err());
        assert!(parse_meta(b"").is_err());
        assert!(parse_meta(b"<TEXTE_ACCO><META><ID>x</ID></NOPE></META></TEXTE_ACCO>").is_err(), "mismatched tags");
        assert_eq!(months_between("2024-01-01", "2024-12-31"), Some(12));
        assert_eq!(months_between("2024-02-15", "2025-02-14"), Some(12));
        assert_eq!(union_id("SUD-Rail"), "SOLIDAIRES");
        assert_eq!(parse_meta(m.to_xml().as_bytes()).unwrap(), m, "to_xml round-trips");
        assert_eq!(union_id("Syndicat autonome"), "OTHER");
    }

    #[test]
    fn streams_an_archive_and_joins_documents() {
        let d1 = crate::docx::write_docx(&["Accord"]);
        let x1 = meta_xml("ACCOTEXT1", "T1-42422026706818.docx", "42422026706818");
        let x2 = meta_xml("ACCOTEXT2", "T2-1.docx", "");
        let arc = targz(&[
            ("acco/bureautique/2024/03/12/T1-42422026706818.docx", &d1),
            ("acco/global/TEXT/00/00/ACCOTEXT1.xml", x1.as_bytes()),
            ("acco/global/TEXT/00/00/ACCOTEXT2.xml", x2.as_bytes()),
            ("acco/bureautique/2024/03/12/T9-orphan.docx", &d1),
            ("acco/liste_suppression_acco.dat", b"acco/global/TEXT/00/00/ACCOTEXT0.xml\n"),
            ("../../etc/evil.docx", b"x"),
        ]);
        let mut items = Vec::new();
        let n = read_archive(&arc[..], &ArchiveLimits::default(), |i| items.push(i)).unwrap();
        assert_eq!(n, 6);
        let ok = items.iter().filter(|i| matches!(i, AccoItem::Agreement { meta: Some(_), doc: Some(_), error: None, .. })).count();
        assert_eq!(ok, 1);
        assert!(items.contains(&AccoItem::Deleted("acco/global/TEXT/00/00/ACCOTEXT0.xml".into())));
        let errors: Vec<&String> = items.iter().filter_map(|i| if let AccoItem::Agreement { error: Some(e), .. } = i { Some(e) } else { None }).collect();
        assert_eq!(errors.len(), 3, "{errors:?}");
        assert!(errors.iter().any(|e| e.contains("escapes")));
        assert!(errors.iter().any(|e| e.contains("not in the archive")));
        assert!(errors.iter().any(|e| e.contains("no metadata")));
    }

    #[test]
    fn broken_archives_are_errors() {
        let lim = ArchiveLimits::default();
        let mut items = 0;
        assert!(read_archive(&b""[..], &lim, |_| items += 1).is_err() || items == 0);
        assert!(matches!(read_archive(&b"not gzip at all"[..], &lim, |_| {}), Err(AccoError::NotArchive(_))));
        let arc = targz(&[("acco/x/TEXT/a.xml", meta_xml("A", "a.docx", "").as_bytes())]);
        let cut = &arc[..arc.len() / 2];
        let mut n = 0;
        let r = read_archive(cut, &lim, |_| n += 1);
        assert!(r.is_err() || n <= 1);
        // A document waiting for metadata beyond the budget.
        let big = vec![b'x'; 4096];
        let arc = targz(&[("a/1.docx", &big), ("a/2.docx", &big)]);
        let small = ArchiveLimits { max_waiting_bytes: 5000, ..lim };
        assert!(matches!(read_archive(&arc[..], &small, |_| {}), Err(AccoError::Limit(_))));
        let mut w = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        w.write_all(b"garbage that is gzip but not tar").unwrap();
        let g = w.finish().unwrap();
        let mut items = 0;
        match read_archive(&g[..], &lim, |_| items += 1) {
            Ok(n) => assert_eq!((n, items), (0, 0)),
            Err(e) => assert!(!e.to_string().is_empty()),
        }
    }
}
