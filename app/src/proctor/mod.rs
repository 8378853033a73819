//! 监考 — proctoring: the rooms a proctor watches, check-in at the door, the live room
//! console, and the proctor's actions (extend time, grant time to a room, unlock a re-login,
//! force-submit, record misconduct and void), each with a required reason and an audit entry;
//! the evidence timeline of an attempt; and the room record (考场记录).
//!
//! Scope: a proctor reaches only the (session, room) pairs the office assigned to them; any
//! other room, ticket or attempt answers "not found", exactly as if it did not exist. The
//! office admin reaches every room. Signals are evidence for a person, never penalties: nothing
//! here acts on its own.
//!
//! The console is built from the database on every request (several server processes may
//! serve one room), and the page asks again every few seconds.

mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

pub use pages::{ProctorConsolePage, ProctorRoomsPage, RoomRecordPage};

use crate::{
    error::AppError,
    i18n::{Locale, td_string},
    roles::Role,
    sitting::{AttemptStatus, EventKind},
};

/// Who may watch rooms: the office admin (every room) and proctors (their own).
pub const WATCHERS: &[Role] = &[Role::OfficeAdmin, Role::Proctor];

/// Misconduct categories (违纪类别). Stored by [`MisconductCategory::as_str`]; the schema's
/// CHECK constraint admits nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MisconductCategory {
    /// 替考 — someone else sitting for the candidate.
    Impersonation,
    /// 使用违规资料或设备.
    UnauthorizedMaterial,
    /// 交头接耳、传递信息.
    Communication,
    /// 擅自离开座位.
    LeavingSeat,
    /// 扰乱考场秩序.
    Disruption,
    /// 其他.
    Other,
}

impl MisconductCategory {
    pub const ALL: [MisconductCategory; 6] = [
        MisconductCategory::Impersonation,
        MisconductCategory::UnauthorizedMaterial,
        MisconductCategory::Communication,
        MisconductCategory::LeavingSeat,
        MisconductCategory::Disruption,
        MisconductCategory::Other,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            MisconductCategory::Impersonation => "impersonation",
            MisconductCategory::UnauthorizedMaterial => "unauthorized_material",
            MisconductCategory::Communication => "communication",
            MisconductCategory::LeavingSeat => "leaving_seat",
            MisconductCategory::Disruption => "disruption",
            MisconductCategory::Other => "other",
        }
    }

    /// Parses a stored (or submitted) name.
    pub fn parse(s: &str) -> Option<MisconductCategory> {
        MisconductCategory::ALL
            .into_iter()
            .find(|c| c.as_str() == s)
    }

    /// The category's name in `locale`.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            MisconductCategory::Impersonation => {
                td_string!(locale, proctor.misconduct_impersonation)
            }
            MisconductCategory::UnauthorizedMaterial => {
                td_string!(locale, proctor.misconduct_unauthorized_material)
            }
            MisconductCategory::Communication => {
                td_string!(locale, proctor.misconduct_communication)
            }
            MisconductCategory::LeavingSeat => td_string!(locale, proctor.misconduct_leaving_seat),
            MisconductCategory::Disruption => td_string!(locale, proctor.misconduct_disruption),
            MisconductCategory::Other => td_string!(locale, proctor.misconduct_other),
        }
    }
}

/// Where a candidate of the room stands, as the console shows it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SeatState {
    /// Not checked in, not signed in.
    Expected,
    /// Marked absent at check-in.
    Absent,
    /// Checked in at the door, not signed in yet.
    CheckedIn,
    /// Signed in, not started (the waiting room).
    Waiting,
    /// The attempt runs.
    InProgress,
    Submitted,
    AutoSubmitted,
    ForceSubmitted,
    Voided,
}

impl SeatState {
    /// The state of a started attempt.
    pub fn of_attempt(status: AttemptStatus) -> SeatState {
        match status {
            AttemptStatus::InProgress => SeatState::InProgress,
            AttemptStatus::Submitted => SeatState::Submitted,
            AttemptStatus::AutoSubmitted => SeatState::AutoSubmitted,
            AttemptStatus::ForceSubmitted => SeatState::ForceSubmitted,
            AttemptStatus::Voided => SeatState::Voided,
        }
    }

    /// The state's name in `locale` (the console shows it beside the colour, never colour
    /// alone).
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            SeatState::Expected => td_string!(locale, proctor.state_expected),
            SeatState::Absent => td_string!(locale, proctor.state_absent),
            SeatState::CheckedIn => td_string!(locale, proctor.state_checked_in),
            SeatState::Waiting => td_string!(locale, proctor.state_waiting),
            SeatState::InProgress => td_string!(locale, proctor.state_in_progress),
            SeatState::Submitted => td_string!(locale, proctor.state_submitted),
            SeatState::AutoSubmitted => td_string!(locale, proctor.state_auto_submitted),
            SeatState::ForceSubmitted => td_string!(locale, proctor.state_force_submitted),
            SeatState::Voided => td_string!(locale, proctor.state_voided),
        }
    }

    /// The badge kind (colour) of the state.
    pub fn badge(self) -> &'static str {
        match self {
            SeatState::Expected | SeatState::CheckedIn | SeatState::Waiting => "muted",
            SeatState::InProgress => "info",
            SeatState::Submitted | SeatState::AutoSubmitted => "ok",
            SeatState::ForceSubmitted | SeatState::Absent => "warn",
            SeatState::Voided => "danger",
        }
    }

    /// The stored name (also the console's filter value).
    pub fn as_str(self) -> &'static str {
        match self {
            SeatState::Expected => "expected",
            SeatState::Absent => "absent",
            SeatState::CheckedIn => "checked_in",
            SeatState::Waiting => "waiting",
            SeatState::InProgress => "in_progress",
            SeatState::Submitted => "submitted",
            SeatState::AutoSubmitted => "auto_submitted",
            SeatState::ForceSubmitted => "force_submitted",
            SeatState::Voided => "voided",
        }
    }

    pub const ALL: [SeatState; 9] = [
        SeatState::Expected,
        SeatState::Absent,
        SeatState::CheckedIn,
        SeatState::Waiting,
        SeatState::InProgress,
        SeatState::Submitted,
        SeatState::AutoSubmitted,
        SeatState::ForceSubmitted,
        SeatState::Voided,
    ];
}

/// One room of one session a watcher may open.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomSitting {
    pub batch_id: i64,
    pub batch_name: String,
    pub session_id: i64,
    /// 场次 number within the batch.
    pub session_seq: i32,
    pub room_id: i64,
    pub room_seq: i32,
    pub venue: String,
    pub room_name: String,
    pub starts_at: DateTime<Utc>,
    pub late_entry_until: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Tickets of this room in this session.
    pub candidates: u32,
    /// The assigned proctors' names.
    pub proctors: Vec<String>,
    /// Candidates must be checked in before they can start.
    pub require_check_in: bool,
}

/// One seat of the live console.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConsoleRow {
    pub ticket_no: String,
    pub seat: i32,
    pub name: String,
    pub state: SeatState,
    /// Questions answered so far (0 before the start).
    pub answered: u32,
    pub item_count: u32,
    /// The deadline in force, once started.
    pub deadline: Option<DateTime<Utc>>,
    /// Minutes granted on top of the session's end.
    pub extra_minutes: i32,
    /// When the browser was last heard from, once started.
    pub last_seen_at: Option<DateTime<Utc>>,
    /// Integrity signals on the timeline (page hidden, window blur, …).
    pub signals: u32,
    /// Misconduct records.
    pub misconduct: u32,
    /// Whether the candidate holds a live sign-in.
    pub signed_in: bool,
}

/// The live console of one room.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomConsole {
    pub room: RoomSitting,
    /// The server's time when this was read.
    pub now: DateTime<Utc>,
    pub rows: Vec<ConsoleRow>,
    /// The time the console proposes to grant the whole room after an outage: the typical
    /// silence of the room's browsers in the last half hour, when most of them fell silent.
    pub proposed_grant_minutes: Option<u32>,
    /// The room record, once submitted (the room is then closed for actions).
    pub record_submitted: bool,
}

/// One entry of an attempt's evidence timeline.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TimelineEntry {
    pub at: DateTime<Utc>,
    pub kind: TimelineKind,
    pub detail: String,
}

/// What a timeline entry records.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimelineKind {
    /// An event of the attempt (signals, start, submission, proctor actions).
    Attempt(EventKind),
    /// A sign-in on the admission ticket (the detail names the address and the browser).
    SignedIn,
    /// The check-in at the door.
    CheckedIn,
    /// Marked absent.
    MarkedAbsent,
    /// Misconduct recorded.
    Misconduct(MisconductCategory),
    /// Saves received in one minute.
    Saves,
}

/// A candidate's evidence: who, where, and what happened when.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timeline {
    pub ticket_no: String,
    pub name: String,
    pub seat: i32,
    pub state: SeatState,
    pub client_ip: Option<String>,
    pub entries: Vec<TimelineEntry>,
}

/// The room record as the form edits it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomRecordView {
    pub room: RoomSitting,
    /// From check-in (the form starts with these; the proctors may correct them).
    pub present: i32,
    pub absent: i32,
    pub incidents: String,
    /// The proctors' names, one per line.
    pub signatures: String,
    pub submitted_at: Option<DateTime<Utc>>,
    pub submitted_by: Option<String>,
    /// Misconduct recorded in this room, for the record's list: (seat, name, category, voided).
    pub misconduct: Vec<(i32, String, MisconductCategory, bool)>,
    /// Time granted in this room (extensions and room-wide grants), as reasons with minutes.
    pub extensions: Vec<(i32, String, i32)>,
}

/// A proctor account the office can assign.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProctorAccount {
    pub id: i32,
    pub display_name: String,
    pub username: String,
}

/// The rooms a watcher may open, and (office admin) the proctors that can be assigned.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProctorRooms {
    pub rooms: Vec<RoomSitting>,
    /// The active proctor accounts; empty unless the caller may assign them.
    pub assignable: Vec<ProctorAccount>,
    pub can_assign: bool,
}

/// The rooms the caller may watch: a proctor's assigned rooms, or (office admin) every room
/// of every batch with tickets. Newest sessions first.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "proctor/rooms", input = Json)]
pub async fn my_rooms() -> Result<ProctorRooms, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(WATCHERS).await?;
    let rooms = ssr::rooms(&state.db, &caller).await?;
    let can_assign = caller.user.role == Role::OfficeAdmin;
    let assignable = if can_assign {
        ssr::proctor_accounts(&state.db).await?
    } else {
        Vec::new()
    };
    Ok(ProctorRooms {
        rooms,
        assignable,
        can_assign,
    })
}

/// Sets the proctors of one room in one session (replacing the previous ones). Audited.
/// Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "proctor/assign", input = Json)]
pub async fn assign_proctors(
    session_id: i64,
    room_id: i64,
    account_ids: Vec<i32>,
) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::assign(&state.db, &caller, session_id, room_id, &account_ids).await
}

/// Whether the candidates of a session must be checked in before they can start. Audited.
/// Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "proctor/require-check-in", input = Json)]
pub async fn set_require_check_in(session_id: i64, required: bool) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::set_require_check_in(&state.db, &caller, session_id, required).await
}

/// The live console of one room. Watchers of the room.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "proctor/console", input = Json)]
pub async fn load_console(session_id: i64, room_id: i64) -> Result<RoomConsole, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(WATCHERS).await?;
    ssr::console(&state.db, &caller, session_id, room_id).await
}

/// Marks a candidate present (after the identity check) or absent. Audited. Watchers of the
/// candidate's room.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "proctor/check-in", input = Json)]
pub async fn check_in(ticket_no: String, present: bool) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(WATCHERS).await?;
    ssr::check_in(&state.db, &caller, &ticket_no, present).await
}

/// Gives one candidate more time (moves the deadline the server enforces). Reason required;
/// audited. Watchers of the candidate's room.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "proctor/extend", input = Json)]
pub async fn extend_time(ticket_no: String, minutes: i32, reason: String) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(WATCHERS).await?;
    ssr::extend(&state.db, &caller, &ticket_no, minutes, &reason).await
}

/// Gives every in-progress attempt of a room more time (after a power cut, say). Reason
/// required; audited once, with the attempts it changed. Watchers of the room.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "proctor/grant-room", input = Json)]
pub async fn grant_room(
    session_id: i64,
    room_id: i64,
    minutes: i32,
    reason: String,
) -> Result<u32, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(WATCHERS).await?;
    ssr::grant_room(&state.db, &caller, session_id, room_id, minutes, &reason).await
}

/// Collects a candidate's paper now (强制收卷): final for the proctor. Reason required;
/// audited. Watchers of the candidate's room.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "proctor/force-submit", input = Json)]
pub async fn force_submit(ticket_no: String, reason: String) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(WATCHERS).await?;
    ssr::force_submit(&state.db, &caller, &ticket_no, &reason).await
}

/// Records misconduct (category and description) and, when asked, voids the attempt: final
/// for the proctor; the office reviews it with the results. Audited. Watchers of the
/// candidate's room.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "proctor/misconduct", input = Json)]
pub async fn record_misconduct(
    ticket_no: String,
    category: String,
    description: String,
    void: bool,
) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(WATCHERS).await?;
    ssr::misconduct(
        &state.db,
        &caller,
        &ticket_no,
        &category,
        &description,
        void,
    )
    .await
}

/// The evidence timeline of one candidate. Watchers of the candidate's room.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "proctor/timeline", input = Json)]
pub async fn load_timeline(ticket_no: String) -> Result<Timeline, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(WATCHERS).await?;
    ssr::timeline(&state.db, &caller, &ticket_no).await
}

/// The room record (pre-filled from check-in until first saved). Watchers of the room.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "proctor/record", input = Json)]
pub async fn room_record(session_id: i64, room_id: i64) -> Result<RoomRecordView, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(WATCHERS).await?;
    ssr::record_view(&state.db, &caller, session_id, room_id).await
}

/// Saves the room record; `submit` locks it (refused once submitted, and while attempts of
/// the room are still in progress). Audited. Watchers of the room.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "proctor/record/save", input = Json)]
pub async fn save_room_record(
    session_id: i64,
    room_id: i64,
    present: i32,
    absent: i32,
    incidents: String,
    signatures: String,
    submit: bool,
) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(WATCHERS).await?;
    let input = ssr::RecordInput {
        present,
        absent,
        incidents,
        signatures,
        submit,
    };
    ssr::save_record(&state.db, &caller, session_id, room_id, input).await
}
