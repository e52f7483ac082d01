//! The push side: each mutation applied exactly once, in one transaction
//! with the client's last settled seq.

use chrono::{DateTime, Utc};
use naervaer_domain::exactly_once::plan_batch;
use naervaer_domain::{Gap, Mutation, MutationOp, Rejection, SeqDecision, User};
use uuid::Uuid;

use super::ApplyError;
use crate::store::{PushOutcome, Store, StoreError, Tx};

/// Applies a pushed batch exactly once, in one transaction: the next seq is
/// applied (or rejected on its own), a settled one is a repeat (its earlier
/// rejection is reported again), a missing one stops the batch.
pub async fn push<S: Store>(
    store: &S,
    user: &User,
    client_id: Uuid,
    mutations: &[Mutation],
    now: DateTime<Utc>,
) -> Result<PushOutcome, StoreError> {
    let mut tx = store.begin().await?;
    let mut last = match tx.client(client_id).await? {
        Some((owner, _)) if owner != user.id => return Err(StoreError::ClientOfOtherUser),
        Some((_, last)) => last,
        None => {
            tx.insert_client(client_id, user.id).await?;
            0
        }
    };
    let mut ordered: Vec<&Mutation> = mutations.iter().collect();
    ordered.sort_by_key(|m| m.seq);
    let seqs: Vec<u64> = ordered.iter().map(|m| m.seq).collect();
    let mut outcome = PushOutcome::default();
    for (mutation, decision) in ordered.iter().zip(plan_batch(last, &seqs)) {
        match decision {
            SeqDecision::Apply => {
                match apply(store, &mut tx, user, mutation, now).await {
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
            SeqDecision::Gap { expected } => {
                outcome.gap = Some(Gap {
                    expected,
                    got: mutation.seq,
                });
            }
        }
    }
    tx.set_last_seq(client_id, last).await?;
    tx.commit().await?;
    outcome.acknowledged_seq = last;
    Ok(outcome)
}

/// Decodes one mutation and applies it under its kind's rules.
async fn apply<S: Store>(
    store: &S,
    tx: &mut S::Tx,
    user: &User,
    mutation: &Mutation,
    now: DateTime<Utc>,
) -> Result<(), ApplyError> {
    match mutation.decode()? {
        MutationOp::NoteSave(note) => super::records::save_note(tx, user, note, now).await,
        MutationOp::LonelinessRegister(registration) => {
            super::records::save_registration(tx, user, registration, now).await
        }
        MutationOp::ClipRecord(entry) => {
            super::clips::save_clip_entry(store.clip_policy(), tx, user, entry, now).await
        }
        MutationOp::ActivitySave(activity) => {
            super::activities::save_activity(tx, user, activity).await
        }
        MutationOp::BookingSave(booking) => {
            super::activities::save_booking(tx, user, booking, now).await
        }
    }
}
