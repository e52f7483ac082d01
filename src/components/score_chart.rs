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
#[path = "score_chart_tests.rs"]
mod tests;
