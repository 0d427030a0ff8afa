//! Browser tests: headless Chromium (Debian's `chromium` and `chromium-driver`) driven over the
//! WebDriver protocol by a small client written here (JSON over HTTP with ureq). Screenshots of the
//! pages go to target/screenshots/. Without chromedriver the tests say so and pass only outside CI;
//! `.ci/run` installs both packages, and with CI set a missing driver fails the test.

use crate::helpers::*;
use base64::Engine;
use serde_json::{json, Value};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

pub(crate) struct Driver {
    process: Child,
    base: String,
    session: String,
    _profile: std::path::PathBuf,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = ureq::delete(&format!("{}/session/{}", self.base, self.session)).call();
        let _ = self.process.kill();
        let _ = self.process.wait();
    }
}

pub(crate) fn call(method: &str, url: &str, body: Option<Value>) -> Value {
    try_call(method, url, body).unwrap_or_else(|e| panic!("{method} {url}: {e}"))
}

fn try_call(method: &str, url: &str, body: Option<Value>) -> Result<Value, String> {
    let req = ureq::request(method, url).timeout(Duration::from_secs(30));
    let result = match body {
        Some(b) => req.send_json(b),
        None => req.call(),
    };
    let response = match result {
        Ok(r) => r,
        Err(ureq::Error::Status(_, r)) => r,
        Err(e) => return Err(e.to_string()),
    };
    let value: Value = response.into_json().unwrap_or(Value::Null);
    if value["value"]["error"].is_string() {
        return Err(value["value"]["message"].to_string());
    }
    Ok(value["value"].clone())
}

impl Driver {
    /// Starts chromedriver and a headless Chromium window of the given size (a phone's width is
    /// emulated: headless windows are at least 500 px wide); None when the machine has no
    /// chromedriver (and this is not CI).
    pub(crate) fn start(width: u32, height: u32) -> Option<Driver> {
        let exe = ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"]
            .into_iter()
            .find(|p| std::path::Path::new(p).exists());
        let Some(exe) = exe else {
            assert!(
                std::env::var("CI").is_err(),
                "CI must have chromium-driver installed"
            );
            eprintln!(
                "no chromedriver: browser test not run (apt-get install chromium chromium-driver)"
            );
            return None;
        };
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let process = Command::new(exe)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let base = format!("http://127.0.0.1:{port}");
        let started = Instant::now();
        while ureq::get(&format!("{base}/status")).call().is_err() {
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "chromedriver did not start"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        let profile = std::env::temp_dir().join(format!("tiaojie-chrome-{port}"));
        let mut caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {
                "binary": "/usr/bin/chromium",
                "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                         "--disable-background-networking", "--disable-component-update", "--disable-sync",
                         "--no-first-run", "--disable-quic", format!("--user-data-dir={}", profile.display()),
                         format!("--window-size={},{height}", width.max(500))],
                "prefs": {"download.default_directory": profile.join("downloads").display().to_string(),
                          "download.prompt_for_download": false}
            }
        }}});
        if width < 500 {
            caps["capabilities"]["alwaysMatch"]["goog:chromeOptions"]["mobileEmulation"] =
                json!({"deviceMetrics": {"width": width, "height": height, "pixelRatio": 2.0}});
        }
        let session = call("POST", &format!("{base}/session"), Some(caps))["sessionId"]
            .as_str()
            .unwrap()
            .to_string();
        Some(Driver {
            process,
            base,
            session,
            _profile: profile,
        })
    }

    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}/session/{}{path}", self.base, self.session)
    }

    pub(crate) fn goto(&self, url: &str) {
        call("POST", &self.url("/url"), Some(json!({"url": url})));
    }

    fn current_url(&self) -> String {
        call("GET", &self.url("/url"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    fn find(&self, css: &str) -> String {
        let v = call(
            "POST",
            &self.url("/element"),
            Some(json!({"using": "css selector", "value": css})),
        );
        v[ELEMENT]
            .as_str()
            .unwrap_or_else(|| panic!("no element {css} in {v} on {}", self.source()))
            .to_string()
    }

    fn click(&self, css: &str) {
        let id = self.find(css);
        call(
            "POST",
            &self.url(&format!("/element/{id}/click")),
            Some(json!({})),
        );
    }

    fn clear_and_type(&self, css: &str, text: &str) {
        let id = self.find(css);
        call(
            "POST",
            &self.url(&format!("/element/{id}/clear")),
            Some(json!({})),
        );
        call(
            "POST",
            &self.url(&format!("/element/{id}/value")),
            Some(json!({"text": text})),
        );
    }

    fn text(&self, css: &str) -> String {
        let id = self.find(css);
        call("GET", &self.url(&format!("/element/{id}/text")), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Waits (up to 10 s) until the element's text contains `needle`: a submitted form's answer
    /// arrives after the click returns.
    fn wait_text(&self, css: &str, needle: &str) -> String {
        let started = Instant::now();
        loop {
            let found = try_call(
                "POST",
                &self.url("/element"),
                Some(json!({"using": "css selector", "value": css})),
            )
            .ok()
            .and_then(|v| v[ELEMENT].as_str().map(str::to_string))
            .and_then(|id| try_call("GET", &self.url(&format!("/element/{id}/text")), None).ok())
            .and_then(|t| t.as_str().map(str::to_string))
            .unwrap_or_default();
            if found.contains(needle) {
                return found;
            }
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "{css} never showed {needle:?}; last {found:?}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn source(&self) -> String {
        call("GET", &self.url("/source"), None)
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    /// Saves a screenshot under target/screenshots/NAME.png.
    pub(crate) fn screenshot(&self, name: &str) {
        let b64 = call("GET", &self.url("/screenshot"), None);
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap_or(""))
            .unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.png")), png).unwrap();
    }

    /// Waits (up to 20 s) for a download named `name` to finish and answers its bytes.
    fn downloaded(&self, name: &str) -> Vec<u8> {
        let path = self._profile.join("downloads").join(name);
        let started = Instant::now();
        loop {
            if let Ok(bytes) = std::fs::read(&path) {
                if !bytes.is_empty() {
                    return bytes;
                }
            }
            assert!(
                started.elapsed() < Duration::from_secs(20),
                "{name} was never downloaded"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
    }

    pub(crate) fn sign_in(&self, app: &TestApp, username: &str) {
        self.goto(&format!("{}/login", app.base));
        self.clear_and_type("#username", username);
        self.clear_and_type("#password", PASSWORD);
        self.click("button[type=submit]");
        let started = Instant::now();
        while self.current_url().contains("/login") {
            assert!(
                started.elapsed() < Duration::from_secs(10),
                "sign-in did not finish"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }
}

#[test]
fn a_mediator_registers_a_case_in_the_browser_and_a_director_takes_it_to_an_agreement() {
    let Some(browser) = Driver::start(1440, 900) else {
        return;
    };
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    app.named_user("zhangtiao", "zhangtiao·测试", "mediator", app.street, None);
    app.named_user("lizhuren", "lizhuren·测试", "director", app.street, None);

    browser.sign_in(&app, "zhangtiao");
    assert_eq!(
        browser.current_url(),
        format!("{}/", app.base),
        "signed in, on the desk"
    );
    browser.screenshot("desk");
    browser.goto(&format!("{}/cases/new", app.base));
    browser.click("select[name=channel] option[value=visit]");
    browser.click("select[name=category] option[value=wage_arrears]");
    browser.clear_and_type("#f_enterprise", &app.enterprise_name(enterprise));
    browser.clear_and_type("#f_applicant_name", "王芳");
    browser.clear_and_type("#f_applicant_phone", "13812348000");
    browser.clear_and_type("#f_workers_involved", "12");
    browser.clear_and_type("#f_amount_claimed", "45000");
    browser.clear_and_type("#f_description", "拖欠三个月工资");
    browser.screenshot("intake-form");
    browser.click("form.stack button[type=submit]");
    browser.wait_text("h1", "TJ-2026-00001");
    assert!(browser.text("h1").contains("待受理"));

    browser.click("details.action summary");
    browser.click("form[action$='/act/accept'] button");
    browser.wait_text("h1", "已受理");

    // The director assigns the mediator; the mediator logs a session and closes with an agreement.
    let case_url = browser.current_url();
    let director = Driver::start(1440, 900).unwrap();
    director.sign_in(&app, "lizhuren");
    director.goto(&case_url);
    director.click("form[action$='/act/assign'] ~ summary, details.action summary");
    director.click("form[action$='/act/assign'] button");
    director.wait_text("h1", "调解中");

    browser.goto(&case_url);
    let source = browser.source();
    assert!(source.contains("/act/sessions"));
    browser.click("details.action:nth-of-type(1) summary");
    browser.clear_and_type(
        "form[action$='/act/sessions'] input[name=location]",
        "街道调解室",
    );
    browser.clear_and_type(
        "form[action$='/act/sessions'] input[name=attendees]",
        "申请人、企业代表",
    );
    browser.click("form[action$='/act/sessions'] button");
    browser.wait_text("main", "街道调解室");

    let summaries = browser.source().matches("<summary>").count();
    for n in 1..=summaries {
        browser.click(&format!("details.action:nth-of-type({n}) summary"));
    }
    browser.clear_and_type(
        "form[action$='/act/close_agreement'] input[name=amount_agreed]",
        "40000",
    );
    browser.click("form[action$='/act/close_agreement'] button");
    browser.wait_text("h1", "调解成功");
    browser.screenshot("case-resolved");

    // The mediation agreement prints from the case page.
    browser.click("a[href$='/print/agreement']");
    let agreement = browser.wait_text("h1", "调解协议书");
    assert!(agreement.contains("调解协议书"));
    let doc = browser.source();
    assert!(
        doc.contains("40,000.00") && doc.contains("王芳"),
        "the agreement names the parties and the amount"
    );
    browser.screenshot("print-agreement");

    let id: i64 = case_url.rsplit('/').next().unwrap().parse().unwrap();
    let (_, token) = app.user("director", app.street, None);
    let case = app.get(&token, &format!("/api/v1/cases/{id}")).body;
    assert_eq!(case["status"], "resolved");
    assert_eq!(case["amount_agreed"], "40000.00");
    assert_eq!(case["sessions"][0]["location"], "街道调解室");
}

#[test]
fn the_desk_reads_well_on_a_phone_sized_window() {
    let Some(browser) = Driver::start(375, 812) else {
        return;
    };
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    app.named_user(
        "wangyuan",
        "wangyuan·测试",
        "officer",
        app.street,
        Some(enterprise),
    );
    let (_, mediator) = app.user("mediator", app.street, None);
    app.create_case(&mediator, enterprise);
    browser.sign_in(&app, "wangyuan");
    browser.goto(&format!("{}/", app.base));
    assert!(browser.source().contains("TJ-2026-00001"));
    // Nothing wider than the screen: the page does not scroll sideways.
    let width = call(
        "POST",
        &browser.url("/execute/sync"),
        Some(json!({"script": "return document.documentElement.scrollWidth", "args": []})),
    );
    assert!(width.as_i64().unwrap() <= 375, "page is {width}px wide");
    browser.screenshot("desk-phone");
}

#[test]
fn an_officer_on_a_phone_reports_a_red_warning_and_a_director_escalates_it_to_a_case() {
    let Some(phone) = Driver::start(375, 812) else {
        return;
    };
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    app.named_user(
        "yujingyuan",
        "yujingyuan·测试",
        "officer",
        app.street,
        Some(enterprise),
    );
    app.named_user(
        "zhaozhuren",
        "zhaozhuren·测试",
        "director",
        app.street,
        None,
    );

    phone.sign_in(&app, "yujingyuan");
    phone.goto(&format!("{}/warnings/new", app.base));
    phone.click("input[name=level][value=red]");
    phone.click("select[name=category] option[value=wage_arrears]");
    phone.clear_and_type("#f_workers_at_risk", "45");
    phone.clear_and_type("#f_amount_at_risk", "380000");
    phone.clear_and_type("#f_description", "三个月未发工资，职工聚集在厂门口");
    phone.screenshot("warning-form-phone");
    let width = call(
        "POST",
        &phone.url("/execute/sync"),
        Some(json!({"script": "return document.documentElement.scrollWidth", "args": []})),
    );
    assert!(
        width.as_i64().unwrap() <= 375,
        "the form is {width}px wide on a 375px phone"
    );
    phone.click("form[action='/warnings/new'] button[type=submit]");
    phone.wait_text("main", "三个月未发工资");
    let warning_url = phone.current_url();
    assert!(warning_url.contains("/warnings/"), "{warning_url}");

    let Some(desk) = Driver::start(1440, 900) else {
        return;
    };
    desk.sign_in(&app, "zhaozhuren");
    desk.goto(&warning_url);
    desk.click("form[action$='/act/escalate'] ~ summary, details.action:last-of-type summary");
    desk.click("form[action$='/act/escalate'] button");
    let heading = desk.wait_text("h1", "TJ-2026-00001");
    assert!(heading.contains("待受理"), "{heading}");
    desk.screenshot("escalated-case");

    let (_, token) = app.user("director", app.street, None);
    let cases = app.get(&token, "/api/v1/cases").body;
    assert_eq!(cases["total"], 1);
    assert_eq!(cases["items"][0]["channel"], "warning");
    assert_eq!(cases["items"][0]["workers_involved"], 45);
    let warnings = app.get(&token, "/api/v1/warnings").body;
    assert_eq!(warnings["items"][0]["status"], "escalated");
    assert_eq!(warnings["items"][0]["level"], "red");
}

#[test]
fn a_signed_in_director_and_the_viewer_click_the_report_pages_csv_and_excel_links_and_get_the_files(
) {
    let Some(browser) = Driver::start(1440, 900) else {
        return;
    };
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, mediator) = app.user("mediator", app.street, None);
    app.create_case(&mediator, enterprise);
    app.named_user("xiazai", "xiazai·测试", "director", app.street, None);
    browser.sign_in(&app, "xiazai");
    browser.goto(&format!("{}/reports/monthly?month=2026-03", app.base));
    browser.click("a[href*='format=csv']");
    let csv = String::from_utf8(browser.downloaded("tiaojie-report-2026-03.csv")).unwrap();
    assert!(csv.contains("接待信访"), "the report, not an error: {csv}");
    browser.click("a[href*='format=xlsx']");
    assert!(browser
        .downloaded("tiaojie-report-2026-03.xlsx")
        .starts_with(b"PK"));
    browser.goto(&format!("{}/reports/yearly?year=2026", app.base));
    browser.click("a[href*='format=xlsx']");
    assert!(browser
        .downloaded("tiaojie-report-2026.xlsx")
        .starts_with(b"PK"));
    browser.goto(&format!("{}/ledger", app.base));
    browser.click("button[value=xlsx]");
    let ledger = browser.downloaded("tiaojie-ledger-2026-01-01-2026-03-03.xlsx");
    assert!(ledger.starts_with(b"PK"));

    let Some(viewer) = Driver::start(1440, 900) else {
        return;
    };
    app.named_user("kanbiao", "kanbiao·测试", "viewer", app.district, None);
    viewer.sign_in(&app, "kanbiao");
    viewer.goto(&format!("{}/reports/monthly?month=2026-03", app.base));
    viewer.click("a[href*='format=csv']");
    let csv = String::from_utf8(viewer.downloaded("tiaojie-report-2026-03.csv")).unwrap();
    assert!(csv.contains("接待信访"), "{csv}");
}

#[test]
fn a_bad_close_form_comes_back_with_its_errors_beside_its_fields_and_a_reload_submits_nothing() {
    let Some(browser) = Driver::start(1440, 900) else {
        return;
    };
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let director = app.named_user(
        "zhouzhuren",
        "zhouzhuren·测试",
        "director",
        app.street,
        None,
    );
    let token = app.login("zhouzhuren", PASSWORD);
    let id = app.create_case(&token, enterprise)["id"].as_i64().unwrap();
    for (name, body) in [
        ("accept", json!({})),
        ("assign", json!({"mediator_id": director})),
    ] {
        let r = app.post(&token, &format!("/api/v1/cases/{id}/{name}"), body);
        assert_eq!(r.status, 200, "{name}: {:?}", r.body);
    }
    let events = || {
        app.get(&token, &format!("/api/v1/cases/{id}")).body["events"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = events();
    let case_url = format!("{}/cases/{id}", app.base);
    browser.sign_in(&app, "zhouzhuren");
    browser.goto(&case_url);

    // Close with an agreement: an amount in 万 and an agreement number.
    let form = "form[action$='/act/close_agreement']";
    let summaries = browser.source().matches("<summary>").count();
    for n in 1..=summaries {
        browser.click(&format!("details.action:nth-of-type({n}) summary"));
    }
    browser.clear_and_type(&format!("{form} input[name=amount_agreed]"), "4万");
    browser.clear_and_type(&format!("{form} input[name=agreement_no]"), "调协字第9号");
    browser.click(&format!("{form} button"));
    let error = browser.wait_text("#e_close_agreement_amount_agreed", "万");
    assert!(error.contains("86400"), "says what to write: {error}");
    assert_eq!(
        browser.current_url(),
        case_url,
        "the address is the case page"
    );
    let value = |css: &str| {
        call(
            "POST",
            &browser.url("/execute/sync"),
            Some(json!({"script": "return document.querySelector(arguments[0]).value", "args": [css]})),
        )
        .as_str()
        .unwrap_or("")
        .to_string()
    };
    assert_eq!(value(&format!("{form} input[name=amount_agreed]")), "4万");
    assert_eq!(
        value(&format!("{form} input[name=agreement_no]")),
        "调协字第9号"
    );
    browser.screenshot("case-form-errors");

    // Close as failed without a reason: the error is beside the reason, the referral kept.
    let failed = "form[action$='/act/close_failed']";
    browser.click(&format!("details.action:has({failed}) summary"));
    browser.click(&format!(
        "{failed} select[name=referral] option[value=litigation]"
    ));
    browser.click(&format!("{failed} button"));
    let error = browser.wait_text("#e_close_failed_note", "必填");
    assert_eq!(error, "必填");
    let label = browser.text(&format!("{failed} label[for=a_close_failed_note]"));
    assert!(
        label.contains("理由"),
        "the message stands beside the reason: {label}"
    );
    assert_eq!(
        value(&format!("{failed} select[name=referral]")),
        "litigation"
    );

    // Reloading the page submits nothing again and shows the case as it is.
    call("POST", &browser.url("/refresh"), Some(json!({})));
    assert_eq!(browser.current_url(), case_url);
    assert!(!browser.source().contains("e_close_failed_note"));
    assert_eq!(events(), before, "nothing was recorded");
    let case = app.get(&token, &format!("/api/v1/cases/{id}")).body;
    assert_eq!(case["status"], "mediating");
}

/// The pages of a PDF: its `/Type /Page` objects (not the `/Type /Pages` tree).
pub(crate) fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page")
        .filter(|(at, m)| !text[at + m.len()..].starts_with('s'))
        .count()
}

/// The text of page `page` of a PDF, by poppler's pdftotext (installed with poppler-utils);
/// None when it is not installed.
pub(crate) fn pdf_page_text(pdf: &[u8], page: usize) -> Option<String> {
    let path = std::env::temp_dir().join(format!("tiaojie-print-{}.pdf", unique()));
    std::fs::write(&path, pdf).unwrap();
    let out = Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string(), "-layout"])
        .arg(&path)
        .arg("-")
        .output()
        .ok()?;
    let _ = std::fs::remove_file(&path);
    Some(String::from_utf8_lossy(&out.stdout).to_string())
}

impl Driver {
    /// The page printed to PDF on A4 (Chromium's own print, as a user's "Save as PDF"), saved
    /// under target/screenshots/NAME.pdf.
    pub(crate) fn print_pdf(&self, name: &str) -> Vec<u8> {
        let b64 = call(
            "POST",
            &self.url("/print"),
            Some(json!({"page": {"width": 21.0, "height": 29.7}, "background": true})),
        );
        let pdf = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap_or(""))
            .unwrap();
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/screenshots");
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(dir.join(format!("{name}.pdf")), &pdf).unwrap();
        pdf
    }
}

/// A case of the street taken to its end by a director: `outcome` "agreement" or "failed".
fn concluded_case(
    app: &TestApp,
    token: &str,
    enterprise: i64,
    description: &str,
    outcome: &str,
) -> i64 {
    let mut body = app.case_body(enterprise);
    body["description"] = json!(description);
    let r = app.post(token, "/api/v1/cases", body);
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    let me = app.get(token, "/api/v1/me").body["id"].as_i64().unwrap();
    let close = match outcome {
        "agreement" => {
            json!({"outcome": "agreement", "amount_agreed": "40000", "agreement_no": "调协字〔2026〕1号", "payment_due": "2026-03-31"})
        }
        _ => {
            json!({"outcome": "failed", "referral": "arbitration", "note": "双方对加班费计算分歧较大"})
        }
    };
    for (name, body) in [
        ("accept", json!({})),
        ("assign", json!({"mediator_id": me})),
        ("close", close),
    ] {
        let r = app.post(token, &format!("/api/v1/cases/{id}/{name}"), body);
        assert_eq!(r.status, 200, "{name}: {:?}", r.body);
    }
    id
}

#[test]
fn the_agreement_and_the_arbitration_notice_each_print_on_one_a4_page_and_a_long_one_keeps_its_signatures_together(
) {
    let Some(browser) = Driver::start(1366, 900) else {
        return;
    };
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    app.named_user("lizhuren", "李主任", "director", app.street, None);
    let token = app.login("lizhuren", PASSWORD);
    // The street names its competent arbitration commission on the admin page.
    let mut admin = signed_in(&app, "admin");
    let units = admin.get("/admin/units");
    let csrf = Browser::csrf(&units);
    let street = app.street.to_string();
    let r = admin.post(
        "/admin/units/arbitration",
        &[
            ("csrf", &csrf),
            ("unit_id", &street),
            ("arbitration_commission", "东城区劳动人事争议仲裁委员会"),
            ("arbitration_address", "东城区东街 18 号"),
        ],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let ordinary = "拖欠三个月工资，申请人要求被申请人支付工资及经济补偿。";
    let agreement = concluded_case(&app, &token, enterprise, ordinary, "agreement");
    let notice = concluded_case(&app, &token, enterprise, ordinary, "failed");
    let long = "申请人自 2019 年起在被申请人处工作，双方对工资、加班费、社会保险及经济补偿的计算存在分歧。".repeat(30);
    let long_case = concluded_case(&app, &token, enterprise, &long, "agreement");

    browser.sign_in(&app, "lizhuren");
    for (path, name) in [
        (
            format!("/cases/{agreement}/print/agreement"),
            "print-agreement",
        ),
        (
            format!("/cases/{notice}/print/arbitration-notice"),
            "print-notice",
        ),
    ] {
        browser.goto(&format!("{}{path}", app.base));
        browser.screenshot(&format!("{name}-1366"));
        let pdf = browser.print_pdf(name);
        assert_eq!(pdf_pages(&pdf), 1, "{name} fits one A4 page");
    }
    browser.goto(&format!(
        "{}/cases/{notice}/print/arbitration-notice",
        app.base
    ));
    let text = browser.text("article.doc");
    assert!(text.contains("东城区劳动人事争议仲裁委员会"), "{text}");
    assert!(text.contains("东城区东街 18 号"));

    // A long case runs over, and its signatures, seal and date stay together on the last page.
    browser.goto(&format!("{}/cases/{long_case}/print/agreement", app.base));
    let pdf = browser.print_pdf("print-agreement-long");
    let pages = pdf_pages(&pdf);
    assert!(pages >= 2, "the long agreement runs over ({pages} page)");
    if let Some(last) = pdf_page_text(&pdf, pages) {
        for text in ["申请人（签名）", "调解员（签名）", "（印章）", "2026-03-02"]
        {
            assert!(last.contains(text), "{text} on the last page: {last}");
        }
    } else {
        skipped("pdftotext not installed: the last page's text was not read");
    }
}

#[test]
fn every_other_document_of_an_ordinary_case_prints_on_one_a4_page() {
    let Some(browser) = Driver::start(1366, 900) else {
        return;
    };
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    app.named_user("lizhuren", "李主任", "director", app.street, None);
    let token = app.login("lizhuren", PASSWORD);
    let me = app.get(&token, "/api/v1/me").body["id"].as_i64().unwrap();
    let id = app.create_case(&token, enterprise)["id"].as_i64().unwrap();
    for (name, body) in [
        ("accept", json!({})),
        ("assign", json!({"mediator_id": me})),
        (
            "sessions",
            json!({"held_at": "2026-03-02T08:30:00+08:00", "location": "街道调解室",
                   "attendees": "王芳；被申请人人事经理", "notes": "申请人称被拖欠三个月工资，被申请人承认欠薪，提出分两期支付。"}),
        ),
    ] {
        let r = app.post(&token, &format!("/api/v1/cases/{id}/{name}"), body);
        assert_eq!(r.status, 200, "{name}: {:?}", r.body);
    }
    let refused = app.create_case(&token, enterprise)["id"].as_i64().unwrap();
    let r = app.post(
        &token,
        &format!("/api/v1/cases/{refused}/reject"),
        json!({"reason": "不属于劳动争议"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    browser.sign_in(&app, "lizhuren");
    for (case, kind) in [
        (id, "acceptance-notice"),
        (id, "session-record"),
        (id, "service-receipt"),
        (refused, "rejection-notice"),
    ] {
        browser.goto(&format!("{}/cases/{case}/print/{kind}", app.base));
        let name = format!("print-{kind}");
        browser.screenshot(&format!("{name}-1366"));
        let pdf = browser.print_pdf(&name);
        assert_eq!(pdf_pages(&pdf), 1, "{kind} fits one A4 page");
    }
}

#[test]
fn the_prints_read_on_a_phone_sized_window() {
    let Some(browser) = Driver::start(375, 812) else {
        return;
    };
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    app.named_user("lizhuren", "李主任", "director", app.street, None);
    let token = app.login("lizhuren", PASSWORD);
    let agreement = concluded_case(&app, &token, enterprise, "拖欠三个月工资", "agreement");
    let notice = concluded_case(&app, &token, enterprise, "拖欠三个月工资", "failed");
    browser.sign_in(&app, "lizhuren");
    for (path, name) in [
        (
            format!("/cases/{agreement}/print/agreement"),
            "print-agreement-375",
        ),
        (
            format!("/cases/{notice}/print/arbitration-notice"),
            "print-notice-375",
        ),
        (format!("/cases/{agreement}"), "case-375"),
        ("/".to_string(), "desk-375"),
    ] {
        browser.goto(&format!("{}{path}", app.base));
        let width = call(
            "POST",
            &browser.url("/execute/sync"),
            Some(json!({"script": "return document.documentElement.scrollWidth", "args": []})),
        );
        browser.screenshot(name);
        assert!(width.as_i64().unwrap() <= 375, "{name} is {width}px wide");
    }
}
