//! An upload as it streams in (`Staging`), and the one short transaction that keeps it (`keep`).
//!
//! The bytes are cut into chunks of `CHUNK`; the first chunk decides the type (`sniff`) before
//! anything is written, so a refused type stores nothing. Each chunk is then written in a write
//! of its own under a `staging` row, so SQLite's write lock is held for one chunk's insert at a
//! time, never across the client's upload. A file past the limit stops being stored at once and
//! what was staged goes. A staging row no request keeps is deleted by the guard that owns it
//! (`Discard`, also when the client goes away mid-upload and its request is dropped), and rows
//! a crash left behind by the sweep at the next upload.

use super::sniff::{sniff, Kind};
use super::{
    load_view, may_attach, record_event, EvidenceView, Owner, CHUNK, EVENT_ADDED, PROVIDERS, UPLOAD,
};
use crate::db::models::NewEvidenceRow;
use crate::db::schema::{evidence, evidence_chunks};
use crate::db::{Db, DbConn};
use crate::domain::role::Role;
use crate::domain::text::{check_required_text, check_text, NAME_MAX};
use crate::error::{AppError, AppResult, Code, FieldErrors};
use crate::services::{access, idempotency, Caller, Ctx};
use chrono::{Duration, NaiveDate, NaiveDateTime};
use diesel::prelude::*;
use sha2::{Digest, Sha256};

/// A staging row older than this belongs to no request any more (a crashed server's).
const STALE_HOURS: i64 = 24;

/// The particulars sent beside the file, as text (multipart fields); checked by `keep`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Particulars {
    pub title: Option<String>,
    pub provided_by: Option<String>,
    pub received_on: Option<String>,
    pub internal: Option<String>,
}

/// Deletes a staging row and its chunks when dropped, unless the row was kept meanwhile (the
/// delete asks for `staging`), on the runtime it was dropped on.
struct Discard {
    db: Db,
    id: i64,
    armed: bool,
}

impl Drop for Discard {
    fn drop(&mut self) {
        if !self.armed {
            return;
        }
        let (db, id) = (self.db.clone(), self.id);
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            runtime.spawn(async move {
                let done: AppResult<()> = db.write(move |conn| discard(conn, &[id])).await;
                if let Err(e) = done {
                    tracing::warn!(evidence.id = id, error = %e, "a staged upload was not removed");
                }
            });
        }
    }
}

fn discard(conn: &mut DbConn, ids: &[i64]) -> AppResult<()> {
    if ids.is_empty() {
        return Ok(());
    }
    let staging: Vec<i64> = evidence::table
        .filter(evidence::id.eq_any(ids))
        .filter(evidence::status.eq("staging"))
        .select(evidence::id)
        .load(conn)?;
    diesel::delete(evidence_chunks::table.filter(evidence_chunks::evidence_id.eq_any(&staging)))
        .execute(conn)?;
    diesel::delete(evidence::table.filter(evidence::id.eq_any(&staging))).execute(conn)?;
    Ok(())
}

/// The staging rows of uploads that ended long ago without being kept.
fn sweep(conn: &mut DbConn, now: NaiveDateTime) -> AppResult<()> {
    let stale: Vec<i64> = evidence::table
        .filter(evidence::status.eq("staging"))
        .filter(evidence::uploaded_at.lt(now - Duration::hours(STALE_HOURS)))
        .select(evidence::id)
        .limit(100)
        .load(conn)?;
    discard(conn, &stale)
}

/// A file streaming in: fed with `push` as the multipart field yields its bytes, ended with
/// `finish`. A refusal (too large, a type not allowed) is kept and the rest is only counted off,
/// so that the client is answered after sending its body rather than cut off.
pub struct Staging {
    ctx: Ctx,
    owner: Owner,
    uploader: i64,
    limit: u64,
    file_name: String,
    buffer: Vec<u8>,
    size: u64,
    seq: i64,
    hash: Sha256,
    kind: Option<Kind>,
    staged: Option<Discard>,
    refused: Option<AppError>,
}

/// A file staged whole, waiting for `keep`; dropped unkept, its rows go.
pub struct StagedUpload {
    owner: Owner,
    file_name: String,
    size: i64,
    sha256: String,
    content_type: &'static str,
    staged: Discard,
    pub particulars: Particulars,
}

impl std::fmt::Debug for StagedUpload {
    /// What the request asked (its `Idempotency-Key` fingerprint): the file by its digest and
    /// size, with its name and particulars; not the staging row, which each attempt has anew.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StagedUpload")
            .field("owner", &self.owner)
            .field("file_name", &self.file_name)
            .field("size", &self.size)
            .field("sha256", &self.sha256)
            .field("particulars", &self.particulars)
            .finish()
    }
}

impl StagedUpload {
    pub fn sha256(&self) -> &str {
        &self.sha256
    }
}

impl Staging {
    pub fn new(ctx: &Ctx, caller: &Caller, owner: Owner, file_name: &str) -> Staging {
        Staging {
            ctx: ctx.clone(),
            owner,
            uploader: caller.id,
            limit: ctx.settings.config.evidence.max_file_bytes(),
            file_name: file_name.to_string(),
            buffer: Vec::with_capacity(CHUNK),
            size: 0,
            seq: 0,
            hash: Sha256::new(),
            kind: None,
            staged: None,
            refused: None,
        }
    }

    /// The limit the configuration sets, for a refusal's words.
    pub fn limit(&self) -> u64 {
        self.limit
    }

    /// Takes the next bytes of the file. Our own failure (the database) is an `Err` and ends the
    /// upload; a refusal is kept for `finish`.
    pub async fn push(&mut self, mut bytes: &[u8]) -> AppResult<()> {
        if self.refused.is_some() {
            return Ok(());
        }
        self.size += bytes.len() as u64;
        if self.size > self.limit {
            let mb = self.limit / (1024 * 1024);
            return self
                .refuse(AppError::TooLarge(format!(
                    "the file is larger than {mb} MB"
                )))
                .await;
        }
        while !bytes.is_empty() {
            let room = CHUNK - self.buffer.len();
            let (now, later) = bytes.split_at(room.min(bytes.len()));
            self.buffer.extend_from_slice(now);
            bytes = later;
            if self.buffer.len() == CHUNK {
                self.flush().await?;
                if self.refused.is_some() {
                    return Ok(());
                }
            }
        }
        Ok(())
    }

    /// Deletes what was staged (before the refusal is answered, so that nothing is left when
    /// the client reads it) and keeps the refusal.
    async fn refuse(&mut self, why: AppError) -> AppResult<()> {
        self.refused = Some(why);
        self.buffer = Vec::new();
        if let Some(mut staged) = self.staged.take() {
            staged.armed = false;
            let id = staged.id;
            self.ctx.db.write(move |conn| discard(conn, &[id])).await?;
        }
        Ok(())
    }

    /// Writes the buffer as the next chunk (the first one decides the type first).
    async fn flush(&mut self) -> AppResult<()> {
        let chunk = std::mem::replace(&mut self.buffer, Vec::with_capacity(CHUNK));
        if self.kind.is_none() {
            match sniff(&chunk) {
                Some(kind) => self.kind = Some(kind),
                None => {
                    let why = "the file is not a photo, a PDF or an Office document \
                               (its content was read, not its name)";
                    return self.refuse(AppError::UnsupportedType(why.into())).await;
                }
            }
        }
        self.hash.update(&chunk);
        let id = match &self.staged {
            Some(d) => d.id,
            None => {
                let id = self.begin().await?;
                self.staged = Some(Discard {
                    db: self.ctx.db.clone(),
                    id,
                    armed: true,
                });
                id
            }
        };
        let seq = self.seq;
        self.seq += 1;
        self.ctx
            .db
            .write(move |conn| {
                diesel::insert_into(evidence_chunks::table)
                    .values((
                        evidence_chunks::evidence_id.eq(id),
                        evidence_chunks::seq.eq(seq),
                        evidence_chunks::bytes.eq(&chunk),
                    ))
                    .execute(conn)
                    .map(|_| ())
                    .map_err(AppError::from)
            })
            .await
    }

    /// The staging row the chunks belong to (and a sweep of long-abandoned ones).
    async fn begin(&self) -> AppResult<i64> {
        let (case_id, warning_id) = match self.owner {
            Owner::Case(id) => (Some(id), None),
            Owner::Warning(id) => (None, Some(id)),
        };
        let uploader = self.uploader;
        let now = self.ctx.now().naive_utc();
        self.ctx
            .db
            .write(move |conn| {
                sweep(conn, now)?;
                let id = diesel::insert_into(evidence::table)
                    .values(NewEvidenceRow {
                        case_id,
                        warning_id,
                        status: "staging",
                        title: "",
                        file_name: "",
                        content_type: "",
                        size: 0,
                        sha256: "",
                        provided_by: "",
                        internal: false,
                        uploaded_by: uploader,
                        uploaded_at: now,
                    })
                    .returning(evidence::id)
                    .get_result(conn)?;
                Ok(id)
            })
            .await
    }

    /// The end of the file: its last chunk written, or the refusal (413, 415; 422 for no file).
    pub async fn finish(mut self, particulars: Particulars) -> AppResult<StagedUpload> {
        if self.refused.is_none() && !self.buffer.is_empty() {
            self.flush().await?;
        }
        if let Some(why) = self.refused.take() {
            return Err(why);
        }
        let (Some(staged), Some(kind)) = (self.staged.take(), self.kind) else {
            return Err(AppError::field("file", Code::ChooseAFile));
        };
        let sha256 = self
            .hash
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        Ok(StagedUpload {
            owner: self.owner,
            content_type: kind.content_type(&self.file_name),
            file_name: std::mem::take(&mut self.file_name),
            size: self.size as i64,
            sha256,
            staged,
            particulars,
        })
    }
}

/// The particulars checked: (title, provided_by, received_on, internal).
fn check(p: &Particulars, caller: &Caller) -> AppResult<(String, String, Option<NaiveDate>, bool)> {
    let mut errors = FieldErrors::default();
    let title = errors.take(
        "title",
        check_required_text(p.title.as_deref().unwrap_or(""), NAME_MAX * 2),
    );
    let provided_by = p.provided_by.as_deref().map(str::trim).unwrap_or("");
    if !PROVIDERS.contains(&provided_by) {
        errors.add("provided_by", Code::NotAProvider);
    }
    let received_on = match p.received_on.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => errors.take(
            "received_on",
            NaiveDate::parse_from_str(d, "%Y-%m-%d").map_err(|_| Code::NotADate),
        ),
    };
    let internal = match p.internal.as_deref().map(str::trim) {
        None | Some("") | Some("false") => false,
        Some("true") | Some("on") => true,
        Some(_) => {
            errors.add("internal", Code::NotTrueOrFalse);
            false
        }
    };
    if internal && caller.role == Role::Officer {
        errors.add("internal", Code::OfficersEvidenceNotInternal);
    }
    errors.finish()?;
    Ok((
        title.unwrap_or_default(),
        provided_by.to_string(),
        received_on,
        internal,
    ))
}

/// Keeps a staged upload: one short transaction checks the owner (scope, role) and the
/// particulars again, makes the record visible with its case event and access-log row, and
/// keeps the request's `Idempotency-Key` with it.
pub async fn keep(ctx: &Ctx, caller: &Caller, mut upload: StagedUpload) -> AppResult<EvidenceView> {
    let (c, caller_c) = (ctx.clone(), caller.clone());
    let id = upload.staged.id;
    let file_name = upload.file_name.clone();
    let (size, sha256, content_type) = (upload.size, upload.sha256.clone(), upload.content_type);
    let (owner, particulars) = (upload.owner, upload.particulars.clone());
    let kept = ctx
        .db
        .write(move |conn| {
            let caller = caller_c;
            // A case's own id, or the case a warning was escalated to.
            let case_id = may_attach(conn, &caller, owner)?;
            let (title, provided_by, received_on, internal) = check(&particulars, &caller)?;
            let file_name: String = file_name.chars().take(NAME_MAX * 2).collect();
            let file_name = match check_text(&file_name, NAME_MAX * 2) {
                Ok(()) if !file_name.trim().is_empty() => file_name,
                _ => "file".to_string(),
            };
            let now = c.now().naive_utc();
            let changed = diesel::update(
                evidence::table
                    .find(id)
                    .filter(evidence::status.eq("staging")),
            )
            .set((
                evidence::status.eq("kept"),
                evidence::case_id.eq(case_id),
                evidence::title.eq(&title),
                evidence::file_name.eq(&file_name),
                evidence::content_type.eq(content_type),
                evidence::size.eq(size),
                evidence::sha256.eq(&sha256),
                evidence::provided_by.eq(&provided_by),
                evidence::received_on.eq(received_on),
                evidence::internal.eq(internal),
                evidence::uploaded_at.eq(now),
            ))
            .execute(conn)?;
            if changed == 0 {
                return Err(AppError::Failure("the staged upload is gone".into()));
            }
            if let Some(case_id) = case_id {
                record_event(conn, case_id, caller.id, EVENT_ADDED, &title, now)?;
            }
            access::record(conn, caller.id, UPLOAD, "evidence", Some(id), now)?;
            idempotency::keep(conn, &c, caller.id, "evidence", id)?;
            let row = evidence::table
                .find(id)
                .select(crate::db::models::EvidenceRow::as_select())
                .first(conn)?;
            load_view(conn, &c, row)
        })
        .await;
    upload.staged.armed = false;
    if kept.is_err() {
        // Refused or failed: the staged rows go before the answer does.
        let _: AppResult<()> = ctx.db.write(move |conn| discard(conn, &[id])).await;
    }
    kept
}
