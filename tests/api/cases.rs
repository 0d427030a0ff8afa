use crate::helpers::*;
use serde_json::{json, Value};

struct Setup {
    app: TestApp,
    enterprise: i64,
    officer_id: i64,
    director: String,
    mediator_id: i64,
    mediator: String,
}

fn setup() -> Setup {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (officer_id, _) = app.designated_officer(enterprise);
    let (_, director) = app.user("director", app.street, None);
    let (mediator_id, mediator) = app.user("mediator", app.street, None);
    Setup {
        app,
        enterprise,
        officer_id,
        director,
        mediator_id,
        mediator,
    }
}

fn action(s: &Setup, token: &str, id: i64, name: &str, body: Value) -> Response {
    s.app
        .post(token, &format!("/api/v1/cases/{id}/{name}"), body)
}

fn case(s: &Setup, id: i64) -> Value {
    s.app.get(&s.director, &format!("/api/v1/cases/{id}")).body
}

/// Creates a case and walks it to `mediating` with the setup's mediator assigned.
fn mediating_case(s: &Setup) -> i64 {
    let id = s.app.create_case(&s.mediator, s.enterprise)["id"]
        .as_i64()
        .unwrap();
    assert_eq!(action(s, &s.mediator, id, "accept", json!({})).status, 200);
    let r = action(
        s,
        &s.director,
        id,
        "assign",
        json!({"mediator_id": s.mediator_id}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    id
}

#[test]
fn a_case_goes_from_intake_to_agreement_and_full_payment() {
    let s = setup();
    let id = mediating_case(&s);
    let c = case(&s, id);
    assert_eq!(c["status"], "mediating");
    assert_eq!(c["mediator_id"], s.mediator_id);
    // The coordinator defaults to the enterprise's designated officer.
    assert_eq!(c["coordinator_id"], s.officer_id);

    let r = action(
        &s,
        &s.mediator,
        id,
        "sessions",
        json!({
            "held_at": "2026-03-02T08:30:00+08:00", "location": "调解室", "attendees": "双方", "notes": "首次调解"
        }),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["sessions"].as_array().unwrap().len(), 1);

    let r = action(
        &s,
        &s.mediator,
        id,
        "close",
        json!({
            "outcome": "agreement", "amount_agreed": "40000", "agreement_no": "调协字〔2026〕1号", "payment_due": "2026-03-31"
        }),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["status"], "resolved");
    assert_eq!(r.body["amount_agreed"], "40000.00");
    assert!(r.body["closed_at"].is_string());
    assert_eq!(r.body["overdue"], false);

    let r = action(
        &s,
        &s.mediator,
        id,
        "payments",
        json!({"amount": "30000", "paid_at": "2026-03-02"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["amount_paid"], "30000.00");
    let r = action(
        &s,
        &s.mediator,
        id,
        "payments",
        json!({"amount": "10000.01", "paid_at": "2026-03-02"}),
    );
    assert_eq!(r.status, 422, "paying past the agreed amount: {:?}", r.body);
    assert!(r.field_error("amount").is_some());
    let r = action(
        &s,
        &s.mediator,
        id,
        "payments",
        json!({"amount": "10000", "paid_at": "2026-03-02"}),
    );
    assert_eq!(r.body["amount_paid"], "40000.00");

    let c = case(&s, id);
    let actions: Vec<&str> = c["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap())
        .collect();
    assert_eq!(
        actions,
        ["intake", "accept", "assign", "session", "close", "payment", "payment"]
    );
    assert_eq!(c["payments"].as_array().unwrap().len(), 2);
    assert_eq!(c["version"], 7);
}

#[test]
fn a_refused_transition_answers_409_and_leaves_the_case_unchanged() {
    let s = setup();
    let id = s.app.create_case(&s.mediator, s.enterprise)["id"]
        .as_i64()
        .unwrap();
    let before = case(&s, id);
    for (name, body) in [
        (
            "close",
            json!({"outcome": "agreement", "amount_agreed": "1"}),
        ),
        (
            "sessions",
            json!({"held_at": "2026-03-02T08:30:00+08:00", "location": "x", "attendees": "y"}),
        ),
        ("extend", json!({"days": 3, "reason": "双方同意"})),
        ("payments", json!({"amount": "1", "paid_at": "2026-03-02"})),
        ("withdraw", json!({"note": "撤回"})),
    ] {
        let r = action(&s, &s.director, id, name, body);
        assert_eq!(r.status, 409, "{name} on a received case: {:?}", r.body);
        assert_eq!(r.code(), "invalid_transition");
    }
    assert_eq!(case(&s, id), before);

    assert_eq!(
        action(
            &s,
            &s.mediator,
            id,
            "reject",
            json!({"reason": "不属于劳动争议"})
        )
        .status,
        200
    );
    let r = action(&s, &s.mediator, id, "accept", json!({}));
    assert_eq!(r.status, 409);
    assert_eq!(case(&s, id)["status"], "rejected");
}

#[test]
fn a_case_can_be_extended_once_and_the_new_deadline_rolls_off_the_weekend() {
    let s = setup();
    let id = mediating_case(&s);
    // Deadline Tue 17 March + 4 days = Sat 21 March, which moves to Mon 23 March.
    let r = action(
        &s,
        &s.director,
        id,
        "extend",
        json!({"days": 4, "reason": "双方同意延长"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["deadline"], "2026-03-23");
    assert_eq!(r.body["extended"], true);
    let r = action(
        &s,
        &s.director,
        id,
        "extend",
        json!({"days": 2, "reason": "再次延长"}),
    );
    assert_eq!(r.status, 409);
    assert_eq!(case(&s, id)["deadline"], "2026-03-23");
}

#[test]
fn an_extension_beyond_fifteen_days_or_without_a_reason_is_422() {
    let s = setup();
    let id = mediating_case(&s);
    let r = action(
        &s,
        &s.director,
        id,
        "extend",
        json!({"days": 16, "reason": "x"}),
    );
    assert_eq!(r.status, 422);
    assert!(r.field_error("days").is_some());
    let r = action(&s, &s.director, id, "extend", json!({"days": 3}));
    assert_eq!(r.status, 422);
    assert!(r.field_error("reason").is_some());
    assert_eq!(case(&s, id)["extended"], false);
}

#[test]
fn a_failed_mediation_records_its_referral() {
    let s = setup();
    let id = mediating_case(&s);
    let r = action(
        &s,
        &s.mediator,
        id,
        "close",
        json!({"outcome": "failed", "referral": "arbitration", "note": "分歧较大"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["status"], "failed");
    assert_eq!(r.body["referral"], "arbitration");
    let r = action(
        &s,
        &s.mediator,
        id,
        "payments",
        json!({"amount": "1", "paid_at": "2026-03-02"}),
    );
    assert_eq!(r.status, 409);
}

#[test]
fn an_accepted_case_can_be_withdrawn_with_a_note() {
    let s = setup();
    let id = s.app.create_case(&s.mediator, s.enterprise)["id"]
        .as_i64()
        .unwrap();
    action(&s, &s.mediator, id, "accept", json!({}));
    let r = action(&s, &s.mediator, id, "withdraw", json!({}));
    assert_eq!(r.status, 422);
    let r = action(
        &s,
        &s.mediator,
        id,
        "withdraw",
        json!({"note": "已协商解决"}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.body["status"], "withdrawn");
}

#[test]
fn checks_come_in_order_scope_role_status_assignment_values() {
    let s = setup();
    let id = mediating_case(&s);
    let (_, other_mediator) = s.app.user("mediator", s.app.street, None);
    let (_, far_director) = s.app.user("director", s.app.other_street, None);

    // Out of scope: 404, whatever else is wrong.
    let r = action(&s, &far_director, id, "assign", json!({}));
    assert_eq!(r.status, 404);
    // A mediator never assigns: 403, even with bad values.
    let r = action(&s, &s.mediator, id, "assign", json!({"mediator_id": "x"}));
    assert_eq!(
        r.status, 400,
        "wrong JSON types are caught before anything: {:?}",
        r.body
    );
    let r = action(&s, &s.mediator, id, "assign", json!({}));
    assert_eq!(r.status, 403);
    // A status that does not allow the action: 409, before the assignment check.
    let r = action(&s, &other_mediator, id, "accept", json!({}));
    assert_eq!(r.status, 409);
    // Allowed in this status, but not for a mediator the case is not assigned to: 403.
    let r = action(
        &s,
        &other_mediator,
        id,
        "close",
        json!({"outcome": "agreement", "amount_agreed": "1"}),
    );
    assert_eq!(r.status, 403);
    // The assigned mediator with bad values: 422.
    let r = action(
        &s,
        &s.mediator,
        id,
        "close",
        json!({"outcome": "agreement", "amount_agreed": "abc"}),
    );
    assert_eq!(r.status, 422);
    assert_eq!(case(&s, id)["status"], "mediating");
}

#[test]
fn an_action_may_be_dated_in_the_past_but_not_before_the_previous_event_or_in_the_future() {
    let s = setup();
    let id = s.app.create_case(&s.mediator, s.enterprise)["id"]
        .as_i64()
        .unwrap();
    let r = action(
        &s,
        &s.mediator,
        id,
        "accept",
        json!({"at": "2026-03-02T07:59:00+08:00"}),
    );
    assert_eq!(r.status, 422);
    assert!(r.field_error("at").is_some());
    let r = action(
        &s,
        &s.mediator,
        id,
        "accept",
        json!({"at": "2026-03-02T09:00:01+08:00"}),
    );
    assert_eq!(r.status, 422);
    let r = action(
        &s,
        &s.mediator,
        id,
        "accept",
        json!({"at": "2026-03-02T08:30:00+08:00"}),
    );
    assert_eq!(r.status, 200);
    assert_eq!(r.body["events"][1]["at"], "2026-03-02T08:30:00+08:00");
}

#[test]
fn assigning_someone_who_cannot_mediate_here_is_422() {
    let s = setup();
    let id = s.app.create_case(&s.mediator, s.enterprise)["id"]
        .as_i64()
        .unwrap();
    action(&s, &s.mediator, id, "accept", json!({}));
    let (far_mediator, _) = s.app.user("mediator", s.app.other_street, None);
    for bad in [s.officer_id, far_mediator, 999_999] {
        let r = action(&s, &s.director, id, "assign", json!({"mediator_id": bad}));
        assert_eq!(r.status, 422, "{bad}: {:?}", r.body);
        assert!(r.field_error("mediator_id").is_some());
    }
    assert_eq!(case(&s, id)["status"], "accepted");
}

#[test]
fn a_reassignment_is_recorded_as_its_own_event() {
    let s = setup();
    let id = mediating_case(&s);
    let (other, _) = s.app.user("mediator", s.app.street, None);
    let r = action(&s, &s.director, id, "assign", json!({"mediator_id": other}));
    assert_eq!(r.status, 200);
    assert_eq!(r.body["mediator_id"], other);
    assert_eq!(
        r.body["events"].as_array().unwrap().last().unwrap()["action"],
        "reassign"
    );
}

#[test]
fn an_edit_needs_the_current_version_and_a_stale_one_changes_nothing() {
    let s = setup();
    let c = s.app.create_case(&s.mediator, s.enterprise);
    let id = c["id"].as_i64().unwrap();
    let path = format!("/api/v1/cases/{id}");
    let r = s.app.patch(
        &s.mediator,
        &path,
        json!({"version": 1, "workers_involved": 3, "amount_claimed": "100"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["version"], 2);
    assert_eq!(r.body["collective"], false);
    let r = s.app.patch(
        &s.mediator,
        &path,
        json!({"version": 1, "description": "改写"}),
    );
    assert_eq!(r.status, 409);
    assert_eq!(r.code(), "version_conflict");
    let after = case(&s, id);
    assert_eq!(after["description"], c["description"]);
    assert_eq!(after["amount_claimed"], "100.00");
    let r = s.app.patch(
        &s.mediator,
        &path,
        json!({"version": 2, "status": "resolved"}),
    );
    assert_eq!(r.status, 400, "status is not editable: {:?}", r.body);
}

#[test]
fn an_unknown_action_or_case_is_404() {
    let s = setup();
    let id = s.app.create_case(&s.mediator, s.enterprise)["id"]
        .as_i64()
        .unwrap();
    assert_eq!(
        action(&s, &s.director, id, "approve", json!({})).status,
        404
    );
    assert_eq!(
        action(&s, &s.director, 999_999, "accept", json!({})).status,
        404
    );
    assert_eq!(s.app.get(&s.director, "/api/v1/cases/abc").status, 404);
}

#[test]
fn the_list_filters_searches_and_pages() {
    let s = setup();
    for _ in 0..3 {
        s.app.create_case(&s.mediator, s.enterprise);
    }
    let id = mediating_case(&s);
    let all = s.app.get(&s.director, "/api/v1/cases?per_page=2");
    assert_eq!(all.body["total"], 4);
    assert_eq!(all.body["items"].as_array().unwrap().len(), 2);
    assert_eq!(all.body["items"][0]["id"], id, "newest first");
    let mediating = s.app.get(&s.director, "/api/v1/cases?status=mediating");
    assert_eq!(mediating.body["total"], 1);
    let mine = s.app.get(
        &s.director,
        &format!("/api/v1/cases?mediator_id={}", s.mediator_id),
    );
    assert_eq!(mine.body["total"], 1);
    let by_no = s.app.get(&s.director, "/api/v1/cases?q=TJ-2026-00002");
    assert_eq!(by_no.body["total"], 1);
    let by_name = s.app.get(
        &s.director,
        &format!("/api/v1/cases?q={}", "%E7%8E%8B%E8%8A%B3"),
    );
    assert_eq!(by_name.body["total"], 4);
    assert_eq!(
        s.app.get(&s.director, "/api/v1/cases?status=done").status,
        422
    );
    assert_eq!(
        s.app.get(&s.director, "/api/v1/cases?per_page=201").status,
        422
    );
    assert_eq!(s.app.get(&s.director, "/api/v1/cases?page=0").status, 422);
    assert_eq!(
        s.app
            .get(&s.director, "/api/v1/cases?from=2026-02-30")
            .status,
        422
    );
    let day = s
        .app
        .get(&s.director, "/api/v1/cases?from=2026-03-02&to=2026-03-02");
    assert_eq!(day.body["total"], 4);
}

#[test]
fn a_lists_total_counts_exactly_the_cases_it_holds_as_they_move_through_the_workflow() {
    let s = setup();
    let mut body = s.app.case_body(s.enterprise);
    body["unit_id"] = json!(s.app.community);
    let in_community = s.app.post(&s.mediator, "/api/v1/cases", body);
    assert_eq!(in_community.status, 201, "{:?}", in_community.body);
    let ids: Vec<i64> = (0..5)
        .map(|_| {
            s.app.create_case(&s.mediator, s.enterprise)["id"]
                .as_i64()
                .unwrap()
        })
        .collect();
    mediating_case(&s);
    for id in &ids[..2] {
        assert_eq!(
            action(&s, &s.mediator, *id, "accept", json!({})).status,
            200
        );
    }
    let reason = json!({"reason": "不属于劳动争议"});
    assert_eq!(
        action(&s, &s.mediator, ids[2], "reject", reason).status,
        200
    );

    let statuses = [
        "",
        "received",
        "accepted",
        "rejected",
        "mediating",
        "resolved",
    ];
    let units = [
        String::new(),
        s.app.street.to_string(),
        s.app.community.to_string(),
    ];
    for status in statuses {
        for unit in &units {
            let mut path = "/api/v1/cases?per_page=200".to_string();
            if !status.is_empty() {
                path += &format!("&status={status}");
            }
            if !unit.is_empty() {
                path += &format!("&unit_id={unit}");
            }
            let list = s.app.get(&s.director, &path);
            assert_eq!(list.status, 200, "{path}: {:?}", list.body);
            let held = list.body["items"].as_array().unwrap().len();
            assert_eq!(list.body["total"], held, "{path}");
            // The same list with a date filter is counted case by case: the two agree.
            let counted = s.app.get(&s.director, &format!("{path}&from=2000-01-01"));
            assert_eq!(counted.body["total"], held, "{path}&from=2000-01-01");
        }
    }
    let all = s.app.get(&s.director, "/api/v1/cases").body["total"].clone();
    assert_eq!(all, 7);
}

#[test]
fn a_payment_is_dated_by_a_date_or_an_rfc3339_time_and_a_bad_date_says_what_is_expected() {
    let s = setup();
    let id = mediating_case(&s);
    let close = json!({"outcome": "agreement", "amount_agreed": "300", "payment_due": "2026-03-31T10:00:00+08:00"});
    let r = action(&s, &s.mediator, id, "close", close);
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["payment_due"], "2026-03-31");

    // 2026-03-01T20:00Z is 2026-03-02 04:00 in Beijing: the payment is dated by its local day.
    let r = action(
        &s,
        &s.mediator,
        id,
        "payments",
        json!({"amount": "100", "paid_at": "2026-03-01T20:00:00Z"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    let paid: Vec<&str> = r.body["payments"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["paid_at"].as_str().unwrap())
        .collect();
    assert_eq!(paid, ["2026-03-02"]);

    for bad in ["2026-03-02x", "2026/03/02", "yesterday"] {
        let r = action(
            &s,
            &s.mediator,
            id,
            "payments",
            json!({"amount": "100", "paid_at": bad}),
        );
        assert_eq!(r.status, 422, "{bad}: {:?}", r.body);
        let message = r.field_error("paid_at").unwrap_or_default();
        assert!(message.contains("2026-03-02"), "{bad}: {message}");
        assert!(!message.contains("input"), "a parser's words: {message}");
    }
    assert_eq!(
        case(&s, id)["amount_paid"],
        "100.00",
        "refusals pay nothing"
    );
}
