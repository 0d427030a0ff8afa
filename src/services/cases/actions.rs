//! The workflow actions on a case: accept to payment, each checked and written with its event.
use super::*;
use crate::domain::permission::may_on_case;
use crate::domain::permission::Permission;
use crate::domain::time::parse_day;
use crate::error::Code;

/// The body of any action; each action reads the fields it needs.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    pub at: Option<String>,
    pub reason: Option<String>,
    pub mediator_id: Option<i64>,
    pub coordinator_id: Option<i64>,
    pub held_at: Option<String>,
    pub location: Option<String>,
    pub attendees: Option<String>,
    pub notes: Option<String>,
    pub days: Option<i64>,
    pub outcome: Option<String>,
    pub amount_agreed: Option<String>,
    pub agreement_no: Option<String>,
    pub payment_due: Option<String>,
    pub referral: Option<String>,
    pub note: Option<String>,
    pub amount: Option<String>,
    pub paid_at: Option<String>,
    /// The agreement's terms at closing (issue 14).
    pub terms: Option<Vec<super::TermInput>>,
    /// The instalment a payment pays.
    pub term_id: Option<i64>,
}

/// The values of an action, checked; what the case row and the side rows get.
struct Parsed {
    command: Command,
    note: Option<String>,
    mediator_id: Option<i64>,
    coordinator_id: Option<i64>,
    session: Option<(NaiveDateTime, String, String, String)>,
    agreement_no: Option<String>,
    payment_due: Option<NaiveDate>,
    paid_at: Option<NaiveDate>,
    terms: Vec<super::terms::CheckedTerm>,
}

fn check_assignee(
    conn: &mut DbConn,
    errors: &mut FieldErrors,
    row: &CaseRow,
    mediator_id: Option<i64>,
    coordinator_id: Option<i64>,
) -> AppResult<(Option<i64>, Option<i64>)> {
    let mediator = match mediator_id {
        None => {
            errors.add("mediator_id", Code::Required);
            None
        }
        Some(m) => {
            let user: Option<(String, bool, Option<String>)> = users::table
                .left_join(units::table.on(users::unit_id.eq(units::id.nullable())))
                .filter(users::id.eq(m))
                .select((users::role, users::active, units::path.nullable()))
                .first(conn)
                .optional()?;
            let case_path: String = units::table
                .find(row.unit_id)
                .select(units::path)
                .first(conn)?;
            let ok = match user {
                Some((role, true, Some(path))) => {
                    role.parse::<Role>().is_ok_and(Role::can_mediate)
                        && case_path.starts_with(&path)
                }
                _ => false,
            };
            if !ok {
                errors.add("mediator_id", Code::NotCaseMediator);
            }
            Some(m)
        }
    };
    let coordinator = match coordinator_id {
        Some(c) => {
            let user: Option<(String, bool, Option<i64>)> = users::table
                .find(c)
                .select((users::role, users::active, users::enterprise_id))
                .first(conn)
                .optional()?;
            let ok = matches!(user, Some((role, true, Some(e))) if role == Role::Officer.as_str() && e == row.enterprise_id);
            if !ok {
                errors.add("coordinator_id", Code::NotCaseOfficer);
            }
            Some(c)
        }
        // By default the enterprise's designated early-warning officer.
        None => enterprises::table
            .find(row.enterprise_id)
            .select(enterprises::officer_id)
            .first::<Option<i64>>(conn)?,
    };
    Ok((mediator, coordinator))
}

fn parse_action(
    conn: &mut DbConn,
    ctx: &Ctx,
    row: &CaseRow,
    kind: ActionKind,
    input: &ActionInput,
    now: DateTime<Utc>,
    errors: &mut FieldErrors,
) -> AppResult<Option<Parsed>> {
    let mut parsed = Parsed {
        command: Command::Note,
        note: None,
        mediator_id: None,
        coordinator_id: None,
        session: None,
        agreement_no: None,
        payment_due: None,
        paid_at: None,
        terms: Vec::new(),
    };
    let past_date = |errors: &mut FieldErrors, field: &str, v: Option<&str>| -> Option<NaiveDate> {
        let Some(v) = v else {
            errors.add(field, Code::Required);
            return None;
        };
        let d = errors.take(field, parse_day(v, ctx.settings.tz))?;
        if d > ctx.local_date(now) {
            errors.add(field, Code::InTheFuture);
            return None;
        }
        Some(d)
    };
    let command = match kind {
        ActionKind::Accept => Some(Command::Accept),
        ActionKind::Reject => {
            parsed.note = required_text(errors, "reason", input.reason.as_deref(), LONG_TEXT_MAX);
            Some(Command::Reject)
        }
        ActionKind::Assign => {
            let (m, c) =
                check_assignee(conn, errors, row, input.mediator_id, input.coordinator_id)?;
            parsed.mediator_id = m;
            parsed.coordinator_id = c;
            Some(Command::Assign)
        }
        ActionKind::Session => {
            let held = match input.held_at.as_deref() {
                Some(h) => errors.take("held_at", parse_past_instant(h, now)),
                None => {
                    errors.add("held_at", Code::Required);
                    None
                }
            };
            let location = required_text(errors, "location", input.location.as_deref(), NAME_MAX);
            let attendees = required_text(
                errors,
                "attendees",
                input.attendees.as_deref(),
                LONG_TEXT_MAX,
            );
            let notes = optional_text(errors, "notes", input.notes.as_deref(), LONG_TEXT_MAX);
            if let (Some(h), Some(l), Some(a), Some(n)) = (held, location, attendees, notes) {
                parsed.session = Some((h.naive_utc(), l, a, n.unwrap_or_default()));
            }
            Some(Command::Session)
        }
        ActionKind::Extend => {
            parsed.note = required_text(errors, "reason", input.reason.as_deref(), LONG_TEXT_MAX);
            match input.days {
                Some(d) => Some(Command::Extend {
                    days: u32::try_from(d).unwrap_or(0),
                }),
                None => {
                    errors.add("days", Code::Required);
                    None
                }
            }
        }
        ActionKind::Close => match input.outcome.as_deref() {
            Some("agreement") => {
                let terms = super::terms::check_terms(
                    errors,
                    ctx.settings.tz,
                    input.terms.as_deref(),
                    input.amount_agreed.as_deref(),
                    input.payment_due.as_deref(),
                );
                parsed.agreement_no = optional_text(
                    errors,
                    "agreement_no",
                    input.agreement_no.as_deref(),
                    NAME_MAX,
                )
                .flatten();
                // The case keeps the first instalment's date as its payment due date.
                parsed.payment_due = terms.as_ref().and_then(|(_, terms)| {
                    terms
                        .iter()
                        .filter(|t| t.amount.is_some())
                        .filter_map(|t| t.due)
                        .min()
                });
                parsed.note =
                    optional_text(errors, "note", input.note.as_deref(), LONG_TEXT_MAX).flatten();
                terms.map(|(amount_agreed, terms)| {
                    parsed.terms = terms;
                    Command::CloseAgreement { amount_agreed }
                })
            }
            Some("failed") => {
                let referral: Option<Referral> =
                    required(errors, "referral", input.referral.as_deref());
                parsed.note = required_text(errors, "note", input.note.as_deref(), LONG_TEXT_MAX);
                referral.map(|referral| Command::CloseFailed { referral })
            }
            _ => {
                errors.add("outcome", Code::NotAnOutcome);
                None
            }
        },
        ActionKind::Withdraw => {
            parsed.note = required_text(errors, "note", input.note.as_deref(), LONG_TEXT_MAX);
            Some(Command::Withdraw)
        }
        ActionKind::Payment => {
            let amount: Option<Fen> = required(errors, "amount", input.amount.as_deref());
            if amount == Some(Fen::ZERO) {
                errors.add("amount", Code::MoreThan.with("min", 0));
            }
            parsed.paid_at = past_date(errors, "paid_at", input.paid_at.as_deref());
            amount.map(|amount| Command::Payment { amount })
        }
        ActionKind::Note | ActionKind::Edit => None,
    };
    match command {
        Some(c) if errors.is_empty() => {
            parsed.command = c;
            Ok(Some(parsed))
        }
        _ => Ok(None),
    }
}

pub(super) fn workflow_error(e: WorkflowError) -> AppError {
    match e.field() {
        Some(field) => AppError::field(field, e),
        None => AppError::InvalidTransition(e.into()),
    }
}

/// Takes a workflow action on a case.
pub async fn act(
    ctx: &Ctx,
    caller: &Caller,
    id: i64,
    kind: ActionKind,
    input: ActionInput,
) -> AppResult<CaseView> {
    changing_case(
        ctx,
        caller,
        id,
        Permission::of_action(kind),
        move |conn, c, caller, row| {
            let status: CaseStatus = row
                .status
                .parse()
                .map_err(|_| AppError::InvalidTransition(Code::UnknownCaseStatus.into()))?;
            transition(status, kind, row.extended).map_err(workflow_error)?;
            caller.require_that(may_on_case(caller.role, caller.id, row.mediator_id, kind))?;

            let now = c.now();
            let mut errors = FieldErrors::default();
            let at = match input.at.as_deref() {
                Some(a) => errors.take("at", crate::domain::time::parse_instant(a)),
                None => Some(now),
            };
            let parsed = parse_action(conn, c, &row, kind, &input, now, &mut errors)?;
            let (Some(at), Some(parsed)) = (at, parsed) else {
                return Err(AppError::Validation(errors));
            };
            let facts = CaseFacts {
                status,
                extended: row.extended,
                deadline: row.deadline,
                amount_agreed: row.amount_agreed.map(Fen::from_fen),
                amount_paid: Fen::from_fen(row.amount_paid),
                last_event_at: utc(row.last_event_at),
            };
            let settings = &c.settings;
            let decision = decide(
                &facts,
                &parsed.command,
                at,
                c.local_date(at),
                now,
                &settings.rules,
                &settings.calendar,
            )
            .map_err(workflow_error)?;

            let at_n = at.naive_utc();
            let now_n = now.naive_utc();
            let mut mediator_id = row.mediator_id;
            let mut coordinator_id = row.coordinator_id;
            let mut outcome = row.outcome.clone();
            let mut referral = row.referral.clone();
            let mut amount_agreed = row.amount_agreed;
            let mut event_action = kind.as_str();
            let mut note = parsed.note.clone();
            match &parsed.command {
                Command::Assign => {
                    if status == CaseStatus::Mediating {
                        event_action = "reassign";
                    }
                    mediator_id = parsed.mediator_id;
                    coordinator_id = parsed.coordinator_id;
                }
                Command::Extend { days } => {
                    note = Some(format!(
                        "+{days}: {}",
                        parsed.note.clone().unwrap_or_default()
                    ));
                }
                Command::CloseAgreement { amount_agreed: a } => {
                    outcome = Some("agreement".into());
                    amount_agreed = Some(a.fen());
                    super::terms::insert_terms(conn, id, &parsed.terms, now_n)?;
                }
                Command::CloseFailed { referral: r } => {
                    outcome = Some("failed".into());
                    referral = Some(r.as_str().into());
                }
                Command::Payment { amount } => {
                    note = Some(amount.to_string());
                    let paid_at = parsed.paid_at.unwrap_or_else(|| c.local_date(at));
                    super::terms::check_payment_term(conn, c, id, input.term_id, *amount, paid_at)?;
                    diesel::insert_into(payments::table)
                        .values(NewPayment {
                            case_id: id,
                            amount: amount.fen(),
                            paid_at,
                            recorded_by: caller.id,
                            created_at: now_n,
                            term_id: input.term_id,
                        })
                        .execute(conn)?;
                    crate::services::idempotency::keep(conn, c, caller.id, "case", id)?;
                }
                Command::Session => {
                    if let Some((held_at, location, attendees, notes)) = &parsed.session {
                        diesel::insert_into(mediation_sessions::table)
                            .values(NewSession {
                                case_id: id,
                                held_at: *held_at,
                                location,
                                attendees,
                                notes,
                                created_by: caller.id,
                                created_at: now_n,
                            })
                            .execute(conn)?;
                    }
                }
                _ => {}
            }
            let changed =
                diesel::update(cases::table.find(id).filter(cases::version.eq(row.version)))
                    .set((
                        cases::status.eq(decision.to.as_str()),
                        cases::deadline.eq(decision.deadline.unwrap_or(row.deadline)),
                        cases::extended.eq(row.extended || kind == ActionKind::Extend),
                        cases::mediator_id.eq(mediator_id),
                        cases::coordinator_id.eq(coordinator_id),
                        cases::outcome.eq(outcome),
                        cases::referral.eq(referral),
                        cases::amount_agreed.eq(amount_agreed),
                        cases::agreement_no
                            .eq(parsed.agreement_no.clone().or(row.agreement_no.clone())),
                        cases::payment_due.eq(parsed.payment_due.or(row.payment_due)),
                        cases::amount_paid
                            .eq(decision.amount_paid.map_or(row.amount_paid, Fen::fen)),
                        cases::closed_at.eq(if decision.closes {
                            Some(at_n)
                        } else {
                            row.closed_at
                        }),
                        cases::last_event_at.eq(at_n),
                        cases::version.eq(row.version + 1),
                        cases::updated_at.eq(now_n),
                    ))
                    .execute(conn)?;
            if changed == 0 {
                return Err(AppError::VersionConflict);
            }
            if kind == ActionKind::Assign {
                crate::notify::outbox::case_assigned(conn, c, id)?;
            }
            insert_event(
                conn,
                NewCaseEvent {
                    case_id: id,
                    actor_id: Some(caller.id),
                    at: at_n,
                    action: event_action,
                    from_status: Some(status.as_str()),
                    to_status: Some(decision.to.as_str()),
                    note: note.as_deref(),
                    created_at: now_n,
                    assignee_id: parsed.mediator_id.filter(|_| kind == ActionKind::Assign),
                },
            )?;
            load_view(conn, c, caller, id)
        },
    )
    .await
}
