//! Exam batches (考试批次): the office admin forms a batch from approved plans, defines its
//! sessions (场次) and rooms, and schedules it — seats allocated at random while spreading each
//! agency's candidates across rooms, and an admission ticket number for every candidate.
//! Agency officers print their candidates' admission tickets (each print issues fresh one-time
//! access codes, stored only as argon2 hashes); proctors and the office print room rosters.
//!
//! State machine (DESIGN.md §3): `draft → scheduled → in_progress → closed → published`; a
//! scheduled batch may be rescheduled until its first session starts.

mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

pub use pages::{BatchPage, BatchesPage, RosterPage, TicketsPage};

use crate::{error::AppError, plans::PlanSummary, roles::Role};

/// China Standard Time (UTC+8): sessions are entered, printed and shown in it.
pub fn china_time() -> chrono::FixedOffset {
    use chrono::Offset;
    chrono::FixedOffset::east_opt(8 * 3600).unwrap_or(Utc.fix())
}

/// The state of an exam batch (DESIGN.md §3). Stored by [`BatchStatus::as_str`]; a stored
/// value that does not parse is an error, never a default.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BatchStatus {
    Draft,
    Scheduled,
    InProgress,
    Closed,
    Published,
}

impl BatchStatus {
    pub const ALL: [BatchStatus; 5] = [
        BatchStatus::Draft,
        BatchStatus::Scheduled,
        BatchStatus::InProgress,
        BatchStatus::Closed,
        BatchStatus::Published,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            BatchStatus::Draft => "draft",
            BatchStatus::Scheduled => "scheduled",
            BatchStatus::InProgress => "in_progress",
            BatchStatus::Closed => "closed",
            BatchStatus::Published => "published",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<BatchStatus> {
        BatchStatus::ALL.into_iter().find(|b| b.as_str() == s)
    }
}

/// Who may see batches: the office admin (all), agency officers (batches holding their plans),
/// proctors (for rosters).
pub const VIEWERS: &[Role] = &[Role::OfficeAdmin, Role::AgencyOfficer, Role::Proctor];

/// A batch as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchSummary {
    pub id: i64,
    pub name: String,
    /// `general` or `professional`.
    pub exam_kind: String,
    pub field: Option<String>,
    /// `draft`, `scheduled`, …
    pub status: String,
    pub candidates: u64,
    pub seats: u64,
}

/// A session of a batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionView {
    pub id: i64,
    pub seq: i32,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub late_entry_minutes: i32,
}

/// A room of a batch.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomView {
    pub id: i64,
    pub seq: i32,
    pub venue: String,
    pub name: String,
    pub address: String,
    pub capacity: i32,
}

/// A batch with its plans, sessions and rooms.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchDetail {
    pub summary: BatchSummary,
    pub plans: Vec<PlanSummary>,
    pub sessions: Vec<SessionView>,
    pub rooms: Vec<RoomView>,
    /// Approved plans of the batch's kind not yet in a batch (office admin only).
    pub approved: Vec<PlanSummary>,
    pub tickets: u64,
}

/// One printable admission ticket. The access code is shown only in this answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PrintedTicket {
    pub name: String,
    pub resident_id: String,
    pub agency: String,
    pub ticket_no: String,
    pub access_code: String,
    pub exam: crate::error::Text,
    pub starts_at: DateTime<Utc>,
    pub duration_minutes: i32,
    pub late_entry_minutes: i32,
    pub venue: String,
    pub address: String,
    pub room: String,
    pub seat: i32,
}

/// One line of a room roster (签到表).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterLine {
    pub seat: i32,
    pub name: String,
    pub resident_id: String,
    pub agency: String,
    pub ticket_no: String,
}

/// The roster of one room in one session.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomRoster {
    pub session: SessionView,
    pub room: RoomView,
    pub lines: Vec<RosterLine>,
}

/// Batches the caller may see, newest first.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "batches/list", input = Json)]
pub async fn list_batches() -> Result<Vec<BatchSummary>, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(VIEWERS).await?;
    ssr::list(&state.db, &caller).await
}

/// One batch, if the caller may see it.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "batches/get", input = Json)]
pub async fn get_batch(id: i64) -> Result<BatchDetail, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(VIEWERS).await?;
    ssr::detail(&state.db, &caller, id).await
}

/// Creates a draft batch. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "batches/create", input = Json)]
pub async fn create_batch(name: String, exam_kind: String, field: String) -> Result<i64, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::create(&state.db, &caller, &name, &exam_kind, &field).await
}

/// Includes an approved plan in a draft batch. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "batches/include-plan", input = Json)]
pub async fn include_plan(batch_id: i64, plan_id: i64) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::include_plan(&state.db, &caller, batch_id, plan_id).await
}

/// Adds a session (`starts_at` as `YYYY-MM-DDTHH:MM`, Beijing time). Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "batches/sessions/add", input = Json)]
pub async fn add_session(
    batch_id: i64,
    starts_at: String,
    duration_minutes: i32,
    late_entry_minutes: i32,
) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::add_session(
        &state.db,
        &caller,
        batch_id,
        &starts_at,
        duration_minutes,
        late_entry_minutes,
    )
    .await
}

/// Adds a room. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "batches/rooms/add", input = Json)]
pub async fn add_room(
    batch_id: i64,
    venue: String,
    name: String,
    address: String,
    capacity: i32,
) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::add_room(
        &state.db, &caller, batch_id, &venue, &name, &address, capacity,
    )
    .await
}

/// Schedules (or reschedules, before the first session) the batch: seats and ticket numbers
/// for every candidate. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "batches/schedule", input = Json)]
pub async fn schedule_batch(batch_id: i64) -> Result<u64, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::schedule(&state.db, &caller, batch_id).await
}

/// Issues fresh access codes and returns the printable tickets: an officer gets the agency's
/// candidates, the office admin everyone. Codes printed earlier stop working.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "batches/tickets/print", input = Json)]
pub async fn print_tickets(batch_id: i64) -> Result<Vec<PrintedTicket>, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin, Role::AgencyOfficer]).await?;
    ssr::print_tickets(&state.db, &caller, batch_id).await
}

/// The room rosters (签到表) of a scheduled batch. Office admin and proctors.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "batches/rosters", input = Json)]
pub async fn rosters(batch_id: i64) -> Result<Vec<RoomRoster>, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(&[Role::OfficeAdmin, Role::Proctor]).await?;
    ssr::rosters(&state.db, batch_id).await
}
