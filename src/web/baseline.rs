//! The load benchmark's baseline: bare handlers doing one diesel insert or one select on the same
//! database and pool, with no authentication, validation or JSON shaping. Mounted only by the
//! hidden `serve --bench-baseline`; the real routes are measured against these (docs/benchmarks.md).

use crate::db::models::CaseRow;
use crate::db::schema::{cases, login_failures};
use crate::error::AppError;
use crate::services::Ctx;
use actix_web::{web, HttpResponse};
use diesel::prelude::*;

pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/bench/insert", web::post().to(insert))
        .route("/bench/select/{id}", web::get().to(select));
}

async fn insert(ctx: web::Data<Ctx>) -> Result<HttpResponse, AppError> {
    let now = ctx.now().naive_utc();
    ctx.db
        .write(move |conn| {
            diesel::insert_into(login_failures::table)
                .values((
                    login_failures::address.eq("bench"),
                    login_failures::at.eq(now),
                ))
                .execute(conn)?;
            Ok::<_, AppError>(())
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
