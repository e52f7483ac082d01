//! The registration record. Registrations are facts: never edited in place;
//! a correction is a new registration that names the one it corrects.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use super::codes::{Barrier, NextStepKind, Sign, Wish};
use super::level::Level;
use crate::validation::ValidationError;

/// The most characters of any free-text field of a registration.
pub const MAX_TEXT_CHARS: usize = 2_000;

/// The three UCLA-3 / T-ILS items as asked in Danish, in order. Answers:
/// Sjældent (1), En gang imellem (2), Ofte (3).
pub const UCLA3_ITEMS_DA: [&str; 3] = [
    "Hvor ofte føler du, at du savner nogen at være sammen med?",
    "Hvor ofte føler du dig holdt udenfor?",
    "Hvor ofte føler du dig isoleret fra andre?",
];

/// Answers to the UCLA-3 short scale, each 1–3.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Ucla3 {
    /// "… savner nogen at være sammen med?"
    pub missing_company: u8,
    /// "… holdt udenfor?"
    pub left_out: u8,
    /// "… isoleret fra andre?"
    pub isolated: u8,
}

impl Ucla3 {
    /// The total, 3–9 for valid answers.
    pub fn total(&self) -> u8 {
        self.missing_company
            .saturating_add(self.left_out)
            .saturating_add(self.isolated)
    }

    /// Every answer is 1, 2 or 3.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let answers = [self.missing_company, self.left_out, self.isolated];
        if answers.iter().all(|a| (1..=3).contains(a)) {
            Ok(())
        } else {
            Err(ValidationError::ScoreOutOfRange)
        }
    }
}

/// The next step (pejlemærke 3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct NextStep {
    /// What is offered.
    pub kind: NextStepKind,
    /// Details when `kind` is other.
    pub other_text: Option<String>,
    /// Who is responsible.
    pub responsible: String,
    /// When to follow up (a date in Copenhagen).
    #[serde(default)]
    pub follow_up_on: Option<NaiveDate>,
}

/// One registration of loneliness signs for a citizen.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LonelinessRegistration {
    /// Id, made on the device.
    pub id: Uuid,
    /// The registration this one corrects, if any.
    pub corrects: Option<Uuid>,
    /// The citizen.
    pub citizen_id: Uuid,
    /// The day the signs were observed.
    pub observed_on: NaiveDate,
    /// Observed signs.
    pub signs: Vec<Sign>,
    /// Description when the signs include other.
    pub other_sign: Option<String>,
    /// UCLA-3 answers, when asked.
    pub ucla: Option<Ucla3>,
    /// The citizen's own words.
    pub own_words: String,
    /// Activities the citizen would like.
    pub wishes: Vec<Wish>,
    /// Description when the wishes include other.
    pub other_wish: Option<String>,
    /// What stands in the way.
    pub barriers: Vec<Barrier>,
    /// Description when the barriers include other.
    pub other_barrier: Option<String>,
    /// What happens next.
    pub next_step: Option<NextStep>,
    /// The level the rule suggested.
    pub suggested_level: Level,
    /// The level the worker chose.
    pub chosen_level: Level,
    /// Why the worker chose another level than suggested.
    pub override_reason: Option<String>,
    /// Who registered; set by the server from the login.
    pub author_id: Option<Uuid>,
    /// Name of who registered.
    pub author_name: String,
    /// When it was registered on the device. Never rejected for being old.
    pub recorded_at: DateTime<Utc>,
}

fn check_text(field: &'static str, text: Option<&str>) -> Result<(), ValidationError> {
    match text {
        Some(t) if t.chars().count() > MAX_TEXT_CHARS => Err(ValidationError::TooLong {
            field,
            max: MAX_TEXT_CHARS,
        }),
        _ => Ok(()),
    }
}

fn check_codes<'a>(
    list: &'static str,
    codes: impl IntoIterator<Item = (&'a str, bool)>,
) -> Result<(), ValidationError> {
    match codes.into_iter().find(|(_, known)| !known) {
        Some((code, _)) => Err(ValidationError::UnknownCode {
            list,
            code: code.chars().take(64).collect(),
        }),
        None => Ok(()),
    }
}

impl LonelinessRegistration {
    /// A registration with nothing observed yet (no signs, no score, green),
    /// for a form or a generator to fill.
    pub fn empty(
        id: Uuid,
        citizen_id: Uuid,
        observed_on: NaiveDate,
        (author_id, author_name): (Option<Uuid>, String),
        recorded_at: DateTime<Utc>,
    ) -> LonelinessRegistration {
        LonelinessRegistration {
            id,
            corrects: None,
            citizen_id,
            observed_on,
            signs: Vec::new(),
            other_sign: None,
            ucla: None,
            own_words: String::new(),
            wishes: Vec::new(),
            other_wish: None,
            barriers: Vec::new(),
            other_barrier: None,
            next_step: None,
            suggested_level: Level::Green,
            chosen_level: Level::Green,
            override_reason: None,
            author_id,
            author_name,
            recorded_at,
        }
    }

    /// Checks the rules every registration must meet, wherever it was made.
    pub fn validate(&self) -> Result<(), ValidationError> {
        if self.corrects == Some(self.id) {
            return Err(ValidationError::ReplacesItself);
        }
        check_codes("sign", self.signs.iter().map(|s| (s.code(), s.is_known())))?;
        check_codes("wish", self.wishes.iter().map(|s| (s.code(), s.is_known())))?;
        check_codes(
            "barrier",
            self.barriers.iter().map(|s| (s.code(), s.is_known())),
        )?;
        if let Some(step) = &self.next_step {
            check_codes("next_step", [(step.kind.code(), step.kind.is_known())])?;
            check_text("responsible", Some(&step.responsible))?;
            check_text("next_step.other_text", step.other_text.as_deref())?;
            if step.follow_up_on.is_some_and(|d| d < self.observed_on) {
                return Err(ValidationError::FollowUpBeforeObservation);
            }
        }
        if let Some(ucla) = &self.ucla {
            ucla.validate()?;
        }
        check_text("own_words", Some(&self.own_words))?;
        check_text("other_sign", self.other_sign.as_deref())?;
        check_text("other_wish", self.other_wish.as_deref())?;
        check_text("other_barrier", self.other_barrier.as_deref())?;
        check_text("override_reason", self.override_reason.as_deref())?;
        let reason_given = self
            .override_reason
            .as_deref()
            .is_some_and(|r| !r.trim().is_empty());
        if self.chosen_level != self.suggested_level && !reason_given {
            return Err(ValidationError::Empty("override_reason"));
        }
        Ok(())
    }
}

#[cfg(test)]
#[path = "registration_tests.rs"]
pub(crate) mod tests;
