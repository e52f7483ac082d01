//! Every SQL statement the two SQL stores send, by name. `$N` placeholders,
//! which SQLite and PostgreSQL both take; statements that end in a space or
//! `= ` are the start of a query the store builds on.

/// The feed after a cursor; the scope, retention and limit are pushed after it.
pub const FEED_AFTER: &str =
    "SELECT seq, citizen_id, team, payload, tag, received_at FROM changes WHERE seq > ";

/// Feed rows, many per statement.
pub const INSERT_CHANGES: &str = "INSERT INTO changes (kind, record_id, citizen_id, team, payload, tag, received_at, keep_window, keep_from) ";

/// Settled mutations, many per statement.
pub const INSERT_SETTLED: &str =
    "INSERT INTO settled_mutations (client_id, seq, fingerprint, record_id) ";

/// Audit rows, many per statement.
pub const INSERT_AUDIT: &str = "INSERT INTO audit_log (at, user_id, citizen_id, action, detail) ";

/// A client id's owner and last settled seq.
pub const CLIENT: &str = "SELECT user_id, last_seq FROM clients WHERE client_id = $1";

/// A new client id of a user.
pub const INSERT_CLIENT: &str =
    "INSERT INTO clients (client_id, user_id, last_seq) VALUES ($1, $2, 0)";

/// Settled mutations of a client; the list of seqs is pushed after it.
pub const SETTLED_SEQS: &str =
    "SELECT seq, fingerprint, record_id FROM settled_mutations WHERE client_id = ";

/// A client's last settled seq.
pub const SET_LAST_SEQ: &str = "UPDATE clients SET last_seq = $1 WHERE client_id = $2";

/// The rejection of one mutation.
pub const REJECTION: &str =
    "SELECT code, message FROM rejections WHERE client_id = $1 AND seq = $2";

/// A rejection, kept so a repeat gets the same answer.
pub const INSERT_REJECTION: &str =
    "INSERT INTO rejections (client_id, seq, code, message) VALUES ($1, $2, $3, $4)";

/// A citizen's team.
pub const CITIZEN_TEAM: &str = "SELECT team FROM citizens WHERE id = $1";

/// A citizen.
pub const CITIZEN: &str = "SELECT name, address, team FROM citizens WHERE id = $1";

/// A clip card's new state.
pub const UPDATE_CARD: &str = "UPDATE clip_cards SET payload = $1 WHERE id = $2";

/// A card's ledger.
pub const LEDGER: &str = "SELECT payload FROM clip_entries WHERE card_id = $1";

/// A flag on a clip entry (once).
pub const INSERT_FLAG: &str =
    "INSERT INTO clip_flags (entry_id, code) VALUES ($1, $2) ON CONFLICT DO NOTHING";

/// Every revision of an activity.
pub const ACTIVITY_REVISIONS: &str =
    "SELECT payload FROM activity_revisions WHERE activity_id = $1";

/// The booking revisions of one occurrence.
pub const BOOKINGS_AT: &str =
    "SELECT payload FROM booking_revisions WHERE activity_id = $1 AND occurrence_start = $2";

/// A citizen's new team.
pub const MOVE_CITIZEN: &str = "UPDATE citizens SET team = $1 WHERE id = $2";

/// A moved citizen's feed rows, to her new team.
pub const RELABEL_CHANGES: &str =
    "UPDATE changes SET team = $1 WHERE citizen_id = $2 AND team = $3";

/// The database's identity, made by the first server to open it.
pub const INSERT_IDENTITY: &str =
    "INSERT INTO server_identity (singleton, database_id) VALUES (1, $1) ON CONFLICT DO NOTHING";

/// The database's identity.
pub const IDENTITY: &str = "SELECT database_id FROM server_identity WHERE singleton = 1";

/// An account by its username.
pub const USER_BY_NAME: &str = "SELECT * FROM users WHERE username = $1";

/// Disables an account (a time) or enables it (NULL), by username.
pub const SET_DISABLED: &str = "UPDATE users SET disabled_at = $1 WHERE username = $2";

/// Ends every session of a user.
pub const DELETE_USER_SESSIONS: &str = "DELETE FROM sessions WHERE user_id = $1";

/// Whether an account is disabled (its `disabled_at`).
pub const DISABLED_AT: &str = "SELECT disabled_at FROM users WHERE id = $1";

/// Sessions past their end, except a disabled account's (its devices are
/// told it is disabled however late they ask).
pub const DELETE_EXPIRED_SESSIONS: &str = "DELETE FROM sessions \
     WHERE (expires_at < $1 OR idle_until < $1) AND user_id NOT IN (SELECT id FROM users WHERE disabled_at IS NOT NULL)";

/// Gives a user a data key, unless they have one.
pub const SET_DATA_KEY: &str = "UPDATE users SET data_key = $1 WHERE id = $2 AND data_key IS NULL";

/// A user's data key.
pub const DATA_KEY: &str = "SELECT data_key FROM users WHERE id = $1";

/// A new session.
pub const INSERT_SESSION: &str =
    "INSERT INTO sessions (token_hash, user_id, expires_at, idle_until) VALUES ($1, $2, $3, $4)";

/// Moves a session's idle end on.
pub const TOUCH_SESSION: &str = "UPDATE sessions SET idle_until = $1 WHERE token_hash = $2";

/// A line of the account log.
pub const INSERT_ACCOUNT_EVENT: &str = "INSERT INTO account_events \
     (at, username, user_id, event, address, by_user, detail) VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// The newest lines of the account log.
pub const ACCOUNT_EVENTS: &str = "SELECT at, username, user_id, event, address, by_user, detail \
     FROM account_events ORDER BY id DESC LIMIT $1";

/// Sets an account's password hash.
pub const SET_PASSWORD_HASH: &str = "UPDATE users SET password_hash = $1 WHERE username = $2";

/// Ends one session (a logout).
pub const DELETE_SESSION: &str = "DELETE FROM sessions WHERE token_hash = $1";

/// The tag of one feed row.
pub const FEED_TAG: &str = "SELECT tag FROM changes WHERE seq = $1";

/// Every account.
pub const USERS: &str = "SELECT * FROM users ORDER BY username";

/// An account's new team.
pub const SET_USER_TEAM: &str = "UPDATE users SET team = $1 WHERE id = $2";

/// How many accounts there are.
pub const USER_COUNT: &str = "SELECT COUNT(*) FROM users";

/// How many note revisions there are.
pub const NOTE_COUNT: &str = "SELECT COUNT(*) FROM note_revisions";

/// A citizen's audit rows.
pub const AUDIT_OF: &str =
    "SELECT at, user_id, action, detail FROM audit_log WHERE citizen_id = $1 ORDER BY id";

/// Whether the database answers.
pub const PING: &str = "SELECT 1";

/// The flags on a card's entries.
pub const CARD_FLAGS: &str = "SELECT clip_flags.entry_id, clip_flags.code FROM clip_flags \
     JOIN clip_entries ON clip_entries.id = clip_flags.entry_id \
     WHERE clip_entries.card_id = $1 ORDER BY clip_flags.entry_id, clip_flags.code";

/// The newest feed row of each of a citizen's records.
pub const CITIZEN_CHANGES: &str = "SELECT seq, citizen_id, team, payload, tag, received_at FROM changes \
     WHERE seq IN (SELECT MAX(seq) FROM changes WHERE citizen_id = $1 GROUP BY kind, record_id) \
     ORDER BY seq";

/// A session's account and end.
pub const SESSION_USER: &str = "SELECT users.*, sessions.expires_at AS session_expires, \
     sessions.idle_until AS session_idle_until FROM sessions \
     JOIN users ON users.id = sessions.user_id WHERE sessions.token_hash = $1";

/// A new account.
pub const INSERT_USER: &str = "INSERT INTO users (id, username, name, role, team, citizen_id, password_hash) \
     VALUES ($1, $2, $3, $4, $5, $6, $7)";

/// Records of a table by a list of ids; the ids and `)` are pushed after it.
pub fn payloads_by_id(table: &str) -> String {
    format!("SELECT id, payload FROM {table} WHERE id IN (")
}

/// One record of a table by its id.
pub fn payload_by_id(table: &str) -> String {
    format!("SELECT payload FROM {table} WHERE id = $1")
}

/// Drops login tickets made before a time.
pub const DELETE_OLD_TICKETS: &str = "DELETE FROM login_tickets WHERE created_at < $1";

/// Keeps a login ticket.
pub const INSERT_TICKET: &str = "INSERT INTO login_tickets \
     (id_hash, kind, binding_hash, payload, created_at) VALUES ($1, $2, $3, $4, $5)";

/// Takes a login ticket of one browser: deleted and returned in one
/// statement, so two requests with one ticket cannot both get it.
pub const TAKE_TICKET: &str = "DELETE FROM login_tickets \
     WHERE id_hash = $1 AND kind = $2 AND binding_hash = $3 \
     RETURNING id_hash, kind, binding_hash, payload, created_at";

/// The provider's person an account is linked to.
pub const MUNICIPAL_SUBJECT: &str = "SELECT municipal_subject FROM users WHERE id = $1";

/// Links (or unlinks) an account to the provider's person.
pub const SET_MUNICIPAL_SUBJECT: &str = "UPDATE users SET municipal_subject = $1 WHERE id = $2";
