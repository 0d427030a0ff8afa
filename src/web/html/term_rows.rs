//! The agreement's terms on the case page (issue 14): the closing form's rows of instalments
//! and obligations, what the form sends for them, the service's errors about `terms[i]` beside
//! the row they came from, the instalments a payment may name, and the terms as the page shows
//! them (with "mark performed" on an obligation still to be done).
//!
//! The closing form keeps its amount and due date: without any row filled they are the one
//! instalment, as before. With rows, the rows are the terms (and an amount typed with no
//! instalment row is the one instalment, the obligations beside it).

use super::form::{amount, opt, Errors};
use crate::domain::case::ActionKind;
use crate::domain::fulfilment::{TermKind, TermStatus};
use crate::error::AppError;
use crate::services::cases::{CaseView, TermInput};
use serde_json::{json, Value};
use std::collections::HashMap;

/// How many instalment rows, and how many obligation rows, the closing form offers.
const ROWS: usize = 3;

fn row_field(name: String, row: &str, n: usize, label: &str, kind: &str) -> Value {
    json!({"name": name, "row": row, "n": n, "label": label, "kind": kind,
           "required": false, "value": "", "error": null})
}

/// The closing form's rows: each instalment's amount and date, each obligation's words and date.
pub(super) fn close_fields() -> Vec<Value> {
    let mut fields = Vec::new();
    for n in 1..=ROWS {
        let row = "terms.instalment";
        fields.push(row_field(
            format!("instalment_amount_{n}"),
            row,
            n,
            "action.amount",
            "text",
        ));
        fields.push(row_field(
            format!("instalment_due_{n}"),
            row,
            n,
            "terms.due",
            "date",
        ));
    }
    for n in 1..=ROWS {
        let row = "terms.obligation";
        fields.push(row_field(
            format!("obligation_text_{n}"),
            row,
            n,
            "terms.text",
            "text",
        ));
        fields.push(row_field(
            format!("obligation_due_{n}"),
            row,
            n,
            "terms.due",
            "date",
        ));
    }
    fields
}

/// What the closing form sends: the terms (or none, for the one-instalment form), the amount
/// agreed and the due date to send beside them, and for each term sent the form fields it
/// came from (`amount`/`text`, `due`).
pub(super) struct ClosingTerms {
    pub terms: Option<Vec<TermInput>>,
    pub amount_agreed: Option<String>,
    pub payment_due: Option<String>,
    pub origins: Vec<(String, String)>,
}

pub(super) fn from_form(form: &HashMap<String, String>, unreadable: &mut Errors) -> ClosingTerms {
    let agreed = amount(form, "amount_agreed", unreadable);
    let due = opt(form, "payment_due");
    let mut terms = Vec::new();
    let mut origins = Vec::new();
    for n in 1..=ROWS {
        let (a, d) = (
            format!("instalment_amount_{n}"),
            format!("instalment_due_{n}"),
        );
        let typed = amount(form, &a, unreadable);
        let when = opt(form, &d);
        if typed.is_some() || when.is_some() {
            terms.push(TermInput {
                kind: TermKind::Payment.as_str().into(),
                amount: typed,
                text: None,
                due: when,
            });
            origins.push((a, d));
        }
    }
    let instalments = terms.len();
    for n in 1..=ROWS {
        let (t, d) = (
            format!("obligation_text_{n}"),
            format!("obligation_due_{n}"),
        );
        let text = opt(form, &t);
        let when = opt(form, &d);
        if text.is_some() || when.is_some() {
            terms.push(TermInput {
                kind: TermKind::Obligation.as_str().into(),
                amount: None,
                text,
                due: when,
            });
            origins.push((t, d));
        }
    }
    if terms.is_empty() {
        return ClosingTerms {
            terms: None,
            amount_agreed: agreed,
            payment_due: due,
            origins,
        };
    }
    if instalments == 0 && agreed.is_some() {
        // Obligations beside the one amount: that amount is the one instalment.
        terms.insert(
            0,
            TermInput {
                kind: TermKind::Payment.as_str().into(),
                amount: agreed,
                text: None,
                due,
            },
        );
        origins.insert(0, ("amount_agreed".into(), "payment_due".into()));
        return ClosingTerms {
            terms: Some(terms),
            amount_agreed: None,
            payment_due: None,
            origins,
        };
    }
    ClosingTerms {
        terms: Some(terms),
        amount_agreed: agreed,
        payment_due: due,
        origins,
    }
}

/// The service's errors about `terms[i].field` moved beside the form field they came from.
pub(super) fn beside_rows(error: &mut AppError, origins: &[(String, String)]) {
    let AppError::Validation(fields) = error else {
        return;
    };
    let keys: Vec<String> = fields
        .0
        .keys()
        .filter(|k| k.starts_with("terms["))
        .cloned()
        .collect();
    for key in keys {
        let Some((index, field)) = key
            .strip_prefix("terms[")
            .and_then(|rest| rest.split_once("]."))
        else {
            continue;
        };
        let Some((what, when)) = index.parse::<usize>().ok().and_then(|i| origins.get(i)) else {
            continue;
        };
        let to = match field {
            "due" => when.clone(),
            _ => what.clone(),
        };
        if let Some(problem) = fields.0.remove(&key) {
            fields.0.entry(to).or_insert(problem);
        }
    }
}

/// The payment form's choice of instalment: "the earliest due" first, then each instalment
/// still owing, by its number, date and what it still owes.
pub(super) fn payment_choices(case: &CaseView, lang: &str) -> Vec<Value> {
    let t = |key: &str| crate::i18n::t(lang, key);
    let mut choices = vec![json!({"value": "", "label": t("terms.auto"), "selected": true})];
    let instalments = case.terms.iter().filter(|t| t.kind == TermKind::Payment);
    for (n, term) in instalments.enumerate() {
        if term.status == TermStatus::Performed {
            continue;
        }
        let owed = term
            .amount
            .zip(term.paid)
            .and_then(|(a, p)| a.checked_sub(p))
            .unwrap_or_default();
        let due = term.due.map(|d| d.to_string()).unwrap_or_default();
        let label = format!(
            "{} {} · {} {} · {} {}",
            t("terms.instalment"),
            n + 1,
            t("terms.due"),
            due,
            t("terms.owed"),
            owed.grouped()
        );
        choices.push(json!({"value": term.id.to_string(), "label": label, "selected": false}));
    }
    choices
}

/// The terms as the case page shows them: each instalment numbered, and whether the user may
/// mark an obligation performed now.
pub(super) fn shown(case: &CaseView) -> Vec<Value> {
    let may = case.actions.contains(&ActionKind::Payment);
    let mut instalment = 0;
    case.terms
        .iter()
        .map(|term| {
            let payment = term.kind == TermKind::Payment;
            if payment {
                instalment += 1;
            }
            json!({
                "id": term.id,
                "payment": payment,
                "n": if payment { instalment } else { 0 },
                "amount": term.amount,
                "text": term.text,
                "due": term.due.map(|d| d.to_string()),
                "paid": term.paid,
                "status": term.status,
                "overdue": term.status == TermStatus::Overdue,
                "performed_on": term.performed_on.map(|d| d.to_string()),
                "performed_note": term.performed_note,
                "late": term.late,
                "may_perform": may && !payment && term.status != TermStatus::Performed,
            })
        })
        .collect()
}
