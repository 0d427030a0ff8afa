//! The statistics of the monthly and yearly report, as pure functions: rates kept as numerator and
//! denominator until printed, one-decimal figures by integer arithmetic (no floats near money or
//! rates), the yearly summary sentence, and the fold of case and consultation facts into figures.
//!
//! The services load one fact per record (no personal data: no names, phones or ID numbers) and
//! hand them here; what counts where is decided in this file only.

use super::case::CaseStatus;
use super::money::Fen;
use chrono::{NaiveDate, NaiveDateTime};
use serde::ser::SerializeStruct;
use serde::{Serialize, Serializer};
use std::collections::{BTreeMap, BTreeSet};

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
}

/// A period [from, to) as UTC instants (the local midnights of its first day and of the day after
/// its last), with its last local date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    pub last_day: NaiveDate,
}

impl Period {
    pub fn contains(&self, at: NaiveDateTime) -> bool {
        self.from <= at && at < self.to
    }
}

/// What the statistics need of a case (nothing personal).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFact {
    pub unit_id: i64,
    pub enterprise_id: i64,
    pub mediator_id: Option<i64>,
    pub channel: String,
    pub category: String,
    pub status: CaseStatus,
    pub workers: i64,
    pub amount_claimed: Fen,
    pub amount_agreed: Fen,
    pub amount_paid: Fen,
    pub received_at: NaiveDateTime,
    pub received_day: NaiveDate,
    pub closed_at: Option<NaiveDateTime>,
    pub closed_day: Option<NaiveDate>,
    pub deadline: NaiveDate,
}

/// What the statistics need of a consultation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationFact {
    pub unit_id: i64,
    pub enterprise_id: Option<i64>,
    pub answered_by: i64,
    pub channel: String,
    pub topic: String,
    pub workers: i64,
    pub received_at: NaiveDateTime,
}

fn add(a: Fen, b: Fen) -> Fen {
    a.checked_add(b).unwrap_or(Fen::from_fen(i64::MAX))
}

/// Folds the facts into the figures of `period`. Facts outside the period are skipped, so one
/// load serves every month of a year. Warnings come in already counted.
pub fn figures<'a>(
    period: &Period,
    cases: impl IntoIterator<Item = &'a CaseFact>,
    consultations: impl IntoIterator<Item = &'a ConsultationFact>,
    warnings: WarningFigures,
) -> Figures {
    let mut f = Figures::default();
    let mut days_sum: i128 = 0;
    for c in cases {
        if period.contains(c.received_at) {
            f.petitions_received += 1;
            f.workers_involved += c.workers;
            f.amount_involved = add(f.amount_involved, c.amount_claimed);
            if !c.status.is_open() {
                f.concluded += 1;
            }
            match c.status {
                CaseStatus::Resolved => {
                    f.resolved += 1;
                    f.amount_agreed = add(f.amount_agreed, c.amount_agreed);
                    f.amount_paid = add(f.amount_paid, c.amount_paid);
                }
                CaseStatus::Failed => f.failed += 1,
                _ => {}
            }
        }
        if let (Some(closed), Some(day)) = (c.closed_at, c.closed_day) {
            if period.contains(closed) {
                f.closed_in_period += 1;
                days_sum += i128::from((day - c.received_day).num_days());
            }
        }
        let open_at_end = c.received_at < period.to && c.closed_at.is_none_or(|t| t >= period.to);
        if open_at_end {
            f.open_at_end += 1;
            if c.deadline < period.last_day {
                f.overdue_at_end += 1;
            }
        }
    }
    for c in consultations {
        if period.contains(c.received_at) {
            f.consultations += 1;
            f.workers_involved += c.workers;
        }
    }
    f.handling_rate = Rate::new(f.concluded, f.petitions_received);
    f.success_rate = Rate::new(f.resolved, f.resolved + f.failed);
    f.avg_days_to_close = one_decimal(days_sum, i128::from(f.closed_in_period));
    f.warnings_reported = warnings.reported;
    f.warnings_escalated = warnings.escalated;
    f.warnings_defused = warnings.defused;
    f
}

/// The figures of `period` for each group of facts, keyed by `case_key` and `consultation_key`
/// (`None` leaves a fact out). Warnings are not broken down: they come in by level only.
pub fn grouped<K: Ord + Clone>(
    period: &Period,
    cases: &[CaseFact],
    consultations: &[ConsultationFact],
    case_key: impl Fn(&CaseFact) -> Option<K>,
    consultation_key: impl Fn(&ConsultationFact) -> Option<K>,
) -> BTreeMap<K, Figures> {
    let mut case_groups: BTreeMap<K, Vec<&CaseFact>> = BTreeMap::new();
    for c in cases {
        if let Some(k) = case_key(c) {
            case_groups.entry(k).or_default().push(c);
        }
    }
    let mut consultation_groups: BTreeMap<K, Vec<&ConsultationFact>> = BTreeMap::new();
    for c in consultations {
        if let Some(k) = consultation_key(c) {
            consultation_groups.entry(k).or_default().push(c);
        }
    }
    let keys: BTreeSet<K> = case_groups
        .keys()
        .chain(consultation_groups.keys())
        .cloned()
        .collect();
    keys.into_iter()
        .map(|k| {
            let f = figures(
                period,
                case_groups.get(&k).into_iter().flatten().copied(),
                consultation_groups.get(&k).into_iter().flatten().copied(),
                WarningFigures::default(),
            );
            (k, f)
        })
        .collect()
}

/// The sentence a yearly work report ends with, e.g.
/// "全年共接待职工信访102件,法律法规咨询729件,涉及职工1246人次,涉案金额1070万元,调处率100%,成功率90.2%。"
/// A rate with nothing counted reads "—" (no percent sign).
pub fn summary_zh(f: &Figures) -> String {
    let rate = |r: &Rate| match r.denominator {
        0 => "—".to_string(),
        _ => format!("{}%", r.percent_short()),
    };
    format!(
        "全年共接待职工信访{}件,法律法规咨询{}件,涉及职工{}人次,涉案金额{}万元,调处率{},成功率{}。",
        f.petitions_received,
        f.consultations,
        f.workers_involved,
        f.amount_involved.wan_yuan(),
        rate(&f.handling_rate),
        rate(&f.success_rate),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rate(n: i64, d: i64) -> Option<String> {
        Rate::new(n, d).percent()
    }

    #[test]
    fn percents_have_one_decimal_rounded_half_up() {
        assert_eq!(rate(83, 92).as_deref(), Some("90.2"));
        assert_eq!(rate(102, 102).as_deref(), Some("100.0"));
        assert_eq!(rate(0, 5).as_deref(), Some("0.0"));
        assert_eq!(rate(1, 3).as_deref(), Some("33.3"));
        assert_eq!(rate(2, 3).as_deref(), Some("66.7"));
        // 1/8 = 12.5% exactly; 1/16 = 6.25% rounds half up to 6.3.
        assert_eq!(rate(1, 8).as_deref(), Some("12.5"));
        assert_eq!(rate(1, 16).as_deref(), Some("6.3"));
        // 1/2000 = 0.05% rounds up; 1/2001 does not.
        assert_eq!(rate(1, 2000).as_deref(), Some("0.1"));
        assert_eq!(rate(1, 2001).as_deref(), Some("0.0"));
        assert_eq!(rate(i64::MAX, i64::MAX).as_deref(), Some("100.0"));
    }

    #[test]
    fn a_rate_of_nothing_has_no_percent() {
        assert_eq!(rate(0, 0), None);
        assert_eq!(Rate::new(0, 0).percent_short(), "—");
        let json = serde_json::to_value(Rate::new(0, 0)).ok();
        assert_eq!(
            json,
            Some(serde_json::json!({"numerator": 0, "denominator": 0, "percent": null}))
        );
    }

    #[test]
    fn a_rate_serializes_with_numerator_denominator_and_percent() {
        let json = serde_json::to_value(Rate::new(83, 92)).ok();
        assert_eq!(
            json,
            Some(serde_json::json!({"numerator": 83, "denominator": 92, "percent": "90.2"}))
        );
    }

    #[test]
    fn short_percents_drop_a_trailing_zero_decimal_only() {
        assert_eq!(Rate::new(5, 5).percent_short(), "100");
        assert_eq!(Rate::new(83, 92).percent_short(), "90.2");
        assert_eq!(Rate::new(1, 10).percent_short(), "10");
    }

    #[test]
    fn one_decimal_rounds_half_up_and_keeps_the_sign() {
        assert_eq!(one_decimal(25, 10).as_deref(), Some("2.5"));
        assert_eq!(one_decimal(7, 2).as_deref(), Some("3.5"));
        assert_eq!(one_decimal(1, 20).as_deref(), Some("0.1"));
        assert_eq!(one_decimal(1, 21).as_deref(), Some("0.0"));
        assert_eq!(one_decimal(-7, 2).as_deref(), Some("-3.5"));
        assert_eq!(one_decimal(-1, 21).as_deref(), Some("0.0"));
        assert_eq!(one_decimal(3, 0), None);
    }

    #[test]
    fn the_summary_sentence_reads_like_the_work_report() {
        let f = Figures {
            petitions_received: 102,
            consultations: 729,
            workers_involved: 1246,
            amount_involved: Fen::from_fen(1_070_000_000),
            handling_rate: Rate::new(102, 102),
            success_rate: Rate::new(83, 92),
            ..Figures::default()
        };
        assert_eq!(
            summary_zh(&f),
            "全年共接待职工信访102件,法律法规咨询729件,涉及职工1246人次,涉案金额1070万元,调处率100%,成功率90.2%。"
        );
    }

    #[test]
    fn the_summary_sentence_shows_a_dash_for_a_rate_of_nothing() {
        let f = Figures {
            amount_involved: Fen::from_fen(1_234_500),
            ..Figures::default()
        };
        assert_eq!(
            summary_zh(&f),
            "全年共接待职工信访0件,法律法规咨询0件,涉及职工0人次,涉案金额1.23万元,调处率—,成功率—。"
        );
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
    }

    fn at(m: u32, d: u32, h: u32) -> NaiveDateTime {
        day(m, d).and_hms_opt(h, 0, 0).unwrap_or_default()
    }

    fn march() -> Period {
        Period {
            from: at(3, 1, 0),
            to: at(4, 1, 0),
            last_day: day(3, 31),
        }
    }

    fn fact(
        received: NaiveDateTime,
        status: CaseStatus,
        closed: Option<NaiveDateTime>,
    ) -> CaseFact {
        CaseFact {
            unit_id: 1,
            enterprise_id: 1,
            mediator_id: None,
            channel: "visit".into(),
            category: "wage_arrears".into(),
            status,
            workers: 3,
            amount_claimed: Fen::from_fen(10_000),
            amount_agreed: Fen::from_fen(8_000),
            amount_paid: Fen::from_fen(5_000),
            received_at: received,
            received_day: received.date(),
            closed_at: closed,
            closed_day: closed.map(|c| c.date()),
            deadline: received.date() + chrono::Duration::days(15),
        }
    }

    #[test]
    fn the_fold_counts_flows_and_backlog_by_their_own_times() {
        let cases = [
            // Received in February, closed in March: a March closing, not a March petition.
            fact(at(2, 20, 9), CaseStatus::Resolved, Some(at(3, 3, 9))),
            // Received in March and resolved in March after 4 days.
            fact(at(3, 2, 9), CaseStatus::Resolved, Some(at(3, 6, 9))),
            // Received in March, failed in April: concluded now, open (and overdue) at March's end.
            fact(at(3, 5, 9), CaseStatus::Failed, Some(at(4, 2, 9))),
            // Received in March, still open, deadline 1 March + 15 < 31 March: overdue.
            fact(at(3, 1, 9), CaseStatus::Mediating, None),
            // Received in April: nothing of March.
            fact(at(4, 2, 9), CaseStatus::Received, None),
        ];
        let consultations = [ConsultationFact {
            unit_id: 1,
            enterprise_id: None,
            answered_by: 1,
            channel: "phone".into(),
            topic: "other".into(),
            workers: 2,
            received_at: at(3, 31, 23),
        }];
        let f = figures(&march(), &cases, &consultations, WarningFigures::default());
        assert_eq!(f.petitions_received, 3);
        assert_eq!(f.consultations, 1);
        assert_eq!(f.workers_involved, 11);
        assert_eq!(f.amount_involved, Fen::from_fen(30_000));
        assert_eq!(f.concluded, 2);
        assert_eq!(f.handling_rate, Rate::new(2, 3));
        assert_eq!((f.resolved, f.failed), (1, 1));
        assert_eq!(f.success_rate, Rate::new(1, 2));
        assert_eq!(f.amount_agreed, Fen::from_fen(8_000));
        assert_eq!(f.amount_paid, Fen::from_fen(5_000));
        assert_eq!(f.closed_in_period, 2);
        // (11 + 4) / 2 days.
        assert_eq!(f.avg_days_to_close.as_deref(), Some("7.5"));
        // The April failure and the open case, both past their deadlines on 31 March.
        assert_eq!(f.open_at_end, 2);
        assert_eq!(f.overdue_at_end, 2);
    }
}
