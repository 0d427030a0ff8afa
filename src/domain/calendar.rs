//! Working-day arithmetic over China's official holiday arrangement.
//!
//! Mediation deadlines are counted in working days or in calendar days that
//! roll forward past rest days (Civil Code art. 203: a deadline falling on a
//! statutory rest day moves to the next working day). China's calendar is not
//! just "weekends off": public holidays fall on weekdays, and some Saturdays
//! and Sundays are make-up working days (调休). This module holds the
//! published lists of both and does the counting.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate, Weekday};

/// No real calendar has more consecutive rest days than this; searches stop
/// after it so a misconfigured calendar cannot loop forever.
const MAX_CONSECUTIVE_REST_DAYS: u32 = 366;

/// Public holidays and make-up working days.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct HolidayCalendar {
    holidays: BTreeSet<NaiveDate>,
    workdays: BTreeSet<NaiveDate>,
}

/// Why holiday lists could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    /// An entry is not a real date written as YYYY-MM-DD.
    #[error("{entry:?} is not a date written as YYYY-MM-DD")]
    BadDate {
        /// The entry as written.
        entry: String,
    },
    /// A date is both a holiday and a make-up working day.
    #[error("{date} is listed both as a holiday and as a working day")]
    Conflict {
        /// The date in both lists.
        date: NaiveDate,
    },
}

/// Parses exactly "YYYY-MM-DD" (surrounding whitespace allowed).
fn parse_date(entry: &str) -> Result<NaiveDate, CalendarError> {
    let s = entry.trim();
    let shape_ok = s.len() == 10
        && s.bytes().enumerate().all(|(i, b)| match i {
            4 | 7 => b == b'-',
            _ => b.is_ascii_digit(),
        });
    let bad = || CalendarError::BadDate {
        entry: entry.to_string(),
    };
    if !shape_ok {
        return Err(bad());
    }
    NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| bad())
}

/// The first day of `d`'s month.
pub fn first_of_month(d: NaiveDate) -> NaiveDate {
    NaiveDate::from_ymd_opt(d.year(), d.month(), 1).unwrap_or(d)
}

/// The first day of the month after `d`'s.
pub fn next_month(d: NaiveDate) -> NaiveDate {
    first_of_month(first_of_month(d) + Days::new(32))
}

/// The first day of the month before `d`'s.
pub fn previous_month(d: NaiveDate) -> NaiveDate {
    let first = first_of_month(d);
    first_of_month(first.pred_opt().unwrap_or(first))
}

impl HolidayCalendar {
    /// A calendar from sets of holidays and make-up working days. A date in
    /// both sets is treated as a holiday.
    pub fn new(holidays: BTreeSet<NaiveDate>, workdays: BTreeSet<NaiveDate>) -> Self {
        HolidayCalendar { holidays, workdays }
    }

    /// A calendar from "YYYY-MM-DD" strings as written in a config file.
    /// The error names the first bad entry, or a date found in both lists.
    pub fn from_toml_lists(
        holidays: &[String],
        workdays: &[String],
    ) -> Result<Self, CalendarError> {
        let holidays = holidays
            .iter()
            .map(|s| parse_date(s))
            .collect::<Result<BTreeSet<_>, _>>()?;
        let workdays = workdays
            .iter()
            .map(|s| parse_date(s))
            .collect::<Result<BTreeSet<_>, _>>()?;
        if let Some(&date) = holidays.intersection(&workdays).next() {
            return Err(CalendarError::Conflict { date });
        }
        Ok(HolidayCalendar { holidays, workdays })
    }

    /// Whether `d` is a working day: not a listed holiday, and either a
    /// weekday or a listed make-up working day.
    pub fn is_working_day(&self, d: NaiveDate) -> bool {
        if self.holidays.contains(&d) {
            return false;
        }
        match d.weekday() {
            Weekday::Sat | Weekday::Sun => self.workdays.contains(&d),
            _ => true,
        }
    }

    /// `d` if it is a working day, else the first working day after it.
    /// After skipping 366 rest days in a row it gives up and returns the
    /// next date (`d` + 366) whatever it is; at the end of chrono's date
    /// range it returns the last date.
    pub fn next_working_day_on_or_after(&self, d: NaiveDate) -> NaiveDate {
        let mut day = d;
        for _ in 0..MAX_CONSECUTIVE_REST_DAYS {
            if self.is_working_day(day) {
                return day;
            }
            match day.succ_opt() {
                Some(next) => day = next,
                None => return day,
            }
        }
        day
    }

    /// The `n`-th working day after `d` (`d` itself is not counted; `n = 0`
    /// returns `d` unchanged).
    pub fn add_working_days(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let mut day = d;
        for _ in 0..n {
            let Some(next) = day.succ_opt() else {
                return day;
            };
            let found = self.next_working_day_on_or_after(next);
            if !self.is_working_day(found) {
                return found;
            }
            day = found;
        }
        day
    }

    /// `d` plus `n` calendar days, moved to the next working day if that is
    /// a rest day (Civil Code art. 203).
    pub fn add_calendar_days_then_roll(&self, d: NaiveDate, n: u32) -> NaiveDate {
        let end = d
            .checked_add_days(Days::new(u64::from(n)))
            .unwrap_or(NaiveDate::MAX);
        self.next_working_day_on_or_after(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_step_over_the_year_and_from_any_day_of_the_month() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).unwrap();
        assert_eq!(first_of_month(d(2026, 2, 28)), d(2026, 2, 1));
        assert_eq!(next_month(d(2025, 12, 1)), d(2026, 1, 1));
        assert_eq!(next_month(d(2026, 1, 31)), d(2026, 2, 1));
        assert_eq!(previous_month(d(2026, 1, 1)), d(2025, 12, 1));
        assert_eq!(previous_month(d(2026, 3, 31)), d(2026, 2, 1));
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
    }

    fn strings(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    /// China's 2026 National Day arrangement: 1-7 October off, Sunday
    /// 27 September and Saturday 10 October worked.
    fn national_day_2026() -> HolidayCalendar {
        let holidays = strings(&[
            "2026-10-01",
            "2026-10-02",
            "2026-10-03",
            "2026-10-04",
            "2026-10-05",
            "2026-10-06",
            "2026-10-07",
        ]);
        let workdays = strings(&["2026-09-27", "2026-10-10"]);
        HolidayCalendar::from_toml_lists(&holidays, &workdays).unwrap_or_default()
    }

    #[test]
    fn the_example_calendar_has_the_real_2026_weekdays() {
        assert_eq!(date(2026, 10, 1).weekday(), Weekday::Thu);
        assert_eq!(date(2026, 9, 27).weekday(), Weekday::Sun);
        assert_eq!(date(2026, 10, 10).weekday(), Weekday::Sat);
        assert_eq!(national_day_2026().holidays.len(), 7);
    }

    #[test]
    fn weekends_are_rest_days_and_weekdays_work() {
        let cal = HolidayCalendar::default();
        assert!(cal.is_working_day(date(2026, 9, 25))); // Friday
        assert!(!cal.is_working_day(date(2026, 9, 26))); // Saturday
        assert!(!cal.is_working_day(date(2026, 9, 27))); // Sunday
    }

    #[test]
    fn a_holiday_on_a_weekday_is_a_rest_day() {
        let cal = national_day_2026();
        assert!(!cal.is_working_day(date(2026, 10, 1))); // Thursday
        assert!(!cal.is_working_day(date(2026, 10, 5))); // Monday
        assert!(cal.is_working_day(date(2026, 10, 8))); // Thursday
    }

    #[test]
    fn a_make_up_saturday_or_sunday_is_a_working_day() {
        let cal = national_day_2026();
        assert!(cal.is_working_day(date(2026, 9, 27)));
        assert!(cal.is_working_day(date(2026, 10, 10)));
        assert!(!cal.is_working_day(date(2026, 10, 11))); // ordinary Sunday
        assert_eq!(
            cal.add_working_days(date(2026, 10, 9), 1),
            date(2026, 10, 10)
        );
        assert_eq!(
            cal.add_working_days(date(2026, 9, 25), 1),
            date(2026, 9, 27)
        );
    }

    #[test]
    fn three_working_days_from_the_eve_of_national_day_end_on_the_make_up_saturday() {
        // 8 Oct (Thu) is the 1st, 9 Oct (Fri) the 2nd, 10 Oct (make-up Sat) the 3rd.
        let cal = national_day_2026();
        assert_eq!(
            cal.add_working_days(date(2026, 9, 30), 3),
            date(2026, 10, 10)
        );
        assert_eq!(
            cal.add_working_days(date(2026, 9, 30), 1),
            date(2026, 10, 8)
        );
        assert_eq!(
            cal.add_working_days(date(2026, 9, 30), 4),
            date(2026, 10, 12)
        );
    }

    #[test]
    fn adding_zero_working_days_returns_the_same_date() {
        let cal = national_day_2026();
        assert_eq!(
            cal.add_working_days(date(2026, 10, 3), 0),
            date(2026, 10, 3)
        );
    }

    #[test]
    fn the_next_working_day_skips_the_whole_holiday() {
        let cal = national_day_2026();
        assert_eq!(
            cal.next_working_day_on_or_after(date(2026, 10, 1)),
            date(2026, 10, 8)
        );
        assert_eq!(
            cal.next_working_day_on_or_after(date(2026, 9, 30)),
            date(2026, 9, 30)
        );
    }

    #[test]
    fn a_deadline_landing_on_a_sunday_moves_to_monday() {
        let cal = national_day_2026();
        // 17 Oct + 15 days = Sunday 1 Nov -> Monday 2 Nov.
        assert_eq!(date(2026, 11, 1).weekday(), Weekday::Sun);
        assert_eq!(
            cal.add_calendar_days_then_roll(date(2026, 10, 17), 15),
            date(2026, 11, 2)
        );
    }

    #[test]
    fn a_deadline_landing_in_the_holiday_moves_past_it() {
        let cal = national_day_2026();
        // 18 Sep + 15 days = Saturday 3 Oct, inside the holiday -> Thursday 8 Oct.
        assert_eq!(
            cal.add_calendar_days_then_roll(date(2026, 9, 18), 15),
            date(2026, 10, 8)
        );
    }

    #[test]
    fn a_deadline_landing_on_a_make_up_sunday_stays_there() {
        let cal = national_day_2026();
        // 12 Sep + 15 days = Sunday 27 Sep, a make-up working day.
        assert_eq!(
            cal.add_calendar_days_then_roll(date(2026, 9, 12), 15),
            date(2026, 9, 27)
        );
    }

    #[test]
    fn a_deadline_on_a_working_day_does_not_move() {
        let cal = national_day_2026();
        assert_eq!(
            cal.add_calendar_days_then_roll(date(2026, 9, 1), 15),
            date(2026, 9, 16)
        );
        assert_eq!(
            cal.add_calendar_days_then_roll(date(2026, 9, 16), 0),
            date(2026, 9, 16)
        );
    }

    #[test]
    fn a_calendar_of_only_rest_days_does_not_loop_forever() {
        let start = date(2026, 1, 1);
        let holidays: BTreeSet<NaiveDate> = start.iter_days().take(1000).collect();
        let cal = HolidayCalendar::new(holidays, BTreeSet::new());
        let found = cal.next_working_day_on_or_after(start);
        // 366 rest days skipped, then the search gives up.
        assert_eq!(found, date(2027, 1, 2));
        let _ = cal.add_working_days(start, 5);
        let _ = cal.add_calendar_days_then_roll(start, 10);
    }

    #[test]
    fn the_end_of_the_date_range_does_not_panic() {
        let cal = HolidayCalendar::default();
        let _ = cal.add_working_days(NaiveDate::MAX, 3);
        let _ = cal.add_calendar_days_then_roll(NaiveDate::MAX, u32::MAX);
        let _ = cal.next_working_day_on_or_after(NaiveDate::MAX);
    }

    #[test]
    fn a_bad_entry_is_named_in_the_error() {
        for bad in [
            "2026-02-30",
            "2026/10/01",
            "2026-1-5",
            "20261001",
            "",
            "十月一日",
        ] {
            let err = HolidayCalendar::from_toml_lists(&strings(&["2026-10-01", bad]), &[]);
            assert_eq!(
                err,
                Err(CalendarError::BadDate {
                    entry: bad.to_string()
                })
            );
        }
        let err = HolidayCalendar::from_toml_lists(&[], &strings(&["2026-13-01"]));
        let message = err.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(message.contains("\"2026-13-01\""), "{message}");
    }

    #[test]
    fn a_date_in_both_lists_is_refused() {
        let err = HolidayCalendar::from_toml_lists(
            &strings(&["2026-10-01", "2026-10-10"]),
            &strings(&["2026-10-10"]),
        );
        assert_eq!(
            err,
            Err(CalendarError::Conflict {
                date: date(2026, 10, 10)
            })
        );
    }

    #[test]
    fn new_treats_a_date_in_both_sets_as_a_holiday() {
        let d = date(2026, 10, 10);
        let cal = HolidayCalendar::new(BTreeSet::from([d]), BTreeSet::from([d]));
        assert!(!cal.is_working_day(d));
    }
}
