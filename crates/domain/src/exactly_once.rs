//! The exactly-once rules of the push side. The server keeps, per client, the
//! last sequence number it has settled (applied or rejected), in the same
//! transaction as the mutation's effect, and a fingerprint of each settled
//! mutation. Each pushed mutation is then: the next one → apply it (or
//! reject it on its own); an old one with the same fingerprint → a repeat,
//! acknowledged and skipped; an old one with another fingerprint → a seq
//! reused (a copied tablet, or a device whose storage went back in time),
//! and the batch stops; one past the next → a gap, and the batch stops.

use sha2::{Digest, Sha256};

use crate::protocol::{Mutation, MutationOp};

/// What to do with a pushed mutation, given the client's last settled seq.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqDecision {
    /// The next expected mutation: validate, then apply or reject it.
    Apply,
    /// Already settled with this content: acknowledge, do nothing.
    Repeat,
    /// Already settled with other content: stop the batch here; the device
    /// must number its changes under a new client id.
    Reused,
    /// A mutation is missing before this one: stop the batch here.
    Gap {
        /// The seq that should have come next.
        expected: u64,
    },
}

/// Decides one mutation. Sequence numbers start at 1.
pub fn classify_seq(last_settled: u64, seq: u64) -> SeqDecision {
    if seq <= last_settled {
        SeqDecision::Repeat
    } else if seq - last_settled == 1 {
        SeqDecision::Apply
    } else {
        SeqDecision::Gap {
            expected: last_settled + 1,
        }
    }
}

/// Plans a whole batch, in the order given: each mutation's decision, ending
/// with the first gap or reused seq (mutations after it are not listed).
/// Every `Apply` settles its seq, so the next one is judged against it.
/// `same_as_settled(i)` says whether the `i`th mutation, an old seq, has the
/// fingerprint stored when it was settled (true when none was stored).
pub fn plan_batch(
    last_settled: u64,
    seqs: &[u64],
    same_as_settled: impl Fn(usize) -> bool,
) -> Vec<SeqDecision> {
    let mut last = last_settled;
    let mut plan = Vec::with_capacity(seqs.len());
    for (i, &seq) in seqs.iter().enumerate() {
        let decision = match classify_seq(last, seq) {
            // A seq settled before this batch is compared with what was
            // settled; one settled earlier in this batch is a duplicate in it.
            SeqDecision::Repeat if seq <= last_settled && !same_as_settled(i) => {
                SeqDecision::Reused
            }
            decision => decision,
        };
        plan.push(decision);
        match decision {
            SeqDecision::Apply => last = seq,
            SeqDecision::Repeat => {}
            SeqDecision::Reused | SeqDecision::Gap { .. } => break,
        }
    }
    plan
}

/// The fingerprint of a mutation's content: the operation and its record
/// as this code reads it (so the same change sent by an older or newer app,
/// with fields in another order or a default left out, has the same
/// fingerprint), hashed. Data that does not decode is hashed as sent.
pub fn fingerprint(mutation: &Mutation) -> String {
    fingerprint_of(mutation, mutation.parse().ok().as_ref())
}

/// [`fingerprint`] of a mutation already decoded (`decoded`: what
/// [`Mutation::parse`] or [`Mutation::decode`] gave, if it gave anything).
pub fn fingerprint_of(mutation: &Mutation, decoded: Option<&MutationOp>) -> String {
    let content = decoded
        .and_then(op_json)
        .unwrap_or_else(|| mutation.data.get().to_string());
    let digest = Sha256::new()
        .chain_update(mutation.op.as_bytes())
        .chain_update([0])
        .chain_update(content.as_bytes())
        .finalize();
    digest[..16].iter().map(|b| format!("{b:02x}")).collect()
}

fn op_json(op: &MutationOp) -> Option<String> {
    match op {
        MutationOp::NoteSave(n) => serde_json::to_string(n),
        MutationOp::LonelinessRegister(r) => serde_json::to_string(r),
        MutationOp::ClipRecord(e) => serde_json::to_string(e),
        MutationOp::ActivitySave(a) => serde_json::to_string(a),
        MutationOp::BookingSave(b) => serde_json::to_string(b),
    }
    .ok()
}

#[cfg(test)]
mod tests {
    use super::SeqDecision::*;
    use super::*;

    #[test]
    fn the_next_seq_is_applied() {
        assert_eq!(classify_seq(0, 1), Apply);
        assert_eq!(classify_seq(41, 42), Apply);
    }

    #[test]
    fn an_old_seq_is_a_repeat() {
        assert_eq!(classify_seq(5, 5), Repeat);
        assert_eq!(classify_seq(5, 1), Repeat);
        assert_eq!(classify_seq(5, 0), Repeat);
    }

    #[test]
    fn a_missing_seq_is_a_gap_naming_what_was_expected() {
        assert_eq!(classify_seq(0, 2), Gap { expected: 1 });
        assert_eq!(classify_seq(7, 10), Gap { expected: 8 });
    }

    fn plan(last: u64, seqs: &[u64]) -> Vec<SeqDecision> {
        plan_batch(last, seqs, |_| true)
    }

    #[test]
    fn a_batch_pushed_twice_is_applied_once() {
        assert_eq!(plan(0, &[1, 2, 3]), vec![Apply, Apply, Apply]);
        assert_eq!(plan(3, &[1, 2, 3]), vec![Repeat, Repeat, Repeat]);
    }

    #[test]
    fn an_old_seq_with_other_content_stops_the_batch_as_reused() {
        // seq 2 was settled with other content: 1 is a repeat, 2 stops it.
        assert_eq!(
            plan_batch(3, &[1, 2, 3, 4], |i| i != 1),
            vec![Repeat, Reused]
        );
    }

    #[test]
    fn a_seq_applied_earlier_in_the_same_batch_is_a_repeat_not_reused() {
        assert_eq!(
            plan_batch(0, &[1, 1, 2], |_| false),
            vec![Apply, Repeat, Apply]
        );
    }

    fn note(text: &str) -> crate::VisitNote {
        crate::VisitNote::written(
            uuid::Uuid::from_u128(1),
            uuid::Uuid::from_u128(2),
            &[],
            crate::NoteCategory::Observation,
            text.into(),
            chrono::DateTime::UNIX_EPOCH,
        )
    }

    #[test]
    fn the_same_change_has_the_same_fingerprint_however_its_json_is_written() {
        let m = Mutation::note_save(1, &note("Godt besøg")).unwrap();
        let value: serde_json::Value = serde_json::from_str(m.data.get()).unwrap();
        // Fields in another order (a Value sorts its keys), and an optional
        // field left out as an older app might.
        let mut object = value.as_object().cloned().unwrap();
        object.remove("visit_id");
        let reordered = Mutation {
            seq: 1,
            op: m.op.clone(),
            data: serde_json::value::to_raw_value(&object).unwrap(),
        };
        assert_ne!(reordered.data.get(), m.data.get());
        assert_eq!(fingerprint(&reordered), fingerprint(&m));
    }

    #[test]
    fn other_content_has_another_fingerprint() {
        let a = Mutation::note_save(1, &note("Godt besøg")).unwrap();
        let b = Mutation::note_save(1, &note("Træt i dag")).unwrap();
        assert_ne!(fingerprint(&a), fingerprint(&b));
        assert_eq!(fingerprint(&a).len(), 32);
    }

    #[test]
    fn a_partly_settled_batch_applies_only_the_new_tail() {
        assert_eq!(plan(2, &[1, 2, 3, 4]), vec![Repeat, Repeat, Apply, Apply]);
    }

    #[test]
    fn a_gap_stops_the_batch_and_nothing_after_it_is_planned() {
        assert_eq!(plan(0, &[1, 3, 4]), vec![Apply, Gap { expected: 2 }]);
    }

    #[test]
    fn a_seq_duplicated_inside_one_batch_is_applied_once() {
        assert_eq!(plan(0, &[1, 1, 2]), vec![Apply, Repeat, Apply]);
    }

    #[test]
    fn the_largest_seq_does_not_overflow() {
        assert_eq!(classify_seq(u64::MAX, u64::MAX), Repeat);
    }
}
