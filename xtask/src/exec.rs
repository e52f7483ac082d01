//! Running commands, with the project's tool paths first on PATH.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

/// A task failed.
pub type Error = String;

/// The repository root (the parent of `xtask/`).
pub fn root() -> PathBuf {
    let here = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    here.parent().map(Path::to_path_buf).unwrap_or(here)
}

/// Where npm puts the e2e tools (playwright-core, binaryen's wasm-opt).
pub fn node_bin() -> PathBuf {
    root().join("tests/e2e/node_modules/.bin")
}

/// PATH with node_modules/.bin and cargo's bin first.
pub fn tool_path() -> String {
    let mut parts = vec![node_bin()];
    if let Some(home) = std::env::var_os("HOME") {
        parts.push(PathBuf::from(home).join(".cargo/bin"));
    }
    let old = std::env::var_os("PATH").unwrap_or_default();
    parts.extend(std::env::split_paths(&old));
    std::env::join_paths(parts)
        .map(|p| p.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// A command in the repository root with the tool PATH.
pub fn cmd(program: &str, args: &[&str]) -> Command {
    let mut c = Command::new(program);
    c.args(args)
        .current_dir(root())
        .env("PATH", tool_path())
        .env("TRUNK_SKIP_VERSION_CHECK", "true")
        .env("PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD", "1");
    c
}

/// Runs a command, failing on a non-zero exit.
pub fn run(mut c: Command) -> Result<(), Error> {
    let shown = format!("{c:?}");
    let status = c
        .status()
        .map_err(|e| format!("cannot start {shown}: {e}"))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("{shown} failed with {status}"))
    }
}

/// Runs a command, streaming its output and also returning it.
pub fn run_captured(mut c: Command) -> (bool, String) {
    use std::io::{BufRead, BufReader, Write};
    c.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = match c.spawn() {
        Ok(child) => child,
        Err(e) => return (false, format!("cannot start: {e}")),
    };
    let stderr = child.stderr.take();
    let err_thread = std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(stderr) = stderr {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                eprintln!("{line}");
                text.push_str(&line);
                text.push('\n');
            }
        }
        text
    });
    let mut out = String::new();
    if let Some(stdout) = child.stdout.take() {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            println!("{line}");
            let _flushed = std::io::stdout().flush();
            out.push_str(&line);
            out.push('\n');
        }
    }
    out.push_str(&err_thread.join().unwrap_or_default());
    let ok = child.wait().map(|s| s.success()).unwrap_or(false);
    (ok, out)
}

/// A command's trimmed stdout, if it ran and succeeded.
pub fn output(program: &str, args: &[&str]) -> Option<String> {
    let out = cmd(program, args).stderr(Stdio::null()).output().ok()?;
    out.status
        .success()
        .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
}
