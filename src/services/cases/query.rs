//! The case list's query string, read by one rule for the `/cases` page and `GET /api/v1/cases`:
//! a value that cannot be read is a 422 naming its field (the page shows it beside the field).
//! The vocabularies (`status`, `category`, `channel`, `sort`) are checked by `list` itself.

use super::CaseFilter;
use crate::context::Paging;
use crate::error::{AppError, AppResult, Code, FieldErrors};
use chrono::NaiveDate;
use std::collections::HashMap;

/// A case list request: its filter and its page.
#[derive(Debug)]
pub struct CaseQuery {
    pub filter: CaseFilter,
    pub paging: Paging,
}

impl CaseQuery {
    /// Reads the query's parameters (unknown ones are ignored; empty ones are absent), every
    /// unreadable one named in one 422.
    pub fn parse(params: &HashMap<String, String>, per_page: i64) -> AppResult<CaseQuery> {
        let mut errors = FieldErrors::default();
        let text = |k: &str| params.get(k).filter(|v| !v.trim().is_empty()).cloned();
        let mut number = |k: &str| -> Option<i64> {
            let v = text(k)?;
            errors.take(k, v.trim().parse::<i64>().map_err(|_| Code::NotANumber))
        };
        let enterprise_id = number("enterprise_id");
        let mediator_id = number("mediator_id");
        let unit_id = number("unit_id");
        let page = number("page");
        let idle_days = number("idle_days");
        let follow_up_due = number("follow_up_due");
        let per_page = number("per_page").or(Some(per_page));
        let mut date = |k: &str| -> Option<NaiveDate> {
            let v = text(k)?;
            errors.take(k, v.trim().parse::<NaiveDate>().map_err(|_| Code::NotADate))
        };
        let from = date("from");
        let to = date("to");
        let due_by = date("due_by");
        let idle_days = match idle_days.map(u32::try_from) {
            Some(Ok(d)) if d <= 3650 => Some(d),
            Some(_) => {
                errors.add(
                    "idle_days",
                    Code::DaysBetween.with("min", 0).with("max", 3650),
                );
                None
            }
            None => None,
        };
        let follow_up_due = match follow_up_due.map(u32::try_from) {
            Some(Ok(d)) if d <= 3650 => Some(d),
            Some(_) => {
                errors.add(
                    "follow_up_due",
                    Code::DaysBetween.with("min", 0).with("max", 3650),
                );
                None
            }
            None => None,
        };
        let overdue = match text("overdue").as_deref().map(str::trim) {
            None => None,
            Some("true") => Some(true),
            Some("false") => Some(false),
            Some(_) => {
                errors.add("overdue", Code::NotTrueOrFalse);
                None
            }
        };
        let paging = match Paging::new(page, per_page) {
            Ok(p) => Some(p),
            Err(AppError::Validation(e)) => {
                errors.0.extend(e.0);
                None
            }
            Err(e) => return Err(e),
        };
        errors.finish()?;
        Ok(CaseQuery {
            filter: CaseFilter {
                status: text("status"),
                category: text("category"),
                channel: text("channel"),
                enterprise_id,
                enterprise: text("enterprise"),
                mediator_id,
                unit_id,
                overdue,
                from,
                to,
                q: text("q"),
                sort: text("sort"),
                idle_days,
                due_by,
                follow_up_due,
            },
            paging: paging.ok_or_else(|| AppError::Validation(FieldErrors::default()))?,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(pairs: &[(&str, &str)]) -> AppResult<CaseQuery> {
        let params = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        CaseQuery::parse(&params, 50)
    }

    #[test]
    fn every_unreadable_value_is_named_at_once() {
        let Err(AppError::Validation(fields)) = parse(&[
            ("enterprise_id", "某公司"),
            ("from", "2026-13-01"),
            ("overdue", "yes"),
            ("page", "0"),
        ]) else {
            panic!("refused");
        };
        assert_eq!(fields.0["enterprise_id"], "must be a number");
        assert_eq!(fields.0["from"], "must be a date YYYY-MM-DD");
        assert_eq!(fields.0["overdue"], "must be true or false");
        assert_eq!(fields.0["page"], "must be 1 or more");
    }

    #[test]
    fn empty_values_are_absent_and_good_ones_are_read() {
        let q = parse(&[
            ("enterprise_id", ""),
            ("to", "2026-03-31"),
            ("overdue", "true"),
        ])
        .unwrap();
        assert_eq!(q.filter.enterprise_id, None);
        assert_eq!(q.filter.to, NaiveDate::from_ymd_opt(2026, 3, 31));
        assert_eq!(q.filter.overdue, Some(true));
        assert_eq!(q.paging.per_page, 50);
    }
}
