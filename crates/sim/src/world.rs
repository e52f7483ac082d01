//! The simulated municipality: two teams, their citizens and clip cards,
//! one activity with two places, and the users with their sessions.

use chrono::{DateTime, Duration, TimeZone, Utc};
use naervaer_domain::activity::{Activity, Organiser, Schedule};
use naervaer_domain::clips::{CardCheck, ClipCard, ClipPolicy};
use naervaer_domain::retention::RetentionPolicy;
use naervaer_domain::{Citizen, Role, User};
use naervaer_server::auth::token_hash;
use naervaer_server::rules;
use naervaer_server::store::{Credentials, MemoryStore, Store, StoreError};
use uuid::Uuid;

/// The simulated clock's first instant (a Monday morning).
pub fn epoch() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 30, 8, 0, 0)
        .single()
        .unwrap_or_default()
}

/// Now, in simulated time (the server's clock in the simulation).
pub fn sim_now() -> DateTime<Utc> {
    let elapsed = turmoil::sim_elapsed().unwrap_or_default();
    epoch() + Duration::from_std(elapsed).unwrap_or_default()
}

/// A user of the simulation, with their bearer token.
#[derive(Debug, Clone)]
pub struct SimUser {
    /// The account.
    pub user: User,
    /// Their token (a session made directly in the store).
    pub token: String,
}

/// What the simulation's devices know of the municipality up front.
#[derive(Debug, Clone)]
pub struct World {
    /// Every citizen.
    pub citizens: Vec<Citizen>,
    /// Each citizen's clip card id.
    pub cards: Vec<(Uuid, Uuid)>,
    /// The activity with two places.
    pub activity: Activity,
    /// The users: two workers of Nord, one of Syd, a coordinator, a citizen.
    pub users: Vec<SimUser>,
}

fn id(n: u128) -> Uuid {
    Uuid::from_u128(0x5100_0000_0000 + n)
}

fn user(n: u128, username: &str, role: Role, team: Option<&str>, citizen: Option<Uuid>) -> SimUser {
    SimUser {
        user: User {
            id: id(0x100 + n),
            username: username.into(),
            name: format!("{username} (sim)"),
            role,
            team: team.map(str::to_string),
            citizen_id: citizen,
        },
        token: format!("sim-token-{username}"),
    }
}

impl World {
    /// The municipality (the same for every seed).
    pub fn new() -> World {
        let mut citizens = Vec::new();
        for (i, team) in ["Nord", "Nord", "Nord", "Syd", "Syd", "Syd"]
            .iter()
            .enumerate()
        {
            citizens.push(Citizen {
                id: id(i as u128 + 1),
                name: format!("Borger {}", i + 1),
                address: format!("Simvej {}", i + 1),
                team: (*team).to_string(),
            });
        }
        let cards = citizens
            .iter()
            .enumerate()
            .map(|(i, c)| (c.id, id(0x200 + i as u128)))
            .collect();
        let starts_at = epoch() + Duration::days(3);
        let activity = Activity {
            id: id(0x300),
            activity_id: id(0x300),
            replaces: None,
            title: "Spisecafé".into(),
            description: String::new(),
            organiser: Organiser::HomeCare,
            organiser_name: String::new(),
            place: "Aktivitetscentret".into(),
            schedule: Schedule::Once {
                starts_at,
                ends_at: starts_at + Duration::hours(2),
            },
            transport_offered: false,
            wheelchair_access: true,
            capacity: Some(2),
            contact: String::new(),
            withdrawn: false,
            author_id: None,
            author_name: String::new(),
            recorded_at: epoch(),
        };
        let first = citizens[0].id;
        let users = vec![
            user(1, "anna", Role::Worker, Some("Nord"), None),
            user(2, "bo", Role::Worker, Some("Nord"), None),
            user(3, "carl", Role::Worker, Some("Syd"), None),
            user(4, "dorte", Role::Coordinator, None, None),
            user(5, "else", Role::Citizen, Some("Nord"), Some(first)),
        ];
        World {
            citizens,
            cards,
            activity,
            users,
        }
    }

    /// The citizens a user may write for.
    pub fn writable(&self, user: &User) -> Vec<&Citizen> {
        self.citizens
            .iter()
            .filter(|c| match user.role {
                Role::Coordinator => true,
                Role::Worker => user.team.as_deref() == Some(c.team.as_str()),
                Role::Citizen => false,
            })
            .collect()
    }

    /// A citizen the user may not write for (for invalid changes).
    pub fn foreign(&self, user: &User) -> Option<&Citizen> {
        self.citizens
            .iter()
            .find(|c| user.team.as_deref().is_some_and(|t| t != c.team))
    }

    /// The card of a citizen.
    pub fn card_of(&self, citizen: Uuid) -> Option<Uuid> {
        self.cards
            .iter()
            .find(|(c, _)| *c == citizen)
            .map(|(_, k)| *k)
    }

    /// Writes the municipality into a fresh server store.
    pub async fn seed(&self, store: &MemoryStore) -> Result<(), StoreError> {
        for u in &self.users {
            store
                .insert_user(&Credentials {
                    user: u.user.clone(),
                    password_hash: "not used: sessions are made directly".into(),
                })
                .await?;
            store
                .create_session(
                    &token_hash(&u.token),
                    u.user.id,
                    &naervaer_server::sessions::SessionTimes {
                        expires_at: epoch() + Duration::days(365),
                        idle_until: None,
                    },
                )
                .await?;
        }
        for c in &self.citizens {
            rules::insert_citizen(store, c).await?;
        }
        for (citizen, card) in &self.cards {
            rules::insert_card(
                store,
                &ClipCard {
                    id: *card,
                    citizen_id: *citizen,
                    policy_id: store.clip_policy().id.clone(),
                    starts_on: (epoch() - Duration::weeks(4)).date_naive(),
                    check: CardCheck::default(),
                },
            )
            .await?;
        }
        rules::insert_activity(store, &self.activity).await
    }
}

impl Default for World {
    fn default() -> World {
        World::new()
    }
}

/// The server store of a simulation run, under the least restrictive
/// shipped clip policy (its database identity fixed, so a seed replays alike).
pub fn server_store() -> Result<MemoryStore, String> {
    match ClipPolicy::shipped("faxe") {
        Some(Ok(policy)) => Ok(MemoryStore::new(policy)
            .with_pause(std::time::Duration::from_millis(1))
            .with_database_id(id(0xdb))),
        _ => Err("the shipped faxe policy does not load".into()),
    }
}

/// The retention setting of the simulation: the shortest the domain
/// allows, so that a device clock a month or two off matters.
pub fn retention() -> RetentionPolicy {
    RetentionPolicy {
        history_days: 30,
        past_visit_days: 1,
        sent_log_days: 1,
    }
}

/// How one device of a run differs from a well-kept one.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DevicePlan {
    /// Its clock minus the true time (days off on some devices).
    pub clock_offset: Duration,
    /// The app is too old for the server until this (simulated time since
    /// the start); then it is updated.
    pub old_app_until: Option<std::time::Duration>,
    /// From this time on, the server answers with fields and values this
    /// app does not know (a newer server).
    pub newer_server_from: Option<std::time::Duration>,
}
