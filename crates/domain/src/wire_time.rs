//! Dates and instants as text where they are not serde fields: form fields
//! (`YYYY-MM-DD`), query parameters and SQL keys (RFC 3339 in UTC,
//! `2026-11-22T10:00:00Z`, with a fraction only when there is one). Records
//! use chrono's own serde, which writes the same format (measured: +6.8 KB
//! brotli over the hand-written serde modules this file had; NOTES.md).

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};

fn digits(s: &str) -> Option<u32> {
    if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Reads `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    let (y, rest) = s.split_at_checked(4)?;
    let rest = rest.strip_prefix('-')?;
    let (m, rest) = rest.split_at_checked(2)?;
    let d = rest.strip_prefix('-')?;
    if d.len() != 2 {
        return None;
    }
    NaiveDate::from_ymd_opt(i32::try_from(digits(y)?).ok()?, digits(m)?, digits(d)?)
}

/// Writes `YYYY-MM-DD`.
pub fn format_date(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// Reads an RFC 3339 instant: `YYYY-MM-DDTHH:MM:SS`, an optional fraction,
/// and `Z` or an offset `±HH:MM`.
pub fn parse_instant(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let date = parse_date(s.get(..10)?)?;
    let rest = s.get(10..)?;
    let rest = rest.strip_prefix('T').or_else(|| rest.strip_prefix('t'))?;
    let (h, m, sec) = (
        digits(rest.get(0..2)?)?,
        digits(rest.get(3..5)?)?,
        digits(rest.get(6..8)?)?,
    );
    if rest.get(2..3)? != ":" || rest.get(5..6)? != ":" {
        return None;
    }
    let mut rest = rest.get(8..)?;
    let mut nanos = 0u32;
    if let Some(frac) = rest.strip_prefix('.') {
        let len = frac.bytes().take_while(u8::is_ascii_digit).count();
        if len == 0 {
            return None;
        }
        let kept = &frac[..len.min(9)];
        nanos = digits(kept)? * 10u32.pow(9 - u32::try_from(kept.len()).ok()?);
        rest = &frac[len..];
    }
    let offset_minutes: i64 = match rest {
        "Z" | "z" => 0,
        _ => {
            let sign = match rest.get(0..1)? {
                "+" => 1,
                "-" => -1,
                _ => return None,
            };
            if rest.len() != 6 || rest.get(3..4)? != ":" {
                return None;
            }
            sign * i64::from(digits(rest.get(1..3)?)? * 60 + digits(rest.get(4..6)?)?)
        }
    };
    let time = NaiveTime::from_hms_nano_opt(h, m, sec, nanos)?;
    let local = date.and_time(time).and_utc();
    Some(local - Duration::minutes(offset_minutes))
}

/// Writes an instant as `YYYY-MM-DDTHH:MM:SS[.fffffffff]Z`.
pub fn format_instant(at: DateTime<Utc>) -> String {
    let nanos = at.nanosecond() % 1_000_000_000;
    let frac = if nanos == 0 {
        String::new()
    } else {
        let mut f = format!(".{nanos:09}");
        while f.ends_with('0') {
            f.pop();
        }
        f
    };
    format!(
        "{}T{:02}:{:02}:{:02}{frac}Z",
        format_date(at.date_naive()),
        at.hour(),
        at.minute(),
        at.second()
    )
}

#[cfg(test)]
#[path = "wire_time_tests.rs"]
mod tests;
