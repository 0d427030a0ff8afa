//! Archiving (归档, issue 14): a closed case whose follow-up was made or waived gets its archive
//! number, per unit and year, from `archive_counters` in the archiving transaction (as a case
//! number is taken); from then on it is read-only: every change answers 409 `archived`
//! (`refuse_archived`, which `changing_case` and the evidence service ask), while its documents
//! still print. Several cases are archived at once one by one, each in its own transaction, and
//! the answer says of each whether it was archived or why not.

use super::follow_ups::{after_closing, load_archive, record, refusal};
use super::*;
use crate::db::schema::case_archives;
use crate::domain::follow_up::archive_no;

/// At most this many cases archived by one request.
pub const ARCHIVE_MANY_MAX: usize = 100;

/// 409 `archived` when case `id` is archived.
pub(crate) fn refuse_archived(conn: &mut DbConn, id: i64) -> AppResult<()> {
    let archived: Option<Option<String>> = case_archives::table
        .find(id)
        .select(case_archives::archive_no)
        .first(conn)
        .optional()?;
    match archived {
        Some(Some(_)) => Err(AppError::Archived),
        _ => Ok(()),
    }
}

/// Archives a closed case whose follow-up was made or waived (directors and admins).
pub async fn archive(ctx: &Ctx, caller: &Caller, id: i64) -> AppResult<CaseView> {
    caller.require(Permission::ReadCases)?;
    let (caller, c) = (caller.clone(), ctx.clone());
    ctx.db
        .write(move |conn| {
            let (row, _) = find_in_scope(conn, &caller, id)?;
            caller.require(Permission::ArchiveCase)?;
            after_closing(conn, &row)?.may_archive().map_err(refusal)?;
            let now = c.now();
            let year = chrono::Datelike::year(&c.local_date(now));
            // The next number no case holds yet (an imported ledger may have taken some).
            let number = loop {
                let seq = crate::db::next_archive_number(conn, row.unit_id, i64::from(year))?;
                let number = archive_no(&c.settings.config.case_no_prefix, row.unit_id, year, seq);
                let taken: i64 = case_archives::table
                    .filter(case_archives::archive_no.eq(&number))
                    .count()
                    .get_result(conn)?;
                if taken == 0 {
                    break number;
                }
            };
            let now_n = now.naive_utc();
            let archived = (
                case_archives::archive_no.eq(Some(&number)),
                case_archives::archived_at.eq(Some(now_n)),
                case_archives::archived_by.eq(Some(caller.id)),
            );
            match load_archive(conn, id)? {
                Some(_) => {
                    diesel::update(case_archives::table.find(id))
                        .set(archived)
                        .execute(conn)?;
                }
                None => {
                    diesel::insert_into(case_archives::table)
                        .values(ArchiveRow {
                            case_id: id,
                            waived_reason: None,
                            waived_by: None,
                            waived_at: None,
                            archive_no: Some(number.clone()),
                            archived_at: Some(now_n),
                            archived_by: Some(caller.id),
                        })
                        .execute(conn)?;
                }
            }
            record(conn, &row, caller.id, "archive", Some(&number), now_n)?;
            load_view(conn, &c, &caller, id)
        })
        .await
}

/// What archiving one of several cases came to.
#[derive(Debug, Serialize)]
pub struct ArchiveOutcome {
    pub id: i64,
    /// The case's number when it was archived (a refused id may name no case the caller sees).
    pub case_no: Option<String>,
    pub archived: bool,
    pub archive_no: Option<String>,
    /// Why it was not archived: the code and message a single request would have answered.
    pub error: Option<serde_json::Value>,
    /// The refusal itself, for a page to say in its reader's language.
    #[serde(skip)]
    pub refusal: Option<AppError>,
}

#[derive(Debug, Serialize)]
pub struct ArchiveResults {
    pub archived: usize,
    pub refused: usize,
    pub items: Vec<ArchiveOutcome>,
}

/// Archives each of `ids` in its own transaction, in the order given (each id once): one
/// refusal does not stop the others. 403 for the whole request when the caller may not archive;
/// 422 for no ids or more than `ARCHIVE_MANY_MAX`.
pub async fn archive_many(ctx: &Ctx, caller: &Caller, ids: Vec<i64>) -> AppResult<ArchiveResults> {
    caller.require(Permission::ReadCases)?;
    caller.require(Permission::ArchiveCase)?;
    if ids.is_empty() || ids.len() > ARCHIVE_MANY_MAX {
        return Err(AppError::field(
            "ids",
            Code::ArchiveIdsCount.with("max", ARCHIVE_MANY_MAX),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let mut items = Vec::new();
    for id in ids.into_iter().filter(|id| seen.insert(*id)) {
        let outcome = match archive(ctx, caller, id).await {
            Ok(view) => ArchiveOutcome {
                id,
                case_no: Some(view.case_no),
                archived: true,
                archive_no: view.archive_no,
                error: None,
                refusal: None,
            },
            Err(e @ (AppError::Internal(_) | AppError::Failure(_))) => return Err(e),
            Err(e) => ArchiveOutcome {
                id,
                case_no: None,
                archived: false,
                archive_no: None,
                error: Some(serde_json::json!({"code": e.code(), "message": e.to_string()})),
                refusal: Some(e),
            },
        };
        items.push(outcome);
    }
    let archived = items.iter().filter(|i| i.archived).count();
    Ok(ArchiveResults {
        archived,
        refused: items.len() - archived,
        items,
    })
}
