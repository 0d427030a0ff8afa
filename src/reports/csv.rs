//! CSV: UTF-8 with a BOM (so Excel and WPS open it as Chinese), CRLF lines, the report's title,
//! then each sheet under its title, separated by an empty line.

use super::{sheets, title};
use crate::services::stats::Report;

pub const CONTENT_TYPE: &str = "text/csv; charset=utf-8";

/// Quotes a field when it holds a comma, quote or line break (RFC 4180).
fn field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

pub(crate) fn line(out: &mut String, cells: impl IntoIterator<Item = String>) {
    let cells: Vec<String> = cells.into_iter().map(|c| field(&c)).collect();
    out.push_str(&cells.join(","));
    out.push_str("\r\n");
}

pub fn render(report: &Report) -> String {
    let mut out = String::from("\u{FEFF}");
    line(&mut out, [title(report)]);
    for sheet in sheets(report, true) {
        out.push_str("\r\n");
        line(&mut out, [sheet.title.clone()]);
        line(&mut out, sheet.header.iter().map(|h| h.to_string()));
        for row in &sheet.rows {
            line(&mut out, row.iter().map(|c| c.plain()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::field;

    #[test]
    fn fields_with_commas_or_quotes_are_quoted() {
        assert_eq!(field("恒达"), "恒达");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\""), "\"say \"\"hi\"\"\"");
    }
}
