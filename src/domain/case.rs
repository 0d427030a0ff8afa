//! The case workflow as pure functions: which action is allowed in which status, for which role,
//! and what it decides. No database, no clock, no HTTP in here: the services feed in the facts and
//! the time, and write down the decision.

use super::calendar::HolidayCalendar;
use super::money::Fen;
use super::vocab::{code_enum, Referral};
use crate::domain::problem::{Code, Problem};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

code_enum!(
    /// Where a case stands. `received`, `accepted` and `mediating` are open; the rest are closed.
    CaseStatus {
        Received => "received",
        Accepted => "accepted",
        Mediating => "mediating",
        Resolved => "resolved",
        Failed => "failed",
        Withdrawn => "withdrawn",
        Rejected => "rejected",
    }
);

impl CaseStatus {
    pub fn is_open(self) -> bool {
        matches!(
            self,
            CaseStatus::Received | CaseStatus::Accepted | CaseStatus::Mediating
        )
    }

    /// A case in this status has never been in mediation, so it has no sessions (they are held
    /// in `mediating` only, and no action leads back from mediation to these statuses).
    pub fn before_mediation(self) -> bool {
        matches!(
            self,
            CaseStatus::Received | CaseStatus::Accepted | CaseStatus::Rejected
        )
    }
}

code_enum!(
    /// Everything that can be done to a case after intake.
    ActionKind {
        Accept => "accept",
        Reject => "reject",
        Assign => "assign",
        Session => "session",
        Extend => "extend",
        Close => "close",
        Withdraw => "withdraw",
        Payment => "payment",
        Note => "note",
        Edit => "edit",
    }
);

impl ActionKind {
    /// The actions a client takes at `POST /cases/{id}/{segment}`, by that segment: `sessions`
    /// and `payments` name the records they add. Notes and edits have routes of their own.
    pub const ROUTED: [(&'static str, ActionKind); 8] = [
        ("accept", ActionKind::Accept),
        ("reject", ActionKind::Reject),
        ("assign", ActionKind::Assign),
        ("sessions", ActionKind::Session),
        ("extend", ActionKind::Extend),
        ("close", ActionKind::Close),
        ("withdraw", ActionKind::Withdraw),
        ("payments", ActionKind::Payment),
    ];

    /// The action of a route's path segment (`sessions` is `Session`), if it is one.
    pub fn of_segment(segment: &str) -> Option<ActionKind> {
        ActionKind::ROUTED
            .iter()
            .find(|(s, _)| *s == segment)
            .map(|(_, kind)| *kind)
    }
}

/// The deadline rules from the settings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DeadlineRules {
    /// Working days after receipt within which a case must be accepted or rejected.
    pub accept_working_days: u32,
    /// Calendar days for mediation, counted from the basis date (the day itself not counted).
    pub mediation_days: u32,
    /// Whether the mediation clock starts at acceptance rather than at receipt.
    pub from_acceptance: bool,
    /// The longest single extension.
    pub max_extension_days: u32,
}

impl Default for DeadlineRules {
    fn default() -> Self {
        DeadlineRules {
            accept_working_days: 3,
            mediation_days: 15,
            from_acceptance: false,
            max_extension_days: 15,
        }
    }
}

impl DeadlineRules {
    /// The last day to accept or reject a case received on `received`.
    pub fn accept_by(&self, received: NaiveDate, calendar: &HolidayCalendar) -> NaiveDate {
        calendar.add_working_days(received, self.accept_working_days)
    }

    /// The mediation deadline counted from `basis` (receipt or acceptance, as configured).
    pub fn deadline(&self, basis: NaiveDate, calendar: &HolidayCalendar) -> NaiveDate {
        calendar.add_calendar_days_then_roll(basis, self.mediation_days)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WorkflowError {
    InvalidTransition {
        status: CaseStatus,
        action: ActionKind,
    },
    AlreadyExtended,
    ExtensionDays {
        max: u32,
    },
    Overpaid,
    AtInFuture,
    AtBeforePrevious,
}

impl From<&WorkflowError> for Problem {
    fn from(e: &WorkflowError) -> Problem {
        match e {
            WorkflowError::InvalidTransition { status, action } => Code::CannotAct
                .with("status", status)
                .with("action", action),
            WorkflowError::AlreadyExtended => Code::AlreadyExtended.into(),
            WorkflowError::ExtensionDays { max } => {
                Code::DaysBetween.with("min", 1).with("max", max)
            }
            WorkflowError::Overpaid => Code::Overpaid.into(),
            WorkflowError::AtInFuture => Code::InTheFuture.into(),
            WorkflowError::AtBeforePrevious => Code::BeforePreviousEvent.into(),
        }
    }
}

crate::domain::problem::problem_display!(WorkflowError);

impl WorkflowError {
    /// The request field a value error belongs to; `None` for a refused transition.
    pub fn field(&self) -> Option<&'static str> {
        match self {
            WorkflowError::InvalidTransition { .. } | WorkflowError::AlreadyExtended => None,
            WorkflowError::ExtensionDays { .. } => Some("days"),
            WorkflowError::Overpaid => Some("amount"),
            WorkflowError::AtInFuture | WorkflowError::AtBeforePrevious => Some("at"),
        }
    }
}

/// The status an action leads to from `status`, or why it may not be taken there.
pub fn transition(
    status: CaseStatus,
    action: ActionKind,
    extended: bool,
) -> Result<CaseStatus, WorkflowError> {
    use ActionKind as A;
    use CaseStatus as S;
    let to = match (status, action) {
        (S::Received, A::Accept) => S::Accepted,
        (S::Received, A::Reject) => S::Rejected,
        (S::Accepted | S::Mediating, A::Assign) => S::Mediating,
        (S::Mediating, A::Session) => S::Mediating,
        (S::Mediating, A::Extend) if extended => return Err(WorkflowError::AlreadyExtended),
        (S::Mediating, A::Extend) => S::Mediating,
        // The outcome (resolved or failed) is chosen by the command; see `decide`.
        (S::Mediating, A::Close) => S::Resolved,
        (S::Accepted | S::Mediating, A::Withdraw) => S::Withdrawn,
        (S::Resolved, A::Payment) => S::Resolved,
        (s, A::Note | A::Edit) => s,
        (status, action) => return Err(WorkflowError::InvalidTransition { status, action }),
    };
    Ok(to)
}

/// The facts of a case that the workflow needs.
#[derive(Debug, Clone)]
pub struct CaseFacts {
    pub status: CaseStatus,
    pub extended: bool,
    pub deadline: NaiveDate,
    pub amount_agreed: Option<Fen>,
    pub amount_paid: Fen,
    pub last_event_at: DateTime<Utc>,
}

/// A validated action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Command {
    Accept,
    Reject,
    Assign,
    Session,
    Extend { days: u32 },
    CloseAgreement { amount_agreed: Fen },
    CloseFailed { referral: Referral },
    Withdraw,
    Payment { amount: Fen },
    Note,
}

impl Command {
    pub fn kind(&self) -> ActionKind {
        match self {
            Command::Accept => ActionKind::Accept,
            Command::Reject => ActionKind::Reject,
            Command::Assign => ActionKind::Assign,
            Command::Session => ActionKind::Session,
            Command::Extend { .. } => ActionKind::Extend,
            Command::CloseAgreement { .. } | Command::CloseFailed { .. } => ActionKind::Close,
            Command::Withdraw => ActionKind::Withdraw,
            Command::Payment { .. } => ActionKind::Payment,
            Command::Note => ActionKind::Note,
        }
    }
}

/// What an action does to the case.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    pub to: CaseStatus,
    /// A new deadline (extension, or acceptance when the clock runs from acceptance).
    pub deadline: Option<NaiveDate>,
    /// The new total paid, for a payment.
    pub amount_paid: Option<Fen>,
    /// Whether the case closes with this action (its closing time is then `at`).
    pub closes: bool,
}

/// Decides an action: the transition, the time rules and the value rules. `at` is when the action
/// happened (local date `at_date`), `now` the present.
pub fn decide(
    facts: &CaseFacts,
    command: &Command,
    at: DateTime<Utc>,
    at_date: NaiveDate,
    now: DateTime<Utc>,
    rules: &DeadlineRules,
    calendar: &HolidayCalendar,
) -> Result<Decision, WorkflowError> {
    let mut to = transition(facts.status, command.kind(), facts.extended)?;
    if at > now {
        return Err(WorkflowError::AtInFuture);
    }
    if at < facts.last_event_at {
        return Err(WorkflowError::AtBeforePrevious);
    }
    let mut decision = Decision {
        to,
        deadline: None,
        amount_paid: None,
        closes: false,
    };
    match command {
        Command::Accept if rules.from_acceptance => {
            decision.deadline = Some(rules.deadline(at_date, calendar));
        }
        Command::Extend { days } => {
            if *days < 1 || *days > rules.max_extension_days {
                return Err(WorkflowError::ExtensionDays {
                    max: rules.max_extension_days,
                });
            }
            decision.deadline = Some(calendar.add_calendar_days_then_roll(facts.deadline, *days));
        }
        Command::CloseFailed { .. } => to = CaseStatus::Failed,
        Command::Payment { amount } => {
            let total = facts
                .amount_paid
                .checked_add(*amount)
                .ok_or(WorkflowError::Overpaid)?;
            if total > facts.amount_agreed.unwrap_or(Fen::ZERO) {
                return Err(WorkflowError::Overpaid);
            }
            decision.amount_paid = Some(total);
        }
        _ => {}
    }
    decision.to = to;
    decision.closes = facts.status.is_open() && !to.is_open();
    Ok(decision)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn sessions_are_held_only_in_mediation_and_no_action_leads_back_before_it() {
        for &status in CaseStatus::ALL {
            for &action in ActionKind::ALL {
                for extended in [false, true] {
                    let Ok(to) = transition(status, action, extended) else {
                        continue;
                    };
                    if action == ActionKind::Session {
                        assert!(!status.before_mediation() && !to.before_mediation());
                    }
                    if !status.before_mediation() {
                        assert!(!to.before_mediation(), "{status:?} --{action:?}--> {to:?}");
                    }
                }
            }
        }
    }

    fn facts(status: CaseStatus) -> CaseFacts {
        CaseFacts {
            status,
            extended: false,
            deadline: NaiveDate::from_ymd_opt(2026, 3, 20).unwrap(),
            amount_agreed: Some(Fen::from_fen(10_000)),
            amount_paid: Fen::ZERO,
            last_event_at: Utc.with_ymd_and_hms(2026, 3, 2, 1, 0, 0).unwrap(),
        }
    }

    fn commands() -> Vec<Command> {
        vec![
            Command::Accept,
            Command::Reject,
            Command::Assign,
            Command::Session,
            Command::Extend { days: 5 },
            Command::CloseAgreement {
                amount_agreed: Fen::from_fen(100),
            },
            Command::CloseFailed {
                referral: Referral::Arbitration,
            },
            Command::Withdraw,
            Command::Payment {
                amount: Fen::from_fen(1_000),
            },
            Command::Note,
        ]
    }

    /// The workflow table of SPEC.md, written out: (from, command index) → to.
    fn expected(status: CaseStatus, command: &Command) -> Option<CaseStatus> {
        use CaseStatus as S;
        match (status, command) {
            (S::Received, Command::Accept) => Some(S::Accepted),
            (S::Received, Command::Reject) => Some(S::Rejected),
            (S::Accepted | S::Mediating, Command::Assign) => Some(S::Mediating),
            (S::Mediating, Command::Session | Command::Extend { .. }) => Some(S::Mediating),
            (S::Mediating, Command::CloseAgreement { .. }) => Some(S::Resolved),
            (S::Mediating, Command::CloseFailed { .. }) => Some(S::Failed),
            (S::Accepted | S::Mediating, Command::Withdraw) => Some(S::Withdrawn),
            (S::Resolved, Command::Payment { .. }) => Some(S::Resolved),
            (s, Command::Note) => Some(s),
            _ => None,
        }
    }

    #[test]
    fn every_status_and_action_pair_follows_the_workflow_table() {
        let calendar = HolidayCalendar::default();
        let rules = DeadlineRules::default();
        let at = Utc.with_ymd_and_hms(2026, 3, 3, 2, 0, 0).unwrap();
        let date = NaiveDate::from_ymd_opt(2026, 3, 3).unwrap();
        let mut checked = 0;
        for &status in CaseStatus::ALL {
            for command in commands() {
                let got = decide(&facts(status), &command, at, date, at, &rules, &calendar);
                match expected(status, &command) {
                    Some(to) => {
                        let decision = got.unwrap_or_else(|e| {
                            panic!("{status} {command:?} should be allowed, got {e}")
                        });
                        assert_eq!(decision.to, to, "{status} {command:?}");
                        assert_eq!(decision.closes, status.is_open() && !to.is_open());
                    }
                    None => assert_eq!(
                        got,
                        Err(WorkflowError::InvalidTransition {
                            status,
                            action: command.kind()
                        }),
                        "{status} {command:?} should be refused"
                    ),
                }
                checked += 1;
            }
        }
        assert_eq!(checked, CaseStatus::ALL.len() * commands().len());
    }

    #[test]
    fn a_case_can_be_extended_only_once() {
        let mut f = facts(CaseStatus::Mediating);
        f.extended = true;
        let at = f.last_event_at;
        let got = decide(
            &f,
            &Command::Extend { days: 3 },
            at,
            at.date_naive(),
            at,
            &DeadlineRules::default(),
            &HolidayCalendar::default(),
        );
        assert_eq!(got, Err(WorkflowError::AlreadyExtended));
    }

    #[test]
    fn an_extension_adds_days_to_the_current_deadline_and_rolls_off_the_weekend() {
        let f = facts(CaseStatus::Mediating);
        let at = f.last_event_at;
        // 2026-03-20 is a Friday; + 1 day is Saturday, which rolls to Monday the 23rd.
        let decision = decide(
            &f,
            &Command::Extend { days: 1 },
            at,
            at.date_naive(),
            at,
            &DeadlineRules::default(),
            &HolidayCalendar::default(),
        )
        .unwrap();
        assert_eq!(decision.deadline, NaiveDate::from_ymd_opt(2026, 3, 23));
    }

    #[test]
    fn an_extension_longer_than_the_maximum_is_a_value_error() {
        let f = facts(CaseStatus::Mediating);
        let at = f.last_event_at;
        let got = decide(
            &f,
            &Command::Extend { days: 16 },
            at,
            at.date_naive(),
            at,
            &DeadlineRules::default(),
            &HolidayCalendar::default(),
        );
        assert_eq!(got, Err(WorkflowError::ExtensionDays { max: 15 }));
        assert_eq!(got.unwrap_err().field(), Some("days"));
    }

    #[test]
    fn payments_may_not_exceed_the_agreed_amount() {
        let mut f = facts(CaseStatus::Resolved);
        f.amount_paid = Fen::from_fen(9_000);
        let at = f.last_event_at;
        let run = |amount| {
            decide(
                &f,
                &Command::Payment {
                    amount: Fen::from_fen(amount),
                },
                at,
                at.date_naive(),
                at,
                &DeadlineRules::default(),
                &HolidayCalendar::default(),
            )
        };
        assert_eq!(run(1_001), Err(WorkflowError::Overpaid));
        assert_eq!(run(1_000).unwrap().amount_paid, Some(Fen::from_fen(10_000)));
    }

    #[test]
    fn an_action_dated_before_the_previous_event_or_in_the_future_is_refused() {
        let f = facts(CaseStatus::Received);
        let before = f.last_event_at - chrono::Duration::seconds(1);
        let now = f.last_event_at + chrono::Duration::hours(1);
        let rules = DeadlineRules::default();
        let cal = HolidayCalendar::default();
        let d = before.date_naive();
        assert_eq!(
            decide(&f, &Command::Accept, before, d, now, &rules, &cal),
            Err(WorkflowError::AtBeforePrevious)
        );
        let later = now + chrono::Duration::seconds(1);
        assert_eq!(
            decide(&f, &Command::Accept, later, d, now, &rules, &cal),
            Err(WorkflowError::AtInFuture)
        );
    }
}
