//! The exactly-once rules of the push side. The server keeps, per client, the
//! last sequence number it has settled (applied or rejected), in the same
//! transaction as the mutation's effect. Each pushed mutation is then:
//! the next one → apply it (or reject it on its own); an old one → a repeat,
//! acknowledged and skipped; one past the next → a gap, and the batch stops.

/// What to do with a pushed mutation, given the client's last settled seq.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SeqDecision {
    /// The next expected mutation: validate, then apply or reject it.
    Apply,
    /// Already settled: acknowledge, do nothing.
    Repeat,
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
/// with the first gap (mutations after a gap are not listed). Every `Apply`
/// settles its seq, so the next one is judged against it.
pub fn plan_batch(last_settled: u64, seqs: &[u64]) -> Vec<SeqDecision> {
    let mut last = last_settled;
    let mut plan = Vec::with_capacity(seqs.len());
    for &seq in seqs {
        let decision = classify_seq(last, seq);
        plan.push(decision);
        match decision {
            SeqDecision::Apply => last = seq,
            SeqDecision::Repeat => {}
            SeqDecision::Gap { .. } => break,
        }
    }
    plan
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

    #[test]
    fn a_batch_pushed_twice_is_applied_once() {
        assert_eq!(plan_batch(0, &[1, 2, 3]), vec![Apply, Apply, Apply]);
        assert_eq!(plan_batch(3, &[1, 2, 3]), vec![Repeat, Repeat, Repeat]);
    }

    #[test]
    fn a_partly_settled_batch_applies_only_the_new_tail() {
        assert_eq!(
            plan_batch(2, &[1, 2, 3, 4]),
            vec![Repeat, Repeat, Apply, Apply]
        );
    }

    #[test]
    fn a_gap_stops_the_batch_and_nothing_after_it_is_planned() {
        assert_eq!(plan_batch(0, &[1, 3, 4]), vec![Apply, Gap { expected: 2 }]);
    }

    #[test]
    fn a_seq_duplicated_inside_one_batch_is_applied_once() {
        assert_eq!(plan_batch(0, &[1, 1, 2]), vec![Apply, Repeat, Apply]);
    }

    #[test]
    fn the_largest_seq_does_not_overflow() {
        assert_eq!(classify_seq(u64::MAX, u64::MAX), Repeat);
    }
}
