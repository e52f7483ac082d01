//! Clip-card entries the user adds: a new entry by the logged-in user, and
//! a follow-up (a use converting a plan, or a cancel) of an entry.

use chrono::Utc;
use leptos::prelude::*;
use naervaer_domain::clips::{ClipEntry, EntryKind};
use naervaer_domain::protocol::Record;
use uuid::Uuid;

use crate::actions::save::save_record;
use crate::context::Ctx;
use crate::notice::Notice;
use crate::sync_glue::random_uuid;

/// A new entry of `kind` on a card, by the logged-in user.
pub fn new_entry(
    kind: EntryKind,
    card_id: Uuid,
    citizen_id: Uuid,
    id: Uuid,
    author: &naervaer_domain::User,
) -> ClipEntry {
    let mut e = ClipEntry::new(kind, card_id, citizen_id, id, Utc::now());
    e.author_id = Some(author.id);
    e.author_name = author.name.clone();
    e
}

/// Adds a follow-up entry (a use converting a plan, or a cancel) to the ledger.
pub async fn follow_up(ctx: Ctx, kind: EntryKind, of: ClipEntry) {
    let (Some(session), Some(id)) = (ctx.session.get_untracked(), random_uuid()) else {
        return;
    };
    let mut e = new_entry(kind, of.card_id, of.citizen_id, id, &session.user);
    e.target = Some(of.id);
    if kind == EntryKind::Use {
        e.at = of.at;
        e.minutes = of.minutes;
        e.helpers = of.helpers;
        e.transport_minutes = of.transport_minutes;
        e.purpose = of.purpose.clone();
        e.activity_id = of.activity_id;
    }
    if let Err(err) = save_record(ctx, Record::ClipEntry(e)).await {
        ctx.notice.set(Some(Notice::KeptRetrying(err)));
    }
}
