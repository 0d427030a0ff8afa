//! The command line's words: every command and option `tiaojie --help` lists, parsed by clap.

use clap::{Parser, Subcommand};
use std::path::PathBuf;

#[derive(Parser)]
#[command(
    name = "tiaojie",
    version,
    about = "Labor-dispute mediation case tracker"
)]
pub(super) struct Cli {
    /// Configuration file (overrides config/default.toml; TIAOJIE_* variables override it).
    #[arg(long, global = true, env = "TIAOJIE_CONFIG")]
    pub(super) config: Option<PathBuf>,
    #[command(subcommand)]
    pub(super) command: Command,
}

#[derive(Subcommand)]
pub(super) enum Command {
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
pub(super) enum LedgerCommand {
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
pub(super) enum ImportCommand {
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
pub(super) enum RemindersCommand {
    /// One reminder scan as of the given time (default now); idempotent. The queued mails go out
    /// through the outbox (this command sends what is due before it exits).
    Run {
        /// RFC 3339 time, e.g. 2026-03-16T09:00:00+08:00.
        #[arg(long)]
        at: Option<String>,
    },
}

#[derive(Subcommand)]
pub(super) enum UserCommand {
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
