//! Times as Danish people read them: Copenhagen local time, 24-hour clock.

use chrono::{DateTime, Utc};
use naervaer_domain::time::to_copenhagen;

/// "07:30".
pub fn clock(at: DateTime<Utc>) -> String {
    to_copenhagen(at).format("%H:%M").to_string()
}

/// "22.11. 07:30".
pub fn day_and_clock(at: DateTime<Utc>) -> String {
    to_copenhagen(at).format("%d.%m. %H:%M").to_string()
}
