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
    ("patch", "/api/v1/units/{id}", "Set a unit's arbitration commission and the letterhead of its documents (admin; an empty field clears it)", Some("UnitPatch"), 200),
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
    ("get", "/api/v1/cases", "Cases, newest first (?status=&category=&channel=&enterprise_id=&enterprise=&mediator_id=&unit_id=&overdue=&from=&to=&q=&due_by=&idle_days=&follow_up_due=&sort=received|deadline&page=&per_page=)", None, 200),
    ("post", "/api/v1/cases", "Register a petition", Some("CaseInput"), 201),
    ("get", "/api/v1/cases/{id}/documents", "The case file's documents, each available when the case has it now", None, 200),
    ("get", "/api/v1/cases/{id}/documents/{kind}", "A document of the case as its print page (?format=html) or as .docx (?format=docx; a session record of ?session_id=, or of the last session); 409 when the case does not have it", None, 200),
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
    ("post", "/api/v1/cases/{id}/payments", "Record a payment on a resolved case (amount, paid_at, term_id?: the instalment it pays; without, it pays the earliest due instalments still owing)", Some("ActionInput"), 200),
    ("post", "/api/v1/cases/{id}/terms/{term_id}/performed", "Record an obligation of the agreement performed (at?, note?)", Some("PerformInput"), 200),
    ("post", "/api/v1/cases/{id}/confirmation", "Record the parties' application for judicial confirmation (within 30 days of the agreement taking effect)", Some("ConfirmationInput"), 200),
    ("post", "/api/v1/cases/{id}/confirmation/intent", "Record whether the parties intend to apply for judicial confirmation (reminded 5 days before the window closes)", Some("ConfirmationIntent"), 200),
    ("post", "/api/v1/cases/{id}/confirmation/ruling", "Record the court's ruling on the application (confirmed or refused)", Some("ConfirmationRuling"), 200),
    ("post", "/api/v1/cases/{id}/follow-ups", "Record a follow-up (回访) of a closed case (on, method, satisfaction, notes?; directors, admins, the case's mediator)", Some("FollowUpInput"), 201),
    ("post", "/api/v1/cases/{id}/follow-ups/waive", "Waive a closed case's follow-up, with the reason (none made yet)", Some("WaiveInput"), 200),
    ("post", "/api/v1/cases/{id}/archive", "Archive a closed case whose follow-up was made or waived; answers its archive_no. An archived case is read-only: 409 archived (directors, admins)", None, 200),
    ("post", "/api/v1/cases/archive", "Archive several cases, each on its own: per-id results, each refusal with its code (directors, admins)", Some("ArchiveManyInput"), 200),
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
    ("post", "/api/v1/cases/{id}/evidence", "Attach a file (multipart: file, title, provided_by, received_on?, internal?); type judged from the content", Some("EvidenceUpload"), 201),
    ("get", "/api/v1/cases/{id}/evidence", "The case's evidence (officers: without internal items)", None, 200),
    ("post", "/api/v1/warnings/{id}/evidence", "Attach a photo to a warning (multipart, as for a case)", Some("EvidenceUpload"), 201),
    ("get", "/api/v1/warnings/{id}/evidence", "The warning's photos and files", None, 200),
    ("get", "/api/v1/evidence/{id}/file", "The file, as an attachment with its sniffed type; the download is access-logged", None, 200),
    ("post", "/api/v1/evidence/{id}/remove", "Mark removed with a reason (stays listed, removed: true; the file stays)", Some("EvidenceRemove"), 200),
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
    let mut schema =
        json!({"type": "object", "properties": properties, "additionalProperties": false});
    if !required.is_empty() {
        schema["required"] = json!(required);
    }
    schema
}

/// A response body: an object whose every property is always present (a `?` after its type
/// makes it nullable). Types: `i` integer, `s` string, `b` boolean, `money`, `date`, `time`,
/// `[X]` a list of schema X, `X` schema X, `{}` any object, `[s]` a list of strings.
fn answer(props: &[(&str, &str)]) -> Value {
    let properties: Map<String, Value> = props
        .iter()
        .map(|(k, t)| (k.to_string(), typed(t)))
        .collect();
    let required: Vec<&str> = props.iter().map(|(k, _)| *k).collect();
    json!({"type": "object", "required": required, "properties": properties, "additionalProperties": false})
}

fn typed(t: &str) -> Value {
    let (t, nullable) = match t.strip_suffix('?') {
        Some(t) => (t, true),
        None => (t, false),
    };
    let mut v = match t {
        "i" => integer(),
        "s" => string(),
        "b" => json!({"type": "boolean"}),
        "money" => money(),
        "date" => json!({"type": "string", "format": "date"}),
        "time" => json!({"type": "string", "format": "date-time"}),
        "{}" => json!({"type": "object"}),
        "any" => json!({}),
        list if list.starts_with('[') => {
            json!({"type": "array", "items": typed(list.trim_start_matches('[').trim_end_matches(']'))})
        }
        name => json!({"$ref": format!("#/components/schemas/{name}")}),
    };
    if nullable {
        if v.get("$ref").is_some() {
            v = json!({"allOf": [v], "nullable": true});
        } else {
            v["nullable"] = json!(true);
        }
    }
    v
}

/// A page of a list: `{"items","total","page","per_page"}`.
fn list_of(item: &str) -> Value {
    answer(&[
        ("items", &format!("[{item}]")),
        ("total", "i"),
        ("page", "i"),
        ("per_page", "i"),
    ])
}

/// The figures of a report, as the top of a report and every line of a breakdown carry them.
const FIGURES: &[(&str, &str)] = &[
    ("petitions_received", "i"),
    ("consultations", "i"),
    ("workers_involved", "i"),
    ("amount_involved", "money"),
    ("concluded", "i"),
    ("handling_rate", "Rate"),
    ("resolved", "i"),
    ("failed", "i"),
    ("success_rate", "Rate"),
    ("amount_agreed", "money"),
    ("amount_paid", "money"),
    ("closed_in_period", "i"),
    ("open_at_end", "i"),
    ("overdue_at_end", "i"),
    ("avg_days_to_close", "s?"),
    ("warnings_reported", "Levels"),
    ("warnings_escalated", "Levels"),
    ("warnings_defused", "Levels"),
    ("agreements_performed", "i"),
    ("agreements_overdue", "i"),
    ("follow_ups", "Satisfaction"),
];

/// `/stats` and the reports: a monthly report adds `month`, a yearly one `year`, `summary_zh`
/// and `by_month`.
fn report() -> Value {
    let mut r = with_figures(&[
        ("from", "date"),
        ("to", "date"),
        ("unit_id", "i?"),
        ("unit_name", "s?"),
        ("by_category", "[Line]"),
        ("by_channel", "[Line]"),
        ("by_unit", "[Line]"),
        ("by_enterprise", "[Line]"),
        ("by_mediator", "[Line]"),
    ]);
    for (k, t) in [
        ("month", "s"),
        ("year", "i"),
        ("summary_zh", "s"),
        ("by_month", "[MonthLine]"),
    ] {
        r["properties"][k] = typed(t);
    }
    r["description"] = json!("The figures of [from, to) at the top level and the breakdowns, each line with key, name and its figures; a monthly report adds month, a yearly one year, summary_zh and by_month (twelve lines)");
    r
}

fn with_figures(props: &[(&str, &str)]) -> Value {
    let all: Vec<(&str, &str)> = props.iter().chain(FIGURES).copied().collect();
    answer(&all)
}

/// Every problem code a field of an error may carry (`error.field_codes`).
fn problem_codes() -> Vec<&'static str> {
    crate::domain::problem::Code::ALL
        .iter()
        .map(|c| c.as_str())
        .collect()
}

fn schemas() -> Value {
    let s = string;
    let i = integer;
    let mut schemas = json!({
        "Error": {"type": "object", "properties": {"error": {"type": "object", "properties": {
            "code": {"type": "string", "enum": ["bad_request", "unauthorized", "forbidden", "not_found",
                "invalid_transition", "version_conflict", "duplicate", "validation", "too_many_requests",
                "idempotency_conflict", "method_not_allowed", "archived", "internal"]},
            "message": s(),
            "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            "field_codes": {"type": "object", "additionalProperties": {"type": "string", "enum": problem_codes()}}}}}},
        "Login": object(&["username", "password"], &[("username", s()), ("password", s())]),
        "UnitInput": object(&["name", "kind"], &[("name", s()),
            ("kind", json!({"type": "string", "enum": ["district", "street", "community"]})), ("parent_id", i())]),
        "EnterpriseInput": object(&["name", "unit_id"], &[("name", s()), ("credit_code", typed("s?")),
            ("unit_id", i()), ("industry", s()), ("employee_count", i()), ("has_mediation_committee", json!({"type": "boolean"})),
            ("address", typed("s?")), ("legal_representative", typed("s?")), ("phone", typed("s?"))]),
        "EnterprisePatch": object(&["version"], &[("version", i()), ("name", s()), ("industry", s()),
            ("employee_count", i()), ("has_mediation_committee", json!({"type": "boolean"})), ("unit_id", i()),
            ("address", typed("s?")), ("legal_representative", typed("s?")), ("phone", typed("s?"))]),
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
            ("workers_involved", i()), ("amount_claimed", money()), ("description", s()), ("warning_id", i()), ("unit_id", i()),
            ("applicants", json!({"type": "array", "items": {"$ref": "#/components/schemas/ApplicantInput"}})),
            ("respondent_agent", json!({"$ref": "#/components/schemas/AgentInput"})),
            ("rights_known_on", json!({"type": "string", "format": "date"})),
            ("employment_ended_on", json!({"type": "string", "format": "date"}))]),
        "UnitPatch": object(&[], &[("arbitration_commission", s()), ("arbitration_address", s()),
            ("committee_name", s()), ("committee_address", s()), ("committee_phone", s()), ("seal_text", s())]),
        "AgentInput": object(&["name"], &[("name", s()), ("position", s()), ("phone", s())]),
        "ApplicantInput": object(&["name"], &[("name", s()),
            ("sex", json!({"type": "string", "enum": ["male", "female"]})), ("phone", s()), ("id_number", s()),
            ("address", s()), ("amount_claimed", money()), ("representative", json!({"type": "boolean"}))]),
        "CasePatch": object(&["version"], &[("version", i()), ("description", s()), ("applicant_name", s()),
            ("applicant_phone", s()), ("applicant_id_number", s()), ("workers_involved", i()),
            ("amount_claimed", money()), ("category", s()),
            ("respondent_agent", json!({"allOf": [{"$ref": "#/components/schemas/AgentInput"}], "nullable": true})),
            ("rights_known_on", s()), ("employment_ended_on", s())]),
        "NoteInput": object(&["text"], &[("text", s())]),
        "EvidenceUpload": object(&["file", "title", "provided_by"], &[
            ("file", json!({"type": "string", "format": "binary"})), ("title", s()),
            ("provided_by", json!({"type": "string", "enum": ["applicant", "respondent", "center"]})),
            ("received_on", json!({"type": "string", "format": "date"})),
            ("internal", json!({"type": "string", "enum": ["true", "false"]}))]),
        "EvidenceRemove": object(&["reason"], &[("reason", s())]),
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
            ("note", s()), ("amount", money()), ("paid_at", json!({"type": "string", "format": "date"})),
            ("terms", json!({"type": "array", "minItems": 1, "maxItems": crate::services::cases::TERMS_MAX,
                "items": {"$ref": "#/components/schemas/TermInput"}})),
            ("term_id", i())]),
        "TermInput": object(&["kind"], &[
            ("kind", json!({"type": "string", "enum": ["payment", "obligation"]})),
            ("amount", money()), ("text", s()), ("due", json!({"type": "string", "format": "date"}))]),
        "ConfirmationInput": object(&["applied_on", "court"], &[("applied_on", json!({"type": "string", "format": "date"})), ("court", s())]),
        "ConfirmationIntent": object(&["intended"], &[("intended", json!({"type": "boolean"}))]),
        "ConfirmationRuling": object(&["result", "on"], &[("result", json!({"type": "string", "enum": ["confirmed", "refused"]})),
            ("on", json!({"type": "string", "format": "date"})), ("number", s())]),
        "PerformInput": object(&[], &[("at", json!({"type": "string", "format": "date-time"})), ("note", s())]),
        "FollowUpInput": object(&["on", "method", "satisfaction"], &[
            ("on", json!({"type": "string", "format": "date"})),
            ("method", json!({"type": "string", "enum": ["phone", "visit", "other"]})),
            ("satisfaction", json!({"type": "string", "enum": ["satisfied", "basically_satisfied", "dissatisfied"]})),
            ("notes", s())]),
        "WaiveInput": object(&["reason"], &[("reason", json!({"type": "string", "minLength": 1}))]),
        "ArchiveManyInput": object(&["ids"], &[("ids", json!({"type": "array", "minItems": 1,
            "maxItems": crate::services::cases::ARCHIVE_MANY_MAX, "items": i()}))]),
    });
    let answers = [
        (
            "MySettings",
            object(
                &["daily_digest"],
                &[("daily_digest", json!({"type": "boolean"}))],
            ),
        ),
        (
            "Rate",
            answer(&[("numerator", "i"), ("denominator", "i"), ("percent", "s?")]),
        ),
        (
            "Levels",
            answer(&[
                ("total", "i"),
                ("yellow", "i"),
                ("orange", "i"),
                ("red", "i"),
            ]),
        ),
        (
            "Satisfaction",
            answer(&[
                ("satisfied", "i"),
                ("basically_satisfied", "i"),
                ("dissatisfied", "i"),
            ]),
        ),
        ("Figures", answer(FIGURES)),
        ("Line", with_figures(&[("key", "any"), ("name", "s")])),
        ("MonthLine", with_figures(&[("month", "s")])),
        ("Report", report()),
        ("Health", answer(&[("status", "s")])),
        (
            "Document",
            json!({"type": "object", "description": "an OpenAPI 3.0 document"}),
        ),
        (
            "Unit",
            answer(&[
                ("id", "i"),
                ("name", "s"),
                ("kind", "s"),
                ("parent_id", "i?"),
                ("arbitration_commission", "s?"),
                ("arbitration_address", "s?"),
                ("committee_name", "s?"),
                ("committee_address", "s?"),
                ("committee_phone", "s?"),
                ("seal_text", "s?"),
            ]),
        ),
        (
            "Enterprise",
            answer(&[
                ("id", "i"),
                ("name", "s"),
                ("credit_code", "s?"),
                ("unit_id", "i"),
                ("industry", "s?"),
                ("employee_count", "i?"),
                ("has_mediation_committee", "b"),
                ("officer_id", "i?"),
                ("address", "s?"),
                ("legal_representative", "s?"),
                ("phone", "s?"),
                ("version", "i"),
            ]),
        ),
        (
            "User",
            answer(&[
                ("id", "i"),
                ("username", "s"),
                ("display_name", "s"),
                ("email", "s"),
                ("role", "s"),
                ("unit_id", "i?"),
                ("enterprise_id", "i?"),
                ("active", "b"),
                ("daily_digest", "b"),
                ("version", "i"),
            ]),
        ),
        ("LoginAnswer", answer(&[("token", "s"), ("user", "User")])),
        (
            "Consultation",
            answer(&[
                ("id", "i"),
                ("unit_id", "i"),
                ("received_at", "time"),
                ("channel", "s"),
                ("topic", "s"),
                ("workers", "i"),
                ("enterprise_id", "i?"),
                ("enterprise_name", "s?"),
                ("summary", "s"),
                ("answered_by", "i"),
                ("case_id", "i?"),
                ("version", "i"),
            ]),
        ),
        (
            "CaseSummary",
            answer(&[
                ("id", "i"),
                ("case_no", "s"),
                ("unit_id", "i"),
                ("status", "s"),
                ("channel", "s"),
                ("category", "s"),
                ("enterprise_id", "i"),
                ("enterprise_name", "s"),
                ("applicant_name", "s?"),
                ("applicant_phone", "s?"),
                ("workers_involved", "i"),
                ("collective", "b"),
                ("amount_claimed", "money"),
                ("mediator_id", "i?"),
                ("received_at", "time"),
                ("accept_by", "date"),
                ("deadline", "date"),
                ("overdue", "b"),
                ("days_left", "i?"),
                ("accept_due", "b"),
                ("version", "i"),
            ]),
        ),
        (
            "Event",
            answer(&[
                ("id", "i"),
                ("at", "time"),
                ("actor_id", "i?"),
                ("actor_name", "s?"),
                ("assignee_id", "i?"),
                ("assignee_name", "s?"),
                ("action", "s"),
                ("from_status", "s?"),
                ("to_status", "s?"),
                ("note", "s?"),
            ]),
        ),
        (
            "Session",
            answer(&[
                ("id", "i"),
                ("held_at", "time"),
                ("location", "s"),
                ("attendees", "s"),
                ("notes", "s"),
            ]),
        ),
        (
            "Payment",
            answer(&[
                ("id", "i"),
                ("amount", "money"),
                ("paid_at", "date"),
                ("term_id", "i?"),
            ]),
        ),
        (
            "Term",
            answer(&[
                ("id", "i"),
                ("kind", "s"),
                ("amount", "money?"),
                ("text", "s?"),
                ("due", "date?"),
                ("paid", "money?"),
                ("performed_on", "date?"),
                ("performed_note", "s?"),
                ("status", "s"),
                ("late", "b"),
            ]),
        ),
        (
            "Note",
            answer(&[
                ("id", "i"),
                ("author_id", "i"),
                ("text", "s"),
                ("created_at", "time"),
            ]),
        ),
        (
            "Case",
            answer(&[
                ("id", "i"),
                ("case_no", "s"),
                ("unit_id", "i"),
                ("status", "s"),
                ("channel", "s"),
                ("category", "s"),
                ("enterprise_id", "i"),
                ("enterprise_name", "s"),
                ("applicant_name", "s?"),
                ("applicant_phone", "s?"),
                ("applicant_id_number", "s?"),
                ("workers_involved", "i"),
                ("collective", "b"),
                ("amount_claimed", "money"),
                ("description", "s"),
                ("warning_id", "i?"),
                ("mediator_id", "i?"),
                ("mediator_name", "s?"),
                ("coordinator_id", "i?"),
                ("coordinator_name", "s?"),
                ("received_at", "time"),
                ("accept_by", "date"),
                ("accept_late", "b"),
                ("accept_due", "b"),
                ("deadline", "date"),
                ("extended", "b"),
                ("overdue", "b"),
                ("days_left", "i?"),
                ("outcome", "s?"),
                ("referral", "s?"),
                ("agreement_no", "s?"),
                ("payment_due", "date?"),
                ("amount_agreed", "money?"),
                ("amount_paid", "money"),
                ("closed_at", "time?"),
                ("version", "i"),
                ("actions", "[s]"),
                ("events", "[Event]"),
                ("sessions", "[Session]"),
                ("payments", "[Payment]"),
                ("notes", "[Note]"),
                ("applicants", "[Applicant]"),
                ("terms", "[Term]"),
                ("fulfilment", "s?"),
                ("confirmation_window_ends", "date?"),
                ("confirmation", "Confirmation?"),
                ("respondent_agent", "Agent?"),
                ("rights_known_on", "date?"),
                ("employment_ended_on", "date?"),
                ("limitation_status", "s"),
                ("limitation_ends", "date?"),
                ("follow_ups", "[FollowUp]"),
                ("follow_up_waived", "s?"),
                ("archived_at", "time?"),
                ("archive_no", "s?"),
            ]),
        ),
        (
            "FollowUp",
            answer(&[
                ("id", "i"),
                ("on", "date"),
                ("method", "s"),
                ("satisfaction", "s"),
                ("notes", "s?"),
                ("by", "i"),
                ("by_name", "s?"),
                ("created_at", "time"),
            ]),
        ),
        (
            "ArchiveResults",
            answer(&[
                ("archived", "i"),
                ("refused", "i"),
                ("items", "[ArchiveOutcome]"),
            ]),
        ),
        (
            "ArchiveOutcome",
            answer(&[
                ("id", "i"),
                ("case_no", "s?"),
                ("archived", "b"),
                ("archive_no", "s?"),
                ("error", "{}?"),
            ]),
        ),
        (
            "Confirmation",
            answer(&[
                ("intended", "b"),
                ("applied_on", "date?"),
                ("court", "s?"),
                ("result", "s?"),
                ("ruled_on", "date?"),
                ("number", "s?"),
            ]),
        ),
        (
            "Agent",
            answer(&[("name", "s"), ("position", "s?"), ("phone", "s?")]),
        ),
        ("DocumentList", answer(&[("items", "[DocumentItem]")])),
        (
            "DocumentItem",
            answer(&[("kind", "s"), ("title", "s"), ("available", "b")]),
        ),
        (
            "Applicant",
            answer(&[
                ("name", "s"),
                ("sex", "s?"),
                ("phone", "s?"),
                ("id_number", "s?"),
                ("address", "s?"),
                ("amount_claimed", "money?"),
                ("representative", "b"),
            ]),
        ),
        (
            "Warning",
            answer(&[
                ("id", "i"),
                ("enterprise_id", "i"),
                ("enterprise_name", "s"),
                ("unit_id", "i"),
                ("reported_by", "i"),
                ("level", "s"),
                ("category", "s"),
                ("workers_at_risk", "i"),
                ("amount_at_risk", "money?"),
                ("description", "s"),
                ("status", "s"),
                ("acknowledged_at", "time?"),
                ("acknowledged_by", "i?"),
                ("closed_at", "time?"),
                ("note", "s?"),
                ("case_id", "i?"),
                ("reported_at", "time"),
                ("respond_by", "time"),
                ("overdue", "b"),
                ("version", "i"),
                ("actions", "[s]"),
            ]),
        ),
        (
            "Notification",
            answer(&[
                ("id", "i"),
                ("kind", "s"),
                ("recipient", "s"),
                ("subject", "s"),
                ("status", "s"),
                ("attempts", "i"),
                ("last_error", "s?"),
                ("next_attempt_at", "time"),
                ("created_at", "time"),
                ("sent_at", "time?"),
                ("case_id", "i?"),
                ("warning_id", "i?"),
            ]),
        ),
        ("UnitList", list_of("Unit")),
        ("EnterpriseList", list_of("Enterprise")),
        ("UserList", list_of("User")),
        ("ConsultationList", list_of("Consultation")),
        ("CaseList", list_of("CaseSummary")),
        ("WarningList", list_of("Warning")),
        ("NotificationList", list_of("Notification")),
        (
            "Evidence",
            answer(&[
                ("id", "i"),
                ("case_id", "i?"),
                ("warning_id", "i?"),
                ("title", "s"),
                ("file_name", "s"),
                ("content_type", "s"),
                ("size", "i"),
                ("sha256", "s"),
                ("provided_by", "s"),
                ("received_on", "date?"),
                ("internal", "b"),
                ("uploaded_by", "i"),
                ("uploaded_by_name", "s"),
                ("uploaded_at", "time"),
                ("removed", "b"),
                ("removed_at", "time?"),
                ("removal_reason", "s?"),
                ("image", "b"),
            ]),
        ),
        ("EvidenceList", answer(&[("items", "[Evidence]")])),
    ];
    for (name, schema) in answers {
        schemas[name] = schema;
    }
    // The vocabularies of the terms (issue 14).
    let codes = |all: &[&str]| json!(all);
    schemas["Term"]["properties"]["kind"]["enum"] = codes(&["payment", "obligation"]);
    schemas["Term"]["properties"]["status"]["enum"] = codes(&["pending", "performed", "overdue"]);
    schemas["Case"]["properties"]["fulfilment"]["enum"] =
        codes(&["not_due", "on_time", "overdue", "performed"]);
    schemas["FollowUp"]["properties"]["method"]["enum"] = codes(&["phone", "visit", "other"]);
    schemas["FollowUp"]["properties"]["satisfaction"]["enum"] =
        codes(&["satisfied", "basically_satisfied", "dissatisfied"]);
    schemas
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
        "/api/v1/cases/{id}/documents/{kind}" => vec![
            ("format", "string", false, "html|docx"),
            ("session_id", "integer", false, ""),
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
            ("enterprise", "string", false, ""),
            ("mediator_id", "integer", false, ""),
            ("unit_id", "integer", false, ""),
            ("overdue", "boolean", false, ""),
            ("from", "string", false, "date"),
            ("to", "string", false, "date"),
            ("q", "string", false, ""),
            ("due_by", "string", false, "date"),
            ("idle_days", "integer", false, ""),
            ("follow_up_due", "integer", false, ""),
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
                | "/api/v1/cases/{id}/evidence"
                | "/api/v1/warnings/{id}/evidence"
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
                "{id}" | "{term_id}" => !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit()),
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

/// The schema of a route's success body (in `components.schemas`), or `None` for no body.
pub fn answer_of(method: &str, path: &str) -> Option<&'static str> {
    let list = method == "get" && !path.contains("{id}");
    let name = match path.split('/').nth(3).unwrap_or(path) {
        _ if path == "/healthz" => "Health",
        "evidence" if path.ends_with("/file") => return None,
        _ if path.ends_with("/evidence") && method == "get" => "EvidenceList",
        "evidence" => "Evidence",
        _ if path.ends_with("/evidence") => "Evidence",
        "openapi.json" => "Document",
        "auth" if path.ends_with("/logout") => return None,
        "auth" => "LoginAnswer",
        "me" => "User",
        "units" if list => "UnitList",
        "units" => "Unit",
        "enterprises" if list => "EnterpriseList",
        "enterprises" => "Enterprise",
        "users" if list => "UserList",
        "users" => "User",
        "consultations" if list => "ConsultationList",
        "consultations" => "Consultation",
        "cases" if path == "/api/v1/cases/archive" => "ArchiveResults",
        "cases" if path.ends_with("/documents") => "DocumentList",
        "cases" if path.contains("/documents/") => return None,
        "cases" if list => "CaseList",
        "cases" => "Case",
        "warnings" if list => "WarningList",
        "warnings" if path.ends_with("/escalate") => "Case",
        "warnings" => "Warning",
        "notifications" if list => "NotificationList",
        "notifications" => "Notification",
        "stats" | "reports" => "Report",
        "ledger" => return None,
        _ => "Document",
    };
    Some(name)
}

/// The success response of a route: its JSON body, and the files of the routes that also
/// answer CSV or xlsx (`format=`).
fn success(method: &str, path: &str, status: u16) -> Value {
    let mut content = Map::new();
    if let Some(name) = answer_of(method, path) {
        content.insert(
            "application/json".into(),
            json!({"schema": {"$ref": format!("#/components/schemas/{name}")}}),
        );
    }
    if path.contains("/documents/") {
        content.insert("text/html".into(), json!({"schema": {"type": "string"}}));
    }
    if path.ends_with("/evidence/{id}/file") {
        content.insert(
            "application/octet-stream".into(),
            json!({"schema": {"type": "string", "format": "binary"}}),
        );
    }
    if path.contains("/reports/") || path.ends_with("/ledger") {
        content.insert("text/csv".into(), json!({"schema": {"type": "string"}}));
        content.insert(
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".into(),
            json!({"schema": {"type": "string", "format": "binary"}}),
        );
    }
    let mut answer = json!({"description": if status == 204 { "no content" } else { "success" }});
    if !content.is_empty() {
        answer["content"] = Value::Object(content);
    }
    answer
}

pub fn build() -> Value {
    let mut paths = Map::new();
    for (method, path, summary, body, status) in OPERATIONS {
        let mut op = json!({
            "summary": summary,
            "responses": {
                status.to_string(): success(method, path, *status),
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
            let media = match *body {
                "EvidenceUpload" => "multipart/form-data",
                _ => "application/json",
            };
            op["requestBody"] = json!({"required": true, "content": {media: {"schema": {"$ref": format!("#/components/schemas/{body}")}}}});
        }
        let mut parameters = Vec::new();
        if path.contains("{id}") {
            parameters
                .push(json!({"name": "id", "in": "path", "required": true, "schema": integer()}));
        }
        if path.contains("{term_id}") {
            parameters.push(
                json!({"name": "term_id", "in": "path", "required": true, "schema": integer()}),
            );
        }
        if path.contains("{kind}") {
            let kinds: Vec<&str> = crate::domain::document::DocumentKind::ALL
                .iter()
                .map(|k| k.as_str())
                .collect();
            parameters.push(json!({"name": "kind", "in": "path", "required": true,
                                   "schema": {"type": "string", "enum": kinds}}));
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
