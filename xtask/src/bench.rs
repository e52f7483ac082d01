//! `cargo xtask bench [--db sqlite|postgres|both] [--devices N] [--seconds S]`:
//! the load benchmark. It builds the release server and `naervaer-bench`,
//! and for each database starts the server with the demo data on a free
//! port on 127.0.0.1 (a fresh SQLite file in a temporary folder; a
//! throwaway PostgreSQL cluster with its durable defaults), runs the
//! benchmark against it, and stops the server. Prints figures; fails only
//! when something cannot run.

use std::net::TcpListener;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::exec::{Error, cmd, root, run};
use crate::postgres::Cluster;

/// Stops the server when the benchmark ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _stopped = self.0.kill();
        let _reaped = self.0.wait();
    }
}

/// Runs the benchmark; `--db` picks the databases, the other arguments go
/// to `naervaer-bench` (`--devices`, `--mutations`, `--seconds`).
pub fn bench(args: &[String]) -> Result<(), Error> {
    let mut databases = "both".to_string();
    let mut rest = Vec::new();
    let mut args = args.iter();
    while let Some(arg) = args.next() {
        if arg == "--db" {
            databases = args
                .next()
                .cloned()
                .ok_or("--db needs sqlite, postgres or both")?;
        } else {
            rest.push(arg.clone());
        }
    }
    let (sqlite, postgres) = match databases.as_str() {
        "sqlite" => (true, false),
        "postgres" => (false, true),
        "both" => (true, true),
        other => return Err(format!("--db {other}: use sqlite, postgres or both")),
    };
    run(cmd(
        "cargo",
        &[
            "build",
            "--release",
            "--package",
            "naervaer-server",
            "--package",
            "naervaer-bench",
        ],
    ))?;
    if sqlite {
        let dir = std::env::temp_dir().join(format!("naervaer-bench-{}", std::process::id()));
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let database = dir.join("bench.sqlite3");
        let _removed = std::fs::remove_file(&database);
        let result = against(
            &format!("SQLite ({})", database.display()),
            &database.to_string_lossy(),
            &rest,
        );
        let _cleaned = std::fs::remove_dir_all(&dir);
        result?;
    }
    first_sync()?;
    if postgres {
        let cluster = Cluster::start(true)?;
        cluster.create_database("bench")?;
        let url = cluster.database_url("bench");
        against(&format!("PostgreSQL ({url})"), &url, &rest)?;
    }
    Ok(())
}

/// A new tablet's first sync of team Nord on the scale demo (600 citizens
/// in 5 teams; seeded into a fresh SQLite file first).
fn first_sync() -> Result<(), Error> {
    let dir = std::env::temp_dir().join(format!("naervaer-bench-scale-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let database = dir.join("scale.sqlite3");
    let result = (|| {
        let seeding = Instant::now();
        let (server, listen) = release_server(
            &["--demo-scale", "municipality"],
            &database.to_string_lossy(),
            Duration::from_secs(300),
        )?;
        eprintln!(
            "xtask bench: scale demo seeded in {:.0} s",
            seeding.elapsed().as_secs_f64()
        );
        let mut c = Command::new(root().join("target/release/naervaer-bench"));
        c.args([
            "--base",
            &format!("http://{listen}"),
            "--first-sync",
            "anna",
        ]);
        let result = run(c);
        drop(server);
        result
    })();
    let _cleaned = std::fs::remove_dir_all(&dir);
    result
}

/// Starts the release server with the demo on `database` (and `flags`) on
/// a free port; returns it once it listens (within `within`), and where.
fn release_server(
    flags: &[&str],
    database: &str,
    within: Duration,
) -> Result<(Server, String), Error> {
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let listen = format!("127.0.0.1:{port}");
    let child = Command::new(root().join("target/release/naervaer-server"))
        .args(["--listen", &listen, "--demo", "--database", database])
        .args(flags)
        .spawn()
        .map_err(|e| format!("start the server: {e}"))?;
    let server = Server(child);
    wait_until_listening(port, within)?;
    Ok((server, listen))
}

/// Starts the release server on `database` and runs the benchmark against it.
fn against(label: &str, database: &str, args: &[String]) -> Result<(), Error> {
    let (server, listen) = release_server(&[], database, Duration::from_secs(60))?;
    eprintln!("xtask bench: release server on {label}, {listen}");
    let mut c = Command::new(root().join("target/release/naervaer-bench"));
    c.args(["--base", &format!("http://{listen}")]).args(args);
    let result = run(c);
    drop(server);
    result
}

fn wait_until_listening(port: u16, within: Duration) -> Result<(), Error> {
    let started = Instant::now();
    while started.elapsed() < within {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err(format!(
        "the server did not start within {} s",
        within.as_secs()
    ))
}
