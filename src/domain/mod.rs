//! Pure domain: checked values parsed once (money, codes, IDs, phones, text), the holiday calendar,
//! the case workflow and the statistics of the reports. Nothing here touches the database, HTTP or
//! the clock.

pub mod calendar;
pub mod capitals;
pub mod case;
pub mod credit_code;
pub mod document;
pub mod follow_up;
pub mod fulfilment;
pub mod idempotency;
pub mod ledger;
pub mod limitation;
pub mod money;
pub mod password;
pub mod permission;
pub mod phone;
pub mod problem;
pub mod resident_id;
pub mod role;
pub mod search_key;
pub mod stats;
pub mod text;
pub mod time;
pub mod vocab;
pub mod warning;
pub mod workers;
