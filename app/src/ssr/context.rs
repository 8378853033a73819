//! The request context of a server function: application state, the client, and the caller.
//!
//! Every server function starts with [`require`] (or [`require_any`]), so role checks happen on
//! the server for every call, whatever the browser shows.

use http::request::Parts;
use leptos::prelude::use_context;

use super::state::AppState;
use crate::{
    auth::ssr::{SESSION_COOKIE, session_user},
    error::AppError,
    roles::{CurrentUser, Role},
};

/// The signed-in caller of the current request.
#[derive(Clone, Debug)]
pub struct Caller {
    pub user: CurrentUser,
    /// Hash of the session token (identifies the session row).
    pub session: String,
    /// The candidate a candidate's account signs in for (the scope of every candidate call).
    pub candidate_id: Option<i64>,
}

/// The application state provided by the host.
pub fn app_state() -> Result<AppState, AppError> {
    use_context::<AppState>().ok_or_else(|| {
        tracing::error!("AppState missing from the request context");
        AppError::Internal
    })
}

/// The request head of the current request.
pub fn request_parts() -> Option<Parts> {
    use_context::<Parts>()
}

/// The value of cookie `name` in the current request.
pub fn cookie(parts: &Parts, name: &str) -> Option<String> {
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.to_owned())
}

/// The client's address: the socket peer, or the first `X-Forwarded-For` hop when trusted.
pub fn client_ip(parts: &Parts, trust_proxy: bool) -> String {
    if trust_proxy
        && let Some(forwarded) = parts
            .headers
            .get("x-forwarded-for")
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
    {
        return forwarded.trim().chars().take(64).collect();
    }
    parts
        .extensions
        .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
        .map(|ci| ci.0.ip().to_string())
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The client's user agent, shortened for storage.
pub fn user_agent(parts: &Parts) -> String {
    parts
        .headers
        .get(http::header::USER_AGENT)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .chars()
        .take(256)
        .collect()
}

/// The signed-in caller, or `None` for an anonymous request or an ended session.
pub async fn caller() -> Result<Option<Caller>, AppError> {
    let Some(parts) = request_parts() else {
        return Ok(None);
    };
    let Some(token) = cookie(&parts, SESSION_COOKIE) else {
        return Ok(None);
    };
    let state = app_state()?;
    session_user(&state.db, &state.auth, &token).await
}

/// The hash of the current request's session token, without asking the database whether the
/// session is live (the answer writer checks that for a whole batch of saves at once).
pub fn session_hash() -> Option<String> {
    let token = cookie(&request_parts()?, SESSION_COOKIE)?;
    (!token.is_empty() && token.len() <= 128).then(|| crate::auth::ssr::token_hash(&token))
}

/// The caller, who must be signed in with one of `roles`.
pub async fn require(roles: &[Role]) -> Result<Caller, AppError> {
    let caller = caller().await?.ok_or(AppError::Unauthorized)?;
    if roles.contains(&caller.user.role) {
        Ok(caller)
    } else {
        Err(AppError::Forbidden)
    }
}

/// The caller, who must be signed in (any role).
pub async fn require_any() -> Result<Caller, AppError> {
    require(&Role::ALL).await
}

/// Answers a streaming server function with a file to download (`file_name` ASCII).
pub fn download(
    content_type: &str,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<leptos::server_fn::codec::ByteStream<AppError>, AppError> {
    if let Some(opts) = leptos::prelude::use_context::<leptos_axum::ResponseOptions>() {
        if let Ok(v) = http::HeaderValue::from_str(content_type) {
            opts.insert_header(http::header::CONTENT_TYPE, v);
        }
        if let Ok(v) = http::HeaderValue::from_str(&format!("attachment; filename=\"{file_name}\""))
        {
            opts.insert_header(http::header::CONTENT_DISPOSITION, v);
        }
    }
    Ok(leptos::server_fn::codec::ByteStream::new(
        futures::stream::once(async move { Ok::<_, AppError>(bytes) }),
    ))
}
