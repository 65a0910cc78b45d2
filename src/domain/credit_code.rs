//! 统一社会信用代码 (unified social credit code, GB 32100-2015): 18 characters =
//! registration authority (1) + organisation type (1) + administrative division (6, GB/T 2260)
//! + organisation code (9, GB 11714) + check character (1, weighted sum mod 31).
//!
//! Input is trimmed and upper-cased before checking, because people copy codes from licences
//! and web pages in either case.

/// The 31 characters of the code, in check-value order (no I, O, Z, S, V).
const CHARSET: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";

/// Weights of positions 1–17 (3^(i-1) mod 31).
const WEIGHTS: [u32; 17] = [
    1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28,
];

/// Registration authorities of the standard and its amendments: 1 机构编制, 2 外交, 3 司法行政,
/// 4 文化, 5 民政, 6 旅游, 7 宗教, 8 工会, 9 市场监管 (工商), A 军队, N 农业农村, Y 其他.
const AUTHORITIES: &[u8] = b"123456789ANY";

fn value_of(c: u8) -> Option<u32> {
    CHARSET.iter().position(|&x| x == c).map(|p| p as u32)
}

fn canonical(s: &str) -> String {
    s.trim().to_ascii_uppercase()
}

/// Check character for 17 canonical body characters (all already known to be in the charset).
fn check_char(body: &[u8]) -> Option<u8> {
    let mut sum = 0u32;
    for (c, w) in body.iter().zip(WEIGHTS) {
        sum += value_of(*c)? * w;
    }
    let check = (31 - sum % 31) % 31;
    Some(CHARSET[check as usize])
}

/// Whether the 17-character body has the structure of the standard (before the check character).
fn body_is_well_formed(b: &[u8]) -> bool {
    b.len() == 17
        && AUTHORITIES.contains(&b[0])
        // Organisation types are numbered 1–9 under every authority.
        && (b'1'..=b'9').contains(&b[1])
        && b[2..8].iter().all(u8::is_ascii_digit)
        && b[8..].iter().all(|c| CHARSET.contains(c))
}

/// Whether `s` is a well-formed 统一社会信用代码 with a correct check character
/// (surrounding spaces and lower case are tolerated).
pub fn is_valid_credit_code(s: &str) -> bool {
    let code = canonical(s);
    let b = code.as_bytes();
    b.len() == 18 && body_is_well_formed(&b[..17]) && check_char(&b[..17]) == Some(b[17])
}

/// Completes a 17-character body with its check character; `None` if the body is malformed.
pub fn make_credit_code(body17: &str) -> Option<String> {
    let body = canonical(body17);
    if !body_is_well_formed(body.as_bytes()) {
        return None;
    }
    let check = check_char(body.as_bytes())?;
    Some(format!("{body}{}", check as char))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn published_codes_are_valid() {
        // Codes as printed on real business licences (published in company registers).
        for code in [
            "91110000802100433B",
            "91350100M000100Y43",
            "9144030071526726XG",
            "91110108551385082Q",
            "91330100716105852F",
        ] {
            assert!(is_valid_credit_code(code), "{code}");
        }
    }

    #[test]
    fn case_and_surrounding_spaces_are_tolerated() {
        assert!(is_valid_credit_code(" 91350100m000100y43 "));
        assert!(is_valid_credit_code("91110000802100433b"));
    }

    #[test]
    fn near_misses_are_refused() {
        assert!(
            !is_valid_credit_code("91110000802100433C"),
            "wrong check character"
        );
        assert!(!is_valid_credit_code("91110000802100433"), "too short");
        assert!(!is_valid_credit_code("91110000802100433BB"), "too long");
        assert!(!is_valid_credit_code("91110000802100434B"), "changed digit");
        assert!(
            !is_valid_credit_code("91110000802I00433B"),
            "I is not in the charset"
        );
        assert!(!is_valid_credit_code("9111000080210 433B"), "inner space");
        assert!(
            !is_valid_credit_code("Z1110000802100433B"),
            "unknown registration authority"
        );
        assert!(
            !is_valid_credit_code("90110000802100433B"),
            "organisation type 0"
        );
        assert!(
            !is_valid_credit_code("911A0000802100433B"),
            "letter in the division code"
        );
        assert!(!is_valid_credit_code(""));
        assert!(
            !is_valid_credit_code("９１１１００００８０２１００４３３Ｂ"),
            "full-width digits"
        );
    }

    #[test]
    fn made_codes_carry_the_right_check_character() {
        assert_eq!(
            make_credit_code("91110000802100433").as_deref(),
            Some("91110000802100433B")
        );
        assert_eq!(
            make_credit_code("91350100m000100y4").as_deref(),
            Some("91350100M000100Y43")
        );
        assert_eq!(make_credit_code("9111000080210043"), None);
        assert_eq!(make_credit_code("Z1110000802100433"), None);
        for body in [
            "91440101MA5CXXXX0",
            "52110000500012345",
            "12100000400000624",
            "Y1110000000000001",
        ] {
            let code = make_credit_code(body).unwrap();
            assert!(is_valid_credit_code(&code), "{code}");
            assert_eq!(&code[..17], body);
        }
    }

    #[test]
    fn every_check_value_is_reachable() {
        // A sum that is a multiple of 31 maps to '0', not to an out-of-range 31.
        let mut seen = std::collections::HashSet::new();
        for n in 0..2000u32 {
            let body = format!("911100007{:08}", n);
            seen.insert(make_credit_code(&body).unwrap().as_bytes()[17]);
        }
        assert_eq!(seen.len(), 31);
    }
}
