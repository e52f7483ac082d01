//! Social activities (fællesskabende aktiviteter): when they happen, the
//! derived "after 16" and "weekend" tags, the capacity rule, and the
//! catalogue and booking records; shared by app and server.

pub mod capacity;
pub mod record;
pub mod schedule;

pub use capacity::{Fill, fill, one_more_fits, places_held};
pub use record::{Activity, Booking, BookingStatus, Needs, Organiser, current};
pub use schedule::{Occurrence, Schedule, ScheduleError, Tags, tags};
