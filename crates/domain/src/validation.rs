//! Why a record is not acceptable, with a stable code for each reason.

use thiserror::Error;

/// A reason a record fails validation. `code()` is stable and shown to apps;
/// the `Display` text is a plain English message for logs and API clients.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ValidationError {
    /// A required text field is empty or only white space.
    #[error("the field '{0}' must not be empty")]
    Empty(&'static str),
    /// A text field is longer than allowed.
    #[error("the field '{field}' is longer than {max} characters")]
    TooLong {
        /// The field's name.
        field: &'static str,
        /// The most characters allowed.
        max: usize,
    },
    /// A revision names itself as the one it replaces.
    #[error("a revision cannot replace itself")]
    ReplacesItself,
    /// The mutation's operation is not known.
    #[error("unknown operation '{0}'")]
    UnknownOp(String),
    /// The mutation's data does not have the shape its operation needs.
    #[error("the data does not fit the operation: {0}")]
    BadData(String),
    /// The record names a citizen the sender may not write for, or who does not exist.
    #[error("unknown citizen or no access to this citizen")]
    UnknownCitizen,
    /// The record id is already used by a different record.
    #[error("the id is already used by another record")]
    DuplicateId,
    /// The revision replaces a revision that does not exist.
    #[error("the revision it replaces does not exist")]
    UnknownRevision,
    /// A UCLA-3 answer is not 1, 2 or 3.
    #[error("each UCLA-3 answer must be 1, 2 or 3")]
    ScoreOutOfRange,
    /// A code is not on its fixed list.
    #[error("unknown {list} '{code}'")]
    UnknownCode {
        /// Which list: sign, wish, barrier or next_step.
        list: &'static str,
        /// The code that was sent.
        code: String,
    },
    /// The follow-up date lies before the day of observation.
    #[error("the follow-up date is before the day the signs were observed")]
    FollowUpBeforeObservation,
    /// The registration it corrects does not exist for this citizen.
    #[error("the registration it corrects does not exist")]
    UnknownRegistration,
    /// A number of minutes is negative.
    #[error("minutes must not be negative")]
    NegativeMinutes,
    /// A number is outside what the field allows.
    #[error("the field '{0}' is out of range")]
    OutOfRange(&'static str),
    /// A field the record's kind needs is missing.
    #[error("the field '{0}' is missing")]
    Missing(&'static str),
    /// The clip card does not exist for this citizen, or the sender may not see it.
    #[error("unknown clip card")]
    UnknownCard,
    /// The entry named (by a cancel or a use converting a plan) does not exist on this card.
    #[error("the entry it names does not exist on this card")]
    UnknownEntry,
    /// Only a coordinator may do this.
    #[error("only a coordinator may do this")]
    CoordinatorOnly,
    /// The activity does not exist.
    #[error("unknown activity")]
    UnknownActivity,
    /// The activity does not happen at that time.
    #[error("the activity does not happen at that time")]
    UnknownOccurrence,
    /// The sender's role may not do this (e.g. a citizen confirming a booking).
    #[error("not allowed: {0}")]
    NotAllowed(&'static str),
}

impl ValidationError {
    /// A stable machine-readable code for the reason.
    pub fn code(&self) -> &'static str {
        match self {
            ValidationError::Empty(_) => "empty_field",
            ValidationError::TooLong { .. } => "too_long",
            ValidationError::ReplacesItself => "replaces_itself",
            ValidationError::UnknownOp(_) => "unknown_op",
            ValidationError::BadData(_) => "bad_data",
            ValidationError::UnknownCitizen => "unknown_citizen",
            ValidationError::DuplicateId => "duplicate_id",
            ValidationError::UnknownRevision => "unknown_revision",
            ValidationError::ScoreOutOfRange => "score_out_of_range",
            ValidationError::UnknownCode { list, .. } => match *list {
                "sign" => "unknown_sign",
                "wish" => "unknown_wish",
                "barrier" => "unknown_barrier",
                _ => "unknown_next_step",
            },
            ValidationError::FollowUpBeforeObservation => "follow_up_before_observation",
            ValidationError::UnknownRegistration => "unknown_registration",
            ValidationError::NegativeMinutes => "negative_minutes",
            ValidationError::OutOfRange(_) => "out_of_range",
            ValidationError::Missing(_) => "missing_field",
            ValidationError::UnknownCard => "unknown_card",
            ValidationError::UnknownEntry => "unknown_entry",
            ValidationError::CoordinatorOnly => "coordinator_only",
            ValidationError::UnknownActivity => "unknown_activity",
            ValidationError::UnknownOccurrence => "unknown_occurrence",
            ValidationError::NotAllowed(_) => "not_allowed",
        }
    }
}
