//! The 18-character PRC resident identity card number (GB 11643-1999) of a
//! worker or other party.
//!
//! The number identifies a person across cases, so it is validated (check
//! character and birth date) on the way in. It is also personal information:
//! its `Debug` output and [`ResidentId::masked`] show only the first six and
//! last four characters, so it does not end up in logs or on screens that do
//! not need it.

use crate::domain::problem::{Code, Problem};
use std::fmt;
use std::str::FromStr;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// Weights of positions 1..=17.
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];

/// Check character indexed by the weighted sum modulo 11.
const CHECK: &[u8; 11] = b"10X98765432";

/// Length of a number.
const LEN: usize = 18;

/// A validated resident ID number, with an upper-case 'X' check character.
///
/// Deliberately has no `Display`: use [`ResidentId::as_str`] where the full
/// number is needed and [`ResidentId::masked`] everywhere else.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidentId(String);

/// Why a string is not a resident ID number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ResidentIdError {
    /// Not 18 characters after trimming.
    Length,
    /// Not 17 digits followed by a digit or X.
    Character,
    /// Positions 7-14 are not a real date from 1900 on.
    BirthDate,
    /// The check character does not match.
    CheckCharacter,
}

impl From<&ResidentIdError> for Problem {
    fn from(e: &ResidentIdError) -> Problem {
        match e {
            ResidentIdError::Length => Code::ExactLength.with("length", 18),
            ResidentIdError::Character => Code::ResidentIdFormat.into(),
            ResidentIdError::BirthDate => Code::ResidentIdBirthDate.into(),
            ResidentIdError::CheckCharacter => Code::ResidentIdCheck.into(),
        }
    }
}

crate::domain::problem::problem_display!(ResidentIdError);

/// The check character for 17 ASCII digits (unchecked beyond that).
fn check_character(first17: &[u8]) -> Option<u8> {
    if first17.len() != LEN - 1 || !first17.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = first17
        .iter()
        .zip(WEIGHTS.iter())
        .map(|(&c, &w)| u32::from(c - b'0') * w)
        .sum();
    CHECK.get(usize::try_from(sum % 11).ok()?).copied()
}

/// Parses a run of ASCII digits (already checked) as a number.
fn digits(d: &[u8]) -> u32 {
    d.iter()
        .fold(0, |acc, &b| acc * 10 + u32::from(b.wrapping_sub(b'0')))
}

/// Checks that positions 7-14 of 17 digits are a real date from 1900 on.
fn check_birth_date(first17: &[u8]) -> Result<(), ResidentIdError> {
    let date = first17.get(6..14).ok_or(ResidentIdError::Length)?;
    let year = i32::try_from(digits(&date[..4])).map_err(|_| ResidentIdError::BirthDate)?;
    let month = digits(&date[4..6]);
    let day = digits(&date[6..8]);
    if year < 1900 || NaiveDate::from_ymd_opt(year, month, day).is_none() {
        return Err(ResidentIdError::BirthDate);
    }
    Ok(())
}

/// Masks a stored string: first 6 + "********" + last 4 for 10 or more
/// characters; otherwise every character but the last 2 becomes '*'.
fn mask(s: &str) -> String {
    let chars: Vec<char> = s.chars().collect();
    let n = chars.len();
    if n >= 10 {
        let head: String = chars[..6].iter().collect();
        let tail: String = chars[n - 4..].iter().collect();
        format!("{head}********{tail}")
    } else {
        let keep = n.saturating_sub(2);
        let tail: String = chars[keep..].iter().collect();
        format!("{}{tail}", "*".repeat(keep))
    }
}

impl ResidentId {
    /// The full number. Show it only where the full number is needed.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// First 6 + "********" + last 4, e.g. "330203********1234".
    pub fn masked(&self) -> String {
        mask(&self.0)
    }

    /// Masks any stored string the same way; strings shorter than 10
    /// characters have all but their last 2 characters starred.
    pub fn mask_str(s: &str) -> String {
        mask(s)
    }

    /// Appends the right check character to 17 digits (trimmed first).
    /// `None` if they are not 17 digits with a valid birth date.
    pub fn with_check_digit(first17: &str) -> Option<ResidentId> {
        let body = first17.trim();
        let bytes = body.as_bytes();
        let check = check_character(bytes)?;
        check_birth_date(bytes).ok()?;
        let mut id = body.to_string();
        id.push(char::from(check));
        Some(ResidentId(id))
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

impl FromStr for ResidentId {
    type Err = ResidentIdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let id = s.trim().to_ascii_uppercase();
        if id.chars().count() != LEN {
            return Err(ResidentIdError::Length);
        }
        let bytes = id.as_bytes();
        if bytes.len() != LEN {
            return Err(ResidentIdError::Character);
        }
        let (body, last) = bytes.split_at(LEN - 1);
        let last_ok = last
            .first()
            .is_some_and(|&c| c.is_ascii_digit() || c == b'X');
        if !body.iter().all(u8::is_ascii_digit) || !last_ok {
            return Err(ResidentIdError::Character);
        }
        check_birth_date(body)?;
        if check_character(body).as_ref() != last.first() {
            return Err(ResidentIdError::CheckCharacter);
        }
        Ok(ResidentId(id))
    }
}

impl TryFrom<String> for ResidentId {
    type Error = ResidentIdError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<ResidentId> for String {
    fn from(value: ResidentId) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(s: &str) -> Result<ResidentId, ResidentIdError> {
        s.parse()
    }

    #[test]
    fn the_standards_example_number_is_accepted() {
        // The worked example of GB 11643-1999.
        assert!(parse("11010519491231002X").is_ok());
        assert!(parse("330203199001011236").is_ok());
    }

    #[test]
    fn a_lower_case_x_is_upper_cased() {
        assert_eq!(
            parse(" 11010519491231002x ").map(String::from),
            Ok("11010519491231002X".to_string())
        );
    }

    #[test]
    fn a_wrong_check_character_is_refused() {
        assert_eq!(
            parse("110105194912310021"),
            Err(ResidentIdError::CheckCharacter)
        );
        assert_eq!(
            parse("330203199001011234"),
            Err(ResidentIdError::CheckCharacter)
        );
    }

    #[test]
    fn the_wrong_length_is_refused() {
        assert_eq!(parse(""), Err(ResidentIdError::Length));
        assert_eq!(parse("11010519491231002"), Err(ResidentIdError::Length));
        assert_eq!(parse("11010519491231002XX"), Err(ResidentIdError::Length));
    }

    #[test]
    fn letters_in_the_wrong_place_are_refused() {
        assert_eq!(parse("1101051949123100X2"), Err(ResidentIdError::Character));
        assert_eq!(parse("11010519491231002Y"), Err(ResidentIdError::Character));
        assert_eq!(
            parse("１1010519491231002X"),
            Err(ResidentIdError::Character)
        );
    }

    #[test]
    fn a_birth_year_before_1900_is_refused() {
        // Valid check character, but born in 1880.
        assert_eq!(parse("440524188001010014"), Err(ResidentIdError::BirthDate));
    }

    #[test]
    fn an_impossible_birth_date_is_refused() {
        // 1949-02-30, 1949-13-01, 1899-12-31 (check characters made to fit).
        for body in [
            "11010519490230002",
            "11010519491301002",
            "11010518991231002",
        ] {
            let last = check_character(body.as_bytes()).map(char::from);
            let id = format!("{body}{}", last.unwrap_or('0'));
            assert_eq!(parse(&id), Err(ResidentIdError::BirthDate), "{id}");
        }
    }

    #[test]
    fn masked_shows_only_the_first_six_and_last_four() {
        let id = ResidentId::with_check_digit("33020319900101123");
        let masked = id.as_ref().map(ResidentId::masked).unwrap_or_default();
        assert_eq!(masked.len(), 18);
        assert!(masked.starts_with("330203********123"), "{masked}");
        assert_eq!(
            ResidentId::mask_str("330203199001011234"),
            "330203********1234"
        );
    }

    #[test]
    fn short_stored_strings_keep_only_their_last_two_characters() {
        assert_eq!(ResidentId::mask_str("123456789"), "*******89");
        assert_eq!(ResidentId::mask_str("12"), "12");
        assert_eq!(ResidentId::mask_str(""), "");
        assert_eq!(ResidentId::mask_str("1234567890"), "123456********7890");
    }

    #[test]
    fn debug_output_never_contains_the_full_number() {
        let id = parse("11010519491231002X").ok();
        let shown = format!("{id:?}");
        assert!(!shown.contains("11010519491231002X"), "{shown}");
        assert!(shown.contains("ResidentId(110105********002X)"), "{shown}");
    }

    #[test]
    fn json_carries_the_number_as_a_string() {
        let id = parse("11010519491231002X").ok();
        let json = id.as_ref().and_then(|i| serde_json::to_string(i).ok());
        assert_eq!(json.as_deref(), Some("\"11010519491231002X\""));
        let back: Option<ResidentId> = serde_json::from_str("\"11010519491231002x\"").ok();
        assert_eq!(back, id);
        assert!(serde_json::from_str::<ResidentId>("\"110105194912310021\"").is_err());
    }

    #[test]
    fn with_check_digit_refuses_bad_bodies() {
        assert_eq!(ResidentId::with_check_digit("1101051949123100"), None);
        assert_eq!(ResidentId::with_check_digit("1101051949123100A"), None);
        assert_eq!(ResidentId::with_check_digit("11010519491232002"), None);
    }

    proptest! {
        #[test]
        fn with_check_digit_always_parses_back(
            region in "[0-9]{6}",
            date in (1900_i32..=2100, 1_u32..=12, 1_u32..=28),
            seq in "[0-9]{3}",
        ) {
            let (y, m, d) = date;
            let body = format!("{region}{y:04}{m:02}{d:02}{seq}");
            let id = ResidentId::with_check_digit(&body);
            prop_assert!(id.is_some());
            if let Some(id) = id {
                prop_assert!(id.as_str().starts_with(&body));
                prop_assert_eq!(parse(id.as_str()), Ok(id.clone()));
            }
        }
    }
}
