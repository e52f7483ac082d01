//! Citizens and workers moving between teams, as first-class events of the
//! feed. The feed follows who a citizen belongs to now: when she moves, the
//! old team's devices get her id naming the new team (and forget her),
//! her feed rows go to the new team, and the new team's devices get again
//! what they would keep of her history. A worker who moves sees the new
//! team at their next sync; their device forgets the old one and pulls again.

use chrono::{DateTime, Utc};
use naervaer_domain::protocol::Record;
use naervaer_domain::retention::RetentionPolicy;
use naervaer_domain::{ChangeKind, Role, User};
use thiserror::Error;
use uuid::Uuid;

use crate::store::{Audience, AuditEntry, Keep, Store, StoreError, Tx};

/// The longest team name.
pub const MAX_TEAM_CHARS: usize = 64;

/// Why a move was not made.
#[derive(Debug, Error)]
pub enum MoveError {
    /// No citizen with this id.
    #[error("no citizen with id {0}")]
    UnknownCitizen(Uuid),
    /// No account with this name, or it is not a care worker's.
    #[error("no care worker with username '{0}'")]
    UnknownWorker(String),
    /// The team's name is empty, too long or has invisible characters.
    #[error("a team's name has 1 to {MAX_TEAM_CHARS} visible characters")]
    BadTeam,
    /// The store failed.
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a move did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Moved {
    /// The team before.
    pub from: String,
    /// The team now.
    pub to: String,
    /// Records of the citizen sent again to the new team (0 for a worker,
    /// or a move to the team she was in).
    pub republished: usize,
}

/// Characters that show as nothing (or turn text around): a team named
/// with one looks like another and is not, and whoever is moved there
/// silently sees, or is seen by, nobody.
fn invisible(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{00AD}' | '\u{034F}' | '\u{061C}' | '\u{115F}' | '\u{1160}' | '\u{17B4}'
            | '\u{17B5}' | '\u{180B}'..='\u{180F}' | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{206F}' | '\u{3164}'
            | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}' | '\u{FFA0}' | '\u{FFF0}'..='\u{FFFB}')
}

/// The team a move names: spaces evened out, no invisible characters, and
/// spelt as a team the store knows when it is one but for case ("syd " is
/// team Syd). Another name starts a new team.
pub(crate) async fn team_name<S: Store>(store: &S, team: &str) -> Result<String, MoveError> {
    let team = team.split_whitespace().collect::<Vec<_>>().join(" ");
    if team.is_empty() || team.chars().count() > MAX_TEAM_CHARS || team.chars().any(invisible) {
        return Err(MoveError::BadTeam);
    }
    let lower = team.to_lowercase();
    let known = store.users().await?.into_iter().filter_map(|u| u.team);
    Ok(known
        .into_iter()
        .find(|k| k.to_lowercase() == lower)
        .unwrap_or(team))
}

/// Moves a citizen to `to` in one transaction (see the module). `by` is the
/// coordinator who moved her (`None`: the server's admin command); the move
/// is written to her audit log.
pub async fn move_citizen<S: Store>(
    store: &S,
    retention: &RetentionPolicy,
    citizen_id: Uuid,
    to: &str,
    by: Option<&User>,
    now: DateTime<Utc>,
) -> Result<Moved, MoveError> {
    let to = team_name(store, to).await?;
    let mut tx = store.begin().await?;
    let Some(Record::Citizen(citizen)) = tx.find(ChangeKind::Citizen, citizen_id).await? else {
        return Err(MoveError::UnknownCitizen(citizen_id));
    };
    let from = citizen.team.clone();
    if from == to {
        return Ok(Moved {
            from,
            to,
            republished: 0,
        });
    }
    let history = tx.citizen_changes(citizen_id).await?;
    tx.move_citizen(citizen_id, &from, &to).await?;
    let notice = Record::Citizen(citizen.departure_notice(&to));
    let moved = Record::Citizen(naervaer_domain::Citizen {
        team: to.clone(),
        ..citizen
    });
    // The old team's devices learn she left (and forget her); her name and
    // address are not theirs to keep.
    tx.append_change(
        &notice,
        &Audience::Citizen {
            citizen_id,
            team: from.clone(),
        },
        Some(now),
    )
    .await?;
    let audience = Audience::Citizen {
        citizen_id,
        team: to.clone(),
    };
    tx.append_change(&moved, &audience, Some(now)).await?;
    let keep = Keep::at(retention, now);
    let mut republished = 0;
    for row in history {
        if matches!(row.record, Record::Citizen(_)) || !keep.keeps(&row.record, row.received_at) {
            continue;
        }
        tx.append_change(&row.record, &audience, row.received_at)
            .await?;
        republished += 1;
    }
    tx.audit(&AuditEntry {
        at: now,
        user_id: by.map_or(Uuid::nil(), |u| u.id),
        citizen_id,
        action: "write".into(),
        detail: format!("moved from team {from} to team {to}"),
    })
    .await?;
    tx.commit().await?;
    Ok(Moved {
        from,
        to,
        republished,
    })
}

/// Moves a care worker to `to`: from their next sync they see that team.
pub async fn move_worker<S: Store>(
    store: &S,
    username: &str,
    to: &str,
) -> Result<Moved, MoveError> {
    let to = team_name(store, to).await?;
    let unknown = || MoveError::UnknownWorker(username.to_string());
    let user = store
        .credentials(&username.trim().to_lowercase())
        .await?
        .map(|c| c.user)
        .filter(|u| u.role == Role::Worker)
        .ok_or_else(unknown)?;
    store.set_user_team(user.id, Some(&to)).await?;
    Ok(Moved {
        from: user.team.unwrap_or_default(),
        to,
        republished: 0,
    })
}
