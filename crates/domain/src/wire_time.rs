//! Dates and instants on the wire and in storage, read and written by hand:
//! RFC 3339 in UTC (`2026-11-22T10:00:00Z`, with a fraction when there is
//! one) and `YYYY-MM-DD`. chrono's general parser and formatter cost the
//! app about 20 KB of WebAssembly; these few lines do the one format we use.
//! Use with `#[serde(with = "…")]`; the `_opt` modules need `default` too.

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, Timelike, Utc};
use serde::{Deserialize, Deserializer, Serializer};

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

fn error<E: serde::de::Error>(s: &str, what: &str) -> E {
    E::custom(format!("'{s}' is not {what}"))
}

/// `DateTime<Utc>` as RFC 3339.
pub mod utc {
    use super::*;

    /// Writes the instant.
    pub fn serialize<S: Serializer>(at: &DateTime<Utc>, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_instant(*at))
    }

    /// Reads the instant.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<DateTime<Utc>, D::Error> {
        let s = String::deserialize(d)?;
        parse_instant(&s).ok_or_else(|| error(&s, "an RFC 3339 time"))
    }
}

/// `Option<DateTime<Utc>>` as RFC 3339 or null.
pub mod utc_opt {
    use super::*;

    /// Writes the instant or null.
    pub fn serialize<S: Serializer>(at: &Option<DateTime<Utc>>, s: S) -> Result<S::Ok, S::Error> {
        match at {
            Some(at) => s.serialize_str(&format_instant(*at)),
            None => s.serialize_none(),
        }
    }

    /// Reads the instant or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<DateTime<Utc>>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) => parse_instant(&s)
                .map(Some)
                .ok_or_else(|| error(&s, "an RFC 3339 time")),
        }
    }
}

/// `NaiveDate` as `YYYY-MM-DD`.
pub mod date {
    use super::*;

    /// Writes the date.
    pub fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&format_date(*d))
    }

    /// Reads the date.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let s = String::deserialize(d)?;
        parse_date(&s).ok_or_else(|| error(&s, "a date YYYY-MM-DD"))
    }
}

/// `Option<NaiveDate>` as `YYYY-MM-DD` or null.
pub mod date_opt {
    use super::*;

    /// Writes the date or null.
    pub fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_str(&format_date(*d)),
            None => s.serialize_none(),
        }
    }

    /// Reads the date or null.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Option<NaiveDate>, D::Error> {
        match Option::<String>::deserialize(d)? {
            None => Ok(None),
            Some(s) => parse_date(&s)
                .map(Some)
                .ok_or_else(|| error(&s, "a date YYYY-MM-DD")),
        }
    }
}

#[cfg(test)]
#[path = "wire_time_tests.rs"]
mod tests;
