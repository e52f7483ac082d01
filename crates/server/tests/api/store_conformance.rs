//! The suite every `Store` must pass, one named test per check, on a fresh
//! store of the kind under test: this binary runs once per store
//! (`NAERVAER_TEST_STORE`: SQLite, the in-memory twin, PostgreSQL), as the
//! device stores have theirs in `naervaer_sync::conformance`. The checks go
//! through the `Store` and `Tx` traits only, below the HTTP layer and the
//! protocol's rules.

use chrono::{Duration, Utc};
use naervaer_domain::clips::ClipPolicy;
use naervaer_domain::{Citizen, NoteCategory, Record, Rejection, Role, User, VisitNote};
use naervaer_server::sessions::SessionTimes;
use naervaer_server::store::{
    Audience, AuditEntry, Credentials, DataKey, FeedRow, Keep, MemoryStore, PgStore, Scope,
    SessionOwner, Settled, SqliteStore, Store, Tx,
};
use uuid::Uuid;

use crate::common::{StoreKind, fresh_postgres_database, store_under_test};

/// Session times ending at `end`, with no idle end.
fn until(end: chrono::DateTime<Utc>) -> SessionTimes {
    SessionTimes {
        expires_at: end,
        idle_until: None,
    }
}

/// The owner of a live session, without its times.
async fn owner<S: Store>(
    store: &S,
    hash: &str,
    now: chrono::DateTime<Utc>,
) -> Option<SessionOwner> {
    store
        .session_user(hash, now)
        .await
        .expect("read")
        .map(|(owner, _)| owner)
}

pub(crate) fn policy() -> ClipPolicy {
    ClipPolicy::shipped("furesoe")
        .expect("shipped")
        .expect("valid")
}

/// Runs `$check` on a fresh, empty store of the kind under test.
macro_rules! on_a_fresh_store {
    ($check:ident) => {
        match store_under_test() {
            StoreKind::Memory => $check(&MemoryStore::new(policy())).await,
            StoreKind::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let store = SqliteStore::open(&dir.path().join("store.sqlite3"), policy())
                    .await
                    .expect("open SQLite");
                $check(&store).await;
            }
            StoreKind::Postgres => {
                let url = fresh_postgres_database().await;
                let store = PgStore::connect(&url, policy())
                    .await
                    .expect("open PostgreSQL");
                $check(&store).await;
            }
        }
    };
}

fn citizen(name: &str, team: &str) -> Citizen {
    Citizen {
        id: Uuid::new_v4(),
        name: name.into(),
        address: format!("{name}vej 1"),
        team: team.into(),
    }
}

fn note(citizen: &Citizen, text: &str) -> Record {
    Record::Note(VisitNote::written(
        Uuid::new_v4(),
        citizen.id,
        &[],
        NoteCategory::Observation,
        text.into(),
        Utc::now(),
    ))
}

fn audience(c: &Citizen) -> Audience {
    Audience::Citizen {
        citizen_id: c.id,
        team: c.team.clone(),
    }
}

/// Stores a citizen and her feed row in one committed transaction.
async fn add_citizen<S: Store>(store: &S, c: &Citizen) {
    let mut tx = store.begin().await.expect("begin");
    let record = Record::Citizen(c.clone());
    tx.insert(&record).await.expect("insert citizen");
    tx.append_change(&record, &audience(c), Some(Utc::now()))
        .await
        .expect("feed row");
    tx.commit().await.expect("commit");
}

/// Stores a record and its feed row in one committed transaction.
async fn add<S: Store>(store: &S, record: &Record, audience: &Audience) {
    let mut tx = store.begin().await.expect("begin");
    tx.insert(record).await.expect("insert");
    tx.append_change(record, audience, Some(Utc::now()))
        .await
        .expect("feed row");
    tx.commit().await.expect("commit");
}

async fn feed<S: Store>(store: &S, scope: &Scope, cursor: u64) -> Vec<FeedRow> {
    store
        .changes_after(scope, cursor, 1_000, &Keep::everything())
        .await
        .expect("feed")
        .into_iter()
        .map(|row| row.parse().expect("a stored record"))
        .collect()
}

fn ids(rows: &[FeedRow]) -> Vec<Uuid> {
    rows.iter().map(|r| r.record.id()).collect()
}

fn worker(username: &str, team: &str) -> Credentials {
    Credentials {
        user: User {
            id: Uuid::new_v4(),
            username: username.into(),
            name: format!("{username} Hansen"),
            role: Role::Worker,
            team: Some(team.into()),
            citizen_id: None,
        },
        password_hash: "$argon2id$not-a-real-hash".into(),
    }
}

async fn dropped_transaction_leaves_nothing<S: Store>(store: &S) {
    let c = citizen("Inger", "Nord");
    let client = Uuid::new_v4();
    let anna = worker("anna", "Nord");
    store.insert_user(&anna).await.expect("user");
    {
        let mut tx = store.begin().await.expect("begin");
        let record = Record::Citizen(c.clone());
        tx.insert(&record).await.expect("insert");
        tx.append_change(&record, &audience(&c), None)
            .await
            .expect("feed row");
        tx.insert_client(client, anna.user.id)
            .await
            .expect("client");
        tx.audit(&AuditEntry {
            at: Utc::now(),
            user_id: Uuid::new_v4(),
            citizen_id: c.id,
            action: "read".into(),
            detail: "dropped".into(),
        })
        .await
        .expect("audit");
        // Dropped without commit: a push that failed half-way.
    }
    let mut tx = store.begin().await.expect("begin");
    assert_eq!(
        tx.find(naervaer_domain::ChangeKind::Citizen, c.id)
            .await
            .expect("find"),
        None
    );
    assert_eq!(tx.client(client).await.expect("client"), None);
    drop(tx);
    assert!(feed(store, &Scope::All, 0).await.is_empty());
    assert!(store.audit_of(c.id).await.expect("audit").is_empty());
}

#[tokio::test]
async fn a_transaction_dropped_without_commit_leaves_nothing() {
    on_a_fresh_store!(dropped_transaction_leaves_nothing);
}

async fn unknown_citizen_refused<S: Store>(store: &S) {
    let stored = citizen("Inger", "Nord");
    add_citizen(store, &stored).await;
    let nobody = citizen("Ingen", "Nord");
    let orphan = note(&nobody, "til ingen");
    let mut tx = store.begin().await.expect("begin");
    // The SQL stores write at commit, so the refusal may come then.
    let refused = match tx.insert(&orphan).await {
        Err(_) => {
            drop(tx);
            true
        }
        Ok(()) => tx.commit().await.is_err(),
    };
    assert!(
        refused,
        "a note naming a citizen that is not stored was kept"
    );
    let mut tx = store.begin().await.expect("begin");
    assert_eq!(
        tx.find(orphan.kind(), orphan.id()).await.expect("find"),
        None
    );
    let kept = note(&stored, "til Inger");
    tx.insert(&kept)
        .await
        .expect("a note naming a stored citizen");
    tx.commit().await.expect("commit");
    let mut tx = store.begin().await.expect("begin");
    assert_eq!(
        tx.find(kept.kind(), kept.id()).await.expect("find"),
        Some(kept)
    );
}

#[tokio::test]
async fn a_record_naming_a_citizen_that_is_not_stored_is_refused() {
    on_a_fresh_store!(unknown_citizen_refused);
}

async fn data_keys_made_once<S: Store>(store: &S) {
    let anna = worker("anna", "Nord");
    let bo = worker("bo", "Nord");
    for who in [&anna, &bo] {
        store.insert_user(who).await.expect("user");
    }
    let first = DataKey([1; 32]);
    let kept = store
        .data_key(anna.user.id, first.clone())
        .await
        .expect("made");
    assert_eq!(kept, first);
    let again = store
        .data_key(anna.user.id, DataKey([2; 32]))
        .await
        .expect("kept");
    assert_eq!(again, first, "a user's key changed");
    let other = store
        .data_key(bo.user.id, DataKey([3; 32]))
        .await
        .expect("bo's");
    assert_eq!(other, DataKey([3; 32]));
    assert!(
        store
            .data_key(Uuid::new_v4(), DataKey([4; 32]))
            .await
            .is_err(),
        "a key for nobody"
    );
}

#[tokio::test]
async fn a_users_data_key_is_made_once_and_never_changes() {
    on_a_fresh_store!(data_keys_made_once);
}

async fn committed_records_are_found<S: Store>(store: &S) {
    let c = citizen("Inger", "Nord");
    add_citizen(store, &c).await;
    let n = note(&c, "Drak kaffe");
    add(store, &n, &audience(&c)).await;
    let missing = Uuid::new_v4();
    let mut tx = store.begin().await.expect("begin");
    tx.prefetch(&[
        (naervaer_domain::ChangeKind::Note, n.id()),
        (naervaer_domain::ChangeKind::Note, missing),
    ])
    .await
    .expect("prefetch");
    assert_eq!(
        tx.find(naervaer_domain::ChangeKind::Note, n.id())
            .await
            .expect("find"),
        Some(n.clone())
    );
    assert_eq!(
        tx.find(naervaer_domain::ChangeKind::Note, missing)
            .await
            .expect("find"),
        None
    );
    assert_eq!(
        tx.find(naervaer_domain::ChangeKind::Citizen, c.id)
            .await
            .expect("find"),
        Some(Record::Citizen(c.clone()))
    );
    assert_eq!(
        tx.citizen_team(c.id).await.expect("team"),
        Some("Nord".into())
    );
    assert_eq!(tx.citizen_team(missing).await.expect("team"), None);
    // The in-memory twin holds its one lock for a transaction's life.
    drop(tx);
    assert_eq!(store.note_count().await.expect("count"), 1);
}

#[tokio::test]
async fn committed_records_are_found_and_absent_ones_are_not() {
    on_a_fresh_store!(committed_records_are_found);
}

async fn feed_rises_with_tags<S: Store>(store: &S) {
    let c = citizen("Inger", "Nord");
    add_citizen(store, &c).await;
    let mut tx = store.begin().await.expect("begin");
    for text in ["en", "to"] {
        let n = note(&c, text);
        tx.insert(&n).await.expect("insert");
        tx.append_change(&n, &audience(&c), Some(Utc::now()))
            .await
            .expect("feed row");
    }
    tx.commit().await.expect("commit");
    let rows = feed(store, &Scope::All, 0).await;
    assert_eq!(rows.len(), 3);
    assert!(rows.windows(2).all(|w| w[0].seq < w[1].seq), "numbers rise");
    for row in &rows {
        assert_ne!(row.tag, 0, "every new row has a tag");
        assert_eq!(store.feed_tag(row.seq).await.expect("tag"), Some(row.tag));
        assert!(row.received_at.is_some());
    }
    let after_first = feed(store, &Scope::All, rows[0].seq).await;
    assert_eq!(ids(&after_first), ids(&rows[1..]));
    let one = store
        .changes_after(&Scope::All, 0, 1, &Keep::everything())
        .await
        .expect("feed");
    assert_eq!(one.len(), 1, "the limit holds");
    assert_eq!(store.feed_tag(rows[2].seq + 1).await.expect("tag"), None);
}

#[tokio::test]
async fn feed_numbers_rise_in_commit_order_and_each_row_has_its_tag() {
    on_a_fresh_store!(feed_rises_with_tags);
}

async fn scopes_see_their_own<S: Store>(store: &S) {
    let nord = citizen("Inger", "Nord");
    let syd = citizen("Bent", "Syd");
    add_citizen(store, &nord).await;
    add_citizen(store, &syd).await;
    let for_nord = note(&nord, "nord");
    let for_syd = note(&syd, "syd");
    add(store, &for_nord, &audience(&nord)).await;
    add(store, &for_syd, &audience(&syd)).await;
    let shared = note(&nord, "til alle");
    add(store, &shared, &Audience::Everyone).await;

    let team = ids(&feed(store, &Scope::Team("Nord".into()), 0).await);
    assert_eq!(team, vec![nord.id, for_nord.id(), shared.id()]);
    let herself = ids(&feed(store, &Scope::Citizen(syd.id), 0).await);
    assert_eq!(herself, vec![syd.id, for_syd.id(), shared.id()]);
    assert_eq!(feed(store, &Scope::All, 0).await.len(), 5);
    assert_eq!(
        ids(&feed(store, &Scope::Team("Vest".into()), 0).await),
        vec![shared.id()],
        "a team with no citizens sees only what is shared"
    );
}

#[tokio::test]
async fn a_scope_sees_its_team_or_its_citizen_and_what_is_shared() {
    on_a_fresh_store!(scopes_see_their_own);
}

async fn settled_by_seq<S: Store>(store: &S) {
    let client = Uuid::new_v4();
    let anna = worker("anna", "Nord");
    store.insert_user(&anna).await.expect("user");
    let user = anna.user.id;
    let settled = |n: u64| Settled {
        fingerprint: format!("fp{n}"),
        record_id: (n != 5).then(Uuid::new_v4),
    };
    let rows: Vec<(u64, Settled)> = [1, 2, 5].into_iter().map(|n| (n, settled(n))).collect();
    let mut tx = store.begin().await.expect("begin");
    tx.insert_client(client, user).await.expect("client");
    tx.insert_settled(client, &rows).await.expect("settled");
    tx.set_last_seq(client, 5).await.expect("last seq");
    tx.commit().await.expect("commit");

    let mut tx = store.begin().await.expect("begin");
    assert_eq!(tx.client(client).await.expect("client"), Some((user, 5)));
    let found = tx.settled(client, &[2, 5, 7]).await.expect("settled");
    assert_eq!(
        found.len(),
        2,
        "only the seqs named, and only those settled"
    );
    assert_eq!(found.get(&2), Some(&rows[1].1));
    assert_eq!(found.get(&5), Some(&rows[2].1));
    assert!(
        tx.settled(Uuid::new_v4(), &[1])
            .await
            .expect("settled")
            .is_empty(),
        "another client's seqs are its own"
    );
    assert!(tx.settled(client, &[]).await.expect("settled").is_empty());
}

#[tokio::test]
async fn settled_mutations_are_found_by_the_seqs_named() {
    on_a_fresh_store!(settled_by_seq);
}

async fn rejections_kept<S: Store>(store: &S) {
    let client = Uuid::new_v4();
    let rejection = Rejection {
        seq: 3,
        code: "forbidden".into(),
        message: "Ikke dit hold".into(),
    };
    let anna = worker("anna", "Nord");
    store.insert_user(&anna).await.expect("user");
    let mut tx = store.begin().await.expect("begin");
    tx.insert_client(client, anna.user.id)
        .await
        .expect("client");
    tx.insert_rejection(client, &rejection)
        .await
        .expect("rejection");
    tx.commit().await.expect("commit");
    let mut tx = store.begin().await.expect("begin");
    assert_eq!(
        tx.rejection(client, 3).await.expect("read"),
        Some(rejection)
    );
    assert_eq!(tx.rejection(client, 4).await.expect("read"), None);
}

#[tokio::test]
async fn a_rejection_is_kept_for_its_seq() {
    on_a_fresh_store!(rejections_kept);
}

async fn moves_relabel<S: Store>(store: &S) {
    let c = citizen("Inger", "Nord");
    add_citizen(store, &c).await;
    let first = note(&c, "før flytningen");
    add(store, &first, &audience(&c)).await;
    let mut tx = store.begin().await.expect("begin");
    tx.move_citizen(c.id, "Nord", "Syd").await.expect("move");
    assert_eq!(
        tx.citizen_team(c.id).await.expect("team"),
        Some("Syd".into())
    );
    tx.commit().await.expect("commit");

    assert!(feed(store, &Scope::Team("Nord".into()), 0).await.is_empty());
    let syd = ids(&feed(store, &Scope::Team("Syd".into()), 0).await);
    assert_eq!(syd, vec![c.id, first.id()]);
    let mut tx = store.begin().await.expect("begin");
    let history = tx.citizen_changes(c.id).await.expect("history");
    assert_eq!(ids(&history), vec![c.id, first.id()]);
    let Some(Record::Citizen(moved)) = tx
        .find(naervaer_domain::ChangeKind::Citizen, c.id)
        .await
        .expect("find")
    else {
        panic!("the citizen is still there");
    };
    assert_eq!(moved.team, "Syd");
}

#[tokio::test]
async fn moving_a_citizen_relabels_her_feed_rows_and_her_record() {
    on_a_fresh_store!(moves_relabel);
}

async fn sessions_expire<S: Store>(store: &S) {
    let anna = worker("anna", "Nord");
    store.insert_user(&anna).await.expect("user");
    let now = Utc::now();
    store
        .create_session("hash-1", anna.user.id, &until(now + Duration::hours(1)))
        .await
        .expect("session");
    assert_eq!(
        owner(store, "hash-1", now).await,
        Some(SessionOwner::Active(anna.user.clone()))
    );
    assert_eq!(owner(store, "hash-1", now + Duration::hours(2)).await, None);
    assert_eq!(owner(store, "hash-2", now).await, None);
    // A logout ends the session at once; ending it again is no error.
    store
        .create_session("hash-3", anna.user.id, &until(now + Duration::hours(1)))
        .await
        .expect("session");
    store.delete_session("hash-3").await.expect("logout");
    store.delete_session("hash-3").await.expect("again");
    assert_eq!(owner(store, "hash-3", now).await, None);
}

#[tokio::test]
async fn a_session_ends_when_it_expires() {
    on_a_fresh_store!(sessions_expire);
}

async fn sessions_idle<S: Store>(store: &S) {
    let anna = worker("anna", "Nord");
    store.insert_user(&anna).await.expect("user");
    let now = Utc::now();
    let times = SessionTimes {
        expires_at: now + Duration::hours(12),
        idle_until: Some(now + Duration::minutes(30)),
    };
    store
        .create_session("idle-1", anna.user.id, &times)
        .await
        .expect("session");
    let (_, stored) = store
        .session_user("idle-1", now)
        .await
        .expect("read")
        .expect("live");
    assert_eq!(stored.idle_until, times.idle_until);
    // Without a request for 30 minutes it has ended.
    assert_eq!(
        owner(store, "idle-1", now + Duration::minutes(30)).await,
        None
    );
    // A request moves its idle end on.
    store
        .touch_session("idle-1", now + Duration::minutes(50))
        .await
        .expect("touch");
    assert_eq!(
        owner(store, "idle-1", now + Duration::minutes(40)).await,
        Some(SessionOwner::Active(anna.user.clone()))
    );
    assert_eq!(
        owner(store, "idle-1", now + Duration::minutes(50)).await,
        None
    );
    // Touching an ended session is no error.
    store
        .touch_session("gone", now)
        .await
        .expect("touch nothing");
}

#[tokio::test]
async fn a_session_ends_after_its_idle_time() {
    on_a_fresh_store!(sessions_idle);
}

async fn account_log<S: Store>(store: &S) {
    use naervaer_server::account_log::{AccountEvent, AccountEventKind};
    let anna = worker("anna", "Nord");
    store.insert_user(&anna).await.expect("user");
    let now = Utc::now();
    let events = [
        AccountEvent::new(AccountEventKind::LoginFailed, "ana", now)
            .from_address(Some("10.0.0.7".parse().expect("ip"))),
        AccountEvent::new(AccountEventKind::Login, "anna", now + Duration::seconds(1))
            .of(anna.user.id)
            .from_address(Some("::1".parse().expect("ip")))
            .saying("password"),
        AccountEvent::new(AccountEventKind::Moved, "anna", now + Duration::seconds(2))
            .of(anna.user.id)
            .by("dorte")
            .saying("team Nord to Syd"),
    ];
    for e in &events {
        store.record_account_event(e).await.expect("record");
    }
    let newest_first: Vec<_> = events.iter().rev().cloned().collect();
    let read = store.account_events(10).await.expect("read");
    // Times come back as stored (to the nanosecond as RFC 3339).
    assert_eq!(read, newest_first);
    assert_eq!(store.account_events(1).await.expect("read").len(), 1);
}

#[tokio::test]
async fn the_account_log_keeps_every_line_newest_first() {
    on_a_fresh_store!(account_log);
}

async fn password_hash_set<S: Store>(store: &S) {
    let anna = worker("anna", "Nord");
    store.insert_user(&anna).await.expect("user");
    let user = store
        .set_password_hash("anna", "new-hash")
        .await
        .expect("set");
    assert_eq!(user.id, anna.user.id);
    let read = store
        .credentials("anna")
        .await
        .expect("read")
        .expect("anna");
    assert_eq!(read.password_hash, "new-hash");
    assert!(matches!(
        store.set_password_hash("nobody", "x").await,
        Err(naervaer_server::store::StoreError::Missing("user"))
    ));
}

#[tokio::test]
async fn a_password_hash_is_set_anew() {
    on_a_fresh_store!(password_hash_set);
}

async fn accounts_disabled<S: Store>(store: &S) {
    let anna = worker("anna", "Nord");
    let bo = worker("bo", "Nord");
    store.insert_user(&anna).await.expect("user");
    store.insert_user(&bo).await.expect("user");
    let now = Utc::now();
    let later = now + Duration::hours(1);
    store
        .create_session("anna-1", anna.user.id, &until(later))
        .await
        .expect("session");
    store
        .create_session("bo-1", bo.user.id, &until(later))
        .await
        .expect("session");
    let disabled = store
        .set_disabled("anna", Some(now))
        .await
        .expect("disable");
    assert_eq!(disabled.id, anna.user.id);
    assert!(store.is_disabled(anna.user.id).await.expect("read"));
    assert!(!store.is_disabled(bo.user.id).await.expect("read"));
    // Her session is answered as disabled (so her devices learn it); Bo's works.
    assert_eq!(
        owner(store, "anna-1", now).await,
        Some(SessionOwner::Disabled(anna.user.clone()))
    );
    assert_eq!(
        owner(store, "bo-1", now).await,
        Some(SessionOwner::Active(bo.user.clone()))
    );
    // However late her device asks, it is told (and forgets her key).
    assert_eq!(
        owner(store, "anna-1", later + Duration::days(3)).await,
        Some(SessionOwner::Disabled(anna.user.clone()))
    );
    // Enabled again: her old sessions stay ended.
    store.set_disabled("anna", None).await.expect("enable");
    assert!(!store.is_disabled(anna.user.id).await.expect("read"));
    assert_eq!(owner(store, "anna-1", now).await, None);
    assert!(matches!(
        store.set_disabled("nobody", Some(now)).await,
        Err(naervaer_server::store::StoreError::Missing("user"))
    ));
}

#[tokio::test]
async fn a_disabled_account_is_told_apart_and_enabling_it_ends_its_sessions() {
    on_a_fresh_store!(accounts_disabled);
}

async fn accounts<S: Store>(store: &S) {
    assert!(store.is_empty().await.expect("empty"));
    let bo = worker("bo", "Syd");
    let anna = worker("anna", "Nord");
    store.insert_user(&bo).await.expect("user");
    store.insert_user(&anna).await.expect("user");
    assert!(!store.is_empty().await.expect("empty"));
    let names: Vec<String> = store
        .users()
        .await
        .expect("users")
        .into_iter()
        .map(|u| u.username)
        .collect();
    assert_eq!(names, ["anna", "bo"]);
    store
        .set_user_team(bo.user.id, Some("Nord"))
        .await
        .expect("move");
    let found = store.credentials("bo").await.expect("read").expect("bo");
    assert_eq!(found.user.team.as_deref(), Some("Nord"));
    assert_eq!(found.password_hash, bo.password_hash);
    assert!(store.credentials("nobody").await.expect("read").is_none());
    assert!(!store.database_id().is_nil());
    store.ping().await.expect("ping");
}

#[tokio::test]
async fn accounts_are_kept_listed_by_name_and_moved() {
    on_a_fresh_store!(accounts);
}

async fn audit_at_commit<S: Store>(store: &S) {
    let c = citizen("Inger", "Nord");
    let entry = |detail: &str| AuditEntry {
        at: Utc::now(),
        user_id: Uuid::new_v4(),
        citizen_id: c.id,
        action: "read".into(),
        detail: detail.into(),
    };
    let mut tx = store.begin().await.expect("begin");
    tx.audit(&entry("første")).await.expect("audit");
    tx.audit(&entry("anden")).await.expect("audit");
    tx.commit().await.expect("commit");
    let details: Vec<String> = store
        .audit_of(c.id)
        .await
        .expect("audit")
        .into_iter()
        .map(|a| a.detail)
        .collect();
    assert_eq!(details, ["første", "anden"], "oldest first");
    assert!(
        store
            .audit_of(Uuid::new_v4())
            .await
            .expect("audit")
            .is_empty()
    );
}

#[tokio::test]
async fn audit_rows_are_kept_at_commit_oldest_first() {
    on_a_fresh_store!(audit_at_commit);
}

async fn clients_of_known_users<S: Store>(store: &S) {
    let mut tx = store.begin().await.expect("begin");
    let refused = tx.insert_client(Uuid::new_v4(), Uuid::new_v4()).await;
    assert!(refused.is_err(), "a client id of an unknown user was kept");
}

#[tokio::test]
async fn a_client_id_belongs_to_a_known_user() {
    on_a_fresh_store!(clients_of_known_users);
}

async fn login_tickets<S: Store>(store: &S) {
    use naervaer_server::store::LoginTicket;
    let now = Utc::now();
    let ticket = |id: &str, at| LoginTicket {
        id_hash: id.into(),
        kind: "begun".into(),
        binding_hash: "cookie".into(),
        payload: "{}".into(),
        created_at: at,
    };
    let old = ticket("old", now - Duration::minutes(20));
    store
        .put_ticket(&old, now - Duration::hours(1))
        .await
        .expect("put");
    let fresh = ticket("fresh", now);
    // Putting a ticket drops those made before the bound given.
    store
        .put_ticket(&fresh, now - Duration::minutes(10))
        .await
        .expect("put");
    assert_eq!(
        store
            .take_ticket("begun", "old", "cookie")
            .await
            .expect("take"),
        None
    );
    // Another kind's ticket is not this one, nor another browser's: both
    // leave it.
    assert_eq!(
        store
            .take_ticket("done", "fresh", "cookie")
            .await
            .expect("take"),
        None
    );
    assert_eq!(
        store
            .take_ticket("begun", "fresh", "other cookie")
            .await
            .expect("take"),
        None
    );
    assert_eq!(
        store
            .take_ticket("begun", "fresh", "cookie")
            .await
            .expect("take"),
        Some(fresh)
    );
    // Taken once: a second take finds nothing.
    assert_eq!(
        store
            .take_ticket("begun", "fresh", "cookie")
            .await
            .expect("take"),
        None
    );
}

#[tokio::test]
async fn a_login_ticket_is_taken_once() {
    on_a_fresh_store!(login_tickets);
}
