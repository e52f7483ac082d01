//! What the two SQL stores share: how rows hold records ([`rows`]), every
//! statement by name ([`statements`]), and what a transaction keeps until it
//! writes it ([`pending`]). [`sql_store!`] writes the [`super::Tx`] and
//! shared [`super::Store`] methods for a store from those pieces (a macro:
//! the same code over sqlx's `Sqlite` and `Postgres` types); each store keeps
//! only how it opens, begins (who waits for whom) and what its database
//! needs said differently.

pub mod pending;
pub mod rows;
pub mod statements;

pub(super) use pending::*;
pub(super) use rows::*;

/// Writes the [`super::Tx`] impl and the [`super::Store`] impl for a SQL
/// store. `$tx` must have fields `tx: Transaction<'static, $db>` and
/// `state: TxState`; `$store` must have `pool: Pool<$db>`, `clip_policy`,
/// `async fn begin_tx(&self)` and `async fn writer(&self)` (what must be
/// held while writing outside a transaction).
macro_rules! sql_store {
    ($store:ty, $tx:ty, $db:ty) => {
        impl $tx {
            /// The feed rows after `cursor` that `scope` may see, through
            /// `executor` (the pool, or a transaction).
            async fn feed_rows<'e, E>(
                executor: E,
                scope: &Scope,
                cursor: u64,
                limit: u32,
                keep: &Keep,
            ) -> Result<Vec<SentRow>, StoreError>
            where
                E: sqlx::Executor<'e, Database = $db>,
            {
                let mut query =
                    sqlx::QueryBuilder::<$db>::new($crate::store::sql::statements::FEED_AFTER);
                query.push_bind($crate::store::sql::seq_to_db(cursor)?);
                match scope {
                    Scope::All => {}
                    Scope::Team(team) => {
                        query
                            .push(" AND (team = ")
                            .push_bind(team.clone())
                            .push(" OR (citizen_id = '' AND team = ''))");
                    }
                    Scope::Citizen(citizen) => {
                        query
                            .push(" AND citizen_id IN (")
                            .push_bind(citizen.to_string())
                            .push(", '')");
                    }
                }
                query
                    .push(" AND (keep_window = '' OR (keep_window = 'history' AND keep_from >= ")
                    .push_bind(keep.history_from.timestamp())
                    .push(") OR (keep_window = 'past' AND keep_from >= ")
                    .push_bind(keep.past_from.timestamp())
                    .push(")) ORDER BY seq LIMIT ")
                    .push_bind(i64::from(limit));
                let rows = query.build().fetch_all(executor).await?;
                rows.iter().map($crate::store::sql::sent_row).collect()
            }

            /// Writes the feed rows published so far (numbered now, in
            /// the writer's turn).
            async fn write_changes(&mut self) -> Result<(), StoreError> {
                let changes = std::mem::take(&mut self.state.changes);
                for chunk in changes.chunks($crate::store::sql::ROWS_PER_STATEMENT) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(
                        $crate::store::sql::statements::INSERT_CHANGES,
                    );
                    insert.push_values(chunk, |mut row, c| {
                        row.push_bind(c.kind)
                            .push_bind(c.record_id.clone())
                            .push_bind(c.citizen_id.clone())
                            .push_bind(c.team.clone())
                            .push_bind(c.payload.clone())
                            .push_bind(c.tag)
                            .push_bind(c.received_at.clone())
                            .push_bind(c.keep_window)
                            .push_bind(c.keep_from);
                    });
                    insert.build().execute(&mut *self.tx).await?;
                }
                Ok(())
            }

            /// Writes the records inserted so far.
            async fn write_records(&mut self) -> Result<(), StoreError> {
                if self.state.records.is_empty() {
                    return Ok(());
                }
                let records = std::mem::take(&mut self.state.records);
                let rows = records
                    .iter()
                    .map($crate::store::sql::row_of)
                    .collect::<Result<Vec<_>, _>>()?;
                for rows in $crate::store::sql::statements(&rows) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(rows[0].0);
                    insert.push_values(rows, |mut row, (_, values)| {
                        for value in values {
                            row.push_bind(value.clone());
                        }
                    });
                    insert.build().execute(&mut *self.tx).await?;
                }
                Ok(())
            }
        }

        impl $crate::store::Tx for $tx {
            async fn commit(mut self) -> Result<(), StoreError> {
                self.write_records().await?;
                self.write_changes().await?;
                let settled = std::mem::take(&mut self.state.settled);
                for chunk in settled.chunks($crate::store::sql::ROWS_PER_STATEMENT) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(
                        $crate::store::sql::statements::INSERT_SETTLED,
                    );
                    insert.push_values(chunk, |mut row, (client, seq, settled)| {
                        row.push_bind(client.clone())
                            .push_bind(*seq)
                            .push_bind(settled.fingerprint.clone())
                            .push_bind(settled.record_id.map(|id| id.to_string()));
                    });
                    insert.build().execute(&mut *self.tx).await?;
                }
                let audit = std::mem::take(&mut self.state.audit);
                for chunk in audit.chunks($crate::store::sql::ROWS_PER_STATEMENT) {
                    let mut insert = sqlx::QueryBuilder::<$db>::new(
                        $crate::store::sql::statements::INSERT_AUDIT,
                    );
                    insert.push_values(chunk, |mut row, a| {
                        row.push_bind(a.at.to_rfc3339())
                            .push_bind(a.user_id.to_string())
                            .push_bind(a.citizen_id.to_string())
                            .push_bind(a.action.clone())
                            .push_bind(a.detail.clone());
                    });
                    insert.build().execute(&mut *self.tx).await?;
                }
                self.tx.commit().await?;
                Ok(())
            }

            async fn client(&mut self, client_id: Uuid) -> Result<Option<(Uuid, u64)>, StoreError> {
                let row: Option<(String, i64)> =
                    sqlx::query_as($crate::store::sql::statements::CLIENT)
                        .bind(client_id.to_string())
                        .fetch_optional(&mut *self.tx)
                        .await?;
                row.map(|(user, last)| {
                    Ok((
                        $crate::store::sql::parse_uuid(&user)?,
                        $crate::store::sql::seq_from_db(last),
                    ))
                })
                .transpose()
            }

            async fn insert_client(
                &mut self,
                client_id: Uuid,
                user_id: Uuid,
            ) -> Result<(), StoreError> {
                sqlx::query($crate::store::sql::statements::INSERT_CLIENT)
                    .bind(client_id.to_string())
                    .bind(user_id.to_string())
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn settled(
                &mut self,
                client_id: Uuid,
                seqs: &[u64],
            ) -> Result<std::collections::HashMap<u64, Settled>, StoreError> {
                let mut found = std::collections::HashMap::new();
                for chunk in seqs.chunks($crate::store::sql::ROWS_PER_STATEMENT) {
                    let mut select = sqlx::QueryBuilder::<$db>::new(
                        $crate::store::sql::statements::SETTLED_SEQS,
                    );
                    select
                        .push_bind(client_id.to_string())
                        .push(" AND seq IN (");
                    let mut list = select.separated(", ");
                    for seq in chunk {
                        list.push_bind($crate::store::sql::seq_to_db(*seq)?);
                    }
                    select.push(")");
                    let rows: Vec<(i64, String, Option<String>)> =
                        select.build_query_as().fetch_all(&mut *self.tx).await?;
                    for (seq, fingerprint, record) in rows {
                        found.insert(
                            $crate::store::sql::seq_from_db(seq),
                            Settled {
                                fingerprint,
                                record_id: record
                                    .as_deref()
                                    .map($crate::store::sql::parse_uuid)
                                    .transpose()?,
                            },
                        );
                    }
                }
                Ok(found)
            }

            async fn insert_settled(
                &mut self,
                client_id: Uuid,
                rows: &[(u64, Settled)],
            ) -> Result<(), StoreError> {
                for (seq, settled) in rows {
                    self.state.settled.push((
                        client_id.to_string(),
                        $crate::store::sql::seq_to_db(*seq)?,
                        settled.clone(),
                    ));
                }
                Ok(())
            }

            async fn set_last_seq(&mut self, client_id: Uuid, seq: u64) -> Result<(), StoreError> {
                sqlx::query($crate::store::sql::statements::SET_LAST_SEQ)
                    .bind($crate::store::sql::seq_to_db(seq)?)
                    .bind(client_id.to_string())
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn rejection(
                &mut self,
                client_id: Uuid,
                seq: u64,
            ) -> Result<Option<Rejection>, StoreError> {
                let row: Option<(String, String)> =
                    sqlx::query_as($crate::store::sql::statements::REJECTION)
                        .bind(client_id.to_string())
                        .bind($crate::store::sql::seq_to_db(seq)?)
                        .fetch_optional(&mut *self.tx)
                        .await?;
                Ok(row.map(|(code, message)| Rejection { seq, code, message }))
            }

            async fn insert_rejection(
                &mut self,
                client_id: Uuid,
                rejection: &Rejection,
            ) -> Result<(), StoreError> {
                sqlx::query($crate::store::sql::statements::INSERT_REJECTION)
                    .bind(client_id.to_string())
                    .bind($crate::store::sql::seq_to_db(rejection.seq)?)
                    .bind(&rejection.code)
                    .bind(&rejection.message)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn citizen_team(
                &mut self,
                citizen_id: Uuid,
            ) -> Result<Option<String>, StoreError> {
                if let Some(team) = self.state.teams.get(&citizen_id) {
                    return Ok(team.clone());
                }
                let team: Option<String> =
                    sqlx::query_scalar($crate::store::sql::statements::CITIZEN_TEAM)
                        .bind(citizen_id.to_string())
                        .fetch_optional(&mut *self.tx)
                        .await?;
                self.state.teams.insert(citizen_id, team.clone());
                Ok(team)
            }

            async fn prefetch(&mut self, wanted: &[(ChangeKind, Uuid)]) -> Result<(), StoreError> {
                let mut by_kind: std::collections::BTreeMap<
                    &'static str,
                    (ChangeKind, std::collections::BTreeSet<Uuid>),
                > = std::collections::BTreeMap::new();
                for (kind, id) in wanted {
                    if $crate::store::sql::table_of(*kind).is_some()
                        && !self.state.known.contains_key(&(kind.as_str(), *id))
                    {
                        by_kind
                            .entry(kind.as_str())
                            .or_insert((*kind, std::collections::BTreeSet::new()))
                            .1
                            .insert(*id);
                    }
                }
                for (kind, ids) in by_kind.into_values() {
                    let Some(table) = $crate::store::sql::table_of(kind) else {
                        continue;
                    };
                    let ids: Vec<Uuid> = ids.into_iter().collect();
                    for ids in ids.chunks($crate::store::sql::ROWS_PER_STATEMENT) {
                        let mut select = sqlx::QueryBuilder::<$db>::new(
                            $crate::store::sql::statements::payloads_by_id(table),
                        );
                        let mut list = select.separated(", ");
                        for id in ids {
                            list.push_bind(id.to_string());
                        }
                        select.push(")");
                        let rows: Vec<(String, String)> =
                            select.build_query_as().fetch_all(&mut *self.tx).await?;
                        for id in ids {
                            self.state.known.insert((kind.as_str(), *id), None);
                        }
                        for (id, payload) in rows {
                            self.state.known.insert(
                                (kind.as_str(), $crate::store::sql::parse_uuid(&id)?),
                                Some($crate::store::sql::record_of(kind, &payload)?),
                            );
                        }
                    }
                }
                Ok(())
            }

            async fn find(
                &mut self,
                kind: ChangeKind,
                id: Uuid,
            ) -> Result<Option<Record>, StoreError> {
                if let Some(known) = self.state.known.get(&(kind.as_str(), id)) {
                    return Ok(known.clone());
                }
                let found = match $crate::store::sql::table_of(kind) {
                    None => {
                        let row: Option<(String, String, String)> =
                            sqlx::query_as($crate::store::sql::statements::CITIZEN)
                                .bind(id.to_string())
                                .fetch_optional(&mut *self.tx)
                                .await?;
                        row.map(|(name, address, team)| {
                            Record::Citizen(naervaer_domain::Citizen {
                                id,
                                name,
                                address,
                                team,
                            })
                        })
                    }
                    Some(table) => {
                        let payload: Option<String> = sqlx::query_scalar(
                            &$crate::store::sql::statements::payload_by_id(table),
                        )
                        .bind(id.to_string())
                        .fetch_optional(&mut *self.tx)
                        .await?;
                        payload
                            .map(|p| $crate::store::sql::record_of(kind, &p))
                            .transpose()?
                    }
                };
                self.state.known.insert((kind.as_str(), id), found.clone());
                Ok(found)
            }

            async fn insert(&mut self, record: &Record) -> Result<(), StoreError> {
                if let Record::Citizen(c) = record {
                    self.state.teams.insert(c.id, Some(c.team.clone()));
                }
                self.state
                    .known
                    .insert((record.kind().as_str(), record.id()), Some(record.clone()));
                self.state.records.push(record.clone());
                Ok(())
            }

            async fn update_card(&mut self, card: &ClipCard) -> Result<(), StoreError> {
                self.write_records().await?;
                sqlx::query($crate::store::sql::statements::UPDATE_CARD)
                    .bind($crate::store::sql::to_json(card)?)
                    .bind(card.id.to_string())
                    .execute(&mut *self.tx)
                    .await?;
                self.state.known.insert(
                    (ChangeKind::ClipCard.as_str(), card.id),
                    Some(Record::ClipCard(card.clone())),
                );
                Ok(())
            }

            async fn ledger(&mut self, card_id: Uuid) -> Result<Vec<ClipEntry>, StoreError> {
                self.write_records().await?;
                let rows: Vec<String> = sqlx::query_scalar($crate::store::sql::statements::LEDGER)
                    .bind(card_id.to_string())
                    .fetch_all(&mut *self.tx)
                    .await?;
                $crate::store::sql::payloads(&rows)
            }

            async fn insert_flag(&mut self, entry_id: Uuid, code: &str) -> Result<(), StoreError> {
                self.write_records().await?;
                sqlx::query($crate::store::sql::statements::INSERT_FLAG)
                    .bind(entry_id.to_string())
                    .bind(code)
                    .execute(&mut *self.tx)
                    .await?;
                Ok(())
            }

            async fn card_flags(
                &mut self,
                card_id: Uuid,
            ) -> Result<Vec<(Uuid, String)>, StoreError> {
                self.write_records().await?;
                let rows: Vec<(String, String)> =
                    sqlx::query_as($crate::store::sql::statements::CARD_FLAGS)
                        .bind(card_id.to_string())
                        .fetch_all(&mut *self.tx)
                        .await?;
                rows.into_iter()
                    .map(|(entry, code)| Ok(($crate::store::sql::parse_uuid(&entry)?, code)))
                    .collect()
            }

            async fn activity_revisions(
                &mut self,
                activity_id: Uuid,
            ) -> Result<Vec<Activity>, StoreError> {
                self.write_records().await?;
                let rows: Vec<String> =
                    sqlx::query_scalar($crate::store::sql::statements::ACTIVITY_REVISIONS)
                        .bind(activity_id.to_string())
                        .fetch_all(&mut *self.tx)
                        .await?;
                $crate::store::sql::payloads(&rows)
            }

            async fn bookings_at(
                &mut self,
                activity_id: Uuid,
                occurrence_start: DateTime<Utc>,
            ) -> Result<Vec<Booking>, StoreError> {
                self.write_records().await?;
                let rows: Vec<String> =
                    sqlx::query_scalar($crate::store::sql::statements::BOOKINGS_AT)
                        .bind(activity_id.to_string())
                        .bind(naervaer_domain::wire_time::format_instant(occurrence_start))
                        .fetch_all(&mut *self.tx)
                        .await?;
                $crate::store::sql::payloads(&rows)
            }

            async fn append_change(
                &mut self,
                record: &Record,
                audience: &Audience,
                received_at: Option<DateTime<Utc>>,
            ) -> Result<(), StoreError> {
                self.state
                    .changes
                    .push($crate::store::sql::PendingChange::new(
                        record,
                        audience,
                        received_at,
                    )?);
                Ok(())
            }

            async fn audit(&mut self, entry: &AuditEntry) -> Result<(), StoreError> {
                self.state.audit.push(entry.clone());
                Ok(())
            }

            async fn citizen_changes(
                &mut self,
                citizen_id: Uuid,
            ) -> Result<Vec<FeedRow>, StoreError> {
                self.write_records().await?;
                self.write_changes().await?;
                let rows = sqlx::query($crate::store::sql::statements::CITIZEN_CHANGES)
                    .bind(citizen_id.to_string())
                    .fetch_all(&mut *self.tx)
                    .await?;
                rows.iter()
                    .map(|row| $crate::store::sql::sent_row(row)?.parse())
                    .collect()
            }

            async fn move_citizen(
                &mut self,
                citizen_id: Uuid,
                from: &str,
                to: &str,
            ) -> Result<(), StoreError> {
                self.write_records().await?;
                self.write_changes().await?;
                let id = citizen_id.to_string();
                sqlx::query($crate::store::sql::statements::MOVE_CITIZEN)
                    .bind(to)
                    .bind(&id)
                    .execute(&mut *self.tx)
                    .await?;
                sqlx::query($crate::store::sql::statements::RELABEL_CHANGES)
                    .bind(to)
                    .bind(&id)
                    .bind(from)
                    .execute(&mut *self.tx)
                    .await?;
                self.state.teams.insert(citizen_id, Some(to.to_string()));
                self.state
                    .known
                    .remove(&(ChangeKind::Citizen.as_str(), citizen_id));
                Ok(())
            }
        }

        impl $store {
            /// The database's identity: made by the first server that opens
            /// it, read by every later one.
            async fn identity(pool: &sqlx::Pool<$db>) -> Result<Uuid, StoreError> {
                sqlx::query($crate::store::sql::statements::INSERT_IDENTITY)
                    .bind(Uuid::new_v4().to_string())
                    .execute(pool)
                    .await?;
                let id: String = sqlx::query_scalar($crate::store::sql::statements::IDENTITY)
                    .fetch_one(pool)
                    .await?;
                $crate::store::sql::parse_uuid(&id)
            }
        }

        impl $crate::store::Store for $store {
            type Tx = $tx;

            async fn begin(&self) -> Result<$tx, StoreError> {
                self.begin_tx().await
            }

            fn clip_policy(&self) -> &ClipPolicy {
                &self.clip_policy
            }

            async fn credentials(&self, username: &str) -> Result<Option<Credentials>, StoreError> {
                let row = sqlx::query($crate::store::sql::statements::USER_BY_NAME)
                    .bind(username)
                    .fetch_optional(&self.pool)
                    .await?;
                match row {
                    None => Ok(None),
                    Some(row) => Ok(Some(Credentials {
                        user: $crate::store::sql::user_from_row(&row)?,
                        password_hash: row.try_get("password_hash")?,
                    })),
                }
            }

            async fn create_session(
                &self,
                token_hash: &str,
                user_id: Uuid,
                times: &$crate::sessions::SessionTimes,
            ) -> Result<(), StoreError> {
                let _write = self.writer().await;
                sqlx::query($crate::store::sql::statements::DELETE_EXPIRED_SESSIONS)
                    .bind(Utc::now().to_rfc3339())
                    .execute(&self.pool)
                    .await?;
                sqlx::query($crate::store::sql::statements::INSERT_SESSION)
                    .bind(token_hash)
                    .bind(user_id.to_string())
                    .bind(times.expires_at.to_rfc3339())
                    .bind(times.idle_until.map(|t| t.to_rfc3339()))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn touch_session(
                &self,
                token_hash: &str,
                idle_until: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                // One row by its key, at most once a minute per session:
                // not in the writers' turn, so a busy push never holds it up.
                sqlx::query($crate::store::sql::statements::TOUCH_SESSION)
                    .bind(idle_until.to_rfc3339())
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn record_account_event(
                &self,
                event: &$crate::account_log::AccountEvent,
            ) -> Result<(), StoreError> {
                sqlx::query($crate::store::sql::statements::INSERT_ACCOUNT_EVENT)
                    .bind(event.at.to_rfc3339())
                    .bind(&event.username)
                    .bind(event.user_id.map(|id| id.to_string()))
                    .bind(event.kind.as_str())
                    .bind(event.address.map(|a| a.to_string()))
                    .bind(event.by_user.as_deref())
                    .bind(&event.detail)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn account_events(
                &self,
                limit: u32,
            ) -> Result<Vec<$crate::account_log::AccountEvent>, StoreError> {
                type Line = (
                    String,
                    String,
                    Option<String>,
                    String,
                    Option<String>,
                    Option<String>,
                    String,
                );
                let rows: Vec<Line> =
                    sqlx::query_as($crate::store::sql::statements::ACCOUNT_EVENTS)
                        .bind(i64::from(limit))
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter()
                    .map(|(at, username, user_id, event, address, by_user, detail)| {
                        Ok($crate::account_log::AccountEvent {
                            at: $crate::store::sql::parse_time(&at)?,
                            username,
                            user_id: user_id
                                .as_deref()
                                .map($crate::store::sql::parse_uuid)
                                .transpose()?,
                            kind: $crate::account_log::AccountEventKind::parse(&event).ok_or_else(
                                || StoreError::Corrupt(format!("account event {event}")),
                            )?,
                            address: address
                                .map(|a| {
                                    a.parse()
                                        .map_err(|_| StoreError::Corrupt(format!("address {a}")))
                                })
                                .transpose()?,
                            by_user,
                            detail,
                        })
                    })
                    .collect()
            }

            async fn put_ticket(
                &self,
                ticket: &$crate::store::LoginTicket,
                older_than: DateTime<Utc>,
            ) -> Result<(), StoreError> {
                sqlx::query($crate::store::sql::statements::DELETE_OLD_TICKETS)
                    .bind(older_than.to_rfc3339())
                    .execute(&self.pool)
                    .await?;
                sqlx::query($crate::store::sql::statements::INSERT_TICKET)
                    .bind(&ticket.id_hash)
                    .bind(&ticket.kind)
                    .bind(&ticket.binding_hash)
                    .bind(&ticket.payload)
                    .bind(ticket.created_at.to_rfc3339())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn take_ticket(
                &self,
                kind: &str,
                id_hash: &str,
                binding_hash: &str,
            ) -> Result<Option<$crate::store::LoginTicket>, StoreError> {
                let row: Option<(String, String, String, String, String)> =
                    sqlx::query_as($crate::store::sql::statements::TAKE_TICKET)
                        .bind(id_hash)
                        .bind(kind)
                        .bind(binding_hash)
                        .fetch_optional(&self.pool)
                        .await?;
                row.map(|(id_hash, kind, binding_hash, payload, created_at)| {
                    Ok($crate::store::LoginTicket {
                        id_hash,
                        kind,
                        binding_hash,
                        payload,
                        created_at: $crate::store::sql::parse_time(&created_at)?,
                    })
                })
                .transpose()
            }

            async fn municipal_subject(&self, user_id: Uuid) -> Result<Option<String>, StoreError> {
                let subject: Option<Option<String>> =
                    sqlx::query_scalar($crate::store::sql::statements::MUNICIPAL_SUBJECT)
                        .bind(user_id.to_string())
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(subject.flatten())
            }

            async fn set_municipal_subject(
                &self,
                user_id: Uuid,
                subject: Option<&str>,
            ) -> Result<(), StoreError> {
                sqlx::query($crate::store::sql::statements::SET_MUNICIPAL_SUBJECT)
                    .bind(subject)
                    .bind(user_id.to_string())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn set_password_hash(
                &self,
                username: &str,
                password_hash: &str,
            ) -> Result<User, StoreError> {
                let _write = self.writer().await;
                let user = self
                    .credentials(username)
                    .await?
                    .ok_or(StoreError::Missing("user"))?
                    .user;
                let mut tx = self.pool.begin().await?;
                sqlx::query($crate::store::sql::statements::SET_PASSWORD_HASH)
                    .bind(password_hash)
                    .bind(username)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query($crate::store::sql::statements::DELETE_USER_SESSIONS)
                    .bind(user.id.to_string())
                    .execute(&mut *tx)
                    .await?;
                tx.commit().await?;
                Ok(user)
            }

            async fn data_key(
                &self,
                user_id: Uuid,
                fresh: $crate::store::DataKey,
            ) -> Result<$crate::store::DataKey, StoreError> {
                let _write = self.writer().await;
                sqlx::query($crate::store::sql::statements::SET_DATA_KEY)
                    .bind(fresh.0.to_vec())
                    .bind(user_id.to_string())
                    .execute(&self.pool)
                    .await?;
                let stored: Option<Option<Vec<u8>>> =
                    sqlx::query_scalar($crate::store::sql::statements::DATA_KEY)
                        .bind(user_id.to_string())
                        .fetch_optional(&self.pool)
                        .await?;
                match stored {
                    None => Err(StoreError::Missing("user")),
                    Some(bytes) => bytes
                        .as_deref()
                        .and_then($crate::store::DataKey::from_bytes)
                        .ok_or_else(|| StoreError::Corrupt(format!("the data key of {user_id}"))),
                }
            }

            async fn delete_session(&self, token_hash: &str) -> Result<(), StoreError> {
                let _write = self.writer().await;
                sqlx::query($crate::store::sql::statements::DELETE_SESSION)
                    .bind(token_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn session_user(
                &self,
                token_hash: &str,
                now: DateTime<Utc>,
            ) -> Result<
                Option<($crate::store::SessionOwner, $crate::sessions::SessionTimes)>,
                StoreError,
            > {
                let row = sqlx::query($crate::store::sql::statements::SESSION_USER)
                    .bind(token_hash)
                    .fetch_optional(&self.pool)
                    .await?;
                let Some(row) = row else { return Ok(None) };
                let idle: Option<String> = row.try_get("session_idle_until")?;
                let times = $crate::sessions::SessionTimes {
                    expires_at: $crate::store::sql::parse_time(
                        &row.try_get::<String, _>("session_expires")?,
                    )?,
                    idle_until: idle
                        .as_deref()
                        .map($crate::store::sql::parse_time)
                        .transpose()?,
                };
                let user = $crate::store::sql::user_from_row(&row)?;
                let disabled: Option<String> = row.try_get("disabled_at")?;
                // A disabled account's session is told so even after it
                // expired: its devices forget the key however late they ask.
                if disabled.is_some() {
                    return Ok(Some(($crate::store::SessionOwner::Disabled(user), times)));
                }
                if !times.is_live(now) {
                    return Ok(None);
                }
                Ok(Some(($crate::store::SessionOwner::Active(user), times)))
            }

            async fn set_disabled(
                &self,
                username: &str,
                at: Option<DateTime<Utc>>,
            ) -> Result<User, StoreError> {
                let _write = self.writer().await;
                let user = self
                    .credentials(username)
                    .await?
                    .ok_or(StoreError::Missing("user"))?
                    .user;
                let mut tx = self.pool.begin().await?;
                sqlx::query($crate::store::sql::statements::SET_DISABLED)
                    .bind(at.map(|t| t.to_rfc3339()))
                    .bind(username)
                    .execute(&mut *tx)
                    .await?;
                if at.is_none() {
                    sqlx::query($crate::store::sql::statements::DELETE_USER_SESSIONS)
                        .bind(user.id.to_string())
                        .execute(&mut *tx)
                        .await?;
                }
                tx.commit().await?;
                Ok(user)
            }

            async fn is_disabled(&self, user_id: Uuid) -> Result<bool, StoreError> {
                let at: Option<Option<String>> =
                    sqlx::query_scalar($crate::store::sql::statements::DISABLED_AT)
                        .bind(user_id.to_string())
                        .fetch_optional(&self.pool)
                        .await?;
                Ok(at.flatten().is_some())
            }

            async fn changes_after(
                &self,
                scope: &Scope,
                cursor: u64,
                limit: u32,
                keep: &Keep,
            ) -> Result<Vec<SentRow>, StoreError> {
                <$tx>::feed_rows(&self.pool, scope, cursor, limit, keep).await
            }

            async fn feed_tag(&self, seq: u64) -> Result<Option<u64>, StoreError> {
                let tag: Option<i64> = sqlx::query_scalar($crate::store::sql::statements::FEED_TAG)
                    .bind($crate::store::sql::seq_to_db(seq)?)
                    .fetch_optional(&self.pool)
                    .await?;
                Ok(tag.map($crate::store::sql::seq_from_db))
            }

            fn database_id(&self) -> Uuid {
                self.database_id
            }

            async fn users(&self) -> Result<Vec<User>, StoreError> {
                let rows = sqlx::query($crate::store::sql::statements::USERS)
                    .fetch_all(&self.pool)
                    .await?;
                rows.iter().map($crate::store::sql::user_from_row).collect()
            }

            async fn set_user_team(
                &self,
                user_id: Uuid,
                team: Option<&str>,
            ) -> Result<(), StoreError> {
                let _write = self.writer().await;
                sqlx::query($crate::store::sql::statements::SET_USER_TEAM)
                    .bind(team)
                    .bind(user_id.to_string())
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn is_empty(&self) -> Result<bool, StoreError> {
                let n: i64 = sqlx::query_scalar($crate::store::sql::statements::USER_COUNT)
                    .fetch_one(&self.pool)
                    .await?;
                Ok(n == 0)
            }

            async fn insert_user(&self, credentials: &Credentials) -> Result<(), StoreError> {
                let _write = self.writer().await;
                let u = &credentials.user;
                sqlx::query($crate::store::sql::statements::INSERT_USER)
                    .bind(u.id.to_string())
                    .bind(&u.username)
                    .bind(&u.name)
                    .bind(u.role.as_str())
                    .bind(&u.team)
                    .bind(u.citizen_id.map(|c| c.to_string()))
                    .bind(&credentials.password_hash)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }

            async fn note_count(&self) -> Result<u64, StoreError> {
                let n: i64 = sqlx::query_scalar($crate::store::sql::statements::NOTE_COUNT)
                    .fetch_one(&self.pool)
                    .await?;
                Ok($crate::store::sql::seq_from_db(n))
            }

            async fn audit_of(&self, citizen_id: Uuid) -> Result<Vec<AuditEntry>, StoreError> {
                let rows: Vec<(String, String, String, String)> =
                    sqlx::query_as($crate::store::sql::statements::AUDIT_OF)
                        .bind(citizen_id.to_string())
                        .fetch_all(&self.pool)
                        .await?;
                rows.into_iter()
                    .map(|(at, user, action, detail)| {
                        Ok(AuditEntry {
                            at: $crate::store::sql::parse_time(&at)?,
                            user_id: $crate::store::sql::parse_uuid(&user)?,
                            citizen_id,
                            action,
                            detail,
                        })
                    })
                    .collect()
            }

            async fn ping(&self) -> Result<(), StoreError> {
                sqlx::query($crate::store::sql::statements::PING)
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
        }
    };
}

pub(super) use sql_store;
