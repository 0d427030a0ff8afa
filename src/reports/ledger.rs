//! The ledger (台账) as CSV and xlsx: one header row with the centers' column names, then one row
//! per case. CSV is UTF-8 with a BOM and CRLF lines, like the reports, so Excel and WPS open it as
//! Chinese; it has no title line, so it can be read back (`tiaojie import ledger`). Money is yuan
//! with two decimals; an empty cell where a case has no agreement or is not closed.

use super::csv::Csv;
use crate::domain::ledger::header;
use crate::services::ledger::{Ledger, Line};
use rust_xlsxwriter::{Format, Workbook, XlsxError};

/// One line as text cells, in the order of the ledger's `header()`.
fn cells(l: &Line) -> [String; 13] {
    [
        l.no.to_string(),
        l.case_no.clone(),
        l.received.to_string(),
        l.applicant.clone(),
        l.enterprise.clone(),
        l.category.clone(),
        l.workers.to_string(),
        l.amount_claimed.to_string(),
        l.mediator.clone(),
        l.outcome.clone(),
        l.amount_agreed.map(|f| f.to_string()).unwrap_or_default(),
        l.amount_paid.to_string(),
        l.closed.map(|d| d.to_string()).unwrap_or_default(),
    ]
}

pub fn csv(ledger: &Ledger) -> String {
    let mut out = Csv::new();
    out.record(header());
    for l in &ledger.lines {
        out.record(cells(l));
    }
    out.finish()
}

/// The columns written as numbers (序号, 涉及人数) and as money (涉案金额, 协议金额, 履行金额).
const NUMBER_COLUMNS: [usize; 2] = [0, 6];
const MONEY_COLUMNS: [usize; 3] = [7, 10, 11];

pub fn xlsx(ledger: &Ledger) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let ws = workbook.add_worksheet();
    ws.set_name("台账")?;
    for (c, h) in header().iter().enumerate() {
        let col = u16::try_from(c).unwrap_or(u16::MAX);
        ws.write_string_with_format(0, col, *h, &bold)?;
        ws.set_column_width(col, if c == 0 || c == 6 { 8 } else { 14 })?;
    }
    for (r, l) in ledger.lines.iter().enumerate() {
        let row = 1 + u32::try_from(r).unwrap_or(u32::MAX - 1);
        for (c, text) in cells(l).iter().enumerate() {
            let col = u16::try_from(c).unwrap_or(u16::MAX);
            if text.is_empty() {
                continue;
            }
            // The decimal strings are exact; only their printed form reaches the workbook.
            let number: Option<f64> = text.parse().ok();
            match number {
                Some(n) if MONEY_COLUMNS.contains(&c) => {
                    ws.write_number_with_format(row, col, n, &money)?
                }
                Some(n) if NUMBER_COLUMNS.contains(&c) => ws.write_number(row, col, n)?,
                _ => ws.write_string(row, col, text)?,
            };
        }
    }
    workbook.save_to_buffer()
}
