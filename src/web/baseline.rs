//! The load benchmark's baseline: bare handlers doing one diesel insert or one select on the same
//! database and pool, with no authentication, validation or JSON shaping. Mounted only by the
//! hidden `serve --bench-baseline`; the real routes are measured against these (docs/benchmarks.md).

use crate::db::models::CaseRow;
use crate::db::schema::{cases, login_failures, units};
use crate::error::AppError;
use crate::services::Ctx;
use actix_web::{web, HttpResponse};
use diesel::prelude::*;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/bench/insert", web::post().to(insert))
        .route("/bench/select/{id}", web::get().to(select))
        .route("/bench/page", web::get().to(page));
}

/// One insert in a transaction of its own (on the blocking pool, under the write lock, with
/// `BEGIN IMMEDIATE`), as a plain handler commits: not through the group commit of `Db::write`.
async fn insert(ctx: web::Data<Ctx>) -> Result<HttpResponse, AppError> {
    let now = ctx.now().naive_utc();
    let db = ctx.db.clone();
    ctx.db
        .blocking(move || {
            db.write_blocking(|conn| {
                diesel::insert_into(login_failures::table)
                    .values((
                        login_failures::address.eq("bench"),
                        login_failures::at.eq(now),
                    ))
                    .execute(conn)?;
                Ok::<_, AppError>(())
            })
        })
        .await?;
    Ok(HttpResponse::Created().finish())
}

async fn select(ctx: web::Data<Ctx>, id: web::Path<i64>) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let row: CaseRow = ctx
        .db
        .read(move |conn| {
            cases::table
                .find(id)
                .select(CaseRow::as_select())
                .first(conn)
                .map_err(AppError::from)
        })
        .await?;
    Ok(HttpResponse::Ok().json(serde_json::json!({"id": row.id, "case_no": row.case_no})))
}

#[derive(serde::Deserialize)]
struct PageQuery {
    status: String,
    unit_id: Option<i64>,
}

/// One select of a list page's rows: 50 cases of a status (in a unit's subtree), newest first,
/// with no count, authentication or JSON shaping of the summaries. The list route does this and
/// the count, the scope and the shaping.
async fn page(ctx: web::Data<Ctx>, q: web::Query<PageQuery>) -> Result<HttpResponse, AppError> {
    let PageQuery { status, unit_id } = q.into_inner();
    let rows: Vec<CaseRow> = ctx
        .db
        .read(move |conn| {
            let mut query = cases::table.filter(cases::status.eq(status)).into_boxed();
            if let Some(u) = unit_id {
                let path: String = units::table.find(u).select(units::path).first(conn)?;
                query =
                    query.filter(cases::unit_id.eq_any(crate::services::units_under(conn, &path)?));
            }
            query
                .order((cases::received_at.desc(), cases::id.desc()))
                .limit(50)
                .select(CaseRow::as_select())
                .load(conn)
                .map_err(AppError::from)
        })
        .await?;
    let items: Vec<_> = rows
        .iter()
        .map(|r| serde_json::json!({"id": r.id, "case_no": r.case_no}))
        .collect();
    Ok(HttpResponse::Ok().json(items))
}
