//! The files the product hands out (the reports and the ledger as CSV or xlsx, the documents as
//! .docx), answered the same way by the JSON API (bearer token) and by the pages (the session): an
//! attachment named after its period or its case, with its content type. The pages never link to `/api/v1/...` for a file, whose
//! bearer token a browser does not have.

use crate::error::{AppError, Code};
use crate::reports;
use crate::services::ledger::Ledger;
use crate::services::stats::Report;
use actix_web::http::header;
use actix_web::HttpResponse;

/// The format of a downloaded file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileFormat {
    Csv,
    Xlsx,
}

impl FileFormat {
    /// `format=csv|xlsx` (CSV when absent or empty); anything else is a 422 on `format`.
    pub fn parse(value: Option<&str>) -> Result<FileFormat, AppError> {
        match value.map(str::trim) {
            None | Some("") | Some("csv") => Ok(FileFormat::Csv),
            Some("xlsx") => Ok(FileFormat::Xlsx),
            Some(_) => Err(AppError::field("format", Code::NotCsvOrXlsx)),
        }
    }
}

fn xlsx_failed(e: rust_xlsxwriter::XlsxError) -> AppError {
    AppError::Failure(format!("xlsx: {e}"))
}

/// The `Content-Disposition` of an attachment named `name`: the plain `filename` for old
/// clients (the name's ASCII, other characters as `_`) and `filename*`, UTF-8 percent-encoded
/// (RFC 5987, 6266).
pub fn disposition(name: &str) -> String {
    let plain: String = name
        .chars()
        .map(|c| match c {
            ' '..='~' if c != '"' && c != '\\' => c,
            _ => '_',
        })
        .collect();
    let mut encoded = String::with_capacity(name.len() * 3);
    for b in name.bytes() {
        if b.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&b) {
            encoded.push(b as char);
        } else {
            encoded.push_str(&format!("%{b:02X}"));
        }
    }
    format!("attachment; filename=\"{plain}\"; filename*=UTF-8''{encoded}")
}

/// The content type of a .docx file.
pub const DOCX_CONTENT_TYPE: &str =
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

/// A document of a case's file as a .docx attachment named `name`.
pub fn docx(name: &str, body: Vec<u8>) -> HttpResponse {
    HttpResponse::Ok()
        .content_type(DOCX_CONTENT_TYPE)
        .insert_header((header::CONTENT_DISPOSITION, disposition(name)))
        .insert_header(("X-Content-Type-Options", "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(body)
}

/// `body` as an attachment `STEM.csv|xlsx`.
fn attachment(stem: &str, format: FileFormat, body: Vec<u8>) -> HttpResponse {
    let (ext, content_type) = match format {
        FileFormat::Csv => ("csv", reports::csv::CONTENT_TYPE),
        FileFormat::Xlsx => ("xlsx", reports::xlsx::CONTENT_TYPE),
    };
    HttpResponse::Ok()
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{stem}.{ext}\""),
        ))
        .body(body)
}

/// The monthly or yearly report as a file.
pub fn report(report: &Report, format: FileFormat) -> Result<HttpResponse, AppError> {
    let body = match format {
        FileFormat::Csv => reports::csv::render(report).into_bytes(),
        FileFormat::Xlsx => reports::xlsx::render(report).map_err(xlsx_failed)?,
    };
    Ok(attachment(&reports::file_stem(report), format, body))
}

/// A ledger (of a period, or of the case list's filtered rows) as a file.
pub fn ledger(ledger: &Ledger, format: FileFormat) -> Result<HttpResponse, AppError> {
    let body = match format {
        FileFormat::Csv => reports::ledger::csv(ledger).into_bytes(),
        FileFormat::Xlsx => reports::ledger::xlsx(ledger).map_err(xlsx_failed)?,
    };
    Ok(attachment(&ledger.file_stem(), format, body))
}
