//! Tracking codes: `DW-XXXX-XXXX`, 40 random bits from an alphabet without 0/O/1/I so they can
//! be read aloud and typed from a phone call.
use rand::Rng;

const ALPHABET: &[u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

/// A validated tracking code in canonical form.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TrackingCode(String);

impl TrackingCode {
    /// A fresh random code.
    pub fn generate() -> TrackingCode {
        let mut rng = rand::rng();
        let mut chars = [0u8; 8];
        for c in chars.iter_mut() {
            *c = ALPHABET[rng.random_range(0..ALPHABET.len())];
        }
        let s = String::from_utf8_lossy(&chars).into_owned();
        TrackingCode(format!("DW-{}-{}", &s[..4], &s[4..]))
    }

    /// Accepts what people type: any case, spaces or dashes, with or without the `DW` prefix.
    pub fn parse(input: &str) -> Option<TrackingCode> {
        let cleaned: String = input
            .chars()
            .filter(|c| c.is_ascii_alphanumeric())
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let body = if cleaned.len() == 10 {
            cleaned.strip_prefix("DW")?
        } else {
            cleaned.as_str()
        };
        if body.len() != 8 || !body.bytes().all(|b| ALPHABET.contains(&b)) {
            return None;
        }
        Some(TrackingCode(format!("DW-{}-{}", &body[..4], &body[4..])))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for TrackingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_codes_avoid_ambiguous_characters_and_parse_back() {
        for _ in 0..1000 {
            let c = TrackingCode::generate();
            assert_eq!(c.as_str().len(), 12);
            assert!(!c.as_str()[3..].contains(['0', 'O', '1', 'I']));
            assert_eq!(TrackingCode::parse(c.as_str()), Some(c));
        }
    }

    #[test]
    fn typed_variants_are_accepted() {
        let c = TrackingCode::parse("dw 7k3m q9tx").unwrap();
        assert_eq!(c.as_str(), "DW-7K3M-Q9TX");
        assert_eq!(TrackingCode::parse("7K3MQ9TX").unwrap(), c);
        assert_eq!(TrackingCode::parse("DW-7K3M-Q9T0"), None);
        assert_eq!(TrackingCode::parse("../../etc"), None);
        assert_eq!(TrackingCode::parse(""), None);
    }
}
