//! The report pages' bar charts as SVG: a pure function from a report's figures (and the
//! language of its labels) to SVG strings, so the page only places them. No script: integer
//! arithmetic for the bar lengths, every label escaped.

use crate::domain::stats::Figures;
use crate::i18n;
use crate::services::stats::Report;
use handlebars::html_escape;

/// A month's charts: its outcomes, then its petitions by category.
pub fn monthly(lang: &str, report: &Report) -> Vec<String> {
    vec![
        column_chart(
            &i18n::t(lang, "report.chart_outcomes"),
            &outcome_bars(lang, &report.figures),
        ),
        bar_chart(
            &i18n::t(lang, "report.chart_categories"),
            &category_bars(lang, report),
        ),
    ]
}

/// A year's charts: its petitions by month, then its outcomes and its petitions by category.
pub fn yearly(lang: &str, report: &Report) -> Vec<String> {
    let mut charts = vec![column_chart(
        &i18n::t(lang, "report.chart_months"),
        &month_bars(report),
    )];
    charts.extend(monthly(lang, report));
    charts
}

/// One bar of a chart: its label and its (non-negative) value.
pub struct Bar {
    pub label: String,
    pub value: i64,
}

const BAR_MAX: i64 = 300;

/// Vertical bars (one per item, label under each), as an SVG with `role="img"`.
pub fn column_chart(title: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value.max(0)).max().unwrap_or(0);
    let width = 60 * bars.len().max(1) as i64 + 20;
    let height: i64 = 200;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {}\" width=\"{width}\" height=\"{}\"><title>{}</title>",
        html_escape(title),
        height + 40,
        height + 40,
        html_escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let h = if max == 0 {
            0
        } else {
            b.value.max(0) * (height - 20) / max
        };
        let x = 20 + 60 * i as i64;
        let y = height - h;
        svg.push_str(&format!(
            "<rect class=\"bar\" x=\"{x}\" y=\"{y}\" width=\"40\" height=\"{h}\"><title>{}: {}</title></rect><text x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text><text x=\"{}\" y=\"{}\" text-anchor=\"middle\" class=\"label\">{}</text>",
            html_escape(&b.label),
            b.value,
            x + 20,
            y - 4,
            b.value,
            x + 20,
            height + 16,
            html_escape(&b.label),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars (one per line, label at the left), as an SVG with `role="img"`.
pub fn bar_chart(title: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value.max(0)).max().unwrap_or(0);
    let height = 26 * bars.len().max(1) as i64 + 10;
    let width = 160 + BAR_MAX + 60;
    let mut svg = format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\"><title>{}</title>",
        html_escape(title),
        html_escape(title)
    );
    for (i, b) in bars.iter().enumerate() {
        let w = if max == 0 {
            0
        } else {
            b.value.max(0) * BAR_MAX / max
        };
        let y = 5 + 26 * i as i64;
        svg.push_str(&format!(
            "<text x=\"150\" y=\"{}\" text-anchor=\"end\" class=\"label\">{}</text><rect class=\"bar\" x=\"160\" y=\"{y}\" width=\"{w}\" height=\"20\"><title>{}: {}</title></rect><text x=\"{}\" y=\"{}\">{}</text>",
            y + 15,
            html_escape(&b.label),
            html_escape(&b.label),
            b.value,
            160 + w + 4,
            y + 15,
            b.value,
        ));
    }
    svg.push_str("</svg>");
    svg
}

fn outcome_bars(lang: &str, f: &Figures) -> Vec<Bar> {
    let other = f.concluded - f.resolved - f.failed;
    vec![
        Bar {
            label: i18n::t(lang, "status.resolved"),
            value: f.resolved,
        },
        Bar {
            label: i18n::t(lang, "status.failed"),
            value: f.failed,
        },
        Bar {
            label: i18n::t(lang, "report.withdrawn_rejected"),
            value: other,
        },
        Bar {
            label: i18n::t(lang, "report.open"),
            value: f.petitions_received - f.concluded,
        },
    ]
}

fn category_bars(lang: &str, r: &Report) -> Vec<Bar> {
    r.by_category
        .iter()
        .map(|row| Bar {
            label: i18n::t(
                lang,
                &format!("category.{}", row.key.as_str().unwrap_or_default()),
            ),
            value: row.figures.petitions_received,
        })
        .collect()
}

fn month_bars(r: &Report) -> Vec<Bar> {
    r.by_month
        .as_deref()
        .unwrap_or_default()
        .iter()
        .map(|m| Bar {
            label: m.month.get(5..7).unwrap_or(&m.month).to_string(),
            value: m.figures.petitions_received,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn charts_escape_labels_and_scale_by_integers() {
        let svg = bar_chart(
            "<t>",
            &[
                Bar {
                    label: "<script>".into(),
                    value: 2,
                },
                Bar {
                    label: "b".into(),
                    value: 1,
                },
            ],
        );
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;"));
        assert!(svg.contains("width=\"300\""));
        assert!(svg.contains("width=\"150\""));
        assert_eq!(svg.matches("class=\"bar\"").count(), 2);
        assert!(svg.contains("role=\"img\""));
    }
}
