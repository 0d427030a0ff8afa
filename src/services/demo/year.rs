//! A year of demo cases, oldest first so that numbers follow receipt, in every status with
//! their timelines, sessions and payments.

use super::words::*;
use super::Ctx;
use crate::db::models::*;
use crate::db::schema::{case_counters, case_events, cases};
use crate::db::DbConn;
use crate::domain::case::CaseStatus;
use crate::domain::resident_id::ResidentId;
use crate::domain::vocab::{Category, Channel, Referral};
use crate::error::AppError;
use chrono::{Datelike, Duration, NaiveDateTime};
use diesel::prelude::*;
use std::collections::BTreeMap;

/// Inserts `size.cases` cases over the last year, spread over `firms` (enterprise, street index,
/// officer) and mediated by each street's `staff` (its director first).
pub(super) fn year_of_cases(
    conn: &mut DbConn,
    ctx: &Ctx,
    size: super::DemoSize,
    rng: &mut Rng,
    streets: &[UnitRow],
    staff: &[Vec<i64>],
    firms: &[(i64, usize, i64)],
) -> Result<(), AppError> {
    let now_n = ctx.now().naive_utc();
    // A year of cases, oldest first so that numbers follow receipt.
    let year_secs = 365 * 24 * 3600;
    let mut received: Vec<i64> = (0..size.cases)
        .map(|_| rng.below(year_secs) as i64)
        .collect();
    received.sort_unstable_by(|a, b| b.cmp(a));
    let mut counters: BTreeMap<i64, i64> = BTreeMap::new();
    let rules = ctx.settings.rules;
    let calendar = &ctx.settings.calendar;
    for age_secs in received {
        let received_at = now_n - Duration::seconds(age_secs);
        let (enterprise, street_ix, officer) = *rng.pick(firms);
        let day = ctx.local_date(chrono::TimeZone::from_utc_datetime(
            &chrono::Utc,
            &received_at,
        ));
        let year = i64::from(day.year());
        let seq = counters.entry(year).or_insert(0);
        *seq += 1;
        let case_no = format!("{}-{year}-{:05}", ctx.settings.config.case_no_prefix, seq);
        let channel = *rng.pick(&[
            Channel::Visit,
            Channel::Visit,
            Channel::Visit,
            Channel::Phone,
            Channel::Letter,
            Channel::Online,
            Channel::Inspection,
            Channel::Other,
        ]);
        let category = *rng.pick(Category::ALL);
        let workers = if rng.chance(12) {
            10 + rng.below(40)
        } else {
            1 + rng.below(9)
        } as i64;
        let amount = (1_000 + rng.below(200_000)) as i64 * 100 * workers.min(5);
        let age_days = age_secs / 86_400;
        let status = match age_days {
            0..=2 if rng.chance(60) => CaseStatus::Received,
            0..=2 => CaseStatus::Accepted,
            3..=14 if rng.chance(80) => CaseStatus::Mediating,
            3..=14 => CaseStatus::Accepted,
            15..=25 if rng.chance(40) => CaseStatus::Mediating,
            _ => match rng.below(100) {
                0..=69 => CaseStatus::Resolved,
                70..=84 => CaseStatus::Failed,
                85..=92 => CaseStatus::Withdrawn,
                _ => CaseStatus::Rejected,
            },
        };
        let team = &staff[street_ix];
        let mediator = team[1 + rng.below(3) as usize];
        let id_number = ResidentId::with_check_digit(&format!(
            "330203{}{:02}{:02}{:03}",
            1965 + rng.below(40),
            1 + rng.below(12),
            1 + rng.below(28),
            rng.below(1000)
        ))
        .map(String::from);
        // The timeline: intake, then the steps that led to the status, a day or more apart.
        let step = |n: i64| (received_at + Duration::hours(20 * n)).min(now_n);
        let mut events: Vec<DemoEvent> = vec![("intake", None, "received", received_at, None)];
        let mut closed_at = None;
        let (mut outcome, mut referral, mut agreed, mut paid) = (None, None, None, 0);
        match status {
            CaseStatus::Received => {}
            CaseStatus::Rejected => {
                events.push((
                    "reject",
                    Some("received"),
                    "rejected",
                    step(1),
                    Some("已进入仲裁程序".into()),
                ));
                closed_at = Some(step(1));
            }
            _ => {
                events.push(("accept", Some("received"), "accepted", step(1), None));
                if status != CaseStatus::Accepted {
                    if status != CaseStatus::Withdrawn || rng.chance(50) {
                        events.push(("assign", Some("accepted"), "mediating", step(2), None));
                    }
                    let from = events.last().map_or("accepted", |e| e.2);
                    match status {
                        CaseStatus::Resolved => {
                            let a = amount * (50 + rng.below(50) as i64) / 100;
                            agreed = Some(a);
                            paid = if rng.chance(70) { a } else { 0 };
                            outcome = Some("agreement");
                            events.push((
                                "close",
                                Some("mediating"),
                                "resolved",
                                step(8),
                                Some("达成调解协议".into()),
                            ));
                            closed_at = Some(step(8));
                        }
                        CaseStatus::Failed => {
                            outcome = Some("failed");
                            referral = Some(rng.pick(Referral::ALL).as_str());
                            events.push((
                                "close",
                                Some("mediating"),
                                "failed",
                                step(12),
                                Some("双方分歧较大,调解不成".into()),
                            ));
                            closed_at = Some(step(12));
                        }
                        CaseStatus::Withdrawn => {
                            events.push((
                                "withdraw",
                                Some(from),
                                "withdrawn",
                                step(5),
                                Some("申请人撤回申请".into()),
                            ));
                            closed_at = Some(step(5));
                        }
                        _ => {}
                    }
                }
            }
        }
        let assigned = events.iter().any(|e| e.0 == "assign");
        let phone = format!("13{}", 100_000_000 + rng.below(899_999_999));
        let last_event_at = events.last().map_or(received_at, |e| e.3);
        let id: i64 = diesel::insert_into(cases::table)
            .values(NewCase {
                case_no,
                unit_id: streets[street_ix].id,
                channel: channel.as_str().into(),
                category: category.as_str().into(),
                enterprise_id: enterprise,
                applicant_name: Some(person_name(rng)),
                applicant_phone: Some(phone.clone()),
                applicant_id_number: id_number.clone(),
                workers_involved: workers,
                amount_claimed: amount,
                description: format!(
                    "{}名职工反映{}问题，请求协调处理。",
                    workers,
                    crate::i18n::name_zh("category", category.as_str())
                ),
                warning_id: None,
                status: status.as_str().into(),
                received_at,
                accept_by: rules.accept_by(day, calendar),
                deadline: rules.deadline(day, calendar),
                last_event_at,
                created_by: team[0],
                created_at: received_at,
                updated_at: last_event_at,
            })
            .returning(cases::id)
            .get_result(conn)?;
        crate::services::digests::keep(
            conn,
            &ctx.settings.search_key,
            id,
            Some(&phone),
            id_number.as_deref(),
        )?;
        diesel::update(cases::table.find(id))
            .set((
                cases::mediator_id.eq(assigned.then_some(mediator)),
                cases::coordinator_id.eq(assigned.then_some(officer)),
                cases::outcome.eq(outcome),
                cases::referral.eq(referral),
                cases::amount_agreed.eq(agreed),
                cases::amount_paid.eq(paid),
                cases::closed_at.eq(closed_at),
                cases::agreement_no.eq(agreed.map(|_| format!("调协字〔{year}〕{seq}号"))),
            ))
            .execute(conn)?;
        let term_id = match (outcome, agreed) {
            (Some("agreement"), Some(a)) => crate::services::cases::single_instalment(
                conn,
                id,
                crate::domain::money::Fen::from_fen(a),
                None,
                last_event_at,
            )?,
            _ => None,
        };
        if paid > 0 {
            diesel::insert_into(crate::db::schema::payments::table)
                .values(NewPayment {
                    case_id: id,
                    amount: paid,
                    paid_at: ctx.local_date(chrono::TimeZone::from_utc_datetime(
                        &chrono::Utc,
                        &last_event_at,
                    )),
                    recorded_by: mediator,
                    created_at: last_event_at,
                    term_id,
                })
                .execute(conn)?;
        }
        for (action, from, to, at, note) in &events {
            let actor = if *action == "assign" {
                team[0]
            } else {
                mediator
            };
            diesel::insert_into(case_events::table)
                .values(NewCaseEvent {
                    case_id: id,
                    actor_id: Some(actor),
                    at: *at,
                    action,
                    from_status: *from,
                    to_status: Some(to),
                    note: note.as_deref(),
                    created_at: *at,
                    assignee_id: (*action == "assign").then_some(mediator),
                })
                .execute(conn)?;
        }
    }
    for (year, last) in counters {
        diesel::insert_into(case_counters::table)
            .values((case_counters::year.eq(year), case_counters::last.eq(last)))
            .execute(conn)?;
    }
    Ok(())
}

/// (action, from status, to status, at, note) of one demo event.
type DemoEvent<'a> = (
    &'a str,
    Option<&'a str>,
    &'a str,
    NaiveDateTime,
    Option<String>,
);
