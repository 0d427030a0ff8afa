//! Message catalogs: every string a person reads comes from here, in Simplified Chinese (the
//! default) or English. Catalogs are flat TOML tables compiled into the binary; a test checks
//! that both have the same keys.

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
    CATALOGS.get_or_init(|| HashMap::from([("zh-CN", parse(ZH_CN)), ("en", parse(EN))]))
}

/// The language to use for a requested one: a supported language, else the default.
pub fn negotiate(requested: Option<&str>) -> &'static str {
    requested
        .and_then(|r| LANGS.iter().find(|l| l.eq_ignore_ascii_case(r)).copied())
        .unwrap_or(DEFAULT_LANG)
}

/// The message for `key` in `lang`; the key itself when missing (visible, never a crash).
pub fn t(lang: &str, key: &str) -> String {
    catalogs()
        .get(negotiate(Some(lang)))
        .and_then(|c| c.get(key))
        .cloned()
        .unwrap_or_else(|| key.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn every_catalog_has_the_same_keys() {
        let zh: BTreeSet<_> = parse(ZH_CN).into_keys().collect();
        let en: BTreeSet<_> = parse(EN).into_keys().collect();
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
}
