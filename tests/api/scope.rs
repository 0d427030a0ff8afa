use crate::helpers::*;
use serde_json::json;

#[test]
fn an_officer_sees_only_their_own_enterprises_cases_and_may_add_notes_but_not_act() {
    let app = spawn_app();
    let mine = app.enterprise(app.street);
    let theirs = app.enterprise(app.street);
    let (_, officer) = app.user("officer", app.street, Some(mine));
    let (_, mediator) = app.user("mediator", app.street, None);
    let own = app.create_case(&mediator, mine)["id"].as_i64().unwrap();
    let other = app.create_case(&mediator, theirs)["id"].as_i64().unwrap();

    let list = app.get(&officer, "/api/v1/cases");
    assert_eq!(list.body["total"], 1);
    assert_eq!(list.body["items"][0]["id"], own);
    assert_eq!(
        app.get(&officer, &format!("/api/v1/cases/{other}")).status,
        404
    );
    let r = app.post(
        &officer,
        &format!("/api/v1/cases/{other}/notes"),
        json!({"text": "x"}),
    );
    assert_eq!(r.status, 404);

    let page = app.get(&officer, &format!("/api/v1/cases/{own}"));
    assert_eq!(page.status, 200);
    // An officer sees the applicant's name, never their phone or ID number (SPEC.md).
    assert_eq!(page.body["applicant_name"], "王芳");
    assert_eq!(page.body["applicant_phone"], serde_json::Value::Null);
    assert_eq!(page.body["applicant_id_number"], serde_json::Value::Null);
    assert_eq!(
        list.body["items"][0]["applicant_phone"],
        serde_json::Value::Null
    );
    let r = app.post(
        &officer,
        &format!("/api/v1/cases/{own}/notes"),
        json!({"text": "企业已安排财务核对工资"}),
    );
    assert_eq!(r.status, 201, "{:?}", r.body);
    assert_eq!(r.body["notes"][0]["text"], "企业已安排财务核对工资");
    let r = app.post(&officer, &format!("/api/v1/cases/{own}/accept"), json!({}));
    assert_eq!(r.status, 403);
    assert_eq!(
        app.get(&mediator, &format!("/api/v1/cases/{own}")).body["status"],
        "received"
    );
}

#[test]
fn a_viewer_reads_units_and_self_but_no_case_or_consultation() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, viewer) = app.user("viewer", app.district, None);
    let (_, mediator) = app.user("mediator", app.street, None);
    let id = app.create_case(&mediator, e)["id"].as_i64().unwrap();
    assert_eq!(app.get(&viewer, "/api/v1/cases").status, 403);
    assert_eq!(app.get(&viewer, &format!("/api/v1/cases/{id}")).status, 403);
    assert_eq!(app.get(&viewer, "/api/v1/consultations").status, 403);
    assert_eq!(
        app.post(&viewer, "/api/v1/cases", app.case_body(e)).status,
        403
    );
    assert_eq!(app.get(&viewer, "/api/v1/me").body["role"], "viewer");
    let units = app.get(&viewer, "/api/v1/units");
    assert_eq!(units.status, 200);
    assert_eq!(units.body["total"], 4);
}

#[test]
fn staff_of_another_street_get_404_for_this_streets_case() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, mediator) = app.user("mediator", app.street, None);
    let (_, far) = app.user("director", app.other_street, None);
    let (_, district_director) = app.user("director", app.district, None);
    let id = app.create_case(&mediator, e)["id"].as_i64().unwrap();
    assert_eq!(app.get(&far, &format!("/api/v1/cases/{id}")).status, 404);
    assert_eq!(app.get(&far, "/api/v1/cases").body["total"], 0);
    // The district sees every street below it.
    assert_eq!(
        app.get(&district_director, &format!("/api/v1/cases/{id}"))
            .status,
        200
    );
}

#[test]
fn a_community_case_is_visible_to_its_street_but_a_community_user_cannot_see_the_street() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, street_mediator) = app.user("mediator", app.street, None);
    let (_, community_mediator) = app.user("mediator", app.community, None);
    let community_case = app.create_case(&community_mediator, e)["id"]
        .as_i64()
        .unwrap();
    let street_case = app.create_case(&street_mediator, e)["id"].as_i64().unwrap();
    assert_eq!(
        app.get(&street_mediator, &format!("/api/v1/cases/{community_case}"))
            .status,
        200
    );
    assert_eq!(
        app.get(&community_mediator, &format!("/api/v1/cases/{street_case}"))
            .status,
        404
    );
}

#[test]
fn only_directors_and_admins_see_the_whole_id_number_and_each_such_view_is_logged() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, mediator) = app.user("mediator", app.street, None);
    let (director_id, director) = app.user("director", app.street, None);
    let id = app.create_case(&mediator, e)["id"].as_i64().unwrap();
    let path = format!("/api/v1/cases/{id}");

    assert_eq!(
        app.get(&mediator, &path).body["applicant_id_number"],
        "110105********002X"
    );
    assert_eq!(
        app.get(&director, &path).body["applicant_id_number"],
        "11010519491231002X"
    );
    app.get(&director, &path);
    // Lists mask for everyone.
    let list = app.get(&director, "/api/v1/cases");
    assert_eq!(list.body["items"][0]["applicant_phone"], "138****8000");
    assert!(list.body["items"][0].get("applicant_id_number").is_none());

    let views: Vec<(i64, String, Option<i64>)> = app
        .ctx
        .db
        .write_blocking(|conn| {
            use diesel::prelude::*;
            use tiaojie::db::schema::access_log;
            access_log::table
                .filter(access_log::action.eq("view_id_number"))
                .select((
                    access_log::user_id,
                    access_log::record_type,
                    access_log::record_id,
                ))
                .load(conn)
                .map_err(tiaojie::error::AppError::from)
        })
        .unwrap();
    assert_eq!(views, vec![(director_id, "case".to_string(), Some(id)); 2]);
}

#[test]
fn the_case_list_filtered_by_a_unit_shows_that_units_subtree_within_the_callers_scope() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, street_mediator) = app.user("mediator", app.street, None);
    let (_, community_mediator) = app.user("mediator", app.community, None);
    let (_, district_director) = app.user("director", app.district, None);
    let in_community = app.create_case(&community_mediator, e)["id"]
        .as_i64()
        .unwrap();
    let on_street = app.create_case(&street_mediator, e)["id"].as_i64().unwrap();
    let ids = |token: &str, query: String| -> Vec<i64> {
        let r = app.get(token, &format!("/api/v1/cases{query}"));
        assert_eq!(r.status, 200, "{query}: {:?}", r.body);
        let mut ids: Vec<i64> = r.body["items"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["id"].as_i64().unwrap())
            .collect();
        assert_eq!(r.body["total"], ids.len() as i64, "{query}");
        ids.sort_unstable();
        ids
    };
    let both = {
        let mut v = vec![in_community, on_street];
        v.sort_unstable();
        v
    };
    assert_eq!(ids(&street_mediator, String::new()), both);
    assert_eq!(
        ids(&street_mediator, format!("?unit_id={}", app.community)),
        vec![in_community]
    );
    assert_eq!(
        ids(&district_director, format!("?unit_id={}", app.street)),
        both
    );
    assert_eq!(
        ids(&district_director, format!("?unit_id={}", app.other_street)),
        Vec::<i64>::new()
    );
    // A unit outside the caller's scope is refused, not answered with an empty list.
    let r = app.get(
        &community_mediator,
        &format!("/api/v1/cases?unit_id={}", app.street),
    );
    assert_eq!(r.status, 422);
    assert!(r.field_error("unit_id").is_some(), "{:?}", r.body);
}

/// Copies case `id` `n` times with numbers `{id}-c{i}` and receipt times `i` minutes earlier,
/// in one statement (a long list without thousands of requests).
fn copy_case(app: &TestApp, id: i64, n: i64) {
    use diesel::connection::SimpleConnection;
    use tiaojie::db::DbConn;
    let columns = "unit_id, channel, category, enterprise_id, applicant_name, applicant_phone, \
        applicant_id_number, workers_involved, amount_claimed, description, mediator_id, \
        coordinator_id, status, accept_by, deadline, extended, last_event_at, created_by, \
        version, created_at, updated_at";
    let mut conn = app.ctx.db.get().unwrap();
    let sql = match &*conn {
        DbConn::Sqlite(_) => format!(
            "WITH RECURSIVE k(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM k WHERE i < {n}) \
             INSERT INTO cases (case_no, received_at, {columns}) \
             SELECT case_no || '-c' || i, datetime(received_at, '-' || i || ' minutes'), {columns} \
             FROM cases, k WHERE id = {id}"
        ),
        DbConn::Pg(_) => format!(
            "INSERT INTO cases (case_no, received_at, {columns}) \
             SELECT case_no || '-c' || i, received_at - i * interval '1 minute', {columns} \
             FROM cases, generate_series(1, {n}) AS i WHERE id = {id}"
        ),
    };
    conn.batch_execute(&sql).unwrap();
}

#[test]
fn a_long_list_shows_the_newest_cases_of_the_callers_units_first() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, mediator) = app.user("mediator", app.street, None);
    let (_, far) = app.user("mediator", app.other_street, None);
    let newest = app.create_case(&mediator, e)["id"].as_i64().unwrap();
    // 2,500 older cases of the street: enough that the list walks the time index.
    copy_case(&app, newest, 2_500);
    // Another street's cases, newer than all of them, must not appear.
    let mut body = app.case_body(e);
    body["received_at"] = json!("2026-03-02T08:59:00+08:00");
    for _ in 0..3 {
        assert_eq!(app.post(&far, "/api/v1/cases", body.clone()).status, 201);
    }
    let r = app.get(&mediator, "/api/v1/cases?per_page=50");
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["total"], 2_501);
    let items = r.body["items"].as_array().unwrap();
    assert_eq!(items.len(), 50);
    assert_eq!(items[0]["id"], newest);
    let numbers: Vec<&str> = items
        .iter()
        .map(|c| c["case_no"].as_str().unwrap())
        .collect();
    let case_no = numbers[0].to_string();
    // Then the copies, one minute older each.
    for (i, n) in numbers.iter().enumerate().skip(1) {
        assert_eq!(*n, format!("{case_no}-c{i}"));
    }
    let page_3 = app.get(&mediator, "/api/v1/cases?per_page=50&page=3");
    assert_eq!(
        page_3.body["items"][0]["case_no"],
        format!("{case_no}-c100")
    );
}
