//! A password a user may set, parsed once (at least ten characters, no control characters), and
//! its argon2id hash. The text never prints: `Debug` shows `<redacted>`.

use crate::domain::problem::{Code, Problem};
use argon2::password_hash::rand_core::OsRng;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

pub const MIN_PASSWORD_CHARS: usize = 10;

/// argon2id at OWASP's minimum: 19 MiB, 2 iterations, 1 lane.
fn argon2() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// A password a user may set: at least ten characters, no control characters.
#[derive(Clone)]
pub struct Password(String);

impl std::fmt::Debug for Password {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Password(<redacted>)")
    }
}

impl TryFrom<String> for Password {
    type Error = Problem;
    fn try_from(value: String) -> Result<Self, Problem> {
        if value.chars().count() < MIN_PASSWORD_CHARS {
            return Err(Code::TooShort.with("min", MIN_PASSWORD_CHARS));
        }
        if value.chars().count() > 1000 {
            return Err(Code::TooLong.with("max", 1000));
        }
        if value.chars().any(char::is_control) {
            return Err(Code::ControlCharacters.into());
        }
        Ok(Password(value))
    }
}

impl Password {
    /// The argon2id hash in PHC string form.
    pub fn hash(&self) -> Result<String, String> {
        let salt = SaltString::generate(&mut OsRng);
        argon2()
            .hash_password(self.0.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| format!("password hashing failed: {e}"))
    }
}

pub fn verify_password(password: &str, hash: &str) -> bool {
    match PasswordHash::new(hash) {
        Ok(parsed) => argon2()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
}
