use super::*;

#[test]
fn the_staff_tier_appends_contact_columns_after_the_contract_columns() {
    assert_eq!(Tier::Regulator.columns().len(), 41);
    let staff = Tier::Staff.columns();
    assert_eq!(&staff[..41], &COLUMNS[..]);
    assert_eq!(&staff[41..], &CONTACT_COLUMNS[..]);
}

#[test]
fn the_company_loop_columns_follow_the_contracts_32_in_order() {
    assert_eq!(COLUMNS[31], "tags");
    assert_eq!(
        COLUMNS[32..],
        [
            "forwarded_at",
            "response_due_on",
            "responded_at",
            "response_category",
            "consumer_feedback",
            "consumer_disputed",
            "priority_lane",
            "referred_to",
            "referred_at"
        ]
    );
    for c in TIME_COLUMNS.iter().chain(&DATE_COLUMNS) {
        assert!(COLUMNS.contains(c), "{c}");
    }
}

#[test]
fn every_column_has_a_distinct_chinese_header_and_a_description_in_both_languages() {
    let i18n = crate::i18n::I18n::load().expect("catalogues");
    let staff = Tier::Staff.columns();
    let zh = Headers::Zh.row(Tier::Staff, &i18n);
    assert_eq!(Headers::En.row(Tier::Staff, &i18n), staff);
    for (col, name) in staff.iter().zip(&zh) {
        assert!(
            !name.is_empty() && !name.is_ascii() && !name.starts_with("exports."),
            "{col}: {name}"
        );
        assert_eq!(
            i18n.msg(
                crate::domain::Language::En,
                &format!("exports.headers.{col}")
            ),
            *col,
            "the English header is the column name"
        );
        for lang in [crate::domain::Language::ZhCn, crate::domain::Language::En] {
            let key = format!("exports.columns.{col}");
            assert_ne!(i18n.msg(lang, &key), key, "{col} described");
        }
    }
    let mut unique = zh.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), zh.len(), "Chinese headers are unique");
}

#[test]
fn day_filters_are_shanghai_days() {
    let f = Filters {
        from: NaiveDate::from_ymd_opt(2026, 10, 1),
        to: NaiveDate::from_ymd_opt(2026, 10, 31),
        ..Default::default()
    };
    assert_eq!(
        f.received_from().map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-09-30T16:00:00+00:00")
    );
    assert_eq!(
        f.received_before().map(|t| t.to_rfc3339()).as_deref(),
        Some("2026-10-31T16:00:00+00:00")
    );
}

#[test]
fn regulators_never_get_contact_data_or_unconsented_narratives() {
    let mut r = Record {
        narrative: Some("我叫张三，电话13800138000".into()),
        contact_name: Some("张三".into()),
        contact_email: Some("a@b.cn".into()),
        contact_phone: Some("13800138000".into()),
        consent_share_narrative: false,
        ..Default::default()
    };
    let mut consented = r.clone();
    r.apply_tier(Tier::Regulator);
    assert!(
        r.narrative.is_none()
            && r.contact_name.is_none()
            && r.contact_email.is_none()
            && r.contact_phone.is_none()
    );
    consented.consent_share_narrative = true;
    consented.apply_tier(Tier::Regulator);
    let n = consented.narrative.unwrap_or_default();
    assert!(!n.contains("13800138000") && !n.contains("张三"), "{n}");
}
