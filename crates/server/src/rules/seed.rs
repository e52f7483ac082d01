//! Records the municipality makes (citizens, visits, cards) and history from
//! before the app (demo data), stored under the same rules as a push.

use chrono::{DateTime, Utc};
use naervaer_domain::activity::{Activity, Booking};
use naervaer_domain::clips::{ClipCard, ClipEntry};
use naervaer_domain::loneliness::LonelinessRegistration;
use naervaer_domain::protocol::Record;
use naervaer_domain::{Citizen, PlannedVisit, User};
use uuid::Uuid;

use super::ApplyError;
use crate::store::{Audience, Store, StoreError, Tx};

async fn team_of<T: Tx>(tx: &mut T, citizen_id: Uuid) -> Result<String, StoreError> {
    tx.citizen_team(citizen_id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("unknown citizen {citizen_id}")))
}

/// Stores a record of a known citizen as it is and publishes it.
async fn insert_of_citizen<S: Store>(
    store: &S,
    record: Record,
    citizen_id: Uuid,
) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let team = team_of(&mut tx, citizen_id).await?;
    tx.insert(&record).await?;
    tx.append_change(&record, &Audience::Citizen { citizen_id, team }, None)
        .await?;
    tx.commit().await
}

/// Adds a citizen and publishes it to the change feed.
pub async fn insert_citizen<S: Store>(store: &S, citizen: &Citizen) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    let record = Record::Citizen(citizen.clone());
    tx.insert(&record).await?;
    let audience = Audience::Citizen {
        citizen_id: citizen.id,
        team: citizen.team.clone(),
    };
    tx.append_change(&record, &audience, None).await?;
    tx.commit().await
}

/// Adds a planned visit and publishes it to the change feed.
pub async fn insert_visit<S: Store>(store: &S, visit: &PlannedVisit) -> Result<(), StoreError> {
    insert_of_citizen(store, Record::Visit(visit.clone()), visit.citizen_id).await
}

/// Adds a loneliness registration as it is (demo data) and publishes it.
pub async fn insert_registration<S: Store>(
    store: &S,
    registration: &LonelinessRegistration,
) -> Result<(), StoreError> {
    let record = Record::Loneliness(registration.clone());
    insert_of_citizen(store, record, registration.citizen_id).await
}

/// Adds a clip card (made by the municipality) and publishes it.
pub async fn insert_card<S: Store>(store: &S, card: &ClipCard) -> Result<(), StoreError> {
    insert_of_citizen(store, Record::ClipCard(card.clone()), card.citizen_id).await
}

/// Adds a booking revision as it is (demo data) and publishes it.
pub async fn insert_booking<S: Store>(store: &S, booking: &Booking) -> Result<(), StoreError> {
    insert_of_citizen(store, Record::Booking(booking.clone()), booking.citizen_id).await
}

/// Adds an activity revision as it is (demo data) and publishes it to everyone.
pub async fn insert_activity<S: Store>(store: &S, activity: &Activity) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    super::activities::store_activity(&mut tx, activity, None)
        .await
        .map_err(ApplyError::into_store)?;
    tx.commit().await
}

/// Adds a ledger entry by `author` as history from before the app (demo
/// data): its card and targets are checked and the card refreshed, but no
/// arrival flags are raised; an invalid entry is an error.
pub async fn insert_clip_entry<S: Store>(
    store: &S,
    author: &User,
    mut entry: ClipEntry,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if entry.author_name.is_empty() {
        entry.author_id = Some(author.id);
        entry.author_name = author.name.clone();
    }
    let mut tx = store.begin().await?;
    let team = team_of(&mut tx, entry.citizen_id).await?;
    super::clips::store_clip_entry(
        store.clip_policy(),
        &mut tx,
        author,
        entry,
        &team,
        now,
        true,
    )
    .await
    .map_err(ApplyError::into_store)?;
    tx.commit().await
}

/// A card's ledger, in no particular order.
pub async fn clip_ledger<S: Store>(store: &S, card_id: Uuid) -> Result<Vec<ClipEntry>, StoreError> {
    let mut tx = store.begin().await?;
    tx.ledger(card_id).await
}

/// Adds many records of citizens of `team` as history from before the app
/// (the scale demo) in one transaction, each published to the change feed
/// as a single insert would be. Ledger entries go through the klippekort
/// checks as in [`insert_clip_entry`], written by `author`; citizens must be
/// in the batch before their records, or already stored.
pub async fn insert_history<S: Store>(
    store: &S,
    team: &str,
    author: &User,
    records: Vec<Record>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let mut tx = store.begin().await?;
    for record in records {
        let Some(citizen_id) = record.citizen_id() else {
            continue;
        };
        if let Record::ClipEntry(entry) = record {
            super::clips::store_clip_entry(
                store.clip_policy(),
                &mut tx,
                author,
                entry,
                team,
                now,
                true,
            )
            .await
            .map_err(ApplyError::into_store)?;
            continue;
        }
        tx.insert(&record).await?;
        let audience = Audience::Citizen {
            citizen_id,
            team: team.to_string(),
        };
        tx.append_change(&record, &audience, None).await?;
    }
    tx.commit().await
}
