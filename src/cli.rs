//! The command line: `serve [--demo]`, `demo`, `migrate`, `user add`, `reminders run`, `report`,
//! `ledger export`, `import ledger`, `backup`, `restore`.
//! Every command loads the configuration and runs pending migrations first. `serve` also runs the
//! outbox worker and, every `reminder_interval` seconds (0: never), the reminder scan.

mod backup;
mod import;

use crate::clock::Clock;
use crate::config::{Config, Settings};
use crate::error::AppError;
use crate::reports;
use crate::services::stats::{self, Root, Span};
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
    /// Run pending migrations and exit.
    Migrate,
    /// Manage users.
    User {
        #[command(subcommand)]
        command: UserCommand,
    },
    /// Fill an empty database with the deterministic demo data of this size (a year of cases up
    /// to now; for trying the reports and for benchmarks) and print the demo logins.
    Demo {
        #[arg(long, default_value_t = 1000)]
        cases: usize,
        #[arg(long, default_value_t = 730)]
        consultations: usize,
        #[arg(long, default_value_t = 150)]
        enterprises: usize,
    },
    /// The monthly (--month YYYY-MM) or yearly (--year YYYY) report, of one unit and all below
    /// it (--unit ID) or of every unit.
    Report {
        #[arg(long, required_unless_present = "year", conflicts_with = "year")]
        month: Option<String>,
        #[arg(long)]
        year: Option<String>,
        #[arg(long)]
        unit: Option<i64>,
        /// text, csv or xlsx (xlsx needs --out).
        #[arg(long, default_value = "text")]
        format: String,
        /// Write to this file instead of standard output.
        #[arg(long)]
        out: Option<PathBuf>,
    },
    /// The ledger (台账) of the cases received in [--from, --to), of one unit and all below it
    /// (--unit ID) or of every unit, as CSV or xlsx.
    Ledger {
        #[command(subcommand)]
        command: LedgerCommand,
    },
    /// Import records kept elsewhere.
    Import {
        #[command(subcommand)]
        command: ImportCommand,
    },
    /// A consistent copy of the SQLite database in FILE, taken while the server runs; never
    /// overwrites a file. On PostgreSQL: prints the pg_dump command to use and exits with 1.
    Backup {
        #[arg(long)]
        out: PathBuf,
    },
    /// Fills an empty SQLite database from a backup made by `backup`; refuses a database that
    /// is not empty. On PostgreSQL: prints the pg_restore command to use and exits with 1.
    Restore { file: PathBuf },
    /// Deadline and warning reminders.
    Reminders {
        #[command(subcommand)]
        command: RemindersCommand,
    },
}

#[derive(Subcommand)]
enum LedgerCommand {
    /// Write the ledger of [--from, --to) to --out.
    Export {
        /// First date, YYYY-MM-DD.
        #[arg(long)]
        from: String,
        /// The date after the last, YYYY-MM-DD.
        #[arg(long)]
        to: String,
        #[arg(long)]
        unit: Option<i64>,
        /// csv or xlsx.
        #[arg(long, default_value = "csv")]
        format: String,
        #[arg(long)]
        out: PathBuf,
        /// The director or admin making the export: it is written to the access log under
        /// their name, and limited to their units.
        #[arg(long)]
        user: String,
    },
}

#[derive(Subcommand)]
enum ImportCommand {
    /// A center's ledger (台账), CSV or .xlsx, with the export's Chinese headers, into --unit; bad rows and
    /// duplicates (case numbers already there) are reported by line and skipped.
    Ledger {
        file: PathBuf,
        #[arg(long)]
        unit: i64,
        /// Validate and report without writing.
        #[arg(long)]
        dry_run: bool,
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
                        .ok_or_else(|| {
                            crate::error::AppError::field("user", "no active user by that name")
                        })?;
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

/// `tiaojie report`: the same figures as the API's reports, for one unit or every unit (the
/// command line is the operator's; it has no caller to scope).
fn report(
    ctx: &Ctx,
    span: Span,
    unit: Option<i64>,
    format: &str,
    out: Option<&std::path::Path>,
) -> Result<(), String> {
    if !["text", "csv", "xlsx"].contains(&format) {
        return Err("--format must be text, csv or xlsx".into());
    }
    if format == "xlsx" && out.is_none() {
        return Err("--format xlsx needs --out FILE".into());
    }
    let mut conn = ctx.db.get().map_err(|e| e.to_string())?;
    let root = match unit {
        Some(u) => Root::unit(&mut conn, u)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("no unit with id {u}"))?,
        None => Root::All,
    };
    let report = stats::compute(&mut conn, ctx, &root, span).map_err(|e| e.to_string())?;
    let bytes = match format {
        "csv" => reports::csv::render(&report).into_bytes(),
        "xlsx" => reports::xlsx::render(&report).map_err(|e| e.to_string())?,
        _ => reports::text::render(&report).into_bytes(),
    };
    match out {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => std::io::Write::write_all(&mut std::io::stdout(), &bytes)
            .map_err(|e| format!("cannot write the report: {e}")),
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
