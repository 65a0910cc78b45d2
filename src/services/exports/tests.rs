use super::*;

#[test]
fn the_staff_tier_appends_contact_columns_after_the_contract_columns() {
    assert_eq!(Tier::Regulator.columns().len(), 32);
    let staff = Tier::Staff.columns();
    assert_eq!(&staff[..32], &COLUMNS[..]);
    assert_eq!(&staff[32..], &CONTACT_COLUMNS[..]);
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
