//! Email rendering: handlebars templates compiled into the binary, one subject/text/html triple
//! per kind (`templates/emails/<kind>/`). Strict mode, so a missing variable is an error rather
//! than a silently empty line. HTML is escaped; subject and text are not (they are not HTML).

use handlebars::Handlebars;
use serde::Serialize;
use std::sync::OnceLock;

macro_rules! triple {
    ($kind:literal) => {
        (
            $kind,
            include_str!(concat!("../../templates/emails/", $kind, "/subject.hbs")),
            include_str!(concat!("../../templates/emails/", $kind, "/text.hbs")),
            include_str!(concat!("../../templates/emails/", $kind, "/html.hbs")),
        )
    };
}

/// (kind, subject, text, html).
const TEMPLATES: &[(&str, &str, &str, &str)] = &[
    triple!("case_assigned"),
    triple!("deadline_reminder"),
    triple!("deadline_passed"),
    triple!("warning_red"),
    triple!("warning_overdue"),
    triple!("warning_closed"),
    triple!("monthly_report"),
    triple!("daily_digest"),
    triple!("instalment_overdue"),
    triple!("confirmation_window"),
];

struct Registries {
    plain: Handlebars<'static>,
    html: Handlebars<'static>,
}

fn registries() -> &'static Result<Registries, String> {
    static REGISTRIES: OnceLock<Result<Registries, String>> = OnceLock::new();
    REGISTRIES.get_or_init(|| {
        let mut plain = Handlebars::new();
        plain.set_strict_mode(true);
        plain.register_escape_fn(handlebars::no_escape);
        let mut html = Handlebars::new();
        html.set_strict_mode(true);
        for (kind, subject, text, body) in TEMPLATES {
            plain
                .register_template_string(&format!("{kind}/subject"), subject)
                .map_err(|e| e.to_string())?;
            plain
                .register_template_string(&format!("{kind}/text"), text)
                .map_err(|e| e.to_string())?;
            html.register_template_string(&format!("{kind}/html"), body)
                .map_err(|e| e.to_string())?;
        }
        Ok(Registries { plain, html })
    })
}

/// A rendered email, headers already safe.
#[derive(Debug, Clone)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// Removes CR and LF (and other control characters) from a header value, so no value can add a
/// header of its own.
pub fn header_safe(value: &str) -> String {
    value
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .to_string()
}

pub fn render<T: Serialize>(kind: &str, vars: &T) -> Result<Rendered, String> {
    let r = registries().as_ref().map_err(Clone::clone)?;
    let subject = r
        .plain
        .render(&format!("{kind}/subject"), vars)
        .map_err(|e| e.to_string())?;
    let text = r
        .plain
        .render(&format!("{kind}/text"), vars)
        .map_err(|e| e.to_string())?;
    let html = r
        .html
        .render(&format!("{kind}/html"), vars)
        .map_err(|e| e.to_string())?;
    Ok(Rendered {
        subject: header_safe(&subject),
        text,
        html,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_template_compiles() {
        assert!(registries().is_ok(), "{:?}", registries().as_ref().err());
    }

    #[test]
    fn a_subject_cannot_smuggle_a_header() {
        let r = render(
            "warning_red",
            &json!({"enterprise_name": "A\r\nBcc: x@example.org", "category": "欠薪",
                    "workers": 3, "respond_by": "2026-03-03 09:00", "url": "http://x/warnings/1"}),
        )
        .unwrap();
        assert!(!r.subject.contains('\n') && !r.subject.contains('\r'));
    }

    #[test]
    fn html_bodies_escape_values_and_text_bodies_do_not() {
        let r = render(
            "warning_red",
            &json!({"enterprise_name": "<b>厂</b>", "category": "欠薪", "workers": 3,
                    "respond_by": "2026-03-03 09:00", "url": "http://x/warnings/1"}),
        )
        .unwrap();
        assert!(r.html.contains("&lt;b&gt;"));
        assert!(r.text.contains("<b>厂</b>"));
    }

    /// The words of a template, without its tags and `{{variables}}`.
    fn words(template: &str) -> String {
        let mut out = String::new();
        let mut depth = 0;
        let mut chars = template.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '<' => depth += 1,
                '>' if depth > 0 => depth -= 1,
                '{' if chars.peek() == Some(&'{') => depth += 1,
                '}' if chars.peek() == Some(&'}') && depth > 0 => {
                    chars.next();
                    depth -= 1;
                }
                _ if depth == 0 => out.push(c),
                _ => {}
            }
        }
        out
    }

    #[test]
    fn every_email_greets_with_a_full_width_colon_and_writes_chinese_punctuation() {
        for (kind, subject, text, html) in TEMPLATES {
            assert!(text.starts_with("您好："), "{kind}");
            assert!(html.contains("<p>您好：</p>"), "{kind}");
            for part in [subject, text, html] {
                let words = words(part);
                for ascii in [',', ':', ';', '(', ')'] {
                    assert!(!words.contains(ascii), "{kind}: {ascii:?} in {words}");
                }
            }
        }
    }

    #[test]
    fn a_missing_variable_is_an_error_not_an_empty_line() {
        assert!(render("deadline_reminder", &json!({"case_no": "TJ-2026-00001"})).is_err());
    }
}
