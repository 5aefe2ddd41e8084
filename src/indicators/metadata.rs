//! Interim metadata extraction (replaced by the values branch).
pub struct MetaHit { pub field: &'static str, pub value: serde_json::Value, pub start: usize, pub end: usize }
pub fn extract_metadata(_text: &str) -> Vec<MetaHit> { Vec::new() }
