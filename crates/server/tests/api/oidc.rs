//! Login through the municipality's identity provider, attacked over HTTP:
//! a made-up or another browser's state, a replayed code, ID tokens with a
//! wrong nonce, audience or issuer, expired, tampered or signed with an
//! unknown key, an unknown or disabled person, and a replayed or stolen
//! handoff. The provider here is the test's own ([`crate::fake_idp`]), so
//! it can misbehave; the end-to-end tests log in through the real
//! `oidc-provider` in Chromium.

use naervaer_server::LoginSettings;
use naervaer_server::oidc::OidcSettings;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::common::TestServer;
use crate::fake_idp::{FakeIdp, Mischief};

const CLIENT: &str = "naervaer-test";

async fn setup(user: &str, password_login: bool) -> (TestServer, FakeIdp) {
    let idp = FakeIdp::start(CLIENT, user).await;
    let s = TestServer::start_with_login(LoginSettings {
        password: password_login,
        oidc: Some(OidcSettings {
            issuer: idp.issuer.clone(),
            client_id: CLIENT.into(),
            client_secret: "hemmelig".into(),
            user_claim: "preferred_username".into(),
            // The test plays the browser and calls the callback itself.
            redirect_url: "http://127.0.0.1:9/api/v1/oidc/callback".into(),
        }),
    })
    .await;
    (s, idp)
}

/// A browser: no redirects followed, the login cookie kept by hand.
struct Browser {
    http: reqwest::Client,
    cookie: Option<String>,
}

impl Browser {
    fn new() -> Browser {
        Browser {
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("client"),
            cookie: None,
        }
    }

    async fn get(&self, url: &str) -> reqwest::Response {
        let mut request = self.http.get(url);
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        request.send().await.expect("get")
    }

    /// Begins a login; returns the provider's authorization URL.
    async fn begin(&mut self, s: &TestServer) -> String {
        let answer = self.get(&s.url("/api/v1/oidc/start")).await;
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        let set = answer
            .headers()
            .get("set-cookie")
            .and_then(|v| v.to_str().ok())
            .expect("a login cookie")
            .to_owned();
        assert!(
            set.contains("HttpOnly") && set.contains("SameSite=Lax"),
            "{set}"
        );
        self.cookie = set.split(';').next().map(str::to_owned);
        location(&answer)
    }

    /// At the provider: returns the code and state it sends back.
    async fn at_provider(&self, authorize: &str) -> (String, String) {
        let answer = self.http.get(authorize).send().await.expect("authorize");
        let back = url::Url::parse(&location(&answer)).expect("url");
        let param = |name: &str| {
            back.query_pairs()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.into_owned())
                .expect("param")
        };
        (param("code"), param("state"))
    }

    /// Back at the server; returns where it sends the browser.
    async fn callback(&self, s: &TestServer, code: &str, state: &str) -> String {
        let answer = self
            .get(&s.url(&format!("/api/v1/oidc/callback?code={code}&state={state}")))
            .await;
        assert_eq!(answer.status(), StatusCode::SEE_OTHER);
        location(&answer)
    }

    /// The app trades the handoff code for a session.
    async fn handoff(&self, s: &TestServer, code: &str) -> (StatusCode, Value) {
        let mut request = self
            .http
            .post(s.url("/api/v1/session/handoff"))
            .json(&json!({"code": code}));
        if let Some(cookie) = &self.cookie {
            request = request.header("cookie", cookie);
        }
        let answer = request.send().await.expect("handoff");
        let status = answer.status();
        (status, answer.json().await.unwrap_or_default())
    }

    /// The whole login; returns where the server sends the browser at the end.
    async fn log_in(&mut self, s: &TestServer) -> String {
        let authorize = self.begin(s).await;
        let (code, state) = self.at_provider(&authorize).await;
        self.callback(s, &code, &state).await
    }
}

fn location(answer: &reqwest::Response) -> String {
    answer
        .headers()
        .get("location")
        .and_then(|v| v.to_str().ok())
        .expect("a Location")
        .to_owned()
}

fn handoff_code(location: &str) -> String {
    location
        .strip_prefix("/?handoff=")
        .unwrap_or_else(|| panic!("not logged in: {location}"))
        .to_owned()
}

#[tokio::test]
async fn a_municipal_login_gives_a_session_like_a_password_login() {
    let (s, _idp) = setup("Anna", true).await;
    let (status, options) = s.get("/api/v1/login-options").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(options, json!({"password": true, "municipal": true}));
    let mut browser = Browser::new();
    let authorize = browser.begin(&s).await;
    // PKCE, state and nonce go to the provider.
    for part in [
        "code_challenge_method=S256",
        "state=",
        "nonce=",
        "client_id=naervaer-test",
    ] {
        assert!(authorize.contains(part), "{part} missing in {authorize}");
    }
    let (code, state) = browser.at_provider(&authorize).await;
    let back = browser.callback(&s, &code, &state).await;
    let (status, session) = browser.handoff(&s, &handoff_code(&back)).await;
    assert_eq!(status, StatusCode::OK, "{session}");
    assert_eq!(session["user"]["username"], "anna");
    assert_eq!(session["data_key"].as_str().map(str::len), Some(64));
    let token = session["token"].as_str().expect("token");
    let (status, _) = s
        .sync(token, json!({"client_id": uuid::Uuid::new_v4()}))
        .await;
    assert_eq!(status, StatusCode::OK);
    let log = s
        .admin(&naervaer_server::admin_cli::AdminCommand::AccountLog { limit: 1 })
        .await
        .expect("log");
    assert!(
        log.contains("login\tanna") && log.ends_with("municipal login"),
        "{log}"
    );
}

#[tokio::test]
async fn a_made_up_used_or_other_browsers_state_is_refused() {
    let (s, _idp) = setup("anna", true).await;
    let mut browser = Browser::new();
    let authorize = browser.begin(&s).await;
    let (code, state) = browser.at_provider(&authorize).await;
    // A state nobody began.
    assert_eq!(
        browser.callback(&s, &code, "made-up").await,
        "/?login_error=bad_state"
    );
    // The right state from another browser (no login cookie, or another's):
    // a login an attacker began cannot be finished in the victim's browser.
    let mut victim = Browser::new();
    assert_eq!(
        victim.callback(&s, &code, &state).await,
        "/?login_error=bad_state"
    );
    victim.begin(&s).await;
    let (code2, state2) = {
        let mut attacker = Browser::new();
        let authorize = attacker.begin(&s).await;
        attacker.at_provider(&authorize).await
    };
    assert_eq!(
        victim.callback(&s, &code2, &state2).await,
        "/?login_error=bad_state"
    );
}

#[tokio::test]
async fn a_replayed_code_is_refused() {
    let (s, _idp) = setup("anna", true).await;
    let mut browser = Browser::new();
    let authorize = browser.begin(&s).await;
    let (code, state) = browser.at_provider(&authorize).await;
    let first = browser.callback(&s, &code, &state).await;
    assert!(first.starts_with("/?handoff="), "{first}");
    // The same answer again: its state is used up.
    assert_eq!(
        browser.callback(&s, &code, &state).await,
        "/?login_error=bad_state"
    );
    // The used code with a new login's state: the provider refuses it (used,
    // and made for another PKCE challenge).
    let authorize = browser.begin(&s).await;
    let (_, fresh_state) = browser.at_provider(&authorize).await;
    assert_eq!(
        browser.callback(&s, &code, &fresh_state).await,
        "/?login_error=code_refused"
    );
}

#[tokio::test]
async fn id_tokens_that_do_not_verify_are_refused() {
    let (s, idp) = setup("anna", true).await;
    for mischief in [
        Mischief::WrongNonce,
        Mischief::WrongAudience,
        Mischief::WrongIssuer,
        Mischief::Expired,
        Mischief::Tampered,
        Mischief::UnknownKey,
    ] {
        idp.misbehave(mischief);
        let back = Browser::new().log_in(&s).await;
        assert_eq!(back, "/?login_error=bad_id_token", "{mischief:?}");
    }
    // The same provider behaving again: the login works.
    idp.misbehave(Mischief::None);
    assert!(Browser::new().log_in(&s).await.starts_with("/?handoff="));
}

#[tokio::test]
async fn an_unknown_or_disabled_person_gets_no_session() {
    let (s, idp) = setup("nobody@koege.dk", true).await;
    assert_eq!(
        Browser::new().log_in(&s).await,
        "/?login_error=unknown_user"
    );
    idp.log_in_as("bo");
    s.set_disabled("bo", true).await;
    assert_eq!(
        Browser::new().log_in(&s).await,
        "/?login_error=account_disabled"
    );
    let log = s
        .admin(&naervaer_server::admin_cli::AdminCommand::AccountLog { limit: 3 })
        .await
        .expect("log");
    assert!(log.contains("login_disabled\tbo"), "{log}");
    assert!(log.contains("login_failed\tnobody@koege.dk"), "{log}");
}

#[tokio::test]
async fn a_handoff_works_once_and_only_in_the_browser_that_logged_in() {
    let (s, _idp) = setup("anna", true).await;
    let mut browser = Browser::new();
    let code = handoff_code(&browser.log_in(&s).await);
    // Another browser with the code (a link sent on, a leaked address):
    // refused, and the code is left for the browser that logged in.
    let thief = Browser::new();
    assert_eq!(thief.handoff(&s, &code).await.0, StatusCode::UNAUTHORIZED);
    assert_eq!(browser.handoff(&s, &code).await.0, StatusCode::OK);
    assert_eq!(browser.handoff(&s, &code).await.0, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn local_passwords_can_be_switched_off() {
    let (s, _idp) = setup("anna", false).await;
    let (status, options) = s.get("/api/v1/login-options").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(options, json!({"password": false, "municipal": true}));
    let (status, body) = s.try_login("anna", "demo").await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(body["error"]["code"], "password_login_off");
    // Without a provider, the municipal routes say so.
    let plain = TestServer::start().await;
    let (status, body) = plain.get("/api/v1/oidc/start").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_eq!(body["error"]["code"], "municipal_login_off");
}

#[tokio::test]
async fn an_account_stays_with_the_person_who_first_logged_in_to_it() {
    let (s, idp) = setup("anna", true).await;
    assert!(Browser::new().log_in(&s).await.starts_with("/?handoff="));
    // The provider gives the name "anna" to another person (a new account
    // there, or a name someone could change themselves): refused.
    idp.with_subject(Some("someone-else"));
    assert_eq!(
        Browser::new().log_in(&s).await,
        "/?login_error=another_person"
    );
    // After `admin unlink-municipal-login`, the next login links again.
    s.admin(
        &naervaer_server::admin_cli::AdminCommand::UnlinkMunicipalLogin {
            username: "anna".into(),
        },
    )
    .await
    .expect("unlink");
    assert!(Browser::new().log_in(&s).await.starts_with("/?handoff="));
    idp.with_subject(None);
    assert_eq!(
        Browser::new().log_in(&s).await,
        "/?login_error=another_person"
    );
}

#[tokio::test]
async fn a_name_that_is_a_login_name_only_after_unicode_folding_opens_nothing() {
    // The Kelvin sign lower-cases to "k" in Unicode: "\u{212A}arl" must not
    // be "karl".
    let (s, idp) = setup("\u{212A}arl", true).await;
    s.admin(&naervaer_server::admin_cli::AdminCommand::AddUser {
        username: "karl".into(),
        name: "Karl".into(),
        role: naervaer_server::admin_cli::RoleArg::Worker,
        team: Some("Nord".into()),
        citizen_id: None,
        password: naervaer_server::admin_cli::PasswordSource {
            password_file: None,
            no_password: true,
        },
    })
    .await
    .expect("add");
    assert_eq!(
        Browser::new().log_in(&s).await,
        "/?login_error=unknown_user"
    );
    for name in [" anna", "anna\u{200B}", "ANNA "] {
        idp.log_in_as(name);
        assert_eq!(
            Browser::new().log_in(&s).await,
            "/?login_error=unknown_user",
            "{name:?}"
        );
    }
    // Upper case ASCII is the same name.
    idp.log_in_as("ANNA");
    assert!(Browser::new().log_in(&s).await.starts_with("/?handoff="));
}
