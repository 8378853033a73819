//! Services behind the candidate's side: the caller's own ticket and paper.

use chrono::{Duration, Utc};
use question_bank::PaperView;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};

use super::CandidateTicket;
use crate::{
    batches::ssr::kind_label,
    error::AppError,
    procedure::TicketNumber,
    ssr::{
        Caller,
        entities::{batch, exam_session, plan_candidate, room, ticket},
    },
};

fn no_ticket() -> AppError {
    AppError::conflict(
        "ticket",
        crate::msg!(exam.no_admission_ticket_found_sign_in),
    )
}

/// The caller's ticket with its session: the scope is the signed-in account's candidate.
pub(crate) async fn own_ticket(
    conn: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<(ticket::Model, exam_session::Model), AppError> {
    let candidate_id = caller.candidate_id.ok_or_else(no_ticket)?;
    let t = ticket::Entity::find()
        .filter(ticket::Column::CandidateId.eq(candidate_id))
        .one(conn)
        .await?
        .ok_or_else(no_ticket)?;
    let s = exam_session::Entity::find_by_id(t.session_id)
        .one(conn)
        .await?
        .ok_or(AppError::Internal)?;
    Ok((t, s))
}

fn window(s: &exam_session::Model) -> (bool, bool) {
    let now = Utc::now();
    let end = s.starts_at + Duration::minutes(i64::from(s.duration_minutes));
    (now >= s.starts_at && now < end, now >= end)
}

/// The caller's admission details.
#[tracing::instrument(skip_all)]
pub async fn my_ticket(
    conn: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<CandidateTicket, AppError> {
    let (t, s) = own_ticket(conn, caller).await?;
    let r = room::Entity::find_by_id(t.room_id)
        .one(conn)
        .await?
        .ok_or(AppError::Internal)?;
    let b = batch::Entity::find_by_id(t.batch_id)
        .one(conn)
        .await?
        .ok_or(AppError::Internal)?;
    let c = plan_candidate::Entity::find_by_id(t.candidate_id)
        .one(conn)
        .await?
        .ok_or(AppError::Internal)?;
    let (open, ended) = window(&s);
    Ok(CandidateTicket {
        name: c.name,
        ticket_no: TicketNumber::parse(&t.ticket_no)
            .map(|n| n.grouped())
            .unwrap_or(t.ticket_no),
        exam: kind_label(&b.exam_kind, b.field.as_deref()),
        starts_at: s.starts_at,
        duration_minutes: s.duration_minutes,
        late_entry_minutes: s.late_entry_minutes,
        venue: r.venue,
        address: r.address,
        room: r.name,
        seat: t.seat,
        open,
        ended,
    })
}

/// The caller's paper, only while the caller's attempt is in progress: before the start and
/// after the end no question is served.
#[tracing::instrument(skip_all)]
pub async fn my_paper(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    grace: std::time::Duration,
) -> Result<PaperView, AppError> {
    use crate::sitting::{AttemptStatus, ssr as sitting};
    let (t, s) = own_ticket(conn, caller).await?;
    match sitting::attempt_of(conn, t.id).await? {
        Some(a) => {
            let status = sitting::status_of(&a)?;
            let grace = Duration::from_std(grace).unwrap_or(Duration::MAX);
            if status == AttemptStatus::InProgress && Utc::now() <= a.deadline + grace {
                crate::papers::ssr::candidate_view(conn, &t).await
            } else {
                Err(sitting::closed_error(status))
            }
        }
        None => match window(&s) {
            (true, _) => Err(AppError::conflict(
                "paper",
                crate::msg!(sitting.not_started_yet),
            )),
            (false, true) => Err(AppError::conflict(
                "paper",
                crate::msg!(exam.this_session_has_ended),
            )),
            (false, false) => Err(AppError::conflict(
                "paper",
                crate::msg!(exam.session_has_not_started_paper_opens),
            )),
        },
    }
}
