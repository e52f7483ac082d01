use super::payload;

#[test]
fn claims_are_read_from_the_tokens_payload() {
    use base64::Engine;
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .encode(r#"{"sub":"123","preferred_username":"anna@koege.dk","n":5}"#);
    let jwt = format!("eyJhbGciOiJSUzI1NiJ9.{encoded}.c2ln");
    let claims = payload(&jwt).expect("claims");
    assert_eq!(claims["preferred_username"], "anna@koege.dk");
    assert_eq!(claims["n"], 5);
    assert!(payload("not a token").is_none());
}
