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
    pub leptos_options: LeptosOptions,
}

impl FromRef<AppState> for LeptosOptions {
    fn from_ref(state: &AppState) -> Self {
        state.leptos_options.clone()
    }
}
