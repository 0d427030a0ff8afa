//! The early-warning pages: the list (an officer's shows their enterprise only: the service
//! scopes it), the report form (built for a phone: one column, large targets), and the warning's
//! page with the staff's acknowledge, defuse and escalate forms. Each handler calls one service.

use super::enterprise_field;
use super::flash::{self, FailedForm};
use super::form::{amount, codes, opt, options, required_number, Query};
use super::{html, render, see_other, OrPage, PageResult, SignedForm, SignedIn};
use crate::domain::role::Role;
use crate::domain::warning::{Level, WarningAction, WarningCategory, WarningStatus};
use crate::error::AppError;
use crate::services::warnings::{self as svc, EscalateInput, WarningFilter, WarningInput};
use crate::services::{Caller, Ctx, Paging};
use actix_web::http::StatusCode;
use actix_web::web;
use serde_json::{json, Value};
use std::collections::HashMap;

pub async fn list(ctx: web::Data<Ctx>, query: Query, me: SignedIn) -> PageResult {
    let SignedIn { page, caller } = me;
    let get = |k: &str| query.get(k).filter(|v| !v.is_empty()).cloned();
    let page_no = get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let paging = Paging::new(Some(page_no), Some(50)).or_page(&page)?;
    let filter = WarningFilter {
        status: get("status"),
        level: get("level"),
        ..Default::default()
    };
    let found = svc::list(&ctx, &caller, filter, paging)
        .await
        .or_page(&page)?;
    let link = |n: i64| {
        let qs: String = url::form_urlencoded::Serializer::new(String::new())
            .extend_pairs(
                [("status", get("status")), ("level", get("level"))]
                    .into_iter()
                    .filter_map(|(k, v)| v.map(|v| (k, v))),
            )
            .append_pair("page", &n.to_string())
            .finish();
        format!("/warnings?{qs}")
    };
    let statuses = codes(WarningStatus::ALL, WarningStatus::as_str);
    let levels = codes(Level::ALL, Level::as_str);
    let data = page.data(
        "warnings.title",
        json!({
            "items": found.items,
            "total": found.total,
            "statuses": options("wstatus", &statuses, get("status").as_deref()),
            "levels": options("level", &levels, get("level").as_deref()),
            "prev": (paging.page > 1).then(|| link(paging.page - 1)),
            "next": (paging.offset() + paging.per_page < found.total).then(|| link(paging.page + 1)),
        }),
    );
    Ok(html(
        StatusCode::OK,
        render::render("pages/warnings/list", &data),
    ))
}

/// The report form's data: values kept, errors beside their fields. Officers report for their
/// own enterprise (the service implies it), so only staff see the enterprise field.
fn report_form(
    caller: &Caller,
    values: &HashMap<String, String>,
    errors: &super::form::Errors,
) -> Value {
    let v = |k: &str| values.get(k).cloned().unwrap_or_default();
    let officer = caller.role == Role::Officer;
    let levels: Vec<Value> = codes(Level::ALL, Level::as_str)
        .into_iter()
        .map(|l| json!({"value": l, "checked": values.get("level").map(String::as_str) == Some(l)}))
        .collect();
    let categories = codes(WarningCategory::ALL, WarningCategory::as_str);
    let err = |k: &str| errors.get(k).cloned();
    json!({
        "officer": officer,
        "enterprise": v("enterprise"),
        "levels": levels,
        "categories": options("wcategory", &categories, values.get("category").map(String::as_str)),
        "workers_at_risk": v("workers_at_risk"),
        "amount_at_risk": v("amount_at_risk"),
        "description": v("description"),
        "errors": {
            "enterprise": err("enterprise"),
            "level": err("level"),
            "category": err("category"),
            "workers_at_risk": err("workers_at_risk"),
            "amount_at_risk": err("amount_at_risk"),
            "description": err("description"),
        },
        "invalid": !errors.is_empty(),
    })
}

pub async fn new_form(ctx: web::Data<Ctx>, me: SignedIn) -> PageResult {
    let SignedIn { page, caller } = me;
    // The reporter's latest warnings under the form (an officer sees what became of them); a
    // user who may not read warnings gets the service's 403 instead of a form.
    let recent = recent(&ctx, &caller).await.or_page(&page)?;
    let values = HashMap::from([("workers_at_risk".to_string(), "1".to_string())]);
    let mut data = page.data(
        "warnings.new",
        report_form(&caller, &values, &HashMap::new()),
    );
    data["items"] = recent;
    data["enterprises"] = json!(enterprise_field::choices(&ctx, &caller).await);
    Ok(html(
        StatusCode::OK,
        render::render("pages/warnings/new", &data),
    ))
}

async fn recent(ctx: &Ctx, caller: &Caller) -> Result<Value, AppError> {
    let paging = Paging::new(Some(1), Some(5))?;
    let found = svc::list(ctx, caller, WarningFilter::default(), paging).await?;
    Ok(json!(found.items))
}

pub async fn new_submit(ctx: web::Data<Ctx>, signed: SignedForm) -> PageResult {
    let SignedForm {
        me: SignedIn { page, caller },
        form,
    } = signed;
    // Numbers the form could not even read are reported beside their fields, as the service
    // would report a bad value.
    let mut errors = HashMap::new();
    let enterprise_id = match caller.role {
        Role::Officer => None,
        _ => enterprise_field::resolve(&ctx, &caller, &form, &mut errors).await,
    };
    let workers = required_number(&form, "workers_at_risk", &mut errors);
    let input = WarningInput {
        enterprise_id,
        level: opt(&form, "level").unwrap_or_default(),
        category: opt(&form, "category").unwrap_or_default(),
        workers_at_risk: workers,
        amount_at_risk: amount(&form, "amount_at_risk", &mut errors),
        description: form.get("description").cloned().unwrap_or_default(),
    };
    // What the form could not read goes on in a shape the service refuses too (no enterprise,
    // 0 workers, the amount as typed), so every error shows at once, the form's own first.
    match svc::create(&ctx, &caller, input).await {
        Ok(w) => Ok(see_other(&format!("/warnings/{}", w.id))),
        Err(AppError::Validation(fields)) => {
            let mut all: super::form::Errors = fields.0.into_iter().collect();
            all.extend(errors);
            let mut errors = all;
            enterprise_field::beside_field(&mut errors);
            let mut data = page.data("warnings.new", report_form(&caller, &form, &errors));
            data["enterprises"] = json!(enterprise_field::choices(&ctx, &caller).await);
            data["items"] = recent(&ctx, &caller).await.unwrap_or_default();
            Ok(html(
                StatusCode::UNPROCESSABLE_ENTITY,
                render::render("pages/warnings/new", &data),
            ))
        }
        Err(e) => Err(page.fail(e)),
    }
}

/// The actions the warning view says the user may take (the service decides again on submit).
fn actions(warning: &svc::WarningView) -> Value {
    let may = |action| warning.actions.contains(&action);
    json!({
        "acknowledge": may(WarningAction::Acknowledge),
        "defuse": may(WarningAction::Defuse),
        "escalate": may(WarningAction::Escalate),
    })
}

/// The warning's page; a refused action form (kept across the redirect) opens again with what
/// was typed and each error beside its field, or, for a form the warning no longer offers,
/// its refusal above the page.
async fn render_warning(
    ctx: &Ctx,
    me: &SignedIn,
    id: i64,
    failed: Option<FailedForm>,
) -> PageResult {
    let w = svc::get(ctx, &me.caller, id).await.or_page(&me.page)?;
    let status = failed
        .as_ref()
        .and_then(|f| StatusCode::from_u16(f.status).ok())
        .unwrap_or(StatusCode::OK);
    let actions = actions(&w);
    // Only the defuse form has a field to keep; the others' refusals read above the page.
    let offered = |f: &&FailedForm| f.form == "defuse" && actions["defuse"] == json!(true);
    // The defuse form, as the user left it when it was refused.
    let kept = failed.as_ref().filter(offered);
    let defuse = json!({
        "open": kept.is_some(),
        "note": kept.and_then(|f| f.values.get("note")).cloned().unwrap_or_default(),
        "error": kept.and_then(|f| f.errors.get("note")),
        "refusal": kept.and_then(|f| f.refusal.as_ref()),
    });
    let error = failed
        .as_ref()
        .filter(|f| !offered(f) && !super::evidence::is_ours(f))
        .map(|f| f.described(&me.page.lang));
    let owner = crate::services::evidence::Owner::Warning(id);
    let evidence = super::evidence::section(ctx, me, owner, failed.as_ref()).await;
    let data = me.page.data(
        "warnings.title",
        json!({"actions": actions, "warning": w, "error": error, "defuse": defuse,
               "evidence": evidence}),
    );
    Ok(html(status, render::render("pages/warnings/show", &data)))
}

pub async fn show(ctx: web::Data<Ctx>, id: web::Path<i64>, me: SignedIn) -> PageResult {
    let id = id.into_inner();
    let failed = flash::take(&ctx, &me, &format!("/warnings/{id}")).await;
    render_warning(&ctx, &me, id, failed).await
}

/// A staff action on the warning; every submission answers a redirect (post/redirect/get): to
/// the warning, to the case it was escalated to, or back to the warning with the refused form.
pub async fn act(
    ctx: web::Data<Ctx>,
    path: web::Path<(i64, String)>,
    signed: SignedForm,
) -> PageResult {
    let SignedForm { me, form } = signed;
    let (id, name) = path.into_inner();
    let caller = &me.caller;
    let result = match name.as_str() {
        "acknowledge" => svc::act(&ctx, caller, id, WarningAction::Acknowledge, None)
            .await
            .map(|w| format!("/warnings/{}", w.id)),
        "defuse" => svc::act(&ctx, caller, id, WarningAction::Defuse, opt(&form, "note"))
            .await
            .map(|w| format!("/warnings/{}", w.id)),
        "escalate" => svc::escalate(&ctx, caller, id, EscalateInput::default())
            .await
            .map(|c| format!("/cases/{}", c.id)),
        _ => Err(AppError::not_found("action")),
    };
    let e = match result {
        Ok(to) => return Ok(see_other(&to)),
        Err(e) if e.is_not_the_forms() => return Err(me.page.fail(e)),
        Err(e) => e,
    };
    let page = format!("/warnings/{id}");
    let failed = FailedForm::new(page, name, form, &e, HashMap::new(), &me.page.lang);
    if let Some(redirect) = flash::keep(&ctx, &me, &failed).await {
        return Ok(redirect);
    }
    // Without the session's flash, the page answers the POST itself.
    render_warning(&ctx, &me, id, Some(failed)).await
}
