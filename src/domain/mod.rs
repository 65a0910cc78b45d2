//! Domain newtypes and pure rules. No I/O here; everything is unit-tested. Nothing here imports
//! an I/O crate (sea-orm, sqlx, axum, tera) or the store, services, web or entities layers; the
//! only thing taken from the migration crate is its reference data. A test below checks it.
pub mod campaign;
pub mod chart;
pub mod clauses;
pub mod credit_code;
pub mod deadlines;
pub mod enums;
pub mod format;
pub mod lane;
pub mod money;
pub mod period;
pub mod plain_text;
pub mod referral;
pub mod response;
pub mod scorecard;
pub mod scrub;
pub mod spam;
pub mod suppress;
pub mod token;
pub mod tracking;
pub mod triage;
pub mod workdays;
pub mod workflow;

pub use enums::*;
pub use money::Money;
pub use tracking::TrackingCode;

/// Mainland mobile number: 11 digits `1[3-9]\d{9}` (spaces, dashes and a +86 prefix tolerated).
pub fn parse_mobile(input: &str) -> Option<String> {
    let digits: String = input
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
        .collect();
    let digits = digits
        .strip_prefix("+86")
        .or_else(|| digits.strip_prefix("0086"))
        .unwrap_or(&digits);
    let b = digits.as_bytes();
    let ok = b.len() == 11
        && b[0] == b'1'
        && (b'3'..=b'9').contains(&b[1])
        && b.iter().all(|c| c.is_ascii_digit());
    ok.then(|| digits.to_string())
}

/// Normalises a company name or alias for matching: trimmed, inner whitespace collapsed,
/// case-folded, full-width ASCII folded to half-width.
pub fn normalize_name(input: &str) -> String {
    let folded: String = input
        .chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            _ => c,
        })
        .collect();
    folded
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .to_lowercase()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mobile_numbers_accept_separators_and_country_code() {
        assert_eq!(
            parse_mobile("138 0013 8000").as_deref(),
            Some("13800138000")
        );
        assert_eq!(
            parse_mobile("+86 139-0000-1111").as_deref(),
            Some("13900001111")
        );
        assert_eq!(parse_mobile("12800138000"), None);
        assert_eq!(parse_mobile("1380013800"), None);
        assert_eq!(parse_mobile("010-12345678"), None);
    }

    #[test]
    fn names_match_regardless_of_width_case_and_spacing() {
        assert_eq!(normalize_name("  Ｍｅｇａ  Cloud "), "mega cloud");
        assert_eq!(normalize_name("某视频平台"), "某视频平台");
    }

    /// Every `.rs` file under `src/domain`, with comment lines left out.
    fn domain_sources() -> Vec<(std::path::PathBuf, String)> {
        let mut out = Vec::new();
        let mut dirs = vec![std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/domain")];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("src/domain is readable") {
                let path = entry.expect("a directory entry").path();
                if path.is_dir() {
                    dirs.push(path);
                } else if path.extension().is_some_and(|e| e == "rs") {
                    let text = std::fs::read_to_string(&path).expect("a source file");
                    let code: Vec<&str> = text
                        .lines()
                        .filter(|l| !l.trim_start().starts_with("//"))
                        .collect();
                    out.push((path, code.join("\n")));
                }
            }
        }
        out
    }

    #[test]
    fn the_domain_imports_no_io_crate_and_no_outer_layer() {
        let forbidden = [
            "sea_orm",
            "sea_query",
            "sqlx",
            "axum",
            "tera",
            "lettre",
            "tokio",
            "crate::services",
            "crate::web",
            "crate::store",
            "crate::entities",
        ];
        let sources = domain_sources();
        assert!(sources.len() > 5, "found {} files", sources.len());
        for (path, code) in sources {
            for word in forbidden {
                let path_start = format!("{word}::");
                let used = code.match_indices(&path_start).any(|(i, _)| {
                    !code[..i]
                        .chars()
                        .next_back()
                        .is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':')
                });
                assert!(!used, "{} uses {word}", path.display());
            }
            // Spelt in two pieces so that this line does not match itself.
            for (i, _) in code.match_indices(&["migration", "::"].concat()) {
                assert!(
                    code[i..].starts_with("migration::shared::reference::"),
                    "{} uses the migration crate beyond its reference data",
                    path.display()
                );
            }
        }
    }
}
