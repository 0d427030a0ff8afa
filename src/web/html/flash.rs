//! A refused form kept across the redirect that answers it (post/redirect/get): the handler
//! keeps what was typed and why it was refused in the session's flash, answers 303 to the page,
//! and that page takes it (once) to open the form as the user left it, each error beside its
//! field. Reloading the page then submits nothing.

use super::form::describe;
use super::{see_other, SignedIn};
use crate::error::{AppError, FieldErrors};
use crate::services::{sessions, Ctx};
use actix_web::{HttpResponse, ResponseError};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

#[derive(Serialize, Deserialize)]
pub(super) struct FailedForm {
    /// The page the form is on (`/cases/7`): another page ignores it.
    pub page: String,
    /// Which of the page's forms (`extend`, `defuse`).
    pub form: String,
    pub status: u16,
    pub values: HashMap<String, String>,
    /// Field name → its problem, shown through `{{msg}}` in the page's language.
    pub errors: super::form::Errors,
    /// The refusal not about one of the form's fields, already in the page's language.
    pub refusal: Option<String>,
}

impl FailedForm {
    /// The form `form` on `page`, refused with `error`: its field errors (with `unreadable`,
    /// the values the page itself could not read) beside the fields, any other refusal above.
    pub fn new(
        page: String,
        form: String,
        mut values: HashMap<String, String>,
        error: &AppError,
        unreadable: super::form::Errors,
        lang: &str,
    ) -> FailedForm {
        let (mut errors, refusal) = match error {
            AppError::Validation(fields) => (fields.0.clone().into_iter().collect(), None),
            other => (HashMap::new(), Some(describe(other, lang))),
        };
        errors.extend(unreadable);
        values.remove("csrf");
        FailedForm {
            page,
            form,
            status: error.status_code().as_u16(),
            values,
            errors,
            refusal,
        }
    }

    /// Everything that was refused, in one line in `lang` (for a form the page no longer shows).
    pub fn described(&self, lang: &str) -> String {
        let mut why: Vec<String> = self.refusal.iter().cloned().collect();
        if !self.errors.is_empty() {
            let fields = FieldErrors(self.errors.clone().into_iter().collect());
            why.push(describe(&AppError::Validation(fields), lang));
        }
        why.join("; ")
    }
}

/// Keeps `failed` in the session and answers the redirect to its page; `None` when the session
/// cannot keep it (the caller then answers the POST with the page itself).
pub(super) async fn keep(ctx: &Ctx, me: &SignedIn, failed: &FailedForm) -> Option<HttpResponse> {
    let json = serde_json::to_string(failed).ok()?;
    let cookie = me.page.cookie.clone()?;
    sessions::set_flash(ctx, cookie, Some(json)).await.ok()?;
    Some(see_other(&failed.page))
}

/// The failed form the session kept for `page`, taken (cleared) so that it shows once.
pub(super) async fn take(ctx: &Ctx, me: &SignedIn, page: &str) -> Option<FailedForm> {
    let flash = me.page.session.as_ref()?.flash.as_deref()?;
    let cookie = me.page.cookie.clone()?;
    let failed: Option<FailedForm> = serde_json::from_str(flash).ok();
    // A flash that cannot be cleared would show again: still show the page.
    let _ = sessions::set_flash(ctx, cookie, None).await;
    failed.filter(|f| f.page == page)
}
