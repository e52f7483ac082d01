//! A throwaway PostgreSQL cluster for the tests and the benchmark: Debian's
//! `postgresql` (installed when missing), `initdb` into a temporary folder,
//! started on a free port on 127.0.0.1 only, stopped and removed when the
//! [`Cluster`] is dropped. PostgreSQL will not run as root, so as root the
//! cluster runs as the `postgres` account Debian's package creates.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::Command;

use crate::exec::{Error, output, run};

/// The superuser the cluster is made with (trusted on 127.0.0.1 only).
const SUPERUSER: &str = "naervaer";

/// A running cluster; dropping it stops it and removes its files.
pub struct Cluster {
    dir: PathBuf,
    bin: PathBuf,
    port: u16,
    as_postgres: bool,
}

/// Installs Debian's `postgresql` when no `initdb` is found.
pub fn ensure_postgresql() -> Result<(), Error> {
    if server_bin().is_some() {
        return Ok(());
    }
    crate::tools::apt_install(&["postgresql"])
}

/// The newest installed server's `bin/` folder (with `initdb` and `pg_ctl`).
fn server_bin() -> Option<PathBuf> {
    let mut versions: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .ok()?
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version = e.file_name().to_string_lossy().parse().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    versions.sort();
    versions.pop().map(|(_, bin)| bin)
}

impl Cluster {
    /// Makes and starts a cluster. `durable` keeps PostgreSQL's defaults
    /// (for the benchmark); otherwise it skips flushing to disk, which a
    /// test cluster thrown away at the end does not need.
    pub fn start(durable: bool) -> Result<Cluster, Error> {
        ensure_postgresql()?;
        let bin = server_bin().ok_or("no PostgreSQL server found in /usr/lib/postgresql")?;
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .map_err(|e| format!("no free port: {e}"))?
            .port();
        let dir = std::env::temp_dir().join(format!("naervaer-pg-{}-{port}", std::process::id()));
        let _old = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
        let as_postgres = output("id", &["-u"]).is_some_and(|u| u == "0");
        let cluster = Cluster {
            dir,
            bin,
            port,
            as_postgres,
        };
        if as_postgres {
            let mut chown = Command::new("chown");
            chown.args(["-R", "postgres:postgres"]).arg(&cluster.dir);
            run(chown)?;
        }
        let data = cluster.data();
        let mut initdb = cluster.tool("initdb");
        initdb
            .arg("-D")
            .arg(&data)
            .args(["-U", SUPERUSER, "-A", "trust", "-E", "UTF8", "--no-sync"])
            .arg("--locale=C.UTF-8");
        run(initdb)?;
        let mut options = format!(
            "-p {port} -c listen_addresses=127.0.0.1 -k {} -c max_connections=200",
            cluster.dir.display()
        );
        if !durable {
            options.push_str(" -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
        }
        let mut start = cluster.tool("pg_ctl");
        start
            .arg("-D")
            .arg(&data)
            .arg("-l")
            .arg(cluster.dir.join("server.log"))
            .args(["-w", "-o", &options, "start"]);
        run(start)?;
        eprintln!(
            "xtask: PostgreSQL ({}) on 127.0.0.1:{port}, files in {}",
            cluster.bin.display(),
            cluster.dir.display()
        );
        Ok(cluster)
    }

    /// The URL of the cluster's `postgres` database.
    pub fn url(&self) -> String {
        self.database_url("postgres")
    }

    /// The URL of one database in the cluster.
    pub fn database_url(&self, name: &str) -> String {
        format!("postgres://{SUPERUSER}@127.0.0.1:{}/{name}", self.port)
    }

    /// Creates an empty database.
    pub fn create_database(&self, name: &str) -> Result<(), Error> {
        let mut create = self.tool("createdb");
        create.args([
            "-h",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-U",
            SUPERUSER,
            name,
        ]);
        run(create)
    }

    fn data(&self) -> PathBuf {
        self.dir.join("data")
    }

    /// One of the server's programs, run as `postgres` when we are root.
    fn tool(&self, name: &str) -> Command {
        let program = self.bin.join(name);
        let mut c = if self.as_postgres {
            let mut c = Command::new("runuser");
            c.args(["-u", "postgres", "--"]).arg(program);
            c
        } else {
            Command::new(program)
        };
        c.current_dir(Path::new("/"));
        c
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let mut stop = self.tool("pg_ctl");
        stop.arg("-D")
            .arg(self.data())
            .args(["-m", "immediate", "-w", "stop"]);
        if let Err(e) = run(stop) {
            eprintln!("xtask: stopping PostgreSQL: {e}");
        }
        let _removed = std::fs::remove_dir_all(&self.dir);
    }
}
