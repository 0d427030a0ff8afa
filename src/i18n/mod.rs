//! Message catalogs: every string a person reads comes from here, in Simplified Chinese (the
//! default) or English. Catalogs are flat TOML tables compiled into the binary; a test checks
//! that both have the same keys.

use std::collections::HashMap;
use std::sync::OnceLock;

pub const DEFAULT_LANG: &str = "zh-CN";
pub const LANGS: [&str; 2] = ["zh-CN", "en"];

const ZH_CN: &str = include_str!("zh-CN.toml");
const ZH_CN_MESSAGES: &str = include_str!("messages.zh-CN.toml");
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

fn messages() -> &'static Catalog {
    static MESSAGES: OnceLock<Catalog> = OnceLock::new();
    MESSAGES.get_or_init(|| parse(ZH_CN_MESSAGES))
}

/// `text` with every run of ASCII digits replaced by `{n}`, and the runs in order.
fn numbers_out(text: &str) -> (String, Vec<&str>) {
    let mut shape = String::with_capacity(text.len());
    let mut numbers = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find(|c: char| c.is_ascii_digit()) {
        shape.push_str(&rest[..start]);
        let len = rest[start..]
            .find(|c: char| !c.is_ascii_digit())
            .unwrap_or(rest.len() - start);
        numbers.push(&rest[start..start + len]);
        shape.push_str("{n}");
        rest = &rest[start + len..];
    }
    shape.push_str(rest);
    (shape, numbers)
}

/// `template` with its `{n}`s replaced by `numbers`, in order.
fn numbers_in(template: &str, numbers: &[&str]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut pieces = template.split("{n}");
    out.push_str(pieces.next().unwrap_or_default());
    for (i, piece) in pieces.enumerate() {
        out.push_str(numbers.get(i).copied().unwrap_or("?"));
        out.push_str(piece);
    }
    out
}

/// A service's message (in English, as the JSON API answers it) as a page in `lang` shows it:
/// the Chinese pages take it from `messages.zh-CN.toml`, numbers and lists carried over; a
/// message not listed there stays as it is.
pub fn message(lang: &str, text: &str) -> String {
    if negotiate(Some(lang)) != "zh-CN" {
        return text.to_string();
    }
    let table = messages();
    if let Some(m) = table.get(text) {
        return m.clone();
    }
    let (shape, numbers) = numbers_out(text);
    if let Some(m) = table.get(&shape) {
        return numbers_in(m, &numbers);
    }
    if let Some((head, list)) = text.split_once(": ") {
        if let Some(m) = table.get(&format!("{head}: {{list}}")) {
            return m.replace("{list}", list);
        }
    }
    text.to_string()
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

    #[test]
    fn chinese_pages_show_a_services_message_in_chinese_with_its_numbers_and_lists() {
        assert_eq!(message("zh-CN", "is required"), "必填");
        assert_eq!(
            message("zh-CN", "must be at most 100 characters"),
            "不能超过 100 个字符"
        );
        assert_eq!(
            message("zh-CN", "must be between 1 and 200"),
            "必须在 1 到 200 之间"
        );
        assert_eq!(
            message("zh-CN", "must be one of: visit, phone"),
            "必须是以下之一：visit, phone"
        );
        assert_eq!(
            message(
                "zh-CN",
                "must be an RFC 3339 time with offset, like 2026-03-02T09:30:00+08:00"
            ),
            "必须是带时区的时间（RFC 3339），如 2026-03-02T09:30:00+08:00"
        );
    }

    #[test]
    fn english_pages_and_unlisted_messages_keep_the_services_words() {
        assert_eq!(message("en", "is required"), "is required");
        assert_eq!(message("zh-CN", "something new 42"), "something new 42");
    }

    #[test]
    fn every_translated_message_keeps_its_numbers_and_list() {
        let table = parse(ZH_CN_MESSAGES);
        assert!(table.len() > 50, "the message table did not parse");
        for (english, chinese) in &table {
            assert_eq!(
                english.matches("{n}").count(),
                chinese.matches("{n}").count(),
                "{english}"
            );
            assert_eq!(
                english.contains("{list}"),
                chinese.contains("{list}"),
                "{english}"
            );
        }
    }
}
