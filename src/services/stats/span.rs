//! The period a report covers, parsed from the query: dates `[from, to)`, a month or a year.

use crate::error::{AppError, AppResult, Code, FieldErrors};
use chrono::{Datelike, NaiveDate};

/// Which period a report covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Span {
    /// Any [from, to) of local dates.
    Dates(NaiveDate, NaiveDate),
    Month(NaiveDate),
    Year(i32),
}

impl Span {
    /// `from` and `to` as `YYYY-MM-DD`, from before to.
    pub fn dates(from: Option<&str>, to: Option<&str>) -> AppResult<Span> {
        let mut errors = FieldErrors::default();
        let mut date = |field: &str, v: Option<&str>| match v.map(str::trim) {
            None | Some("") => {
                errors.add(field, Code::RequiredDate);
                None
            }
            Some(v) => errors.take(
                field,
                NaiveDate::parse_from_str(v, "%Y-%m-%d").map_err(|_| Code::NotADate),
            ),
        };
        let (from, to) = (date("from", from), date("to", to));
        if let (Some(f), Some(t)) = (from, to) {
            if f >= t {
                errors.add("to", Code::NotAfterFrom);
            }
        }
        errors.finish()?;
        match (from, to) {
            (Some(f), Some(t)) => Ok(Span::Dates(f, t)),
            _ => Err(AppError::field("from", Code::Required)),
        }
    }

    /// A month `YYYY-MM`.
    pub fn month(month: Option<&str>) -> AppResult<Span> {
        let m = month.map(str::trim).unwrap_or("");
        let first = (m.len() == 7)
            .then(|| NaiveDate::parse_from_str(&format!("{m}-01"), "%Y-%m-%d").ok())
            .flatten();
        first
            .filter(|d| (1..=9998).contains(&d.year()))
            .map(Span::Month)
            .ok_or_else(|| AppError::field("month", Code::NotAMonth))
    }

    /// A year `YYYY`.
    pub fn year(year: Option<&str>) -> AppResult<Span> {
        let y = year.map(str::trim).unwrap_or("");
        (y.len() == 4 && y.bytes().all(|b| b.is_ascii_digit()))
            .then(|| y.parse::<i32>().ok())
            .flatten()
            .filter(|y| (1..=9998).contains(y))
            .map(Span::Year)
            .ok_or_else(|| AppError::field("year", Code::NotAYear))
    }

    /// [first date, date after the last).
    pub fn bounds(self) -> (NaiveDate, NaiveDate) {
        match self {
            Span::Dates(f, t) => (f, t),
            Span::Month(first) => (first, next_month(first)),
            Span::Year(y) => (ymd(y, 1), ymd(y + 1, 1)),
        }
    }
}

pub(super) fn ymd(year: i32, month: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, 1).unwrap_or_default()
}

pub(super) use crate::domain::calendar::next_month;
