//! The unified social credit code (统一社会信用代码, GB 32100-2015) that
//! identifies an employer.
//!
//! Employers are matched across cases by this code, so a mistyped code would
//! split one employer into two. The code carries a check character, which
//! catches almost every single-character typo; this module refuses codes
//! whose check character, character set or administrative division code is
//! wrong, and can append the check character to make valid demo codes.

use crate::domain::problem::{Code, Problem};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// The 31 characters a code may use (no I, O, Z, S, V), in value order.
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1..=17.
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Length of a code.
const LEN: usize = 18;

/// A validated, upper-case unified social credit code.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

/// Why a string is not a unified social credit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CreditCodeError {
    /// Not 18 characters after trimming.
    Length,
    /// Contains a character outside the code's character set.
    Character,
    /// Positions 3-8 are not six digits.
    DivisionCode,
    /// The last character does not match the computed check character.
    CheckCharacter,
}

impl From<&CreditCodeError> for Problem {
    fn from(e: &CreditCodeError) -> Problem {
        match e {
            CreditCodeError::Length => Code::ExactLength.with("length", 18),
            CreditCodeError::Character => Code::CreditCodeCharacters.into(),
            CreditCodeError::DivisionCode => Code::CreditCodeDivision.into(),
            CreditCodeError::CheckCharacter => Code::CreditCodeCheck.into(),
        }
    }
}

crate::domain::problem::problem_display!(CreditCodeError);

/// The value (0..31) of a code character, if it is in the charset.
fn value_of(c: u8) -> Option<u32> {
    CHARSET
        .iter()
        .position(|&x| x == c)
        .and_then(|p| u32::try_from(p).ok())
}

/// The check character for 17 charset characters.
fn check_character(first17: &[u8]) -> Option<u8> {
    if first17.len() != LEN - 1 {
        return None;
    }
    let mut sum: u32 = 0;
    for (&c, &w) in first17.iter().zip(WEIGHTS.iter()) {
        sum += value_of(c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    CHARSET.get(usize::try_from(check).ok()?).copied()
}

/// Checks the charset and division code of the first 17 characters.
fn check_body(first17: &[u8]) -> Result<(), CreditCodeError> {
    if first17.iter().any(|&c| value_of(c).is_none()) {
        return Err(CreditCodeError::Character);
    }
    if !first17
        .get(2..8)
        .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    {
        return Err(CreditCodeError::DivisionCode);
    }
    Ok(())
}

impl CreditCode {
    /// The code as an 18-character upper-case string.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Appends the right check character to 17 characters (trimmed and
    /// upper-cased first). `None` if they are not 17 valid code characters
    /// with digits in positions 3-8.
    pub fn with_check_character(first17: &str) -> Option<CreditCode> {
        let body = first17.trim().to_ascii_uppercase();
        let bytes = body.as_bytes();
        if bytes.len() != LEN - 1 || check_body(bytes).is_err() {
            return None;
        }
        let check = check_character(bytes)?;
        let mut code = body;
        code.push(char::from(check));
        Some(CreditCode(code))
    }
}

impl fmt::Display for CreditCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl FromStr for CreditCode {
    type Err = CreditCodeError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let code = s.trim().to_ascii_uppercase();
        if code.chars().count() != LEN {
            return Err(CreditCodeError::Length);
        }
        if !code.is_ascii() {
            return Err(CreditCodeError::Character);
        }
        let bytes = code.as_bytes();
        let (body, last) = bytes.split_at(LEN - 1);
        check_body(body)?;
        let last = last.first().copied().ok_or(CreditCodeError::Length)?;
        if value_of(last).is_none() {
            return Err(CreditCodeError::Character);
        }
        if check_character(body) != Some(last) {
            return Err(CreditCodeError::CheckCharacter);
        }
        Ok(CreditCode(code))
    }
}

impl TryFrom<String> for CreditCode {
    type Error = CreditCodeError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<CreditCode> for String {
    fn from(value: CreditCode) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(s: &str) -> Result<CreditCode, CreditCodeError> {
        s.parse()
    }

    #[test]
    fn published_real_codes_are_accepted() {
        for code in [
            "91350100M000100Y43",
            "91110000802100433B",
            "91440300708461136T",
        ] {
            assert_eq!(parse(code).map(|c| c.to_string()), Ok(code.to_string()));
        }
    }

    #[test]
    fn input_is_trimmed_and_upper_cased() {
        let code = parse("  91110000802100433b\n");
        assert_eq!(
            code.as_ref().map(CreditCode::as_str),
            Ok("91110000802100433B")
        );
    }

    #[test]
    fn a_wrong_check_character_is_refused() {
        assert_eq!(
            parse("91350100M000100Y44"),
            Err(CreditCodeError::CheckCharacter)
        );
        assert_eq!(
            parse("91110000802100433C"),
            Err(CreditCodeError::CheckCharacter)
        );
    }

    #[test]
    fn a_single_changed_character_is_caught() {
        // Change position 10 of a valid code: the check no longer matches.
        assert_eq!(
            parse("91110000812100433B"),
            Err(CreditCodeError::CheckCharacter)
        );
    }

    #[test]
    fn the_wrong_length_is_refused() {
        assert_eq!(parse(""), Err(CreditCodeError::Length));
        assert_eq!(parse("91110000802100433"), Err(CreditCodeError::Length));
        assert_eq!(parse("91110000802100433BB"), Err(CreditCodeError::Length));
    }

    #[test]
    fn letters_outside_the_charset_are_refused() {
        for bad in [
            "91110000802100433I",
            "91110000O02100433B",
            "9111000080210043SB",
            "91110000802100433*",
            "91110000802100433中",
        ] {
            assert_eq!(parse(bad), Err(CreditCodeError::Character), "{bad}");
        }
    }

    #[test]
    fn a_letter_in_the_division_code_is_refused() {
        assert_eq!(
            parse("911A0000802100433B"),
            Err(CreditCodeError::DivisionCode)
        );
    }

    #[test]
    fn with_check_character_completes_a_known_code() {
        assert_eq!(
            CreditCode::with_check_character("91350100M000100Y4").map(String::from),
            Some("91350100M000100Y43".to_string())
        );
        assert_eq!(CreditCode::with_check_character("91350100M000100Y"), None);
        assert_eq!(CreditCode::with_check_character("9135A100M000100Y4"), None);
        assert_eq!(CreditCode::with_check_character("91350100M000100YI"), None);
    }

    #[test]
    fn json_carries_the_code_as_a_string() {
        let code = parse("91110000802100433B").ok();
        let json = code.as_ref().and_then(|c| serde_json::to_string(c).ok());
        assert_eq!(json.as_deref(), Some("\"91110000802100433B\""));
        let back: Option<CreditCode> = serde_json::from_str("\"91110000802100433b\"").ok();
        assert_eq!(back, code);
        assert!(serde_json::from_str::<CreditCode>("\"91110000802100433C\"").is_err());
    }

    proptest! {
        #[test]
        fn with_check_character_always_parses_back(
            head in "[0-9A-HJ-NP-RTUWXY]{2}",
            division in "[0-9]{6}",
            tail in "[0-9A-HJ-NP-RTUWXY]{9}",
        ) {
            let body = format!("{head}{division}{tail}");
            let code = CreditCode::with_check_character(&body);
            prop_assert!(code.is_some());
            if let Some(code) = code {
                prop_assert!(code.as_str().starts_with(&body));
                prop_assert_eq!(parse(code.as_str()), Ok(code.clone()));
            }
        }
    }
}
