//! Demo data for `serve --demo` (and, larger, for benchmarks): a district with its streets and
//! communities, enterprises with valid credit codes and their officers, center staff, and a year
//! of cases in every status with their timelines, plus consultations. Deterministic: the same
//! size gives the same data.

mod words;
mod year;

use super::Ctx;
use crate::db::models::*;
use crate::db::schema::{consultations, enterprises, users};
use crate::db::DbConn;
use crate::domain::role::Role;
use crate::domain::vocab::{Category, Channel, UnitKind};
use crate::error::AppError;
use chrono::Duration;
use diesel::prelude::*;
use words::*;

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

/// Fills an empty database with demo data; leaves a non-empty one alone. Answers the logins.
pub fn ensure(ctx: &Ctx, size: DemoSize) -> Result<String, AppError> {
    let has_users: i64 = {
        let mut conn = ctx.db.get()?;
        users::table.count().get_result(&mut conn)?
    };
    if has_users == 0 {
        let hash = crate::domain::password::Password::try_from(DEMO_PASSWORD.to_string())
            .map_err(|e| AppError::BadRequest(e.to_string()))?
            .hash()
            .map_err(AppError::Failure)?;
        ctx.db.write_blocking(|conn| {
            // One bulk load, counted into PostgreSQL's statistics roll-up once at its end.
            crate::db::stats::rollup::counted_once(conn, ctx.settings.tz.name(), |conn| {
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
        let address = format!(
            "宁波市{}{}路{}号",
            streets[street_ix].name,
            word,
            1 + rng.below(300)
        );
        let representative = person_name(&mut rng);
        let phone = format!("0574-8{:07}", rng.below(10_000_000));
        let enterprise: i64 = diesel::insert_into(enterprises::table)
            .values(NewEnterprise {
                name: &name,
                credit_code: Some(code.as_str()),
                unit_id: streets[street_ix].id,
                industry: Some(industry),
                employee_count: Some(20 + rng.below(800) as i64),
                has_mediation_committee: rng.chance(60),
                created_at: now_n,
                updated_at: now_n,
                address: Some(&address),
                legal_representative: Some(&representative),
                phone: Some(&phone),
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

    let year_secs = 365 * 24 * 3600;
    year::year_of_cases(conn, ctx, size, &mut rng, &streets, &staff, &firms)?;

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
