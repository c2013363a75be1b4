//! Secrets a user typed (onboard passphrases, key-server passwords) as the simulated cluster
//! keeps them: an Argon2id password hash (PHC string), never the secret. The state file holds
//! nothing that gives the secret back; the simulator's checks (`existing_passphrase`) only
//! need to tell whether a secret typed later is the same.
//!
//! Certificates' private keys are the exception: the simulator signs with its CAs' keys and
//! checks that an installed key matches its certificate, so it keeps them as PEM. They are
//! generated (or test) keys of a simulated cluster; the state file is written mode 0600.

use argon2::password_hash::phc::PasswordHash;
use argon2::password_hash::{PasswordHasher, PasswordVerifier};
use argon2::Argon2;
use ontap_core::Secret;
use serde::{Deserialize, Serialize};

/// A secret's Argon2id hash (`$argon2id$v=19$m=19456,t=2,p=1$salt$hash`, the crate's default
/// parameters: OWASP's minimum, ~20 ms per hash in a release build).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct SecretHash(String);

impl SecretHash {
    /// Hashes a secret with a fresh random salt.
    pub fn new(secret: &Secret) -> SecretHash {
        let hashed = Argon2::default()
            .hash_password(secret.expose().as_bytes())
            .map(|h| h.to_string());
        // Hashing fails only without an OS random source; an empty hash then matches nothing.
        SecretHash(hashed.unwrap_or_default())
    }

    /// Whether `secret` is the one hashed (compared in constant time by argon2).
    pub fn matches(&self, secret: &Secret) -> bool {
        PasswordHash::new(&self.0).is_ok_and(|parsed| {
            Argon2::default()
                .verify_password(secret.expose().as_bytes(), &parsed)
                .is_ok()
        })
    }

    /// The hash in a `Secret`, for model fields that hold a secret (a key server's
    /// `password`): what is kept there is then never the password itself.
    pub fn into_secret(self) -> Secret {
        Secret::new(self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_matches_its_secret_only_and_holds_no_secret() {
        let secret = Secret::new("correct horse battery staple 0123456789");
        let hash = SecretHash::new(&secret);
        assert!(hash.matches(&secret));
        assert!(!hash.matches(&Secret::new("correct horse battery staple, the wrong one")));
        let text = serde_json::to_string(&hash).unwrap();
        assert!(text.starts_with("\"$argon2id$") && !text.contains("horse"));
        assert_ne!(SecretHash::new(&secret), hash, "salted");
        assert!(!SecretHash(String::new()).matches(&Secret::new("")));
    }
}
