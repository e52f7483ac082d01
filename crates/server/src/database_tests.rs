use crate::Database;

#[test]
fn a_password_in_a_database_url_is_seen() {
    for with in [
        "postgres://naervaer:secret@db:5432/naervaer",
        "postgresql://u:p@h/d?sslmode=require",
        "postgres://u:p%40ss@h/d",
        "postgres://u@h/d?sslmode=require&password=secret",
    ] {
        assert!(Database::parse(with).has_password(), "{with}");
    }
    for without in [
        "postgres://naervaer@db:5432/naervaer",
        "postgres://db/naervaer?user=x",
        "postgres://h:5432/d",
        "data/naervaer.sqlite3",
        "postgres://u@h/d?password_note=a:b@c",
    ] {
        assert!(!Database::parse(without).has_password(), "{without}");
    }
}
