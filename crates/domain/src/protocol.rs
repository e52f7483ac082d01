//! The sync protocol's wire types: one `POST /api/v1/sync` pushes a device's
//! pending mutations and pulls the changes it has not seen, in pages.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::activity::{Activity, Booking};
use crate::citizen::{Citizen, PlannedVisit};
use crate::clips::{ClipCard, ClipEntry};
use crate::loneliness::LonelinessRegistration;
use crate::note::VisitNote;
use crate::validation::ValidationError;

/// The protocol this code speaks. Every request names the protocol of the
/// app that sent it; a server answers an app older than
/// [`MIN_PROTOCOL_VERSION`] with `426` and the code `app_too_old`, and the
/// app keeps its outbox until it is updated.
///
/// - 1: the first protocol (no version sent).
/// - 2: the request names the device's database, cursor tag and
///   acknowledgement; the answer says when the server lost the device's
///   cursor or changes, or holds one of its seqs with other content.
pub const PROTOCOL_VERSION: u32 = 2;
/// The oldest protocol a server of this version still serves.
pub const MIN_PROTOCOL_VERSION: u32 = 2;

/// The most mutations one request may push.
pub const MAX_MUTATIONS_PER_REQUEST: usize = 1_000;
/// The default and the largest number of changes in one pulled page.
pub const DEFAULT_PAGE_SIZE: u32 = 200;
/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: u32 = 1_000;
/// The error code (HTTP 401, unlike the `unauthorized` of an ended login)
/// of a request by a disabled account, to a sync or a login with the right
/// password: the device forgets the key to that user's data.
pub const ACCOUNT_DISABLED: &str = "account_disabled";

/// The operation name of saving a visit-note revision.
pub const OP_NOTE_SAVE: &str = "note.save";
/// The operation name of a loneliness-sign registration (or its correction).
pub const OP_LONELINESS_REGISTER: &str = "loneliness.register";
/// The operation name of a clip-card ledger entry (plan, use, cancel, adjustment, pause).
pub const OP_CLIP_RECORD: &str = "clip.record";
/// The operation name of saving an activity revision (coordinators).
pub const OP_ACTIVITY_SAVE: &str = "activity.save";
/// The operation name of saving a booking revision (a request, a booking, a
/// confirmation, a decline or a cancellation).
pub const OP_BOOKING_SAVE: &str = "booking.save";

/// One request: push and pull in one round trip.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct SyncRequest {
    /// The protocol of the app that sent it ([`PROTOCOL_VERSION`]); 0 when
    /// missing (an app from before versions were sent).
    #[serde(default)]
    pub protocol: u32,
    /// The device's client id: one login on one device. Belongs to one user.
    pub client_id: Uuid,
    /// The last change number the client has seen; 0 on first sync.
    #[serde(default)]
    pub cursor: u64,
    /// The tag of the change at `cursor`, as the server sent it: a feed that
    /// went back in time (a restored database) has another change, or none,
    /// at that number, and the server says so (`feed_lost`).
    #[serde(default)]
    pub cursor_tag: u64,
    /// The end of a page the device began to store but did not finish
    /// (its records may be on the device, its cursor is not): the server
    /// checks it as it checks the cursor, so records from a feed that went
    /// back in time are not kept.
    #[serde(default)]
    pub pulling: Option<FeedPoint>,
    /// The server database the device last synced with (none before its
    /// first sync).
    #[serde(default)]
    pub database_id: Option<Uuid>,
    /// What the device holds as acknowledged: a server that holds less for
    /// this client lost settled changes (a restore) and says so (`seqs_lost`).
    #[serde(default)]
    pub acknowledged_seq: u64,
    /// The record of the change at `acknowledged_seq`, when the device
    /// knows it: a server whose settled change at that seq carried another
    /// record (it went back, and a copy of this tablet sent other changes
    /// under the same numbers) has lost this device's changes too.
    #[serde(default)]
    pub acknowledged_id: Option<Uuid>,
    /// Pending mutations, in order of `seq`.
    #[serde(default)]
    pub mutations: Vec<Mutation>,
    /// How many changes to pull at most (1–1000, default 200).
    #[serde(default)]
    pub limit: Option<u32>,
}

/// The largest change number, mutation number or tag a server stores (its
/// databases count in signed 64 bits).
pub const LARGEST_NUMBER: u64 = i64::MAX as u64;

impl SyncRequest {
    /// The name of the first number in this request above
    /// [`LARGEST_NUMBER`], if any: no server ever sent it, so the request is
    /// refused before anything of it is stored.
    pub fn number_too_large(&self) -> Option<&'static str> {
        let pulling = self.pulling.map_or([0, 0], |p| [p.seq, p.tag]);
        let named = [
            ("cursor", self.cursor),
            ("cursor_tag", self.cursor_tag),
            ("pulling.seq", pulling[0]),
            ("pulling.tag", pulling[1]),
            ("acknowledged_seq", self.acknowledged_seq),
        ];
        let mutation = self.mutations.iter().map(|m| ("mutations.seq", m.seq));
        named
            .into_iter()
            .chain(mutation)
            .find(|(_, n)| *n > LARGEST_NUMBER)
            .map(|(name, _)| name)
    }
}

/// A place in the server's feed: a change number and the tag of the change
/// there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct FeedPoint {
    /// The change number.
    pub seq: u64,
    /// Its tag.
    pub tag: u64,
}

/// One change made on a device, numbered without gaps per client.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Mutation {
    /// Per-client sequence number, starting at 1, with no gaps.
    pub seq: u64,
    /// The operation, e.g. `note.save`.
    pub op: String,
    /// The operation's record, kept as JSON text until it is decoded (so the
    /// app never needs a `serde_json::Value` encoder for each record type).
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub data: Box<serde_json::value::RawValue>,
}

impl PartialEq for Mutation {
    fn eq(&self, other: &Mutation) -> bool {
        self.seq == other.seq && self.op == other.op && self.data.get() == other.data.get()
    }
}

/// A mutation decoded into what it does.
// Short-lived values moved once from decoding to storage: boxing the larger
// variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum MutationOp {
    /// Save a visit-note revision (a new note or an edit naming what it replaces).
    NoteSave(VisitNote),
    /// Register loneliness signs (a new registration or a correction).
    LonelinessRegister(LonelinessRegistration),
    /// Add an entry to a clip card's ledger.
    ClipRecord(ClipEntry),
    /// Save an activity revision.
    ActivitySave(Activity),
    /// Save a booking revision.
    BookingSave(Booking),
}

impl MutationOp {
    /// Checks the rules every record of its kind must meet.
    pub fn validate(&self) -> Result<(), ValidationError> {
        match self {
            MutationOp::NoteSave(note) => note.validate(),
            MutationOp::LonelinessRegister(registration) => registration.validate(),
            MutationOp::ClipRecord(entry) => entry.validate(),
            MutationOp::ActivitySave(activity) => activity.validate(),
            MutationOp::BookingSave(booking) => booking.validate(),
        }
    }

    /// The id of the record the operation stores.
    pub fn record_id(&self) -> Uuid {
        match self {
            MutationOp::NoteSave(n) => n.id,
            MutationOp::LonelinessRegister(r) => r.id,
            MutationOp::ClipRecord(e) => e.id,
            MutationOp::ActivitySave(a) => a.id,
            MutationOp::BookingSave(b) => b.id,
        }
    }

    /// The record the operation stores.
    pub fn into_record(self) -> Record {
        match self {
            MutationOp::NoteSave(n) => Record::Note(n),
            MutationOp::LonelinessRegister(r) => Record::Loneliness(r),
            MutationOp::ClipRecord(e) => Record::ClipEntry(e),
            MutationOp::ActivitySave(a) => Record::Activity(a),
            MutationOp::BookingSave(b) => Record::Booking(b),
        }
    }
}

fn decode_data<T: serde::de::DeserializeOwned>(
    data: &serde_json::value::RawValue,
) -> Result<T, ValidationError> {
    serde_json::from_str(data.get()).map_err(|e| ValidationError::BadData(e.to_string()))
}

impl Mutation {
    /// Builds the mutation that stores `record` (a note revision or a registration).
    pub fn for_record(seq: u64, record: &Record) -> Result<Mutation, ValidationError> {
        let (op, data) = match record {
            Record::Note(n) => (OP_NOTE_SAVE, serde_json::value::to_raw_value(n)),
            Record::Loneliness(r) => (OP_LONELINESS_REGISTER, serde_json::value::to_raw_value(r)),
            Record::ClipEntry(e) => (OP_CLIP_RECORD, serde_json::value::to_raw_value(e)),
            Record::Activity(a) => (OP_ACTIVITY_SAVE, serde_json::value::to_raw_value(a)),
            Record::Booking(b) => (OP_BOOKING_SAVE, serde_json::value::to_raw_value(b)),
            Record::Citizen(_) | Record::Visit(_) | Record::ClipCard(_) => {
                return Err(ValidationError::UnknownOp(record.kind().as_str().into()));
            }
        };
        Ok(Mutation {
            seq,
            op: op.into(),
            data: data.map_err(|e| ValidationError::BadData(e.to_string()))?,
        })
    }

    /// Builds the mutation that saves a note revision.
    pub fn note_save(seq: u64, note: &VisitNote) -> Result<Mutation, ValidationError> {
        Mutation::for_record(seq, &Record::Note(note.clone()))
    }

    /// Decodes and validates the mutation's record; an unknown operation or a
    /// record that breaks a rule is an error naming why.
    pub fn decode(&self) -> Result<MutationOp, ValidationError> {
        let op = self.parse()?;
        op.validate()?;
        Ok(op)
    }

    /// Decodes the mutation's record without checking its rules.
    pub fn parse(&self) -> Result<MutationOp, ValidationError> {
        Ok(match self.op.as_str() {
            OP_NOTE_SAVE => MutationOp::NoteSave(decode_data(&self.data)?),
            OP_LONELINESS_REGISTER => MutationOp::LonelinessRegister(decode_data(&self.data)?),
            OP_CLIP_RECORD => MutationOp::ClipRecord(decode_data(&self.data)?),
            OP_ACTIVITY_SAVE => MutationOp::ActivitySave(decode_data(&self.data)?),
            OP_BOOKING_SAVE => MutationOp::BookingSave(decode_data(&self.data)?),
            other => return Err(ValidationError::UnknownOp(other.chars().take(64).collect())),
        })
    }
}

/// A mutation the server would not apply. It is consumed (it does not block
/// later ones); the app keeps it and shows the message to a person.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Rejection {
    /// The rejected mutation's `seq`.
    pub seq: u64,
    /// Stable reason code, e.g. `empty_field`.
    pub code: String,
    /// Plain message for people.
    pub message: String,
}

impl Rejection {
    /// The rejection of mutation `seq` for `err`.
    pub fn new(seq: u64, err: &ValidationError) -> Rejection {
        Rejection {
            seq,
            code: err.code().into(),
            message: err.to_string(),
        }
    }
}

/// The kind of record a change carries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    /// A citizen.
    Citizen,
    /// A planned visit.
    Visit,
    /// A visit-note revision.
    Note,
    /// A loneliness-sign registration.
    Loneliness,
    /// A clip card (with the server's latest check).
    ClipCard,
    /// A clip-card ledger entry.
    ClipEntry,
    /// An activity revision (the catalogue).
    Activity,
    /// A booking revision.
    Booking,
}

impl ChangeKind {
    /// The stable name, as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::Citizen => "citizen",
            ChangeKind::Visit => "visit",
            ChangeKind::Note => "note",
            ChangeKind::Loneliness => "loneliness",
            ChangeKind::ClipCard => "clip_card",
            ChangeKind::ClipEntry => "clip_entry",
            ChangeKind::Activity => "activity",
            ChangeKind::Booking => "booking",
        }
    }
}

/// The scope of a coordinator, who sees everything.
pub const SCOPE_ALL: &str = "all";

/// The scope of a worker of `team`, as the server names it in every answer.
pub fn team_scope(team: &str) -> String {
    format!("team:{team}")
}

/// The scope of a citizen, who sees only herself.
pub fn citizen_scope(citizen_id: Uuid) -> String {
    format!("citizen:{citizen_id}")
}

/// Whether a device whose user's scope is `scope` keeps this citizen: a
/// worker keeps only the citizens of their team, so a citizen record that
/// names another team (she moved) makes the device forget her.
pub fn scope_keeps(scope: &str, citizen: &Citizen) -> bool {
    match scope.strip_prefix("team:") {
        Some(team) => citizen.team == team,
        None => true,
    }
}

/// A record as pulled from the server: `{"kind": "note", "data": {…}}`, kind first.
// Records are moved, not stored in large arrays: the size difference is harmless.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(tag = "kind", content = "data", rename_all = "snake_case")]
pub enum Record {
    /// A citizen.
    Citizen(Citizen),
    /// A planned visit.
    Visit(PlannedVisit),
    /// A visit-note revision.
    Note(VisitNote),
    /// A loneliness-sign registration.
    Loneliness(LonelinessRegistration),
    /// A clip card.
    ClipCard(ClipCard),
    /// A clip-card ledger entry.
    ClipEntry(ClipEntry),
    /// An activity revision.
    Activity(Activity),
    /// A booking revision.
    Booking(Booking),
}

impl Record {
    /// The record's kind.
    pub fn kind(&self) -> ChangeKind {
        match self {
            Record::Citizen(_) => ChangeKind::Citizen,
            Record::Visit(_) => ChangeKind::Visit,
            Record::Note(_) => ChangeKind::Note,
            Record::Loneliness(_) => ChangeKind::Loneliness,
            Record::ClipCard(_) => ChangeKind::ClipCard,
            Record::ClipEntry(_) => ChangeKind::ClipEntry,
            Record::Activity(_) => ChangeKind::Activity,
            Record::Booking(_) => ChangeKind::Booking,
        }
    }

    /// The citizen the record belongs to (a citizen is her own); `None`
    /// for the activity catalogue, which belongs to nobody.
    pub fn citizen_id(&self) -> Option<Uuid> {
        match self {
            Record::Citizen(c) => Some(c.id),
            Record::Visit(v) => Some(v.citizen_id),
            Record::Note(n) => Some(n.citizen_id),
            Record::Loneliness(r) => Some(r.citizen_id),
            Record::ClipCard(c) => Some(c.citizen_id),
            Record::ClipEntry(e) => Some(e.citizen_id),
            Record::Activity(_) => None,
            Record::Booking(b) => Some(b.citizen_id),
        }
    }

    /// The record's id (a revision id for notes).
    pub fn id(&self) -> Uuid {
        match self {
            Record::Citizen(c) => c.id,
            Record::Visit(v) => v.id,
            Record::Note(n) => n.id,
            Record::Loneliness(r) => r.id,
            Record::ClipCard(c) => c.id,
            Record::ClipEntry(e) => e.id,
            Record::Activity(a) => a.id,
            Record::Booking(b) => b.id,
        }
    }
}

/// Reads `{"kind", "data"}` with `kind` first, as the server and the app
/// always write it. serde's derived reader for this shape also accepts `data`
/// first, buffering the data to do so, which doubles the code of every
/// record's reader in the app: measured, the derive costs 23 KB brotli of the
/// download (308.6 KB → 331.6 KB, 2026-11-30). Records are only ever written
/// by this crate, so one order is enough.
/// Read records from JSON text, not through `serde_json::Value`: a `Value`
/// sorts object keys, which puts `data` first.
impl<'de> Deserialize<'de> for Record {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Record, D::Error> {
        use serde::de::{Error, IgnoredAny, MapAccess, Visitor};

        struct RecordVisitor;

        impl<'de> Visitor<'de> for RecordVisitor {
            type Value = Record;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a record {\"kind\": …, \"data\": …} with kind first")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Record, A::Error> {
                if map.next_key::<String>()?.as_deref() != Some("kind") {
                    return Err(A::Error::custom("a record must start with \"kind\""));
                }
                let kind: ChangeKind = map.next_value()?;
                if map.next_key::<String>()?.as_deref() != Some("data") {
                    return Err(A::Error::missing_field("data"));
                }
                let record = match kind {
                    ChangeKind::Citizen => Record::Citizen(map.next_value()?),
                    ChangeKind::Visit => Record::Visit(map.next_value()?),
                    ChangeKind::Note => Record::Note(map.next_value()?),
                    ChangeKind::Loneliness => Record::Loneliness(map.next_value()?),
                    ChangeKind::ClipCard => Record::ClipCard(map.next_value()?),
                    ChangeKind::ClipEntry => Record::ClipEntry(map.next_value()?),
                    ChangeKind::Activity => Record::Activity(map.next_value()?),
                    ChangeKind::Booking => Record::Booking(map.next_value()?),
                };
                if map.next_key::<IgnoredAny>()?.is_some() {
                    return Err(A::Error::custom("a record has only \"kind\" and \"data\""));
                }
                Ok(record)
            }
        }

        deserializer.deserialize_map(RecordVisitor)
    }
}

/// One change since the client's cursor.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Change {
    /// The server's change number; the next cursor is the last one seen.
    pub seq: u64,
    /// The record as it now is; `None` when this app cannot read it (a
    /// record kind or a value from a newer server): it is skipped and
    /// counted, never a reason to stop syncing.
    #[serde(deserialize_with = "readable_record")]
    #[cfg_attr(feature = "openapi", schema(value_type = Object))]
    pub record: Option<Record>,
    /// When the server received the record (its own clock). Retention and
    /// "newest" go by it, not by the device's clock.
    #[serde(default)]
    pub received_at: Option<DateTime<Utc>>,
}

impl Change {
    /// A readable change.
    pub fn new(seq: u64, record: Record, received_at: Option<DateTime<Utc>>) -> Change {
        Change {
            seq,
            record: Some(record),
            received_at,
        }
    }
}

/// Reads a change's record, or `None` when this app cannot read it.
fn readable_record<'de, D: serde::Deserializer<'de>>(
    deserializer: D,
) -> Result<Option<Record>, D::Error> {
    let raw: Box<serde_json::value::RawValue> = Deserialize::deserialize(deserializer)?;
    Ok(serde_json::from_str(raw.get()).ok())
}

/// Where a batch stopped because a sequence number was missing.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Gap {
    /// The seq the server expected next.
    pub expected: u64,
    /// The seq it got instead.
    pub got: u64,
}

/// The answer to a sync request.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct SyncResponse {
    /// Every mutation with `seq` up to this is settled (applied or rejected).
    pub acknowledged_seq: u64,
    /// The settled mutations that were rejected, with why (also repeated when a
    /// rejected mutation is pushed again).
    pub rejections: Vec<Rejection>,
    /// Set when the batch stopped at a missing sequence number.
    pub gap: Option<Gap>,
    /// Changes after the cursor that this user may see, oldest first.
    pub changes: Vec<Change>,
    /// The cursor to send next time.
    pub next_cursor: u64,
    /// Whether more changes wait: call again at once with `next_cursor`.
    pub more: bool,
    /// The server's clock: retention is reckoned by it, and a device clock
    /// far from it is shown to the user.
    pub server_time: DateTime<Utc>,
    /// The server database's identity (made when its schema was created).
    #[serde(default)]
    pub database_id: Option<Uuid>,
    /// The tag of the change at `next_cursor`, to send back with it.
    #[serde(default)]
    pub cursor_tag: u64,
    /// The request's cursor is not in this server's feed (its database was
    /// restored from a backup, failed over, or is another): no changes are
    /// sent; the device pulls again from 0.
    #[serde(default)]
    pub feed_lost: bool,
    /// The server holds fewer of this client's changes than the device
    /// believes it acknowledged (a restored database): `acknowledged_seq` is
    /// what it holds; the device sends the rest again.
    #[serde(default)]
    pub seqs_lost: bool,
    /// The server settled this seq of the client with other content (a
    /// copied or restored device): the batch stopped there; everything
    /// pushed before it is settled; the device takes a new client id for the rest.
    #[serde(default)]
    pub seq_reused: Option<u64>,
    /// What this user may see (`all`, `team:<name>`, `citizen:<id>`): when it
    /// changes (the worker moved team) the device forgets and pulls again.
    #[serde(default)]
    pub scope: String,
    /// The server's protocol.
    #[serde(default)]
    pub protocol: u32,
}

#[cfg(test)]
#[path = "protocol_tests.rs"]
mod tests;
