//! The arbitration limitation (仲裁时效) of a worker's claim, the Law on Mediation and Arbitration
//! of Labour Disputes art. 27: one year from the day the worker knew or should have known of the
//! infringement; applying for mediation interrupts it, and it runs anew from the day mediation
//! ends; a claim for wages in arrears while the employment goes on is not limited, and once the
//! employment has ended it must be made within one year of its end.
//!
//! Periods are counted as the Civil Code counts them (arts. 201–203): the first day is not
//! counted, a year ends on the corresponding day of the next year (the last day of the month when
//! there is none: 29 February runs to 28 February), and an end on a rest day moves to the next
//! working day.

use super::calendar::HolidayCalendar;
use chrono::{Datelike, NaiveDate};

/// What the worker's claim says of its time limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Claim {
    /// The day the worker knew or should have known of the infringement.
    pub rights_known_on: Option<NaiveDate>,
    /// The day the employment ended, if it has.
    pub employment_ended_on: Option<NaiveDate>,
    /// Whether the claim is for wages in arrears (拖欠劳动报酬).
    pub wage_arrears: bool,
}

/// Where the mediation stands: under way (or not yet accepted), or ended on a day (without
/// agreement, withdrawn or refused: that day; with an agreement: the day it was to be performed
/// by, from which a worker whose employer does not perform may claim).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mediation {
    Pending,
    EndedOn(NaiveDate),
}

/// The limitation of a claim as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limitation {
    /// Wages in arrears while the employment goes on.
    NotLimited,
    /// The day the period started is not on record.
    Unknown,
    /// The period had run out (on that day) before mediation was applied for: nothing
    /// interrupted it.
    Expired(NaiveDate),
    /// Interrupted by the application for mediation, which is under way: it runs anew, for a
    /// year, from the day mediation ends.
    Interrupted,
    /// It runs to that day (its last day).
    RunsTo(NaiveDate),
}

impl Limitation {
    /// The API's name of where it stands.
    pub fn as_str(self) -> &'static str {
        match self {
            Limitation::NotLimited => "not_limited",
            Limitation::Unknown => "unknown",
            Limitation::Expired(_) => "expired",
            Limitation::Interrupted => "interrupted",
            Limitation::RunsTo(_) => "running",
        }
    }

    /// The last day of the period, when there is one.
    pub fn ends(self) -> Option<NaiveDate> {
        match self {
            Limitation::Expired(d) | Limitation::RunsTo(d) => Some(d),
            _ => None,
        }
    }
}

/// The corresponding day one year after `d` (the month's last day when there is none).
fn a_year_after(d: NaiveDate) -> NaiveDate {
    let year = d.year() + 1;
    NaiveDate::from_ymd_opt(year, d.month(), d.day())
        .or_else(|| NaiveDate::from_ymd_opt(year, d.month(), d.day() - 1))
        .unwrap_or(d)
}

/// The last day of a year's period that starts counting the day after `from`: the corresponding
/// day, moved past rest days.
pub fn one_year_from(from: NaiveDate, calendar: &HolidayCalendar) -> NaiveDate {
    calendar.next_working_day_on_or_after(a_year_after(from))
}

/// The limitation of `claim`, for which mediation was applied for on `applied_on`.
pub fn limitation(
    claim: Claim,
    applied_on: NaiveDate,
    mediation: Mediation,
    calendar: &HolidayCalendar,
) -> Limitation {
    let start = match (claim.wage_arrears, claim.employment_ended_on) {
        (true, None) => return Limitation::NotLimited,
        (true, Some(ended)) => ended,
        (false, _) => match claim.rights_known_on {
            Some(known) => known,
            None => return Limitation::Unknown,
        },
    };
    let first_end = one_year_from(start, calendar);
    if applied_on > first_end {
        return Limitation::Expired(first_end);
    }
    match mediation {
        Mediation::Pending => Limitation::Interrupted,
        Mediation::EndedOn(ended) => Limitation::RunsTo(one_year_from(ended, calendar)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// Weekends, and the National Day holiday of 2026 (1–7 October) with its two working
    /// weekend days.
    fn calendar() -> HolidayCalendar {
        let holidays: BTreeSet<NaiveDate> = (1..=7)
            .map(|day| NaiveDate::from_ymd_opt(2026, 10, day).unwrap())
            .collect();
        let workdays: BTreeSet<NaiveDate> = [d("2026-09-27"), d("2026-10-10")].into();
        HolidayCalendar::new(holidays, workdays)
    }

    fn claim(known: Option<&str>, ended: Option<&str>, wage_arrears: bool) -> Claim {
        Claim {
            rights_known_on: known.map(d),
            employment_ended_on: ended.map(d),
            wage_arrears,
        }
    }

    #[test]
    fn a_year_ends_on_the_corresponding_day_moved_past_rest_days() {
        let c = calendar();
        let cases = [
            // A Tuesday a year on: that day.
            ("2025-03-03", "2026-03-03"),
            // 29 February has no corresponding day: the month's last, Friday 28 February.
            ("2024-02-29", "2025-02-28"),
            // Into a weekend: Saturday 2026-03-07 moves to Monday.
            ("2025-03-07", "2026-03-09"),
            // Into the National Day holiday: 2026-10-01 moves past the seven days to Thursday
            // 8 October.
            ("2025-10-01", "2026-10-08"),
            // A Sunday made a working day stays.
            ("2025-09-27", "2026-09-27"),
            // The last day of a year to the last day of the next (Thursday 2026-12-31).
            ("2025-12-31", "2026-12-31"),
        ];
        for (from, to) in cases {
            assert_eq!(one_year_from(d(from), &c), d(to), "from {from}");
        }
    }

    #[test]
    fn the_limitation_of_a_claim_follows_article_27() {
        let c = calendar();
        let applied = d("2026-03-02");
        let failed = Mediation::EndedOn(d("2026-03-16"));
        let cases = [
            // Wages in arrears while the employment goes on: not limited, however old.
            (
                claim(Some("2020-01-01"), None, true),
                failed,
                Limitation::NotLimited,
            ),
            // Wages in arrears after the employment ended: a year from its end.
            (
                claim(Some("2020-01-01"), Some("2025-01-10"), true),
                failed,
                Limitation::Expired(d("2026-01-12")),
            ),
            (
                claim(None, Some("2025-06-30"), true),
                failed,
                Limitation::RunsTo(d("2027-03-16")),
            ),
            // Another claim: a year from the day the worker knew.
            (
                claim(Some("2025-09-01"), None, false),
                Mediation::Pending,
                Limitation::Interrupted,
            ),
            // Applying interrupts it; it runs anew from the day mediation ended.
            (
                claim(Some("2025-09-01"), Some("2025-08-31"), false),
                failed,
                Limitation::RunsTo(d("2027-03-16")),
            ),
            // Applying on the very last day still interrupts it.
            (
                claim(Some("2025-03-02"), None, false),
                failed,
                Limitation::RunsTo(d("2027-03-16")),
            ),
            // Late: the period had run out, and mediation does not revive it.
            (
                claim(Some("2025-02-27"), None, false),
                failed,
                Limitation::Expired(d("2026-02-27")),
            ),
            // A period ending on Sunday 1 March runs to Monday 2 March, the application's day.
            (
                claim(Some("2025-03-01"), None, false),
                Mediation::Pending,
                Limitation::Interrupted,
            ),
            // The day the worker knew is not on record.
            (claim(None, None, false), failed, Limitation::Unknown),
        ];
        for (claim, mediation, expected) in cases {
            assert_eq!(
                limitation(claim, applied, mediation, &c),
                expected,
                "{claim:?}, {mediation:?}"
            );
        }
    }

    #[test]
    fn each_limitation_has_its_name_and_end() {
        assert_eq!(Limitation::NotLimited.ends(), None);
        assert_eq!(Limitation::Interrupted.as_str(), "interrupted");
        assert_eq!(
            Limitation::RunsTo(d("2027-03-16")).ends(),
            Some(d("2027-03-16"))
        );
        assert_eq!(Limitation::Expired(d("2026-01-12")).as_str(), "expired");
    }
}
