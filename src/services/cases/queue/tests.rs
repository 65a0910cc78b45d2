use super::sql::day_start;
use super::*;

#[test]
fn cursors_round_trip_and_belong_to_their_sort_order() {
    let t = DateTime::parse_from_rfc3339("2026-11-25T06:07:08.123456Z")
        .unwrap()
        .with_timezone(&Utc);
    let c = Cursor::Received(t, 42);
    let s = c.encode(Sort::ReceivedDesc);
    assert!(s
        .chars()
        .all(|ch| ch.is_ascii_alphanumeric() || ch == '-' || ch == '_'));
    assert_eq!(Cursor::decode(&s, Sort::ReceivedDesc), Some(c));
    assert_eq!(
        Cursor::decode(&s, Sort::ReceivedAsc),
        None,
        "a cursor is tied to its order"
    );
    let d = Cursor::Due(NaiveDate::from_ymd_opt(2026, 10, 20).unwrap(), 0, 7);
    assert_eq!(Cursor::decode(&d.encode(Sort::Due), Sort::Due), Some(d));
    assert_eq!(Cursor::decode("not a cursor", Sort::Due), None);
}

#[test]
fn shanghai_days_start_at_16_utc_the_day_before() {
    let d = NaiveDate::from_ymd_opt(2026, 10, 1).unwrap();
    assert_eq!(day_start(d).to_rfc3339(), "2026-09-30T16:00:00+00:00");
}
