//! The output contract as types: one struct per JSON Lines file
//! (`agreements.jsonl`, `clauses.jsonl`, `companies.jsonl`), from which the
//! JSON Schemas under `schema/` are derived (schemars) for the services that
//! import the files.
//!
//! The writers build their rows in `output`; these types say what a row may
//! hold and are checked against what the writers write: every row of the
//! samples' outputs in the tests, and of a run over `../shared/gold/dev` in
//! CI (`cargo run --example validate_outputs -- DIR`), must read into them
//! with no unknown field. A test fails when these types and the committed
//! schemas differ; `STARFINDER_WRITE_SCHEMA=1 cargo test --lib schema`
//! writes the schemas anew after an intended change.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;

/// A document's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum RowStatus {
    /// Read and analysed.
    Ok,
    /// More than half of the pages are images with no text: not read.
    NeedsOcr,
    /// Could not be read or analysed: see `error`.
    Error,
}

/// Where a document came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Pdf,
    Docx,
    /// A member of an ACCO delivery (`ARCHIVE!/inner/path`).
    Acco,
}

/// The kind of an agreement (spec/indicators.md, "Agreement metadata").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AgreementKind {
    Accord,
    Avenant,
    PvDesaccord,
    PlanAction,
    DecisionUnilaterale,
    Other,
}

/// A union, as the spec names them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum Union {
    #[serde(rename = "CFDT")]
    Cfdt,
    #[serde(rename = "CGT")]
    Cgt,
    #[serde(rename = "FO")]
    Fo,
    #[serde(rename = "CFE-CGC")]
    CfeCgc,
    #[serde(rename = "CFTC")]
    Cftc,
    #[serde(rename = "UNSA")]
    Unsa,
    #[serde(rename = "SOLIDAIRES")]
    Solidaires,
    #[serde(rename = "OTHER")]
    Other,
}

/// Whether a text is a company's or a branch's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Scope {
    Company,
    Branch,
}

/// An agreement's metadata; a field is absent where the text (or the
/// official metadata) does not state it.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Metadata {
    /// The signing company's name as written in the parties clause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub company_name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]{9}$"))]
    pub siren: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]{14}$"))]
    pub siret: Option<String>,
    /// The date the agreement was signed, `YYYY-MM-DD`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))]
    pub signature_date: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<AgreementKind>,
    /// Signatory or negotiating unions, sorted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unions: Option<Vec<Union>>,
    /// The branch's IDCC, zero-padded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-9]{4}$"))]
    pub idcc: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration_months: Option<f64>,
    /// Added in schema 3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scope: Option<Scope>,
}

/// Where a metadata value comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum MetadataSource {
    Text,
    /// The official metadata of an ACCO delivery.
    Acco,
    /// A reviewer's correction.
    Review,
}

/// The indicators of spec/indicators.md; a field is absent where the text
/// does not state it ("absent" means "the agreement does not say").
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Indicators {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telework_allowed: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telework_days_per_week: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telework_days_per_month: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telework_allowance_eur_month: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub telework_allowance_eur_day: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disconnect_right: Option<bool>,
    /// `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-2][0-9]:[0-5][0-9]$"))]
    pub disconnect_start: Option<String>,
    /// `HH:MM`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = r"^[0-2][0-9]:[0-5][0-9]$"))]
    pub disconnect_end: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flexible_hours: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weekly_hours: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub forfait_jours_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub rtt_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub extra_leave_days: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_savings_account: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub leave_donation: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub second_parent_leave_full_pay: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub childcare_support: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub caregiver_support: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gender_equality_plan: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pay_gap_budget_pct: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub general_increase_pct: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub individual_increase_pct: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub profit_sharing: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub psychosocial_risk_prevention: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub disability_employment_target_pct: Option<f64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub employee_expression: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub health_insurance_employer_share_pct: Option<f64>,
}

/// Where a value comes from in the text.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    /// The value this entry supports (the kept value is the indicator's).
    pub value: Value,
    /// 1-based physical page; absent for a DOCX, which has no pages.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u32>,
    /// The innermost numbered heading ("Article 4.2"), `Préambule`, or `Page N`.
    pub clause: String,
    /// Characters into the page's body text as `starfinder extract` prints
    /// it (the whole text for a DOCX); `start..end` slices it back to `text`.
    pub start: u64,
    /// End-exclusive.
    pub end: u64,
    /// The matched words.
    pub text: String,
    /// The sentence around them.
    pub excerpt: String,
    /// The rule that found it (`META-FIELD` for metadata read from the text).
    pub rule: String,
}

/// A theme of the ACCO official metadata.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccoTheme {
    pub code: String,
    pub label: String,
    pub group: String,
}

/// A reviewer's decision on a value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Accept,
    Reject,
    Correct,
}

/// The mark a reviewer's decision leaves on a value.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ReviewMark {
    pub decision: Decision,
    /// The corrected value, for `correct`.
    pub value: Value,
    /// What the tool had found (null where it had found nothing).
    pub automatic_value: Value,
    pub reviewer: String,
    pub date: String,
    pub comment: String,
}

/// The stage at which a document failed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Stage {
    Read,
    Extract,
    Tag,
}

/// Why a document is an `error` row.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RowError {
    pub stage: Stage,
    /// A short, stable code (`io`, `no_text`, `encrypted`, `panic`, …).
    pub kind: String,
    /// What was wrong and where, for a person.
    pub message: String,
}

/// One line of `agreements.jsonl`: one input document.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AgreementRow {
    pub schema_version: u32,
    pub path: String,
    /// Of the file's bytes; null where it could not be read.
    pub sha256: Option<String>,
    pub status: RowStatus,
    /// Null where the file could not be opened, and for a DOCX.
    pub pages: Option<u32>,
    pub source: Source,
    /// The agreement's id in an ACCO delivery.
    pub acco_id: Option<String>,
    /// The delivery publishes only an extract of the text.
    pub partial_text: bool,
    pub metadata: Metadata,
    pub metadata_source: BTreeMap<String, MetadataSource>,
    /// Theme ids of spec/indicators.md, sorted.
    pub themes: Vec<String>,
    pub indicators: Indicators,
    /// Indicator or metadata field -> where its values come from.
    pub evidence: BTreeMap<String, Vec<Evidence>>,
    pub acco_themes: Vec<AccoTheme>,
    /// Reviewers' decisions, by indicator or metadata field.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<BTreeMap<String, ReviewMark>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<RowError>,
    /// What could not be read of a document that still gave text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub warnings: Option<Vec<String>>,
}

/// One line of `clauses.jsonl`: a clause that carries a theme or a hit.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ClauseRow {
    pub schema_version: u32,
    pub path: String,
    pub clause: String,
    /// Pages the clause runs over (empty for a DOCX).
    pub pages: Vec<u32>,
    /// Characters into the document's body text.
    pub start: u64,
    pub end: u64,
    pub themes: Vec<String>,
    /// Ids of the rules that fired.
    pub rules: Vec<String>,
    pub text: String,
}

/// One line of `companies.jsonl`: a company's agreements aggregated.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CompanyRow {
    pub schema_version: u32,
    /// The SIREN, else the normalised name.
    pub company_key: String,
    /// The spelling of the most recent agreement.
    pub company_name: Option<String>,
    pub siren: Option<String>,
    pub agreements: u32,
    pub paths: Vec<String>,
    pub themes: Vec<String>,
    /// Each value from the most recently signed agreement that states it.
    pub indicators: Indicators,
    /// Indicator id -> the path of the agreement its value came from.
    pub sources: BTreeMap<String, String>,
    /// Theme id -> 0 to 5 stars.
    pub stars: BTreeMap<String, u8>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub review: Option<BTreeMap<String, ReviewMark>>,
}

/// The schemas of the JSON Lines files, by the name of their file under
/// `schema/`.
pub fn schemas() -> Vec<(&'static str, Value)> {
    let v = |s: schemars::Schema| s.to_value();
    vec![
        ("agreements.schema.json", v(schemars::schema_for!(AgreementRow))),
        ("clauses.schema.json", v(schemars::schema_for!(ClauseRow))),
        ("companies.schema.json", v(schemars::schema_for!(CompanyRow))),
    ]
}

/// Checks one line of an output file against its row type: an error says
/// what does not fit (an unknown field, a wrong type, a value out of its
/// enum). `file` is the output file's name.
pub fn check_line(file: &str, line: &str) -> Result<(), String> {
    fn read<T: serde::de::DeserializeOwned>(line: &str) -> Result<(), String> {
        serde_json::from_str::<T>(line).map(|_| ()).map_err(|e| e.to_string())
    }
    match file {
        "agreements.jsonl" => read::<AgreementRow>(line),
        "clauses.jsonl" => read::<ClauseRow>(line),
        "companies.jsonl" => read::<CompanyRow>(line),
        other => Err(format!("no row type for {other}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::spec;

    fn properties(schema: &Value, def: &str) -> Vec<String> {
        let node = if def.is_empty() { schema } else { &schema["$defs"][def] };
        let mut v: Vec<String> = node["properties"].as_object().map(|o| o.keys().cloned().collect()).unwrap_or_default();
        v.sort();
        v
    }

    #[test]
    fn the_types_name_every_field_of_the_spec() {
        let s = schemars::schema_for!(AgreementRow).to_value();
        let mut ids: Vec<String> = spec::INDICATORS.iter().map(|i| i.id.to_string()).collect();
        ids.sort();
        assert_eq!(properties(&s, "Indicators"), ids);
        let mut meta: Vec<String> = spec::metadata_fields().map(String::from).collect();
        meta.sort();
        assert_eq!(properties(&s, "Metadata"), meta);
    }

    #[test]
    fn the_committed_schemas_are_the_types() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
        let write = std::env::var_os("STARFINDER_WRITE_SCHEMA").is_some();
        for (name, schema) in schemas() {
            let text = serde_json::to_string_pretty(&schema).expect("a schema serializes") + "\n";
            let path = dir.join(name);
            if write {
                std::fs::create_dir_all(&dir).expect("create schema/");
                std::fs::write(&path, &text).expect("write a schema");
            }
            let committed = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(committed == text, "schema/{name} differs from the types: run STARFINDER_WRITE_SCHEMA=1 cargo test --lib schema and review the diff");
        }
    }

    #[test]
    fn lines_that_break_the_contract_are_named() {
        let ok = r#"{"schema_version":3,"path":"a.pdf","sha256":null,"status":"error","pages":null,"source":"pdf","acco_id":null,"partial_text":false,"metadata":{},"metadata_source":{},"themes":[],"indicators":{},"evidence":{},"acco_themes":[],"error":{"stage":"read","kind":"io","message":"m"}}"#;
        assert_eq!(check_line("agreements.jsonl", ok), Ok(()));
        let unknown = ok.replace("\"themes\":[]", "\"themes\":[],\"extra\":1");
        assert!(check_line("agreements.jsonl", &unknown).unwrap_err().contains("extra"));
        let wrong = ok.replace("\"indicators\":{}", "\"indicators\":{\"telework_allowed\":\"yes\"}");
        assert!(check_line("agreements.jsonl", &wrong).is_err());
        let status = ok.replace("\"status\":\"error\"", "\"status\":\"done\"");
        assert!(check_line("agreements.jsonl", &status).is_err());
        assert!(check_line("agreements.jsonl", "").is_err());
        assert!(check_line("agreements.jsonl", "{\"schema_version\":").is_err());
        assert!(check_line("run.json", "{}").is_err());
    }
}
