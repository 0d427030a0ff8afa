//! The reports as tables: a report becomes a list of sheets (the figures, then one sheet per
//! breakdown, then the months of a year), and each output format (CSV, text, xlsx) writes the
//! same sheets, so the formats cannot drift apart.

pub mod csv;
pub mod ledger;
pub mod text;
pub mod xlsx;

use crate::domain::money::Fen;
use crate::domain::stats::{Figures, LevelCounts, Rate};
use crate::services::stats::{Report, Row};

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
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

/// What the report is of, e.g. "东街街道 2026年3月 统计报表".
pub fn title(report: &Report) -> String {
    let unit = report.unit_name.as_deref().unwrap_or("全部单位");
    let when = match (&report.month, report.year) {
        (Some(m), _) => {
            let (y, mo) = m.split_once('-').unwrap_or((m.as_str(), ""));
            format!("{y}年{}月", mo.trim_start_matches('0'))
        }
        (None, Some(y)) => format!("{y}年"),
        (None, None) => format!(
            "{} 至 {}",
            report.from,
            report.to.pred_opt().unwrap_or(report.to)
        ),
    };
    format!("{unit} {when} 劳动争议调解统计")
}

fn rate_rows(label: &str, r: &Rate) -> Vec<Cell> {
    vec![
        Cell::Text(label.into()),
        Cell::Percent(r.percent()),
        Cell::Int(r.numerator),
        Cell::Int(r.denominator),
    ]
}

fn count_row(label: &str, n: i64) -> Vec<Cell> {
    vec![Cell::Text(label.into()), Cell::Int(n)]
}

fn level_row(label: &str, l: &LevelCounts) -> Vec<Cell> {
    vec![
        Cell::Text(label.into()),
        Cell::Int(l.total),
        Cell::Text(format!("红{} 橙{} 黄{}", l.red, l.orange, l.yellow)),
    ]
}

/// The figures as label/value lines (rates with numerator and denominator), and the yearly
/// summary sentence last when `with_sentence`.
fn summary_sheet(report: &Report, with_sentence: bool) -> Sheet {
    let f = &report.figures;
    let mut rows = vec![
        vec![
            Cell::Text("统计期间".into()),
            Cell::Text(report.from.to_string()),
            Cell::Text(report.to.pred_opt().unwrap_or(report.to).to_string()),
        ],
        count_row("接待信访(件)", f.petitions_received),
        count_row("法律法规咨询(件)", f.consultations),
        count_row("涉及职工(人次)", f.workers_involved),
        vec![
            Cell::Text("涉案金额(元)".into()),
            Cell::Money(f.amount_involved),
        ],
        count_row("调处(件)", f.concluded),
        rate_rows("调处率(%)", &f.handling_rate),
        count_row("调解成功(件)", f.resolved),
        count_row("调解不成(件)", f.failed),
        rate_rows("成功率(%)", &f.success_rate),
        vec![
            Cell::Text("协议金额(元)".into()),
            Cell::Money(f.amount_agreed),
        ],
        vec![
            Cell::Text("履行金额(元)".into()),
            Cell::Money(f.amount_paid),
        ],
        count_row("期内结案(件)", f.closed_in_period),
        count_row("期末在办(件)", f.open_at_end),
        count_row("期末超期(件)", f.overdue_at_end),
        vec![
            Cell::Text("平均结案天数".into()),
            Cell::Decimal(f.avg_days_to_close.clone()),
        ],
        level_row("预警上报(件)", &f.warnings_reported),
        level_row("预警升级(件)", &f.warnings_escalated),
        level_row("预警化解(件)", &f.warnings_defused),
    ];
    if let Some(s) = report.summary_zh.as_ref().filter(|_| with_sentence) {
        rows.push(vec![Cell::Text("总结".into()), Cell::Text(s.clone())]);
    }
    Sheet {
        title: "汇总".into(),
        header: vec!["指标", "数值", "分子", "分母"],
        rows,
    }
}

/// The columns every breakdown and month line has, after its own first column.
const FIGURE_COLUMNS: [&str; 14] = [
    "接待信访",
    "法律咨询",
    "涉及职工人次",
    "涉案金额(元)",
    "调处",
    "调处率(%)",
    "调解成功",
    "调解不成",
    "成功率(%)",
    "协议金额(元)",
    "履行金额(元)",
    "期内结案",
    "期末在办",
    "期末超期",
];

fn figure_cells(first: String, f: &Figures) -> Vec<Cell> {
    vec![
        Cell::Text(first),
        Cell::Int(f.petitions_received),
        Cell::Int(f.consultations),
        Cell::Int(f.workers_involved),
        Cell::Money(f.amount_involved),
        Cell::Int(f.concluded),
        Cell::Percent(f.handling_rate.percent()),
        Cell::Int(f.resolved),
        Cell::Int(f.failed),
        Cell::Percent(f.success_rate.percent()),
        Cell::Money(f.amount_agreed),
        Cell::Money(f.amount_paid),
        Cell::Int(f.closed_in_period),
        Cell::Int(f.open_at_end),
        Cell::Int(f.overdue_at_end),
    ]
}

fn breakdown(title: &str, first: &'static str, rows: &[Row]) -> Sheet {
    let mut header = vec![first];
    header.extend(FIGURE_COLUMNS);
    Sheet {
        title: title.into(),
        header,
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
        breakdown("按纠纷类型", "纠纷类型", &report.by_category),
        breakdown("按来源渠道", "来源渠道", &report.by_channel),
        breakdown("按单位", "单位", &report.by_unit),
        breakdown("按企业(前20)", "企业", &report.by_enterprise),
        breakdown("按调解员", "调解员", &report.by_mediator),
    ];
    if let Some(months) = &report.by_month {
        let mut header = vec!["月份"];
        header.extend(FIGURE_COLUMNS);
        sheets.push(Sheet {
            title: "按月份".into(),
            header,
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
