//! Judicial confirmation of an agreement (司法确认, issue 14): the parties may jointly apply to the
//! court within 30 days of the agreement taking effect (Civil Procedure Law art. 205). A
//! resolved case carries the window's last day (the closing day, when the agreement was signed,
//! plus 30 days, an end on a rest day moved to the next working day); the mediator records that
//! the parties intend to apply (for the reminder 5 days before the window closes), the
//! application (day, court) and the ruling (confirmed or refused, day, number). Each is an event
//! of the case, with the same people and checks as a payment.

use super::*;
use crate::db::schema::case_confirmations;

/// The days after the agreement takes effect within which the parties may apply.
pub const WINDOW_DAYS: u32 = 30;
/// How many days before the window closes the mediator is reminded.
pub const REMIND_DAYS_BEFORE: i64 = 5;

/// What a case shows of its confirmation.
#[derive(Debug, Serialize)]
pub struct ConfirmationView {
    /// The parties said they intend to apply.
    pub intended: bool,
    pub applied_on: Option<NaiveDate>,
    pub court: Option<String>,
    /// `confirmed|refused`, once the court has ruled.
    pub result: Option<String>,
    pub ruled_on: Option<NaiveDate>,
    pub number: Option<String>,
}

impl From<ConfirmationRow> for ConfirmationView {
    fn from(r: ConfirmationRow) -> Self {
        ConfirmationView {
            intended: r.intended,
            applied_on: r.applied_on,
            court: r.court,
            result: r.result,
            ruled_on: r.ruled_on,
            number: r.ruling_no,
        }
    }
}

/// The last day of the window of an agreement that took effect on `effective`.
pub fn window_ends(
    effective: NaiveDate,
    calendar: &crate::domain::calendar::HolidayCalendar,
) -> NaiveDate {
    calendar.add_calendar_days_then_roll(effective, WINDOW_DAYS)
}

/// The window's last day of the case in `row`: for a resolved case, from its closing day.
pub(super) fn window_of(ctx: &Ctx, row: &CaseRow) -> Option<NaiveDate> {
    if row.status != CaseStatus::Resolved.as_str() {
        return None;
    }
    let closed = row.closed_at?;
    let effective = ctx.local_date(Utc.from_utc_datetime(&closed));
    Some(window_ends(effective, &ctx.settings.calendar))
}

/// The reminder's kind in `reminders_sent` (one per case).
pub const REMINDER_KIND: &str = "confirmation_window";

/// A case whose parties intend to apply and have not, whose window closes within
/// `REMIND_DAYS_BEFORE` days of `today` (and has not closed): (case id, effective day, last day).
pub(crate) fn windows_closing(
    ctx: &Ctx,
    conn: &mut DbConn,
    today: NaiveDate,
) -> QueryResult<Vec<(i64, NaiveDate, NaiveDate)>> {
    use crate::db::schema::reminders_sent;
    let found: Vec<(i64, Option<NaiveDateTime>)> = case_confirmations::table
        .inner_join(cases::table)
        .filter(case_confirmations::intended.eq(true))
        .filter(case_confirmations::applied_on.is_null())
        .filter(cases::status.eq(CaseStatus::Resolved.as_str()))
        .filter(diesel::dsl::not(diesel::dsl::exists(
            reminders_sent::table
                .filter(reminders_sent::kind.eq(REMINDER_KIND))
                .filter(reminders_sent::record_id.eq(cases::id)),
        )))
        .select((cases::id, cases::closed_at))
        .load(conn)?;
    Ok(found
        .into_iter()
        .filter_map(|(id, closed)| {
            let effective = ctx.local_date(Utc.from_utc_datetime(&closed?));
            let last = window_ends(effective, &ctx.settings.calendar);
            let from = last - chrono::Duration::days(REMIND_DAYS_BEFORE);
            (from <= today && today <= last).then_some((id, effective, last))
        })
        .collect())
}

/// The confirmation on record of case `case_id`.
pub(crate) fn load(conn: &mut DbConn, case_id: i64) -> QueryResult<Option<ConfirmationRow>> {
    case_confirmations::table
        .find(case_id)
        .select(ConfirmationRow::as_select())
        .first(conn)
        .optional()
}

/// `POST /cases/{id}/confirmation/intent`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IntentInput {
    pub intended: bool,
}

/// `POST /cases/{id}/confirmation`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicationInput {
    pub applied_on: String,
    pub court: String,
}

/// `POST /cases/{id}/confirmation/ruling`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RulingInput {
    pub result: String,
    pub on: String,
    #[serde(default)]
    pub number: Option<String>,
}

/// One change of the confirmation.
enum Change {
    Intent(IntentInput),
    Application(ApplicationInput),
    Ruling(RulingInput),
}

pub async fn intend(
    ctx: &Ctx,
    caller: &Caller,
    id: i64,
    input: IntentInput,
) -> AppResult<CaseView> {
    record(ctx, caller, id, Change::Intent(input)).await
}

pub async fn apply(
    ctx: &Ctx,
    caller: &Caller,
    id: i64,
    input: ApplicationInput,
) -> AppResult<CaseView> {
    record(ctx, caller, id, Change::Application(input)).await
}

pub async fn rule(ctx: &Ctx, caller: &Caller, id: i64, input: RulingInput) -> AppResult<CaseView> {
    record(ctx, caller, id, Change::Ruling(input)).await
}

/// A day sent: a date, not after today and not before `not_before` (422 otherwise).
fn checked_day(
    errors: &mut FieldErrors,
    ctx: &Ctx,
    field: &str,
    value: &str,
    not_before: NaiveDate,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let day = errors.take(
        field,
        crate::domain::time::parse_day(value, ctx.settings.tz),
    )?;
    if day > today {
        errors.add(field, Code::InTheFuture);
        return None;
    }
    if day < not_before {
        errors.add(field, Code::BeforePreviousEvent);
        return None;
    }
    Some(day)
}

async fn record(ctx: &Ctx, caller: &Caller, id: i64, change: Change) -> AppResult<CaseView> {
    changing_case(
        ctx,
        caller,
        id,
        Permission::RecordPayment,
        move |conn, c, caller, row| {
            let status: CaseStatus = row
                .status
                .parse()
                .map_err(|_| AppError::InvalidTransition(Code::UnknownCaseStatus.into()))?;
            // Only an agreement can be confirmed: a resolved case, as a payment needs.
            transition(status, ActionKind::Payment, row.extended)
                .map_err(super::actions::workflow_error)?;
            caller.require_that(crate::domain::permission::may_on_case(
                caller.role,
                caller.id,
                row.mediator_id,
                ActionKind::Payment,
            ))?;
            let was = load(conn, id)?;
            let now = c.now();
            let today = c.local_date(now);
            let window = window_of(c, &row);
            let effective = row.closed_at.map(|t| c.local_date(utc(t))).unwrap_or(today);
            let mut errors = FieldErrors::default();
            let mut next = was.clone().unwrap_or(ConfirmationRow {
                case_id: id,
                intended: false,
                applied_on: None,
                court: None,
                result: None,
                ruled_on: None,
                ruling_no: None,
            });
            let (action, note) = match change {
                Change::Intent(input) => {
                    if next.applied_on.is_some() {
                        return Err(AppError::InvalidTransition(
                            Code::ConfirmationAppliedAlready.into(),
                        ));
                    }
                    next.intended = input.intended;
                    ("confirmation_intent", input.intended.to_string())
                }
                Change::Application(input) => {
                    if next.applied_on.is_some() {
                        return Err(AppError::InvalidTransition(
                            Code::ConfirmationAppliedAlready.into(),
                        ));
                    }
                    let day = checked_day(
                        &mut errors,
                        c,
                        "applied_on",
                        &input.applied_on,
                        effective,
                        today,
                    );
                    if let (Some(day), Some(window)) = (day, window) {
                        if day > window {
                            errors.add(
                                "applied_on",
                                Code::AfterConfirmationWindow.with("last_day", window),
                            );
                        }
                    }
                    let court = errors.take("court", check_required_text(&input.court, NAME_MAX));
                    errors.finish()?;
                    next.intended = true;
                    next.applied_on = day;
                    next.court = court.clone();
                    (
                        "confirmation_applied",
                        format!(
                            "{}: {}",
                            day.map(|d| d.to_string()).unwrap_or_default(),
                            court.unwrap_or_default()
                        ),
                    )
                }
                Change::Ruling(input) => {
                    let Some(applied) = next.applied_on else {
                        return Err(AppError::InvalidTransition(
                            Code::ConfirmationNotApplied.into(),
                        ));
                    };
                    if next.result.is_some() {
                        return Err(AppError::InvalidTransition(
                            Code::ConfirmationRuledAlready.into(),
                        ));
                    }
                    let result = match input.result.trim() {
                        r @ ("confirmed" | "refused") => Some(r.to_string()),
                        _ => {
                            errors.add("result", Code::OneOf.with("list", "confirmed, refused"));
                            None
                        }
                    };
                    let day = checked_day(&mut errors, c, "on", &input.on, applied, today);
                    let number =
                        optional_text(&mut errors, "number", input.number.as_deref(), NAME_MAX);
                    errors.finish()?;
                    next.result = result.clone();
                    next.ruled_on = day;
                    next.ruling_no = number.flatten();
                    ("confirmation_ruled", result.unwrap_or_default())
                }
            };
            diesel::delete(case_confirmations::table.find(id)).execute(conn)?;
            diesel::insert_into(case_confirmations::table)
                .values(&next)
                .execute(conn)?;
            let now_n = now.naive_utc();
            let changed =
                diesel::update(cases::table.find(id).filter(cases::version.eq(row.version)))
                    .set((
                        cases::last_event_at.eq(now_n.max(row.last_event_at)),
                        cases::version.eq(row.version + 1),
                        cases::updated_at.eq(now_n),
                    ))
                    .execute(conn)?;
            if changed == 0 {
                return Err(AppError::VersionConflict);
            }
            insert_event(
                conn,
                NewCaseEvent {
                    case_id: id,
                    actor_id: Some(caller.id),
                    at: now_n.max(row.last_event_at),
                    action,
                    from_status: Some(status.as_str()),
                    to_status: Some(status.as_str()),
                    note: Some(&note),
                    created_at: now_n,
                    assignee_id: None,
                },
            )?;
            load_view(conn, c, caller, id)
        },
    )
    .await
}
