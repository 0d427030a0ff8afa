//! Reading a ledger file into records (line number, cells), within limits checked before the
//! data is held: a file is not trusted to be what it says. An xlsx is a zip archive whose parts
//! may unpack to a thousand times their size (a "zip bomb": 5 MB that once took the server to
//! 13 GB), so the archive's real unpacked size is measured by streaming every part through a
//! counter before calamine opens it, and the sheet is then read cell by cell, counting rows and
//! measuring cells as they come. CSV goes through the `csv` crate with the same row and cell
//! limits. Any limit passed refuses the whole file with a sentence that says which, and nothing
//! is written.

use crate::error::{Code, Problem};
use calamine::{Data, Reader, Xlsx};
use chrono::NaiveDate;
use std::io::{Cursor, Read};

/// A file larger than this is refused before it is read (the upload page has a lower limit).
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;
/// An xlsx whose parts unpack to more than this together is refused. A ledger of 200,000 rows
/// as the export writes it unpacks to 108 MB (measured: a 14 MB file).
pub const MAX_UNPACKED_BYTES: u64 = 160 * 1024 * 1024;
/// Parts in an xlsx archive (a workbook has a dozen).
pub const MAX_PARTS: usize = 1_000;
/// Data rows in a file, below its header row.
pub const MAX_ROWS: usize = 200_000;
/// Characters in a cell: Excel's own limit, so no workbook Excel wrote passes it.
pub const MAX_CELL_CHARS: usize = 32_767;
/// Columns read of each row; cells to the right of them are no ledger column and are ignored.
pub const MAX_COLUMNS: usize = 100;

/// One record: the line (CSV) or row number (xlsx) it starts on, and its cells.
pub type Record = (usize, Vec<String>);

fn megabytes(bytes: u64) -> u64 {
    bytes / (1024 * 1024)
}

fn too_many_rows() -> Problem {
    Code::FileTooManyRows.with("max", MAX_ROWS)
}

fn too_long_cell(line: usize) -> Problem {
    Code::FileCellTooLong
        .with("max", MAX_CELL_CHARS)
        .with("line", line)
}

/// Whether a cell has more than `MAX_CELL_CHARS` characters. A cell has at least as many bytes as
/// characters, so only a long one is counted.
fn too_long(cell: &str) -> bool {
    cell.len() > MAX_CELL_CHARS && cell.chars().count() > MAX_CELL_CHARS
}

/// Adds one record (cut to `MAX_COLUMNS`) unless it is blank, refusing past `MAX_ROWS` data rows.
fn push(out: &mut Vec<Record>, line: usize, mut cells: Vec<String>) -> Result<(), Problem> {
    if cells.iter().all(|c| c.trim().is_empty()) {
        return Ok(());
    }
    if out.len() > MAX_ROWS {
        return Err(too_many_rows());
    }
    cells.truncate(MAX_COLUMNS);
    out.push((line, cells));
    Ok(())
}

/// The records of CSV text (RFC 4180: quoted fields may hold commas, quotes and line breaks),
/// each with the line it starts on. A leading BOM is dropped; blank lines are skipped.
pub fn csv_records(bytes: &[u8]) -> Result<Vec<Record>, Problem> {
    let not_utf8 = || Problem::from(Code::FileNotUtf8);
    let text = std::str::from_utf8(bytes).map_err(|_| not_utf8())?;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut out = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                return Err(Code::FileNotCsv.with("line", line));
            }
        }
        // The reader's position is where it began to read, before the blank lines it skipped.
        let (start, line) = record
            .position()
            .map_or((0, 0), |p| (p.byte() as usize, p.line() as usize));
        let blank = text.as_bytes().get(start..).unwrap_or_default();
        let line = line
            + blank
                .iter()
                .take_while(|b| matches!(b, b'\r' | b'\n'))
                .filter(|b| **b == b'\n')
                .count();
        if record.iter().any(too_long) {
            return Err(too_long_cell(line));
        }
        push(&mut out, line, record.iter().map(str::to_string).collect())?;
    }
    Ok(out)
}

/// Measures what every part of the archive really unpacks to (not what its directory claims),
/// refusing at the first byte past `MAX_UNPACKED_BYTES`.
fn check_archive(bytes: &[u8]) -> Result<(), Problem> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| Code::FileNotXlsx.with("detail", e))?;
    if archive.len() > MAX_PARTS {
        return Err(Code::FileTooManyParts.with("max", MAX_PARTS));
    }
    let too_large = || Code::FileUnpacksTooLarge.with("mb", megabytes(MAX_UNPACKED_BYTES));
    let mut left = MAX_UNPACKED_BYTES;
    for i in 0..archive.len() {
        let part = archive
            .by_index(i)
            .map_err(|e| Code::FileNotXlsx.with("detail", e))?;
        let read = std::io::copy(&mut part.take(left + 1), &mut std::io::sink())
            .map_err(|e| Code::FileNotXlsx.with("detail", e))?;
        if read > left {
            return Err(too_large());
        }
        left -= read;
    }
    Ok(())
}

/// A cell as the CSV would hold it: whole numbers without decimals, other numbers with two,
/// Excel dates as YYYY-MM-DD.
fn cell_text(cell: Data) -> String {
    let number = |f: f64| {
        if f.fract() == 0.0 && f.abs() < 1e15 {
            format!("{}", f as i64)
        } else {
            format!("{f:.2}")
        }
    };
    match cell {
        Data::Int(i) => i.to_string(),
        Data::Float(f) => number(f),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s,
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) => {
            // Days since 1899-12-30 (the 1900 date system).
            let days = d.as_f64().floor() as i64;
            NaiveDate::from_ymd_opt(1899, 12, 30)
                .and_then(|base| base.checked_add_signed(chrono::Duration::days(days)))
                .map(|d| d.to_string())
                .unwrap_or_default()
        }
        Data::Error(_) | Data::Empty => String::new(),
    }
}

/// The first worksheet's rows, each with its row number; blank rows skipped.
pub fn xlsx_records(bytes: Vec<u8>) -> Result<Vec<Record>, Problem> {
    check_archive(&bytes)?;
    let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
        .map_err(|e| Code::FileNotXlsx.with("detail", e))?;
    let sheet = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or(Code::FileNoWorksheet)?;
    let unreadable = |e: calamine::XlsxError| Code::FileWorksheetUnreadable.with("detail", e);
    let mut cells = workbook
        .worksheet_cells_reader(&sheet)
        .map_err(unreadable)?;
    let mut out = Vec::new();
    // The row being gathered: its index (0-based) and its cells so far.
    let mut row: Option<(u32, Vec<String>)> = None;
    while let Some(cell) = cells.next_cell().map_err(unreadable)? {
        let (r, c) = cell.get_position();
        let column = c as usize;
        if column >= MAX_COLUMNS {
            continue;
        }
        let text = cell_text(Data::from(cell.get_value().clone()));
        if too_long(&text) {
            return Err(too_long_cell(r as usize + 1));
        }
        if row.as_ref().is_some_and(|(at, _)| *at != r) {
            if let Some((at, done)) = row.take() {
                push(&mut out, at as usize + 1, done)?;
            }
        }
        let (_, row_cells) = row.get_or_insert_with(|| (r, Vec::new()));
        if row_cells.len() <= column {
            row_cells.resize(column + 1, String::new());
        }
        row_cells[column] = text;
    }
    if let Some((at, done)) = row {
        push(&mut out, at as usize + 1, done)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_may_hold_commas_quotes_and_line_breaks_and_keep_their_first_line() {
        let text = "\u{FEFF}a,b\n\n\"x, y\",\"say \"\"hi\"\"\nthere\"\nlast,1\n";
        let records = csv_records(text.as_bytes()).unwrap();
        assert_eq!(
            records,
            vec![
                (1, vec!["a".to_string(), "b".to_string()]),
                (3, vec!["x, y".to_string(), "say \"hi\"\nthere".to_string()]),
                (5, vec!["last".to_string(), "1".to_string()]),
            ]
        );
    }

    #[test]
    fn a_csv_with_too_many_rows_or_too_long_a_cell_is_refused() {
        let rows = "a\n".repeat(MAX_ROWS + 2);
        assert_eq!(csv_records(rows.as_bytes()), Err(too_many_rows()));
        let exactly = "a\n".repeat(MAX_ROWS + 1);
        assert_eq!(csv_records(exactly.as_bytes()).unwrap().len(), MAX_ROWS + 1);
        let long = format!("a,b\nc,{}\n", "长".repeat(MAX_CELL_CHARS + 1));
        assert_eq!(csv_records(long.as_bytes()), Err(too_long_cell(2)));
    }

    #[test]
    fn a_csv_that_is_not_utf8_is_refused() {
        assert!(csv_records(b"\xff\xfe,a\n")
            .unwrap_err()
            .to_string()
            .contains("UTF-8"));
    }

    #[test]
    fn an_archive_of_more_parts_than_a_workbook_has_is_refused() {
        use std::io::Write;
        let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
        for i in 0..=MAX_PARTS {
            let options = zip::write::SimpleFileOptions::default();
            zip.start_file(format!("part{i}.xml"), options).unwrap();
            zip.write_all(b"x").unwrap();
        }
        let bytes = zip.finish().unwrap().into_inner();
        assert_eq!(
            xlsx_records(bytes),
            Err(Code::FileTooManyParts.with("max", MAX_PARTS))
        );
    }

    #[test]
    fn bytes_that_are_no_archive_are_not_a_workbook() {
        assert!(xlsx_records(b"PK not really".to_vec())
            .unwrap_err()
            .to_string()
            .starts_with("is not an xlsx workbook"));
    }
}
