//! Demo data for `serve --demo` (and, larger, for benchmarks): a district with its streets and
//! communities, enterprises with valid credit codes and their officers, center staff, and a year
//! of cases in every status with their timelines, plus consultations. Deterministic: the same
//! size gives the same data.

use super::Ctx;
use crate::db::models::*;
use crate::db::schema::{case_counters, case_events, cases, consultations, enterprises, users};
use crate::db::DbConn;
use crate::domain::case::CaseStatus;
use crate::domain::credit_code::CreditCode;
use crate::domain::resident_id::ResidentId;
use crate::domain::role::Role;
use crate::domain::vocab::{Category, Channel, Referral, UnitKind};
use crate::error::AppError;
use chrono::{Datelike, Duration, NaiveDateTime};
use diesel::prelude::*;
use std::collections::BTreeMap;

pub const DEMO_PASSWORD: &str = "tiaojie-demo";

#[derive(Debug, Clone, Copy)]
pub struct DemoSize {
    pub enterprises: usize,
    pub cases: usize,
    pub consultations: usize,
}

impl Default for DemoSize {
    fn default() -> Self {
        DemoSize {
            enterprises: 150,
            cases: 1000,
            consultations: 730,
        }
    }
}

/// A small deterministic generator (xorshift64*), so demo data is the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n.max(1)
    }
    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.below(items.len() as u64) as usize]
    }
    fn chance(&mut self, percent: u64) -> bool {
        self.below(100) < percent
    }
}

const SURNAMES: &[&str] = &[
    "王", "李", "张", "刘", "陈", "杨", "黄", "赵", "周", "吴", "徐", "孙", "胡", "朱", "高", "林",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
    "秀英", "建华", "志强", "海燕",
];
const FIRM_WORDS: &[&str] = &[
    "恒达", "华盛", "鑫源", "永康", "瑞丰", "金桥", "宏图", "海天", "东方", "新欣", "博远", "天成",
    "佳美", "顺发", "银河",
];
const INDUSTRIES: &[(&str, &str)] = &[
    ("制造业", "机械制造"),
    ("建筑业", "建筑工程"),
    ("餐饮业", "餐饮管理"),
    ("批发和零售业", "商贸"),
    ("物流业", "物流"),
    ("服务业", "物业服务"),
    ("信息技术", "科技"),
];
const CODE_CHARS: &[u8] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

fn person_name(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(SURNAMES), rng.pick(GIVEN))
}

fn credit_code(rng: &mut Rng) -> Option<CreditCode> {
    let mut first17 = String::from("91330203");
    for _ in 0..9 {
        first17.push(*rng.pick(CODE_CHARS) as char);
    }
    CreditCode::with_check_character(&first17)
}

/// Fills an empty database with demo data; leaves a non-empty one alone. Answers the logins.
pub fn ensure(ctx: &Ctx, size: DemoSize) -> Result<String, AppError> {
    let has_users: i64 = {
        let mut conn = ctx.db.get()?;
        users::table.count().get_result(&mut conn)?
    };
    if has_users == 0 {
        let hash = crate::domain::password::Password::try_from(DEMO_PASSWORD.to_string())
            .map_err(AppError::BadRequest)?
            .hash()
            .map_err(AppError::Failure)?;
        ctx.db.write_blocking(|conn| {
            // One bulk load, counted into PostgreSQL's statistics roll-up once at its end.
            crate::services::stats::rollup::counted_once(conn, ctx.settings.tz.name(), |conn| {
                generate(conn, ctx, size, &hash)
            })
        })?;
        let mut conn = ctx.db.get()?;
        crate::db::sql::analyze_after_load(&mut conn)?;
    }
    Ok(format!(
        "Demo logins (password for all: {DEMO_PASSWORD}):\n  \
         admin      administrator\n  \
         director1  director of the first street's center (also director2, director3)\n  \
         mediator1  mediator (mediator1 .. mediator9, three per street)\n  \
         officer001 early-warning officer of the first enterprise (officer001 .. officer{:03})\n  \
         viewer     district statistics viewer",
        size.enterprises
    ))
}

fn generate(conn: &mut DbConn, ctx: &Ctx, size: DemoSize, hash: &str) -> Result<(), AppError> {
    let mut rng = Rng(0x7469_616f_6a69_6521);
    let now = ctx.now();
    let now_n = now.naive_utc();
    let insert = super::units::insert_unit;
    let district = insert(conn, "鼓楼区", UnitKind::District, None, now_n)?;
    let mut streets = Vec::new();
    for (name, communities) in [
        ("东街街道", ["东门社区", "广场社区"]),
        ("南街街道", ["南门社区", "长春社区"]),
        ("西门街道", ["西河社区", "望京社区"]),
    ] {
        let street = insert(conn, name, UnitKind::Street, Some(&district), now_n)?;
        for c in communities {
            insert(conn, c, UnitKind::Community, Some(&street), now_n)?;
        }
        streets.push(street);
    }

    let new_user = |conn: &mut DbConn,
                    username: &str,
                    display: &str,
                    role: Role,
                    unit: Option<i64>,
                    enterprise: Option<i64>|
     -> QueryResult<i64> {
        diesel::insert_into(users::table)
            .values(NewUser {
                username,
                display_name: display,
                email: &format!("{username}@demo.tiaojie.local"),
                password_hash: hash,
                role: role.as_str(),
                unit_id: unit,
                enterprise_id: enterprise,
                active: true,
                created_at: now_n,
                updated_at: now_n,
            })
            .returning(users::id)
            .get_result(conn)
    };
    new_user(conn, "admin", "系统管理员", Role::Admin, None, None)?;
    new_user(
        conn,
        "viewer",
        "区总工会统计员",
        Role::Viewer,
        Some(district.id),
        None,
    )?;
    let mut staff: Vec<Vec<i64>> = Vec::new();
    for (i, street) in streets.iter().enumerate() {
        let director = new_user(
            conn,
            &format!("director{}", i + 1),
            &format!("{}主任", person_name(&mut rng)),
            Role::Director,
            Some(street.id),
            None,
        )?;
        let mut ids = vec![director];
        for m in 0..3 {
            ids.push(new_user(
                conn,
                &format!("mediator{}", i * 3 + m + 1),
                &person_name(&mut rng),
                Role::Mediator,
                Some(street.id),
                None,
            )?);
        }
        staff.push(ids);
    }

    // Enterprises, each with its officer, spread over the streets.
    let mut firms: Vec<(i64, usize, i64)> = Vec::new(); // (enterprise, street index, officer)
    for n in 0..size.enterprises {
        let street_ix = n % streets.len();
        let (industry, word) = *rng.pick(INDUSTRIES);
        let name = format!("宁波{}{}有限公司{}", rng.pick(FIRM_WORDS), word, n + 1);
        let code = credit_code(&mut rng)
            .ok_or_else(|| AppError::BadRequest("demo credit code generation failed".into()))?;
        let enterprise: i64 = diesel::insert_into(enterprises::table)
            .values(NewEnterprise {
                name: &name,
                credit_code: code.as_str(),
                unit_id: streets[street_ix].id,
                industry: Some(industry),
                employee_count: Some(20 + rng.below(800) as i64),
                has_mediation_committee: rng.chance(60),
                created_at: now_n,
                updated_at: now_n,
            })
            .returning(enterprises::id)
            .get_result(conn)?;
        let officer = new_user(
            conn,
            &format!("officer{:03}", n + 1),
            &person_name(&mut rng),
            Role::Officer,
            Some(streets[street_ix].id),
            Some(enterprise),
        )?;
        diesel::update(enterprises::table.find(enterprise))
            .set(enterprises::officer_id.eq(Some(officer)))
            .execute(conn)?;
        firms.push((enterprise, street_ix, officer));
    }
    if firms.is_empty() {
        return Ok(());
    }

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
        let (enterprise, street_ix, officer) = *rng.pick(&firms);
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
        let last_event_at = events.last().map_or(received_at, |e| e.3);
        let id: i64 = diesel::insert_into(cases::table)
            .values(NewCase {
                case_no,
                unit_id: streets[street_ix].id,
                channel: channel.as_str().into(),
                category: category.as_str().into(),
                enterprise_id: enterprise,
                applicant_name: Some(person_name(&mut rng)),
                applicant_phone: Some(format!("13{}", 100_000_000 + rng.below(899_999_999))),
                applicant_id_number: id_number,
                workers_involved: workers,
                amount_claimed: amount,
                description: format!(
                    "{}名职工反映{}问题,请求协调处理。",
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
                })
                .execute(conn)?;
        }
    }
    for (year, last) in counters {
        diesel::insert_into(case_counters::table)
            .values((case_counters::year.eq(year), case_counters::last.eq(last)))
            .execute(conn)?;
    }

    for _ in 0..size.consultations {
        let (enterprise, street_ix, _) = *rng.pick(&firms);
        let topic = *rng.pick(Category::ALL);
        diesel::insert_into(consultations::table)
            .values(NewConsultation {
                unit_id: streets[street_ix].id,
                received_at: now_n - Duration::seconds(rng.below(year_secs) as i64),
                channel: rng
                    .pick(&[Channel::Visit, Channel::Phone, Channel::Online])
                    .as_str(),
                topic: topic.as_str(),
                workers: 1 + rng.below(3) as i64,
                enterprise_id: rng.chance(50).then_some(enterprise),
                summary: &format!(
                    "咨询{}相关法律规定,已当场解答。",
                    crate::i18n::name_zh("category", topic.as_str())
                ),
                answered_by: staff[street_ix][1],
                created_at: now_n,
            })
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
