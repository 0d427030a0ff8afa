//! Wiring: the pool and migrations behind a `Ctx`, and the HTTP server on a listener.

use crate::clock::Clock;
use crate::config::Settings;
use crate::db::{Db, DbError};
use crate::services::{digests, Ctx};
use actix_web::dev::Service;
use actix_web::{middleware, web, App, HttpServer};
use std::net::TcpListener;
use std::sync::Arc;

/// Connects, migrates and returns the context every use case gets.
pub fn context(settings: Settings, clock: Clock) -> Result<Ctx, DbError> {
    let db = Db::connect(
        &settings.config.database_url,
        settings.config.database_pool_size,
    )?;
    ready(db, settings, clock)
}

/// `context` for a command that runs and exits: its pool opens connections only when asked
/// (`Db::connect_on_demand`).
pub fn command_context(settings: Settings, clock: Clock) -> Result<Ctx, DbError> {
    let db = Db::connect_on_demand(
        &settings.config.database_url,
        settings.config.database_pool_size,
    )?;
    ready(db, settings, clock)
}

fn ready(db: Db, settings: Settings, clock: Clock) -> Result<Ctx, DbError> {
    db.migrate()?;
    // The applicants' search digests of cases written before them, or under another key.
    let key = &settings.search_key;
    db.write_blocking(|conn| digests::check_key(conn, key).map_err(DbError::from))?;
    while db.write_blocking(|conn| digests::fill_batch(conn, key).map_err(DbError::from))? > 0 {}
    // PostgreSQL's statistics roll-up counts months in the configured zone.
    crate::db::stats::rollup::prepare(&mut *db.get()?, settings.tz.name())?;
    Ok(Ctx {
        claim: None,
        db,
        settings: Arc::new(settings),
        clock,
    })
}

/// The server on `listener`, with `workers` worker threads (0: one per core).
pub fn server(
    ctx: Ctx,
    listener: TcpListener,
    workers: usize,
) -> std::io::Result<actix_web::dev::Server> {
    server_with(ctx, listener, workers, false)
}

/// The server, optionally with the benchmark's baseline routes mounted first.
pub fn server_with(
    ctx: Ctx,
    listener: TcpListener,
    workers: usize,
    bench_baseline: bool,
) -> std::io::Result<actix_web::dev::Server> {
    let pool_size = ctx.settings.config.database_pool_size as usize;
    let data = web::Data::new(ctx);
    let mut server = HttpServer::new(move || {
        App::new()
            .app_data(data.clone())
            .wrap(
                middleware::DefaultHeaders::new()
                    .add(("X-Content-Type-Options", "nosniff"))
                    .add((
                        "Content-Security-Policy",
                        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
                         form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
                    ))
                    .add(("Referrer-Policy", "same-origin"))
                    .add(("X-Frame-Options", "DENY"))
                    .add(("Cache-Control", "no-store")),
            )
            // Method, path and status only: query strings may carry names typed into a search.
            .wrap_fn(|req, srv| {
                let method = req.method().clone();
                let path = req.path().to_string();
                let started = std::time::Instant::now();
                let fut = srv.call(req);
                async move {
                    let res = fut.await?;
                    tracing::debug!(
                        %method,
                        %path,
                        status = res.status().as_u16(),
                        ms = started.elapsed().as_millis() as u64,
                        "request"
                    );
                    Ok(res)
                }
            })
            .configure(|cfg| {
                if bench_baseline {
                    crate::web::baseline::routes(cfg);
                }
                crate::web::routes(cfg)
            })
    })
    .listen(listener)?;
    if workers > 0 {
        server = server.workers(workers);
    }
    // Every blocking task holds a database connection, so more blocking threads than the pool
    // has connections would only queue on the pool, switching threads for nothing.
    let worker_count = if workers > 0 {
        workers
    } else {
        std::thread::available_parallelism().map_or(1, |n| n.get())
    };
    server = server.worker_max_blocking_threads((pool_size / worker_count).max(1));
    Ok(server.run())
}
