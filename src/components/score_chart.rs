//! A small SVG chart of the UCLA-3 total (3–9) over time, with the
//! municipality's cut-off as a dashed line. No chart library; written as
//! SVG text (read-only, so no typed view is needed).

use chrono::NaiveDate;

// Whole pixels: no float formatting (it costs download size) and no visible loss.
const W: i32 = 600;
const H: i32 = 190;
const LEFT: i32 = 44;
const RIGHT: i32 = 20;
const TOP: i32 = 16;
const BOTTOM: i32 = 34;

/// The y position of a score.
fn y(score: u8) -> i32 {
    let s = i32::from(score.clamp(3, 9));
    TOP + (9 - s) * (H - TOP - BOTTOM) / 6
}

/// The x position of point `i` of `n`, evenly spaced.
fn x(i: usize, n: usize) -> i32 {
    let (i, n) = (i32::try_from(i).unwrap_or(0), i32::try_from(n).unwrap_or(1));
    if n <= 1 {
        return (LEFT + W - RIGHT) / 2;
    }
    LEFT + i * (W - LEFT - RIGHT) / (n - 1)
}

/// The chart's SVG text; `points` are (day, total), oldest first.
pub fn chart_svg(points: &[(NaiveDate, u8)], cutoff: u8, label: &str) -> String {
    let n = points.len();
    let line: String = points
        .iter()
        .enumerate()
        .map(|(i, (_, s))| format!("{},{}", x(i, n), y(*s)))
        .collect::<Vec<_>>()
        .join(" ");
    let grid: String = [3u8, 6, 9]
        .into_iter()
        .map(|s| {
            format!(
                "<line class=\"grid\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"></line>\
                 <text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{s}</text>",
                W - RIGHT,
                y(s),
                y(s),
                LEFT - 8,
                y(s) + 5
            )
        })
        .collect();
    let dots: String = points
        .iter()
        .enumerate()
        .map(|(i, (day, s))| {
            format!(
                "<circle class=\"score-point\" cx=\"{}\" cy=\"{}\" r=\"6\"><title>{}: {s}</title></circle>\
                 <text class=\"axis\" x=\"{}\" y=\"{}\" text-anchor=\"middle\">{}</text>",
                x(i, n),
                y(*s),
                crate::time_fmt::date(*day),
                x(i, n),
                H - 10,
                crate::time_fmt::short_date(*day)
            )
        })
        .collect();
    format!(
        "<svg class=\"chart\" viewBox=\"0 0 {W} {H}\" role=\"img\" aria-label=\"{}\" data-testid=\"score-chart\">\
         {grid}<line class=\"cutoff\" x1=\"{LEFT}\" x2=\"{}\" y1=\"{}\" y2=\"{}\"></line>\
         <polyline class=\"score-line\" points=\"{line}\"></polyline>{dots}</svg>",
        crate::html::esc(label),
        W - RIGHT,
        y(cutoff),
        y(cutoff)
    )
}

#[cfg(test)]
mod tests {
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
}
