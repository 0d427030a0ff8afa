//! The command line: `serve [--demo]`, `demo`, `migrate`, `user add`, `reminders run`, `report`,
//! `ledger export`, `import ledger`, `backup`, `restore`.
//! Every command loads the configuration and runs pending migrations first. `serve` also runs the
//! outbox worker and, every `reminder_interval` seconds (0: never), the reminder scan.

mod args;
mod backup;
mod import;
mod report;
mod serve;

use crate::clock::Clock;
use crate::config::{Config, Settings};
use crate::error::{AppError, Code};
use crate::reports;
use crate::services::stats::Span;
use crate::services::{demo, users, Ctx};
use args::*;
use clap::Parser;
use report::report;
use serve::serve;
use std::process::ExitCode;

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

/// A command's context: its pool never opens a connection in the background
/// (`Db::connect_on_demand`), so nothing is inside libpq when the command exits.
fn context(settings: Settings) -> Result<Ctx, String> {
    crate::startup::command_context(settings, Clock::system()).map_err(|e| e.to_string())
}

/// The server's context: a pool that keeps a connection ready.
fn server_context(settings: Settings) -> Result<Ctx, String> {
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
            let ctx = server_context(load_settings(cli.config.as_deref(), demo)?)?;
            if demo {
                let logins =
                    demo::ensure(&ctx, demo::DemoSize::default()).map_err(|e| e.to_string())?;
                println!("{logins}");
            }
            serve(ctx, bench_baseline)
        }
        Command::Backup { out } => {
            backup::run_backup(load_settings(cli.config.as_deref(), false)?, &out)
        }
        Command::Restore { file } => {
            backup::run_restore(load_settings(cli.config.as_deref(), false)?, &file)
        }
        Command::Reminders {
            command: RemindersCommand::Run { at },
        } => {
            let ctx = context(load_settings(cli.config.as_deref(), false)?)?;
            let at = match at {
                Some(a) => {
                    crate::domain::time::parse_instant(&a).map_err(|e| format!("--at {a}: {e}"))?
                }
                None => ctx.now(),
            };
            let report =
                crate::services::reminders::scan_blocking(&ctx, at).map_err(|e| e.to_string())?;
            let worker = crate::notify::worker::Worker::from_settings(&ctx.settings)?;
            let sent = actix_web::rt::System::new()
                .block_on(async move { worker.drain(&ctx).await })
                .map_err(|e| e.to_string())?;
            println!(
                "reminders: {} case, {} warning, {} instalment, {} confirmation; {} emails queued; {} outbox rows processed",
                report.case_reminders,
                report.warning_reminders,
                report.instalment_reminders,
                report.confirmation_reminders,
                report.emails,
                sent
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
                .map_err(message)?;
            println!(
                "created user {} (id {}, role {})",
                user.username, user.id, user.role
            );
            Ok(())
        }
        Command::Demo {
            cases,
            consultations,
            enterprises,
        } => {
            let ctx = context(load_settings(cli.config.as_deref(), false)?)?;
            let size = demo::DemoSize {
                enterprises,
                cases,
                consultations,
            };
            println!("{}", demo::ensure(&ctx, size).map_err(message)?);
            Ok(())
        }
        Command::Report {
            month,
            year,
            unit,
            format,
            out,
        } => {
            let span = match month {
                Some(m) => Span::month(Some(&m)),
                None => Span::year(year.as_deref()),
            }
            .map_err(message)?;
            let ctx = context(load_settings(cli.config.as_deref(), false)?)?;
            report(&ctx, span, unit, &format, out.as_deref())
        }
        Command::Import {
            command:
                ImportCommand::Ledger {
                    file,
                    unit,
                    dry_run,
                },
        } => {
            let ctx = context(load_settings(cli.config.as_deref(), false)?)?;
            import::run(&ctx, &file, unit, dry_run)
        }
        Command::Ledger {
            command:
                LedgerCommand::Export {
                    from,
                    to,
                    unit,
                    format,
                    out,
                    user,
                },
        } => {
            if !["csv", "xlsx"].contains(&format.as_str()) {
                return Err("--format must be csv or xlsx".into());
            }
            let (from, to) = Span::dates(Some(&from), Some(&to))
                .map_err(message)?
                .bounds();
            let ctx = context(load_settings(cli.config.as_deref(), false)?)?;
            let ledger = ctx
                .db
                .write_blocking(|conn| {
                    let caller = crate::services::auth::caller_by_username(conn, &user)?
                        .ok_or_else(|| crate::error::AppError::field("user", Code::NoActiveUser))?;
                    crate::services::ledger::export_in(conn, &ctx, &caller, from, to, unit)
                })
                .map_err(message)?;
            let bytes = match format.as_str() {
                "xlsx" => reports::ledger::xlsx(&ledger).map_err(|e| e.to_string())?,
                _ => reports::ledger::csv(&ledger).into_bytes(),
            };
            std::fs::write(&out, bytes)
                .map_err(|e| format!("cannot write {}: {e}", out.display()))?;
            eprintln!("{} cases written to {}", ledger.lines.len(), out.display());
            Ok(())
        }
    }
}

/// An error as the command line prints it: a 422's fields one by one.
fn message(e: AppError) -> String {
    match e {
        AppError::Validation(fields) => fields
            .0
            .iter()
            .map(|(k, v)| format!("{k}: {v}"))
            .collect::<Vec<_>>()
            .join("; "),
        other => other.to_string(),
    }
}
