//! A small SVG chart of the UCLA-3 total (3–9) over time, with the
//! municipality's cut-off as a dashed line. No chart library.

use chrono::NaiveDate;
use leptos::prelude::*;

const W: f64 = 600.0;
const H: f64 = 190.0;
const LEFT: f64 = 44.0;
const RIGHT: f64 = 20.0;
const TOP: f64 = 16.0;
const BOTTOM: f64 = 34.0;

/// The y position of a score.
fn y(score: u8) -> f64 {
    let s = f64::from(score.clamp(3, 9));
    TOP + (9.0 - s) / 6.0 * (H - TOP - BOTTOM)
}

/// The x position of point `i` of `n`, evenly spaced.
fn x(i: usize, n: usize) -> f64 {
    if n <= 1 {
        return (LEFT + W - RIGHT) / 2.0;
    }
    LEFT + i as f64 * (W - LEFT - RIGHT) / (n - 1) as f64
}

/// The chart; `points` are (day, total), oldest first.
#[component]
pub fn ScoreChart(
    /// (day, UCLA-3 total), oldest first.
    points: Vec<(NaiveDate, u8)>,
    /// The cut-off line.
    cutoff: u8,
    /// Accessible description.
    label: String,
) -> impl IntoView {
    let n = points.len();
    let line: String = points
        .iter()
        .enumerate()
        .map(|(i, (_, s))| format!("{:.1},{:.1}", x(i, n), y(*s)))
        .collect::<Vec<_>>()
        .join(" ");
    view! {
        <svg class="chart" viewBox=format!("0 0 {W} {H}") role="img" aria-label=label data-testid="score-chart">
            {[3u8, 6, 9].into_iter().map(|s| view! {
                <line class="grid" x1=LEFT x2=W - RIGHT y1=y(s) y2=y(s)></line>
                <text class="axis" x=LEFT - 8.0 y=y(s) + 5.0 text-anchor="end">{s}</text>
            }).collect_view()}
            <line class="cutoff" x1=LEFT x2=W - RIGHT y1=y(cutoff) y2=y(cutoff)></line>
            <polyline class="score-line" points=line></polyline>
            {points.into_iter().enumerate().map(|(i, (day, s))| view! {
                <circle class="score-point" cx=x(i, n) cy=y(s) r="6"><title>{format!("{}: {s}", day.format("%d.%m.%Y"))}</title></circle>
                <text class="axis" x=x(i, n) y=H - 10.0 text-anchor="middle">{day.format("%d.%m").to_string()}</text>
            }).collect_view()}
        </svg>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scores_map_top_to_bottom_inside_the_plot() {
        assert!((y(9) - TOP).abs() < 1e-9);
        assert!((y(3) - (H - BOTTOM)).abs() < 1e-9);
        assert!(y(6) > y(7) && y(6) < y(5));
        assert!((x(0, 3) - LEFT).abs() < 1e-9);
        assert!((x(2, 3) - (W - RIGHT)).abs() < 1e-9);
    }
}
