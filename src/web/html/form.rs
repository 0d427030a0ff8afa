//! The form toolkit of the pages: a form's or a query's fields as a map, the options of a select,
//! numbers and times typed into a form, and a refusal described beside its fields in the page's
//! language. Every page module that takes a form uses it.

use crate::error::{AppError, Code, Problem};
use crate::i18n;
use crate::services::Ctx;
use actix_web::web;
use chrono::TimeZone;
use serde_json::{json, Value};
use std::collections::HashMap;

pub(super) type Query = web::Query<HashMap<String, String>>;

/// A form's field errors: field name → its problem, shown beside the field through `{{msg}}`.
pub(crate) type Errors = HashMap<String, Problem>;

pub(super) fn options(group: &str, values: &[&str], selected: Option<&str>) -> Vec<Value> {
    values
        .iter()
        .map(|v| json!({"group": group, "value": v, "selected": Some(*v) == selected}))
        .collect()
}

pub(super) fn codes<T: Copy>(all: &[T], code: fn(T) -> &'static str) -> Vec<&'static str> {
    all.iter().map(|v| code(*v)).collect()
}

/// A `datetime-local` value (no offset) read in the configured zone, as RFC 3339.
pub(super) fn local_to_rfc3339(ctx: &Ctx, value: &str) -> String {
    match chrono::NaiveDateTime::parse_from_str(value.trim(), "%Y-%m-%dT%H:%M") {
        Ok(naive) => ctx
            .settings
            .tz
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.to_rfc3339())
            .unwrap_or_else(|| value.to_string()),
        Err(_) => value.to_string(),
    }
}

pub(super) fn opt(form: &HashMap<String, String>, k: &str) -> Option<String> {
    form.get(k)
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
}

/// A number typed into a form: absent is `None`; unreadable is `None` with an error beside the
/// field (the service then never sees a value the form could not read).
pub(super) fn number(
    form: &HashMap<String, String>,
    name: &str,
    errors: &mut Errors,
) -> Option<i64> {
    match opt(form, name).map(|v| v.parse::<i64>()) {
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => {
            errors.insert(name.to_string(), Code::NotANumber.into());
            None
        }
        None => None,
    }
}

/// An amount typed into a form ("86,400", "86400元", "８６，４００"; `Fen::from_typed`), as the
/// plain decimal the services take. A refused one is answered as typed, which the services'
/// stricter parser refuses too (so the form still shows every error at once), with why beside
/// the field, which takes the place of the service's own message.
pub(super) fn amount(
    form: &HashMap<String, String>,
    name: &str,
    errors: &mut Errors,
) -> Option<String> {
    let typed = opt(form, name)?;
    match crate::domain::money::Fen::from_typed(&typed) {
        Ok(fen) => Some(fen.to_string()),
        Err(e) => {
            errors.insert(name.to_string(), e.into());
            Some(typed)
        }
    }
}

/// A number the form must carry: absent or unreadable is an error beside the field.
pub(super) fn required_number(
    form: &HashMap<String, String>,
    name: &str,
    errors: &mut Errors,
) -> i64 {
    number(form, name, errors).unwrap_or_else(|| {
        errors
            .entry(name.to_string())
            .or_insert_with(|| Code::Required.into());
        0
    })
}

/// Why an action was refused, in the page's language: each field by its form label with its
/// message, or the refusal itself (a status that no longer allows the action reads as such).
pub(super) fn describe(err: &AppError, lang: &str) -> String {
    match err {
        AppError::Validation(fields) => fields
            .0
            .iter()
            .map(|(field, why)| {
                let label = ["action", "cases", "warnings"]
                    .iter()
                    .find_map(|group| i18n::lookup(lang, &format!("{group}.{field}")))
                    .unwrap_or_else(|| field.clone());
                format!("{label}: {}", i18n::problem(lang, why))
            })
            .collect::<Vec<_>>()
            .join("; "),
        // A status that does not allow the action says so in general words; any other refusal
        // (a follow-up still to do, an application recorded already) in its own.
        AppError::InvalidTransition(p) if p.code == crate::error::Code::CannotAct => {
            i18n::t(lang, "error.conflict")
        }
        AppError::InvalidTransition(p) => i18n::problem(lang, p),
        other => match other.problem() {
            Some(problem) => i18n::problem(lang, &problem),
            None => other.to_string(),
        },
    }
}
