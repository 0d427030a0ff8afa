//! Evidence on the pages: the list and the upload form of the case page and the warning page
//! (`section`, rendered by `partials/evidence`), the upload itself (a multipart form with the
//! session's CSRF token before the file, as the ledger import), removal with a reason, and the
//! download with the session.
//!
//! The upload form works without JavaScript: a refusal is kept in the session's flash and the
//! page opens the form again with the reason beside the field (post/redirect/get). With
//! `static/upload.js` the same POST goes by XMLHttpRequest, to show the upload's progress, and is
//! answered JSON (`{"location"}`, or the errors by field) instead of the redirect.

use super::flash::{self, FailedForm};
use super::{check_form, see_other, OrPage, PageResult, SignedForm, SignedIn};
use crate::domain::permission::Permission;
use crate::domain::role::Role;
use crate::error::{AppError, Code};
use crate::i18n;
use crate::services::evidence::{self as svc, EvidenceView, Owner, PROVIDERS};
use crate::services::Ctx;
use crate::web::api::evidence::{file_response, read_upload, refuse_declared_too_large};
use actix_multipart::Multipart;
use actix_web::http::header;
use actix_web::{web, HttpRequest, HttpResponse, ResponseError};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The name of the upload form in a kept refusal.
pub const FORM: &str = "evidence";

/// Whether a kept refusal is one of this section's (the page shows it here, not above).
pub fn is_ours(failed: &FailedForm) -> bool {
    failed.form == FORM
}

fn page_of(owner: Owner) -> String {
    match owner {
        Owner::Case(id) => format!("/cases/{id}"),
        Owner::Warning(id) => format!("/warnings/{id}"),
    }
}

/// A size as people read it.
fn size_text(size: i64) -> String {
    let size = size.max(0) as f64;
    if size < 1024.0 {
        format!("{size} B")
    } else if size < 1024.0 * 1024.0 {
        format!("{:.1} KB", size / 1024.0)
    } else {
        format!("{:.1} MB", size / (1024.0 * 1024.0))
    }
}

fn item(v: &EvidenceView) -> Value {
    let mut value = json!(v);
    value["size_text"] = json!(size_text(v.size));
    value["sha_short"] = json!(v.sha256.chars().take(12).collect::<String>());
    value
}

fn max_mb(ctx: &Ctx) -> u32 {
    ctx.settings.config.evidence.max_file_mb
}

/// The evidence section of the case or warning page: the items the user sees, and the upload
/// form when they may attach (the officer's phone form on a warning), refilled from `failed`
/// when the last upload was refused.
pub async fn section(ctx: &Ctx, me: &SignedIn, owner: Owner, failed: Option<&FailedForm>) -> Value {
    let caller = &me.caller;
    let lang = &me.page.lang;
    let (items, can_attach) = match svc::list_for_page(ctx, caller, owner).await {
        Ok((list, may)) => (list.items.iter().map(item).collect::<Vec<_>>(), may),
        Err(_) => (Vec::new(), false),
    };
    let phone = caller.role == Role::Officer;
    let failed = failed.filter(|f| is_ours(f));
    // Every field the form prints is in its data (the pages render strictly).
    let mut values = failed.map(|f| f.values.clone()).unwrap_or_default();
    for field in ["title", "received_on"] {
        values.entry(field.to_string()).or_default();
    }
    let errors: serde_json::Map<String, Value> = ["title", "provided_by", "received_on", "file"]
        .into_iter()
        .map(|field| {
            let problem = failed.and_then(|f| f.errors.get(field));
            (
                field.to_string(),
                json!(problem.map(|p| i18n::problem(lang, p))),
            )
        })
        .collect();
    let chosen = values
        .get("provided_by")
        .cloned()
        .unwrap_or_else(|| "applicant".into());
    let providers: Vec<Value> = PROVIDERS
        .iter()
        .map(|p| json!({"value": p, "selected": *p == chosen}))
        .collect();
    let action = match owner {
        Owner::Case(id) => format!("/cases/{id}/evidence"),
        Owner::Warning(id) => format!("/warnings/{id}/evidence"),
    };
    json!({
        "items": items,
        "back": page_of(owner),
        "action": action,
        "can_attach": can_attach,
        // An archived case's file takes no change (attaching is then refused too).
        // (For a case, staff who may remove may also attach, unless the case is archived.)
        "can_remove": caller.may(Permission::RemoveEvidence)
            && (can_attach || matches!(owner, Owner::Warning(_))),
        "phone": phone,
        "photos_only": matches!(owner, Owner::Warning(_)),
        "show_internal": !phone,
        "providers": providers,
        "open": failed.is_some(),
        "values": values,
        "errors": errors,
        "refusal": failed.and_then(|f| f.refusal.clone()),
        "max_size": i18n::t(lang, "evidence.max_size").replace("{mb}", &max_mb(ctx).to_string()),
        "max_bytes": ctx.settings.config.evidence.max_file_bytes(),
        "too_large": i18n::t(lang, "evidence.too_large").replace("{mb}", &max_mb(ctx).to_string()),
    })
}

/// The errors of a refused upload, each beside its field, in the page's language.
fn errors_of(ctx: &Ctx, error: &AppError, lang: &str) -> (HashMap<String, String>, Option<String>) {
    let words = |key: &str| i18n::t(lang, key).replace("{mb}", &max_mb(ctx).to_string());
    let mut errors = HashMap::new();
    match error {
        AppError::TooLarge(_) => {
            errors.insert("file".into(), words("evidence.too_large"));
        }
        AppError::UnsupportedType(_) => {
            errors.insert("file".into(), words("evidence.wrong_type"));
        }
        AppError::BadRequest(_) => {
            errors.insert("file".into(), words("evidence.unreadable"));
        }
        AppError::Validation(fields) => {
            for (field, message) in &fields.0 {
                let key = format!("evidence.error.{field}");
                let text = i18n::lookup(lang, &key).unwrap_or_else(|| i18n::problem(lang, message));
                errors.insert(field.clone(), text);
            }
        }
        other => return (errors, Some(super::form::describe(other, lang))),
    }
    (errors, None)
}

/// Messages already in the reader's language, as problems a page shows as they are.
fn as_shown(errors: HashMap<String, String>) -> HashMap<String, crate::error::Problem> {
    errors
        .into_iter()
        .map(|(field, text)| (field, Code::AsShown.with("text", text)))
        .collect()
}

/// Whether the request came from `upload.js` (answered JSON rather than redirected).
fn by_script(req: &HttpRequest) -> bool {
    req.headers()
        .get("x-requested-with")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("XMLHttpRequest"))
}

async fn upload(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    owner: Owner,
    multipart: Multipart,
    me: SignedIn,
) -> PageResult {
    let page = page_of(owner);
    let caller = me.caller.clone();
    // Not found or not allowed: the error page, before a byte is read.
    svc::check_attach(&ctx, &caller, owner)
        .await
        .or_page(&me.page)?;
    let Some(session) = me.page.session.clone() else {
        return Err(me.page.fail(AppError::forbidden()));
    };
    let read = match refuse_declared_too_large(&ctx, &req) {
        Err(e) => Err(e),
        Ok(()) => {
            // The CSRF token comes before the file, so a forged form stores nothing.
            let csrf = |fields: &HashMap<String, String>| check_form(&ctx, &req, &session, fields);
            read_upload(&ctx, &caller, owner, multipart, csrf).await
        }
    };
    let (values, done) = match read {
        Ok((values, Ok(staged))) => (values, svc::keep(&ctx, &caller, staged).await),
        Ok((values, Err(e))) => (values, Err(e)),
        Err(e @ AppError::Forbidden(_)) => return Err(me.page.fail(e)),
        Err(e) => (HashMap::new(), Err(e)),
    };
    let error = match done {
        Ok(_) if by_script(&req) => {
            return Ok(HttpResponse::Ok().json(json!({"location": format!("{page}#evidence")})))
        }
        Ok(_) => return Ok(see_other(&format!("{page}#evidence"))),
        Err(e) if e.is_not_the_forms() => return Err(me.page.fail(e)),
        Err(e) => e,
    };
    let (errors, refusal) = errors_of(&ctx, &error, &me.page.lang);
    if by_script(&req) {
        return Ok(HttpResponse::build(error.status_code())
            .json(json!({"errors": errors, "refusal": refusal})));
    }
    let mut values = values;
    values.remove("csrf");
    let failed = FailedForm {
        page: page.clone(),
        form: FORM.into(),
        status: error.status_code().as_u16(),
        values,
        errors: as_shown(errors),
        refusal,
    };
    if let Some(redirect) = flash::keep(&ctx, &me, &failed).await {
        return Ok(redirect);
    }
    Ok(see_other(&page))
}

/// `POST /cases/{id}/evidence`.
pub async fn upload_to_case(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    id: web::Path<i64>,
    multipart: Multipart,
    me: SignedIn,
) -> PageResult {
    upload(ctx, req, Owner::Case(id.into_inner()), multipart, me).await
}

/// `POST /warnings/{id}/evidence`: the officer's phone form, and staff's.
pub async fn upload_to_warning(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    id: web::Path<i64>,
    multipart: Multipart,
    me: SignedIn,
) -> PageResult {
    upload(ctx, req, Owner::Warning(id.into_inner()), multipart, me).await
}

/// `GET /evidence/{id}/file`: the download with the session; logged like the API's.
pub async fn file(ctx: web::Data<Ctx>, id: web::Path<i64>, me: SignedIn) -> PageResult {
    let head = svc::open(&ctx, &me.caller, id.into_inner())
        .await
        .or_page(&me.page)?;
    Ok(file_response(&ctx, head))
}

/// `POST /evidence/{id}/remove` (`reason`, and `back`: the page it was removed on).
pub async fn remove(ctx: web::Data<Ctx>, id: web::Path<i64>, signed: SignedForm) -> PageResult {
    let SignedForm { me, form } = signed;
    let back = form
        .get("back")
        .filter(|b| {
            let rest = b
                .strip_prefix("/cases/")
                .or_else(|| b.strip_prefix("/warnings/"));
            rest.is_some_and(|r| !r.is_empty() && r.bytes().all(|c| c.is_ascii_digit()))
        })
        .cloned();
    let done = svc::remove(
        &ctx,
        &me.caller,
        id.into_inner(),
        form.get("reason").cloned(),
    )
    .await;
    let back = match (&done, back) {
        (_, Some(back)) => back,
        (Ok(v), None) => match (v.case_id, v.warning_id) {
            (Some(c), _) => format!("/cases/{c}"),
            (None, Some(w)) => format!("/warnings/{w}"),
            (None, None) => "/".into(),
        },
        (Err(_), None) => "/".into(),
    };
    let error = match done {
        Ok(_) => return Ok(see_other(&format!("{back}#evidence"))),
        Err(e) if e.is_not_the_forms() => return Err(me.page.fail(e)),
        Err(e) => e,
    };
    let (errors, refusal) = errors_of(&ctx, &error, &me.page.lang);
    let refusal = refusal.or_else(|| errors.values().next().cloned());
    let failed = FailedForm {
        page: back.clone(),
        form: FORM.into(),
        status: error.status_code().as_u16(),
        values: HashMap::new(),
        errors: HashMap::new(),
        refusal,
    };
    if let Some(redirect) = flash::keep(&ctx, &me, &failed).await {
        return Ok(redirect);
    }
    Ok(see_other(&back))
}

/// `GET /static/upload.js`.
pub async fn script() -> HttpResponse {
    HttpResponse::Ok()
        .content_type("text/javascript; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../../static/upload.js"))
}
