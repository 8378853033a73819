//! The state every request handler and server function can reach.

use std::time::Duration;

use axum::extract::FromRef;
use leptos::config::LeptosOptions;
use sea_orm::DatabaseConnection;

/// Session and sign-in policy. Defaults follow OWASP guidance; tests shorten the windows.
#[derive(Clone, Debug)]
pub struct AuthConfig {
    /// A session unused for this long ends.
    pub idle_timeout: Duration,
    /// A session ends this long after sign-in, however busy.
    pub absolute_timeout: Duration,
    /// Mark the session cookie `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Failed sign-ins counted within this window…
    pub throttle_window: Duration,
    /// …up to this many per account, after which the account must wait `throttle_delay`
    /// after its latest failure before the next attempt.
    pub max_failures_per_account: u64,
    /// The same, counted per client address (higher: offices share addresses).
    pub max_failures_per_ip: u64,
    /// How long a throttled account or address waits after its latest failure.
    pub throttle_delay: Duration,
    /// Trust `X-Forwarded-For` for the client address (only behind a known proxy).
    pub trust_proxy: bool,
}

impl Default for AuthConfig {
    fn default() -> Self {
        AuthConfig {
            idle_timeout: Duration::from_secs(30 * 60),
            absolute_timeout: Duration::from_secs(12 * 60 * 60),
            secure_cookies: false,
            throttle_window: Duration::from_secs(15 * 60),
            max_failures_per_account: 10,
            max_failures_per_ip: 50,
            throttle_delay: Duration::from_secs(60),
            trust_proxy: false,
        }
    }
}

/// What a result means afterwards: how long a pass stays valid without a certificate
/// application, how many re-sits a fail allows, and how long a candidate may ask for a score
/// review.
#[derive(Clone, Copy, Debug)]
pub struct ResultsPolicy {
    /// Days after the exam a pass stays valid unless a certificate application is recorded.
    pub pass_valid_days: u32,
    /// Re-sits allowed after a first fail (see [`crate::procedure::ReSitPolicy`]).
    pub max_resits: u32,
    /// Days after publication a candidate may request a score review (成绩复核).
    pub review_days: u32,
}

impl Default for ResultsPolicy {
    fn default() -> Self {
        ResultsPolicy {
            pass_valid_days: 365,
            max_resits: 1,
            review_days: 15,
        }
    }
}

/// Application state: the database, the auth policy, the size of a paper-assembly chunk, the
/// answer writer and the Leptos options.
#[derive(Clone)]
pub struct AppState {
    pub db: DatabaseConnection,
    pub auth: AuthConfig,
    /// Papers assembled per `papers/assemble` call ([`crate::papers::ASSEMBLY_CHUNK`] unless
    /// configured; tests make it small to assemble in several chunks).
    pub assembly_chunk: u64,
    /// The group-commit writer of attempts (starts, saves, submissions) and the sitting policy.
    pub sitting: crate::sitting::ssr::Writer,
    /// What a result means afterwards.
    pub results: ResultsPolicy,
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
