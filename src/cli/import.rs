//! `tiaojie import ledger FILE --unit ID [--dry-run]`: the command line's ledger import, with a
//! progress bar on a terminal. On a terminal, stderr shows one bar redrawn in place (`\r`) after
//! every batch; elsewhere (CI, pipes, log files) one `imported N of M` line per batch, which
//! scripts can read.

use crate::error::AppError;
use crate::services::ledger_import::{import_file, Format, ImportReport, MAX_FILE_BYTES};
use crate::services::Ctx;
use std::io::{IsTerminal, Write};
use std::path::Path;

/// Characters between the brackets of the bar.
const BAR_WIDTH: usize = 30;

/// The progress bar after `done` of `total` rows: `[#########.....................] 3000/10000 rows`.
/// Nothing to do (`total` 0) is a full bar; `done` past `total` is clamped.
pub fn progress_bar(done: usize, total: usize, width: usize) -> String {
    let filled = match total {
        0 => width,
        t => width * done.min(t) / t,
    };
    format!(
        "[{}{}] {done}/{total} rows",
        "#".repeat(filled),
        ".".repeat(width - filled)
    )
}

/// Reads `file` (.xlsx by its extension, anything else as CSV), imports it into `unit` and prints
/// each bad row and duplicate and a summary line on stdout.
pub fn run(ctx: &Ctx, file: &Path, unit: i64, dry_run: bool) -> Result<(), String> {
    let cannot_read = |e: std::io::Error| format!("cannot read {}: {e}", file.display());
    let size = std::fs::metadata(file).map_err(cannot_read)?.len();
    if size > MAX_FILE_BYTES {
        return Err(format!(
            "{} is larger than {} MB: import it in parts",
            file.display(),
            MAX_FILE_BYTES / (1024 * 1024)
        ));
    }
    let bytes = std::fs::read(file).map_err(cannot_read)?;
    let format = match file.to_str().and_then(Format::of_name) {
        Some(Format::Xlsx) => Format::Xlsx,
        _ => Format::Csv,
    };
    let terminal = std::io::stderr().is_terminal();
    let mut progress = |done: usize, total: usize| {
        if terminal {
            let mut err = std::io::stderr().lock();
            let _ = write!(err, "\r{}", progress_bar(done, total, BAR_WIDTH));
            let _ = err.flush();
        } else {
            eprintln!("imported {done} of {total}");
        }
    };
    let result = import_file(ctx, unit, format, bytes, dry_run, &mut progress);
    if terminal {
        // Ends the bar's line (or clears the line of a run that never drew one).
        eprintln!();
    }
    print_report(&result.map_err(|e| refusal(file, e))?, dry_run);
    Ok(())
}

/// Why the whole file was refused, as a sentence about the file or the `--unit`.
fn refusal(file: &Path, err: AppError) -> String {
    match err {
        AppError::Validation(fields) => fields
            .0
            .iter()
            .map(|(field, why)| match field.as_str() {
                "file" => format!("{} {why}", file.display()),
                "unit_id" => format!("--unit: {why}"),
                other => format!("{other}: {why}"),
            })
            .collect::<Vec<_>>()
            .join("; "),
        other => super::message(other),
    }
}

fn print_report(report: &ImportReport, dry_run: bool) {
    for (line, reason) in &report.bad {
        println!("line {line}: bad row: {reason}");
    }
    if report.bad_rows > report.bad.len() {
        println!(
            "... and {} more bad rows",
            report.bad_rows - report.bad.len()
        );
    }
    for (line, case_no) in &report.duplicates {
        println!("line {line}: duplicate: {case_no} is already imported");
    }
    if report.duplicate_rows > report.duplicates.len() {
        println!(
            "... and {} more duplicates",
            report.duplicate_rows - report.duplicates.len()
        );
    }
    println!(
        "{} rows: {} {}, {} duplicates, {} bad",
        report.rows,
        report.imported,
        if dry_run {
            "would be imported (dry run)"
        } else {
            "imported"
        },
        report.duplicate_rows,
        report.bad_rows
    );
}

#[cfg(test)]
mod tests {
    use super::progress_bar;

    #[test]
    fn the_bar_fills_in_proportion_to_the_rows_done() {
        assert_eq!(progress_bar(0, 10, 10), "[..........] 0/10 rows");
        assert_eq!(
            progress_bar(3500, 10000, 10),
            "[###.......] 3500/10000 rows"
        );
        assert_eq!(
            progress_bar(10000, 10000, 10),
            "[##########] 10000/10000 rows"
        );
    }

    #[test]
    fn the_bar_is_full_with_nothing_to_do_and_never_overflows() {
        assert_eq!(progress_bar(0, 0, 4), "[####] 0/0 rows");
        assert_eq!(progress_bar(12, 10, 4), "[####] 12/10 rows");
        assert_eq!(progress_bar(1, 3, 30).len(), "[] 1/3 rows".len() + 30);
    }
}
