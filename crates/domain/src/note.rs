//! Visit notes (besøgsnotater). Notes are never overwritten: an edit is a new
//! revision that names the revision it replaces. Two edits of the same revision
//! made apart are both kept, and the note is then in conflict until a person
//! writes a revision that resolves it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::validation::ValidationError;

/// The most characters a note's text may hold.
pub const MAX_NOTE_CHARS: usize = 10_000;

/// What a note is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoteCategory {
    /// Observation during the visit.
    Observation,
    /// Everyday rehabilitation goal (hverdagsrehabilitering).
    Rehabilitation,
    /// Social life.
    SocialLife,
    /// Summary of a meeting with relatives (pårørende).
    Relatives,
}

impl NoteCategory {
    /// Every category, in the order the form shows them.
    pub const ALL: [NoteCategory; 4] = [
        NoteCategory::Observation,
        NoteCategory::Rehabilitation,
        NoteCategory::SocialLife,
        NoteCategory::Relatives,
    ];

    /// The stable name used in JSON and storage.
    pub fn as_str(self) -> &'static str {
        match self {
            NoteCategory::Observation => "observation",
            NoteCategory::Rehabilitation => "rehabilitation",
            NoteCategory::SocialLife => "social_life",
            NoteCategory::Relatives => "relatives",
        }
    }

    /// Parses the stable name.
    pub fn parse(s: &str) -> Option<NoteCategory> {
        NoteCategory::ALL.into_iter().find(|c| c.as_str() == s)
    }
}

/// One revision of a visit note.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct VisitNote {
    /// This revision's id, made on the device that wrote it.
    pub id: Uuid,
    /// The note this revision belongs to (the first revision's id).
    pub note_id: Uuid,
    /// The revision this one replaces; `None` for a new note.
    pub replaces: Option<Uuid>,
    /// The citizen the note is about.
    pub citizen_id: Uuid,
    /// The planned visit it was written on, if any.
    pub visit_id: Option<Uuid>,
    /// What the note is about.
    pub category: NoteCategory,
    /// The note itself.
    pub text: String,
    /// Who wrote it; the server sets it from the login that pushed it.
    pub author_id: Option<Uuid>,
    /// Name of who wrote it, for display.
    pub author_name: String,
    /// When it was written on the device (UTC). Never rejected for being old.
    #[serde(with = "crate::wire_time::utc")]
    pub written_at: DateTime<Utc>,
}

impl VisitNote {
    /// Checks the rules every note must meet, wherever it was written.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let text = self.text.trim();
        if text.is_empty() {
            return Err(ValidationError::Empty("text"));
        }
        if self.text.chars().count() > MAX_NOTE_CHARS {
            return Err(ValidationError::TooLong {
                field: "text",
                max: MAX_NOTE_CHARS,
            });
        }
        if self.replaces == Some(self.id) {
            return Err(ValidationError::ReplacesItself);
        }
        if self.replaces.is_none() && self.note_id != self.id {
            return Err(ValidationError::BadData(
                "a new note's note_id must equal its id".into(),
            ));
        }
        Ok(())
    }
}

/// The current revisions of one note: those no other revision replaces.
/// One head is the normal case; more than one means the note is in conflict.
pub fn heads(revisions: &[VisitNote]) -> Vec<&VisitNote> {
    let mut heads: Vec<&VisitNote> = revisions
        .iter()
        .filter(|r| !revisions.iter().any(|o| o.replaces == Some(r.id)))
        .collect();
    crate::sorting::sort_by(&mut heads, |a, b| {
        a.written_at.cmp(&b.written_at).then(a.id.cmp(&b.id))
    });
    heads
}

#[cfg(test)]
#[path = "note_tests.rs"]
mod tests;
