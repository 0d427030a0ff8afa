//! Logging to stderr. The level comes from `TIAOJIE_LOG` (error, warn, info, debug, trace).
//! Nothing we log carries personal data: see docs/logging.md.

pub fn init() {
    let level = std::env::var("TIAOJIE_LOG")
        .ok()
        .and_then(|l| l.parse::<tracing::Level>().ok())
        .unwrap_or(tracing::Level::INFO);
    let _ = tracing_subscriber::fmt()
        .with_max_level(level)
        .with_writer(std::io::stderr)
        .try_init();
}
