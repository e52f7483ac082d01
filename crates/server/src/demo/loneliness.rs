//! Demo loneliness registrations: a few months of history, so the overview
//! and the score charts show something on first start. Levels come from the
//! domain rule under the default policy.

use chrono::{Duration, NaiveDate, NaiveTime, Utc};
use naervaer_domain::Citizen;
use naervaer_domain::loneliness::{
    Barrier, Level, LonelinessPolicy, LonelinessRegistration, NextStep, NextStepKind, Sign, Ucla3,
    Wish, suggest_level,
};
use naervaer_domain::time::{copenhagen_date, from_copenhagen};
use uuid::Uuid;

use crate::store::{Store, StoreError};

/// One demo registration, by days before today.
struct Demo {
    citizen: &'static str,
    days_ago: i64,
    author: &'static str,
    signs: &'static [Sign],
    ucla: Option<(u8, u8, u8)>,
    words: &'static str,
    wishes: &'static [Wish],
    barriers: &'static [Barrier],
    /// (kind, responsible, follow-up in days from today)
    next: Option<(NextStepKind, &'static str, i64)>,
    /// A level chosen over the suggestion, with why.
    chosen: Option<(Level, &'static str)>,
}

fn demos() -> Vec<Demo> {
    use Barrier as B;
    use Sign as S;
    use Wish as W;
    vec![
        Demo {
            citizen: "Poul Erik Hansen",
            days_ago: 80,
            author: "Anna Holm",
            signs: &[S::FewVisitors],
            ucla: Some((2, 1, 2)),
            words: "Det går nok.",
            wishes: &[W::Games],
            barriers: &[B::Transport],
            next: None,
            chosen: None,
        },
        Demo {
            citizen: "Poul Erik Hansen",
            days_ago: 45,
            author: "Bo Mikkelsen",
            signs: &[S::FewVisitors, S::DeclinesInvitations],
            ucla: Some((3, 2, 2)),
            words: "Jeg ser ikke rigtig nogen, siden Grethe døde.",
            wishes: &[W::Games, W::EatingTogether],
            barriers: &[B::Transport, B::NotAlone],
            next: Some((NextStepKind::VisitingFriend, "Bo Mikkelsen", -38)),
            chosen: None,
        },
        Demo {
            citizen: "Poul Erik Hansen",
            days_ago: 6,
            author: "Anna Holm",
            signs: &[
                S::FewVisitors,
                S::DeclinesInvitations,
                S::Withdrawn,
                S::ChangedEatingOrSleep,
            ],
            ucla: Some((3, 2, 3)),
            words: "Dagene er lange. Der sker ingenting.",
            wishes: &[W::EatingTogether],
            barriers: &[B::Transport, B::NotAlone, B::EveningsWeekends],
            next: Some((NextStepKind::CompanionActivity, "Anna Holm", -2)),
            chosen: None,
        },
        Demo {
            citizen: "Gudrun Pedersen",
            days_ago: 60,
            author: "Bo Mikkelsen",
            signs: &[],
            ucla: Some((1, 1, 2)),
            words: "Min datter kommer hver søndag.",
            wishes: &[W::Creative],
            barriers: &[],
            next: None,
            chosen: None,
        },
        Demo {
            citizen: "Gudrun Pedersen",
            days_ago: 2,
            author: "Anna Holm",
            signs: &[S::SaysLonely],
            ucla: Some((2, 2, 1)),
            words: "Weekenderne er værst.",
            wishes: &[W::Church, W::Outings],
            barriers: &[B::Mobility, B::EveningsWeekends],
            next: Some((NextStepKind::Volunteer, "Dorte Vestergaard", 1)),
            chosen: None,
        },
        Demo {
            citizen: "Inger Nielsen",
            days_ago: 20,
            author: "Anna Holm",
            signs: &[],
            ucla: Some((1, 1, 1)),
            words: "Jeg har travlt med haven og barnebørnene.",
            wishes: &[],
            barriers: &[],
            next: None,
            chosen: None,
        },
        Demo {
            citizen: "Kaj Andersen",
            days_ago: 120,
            author: "Bo Mikkelsen",
            signs: &[S::RecentlyMoved],
            ucla: Some((2, 2, 2)),
            words: "Jeg kender ingen her i opgangen.",
            wishes: &[W::Exercise],
            barriers: &[B::HearingOrSight],
            next: Some((NextStepKind::PreventiveTeam, "Bo Mikkelsen", -110)),
            chosen: None,
        },
        Demo {
            citizen: "Else Marie Jensen",
            days_ago: 30,
            author: "Anna Holm",
            signs: &[S::Withdrawn],
            ucla: Some((2, 1, 1)),
            words: "Jeg vil gerne med til spisecaféen, hvis nogen går med.",
            wishes: &[W::EatingTogether],
            barriers: &[B::NotAlone],
            next: Some((NextStepKind::CompanionActivity, "Anna Holm", -20)),
            chosen: Some((Level::Yellow, "Har grædt ved de sidste to besøg.")),
        },
        Demo {
            citizen: "Bent Sørensen",
            days_ago: 10,
            author: "Carl Friis",
            signs: &[
                S::RecentLoss,
                S::NeglectedSelfCare,
                S::Withdrawn,
                S::KeepsDistance,
            ],
            ucla: Some((3, 3, 2)),
            words: "Hvad skal jeg her uden Ruth?",
            wishes: &[W::Conversation],
            barriers: &[B::NotAlone],
            next: Some((NextStepKind::ContactPerson, "Carl Friis", -1)),
            chosen: None,
        },
        Demo {
            citizen: "Lis Rasmussen",
            days_ago: 40,
            author: "Carl Friis",
            signs: &[],
            ucla: Some((1, 2, 1)),
            words: "Jeg går til gymnastik om tirsdagen.",
            wishes: &[W::Exercise],
            barriers: &[],
            next: None,
            chosen: None,
        },
        Demo {
            citizen: "Henning Jørgensen",
            days_ago: 95,
            author: "Carl Friis",
            signs: &[S::CaringForSpouse],
            ucla: None,
            words: "Jeg kan ikke gå fra Inge.",
            wishes: &[],
            barriers: &[B::NeedsCare],
            next: None,
            chosen: None,
        },
    ]
}

/// Seeds the demo registrations for the seeded citizens.
pub async fn seed<S: Store>(store: &S, citizens: &[Citizen]) -> Result<(), StoreError> {
    let policy = LonelinessPolicy::default();
    let today = copenhagen_date(Utc::now());
    for demo in demos() {
        let Some(citizen) = citizens.iter().find(|c| c.name == demo.citizen) else {
            continue;
        };
        let observed_on: NaiveDate = today - Duration::days(demo.days_ago);
        let ucla = demo.ucla.map(|(a, b, c)| Ucla3 {
            missing_company: a,
            left_out: b,
            isolated: c,
        });
        let suggested = suggest_level(demo.signs, ucla.as_ref(), &policy);
        let (chosen, reason) = match demo.chosen {
            Some((level, why)) => (level, Some(why.to_string())),
            None => (suggested, None),
        };
        let time = NaiveTime::from_hms_opt(10, 15, 0).unwrap_or_default();
        crate::rules::insert_registration(
            store,
            &LonelinessRegistration {
                id: Uuid::new_v4(),
                corrects: None,
                citizen_id: citizen.id,
                observed_on,
                signs: demo.signs.to_vec(),
                other_sign: None,
                ucla,
                own_words: demo.words.into(),
                wishes: demo.wishes.to_vec(),
                other_wish: None,
                barriers: demo.barriers.to_vec(),
                other_barrier: None,
                next_step: demo.next.map(|(kind, responsible, days)| NextStep {
                    kind,
                    other_text: None,
                    responsible: responsible.into(),
                    follow_up_on: Some(today + Duration::days(days)),
                }),
                suggested_level: suggested,
                chosen_level: chosen,
                override_reason: reason,
                author_id: None,
                author_name: demo.author.into(),
                recorded_at: from_copenhagen(observed_on.and_time(time)),
            },
        )
        .await?;
    }
    Ok(())
}
