//! The instalments of agreements past their date and not paid in full (issue 14), judged by the
//! allocation rule of `domain::fulfilment` over every payment of their cases: for the desk and
//! for the reminder scan (which asks only for those not yet reminded of).

use super::terms::as_paid;
use super::*;
use crate::db::models::TermRow;
use crate::db::schema::case_terms;
use crate::domain::fulfilment::{self, Paid, Term, TermKind, TermStatus};

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
    let mut terms: Vec<TermRow> = Vec::new();
    let mut paid: Vec<PaymentRow> = Vec::new();
    // In chunks: SQLite limits the number of bound values per statement.
    for chunk in case_ids.chunks(1000) {
        terms.extend(
            case_terms::table
                .filter(case_terms::case_id.eq_any(chunk))
                .order((case_terms::case_id, case_terms::position))
                .select(TermRow::as_select())
                .load(conn)?,
        );
        paid.extend(
            payments::table
                .filter(payments::case_id.eq_any(chunk))
                .order((payments::paid_at, payments::id))
                .select(PaymentRow::as_select())
                .load(conn)?,
        );
    }
    let mut out = Vec::new();
    for case_id in case_ids {
        let rows: Vec<&TermRow> = terms.iter().filter(|t| t.case_id == case_id).collect();
        let domain: Vec<Term> = rows
            .iter()
            .map(|t| Term {
                id: t.id,
                amount: t.amount.map(Fen::from_fen),
                due: t.due,
                // Obligations do not change how payments are allocated.
                performed_on: None,
            })
            .collect();
        let payments: Vec<Paid> = paid
            .iter()
            .filter(|p| p.case_id == case_id)
            .map(as_paid)
            .collect();
        let assessment = fulfilment::assess(&domain, &payments, today);
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
    let caller = caller.clone();
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
            Ok(overdue_instalments(conn, today, &narrowing)?)
        })
        .await
}
