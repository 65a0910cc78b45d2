//! Secret link tokens (answer links, consumers' sign-in links): 32 random bytes as 64 hex
//! characters, of which only the SHA-256 is stored, so a database reader cannot use a link.
use sha2::{Digest, Sha256};

/// A fresh token, shown once (in a mail).
pub fn new_token() -> String {
    hex::encode(rand::random::<[u8; 32]>())
}

/// What is stored for `token`.
pub fn stored_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The hash to look a typed token up by, or `None` when it cannot be one of ours (wrong length
/// or not hex: cut short, altered). Case-insensitive, as mail clients may change the case.
pub fn lookup_hash(typed: &str) -> Option<String> {
    let t = typed.trim();
    (t.len() == 64 && t.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| stored_hash(&t.to_ascii_lowercase()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_64_hex_characters_and_only_their_hash_is_stored() {
        let t = new_token();
        assert_eq!(t.len(), 64);
        assert_ne!(stored_hash(&t), t);
        assert_eq!(lookup_hash(&t.to_ascii_uppercase()), Some(stored_hash(&t)));
        assert_eq!(lookup_hash(&t[..63]), None);
        assert_eq!(lookup_hash(&"g".repeat(64)), None);
    }
}
