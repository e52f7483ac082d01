//! The app's download size, brotli-compressed as a server would send it.
//! A benchmark that prints figures (the ceiling is 350 KB brotli);
//! it does not fail the build.

use std::io::Write;
use std::path::Path;

use crate::exec::Error;

/// Bytes compressed with brotli (quality 11, the usual static setting).
pub fn brotli(bytes: &[u8]) -> Result<Vec<u8>, Error> {
    let mut out = Vec::new();
    {
        let mut writer = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        writer.write_all(bytes).map_err(|e| e.to_string())?;
    }
    Ok(out)
}

/// The brotli size of some bytes.
pub fn brotli_size(bytes: &[u8]) -> Result<usize, Error> {
    Ok(brotli(bytes)?.len())
}

/// Prints the size of every .wasm, .js and .css file in `dist`; returns the brotli total.
pub fn report(dist: &Path) -> Result<usize, Error> {
    let mut rows = Vec::new();
    let entries = std::fs::read_dir(dist).map_err(|e| format!("read {}: {e}", dist.display()))?;
    for entry in entries {
        let path = entry.map_err(|e| e.to_string())?.path();
        let kind = path.extension().and_then(|e| e.to_str()).unwrap_or("");
        let is_sw = path.file_name().is_some_and(|n| n == "sw.js");
        if !matches!(kind, "wasm" | "js" | "css") || is_sw {
            continue;
        }
        let bytes = std::fs::read(&path).map_err(|e| e.to_string())?;
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        rows.push((name, bytes.len(), brotli_size(&bytes)?));
    }
    rows.sort();
    let total: usize = rows.iter().map(|r| r.2).sum();
    eprintln!("\n== app size (wasm + js + css; sw.js is not part of the page)");
    for (name, raw, br) in &rows {
        eprintln!("{:>9} B raw {:>9} B brotli  {name}", raw, br);
    }
    eprintln!(
        "total brotli: {:.1} KB (ceiling 350 KB)",
        total as f64 / 1024.0
    );
    Ok(total)
}

#[cfg(test)]
#[path = "size_tests.rs"]
mod tests;
