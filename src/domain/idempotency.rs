//! An `Idempotency-Key` claim: the key a client sent with a creating request and a fingerprint
//! of what it asked (its route and parsed body), parsed once at the edge.

use crate::domain::problem::Code;
use sha2::{Digest, Sha256};

/// One request's key and what it asked, as the web layer read them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claim {
    pub(crate) key: String,
    pub(crate) fingerprint: String,
}

impl Claim {
    /// The claim of a request whose header held `key`, and whose route and parsed body are
    /// `what` (two requests asking the same thing have the same `what`).
    pub fn new(key: &str, what: &str) -> Result<Claim, Code> {
        let key = key.trim();
        if key.is_empty() || key.len() > 100 || !key.bytes().all(|b| b.is_ascii_graphic()) {
            return Err(Code::IdempotencyKey);
        }
        let digest = Sha256::digest(what.as_bytes());
        let fingerprint = digest.iter().map(|b| format!("{b:02x}")).collect();
        Ok(Claim {
            key: key.to_string(),
            fingerprint,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_is_one_to_a_hundred_visible_ascii_characters() {
        assert!(Claim::new("retry-7f3a", "POST /cases {}").is_ok());
        assert!(Claim::new(&"k".repeat(100), "x").is_ok());
        for bad in ["", " ", &"k".repeat(101), "键", "a b"] {
            assert!(Claim::new(bad, "x").is_err(), "{bad:?}");
        }
    }

    #[test]
    fn the_same_request_has_the_same_fingerprint_and_another_another() {
        let a = Claim::new("k", "POST /cases {\"a\":1}").unwrap();
        assert_eq!(a, Claim::new("k", "POST /cases {\"a\":1}").unwrap());
        assert_ne!(a, Claim::new("k", "POST /cases {\"a\":2}").unwrap());
    }
}
