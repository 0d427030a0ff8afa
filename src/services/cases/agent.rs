//! The agent who attends for a case's respondent (委托代理人, issue 13): a name, their position at
//! the enterprise and a phone. Intake takes it as `respondent_agent`, an edit changes or clears it
//! (`null`); the case page, the session record and the agreement name it. The phone is shown by
//! the rules of the applicants' (`sight`).

use super::sight::{shown, Shown};
use super::*;
use crate::db::schema::case_agents;

/// The most characters an agent's position takes.
const POSITION_MAX: usize = 50;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AgentInput {
    pub name: String,
    #[serde(default)]
    pub position: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
}

/// The agent as a case shows them to its reader.
#[derive(Debug, Serialize)]
pub struct AgentView {
    pub name: String,
    pub position: Option<String>,
    pub phone: Option<String>,
}

/// Checks the agent given, each error under `respondent_agent.field`: the row to store (its
/// `case_id` is the case's when it is saved).
pub(crate) fn check(errors: &mut FieldErrors, given: &AgentInput) -> Option<AgentRow> {
    let name = errors.take(
        "respondent_agent.name",
        check_required_text(&given.name, NAME_MAX),
    );
    let position = optional_text(
        errors,
        "respondent_agent.position",
        given.position.as_deref(),
        POSITION_MAX,
    );
    let phone = parse_opt::<Phone>(errors, "respondent_agent.phone", given.phone.as_deref());
    Some(AgentRow {
        case_id: 0,
        name: name?,
        position: position?,
        phone: phone?.map(|p| p.as_str().to_string()),
    })
}

/// Records `agent` as case `case_id`'s, in place of any before it (`None` clears it).
pub(crate) fn save(conn: &mut DbConn, case_id: i64, agent: Option<&AgentRow>) -> QueryResult<()> {
    diesel::delete(case_agents::table.find(case_id)).execute(conn)?;
    if let Some(agent) = agent {
        let agent = AgentRow {
            case_id,
            ..agent.clone()
        };
        diesel::insert_into(case_agents::table)
            .values(&agent)
            .execute(conn)?;
    }
    Ok(())
}

/// The agent of case `case_id`, if it has one.
pub(crate) fn load(conn: &mut DbConn, case_id: i64) -> QueryResult<Option<AgentRow>> {
    case_agents::table
        .find(case_id)
        .select(AgentRow::as_select())
        .first(conn)
        .optional()
}

/// The agent as `phone` says phones are shown.
pub(super) fn shown_to(agent: Option<AgentRow>, phone: Shown) -> Option<AgentView> {
    agent.map(|a| AgentView {
        name: a.name,
        position: a.position,
        phone: shown(phone, a.phone, Phone::mask_str),
    })
}
