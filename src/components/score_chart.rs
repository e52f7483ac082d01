//! A small SVG chart of the UCLA-3 total (3–9) over time, with the
//! municipality's cut-off as a dashed line. No chart library: an SVG view.

use chrono::NaiveDate;
use leptos::prelude::*;

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

/// The chart's SVG text; `p/// The score line's `points`: "x,y x,y …" for (day, total), oldest first.
fn line_points(points: &[(NaiveDate, u8)]) -> String {
    let n = points.len();
    points
        .iter()
        .enumerate()
        .map(|(i, (_, s))| format!("{},{}", x(i, n), y(*s)))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The chart; `points` are (day, total), oldest first.
#[component]
pub fn ScoreChart(
    /// (day, UCLA-3 total), oldest first.
    points: Vec<(NaiveDate, u8)>,
    /// The municipality's cut-off (drawn dashed).
    cutoff: u8,
    /// What the chart shows, for screen readers.
    label: String,
) -> impl IntoView {
    let n = points.len();
    let grid = [3u8, 6, 9]
        .into_iter()
        .map(|s| {
            view! {
                <line class="grid" x1=LEFT x2=W - RIGHT y1=y(s) y2=y(s)></line>
                <text class="axis" x=LEFT - 8 y=y(s) + 5 text-anchor="end">{s}</text>
            }
        })
        .collect_view();
    let line = line_points(&points);
    let dots = points
        .into_iter()
        .enumerate()
        .map(|(i, (day, s))| {
            view! {
                <circle class="score-point" cx=x(i, n) cy=y(s) r="6">
                    <title>{format!("{}: {s}", crate::time_fmt::date(day))}</title>
                </circle>
                <text class="axis" x=x(i, n) y=H - 10 text-anchor="middle">{crate::time_fmt::short_date(day)}</text>
            }
        })
        .collect_view();
    view! {
        <svg class="chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=label data-testid="score-chart">
            {grid}
            <line class="cutoff" x1=LEFT x2=W - RIGHT y1=y(cutoff) y2=y(cutoff)></line>
            <polyline class="score-line" points=line></polyline>
            {dots}
        </svg>
    }
}

#[cfg(test)]
#[path = "score_chart_tests.rs"]
mod tests;
