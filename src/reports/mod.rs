//! The reports as tables: a report becomes a list of sheets (the figures, then one sheet per
//! breakdown, then the months of a year), and each output format (CSV, text, xlsx) writes the
//! same sheets, so the formats cannot drift apart.

pub mod charts;
pub mod csv;
pub mod figures;
pub mod ledger;
pub mod text;
pub mod xlsx;

use crate::domain::money::Fen;
use crate::domain::stats::{Figures, LevelCounts, Rate};
use crate::i18n;
use crate::services::stats::{Report, Row};
use figures::{Figure, Value};

/// A word of the Chinese report files, from the catalog's `sheet` section.
fn word(key: &str) -> String {
    i18n::t(i18n::DEFAULT_LANG, &format!("sheet.{key}"))
}

/// One cell of a sheet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cell {
    Text(String),
    Int(i64),
    Money(Fen),
    /// A percent with one decimal ("90.2"), or `None` ("—") when nothing was counted.
    Percent(Option<String>),
    /// A one-decimal figure (average days), or `None` ("—").
    Decimal(Option<String>),
}

impl Cell {
    /// The cell as CSV and text print it.
    pub fn plain(&self) -> String {
        match self {
            Cell::Text(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Money(f) => f.to_string(),
            Cell::Percent(p) | Cell::Decimal(p) => p.clone().unwrap_or_else(|| "—".into()),
        }
    }
}

/// A titled table.
#[derive(Debug, Clone)]
pub struct Sheet {
    pub title: String,
    pub header: Vec<String>,
    pub rows: Vec<Vec<Cell>>,
}

/// What the report is of, e.g. "东街街道 2026年3月 统计报表".
pub fn title(report: &Report) -> String {
    let unit = report
        .unit_name
        .clone()
        .unwrap_or_else(|| word("all_units"));
    let when = match (&report.month, report.year) {
        (Some(m), _) => {
            let (y, mo) = m.split_once('-').unwrap_or((m.as_str(), ""));
            word("month_of")
                .replace("{y}", y)
                .replace("{m}", mo.trim_start_matches('0'))
        }
        (None, Some(y)) => word("year_of").replace("{y}", &y.to_string()),
        (None, None) => word("span")
            .replace("{from}", &report.from.to_string())
            .replace(
                "{to}",
                &report.to.pred_opt().unwrap_or(report.to).to_string(),
            ),
    };
    word("title")
        .replace("{unit}", &unit)
        .replace("{when}", &when)
}

fn rate_rows(label: String, r: &Rate) -> Vec<Cell> {
    vec![
        Cell::Text(label),
        Cell::Percent(r.percent()),
        Cell::Int(r.numerator),
        Cell::Int(r.denominator),
    ]
}

fn level_row(label: String, l: &LevelCounts) -> Vec<Cell> {
    vec![
        Cell::Text(label),
        Cell::Int(l.total),
        Cell::Text(
            word("levels")
                .replace("{red}", &l.red.to_string())
                .replace("{orange}", &l.orange.to_string())
                .replace("{yellow}", &l.yellow.to_string()),
        ),
    ]
}

/// A figure's line of the summary sheet: its name, its value and, for a rate, its counts.
fn figure_row(fig: Figure, f: &Figures) -> Vec<Cell> {
    let label = fig.label_zh();
    match fig.of(f) {
        Value::Count(n) => vec![Cell::Text(label), Cell::Int(n)],
        Value::Money(m) => vec![Cell::Text(label), Cell::Money(m)],
        Value::Rate(r) => rate_rows(label, r),
        Value::Days(d) => vec![Cell::Text(label), Cell::Decimal(d.map(str::to_string))],
        Value::Levels(l) => level_row(label, l),
        Value::Satisfaction(s) => vec![
            Cell::Text(label),
            Cell::Int(s.total()),
            Cell::Text(
                word("satisfaction")
                    .replace("{satisfied}", &s.satisfied.to_string())
                    .replace("{basically}", &s.basically_satisfied.to_string())
                    .replace("{dissatisfied}", &s.dissatisfied.to_string()),
            ),
        ],
    }
}

/// The figures as label/value lines (rates with numerator and denominator), and the yearly
/// summary sentence last when `with_sentence`.
fn summary_sheet(report: &Report, with_sentence: bool) -> Sheet {
    let mut rows = vec![vec![
        Cell::Text(word("period")),
        Cell::Text(report.from.to_string()),
        Cell::Text(report.to.pred_opt().unwrap_or(report.to).to_string()),
    ]];
    rows.extend(
        Figure::ALL
            .iter()
            .map(|fig| figure_row(*fig, &report.figures)),
    );
    if let Some(s) = report.summary_zh.as_ref().filter(|_| with_sentence) {
        rows.push(vec![Cell::Text(word("sentence")), Cell::Text(s.clone())]);
    }
    Sheet {
        title: word("summary"),
        header: ["figure", "value", "numerator", "denominator"]
            .map(word)
            .to_vec(),
        rows,
    }
}

/// The figures every breakdown and month line has, after its own first column.
fn line_figures() -> impl Iterator<Item = Figure> {
    Figure::ALL.into_iter().filter(|f| f.per_line())
}

/// A breakdown's header: its first column, then the line figures' names.
fn line_header(first: &str) -> Vec<String> {
    let mut header = vec![word(first)];
    header.extend(line_figures().map(Figure::label_zh));
    header
}

fn figure_cells(first: String, f: &Figures) -> Vec<Cell> {
    let mut cells = vec![Cell::Text(first)];
    cells.extend(line_figures().map(|fig| match fig.of(f) {
        Value::Count(n) => Cell::Int(n),
        Value::Money(m) => Cell::Money(m),
        Value::Rate(r) => Cell::Percent(r.percent()),
        Value::Days(d) => Cell::Decimal(d.map(str::to_string)),
        Value::Levels(l) => Cell::Int(l.total),
        Value::Satisfaction(s) => Cell::Int(s.total()),
    }));
    cells
}

fn breakdown(title: &str, first: &str, rows: &[Row]) -> Sheet {
    Sheet {
        title: word(title),
        header: line_header(first),
        rows: rows
            .iter()
            .map(|r| figure_cells(r.name.clone(), &r.figures))
            .collect(),
    }
}

/// Every sheet of a report, in the order the formats print them; the yearly summary sentence
/// closes the summary sheet when `with_sentence` (the text format prints it at the very end).
pub fn sheets(report: &Report, with_sentence: bool) -> Vec<Sheet> {
    let mut sheets = vec![
        summary_sheet(report, with_sentence),
        breakdown("by_category", "category", &report.by_category),
        breakdown("by_channel", "channel", &report.by_channel),
        breakdown("by_unit", "unit", &report.by_unit),
        breakdown("by_enterprise", "enterprise", &report.by_enterprise),
        breakdown("by_mediator", "mediator", &report.by_mediator),
    ];
    if let Some(months) = &report.by_month {
        sheets.push(Sheet {
            title: word("by_month"),
            header: line_header("month"),
            rows: months
                .iter()
                .map(|m| figure_cells(m.month.clone(), &m.figures))
                .collect(),
        });
    }
    sheets
}

/// The answer's file name stem, e.g. "tiaojie-report-2026-03".
pub fn file_stem(report: &Report) -> String {
    match (&report.month, report.year) {
        (Some(m), _) => format!("tiaojie-report-{m}"),
        (None, Some(y)) => format!("tiaojie-report-{y}"),
        (None, None) => format!("tiaojie-report-{}-{}", report.from, report.to),
    }
}
