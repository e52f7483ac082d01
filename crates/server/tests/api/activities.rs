//! The activity catalogue and bookings over HTTP: who may write what.

use serde_json::{Value, json};
use uuid::Uuid;

use crate::common::{TestServer, rejection_codes};

/// The catalogue as `token` sees it.
async fn activities(s: &TestServer, token: &str) -> Vec<Value> {
    s.pull_all(token, 1000)
        .await
        .into_iter()
        .filter(|c| c["record"]["kind"] == "activity")
        .map(|c| c["record"]["data"].clone())
        .collect()
}

fn booking(citizen: &str, activity: &Value, start: &str, status: &str) -> Value {
    let id = Uuid::new_v4();
    json!({
        "id": id, "booking_id": id, "citizen_id": citizen, "activity_id": activity["activity_id"],
        "occurrence_start": start, "status": status, "needs": {"companion": true},
        "recorded_at": chrono::Utc::now()
    })
}

/// The next start of a weekly activity, found the way the app finds it.
fn next_start(activity: &Value) -> String {
    let schedule: naervaer_domain::activity::Schedule =
        serde_json::from_value(activity["schedule"].clone()).expect("schedule");
    let today = chrono::Utc::now().date_naive();
    let next = schedule.occurrences(today, today + chrono::Duration::days(8));
    naervaer_domain::wire_time::format_instant(next[0].starts_at)
}

fn push(seq: u64, op: &str, data: &Value) -> Value {
    json!({"seq": seq, "op": op, "data": data})
}

#[tokio::test]
async fn the_demo_programme_has_eight_activities_half_after_16_or_at_weekends() {
    let s = TestServer::start().await;
    let else_ = s.login("else").await;
    let all = activities(&s, &else_).await;
    assert!(all.len() >= 8, "{}", all.len());
    let gap = all
        .iter()
        .filter(|a| {
            let schedule: naervaer_domain::activity::Schedule =
                serde_json::from_value(a["schedule"].clone()).expect("schedule");
            let today = chrono::Utc::now().date_naive();
            schedule
                .occurrences(today, today + chrono::Duration::days(7))
                .iter()
                .any(|o| {
                    let t = naervaer_domain::activity::tags(o);
                    t.after_16 || t.weekend
                })
        })
        .count();
    assert!(gap * 2 >= all.len(), "{gap} of {}", all.len());
}

#[tokio::test]
async fn a_citizen_may_ask_to_join_for_herself_but_not_for_another_nor_confirm() {
    let s = TestServer::start().await;
    let else_ = s.login("else").await;
    let own = s.citizens(&else_).await[0].0.to_string();
    let other = s.citizen_of("Syd").await.to_string();
    let catalogue = activities(&s, &else_).await;
    let cafe = catalogue
        .iter()
        .find(|a| a["title"] == "Seniorbiograf")
        .expect("cinema");
    let start = next_start(cafe);
    let ask = booking(&own, cafe, &start, "requested");
    let for_other = booking(&other, cafe, &start, "requested");
    let confirm_own = booking(&own, cafe, &start, "booked");
    let wrong_time = booking(&own, cafe, "2026-01-01T09:00:00Z", "requested");
    let (_, r) = s
        .sync(
            &else_,
            json!({"client_id": Uuid::new_v4(), "mutations": [
            push(1, "booking.save", &ask), push(2, "booking.save", &for_other),
            push(3, "booking.save", &confirm_own), push(4, "booking.save", &wrong_time)]}),
        )
        .await;
    assert_eq!(r["acknowledged_seq"], 4);
    let codes = rejection_codes(&r);
    assert_eq!(
        codes,
        vec![
            (2, "unknown_citizen".into()),
            (3, "not_allowed".into()),
            (4, "unknown_occurrence".into())
        ]
    );
    // anna (team Nord) sees the request and confirms it as a new revision.
    let anna = s.login("anna").await;
    let seen: Vec<Value> = s
        .pull_all(&anna, 1000)
        .await
        .into_iter()
        .filter(|c| c["record"]["kind"] == "booking" && c["record"]["data"]["id"] == ask["id"])
        .collect();
    assert_eq!(seen.len(), 1);
    assert_eq!(
        seen[0]["record"]["data"]["author_name"],
        "Else Marie Jensen"
    );
    let mut confirmed = ask.clone();
    confirmed["id"] = json!(Uuid::new_v4());
    confirmed["replaces"] = ask["id"].clone();
    confirmed["status"] = json!("booked");
    let (_, r) = s
        .sync(&anna, json!({"client_id": Uuid::new_v4(), "mutations": [push(1, "booking.save", &confirmed)]}))
        .await;
    assert_eq!(r["rejections"], json!([]));
    let hers: Vec<Value> = s
        .pull_all(&else_, 1000)
        .await
        .into_iter()
        .filter(|c| {
            c["record"]["kind"] == "booking" && c["record"]["data"]["booking_id"] == ask["id"]
        })
        .collect();
    assert_eq!(hers.len(), 2, "the request and its confirmation");
}

#[tokio::test]
async fn only_a_coordinator_edits_the_catalogue_and_an_edit_is_a_revision() {
    let s = TestServer::start().await;
    let anna = s.login("anna").await;
    let dorte = s.login("dorte").await;
    let catalogue = activities(&s, &dorte).await;
    let walk = catalogue
        .iter()
        .find(|a| a["title"] == "Gåtur i Køge Ås")
        .expect("walk")
        .clone();
    let mut edit = walk.clone();
    edit["id"] = json!(Uuid::new_v4());
    edit["replaces"] = walk["id"].clone();
    edit["capacity"] = json!(12);
    let (_, r) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "mutations": [push(1, "activity.save", &edit)]}),
        )
        .await;
    assert_eq!(r["rejections"][0]["code"], "coordinator_only");
    let (_, r) = s
        .sync(
            &dorte,
            json!({"client_id": Uuid::new_v4(), "mutations": [push(1, "activity.save", &edit)]}),
        )
        .await;
    assert_eq!(r["rejections"], json!([]));
    let revisions: Vec<Value> = activities(&s, &anna)
        .await
        .into_iter()
        .filter(|a| a["activity_id"] == walk["activity_id"])
        .collect();
    assert_eq!(revisions.len(), 2, "both revisions are kept");
    assert!(
        revisions
            .iter()
            .any(|a| a["capacity"] == 12 && a["replaces"] == walk["id"])
    );
}

/// The current revisions of bookings on one activity as `token` sees them.
async fn bookings_on(s: &TestServer, token: &str, activity_id: &Value) -> Vec<Value> {
    s.pull_all(token, 1000)
        .await
        .into_iter()
        .filter(|c| {
            c["record"]["kind"] == "booking" && c["record"]["data"]["activity_id"] == *activity_id
        })
        .map(|c| c["record"]["data"].clone())
        .collect()
}

#[tokio::test]
async fn a_booking_beyond_capacity_is_accepted_and_flagged_and_a_repeat_is_stored_once() {
    let s = TestServer::start().await;
    let dorte = s.login("dorte").await;
    let anna = s.login("anna").await;
    let bo = s.login("bo").await;
    let citizens = s.citizens(&anna).await;
    let (first, second, third) = (
        citizens[0].0.to_string(),
        citizens[1].0.to_string(),
        citizens[2].0.to_string(),
    );
    // The coordinator makes one of the demo activities a two-place activity.
    let walk = activities(&s, &dorte)
        .await
        .into_iter()
        .find(|a| a["title"] == "Gåtur i Køge Ås")
        .expect("walk");
    let mut small = walk.clone();
    small["id"] = json!(Uuid::new_v4());
    small["replaces"] = walk["id"].clone();
    small["capacity"] = json!(2);
    let (_, r) = s
        .sync(
            &dorte,
            json!({"client_id": Uuid::new_v4(), "mutations": [push(1, "activity.save", &small)]}),
        )
        .await;
    assert_eq!(r["rejections"], json!([]));
    let start = next_start(&small);

    // anna books two citizens (the two places); bo, who was offline, books a third.
    let one = booking(&first, &small, &start, "booked");
    let two = booking(&second, &small, &start, "booked");
    let three = booking(&third, &small, &start, "booked");
    let (_, r) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "mutations": [
                push(1, "booking.save", &one), push(2, "booking.save", &two)]}),
        )
        .await;
    assert_eq!(r["rejections"], json!([]));
    let bo_client = Uuid::new_v4();
    let (_, r) = s
        .sync(
            &bo,
            json!({"client_id": bo_client, "mutations": [push(1, "booking.save", &three)]}),
        )
        .await;
    assert_eq!(r["rejections"], json!([]), "an offline booking is accepted");

    let seen = bookings_on(&s, &anna, &walk["activity_id"]).await;
    let flag = |b: &Value| {
        seen.iter()
            .find(|x| x["id"] == b["id"])
            .map(|x| x["overfilled"].clone())
    };
    assert_eq!(flag(&one), Some(json!(false)));
    assert_eq!(flag(&two), Some(json!(false)));
    assert_eq!(flag(&three), Some(json!(true)), "the third place overfills");

    // The same revision again from another device: stored once, no rejection.
    let (_, r) = s
        .sync(
            &bo,
            json!({"client_id": Uuid::new_v4(), "mutations": [push(1, "booking.save", &three)]}),
        )
        .await;
    assert_eq!(r["rejections"], json!([]));
    let again = bookings_on(&s, &anna, &walk["activity_id"]).await;
    assert_eq!(again.iter().filter(|b| b["id"] == three["id"]).count(), 1);

    // A device cannot set the flag itself, nor clear it: it is the server's.
    let mut claims = booking(&first, &small, &start, "requested");
    claims["overfilled"] = json!(true);
    let (_, r) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "mutations": [push(1, "booking.save", &claims)]}),
        )
        .await;
    assert_eq!(r["rejections"], json!([]));
    let stored = bookings_on(&s, &anna, &walk["activity_id"]).await;
    let claimed = stored
        .iter()
        .find(|b| b["id"] == claims["id"])
        .expect("stored");
    assert_eq!(claimed["overfilled"], json!(false));

    // Once places are given up, a new booking fits again.
    let cancel = |b: &Value| {
        let mut c = b.clone();
        c["id"] = json!(Uuid::new_v4());
        c["replaces"] = b["id"].clone();
        c["status"] = json!("cancelled");
        c
    };
    let four = booking(&citizens[3].0.to_string(), &small, &start, "booked");
    let (_, r) = s
        .sync(
            &anna,
            json!({"client_id": Uuid::new_v4(), "mutations": [
                push(1, "booking.save", &cancel(&one)), push(2, "booking.save", &cancel(&two)),
                push(3, "booking.save", &four)]}),
        )
        .await;
    assert_eq!(r["rejections"], json!([]));
    let last = bookings_on(&s, &anna, &walk["activity_id"]).await;
    let four_stored = last.iter().find(|b| b["id"] == four["id"]).expect("stored");
    assert_eq!(
        four_stored["overfilled"],
        json!(false),
        "three and four hold the two places"
    );
}
