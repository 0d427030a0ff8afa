//! The instalments of agreements past their date and not paid in full (issue 14), judged by the
//! allocation rule of `domain::fulfilment` over the payments of their cases (`terms::assessments_on`):
//! for the desk and for the reminder scan (which asks only for those not yet reminded of).

use super::*;
use crate::db::schema::case_terms;
use crate::domain::fulfilment::{TermKind, TermStatus};

/// An instalment past its date and not paid in full.
#[derive(Debug, Clone, Serialize)]
pub struct OverdueInstalment {
    pub case_id: i64,
    pub case_no: String,
    pub enterprise_name: String,
    pub mediator_id: Option<i64>,
    pub unit_id: i64,
    pub term_id: i64,
    pub due: NaiveDate,
    pub amount: Fen,
    pub paid: Fen,
    pub owed: Fen,
}

/// Where to look for overdue instalments.
#[derive(Debug, Default, Clone)]
pub(crate) struct Narrowing {
    pub units: Option<Vec<i64>>,
    pub enterprise_id: Option<i64>,
    pub mediator_id: Option<i64>,
    /// Only instalments not yet reminded of (the scan).
    pub unreminded: bool,
}

/// The instalments past their date on `today` and not paid in full, earliest date first: of
/// resolved cases still owing something, judged by the allocation rule over every payment.
pub(crate) fn overdue_instalments(
    conn: &mut DbConn,
    ctx: &Ctx,
    today: NaiveDate,
    narrowing: &Narrowing,
) -> QueryResult<Vec<OverdueInstalment>> {
    use crate::db::schema::reminders_sent;
    type Found = (i64, i64, String, String, Option<i64>, i64);
    let mut q = case_terms::table
        .inner_join(cases::table.inner_join(enterprises::table))
        .filter(case_terms::kind.eq(TermKind::Payment.as_str()))
        .filter(case_terms::due.lt(today))
        .filter(cases::status.eq(CaseStatus::Resolved.as_str()))
        .filter(cases::amount_paid.nullable().lt(cases::amount_agreed))
        .select((
            case_terms::id,
            cases::id,
            cases::case_no,
            enterprises::name,
            cases::mediator_id,
            cases::unit_id,
        ))
        .into_boxed();
    if let Some(units) = &narrowing.units {
        q = q.filter(cases::unit_id.eq_any(units.clone()));
    }
    if let Some(e) = narrowing.enterprise_id {
        q = q.filter(cases::enterprise_id.eq(e));
    }
    if let Some(m) = narrowing.mediator_id {
        q = q.filter(cases::mediator_id.eq(m));
    }
    if narrowing.unreminded {
        q = q.filter(diesel::dsl::not(diesel::dsl::exists(
            reminders_sent::table
                .filter(reminders_sent::kind.eq(REMINDER_KIND))
                .filter(reminders_sent::record_id.eq(case_terms::id)),
        )));
    }
    let found: Vec<Found> = q.load(conn)?;
    let mut case_ids: Vec<i64> = found.iter().map(|f| f.1).collect();
    case_ids.sort_unstable();
    case_ids.dedup();
    let mut out = Vec::new();
    for (case_id, rows, assessment) in super::terms::assessments_on(conn, ctx, &case_ids, today)? {
        for (t, s) in rows.iter().zip(assessment.terms) {
            let Some(f) = found.iter().find(|f| f.0 == t.id) else {
                continue;
            };
            if s.status != TermStatus::Overdue {
                continue;
            }
            let amount = Fen::from_fen(t.amount.unwrap_or(0));
            let paid = s.paid.unwrap_or(Fen::ZERO);
            out.push(OverdueInstalment {
                case_id,
                case_no: f.2.clone(),
                enterprise_name: f.3.clone(),
                mediator_id: f.4,
                unit_id: f.5,
                term_id: t.id,
                due: t.due.unwrap_or(today),
                amount,
                paid,
                owed: amount.checked_sub(paid).unwrap_or(Fen::ZERO),
            });
        }
    }
    out.sort_by(|a, b| (a.due, &a.case_no).cmp(&(b.due, &b.case_no)));
    Ok(out)
}

/// The `reminders_sent` kind of "an instalment is past its date".
pub(crate) const REMINDER_KIND: &str = "instalment";

/// The overdue instalments the caller should see on their desk: a mediator's own cases', every
/// case's in scope for a director or admin; none for others.
pub async fn desk_instalments(ctx: &Ctx, caller: &Caller) -> AppResult<Vec<OverdueInstalment>> {
    if !caller.may(Permission::RecordPayment) {
        return Ok(Vec::new());
    }
    let today = ctx.local_date(ctx.now());
    let (caller, c) = (caller.clone(), ctx.clone());
    ctx.db
        .read(move |conn| {
            let mut narrowing = Narrowing::default();
            match caller.scope() {
                Scope::All => {}
                Scope::Units(prefix) => {
                    narrowing.units = Some(crate::services::units_under(conn, &prefix)?)
                }
                Scope::Enterprise(e) => narrowing.enterprise_id = Some(e),
                Scope::Nothing => return Ok(Vec::new()),
            }
            if caller.role == Role::Mediator {
                narrowing.mediator_id = Some(caller.id);
            }
            Ok(overdue_instalments(conn, &c, today, &narrowing)?)
        })
        .await
}
