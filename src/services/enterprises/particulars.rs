//! The respondent's particulars on its enterprise record (住所, 法定代表人, a contact phone), as
//! the documents print them: each optional, checked when given, blank clears.

use crate::domain::phone::Phone;
use crate::domain::text::{check_text, NAME_MAX};
use crate::error::FieldErrors;
use serde::Deserialize;

/// The most characters an address takes.
pub const ADDRESS_MAX: usize = 200;

/// The particulars as a client sends them: absent is "not given" (unchanged on a PATCH), blank
/// is "none".
#[derive(Debug, Default, Deserialize)]
pub struct ParticularsInput {
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub legal_representative: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// The particulars, checked: `None` for each not given, `Some(None)` for each given blank.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Particulars {
    pub address: Option<Option<String>>,
    pub legal_representative: Option<Option<String>>,
    pub phone: Option<Option<String>>,
}

fn text(
    errors: &mut FieldErrors,
    field: &str,
    value: Option<&str>,
    max: usize,
) -> Option<Option<String>> {
    let value = value?.trim();
    if value.is_empty() {
        return Some(None);
    }
    errors
        .take(field, check_text(value, max))
        .map(|_| Some(value.to_string()))
}

impl ParticularsInput {
    /// Checks each particular given; its errors go into `errors` under its own name.
    pub fn check(&self, errors: &mut FieldErrors) -> Particulars {
        let phone = match self.phone.as_deref().map(str::trim) {
            None => None,
            Some("") => Some(None),
            Some(p) => errors
                .take("phone", p.parse::<Phone>())
                .map(|p| Some(p.as_str().to_string())),
        };
        Particulars {
            address: text(errors, "address", self.address.as_deref(), ADDRESS_MAX),
            legal_representative: text(
                errors,
                "legal_representative",
                self.legal_representative.as_deref(),
                NAME_MAX,
            ),
            phone,
        }
    }
}
