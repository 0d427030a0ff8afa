//! The sentence a yearly work report ends with.

use super::figures::{Figures, Rate};

/// The sentence a yearly work report ends with, e.g.
/// "全年共接待职工信访102件，法律法规咨询729件，涉及职工1246人次，涉案金额1070万元，调处率100%，成功率90.2%。"
/// A rate with nothing counted reads "—" (no percent sign).
pub fn summary_zh(f: &Figures) -> String {
    let rate = |r: &Rate| match r.denominator {
        0 => "—".to_string(),
        _ => format!("{}%", r.percent_short()),
    };
    format!(
        "全年共接待职工信访{}件，法律法规咨询{}件，涉及职工{}人次，涉案金额{}万元，调处率{}，成功率{}。",
        f.petitions_received,
        f.consultations,
        f.workers_involved,
        f.amount_involved.wan_yuan(),
        rate(&f.handling_rate),
        rate(&f.success_rate),
    )
}
