//! `tiaojie report`: a report as text, CSV or xlsx, to a file or standard output.

use crate::reports;
use crate::services::stats::{self, Root, Span};
use crate::services::Ctx;

/// `tiaojie report`: the same figures as the API's reports, for one unit or every unit (the
/// command line is the operator's; it has no caller to scope).
pub(super) fn report(
    ctx: &Ctx,
    span: Span,
    unit: Option<i64>,
    format: &str,
    out: Option<&std::path::Path>,
) -> Result<(), String> {
    if !["text", "csv", "xlsx"].contains(&format) {
        return Err("--format must be text, csv or xlsx".into());
    }
    if format == "xlsx" && out.is_none() {
        return Err("--format xlsx needs --out FILE".into());
    }
    let mut conn = ctx.db.get().map_err(|e| e.to_string())?;
    let root = match unit {
        Some(u) => Root::unit(&mut conn, u)
            .map_err(|e| e.to_string())?
            .ok_or_else(|| format!("no unit with id {u}"))?,
        None => Root::All,
    };
    let report = stats::compute(&mut conn, ctx, &root, span).map_err(|e| e.to_string())?;
    let bytes = match format {
        "csv" => reports::csv::render(&report).into_bytes(),
        "xlsx" => reports::xlsx::render(&report).map_err(|e| e.to_string())?,
        _ => reports::text::render(&report).into_bytes(),
    };
    match out {
        Some(path) => {
            std::fs::write(path, bytes).map_err(|e| format!("cannot write {}: {e}", path.display()))
        }
        None => std::io::Write::write_all(&mut std::io::stdout(), &bytes)
            .map_err(|e| format!("cannot write the report: {e}")),
    }
}
