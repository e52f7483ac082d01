//! What the user does that changes data. Each action writes to storage (one
//! IndexedDB transaction, committed) before the app says it is done, and
//! tells the user how it went as a [`crate::notice::Notice`]. Views call
//! actions; actions never import a view.

pub mod accounts;
pub mod bookings;
pub mod clips;
pub mod moves;
pub mod save;
pub mod session;
pub mod unlock;
