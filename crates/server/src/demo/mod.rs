//! Demo data: a fictional municipality with teams Nord and Syd, a dozen
//! citizens, a week of planned visits, and five accounts (password `demo`);
//! clip cards, activities and loneliness registrations in the submodules,
//! and the municipality-scale demo in [`scale`].

pub mod activities;
pub mod clips;
pub mod loneliness;
pub mod scale;

use chrono::{Duration, NaiveTime, Utc};
use naervaer_domain::time::{copenhagen_date, from_copenhagen};
use naervaer_domain::{Citizen, PlannedVisit, Role, User};
use thiserror::Error;
use uuid::Uuid;

use crate::auth::{HashError, hash_password};
use crate::store::{Credentials, Store, StoreError};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "demo";

/// Seeding failed.
#[derive(Debug, Error)]
pub enum DemoError {
    /// The store refused.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A password could not be hashed.
    #[error(transparent)]
    Hash(#[from] HashError),
}

const NORD: &str = "Nord";
const SYD: &str = "Syd";

/// (name, address, team)
const CITIZENS: [(&str, &str, &str); 12] = [
    ("Else Marie Jensen", "Birkevej 12, 4600 Køge", NORD),
    ("Poul Erik Hansen", "Skovbrynet 4, 1. th., 4600 Køge", NORD),
    ("Inger Nielsen", "Møllegade 7, 4600 Køge", NORD),
    ("Kaj Andersen", "Engtoften 21, 4600 Køge", NORD),
    ("Gudrun Pedersen", "Ahornvej 3, 4623 Lille Skensved", NORD),
    ("Svend Aage Christensen", "Kirkestræde 9, 4600 Køge", NORD),
    ("Ruth Larsen", "Havrevænget 15, 4623 Lille Skensved", NORD),
    ("Bent Sørensen", "Strandvejen 88, 4683 Rønnede", SYD),
    ("Lis Rasmussen", "Fasanvej 2, 4683 Rønnede", SYD),
    (
        "Henning Jørgensen",
        "Rosenhaven 11, st. tv., 4690 Haslev",
        SYD,
    ),
    ("Grethe Madsen", "Bøgealle 30, 4690 Haslev", SYD),
    ("Ove Kristensen", "Lærkevej 6, 4683 Rønnede", SYD),
];

const PURPOSES: [&str; 5] = [
    "Morgenhjælp: bad og påklædning",
    "Medicin og morgenmad",
    "Hjælp til frokost",
    "Rengøring",
    "Aftenhjælp og medicin",
];

fn account(
    username: &str,
    name: &str,
    role: Role,
    team: Option<&str>,
    citizen_id: Option<Uuid>,
) -> Result<Credentials, HashError> {
    Ok(Credentials {
        user: User {
            id: Uuid::new_v4(),
            username: username.into(),
            name: name.into(),
            role,
            team: team.map(str::to_string),
            citizen_id,
        },
        password_hash: hash_password(DEMO_PASSWORD)?,
    })
}

/// How big the demo municipality is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum DemoScale {
    /// Two teams, a dozen citizens, five accounts: the everyday demo.
    #[default]
    Small,
    /// The small demo plus enough to measure with: about 600 citizens in 5
    /// teams, 80 workers, 90 days of history (see `scale`).
    Municipality,
}

/// Seeds the demo municipality into an empty store; does nothing (and says
/// so by returning `false`) if accounts already exist.
pub async fn seed<S: Store>(
    store: &S,
    clip_policy: &naervaer_domain::clips::ClipPolicy,
    scale: DemoScale,
) -> Result<bool, DemoError> {
    if !store.is_empty().await? {
        return Ok(false);
    }
    let mut citizens = Vec::new();
    for (name, address, team) in CITIZENS {
        let citizen = Citizen {
            id: Uuid::new_v4(),
            name: name.into(),
            address: address.into(),
            team: team.into(),
        };
        crate::rules::insert_citizen(store, &citizen).await?;
        citizens.push(citizen);
    }
    let else_id = citizens.first().map(|c| c.id);
    let accounts = [
        account("anna", "Anna Holm", Role::Worker, Some(NORD), None)?,
        account("bo", "Bo Mikkelsen", Role::Worker, Some(NORD), None)?,
        account("carl", "Carl Friis", Role::Worker, Some(SYD), None)?,
        account("dorte", "Dorte Vestergaard", Role::Coordinator, None, None)?,
        account(
            "else",
            "Else Marie Jensen",
            Role::Citizen,
            Some(NORD),
            else_id,
        )?,
    ];
    for credentials in &accounts {
        store.insert_user(credentials).await?;
    }
    let [anna, bo, _, dorte, _] = &accounts;
    let authors = clips::Authors {
        workers: [&anna.user, &bo.user],
        coordinator: &dorte.user,
    };
    clips::seed(store, &citizens, &authors, clip_policy).await?;
    let activities = activities::seed(store, &citizens, &anna.user, &dorte.user).await?;

    loneliness::seed(store, &citizens).await?;

    let today = copenhagen_date(Utc::now());
    for day in 0..7_i64 {
        let date = today + Duration::days(day);
        for (i, citizen) in citizens.iter().enumerate() {
            let worker = match (citizen.team.as_str(), (i as i64 + day) % 2) {
                (NORD, 0) => "Anna Holm",
                (NORD, _) => "Bo Mikkelsen",
                _ => "Carl Friis",
            };
            // Morning visits spread from 07:30, and an evening visit for every third citizen.
            let mut slots = vec![(7 * 60 + 30 + 25 * (i as u32 % 6), 30, PURPOSES[i % 2])];
            if i % 3 == 0 {
                slots.push((17 * 60 + 15 * (i as u32 % 4), 20, PURPOSES[4]));
            }
            if i % 4 == 1 && day % 2 == 0 {
                slots.push((11 * 60 + 30, 30, PURPOSES[2 + (day as usize / 2) % 2]));
            }
            for (minute, length, purpose) in slots {
                let Some(time) = NaiveTime::from_hms_opt(minute / 60, minute % 60, 0) else {
                    continue;
                };
                let starts_at = from_copenhagen(date.and_time(time));
                crate::rules::insert_visit(
                    store,
                    &PlannedVisit {
                        id: Uuid::new_v4(),
                        citizen_id: citizen.id,
                        starts_at,
                        ends_at: starts_at + Duration::minutes(length),
                        worker_name: Some(worker.into()),
                        purpose: purpose.into(),
                    },
                )
                .await?;
            }
        }
    }
    if scale == DemoScale::Municipality {
        let hash = anna.password_hash.clone();
        scale::seed(store, &citizens, &accounts, &hash, &activities).await?;
    }
    Ok(true)
}
