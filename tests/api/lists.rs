//! What the lists show and find: consultations with their enterprises' names, and cases found by
//! the applicant's full phone or ID number.

use crate::helpers::*;
use serde_json::json;

#[test]
fn the_consultation_lists_name_the_enterprise_not_its_number() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let name = app
        .get(
            &app.admin_token,
            &format!("/api/v1/enterprises/{enterprise}"),
        )
        .body["name"]
        .as_str()
        .unwrap()
        .to_string();
    let mut mediator = person(&app, "mediator", Some(app.street), None);
    let r = app.post(
        &mediator.token,
        "/api/v1/consultations",
        json!({"received_at": "2026-03-02T08:30:00+08:00", "channel": "visit", "topic": "wage_arrears",
               "workers": 3, "enterprise_id": enterprise, "summary": "询问欠薪如何维权"}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["enterprise_name"], name.as_str());
    let listed = app.get(&mediator.token, "/api/v1/consultations").body;
    assert_eq!(listed["items"][0]["enterprise_name"], name.as_str());

    for path in ["/consultations", "/consultations/new"] {
        let page = mediator.browser.get(path);
        assert_eq!(page.status, 200);
        assert!(
            page.body
                .contains(&format!("<td class=\"hide-narrow\">{name}</td>")),
            "{path} names the enterprise: {}",
            page.body
        );
        assert!(
            !page
                .body
                .contains(&format!("<td class=\"hide-narrow\">{enterprise}</td>")),
            "{path} shows no internal number"
        );
    }
}

fn search(app: &TestApp, token: &str, q: &str) -> i64 {
    let q: String = url::form_urlencoded::byte_serialize(q.as_bytes()).collect();
    let r = app.get(token, &format!("/api/v1/cases?q={q}"));
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["total"].as_i64().unwrap()
}

/// The digest rows as stored: (case id, phone digest, ID digest).
fn digests(app: &TestApp) -> Vec<(i64, Option<String>, Option<String>)> {
    app.ctx
        .db
        .write_blocking(|conn| {
            use diesel::prelude::*;
            use tiaojie::db::schema::case_digests as d;
            d::table
                .select((d::case_id, d::phone, d::id_number))
                .order(d::case_id)
                .load(conn)
                .map_err(tiaojie::error::AppError::from)
        })
        .unwrap()
}

#[test]
fn a_case_is_found_by_the_applicants_whole_phone_or_id_number_but_not_by_part_of_either() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    let case = app.create_case(&director.token, enterprise);
    let t = &director.token;
    assert_eq!(search(&app, t, "13812348000"), 1);
    assert_eq!(search(&app, t, "138 1234 8000"), 1, "typed with spaces");
    assert_eq!(search(&app, t, "11010519491231002x"), 1, "a small x");
    assert_eq!(
        search(&app, t, "1381234"),
        0,
        "part of a phone finds nothing"
    );
    assert_eq!(search(&app, t, "13812348001"), 0);
    assert_eq!(search(&app, t, "110105194912310011"), 0);

    let page = director.browser.get("/cases?q=13812348000");
    assert!(page.body.contains(case["case_no"].as_str().unwrap()));
    // The stored digests are keyed hashes: neither number is in them.
    let rows = digests(&app);
    assert_eq!(rows.len(), 1);
    let (_, phone, id) = &rows[0];
    let (phone, id) = (phone.as_deref().unwrap(), id.as_deref().unwrap());
    assert_eq!((phone.len(), id.len()), (64, 64));
    assert!(!phone.contains("13812348000") && !id.contains("11010519491231002X"));
}

#[test]
fn an_edited_phone_is_found_by_its_new_number_and_no_longer_by_the_old_one() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    let case = app.create_case(&director, enterprise);
    let r = app.patch(
        &director,
        &format!("/api/v1/cases/{}", case["id"]),
        json!({"version": case["version"], "applicant_phone": "13900001111"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(search(&app, &director, "13900001111"), 1);
    assert_eq!(search(&app, &director, "13812348000"), 0);
    assert_eq!(
        search(&app, &director, "11010519491231002X"),
        1,
        "the ID kept"
    );
}

#[test]
fn cases_written_before_the_digests_are_found_once_the_start_up_fills_them_under_the_key() {
    use tiaojie::domain::search_key::SearchKey;
    use tiaojie::services::digests;
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    app.create_case(&director, enterprise);
    app.create_case(&director, enterprise);
    let run = |f: &dyn Fn(&mut tiaojie::db::DbConn) -> diesel::QueryResult<usize>| {
        app.ctx
            .db
            .write_blocking(|conn| f(conn).map_err(tiaojie::error::AppError::from))
            .unwrap()
    };
    run(&|conn| {
        use diesel::prelude::*;
        diesel::delete(tiaojie::db::schema::case_digests::table).execute(conn)
    });
    assert_eq!(search(&app, &director, "13812348000"), 0);
    let key = &app.ctx.settings.search_key;
    assert_eq!(run(&|conn| digests::fill_batch(conn, key)), 2);
    assert_eq!(run(&|conn| digests::fill_batch(conn, key)), 0, "idempotent");
    assert_eq!(search(&app, &director, "13812348000"), 2);

    // Another key: every digest is dropped and made again under it, so the old ones stop matching.
    let other = SearchKey::new(b"another key of at least thirty-two characters");
    let before = digests(&app);
    assert_eq!(
        run(&|conn| Ok(usize::from(digests::check_key(conn, &other)?))),
        1
    );
    assert_eq!(
        run(&|conn| Ok(usize::from(digests::check_key(conn, &other)?))),
        0
    );
    assert_eq!(run(&|conn| digests::fill_batch(conn, &other)), 2);
    assert_ne!(digests(&app), before);
    assert_eq!(
        run(&|conn| Ok(usize::from(digests::check_key(conn, key)?))),
        1
    );
    run(&|conn| digests::fill_batch(conn, key));
    assert_eq!(digests(&app), before);
}

#[test]
fn the_case_list_exports_its_filtered_rows_masked_and_only_what_the_caller_sees() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    let wages = app.create_case(&director.token, enterprise);
    let mut body = app.case_body(enterprise);
    body["category"] = json!("contract");
    let contract = app.post(&director.token, "/api/v1/cases", body).body;
    let elsewhere = app.enterprise(app.other_street);
    let (_, other) = app.user("director", app.other_street, None);
    let far = app.create_case(&other, elsewhere);

    let page = director.browser.get("/cases?category=wage_arrears");
    let csv_link = link_to(&page.body, "CSV").expect("an export link");
    assert!(csv_link.starts_with("/cases/export?") && csv_link.contains("category=wage_arrears"));
    let csv = director.browser.get_file(&csv_link);
    assert_eq!(csv.status, 200);
    assert_eq!(csv.content_type, "text/csv; charset=utf-8");
    assert!(
        csv.disposition.contains("tiaojie-cases-2026-03-02.csv"),
        "{}",
        csv.disposition
    );
    let text = String::from_utf8(csv.bytes).unwrap();
    assert!(
        text.starts_with("\u{FEFF}序号,案号,收案日期,受理日期,申请人"),
        "{text}"
    );
    assert!(text.contains(wages["case_no"].as_str().unwrap()));
    assert!(
        !text.contains(contract["case_no"].as_str().unwrap()),
        "filtered out"
    );
    assert!(
        !text.contains(far["case_no"].as_str().unwrap()),
        "another street's"
    );
    assert!(text.contains("王芳（110105********002X）"));
    assert!(!text.contains("11010519491231002X") && !text.contains("13812348000"));
    // Searching by the whole phone number exports the cases it finds.
    let found = director
        .browser
        .get_file("/cases/export?q=13812348000&format=xlsx");
    assert_eq!(found.status, 200);
    assert!(found.bytes.starts_with(b"PK"));

    let mut mediator = person(&app, "mediator", Some(app.street), None);
    assert!(link_to(&mediator.browser.get("/cases").body, "CSV").is_none());
    assert_eq!(
        mediator.browser.get_file("/cases/export?format=csv").status,
        403
    );
    let logged: i64 = app
        .ctx
        .db
        .write_blocking(|conn| {
            use diesel::prelude::*;
            use tiaojie::db::schema::access_log;
            access_log::table
                .filter(access_log::record_type.eq("case_list"))
                .count()
                .get_result(conn)
                .map_err(tiaojie::error::AppError::from)
        })
        .unwrap();
    assert_eq!(logged, 2, "one access-log row per export");
}

#[test]
fn a_case_list_export_of_more_than_ten_thousand_cases_is_refused_and_a_narrower_filter_exports() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    let wages = app.create_case(&director.token, e);
    let bulk = (0..10_000).map(|n| bulk_case(app.street, e, director.id, n));
    app.insert_cases(bulk.collect());

    // 10,001 cases: refused, saying to narrow the filter, nothing cut short.
    let all = director.browser.get_file("/cases/export?format=csv");
    assert_eq!(all.status, 422);
    let page = String::from_utf8(all.bytes).unwrap();
    assert!(
        page.contains("超过 10000 件") && page.contains("缩小筛选范围"),
        "{page}"
    );

    // Exactly 10,000 (the bulk's category): exported in full.
    let bulk = director
        .browser
        .get_file("/cases/export?format=csv&category=contract");
    assert_eq!(bulk.status, 200);
    let text = String::from_utf8(bulk.bytes).unwrap();
    assert_eq!(
        text.lines().count(),
        1 + 10_000,
        "the header and every case"
    );
    assert!(!text.contains(wages["case_no"].as_str().unwrap()));
}
