//! The command line as an operator uses it: the real binary, a fresh SQLite file.

use std::process::Command;

fn tiaojie(db: &std::path::Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_tiaojie"));
    cmd.env("TIAOJIE_DATABASE_URL", format!("sqlite://{}", db.display()))
        .env_remove("TIAOJIE_CONFIG")
        .env_remove("TIAOJIE_PASSWORD");
    cmd
}

fn fresh_db(name: &str) -> std::path::PathBuf {
    let dir = std::env::temp_dir().join(format!("tiaojie-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.db"));
    let _ = std::fs::remove_file(&path);
    path
}

#[test]
fn migrate_creates_the_database_file_and_its_folder() {
    let dir = std::env::temp_dir().join(format!("tiaojie-cli-new-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let db = dir.join("nested").join("t.db");
    let out = tiaojie(&db).arg("migrate").output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(db.exists());
}

#[test]
fn user_add_takes_the_password_from_the_environment_and_refuses_a_short_one() {
    let db = fresh_db("users");
    let out = tiaojie(&db)
        .args([
            "user",
            "add",
            "--username",
            "root",
            "--role",
            "admin",
            "--email",
            "root@example.org",
        ])
        .env("TIAOJIE_PASSWORD", "short")
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("password"));

    let out = tiaojie(&db)
        .args([
            "user",
            "add",
            "--username",
            "root",
            "--role",
            "admin",
            "--email",
            "root@example.org",
        ])
        .env("TIAOJIE_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("created user root"));
}

#[test]
fn an_unknown_configuration_key_stops_start_up_with_a_clear_message() {
    let db = fresh_db("config");
    let config = db.with_extension("toml");
    std::fs::write(&config, "bnid = \"127.0.0.1:9\"\n").unwrap();
    let out = tiaojie(&db)
        .arg("--config")
        .arg(&config)
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("bnid"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn a_bad_database_url_is_a_clear_error_not_a_panic() {
    let out = Command::new(env!("CARGO_BIN_EXE_tiaojie"))
        .env("TIAOJIE_DATABASE_URL", "mysql://localhost/x")
        .arg("migrate")
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("database_url"), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}

#[test]
fn ledger_export_writes_the_header_row_of_an_empty_period_and_refuses_other_formats() {
    let db = fresh_db("ledger");
    let out_file = db.with_extension("csv");
    let add = tiaojie(&db)
        .args([
            "user",
            "add",
            "--username",
            "zhuren",
            "--role",
            "admin",
            "--email",
            "z@example.org",
        ])
        .env("TIAOJIE_PASSWORD", "a long enough password")
        .output()
        .unwrap();
    assert!(
        add.status.success(),
        "{}",
        String::from_utf8_lossy(&add.stderr)
    );
    let nobody = tiaojie(&db)
        .args([
            "ledger",
            "export",
            "--from",
            "2025-03-01",
            "--to",
            "2025-04-01",
            "--user",
            "nobody",
            "--out",
        ])
        .arg(&out_file)
        .output()
        .unwrap();
    assert!(
        !nobody.status.success(),
        "an export is made by a named user"
    );
    let out = tiaojie(&db)
        .args([
            "ledger",
            "export",
            "--from",
            "2025-03-01",
            "--to",
            "2025-04-01",
            "--user",
            "zhuren",
        ])
        .args(["--format", "csv", "--out"])
        .arg(&out_file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read_to_string(&out_file).unwrap(),
        "\u{FEFF}序号,案号,收案日期,受理日期,申请人,被申请单位,争议类型,涉及人数,涉案金额,调解员,处理结果,协议金额,履行金额,结案日期,履行情况,司法确认,归档号\r\n"
    );
    // The export is in the access log, under the user who made it.
    use diesel::prelude::*;
    let mut conn = diesel::sqlite::SqliteConnection::establish(db.to_str().unwrap()).unwrap();
    let logged: i64 =
        diesel::sql_query("SELECT COUNT(*) AS n FROM access_log WHERE action = 'export'")
            .get_result::<Count>(&mut conn)
            .unwrap()
            .n;
    assert_eq!(logged, 1);
    let out = tiaojie(&db)
        .args([
            "ledger",
            "export",
            "--from",
            "2025-03-01",
            "--to",
            "2025-04-01",
            "--user",
            "zhuren",
        ])
        .args(["--format", "pdf", "--out"])
        .arg(&out_file)
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--format"));
}

#[test]
fn import_ledger_refuses_a_file_without_the_ledger_columns_and_names_them() {
    let db = fresh_db("import");
    let file = db.with_extension("import.csv");
    std::fs::write(&file, "\u{FEFF}案号,受理日期\r\nL-1,2025-03-01\r\n").unwrap();
    let out = tiaojie(&db)
        .args(["import", "ledger"])
        .arg(&file)
        .args(["--unit", "1", "--dry-run"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("申请人") && stderr.contains("处理结果"),
        "{stderr}"
    );
}

#[test]
fn on_postgresql_backup_and_restore_exit_with_1_and_print_the_pg_commands_without_the_password() {
    // Nothing is connected to: the commands only read the URL, so no server is needed.
    let url = "postgres://tiaojie:s3cret-pw@127.0.0.1:9/tiaojie?password=s3cret-pw&sslmode=disable";
    let backup = Command::new(env!("CARGO_BIN_EXE_tiaojie"))
        .env("TIAOJIE_DATABASE_URL", url)
        .args(["backup", "--out", "/backup/tiaojie.dump"])
        .output()
        .unwrap();
    assert_eq!(backup.status.code(), Some(1), "no backup was made");
    let err = String::from_utf8_lossy(&backup.stderr);
    assert!(
        err.contains("pg_dump --format=custom --file='/backup/tiaojie.dump' 'postgres://tiaojie@127.0.0.1:9/tiaojie?sslmode=disable'"),
        "{err}"
    );
    assert!(!err.contains("s3cret"), "{err}");

    let restore = Command::new(env!("CARGO_BIN_EXE_tiaojie"))
        .env("TIAOJIE_DATABASE_URL", url)
        .args(["restore", "/backup/tiaojie.dump"])
        .output()
        .unwrap();
    assert_eq!(restore.status.code(), Some(1));
    let err = String::from_utf8_lossy(&restore.stderr);
    assert!(err.contains("pg_restore"), "{err}");
    assert!(err.contains("'/backup/tiaojie.dump'"), "{err}");
    assert!(!err.contains("s3cret"), "{err}");
}

#[test]
fn restore_refuses_a_file_that_is_not_a_tiaojie_backup_and_leaves_the_database_uncreated() {
    let db = fresh_db("restore-target");
    let junk = db.with_extension("junk");
    std::fs::write(&junk, "not a database at all").unwrap();
    let out = tiaojie(&db).arg("restore").arg(&junk).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("is not a SQLite database"), "{err}");
    assert!(!db.exists(), "a refused restore creates nothing");

    // A SQLite database, but someone else's.
    let other = db.with_extension("other.db");
    let _ = std::fs::remove_file(&other);
    use diesel::connection::SimpleConnection;
    use diesel::prelude::*;
    diesel::sqlite::SqliteConnection::establish(other.to_str().unwrap())
        .unwrap()
        .batch_execute("CREATE TABLE recipes (id INTEGER PRIMARY KEY)")
        .unwrap();
    let out = tiaojie(&db).arg("restore").arg(&other).output().unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a tiaojie backup"), "{err}");

    let out = tiaojie(&db)
        .arg("restore")
        .arg(db.with_extension("missing"))
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such backup file"));
}

#[derive(diesel::QueryableByName)]
struct Count {
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    n: i64,
}
