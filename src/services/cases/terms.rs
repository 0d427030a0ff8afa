//! An agreement's terms (issue 14): reading `terms` at closing, writing them with the case,
//! showing each with its state (`domain::fulfilment`), checking a payment against them and
//! recording an obligation performed. The instalments past their date are in `overdue`.

use super::*;
use crate::db::models::{NewTerm, TermRow};
use crate::db::schema::case_terms;
use crate::domain::fulfilment::{self, Fulfilment, Paid, Term, TermKind, TermStatus};
use crate::domain::permission::may_on_case;
use crate::domain::time::parse_day;

/// The most terms one agreement lists.
pub const TERMS_MAX: usize = 100;
/// The longest obligation, in characters.
pub const TERM_TEXT_MAX: usize = 1_000;

/// One term as a client sends it at closing.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TermInput {
    pub kind: String,
    pub amount: Option<String>,
    pub text: Option<String>,
    pub due: Option<String>,
}

/// One term, checked, to be written with the closing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct CheckedTerm {
    pub kind: TermKind,
    pub amount: Option<Fen>,
    pub text: Option<String>,
    pub due: Option<NaiveDate>,
}

/// The terms of a closing with an agreement and the amount agreed (their payments' sum). With
/// `terms`, `amount_agreed` may be left out and must equal that sum when sent; without them,
/// `amount_agreed` (with `payment_due`, if any) is one instalment, as clients written before
/// terms existed send it.
pub(super) fn check_terms(
    errors: &mut FieldErrors,
    tz: chrono_tz::Tz,
    terms: Option<&[TermInput]>,
    amount_agreed: Option<&str>,
    payment_due: Option<&str>,
) -> Option<(Fen, Vec<CheckedTerm>)> {
    let due_of = |errors: &mut FieldErrors, field: &str, v: Option<&str>| match v.map(str::trim) {
        None | Some("") => Some(None),
        Some(v) => errors.take(field, parse_day(v, tz)).map(Some),
    };
    let Some(terms) = terms else {
        let amount: Option<Fen> = required(errors, "amount_agreed", amount_agreed);
        let due = due_of(errors, "payment_due", payment_due)?;
        let amount = amount?;
        let one = (amount > Fen::ZERO).then_some(CheckedTerm {
            kind: TermKind::Payment,
            amount: Some(amount),
            text: None,
            due,
        });
        return Some((amount, one.into_iter().collect()));
    };
    if payment_due.is_some_and(|d| !d.trim().is_empty()) {
        errors.add("payment_due", Code::PaymentDueWithTerms);
    }
    if terms.is_empty() {
        errors.add("terms", Code::NoTerms);
        return None;
    }
    if terms.len() > TERMS_MAX {
        errors.add("terms", Code::TooManyTerms.with("max", TERMS_MAX));
        return None;
    }
    let mut checked = Vec::new();
    for (i, t) in terms.iter().enumerate() {
        let at = |f: &str| format!("terms[{i}].{f}");
        let Some(kind) = errors.take(&at("kind"), t.kind.trim().parse::<TermKind>()) else {
            continue;
        };
        let due = match (kind, t.due.as_deref().map(str::trim)) {
            (TermKind::Payment, None | Some("")) => {
                errors.add(&at("due"), Code::RequiredDate);
                None
            }
            (_, d) => due_of(errors, &at("due"), d).flatten(),
        };
        match kind {
            TermKind::Payment => {
                if t.text.is_some() {
                    errors.add(&at("text"), Code::NotAField);
                }
                let amount: Option<Fen> = required(errors, &at("amount"), t.amount.as_deref());
                if amount == Some(Fen::ZERO) {
                    errors.add(&at("amount"), Code::MoreThan.with("min", 0));
                }
                if let (Some(amount), Some(due)) = (amount, due) {
                    checked.push(CheckedTerm {
                        kind,
                        amount: Some(amount),
                        text: None,
                        due: Some(due),
                    });
                }
            }
            TermKind::Obligation => {
                if t.amount.is_some() {
                    errors.add(&at("amount"), Code::NotAField);
                }
                let text = required_text(errors, &at("text"), t.text.as_deref(), TERM_TEXT_MAX);
                if let Some(text) = text {
                    checked.push(CheckedTerm {
                        kind,
                        amount: None,
                        text: Some(text),
                        due,
                    });
                }
            }
        }
    }
    let digits = crate::domain::money::MAX_INTEGER_DIGITS;
    // Every amount fits, but their sum must too (at most `digits` digits of yuan).
    let limit = 10i64.pow(u32::try_from(digits).unwrap_or(10)) * 100;
    let sum = checked
        .iter()
        .filter_map(|t| t.amount)
        .try_fold(Fen::ZERO, Fen::checked_add)
        .filter(|s| s.fen() < limit);
    let Some(sum) = sum else {
        errors.add("terms", Code::AmountTooLarge.with("digits", digits));
        return None;
    };
    let amount = parse_opt::<Fen>(errors, "amount_agreed", amount_agreed).flatten();
    if let Some(sent) = amount {
        if sent != sum && checked.len() == terms.len() {
            errors.add("amount_agreed", Code::NotTheInstalmentsSum.with("sum", sum));
        }
    }
    (checked.len() == terms.len()).then_some((sum, checked))
}

/// Writes the terms of a closing, in their order.
pub(super) fn insert_terms(
    conn: &mut DbConn,
    case_id: i64,
    terms: &[CheckedTerm],
    now: NaiveDateTime,
) -> QueryResult<()> {
    for (position, t) in terms.iter().enumerate() {
        diesel::insert_into(case_terms::table)
            .values(NewTerm {
                case_id,
                position: i64::try_from(position).unwrap_or(i64::MAX),
                kind: t.kind.as_str(),
                amount: t.amount.map(Fen::fen),
                text: t.text.as_deref(),
                due: t.due,
                created_at: now,
            })
            .execute(conn)?;
    }
    Ok(())
}

/// The one instalment of an agreement that has only an amount and perhaps a date (a ledger's
/// row, the demo's cases); its id, or `None` when nothing is to be paid.
pub(crate) fn single_instalment(
    conn: &mut DbConn,
    case_id: i64,
    amount: Fen,
    due: Option<NaiveDate>,
    now: NaiveDateTime,
) -> QueryResult<Option<i64>> {
    if amount <= Fen::ZERO {
        return Ok(None);
    }
    diesel::insert_into(case_terms::table)
        .values(NewTerm {
            case_id,
            position: 0,
            kind: TermKind::Payment.as_str(),
            amount: Some(amount.fen()),
            text: None,
            due,
            created_at: now,
        })
        .returning(case_terms::id)
        .get_result(conn)
        .map(Some)
}

/// The terms of a case, in their order.
pub(super) fn load(conn: &mut DbConn, case_id: i64) -> QueryResult<Vec<TermRow>> {
    case_terms::table
        .filter(case_terms::case_id.eq(case_id))
        .order(case_terms::position)
        .select(TermRow::as_select())
        .load(conn)
}

fn as_term(ctx: &Ctx, row: &TermRow) -> Term {
    Term {
        id: row.id,
        amount: row.amount.map(Fen::from_fen),
        due: row.due,
        performed_on: row.performed_at.map(|t| ctx.local_date(utc(t))),
    }
}

pub(super) fn as_paid(row: &PaymentRow) -> Paid {
    Paid {
        amount: Fen::from_fen(row.amount),
        on: row.paid_at,
        term_id: row.term_id,
    }
}

/// Each case of `case_ids` that has terms, with its terms in order and how they stood on `as_of`,
/// counting only what was paid or performed by then: the reports, the ledger, the desk and the
/// reminder scan. Terms and payments are read per chunk of cases.
pub(super) fn assessments_on(
    conn: &mut DbConn,
    ctx: &Ctx,
    case_ids: &[i64],
    as_of: NaiveDate,
) -> QueryResult<Vec<(i64, Vec<TermRow>, fulfilment::Assessment)>> {
    let mut out = Vec::new();
    // In chunks: SQLite limits the number of bound values per statement.
    for chunk in case_ids.chunks(1000) {
        let terms: Vec<TermRow> = case_terms::table
            .filter(case_terms::case_id.eq_any(chunk))
            .order((case_terms::case_id, case_terms::position))
            .select(TermRow::as_select())
            .load(conn)?;
        let paid: Vec<PaymentRow> = payments::table
            .filter(payments::case_id.eq_any(chunk))
            .filter(payments::paid_at.le(as_of))
            .order((payments::paid_at, payments::id))
            .select(PaymentRow::as_select())
            .load(conn)?;
        for &case_id in chunk {
            let rows: Vec<TermRow> = terms
                .iter()
                .filter(|t| t.case_id == case_id)
                .cloned()
                .collect();
            if rows.is_empty() {
                continue;
            }
            let domain: Vec<Term> = rows
                .iter()
                .map(|t| {
                    let mut term = as_term(ctx, t);
                    term.performed_on = term.performed_on.filter(|d| *d <= as_of);
                    term
                })
                .collect();
            let payments: Vec<Paid> = paid
                .iter()
                .filter(|p| p.case_id == case_id)
                .map(as_paid)
                .collect();
            let assessment = fulfilment::assess(&domain, &payments, as_of);
            out.push((case_id, rows, assessment));
        }
    }
    Ok(out)
}

/// How the agreements of the cases `case_ids` stood on `as_of`: each case with terms, and its
/// fulfilment.
pub(crate) fn fulfilments_on(
    conn: &mut DbConn,
    ctx: &Ctx,
    case_ids: &[i64],
    as_of: NaiveDate,
) -> QueryResult<std::collections::BTreeMap<i64, Fulfilment>> {
    Ok(assessments_on(conn, ctx, case_ids, as_of)?
        .into_iter()
        .map(|(id, _, a)| (id, a.fulfilment))
        .collect())
}

/// Of the agreements of `case_ids` on `as_of`: (fully performed, overdue).
pub(crate) fn performance_on(
    conn: &mut DbConn,
    ctx: &Ctx,
    case_ids: &[i64],
    as_of: NaiveDate,
) -> QueryResult<(i64, i64)> {
    let all = fulfilments_on(conn, ctx, case_ids, as_of)?;
    let count = |f: Fulfilment| all.values().filter(|&&v| v == f).count() as i64;
    Ok((count(Fulfilment::Performed), count(Fulfilment::Overdue)))
}

/// One term as the case shows it.
#[derive(Debug, Serialize)]
pub struct TermView {
    pub id: i64,
    pub kind: TermKind,
    /// An instalment's amount; null for an obligation.
    pub amount: Option<Fen>,
    /// An obligation's words; null for an instalment.
    pub text: Option<String>,
    pub due: Option<NaiveDate>,
    /// What an instalment has received so far (by the allocation rule); null for an obligation.
    pub paid: Option<Fen>,
    pub performed_on: Option<NaiveDate>,
    pub performed_note: Option<String>,
    pub status: TermStatus,
    /// Performed after its due date.
    pub late: bool,
}

/// The terms with their states, and the whole agreement's, as of the context's today; no
/// fulfilment for a case that did not close with an agreement.
pub(super) fn shown(
    ctx: &Ctx,
    row: &CaseRow,
    terms: Vec<TermRow>,
    payments: &[PaymentRow],
) -> (Vec<TermView>, Option<Fulfilment>) {
    if row.outcome.as_deref() != Some("agreement") {
        return (Vec::new(), None);
    }
    let today = ctx.local_date(ctx.now());
    let domain: Vec<Term> = terms.iter().map(|t| as_term(ctx, t)).collect();
    let paid: Vec<Paid> = payments.iter().map(as_paid).collect();
    let assessment = fulfilment::assess(&domain, &paid, today);
    let views = terms
        .into_iter()
        .zip(assessment.terms)
        .map(|(t, s)| TermView {
            id: t.id,
            kind: t.kind.parse().unwrap_or(TermKind::Obligation),
            amount: t.amount.map(Fen::from_fen),
            text: t.text,
            due: t.due,
            paid: s.paid,
            performed_on: s.performed_on,
            performed_note: t.performed_note,
            status: s.status,
            late: s.late,
        })
        .collect();
    (views, Some(assessment.fulfilment))
}

/// Whether a payment of `amount` may be recorded against `term_id` on the case: an instalment
/// of its agreement that still owes that much.
pub(super) fn check_payment_term(
    conn: &mut DbConn,
    ctx: &Ctx,
    case_id: i64,
    term_id: Option<i64>,
    amount: Fen,
    on: NaiveDate,
) -> AppResult<()> {
    if term_id.is_none() {
        return Ok(());
    }
    let terms: Vec<Term> = load(conn, case_id)?
        .iter()
        .map(|t| as_term(ctx, t))
        .collect();
    let earlier: Vec<Paid> = payments::table
        .filter(payments::case_id.eq(case_id))
        .order((payments::paid_at, payments::id))
        .select(PaymentRow::as_select())
        .load(conn)?
        .iter()
        .map(as_paid)
        .collect();
    let payment = Paid {
        amount,
        on,
        term_id,
    };
    fulfilment::check_payment(&terms, &earlier, &payment)
        .map_err(|e| AppError::field("term_id", &e))
}

/// The body of `POST /cases/{id}/terms/{term_id}/performed`.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PerformInput {
    pub at: Option<String>,
    pub note: Option<String>,
}

/// Records an obligation of a resolved case's agreement performed, with its event; the same
/// people may do it, in the same order of checks, as may record a payment.
pub async fn perform(
    ctx: &Ctx,
    caller: &Caller,
    id: i64,
    term_id: i64,
    input: PerformInput,
) -> AppResult<CaseView> {
    changing_case(
        ctx,
        caller,
        id,
        Permission::RecordPayment,
        move |conn, c, caller, row| {
            let status: CaseStatus = row
                .status
                .parse()
                .map_err(|_| AppError::InvalidTransition(Code::UnknownCaseStatus.into()))?;
            transition(status, ActionKind::Payment, row.extended)
                .map_err(super::actions::workflow_error)?;
            caller.require_that(may_on_case(
                caller.role,
                caller.id,
                row.mediator_id,
                ActionKind::Payment,
            ))?;
            let term: TermRow = case_terms::table
                .filter(case_terms::id.eq(term_id))
                .filter(case_terms::case_id.eq(id))
                .select(TermRow::as_select())
                .first(conn)
                .optional()?
                .ok_or_else(|| AppError::not_found("term"))?;
            if term.kind != TermKind::Obligation.as_str() {
                return Err(AppError::InvalidTransition(
                    Code::InstalmentPaidNotPerformed.into(),
                ));
            }
            if term.performed_at.is_some() {
                return Err(AppError::InvalidTransition(
                    Code::TermPerformedAlready.into(),
                ));
            }
            let now = c.now();
            let mut errors = FieldErrors::default();
            let at = match input.at.as_deref() {
                Some(a) => errors.take("at", crate::domain::time::parse_instant(a)),
                None => Some(now),
            };
            let note = optional_text(&mut errors, "note", input.note.as_deref(), LONG_TEXT_MAX);
            if let Some(a) = at {
                if a > now {
                    errors.add("at", Code::InTheFuture);
                } else if a < utc(row.last_event_at) {
                    errors.add("at", Code::BeforePreviousEvent);
                }
            }
            let (Some(at), Some(note), true) = (at, note, errors.is_empty()) else {
                return Err(AppError::Validation(errors));
            };
            let (at_n, now_n) = (at.naive_utc(), now.naive_utc());
            diesel::update(case_terms::table.find(term_id))
                .set((
                    case_terms::performed_at.eq(Some(at_n)),
                    case_terms::performed_by.eq(Some(caller.id)),
                    case_terms::performed_note.eq(note.as_deref()),
                ))
                .execute(conn)?;
            let changed =
                diesel::update(cases::table.find(id).filter(cases::version.eq(row.version)))
                    .set((
                        cases::last_event_at.eq(at_n.max(row.last_event_at)),
                        cases::version.eq(row.version + 1),
                        cases::updated_at.eq(now_n),
                    ))
                    .execute(conn)?;
            if changed == 0 {
                return Err(AppError::VersionConflict);
            }
            let what = term.text.unwrap_or_default();
            let event_note = match &note {
                Some(n) => format!("{what}: {n}"),
                None => what,
            };
            insert_event(
                conn,
                NewCaseEvent {
                    case_id: id,
                    actor_id: Some(caller.id),
                    at: at_n,
                    action: "performed",
                    from_status: Some(status.as_str()),
                    to_status: Some(status.as_str()),
                    note: Some(&event_note),
                    created_at: now_n,
                    assignee_id: None,
                },
            )?;
            load_view(conn, c, caller, id)
        },
    )
    .await
}
