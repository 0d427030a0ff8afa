//! Evidence (证据材料): files attached to a case by its staff, or to a warning by the officer of
//! its enterprise (photos from a phone), carried over to the case when the warning is escalated.
//!
//! The files live in the database (`evidence`, and their bytes in 256 KiB rows of
//! `evidence_chunks`), so that every instance of a multi-instance deployment serves them and a
//! database backup holds them (docs/architecture.md, Evidence). Nothing holds a whole file in
//! memory: an upload is hashed and written chunk by chunk as it streams in (`upload`), each chunk
//! in a short transaction of its own, under a row still `staging`; one short transaction then
//! checks the particulars and makes the record visible with its case event and access-log row
//! (`keep`). A download reads one chunk at a time (`file`).
//!
//! The type is judged from the content (`sniff`), never from the name. A removed item stays,
//! listed as removed, with its file.

mod file;
pub mod sniff;
mod upload;

pub use file::{chunk, open, FileHead};
pub use upload::{keep, Particulars, StagedUpload, Staging};

use super::{Asker, Caller, Ctx, Scope};
use crate::context::rfc3339;
use crate::db::models::{EvidenceRow, NewCaseEvent};
use crate::db::schema::{case_events, cases, evidence, units, users};
use crate::db::DbConn;
use crate::domain::permission::Permission;
use crate::domain::role::Role;
use crate::domain::text::{check_required_text, LONG_TEXT_MAX};
use crate::error::{AppError, AppResult, Code};
use chrono::NaiveDateTime;
use diesel::prelude::*;
use serde::Serialize;

/// The size of one stored chunk of a file.
pub const CHUNK: usize = 256 * 1024;

/// The access-log action of a download.
pub const DOWNLOAD: &str = "download_evidence";
/// The access-log action of an upload.
pub const UPLOAD: &str = "upload_evidence";
/// The timeline's events (`event.evidence.*` in the catalogs).
pub const EVENT_ADDED: &str = "evidence.added";
pub const EVENT_REMOVED: &str = "evidence.removed";

/// Who provided an item.
pub const PROVIDERS: [&str; 3] = ["applicant", "respondent", "center"];

/// What evidence is attached to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Owner {
    Case(i64),
    Warning(i64),
}

/// One item as the API answers it and the pages list it.
#[derive(Debug, Clone, Serialize)]
pub struct EvidenceView {
    pub id: i64,
    pub case_id: Option<i64>,
    pub warning_id: Option<i64>,
    pub title: String,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub provided_by: String,
    pub received_on: Option<String>,
    pub internal: bool,
    pub uploaded_by: i64,
    pub uploaded_by_name: String,
    pub uploaded_at: String,
    pub removed: bool,
    pub removed_at: Option<String>,
    pub removal_reason: Option<String>,
    /// Whether it is a photo (the warning page shows photos).
    pub image: bool,
}

#[derive(Debug, Serialize)]
pub struct Items {
    pub items: Vec<EvidenceView>,
}

fn view(ctx: &Ctx, row: EvidenceRow, uploader: String) -> EvidenceView {
    EvidenceView {
        id: row.id,
        case_id: row.case_id,
        warning_id: row.warning_id,
        image: row.content_type.starts_with("image/"),
        title: row.title,
        file_name: row.file_name,
        content_type: row.content_type,
        size: row.size,
        sha256: row.sha256,
        provided_by: row.provided_by,
        received_on: row.received_on.map(|d| d.to_string()),
        internal: row.internal,
        uploaded_by: row.uploaded_by,
        uploaded_by_name: uploader,
        uploaded_at: rfc3339(ctx, row.uploaded_at),
        removed: row.removed_at.is_some(),
        removed_at: row.removed_at.map(|t| rfc3339(ctx, t)),
        removal_reason: row.removal_reason,
    }
}

/// Whether the caller sees case `id` (404 otherwise: no existence leak).
fn case_visible(conn: &mut DbConn, caller: &Caller, id: i64) -> AppResult<bool> {
    // On the backend's own connection: the case page asks this on every view.
    let found: Option<(i64, String)> = crate::on_backend!(conn, |c| {
        cases::table
            .inner_join(units::table.on(units::id.eq(cases::unit_id)))
            .filter(cases::id.eq(id))
            .select((cases::enterprise_id, units::path))
            .first(c)
            .optional()?
    });
    Ok(match (found, caller.scope()) {
        (None, _) | (_, Scope::Nothing) => false,
        (Some(_), Scope::All) => true,
        (Some((enterprise, _)), Scope::Enterprise(e)) => enterprise == e,
        (Some((_, path)), Scope::Units(prefix)) => path.starts_with(&prefix),
    })
}

/// The read permission of an owner's kind.
fn read_permission(owner: Owner) -> Permission {
    match owner {
        Owner::Case(_) => Permission::ReadCases,
        Owner::Warning(_) => Permission::ReadWarnings,
    }
}

/// 403 unless the caller may read the owner's kind, 404 unless they see the owner. For a
/// warning, the case it was escalated to (evidence added later goes there too).
fn owner_in_scope(conn: &mut DbConn, caller: &Caller, owner: Owner) -> AppResult<Option<i64>> {
    caller.require(read_permission(owner))?;
    match owner {
        Owner::Case(id) => match case_visible(conn, caller, id)? {
            true => Ok(Some(id)),
            false => Err(AppError::not_found("case")),
        },
        Owner::Warning(id) => match super::escalation::find_in_scope(conn, caller, id)? {
            Some(w) => Ok(w.case_id),
            None => Err(AppError::not_found("warning")),
        },
    }
}

/// The checks before an upload is read: the owner in scope (404), the caller allowed to attach
/// to it (403). Answers the case a warning's photos also go to.
fn may_attach(conn: &mut DbConn, caller: &Caller, owner: Owner) -> AppResult<Option<i64>> {
    let case = owner_in_scope(conn, caller, owner)?;
    caller.require(attach_permission(owner))?;
    // Nothing is added to an archived case's file (a warning's photos go to its case too).
    if let Some(id) = case {
        crate::services::cases::refuse_archived(conn, id)?;
    }
    Ok(case)
}

fn attach_permission(owner: Owner) -> Permission {
    match owner {
        Owner::Case(_) => Permission::AttachEvidence,
        Owner::Warning(_) => Permission::AttachWarningPhotos,
    }
}

/// Whether the caller may attach to `owner` (the pages offer the form only then).
pub async fn check_attach(ctx: &Ctx, caller: &Caller, owner: Owner) -> AppResult<()> {
    let caller = caller.clone();
    ctx.db
        .read(move |conn| may_attach(conn, &caller, owner).map(|_| ()))
        .await
}

/// A kept item the caller sees: its owner in their scope, and for an officer only what is not
/// internal; 404 otherwise.
fn find_visible(conn: &mut DbConn, caller: &Caller, id: i64) -> AppResult<EvidenceRow> {
    let row: Option<EvidenceRow> = evidence::table
        .find(id)
        .filter(evidence::status.eq("kept"))
        .select(EvidenceRow::as_select())
        .first(conn)
        .optional()?;
    let Some(row) = row else {
        return Err(AppError::not_found("evidence"));
    };
    if row.internal && caller.role == Role::Officer {
        return Err(AppError::not_found("evidence"));
    }
    let owner = match (row.case_id, row.warning_id) {
        (Some(case), _) => Owner::Case(case),
        (None, Some(warning)) => Owner::Warning(warning),
        (None, None) => return Err(AppError::not_found("evidence")),
    };
    match owner_in_scope(conn, caller, owner) {
        Ok(_) => Ok(row),
        Err(AppError::NotFound(_)) => Err(AppError::not_found("evidence")),
        Err(e) => Err(e),
    }
}

fn uploader_name(conn: &mut DbConn, id: i64) -> QueryResult<String> {
    users::table
        .find(id)
        .select(users::display_name)
        .first(conn)
}

fn load_view(conn: &mut DbConn, ctx: &Ctx, row: EvidenceRow) -> AppResult<EvidenceView> {
    let name = uploader_name(conn, row.uploaded_by)?;
    Ok(view(ctx, row, name))
}

/// The evidence of a case or a warning, oldest first (an officer: without internal items).
pub async fn list(ctx: &Ctx, asker: impl Into<Asker>, owner: Owner) -> AppResult<Items> {
    let c = ctx.clone();
    ctx.read_as(asker.into(), move |conn, caller| {
        list_in(conn, &c, &caller, owner)
    })
    .await
}

/// The list and whether the caller may attach to `owner`, in one trip (the case and warning
/// pages show both).
/// Two statements without a transaction around them (on SQLite a snapshot's BEGIN and COMMIT
/// would be two more): a list a moment newer than the scope check is still the owner's.
pub async fn list_for_page(ctx: &Ctx, caller: &Caller, owner: Owner) -> AppResult<(Items, bool)> {
    let (c, caller) = (ctx.clone(), caller.clone());
    ctx.db
        .read(move |conn| {
            let items = list_in(conn, &c, &caller, owner)?;
            // The owner's scope was checked by the list: only the role is left to ask, and
            // whether the case is archived (nothing is added to an archived file).
            let open_file = match owner {
                Owner::Case(id) => crate::services::cases::refuse_archived(conn, id).is_ok(),
                Owner::Warning(_) => true,
            };
            Ok((items, open_file && caller.may(attach_permission(owner))))
        })
        .await
}

fn list_in(conn: &mut DbConn, ctx: &Ctx, caller: &Caller, owner: Owner) -> AppResult<Items> {
    owner_in_scope(conn, caller, owner)?;
    let (case_id, warning_id) = match owner {
        Owner::Case(id) => (Some(id), None),
        Owner::Warning(id) => (None, Some(id)),
    };
    // Officers never see internal items: `internal <= false` then, anything for staff.
    let internal_max = caller.role != Role::Officer;
    // One statement of one type either way (the backend's own connection finds it cached).
    let rows: Vec<(EvidenceRow, String)> = crate::on_backend!(conn, |c| {
        evidence::table
            .inner_join(users::table.on(users::id.eq(evidence::uploaded_by)))
            .filter(evidence::status.eq("kept"))
            .filter(
                evidence::case_id
                    .eq(case_id)
                    .or(evidence::warning_id.eq(warning_id)),
            )
            .filter(evidence::internal.le(internal_max))
            .select((EvidenceRow::as_select(), users::display_name))
            .order((evidence::uploaded_at.asc(), evidence::id.asc()))
            .load(c)?
    });
    Ok(Items {
        items: rows
            .into_iter()
            .map(|(row, name)| view(ctx, row, name))
            .collect(),
    })
}

/// One item, as the caller sees it.
pub async fn get(ctx: &Ctx, caller: &Caller, id: i64) -> AppResult<EvidenceView> {
    let (c, caller) = (ctx.clone(), caller.clone());
    ctx.db
        .read(move |conn| {
            let row = find_visible(conn, &caller, id)?;
            load_view(conn, &c, row)
        })
        .await
}

/// Marks an item removed, with the reason: it stays listed (`removed`), its file stays, and a
/// case's timeline records the removal. A second removal is 409.
pub async fn remove(
    ctx: &Ctx,
    asker: impl Into<Asker>,
    id: i64,
    reason: Option<String>,
) -> AppResult<EvidenceView> {
    let c = ctx.clone();
    ctx.write_as(asker.into(), move |conn, caller| {
        let row = find_visible(conn, &caller, id)?;
        caller.require(Permission::RemoveEvidence)?;
        if let Some(case_id) = row.case_id {
            crate::services::cases::refuse_archived(conn, case_id)?;
        }
        if row.removed_at.is_some() {
            return Err(AppError::InvalidTransition(
                Code::EvidenceRemovedAlready.into(),
            ));
        }
        let reason = check_required_text(reason.as_deref().unwrap_or(""), LONG_TEXT_MAX)
            .map_err(|e| AppError::field("reason", e))?;
        let now = c.now().naive_utc();
        diesel::update(evidence::table.find(id))
            .set((
                evidence::removed_at.eq(Some(now)),
                evidence::removed_by.eq(Some(caller.id)),
                evidence::removal_reason.eq(Some(&reason)),
            ))
            .execute(conn)?;
        if let Some(case_id) = row.case_id {
            let note = format!("{} — {reason}", row.title);
            record_event(conn, case_id, caller.id, EVENT_REMOVED, &note, now)?;
        }
        let row = find_visible(conn, &caller, id)?;
        load_view(conn, &c, row)
    })
    .await
}

fn record_event(
    conn: &mut DbConn,
    case_id: i64,
    actor: i64,
    action: &str,
    note: &str,
    now: NaiveDateTime,
) -> QueryResult<()> {
    diesel::insert_into(case_events::table)
        .values(NewCaseEvent {
            case_id,
            actor_id: Some(actor),
            at: now,
            action,
            from_status: None,
            to_status: None,
            note: Some(note),
            created_at: now,
            assignee_id: None,
        })
        .execute(conn)
        .map(|_| ())
}

/// In the escalation's transaction: the warning's evidence becomes the new case's too (it stays
/// listed on the warning).
pub(crate) fn carry_to_case(
    conn: &mut DbConn,
    warning_id: i64,
    case_id: i64,
) -> QueryResult<usize> {
    diesel::update(
        evidence::table
            .filter(evidence::warning_id.eq(warning_id))
            .filter(evidence::case_id.is_null()),
    )
    .set(evidence::case_id.eq(Some(case_id)))
    .execute(conn)
}
