//! How many workers a record involves (a case, a consultation, a warning, a ledger row): a whole
//! number from 1 to a million, checked in one place.

use crate::domain::problem::{Code, Problem};

/// The most workers one record may involve.
pub const MAX_WORKERS: i64 = 1_000_000;

/// Accepts a count of workers from 1 to `MAX_WORKERS`.
pub fn check_workers(n: i64) -> Result<i64, Problem> {
    if (1..=MAX_WORKERS).contains(&n) {
        Ok(n)
    } else {
        Err(Code::Between.with("min", 1).with("max", MAX_WORKERS))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_to_a_million_workers_are_a_count() {
        assert_eq!(check_workers(1), Ok(1));
        assert_eq!(check_workers(MAX_WORKERS), Ok(MAX_WORKERS));
        assert_eq!(
            check_workers(0).map_err(|e| e.to_string()),
            Err("must be between 1 and 1000000".into())
        );
        assert!(check_workers(MAX_WORKERS + 1).is_err());
    }
}
