//! Checking a ledger's rows: each cell read as the ledger writes it (dates with / or ., amounts
//! with thousands commas, the applicant's name before a masked ID number), looked up against the
//! unit's enterprises and mediators, and either a row ready to write or why it is bad.

use super::super::Ctx;
use crate::db::schema::{enterprises, units, users};
use crate::db::DbConn;
use crate::domain::ledger::{status_of, Column};
use crate::domain::money::Fen;
use crate::domain::text::{check_required_text, NAME_MAX};
use crate::domain::vocab::Category;
use crate::error::{AppError, AppResult, Code};
use chrono::NaiveDate;
use diesel::prelude::*;
use std::collections::BTreeMap;
use std::fmt;

/// The ledger's columns an import needs that the header lacks, by header name.
pub(super) fn missing_columns(has: impl Fn(&str) -> bool) -> Vec<&'static str> {
    Column::ALL
        .into_iter()
        .filter(|c| c.required())
        .map(Column::header)
        .filter(|h| !has(h))
        .collect()
}

/// One good row, ready to write.
#[derive(Debug, Clone)]
pub(super) struct Parsed {
    pub(super) line: usize,
    pub(super) case_no: String,
    pub(super) received: NaiveDate,
    /// 受理日期, when the ledger has it.
    pub(super) accepted: Option<NaiveDate>,
    pub(super) applicant: String,
    pub(super) enterprise_id: i64,
    pub(super) category: Category,
    pub(super) workers: i64,
    pub(super) amount_claimed: Fen,
    pub(super) mediator_id: Option<i64>,
    pub(super) status: &'static str,
    pub(super) amount_agreed: Option<Fen>,
    pub(super) amount_paid: Fen,
    pub(super) closed: Option<NaiveDate>,
    /// 司法确认, when the ledger states it.
    pub(super) confirmation: Option<Confirmation>,
    /// 归档号, when the case was archived.
    pub(super) archive_no: Option<String>,
}

/// A judicial confirmation as the ledger states it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Confirmation {
    Intended,
    Applied { on: NaiveDate, court: String },
    Ruled { result: &'static str, on: NaiveDate },
}

/// 司法确认 as the export writes it: 确认有效（2026-03-20）, 驳回申请（…）, 已申请（2026-03-05，法院）
/// or 拟申请 (the brackets full-width or not).
fn confirmation(s: &str) -> Option<Confirmation> {
    let s = s
        .trim()
        .replace('(', "（")
        .replace(')', "）")
        .replace(',', "，");
    if s == crate::i18n::t(crate::i18n::DEFAULT_LANG, "ledger.confirmation_intended") {
        return Some(Confirmation::Intended);
    }
    let (word, rest) = s.split_once('（')?;
    let inner = rest.strip_suffix('）')?;
    let applied = crate::i18n::t(crate::i18n::DEFAULT_LANG, "ledger.confirmation_applied");
    if word == applied {
        let (day, court) = inner.split_once('，')?;
        let court = court.trim();
        if court.is_empty() || court.chars().count() > NAME_MAX {
            return None;
        }
        return Some(Confirmation::Applied {
            on: date(day)?,
            court: court.to_string(),
        });
    }
    let result = ["confirmed", "refused"]
        .into_iter()
        .find(|r| crate::i18n::name_zh("cresult", r) == word)?;
    Some(Confirmation::Ruled {
        result,
        on: date(inner)?,
    })
}

/// A date as ledgers write it: 2025-03-05, 2025/3/5 or 2025.3.5.
fn date(s: &str) -> Option<NaiveDate> {
    let s = s.trim().replace(['/', '.'], "-");
    NaiveDate::parse_from_str(&s, "%Y-%m-%d").ok()
}

/// The name without a masked ID number in parentheses after it (as the export writes it).
fn applicant_name(s: &str) -> String {
    let s = s.trim();
    let cut = s.find(['(', '（']).unwrap_or(s.len());
    s[..cut].trim().to_string()
}

/// The lookups a row is checked against.
pub(super) struct Lookups {
    /// Enterprise ids by name (several when the name is not unique).
    enterprises: BTreeMap<String, Vec<i64>>,
    /// Mediator and director ids of the unit's subtree by display name.
    mediators: BTreeMap<String, Vec<i64>>,
    /// Each category by its name in the catalog (the ledger's 纠纷类型 words), read once per import.
    categories: BTreeMap<String, Category>,
    today: NaiveDate,
}

/// What is wrong with a cell of a bad row. Each has a message in the catalogs under
/// `import.problem.<code>` (the upload page) and an English predicate (the command line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Problem {
    EmptyOrTooLong,
    NotADate,
    InTheFuture,
    UnknownEnterprise,
    SeveralEnterprises,
    UnknownCategory,
    NotAWorkerCount,
    NotAnAmount,
    UnknownMediator,
    SeveralMediators,
    UnknownOutcome,
    RequiredForAgreement,
    GivenForOpenCase,
    RequiredForClosedCase,
    BeforeReceipt,
    AfterClosing,
    GivenForUnacceptedCase,
    FormulaLike,
    InvisibleCharacter,
    NotAConfirmation,
    OnlyForAgreement,
    ArchiveNoTaken,
}

impl Problem {
    pub const ALL: [Problem; 22] = [
        Problem::EmptyOrTooLong,
        Problem::NotADate,
        Problem::InTheFuture,
        Problem::UnknownEnterprise,
        Problem::SeveralEnterprises,
        Problem::UnknownCategory,
        Problem::NotAWorkerCount,
        Problem::NotAnAmount,
        Problem::UnknownMediator,
        Problem::SeveralMediators,
        Problem::UnknownOutcome,
        Problem::RequiredForAgreement,
        Problem::GivenForOpenCase,
        Problem::RequiredForClosedCase,
        Problem::BeforeReceipt,
        Problem::AfterClosing,
        Problem::GivenForUnacceptedCase,
        Problem::FormulaLike,
        Problem::InvisibleCharacter,
        Problem::NotAConfirmation,
        Problem::OnlyForAgreement,
        Problem::ArchiveNoTaken,
    ];

    /// The code and the English predicate.
    fn texts(self) -> (&'static str, &'static str) {
        match self {
            Problem::EmptyOrTooLong => ("empty_or_too_long", "is empty or too long"),
            Problem::NotADate => ("not_a_date", "is not a date"),
            Problem::InTheFuture => ("in_the_future", "is in the future"),
            Problem::UnknownEnterprise => (
                "unknown_enterprise",
                "is not a registered enterprise (register it first)",
            ),
            Problem::SeveralEnterprises => ("several_enterprises", "names several enterprises"),
            Problem::UnknownCategory => ("unknown_category", "is not a dispute category"),
            Problem::NotAWorkerCount => ("not_a_worker_count", "is not a number of workers"),
            Problem::NotAnAmount => ("not_an_amount", "is not an amount in yuan"),
            Problem::UnknownMediator => ("unknown_mediator", "is not a mediator of this unit"),
            Problem::SeveralMediators => ("several_mediators", "names several users"),
            Problem::UnknownOutcome => ("unknown_outcome", "is not an outcome"),
            Problem::RequiredForAgreement => ("required_for_agreement", "is required for 调解成功"),
            Problem::GivenForOpenCase => ("given_for_open_case", "is given but the case is open"),
            Problem::RequiredForClosedCase => {
                ("required_for_closed_case", "is required for a closed case")
            }
            Problem::BeforeReceipt => ("before_receipt", "is before 收案日期"),
            Problem::AfterClosing => ("after_closing", "is after 结案日期"),
            Problem::GivenForUnacceptedCase => (
                "given_for_unaccepted_case",
                "is given but the case was never accepted",
            ),
            Problem::FormulaLike => (
                "formula_like",
                "starts with =, +, -, @, a tab or a line break, which spreadsheets run as a formula",
            ),
            Problem::InvisibleCharacter => (
                "invisible_character",
                "holds invisible or control characters, or nothing visible",
            ),
            Problem::NotAConfirmation => (
                "not_a_confirmation",
                "is not a judicial confirmation as the ledger writes it (确认有效（日期）, 驳回申请（日期）, 已申请（日期，法院）, 拟申请)",
            ),
            Problem::OnlyForAgreement => (
                "only_for_agreement",
                "is given but the case did not end in an agreement",
            ),
            Problem::ArchiveNoTaken => (
                "archive_no_taken",
                "is the archive number of another case",
            ),
        }
    }

    pub fn code(self) -> &'static str {
        self.texts().0
    }
}

/// Why a row cannot be imported: its column (the ledger's header), the problem, and the cell's
/// text (trimmed; empty when the cell is).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadRow {
    pub column: &'static str,
    pub problem: Problem,
    pub value: String,
}

/// The command line's sentence: `收案日期 "2025-02-30" is not a date`.
impl fmt::Display for BadRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let predicate = self.problem.texts().1;
        match self.value.as_str() {
            "" => write!(f, "{} {predicate}", self.column),
            value => write!(f, "{} {value:?} {predicate}", self.column),
        }
    }
}

/// An amount in yuan as ledgers write it, thousands commas allowed.
fn money(s: &str) -> Option<Fen> {
    s.trim().replace(',', "").parse::<Fen>().ok()
}

/// Checks one row; `Err` is why it is bad.
pub(super) fn parse(
    line: usize,
    get: &dyn Fn(Column) -> String,
    l: &Lookups,
) -> Result<Parsed, BadRow> {
    let bad = |column: Column, problem| BadRow {
        column: column.header(),
        problem,
        value: get(column).trim().to_string(),
    };
    let case_no = get(Column::CaseNo).trim().to_string();
    if case_no.is_empty() || case_no.chars().count() > 64 {
        return Err(bad(Column::CaseNo, Problem::EmptyOrTooLong));
    }
    let received =
        date(&get(Column::Received)).ok_or_else(|| bad(Column::Received, Problem::NotADate))?;
    if received > l.today {
        return Err(bad(Column::Received, Problem::InTheFuture));
    }
    let applicant = applicant_name(&get(Column::Applicant));
    if applicant.is_empty() || applicant.chars().count() > NAME_MAX {
        return Err(bad(Column::Applicant, Problem::EmptyOrTooLong));
    }
    if crate::reports::csv::looks_like_formula(&applicant) {
        return Err(bad(Column::Applicant, Problem::FormulaLike));
    }
    if check_required_text(&applicant, NAME_MAX).is_err() {
        return Err(bad(Column::Applicant, Problem::InvisibleCharacter));
    }
    let enterprise = get(Column::Enterprise).trim().to_string();
    let enterprise_id = match l.enterprises.get(&enterprise).map(Vec::as_slice) {
        Some([id]) => *id,
        Some([_, _, ..]) => return Err(bad(Column::Enterprise, Problem::SeveralEnterprises)),
        _ => return Err(bad(Column::Enterprise, Problem::UnknownEnterprise)),
    };
    let category_label = get(Column::Category).trim().to_string();
    let category = *l
        .categories
        .get(&category_label)
        .ok_or_else(|| bad(Column::Category, Problem::UnknownCategory))?;
    let workers = get(Column::Workers)
        .trim()
        .parse::<i64>()
        .ok()
        .filter(|n| crate::domain::workers::check_workers(*n).is_ok())
        .ok_or_else(|| bad(Column::Workers, Problem::NotAWorkerCount))?;
    let amount_claimed =
        money(&get(Column::Claimed)).ok_or_else(|| bad(Column::Claimed, Problem::NotAnAmount))?;
    let mediator_name = get(Column::Mediator).trim().to_string();
    let mediator_id = match (
        mediator_name.is_empty(),
        l.mediators.get(&mediator_name).map(Vec::as_slice),
    ) {
        (true, _) => None,
        (false, Some([id])) => Some(*id),
        (false, Some([_, _, ..])) => return Err(bad(Column::Mediator, Problem::SeveralMediators)),
        (false, _) => return Err(bad(Column::Mediator, Problem::UnknownMediator)),
    };
    let status = status_of(&get(Column::Outcome))
        .map(|s| s.as_str())
        .ok_or_else(|| bad(Column::Outcome, Problem::UnknownOutcome))?;
    let amount_agreed = match get(Column::Agreed).trim() {
        "" => None,
        a => Some(money(a).ok_or_else(|| bad(Column::Agreed, Problem::NotAnAmount))?),
    };
    if status == "resolved" && amount_agreed.is_none() {
        return Err(bad(Column::Agreed, Problem::RequiredForAgreement));
    }
    let amount_paid = match get(Column::Paid).trim() {
        "" => Fen::from_fen(0),
        a => money(a).ok_or_else(|| bad(Column::Paid, Problem::NotAnAmount))?,
    };
    let closed_text = get(Column::Closed);
    let closed_open = matches!(status, "received" | "accepted" | "mediating");
    let closed = match (closed_text.trim(), closed_open) {
        ("", true) => None,
        (_, true) => return Err(bad(Column::Closed, Problem::GivenForOpenCase)),
        ("", false) => return Err(bad(Column::Closed, Problem::RequiredForClosedCase)),
        (d, false) => {
            let d = date(d).ok_or_else(|| bad(Column::Closed, Problem::NotADate))?;
            if d < received {
                return Err(bad(Column::Closed, Problem::BeforeReceipt));
            }
            if d > l.today {
                return Err(bad(Column::Closed, Problem::InTheFuture));
            }
            Some(d)
        }
    };
    let accepted = match get(Column::Accepted).trim() {
        "" => None,
        _ if matches!(status, "received" | "rejected") => {
            return Err(bad(Column::Accepted, Problem::GivenForUnacceptedCase))
        }
        d => {
            let d = date(d).ok_or_else(|| bad(Column::Accepted, Problem::NotADate))?;
            if d < received {
                return Err(bad(Column::Accepted, Problem::BeforeReceipt));
            }
            if closed.is_some_and(|c| d > c) {
                return Err(bad(Column::Accepted, Problem::AfterClosing));
            }
            if d > l.today {
                return Err(bad(Column::Accepted, Problem::InTheFuture));
            }
            Some(d)
        }
    };
    let confirmation = match get(Column::Confirmation).trim() {
        "" => None,
        _ if status != "resolved" => {
            return Err(bad(Column::Confirmation, Problem::OnlyForAgreement))
        }
        text => {
            let c = confirmation(text)
                .ok_or_else(|| bad(Column::Confirmation, Problem::NotAConfirmation))?;
            let day = match &c {
                Confirmation::Applied { on, .. } | Confirmation::Ruled { on, .. } => Some(*on),
                Confirmation::Intended => None,
            };
            if day.is_some_and(|d| d > l.today) {
                return Err(bad(Column::Confirmation, Problem::InTheFuture));
            }
            if day.zip(closed).is_some_and(|(d, c)| d < c) {
                return Err(bad(Column::Confirmation, Problem::NotAConfirmation));
            }
            Some(c)
        }
    };
    let archive_no = match get(Column::ArchiveNo).trim() {
        "" => None,
        _ if closed_open => return Err(bad(Column::ArchiveNo, Problem::GivenForOpenCase)),
        n if check_required_text(n, NAME_MAX).is_err() => {
            return Err(bad(Column::ArchiveNo, Problem::EmptyOrTooLong))
        }
        n => Some(n.to_string()),
    };
    Ok(Parsed {
        line,
        case_no,
        received,
        accepted,
        applicant,
        enterprise_id,
        category,
        workers,
        amount_claimed,
        mediator_id,
        status,
        amount_agreed,
        amount_paid,
        closed,
        confirmation,
        archive_no,
    })
}

pub(super) fn lookups(conn: &mut DbConn, ctx: &Ctx, unit_id: i64) -> AppResult<Lookups> {
    let path: String = units::table
        .find(unit_id)
        .select(units::path)
        .first(conn)
        .optional()?
        .ok_or_else(|| AppError::field("unit_id", Code::NoSuchUnit.with("id", unit_id)))?;
    let unit_ids = crate::services::units_under(conn, &path)?;
    let mut enterprise_names: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (id, name) in enterprises::table
        .select((enterprises::id, enterprises::name))
        .load::<(i64, String)>(conn)?
    {
        enterprise_names.entry(name).or_default().push(id);
    }
    let mut mediators: BTreeMap<String, Vec<i64>> = BTreeMap::new();
    for (id, name) in users::table
        .filter(users::unit_id.eq_any(unit_ids))
        .filter(users::role.eq_any(["mediator", "director"]))
        .select((users::id, users::display_name))
        .load::<(i64, String)>(conn)?
    {
        mediators.entry(name).or_default().push(id);
    }
    Ok(Lookups {
        enterprises: enterprise_names,
        mediators,
        categories: Category::ALL
            .iter()
            .map(|c| (crate::i18n::name_zh("category", c.as_str()), *c))
            .collect(),
        today: ctx.local_date(ctx.now()),
    })
}
