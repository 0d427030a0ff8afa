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

/// Room taken by the visible title above the bars.
const TITLE_HEIGHT: i64 = 28;

/// How wide `s` is drawn at the charts' 12 px (`.chart` in app.css), rounded up: a wide (CJK,
/// full-width) character 12 px, any other 7 px. The layout gives every label this much room, so
/// no two labels overlap.
pub fn label_width(s: &str) -> i64 {
    s.chars()
        .map(|c| if (c as u32) >= 0x1100 { 12 } else { 7 })
        .sum()
}

/// The opening of a chart's SVG with its title drawn at the top (and as `<title>` for readers).
fn open_svg(title: &str, width: i64, height: i64) -> String {
    let t = html_escape(title);
    format!(
        "<svg class=\"chart\" role=\"img\" aria-label=\"{t}\" viewBox=\"0 0 {width} {height}\" width=\"{width}\" height=\"{height}\"><title>{t}</title><text class=\"chart-title\" x=\"0\" y=\"18\">{t}</text>"
    )
}

/// Vertical bars (one per item, label under each), as an SVG with `role="img"`. Each column is
/// as wide as its widest label needs (60 px at least).
pub fn column_chart(title: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value.max(0)).max().unwrap_or(0);
    let slot = bars
        .iter()
        .map(|b| label_width(&b.label) + 12)
        .max()
        .unwrap_or(0)
        .max(60);
    let height: i64 = 200;
    let width = (slot * bars.len().max(1) as i64 + 20).max(label_width(title) * 14 / 12 + 10);
    let mut svg = open_svg(title, width, TITLE_HEIGHT + height + 40);
    for (i, b) in bars.iter().enumerate() {
        let h = if max == 0 {
            0
        } else {
            b.value.max(0) * (height - 20) / max
        };
        let centre = 20 + slot * i as i64 + slot / 2;
        let y = TITLE_HEIGHT + height - h;
        svg.push_str(&format!(
            "<rect class=\"bar\" x=\"{}\" y=\"{y}\" width=\"40\" height=\"{h}\"><title>{}: {}</title></rect><text x=\"{centre}\" y=\"{}\" text-anchor=\"middle\">{}</text><text x=\"{centre}\" y=\"{}\" text-anchor=\"middle\" class=\"label\">{}</text>",
            centre - 20,
            html_escape(&b.label),
            b.value,
            y - 4,
            b.value,
            TITLE_HEIGHT + height + 16,
            html_escape(&b.label),
        ));
    }
    svg.push_str("</svg>");
    svg
}

/// Horizontal bars (one per line, label at the left), as an SVG with `role="img"`. The label
/// column is as wide as the widest label.
pub fn bar_chart(title: &str, bars: &[Bar]) -> String {
    let max = bars.iter().map(|b| b.value.max(0)).max().unwrap_or(0);
    let labels = bars
        .iter()
        .map(|b| label_width(&b.label))
        .max()
        .unwrap_or(0)
        .max(40)
        + 10;
    let height = TITLE_HEIGHT + 26 * bars.len().max(1) as i64 + 10;
    let width = (labels + BAR_MAX + 60).max(label_width(title) * 14 / 12 + 10);
    let mut svg = open_svg(title, width, height);
    for (i, b) in bars.iter().enumerate() {
        let w = if max == 0 {
            0
        } else {
            b.value.max(0) * BAR_MAX / max
        };
        let y = TITLE_HEIGHT + 5 + 26 * i as i64;
        svg.push_str(&format!(
            "<text x=\"{}\" y=\"{}\" text-anchor=\"end\" class=\"label\">{}</text><rect class=\"bar\" x=\"{labels}\" y=\"{y}\" width=\"{w}\" height=\"20\"><title>{}: {}</title></rect><text x=\"{}\" y=\"{}\">{}</text>",
            labels - 10,
            y + 15,
            html_escape(&b.label),
            html_escape(&b.label),
            b.value,
            labels + w + 4,
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
        assert!(svg.contains("<text class=\"chart-title\" x=\"0\" y=\"18\">&lt;t&gt;</text>"));
    }

    /// The x of each label of a column chart, in order.
    fn label_centres(svg: &str) -> Vec<i64> {
        svg.split("<text x=\"")
            .skip(1)
            .filter(|t| t.contains("class=\"label\""))
            .filter_map(|t| t.split('"').next()?.parse().ok())
            .collect()
    }

    #[test]
    fn column_labels_are_spaced_by_their_widths_so_none_overlap() {
        for lang in crate::i18n::LANGS {
            let f = Figures::default();
            let bars = outcome_bars(lang, &f);
            let svg = column_chart("t", &bars);
            let centres = label_centres(&svg);
            assert_eq!(centres.len(), bars.len());
            for (i, pair) in centres.windows(2).enumerate() {
                let room = (label_width(&bars[i].label) + label_width(&bars[i + 1].label)) / 2;
                assert!(
                    pair[1] - pair[0] >= room + 4,
                    "{lang}: {} and {}",
                    bars[i].label,
                    bars[i + 1].label
                );
            }
        }
    }

    #[test]
    fn the_label_column_of_a_bar_chart_holds_its_longest_label() {
        let long = "Labor contract / dismissal and more";
        let svg = bar_chart(
            "t",
            &[Bar {
                label: long.into(),
                value: 1,
            }],
        );
        let x: i64 = svg
            .split("<text x=\"")
            .nth(1)
            .and_then(|t| t.split('"').next())
            .and_then(|x| x.parse().ok())
            .unwrap();
        assert!(
            x >= label_width(long),
            "label ends at {x}, needs {}",
            label_width(long)
        );
    }
}
