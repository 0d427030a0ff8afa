//! What each role may do: one table of roles × permissions, read by the services (which check
//! it before anything else, a `false` being a 403) and by the pages (which show only what may be
//! opened). Whether a caller may act on a particular record also depends on scope (`Scope`, a
//! 404 outside it) and, where the table says `Assigned`, on being the case's mediator.
//!
//! A new permission is a variant here and a row in `TABLE`; the test below fails until every
//! variant has exactly one row.

use crate::domain::case::{transition, ActionKind, CaseStatus};
use crate::domain::role::Role;
use crate::domain::warning::{self, WarningAction, WarningStatus};

/// Something a caller may be allowed to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Permission {
    /// Open the case list and case pages (viewers see no personal data, so no cases).
    ReadCases,
    /// Register a case at intake.
    RegisterCase,
    AcceptCase,
    RejectCase,
    AssignCase,
    RecordSession,
    ExtendCase,
    CloseCase,
    WithdrawCase,
    RecordPayment,
    /// Correct a case's particulars (`PATCH`).
    EditCase,
    /// Add a note to a case's file.
    NoteCase,
    /// Record and read legal consultations.
    Consult,
    /// Report warnings and read them.
    ReadWarnings,
    /// Acknowledge, defuse and escalate warnings.
    HandleWarnings,
    /// Read the monthly and yearly statistics.
    ReadReports,
    /// Receive the monthly report by email.
    SubscribeReports,
    /// Download the ledger (台账) of a period.
    ExportLedger,
    /// Import a ledger workbook.
    ImportLedger,
    /// Look up enterprises (to pick one at intake, say).
    ReadEnterprises,
    /// Register, edit and deactivate enterprises and name their officers.
    ManageEnterprises,
    /// Register a small enterprise on the spot, in the caller's own unit (credit code optional).
    RegisterSmallEnterprise,
    /// List the center's staff (to assign a case, say).
    ListStaff,
    /// Create, edit and deactivate users.
    ManageUsers,
    /// Create and edit units.
    ManageUnits,
    /// Read the outbox and the notification log.
    ReadOutbox,
    /// Send an outbox row again.
    ResendOutbox,
    /// Attach evidence to a case of the caller's scope (staff).
    AttachEvidence,
    /// Attach photos to a warning the caller sees (an officer: of their own enterprise).
    AttachWarningPhotos,
    /// Mark an item of evidence removed, with a reason (its file stays).
    RemoveEvidence,
    /// Record a closed case's follow-up (回访), or waive it with a reason.
    FollowUpCase,
    /// Archive a closed case (归档), one or several at once.
    ArchiveCase,
}

/// How far a role holds a permission.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    Never,
    Always,
    /// Only on a case the caller is the assigned mediator of (or on one with no mediator yet).
    Assigned,
}

use Grant::{Always as Y, Assigned as A, Never as N};
use Permission as P;

/// The table, one row per permission, one column per role in the order of `COLUMNS`.
const COLUMNS: [Role; 5] = [
    Role::Admin,
    Role::Director,
    Role::Mediator,
    Role::Officer,
    Role::Viewer,
];

#[rustfmt::skip]
const TABLE: [(Permission, [Grant; 5]); 32] = [
    //                        admin director mediator officer viewer
    (P::ReadCases,           [Y,    Y,       Y,       Y,      N]),
    (P::RegisterCase,        [Y,    Y,       Y,       N,      N]),
    (P::AcceptCase,          [Y,    Y,       Y,       N,      N]),
    (P::RejectCase,          [Y,    Y,       Y,       N,      N]),
    (P::AssignCase,          [Y,    Y,       N,       N,      N]),
    (P::RecordSession,       [Y,    Y,       A,       N,      N]),
    (P::ExtendCase,          [Y,    Y,       N,       N,      N]),
    (P::CloseCase,           [Y,    Y,       A,       N,      N]),
    (P::WithdrawCase,        [Y,    Y,       A,       N,      N]),
    (P::RecordPayment,       [Y,    Y,       A,       N,      N]),
    (P::EditCase,            [Y,    Y,       Y,       N,      N]),
    (P::NoteCase,            [Y,    Y,       Y,       Y,      N]),
    (P::Consult,             [Y,    Y,       Y,       N,      N]),
    (P::ReadWarnings,        [Y,    Y,       Y,       Y,      N]),
    (P::HandleWarnings,      [Y,    Y,       Y,       N,      N]),
    (P::ReadReports,         [Y,    Y,       N,       N,      Y]),
    (P::SubscribeReports,    [N,    Y,       N,       N,      Y]),
    (P::ExportLedger,        [Y,    Y,       N,       N,      N]),
    (P::ImportLedger,        [Y,    Y,       N,       N,      N]),
    (P::ReadEnterprises,     [Y,    Y,       Y,       Y,      N]),
    (P::ManageEnterprises,   [Y,    N,       N,       N,      N]),
    (P::RegisterSmallEnterprise, [Y, Y,      N,       N,      N]),
    (P::ListStaff,           [Y,    Y,       Y,       N,      N]),
    (P::ManageUsers,         [Y,    N,       N,       N,      N]),
    (P::ManageUnits,         [Y,    N,       N,       N,      N]),
    (P::ReadOutbox,          [Y,    Y,       N,       N,      N]),
    (P::ResendOutbox,        [Y,    N,       N,       N,      N]),
    (P::AttachEvidence,      [Y,    Y,       Y,       N,      N]),
    (P::AttachWarningPhotos, [Y,    Y,       Y,       Y,      N]),
    (P::RemoveEvidence,      [Y,    Y,       Y,       N,      N]),
    (P::FollowUpCase,        [Y,    Y,       A,       N,      N]),
    (P::ArchiveCase,         [Y,    Y,       N,       N,      N]),
];

impl Permission {
    /// The permission a case action needs.
    pub fn of_action(action: ActionKind) -> Permission {
        match action {
            ActionKind::Accept => P::AcceptCase,
            ActionKind::Reject => P::RejectCase,
            ActionKind::Assign => P::AssignCase,
            ActionKind::Session => P::RecordSession,
            ActionKind::Extend => P::ExtendCase,
            ActionKind::Close => P::CloseCase,
            ActionKind::Withdraw => P::WithdrawCase,
            ActionKind::Payment => P::RecordPayment,
            ActionKind::Edit => P::EditCase,
            ActionKind::Note => P::NoteCase,
        }
    }
}

impl Role {
    /// How far this role holds `permission`.
    pub fn grant(self, permission: Permission) -> Grant {
        let column = COLUMNS.iter().position(|r| *r == self).unwrap_or(0);
        TABLE
            .iter()
            .find(|(p, _)| *p == permission)
            .map_or(Grant::Never, |(_, grants)| grants[column])
    }

    /// Whether this role ever holds `permission` (perhaps only on its own cases).
    pub fn may(self, permission: Permission) -> bool {
        self.grant(permission) != Grant::Never
    }
}

/// Whether user `me` in `role` may take `action` on a case whose mediator is `mediator`: the
/// table's grant, and for `Assigned` the case is theirs (or nobody's yet: an accepted case before
/// assignment, withdrawn at once, is any mediator's in scope).
pub fn may_on_case(role: Role, me: i64, mediator: Option<i64>, action: ActionKind) -> bool {
    match role.grant(Permission::of_action(action)) {
        Grant::Never => false,
        Grant::Always => true,
        Grant::Assigned => mediator.is_none_or(|m| m == me),
    }
}

/// The actions user `me` in `role` may take on a case now: what the table grants them on it and
/// what its status allows. The case view carries these, and the case page offers exactly them.
pub fn case_actions(
    role: Role,
    me: i64,
    mediator: Option<i64>,
    status: CaseStatus,
    extended: bool,
) -> Vec<ActionKind> {
    ActionKind::ALL
        .iter()
        .copied()
        .filter(|&a| may_on_case(role, me, mediator, a) && transition(status, a, extended).is_ok())
        .collect()
}

/// The actions `role` may take on a warning in `status` now.
pub fn warning_actions(role: Role, status: WarningStatus) -> Vec<WarningAction> {
    if !role.may(Permission::HandleWarnings) {
        return vec![];
    }
    WarningAction::ALL
        .iter()
        .copied()
        .filter(|&a| warning::transition(status, a).is_ok())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_permission_has_exactly_one_row_in_the_table() {
        for (i, (p, _)) in TABLE.iter().enumerate() {
            // A match without a wildcard: a new variant fails to compile here until it is listed.
            let listed = match p {
                P::ReadCases
                | P::RegisterCase
                | P::AcceptCase
                | P::RejectCase
                | P::AssignCase
                | P::RecordSession
                | P::ExtendCase
                | P::CloseCase
                | P::WithdrawCase
                | P::RecordPayment
                | P::EditCase
                | P::NoteCase
                | P::Consult
                | P::ReadWarnings
                | P::HandleWarnings
                | P::ReadReports
                | P::SubscribeReports
                | P::ExportLedger
                | P::ImportLedger
                | P::ReadEnterprises
                | P::ManageEnterprises
                | P::RegisterSmallEnterprise
                | P::ListStaff
                | P::ManageUsers
                | P::ManageUnits
                | P::ReadOutbox
                | P::ResendOutbox
                | P::AttachEvidence
                | P::AttachWarningPhotos
                | P::RemoveEvidence
                | P::FollowUpCase
                | P::ArchiveCase => true,
            };
            assert!(listed);
            assert_eq!(
                TABLE.iter().filter(|(q, _)| q == p).count(),
                1,
                "row {i} ({p:?}) appears more than once"
            );
        }
    }

    #[test]
    fn the_table_keeps_the_contracts_rules() {
        // Viewers read reports and nothing with personal data.
        assert!(Role::Viewer.may(P::ReadReports));
        assert!(!Role::Viewer.may(P::ReadCases));
        assert!(!Role::Viewer.may(P::ReadWarnings));
        // Officers note and report, never move a case.
        assert!(Role::Officer.may(P::NoteCase));
        assert!(!Role::Officer.may(P::AcceptCase));
        // Mediators act on their own cases only; directors assign and extend.
        assert_eq!(Role::Mediator.grant(P::CloseCase), Grant::Assigned);
        assert_eq!(Role::Mediator.grant(P::AcceptCase), Grant::Always);
        assert!(!Role::Mediator.may(P::AssignCase));
        assert!(Role::Director.may(P::ExtendCase));
        // The admin area is the admin's.
        for role in [Role::Director, Role::Mediator, Role::Officer, Role::Viewer] {
            assert!(!role.may(P::ManageUsers), "{role}");
        }
    }

    #[test]
    fn a_mediator_is_offered_the_session_only_on_a_case_that_is_theirs_or_nobodys() {
        let offered = |mediator| {
            case_actions(Role::Mediator, 7, mediator, CaseStatus::Mediating, false)
                .contains(&ActionKind::Session)
        };
        assert!(offered(Some(7)));
        assert!(offered(None));
        assert!(!offered(Some(8)));
        // Anyone's case for a director, but only what the status allows.
        let director = case_actions(Role::Director, 1, Some(8), CaseStatus::Mediating, true);
        assert!(director.contains(&ActionKind::Close));
        assert!(
            !director.contains(&ActionKind::Extend),
            "extended once already"
        );
        assert!(!director.contains(&ActionKind::Accept));
        assert!(case_actions(Role::Viewer, 1, None, CaseStatus::Received, false).is_empty());
        assert_eq!(
            case_actions(Role::Officer, 3, None, CaseStatus::Received, false),
            vec![ActionKind::Note]
        );
    }

    #[test]
    fn only_staff_are_offered_warning_actions_and_only_those_the_status_allows() {
        assert!(warning_actions(Role::Officer, WarningStatus::Reported).is_empty());
        let reported = warning_actions(Role::Mediator, WarningStatus::Reported);
        assert!(reported.contains(&WarningAction::Acknowledge));
        assert!(warning_actions(Role::Director, WarningStatus::Escalated).is_empty());
    }

    #[test]
    fn only_directors_and_admins_assign_and_extend() {
        let may = |role: Role, action| role.may(Permission::of_action(action));
        for role in Role::ALL {
            assert_eq!(may(role, ActionKind::Assign), role.is_manager());
            assert_eq!(may(role, ActionKind::Extend), role.is_manager());
        }
        assert!(!may(Role::Officer, ActionKind::Accept));
        assert!(!may(Role::Viewer, ActionKind::Note));
        assert!(may(Role::Officer, ActionKind::Note));
    }

    #[test]
    fn each_case_action_needs_its_own_permission() {
        let all = [
            ActionKind::Accept,
            ActionKind::Reject,
            ActionKind::Assign,
            ActionKind::Session,
            ActionKind::Extend,
            ActionKind::Close,
            ActionKind::Withdraw,
            ActionKind::Payment,
            ActionKind::Edit,
            ActionKind::Note,
        ];
        let seen: std::collections::HashSet<Permission> =
            all.iter().map(|a| Permission::of_action(*a)).collect();
        assert_eq!(seen.len(), all.len());
    }
}
