//! Issue 12, the case page and the desk as a center's staff meet them on day one: who mediates
//! and who did what, the acceptance deadline, stale cases, the deadline sort and the case edit
//! page. Each test drives the pages as a browser does (a session, the CSRF token, form posts).

use crate::helpers::*;
use chrono::TimeZone;
use serde_json::{json, Value};

fn shanghai(y: i32, m: u32, d: u32, h: u32) -> chrono::DateTime<chrono::Utc> {
    chrono_tz::Asia::Shanghai
        .with_ymd_and_hms(y, m, d, h, 0, 0)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

fn act(app: &TestApp, token: &str, id: i64, name: &str, body: Value) -> Value {
    let r = app.post(token, &format!("/api/v1/cases/{id}/{name}"), body);
    assert_eq!(r.status, 200, "{name}: {:?}", r.body);
    r.body
}

/// The text of the `<dd>` whose class is `class` on a page.
fn fact<'a>(body: &'a str, class: &str) -> &'a str {
    let marker = format!("<dd class=\"{class}");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {class} in {body}"));
    let rest = &body[start..];
    let open = rest.find('>').unwrap() + 1;
    let end = rest.find("</dd>").unwrap();
    &rest[open..end]
}

#[test]
fn the_case_page_names_the_mediator_and_coordinator_and_who_did_each_thing() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let officer = app.named_user("zhaogong", "赵干事", "officer", app.street, Some(e));
    let director = app.named_user("zhouzr", "周主任", "director", app.street, None);
    let mediator = app.named_user("litj", "李调解", "mediator", app.street, None);
    let boss = app.login("zhouzr", PASSWORD);
    let id = app.create_case(&boss, e)["id"].as_i64().unwrap();
    act(&app, &boss, id, "accept", json!({}));
    let case = act(
        &app,
        &boss,
        id,
        "assign",
        json!({"mediator_id": mediator, "coordinator_id": officer}),
    );
    assert_eq!(case["mediator_name"], "李调解");
    assert_eq!(case["coordinator_name"], "赵干事");
    let events = case["events"].as_array().unwrap();
    let assign = events.iter().find(|e| e["action"] == "assign").unwrap();
    assert_eq!(assign["actor_id"], director);
    assert_eq!(assign["assignee_id"], mediator);
    assert_eq!(assign["assignee_name"], "李调解");
    let own = app.login("litj", PASSWORD);
    act(
        &app,
        &own,
        id,
        "sessions",
        json!({"held_at": "2026-03-02T08:30:00+08:00", "location": "街道调解室", "attendees": "双方", "notes": "首次调解"}),
    );

    let mut b = signed_in(&app, "zhouzr");
    let page = b.get(&format!("/cases/{id}"));
    assert_eq!(page.status, 200);
    assert_eq!(fact(&page.body, "mediator"), "李调解");
    assert_eq!(fact(&page.body, "coordinator"), "赵干事");
    // The timeline: who did each thing, and to whom the case was assigned.
    let timeline = &page.body[page.body.find("class=\"timeline\"").unwrap()..];
    for header in ["<th>时间</th>", "<th>办理人</th>", "<th>事项</th>"] {
        assert!(timeline.contains(header), "{header}");
    }
    assert!(
        timeline.contains("<td>周主任</td><td>指派给李调解</td>"),
        "{timeline}"
    );
    assert!(timeline.contains("<td>李调解</td><td>调解</td>"));
    // The sessions table has headers.
    let sessions = &page.body[page.body.find("class=\"sessions\"").unwrap()..];
    for header in ["调解时间", "地点", "参加人员", "备注"] {
        assert!(sessions.contains(&format!("<th>{header}</th>")), "{header}");
    }
    assert!(sessions.contains("街道调解室"));
}

#[test]
fn a_case_not_yet_assigned_says_so_on_its_page() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    app.named_user("zhouzr", "周主任", "director", app.street, None);
    let boss = app.login("zhouzr", PASSWORD);
    let id = app.create_case(&boss, e)["id"].as_i64().unwrap();
    let page = signed_in(&app, "zhouzr").get(&format!("/cases/{id}"));
    assert_eq!(fact(&page.body, "mediator"), "未指派");
    assert!(page.body.contains("<td>周主任</td><td>登记</td>"));
}

#[test]
fn the_acceptance_deadline_shows_on_the_desk_and_the_case_page_and_is_marked_once_due() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    app.named_user("zhouzr", "周主任", "director", app.street, None);
    let boss = app.login("zhouzr", PASSWORD);
    // Received Monday 2 March 08:00: three working days to accept, by Thursday 5 March.
    let case = app.create_case(&boss, e);
    let id = case["id"].as_i64().unwrap();
    assert_eq!(case["accept_by"], "2026-03-05");
    let mut b = signed_in(&app, "zhouzr");

    let page = b.get(&format!("/cases/{id}"));
    assert_eq!(fact(&page.body, "accept-by"), "2026-03-05");
    assert!(!page.body.contains("accept-by overdue"));
    let desk = b.get("/");
    let awaiting = &desk.body[desk.body.find("待受理").unwrap()..];
    assert!(awaiting.contains("受理期限 2026-03-05"), "{awaiting}");
    // Due soon counts the acceptance deadline: three days left.
    let soon = &desk.body[desk.body.find("三日内到期").unwrap()..desk.body.find("已超期").unwrap()];
    assert!(soon.starts_with("三日内到期（1）"), "{soon}");
    assert!(soon.contains(&format!("/cases/{id}\"")));

    // On the day itself the deadline is marked, on the case page and on the desk.
    app.set_now(shanghai(2026, 3, 5, 9));
    let mut b = signed_in(&app, "zhouzr");
    let page = b.get(&format!("/cases/{id}"));
    let due = "<dd class=\"accept-by overdue\">2026-03-05 · 今日或已过受理期限</dd>";
    assert!(page.body.contains(due), "{}", page.body);
    let desk = b.get("/");
    assert!(desk
        .body
        .contains("<span class=\"accept-by overdue\">受理期限 2026-03-05</span>"));
    // Once accepted it is no longer due.
    act(&app, &boss, id, "accept", json!({}));
    let page = b.get(&format!("/cases/{id}"));
    assert!(!page.body.contains("accept-by overdue"));
}

#[test]
fn sorting_by_deadline_lists_open_cases_only() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let director = person(&app, "director", Some(app.street), None);
    let open = app.create_case(&director.token, e)["case_no"].clone();
    let closed = app.create_case(&director.token, e);
    let closed_id = closed["id"].as_i64().unwrap();
    act(
        &app,
        &director.token,
        closed_id,
        "reject",
        json!({"reason": "不属于受理范围"}),
    );
    let mut b = director.browser;

    let all = b.get("/cases");
    assert!(all.body.contains(closed["case_no"].as_str().unwrap()));
    let by_deadline = b.get("/cases?sort=deadline");
    assert_eq!(by_deadline.status, 200);
    assert!(by_deadline.body.contains(open.as_str().unwrap()));
    assert!(!by_deadline
        .body
        .contains(closed["case_no"].as_str().unwrap()));
    let api = app.get(&director.token, "/api/v1/cases?sort=deadline").body;
    assert_eq!(api["total"], 1);
    assert_eq!(api["items"][0]["case_no"], open);
}

#[test]
fn a_case_with_no_activity_for_a_week_is_listed_on_its_mediators_and_the_directors_desk() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    app.named_user("zhouzr", "周主任", "director", app.street, None);
    let mediator = app.named_user("litj", "李调解", "mediator", app.street, None);
    let other = app.named_user("wangtj", "王调解", "mediator", app.street, None);
    let boss = app.login("zhouzr", PASSWORD);
    let quiet = app.create_case(&boss, e);
    let quiet_id = quiet["id"].as_i64().unwrap();
    act(&app, &boss, quiet_id, "accept", json!({}));
    act(
        &app,
        &boss,
        quiet_id,
        "assign",
        json!({"mediator_id": mediator}),
    );
    let busy = app.create_case(&boss, e);
    let busy_id = busy["id"].as_i64().unwrap();
    act(&app, &boss, busy_id, "accept", json!({}));
    act(
        &app,
        &boss,
        busy_id,
        "assign",
        json!({"mediator_id": mediator}),
    );
    // Eight days later; the busy case had a session yesterday.
    app.set_now(shanghai(2026, 3, 10, 9));
    act(
        &app,
        &boss,
        busy_id,
        "sessions",
        json!({"held_at": "2026-03-09T10:00:00+08:00", "location": "调解室", "attendees": "双方"}),
    );
    let stale_section = |username: &str| {
        let desk = signed_in(&app, username).get("/");
        assert_eq!(desk.status, 200);
        let start = desk
            .body
            .find("长期无进展")
            .map(|s| desk.body[s..].to_string());
        start.map(|s| s[..s.find("</section>").unwrap()].to_string())
    };
    for who in ["litj", "zhouzr"] {
        let section = stale_section(who).unwrap_or_else(|| panic!("{who} has no stale list"));
        assert!(
            section.starts_with("长期无进展 · 7 天以上（1）"),
            "{section}"
        );
        assert!(section.contains(quiet["case_no"].as_str().unwrap()));
        assert!(!section.contains(busy["case_no"].as_str().unwrap()));
    }
    // Another mediator's desk lists only their own (none).
    let _ = other;
    let section = stale_section("wangtj").unwrap();
    assert!(
        section.starts_with("长期无进展 · 7 天以上（0）"),
        "{section}"
    );
}

/// The value of the input named `name` on a page.
fn input_value(body: &str, name: &str) -> String {
    let marker = format!("name=\"{name}\"");
    let start = body
        .find(&marker)
        .unwrap_or_else(|| panic!("no {name} in {body}"));
    let rest = &body[start..];
    let v = rest.find("value=\"").unwrap() + 7;
    rest[v..].split('"').next().unwrap().to_string()
}

/// The edit form's fields as the page shows them, to post back with changes.
fn edit_form(body: &str) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        "csrf",
        "version",
        "applicant_name",
        "applicant_phone",
        "applicant_id_number",
        "workers_involved",
        "amount_claimed",
        "agent_name",
        "agent_position",
        "agent_phone",
    ]
    .iter()
    .map(|n| (n.to_string(), input_value(body, n)))
    .collect();
    let selected = body.find("selected>").unwrap();
    let category = body[..selected].rsplit("value=\"").next().unwrap();
    fields.push((
        "category".into(),
        category.split('"').next().unwrap().into(),
    ));
    let ta = body.find("<textarea").unwrap();
    let ta = &body[ta..];
    let text = &ta[ta.find('>').unwrap() + 1..ta.find("</textarea>").unwrap()];
    fields.push(("description".into(), text.into()));
    fields
}

fn with(fields: &[(String, String)], changes: &[(&str, &str)]) -> Vec<(String, String)> {
    fields
        .iter()
        .map(|(k, v)| {
            let new = changes
                .iter()
                .find(|(c, _)| c == k)
                .map(|(_, n)| n.to_string());
            (k.clone(), new.unwrap_or_else(|| v.clone()))
        })
        .collect()
}

fn post(b: &mut Browser, path: &str, fields: &[(String, String)]) -> Page {
    let form: Vec<(&str, &str)> = fields
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    b.post(path, &form)
}

#[test]
fn a_director_completes_the_applicant_of_an_escalated_case_on_its_edit_page() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, officer) = app.designated_officer(e);
    let mut director = person(&app, "director", Some(app.street), None);
    let w = app.post(
        &officer,
        "/api/v1/warnings",
        json!({"level": "red", "category": "wage_arrears", "workers_at_risk": 35,
               "amount_at_risk": "280000", "description": "企业连续两个月未发工资"}),
    );
    assert_eq!(w.status, 201, "{:?}", w.body);
    let wid = w.body["id"].as_i64().unwrap();
    let r = app.post(
        &director.token,
        &format!("/api/v1/warnings/{wid}/escalate"),
        json!({}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    let id = r.body["id"].as_i64().unwrap();
    assert_eq!(r.body["applicant_name"], Value::Null);

    let b = &mut director.browser;
    let page = b.get(&format!("/cases/{id}"));
    assert!(page.body.contains(&format!("href=\"/cases/{id}/edit\"")));
    let form = b.get(&format!("/cases/{id}/edit"));
    assert_eq!(form.status, 200);
    assert_eq!(input_value(&form.body, "applicant_name"), "");
    assert_eq!(input_value(&form.body, "workers_involved"), "35");
    let fields = edit_form(&form.body);

    // A wrong phone and an empty-looking amount: each error beside its field, what was typed kept.
    let bad = with(
        &fields,
        &[
            ("applicant_name", "陈师傅"),
            ("applicant_phone", "1381234"),
            ("amount_claimed", "abc"),
        ],
    );
    let r = post(b, &format!("/cases/{id}/edit"), &bad);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"e_applicant_phone\""), "{}", r.body);
    assert!(r.body.contains("id=\"e_amount_claimed\""));
    assert!(!r.body.contains("id=\"e_applicant_name\""));
    assert_eq!(input_value(&r.body, "applicant_name"), "陈师傅");
    assert_eq!(input_value(&r.body, "applicant_phone"), "1381234");
    let unchanged = app
        .get(&director.token, &format!("/api/v1/cases/{id}"))
        .body;
    assert_eq!(unchanged["applicant_name"], Value::Null);
    assert_eq!(unchanged["version"], r_version(&fields));

    let good = with(
        &fields,
        &[
            ("applicant_name", "陈师傅"),
            ("applicant_phone", "13912345678"),
            ("workers_involved", "36"),
        ],
    );
    let r = post(b, &format!("/cases/{id}/edit"), &good);
    assert_eq!(r.status, 303, "{}", r.body);
    assert_eq!(r.location.as_deref(), Some(format!("/cases/{id}").as_str()));
    let case = app
        .get(&director.token, &format!("/api/v1/cases/{id}"))
        .body;
    assert_eq!(case["applicant_name"], "陈师傅");
    assert_eq!(case["applicant_phone"], "13912345678");
    assert_eq!(case["workers_involved"], 36);
    assert_eq!(case["amount_claimed"], "280000.00");
    let page = b.get(&format!("/cases/{id}"));
    assert!(page.body.contains("陈师傅"));
    assert!(
        page.body.contains("<td>修改</td>"),
        "the edit is on the timeline"
    );
}

#[test]
fn the_edit_page_records_the_respondents_agent_and_a_blank_name_clears_it() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    let id = app.create_case(&director.token, e)["id"].as_i64().unwrap();
    let b = &mut director.browser;
    let form = b.get(&format!("/cases/{id}/edit"));
    assert!(form.body.contains("被申请人委托代理人"), "{}", form.body);
    let fields = edit_form(&form.body);
    let bad = with(&fields, &[("agent_name", "赵律"), ("agent_phone", "123")]);
    let r = post(b, &format!("/cases/{id}/edit"), &bad);
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"e_agent_phone\""), "{}", r.body);
    assert_eq!(input_value(&r.body, "agent_name"), "赵律");

    let good = with(
        &fields,
        &[
            ("agent_name", "赵律"),
            ("agent_position", "法务主管"),
            ("agent_phone", "13900002222"),
        ],
    );
    let r = post(b, &format!("/cases/{id}/edit"), &good);
    assert_eq!(r.status, 303, "{}", r.body);
    let case = app
        .get(&director.token, &format!("/api/v1/cases/{id}"))
        .body;
    assert_eq!(case["respondent_agent"]["name"], "赵律");
    assert_eq!(case["respondent_agent"]["position"], "法务主管");
    let page = b.get(&format!("/cases/{id}")).body;
    assert!(page.contains("赵律（法务主管） · 13900002222"), "{page}");

    let form = b.get(&format!("/cases/{id}/edit"));
    assert_eq!(input_value(&form.body, "agent_name"), "赵律");
    let cleared = with(&edit_form(&form.body), &[("agent_name", "")]);
    assert_eq!(post(b, &format!("/cases/{id}/edit"), &cleared).status, 303);
    let case = app
        .get(&director.token, &format!("/api/v1/cases/{id}"))
        .body;
    assert_eq!(case["respondent_agent"], Value::Null, "{case}");
}

fn r_version(fields: &[(String, String)]) -> i64 {
    fields
        .iter()
        .find(|(k, _)| k == "version")
        .unwrap()
        .1
        .parse()
        .unwrap()
}

#[test]
fn a_stale_edit_form_is_refused_with_the_typed_values_kept_and_changes_nothing() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    let id = app.create_case(&director.token, e)["id"].as_i64().unwrap();
    let b = &mut director.browser;
    let fields = edit_form(&b.get(&format!("/cases/{id}/edit")).body);
    // Someone else changes the case meanwhile.
    let r = app.patch(
        &director.token,
        &format!("/api/v1/cases/{id}"),
        json!({"version": r_version(&fields), "description": "另一人修改"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let mine = with(&fields, &[("applicant_phone", "13912345678")]);
    let r = post(b, &format!("/cases/{id}/edit"), &mine);
    assert_eq!(r.status, 409, "{}", r.body);
    assert!(r.body.contains("案件已被他人修改"));
    assert_eq!(input_value(&r.body, "applicant_phone"), "13912345678");
    let case = app
        .get(&director.token, &format!("/api/v1/cases/{id}"))
        .body;
    assert_eq!(case["applicant_phone"], "13812348000");
    assert_eq!(case["description"], "另一人修改");
}

#[test]
fn a_mediator_fixes_a_phone_without_the_masked_id_number_being_written_back() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let director = person(&app, "director", Some(app.street), None);
    let mut mediator = person(&app, "mediator", Some(app.street), None);
    let id = app.create_case(&director.token, e)["id"].as_i64().unwrap();
    act(&app, &director.token, id, "accept", json!({}));
    act(
        &app,
        &director.token,
        id,
        "assign",
        json!({"mediator_id": mediator.id}),
    );
    let b = &mut mediator.browser;
    let form = b.get(&format!("/cases/{id}/edit"));
    assert_eq!(form.status, 200);
    // The ID number is shown masked to a mediator: the field starts empty, the mask its hint.
    assert_eq!(input_value(&form.body, "applicant_id_number"), "");
    assert!(form.body.contains("placeholder=\"110105********002X\""));
    assert!(!form.body.contains("11010519491231002X"));
    let fields = edit_form(&form.body);
    let r = post(
        b,
        &format!("/cases/{id}/edit"),
        &with(&fields, &[("applicant_phone", "13912345678")]),
    );
    assert_eq!(r.status, 303, "{}", r.body);
    let case = app
        .get(&director.token, &format!("/api/v1/cases/{id}"))
        .body;
    assert_eq!(case["applicant_phone"], "13912345678");
    assert_eq!(case["applicant_id_number"], "11010519491231002X");

    // Someone who may not edit the case gets the 403 page, not the form.
    let mut officer = person(&app, "officer", Some(app.street), Some(e));
    assert_eq!(
        officer.browser.get(&format!("/cases/{id}/edit")).status,
        403
    );
}

/// The part of the desk from the heading that starts with `title` to the end of its section.
fn desk_section<'a>(desk: &'a str, title: &str) -> &'a str {
    let start = desk
        .find(&format!("\">{title}"))
        .unwrap_or_else(|| panic!("no {title} on {desk}"));
    let rest = &desk[start..];
    &rest[..rest.find("</section>").unwrap()]
}

#[test]
fn each_desk_list_shows_its_first_ten_cases_and_links_to_all_of_them_on_the_case_list() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    let day = |m: u32, d: u32| chrono::NaiveDate::from_ymd_opt(2026, m, d).unwrap();
    let case = |n: usize, received: chrono::NaiveDate, deadline: chrono::NaiveDate| {
        let at = received.and_hms_opt(1, 0, 0).unwrap();
        tiaojie::db::models::NewCase {
            status: "mediating".into(),
            received_at: at,
            last_event_at: at,
            deadline,
            ..bulk_case(app.street, e, director.id, n)
        }
    };
    // Twelve overdue; one due in two days, received long ago; 205 received since, due later:
    // more open cases than a desk could read to find the one due soon.
    let mut rows: Vec<_> = (0..12).map(|n| case(n, day(2, 2), day(2, 20))).collect();
    rows.push(case(12, day(1, 5), day(3, 4)));
    rows.extend((13..218).map(|n| case(n, day(2, 25), day(4, 30))));
    app.insert_cases(rows);

    let desk = director.browser.get("/").body;
    let overdue = desk_section(&desk, "已超期");
    assert_eq!(
        overdue.matches("<td><a href=\"/cases/").count(),
        10,
        "{overdue}"
    );
    let all = link_to(overdue, "查看全部（12）").expect("a link to every overdue case");
    let list = director.browser.get(&all);
    assert_eq!(list.status, 200, "{all}");
    assert!(list.body.contains("共 12 件"), "{all}: {}", list.body);
    assert_eq!(list.body.matches("<td><a href=\"/cases/").count(), 12);

    let soon = desk_section(&desk, "三日内到期");
    assert!(soon.starts_with("\">三日内到期（1）"), "{soon}");
    assert!(
        soon.contains("BULK-00012"),
        "the case due in two days: {soon}"
    );
    assert!(!soon.contains("查看全部"), "all of it is shown");
}

#[test]
fn the_case_list_filters_by_due_day_and_idle_days_and_names_each_unreadable_value() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, token) = app.user("director", app.street, None);
    // Received Monday 2 March: to accept by Thursday 5 March.
    let id = app.create_case(&token, e)["id"].as_i64().unwrap();
    let ids = |q: &str| -> Vec<i64> {
        let r = app.get(&token, &format!("/api/v1/cases?{q}"));
        assert_eq!(r.status, 200, "{q}: {:?}", r.body);
        r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect()
    };
    assert_eq!(ids("due_by=2026-03-05"), vec![id]);
    assert!(ids("due_by=2026-03-04").is_empty());
    assert_eq!(
        ids("idle_days=0"),
        Vec::<i64>::new(),
        "received today: not idle"
    );

    let r = app.get(&token, "/api/v1/cases?due_by=2026-13-01&idle_days=-1");
    assert_eq!(r.status, 422, "{:?}", r.body);
    let fields = &r.body["error"]["fields"];
    assert_eq!(fields["due_by"], "must be a date YYYY-MM-DD");
    assert_eq!(
        app.get(&token, "/api/v1/cases?idle_days=3651").status,
        422,
        "one day past the longest"
    );
    assert_eq!(app.get(&token, "/api/v1/cases?idle_days=3650").status, 200);
    assert_eq!(fields["idle_days"], "must be between 0 and 3650 days");
}
