//! Pure domain: checked values parsed once (money, codes, IDs, phones, text), the holiday calendar
//! and the case workflow. Nothing here touches the database, HTTP or the clock.

pub mod calendar;
pub mod case;
pub mod credit_code;
pub mod money;
pub mod phone;
pub mod resident_id;
pub mod role;
pub mod text;
pub mod vocab;
pub mod warning;
