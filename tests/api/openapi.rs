//! The OpenAPI document against the API as it answers: the document is valid OpenAPI 3.0, and
//! every success body a client meets on a walk through the API has the shape it describes.

use crate::helpers::*;
use serde_json::{json, Value};

/// What is wrong with `value` against `schema`, one line per place. The subset of OpenAPI's
/// schemas the document uses: `$ref`, `allOf`, `type`, `nullable`, `enum`, `properties`,
/// `required`, `additionalProperties: false` and `items`.
fn mismatches(doc: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    if let Some(name) = schema["$ref"].as_str() {
        let name = name.trim_start_matches("#/components/schemas/");
        let target = &doc["components"]["schemas"][name];
        if target.is_null() {
            out.push(format!("{at}: the document has no schema {name}"));
        }
        return mismatches(doc, target, value, at, out);
    }
    if value.is_null() {
        if schema["nullable"] != true && schema.as_object().is_some_and(|s| !s.is_empty()) {
            out.push(format!("{at}: null, which the document does not allow"));
        }
        return;
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        mismatches(doc, part, value, at, out);
    }
    let fits = match schema["type"].as_str() {
        None => true,
        Some("object") => value.is_object(),
        Some("array") => value.is_array(),
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some(other) => {
            out.push(format!(
                "{at}: the document's type {other} is not OpenAPI's"
            ));
            return;
        }
    };
    if !fits {
        out.push(format!("{at}: {value} is not {}", schema["type"]));
        return;
    }
    if let Some(values) = schema["enum"].as_array() {
        if !values.contains(value) {
            out.push(format!("{at}: {value} is not one of {values:?}"));
        }
    }
    if let Some(fields) = value.as_object() {
        for name in schema["required"].as_array().into_iter().flatten() {
            if !fields.contains_key(name.as_str().unwrap_or_default()) {
                out.push(format!("{at}: the answer lacks {name}"));
            }
        }
        if let Some(props) = schema["properties"].as_object() {
            for (name, v) in fields {
                match props.get(name) {
                    Some(s) => mismatches(doc, s, v, &format!("{at}.{name}"), out),
                    None if schema["additionalProperties"] == false => {
                        out.push(format!("{at}.{name}: the document does not describe it"));
                    }
                    None => {}
                }
            }
        }
    }
    if let Some(items) = value.as_array() {
        for (i, v) in items.iter().enumerate() {
            mismatches(doc, &schema["items"], v, &format!("{at}[{i}]"), out);
        }
    }
}

/// Checks one answer against the document's operation `method pattern`: its status is the
/// documented success and its body has the documented shape. Answers the body.
fn holds(doc: &Value, method: &str, pattern: &str, r: Response, out: &mut Vec<String>) -> Value {
    let responses = &doc["paths"][pattern][method]["responses"];
    let Some((status, answer)) = responses
        .as_object()
        .and_then(|m| m.iter().find(|(k, _)| k.starts_with('2')))
    else {
        out.push(format!("{method} {pattern}: not in the document"));
        return r.body;
    };
    if status != &r.status.to_string() {
        out.push(format!(
            "{method} {pattern}: {} {:?}, documented {status}",
            r.status, r.body
        ));
        return r.body;
    }
    let schema = &answer["content"]["application/json"]["schema"];
    if r.status != 204 {
        if schema.is_null() {
            out.push(format!("{method} {pattern}: its body is not described"));
        }
        mismatches(doc, schema, &r.body, &format!("{method} {pattern}"), out);
    }
    r.body
}

#[test]
fn every_success_body_of_a_walk_through_the_api_has_the_shape_the_document_describes() {
    let app = spawn_app();
    let doc = app.get_anonymous("/api/v1/openapi.json").body;
    let admin = app.admin_token.clone();
    let mut out = Vec::new();
    let o = &mut out;
    let d = &doc;

    holds(d, "get", "/healthz", app.get_anonymous("/healthz"), o);
    let director_id = app.named_user("walkdirector", "张主任", "director", app.street, None);
    let login = app.try_login("walkdirector", PASSWORD);
    let director = login.body["token"].as_str().unwrap_or_default().to_string();
    holds(d, "post", "/api/v1/auth/login", login, o);
    holds(d, "get", "/api/v1/me", app.get(&director, "/api/v1/me"), o);

    holds(
        d,
        "get",
        "/api/v1/units",
        app.get(&admin, "/api/v1/units"),
        o,
    );
    let unit = json!({"name": "新社区", "kind": "community", "parent_id": app.street});
    holds(
        d,
        "post",
        "/api/v1/units",
        app.post(&admin, "/api/v1/units", unit),
        o,
    );

    let enterprise = app.enterprise(app.street);
    let e = format!("/api/v1/enterprises/{enterprise}");
    holds(
        d,
        "get",
        "/api/v1/enterprises",
        app.get(&admin, "/api/v1/enterprises"),
        o,
    );
    let version =
        holds(d, "get", "/api/v1/enterprises/{id}", app.get(&admin, &e), o)["version"].clone();
    let patch = json!({"version": version, "industry": "制造业"});
    holds(
        d,
        "patch",
        "/api/v1/enterprises/{id}",
        app.patch(&admin, &e, patch),
        o,
    );
    let (officer_id, officer) = app.user("officer", app.street, Some(enterprise));
    let put = app.put(
        &admin,
        &format!("{e}/officer"),
        json!({"user_id": officer_id}),
    );
    holds(d, "put", "/api/v1/enterprises/{id}/officer", put, o);

    holds(
        d,
        "get",
        "/api/v1/users",
        app.get(&admin, "/api/v1/users"),
        o,
    );
    let u = format!("/api/v1/users/{director_id}");
    let version = holds(d, "get", "/api/v1/users/{id}", app.get(&admin, &u), o)["version"].clone();
    let patch = json!({"version": version, "display_name": "张主任（新）"});
    holds(
        d,
        "patch",
        "/api/v1/users/{id}",
        app.patch(&admin, &u, patch),
        o,
    );
    let (mediator_id, mediator) = app.user("mediator", app.street, None);

    let consultation = json!({"received_at": "2026-03-02T08:30:00+08:00", "channel": "phone",
        "topic": "wage_arrears", "workers": 2, "enterprise_id": enterprise, "summary": "咨询欠薪"});
    let r = app.post(&mediator, "/api/v1/consultations", consultation);
    let c = holds(d, "post", "/api/v1/consultations", r, o)["id"].clone();
    holds(
        d,
        "get",
        "/api/v1/consultations",
        app.get(&mediator, "/api/v1/consultations"),
        o,
    );
    let r = app.get(&mediator, &format!("/api/v1/consultations/{c}"));
    holds(d, "get", "/api/v1/consultations/{id}", r, o);

    let r = app.post(&mediator, "/api/v1/cases", app.case_body(enterprise));
    let id = holds(d, "post", "/api/v1/cases", r, o)["id"]
        .as_i64()
        .unwrap_or_default();
    let case = format!("/api/v1/cases/{id}");
    holds(
        d,
        "get",
        "/api/v1/cases",
        app.get(&director, "/api/v1/cases"),
        o,
    );
    let version =
        holds(d, "get", "/api/v1/cases/{id}", app.get(&director, &case), o)["version"].clone();
    let patch = json!({"version": version, "description": "拖欠四个月工资"});
    holds(
        d,
        "patch",
        "/api/v1/cases/{id}",
        app.patch(&mediator, &case, patch),
        o,
    );
    let note = app.post(
        &officer,
        &format!("{case}/notes"),
        json!({"text": "企业已知悉"}),
    );
    holds(d, "post", "/api/v1/cases/{id}/notes", note, o);
    let steps = [
        (&director, "accept", json!({})),
        (&director, "assign", json!({"mediator_id": mediator_id})),
        (
            &mediator,
            "sessions",
            json!({"held_at": "2026-03-02T08:50:00+08:00", "location": "调解室", "attendees": "双方", "notes": "首次调解"}),
        ),
        (
            &director,
            "extend",
            json!({"days": 5, "reason": "等待材料"}),
        ),
        (
            &mediator,
            "close",
            json!({"outcome": "agreement", "amount_agreed": "300", "payment_due": "2026-03-31"}),
        ),
        (
            &mediator,
            "payments",
            json!({"amount": "100", "paid_at": "2026-03-02"}),
        ),
    ];
    for (token, step, body) in steps {
        let r = app.post(token, &format!("{case}/{step}"), body);
        holds(d, "post", &format!("/api/v1/cases/{{id}}/{step}"), r, o);
    }
    // An agreement with terms (issue 14): closed, paid against an instalment, an obligation done.
    let r = app.post(&mediator, "/api/v1/cases", app.case_body(enterprise));
    let termed = r.body["id"].as_i64().unwrap_or_default();
    for (token, step, body) in [
        (&director, "accept", json!({})),
        (&director, "assign", json!({"mediator_id": mediator_id})),
        (
            &mediator,
            "close",
            json!({"outcome": "agreement", "terms": [
                {"kind": "payment", "amount": "300", "due": "2026-03-31"},
                {"kind": "obligation", "text": "出具离职证明"}]}),
        ),
    ] {
        let r = app.post(token, &format!("/api/v1/cases/{termed}/{step}"), body);
        holds(d, "post", &format!("/api/v1/cases/{{id}}/{step}"), r, o);
    }
    let terms = app.get(&mediator, &format!("/api/v1/cases/{termed}")).body["terms"].clone();
    let r = app.post(
        &mediator,
        &format!("/api/v1/cases/{termed}/payments"),
        json!({"amount": "100", "paid_at": "2026-03-02", "term_id": terms[0]["id"]}),
    );
    holds(d, "post", "/api/v1/cases/{id}/payments", r, o);
    let r = app.post(
        &mediator,
        &format!("/api/v1/cases/{termed}/terms/{}/performed", terms[1]["id"]),
        json!({"note": "已交付"}),
    );
    holds(
        d,
        "post",
        "/api/v1/cases/{id}/terms/{term_id}/performed",
        r,
        o,
    );
    // After closing (issue 14): a follow-up, a waiver, archiving one case and several.
    let r = app.post(
        &mediator,
        &format!("/api/v1/cases/{termed}/follow-ups"),
        json!({"on": "2026-03-02", "method": "phone", "satisfaction": "satisfied", "notes": "已回访"}),
    );
    holds(d, "post", "/api/v1/cases/{id}/follow-ups", r, o);
    let r = app.post(
        &director,
        &format!("{case}/follow-ups/waive"),
        json!({"reason": "申请人已联系不上"}),
    );
    holds(d, "post", "/api/v1/cases/{id}/follow-ups/waive", r, o);
    let r = app.post(
        &director,
        &format!("/api/v1/cases/{termed}/archive"),
        json!({}),
    );
    holds(d, "post", "/api/v1/cases/{id}/archive", r, o);
    let r = app.post(
        &director,
        "/api/v1/cases/archive",
        json!({"ids": [id, termed, 999_999]}),
    );
    holds(d, "post", "/api/v1/cases/archive", r, o);

    let warning = json!({"level": "orange", "category": "wage_arrears", "workers_at_risk": 20,
        "amount_at_risk": "80000", "description": "两个月未发工资"});
    let w = holds(
        d,
        "post",
        "/api/v1/warnings",
        app.post(&officer, "/api/v1/warnings", warning.clone()),
        o,
    )["id"]
        .clone();
    holds(
        d,
        "get",
        "/api/v1/warnings",
        app.get(&director, "/api/v1/warnings"),
        o,
    );
    holds(
        d,
        "get",
        "/api/v1/warnings/{id}",
        app.get(&director, &format!("/api/v1/warnings/{w}")),
        o,
    );
    let r = app.post(
        &director,
        &format!("/api/v1/warnings/{w}/acknowledge"),
        json!({}),
    );
    holds(d, "post", "/api/v1/warnings/{id}/acknowledge", r, o);
    let r = app.post(
        &director,
        &format!("/api/v1/warnings/{w}/escalate"),
        json!({}),
    );
    holds(d, "post", "/api/v1/warnings/{id}/escalate", r, o);
    let w2 = app.post(&officer, "/api/v1/warnings", warning).body["id"].clone();
    let r = app.post(
        &director,
        &format!("/api/v1/warnings/{w2}/defuse"),
        json!({"note": "已发放"}),
    );
    holds(d, "post", "/api/v1/warnings/{id}/defuse", r, o);

    holds(
        d,
        "get",
        "/api/v1/notifications",
        app.get(&admin, "/api/v1/notifications"),
        o,
    );
    let r = app.get(&director, "/api/v1/stats?from=2026-03-01&to=2026-04-01");
    holds(d, "get", "/api/v1/stats", r, o);
    let r = app.get(&director, "/api/v1/reports/monthly?month=2026-03");
    holds(d, "get", "/api/v1/reports/monthly", r, o);
    let r = app.get(&director, "/api/v1/reports/yearly?year=2026");
    holds(d, "get", "/api/v1/reports/yearly", r, o);
    let r = app.post(&director, "/api/v1/auth/logout", json!({}));
    holds(d, "post", "/api/v1/auth/logout", r, o);

    assert!(
        out.is_empty(),
        "the document and the answers differ:\n{}",
        out.join("\n")
    );
}

#[test]
fn every_operation_describes_its_success_body() {
    let app = spawn_app();
    let doc = app.get_anonymous("/api/v1/openapi.json").body;
    let mut undescribed = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, op) in item.as_object().unwrap() {
            let responses = op["responses"].as_object().unwrap();
            let (status, answer) = responses.iter().find(|(k, _)| k.starts_with('2')).unwrap();
            if status != "204" && answer["content"].as_object().is_none_or(|c| c.is_empty()) {
                undescribed.push(format!("{method} {path}"));
            }
        }
    }
    assert!(undescribed.is_empty(), "no body described: {undescribed:?}");
    let schemas = doc["components"]["schemas"].as_object().unwrap();
    let empty: Vec<&String> = schemas
        .iter()
        .filter(|(_, s)| s["required"].as_array().is_some_and(|r| r.is_empty()))
        .map(|(name, _)| name)
        .collect();
    assert!(
        empty.is_empty(),
        "\"required\": [] is not valid OpenAPI 3.0: {empty:?}"
    );
}

#[test]
fn the_document_passes_openapi_spec_validator() {
    let probe = std::process::Command::new("python3")
        .args(["-c", "import openapi_spec_validator"])
        .status();
    if !probe.is_ok_and(|s| s.success()) {
        skipped("openapi-spec-validator is not installed (pip install openapi-spec-validator; .ci/run does)");
        return;
    }
    let app = spawn_app();
    let doc = app.get_anonymous("/api/v1/openapi.json").body;
    let path = std::env::temp_dir().join(format!("tiaojie-openapi-{}.json", unique()));
    std::fs::write(&path, serde_json::to_vec(&doc).unwrap()).unwrap();
    let run = std::process::Command::new("python3")
        .args(["-m", "openapi_spec_validator"])
        .arg(&path)
        .output()
        .unwrap();
    let _ = std::fs::remove_file(&path);
    assert!(
        run.status.success(),
        "{}{}",
        String::from_utf8_lossy(&run.stdout),
        String::from_utf8_lossy(&run.stderr)
    );
}
