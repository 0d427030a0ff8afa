//! The consultation pages: the list, and a one-screen quick entry form. "Turn into a case" is
//! only a link to the intake form with the consultation's values as query parameters: the
//! intake form reads them, and the case is registered through the case service as any other.

use super::enterprise_field;
use super::form::{codes, local_to_rfc3339, opt, options, required_number, Query};
use super::{html, render, see_other, OrPage, PageCtx, PageResult, SignedForm, SignedIn};
use crate::domain::vocab::{Category, Channel};
use crate::error::{AppError, Code};
use crate::services::consultations::{self as svc, ConsultationFilter, ConsultationInput};
use crate::services::enterprises::Choice;
use crate::services::{Caller, Ctx, Paging};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};
use std::collections::HashMap;

/// The intake form's address prefilled from a consultation.
fn intake_link(c: &svc::ConsultationView) -> String {
    let mut qs = url::form_urlencoded::Serializer::new(String::new());
    qs.append_pair("channel", &c.channel)
        .append_pair("category", &c.topic)
        .append_pair("workers_involved", &c.workers.to_string())
        .append_pair("description", &c.summary);
    if let Some(e) = c.enterprise_id {
        qs.append_pair("enterprise_id", &e.to_string());
    }
    format!("/cases/new?{}", qs.finish())
}

pub async fn list(ctx: web::Data<Ctx>, query: Query, me: SignedIn) -> PageResult {
    let SignedIn { page, caller } = me;
    let page_no = query.get("page").and_then(|p| p.parse().ok()).unwrap_or(1);
    let paging = Paging::new(Some(page_no), Some(50)).or_page(&page)?;
    // The period is read here (a date the browser's date input sends); a bad one is the
    // service's kind of answer, a 422.
    let date = |k: &str| -> Result<Option<chrono::NaiveDate>, AppError> {
        match query.get(k).map(|v| v.trim()).filter(|v| !v.is_empty()) {
            Some(v) => v
                .parse()
                .map(Some)
                .map_err(|_| AppError::field(k, Code::NotADate)),
            None => Ok(None),
        }
    };
    let filter = ConsultationFilter {
        from: date("from").or_page(&page)?,
        to: date("to").or_page(&page)?,
        unit_id: None,
    };
    let found = svc::list(&ctx, &caller, filter, paging)
        .await
        .or_page(&page)?;
    let items: Vec<Value> = found.items.iter().map(row).collect();
    let link = |n: i64| {
        let qs: String = url::form_urlencoded::Serializer::new(String::new())
            .append_pair("from", query.get("from").map_or("", String::as_str))
            .append_pair("to", query.get("to").map_or("", String::as_str))
            .append_pair("page", &n.to_string())
            .finish();
        format!("/consultations?{qs}")
    };
    let data = page.data(
        "consultations.title",
        json!({
            "items": items,
            "total": found.total,
            "from": query.get("from"),
            "to": query.get("to"),
            "prev": (paging.page > 1).then(|| link(paging.page - 1)),
            "next": (paging.offset() + paging.per_page < found.total).then(|| link(paging.page + 1)),
        }),
    );
    Ok(html(
        StatusCode::OK,
        render::render("pages/consultations/list", &data),
    ))
}

fn entry_form(
    page: &PageCtx,
    values: &HashMap<String, String>,
    errors: &super::form::Errors,
    (recent, enterprises): (Vec<Value>, Vec<Choice>),
    status: StatusCode,
) -> HttpResponse {
    let v = |k: &str| values.get(k).cloned().unwrap_or_default();
    let err = |k: &str| errors.get(k).cloned();
    let channels = codes(Channel::ALL, Channel::as_str);
    let topics = codes(Category::ALL, Category::as_str);
    let data = page.data(
        "consultations.new",
        json!({
            "received_at": v("received_at"),
            "channels": options("channel", &channels, values.get("channel").map(String::as_str)),
            "topics": options("category", &topics, values.get("topic").map(String::as_str)),
            "workers": v("workers"),
            "enterprise": v("enterprise"),
            "summary": v("summary"),
            "errors": {
                "received_at": err("received_at"),
                "channel": err("channel"),
                "topic": err("topic"),
                "workers": err("workers"),
                "enterprise": err("enterprise"),
                "summary": err("summary"),
            },
            "invalid": !errors.is_empty(),
            "items": recent,
            "enterprises": enterprises,
            "saved": v("saved") == "1",
        }),
    );
    html(status, render::render("pages/consultations/new", &data))
}

pub async fn new_form(ctx: web::Data<Ctx>, query: Query, me: SignedIn) -> PageResult {
    let SignedIn { page, caller } = me;
    // The last entries under the form, so a run of calls can be typed in one screen; a user
    // who may not record consultations gets the service's answer (403) instead of a form.
    let recent = recent(&ctx, &caller).await.or_page(&page)?;
    let now = ctx
        .now()
        .with_timezone(&ctx.settings.tz)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let values = HashMap::from([
        ("received_at".to_string(), now),
        ("channel".into(), "phone".into()),
        ("workers".into(), "1".into()),
        (
            "saved".into(),
            query.get("saved").cloned().unwrap_or_default(),
        ),
    ]);
    let enterprises = enterprise_field::choices(&ctx, &caller).await;
    Ok(entry_form(
        &page,
        &values,
        &HashMap::new(),
        (recent, enterprises),
        StatusCode::OK,
    ))
}

async fn recent(ctx: &Ctx, caller: &Caller) -> Result<Vec<Value>, AppError> {
    let paging = Paging::new(Some(1), Some(10))?;
    let found = svc::list(ctx, caller, ConsultationFilter::default(), paging).await?;
    Ok(found.items.iter().map(row).collect())
}

/// A consultation as the pages show it, with its "turn into a case" link.
fn row(c: &svc::ConsultationView) -> Value {
    let mut v = json!(c);
    v["intake_link"] = json!(intake_link(c));
    v
}

pub async fn new_submit(ctx: web::Data<Ctx>, signed: SignedForm) -> PageResult {
    let SignedForm {
        me: SignedIn { page, caller },
        form,
    } = signed;
    let mut errors = HashMap::new();
    let enterprise_id = enterprise_field::resolve(&ctx, &caller, &form, &mut errors).await;
    let workers = required_number(&form, "workers", &mut errors);
    let input = ConsultationInput {
        received_at: local_to_rfc3339(&ctx, form.get("received_at").map_or("", String::as_str)),
        channel: opt(&form, "channel").unwrap_or_default(),
        topic: opt(&form, "topic").unwrap_or_default(),
        workers,
        enterprise_id,
        summary: form.get("summary").cloned().unwrap_or_default(),
        unit_id: None,
    };
    // Workers the form could not read are 0, which the service refuses too, so its errors show
    // with the form's; a name that resolves to no enterprise must not be saved as none.
    let result = match errors.contains_key(enterprise_field::FIELD) {
        true => Err(AppError::Validation(crate::error::FieldErrors::default())),
        false => svc::create(&ctx, &caller, input).await,
    };
    match result {
        Ok(_) => Ok(see_other("/consultations/new?saved=1")),
        Err(AppError::Validation(fields)) => {
            let mut all: super::form::Errors = fields.0.into_iter().collect();
            all.extend(errors);
            let mut errors = all;
            enterprise_field::beside_field(&mut errors);
            let recent = recent(&ctx, &caller).await.unwrap_or_default();
            let enterprises = enterprise_field::choices(&ctx, &caller).await;
            Ok(entry_form(
                &page,
                &form,
                &errors,
                (recent, enterprises),
                StatusCode::UNPROCESSABLE_ENTITY,
            ))
        }
        Err(e) => Err(page.fail(e)),
    }
}
