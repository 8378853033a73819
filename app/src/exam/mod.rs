//! The candidate's side (考生): signing in on the admission ticket, the candidate's own
//! admission details, and the candidate's paper.
//!
//! What a candidate's browser receives is built from types without any key field:
//! [`CandidateTicket`] and [`question_bank::PaperView`] (stems and options in the candidate's
//! order, numbered; no answer key, no question or revision ids). A candidate only ever reaches
//! their own ticket: the scope comes from the signed-in account, never from the request.

mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use question_bank::PaperView;
use serde::{Deserialize, Serialize};

pub use pages::{CandidateLoginPage, ExamPage, TicketCard};

use crate::{error::AppError, roles::CurrentUser};

/// The signed-in candidate's admission details.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CandidateTicket {
    pub name: String,
    pub ticket_no: String,
    pub exam: crate::error::Text,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub late_entry_minutes: i32,
    pub venue: String,
    pub address: String,
    pub room: String,
    pub seat: i32,
    /// Whether the session is open now (from its start until its end).
    pub open: bool,
    /// Whether the session has ended.
    pub ended: bool,
}

/// Signs a candidate in with the admission ticket number and access code (and, when the
/// session asks for it, the last six characters of the ID number), and sets the session and
/// device cookies. Open to everyone; throttled per ticket and address; only inside the entry
/// window; refused while the candidate is signed in on another browser.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "exam/login", input = Json)]
pub async fn ticket_login(
    ticket_no: String,
    access_code: String,
    #[server(default)] id_suffix: String,
) -> Result<CurrentUser, AppError> {
    use crate::auth::ssr::{
        Client, DEVICE_COOKIE, set_device_cookie, set_session_cookie, ticket_login,
    };
    use crate::ssr::context::{app_state, client_ip, cookie, request_parts, user_agent};
    let state = app_state()?;
    let parts = request_parts().ok_or(AppError::Internal)?;
    let client = Client {
        ip: client_ip(&parts, state.auth.trust_proxy),
        user_agent: user_agent(&parts),
    };
    let device = cookie(&parts, DEVICE_COOKIE);
    let signed_in = ticket_login(
        &state.db,
        &state.auth,
        &ticket_no,
        &access_code,
        &id_suffix,
        &client,
        device.as_deref(),
    )
    .await
    .map_err(|e| match e {
        AppError::BadCredentials => AppError::invalid(
            "access_code",
            crate::msg!(exam.wrong_ticket_number_or_access_code),
        ),
        other => other,
    })?;
    set_session_cookie(&signed_in.session_token, &state.auth);
    set_device_cookie(&signed_in.device_token, &state.auth);
    Ok(signed_in.user)
}

/// The signed-in candidate's admission details. Candidate.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "exam/ticket", input = Json)]
pub async fn my_ticket() -> Result<CandidateTicket, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[crate::roles::Role::Candidate]).await?;
    ssr::my_ticket(&state.db, &caller).await
}

/// The signed-in candidate's paper, while the attempt is in progress: no key, no ids.
/// Candidate.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "exam/paper", input = Json)]
pub async fn my_paper() -> Result<PaperView, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[crate::roles::Role::Candidate]).await?;
    ssr::my_paper(&state.db, &caller, state.sitting.config().grace).await
}
