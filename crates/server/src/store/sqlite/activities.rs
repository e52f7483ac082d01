//! The activity catalogue (coordinators write it, everyone reads it) and
//! bookings (scoped like the citizen; a citizen may only ask to join, or call
//! off her own request).

use chrono::{DateTime, Utc};
use naervaer_domain::activity::{
    Activity, Booking, BookingStatus, Fill, current, fill, places_held,
};
use naervaer_domain::sync::Record;
use naervaer_domain::{Role, User, ValidationError};
use sqlx::SqliteConnection;

use super::{ApplyError, SqliteStore, from_json, to_json};
use crate::store::StoreError;

impl SqliteStore {
    /// Publishes a record every user may see (the catalogue).
    async fn append_global_change(
        conn: &mut SqliteConnection,
        record: &Record,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO changes (kind, record_id, citizen_id, team, payload) VALUES (?, ?, '', '', ?)")
            .bind(record.kind().as_str())
            .bind(record.id().to_string())
            .bind(to_json(record)?)
            .execute(&mut *conn)
            .await?;
        Ok(())
    }

    /// The current revision of an activity (the newest if two devices edited it apart).
    pub(super) async fn current_activity(
        conn: &mut SqliteConnection,
        activity_id: &str,
    ) -> Result<Option<Activity>, StoreError> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT payload FROM activity_revisions WHERE activity_id = ?")
                .bind(activity_id)
                .fetch_all(&mut *conn)
                .await?;
        let revisions: Vec<Activity> = rows
            .iter()
            .map(|p| from_json(p))
            .collect::<Result<_, _>>()?;
        Ok(current(&revisions, |a: &Activity| a.id, |a| a.replaces)
            .into_iter()
            .max_by_key(|a| (a.recorded_at, a.id))
            .cloned())
    }

    /// Stores an activity revision (checked and stamped) and publishes it to everyone.
    pub(super) async fn store_activity(
        conn: &mut SqliteConnection,
        activity: &Activity,
    ) -> Result<(), ApplyError> {
        let payload = to_json(activity).map_err(ApplyError::Store)?;
        if Self::already_stored(conn, "activity_revisions", activity.id, &payload).await? {
            return Ok(());
        }
        if let Some(replaced) = activity.replaces {
            let found: Option<String> =
                sqlx::query_scalar("SELECT activity_id FROM activity_revisions WHERE id = ?")
                    .bind(replaced.to_string())
                    .fetch_optional(&mut *conn)
                    .await?;
            if found != Some(activity.activity_id.to_string()) {
                return Err(ValidationError::UnknownRevision.into());
            }
        }
        sqlx::query("INSERT INTO activity_revisions (id, activity_id, replaces, payload) VALUES (?, ?, ?, ?)")
            .bind(activity.id.to_string())
            .bind(activity.activity_id.to_string())
            .bind(activity.replaces.map(|r| r.to_string()))
            .bind(&payload)
            .execute(&mut *conn)
            .await?;
        Self::append_global_change(conn, &Record::Activity(activity.clone()))
            .await
            .map_err(ApplyError::Store)
    }

    /// An activity revision pushed by a device: coordinators only.
    pub(super) async fn save_activity(
        conn: &mut SqliteConnection,
        user: &User,
        mut activity: Activity,
    ) -> Result<(), ApplyError> {
        if user.role != Role::Coordinator {
            return Err(ValidationError::CoordinatorOnly.into());
        }
        activity.author_id = Some(user.id);
        activity.author_name = user.name.clone();
        Self::store_activity(conn, &activity).await
    }

    /// Writes a booking revision's row.
    pub(super) async fn insert_booking_row(
        conn: &mut SqliteConnection,
        booking: &Booking,
        payload: &str,
    ) -> Result<(), sqlx::Error> {
        sqlx::query(
            "INSERT INTO booking_revisions (id, booking_id, replaces, citizen_id, activity_id, occurrence_start, payload) \
             VALUES (?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(booking.id.to_string())
        .bind(booking.booking_id.to_string())
        .bind(booking.replaces.map(|r| r.to_string()))
        .bind(booking.citizen_id.to_string())
        .bind(booking.activity_id.to_string())
        .bind(naervaer_domain::wire_time::format_instant(booking.occurrence_start))
        .bind(payload)
        .execute(&mut *conn)
        .await?;
        Ok(())
    }

    /// Whether this very revision is already stored (a repeat from another
    /// device). The server's own `overfilled` mark is left out of the comparison.
    async fn booking_stored(
        conn: &mut SqliteConnection,
        booking: &Booking,
    ) -> Result<bool, ApplyError> {
        let existing: Option<String> =
            sqlx::query_scalar("SELECT payload FROM booking_revisions WHERE id = ?")
                .bind(booking.id.to_string())
                .fetch_optional(&mut *conn)
                .await?;
        let Some(existing) = existing else {
            return Ok(false);
        };
        let mut stored: Booking = from_json(&existing).map_err(ApplyError::Store)?;
        stored.overfilled = false;
        if stored == *booking {
            Ok(true)
        } else {
            Err(ValidationError::DuplicateId.into())
        }
    }

    /// Places held on the booking's occurrence by other bookings (their
    /// current revisions).
    async fn places_taken(
        conn: &mut SqliteConnection,
        booking: &Booking,
    ) -> Result<u32, StoreError> {
        let rows: Vec<String> = sqlx::query_scalar(
            "SELECT payload FROM booking_revisions WHERE activity_id = ? AND occurrence_start = ?",
        )
        .bind(booking.activity_id.to_string())
        .bind(naervaer_domain::wire_time::format_instant(
            booking.occurrence_start,
        ))
        .fetch_all(&mut *conn)
        .await?;
        let revisions: Vec<Booking> = rows
            .iter()
            .map(|p| from_json(p))
            .collect::<Result<_, _>>()?;
        Ok(places_held(
            &revisions,
            booking.activity_id,
            booking.occurrence_start,
            Some(booking.booking_id),
        ))
    }

    /// A booking revision: the activity must happen then; a citizen may only
    /// ask for herself or call off her own request; workers book their team.
    pub(super) async fn save_booking(
        conn: &mut SqliteConnection,
        user: &User,
        mut booking: Booking,
        now: DateTime<Utc>,
    ) -> Result<(), ApplyError> {
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
                sqlx::query_scalar("SELECT team FROM citizens WHERE id = ?")
                    .bind(booking.citizen_id.to_string())
                    .fetch_optional(&mut *conn)
                    .await?
                    .ok_or(ValidationError::UnknownCitizen)?
            }
            _ => Self::writable_citizen_team(conn, user, booking.citizen_id).await?,
        };
        booking.author_id = Some(user.id);
        booking.author_name = user.name.clone();
        booking.overfilled = false;
        if Self::booking_stored(conn, &booking).await? {
            return Ok(());
        }
        let activity = Self::current_activity(conn, &booking.activity_id.to_string())
            .await
            .map_err(ApplyError::Store)?
            .ok_or(ValidationError::UnknownActivity)?;
        let happens = activity
            .schedule
            .occurrence_at(booking.occurrence_start)
            .is_some();
        if !happens {
            return Err(ValidationError::UnknownOccurrence.into());
        }
        if let Some(replaced) = booking.replaces {
            let found: Option<(String, String, String)> = sqlx::query_as(
                "SELECT booking_id, citizen_id, payload FROM booking_revisions WHERE id = ?",
            )
            .bind(replaced.to_string())
            .fetch_optional(&mut *conn)
            .await?;
            let Some((booking_id, citizen, old)) = found else {
                return Err(ValidationError::UnknownRevision.into());
            };
            if booking_id != booking.booking_id.to_string()
                || citizen != booking.citizen_id.to_string()
            {
                return Err(ValidationError::UnknownRevision.into());
            }
            // A citizen may call off only what she asked for herself.
            if user.role == Role::Citizen {
                let old: Booking = from_json(&old).map_err(ApplyError::Store)?;
                if old.author_id != Some(user.id) {
                    return Err(ValidationError::NotAllowed(
                        "a citizen may call off only her own request",
                    )
                    .into());
                }
            }
        }
        if booking.holds_place() {
            let taken = Self::places_taken(conn, &booking)
                .await
                .map_err(ApplyError::Store)?;
            booking.overfilled = matches!(
                fill(activity.capacity, taken.saturating_add(1)),
                Fill::Overfilled(_)
            );
        }
        let payload = to_json(&booking).map_err(ApplyError::Store)?;
        Self::insert_booking_row(conn, &booking, &payload).await?;
        let citizen = booking.citizen_id;
        Self::publish_write(conn, user, Record::Booking(booking), citizen, &team, now).await
    }
}
