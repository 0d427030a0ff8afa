//! Excel (.xlsx): the report's sheets as worksheets, the summary first. Counts are whole numbers,
//! money is yuan with two decimals ("#,##0.00"), percents and average days one decimal.
//!
//! An Excel number is a binary float whatever we do; the figures are computed exactly in integers
//! first and only their printed decimal form ("45000.50", "90.2") is handed to the workbook, so
//! what a spreadsheet shows is what the JSON and CSV say.

use super::{sheets, title, Cell};
use crate::services::stats::Report;
use rust_xlsxwriter::{Format, Workbook, XlsxError};

pub const CONTENT_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The decimal string as the spreadsheet's number.
fn number(decimal: &str) -> f64 {
    decimal.parse().unwrap_or(0.0)
}

pub fn render(report: &Report) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let one_decimal = Format::new().set_num_format("0.0");
    for (n, sheet) in sheets(report, true).into_iter().enumerate() {
        let ws = workbook.add_worksheet();
        ws.set_name(&sheet.title)?;
        let mut top = 0;
        if n == 0 {
            ws.write_string_with_format(0, 0, title(report), &bold)?;
            top = 2;
        }
        for (c, h) in sheet.header.iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            ws.write_string_with_format(top, col, h.as_str(), &bold)?;
            ws.set_column_width(col, if c == 0 { 22 } else { 14 })?;
        }
        for (r, row) in sheet.rows.iter().enumerate() {
            let row_no = top + 1 + u32::try_from(r).unwrap_or(u32::MAX - top - 1);
            for (c, cell) in row.iter().enumerate() {
                let col = u16::try_from(c).unwrap_or(u16::MAX);
                match cell {
                    Cell::Text(s) => ws.write_string(row_no, col, s)?,
                    Cell::Int(i) => ws.write_number(row_no, col, number(&i.to_string()))?,
                    Cell::Money(f) => {
                        ws.write_number_with_format(row_no, col, number(&f.to_string()), &money)?
                    }
                    Cell::Percent(Some(p)) | Cell::Decimal(Some(p)) => {
                        ws.write_number_with_format(row_no, col, number(p), &one_decimal)?
                    }
                    Cell::Percent(None) | Cell::Decimal(None) => {
                        ws.write_string(row_no, col, "—")?
                    }
                };
            }
        }
    }
    workbook.save_to_buffer()
}
