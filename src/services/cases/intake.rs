//! Intake: a petition registered, its number taken, its clocks started.
use super::*;
use crate::domain::permission::Permission;
use crate::error::Code;

/// The next case number of `year`, as `prefix-year-00001` (`db::next_case_number` keeps
/// concurrent intakes from sharing one).
fn next_case_no(conn: &mut DbConn, prefix: &str, year: i32) -> QueryResult<String> {
    let year = i64::from(year);
    let n = crate::db::next_case_number(conn, year)?;
    Ok(format!("{prefix}-{year}-{n:05}"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseInput {
    pub received_at: String,
    pub channel: String,
    pub category: String,
    pub enterprise_id: i64,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub applicant_id_number: Option<String>,
    pub workers_involved: i64,
    pub amount_claimed: String,
    pub description: String,
    pub warning_id: Option<i64>,
    pub unit_id: Option<i64>,
    /// Every applicant, with their particulars; the first is then the case's `applicant_*`.
    #[serde(default)]
    pub applicants: Option<Vec<ApplicantInput>>,
    /// The agent who attends for the respondent.
    #[serde(default)]
    pub respondent_agent: Option<super::AgentInput>,
    /// The day the worker knew or should have known of the infringement (the limitation's
    /// start).
    #[serde(default)]
    pub rights_known_on: Option<String>,
    /// The day the employment ended, if it has.
    #[serde(default)]
    pub employment_ended_on: Option<String>,
}

/// Registers a petition. The receipt time starts the clocks.
pub async fn create(ctx: &Ctx, asker: impl Into<Asker>, input: CaseInput) -> AppResult<CaseView> {
    let c = ctx.clone();
    // The answer is built from what the transaction wrote (the case row and its intake event come
    // back from their INSERTs), so the intake reads nothing back after its commit. Each whole
    // phone or ID number the answer shows is logged in the same transaction.
    let (caller, created) = ctx
        .write_as(asker.into(), move |conn, caller| {
            caller.require(Permission::RegisterCase)?;
            let created = create_in(conn, &c, &caller, input)?;
            let now = c.now().naive_utc();
            log_whole_views(conn, &caller, &created.row, &created.parts.applicants, now)?;
            Ok((caller, created))
        })
        .await?;
    Ok(shape_view(ctx, &caller, created.row, created.parts))
}

/// A case just registered: its row and its page's parts (the intake event, no records yet).
pub(crate) struct Created {
    pub row: CaseRow,
    pub parts: CaseParts,
}

/// Checks an intake and inserts the case, its intake event and its access-log row on `conn`,
/// inside the caller's transaction (intake at the desk, or a warning's escalation). A `warning_id`
/// must name an open warning in the caller's scope; the warning is then linked to the new case
/// and marked escalated in the same transaction. Answers the new case as written.
pub(crate) fn create_in(
    conn: &mut DbConn,
    ctx: &Ctx,
    caller: &Caller,
    mut input: CaseInput,
) -> AppResult<Created> {
    let now = ctx.now();
    let mut errors = FieldErrors::default();
    // Given `applicants`, the first is the case's applicant: the single fields, when sent too,
    // must name the same person.
    let given = input.applicants.take();
    if let Some(first) = given.as_ref().and_then(|g| g.first()) {
        let same = |single: &Option<String>, theirs: &Option<String>| {
            single
                .as_deref()
                .map(str::trim)
                .is_none_or(|s| s.is_empty() || Some(s) == theirs.as_deref().map(str::trim))
        };
        if !same(&input.applicant_name, &Some(first.name.clone()))
            || !same(&input.applicant_phone, &first.phone)
            || !same(&input.applicant_id_number, &first.id_number)
        {
            errors.add("applicants", crate::domain::problem::Code::ApplicantTwice);
        }
        input.applicant_name = Some(first.name.clone());
        input.applicant_phone = first.phone.clone();
        input.applicant_id_number = first.id_number.clone();
    }
    let received = errors.take("received_at", parse_past_instant(&input.received_at, now));
    let channel = errors.take("channel", input.channel.parse::<Channel>());
    let category = errors.take("category", input.category.parse::<Category>());
    let name = optional_text(
        &mut errors,
        "applicant_name",
        input.applicant_name.as_deref(),
        NAME_MAX,
    );
    if channel != Some(Channel::Warning) && name == Some(None) {
        errors.add("applicant_name", Code::Required);
    }
    let phone = parse_opt::<Phone>(
        &mut errors,
        "applicant_phone",
        input.applicant_phone.as_deref(),
    );
    let id_number = parse_opt::<ResidentId>(
        &mut errors,
        "applicant_id_number",
        input.applicant_id_number.as_deref(),
    );
    let workers = errors.take("workers_involved", check_workers(input.workers_involved));
    let applicants = given
        .as_deref()
        .map(|g| super::applicants::check(&mut errors, g, workers));
    if applicants.is_some() {
        // Each applicant's particulars are checked under `applicants[i]`, the first's too.
        for single in ["applicant_name", "applicant_phone", "applicant_id_number"] {
            errors.0.remove(single);
        }
    }
    let agent = input
        .respondent_agent
        .as_ref()
        .map(|a| super::agent::check(&mut errors, a));
    let days = super::time_limits::check(
        &mut errors,
        ctx,
        input.rights_known_on.as_deref(),
        input.employment_ended_on.as_deref(),
        ctx.local_date(now),
    );
    let amount = errors.take("amount_claimed", input.amount_claimed.parse::<Fen>());
    let description = errors.take(
        "description",
        check_required_text(&input.description, LONG_TEXT_MAX),
    );
    let warning = match input.warning_id {
        Some(w) => {
            let found = crate::services::escalation::open_warning_for_case(conn, caller, w)?;
            if found.is_none() {
                errors.add("warning_id", Code::WarningNotOpen);
            }
            found
        }
        None => None,
    };
    let unit_id = match input.unit_id.or(caller.unit_id) {
        Some(u) if crate::services::unit_in_scope(conn, caller, u)? => Some(u),
        _ => {
            errors.add("unit_id", Code::NotInScope);
            None
        }
    };
    let enterprise_name: Option<String> = enterprises::table
        .find(input.enterprise_id)
        .select(enterprises::name)
        .first(conn)
        .optional()?;
    if enterprise_name.is_none() {
        errors.add("enterprise_id", Code::NoSuchEnterprise);
    }
    let (
        Some(received),
        Some(channel),
        Some(category),
        Some(name),
        Some(phone),
        Some(id_number),
        Some(workers),
        Some(amount),
        Some(description),
        Some(unit_id),
        Some(enterprise_name),
        true,
    ) = (
        received,
        channel,
        category,
        name,
        phone,
        id_number,
        workers,
        amount,
        description,
        unit_id,
        enterprise_name,
        errors.is_empty(),
    )
    else {
        return Err(AppError::Validation(errors));
    };
    let settings = &ctx.settings;
    let received_day = ctx.local_date(received);
    let year = chrono::Datelike::year(&received_day);
    let case_no = next_case_no(conn, &settings.config.case_no_prefix, year)?;
    let has_personal = phone.is_some() || id_number.is_some() || name.is_some();
    let now_n = now.naive_utc();
    let received_n = received.naive_utc();
    let row: CaseRow = diesel::insert_into(cases::table)
        .values(NewCase {
            case_no,
            unit_id,
            channel: channel.as_str().into(),
            category: category.as_str().into(),
            enterprise_id: input.enterprise_id,
            applicant_name: name,
            applicant_phone: phone.map(String::from),
            applicant_id_number: id_number.map(String::from),
            workers_involved: workers,
            amount_claimed: amount.fen(),
            description,
            warning_id: warning.as_ref().map(|w| w.id),
            status: CaseStatus::Received.as_str().into(),
            received_at: received_n,
            accept_by: settings.rules.accept_by(received_day, &settings.calendar),
            deadline: settings.rules.deadline(received_day, &settings.calendar),
            last_event_at: received_n,
            created_by: caller.id,
            created_at: now_n,
            updated_at: now_n,
        })
        .returning(<CaseRow as Selectable<<DbConn as Connection>::Backend>>::construct_selection())
        .get_result(conn)?;
    let id = row.id;
    crate::services::digests::keep(
        conn,
        &settings.search_key,
        id,
        row.applicant_phone.as_deref(),
        row.applicant_id_number.as_deref(),
    )?;
    let applicant_rows = match applicants.flatten() {
        Some(list) => super::applicants::insert(conn, &settings.search_key, id, &list)?,
        None => Vec::new(),
    };
    let agent = agent.flatten();
    super::agent::save(conn, id, agent.as_ref())?;
    let time_limits = super::time_limits::save(conn, id, days)?;
    let event: CaseEventRow = diesel::insert_into(case_events::table)
        .values(NewCaseEvent {
            case_id: id,
            actor_id: Some(caller.id),
            at: received_n,
            action: "intake",
            from_status: None,
            to_status: Some(CaseStatus::Received.as_str()),
            note: None,
            created_at: now_n,
            assignee_id: None,
        })
        .returning(<CaseEventRow as Selectable<
            <DbConn as Connection>::Backend,
        >>::construct_selection())
        .get_result(conn)?;
    if has_personal {
        access::record(
            conn,
            caller.id,
            access::EDIT_PERSONAL_DATA,
            "case",
            Some(id),
            now_n,
        )?;
    }
    if let Some(w) = warning {
        crate::services::escalation::link_escalated(conn, ctx, &w, id)?;
    }
    crate::services::idempotency::keep(conn, ctx, caller.id, "case", id)?;
    let events = vec![event];
    let names = super::parts::people_named(conn, &row, &events)?;
    Ok(Created {
        row,
        parts: CaseParts {
            names,
            enterprise_name,
            events,
            sessions: Vec::new(),
            payments: Vec::new(),
            notes: Vec::new(),
            applicants: applicant_rows,
            terms: Vec::new(),
            agent: agent.map(|a| AgentRow { case_id: id, ..a }),
            time_limits,
            confirmation: None,
            follow_ups: Vec::new(),
            archive: None,
        },
    })
}
