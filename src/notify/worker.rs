//! The outbox worker: claims due rows in a short transaction (a 60 s lease, so a crashed worker's
//! claim expires; `FOR UPDATE SKIP LOCKED` on PostgreSQL so instances never share a row), sends
//! them outside any transaction under our own timeout, then marks each sent, retries it later
//! (temporary failure) or marks it failed (permanent failure, or retried for too long).
//!
//! Delivery is at-least-once: a worker that dies after sending and before marking sends again
//! once the lease expires, with the same Message-ID, so receivers can drop the duplicate.

use super::mailer::{Mailer, SendError};
use super::outbox::{FAILED, PENDING, SENT};
use crate::config::Settings;
use crate::context::Ctx;
use crate::db::models::NotificationRow;
use crate::db::schema::notifications;
use crate::error::AppError;
use chrono::{Duration as ChronoDuration, NaiveDateTime};
use diesel::prelude::*;
use rand::Rng;
use std::time::Duration;

/// How long a claim holds a row.
pub const LEASE_SECONDS: i64 = 60;
/// The first retry's base wait; doubled per attempt, capped, with ±20% jitter.
const FIRST_RETRY_SECONDS: f64 = 5.0;
const MAX_RETRY_SECONDS: f64 = 15.0 * 60.0;

/// The wait before retry number `attempts` (1 for the first failure), jittered.
pub fn backoff(attempts: i64) -> std::time::Duration {
    let exp = attempts.clamp(1, 30) - 1;
    let base = (FIRST_RETRY_SECONDS * 2f64.powi(exp as i32)).min(MAX_RETRY_SECONDS);
    let jitter = rand::thread_rng().gen_range(0.8..=1.2);
    Duration::from_secs_f64(base * jitter)
}

/// An error text fit for the log: a mail server's answer may echo the address, so every word
/// with an `@` in it is replaced.
pub fn redact(error: &str) -> String {
    error
        .split(' ')
        .map(|w| if w.contains('@') { "<address>" } else { w })
        .collect::<Vec<_>>()
        .join(" ")
}

#[derive(Clone)]
pub struct Worker {
    pub mailer: Mailer,
    pub from: String,
    pub send_timeout: Duration,
    pub give_up_after: ChronoDuration,
    pub batch: i64,
}

enum Outcome {
    Sent,
    Retry(String),
    Failed(String),
}

impl Worker {
    pub fn from_settings(settings: &Settings) -> Result<Worker, String> {
        let mail = &settings.config.mail;
        Ok(Worker {
            mailer: Mailer::from_settings(settings)?,
            from: mail.from.clone(),
            send_timeout: Duration::from_secs(mail.send_timeout_seconds),
            give_up_after: ChronoDuration::hours(i64::from(mail.give_up_hours)),
            batch: 20,
        })
    }

    /// Claims one batch of due rows, sends them (concurrently, each under the timeout) and
    /// records each outcome. Answers how many rows it claimed.
    pub async fn run_once(&self, ctx: &Ctx) -> Result<usize, AppError> {
        let now = ctx.now().naive_utc();
        let lease_until = now + ChronoDuration::seconds(LEASE_SECONDS);
        let batch = self.batch;
        let rows: Vec<NotificationRow> = ctx
            .db
            .write(move |conn| {
                let ids = crate::db::claim_notifications(conn, now, lease_until, batch)?;
                let rows = notifications::table
                    .filter(notifications::id.eq_any(ids))
                    .select(NotificationRow::as_select())
                    .load(conn)?;
                Ok::<_, AppError>(rows)
            })
            .await?;
        let claimed = rows.len();
        let mut tasks = tokio::task::JoinSet::new();
        for row in rows {
            let worker = self.clone();
            tasks.spawn(async move {
                let outcome = match tokio::time::timeout(
                    worker.send_timeout,
                    worker.mailer.send(&worker.from, &row),
                )
                .await
                {
                    Ok(Ok(())) => Outcome::Sent,
                    Ok(Err(SendError::Permanent(e))) => Outcome::Failed(e),
                    Ok(Err(SendError::Temporary(e))) => Outcome::Retry(e),
                    Err(_) => Outcome::Retry(format!(
                        "no answer within {} s",
                        worker.send_timeout.as_secs()
                    )),
                };
                (row, outcome)
            });
        }
        while let Some(joined) = tasks.join_next().await {
            let Ok((row, outcome)) = joined else {
                // A panicked send leaves its row leased; the lease expires and it is retried.
                continue;
            };
            self.record(ctx, row, outcome).await?;
        }
        Ok(claimed)
    }

    async fn record(
        &self,
        ctx: &Ctx,
        row: NotificationRow,
        outcome: Outcome,
    ) -> Result<(), AppError> {
        let now = ctx.now().naive_utc();
        let give_up = row.created_at + self.give_up_after;
        let (status, next, error, sent_at): (
            &str,
            NaiveDateTime,
            Option<String>,
            Option<NaiveDateTime>,
        ) = match outcome {
            Outcome::Sent => {
                tracing::info!(notification.id = row.id, kind = %row.kind, "mail sent");
                (SENT, row.next_attempt_at, None, Some(now))
            }
            Outcome::Failed(e) => {
                tracing::warn!(notification.id = row.id, kind = %row.kind, error = %redact(&e), "mail failed");
                (FAILED, row.next_attempt_at, Some(e), None)
            }
            Outcome::Retry(e) if now >= give_up => {
                tracing::warn!(notification.id = row.id, kind = %row.kind, error = %redact(&e), "mail given up");
                (FAILED, row.next_attempt_at, Some(e), None)
            }
            Outcome::Retry(e) => {
                let wait = ChronoDuration::from_std(backoff(row.attempts))
                    .unwrap_or_else(|_| ChronoDuration::seconds(10));
                tracing::info!(notification.id = row.id, kind = %row.kind, attempts = row.attempts, error = %redact(&e), "mail will be retried");
                (PENDING, now + wait, Some(e), None)
            }
        };
        let id = row.id;
        ctx.db
            .write(move |conn| {
                diesel::update(
                    notifications::table
                        .find(id)
                        .filter(notifications::status.eq(PENDING)),
                )
                .set((
                    notifications::status.eq(status),
                    notifications::next_attempt_at.eq(next),
                    notifications::lease_until.eq(None::<NaiveDateTime>),
                    notifications::last_error.eq(error),
                    notifications::sent_at.eq(sent_at),
                ))
                .execute(conn)?;
                Ok::<_, AppError>(())
            })
            .await
    }

    /// Runs batches until nothing is due (tests, and the end of a reminder scan).
    pub async fn drain(&self, ctx: &Ctx) -> Result<usize, AppError> {
        let mut total = 0;
        loop {
            let n = self.run_once(ctx).await?;
            if n == 0 {
                return Ok(total);
            }
            total += n;
        }
    }

    /// The loop inside `serve`: a batch, then a short sleep when nothing was due.
    pub async fn run(self, ctx: Ctx) {
        loop {
            match self.run_once(&ctx).await {
                Ok(0) => tokio::time::sleep(Duration::from_secs(1)).await,
                Ok(_) => {}
                Err(e) => {
                    tracing::error!(error = %e, "outbox worker");
                    tokio::time::sleep(Duration::from_secs(5)).await;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn logged_errors_carry_no_address() {
        assert_eq!(
            redact("550 5.1.1 <wang@example.org>: no such mailbox"),
            "550 5.1.1 <address> no such mailbox"
        );
    }

    #[test]
    fn the_first_retry_comes_within_ten_seconds_and_waits_double_up_to_fifteen_minutes() {
        for _ in 0..50 {
            assert!(backoff(1) <= Duration::from_secs(10));
            assert!(backoff(1) >= Duration::from_secs(4));
            let third = backoff(3).as_secs_f64();
            assert!((16.0..=24.0).contains(&third), "{third}");
            assert!(backoff(30) <= Duration::from_secs(18 * 60));
            assert!(backoff(30) >= Duration::from_secs(12 * 60));
        }
    }
}
