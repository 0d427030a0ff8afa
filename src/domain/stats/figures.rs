//! The figures of a report as SPEC.md's statistics table names them, and their rates: a numerator
//! and a denominator until printed, one decimal by integer arithmetic (no floats near rates).

use crate::domain::money::Fen;
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};

/// `num / den` rounded half up to one decimal, by integer arithmetic; `None` when `den` is 0.
pub fn one_decimal(num: i128, den: i128) -> Option<String> {
    if den == 0 {
        return None;
    }
    let negative = (num < 0) != (den < 0) && num != 0;
    let (n, d) = (num.unsigned_abs(), den.unsigned_abs());
    // Tenths, rounded half up: (20n + d) / 2d = floor(10n/d + 1/2).
    let tenths = (n * 20 + d) / (d * 2);
    let sign = if negative && tenths != 0 { "-" } else { "" };
    Some(format!("{sign}{}.{}", tenths / 10, tenths % 10))
}

/// A rate: shown with its numerator and denominator; its percent is `None` when nothing was counted
/// (a rate of 0 of 0 is "—", not 0% or 100%).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Rate {
    pub numerator: i64,
    pub denominator: i64,
}

impl Rate {
    pub fn new(numerator: i64, denominator: i64) -> Rate {
        Rate {
            numerator,
            denominator,
        }
    }

    /// The percent with one decimal, rounded half up: 83 of 92 is "90.2"; `None` for 0 of 0.
    pub fn percent(&self) -> Option<String> {
        one_decimal(
            i128::from(self.numerator) * 100,
            i128::from(self.denominator),
        )
    }

    /// The rate as the report pages and emails print it: "90.2% (37/41)", or "—" when the
    /// denominator is 0.
    pub fn with_counts(&self) -> String {
        match self.percent() {
            Some(p) => format!("{p}% ({}/{})", self.numerator, self.denominator),
            None => "—".to_string(),
        }
    }

    /// The percent as a work report writes it: without a trailing ".0" ("100", "90.2"), and "—"
    /// when the denominator is 0.
    pub fn percent_short(&self) -> String {
        match self.percent() {
            Some(p) => p.strip_suffix(".0").map(str::to_string).unwrap_or(p),
            None => "—".to_string(),
        }
    }
}

impl Serialize for Rate {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut st = s.serialize_struct("Rate", 3)?;
        st.serialize_field("numerator", &self.numerator)?;
        st.serialize_field("denominator", &self.denominator)?;
        st.serialize_field("percent", &self.percent())?;
        st.end()
    }
}

/// Warnings counted by level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct LevelCounts {
    pub total: i64,
    pub yellow: i64,
    pub orange: i64,
    pub red: i64,
}

/// Warnings reported, escalated and defused in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct WarningFigures {
    pub reported: LevelCounts,
    pub escalated: LevelCounts,
    pub defused: LevelCounts,
}

/// The figures of SPEC.md's statistics table for one period and one set of records.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Figures {
    pub petitions_received: i64,
    pub consultations: i64,
    pub workers_involved: i64,
    pub amount_involved: Fen,
    pub concluded: i64,
    pub handling_rate: Rate,
    pub resolved: i64,
    pub failed: i64,
    pub success_rate: Rate,
    pub amount_agreed: Fen,
    pub amount_paid: Fen,
    pub closed_in_period: i64,
    pub open_at_end: i64,
    pub overdue_at_end: i64,
    /// Days from receipt to closing (local dates), averaged over the cases closed in the period;
    /// one decimal, `None` when none closed.
    pub avg_days_to_close: Option<String>,
    pub warnings_reported: LevelCounts,
    pub warnings_escalated: LevelCounts,
    pub warnings_defused: LevelCounts,
    /// Of the agreements reached in the period (the cases resolved in it), those fully performed
    /// and those with a term past its date and not performed, as they stood on the period's last
    /// day (on today, while the period runs).
    pub agreements_performed: i64,
    pub agreements_overdue: i64,
    /// The follow-ups made in the period, by the applicant's satisfaction.
    pub follow_ups: Satisfaction,
}

/// Follow-ups by the applicant's satisfaction.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Satisfaction {
    pub satisfied: i64,
    pub basically_satisfied: i64,
    pub dissatisfied: i64,
}

impl Satisfaction {
    pub fn total(&self) -> i64 {
        self.satisfied + self.basically_satisfied + self.dissatisfied
    }
}
