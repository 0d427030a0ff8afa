//! "My settings" (`/me/settings`): what a user sets for themselves. Today the daily digest of
//! their cases, which those who mediate (mediators and directors) may opt in to; everyone else
//! sees that it is not for their role.

use super::{html, render, see_other, OrPage, PageResult, SignedForm, SignedIn};
use crate::services::users::{self, MySettings};
use crate::services::Ctx;
use actix_web::http::StatusCode;
use actix_web::web;
use serde_json::json;

pub async fn form(ctx: web::Data<Ctx>, me: SignedIn) -> PageResult {
    let user = users::get(&ctx, &me.caller, me.caller.id)
        .await
        .or_page(&me.page)?;
    let data = me.page.data(
        "settings.title",
        json!({"digest": user.daily_digest, "may_digest": me.caller.role.can_mediate(),
               "stale_days": ctx.settings.config.deadlines.stale_days}),
    );
    Ok(html(
        StatusCode::OK,
        render::render("pages/settings", &data),
    ))
}

pub async fn submit(ctx: web::Data<Ctx>, signed: SignedForm) -> PageResult {
    let SignedForm { me, form } = signed;
    let settings = MySettings {
        daily_digest: form.get("daily_digest").is_some_and(|v| v == "on"),
    };
    users::set_my_settings(&ctx, &me.caller, settings)
        .await
        .or_page(&me.page)?;
    Ok(see_other("/me/settings"))
}
