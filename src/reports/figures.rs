//! The figures of a report, once: their order, their catalog key (`report.fig.<key>` names a
//! figure, `report.def.<key>` defines it) and their value. The report sheets, the report page and
//! its charts all walk `Figure::ALL`, so a new figure is a variant here and two catalog lines.

use crate::domain::money::Fen;
use crate::domain::stats::{Figures, LevelCounts, Rate, Satisfaction};

/// One figure of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    PetitionsReceived,
    Consultations,
    WorkersInvolved,
    AmountInvolved,
    Concluded,
    HandlingRate,
    Resolved,
    Failed,
    SuccessRate,
    AmountAgreed,
    AmountPaid,
    ClosedInPeriod,
    OpenAtEnd,
    OverdueAtEnd,
    AvgDaysToClose,
    WarningsReported,
    WarningsEscalated,
    WarningsDefused,
    AgreementsPerformed,
    AgreementsOverdue,
    FollowUps,
}

/// A figure's value, by kind, as each output shows it in its own way.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Value<'a> {
    Count(i64),
    Money(Fen),
    Rate(&'a Rate),
    /// One decimal, `None` with nothing to average.
    Days(Option<&'a str>),
    Levels(&'a LevelCounts),
    /// Follow-ups by satisfaction.
    Satisfaction(&'a Satisfaction),
}

impl Figure {
    /// Every figure, in the order the reports show them.
    pub const ALL: [Figure; 21] = [
        Figure::PetitionsReceived,
        Figure::Consultations,
        Figure::WorkersInvolved,
        Figure::AmountInvolved,
        Figure::Concluded,
        Figure::HandlingRate,
        Figure::Resolved,
        Figure::Failed,
        Figure::SuccessRate,
        Figure::AmountAgreed,
        Figure::AmountPaid,
        Figure::ClosedInPeriod,
        Figure::OpenAtEnd,
        Figure::OverdueAtEnd,
        Figure::AvgDaysToClose,
        Figure::WarningsReported,
        Figure::WarningsEscalated,
        Figure::WarningsDefused,
        Figure::AgreementsPerformed,
        Figure::AgreementsOverdue,
        Figure::FollowUps,
    ];

    /// The figure's name in the JSON report and its catalog key.
    pub fn key(self) -> &'static str {
        match self {
            Figure::PetitionsReceived => "petitions_received",
            Figure::Consultations => "consultations",
            Figure::WorkersInvolved => "workers_involved",
            Figure::AmountInvolved => "amount_involved",
            Figure::Concluded => "concluded",
            Figure::HandlingRate => "handling_rate",
            Figure::Resolved => "resolved",
            Figure::Failed => "failed",
            Figure::SuccessRate => "success_rate",
            Figure::AmountAgreed => "amount_agreed",
            Figure::AmountPaid => "amount_paid",
            Figure::ClosedInPeriod => "closed_in_period",
            Figure::OpenAtEnd => "open_at_end",
            Figure::OverdueAtEnd => "overdue_at_end",
            Figure::AvgDaysToClose => "avg_days_to_close",
            Figure::WarningsReported => "warnings_reported",
            Figure::WarningsEscalated => "warnings_escalated",
            Figure::WarningsDefused => "warnings_defused",
            Figure::AgreementsPerformed => "agreements_performed",
            Figure::AgreementsOverdue => "agreements_overdue",
            Figure::FollowUps => "follow_ups",
        }
    }

    /// The figure's value in `f`.
    pub fn of(self, f: &Figures) -> Value<'_> {
        match self {
            Figure::PetitionsReceived => Value::Count(f.petitions_received),
            Figure::Consultations => Value::Count(f.consultations),
            Figure::WorkersInvolved => Value::Count(f.workers_involved),
            Figure::AmountInvolved => Value::Money(f.amount_involved),
            Figure::Concluded => Value::Count(f.concluded),
            Figure::HandlingRate => Value::Rate(&f.handling_rate),
            Figure::Resolved => Value::Count(f.resolved),
            Figure::Failed => Value::Count(f.failed),
            Figure::SuccessRate => Value::Rate(&f.success_rate),
            Figure::AmountAgreed => Value::Money(f.amount_agreed),
            Figure::AmountPaid => Value::Money(f.amount_paid),
            Figure::ClosedInPeriod => Value::Count(f.closed_in_period),
            Figure::OpenAtEnd => Value::Count(f.open_at_end),
            Figure::OverdueAtEnd => Value::Count(f.overdue_at_end),
            Figure::AvgDaysToClose => Value::Days(f.avg_days_to_close.as_deref()),
            Figure::WarningsReported => Value::Levels(&f.warnings_reported),
            Figure::WarningsEscalated => Value::Levels(&f.warnings_escalated),
            Figure::WarningsDefused => Value::Levels(&f.warnings_defused),
            Figure::AgreementsPerformed => Value::Count(f.agreements_performed),
            Figure::AgreementsOverdue => Value::Count(f.agreements_overdue),
            Figure::FollowUps => Value::Satisfaction(&f.follow_ups),
        }
    }

    /// Whether a breakdown's line (a unit's, a month's) shows this figure: the case figures do;
    /// the average, the warnings and the agreements' performance are the whole report's only.
    pub fn per_line(self) -> bool {
        !matches!(
            self,
            Figure::AvgDaysToClose
                | Figure::WarningsReported
                | Figure::WarningsEscalated
                | Figure::WarningsDefused
                | Figure::AgreementsPerformed
                | Figure::AgreementsOverdue
                | Figure::FollowUps
        )
    }

    /// The figure's name in the Chinese report files, from the catalog; a rate says it is one.
    pub fn label_zh(self) -> String {
        let name = crate::i18n::t(
            crate::i18n::DEFAULT_LANG,
            &format!("report.fig.{}", self.key()),
        );
        match self.of(&Figures::default()) {
            Value::Rate(_) => format!("{name}（%）"),
            _ => name,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_figure_has_a_name_and_a_definition_in_both_catalogs() {
        for fig in Figure::ALL {
            for lang in crate::i18n::LANGS {
                for part in ["fig", "def"] {
                    let key = format!("report.{part}.{}", fig.key());
                    assert!(crate::i18n::lookup(lang, &key).is_some(), "{lang} {key}");
                }
            }
        }
    }

    #[test]
    fn the_figures_are_listed_once_each_under_their_json_names() {
        let figures = serde_json::to_value(Figures::default()).unwrap();
        let keys: Vec<&str> = Figure::ALL.iter().map(|f| f.key()).collect();
        let json: Vec<&str> = figures
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), keys.len(), "a figure is listed twice");
        let mut json_sorted = json.clone();
        json_sorted.sort_unstable();
        assert_eq!(
            sorted, json_sorted,
            "the JSON report's figures and the list differ"
        );
    }
}
