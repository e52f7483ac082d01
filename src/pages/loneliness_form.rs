//! "Registrér ensomhedstegn": three short steps that follow the pejlemærker:
//! 1 signs and UCLA-3, 2 wishes and barriers, 3 next step and level. Works
//! offline; saved to the device first. All three steps stay in the page (CSS
//! shows the current one), so nothing typed is lost going back and forth.

use chrono::{NaiveDate, Utc};
use leptos::prelude::*;
use leptos_router::hooks::{use_navigate, use_query_map};
use naervaer_domain::ValidationError;
use naervaer_domain::loneliness::{
    Barrier, Level, LonelinessPolicy, LonelinessRegistration, NextStep, NextStepKind, Sign, Ucla3,
    Wish, suggest_level,
};
use naervaer_domain::protocol::Record;
use naervaer_domain::time::copenhagen_date;
use naervaer_domain::wire_time::{format_date, parse_date};

use crate::actions::save::{fresh_id, report_save, save_record};
use crate::components::bind::ErrorLine;
use crate::components::choice::{Checks, Item, Radios};
use crate::components::field::{TextArea, TextField};
use crate::context::{Ctx, tr, use_ctx};
use crate::i18n::{Locale, code_label, td_string};
use crate::notice::Notice;
use crate::pages::citizen::{form_target, route_citizen_id};

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

/// Why a registration cannot be saved, for the user.
fn problem(e: ValidationError) -> Notice {
    match e {
        ValidationError::ScoreOutOfRange => Notice::Text(|l| td_string!(l, invalid_score)),
        ValidationError::FollowUpBeforeObservation => {
            Notice::Text(|l| td_string!(l, invalid_follow_up))
        }
        ValidationError::Empty("override_reason") => {
            Notice::Text(|l| td_string!(l, invalid_reason))
        }
        ValidationError::TooLong { .. } => Notice::Text(|l| td_string!(l, invalid_text)),
        other => Notice::worded(move |_| other.to_string()),
    }
}

/// The registration the fields make on `base`, or why it cannot be saved.
pub fn checked_registration(
    f: &Fields,
    policy: &LonelinessPolicy,
    base: LonelinessRegistration,
) -> Result<LonelinessRegistration, Notice> {
    let registration = registration_from(f, policy, base);
    registration.validate().map_err(problem)?;
    Ok(registration)
}

/// A code list as (code, label) choices.
fn labelled<'a>(
    lang: Locale,
    items: impl Iterator<Item = (&'static str, &'a str, &'a str)>,
) -> Vec<Item> {
    items
        .map(|(code, da, en)| (code, code_label(lang, da, en).to_owned()))
        .collect()
}

fn level_label(lang: Locale, level: Level) -> String {
    code_label(lang, level.label_da(), level.label_en()).to_owned()
}

/// The form's state: one signal per field.
#[derive(Clone, Copy)]
struct Form {
    observed: RwSignal<String>,
    signs: RwSignal<Vec<String>>,
    other_sign: RwSignal<String>,
    ucla: [RwSignal<String>; 3],
    wishes: RwSignal<Vec<String>>,
    barriers: RwSignal<Vec<String>>,
    own_words: RwSignal<String>,
    next_kind: RwSignal<String>,
    responsible: RwSignal<String>,
    follow_up: RwSignal<String>,
    level: RwSignal<String>,
    reason: RwSignal<String>,
}

impl Form {
    /// A form filled with `f`.
    fn new(f: Fields) -> Form {
        let [u0, u1, u2] = f.ucla;
        Form {
            observed: RwSignal::new(f.observed),
            signs: RwSignal::new(f.signs),
            other_sign: RwSignal::new(f.other_sign),
            ucla: [RwSignal::new(u0), RwSignal::new(u1), RwSignal::new(u2)],
            wishes: RwSignal::new(f.wishes),
            barriers: RwSignal::new(f.barriers),
            own_words: RwSignal::new(f.own_words),
            next_kind: RwSignal::new(f.next_kind),
            responsible: RwSignal::new(f.responsible),
            follow_up: RwSignal::new(f.follow_up),
            level: RwSignal::new(f.level),
            reason: RwSignal::new(f.reason),
        }
    }

    /// The fields as typed (tracked).
    fn fields(&self) -> Fields {
        Fields {
            observed: self.observed.get(),
            signs: self.signs.get(),
            other_sign: self.other_sign.get(),
            ucla: self.ucla.map(|u| u.get()),
            wishes: self.wishes.get(),
            barriers: self.barriers.get(),
            own_words: self.own_words.get(),
            next_kind: self.next_kind.get(),
            responsible: self.responsible.get(),
            follow_up: self.follow_up.get(),
            level: self.level.get(),
            reason: self.reason.get(),
        }
    }
}

/// Step 1: when, the signs seen, and the UCLA-3 questions.
#[component]
fn SignsStep(form: Form) -> impl IntoView {
    let ctx = use_ctx();
    move || {
        let lang = ctx.lang.get();
        let signs = labelled(
            lang,
            Sign::ALL
                .iter()
                .map(|s| (s.code(), s.label_da(), s.label_en())),
        );
        let questions = [
            td_string!(lang, ucla_q.missing_company),
            td_string!(lang, ucla_q.left_out),
            td_string!(lang, ucla_q.isolated),
        ];
        let names = ["ucla-0", "ucla-1", "ucla-2"];
        let ucla = questions
            .into_iter()
            .zip(names)
            .zip(form.ucla)
            .map(|((question, name), answer)| {
                let answers = vec![
                    ("1", format!("{} (1)", td_string!(lang, ucla_rarely))),
                    ("2", format!("{} (2)", td_string!(lang, ucla_sometimes))),
                    ("3", format!("{} (3)", td_string!(lang, ucla_often))),
                ];
                view! {
                    <fieldset class="question">
                        <legend>{question}</legend>
                        <Radios name=name items=answers chosen=answer/>
                    </fieldset>
                }
            })
            .collect_view();
        view! {
            <div class="lstep lstep-1">
                <h2>{td_string!(lang, step1_title)}</h2>
                <TextField label=td_string!(lang, observed_on).to_owned() name="observed_on" kind="date" value=form.observed/>
                <h3>{td_string!(lang, signs_seen)}</h3>
                <Checks name="signs" items=signs chosen=form.signs/>
                <TextField label=td_string!(lang, other_describe).to_owned() name="other_sign" class="f-other" value=form.other_sign/>
                <h3>"UCLA-3"</h3>
                <p class="hint">{td_string!(lang, ucla_intro)}</p>
                {ucla}
            </div>
        }
    }
}

/// Step 2: what the citizen would like, what stands in the way, in her words.
#[component]
fn WishesStep(form: Form) -> impl IntoView {
    let ctx = use_ctx();
    move || {
        let lang = ctx.lang.get();
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
        view! {
            <div class="lstep lstep-2">
                <h2>{td_string!(lang, step2_title)}</h2>
                <h3>{td_string!(lang, wishes)}</h3>
                <Checks name="wishes" items=wishes chosen=form.wishes/>
                <h3>{td_string!(lang, barriers)}</h3>
                <Checks name="barriers" items=barriers chosen=form.barriers/>
                <TextArea label=td_string!(lang, own_words).to_owned() name="own_words" rows=3 value=form.own_words/>
            </div>
        }
    }
}

/// Step 3: the next step, who follows up and when.
#[component]
fn NextStepStep(form: Form) -> impl IntoView {
    let ctx = use_ctx();
    move || {
        let lang = ctx.lang.get();
        let next = labelled(
            lang,
            NextStepKind::ALL
                .iter()
                .map(|s| (s.code(), s.label_da(), s.label_en())),
        );
        view! {
            <div class="lstep lstep-3">
                <h2>{td_string!(lang, step3_title)}</h2>
                <h3>{td_string!(lang, next_step)}</h3>
                <Radios name="next_step" items=next chosen=form.next_kind/>
                <TextField label=td_string!(lang, responsible).to_owned() name="responsible" value=form.responsible/>
                <TextField label=td_string!(lang, follow_up_on).to_owned() name="follow_up_on" kind="date" value=form.follow_up/>
            </div>
        }
    }
}

/// The level chosen (the suggestion until the user picks one), and why it
/// differs.
#[component]
fn LevelChoice(form: Form, picked: RwSignal<bool>) -> impl IntoView {
    let ctx = use_ctx();
    move || {
        let lang = ctx.lang.get();
        let levels = [Level::Green, Level::Yellow, Level::Red]
            .into_iter()
            .map(|l| (l.code(), level_label(lang, l)))
            .collect::<Vec<_>>();
        view! {
            <div class="lstep lstep-3" on:change=move |_| picked.set(true)>
                <fieldset class="question">
                    <legend>{td_string!(lang, chosen_level)}</legend>
                    <Radios name="level" items=levels chosen=form.level/>
                </fieldset>
                <TextArea label=td_string!(lang, reason).to_owned() name="reason" rows=2 class="f-level-reason" value=form.reason/>
            </div>
        }
    }
}

/// The UCLA-3 points (step 1) and the municipality's suggested level
/// (step 3), as the user answers.
#[component]
fn Summary(form: Form, suggested: Memo<Level>) -> impl IntoView {
    let lang = use_ctx().lang;
    view! {
        <p class="score lstep lstep-1" data-testid="ucla-total">
            {move || form.fields().ucla().map(|u| format!("{}: {} / 9", td_string!(lang.get(), score), u.total()))}
        </p>
        <p class="suggestion lstep lstep-3">
            {tr(|l| td_string!(l, suggested))}": "
            <span class=move || format!("level level-{}", suggested.get().code())
                data-testid="suggested-level" data-level=move || suggested.get().code()>
                {move || level_label(lang.get(), suggested.get())}
            </span>
        </p>
    }
}

/// "Forrige", and "Næste" or (at the last step) "Gem".
#[component]
fn StepButtons(
    step: RwSignal<u8>,
    save: impl Fn() + Clone + Send + Sync + 'static,
) -> impl IntoView {
    view! {
        <div class="row">
            {move || (step.get() > 1).then(|| view! {
                <button type="button" class="secondary big" on:click=move |_| step.update(|s| *s -= 1)>{tr(|l| td_string!(l, previous))}</button>
            })}
            {move || {
                let save = save.clone();
                if step.get() < 3 {
                    view! { <button type="button" class="big" on:click=move |_| step.update(|s| *s += 1)>{tr(|l| td_string!(l, next))}</button> }.into_any()
                } else {
                    view! { <button type="button" class="big" on:click=move |_| save()>{tr(|l| td_string!(l, save))}</button> }.into_any()
                }
            }}
        </div>
    }
}

/// The registration a correction starts from (`?retter=<id>`), if any.
fn correcting_from_route(ctx: Ctx) -> Option<LonelinessRegistration> {
    use_query_map()
        .with_untracked(|q| q.get("retter"))
        .and_then(|s| uuid::Uuid::parse_str(&s).ok())
        .and_then(|id| {
            ctx.data.with_untracked(|d| {
                d.all_registrations()
                    .into_iter()
                    .map(|(r, _)| r)
                    .find(|r| r.id == id)
            })
        })
}

/// The form's class: its step (CSS shows that step's fields), whether
/// "other" is among the signs, and whether the level chosen differs from
/// the suggestion (a reason is then asked for).
fn form_class(step: u8, form: Form, suggested: Level) -> String {
    let mut class = format!("card loneliness-form step-{step}");
    if form.signs.with(|s| s.iter().any(|c| c == "other")) {
        class.push_str(" has-other");
    }
    if form.level.with(|l| !l.is_empty() && l != suggested.code()) {
        class.push_str(" level-differs");
    }
    class
}

/// The form's first values: the registration being corrected, or an empty
/// one observed today by the logged-in user.
fn initial_form(ctx: Ctx, correcting: Option<&LonelinessRegistration>, today: NaiveDate) -> Form {
    Form::new(match correcting {
        Some(r) => Fields::of(r),
        None => Fields::new(
            today,
            ctx.session
                .with_untracked(|s| s.as_ref().map(|s| s.user.name.clone()))
                .unwrap_or_default(),
        ),
    })
}

/// The level follows the policy's suggestion until the user picks one
/// (a correction that chose another level than suggested keeps its choice).
/// Returns whether a level was picked, and the suggestion.
fn follow_suggestion(
    form: Form,
    policy: LonelinessPolicy,
    correcting: Option<&LonelinessRegistration>,
) -> (RwSignal<bool>, Memo<Level>) {
    let picked = RwSignal::new(correcting.is_some_and(|r| r.chosen_level != r.suggested_level));
    let suggested = Memo::new(move |_| form.fields().suggested(&policy));
    Effect::new(move |_| {
        let code = suggested.get().code();
        if !picked.get() {
            form.level.set(code.to_string());
        }
    });
    (picked, suggested)
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
    let error = RwSignal::new(None::<Notice>);

    let correcting = correcting_from_route(ctx);
    let form = initial_form(ctx, correcting.as_ref(), today);
    let (picked, suggested) = follow_suggestion(form, policy, correcting.as_ref());
    let corrects = correcting.as_ref().map(|r| r.id);

    let save = move || {
        let (Some(session), Some(citizen)) =
            (ctx.session.get_untracked(), citizen_id.get_untracked())
        else {
            return;
        };
        let Some(id) = fresh_id(error) else {
            return;
        };
        let base = empty_registration(
            id,
            citizen,
            today,
            Some(session.user.id),
            session.user.name.clone(),
        );
        let base = LonelinessRegistration { corrects, ..base };
        match checked_registration(&untrack(|| form.fields()), &policy, base) {
            Ok(registration) => {
                let save = save_record(ctx, Record::Loneliness(registration));
                report_save(ctx, save, citizen, navigate.clone(), error);
            }
            Err(why) => error.set(Some(why)),
        }
    };

    let form_class = move || form_class(step.get(), form, suggested.get());
    let target = form_target(ctx, citizen_id);
    move || {
        let (cid, name) = match target.get().page() {
            Ok(target) => target,
            Err(page) => return page,
        };
        let lang = ctx.lang.get();
        let title = if corrects.is_some() {
            td_string!(lang, correct_registration)
        } else {
            td_string!(lang, register_loneliness)
        };
        let save = save.clone();
        view! {
            <a href=format!("/borger/{cid}") class="back">{format!("‹ {}", td_string!(lang, back))}</a>
            <form class=form_class on:submit=|ev| ev.prevent_default()>
                <h1>{format!("{title} · {name}")}</h1>
                <p class="step" data-testid="step">{move || td_string!(lang, step_of, n = step.get())}</p>
                <SignsStep form=form/>
                <WishesStep form=form/>
                <NextStepStep form=form/>
                <Summary form suggested/>
                <LevelChoice form=form picked=picked/>
                <ErrorLine error=error/>
                <StepButtons step save=save.clone()/>
            </form>
        }
        .into_any()
    }
}

#[cfg(test)]
#[path = "loneliness_form_tests.rs"]
mod tests;
