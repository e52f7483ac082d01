//! `naervaer-server`: the sync endpoint and the built app, from one origin.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};
use naervaer_server::admin_cli::AdminCommand;
use naervaer_server::sessions::SessionPolicy;
use naervaer_server::{Config, start};

/// Nærvær's sync server. Serves the JSON API under /api/v1 and the built app
/// from the same origin, with an embedded SQLite database or on PostgreSQL.
#[derive(Debug, Parser)]
#[command(name = "naervaer-server", version)]
struct Args {
    /// Address and port to listen on (use a reverse proxy for HTTPS in production).
    #[arg(long, default_value = "127.0.0.1:8080")]
    listen: SocketAddr,
    /// Where data is kept: a SQLite file (created with its folder if
    /// missing), or a PostgreSQL URL (postgres://user@host:port/db) that
    /// several server processes may share. A password is not taken on the
    /// command line, where `ps` shows it: give it in PGPASSWORD or a
    /// PGPASSFILE, or the whole URL in NAERVAER_DATABASE.
    #[arg(
        long,
        env = "NAERVAER_DATABASE",
        default_value = "data/naervaer.sqlite3"
    )]
    database: String,
    /// Folder of the built app (Trunk's dist/) to serve; without it only the API is served.
    #[arg(long)]
    static_dir: Option<PathBuf>,
    /// Seed demo data (teams, citizens, visits, accounts with password `demo`) into an empty database.
    #[arg(long)]
    demo: bool,
    /// How many hours a login lasts before the user must log in again.
    #[arg(long, env = "NAERVAER_SESSION_HOURS", default_value_t = 12)]
    session_hours: i64,
    /// Minutes without a request after which a login ends on the server
    /// (a device that syncs keeps its login; one locked or switched off
    /// loses it).
    #[arg(long, env = "NAERVAER_SESSION_IDLE_MINUTES", default_value_t = 30)]
    session_idle_minutes: i64,
    /// The municipality's loneliness policy as JSON (see
    /// crates/server/policies/loneliness-default.json); without it the defaults apply.
    #[arg(long)]
    loneliness_policy: Option<PathBuf>,
    /// The UCLA-3 total (3–9) from which loneliness scores count as high;
    /// municipalities use 6 or 7 (default 6, or the policy file's). Overrides the file.
    #[arg(long, value_parser = clap::value_parser!(u8).range(3..=9))]
    ucla_cutoff: Option<u8>,
    /// The klippekort policy: a shipped one (nyborg, haderslev, viborg,
    /// furesoe, faxe) or a JSON file in the same form (see
    /// crates/domain/policies/clips/).
    #[arg(long, default_value = naervaer_domain::clips::DEFAULT_POLICY_ID)]
    clip_policy: String,
    /// Devices keep notes and loneliness registrations this many days
    /// (a citizen's newest registration always); older history stays here.
    #[arg(long, default_value_t = 90)]
    keep_history_days: i64,
    /// Devices keep planned visits and activity bookings this many days
    /// after they ended.
    #[arg(long, default_value_t = 14)]
    keep_past_visit_days: i64,
    /// Devices keep the changes this server has settled this many days
    /// more, so that they can send them again to a server restored from a
    /// backup older than that (make it longer than the oldest backup you
    /// would restore).
    #[arg(long, default_value_t = 30)]
    keep_sent_days: i64,
    /// Minutes without use (or hidden) before the app hides the citizens
    /// and asks for the PIN chosen at unlock.
    #[arg(long, default_value_t = 5)]
    soft_lock_minutes: u32,
    /// Minutes without use before the app drops its keys and asks for the
    /// password.
    #[arg(long, default_value_t = 30)]
    hard_lock_minutes: u32,
    /// Days after a user's last online login during which their password
    /// opens a device offline.
    #[arg(long, default_value_t = 7)]
    offline_unlock_days: u32,
    /// With --demo: `small` (2 teams, the default) or `municipality` (about
    /// 600 citizens in 5 teams, 80 workers, 90 days of history).
    #[arg(long, value_enum, default_value_t = naervaer_server::demo::DemoScale::Small)]
    demo_scale: naervaer_server::demo::DemoScale,
    /// The address people reach the server at, e.g.
    /// https://naervaer.kommune.dk. When it is https://, every answer
    /// carries HSTS (browsers then use only HTTPS for the site).
    #[arg(long, env = "NAERVAER_PUBLIC_URL")]
    public_url: Option<String>,
    /// A reverse proxy whose X-Forwarded-For (the client's address, for the
    /// login throttle and the account log) and X-Forwarded-Proto (HTTPS, for
    /// HSTS) are believed. May be given more than once.
    #[arg(long, value_name = "IP")]
    trusted_proxy: Vec<std::net::IpAddr>,
    /// The municipality's OpenID Connect identity provider (its issuer
    /// URL, e.g. https://login.microsoftonline.com/TENANT/v2.0): the login
    /// page offers "Log ind med kommunens login". Needs --public-url,
    /// --oidc-client-id and a client secret.
    #[arg(long, env = "NAERVAER_OIDC_ISSUER", requires = "oidc_client_id")]
    oidc_issuer: Option<String>,
    /// This server's client id at the identity provider.
    #[arg(long, env = "NAERVAER_OIDC_CLIENT_ID")]
    oidc_client_id: Option<String>,
    /// A file holding the client secret (or give the secret itself in the
    /// environment variable NAERVAER_OIDC_CLIENT_SECRET; never on the
    /// command line).
    #[arg(long, env = "NAERVAER_OIDC_CLIENT_SECRET_FILE")]
    oidc_client_secret_file: Option<std::path::PathBuf>,
    /// The ID token claim whose value is a Nærvær login name.
    #[arg(
        long,
        env = "NAERVAER_OIDC_USER_CLAIM",
        default_value = "preferred_username"
    )]
    oidc_user_claim: String,
    /// Local passwords do not log in (only the municipality's login does;
    /// devices still open offline with the code chosen on them).
    #[arg(long)]
    no_password_login: bool,
    /// Seconds a request may take before it is answered 503 and undone.
    #[arg(long, default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    request_timeout_seconds: u64,
    /// Seconds a client may take to send a request's headers.
    #[arg(long, default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..=600))]
    header_read_timeout_seconds: u64,
    /// Stop by itself after this many seconds (for tests and demos).
    #[arg(long)]
    stop_after: Option<u64>,
    /// Instead of serving: an administrative change on the database.
    #[command(subcommand)]
    command: Option<Command>,
}

/// What to do instead of serving.
#[derive(Debug, Subcommand)]
enum Command {
    /// An administrative change on the database given by --database (the
    /// servers using it may keep running).
    Admin {
        /// The change.
        #[command(subcommand)]
        command: AdminCommand,
    },
}

/// The login settings from the flags and the environment.
fn login_settings(args: &Args) -> Result<naervaer_server::LoginSettings, String> {
    let Some(issuer) = args.oidc_issuer.clone() else {
        if args.no_password_login {
            return Err("--no-password-login needs --oidc-issuer: nobody could log in".into());
        }
        return Ok(naervaer_server::LoginSettings::default());
    };
    let client_id = args
        .oidc_client_id
        .clone()
        .ok_or("--oidc-issuer needs --oidc-client-id")?;
    let client_secret = match (
        &args.oidc_client_secret_file,
        std::env::var("NAERVAER_OIDC_CLIENT_SECRET"),
    ) {
        (Some(path), _) => std::fs::read_to_string(path)
            .map_err(|e| format!("cannot read {}: {e}", path.display()))?
            .trim()
            .to_owned(),
        (None, Ok(secret)) => secret,
        (None, Err(_)) => {
            return Err(
                "--oidc-issuer needs --oidc-client-secret-file or NAERVAER_OIDC_CLIENT_SECRET"
                    .into(),
            );
        }
    };
    let public = args
        .public_url
        .as_deref()
        .ok_or("--oidc-issuer needs --public-url (the provider sends people back there)")?;
    Ok(naervaer_server::LoginSettings {
        password: !args.no_password_login,
        oidc: Some(naervaer_server::oidc::OidcSettings {
            issuer,
            client_id,
            client_secret,
            user_claim: args.oidc_user_claim.clone(),
            redirect_url: format!("{}/api/v1/oidc/callback", public.trim_end_matches('/')),
        }),
    })
}

#[tokio::main]
async fn main() -> ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn".into()),
        )
        .init();
    let args = Args::parse();
    let database = naervaer_server::Database::parse(&args.database);
    if database.has_password()
        && std::env::var("NAERVAER_DATABASE").ok() != Some(args.database.clone())
    {
        eprintln!(
            "naervaer-server: the database URL carries a password on the command line, where `ps` shows it; \
             give the password in PGPASSWORD or a PGPASSFILE, or the whole URL in NAERVAER_DATABASE"
        );
        return ExitCode::from(2);
    }
    let sessions = SessionPolicy {
        lifetime: chrono::Duration::hours(args.session_hours),
        idle: chrono::Duration::minutes(args.session_idle_minutes),
    };
    if let Err(e) = sessions.validate() {
        eprintln!("naervaer-server: sessions: {e}");
        return ExitCode::from(2);
    }
    let loneliness_policy = match naervaer_server::policy_file::load(
        args.loneliness_policy.as_deref(),
        args.ucla_cutoff,
    ) {
        Ok(policy) => policy,
        Err(e) => {
            eprintln!("naervaer-server: {e}");
            return ExitCode::from(2);
        }
    };
    let clip_policy = match naervaer_server::policy_file::load_clip(&args.clip_policy) {
        Ok(policy) => policy,
        Err(e) => {
            eprintln!("naervaer-server: {e}");
            return ExitCode::from(2);
        }
    };
    let retention = naervaer_domain::retention::RetentionPolicy {
        history_days: args.keep_history_days,
        past_visit_days: args.keep_past_visit_days,
        sent_log_days: args.keep_sent_days,
    };
    if let Err(e) = retention.validate() {
        eprintln!("naervaer-server: retention: {e}");
        return ExitCode::from(2);
    }
    let screen_lock = naervaer_domain::screen_lock::LockPolicy {
        soft_after_minutes: args.soft_lock_minutes,
        hard_after_minutes: args.hard_lock_minutes,
        offline_unlock_days: args.offline_unlock_days,
    };
    if let Err(e) = screen_lock.validate() {
        eprintln!("naervaer-server: screen lock: {e}");
        return ExitCode::from(2);
    }
    if let Some(Command::Admin { command }) = &args.command {
        return match naervaer_server::admin_cli::run(&database, clip_policy, &retention, command)
            .await
        {
            Ok(said) => {
                if !said.is_empty() {
                    println!("{said}");
                }
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("naervaer-server: {e}");
                ExitCode::FAILURE
            }
        };
    }
    let https = match args.public_url.as_deref().map(url::Url::parse) {
        None => false,
        Some(Ok(url)) if matches!(url.scheme(), "https" | "http") => url.scheme() == "https",
        Some(_) => {
            eprintln!("naervaer-server: --public-url must be an http:// or https:// URL");
            return ExitCode::from(2);
        }
    };
    let http = naervaer_server::http_limits::HttpSettings {
        request_timeout: std::time::Duration::from_secs(args.request_timeout_seconds),
        header_read_timeout: std::time::Duration::from_secs(args.header_read_timeout_seconds),
        trusted_proxies: args.trusted_proxy.clone(),
        https,
    };
    let login = match login_settings(&args) {
        Ok(login) => login,
        Err(e) => {
            eprintln!("naervaer-server: {e}");
            return ExitCode::from(2);
        }
    };
    let config = Config {
        listen: args.listen,
        database,
        static_dir: args.static_dir.clone(),
        demo: args.demo,
        sessions,
        loneliness_policy,
        clip_policy,
        retention,
        screen_lock,
        demo_scale: args.demo_scale,
        http,
        login,
    };
    let running = match start(config).await {
        Ok(running) => running,
        Err(e) => {
            eprintln!("naervaer-server could not start: {e}");
            return ExitCode::FAILURE;
        }
    };
    // The first line is read by tests to learn the port.
    println!("listening on http://{}", running.addr);
    if args.demo {
        println!(
            "demo logins (password 'demo'): anna, bo (Nord), carl (Syd), dorte (coordinator), else (citizen)"
        );
        if args.demo_scale == naervaer_server::demo::DemoScale::Municipality {
            println!(
                "municipality scale: also nord03..nord16, syd02..syd16, oest01..oest16, vest01..vest16, midt01..midt16"
            );
        }
    }
    let stop_after = async {
        match args.stop_after {
            Some(secs) => tokio::time::sleep(std::time::Duration::from_secs(secs)).await,
            None => std::future::pending().await,
        }
    };
    tokio::select! {
        result = running.task => match result {
            Ok(Ok(())) => ExitCode::SUCCESS,
            Ok(Err(e)) => { eprintln!("server failed: {e}"); ExitCode::FAILURE }
            Err(e) => { eprintln!("server task failed: {e}"); ExitCode::FAILURE }
        },
        _ = tokio::signal::ctrl_c() => ExitCode::SUCCESS,
        _ = stop_after => { println!("stopping after --stop-after"); ExitCode::SUCCESS }
    }
}
