//! The case page's action forms: the forms for the actions the case view says the caller may
//! take, the case page rendered with them, and their submission (one service call each; a
//! refusal about the form's values re-renders the case page with it, in the page's language).

use super::form::{codes, describe, local_to_rfc3339, opt, options};
use super::{html, render, see_other, OrPage, PageResult, SignedForm, SignedIn};
use crate::domain::case::ActionKind;
use crate::domain::vocab::Referral;
use crate::error::AppError;
use crate::services::cases::{self as svc, ActionInput};
use crate::services::{users, Caller, Ctx};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};

/// The forms for the actions the case view says the user may take.
async fn action_forms(ctx: &Ctx, caller: &Caller, case: &svc::CaseView) -> Vec<Value> {
    let allowed = |kind: ActionKind| case.actions.contains(&kind);
    let text = |name: &str, label: &str| json!({"name": name, "label": label, "kind": "text"});
    let area = |name: &str, label: &str| json!({"name": name, "label": label, "textarea": true});
    let today = ctx.local_date(ctx.now()).to_string();
    let now_local = ctx
        .now()
        .with_timezone(&ctx.settings.tz)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let mut forms = Vec::new();
    let mut add = |name: &str, label: &str, kind: ActionKind, fields: Vec<Value>| {
        if allowed(kind) {
            forms.push(json!({"name": name, "label": label, "fields": fields}));
        }
    };
    add("accept", "action.accept", ActionKind::Accept, vec![]);
    add(
        "reject",
        "action.reject",
        ActionKind::Reject,
        vec![area("reason", "action.reason")],
    );
    if allowed(ActionKind::Assign) {
        let mut people = Vec::new();
        for role in ["mediator", "director"] {
            if let Ok(list) = users::list(ctx, caller, Some(role.into())).await {
                people.extend(list.into_iter().filter(|u| u.active).map(
                    |u| json!({"value": u.id, "label": u.display_name, "selected": Some(u.id) == case.mediator_id}),
                ));
            }
        }
        add(
            "assign",
            "action.assign",
            ActionKind::Assign,
            vec![json!({"name": "mediator_id", "label": "action.mediator_id", "options": people})],
        );
    }
    add(
        "sessions",
        "action.session",
        ActionKind::Session,
        vec![
            json!({"name": "held_at", "label": "action.held_at", "kind": "datetime-local", "value": now_local}),
            text("location", "action.location"),
            text("attendees", "action.attendees"),
            area("notes", "cases.notes"),
        ],
    );
    add(
        "extend",
        "action.extend",
        ActionKind::Extend,
        vec![
            json!({"name": "days", "label": "action.days", "kind": "number", "value": "15"}),
            area("reason", "action.reason"),
        ],
    );
    add(
        "close_agreement",
        "action.close_agreement",
        ActionKind::Close,
        vec![
            text("amount_agreed", "cases.amount_agreed"),
            text("agreement_no", "action.agreement_no"),
            json!({"name": "payment_due", "label": "action.payment_due", "kind": "date"}),
        ],
    );
    let referrals = codes(Referral::ALL, Referral::as_str);
    add(
        "close_failed",
        "action.close_failed",
        ActionKind::Close,
        vec![
            json!({"name": "referral", "label": "action.referral", "options": options("referral", &referrals, None)}),
            area("note", "action.reason"),
        ],
    );
    add(
        "withdraw",
        "action.withdraw",
        ActionKind::Withdraw,
        vec![area("note", "action.reason")],
    );
    add(
        "payments",
        "action.payment",
        ActionKind::Payment,
        vec![
            text("amount", "action.amount"),
            json!({"name": "paid_at", "label": "action.paid_at", "kind": "date", "value": today}),
        ],
    );
    add(
        "note",
        "action.note",
        ActionKind::Note,
        vec![area("text", "action.text")],
    );
    forms
}

pub(super) async fn render_case(
    ctx: &Ctx,
    me: &SignedIn,
    case: svc::CaseView,
    error: Option<String>,
    status: StatusCode,
) -> HttpResponse {
    let actions = action_forms(ctx, &me.caller, &case).await;
    // The printable documents of a concluded case: the agreement of a resolved one, the notice
    // of the right to arbitration of a failed one.
    let prints = json!({
        "agreement": case.status == "resolved",
        "arbitration_notice": case.status == "failed",
    });
    let data = me.page.data(
        "cases.title",
        json!({"case": case, "actions": actions, "error": error, "prints": prints,
               "editable": case.actions.contains(&ActionKind::Edit)}),
    );
    html(status, render::render("pages/cases/show", &data))
}

pub async fn act(
    ctx: web::Data<Ctx>,
    path: web::Path<(i64, String)>,
    signed: SignedForm,
) -> PageResult {
    let SignedForm { me, form } = signed;
    let (id, name) = path.into_inner();
    let mut input = ActionInput {
        reason: opt(&form, "reason"),
        mediator_id: opt(&form, "mediator_id").and_then(|m| m.parse().ok()),
        held_at: opt(&form, "held_at").map(|h| local_to_rfc3339(&ctx, &h)),
        location: opt(&form, "location"),
        attendees: opt(&form, "attendees"),
        notes: opt(&form, "notes"),
        days: opt(&form, "days").and_then(|d| d.parse().ok()),
        amount_agreed: opt(&form, "amount_agreed"),
        agreement_no: opt(&form, "agreement_no"),
        payment_due: opt(&form, "payment_due"),
        referral: opt(&form, "referral"),
        note: opt(&form, "note"),
        amount: opt(&form, "amount"),
        paid_at: opt(&form, "paid_at"),
        ..Default::default()
    };
    let caller = &me.caller;
    let result = match name.as_str() {
        "note" => svc::add_note(&ctx, caller, id, opt(&form, "text").unwrap_or_default()).await,
        other => {
            // The page's two closing forms are one action with its outcome chosen.
            let kind = match other {
                "close_agreement" => {
                    input.outcome = Some("agreement".into());
                    Some(ActionKind::Close)
                }
                "close_failed" => {
                    input.outcome = Some("failed".into());
                    Some(ActionKind::Close)
                }
                segment => ActionKind::of_segment(segment),
            };
            match kind {
                Some(kind) => svc::act(&ctx, caller, id, kind, input).await,
                None => Err(AppError::not_found("action")),
            }
        }
    };
    match result {
        Ok(_) => Ok(see_other(&format!("/cases/{id}"))),
        Err(e) if e.is_not_the_forms() => Err(me.page.fail(e)),
        Err(e) => {
            use actix_web::ResponseError;
            let case = svc::get(&ctx, caller, id).await.or_page(&me.page)?;
            let why = Some(describe(&e, &me.page.lang));
            Ok(render_case(&ctx, &me, case, why, e.status_code()).await)
        }
    }
}
