//! Downloads from the pages: every file a page links to (the reports, the ledger, the case list)
//! is served under the page's session, not by the bearer-token API.

use crate::helpers::*;

const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// The CSV and Excel links of a page, fetched with the page's session.
fn both_files(browser: &mut Browser, body: &str) -> (File, File) {
    let csv = link_to(body, "CSV").expect("a CSV link");
    let xlsx = link_to(body, "Excel (.xlsx)").expect("an Excel link");
    assert!(
        !csv.starts_with("/api/") && !xlsx.starts_with("/api/"),
        "{csv} {xlsx}"
    );
    (browser.get_file(&csv), browser.get_file(&xlsx))
}

fn assert_csv(file: &File, name: &str) {
    assert_eq!(file.status, 200, "{}", String::from_utf8_lossy(&file.bytes));
    assert_eq!(file.content_type, "text/csv; charset=utf-8");
    assert_eq!(
        file.disposition,
        format!("attachment; filename=\"{name}.csv\"")
    );
    assert!(file.bytes.starts_with("\u{FEFF}".as_bytes()));
}

fn assert_xlsx(file: &File, name: &str) {
    assert_eq!(file.status, 200);
    assert_eq!(file.content_type, XLSX);
    assert_eq!(
        file.disposition,
        format!("attachment; filename=\"{name}.xlsx\"")
    );
    assert!(file.bytes.starts_with(b"PK"), "an xlsx is a zip archive");
}

#[test]
fn a_signed_in_director_downloads_the_monthly_and_yearly_report_files_from_the_report_pages() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, mediator) = app.user("mediator", app.street, None);
    app.create_case(&mediator, enterprise);
    let mut director = person(&app, "director", Some(app.street), None);

    let monthly = director.browser.get("/reports/monthly?month=2026-03");
    assert_eq!(monthly.status, 200);
    let (csv, xlsx) = both_files(&mut director.browser, &monthly.body);
    assert_csv(&csv, "tiaojie-report-2026-03");
    assert!(String::from_utf8(csv.bytes).unwrap().contains("接待信访"));
    assert_xlsx(&xlsx, "tiaojie-report-2026-03");

    let yearly = director.browser.get("/reports/yearly?year=2026");
    let (csv, xlsx) = both_files(&mut director.browser, &yearly.body);
    assert_csv(&csv, "tiaojie-report-2026");
    assert_xlsx(&xlsx, "tiaojie-report-2026");
}

#[test]
fn the_district_viewer_downloads_the_report_files_too_and_a_mediator_gets_the_403_page() {
    let app = spawn_app();
    let mut viewer = person(&app, "viewer", Some(app.district), None);
    let page = viewer.browser.get("/reports/monthly?month=2026-02");
    let (csv, xlsx) = both_files(&mut viewer.browser, &page.body);
    assert_csv(&csv, "tiaojie-report-2026-02");
    assert_xlsx(&xlsx, "tiaojie-report-2026-02");

    let mut mediator = person(&app, "mediator", Some(app.street), None);
    let refused = mediator
        .browser
        .get_file("/reports/monthly/export?month=2026-02&format=csv");
    assert_eq!(refused.status, 403);
    assert!(
        refused.content_type.starts_with("text/html"),
        "the error page, not JSON"
    );
}

#[test]
fn a_report_file_with_a_bad_month_answers_the_error_page_naming_the_month() {
    let app = spawn_app();
    let mut director = person(&app, "director", Some(app.street), None);
    let bad = director
        .browser
        .get("/reports/monthly/export?month=2026-13&format=csv");
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("<html"), "{}", bad.body);
    let signed_out = Browser::new(&app).get("/reports/monthly/export?month=2026-02");
    assert_eq!(signed_out.status, 303, "without a session: sign in first");
}

#[test]
fn no_page_links_a_file_or_anything_else_to_the_bearer_token_api() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, mediator) = app.user("mediator", app.street, None);
    let case = app.create_case(&mediator, enterprise);
    let mut director = person(&app, "director", Some(app.street), None);
    let case_page = format!("/cases/{}", case["id"]);
    for path in [
        "/",
        "/cases",
        case_page.as_str(),
        "/consultations",
        "/warnings",
        "/reports/monthly",
        "/reports/yearly",
        "/ledger",
        "/ledger/import",
    ] {
        let page = director.browser.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert!(!page.body.contains("href=\"/api/"), "{path} links the API");
    }
}

#[test]
fn a_director_downloads_the_ledger_of_a_period_from_the_ledger_page_with_id_numbers_masked() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, mediator) = app.user("mediator", app.street, None);
    let case = app.create_case(&mediator, enterprise);
    let mut director = person(&app, "director", Some(app.street), None);

    let desk = director.browser.get("/");
    assert!(
        desk.body.contains("href=\"/ledger\""),
        "the nav links the ledger"
    );
    let form = director.browser.get("/ledger");
    assert_eq!(form.status, 200);
    assert!(form.body.contains("action=\"/ledger/export\""));
    assert!(
        form.body.contains("value=\"2026-01-01\""),
        "this year so far: {}",
        form.body
    );
    let street = app.street.to_string();
    let asked = |format: &str| {
        format!("/ledger/export?from=2026-03-01&to=2026-03-31&unit_id={street}&format={format}")
    };
    let csv = director.browser.get_file(&asked("csv"));
    assert_csv(&csv, "tiaojie-ledger-2026-03-01-2026-04-01");
    let text = String::from_utf8(csv.bytes).unwrap();
    assert!(text.contains(case["case_no"].as_str().unwrap()), "{text}");
    assert!(text.contains("王芳（110105********002X）"), "{text}");
    assert!(!text.contains("11010519491231002X") && !text.contains("13812348000"));
    let xlsx = director.browser.get_file(&asked("xlsx"));
    assert_xlsx(&xlsx, "tiaojie-ledger-2026-03-01-2026-04-01");

    // The last day is included: a period of 1 March alone is empty, of 2 March holds the case.
    let day = |d: &str| format!("/ledger/export?from={d}&to={d}&unit_id={street}");
    let first = String::from_utf8(director.browser.get_file(&day("2026-03-01")).bytes).unwrap();
    assert_eq!(first.lines().count(), 1, "the header alone: {first}");
    let second = String::from_utf8(director.browser.get_file(&day("2026-03-02")).bytes).unwrap();
    assert_eq!(second.lines().count(), 2, "{second}");
}

#[test]
fn a_bad_ledger_period_shows_the_form_again_with_the_field_named() {
    let app = spawn_app();
    let mut director = person(&app, "director", Some(app.street), None);
    let bad = director
        .browser
        .get("/ledger/export?from=2026-03-40&to=2026-03-01&format=csv");
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("id=\"e_from\""), "{}", bad.body);
    assert!(
        bad.body.contains("value=\"2026-03-40\""),
        "what was typed is kept"
    );
    let backwards = director
        .browser
        .get("/ledger/export?from=2026-03-10&to=2026-03-01&format=csv");
    assert_eq!(backwards.status, 422);
    assert!(backwards.body.contains("id=\"e_to\"") && backwards.body.contains("不能早于起始日期"));
    let elsewhere = director.browser.get(&format!(
        "/ledger/export?from=2026-03-01&to=2026-03-31&unit_id={}",
        app.other_street
    ));
    assert_eq!(elsewhere.status, 422);
    assert!(
        elsewhere.body.contains("id=\"e_unit_id\""),
        "{}",
        elsewhere.body
    );
}

#[test]
fn only_directors_and_admins_open_the_ledger_page_and_the_import_page_links_it_as_the_template() {
    let app = spawn_app();
    let mut mediator = person(&app, "mediator", Some(app.street), None);
    assert_eq!(mediator.browser.get("/ledger").status, 403);
    let refused = mediator
        .browser
        .get_file("/ledger/export?from=2026-03-01&to=2026-03-31");
    assert_eq!(refused.status, 403);
    assert!(!mediator.browser.get("/").body.contains("href=\"/ledger\""));

    let mut director = person(&app, "director", Some(app.street), None);
    let import = director.browser.get("/ledger/import");
    assert!(
        import.body.contains("<a href=\"/ledger\">从台账页下载</a>"),
        "{}",
        import.body
    );
}
