//! Instants as clients send them: the one parser of an RFC 3339 time with an offset, used by every
//! route, form and command that takes one.
//!
//! RFC 3339 allows second 60 (a leap second), and chrono reads it as a second `:59` with more than
//! a second of fraction. Such a value has no form the databases agree on: SQLite's date functions
//! answer NULL for it, which once made every report of a unit fail. So a parsed instant is always
//! an ordinary one: second 60 is read as the start of the next minute (where POSIX time puts it),
//! and the fraction is cut to microseconds, the databases' resolution.
//!
//! Also the local calendar of the configured zone (`local_date`, `local_midnight`), which the
//! context and the statistics' queries both count days and months by.

use crate::domain::problem::{Code, Problem};
use chrono::{DateTime, NaiveDate, NaiveDateTime, SubsecRound, TimeZone, Utc};
use chrono_tz::Tz;

/// The local calendar date of an instant in `tz`.
pub fn local_date(tz: Tz, at: DateTime<Utc>) -> NaiveDate {
    at.with_timezone(&tz).date_naive()
}

/// The first instant of a local date in `tz`, as UTC.
pub fn local_midnight(tz: Tz, date: NaiveDate) -> NaiveDateTime {
    let naive = date.and_hms_opt(0, 0, 0).unwrap_or_default();
    tz.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.naive_utc())
        .unwrap_or(naive)
}

/// Parses an RFC 3339 time with an offset into an ordinary UTC instant (no leap second, whole
/// microseconds).
pub fn parse_instant(s: &str) -> Result<DateTime<Utc>, Problem> {
    let t = DateTime::parse_from_rfc3339(s.trim()).map_err(|_| Code::NotAnInstant)?;
    Ok(ordinary(t.with_timezone(&Utc)))
}

/// The same instant without a leap second and cut to microseconds. Second 60 becomes the next
/// minute's second 0.
pub fn ordinary(t: DateTime<Utc>) -> DateTime<Utc> {
    // `timestamp_micros` counts a leap second's extra second in its fraction, so it is already
    // the following second's count.
    DateTime::from_timestamp_micros(t.timestamp_micros())
        .unwrap_or(t)
        .trunc_subsecs(6)
}

/// Parses a calendar date as a client sends it: `YYYY-MM-DD`, or an RFC 3339 time, which stands
/// for its local date in `tz` (as every other time field takes one).
pub fn parse_day(s: &str, tz: Tz) -> Result<NaiveDate, Problem> {
    let s = s.trim();
    if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        if s.len() == 10 {
            return Ok(d);
        }
    }
    parse_instant(s)
        .map(|t| local_date(tz, t))
        .map_err(|_| Code::NotADay.into())
}

/// Parses a time that is not after `now` and not before the year 2000 (older records are typos).
pub fn parse_past_instant(s: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, Problem> {
    let t = parse_instant(s)?;
    if t > now {
        return Err(Code::InTheFuture.into());
    }
    if t.date_naive() < NaiveDate::from_ymd_opt(2000, 1, 1).unwrap_or_default() {
        return Err(Code::BeforeYear.with("year", 2000));
    }
    Ok(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_day_is_a_date_or_the_local_date_of_an_rfc3339_time() {
        let tz: Tz = "Asia/Shanghai".parse().unwrap();
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(parse_day("2026-03-02", tz), Ok(day(2026, 3, 2)));
        assert_eq!(parse_day(" 2026-03-02 ", tz), Ok(day(2026, 3, 2)));
        // 23:30 UTC on the 1st is the 2nd in Beijing.
        assert_eq!(parse_day("2026-03-01T23:30:00Z", tz), Ok(day(2026, 3, 2)));
        assert_eq!(
            parse_day("2026-03-02T09:30:00+08:00", tz),
            Ok(day(2026, 3, 2))
        );
        for bad in [
            "2026-3-2x",
            "2026-02-30",
            "02/03/2026",
            "",
            "2026-03-02T09:30:00",
        ] {
            assert_eq!(parse_day(bad, tz), Err(Code::NotADay.into()), "{bad}");
        }
    }
    use chrono::Timelike;

    #[test]
    fn a_leap_second_is_read_as_the_start_of_the_next_minute() {
        let t = parse_instant("2026-11-30T10:00:60+08:00").unwrap();
        assert_eq!(t.to_rfc3339(), "2026-11-30T02:01:00+00:00");
        assert!(t.nanosecond() < 1_000_000_000);
    }

    #[test]
    fn a_leap_second_with_a_fraction_keeps_its_fraction() {
        let t = parse_instant("2016-12-31T23:59:60.25Z").unwrap();
        assert_eq!(t.to_rfc3339(), "2017-01-01T00:00:00.250+00:00");
    }

    #[test]
    fn an_ordinary_time_is_cut_to_microseconds() {
        let t = parse_instant(" 2026-03-02T09:30:00.123456789+08:00 ").unwrap();
        assert_eq!(t.nanosecond(), 123_456_000);
        assert_eq!(t.hour(), 1);
    }

    #[test]
    fn a_time_without_an_offset_or_with_second_61_is_refused() {
        for s in [
            "2026-03-02T09:30:00",
            "2026-03-02",
            "2026-11-30T10:00:61+08:00",
            "",
        ] {
            assert_eq!(parse_instant(s), Err(Code::NotAnInstant.into()), "{s}");
        }
    }

    #[test]
    fn a_past_instant_is_neither_in_the_future_nor_before_2000() {
        let now = parse_instant("2026-12-01T00:00:00Z").unwrap();
        assert!(parse_past_instant("2026-11-30T23:59:60Z", now).is_ok());
        assert_eq!(
            parse_past_instant("2026-12-01T00:00:01Z", now),
            Err(Problem::from(Code::InTheFuture))
        );
        assert_eq!(
            parse_past_instant("1999-12-31T23:59:59Z", now),
            Err(Code::BeforeYear.with("year", 2000))
        );
    }
}
