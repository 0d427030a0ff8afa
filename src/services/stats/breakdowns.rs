//! The breakdowns of a report: by dispute category, channel, unit, enterprise (top 20) and
//! mediator, each line the same figures over its share of the facts.

use super::{Root, Row};
use crate::db::schema::{enterprises, users};
use crate::db::DbConn;
use crate::domain::stats::{grouped, CaseFact, ConsultationFact, Figures, Period};
use crate::domain::vocab::{Category, Channel};
use diesel::prelude::*;
use serde_json::Value;
use std::cmp::Reverse;
use std::collections::BTreeMap;

/// How many enterprises `by_enterprise` lists.
pub const TOP_ENTERPRISES: usize = 20;

/// The facts of one report, to be broken down.
pub(super) struct Facts<'a> {
    pub period: &'a Period,
    pub cases: &'a [CaseFact],
    pub consultations: &'a [ConsultationFact],
}

/// One line per code of a vocabulary, in its order, zeros included.
fn coded(
    groups: BTreeMap<String, Figures>,
    codes: impl Iterator<Item = (&'static str, &'static str)>,
) -> Vec<Row> {
    codes
        .map(|(code, label)| Row {
            key: Value::from(code),
            name: label.to_string(),
            figures: groups.get(code).cloned().unwrap_or_default(),
        })
        .collect()
}

fn rows_with_names(lines: Vec<(i64, Figures)>, names: &BTreeMap<i64, String>) -> Vec<Row> {
    lines
        .into_iter()
        .map(|(id, figures)| Row {
            key: Value::from(id),
            name: names.get(&id).cloned().unwrap_or_default(),
            figures,
        })
        .collect()
}

/// Maps every unit of the report to its line in `by_unit`: the report's unit itself (records
/// kept on it directly) or the child of it the unit lies under; for every unit, the top level.
fn unit_lines(root: &Root, all: &[(i64, String, String)]) -> BTreeMap<i64, i64> {
    let prefix = match root {
        Root::All => "/",
        Root::Unit { path, .. } => path.as_str(),
    };
    all.iter()
        .filter_map(|(id, _, path)| {
            let rest = path.strip_prefix(prefix)?;
            let line = match rest.split('/').next().filter(|s| !s.is_empty()) {
                Some(child) => child.parse().ok()?,
                None => *id,
            };
            Some((*id, line))
        })
        .collect()
}

impl Facts<'_> {
    fn grouped<K: Ord + Clone>(
        &self,
        case_key: impl Fn(&CaseFact) -> Option<K>,
        consultation_key: impl Fn(&ConsultationFact) -> Option<K>,
    ) -> BTreeMap<K, Figures> {
        grouped(
            self.period,
            self.cases,
            self.consultations,
            case_key,
            consultation_key,
        )
    }

    /// Consultations count under their topic.
    pub fn by_category(&self) -> Vec<Row> {
        let groups = self.grouped(|c| Some(c.category.clone()), |c| Some(c.topic.clone()));
        coded(
            groups,
            Category::ALL.iter().map(|c| (c.as_str(), c.label_zh())),
        )
    }

    pub fn by_channel(&self) -> Vec<Row> {
        let groups = self.grouped(|c| Some(c.channel.clone()), |c| Some(c.channel.clone()));
        coded(
            groups,
            Channel::ALL.iter().map(|c| (c.as_str(), c.label_zh())),
        )
    }

    /// `all_units`: (id, name, path) of every unit of the report, by id.
    pub fn by_unit(&self, root: &Root, all_units: &[(i64, String, String)]) -> Vec<Row> {
        let lines = unit_lines(root, all_units);
        let groups = self.grouped(
            |c| lines.get(&c.unit_id).copied(),
            |c| lines.get(&c.unit_id).copied(),
        );
        let names: BTreeMap<i64, String> = all_units
            .iter()
            .map(|(id, name, _)| (*id, name.clone()))
            .collect();
        let mut line_ids: Vec<i64> = lines.values().copied().collect();
        line_ids.sort_unstable();
        line_ids.dedup();
        let lines = line_ids
            .into_iter()
            .map(|id| (id, groups.get(&id).cloned().unwrap_or_default()))
            .collect();
        rows_with_names(lines, &names)
    }

    /// The enterprises with most petitions (ties by id), those with none left out.
    pub fn by_enterprise(&self, conn: &mut DbConn) -> QueryResult<Vec<Row>> {
        let groups = self.grouped(|c| Some(c.enterprise_id), |c| c.enterprise_id);
        let mut top: Vec<(i64, Figures)> = groups
            .into_iter()
            .filter(|(_, f)| f.petitions_received > 0)
            .collect();
        top.sort_by_key(|(id, f)| (Reverse(f.petitions_received), *id));
        top.truncate(TOP_ENTERPRISES);
        let ids: Vec<i64> = top.iter().map(|(id, _)| *id).collect();
        let names: BTreeMap<i64, String> = enterprises::table
            .filter(enterprises::id.eq_any(ids))
            .select((enterprises::id, enterprises::name))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect();
        Ok(rows_with_names(top, &names))
    }

    /// Mediators of the cases (unassigned cases are in no line) and the users who answered
    /// consultations; most petitions, then most closings, first.
    pub fn by_mediator(&self, conn: &mut DbConn) -> QueryResult<Vec<Row>> {
        let groups = self.grouped(|c| c.mediator_id, |c| Some(c.answered_by));
        let mut lines: Vec<(i64, Figures)> = groups.into_iter().collect();
        lines.sort_by_key(|(id, f)| {
            (
                Reverse(f.petitions_received),
                Reverse(f.closed_in_period),
                *id,
            )
        });
        let ids: Vec<i64> = lines.iter().map(|(id, _)| *id).collect();
        let names: BTreeMap<i64, String> = users::table
            .filter(users::id.eq_any(ids))
            .select((users::id, users::display_name))
            .load::<(i64, String)>(conn)?
            .into_iter()
            .collect();
        Ok(rows_with_names(lines, &names))
    }
}
