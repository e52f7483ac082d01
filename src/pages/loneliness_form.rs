//! "Registrér ensomhedstegn": three short steps that follow the pejlemærker:
//! 1 signs and UCLA-3, 2 wishes and barriers, 3 next step and level. Works
//! offline; saved to the device first.
//!
//! All three steps are plain HTML in the page (CSS shows the current one) and
//! are read back with `FormData` on every input: one handler for the whole
//! form instead of a signal and closures per field keeps the download small.

use chrono::{NaiveDate, Utc};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use naervaer_domain::ValidationError;
use naervaer_domain::loneliness::{
    Barrier, Level, LonelinessPolicy, LonelinessRegistration, NextStep, NextStepKind, Sign,
    UCLA3_ITEMS_DA, Ucla3, Wish, suggest_level,
};
use naervaer_domain::sync::Record;
use naervaer_domain::time::copenhagen_date;
use naervaer_domain::wire_time::{format_date, parse_date};
use wasm_bindgen::JsCast;

use crate::actions::{report_save, save_record};
use crate::components::bind::{ErrorLine, FormValues, event_form};
use crate::context::use_ctx;
use crate::html::{checks, esc, input, radios, textarea};
use crate::i18n::{Lang, Texts, pick};
use crate::pages::citizen::{citizen_form_target, route_citizen_id};
use crate::sync::random_uuid;

const UCLA3_ITEMS_EN: [&str; 3] = [
    "How often do you feel that you lack companionship?",
    "How often do you feel left out?",
    "How often do you feel isolated from others?",
];

/// The form's fields as typed: codes and text.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Fields {
    /// `YYYY-MM-DD`.
    pub observed: String,
    /// Sign codes.
    pub signs: Vec<String>,
    /// Text for the sign "other".
    pub other_sign: String,
    /// The three UCLA-3 answers, `1`–`3` or empty.
    pub ucla: [String; 3],
    /// Wish codes.
    pub wishes: Vec<String>,
    /// Barrier codes.
    pub barriers: Vec<String>,
    /// The citizen's own words.
    pub own_words: String,
    /// The next step's code, or empty.
    pub next_kind: String,
    /// Who follows up.
    pub responsible: String,
    /// `YYYY-MM-DD` or empty.
    pub follow_up: String,
    /// The chosen level's code.
    pub level: String,
    /// Why the level differs from the suggestion.
    pub reason: String,
}

impl Fields {
    /// A new registration's fields.
    fn new(today: NaiveDate, responsible: String) -> Fields {
        Fields {
            observed: format_date(today),
            responsible,
            ..Fields::default()
        }
    }

    /// The fields of the registration being corrected.
    fn of(r: &LonelinessRegistration) -> Fields {
        let u = r.ucla;
        let answer = |f: fn(&Ucla3) -> u8| u.as_ref().map(|u| f(u).to_string()).unwrap_or_default();
        Fields {
            observed: format_date(r.observed_on),
            signs: r.signs.iter().map(|c| c.code().to_string()).collect(),
            other_sign: r.other_sign.clone().unwrap_or_default(),
            ucla: [
                answer(|u| u.missing_company),
                answer(|u| u.left_out),
                answer(|u| u.isolated),
            ],
            wishes: r.wishes.iter().map(|c| c.code().to_string()).collect(),
            barriers: r.barriers.iter().map(|c| c.code().to_string()).collect(),
            own_words: r.own_words.clone(),
            next_kind: r
                .next_step
                .as_ref()
                .map(|s| s.kind.code().to_string())
                .unwrap_or_default(),
            responsible: r
                .next_step
                .as_ref()
                .map(|s| s.responsible.clone())
                .unwrap_or_default(),
            follow_up: r
                .next_step
                .as_ref()
                .and_then(|s| s.follow_up_on)
                .map(format_date)
                .unwrap_or_default(),
            level: r.chosen_level.code().to_string(),
            reason: r.override_reason.clone().unwrap_or_default(),
        }
    }

    /// Reads the fields from the form.
    fn read(form: &web_sys::HtmlFormElement) -> Option<Fields> {
        let values = FormValues::of(form)?;
        let get = |name: &str| values.get(name);
        let all = |name: &str| values.all(name);
        Some(Fields {
            observed: get("observed_on"),
            signs: all("signs"),
            other_sign: get("other_sign"),
            ucla: [get("ucla-0"), get("ucla-1"), get("ucla-2")],
            wishes: all("wishes"),
            barriers: all("barriers"),
            own_words: get("own_words"),
            next_kind: get("next_step"),
            responsible: get("responsible"),
            follow_up: get("follow_up_on"),
            level: get("level"),
            reason: get("reason"),
        })
    }

    /// The UCLA-3 answers, when all three are given.
    pub fn ucla(&self) -> Option<Ucla3> {
        let answer = |i: usize| self.ucla[i].parse::<u8>().ok();
        Some(Ucla3 {
            missing_company: answer(0)?,
            left_out: answer(1)?,
            isolated: answer(2)?,
        })
    }

    /// The level the policy suggests for these fields.
    pub fn suggested(&self, policy: &LonelinessPolicy) -> Level {
        let signs: Vec<Sign> = self.signs.iter().cloned().map(Sign::from).collect();
        suggest_level(&signs, self.ucla().as_ref(), policy)
    }
}

fn optional_text(s: &str) -> Option<String> {
    let trimmed = s.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
}

/// A registration with nothing observed yet, for `registration_from` to fill.
pub fn empty_registration(
    id: uuid::Uuid,
    citizen_id: uuid::Uuid,
    observed_on: NaiveDate,
    author_id: Option<uuid::Uuid>,
    author_name: String,
) -> LonelinessRegistration {
    LonelinessRegistration::empty(
        id,
        citizen_id,
        observed_on,
        (author_id, author_name),
        Utc::now(),
    )
}

/// The registration the fields describe (id, author and time are the caller's).
pub fn registration_from(
    f: &Fields,
    policy: &LonelinessPolicy,
    base: LonelinessRegistration,
) -> LonelinessRegistration {
    let suggested_level = f.suggested(policy);
    LonelinessRegistration {
        observed_on: parse_date(&f.observed).unwrap_or(base.observed_on),
        signs: f.signs.iter().cloned().map(Sign::from).collect(),
        other_sign: optional_text(&f.other_sign),
        ucla: f.ucla(),
        own_words: f.own_words.trim().to_string(),
        wishes: f.wishes.iter().cloned().map(Wish::from).collect(),
        barriers: f.barriers.iter().cloned().map(Barrier::from).collect(),
        next_step: optional_text(&f.next_kind).map(|kind| NextStep {
            kind: NextStepKind::from(kind),
            other_text: None,
            responsible: f.responsible.trim().to_string(),
            follow_up_on: parse_date(&f.follow_up),
        }),
        suggested_level,
        chosen_level: Level::parse(&f.level).unwrap_or(suggested_level),
        override_reason: optional_text(&f.reason),
        ..base
    }
}

fn message(t: &Texts, e: &ValidationError) -> String {
    match e {
        ValidationError::ScoreOutOfRange => t.invalid_score.into(),
        ValidationError::FollowUpBeforeObservation => t.invalid_follow_up.into(),
        ValidationError::Empty("override_reason") => t.invalid_reason.into(),
        ValidationError::TooLong { .. } => t.invalid_text.into(),
        other => other.to_string(),
    }
}

fn labelled<'a>(
    lang: Lang,
    items: impl Iterator<Item = (&'a str, &'a str, &'a str)>,
) -> Vec<(&'a str, String)> {
    items
        .map(|(code, da, en)| (code, pick(lang, da, en)))
        .collect()
}

fn level_label(lang: Lang, level: Level) -> String {
    pick(lang, level.label_da(), level.label_en())
}

/// The three steps as HTML, filled from `f`: the fields, and the level
/// choice (shown after the suggestion).
fn steps_html(lang: Lang, t: &Texts, f: &Fields, suggested: Level) -> (String, String) {
    let signs = labelled(
        lang,
        Sign::ALL
            .iter()
            .map(|s| (s.code(), s.label_da(), s.label_en())),
    );
    let wishes = labelled(
        lang,
        Wish::ALL
            .iter()
            .map(|s| (s.code(), s.label_da(), s.label_en())),
    );
    let barriers = labelled(
        lang,
        Barrier::ALL
            .iter()
            .map(|s| (s.code(), s.label_da(), s.label_en())),
    );
    let next = labelled(
        lang,
        NextStepKind::ALL
            .iter()
            .map(|s| (s.code(), s.label_da(), s.label_en())),
    );
    let answers = [
        ("1", format!("{} (1)", t.ucla_rarely)),
        ("2", format!("{} (2)", t.ucla_sometimes)),
        ("3", format!("{} (3)", t.ucla_often)),
    ];
    let ucla: String = (0..3)
        .map(|i| {
            format!(
                "<fieldset class=\"question\"><legend>{}</legend>{}</fieldset>",
                esc(&pick(lang, UCLA3_ITEMS_DA[i], UCLA3_ITEMS_EN[i])),
                radios(&format!("ucla-{i}"), &f.ucla[i], &answers)
            )
        })
        .collect();
    let levels: Vec<(&str, String)> = [Level::Green, Level::Yellow, Level::Red]
        .into_iter()
        .map(|l| (l.code(), level_label(lang, l)))
        .collect();
    let chosen = if f.level.is_empty() {
        suggested.code()
    } else {
        f.level.as_str()
    };
    let h = |tag: &str, text: &str| format!("<{tag}>{}</{tag}>", esc(text));
    let fields = [
        "<div class=\"lstep lstep-1\">".to_string(),
        h("h2", t.step1_title),
        input(
            "",
            t.observed_on,
            "type=\"date\" name=\"observed_on\"",
            &f.observed,
        ),
        h("h3", t.signs_seen),
        checks("signs", &f.signs, &signs),
        input(
            "f-other",
            t.other_describe,
            "name=\"other_sign\"",
            &f.other_sign,
        ),
        h("h3", "UCLA-3"),
        format!("<p class=\"hint\">{}</p>", esc(t.ucla_intro)),
        ucla,
        "</div><div class=\"lstep lstep-2\">".to_string(),
        h("h2", t.step2_title),
        h("h3", t.wishes),
        checks("wishes", &f.wishes, &wishes),
        h("h3", t.barriers),
        checks("barriers", &f.barriers, &barriers),
        textarea("", t.own_words, "own_words", 3, &f.own_words),
        "</div><div class=\"lstep lstep-3\">".to_string(),
        h("h2", t.step3_title),
        h("h3", t.next_step),
        radios("next_step", &f.next_kind, &next),
        input("", t.responsible, "name=\"responsible\"", &f.responsible),
        input(
            "",
            t.follow_up_on,
            "type=\"date\" name=\"follow_up_on\"",
            &f.follow_up,
        ),
        "</div>".to_string(),
    ]
    .concat();
    let level = format!(
        "<div class=\"lstep lstep-3\"><fieldset class=\"question\"><legend>{}</legend>{}</fieldset>{}</div>",
        esc(t.chosen_level),
        radios("level", chosen, &levels),
        textarea("f-level-reason", t.reason, "reason", 2, &f.reason)
    );
    (fields, level)
}

/// The registration flow.
#[component]
pub fn LonelinessForm() -> impl IntoView {
    let ctx = use_ctx();
    let citizen_id = route_citizen_id();
    let navigate = use_navigate();
    let policy = ctx
        .session
        .get_untracked()
        .map(|s| s.loneliness_policy)
        .unwrap_or_default();
    let step = RwSignal::new(1u8);
    let today = copenhagen_date(Utc::now());
    let error = RwSignal::new(None::<String>);

    // A correction starts from the registration it corrects (`?retter=<id>`).
    let query = use_query_map();
    let correcting = Memo::new(move |_| {
        let id = query
            .with(|q| q.get("retter"))
            .and_then(|s| uuid::Uuid::parse_str(&s).ok())?;
        ctx.data.with(|d| {
            d.all_registrations()
                .into_iter()
                .map(|(r, _)| r)
                .find(|r| r.id == id)
        })
    });
    // What the user has typed; until then, the correction or a new registration.
    let typed = RwSignal::new(None::<Fields>);
    // Whether the user picked a level (until then it follows the suggestion).
    let level_picked = RwSignal::new(false);
    let fields = move || {
        typed.get().unwrap_or_else(|| match correcting.get() {
            Some(r) => Fields::of(&r),
            None => Fields::new(
                today,
                ctx.session
                    .get_untracked()
                    .map(|s| s.user.name.clone())
                    .unwrap_or_default(),
            ),
        })
    };
    let suggested = Memo::new(move |_| fields().suggested(&policy));

    let on_input = move |ev: leptos::ev::Event| {
        let Some(form) = event_form(&ev) else {
            return;
        };
        let picked_now = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|el| el.get_attribute("name"))
            .is_some_and(|n| n == "level");
        // A correction that chose another level than suggested keeps its choice.
        let kept = typed.get_untracked().is_none()
            && correcting
                .get_untracked()
                .is_some_and(|r| r.chosen_level != r.suggested_level);
        if picked_now || kept {
            level_picked.set(true);
        }
        let Some(mut read) = Fields::read(&form) else {
            return;
        };
        if !level_picked.get_untracked() {
            // Keep the suggested level chosen until the user picks one.
            let code = read.suggested(&policy).code();
            read.level = code.to_string();
            if let Ok(Some(radio)) =
                form.query_selector(&format!("input[name=level][value={code}]"))
                && let Ok(radio) = radio.dyn_into::<web_sys::HtmlInputElement>()
            {
                radio.set_checked(true);
            }
        }
        typed.set(Some(read));
    };

    let save = move || {
        let t = ctx.texts();
        let (Some(session), Some(citizen)) =
            (ctx.session.get_untracked(), citizen_id.get_untracked())
        else {
            return;
        };
        let Some(id) = random_uuid() else {
            error.set(Some(crate::store::StoreError::Unavailable.to_string()));
            return;
        };
        let base = empty_registration(
            id,
            citizen,
            today,
            Some(session.user.id),
            session.user.name.clone(),
        );
        let base = LonelinessRegistration {
            corrects: correcting.get_untracked().map(|r| r.id),
            ..base
        };
        let registration = registration_from(&untrack(fields), &policy, base);
        if let Err(e) = registration.validate() {
            error.set(Some(message(t, &e)));
            return;
        }
        report_save(
            ctx,
            save_record(ctx, Record::Loneliness(registration)),
            citizen,
            navigate.clone(),
            error,
        );
    };

    move || {
        let (cid, name) = match citizen_form_target(ctx, citizen_id) {
            Ok(target) => target,
            Err(page) => return page,
        };
        let t = ctx.t();
        let lang = ctx.lang.get();
        let correction = correcting.get().is_some();
        let (html, level_html) = untrack(|| steps_html(lang, t, &fields(), suggested.get()));
        let save = save.clone();
        let form_class = move || {
            let f = fields();
            let mut class = format!("card loneliness-form step-{}", step.get());
            if f.signs.iter().any(|c| c == "other") {
                class.push_str(" has-other");
            }
            if !f.level.is_empty() && f.level != suggested.get().code() {
                class.push_str(" level-differs");
            }
            class
        };
        view! {
            <a href=format!("/borger/{cid}") class="back">{format!("‹ {}", t.back)}</a>
            <form class=form_class on:input=on_input on:submit=|ev| ev.prevent_default()>
                <h1>{format!("{} · {}", if correction { t.correct_registration } else { t.register_loneliness }, name)}</h1>
                <p class="step" data-testid="step">{move || t.step_of.replace("{n}", &step.get().to_string())}</p>
                <div inner_html=html></div>
                <p class="score lstep lstep-1" data-testid="ucla-total">
                    {move || fields().ucla().map(|u| format!("{}: {} / 9", t.score, u.total()))}
                </p>
                <p class="suggestion lstep lstep-3">
                    {t.suggested}": "
                    <span class=move || format!("level level-{}", suggested.get().code())
                        data-testid="suggested-level" data-level=move || suggested.get().code()>
                        {move || level_label(lang, suggested.get())}
                    </span>
                </p>
                <div inner_html=level_html></div>
                <ErrorLine error=error/>
                <div class="row">
                    {move || (step.get() > 1).then(|| view! {
                        <button type="button" class="secondary big" on:click=move |_| step.update(|s| *s -= 1)>{t.previous}</button>
                    })}
                    {move || {
                        let save = save.clone();
                        if step.get() < 3 {
                            view! { <button type="button" class="big" on:click=move |_| step.update(|s| *s += 1)>{t.next}</button> }.into_any()
                        } else {
                            view! { <button type="button" class="big" on:click=move |_| save()>{t.save}</button> }.into_any()
                        }
                    }}
                </div>
            </form>
        }
        .into_any()
    }
}

#[cfg(test)]
#[path = "loneliness_form_tests.rs"]
mod tests;
