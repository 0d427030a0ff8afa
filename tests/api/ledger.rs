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

fn center() -> Center {
    let app = spawn_app();
    app.set_now(
        chrono_tz::Asia::Shanghai
            .with_ymd_and_hms(2026, 1, 20, 9, 0, 0)
            .unwrap()
            .with_timezone(&chrono::Utc),
    );
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
        "\u{FEFF}序号,案号,受理日期,申请人,被申请单位,争议类型,涉及人数,涉案金额,调解员,处理结果,协议金额,履行金额,结案日期\r\n\
         1,{resolved_no},2025-03-05,王芳(110105********002X),{enterprise},拖欠工资,12,45000.50,测试用户,调解成功,40000.00,30000.00,2025-03-15\r\n\
         2,{waiting_no},2025-03-20,王芳(110105********002X),{enterprise},拖欠工资,3,1000.00,,待受理,,0.00,\r\n"
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
