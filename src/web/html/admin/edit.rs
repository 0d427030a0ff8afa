//! The admin's edit pages: a user's display name, role, unit and state, and an enterprise's
//! particulars, each through its service's `update` (the same as `PATCH` in the API: one
//! transaction with its audit event, with the version the form was read at); and sending a
//! failed mail again from the outbox page.

use super::{
    admin, admin_form, form_errors, input, number, render_admin, select, unit_choices, Errors,
    Values,
};
use crate::services::enterprises::{self, EnterprisePatch};
use crate::services::users::{self as users_svc, UserPatch};
use crate::services::{notifications, units, Ctx};
use crate::web::html::form::opt;
use crate::web::html::{see_other, OrPage, PageResult, SignedForm, SignedIn};
use actix_web::http::StatusCode;
use actix_web::web;
use serde_json::{json, Value};
use std::collections::HashMap;

/// Yes/no choices whose labels are the catalog's `admin.<label>`.
fn yes_no(yes: &str, no: &str) -> Vec<(String, String)> {
    vec![("true".into(), yes.into()), ("false".into(), no.into())]
}

/// The edit page: `fields` in a form posting to `action` with the version it was read at.
fn edit_page(
    me: &SignedIn,
    (title, section, action): (&str, &str, String),
    version: &str,
    fields: Vec<Value>,
    errors: &Errors,
    status: StatusCode,
) -> PageResult {
    let extra = json!({
        "section": section, "action": action, "version": version, "fields": fields,
        "back": format!("/admin/{section}"),
        "invalid": !errors.is_empty(), "version_error": errors.get("version"),
    });
    Ok(render_admin(
        &me.page,
        "pages/admin/edit",
        title,
        extra,
        status,
    ))
}

// ---- users ----

pub async fn user_form(ctx: web::Data<Ctx>, id: web::Path<i64>, me: SignedIn) -> PageResult {
    let me = admin(me)?;
    let u = users_svc::get(&ctx, &me.caller, *id)
        .await
        .or_page(&me.page)?;
    let values: Values = HashMap::from([
        ("display_name".into(), u.display_name),
        ("role".into(), u.role),
        (
            "unit_id".into(),
            u.unit_id.map(|u| u.to_string()).unwrap_or_default(),
        ),
        ("active".into(), u.active.to_string()),
        ("version".into(), u.version.to_string()),
    ]);
    user_view(&ctx, &me, *id, &values, &HashMap::new(), StatusCode::OK).await
}

async fn user_view(
    ctx: &Ctx,
    me: &SignedIn,
    id: i64,
    values: &Values,
    errors: &Errors,
    status: StatusCode,
) -> PageResult {
    let unit_list = units::list(ctx, &me.caller).await.or_page(&me.page)?;
    let roles = crate::domain::role::Role::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), r.as_str().to_string()))
        .collect();
    let fields = vec![
        input("display_name", "admin.display_name", "text", values, errors),
        select("role", "admin.role", roles, Some("role"), values, errors),
        select(
            "unit_id",
            "admin.unit",
            unit_choices(&unit_list, true),
            None,
            values,
            errors,
        ),
        select(
            "active",
            "admin.state",
            yes_no("active", "inactive"),
            Some("admin"),
            values,
            errors,
        ),
    ];
    let version = values.get("version").map_or("", String::as_str);
    let what = (
        "admin.edit_user",
        "users",
        format!("/admin/users/{id}/edit"),
    );
    edit_page(me, what, version, fields, errors, status)
}

pub async fn user_save(ctx: web::Data<Ctx>, id: web::Path<i64>, signed: SignedForm) -> PageResult {
    let (me, form) = admin_form(signed)?;
    let mut errors = HashMap::new();
    let version = number(&form, "version", &mut errors).unwrap_or(0);
    let unit_id = number(&form, "unit_id", &mut errors);
    let patch = UserPatch {
        version,
        display_name: Some(form.get("display_name").cloned().unwrap_or_default()),
        email: None,
        password: None,
        active: Some(form.get("active").is_none_or(|a| a == "true")),
        role: opt(&form, "role"),
        unit_id,
    };
    let result = match errors.is_empty() {
        true => users_svc::update(&ctx, &me.caller, *id, patch).await,
        false => Err(crate::error::AppError::Validation(Default::default())),
    };
    match result.map_err(form_errors) {
        Ok(_) => Ok(see_other("/admin/users")),
        Err(Ok((more, status))) => {
            errors.extend(more);
            user_view(&ctx, &me, *id, &form, &errors, status).await
        }
        Err(Err(e)) => Err(me.page.fail(e)),
    }
}

// ---- enterprises ----

pub async fn enterprise_form(ctx: web::Data<Ctx>, id: web::Path<i64>, me: SignedIn) -> PageResult {
    let me = admin(me)?;
    let e = enterprises::get(&ctx, &me.caller, *id)
        .await
        .or_page(&me.page)?;
    let values: Values = HashMap::from([
        ("name".into(), e.name),
        ("industry".into(), e.industry.unwrap_or_default()),
        ("address".into(), e.address.unwrap_or_default()),
        (
            "legal_representative".into(),
            e.legal_representative.unwrap_or_default(),
        ),
        ("phone".into(), e.phone.unwrap_or_default()),
        (
            "employee_count".into(),
            e.employee_count.map(|n| n.to_string()).unwrap_or_default(),
        ),
        (
            "has_mediation_committee".into(),
            e.has_mediation_committee.to_string(),
        ),
        ("unit_id".into(), e.unit_id.to_string()),
        ("version".into(), e.version.to_string()),
    ]);
    enterprise_view(&ctx, &me, *id, &values, &HashMap::new(), StatusCode::OK).await
}

async fn enterprise_view(
    ctx: &Ctx,
    me: &SignedIn,
    id: i64,
    values: &Values,
    errors: &Errors,
    status: StatusCode,
) -> PageResult {
    let unit_list = units::list(ctx, &me.caller).await.or_page(&me.page)?;
    let fields = super::enterprise_fields(&unit_list, values, errors, false);
    let version = values.get("version").map_or("", String::as_str);
    let what = (
        "admin.edit_enterprise",
        "enterprises",
        format!("/admin/enterprises/{id}/edit"),
    );
    edit_page(me, what, version, fields, errors, status)
}

pub async fn enterprise_save(
    ctx: web::Data<Ctx>,
    id: web::Path<i64>,
    signed: SignedForm,
) -> PageResult {
    let (me, form) = admin_form(signed)?;
    let mut errors = HashMap::new();
    let version = number(&form, "version", &mut errors).unwrap_or(0);
    let unit_id = number(&form, "unit_id", &mut errors);
    let employee_count = number(&form, "employee_count", &mut errors);
    let patch = EnterprisePatch {
        version,
        name: Some(form.get("name").cloned().unwrap_or_default()),
        industry: Some(form.get("industry").cloned().unwrap_or_default()),
        employee_count,
        has_mediation_committee: Some(
            form.get("has_mediation_committee")
                .is_some_and(|v| v == "true"),
        ),
        unit_id,
        address: Some(form.get("address").cloned().unwrap_or_default()),
        legal_representative: Some(
            form.get("legal_representative")
                .cloned()
                .unwrap_or_default(),
        ),
        phone: Some(form.get("phone").cloned().unwrap_or_default()),
    };
    let result = match errors.is_empty() {
        true => enterprises::update(&ctx, &me.caller, *id, patch).await,
        false => Err(crate::error::AppError::Validation(Default::default())),
    };
    match result.map_err(form_errors) {
        Ok(_) => Ok(see_other("/admin/enterprises")),
        Err(Ok((more, status))) => {
            errors.extend(more);
            enterprise_view(&ctx, &me, *id, &form, &errors, status).await
        }
        Err(Err(e)) => Err(me.page.fail(e)),
    }
}

// ---- the outbox ----

/// Sends a failed mail again, back to the outbox's failed mails; a mail not failed is the 409 page.
pub async fn resend(ctx: web::Data<Ctx>, id: web::Path<i64>, signed: SignedForm) -> PageResult {
    let (me, _) = admin_form(signed)?;
    notifications::resend(&ctx, &me.caller, *id)
        .await
        .or_page(&me.page)?;
    Ok(see_other("/admin/notifications?status=failed"))
}
