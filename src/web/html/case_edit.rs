//! The case edit page (`/cases/{id}/edit`): the facts the `PATCH` contract lets staff edit (the
//! applicant's name, phone and ID number, the description, workers, amount and category, and the
//! agent who attends for the respondent), sent
//! with the version the form was read at. Only what was changed is sent, so a stale form is
//! refused (409) and a value shown masked is never written back: a masked field starts empty
//! ("leave empty to keep") and is sent only when something is typed into it.

use super::form::{codes, opt, options};
use super::{html, render, see_other, OrPage, PageResult, SignedForm, SignedIn};
use crate::domain::case::ActionKind;
use crate::domain::vocab::Category;
use crate::error::{AppError, Code};
use crate::services::cases::{self as svc, CasePatch, CaseView};
use crate::services::Ctx;
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The text fields of the form, with their labels and input types.
const TEXT_FIELDS: [(&str, &str, &str); 10] = [
    ("applicant_name", "cases.applicant", "text"),
    ("applicant_phone", "cases.phone", "tel"),
    ("applicant_id_number", "cases.id_number", "text"),
    ("workers_involved", "cases.workers", "number"),
    ("amount_claimed", "cases.amount_claimed", "text"),
    ("agent_name", "cases.agent_name", "text"),
    ("agent_position", "cases.agent_position", "text"),
    ("agent_phone", "cases.agent_phone", "tel"),
    ("rights_known_on", "cases.rights_known_on", "date"),
    ("employment_ended_on", "cases.employment_ended_on", "date"),
];

/// The agent's fields, each under the name the service gives its errors.
const AGENT_FIELDS: [(&str, &str); 3] = [
    ("agent_name", "respondent_agent.name"),
    ("agent_position", "respondent_agent.position"),
    ("agent_phone", "respondent_agent.phone"),
];

/// Whether a value is shown masked (the masks of phones and ID numbers hide digits with `*`).
fn masked(value: &str) -> bool {
    value.contains('*')
}

/// The values the form starts from: the case as the caller sees it, a masked value left empty.
fn values_of(case: &CaseView) -> HashMap<String, String> {
    let shown = |v: &Option<String>| v.clone().filter(|v| !masked(v)).unwrap_or_default();
    let agent = case.respondent_agent.as_ref();
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    HashMap::from([
        ("rights_known_on".into(), day(case.rights_known_on)),
        ("employment_ended_on".into(), day(case.employment_ended_on)),
        (
            "agent_name".into(),
            agent.map(|a| a.name.clone()).unwrap_or_default(),
        ),
        (
            "agent_position".into(),
            agent.and_then(|a| a.position.clone()).unwrap_or_default(),
        ),
        (
            "agent_phone".into(),
            shown(&agent.and_then(|a| a.phone.clone())),
        ),
        ("applicant_name".into(), shown(&case.applicant_name)),
        ("applicant_phone".into(), shown(&case.applicant_phone)),
        (
            "applicant_id_number".into(),
            shown(&case.applicant_id_number),
        ),
        ("workers_involved".into(), case.workers_involved.to_string()),
        ("amount_claimed".into(), case.amount_claimed.to_string()),
        ("category".into(), case.category.clone()),
        ("description".into(), case.description.clone()),
        ("version".into(), case.version.to_string()),
    ])
}

/// The form's fields with `values` kept and `errors` beside them; a masked value is the field's
/// placeholder, with the hint that an empty field keeps it.
fn fields(
    case: &CaseView,
    values: &HashMap<String, String>,
    errors: &super::form::Errors,
) -> Vec<Value> {
    let v = |k: &str| values.get(k).cloned().unwrap_or_default();
    let mask = |k: &str| match k {
        "applicant_phone" => case.applicant_phone.clone().filter(|p| masked(p)),
        "applicant_id_number" => case.applicant_id_number.clone().filter(|p| masked(p)),
        "agent_phone" => agent_phone(case).filter(|p| masked(p)),
        _ => None,
    };
    let mut out: Vec<Value> = TEXT_FIELDS
        .iter()
        .map(|(name, label, kind)| {
            json!({"name": name, "label": label, "kind": kind, "value": v(name),
                   "placeholder": mask(name), "error": errors.get(*name)})
        })
        .collect();
    let categories = codes(Category::ALL, Category::as_str);
    out.push(json!({"name": "category", "label": "cases.category", "error": errors.get("category"),
                    "options": options("category", &categories, values.get("category").map(String::as_str))}));
    out.push(
        json!({"name": "description", "label": "cases.description", "textarea": true,
                    "value": v("description"), "error": errors.get("description")}),
    );
    out
}

fn page(
    me: &SignedIn,
    case: &CaseView,
    values: &HashMap<String, String>,
    errors: &super::form::Errors,
    stale: bool,
    status: StatusCode,
) -> HttpResponse {
    let data = me.page.data(
        "case_edit.title",
        json!({"case": {"id": case.id, "case_no": case.case_no}, "version": values.get("version"),
               "fields": fields(case, values, errors), "errors": !errors.is_empty(), "stale": stale}),
    );
    html(status, render::render("pages/cases/edit", &data))
}

/// The case as the caller may edit it: the edit must be among the case's allowed actions.
async fn editable(ctx: &Ctx, me: &SignedIn, id: i64) -> Result<CaseView, super::PageError> {
    let case = svc::get(ctx, &me.caller, id).await.or_page(&me.page)?;
    // An archived case is read-only: its page says so (409 `archived`), not "not allowed".
    if case.archive_no.is_some() {
        return Err(me.page.fail(AppError::Archived));
    }
    if !case.actions.contains(&ActionKind::Edit) {
        return Err(me.page.fail(AppError::Forbidden("edit".into())));
    }
    Ok(case)
}

pub async fn form(ctx: web::Data<Ctx>, id: web::Path<i64>, me: SignedIn) -> PageResult {
    let case = editable(&ctx, &me, id.into_inner()).await?;
    let values = values_of(&case);
    Ok(page(
        &me,
        &case,
        &values,
        &HashMap::new(),
        false,
        StatusCode::OK,
    ))
}

/// The patch of what the form changed from the values it was read with (`was`); a field that
/// is not a number where one is wanted is an error beside it.
fn patch_of(
    form: &HashMap<String, String>,
    was: &HashMap<String, String>,
    errors: &mut super::form::Errors,
) -> CasePatch {
    let changed = |k: &str| {
        let now = form.get(k).map_or("", |v| v.trim());
        (now != was.get(k).map_or("", |v| v.trim())).then(|| now.to_string())
    };
    let workers = changed("workers_involved").and_then(|w| match w.parse::<i64>() {
        Ok(n) => Some(n),
        Err(_) => {
            errors.insert("workers_involved".into(), Code::NotANumber.into());
            None
        }
    });
    // A masked field starts empty: left empty, it keeps its value.
    let typed = |k: &str| changed(k).filter(|v| !v.is_empty() || !was_masked(was, k));
    // The agent is sent whole when any of its fields changed; no name clears it. A phone shown
    // masked must be typed again, or it would be lost.
    let respondent_agent = AGENT_FIELDS
        .iter()
        .any(|(k, _)| typed(k).is_some())
        .then(|| {
            let name = opt(form, "agent_name")?;
            let phone = opt(form, "agent_phone");
            if phone.is_none() && was_masked(was, "agent_phone") {
                errors.insert("agent_phone".into(), Code::RetypeMasked.into());
            }
            Some(svc::AgentInput {
                name,
                position: opt(form, "agent_position"),
                phone,
            })
        });
    CasePatch {
        version: opt(form, "version")
            .and_then(|v| v.parse().ok())
            .unwrap_or(-1),
        description: changed("description"),
        applicant_name: changed("applicant_name"),
        applicant_phone: typed("applicant_phone"),
        applicant_id_number: typed("applicant_id_number"),
        workers_involved: workers,
        amount_claimed: changed("amount_claimed"),
        category: changed("category"),
        respondent_agent,
        rights_known_on: changed("rights_known_on"),
        employment_ended_on: changed("employment_ended_on"),
    }
}

fn agent_phone(case: &CaseView) -> Option<String> {
    case.respondent_agent.as_ref().and_then(|a| a.phone.clone())
}

/// Whether the form showed field `k` masked (and so started it empty).
fn was_masked(was: &HashMap<String, String>, k: &str) -> bool {
    was.get(&format!("{k}_masked")).is_some()
}

pub async fn submit(ctx: web::Data<Ctx>, id: web::Path<i64>, signed: SignedForm) -> PageResult {
    let SignedForm { me, form } = signed;
    let id = id.into_inner();
    let case = editable(&ctx, &me, id).await?;
    // What the form was read with is what the case showed then; a newer case (another version)
    // is refused by the service, so comparing with the case as it is now is enough.
    let mut was = values_of(&case);
    for k in ["applicant_phone", "applicant_id_number", "agent_phone"] {
        let shown = &match k {
            "applicant_phone" => case.applicant_phone.clone(),
            "agent_phone" => agent_phone(&case),
            _ => case.applicant_id_number.clone(),
        };
        if shown.as_deref().is_some_and(masked) {
            was.insert(format!("{k}_masked"), String::new());
        }
    }
    let mut errors = HashMap::new();
    let patch = patch_of(&form, &was, &mut errors);
    let nothing = [
        &patch.description,
        &patch.applicant_name,
        &patch.applicant_phone,
        &patch.applicant_id_number,
        &patch.amount_claimed,
        &patch.category,
    ]
    .iter()
    .all(|f| f.is_none())
        && patch.workers_involved.is_none()
        && patch.respondent_agent.is_none()
        && patch.rights_known_on.is_none()
        && patch.employment_ended_on.is_none();
    if errors.is_empty() && nothing && patch.version == case.version {
        return Ok(see_other(&format!("/cases/{id}")));
    }
    let result = match errors.is_empty() {
        true => svc::update(&ctx, &me.caller, id, patch).await,
        false => Err(AppError::Validation(Default::default())),
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/cases/{id}"))),
        Err(AppError::Validation(fields)) => {
            // The agent's errors beside the agent's fields.
            errors.extend(fields.0.into_iter().map(|(k, v)| {
                let field = AGENT_FIELDS.iter().find(|(_, theirs)| *theirs == k);
                (field.map_or(k, |(ours, _)| ours.to_string()), v)
            }));
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(page(&me, &case, &form, &errors, false, status))
        }
        Err(AppError::VersionConflict) => {
            Ok(page(&me, &case, &form, &errors, true, StatusCode::CONFLICT))
        }
        Err(e) => Err(me.page.fail(e)),
    }
}
