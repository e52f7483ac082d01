//! Clip cards in SQLite: ledger entries are checked, stored once, flagged
//! against the policy, and the card's check (balance, overdraft, flags) is
//! republished whenever it changes.

use chrono::{DateTime, Utc};
use naervaer_domain::klippekort::{
    CardCheck, CardFlag, ClipCard, ClipEntry, ClipPolicy, EntryKind, balance, check,
};
use naervaer_domain::sync::Record;
use naervaer_domain::time::copenhagen_date;
use naervaer_domain::{Role, User, ValidationError};
use sqlx::SqliteConnection;

use super::{ApplyError, SqliteStore, from_json, parse_uuid, to_json};
use crate::store::StoreError;

impl SqliteStore {
    /// The policy a card runs under: the configured one, or a shipped one by id.
    pub(super) fn policy_for(&self, card: &ClipCard) -> ClipPolicy {
        if card.policy_id == self.clip_policy.id {
            return self.clip_policy.clone();
        }
        naervaer_domain::klippekort::ClipPolicy::shipped(&card.policy_id)
            .and_then(Result::ok)
            .unwrap_or_else(|| self.clip_policy.clone())
    }

    pub(super) async fn card(
        conn: &mut SqliteConnection,
        card_id: &str,
    ) -> Result<Option<ClipCard>, StoreError> {
        let payload: Option<String> =
            sqlx::query_scalar("SELECT payload FROM clip_cards WHERE id = ?")
                .bind(card_id)
                .fetch_optional(&mut *conn)
                .await?;
        payload.map(|p| from_json(&p)).transpose()
    }

    pub(super) async fn ledger(
        conn: &mut SqliteConnection,
        card_id: &str,
    ) -> Result<Vec<ClipEntry>, StoreError> {
        let rows: Vec<String> =
            sqlx::query_scalar("SELECT payload FROM clip_entries WHERE card_id = ?")
                .bind(card_id)
                .fetch_all(&mut *conn)
                .await?;
        rows.iter().map(|p| from_json(p)).collect()
    }

    /// Recomputes a card's check and publishes the card if it changed.
    pub(super) async fn refresh_card(
        &self,
        conn: &mut SqliteConnection,
        card_id: &str,
        now: DateTime<Utc>,
    ) -> Result<(), StoreError> {
        let Some(mut card) = Self::card(conn, card_id).await? else {
            return Ok(());
        };
        let ledger = Self::ledger(conn, card_id).await?;
        let policy = self.policy_for(&card);
        let b = balance(&policy, card.starts_on, &ledger, copenhagen_date(now));
        let cancelled = naervaer_domain::klippekort::balance::cancelled_ids(&ledger);
        let flags: Vec<(String, String)> = sqlx::query_as(
            "SELECT clip_flags.entry_id, clip_flags.code FROM clip_flags \
             JOIN clip_entries ON clip_entries.id = clip_flags.entry_id \
             WHERE clip_entries.card_id = ? ORDER BY clip_flags.entry_id, clip_flags.code",
        )
        .bind(card_id)
        .fetch_all(&mut *conn)
        .await?;
        let mut live_flags = Vec::new();
        for (entry, code) in flags {
            let entry_id = parse_uuid(&entry)?;
            if !cancelled.contains(&entry_id) {
                live_flags.push(CardFlag { entry_id, code });
            }
        }
        let fresh = CardCheck {
            available_minutes: b.available_minutes,
            overdrawn: b.overdrawn(),
            flags: live_flags,
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
        sqlx::query("UPDATE clip_cards SET payload = ? WHERE id = ?")
            .bind(to_json(&card)?)
            .bind(card_id)
            .execute(&mut *conn)
            .await?;
        let team = Self::team_of(conn, &card.citizen_id.to_string()).await?;
        let citizen = card.citizen_id;
        Self::append_change(conn, &Record::ClipCard(card), citizen, &team).await
    }

    /// Stores a new card and publishes it.
    pub(super) async fn store_card(
        &self,
        conn: &mut SqliteConnection,
        card: &ClipCard,
    ) -> Result<(), StoreError> {
        sqlx::query("INSERT INTO clip_cards (id, citizen_id, payload) VALUES (?, ?, ?)")
            .bind(card.id.to_string())
            .bind(card.citizen_id.to_string())
            .bind(to_json(card)?)
            .execute(&mut *conn)
            .await?;
        let team = Self::team_of(conn, &card.citizen_id.to_string()).await?;
        Self::append_change(
            conn,
            &Record::ClipCard(card.clone()),
            card.citizen_id,
            &team,
        )
        .await
    }

    /// Checks a ledger entry against its card, stores it once with the rules
    /// it breaks (unless `history`: entries from before the app, stored as
    /// they are), and refreshes the card. `user` is the author, already
    /// allowed to write for the citizen.
    pub(super) async fn store_clip_entry(
        &self,
        conn: &mut SqliteConnection,
        user: &User,
        entry: ClipEntry,
        team: &str,
        now: DateTime<Utc>,
        history: bool,
    ) -> Result<(), ApplyError> {
        let card_id = entry.card_id.to_string();
        let card = Self::card(conn, &card_id)
            .await
            .map_err(ApplyError::Store)?
            .filter(|c| c.citizen_id == entry.citizen_id)
            .ok_or(ValidationError::UnknownCard)?;
        let payload = to_json(&entry).map_err(ApplyError::Store)?;
        if Self::already_stored(conn, "clip_entries", entry.id, &payload).await? {
            return Ok(());
        }
        let coordinator = user.role == Role::Coordinator;
        if entry.kind == EntryKind::Adjust && !coordinator {
            return Err(ValidationError::CoordinatorOnly.into());
        }
        let ledger = Self::ledger(conn, &card_id)
            .await
            .map_err(ApplyError::Store)?;
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
        let policy = self.policy_for(&card);
        let overridden = coordinator && !entry.reason.trim().is_empty();
        let breaches = if overridden || history {
            Vec::new()
        } else {
            check(&policy, card.starts_on, &ledger, &entry, entry.recorded_at)
        };
        sqlx::query(
            "INSERT INTO clip_entries (id, card_id, kind, target, payload) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(entry.id.to_string())
        .bind(&card_id)
        .bind(entry.kind.as_str())
        .bind(entry.target.map(|t| t.to_string()))
        .bind(&payload)
        .execute(&mut *conn)
        .await?;
        for breach in breaches {
            sqlx::query("INSERT OR IGNORE INTO clip_flags (entry_id, code) VALUES (?, ?)")
                .bind(entry.id.to_string())
                .bind(breach.code())
                .execute(&mut *conn)
                .await?;
        }
        let citizen = entry.citizen_id;
        Self::publish_write(conn, user, Record::ClipEntry(entry), citizen, team, now).await?;
        self.refresh_card(conn, &card_id, now)
            .await
            .map_err(ApplyError::Store)
    }

    /// A ledger entry pushed by a device: the sender must be allowed to write
    /// for the citizen; the server stamps the author.
    pub(super) async fn save_clip_entry(
        &self,
        conn: &mut SqliteConnection,
        user: &User,
        mut entry: ClipEntry,
        now: DateTime<Utc>,
    ) -> Result<(), ApplyError> {
        let team = Self::writable_citizen_team(conn, user, entry.citizen_id).await?;
        entry.author_id = Some(user.id);
        entry.author_name = user.name.clone();
        self.store_clip_entry(conn, user, entry, &team, now, false)
            .await
    }
}
