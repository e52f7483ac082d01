//! What the clip card shows, computed on the device from the policy and the
//! ledger (so it works offline): plain data, compared before the card is
//! drawn again, so a sync that brings other records leaves it alone.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use naervaer_domain::clips::balance::cancelled_ids;
use naervaer_domain::clips::{Balance, ClipCard, ClipEntry, ClipPolicy, balance, open_plans};
use uuid::Uuid;

use crate::data::{LocalData, RecordStatus};

/// The card as shown.
#[derive(Debug, Clone, PartialEq)]
pub struct CardState {
    /// The municipality's rules.
    pub policy: ClipPolicy,
    /// The card (with the server's flags).
    pub card: ClipCard,
    /// The balance today.
    pub balance: Balance,
    /// Every entry with where it stands, newest first.
    pub history: Vec<(ClipEntry, RecordStatus)>,
    /// Plans not yet used or cancelled.
    pub plans: Vec<ClipEntry>,
    /// Entries a later entry cancelled.
    pub cancelled: BTreeSet<Uuid>,
    /// When this device last synced.
    pub last_sync: Option<DateTime<Utc>>,
}

impl CardState {
    /// The card of `citizen` under `policy` on `today`, if she has one.
    /// Entries the server rejected do not count.
    pub fn of(
        data: &LocalData,
        policy: ClipPolicy,
        citizen: Uuid,
        today: NaiveDate,
    ) -> Option<CardState> {
        let card = data.card_of(citizen)?.clone();
        let mut history = data.ledger_of(card.id);
        let counted: Vec<ClipEntry> = history
            .iter()
            .filter(|(_, s)| !matches!(s, RecordStatus::Rejected(_)))
            .map(|(e, _)| e.clone())
            .collect();
        history.sort_by_key(|(e, _)| {
            std::cmp::Reverse((e.at.unwrap_or(e.recorded_at), e.recorded_at))
        });
        Some(CardState {
            balance: balance(&policy, card.starts_on, &counted, today),
            plans: open_plans(&counted).into_iter().cloned().collect(),
            cancelled: cancelled_ids(&counted),
            policy,
            card,
            history,
            last_sync: data.meta.last_success,
        })
    }

    /// Minutes per clip (never 0).
    pub fn clip(&self) -> i64 {
        self.balance.clip_minutes.max(1)
    }

    /// How many marks the card draws, and how many of them are clips left:
    /// as many as can be saved, or as are held, 1 to 24.
    pub fn marks(&self) -> (i64, i64) {
        let have = self.balance.clips(self.balance.available_minutes).max(0);
        let cap = self
            .policy
            .saving_cap_minutes
            .map_or(0, |c| i64::from(c) / self.clip());
        (cap.max(have).clamp(1, 24), have)
    }

    /// Whether the server flagged the card (overdrawn, or a rule broken).
    pub fn flagged(&self) -> bool {
        self.card.check.overdrawn || !self.card.check.flags.is_empty()
    }
}
