//! Signing in and out, the current account, and changing one's own password.
//!
//! The services (password hashing, server-side sessions, throttling) are in [`ssr`]; this module
//! holds the server functions and the pages.

mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos::server_fn::codec::Json;

pub use pages::{LoginPage, MyAccountPage};

use crate::{error::AppError, roles::CurrentUser as Account};

/// The signed-in account, or `None`. Open to everyone.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "auth/me", input = Json)]
pub async fn whoami() -> Result<Option<Account>, AppError> {
    Ok(crate::ssr::caller().await?.map(|c| c.user))
}

/// Signs in and sets the session cookie. Open to everyone; throttled per account and address.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "auth/login", input = Json)]
pub async fn login(username: String, password: String) -> Result<Account, AppError> {
    use crate::ssr::context::{app_state, client_ip, cookie, request_parts, user_agent};
    let state = app_state()?;
    let parts = request_parts().ok_or(AppError::Internal)?;
    let client = ssr::Client {
        ip: client_ip(&parts, state.auth.trust_proxy),
        user_agent: user_agent(&parts),
    };
    let device = cookie(&parts, ssr::DEVICE_COOKIE);
    let signed_in = ssr::login(
        &state.db,
        &state.auth,
        &username,
        &password,
        &client,
        device.as_deref(),
    )
    .await?;
    ssr::set_session_cookie(&signed_in.session_token, &state.auth);
    ssr::set_device_cookie(&signed_in.device_token, &state.auth);
    Ok(signed_in.user)
}

/// Ends the caller's session on the server and clears the cookie. Harmless when signed out.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "auth/logout", input = Json)]
pub async fn logout() -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    if let Some(caller) = crate::ssr::caller().await? {
        ssr::logout(&state.db, &caller).await?;
    }
    ssr::clear_session_cookie(&state.auth);
    Ok(())
}

/// Changes the caller's own password; other sessions of the account end. Any signed-in role.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "auth/change-password", input = Json)]
pub async fn change_password(current: String, new_password: String) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require_any().await?;
    ssr::change_password(&state.db, &caller, &current, &new_password).await
}
