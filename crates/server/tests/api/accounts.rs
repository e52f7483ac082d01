//! Accounts made and changed by the server's `admin` command, and the
//! account log of logins, failed logins, logouts and changes.

use std::path::PathBuf;

use naervaer_server::accounts::AccountError;
use naervaer_server::admin_cli::{AdminCommand, AdminError, PasswordSource, RoleArg};
use reqwest::StatusCode;
use serde_json::json;

use crate::common::TestServer;

fn password_file(dir: &tempfile::TempDir, password: &str) -> PasswordSource {
    let path: PathBuf = dir.path().join(format!("pw-{}", uuid::Uuid::new_v4()));
    std::fs::write(&path, format!("{password}\n")).expect("write the password file");
    PasswordSource {
        password_file: Some(path),
        no_password: false,
    }
}

fn add_worker(username: &str, team: Option<&str>, password: PasswordSource) -> AdminCommand {
    AdminCommand::AddUser {
        username: username.into(),
        name: "Fie Friis".into(),
        role: RoleArg::Worker,
        team: team.map(str::to_owned),
        citizen_id: None,
        password,
    }
}

/// The account log's lines, newest first, as (event, username, address, by).
async fn account_log(s: &TestServer) -> Vec<(String, String, String, String)> {
    let text = s
        .admin(&AdminCommand::AccountLog { limit: 100 })
        .await
        .expect("account log");
    text.lines()
        .map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            (
                cols[1].to_owned(),
                cols[2].to_owned(),
                cols[3].to_owned(),
                cols[4].to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn an_added_worker_logs_in_and_sees_her_team() {
    let s = TestServer::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let said = s
        .admin(&add_worker(
            " Fie ",
            Some("nord"),
            password_file(&dir, "lang-nok-kode"),
        ))
        .await
        .expect("add");
    // The team is spelt as the team the store knows; nothing is printed
    // of a password the admin chose.
    assert_eq!(said, "added fie (Fie Friis), worker, Nord");
    let (status, answer) = s.try_login("fie", "lang-nok-kode").await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["user"]["team"], "Nord");
    assert_eq!(answer["user"]["role"], "worker");
    let log = account_log(&s).await;
    assert_eq!(log[0].0, "login");
    assert_eq!(log[0].1, "fie");
    assert_eq!(log[0].2, "127.0.0.1");
    assert_eq!(log[1].0, "added");
    assert_eq!(log[1].3, "-", "made on the command line");
}

#[tokio::test]
async fn a_random_password_is_printed_once_and_works() {
    let s = TestServer::start().await;
    let said = s
        .admin(&add_worker(
            "gustav",
            Some("Syd"),
            PasswordSource::default(),
        ))
        .await
        .expect("add");
    let password = said
        .rsplit_once("(shown only now): ")
        .map(|(_, p)| p.to_owned())
        .expect("the password is shown");
    assert_eq!(password.chars().count(), 16);
    assert_eq!(s.try_login("gustav", &password).await.0, StatusCode::OK);
}

#[tokio::test]
async fn bad_accounts_are_refused_with_a_reason() {
    let s = TestServer::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let good = || password_file(&dir, "lang-nok-kode");
    let refused = |r: Result<String, AdminError>| match r {
        Err(AdminError::Account(e)) => e,
        other => panic!("expected a refusal, got {other:?}"),
    };
    assert!(matches!(
        refused(s.admin(&add_worker("anna", Some("Nord"), good())).await),
        AccountError::Taken(_)
    ));
    assert!(matches!(
        refused(s.admin(&add_worker("fie", None, good())).await),
        AccountError::Incomplete(_)
    ));
    assert!(matches!(
        refused(
            s.admin(&add_worker("fie friis", Some("Nord"), good()))
                .await
        ),
        AccountError::BadUsername
    ));
    assert!(matches!(
        refused(
            s.admin(&add_worker(
                "fie",
                Some("Nord"),
                password_file(&dir, "kort")
            ))
            .await
        ),
        AccountError::BadPassword
    ));
    let citizen = AdminCommand::AddUser {
        username: "gerda".into(),
        name: "Gerda".into(),
        role: RoleArg::Citizen,
        team: None,
        citizen_id: Some(uuid::Uuid::new_v4()),
        password: good(),
    };
    assert!(matches!(
        refused(s.admin(&citizen).await),
        AccountError::UnknownCitizen(_)
    ));
    assert!(matches!(
        refused(
            s.admin(&AdminCommand::ResetPassword {
                username: "nobody".into(),
                password: good(),
            })
            .await
        ),
        AccountError::Unknown(_)
    ));
    // Nothing was made.
    assert_eq!(
        s.try_login("fie", "lang-nok-kode").await.0,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn an_account_without_a_local_password_never_opens_with_one() {
    let s = TestServer::start().await;
    let said = s
        .admin(&add_worker(
            "hanne",
            Some("Nord"),
            PasswordSource {
                password_file: None,
                no_password: true,
            },
        ))
        .await
        .expect("add");
    assert!(said.ends_with("no local password"), "{said}");
    // Not the empty password, and not the text the server checks unknown
    // names against either.
    for password in ["", "no such user", "demo"] {
        let (status, answer) = s.try_login("hanne", password).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{password:?}: {answer}");
    }
}

#[tokio::test]
async fn a_reset_password_replaces_the_old_one() {
    let s = TestServer::start().await;
    let dir = tempfile::tempdir().expect("temp dir");
    let token = s.login("anna").await;
    s.admin(&AdminCommand::ResetPassword {
        username: "Anna".into(),
        password: password_file(&dir, "nyt-kodeord-42"),
    })
    .await
    .expect("reset");
    assert_eq!(
        s.try_login("anna", "demo").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        s.try_login("anna", "nyt-kodeord-42").await.0,
        StatusCode::OK
    );
    // Her sessions end: a password set anew after a compromise shuts the
    // intruder out.
    let (status, _) = s
        .sync(&token, json!({"client_id": uuid::Uuid::new_v4()}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert!(
        account_log(&s)
            .await
            .iter()
            .any(|e| e.0 == "password_reset")
    );
}

#[tokio::test]
async fn logins_failed_logins_logouts_and_changes_are_logged() {
    let s = TestServer::start().await;
    assert_eq!(
        s.try_login("anna", "wrong").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        s.try_login("nobody", "wrong").await.0,
        StatusCode::UNAUTHORIZED
    );
    let token = s.login("anna").await;
    assert_eq!(s.logout(&token).await, StatusCode::OK);
    s.admin(&AdminCommand::MoveWorker {
        username: "bo".into(),
        team: "Syd".into(),
    })
    .await
    .expect("move");
    s.set_disabled("bo", true).await;
    assert_eq!(s.try_login("bo", "demo").await.0, StatusCode::UNAUTHORIZED);
    s.set_disabled("bo", false).await;
    let log = account_log(&s).await;
    let events: Vec<(&str, &str)> = log
        .iter()
        .rev()
        .map(|(event, user, _, _)| (event.as_str(), user.as_str()))
        .collect();
    assert_eq!(
        events,
        [
            ("login_failed", "anna"),
            ("login_failed", "nobody"),
            ("login", "anna"),
            ("logout", "anna"),
            ("moved", "bo"),
            ("disabled", "bo"),
            ("login_disabled", "bo"),
            ("enabled", "bo"),
        ]
    );
    assert!(
        log.iter()
            .filter(|e| e.0.starts_with("log"))
            .all(|e| e.2 == "127.0.0.1")
    );
}

#[tokio::test]
async fn a_coordinator_adds_disables_and_resets_accounts_over_http() {
    let s = TestServer::start().await;
    let dorte = s.login("dorte").await;
    let anna = s.login("anna").await;
    // A care worker may not.
    for path in [
        "/api/v1/admin/accounts",
        "/api/v1/admin/account-state",
        "/api/v1/admin/account-password",
    ] {
        let (status, body) = s.post(path, Some(&anna), json!({})).await;
        assert!(
            status == StatusCode::FORBIDDEN || status == StatusCode::UNPROCESSABLE_ENTITY,
            "{path}: {status} {body}"
        );
    }
    assert_eq!(
        s.get_with("/api/v1/admin/accounts", &anna).await.0,
        StatusCode::FORBIDDEN
    );
    let add = |body: serde_json::Value| {
        let s = &s;
        let dorte = dorte.clone();
        async move { s.post("/api/v1/admin/accounts", Some(&dorte), body).await }
    };
    let (status, added) = add(json!({
        "username": "Fie", "name": "Fie Friis", "role": "worker", "team": "syd",
        "password": "lang-nok-kode"
    }))
    .await;
    assert_eq!(status, StatusCode::OK, "{added}");
    assert_eq!(added["username"], "fie");
    assert_eq!(added["team"], "Syd");
    assert_eq!(added["local_password"], true);
    assert_eq!(s.try_login("fie", "lang-nok-kode").await.0, StatusCode::OK);
    // Only the municipal login: no password.
    let (status, added) = add(json!({
        "username": "gert", "name": "Gert", "role": "worker", "team": "Nord", "password": null
    }))
    .await;
    assert_eq!(status, StatusCode::OK, "{added}");
    assert_eq!(added["local_password"], false);
    // Refusals are 4xx with a code.
    for (body, status, code) in [
        (
            json!({"username": "fie", "name": "F", "role": "worker", "team": "Syd", "password": null}),
            StatusCode::CONFLICT,
            "username_taken",
        ),
        (
            json!({"username": "h", "name": "H", "role": "worker", "team": "Syd", "password": "kort"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_password",
        ),
        (
            json!({"username": "h", "name": "H", "role": "worker", "team": null, "password": null}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "incomplete",
        ),
        (
            json!({"username": "h", "name": "H", "role": "citizen", "team": null, "password": null}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "bad_role",
        ),
    ] {
        let (got, answer) = add(body).await;
        assert_eq!(got, status, "{answer}");
        assert_eq!(answer["error"]["code"], code);
    }
    let (status, list) = s.get_with("/api/v1/admin/accounts", &dorte).await;
    assert_eq!(status, StatusCode::OK);
    let names: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .filter_map(|a| a["username"].as_str())
        .collect();
    assert!(names.contains(&"fie") && names.contains(&"gert") && names.contains(&"anna"));

    // Disabling ends the account's sessions at once.
    let bo = s.login("bo").await;
    let (status, answer) = s
        .post(
            "/api/v1/admin/account-state",
            Some(&dorte),
            json!({"username": "bo", "disabled": true}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(answer["disabled"], true);
    let (status, body) = s
        .sync(&bo, json!({"client_id": uuid::Uuid::new_v4()}))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(body["error"]["code"], "account_disabled");
    // Not one's own.
    let (status, answer) = s
        .post(
            "/api/v1/admin/account-state",
            Some(&dorte),
            json!({"username": "Dorte", "disabled": true}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer["error"]["code"], "own_account");
    // A new password: the old one stops working.
    let (status, answer) = s
        .post(
            "/api/v1/admin/account-password",
            Some(&dorte),
            json!({"username": "anna", "password": "nyt-kodeord-99"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{answer}");
    assert_eq!(
        s.try_login("anna", "demo").await.0,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        s.try_login("anna", "nyt-kodeord-99").await.0,
        StatusCode::OK
    );
    // Not for an account of the municipal login only, nor another
    // coordinator's: those are the server command's.
    let (status, answer) = s
        .post(
            "/api/v1/admin/account-password",
            Some(&dorte),
            json!({"username": "gert", "password": "nyt-kodeord-99"}),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(answer["error"]["code"], "no_local_password");
    let dir = tempfile::tempdir().expect("temp dir");
    s.admin(&AdminCommand::AddUser {
        username: "hanne".into(),
        name: "Hanne".into(),
        role: RoleArg::Coordinator,
        team: None,
        citizen_id: None,
        password: password_file(&dir, "lang-nok-kode"),
    })
    .await
    .expect("add a coordinator on the command line");
    let (status, answer) = add(json!({
        "username": "ida", "name": "Ida", "role": "coordinator", "team": null,
        "password": "lang-nok-kode"
    }))
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{answer}");
    assert_eq!(answer["error"]["code"], "bad_role");
    for (path, body) in [
        (
            "/api/v1/admin/account-password",
            json!({"username": "hanne", "password": "nyt-kodeord-99"}),
        ),
        (
            "/api/v1/admin/account-state",
            json!({"username": "hanne", "disabled": true}),
        ),
    ] {
        let (status, answer) = s.post(path, Some(&dorte), body).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{path}: {answer}");
    }
    assert_eq!(
        s.try_login("hanne", "lang-nok-kode").await.0,
        StatusCode::OK
    );
    let (status, answer) = s
        .post(
            "/api/v1/admin/account-password",
            Some(&dorte),
            json!({"username": "nobody", "password": "nyt-kodeord-99"}),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(answer["error"]["code"], "unknown_account");
    // Each change names the coordinator in the account log.
    let log = account_log(&s).await;
    for event in ["added", "disabled", "password_reset"] {
        assert!(
            log.iter().any(|e| e.0 == event && e.3 == "dorte"),
            "{event} by dorte missing: {log:?}"
        );
    }
}
