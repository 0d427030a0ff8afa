//! Checks for free text sent by clients (names, case descriptions, notes).
//!
//! Text is stored and later shown in pages, exported documents and logs, so
//! control characters (NUL, escape sequences, stray carriage returns) are
//! refused at the boundary, and lengths are capped in characters, not bytes,
//! so a limit means the same for Chinese and Latin text.
//!
//! Invisible characters are refused too: Unicode's format characters (the zero-width space and
//! joiners, the byte-order mark, the direction overrides that make "exe.txt" of "txt.exe") and
//! its line and paragraph separators. A name made only of them, or of blank letters, would look
//! empty on every page and in every export, and a name with them would not be found by search.

use crate::domain::problem::{Code, Problem};

/// Longest name (of a person, employer or case title), in characters.
pub const NAME_MAX: usize = 100;

/// Longest free text (descriptions, notes), in characters.
pub const LONG_TEXT_MAX: usize = 10_000;

/// Why a piece of text was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextError {
    /// Empty or only whitespace where text is required.
    Empty,
    /// Contains a control character other than a newline or tab.
    ControlCharacter,
    /// Contains an invisible format or separator character (U+200B, U+202E, U+FEFF, U+2028...).
    InvisibleCharacter,
    /// Has nothing a reader could see.
    NothingVisible,
    /// Longer than allowed.
    TooLong {
        /// The limit, in characters.
        max: usize,
    },
}

impl From<&TextError> for Problem {
    fn from(e: &TextError) -> Problem {
        match e {
            TextError::Empty => Code::MustNotBeEmpty.into(),
            TextError::ControlCharacter => Code::ControlCharacters.into(),
            TextError::InvisibleCharacter => Code::InvisibleCharacters.into(),
            TextError::NothingVisible => Code::NothingVisible.into(),
            TextError::TooLong { max } => Code::TooLong.with("max", max),
        }
    }
}

crate::domain::problem::problem_display!(TextError);

/// Unicode's format characters (general category Cf) and its line and paragraph separators
/// (Zl, Zp), as of Unicode 15.
pub fn is_invisible(c: char) -> bool {
    matches!(c,
        '\u{AD}' | '\u{600}'..='\u{605}' | '\u{61C}' | '\u{6DD}' | '\u{70F}'
        | '\u{890}'..='\u{891}' | '\u{8E2}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
        | '\u{2028}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}'
        | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{110BD}' | '\u{110CD}'
        | '\u{13430}'..='\u{1343F}' | '\u{1BCA0}'..='\u{1BCA3}' | '\u{1D173}'..='\u{1D17A}'
        | '\u{E0001}' | '\u{E0020}'..='\u{E007F}')
}

/// Letters that draw nothing (Hangul fillers, the blank Braille pattern): allowed inside text,
/// but not all a name has.
fn is_blank_letter(c: char) -> bool {
    matches!(
        c,
        '\u{115F}' | '\u{1160}' | '\u{2800}' | '\u{3164}' | '\u{FFA0}'
    )
}

/// Accepts `value` if it has at most `max_chars` characters, no control characters other than
/// '\n', '\t', and '\r' directly before '\n' (CRLF), and no invisible characters.
pub fn check_text(value: &str, max_chars: usize) -> Result<(), TextError> {
    let mut chars = value.chars().peekable();
    let mut count: usize = 0;
    while let Some(c) = chars.next() {
        count += 1;
        let allowed = match c {
            '\n' | '\t' => true,
            '\r' => chars.peek() == Some(&'\n'),
            _ => !c.is_control(),
        };
        if !allowed {
            return Err(TextError::ControlCharacter);
        }
        if is_invisible(c) {
            return Err(TextError::InvisibleCharacter);
        }
    }
    if count > max_chars {
        return Err(TextError::TooLong { max: max_chars });
    }
    Ok(())
}

/// Trims `value`, refuses it if nothing is left, checks it like
/// [`check_text`] and returns the trimmed text.
pub fn check_required_text(value: &str, max_chars: usize) -> Result<String, TextError> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(TextError::Empty);
    }
    check_text(trimmed, max_chars)?;
    if trimmed
        .chars()
        .all(|c| c.is_whitespace() || is_blank_letter(c))
    {
        return Err(TextError::NothingVisible);
    }
    Ok(trimmed.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn ordinary_chinese_and_latin_text_is_accepted() {
        assert_eq!(check_text("张三 v. 某某科技有限公司", NAME_MAX), Ok(()));
        assert_eq!(check_text("", NAME_MAX), Ok(()));
    }

    #[test]
    fn newlines_tabs_and_crlf_are_accepted() {
        assert_eq!(check_text("第一行\n第二行\tend", LONG_TEXT_MAX), Ok(()));
        assert_eq!(
            check_text("line one\r\nline two\r\n", LONG_TEXT_MAX),
            Ok(())
        );
    }

    #[test]
    fn a_lone_carriage_return_is_refused() {
        assert_eq!(
            check_text("line one\rline two", LONG_TEXT_MAX),
            Err(TextError::ControlCharacter)
        );
        assert_eq!(
            check_text("ends with\r", LONG_TEXT_MAX),
            Err(TextError::ControlCharacter)
        );
        assert_eq!(
            check_text("\r\r\n", LONG_TEXT_MAX),
            Err(TextError::ControlCharacter)
        );
    }

    #[test]
    fn nul_escape_and_other_control_characters_are_refused() {
        for bad in [
            "a\0b",
            "\u{1b}[31mred",
            "bell\u{7}",
            "del\u{7f}",
            "c1\u{85}",
        ] {
            assert_eq!(
                check_text(bad, LONG_TEXT_MAX),
                Err(TextError::ControlCharacter),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn format_and_separator_characters_are_refused_anywhere() {
        for bad in [
            "王\u{202E}芳",
            "\u{200B}",
            "\u{FEFF}王芳",
            "第一行\u{2028}第二行",
            "段\u{2029}落",
            "a\u{2066}b",
            "tag\u{E0041}",
        ] {
            assert_eq!(
                check_text(bad, LONG_TEXT_MAX),
                Err(TextError::InvisibleCharacter),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn a_required_name_must_have_something_to_see() {
        assert_eq!(
            check_required_text("\u{3164}\u{3000}\u{2800}", NAME_MAX),
            Err(TextError::NothingVisible)
        );
        assert_eq!(
            check_required_text("\u{200B}", NAME_MAX),
            Err(TextError::InvisibleCharacter)
        );
        assert_eq!(
            check_required_text("\u{3000}王芳 ", NAME_MAX),
            Ok("王芳".to_string())
        );
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        let hundred_han = "劳".repeat(100);
        assert_eq!(hundred_han.len(), 300);
        assert_eq!(check_text(&hundred_han, NAME_MAX), Ok(()));
        let too_long = "劳".repeat(101);
        assert_eq!(
            check_text(&too_long, NAME_MAX),
            Err(TextError::TooLong { max: 100 })
        );
    }

    #[test]
    fn error_messages_read_as_sentences() {
        assert_eq!(TextError::Empty.to_string(), "must not be empty");
        assert_eq!(
            TextError::ControlCharacter.to_string(),
            "must not contain control characters"
        );
        assert_eq!(
            TextError::TooLong { max: 100 }.to_string(),
            "must be at most 100 characters"
        );
    }

    #[test]
    fn required_text_is_trimmed() {
        assert_eq!(
            check_required_text("  张三\n", NAME_MAX),
            Ok("张三".to_string())
        );
    }

    #[test]
    fn required_text_that_is_blank_is_refused() {
        assert_eq!(check_required_text("", NAME_MAX), Err(TextError::Empty));
        assert_eq!(
            check_required_text(" \t\r\n\u{3000}", NAME_MAX),
            Err(TextError::Empty)
        );
    }

    #[test]
    fn required_text_is_measured_after_trimming() {
        let padded = format!("   {}   ", "a".repeat(100));
        assert_eq!(
            check_required_text(&padded, NAME_MAX).map(|s| s.len()),
            Ok(100)
        );
        assert_eq!(
            check_required_text("a\0b", NAME_MAX),
            Err(TextError::ControlCharacter)
        );
    }

    proptest! {
        #[test]
        fn text_without_control_characters_within_the_limit_is_accepted(
            s in "[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]{0,50}",
        ) {
            prop_assert_eq!(check_text(&s, 50), Ok(()));
        }

        #[test]
        fn any_other_control_character_is_refused(
            before in "[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]{0,10}",
            c in "[\\p{Cc}&&[^\\n\\t\\r]]",
            after in "[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]{0,10}",
        ) {
            let s = format!("{before}{c}{after}");
            prop_assert_eq!(check_text(&s, LONG_TEXT_MAX), Err(TextError::ControlCharacter));
        }

        #[test]
        fn every_format_and_separator_character_is_refused(
            before in "[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]{0,10}",
            c in "[\\p{Cf}\\p{Zl}\\p{Zp}]",
            after in "[^\\p{Cc}\\p{Cf}\\p{Zl}\\p{Zp}]{0,10}",
        ) {
            let s = format!("{before}{c}{after}");
            prop_assert_eq!(check_text(&s, LONG_TEXT_MAX), Err(TextError::InvisibleCharacter));
        }
    }
}
