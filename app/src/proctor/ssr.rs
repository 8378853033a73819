//! Services behind proctoring. Every action runs in one write transaction: the scope check,
//! the decision under the attempt's (or ticket's) row lock, the change and its audit entry
//! commit together or not at all. The group-commit writer takes the same row locks, so an
//! extension and a save never interleave: a save is judged by the deadline in force when its
//! batch holds the lock.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::{DateTime, Duration as ChronoDuration, Timelike, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set, sea_query::Expr,
};

use super::{
    ConsoleRow, MisconductCategory, ProctorAccount, RoomConsole, RoomRecordView, RoomSitting,
    SeatState, Timeline, TimelineEntry, TimelineKind,
};
use crate::{
    audit::ssr::{Actor, record},
    error::AppError,
    procedure::TicketNumber,
    roles::Role,
    sitting::{
        AttemptStatus, EventKind,
        ssr::{attempt_of, close, event, session_times, status_of},
    },
    ssr::{
        Caller, begin_write, corrupt,
        entities::{
            account, answer, attempt, attempt_event, audit_log, batch, check_in, exam_session,
            misconduct, plan_candidate, proctor_assignment, room, room_record, session, ticket,
        },
    },
};

/// Longest reason or description, in characters.
const MAX_REASON: usize = 500;
/// Longest misconduct description, in characters.
const MAX_DESCRIPTION: usize = 1000;
/// Most minutes one extension or grant may add.
const MAX_MINUTES: i32 = 120;
/// Most proctors per room.
const MAX_PROCTORS: usize = 6;

/// A required reason, trimmed: refused (naming the field) when empty or too long.
pub fn reason(raw: &str) -> Result<String, AppError> {
    let reason = raw.trim();
    if reason.is_empty() || reason.chars().count() > MAX_REASON {
        return Err(AppError::invalid(
            "reason",
            crate::msg!(sitting.give_reason_up_to_500),
        ));
    }
    Ok(reason.to_owned())
}

/// Minutes to add: 1 to [`MAX_MINUTES`].
fn minutes(raw: i32) -> Result<i32, AppError> {
    if (1..=MAX_MINUTES).contains(&raw) {
        Ok(raw)
    } else {
        Err(AppError::invalid(
            "minutes",
            crate::msg!(proctor.minutes_between, max = MAX_MINUTES),
        ))
    }
}

/// Whether the caller may watch and act on the room of the session. Anything else is "not
/// found", as if it did not exist.
async fn may_watch(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    session_id: i64,
    room_id: i64,
) -> Result<bool, AppError> {
    Ok(match caller.user.role {
        Role::OfficeAdmin => true,
        Role::Proctor => {
            proctor_assignment::Entity::find_by_id((session_id, room_id, caller.user.id))
                .one(conn)
                .await?
                .is_some()
        }
        _ => false,
    })
}

/// The session and room, when they exist, belong to one batch, and the caller may watch them.
async fn room_in_scope(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    session_id: i64,
    room_id: i64,
) -> Result<(exam_session::Model, room::Model), AppError> {
    if !may_watch(conn, caller, session_id, room_id).await? {
        return Err(AppError::NotFound);
    }
    let s = exam_session::Entity::find_by_id(session_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let r = room::Entity::find_by_id(room_id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    if s.batch_id != r.batch_id {
        return Err(AppError::NotFound);
    }
    Ok((s, r))
}

/// The ticket numbered `ticket_no`, locked, when the caller may watch its room.
pub(crate) async fn ticket_in_scope(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    ticket_no: &str,
) -> Result<ticket::Model, AppError> {
    let no = TicketNumber::parse(ticket_no).map_err(|_| AppError::NotFound)?;
    let t = ticket::Entity::find()
        .filter(ticket::Column::TicketNo.eq(no.as_string()))
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    if !may_watch(conn, caller, t.session_id, t.room_id).await? {
        return Err(AppError::NotFound);
    }
    Ok(t)
}

/// The attempt of a ticket, locked.
async fn locked_attempt(
    conn: &impl ConnectionTrait,
    ticket_id: i64,
) -> Result<Option<attempt::Model>, AppError> {
    Ok(attempt::Entity::find()
        .filter(attempt::Column::TicketId.eq(ticket_id))
        .lock_exclusive()
        .one(conn)
        .await?)
}

/// The refusal of an action that needs a running attempt.
fn not_in_progress(a: Option<&attempt::Model>) -> Result<AppError, AppError> {
    Ok(match a {
        None => AppError::conflict("ticket_no", crate::msg!(proctor.not_started)),
        Some(a) => crate::sitting::closed_error(status_of(a)?),
    })
}

/// Whether the candidate of the ticket was checked in as present.
pub async fn checked_in(conn: &impl ConnectionTrait, ticket_id: i64) -> Result<bool, AppError> {
    Ok(check_in::Entity::find_by_id(ticket_id)
        .one(conn)
        .await?
        .is_some_and(|c| c.present))
}

/// Builds the room cards for (session, room) pairs.
async fn sittings(
    conn: &impl ConnectionTrait,
    pairs: &[(i64, i64)],
) -> Result<Vec<RoomSitting>, AppError> {
    if pairs.is_empty() {
        return Ok(Vec::new());
    }
    let session_ids: Vec<i64> = pairs.iter().map(|p| p.0).collect();
    let room_ids: Vec<i64> = pairs.iter().map(|p| p.1).collect();
    let sessions: HashMap<i64, exam_session::Model> = exam_session::Entity::find()
        .filter(exam_session::Column::Id.is_in(session_ids.clone()))
        .all(conn)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let rooms: HashMap<i64, room::Model> = room::Entity::find()
        .filter(room::Column::Id.is_in(room_ids.clone()))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let batch_ids: Vec<i64> = sessions.values().map(|s| s.batch_id).collect();
    let batches: HashMap<i64, batch::Model> = batch::Entity::find()
        .filter(batch::Column::Id.is_in(batch_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|b| (b.id, b))
        .collect();
    let mut counts: HashMap<(i64, i64), u32> = HashMap::new();
    for t in ticket::Entity::find()
        .select_only()
        .column(ticket::Column::SessionId)
        .column(ticket::Column::RoomId)
        .filter(ticket::Column::SessionId.is_in(session_ids.clone()))
        .filter(ticket::Column::RoomId.is_in(room_ids.clone()))
        .into_tuple::<(i64, i64)>()
        .all(conn)
        .await?
    {
        *counts.entry(t).or_default() += 1;
    }
    let assignments = proctor_assignment::Entity::find()
        .filter(proctor_assignment::Column::SessionId.is_in(session_ids))
        .filter(proctor_assignment::Column::RoomId.is_in(room_ids))
        .all(conn)
        .await?;
    let account_ids: Vec<i32> = assignments.iter().map(|a| a.account_id).collect();
    let names: HashMap<i32, String> = account::Entity::find()
        .filter(account::Column::Id.is_in(account_ids))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.id, a.display_name))
        .collect();
    let mut out = Vec::new();
    for &(session_id, room_id) in pairs {
        let (Some(s), Some(r)) = (sessions.get(&session_id), rooms.get(&room_id)) else {
            continue;
        };
        let Some(b) = batches.get(&s.batch_id) else {
            continue;
        };
        let (starts_at, late_entry_until, ends_at) = session_times(s);
        let mut proctors: Vec<String> = assignments
            .iter()
            .filter(|a| a.session_id == session_id && a.room_id == room_id)
            .filter_map(|a| names.get(&a.account_id).cloned())
            .collect();
        proctors.sort();
        out.push(RoomSitting {
            batch_id: b.id,
            batch_name: b.name.clone(),
            session_id,
            session_seq: s.seq,
            room_id,
            room_seq: r.seq,
            venue: r.venue.clone(),
            room_name: r.name.clone(),
            starts_at,
            late_entry_until,
            ends_at,
            candidates: counts.get(&(session_id, room_id)).copied().unwrap_or(0),
            proctors,
            require_check_in: s.require_check_in,
        });
    }
    out.sort_by(|a, b| {
        b.starts_at
            .cmp(&a.starts_at)
            .then(a.batch_id.cmp(&b.batch_id))
            .then(a.room_seq.cmp(&b.room_seq))
    });
    Ok(out)
}

/// The rooms the caller may watch.
pub async fn rooms(db: &DatabaseConnection, caller: &Caller) -> Result<Vec<RoomSitting>, AppError> {
    let pairs: Vec<(i64, i64)> = if caller.user.role == Role::OfficeAdmin {
        // Every (session, room) of the batches that have tickets.
        let mut pairs: Vec<(i64, i64)> = ticket::Entity::find()
            .select_only()
            .column(ticket::Column::SessionId)
            .column(ticket::Column::RoomId)
            .distinct()
            .into_tuple::<(i64, i64)>()
            .all(db)
            .await?;
        pairs.sort_unstable();
        pairs
    } else {
        proctor_assignment::Entity::find()
            .filter(proctor_assignment::Column::AccountId.eq(caller.user.id))
            .all(db)
            .await?
            .into_iter()
            .map(|a| (a.session_id, a.room_id))
            .collect()
    };
    sittings(db, &pairs).await
}

/// The active proctor accounts.
pub async fn proctor_accounts(db: &DatabaseConnection) -> Result<Vec<ProctorAccount>, AppError> {
    Ok(account::Entity::find()
        .filter(account::Column::Role.eq(Role::Proctor.as_str()))
        .filter(account::Column::Active.eq(true))
        .order_by_asc(account::Column::DisplayName)
        .all(db)
        .await?
        .into_iter()
        .map(|a| ProctorAccount {
            id: a.id,
            display_name: a.display_name,
            username: a.username,
        })
        .collect())
}

/// Replaces the proctors of one room in one session.
pub async fn assign(
    db: &DatabaseConnection,
    caller: &Caller,
    session_id: i64,
    room_id: i64,
    account_ids: &[i32],
) -> Result<(), AppError> {
    let mut ids: Vec<i32> = account_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    if ids.len() > MAX_PROCTORS {
        return Err(AppError::invalid(
            "account_ids",
            crate::msg!(proctor.at_most_proctors, max = MAX_PROCTORS),
        ));
    }
    let txn = begin_write(db).await?;
    room_in_scope(&txn, caller, session_id, room_id).await?;
    let proctors = account::Entity::find()
        .filter(account::Column::Id.is_in(ids.clone()))
        .filter(account::Column::Role.eq(Role::Proctor.as_str()))
        .filter(account::Column::Active.eq(true))
        .all(&txn)
        .await?;
    if proctors.len() != ids.len() {
        return Err(AppError::invalid(
            "account_ids",
            crate::msg!(proctor.not_an_active_proctor),
        ));
    }
    proctor_assignment::Entity::delete_many()
        .filter(proctor_assignment::Column::SessionId.eq(session_id))
        .filter(proctor_assignment::Column::RoomId.eq(room_id))
        .exec(&txn)
        .await?;
    let now = Utc::now();
    for id in &ids {
        proctor_assignment::ActiveModel {
            session_id: Set(session_id),
            room_id: Set(room_id),
            account_id: Set(*id),
            assigned_at: Set(now),
        }
        .insert(&txn)
        .await?;
    }
    let names: Vec<&str> = proctors.iter().map(|p| p.username.as_str()).collect();
    record(
        &txn,
        &Actor::from(&caller.user),
        "proctor.assign",
        &format!("session:{session_id}/room:{room_id}"),
        serde_json::json!({ "proctors": names }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Sets whether a session's candidates must be checked in before they start.
pub async fn set_require_check_in(
    db: &DatabaseConnection,
    caller: &Caller,
    session_id: i64,
    required: bool,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let s = exam_session::Entity::find_by_id(session_id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut active: exam_session::ActiveModel = s.into();
    active.require_check_in = Set(required);
    active.update(&txn).await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "proctor.require_check_in",
        &format!("session:{session_id}"),
        serde_json::json!({ "required": required }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The candidates' names by plan-candidate id.
async fn names_of(
    conn: &impl ConnectionTrait,
    candidate_ids: Vec<i64>,
) -> Result<HashMap<i64, String>, AppError> {
    let mut names = HashMap::with_capacity(candidate_ids.len());
    for chunk in candidate_ids.chunks(500) {
        for (id, name) in plan_candidate::Entity::find()
            .select_only()
            .column(plan_candidate::Column::Id)
            .column(plan_candidate::Column::Name)
            .filter(plan_candidate::Column::Id.is_in(chunk.to_vec()))
            .into_tuple::<(i64, String)>()
            .all(conn)
            .await?
        {
            names.insert(id, name);
        }
    }
    Ok(names)
}

/// How far back the grant proposal looks for heartbeat gaps.
const OUTAGE_WINDOW_MINUTES: i64 = 30;

/// The console's proposal for a room-wide grant: the median silence (whole minutes, rounded
/// up) of the room's in-progress attempts that fell silent in the last half hour, when at least
/// half of them did; `None` otherwise.
pub fn proposed_grant(gaps_seconds: &[i64], in_progress: usize) -> Option<u32> {
    if in_progress == 0 || gaps_seconds.len() * 2 < in_progress {
        return None;
    }
    let mut sorted = gaps_seconds.to_vec();
    sorted.sort_unstable();
    let median = sorted[sorted.len() / 2];
    u32::try_from((median + 59) / 60).ok().filter(|m| *m > 0)
}

/// The room's card and its tickets in seat order, when the caller may watch it.
async fn room_and_tickets(
    db: &DatabaseConnection,
    caller: &Caller,
    session_id: i64,
    room_id: i64,
) -> Result<(RoomSitting, Vec<ticket::Model>), AppError> {
    room_in_scope(db, caller, session_id, room_id).await?;
    let room = sittings(db, &[(session_id, room_id)])
        .await?
        .pop()
        .ok_or(AppError::NotFound)?;
    let tickets = ticket::Entity::find()
        .filter(ticket::Column::SessionId.eq(session_id))
        .filter(ticket::Column::RoomId.eq(room_id))
        .order_by_asc(ticket::Column::Seat)
        .all(db)
        .await?;
    Ok((room, tickets))
}

/// The live console of one room.
#[tracing::instrument(skip_all)]
pub async fn console(
    db: &DatabaseConnection,
    caller: &Caller,
    session_id: i64,
    room_id: i64,
) -> Result<RoomConsole, AppError> {
    let (room, tickets) = room_and_tickets(db, caller, session_id, room_id).await?;
    let names = names_of(db, tickets.iter().map(|t| t.candidate_id).collect()).await?;
    let attempts: HashMap<i64, attempt::Model> = attempt::Entity::find()
        .filter(attempt::Column::SessionId.eq(session_id))
        .filter(attempt::Column::RoomId.eq(room_id))
        .all(db)
        .await?
        .into_iter()
        .map(|a| (a.ticket_id, a))
        .collect();
    let attempt_ids: Vec<i64> = attempts.values().map(|a| a.id).collect();
    // Answered questions per attempt (a cleared 多选 is stored as an empty choice list).
    let cleared = serde_json::to_string(&question_bank::Response::Choices(Vec::new()))
        .map_err(|_| AppError::Internal)?;
    let mut answered: HashMap<i64, u32> = HashMap::new();
    let mut signals: HashMap<i64, u32> = HashMap::new();
    let mut gaps: Vec<i64> = Vec::new();
    let now = Utc::now();
    let since = now - ChronoDuration::minutes(OUTAGE_WINDOW_MINUTES);
    for chunk in attempt_ids.chunks(500) {
        for (attempt_id, n) in answer::Entity::find()
            .select_only()
            .column(answer::Column::AttemptId)
            .column_as(answer::Column::Item.count(), "n")
            .filter(answer::Column::AttemptId.is_in(chunk.to_vec()))
            .filter(answer::Column::Response.ne(cleared.as_str()))
            .group_by(answer::Column::AttemptId)
            .into_tuple::<(i64, i64)>()
            .all(db)
            .await?
        {
            answered.insert(attempt_id, u32::try_from(n).unwrap_or(0));
        }
        let kinds: Vec<&str> = EventKind::SIGNALS.iter().map(|k| k.as_str()).collect();
        for (attempt_id, kind, at, detail) in attempt_event::Entity::find()
            .select_only()
            .column(attempt_event::Column::AttemptId)
            .column(attempt_event::Column::Kind)
            .column(attempt_event::Column::At)
            .column(attempt_event::Column::Detail)
            .filter(attempt_event::Column::AttemptId.is_in(chunk.to_vec()))
            .filter(attempt_event::Column::Kind.is_in(kinds))
            .into_tuple::<(i64, String, DateTime<Utc>, String)>()
            .all(db)
            .await?
        {
            *signals.entry(attempt_id).or_default() += 1;
            if kind == EventKind::HeartbeatGap.as_str()
                && at >= since
                && let Some(seconds) = detail
                    .strip_suffix(" s")
                    .and_then(|s| s.trim().parse::<i64>().ok())
            {
                gaps.push(seconds);
            }
        }
    }
    let ticket_ids: Vec<i64> = tickets.iter().map(|t| t.id).collect();
    let mut checks: HashMap<i64, bool> = HashMap::new();
    let mut misconducts: HashMap<i64, u32> = HashMap::new();
    for chunk in ticket_ids.chunks(500) {
        for c in check_in::Entity::find()
            .filter(check_in::Column::TicketId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            checks.insert(c.ticket_id, c.present);
        }
        for m in misconduct::Entity::find()
            .select_only()
            .column(misconduct::Column::TicketId)
            .filter(misconduct::Column::TicketId.is_in(chunk.to_vec()))
            .into_tuple::<i64>()
            .all(db)
            .await?
        {
            *misconducts.entry(m).or_default() += 1;
        }
    }
    let live = live_candidates(db, tickets.iter().map(|t| t.candidate_id).collect()).await?;
    let mut in_progress = 0;
    let mut rows = Vec::with_capacity(tickets.len());
    for t in &tickets {
        let a = attempts.get(&t.id);
        let signed_in = live.contains(&t.candidate_id);
        let state = match a {
            Some(a) => SeatState::of_attempt(status_of(a)?),
            None if signed_in => SeatState::Waiting,
            None => match checks.get(&t.id) {
                Some(true) => SeatState::CheckedIn,
                Some(false) => SeatState::Absent,
                None => SeatState::Expected,
            },
        };
        if state == SeatState::InProgress {
            in_progress += 1;
        }
        rows.push(ConsoleRow {
            ticket_no: t.ticket_no.clone(),
            seat: t.seat,
            name: names.get(&t.candidate_id).cloned().unwrap_or_default(),
            state,
            answered: a.and_then(|a| answered.get(&a.id).copied()).unwrap_or(0),
            item_count: a.map_or(0, |a| u32::try_from(a.item_count).unwrap_or(0)),
            deadline: a.map(|a| a.deadline),
            extra_minutes: a.map_or(0, |a| a.extra_seconds / 60),
            last_seen_at: a.map(|a| a.last_seen_at),
            signals: a.and_then(|a| signals.get(&a.id).copied()).unwrap_or(0),
            misconduct: misconducts.get(&t.id).copied().unwrap_or(0),
            signed_in,
        });
    }
    let record_submitted = room_record::Entity::find_by_id((session_id, room_id))
        .one(db)
        .await?
        .is_some_and(|r| r.submitted_at.is_some());
    Ok(RoomConsole {
        room,
        now,
        rows,
        proposed_grant_minutes: proposed_grant(&gaps, in_progress),
        record_submitted,
    })
}

/// The candidates (of these) who hold a live sign-in.
async fn live_candidates(
    conn: &impl ConnectionTrait,
    candidate_ids: Vec<i64>,
) -> Result<HashSet<i64>, AppError> {
    let now = Utc::now();
    let mut live = HashSet::new();
    for chunk in candidate_ids.chunks(500) {
        let accounts: HashMap<i32, i64> = account::Entity::find()
            .select_only()
            .column(account::Column::Id)
            .column(account::Column::CandidateId)
            .filter(account::Column::CandidateId.is_in(chunk.to_vec()))
            .into_tuple::<(i32, Option<i64>)>()
            .all(conn)
            .await?
            .into_iter()
            .filter_map(|(id, c)| c.map(|c| (id, c)))
            .collect();
        if accounts.is_empty() {
            continue;
        }
        for account_id in session::Entity::find()
            .select_only()
            .column(session::Column::AccountId)
            .filter(session::Column::AccountId.is_in(accounts.keys().copied().collect::<Vec<_>>()))
            .filter(session::Column::ExpiresAt.gt(now))
            .into_tuple::<i32>()
            .all(conn)
            .await?
        {
            if let Some(c) = accounts.get(&account_id) {
                live.insert(*c);
            }
        }
    }
    Ok(live)
}

/// Refuses actions on a room whose record is submitted (the room is closed).
async fn room_open(
    conn: &impl ConnectionTrait,
    session_id: i64,
    room_id: i64,
) -> Result<(), AppError> {
    let submitted = room_record::Entity::find_by_id((session_id, room_id))
        .one(conn)
        .await?
        .is_some_and(|r| r.submitted_at.is_some());
    if submitted {
        return Err(AppError::conflict(
            "room",
            crate::msg!(proctor.room_record_submitted),
        ));
    }
    Ok(())
}

/// Marks a candidate present or absent.
pub async fn check_in(
    db: &DatabaseConnection,
    caller: &Caller,
    ticket_no: &str,
    present: bool,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let t = ticket_in_scope(&txn, caller, ticket_no).await?;
    room_open(&txn, t.session_id, t.room_id).await?;
    if !present && attempt_of(&txn, t.id).await?.is_some() {
        return Err(AppError::conflict(
            "present",
            crate::msg!(proctor.started_cannot_be_absent),
        ));
    }
    let now = Utc::now();
    let existing = check_in::Entity::find_by_id(t.id).one(&txn).await?;
    let row = check_in::ActiveModel {
        ticket_id: Set(t.id),
        present: Set(present),
        at: Set(now),
        by_name: Set(caller.user.display_name.clone()),
    };
    if existing.is_some() {
        row.update(&txn).await?;
    } else {
        row.insert(&txn).await?;
    }
    record(
        &txn,
        &Actor::from(&caller.user),
        if present {
            "proctor.check_in"
        } else {
            "proctor.mark_absent"
        },
        &format!("ticket:{}", t.id),
        serde_json::json!({ "ticket_no": t.ticket_no }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Moves an in-progress attempt's deadline by `minutes` (inside the caller's transaction,
/// which holds the attempt's lock).
async fn add_time(
    conn: &impl ConnectionTrait,
    a: &attempt::Model,
    minutes: i32,
    now: DateTime<Utc>,
    detail: &str,
) -> Result<DateTime<Utc>, AppError> {
    let deadline = a.deadline + ChronoDuration::minutes(i64::from(minutes));
    attempt::Entity::update_many()
        .col_expr(attempt::Column::Deadline, Expr::value(deadline))
        .col_expr(
            attempt::Column::ExtraSeconds,
            Expr::value(a.extra_seconds.saturating_add(minutes * 60)),
        )
        .filter(attempt::Column::Id.eq(a.id))
        .exec(conn)
        .await?;
    event(conn, a.id, EventKind::Extended, now, detail).await?;
    Ok(deadline)
}

/// Gives one candidate more time.
pub async fn extend(
    db: &DatabaseConnection,
    caller: &Caller,
    ticket_no: &str,
    minutes_raw: i32,
    reason_raw: &str,
) -> Result<(), AppError> {
    let reason = reason(reason_raw)?;
    let minutes = minutes(minutes_raw)?;
    let txn = begin_write(db).await?;
    let t = ticket_in_scope(&txn, caller, ticket_no).await?;
    room_open(&txn, t.session_id, t.room_id).await?;
    let a = locked_attempt(&txn, t.id).await?;
    let a = match a {
        Some(a) if status_of(&a)? == AttemptStatus::InProgress => a,
        other => return Err(not_in_progress(other.as_ref())?),
    };
    let now = Utc::now();
    let deadline = add_time(&txn, &a, minutes, now, &format!("+{minutes} min: {reason}")).await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "proctor.extend",
        &format!("ticket:{}", t.id),
        serde_json::json!({
            "ticket_no": t.ticket_no,
            "minutes": minutes,
            "reason": reason,
            "deadline": deadline.to_rfc3339(),
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Gives every in-progress attempt of the room more time; returns how many it changed.
pub async fn grant_room(
    db: &DatabaseConnection,
    caller: &Caller,
    session_id: i64,
    room_id: i64,
    minutes_raw: i32,
    reason_raw: &str,
) -> Result<u32, AppError> {
    let reason = reason(reason_raw)?;
    let minutes = minutes(minutes_raw)?;
    let txn = begin_write(db).await?;
    room_in_scope(&txn, caller, session_id, room_id).await?;
    room_open(&txn, session_id, room_id).await?;
    // Locks in ticket order, as the writer takes them.
    let running = attempt::Entity::find()
        .filter(attempt::Column::SessionId.eq(session_id))
        .filter(attempt::Column::RoomId.eq(room_id))
        .filter(attempt::Column::Status.eq(AttemptStatus::InProgress.as_str()))
        .order_by_asc(attempt::Column::TicketId)
        .lock_exclusive()
        .all(&txn)
        .await?;
    if running.is_empty() {
        return Err(AppError::conflict(
            "room",
            crate::msg!(proctor.no_attempt_in_progress),
        ));
    }
    let now = Utc::now();
    let detail = format!("+{minutes} min (room): {reason}");
    for a in &running {
        add_time(&txn, a, minutes, now, &detail).await?;
    }
    let changed = u32::try_from(running.len()).unwrap_or(u32::MAX);
    record(
        &txn,
        &Actor::from(&caller.user),
        "proctor.grant_room",
        &format!("session:{session_id}/room:{room_id}"),
        serde_json::json!({
            "minutes": minutes,
            "reason": reason,
            "attempts": running.iter().map(|a| a.id).collect::<Vec<_>>(),
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(changed)
}

/// Collects a candidate's paper now.
pub async fn force_submit(
    db: &DatabaseConnection,
    caller: &Caller,
    ticket_no: &str,
    reason_raw: &str,
) -> Result<(), AppError> {
    let reason = reason(reason_raw)?;
    let txn = begin_write(db).await?;
    let t = ticket_in_scope(&txn, caller, ticket_no).await?;
    room_open(&txn, t.session_id, t.room_id).await?;
    let a = match locked_attempt(&txn, t.id).await? {
        Some(a) if status_of(&a)? == AttemptStatus::InProgress => a,
        other => return Err(not_in_progress(other.as_ref())?),
    };
    let now = Utc::now();
    if !close(&txn, &a, AttemptStatus::ForceSubmitted, now, &reason).await? {
        return Err(not_in_progress(Some(&a))?);
    }
    record(
        &txn,
        &Actor::from(&caller.user),
        "proctor.force_submit",
        &format!("ticket:{}", t.id),
        serde_json::json!({ "ticket_no": t.ticket_no, "reason": reason }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Records misconduct and, when asked, voids the attempt.
pub async fn misconduct(
    db: &DatabaseConnection,
    caller: &Caller,
    ticket_no: &str,
    category_raw: &str,
    description_raw: &str,
    void: bool,
) -> Result<(), AppError> {
    let category = MisconductCategory::parse(category_raw).ok_or_else(|| {
        AppError::invalid("category", crate::msg!(proctor.choose_misconduct_category))
    })?;
    let description = description_raw.trim();
    if description.is_empty() || description.chars().count() > MAX_DESCRIPTION {
        return Err(AppError::invalid(
            "description",
            crate::msg!(proctor.describe_misconduct, max = MAX_DESCRIPTION),
        ));
    }
    let txn = begin_write(db).await?;
    let t = ticket_in_scope(&txn, caller, ticket_no).await?;
    room_open(&txn, t.session_id, t.room_id).await?;
    let now = Utc::now();
    if void {
        let a = locked_attempt(&txn, t.id)
            .await?
            .ok_or_else(|| AppError::conflict("void", crate::msg!(proctor.nothing_to_void)))?;
        match status_of(&a)? {
            AttemptStatus::Voided => {
                return Err(crate::sitting::closed_error(AttemptStatus::Voided));
            }
            AttemptStatus::InProgress => {
                if !close(&txn, &a, AttemptStatus::Voided, now, description).await? {
                    return Err(not_in_progress(Some(&a))?);
                }
            }
            // A paper already handed in can still be voided for what the proctor saw.
            AttemptStatus::Submitted
            | AttemptStatus::AutoSubmitted
            | AttemptStatus::ForceSubmitted => {
                attempt::Entity::update_many()
                    .col_expr(
                        attempt::Column::Status,
                        Expr::value(AttemptStatus::Voided.as_str()),
                    )
                    .filter(attempt::Column::Id.eq(a.id))
                    .exec(&txn)
                    .await?;
                event(&txn, a.id, EventKind::Voided, now, description).await?;
            }
        }
    }
    misconduct::ActiveModel {
        ticket_id: Set(t.id),
        category: Set(category.as_str().to_owned()),
        description: Set(description.to_owned()),
        voided: Set(void),
        at: Set(now),
        by_name: Set(caller.user.display_name.clone()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        if void {
            "proctor.void"
        } else {
            "proctor.misconduct"
        },
        &format!("ticket:{}", t.id),
        serde_json::json!({
            "ticket_no": t.ticket_no,
            "category": category.as_str(),
            "description": description,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// The state of a ticket's seat.
async fn seat_state(
    conn: &impl ConnectionTrait,
    t: &ticket::Model,
    a: Option<&attempt::Model>,
) -> Result<SeatState, AppError> {
    if let Some(a) = a {
        return Ok(SeatState::of_attempt(status_of(a)?));
    }
    if live_candidates(conn, vec![t.candidate_id])
        .await?
        .contains(&t.candidate_id)
    {
        return Ok(SeatState::Waiting);
    }
    Ok(match check_in::Entity::find_by_id(t.id).one(conn).await? {
        Some(c) if c.present => SeatState::CheckedIn,
        Some(_) => SeatState::Absent,
        None => SeatState::Expected,
    })
}

/// The candidate's sign-ins on the ticket, from the audit log: when, from which address and
/// which browser.
async fn signed_in(
    conn: &impl ConnectionTrait,
    candidate_id: i64,
) -> Result<Vec<TimelineEntry>, AppError> {
    let Some(acc) = account::Entity::find()
        .filter(account::Column::CandidateId.eq(candidate_id))
        .one(conn)
        .await?
    else {
        return Ok(Vec::new());
    };
    let rows = audit_log::Entity::find()
        .filter(audit_log::Column::Action.eq("auth.ticket_login"))
        .filter(audit_log::Column::Target.eq(format!("account:{}", acc.id)))
        .order_by_asc(audit_log::Column::Seq)
        .all(conn)
        .await?;
    Ok(rows
        .into_iter()
        .map(|r| {
            let detail: serde_json::Value = serde_json::from_str(&r.detail).unwrap_or_default();
            let field = |k: &str| detail[k].as_str().unwrap_or_default().to_owned();
            TimelineEntry {
                at: r.at,
                kind: TimelineKind::SignedIn,
                detail: [field("ip"), field("browser")]
                    .into_iter()
                    .filter(|s| !s.is_empty())
                    .collect::<Vec<_>>()
                    .join(" · "),
            }
        })
        .collect())
}

/// A candidate's evidence timeline: sign-ins, check-in, the attempt's events, answers saved
/// per minute, misconduct records; oldest first.
pub async fn timeline(
    db: &DatabaseConnection,
    caller: &Caller,
    ticket_no: &str,
) -> Result<Timeline, AppError> {
    let t = ticket_in_scope(db, caller, ticket_no).await?;
    let a = attempt_of(db, t.id).await?;
    let name = names_of(db, vec![t.candidate_id])
        .await?
        .remove(&t.candidate_id)
        .unwrap_or_default();
    let mut entries = signed_in(db, t.candidate_id).await?;
    if let Some(c) = check_in::Entity::find_by_id(t.id).one(db).await? {
        entries.push(TimelineEntry {
            at: c.at,
            kind: if c.present {
                TimelineKind::CheckedIn
            } else {
                TimelineKind::MarkedAbsent
            },
            detail: c.by_name,
        });
    }
    if let Some(a) = &a {
        for e in attempt_event::Entity::find()
            .filter(attempt_event::Column::AttemptId.eq(a.id))
            .order_by_asc(attempt_event::Column::Id)
            .all(db)
            .await?
        {
            let kind = EventKind::parse(&e.kind).ok_or_else(|| corrupt("event kind", &e.kind))?;
            entries.push(TimelineEntry {
                at: e.at,
                kind: TimelineKind::Attempt(kind),
                detail: e.detail,
            });
        }
        let mut per_minute: BTreeMap<DateTime<Utc>, u32> = BTreeMap::new();
        for at in answer::Entity::find()
            .select_only()
            .column(answer::Column::SavedAt)
            .filter(answer::Column::AttemptId.eq(a.id))
            .into_tuple::<DateTime<Utc>>()
            .all(db)
            .await?
        {
            let minute = at
                .with_second(0)
                .and_then(|m| m.with_nanosecond(0))
                .unwrap_or(at);
            *per_minute.entry(minute).or_default() += 1;
        }
        for (at, n) in per_minute {
            entries.push(TimelineEntry {
                at,
                kind: TimelineKind::Saves,
                detail: n.to_string(),
            });
        }
    }
    for m in misconduct::Entity::find()
        .filter(misconduct::Column::TicketId.eq(t.id))
        .order_by_asc(misconduct::Column::Id)
        .all(db)
        .await?
    {
        let category = MisconductCategory::parse(&m.category)
            .ok_or_else(|| corrupt("misconduct category", &m.category))?;
        entries.push(TimelineEntry {
            at: m.at,
            kind: TimelineKind::Misconduct(category),
            detail: format!("{} ({})", m.description, m.by_name),
        });
    }
    entries.sort_by_key(|e| e.at);
    let state = seat_state(db, &t, a.as_ref()).await?;
    Ok(Timeline {
        ticket_no: t.ticket_no,
        name,
        seat: t.seat,
        state,
        client_ip: a.map(|a| a.client_ip),
        entries,
    })
}

/// The room record as stored, or pre-filled from check-in.
pub async fn record_view(
    db: &DatabaseConnection,
    caller: &Caller,
    session_id: i64,
    room_id: i64,
) -> Result<RoomRecordView, AppError> {
    let (room, tickets) = room_and_tickets(db, caller, session_id, room_id).await?;
    let ticket_ids: Vec<i64> = tickets.iter().map(|t| t.id).collect();
    let names = names_of(db, tickets.iter().map(|t| t.candidate_id).collect()).await?;
    let by_id: HashMap<i64, &ticket::Model> = tickets.iter().map(|t| (t.id, t)).collect();
    let mut misconduct_list = Vec::new();
    let mut extensions = Vec::new();
    let mut sat = HashSet::new();
    for chunk in ticket_ids.chunks(500) {
        for m in misconduct::Entity::find()
            .filter(misconduct::Column::TicketId.is_in(chunk.to_vec()))
            .order_by_asc(misconduct::Column::Id)
            .all(db)
            .await?
        {
            let Some(t) = by_id.get(&m.ticket_id) else {
                continue;
            };
            let category = MisconductCategory::parse(&m.category)
                .ok_or_else(|| corrupt("misconduct category", &m.category))?;
            let name = names.get(&t.candidate_id).cloned().unwrap_or_default();
            misconduct_list.push((t.seat, name, category, m.voided));
        }
        for a in attempt::Entity::find()
            .filter(attempt::Column::TicketId.is_in(chunk.to_vec()))
            .all(db)
            .await?
        {
            sat.insert(a.ticket_id);
            if a.extra_seconds > 0
                && let Some(t) = by_id.get(&a.ticket_id)
            {
                let name = names.get(&t.candidate_id).cloned().unwrap_or_default();
                extensions.push((t.seat, name, a.extra_seconds / 60));
            }
        }
    }
    extensions.sort();
    let stored = room_record::Entity::find_by_id((session_id, room_id))
        .one(db)
        .await?;
    let (present, absent, incidents, signatures, submitted_at, submitted_by) = match stored {
        Some(r) => (
            r.present,
            r.absent,
            r.incidents,
            r.signatures,
            r.submitted_at,
            r.submitted_by,
        ),
        None => {
            // Present: checked in or started; absent: everyone else.
            for chunk in ticket_ids.chunks(500) {
                for c in check_in::Entity::find()
                    .filter(check_in::Column::TicketId.is_in(chunk.to_vec()))
                    .filter(check_in::Column::Present.eq(true))
                    .all(db)
                    .await?
                {
                    sat.insert(c.ticket_id);
                }
            }
            let present = i32::try_from(sat.len()).unwrap_or(i32::MAX);
            let absent = i32::try_from(tickets.len()).unwrap_or(i32::MAX) - present;
            (
                present,
                absent,
                String::new(),
                room.proctors.join("\n"),
                None,
                None,
            )
        }
    };
    Ok(RoomRecordView {
        room,
        present,
        absent,
        incidents,
        signatures,
        submitted_at,
        submitted_by,
        misconduct: misconduct_list,
        extensions,
    })
}

/// The room record as the form sends it.
#[derive(Clone, Debug)]
pub struct RecordInput {
    pub present: i32,
    pub absent: i32,
    pub incidents: String,
    pub signatures: String,
    pub submit: bool,
}

/// Saves (and, when asked, submits and locks) the room record.
pub async fn save_record(
    db: &DatabaseConnection,
    caller: &Caller,
    session_id: i64,
    room_id: i64,
    input: RecordInput,
) -> Result<(), AppError> {
    let incidents = input.incidents.trim().to_owned();
    let signatures: Vec<String> = input
        .signatures
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect();
    if incidents.chars().count() > 5000 {
        return Err(AppError::invalid(
            "incidents",
            crate::msg!(proctor.incidents_too_long),
        ));
    }
    if signatures.iter().any(|s| s.chars().count() > 64) || signatures.len() > MAX_PROCTORS {
        return Err(AppError::invalid(
            "signatures",
            crate::msg!(proctor.signatures_one_per_line, max = MAX_PROCTORS),
        ));
    }
    if input.submit && signatures.is_empty() {
        return Err(AppError::invalid(
            "signatures",
            crate::msg!(proctor.sign_before_submitting),
        ));
    }
    let txn = begin_write(db).await?;
    room_in_scope(&txn, caller, session_id, room_id).await?;
    let total = ticket::Entity::find()
        .filter(ticket::Column::SessionId.eq(session_id))
        .filter(ticket::Column::RoomId.eq(room_id))
        .count(&txn)
        .await?;
    let total = i64::try_from(total).unwrap_or(i64::MAX);
    if input.present < 0
        || input.absent < 0
        || i64::from(input.present) + i64::from(input.absent) != total
    {
        return Err(AppError::invalid(
            "present",
            crate::msg!(proctor.present_and_absent_add_up, total = total),
        ));
    }
    let existing = room_record::Entity::find_by_id((session_id, room_id))
        .lock_exclusive()
        .one(&txn)
        .await?;
    if existing.as_ref().is_some_and(|r| r.submitted_at.is_some()) {
        return Err(AppError::conflict(
            "room",
            crate::msg!(proctor.room_record_submitted),
        ));
    }
    let now = Utc::now();
    if input.submit {
        let running = attempt::Entity::find()
            .filter(attempt::Column::SessionId.eq(session_id))
            .filter(attempt::Column::RoomId.eq(room_id))
            .filter(attempt::Column::Status.eq(AttemptStatus::InProgress.as_str()))
            .count(&txn)
            .await?;
        if running > 0 {
            return Err(AppError::conflict(
                "submit",
                crate::msg!(proctor.attempts_still_in_progress, count = running),
            ));
        }
    }
    let row = room_record::ActiveModel {
        session_id: Set(session_id),
        room_id: Set(room_id),
        present: Set(input.present),
        absent: Set(input.absent),
        incidents: Set(incidents.clone()),
        signatures: Set(signatures.join("\n")),
        updated_at: Set(now),
        submitted_at: Set(input.submit.then_some(now)),
        submitted_by: Set(input.submit.then(|| caller.user.display_name.clone())),
    };
    if existing.is_some() {
        row.update(&txn).await?;
    } else {
        row.insert(&txn).await?;
    }
    record(
        &txn,
        &Actor::from(&caller.user),
        if input.submit {
            "proctor.record_submit"
        } else {
            "proctor.record_save"
        },
        &format!("session:{session_id}/room:{room_id}"),
        serde_json::json!({
            "present": input.present,
            "absent": input.absent,
            "incidents": incidents,
            "signatures": signatures,
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
    fn the_grant_proposal_is_the_median_silence_when_most_of_the_room_fell_silent() {
        // 4 of 6 silent for about 7 minutes: propose 7 (rounded up).
        assert_eq!(proposed_grant(&[400, 410, 420, 1000], 6), Some(7));
        // 2 of 6: a couple of flaky laptops, not an outage.
        assert_eq!(proposed_grant(&[400, 420], 6), None);
        assert_eq!(proposed_grant(&[], 0), None);
        assert_eq!(proposed_grant(&[100], 1), Some(2));
    }

    #[test]
    fn a_reason_is_required_and_bounded() {
        assert!(reason("  ").is_err());
        assert_eq!(reason(" 停电 ").ok().as_deref(), Some("停电"));
        assert!(reason(&"字".repeat(501)).is_err());
        assert_eq!(
            reason("").err().and_then(|e| e.field().map(str::to_owned)),
            Some("reason".to_owned())
        );
    }
}
