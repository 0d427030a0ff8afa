//! The case file's parties (issue 13): every applicant of a case with their particulars, masked
//! and logged as the first one is, and the respondent's particulars on its enterprise.

use crate::helpers::*;
use serde_json::{json, Value};

#[test]
fn an_enterprise_records_its_address_legal_representative_and_phone_and_a_blank_clears_one() {
    let app = spawn_app();
    let r = app.post(
        &app.admin_token,
        "/api/v1/enterprises",
        json!({"name": "宁波港湾物流有限公司", "unit_id": app.street,
               "address": "宁波市海曙区港湾路8号", "legal_representative": "陈港",
               "phone": "0574 8765 4321"}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["address"], "宁波市海曙区港湾路8号");
    assert_eq!(r.body["legal_representative"], "陈港");
    assert_eq!(r.body["phone"], "0574-87654321", "kept as the normal form");
    let id = r.body["id"].as_i64().unwrap();

    let bad = app.post(
        &app.admin_token,
        "/api/v1/enterprises",
        json!({"name": "宁波二号", "unit_id": app.street, "phone": "call me",
               "address": "港".repeat(201)}),
    );
    assert_eq!(bad.status, 422, "{:?}", bad.body);
    assert!(bad.body["error"]["fields"]["phone"].is_string());
    assert!(bad.body["error"]["fields"]["address"].is_string());

    let r = app.patch(
        &app.admin_token,
        &format!("/api/v1/enterprises/{id}"),
        json!({"version": r.body["version"], "address": "", "legal_representative": "陈湾"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["address"], Value::Null);
    assert_eq!(r.body["legal_representative"], "陈湾");
    assert_eq!(r.body["phone"], "0574-87654321", "not sent: unchanged");
}
