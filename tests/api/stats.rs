//! Statistics and reports: a year of known records, entered through the API the way a center
//! enters its ledger (with past `at` times), gives exactly the known figures.

use crate::helpers::*;
use chrono::TimeZone;
use serde_json::{json, Value};

fn shanghai(y: i32, m: u32, d: u32, h: u32, min: u32) -> chrono::DateTime<chrono::Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, m, d, h, min, 0)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

/// An RFC 3339 local (Shanghai) time.
fn local(y: i32, m: u32, d: u32, h: u32, min: u32) -> String {
    format!("{y:04}-{m:02}-{d:02}T{h:02}:{min:02}:00+08:00")
}

struct Center {
    app: TestApp,
    enterprise: i64,
    director: String,
    mediator_id: i64,
    mediator: String,
}

fn center() -> Center {
    let app = spawn_app();
    // The ledger of 2025 is entered in January 2026.
    app.set_now(shanghai(2026, 1, 20, 9, 0));
    let enterprise = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    let (mediator_id, mediator) = app.user("mediator", app.street, None);
    Center {
        app,
        enterprise,
        director,
        mediator_id,
        mediator,
    }
}

impl Center {
    /// Registers a petition in the community under the street, received at `received`.
    fn petition(&self, received: &str, workers: i64, amount: &str) -> i64 {
        let mut body = self.app.case_body(self.enterprise);
        body["received_at"] = json!(received);
        body["workers_involved"] = json!(workers);
        body["amount_claimed"] = json!(amount);
        body["unit_id"] = json!(self.app.community);
        let r = self.app.post(&self.mediator, "/api/v1/cases", body);
        assert_eq!(r.status, 201, "{:?}", r.body);
        r.body["id"].as_i64().unwrap()
    }

    fn act(&self, token: &str, id: i64, action: &str, at: &str, mut body: Value) {
        body["at"] = json!(at);
        let r = self
            .app
            .post(token, &format!("/api/v1/cases/{id}/{action}"), body);
        assert_eq!(r.status, 200, "{action} at {at}: {:?}", r.body);
    }

    /// Accepts and assigns the case to the center's mediator at `at`.
    fn to_mediation(&self, id: i64, at: &str) {
        self.act(&self.mediator, id, "accept", at, json!({}));
        self.act(
            &self.director,
            id,
            "assign",
            at,
            json!({"mediator_id": self.mediator_id}),
        );
    }

    fn consultation(&self, received: &str, workers: i64) {
        let r = self.app.post(
            &self.mediator,
            "/api/v1/consultations",
            json!({"received_at": received, "channel": "phone", "topic": "wage_arrears",
                   "workers": workers, "summary": "咨询欠薪如何维权", "unit_id": self.app.street}),
        );
        assert_eq!(r.status, 201, "{:?}", r.body);
    }

    /// The ledger of 2025 (and one case on each side of it).
    fn enter_the_year(&self) {
        // Received in December 2024, resolved on 5 January 2025 after 16 days: a 2025 closing,
        // not a 2025 petition.
        let before = self.petition(&local(2024, 12, 20, 10, 0), 7, "15000");
        self.to_mediation(before, &local(2024, 12, 21, 9, 0));
        self.act(
            &self.mediator,
            before,
            "close",
            &local(2025, 1, 5, 9, 0),
            json!({"outcome": "agreement", "amount_agreed": "15000"}),
        );

        // 1. Resolved after 10 days, 30,000 of 40,000 paid.
        let resolved = self.petition(&local(2025, 1, 10, 9, 0), 12, "45000.5");
        self.to_mediation(resolved, &local(2025, 1, 11, 9, 0));
        self.act(
            &self.mediator,
            resolved,
            "close",
            &local(2025, 1, 20, 15, 0),
            json!({"outcome": "agreement", "amount_agreed": "40000"}),
        );
        self.act(
            &self.mediator,
            resolved,
            "payments",
            &local(2025, 1, 25, 9, 0),
            json!({"amount": "30000", "paid_at": "2025-01-25"}),
        );
        // 2. Failed after 10 days, referred to arbitration.
        let failed = self.petition(&local(2025, 3, 5, 9, 0), 3, "10000");
        self.to_mediation(failed, &local(2025, 3, 6, 9, 0));
        self.act(
            &self.mediator,
            failed,
            "close",
            &local(2025, 3, 15, 9, 0),
            json!({"outcome": "failed", "referral": "arbitration", "note": "企业拒绝调解"}),
        );
        // 3. Rejected the next day.
        let rejected = self.petition(&local(2025, 6, 1, 9, 0), 1, "5000");
        self.act(
            &self.mediator,
            rejected,
            "reject",
            &local(2025, 6, 2, 9, 0),
            json!({"reason": "已申请仲裁"}),
        );
        // 4. Withdrawn after 3 days.
        let withdrawn = self.petition(&local(2025, 9, 9, 9, 0), 2, "8000");
        self.act(
            &self.mediator,
            withdrawn,
            "accept",
            &local(2025, 9, 10, 9, 0),
            json!({}),
        );
        self.act(
            &self.mediator,
            withdrawn,
            "withdraw",
            &local(2025, 9, 12, 9, 0),
            json!({"note": "双方自行和解"}),
        );
        // 5. Still mediating at the year's end, its deadline (mid-November) long past.
        let open = self.petition(&local(2025, 11, 3, 9, 0), 5, "20000");
        self.to_mediation(open, &local(2025, 11, 4, 9, 0));
        // 6. Received at 23:30 on New Year's Eve, local time (15:30 UTC): December's, 2025's.
        self.petition(&local(2025, 12, 31, 23, 30), 4, "2000");
        // Received in 2026: not 2025's.
        self.petition(&local(2026, 1, 5, 9, 0), 9, "99999");

        self.consultation(&local(2025, 2, 1, 10, 0), 2);
        self.consultation(&local(2025, 7, 1, 10, 0), 1);
        self.consultation(&local(2025, 12, 31, 23, 59), 6);
        self.consultation(&local(2026, 1, 1, 0, 0), 50);
    }
}

fn month<'a>(report: &'a Value, m: &str) -> &'a Value {
    report["by_month"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["month"] == m)
        .unwrap()
}

#[test]
fn a_year_of_known_records_gives_exactly_the_known_figures() {
    let c = center();
    c.enter_the_year();
    let (_, viewer) = c.app.user("viewer", c.app.district, None);

    let r = c.app.get(&viewer, "/api/v1/reports/yearly?year=2025");
    assert_eq!(r.status, 200, "{:?}", r.body);
    let y = &r.body;
    assert_eq!(y["unit_id"], c.app.district);
    assert_eq!(y["petitions_received"], 6);
    assert_eq!(y["consultations"], 3);
    // 12 + 3 + 1 + 2 + 5 + 4 workers in petitions, 2 + 1 + 6 in consultations.
    assert_eq!(y["workers_involved"], 36);
    assert_eq!(y["amount_involved"], "90000.50");
    assert_eq!(y["concluded"], 4);
    assert_eq!(
        y["handling_rate"],
        json!({"numerator": 4, "denominator": 6, "percent": "66.7"})
    );
    assert_eq!(
        (y["resolved"].clone(), y["failed"].clone()),
        (json!(1), json!(1))
    );
    assert_eq!(
        y["success_rate"],
        json!({"numerator": 1, "denominator": 2, "percent": "50.0"})
    );
    assert_eq!(y["amount_agreed"], "40000.00");
    assert_eq!(y["amount_paid"], "30000.00");
    // The December 2024 case closed in January, and four of 2025's.
    assert_eq!(y["closed_in_period"], 5);
    // (16 + 10 + 10 + 1 + 3) / 5 days.
    assert_eq!(y["avg_days_to_close"], "8.0");
    assert_eq!(y["open_at_end"], 2);
    assert_eq!(y["overdue_at_end"], 1);
    assert_eq!(y["warnings_reported"]["total"], 0);
    assert_eq!(
        y["summary_zh"],
        "全年共接待职工信访6件，法律法规咨询3件，涉及职工36人次，涉案金额9万元，调处率66.7%，成功率50%。"
    );

    let months = y["by_month"].as_array().unwrap();
    assert_eq!(months.len(), 12);
    assert_eq!(months[0]["month"], "2025-01");
    assert_eq!(months[11]["month"], "2025-12");
    let jan = month(y, "2025-01");
    assert_eq!(jan["petitions_received"], 1);
    assert_eq!(jan["closed_in_period"], 2);
    assert_eq!(jan["avg_days_to_close"], "13.0");
    let dec = month(y, "2025-12");
    assert_eq!(dec["petitions_received"], 1);
    assert_eq!(dec["consultations"], 1);
    assert_eq!(dec["open_at_end"], 2);
    assert_eq!(month(y, "2025-11")["overdue_at_end"], 1);
    // The November case's deadline (18 November) had not passed at the end of October.
    assert_eq!(month(y, "2025-10")["open_at_end"], 0);

    let wage = &y["by_category"][0];
    assert_eq!(wage["key"], "wage_arrears");
    assert_eq!(wage["name"], "拖欠工资");
    assert_eq!(wage["petitions_received"], 6);
    assert_eq!(wage["consultations"], 3);
    let enterprise = &y["by_enterprise"][0];
    assert_eq!(enterprise["key"], c.enterprise);
    assert_eq!(enterprise["petitions_received"], 6);
    let mediator = &y["by_mediator"][0];
    assert_eq!(mediator["key"], c.mediator_id);
    assert_eq!(mediator["petitions_received"], 3);
    assert_eq!(mediator["consultations"], 3);
}

#[test]
fn a_report_read_on_one_connection_is_the_report_read_on_two() {
    // The server reads a period on two connections in two threads when the pool has a spare
    // one; with a pool of one it reads it alone. Both must give the same report.
    let c = center();
    c.enter_the_year();
    let (_, viewer) = c.app.user("viewer", c.app.district, None);
    let on_two = c.app.get(&viewer, "/api/v1/reports/yearly?year=2025");
    assert_eq!(on_two.status, 200, "{:?}", on_two.body);

    let ctx = &c.app.ctx;
    let alone = tiaojie::services::Ctx {
        claim: None,
        db: tiaojie::db::Db::connect(&ctx.settings.config.database_url, 1).unwrap(),
        settings: ctx.settings.clone(),
        clock: ctx.clock.clone(),
    };
    let mut conn = alone.db.get().unwrap();
    let root = tiaojie::services::stats::Root::unit(&mut conn, c.app.district)
        .unwrap()
        .unwrap();
    let report = tiaojie::services::stats::compute(
        &mut conn,
        &alone,
        &root,
        tiaojie::services::stats::Span::Year(2025),
    )
    .unwrap();
    assert_eq!(serde_json::to_value(&report).unwrap(), on_two.body);
    assert_eq!(on_two.body["petitions_received"], 6);
}

#[test]
fn the_same_year_reads_the_same_through_stats_and_the_monthly_report() {
    let c = center();
    c.enter_the_year();
    let (_, viewer) = c.app.user("viewer", c.app.district, None);
    let stats = c
        .app
        .get(&viewer, "/api/v1/stats?from=2025-01-01&to=2026-01-01");
    assert_eq!(stats.status, 200, "{:?}", stats.body);
    assert_eq!(stats.body["petitions_received"], 6);
    assert_eq!(stats.body["closed_in_period"], 5);
    assert!(stats.body.get("by_month").is_none());
    assert!(stats.body.get("summary_zh").is_none());

    let march = c.app.get(&viewer, "/api/v1/reports/monthly?month=2025-03");
    assert_eq!(march.status, 200, "{:?}", march.body);
    assert_eq!(march.body["month"], "2025-03");
    assert_eq!(march.body["petitions_received"], 1);
    assert_eq!(march.body["failed"], 1);
    assert_eq!(march.body["success_rate"]["percent"], "0.0");
    assert_eq!(march.body["avg_days_to_close"], "10.0");
}

#[test]
fn a_case_received_at_half_past_eleven_on_the_last_night_of_a_month_is_that_months() {
    let c = center();
    c.petition(&local(2025, 12, 31, 23, 30), 4, "2000");
    let dec = c
        .app
        .get(&c.director, "/api/v1/reports/monthly?month=2025-12");
    assert_eq!(dec.body["petitions_received"], 1, "{:?}", dec.body);
    let jan = c
        .app
        .get(&c.director, "/api/v1/reports/monthly?month=2026-01");
    assert_eq!(jan.body["petitions_received"], 0);
    // In UTC it was still 15:30 on the 31st; a day later in UTC is still not January's either.
    let by_day = c
        .app
        .get(&c.director, "/api/v1/stats?from=2026-01-01&to=2026-01-02");
    assert_eq!(by_day.body["petitions_received"], 0);
}

#[test]
fn a_communitys_case_counts_for_its_street_and_its_district_and_nowhere_else() {
    let c = center();
    c.petition(&local(2025, 5, 1, 9, 0), 3, "1000");
    let ask = |unit: i64| {
        let r = c.app.get(
            &c.app.admin_token,
            &format!("/api/v1/stats?from=2025-01-01&to=2026-01-01&unit_id={unit}"),
        );
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body
    };
    assert_eq!(ask(c.app.community)["petitions_received"], 1);
    assert_eq!(ask(c.app.street)["petitions_received"], 1);
    assert_eq!(ask(c.app.district)["petitions_received"], 1);
    assert_eq!(ask(c.app.other_street)["petitions_received"], 0);

    // The district's lines: itself, then its streets, the community inside its street.
    let district = ask(c.app.district);
    let lines: Vec<(i64, i64)> = district["by_unit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["key"].as_i64().unwrap(),
                l["petitions_received"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            (c.app.district, 0),
            (c.app.street, 1),
            (c.app.other_street, 0)
        ]
    );
    // An admin bound to no unit, asking for none, counts everything.
    let all = c.app.get(
        &c.app.admin_token,
        "/api/v1/stats?from=2025-01-01&to=2026-01-01",
    );
    assert_eq!(all.body["petitions_received"], 1);
    assert_eq!(all.body["unit_id"], Value::Null);
}

#[test]
fn rates_with_nothing_to_count_have_no_percent_and_all_withdrawn_is_fully_handled() {
    let c = center();
    let empty = c
        .app
        .get(&c.director, "/api/v1/reports/monthly?month=2025-04");
    assert_eq!(empty.status, 200, "{:?}", empty.body);
    assert_eq!(
        empty.body["handling_rate"],
        json!({"numerator": 0, "denominator": 0, "percent": null})
    );
    assert_eq!(empty.body["success_rate"]["percent"], Value::Null);
    assert_eq!(empty.body["avg_days_to_close"], Value::Null);

    for day in [1, 2] {
        let id = c.petition(&local(2025, 4, day, 9, 0), 1, "100");
        c.act(
            &c.mediator,
            id,
            "accept",
            &local(2025, 4, day, 10, 0),
            json!({}),
        );
        c.act(
            &c.mediator,
            id,
            "withdraw",
            &local(2025, 4, day, 11, 0),
            json!({"note": "撤回"}),
        );
    }
    let april = c
        .app
        .get(&c.director, "/api/v1/reports/monthly?month=2025-04");
    assert_eq!(
        april.body["handling_rate"],
        json!({"numerator": 2, "denominator": 2, "percent": "100.0"})
    );
    assert_eq!(
        april.body["success_rate"],
        json!({"numerator": 0, "denominator": 0, "percent": null})
    );
    assert_eq!(april.body["avg_days_to_close"], "0.0");
    let year = c.app.get(&c.director, "/api/v1/reports/yearly?year=2025");
    assert_eq!(
        year.body["summary_zh"],
        "全年共接待职工信访2件，法律法规咨询0件，涉及职工2人次，涉案金额0.02万元，调处率100%，成功率—。"
    );
}

#[test]
fn viewers_read_statistics_of_their_units_only_and_mediators_and_officers_none() {
    let c = center();
    c.petition(&local(2025, 5, 1, 9, 0), 3, "1000");
    let (_, viewer) = c.app.user("viewer", c.app.street, None);
    let (_, far_viewer) = c.app.user("viewer", c.app.other_street, None);
    let (_, officer) = c.app.user("officer", c.app.street, Some(c.enterprise));
    let path = "/api/v1/stats?from=2025-01-01&to=2026-01-01";

    let own = c.app.get(&viewer, path);
    assert_eq!(own.status, 200);
    assert_eq!(own.body["unit_id"], c.app.street);
    assert_eq!(own.body["petitions_received"], 1);
    // Another street's viewer sees only their own street (nothing) and cannot ask for this one.
    assert_eq!(c.app.get(&far_viewer, path).body["petitions_received"], 0);
    let r = c
        .app
        .get(&far_viewer, &format!("{path}&unit_id={}", c.app.street));
    assert_eq!(r.status, 422);
    assert!(r.field_error("unit_id").is_some());
    let r = c.app.get(&viewer, &format!("{path}&unit_id=999999"));
    assert_eq!(r.status, 422);

    assert_eq!(c.app.get(&c.mediator, path).status, 403);
    assert_eq!(c.app.get(&officer, path).status, 403);
    assert_eq!(
        c.app
            .get(&c.mediator, "/api/v1/reports/yearly?year=2025&format=csv")
            .status,
        403
    );
    assert_eq!(c.app.get_anonymous(path).status, 401);
}

#[test]
fn impossible_periods_are_refused_with_422() {
    let c = center();
    for (path, field) in [
        ("/api/v1/stats?from=2025-02-01&to=2025-02-01", "to"),
        ("/api/v1/stats?from=2025-03-01&to=2025-02-01", "to"),
        ("/api/v1/stats?from=2025-02-30&to=2025-03-01", "from"),
        ("/api/v1/stats?to=2025-03-01", "from"),
        ("/api/v1/reports/monthly?month=2025-13", "month"),
        ("/api/v1/reports/monthly?month=2025-1", "month"),
        ("/api/v1/reports/yearly?year=25", "year"),
        ("/api/v1/reports/yearly", "year"),
        ("/api/v1/reports/yearly?year=2025&format=pdf", "format"),
    ] {
        let r = c.app.get(&c.director, path);
        assert_eq!(r.status, 422, "{path}: {:?}", r.body);
        assert!(r.field_error(field).is_some(), "{path}: {:?}", r.body);
    }
}

#[test]
fn the_csv_export_opens_in_chinese_and_carries_the_figures_and_the_summary() {
    let c = center();
    c.enter_the_year();
    let (status, content_type, bytes) = c
        .app
        .get_bytes(&c.director, "/api/v1/reports/yearly?year=2025&format=csv");
    assert_eq!(status, 200);
    assert_eq!(content_type, "text/csv; charset=utf-8");
    assert!(bytes.starts_with("\u{FEFF}".as_bytes()));
    let text = String::from_utf8(bytes).unwrap();
    assert!(text.contains("\r\n接待信访（件）,6\r\n"), "{text}");
    assert!(text.contains("调处率（%）,66.7,4,6\r\n"), "{text}");
    assert!(text.contains("涉案金额（元）,90000.50\r\n"), "{text}");
    assert!(text.contains("按月份\r\n月份,接待信访"), "{text}");
    assert!(
        text.contains("总结,全年共接待职工信访6件，法律法规咨询3件，"),
        "the summary sentence (full-width commas: nothing to quote): {text}"
    );
    // Statistics hold no personal data: the applicant's name is nowhere in the export.
    assert!(!text.contains("王芳"));
}

#[test]
fn the_xlsx_export_is_a_real_workbook() {
    let c = center();
    c.petition(&local(2025, 5, 1, 9, 0), 3, "1000");
    for path in [
        "/api/v1/reports/monthly?month=2025-05&format=xlsx",
        "/api/v1/reports/yearly?year=2025&format=xlsx",
    ] {
        let (status, content_type, bytes) = c.app.get_bytes(&c.director, path);
        assert_eq!(status, 200, "{path}");
        assert_eq!(
            content_type,
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        );
        assert!(bytes.starts_with(b"PK"), "{path}: not a zip");
        let has = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
        assert!(has(b"xl/workbook.xml"), "{path}");
        assert!(has(b"xl/worksheets/sheet1.xml"), "{path}");
    }
}

#[test]
fn the_text_report_of_a_year_is_a_table_of_figures_ending_with_the_summary_sentence() {
    use tiaojie::services::stats::{compute, Root, Span};
    let c = center();
    c.enter_the_year();
    let mut conn = c.app.ctx.db.get().unwrap();
    let root = Root::unit(&mut conn, c.app.street).unwrap().unwrap();
    let report = compute(
        &mut conn,
        &c.app.ctx,
        &root,
        Span::year(Some("2025")).unwrap(),
    )
    .unwrap();
    let text = tiaojie::reports::text::render(&report);
    assert!(
        text.starts_with("东街街道 2025年 劳动争议调解统计\n"),
        "{text}"
    );
    assert!(text.contains("\n接待信访（件）"), "{text}");
    assert!(text.contains("== 按月份 =="), "{text}");
    assert!(
        text.ends_with(
            "\n全年共接待职工信访6件，法律法规咨询3件，涉及职工36人次，涉案金额9万元，调处率66.7%，成功率50%。\n"
        ),
        "{text}"
    );
}

#[test]
fn a_streets_report_has_a_line_for_itself_and_one_for_each_community() {
    let c = center();
    c.petition(&local(2025, 5, 1, 9, 0), 3, "1000");
    let mut body = c.app.case_body(c.enterprise);
    body["received_at"] = json!(local(2025, 5, 2, 9, 0));
    body["unit_id"] = json!(c.app.street);
    assert_eq!(c.app.post(&c.mediator, "/api/v1/cases", body).status, 201);

    let r = c
        .app
        .get(&c.director, "/api/v1/reports/monthly?month=2025-05");
    assert_eq!(r.body["unit_id"], c.app.street);
    assert_eq!(r.body["petitions_received"], 2);
    let lines: Vec<(i64, String, i64)> = r.body["by_unit"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["key"].as_i64().unwrap(),
                l["name"].as_str().unwrap().to_string(),
                l["petitions_received"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        lines,
        vec![
            (c.app.street, "东街街道".to_string(), 1),
            (c.app.community, "东门社区".to_string(), 1)
        ]
    );
}

#[test]
fn by_enterprise_lists_the_twenty_with_most_petitions() {
    let c = center();
    let mut firms = Vec::new();
    for _ in 0..21 {
        let e = c.app.enterprise(c.app.street);
        let mut body = c.app.case_body(e);
        body["received_at"] = json!(local(2025, 5, 1, 9, 0));
        assert_eq!(c.app.post(&c.mediator, "/api/v1/cases", body).status, 201);
        firms.push(e);
    }
    // The center's own enterprise has two petitions; the 21 others one each.
    c.petition(&local(2025, 5, 3, 9, 0), 1, "100");
    c.petition(&local(2025, 5, 4, 9, 0), 1, "100");

    let r = c
        .app
        .get(&c.director, "/api/v1/reports/monthly?month=2025-05");
    let lines = r.body["by_enterprise"].as_array().unwrap();
    assert_eq!(lines.len(), 20);
    assert_eq!(lines[0]["key"], c.enterprise);
    assert_eq!(lines[0]["petitions_received"], 2);
    // Ties go by id: the last registered of the one-petition enterprises is left out.
    let listed: Vec<i64> = lines[1..]
        .iter()
        .map(|l| l["key"].as_i64().unwrap())
        .collect();
    assert_eq!(listed, firms[..19].to_vec());
    assert!(lines[1]["name"].as_str().unwrap().starts_with("测试企业"));
}

#[test]
fn the_openapi_document_describes_the_statistics() {
    let app = spawn_app();
    let doc = app.get_anonymous("/api/v1/openapi.json").body;
    for path in [
        "/api/v1/stats",
        "/api/v1/reports/monthly",
        "/api/v1/reports/yearly",
    ] {
        assert!(doc["paths"][path]["get"].is_object(), "{path}");
    }
    for schema in ["Rate", "Figures", "Report"] {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema}");
    }
}

#[test]
fn warnings_reported_escalated_and_defused_in_the_period_are_counted_by_level() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, officer) = app.user("officer", app.street, Some(e));
    let (_, director) = app.user("director", app.street, None);
    let report = |level: &str| {
        let r = app.post(&officer, "/api/v1/warnings", serde_json::json!({
            "level": level, "category": "wage_arrears", "workers_at_risk": 30, "description": "工资未发"
        }));
        assert_eq!(r.status, 201, "{:?}", r.body);
        r.body["id"].as_i64().unwrap()
    };
    let red = report("red");
    let yellow = report("yellow");
    report("orange");
    let r = app.post(
        &director,
        &format!("/api/v1/warnings/{red}/escalate"),
        serde_json::json!({}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    let r = app.post(
        &director,
        &format!("/api/v1/warnings/{yellow}/defuse"),
        serde_json::json!({"note": "已协调发放"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);

    let stats = app
        .get(&director, "/api/v1/stats?from=2026-03-01&to=2026-04-01")
        .body;
    assert_eq!(
        stats["warnings_reported"],
        serde_json::json!({"total": 3, "yellow": 1, "orange": 1, "red": 1})
    );
    assert_eq!(
        stats["warnings_escalated"],
        serde_json::json!({"total": 1, "yellow": 0, "orange": 0, "red": 1})
    );
    assert_eq!(
        stats["warnings_defused"],
        serde_json::json!({"total": 1, "yellow": 1, "orange": 0, "red": 0})
    );
    // The escalated warning's case is a petition of the period, by the warning channel.
    assert_eq!(stats["petitions_received"], 1);
    let other_month = app
        .get(&director, "/api/v1/stats?from=2026-02-01&to=2026-03-01")
        .body;
    assert_eq!(other_month["warnings_reported"]["total"], 0);
}
