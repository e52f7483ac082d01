use super::{AccountError, check_password, check_username, normal_username};

#[test]
fn login_names_are_lower_case_and_plain() {
    assert_eq!(
        normal_username("  Anna.Holm@Koege.dk "),
        "anna.holm@koege.dk"
    );
    for ok in ["anna", "a", "anna.holm@koege.dk", "fie_2", "bo-h"] {
        assert!(check_username(ok).is_ok(), "{ok}");
    }
    for bad in [
        "",
        "anna holm",
        "Anna",
        "ånne",
        "anna\u{200B}",
        &"a".repeat(65),
    ] {
        assert!(
            matches!(check_username(bad), Err(AccountError::BadUsername)),
            "{bad:?}"
        );
    }
}

#[test]
fn new_passwords_are_ten_to_256_characters() {
    assert!(check_password("ti-tegn-ok").is_ok());
    assert!(check_password(&"æ".repeat(256)).is_ok());
    for bad in ["", "ni-tegn-x", &"x".repeat(257)] {
        assert!(matches!(
            check_password(bad),
            Err(AccountError::BadPassword)
        ));
    }
}
