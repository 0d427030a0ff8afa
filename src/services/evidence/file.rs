//! A download: the item checked and its access-log row written (`open`), then its bytes read
//! one chunk at a time (`chunk`), so that a download holds one chunk in memory however large
//! the file is.

use super::{find_visible, DOWNLOAD};
use crate::db::schema::evidence_chunks;
use crate::db::Db;
use crate::error::{AppError, AppResult};
use crate::services::{access, Asker, Ctx};
use diesel::prelude::*;

/// What a download needs to answer before its first byte.
#[derive(Debug, Clone)]
pub struct FileHead {
    pub id: i64,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
}

/// The item's file for the caller (404 outside their scope, or internal to an officer), and the
/// download written to the access log in the same transaction.
pub async fn open(ctx: &Ctx, asker: impl Into<Asker>, id: i64) -> AppResult<FileHead> {
    let c = ctx.clone();
    ctx.write_as(asker.into(), move |conn, caller| {
        let row = find_visible(conn, &caller, id)?;
        access::record(
            conn,
            caller.id,
            DOWNLOAD,
            "evidence",
            Some(id),
            c.now().naive_utc(),
        )?;
        Ok(FileHead {
            id: row.id,
            file_name: row.file_name,
            content_type: row.content_type,
            size: row.size,
        })
    })
    .await
}

/// Chunk `seq` of item `id`'s file, `None` past its end.
pub async fn chunk(db: &Db, id: i64, seq: i64) -> AppResult<Option<Vec<u8>>> {
    db.read(move |conn| {
        evidence_chunks::table
            .find((id, seq))
            .select(evidence_chunks::bytes)
            .first(conn)
            .optional()
            .map_err(AppError::from)
    })
    .await
}
