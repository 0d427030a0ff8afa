//! The daily digest (issue 12): a mediator opts in on their own settings page (or `PATCH /me`),
//! and the reminder scan queues one mail per working day with their due-soon, overdue and stale
//! cases, through the outbox, once however often it runs; the worker sends it.

use crate::helpers::*;
use chrono::TimeZone;
use serde_json::{json, Value};
use tiaojie::notify::mailer::Mailer;
use tiaojie::notify::worker::Worker;

fn at(y: i32, m: u32, d: u32, h: u32) -> chrono::DateTime<chrono::Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

fn scan(app: &TestApp, when: chrono::DateTime<chrono::Utc>) -> usize {
    app.set_now(when);
    tiaojie::services::reminders::scan_blocking(&app.ctx, when)
        .unwrap()
        .digests
}

/// The digests in the outbox, oldest first: (recipient, subject, text).
fn digests(app: &TestApp) -> Vec<(String, String, String)> {
    use diesel::prelude::*;
    use tiaojie::db::schema::notifications as n;
    let mut conn = app.ctx.db.get().unwrap();
    n::table
        .filter(n::kind.eq("daily_digest"))
        .order(n::id)
        .select((n::recipient, n::subject, n::body_text))
        .load(&mut *conn)
        .unwrap()
}

fn assigned_case(app: &TestApp, director: &str, enterprise: i64, mediator: i64) -> Value {
    let case = app.create_case(director, enterprise);
    let id = case["id"].as_i64().unwrap();
    for (name, body) in [
        ("accept", json!({})),
        ("assign", json!({"mediator_id": mediator})),
    ] {
        let r = app.post(director, &format!("/api/v1/cases/{id}/{name}"), body);
        assert_eq!(r.status, 200, "{name}: {:?}", r.body);
    }
    case
}

#[test]
fn a_mediator_who_opts_in_gets_one_digest_each_working_day_with_their_due_stale_and_overdue_cases()
{
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    let mut mediator = person(&app, "mediator", Some(app.street), None);
    let quiet = person(&app, "mediator", Some(app.street), None);
    let case = assigned_case(&app, &director, e, mediator.id);
    let case_no = case["case_no"].as_str().unwrap().to_string();
    assigned_case(&app, &director, e, quiet.id);

    // The mediator opts in on their own settings page; the other does not.
    let b = &mut mediator.browser;
    let page = b.get("/me/settings");
    assert_eq!(page.status, 200);
    assert!(page.body.contains("未开启每日提醒"));
    let csrf = Browser::csrf(&page);
    let r = b.post("/me/settings", &[("csrf", &csrf), ("daily_digest", "on")]);
    assert_eq!(r.status, 303, "{}", r.body);
    let page = b.get("/me/settings");
    assert!(page
        .body
        .contains("name=\"daily_digest\" value=\"on\" checked"));
    assert!(page.body.contains("已开启每日提醒"));
    assert_eq!(
        app.get(&mediator.token, "/api/v1/me").body["daily_digest"],
        true
    );

    // Monday 2 March: the case is fresh and far from its deadline, so there is nothing to tell.
    assert_eq!(scan(&app, at(2026, 3, 2, 9)), 0);
    // Thursday 12 March: ten days without activity, a stale case; once however often the scan runs.
    assert_eq!(scan(&app, at(2026, 3, 12, 8)), 1);
    assert_eq!(scan(&app, at(2026, 3, 12, 9)), 0);
    assert_eq!(scan(&app, at(2026, 3, 12, 17)), 0);
    let sent = digests(&app);
    assert_eq!(sent.len(), 1, "{sent:?}");
    let (to, subject, text) = &sent[0];
    let me = app.get(&mediator.token, "/api/v1/me").body;
    assert_eq!(to, me["email"].as_str().unwrap());
    assert!(subject.contains("长期无进展 1 件"), "{subject}");
    assert!(
        text.contains(&case_no) && text.contains("最后办理 2026-03-02"),
        "{text}"
    );
    assert!(
        !text.contains("王芳") && !text.contains("13812348000"),
        "no personal data"
    );
    // Saturday and Sunday are no working days: no digest.
    assert_eq!(scan(&app, at(2026, 3, 14, 9)), 0);
    assert_eq!(scan(&app, at(2026, 3, 15, 9)), 0);
    // Monday 16 March: the deadline (17 March) is a day away, and the case is still stale.
    assert_eq!(scan(&app, at(2026, 3, 16, 9)), 1);
    let (_, subject, text) = digests(&app).pop().unwrap();
    assert!(
        subject.contains("三日内到期 1 件") && subject.contains("长期无进展 1 件"),
        "{subject}"
    );
    assert!(text.contains("还剩 1 天"), "{text}");
    // Overdue after the deadline.
    assert_eq!(scan(&app, at(2026, 3, 18, 9)), 1);
    let (_, subject, _) = digests(&app).pop().unwrap();
    assert!(subject.contains("已超期 1 件"), "{subject}");
    // Only the one who opted in was mailed, and the worker sends it.
    assert!(digests(&app).iter().all(|(r, _, _)| r == to));
    let mailer = Mailer::memory();
    let worker = Worker {
        mailer: mailer.clone(),
        from: "tiaojie@localhost".into(),
        send_timeout: std::time::Duration::from_secs(4),
        give_up_after: chrono::Duration::hours(48),
        batch: 20,
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(worker.drain(&app.ctx)).unwrap();
    let sent_digests: i64 = {
        use diesel::prelude::*;
        use tiaojie::db::schema::notifications as n;
        let mut conn = app.ctx.db.get().unwrap();
        n::table
            .filter(n::kind.eq("daily_digest"))
            .filter(n::status.eq("sent"))
            .count()
            .get_result(&mut *conn)
            .unwrap()
    };
    assert_eq!(sent_digests, 3);
    assert!(mailer.sent().iter().any(|(_, r, _)| r == to));

    // Opting out through the API stops it.
    let r = app.patch(
        &mediator.token,
        "/api/v1/me",
        json!({"daily_digest": false}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["daily_digest"], false);
    assert_eq!(scan(&app, at(2026, 3, 19, 9)), 0);
}

#[test]
fn the_digest_is_for_those_who_mediate() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, officer) = app.designated_officer(e);
    let r = app.patch(&officer, "/api/v1/me", json!({"daily_digest": true}));
    assert_eq!(r.status, 403, "{:?}", r.body);
    let r = app.patch(
        &app.admin_token,
        "/api/v1/me",
        json!({"daily_digest": "yes"}),
    );
    assert!(r.status == 400 || r.status == 422, "{:?}", r.body);
    let mut viewer = person(&app, "viewer", Some(app.district), None);
    let page = viewer.browser.get("/me/settings");
    assert_eq!(page.status, 200);
    assert!(page
        .body
        .contains("每日案件提醒只发给承办案件的调解员和主任"));
    assert!(!page.body.contains("name=\"daily_digest\""));
}
