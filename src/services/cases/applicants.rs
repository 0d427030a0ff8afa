//! A case's applicants (issue 13): every worker the case names, with their particulars. Intake
//! takes them as `applicants` (the first is also the case row's `applicant_*`, which lists, the
//! ledger and older clients read); the case page and the JSON carry them masked by the same
//! rules as the first applicant (`sight`), and search finds a case by any applicant's whole phone
//! or ID number (`party_digests`).

use super::sight::{shown, Shown};
use super::*;
use crate::db::schema::{case_applicants, party_digests};
use crate::domain::problem::{Code, Problem};
use crate::domain::search_key::SearchKey;

/// The most applicants one case names.
pub const APPLICANTS_MAX: usize = 500;
/// The most characters an applicant's address takes.
const ADDRESS_MAX: usize = 200;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ApplicantInput {
    pub name: String,
    #[serde(default)]
    pub sex: Option<String>,
    #[serde(default)]
    pub phone: Option<String>,
    #[serde(default)]
    pub id_number: Option<String>,
    #[serde(default)]
    pub address: Option<String>,
    #[serde(default)]
    pub amount_claimed: Option<String>,
    #[serde(default)]
    pub representative: Option<bool>,
}

/// An applicant as checked: the values to store.
#[derive(Debug, Clone)]
pub(crate) struct Applicant {
    pub name: String,
    pub sex: Option<&'static str>,
    pub phone: Option<Phone>,
    pub id_number: Option<ResidentId>,
    pub address: Option<String>,
    pub amount_claimed: Option<Fen>,
    pub representative: bool,
}

/// An applicant as a case shows them to its reader.
#[derive(Debug, Serialize)]
pub struct ApplicantView {
    pub name: String,
    pub sex: Option<String>,
    pub phone: Option<String>,
    pub id_number: Option<String>,
    pub address: Option<String>,
    pub amount_claimed: Option<Fen>,
    pub representative: bool,
}

fn sex(value: &str) -> Result<&'static str, Problem> {
    match value {
        "male" => Ok("male"),
        "female" => Ok("female"),
        _ => Err(Code::OneOf.with("list", "male, female")),
    }
}

/// Checks the applicants a case is registered with, each error under `applicants[i].field`:
/// one to `APPLICANTS_MAX`, no more than `workers` (the workers involved, when known), and
/// representatives only in a collective case, which names at least one when it lists several.
pub(crate) fn check(
    errors: &mut FieldErrors,
    given: &[ApplicantInput],
    workers: Option<i64>,
) -> Option<Vec<Applicant>> {
    if given.is_empty() || given.len() > APPLICANTS_MAX {
        errors.add(
            "applicants",
            Code::ApplicantsCount.with("max", APPLICANTS_MAX),
        );
        return None;
    }
    let mut checked = Vec::with_capacity(given.len());
    for (i, a) in given.iter().enumerate() {
        let at = |field: &str| format!("applicants[{i}].{field}");
        let name = errors.take(&at("name"), check_required_text(&a.name, NAME_MAX));
        let sex = match a.sex.as_deref().map(str::trim) {
            None | Some("") => Some(None),
            Some(s) => errors.take(&at("sex"), sex(s)).map(Some),
        };
        let phone = parse_opt::<Phone>(errors, &at("phone"), a.phone.as_deref());
        let id_number = parse_opt::<ResidentId>(errors, &at("id_number"), a.id_number.as_deref());
        let address = optional_text(errors, &at("address"), a.address.as_deref(), ADDRESS_MAX);
        let amount = parse_opt::<Fen>(errors, &at("amount_claimed"), a.amount_claimed.as_deref());
        if let (Some(name), Some(sex), Some(phone), Some(id_number), Some(address), Some(amount)) =
            (name, sex, phone, id_number, address, amount)
        {
            checked.push(Applicant {
                name,
                sex,
                phone,
                id_number,
                address,
                amount_claimed: amount,
                representative: a.representative.unwrap_or(false),
            });
        }
    }
    if let Some(workers) = workers {
        if i64::try_from(given.len()).unwrap_or(i64::MAX) > workers {
            errors.add("workers_involved", Code::FewerThanApplicants);
        }
        let collective = workers >= COLLECTIVE_THRESHOLD;
        let representatives = given
            .iter()
            .filter(|a| a.representative == Some(true))
            .count();
        if !collective && representatives > 0 {
            errors.add("applicants", Code::RepresentativesNotCollective);
        }
        if collective && given.len() > 1 && representatives == 0 {
            errors.add("applicants", Code::RepresentativesRequired);
        }
    }
    (checked.len() == given.len()).then_some(checked)
}

/// Writes the applicants of the new case `case_id`, the first at position 0, and the digests of
/// the numbers of those after the first (the first's are the case's own).
pub(crate) fn insert(
    conn: &mut DbConn,
    key: &SearchKey,
    case_id: i64,
    applicants: &[Applicant],
) -> QueryResult<Vec<ApplicantRow>> {
    let mut rows = Vec::with_capacity(applicants.len());
    for (position, a) in applicants.iter().enumerate() {
        let row: ApplicantRow = diesel::insert_into(case_applicants::table)
            .values(NewApplicant {
                case_id,
                position: i64::try_from(position).unwrap_or(i64::MAX),
                name: &a.name,
                sex: a.sex,
                phone: a.phone.as_ref().map(Phone::as_str),
                id_number: a.id_number.as_ref().map(ResidentId::as_str),
                address: a.address.as_deref(),
                amount_claimed: a.amount_claimed.map(Fen::fen),
                representative: a.representative,
            })
            .returning(<ApplicantRow as Selectable<
                <DbConn as Connection>::Backend,
            >>::construct_selection())
            .get_result(conn)?;
        if position > 0 && (row.phone.is_some() || row.id_number.is_some()) {
            diesel::insert_into(party_digests::table)
                .values((
                    party_digests::case_id.eq(case_id),
                    party_digests::phone.eq(row.phone.as_deref().map(|p| key.stored_phone(p))),
                    party_digests::id_number
                        .eq(row.id_number.as_deref().map(|n| key.stored_id_number(n))),
                ))
                .execute(conn)?;
        }
        rows.push(row);
    }
    Ok(rows)
}

/// The applicants of case `case_id`, in order.
pub(crate) fn load(conn: &mut DbConn, case_id: i64) -> QueryResult<Vec<ApplicantRow>> {
    case_applicants::table
        .filter(case_applicants::case_id.eq(case_id))
        .order(case_applicants::position)
        .select(ApplicantRow::as_select())
        .load(conn)
}

/// The cases with an applicant after the first whose numbers have one of these digests.
pub(crate) fn cases_with_numbers(
    conn: &mut DbConn,
    phones: &[String],
    id_numbers: &[String],
) -> QueryResult<Vec<i64>> {
    party_digests::table
        .filter(
            party_digests::phone
                .eq_any(phones)
                .or(party_digests::id_number.eq_any(id_numbers)),
        )
        .select(party_digests::case_id)
        .load(conn)
}

/// The cases with an applicant after the first whose name matches the `LIKE` pattern (the first's
/// is the case row's own), at most a thousand.
pub(crate) fn cases_named(conn: &mut DbConn, pattern: &str) -> QueryResult<Vec<i64>> {
    case_applicants::table
        .filter(case_applicants::position.gt(0))
        .filter(case_applicants::name.like(pattern).escape('\\'))
        .select(case_applicants::case_id)
        .distinct()
        .limit(1000)
        .load(conn)
}

/// Whether any applicant of the case has a phone, and an ID number, on record.
pub(super) fn numbers_on_record(row: &CaseRow, applicants: &[ApplicantRow]) -> (bool, bool) {
    (
        row.applicant_phone.is_some() || applicants.iter().any(|a| a.phone.is_some()),
        row.applicant_id_number.is_some() || applicants.iter().any(|a| a.id_number.is_some()),
    )
}

/// The applicants as `phone` and `id_number` say they are shown; a case registered before
/// `applicants` (or by the ledger import) shows its one applicant from the case row.
pub(super) fn shown_to(
    row: &CaseRow,
    applicants: Vec<ApplicantRow>,
    phone: Shown,
    id_number: Shown,
) -> Vec<ApplicantView> {
    if applicants.is_empty() {
        return row
            .applicant_name
            .iter()
            .map(|name| ApplicantView {
                name: name.clone(),
                sex: None,
                phone: shown(phone, row.applicant_phone.clone(), Phone::mask_str),
                id_number: shown(
                    id_number,
                    row.applicant_id_number.clone(),
                    ResidentId::mask_str,
                ),
                address: None,
                amount_claimed: None,
                representative: false,
            })
            .collect();
    }
    applicants
        .into_iter()
        .map(|a| ApplicantView {
            name: a.name,
            sex: a.sex,
            phone: shown(phone, a.phone, Phone::mask_str),
            id_number: shown(id_number, a.id_number, ResidentId::mask_str),
            address: a.address,
            amount_claimed: a.amount_claimed.map(Fen::from_fen),
            representative: a.representative,
        })
        .collect()
}
