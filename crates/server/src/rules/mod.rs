//! The protocol's rules on the server, decided once for every store:
//! exactly-once push, validation, who may write and read what, clip-card
//! checks and flags, capacity, and the audit log. A [`Store`] only persists
//! and queries, inside one transaction per push.

mod activities;
mod clips;
mod moves;
mod pull;
mod push;
mod records;
mod seed;

pub(crate) use moves::team_name;
pub use moves::{MAX_TEAM_CHARS, MoveError, Moved, move_citizen, move_worker};
pub use pull::{pull, scope_of, sync};
pub use push::push;
pub use seed::{
    clip_ledger, insert_activity, insert_booking, insert_card, insert_citizen, insert_clip_entry,
    insert_history, insert_registration, insert_visit,
};

use chrono::{DateTime, Utc};
use naervaer_domain::protocol::Record;
use naervaer_domain::{Role, User, ValidationError};
use uuid::Uuid;

use crate::store::{Audience, AuditEntry, StoreError, Tx};

/// Why one mutation was not applied: its own fault, or the store's.
#[derive(Debug)]
pub(crate) enum ApplyError {
    /// The mutation breaks a rule: it is rejected on its own.
    Invalid(ValidationError),
    /// The store failed: the whole push fails and nothing of it is kept.
    Store(StoreError),
}

impl ApplyError {
    /// For data the server writes itself (demo data): a broken rule is a bug
    /// in that data, reported as corrupt, not a client's mistake.
    pub(crate) fn into_store(self) -> StoreError {
        match self {
            ApplyError::Store(e) => e,
            ApplyError::Invalid(e) => StoreError::Corrupt(e.to_string()),
        }
    }
}

impl From<StoreError> for ApplyError {
    fn from(e: StoreError) -> Self {
        ApplyError::Store(e)
    }
}

impl From<ValidationError> for ApplyError {
    fn from(e: ValidationError) -> Self {
        ApplyError::Invalid(e)
    }
}

/// The team of a citizen this user may write for, or why not.
pub(crate) async fn writable_citizen_team<T: Tx>(
    tx: &mut T,
    user: &User,
    citizen_id: Uuid,
) -> Result<String, ApplyError> {
    let team = tx
        .citizen_team(citizen_id)
        .await?
        .ok_or(ValidationError::UnknownCitizen)?;
    let allowed = match user.role {
        Role::Coordinator => true,
        Role::Worker => user.team.as_deref() == Some(team.as_str()),
        Role::Citizen => false,
    };
    if allowed {
        Ok(team)
    } else {
        Err(ValidationError::UnknownCitizen.into())
    }
}

/// What the store holds under a pushed record's id.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Held {
    /// Nothing: the id is free.
    Nothing,
    /// This very record (sent again from another login of its author).
    This,
    /// Another record.
    Another,
}

impl Held {
    /// Refuses an id another record holds. Asked only once the user may
    /// write for the citizen, so that the refusal tells nobody anything of
    /// records they may not see.
    pub(crate) fn free(self) -> Result<(), ApplyError> {
        match self {
            Held::Another => Err(ValidationError::DuplicateId.into()),
            Held::Nothing | Held::This => Ok(()),
        }
    }
}

/// What the store holds under this record's id. A record stamped with its
/// author is "this" only when the same user sent it.
pub(crate) async fn held<T: Tx>(tx: &mut T, record: &Record) -> Result<Held, ApplyError> {
    Ok(match tx.find(record.kind(), record.id()).await? {
        None => Held::Nothing,
        Some(existing) if existing == *record => Held::This,
        Some(_) => Held::Another,
    })
}

/// Stores a new record of a citizen, publishes it and logs the write.
pub(crate) async fn store_and_publish<T: Tx>(
    tx: &mut T,
    user: &User,
    record: Record,
    citizen_id: Uuid,
    team: &str,
    now: DateTime<Utc>,
) -> Result<(), ApplyError> {
    let detail = match &record {
        Record::Loneliness(_) => "loneliness registration",
        Record::ClipEntry(_) => "clip card entry",
        Record::Booking(_) => "activity booking",
        _ => "visit note revision",
    };
    tx.insert(&record).await?;
    tx.append_change(
        &record,
        &Audience::Citizen {
            citizen_id,
            team: team.to_string(),
        },
        Some(now),
    )
    .await?;
    tx.audit(&AuditEntry {
        at: now,
        user_id: user.id,
        citizen_id,
        action: "write".into(),
        detail: detail.into(),
    })
    .await?;
    Ok(())
}
