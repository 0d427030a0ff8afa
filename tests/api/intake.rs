use crate::helpers::*;
use serde_json::{json, Value};
use std::collections::HashSet;

#[test]
fn a_valid_intake_answers_201_with_its_number_clocks_and_collective_flag() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, mediator) = app.user("mediator", app.street, None);

    let case = app.create_case(&mediator, enterprise);

    assert_eq!(case["case_no"], "TJ-2026-00001");
    assert_eq!(case["status"], "received");
    assert_eq!(case["unit_id"], app.street);
    assert_eq!(case["collective"], true);
    assert_eq!(case["amount_claimed"], "45000.50");
    assert_eq!(case["accept_by"], "2026-03-05");
    assert_eq!(case["deadline"], "2026-03-17");
    assert_eq!(case["version"], 1);
    assert_eq!(case["events"][0]["action"], "intake");
    assert_eq!(case["events"][0]["at"], "2026-03-02T08:00:00+08:00");
    // A mediator sees the ID number masked, even on the case page.
    assert_eq!(case["applicant_id_number"], "110105********002X");
}

#[test]
fn fewer_than_ten_workers_is_not_collective() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let mut body = app.case_body(enterprise);
    body["workers_involved"] = json!(9);
    body["unit_id"] = json!(app.street);
    let r = app.post(&app.admin_token, "/api/v1/cases", body);
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["collective"], false);
}

#[test]
fn bad_values_answer_422_naming_every_field_and_write_nothing() {
    let app = spawn_app();
    let (_, mediator) = app.user("mediator", app.street, None);
    let body = json!({
        "received_at": "2026-03-03T08:00:00+08:00",
        "channel": "fax",
        "category": "wage_arrears",
        "enterprise_id": 999_999,
        "applicant_name": "",
        "applicant_phone": "12345",
        "applicant_id_number": "110105194912310021",
        "workers_involved": 0,
        "amount_claimed": "-5",
        "description": "bad\u{0}value"
    });

    let r = app.post(&mediator, "/api/v1/cases", body);

    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(r.code(), "validation");
    for field in [
        "received_at",
        "channel",
        "enterprise_id",
        "applicant_name",
        "applicant_phone",
        "applicant_id_number",
        "workers_involved",
        "amount_claimed",
        "description",
    ] {
        assert!(
            r.field_error(field).is_some(),
            "{field} not named in {:?}",
            r.body
        );
    }
    let list = app.get(&mediator, "/api/v1/cases");
    assert_eq!(list.body["total"], 0);
}

#[test]
fn malformed_json_and_wrong_types_are_400() {
    let app = spawn_app();
    let r = app.post_raw(&app.admin_token, "/api/v1/cases", "{\"received_at\": ");
    assert_eq!(r.status, 400);
    assert_eq!(r.code(), "bad_request");
    let enterprise = app.enterprise(app.street);
    let mut body = app.case_body(enterprise);
    body["workers_involved"] = json!("twelve");
    let r = app.post(&app.admin_token, "/api/v1/cases", body);
    assert_eq!(r.status, 400);
}

#[test]
fn a_body_of_the_wrong_shape_names_the_field_and_what_it_expects() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let post = |change: &dyn Fn(&mut Value)| {
        let mut body = app.case_body(enterprise);
        change(&mut body);
        app.post(&app.admin_token, "/api/v1/cases", body)
    };
    let cases = [
        (
            "workers_involved",
            post(&|b| b["workers_involved"] = json!("twelve")),
            "must be a whole number",
        ),
        (
            "description",
            post(&|b| {
                b.as_object_mut().unwrap().remove("description");
            }),
            "is required",
        ),
        (
            "enterprise_id",
            post(&|b| b["enterprise_id"] = json!(true)),
            "must be a whole number",
        ),
        (
            "status",
            post(&|b| b["status"] = json!("resolved")),
            "is not a field of this request",
        ),
    ];
    for (field, r, expected) in cases {
        assert_eq!(r.status, 400, "{field}: {:?}", r.body);
        assert_eq!(r.code(), "bad_request");
        let said = r
            .field_error(field)
            .unwrap_or_else(|| panic!("{field}: {:?}", r.body));
        assert!(said.starts_with(expected), "{field}: {said}");
        let message = r.body["error"]["message"].as_str().unwrap();
        assert!(
            !message.contains("line") && !message.contains("column"),
            "{message}"
        );
    }
    // An unknown code of a vocabulary is a value the contract checks: 422 with the codes it takes.
    let r = post(&|b| b["category"] = json!("theft"));
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(r.field_error("category").unwrap().contains("wage_arrears"));
    let list = app.get(&app.admin_token, "/api/v1/cases");
    assert_eq!(list.body["total"], 0, "no shape error wrote a case");
}

#[test]
fn money_takes_zero_to_two_decimals_and_refuses_three() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, mediator) = app.user("mediator", app.street, None);
    for (sent, shown) in [
        ("45000", "45000.00"),
        ("0.5", "0.50"),
        ("10700000.00", "10700000.00"),
    ] {
        let mut body = app.case_body(enterprise);
        body["amount_claimed"] = json!(sent);
        let r = app.post(&mediator, "/api/v1/cases", body);
        assert_eq!(r.status, 201);
        assert_eq!(r.body["amount_claimed"], shown);
    }
    let mut body = app.case_body(enterprise);
    body["amount_claimed"] = json!("1.005");
    let r = app.post(&mediator, "/api/v1/cases", body);
    assert_eq!(r.status, 422);
    assert!(r.field_error("amount_claimed").is_some());
}

#[test]
fn a_petition_from_an_enterprise_registered_in_another_street_is_accepted() {
    let app = spawn_app();
    let elsewhere = app.enterprise(app.other_street);
    let (_, mediator) = app.user("mediator", app.street, None);
    let case = app.create_case(&mediator, elsewhere);
    assert_eq!(case["unit_id"], app.street);
    assert_eq!(case["enterprise_id"], elsewhere);
}

#[test]
fn fifty_parallel_intakes_all_succeed_with_distinct_numbers() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, mediator) = app.user("mediator", app.street, None);
    let numbers: Vec<String> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..50)
            .map(|_| {
                s.spawn(|| {
                    let r = app.post(&mediator, "/api/v1/cases", app.case_body(enterprise));
                    assert_eq!(r.status, 201, "{:?}", r.body);
                    r.body["case_no"].as_str().unwrap().to_string()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    });
    let distinct: HashSet<_> = numbers.iter().collect();
    assert_eq!(distinct.len(), 50);
    let expected: HashSet<String> = (1..=50).map(|n| format!("TJ-2026-{n:05}")).collect();
    assert_eq!(distinct, expected.iter().collect());
    assert_eq!(app.get(&mediator, "/api/v1/cases").body["total"], 50);
}

#[test]
fn text_longer_than_its_limit_is_refused() {
    let app = spawn_app();
    let enterprise = app.enterprise(app.street);
    let (_, mediator) = app.user("mediator", app.street, None);
    let mut body = app.case_body(enterprise);
    body["applicant_name"] = json!("王".repeat(101));
    body["description"] = json!("长".repeat(10_001));
    let r = app.post(&mediator, "/api/v1/cases", body);
    assert_eq!(r.status, 422);
    assert!(r.field_error("applicant_name").is_some());
    assert!(r.field_error("description").is_some());
}

#[test]
fn each_refused_field_carries_its_stable_code_beside_its_english_text() {
    let app = spawn_app();
    let (_, mediator) = app.user("mediator", app.street, None);
    let enterprise = app.enterprise(app.street);
    let mut body = app.case_body(enterprise);
    body["channel"] = json!("fax");
    body["workers_involved"] = json!(0);
    body["amount_claimed"] = json!("1.234");
    body["description"] = json!("x".repeat(10_001));
    let r = app.post(&mediator, "/api/v1/cases", body);
    assert_eq!(r.status, 422, "{:?}", r.body);
    let error = &r.body["error"];
    assert_eq!(
        error["field_codes"],
        json!({"channel": "one_of", "workers_involved": "between",
               "amount_claimed": "amount_format", "description": "too_long"})
    );
    assert_eq!(
        error["fields"]["workers_involved"],
        "must be between 1 and 1000000"
    );
    assert_eq!(
        error["fields"]["description"],
        "must be at most 10000 characters"
    );
    // A wrong shape (400) names its codes too.
    let mut body = app.case_body(enterprise);
    body["workers_involved"] = json!("twelve");
    let r = app.post(&mediator, "/api/v1/cases", body);
    assert_eq!(r.status, 400, "{:?}", r.body);
    assert_eq!(
        r.body["error"]["field_codes"],
        json!({"workers_involved": "not_a_whole_number"})
    );
}
