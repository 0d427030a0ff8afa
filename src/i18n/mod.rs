//! Message catalogs: every string a person reads comes from here, in Simplified Chinese (the
//! default) or English. Catalogs are flat TOML tables compiled into the binary; a test checks
//! that both have the same keys. A field error or refusal is a `domain::problem::Problem`, shown
//! as `problem.<code>` with its arguments (`problem`); the English catalog takes those texts
//! from `domain::problem`, where each code's English is written once.

use crate::domain::problem::{Code, Problem};
use std::collections::HashMap;
use std::sync::OnceLock;

pub const DEFAULT_LANG: &str = "zh-CN";
pub const LANGS: [&str; 2] = ["zh-CN", "en"];

const ZH_CN: &str = include_str!("zh-CN.toml");
const EN: &str = include_str!("en.toml");

type Catalog = HashMap<String, String>;

fn parse(text: &str) -> Catalog {
    // The catalogs are our own files, checked by the test below; a broken one is empty rather
    // than a crash, and every lookup then shows its key.
    toml::from_str::<HashMap<String, toml::Value>>(text)
        .map(|table| flatten("", table))
        .unwrap_or_default()
}

fn flatten(prefix: &str, table: HashMap<String, toml::Value>) -> Catalog {
    let mut out = Catalog::new();
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            toml::Value::String(s) => {
                out.insert(key, s);
            }
            toml::Value::Table(t) => out.extend(flatten(&key, t.into_iter().collect())),
            // Catalogs hold only strings and tables; anything else is a mistake the key-set
            // test shows as a missing key.
            _ => {}
        }
    }
    out
}

fn catalogs() -> &'static HashMap<&'static str, Catalog> {
    static CATALOGS: OnceLock<HashMap<&'static str, Catalog>> = OnceLock::new();
    CATALOGS.get_or_init(|| HashMap::from([("zh-CN", parse(ZH_CN)), ("en", english())]))
}

/// The English catalog: `en.toml` and every problem's English text.
fn english() -> Catalog {
    let mut catalog = parse(EN);
    for &code in Code::ALL {
        catalog.insert(problem_key(code), code.english().to_string());
    }
    catalog
}

/// The language to use for a requested one: a supported language, else the default.
pub fn negotiate(requested: Option<&str>) -> &'static str {
    requested
        .and_then(|r| LANGS.iter().find(|l| l.eq_ignore_ascii_case(r)).copied())
        .unwrap_or(DEFAULT_LANG)
}

/// The message for `key` in `lang`; the key itself when missing (visible, never a crash).
pub fn t(lang: &str, key: &str) -> String {
    lookup(lang, key).unwrap_or_else(|| key.to_string())
}

/// The Chinese name of a vocabulary code (`name_zh("category", "other")` is 其他劳动争议), as the
/// report files, the ledger and its import print and read it: the same word the pages show.
pub fn name_zh(vocabulary: &str, code: &str) -> String {
    t(DEFAULT_LANG, &format!("{vocabulary}.{code}"))
}

/// The message for `key` in `lang`, if the catalog has one.
pub fn lookup(lang: &str, key: &str) -> Option<String> {
    catalogs()
        .get(negotiate(Some(lang)))
        .and_then(|c| c.get(key))
        .cloned()
}

/// A problem (a field error, a refusal) in `lang`: the catalog's `problem.<code>` with the
/// problem's arguments filled in. The English catalog's are `domain::problem`'s own texts, the
/// words the JSON API answers, so they are written once.
pub fn problem(lang: &str, problem: &Problem) -> String {
    let mut shown = problem.clone();
    for (name, vocabulary) in &problem.terms {
        if let Some(value) = shown.args.get_mut(name) {
            if let Some(word) = lookup(lang, &format!("{vocabulary}.{value}")) {
                *value = word;
            }
        }
    }
    match lookup(lang, &problem_key(problem.code)) {
        Some(template) => shown.fill(&template),
        None => shown.english(),
    }
}

fn problem_key(code: Code) -> String {
    format!("problem.{}", code.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::problem::placeholders;
    use std::collections::BTreeSet;

    #[test]
    fn every_catalog_has_the_same_keys() {
        let zh: BTreeSet<_> = parse(ZH_CN).into_keys().collect();
        let en: BTreeSet<_> = english().into_keys().collect();
        assert!(zh.len() > 50, "the Chinese catalog did not parse");
        assert_eq!(
            zh.symmetric_difference(&en).collect::<Vec<_>>(),
            Vec::<&String>::new()
        );
    }

    #[test]
    fn an_unknown_language_falls_back_to_chinese() {
        assert_eq!(negotiate(Some("fr")), "zh-CN");
        assert_eq!(t("fr", "nav.cases"), t("zh-CN", "nav.cases"));
        assert_eq!(t("en", "nav.cases"), "Cases");
    }

    #[test]
    fn every_problem_has_a_text_in_every_catalog_with_the_same_arguments() {
        let mut missing = Vec::new();
        for &code in Code::ALL {
            let mut english = placeholders(code.english());
            english.sort();
            for lang in LANGS {
                match lookup(lang, &problem_key(code)) {
                    None => missing.push(format!("{lang}: problem.{}", code.as_str())),
                    Some(text) => {
                        let mut names = placeholders(&text);
                        names.sort();
                        assert_eq!(names, english, "{lang}: problem.{}", code.as_str());
                    }
                }
            }
        }
        assert_eq!(missing, Vec::<String>::new());
        // And the Chinese catalog names no problem that is not a code.
        for key in parse(ZH_CN).keys() {
            if let Some(code) = key.strip_prefix("problem.") {
                assert!(Code::of(code).is_some(), "{key} is no problem code");
            }
        }
    }

    #[test]
    fn a_page_shows_a_problem_in_its_language_with_its_arguments() {
        assert_eq!(problem("zh-CN", &Code::Required.into()), "必填");
        assert_eq!(
            problem("zh-CN", &Code::TooLong.with("max", 100)),
            "不能超过 100 个字符"
        );
        assert_eq!(
            problem("zh-CN", &Code::Between.with("min", 1).with("max", 200)),
            "必须在 1 到 200 之间"
        );
        assert_eq!(
            problem("zh-CN", &Code::OneOf.with("list", "visit, phone")),
            "必须是以下之一：visit, phone"
        );
        assert_eq!(
            problem("en", &Code::TooLong.with("max", 100)),
            "must be at most 100 characters"
        );
        assert_eq!(problem("fr", &Code::Required.into()), "必填");
        // A vocabulary's code is shown as its word; the English keeps the code.
        let under = Code::UnitKindUnder
            .with_term("kind", "unitkind", "street")
            .with_term("parent", "unitkind", "community");
        assert_eq!(problem("zh-CN", &under), "街道不能设在社区之下");
        assert_eq!(under.english(), "a street cannot be under a community");
    }
}
