//! The keyed digests that let a search find a case by the applicant's whole phone or ID number
//! without the database holding another copy of either: HMAC-SHA256 (RFC 2104) under a secret
//! key from the settings, of the normalised number with its kind in front (`phone:13812348000`,
//! `id:11010519491231002X`), as 64 lower-case hex digits. Without the key a digest cannot be
//! turned back into the number, nor a guessed number checked against it.

use super::phone::Phone;
use super::resident_id::ResidentId;
use sha2::{Digest, Sha256};
use std::fmt;

/// The secret key of the digests, read from the settings as text (trimmed). `Debug` does not
/// print it.
#[derive(Clone, Default, PartialEq, Eq, serde::Deserialize)]
#[serde(from = "String")]
pub struct SearchKey(Vec<u8>);

impl From<String> for SearchKey {
    fn from(text: String) -> SearchKey {
        SearchKey::new(text.trim().as_bytes())
    }
}

impl fmt::Debug for SearchKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SearchKey(<redacted>)")
    }
}

const BLOCK: usize = 64;

impl SearchKey {
    pub fn new(secret: &[u8]) -> SearchKey {
        SearchKey(secret.to_vec())
    }

    /// The key's length in bytes.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether no key was set.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// HMAC-SHA256 of `message`, in hex.
    fn mac(&self, message: &[u8]) -> String {
        let mut key = [0u8; BLOCK];
        if self.0.len() > BLOCK {
            key[..32].copy_from_slice(&Sha256::digest(&self.0));
        } else {
            key[..self.0.len()].copy_from_slice(&self.0);
        }
        let pad = |byte: u8| key.map(|k| k ^ byte);
        let inner = Sha256::new()
            .chain_update(pad(0x36))
            .chain_update(message)
            .finalize();
        let outer = Sha256::new()
            .chain_update(pad(0x5c))
            .chain_update(inner)
            .finalize();
        outer.iter().map(|b| format!("{b:02x}")).collect()
    }

    /// A check value of the key (the digest of a fixed text), kept to notice a changed key.
    pub fn check(&self) -> String {
        self.mac(b"tiaojie search key check")
    }

    /// The digest of a phone number, as it is stored (normalised by `Phone`).
    pub fn phone(&self, phone: &Phone) -> String {
        self.mac(format!("phone:{}", phone.as_str()).as_bytes())
    }

    /// The digest of a resident ID number (normalised by `ResidentId`: upper-case X).
    pub fn id_number(&self, id: &ResidentId) -> String {
        self.mac(format!("id:{}", id.as_str()).as_bytes())
    }

    /// The digest of a stored phone number; a value no longer valid is hashed as it is stored.
    pub fn stored_phone(&self, stored: &str) -> String {
        match stored.parse::<Phone>() {
            Ok(p) => self.phone(&p),
            Err(_) => self.mac(format!("phone:{stored}").as_bytes()),
        }
    }

    /// The digest of a stored ID number, as `stored_phone`.
    pub fn stored_id_number(&self, stored: &str) -> String {
        match stored.parse::<ResidentId>() {
            Ok(id) => self.id_number(&id),
            Err(_) => self.mac(format!("id:{stored}").as_bytes()),
        }
    }

    /// What a search text could be: the digest of it read as a phone number and as an ID
    /// number, each only when it reads as one.
    pub fn search(&self, text: &str) -> (Option<String>, Option<String>) {
        let text = text.trim();
        (
            text.parse::<Phone>().ok().map(|p| self.phone(&p)),
            text.parse::<ResidentId>()
                .ok()
                .map(|id| self.id_number(&id)),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mac_is_hmac_sha256_as_rfc_4231_gives_it() {
        // RFC 4231, test cases 2 and 6 (a key longer than the block).
        let key = SearchKey::new(b"Jefe");
        assert_eq!(
            key.mac(b"what do ya want for nothing?"),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        let long = SearchKey::new(&[0xaa; 131]);
        assert_eq!(
            long.mac(b"Test Using Larger Than Block-Size Key - Hash Key First"),
            "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54"
        );
    }

    #[test]
    fn a_number_typed_another_way_has_the_same_digest_and_another_key_another() {
        let key = SearchKey::new(b"k");
        let (phone, id) = key.search(" +86 138-1234-8000 ");
        assert_eq!(phone, Some(key.stored_phone("13812348000")));
        assert_eq!(id, None);
        let (phone, id) = key.search("11010519491231002x");
        assert_eq!(phone, None);
        assert_eq!(id, Some(key.stored_id_number("11010519491231002X")));
        assert_ne!(
            SearchKey::new(b"other").stored_phone("13812348000"),
            key.stored_phone("13812348000")
        );
        assert_eq!(format!("{key:?}"), "SearchKey(<redacted>)");
    }
}
