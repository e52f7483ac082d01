//! `cargo xtask run`: build everything in release mode and start the server
//! with demo data on http://127.0.0.1:8080.

use crate::exec::{Error, cmd, root, run as run_cmd};
use crate::tools::ensure_all;

/// Builds the app into `dist/` with Trunk (release, size-optimised).
pub fn build_app() -> Result<(), Error> {
    let mut c = cmd("trunk", &["build", "--release"]);
    // These flags replace `.cargo/config.toml`'s wasm rustflags, so the
    // `erase_components` setting from there is repeated here.
    let flags = ["--cfg", "erase_components", &remap_flags()].join("\u{1f}");
    c.env("CARGO_ENCODED_RUSTFLAGS", flags);
    run_cmd(c)
}

/// Source paths in the app's panic messages made relative: the download
/// then holds no path of the machine that built it (the same bytes from any
/// checkout), and is a little smaller. Only the app's build gets these flags
/// (encoded: one flag per field, so a path may hold spaces).
fn remap_flags() -> String {
    let cargo_home = std::env::var_os("CARGO_HOME")
        .map(std::path::PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| std::path::PathBuf::from(h).join(".cargo")));
    let mut prefixes = vec![root()];
    if let Some(Ok(entries)) = cargo_home.map(|h| std::fs::read_dir(h.join("registry/src"))) {
        prefixes.extend(entries.filter_map(|e| e.ok()).map(|e| e.path()));
    }
    prefixes
        .iter()
        .map(|p| format!("--remap-path-prefix={}/=", p.display()))
        .collect::<Vec<_>>()
        .join("\u{1f}")
}

/// Builds and starts the app and the server. `--scale municipality` seeds
/// the municipality-scale demo (in its own database file).
pub fn run(args: &[String]) -> Result<(), Error> {
    let municipality = match args {
        [] => false,
        [flag, scale] if flag == "--scale" && scale == "municipality" => true,
        [flag, scale] if flag == "--scale" && scale == "small" => false,
        _ => return Err("usage: cargo xtask run [--scale small|municipality]".into()),
    };
    ensure_all()?;
    build_app()?;
    run_cmd(cmd(
        "cargo",
        &["build", "--release", "--package", "naervaer-server"],
    ))?;
    let server = root().join("target/release/naervaer-server");
    let database = root().join(if municipality {
        "data/municipality.sqlite3"
    } else {
        "data/naervaer.sqlite3"
    });
    let dist = root().join("dist");
    println!();
    println!("Nærvær: open http://127.0.0.1:8080 (Ctrl-C stops)");
    println!("Demo logins, password 'demo' for all:");
    println!("  anna, bo   care workers, team Nord");
    println!("  carl       care worker, team Syd");
    println!("  dorte      coordinator");
    println!("  else       citizen (Else Marie Jensen, team Nord)");
    if municipality {
        println!("Municipality scale (first start seeds about 100,000 records, under a minute):");
        println!("  nord03..nord16, syd02..syd16, oest01..oest16, vest01..vest16, midt01..midt16");
    }
    println!();
    let mut c = std::process::Command::new(server);
    c.current_dir(root()).args([
        "--listen",
        "127.0.0.1:8080",
        "--demo",
        "--database",
        &database.to_string_lossy(),
        "--static-dir",
        &dist.to_string_lossy(),
    ]);
    if municipality {
        c.args(["--demo-scale", "municipality"]);
    }
    run_cmd(c)
}
