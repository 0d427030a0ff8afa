//! PostgreSQL's statistics roll-up: every report of whole months it answers is the report of the
//! records themselves, after the records change and after it is counted again in another zone.

use crate::helpers::*;
use diesel::connection::SimpleConnection;
use diesel::prelude::*;
use tiaojie::services::demo::{self, DemoSize};
use tiaojie::services::stats::{self, rollup, Root, Span};
use tiaojie::services::Ctx;

/// The demo's year of cases (up to 2 March 2026) in a fresh database.
fn demo_center() -> EmptyDb {
    let db = empty_db();
    let size = DemoSize {
        // More enterprises than the report's top twenty, so that the roll-up's pick is tested.
        enterprises: 40,
        cases: 600,
        consultations: 150,
    };
    demo::ensure(&db.ctx, size).unwrap();
    db
}

/// Every month and year the demo has records in, for every unit and for the first street.
fn spans() -> Vec<Span> {
    let mut spans = vec![Span::Year(2025), Span::Year(2026)];
    for (y, m) in (3..=12)
        .map(|m| (2025, m))
        .chain((1..=4).map(|m| (2026, m)))
    {
        spans.push(Span::month(Some(&format!("{y:04}-{m:02}"))).unwrap());
    }
    spans.push(Span::dates(Some("2025-06-01"), Some("2025-09-01")).unwrap());
    spans
}

/// Asserts that the roll-up answers, and answers what the records do, for every span and root.
fn assert_rollup_matches_records(ctx: &Ctx, what: &str) {
    let mut conn = ctx.db.get().unwrap();
    let street: i64 = tiaojie::db::schema::units::table
        .filter(tiaojie::db::schema::units::kind.eq("street"))
        .select(tiaojie::db::schema::units::id)
        .order(tiaojie::db::schema::units::id)
        .first(&mut *conn)
        .unwrap();
    let roots = [Root::All, Root::unit(&mut conn, street).unwrap().unwrap()];
    let mut petitions = 0;
    for root in &roots {
        for span in spans() {
            let rolled = stats::compute(&mut conn, ctx, root, span).unwrap();
            let records = stats::compute_from_records(&mut conn, ctx, root, span).unwrap();
            let mut differences = Vec::new();
            differ(
                &serde_json::to_value(&rolled).unwrap(),
                &serde_json::to_value(&records).unwrap(),
                "",
                &mut differences,
            );
            assert!(
                differences.is_empty(),
                "{what}: {span:?} of {root:?}: {differences:?}"
            );
            petitions += records.figures.petitions_received;
        }
    }
    // The comparison is of reports with something in them.
    assert!(petitions > 600, "{what}: {petitions} petitions");
}

/// The paths at which two reports differ, with both values.
fn differ(a: &serde_json::Value, b: &serde_json::Value, path: &str, out: &mut Vec<String>) {
    use serde_json::Value;
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                differ(
                    v,
                    y.get(k).unwrap_or(&Value::Null),
                    &format!("{path}.{k}"),
                    out,
                );
            }
        }
        (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
            for (i, (v, w)) in x.iter().zip(y).enumerate() {
                differ(v, w, &format!("{path}[{i}]"), out);
            }
        }
        _ if a != b => out.push(format!(
            "{path}: {a} from the roll-up, {b} from the records"
        )),
        _ => {}
    }
}

#[test]
fn on_postgresql_every_report_of_whole_months_from_the_rollup_is_the_report_of_the_records() {
    let db = demo_center();
    let ctx = &db.ctx;
    if ctx.db.backend() == tiaojie::db::Backend::Sqlite {
        skipped("the roll-up is PostgreSQL's; SQLite's reports always read the records");
        return;
    }
    let mut conn = ctx.db.get().unwrap();
    assert!(
        !rollup::prepare(&mut conn, "Asia/Shanghai").unwrap(),
        "the zone was the roll-up's since start-up, so nothing is counted again"
    );
    assert_rollup_matches_records(ctx, "as generated");

    // Cases close, reopen, move between units and months, change their amounts and lose a
    // mediator; new cases and consultations come in; consultations move and go.
    conn.batch_execute(
        "UPDATE cases SET status = 'resolved',
                closed_at = LEAST(received_at + interval '40 days', TIMESTAMP '2026-03-01 23:00'),
                amount_agreed = amount_claimed / 2, amount_paid = amount_claimed / 4
             WHERE status IN ('accepted', 'mediating') AND id % 3 = 0;
         UPDATE cases SET status = 'mediating', closed_at = NULL, outcome = NULL
             WHERE status = 'failed' AND id % 2 = 0;
         UPDATE cases SET unit_id = (SELECT MAX(id) FROM units), workers_involved = workers_involved + 7,
                deadline = deadline + 20
             WHERE id % 5 = 0;
         UPDATE cases SET mediator_id = NULL, category = 'other' WHERE id % 7 = 0;
         UPDATE cases SET received_at = received_at - interval '16 hours' WHERE id % 11 = 0;
         UPDATE consultations SET received_at = received_at + interval '20 days', workers = 9
             WHERE id % 4 = 0;
         INSERT INTO cases (case_no, unit_id, channel, category, enterprise_id, workers_involved,
                amount_claimed, description, mediator_id, status, received_at, accept_by, deadline,
                closed_at, amount_agreed, amount_paid, last_event_at, created_by, created_at,
                updated_at)
             SELECT case_no || '-copy', unit_id, channel, category, enterprise_id, workers_involved,
                amount_claimed, description, mediator_id, status, received_at - interval '3 days',
                accept_by, deadline, closed_at, amount_agreed, amount_paid, last_event_at,
                created_by, created_at, updated_at
             FROM cases WHERE id % 13 = 0;
         INSERT INTO consultations (unit_id, received_at, channel, topic, workers, enterprise_id,
                summary, answered_by, created_at)
             SELECT unit_id, received_at - interval '2 days', channel, topic, workers, enterprise_id,
                summary, answered_by, created_at
             FROM consultations WHERE id % 3 = 0;
         DELETE FROM consultations WHERE id % 17 = 0;",
    )
    .unwrap();
    assert_rollup_matches_records(ctx, "after changes");
    #[derive(QueryableByName)]
    struct Count {
        #[diesel(sql_type = diesel::sql_types::BigInt)]
        n: i64,
    }
    let empty_groups = diesel::sql_query(
        "SELECT COUNT(*) AS n FROM case_rollup WHERE n = 0 \
         UNION ALL SELECT COUNT(*) FROM consultation_rollup WHERE n = 0",
    )
    .load::<Count>(&mut *conn)
    .unwrap();
    assert!(
        empty_groups.iter().all(|c| c.n == 0),
        "a group whose records all left is gone"
    );

    // Counted in another zone, the roll-up does not answer for Shanghai; counted again in
    // Shanghai's, it answers as before.
    assert!(rollup::prepare(&mut conn, "Asia/Tokyo").unwrap());
    let tokyo = stats::compute(&mut conn, ctx, &Root::All, Span::Year(2025)).unwrap();
    let records =
        stats::compute_from_records(&mut conn, ctx, &Root::All, Span::Year(2025)).unwrap();
    assert_eq!(
        serde_json::to_value(&tokyo).unwrap(),
        serde_json::to_value(&records).unwrap()
    );
    assert!(rollup::prepare(&mut conn, "Asia/Shanghai").unwrap());
    assert_rollup_matches_records(ctx, "counted again");
}
