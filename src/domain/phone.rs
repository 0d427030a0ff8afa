//! Contact telephone numbers of parties: a mainland mobile number or a
//! landline.
//!
//! Numbers arrive typed in many ways ("+86 138-0013-8000", "0574 87654321"),
//! so they are normalized on the way in ("13800138000", "0574-87654321") to
//! make them comparable and callable. A phone number is personal
//! information: `Debug` and [`Phone::masked`] show only part of it, so it
//! does not end up in logs.

use crate::domain::problem::{Code, Problem};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A normalized phone number: 11 mobile digits, "0AAA-NNNNNNNN" for a
/// landline with an area code, or 7-8 local digits.
///
/// Deliberately has no `Display`: use [`Phone::as_str`] where the full
/// number is needed and [`Phone::masked`] everywhere else.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Phone(String);

/// Why a string is not a phone number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PhoneError {
    /// Nothing but whitespace.
    Empty,
    /// Neither a mobile nor a landline number.
    Format,
}

impl From<&PhoneError> for Problem {
    fn from(e: &PhoneError) -> Problem {
        match e {
            PhoneError::Empty => Code::MustNotBeEmpty.into(),
            PhoneError::Format => Code::PhoneFormat.into(),
        }
    }
}

crate::domain::problem::problem_display!(PhoneError);

fn all_digits(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit())
}

/// 11 digits, starting with 1, second digit 3-9.
fn is_mobile(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 11 && all_digits(s) && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])
}

/// An area code: '0' then 2 or 3 digits.
fn is_area_code(s: &str) -> bool {
    all_digits(s) && s.starts_with('0') && (3..=4).contains(&s.len())
}

/// A local number: 7 or 8 digits, not starting with 0 or 1 (those lead
/// area codes, mobiles and service numbers).
fn is_local_number(s: &str) -> bool {
    all_digits(s) && (7..=8).contains(&s.len()) && !s.starts_with(['0', '1'])
}

/// Normalizes a landline (spaces already removed).
fn landline(s: &str) -> Option<String> {
    if !s.is_ascii() {
        return None;
    }
    if let Some((area, local)) = s.split_once('-') {
        return (is_area_code(area) && is_local_number(local)).then(|| format!("{area}-{local}"));
    }
    if !s.starts_with('0') {
        return is_local_number(s).then(|| s.to_string());
    }
    // Without a separator: area codes starting 01/02 (Beijing, Shanghai,
    // Guangzhou, ...) have 3 characters, all others 4.
    let area_len = if s.starts_with("01") || s.starts_with("02") {
        3
    } else {
        4
    };
    let (area, local) = s.split_at(area_len.min(s.len()));
    (is_area_code(area) && is_local_number(local)).then(|| format!("{area}-{local}"))
}

/// Masks a normalized number; other strings keep at most their last 4
/// characters (and fewer than half of them when shorter than 7).
fn mask(s: &str) -> String {
    if is_mobile(s) {
        return format!("{}****{}", &s[..3], &s[7..]);
    }
    let (prefix, rest) = match s.split_once('-') {
        Some((area, local)) if is_area_code(area) => (format!("{area}-"), local),
        _ => (String::new(), s),
    };
    let chars: Vec<char> = rest.chars().collect();
    let keep = if chars.len() >= 7 { 4 } else { chars.len() / 2 };
    let hidden = chars.len() - keep;
    let tail: String = chars[hidden..].iter().collect();
    format!("{prefix}{}{tail}", "*".repeat(hidden))
}

impl Phone {
    /// The normalized number.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Whether this is a mobile number.
    pub fn is_mobile(&self) -> bool {
        is_mobile(&self.0)
    }

    /// A mobile as first 3 + "****" + last 4 ("138****8000"); a landline
    /// keeps its area code and last 4 digits ("0574-****4321").
    pub fn masked(&self) -> String {
        mask(&self.0)
    }

    /// Masks a stored string the same way; strings that are not normalized
    /// numbers keep at most their last 4 characters.
    pub fn mask_str(s: &str) -> String {
        match s.parse::<Phone>() {
            Ok(p) => p.masked(),
            Err(_) => mask(s),
        }
    }
}

impl fmt::Debug for Phone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Phone({})", self.masked())
    }
}

impl FromStr for Phone {
    type Err = PhoneError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let trimmed = s.trim();
        if trimmed.is_empty() {
            return Err(PhoneError::Empty);
        }
        let compact: String = trimmed.chars().filter(|&c| c != ' ' && c != '-').collect();
        let national = if let Some(rest) = compact.strip_prefix("+86") {
            rest
        } else if compact.len() == 13 {
            compact.strip_prefix("86").unwrap_or(&compact)
        } else {
            &compact
        };
        if is_mobile(national) {
            return Ok(Phone(national.to_string()));
        }
        if compact.starts_with('+') {
            return Err(PhoneError::Format);
        }
        let no_spaces: String = trimmed.chars().filter(|&c| c != ' ').collect();
        landline(&no_spaces).map(Phone).ok_or(PhoneError::Format)
    }
}

impl TryFrom<String> for Phone {
    type Error = PhoneError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Phone> for String {
    fn from(value: Phone) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn normalized(s: &str) -> Result<String, PhoneError> {
        s.parse::<Phone>().map(String::from)
    }

    #[test]
    fn mobiles_are_normalized_to_eleven_digits() {
        for input in [
            "13800138000",
            "+8613800138000",
            "8613800138000",
            "+86 138 0013 8000",
            "138-0013-8000",
            " 138 0013 8000 ",
        ] {
            assert_eq!(normalized(input), Ok("13800138000".to_string()), "{input}");
        }
        assert_eq!(normalized("19912345678"), Ok("19912345678".to_string()));
    }

    #[test]
    fn a_mobile_with_a_bad_second_digit_is_refused() {
        assert_eq!(normalized("12800138000"), Err(PhoneError::Format));
        assert_eq!(normalized("10800138000"), Err(PhoneError::Format));
    }

    #[test]
    fn wrong_length_mobiles_are_refused() {
        assert_eq!(normalized("1380013800"), Err(PhoneError::Format));
        assert_eq!(normalized("138001380001"), Err(PhoneError::Format));
        assert_eq!(normalized("+861380013800"), Err(PhoneError::Format));
        assert_eq!(normalized("+8713800138000"), Err(PhoneError::Format));
    }

    #[test]
    fn landlines_keep_their_area_code_behind_a_dash() {
        assert_eq!(normalized("0574-87654321"), Ok("0574-87654321".to_string()));
        assert_eq!(normalized("0574 87654321"), Ok("0574-87654321".to_string()));
        assert_eq!(normalized("057487654321"), Ok("0574-87654321".to_string()));
        assert_eq!(normalized("010-62345678"), Ok("010-62345678".to_string()));
        assert_eq!(normalized("01062345678"), Ok("010-62345678".to_string()));
        assert_eq!(normalized("0574-8765432"), Ok("0574-8765432".to_string()));
        assert_eq!(normalized("87654321"), Ok("87654321".to_string()));
        assert_eq!(normalized("8765432"), Ok("8765432".to_string()));
    }

    #[test]
    fn malformed_landlines_are_refused() {
        for bad in [
            "0574-876543",
            "0574-876543210",
            "05-87654321",
            "05741-87654321",
            "574-87654321",
            "0574--87654321",
            "0574-8765-4321",
            "123456",
            "07654321",
            "0574-07654321",
            "0574-8765432a",
            "010-12345678",
            "0𑜀",
            "0574８7654321",
        ] {
            assert_eq!(normalized(bad), Err(PhoneError::Format), "{bad}");
        }
    }

    #[test]
    fn blank_input_is_refused_as_empty() {
        assert_eq!(normalized(""), Err(PhoneError::Empty));
        assert_eq!(normalized("   "), Err(PhoneError::Empty));
    }

    #[test]
    fn masked_mobiles_show_the_first_three_and_last_four_digits() {
        let p = "13800138000".parse::<Phone>();
        assert_eq!(p.map(|p| p.masked()), Ok("138****8000".to_string()));
    }

    #[test]
    fn masked_landlines_keep_the_area_code_and_last_four_digits() {
        let masked = |s: &str| s.parse::<Phone>().map(|p| p.masked());
        assert_eq!(masked("0574-87654321"), Ok("0574-****4321".to_string()));
        assert_eq!(masked("010-6234567"), Ok("010-***4567".to_string()));
        assert_eq!(masked("87654321"), Ok("****4321".to_string()));
    }

    #[test]
    fn mask_str_masks_stored_strings_even_when_malformed() {
        assert_eq!(Phone::mask_str("13800138000"), "138****8000");
        assert_eq!(Phone::mask_str("0574-87654321"), "0574-****4321");
        assert_eq!(Phone::mask_str("12345"), "***45");
        assert_eq!(Phone::mask_str("1"), "*");
        assert_eq!(Phone::mask_str(""), "");
        assert_eq!(Phone::mask_str("电话号码"), "**号码");
    }

    #[test]
    fn debug_output_never_contains_the_full_number() {
        let p = "13800138000".parse::<Phone>().ok();
        let shown = format!("{p:?}");
        assert!(!shown.contains("13800138000"), "{shown}");
        assert!(shown.contains("Phone(138****8000)"), "{shown}");
    }

    #[test]
    fn json_carries_the_normalized_number() {
        let p: Option<Phone> = serde_json::from_str("\"+86 138-0013-8000\"").ok();
        let json = p.as_ref().and_then(|p| serde_json::to_string(p).ok());
        assert_eq!(json.as_deref(), Some("\"13800138000\""));
        assert!(serde_json::from_str::<Phone>("\"12345\"").is_err());
    }

    proptest! {
        #[test]
        fn any_valid_mobile_parses_and_is_stable(m in "1[3-9][0-9]{9}") {
            let p = m.parse::<Phone>();
            prop_assert_eq!(p.as_ref().map(Phone::as_str), Ok(m.as_str()));
            if let Ok(p) = p {
                prop_assert!(p.is_mobile());
                let masked = p.masked();
                prop_assert_eq!(&masked[..3], &m[..3]);
                prop_assert_eq!(&masked[7..], &m[7..]);
            }
        }

        #[test]
        fn phone_like_strings_never_panic_and_parse_back(s in "[0-9+ -]{0,16}") {
            if let Ok(p) = s.parse::<Phone>() {
                prop_assert_eq!(p.as_str().parse::<Phone>(), Ok(p.clone()));
            }
            let _ = Phone::mask_str(&s);
        }

        #[test]
        fn normalized_numbers_parse_back_to_themselves(s in "\\PC{0,16}") {
            if let Ok(p) = s.parse::<Phone>() {
                prop_assert_eq!(p.as_str().parse::<Phone>(), Ok(p.clone()));
            }
        }
    }
}
