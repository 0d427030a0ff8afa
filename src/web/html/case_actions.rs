//! The case page's action forms: the forms for the actions the case view says the caller may
//! take, the case page rendered with them, and their submission (one service call each). Every
//! submission answers a redirect to the case page (post/redirect/get): a refusal is kept in the
//! session for that page, which opens the form as the user left it, each error beside its field.

use super::flash::{self, FailedForm};
use super::form::{amount, codes, describe, local_to_rfc3339, opt, options, Errors};
use super::{html, render, see_other, OrPage, PageResult, SignedForm, SignedIn};
use crate::domain::case::ActionKind;
use crate::domain::vocab::Referral;
use crate::error::{AppError, Code};
use crate::services::cases::{self as svc, ActionInput};
use crate::services::{users, Ctx};
use actix_web::http::StatusCode;
use actix_web::{web, HttpResponse};
use serde_json::{json, Value};
use std::collections::HashMap;

/// One field of an action form: `name`, its label key, and its kind (`text`, `date`, ...,
/// `textarea`, or a select's options); `required` marks it for the user.
fn field(name: &str, label: &str, kind: &str, required: bool) -> Value {
    let mut f = json!({"name": name, "label": label, "required": required, "value": "",
                       "error": null});
    match kind {
        "textarea" => f["textarea"] = json!(true),
        kind => f["kind"] = json!(kind),
    }
    f
}

fn with_value(mut f: Value, value: impl Into<Value>) -> Value {
    f["value"] = value.into();
    f
}

fn with_options(mut f: Value, options: Vec<Value>) -> Value {
    f["options"] = json!(options);
    f
}

/// The form named `name` as the user left it: their values in its fields (a select's choice
/// selected), each error beside its field and the others above the form.
fn refill(form: &mut Value, failed: &FailedForm, lang: &str) {
    form["open"] = json!(true);
    let mut elsewhere = crate::error::FieldErrors::default();
    let names: Vec<String> = form["fields"]
        .as_array()
        .map(|fields| {
            fields
                .iter()
                .filter_map(|f| f["name"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    for (field, why) in &failed.errors {
        if !names.contains(field) {
            elsewhere.add(field, why.clone());
        }
    }
    for f in form["fields"].as_array_mut().into_iter().flatten() {
        let name = f["name"].as_str().unwrap_or_default().to_string();
        let typed = failed.values.get(&name).cloned().unwrap_or_default();
        if let Some(options) = f["options"].as_array_mut() {
            for o in options {
                let value = match &o["value"] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                o["selected"] = json!(value == typed);
            }
        } else {
            f["value"] = json!(typed);
        }
        f["error"] = json!(failed.errors.get(&name));
    }
    let mut refusals: Vec<String> = failed.refusal.iter().cloned().collect();
    if !elsewhere.0.is_empty() {
        refusals.push(describe(&AppError::Validation(elsewhere), lang));
    }
    form["refusal"] = json!((!refusals.is_empty()).then(|| refusals.join("; ")));
}

/// The forms for the actions the case view says the user may take; the one that failed (if any)
/// refilled as the user left it.
async fn action_forms(
    ctx: &Ctx,
    me: &SignedIn,
    case: &svc::CaseView,
    failed: Option<&FailedForm>,
) -> Vec<Value> {
    let caller = &me.caller;
    let allowed = |kind: ActionKind| case.actions.contains(&kind);
    let today = ctx.local_date(ctx.now()).to_string();
    let now_local = ctx
        .now()
        .with_timezone(&ctx.settings.tz)
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    let mut forms = Vec::new();
    let mut add = |name: &str, label: &str, kind: ActionKind, fields: Vec<Value>| {
        if allowed(kind) {
            let mut form = json!({"name": name, "label": label, "fields": fields});
            if let Some(failed) = failed.filter(|f| f.form == name) {
                refill(&mut form, failed, &me.page.lang);
            }
            forms.push(form);
        }
    };
    add("accept", "action.accept", ActionKind::Accept, vec![]);
    add(
        "reject",
        "action.reject",
        ActionKind::Reject,
        vec![field("reason", "action.reason", "textarea", true)],
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
            vec![with_options(
                field("mediator_id", "action.mediator_id", "select", true),
                people,
            )],
        );
    }
    add(
        "sessions",
        "action.session",
        ActionKind::Session,
        vec![
            with_value(
                field("held_at", "action.held_at", "datetime-local", true),
                now_local,
            ),
            field("location", "action.location", "text", true),
            field("attendees", "action.attendees", "text", true),
            field("notes", "cases.notes", "textarea", false),
        ],
    );
    add(
        "extend",
        "action.extend",
        ActionKind::Extend,
        vec![
            with_value(field("days", "action.days", "number", true), "15"),
            field("reason", "action.reason", "textarea", true),
        ],
    );
    let mut closing = vec![
        field("amount_agreed", "cases.amount_agreed", "text", false),
        field("agreement_no", "action.agreement_no", "text", false),
        field("payment_due", "action.payment_due", "date", false),
    ];
    closing.extend(super::term_rows::close_fields());
    add(
        "close_agreement",
        "action.close_agreement",
        ActionKind::Close,
        closing,
    );
    let referrals = codes(Referral::ALL, Referral::as_str);
    add(
        "close_failed",
        "action.close_failed",
        ActionKind::Close,
        vec![
            with_options(
                field("referral", "action.referral", "select", true),
                options("referral", &referrals, None),
            ),
            field("note", "action.reason", "textarea", true),
        ],
    );
    add(
        "withdraw",
        "action.withdraw",
        ActionKind::Withdraw,
        vec![field("note", "action.reason", "textarea", true)],
    );
    let mut paying = vec![
        field("amount", "action.amount", "text", true),
        with_value(
            field("paid_at", "action.paid_at", "date", true),
            today.clone(),
        ),
    ];
    if case.terms.iter().any(|t| t.amount.is_some()) {
        paying.push(with_options(
            field("term_id", "terms.pays", "select", false),
            super::term_rows::payment_choices(case, &me.page.lang),
        ));
    }
    add("payments", "action.payment", ActionKind::Payment, paying);
    add(
        "note",
        "action.note",
        ActionKind::Note,
        vec![field("text", "action.text", "textarea", true)],
    );
    forms.extend(after_closing_forms(me, case, failed, &today));
    forms
}

/// The forms after closing: a follow-up (回访), its waiver, archiving; each offered only when
/// the services would take it from this user.
fn after_closing_forms(
    me: &SignedIn,
    case: &svc::CaseView,
    failed: Option<&FailedForm>,
    today: &str,
) -> Vec<Value> {
    use crate::domain::follow_up::{FollowUpMethod, Satisfaction};
    let offers = svc::offers(&me.caller, case);
    let mut forms = Vec::new();
    let mut add = |offered: bool, name: &str, label: &str, fields: Vec<Value>| {
        if offered {
            let mut form = json!({"name": name, "label": label, "fields": fields});
            if let Some(failed) = failed.filter(|f| f.form == name) {
                refill(&mut form, failed, &me.page.lang);
            }
            forms.push(form);
        }
    };
    let methods = codes(FollowUpMethod::ALL, FollowUpMethod::as_str);
    let satisfactions = codes(Satisfaction::ALL, Satisfaction::as_str);
    add(
        offers.follow_up,
        "follow_up",
        "followup.record",
        vec![
            with_value(field("on", "followup.on", "date", true), today),
            with_options(
                field("method", "followup.method", "select", true),
                options("fumethod", &methods, None),
            ),
            with_options(
                field("satisfaction", "followup.satisfaction", "select", true),
                options("satisfaction", &satisfactions, None),
            ),
            field("notes", "followup.notes", "textarea", false),
        ],
    );
    add(
        offers.waive,
        "waive_follow_up",
        "followup.waive",
        vec![field("reason", "followup.waive_reason", "textarea", true)],
    );
    add(offers.archive, "archive", "followup.archive", vec![]);
    forms
}

/// The case page, with the form that failed (if any) open as the user left it, answered with
/// that failure's status.
pub(super) async fn render_case(
    ctx: &Ctx,
    me: &SignedIn,
    case: svc::CaseView,
    failed: Option<FailedForm>,
) -> HttpResponse {
    let failed = failed.filter(|f| f.page == format!("/cases/{}", case.id));
    let status = failed
        .as_ref()
        .and_then(|f| StatusCode::from_u16(f.status).ok())
        .unwrap_or(StatusCode::OK);
    let actions = action_forms(ctx, me, &case, failed.as_ref()).await;
    // A form the case no longer offers (another user moved it on): its refusal above the page.
    let error = failed
        .as_ref()
        .filter(|f| !actions.iter().any(|a| a["name"] == f.form.as_str()))
        .filter(|f| !super::evidence::is_ours(f))
        .map(|f| f.described(&me.page.lang));
    let owner = crate::services::evidence::Owner::Case(case.id);
    let evidence = super::evidence::section(ctx, me, owner, failed.as_ref()).await;
    // The documents the case has as it stands, each a print page and a .docx; a session record
    // of each session held.
    let prints: Vec<Value> = crate::domain::document::DocumentKind::ALL
        .into_iter()
        .filter(|&d| super::print::available(d, &case))
        .flat_map(|d| {
            let title = crate::i18n::t(&me.page.lang, d.title_key());
            let path = format!("/cases/{}/print/{}", case.id, d.segment());
            let one = |path: String, label: String| {
                json!({"docx": format!("{path}{}format=docx", if path.contains('?') { "&" } else { "?" }),
                       "path": path, "label": label})
            };
            match d {
                crate::domain::document::DocumentKind::SessionRecord => case
                    .sessions
                    .iter()
                    .map(|s| {
                        let day = s.held_at.get(..10).unwrap_or(&s.held_at);
                        let label = format!("{title}{}", render::parenthesised(&me.page.lang, day));
                        one(format!("{path}?session_id={}", s.id), label)
                    })
                    .collect::<Vec<_>>(),
                _ => vec![one(path, title)],
            }
        })
        .collect();
    // An agreement past its date whose claims the Law art. 16 covers: the worker may apply to a
    // court for a payment order.
    let payment_order = (case.fulfilment == Some(crate::domain::fulfilment::Fulfilment::Overdue)
        && super::print::available(
            crate::domain::document::DocumentKind::PaymentOrderNotice,
            &case,
        ))
    .then(|| format!("/cases/{}/print/payment-order-notice", case.id));
    // Judicial confirmation: the forms for those who may record a payment on it.
    let confirming = (case.confirmation_window_ends.is_some()
        && case.actions.contains(&ActionKind::Payment))
    .then(|| {
        let c = case.confirmation.as_ref();
        let applied = c.is_some_and(|c| c.applied_on.is_some());
        json!({"applied": applied, "intended": c.is_some_and(|c| c.intended),
               "awaiting_ruling": applied && c.is_some_and(|c| c.result.is_none())})
    });
    let data = me.page.data(
        "cases.title",
        json!({"case": case, "actions": actions, "error": error, "prints": prints,
               "confirming": confirming,
               "payment_order": payment_order,
               "terms": super::term_rows::shown(&case),
               "editable": case.actions.contains(&ActionKind::Edit),
               "archived": case.archive_no.is_some(),
               "many_applicants": case.applicants.len() > 1, "evidence": evidence}),
    );
    html(status, render::render("pages/cases/show", &data))
}

/// A number typed into an action form: unreadable is an error beside the field, which the
/// service's own message for the (then missing) value does not replace.
fn typed_number<T: std::str::FromStr>(
    form: &HashMap<String, String>,
    name: &str,
    typed: &mut Errors,
) -> Option<T> {
    let value = opt(form, name)?;
    let parsed = value.parse().ok();
    if parsed.is_none() {
        typed.insert(name.to_string(), Code::NotANumber.into());
    }
    parsed
}

pub async fn act(
    ctx: web::Data<Ctx>,
    path: web::Path<(i64, String)>,
    signed: SignedForm,
) -> PageResult {
    let SignedForm { me, form } = signed;
    let (id, name) = path.into_inner();
    let mut unreadable = Errors::new();
    let closing = super::term_rows::from_form(&form, &mut unreadable);
    let mut input = ActionInput {
        reason: opt(&form, "reason"),
        mediator_id: typed_number(&form, "mediator_id", &mut unreadable),
        held_at: opt(&form, "held_at").map(|h| local_to_rfc3339(&ctx, &h)),
        location: opt(&form, "location"),
        attendees: opt(&form, "attendees"),
        notes: opt(&form, "notes"),
        days: typed_number(&form, "days", &mut unreadable),
        amount_agreed: closing.amount_agreed,
        agreement_no: opt(&form, "agreement_no"),
        payment_due: closing.payment_due,
        terms: closing.terms,
        term_id: typed_number(&form, "term_id", &mut unreadable),
        referral: opt(&form, "referral"),
        note: opt(&form, "note"),
        amount: amount(&form, "amount", &mut unreadable),
        paid_at: opt(&form, "paid_at"),
        ..Default::default()
    };
    let caller = &me.caller;
    let result = match name.as_str() {
        "note" => svc::add_note(&ctx, caller, id, opt(&form, "text").unwrap_or_default()).await,
        "confirmation_intent" => {
            let intended = svc::IntentInput {
                intended: form.get("intended").is_some_and(|v| v == "true"),
            };
            svc::intend_confirmation(&ctx, caller, id, intended).await
        }
        "confirmation_apply" => {
            let application = svc::ApplicationInput {
                applied_on: opt(&form, "applied_on").unwrap_or_default(),
                court: opt(&form, "court").unwrap_or_default(),
            };
            svc::apply_confirmation(&ctx, caller, id, application).await
        }
        "confirmation_ruling" => {
            let ruling = svc::RulingInput {
                result: opt(&form, "result").unwrap_or_default(),
                on: opt(&form, "on").unwrap_or_default(),
                number: opt(&form, "number"),
            };
            svc::rule_confirmation(&ctx, caller, id, ruling).await
        }
        "follow_up" => {
            let made = svc::FollowUpInput {
                on: opt(&form, "on"),
                method: opt(&form, "method"),
                satisfaction: opt(&form, "satisfaction"),
                notes: opt(&form, "notes"),
            };
            svc::follow_up(&ctx, caller, id, made).await
        }
        "waive_follow_up" => {
            let reason = opt(&form, "reason");
            svc::waive_follow_up(&ctx, caller, id, svc::WaiveInput { reason }).await
        }
        "archive" => svc::archive(&ctx, caller, id).await,
        "performed" => match typed_number(&form, "term_id", &mut unreadable) {
            Some(term_id) => {
                let done = svc::PerformInput {
                    at: None,
                    note: opt(&form, "note"),
                };
                svc::perform(&ctx, caller, id, term_id, done).await
            }
            None => Err(AppError::not_found("term")),
        },
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
    let mut e = match result {
        Ok(_) => return Ok(see_other(&format!("/cases/{id}"))),
        Err(e) if e.is_not_the_forms() => return Err(me.page.fail(e)),
        Err(e) => e,
    };
    super::term_rows::beside_rows(&mut e, &closing.origins);
    let failed = FailedForm::new(
        format!("/cases/{id}"),
        name,
        form,
        &e,
        unreadable,
        &me.page.lang,
    );
    if let Some(redirect) = flash::keep(&ctx, &me, &failed).await {
        return Ok(redirect);
    }
    // Without the session's flash, the page answers the POST itself.
    let case = svc::get(&ctx, caller, id).await.or_page(&me.page)?;
    Ok(render_case(&ctx, &me, case, Some(failed)).await)
}

/// `POST /cases/archive` from the case list: the ticked cases (`case_<id>` boxes) archived one
/// by one; the page says of each whether it was archived, with its number, or why not.
pub async fn archive_many(ctx: web::Data<Ctx>, signed: SignedForm) -> PageResult {
    let SignedForm { me, form } = signed;
    let mut ids: Vec<i64> = form
        .iter()
        .filter_map(|(k, v)| k.strip_prefix("case_").and(v.trim().parse().ok()))
        .collect();
    ids.sort_unstable();
    let results = svc::archive_many(&ctx, &me.caller, ids)
        .await
        .or_page(&me.page)?;
    let lang = &me.page.lang;
    let items: Vec<Value> = results
        .items
        .iter()
        .map(|i| {
            let why = i.refusal.as_ref().map(|e| match e.problem() {
                Some(p) => crate::i18n::problem(lang, &p),
                None => describe(e, lang),
            });
            json!({"id": i.id, "case_no": i.case_no, "archived": i.archived,
                   "archive_no": i.archive_no, "why": why})
        })
        .collect();
    let data = me.page.data(
        "followup.results",
        json!({"archived": results.archived, "refused": results.refused, "items": items}),
    );
    Ok(html(
        StatusCode::OK,
        render::render("pages/cases/archived", &data),
    ))
}
