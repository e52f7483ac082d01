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
    /// The revisions this one replaces: none for a new note, one for an
    /// edit, every head for a merge that resolves a conflict. Read from
    /// `null`, one id (as older devices write it) or a list; written as one
    /// id when there is one, so older app versions still read edits.
    #[serde(default, with = "one_or_many")]
    #[cfg_attr(feature = "openapi", schema(value_type = Vec<String>))]
    pub replaces: Vec<Uuid>,
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
    pub written_at: DateTime<Utc>,
}

impl VisitNote {
    /// A revision `id` written at `written_at`: a new note when `replaced`
    /// is empty, otherwise an edit (one) or a merge (several heads) of the
    /// same note, which keeps the first replaced revision's `note_id`. No
    /// visit and no author: set those with struct update syntax.
    pub fn written(
        id: Uuid,
        citizen_id: Uuid,
        replaced: &[VisitNote],
        category: NoteCategory,
        text: String,
        written_at: DateTime<Utc>,
    ) -> VisitNote {
        VisitNote {
            id,
            note_id: replaced.first().map_or(id, |r| r.note_id),
            replaces: replaced.iter().map(|r| r.id).collect(),
            citizen_id,
            visit_id: None,
            category,
            text,
            author_id: None,
            author_name: String::new(),
            written_at,
        }
    }

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
        if self.replaces.contains(&self.id) {
            return Err(ValidationError::ReplacesItself);
        }
        if self.replaces.is_empty() && self.note_id != self.id {
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
        .filter(|r| !revisions.iter().any(|o| o.replaces.contains(&r.id)))
        .collect();
    heads.sort_by(|a, b| a.written_at.cmp(&b.written_at).then(a.id.cmp(&b.id)));
    heads
}

/// `replaces` on the wire: `null`, one id, or a list of ids.
pub mod one_or_many {
    use serde::de::{Error, SeqAccess, Visitor};
    use serde::{Deserializer, Serialize, Serializer};
    use uuid::Uuid;

    /// Writes none as `null`, one as the id, more as a list.
    pub fn serialize<S: Serializer>(ids: &[Uuid], serializer: S) -> Result<S::Ok, S::Error> {
        match ids {
            [] => serializer.serialize_none(),
            [one] => one.serialize(serializer),
            many => many.serialize(serializer),
        }
    }

    struct Ids;

    impl<'de> Visitor<'de> for Ids {
        type Value = Vec<Uuid>;

        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("null, a revision id, or a list of revision ids")
        }

        fn visit_unit<E: Error>(self) -> Result<Vec<Uuid>, E> {
            Ok(Vec::new())
        }

        fn visit_none<E: Error>(self) -> Result<Vec<Uuid>, E> {
            Ok(Vec::new())
        }

        fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Vec<Uuid>, D::Error> {
            deserialize(d)
        }

        fn visit_str<E: Error>(self, s: &str) -> Result<Vec<Uuid>, E> {
            Uuid::parse_str(s).map(|id| vec![id]).map_err(E::custom)
        }

        fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Vec<Uuid>, A::Error> {
            let mut ids = Vec::new();
            while let Some(id) = seq.next_element::<Uuid>()? {
                ids.push(id);
            }
            Ok(ids)
        }
    }

    /// Reads `null`, one id, or a list.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<Uuid>, D::Error> {
        d.deserialize_any(Ids)
    }
}

#[cfg(test)]
#[path = "note_tests.rs"]
mod tests;
