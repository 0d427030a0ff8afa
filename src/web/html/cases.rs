//! The case list, the intake form and the case page (its action forms are `case_actions`).

use super::case_actions::render_case;
use super::enterprise_field;
use super::form::{amount, codes, local_to_rfc3339, opt, options, required_number, Query};
use super::{html, render, see_other, OrPage, PageResult, SignedForm, SignedIn};
use crate::domain::case::CaseStatus;
use crate::domain::permission::Permission;
use crate::domain::vocab::{Category, Channel};
use crate::error::AppError;
use crate::services::cases::{self as svc, CaseInput, CaseQuery};
use crate::services::{users, Ctx, Paging};
use actix_web::http::StatusCode;
use actix_web::web;
use serde_json::{json, Value};
use std::collections::HashMap;

pub async fn list(ctx: web::Data<Ctx>, query: Query, me: SignedIn) -> PageResult {
    let SignedIn { page, caller } = me;
    let get = |k: &str| query.get(k).filter(|v| !v.is_empty()).cloned();
    // One rule reads the filter for this page and the API; what it refuses, and what the list
    // refuses, comes back as the form with each error beside its field.
    let asked = CaseQuery::parse(&query, 50);
    let paging = asked.as_ref().ok().map(|q| q.paging);
    let mediator_id = asked.as_ref().ok().and_then(|q| q.filter.mediator_id);
    let unit_id = asked.as_ref().ok().and_then(|q| q.filter.unit_id);
    let found = match asked {
        Ok(q) => svc::list(&ctx, &caller, q.filter, q.paging).await,
        Err(e) => Err(e),
    };
    let (found, mut errors) = match found {
        Ok(found) => (Some(found), HashMap::new()),
        Err(AppError::Validation(fields)) => (None, fields.0.into_iter().collect()),
        Err(e) => return Err(page.fail(e)),
    };
    enterprise_field::beside_field(&mut errors);
    // Mediators and units to filter by, by name: the staff's colleagues and units in scope
    // (officers see none).
    let mut mediators = Vec::new();
    let mut units = Vec::new();
    if caller.role.is_staff() {
        for role in ["mediator", "director"] {
            if let Ok(list) = users::list(&ctx, &caller, Some(role.into())).await {
                mediators.extend(list.into_iter().map(|u| {
                    json!({"value": u.id, "label": u.display_name, "selected": Some(u.id) == mediator_id})
                }));
            }
        }
        if let Ok(list) = crate::services::units::list(&ctx, &caller).await {
            units.extend(list.into_iter().map(
                |u| json!({"value": u.id, "label": u.name, "selected": Some(u.id) == unit_id}),
            ));
        }
    }
    // The list's own address with one parameter changed: another page, or the export's format.
    let link_to = |path: &str, extra: (&str, String)| {
        let mut params: Vec<(String, String)> = query
            .iter()
            .filter(|(k, _)| k.as_str() != "page" && k.as_str() != "format")
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        params.sort();
        params.push((extra.0.into(), extra.1));
        let qs: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(params)
            .finish();
        format!("{path}?{qs}")
    };
    let link = |n: i64| link_to("/cases", ("page", n.to_string()));
    // The filtered rows as a file, for those who may export the ledger.
    let exports = caller.may(Permission::ExportLedger).then(|| {
        json!({"csv": link_to("/cases/export", ("format", "csv".into())),
               "xlsx": link_to("/cases/export", ("format", "xlsx".into()))})
    });
    // An enterprise asked for by number (a link from elsewhere) shows by its name.
    let enterprise = match get(enterprise_field::FIELD) {
        Some(name) => Some(name),
        None => enterprise_field::name_of(&ctx, &caller, query.get("enterprise_id")).await,
    };
    let (total, items) = found
        .as_ref()
        .map_or((0, json!([])), |f| (f.total, json!(f.items)));
    let more = |f: &crate::services::Page<_>, p: Paging| p.offset() + p.per_page < f.total;
    let statuses = codes(CaseStatus::ALL, CaseStatus::as_str);
    let categories = codes(Category::ALL, Category::as_str);
    let data = page.data(
        "cases.title",
        json!({
            "items": items,
            "total": total,
            "q": get("q"),
            "overdue": get("overdue").is_some_and(|o| o == "true"),
            "statuses": options("status", &statuses, get("status").as_deref()),
            "categories": options("category", &categories, get("category").as_deref()),
            "channels": options("channel", &codes(Channel::ALL, Channel::as_str), get("channel").as_deref()),
            "mediators": mediators,
            "units": units,
            "enterprise": enterprise,
            "enterprises": enterprise_field::choices(&ctx, &caller).await,
            "from": get("from"),
            "to": get("to"),
            "by_deadline": get("sort").is_some_and(|s| s == "deadline"),
            "errors": errors,
            "invalid": found.is_none(),
            "prev": paging.filter(|p| p.page > 1).map(|p| link(p.page - 1)),
            "next": found.as_ref().zip(paging).filter(|(f, p)| more(f, *p)).map(|(_, p)| link(p.page + 1)),
            "exports": exports,
            // Directors and admins archive the cases they tick (each is checked on its own).
            "archiving": caller.may(Permission::ArchiveCase) && total > 0,
        }),
    );
    let status = match found {
        Some(_) => StatusCode::OK,
        None => StatusCode::UNPROCESSABLE_ENTITY,
    };
    Ok(html(status, render::render("pages/cases/list", &data)))
}

/// The intake form's fields, with values kept and errors beside them.
fn intake_fields(
    values: &HashMap<String, String>,
    errors: &super::form::Errors,
    offer: Value,
) -> Vec<Value> {
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
        json!({"enterprise": true, "name": "enterprise", "label": "cases.enterprise",
               "value": v("enterprise"), "error": errors.get("enterprise"), "required": true,
               "offer": offer}),
        field("applicant_name", "cases.applicant", "text"),
        field("applicant_phone", "cases.phone", "tel"),
        field("applicant_id_number", "cases.id_number", "text"),
        field("workers_involved", "cases.workers", "number"),
        field("amount_claimed", "cases.amount_claimed", "text"),
        field("rights_known_on", "cases.rights_known_on", "date"),
        field("employment_ended_on", "cases.employment_ended_on", "date"),
        json!({"name": "description", "label": "cases.description", "textarea": true, "value": v("description"), "error": errors.get("description")}),
    ]
    .into_iter()
    .map(|mut f| {
        let required = REQUIRED.contains(&f["name"].as_str().unwrap_or_default());
        f["required"] = json!(required);
        f
    })
    .collect()
}

/// The intake fields the service requires, marked on the form.
const REQUIRED: [&str; 8] = [
    "received_at",
    "channel",
    "category",
    "enterprise",
    "applicant_name",
    "workers_involved",
    "amount_claimed",
    "description",
];

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
        "enterprise",
        "workers_involved",
        "amount_claimed",
        "description",
    ] {
        if let Some(v) = query.get(key).filter(|v| !v.is_empty()) {
            values.insert(key.to_string(), v.clone());
        }
    }
    if let Some(name) = enterprise_field::name_of(&ctx, &caller, query.get("enterprise_id")).await {
        values.insert(enterprise_field::FIELD.into(), name);
    }
    let enterprises = enterprise_field::choices(&ctx, &caller).await;
    let data = page.data(
        "intake.title",
        json!({"fields": intake_fields(&values, &HashMap::new(), Value::Null),
               "others": super::applicant_rows::rows(&values, &HashMap::new()),
               "enterprises": enterprises}),
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
    let enterprise_id =
        enterprise_field::resolve_or_register(&ctx, &caller, &form, &mut errors).await;
    let workers = required_number(&form, "workers_involved", &mut errors);
    let named = super::applicant_rows::applicants(&form);
    let rows: Vec<usize> = named.iter().flatten().map(|(row, _)| *row).collect();
    let input = CaseInput {
        received_at: local_to_rfc3339(&ctx, form.get("received_at").map_or("", String::as_str)),
        channel: opt(&form, "channel").unwrap_or_default(),
        category: opt(&form, "category").unwrap_or_default(),
        enterprise_id: enterprise_id.unwrap_or(0),
        applicant_name: opt(&form, "applicant_name"),
        applicant_phone: opt(&form, "applicant_phone"),
        applicant_id_number: opt(&form, "applicant_id_number"),
        workers_involved: workers,
        amount_claimed: amount(&form, "amount_claimed", &mut errors).unwrap_or_default(),
        description: form.get("description").cloned().unwrap_or_default(),
        warning_id: None,
        unit_id: None,
        applicants: named.map(|list| list.into_iter().map(|(_, a)| a).collect()),
        respondent_agent: None,
        rights_known_on: opt(&form, "rights_known_on"),
        employment_ended_on: opt(&form, "employment_ended_on"),
    };
    // Whatever the form could not read is passed on in a shape the service refuses too (no
    // enterprise 0, no 0 workers, the amount as typed), so every error shows at once; the
    // form's own message takes the place of the service's.
    match svc::create(&ctx, &caller, input).await {
        Ok(case) => Ok(see_other(&format!("/cases/{}", case.id))),
        Err(AppError::Validation(fields)) => {
            let mut fields = fields.0;
            fields.extend(errors);
            let mut errors: super::form::Errors = fields.into_iter().collect();
            enterprise_field::beside_field(&mut errors);
            super::applicant_rows::beside_rows(&mut errors, &rows);
            let offer = enterprise_field::offer(&caller, &form, &errors);
            let data = page.data(
                "intake.title",
                json!({"fields": intake_fields(&form, &errors, offer), "errors": true,
                       "others": super::applicant_rows::rows(&form, &errors),
                       "enterprises": enterprise_field::choices(&ctx, &caller).await}),
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
    let failed = super::flash::take(&ctx, &me, &format!("/cases/{}", case.id)).await;
    Ok(render_case(&ctx, &me, case, failed).await)
}
