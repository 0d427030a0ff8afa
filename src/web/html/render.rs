//! The one handlebars registry: templates compiled into the binary, helpers in one place
//! (`t` for catalog messages, `tv` for a vocabulary value's label, `time` and `money` for times
//! and amounts in document style). Handlebars escapes every
//! `{{value}}`; triple-stash is used only for the page body we rendered ourselves.

use crate::domain::problem::Problem;
use crate::i18n;
use handlebars::{
    Context, Handlebars, Helper, HelperDef, HelperResult, Output, RenderContext, RenderErrorReason,
};
use serde_json::Value;
use std::sync::OnceLock;

const TEMPLATES: &[(&str, &str)] = &[
    (
        "layouts/base",
        include_str!("../../../templates/layouts/base.hbs"),
    ),
    (
        "pages/login",
        include_str!("../../../templates/pages/login.hbs"),
    ),
    (
        "pages/desk",
        include_str!("../../../templates/pages/desk.hbs"),
    ),
    (
        "pages/error",
        include_str!("../../../templates/pages/error.hbs"),
    ),
    (
        "pages/cases/list",
        include_str!("../../../templates/pages/cases/list.hbs"),
    ),
    (
        "pages/cases/new",
        include_str!("../../../templates/pages/cases/new.hbs"),
    ),
    (
        "pages/cases/show",
        include_str!("../../../templates/pages/cases/show.hbs"),
    ),
    (
        "pages/settings",
        include_str!("../../../templates/pages/settings.hbs"),
    ),
    (
        "pages/cases/edit",
        include_str!("../../../templates/pages/cases/edit.hbs"),
    ),
    (
        "layouts/print",
        include_str!("../../../templates/layouts/print.hbs"),
    ),
    (
        "pages/cases/print_agreement",
        include_str!("../../../templates/pages/cases/print_agreement.hbs"),
    ),
    (
        "pages/cases/print_acceptance_notice",
        include_str!("../../../templates/pages/cases/print_acceptance_notice.hbs"),
    ),
    (
        "pages/cases/print_rejection_notice",
        include_str!("../../../templates/pages/cases/print_rejection_notice.hbs"),
    ),
    (
        "pages/cases/print_service_receipt",
        include_str!("../../../templates/pages/cases/print_service_receipt.hbs"),
    ),
    (
        "pages/cases/print_file_cover",
        include_str!("../../../templates/pages/cases/print_file_cover.hbs"),
    ),
    (
        "pages/cases/print_arbitration_notice",
        include_str!("../../../templates/pages/cases/print_arbitration_notice.hbs"),
    ),
    (
        "pages/cases/print_session_record",
        include_str!("../../../templates/pages/cases/print_session_record.hbs"),
    ),
    (
        "pages/cases/print_payment_order_notice",
        include_str!("../../../templates/pages/cases/print_payment_order_notice.hbs"),
    ),
    (
        "partials/committee",
        include_str!("../../../templates/partials/committee.hbs"),
    ),
    (
        "partials/respondent",
        include_str!("../../../templates/partials/respondent.hbs"),
    ),
    (
        "pages/warnings/list",
        include_str!("../../../templates/pages/warnings/list.hbs"),
    ),
    (
        "pages/warnings/new",
        include_str!("../../../templates/pages/warnings/new.hbs"),
    ),
    (
        "pages/warnings/show",
        include_str!("../../../templates/pages/warnings/show.hbs"),
    ),
    (
        "partials/warning_table",
        include_str!("../../../templates/partials/warning_table.hbs"),
    ),
    (
        "pages/consultations/list",
        include_str!("../../../templates/pages/consultations/list.hbs"),
    ),
    (
        "pages/consultations/new",
        include_str!("../../../templates/pages/consultations/new.hbs"),
    ),
    (
        "partials/consultation_table",
        include_str!("../../../templates/partials/consultation_table.hbs"),
    ),
    (
        "pages/admin/units",
        include_str!("../../../templates/pages/admin/units.hbs"),
    ),
    (
        "pages/admin/enterprises",
        include_str!("../../../templates/pages/admin/enterprises.hbs"),
    ),
    (
        "pages/admin/users",
        include_str!("../../../templates/pages/admin/users.hbs"),
    ),
    (
        "pages/admin/edit",
        include_str!("../../../templates/pages/admin/edit.hbs"),
    ),
    (
        "pages/admin/notifications",
        include_str!("../../../templates/pages/admin/notifications.hbs"),
    ),
    (
        "partials/form_fields",
        include_str!("../../../templates/partials/form_fields.hbs"),
    ),
    (
        "partials/admin_nav",
        include_str!("../../../templates/partials/admin_nav.hbs"),
    ),
    (
        "pages/report",
        include_str!("../../../templates/pages/report.hbs"),
    ),
    (
        "pages/ledger_import",
        include_str!("../../../templates/pages/ledger_import.hbs"),
    ),
    (
        "pages/ledger",
        include_str!("../../../templates/pages/ledger.hbs"),
    ),
    (
        "partials/enterprise_field",
        include_str!("../../../templates/partials/enterprise_field.hbs"),
    ),
    (
        "pages/cases/archived",
        include_str!("../../../templates/pages/cases/archived.hbs"),
    ),
    (
        "partials/case_table",
        include_str!("../../../templates/partials/case_table.hbs"),
    ),
    (
        "partials/evidence",
        include_str!("../../../templates/partials/evidence.hbs"),
    ),
    (
        "partials/evidence_hint",
        include_str!("../../../templates/partials/evidence_hint.hbs"),
    ),
];

fn lang_of(ctx: &Context) -> String {
    ctx.data()
        .get("lang")
        .and_then(Value::as_str)
        .unwrap_or(i18n::DEFAULT_LANG)
        .to_string()
}

/// Writes `translate(page language, parameter 0)`, escaped; nothing when there is no parameter.
fn write_translated(
    h: &Helper,
    ctx: &Context,
    out: &mut dyn Output,
    translate: fn(&str, &str) -> String,
) -> HelperResult {
    if let Some(text) = h.param(0).and_then(|p| p.value().as_str()) {
        out.write(&handlebars::html_escape(&translate(&lang_of(ctx), text)))?;
    }
    Ok(())
}

/// `{{t "key"}}`: a catalog message in the page's language.
fn t_helper(
    h: &Helper,
    _: &Handlebars,
    ctx: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    if h.param(0).and_then(|p| p.value().as_str()).is_none() {
        return Err(RenderErrorReason::ParamNotFoundForIndex("t", 0).into());
    }
    write_translated(h, ctx, out, i18n::t)
}

fn tv_helper(
    h: &Helper,
    _: &Handlebars,
    ctx: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let group = h.param(0).and_then(|p| p.value().as_str()).unwrap_or("");
    match h.param(1).map(|p| p.value()) {
        Some(Value::String(v)) => {
            let text = i18n::t(&lang_of(ctx), &format!("{group}.{v}"));
            out.write(&handlebars::html_escape(&text))?;
        }
        Some(Value::Null) | None => {}
        Some(other) => out.write(&handlebars::html_escape(&other.to_string()))?,
    }
    Ok(())
}

/// `{{msg m}}`: a problem (a field error, a refusal: `{"code", "args"}`) in the page's
/// language; a text (a refusal the page described already) as it is.
fn msg_helper(
    h: &Helper,
    _: &Handlebars,
    ctx: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let text = match h.param(0).map(|p| p.value()) {
        Some(Value::String(s)) => s.clone(),
        Some(v @ Value::Object(_)) => match serde_json::from_value::<Problem>(v.clone()) {
            Ok(problem) => i18n::problem(&lang_of(ctx), &problem),
            Err(_) => v.to_string(),
        },
        _ => return Ok(()),
    };
    out.write(&handlebars::html_escape(&text))?;
    Ok(())
}

/// `{{paren x}}`: `x` in the page language's brackets, "（3）" in Chinese and " (3)" in English
/// (catalog `text.paren`); nothing for null.
fn paren_helper(
    h: &Helper,
    _: &Handlebars,
    ctx: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    if let Some(inner) = param_text(h) {
        let text = parenthesised(&lang_of(ctx), &inner);
        out.write(&handlebars::html_escape(&text))?;
    }
    Ok(())
}

/// `inner` in `lang`'s brackets: "（3）" in Chinese, " (3)" in English.
pub fn parenthesised(lang: &str, inner: &str) -> String {
    i18n::t(lang, "text.paren").replacen("{}", inner, 1)
}

/// A time as pages show it, in document style: an RFC 3339 time as "2026-12-02 09:18" in the
/// offset it carries (the services print every instant in the configured zone, see
/// `context::rfc3339`); a date stays as it is; anything else is shown unchanged.
pub fn document_time(s: &str) -> String {
    match chrono::DateTime::parse_from_rfc3339(s.trim()) {
        Ok(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        Err(_) => s.to_string(),
    }
}

/// An amount as pages show it: a decimal string of yuan ("86400.00", as the views carry money)
/// with thousands separators, "86,400.00"; anything that is not an amount is shown unchanged.
pub fn document_money(s: &str) -> String {
    let (sign, digits) = match s.trim().strip_prefix('-') {
        Some(rest) => ("-", rest),
        None => ("", s.trim()),
    };
    match digits.parse::<crate::domain::money::Fen>() {
        Ok(fen) => format!("{sign}{}", fen.grouped()),
        Err(_) => s.to_string(),
    }
}

/// Writes `show(parameter 0)` escaped, for a string parameter; a number as it is; nothing for
/// null or no parameter.
fn write_shown(h: &Helper, out: &mut dyn Output, show: fn(&str) -> String) -> HelperResult {
    if let Some(text) = param_text(h) {
        let shown = match h.param(0).map(|p| p.value()) {
            Some(Value::String(_)) => show(&text),
            _ => text,
        };
        out.write(&handlebars::html_escape(&shown))?;
    }
    Ok(())
}

/// Parameter 0 as text: a string as it is, a number (or any other value) as JSON prints it;
/// `None` for null or no parameter.
fn param_text(h: &Helper) -> Option<String> {
    match h.param(0).map(|p| p.value()) {
        Some(Value::String(s)) => Some(s.clone()),
        Some(Value::Null) | None => None,
        Some(other) => Some(other.to_string()),
    }
}

/// A helper that writes `show(parameter 0)`: `{{time t}}` (`document_time`) and `{{money m}}`
/// (`document_money`).
fn shown_helper(show: fn(&str) -> String) -> Box<dyn HelperDef + Send + Sync> {
    Box::new(
        move |h: &Helper,
              _: &Handlebars,
              _: &Context,
              _: &mut RenderContext,
              out: &mut dyn Output|
              -> HelperResult { write_shown(h, out, show) },
    )
}

pub fn registry() -> &'static Handlebars<'static> {
    static REGISTRY: OnceLock<Handlebars<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut hb = Handlebars::new();
        // A field a template names that the page's data lacks is an error, not an empty string:
        // a misspelt field fails the page tests instead of showing nothing.
        hb.set_strict_mode(true);
        hb.register_helper("t", Box::new(t_helper));
        hb.register_helper("tv", Box::new(tv_helper));
        hb.register_helper("time", shown_helper(document_time));
        hb.register_helper("money", shown_helper(document_money));
        hb.register_helper("msg", Box::new(msg_helper));
        hb.register_helper("paren", Box::new(paren_helper));
        for (name, text) in TEMPLATES {
            if let Err(e) = hb.register_template_string(name, *text) {
                tracing::error!(template = name, error = %e, "template does not compile");
            }
        }
        hb
    })
}

/// Renders `name` with `data`; a template error is our bug, logged and shown as a plain line.
/// What a page that failed to render carries, for the tests to notice (the log says why).
pub const RENDER_FAILED: &str = "<meta name=\"tiaojie-render-failed\">";

pub fn render(name: &str, data: &Value) -> String {
    registry().render(name, data).unwrap_or_else(|e| {
        tracing::error!(template = name, error = %e, "template failed");
        // A debug build (the tests) says which field; a release build shows no internals.
        let why = match cfg!(debug_assertions) {
            true => handlebars::html_escape(&format!("{name}: {e}")),
            false => String::new(),
        };
        format!("<!doctype html>{RENDER_FAILED}<title>error</title><p>500</p><!-- {why} -->")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_field_the_data_lacks_fails_the_page_instead_of_showing_nothing() {
        let hb = registry();
        let data = serde_json::json!({"lang": "zh-CN", "name": "王芳"});
        assert_eq!(hb.render_template("{{name}}", &data).unwrap(), "王芳");
        assert!(
            hb.render_template("{{nmae}}", &data).is_err(),
            "a misspelt field"
        );
        // A condition on a field that is absent is still a condition.
        assert_eq!(
            hb.render_template("{{#if note}}x{{/if}}", &data).unwrap(),
            ""
        );
    }

    #[test]
    fn every_template_compiles() {
        let mut hb = Handlebars::new();
        for (name, text) in TEMPLATES {
            hb.register_template_string(name, *text)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
    }

    /// The literal keys templates pass to `t`, and every code of the vocabularies `tv` labels.
    #[test]
    fn every_message_a_template_names_is_in_the_catalogs() {
        use crate::domain::case::CaseStatus;
        use crate::domain::role::Role;
        use crate::domain::vocab::{Category, Channel, Referral, UnitKind};
        use crate::domain::warning::{Level, WarningCategory, WarningStatus};
        use crate::services::ledger_import::Problem;
        let mut keys = Vec::new();
        for (name, text) in TEMPLATES {
            let marker = "{{t \"";
            let mut rest = *text;
            while let Some(at) = rest.find(marker) {
                rest = &rest[at + marker.len()..];
                let key = rest.split('"').next().unwrap_or("");
                keys.push((name.to_string(), key.to_string()));
            }
        }
        let mut codes = |group: &str, list: Vec<&str>| {
            for c in list {
                keys.push(("vocabulary".into(), format!("{group}.{c}")));
            }
        };
        codes(
            "status",
            CaseStatus::ALL.iter().map(|v| v.as_str()).collect(),
        );
        codes(
            "category",
            Category::ALL.iter().map(|v| v.as_str()).collect(),
        );
        codes("channel", Channel::ALL.iter().map(|v| v.as_str()).collect());
        codes(
            "referral",
            Referral::ALL.iter().map(|v| v.as_str()).collect(),
        );
        codes(
            "unitkind",
            UnitKind::ALL.iter().map(|v| v.as_str()).collect(),
        );
        codes("role", Role::ALL.iter().map(|v| v.as_str()).collect());
        codes("level", Level::ALL.iter().map(|v| v.as_str()).collect());
        codes(
            "wcategory",
            WarningCategory::ALL.iter().map(|v| v.as_str()).collect(),
        );
        codes(
            "wstatus",
            WarningStatus::ALL.iter().map(|v| v.as_str()).collect(),
        );
        codes("nstatus", vec!["pending", "sent", "failed"]);
        codes(
            "import.problem",
            Problem::ALL.iter().map(|v| v.code()).collect(),
        );
        assert!(keys.len() > 100);
        for (template, key) in keys {
            for lang in i18n::LANGS {
                assert_ne!(
                    i18n::t(lang, &key),
                    key,
                    "{template}: {key} missing in {lang}"
                );
            }
        }
    }

    #[test]
    fn times_show_in_document_style_and_amounts_with_thousands_separators() {
        assert_eq!(
            document_time("2026-12-02T09:18:27.5+08:00"),
            "2026-12-02 09:18"
        );
        assert_eq!(document_time("2026-12-02"), "2026-12-02");
        assert_eq!(document_money("86400.00"), "86,400.00");
        assert_eq!(document_money("-1234567.8"), "-1,234,567.80");
        assert_eq!(document_money("—"), "—");
    }

    #[test]
    fn values_are_escaped() {
        let html = render(
            "pages/error",
            &serde_json::json!({"lang": "en", "title": "error.title", "message": "<script>alert(1)</script>", "status": 404}),
        );
        assert!(!html.contains("<script>alert(1)"));
        assert!(html.contains("&lt;script&gt;"));
    }
}
