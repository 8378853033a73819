//! 考试作答 — sitting the exam: the candidate's attempt from the waiting room to the receipt.
//!
//! The server owns the clock: every deadline is computed and enforced on the server, and the
//! page only shows the distance to it, measured against the server's time. Answers are saved
//! one change at a time, each with the browser's sequence number: the server keeps, per
//! question, the answer of the newest save it has seen, and acknowledges a save only after its
//! transaction is committed (saves of many candidates share one commit, see `ssr::writer`).
//! Submission is idempotent and ends in a receipt whose code is derived from the stored
//! answers. Integrity signals (page hidden, full screen left, paste attempts, heartbeat gaps,
//! address changes) are stored as evidence with the server's time, never as penalties.
//!
//! A candidate only ever reaches their own attempt: the scope comes from the signed-in
//! account, never from the request. Nothing here carries an answer key.

mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use question_bank::Response;
use serde::{Deserialize, Serialize};

pub use pages::SittingPanel;

use crate::{error::AppError, exam::CandidateTicket};

/// The state of an attempt (DESIGN.md §3). Stored by [`AttemptStatus::as_str`]; the schema's
/// CHECK constraint admits nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AttemptStatus {
    /// 作答中.
    InProgress,
    /// 已交卷 — by the candidate.
    Submitted,
    /// 到时自动交卷 — by the server at the deadline.
    AutoSubmitted,
    /// 强制收卷 — by a proctor.
    ForceSubmitted,
    /// 作废 — for misconduct.
    Voided,
}

impl AttemptStatus {
    pub const ALL: [AttemptStatus; 5] = [
        AttemptStatus::InProgress,
        AttemptStatus::Submitted,
        AttemptStatus::AutoSubmitted,
        AttemptStatus::ForceSubmitted,
        AttemptStatus::Voided,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            AttemptStatus::InProgress => "in_progress",
            AttemptStatus::Submitted => "submitted",
            AttemptStatus::AutoSubmitted => "auto_submitted",
            AttemptStatus::ForceSubmitted => "force_submitted",
            AttemptStatus::Voided => "voided",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<AttemptStatus> {
        AttemptStatus::ALL.into_iter().find(|a| a.as_str() == s)
    }
}

/// What an attempt's timeline records. The first group is sent by the browser; the rest is
/// written by the server.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EventKind {
    /// The page was hidden (another tab or window came to the front).
    PageHidden,
    /// The browser window lost the focus.
    WindowBlur,
    /// The page left full screen.
    FullscreenExit,
    /// A paste was attempted (blocked).
    Paste,
    /// The context menu was asked for (blocked).
    ContextMenu,
    /// The attempt was started.
    Started,
    /// Nothing was heard from the browser for longer than the heartbeat allows.
    HeartbeatGap,
    /// Saves came from another client address.
    AddressChange,
    /// The candidate submitted.
    Submitted,
    /// The server submitted at the deadline.
    AutoSubmitted,
    /// The sign-in lock was lifted so the candidate could sign in on another browser.
    Unlocked,
    /// A proctor gave more time (to this candidate or to the whole room).
    Extended,
    /// A proctor collected the paper.
    ForceSubmitted,
    /// A proctor voided the attempt for misconduct.
    Voided,
}

impl EventKind {
    /// The integrity signals: evidence for a person (the console counts them, the office
    /// reviews the attempts that carry them), never a penalty.
    pub const SIGNALS: [EventKind; 7] = [
        EventKind::PageHidden,
        EventKind::WindowBlur,
        EventKind::FullscreenExit,
        EventKind::Paste,
        EventKind::ContextMenu,
        EventKind::HeartbeatGap,
        EventKind::AddressChange,
    ];

    pub const ALL: [EventKind; 14] = [
        EventKind::PageHidden,
        EventKind::WindowBlur,
        EventKind::FullscreenExit,
        EventKind::Paste,
        EventKind::ContextMenu,
        EventKind::Started,
        EventKind::HeartbeatGap,
        EventKind::AddressChange,
        EventKind::Submitted,
        EventKind::AutoSubmitted,
        EventKind::Unlocked,
        EventKind::Extended,
        EventKind::ForceSubmitted,
        EventKind::Voided,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::PageHidden => "page_hidden",
            EventKind::WindowBlur => "window_blur",
            EventKind::FullscreenExit => "fullscreen_exit",
            EventKind::Paste => "paste",
            EventKind::ContextMenu => "context_menu",
            EventKind::Started => "started",
            EventKind::HeartbeatGap => "heartbeat_gap",
            EventKind::AddressChange => "address_change",
            EventKind::Submitted => "submitted",
            EventKind::AutoSubmitted => "auto_submitted",
            EventKind::Unlocked => "unlocked",
            EventKind::Extended => "extended",
            EventKind::ForceSubmitted => "force_submitted",
            EventKind::Voided => "voided",
        }
    }

    /// The event's name in `locale` (the evidence timeline).
    pub fn label(self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            EventKind::PageHidden => td_string!(locale, sitting.event_page_hidden),
            EventKind::WindowBlur => td_string!(locale, sitting.event_window_blur),
            EventKind::FullscreenExit => td_string!(locale, sitting.event_fullscreen_exit),
            EventKind::Paste => td_string!(locale, sitting.event_paste),
            EventKind::ContextMenu => td_string!(locale, sitting.event_context_menu),
            EventKind::Started => td_string!(locale, sitting.event_started),
            EventKind::HeartbeatGap => td_string!(locale, sitting.event_heartbeat_gap),
            EventKind::AddressChange => td_string!(locale, sitting.event_address_change),
            EventKind::Submitted => td_string!(locale, sitting.event_submitted),
            EventKind::AutoSubmitted => td_string!(locale, sitting.event_auto_submitted),
            EventKind::Unlocked => td_string!(locale, sitting.event_unlocked),
            EventKind::Extended => td_string!(locale, sitting.event_extended),
            EventKind::ForceSubmitted => td_string!(locale, sitting.event_force_submitted),
            EventKind::Voided => td_string!(locale, sitting.event_voided),
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<EventKind> {
        EventKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    /// Whether a browser may report this kind (the others are the server's to write).
    pub fn from_browser(self) -> bool {
        matches!(
            self,
            EventKind::PageHidden
                | EventKind::WindowBlur
                | EventKind::FullscreenExit
                | EventKind::Paste
                | EventKind::ContextMenu
        )
    }
}

/// Where the candidate stands: the ticket, the session's times by the server's clock, and the
/// attempt once started.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SittingView {
    pub ticket: CandidateTicket,
    /// The server's time when this was read (the page measures its clock's offset to it).
    pub now: DateTime<Utc>,
    pub starts_at: DateTime<Utc>,
    /// The last moment a candidate may start (the late-entry cut-off).
    pub late_entry_until: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
    /// Every ticket of the batch has its paper (a session cannot start before).
    pub papers_ready: bool,
    pub attempt: Option<AttemptView>,
}

/// The candidate's attempt as the page resumes it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptView {
    pub status: AttemptStatus,
    /// The deadline the server enforces, extensions included.
    pub deadline: DateTime<Utc>,
    /// The server's time when this was read.
    pub now: DateTime<Utc>,
    /// Questions on the paper.
    pub item_count: u32,
    /// The highest sequence number the browser has sent (the next save uses a larger one).
    pub last_seq: i64,
    /// The stored answers.
    pub answers: Vec<SavedAnswer>,
    /// Once submitted.
    pub receipt: Option<Receipt>,
}

/// A stored answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SavedAnswer {
    /// 题号.
    pub item: u32,
    pub response: Response,
    pub seq: i64,
}

/// 答卷回执 — what the candidate is shown (and may note down) after submission.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// A short code from the hash of the stored answers (e.g. `3F9A-C21B-77D0`).
    pub code: String,
    pub answered: u32,
    pub total: u32,
    pub submitted_at: DateTime<Utc>,
    pub status: AttemptStatus,
}

/// One changed answer, as the browser sends it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnswerSave {
    /// 题号, from 1.
    pub item: u32,
    /// The browser's sequence number for this change (larger is newer).
    pub seq: i64,
    /// The answer; no choice at all clears it.
    pub response: Response,
}

/// An integrity signal the browser reports.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClientEvent {
    pub kind: EventKind,
    /// A few words of context (e.g. how long the page was hidden).
    #[serde(default)]
    pub detail: String,
}

/// The server's acknowledgement of a save: everything sent is stored (or a newer value was).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SaveAck {
    /// The server's time at the commit.
    pub now: DateTime<Utc>,
    /// The deadline in force (a proctor may have extended it).
    pub deadline: DateTime<Utc>,
}

/// The refusal of a save or submission that came too late or after the attempt closed.
pub fn closed_error(status: AttemptStatus) -> AppError {
    let message = match status {
        AttemptStatus::InProgress => crate::msg!(sitting.time_is_up_answers_not_accepted),
        AttemptStatus::Submitted => crate::msg!(sitting.already_submitted),
        AttemptStatus::AutoSubmitted => crate::msg!(sitting.submitted_at_deadline),
        AttemptStatus::ForceSubmitted => crate::msg!(sitting.collected_by_proctor),
        AttemptStatus::Voided => crate::msg!(sitting.attempt_voided),
    };
    AppError::conflict("attempt", message)
}

/// Most answers one save may carry, and most events.
pub const MAX_ANSWERS_PER_SAVE: usize = 500;
pub const MAX_EVENTS_PER_SAVE: usize = 50;

/// Where the signed-in candidate stands. Candidate.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "exam/sitting", input = Json)]
pub async fn my_sitting() -> Result<SittingView, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[crate::roles::Role::Candidate]).await?;
    ssr::sitting(&state.db, &caller).await
}

/// Starts the candidate's attempt (or resumes it: starting twice is the same as once).
/// Candidate; only from the session's start until the late-entry cut-off.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "exam/start", input = Json)]
pub async fn start_attempt() -> Result<AttemptView, AppError> {
    let state = crate::ssr::app_state()?;
    let ip = ssr::caller_ip(&state);
    let caller = crate::ssr::require(&[crate::roles::Role::Candidate]).await?;
    ssr::start(&state, &caller, ip).await
}

/// Saves changed answers and reports integrity signals (an empty save is the heartbeat).
/// Acknowledged only once stored durably. Candidate; refused after the deadline and its grace.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "exam/save", input = Json)]
pub async fn save_answers(
    answers: Vec<AnswerSave>,
    events: Vec<ClientEvent>,
) -> Result<SaveAck, AppError> {
    let state = crate::ssr::app_state()?;
    let received = chrono::Utc::now();
    let ip = ssr::caller_ip(&state);
    // The writer checks the session (a candidate's, live) with its whole batch.
    let session = crate::ssr::context::session_hash();
    ssr::save(&state, session, received, ip, answers, events).await
}

/// Submits the attempt and returns the receipt (submitting again returns the same receipt).
/// Candidate.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "exam/submit", input = Json)]
pub async fn submit_attempt() -> Result<Receipt, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[crate::roles::Role::Candidate]).await?;
    ssr::submit(&state, &caller).await
}

/// Lifts a candidate's sign-in lock so they can sign in on another browser: the live session
/// ends (its tab is told at its next save) and the ticket's failed sign-ins are cleared. A
/// reason is required; audited. Office admin, and the proctors of the candidate's room.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "exam/unlock", input = Json)]
pub async fn unlock_sign_in(ticket_no: String, reason: String) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(crate::proctor::WATCHERS).await?;
    ssr::unlock(&state.db, &caller, &ticket_no, &reason).await
}
