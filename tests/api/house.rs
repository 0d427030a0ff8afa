//! Checks on the house itself that can fail: the OpenAPI document against the route tree as it
//! is written, and `schema.rs` against the columns each backend's migrations really made.

use crate::helpers::*;
use diesel::prelude::*;
use diesel::sql_types::Text;
use std::collections::BTreeSet;

/// Every (method, path) registered with `.route(PATH, web::METHOD()...)` in the route tree,
/// the API's under `/api/v1`, read from the source of `web::routes`.
fn routes_in_the_tree() -> BTreeSet<(String, String)> {
    let source = include_str!("../../src/web/mod.rs");
    let api_from = source
        .find("web::scope(\"/api/v1\")")
        .expect("the API scope");
    let api_to = source[api_from..]
        .find(".configure(html::routes)")
        .map_or(source.len(), |i| api_from + i);
    let mut routes = BTreeSet::new();
    let mut rest = source;
    let mut offset = 0;
    while let Some(at) = rest.find(".route(") {
        let after = rest[at + ".route(".len()..].trim_start();
        let path = after.strip_prefix('"').and_then(|a| a.split('"').next());
        let method = after
            .split_once("web::")
            .and_then(|(_, m)| m.split('(').next());
        if let (Some(path), Some(method)) = (path, method) {
            let position = offset + at;
            let prefix = if (api_from..api_to).contains(&position) {
                "/api/v1"
            } else {
                ""
            };
            routes.insert((method.to_string(), format!("{prefix}{path}")));
        }
        offset += at + 1;
        rest = &rest[at + 1..];
    }
    routes
}

/// Whether a documented path is served by a route pattern (`{name}` matches one segment).
fn serves(route: &str, documented: &str) -> bool {
    let (r, d): (Vec<&str>, Vec<&str>) =
        (route.split('/').collect(), documented.split('/').collect());
    r.len() == d.len()
        && r.iter().zip(&d).all(|(r, d)| {
            r == d || (r.starts_with('{') && (d.starts_with('{') || !d.contains('{')))
        })
}

#[test]
fn every_route_of_the_api_is_in_the_openapi_document_and_every_documented_route_is_served() {
    use tiaojie::web::api::openapi::OPERATIONS;
    let tree: Vec<(String, String)> = routes_in_the_tree()
        .into_iter()
        .filter(|(_, p)| p.starts_with("/api/") || p == "/healthz")
        .collect();
    assert!(tree.len() > 30, "the route tree was not read: {tree:?}");
    for (method, path) in &tree {
        assert!(
            OPERATIONS
                .iter()
                .any(|(m, p, ..)| m == method && serves(path, p)),
            "{method} {path} is routed but not in the OpenAPI document"
        );
    }
    for (method, path, ..) in OPERATIONS {
        assert!(
            tree.iter().any(|(m, p)| m == method && serves(p, path)),
            "{method} {path} is documented but no route serves it"
        );
    }
    // And the document the server answers is the table's.
    let app = spawn_app();
    let doc = app.get_anonymous("/api/v1/openapi.json").body;
    for (method, path, ..) in OPERATIONS {
        assert!(doc["paths"][path][method].is_object(), "{method} {path}");
    }
}

/// (table, columns) of every `diesel::table!` in `schema.rs`.
fn tables_in_schema_rs() -> Vec<(String, BTreeSet<String>)> {
    let source = include_str!("../../src/db/schema.rs");
    let mut tables: Vec<(String, BTreeSet<String>)> = Vec::new();
    for line in source.lines() {
        let indent = line.len() - line.trim_start().len();
        let text = line.trim();
        if indent == 4 && text.ends_with('{') && text.contains(" (") {
            let name = text.split_whitespace().next().unwrap_or_default();
            tables.push((name.to_string(), BTreeSet::new()));
        } else if indent == 8 && text.contains(" -> ") {
            let column = text.split_whitespace().next().unwrap_or_default();
            if let Some((_, columns)) = tables.last_mut() {
                columns.insert(column.to_string());
            }
        }
    }
    tables
}

#[derive(QueryableByName)]
struct ColumnName {
    #[diesel(sql_type = Text)]
    name: String,
}

#[test]
fn every_table_in_schema_rs_has_exactly_its_columns_in_the_migrated_database() {
    let db = empty_db();
    let tables = tables_in_schema_rs();
    assert!(tables.len() > 20, "schema.rs was not read: {tables:?}");
    let mut conn = db.ctx.db.get().unwrap();
    for (table, columns) in tables {
        let query = match db.ctx.db.backend() {
            tiaojie::db::Backend::Sqlite => {
                diesel::sql_query("SELECT name FROM pragma_table_info(?) ORDER BY name")
                    .bind::<Text, _>(&table)
                    .into_boxed()
            }
            tiaojie::db::Backend::Postgres => diesel::sql_query(
                "SELECT CAST(column_name AS TEXT) AS name FROM information_schema.columns \
                 WHERE table_schema = current_schema() AND table_name = $1",
            )
            .bind::<Text, _>(&table)
            .into_boxed(),
        };
        let live: BTreeSet<String> = query
            .load::<ColumnName>(&mut *conn)
            .unwrap()
            .into_iter()
            .map(|c| c.name)
            .collect();
        assert_eq!(
            live, columns,
            "table {table}: the live columns against schema.rs"
        );
    }
}
