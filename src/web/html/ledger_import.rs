//! The ledger import page (`/ledger/import`): a director or admin uploads a center's ledger (.csv
//! or .xlsx) into a unit of their scope, or checks it with a dry run, and reads how many rows were
//! imported (or would be), the duplicates skipped and every bad row with its line and reason. The
//! import is the command line's (`services::ledger_import`); this page adds the upload's own
//! checks: a file at all, with a ledger's extension, of at most `MAX_UPLOAD` bytes, and the
//! session's CSRF token as a field of the multipart form. Each refusal re-renders the form with
//! the reason beside the field (413 too large, 422 otherwise); nothing is written then.

use super::admin::{form_errors, input, select, unit_choices};
use super::form::{required_number, Errors};
use super::{check_form, html, render, OrPage, PageCtx, PageError, PageResult, SignedIn};
use crate::domain::permission::Permission;
use crate::error::{AppError, Code};
use crate::services::ledger_import::{self, Format, ImportReport};
use crate::services::{units, Caller, Ctx};
use actix_multipart::Multipart;
use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpRequest};
use futures_util::StreamExt;
use serde_json::{json, Value};
use std::collections::HashMap;

/// The largest file accepted: a ledger of 100,000 cases is about 12 MB as CSV, 7 MB as xlsx.
pub const MAX_UPLOAD: usize = 20 * 1024 * 1024;

/// A body declaring more than this is refused before it is read; up to it, an oversized file is
/// read to its end and dropped, so that the browser receives the answer rather than a reset
/// connection.
const MAX_BODY: u64 = 2 * MAX_UPLOAD as u64;

/// The other fields (csrf, unit_id, dry_run) are short.
const MAX_FIELD: usize = 1024;

type Values = HashMap<String, String>;

/// The multipart form as read.
#[derive(Default)]
struct Upload {
    fields: Values,
    file_name: String,
    file: Vec<u8>,
    too_large: bool,
}

/// Reads the form; a body that is not a readable multipart form is an `Err`.
async fn read_upload(mut multipart: Multipart) -> Result<Upload, actix_multipart::MultipartError> {
    let mut upload = Upload::default();
    while let Some(field) = multipart.next().await {
        let mut field = field?;
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            upload.file_name = field
                .content_disposition()
                .and_then(|d| d.get_filename())
                .unwrap_or_default()
                .to_string();
            match field.bytes(MAX_UPLOAD).await {
                Ok(bytes) => upload.file = bytes?.to_vec(),
                // Over the limit: read to its end and dropped.
                Err(_) => upload.too_large = true,
            }
        } else if let Ok(bytes) = field.bytes(MAX_FIELD).await {
            upload
                .fields
                .insert(name, String::from_utf8_lossy(&bytes?).into_owned());
        }
    }
    Ok(upload)
}

/// A signed-in director or admin, else the 403 page.
fn importer(me: SignedIn) -> Result<SignedIn, PageError> {
    me.caller
        .require(Permission::ImportLedger)
        .or_page(&me.page)?;
    Ok(me)
}

pub async fn form(ctx: web::Data<Ctx>, me: SignedIn) -> PageResult {
    let SignedIn { page, caller } = importer(me)?;
    View::new(&page, &caller)
        .render(&ctx, None, StatusCode::OK)
        .await
}

pub async fn submit(
    ctx: web::Data<Ctx>,
    req: HttpRequest,
    multipart: Multipart,
    me: SignedIn,
) -> PageResult {
    let SignedIn { page, caller } = importer(me)?;
    let mut view = View::new(&page, &caller);
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared.is_some_and(|n| n > MAX_BODY) {
        view.refuse("file", Code::UploadTooLarge);
        return view.render(&ctx, None, StatusCode::PAYLOAD_TOO_LARGE).await;
    }
    let Ok(upload) = read_upload(multipart).await else {
        view.refuse("file", Code::UploadUnreadable);
        return view.render(&ctx, None, StatusCode::BAD_REQUEST).await;
    };
    // The CSRF token is a field of the multipart form, so it is checked once the form is read.
    let Some(session) = &page.session else {
        return Err(page.fail(AppError::forbidden()));
    };
    check_form(&ctx, &req, session, &upload.fields).or_page(&page)?;
    view.values.clone_from(&upload.fields);
    let unit_id = required_number(&upload.fields, "unit_id", &mut view.errors);
    let dry_run = upload.fields.get("dry_run").is_some_and(|v| v == "on");
    let format = match file_format(&upload) {
        Ok(format) if view.errors.is_empty() => format,
        Ok(_) => {
            return view
                .render(&ctx, None, StatusCode::UNPROCESSABLE_ENTITY)
                .await
        }
        Err((key, status)) => {
            view.refuse("file", key);
            return view.render(&ctx, None, status).await;
        }
    };
    let done = ledger_import::upload(&ctx, &caller, unit_id, format, upload.file, dry_run).await;
    match done.map_err(form_errors) {
        Ok(report) => {
            let result = result_json(&report, dry_run, &upload.file_name);
            view.render(&ctx, Some(result), StatusCode::OK).await
        }
        Err(Ok((errors, status))) => {
            view.errors.extend(errors);
            view.render(&ctx, None, status).await
        }
        Err(Err(e)) => Err(page.fail(e)),
    }
}

/// The uploaded file's format, or why there is none to import (a catalog key and the status).
fn file_format(upload: &Upload) -> Result<Format, (Code, StatusCode)> {
    let unprocessable = StatusCode::UNPROCESSABLE_ENTITY;
    if upload.too_large {
        Err((Code::UploadTooLarge, StatusCode::PAYLOAD_TOO_LARGE))
    } else if upload.file.is_empty() {
        Err((Code::UploadNoFile, unprocessable))
    } else {
        Format::of_name(&upload.file_name).ok_or((Code::UploadWrongType, unprocessable))
    }
}

/// What the import did, for the page; every value is escaped by the template.
fn result_json(report: &ImportReport, dry_run: bool, file_name: &str) -> Value {
    let duplicates: Vec<Value> = report
        .duplicates
        .iter()
        .map(|(line, case_no)| json!({"line": line, "case_no": case_no}))
        .collect();
    let bad: Vec<Value> = report
        .bad
        .iter()
        .map(|(line, why)| {
            json!({"line": line, "column": why.column, "problem": why.problem.code(), "value": why.value})
        })
        .collect();
    json!({
        "dry_run": dry_run,
        "file_name": file_name,
        "rows": report.rows,
        "imported": report.imported,
        "duplicate_count": report.duplicate_rows,
        "duplicates_unlisted": report.duplicate_rows - duplicates.len(),
        "duplicates": duplicates,
        "bad_count": report.bad_rows,
        "bad_unlisted": report.bad_rows - bad.len(),
        "bad": bad,
    })
}

/// The form's values and errors, and the page it renders on.
struct View<'a> {
    page: &'a PageCtx,
    caller: &'a Caller,
    values: Values,
    errors: Errors,
}

impl<'a> View<'a> {
    /// A fresh form: the caller's own unit chosen.
    fn new(page: &'a PageCtx, caller: &'a Caller) -> View<'a> {
        let mut values = Values::new();
        if let Some(unit) = caller.unit_id {
            values.insert("unit_id".into(), unit.to_string());
        }
        View {
            page,
            caller,
            values,
            errors: Errors::new(),
        }
    }

    /// An error of the page's own beside `field`, from the catalog.
    fn refuse(&mut self, field: &str, code: Code) {
        self.errors.insert(field.into(), code.into());
    }

    async fn render(&self, ctx: &Ctx, result: Option<Value>, status: StatusCode) -> PageResult {
        let list = units::list(ctx, self.caller).await.or_page(self.page)?;
        let mut file = input("file", "import.file", "file", &Values::new(), &self.errors);
        file["accept"] = json!(".csv,.xlsx");
        let unit = select(
            "unit_id",
            "import.unit",
            unit_choices(&list, false),
            None,
            &self.values,
            &self.errors,
        );
        let extra = json!({
            "fields": [file, unit],
            "dry_run": self.values.get("dry_run").is_some_and(|v| v == "on"),
            "invalid": !self.errors.is_empty(),
            "max_mb": MAX_UPLOAD / (1024 * 1024),
            "result": result,
        });
        let data = self.page.data("import.title", extra);
        Ok(html(status, render::render("pages/ledger_import", &data)))
    }
}
