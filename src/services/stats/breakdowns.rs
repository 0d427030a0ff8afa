//! The breakdowns of a report: by dispute category, channel, unit, enterprise (top 20) and
//! mediator, each line the figures of its share of the facts, as the fold counted them.

use super::{Root, Row};
use crate::db::schema::{enterprises, users};
use crate::db::DbConn;
use crate::domain::stats::{Figures, Fold, Tally, WarningFigures, TOP_ENTERPRISES};
use crate::domain::vocab::{Category, Channel};
use diesel::prelude::*;
use serde_json::Value;
use std::cmp::Reverse;
use std::collections::{BTreeMap, HashMap};

fn figures(t: &Tally) -> Figures {
    t.figures(WarningFigures::default())
}

/// One line per code of a vocabulary, in its order, zeros included.
/// One line per code of `vocabulary` (the catalog section naming its codes), in its order.
fn coded(
    tallies: &[Tally],
    vocabulary: &str,
    codes: impl Iterator<Item = &'static str>,
) -> Vec<Row> {
    codes
        .zip(tallies)
        .map(|(code, t)| Row {
            key: Value::from(code),
            name: crate::i18n::name_zh(vocabulary, code),
            figures: figures(t),
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
pub(super) fn unit_lines(root: &Root, all: &[(i64, String, String)]) -> HashMap<i64, i64> {
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

/// Consultations count under their topic.
pub(super) fn by_category(fold: &Fold) -> Vec<Row> {
    coded(
        &fold.by_category,
        "category",
        Category::ALL.iter().map(|c| c.as_str()),
    )
}

pub(super) fn by_channel(fold: &Fold) -> Vec<Row> {
    coded(
        &fold.by_channel,
        "channel",
        Channel::ALL.iter().map(|c| c.as_str()),
    )
}

/// One line per line unit of the report (see `unit_lines`), by id, zeros included.
/// `all_units`: (id, name, path) of every unit of the report.
pub(super) fn by_unit(
    fold: &Fold,
    lines: &HashMap<i64, i64>,
    all_units: &[(i64, String, String)],
) -> Vec<Row> {
    let names: BTreeMap<i64, String> = all_units
        .iter()
        .map(|(id, name, _)| (*id, name.clone()))
        .collect();
    let mut line_ids: Vec<i64> = lines.values().copied().collect();
    line_ids.sort_unstable();
    line_ids.dedup();
    let lines = line_ids
        .into_iter()
        .map(|id| {
            (
                id,
                figures(&fold.by_unit.get(&id).copied().unwrap_or_default()),
            )
        })
        .collect();
    rows_with_names(lines, &names)
}

/// The enterprises with most petitions (ties by id), those with none left out.
pub(super) fn by_enterprise(conn: &mut DbConn, fold: &Fold) -> QueryResult<Vec<Row>> {
    let mut top: Vec<(i64, Figures)> = fold
        .by_enterprise
        .iter()
        .map(|(id, t)| (*id, figures(t)))
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

/// Mediators of the cases (unassigned cases are on no line) and the users who answered
/// consultations; most petitions, then most closings, first.
pub(super) fn by_mediator(conn: &mut DbConn, fold: &Fold) -> QueryResult<Vec<Row>> {
    let mut lines: Vec<(i64, Figures)> = fold
        .by_mediator
        .iter()
        .map(|(id, t)| (*id, figures(t)))
        .collect();
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
