//! The admin pages (role admin only; everyone else gets the 403 page): units, enterprises with
//! their designated early-warning officer, users, and the notification outbox. Each page lists
//! its records and carries the forms that create or change them; every change goes through the
//! record's service, whose 422 (and duplicate) answers come back beside the form's fields.

mod edit;
mod people;
mod unit_settings;
pub use edit::{enterprise_form, enterprise_save, resend, user_form, user_save};

pub use people::{notifications, user_action, users, users_create};
pub use unit_settings::{
    submit_arbitration as units_arbitration, submit_letterhead as units_letterhead,
};

use super::form::{codes, number, opt, Query};
use super::{
    html, render, see_other, OrPage, PageCtx, PageError, PageResult, SignedForm, SignedIn,
};
use crate::domain::permission::Permission;
use crate::domain::vocab::UnitKind;
use crate::error::{AppError, Code};
use crate::services::enterprises::{self, EnterpriseInput};
use crate::services::units::{self, UnitInput, UnitView};
use crate::services::{users as users_svc, Ctx, Paging};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};
use std::collections::HashMap;

type Values = HashMap<String, String>;
use super::form::Errors;

/// The signed-in admin, else the 403 page: the admin area is the admin's alone.
fn admin(me: SignedIn) -> Result<SignedIn, PageError> {
    if me.caller.may(Permission::ManageUsers) {
        Ok(me)
    } else {
        Err(me.page.fail(AppError::forbidden()))
    }
}

/// An admin's form POST (its CSRF token and origin already checked), with its fields.
fn admin_form(signed: SignedForm) -> Result<(SignedIn, Values), PageError> {
    Ok((admin(signed.me)?, signed.form))
}

/// The field errors of a refused form (422, or a duplicate 409), with the status to answer;
/// any other error is for the error page.
pub(super) fn form_errors(err: AppError) -> Result<(Errors, StatusCode), AppError> {
    use actix_web::ResponseError;
    let status = err.status_code();
    match err {
        AppError::Validation(fields) => Ok((fields.0.into_iter().collect(), status)),
        AppError::Duplicate { field, problem } => Ok((HashMap::from([(field, problem)]), status)),
        AppError::VersionConflict => Ok((
            HashMap::from([("version".to_string(), Code::VersionConflict.into())]),
            status,
        )),
        other => Err(other),
    }
}

/// A text input with its value kept and its error beside it.
pub(super) fn input(
    name: &str,
    label: &str,
    kind: &str,
    values: &Values,
    errors: &Errors,
) -> Value {
    json!({"name": name, "label": label, "kind": kind,
           "value": values.get(name), "error": errors.get(name)})
}

/// A select; `choices` are (value, label) pairs, `group` translates labels through `tv`.
pub(super) fn select(
    name: &str,
    label: &str,
    choices: Vec<(String, String)>,
    group: Option<&str>,
    values: &Values,
    errors: &Errors,
) -> Value {
    let chosen = values.get(name);
    let options: Vec<Value> = choices
        .into_iter()
        .map(|(value, text)| {
            json!({"selected": chosen == Some(&value), "group": group, "label": text, "value": value})
        })
        .collect();
    json!({"name": name, "label": label, "options": options, "error": errors.get(name)})
}

fn render_admin(
    page: &PageCtx,
    template: &str,
    title: &str,
    extra: Value,
    status: StatusCode,
) -> HttpResponse {
    html(status, render::render(template, &page.data(title, extra)))
}

/// The fields of an enterprise's form: for registering one (with its credit code) and for
/// editing one (the code is not changed there).
pub(super) fn enterprise_fields(
    unit_list: &[UnitView],
    values: &Values,
    errors: &Errors,
    registering: bool,
) -> Vec<Value> {
    let mut fields = vec![input(
        "name",
        "admin.enterprise_name",
        "text",
        values,
        errors,
    )];
    if registering {
        fields.push(input(
            "credit_code",
            "admin.credit_code",
            "text",
            values,
            errors,
        ));
    }
    let no_yes = vec![("false".into(), "no".into()), ("true".into(), "yes".into())];
    fields.extend([
        select(
            "unit_id",
            "admin.unit",
            unit_choices(unit_list, false),
            None,
            values,
            errors,
        ),
        input("industry", "admin.industry", "text", values, errors),
        input(
            "employee_count",
            "admin.employee_count",
            "number",
            values,
            errors,
        ),
        input("address", "admin.address", "text", values, errors),
        input(
            "legal_representative",
            "admin.legal_representative",
            "text",
            values,
            errors,
        ),
        input("phone", "admin.enterprise_phone", "tel", values, errors),
        select(
            "has_mediation_committee",
            "admin.has_committee",
            no_yes,
            Some("admin"),
            values,
            errors,
        ),
    ]);
    fields
}

pub(super) fn unit_choices(list: &[UnitView], none: bool) -> Vec<(String, String)> {
    let mut out: Vec<(String, String)> = if none {
        vec![(String::new(), "—".to_string())]
    } else {
        vec![]
    };
    out.extend(list.iter().map(|u| (u.id.to_string(), u.name.clone())));
    out
}

// ---- units ----

pub async fn units_page(ctx: web::Data<Ctx>, me: SignedIn) -> PageResult {
    let me = admin(me)?;
    units_view(&ctx, &me, &HashMap::new(), &HashMap::new(), StatusCode::OK).await
}

async fn units_view(
    ctx: &Ctx,
    me: &SignedIn,
    values: &Values,
    errors: &Errors,
    status: StatusCode,
) -> PageResult {
    let list = units::list(ctx, &me.caller).await.or_page(&me.page)?;
    let names: HashMap<i64, String> = list.iter().map(|u| (u.id, u.name.clone())).collect();
    let items: Vec<Value> = list
        .iter()
        .map(|u| json!({"unit": u, "parent": u.parent_id.and_then(|p| names.get(&p))}))
        .collect();
    let kinds = codes(UnitKind::ALL, UnitKind::as_str)
        .into_iter()
        .map(|k| (k.to_string(), k.to_string()))
        .collect();
    let fields = vec![
        input("name", "admin.unit_name", "text", values, errors),
        select(
            "kind",
            "admin.unit_kind",
            kinds,
            Some("unitkind"),
            values,
            errors,
        ),
        select(
            "parent_id",
            "admin.parent",
            unit_choices(&list, true),
            None,
            values,
            errors,
        ),
    ];
    let extra = json!({"items": items, "fields": fields, "invalid": !errors.is_empty(), "section": "units",
                       "arbitration_fields": unit_settings::fields(&list, values, errors, unit_settings::ARBITRATION),
                       "letterhead_fields": unit_settings::fields(&list, values, errors, unit_settings::LETTERHEAD)});
    Ok(render_admin(
        &me.page,
        "pages/admin/units",
        "admin.units",
        extra,
        status,
    ))
}

pub async fn units_create(ctx: web::Data<Ctx>, signed: SignedForm) -> PageResult {
    let (me, form) = admin_form(signed)?;
    let mut errors = HashMap::new();
    let parent_id = number(&form, "parent_id", &mut errors);
    let input = UnitInput {
        name: form.get("name").cloned().unwrap_or_default(),
        kind: opt(&form, "kind").unwrap_or_default(),
        parent_id,
    };
    let result = match errors.is_empty() {
        true => units::create(&ctx, &me.caller, input).await,
        false => Err(AppError::Validation(Default::default())),
    };
    match result.map_err(form_errors) {
        Ok(_) => Ok(see_other("/admin/units")),
        Err(Ok((more, status))) => {
            errors.extend(more);
            units_view(&ctx, &me, &form, &errors, status).await
        }
        Err(Err(e)) => Err(me.page.fail(e)),
    }
}

// ---- enterprises ----

pub async fn enterprises_page(ctx: web::Data<Ctx>, query: Query, me: SignedIn) -> PageResult {
    let me = admin(me)?;
    let page_no = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let q = query.get("q").map_or("", |q| q.trim());
    let (values, errors) = (HashMap::new(), HashMap::new());
    enterprises_view(&ctx, &me, (q, page_no), &values, &errors, StatusCode::OK).await
}

async fn enterprises_view(
    ctx: &Ctx,
    me: &SignedIn,
    (q, page_no): (&str, i64),
    values: &Values,
    errors: &Errors,
    status: StatusCode,
) -> PageResult {
    let (page, caller) = (&me.page, &me.caller);
    let paging = Paging::new(Some(page_no), Some(100)).or_page(page)?;
    let found = enterprises::list(ctx, caller, Some(q.to_string()), None, paging)
        .await
        .or_page(page)?;
    let unit_list = units::list(ctx, caller).await.or_page(page)?;
    let officers = users_svc::list(ctx, caller, Some("officer".into()))
        .await
        .or_page(page)?;
    let unit_names: HashMap<i64, &str> =
        unit_list.iter().map(|u| (u.id, u.name.as_str())).collect();
    let items: Vec<Value> = found
        .items
        .iter()
        .map(|e| {
            let candidates: Vec<Value> = officers
                .iter()
                .filter(|o| o.enterprise_id == Some(e.id) && o.active)
                .map(|o| json!({"value": o.id, "label": o.display_name, "selected": Some(o.id) == e.officer_id}))
                .collect();
            let officer = officers.iter().find(|o| Some(o.id) == e.officer_id).map(|o| &o.display_name);
            json!({"enterprise": e, "unit": unit_names.get(&e.unit_id), "officer": officer, "candidates": candidates})
        })
        .collect();
    let fields = enterprise_fields(&unit_list, values, errors, true);
    let link = |n: i64| people::pager_link("/admin/enterprises", q, n);
    let extra = json!({
        "items": items, "fields": fields, "section": "enterprises", "q": q,
        "invalid": errors.keys().any(|k| k != "user_id"),
        "officer_error": errors.get("user_id"), "total": found.total,
        "prev": (paging.page > 1).then(|| link(paging.page - 1)),
        "next": (paging.offset() + paging.per_page < found.total).then(|| link(paging.page + 1)),
    });
    Ok(render_admin(
        page,
        "pages/admin/enterprises",
        "admin.enterprises",
        extra,
        status,
    ))
}

pub async fn enterprises_create(ctx: web::Data<Ctx>, signed: SignedForm) -> PageResult {
    let (me, form) = admin_form(signed)?;
    let mut errors = HashMap::new();
    let unit_id = number(&form, "unit_id", &mut errors);
    let employee_count = number(&form, "employee_count", &mut errors);
    if unit_id.is_none() {
        errors
            .entry("unit_id".to_string())
            .or_insert_with(|| Code::Required.into());
    }
    let input = EnterpriseInput {
        name: form.get("name").cloned().unwrap_or_default(),
        credit_code: form.get("credit_code").cloned(),
        unit_id: unit_id.unwrap_or(0),
        industry: opt(&form, "industry"),
        employee_count,
        has_mediation_committee: Some(
            form.get("has_mediation_committee")
                .is_some_and(|v| v == "true"),
        ),
        address: opt(&form, "address"),
        legal_representative: opt(&form, "legal_representative"),
        phone: opt(&form, "phone"),
    };
    let result = match errors.is_empty() {
        true => enterprises::create(&ctx, &me.caller, input).await,
        false => Err(AppError::Validation(Default::default())),
    };
    match result.map_err(form_errors) {
        Ok(_) => Ok(see_other("/admin/enterprises")),
        Err(Ok((more, status))) => {
            errors.extend(more);
            enterprises_view(&ctx, &me, ("", 1), &form, &errors, status).await
        }
        Err(Err(e)) => Err(me.page.fail(e)),
    }
}

pub async fn enterprise_officer(
    ctx: web::Data<Ctx>,
    id: web::Path<i64>,
    signed: SignedForm,
) -> PageResult {
    let (me, form) = admin_form(signed)?;
    let mut errors = HashMap::new();
    let user_id = number(&form, "user_id", &mut errors).unwrap_or(0);
    match enterprises::set_officer(&ctx, &me.caller, id.into_inner(), user_id)
        .await
        .map_err(form_errors)
    {
        Ok(_) => Ok(see_other("/admin/enterprises")),
        Err(Ok((more, status))) => {
            errors.extend(more);
            enterprises_view(&ctx, &me, ("", 1), &HashMap::new(), &errors, status).await
        }
        Err(Err(e)) => Err(me.page.fail(e)),
    }
}
