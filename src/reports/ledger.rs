//! The ledger (台账) as CSV and xlsx: one header row with the centers' column names, then one row
//! per case. CSV is UTF-8 with a BOM and CRLF lines, like the reports, so Excel and WPS open it as
//! Chinese; it has no title line, so it can be read back (`tiaojie import ledger`). Money is yuan
//! with two decimals; an empty cell where a case has no agreement, was never accepted or is not
//! closed. The workbook holds dates as dates and numbers as numbers, its header row frozen and
//! filtered, each column as wide as its widest cell.

use super::csv::Csv;
use crate::domain::ledger::header;
use crate::domain::money::Fen;
use crate::services::ledger::{Ledger, Line};
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

/// One cell of a line, typed for the workbook.
enum Cell {
    Text(String),
    Count(i64),
    Money(Fen),
    Date(NaiveDate),
    Empty,
}

impl Cell {
    /// The cell as the CSV writes it.
    fn text(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Count(n) => n.to_string(),
            Cell::Money(f) => f.to_string(),
            Cell::Date(d) => d.to_string(),
            Cell::Empty => String::new(),
        }
    }

    /// How many character widths the cell takes in a spreadsheet: a Chinese character two.
    fn width(&self) -> usize {
        self.text()
            .chars()
            .map(|c| if c.is_ascii() { 1 } else { 2 })
            .sum()
    }
}

/// One line as cells, in the order of the ledger's `header()`.
fn cells(l: &Line) -> [Cell; 17] {
    let date = |d: Option<NaiveDate>| d.map_or(Cell::Empty, Cell::Date);
    [
        Cell::Count(l.no),
        Cell::Text(l.case_no.clone()),
        Cell::Date(l.received),
        date(l.accepted),
        Cell::Text(l.applicant.clone()),
        Cell::Text(l.enterprise.clone()),
        Cell::Text(l.category.clone()),
        Cell::Count(l.workers),
        Cell::Money(l.amount_claimed),
        Cell::Text(l.mediator.clone()),
        Cell::Text(l.outcome.clone()),
        l.amount_agreed.map_or(Cell::Empty, Cell::Money),
        Cell::Money(l.amount_paid),
        date(l.closed),
        Cell::Text(l.fulfilment.clone()),
        Cell::Text(l.confirmation.clone()),
        Cell::Text(l.archive_no.clone()),
    ]
}

pub fn csv(ledger: &Ledger) -> String {
    let mut out = Csv::new();
    out.record(header());
    for l in &ledger.lines {
        out.record(cells(l).iter().map(Cell::text));
    }
    out.finish()
}

/// The narrowest and widest a column is made, in character widths.
const WIDTHS: (usize, usize) = (6, 40);

pub fn xlsx(ledger: &Ledger) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let money = Format::new().set_num_format("#,##0.00");
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let ws = workbook.add_worksheet();
    ws.set_name("台账")?;
    let header = header();
    let mut widths: Vec<usize> = header
        .iter()
        .map(|h| Cell::Text(h.to_string()).width())
        .collect();
    for (c, h) in header.iter().enumerate() {
        ws.write_string_with_format(0, col(c), *h, &bold)?;
    }
    let mut last_row = 0;
    for (r, l) in ledger.lines.iter().enumerate() {
        let row = 1 + u32::try_from(r).unwrap_or(u32::MAX - 1);
        last_row = row;
        for (c, cell) in cells(l).iter().enumerate() {
            let col = col(c);
            // Money and dates are shown in their own formats, one width apart from their text.
            widths[c] = widths[c].max(cell.width() + usize::from(matches!(cell, Cell::Money(_))));
            match cell {
                Cell::Text(s) if !s.is_empty() => {
                    ws.write_string(row, col, s)?;
                }
                Cell::Count(n) => {
                    ws.write_number(row, col, count(*n))?;
                }
                // The decimal string is exact; only its printed form reaches the workbook.
                Cell::Money(f) => {
                    let yuan: f64 = f.to_string().parse().unwrap_or(0.0);
                    ws.write_number_with_format(row, col, yuan, &money)?;
                }
                Cell::Date(d) => {
                    ws.write_datetime_with_format(row, col, excel_date(*d)?, &day)?;
                }
                Cell::Text(_) | Cell::Empty => {}
            };
        }
    }
    for (c, w) in widths.iter().enumerate() {
        let w = (*w + 2).clamp(WIDTHS.0, WIDTHS.1);
        ws.set_column_width(col(c), u16::try_from(w).unwrap_or(40))?;
    }
    ws.set_freeze_panes(1, 0)?;
    ws.autofilter(0, 0, last_row, col(header.len() - 1))?;
    workbook.save_to_buffer()
}

fn col(c: usize) -> u16 {
    u16::try_from(c).unwrap_or(u16::MAX)
}

/// A count as the workbook's number.
fn count(n: i64) -> f64 {
    n.to_string().parse().unwrap_or(0.0)
}

fn excel_date(d: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let month = u8::try_from(d.month()).unwrap_or(1);
    let day = u8::try_from(d.day()).unwrap_or(1);
    ExcelDateTime::from_ymd(u16::try_from(d.year()).unwrap_or(1900), month, day)
}
