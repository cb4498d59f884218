//! User accounts and what they may reach: Argon2id password hashes (hashed and verified by
//! the server), role grants per unit, login sessions, API tokens and login attempts for rate
//! limiting. Session and API tokens are stored only as SHA-256 hashes: the tokens are random
//! and long, so a fast hash suffices, and a copy of the database does not let anyone sign in.

use jiff::Timestamp;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::audit::{AuditEntry, Change};
use crate::db::{Lock, RowExt, Store, on_conn};
use crate::error::{Field, InvalidRequest, Result, StoreError};
use crate::ids::{GrantId, SessionId, TokenId, UnitId, UserId};
use crate::lookup::UnitIndex;
use crate::org::fetch_unit;
use crate::sqltypes::{SqlTimestamp, truncate_to_micros};

/// Shortest session or API token accepted, in characters: 32 hex digits are 128 bits.
pub const MIN_TOKEN_LEN: usize = 32;

/// Maximum length of a user name, in characters.
const MAX_USERNAME_LEN: usize = 64;

/// A role granted on one unit. Admins are users with [`User::is_admin`], over every unit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// Chef: the unit's manager, who approves and publishes.
    Manager,
    /// Schemaläggare: edits and solves the unit's schedules.
    Scheduler,
    /// Medarbetare: a staff member, linked to one employee of the unit.
    Staff,
}

impl Role {
    /// The role as stored, in Swedish as the unit's staff name it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Manager => "chef",
            Role::Scheduler => "schemaläggare",
            Role::Staff => "medarbetare",
        }
    }

    fn parse(text: &str) -> Result<Role> {
        match text {
            "chef" => Ok(Role::Manager),
            "schemaläggare" => Ok(Role::Scheduler),
            "medarbetare" => Ok(Role::Staff),
            other => Err(StoreError::Corrupt(format!("unknown role {other:?}"))),
        }
    }
}

/// A user account.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub id: UserId,
    /// Lowercase, unique.
    pub username: String,
    /// PHC string of an Argon2id hash.
    #[serde(skip)]
    pub password_hash: String,
    pub is_admin: bool,
    pub disabled: bool,
    pub created_at: Timestamp,
    pub row_version: i64,
}

impl std::fmt::Debug for User {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("User")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("is_admin", &self.is_admin)
            .field("disabled", &self.disabled)
            .finish_non_exhaustive()
    }
}

/// A user to create.
#[derive(Clone)]
pub struct NewUser {
    pub username: String,
    /// PHC string of an Argon2id hash, `$argon2id$v=19$…`.
    pub password_hash: String,
    pub is_admin: bool,
}

/// A role of a user on a unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Grant {
    pub id: GrantId,
    pub user_id: UserId,
    pub unit_id: UnitId,
    pub role: Role,
    /// The employee a staff member is, by employee id; `None` for managers and schedulers.
    pub employee: Option<String>,
    pub created_at: Timestamp,
}

/// A login session; the token itself is known only to the browser.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub id: SessionId,
    pub user_id: UserId,
    pub created_at: Timestamp,
    pub expires_at: Timestamp,
    pub last_seen_at: Timestamp,
    pub user_agent: Option<String>,
    pub remote_addr: Option<String>,
}

/// An API token's record; the token itself was shown once when it was created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ApiToken {
    pub id: TokenId,
    pub user_id: UserId,
    pub name: String,
    pub created_at: Timestamp,
    pub expires_at: Option<Timestamp>,
    pub last_used_at: Option<Timestamp>,
    pub revoked_at: Option<Timestamp>,
}

/// Failed logins counted for rate limiting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginFailures {
    /// Failures for the user name since the given instant.
    pub by_username: u64,
    /// Failures from the remote address since the given instant.
    pub by_remote_addr: u64,
    /// Failures for the user name from the remote address; without an address, the same
    /// as `by_username`.
    pub by_username_and_addr: u64,
}

/// SHA-256 of a token, as hex.
pub(crate) fn token_hash(token: &str) -> Result<String> {
    if token.len() < MIN_TOKEN_LEN {
        return Err(StoreError::invalid(InvalidRequest::TokenTooShort { min: MIN_TOKEN_LEN }));
    }
    Ok(hex::encode(Sha256::digest(token.as_bytes())))
}

fn normalize_username(username: &str) -> Result<String> {
    let name = username.trim().to_lowercase();
    if name.is_empty() || name.chars().count() > MAX_USERNAME_LEN {
        return Err(StoreError::invalid(InvalidRequest::UsernameLength { max: MAX_USERNAME_LEN }));
    }
    if name.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(StoreError::invalid(InvalidRequest::UsernameCharacters { name }));
    }
    Ok(name)
}

fn check_password_hash(hash: &str) -> Result<()> {
    if hash.starts_with("$argon2id$") {
        Ok(())
    } else {
        Err(StoreError::invalid(InvalidRequest::PasswordHash))
    }
}

const USER_COLUMNS: &str = "id, username, password_hash, is_admin, disabled, created_at, row_version";

fn user_from_row(row: &impl RowExt) -> Result<User> {
    Ok(User {
        id: UserId(row.i64("id")?),
        username: row.text("username")?,
        password_hash: row.text("password_hash")?,
        is_admin: row.boolean("is_admin")?,
        disabled: row.boolean("disabled")?,
        created_at: row.timestamp("created_at")?,
        row_version: row.i64("row_version")?,
    })
}

fn grant_from_row(row: &impl RowExt) -> Result<Grant> {
    Ok(Grant {
        id: GrantId(row.i64("id")?),
        user_id: UserId(row.i64("user_id")?),
        unit_id: UnitId(row.i64("unit_id")?),
        role: Role::parse(&row.text("role")?)?,
        employee: row.opt_text("external_id")?,
        created_at: row.timestamp("created_at")?,
    })
}

fn session_from_row(row: &impl RowExt) -> Result<Session> {
    Ok(Session {
        id: SessionId(row.i64("session_id")?),
        user_id: UserId(row.i64("user_id")?),
        created_at: row.timestamp("session_created_at")?,
        expires_at: row.timestamp("expires_at")?,
        last_seen_at: row.timestamp("last_seen_at")?,
        user_agent: row.opt_text("user_agent")?,
        remote_addr: row.opt_text("remote_addr")?,
    })
}

fn token_from_row(row: &impl RowExt) -> Result<ApiToken> {
    Ok(ApiToken {
        id: TokenId(row.i64("token_id")?),
        user_id: UserId(row.i64("user_id")?),
        name: row.text("name")?,
        created_at: row.timestamp("token_created_at")?,
        expires_at: row.opt_timestamp("expires_at")?,
        last_used_at: row.opt_timestamp("last_used_at")?,
        revoked_at: row.opt_timestamp("revoked_at")?,
    })
}

const GRANT_SELECT: &str = "SELECT g.id, g.user_id, g.unit_id, g.role, g.created_at, e.external_id \
     FROM role_grants g LEFT JOIN employees e ON e.id = g.employee_id";

const SESSION_SELECT: &str = "SELECT s.id AS session_id, s.user_id, s.created_at AS session_created_at, \
     s.expires_at, s.last_seen_at, s.user_agent, s.remote_addr, \
     u.id, u.username, u.password_hash, u.is_admin, u.disabled, u.created_at, u.row_version \
     FROM sessions s JOIN users u ON u.id = s.user_id";

/// The condition of a live session: the token's hash is `$1`, it expires after `$2`, the
/// current time, and its user is not disabled.
const LIVE_SESSION: &str = "s.token_hash = $1 AND s.expires_at > $2 AND u.disabled = FALSE";

/// The condition and order of one user's grants, the user id being `$1`.
const USER_GRANTS: &str = "g.user_id = $1 ORDER BY g.unit_id, g.role";

const TOKEN_SELECT: &str = "SELECT t.id AS token_id, t.user_id, t.name, t.created_at AS token_created_at, \
     t.expires_at, t.last_used_at, t.revoked_at, \
     u.id, u.username, u.password_hash, u.is_admin, u.disabled, u.created_at, u.row_version \
     FROM api_tokens t JOIN users u ON u.id = t.user_id";

impl Store {
    /// Creates a user. The user name is stored in lowercase.
    ///
    /// # Errors
    ///
    /// [`StoreError::Invalid`] for an empty user name, one with spaces, or a hash that is
    /// not Argon2id; [`StoreError::UsernameTaken`] when the name is taken.
    pub async fn create_user(&self, user: &NewUser, change: &Change) -> Result<User> {
        let username = normalize_username(&user.username)?;
        check_password_hash(&user.password_hash)?;
        let mut tx = self.begin_write().await?;
        let now = tx.now;
        let sql = format!(
            "INSERT INTO users (username, password_hash, is_admin, created_at) VALUES ($1, $2, $3, $4) \
             RETURNING {USER_COLUMNS}"
        );
        let created = on_conn!(&mut tx.conn, c => {
            let row = sqlx::query(&sql)
                .bind(&username)
                .bind(&user.password_hash)
                .bind(user.is_admin)
                .bind(SqlTimestamp(now))
                .fetch_one(&mut *c)
                .await
                .map_err(|e| match StoreError::from(e) {
                    StoreError::Db(sqlx::Error::Database(db)) if db.is_unique_violation() => {
                        StoreError::UsernameTaken { username: username.clone() }
                    }
                    other => other,
                })?;
            user_from_row(&row)?
        });
        tx.audit(AuditEntry::new(change, "user.create", "user", created.id).after(&created)?);
        tx.commit().await?;
        tracing::info!(user = %created.id, admin = created.is_admin, "user created");
        Ok(created)
    }

    /// Reads a user.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for an unknown user.
    pub async fn get_user(&self, user: UserId) -> Result<User> {
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1");
        let mut tx = self.begin_read().await?;
        let found = on_conn!(&mut tx.conn, c => {
            match sqlx::query(&sql).bind(user.get()).fetch_optional(&mut *c).await? {
                Some(row) => Some(user_from_row(&row)?),
                None => None,
            }
        });
        tx.finish().await?;
        found.ok_or_else(|| StoreError::not_found("user", user))
    }

    /// Finds a user by name, in any letter case, for password login.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the query fails.
    pub async fn find_user(&self, username: &str) -> Result<Option<User>> {
        let Ok(username) = normalize_username(username) else { return Ok(None) };
        let sql = format!("SELECT {USER_COLUMNS} FROM users WHERE username = $1");
        let mut tx = self.begin_read().await?;
        let found = on_conn!(&mut tx.conn, c => {
            match sqlx::query(&sql).bind(&username).fetch_optional(&mut *c).await? {
                Some(row) => Some(user_from_row(&row)?),
                None => None,
            }
        });
        tx.finish().await?;
        Ok(found)
    }

    /// Replaces a user's password hash and ends their sessions.
    ///
    /// # Errors
    ///
    /// [`StoreError::Invalid`] for a hash that is not Argon2id, [`StoreError::NotFound`] for
    /// an unknown user.
    pub async fn set_password_hash(&self, user: UserId, password_hash: &str, change: &Change) -> Result<()> {
        check_password_hash(password_hash)?;
        let mut tx = self.begin_write().await?;
        let changed = on_conn!(&mut tx.conn, c => {
            let changed = sqlx::query("UPDATE users SET password_hash = $1, row_version = row_version + 1 WHERE id = $2")
                .bind(password_hash)
                .bind(user.get())
                .execute(&mut *c)
                .await?
                .rows_affected();
            sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.get()).execute(&mut *c).await?;
            changed
        });
        if changed == 0 {
            return Err(StoreError::not_found("user", user));
        }
        // The hash itself stays out of the audit log.
        tx.audit(AuditEntry::new(change, "user.set_password", "user", user));
        tx.commit().await?;
        Ok(())
    }

    /// Disables or enables a user; disabling ends their sessions.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for an unknown user.
    pub async fn set_user_disabled(&self, user: UserId, disabled: bool, change: &Change) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let changed = on_conn!(&mut tx.conn, c => {
            let changed = sqlx::query("UPDATE users SET disabled = $1, row_version = row_version + 1 WHERE id = $2")
                .bind(disabled)
                .bind(user.get())
                .execute(&mut *c)
                .await?
                .rows_affected();
            if disabled {
                sqlx::query("DELETE FROM sessions WHERE user_id = $1").bind(user.get()).execute(&mut *c).await?;
            }
            changed
        });
        if changed == 0 {
            return Err(StoreError::not_found("user", user));
        }
        tx.audit(
            AuditEntry::new(change, "user.set_disabled", "user", user)
                .after(&serde_json::json!({ "disabled": disabled }))?,
        );
        tx.commit().await?;
        Ok(())
    }

    /// Grants a role on a unit. A staff grant names the employee the user is.
    ///
    /// # Errors
    ///
    /// [`StoreError::Invalid`] when a staff grant names no employee or one not in the unit,
    /// or another role names one; [`StoreError::Conflict`] when the user has the role there.
    pub async fn grant_role(
        &self,
        user: UserId,
        unit: UnitId,
        role: Role,
        employee: Option<&str>,
        change: &Change,
    ) -> Result<Grant> {
        let mut tx = self.begin_write().await?;
        fetch_unit(&mut tx.conn, unit, Lock::Share).await?;
        let employee_id = match (role, employee) {
            (Role::Staff, Some(employee)) => {
                Some(UnitIndex::load(&mut tx.conn, unit).await?.employee(employee)?)
            }
            (Role::Staff, None) => {
                return Err(StoreError::invalid(InvalidRequest::StaffGrantWithoutEmployee));
            }
            (_, Some(_)) => return Err(StoreError::invalid(InvalidRequest::EmployeeOnOtherGrant)),
            (_, None) => None,
        };
        let now = tx.now;
        let id = on_conn!(&mut tx.conn, c => {
            let exists = sqlx::query("SELECT id FROM users WHERE id = $1").bind(user.get()).fetch_optional(&mut *c).await?;
            if exists.is_none() {
                return Err(StoreError::not_found("user", user));
            }
            sqlx::query(
                "INSERT INTO role_grants (user_id, unit_id, role, employee_id, created_at) VALUES ($1, $2, $3, $4, $5) \
                 RETURNING id",
            )
            .bind(user.get())
            .bind(unit.get())
            .bind(role.as_str())
            .bind(employee_id)
            .bind(SqlTimestamp(now))
            .fetch_one(&mut *c)
            .await
            .map_err(|e| StoreError::from(e).unique_as_conflict("role grant", role.as_str()))?
            .i64("id")?
        });
        let grant = Grant {
            id: GrantId(id),
            user_id: user,
            unit_id: unit,
            role,
            employee: employee.map(str::to_string),
            created_at: now,
        };
        tx.audit(AuditEntry::new(change, "grant.create", "role_grant", id).unit(unit).after(&grant)?);
        tx.commit().await?;
        Ok(grant)
    }

    /// Revokes a role on a unit; revoking a role the user lacks is no error.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the statement fails.
    pub async fn revoke_role(&self, user: UserId, unit: UnitId, role: Role, change: &Change) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let sql = format!("{GRANT_SELECT} WHERE g.user_id = $1 AND g.unit_id = $2 AND g.role = $3");
        let existing = on_conn!(&mut tx.conn, c => {
            let found = match sqlx::query(&sql)
                .bind(user.get())
                .bind(unit.get())
                .bind(role.as_str())
                .fetch_optional(&mut *c)
                .await?
            {
                Some(row) => Some(grant_from_row(&row)?),
                None => None,
            };
            if found.is_some() {
                sqlx::query("DELETE FROM role_grants WHERE user_id = $1 AND unit_id = $2 AND role = $3")
                    .bind(user.get())
                    .bind(unit.get())
                    .bind(role.as_str())
                    .execute(&mut *c)
                    .await?;
            }
            found
        });
        let Some(existing) = existing else { return Ok(()) };
        tx.audit(
            AuditEntry::new(change, "grant.delete", "role_grant", existing.id)
                .unit(unit)
                .before(&existing)?,
        );
        tx.commit().await?;
        Ok(())
    }

    /// Lists a user's grants by unit.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the query fails.
    pub async fn list_grants(&self, user: UserId) -> Result<Vec<Grant>> {
        self.grants_where(USER_GRANTS, user.get()).await
    }

    /// Lists the grants on a unit by user.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the query fails.
    pub async fn list_unit_grants(&self, unit: UnitId) -> Result<Vec<Grant>> {
        self.grants_where("g.unit_id = $1 ORDER BY g.user_id, g.role", unit.get()).await
    }

    async fn grants_where(&self, condition: &str, id: i64) -> Result<Vec<Grant>> {
        let sql = format!("{GRANT_SELECT} WHERE {condition}");
        let mut tx = self.begin_read().await?;
        let grants = on_conn!(&mut tx.conn, c => {
            let rows = sqlx::query(&sql).bind(id).fetch_all(&mut *c).await?;
            rows.iter().map(grant_from_row).collect::<Result<Vec<_>>>()?
        });
        tx.finish().await?;
        Ok(grants)
    }

    /// Starts a session for a user who signed in. `token` is the random secret the browser
    /// keeps in its cookie; only its hash is stored.
    ///
    /// # Errors
    ///
    /// [`StoreError::Invalid`] for a token shorter than [`MIN_TOKEN_LEN`] or an expiry in the
    /// past, [`StoreError::NotFound`] for an unknown user.
    pub async fn create_session(
        &self,
        user: UserId,
        token: &str,
        expires_at: Timestamp,
        user_agent: Option<&str>,
        remote_addr: Option<&str>,
        change: &Change,
    ) -> Result<Session> {
        let hash = token_hash(token)?;
        let mut tx = self.begin_write().await?;
        let now = tx.now;
        let expires_at = truncate_to_micros(expires_at);
        if expires_at <= now {
            return Err(StoreError::invalid(InvalidRequest::SessionExpired));
        }
        let id = on_conn!(&mut tx.conn, c => {
            sqlx::query(
                "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at, user_agent, remote_addr) \
                 SELECT $1, id, $2, $3, $2, $4, $5 FROM users WHERE id = $6 RETURNING id",
            )
            .bind(&hash)
            .bind(SqlTimestamp(now))
            .bind(SqlTimestamp(expires_at))
            .bind(user_agent)
            .bind(remote_addr)
            .bind(user.get())
            .fetch_optional(&mut *c)
            .await?
            .map(|row| row.i64("id"))
            .transpose()?
        });
        let id = id.ok_or_else(|| StoreError::not_found("user", user))?;
        let session = Session {
            id: SessionId(id),
            user_id: user,
            created_at: now,
            expires_at,
            last_seen_at: now,
            user_agent: user_agent.map(str::to_string),
            remote_addr: remote_addr.map(str::to_string),
        };
        tx.audit(AuditEntry::new(change, "session.create", "session", id).after(&session)?);
        tx.commit().await?;
        Ok(session)
    }

    /// Finds the live session of a cookie token: not expired, of a user not disabled.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the query fails. An unknown or short token is `Ok(None)`.
    pub async fn find_session(&self, token: &str) -> Result<Option<(Session, User)>> {
        let Ok(hash) = token_hash(token) else { return Ok(None) };
        let now = truncate_to_micros(Timestamp::now());
        let sql = format!("{SESSION_SELECT} WHERE {LIVE_SESSION}");
        let mut tx = self.begin_read().await?;
        let found = on_conn!(&mut tx.conn, c => {
            match sqlx::query(&sql).bind(&hash).bind(SqlTimestamp(now)).fetch_optional(&mut *c).await? {
                Some(row) => Some((session_from_row(&row)?, user_from_row(&row)?)),
                None => None,
            }
        });
        tx.finish().await?;
        Ok(found)
    }

    /// Finds the live session of a cookie token as [`Store::find_session`] does, with the
    /// user's grants as [`Store::list_grants`] lists them, read in one transaction. Every
    /// signed-in request needs both.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when a query fails. An unknown or short token is `Ok(None)`.
    pub async fn find_session_with_grants(&self, token: &str) -> Result<Option<(Session, User, Vec<Grant>)>> {
        let Ok(hash) = token_hash(token) else { return Ok(None) };
        let now = truncate_to_micros(Timestamp::now());
        let session_sql = format!("{SESSION_SELECT} WHERE {LIVE_SESSION}");
        let grants_sql = format!("{GRANT_SELECT} WHERE {USER_GRANTS}");
        let mut tx = self.begin_read().await?;
        let found = on_conn!(&mut tx.conn, c => {
            match sqlx::query(&session_sql).bind(&hash).bind(SqlTimestamp(now)).fetch_optional(&mut *c).await? {
                Some(row) => {
                    let user = user_from_row(&row)?;
                    let grants = sqlx::query(&grants_sql)
                        .bind(user.id.get())
                        .fetch_all(&mut *c)
                        .await?
                        .iter()
                        .map(grant_from_row)
                        .collect::<Result<Vec<_>>>()?;
                    Some((session_from_row(&row)?, user, grants))
                }
                None => None,
            }
        });
        tx.finish().await?;
        Ok(found)
    }

    /// Records that a session was used and moves its expiry (a sliding session). Not audited:
    /// it changes no business data.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the statement fails. Returns whether the session still exists.
    pub async fn touch_session(&self, token: &str, expires_at: Timestamp) -> Result<bool> {
        let hash = token_hash(token)?;
        let mut tx = self.begin_write().await?;
        let now = tx.now;
        let touched = on_conn!(&mut tx.conn, c => {
            sqlx::query("UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3 AND expires_at > $1")
                .bind(SqlTimestamp(now))
                .bind(SqlTimestamp(truncate_to_micros(expires_at)))
                .bind(&hash)
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
        tx.commit().await?;
        Ok(touched > 0)
    }

    /// Ends a session (sign-out); ending one that does not exist is no error.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the statement fails.
    pub async fn delete_session(&self, token: &str, change: &Change) -> Result<()> {
        let Ok(hash) = token_hash(token) else { return Ok(()) };
        let mut tx = self.begin_write().await?;
        let deleted = on_conn!(&mut tx.conn, c => {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1 RETURNING id, user_id")
                .bind(&hash)
                .fetch_optional(&mut *c)
                .await?
                .map(|row| Ok::<_, StoreError>((row.i64("id")?, row.i64("user_id")?)))
                .transpose()?
        });
        if let Some((id, user)) = deleted {
            tx.audit(
                AuditEntry::new(change, "session.delete", "session", id)
                    .before(&serde_json::json!({ "user_id": user }))?,
            );
        }
        tx.commit().await?;
        Ok(())
    }

    /// Deletes expired sessions and returns how many. Not audited: expiry is no decision.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the statement fails.
    pub async fn delete_expired_sessions(&self) -> Result<u64> {
        let mut tx = self.begin_write().await?;
        let now = tx.now;
        let deleted = on_conn!(&mut tx.conn, c => {
            sqlx::query("DELETE FROM sessions WHERE expires_at <= $1").bind(SqlTimestamp(now)).execute(&mut *c).await?.rows_affected()
        });
        tx.commit().await?;
        Ok(deleted)
    }

    /// Creates an API token for a user. `token` is the random secret shown to the user once;
    /// only its hash is stored.
    ///
    /// # Errors
    ///
    /// [`StoreError::Invalid`] for a short token or an empty name, [`StoreError::NotFound`]
    /// for an unknown user.
    pub async fn create_api_token(
        &self,
        user: UserId,
        name: &str,
        token: &str,
        expires_at: Option<Timestamp>,
        change: &Change,
    ) -> Result<ApiToken> {
        let hash = token_hash(token)?;
        let name = crate::org::non_empty(name, Field::TokenName)?;
        let mut tx = self.begin_write().await?;
        let now = tx.now;
        let expires_at = expires_at.map(truncate_to_micros);
        let id = on_conn!(&mut tx.conn, c => {
            sqlx::query(
                "INSERT INTO api_tokens (user_id, name, token_hash, created_at, expires_at) \
                 SELECT id, $1, $2, $3, $4 FROM users WHERE id = $5 RETURNING id",
            )
            .bind(name)
            .bind(&hash)
            .bind(SqlTimestamp(now))
            .bind(expires_at.map(SqlTimestamp))
            .bind(user.get())
            .fetch_optional(&mut *c)
            .await?
            .map(|row| row.i64("id"))
            .transpose()?
        });
        let id = id.ok_or_else(|| StoreError::not_found("user", user))?;
        let token = ApiToken {
            id: TokenId(id),
            user_id: user,
            name: name.to_string(),
            created_at: now,
            expires_at,
            last_used_at: None,
            revoked_at: None,
        };
        tx.audit(AuditEntry::new(change, "api_token.create", "api_token", id).after(&token)?);
        tx.commit().await?;
        Ok(token)
    }

    /// Finds the API token presented by a client: not revoked, not expired, of a user not
    /// disabled. Records the use (not audited).
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when a statement fails. An unknown token is `Ok(None)`.
    pub async fn find_api_token(&self, token: &str) -> Result<Option<(ApiToken, User)>> {
        let Ok(hash) = token_hash(token) else { return Ok(None) };
        let sql = format!(
            "{TOKEN_SELECT} WHERE t.token_hash = $1 AND t.revoked_at IS NULL \
             AND (t.expires_at IS NULL OR t.expires_at > $2) AND u.disabled = FALSE"
        );
        let mut tx = self.begin_write().await?;
        let now = tx.now;
        let found = on_conn!(&mut tx.conn, c => {
            let found = match sqlx::query(&sql).bind(&hash).bind(SqlTimestamp(now)).fetch_optional(&mut *c).await? {
                Some(row) => Some((token_from_row(&row)?, user_from_row(&row)?)),
                None => None,
            };
            if found.is_some() {
                sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE token_hash = $2")
                    .bind(SqlTimestamp(now))
                    .bind(&hash)
                    .execute(&mut *c)
                    .await?;
            }
            found
        });
        tx.commit().await?;
        Ok(found.map(|(token, user)| (ApiToken { last_used_at: Some(now), ..token }, user)))
    }

    /// Revokes one of a user's API tokens.
    ///
    /// # Errors
    ///
    /// [`StoreError::NotFound`] for a token of another user or none.
    pub async fn revoke_api_token(&self, user: UserId, token: TokenId, change: &Change) -> Result<()> {
        let mut tx = self.begin_write().await?;
        let now = tx.now;
        let revoked = on_conn!(&mut tx.conn, c => {
            sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND user_id = $3 AND revoked_at IS NULL")
                .bind(SqlTimestamp(now))
                .bind(token.get())
                .bind(user.get())
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
        if revoked == 0 {
            return Err(StoreError::not_found("api token", token));
        }
        tx.audit(
            AuditEntry::new(change, "api_token.revoke", "api_token", token)
                .after(&serde_json::json!({ "revoked_at": now }))?,
        );
        tx.commit().await?;
        Ok(())
    }

    /// Lists a user's API tokens, newest first.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the query fails.
    pub async fn list_api_tokens(&self, user: UserId) -> Result<Vec<ApiToken>> {
        let sql = format!("{TOKEN_SELECT} WHERE t.user_id = $1 ORDER BY t.id DESC");
        let mut tx = self.begin_read().await?;
        let tokens = on_conn!(&mut tx.conn, c => {
            let rows = sqlx::query(&sql).bind(user.get()).fetch_all(&mut *c).await?;
            rows.iter().map(token_from_row).collect::<Result<Vec<_>>>()?
        });
        tx.finish().await?;
        Ok(tokens)
    }

    /// Records a login attempt for rate limiting. Not audited: the attempts table is its own
    /// log, and a flood of failures must not lengthen the audit chain.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the statement fails.
    pub async fn record_login_attempt(
        &self,
        username: &str,
        remote_addr: Option<&str>,
        succeeded: bool,
    ) -> Result<()> {
        let username = username.trim().to_lowercase();
        let mut tx = self.begin_write().await?;
        let now = tx.now;
        on_conn!(&mut tx.conn, c => {
            sqlx::query("INSERT INTO login_attempts (username, remote_addr, attempted_at, succeeded) VALUES ($1, $2, $3, $4)")
                .bind(&username)
                .bind(remote_addr)
                .bind(SqlTimestamp(now))
                .bind(succeeded)
                .execute(&mut *c)
                .await?;
        });
        tx.commit().await?;
        Ok(())
    }

    /// Counts failed logins since `since` for a user name, for a remote address, and for the
    /// two together.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the query fails.
    pub async fn failed_logins_since(
        &self,
        username: &str,
        remote_addr: Option<&str>,
        since: Timestamp,
    ) -> Result<LoginFailures> {
        let username = username.trim().to_lowercase();
        let since = SqlTimestamp(truncate_to_micros(since));
        let mut tx = self.begin_read().await?;
        let (by_username, by_remote_addr, by_username_and_addr) = on_conn!(&mut tx.conn, c => {
            let by_username = sqlx::query(
                "SELECT count(*) AS n FROM login_attempts WHERE username = $1 AND attempted_at >= $2 AND succeeded = FALSE",
            )
            .bind(&username)
            .bind(since)
            .fetch_one(&mut *c)
            .await?
            .i64("n")?;
            let by_remote_addr = match remote_addr {
                Some(addr) => sqlx::query(
                    "SELECT count(*) AS n FROM login_attempts WHERE remote_addr = $1 AND attempted_at >= $2 \
                     AND succeeded = FALSE",
                )
                .bind(addr)
                .bind(since)
                .fetch_one(&mut *c)
                .await?
                .i64("n")?,
                None => 0,
            };
            let by_username_and_addr = match remote_addr {
                Some(addr) => sqlx::query(
                    "SELECT count(*) AS n FROM login_attempts WHERE username = $1 AND remote_addr = $2 \
                     AND attempted_at >= $3 AND succeeded = FALSE",
                )
                .bind(&username)
                .bind(addr)
                .bind(since)
                .fetch_one(&mut *c)
                .await?
                .i64("n")?,
                None => by_username,
            };
            (by_username, by_remote_addr, by_username_and_addr)
        });
        tx.finish().await?;
        Ok(LoginFailures {
            by_username: u64::try_from(by_username).unwrap_or(0),
            by_remote_addr: u64::try_from(by_remote_addr).unwrap_or(0),
            by_username_and_addr: u64::try_from(by_username_and_addr).unwrap_or(0),
        })
    }

    /// Deletes login attempts older than `before` and returns how many. Not audited.
    ///
    /// # Errors
    ///
    /// [`StoreError::Db`] when the statement fails.
    pub async fn prune_login_attempts(&self, before: Timestamp) -> Result<u64> {
        let mut tx = self.begin_write().await?;
        let deleted = on_conn!(&mut tx.conn, c => {
            sqlx::query("DELETE FROM login_attempts WHERE attempted_at < $1")
                .bind(SqlTimestamp(truncate_to_micros(before)))
                .execute(&mut *c)
                .await?
                .rows_affected()
        });
        tx.commit().await?;
        Ok(deleted)
    }
}
