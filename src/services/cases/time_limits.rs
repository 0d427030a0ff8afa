//! The days a case's arbitration limitation counts from (issue 14): the day the worker knew or
//! should have known of the infringement, and the day the employment ended. Intake and an edit
//! record them (`rights_known_on`, `employment_ended_on`; an empty value clears one); the case
//! carries its limitation as `domain::limitation` works it out from them, the category (wages in
//! arrears or not), the day mediation was applied for and how it ended.

use super::*;
use crate::db::schema::case_time_limits;
use crate::domain::limitation::{limitation, Claim, Limitation, Mediation};
use crate::domain::time::parse_day;

/// The two days as checked: each `None` when not sent, `Some(None)` when sent empty.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct Days {
    pub rights_known_on: Option<Option<NaiveDate>>,
    pub employment_ended_on: Option<Option<NaiveDate>>,
}

/// Checks the days as sent: a date each (or empty), neither after `today`.
pub(crate) fn check(
    errors: &mut FieldErrors,
    ctx: &Ctx,
    rights_known_on: Option<&str>,
    employment_ended_on: Option<&str>,
    today: NaiveDate,
) -> Days {
    let mut day = |field: &str, value: Option<&str>| {
        value.map(|v| match v.trim() {
            "" => None,
            v => errors
                .take(field, parse_day(v, ctx.settings.tz))
                .and_then(|d| match d > today {
                    true => {
                        errors.add(field, Code::InTheFuture);
                        None
                    }
                    false => Some(d),
                }),
        })
    };
    Days {
        rights_known_on: day("rights_known_on", rights_known_on),
        employment_ended_on: day("employment_ended_on", employment_ended_on),
    }
}

/// Writes the days sent of case `case_id`, keeping those not sent: the days on record after.
pub(crate) fn save(
    conn: &mut DbConn,
    case_id: i64,
    days: Days,
) -> QueryResult<Option<TimeLimitRow>> {
    let was = load(conn, case_id)?;
    if days.rights_known_on.is_none() && days.employment_ended_on.is_none() {
        return Ok(was);
    }
    let row = TimeLimitRow {
        case_id,
        rights_known_on: days
            .rights_known_on
            .unwrap_or(was.as_ref().and_then(|w| w.rights_known_on)),
        employment_ended_on: days
            .employment_ended_on
            .unwrap_or(was.as_ref().and_then(|w| w.employment_ended_on)),
    };
    diesel::delete(case_time_limits::table.find(case_id)).execute(conn)?;
    if row.rights_known_on.is_none() && row.employment_ended_on.is_none() {
        return Ok(None);
    }
    diesel::insert_into(case_time_limits::table)
        .values(&row)
        .execute(conn)?;
    Ok(Some(row))
}

/// The days on record of case `case_id`.
pub(crate) fn load(conn: &mut DbConn, case_id: i64) -> QueryResult<Option<TimeLimitRow>> {
    case_time_limits::table
        .find(case_id)
        .select(TimeLimitRow::as_select())
        .first(conn)
        .optional()
}

/// The limitation of the case in `row` with the days `days`, on the unit's calendar: applied
/// for on the day it was received, under way until it is closed, and ended on its closing day
/// (an agreement: on the day it was to be paid by, when it has one).
pub(super) fn limitation_of(ctx: &Ctx, row: &CaseRow, days: Option<&TimeLimitRow>) -> Limitation {
    let claim = Claim {
        rights_known_on: days.and_then(|d| d.rights_known_on),
        employment_ended_on: days.and_then(|d| d.employment_ended_on),
        wage_arrears: row.category == Category::WageArrears.as_str(),
    };
    let applied_on = ctx.local_date(Utc.from_utc_datetime(&row.received_at));
    let closed_on = row
        .closed_at
        .map(|t| ctx.local_date(Utc.from_utc_datetime(&t)));
    let mediation = match closed_on {
        None => Mediation::Pending,
        Some(closed) if row.status == CaseStatus::Resolved.as_str() => {
            Mediation::EndedOn(row.payment_due.unwrap_or(closed))
        }
        Some(closed) => Mediation::EndedOn(closed),
    };
    limitation(claim, applied_on, mediation, &ctx.settings.calendar)
}
