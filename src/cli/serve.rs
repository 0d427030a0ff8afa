//! `tiaojie serve`: the web server with the outbox worker and the periodic reminder scan beside it.

use crate::services::Ctx;

pub(super) fn serve(ctx: Ctx, bench_baseline: bool) -> Result<(), String> {
    let bind = ctx.settings.config.bind.clone();
    let listener =
        std::net::TcpListener::bind(&bind).map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    println!("tiaojie listening on http://{bind}");
    if ctx.settings.search_key_is_default {
        tracing::warn!(
            "search_key is not set: the applicants' search digests use the development key; \
             set TIAOJIE_SEARCH_KEY (32 characters or more) in production"
        );
    }
    let worker = crate::notify::worker::Worker::from_settings(&ctx.settings)?;
    actix_web::rt::System::new().block_on(async move {
        actix_web::rt::spawn(worker.run(ctx.clone()));
        let interval = ctx.settings.config.reminder_interval;
        if interval > 0 {
            actix_web::rt::spawn(reminder_loop(ctx.clone(), interval));
        }
        let server = crate::startup::server_with(ctx, listener, 0, bench_baseline)
            .map_err(|e| e.to_string())?;
        server.await.map_err(|e| e.to_string())
    })
}

/// The periodic reminder scan inside `serve`; idempotent, so several instances may all run it.
async fn reminder_loop(ctx: Ctx, interval: u64) {
    let mut tick = tokio::time::interval(std::time::Duration::from_secs(interval));
    loop {
        tick.tick().await;
        match crate::services::reminders::scan(&ctx, ctx.now()).await {
            Ok(r) => tracing::info!(
                cases = r.case_reminders,
                warnings = r.warning_reminders,
                instalments = r.instalment_reminders,
                confirmations = r.confirmation_reminders,
                emails = r.emails,
                "reminder scan"
            ),
            Err(e) => tracing::error!(error = %e, "reminder scan failed"),
        }
    }
}
