//! `cargo xtask bench [--devices N] [--seconds S]`: the load benchmark. It
//! builds the release server and `naervaer-bench`, starts the server with
//! the demo data on a free port on 127.0.0.1 with a fresh SQLite database in
//! a temporary folder, runs the benchmark against it, and stops the server.
//! Prints figures; fails only when something cannot run.

use std::net::TcpListener;
use std::process::{Child, Command};
use std::time::{Duration, Instant};

use crate::exec::{Error, cmd, root, run};

/// Stops the server when the benchmark ends, however it ends.
struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _stopped = self.0.kill();
        let _reaped = self.0.wait();
    }
}

/// Runs the benchmark; `args` go to `naervaer-bench` (`--devices`, `--mutations`, `--seconds`).
pub fn bench(args: &[String]) -> Result<(), Error> {
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
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map_err(|e| format!("no free port: {e}"))?
        .port();
    let dir = std::env::temp_dir().join(format!("naervaer-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let database = dir.join("bench.sqlite3");
    let _removed = std::fs::remove_file(&database);
    let listen = format!("127.0.0.1:{port}");
    let child = Command::new(root().join("target/release/naervaer-server"))
        .args(["--listen", &listen, "--demo", "--database"])
        .arg(&database)
        .spawn()
        .map_err(|e| format!("start the server: {e}"))?;
    let server = Server(child);
    wait_until_listening(port)?;
    eprintln!(
        "xtask bench: release server on SQLite ({}), port {port}",
        database.display()
    );
    let mut c = Command::new(root().join("target/release/naervaer-bench"));
    c.args(["--base", &format!("http://{listen}")]).args(args);
    let result = run(c);
    drop(server);
    let _cleaned = std::fs::remove_dir_all(&dir);
    result
}

fn wait_until_listening(port: u16) -> Result<(), Error> {
    let started = Instant::now();
    while started.elapsed() < Duration::from_secs(60) {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Ok(());
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    Err("the server did not start within 60 s".into())
}
