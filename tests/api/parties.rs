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

/// A collective case of twelve workers naming three of them, the second its representative.
fn three_applicants(app: &TestApp, enterprise: i64) -> Value {
    app.case_body_naming(
        enterprise,
        json!([
            {"name": "王芳", "sex": "female", "phone": "13812348000",
             "id_number": "11010519491231002X", "address": "宁波市海曙区一路1号",
             "amount_claimed": "15000"},
            {"name": "李雷", "sex": "male", "phone": "13900001111",
             "id_number": "110105194912310038", "representative": true,
             "amount_claimed": "16000.50"},
            {"name": "韩梅梅", "phone": "0574-87650000"}
        ]),
    )
}

/// (user, action) of every view of personal data logged on case `id`.
fn personal_data_views(app: &TestApp, id: i64) -> Vec<(i64, String)> {
    use diesel::prelude::*;
    use tiaojie::db::schema::access_log;
    let mut conn = app.ctx.db.get().unwrap();
    access_log::table
        .filter(access_log::record_type.eq("case"))
        .filter(access_log::record_id.eq(id))
        .filter(access_log::action.like("view_%"))
        .order(access_log::id)
        .select((access_log::user_id, access_log::action))
        .load(&mut *conn)
        .unwrap()
}

#[test]
fn a_case_names_every_applicant_with_their_particulars_the_first_as_its_applicant() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (director_id, director) = app.user("director", app.street, None);
    let r = app.post(&director, "/api/v1/cases", three_applicants(&app, e));
    assert_eq!(r.status, 201, "{:?}", r.body);
    let case = &r.body;
    assert_eq!(
        case["applicant_name"], "王芳",
        "the first is the case's applicant"
    );
    let applicants = case["applicants"].as_array().unwrap();
    let names: Vec<&str> = applicants
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["王芳", "李雷", "韩梅梅"]);
    assert_eq!(applicants[1]["representative"], true);
    assert_eq!(applicants[1]["amount_claimed"], "16000.50");
    assert_eq!(applicants[0]["address"], "宁波市海曙区一路1号");
    assert_eq!(applicants[0]["sex"], "female");
    // A director sees every number whole, and each kind of whole view is logged once.
    assert_eq!(applicants[1]["phone"], "13900001111");
    assert_eq!(applicants[1]["id_number"], "110105194912310038");
    let id = case["id"].as_i64().unwrap();
    let before = personal_data_views(&app, id).len();
    let read = app.get(&director, &format!("/api/v1/cases/{id}")).body;
    assert_eq!(read["applicants"], case["applicants"]);
    let logged = personal_data_views(&app, id);
    assert_eq!(logged.len(), before + 2, "{logged:?}");
    assert!(logged.iter().all(|(user, _)| *user == director_id));

    // Another mediator of the unit sees them masked; an officer sees no numbers at all.
    let (_, mediator) = app.user("mediator", app.street, None);
    let masked = app.get(&mediator, &format!("/api/v1/cases/{id}")).body;
    let second = &masked["applicants"][1];
    assert_eq!(second["name"], "李雷");
    assert!(second["phone"].as_str().unwrap().contains('*'), "{second}");
    assert!(!second["id_number"]
        .as_str()
        .unwrap()
        .contains("194912310037"));
    let (_, officer) = app.designated_officer(e);
    let theirs = app.get(&officer, &format!("/api/v1/cases/{id}")).body;
    assert_eq!(theirs["applicants"][1]["phone"], Value::Null, "{theirs}");
    assert_eq!(theirs["applicants"][1]["id_number"], Value::Null);
}

#[test]
fn the_case_list_finds_a_case_by_any_applicants_name_or_whole_number() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    let id = app
        .post(&director, "/api/v1/cases", three_applicants(&app, e))
        .body["id"]
        .as_i64()
        .unwrap();
    app.create_case(&director, e);
    for q in ["李雷", "13900001111", "110105194912310038", "韩梅"] {
        let r = app.get(&director, &format!("/api/v1/cases?q={q}"));
        assert_eq!(r.status, 200, "{q}");
        let ids: Vec<i64> = r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert_eq!(ids, vec![id], "{q}");
    }
}

#[test]
fn applicants_that_do_not_add_up_are_refused_each_beside_its_own_field_and_nothing_is_written() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    let refused = |body: Value| {
        let r = app.post(&director, "/api/v1/cases", body);
        assert_eq!(r.status, 422, "{:?}", r.body);
        r.body["error"]["fields"].clone()
    };
    // More applicants than workers involved.
    let mut body = three_applicants(&app, e);
    body["workers_involved"] = json!(2);
    let fields = refused(body);
    assert!(fields["workers_involved"].is_string(), "{fields}");
    assert!(
        fields["applicants"].is_string(),
        "representatives of a non-collective case"
    );
    // A collective case listing several without a representative; a bad phone of the third.
    let mut body = three_applicants(&app, e);
    body["applicants"][1]["representative"] = json!(false);
    body["applicants"][2]["phone"] = json!("12345");
    body["applicants"][0]["sex"] = json!("x");
    let fields = refused(body);
    assert_eq!(
        fields["applicants"],
        "must name the representatives of a collective case (representative: true)"
    );
    assert!(fields["applicants[2].phone"].is_string(), "{fields}");
    assert_eq!(fields["applicants[0].sex"], "must be one of: male, female");
    // The single fields naming someone else than the first applicant.
    let mut body = three_applicants(&app, e);
    body["applicant_name"] = json!("张三");
    let fields = refused(body);
    assert!(fields["applicants"]
        .as_str()
        .unwrap()
        .contains("first applicant"));

    let r = app.get(&director, "/api/v1/cases");
    assert_eq!(r.body["total"], 0, "nothing was registered");
}

#[test]
fn a_case_registered_with_one_applicant_lists_that_one_and_workers_cannot_drop_below_the_named() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    let single = app.create_case(&director, e);
    let applicants = single["applicants"].as_array().unwrap();
    assert_eq!(applicants.len(), 1);
    assert_eq!(applicants[0]["name"], "王芳");
    assert_eq!(applicants[0]["phone"], "13812348000");

    let case = app
        .post(&director, "/api/v1/cases", three_applicants(&app, e))
        .body;
    let id = case["id"].as_i64().unwrap();
    let r = app.patch(
        &director,
        &format!("/api/v1/cases/{id}"),
        json!({"version": case["version"], "workers_involved": 2}),
    );
    assert_eq!(r.status, 422, "{:?}", r.body);
    // Correcting the first applicant's phone corrects it in the list too.
    let r = app.patch(
        &director,
        &format!("/api/v1/cases/{id}"),
        json!({"version": case["version"], "applicant_phone": "13812349999"}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["applicants"][0]["phone"], "13812349999");
    assert_eq!(r.body["applicants"][1]["phone"], "13900001111");
}

#[test]
fn the_case_page_lists_every_applicant_masked_for_a_mediator_not_on_the_case() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    let id = app
        .post(&director.token, "/api/v1/cases", three_applicants(&app, e))
        .body["id"]
        .as_i64()
        .unwrap();
    let page = director.browser.get(&format!("/cases/{id}")).body;
    let table = &page[page
        .find("<table class=\"applicants\">")
        .expect("the applicants")..];
    let table = &table[..table.find("</table>").unwrap()];
    for shown in [
        "王芳",
        "李雷",
        "韩梅梅",
        "推举代表",
        "13900001111",
        "16,000.50",
        "女",
    ] {
        assert!(table.contains(shown), "{shown}: {table}");
    }
    let mut mediator = person(&app, "mediator", Some(app.street), None);
    let page = mediator.browser.get(&format!("/cases/{id}")).body;
    assert!(
        page.contains("李雷") && !page.contains("13900001111"),
        "masked"
    );
    assert!(!page.contains("110105194912310038"));
}

#[test]
fn the_intake_page_registers_a_collective_case_with_its_other_applicants_and_keeps_a_bad_row() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let mut director = person(&app, "director", Some(app.street), None);
    let name = app.enterprise_name(e);
    let b = &mut director.browser;
    let csrf = Browser::csrf(&b.get("/cases/new"));
    let form = |other_phone: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("received_at", "2026-03-02T08:30".to_string()),
            ("channel", "visit".to_string()),
            ("category", "wage_arrears".to_string()),
            ("enterprise", name.clone()),
            ("applicant_name", "王芳".to_string()),
            ("applicant_phone", "13812348000".to_string()),
            ("workers_involved", "12".to_string()),
            ("amount_claimed", "86,400".to_string()),
            ("description", "集体欠薪".to_string()),
            ("other_name_1", "李雷".to_string()),
            ("other_sex_1", "male".to_string()),
            ("other_rep_1", "1".to_string()),
            ("other_name_2", "韩梅梅".to_string()),
            ("other_phone_2", other_phone.to_string()),
        ]
    };
    let post = |b: &mut Browser, fields: Vec<(&str, String)>| {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        b.post("/cases/new", &fields)
    };
    let page = b.get("/cases/new").body;
    assert!(
        page.contains("name=\"other_name_1\""),
        "the form offers other applicants"
    );

    // A bad phone in the second row: beside that row's phone, every row kept.
    let r = post(b, form("12345"));
    assert_eq!(r.status, 422, "{}", r.body);
    assert!(r.body.contains("id=\"e_other_phone_2\""), "{}", r.body);
    assert!(r.body.contains("value=\"李雷\"") && r.body.contains("value=\"韩梅梅\""));

    let r = post(b, form("0574-87650000"));
    assert_eq!(r.status, 303, "{}", r.body);
    let id: i64 = r
        .location
        .unwrap()
        .trim_start_matches("/cases/")
        .parse()
        .unwrap();
    let case = app
        .get(&director.token, &format!("/api/v1/cases/{id}"))
        .body;
    let names: Vec<&str> = case["applicants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["王芳", "李雷", "韩梅梅"]);
    assert_eq!(case["applicants"][1]["representative"], true);
    assert_eq!(case["applicants"][1]["sex"], "male");
    assert_eq!(case["applicants"][2]["phone"], "0574-87650000");
}

#[test]
fn a_case_naming_more_than_five_hundred_applicants_is_refused_and_five_hundred_are_taken() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    let body = |n: usize| {
        let mut body = app.case_body(e);
        let fields = body.as_object_mut().unwrap();
        for single in ["applicant_name", "applicant_phone", "applicant_id_number"] {
            fields.remove(single);
        }
        let applicants: Vec<Value> = (0..n)
            .map(|i| json!({"name": format!("职工{i}"), "representative": i == 0}))
            .collect();
        fields.insert("workers_involved".into(), json!(600));
        fields.insert("applicants".into(), json!(applicants));
        body
    };
    let r = app.post(&director, "/api/v1/cases", body(501));
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert_eq!(
        r.body["error"]["fields"]["applicants"],
        "must name 1 to 500 applicants"
    );
    let r = app.post(&director, "/api/v1/cases", body(500));
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["applicants"].as_array().unwrap().len(), 500);
}

#[test]
fn a_case_records_the_agent_who_attends_for_the_respondent_and_an_edit_changes_or_clears_it() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    let mut body = app.case_body(e);
    body["respondent_agent"] =
        json!({"name": "赵律", "position": "法务主管", "phone": "13900002222"});
    let r = app.post(&director, "/api/v1/cases", body.clone());
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["respondent_agent"]["name"], "赵律");
    assert_eq!(r.body["respondent_agent"]["phone"], "13900002222");
    let id = r.body["id"].as_i64().unwrap();

    // Another mediator sees the agent's phone masked, an officer not at all.
    let (_, mediator) = app.user("mediator", app.street, None);
    let theirs = app.get(&mediator, &format!("/api/v1/cases/{id}")).body;
    assert_eq!(theirs["respondent_agent"]["name"], "赵律");
    assert!(theirs["respondent_agent"]["phone"]
        .as_str()
        .unwrap()
        .contains('*'));
    let (_, officer) = app.designated_officer(e);
    let theirs = app.get(&officer, &format!("/api/v1/cases/{id}")).body;
    assert_eq!(theirs["respondent_agent"]["phone"], Value::Null);

    // A bad agent is refused beside its fields, and no case is registered.
    let cases_before = app.get(&director, "/api/v1/cases").body["total"].clone();
    body["respondent_agent"] = json!({"name": " ", "phone": "call me"});
    let bad = app.post(&director, "/api/v1/cases", body);
    assert_eq!(bad.status, 422, "{:?}", bad.body);
    assert!(bad.field_error("respondent_agent.name").is_some());
    assert!(bad.field_error("respondent_agent.phone").is_some());
    assert_eq!(
        app.get(&director, "/api/v1/cases").body["total"],
        cases_before
    );

    let version = r.body["version"].clone();
    let r = app.patch(
        &director,
        &format!("/api/v1/cases/{id}"),
        json!({"version": version, "respondent_agent": {"name": "钱经理"}}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["respondent_agent"]["name"], "钱经理");
    assert_eq!(
        r.body["respondent_agent"]["phone"],
        Value::Null,
        "replaced whole"
    );
    let r = app.patch(
        &director,
        &format!("/api/v1/cases/{id}"),
        json!({"version": r.body["version"], "respondent_agent": null}),
    );
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["respondent_agent"], Value::Null);
    let r = app.patch(
        &director,
        &format!("/api/v1/cases/{id}"),
        json!({"version": r.body["version"], "description": "改"}),
    );
    assert_eq!(
        r.body["respondent_agent"],
        Value::Null,
        "not sent: unchanged"
    );
    let timeline: Vec<String> = r.body["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["action"] == "edit")
        .map(|e| e["note"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(timeline[0], "respondent_agent", "{timeline:?}");
}

#[test]
fn an_agents_position_of_51_characters_is_refused_and_50_are_taken() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, director) = app.user("director", app.street, None);
    let mut body = app.case_body(e);
    body["respondent_agent"] = json!({"name": "赵律", "position": "职".repeat(51)});
    let r = app.post(&director, "/api/v1/cases", body.clone());
    assert_eq!(r.status, 422, "{:?}", r.body);
    assert!(r.field_error("respondent_agent.position").is_some());
    body["respondent_agent"]["position"] = json!("职".repeat(50));
    let r = app.post(&director, "/api/v1/cases", body);
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["respondent_agent"]["position"], "职".repeat(50));
}
