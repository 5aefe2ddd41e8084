//! The indicator contract of ../shared/spec/indicators.md as data: themes,
//! metadata fields and indicators with their ids, types and themes.
//!
//! Downstream services key on these ids and on this order (the CSV columns
//! follow it), so they live in one table that every layer reads: rule
//! validation, output columns, company aggregation and stars.

/// A QVT theme a clause can be tagged with.
pub struct Theme {
    pub id: &'static str,
    pub label: &'static str,
}

pub const THEMES: &[Theme] = &[
    Theme { id: "teletravail", label: "Télétravail" },
    Theme { id: "deconnexion", label: "Droit à la déconnexion" },
    Theme { id: "conciliation", label: "Articulation vie professionnelle / vie personnelle" },
    Theme { id: "temps_travail", label: "Durée et organisation du temps de travail" },
    Theme { id: "conges", label: "Congés, absences et compte épargne-temps" },
    Theme { id: "egalite_pro", label: "Égalité professionnelle femmes-hommes" },
    Theme { id: "remuneration", label: "Rémunération et épargne salariale" },
    Theme { id: "sante_securite", label: "Santé, sécurité, prévention" },
    Theme { id: "formation", label: "Formation, compétences, parcours" },
    Theme { id: "handicap", label: "Emploi des travailleurs handicapés" },
    Theme { id: "dialogue_social", label: "Dialogue social et expression des salariés" },
    Theme { id: "protection_sociale", label: "Protection sociale complémentaire" },
];

/// The type of an indicator's value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Bool,
    Number,
    /// A time of day, `HH:MM`.
    Time,
}

/// When a numeric value counts as favourable for the stars.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Favourable {
    /// `true` is favourable.
    True,
    /// At or above the reference value.
    AtLeast(f64),
    /// At or below the reference value (working time: less is better).
    AtMost(f64),
    /// A disconnection period (start to end, across midnight) of at least
    /// this many hours.
    PeriodHours(f64),
}

pub struct Indicator {
    pub id: &'static str,
    pub kind: Kind,
    pub theme: &'static str,
    pub favourable: Favourable,
}

const fn ind(id: &'static str, kind: Kind, theme: &'static str, favourable: Favourable) -> Indicator {
    Indicator { id, kind, theme, favourable }
}

use Favourable::*;
use Kind::*;

/// Every indicator, in the order of the contract (and of the CSV columns).
/// The reference values behind `favourable` are documented, with their
/// sources, in docs/stars.md.
pub const INDICATORS: &[Indicator] = &[
    ind("telework_allowed", Bool, "teletravail", True),
    ind("telework_days_per_week", Number, "teletravail", AtLeast(2.0)),
    ind("telework_days_per_month", Number, "teletravail", AtLeast(8.0)),
    ind("telework_allowance_eur_month", Number, "teletravail", AtLeast(10.9)),
    ind("telework_allowance_eur_day", Number, "teletravail", AtLeast(2.7)),
    ind("disconnect_right", Bool, "deconnexion", True),
    ind("disconnect_start", Time, "deconnexion", PeriodHours(10.0)),
    ind("disconnect_end", Time, "deconnexion", PeriodHours(10.0)),
    ind("flexible_hours", Bool, "temps_travail", True),
    ind("weekly_hours", Number, "temps_travail", AtMost(35.0)),
    ind("forfait_jours_days", Number, "temps_travail", AtMost(218.0)),
    ind("rtt_days", Number, "temps_travail", AtLeast(10.0)),
    ind("extra_leave_days", Number, "conges", AtLeast(1.0)),
    ind("time_savings_account", Bool, "conges", True),
    ind("leave_donation", Bool, "conges", True),
    ind("second_parent_leave_full_pay", Bool, "conciliation", True),
    ind("childcare_support", Bool, "conciliation", True),
    ind("caregiver_support", Bool, "conciliation", True),
    ind("gender_equality_plan", Bool, "egalite_pro", True),
    ind("pay_gap_budget_pct", Number, "egalite_pro", AtLeast(0.1)),
    ind("general_increase_pct", Number, "remuneration", AtLeast(2.0)),
    ind("individual_increase_pct", Number, "remuneration", AtLeast(1.0)),
    ind("profit_sharing", Bool, "remuneration", True),
    ind("psychosocial_risk_prevention", Bool, "sante_securite", True),
    ind("disability_employment_target_pct", Number, "handicap", AtLeast(6.0)),
    ind("employee_expression", Bool, "dialogue_social", True),
    ind("health_insurance_employer_share_pct", Number, "protection_sociale", AtLeast(60.0)),
];

/// Metadata fields of schema 1, in the order of the contract and of their
/// CSV columns.
pub const METADATA: &[&str] =
    &["company_name", "siren", "siret", "signature_date", "kind", "unions", "idcc", "duration_months"];

/// Metadata fields added since, in the order they came: after
/// [`METADATA`] in JSON objects, and as the last CSV columns.
pub const METADATA_ADDED: &[&str] = &["scope"];

/// Every metadata field, in the order of JSON objects.
pub fn metadata_fields() -> impl Iterator<Item = &'static str> {
    METADATA.iter().chain(METADATA_ADDED).copied()
}

/// The position of a metadata field in JSON objects (unknown ones last).
pub fn metadata_rank(field: &str) -> usize {
    metadata_fields().position(|f| f == field).unwrap_or(usize::MAX)
}

pub const SCOPES: &[&str] = &["company", "branch"];

pub const KINDS: &[&str] = &["accord", "avenant", "pv_desaccord", "plan_action", "decision_unilaterale", "other"];

pub const UNIONS: &[&str] = &["CFDT", "CGT", "FO", "CFE-CGC", "CFTC", "UNSA", "SOLIDAIRES", "OTHER"];

pub fn indicator(id: &str) -> Option<&'static Indicator> {
    INDICATORS.iter().find(|i| i.id == id)
}

pub fn theme(id: &str) -> Option<&'static Theme> {
    THEMES.iter().find(|t| t.id == id)
}

/// Index of an indicator in contract order, for sorting.
pub fn indicator_rank(id: &str) -> usize {
    INDICATORS.iter().position(|i| i.id == id).unwrap_or(usize::MAX)
}

pub fn theme_rank(id: &str) -> usize {
    THEMES.iter().position(|t| t.id == id).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_indicator_names_a_known_theme() {
        for i in INDICATORS {
            assert!(theme(i.theme).is_some(), "{} names unknown theme {}", i.id, i.theme);
        }
    }

    #[test]
    fn ids_are_unique() {
        let mut ids: Vec<_> = INDICATORS.iter().map(|i| i.id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), INDICATORS.len());
    }
}
