use crate::helpers::*;
use diesel::prelude::*;
use tiaojie::db::{revert_all_migrations, run_migrations, Db};

#[test]
fn migrations_run_up_down_and_up_again() {
    let (url, _cleanup) = fresh_database_url();
    let db = Db::connect(&url, 1).unwrap();
    let mut conn = db.get().unwrap();
    run_migrations(&mut conn).unwrap();
    revert_all_migrations(&mut conn).unwrap();
    let gone = diesel::sql_query("SELECT id FROM cases").execute(&mut *conn);
    assert!(gone.is_err(), "the cases table should be gone after down");
    run_migrations(&mut conn).unwrap();
    let count: i64 = tiaojie::db::schema::cases::table
        .count()
        .get_result(&mut *conn)
        .unwrap();
    assert_eq!(count, 0);
    if let Some((base, schema)) = _cleanup {
        let mut c = diesel::pg::PgConnection::establish(&base).unwrap();
        diesel::connection::SimpleConnection::batch_execute(
            &mut c,
            &format!("DROP SCHEMA {schema} CASCADE"),
        )
        .unwrap();
    }
}

#[test]
fn case_events_are_append_only_in_the_database() {
    let app = spawn_app();
    let e = app.enterprise(app.street);
    let (_, mediator) = app.user("mediator", app.street, None);
    app.create_case(&mediator, e);
    let result = app.ctx.db.write_blocking(|conn| {
        diesel::sql_query("UPDATE case_events SET note = 'changed'")
            .execute(conn)
            .map_err(tiaojie::error::AppError::from)
    });
    assert!(result.is_err());
    let result = app.ctx.db.write_blocking(|conn| {
        diesel::sql_query("DELETE FROM case_events")
            .execute(conn)
            .map_err(tiaojie::error::AppError::from)
    });
    assert!(result.is_err());
}
