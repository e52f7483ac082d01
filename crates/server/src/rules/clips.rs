//! Clip cards: ledger entries are checked, stored once, flagged against the
//! policy, and the card's check (balance, overdraft, flags) is republished
//! whenever it changes.

use chrono::{DateTime, Utc};
use naervaer_domain::clips::{
    CardCheck, CardFlag, ClipCard, ClipEntry, ClipPolicy, EntryKind, balance, check,
};
use naervaer_domain::protocol::Record;
use naervaer_domain::time::copenhagen_date;
use naervaer_domain::{ChangeKind, Role, User, ValidationError};
use uuid::Uuid;

use super::{ApplyError, Held, held, store_and_publish, writable_citizen_team};
use crate::store::{Audience, StoreError, Tx};

/// The policy a card runs under: the configured one, or a shipped one by id.
pub(crate) fn policy_for(configured: &ClipPolicy, card: &ClipCard) -> ClipPolicy {
    if card.policy_id == configured.id {
        return configured.clone();
    }
    ClipPolicy::shipped(&card.policy_id)
        .and_then(Result::ok)
        .unwrap_or_else(|| configured.clone())
}

async fn card<T: Tx>(tx: &mut T, card_id: Uuid) -> Result<Option<ClipCard>, StoreError> {
    Ok(match tx.find(ChangeKind::ClipCard, card_id).await? {
        Some(Record::ClipCard(card)) => Some(card),
        _ => None,
    })
}

/// Recomputes a card's check and publishes the card if it changed.
pub(crate) async fn refresh_card<T: Tx>(
    configured: &ClipPolicy,
    tx: &mut T,
    card_id: Uuid,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    let Some(mut card) = card(tx, card_id).await? else {
        return Ok(());
    };
    let ledger = tx.ledger(card_id).await?;
    let policy = policy_for(configured, &card);
    let b = balance(&policy, card.starts_on, &ledger, copenhagen_date(now));
    let cancelled = naervaer_domain::clips::balance::cancelled_ids(&ledger);
    let flags = tx
        .card_flags(card_id)
        .await?
        .into_iter()
        .filter(|(entry_id, _)| !cancelled.contains(entry_id))
        .map(|(entry_id, code)| CardFlag { entry_id, code })
        .collect();
    let fresh = CardCheck {
        available_minutes: b.available_minutes,
        overdrawn: b.overdrawn(),
        flags,
        checked_at: Some(now),
    };
    let same = CardCheck {
        checked_at: card.check.checked_at,
        ..fresh.clone()
    } == card.check;
    if same {
        return Ok(());
    }
    card.check = fresh;
    tx.update_card(&card).await?;
    let team = tx
        .citizen_team(card.citizen_id)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("card {card_id} of an unknown citizen")))?;
    let audience = Audience::Citizen {
        citizen_id: card.citizen_id,
        team,
    };
    tx.append_change(&Record::ClipCard(card), &audience, Some(now))
        .await
}

/// Checks a ledger entry against its card, stores it once with the rules
/// it breaks (unless `history`: entries from before the app, stored as
/// they are), and refreshes the card. `user` is the author, already
/// allowed to write for the citizen.
pub(crate) async fn store_clip_entry<T: Tx>(
    configured: &ClipPolicy,
    tx: &mut T,
    user: &User,
    entry: ClipEntry,
    team: &str,
    now: DateTime<Utc>,
    history: bool,
) -> Result<(), ApplyError> {
    let card = card(tx, entry.card_id)
        .await?
        .filter(|c| c.citizen_id == entry.citizen_id)
        .ok_or(ValidationError::UnknownCard)?;
    let record = Record::ClipEntry(entry.clone());
    let held = held(tx, &record).await?;
    if held == Held::This {
        return Ok(());
    }
    held.free()?;
    let coordinator = user.role == Role::Coordinator;
    if entry.kind == EntryKind::Adjust && !coordinator {
        return Err(ValidationError::CoordinatorOnly.into());
    }
    let ledger = tx.ledger(entry.card_id).await?;
    if let Some(target) = entry.target {
        let named = ledger.iter().find(|e| e.id == target);
        let fits = match entry.kind {
            EntryKind::Cancel => named.is_some_and(|t| t.kind != EntryKind::Cancel),
            EntryKind::Use => named.is_some_and(|t| t.kind == EntryKind::Plan),
            _ => false,
        };
        if !fits {
            return Err(ValidationError::UnknownEntry.into());
        }
    }
    let policy = policy_for(configured, &card);
    let overridden = coordinator && !entry.reason.trim().is_empty();
    let breaches = if overridden || history {
        Vec::new()
    } else {
        check(&policy, card.starts_on, &ledger, &entry, entry.recorded_at)
    };
    let citizen = entry.citizen_id;
    let (entry_id, card_id) = (entry.id, entry.card_id);
    store_and_publish(tx, user, record, citizen, team, now).await?;
    for breach in breaches {
        tx.insert_flag(entry_id, breach.code()).await?;
    }
    refresh_card(configured, tx, card_id, now).await?;
    Ok(())
}

/// A ledger entry pushed by a device: the sender must be allowed to write
/// for the citizen; the server stamps the author.
pub(crate) async fn save_clip_entry<T: Tx>(
    configured: &ClipPolicy,
    tx: &mut T,
    user: &User,
    mut entry: ClipEntry,
    now: DateTime<Utc>,
) -> Result<(), ApplyError> {
    entry.author_id = Some(user.id);
    entry.author_name = user.name.clone();
    // A repeat of what this user stored is settled as it was (see notes).
    if held(tx, &Record::ClipEntry(entry.clone())).await? == Held::This {
        return Ok(());
    }
    let team = writable_citizen_team(tx, user, entry.citizen_id).await?;
    store_clip_entry(configured, tx, user, entry, &team, now, false).await
}
