//! The admin's user accounts (list, create, deactivate or reactivate, reset a password; all
//! through `services::users`) and the notification outbox (`services::notifications`).

use super::{
    admin, admin_form, form_errors, input, number, render_admin, select, unit_choices, Errors,
    Values,
};
use crate::domain::role::Role;
use crate::error::{AppError, FieldErrors};
use crate::services::users::{self as svc, UserInput, UserPatch};
use crate::services::{notifications as outbox, units, Ctx, Paging};
use crate::web::html::form::{describe, opt, Query};
use crate::web::html::{see_other, OrPage, PageResult, SignedForm, SignedIn};
use actix_web::http::StatusCode;
use actix_web::web;
use serde_json::{json, Value};
use std::collections::HashMap;

/// The users a page at a time (50), searched by `q` (username, name or email).
pub async fn users(ctx: web::Data<Ctx>, query: Query, me: SignedIn) -> PageResult {
    let me = admin(me)?;
    let (values, errors) = (HashMap::new(), HashMap::new());
    users_view(&ctx, &me, &query, (&values, &errors, None), StatusCode::OK).await
}

/// The users' page with the create form's values and errors, and the refusal of an action on
/// one row (in the page's language), if any.
async fn users_view(
    ctx: &Ctx,
    me: &SignedIn,
    query: &HashMap<String, String>,
    (values, errors, row): (&Values, &Errors, Option<String>),
    status: StatusCode,
) -> PageResult {
    let (page, caller) = (&me.page, &me.caller);
    let q = query
        .get("q")
        .map(|q| q.trim().to_string())
        .unwrap_or_default();
    let page_no = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let paging = Paging::new(Some(page_no), Some(50)).or_page(page)?;
    let found = svc::search(ctx, caller, Some(q.clone()), paging)
        .await
        .or_page(page)?;
    let list = &found.items;
    let unit_list = units::list(ctx, caller).await.or_page(page)?;
    let unit_names: HashMap<i64, &str> =
        unit_list.iter().map(|u| (u.id, u.name.as_str())).collect();
    let items: Vec<Value> = list
        .iter()
        .map(|u| {
            json!({"user": u, "unit": u.unit_id.and_then(|id| unit_names.get(&id)),
                   "me": u.id == caller.id})
        })
        .collect();
    let roles = Role::ALL
        .iter()
        .map(|r| (r.as_str().to_string(), r.as_str().to_string()))
        .collect();
    let no_password = HashMap::new();
    let fields = vec![
        input("username", "admin.username", "text", values, errors),
        input("display_name", "admin.display_name", "text", values, errors),
        input("email", "admin.email", "email", values, errors),
        input(
            "password",
            "admin.password",
            "password",
            &no_password,
            errors,
        ),
        select("role", "admin.role", roles, Some("role"), values, errors),
        select(
            "unit_id",
            "admin.unit",
            unit_choices(&unit_list, true),
            None,
            values,
            errors,
        ),
        input(
            "enterprise_id",
            "admin.enterprise_id",
            "text",
            values,
            errors,
        ),
    ];
    let extra = json!({
        "items": items, "fields": fields, "section": "users", "q": q, "total": found.total,
        "prev": (paging.page > 1).then(|| pager_link("/admin/users", &q, paging.page - 1)),
        "next": (paging.offset() + paging.per_page < found.total)
            .then(|| pager_link("/admin/users", &q, paging.page + 1)),
        "invalid": !errors.is_empty(),
        "row_error": row,
    });
    Ok(render_admin(
        page,
        "pages/admin/users",
        "admin.users",
        extra,
        status,
    ))
}

pub async fn users_create(ctx: web::Data<Ctx>, signed: SignedForm) -> PageResult {
    let (me, form) = admin_form(signed)?;
    let mut errors = HashMap::new();
    let unit_id = number(&form, "unit_id", &mut errors);
    let enterprise_id = number(&form, "enterprise_id", &mut errors);
    let input = UserInput {
        username: form.get("username").cloned().unwrap_or_default(),
        display_name: opt(&form, "display_name"),
        email: form.get("email").cloned().unwrap_or_default(),
        password: form.get("password").cloned().unwrap_or_default(),
        role: opt(&form, "role").unwrap_or_default(),
        unit_id,
        enterprise_id,
    };
    let result = match errors.is_empty() {
        true => svc::create(&ctx, &me.caller, input).await,
        false => Err(AppError::Validation(Default::default())),
    };
    match result.map_err(form_errors) {
        Ok(_) => Ok(see_other("/admin/users")),
        Err(Ok((more, status))) => {
            errors.extend(more);
            users_view(&ctx, &me, &HashMap::new(), (&form, &errors, None), status).await
        }
        Err(Err(e)) => Err(me.page.fail(e)),
    }
}

/// `deactivate`, `activate` or `password` on one user, with the version the list showed.
pub async fn user_action(
    ctx: web::Data<Ctx>,
    path: web::Path<(i64, String)>,
    signed: SignedForm,
) -> PageResult {
    let (me, form) = admin_form(signed)?;
    let (id, action) = path.into_inner();
    let mut errors = HashMap::new();
    let version = number(&form, "version", &mut errors).unwrap_or(0);
    let mut patch = UserPatch {
        version,
        display_name: None,
        email: None,
        password: None,
        active: None,
        role: None,
        unit_id: None,
    };
    match action.as_str() {
        "deactivate" => patch.active = Some(false),
        "activate" => patch.active = Some(true),
        "password" => patch.password = Some(form.get("password").cloned().unwrap_or_default()),
        _ => return Err(me.page.fail(AppError::not_found("action"))),
    }
    match svc::update(&ctx, &me.caller, id, patch)
        .await
        .map_err(form_errors)
    {
        Ok(_) => Ok(see_other("/admin/users")),
        Err(Ok((more, status))) => {
            // A row's error is shown above the list, naming the field it is about.
            errors.extend(more);
            let fields = FieldErrors(errors.into_iter().collect());
            let row = describe(&AppError::Validation(fields), &me.page.lang);
            let (values, errors) = (HashMap::new(), HashMap::new());
            users_view(
                &ctx,
                &me,
                &HashMap::new(),
                (&values, &errors, Some(row)),
                status,
            )
            .await
        }
        Err(Err(e)) => Err(me.page.fail(e)),
    }
}

/// A list's page `n` with its search `q` kept.
pub(super) fn pager_link(path: &str, q: &str, n: i64) -> String {
    let qs: String = url::form_urlencoded::Serializer::new(String::new())
        .append_pair("q", q)
        .append_pair("page", &n.to_string())
        .finish();
    format!("{path}?{qs}")
}

pub async fn notifications(ctx: web::Data<Ctx>, query: Query, me: SignedIn) -> PageResult {
    let SignedIn { page, caller } = admin(me)?;
    let status = query.get("status").filter(|s| !s.is_empty()).cloned();
    let page_no = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let paging = Paging::new(Some(page_no), Some(100)).or_page(&page)?;
    let found = outbox::list(&ctx, &caller, status.clone(), paging)
        .await
        .or_page(&page)?;
    let tabs: Vec<Value> = ["", "pending", "sent", "failed"]
        .iter()
        .map(|s| json!({"value": s, "current": status.as_deref().unwrap_or("") == *s}))
        .collect();
    let link = |n: i64| {
        let qs: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("status", status.as_deref().unwrap_or(""))
            .append_pair("page", &n.to_string())
            .finish();
        format!("/admin/notifications?{qs}")
    };
    let extra = json!({
        "items": found.items, "total": found.total, "tabs": tabs, "section": "notifications",
        "prev": (paging.page > 1).then(|| link(paging.page - 1)),
        "next": (paging.offset() + paging.per_page < found.total).then(|| link(paging.page + 1)),
    });
    Ok(render_admin(
        &page,
        "pages/admin/notifications",
        "admin.notifications",
        extra,
        StatusCode::OK,
    ))
}
