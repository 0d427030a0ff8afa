//! `tiaojie backup` and `tiaojie restore` against a running server's SQLite database: the real
//! binary, as a nightly cron job would run it. PostgreSQL is backed up with pg_dump (tests/cli.rs
//! checks the command it prints), so on PostgreSQL these tests are skipped.

use crate::helpers::*;
use diesel::prelude::*;
use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

fn on_postgres(test: &str) -> bool {
    let pg = std::env::var("TIAOJIE_TEST_DATABASE_URL").is_ok_and(|u| !u.is_empty());
    if pg {
        eprintln!("skipped: {test} backs up SQLite; PostgreSQL is backed up with pg_dump");
    }
    pg
}

fn tiaojie(database_url: &str, args: &[&str], file: &Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_tiaojie"))
        .env("TIAOJIE_DATABASE_URL", database_url)
        .env_remove("TIAOJIE_CONFIG")
        .env_remove("TIAOJIE_PASSWORD")
        .args(args)
        .arg(file)
        .output()
        .unwrap()
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("tiaojie-backup-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    let _ = std::fs::remove_file(&path);
    path
}

fn open(path: &Path) -> SqliteConnection {
    SqliteConnection::establish(path.to_str().unwrap()).unwrap()
}

#[derive(QueryableByName)]
struct Check {
    #[diesel(sql_type = diesel::sql_types::Text)]
    integrity_check: String,
}

#[derive(QueryableByName)]
struct Id {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
}

#[derive(QueryableByName, Debug, PartialEq)]
struct CaseRow {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    id: i64,
    #[diesel(sql_type = diesel::sql_types::Text)]
    case_no: String,
    #[diesel(sql_type = diesel::sql_types::Text)]
    status: String,
}

fn case_rows(conn: &mut SqliteConnection) -> Vec<CaseRow> {
    diesel::sql_query("SELECT id, case_no, status FROM cases ORDER BY id")
        .load(conn)
        .unwrap()
}

fn succeeded(out: &Output) -> String {
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn a_backup_taken_during_concurrent_intakes_passes_the_integrity_check_and_holds_every_acknowledged_case(
) {
    if on_postgres("a_backup_taken_during_concurrent_intakes") {
        return;
    }
    let app = Arc::new(spawn_app());
    let enterprise = app.enterprise(app.street);
    let (_, mediator) = app.user("mediator", app.street, None);
    let acknowledged: Arc<Mutex<Vec<(i64, Instant)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let intakes: Vec<_> = (0..3)
        .map(|_| {
            let (app, mediator, acknowledged, stop) = (
                app.clone(),
                mediator.clone(),
                acknowledged.clone(),
                stop.clone(),
            );
            std::thread::spawn(move || {
                for _ in 0..2000 {
                    if stop.load(Ordering::SeqCst) {
                        break;
                    }
                    let r = app.post(&mediator, "/api/v1/cases", app.case_body(enterprise));
                    assert_eq!(r.status, 201, "{:?}", r.body);
                    let id = r.body["id"].as_i64().unwrap();
                    acknowledged.lock().unwrap().push((id, Instant::now()));
                }
            })
        })
        .collect();
    let deadline = Instant::now() + Duration::from_secs(60);
    while acknowledged.lock().unwrap().len() < 30 && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }

    let before: Vec<i64> = acknowledged.lock().unwrap().iter().map(|a| a.0).collect();
    let began = Instant::now();
    let file = scratch("during-intakes.db");
    let out = tiaojie(
        &app.ctx.settings.config.database_url,
        &["backup", "--out"],
        &file,
    );
    let ended = Instant::now();
    stop.store(true, Ordering::SeqCst);
    for t in intakes {
        t.join().unwrap();
    }
    let stdout = succeeded(&out);

    assert!(before.len() >= 30, "only {} intakes answered", before.len());
    let during = acknowledged
        .lock()
        .unwrap()
        .iter()
        .filter(|(_, at)| (began..ended).contains(at))
        .count();
    assert!(during > 0, "no intake was answered while the backup ran");
    assert!(stdout.contains("backup written to"), "{stdout}");
    let mut copy = open(&file);
    let check: Vec<Check> = diesel::sql_query("PRAGMA integrity_check")
        .load(&mut copy)
        .unwrap();
    assert_eq!(check.len(), 1);
    assert_eq!(check[0].integrity_check, "ok");
    let held: HashSet<i64> = diesel::sql_query("SELECT id FROM cases")
        .load::<Id>(&mut copy)
        .unwrap()
        .into_iter()
        .map(|r| r.id)
        .collect();
    let missing: Vec<_> = before.iter().filter(|id| !held.contains(id)).collect();
    assert!(
        missing.is_empty(),
        "acknowledged but not in the backup: {missing:?}"
    );
    assert!(
        stdout.contains(&format!("{} cases", held.len())),
        "the command reports what the copy holds: {stdout}"
    );
}

#[test]
fn restore_fills_an_empty_database_and_refuses_one_that_is_not_empty() {
    if on_postgres("restore_fills_an_empty_database") {
        return;
    }
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, mediator) = app.user("mediator", app.street, None);
    let first = app.create_case(&mediator, enterprise);
    app.create_case(&mediator, enterprise);
    app.create_case(&mediator, enterprise);
    let file = scratch("to-restore.db");
    succeeded(&tiaojie(
        &app.ctx.settings.config.database_url,
        &["backup", "--out"],
        &file,
    ));
    let again = tiaojie(
        &app.ctx.settings.config.database_url,
        &["backup", "--out"],
        &file,
    );
    assert!(!again.status.success(), "a backup never overwrites a file");
    assert!(String::from_utf8_lossy(&again.stderr).contains("already exists"));

    let target = scratch("restored.db");
    let target_url = format!("sqlite://{}", target.display());
    let stdout = succeeded(&tiaojie(&target_url, &["restore"], &file));
    assert!(stdout.contains("restored 3 cases"), "{stdout}");

    let mut restored = open(&target);
    let rows = case_rows(&mut restored);
    assert_eq!(rows.len(), 3);
    assert_eq!(rows[0].id, first["id"].as_i64().unwrap());
    assert_eq!(rows[0].case_no, first["case_no"].as_str().unwrap());
    assert_eq!(rows[0].status, "received");
    // The restored database works as the original did: its users are there to export the
    // ledger under their name, and its cases are in it.
    let ledger = target.with_extension("csv");
    let export = Command::new(env!("CARGO_BIN_EXE_tiaojie"))
        .env("TIAOJIE_DATABASE_URL", &target_url)
        .env_remove("TIAOJIE_CONFIG")
        .args([
            "ledger",
            "export",
            "--from",
            "2026-03-01",
            "--to",
            "2026-03-03",
        ])
        .args(["--user", "admin", "--out"])
        .arg(&ledger)
        .output()
        .unwrap();
    assert!(
        export.status.success(),
        "{}",
        String::from_utf8_lossy(&export.stderr)
    );
    assert!(String::from_utf8_lossy(&export.stderr).contains("3 cases written"));
    assert!(std::fs::read_to_string(&ledger)
        .unwrap()
        .contains(first["case_no"].as_str().unwrap()));

    let refused = tiaojie(&target_url, &["restore"], &file);
    assert!(!refused.status.success());
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("is not empty"), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(
        case_rows(&mut open(&target)),
        rows,
        "a refused restore changes nothing"
    );
}
