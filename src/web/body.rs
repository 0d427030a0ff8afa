//! JSON request bodies: `Body<T>` reads one and says, for a body of the wrong shape, which
//! field is wrong and what it should be (`fields`), never serde's sentence with its line and
//! column. Malformed JSON stays the contract's 400 with the parser's position, which is what a
//! client needs to find a stray comma.

use crate::error::{AppError, Code, FieldErrors, Problem};
use actix_web::dev::Payload;
use actix_web::{web, FromRequest, HttpRequest};
use serde::de::DeserializeOwned;
use std::future::Future;
use std::pin::Pin;

/// The largest JSON body a route reads.
pub const LIMIT: usize = 256 * 1024;

/// A JSON body, decoded with `decode`.
pub struct Body<T>(pub T);

impl<T> Body<T> {
    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> std::ops::Deref for Body<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}

impl<T: DeserializeOwned + 'static> FromRequest for Body<T> {
    type Error = AppError;
    type Future = Pin<Box<dyn Future<Output = Result<Body<T>, AppError>>>>;

    fn from_request(req: &HttpRequest, payload: &mut Payload) -> Self::Future {
        let bytes = web::Bytes::from_request(req, payload);
        Box::pin(async move {
            let bytes = bytes
                .await
                .map_err(|e| AppError::BadRequest(format!("the body cannot be read: {e}")))?;
            decode(&bytes).map(Body)
        })
    }
}

/// Decodes a JSON body into `T`.
pub fn decode<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    if bytes.len() > LIMIT {
        return Err(AppError::BadRequest(format!(
            "the body is larger than {} KB",
            LIMIT / 1024
        )));
    }
    let malformed = |e: serde_json::Error| AppError::BadRequest(format!("malformed JSON: {e}"));
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        if !e.inner().is_data() {
            return malformed(e.into_inner());
        }
        let path = e.path().to_string();
        let (field, what) = describe(&path, &without_position(&e.inner().to_string()));
        let mut fields = FieldErrors::default();
        fields.add(&field, what);
        AppError::BadShape(fields)
    })?;
    de.end().map_err(malformed)?;
    Ok(value)
}

/// serde_json's message without its " at line 1 column 20".
fn without_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// The field a data error is about and what the client is told of it.
fn describe(path: &str, message: &str) -> (String, Problem) {
    let within = |name: &str| match path {
        "." | "" => name.to_string(),
        p => format!("{p}.{name}"),
    };
    let here = || match path {
        "." | "" => "body".to_string(),
        p => p.to_string(),
    };
    if let Some(name) = quoted(message, "missing field `") {
        return (within(&name), Code::Required.into());
    }
    if let Some(name) = quoted(message, "unknown field `") {
        let known = listed(message);
        let what = match known.is_empty() {
            true => Code::NotAField.into(),
            false => Code::NotAFieldOf.with("list", known.join(", ")),
        };
        // The path already ends at the unknown field.
        let field = if path.ends_with(&name) {
            here()
        } else {
            within(&name)
        };
        return (field, what);
    }
    if message.starts_with("unknown variant `") {
        return (here(), Code::OneOf.with("list", listed(message).join(", ")));
    }
    let expected = message
        .rsplit_once(", expected ")
        .map(|(_, e)| e)
        .unwrap_or("");
    (here(), expectation(expected).into())
}

/// What serde's "expected ..." means, in a client's words.
fn expectation(expected: &str) -> Code {
    match expected {
        "i64" | "i32" | "i16" | "u64" | "u32" | "u16" | "usize" | "isize" => Code::NotAWholeNumber,
        "f64" | "f32" => Code::NotANumber,
        "a string" | "a borrowed string" | "a character" => Code::NotAString,
        "a boolean" => Code::NotTrueOrFalse,
        "a sequence" => Code::NotAList,
        e if e.starts_with("struct ") || e == "a map" => Code::NotAnObject,
        e if e.starts_with("enum ") => Code::NotAListedValue,
        _ => Code::WrongType,
    }
}

/// The name between `prefix` and the next backtick.
fn quoted(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?;
    rest.split('`').next().map(str::to_string)
}

/// The names serde lists after "expected" (each in backticks: "`a`", "`a` or `b`",
/// "one of `a`, `b`, `c`").
fn listed(message: &str) -> Vec<String> {
    let Some((_, list)) = message.split_once("expected ") else {
        return Vec::new();
    };
    list.split('`')
        .skip(1)
        .step_by(2)
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Input {
        name: String,
        workers: i64,
        kind: Option<Kind>,
        people: Option<Vec<Person>>,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        WageArrears,
        Injury,
    }

    #[derive(Debug, Deserialize)]
    #[allow(dead_code)]
    struct Person {
        name: String,
    }

    fn fields(body: &str) -> (String, Vec<(String, String)>) {
        match decode::<Input>(body.as_bytes()) {
            Err(AppError::BadShape(f)) => (
                "shape".into(),
                f.0.into_iter().map(|(k, p)| (k, p.english())).collect(),
            ),
            Err(AppError::BadRequest(m)) => (m, Vec::new()),
            other => panic!("{body}: {other:?}"),
        }
    }

    fn one(field: &str, what: &str) -> (String, Vec<(String, String)>) {
        ("shape".into(), vec![(field.into(), what.into())])
    }

    #[test]
    fn a_missing_field_is_named_and_required() {
        assert_eq!(fields(r#"{"workers": 3}"#), one("name", "is required"));
        assert_eq!(
            fields(r#"{"name": "a", "workers": 3, "people": [{}]}"#),
            one("people[0].name", "is required")
        );
    }

    #[test]
    fn a_wrong_type_names_the_field_and_the_type_it_wants() {
        assert_eq!(
            fields(r#"{"name": "a", "workers": "twelve"}"#),
            one("workers", "must be a whole number")
        );
        assert_eq!(
            fields(r#"{"name": 5, "workers": 1}"#),
            one("name", "must be a string")
        );
        assert_eq!(
            fields(r#"{"name": "a", "workers": 1, "people": {}}"#),
            one("people", "must be a list")
        );
        assert_eq!(fields(r#""x""#), one("body", "must be an object"));
    }

    #[test]
    fn an_unknown_enum_value_lists_the_values_it_takes() {
        assert_eq!(
            fields(r#"{"name": "a", "workers": 1, "kind": "theft"}"#),
            one("kind", "must be one of: wage_arrears, injury")
        );
        #[derive(Debug, Deserialize)]
        #[allow(dead_code)]
        enum Three {
            A,
            B,
            C,
        }
        match decode::<Three>(br#""D""#) {
            Err(AppError::BadShape(f)) => assert_eq!(f.0["body"], "must be one of: A, B, C"),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn an_unknown_field_is_named_with_the_fields_it_takes() {
        assert_eq!(
            fields(r#"{"name": "a", "workers": 1, "status": "x"}"#),
            one(
                "status",
                "is not a field of this request; it takes: name, workers, kind, people"
            )
        );
    }

    #[test]
    fn malformed_json_keeps_its_position_and_no_field_is_blamed() {
        let (message, f) = fields(r#"{"name": "#);
        assert!(message.starts_with("malformed JSON: "), "{message}");
        assert!(message.contains("line 1"), "{message}");
        assert!(f.is_empty());
        let (message, _) = fields(r#"{"name": "a", "workers": 1} x"#);
        assert!(message.starts_with("malformed JSON: trailing"), "{message}");
    }
}
