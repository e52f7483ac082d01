//! Serving the built app: hashed assets cached for a year, everything else
//! (index.html, the service worker, the manifest) revalidated on every load,
//! and unknown paths answered with index.html so the app's router takes them.
//! The build writes a brotli copy (`.br`) of the wasm, JS and CSS; a browser
//! that accepts brotli gets that copy (the first install is the one download
//! users wait for, on whatever line they have).

use std::path::Path;

use axum::extract::Request;
use axum::http::{HeaderValue, header};
use axum::middleware::Next;
use axum::response::Response;
use tower_http::services::{ServeDir, ServeFile};

/// The Content-Security-Policy: only this origin, and WebAssembly compilation.
pub const CSP: &str = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; \
style-src 'self'; img-src 'self' data:; connect-src 'self'; manifest-src 'self'; \
worker-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

/// The service that serves `dir` (a file's `.br` copy to browsers that
/// accept brotli), falling back to its `index.html`.
pub fn service(dir: &Path) -> ServeDir<ServeFile> {
    ServeDir::new(dir)
        .precompressed_br()
        .fallback(ServeFile::new(dir.join("index.html")))
}

/// Whether a path names a content-hashed build output, such as
/// `naervaer-app-0123456789abcdef_bg.wasm` or `style-0123456789abcdef.css`
/// (Trunk's hashes have 12 to 16 hex digits).
pub fn is_hashed_asset(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.match_indices('-').any(|(i, _)| {
        let rest = &name.as_bytes()[i + 1..];
        let hex = rest.iter().take_while(|b| b.is_ascii_hexdigit()).count();
        hex >= 12 && matches!(rest.get(hex), Some(b'.' | b'_'))
    })
}

/// Sets cache and security headers on every response.
pub async fn headers(request: Request, next: Next) -> Response {
    let path = request.uri().path().to_owned();
    let mut response = next.run(request).await;
    let h = response.headers_mut();
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static(CSP),
    );
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::REFERRER_POLICY,
        HeaderValue::from_static("no-referrer"),
    );
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    let cache = if path.starts_with("/api/") {
        "no-store"
    } else if is_hashed_asset(&path) {
        "public, max-age=31536000, immutable"
    } else {
        "no-cache"
    };
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache));
    response
}

#[cfg(test)]
mod tests {
    use super::is_hashed_asset;

    #[test]
    fn trunk_outputs_are_hashed_and_shell_files_are_not() {
        assert!(is_hashed_asset("/naervaer-app-0123456789abcdef_bg.wasm"));
        assert!(is_hashed_asset("/naervaer-app-0123456789abcdef.js"));
        assert!(is_hashed_asset("/style-fedcba9876543210.css"));
        assert!(is_hashed_asset("/naervaer-app-20603b2f4d66cf0.js"));
        assert!(!is_hashed_asset("/naervaer-app-2060.js"));
        assert!(!is_hashed_asset("/index.html"));
        assert!(!is_hashed_asset("/sw.js"));
        assert!(!is_hashed_asset("/manifest.webmanifest"));
        assert!(!is_hashed_asset("/borger/3f2c-a"));
        assert!(!is_hashed_asset("/icons/icon-192.png"));
    }
}
