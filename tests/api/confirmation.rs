//! Judicial confirmation of an agreement (司法确认, issue 14): the window's last day on a resolved
//! case, the application and the ruling, and the reminder before the window closes.

use crate::helpers::*;
use chrono::TimeZone;
use serde_json::{json, Value};

struct Setup {
    app: TestApp,
    enterprise: i64,
    director: String,
    mediator_id: i64,
    mediator: String,
}

fn setup() -> Setup {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    let (mediator_id, mediator) = app.user("mediator", app.street, None);
    Setup {
        app,
        enterprise,
        director,
        mediator_id,
        mediator,
    }
}

fn post(s: &Setup, token: &str, path: &str, body: Value) -> Response {
    s.app.post(token, &format!("/api/v1/cases/{path}"), body)
}

/// A case of the mediator's, in mediation.
fn mediating(s: &Setup) -> i64 {
    let id = s.app.create_case(&s.mediator, s.enterprise)["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        post(s, &s.mediator, &format!("{id}/accept"), json!({})).status,
        200
    );
    let r = post(
        s,
        &s.director,
        &format!("{id}/assign"),
        json!({"mediator_id": s.mediator_id}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    id
}

/// A case resolved by an agreement on 2 March 2026.
fn agreed(s: &Setup) -> (i64, Value) {
    let id = mediating(s);
    let r = post(
        s,
        &s.mediator,
        &format!("{id}/close"),
        json!({"outcome": "agreement", "amount_agreed": "20000", "payment_due": "2026-03-31"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    (id, r.body)
}

/// A local time in Shanghai in 2026.
fn at(month: u32, day: u32) -> chrono::DateTime<chrono::Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(2026, month, day, 9, 0, 0)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

#[test]
fn a_resolved_case_shows_the_windows_last_day_and_records_the_application_and_the_ruling() {
    let s = setup();
    let id = mediating(&s);
    let open = s.app.get(&s.mediator, &format!("/api/v1/cases/{id}")).body;
    assert_eq!(
        open["confirmation_window_ends"],
        Value::Null,
        "no agreement yet"
    );
    let r = post(
        &s,
        &s.mediator,
        &format!("{id}/confirmation"),
        json!({"applied_on": "2026-03-02", "court": "东城区人民法院"}),
    );
    assert_eq!(
        r.status, 409,
        "a case in mediation has no agreement to confirm: {:?}",
        r.body
    );

    let (id, case) = agreed(&s);
    // Agreed on Monday 2 March: thirty days on is Wednesday 1 April.
    assert_eq!(case["confirmation_window_ends"], "2026-04-01");
    assert_eq!(case["confirmation"], Value::Null);
    let ruling = |body: Value| post(&s, &s.mediator, &format!("{id}/confirmation/ruling"), body);
    let r = ruling(json!({"result": "confirmed", "on": "2026-03-02"}));
    assert_eq!(r.status, 409, "no application yet: {:?}", r.body);

    let r = post(
        &s,
        &s.mediator,
        &format!("{id}/confirmation"),
        json!({"applied_on": "2026-03-02", "court": "东城区人民法院"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["confirmation"]["applied_on"], "2026-03-02");
    assert_eq!(r.body["confirmation"]["court"], "东城区人民法院");
    assert_eq!(r.body["confirmation"]["intended"], true);
    assert_eq!(r.body["confirmation"]["result"], Value::Null);
    let again = post(
        &s,
        &s.mediator,
        &format!("{id}/confirmation"),
        json!({"applied_on": "2026-03-02", "court": "西城区人民法院"}),
    );
    assert_eq!(again.status, 409, "{:?}", again.body);

    let r = ruling(json!({"result": "maybe", "on": "2026-03-01"}));
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(r.field_error("result").is_some());
    assert!(r.field_error("on").is_some(), "before the application");
    let r = ruling(
        json!({"result": "confirmed", "on": "2026-03-02", "number": "（2026）京0101民特1号"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["confirmation"]["result"], "confirmed");
    assert_eq!(r.body["confirmation"]["number"], "（2026）京0101民特1号");
    let events: Vec<&str> = r.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert!(
        events.ends_with(&["confirmation_applied", "confirmation_ruled"]),
        "{events:?}"
    );
    assert_eq!(
        ruling(json!({"result": "refused", "on": "2026-03-02"})).status,
        409
    );
}

#[test]
fn an_application_after_the_window_or_before_the_agreement_is_refused_and_changes_nothing() {
    let s = setup();
    let (id, case) = agreed(&s);
    s.app.set_now(at(4, 10));
    let apply = |day: &str| {
        post(
            &s,
            &s.mediator,
            &format!("{id}/confirmation"),
            json!({"applied_on": day, "court": "东城区人民法院"}),
        )
    };
    let late = apply("2026-04-02");
    assert_eq!(late.status, 422, "{:?}", late.body);
    assert_eq!(
        late.body["error"]["field_codes"]["applied_on"],
        "after_confirmation_window"
    );
    assert!(late
        .field_error("applied_on")
        .unwrap()
        .contains("2026-04-01"));
    let early = apply("2026-03-01");
    assert_eq!(early.status, 422, "{:?}", early.body);
    let future = apply("2026-04-11");
    assert_eq!(
        future.body["error"]["field_codes"]["applied_on"],
        "in_the_future"
    );
    let r = post(
        &s,
        &s.mediator,
        &format!("{id}/confirmation"),
        json!({"applied_on": "2026-03-20", "court": " "}),
    );
    assert!(r.field_error("court").is_some(), "{:?}", r.body);
    let after = s.app.get(&s.director, &format!("/api/v1/cases/{id}")).body;
    assert_eq!(after["confirmation"], Value::Null);
    assert_eq!(after["version"], case["version"]);

    // Another unit's officer does not see the case; a viewer may not record.
    let (_, viewer) = s.app.user("viewer", s.app.street, None);
    let r = post(
        &s,
        &viewer,
        &format!("{id}/confirmation/intent"),
        json!({"intended": true}),
    );
    assert_eq!(r.status, 403, "{:?}", r.body);
    let other = s.app.enterprise(s.app.street);
    let (_, officer) = s.app.designated_officer(other);
    let r = post(
        &s,
        &officer,
        &format!("{id}/confirmation/intent"),
        json!({"intended": true}),
    );
    assert_eq!(r.status, 404, "{:?}", r.body);
}

fn scan(s: &Setup, when: chrono::DateTime<chrono::Utc>) -> usize {
    tiaojie::services::reminders::scan_blocking(&s.app.ctx, when)
        .unwrap()
        .confirmation_reminders
}

fn window_mails(s: &Setup) -> Vec<Value> {
    let r = s
        .app
        .get(&s.app.admin_token, "/api/v1/notifications?per_page=200");
    assert_eq!(r.status, 200, "{:?}", r.body);
    r.body["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|n| n["kind"] == "confirmation_window")
        .cloned()
        .collect()
}

#[test]
fn the_parties_intent_brings_one_reminder_five_days_before_the_window_closes() {
    let s = setup();
    let (intending, _) = agreed(&s);
    let (silent, _) = agreed(&s);
    let (applied, _) = agreed(&s);
    for id in [intending, applied] {
        let r = post(
            &s,
            &s.mediator,
            &format!("{id}/confirmation/intent"),
            json!({"intended": true}),
        );
        assert_eq!(r.status, 200, "{:?}", r.body);
        assert_eq!(r.body["confirmation"]["intended"], true);
    }
    let r = post(
        &s,
        &s.mediator,
        &format!("{applied}/confirmation"),
        json!({"applied_on": "2026-03-02", "court": "东城区人民法院"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);

    assert_eq!(scan(&s, at(3, 26)), 0, "six days before: not yet");
    assert_eq!(scan(&s, at(3, 27)), 1, "five days before 1 April");
    assert_eq!(scan(&s, at(3, 28)), 0, "once");
    assert_eq!(scan(&s, at(3, 31)), 0, "once");
    let mails = window_mails(&s);
    assert_eq!(mails.len(), 1, "{mails:?}");
    assert_eq!(
        mails[0]["case_id"], intending,
        "not the silent {silent} nor the applied"
    );
    assert!(
        mails[0]["subject"].as_str().unwrap().contains("2026-04-01"),
        "{:?}",
        mails[0]
    );
    // Past the window nothing more is sent.
    let r = post(
        &s,
        &s.mediator,
        &format!("{silent}/confirmation/intent"),
        json!({"intended": true}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(scan(&s, at(4, 2)), 0);
}

#[test]
fn the_case_page_shows_the_window_and_records_the_intent_the_application_and_the_ruling() {
    let s = setup();
    let (id, _) = agreed(&s);
    let mut b = person(&s.app, "director", Some(s.app.street), None).browser;
    let page = b.get(&format!("/cases/{id}"));
    assert!(page.body.contains("司法确认"), "{}", page.body);
    assert!(page
        .body
        .contains("<dd class=\"confirmation-window\">2026-04-01</dd>"));
    let csrf = Browser::csrf(&page);
    let act = |b: &mut Browser, name: &str, fields: &[(&str, &str)]| {
        let mut form = vec![("csrf", csrf.as_str())];
        form.extend_from_slice(fields);
        let r = b.post(&format!("/cases/{id}/act/{name}"), &form);
        assert_eq!(r.status, 303, "{name}: {}", r.body);
        b.get(&format!("/cases/{id}")).body
    };
    let page = act(&mut b, "confirmation_intent", &[("intended", "true")]);
    assert!(
        page.contains("<dd class=\"confirmation-intended\">是</dd>"),
        "{page}"
    );
    let page = act(
        &mut b,
        "confirmation_apply",
        &[("applied_on", "2026-03-02"), ("court", "东城区人民法院")],
    );
    assert!(page.contains("2026-03-02 · 东城区人民法院"), "{page}");
    assert!(!page.contains("confirmation_apply"), "applied once");
    let page = act(
        &mut b,
        "confirmation_ruling",
        &[
            ("result", "confirmed"),
            ("on", "2026-03-02"),
            ("number", "民特1号"),
        ],
    );
    assert!(page.contains("确认有效 · 2026-03-02 · 民特1号"), "{page}");
    assert!(!page.contains("confirmation_ruling"));
}

#[test]
fn the_ledger_states_each_agreements_fulfilment_its_confirmation_and_its_archive_number() {
    let s = setup();
    let (id, case) = agreed(&s);
    let r = post(
        &s,
        &s.mediator,
        &format!("{id}/confirmation"),
        json!({"applied_on": "2026-03-02", "court": "东城区人民法院"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let ledger = |s: &Setup| {
        let (status, _, bytes) = s
            .app
            .get_bytes(&s.director, "/api/v1/ledger?from=2026-03-01&to=2026-04-01");
        assert_eq!(status, 200);
        String::from_utf8(bytes).unwrap()
    };
    let csv = ledger(&s);
    assert!(
        csv.starts_with("\u{FEFF}序号,") && csv.contains(",结案日期,履行情况,司法确认,归档号\r\n"),
        "{csv}"
    );
    assert!(
        csv.contains(",2026-03-02,未到履行期,已申请（2026-03-02，东城区人民法院）,\r\n"),
        "{csv}"
    );
    let r = post(
        &s,
        &s.mediator,
        &format!("{id}/confirmation/ruling"),
        json!({"result": "confirmed", "on": "2026-03-02"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = post(
        &s,
        &s.mediator,
        &format!("{id}/payments"),
        json!({"amount": "20000", "paid_at": "2026-03-02"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = post(
        &s,
        &s.director,
        &format!("{id}/follow-ups/waive"),
        json!({"reason": "申请人已离开本市"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let r = post(&s, &s.director, &format!("{id}/archive"), json!({}));
    assert_eq!(r.status, 200, "{:?}", r.body);
    let archive_no = r.body["archive_no"].as_str().unwrap().to_string();
    let csv = ledger(&s);
    assert!(
        csv.contains(&format!(
            ",已全部履行,确认有效（2026-03-02）,{archive_no}\r\n"
        )),
        "{} in {csv}",
        case["case_no"]
    );
}
