//! The case list, the intake form and the case page (its action forms are `case_actions`).

use super::case_actions::render_case;
use super::form::{codes, local_to_rfc3339, opt, options, required_number, Query};
use super::{html, render, see_other, OrPage, PageResult, SignedForm, SignedIn};
use crate::domain::case::CaseStatus;
use crate::domain::vocab::{Category, Channel};
use crate::error::AppError;
use crate::services::cases::{self as svc, CaseFilter, CaseInput};
use crate::services::enterprises::Choice;
use crate::services::{users, Caller, Ctx, Paging};
use actix_web::http::StatusCode;
use actix_web::web;
use serde_json::{json, Value};
use std::collections::HashMap;

pub async fn list(ctx: web::Data<Ctx>, query: Query, me: SignedIn) -> PageResult {
    let SignedIn { page, caller } = me;
    let get = |k: &str| query.get(k).filter(|v| !v.is_empty()).cloned();
    let page_no = get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let paging = Paging::new(Some(page_no), Some(50)).or_page(&page)?;
    let number = |k: &str| -> Result<Option<i64>, AppError> {
        get(k)
            .map(|v| v.trim().parse::<i64>())
            .transpose()
            .map_err(|_| AppError::field(k, "must be a number"))
    };
    let date = |k: &str| -> Result<Option<chrono::NaiveDate>, AppError> {
        get(k)
            .map(|v| v.trim().parse::<chrono::NaiveDate>())
            .transpose()
            .map_err(|_| AppError::field(k, "must be a date YYYY-MM-DD"))
    };
    let enterprise_id = number("enterprise_id").or_page(&page)?;
    let mediator_id = number("mediator_id").or_page(&page)?;
    let from = date("from").or_page(&page)?;
    let to = date("to").or_page(&page)?;
    let filter = CaseFilter {
        status: get("status"),
        category: get("category"),
        channel: get("channel"),
        enterprise_id,
        mediator_id,
        overdue: get("overdue").map(|o| o == "true"),
        from,
        to,
        q: get("q"),
        sort: get("sort"),
        ..Default::default()
    };
    // Mediators to filter by: the staff's colleagues in scope (officers see none).
    let mut mediators = Vec::new();
    if caller.role.is_staff() {
        for role in ["mediator", "director"] {
            if let Ok(list) = users::list(&ctx, &caller, Some(role.into())).await {
                mediators.extend(list.into_iter().map(|u| {
                    json!({"value": u.id, "label": u.display_name, "selected": Some(u.id) == mediator_id})
                }));
            }
        }
    }
    let found = svc::list(&ctx, &caller, filter, paging)
        .await
        .or_page(&page)?;
    let link = |n: i64| {
        let mut params: Vec<(String, String)> = query
            .iter()
            .filter(|(k, _)| k.as_str() != "page")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        params.sort();
        params.push(("page".into(), n.to_string()));
        let qs: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        format!("/cases?{qs}")
    };
    let statuses = codes(CaseStatus::ALL, CaseStatus::as_str);
    let categories = codes(Category::ALL, Category::as_str);
    let data = page.data(
        "cases.title",
        json!({
            "items": found.items,
            "total": found.total,
            "q": get("q"),
            "overdue": get("overdue").is_some_and(|o| o == "true"),
            "statuses": options("status", &statuses, get("status").as_deref()),
            "categories": options("category", &categories, get("category").as_deref()),
            "channels": options("channel", &codes(Channel::ALL, Channel::as_str), get("channel").as_deref()),
            "mediators": mediators,
            "enterprise_id": get("enterprise_id"),
            "from": get("from"),
            "to": get("to"),
            "by_deadline": get("sort").is_some_and(|s| s == "deadline"),
            "prev": (paging.page > 1).then(|| link(paging.page - 1)),
            "next": (paging.offset() + paging.per_page < found.total).then(|| link(paging.page + 1)),
        }),
    );
    Ok(html(
        StatusCode::OK,
        render::render("pages/cases/list", &data),
    ))
}

/// The id of the list of enterprises a form suggests (`<datalist>`): typing part of a name offers
/// the matching enterprises, and choosing one fills in its number. No script.
pub(super) const ENTERPRISE_CHOICES: &str = "enterprise_choices";

/// The enterprises to suggest on a form; none when they cannot be read (the form still works).
pub(super) async fn enterprise_choices(ctx: &Ctx, caller: &Caller) -> Vec<Choice> {
    crate::services::enterprises::choices(ctx, caller)
        .await
        .unwrap_or_default()
}

/// The intake form's fields, with values kept and errors beside them.
fn intake_fields(values: &HashMap<String, String>, errors: &HashMap<String, String>) -> Vec<Value> {
    let v = |k: &str| values.get(k).cloned().unwrap_or_default();
    let channels = codes(Channel::ALL, Channel::as_str);
    let categories = codes(Category::ALL, Category::as_str);
    let field = |name: &str, label: &str, kind: &str| json!({"name": name, "label": label, "kind": kind, "value": v(name), "error": errors.get(name)});
    vec![
        field("received_at", "cases.received_at", "datetime-local"),
        json!({"name": "channel", "label": "cases.channel", "error": errors.get("channel"),
               "options": options("channel", &channels, values.get("channel").map(String::as_str))}),
        json!({"name": "category", "label": "cases.category", "error": errors.get("category"),
               "options": options("category", &categories, values.get("category").map(String::as_str))}),
        json!({"name": "enterprise_id", "label": "cases.enterprise", "kind": "text", "value": v("enterprise_id"),
               "error": errors.get("enterprise_id"), "list": ENTERPRISE_CHOICES}),
        field("applicant_name", "cases.applicant", "text"),
        field("applicant_phone", "cases.phone", "tel"),
        field("applicant_id_number", "cases.id_number", "text"),
        field("workers_involved", "cases.workers", "number"),
        field("amount_claimed", "cases.amount_claimed", "text"),
        json!({"name": "description", "label": "cases.description", "textarea": true, "value": v("description"), "error": errors.get("description")}),
    ]
}

pub async fn new_form(ctx: web::Data<Ctx>, query: Query, me: SignedIn) -> PageResult {
    let SignedIn { page, caller } = me;
    // The form of a use case the caller may not do is the 403 page, as its submission would be.
    caller
        .require(crate::domain::permission::Permission::RegisterCase)
        .or_page(&page)?;
    let now = ctx
        .now()
        .with_timezone(&ctx.settings.tz)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let mut values = HashMap::from([
        ("received_at".to_string(), now),
        ("workers_involved".into(), "1".into()),
    ]);
    // Prefilled values (a consultation turned into a case links here with its own); the
    // service checks them on submit like anything typed.
    for key in [
        "channel",
        "category",
        "enterprise_id",
        "workers_involved",
        "amount_claimed",
        "description",
    ] {
        if let Some(v) = query.get(key).filter(|v| !v.is_empty()) {
            values.insert(key.to_string(), v.clone());
        }
    }
    let enterprises = enterprise_choices(&ctx, &caller).await;
    let data = page.data(
        "intake.title",
        json!({"fields": intake_fields(&values, &HashMap::new()), "enterprises": enterprises}),
    );
    Ok(html(
        StatusCode::OK,
        render::render("pages/cases/new", &data),
    ))
}

pub async fn new_submit(ctx: web::Data<Ctx>, signed: SignedForm) -> PageResult {
    let SignedForm {
        me: SignedIn { page, caller },
        form,
    } = signed;
    let mut errors = HashMap::new();
    let enterprise_id = required_number(&form, "enterprise_id", &mut errors);
    let workers = required_number(&form, "workers_involved", &mut errors);
    let input = CaseInput {
        received_at: local_to_rfc3339(&ctx, form.get("received_at").map_or("", String::as_str)),
        channel: opt(&form, "channel").unwrap_or_default(),
        category: opt(&form, "category").unwrap_or_default(),
        enterprise_id,
        applicant_name: opt(&form, "applicant_name"),
        applicant_phone: opt(&form, "applicant_phone"),
        applicant_id_number: opt(&form, "applicant_id_number"),
        workers_involved: workers,
        amount_claimed: opt(&form, "amount_claimed").unwrap_or_default(),
        description: form.get("description").cloned().unwrap_or_default(),
        warning_id: None,
        unit_id: None,
    };
    let result = if errors.is_empty() {
        svc::create(&ctx, &caller, input).await
    } else {
        Err(AppError::Validation(crate::error::FieldErrors::default()))
    };
    match result {
        Ok(case) => Ok(see_other(&format!("/cases/{}", case.id))),
        Err(AppError::Validation(fields)) => {
            errors.extend(fields.0);
            let data = page.data(
                "intake.title",
                json!({"fields": intake_fields(&form, &errors), "errors": true,
                       "enterprises": enterprise_choices(&ctx, &caller).await}),
            );
            Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                render::render("pages/cases/new", &data),
            ))
        }
        Err(e) => Err(page.fail(e)),
    }
}

pub async fn show(ctx: web::Data<Ctx>, id: web::Path<i64>, me: SignedIn) -> PageResult {
    let case = svc::get(&ctx, &me.caller, id.into_inner())
        .await
        .or_page(&me.page)?;
    Ok(render_case(&ctx, &me, case, None, StatusCode::OK).await)
}
