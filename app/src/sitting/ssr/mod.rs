//! Services behind sitting the exam: the candidate's situation, start, save, submit, the
//! receipt, the sign-in unlock, and the deadline sweeper.
//!
//! Start, save and submit go through the group-commit [`writer`]: many candidates' changes
//! share one transaction, each decided under the attempt's row lock in that transaction, and
//! every request is answered only after the commit. Nothing that must be shared between server
//! processes lives in memory: the attempt row holds the deadline, the status and the
//! heartbeat.

pub mod sweeper;
pub mod writer;

use std::time::Duration;

use chrono::{DateTime, Utc};
use question_bank::Response;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set,
};
use sha2::{Digest, Sha256};

use super::{
    AnswerSave, AttemptStatus, AttemptView, ClientEvent, EventKind, Receipt, SaveAck, SavedAnswer,
    SittingView,
};
use crate::{
    audit::ssr::{Actor, record},
    error::AppError,
    ssr::{
        AppState, Caller, begin_write, corrupt,
        entities::{
            account, answer, attempt, attempt_event, exam_session, login_failure, paper,
            paper_deal_state, session,
        },
    },
};

pub(crate) use super::closed_error;
pub use writer::Writer;

/// The sitting policy. Tests shorten the windows.
#[derive(Clone, Debug)]
pub struct SittingConfig {
    /// Saves sent before the deadline may arrive this much later (requests in flight).
    pub grace: Duration,
    /// Silence from a browser longer than this is recorded as a heartbeat gap.
    pub heartbeat_gap: Duration,
    /// How often the sweeper looks for expired attempts.
    pub sweep_every: Duration,
    /// A session unused this long has ended (the sign-in policy's idle timeout: the writer
    /// checks the sessions of saves itself).
    pub session_idle: Duration,
}

impl Default for SittingConfig {
    fn default() -> Self {
        SittingConfig {
            grace: Duration::from_secs(10),
            heartbeat_gap: Duration::from_secs(90),
            sweep_every: Duration::from_secs(1),
            session_idle: Duration::from_secs(30 * 60),
        }
    }
}

fn chrono(d: Duration) -> chrono::Duration {
    chrono::Duration::from_std(d).unwrap_or(chrono::Duration::MAX)
}

/// The session's times: (starts, late-entry cut-off, end).
pub(crate) fn session_times(
    s: &exam_session::Model,
) -> (DateTime<Utc>, DateTime<Utc>, DateTime<Utc>) {
    let start = s.starts_at;
    (
        start,
        start + chrono::Duration::minutes(i64::from(s.late_entry_minutes)),
        start + chrono::Duration::minutes(i64::from(s.duration_minutes)),
    )
}

/// The caller's client address (read before the first await of a server function).
pub fn caller_ip(state: &AppState) -> String {
    crate::ssr::context::request_parts()
        .map(|p| crate::ssr::context::client_ip(&p, state.auth.trust_proxy))
        .unwrap_or_else(|| "unknown".to_owned())
}

/// The attempt of `ticket_id`, if started.
pub(crate) async fn attempt_of(
    conn: &impl ConnectionTrait,
    ticket_id: i64,
) -> Result<Option<attempt::Model>, AppError> {
    Ok(attempt::Entity::find()
        .filter(attempt::Column::TicketId.eq(ticket_id))
        .one(conn)
        .await?)
}

/// The stored status of an attempt.
pub(crate) fn status_of(a: &attempt::Model) -> Result<AttemptStatus, AppError> {
    AttemptStatus::parse(&a.status).ok_or_else(|| corrupt("attempt status", &a.status))
}

/// Whether every ticket of the batch has its paper.
///
/// Papers are dealt chunk by chunk, and `paper_deal_state` holds a batch's place between two
/// chunks: it exists exactly while the dealing is under way (stored with every chunk but the
/// last, deleted with the last one, and deleted with the papers at rescheduling). So the papers
/// are complete when the batch has papers and no dealing state: two index lookups in one
/// statement, one snapshot. Counting the batch's tickets and papers instead read 20,000 index
/// entries per start of a 10,000-candidate batch (≈ 8 ms on PostgreSQL), at the mass start.
async fn papers_ready(conn: &impl ConnectionTrait, batch_id: i64) -> Result<bool, AppError> {
    use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
    let papers = Query::select()
        .expr(Expr::val(1))
        .from(paper::Entity)
        .and_where(paper::Column::BatchId.eq(batch_id))
        .to_owned();
    let dealing = Query::select()
        .expr(Expr::val(1))
        .from(paper_deal_state::Entity)
        .and_where(paper_deal_state::Column::BatchId.eq(batch_id))
        .to_owned();
    let query = Query::select()
        .expr_as(
            Expr::exists(papers).and(Expr::exists(dealing).not()),
            Alias::new("ready"),
        )
        .to_owned();
    let row = conn.query_one(&query).await?.ok_or(AppError::Internal)?;
    Ok(row.try_get::<bool>("", "ready")?)
}

/// Where the caller stands.
#[tracing::instrument(skip_all)]
pub async fn sitting(db: &DatabaseConnection, caller: &Caller) -> Result<SittingView, AppError> {
    let ticket = crate::exam::ssr::my_ticket(db, caller).await?;
    let (t, s) = crate::exam::ssr::own_ticket(db, caller).await?;
    let (starts_at, late_entry_until, ends_at) = session_times(&s);
    let attempt = match attempt_of(db, t.id).await? {
        Some(a) => Some(view(db, &a).await?),
        None => None,
    };
    Ok(SittingView {
        ticket,
        now: Utc::now(),
        starts_at,
        late_entry_until,
        ends_at,
        papers_ready: papers_ready(db, t.batch_id).await?,
        attempt,
    })
}

/// The attempt as the page resumes it.
pub(crate) async fn view(
    conn: &impl ConnectionTrait,
    a: &attempt::Model,
) -> Result<AttemptView, AppError> {
    let status = status_of(a)?;
    let answers = stored_answers(conn, a.id).await?;
    let receipt = match (&a.receipt_hash, a.submitted_at) {
        (Some(hash), Some(at)) => Some(Receipt {
            code: receipt_code(hash),
            answered: u32::try_from(a.answered.unwrap_or(0)).unwrap_or(0),
            total: u32::try_from(a.item_count).unwrap_or(0),
            submitted_at: at,
            status,
        }),
        _ => None,
    };
    Ok(AttemptView {
        status,
        deadline: a.deadline,
        now: Utc::now(),
        item_count: u32::try_from(a.item_count).unwrap_or(0),
        last_seq: a.last_seq,
        answers: answers
            .into_iter()
            .map(|(item, response, seq)| SavedAnswer {
                item,
                response,
                seq,
            })
            .collect(),
        receipt,
    })
}

/// The stored answers of an attempt, by question number: (item, response, seq).
pub(crate) async fn stored_answers(
    conn: &impl ConnectionTrait,
    attempt_id: i64,
) -> Result<Vec<(u32, Response, i64)>, AppError> {
    let rows = answer::Entity::find()
        .filter(answer::Column::AttemptId.eq(attempt_id))
        .order_by_asc(answer::Column::Item)
        .all(conn)
        .await?;
    rows.into_iter()
        .map(|r| {
            let response: Response =
                serde_json::from_str(&r.response).map_err(|_| corrupt("answer", &r.response))?;
            Ok((u32::try_from(r.item).unwrap_or(0), response, r.seq))
        })
        .collect()
}

/// Whether a response chooses anything (a cleared 多选 is no answer).
pub(crate) fn is_answered(r: &Response) -> bool {
    match r {
        Response::Choices(c) => !c.is_empty(),
        Response::TrueFalse(_) => true,
    }
}

/// SHA-256 over the attempt and its answered questions, in question order: the receipt's
/// hash. Anyone holding the stored answers can recompute it.
pub fn receipt_hash(attempt_id: i64, answers: &[(u32, Response)]) -> String {
    let mut h = Sha256::new();
    h.update(format!("exam-receipt/1\nattempt:{attempt_id}\n").as_bytes());
    let mut sorted: Vec<&(u32, Response)> =
        answers.iter().filter(|(_, r)| is_answered(r)).collect();
    sorted.sort_by_key(|(item, _)| *item);
    for (item, response) in sorted {
        let json = serde_json::to_string(response).unwrap_or_default();
        h.update(format!("{item}={json}\n").as_bytes());
    }
    hex::encode(h.finalize())
}

/// The receipt code shown to the candidate: the hash's first 12 hex digits in groups of 4.
pub fn receipt_code(hash: &str) -> String {
    let head: String = hash.chars().take(12).collect::<String>().to_uppercase();
    head.as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join("-")
}

/// Closes an in-progress attempt as `status` (inside the caller's transaction, which holds the
/// attempt's row lock): the receipt is computed from the stored answers. Returns `false` when
/// the attempt was no longer in progress (another process closed it first).
pub(crate) async fn close(
    txn: &impl ConnectionTrait,
    a: &attempt::Model,
    status: AttemptStatus,
    now: DateTime<Utc>,
    detail: &str,
) -> Result<bool, AppError> {
    let answers: Vec<(u32, Response)> = stored_answers(txn, a.id)
        .await?
        .into_iter()
        .map(|(item, r, _)| (item, r))
        .collect();
    let answered = answers.iter().filter(|(_, r)| is_answered(r)).count();
    let hash = receipt_hash(a.id, &answers);
    let done = attempt::Entity::update_many()
        .col_expr(
            attempt::Column::Status,
            sea_orm::sea_query::Expr::value(status.as_str()),
        )
        .col_expr(
            attempt::Column::SubmittedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            attempt::Column::Answered,
            sea_orm::sea_query::Expr::value(i32::try_from(answered).unwrap_or(i32::MAX)),
        )
        .col_expr(
            attempt::Column::ReceiptHash,
            sea_orm::sea_query::Expr::value(hash),
        )
        .filter(attempt::Column::Id.eq(a.id))
        .filter(attempt::Column::Status.eq(AttemptStatus::InProgress.as_str()))
        .exec(txn)
        .await?;
    if done.rows_affected != 1 {
        return Ok(false);
    }
    let kind = match status {
        AttemptStatus::Submitted => EventKind::Submitted,
        AttemptStatus::ForceSubmitted => EventKind::ForceSubmitted,
        AttemptStatus::Voided => EventKind::Voided,
        AttemptStatus::InProgress | AttemptStatus::AutoSubmitted => EventKind::AutoSubmitted,
    };
    event(txn, a.id, kind, now, detail).await?;
    Ok(true)
}

/// Appends one event to an attempt's timeline.
pub(crate) async fn event(
    conn: &impl ConnectionTrait,
    attempt_id: i64,
    kind: EventKind,
    at: DateTime<Utc>,
    detail: &str,
) -> Result<(), AppError> {
    attempt_event::ActiveModel {
        attempt_id: Set(attempt_id),
        at: Set(at),
        kind: Set(kind.as_str().to_owned()),
        detail: Set(detail.chars().take(500).collect()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Starts (or resumes) the caller's attempt.
#[tracing::instrument(skip_all)]
pub async fn start(state: &AppState, caller: &Caller, ip: String) -> Result<AttemptView, AppError> {
    let db = &state.db;
    let (t, s) = crate::exam::ssr::own_ticket(db, caller).await?;
    if let Some(a) = attempt_of(db, t.id).await? {
        return view(db, &a).await;
    }
    let now = Utc::now();
    let (starts_at, late_until, ends_at) = session_times(&s);
    if now < starts_at {
        return Err(AppError::conflict(
            "start",
            crate::msg!(exam.session_has_not_started_paper_opens),
        ));
    }
    if now >= ends_at {
        return Err(AppError::conflict(
            "start",
            crate::msg!(exam.this_session_has_ended),
        ));
    }
    if now > late_until {
        return Err(AppError::conflict(
            "start",
            crate::msg!(sitting.late_entry_closed),
        ));
    }
    if s.require_check_in && !crate::proctor::ssr::checked_in(db, t.id).await? {
        return Err(AppError::conflict(
            "check_in",
            crate::msg!(sitting.check_in_first),
        ));
    }
    if !papers_ready(db, t.batch_id).await? {
        return Err(AppError::conflict(
            "paper",
            crate::msg!(papers.your_paper_is_not_ready_ask),
        ));
    }
    let row = paper::Entity::find()
        .filter(paper::Column::TicketId.eq(t.id))
        .one(db)
        .await?
        .ok_or_else(|| {
            AppError::conflict("paper", crate::msg!(papers.your_paper_is_not_ready_ask))
        })?;
    let items = crate::papers::ssr::stored_paper(&row)?
        .question_order()
        .len();
    let start = writer::StartJob {
        ticket_id: t.id,
        batch_id: t.batch_id,
        session_id: s.id,
        room_id: t.room_id,
        item_count: i32::try_from(items).unwrap_or(i32::MAX),
        deadline: ends_at,
        ip,
    };
    let attempt_id = state.sitting.start(start).await?;
    let a = attempt::Entity::find_by_id(attempt_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    view(db, &a).await
}

/// The caller's attempt id, which must exist.
async fn own_attempt(db: &DatabaseConnection, caller: &Caller) -> Result<i64, AppError> {
    let (t, _) = crate::exam::ssr::own_ticket(db, caller).await?;
    attempt_of(db, t.id)
        .await?
        .map(|a| a.id)
        .ok_or_else(|| AppError::conflict("attempt", crate::msg!(sitting.not_started_yet)))
}

/// Saves the changed answers and integrity signals of the candidate signed in with `session`
/// (the hash of the request's session token). The writer checks the session, with every other
/// session of its batch in one query: a save costs the request no query of its own.
#[tracing::instrument(skip_all)]
pub async fn save(
    state: &AppState,
    session: Option<String>,
    received: DateTime<Utc>,
    ip: String,
    answers: Vec<AnswerSave>,
    events: Vec<ClientEvent>,
) -> Result<SaveAck, AppError> {
    let session = session.ok_or(AppError::Unauthorized)?;
    if answers.len() > super::MAX_ANSWERS_PER_SAVE {
        return Err(AppError::invalid(
            "answers",
            crate::msg!(sitting.too_many_answers_in_one_save),
        ));
    }
    if events.len() > super::MAX_EVENTS_PER_SAVE {
        return Err(AppError::invalid(
            "events",
            crate::msg!(sitting.too_many_events_in_one_save),
        ));
    }
    if let Some(e) = events.iter().find(|e| !e.kind.from_browser()) {
        return Err(AppError::invalid(
            "events",
            crate::msg!(sitting.event_not_from_browser, kind = e.kind.as_str()),
        ));
    }
    state
        .sitting
        .save(writer::SaveJob {
            session,
            received,
            ip,
            answers,
            events,
        })
        .await
}

/// Submits the caller's attempt; submitting again returns the same receipt.
#[tracing::instrument(skip_all)]
pub async fn submit(state: &AppState, caller: &Caller) -> Result<Receipt, AppError> {
    let attempt_id = own_attempt(&state.db, caller).await?;
    state.sitting.submit(attempt_id).await?;
    let a = attempt::Entity::find_by_id(attempt_id)
        .one(&state.db)
        .await?
        .ok_or(AppError::Internal)?;
    view(&state.db, &a)
        .await?
        .receipt
        .ok_or_else(|| AppError::conflict("attempt", crate::msg!(sitting.attempt_voided)))
}

/// Ends a candidate's live sign-in so they can sign in again on another browser, and clears
/// the ticket's failed sign-ins (a neighbour typing wrong codes must not keep the candidate
/// out). Audited with the reason; recorded on the attempt's timeline.
#[tracing::instrument(skip_all)]
pub async fn unlock(
    db: &DatabaseConnection,
    caller: &Caller,
    ticket_no: &str,
    reason: &str,
) -> Result<(), AppError> {
    let reason = crate::proctor::ssr::reason(reason)?;
    let txn = begin_write(db).await?;
    let t = crate::proctor::ssr::ticket_in_scope(&txn, caller, ticket_no).await?;
    let acc = account::Entity::find()
        .filter(account::Column::CandidateId.eq(t.candidate_id))
        .one(&txn)
        .await?;
    let ended = match &acc {
        Some(acc) => {
            session::Entity::delete_many()
                .filter(session::Column::AccountId.eq(acc.id))
                .exec(&txn)
                .await?
                .rows_affected
        }
        None => 0,
    };
    // A stranger's wrong codes on this ticket no longer hold its candidate back either.
    let failures = login_failure::Entity::delete_many()
        .filter(login_failure::Column::Key.eq(format!("ticket:{}", t.ticket_no)))
        .exec(&txn)
        .await?
        .rows_affected;
    let now = Utc::now();
    if let Some(a) = attempt_of(&txn, t.id).await? {
        event(&txn, a.id, EventKind::Unlocked, now, &reason).await?;
    }
    record(
        &txn,
        &Actor::from(&caller.user),
        "exam.unlock",
        &format!("ticket:{}", t.id),
        serde_json::json!({
            "ticket_no": t.ticket_no,
            "reason": reason,
            "sessions_ended": ended,
            "failures_cleared": failures,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_receipt_hash_depends_on_the_answers_not_on_their_order_or_blank_ones() {
        let a = [
            (2, Response::Choices(vec![1, 3])),
            (1, Response::TrueFalse(true)),
        ];
        let b = [
            (1, Response::TrueFalse(true)),
            (5, Response::Choices(vec![])),
            (2, Response::Choices(vec![1, 3])),
        ];
        assert_eq!(receipt_hash(7, &a), receipt_hash(7, &b));
        assert_ne!(receipt_hash(7, &a), receipt_hash(8, &a));
        let c = [
            (1, Response::TrueFalse(false)),
            (2, Response::Choices(vec![1, 3])),
        ];
        assert_ne!(receipt_hash(7, &a), receipt_hash(7, &c));
    }

    #[test]
    fn the_receipt_code_is_three_groups_of_four() {
        let code = receipt_code(&receipt_hash(1, &[]));
        assert_eq!(code.len(), 14);
        assert_eq!(code.matches('-').count(), 2);
        assert!(
            code.chars()
                .all(|c| c == '-' || c.is_ascii_digit() || c.is_ascii_uppercase())
        );
    }
}
