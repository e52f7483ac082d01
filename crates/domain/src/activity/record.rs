//! The activity catalogue and bookings as records. Both are revisions, never
//! overwritten: an edit names the revision it replaces, as notes do.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::schedule::Schedule;
use crate::validation::ValidationError;

/// Who runs an activity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum Organiser {
    /// An association (forening).
    Association,
    /// Volunteers (frivillige).
    Volunteers,
    /// Home care itself.
    HomeCare,
}

/// One revision of an activity in the catalogue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Activity {
    /// This revision's id.
    pub id: Uuid,
    /// The activity across its revisions.
    pub activity_id: Uuid,
    /// The revision this one replaces (none for a new activity).
    #[serde(default)]
    pub replaces: Option<Uuid>,
    /// Title, e.g. "Spisecafé".
    pub title: String,
    /// What happens, in plain words.
    #[serde(default)]
    pub description: String,
    /// Who runs it.
    pub organiser: Organiser,
    /// The organiser's name.
    #[serde(default)]
    pub organiser_name: String,
    /// Where.
    pub place: String,
    /// When.
    pub schedule: Schedule,
    /// Transport is offered.
    #[serde(default)]
    pub transport_offered: bool,
    /// The place is wheelchair accessible.
    #[serde(default)]
    pub wheelchair_access: bool,
    /// Places per occurrence; none means no limit.
    #[serde(default)]
    pub capacity: Option<u32>,
    /// Whom to ask (name, phone).
    #[serde(default)]
    pub contact: String,
    /// Withdrawn from the catalogue (kept for the record).
    #[serde(default)]
    pub withdrawn: bool,
    /// Who wrote the revision (set by the server).
    #[serde(default)]
    pub author_id: Option<Uuid>,
    /// The author's name.
    #[serde(default)]
    pub author_name: String,
    /// When it was written on the device.
    pub recorded_at: DateTime<Utc>,
}

fn text(
    field: &'static str,
    value: &str,
    max: usize,
    required: bool,
) -> Result<(), ValidationError> {
    if required && value.trim().is_empty() {
        return Err(ValidationError::Empty(field));
    }
    if value.chars().count() > max {
        return Err(ValidationError::TooLong { field, max });
    }
    Ok(())
}

impl Activity {
    /// Checks the revision's fields.
    pub fn validate(&self) -> Result<(), ValidationError> {
        text("title", &self.title, 120, true)?;
        text("description", &self.description, 2000, false)?;
        text("organiser_name", &self.organiser_name, 120, false)?;
        text("place", &self.place, 200, true)?;
        text("contact", &self.contact, 200, false)?;
        if self.replaces == Some(self.id) {
            return Err(ValidationError::ReplacesItself);
        }
        if self.capacity == Some(0) {
            return Err(ValidationError::OutOfRange("capacity"));
        }
        self.schedule
            .validate()
            .map_err(|_| ValidationError::OutOfRange("schedule"))
    }
}

/// Where a booking stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum BookingStatus {
    /// The citizen asked to join; a worker or coordinator decides.
    Requested,
    /// A place is booked.
    Booked,
    /// Not possible this time (with a reason).
    Declined,
    /// Called off.
    Cancelled,
}

/// What the citizen needs to take part.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Needs {
    /// A companion from home care (drawn from the clip card).
    #[serde(default)]
    pub companion: bool,
    /// Transport.
    #[serde(default)]
    pub transport: bool,
    /// Care during the activity.
    #[serde(default)]
    pub care: bool,
}

/// One revision of a citizen's booking onto one occurrence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Booking {
    /// This revision's id.
    pub id: Uuid,
    /// The booking across its revisions.
    pub booking_id: Uuid,
    /// The revision this one replaces (none for a new booking or request).
    #[serde(default)]
    pub replaces: Option<Uuid>,
    /// The citizen.
    pub citizen_id: Uuid,
    /// The activity.
    pub activity_id: Uuid,
    /// The occurrence's start (UTC).
    pub occurrence_start: DateTime<Utc>,
    /// Where it stands.
    pub status: BookingStatus,
    /// What the citizen needs.
    #[serde(default)]
    pub needs: Needs,
    /// Why (a decline must say why).
    #[serde(default)]
    pub reason: String,
    /// The clip-card entry that plans the companion's time, if any.
    #[serde(default)]
    pub clip_entry_id: Option<Uuid>,
    /// Set by the server, never by a device: when this revision was stored,
    /// more places were booked on the occurrence than it has. A booking made
    /// offline is accepted and flagged, like an overdrawn clip card.
    #[serde(default)]
    pub overfilled: bool,
    /// Who wrote the revision (set by the server).
    #[serde(default)]
    pub author_id: Option<Uuid>,
    /// The author's name.
    #[serde(default)]
    pub author_name: String,
    /// When it was written on the device.
    pub recorded_at: DateTime<Utc>,
}

impl Booking {
    /// The first revision of a booking (no needs, no reason, no clip plan):
    /// `id` is both the revision's and the booking's id.
    pub fn first(
        id: Uuid,
        citizen_id: Uuid,
        activity_id: Uuid,
        occurrence_start: DateTime<Utc>,
        status: BookingStatus,
        (author_id, author_name): (Option<Uuid>, String),
        recorded_at: DateTime<Utc>,
    ) -> Booking {
        Booking {
            id,
            booking_id: id,
            replaces: None,
            citizen_id,
            activity_id,
            occurrence_start,
            status,
            needs: Needs::default(),
            reason: String::new(),
            clip_entry_id: None,
            overfilled: false,
            author_id,
            author_name,
            recorded_at,
        }
    }

    /// Checks the revision's fields.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.replaces == Some(self.id) {
            return Err(ValidationError::ReplacesItself);
        }
        text(
            "reason",
            &self.reason,
            500,
            self.status == BookingStatus::Declined,
        )
    }

    /// Whether this revision holds a place.
    pub fn holds_place(&self) -> bool {
        self.status == BookingStatus::Booked
    }
}

/// The current revisions: those no other revision replaces. Two current
/// revisions of one booking mean two devices changed it apart; both are kept.
pub fn current<T, F>(revisions: &[T], id: F, replaces: fn(&T) -> Option<Uuid>) -> Vec<&T>
where
    F: Fn(&T) -> Uuid,
{
    let replaced = revisions
        .iter()
        .filter_map(replaces)
        .collect::<std::collections::BTreeSet<_>>();
    revisions
        .iter()
        .filter(|r| !replaced.contains(&id(r)))
        .collect()
}

#[cfg(test)]
#[path = "record_tests.rs"]
mod tests;
