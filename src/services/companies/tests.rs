use super::*;

#[test]
fn company_fields_are_checked_with_one_message_per_field() {
    let ok = parse_company(
        " 某视频平台 ",
        "video_membership",
        "91110000802100433b",
        "complaints@example.com",
    )
    .unwrap();
    assert_eq!(ok.name, "某视频平台");
    assert_eq!(ok.credit_code.as_deref(), Some("91110000802100433B"));
    let err = parse_company("", "boats", "91110000802100433C", "not-an-email").unwrap_err();
    let fields: Vec<_> = err.0.iter().map(|p| p.field).collect();
    assert_eq!(fields, ["name", "sector", "credit_code", "contact_email"]);
    assert!(parse_company(&"长".repeat(101), "", "", "").is_err());
}

#[test]
fn aliases_are_read_one_per_line_without_repeats() {
    let a = parse_aliases("某视频\n\n  ＶＩＤＥＯ App \nvideo app\n").unwrap();
    assert_eq!(a, ["某视频", "ＶＩＤＥＯ App"]);
    assert!(parse_aliases(&"x".repeat(101)).is_err());
}
