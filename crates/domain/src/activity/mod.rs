//! Social activities (fællesskabende aktiviteter): when they happen, the
//! derived "after 16" and "weekend" tags, and the capacity rule. The
//! catalogue records, bookings and their sync come with the app's calendar
//! (issue 5); these rules are shared by app and server.

pub mod capacity;
pub mod schedule;

pub use capacity::{Fill, fill, one_more_fits};
pub use schedule::{Occurrence, Schedule, ScheduleError, Tags, tags};
