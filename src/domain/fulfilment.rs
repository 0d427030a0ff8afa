//! The performance (履行) of an agreement's terms: which instalments the payments paid, and how
//! each term and the whole agreement stand on a given day. Pure: the terms, the payments and
//! today's date in, the states out.
//!
//! **Allocation.** A payment recorded against an instalment (`term_id`) pays that instalment.
//! A payment recorded against none pays the instalments still owing, the earliest due date
//! first (an instalment without a date after every dated one; equal dates in the agreement's
//! order), running on into the next when it pays more than one owes. Payments against an
//! instalment are counted first, then the others in the order they were paid, so a payment
//! against none never takes what a named one paid. An instalment is performed once what it
//! received reaches its amount, on the day of the latest payment that went into it.
//!
//! **States.** A term is `performed` (an instalment paid in full, an obligation recorded done),
//! `overdue` (not performed and its date is past: the day after the due date, as a deadline's
//! day is still in time) or `pending`. The agreement is `performed` when every term is,
//! `overdue` when any term is, `not_due` while nothing is performed and no term's date has come,
//! and `on_time` otherwise (something performed or due today, nothing overdue).

use super::money::Fen;
use super::problem::{Code, Problem};
use super::vocab::code_enum;
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

code_enum!(
    /// What a term asks for: money by a date, or something done.
    TermKind {
        Payment => "payment",
        Obligation => "obligation",
    }
);

code_enum!(
    /// How one term stands on a day.
    TermStatus {
        Pending => "pending",
        Performed => "performed",
        Overdue => "overdue",
    }
);

code_enum!(
    /// How the whole agreement stands on a day.
    Fulfilment {
        NotDue => "not_due",
        OnTime => "on_time",
        Overdue => "overdue",
        Performed => "performed",
    }
);

/// One term as the assessment needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub id: i64,
    /// The amount of an instalment; `None` for an obligation.
    pub amount: Option<Fen>,
    pub due: Option<NaiveDate>,
    /// The day an obligation was recorded done (instalments are performed by payments).
    pub performed_on: Option<NaiveDate>,
}

/// One payment, in the order recorded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paid {
    pub amount: Fen,
    pub on: NaiveDate,
    pub term_id: Option<i64>,
}

/// One term's state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermState {
    pub id: i64,
    /// What the instalment has received so far; `None` for an obligation.
    pub paid: Option<Fen>,
    pub performed_on: Option<NaiveDate>,
    pub status: TermStatus,
    /// Performed after its due date.
    pub late: bool,
}

/// The states of every term, in the agreement's order, and of the whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assessment {
    pub terms: Vec<TermState>,
    pub fulfilment: Fulfilment,
}

/// Why a payment cannot go where it was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PaymentError {
    /// `term_id` names no instalment of this agreement.
    NotAnInstalment,
    /// More than the instalment still owes.
    MoreThanOwed { owed: Fen },
}

impl From<&PaymentError> for Problem {
    fn from(e: &PaymentError) -> Problem {
        match e {
            PaymentError::NotAnInstalment => Code::NotAnInstalment.into(),
            PaymentError::MoreThanOwed { owed } => Code::MoreThanOwed.with("owed", owed),
        }
    }
}

crate::domain::problem::problem_display!(PaymentError);

/// Per term (in the order of `terms`), what it received and the day of the last payment in it.
fn allocate(terms: &[Term], payments: &[Paid]) -> Vec<(Fen, Option<NaiveDate>)> {
    fn put(got: &mut [(Fen, Option<NaiveDate>)], i: usize, amount: Fen, on: NaiveDate) {
        let (sum, last) = &mut got[i];
        *sum = sum.checked_add(amount).unwrap_or(*sum);
        *last = Some(last.map_or(on, |l| l.max(on)));
    }
    let mut got: Vec<(Fen, Option<NaiveDate>)> = vec![(Fen::ZERO, None); terms.len()];
    let mut loose = Vec::new();
    for p in payments {
        match p
            .term_id
            .and_then(|id| terms.iter().position(|t| t.id == id && t.amount.is_some()))
        {
            Some(i) => put(&mut got, i, p.amount, p.on),
            None => loose.push(p),
        }
    }
    // The order instalments are paid in: earliest date first, undated last, then as listed.
    let mut order: Vec<usize> = (0..terms.len())
        .filter(|&i| terms[i].amount.is_some())
        .collect();
    order.sort_by_key(|&i| (terms[i].due.is_none(), terms[i].due, i));
    // Stable: paid earlier first; the same day as recorded.
    loose.sort_by_key(|p| p.on);
    for p in loose {
        let mut left = p.amount;
        for &i in &order {
            if left <= Fen::ZERO {
                break;
            }
            let owed = terms[i]
                .amount
                .unwrap_or(Fen::ZERO)
                .checked_sub(got[i].0)
                .unwrap_or(Fen::ZERO);
            if owed <= Fen::ZERO {
                continue;
            }
            let take = owed.min(left);
            put(&mut got, i, take, p.on);
            left = left.checked_sub(take).unwrap_or(Fen::ZERO);
        }
    }
    got
}

/// How the terms stand on `today`, given the payments made under them.
pub fn assess(terms: &[Term], payments: &[Paid], today: NaiveDate) -> Assessment {
    let got = allocate(terms, payments);
    let states: Vec<TermState> = terms
        .iter()
        .zip(got)
        .map(|(t, (sum, last))| {
            let performed_on = match t.amount {
                Some(amount) if sum >= amount => last,
                Some(_) => None,
                None => t.performed_on,
            };
            let status = match (performed_on, t.due) {
                (Some(_), _) => TermStatus::Performed,
                (None, Some(due)) if due < today => TermStatus::Overdue,
                _ => TermStatus::Pending,
            };
            TermState {
                id: t.id,
                paid: t.amount.map(|_| sum),
                performed_on,
                status,
                late: matches!((performed_on, t.due), (Some(on), Some(due)) if on > due),
            }
        })
        .collect();
    let all = |s: TermStatus| states.iter().all(|t| t.status == s);
    let any = |s: TermStatus| states.iter().any(|t| t.status == s);
    let come = terms.iter().any(|t| t.due.is_some_and(|d| d <= today));
    let fulfilment = if all(TermStatus::Performed) {
        Fulfilment::Performed
    } else if any(TermStatus::Overdue) {
        Fulfilment::Overdue
    } else if any(TermStatus::Performed) || come {
        Fulfilment::OnTime
    } else {
        Fulfilment::NotDue
    };
    Assessment {
        terms: states,
        fulfilment,
    }
}

/// Whether `payment` may be recorded beside `earlier`: against an instalment of these terms
/// (when it names one) and for no more than that instalment still owes. The total against
/// the agreed amount is the workflow's rule (`case::decide`).
pub fn check_payment(terms: &[Term], earlier: &[Paid], payment: &Paid) -> Result<(), PaymentError> {
    let Some(id) = payment.term_id else {
        return Ok(());
    };
    let i = terms
        .iter()
        .position(|t| t.id == id && t.amount.is_some())
        .ok_or(PaymentError::NotAnInstalment)?;
    let got = allocate(terms, earlier);
    let owed = terms[i]
        .amount
        .unwrap_or(Fen::ZERO)
        .checked_sub(got[i].0)
        .unwrap_or(Fen::ZERO);
    if payment.amount > owed {
        return Err(PaymentError::MoreThanOwed { owed });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 3, d).unwrap()
    }
    fn yuan(y: i64) -> Fen {
        Fen::from_fen(y * 100)
    }
    fn instalment(id: i64, amount: i64, due: u32) -> Term {
        Term {
            id,
            amount: Some(yuan(amount)),
            due: Some(day(due)),
            performed_on: None,
        }
    }
    fn obligation(id: i64, due: Option<u32>, done: Option<u32>) -> Term {
        Term {
            id,
            amount: None,
            due: due.map(day),
            performed_on: done.map(day),
        }
    }
    fn paid(amount: i64, on: u32, term_id: Option<i64>) -> Paid {
        Paid {
            amount: yuan(amount),
            on: day(on),
            term_id,
        }
    }
    fn statuses(a: &Assessment) -> Vec<TermStatus> {
        a.terms.iter().map(|t| t.status).collect()
    }

    #[test]
    fn the_agreement_stands_as_its_terms_do_on_the_day() {
        use Fulfilment as F;
        use TermStatus::{Overdue as O, Pending as P, Performed as D};
        let two = || vec![instalment(1, 100, 10), instalment(2, 100, 20)];
        let with_obligation = || {
            let mut t = two();
            t.push(obligation(3, Some(15), None));
            t
        };
        // (terms, payments, today, term states, the whole)
        type Row = (Vec<Term>, Vec<Paid>, u32, Vec<TermStatus>, Fulfilment);
        let table: Vec<Row> = vec![
            (two(), vec![], 5, vec![P, P], F::NotDue),
            (two(), vec![], 10, vec![P, P], F::OnTime),
            (two(), vec![], 11, vec![O, P], F::Overdue),
            (two(), vec![paid(100, 9, None)], 11, vec![D, P], F::OnTime),
            (two(), vec![paid(50, 9, None)], 11, vec![O, P], F::Overdue),
            (two(), vec![paid(100, 12, None)], 12, vec![D, P], F::OnTime),
            (
                two(),
                vec![paid(200, 9, None)],
                25,
                vec![D, D],
                F::Performed,
            ),
            (two(), vec![paid(100, 9, None)], 21, vec![D, O], F::Overdue),
            (
                with_obligation(),
                vec![paid(200, 9, None)],
                16,
                vec![D, D, O],
                F::Overdue,
            ),
            (
                with_obligation(),
                vec![paid(200, 9, None)],
                12,
                vec![D, D, P],
                F::OnTime,
            ),
            (
                vec![obligation(1, None, None)],
                vec![],
                28,
                vec![P],
                F::NotDue,
            ),
            (
                vec![obligation(1, None, Some(3))],
                vec![],
                28,
                vec![D],
                F::Performed,
            ),
            (vec![], vec![], 28, vec![], F::Performed),
        ];
        for (i, (terms, payments, today, want, whole)) in table.into_iter().enumerate() {
            let a = assess(&terms, &payments, day(today));
            assert_eq!(statuses(&a), want, "row {i}");
            assert_eq!(a.fulfilment, whole, "row {i}");
        }
    }

    #[test]
    fn a_payment_against_no_instalment_pays_the_earliest_due_first_and_runs_on() {
        // Listed later but due earlier: paid first.
        let terms = vec![instalment(1, 100, 20), instalment(2, 100, 10)];
        let a = assess(&terms, &[paid(150, 5, None)], day(5));
        assert_eq!(a.terms[1].paid, Some(yuan(100)));
        assert_eq!(a.terms[0].paid, Some(yuan(50)));
        assert_eq!(a.terms[1].performed_on, Some(day(5)));
        assert_eq!(a.terms[0].performed_on, None);
    }

    #[test]
    fn an_undated_instalment_is_paid_after_the_dated_ones() {
        let terms = vec![
            Term {
                id: 1,
                amount: Some(yuan(100)),
                due: None,
                performed_on: None,
            },
            instalment(2, 100, 28),
        ];
        let a = assess(&terms, &[paid(100, 5, None)], day(5));
        assert_eq!(a.terms[0].paid, Some(Fen::ZERO));
        assert_eq!(a.terms[1].paid, Some(yuan(100)));
    }

    #[test]
    fn a_named_payment_is_counted_first_and_a_loose_one_does_not_take_its_place() {
        let terms = vec![instalment(1, 100, 10), instalment(2, 100, 20)];
        // The loose payment came first, but the second instalment was named by the other.
        let payments = vec![paid(100, 3, None), paid(100, 4, Some(2))];
        let a = assess(&terms, &payments, day(5));
        assert_eq!(a.terms[0].paid, Some(yuan(100)));
        assert_eq!(a.terms[1].paid, Some(yuan(100)));
        assert_eq!(a.fulfilment, Fulfilment::Performed);
    }

    #[test]
    fn an_instalment_paid_after_its_date_is_performed_and_marked_late() {
        let terms = vec![instalment(1, 100, 10)];
        let payments = vec![paid(40, 8, None), paid(60, 12, None)];
        let a = assess(&terms, &payments, day(12));
        assert_eq!(a.terms[0].status, TermStatus::Performed);
        assert_eq!(a.terms[0].performed_on, Some(day(12)));
        assert!(a.terms[0].late);
        let on_time = assess(&terms, &[paid(100, 10, None)], day(12));
        assert!(!on_time.terms[0].late);
    }

    #[test]
    fn a_payment_may_name_only_an_instalment_and_no_more_than_it_owes() {
        let terms = vec![instalment(1, 100, 10), obligation(2, None, None)];
        let earlier = vec![paid(30, 3, None)];
        assert_eq!(
            check_payment(&terms, &earlier, &paid(70, 4, Some(1))),
            Ok(())
        );
        assert_eq!(
            check_payment(&terms, &earlier, &paid(71, 4, Some(1))),
            Err(PaymentError::MoreThanOwed { owed: yuan(70) })
        );
        assert_eq!(
            check_payment(&terms, &earlier, &paid(1, 4, Some(2))),
            Err(PaymentError::NotAnInstalment)
        );
        assert_eq!(
            check_payment(&terms, &earlier, &paid(1, 4, Some(9))),
            Err(PaymentError::NotAnInstalment)
        );
        assert_eq!(check_payment(&terms, &earlier, &paid(500, 4, None)), Ok(()));
    }
}
