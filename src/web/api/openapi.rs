//! `GET /api/v1/openapi.json`: the OpenAPI 3 document of every route, built from one table so
//! that a test can hold it against the route tree.

use actix_web::HttpResponse;
use serde_json::{json, Map, Value};

/// (method, path, summary, request body schema, success status).
pub const OPERATIONS: &[(&str, &str, &str, Option<&str>, u16)] = &[
    ("get", "/healthz", "Liveness: the database is reachable and migrated", None, 200),
    ("get", "/api/v1/openapi.json", "This document", None, 200),
    ("post", "/api/v1/auth/login", "Sign in; answers a bearer token", Some("Login"), 200),
    ("post", "/api/v1/auth/logout", "Revoke the bearer token", None, 204),
    ("get", "/api/v1/me", "The signed-in user", None, 200),
    ("patch", "/api/v1/me", "Your own settings: the daily digest (mediators and directors)", Some("MySettings"), 200),
    ("get", "/api/v1/units", "Units in the caller's scope", None, 200),
    ("post", "/api/v1/units", "Create a unit (admin)", Some("UnitInput"), 201),
    ("get", "/api/v1/enterprises", "Enterprises (?q=&unit_id=&page=&per_page=)", None, 200),
    ("post", "/api/v1/enterprises", "Register an enterprise (admin)", Some("EnterpriseInput"), 201),
    ("get", "/api/v1/enterprises/{id}", "One enterprise", None, 200),
    ("patch", "/api/v1/enterprises/{id}", "Edit an enterprise (admin; needs version)", Some("EnterprisePatch"), 200),
    ("put", "/api/v1/enterprises/{id}/officer", "Designate the early-warning officer", Some("OfficerInput"), 200),
    ("get", "/api/v1/users", "Users in scope (?role=)", None, 200),
    ("post", "/api/v1/users", "Create a user (admin)", Some("UserInput"), 201),
    ("get", "/api/v1/users/{id}", "One user", None, 200),
    ("patch", "/api/v1/users/{id}", "Edit or deactivate a user (admin; needs version)", Some("UserPatch"), 200),
    ("get", "/api/v1/consultations", "Consultations (?from=&to=&unit_id=&page=&per_page=)", None, 200),
    ("post", "/api/v1/consultations", "Record a consultation", Some("ConsultationInput"), 201),
    ("get", "/api/v1/consultations/{id}", "One consultation", None, 200),
    ("get", "/api/v1/cases", "Cases, newest first (?status=&category=&channel=&enterprise_id=&mediator_id=&unit_id=&overdue=&from=&to=&q=&sort=received|deadline&page=&per_page=)", None, 200),
    ("post", "/api/v1/cases", "Register a petition", Some("CaseInput"), 201),
    ("get", "/api/v1/cases/{id}", "The case page: fields, timeline, sessions, payments, notes", None, 200),
    ("patch", "/api/v1/cases/{id}", "Edit a case's facts (needs version)", Some("CasePatch"), 200),
    ("post", "/api/v1/cases/{id}/notes", "Add a note (staff, or the enterprise's officer)", Some("NoteInput"), 201),
    ("post", "/api/v1/cases/{id}/accept", "received → accepted", Some("ActionInput"), 200),
    ("post", "/api/v1/cases/{id}/reject", "received → rejected (reason)", Some("ActionInput"), 200),
    ("post", "/api/v1/cases/{id}/assign", "accepted → mediating, or reassign (mediator_id, coordinator_id?)", Some("ActionInput"), 200),
    ("post", "/api/v1/cases/{id}/sessions", "Log a mediation session (held_at, location, attendees, notes)", Some("ActionInput"), 200),
    ("post", "/api/v1/cases/{id}/extend", "Extend once (days 1-15, reason)", Some("ActionInput"), 200),
    ("post", "/api/v1/cases/{id}/close", "mediating → resolved (agreement) or failed (referral, note)", Some("ActionInput"), 200),
    ("post", "/api/v1/cases/{id}/withdraw", "accepted or mediating → withdrawn (note)", Some("ActionInput"), 200),
    ("post", "/api/v1/cases/{id}/payments", "Record a payment on a resolved case (amount, paid_at)", Some("ActionInput"), 200),
    ("get", "/api/v1/warnings", "Warnings, newest first (?status=&level=&enterprise_id=&from=&to=&page=&per_page=)", None, 200),
    ("post", "/api/v1/warnings", "Report an early warning (an officer's enterprise is implied)", Some("WarningInput"), 201),
    ("get", "/api/v1/warnings/{id}", "One warning, with overdue and respond_by", None, 200),
    ("post", "/api/v1/warnings/{id}/acknowledge", "reported → acknowledged (staff)", Some("WarningNote"), 200),
    ("post", "/api/v1/warnings/{id}/defuse", "reported or acknowledged → defused (note)", Some("WarningNote"), 200),
    ("post", "/api/v1/warnings/{id}/escalate", "reported or acknowledged → escalated; answers the new case", Some("EscalateInput"), 201),
    ("post", "/api/v1/notifications/{id}/resend", "Queue a failed mail again, same row and Message-ID (admins)", None, 200),
    ("get", "/api/v1/notifications", "The outbox (?status=pending|sent|failed&page=&per_page=; admins and directors)", None, 200),
    ("get", "/api/v1/stats", "Statistics of [from, to) for a unit and all below it (?from=&to=&unit_id=; director, admin, viewer)", None, 200),
    ("get", "/api/v1/reports/monthly", "The monthly report (?month=YYYY-MM&unit_id=&format=json|csv|xlsx)", None, 200),
    ("get", "/api/v1/reports/yearly", "The yearly report with by_month and summary_zh (?year=YYYY&unit_id=&format=json|csv|xlsx)", None, 200),
    ("get", "/api/v1/ledger", "The ledger (台账) of cases received in [from, to), one row per case, ID numbers masked; every export is access-logged (?from=&to=&unit_id=&format=csv|xlsx; directors and admins)", None, 200),
];

fn string() -> Value {
    json!({"type": "string"})
}
fn integer() -> Value {
    json!({"type": "integer", "format": "int64"})
}
fn money() -> Value {
    json!({"type": "string", "pattern": "^[0-9]{1,10}(\\.[0-9]{1,2})?$", "description": "yuan, up to two decimals"})
}
fn object(required: &[&str], props: &[(&str, Value)]) -> Value {
    let properties: Map<String, Value> = props
        .iter()
        .map(|(k, v)| (k.to_string(), v.clone()))
        .collect();
    json!({"type": "object", "required": required, "properties": properties, "additionalProperties": false})
}

fn schemas() -> Value {
    let s = string;
    let i = integer;
    let mut all = json!({
        "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
            "code": {"type": "string", "enum": ["bad_request", "unauthorized", "forbidden", "not_found",
                "invalid_transition", "version_conflict", "duplicate", "validation", "too_many_requests",
                "idempotency_conflict", "method_not_allowed", "internal"]},
            "message": s(),
            "fields": {"type": "object", "additionalProperties": {"type": "string"}}}}}},
        "Login": object(&["username", "password"], &[("username", s()), ("password", s())]),
        "UnitInput": object(&["name", "kind"], &[("name", s()),
            ("kind", json!({"type": "string", "enum": ["district", "street", "community"]})), ("parent_id", i())]),
        "EnterpriseInput": object(&["name", "credit_code", "unit_id"], &[("name", s()), ("credit_code", s()),
            ("unit_id", i()), ("industry", s()), ("employee_count", i()), ("has_mediation_committee", json!({"type": "boolean"}))]),
        "EnterprisePatch": object(&["version"], &[("version", i()), ("name", s()), ("industry", s()),
            ("employee_count", i()), ("has_mediation_committee", json!({"type": "boolean"}))]),
        "OfficerInput": object(&["user_id"], &[("user_id", i())]),
        "UserInput": object(&["username", "email", "password", "role"], &[("username", s()), ("display_name", s()),
            ("email", s()), ("password", json!({"type": "string", "minLength": 10})),
            ("role", json!({"type": "string", "enum": ["admin", "director", "mediator", "officer", "viewer"]})),
            ("unit_id", i()), ("enterprise_id", i())]),
        "UserPatch": object(&["version"], &[("version", i()), ("display_name", s()), ("email", s()),
            ("password", s()), ("active", json!({"type": "boolean"}))]),
        "ConsultationInput": object(&["received_at", "channel", "topic", "workers", "summary"], &[
            ("received_at", json!({"type": "string", "format": "date-time"})), ("channel", s()), ("topic", s()),
            ("workers", i()), ("enterprise_id", i()), ("summary", s()), ("unit_id", i())]),
        "CaseInput": object(&["received_at", "channel", "category", "enterprise_id", "workers_involved", "amount_claimed", "description"], &[
            ("received_at", json!({"type": "string", "format": "date-time"})),
            ("channel", json!({"type": "string", "enum": ["visit", "phone", "letter", "online", "warning", "inspection", "other"]})),
            ("category", json!({"type": "string", "enum": ["wage_arrears", "contract", "social_insurance", "work_injury", "overtime_leave", "compensation", "other"]})),
            ("enterprise_id", i()), ("applicant_name", s()), ("applicant_phone", s()), ("applicant_id_number", s()),
            ("workers_involved", i()), ("amount_claimed", money()), ("description", s()), ("warning_id", i()), ("unit_id", i())]),
        "CasePatch": object(&["version"], &[("version", i()), ("description", s()), ("applicant_name", s()),
            ("applicant_phone", s()), ("applicant_id_number", s()), ("workers_involved", i()),
            ("amount_claimed", money()), ("category", s())]),
        "NoteInput": object(&["text"], &[("text", s())]),
        "WarningInput": object(&["level", "category", "workers_at_risk", "description"], &[("enterprise_id", i()),
            ("level", json!({"type": "string", "enum": ["yellow", "orange", "red"]})),
            ("category", json!({"type": "string", "enum": ["wage_arrears", "layoff_relocation", "social_insurance", "collective_grievance", "closure_absconding", "other"]})),
            ("workers_at_risk", i()), ("amount_at_risk", money()), ("description", s())]),
        "WarningNote": object(&[], &[("note", s())]),
        "EscalateInput": object(&[], &[("received_at", json!({"type": "string", "format": "date-time"})),
            ("category", json!({"type": "string", "enum": ["wage_arrears", "contract", "social_insurance", "work_injury", "overtime_leave", "compensation", "other"]})),
            ("applicant_name", s()), ("applicant_phone", s()), ("applicant_id_number", s()),
            ("workers_involved", i()), ("amount_claimed", money()), ("description", s()), ("unit_id", i())]),
        "ActionInput": object(&[], &[("at", json!({"type": "string", "format": "date-time"})), ("reason", s()),
            ("mediator_id", i()), ("coordinator_id", i()), ("held_at", json!({"type": "string", "format": "date-time"})),
            ("location", s()), ("attendees", s()), ("notes", s()), ("days", i()),
            ("outcome", json!({"type": "string", "enum": ["agreement", "failed"]})), ("amount_agreed", money()),
            ("agreement_no", s()), ("payment_due", json!({"type": "string", "format": "date"})),
            ("referral", json!({"type": "string", "enum": ["arbitration", "litigation", "inspection", "legal_aid", "other"]})),
            ("note", s()), ("amount", money()), ("paid_at", json!({"type": "string", "format": "date"}))]),
        "Rate": {"type": "object", "required": ["numerator", "denominator", "percent"], "properties": {
            "numerator": i(), "denominator": i(),
            "percent": {"type": "string", "nullable": true, "description": "one decimal, rounded half up; null when the denominator is 0"}}},
        "Levels": {"type": "object", "properties": {"total": i(), "yellow": i(), "orange": i(), "red": i()}},
        "Figures": {"type": "object", "properties": {
            "petitions_received": i(), "consultations": i(), "workers_involved": i(), "amount_involved": money(),
            "concluded": i(), "handling_rate": {"$ref": "#/components/schemas/Rate"}, "resolved": i(), "failed": i(),
            "success_rate": {"$ref": "#/components/schemas/Rate"}, "amount_agreed": money(), "amount_paid": money(),
            "closed_in_period": i(), "open_at_end": i(), "overdue_at_end": i(),
            "avg_days_to_close": {"type": "string", "nullable": true},
            "warnings_reported": {"$ref": "#/components/schemas/Levels"},
            "warnings_escalated": {"$ref": "#/components/schemas/Levels"},
            "warnings_defused": {"$ref": "#/components/schemas/Levels"}}},
        "Report": {"description": "The Figures at the top level, plus from, to, unit_id, unit_name, month or year, the breakdowns (each line: key, name and the Figures), and for a year summary_zh and by_month (twelve lines: month and the Figures)",
            "allOf": [{"$ref": "#/components/schemas/Figures"}, {"type": "object", "properties": {
                "from": {"type": "string", "format": "date"}, "to": {"type": "string", "format": "date"},
                "unit_id": {"type": "integer", "nullable": true}, "unit_name": {"type": "string", "nullable": true},
                "by_category": {"type": "array", "items": {"$ref": "#/components/schemas/Figures"}},
                "by_channel": {"type": "array", "items": {"$ref": "#/components/schemas/Figures"}},
                "by_unit": {"type": "array", "items": {"$ref": "#/components/schemas/Figures"}},
                "by_enterprise": {"type": "array", "items": {"$ref": "#/components/schemas/Figures"}},
                "by_mediator": {"type": "array", "items": {"$ref": "#/components/schemas/Figures"}},
                "summary_zh": s(),
                "by_month": {"type": "array", "items": {"$ref": "#/components/schemas/Figures"}}}}]},
    });
    // Past the macro's recursion limit as one literal.
    all["MySettings"] = object(
        &["daily_digest"],
        &[("daily_digest", json!({"type": "boolean"}))],
    );
    all
}

/// A query parameter: (name, schema type, required, format or enum, `|`-separated).
type Param = (&'static str, &'static str, bool, &'static str);

const PAGING: [Param; 2] = [
    ("page", "integer", false, ""),
    ("per_page", "integer", false, ""),
];

/// The query parameters of each GET route that takes some, so that a client (and schemathesis)
/// knows what it may send and what it must.
fn query_parameters(path: &str) -> Vec<Param> {
    let mut params: Vec<Param> = match path {
        "/api/v1/enterprises" => vec![
            ("q", "string", false, ""),
            ("unit_id", "integer", false, ""),
        ],
        "/api/v1/users" => vec![(
            "role",
            "string",
            false,
            "admin|director|mediator|officer|viewer",
        )],
        "/api/v1/consultations" => vec![
            ("from", "string", false, "date"),
            ("to", "string", false, "date"),
            ("unit_id", "integer", false, ""),
        ],
        "/api/v1/cases" => vec![
            (
                "status",
                "string",
                false,
                "received|accepted|mediating|resolved|failed|withdrawn|rejected",
            ),
            ("category", "string", false, ""),
            ("channel", "string", false, ""),
            ("enterprise_id", "integer", false, ""),
            ("mediator_id", "integer", false, ""),
            ("unit_id", "integer", false, ""),
            ("overdue", "boolean", false, ""),
            ("from", "string", false, "date"),
            ("to", "string", false, "date"),
            ("q", "string", false, ""),
            ("sort", "string", false, "received|deadline"),
        ],
        "/api/v1/warnings" => vec![
            (
                "status",
                "string",
                false,
                "reported|acknowledged|defused|escalated",
            ),
            ("level", "string", false, "red|orange|yellow"),
            ("enterprise_id", "integer", false, ""),
            ("from", "string", false, "date"),
            ("to", "string", false, "date"),
        ],
        "/api/v1/notifications" => vec![("status", "string", false, "pending|sent|failed")],
        "/api/v1/stats" => vec![
            ("from", "string", true, "date"),
            ("to", "string", true, "date"),
            ("unit_id", "integer", false, ""),
        ],
        "/api/v1/reports/monthly" => vec![
            ("month", "string", true, "YYYY-MM"),
            ("unit_id", "integer", false, ""),
            ("format", "string", false, "json|csv|xlsx"),
        ],
        "/api/v1/reports/yearly" => vec![
            ("year", "integer", true, ""),
            ("unit_id", "integer", false, ""),
            ("format", "string", false, "json|csv|xlsx"),
        ],
        "/api/v1/ledger" => vec![
            ("from", "string", true, "date"),
            ("to", "string", true, "date"),
            ("unit_id", "integer", false, ""),
            ("format", "string", false, "csv|xlsx"),
        ],
        _ => return Vec::new(),
    };
    if matches!(
        path,
        "/api/v1/enterprises"
            | "/api/v1/consultations"
            | "/api/v1/cases"
            | "/api/v1/warnings"
            | "/api/v1/notifications"
    ) {
        params.extend(PAGING);
    }
    params
}

fn query_parameter((name, kind, required, form): Param) -> Value {
    let mut schema = json!({"type": kind});
    match form {
        "" => {}
        "date" => schema["format"] = json!("date"),
        "YYYY-MM" => schema["pattern"] = json!("^[0-9]{4}-[0-9]{2}$"),
        values => schema["enum"] = json!(values.split('|').collect::<Vec<_>>()),
    }
    json!({"name": name, "in": "query", "required": required, "schema": schema})
}

/// The routes that create a record and take an `Idempotency-Key` (API.md, Safe retries).
fn takes_idempotency_key(method: &str, path: &str) -> bool {
    method == "post"
        && matches!(
            path,
            "/api/v1/cases"
                | "/api/v1/consultations"
                | "/api/v1/warnings"
                | "/api/v1/warnings/{id}/escalate"
                | "/api/v1/cases/{id}/payments"
        )
}

/// The methods the document lists for a concrete `path` (`/api/v1/cases/12`), upper-case; empty
/// when no route has that shape. A `{id}` segment matches digits only, as the routes' own ids.
pub fn methods_of(path: &str) -> Vec<String> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    let fits = |pattern: &str| {
        let parts: Vec<&str> = pattern.split('/').collect();
        parts.len() == segments.len()
            && parts.iter().zip(&segments).all(|(p, s)| match *p {
                "{id}" => !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()),
                p => p == *s,
            })
    };
    let mut methods: Vec<String> = OPERATIONS
        .iter()
        .filter(|(_, pattern, ..)| fits(pattern))
        .map(|(method, ..)| method.to_ascii_uppercase())
        .collect();
    methods.dedup();
    methods
}

pub fn build() -> Value {
    let mut paths = Map::new();
    for (method, path, summary, body, status) in OPERATIONS {
        let mut op = json!({
            "summary": summary,
            "responses": {
                status.to_string(): {"description": "success"},
                "default": {"description": "error", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
            }
        });
        if !path.starts_with("/healthz")
            && !path.ends_with("openapi.json")
            && !path.ends_with("/login")
        {
            op["security"] = json!([{"bearer": []}]);
        }
        if let Some(body) = body {
            op["requestBody"] = json!({"required": true, "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{body}")}}}});
        }
        let mut parameters = Vec::new();
        if path.contains("{id}") {
            parameters
                .push(json!({"name": "id", "in": "path", "required": true, "schema": integer()}));
        }
        if *method == "get" {
            parameters.extend(query_parameters(path).into_iter().map(query_parameter));
        }
        if takes_idempotency_key(method, path) {
            parameters.push(json!({"name": "Idempotency-Key", "in": "header", "required": false,
                "description": "retry safely: the same key within 24 hours answers the first result",
                "schema": {"type": "string", "minLength": 1, "maxLength": 100}}));
        }
        if !parameters.is_empty() {
            op["parameters"] = Value::Array(parameters);
        }
        let entry = paths
            .entry(path.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        entry[*method] = op;
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "tiaojie", "version": env!("CARGO_PKG_VERSION"),
                 "description": "Labor-dispute mediation case tracker: the JSON API v1"},
        "paths": paths,
        "components": {
            "schemas": schemas(),
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}}
        }
    })
}

pub async fn document() -> HttpResponse {
    HttpResponse::Ok().json(build())
}
