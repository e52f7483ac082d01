//! The municipality-scale demo (`--demo --demo-scale municipality`), to
//! measure with: on top of the small demo, about 600 citizens in 5 teams
//! (Nord, Syd, Øst, Vest, Midt: 120 each), 80 care workers (16 a team; the
//! small demo's anna, bo and carl among them), and per citizen 90 days of
//! notes, a loneliness registration every 15 days, visits from two weeks
//! back to two weeks ahead, a clip card with its ledger for every other
//! citizen, and weekly activity bookings for every third. A team's working
//! set comes to about 20,000 records. Everything is made from the index of
//! the citizen and the day, so two runs make the same amount of data.

use chrono::{DateTime, Duration, NaiveDate, NaiveTime, Utc};
use naervaer_domain::activity::{Activity, Booking, BookingStatus};
use naervaer_domain::clips::{ClipCard, ClipPolicy, EntryKind, monday_of};
use naervaer_domain::loneliness::{Level, LonelinessRegistration, Sign};
use naervaer_domain::protocol::Record;
use naervaer_domain::time::{copenhagen_date, from_copenhagen};
use naervaer_domain::{Citizen, NoteCategory, PlannedVisit, Role, User, VisitNote};
use uuid::Uuid;

use crate::store::{Credentials, Store, StoreError};

/// Teams, with the username stem of their generated workers.
const TEAMS: [(&str, &str); 5] = [
    ("Nord", "nord"),
    ("Syd", "syd"),
    ("Øst", "oest"),
    ("Vest", "vest"),
    ("Midt", "midt"),
];
/// Citizens and care workers per team.
const CITIZENS_PER_TEAM: usize = 120;
const WORKERS_PER_TEAM: usize = 16;
/// Days of history.
const HISTORY_DAYS: i64 = 90;
/// Records per transaction while seeding.
const BATCH: usize = 2_000;

const FIRST: [&str; 30] = [
    "Aase", "Anker", "Bodil", "Børge", "Dagny", "Egon", "Elna", "Erling", "Frida", "Gunnar",
    "Hanne", "Helge", "Ida", "Jens", "Karen", "Knud", "Lilly", "Mogens", "Nanna", "Orla", "Petra",
    "Preben", "Rigmor", "Sigurd", "Tove", "Valdemar", "Vera", "Viggo", "Yrsa", "Åge",
];
const LAST: [&str; 25] = [
    "Andersen",
    "Bech",
    "Christiansen",
    "Dahl",
    "Eriksen",
    "Frandsen",
    "Gregersen",
    "Holm",
    "Iversen",
    "Jakobsen",
    "Kjær",
    "Lund",
    "Mortensen",
    "Nissen",
    "Olsen",
    "Poulsen",
    "Qvist",
    "Riis",
    "Schmidt",
    "Thomsen",
    "Ulrichsen",
    "Vinther",
    "Winther",
    "Østergaard",
    "Aagaard",
];
const STREETS: [&str; 12] = [
    "Kirkevej",
    "Skolegade",
    "Stationsvej",
    "Egevej",
    "Lindealle",
    "Vestergade",
    "Østergade",
    "Møllevej",
    "Engvej",
    "Bakkevej",
    "Parkvej",
    "Rønnebærvej",
];
const NOTES: [&str; 6] = [
    "Spiste morgenmad og fik medicin. Godt humør.",
    "Træt i dag. Sov dårligt, siger hun. Drak et glas vand.",
    "Talte om sine børnebørn. Glæder sig til weekenden.",
    "Hjælp til bad. Huden er fin. Ingen smerter.",
    "Sad alene ved vinduet. Siger at dagene er lange.",
    "Gik en lille tur til postkassen sammen med mig.",
];
const CATEGORIES: [NoteCategory; 3] = [
    NoteCategory::Observation,
    NoteCategory::SocialLife,
    NoteCategory::Observation,
];

/// Seeds the municipality on top of the small demo (`small_citizens`,
/// `small_accounts` as it made them). Every account's password hash is
/// `password_hash` (the demo password, hashed once).
pub async fn seed<S: Store>(
    store: &S,
    small_citizens: &[Citizen],
    small_accounts: &[Credentials],
    password_hash: &str,
    activities: &[Activity],
) -> Result<(), StoreError> {
    let now = Utc::now();
    let today = copenhagen_date(now);
    let mut number = 0usize;
    for (team, stem) in TEAMS {
        let existing_workers: Vec<&User> = small_accounts
            .iter()
            .map(|c| &c.user)
            .filter(|u| u.role == Role::Worker && u.team.as_deref() == Some(team))
            .collect();
        let mut workers: Vec<User> = existing_workers.into_iter().cloned().collect();
        for n in workers.len() + 1..=WORKERS_PER_TEAM {
            let name = format!(
                "{} {}",
                FIRST[(number + n) % FIRST.len()],
                LAST[n % LAST.len()]
            );
            let user = User {
                id: Uuid::new_v4(),
                username: format!("{stem}{n:02}"),
                name,
                role: Role::Worker,
                team: Some(team.to_string()),
                citizen_id: None,
            };
            store
                .insert_user(&Credentials {
                    user: user.clone(),
                    password_hash: password_hash.to_string(),
                })
                .await?;
            workers.push(user);
        }
        let already = small_citizens.iter().filter(|c| c.team == team).count();
        let mut batch: Vec<Record> = Vec::new();
        for i in already..CITIZENS_PER_TEAM {
            number += 1;
            let citizen = Citizen {
                id: Uuid::new_v4(),
                name: format!(
                    "{} {}",
                    FIRST[number % FIRST.len()],
                    LAST[(number / FIRST.len() + number) % LAST.len()]
                ),
                address: format!(
                    "{} {}, 46{:02} Køge",
                    STREETS[number % STREETS.len()],
                    1 + number % 97,
                    number % 90
                ),
                team: team.to_string(),
            };
            batch.push(Record::Citizen(citizen.clone()));
            let policy = store.clip_policy();
            batch.extend(history_of(
                &citizen, i, &workers, activities, policy, today, now,
            ));
            if batch.len() >= BATCH {
                flush(store, team, &workers[0], &mut batch, now).await?;
            }
        }
        flush(store, team, &workers[0], &mut batch, now).await?;
    }
    Ok(())
}

async fn flush<S: Store>(
    store: &S,
    team: &str,
    author: &User,
    batch: &mut Vec<Record>,
    now: DateTime<Utc>,
) -> Result<(), StoreError> {
    if batch.is_empty() {
        return Ok(());
    }
    crate::rules::insert_history(store, team, author, std::mem::take(batch), now).await
}

fn at(day: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    from_copenhagen(day.and_time(NaiveTime::from_hms_opt(hour, minute, 0).unwrap_or_default()))
}

/// The records of one citizen (`i`: her place in the team).
fn history_of(
    citizen: &Citizen,
    i: usize,
    workers: &[User],
    activities: &[Activity],
    policy: &ClipPolicy,
    today: NaiveDate,
    now: DateTime<Utc>,
) -> Vec<Record> {
    let mut out = Vec::new();
    let worker = |day: i64| &workers[(i + day.unsigned_abs() as usize) % workers.len()];
    // Visits: every morning, and every evening for a third of the citizens.
    for day in -14..14_i64 {
        let date = today + Duration::days(day);
        let mut slots = vec![(7 + (i % 4) as u32, 30, "Morgenhjælp og medicin")];
        if i.is_multiple_of(3) {
            slots.push((18, 20, "Aftenhjælp og medicin"));
        }
        for (hour, length, purpose) in slots {
            let starts_at = at(date, hour, 5 * (i % 12) as u32);
            out.push(Record::Visit(PlannedVisit {
                id: Uuid::new_v4(),
                citizen_id: citizen.id,
                starts_at,
                ends_at: starts_at + Duration::minutes(length),
                worker_name: Some(worker(day).name.clone()),
                purpose: purpose.into(),
            }));
        }
    }
    // Notes: one a day for 90 days, two every fourth day.
    for day in 1..=HISTORY_DAYS {
        let date = today - Duration::days(day);
        let count = if (day as usize + i).is_multiple_of(4) {
            2
        } else {
            1
        };
        for n in 0..count {
            let author = worker(day);
            out.push(Record::Note(VisitNote {
                author_id: Some(author.id),
                author_name: author.name.clone(),
                ..VisitNote::written(
                    Uuid::new_v4(),
                    citizen.id,
                    &[],
                    CATEGORIES[(day as usize + n) % CATEGORIES.len()],
                    NOTES[(i + day as usize + n) % NOTES.len()].into(),
                    at(date, 8 + 9 * n as u32, 10),
                )
            }));
        }
    }
    // A loneliness registration every 15 days.
    for day in (1..=HISTORY_DAYS).step_by(15) {
        let date = today - Duration::days(day);
        let author = worker(day);
        let mut registration = LonelinessRegistration::empty(
            Uuid::new_v4(),
            citizen.id,
            date,
            (Some(author.id), author.name.clone()),
            at(date, 12, 0),
        );
        if (i + day as usize).is_multiple_of(5) {
            registration.signs = vec![Sign::FewVisitors, Sign::Withdrawn];
            registration.suggested_level = Level::Yellow;
            registration.chosen_level = Level::Yellow;
        }
        out.push(Record::Loneliness(registration));
    }
    // A clip card for every other citizen: one clip every other week.
    if i.is_multiple_of(2) {
        let starts_on = monday_of(today) - Duration::weeks(16);
        let card = ClipCard {
            id: Uuid::new_v4(),
            citizen_id: citizen.id,
            policy_id: policy.id.clone(),
            starts_on,
            check: Default::default(),
        };
        out.push(Record::ClipCard(card.clone()));
        for week in (2..14).step_by(2) {
            let day = starts_on + Duration::weeks(week) + Duration::days(2);
            let mut entry = naervaer_domain::clips::ClipEntry::new(
                EntryKind::Use,
                card.id,
                card.citizen_id,
                Uuid::new_v4(),
                at(day, 13, 0),
            );
            entry.at = Some(at(day, 11, 0));
            entry.minutes = i32::try_from(policy.clip_minutes).unwrap_or(30);
            entry.purpose = "Tur i byen".into();
            out.push(Record::ClipEntry(entry));
        }
    }
    // Weekly bookings for every third citizen: eight weeks back, two ahead.
    if i % 3 == 1
        && let Some(activity) = activities.get(i % activities.len().max(1))
    {
        let from = today - Duration::weeks(8);
        for occurrence in activity
            .schedule
            .occurrences(from, today + Duration::weeks(2))
        {
            out.push(Record::Booking(Booking::first(
                Uuid::new_v4(),
                citizen.id,
                activity.activity_id,
                occurrence.starts_at,
                BookingStatus::Booked,
                (Some(worker(0).id), worker(0).name.clone()),
                now,
            )));
        }
    }
    out
}
