//! The note form's values as plain data: where they start (a new note, the
//! revision edited, or every version of a note in conflict), and the
//! revision they make when saved. No view and no storage here, so it is
//! tested natively.

use chrono::{DateTime, Utc};
use naervaer_domain::{NoteCategory, User, VisitNote};
use uuid::Uuid;

use crate::i18n::td_string;
use crate::notice::Notice;

/// What the form holds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draft {
    /// The note's topic.
    pub category: NoteCategory,
    /// The planned visit it was written on.
    pub visit: Option<Uuid>,
    /// The text.
    pub text: String,
}

/// The form's first values: the versions being merged, one under the
/// other; or the revision edited; or an empty observation.
pub fn starting_draft(editing: Option<&VisitNote>, merging: Option<&[VisitNote]>) -> Draft {
    match (merging, editing) {
        (Some([first, ..]), _) => Draft {
            category: first.category,
            visit: first.visit_id,
            text: merging
                .unwrap_or_default()
                .iter()
                .map(|n| n.text.as_str())
                .collect::<Vec<_>>()
                .join("\n\n"),
        },
        (_, Some(n)) => Draft {
            category: n.category,
            visit: n.visit_id,
            text: n.text.clone(),
        },
        _ => Draft {
            category: NoteCategory::Observation,
            visit: None,
            text: String::new(),
        },
    }
}

/// The revision `draft` makes, written now by `author`: a new note, an
/// edit or a merge of `replaced`; or why it cannot be saved.
pub fn revision(
    draft: Draft,
    id: Uuid,
    citizen: Uuid,
    replaced: &[VisitNote],
    author: &User,
    now: DateTime<Utc>,
) -> Result<VisitNote, Notice> {
    let note = VisitNote {
        visit_id: draft.visit,
        author_id: Some(author.id),
        author_name: author.name.clone(),
        ..VisitNote::written(id, citizen, replaced, draft.category, draft.text, now)
    };
    match note.validate() {
        Ok(()) => Ok(note),
        Err(_) => Err(Notice::Text(|l| td_string!(l, text_required))),
    }
}

#[cfg(test)]
#[path = "draft_tests.rs"]
mod tests;
