//! A week's programme of social activities in a Danish town (Køge, fictional
//! details), more than half after 16:00 or at weekends, and bookings for
//! several citizens of team Nord.

use chrono::{Datelike, Duration, NaiveDate, Utc};
use naervaer_domain::activity::{Activity, Booking, BookingStatus, Needs, Organiser, Schedule};
use naervaer_domain::clips::{ClockTime, monday_of};
use naervaer_domain::time::copenhagen_date;
use naervaer_domain::{Citizen, User};
use uuid::Uuid;

use crate::store::{Store, StoreError};

/// (title, description, organiser, organiser name, place, weekday, start, end,
/// transport, wheelchair, capacity, contact)
type Row = (
    &'static str,
    &'static str,
    Organiser,
    &'static str,
    &'static str,
    u8,
    &'static str,
    &'static str,
    bool,
    bool,
    Option<u32>,
    &'static str,
);

const PROGRAMME: [Row; 9] = [
    (
        "Spisecafé",
        "Varm aftensmad og godt selskab. Betaling ved bordet.",
        Organiser::Volunteers,
        "Ældre Sagen Køge",
        "Aktivitetscentret, Ølby Torv 2, Køge",
        4,
        "17:00",
        "19:00",
        true,
        true,
        Some(24),
        "Grethe Holm, 40 12 34 56",
    ),
    (
        "Cykling uden alder",
        "En tur i rickshaw langs havnen med en frivillig pilot.",
        Organiser::Volunteers,
        "Cykling uden alder Køge",
        "Køge Havn, ved Havnehuset",
        6,
        "10:00",
        "11:30",
        false,
        true,
        Some(4),
        "Jens Lund, 22 33 44 55",
    ),
    (
        "Seniorbiograf",
        "Søndagsfilm med kaffe og kage i pausen.",
        Organiser::Association,
        "Køge Bio",
        "Køge Bio, Torvet 8, Køge",
        7,
        "14:00",
        "16:30",
        true,
        true,
        Some(30),
        "Billetlugen, 56 65 10 10",
    ),
    (
        "Kortspil og kaffe",
        "Whist, rommy og en kop kaffe. Alle kan være med.",
        Organiser::Association,
        "Pensionistforeningen",
        "Ældrecentret Brohusgade 5, Køge",
        2,
        "13:00",
        "15:30",
        false,
        true,
        Some(16),
        "Birthe Hansen, 51 22 33 44",
    ),
    (
        "Sangeftermiddag",
        "Vi synger fra Højskolesangbogen med klaver.",
        Organiser::HomeCare,
        "Hjemmeplejen Nord",
        "Fælleslokalet, Hjemmeplejen Nord, Ølby",
        3,
        "14:00",
        "15:30",
        false,
        true,
        Some(20),
        "Hjemmeplejen Nord, 56 67 20 00",
    ),
    (
        "Fredagsbar med musik",
        "Levende musik, en øl eller en sodavand, og hyggesnak.",
        Organiser::HomeCare,
        "Plejecenter Ølby",
        "Plejecenter Ølby, Ølby Torv 6, Køge",
        5,
        "16:30",
        "18:30",
        true,
        true,
        Some(25),
        "Plejecentret, 56 67 30 00",
    ),
    (
        "Gåtur i Køge Ås",
        "En rolig tur på en time med pauser.",
        Organiser::Volunteers,
        "Besøgsvennerne",
        "P-pladsen ved Køge Ås",
        1,
        "10:00",
        "11:00",
        false,
        false,
        Some(10),
        "Lis Mortensen, 28 11 22 33",
    ),
    (
        "Søndagskaffe i kirken",
        "Kaffe, sang og samtale efter gudstjenesten.",
        Organiser::Association,
        "Sankt Nicolai Kirke",
        "Sognegården, Kirkestræde 3, Køge",
        7,
        "11:30",
        "13:00",
        false,
        true,
        Some(40),
        "Kirkekontoret, 56 65 03 01",
    ),
    (
        "Banko",
        "Bankospil med små præmier. Plader ved indgangen.",
        Organiser::Association,
        "Ældre Sagen Køge",
        "Aktivitetscentret, Ølby Torv 2, Køge",
        6,
        "14:00",
        "16:00",
        true,
        true,
        Some(50),
        "Grethe Holm, 40 12 34 56",
    ),
];

fn clock(s: &str) -> ClockTime {
    ClockTime::parse(s).unwrap_or(ClockTime(12 * 60))
}

/// The first day on or after `from` with ISO weekday `weekday`.
fn next_weekday(from: NaiveDate, weekday: u8) -> NaiveDate {
    let mut day = from;
    while day.weekday().number_from_monday() != u32::from(weekday) {
        day += Duration::days(1);
    }
    day
}

/// Seeds the programme and a few bookings. `citizens` are all demo citizens;
/// `worker` writes the bookings, `coordinator` the catalogue.
pub async fn seed<S: Store>(
    store: &S,
    citizens: &[Citizen],
    worker: &User,
    coordinator: &User,
) -> Result<Vec<Activity>, StoreError> {
    let now = Utc::now();
    let today = copenhagen_date(now);
    let from = monday_of(today) - Duration::weeks(8);
    let mut activities = Vec::new();
    for (
        title,
        description,
        organiser,
        organiser_name,
        place,
        weekday,
        start,
        end,
        transport,
        wheelchair,
        capacity,
        contact,
    ) in PROGRAMME
    {
        let id = Uuid::new_v4();
        let activity = Activity {
            id,
            activity_id: id,
            replaces: None,
            title: title.into(),
            description: description.into(),
            organiser,
            organiser_name: organiser_name.into(),
            place: place.into(),
            schedule: Schedule::Weekly {
                weekday,
                start: clock(start),
                end: clock(end),
                from,
                until: None,
            },
            transport_offered: transport,
            wheelchair_access: wheelchair,
            capacity,
            contact: contact.into(),
            withdrawn: false,
            author_id: Some(coordinator.id),
            author_name: coordinator.name.clone(),
            recorded_at: now,
        };
        crate::rules::insert_activity(store, &activity).await?;
        activities.push(activity);
    }
    let nord: Vec<&Citizen> = citizens.iter().filter(|c| c.team == "Nord").collect();
    // (citizen index in team Nord, activity index, status, needs)
    let plan: [(usize, usize, BookingStatus, Needs); 5] = [
        (
            0,
            0,
            BookingStatus::Booked,
            Needs {
                companion: true,
                transport: true,
                care: false,
            },
        ),
        (0, 4, BookingStatus::Booked, Needs::default()),
        (
            1,
            2,
            BookingStatus::Requested,
            Needs {
                companion: false,
                transport: true,
                care: false,
            },
        ),
        (2, 3, BookingStatus::Booked, Needs::default()),
        (
            6,
            1,
            BookingStatus::Booked,
            Needs {
                companion: true,
                transport: false,
                care: true,
            },
        ),
    ];
    for (who, what, status, needs) in plan {
        let (Some(citizen), Some(activity)) = (nord.get(who), activities.get(what)) else {
            continue;
        };
        let Schedule::Weekly { weekday, .. } = activity.schedule else {
            continue;
        };
        let day = next_weekday(today + Duration::days(1), weekday);
        let Some(occurrence) = activity.schedule.occurrences(day, day).first().copied() else {
            continue;
        };
        let mut booking = Booking::first(
            Uuid::new_v4(),
            citizen.id,
            activity.activity_id,
            occurrence.starts_at,
            status,
            (Some(worker.id), worker.name.clone()),
            now,
        );
        booking.needs = needs;
        crate::rules::insert_booking(store, &booking).await?;
    }
    Ok(activities)
}
