use reqwest::StatusCode;
use reqwest::header::{ACCEPT_ENCODING, CACHE_CONTROL, CONTENT_ENCODING, CONTENT_SECURITY_POLICY};

use crate::common::TestServer;

#[tokio::test]
async fn the_app_is_served_with_cache_rules_and_unknown_paths_fall_back_to_index() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("index.html"), "<html>Nærvær</html>").expect("index");
    std::fs::write(
        dir.path().join("naervaer-app-20603b2f4d66cf0_bg.wasm"),
        "wasm",
    )
    .expect("wasm");
    std::fs::write(dir.path().join("sw.js"), "// sw").expect("sw");
    let s = TestServer::start_with(Some(dir.path().to_path_buf()), Default::default()).await;

    let get = |path: &'static str| {
        let http = s.http.clone();
        let url = s.url(path);
        async move { http.get(url).send().await.expect("get") }
    };
    let asset = get("/naervaer-app-20603b2f4d66cf0_bg.wasm").await;
    assert_eq!(asset.status(), StatusCode::OK);
    assert!(
        asset.headers()[CACHE_CONTROL]
            .to_str()
            .unwrap_or("")
            .contains("immutable")
    );

    for path in ["/", "/sw.js"] {
        let resp = get(path).await;
        assert_eq!(resp.status(), StatusCode::OK);
        assert_eq!(resp.headers()[CACHE_CONTROL], "no-cache", "{path}");
    }
    let deep = get("/borger/123").await;
    assert_eq!(deep.status(), StatusCode::OK);
    let csp = deep.headers()[CONTENT_SECURITY_POLICY]
        .to_str()
        .unwrap_or("")
        .to_string();
    assert!(csp.contains("script-src 'self' 'wasm-unsafe-eval'") && !csp.contains("unsafe-inline"));
    assert_eq!(deep.text().await.unwrap_or_default(), "<html>Nærvær</html>");
}

#[tokio::test]
async fn a_browser_that_accepts_brotli_gets_the_built_brotli_copy() {
    let dir = tempfile::tempdir().expect("dir");
    std::fs::write(dir.path().join("index.html"), "<html></html>").expect("index");
    let name = "naervaer-app-20603b2f4d66cf0_bg.wasm";
    std::fs::write(dir.path().join(name), "the wasm").expect("wasm");
    std::fs::write(dir.path().join(format!("{name}.br")), "brotli bytes").expect("br");
    let s = TestServer::start_with(Some(dir.path().to_path_buf()), Default::default()).await;
    let url = s.url(&format!("/{name}"));

    let br = s
        .http
        .get(url.clone())
        .header(ACCEPT_ENCODING, "gzip, br")
        .send()
        .await
        .expect("get");
    assert_eq!(br.status(), StatusCode::OK);
    assert_eq!(br.headers()[CONTENT_ENCODING], "br");
    assert!(
        br.headers()[CACHE_CONTROL]
            .to_str()
            .unwrap_or("")
            .contains("immutable")
    );
    assert_eq!(br.text().await.unwrap_or_default(), "brotli bytes");

    let plain = s.http.get(url).send().await.expect("get");
    assert!(plain.headers().get(CONTENT_ENCODING).is_none());
    assert_eq!(plain.text().await.unwrap_or_default(), "the wasm");
}
