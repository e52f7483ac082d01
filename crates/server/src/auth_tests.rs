//! Tests of `auth.rs`.

use super::*;

#[test]
fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
    let hash = hash_password("demo").unwrap();
    assert!(hash.starts_with("$argon2id$"));
    assert!(verify_password("demo", &hash));
    assert!(!verify_password("Demo", &hash));
    assert!(!verify_password("demo", "not a hash"));
}

#[test]
fn tokens_differ_and_hash_to_64_hex_chars() {
    let (a, b) = (new_token(), new_token());
    assert_ne!(a, b);
    assert_eq!(a.len(), 64);
    assert_eq!(token_hash(&a).len(), 64);
    assert_ne!(token_hash(&a), a);
}
