//! Plain text for the terminal: each sheet as an aligned table (CJK characters count two columns),
//! and a yearly report's summary sentence at the end.

use super::{sheets, title, Cell};
use crate::services::stats::Report;

/// Columns a string takes on a terminal: wide (CJK, full-width) characters take two.
fn width(s: &str) -> usize {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 2 } else { 1 })
        .sum()
}

fn pad(s: &str, w: usize, right: bool) -> String {
    let fill = " ".repeat(w.saturating_sub(width(s)));
    if right {
        format!("{fill}{s}")
    } else {
        format!("{s}{fill}")
    }
}

pub fn render(report: &Report) -> String {
    let mut out = format!("{}\n", title(report));
    // The summary sentence is printed once, at the very end, not inside a table.
    for sheet in sheets(report, false) {
        let rows = &sheet.rows;
        let columns = sheet.header.len();
        let mut widths: Vec<usize> = sheet.header.iter().map(|h| width(h)).collect();
        for row in rows {
            for (i, c) in row.iter().enumerate().take(columns) {
                widths[i] = widths[i].max(width(&c.plain()));
            }
        }
        out.push_str(&format!("\n== {} ==\n", sheet.title));
        let header: Vec<String> = sheet
            .header
            .iter()
            .enumerate()
            .map(|(i, h)| pad(h, widths[i], i > 0))
            .collect();
        out.push_str(header.join("  ").trim_end());
        out.push('\n');
        for row in rows {
            let cells: Vec<String> = row
                .iter()
                .enumerate()
                .take(columns)
                .map(|(i, c)| pad(&c.plain(), widths[i], i > 0 && !matches!(c, Cell::Text(_))))
                .collect();
            out.push_str(cells.join("  ").trim_end());
            out.push('\n');
        }
    }
    if let Some(s) = &report.summary_zh {
        out.push('\n');
        out.push_str(s);
        out.push('\n');
    }
    out
}
