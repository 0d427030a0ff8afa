//! The intake form's other applicants (issue 13): a few rows after the first applicant's fields,
//! each a name with its sex, phone, ID number and whether they are a representative. When any
//! row names someone, the form sends `applicants` (the first from the single fields, then the
//! rows); the service's errors about `applicants[i]` go back beside the row they came from.

use super::form::Errors;
use crate::services::cases::ApplicantInput;
use serde_json::{json, Value};
use std::collections::HashMap;

/// How many other applicants the form offers at once (the API takes up to 500).
const ROWS: usize = 4;

fn value(form: &HashMap<String, String>, name: &str) -> Option<String> {
    form.get(name)
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
}

/// The applicants the form names, with the row each came from (0 is the first applicant's
/// fields); `None` when no other row names anyone (the single fields are then the one applicant).
pub(super) fn applicants(form: &HashMap<String, String>) -> Option<Vec<(usize, ApplicantInput)>> {
    let ticked = |name: &str| form.get(name).is_some_and(|v| v == "1");
    let others: Vec<(usize, ApplicantInput)> = (1..=ROWS)
        .filter_map(|n| {
            let name = value(form, &format!("other_name_{n}"))?;
            Some((
                n,
                ApplicantInput {
                    name,
                    sex: value(form, &format!("other_sex_{n}")),
                    phone: value(form, &format!("other_phone_{n}")),
                    id_number: value(form, &format!("other_id_number_{n}")),
                    address: None,
                    amount_claimed: None,
                    representative: Some(ticked(&format!("other_rep_{n}"))),
                },
            ))
        })
        .collect();
    if others.is_empty() {
        return None;
    }
    let first = ApplicantInput {
        name: value(form, "applicant_name").unwrap_or_default(),
        sex: None,
        phone: value(form, "applicant_phone"),
        id_number: value(form, "applicant_id_number"),
        address: None,
        amount_claimed: None,
        representative: Some(ticked("applicant_representative")),
    };
    Some(std::iter::once((0, first)).chain(others).collect())
}

/// The service's errors about `applicants[i].field` beside the form's field they came from.
pub(super) fn beside_rows(errors: &mut Errors, rows: &[usize]) {
    let keys: Vec<String> = errors
        .keys()
        .filter(|k| k.starts_with("applicants["))
        .cloned()
        .collect();
    for key in keys {
        let Some((index, field)) = key
            .strip_prefix("applicants[")
            .and_then(|rest| rest.split_once("]."))
        else {
            continue;
        };
        let row = index
            .parse::<usize>()
            .ok()
            .and_then(|i| rows.get(i).copied());
        let to = match (row, field) {
            (Some(0), "name" | "phone" | "id_number") => format!("applicant_{field}"),
            (Some(n), field) if n > 0 => format!("other_{field}_{n}"),
            _ => continue,
        };
        if let Some(problem) = errors.remove(&key) {
            errors.insert(to, problem);
        }
    }
}

/// The rows as the form shows them: what was typed, and each error beside its field.
pub(super) fn rows(form: &HashMap<String, String>, errors: &Errors) -> Value {
    let field = |name: String| {
        json!({"name": name, "value": value(form, &name).unwrap_or_default(),
                                      "error": errors.get(&name)})
    };
    let rows: Vec<Value> = (1..=ROWS)
        .map(|n| {
            let sex = value(form, &format!("other_sex_{n}")).unwrap_or_default();
            json!({
                "n": n,
                "name": field(format!("other_name_{n}")),
                "phone": field(format!("other_phone_{n}")),
                "id_number": field(format!("other_id_number_{n}")),
                "sex": {"name": format!("other_sex_{n}"), "male": sex == "male",
                        "female": sex == "female", "error": errors.get(&format!("other_sex_{n}"))},
                "rep": {"name": format!("other_rep_{n}"),
                        "checked": form.get(&format!("other_rep_{n}")).is_some_and(|v| v == "1")},
            })
        })
        .collect();
    json!({
        "rows": rows,
        "first_rep": form.get("applicant_representative").is_some_and(|v| v == "1"),
        "error": errors.get("applicants"),
    })
}
