use super::Built;

/// Three messages as cargo 1.95 writes them (shortened): the `api`
/// integration test, the server's unit-test binary and the server program.
const MESSAGES: &str = r#"{"reason":"compiler-artifact","target":{"kind":["test"],"name":"api"},"profile":{"test":true},"executable":"/t/debug/deps/api-a67f"}
{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"naervaer-server"},"profile":{"test":true},"executable":"/t/debug/deps/naervaer_server-5846"}
{"reason":"compiler-artifact","target":{"kind":["bin"],"name":"naervaer-server"},"profile":{"test":false},"executable":"/t/debug/naervaer-server"}
{"reason":"compiler-artifact","target":{"kind":["lib"],"name":"naervaer_server"},"profile":{"test":false},"executable":null}
{"reason":"build-finished","success":true}
not json at all"#;

#[test]
fn finds_test_binaries_and_the_program_not_its_unit_tests() {
    let mut built = Built::default();
    for line in MESSAGES.lines() {
        built.read_message(line);
    }
    assert_eq!(
        built.test("api").ok(),
        Some(std::path::Path::new("/t/debug/deps/api-a67f"))
    );
    assert_eq!(
        built.bin("naervaer-server").ok(),
        Some(std::path::Path::new("/t/debug/naervaer-server"))
    );
    assert!(built.test("two_servers").is_err());
    assert!(built.bin("naervaer_server").is_err());
}
