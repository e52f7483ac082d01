//! The real server binary on PostgreSQL. Two processes on one database,
//! devices syncing through both at random, answers lost on the way: every
//! change reaches every device that may see it exactly once, none that may
//! not, and every note pushed is stored once. And `/api/v1/health` says
//! when the database stops answering. Needs a PostgreSQL cluster: `cargo
//! xtask test` starts one and runs these tests with `--include-ignored`.

use std::collections::{BTreeMap, BTreeSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;

use naervaer_domain::protocol::PROTOCOL_VERSION;
use rand::rngs::SmallRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use uuid::Uuid;

#[path = "support/postgres.rs"]
mod postgres;

/// Rounds of syncs each device makes before the final catch-up.
const ROUNDS: usize = 60;

/// A server process, killed when dropped.
struct Server {
    child: Child,
    base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _killed = self.child.kill();
        let _reaped = self.child.wait();
    }
}

/// Starts the real server binary on `database` and waits for its address.
fn start_server(database: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_naervaer-server"))
        .args(["--listen", "127.0.0.1:0", "--demo", "--stop-after", "600"])
        .args(["--database", database])
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start naervaer-server");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let base = loop {
        let line = lines
            .next()
            .expect("the server stopped before listening")
            .expect("read the server's output");
        if let Some(address) = line.trim().strip_prefix("listening on ") {
            break address.to_string();
        }
    };
    // Keep reading, so the server never writes into a full or closed pipe.
    std::thread::spawn(move || lines.map_while(Result::ok).for_each(drop));
    Server { child, base }
}

async fn post(http: &reqwest::Client, url: String, token: Option<&str>, body: Value) -> Value {
    let mut request = http.post(url).json(&body);
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("request");
    let status = response.status();
    let body: Value = response.json().await.expect("json answer");
    assert!(status.is_success(), "{status}: {body}");
    body
}

/// Which notes a user may see.
#[derive(Clone, PartialEq)]
enum Sees {
    Everything,
    Team(String),
    Citizen(Uuid),
}

/// One device: its user, what it has pushed and what it has received.
struct Device {
    username: &'static str,
    /// Which notes the user may see.
    sees: Sees,
    token: String,
    client_id: Uuid,
    cursor: u64,
    cursor_tag: u64,
    /// Notes made on this device, in seq order: (seq, note id, citizen).
    made: Vec<(u64, Uuid, Uuid)>,
    acknowledged: u64,
    /// Every record id received, in the order received (with its kind).
    received: Vec<(String, String)>,
    /// Feed numbers received, in order.
    seqs: Vec<u64>,
}

impl Device {
    /// A new device of the user a login answer names.
    fn new(username: &'static str, sees: Sees, login: &Value) -> Device {
        Device {
            username,
            sees,
            token: login["token"].as_str().expect("token").to_string(),
            client_id: Uuid::new_v4(),
            cursor: 0,
            cursor_tag: 0,
            made: Vec::new(),
            acknowledged: 0,
            received: Vec::new(),
            seqs: Vec::new(),
        }
    }

    /// One sync through `base`: pushes what is not acknowledged, pulls a
    /// page. When `lose_answer` is set, the answer is thrown away (as if
    /// the network dropped it after the server committed).
    async fn sync(&mut self, http: &reqwest::Client, base: &str, limit: u64, lose_answer: bool) {
        let mutations: Vec<Value> = self
            .made
            .iter()
            .filter(|(seq, ..)| *seq > self.acknowledged)
            .map(|(seq, id, citizen)| {
                json!({"seq": seq, "op": "note.save", "data": {
                    "id": id, "note_id": id, "replaces": null, "citizen_id": citizen,
                    "visit_id": null, "category": "observation",
                    "text": format!("{} note {seq}", self.username),
                    "author_id": null, "author_name": self.username,
                    "written_at": "2026-11-30T09:00:00Z"
                }})
            })
            .collect();
        let answer = post(
            http,
            format!("{base}/api/v1/sync"),
            Some(&self.token),
            json!({"protocol": PROTOCOL_VERSION, "client_id": self.client_id,
                   "cursor": self.cursor, "cursor_tag": self.cursor_tag,
                   "acknowledged_seq": self.acknowledged,
                   "mutations": mutations, "limit": limit}),
        )
        .await;
        if lose_answer {
            return;
        }
        assert_eq!(answer["rejections"], json!([]), "{}", self.username);
        self.acknowledged = answer["acknowledged_seq"]
            .as_u64()
            .expect("acknowledged_seq");
        for change in answer["changes"].as_array().expect("changes") {
            self.seqs.push(change["seq"].as_u64().expect("seq"));
            let record = &change["record"];
            self.received.push((
                record["kind"].as_str().expect("kind").to_string(),
                record["data"]["id"].as_str().expect("id").to_string(),
            ));
        }
        self.cursor = answer["next_cursor"].as_u64().expect("next_cursor");
        self.cursor_tag = answer["cursor_tag"].as_u64().expect("cursor_tag");
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
#[ignore = "needs PostgreSQL: cargo xtask test starts a cluster and runs it"]
async fn devices_syncing_through_two_servers_get_every_change_exactly_once() {
    let seed: u64 = std::env::var("NAERVAER_TWO_SERVERS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5eed_2026);
    println!("seed {seed} (NAERVAER_TWO_SERVERS_SEED repeats the devices' choices; timing varies)");
    let database = postgres::fresh_postgres_database().await;
    // The first seeds the demo; the second finds it there.
    let a = start_server(&database);
    let b = start_server(&database);
    let bases = Arc::new([a.base.clone(), b.base.clone()]);
    let http = reqwest::Client::new();

    // Who the demo's citizens are, and which team each belongs to.
    let coordinator = post(
        &http,
        format!("{}/api/v1/session", bases[0]),
        None,
        json!({"username": "dorte", "password": "demo"}),
    )
    .await;
    let mut census = Device::new("dorte", Sees::Everything, &coordinator);
    let mut citizens: BTreeMap<String, Vec<Uuid>> = BTreeMap::new();
    loop {
        let answer = post(
            &http,
            format!("{}/api/v1/sync", bases[1]),
            Some(&census.token),
            json!({"protocol": PROTOCOL_VERSION, "client_id": census.client_id,
                   "cursor": census.cursor, "cursor_tag": census.cursor_tag, "limit": 1000}),
        )
        .await;
        for change in answer["changes"].as_array().expect("changes") {
            if change["record"]["kind"] == "citizen" {
                let data = &change["record"]["data"];
                citizens
                    .entry(data["team"].as_str().expect("team").to_string())
                    .or_default()
                    .push(Uuid::parse_str(data["id"].as_str().expect("id")).expect("uuid"));
            }
        }
        census.cursor = answer["next_cursor"].as_u64().expect("cursor");
        census.cursor_tag = answer["cursor_tag"].as_u64().expect("cursor_tag");
        if answer["more"] != json!(true) {
            break;
        }
    }
    let team_of: BTreeMap<Uuid, String> = citizens
        .iter()
        .flat_map(|(team, ids)| ids.iter().map(move |id| (*id, team.clone())))
        .collect();

    // Two devices each for the Nord workers and Syd's worker, one for the
    // coordinator, one for the citizen; logged in through either server.
    let users: [&'static str; 8] = ["anna", "anna", "bo", "bo", "carl", "carl", "dorte", "else"];
    let mut rng = SmallRng::seed_from_u64(seed);
    let mut tasks = Vec::new();
    for (i, username) in users.into_iter().enumerate() {
        let login = post(
            &http,
            format!("{}/api/v1/session", bases[i % 2]),
            None,
            json!({"username": username, "password": "demo"}),
        )
        .await;
        let team = login["user"]["team"].as_str().map(str::to_string);
        let writes_for: Vec<Uuid> = match (login["user"]["role"].as_str(), &team) {
            (Some("worker"), Some(team)) => citizens.get(team).cloned().unwrap_or_default(),
            (Some("coordinator"), _) => team_of.keys().copied().collect(),
            _ => Vec::new(),
        };
        let sees = match (login["user"]["role"].as_str(), &team) {
            (Some("worker"), Some(team)) => Sees::Team(team.clone()),
            (Some("coordinator"), _) => Sees::Everything,
            _ => Sees::Citizen(
                login["user"]["citizen_id"]
                    .as_str()
                    .and_then(|id| Uuid::parse_str(id).ok())
                    .expect("a citizen's id"),
            ),
        };
        let mut device = Device::new(username, sees, &login);
        let mut rng = SmallRng::seed_from_u64(rng.random());
        let http = http.clone();
        let bases = bases.clone();
        tasks.push(tokio::spawn(async move {
            for _ in 0..ROUNDS {
                if !writes_for.is_empty() {
                    for _ in 0..rng.random_range(0..4) {
                        let citizen = writes_for[rng.random_range(0..writes_for.len())];
                        let seq = device.made.len() as u64 + 1;
                        device.made.push((seq, Uuid::new_v4(), citizen));
                    }
                }
                let base = &bases[rng.random_range(0..2)];
                let limit = rng.random_range(1..=40);
                let lose = rng.random_ratio(1, 10);
                device.sync(&http, base, limit, lose).await;
            }
            device
        }));
    }
    let mut devices = Vec::new();
    for task in tasks {
        devices.push(task.await.expect("a device task"));
    }
    // Catch up: everything pushed, everything pulled, through both servers.
    for device in &mut devices {
        let mut turn = 0;
        loop {
            let before = (device.acknowledged, device.cursor);
            device.sync(&http, &bases[turn % 2], 100, false).await;
            turn += 1;
            let all_pushed = device.acknowledged == device.made.len() as u64;
            if all_pushed && (device.acknowledged, device.cursor) == before {
                break;
            }
        }
    }
    // Anything pushed by a device that caught up earlier reaches the ones
    // before it in a second pass.
    for device in &mut devices {
        loop {
            let cursor = device.cursor;
            device.sync(&http, &bases[0], 100, false).await;
            if device.cursor == cursor {
                break;
            }
        }
    }

    let all_notes: BTreeMap<String, Uuid> = devices
        .iter()
        .flat_map(|d| {
            d.made
                .iter()
                .map(|(_, id, citizen)| (id.to_string(), *citizen))
        })
        .collect();
    assert!(
        all_notes.len() > 200,
        "too few notes to mean anything: {}",
        all_notes.len()
    );
    let mut total_received = 0;
    for device in &devices {
        // A change is a feed row: a record published again (a clip card
        // whose check changed) is a new change, a note revision is published
        // once.
        let mut seen = BTreeSet::new();
        for (seq, (kind, id)) in device.seqs.iter().zip(&device.received) {
            assert!(
                seen.insert(*seq),
                "seed {seed}: {} received change {seq} ({kind} {id}) twice",
                device.username
            );
        }
        let notes: Vec<&String> = device
            .received
            .iter()
            .filter(|(kind, _)| kind == "note")
            .map(|(_, id)| id)
            .collect();
        let distinct: BTreeSet<&String> = notes.iter().copied().collect();
        assert_eq!(
            notes.len(),
            distinct.len(),
            "seed {seed}: {} received a note revision twice",
            device.username
        );
        assert!(
            device.seqs.windows(2).all(|w| w[0] < w[1]),
            "seed {seed}: {} received feed numbers out of order",
            device.username
        );
        let received_notes: BTreeSet<&String> = device
            .received
            .iter()
            .filter(|(kind, id)| kind == "note" && all_notes.contains_key(id))
            .map(|(_, id)| id)
            .collect();
        let expected: BTreeSet<&String> = all_notes
            .iter()
            .filter(|(_, citizen)| match &device.sees {
                Sees::Everything => true,
                Sees::Team(team) => team_of.get(citizen) == Some(team),
                Sees::Citizen(own) => *citizen == own,
            })
            .map(|(id, _)| id)
            .collect();
        assert_eq!(
            received_notes, expected,
            "seed {seed}: {} did not receive exactly the notes it may see",
            device.username
        );
        total_received += device.received.len();
    }
    println!(
        "{} notes pushed by {} devices through 2 servers; {total_received} changes received",
        all_notes.len(),
        devices.len()
    );
    drop((a, b));
}

/// The health answer's status and body.
async fn health(http: &reqwest::Client, base: &str) -> (reqwest::StatusCode, Value) {
    let answer = http
        .get(format!("{base}/api/v1/health"))
        .send()
        .await
        .expect("health");
    let status = answer.status();
    (status, answer.json().await.expect("json"))
}

#[tokio::test]
#[ignore = "needs PostgreSQL: cargo xtask test starts a cluster and runs it"]
async fn health_says_when_the_database_does_not_answer() {
    use sqlx::Connection;
    let database = postgres::fresh_postgres_database().await;
    let server = start_server(&database);
    let http = reqwest::Client::new();
    let (status, body) = health(&http, &server.base).await;
    assert_eq!(status, reqwest::StatusCode::OK);
    assert_eq!(body["database"], "reachable");

    // The database goes away under the running server.
    let admin = std::env::var("NAERVAER_TEST_PG").expect("NAERVAER_TEST_PG");
    let name = database.rsplit('/').next().expect("a database name");
    let mut conn = sqlx::PgConnection::connect(&admin).await.expect("connect");
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await
        .expect("drop the database");
    let (status, body) = health(&http, &server.base).await;
    assert_eq!(status, reqwest::StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body["status"], "unavailable");
    assert_eq!(body["database"], "unreachable");
}
