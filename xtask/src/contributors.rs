//! The app's largest contributors to its size: twiggy over a build that
//! keeps function names (the release profile, before wasm-opt strips them),
//! summed by crate (and by module for the app itself).

use std::collections::BTreeMap;

use crate::exec::{Error, cmd, output, root, run};

/// How many rows each table prints.
const ROWS: usize = 15;

/// Builds the app with names, and prints its largest functions and crates.
pub fn report() -> Result<(), Error> {
    ensure_twiggy()?;
    run(cmd(
        "cargo",
        &[
            "build",
            "--profile",
            "wasm-release",
            "--target",
            "wasm32-unknown-unknown",
            "--package",
            "naervaer-app",
        ],
    ))?;
    let out = root().join("target/size-names");
    let wasm = root().join("target/wasm32-unknown-unknown/wasm-release/naervaer-app.wasm");
    let mut bindgen = cmd("wasm-bindgen", &["--target", "web", "--out-dir"]);
    bindgen.arg(&out).arg(&wasm);
    run(bindgen)?;
    let named = out.join("naervaer-app_bg.wasm");
    let csv = output(
        "twiggy",
        &["top", "--format", "csv", &named.to_string_lossy()],
    )
    .ok_or("twiggy failed")?;
    let items = parse(&csv);
    let total: u64 = items.iter().map(|(_, b)| b).sum();
    eprintln!(
        "\n== largest contributors (twiggy, raw bytes before wasm-opt; code and data, names excluded)"
    );
    for (name, bytes) in items.iter().take(ROWS) {
        eprintln!("{bytes:>9} B  {}", shorten(name));
    }
    let mut crates: BTreeMap<String, u64> = BTreeMap::new();
    for (name, bytes) in &items {
        *crates.entry(owner(name)).or_default() += bytes;
    }
    let mut crates: Vec<_> = crates.into_iter().collect();
    crates.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    eprintln!("\n== by crate (the app by module), of {total} B");
    for (owner, bytes) in crates.iter().take(ROWS) {
        let share = *bytes as f64 * 100.0 / total.max(1) as f64;
        eprintln!("{bytes:>9} B {share:>5.1} %  {owner}");
    }
    Ok(())
}

fn ensure_twiggy() -> Result<(), Error> {
    if output("twiggy", &["--version"]).is_some() {
        return Ok(());
    }
    eprintln!("xtask: installing twiggy (a few minutes, once)");
    run(cmd("cargo", &["install", "--locked", "twiggy"]))
}

/// (name, shallow bytes) from twiggy's CSV, largest first, without the
/// name section and twiggy's summary rows.
pub fn parse(csv: &str) -> Vec<(String, u64)> {
    let mut items: Vec<(String, u64)> = csv
        .lines()
        .skip(1)
        .filter_map(|line| {
            let (name, rest) = split_name(line)?;
            let bytes = rest.split(',').next()?.parse().ok()?;
            let skip = name.contains("function names")
                || name.starts_with('Σ')
                || name.starts_with("... and");
            (!skip).then_some((name, bytes))
        })
        .collect();
    items.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    items
}

/// The first CSV field (quoted or not, `""` for a quote) and the rest.
fn split_name(line: &str) -> Option<(String, &str)> {
    let Some(quoted) = line.strip_prefix('"') else {
        let (name, rest) = line.split_once(',')?;
        return Some((name.to_string(), rest));
    };
    let mut name = String::new();
    let mut chars = quoted.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c != '"' {
            name.push(c);
        } else if chars.peek().is_some_and(|(_, n)| *n == '"') {
            name.push('"');
            chars.next();
        } else {
            return Some((name, quoted.get(i + 2..)?));
        }
    }
    None
}

/// Who an item belongs to: its crate, or `naervaer_app::<module>` for the app.
pub fn owner(name: &str) -> String {
    if name.starts_with("data segment") || name.starts_with("elem") {
        return "data".into();
    }
    let mut rest = name;
    while let Some(at) = rest.find("::") {
        let before = &rest[..at];
        let start = before
            .rfind(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .map_or(0, |i| i + 1);
        let word = &before[start..];
        if word.starts_with(|c: char| c.is_ascii_lowercase()) {
            if word == "naervaer_app" {
                let module = rest[at + 2..]
                    .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .next()
                    .unwrap_or_default();
                return format!("naervaer_app::{module}");
            }
            return word.to_string();
        }
        rest = &rest[at + 2..];
    }
    "other".into()
}

/// A name cut to one line's width.
fn shorten(name: &str) -> String {
    let cut: String = name.chars().take(110).collect();
    if cut.len() < name.len() {
        format!("{cut}…")
    } else {
        cut
    }
}

#[cfg(test)]
#[path = "contributors_tests.rs"]
mod tests;
