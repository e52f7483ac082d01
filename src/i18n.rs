//! The app's texts: one catalogue per language in `locales/` (`da.json`,
//! the default, and `en.json`), compiled into the `Locale` enum and the
//! `td_string!`/`td!` macros by `leptos_i18n` (see build.rs). A key missing
//! in either catalogue, or a wrong interpolation, fails the build. Short and
//! plain texts, for care workers and elderly citizens.

use naervaer_domain::NoteCategory;

#[allow(missing_docs, unused_imports, dead_code, deprecated, clippy::all)]
mod catalogue {
    include!(concat!(env!("OUT_DIR"), "/i18n/mod.rs"));
}

pub use catalogue::i18n::{I18nLocaleTrait, Locale, td, td_display, td_string};

/// A note category's label.
pub fn category_label(lang: Locale, category: NoteCategory) -> &'static str {
    match category {
        NoteCategory::Observation => td_string!(lang, cat_observation),
        NoteCategory::Rehabilitation => td_string!(lang, cat_rehabilitation),
        NoteCategory::SocialLife => td_string!(lang, cat_social_life),
        NoteCategory::Relatives => td_string!(lang, cat_relatives),
    }
}

/// A label from one of the domain's code lists, which carry a Danish and an
/// English label each (the municipality's wording, shared with the server).
pub fn code_label<'a>(lang: Locale, da: &'a str, en: &'a str) -> &'a str {
    match lang {
        Locale::da => da,
        Locale::en => en,
    }
}

/// A count for the catalogue's singular/plural forms (they take an `i64`).
pub fn count(n: impl TryInto<i64>) -> i64 {
    n.try_into().unwrap_or(i64::MAX)
}

#[cfg(test)]
#[path = "i18n_tests.rs"]
mod tests;
