//! The ledger (台账) export: one row per case received in the period, in the centers' columns,
//! names shown, ID numbers masked, every export written to the access log.

use crate::helpers::*;
use chrono::TimeZone;
use serde_json::json;

struct Center {
    app: TestApp,
    enterprise: i64,
    director_id: i64,
    director: String,
    mediator_id: i64,
    mediator: String,
}

/// An app whose clock reads 20 January 2026, 09:00 in Shanghai.
fn january_app() -> TestApp {
    let app = spawn_app();
    app.set_now(
        chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(2026, 1, 20, 9, 0, 0)
            .unwrap()
            .with_timezone(&chrono::Utc),
    );
    app
}

fn center() -> Center {
    let app = january_app();
    let enterprise = app.enterprise(app.street);
    let (director_id, director) = app.user("director", app.street, None);
    let (mediator_id, mediator) = app.user("mediator", app.street, None);
    Center {
        app,
        enterprise,
        director_id,
        director,
        mediator_id,
        mediator,
    }
}

impl Center {
    /// A petition received at `received` (local time); answers (id, case number).
    fn petition(&self, received: &str, workers: i64, amount: &str) -> (i64, String) {
        let mut body = self.app.case_body(self.enterprise);
        body["received_at"] = json!(received);
        body["workers_involved"] = json!(workers);
        body["amount_claimed"] = json!(amount);
        body["unit_id"] = json!(self.app.community);
        let r = self.app.post(&self.mediator, "/api/v1/cases", body);
        assert_eq!(r.status, 201, "{:?}", r.body);
        (
            r.body["id"].as_i64().unwrap(),
            r.body["case_no"].as_str().unwrap().to_string(),
        )
    }

    fn act(&self, token: &str, id: i64, action: &str, at: &str, mut body: serde_json::Value) {
        body["at"] = json!(at);
        let r = self
            .app
            .post(token, &format!("/api/v1/cases/{id}/{action}"), body);
        assert_eq!(r.status, 200, "{action} at {at}: {:?}", r.body);
    }

    fn enterprise_name(&self) -> String {
        let r = self.app.get(
            &self.director,
            &format!("/api/v1/enterprises/{}", self.enterprise),
        );
        r.body["name"].as_str().unwrap().to_string()
    }

    /// March 2025: one case resolved and partly paid, one still waiting for acceptance, and one
    /// case on each side of the month.
    fn enter_march(&self) -> (String, String) {
        self.petition("2025-02-28T23:30:00+08:00", 5, "500");
        let (resolved, resolved_no) = self.petition("2025-03-05T09:00:00+08:00", 12, "45000.5");
        self.act(
            &self.mediator,
            resolved,
            "accept",
            "2025-03-06T09:00:00+08:00",
            json!({}),
        );
        self.act(
            &self.director,
            resolved,
            "assign",
            "2025-03-06T09:00:00+08:00",
            json!({"mediator_id": self.mediator_id}),
        );
        self.act(
            &self.mediator,
            resolved,
            "close",
            "2025-03-15T15:00:00+08:00",
            json!({"outcome": "agreement", "amount_agreed": "40000"}),
        );
        self.act(
            &self.mediator,
            resolved,
            "payments",
            "2025-03-16T09:00:00+08:00",
            json!({"amount": "30000", "paid_at": "2025-03-16"}),
        );
        let (_, waiting_no) = self.petition("2025-03-20T10:00:00+08:00", 3, "1000");
        self.petition("2025-04-01T00:00:00+08:00", 2, "200");
        (resolved_no, waiting_no)
    }
}

const MARCH: &str = "/api/v1/ledger?from=2025-03-01&to=2025-04-01";

#[test]
fn the_csv_ledger_has_one_row_per_case_received_in_the_period_with_masked_id_numbers() {
    let c = center();
    let (resolved_no, waiting_no) = c.enter_march();
    let enterprise = c.enterprise_name();
    let (status, content_type, bytes) = c.app.get_bytes(&c.director, MARCH);
    assert_eq!(status, 200);
    assert_eq!(content_type, "text/csv; charset=utf-8");
    let text = String::from_utf8(bytes).unwrap();
    let expected = format!(
        "\u{FEFF}序号,案号,收案日期,受理日期,申请人,被申请单位,争议类型,涉及人数,涉案金额,调解员,处理结果,协议金额,履行金额,结案日期,履行情况,司法确认,归档号\r\n\
         1,{resolved_no},2025-03-05,2025-03-06,王芳（110105********002X）,{enterprise},拖欠工资,12,45000.50,测试用户,调解成功,40000.00,30000.00,2025-03-15,未到履行期,,\r\n\
         2,{waiting_no},2025-03-20,,王芳（110105********002X）,{enterprise},拖欠工资,3,1000.00,,待受理,,0.00,,,,\r\n"
    );
    assert_eq!(text, expected);
    assert!(!text.contains("11010519491231002X"));
    assert!(!text.contains("13812348000"));
}

#[test]
fn the_xlsx_ledger_is_a_real_workbook() {
    let c = center();
    c.enter_march();
    let (status, content_type, bytes) = c
        .app
        .get_bytes(&c.director, &format!("{MARCH}&format=xlsx"));
    assert_eq!(status, 200);
    assert_eq!(
        content_type,
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    assert!(bytes.starts_with(b"PK"), "not a zip");
    let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    assert!(has(b"xl/workbook.xml"));
    assert!(has(b"xl/worksheets/sheet1.xml"));
}

#[test]
fn every_ledger_export_writes_an_access_log_row() {
    let c = center();
    c.enter_march();
    assert_eq!(c.app.get_bytes(&c.director, MARCH).0, 200);
    assert_eq!(
        c.app
            .get_bytes(&c.director, &format!("{MARCH}&format=xlsx"))
            .0,
        200
    );
    let street = c.app.street;
    let rows: Vec<(i64, String, String, Option<i64>)> = c
        .app
        .ctx
        .db
        .write_blocking(|conn| {
            use diesel::prelude::*;
            use tiaojie::db::schema::access_log;
            access_log::table
                .filter(access_log::record_type.eq("ledger"))
                .order(access_log::id)
                .select((
                    access_log::user_id,
                    access_log::action,
                    access_log::record_type,
                    access_log::record_id,
                ))
                .load(conn)
                .map_err(tiaojie::error::AppError::from)
        })
        .unwrap();
    assert_eq!(
        rows,
        vec![
            (
                c.director_id,
                "export".to_string(),
                "ledger".to_string(),
                Some(street)
            );
            2
        ]
    );
}

#[test]
fn only_directors_and_admins_export_the_ledger() {
    let c = center();
    let (_, viewer) = c.app.user("viewer", c.app.district, None);
    assert_eq!(c.app.get(&c.mediator, MARCH).status, 403);
    assert_eq!(c.app.get(&viewer, MARCH).status, 403);
    assert_eq!(c.app.get_anonymous(MARCH).status, 401);
    assert_eq!(c.app.get_bytes(&c.app.admin_token, MARCH).0, 200);
    for (path, field) in [
        ("/api/v1/ledger?from=2025-03-01", "to"),
        ("/api/v1/ledger?from=2025-04-01&to=2025-03-01", "to"),
        (&format!("{MARCH}&format=pdf") as &str, "format"),
        (&format!("{MARCH}&unit_id=999999"), "unit_id"),
    ] {
        let r = c.app.get(&c.director, path);
        assert_eq!(r.status, 422, "{path}: {:?}", r.body);
        assert!(r.field_error(field).is_some(), "{path}: {:?}", r.body);
    }
}

/// Imports `text` into the center's street; answers the report and the progress lines.
fn import(c: &Center, text: &str, dry_run: bool) -> (ImportReport, Vec<(usize, usize)>) {
    let mut progress = Vec::new();
    let report = import_csv(&c.app.ctx, c.app.street, text, dry_run, &mut |d, t| {
        progress.push((d, t))
    })
    .unwrap();
    (report, progress)
}

/// A case's status and its events in timeline order.
/// (action, from status, to status).
type Event = (String, Option<String>, Option<String>);

fn history(c: &Center, case_no: &str) -> (String, Vec<Event>) {
    let case_no = case_no.to_string();
    c.app
        .ctx
        .db
        .write_blocking(move |conn| {
            use diesel::prelude::*;
            use tiaojie::db::schema::{case_events, cases};
            let (id, status): (i64, String) = cases::table
                .filter(cases::case_no.eq(&case_no))
                .select((cases::id, cases::status))
                .first(conn)?;
            let events = case_events::table
                .filter(case_events::case_id.eq(id))
                .order((case_events::at, case_events::id))
                .select((
                    case_events::action,
                    case_events::from_status,
                    case_events::to_status,
                ))
                .load(conn)?;
            Ok::<_, tiaojie::error::AppError>((status, events))
        })
        .unwrap()
}

fn case_count(c: &Center) -> i64 {
    c.app
        .ctx
        .db
        .write_blocking(|conn| {
            use diesel::prelude::*;
            tiaojie::db::schema::cases::table
                .count()
                .get_result::<i64>(conn)
                .map_err(tiaojie::error::AppError::from)
        })
        .unwrap()
}

use tiaojie::services::ledger_import::{import_csv, ImportReport, Problem};

fn s(v: &str) -> Option<String> {
    Some(v.to_string())
}

#[test]
fn a_ledger_csv_imports_its_good_rows_with_their_history_and_reports_the_bad_ones_by_line() {
    let c = center();
    let e = c.enterprise_name();
    let text = format!(
        "\u{FEFF}案号,受理日期,申请人,被申请单位,争议类型,涉及人数,涉案金额,处理结果,协议金额,履行金额,结案日期\r\n\
         L-001,2025-05-06,李雷(110105********002X),{e},拖欠工资,4,\"12,000.00\",调解成功,10000,6000,2025-05-20\r\n\
         L-002,2025/6/1,韩梅梅,{e},工伤,1,5000,调解中,,,\r\n\
         L-003,2025-06-02,张三,未登记企业,拖欠工资,2,100,撤回,,,2025-06-03\r\n\
         L-004,2025-06-31,张三,{e},拖欠工资,2,100,撤回,,,2025-07-01\r\n\
         L-005,2025-06-02,张三,{e},欠薪,2,100,撤回,,,2025-06-03\r\n\
         L-006,2025-06-02,张三,{e},拖欠工资,2,abc,撤回,,,2025-06-03\r\n\
         L-007,2025-06-02,张三,{e},拖欠工资,2,100,结了,,,2025-06-03\r\n\
         L-001,2025-05-06,李雷,{e},拖欠工资,4,12000,调解成功,10000,6000,2025-05-20\r\n\
         L-008,2025-06-02,张三,{e},其他劳动争议,2,100,不予受理,,,2025-06-03\r\n"
    );
    let before = case_count(&c);

    // A dry run reports the same, and writes nothing.
    let (dry, _) = import(&c, &text, true);
    assert_eq!(dry.imported, 3);
    assert_eq!(case_count(&c), before);

    let (report, progress) = import(&c, &text, false);
    assert_eq!(report.rows, 9);
    assert_eq!(report.imported, 3);
    assert_eq!(report.duplicates, vec![(9, "L-001".to_string())]);
    let bad_lines: Vec<usize> = report.bad.iter().map(|(l, _)| *l).collect();
    assert_eq!(bad_lines, vec![4, 5, 6, 7, 8], "{:?}", report.bad);
    let why: Vec<(&str, Problem, &str)> = report
        .bad
        .iter()
        .map(|(_, b)| (b.column, b.problem, b.value.as_str()))
        .collect();
    assert_eq!(
        why,
        vec![
            ("被申请单位", Problem::UnknownEnterprise, "未登记企业"),
            ("受理日期", Problem::NotADate, "2025-06-31"),
            ("争议类型", Problem::UnknownCategory, "欠薪"),
            ("涉案金额", Problem::NotAnAmount, "abc"),
            ("处理结果", Problem::UnknownOutcome, "结了"),
        ]
    );
    assert_eq!(
        report.bad[0].1.to_string(),
        "被申请单位 \"未登记企业\" is not a registered enterprise (register it first)"
    );
    assert_eq!(progress, vec![(3, 3)]);
    assert_eq!(case_count(&c), before + 3);
    assert_eq!(dry, report);

    let ev = |a: &str, f: Option<&str>, t: &str| (a.to_string(), f.map(String::from), s(t));
    assert_eq!(
        history(&c, "L-001"),
        (
            "resolved".to_string(),
            vec![
                ev("intake", None, "received"),
                ev("accept", Some("received"), "accepted"),
                ev("assign", Some("accepted"), "mediating"),
                ev("close", Some("mediating"), "resolved"),
                ev("payment", Some("resolved"), "resolved"),
            ]
        )
    );
    assert_eq!(
        history(&c, "L-002"),
        (
            "mediating".to_string(),
            vec![
                ev("intake", None, "received"),
                ev("accept", Some("received"), "accepted"),
                ev("assign", Some("accepted"), "mediating"),
            ]
        )
    );
    assert_eq!(
        history(&c, "L-008"),
        (
            "rejected".to_string(),
            vec![
                ev("intake", None, "received"),
                ev("reject", Some("received"), "rejected"),
            ]
        )
    );

    // The imported case reads back through the ledger export with its amounts and dates.
    let (_, _, bytes) = c
        .app
        .get_bytes(&c.director, "/api/v1/ledger?from=2025-05-01&to=2025-06-01");
    let csv = String::from_utf8(bytes).unwrap();
    assert!(
        csv.ends_with(&format!(
            "1,L-001,2025-05-06,2025-05-06,李雷,{e},拖欠工资,4,12000.00,,调解成功,10000.00,6000.00,2025-05-20,未到履行期,,\r\n"
        )),
        "{csv}"
    );

    // A second import of the same file imports nothing new.
    let (again, _) = import(&c, &text, false);
    assert_eq!(again.imported, 0);
    assert_eq!(
        again.duplicates,
        vec![
            (2, "L-001".to_string()),
            (3, "L-002".to_string()),
            (9, "L-001".to_string()),
            (10, "L-008".to_string()),
        ]
    );
    assert_eq!(case_count(&c), before + 3);
}

#[test]
fn an_exported_ledger_imported_again_is_all_duplicates_and_a_file_without_the_columns_is_refused() {
    let c = center();
    c.enter_march();
    let (_, _, bytes) = c.app.get_bytes(&c.director, MARCH);
    let (report, _) = import(&c, &String::from_utf8(bytes).unwrap(), false);
    assert_eq!((report.rows, report.imported), (2, 0));
    assert_eq!(report.duplicates.len(), 2, "{report:?}");
    assert!(report.bad.is_empty(), "{report:?}");

    let err = import_csv(
        &c.app.ctx,
        c.app.street,
        "案号,受理日期\r\n",
        false,
        &mut |_, _| {},
    )
    .unwrap_err();
    let tiaojie::error::AppError::Validation(fields) = err else {
        panic!("{err:?}")
    };
    assert!(
        fields.0["file"].to_string().contains("申请人"),
        "{fields:?}"
    );
}

#[test]
fn an_xlsx_ledger_imports_like_the_csv_and_an_exported_workbook_reads_back_as_duplicates() {
    use rust_xlsxwriter::Workbook;
    use tiaojie::services::ledger_import::import_xlsx;
    let c = center();
    c.enter_march();
    let e = c.enterprise_name();
    let mut workbook = Workbook::new();
    let ws = workbook.add_worksheet();
    // Columns in another order than the export's, numbers as numbers.
    let header = [
        "处理结果",
        "案号",
        "受理日期",
        "申请人",
        "被申请单位",
        "争议类型",
        "涉及人数",
        "涉案金额",
        "协议金额",
        "结案日期",
    ];
    for (i, h) in header.iter().enumerate() {
        ws.write_string(0, i as u16, *h).unwrap();
    }
    // (处理结果, 案号, 受理日期, 被申请单位, 争议类型, 结案日期), then 涉及人数 and 涉案金额.
    let rows = [
        (
            [
                "调解不成",
                "X-1",
                "2025-05-06",
                e.as_str(),
                "劳动合同",
                "2025-05-10",
            ],
            [2.0, 8000.5],
        ),
        (
            [
                "撤回",
                "X-2",
                "2025-05-07",
                "无此企业",
                "拖欠工资",
                "2025-05-08",
            ],
            [1.0, 100.0],
        ),
    ];
    for (r, (texts, numbers)) in rows.iter().enumerate() {
        let r = r as u32 + 1;
        for (col, text) in [0u16, 1, 2, 4, 5, 9].into_iter().zip(texts) {
            ws.write_string(r, col, *text).unwrap();
        }
        ws.write_string(r, 3, "赵六").unwrap();
        ws.write_number(r, 6, numbers[0]).unwrap();
        ws.write_number(r, 7, numbers[1]).unwrap();
    }
    let bytes = workbook.save_to_buffer().unwrap();
    let report = import_xlsx(&c.app.ctx, c.app.street, bytes, false, &mut |_, _| {}).unwrap();
    assert_eq!((report.rows, report.imported), (2, 1), "{report:?}");
    assert_eq!(report.bad.len(), 1);
    assert_eq!(report.bad[0].0, 3, "{report:?}");
    let (status, events) = history(&c, "X-1");
    assert_eq!(status, "failed");
    assert_eq!(events.last().unwrap().0, "close");

    // The export's workbook reads back: its two March cases are duplicates, nothing is bad.
    let (_, _, bytes) = c
        .app
        .get_bytes(&c.director, &format!("{MARCH}&format=xlsx"));
    let report = import_xlsx(&c.app.ctx, c.app.street, bytes, true, &mut |_, _| {}).unwrap();
    assert_eq!((report.rows, report.imported), (2, 0), "{report:?}");
    assert_eq!(report.duplicates.len(), 2, "{report:?}");
    assert!(report.bad.is_empty(), "{report:?}");
}

#[test]
fn the_import_command_reports_progress_bad_rows_and_duplicates_and_imports_once() {
    let c = center();
    let e = c.enterprise_name();
    let file = std::env::temp_dir().join(format!("tiaojie-ledger-{}.csv", c.app.street));
    std::fs::write(
        &file,
        format!(
            "\u{FEFF}案号,受理日期,申请人,被申请单位,争议类型,涉及人数,涉案金额,处理结果,结案日期\r\n\
             C-1,2025-05-06,李雷,{e},拖欠工资,4,1200,撤回,2025-05-08\r\n\
             C-2,2025-05-06,李雷,{e},拖欠工资,0,1200,撤回,2025-05-08\r\n"
        ),
    )
    .unwrap();
    let run = |dry_run: bool| {
        let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_tiaojie"));
        cmd.env(
            "TIAOJIE_DATABASE_URL",
            &c.app.ctx.settings.config.database_url,
        )
        .env_remove("TIAOJIE_CONFIG")
        .args(["import", "ledger"])
        .arg(&file)
        .args(["--unit", &c.app.street.to_string()]);
        if dry_run {
            cmd.arg("--dry-run");
        }
        let out = cmd.output().unwrap();
        assert!(
            out.status.success(),
            "{}\nstdout: {}\nstderr: {}",
            out.status,
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        (
            String::from_utf8(out.stdout).unwrap(),
            String::from_utf8(out.stderr).unwrap(),
        )
    };
    let (stdout, _) = run(true);
    assert!(stdout.contains("1 would be imported (dry run)"), "{stdout}");
    assert_eq!(c.app.get(&c.director, "/api/v1/cases").body["total"], 0);

    let (stdout, stderr) = run(false);
    assert!(stderr.contains("imported 1 of 1"), "{stderr}");
    assert!(stdout.contains("line 3: bad row: 涉及人数"), "{stdout}");
    assert!(
        stdout.contains("2 rows: 1 imported, 0 duplicates, 1 bad"),
        "{stdout}"
    );
    assert_eq!(history(&c, "C-1").0, "withdrawn");

    let (stdout, _) = run(false);
    assert!(
        stdout.contains("line 2: duplicate: C-1 is already imported"),
        "{stdout}"
    );
    assert!(
        stdout.contains("2 rows: 0 imported, 1 duplicates, 1 bad"),
        "{stdout}"
    );
    let _ = std::fs::remove_file(&file);
}

/// The worksheet's XML of an exported workbook.
fn sheet_xml(bytes: &[u8]) -> String {
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut xml,
    )
    .unwrap();
    xml
}

/// The cell `r` of a worksheet's XML: its attributes and its value.
fn cell(xml: &str, r: &str) -> Option<String> {
    let start = xml.find(&format!("<c r=\"{r}\""))?;
    let end = start
        + xml[start..]
            .find("</c>")
            .or_else(|| xml[start..].find("/>"))?;
    Some(xml[start..end].to_string())
}

#[test]
fn the_xlsx_ledger_has_real_dates_a_frozen_filtered_header_and_columns_sized_to_their_cells() {
    let c = center();
    c.enter_march();
    let (_, _, bytes) = c
        .app
        .get_bytes(&c.director, &format!("{MARCH}&format=xlsx"));
    let xml = sheet_xml(&bytes);
    assert!(
        xml.contains("state=\"frozen\"") && xml.contains("ySplit=\"1\""),
        "{xml}"
    );
    assert!(xml.contains("<autoFilter ref=\"A1:Q3\""), "{xml}");
    // 收案日期 and 受理日期 are date serials (numbers with a date format), not text:
    // 2025-03-05 is 45721 and 2025-03-06 is 45722 in the 1900 date system.
    let received = cell(&xml, "C2").unwrap();
    assert!(
        !received.contains("t=\"s\"") && received.contains("<v>45721</v>"),
        "{received}"
    );
    let accepted = cell(&xml, "D2").unwrap();
    assert!(accepted.contains("<v>45722</v>"), "{accepted}");
    assert!(
        cell(&xml, "D3").is_none(),
        "a case never accepted has no 受理日期"
    );
    let closed = cell(&xml, "N2").unwrap();
    assert!(closed.contains("<v>45731</v>"), "{closed}");
    // Columns as wide as their cells: the applicant's (with the masked ID) is wider than 序号's.
    let attr = |c: &str, name: &str| -> f64 {
        let v = c.split(&format!("{name}=\"")).nth(1).unwrap();
        v.split('"').next().unwrap().parse().unwrap()
    };
    let widths: Vec<f64> = xml
        .split("<col ")
        .skip(1)
        .flat_map(|c| {
            let columns = attr(c, "max") - attr(c, "min") + 1.0;
            std::iter::repeat_n(attr(c, "width"), columns as usize)
        })
        .collect();
    assert_eq!(widths.len(), 17, "{xml}");
    assert!(widths[4] > 20.0 && widths[0] < 8.0, "{widths:?}");
}

/// A second center with the first one's enterprise and mediator names, for reading its ledger:
/// its director sits in the district, so that the street's only mediator of that name is the
/// mediator.
fn center_like(c: &Center) -> Center {
    let app = january_app();
    let code = tiaojie::domain::credit_code::CreditCode::with_check_character("91330203MA2AAAAAA")
        .unwrap();
    let r = app.post(
        &app.admin_token,
        "/api/v1/enterprises",
        json!({"name": c.enterprise_name(), "credit_code": code.as_str(), "unit_id": app.street}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    let enterprise = r.body["id"].as_i64().unwrap();
    let (director_id, director) = app.user("director", app.district, None);
    let (mediator_id, mediator) = app.user("mediator", app.street, None);
    Center {
        app,
        enterprise,
        director_id,
        director,
        mediator_id,
        mediator,
    }
}

#[test]
fn an_exported_ledger_imports_into_another_center_and_exports_the_same_rows_again() {
    use tiaojie::services::ledger_import::import_xlsx;
    let c = center();
    c.enter_march();
    let (_, _, csv) = c.app.get_bytes(&c.director, MARCH);
    let (_, _, xlsx) = c
        .app
        .get_bytes(&c.director, &format!("{MARCH}&format=xlsx"));
    // The import keeps the applicant's name, not the masked ID number after it.
    let expected = String::from_utf8(csv.clone())
        .unwrap()
        .replace("王芳（110105********002X）", "王芳");

    let from_xlsx = center_like(&c);
    let report = import_xlsx(
        &from_xlsx.app.ctx,
        from_xlsx.app.street,
        xlsx,
        false,
        &mut |_, _| {},
    )
    .unwrap();
    assert_eq!((report.imported, report.bad.len()), (2, 0), "{report:?}");
    let (_, _, again) = from_xlsx.app.get_bytes(&from_xlsx.director, MARCH);
    assert_eq!(String::from_utf8(again).unwrap(), expected);

    let from_csv = center_like(&c);
    let (report, _) = import(&from_csv, &String::from_utf8(csv).unwrap(), false);
    assert_eq!((report.imported, report.bad.len()), (2, 0), "{report:?}");
    let (_, _, again) = from_csv.app.get_bytes(&from_csv.director, MARCH);
    assert_eq!(String::from_utf8(again).unwrap(), expected);
}

#[test]
fn a_ledger_with_both_dates_accepts_on_the_acceptance_date_and_refuses_one_for_a_case_never_accepted(
) {
    let c = center();
    let e = c.enterprise_name();
    let text = format!(
        "案号,收案日期,受理日期,申请人,被申请单位,争议类型,涉及人数,涉案金额,处理结果,结案日期\r\n\
         N-1,2025-05-06,2025-05-08,李雷,{e},拖欠工资,1,100,已受理,\r\n\
         N-2,2025-05-06,2025-05-07,李雷,{e},拖欠工资,1,100,待受理,\r\n\
         N-3,2025-05-06,2025-05-05,李雷,{e},拖欠工资,1,100,已受理,\r\n"
    );
    let (report, _) = import(&c, &text, false);
    assert_eq!(report.imported, 1, "{report:?}");
    let why: Vec<(&str, Problem)> = report
        .bad
        .iter()
        .map(|(_, b)| (b.column, b.problem))
        .collect();
    assert_eq!(
        why,
        [
            ("受理日期", Problem::GivenForUnacceptedCase),
            ("受理日期", Problem::BeforeReceipt)
        ]
    );
    let (_, _, bytes) = c
        .app
        .get_bytes(&c.director, "/api/v1/ledger?from=2025-05-01&to=2025-06-01");
    let csv = String::from_utf8(bytes).unwrap();
    assert!(csv.contains("1,N-1,2025-05-06,2025-05-08,李雷,"), "{csv}");
}

#[test]
fn an_imported_ledger_keeps_each_cases_confirmation_and_archive_number_and_refuses_one_taken() {
    let c = center();
    let e = c.enterprise_name();
    let text = format!(
        "\u{FEFF}案号,收案日期,申请人,被申请单位,争议类型,涉及人数,涉案金额,处理结果,协议金额,履行金额,结案日期,履行情况,司法确认,归档号\r\n\
         A-001,2025-05-06,李雷,{e},拖欠工资,4,12000,调解成功,10000,10000,2025-05-20,已全部履行,确认有效（2025-05-25）,GD-2025-001\r\n\
         A-002,2025-05-07,韩梅梅,{e},拖欠工资,1,5000,调解成功,5000,0,2025-05-21,,\"已申请(2025-05-22,东城区人民法院)\",\r\n\
         A-003,2025-05-08,张三,{e},拖欠工资,2,100,撤回,,,2025-05-09,,,GD-2025-001\r\n\
         A-004,2025-05-08,张三,{e},拖欠工资,2,100,调解中,,,,,,GD-2025-004\r\n\
         A-005,2025-05-08,张三,{e},拖欠工资,2,100,调解不成,,,2025-05-09,,确认有效（2025-05-25）,\r\n\
         A-006,2025-05-08,张三,{e},拖欠工资,2,100,调解成功,100,0,2025-05-09,,盖章了,\r\n"
    );
    let (report, _) = import(&c, &text, false);
    assert_eq!(report.imported, 2, "{:?}", report.bad);
    let bad: Vec<(usize, &str, &str)> = report
        .bad
        .iter()
        .map(|(line, b)| (*line, b.column, b.problem.code()))
        .collect();
    assert_eq!(
        bad,
        [
            (4, "归档号", "archive_no_taken"),
            (5, "归档号", "given_for_open_case"),
            (6, "司法确认", "only_for_agreement"),
            (7, "司法确认", "not_a_confirmation"),
        ]
    );
    let find = |no: &str| {
        let list = c
            .app
            .get(&c.director, &format!("/api/v1/cases?q={no}"))
            .body;
        let id = list["items"][0]["id"].as_i64().unwrap();
        c.app.get(&c.director, &format!("/api/v1/cases/{id}")).body
    };
    let first = find("A-001");
    assert_eq!(first["archive_no"], "GD-2025-001");
    assert_eq!(first["confirmation"]["result"], "confirmed");
    assert_eq!(first["confirmation"]["ruled_on"], "2025-05-25");
    assert_eq!(first["fulfilment"], "performed");
    let second = find("A-002");
    assert_eq!(second["confirmation"]["applied_on"], "2025-05-22");
    assert_eq!(second["confirmation"]["court"], "东城区人民法院");
    assert_eq!(second["archive_no"], serde_json::Value::Null);
    // The archived case is read-only, as any archived case.
    let id = first["id"].as_i64().unwrap();
    let r = c.app.post(
        &c.director,
        &format!("/api/v1/cases/{id}/notes"),
        json!({"text": "补记"}),
    );
    assert_eq!(r.status, 409, "{:?}", r.body);
}
