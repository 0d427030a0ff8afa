//! The statistics of the monthly and yearly report, as pure functions: rates kept as numerator and
//! denominator until printed, one-decimal figures by integer arithmetic (no floats near money or
//! rates), the yearly summary sentence, and the fold of case and consultation facts into figures.
//!
//! The services load one fact per record (no personal data: no names, phones or ID numbers) and
//! hand them here; what counts where is decided here only: the figures and their rates
//! (`figures`), what each fact counts and the one-pass fold (`fold`), the sentence (`summary`).

mod figures;
mod fold;
mod summary;

pub use figures::{one_decimal, Figures, LevelCounts, Rate, Satisfaction, WarningFigures};
pub use fold::{CaseFact, ConsultationFact, Fold, Part, Period, Tally};
pub use summary::summary_zh;

/// How many enterprises a report lists (`by_enterprise`), those of the most petitions.
pub const TOP_ENTERPRISES: usize = 20;

#[cfg(test)]
mod tests {
    use super::fold::add;
    use super::*;
    use crate::domain::case::CaseStatus;
    use crate::domain::money::Fen;
    use crate::domain::vocab::{Category, Channel};
    use chrono::{NaiveDate, NaiveDateTime};
    use std::collections::HashMap;

    fn rate(n: i64, d: i64) -> Option<String> {
        Rate::new(n, d).percent()
    }

    #[test]
    fn percents_have_one_decimal_rounded_half_up() {
        assert_eq!(rate(83, 92).as_deref(), Some("90.2"));
        assert_eq!(rate(102, 102).as_deref(), Some("100.0"));
        assert_eq!(rate(0, 5).as_deref(), Some("0.0"));
        assert_eq!(rate(1, 3).as_deref(), Some("33.3"));
        assert_eq!(rate(2, 3).as_deref(), Some("66.7"));
        // 1/8 = 12.5% exactly; 1/16 = 6.25% rounds half up to 6.3.
        assert_eq!(rate(1, 8).as_deref(), Some("12.5"));
        assert_eq!(rate(1, 16).as_deref(), Some("6.3"));
        // 1/2000 = 0.05% rounds up; 1/2001 does not.
        assert_eq!(rate(1, 2000).as_deref(), Some("0.1"));
        assert_eq!(rate(1, 2001).as_deref(), Some("0.0"));
        assert_eq!(rate(i64::MAX, i64::MAX).as_deref(), Some("100.0"));
    }

    #[test]
    fn a_rate_of_nothing_has_no_percent() {
        assert_eq!(rate(0, 0), None);
        assert_eq!(Rate::new(0, 0).percent_short(), "—");
        let json = serde_json::to_value(Rate::new(0, 0)).ok();
        assert_eq!(
            json,
            Some(serde_json::json!({"numerator": 0, "denominator": 0, "percent": null}))
        );
    }

    #[test]
    fn a_rate_serializes_with_numerator_denominator_and_percent() {
        let json = serde_json::to_value(Rate::new(83, 92)).ok();
        assert_eq!(
            json,
            Some(serde_json::json!({"numerator": 83, "denominator": 92, "percent": "90.2"}))
        );
    }

    #[test]
    fn short_percents_drop_a_trailing_zero_decimal_only() {
        assert_eq!(Rate::new(5, 5).percent_short(), "100");
        assert_eq!(Rate::new(83, 92).percent_short(), "90.2");
        assert_eq!(Rate::new(1, 10).percent_short(), "10");
    }

    #[test]
    fn one_decimal_rounds_half_up_and_keeps_the_sign() {
        assert_eq!(one_decimal(25, 10).as_deref(), Some("2.5"));
        assert_eq!(one_decimal(7, 2).as_deref(), Some("3.5"));
        assert_eq!(one_decimal(1, 20).as_deref(), Some("0.1"));
        assert_eq!(one_decimal(1, 21).as_deref(), Some("0.0"));
        assert_eq!(one_decimal(-7, 2).as_deref(), Some("-3.5"));
        assert_eq!(one_decimal(-1, 21).as_deref(), Some("0.0"));
        assert_eq!(one_decimal(3, 0), None);
    }

    #[test]
    fn the_summary_sentence_reads_like_the_work_report() {
        let f = Figures {
            petitions_received: 102,
            consultations: 729,
            workers_involved: 1246,
            amount_involved: Fen::from_fen(1_070_000_000),
            handling_rate: Rate::new(102, 102),
            success_rate: Rate::new(83, 92),
            ..Figures::default()
        };
        assert_eq!(
            summary_zh(&f),
            "全年共接待职工信访102件，法律法规咨询729件，涉及职工1246人次，涉案金额1070万元，调处率100%，成功率90.2%。"
        );
    }

    #[test]
    fn the_summary_sentence_shows_a_dash_for_a_rate_of_nothing() {
        let f = Figures {
            amount_involved: Fen::from_fen(1_234_500),
            ..Figures::default()
        };
        assert_eq!(
            summary_zh(&f),
            "全年共接待职工信访0件，法律法规咨询0件，涉及职工0人次，涉案金额1.23万元，调处率—，成功率—。"
        );
    }

    fn day(m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, m, d).unwrap_or_default()
    }

    fn at(m: u32, d: u32, h: u32) -> NaiveDateTime {
        day(m, d).and_hms_opt(h, 0, 0).unwrap_or_default()
    }

    fn march() -> Period {
        Period {
            from: at(3, 1, 0),
            to: at(4, 1, 0),
            last_day: day(3, 31),
        }
    }

    fn fact(
        received: NaiveDateTime,
        status: CaseStatus,
        closed: Option<NaiveDateTime>,
    ) -> CaseFact {
        CaseFact {
            cases: 1,
            unit_id: 1,
            enterprise_id: 1,
            mediator_id: None,
            channel: Some(Channel::Visit),
            category: Some(Category::WageArrears),
            status,
            workers: 3,
            amount_claimed: Fen::from_fen(10_000),
            amount_agreed: Fen::from_fen(8_000),
            amount_paid: Fen::from_fen(5_000),
            received_at: received,
            closed_at: closed,
            days_to_close: closed.map_or(0, |c| (c.date() - received.date()).num_days()),
            deadline: received.date() + chrono::Duration::days(15),
        }
    }

    /// The figures of `period` by the definition alone: every record's tally, added up.
    fn figures(period: &Period, cases: &[CaseFact], consultations: &[ConsultationFact]) -> Figures {
        let mut t = Tally::default();
        for c in cases {
            t.add(&Tally::of_case(period, c));
        }
        for c in consultations {
            t.add(&Tally::of_consultation(period, c));
        }
        t.figures(WarningFigures::default())
    }

    #[test]
    fn the_fold_counts_flows_and_backlog_by_their_own_times() {
        let cases = [
            // Received in February, closed in March: a March closing, not a March petition.
            fact(at(2, 20, 9), CaseStatus::Resolved, Some(at(3, 3, 9))),
            // Received in March and resolved in March after 4 days.
            fact(at(3, 2, 9), CaseStatus::Resolved, Some(at(3, 6, 9))),
            // Received in March, failed in April: concluded now, open (and overdue) at March's end.
            fact(at(3, 5, 9), CaseStatus::Failed, Some(at(4, 2, 9))),
            // Received in March, still open, deadline 1 March + 15 < 31 March: overdue.
            fact(at(3, 1, 9), CaseStatus::Mediating, None),
            // Received in April: nothing of March.
            fact(at(4, 2, 9), CaseStatus::Received, None),
        ];
        let consultations = [ConsultationFact {
            consultations: 1,
            unit_id: 1,
            enterprise_id: None,
            answered_by: 1,
            channel: Some(Channel::Phone),
            topic: Some(Category::Other),
            workers: 2,
            received_at: at(3, 31, 23),
        }];
        let f = figures(&march(), &cases, &consultations);
        assert_eq!(f.petitions_received, 3);
        assert_eq!(f.consultations, 1);
        assert_eq!(f.workers_involved, 11);
        assert_eq!(f.amount_involved, Fen::from_fen(30_000));
        assert_eq!(f.concluded, 2);
        assert_eq!(f.handling_rate, Rate::new(2, 3));
        assert_eq!((f.resolved, f.failed), (1, 1));
        assert_eq!(f.success_rate, Rate::new(1, 2));
        assert_eq!(f.amount_agreed, Fen::from_fen(8_000));
        assert_eq!(f.amount_paid, Fen::from_fen(5_000));
        assert_eq!(f.closed_in_period, 2);
        // (11 + 4) / 2 days.
        assert_eq!(f.avg_days_to_close.as_deref(), Some("7.5"));
        // The April failure and the open case, both past their deadlines on 31 March.
        assert_eq!(f.open_at_end, 2);
        assert_eq!(f.overdue_at_end, 2);
    }

    mod one_pass {
        use super::*;
        use chrono::Datelike;
        use proptest::prelude::*;

        fn month(m: u32) -> Period {
            let first = NaiveDate::from_ymd_opt(2026, m, 1).unwrap_or_default();
            let next = if m == 12 {
                NaiveDate::from_ymd_opt(2027, 1, 1)
            } else {
                NaiveDate::from_ymd_opt(2026, m + 1, 1)
            }
            .unwrap_or_default();
            Period {
                from: first.and_hms_opt(0, 0, 0).unwrap_or_default(),
                to: next.and_hms_opt(0, 0, 0).unwrap_or_default(),
                last_day: next.pred_opt().unwrap_or_default(),
            }
        }

        fn year() -> Period {
            Period {
                from: month(1).from,
                to: month(12).to,
                last_day: month(12).last_day,
            }
        }

        fn unit_lines() -> HashMap<i64, i64> {
            // Units 1 and 2 on line 1, unit 3 on its own, unit 4 outside the report's tree.
            HashMap::from([(1, 1), (2, 1), (3, 3)])
        }

        const STATUSES: [CaseStatus; 7] = [
            CaseStatus::Received,
            CaseStatus::Accepted,
            CaseStatus::Mediating,
            CaseStatus::Resolved,
            CaseStatus::Failed,
            CaseStatus::Withdrawn,
            CaseStatus::Rejected,
        ];

        fn instant(day: i64, minute: i64) -> NaiveDateTime {
            let start = NaiveDate::from_ymd_opt(2025, 9, 1).unwrap_or_default();
            (start + chrono::Duration::days(day))
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default()
                + chrono::Duration::minutes(minute)
        }

        prop_compose! {
            fn a_case()(
                unit in 1i64..=4, enterprise in 1i64..=5, mediator in proptest::option::of(1i64..=3),
                category in proptest::option::of(0usize..Category::ALL.len()),
                channel in proptest::option::of(0usize..Channel::ALL.len()),
                status in 0usize..STATUSES.len(), workers in 1i64..40,
                claimed in 0i64..10_000_000, paid_share in 0i64..=100,
                day in 0i64..520, minute in 0i64..1440, days_open in 0i64..200,
                deadline_days in 0i64..60,
            ) -> CaseFact {
                let status = STATUSES[status];
                let received_at = instant(day, minute);
                let closed_at = (!status.is_open())
                    .then(|| received_at + chrono::Duration::days(days_open));
                CaseFact {
                    cases: 1,
                    unit_id: unit,
                    enterprise_id: enterprise,
                    mediator_id: mediator,
                    channel: channel.map(|i| Channel::ALL[i]),
                    category: category.map(|i| Category::ALL[i]),
                    status,
                    workers,
                    amount_claimed: Fen::from_fen(claimed),
                    amount_agreed: Fen::from_fen(claimed / 2),
                    amount_paid: Fen::from_fen(claimed / 2 * paid_share / 100),
                    received_at,
                    closed_at,
                    days_to_close: closed_at.map_or(0, |_| days_open),
                    deadline: received_at.date() + chrono::Duration::days(deadline_days),
                }
            }
        }

        prop_compose! {
            fn a_consultation()(
                unit in 1i64..=4, enterprise in proptest::option::of(1i64..=5),
                answered_by in 1i64..=3,
                topic in proptest::option::of(0usize..Category::ALL.len()),
                channel in proptest::option::of(0usize..Channel::ALL.len()),
                workers in 1i64..10, day in 0i64..520, minute in 0i64..1440,
            ) -> ConsultationFact {
                ConsultationFact {
                    consultations: 1,
                    unit_id: unit,
                    enterprise_id: enterprise,
                    answered_by,
                    channel: channel.map(|i| Channel::ALL[i]),
                    topic: topic.map(|i| Category::ALL[i]),
                    workers,
                    received_at: instant(day, minute),
                }
            }
        }

        fn fold(cases: &[CaseFact], consultations: &[ConsultationFact]) -> Fold {
            let mut f = Fold::new(year(), (1..=12).map(month).collect(), unit_lines());
            cases.iter().for_each(|c| f.case(c));
            consultations.iter().for_each(|c| f.consultation(c));
            f
        }

        /// The first instant of the month of `at`.
        fn month_start(at: NaiveDateTime) -> NaiveDateTime {
            at.date()
                .with_day(1)
                .unwrap_or_default()
                .and_hms_opt(0, 0, 0)
                .unwrap_or_default()
        }

        /// The roll-up's groups of cases and of consultations, each with the part it counts in.
        type RolledUp = (Vec<(Part, CaseFact)>, Vec<(Part, ConsultationFact)>);

        /// What the PostgreSQL roll-up (migration 2026-12-01-000002_stats_rollup) makes of these
        /// records: for each part of a report, one fact per group of records on the same line
        /// and alike in status and months, its instants at the start of their months, a closed
        /// case's deadline as the first day of the month of the day after it, and the sums
        /// summed.
        fn roll_up(cases: &[CaseFact], consultations: &[ConsultationFact]) -> RolledUp {
            let parts = [
                Part::Units,
                Part::Category,
                Part::Channel,
                Part::Enterprise,
                Part::Mediator,
            ];
            let mut groups: Vec<(Part, CaseFact)> = Vec::new();
            let mut consultation_groups: Vec<(Part, ConsultationFact)> = Vec::new();
            for part in parts {
                for c in cases {
                    let key = CaseFact {
                        category: c.category.filter(|_| part == Part::Category),
                        channel: c.channel.filter(|_| part == Part::Channel),
                        enterprise_id: if part == Part::Enterprise {
                            c.enterprise_id
                        } else {
                            0
                        },
                        mediator_id: c.mediator_id.filter(|_| part == Part::Mediator),
                        received_at: month_start(c.received_at),
                        closed_at: c.closed_at.map(month_start),
                        deadline: match c.closed_at {
                            None => c.deadline,
                            Some(_) => (c.deadline + chrono::Duration::days(1))
                                .with_day(1)
                                .unwrap_or_default(),
                        },
                        ..c.clone()
                    };
                    // Alike: equal in everything but the sums.
                    let keys = |g: &CaseFact| CaseFact {
                        cases: 0,
                        workers: 0,
                        amount_claimed: Fen::default(),
                        amount_agreed: Fen::default(),
                        amount_paid: Fen::default(),
                        days_to_close: 0,
                        ..g.clone()
                    };
                    match groups
                        .iter_mut()
                        .find(|(p, g)| *p == part && keys(g) == keys(&key))
                    {
                        Some((_, g)) => {
                            g.cases += 1;
                            g.workers += c.workers;
                            g.amount_claimed = add(g.amount_claimed, c.amount_claimed);
                            g.amount_agreed = add(g.amount_agreed, c.amount_agreed);
                            g.amount_paid = add(g.amount_paid, c.amount_paid);
                            g.days_to_close += c.days_to_close;
                        }
                        None => groups.push((part, key)),
                    }
                }
                for c in consultations {
                    let key = ConsultationFact {
                        topic: c.topic.filter(|_| part == Part::Category),
                        channel: c.channel.filter(|_| part == Part::Channel),
                        enterprise_id: c.enterprise_id.filter(|_| part == Part::Enterprise),
                        answered_by: if part == Part::Mediator {
                            c.answered_by
                        } else {
                            0
                        },
                        received_at: month_start(c.received_at),
                        ..c.clone()
                    };
                    let keys = |g: &ConsultationFact| ConsultationFact {
                        consultations: 0,
                        workers: 0,
                        ..g.clone()
                    };
                    match consultation_groups
                        .iter_mut()
                        .find(|(p, g)| *p == part && keys(g) == keys(&key))
                    {
                        Some((_, g)) => {
                            g.consultations += 1;
                            g.workers += c.workers;
                        }
                        None => consultation_groups.push((part, key)),
                    }
                }
            }
            (groups, consultation_groups)
        }

        fn line<K: std::hash::Hash + Eq>(map: &HashMap<K, Tally>, key: K) -> Figures {
            map.get(&key)
                .copied()
                .unwrap_or_default()
                .figures(WarningFigures::default())
        }

        proptest! {
            #![proptest_config(ProptestConfig::with_cases(64))]

            #[test]
            fn one_pass_gives_every_line_the_figures_of_its_own_records(
                cases in proptest::collection::vec(a_case(), 0..120),
                consultations in proptest::collection::vec(a_consultation(), 0..40),
            ) {
                let f = fold(&cases, &consultations);
                let none = WarningFigures::default();
                prop_assert_eq!(f.total.figures(none), figures(&year(), &cases, &consultations));
                for m in 1..=12u32 {
                    prop_assert_eq!(
                        f.by_month[m as usize - 1].figures(none),
                        figures(&month(m), &cases, &consultations)
                    );
                }
                let only = |keep: &dyn Fn(&CaseFact) -> bool,
                            keep_c: &dyn Fn(&ConsultationFact) -> bool| {
                    let cs: Vec<CaseFact> = cases.iter().filter(|c| keep(c)).cloned().collect();
                    let qs: Vec<ConsultationFact> =
                        consultations.iter().filter(|c| keep_c(c)).cloned().collect();
                    figures(&year(), &cs, &qs)
                };
                for (i, k) in Category::ALL.iter().enumerate() {
                    prop_assert_eq!(
                        f.by_category[i].figures(none),
                        only(&|c| c.category == Some(*k), &|c| c.topic == Some(*k))
                    );
                }
                for (i, k) in Channel::ALL.iter().enumerate() {
                    prop_assert_eq!(
                        f.by_channel[i].figures(none),
                        only(&|c| c.channel == Some(*k), &|c| c.channel == Some(*k))
                    );
                }
                let lines = unit_lines();
                for l in [1, 3] {
                    let on = |u: i64| lines.get(&u) == Some(&l);
                    prop_assert_eq!(line(&f.by_unit, l), only(&|c| on(c.unit_id), &|c| on(c.unit_id)));
                }
                prop_assert_eq!(f.by_unit.len() <= 2, true);
                for e in 1..=5 {
                    prop_assert_eq!(
                        line(&f.by_enterprise, e),
                        only(&|c| c.enterprise_id == e, &|c| c.enterprise_id == Some(e))
                    );
                }
                for m in 1..=3 {
                    prop_assert_eq!(
                        line(&f.by_mediator, m),
                        only(&|c| c.mediator_id == Some(m), &|c| c.answered_by == m)
                    );
                }
            }

            #[test]
            fn groups_of_alike_cases_fold_to_the_figures_of_their_cases_in_whole_months(
                cases in proptest::collection::vec(a_case(), 0..120),
                consultations in proptest::collection::vec(a_consultation(), 0..40),
                today in 120i64..520,
            ) {
                // Nothing is received or closed after today; months not over yet judge overdue
                // on today, as the reports do.
                let today_at = instant(today, 0);
                let cases: Vec<CaseFact> = cases
                    .into_iter()
                    .filter(|c| c.received_at < today_at && c.closed_at.is_none_or(|t| t < today_at))
                    .collect();
                let consultations: Vec<ConsultationFact> = consultations
                    .into_iter()
                    .filter(|c| c.received_at < today_at)
                    .collect();
                let until_today = |p: Period| Period { last_day: p.last_day.min(today_at.date()), ..p };
                let empty = || {
                    let months = (1..=12).map(|m| until_today(month(m))).collect();
                    Fold::new(until_today(year()), months, unit_lines())
                };
                let mut whole = empty();
                cases.iter().for_each(|c| whole.case(c));
                consultations.iter().for_each(|c| whole.consultation(c));
                let (groups, consultation_groups) = roll_up(&cases, &consultations);
                let mut rolled = empty();
                for (part, g) in &groups {
                    rolled.case_in(g, Some(*part));
                }
                for (part, g) in &consultation_groups {
                    rolled.consultation_in(g, Some(*part));
                }
                prop_assert_eq!(rolled.total, whole.total);
                prop_assert_eq!(rolled.by_month, whole.by_month);
                prop_assert_eq!(rolled.by_category, whole.by_category);
                prop_assert_eq!(rolled.by_channel, whole.by_channel);
                prop_assert_eq!(rolled.by_unit, whole.by_unit);
                prop_assert_eq!(rolled.by_enterprise, whole.by_enterprise);
                prop_assert_eq!(rolled.by_mediator, whole.by_mediator);
            }

            #[test]
            fn folds_of_two_halves_merge_into_the_fold_of_the_whole(
                cases in proptest::collection::vec(a_case(), 0..80),
                consultations in proptest::collection::vec(a_consultation(), 0..30),
                split in 0usize..80,
            ) {
                let at = split.min(cases.len());
                let whole = fold(&cases, &consultations);
                let mut first = fold(&cases[..at], &consultations);
                first.merge(fold(&cases[at..], &[]));
                prop_assert_eq!(first.total, whole.total);
                prop_assert_eq!(first.by_month, whole.by_month);
                prop_assert_eq!(first.by_category, whole.by_category);
                prop_assert_eq!(first.by_channel, whole.by_channel);
                prop_assert_eq!(first.by_unit, whole.by_unit);
                prop_assert_eq!(first.by_enterprise, whole.by_enterprise);
                prop_assert_eq!(first.by_mediator, whole.by_mediator);
            }
        }
    }
}
