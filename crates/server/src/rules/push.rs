//! The push side: each mutation applied exactly once, in the sync's
//! transaction with the client's last settled seq.

use chrono::{DateTime, Utc};
use naervaer_domain::exactly_once::{fingerprint, fingerprint_of, plan_batch};
use naervaer_domain::{
    ChangeKind, Gap, Mutation, MutationOp, Rejection, SeqDecision, User, ValidationError,
};
use uuid::Uuid;

use super::ApplyError;
use crate::store::{PushOutcome, Settled, Store, StoreError, Tx};

/// Applies a pushed batch exactly once, inside `tx` (with the client's last
/// settled seq): the next seq is applied (or rejected on its own), a settled
/// one is a repeat (its earlier rejection is reported again) when its
/// content is what was settled and stops the batch as reused when it is
/// not, a missing one stops the batch. The fingerprint of every settled
/// mutation is stored with it. `believed` is what the device holds as
/// acknowledged, with the record of that change when it knows it: more
/// than the server holds, or another record at that seq, means the
/// database lost settled changes of the device (`seqs_lost`). Nothing of
/// it counts until `tx` commits.
#[allow(clippy::too_many_arguments)]
pub async fn push<S: Store>(
    store: &S,
    tx: &mut S::Tx,
    user: &User,
    client_id: Uuid,
    believed: (u64, Option<Uuid>),
    mutations: &[Mutation],
    now: DateTime<Utc>,
) -> Result<PushOutcome, StoreError> {
    let mut last = match tx.client(client_id).await? {
        Some((owner, _)) if owner != user.id => return Err(StoreError::ClientOfOtherUser),
        Some((_, last)) => last,
        None => {
            tx.insert_client(client_id, user.id).await?;
            0
        }
    };
    let settled_before = last;
    let mut ordered: Vec<&Mutation> = mutations.iter().collect();
    ordered.sort_by_key(|m| m.seq);
    let seqs: Vec<u64> = ordered.iter().map(|m| m.seq).collect();
    let (believed_seq, believed_id) = believed;
    // What is stored of the repeated seqs, and of the one the device
    // believes acknowledged.
    let checked_believed =
        (believed_id.is_some() && believed_seq > 0 && believed_seq <= last).then_some(believed_seq);
    let mut repeated: Vec<u64> = seqs
        .iter()
        .copied()
        .filter(|s| *s <= last)
        .chain(checked_believed)
        .collect();
    repeated.sort_unstable();
    repeated.dedup();
    let stored = if repeated.is_empty() {
        Default::default()
    } else {
        tx.settled(client_id, &repeated).await?
    };
    let plan = plan_batch(last, &seqs, |i| {
        stored
            .get(&seqs[i])
            .is_none_or(|settled| settled.fingerprint == fingerprint(ordered[i]))
    });
    let other_record = checked_believed.is_some_and(|seq| {
        stored
            .get(&seq)
            .and_then(|settled| settled.record_id)
            .is_some_and(|id| Some(id) != believed_id)
    });
    // Decoded once (the fingerprint is of what was sent, valid or not);
    // every record the batch will look up is read in one go.
    let mut settled = Vec::new();
    let mut ops: Vec<Option<Result<MutationOp, ValidationError>>> = ordered
        .iter()
        .zip(&plan)
        .map(|(m, decision)| {
            matches!(decision, SeqDecision::Apply).then(|| {
                let parsed = m.parse();
                settled.push((
                    m.seq,
                    Settled {
                        fingerprint: fingerprint_of(m, parsed.as_ref().ok()),
                        record_id: parsed.as_ref().ok().map(MutationOp::record_id),
                    },
                ));
                parsed.and_then(|op| op.validate().map(|()| op))
            })
        })
        .collect();
    let wanted: Vec<(ChangeKind, Uuid)> =
        ops.iter().flatten().flatten().flat_map(looked_up).collect();
    tx.prefetch(&wanted).await?;
    let mut outcome = PushOutcome {
        seqs_lost: believed_seq > settled_before || other_record,
        ..PushOutcome::default()
    };
    for ((mutation, decision), op) in ordered.iter().zip(plan).zip(&mut ops) {
        match decision {
            SeqDecision::Apply => {
                let applied = match op.take() {
                    Some(Ok(op)) => apply(store, tx, user, op, now).await,
                    Some(Err(e)) => Err(ApplyError::Invalid(e)),
                    None => Err(ApplyError::Store(StoreError::Corrupt(
                        "a mutation to apply was not decoded".into(),
                    ))),
                };
                match applied {
                    Ok(()) => {}
                    Err(ApplyError::Invalid(e)) => {
                        let rejection = Rejection::new(mutation.seq, &e);
                        tx.insert_rejection(client_id, &rejection).await?;
                        outcome.rejections.push(rejection);
                    }
                    Err(ApplyError::Store(e)) => return Err(e),
                }
                last = mutation.seq;
            }
            SeqDecision::Repeat => {
                let reported = outcome.rejections.iter().any(|r| r.seq == mutation.seq);
                if !reported && let Some(earlier) = tx.rejection(client_id, mutation.seq).await? {
                    outcome.rejections.push(earlier);
                }
            }
            SeqDecision::Reused => outcome.seq_reused = Some(mutation.seq),
            SeqDecision::Gap { expected } => {
                outcome.gap = Some(Gap {
                    expected,
                    got: mutation.seq,
                });
            }
        }
    }
    tx.insert_settled(client_id, &settled).await?;
    tx.set_last_seq(client_id, last).await?;
    outcome.acknowledged_seq = last;
    Ok(outcome)
}

/// The records applying `op` looks up: its own id (stored already?) and
/// what it names (the revisions it replaces, the registration it corrects,
/// the card and entry a clip refers to).
fn looked_up(op: &MutationOp) -> Vec<(ChangeKind, Uuid)> {
    match op {
        MutationOp::NoteSave(n) => std::iter::once(n.id)
            .chain(n.replaces.iter().copied())
            .map(|id| (ChangeKind::Note, id))
            .collect(),
        MutationOp::LonelinessRegister(r) => std::iter::once(r.id)
            .chain(r.corrects)
            .map(|id| (ChangeKind::Loneliness, id))
            .collect(),
        MutationOp::ClipRecord(e) => std::iter::once(e.id)
            .chain(e.target)
            .map(|id| (ChangeKind::ClipEntry, id))
            .chain([(ChangeKind::ClipCard, e.card_id)])
            .collect(),
        MutationOp::ActivitySave(a) => std::iter::once(a.id)
            .chain(a.replaces)
            .map(|id| (ChangeKind::Activity, id))
            .collect(),
        MutationOp::BookingSave(b) => std::iter::once(b.id)
            .chain(b.replaces)
            .map(|id| (ChangeKind::Booking, id))
            .collect(),
    }
}

/// Applies one decoded mutation under its kind's rules.
async fn apply<S: Store>(
    store: &S,
    tx: &mut S::Tx,
    user: &User,
    op: MutationOp,
    now: DateTime<Utc>,
) -> Result<(), ApplyError> {
    match op {
        MutationOp::NoteSave(note) => super::records::save_note(tx, user, note, now).await,
        MutationOp::LonelinessRegister(registration) => {
            super::records::save_registration(tx, user, registration, now).await
        }
        MutationOp::ClipRecord(entry) => {
            super::clips::save_clip_entry(store.clip_policy(), tx, user, entry, now).await
        }
        MutationOp::ActivitySave(activity) => {
            super::activities::save_activity(tx, user, activity, now).await
        }
        MutationOp::BookingSave(booking) => {
            super::activities::save_booking(tx, user, booking, now).await
        }
    }
}
