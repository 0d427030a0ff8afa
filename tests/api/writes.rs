//! Writing transactions under load: on SQLite many requests share one group commit, and each
//! must still commit or fail alone (the same assertions hold on PostgreSQL, one commit each).

use crate::helpers::spawn_app;
use diesel::prelude::*;
use tiaojie::db::schema::login_failures;
use tiaojie::db::{Backend, Db, DbConn};
use tiaojie::error::AppError;

/// Runs `n` writes at once from `n` threads; write `i` records the address `w{i}` and then
/// answers with `outcome(i, conn)`.
fn concurrent_writes<F>(db: &Db, n: usize, outcome: F) -> Vec<Result<usize, AppError>>
where
    F: Fn(usize, &mut DbConn) -> Result<usize, AppError> + Send + Sync + Copy + 'static,
{
    let now = chrono::Utc::now().naive_utc();
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..n)
            .map(|i| {
                let db = db.clone();
                s.spawn(move || {
                    actix_web::rt::System::new().block_on(db.write(move |conn| {
                        diesel::insert_into(login_failures::table)
                            .values((
                                login_failures::address.eq(format!("w{i}")),
                                login_failures::at.eq(now),
                            ))
                            .execute(conn)?;
                        outcome(i, conn)
                    }))
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).collect()
    })
}

fn addresses(db: &Db) -> Vec<String> {
    let mut found: Vec<String> = login_failures::table
        .select(login_failures::address)
        .load(&mut *db.get().unwrap())
        .unwrap();
    found.sort();
    found
}

#[test]
fn a_failed_write_leaves_nothing_while_the_writes_committed_beside_it_stand() {
    let app = spawn_app();
    let db = &app.ctx.db;
    let answers = concurrent_writes(db, 40, |i, _| match i % 2 {
        0 => Ok(i),
        // Odd writes fail after inserting.
        _ => Err(AppError::field("address", tiaojie::error::Code::Required)),
    });
    for (i, answer) in answers.iter().enumerate() {
        match i % 2 {
            0 => assert_eq!(answer.as_ref().ok(), Some(&i), "write {i}"),
            _ => assert!(
                matches!(answer, Err(AppError::Validation(_))),
                "write {i}: {answer:?}"
            ),
        }
    }
    let mut expected: Vec<String> = (0..40).step_by(2).map(|i| format!("w{i}")).collect();
    expected.sort();
    assert_eq!(addresses(db), expected);
}

#[test]
fn on_sqlite_each_write_sees_the_writes_committed_or_queued_before_it() {
    let app = spawn_app();
    let db = &app.ctx.db;
    if db.backend() != Backend::Sqlite {
        crate::helpers::skipped(
            "PostgreSQL runs writes side by side (read committed): they need not see each other",
        );
        return;
    }
    // Each write counts the rows it can see, its own included: run one after another, the
    // counts are 1..=n in some order, never two the same.
    let answers = concurrent_writes(db, 30, |_, conn| {
        let seen: i64 = login_failures::table.count().get_result(conn)?;
        Ok(seen as usize)
    });
    let mut seen: Vec<usize> = answers.into_iter().map(|a| a.unwrap()).collect();
    seen.sort_unstable();
    assert_eq!(seen, (1..=30).collect::<Vec<_>>());
}

#[test]
fn a_write_that_panics_is_refused_and_the_writes_after_it_still_commit() {
    let app = spawn_app();
    let db = &app.ctx.db;
    let panicked = std::thread::scope(|s| {
        s.spawn(|| {
            actix_web::rt::System::new()
                .block_on(db.write(|_conn| -> Result<(), AppError> { panic!("a bug in a write") }))
        })
        .join()
        .unwrap()
    });
    assert!(panicked.is_err());
    let answers = concurrent_writes(db, 5, |i, _| Ok(i));
    assert!(answers.iter().all(Result::is_ok), "{answers:?}");
    assert_eq!(addresses(db), ["w0", "w1", "w2", "w3", "w4"]);
}
