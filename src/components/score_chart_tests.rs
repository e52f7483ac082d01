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
fn the_chart_has_a_point_per_registration_and_escapes_its_label() {
    let day = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
    let svg = chart_svg(&[(day, 5), (day, 8)], 6, "UCLA-3 <score>");
    assert_eq!(svg.matches("<circle").count(), 2);
    assert!(svg.contains("aria-label=\"UCLA-3 &lt;score&gt;\""));
    assert!(svg.contains(&format!(
        "points=\"{},{} {},{}\"",
        x(0, 2),
        y(5),
        x(1, 2),
        y(8)
    )));
}
