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

pub use pages::{CandidateLoginPage, ExamPage};

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

/// Signs a candidate in with the admission ticket number and access code, and sets the
/// session cookie. Open to everyone; throttled per ticket and address.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "exam/login", input = Json)]
pub async fn ticket_login(ticket_no: String, access_code: String) -> Result<CurrentUser, AppError> {
    use crate::auth::ssr::{Client, set_session_cookie, ticket_login};
    use crate::ssr::context::{app_state, client_ip, request_parts, user_agent};
    let state = app_state()?;
    let parts = request_parts().ok_or(AppError::Internal)?;
    let client = Client {
        ip: client_ip(&parts, state.auth.trust_proxy),
        user_agent: user_agent(&parts),
    };
    let (user, token) = ticket_login(&state.db, &state.auth, &ticket_no, &access_code, &client)
        .await
        .map_err(|e| match e {
            AppError::BadCredentials => AppError::invalid(
                "access_code",
                crate::msg!(exam.wrong_ticket_number_or_access_code),
            ),
            other => other,
        })?;
    set_session_cookie(&token, &state.auth);
    Ok(user)
}

/// The signed-in candidate's admission details. Candidate.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "exam/ticket", input = Json)]
pub async fn my_ticket() -> Result<CandidateTicket, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[crate::roles::Role::Candidate]).await?;
    ssr::my_ticket(&state.db, &caller).await
}

/// The signed-in candidate's paper, while the session is open: no key, no ids. Candidate.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "exam/paper", input = Json)]
pub async fn my_paper() -> Result<PaperView, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[crate::roles::Role::Candidate]).await?;
    ssr::my_paper(&state.db, &caller).await
}
