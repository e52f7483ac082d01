//! Tests of `score_chart.rs`.

use super::*;

#[test]
fn scores_map_top_to_bottom_inside_the_plot() {
    assert_eq!(y(9), TOP);
    assert_eq!(y(3), H - BOTTOM);
    assert!(y(6) > y(7) && y(6) < y(5));
    assert_eq!(x(0, 3), LEFT);
    assert_eq!(x(2, 3), W - RIGHT);
    assert_eq!(x(0, 1), (LEFT + W - RIGHT) / 2);
}

#[test]
fn the_line_joins_the_points_oldest_first() {
    let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    assert_eq!(
        line_points(&[(day, 5), (day, 8)]),
        format!("{},{} {},{}", x(0, 2), y(5), x(1, 2), y(8))
    );
    assert_eq!(line_points(&[]), "");
}
