//! Editing a case's facts under optimistic locking.
use super::*;
use crate::domain::permission::Permission;
use crate::error::Code;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CasePatch {
    pub version: i64,
    pub description: Option<String>,
    pub applicant_name: Option<String>,
    pub applicant_phone: Option<String>,
    pub applicant_id_number: Option<String>,
    pub workers_involved: Option<i64>,
    pub amount_claimed: Option<String>,
    pub category: Option<String>,
    /// The respondent's agent: an object records it, `null` clears it.
    #[serde(default, deserialize_with = "present")]
    pub respondent_agent: Option<Option<super::AgentInput>>,
}

/// A field that may be sent as `null`: present (`Some`), with its value or none.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

/// Edits the case's facts (not its status); stale versions are refused.
pub async fn update(ctx: &Ctx, caller: &Caller, id: i64, patch: CasePatch) -> AppResult<CaseView> {
    changing_case(
        ctx,
        caller,
        id,
        Permission::EditCase,
        move |conn, c, caller, row| {
            let mut errors = FieldErrors::default();
            let description = patch
                .description
                .as_deref()
                .map(|d| errors.take("description", check_required_text(d, LONG_TEXT_MAX)));
            let name = patch
                .applicant_name
                .as_deref()
                .map(|n| optional_text(&mut errors, "applicant_name", Some(n), NAME_MAX));
            let phone = patch
                .applicant_phone
                .as_deref()
                .map(|p| parse_opt::<Phone>(&mut errors, "applicant_phone", Some(p)));
            let id_number = patch
                .applicant_id_number
                .as_deref()
                .map(|p| parse_opt::<ResidentId>(&mut errors, "applicant_id_number", Some(p)));
            let workers = patch
                .workers_involved
                .map(|w| errors.take("workers_involved", check_workers(w)));
            let amount = patch
                .amount_claimed
                .as_deref()
                .map(|a| errors.take("amount_claimed", a.parse::<Fen>()));
            let category = patch
                .category
                .as_deref()
                .map(|s| errors.take("category", s.parse::<Category>()));
            if name == Some(Some(None)) && row.channel != Channel::Warning.as_str() {
                errors.add("applicant_name", Code::Required);
            }
            let agent = patch
                .respondent_agent
                .as_ref()
                .map(|a| a.as_ref().map(|a| super::agent::check(&mut errors, a)));
            let listed = super::applicants::load(conn, id)?;
            if let Some(Some(w)) = workers {
                if w < i64::try_from(listed.len()).unwrap_or(i64::MAX) {
                    errors.add(
                        "workers_involved",
                        crate::domain::problem::Code::FewerThanApplicants,
                    );
                }
            }
            errors.finish()?;
            if patch.version != row.version {
                return Err(AppError::VersionConflict);
            }
            let mut changed_fields = Vec::new();
            let mut mark = |present: bool, field: &'static str| {
                if present {
                    changed_fields.push(field);
                }
            };
            mark(description.is_some(), "description");
            mark(name.is_some(), "applicant_name");
            mark(phone.is_some(), "applicant_phone");
            mark(id_number.is_some(), "applicant_id_number");
            mark(workers.is_some(), "workers_involved");
            mark(amount.is_some(), "amount_claimed");
            mark(category.is_some(), "category");
            mark(agent.is_some(), "respondent_agent");
            let personal = name.is_some() || phone.is_some() || id_number.is_some();
            let now_n = c.now().naive_utc();
            let new_phone = phone
                .flatten()
                .map_or(row.applicant_phone, |p| p.map(String::from));
            let new_id_number = id_number
                .flatten()
                .map_or(row.applicant_id_number, |n| n.map(String::from));
            let new_name = name.flatten().unwrap_or(row.applicant_name.clone());
            // The first applicant of a case registered with `applicants` is the case's own.
            if !listed.is_empty() {
                use crate::db::schema::case_applicants as a;
                let first = a::table.filter(a::case_id.eq(id)).filter(a::position.eq(0));
                diesel::update(first)
                    .set((
                        a::name.eq(new_name.clone().unwrap_or(listed[0].name.clone())),
                        a::phone.eq(new_phone.clone()),
                        a::id_number.eq(new_id_number.clone()),
                    ))
                    .execute(conn)?;
            }
            let updated =
                diesel::update(cases::table.find(id).filter(cases::version.eq(row.version)))
                    .set((
                        cases::description.eq(description.flatten().unwrap_or(row.description)),
                        cases::applicant_name.eq(new_name),
                        cases::applicant_phone.eq(new_phone.clone()),
                        cases::applicant_id_number.eq(new_id_number.clone()),
                        cases::workers_involved
                            .eq(workers.flatten().unwrap_or(row.workers_involved)),
                        cases::amount_claimed
                            .eq(amount.flatten().map_or(row.amount_claimed, Fen::fen)),
                        cases::category.eq(category
                            .flatten()
                            .map_or(row.category, |c| c.as_str().to_string())),
                        cases::version.eq(row.version + 1),
                        cases::updated_at.eq(now_n),
                    ))
                    .execute(conn)?;
            if updated == 0 {
                return Err(AppError::VersionConflict);
            }
            if let Some(agent) = &agent {
                super::agent::save(conn, id, agent.as_ref().and_then(Option::as_ref))?;
            }
            // The timeline keeps the edit's time; `at` of a later action is checked against
            // the last workflow event, not against edits, so it is left alone here.
            insert_event(
                conn,
                NewCaseEvent {
                    case_id: id,
                    actor_id: Some(caller.id),
                    at: now_n.max(row.last_event_at),
                    action: "edit",
                    from_status: None,
                    to_status: None,
                    note: Some(&changed_fields.join(", ")),
                    created_at: now_n,
                    assignee_id: None,
                },
            )?;
            if personal {
                crate::services::digests::keep(
                    conn,
                    &c.settings.search_key,
                    id,
                    new_phone.as_deref(),
                    new_id_number.as_deref(),
                )?;
                access::record(
                    conn,
                    caller.id,
                    access::EDIT_PERSONAL_DATA,
                    "case",
                    Some(id),
                    now_n,
                )?;
            }
            load_view(conn, c, caller, id)
        },
    )
    .await
}
