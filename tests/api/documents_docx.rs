//! The case file's documents as .docx (issue 13): each one the case has opens with python-docx
//! (as Word and WPS open it) on A4, and holds the case's parties and amounts; the session record
//! is of the session asked for.

use crate::helpers::*;
use serde_json::{json, Value};

fn act(app: &TestApp, token: &str, id: i64, name: &str, body: Value) -> Value {
    let r = app.post(token, &format!("/api/v1/cases/{id}/{name}"), body);
    assert_eq!(r.status, 200, "{name}: {:?}", r.body);
    r.body
}

/// The Python that has python-docx: Debian's (`python3-docx`, which `.ci/run` installs), or the
/// one on the path.
fn python() -> &'static str {
    let has = |python: &str| {
        std::process::Command::new(python)
            .args(["-c", "import docx"])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    ["/usr/bin/python3", "python3"]
        .into_iter()
        .find(|p| has(p))
        .expect("python-docx is installed (apt-get install python3-docx)")
}

/// What python-docx reads in a .docx: the page's size in EMU on the first line, then every
/// paragraph, then every table's rows with their cells joined by `|`.
fn read_with_python_docx(bytes: &[u8]) -> String {
    static SEQ: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let path = std::env::temp_dir().join(format!("tiaojie-{}-{n}.docx", std::process::id()));
    std::fs::write(&path, bytes).unwrap();
    let script = "import sys, docx\n\
                  d = docx.Document(sys.argv[1])\n\
                  s = d.sections[0]\n\
                  print(s.page_width, s.page_height)\n\
                  for p in d.paragraphs: print(p.text)\n\
                  for t in d.tables:\n    \
                      for r in t.rows: print('|'.join(c.text for c in r.cells))\n";
    let out = std::process::Command::new(python())
        .arg("-c")
        .arg(script)
        .arg(&path)
        .output()
        .expect("python3 runs");
    std::fs::remove_file(&path).ok();
    assert!(
        out.status.success(),
        "python-docx opens the file: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A4 in EMU, as python-docx gives a section's size.
const A4_EMU: &str = "7560310 10692130";

/// The document `kind` of case `id` as .docx (with `more` of the query), read back.
fn docx_text(app: &TestApp, token: &str, id: i64, kind: &str, more: &str) -> String {
    let (status, content_type, body) = app.get_bytes(
        token,
        &format!("/api/v1/cases/{id}/documents/{kind}?format=docx{more}"),
    );
    assert_eq!(status, 200, "{kind}: {}", String::from_utf8_lossy(&body));
    assert_eq!(
        content_type,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    );
    let text = read_with_python_docx(&body);
    assert!(text.starts_with(A4_EMU), "{kind} is on A4: {text}");
    text
}

/// Case `id` accepted and assigned to the director, in mediation.
fn mediating(app: &TestApp, (director_id, director): (i64, &str), id: i64) {
    act(app, director, id, "accept", json!({}));
    act(
        app,
        director,
        id,
        "assign",
        json!({"mediator_id": director_id}),
    );
}

/// An enterprise with its particulars, and a case against it naming two applicants and the
/// respondent's agent, accepted and with one session held.
fn case_with_parties(app: &TestApp, (director_id, director): (i64, &str)) -> i64 {
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let name = match n {
        0 => "宁波港湾物流有限公司".to_string(),
        n => format!("宁波港湾物流{n}号有限公司"),
    };
    let r = app.post(
        &app.admin_token,
        "/api/v1/enterprises",
        json!({"name": name, "unit_id": app.street,
               "address": "宁波市海曙区港湾路8号", "legal_representative": "陈港",
               "phone": "0574-87654321"}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    let e = r.body["id"].as_i64().unwrap();
    let mut body = app.case_body_naming(
        e,
        json!([
            {"name": "王芳", "sex": "female", "phone": "13812348000",
             "address": "宁波市海曙区一路1号", "amount_claimed": "30000"},
            {"name": "李雷", "sex": "male", "representative": true, "amount_claimed": "15000.50"}
        ]),
    );
    body["respondent_agent"] =
        json!({"name": "赵律", "position": "法务主管", "phone": "13900002222"});
    let r = app.post(director, "/api/v1/cases", body);
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    mediating(app, (director_id, director), id);
    act(
        app,
        director,
        id,
        "sessions",
        json!({"held_at": "2026-03-02T08:30:00+08:00", "location": "街道调解室",
               "attendees": "王芳、李雷；赵律", "notes": "申请人称欠薪三个月；被申请人同意分期支付。"}),
    );
    id
}

#[test]
fn every_document_a_resolved_case_has_opens_as_docx_on_a4_with_its_parties_and_amounts() {
    let app = spawn_app();
    let (director_id, director) = app.user("director", app.street, None);
    let id = case_with_parties(&app, (director_id, &director));
    act(
        &app,
        &director,
        id,
        "close",
        json!({"outcome": "agreement", "amount_agreed": "86400", "payment_due": "2026-03-31"}),
    );
    let listed = app.get(&director, &format!("/api/v1/cases/{id}/documents"));
    let kinds: Vec<String> = listed.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["available"] == true)
        .map(|d| d["kind"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(
        kinds,
        [
            "acceptance_notice",
            "session_record",
            "agreement",
            "service_receipt",
            "payment_order_notice",
            "file_cover"
        ]
    );
    for kind in &kinds {
        let text = docx_text(&app, &director, id, kind, "");
        assert!(text.contains("王芳"), "{kind} names the applicant: {text}");
    }

    let agreement = docx_text(&app, &director, id, "agreement", "");
    for text in [
        "劳动争议调解协议书",
        "王芳，女",
        "宁波市海曙区一路1号",
        "李雷，男",
        "有限公司，住所：宁波市海曙区港湾路8号，法定代表人：陈港",
        "委托代理人：赵律（法务主管）",
        "86,400.00",
        "捌万陆仟肆佰元整",
        "2026-03-31",
        "（印章）",
    ] {
        assert!(agreement.contains(text), "{text}: {agreement}");
    }
    assert!(
        !agreement.contains("返回案件"),
        "the print bar is not in the document"
    );
    let cover = docx_text(&app, &director, id, "file_cover", "");
    assert!(cover.contains("劳动争议调解卷宗"), "{cover}");
    assert!(
        cover.contains("|调解笔录|2026-03-02|"),
        "the index dates the session's record: {cover}"
    );
}

#[test]
fn a_failed_and_a_refused_case_give_their_notices_as_docx_and_other_formats_are_refused() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (director_id, director) = app.user("director", app.street, None);
    let failed = app.create_case(&director, e)["id"].as_i64().unwrap();
    mediating(&app, (director_id, &director), failed);
    act(
        &app,
        &director,
        failed,
        "close",
        json!({"outcome": "failed", "note": "被申请人拒绝调解", "referral": "arbitration"}),
    );
    let notice = docx_text(&app, &director, failed, "arbitration_notice", "");
    for text in ["告知仲裁权利书", "王芳", "被申请人拒绝调解", "第二十七条"] {
        assert!(notice.contains(text), "{text}: {notice}");
    }
    let refused = app.create_case(&director, e)["id"].as_i64().unwrap();
    act(
        &app,
        &director,
        refused,
        "reject",
        json!({"reason": "不属于劳动争议"}),
    );
    let notice = docx_text(&app, &director, refused, "rejection_notice", "");
    assert!(
        notice.contains("不予受理的理由：不属于劳动争议"),
        "{notice}"
    );

    let pdf = app.get(
        &director,
        &format!("/api/v1/cases/{refused}/documents/rejection_notice?format=pdf"),
    );
    assert_eq!(pdf.status, 422, "{:?}", pdf.body);
    assert_eq!(
        pdf.body["error"]["field_codes"]["format"], "not_html_or_docx",
        "{:?}",
        pdf.body
    );
    let not_yet = app.get(
        &director,
        &format!("/api/v1/cases/{refused}/documents/agreement?format=docx"),
    );
    assert_eq!(not_yet.status, 409, "a refused case has no agreement");
}

#[test]
fn a_session_record_is_of_the_session_asked_for_or_the_last_one_held() {
    let app = spawn_app();
    let (director_id, director) = app.user("director", app.street, None);
    let id = case_with_parties(&app, (director_id, &director));
    let case = act(
        &app,
        &director,
        id,
        "sessions",
        json!({"held_at": "2026-03-02T08:45:00+08:00", "location": "企业会议室",
               "attendees": "双方", "notes": "第二次调解，双方就金额达成一致。"}),
    );
    let sessions = case["sessions"].as_array().unwrap();
    let first = sessions
        .iter()
        .find(|s| s["location"] == "街道调解室")
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let record = |query: &str| {
        app.get_bytes(
            &director,
            &format!("/api/v1/cases/{id}/documents/session_record{query}"),
        )
    };
    let (status, _, body) = record(&format!("?session_id={first}"));
    assert_eq!(status, 200);
    let body = String::from_utf8(body).unwrap();
    for text in [
        "调解笔录",
        "2026-03-02 08:30",
        "街道调解室",
        "王芳、李雷；赵律",
        "申请人称欠薪三个月",
        "记录人（签名）",
    ] {
        assert!(body.contains(text), "{text}: {body}");
    }
    assert!(!body.contains("企业会议室"));
    let (_, _, last) = record("");
    assert!(String::from_utf8(last).unwrap().contains("企业会议室"));
    let text = docx_text(
        &app,
        &director,
        id,
        "session_record",
        &format!("&session_id={first}"),
    );
    assert!(text.contains("申请人称欠薪三个月"), "{text}");

    assert_eq!(record("?session_id=abc").0, 422);
    assert_eq!(record("?session_id=999999").0, 404);
    // Another case's session is not this case's record.
    let other = case_with_parties(&app, (director_id, &director));
    let theirs = app.get(&director, &format!("/api/v1/cases/{other}")).body["sessions"][0]["id"]
        .as_i64()
        .unwrap();
    assert_eq!(record(&format!("?session_id={theirs}")).0, 404);

    // The case page offers a record of each session, each printable and as Word.
    let mut b = person(&app, "director", Some(app.street), None).browser;
    let page = b.get(&format!("/cases/{id}")).body;
    assert_eq!(
        page.matches(">调解笔录（").count(),
        2,
        "one record per session: {page}"
    );
    let link = format!("/cases/{id}/print/session-record?session_id={first}");
    assert!(page.replace("&#x3D;", "=").contains(&link), "{page}");
    let printed = b.get(&link);
    assert_eq!(printed.status, 200);
    assert!(printed.body.contains("申请人称欠薪三个月"));
    let word = link_to(&page, "Word 版").expect("each document downloads as Word");
    let word = b.get_file(&word);
    assert_eq!(word.status, 200);
    assert!(
        word.disposition.starts_with("attachment;") && word.disposition.contains(".docx"),
        "{}",
        word.disposition
    );
    assert!(read_with_python_docx(&word.bytes).contains("劳动争议调解委员会"));
}
