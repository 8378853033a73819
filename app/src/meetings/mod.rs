//! The committee's collective decision (集体讨论决定): review meetings with attendance, an
//! agenda of submitted plans, one recorded vote per attending member per plan with a comment,
//! and a resolution per plan computed by the quorum-and-majority rule when the meeting closes.
//! A closed meeting — its votes, resolutions and minutes — is never edited again.

mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

pub use pages::{MeetingPage, MeetingsPage};

use crate::{error::AppError, plans::PlanSummary, procedure::Choice, roles::Role};

/// Who may read meetings.
pub const READERS: &[Role] = &[Role::OfficeAdmin, Role::CommitteeMember];

/// A committee member.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Member {
    pub id: i32,
    pub name: String,
}

/// A meeting as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingSummary {
    pub id: i64,
    pub title: String,
    pub held_on: String,
    pub closed: bool,
    pub items: u64,
}

/// A vote as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VoteView {
    pub member: String,
    pub choice: Choice,
    pub comment: String,
    pub at: DateTime<Utc>,
}

/// A plan on the agenda.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgendaItem {
    pub id: i64,
    pub plan: PlanSummary,
    pub votes: Vec<VoteView>,
    /// Whether the caller (a committee member) may still vote on it.
    pub can_vote: bool,
    /// `approved`, `rejected`, `returned` or `undecided`, once the meeting closed.
    pub resolution: Option<String>,
    /// The count behind the resolution, e.g. "同意 3 · 不同意 0 · 退回 0 · 弃权 0".
    pub tally: String,
}

/// A meeting with everything on it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeetingDetail {
    pub summary: MeetingSummary,
    pub quorum: (i32, i32),
    pub committee_size: i32,
    pub members: Vec<Member>,
    pub attendees: Vec<i32>,
    pub items: Vec<AgendaItem>,
    pub minutes: String,
    /// Submitted plans not yet on an agenda (for the office admin).
    pub submitted: Vec<PlanSummary>,
}

/// Meetings, newest first. Office admin and committee members.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "meetings/list", input = Json)]
pub async fn list_meetings() -> Result<Vec<MeetingSummary>, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(READERS).await?;
    ssr::list(&state.db).await
}

/// One meeting. Office admin and committee members.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "meetings/get", input = Json)]
pub async fn get_meeting(id: i64) -> Result<MeetingDetail, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(READERS).await?;
    ssr::detail(&state.db, &caller, id).await
}

/// Convenes a meeting. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "meetings/create", input = Json)]
pub async fn create_meeting(title: String, held_on: String) -> Result<i64, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::create(&state.db, &caller, &title, &held_on).await
}

/// Puts a submitted plan on an open meeting's agenda (the plan goes in review). Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "meetings/agenda/add", input = Json)]
pub async fn add_to_agenda(meeting_id: i64, plan_id: i64) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::add_to_agenda(&state.db, &caller, meeting_id, plan_id).await
}

/// Records which committee members attend an open meeting. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "meetings/attendance", input = Json)]
pub async fn set_attendance(meeting_id: i64, members: Vec<i32>) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::set_attendance(&state.db, &caller, meeting_id, &members).await
}

/// Votes on an agenda item, once, with a comment. Attending committee members.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "meetings/vote", input = Json)]
pub async fn cast_vote(item_id: i64, choice: Choice, comment: String) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::CommitteeMember]).await?;
    ssr::vote(&state.db, &caller, item_id, choice, &comment).await
}

/// Closes the meeting: resolves every plan by the rule, stores the minutes, informs the
/// agencies. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "meetings/close", input = Json)]
pub async fn close_meeting(meeting_id: i64, minutes: String) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::close(&state.db, &caller, meeting_id, &minutes).await
}

/// The label of a stored resolution (`approved`, `rejected`, `returned`, else undecided).
pub fn outcome_label(locale: crate::i18n::Locale, code: &str) -> &'static str {
    use crate::i18n::td_string;
    match code {
        "approved" => td_string!(locale, meetings.outcome_approved),
        "rejected" => td_string!(locale, meetings.outcome_rejected),
        "returned" => td_string!(locale, meetings.outcome_returned),
        _ => td_string!(locale, meetings.outcome_undecided),
    }
}
