//! Tests of `stamp.rs`.

use super::*;

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("xtask-stamp-{name}-{}", std::process::id()));
    let _fresh = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn the_inline_script_moves_into_a_hashed_file() {
    let dir = temp_dir("inline");
    let html = "<head><script type=\"module\">import init from '/a.js';</script></head>";
    let out = extract_inline_script(html, &dir).unwrap();
    assert!(!out.contains("import init"));
    let name = out
        .split("src=\"/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap();
    assert!(name.starts_with("boot-") && name.ends_with(".js"));
    assert_eq!(
        std::fs::read_to_string(dir.join(name)).unwrap(),
        "import init from '/a.js';"
    );
}

#[test]
fn the_minified_spelling_is_moved_too() {
    let dir = temp_dir("minified");
    let html = "<head><script type=module>import init from '/a.js';</script><link rel=x></head>";
    let out = extract_inline_script(html, &dir).unwrap();
    assert!(!out.contains("import init"), "{out}");
    assert!(
        out.contains("<script type=\"module\" src=\"/boot-")
            && out.ends_with("<link rel=x></head>")
    );
}

#[test]
fn html_without_an_inline_script_is_left_alone() {
    let dir = temp_dir("none");
    let html = "<head><script type=\"module\" src=\"/boot.js\"></script></head>";
    assert_eq!(extract_inline_script(html, &dir).unwrap(), html);
}

#[test]
fn the_service_worker_lists_every_file_but_itself_and_changes_version_with_content() {
    let dir = temp_dir("sw");
    std::fs::create_dir_all(dir.join("icons")).unwrap();
    std::fs::write(dir.join("index.html"), "a").unwrap();
    std::fs::write(dir.join("icons/i.png"), "b").unwrap();
    let template = "const PRECACHE = /*PRECACHE*/[]; const VERSION = \"/*VERSION*/\";";
    std::fs::write(dir.join("sw.js"), template).unwrap();
    let v1 = stamp_service_worker(&dir).unwrap();
    let sw = std::fs::read_to_string(dir.join("sw.js")).unwrap();
    assert!(sw.contains("[\"/icons/i.png\", \"/index.html\"]"), "{sw}");
    assert!(sw.contains(&v1));

    std::fs::write(dir.join("sw.js"), template).unwrap();
    std::fs::write(dir.join("index.html"), "changed").unwrap();
    let v2 = stamp_service_worker(&dir).unwrap();
    assert_ne!(v1, v2);
}

#[test]
fn wasm_js_and_css_get_a_brotli_copy_and_the_service_worker_does_not() {
    let dir = temp_dir("brotli");
    let wasm = "naervaer-app-0123456789abcdef_bg.wasm";
    std::fs::write(dir.join(wasm), vec![7u8; 4000]).unwrap();
    std::fs::write(dir.join("main.css"), "body { color: black }").unwrap();
    std::fs::write(dir.join("sw.js"), "// sw").unwrap();
    std::fs::write(dir.join("index.html"), "<html></html>").unwrap();
    assert_eq!(write_brotli_copies(&dir).unwrap(), 2);
    let copy = std::fs::read(dir.join(format!("{wasm}.br"))).unwrap();
    assert!(
        copy.len() < 100,
        "4000 equal bytes compress ({})",
        copy.len()
    );
    let mut back = Vec::new();
    brotli::BrotliDecompress(&mut copy.as_slice(), &mut back).unwrap();
    assert_eq!(back, vec![7u8; 4000]);
    assert!(dir.join("main.css.br").exists());
    assert!(!dir.join("sw.js.br").exists() && !dir.join("index.html.br").exists());
}
