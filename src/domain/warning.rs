//! The early-warning workflow as pure functions: levels, categories, statuses, which action is
//! allowed where, and how a warning's category becomes a case's category on escalation.

use super::vocab::{code_enum, Category};
use crate::domain::problem::{Code, Problem};
use serde::{Deserialize, Serialize};

code_enum!(
    /// How urgent a warning is, as grid early-warning schemes grade them.
    Level {
        Yellow => "yellow",
        Orange => "orange",
        Red => "red",
    }
);

code_enum!(
    /// What a warning is about.
    WarningCategory {
        WageArrears => "wage_arrears",
        LayoffRelocation => "layoff_relocation",
        SocialInsurance => "social_insurance",
        CollectiveGrievance => "collective_grievance",
        ClosureAbsconding => "closure_absconding",
        Other => "other",
    }
);

impl WarningCategory {
    /// The dispute category of the case an escalation creates (API.md, Warnings).
    pub fn case_category(self) -> Category {
        match self {
            WarningCategory::WageArrears | WarningCategory::ClosureAbsconding => {
                Category::WageArrears
            }
            WarningCategory::SocialInsurance => Category::SocialInsurance,
            WarningCategory::LayoffRelocation => Category::Contract,
            WarningCategory::CollectiveGrievance | WarningCategory::Other => Category::Other,
        }
    }
}

code_enum!(
    /// Where a warning stands. `reported` and `acknowledged` are open.
    WarningStatus {
        Reported => "reported",
        Acknowledged => "acknowledged",
        Defused => "defused",
        Escalated => "escalated",
    }
);

impl WarningStatus {
    pub fn is_open(self) -> bool {
        matches!(self, WarningStatus::Reported | WarningStatus::Acknowledged)
    }
}

code_enum!(
    /// What staff do with a warning.
    WarningAction {
        Acknowledge => "acknowledge",
        Defuse => "defuse",
        Escalate => "escalate",
    }
);

/// Response times per level, in hours (settings).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ResponseTimes {
    pub red_hours: u32,
    pub orange_hours: u32,
    pub yellow_hours: u32,
}

impl Default for ResponseTimes {
    fn default() -> Self {
        ResponseTimes {
            red_hours: 24,
            orange_hours: 72,
            yellow_hours: 168,
        }
    }
}

impl ResponseTimes {
    pub fn hours(&self, level: Level) -> u32 {
        match level {
            Level::Red => self.red_hours,
            Level::Orange => self.orange_hours,
            Level::Yellow => self.yellow_hours,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidTransition {
    pub status: WarningStatus,
    pub action: WarningAction,
}

impl From<&InvalidTransition> for Problem {
    fn from(e: &InvalidTransition) -> Problem {
        Code::WarningCannotAct
            .with("status", e.status)
            .with("action", e.action)
    }
}

crate::domain::problem::problem_display!(InvalidTransition);

/// The status an action leads to, or why it may not be taken.
pub fn transition(
    status: WarningStatus,
    action: WarningAction,
) -> Result<WarningStatus, InvalidTransition> {
    use WarningAction as A;
    use WarningStatus as S;
    match (status, action) {
        (S::Reported, A::Acknowledge) => Ok(S::Acknowledged),
        (S::Reported | S::Acknowledged, A::Defuse) => Ok(S::Defused),
        (S::Reported | S::Acknowledged, A::Escalate) => Ok(S::Escalated),
        (status, action) => Err(InvalidTransition { status, action }),
    }
}

/// Whether a warning not yet acknowledged is past its response time at `now`.
pub fn overdue<T: PartialOrd>(status: WarningStatus, respond_by: T, now: T) -> bool {
    status == WarningStatus::Reported && now > respond_by
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expected(status: WarningStatus, action: WarningAction) -> Option<WarningStatus> {
        use WarningAction as A;
        use WarningStatus as S;
        match (status, action) {
            (S::Reported, A::Acknowledge) => Some(S::Acknowledged),
            (S::Reported | S::Acknowledged, A::Defuse) => Some(S::Defused),
            (S::Reported | S::Acknowledged, A::Escalate) => Some(S::Escalated),
            _ => None,
        }
    }

    #[test]
    fn every_status_and_action_pair_follows_the_warning_workflow_table() {
        let mut checked = 0;
        for &status in WarningStatus::ALL {
            for &action in WarningAction::ALL {
                match expected(status, action) {
                    Some(to) => assert_eq!(transition(status, action), Ok(to)),
                    None => assert_eq!(
                        transition(status, action),
                        Err(InvalidTransition { status, action })
                    ),
                }
                checked += 1;
            }
        }
        assert_eq!(checked, 12);
    }

    #[test]
    fn closed_warnings_are_not_open() {
        assert!(WarningStatus::Reported.is_open());
        assert!(WarningStatus::Acknowledged.is_open());
        assert!(!WarningStatus::Defused.is_open());
        assert!(!WarningStatus::Escalated.is_open());
    }

    #[test]
    fn categories_map_to_case_categories_as_the_contract_says() {
        use WarningCategory as W;
        assert_eq!(W::WageArrears.case_category(), Category::WageArrears);
        assert_eq!(
            W::SocialInsurance.case_category(),
            Category::SocialInsurance
        );
        assert_eq!(W::LayoffRelocation.case_category(), Category::Contract);
        assert_eq!(W::ClosureAbsconding.case_category(), Category::WageArrears);
        assert_eq!(W::CollectiveGrievance.case_category(), Category::Other);
        assert_eq!(W::Other.case_category(), Category::Other);
    }

    #[test]
    fn response_times_default_to_a_day_three_days_and_a_week() {
        let t = ResponseTimes::default();
        assert_eq!(t.hours(Level::Red), 24);
        assert_eq!(t.hours(Level::Orange), 72);
        assert_eq!(t.hours(Level::Yellow), 168);
    }

    #[test]
    fn only_a_reported_warning_past_its_time_is_overdue() {
        assert!(overdue(WarningStatus::Reported, 1, 2));
        assert!(!overdue(WarningStatus::Reported, 2, 2));
        assert!(!overdue(WarningStatus::Acknowledged, 1, 2));
    }
}
