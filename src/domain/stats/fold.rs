//! The fold: what one case or consultation counts in a period (`Tally`, where SPEC's definitions
//! live), and a whole report's tallies filled in one pass over its facts (`Fold`).

use super::figures::{one_decimal, Figures, Rate, WarningFigures};
use crate::domain::case::CaseStatus;
use crate::domain::money::Fen;
use crate::domain::vocab::{Category, Channel};
use chrono::{NaiveDate, NaiveDateTime};
use std::collections::HashMap;

/// A period [from, to) as UTC instants (the local midnights of its first day and of the day after
/// its last), with its last local date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: NaiveDateTime,
    pub to: NaiveDateTime,
    pub last_day: NaiveDate,
}

impl Period {
    pub fn contains(&self, at: NaiveDateTime) -> bool {
        self.from <= at && at < self.to
    }
}

/// What the statistics need of a case (nothing personal), or of `cases` cases alike in every
/// field but the summed ones (the roll-up's groups: `workers`, the amounts and `days_to_close`
/// are then their sums).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CaseFact {
    pub cases: i64,
    pub unit_id: i64,
    pub enterprise_id: i64,
    pub mediator_id: Option<i64>,
    /// `None` for a code outside the vocabulary: counted in the totals, on no line.
    pub channel: Option<Channel>,
    pub category: Option<Category>,
    pub status: CaseStatus,
    pub workers: i64,
    pub amount_claimed: Fen,
    pub amount_agreed: Fen,
    pub amount_paid: Fen,
    pub received_at: NaiveDateTime,
    pub closed_at: Option<NaiveDateTime>,
    /// Local days from the day of receipt to the day of closing; 0 while open.
    pub days_to_close: i64,
    /// The last day to conclude. A group of closed cases may carry any date that is before the
    /// last day of the same months as theirs is (their deadlines are only ever judged at the end
    /// of a past month: a closed case is never open at the end of a period not over yet).
    pub deadline: NaiveDate,
}

/// What the statistics need of a consultation, or of `consultations` alike in every field but
/// `workers`, their sum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConsultationFact {
    pub consultations: i64,
    pub unit_id: i64,
    pub enterprise_id: Option<i64>,
    pub answered_by: i64,
    pub channel: Option<Channel>,
    pub topic: Option<Category>,
    pub workers: i64,
    pub received_at: NaiveDateTime,
}

pub(super) fn add(a: Fen, b: Fen) -> Fen {
    a.checked_add(b).unwrap_or(Fen::from_fen(i64::MAX))
}

/// The counts and sums behind [`Figures`]. Tallies add up: the tally of a set of records in a
/// period is the sum of each record's, which is what lets one pass fill every line of a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Tally {
    petitions_received: i64,
    consultations: i64,
    workers_involved: i64,
    amount_involved: Fen,
    concluded: i64,
    resolved: i64,
    failed: i64,
    amount_agreed: Fen,
    amount_paid: Fen,
    closed_in_period: i64,
    days_to_close: i64,
    open_at_end: i64,
    overdue_at_end: i64,
}

impl Tally {
    /// What one case counts in `period`: this is where SPEC's definitions live.
    ///
    /// - Received in the period: a petition, its workers and amount; concluded if no longer open
    ///   (whenever it closed), and resolved (with its agreed and paid amounts) or failed.
    /// - Closed in the period: a closing, with its days from receipt.
    /// - Received before the end and not closed by it: open at the end, and overdue if its
    ///   deadline is before the period's last day.
    pub fn of_case(period: &Period, c: &CaseFact) -> Tally {
        let mut t = Tally::default();
        let n = c.cases;
        if period.contains(c.received_at) {
            t.petitions_received = n;
            t.workers_involved = c.workers;
            t.amount_involved = c.amount_claimed;
            t.concluded = if c.status.is_open() { 0 } else { n };
            match c.status {
                CaseStatus::Resolved => {
                    t.resolved = n;
                    t.amount_agreed = c.amount_agreed;
                    t.amount_paid = c.amount_paid;
                }
                CaseStatus::Failed => t.failed = n,
                _ => {}
            }
        }
        if c.closed_at.is_some_and(|at| period.contains(at)) {
            t.closed_in_period = n;
            t.days_to_close = c.days_to_close;
        }
        if c.received_at < period.to && c.closed_at.is_none_or(|at| at >= period.to) {
            t.open_at_end = n;
            t.overdue_at_end = if c.deadline < period.last_day { n } else { 0 };
        }
        t
    }

    /// What one consultation counts in `period`: itself and its workers, if received in it.
    pub fn of_consultation(period: &Period, c: &ConsultationFact) -> Tally {
        let mut t = Tally::default();
        if period.contains(c.received_at) {
            t.consultations = c.consultations;
            t.workers_involved = c.workers;
        }
        t
    }

    pub fn add(&mut self, o: &Tally) {
        self.petitions_received += o.petitions_received;
        self.consultations += o.consultations;
        self.workers_involved += o.workers_involved;
        self.amount_involved = add(self.amount_involved, o.amount_involved);
        self.concluded += o.concluded;
        self.resolved += o.resolved;
        self.failed += o.failed;
        self.amount_agreed = add(self.amount_agreed, o.amount_agreed);
        self.amount_paid = add(self.amount_paid, o.amount_paid);
        self.closed_in_period += o.closed_in_period;
        self.days_to_close += o.days_to_close;
        self.open_at_end += o.open_at_end;
        self.overdue_at_end += o.overdue_at_end;
    }

    /// The figures of the tally, with the rates and the average; warnings come in already
    /// counted.
    pub fn figures(&self, warnings: WarningFigures) -> Figures {
        Figures {
            petitions_received: self.petitions_received,
            consultations: self.consultations,
            workers_involved: self.workers_involved,
            amount_involved: self.amount_involved,
            concluded: self.concluded,
            handling_rate: Rate::new(self.concluded, self.petitions_received),
            resolved: self.resolved,
            failed: self.failed,
            success_rate: Rate::new(self.resolved, self.resolved + self.failed),
            amount_agreed: self.amount_agreed,
            amount_paid: self.amount_paid,
            closed_in_period: self.closed_in_period,
            open_at_end: self.open_at_end,
            overdue_at_end: self.overdue_at_end,
            avg_days_to_close: one_decimal(
                i128::from(self.days_to_close),
                i128::from(self.closed_in_period),
            ),
            warnings_reported: warnings.reported,
            warnings_escalated: warnings.escalated,
            warnings_defused: warnings.defused,
            // Counted from the agreements' terms by the report (`services::stats`).
            agreements_performed: 0,
            agreements_overdue: 0,
            follow_ups: Default::default(),
        }
    }
}

/// The lines of a breakdown a record is on (`None`: on no line of that breakdown).
struct Lines {
    category: Option<Category>,
    channel: Option<Channel>,
    unit_id: i64,
    enterprise_id: Option<i64>,
    mediator_id: Option<i64>,
}

/// One part of a fold. A record counts in every part; a group of PostgreSQL's roll-up stands for
/// records on one line of one part (`db::stats::rollup`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Part {
    /// The total, the months and the line of the record's unit.
    Units,
    Category,
    Channel,
    Enterprise,
    Mediator,
}

impl Part {
    /// Whether a fact added to `only` (every part when `None`) counts in this part.
    fn within(self, only: Option<Part>) -> bool {
        only.is_none_or(|o| o == self)
    }
}

/// A report folded in one pass over its facts: the whole period, each of its months (for a
/// year), and one line per category, channel, unit, enterprise and mediator. Folds of disjoint
/// sets of facts merge, so a load can be split between threads.
#[derive(Debug, Clone)]
pub struct Fold {
    period: Period,
    months: Vec<Period>,
    /// The line of `by_unit` each unit counts on; units not in it count on none.
    unit_lines: HashMap<i64, i64>,
    pub total: Tally,
    /// One per month of `months`.
    pub by_month: Vec<Tally>,
    /// In the order of `Category::ALL`; consultations count under their topic.
    pub by_category: Vec<Tally>,
    /// In the order of `Channel::ALL`.
    pub by_channel: Vec<Tally>,
    pub by_unit: HashMap<i64, Tally>,
    pub by_enterprise: HashMap<i64, Tally>,
    /// Cases by their mediator (unassigned ones on no line), consultations by who answered.
    pub by_mediator: HashMap<i64, Tally>,
}

impl Fold {
    /// An empty fold of `period`, broken down by the `months` within it (contiguous, in order;
    /// none for a month's report).
    pub fn new(period: Period, months: Vec<Period>, unit_lines: HashMap<i64, i64>) -> Fold {
        Fold {
            period,
            by_month: vec![Tally::default(); months.len()],
            months,
            unit_lines,
            total: Tally::default(),
            by_category: vec![Tally::default(); Category::ALL.len()],
            by_channel: vec![Tally::default(); Channel::ALL.len()],
            by_unit: HashMap::new(),
            by_enterprise: HashMap::new(),
            by_mediator: HashMap::new(),
        }
    }

    /// An empty fold with the same period, months and unit lines, to fill in another thread.
    pub fn empty_like(&self) -> Fold {
        Fold::new(self.period, self.months.clone(), self.unit_lines.clone())
    }

    pub fn case(&mut self, c: &CaseFact) {
        self.case_in(c, None);
    }

    /// Adds `c` to the part `only` of the fold, or to all of it.
    pub fn case_in(&mut self, c: &CaseFact, only: Option<Part>) {
        let t = Tally::of_case(&self.period, c);
        if t == Tally::default() {
            // Closed before the period or received after it: nothing in any month either.
            return;
        }
        self.add_to_lines(
            &t,
            Lines {
                category: c.category,
                channel: c.channel,
                unit_id: c.unit_id,
                enterprise_id: Some(c.enterprise_id),
                mediator_id: c.mediator_id,
            },
            only,
        );
        if !Part::Units.within(only) {
            return;
        }
        // A case counts only in the months from the one it was received in (or the first) to
        // the one it closed in (or the last).
        let first = self.months.partition_point(|m| m.to <= c.received_at);
        let end = c.closed_at.map_or(self.months.len(), |at| {
            (self.months.partition_point(|m| m.to <= at) + 1).min(self.months.len())
        });
        for (month, tally) in self.months[first.min(end)..end]
            .iter()
            .zip(&mut self.by_month[first.min(end)..end])
        {
            tally.add(&Tally::of_case(month, c));
        }
    }

    pub fn consultation(&mut self, c: &ConsultationFact) {
        self.consultation_in(c, None);
    }

    /// Adds `c` to the part `only` of the fold, or to all of it.
    pub fn consultation_in(&mut self, c: &ConsultationFact, only: Option<Part>) {
        let t = Tally::of_consultation(&self.period, c);
        if t == Tally::default() {
            return;
        }
        self.add_to_lines(
            &t,
            Lines {
                category: c.topic,
                channel: c.channel,
                unit_id: c.unit_id,
                enterprise_id: c.enterprise_id,
                mediator_id: Some(c.answered_by),
            },
            only,
        );
        if !Part::Units.within(only) {
            return;
        }
        let month = self.months.partition_point(|m| m.to <= c.received_at);
        if let (Some(period), Some(tally)) = (self.months.get(month), self.by_month.get_mut(month))
        {
            tally.add(&Tally::of_consultation(period, c));
        }
    }

    /// Adds a record's tally to the total and to each line it is on, in the part `only` (every
    /// part when `None`).
    fn add_to_lines(&mut self, t: &Tally, lines: Lines, only: Option<Part>) {
        if Part::Units.within(only) {
            self.total.add(t);
            if let Some(line) = self.unit_lines.get(&lines.unit_id) {
                self.by_unit.entry(*line).or_default().add(t);
            }
        }
        if let Some(k) = lines.category.filter(|_| Part::Category.within(only)) {
            self.by_category[k as usize].add(t);
        }
        if let Some(k) = lines.channel.filter(|_| Part::Channel.within(only)) {
            self.by_channel[k as usize].add(t);
        }
        if let Some(e) = lines
            .enterprise_id
            .filter(|_| Part::Enterprise.within(only))
        {
            self.by_enterprise.entry(e).or_default().add(t);
        }
        if let Some(m) = lines.mediator_id.filter(|_| Part::Mediator.within(only)) {
            self.by_mediator.entry(m).or_default().add(t);
        }
    }

    /// Adds a fold of other facts of the same report.
    pub fn merge(&mut self, other: Fold) {
        self.total.add(&other.total);
        let pairs = [
            (&mut self.by_month, other.by_month),
            (&mut self.by_category, other.by_category),
            (&mut self.by_channel, other.by_channel),
        ];
        for (mine, theirs) in pairs {
            for (a, b) in mine.iter_mut().zip(&theirs) {
                a.add(b);
            }
        }
        let maps = [
            (&mut self.by_unit, other.by_unit),
            (&mut self.by_enterprise, other.by_enterprise),
            (&mut self.by_mediator, other.by_mediator),
        ];
        for (mine, theirs) in maps {
            for (k, t) in theirs {
                mine.entry(k).or_default().add(&t);
            }
        }
    }
}
