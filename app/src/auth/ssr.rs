//! Passwords, server-side sessions and sign-in throttling.
//!
//! - Passwords are hashed with argon2id at OWASP parameters (19 MiB, 2 passes) on the blocking
//!   pool; an unknown user name costs the same work as a known one.
//! - A session is a random 256-bit token in an `HttpOnly` cookie; only its SHA-256 is stored, so
//!   a copy of the database does not hand out sessions. Sessions end when idle, at an absolute
//!   limit, at sign-out, and when the account is disabled or its password reset.
//! - Failed sign-ins are stored per account and per client address, so every server process
//!   sees them. Past the limit the account (or address) must wait a short delay after its
//!   latest failure: a stranger can slow an account down, never lock it for long.

use std::sync::OnceLock;

use argon2::{
    Algorithm, Argon2, Params, Version,
    password_hash::{PasswordHasher, PasswordVerifier},
};
use base64::Engine;
use chrono::{DateTime, Duration as ChronoDuration, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};

use crate::{
    audit::ssr::{Actor, record},
    batches::BatchStatus,
    error::AppError,
    procedure::{AccessCode, TicketNumber},
    roles::{AgencyRef, CurrentUser, Role},
    ssr::{
        AppState, AuthConfig, Caller, begin_write, corrupt,
        entities::{
            account, agency, batch, exam_session, known_device, login_failure, plan_candidate,
            session, ticket,
        },
    },
};

/// The session cookie's name.
pub const SESSION_COOKIE: &str = "exam_session";

/// Who is connecting: stored with the session and used for throttling.
#[derive(Clone, Debug)]
pub struct Client {
    pub ip: String,
    pub user_agent: String,
}

fn hasher() -> Result<Argon2<'static>, AppError> {
    let params = Params::new(19 * 1024, 2, 1, None).map_err(|e| {
        tracing::error!("argon2 parameters: {e}");
        AppError::Internal
    })?;
    Ok(Argon2::new(Algorithm::Argon2id, Version::V0x13, params))
}

/// At most this many password hashes or checks run at once: each takes 19 MiB, and a burst of
/// sign-ins (a whole exam room at once) must not add up to gigabytes. The rest wait their turn.
static HASHING: tokio::sync::Semaphore = tokio::sync::Semaphore::const_new(4);

async fn hashing_turn() -> Result<tokio::sync::SemaphorePermit<'static>, AppError> {
    HASHING.acquire().await.map_err(|_| {
        tracing::error!("the password hashing gate is closed");
        AppError::Internal
    })
}

/// Hashes a password (argon2id, random salt) off the async runtime.
#[tracing::instrument(skip_all)]
pub async fn hash_password(password: &str) -> Result<String, AppError> {
    let password = password.to_owned();
    let _turn = hashing_turn().await?;
    tokio::task::spawn_blocking(move || -> Result<String, AppError> {
        let hash = hasher()?.hash_password(password.as_bytes()).map_err(|e| {
            tracing::error!("password hashing failed: {e}");
            AppError::Internal
        })?;
        Ok(hash.to_string())
    })
    .await
    .map_err(|e| {
        tracing::error!("password hashing task: {e}");
        AppError::Internal
    })?
}

/// Whether `password` matches `hash`, checked off the async runtime.
#[tracing::instrument(skip_all)]
pub async fn verify_password(hash: &str, password: &str) -> Result<bool, AppError> {
    let (hash, password) = (hash.to_owned(), password.to_owned());
    let _turn = hashing_turn().await?;
    tokio::task::spawn_blocking(move || -> Result<bool, AppError> {
        Ok(hasher()?
            .verify_password(password.as_bytes(), hash.as_str())
            .is_ok())
    })
    .await
    .map_err(|e| {
        tracing::error!("password verification task: {e}");
        AppError::Internal
    })?
}

/// Hashes one-time access codes, in parallel on the blocking pool. argon2id with lighter
/// parameters than passwords (4 MiB, 1 pass): a code is 40 random bits, not a human choice,
/// and signing in with it is throttled, so this still puts an offline search at years per
/// core — while a batch of 10,000 codes is issued in seconds. The PHC string records the
/// parameters, so [`verify_password`] checks codes too.
#[tracing::instrument(skip_all)]
pub async fn hash_access_codes(codes: Vec<String>) -> Result<Vec<String>, AppError> {
    let params = Params::new(4 * 1024, 1, 1, None).map_err(|e| {
        tracing::error!("argon2 parameters: {e}");
        AppError::Internal
    })?;
    let threads = std::thread::available_parallelism().map_or(2, |n| n.get());
    let chunk = codes.len().div_ceil(threads).max(1);
    let mut tasks = Vec::new();
    for part in codes.chunks(chunk) {
        let part = part.to_vec();
        let params = params.clone();
        tasks.push(tokio::task::spawn_blocking(
            move || -> Result<Vec<String>, AppError> {
                let argon2 = Argon2::new(Algorithm::Argon2id, Version::V0x13, params);
                part.iter()
                    .map(|c| {
                        argon2
                            .hash_password(c.as_bytes())
                            .map(|h| h.to_string())
                            .map_err(|e| {
                                tracing::error!("access code hashing failed: {e}");
                                AppError::Internal
                            })
                    })
                    .collect()
            },
        ));
    }
    let mut out = Vec::with_capacity(codes.len());
    for task in tasks {
        out.extend(task.await.map_err(|e| {
            tracing::error!("access code hashing task: {e}");
            AppError::Internal
        })??);
    }
    Ok(out)
}

/// A hash to verify against when the user name is unknown, so the answer takes as long.
async fn dummy_hash() -> Result<&'static str, AppError> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    if let Some(h) = DUMMY.get() {
        return Ok(h);
    }
    let h = hash_password("no such account: constant work").await?;
    Ok(DUMMY.get_or_init(|| h))
}

/// Checks the password rules: 10–128 characters with letters and digits.
pub fn validate_new_password(field: &str, password: &str) -> Result<(), AppError> {
    let len = password.chars().count();
    let has_letter = password.chars().any(|c| c.is_alphabetic());
    let has_digit = password.chars().any(|c| c.is_ascii_digit());
    if !(10..=128).contains(&len) || !has_letter || !has_digit {
        return Err(AppError::invalid(
            field,
            crate::msg!(auth.password_needs_10_to_128_characters),
        ));
    }
    Ok(())
}

/// A random password that meets the rules, for new accounts and resets.
pub fn generate_password() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::rng();
    loop {
        let pw: String = (0..14)
            .map(|_| ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char)
            .collect();
        if validate_new_password("password", &pw).is_ok() {
            return pw;
        }
    }
}

fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// SHA-256 of a session token, hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

fn to_std(d: std::time::Duration) -> ChronoDuration {
    ChronoDuration::from_std(d).unwrap_or(ChronoDuration::MAX)
}

/// Seconds to wait before `key` may try again, if it is throttled now.
pub(crate) async fn throttled_for(
    db: &impl ConnectionTrait,
    cfg: &AuthConfig,
    key: &str,
    limit: u64,
    now: DateTime<Utc>,
) -> Result<Option<u64>, AppError> {
    let since = now - to_std(cfg.throttle_window);
    let recent = login_failure::Entity::find()
        .filter(login_failure::Column::Key.eq(key))
        .filter(login_failure::Column::At.gt(since));
    let count = recent.clone().count(db).await?;
    if count < limit {
        return Ok(None);
    }
    let latest = recent
        .order_by_desc(login_failure::Column::At)
        .one(db)
        .await?;
    let Some(latest) = latest else {
        return Ok(None);
    };
    let free_at = latest.at + to_std(cfg.throttle_delay);
    Ok((free_at > now).then(|| (free_at - now).num_seconds().max(1) as u64))
}

pub(crate) async fn record_failure(
    db: &impl ConnectionTrait,
    cfg: &AuthConfig,
    keys: &[&str],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    // Old rows are useless for throttling; prune them as we go so the table stays small.
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::At.lt(now - to_std(cfg.throttle_window)))
        .exec(db)
        .await?;
    for key in keys {
        login_failure::ActiveModel {
            key: Set((*key).to_owned()),
            at: Set(now),
            ..Default::default()
        }
        .insert(db)
        .await?;
    }
    Ok(())
}

/// The wire form of an account.
#[tracing::instrument(skip_all)]
pub async fn current_user_of(
    db: &impl ConnectionTrait,
    acc: &account::Model,
) -> Result<CurrentUser, AppError> {
    let role = Role::parse(&acc.role).ok_or_else(|| {
        tracing::error!("account {} has unknown role {}", acc.id, acc.role);
        AppError::Internal
    })?;
    let agency = match acc.agency_id {
        Some(id) => agency::Entity::find_by_id(id)
            .one(db)
            .await?
            .map(|a| AgencyRef {
                id: a.id,
                name: a.name,
            }),
        None => None,
    };
    Ok(CurrentUser {
        id: acc.id,
        username: acc.username.clone(),
        display_name: acc.display_name.clone(),
        role,
        agency,
        must_change_password: acc.must_change_password,
    })
}

/// The device cookie: a random token naming a browser that signed in to an account before.
pub const DEVICE_COOKIE: &str = "exam_device";

/// How long a browser stays known without signing in again.
const DEVICE_LIFETIME_DAYS: i64 = 365;

/// A successful sign-in: the account, the new session token, and the device token to set.
pub struct SignedIn {
    pub user: CurrentUser,
    pub session_token: String,
    pub device_token: String,
}

/// Signs in: checks throttling and the password, then opens a session (one transaction with
/// its audit entry).
///
/// Throttling follows OWASP's device cookies: a browser that signed in to this account before
/// (`device`, the cookie's token) is not held back by failures from elsewhere — its own
/// failures are counted against the device instead — while a new browser waits once the
/// account has too many recent failures. The per-address limit applies to everyone.
#[tracing::instrument(skip_all)]
pub async fn login(
    db: &sea_orm::DatabaseConnection,
    cfg: &AuthConfig,
    username: &str,
    password: &str,
    client: &Client,
    device: Option<&str>,
) -> Result<SignedIn, AppError> {
    let username = username.trim();
    if username.is_empty() || username.chars().count() > 64 {
        return Err(AppError::BadCredentials);
    }
    let now = Utc::now();
    let found = account::Entity::find()
        .filter(account::Column::Username.eq(username))
        .one(db)
        .await?;
    let known = match (&found, device) {
        (Some(acc), Some(token)) if !token.is_empty() && token.len() <= 128 => {
            known_device::Entity::find_by_id(token_hash(token))
                .filter(known_device::Column::AccountId.eq(acc.id))
                .filter(
                    known_device::Column::LastUsedAt
                        .gt(now - ChronoDuration::days(DEVICE_LIFETIME_DAYS)),
                )
                .one(db)
                .await?
        }
        _ => None,
    };
    // Failures are counted against the known device, or else against the account.
    let throttle_key = match &known {
        Some(d) => format!("device:{}", d.token_hash),
        None => account_key(username),
    };
    let ip_key = format!("ip:{}", client.ip);
    check_throttle(
        db,
        cfg,
        [
            (&throttle_key, cfg.max_failures_per_account),
            (&ip_key, cfg.max_failures_per_ip),
        ],
        now,
    )
    .await?;

    let ok = match &found {
        Some(acc) => verify_password(&acc.password_hash, password).await?,
        None => {
            verify_password(dummy_hash().await?, password).await?;
            false
        }
    };
    let acc = match (found, ok) {
        (Some(acc), true) => acc,
        _ => {
            record_failure(db, cfg, &[&throttle_key, &ip_key], now).await?;
            return Err(AppError::BadCredentials);
        }
    };
    if !acc.active {
        return Err(AppError::AccountDisabled);
    }

    let txn = begin_write(db).await?;
    let device_token = new_token();
    let (user, session_token) = open_session(
        &txn,
        cfg,
        &acc,
        &account_key(username),
        "auth.login",
        client,
        Some(token_hash(&device_token)),
        now,
    )
    .await?;
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Key.eq(throttle_key))
        .exec(&txn)
        .await?;
    // This browser is known from now on (a fresh token at every sign-in).
    if let Some(d) = known {
        known_device::Entity::delete_by_id(d.token_hash)
            .exec(&txn)
            .await?;
    }
    known_device::ActiveModel {
        token_hash: Set(token_hash(&device_token)),
        account_id: Set(acc.id),
        created_at: Set(now),
        last_used_at: Set(now),
    }
    .insert(&txn)
    .await?;
    txn.commit().await?;
    Ok(SignedIn {
        user,
        session_token,
        device_token,
    })
}

/// The throttling key of an account's failed sign-ins.
fn account_key(username: &str) -> String {
    format!("acct:{}", username.trim().to_lowercase())
}

/// An account's sign-in throttle as the office admin sees it.
#[tracing::instrument(skip_all)]
pub async fn throttle_of(
    db: &impl ConnectionTrait,
    cfg: &AuthConfig,
    account_id: i32,
) -> Result<crate::admin::ThrottleView, AppError> {
    let acc = account::Entity::find_by_id(account_id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = Utc::now();
    let key = account_key(&acc.username);
    let failures = login_failure::Entity::find()
        .filter(login_failure::Column::Key.eq(key.as_str()))
        .filter(login_failure::Column::At.gt(now - to_std(cfg.throttle_window)))
        .count(db)
        .await?;
    let wait_secs = throttled_for(db, cfg, &key, cfg.max_failures_per_account, now).await?;
    Ok(crate::admin::ThrottleView {
        failures,
        wait_secs,
    })
}

/// Clears an account's failed sign-ins (the office admin, after checking with the owner).
#[tracing::instrument(skip_all)]
pub async fn clear_throttle(
    db: &sea_orm::DatabaseConnection,
    caller: &Caller,
    account_id: i32,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let acc = account::Entity::find_by_id(account_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let cleared = login_failure::Entity::delete_many()
        .filter(login_failure::Column::Key.eq(account_key(&acc.username)))
        .exec(&txn)
        .await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "account.throttle_clear",
        &format!("account:{account_id}"),
        serde_json::json!({ "failures": cleared.rows_affected }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Opens a session for `acc` after a successful sign-in, inside the caller's write transaction
/// `txn`, with clearing the account's failures (`failure_key`) and the audit entry `action`.
#[expect(
    clippy::too_many_arguments,
    reason = "each part of a sign-in is its own value; a struct would only rename them"
)]
async fn open_session(
    txn: &sea_orm::DatabaseTransaction,
    cfg: &AuthConfig,
    acc: &account::Model,
    failure_key: &str,
    action: &str,
    client: &Client,
    device_hash: Option<String>,
    now: DateTime<Utc>,
) -> Result<(CurrentUser, String), AppError> {
    let user = current_user_of(txn, acc).await?;
    let token = new_token();
    session::ActiveModel {
        token_hash: Set(token_hash(&token)),
        account_id: Set(acc.id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + to_std(cfg.absolute_timeout)),
        ip: Set(client.ip.clone()),
        user_agent: Set(client.user_agent.clone()),
        device_hash: Set(device_hash),
    }
    .insert(txn)
    .await?;
    login_failure::Entity::delete_many()
        .filter(login_failure::Column::Key.eq(failure_key))
        .exec(txn)
        .await?;
    record(
        txn,
        &Actor::from(&user),
        action,
        &format!("account:{}", acc.id),
        serde_json::json!({
            "ip": client.ip,
            "browser": client.user_agent.chars().take(200).collect::<String>(),
        }),
    )
    .await?;
    Ok((user, token))
}

/// Refuses while `keys` are throttled.
async fn check_throttle(
    db: &impl ConnectionTrait,
    cfg: &AuthConfig,
    keys: [(&str, u64); 2],
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    for (key, limit) in keys {
        if let Some(secs) = throttled_for(db, cfg, key, limit, now).await? {
            return Err(AppError::TooManyRequests {
                retry_after_secs: secs,
            });
        }
    }
    Ok(())
}

/// A candidate's successful sign-in: the account, the session token, and the device token
/// naming this browser (kept across sign-ins, so a reload or a second sign-in in the same
/// browser is not taken for another device).
pub struct TicketSignedIn {
    pub user: CurrentUser,
    pub session_token: String,
    pub device_token: String,
}

/// A candidate signs in with the admission ticket number and its access code — and, when the
/// session asks for it, the last six characters of the ID number (throttled per ticket and
/// per address like password sign-ins). Only inside the entry window: from
/// `entry_opens_minutes` before the start until the late-entry cut-off, or later for a
/// candidate who has started (to resume or see the receipt).
///
/// One live login: while the candidate has a live session opened in another browser, the
/// sign-in is refused until the office admin (or the room's proctor) unlocks it; in the same
/// browser the new session replaces the old one. The sign-in account is created on first use.
#[tracing::instrument(skip_all)]
pub async fn ticket_login(
    db: &sea_orm::DatabaseConnection,
    cfg: &AuthConfig,
    ticket_no: &str,
    access_code: &str,
    id_suffix: &str,
    client: &Client,
    device: Option<&str>,
) -> Result<TicketSignedIn, AppError> {
    let no = TicketNumber::parse(ticket_no).map_err(|_| AppError::BadCredentials)?;
    let now = Utc::now();
    let ticket_key = format!("ticket:{}", no.as_string());
    let ip_key = format!("ip:{}", client.ip);
    check_throttle(
        db,
        cfg,
        [
            (&ticket_key, cfg.max_failures_per_account),
            (&ip_key, cfg.max_failures_per_ip),
        ],
        now,
    )
    .await?;
    let found = ticket::Entity::find()
        .filter(ticket::Column::TicketNo.eq(no.as_string()))
        .one(db)
        .await?;
    let code = AccessCode::parse(access_code)
        .map(|c| c.as_str().to_owned())
        .unwrap_or_default();
    let ok = match found.as_ref().and_then(|t| t.access_code_hash.as_deref()) {
        Some(hash) if !code.is_empty() => verify_password(hash, &code).await?,
        _ => {
            verify_password(dummy_hash().await?, &code).await?;
            false
        }
    };
    let t = match (found, ok) {
        (Some(t), true) => t,
        _ => {
            record_failure(db, cfg, &[&ticket_key, &ip_key], now).await?;
            return Err(AppError::BadCredentials);
        }
    };
    let s = exam_session::Entity::find_by_id(t.session_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let candidate = plan_candidate::Entity::find_by_id(t.candidate_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    if s.require_id_suffix && !id_suffix_matches(&candidate.resident_id, id_suffix) {
        record_failure(db, cfg, &[&ticket_key, &ip_key], now).await?;
        return Err(AppError::invalid(
            "id_suffix",
            crate::msg!(sitting.id_suffix_does_not_match),
        ));
    }
    let (starts_at, late_until, _) = crate::sitting::ssr::session_times(&s);
    let opens_at = starts_at - ChronoDuration::minutes(i64::from(s.entry_opens_minutes));
    if now < opens_at {
        return Err(AppError::conflict(
            "ticket_no",
            crate::error::Text::render(|locale| {
                let time = crate::locale::format_datetime(locale, opens_at);
                crate::i18n::td_string!(locale, sitting.sign_in_opens_at, time = time).to_string()
            }),
        ));
    }
    let device_token = device
        .filter(|d| !d.is_empty() && d.len() <= 128)
        .map(str::to_owned)
        .unwrap_or_else(new_token);
    let device_hash = token_hash(&device_token);
    // Everything from here is one write transaction under the ticket's row lock, so
    // simultaneous sign-ins on one ticket are serialised: at most one creates the account,
    // and the one-live-login decision sees every session opened before it.
    let txn = begin_write(db).await?;
    let t = ticket::Entity::find_by_id(t.id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppError::BadCredentials)?;
    let b = batch::Entity::find_by_id(t.batch_id)
        .one(&txn)
        .await?
        .ok_or(AppError::Internal)?;
    let status = BatchStatus::parse(&b.status).ok_or_else(|| corrupt("batch status", &b.status))?;
    // After the exam the ticket still signs in, to read the result once published.
    let over = matches!(status, BatchStatus::Closed | BatchStatus::Published);
    if status == BatchStatus::Draft {
        return Err(AppError::conflict(
            "ticket_no",
            crate::msg!(auth.this_exam_is_over_admission_ticket),
        ));
    }
    let started = crate::sitting::ssr::attempt_of(&txn, t.id).await?.is_some();
    if !started && !over && now > late_until {
        return Err(AppError::conflict(
            "ticket_no",
            crate::msg!(sitting.late_entry_closed),
        ));
    }
    let existing = account::Entity::find()
        .filter(account::Column::CandidateId.eq(candidate.id))
        .one(&txn)
        .await?;
    let acc = match existing {
        Some(acc) => {
            let sessions = session::Entity::find()
                .filter(session::Column::AccountId.eq(acc.id))
                .all(&txn)
                .await?;
            let idle = to_std(cfg.idle_timeout);
            let elsewhere = sessions.iter().any(|s| {
                now < s.expires_at
                    && now < s.last_seen_at + idle
                    && s.device_hash.as_deref() != Some(device_hash.as_str())
            });
            if elsewhere {
                return Err(AppError::conflict(
                    "ticket_no",
                    crate::msg!(sitting.signed_in_elsewhere_call_proctor),
                ));
            }
            // The same browser signing in again: its earlier session ends.
            session::Entity::delete_many()
                .filter(session::Column::AccountId.eq(acc.id))
                .exec(&txn)
                .await?;
            acc
        }
        None => {
            account::ActiveModel {
                // A ':' never passes the user-name rule, so no managed account can collide.
                username: Set(format!("candidate:{}", candidate.id)),
                display_name: Set(candidate.name.clone()),
                role: Set(Role::Candidate.as_str().to_owned()),
                agency_id: Set(None),
                // Never a valid PHC string: this account signs in only by ticket.
                password_hash: Set("!ticket".to_owned()),
                active: Set(true),
                must_change_password: Set(false),
                created_at: Set(now),
                updated_at: Set(now),
                candidate_id: Set(Some(candidate.id)),
                ..Default::default()
            }
            .insert(&txn)
            .await?
        }
    };
    if !acc.active {
        return Err(AppError::AccountDisabled);
    }
    let (user, session_token) = open_session(
        &txn,
        cfg,
        &acc,
        &ticket_key,
        "auth.ticket_login",
        client,
        Some(device_hash),
        now,
    )
    .await?;
    txn.commit().await?;
    Ok(TicketSignedIn {
        user,
        session_token,
        device_token,
    })
}

/// Whether `given` is the last six characters of the resident ID (`x` and `X` alike).
fn id_suffix_matches(resident_id: &str, given: &str) -> bool {
    let given = given.trim().to_uppercase();
    let chars: Vec<char> = resident_id.chars().collect();
    given.chars().count() == 6
        && chars.len() >= 6
        && chars[chars.len() - 6..]
            .iter()
            .collect::<String>()
            .to_uppercase()
            == given
}

/// The account behind a session token, if the session is still valid. Ends expired sessions
/// and refreshes the idle timer (at most every sixth of the idle timeout, to spare writes).
#[tracing::instrument(skip_all)]
pub async fn session_user(
    db: &impl ConnectionTrait,
    cfg: &AuthConfig,
    token: &str,
) -> Result<Option<super::super::ssr::Caller>, AppError> {
    if token.is_empty() || token.len() > 128 {
        return Ok(None);
    }
    let hash = token_hash(token);
    // The session and its account in one query: every request of every user comes here.
    let Some((sess, acc)) = session::Entity::find_by_id(hash.clone())
        .select_also(account::Entity)
        .join(
            sea_orm::JoinType::InnerJoin,
            session::Entity::belongs_to(account::Entity)
                .from(session::Column::AccountId)
                .to(account::Column::Id)
                .into(),
        )
        .one(db)
        .await?
    else {
        return Ok(None);
    };
    let now = Utc::now();
    let idle_end = sess.last_seen_at + to_std(cfg.idle_timeout);
    if now >= sess.expires_at || now >= idle_end {
        session::Entity::delete_by_id(hash).exec(db).await?;
        return Ok(None);
    }
    let Some(acc) = acc else {
        return Ok(None);
    };
    if !acc.active {
        return Ok(None);
    }
    // Refreshed at a sixth of the idle timeout (5 minutes by default): often enough to keep a
    // working session alive, rarely enough that thousands of candidates saving answers do not
    // each write their session row every minute.
    if now - sess.last_seen_at > to_std(cfg.idle_timeout / 6) {
        let mut active: session::ActiveModel = sess.into();
        active.last_seen_at = Set(now);
        active.update(db).await?;
    }
    Ok(Some(Caller {
        user: current_user_of(db, &acc).await?,
        session: hash,
        candidate_id: acc.candidate_id,
    }))
}

/// Ends the caller's session, with its audit entry.
#[tracing::instrument(skip_all)]
pub async fn logout(db: &sea_orm::DatabaseConnection, caller: &Caller) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    session::Entity::delete_by_id(caller.session.clone())
        .exec(&txn)
        .await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "auth.logout",
        &format!("account:{}", caller.user.id),
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

/// Ends every session of an account (after disabling it or resetting its password), except
/// `keep` if given.
#[tracing::instrument(skip_all)]
pub async fn end_sessions(
    db: &impl ConnectionTrait,
    account_id: i32,
    keep: Option<&str>,
) -> Result<(), AppError> {
    let mut q = session::Entity::delete_many().filter(session::Column::AccountId.eq(account_id));
    if let Some(keep) = keep {
        q = q.filter(session::Column::TokenHash.ne(keep));
    }
    q.exec(db).await?;
    Ok(())
}

/// Changes the caller's password after checking the current one.
#[tracing::instrument(skip_all)]
pub async fn change_password(
    db: &sea_orm::DatabaseConnection,
    caller: &Caller,
    current: &str,
    new_password: &str,
) -> Result<(), AppError> {
    let acc = account::Entity::find_by_id(caller.user.id)
        .one(db)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if !verify_password(&acc.password_hash, current).await? {
        return Err(AppError::invalid(
            "current",
            crate::msg!(auth.current_password_is_wrong_type_it),
        ));
    }
    validate_new_password("new_password", new_password)?;
    if current == new_password {
        return Err(AppError::invalid(
            "new_password",
            crate::msg!(auth.new_password_must_differ_from_current),
        ));
    }
    let hash = hash_password(new_password).await?;
    let txn = begin_write(db).await?;
    let mut active: account::ActiveModel = acc.into();
    active.password_hash = Set(hash);
    active.must_change_password = Set(false);
    active.updated_at = Set(Utc::now());
    active.update(&txn).await?;
    end_sessions(&txn, caller.user.id, Some(&caller.session)).await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "auth.change_password",
        &format!("account:{}", caller.user.id),
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

fn cookie_attrs(cfg: &AuthConfig) -> &'static str {
    if cfg.secure_cookies {
        "; Path=/; HttpOnly; SameSite=Lax; Secure"
    } else {
        "; Path=/; HttpOnly; SameSite=Lax"
    }
}

fn set_cookie_header(value: String) {
    if let (Some(opts), Ok(value)) = (
        leptos::prelude::use_context::<leptos_axum::ResponseOptions>(),
        http::HeaderValue::from_str(&value),
    ) {
        opts.append_header(http::header::SET_COOKIE, value);
    }
}

/// Sets the session cookie on the current response.
pub fn set_session_cookie(token: &str, cfg: &AuthConfig) {
    set_cookie_header(format!(
        "{SESSION_COOKIE}={token}{}; Max-Age={}",
        cookie_attrs(cfg),
        cfg.absolute_timeout.as_secs()
    ));
}

/// Sets the device cookie (a year; sent only to this site, never readable by scripts).
pub fn set_device_cookie(token: &str, cfg: &AuthConfig) {
    set_cookie_header(format!(
        "{DEVICE_COOKIE}={token}{}; Max-Age={}",
        cookie_attrs(cfg),
        DEVICE_LIFETIME_DAYS * 24 * 3600
    ));
}

/// Clears the session cookie on the current response.
pub fn clear_session_cookie(cfg: &AuthConfig) {
    set_cookie_header(format!("{SESSION_COOKIE}={}; Max-Age=0", cookie_attrs(cfg)));
}

/// Creates the first office admin when there is no account at all. Returns the password when
/// it was generated (to be printed once), `None` when it was given or nothing was done.
#[tracing::instrument(skip_all)]
pub async fn bootstrap_admin(
    state: &AppState,
    given_password: Option<&str>,
) -> Result<Option<String>, AppError> {
    let db = &state.db;
    if account::Entity::find().count(db).await? > 0 {
        return Ok(None);
    }
    let (password, generated) = match given_password {
        Some(p) => {
            validate_new_password("admin_password", p)?;
            (p.to_owned(), false)
        }
        None => (generate_password(), true),
    };
    let hash = hash_password(&password).await?;
    let now = Utc::now();
    let txn = begin_write(db).await?;
    // Checked again under the write lock: another process may have created it meanwhile.
    if account::Entity::find().count(&txn).await? > 0 {
        return Ok(None);
    }
    let admin = account::ActiveModel {
        username: Set("admin".to_owned()),
        display_name: Set("系统管理员".to_owned()),
        role: Set(Role::OfficeAdmin.as_str().to_owned()),
        agency_id: Set(None),
        password_hash: Set(hash),
        active: Set(true),
        must_change_password: Set(generated),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        &Actor::system(),
        "system.bootstrap",
        &format!("account:{}", admin.id),
        serde_json::json!({ "username": "admin" }),
    )
    .await?;
    txn.commit().await?;
    Ok(generated.then_some(password))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn password_rules_need_length_letters_and_digits() {
        assert!(validate_new_password("p", "short1").is_err());
        assert!(validate_new_password("p", "onlyletterslong").is_err());
        assert!(validate_new_password("p", "1234567890123").is_err());
        assert!(validate_new_password("p", "letters4and2digits").is_ok());
    }

    #[test]
    fn generated_passwords_meet_the_rules_and_differ() {
        let a = generate_password();
        let b = generate_password();
        assert!(validate_new_password("p", &a).is_ok());
        assert_ne!(a, b);
    }

    #[test]
    fn session_tokens_carry_256_bits_and_are_stored_hashed() {
        let t = new_token();
        assert_eq!(t.len(), 43);
        assert_eq!(token_hash(&t).len(), 64);
        assert_ne!(token_hash(&t), t);
    }
}
