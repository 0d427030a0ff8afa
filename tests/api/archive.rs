//! Archiving (归档, issue 14): a closed case whose follow-up was made or waived gets an archive
//! number of its unit and year; from then on every change is refused with 409 `archived` while
//! its documents still print, the cover with the number; directors and admins archive, one case
//! or several at once (each with its own result), from the API, the case page and the list page,
//! the last also in a real browser.

use crate::browser::{call, Driver};
use crate::evidence::{upload, PNG};
use crate::follow_ups::{
    action, case, follow_up, mediating_case, resolved_case, satisfied, setup, Setup,
};

use crate::helpers::*;
use serde_json::{json, Value};
use std::time::{Duration, Instant};

fn archive(s: &Setup, token: &str, id: i64) -> Response {
    action(s, token, id, "archive", json!({}))
}

/// A resolved case, followed up, ready to archive.
fn ready(s: &Setup) -> i64 {
    let id = resolved_case(s);
    let r = follow_up(s, &s.mediator, id, satisfied());
    assert_eq!(r.status, 201, "{:?}", r.body);
    id
}

fn prefix(s: &Setup) -> String {
    s.app.ctx.settings.config.case_no_prefix.clone()
}

#[test]
fn a_followed_up_case_is_archived_with_a_number_of_its_unit_and_year() {
    let s = setup();
    let first = ready(&s);
    let second = ready(&s);
    let r = archive(&s, &s.director, first);
    assert_eq!(r.status, 200, "{:?}", r.body);
    let street = s.app.street;
    let p = prefix(&s);
    assert_eq!(r.body["archive_no"], format!("{p}-{street}-2026-A0001"));
    assert!(r.body["archived_at"].is_string());
    assert!(r.body["actions"].as_array().unwrap().is_empty());
    let events = r.body["events"].as_array().unwrap();
    assert_eq!(events.last().unwrap()["action"], "archive");
    let r = archive(&s, &s.app.admin_token, second);
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["archive_no"], format!("{p}-{street}-2026-A0002"));

    // Another unit counts from one.
    let e = s.app.enterprise(s.app.other_street);
    let (mediator_id, mediator) = s.app.user("mediator", s.app.other_street, None);
    let (_, director) = s.app.user("director", s.app.other_street, None);
    let id = s.app.create_case(&mediator, e)["id"].as_i64().unwrap();
    for (token, name, body) in [
        (&mediator, "accept", json!({})),
        (&director, "assign", json!({"mediator_id": mediator_id})),
        (
            &mediator,
            "close",
            json!({"outcome": "failed", "referral": "arbitration", "note": "调解不成"}),
        ),
        (
            &mediator,
            "follow-ups/waive",
            json!({"reason": "已申请仲裁"}),
        ),
        (&director, "archive", json!({})),
    ] {
        let r = action(&s, token, id, name, body);
        assert!(r.status < 300, "{name}: {:?}", r.body);
        if name == "archive" {
            let other = s.app.other_street;
            assert_eq!(r.body["archive_no"], format!("{p}-{other}-2026-A0001"));
        }
    }
}

#[test]
fn twelve_parallel_archivings_take_twelve_distinct_numbers_in_a_row() {
    let s = setup();
    let ids: Vec<i64> = (0..12).map(|_| ready(&s)).collect();
    let numbers: std::collections::HashSet<String> = std::thread::scope(|scope| {
        let handles: Vec<_> = ids
            .iter()
            .map(|&id| {
                let s = &s;
                scope.spawn(move || {
                    let r = archive(s, &s.director, id);
                    assert_eq!(r.status, 200, "{:?}", r.body);
                    r.body["archive_no"].as_str().unwrap().to_string()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let (p, street) = (prefix(&s), s.app.street);
    let expected: std::collections::HashSet<String> = (1..=12)
        .map(|n| format!("{p}-{street}-2026-A{n:04}"))
        .collect();
    assert_eq!(numbers, expected);
}

#[test]
fn a_case_is_archived_only_when_closed_and_its_follow_up_made_or_waived() {
    let s = setup();
    let open = mediating_case(&s);
    let r = archive(&s, &s.director, open);
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert_eq!(r.code(), "invalid_transition");
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("closed"));
    let pending = resolved_case(&s);
    let r = archive(&s, &s.director, pending);
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert!(r.body["error"]["message"]
        .as_str()
        .unwrap()
        .contains("follow-up"));
    assert_eq!(case(&s, pending)["archive_no"], Value::Null);
    let r = action(
        &s,
        &s.director,
        pending,
        "follow-ups/waive",
        json!({"reason": "无法联系"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = archive(&s, &s.director, pending);
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["follow_up_waived"], "无法联系");
    // Once is enough.
    let r = archive(&s, &s.director, pending);
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert_eq!(r.code(), "archived");
}

#[test]
fn mediators_officers_and_viewers_may_not_archive() {
    let s = setup();
    let id = ready(&s);
    let (_, viewer) = s.app.user("viewer", s.app.street, None);
    let elsewhere = s.app.enterprise(s.app.street);
    let (_, outsider) = s.app.user("officer", s.app.street, Some(elsewhere));
    for (who, token, status) in [
        ("the case's mediator", &s.mediator, 403),
        ("the enterprise's officer", &s.officer, 403),
        ("a viewer", &viewer, 403),
        ("another enterprise's officer", &outsider, 404),
    ] {
        let r = archive(&s, token, id);
        assert_eq!(r.status, status, "{who}: {:?}", r.body);
    }
    for token in [&s.mediator, &s.officer, &viewer] {
        let r = s
            .app
            .post(token, "/api/v1/cases/archive", json!({"ids": [id]}));
        assert_eq!(r.status, 403, "{:?}", r.body);
    }
    assert_eq!(case(&s, id)["archive_no"], Value::Null);
}

/// Every change a client can ask of a case, each as (what, method, path, body).
fn every_change(
    id: i64,
    term: i64,
    evidence: i64,
) -> Vec<(&'static str, &'static str, String, Value)> {
    let c = format!("/api/v1/cases/{id}");
    let mut all = vec![
        ("accept", "post", format!("{c}/accept"), json!({})),
        (
            "reject",
            "post",
            format!("{c}/reject"),
            json!({"reason": "不属受理范围"}),
        ),
        (
            "assign",
            "post",
            format!("{c}/assign"),
            json!({"mediator_id": 1}),
        ),
        (
            "session",
            "post",
            format!("{c}/sessions"),
            json!({"held_at": "2026-03-02T08:50:00+08:00", "location": "调解室", "attendees": "双方"}),
        ),
        (
            "extend",
            "post",
            format!("{c}/extend"),
            json!({"days": 5, "reason": "等待材料"}),
        ),
        (
            "close",
            "post",
            format!("{c}/close"),
            json!({"outcome": "failed", "referral": "arbitration", "note": "调解不成"}),
        ),
        (
            "withdraw",
            "post",
            format!("{c}/withdraw"),
            json!({"note": "撤回"}),
        ),
        (
            "payment",
            "post",
            format!("{c}/payments"),
            json!({"amount": "100", "paid_at": "2026-03-02"}),
        ),
        (
            "performed",
            "post",
            format!("{c}/terms/{term}/performed"),
            json!({"note": "已履行"}),
        ),
        (
            "note",
            "post",
            format!("{c}/notes"),
            json!({"text": "补记"}),
        ),
        ("follow-up", "post", format!("{c}/follow-ups"), satisfied()),
        (
            "waive",
            "post",
            format!("{c}/follow-ups/waive"),
            json!({"reason": "无需"}),
        ),
        ("archive", "post", format!("{c}/archive"), json!({})),
        (
            "confirmation intent",
            "post",
            format!("{c}/confirmation/intent"),
            json!({"intended": true}),
        ),
        (
            "confirmation",
            "post",
            format!("{c}/confirmation"),
            json!({"applied_on": "2026-03-02", "court": "东城区人民法院"}),
        ),
        (
            "confirmation ruling",
            "post",
            format!("{c}/confirmation/ruling"),
            json!({"result": "confirmed", "on": "2026-03-02"}),
        ),
        (
            "evidence removal",
            "post",
            format!("/api/v1/evidence/{evidence}/remove"),
            json!({"reason": "误传"}),
        ),
        ("edit", "patch", c.clone(), json!({"description": "改写"})),
    ];
    all.sort_by_key(|(what, ..)| *what);
    all
}

#[test]
fn an_archived_case_refuses_every_change_with_409_archived() {
    let s = setup();
    let id = mediating_case(&s);
    let r = action(
        &s,
        &s.mediator,
        id,
        "close",
        json!({"outcome": "agreement", "terms": [
            {"kind": "payment", "amount": "3000", "due": "2026-03-31"},
            {"kind": "obligation", "text": "出具离职证明"}]}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let term = r.body["terms"][1]["id"].as_i64().unwrap();
    let path = format!("/api/v1/cases/{id}/evidence");
    let r = upload(&s.app, &s.mediator, &path, "pay.png", PNG);
    assert_eq!(r.status, 201, "{:?}", r.body);
    let evidence = r.body["id"].as_i64().unwrap();
    assert_eq!(follow_up(&s, &s.mediator, id, satisfied()).status, 201);
    assert_eq!(archive(&s, &s.director, id).status, 200);
    let before = case(&s, id);

    for (what, method, path, mut body) in every_change(id, term, evidence) {
        if what == "edit" {
            body["version"] = before["version"].clone();
        }
        // The refusal comes after the role's (a mediator may not assign at all).
        for token in [&s.director, &s.app.admin_token] {
            let r = match method {
                "patch" => s.app.patch(token, &path, body.clone()),
                _ => s.app.post(token, &path, body.clone()),
            };
            assert_eq!(r.status, 409, "{what}: {:?}", r.body);
            assert_eq!(r.code(), "archived", "{what}: {:?}", r.body);
        }
    }
    // The mediator's note, the officer's, and new evidence are refused as well.
    let r = s.app.post(
        &s.mediator,
        &format!("/api/v1/cases/{id}/notes"),
        json!({"text": "补记"}),
    );
    assert_eq!(r.code(), "archived", "{:?}", r.body);
    let r = s.app.post(
        &s.officer,
        &format!("/api/v1/cases/{id}/notes"),
        json!({"text": "企业补充"}),
    );
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert_eq!(r.code(), "archived");
    let r = upload(&s.app, &s.mediator, &path, "more.png", PNG);
    assert_eq!(r.status, 409, "{:?}", r.body);
    assert_eq!(r.code(), "archived");

    let after = case(&s, id);
    assert_eq!(after["version"], before["version"]);
    assert_eq!(after["events"], before["events"]);
    assert_eq!(after["notes"], before["notes"]);
    assert_eq!(after["follow_ups"], before["follow_ups"]);
    let items = s.app.get(&s.director, &path).body["items"].clone();
    assert_eq!(items.as_array().unwrap().len(), 1);
    assert_eq!(items[0]["removed"], false);
}

#[test]
fn an_archived_cases_documents_still_print_and_the_cover_bears_its_number() {
    let s = setup();
    let id = ready(&s);
    let no = archive(&s, &s.director, id).body["archive_no"]
        .as_str()
        .unwrap()
        .to_string();
    let list = s
        .app
        .get(&s.director, &format!("/api/v1/cases/{id}/documents"));
    assert_eq!(list.status, 200, "{:?}", list.body);
    for kind in ["file_cover", "agreement"] {
        let (status, _, bytes) = s
            .app
            .get_bytes(&s.director, &format!("/api/v1/cases/{id}/documents/{kind}"));
        assert_eq!(status, 200, "{kind}");
        let html = String::from_utf8(bytes).unwrap();
        if kind == "file_cover" {
            assert!(html.contains(&format!("<td class=\"cover-archive-no\">{no}</td>")));
            let index = &html[html.find("卷内目录").unwrap()..];
            assert!(
                index.contains(&format!("归档号：{no}")),
                "the index names the archive number too: {index}"
            );
        }
    }
    let (status, _, _) = s.app.get_bytes(
        &s.director,
        &format!("/api/v1/cases/{id}/documents/file_cover?format=docx"),
    );
    assert_eq!(status, 200);
    // Not yet archived: the cover's row is left blank.
    let other = ready(&s);
    let (_, _, bytes) = s.app.get_bytes(
        &s.director,
        &format!("/api/v1/cases/{other}/documents/file_cover"),
    );
    let html = String::from_utf8(bytes).unwrap();
    assert!(html.contains("<td class=\"cover-archive-no\"><span class=\"blank\"></span></td>"));
}

#[test]
fn several_cases_are_archived_at_once_each_with_its_own_result() {
    let s = setup();
    let a = ready(&s);
    let b = ready(&s);
    let pending = resolved_case(&s);
    let open = mediating_case(&s);
    let r = s.app.post(
        &s.director,
        "/api/v1/cases/archive",
        json!({"ids": [a, pending, open, 999_999, b, a]}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["archived"], 2);
    assert_eq!(r.body["refused"], 3);
    let items = r.body["items"].as_array().unwrap();
    let ids: Vec<i64> = items.iter().map(|i| i["id"].as_i64().unwrap()).collect();
    assert_eq!(
        ids,
        vec![a, pending, open, 999_999, b],
        "each id once, in order"
    );
    assert_eq!(items[0]["archived"], true);
    assert!(items[0]["archive_no"].as_str().unwrap().ends_with("A0001"));
    assert_eq!(
        items[4]["archive_no"].as_str().unwrap(),
        case(&s, b)["archive_no"]
    );
    assert_eq!(items[1]["error"]["code"], "invalid_transition");
    assert_eq!(items[2]["error"]["code"], "invalid_transition");
    assert_eq!(items[3]["error"]["code"], "not_found");
    assert_eq!(items[1]["archive_no"], Value::Null);
    assert_eq!(case(&s, pending)["archive_no"], Value::Null);

    // Again: the archived ones answer archived, nothing changes.
    let r = s
        .app
        .post(&s.director, "/api/v1/cases/archive", json!({"ids": [a]}));
    assert_eq!(r.body["items"][0]["error"]["code"], "archived");

    for ids in [json!([]), json!((1..=101).collect::<Vec<i64>>())] {
        let r = s
            .app
            .post(&s.director, "/api/v1/cases/archive", json!({"ids": ids}));
        assert_eq!(r.status, 422, "{:?}", r.body);
        assert!(r.field_error("ids").is_some());
    }
    let r = s.app.post(&s.director, "/api/v1/cases/archive", json!({}));
    assert_eq!(r.status, 400, "{:?}", r.body);
}

fn form_posted(b: &mut Browser, page_path: &str, action: &str, fields: &[(&str, &str)]) -> u16 {
    let page = b.get(page_path);
    let csrf = Browser::csrf(&page);
    let mut form = vec![("csrf", csrf.as_str())];
    form.extend_from_slice(fields);
    let r = b.post(action, &form);
    assert!(
        r.status == 303 || r.status == 200,
        "{action}: {} {}",
        r.status,
        r.body
    );
    r.status
}

#[test]
fn the_case_page_offers_the_follow_up_its_waiver_and_archiving_and_then_only_prints() {
    let s = setup();
    s.app
        .named_user("gdzhuren", "归档主任", "director", s.app.street, None);
    let id = resolved_case(&s);
    let mut b = signed_in(&s.app, "gdzhuren");
    let show = format!("/cases/{id}");
    let page = b.get(&show);
    assert!(page.body.contains(&format!("/cases/{id}/act/follow_up")));
    assert!(page
        .body
        .contains(&format!("/cases/{id}/act/waive_follow_up")));
    assert!(!page.body.contains(&format!("/cases/{id}/act/archive\"")));

    // A bad date comes back beside its field.
    form_posted(
        &mut b,
        &show,
        &format!("/cases/{id}/act/follow_up"),
        &[
            ("on", "2026-03-09"),
            ("method", "visit"),
            ("satisfaction", "satisfied"),
        ],
    );
    let page = b.get(&show);
    assert!(page.body.contains("不能"), "{}", page.body);
    assert!(case(&s, id)["follow_ups"].as_array().unwrap().is_empty());

    form_posted(
        &mut b,
        &show,
        &format!("/cases/{id}/act/follow_up"),
        &[
            ("on", "2026-03-02"),
            ("method", "visit"),
            ("satisfaction", "basically_satisfied"),
            ("notes", "上门回访"),
        ],
    );
    let page = b.get(&show);
    assert!(page.body.contains("回访记录"));
    assert!(page.body.contains("上门回访"));
    assert!(page.body.contains("基本满意"));
    assert!(!page
        .body
        .contains(&format!("/cases/{id}/act/waive_follow_up")));
    assert!(page.body.contains(&format!("/cases/{id}/act/archive\"")));

    form_posted(&mut b, &show, &format!("/cases/{id}/act/archive"), &[]);
    let no = case(&s, id)["archive_no"].as_str().unwrap().to_string();
    let page = b.get(&show);
    assert!(page.body.contains(&no));
    assert!(page.body.contains("本案已归档"));
    assert!(!page.body.contains("/act/"), "no forms on an archived case");
    assert!(!page.body.contains(&format!("/cases/{id}/edit")));
    assert!(page.body.contains(&format!("/cases/{id}/print/file-cover")));
    let edit = b.get(&format!("/cases/{id}/edit"));
    assert_eq!(edit.status, 409, "{}", edit.body);
    assert!(edit.body.contains("已归档"), "{}", edit.body);
    let cover = b.get(&format!("/cases/{id}/print/file-cover"));
    assert_eq!(cover.status, 200);
    assert!(cover.body.contains(&no));

    // The mediator is offered the follow-up of their own case, never archiving.
    let other = resolved_case(&s);
    let mediator_name = format!("mediator{}", unique());
    s.app
        .named_user(&mediator_name, "回访调解员", "mediator", s.app.street, None);
    let mut m = signed_in(&s.app, &mediator_name);
    let page = m.get(&format!("/cases/{other}"));
    assert!(!page.body.contains("/act/follow_up"), "not their case");
    assert!(!page.body.contains("/act/archive"));
}

#[test]
fn the_list_page_archives_the_ticked_cases_and_says_which_were_refused() {
    let s = setup();
    s.app
        .named_user("lbzhuren", "列表主任", "director", s.app.street, None);
    let a = ready(&s);
    let pending = resolved_case(&s);
    let mut b = signed_in(&s.app, "lbzhuren");
    let page = b.get("/cases");
    assert!(page.body.contains("id=\"archive-form\""));
    assert!(page.body.contains(&format!("name=\"case_{a}\"")));
    let csrf = Browser::csrf(&page);
    let (ka, kp) = (format!("case_{a}"), format!("case_{pending}"));
    let (va, vp) = (a.to_string(), pending.to_string());
    let r = b.post(
        "/cases/archive",
        &[("csrf", csrf.as_str()), (&ka, &va), (&kp, &vp)],
    );
    assert_eq!(r.status, 200, "{}", r.body);
    let no = case(&s, a)["archive_no"].as_str().unwrap().to_string();
    assert!(r.body.contains(&no));
    assert!(r.body.contains("未归档"));
    assert!(r.body.contains("归档前须先回访"), "{}", r.body);
    assert_eq!(case(&s, pending)["archive_no"], Value::Null);

    // Mediators get no boxes.
    let name = format!("mediator{}", unique());
    s.app
        .named_user(&name, "列表调解员", "mediator", s.app.street, None);
    let mut m = signed_in(&s.app, &name);
    assert!(!m.get("/cases").body.contains("archive-form"));
}

const ELEMENT: &str = "element-6066-11e4-a52e-4f735466cecf";

fn click(d: &Driver, css: &str) {
    let v: Value = call(
        "POST",
        &d.url("/element"),
        Some(json!({"using": "css selector", "value": css})),
    );
    let id = v[ELEMENT]
        .as_str()
        .unwrap_or_else(|| panic!("no element {css}"))
        .to_string();
    call(
        "POST",
        &d.url(&format!("/element/{id}/click")),
        Some(json!({})),
    );
}

fn source(d: &Driver) -> String {
    call("GET", &d.url("/source"), None)
        .as_str()
        .unwrap_or("")
        .to_string()
}

fn wait_for(d: &Driver, needle: &str) {
    let started = Instant::now();
    while !source(d).contains(needle) {
        assert!(
            started.elapsed() < Duration::from_secs(10),
            "the page never showed {needle:?}: {}",
            source(d)
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn a_director_archives_two_cases_from_the_list_in_a_browser() {
    let Some(browser) = Driver::start(1440, 900) else {
        return;
    };
    let s = setup();
    s.app
        .named_user("llqzhuren", "浏览器主任", "director", s.app.street, None);
    let a = ready(&s);
    let b = ready(&s);
    let untouched = ready(&s);
    browser.sign_in(&s.app, "llqzhuren");
    browser.goto(&format!("{}/cases", s.app.base));
    wait_for(&browser, "archive-selected");
    click(&browser, &format!("input[name=case_{a}]"));
    click(&browser, &format!("input[name=case_{b}]"));
    browser.screenshot("archive-list-ticked");
    click(&browser, "#archive-selected");
    wait_for(&browser, "归档结果");
    browser.screenshot("archive-results");
    let page = source(&browser);
    for id in [a, b] {
        let no = case(&s, id)["archive_no"].as_str().unwrap().to_string();
        assert!(page.contains(&no), "{no}: {page}");
    }
    assert_eq!(case(&s, untouched)["archive_no"], Value::Null);
    // The archived case's page: its number, no forms, the documents.
    browser.goto(&format!("{}/cases/{a}", s.app.base));
    wait_for(&browser, "本案已归档");
    let page = source(&browser);
    assert!(!page.contains("/act/"));
    assert!(page.contains("print/file-cover"));
}

#[test]
fn archiving_from_a_stale_case_page_before_the_follow_up_says_why_it_is_refused() {
    let s = crate::follow_ups::setup();
    let id = crate::follow_ups::resolved_case(&s);
    let mut b = person(&s.app, "director", Some(s.app.street), None).browser;
    let page = b.get(&format!("/cases/{id}"));
    let csrf = Browser::csrf(&page);
    let r = b.post(
        &format!("/cases/{id}/act/archive"),
        &[("csrf", csrf.as_str())],
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let r = b.get(&format!("/cases/{id}"));
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(
        r.body.contains("归档前须先回访，或说明理由免于回访"),
        "{}",
        r.body
    );
    assert_eq!(
        s.app.get(&s.director, &format!("/api/v1/cases/{id}")).body["archive_no"],
        Value::Null
    );
}
