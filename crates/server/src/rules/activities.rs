//! The activity catalogue (coordinators write it, everyone reads it) and
//! bookings (scoped like the citizen; a citizen may only ask to join, or call
//! off her own request). A booking beyond the places is kept and marked.

use chrono::{DateTime, Utc};
use naervaer_domain::activity::{
    Activity, Booking, BookingStatus, Fill, current, fill, places_held,
};
use naervaer_domain::protocol::Record;
use naervaer_domain::{ChangeKind, Role, User, ValidationError};

use super::{ApplyError, Held, held, store_and_publish, writable_citizen_team};
use crate::store::{Audience, StoreError, Tx};

/// The current revision of an activity (the newest if two devices edited it apart).
async fn current_activity<T: Tx>(
    tx: &mut T,
    activity_id: uuid::Uuid,
) -> Result<Option<Activity>, StoreError> {
    let revisions = tx.activity_revisions(activity_id).await?;
    Ok(current(&revisions, |a: &Activity| a.id, |a| a.replaces)
        .into_iter()
        .max_by_key(|a| (a.recorded_at, a.id))
        .cloned())
}

/// Stores an activity revision (checked) and publishes it to everyone.
pub(crate) async fn store_activity<T: Tx>(
    tx: &mut T,
    activity: &Activity,
    received_at: Option<DateTime<Utc>>,
) -> Result<(), ApplyError> {
    let record = Record::Activity(activity.clone());
    match held(tx, &record).await? {
        Held::This => return Ok(()),
        other => other.free()?,
    }
    if let Some(replaced) = activity.replaces {
        // One the server does not have may come later (see notes).
        let fits = match tx.find(ChangeKind::Activity, replaced).await? {
            Some(Record::Activity(old)) => old.activity_id == activity.activity_id,
            Some(_) => false,
            None => true,
        };
        if !fits {
            return Err(ValidationError::UnknownRevision.into());
        }
    }
    tx.insert(&record).await?;
    tx.append_change(&record, &Audience::Everyone, received_at)
        .await?;
    Ok(())
}

/// An activity revision pushed by a device: coordinators only.
pub(crate) async fn save_activity<T: Tx>(
    tx: &mut T,
    user: &User,
    mut activity: Activity,
    now: DateTime<Utc>,
) -> Result<(), ApplyError> {
    if user.role != Role::Coordinator {
        return Err(ValidationError::CoordinatorOnly.into());
    }
    activity.author_id = Some(user.id);
    activity.author_name = user.name.clone();
    store_activity(tx, &activity, Some(now)).await
}

/// What the store holds under this revision's id (see [`held`]). The
/// server's own `overfilled` mark is left out of the comparison.
async fn booking_held<T: Tx>(tx: &mut T, booking: &Booking) -> Result<Held, ApplyError> {
    Ok(match tx.find(ChangeKind::Booking, booking.id).await? {
        None => Held::Nothing,
        Some(Record::Booking(mut stored)) => {
            stored.overfilled = false;
            if stored == *booking {
                Held::This
            } else {
                Held::Another
            }
        }
        Some(_) => Held::Another,
    })
}

/// A booking revision: the activity must happen then; a citizen may only
/// ask for herself or call off her own request; workers book their team.
pub(crate) async fn save_booking<T: Tx>(
    tx: &mut T,
    user: &User,
    mut booking: Booking,
    now: DateTime<Utc>,
) -> Result<(), ApplyError> {
    booking.author_id = Some(user.id);
    booking.author_name = user.name.clone();
    booking.overfilled = false;
    // A repeat of what this user stored is settled as it was (see notes).
    let held = booking_held(tx, &booking).await?;
    if held == Held::This {
        return Ok(());
    }
    let team: String = match user.role {
        Role::Citizen => {
            if user.citizen_id != Some(booking.citizen_id) {
                return Err(ValidationError::UnknownCitizen.into());
            }
            if !matches!(
                booking.status,
                BookingStatus::Requested | BookingStatus::Cancelled
            ) {
                return Err(ValidationError::NotAllowed(
                    "a citizen may ask to join or call it off",
                )
                .into());
            }
            tx.citizen_team(booking.citizen_id)
                .await?
                .ok_or(ValidationError::UnknownCitizen)?
        }
        _ => writable_citizen_team(tx, user, booking.citizen_id).await?,
    };
    held.free()?;
    let activity = current_activity(tx, booking.activity_id)
        .await?
        .ok_or(ValidationError::UnknownActivity)?;
    if activity
        .schedule
        .occurrence_at(booking.occurrence_start)
        .is_none()
    {
        return Err(ValidationError::UnknownOccurrence.into());
    }
    if let Some(replaced) = booking.replaces {
        let Some(Record::Booking(old)) = tx.find(ChangeKind::Booking, replaced).await? else {
            return Err(ValidationError::UnknownRevision.into());
        };
        if old.booking_id != booking.booking_id || old.citizen_id != booking.citizen_id {
            return Err(ValidationError::UnknownRevision.into());
        }
        // A citizen may call off only what she asked for herself.
        if user.role == Role::Citizen && old.author_id != Some(user.id) {
            return Err(
                ValidationError::NotAllowed("a citizen may call off only her own request").into(),
            );
        }
    }
    if booking.holds_place() {
        let revisions = tx
            .bookings_at(booking.activity_id, booking.occurrence_start)
            .await?;
        let taken = places_held(
            &revisions,
            booking.activity_id,
            booking.occurrence_start,
            Some(booking.booking_id),
        );
        booking.overfilled = matches!(
            fill(activity.capacity, taken.saturating_add(1)),
            Fill::Overfilled(_)
        );
    }
    let citizen = booking.citizen_id;
    store_and_publish(tx, user, Record::Booking(booking), citizen, &team, now).await
}
