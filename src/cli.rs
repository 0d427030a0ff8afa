//! The command line: `serve [--demo]`, `migrate`, `user add`, `reminders run`. Every command
//! loads the configuration and runs pending migrations first. `serve` also runs the outbox worker
//! and, every `reminder_interval` seconds (0: never), the reminder scan.

use crate::clock::Clock;
use crate::config::{Config, Settings};
use crate::services::{demo, users, Ctx};
use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Parser)]
#[command(
    name = "tiaojie",
    version,
    about = "Labor-dispute mediation case tracker"
)]
struct Cli {
    /// Configuration file (overrides config/default.toml; TIAOJIE_* variables override it).
    #[arg(long, global = true, env = "TIAOJIE_CONFIG")]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run migrations, then serve the web UI and the JSON API.
    Serve {
        /// Use a demo database (data/demo.db unless TIAOJIE_DATABASE_URL is set) filled with
        /// sample data, and print the demo logins.
        #[arg(long)]
        demo: bool,
        /// Also mount the benchmark's baseline routes (/bench/insert, /bench/select): a bare
        /// handler doing one diesel query, to compare the real routes against. Never in production.
        #[arg(long, hide = true)]
        bench_baseline: bool,
    },
    /// Fill an empty database with generated sample data of the given size (for benchmarks).
    Generate {
        #[arg(long, default_value_t = 100_000)]
        cases: usize,
        #[arg(long, default_value_t = 150)]
        enterprises: usize,
    },
    /// Run pending migrations and exit.
    Migrate,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Deadline and warning reminders.
    Reminders {
        #[command(subcommand)]
        command: RemindersCommand,
    },
}

#[derive(Subcommand)]
enum RemindersCommand {
    /// One reminder scan as of the given time (default now); idempotent. The queued mails go out
    /// through the outbox (this command sends what is due before it exits).
    Run {
        /// RFC 3339 time, e.g. 2026-03-16T09:00:00+08:00.
        #[arg(long)]
        at: Option<String>,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user; the password comes from TIAOJIE_PASSWORD or is asked for on the terminal.
    Add {
        #[arg(long)]
        username: String,
        #[arg(long)]
        role: String,
        #[arg(long)]
        email: String,
        #[arg(long)]
        display_name: Option<String>,
        #[arg(long)]
        unit: Option<i64>,
        #[arg(long)]
        enterprise: Option<i64>,
    },
}

pub fn main() -> ExitCode {
    crate::telemetry::init();
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("tiaojie: {message}");
            ExitCode::FAILURE
        }
    }
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

fn load_settings(path: Option<&std::path::Path>, demo: bool) -> Result<Settings, String> {
    let mut config = Config::load(path, &env).map_err(|e| e.to_string())?;
    if demo && env("TIAOJIE_DATABASE_URL").is_none() {
        config.database_url = "sqlite://data/demo.db".into();
    }
    config.into_settings().map_err(|e| e.to_string())
}

fn context(settings: Settings) -> Result<Ctx, String> {
    crate::startup::context(settings, Clock::system()).map_err(|e| e.to_string())
}

fn run(cli: Cli) -> Result<(), String> {
    match cli.command {
        Command::Migrate => {
            context(load_settings(cli.config.as_deref(), false)?)?;
            println!("migrations are up to date");
            Ok(())
        }
        Command::Serve {
            demo,
            bench_baseline,
        } => {
            let ctx = context(load_settings(cli.config.as_deref(), demo)?)?;
            if demo {
                let logins =
                    demo::ensure(&ctx, demo::DemoSize::default()).map_err(|e| e.to_string())?;
                println!("{logins}");
            }
            serve(ctx, bench_baseline)
        }
        Command::Generate { cases, enterprises } => {
            let ctx = context(load_settings(cli.config.as_deref(), false)?)?;
            let started = std::time::Instant::now();
            let size = demo::DemoSize {
                enterprises: enterprises.max(1),
                cases,
                consultations: cases * 73 / 100,
            };
            let logins = demo::ensure(&ctx, size).map_err(|e| e.to_string())?;
            println!("{logins}");
            println!("generated in {:.1} s", started.elapsed().as_secs_f64());
            Ok(())
        }
        Command::Reminders {
            command: RemindersCommand::Run { at },
        } => {
            let ctx = context(load_settings(cli.config.as_deref(), false)?)?;
            let at = match at {
                Some(a) => chrono::DateTime::parse_from_rfc3339(a.trim())
                    .map_err(|_| format!("--at {a}: must be an RFC 3339 time with offset"))?
                    .with_timezone(&chrono::Utc),
                None => ctx.now(),
            };
            let report =
                crate::services::reminders::scan_blocking(&ctx, at).map_err(|e| e.to_string())?;
            let worker = crate::notify::worker::Worker::from_settings(&ctx.settings)?;
            let sent = actix_web::rt::System::new()
                .block_on(async move { worker.drain(&ctx).await })
                .map_err(|e| e.to_string())?;
            println!(
                "reminders: {} case, {} warning; {} emails queued; {} outbox rows processed",
                report.case_reminders, report.warning_reminders, report.emails, sent
            );
            Ok(())
        }
        Command::User {
            command:
                UserCommand::Add {
                    username,
                    role,
                    email,
                    display_name,
                    unit,
                    enterprise,
                },
        } => {
            let ctx = context(load_settings(cli.config.as_deref(), false)?)?;
            let password = match env("TIAOJIE_PASSWORD") {
                Some(p) => p,
                None => rpassword::prompt_password("Password for the new user: ")
                    .map_err(|e| format!("cannot read the password: {e}"))?,
            };
            let input = users::UserInput {
                username,
                display_name,
                email,
                password,
                role,
                unit_id: unit,
                enterprise_id: enterprise,
            };
            let now = ctx.now().naive_utc();
            let user = ctx
                .db
                .write_blocking(|conn| users::create_in(conn, None, input, now))
                .map_err(|e| match e {
                    crate::error::AppError::Validation(fields) => fields
                        .0
                        .iter()
                        .map(|(k, v)| format!("{k}: {v}"))
                        .collect::<Vec<_>>()
                        .join("; "),
                    other => other.to_string(),
                })?;
            println!(
                "created user {} (id {}, role {})",
                user.username, user.id, user.role
            );
            Ok(())
        }
    }
}

fn serve(ctx: Ctx, bench_baseline: bool) -> Result<(), String> {
    let bind = ctx.settings.config.bind.clone();
    let listener =
        std::net::TcpListener::bind(&bind).map_err(|e| format!("cannot listen on {bind}: {e}"))?;
    println!("tiaojie listening on http://{bind}");
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
                emails = r.emails,
                "reminder scan"
            ),
            Err(e) => tracing::error!(error = %e, "reminder scan failed"),
        }
    }
}
