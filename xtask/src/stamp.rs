//! Trunk's post-build hook. Trunk starts the app with an inline module
//! script, which the server's Content-Security-Policy forbids: it is moved
//! into `boot-<hash>.js`. Then the service worker gets the list of every
//! built file (the app shell to precache) and a hash of their contents, so
//! each build is a new service-worker version.

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::exec::Error;

fn hex16(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Moves the first inline `<script type="module">` into its own file; returns
/// the new HTML. Accepts the minified spelling `<script type=module>` too.
pub fn extract_inline_script(html: &str, dir: &Path) -> Result<String, Error> {
    let Some((start, open)) = ["<script type=\"module\">", "<script type=module>"]
        .iter()
        .filter_map(|open| html.find(open).map(|at| (at, *open)))
        .min()
    else {
        return Ok(html.to_string());
    };
    let body_start = start + open.len();
    let end = html[body_start..]
        .find("</script>")
        .map(|i| body_start + i)
        .ok_or("inline script without </script>")?;
    let script = &html[body_start..end];
    let name = format!("boot-{}.js", hex16(script.as_bytes()));
    std::fs::write(dir.join(&name), script).map_err(|e| format!("write {name}: {e}"))?;
    Ok(format!(
        "{}<script type=\"module\" src=\"/{name}\"></script>{}",
        &html[..start],
        &html[end + "</script>".len()..]
    ))
}

fn files_under(dir: &Path, base: &Path, out: &mut Vec<PathBuf>) -> Result<(), Error> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("read {}: {e}", dir.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        if path.is_dir() {
            files_under(&path, base, out)?;
        } else if let Ok(rel) = path.strip_prefix(base) {
            out.push(rel.to_path_buf());
        }
    }
    Ok(())
}

/// Fills the precache list and version into `sw.js`; returns the version.
pub fn stamp_service_worker(dir: &Path) -> Result<String, Error> {
    let mut files = Vec::new();
    files_under(dir, dir, &mut files)?;
    files.sort();
    let sw_path = dir.join("sw.js");
    let mut hasher = Sha256::new();
    let mut urls = Vec::new();
    for rel in files.iter().filter(|f| f.as_path() != Path::new("sw.js")) {
        let url = format!("/{}", rel.to_string_lossy().replace('\\', "/"));
        let bytes = std::fs::read(dir.join(rel)).map_err(|e| format!("read {url}: {e}"))?;
        hasher.update(url.as_bytes());
        hasher.update(&bytes);
        urls.push(format!("\"{url}\""));
    }
    let version: String = hasher
        .finalize()
        .iter()
        .take(8)
        .map(|b| format!("{b:02x}"))
        .collect();
    let sw = std::fs::read_to_string(&sw_path).map_err(|e| format!("read sw.js: {e}"))?;
    if !sw.contains("/*PRECACHE*/[]") || !sw.contains("/*VERSION*/") {
        return Err("sw.js lacks the /*PRECACHE*/[] or /*VERSION*/ placeholder".into());
    }
    let stamped = sw
        .replace("/*PRECACHE*/[]", &format!("[{}]", urls.join(", ")))
        .replace("/*VERSION*/", &version);
    std::fs::write(&sw_path, stamped).map_err(|e| format!("write sw.js: {e}"))?;
    Ok(version)
}

/// The hook: works on Trunk's staging folder (or `dist/` when run by hand).
pub fn stamp() -> Result<(), Error> {
    let dir = std::env::var_os("TRUNK_STAGING_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| crate::exec::root().join("dist"));
    let index = dir.join("index.html");
    let html = std::fs::read_to_string(&index).map_err(|e| format!("read index.html: {e}"))?;
    let html = extract_inline_script(&html, &dir)?;
    std::fs::write(&index, html).map_err(|e| format!("write index.html: {e}"))?;
    let version = stamp_service_worker(&dir)?;
    let compressed = write_brotli_copies(&dir)?;
    eprintln!("xtask stamp: service worker version {version}; {compressed} brotli copies");
    Ok(())
}

/// Writes `<file>.br` beside every .wasm, .js and .css file but the service
/// worker (the server sends it to browsers that accept brotli); returns how
/// many. Runs after the precache list is made, so the copies are not in it.
pub fn write_brotli_copies(dir: &Path) -> Result<usize, Error> {
    let mut files = Vec::new();
    files_under(dir, dir, &mut files)?;
    let mut written = 0;
    for rel in files {
        let kind = rel.extension().and_then(|e| e.to_str()).unwrap_or("");
        if !matches!(kind, "wasm" | "js" | "css") || rel == Path::new("sw.js") {
            continue;
        }
        let path = dir.join(&rel);
        let bytes = std::fs::read(&path).map_err(|e| format!("read {}: {e}", path.display()))?;
        let compressed = crate::size::brotli(&bytes)?;
        let mut target = path.into_os_string();
        target.push(".br");
        std::fs::write(&target, compressed).map_err(|e| format!("write {target:?}: {e}"))?;
        written += 1;
    }
    Ok(written)
}

#[cfg(test)]
#[path = "stamp_tests.rs"]
mod tests;
