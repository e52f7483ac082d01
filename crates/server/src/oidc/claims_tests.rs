use super::claim;

#[test]
fn a_claim_is_read_from_the_tokens_payload() {
    use base64::Engine;
    let payload = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(r#"{"sub":"123","preferred_username":"anna@koege.dk","n":5}"#);
    let jwt = format!("eyJhbGciOiJSUzI1NiJ9.{payload}.c2ln");
    assert_eq!(
        claim(&jwt, "preferred_username").as_deref(),
        Some("anna@koege.dk")
    );
    // Only strings name an account.
    assert_eq!(claim(&jwt, "n"), None);
    assert_eq!(claim(&jwt, "email"), None);
    assert_eq!(claim("not a token", "sub"), None);
}
