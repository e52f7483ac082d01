//! The pull side: the changes after a cursor that the user may see, in
//! pages, with every citizen whose data was sent written to the audit log;
//! and a whole sync (push, then pull) in one transaction.

use chrono::{DateTime, Utc};
use naervaer_domain::{Role, User};
use uuid::Uuid;

use crate::store::{
    Audience, AuditEntry, Keep, PullPage, PushOutcome, Scope, Store, StoreError, Tx,
};

/// What a user may see: a coordinator everything, a worker their team, a
/// citizen only herself (and everyone the shared catalogue).
pub fn scope_of(user: &User) -> Scope {
    match user.role {
        Role::Coordinator => Scope::All,
        Role::Worker => Scope::Team(user.team.clone().unwrap_or_default()),
        Role::Citizen => Scope::Citizen(user.citizen_id.unwrap_or(Uuid::nil())),
    }
}

/// The changes after `cursor` that `user` may see and their device would
/// keep (`keep`), at most `limit`, as stored (read outside the writers'
/// turn); the citizens whose data is sent are logged, in a transaction of
/// their own, before the page is sent. `cursor_tag` is the tag of the row
/// at `cursor`, kept when the page is empty.
pub async fn pull<S: Store>(
    store: &S,
    user: &User,
    (cursor, cursor_tag): (u64, u64),
    limit: u32,
    keep: &Keep,
    now: DateTime<Utc>,
) -> Result<PullPage, StoreError> {
    let rows = store
        .changes_after(&scope_of(user), cursor, limit.saturating_add(1), keep)
        .await?;
    let more = rows.len() > limit as usize;
    let mut page = PullPage {
        changes: Vec::with_capacity(rows.len().min(limit as usize)),
        next_cursor: cursor,
        cursor_tag,
        more,
        feed_lost: false,
    };
    let mut citizens: Vec<Uuid> = Vec::new();
    for row in rows.into_iter().take(limit as usize) {
        // The catalogue belongs to no citizen: nothing to log.
        if let Audience::Citizen { citizen_id, .. } = &row.audience
            && !citizens.contains(citizen_id)
        {
            citizens.push(*citizen_id);
        }
        page.next_cursor = row.seq;
        page.cursor_tag = row.tag;
        page.changes.push(row);
    }
    if !citizens.is_empty() {
        let mut tx = store.begin().await?;
        for citizen_id in citizens {
            tx.audit(&AuditEntry {
                at: now,
                user_id: user.id,
                citizen_id,
                action: "read".into(),
                detail: "sync to device".into(),
            })
            .await?;
        }
        tx.commit().await?;
    }
    Ok(page)
}

/// One sync: the push applied exactly once in one transaction, then the
/// page of changes after it (which includes what was just pushed). A
/// cursor that is not in this feed (the row at it is gone or another: the
/// database went back in time, or is another database) pulls nothing and
/// says so (`feed_lost`), so the device pulls again from the start.
pub async fn sync<S: Store>(
    store: &S,
    user: &User,
    request: &naervaer_domain::SyncRequest,
    limit: u32,
    keep: &Keep,
    now: DateTime<Utc>,
) -> Result<(PushOutcome, PullPage), StoreError> {
    let mut tx = store.begin().await?;
    let pushed = super::push(
        store,
        &mut tx,
        user,
        request.client_id,
        (request.acknowledged_seq, request.acknowledged_id),
        &request.mutations,
        now,
    )
    .await?;
    tx.commit().await?;
    let other_database = request
        .database_id
        .is_some_and(|id| id != store.database_id());
    let mut feed_lost = other_database
        || (request.cursor > 0
            && store.feed_tag(request.cursor).await? != Some(request.cursor_tag));
    if let Some(point) = request.pulling
        && !feed_lost
        && point.seq > request.cursor
    {
        feed_lost = store.feed_tag(point.seq).await? != Some(point.tag);
    }
    let page = if feed_lost {
        PullPage {
            next_cursor: request.cursor,
            cursor_tag: request.cursor_tag,
            feed_lost: true,
            ..PullPage::default()
        }
    } else {
        pull(
            store,
            user,
            (request.cursor, request.cursor_tag),
            limit,
            keep,
            now,
        )
        .await?
    };
    Ok((pushed, page))
}
