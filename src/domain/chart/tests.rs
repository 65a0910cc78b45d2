//! Chart geometry: labels never overlap or leave the chart, the scale holds the largest value.
use super::*;

fn months(n: usize, zh: bool) -> Vec<Bar> {
    (0..n)
        .map(|i| {
            let (y, m) = (2021 + i / 12, i % 12 + 1);
            let label = if zh {
                format!("{y}年{m}月")
            } else {
                [
                    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov",
                    "Dec",
                ][m - 1]
                    .to_string()
                    + &format!(" {y}")
            };
            // Uneven values with the largest somewhere in the middle, some of them large.
            let v = ((i * 7919) % 97) as f64 * 1_013.0 + if i == n / 2 { 250_000.0 } else { 0.0 };
            Bar::new(label, v, format_number(v))
        })
        .collect()
}

fn inside(l: &Label, width: f64, height: f64) -> bool {
    l.left() >= 0.0 && l.right() <= width && l.top() >= 0.0 && l.y <= height
}

#[test]
fn month_labels_never_overlap_and_stay_inside_for_1_to_60_columns() {
    for zh in [true, false] {
        for n in 1..=60 {
            let c = columns(&months(n, zh));
            assert!(!c.labels.is_empty(), "{n}: some label is shown");
            assert_eq!(
                c.labels.last().map(|l| &l.text),
                Some(&months(n, zh)[n - 1].label),
                "{n}: the latest month is labelled"
            );
            for w in c.labels.windows(2) {
                assert!(
                    w[0].right() + GAP <= w[1].left(),
                    "{n} columns ({zh}): {:?} touches {:?}",
                    w[0],
                    w[1]
                );
            }
            for l in c.labels.iter().chain(c.values.iter()) {
                assert!(inside(l, c.width, c.height), "{n}: {l:?} outside");
            }
            for (_, l) in &c.ticks {
                assert!(inside(l, c.plot.x, c.height), "{n}: tick {l:?} outside");
            }
            // Value labels above columns, when shown, do not touch each other.
            for w in c.values.windows(2) {
                assert!(w[0].right() <= w[1].left(), "{n}: values touch");
            }
        }
    }
}

#[test]
fn the_largest_value_is_inside_the_plot_and_under_the_top_tick() {
    for n in 1..=60 {
        let items = months(n, true);
        let c = columns(&items);
        let max = items.iter().map(|b| b.value).fold(0.0, f64::max);
        assert!(c.scale_max >= max, "{n}: scale {} < {max}", c.scale_max);
        let top_tick = c.ticks.last().map(|(y, _)| *y).unwrap_or(f64::MAX);
        assert!(
            (top_tick - c.plot.y).abs() < 1e-9,
            "{n}: top tick is the plot top"
        );
        for (b, r) in items.iter().zip(&c.bars) {
            assert!(r.y >= c.plot.y - 1e-9 && r.bottom() <= c.plot.bottom() + 1e-9);
            assert!(r.x >= c.plot.x && r.right() <= c.plot.right() + 1e-9);
            if b.value == max && max > 0.0 {
                // The largest column reaches at least half the plot: the scale is not loose.
                assert!(r.h >= c.plot.h / 2.0, "{n}: largest column is {} high", r.h);
            }
        }
        assert!(
            c.plot.bottom() + FONT <= c.height,
            "{n}: room for the x labels"
        );
    }
}

#[test]
fn ticks_are_round_numbers_from_zero() {
    let c = columns(&[Bar::new("a", 1234.0, "1,234"), Bar::new("b", 10.0, "10")]);
    let texts: Vec<&str> = c.ticks.iter().map(|(_, l)| l.text.as_str()).collect();
    assert_eq!(texts, ["0", "500", "1,000", "1,500"]);
    let c = columns(&[Bar::new("a", 0.0, "0")]);
    assert_eq!(c.scale_max, 1.0);
    assert_eq!(c.bars[0].h, 0.0);
    let c = columns(&[Bar::new("a", 3.0, "3")]);
    assert_eq!(c.scale_max, 3.0);
}

#[test]
fn horizontal_bars_keep_labels_and_values_inside() {
    let items: Vec<Bar> = (0..12)
        .map(|i| {
            let v = 10f64.powi(i % 7) + i as f64;
            Bar::new(
                "某某某通信运营商股份有限公司北京市分公司第".repeat(1 + i as usize % 2),
                v,
                format_number(v),
            )
        })
        .collect();
    let b = bars(&items);
    for (bar, label, value) in &b.rows {
        assert!(label.left() >= 0.0 && label.right() <= b.axis);
        assert!(value.left() >= bar.right() && value.right() <= b.width);
        assert!(bar.x >= b.axis && bar.bottom() <= b.height);
    }
    assert!(b.rows.iter().any(|(_, l, _)| l.text.ends_with('…')));
}

#[test]
fn widths_count_cjk_as_a_full_em() {
    assert_eq!(text_width("中文", 10.0), 20.0);
    assert!((text_width("ab", 10.0) - 12.4).abs() < 1e-9);
    assert_eq!(fit("short", 100.0), "short");
    let cut = fit("一二三四五六七八九十", 60.0);
    assert!(
        cut.ends_with('…') && text_width(&cut, FONT) <= 60.0,
        "{cut}"
    );
}

#[test]
fn numbers_get_thousands_separators() {
    assert_eq!(format_number(1234567.0), "1,234,567");
    assert_eq!(format_number(999.0), "999");
    assert_eq!(format_number(0.0), "0");
    assert_eq!(format_number(-1234.0), "-1,234");
}
