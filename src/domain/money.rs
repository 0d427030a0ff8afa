//! Money as whole fen (1 yuan = 100 fen) in an `i64`.
//!
//! Claimed amounts, agreed settlements and paid sums must add up exactly, so
//! floats are never used: amounts are parsed from decimal strings of yuan,
//! stored as integer fen, and printed back with exactly two decimals. JSON
//! carries them as strings ("45000.50") so no client rounds them through a
//! binary float either.

use crate::domain::problem::{Code, Problem};
use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// Largest number of integer (yuan) digits accepted when parsing: up to 9,999,999,999.99 yuan
/// (almost 100 亿), far beyond any labour dispute, and small enough that the sum of any amount
/// over 3 million cases (the design scale: a district's decade) stays below `i64::MAX` fen
/// (3e6 x 1e12 = 3e18 < 9.2e18), so a report's totals can never overflow and print wrong.
pub const MAX_INTEGER_DIGITS: usize = 10;

/// An amount of money in fen (1 yuan = 100 fen).
///
/// The type itself can hold negative values (for differences computed with
/// [`Fen::checked_sub`]), but parsing only accepts non-negative amounts.
#[derive(
    Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Default, Serialize, Deserialize,
)]
#[serde(try_from = "String", into = "String")]
pub struct Fen(i64);

/// Why a string is not an amount of money.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MoneyError {
    /// The string was empty.
    Empty,
    /// The string is not a plain non-negative decimal with at most two decimals.
    Format,
    /// The amount has too many integer digits or does not fit.
    TooLarge,
    /// Typed into a form: not a number of yuan at all.
    Typed,
    /// Typed into a form in 万 (a slip of one 万 is a factor of 10,000, so it is not guessed).
    TenThousands,
    /// Typed into a form with commas that are not thousands separators.
    Separators,
    /// Typed into a form with fractions of a fen.
    Decimals,
}

impl From<&MoneyError> for Problem {
    fn from(e: &MoneyError) -> Problem {
        match e {
            MoneyError::Empty => Code::MustNotBeEmpty.into(),
            MoneyError::Format => Code::AmountFormat.into(),
            MoneyError::TooLarge => Code::AmountTooLarge.with("digits", MAX_INTEGER_DIGITS),
            MoneyError::Typed => Code::AmountTyped.into(),
            MoneyError::TenThousands => Code::AmountInTenThousands.into(),
            MoneyError::Separators => Code::AmountSeparators.into(),
            MoneyError::Decimals => Code::AmountTooManyDecimals.into(),
        }
    }
}

crate::domain::problem::problem_display!(MoneyError);

impl Fen {
    /// No money.
    pub const ZERO: Fen = Fen(0);

    /// Wraps a number of fen.
    pub const fn from_fen(fen: i64) -> Fen {
        Fen(fen)
    }

    /// The amount in fen.
    pub const fn fen(self) -> i64 {
        self.0
    }

    /// Sum, or `None` on overflow.
    pub fn checked_add(self, other: Fen) -> Option<Fen> {
        self.0.checked_add(other.0).map(Fen)
    }

    /// Difference, or `None` on overflow. The result may be negative.
    pub fn checked_sub(self, other: Fen) -> Option<Fen> {
        self.0.checked_sub(other.0).map(Fen)
    }

    /// The amount in 万元 (units of 10,000 yuan), rounded half up (away from
    /// zero) to two decimals, without trailing zeros: 10,700,000.00 yuan is
    /// "1070", 12,345.00 yuan is "1.23", 15,000.00 yuan is "1.5", 0 is "0".
    pub fn wan_yuan(self) -> String {
        // One hundredth of a 万元 is 100 yuan = 10,000 fen.
        let abs = u128::from(self.0.unsigned_abs());
        let hundredths = (abs + 5_000) / 10_000;
        let whole = hundredths / 100;
        let frac = hundredths % 100;
        let sign = if self.0 < 0 && hundredths != 0 {
            "-"
        } else {
            ""
        };
        if frac == 0 {
            format!("{sign}{whole}")
        } else if frac % 10 == 0 {
            format!("{sign}{whole}.{}", frac / 10)
        } else {
            format!("{sign}{whole}.{frac:02}")
        }
    }
}

impl fmt::Display for Fen {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let abs = self.0.unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        write!(f, "{sign}{}.{:02}", abs / 100, abs % 100)
    }
}

impl Fen {
    /// The amount as pages and prints show it: yuan with a comma between each three digits and
    /// two decimals, 8,640,000 fen being "86,400.00". Integer arithmetic only.
    pub fn grouped(self) -> String {
        let abs = self.0.unsigned_abs();
        let sign = if self.0 < 0 { "-" } else { "" };
        let digits = (abs / 100).to_string();
        let mut whole = String::with_capacity(digits.len() + digits.len() / 3);
        for (i, d) in digits.chars().enumerate() {
            if i > 0 && (digits.len() - i).is_multiple_of(3) {
                whole.push(',');
            }
            whole.push(d);
        }
        format!("{sign}{whole}.{:02}", abs % 100)
    }
}

/// Parses a run of ASCII digits (already checked) into an `i64`.
fn digits_value(digits: &str) -> Result<i64, MoneyError> {
    digits.bytes().try_fold(0_i64, |acc, b| {
        acc.checked_mul(10)
            .and_then(|v| v.checked_add(i64::from(b - b'0')))
            .ok_or(MoneyError::TooLarge)
    })
}

impl FromStr for Fen {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s.is_empty() {
            return Err(MoneyError::Empty);
        }
        let (int_part, frac_part) = match s.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (s, None),
        };
        let all_digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        if !all_digits(int_part) {
            return Err(MoneyError::Format);
        }
        if frac_part.is_some_and(|f| !all_digits(f) || f.len() > 2) {
            return Err(MoneyError::Format);
        }
        if int_part.trim_start_matches('0').len() > MAX_INTEGER_DIGITS || int_part.len() > 18 {
            return Err(MoneyError::TooLarge);
        }
        let yuan = digits_value(int_part)?;
        let cents = match frac_part {
            None => 0,
            Some(frac) => {
                let v = digits_value(frac)?;
                if frac.len() == 1 {
                    v * 10
                } else {
                    v
                }
            }
        };
        yuan.checked_mul(100)
            .and_then(|v| v.checked_add(cents))
            .map(Fen)
            .ok_or(MoneyError::TooLarge)
    }
}

impl Fen {
    /// An amount as a person types it into a form: full-width digits and punctuation
    /// ("８６，４００"), a leading "¥"/"￥", a trailing "元" and thousands separators in their
    /// places ("86,400") are understood; an amount in 万, misplaced commas or fractions of a fen
    /// are refused with a message saying what to write instead. The JSON API takes only the
    /// plain decimal (`FromStr`).
    pub fn from_typed(typed: &str) -> Result<Fen, MoneyError> {
        let text: String = typed
            .trim()
            .chars()
            .map(|c| match c {
                '０'..='９' => {
                    char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')).unwrap_or(c)
                }
                '，' => ',',
                '．' => '.',
                other => other,
            })
            .collect();
        let text = text.trim_matches(|c: char| c.is_whitespace());
        let text = text.strip_prefix(['¥', '￥']).unwrap_or(text).trim_start();
        let text = text.strip_suffix('元').unwrap_or(text).trim_end();
        if text.is_empty() {
            return Err(MoneyError::Empty);
        }
        if text.contains('万') {
            return Err(MoneyError::TenThousands);
        }
        let (int_part, frac_part) = match text.split_once('.') {
            Some((i, f)) => (i, Some(f)),
            None => (text, None),
        };
        let digits = |p: &str| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit());
        let int_digits = if int_part.contains(',') {
            let mut groups = int_part.split(',');
            let first = groups.next().unwrap_or_default();
            let grouped =
                digits(first) && first.len() <= 3 && groups.all(|g| g.len() == 3 && digits(g));
            if !grouped {
                return Err(MoneyError::Separators);
            }
            int_part.replace(',', "")
        } else {
            int_part.to_string()
        };
        match frac_part {
            Some(f) if digits(f) && f.len() > 2 => return Err(MoneyError::Decimals),
            Some(f) if !digits(f) => return Err(MoneyError::Typed),
            _ => {}
        }
        if !digits(&int_digits) {
            return Err(MoneyError::Typed);
        }
        let plain = match frac_part {
            Some(f) => format!("{int_digits}.{f}"),
            None => int_digits,
        };
        plain.parse().map_err(|e| match e {
            MoneyError::Format => MoneyError::Typed,
            other => other,
        })
    }
}

impl TryFrom<String> for Fen {
    type Error = MoneyError;

    fn try_from(value: String) -> Result<Self, Self::Error> {
        value.parse()
    }
}

impl From<Fen> for String {
    fn from(value: Fen) -> Self {
        value.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn parse(s: &str) -> Result<Fen, MoneyError> {
        s.parse()
    }

    #[test]
    fn an_amount_typed_with_separators_full_width_digits_or_yuan_is_understood() {
        let yuan = Ok(Fen::from_fen(8_640_000));
        for typed in [
            "86400",
            "86,400",
            "86400元",
            "86,400 元",
            "¥86,400",
            "￥86400.00",
            "８６，４００",
            "８６４００．００元",
            " 86400 ",
        ] {
            assert_eq!(Fen::from_typed(typed), yuan, "{typed}");
        }
        assert_eq!(
            Fen::from_typed("1,234,567.5"),
            Ok(Fen::from_fen(123_456_750))
        );
    }

    #[test]
    fn an_amount_typed_wrongly_is_refused_with_what_to_write_instead() {
        assert_eq!(Fen::from_typed("8.64万"), Err(MoneyError::TenThousands));
        assert_eq!(Fen::from_typed("8.64万元"), Err(MoneyError::TenThousands));
        assert_eq!(Fen::from_typed("8,64,00"), Err(MoneyError::Separators));
        assert_eq!(Fen::from_typed("86400,"), Err(MoneyError::Separators));
        assert_eq!(Fen::from_typed("1234,567"), Err(MoneyError::Separators));
        assert_eq!(Fen::from_typed("86400.123"), Err(MoneyError::Decimals));
        assert_eq!(Fen::from_typed("四万元"), Err(MoneyError::TenThousands));
        assert_eq!(Fen::from_typed("四千元"), Err(MoneyError::Typed));
        assert_eq!(Fen::from_typed("-5"), Err(MoneyError::Typed));
        assert_eq!(Fen::from_typed("86 400"), Err(MoneyError::Typed));
        assert_eq!(Fen::from_typed("元"), Err(MoneyError::Empty));
        assert!(MoneyError::Typed.to_string().contains("86,400"));
        // The API's plain decimal stays strict.
        assert_eq!(parse("86,400"), Err(MoneyError::Format));
    }

    #[test]
    fn whole_yuan_and_one_or_two_decimals_are_accepted() {
        assert_eq!(parse("45000"), Ok(Fen::from_fen(4_500_000)));
        assert_eq!(parse("45000.5"), Ok(Fen::from_fen(4_500_050)));
        assert_eq!(parse("45000.50"), Ok(Fen::from_fen(4_500_050)));
        assert_eq!(parse("45000.05"), Ok(Fen::from_fen(4_500_005)));
        assert_eq!(parse("0.01"), Ok(Fen::from_fen(1)));
        assert_eq!(parse("0"), Ok(Fen::ZERO));
    }

    #[test]
    fn an_empty_string_is_refused() {
        assert_eq!(parse(""), Err(MoneyError::Empty));
    }

    #[test]
    fn malformed_amounts_are_refused() {
        for bad in [
            "-1", "+1", " 1", "1 ", "1 000", ".5", "5.", "1.234", "1e3", "1E3", "１２", "1,000",
            "1.2.3", ".", "0x10", "1.-5", "1.+5", "٣",
        ] {
            assert_eq!(parse(bad), Err(MoneyError::Format), "{bad:?}");
        }
    }

    #[test]
    fn more_than_fifteen_integer_digits_is_refused() {
        assert!(parse("9999999999.99").is_ok());
        assert_eq!(parse("10000000000"), Err(MoneyError::TooLarge));
        assert_eq!(parse("999999999999999.99"), Err(MoneyError::TooLarge));
        assert_eq!(parse("99999999999999999999999"), Err(MoneyError::TooLarge));
    }

    #[test]
    fn grouped_puts_a_comma_between_each_three_digits_of_yuan() {
        assert_eq!(Fen::from_fen(8_640_000).grouped(), "86,400.00");
        assert_eq!(Fen::from_fen(1_070_000_000).grouped(), "10,700,000.00");
        assert_eq!(Fen::from_fen(99_999).grouped(), "999.99");
        assert_eq!(Fen::from_fen(100_000).grouped(), "1,000.00");
        assert_eq!(Fen::ZERO.grouped(), "0.00");
        assert_eq!(Fen::from_fen(-123_456_789).grouped(), "-1,234,567.89");
        assert_eq!(
            Fen::from_fen(i64::MIN).grouped(),
            "-92,233,720,368,547,758.08"
        );
    }

    #[test]
    fn display_always_shows_two_decimals() {
        assert_eq!(Fen::from_fen(4_500_050).to_string(), "45000.50");
        assert_eq!(Fen::ZERO.to_string(), "0.00");
        assert_eq!(Fen::from_fen(7).to_string(), "0.07");
        assert_eq!(Fen::from_fen(-5).to_string(), "-0.05");
    }

    #[test]
    fn checked_arithmetic_reports_overflow() {
        let a = Fen::from_fen(150);
        assert_eq!(a.checked_add(Fen::from_fen(50)), Some(Fen::from_fen(200)));
        assert_eq!(a.checked_sub(Fen::from_fen(200)), Some(Fen::from_fen(-50)));
        assert_eq!(Fen::from_fen(i64::MAX).checked_add(Fen::from_fen(1)), None);
        assert_eq!(Fen::from_fen(i64::MIN).checked_sub(Fen::from_fen(1)), None);
    }

    #[test]
    fn wan_yuan_drops_trailing_zeros_and_rounds_half_up() {
        assert_eq!(Fen::from_fen(1_070_000_000).wan_yuan(), "1070");
        assert_eq!(Fen::from_fen(1_234_500).wan_yuan(), "1.23");
        assert_eq!(Fen::from_fen(1_500_000).wan_yuan(), "1.5");
        assert_eq!(Fen::ZERO.wan_yuan(), "0");
        // 12,350.00 yuan = 1.235 万元 -> 1.24
        assert_eq!(Fen::from_fen(1_235_000).wan_yuan(), "1.24");
        // 12,349.99 yuan rounds down.
        assert_eq!(Fen::from_fen(1_234_999).wan_yuan(), "1.23");
        // 49.99 yuan is 0.005 万元 short of rounding up.
        assert_eq!(Fen::from_fen(4_999).wan_yuan(), "0");
        assert_eq!(Fen::from_fen(5_000).wan_yuan(), "0.01");
        assert_eq!(Fen::from_fen(-1_500_000).wan_yuan(), "-1.5");
        assert_eq!(Fen::from_fen(-4_999).wan_yuan(), "0");
        assert!(!Fen::from_fen(i64::MAX).wan_yuan().is_empty());
    }

    #[test]
    fn json_carries_amounts_as_strings() {
        let json = serde_json::to_string(&Fen::from_fen(4_500_050)).ok();
        assert_eq!(json.as_deref(), Some("\"45000.50\""));
        let back: Result<Fen, _> = serde_json::from_str("\"45000.5\"");
        assert_eq!(back.ok(), Some(Fen::from_fen(4_500_050)));
    }

    #[test]
    fn json_numbers_and_bad_strings_are_refused() {
        assert!(serde_json::from_str::<Fen>("45000").is_err());
        assert!(serde_json::from_str::<Fen>("\"-1\"").is_err());
        let err = serde_json::from_str::<Fen>("\"1.234\"")
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(err.contains("at most two decimals"), "{err}");
    }

    proptest! {
        #[test]
        fn any_displayed_amount_parses_back_to_itself(x in 0_i64..1_000_000_000_000) {
            let f = Fen::from_fen(x);
            prop_assert_eq!(f.to_string().parse::<Fen>(), Ok(f));
        }

        #[test]
        fn any_parsed_string_redisplays_canonically(s in "[0-9]{1,10}(\\.[0-9]{1,2})?") {
            let parsed = s.parse::<Fen>();
            prop_assert!(parsed.is_ok());
            if let Ok(f) = parsed {
                let shown = f.to_string();
                prop_assert_eq!(shown.parse::<Fen>(), Ok(f));
                let again = shown.parse::<Fen>().map(|g| g.to_string());
                prop_assert_eq!(again, Ok(shown));
            }
        }

        #[test]
        fn arbitrary_strings_either_fail_or_round_trip(s in "\\PC{0,20}") {
            if let Ok(f) = s.parse::<Fen>() {
                prop_assert!(f.fen() >= 0);
                prop_assert_eq!(f.to_string().parse::<Fen>(), Ok(f));
            }
        }
    }
}
