//! Who sees the applicant's phone and ID number whole, masked or not at all (SPEC.md, Personal
//! data), and the access-log rows of each whole value seen.

use super::*;

/// Why a case is read: its page (and the answers of the JSON API), or a document printed for
/// signing, which carries the applicant's whole ID number for the case's own mediator too.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    Page,
    Print,
}

/// How one particular of the applicant is shown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Shown {
    Hidden,
    Masked,
    Whole,
}

/// How `caller` sees the applicant's phone and ID number on this case (SPEC.md, Personal data):
/// the whole phone number to directors, admins and the case's own mediator, who must call the
/// applicant; the whole ID number to directors and admins, and to the case's own mediator on a
/// printed document; masked to everyone else; an officer sees neither.
pub(super) fn sight(caller: &Caller, row: &CaseRow, purpose: Purpose) -> (Shown, Shown) {
    let own_mediator = caller.role == Role::Mediator && row.mediator_id == Some(caller.id);
    match caller.role {
        Role::Officer => (Shown::Hidden, Shown::Hidden),
        r if r.is_manager() => (Shown::Whole, Shown::Whole),
        _ if own_mediator && purpose == Purpose::Print => (Shown::Whole, Shown::Whole),
        _ if own_mediator => (Shown::Whole, Shown::Masked),
        _ => (Shown::Masked, Shown::Masked),
    }
}

/// How a list shows the applicant's phone: masked to everyone (a list is never a whole view),
/// and not at all to an officer.
pub(super) fn list_sight(caller: &Caller) -> Shown {
    match caller.role {
        Role::Officer => Shown::Hidden,
        _ => Shown::Masked,
    }
}

/// A particular as `how` shows it.
pub(super) fn shown(how: Shown, value: Option<String>, mask: fn(&str) -> String) -> Option<String> {
    match how {
        Shown::Hidden => None,
        Shown::Masked => value.as_deref().map(mask),
        Shown::Whole => value,
    }
}

/// The access-log actions of the whole values `caller` is about to see on this case (of any of
/// its applicants).
pub(super) fn whole_views(
    caller: &Caller,
    row: &CaseRow,
    applicants: &[ApplicantRow],
    purpose: Purpose,
) -> Vec<&'static str> {
    let (phone, id_number) = sight(caller, row, purpose);
    let (phones, id_numbers) = super::applicants::numbers_on_record(row, applicants);
    let mut views = Vec::new();
    if phone == Shown::Whole && phones {
        views.push(access::VIEW_PHONE);
    }
    if id_number == Shown::Whole && id_numbers {
        views.push(access::VIEW_ID_NUMBER);
    }
    views
}

/// Logs each whole value `caller` gets on this case's page, in the caller's transaction.
pub(crate) fn log_whole_views(
    conn: &mut DbConn,
    caller: &Caller,
    row: &CaseRow,
    applicants: &[ApplicantRow],
    now: NaiveDateTime,
) -> QueryResult<()> {
    let views = whole_views(caller, row, applicants, Purpose::Page);
    record_views(conn, caller.id, row.id, &views, now)
}

pub(super) fn record_views(
    conn: &mut DbConn,
    user_id: i64,
    case_id: i64,
    views: &[&'static str],
    now: NaiveDateTime,
) -> QueryResult<()> {
    for action in views {
        access::record(conn, user_id, action, "case", Some(case_id), now)?;
    }
    Ok(())
}
