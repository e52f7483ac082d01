//! "Registrér ensomhedstegn": three short steps that follow the pejlemærker:
//! 1 signs and UCLA-3, 2 wishes and barriers, 3 next step and level. Works
//! offline; saved to the device first.

use chrono::{NaiveDate, Utc};
use leptos::prelude::*;

use crate::components::bind::{ErrorLine, shown, store};
use leptos_router::hooks::{use_navigate, use_query_map};
use naervaer_domain::ValidationError;
use naervaer_domain::loneliness::{
    Barrier, Level, LonelinessRegistration, NextStep, NextStepKind, Sign, UCLA3_ITEMS_DA, Ucla3,
    Wish, suggest_level,
};
use naervaer_domain::sync::Record;
use naervaer_domain::time::copenhagen_date;
use naervaer_domain::wire_time::parse_date;

use crate::actions::{report_save, save_record};
use crate::app::use_ctx;
use crate::components::choices::{CheckList, RadioRow};
use crate::i18n::{Lang, Texts, pick};
use crate::pages::citizen::citizen_form_target;
use crate::pages::citizen::route_citizen_id;
use crate::sync::random_uuid;

const UCLA3_ITEMS_EN: [&str; 3] = [
    "How often do you feel that you lack companionship?",
    "How often do you feel left out?",
    "How often do you feel isolated from others?",
];

fn labelled<T>(
    lang: Lang,
    items: &[T],
    code: fn(&T) -> &str,
    da: fn(&T) -> &str,
    en: fn(&T) -> &str,
) -> Vec<(String, String)> {
    items
        .iter()
        .map(|i| (code(i).to_string(), pick(lang, da(i), en(i))))
        .collect()
}

fn level_label(lang: Lang, level: Level) -> String {
    pick(lang, level.label_da(), level.label_en())
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

fn optional_text(s: String) -> Option<String> {
    let trimmed = s.trim();
    (!trimmed.is_empty()).then(|| trimmed.to_string())
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
    let observed = RwSignal::new(today.to_string());
    let signs = RwSignal::new(Vec::<String>::new());
    let other_sign = RwSignal::new(String::new());
    let answers: [RwSignal<Option<String>>; 3] = [
        RwSignal::new(None),
        RwSignal::new(None),
        RwSignal::new(None),
    ];
    let wishes = RwSignal::new(Vec::<String>::new());
    let barriers = RwSignal::new(Vec::<String>::new());
    let own_words = RwSignal::new(String::new());
    let next_kind = RwSignal::new(None::<String>);
    let responsible = RwSignal::new(
        ctx.session
            .get_untracked()
            .map(|s| s.user.name.clone())
            .unwrap_or_default(),
    );
    let follow_up = RwSignal::new(String::new());
    let chosen = RwSignal::new(None::<String>);
    let reason = RwSignal::new(String::new());
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
    Effect::new(move |_| {
        let Some(r) = correcting.get() else { return };
        observed.set(r.observed_on.to_string());
        signs.set(r.signs.iter().map(|c| c.code().to_string()).collect());
        other_sign.set(r.other_sign.clone().unwrap_or_default());
        let u = r.ucla;
        answers[0].set(u.map(|u| u.missing_company.to_string()));
        answers[1].set(u.map(|u| u.left_out.to_string()));
        answers[2].set(u.map(|u| u.isolated.to_string()));
        wishes.set(r.wishes.iter().map(|c| c.code().to_string()).collect());
        barriers.set(r.barriers.iter().map(|c| c.code().to_string()).collect());
        own_words.set(r.own_words.clone());
        if let Some(step) = &r.next_step {
            next_kind.set(Some(step.kind.code().to_string()));
            responsible.set(step.responsible.clone());
            follow_up.set(step.follow_up_on.map(|d| d.to_string()).unwrap_or_default());
        }
        if r.chosen_level != r.suggested_level {
            chosen.set(Some(r.chosen_level.code().to_string()));
            reason.set(r.override_reason.clone().unwrap_or_default());
        }
    });

    let ucla = move || -> Option<Ucla3> {
        let answer = |i: usize| answers[i].get().and_then(|a| a.parse::<u8>().ok());
        Some(Ucla3 {
            missing_company: answer(0)?,
            left_out: answer(1)?,
            isolated: answer(2)?,
        })
    };
    let sign_values = move || signs.get().into_iter().map(Sign::from).collect::<Vec<_>>();
    let suggested = Memo::new(move |_| suggest_level(&sign_values(), ucla().as_ref(), &policy));
    let chosen_level = move || chosen.get().and_then(|c| Level::parse(&c));
    let level = move || chosen_level().unwrap_or_else(|| suggested.get());

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
        let observed_on: NaiveDate = parse_date(&observed.get_untracked()).unwrap_or(today);
        let follow_up_on = parse_date(&follow_up.get_untracked());
        let next_step = next_kind.get_untracked().map(|kind| NextStep {
            kind: NextStepKind::from(kind),
            other_text: None,
            responsible: responsible.get_untracked(),
            follow_up_on,
        });
        let suggested_level = suggested.get_untracked();
        let chosen_level = chosen
            .get_untracked()
            .and_then(|c| Level::parse(&c))
            .unwrap_or(suggested_level);
        let registration = LonelinessRegistration {
            id,
            corrects: correcting.get_untracked().map(|r| r.id),
            citizen_id: citizen,
            observed_on,
            signs: signs.get_untracked().into_iter().map(Sign::from).collect(),
            other_sign: optional_text(other_sign.get_untracked()),
            ucla: ucla(),
            own_words: own_words.get_untracked(),
            wishes: wishes.get_untracked().into_iter().map(Wish::from).collect(),
            other_wish: None,
            barriers: barriers
                .get_untracked()
                .into_iter()
                .map(Barrier::from)
                .collect(),
            other_barrier: None,
            next_step,
            suggested_level,
            chosen_level,
            override_reason: optional_text(reason.get_untracked()),
            author_id: Some(session.user.id),
            author_name: session.user.name.clone(),
            recorded_at: Utc::now(),
        };
        if let Err(e) = registration.validate() {
            error.set(Some(message(t, &e)));
            return;
        }
        report_save(
            ctx,
            save_record(ctx, Record::Loneliness(registration)),
            citizen,
            &navigate,
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
        let save = save.clone();
        let step_view = match step.get() {
            1 => {
                let items_da = UCLA3_ITEMS_DA;
                view! {
                    <h2>{t.step1_title}</h2>
                    <label>{t.observed_on}
                        <input type="date" name="observed_on" prop:value=shown(observed)
                            on:input=store(observed)/>
                    </label>
                    <h3>{t.signs_seen}</h3>
                    <CheckList name="signs" selected=signs
                        items=labelled(lang, Sign::ALL, Sign::code, Sign::label_da, Sign::label_en)/>
                    {move || signs.with(|s| s.iter().any(|c| c == "other")).then(|| view! {
                        <label>{t.other_describe}
                            <input name="other_sign" prop:value=shown(other_sign)
                                on:input=store(other_sign)/>
                        </label>
                    })}
                    <h3>"UCLA-3"</h3>
                    <p class="hint">{t.ucla_intro}</p>
                    {(0..3).map(|i| view! {
                        <fieldset class="question">
                            <legend>{pick(lang, items_da[i], UCLA3_ITEMS_EN[i])}</legend>
                            <RadioRow name=format!("ucla-{i}") selected=answers[i]
                                items=vec![("1".to_string(), format!("{} (1)", t.ucla_rarely)),
                                           ("2".to_string(), format!("{} (2)", t.ucla_sometimes)),
                                           ("3".to_string(), format!("{} (3)", t.ucla_often))]/>
                        </fieldset>
                    }).collect_view()}
                    {move || ucla().map(|u| view! {
                        <p class="score" data-testid="ucla-total">{format!("{}: {} / 9", t.score, u.total())}</p>
                    })}
                }.into_any()
            }
            2 => view! {
                <h2>{t.step2_title}</h2>
                <h3>{t.wishes}</h3>
                <CheckList name="wishes" selected=wishes
                    items=labelled(lang, Wish::ALL, Wish::code, Wish::label_da, Wish::label_en)/>
                <h3>{t.barriers}</h3>
                <CheckList name="barriers" selected=barriers
                    items=labelled(lang, Barrier::ALL, Barrier::code, Barrier::label_da, Barrier::label_en)/>
                <label>{t.own_words}
                    <textarea name="own_words" rows="3" prop:value=shown(own_words)
                        on:input=store(own_words)></textarea>
                </label>
            }.into_any(),
            _ => view! {
                <h2>{t.step3_title}</h2>
                <h3>{t.next_step}</h3>
                <RadioRow name="next_step".to_string() selected=next_kind
                    items=labelled(lang, NextStepKind::ALL, NextStepKind::code, NextStepKind::label_da, NextStepKind::label_en)/>
                <label>{t.responsible}
                    <input name="responsible" prop:value=shown(responsible)
                        on:input=store(responsible)/>
                </label>
                <label>{t.follow_up_on}
                    <input type="date" name="follow_up_on" prop:value=shown(follow_up)
                        on:input=store(follow_up)/>
                </label>
                <p class="suggestion">
                    {t.suggested}": "
                    <span class=move || format!("level level-{}", suggested.get().code())
                        data-testid="suggested-level" data-level=move || suggested.get().code()>
                        {move || level_label(lang, suggested.get())}
                    </span>
                </p>
                <fieldset class="question">
                    <legend>{t.chosen_level}</legend>
                    <RadioRow name="level".to_string() selected=chosen
                        default=Signal::derive(move || suggested.get().code().to_string())
                        items={[Level::Green, Level::Yellow, Level::Red].into_iter()
                            .map(|l| (l.code().to_string(), level_label(lang, l))).collect::<Vec<_>>()}/>
                </fieldset>
                {move || (level() != suggested.get()).then(|| view! {
                    <label>{t.reason}
                        <textarea name="reason" rows="2" prop:value=shown(reason)
                            on:input=store(reason)></textarea>
                    </label>
                })}
            }.into_any(),
        };
        let current = step.get();
        view! {
            <a href=format!("/borger/{cid}") class="back">{format!("‹ {}", t.back)}</a>
            <div class="card loneliness-form">
                <h1>{format!("{} · {}", if correcting.get().is_some() { t.correct_registration } else { t.register_loneliness }, name)}</h1>
                <p class="step" data-testid="step">{t.step_of.replace("{n}", &current.to_string())}</p>
                {step_view}
                <ErrorLine error=error/>
                <div class="row">
                    {(current > 1).then(|| view! {
                        <button type="button" class="secondary big" on:click=move |_| step.update(|s| *s -= 1)>{t.previous}</button>
                    })}
                    {if current < 3 {
                        view! { <button type="button" class="big" on:click=move |_| step.update(|s| *s += 1)>{t.next}</button> }.into_any()
                    } else {
                        let save = save.clone();
                        view! { <button type="button" class="big" on:click=move |_| save()>{t.save}</button> }.into_any()
                    }}
                </div>
            </div>
        }
        .into_any()
    }
}
