//! The one handlebars registry: templates compiled into the binary, helpers in one place
//! (`t` for catalog messages, `tv` for a vocabulary value's label). Handlebars escapes every
//! `{{value}}`; triple-stash is used only for the page body we rendered ourselves.

use crate::i18n;
use handlebars::{
    Context, Handlebars, Helper, HelperResult, Output, RenderContext, RenderErrorReason,
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
        "pages/report",
        include_str!("../../../templates/pages/report.hbs"),
    ),
    (
        "partials/case_table",
        include_str!("../../../templates/partials/case_table.hbs"),
    ),
];

fn lang_of(ctx: &Context) -> String {
    ctx.data()
        .get("lang")
        .and_then(Value::as_str)
        .unwrap_or(i18n::DEFAULT_LANG)
        .to_string()
}

fn t_helper(
    h: &Helper,
    _: &Handlebars,
    ctx: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    let key = h
        .param(0)
        .and_then(|p| p.value().as_str())
        .ok_or(RenderErrorReason::ParamNotFoundForIndex("t", 0))?;
    out.write(&handlebars::html_escape(&i18n::t(&lang_of(ctx), key)))?;
    Ok(())
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

/// `{{time t}}`: an RFC 3339 time (already in the configured zone) as "2026-03-02 09:30".
fn time_helper(
    h: &Helper,
    _: &Handlebars,
    _: &Context,
    _: &mut RenderContext,
    out: &mut dyn Output,
) -> HelperResult {
    if let Some(s) = h.param(0).and_then(|p| p.value().as_str()) {
        let shown = match (s.get(0..10), s.get(11..16)) {
            (Some(date), Some(clock)) if s.as_bytes().get(10) == Some(&b'T') => {
                format!("{date} {clock}")
            }
            _ => s.to_string(),
        };
        out.write(&handlebars::html_escape(&shown))?;
    }
    Ok(())
}

pub fn registry() -> &'static Handlebars<'static> {
    static REGISTRY: OnceLock<Handlebars<'static>> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut hb = Handlebars::new();
        hb.register_helper("t", Box::new(t_helper));
        hb.register_helper("tv", Box::new(tv_helper));
        hb.register_helper("time", Box::new(time_helper));
        for (name, text) in TEMPLATES {
            if let Err(e) = hb.register_template_string(name, *text) {
                tracing::error!(template = name, error = %e, "template does not compile");
            }
        }
        hb
    })
}

/// Renders `name` with `data`; a template error is our bug, logged and shown as a plain line.
pub fn render(name: &str, data: &Value) -> String {
    registry().render(name, data).unwrap_or_else(|e| {
        tracing::error!(template = name, error = %e, "template failed");
        "<!doctype html><title>error</title><p>500</p>".to_string()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_compiles() {
        let mut hb = Handlebars::new();
        for (name, text) in TEMPLATES {
            hb.register_template_string(name, *text)
                .unwrap_or_else(|e| panic!("{name}: {e}"));
        }
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
