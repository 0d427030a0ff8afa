//! What is wrong with a value, or why a request is refused, as a stable code with named
//! arguments: `Code::TooLong.with("max", 100)`. Each code's English text is written here, once,
//! and is what the JSON API answers (`error.fields`, the contract) and what a domain error's
//! `Display` says; the pages show the catalogs' `problem.<code>` (`i18n::problem`), its
//! `{name}`s filled from the arguments. A new message is a variant below, its English text, and
//! its entry under `[problem]` in `src/i18n/zh-CN.toml` (a test holds every code to one).

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::collections::BTreeMap;
use std::fmt;

macro_rules! codes {
    ($($(#[$doc:meta])* $variant:ident = $code:literal : $english:literal,)+) => {
        /// A problem's stable code (`Code::as_str`, snake_case), with its English text.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum Code {
            $($(#[$doc])* $variant,)+
        }

        impl Code {
            /// Every code, in the order written here.
            pub const ALL: &'static [Code] = &[$(Code::$variant),+];

            /// The code as clients and catalogs name it.
            pub fn as_str(self) -> &'static str {
                match self {
                    $(Code::$variant => $code,)+
                }
            }

            /// The English text, its arguments as `{name}`.
            pub fn english(self) -> &'static str {
                match self {
                    $(Code::$variant => $english,)+
                }
            }
        }
    };
}

codes! {
    // Presence and shape of any value.
    Required = "required": "is required",
    RequiredDate = "required_date": "is required (YYYY-MM-DD)",
    MustNotBeEmpty = "must_not_be_empty": "must not be empty",
    ControlCharacters = "control_characters": "must not contain control characters",
    InvisibleCharacters = "invisible_characters": "must not contain invisible characters (zero-width spaces, direction marks, byte-order marks or line separators)",
    NothingVisible = "nothing_visible": "must contain a visible character",
    TooLong = "too_long": "must be at most {max} characters",
    TooShort = "too_short": "must be at least {min} characters",
    LengthBetween = "length_between": "must be {min} to {max} characters",
    ExactLength = "exact_length": "must be exactly {length} characters",
    OneOf = "one_of": "must be one of: {list}",
    NotANumber = "not_a_number": "must be a number",
    NotTrueOrFalse = "not_true_or_false": "must be true or false",
    Between = "between": "must be between {min} and {max}",
    DaysBetween = "days_between": "must be between {min} and {max} days",
    MoreThan = "more_than": "must be more than {min}",
    AtLeast = "at_least": "must be {min} or more",

    // Dates and times.
    NotADate = "not_a_date": "must be a date YYYY-MM-DD",
    NotADay = "not_a_day": "must be a date like 2026-03-02, or an RFC 3339 time with offset like 2026-03-02T09:30:00+08:00",
    NotAnInstant = "not_an_instant": "must be an RFC 3339 time with offset, like 2026-03-02T09:30:00+08:00",
    NotAMonth = "not_a_month": "must be a month YYYY-MM",
    NotAYear = "not_a_year": "must be a year YYYY",
    InTheFuture = "in_the_future": "must not be in the future",
    BeforeYear = "before_year": "must be in {year} or later",
    BeforePreviousEvent = "before_previous_event": "must not be before the case's previous event",
    NotAfterFrom = "not_after_from": "must be after from (the period is [from, to))",
    BeforeFrom = "before_from": "must not be before from",

    // Amounts of money.
    AmountFormat = "amount_format": "must be a non-negative amount of yuan with at most two decimals",
    AmountTooLarge = "amount_too_large": "is too large (at most {digits} digits of yuan)",
    AmountTyped = "amount_typed": "must be an amount in yuan such as 86400, 86,400 or 86400.50",
    AmountInTenThousands = "amount_in_ten_thousands": "must be in yuan, not in 万: write 86400 for 8.64万",
    AmountSeparators = "amount_separators": "has its thousands separators out of place: write 86,400 or 86400",
    AmountTooManyDecimals = "amount_too_many_decimals": "has more than two decimals (the smallest amount is 0.01 yuan)",
    Overpaid = "overpaid": "the total paid would exceed the agreed amount",
    NotTheInstalmentsSum = "not_the_instalments_sum": "must equal the sum of the payment terms ({sum})",
    NotAnInstalment = "not_an_instalment": "is not an instalment of this case's agreement",
    MoreThanOwed = "more_than_owed": "is more than the instalment still owes ({owed})",
    NoTerms = "no_terms": "must list at least one term",
    TooManyTerms = "too_many_terms": "must list at most {max} terms",
    NotATermKind = "not_a_term_kind": "must be payment or obligation",
    PaymentDueWithTerms = "payment_due_with_terms": "is not taken with terms: give each payment term its due",

    // Codes, numbers and addresses.
    CreditCodeCharacters = "credit_code_characters": "may only contain digits and the capital letters A-Y except I, O, S, V",
    CreditCodeDivision = "credit_code_division": "characters 3 to 8 must be a six-digit administrative division code",
    CreditCodeCheck = "credit_code_check": "has a wrong check character (the code is probably mistyped)",
    ResidentIdFormat = "resident_id_format": "must be 17 digits followed by a digit or X",
    ResidentIdBirthDate = "resident_id_birth_date": "characters 7 to 14 must be a real birth date (YYYYMMDD, from 1900)",
    ResidentIdCheck = "resident_id_check": "has a wrong check character (the number is probably mistyped)",
    PhoneFormat = "phone_format": "must be a mainland mobile number (11 digits starting with 1) or a landline number such as 0574-87654321",
    NotAnEmail = "not_an_email": "must be an email address like name@example.org",
    UsernameCharacters = "username_characters": "may contain only letters, digits, '_', '-' and '.'",
    NotARole = "not_a_role": "must be one of admin, director, mediator, officer, viewer",
    IdempotencyKey = "idempotency_key": "must be 1 to 100 visible ASCII characters",

    // Choices of the case workflow and the lists.
    NotAnOutcome = "not_an_outcome": "must be agreement or failed",
    NotASort = "not_a_sort": "must be received or deadline",
    NotCsvOrXlsx = "not_csv_or_xlsx": "must be csv or xlsx",
    NotHtmlOrDocx = "not_html_or_docx": "must be html or docx",
    RetypeMasked = "retype_masked": "is shown masked: type it again to change the agent",
    NotJsonCsvOrXlsx = "not_json_csv_or_xlsx": "must be json, csv or xlsx",
    NotAStatusOfMail = "not_a_status_of_mail": "must be one of: pending, sent, failed",
    NotCaseMediator = "not_case_mediator": "must be an active mediator or director of the case's unit",
    NotCaseOfficer = "not_case_officer": "must be an active officer of the case's enterprise",
    NotEnterpriseOfficer = "not_enterprise_officer": "must be an active officer bound to this enterprise",
    TooManyCases = "too_many_cases": "matches more than {max} cases: narrow the filter",

    /// A message a page has already put in its reader's language, kept across a redirect.
    AsShown = "as_shown": "{text}",

    // Evidence.
    ChooseAFile = "choose_a_file": "choose a file to upload",
    NotAProvider = "not_a_provider": "must be applicant, respondent or center",
    OfficersEvidenceNotInternal = "officers_evidence_not_internal": "an officer's evidence is never internal",
    EvidenceRemovedAlready = "evidence_removed_already": "this evidence was removed already",

    // A case's applicants (the case file).
    ApplicantsCount = "applicants_count": "must name 1 to {max} applicants",
    FewerThanApplicants = "fewer_than_applicants": "is fewer than the applicants named (every applicant is a worker involved)",
    RepresentativesNotCollective = "representatives_not_collective": "names representatives, which only a collective case (10 workers or more) has",
    RepresentativesRequired = "representatives_required": "must name the representatives of a collective case (representative: true)",
    ApplicantTwice = "applicant_twice": "differs from applicant_name, applicant_phone or applicant_id_number: send the first applicant once",

    // Records named by id or name.
    NotInScope = "not_in_scope": "no such unit in your scope",
    NoSuchUnit = "no_such_unit": "no unit with id {id}",
    NoSuchEnterprise = "no_such_enterprise": "no such enterprise",
    EnterpriseNotInScope = "enterprise_not_in_scope": "no such enterprise in your scope",
    WarningNotOpen = "warning_not_open": "no such open warning in your scope (a warning becomes one case)",
    NotAnEnterpriseInArea = "not_an_enterprise_in_area": "is not an enterprise in your area",
    NotTheFullName = "not_the_full_name": "is not the full name of an enterprise in your area; did you mean: {list}",
    SeveralEnterprises = "several_enterprises": "is the name of several enterprises; type the credit code of the one you mean: {list}",
    CreditCodeForSameName = "credit_code_for_same_name": "is required: an enterprise of this name is registered already, the code tells them apart",
    CreditCodeTaken = "credit_code_taken": "an enterprise with this credit code is already registered",
    OfficersOwnEnterprise = "officers_own_enterprise": "officers report for their own enterprise",
    UnitBelowOwn = "unit_below_own": "is required: you may add units only below your own",
    UnitKindUnder = "unit_kind_under": "a {kind} cannot be under a {parent}",
    NoActiveUser = "no_active_user": "no active user by that name",

    // Accounts.
    UsernameTaken = "username_taken": "this username is taken",
    OfficerNeedsEnterprise = "officer_needs_enterprise": "an officer needs an enterprise",
    OnlyOfficersBound = "only_officers_bound": "only officers are bound to an enterprise",
    OwnRole = "own_role": "you cannot change your own role",
    OfficerRole = "officer_role": "an officer's role is not changed: create an account for the new role",
    LastAdmin = "last_admin": "the last active admin must stay an active admin",
    DeactivateSelf = "deactivate_self": "you cannot deactivate yourself",

    // Refusals of the whole request.
    VersionConflict = "version_conflict": "the record was changed by someone else; reload it and try again",
    AlreadyExtended = "already_extended": "this case has already been extended once",
    CannotAct = "cannot_act": "a {status} case cannot be {action}ed",
    UnknownCaseStatus = "unknown_case_status": "the case has an unknown status",
    WarningCannotAct = "warning_cannot_act": "a {status} warning cannot be {action}d",
    UnknownWarningStatus = "unknown_warning_status": "the warning has an unknown status",
    NotStatusForDocument = "not_status_for_document": "the case is not in the status this document needs",
    InstalmentPaidNotPerformed = "instalment_paid_not_performed": "an instalment is performed by its payments, not marked performed",
    TermPerformedAlready = "term_performed_already": "this obligation was recorded performed already",
    ConfirmationAppliedAlready = "confirmation_applied_already": "the application for judicial confirmation was recorded already",
    ConfirmationNotApplied = "confirmation_not_applied": "record the application for judicial confirmation first",
    ConfirmationRuledAlready = "confirmation_ruled_already": "the court's ruling was recorded already",
    AfterConfirmationWindow = "after_confirmation_window": "must be within 30 days of the agreement taking effect (by {last_day})",
    OnlyFailedMailResent = "only_failed_mail_resent": "only a failed mail can be sent again",

    // After closing: the follow-up and the archive.
    Archived = "archived": "the case is archived and read-only",
    FollowUpOpenCase = "follow_up_open_case": "a case is followed up once it is closed",
    FollowUpDone = "follow_up_done": "the case has been followed up: there is nothing to waive",
    FollowUpWaivedAlready = "follow_up_waived_already": "the case's follow-up was waived already",
    FollowUpPending = "follow_up_pending": "the case needs a follow-up, or its waiver with a reason, before it is archived",
    ArchiveOpenCase = "archive_open_case": "only a closed case is archived",
    ArchiveIdsCount = "archive_ids_count": "must list 1 to {max} cases",
    BeforeClosing = "before_closing": "must not be before the day the case was closed ({day})",

    // A ledger file to import.
    FileEmpty = "file_empty": "is empty",
    FileTooLarge = "file_too_large": "is larger than {mb} MB: import it in parts",
    FileUnpacksTooLarge = "file_unpacks_too_large": "unpacks to more than {mb} MB: import it in parts",
    FileTooManyRows = "file_too_many_rows": "has more than {max} rows: import it in parts",
    FileCellTooLong = "file_cell_too_long": "has a cell of more than {max} characters on line {line}",
    FileNotCsv = "file_not_csv": "cannot be read as CSV from line {line}",
    FileNotUtf8 = "file_not_utf8": "is not UTF-8 text (save it as CSV UTF-8)",
    FileNotXlsx = "file_not_xlsx": "is not an xlsx workbook: {detail}",
    FileTooManyParts = "file_too_many_parts": "is not an xlsx workbook: it has more than {max} parts",
    FileNoWorksheet = "file_no_worksheet": "is a workbook without a worksheet",
    FileWorksheetUnreadable = "file_worksheet_unreadable": "has a first worksheet that cannot be read: {detail}",
    FileMissingColumns = "file_missing_columns": "lacks the ledger columns: {list}",

    // The shape of a JSON body.
    NotAField = "not_a_field": "is not a field of this request",
    NotAFieldOf = "not_a_field_of": "is not a field of this request; it takes: {list}",
    NotAWholeNumber = "not_a_whole_number": "must be a whole number",
    NotAString = "not_a_string": "must be a string",
    NotAList = "not_a_list": "must be a list",
    NotAnObject = "not_an_object": "must be an object",
    NotAListedValue = "not_a_listed_value": "must be one of the listed values",
    WrongType = "wrong_type": "must be of another type (see the API's documentation)",

    // What a request's parser says of a value it cannot read (its words are the parser's).
    Unreadable = "unreadable": "{detail}",

    // The upload page's own.
    UploadTooLarge = "upload_too_large": "The file is larger than the upload limit; split it into several files.",
    UploadNoFile = "upload_no_file": "Choose the ledger file to upload.",
    UploadWrongType = "upload_wrong_type": "Only .csv and .xlsx files can be imported.",
    UploadUnreadable = "upload_unreadable": "The uploaded form could not be read; choose the file and upload again.",
}

impl Code {
    /// The code named `code`, if there is one.
    pub fn of(code: &str) -> Option<Code> {
        Code::ALL.iter().copied().find(|c| c.as_str() == code)
    }

    /// This code with one argument.
    pub fn with(self, name: &'static str, value: impl fmt::Display) -> Problem {
        Problem::from(self).with(name, value)
    }

    /// This code with one argument that is a code of `vocabulary` (`Problem::with_term`).
    pub fn with_term(self, name: &'static str, vocabulary: &str, code: &str) -> Problem {
        Problem::from(self).with_term(name, vocabulary, code)
    }
}

impl Serialize for Code {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for Code {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Code, D::Error> {
        let code = String::deserialize(d)?;
        Code::of(&code).ok_or_else(|| serde::de::Error::custom(format!("no problem {code:?}")))
    }
}

/// One problem: its code and the values its text names.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub code: Code,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub args: BTreeMap<String, String>,
    /// The arguments that are a vocabulary's codes (argument → vocabulary: `kind` →
    /// `unitkind`), which a page shows as the vocabulary's word; the English text keeps the code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub terms: BTreeMap<String, String>,
}

impl Problem {
    /// With the argument `name` (shown where the text has `{name}`).
    pub fn with(mut self, name: &'static str, value: impl fmt::Display) -> Problem {
        self.args.insert(name.to_string(), value.to_string());
        self
    }

    /// With the argument `name`, a code of `vocabulary` (`with_term("kind", "unitkind", "street")`).
    pub fn with_term(mut self, name: &'static str, vocabulary: &str, code: &str) -> Problem {
        self.terms.insert(name.to_string(), vocabulary.to_string());
        self.with(name, code)
    }

    /// `template` (this code's text in some language) with its `{name}`s filled in; a name
    /// without an argument stays as written.
    pub fn fill(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len());
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            match after
                .find('}')
                .and_then(|end| Some((end, self.args.get(&after[..end])?)))
            {
                Some((end, value)) => {
                    out.push_str(value);
                    rest = &after[end + 1..];
                }
                None => {
                    out.push('{');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        out
    }

    /// The English text, as the JSON API answers it.
    pub fn english(&self) -> String {
        self.fill(self.code.english())
    }
}

impl From<Code> for Problem {
    fn from(code: Code) -> Problem {
        Problem {
            code,
            args: BTreeMap::new(),
            terms: BTreeMap::new(),
        }
    }
}

/// The code and the English text: `too_long("must be at most 100 characters")`.
impl fmt::Debug for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}({:?})", self.code.as_str(), self.english())
    }
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.english())
    }
}

impl std::error::Error for Problem {}

/// A problem is its English text, as the JSON API says it.
impl PartialEq<&str> for Problem {
    fn eq(&self, text: &&str) -> bool {
        self.english() == *text
    }
}

/// The names a template's `{name}`s use, in order.
pub fn placeholders(template: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        match after.find('}') {
            Some(end) => {
                names.push(&after[..end]);
                rest = &after[end + 1..];
            }
            None => break,
        }
    }
    names
}

/// A domain error whose `Display` is its problem's English text: `problem_display!(MoneyError)`
/// for a type with `From<&MoneyError> for Problem`.
macro_rules! problem_display {
    ($($t:ty),+) => {$(
        impl std::fmt::Display for $t {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                std::fmt::Display::fmt(&$crate::domain::problem::Problem::from(self), f)
            }
        }

        impl std::error::Error for $t {}

        impl From<$t> for $crate::domain::problem::Problem {
            fn from(e: $t) -> Self {
                $crate::domain::problem::Problem::from(&e)
            }
        }
    )+};
}
pub(crate) use problem_display;

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn codes_are_unique_snake_case() {
        let codes: BTreeSet<_> = Code::ALL.iter().map(|c| c.as_str()).collect();
        assert_eq!(codes.len(), Code::ALL.len());
        for code in codes {
            assert!(
                code.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_'),
                "{code}"
            );
            assert_eq!(Code::of(code).map(Code::as_str), Some(code));
        }
    }

    #[test]
    fn the_english_text_has_the_arguments_filled_in() {
        assert_eq!(
            Code::TooLong.with("max", 100).to_string(),
            "must be at most 100 characters"
        );
        assert_eq!(
            Code::Between.with("min", 1).with("max", 200).english(),
            "must be between 1 and 200"
        );
        assert_eq!(Problem::from(Code::Required).to_string(), "is required");
        // A brace that names no argument is kept as written.
        assert_eq!(
            Code::TooLong.with("min", 1).english(),
            "must be at most {max} characters"
        );
    }

    #[test]
    fn a_problem_survives_json() {
        let p = Code::OneOf.with("list", "visit, phone");
        let json = serde_json::to_value(&p).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "one_of", "args": {"list": "visit, phone"}})
        );
        assert_eq!(serde_json::from_value::<Problem>(json).unwrap(), p);
        assert_eq!(
            serde_json::to_value(Problem::from(Code::Required)).unwrap(),
            serde_json::json!({"code": "required"})
        );
    }
}
