//! Visit-note revisions and loneliness registrations: written for a citizen
//! the user may write for, stamped with the author, stored once.

use chrono::{DateTime, Utc};
use naervaer_domain::loneliness::LonelinessRegistration;
use naervaer_domain::protocol::Record;
use naervaer_domain::{ChangeKind, User, ValidationError, VisitNote};

use super::{ApplyError, Held, held, store_and_publish, writable_citizen_team};
use crate::store::Tx;

/// A note revision: it may replace only revisions of the same note and citizen.
pub(crate) async fn save_note<T: Tx>(
    tx: &mut T,
    user: &User,
    mut note: VisitNote,
    now: DateTime<Utc>,
) -> Result<(), ApplyError> {
    note.author_id = Some(user.id);
    note.author_name = user.name.clone();
    let record = Record::Note(note.clone());
    // A repeat of what this user stored is settled as it was, whatever
    // they may write now (a device sending its changes again after a
    // restore, from a worker who has since moved team).
    let held = held(tx, &record).await?;
    if held == Held::This {
        return Ok(());
    }
    let team = writable_citizen_team(tx, user, note.citizen_id).await?;
    held.free()?;
    // An edit replaces one revision, a merge every head it resolves: each
    // must be a revision of the same note and citizen. A revision the
    // server does not have is no reason to refuse: after a restore from a
    // backup, the device that wrote it sends it again, maybe after this.
    for replaced in &note.replaces {
        let fits = match tx.find(ChangeKind::Note, *replaced).await? {
            Some(Record::Note(old)) => {
                old.note_id == note.note_id && old.citizen_id == note.citizen_id
            }
            Some(_) => false,
            None => true,
        };
        if !fits {
            return Err(ValidationError::UnknownRevision.into());
        }
    }
    store_and_publish(tx, user, record, note.citizen_id, &team, now).await
}

/// A registration: a correction must name a registration of the same citizen.
pub(crate) async fn save_registration<T: Tx>(
    tx: &mut T,
    user: &User,
    mut registration: LonelinessRegistration,
    now: DateTime<Utc>,
) -> Result<(), ApplyError> {
    registration.author_id = Some(user.id);
    registration.author_name = user.name.clone();
    let record = Record::Loneliness(registration.clone());
    let held = held(tx, &record).await?;
    if held == Held::This {
        return Ok(());
    }
    let team = writable_citizen_team(tx, user, registration.citizen_id).await?;
    held.free()?;
    if let Some(corrected) = registration.corrects {
        // One the server does not have may come later (see notes).
        let fits = match tx.find(ChangeKind::Loneliness, corrected).await? {
            Some(Record::Loneliness(old)) => old.citizen_id == registration.citizen_id,
            Some(_) => false,
            None => true,
        };
        if !fits {
            return Err(ValidationError::UnknownRegistration.into());
        }
    }
    store_and_publish(tx, user, record, registration.citizen_id, &team, now).await
}
