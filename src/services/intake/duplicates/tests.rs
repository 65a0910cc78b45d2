use super::*;

const A: &str = "在网页上申请把2TB空间降到200GB，页面显示申请成功，次月生效；但升级的时候是立即生效、立即扣费。";

#[test]
fn identical_texts_are_fully_similar_whatever_the_spacing() {
    assert_eq!(similarity(A, A), 1.0);
    let respaced = A.replace('，', " , ").replace('；', "\n");
    assert_eq!(similarity(A, &respaced), 1.0);
}

#[test]
fn a_small_edit_stays_above_the_threshold_and_another_story_falls_far_below() {
    let edited = A.replace("次月生效", "下个月生效");
    let s = similarity(A, &edited);
    assert!(s >= SIMILAR, "{s}");
    let other = "升级按钮在首页非常醒目，降级选项却藏在账户安全里，翻了好几层才找到。";
    assert!(similarity(A, other) < 0.2);
}

#[test]
fn fingerprints_ignore_spacing_punctuation_and_case_and_count_distinct_trigrams() {
    use migration::shared::fingerprint::of;
    let a = of("升级很快，降级却要打电话。Cancel Button");
    assert_eq!(a, of("升级很快 降级却要打电话 cancel button!"));
    assert_ne!(a.0, of("升级很快，降级却要去营业厅。Cancel Button").0);
    assert_eq!(of("ab"), (of("").0, 0));
    assert_eq!(of("aaaaaa").1, 1);
    assert_eq!(of(A).1 as usize, trigrams(A).len());
}

#[test]
fn latin_text_compares_case_insensitively() {
    assert_eq!(
        similarity("Cancel Button Hidden", "cancel button hidden"),
        1.0
    );
    assert_eq!(similarity("", ""), 1.0);
    assert_eq!(similarity("ab", "cd"), 0.0);
}
