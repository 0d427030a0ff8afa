//! After closing (issue 14): the follow-up (回访) of a closed case, and its archiving (归档). The
//! vocabularies of a follow-up, the rule that says whether a case may be archived, and the
//! archive number's form. Pure: the services feed in what the database holds.

use super::case::CaseStatus;
use super::problem::Code;
use super::vocab::code_enum;
use serde::{Deserialize, Serialize};

code_enum!(
    /// How the center reached the applicant.
    FollowUpMethod {
        Phone => "phone",
        Visit => "visit",
        Other => "other",
    }
);

code_enum!(
    /// The applicant's satisfaction as the follow-up recorded it.
    Satisfaction {
        Satisfied => "satisfied",
        BasicallySatisfied => "basically_satisfied",
        Dissatisfied => "dissatisfied",
    }
);

/// Where a case stands after closing, as far as the follow-up and the archive go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AfterClosing {
    pub status: CaseStatus,
    pub follow_ups: usize,
    pub waived: bool,
    pub archived: bool,
}

impl AfterClosing {
    /// Why a follow-up cannot be recorded now (the case is open, or archived: `Code::Archived`).
    pub fn may_follow_up(self) -> Result<(), Code> {
        match self {
            AfterClosing { archived: true, .. } => Err(Code::Archived),
            s if s.status.is_open() => Err(Code::FollowUpOpenCase),
            _ => Ok(()),
        }
    }

    /// Why the follow-up cannot be waived now: as `may_follow_up`, and not once one was made or
    /// it was waived already.
    pub fn may_waive(self) -> Result<(), Code> {
        self.may_follow_up()?;
        match self {
            AfterClosing {
                follow_ups: 1.., ..
            } => Err(Code::FollowUpDone),
            AfterClosing { waived: true, .. } => Err(Code::FollowUpWaivedAlready),
            _ => Ok(()),
        }
    }

    /// Why the case cannot be archived now: it is archived already, open, or its follow-up is
    /// neither done nor waived.
    pub fn may_archive(self) -> Result<(), Code> {
        match self {
            AfterClosing { archived: true, .. } => Err(Code::Archived),
            s if s.status.is_open() => Err(Code::ArchiveOpenCase),
            AfterClosing {
                follow_ups: 0,
                waived: false,
                ..
            } => Err(Code::FollowUpPending),
            _ => Ok(()),
        }
    }
}

/// The archive number: the case numbers' prefix, the unit, the year and the unit's running
/// number of that year — `TJ-3-2026-A0001`. Unique per unit and year because the counter is.
pub fn archive_no(prefix: &str, unit_id: i64, year: i32, seq: i64) -> String {
    format!("{prefix}-{unit_id}-{year}-A{seq:04}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(status: CaseStatus, follow_ups: usize, waived: bool, archived: bool) -> AfterClosing {
        AfterClosing {
            status,
            follow_ups,
            waived,
            archived,
        }
    }

    #[test]
    fn a_closed_case_is_archived_only_once_followed_up_or_waived() {
        use CaseStatus::*;
        assert_eq!(
            at(Resolved, 0, false, false).may_archive(),
            Err(Code::FollowUpPending)
        );
        assert_eq!(at(Resolved, 1, false, false).may_archive(), Ok(()));
        assert_eq!(at(Failed, 0, true, false).may_archive(), Ok(()));
        assert_eq!(
            at(Mediating, 1, false, false).may_archive(),
            Err(Code::ArchiveOpenCase)
        );
        assert_eq!(
            at(Withdrawn, 1, false, true).may_archive(),
            Err(Code::Archived)
        );
    }

    #[test]
    fn a_follow_up_is_made_after_closing_and_waived_only_when_none_was_made() {
        use CaseStatus::*;
        assert_eq!(
            at(Received, 0, false, false).may_follow_up(),
            Err(Code::FollowUpOpenCase)
        );
        assert_eq!(at(Resolved, 2, false, false).may_follow_up(), Ok(()));
        assert_eq!(
            at(Resolved, 0, false, true).may_follow_up(),
            Err(Code::Archived)
        );
        assert_eq!(at(Rejected, 0, false, false).may_waive(), Ok(()));
        assert_eq!(
            at(Resolved, 1, false, false).may_waive(),
            Err(Code::FollowUpDone)
        );
        assert_eq!(
            at(Resolved, 0, true, false).may_waive(),
            Err(Code::FollowUpWaivedAlready)
        );
    }

    #[test]
    fn the_archive_number_names_the_unit_and_the_year() {
        assert_eq!(archive_no("TJ", 3, 2026, 1), "TJ-3-2026-A0001");
        assert_eq!(archive_no("TJ", 3, 2026, 12345), "TJ-3-2026-A12345");
    }
}
