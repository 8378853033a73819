//! Services behind exam batches: forming, scheduling (seats and ticket numbers), printing
//! admission tickets with fresh one-time access codes, and room rosters.

use std::collections::HashMap;

use chrono::{Datelike, NaiveDateTime, TimeZone, Utc};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use sha2::{Digest, Sha256};

use super::{
    BatchDetail, BatchSummary, PrintedTicket, RoomRoster, RoomView, RosterLine, SessionView,
    china_time,
};
use crate::{
    audit::ssr::{Actor, record},
    auth::ssr::hash_access_codes,
    error::{AppError, Text},
    home::ssr::notify_agency_officers,
    plans::{
        PlanStatus, PlanStep,
        ssr::{mask, move_plan, status_of, summary_of},
    },
    procedure::{AccessCode, ExamRoom, SeatCandidate, TicketNumber, allocate_seats},
    roles::Role,
    ssr::{
        Caller, begin_write,
        entities::{agency, batch, batch_plan, exam_session, plan, plan_candidate, room, ticket},
        serialize_on,
    },
};

const DRAFT: &str = "draft";
const SCHEDULED: &str = "scheduled";

/// The exam's kind as shown to candidates, in every locale.
pub(crate) fn kind_label(kind: &str, field: Option<&str>) -> Text {
    match (kind, field) {
        ("professional", Some(f)) => crate::msg!(batches.kind_professional_in, field = f),
        _ => crate::msg!(batches.kind_general),
    }
}

pub(crate) async fn find(conn: &impl ConnectionTrait, id: i64) -> Result<batch::Model, AppError> {
    batch::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

pub(crate) async fn plans_of(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<Vec<plan::Model>, AppError> {
    let ids: Vec<i64> = batch_plan::Entity::find()
        .filter(batch_plan::Column::BatchId.eq(batch_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|bp| bp.plan_id)
        .collect();
    plan::Entity::find()
        .filter(plan::Column::Id.is_in(ids))
        .order_by_asc(plan::Column::Id)
        .all(conn)
        .await
        .map_err(AppError::from)
}

pub(crate) async fn candidates_of(
    conn: &impl ConnectionTrait,
    plans: &[plan::Model],
) -> Result<Vec<plan_candidate::Model>, AppError> {
    plan_candidate::Entity::find()
        .filter(plan_candidate::Column::PlanId.is_in(plans.iter().map(|p| p.id)))
        .order_by_asc(plan_candidate::Column::Id)
        .all(conn)
        .await
        .map_err(AppError::from)
}

async fn sessions_of(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<Vec<exam_session::Model>, AppError> {
    exam_session::Entity::find()
        .filter(exam_session::Column::BatchId.eq(batch_id))
        .order_by_asc(exam_session::Column::Seq)
        .all(conn)
        .await
        .map_err(AppError::from)
}

async fn rooms_of(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<Vec<room::Model>, AppError> {
    room::Entity::find()
        .filter(room::Column::BatchId.eq(batch_id))
        .order_by_asc(room::Column::Seq)
        .all(conn)
        .await
        .map_err(AppError::from)
}

/// Every agency's name by id.
pub(crate) async fn agency_names(
    conn: &impl ConnectionTrait,
) -> Result<HashMap<i32, String>, AppError> {
    Ok(agency::Entity::find()
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.id, a.name))
        .collect())
}

/// Whether the caller may see the batch.
async fn may_see(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    b: &batch::Model,
) -> Result<bool, AppError> {
    Ok(match caller.user.role {
        Role::OfficeAdmin => true,
        Role::Proctor => b.status != DRAFT,
        Role::AgencyOfficer => {
            let own = caller.user.agency.as_ref().map(|a| a.id);
            plans_of(conn, b.id)
                .await?
                .iter()
                .any(|p| Some(p.agency_id) == own)
        }
        _ => false,
    })
}

async fn visible(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    id: i64,
) -> Result<batch::Model, AppError> {
    let b = find(conn, id).await?;
    if may_see(conn, caller, &b).await? {
        Ok(b)
    } else {
        Err(AppError::NotFound)
    }
}

async fn summary(conn: &impl ConnectionTrait, b: &batch::Model) -> Result<BatchSummary, AppError> {
    let plans = plans_of(conn, b.id).await?;
    let candidates = candidates_of(conn, &plans).await?.len() as u64;
    let sessions = sessions_of(conn, b.id).await?.len() as u64;
    let capacity: u64 = rooms_of(conn, b.id)
        .await?
        .iter()
        .map(|r| r.capacity.max(0) as u64)
        .sum();
    Ok(BatchSummary {
        id: b.id,
        name: b.name.clone(),
        exam_kind: b.exam_kind.clone(),
        field: b.field.clone(),
        status: b.status.clone(),
        candidates,
        seats: capacity * sessions,
    })
}

/// Batches the caller may see, newest first.
#[tracing::instrument(skip_all)]
pub async fn list(
    conn: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<Vec<BatchSummary>, AppError> {
    let mut out = Vec::new();
    for b in batch::Entity::find()
        .order_by_desc(batch::Column::Id)
        .all(conn)
        .await?
    {
        if may_see(conn, caller, &b).await? {
            out.push(summary(conn, &b).await?);
        }
    }
    Ok(out)
}

fn session_view(s: &exam_session::Model) -> SessionView {
    SessionView {
        id: s.id,
        seq: s.seq,
        starts_at: s.starts_at,
        duration_minutes: s.duration_minutes,
        late_entry_minutes: s.late_entry_minutes,
    }
}

fn room_view(r: &room::Model) -> RoomView {
    RoomView {
        id: r.id,
        seq: r.seq,
        venue: r.venue.clone(),
        name: r.name.clone(),
        address: r.address.clone(),
        capacity: r.capacity,
    }
}

/// A batch with its plans, sessions and rooms.
#[tracing::instrument(skip_all)]
pub async fn detail(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    id: i64,
) -> Result<BatchDetail, AppError> {
    let b = visible(conn, caller, id).await?;
    let mut plans = Vec::new();
    for p in plans_of(conn, id).await? {
        plans.push(summary_of(conn, &p).await?);
    }
    let mut approved = Vec::new();
    if caller.user.role == Role::OfficeAdmin && b.status == DRAFT {
        let taken: Vec<i64> = batch_plan::Entity::find()
            .all(conn)
            .await?
            .into_iter()
            .map(|bp| bp.plan_id)
            .collect();
        let mut q = plan::Entity::find()
            .filter(plan::Column::Status.eq(PlanStatus::Approved.as_str()))
            .filter(plan::Column::ExamKind.eq(b.exam_kind.as_str()))
            .filter(plan::Column::Id.is_not_in(taken));
        if let Some(field) = &b.field {
            q = q.filter(plan::Column::Field.eq(field.as_str()));
        }
        for p in q.order_by_asc(plan::Column::Id).all(conn).await? {
            approved.push(summary_of(conn, &p).await?);
        }
    }
    let tickets = ticket::Entity::find()
        .filter(ticket::Column::BatchId.eq(id))
        .count(conn)
        .await?;
    Ok(BatchDetail {
        summary: summary(conn, &b).await?,
        plans,
        sessions: sessions_of(conn, id)
            .await?
            .iter()
            .map(session_view)
            .collect(),
        rooms: rooms_of(conn, id).await?.iter().map(room_view).collect(),
        approved,
        tickets,
    })
}

/// Creates a draft batch numbered within its year.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    name: &str,
    kind: &str,
    field: &str,
) -> Result<i64, AppError> {
    let name = name.trim();
    if !(2..=100).contains(&name.chars().count()) {
        return Err(AppError::invalid(
            "name",
            crate::msg!(batches.give_batch_name_of_2_100),
        ));
    }
    let (kind, field) = match (kind, field.trim()) {
        ("general", _) => ("general", None),
        ("professional", f) if !f.is_empty() => {
            ("professional", Some(f.chars().take(32).collect::<String>()))
        }
        ("professional", _) => {
            return Err(AppError::invalid(
                "field",
                crate::msg!(batches.professional_batch_needs_its_enforcement_field),
            ));
        }
        _ => {
            return Err(AppError::invalid(
                "exam_kind",
                crate::msg!(batches.choose_exam_kind),
            ));
        }
    };
    let year = Utc::now().with_timezone(&china_time()).year();
    let txn = begin_write(db).await?;
    // The next number of the year, decided under a lock so simultaneous creations get
    // distinct numbers (the unique index on (year, seq) stays as the backstop).
    serialize_on(&txn, &format!("batch.seq:{year}")).await?;
    let seq = batch::Entity::find()
        .filter(batch::Column::Year.eq(year))
        .select_only()
        .column_as(batch::Column::Seq.max(), "max_seq")
        .into_tuple::<Option<i32>>()
        .one(&txn)
        .await?
        .flatten()
        .unwrap_or(0)
        + 1;
    if seq > 999 {
        return Err(AppError::conflict(
            "name",
            crate::msg!(batches.this_year_has_999_batches_already),
        ));
    }
    let mut secret = [0u8; 32];
    rand::rng().fill_bytes(&mut secret);
    let b = batch::ActiveModel {
        name: Set(name.to_owned()),
        exam_kind: Set(kind.to_owned()),
        field: Set(field),
        status: Set(DRAFT.to_owned()),
        year: Set(year),
        seq: Set(seq),
        secret_seed: Set(hex::encode(secret)),
        created_at: Set(Utc::now()),
        scheduled_at: Set(None),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "batch.create",
        &format!("batch:{}", b.id),
        serde_json::json!({ "name": name, "year": year, "seq": seq }),
    )
    .await?;
    txn.commit().await?;
    Ok(b.id)
}

pub(crate) async fn find_draft(
    conn: &impl ConnectionTrait,
    id: i64,
) -> Result<batch::Model, AppError> {
    let b = find(conn, id).await?;
    if b.status == DRAFT {
        Ok(b)
    } else {
        Err(AppError::conflict(
            "batch",
            crate::msg!(batches.batch_is_scheduled_plans_sessions_and),
        ))
    }
}

/// Includes an approved plan of the batch's kind.
#[tracing::instrument(skip_all)]
pub async fn include_plan(
    db: &DatabaseConnection,
    caller: &Caller,
    batch_id: i64,
    plan_id: i64,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let b = find_draft(&txn, batch_id).await?;
    let p = plan::Entity::find_by_id(plan_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if status_of(&p)? != PlanStatus::Approved || p.exam_kind != b.exam_kind || p.field != b.field {
        return Err(AppError::conflict(
            "plan_id",
            crate::msg!(batches.only_approved_plan_of_batch_s),
        ));
    }
    if batch_plan::Entity::find()
        .filter(batch_plan::Column::PlanId.eq(plan_id))
        .count(&txn)
        .await?
        > 0
    {
        return Err(AppError::conflict(
            "plan_id",
            crate::msg!(batches.plan_is_in_batch_already),
        ));
    }
    batch_plan::ActiveModel {
        batch_id: Set(batch_id),
        plan_id: Set(plan_id),
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "batch.include_plan",
        &format!("batch:{batch_id}"),
        serde_json::json!({ "plan": plan_id }),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

/// Adds a session; the start is Beijing time.
#[tracing::instrument(skip_all)]
pub async fn add_session(
    db: &DatabaseConnection,
    caller: &Caller,
    batch_id: i64,
    starts_at: &str,
    duration: i32,
    late: i32,
) -> Result<(), AppError> {
    let local =
        NaiveDateTime::parse_from_str(starts_at.trim(), "%Y-%m-%dT%H:%M").map_err(|_| {
            AppError::invalid(
                "starts_at",
                crate::msg!(batches.write_start_as_2026_12_20t09),
            )
        })?;
    let start = china_time()
        .from_local_datetime(&local)
        .single()
        .ok_or_else(|| AppError::invalid("starts_at", crate::msg!(batches.start_time_is_invalid)))?
        .with_timezone(&Utc);
    if start <= Utc::now() {
        return Err(AppError::invalid(
            "starts_at",
            crate::msg!(batches.session_must_start_in_future),
        ));
    }
    if !(10..=480).contains(&duration) {
        return Err(AppError::invalid(
            "duration_minutes",
            crate::msg!(batches.duration_must_be_10_480_minutes),
        ));
    }
    if !(0..=duration).contains(&late) {
        return Err(AppError::invalid(
            "late_entry_minutes",
            crate::msg!(batches.late_entry_cut_off_must_lie),
        ));
    }
    let txn = begin_write(db).await?;
    find_draft(&txn, batch_id).await?;
    let seq = sessions_of(&txn, batch_id).await?.len() as i32 + 1;
    if seq > 99 {
        return Err(AppError::conflict(
            "starts_at",
            crate::msg!(batches.batch_has_at_most_99_sessions),
        ));
    }
    exam_session::ActiveModel {
        batch_id: Set(batch_id),
        seq: Set(seq),
        starts_at: Set(start),
        duration_minutes: Set(duration),
        late_entry_minutes: Set(late),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "batch.add_session",
        &format!("batch:{batch_id}"),
        serde_json::json!({ "seq": seq, "starts_at": start.to_rfc3339() }),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

/// Adds a room with 1–99 seats.
#[tracing::instrument(skip_all)]
pub async fn add_room(
    db: &DatabaseConnection,
    caller: &Caller,
    batch_id: i64,
    venue: &str,
    name: &str,
    address: &str,
    capacity: i32,
) -> Result<(), AppError> {
    let (venue, name, address) = (venue.trim(), name.trim(), address.trim());
    if venue.is_empty() || venue.chars().count() > 100 {
        return Err(AppError::invalid(
            "venue",
            crate::msg!(batches.give_venue_at_most_100_characters),
        ));
    }
    if name.is_empty() || name.chars().count() > 64 {
        return Err(AppError::invalid(
            "name",
            crate::msg!(batches.give_room_name_e_g_room),
        ));
    }
    if !(1..=99).contains(&capacity) {
        return Err(AppError::invalid(
            "capacity",
            crate::msg!(batches.room_has_1_99_seats),
        ));
    }
    let txn = begin_write(db).await?;
    find_draft(&txn, batch_id).await?;
    let seq = rooms_of(&txn, batch_id).await?.len() as i32 + 1;
    if seq > 999 {
        return Err(AppError::conflict(
            "name",
            crate::msg!(batches.batch_has_at_most_999_rooms),
        ));
    }
    room::ActiveModel {
        batch_id: Set(batch_id),
        seq: Set(seq),
        venue: Set(venue.to_owned()),
        name: Set(name.to_owned()),
        address: Set(address.chars().take(200).collect()),
        capacity: Set(capacity),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "batch.add_room",
        &format!("batch:{batch_id}"),
        serde_json::json!({ "room": name, "capacity": capacity }),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

/// Seats every candidate and issues ticket numbers; reschedules a scheduled batch until its
/// first session starts. Returns the number of tickets.
#[tracing::instrument(skip_all)]
pub async fn schedule(
    db: &DatabaseConnection,
    caller: &Caller,
    batch_id: i64,
) -> Result<u64, AppError> {
    let actor = Actor::from(&caller.user);
    let txn = begin_write(db).await?;
    let b = find(&txn, batch_id).await?;
    let sessions = sessions_of(&txn, batch_id).await?;
    let rescheduling = b.status == SCHEDULED;
    if rescheduling && sessions.iter().any(|s| s.starts_at <= Utc::now()) {
        return Err(AppError::conflict(
            "batch",
            crate::msg!(batches.exam_has_started_it_cannot_be),
        ));
    }
    if b.status != DRAFT && !rescheduling {
        return Err(AppError::conflict(
            "batch",
            crate::msg!(batches.batch_cannot_be_scheduled_in_its),
        ));
    }
    let plans = plans_of(&txn, batch_id).await?;
    let rooms = rooms_of(&txn, batch_id).await?;
    if plans.is_empty() || sessions.is_empty() || rooms.is_empty() {
        return Err(AppError::conflict(
            "batch",
            crate::msg!(batches.include_plan_and_add_sessions_and),
        ));
    }
    let candidates = candidates_of(&txn, &plans).await?;
    let agency_of: HashMap<i64, i32> = plans.iter().map(|p| (p.id, p.agency_id)).collect();
    let seats: u64 = rooms.iter().map(|r| r.capacity as u64).sum::<u64>() * sessions.len() as u64;
    if candidates.len() as u64 > seats {
        let missing = candidates.len() as u64 - seats;
        return Err(AppError::conflict(
            "capacity",
            crate::msg!(
                batches.not_enough_seats_len_candidates_seats,
                len = candidates.len(),
                seats = seats,
                missing = missing
            ),
        ));
    }
    // Every (session, room) pair is a place to seat people; its id encodes both.
    let exam_rooms: Vec<ExamRoom> = sessions
        .iter()
        .flat_map(|s| {
            rooms.iter().map(move |r| ExamRoom {
                id: s.id * 10_000 + i64::from(r.seq),
                capacity: r.capacity as u32,
            })
        })
        .collect();
    let seat_candidates: Vec<SeatCandidate> = candidates
        .iter()
        .map(|c| SeatCandidate {
            id: c.id,
            agency: agency_of.get(&c.plan_id).copied().unwrap_or(0),
        })
        .collect();
    let secret = hex::decode(&b.secret_seed).map_err(|_| AppError::Internal)?;
    let mut h = Sha256::new();
    h.update(&secret);
    h.update(b"seats");
    let seed: [u8; 32] = h.finalize().into();
    let plan = allocate_seats(&seat_candidates, &exam_rooms, seed)
        .map_err(|e| AppError::conflict("capacity", crate::bank::text_of(&e)))?;
    // Checks the blueprint against the bank and freezes the snapshot; drops old papers.
    crate::papers::ssr::freeze(&txn, &b).await?;
    ticket::Entity::delete_many()
        .filter(ticket::Column::BatchId.eq(batch_id))
        .exec(&txn)
        .await?;
    let now = Utc::now();
    let mut rows = Vec::with_capacity(plan.len());
    for a in plan.assignments() {
        let (session_id, room_seq) = (a.room / 10_000, (a.room % 10_000) as i32);
        let session = sessions
            .iter()
            .find(|s| s.id == session_id)
            .ok_or(AppError::Internal)?;
        let room = rooms
            .iter()
            .find(|r| r.seq == room_seq)
            .ok_or(AppError::Internal)?;
        let no = TicketNumber::new(
            b.year as u32,
            b.seq as u32,
            session.seq as u32,
            room.seq as u32,
            a.seat,
        )
        .map_err(|e| {
            tracing::error!("batches: ticket number: {e}");
            AppError::Internal
        })?;
        rows.push(ticket::ActiveModel {
            batch_id: Set(batch_id),
            session_id: Set(session.id),
            room_id: Set(room.id),
            seat: Set(a.seat as i32),
            candidate_id: Set(a.candidate),
            ticket_no: Set(no.as_string()),
            access_code_hash: Set(None),
            created_at: Set(now),
            printed_at: Set(None),
            ..Default::default()
        });
    }
    let count = rows.len() as u64;
    for chunk in rows.chunks(500) {
        ticket::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    let mut am: batch::ActiveModel = b.clone().into();
    am.status = Set(SCHEDULED.to_owned());
    am.scheduled_at = Set(Some(now));
    am.update(&txn).await?;
    for p in &plans {
        if status_of(p)? != PlanStatus::Scheduled {
            move_plan(&txn, p.clone(), PlanStep::Schedule, &b.name, &actor).await?;
        }
        notify_agency_officers(
            &txn,
            p.agency_id,
            "batch.scheduled",
            &crate::msg!(batches.batch_name_is_scheduled_print_your, name = b.name),
            Some(&format!("/batches/{batch_id}/tickets")),
        )
        .await?;
    }
    record(
        &txn,
        &actor,
        if rescheduling {
            "batch.reschedule"
        } else {
            "batch.schedule"
        },
        &format!("batch:{batch_id}"),
        serde_json::json!({ "tickets": count, "seats": seats }),
    )
    .await?;
    txn.commit().await?;
    Ok(count)
}

/// Issues fresh access codes for the caller's tickets and returns them printable.
#[tracing::instrument(skip_all)]
pub async fn print_tickets(
    db: &DatabaseConnection,
    caller: &Caller,
    batch_id: i64,
) -> Result<Vec<PrintedTicket>, AppError> {
    let b = visible(db, caller, batch_id).await?;
    if b.status == DRAFT {
        return Err(AppError::conflict(
            "batch",
            crate::msg!(batches.batch_is_not_scheduled_yet),
        ));
    }
    let own_agency = match caller.user.role {
        Role::AgencyOfficer => Some(
            caller
                .user
                .agency
                .as_ref()
                .map(|a| a.id)
                .ok_or(AppError::Forbidden)?,
        ),
        _ => None,
    };
    let plans: Vec<plan::Model> = plans_of(db, batch_id)
        .await?
        .into_iter()
        .filter(|p| own_agency.is_none_or(|a| a == p.agency_id))
        .collect();
    let candidates: HashMap<i64, plan_candidate::Model> = candidates_of(db, &plans)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let agency_names = agency_names(db).await?;
    let plan_agency: HashMap<i64, i32> = plans.iter().map(|p| (p.id, p.agency_id)).collect();
    let sessions: HashMap<i64, exam_session::Model> = sessions_of(db, batch_id)
        .await?
        .into_iter()
        .map(|s| (s.id, s))
        .collect();
    let rooms: HashMap<i64, room::Model> = rooms_of(db, batch_id)
        .await?
        .into_iter()
        .map(|r| (r.id, r))
        .collect();
    let tickets: Vec<ticket::Model> = ticket::Entity::find()
        .filter(ticket::Column::BatchId.eq(batch_id))
        .filter(ticket::Column::CandidateId.is_in(candidates.keys().copied()))
        .order_by_asc(ticket::Column::TicketNo)
        .all(db)
        .await?;
    let codes: Vec<AccessCode> = tickets
        .iter()
        .map(|_| AccessCode::generate(&mut rand::rng()))
        .collect();
    let hashes = hash_access_codes(codes.iter().map(|c| c.as_str().to_owned()).collect()).await?;
    let issued = tickets
        .iter()
        .cloned()
        .zip(codes)
        .zip(hashes)
        .map(|((t, c), h)| (t, c, h));
    let txn = begin_write(db).await?;
    let now = Utc::now();
    let exam = kind_label(&b.exam_kind, b.field.as_deref());
    let mut out = Vec::with_capacity(tickets.len());
    for (t, code, hash) in issued {
        let mut am: ticket::ActiveModel = t.clone().into();
        am.access_code_hash = Set(Some(hash));
        am.printed_at = Set(Some(now));
        am.update(&txn).await?;
        let c = candidates.get(&t.candidate_id).ok_or(AppError::Internal)?;
        let s = sessions.get(&t.session_id).ok_or(AppError::Internal)?;
        let r = rooms.get(&t.room_id).ok_or(AppError::Internal)?;
        let no = TicketNumber::parse(&t.ticket_no)
            .map(|n| n.grouped())
            .unwrap_or_else(|_| t.ticket_no.clone());
        out.push(PrintedTicket {
            name: c.name.clone(),
            resident_id: mask(&c.resident_id, 6, 4),
            agency: plan_agency
                .get(&c.plan_id)
                .and_then(|a| agency_names.get(a))
                .cloned()
                .unwrap_or_default(),
            ticket_no: no,
            access_code: code.to_string(),
            exam: exam.clone(),
            starts_at: s.starts_at,
            duration_minutes: s.duration_minutes,
            late_entry_minutes: s.late_entry_minutes,
            venue: r.venue.clone(),
            address: r.address.clone(),
            room: r.name.clone(),
            seat: t.seat,
        });
    }
    record(
        &txn,
        &Actor::from(&caller.user),
        "batch.print_tickets",
        &format!("batch:{batch_id}"),
        serde_json::json!({ "tickets": out.len(), "agency": own_agency }),
    )
    .await?;
    txn.commit().await?;
    Ok(out)
}

/// The rosters of every room in every session, by seat.
#[tracing::instrument(skip_all)]
pub async fn rosters(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<Vec<RoomRoster>, AppError> {
    let b = find(conn, batch_id).await?;
    if b.status == DRAFT {
        return Err(AppError::conflict(
            "batch",
            crate::msg!(batches.batch_is_not_scheduled_yet_2),
        ));
    }
    let plans = plans_of(conn, batch_id).await?;
    let agency_names = agency_names(conn).await?;
    let plan_agency: HashMap<i64, i32> = plans.iter().map(|p| (p.id, p.agency_id)).collect();
    let candidates: HashMap<i64, plan_candidate::Model> = candidates_of(conn, &plans)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let tickets = ticket::Entity::find()
        .filter(ticket::Column::BatchId.eq(batch_id))
        .order_by_asc(ticket::Column::Seat)
        .all(conn)
        .await?;
    let mut out = Vec::new();
    for s in sessions_of(conn, batch_id).await? {
        for r in rooms_of(conn, batch_id).await? {
            let lines: Vec<RosterLine> = tickets
                .iter()
                .filter(|t| t.session_id == s.id && t.room_id == r.id)
                .filter_map(|t| {
                    let c = candidates.get(&t.candidate_id)?;
                    Some(RosterLine {
                        seat: t.seat,
                        name: c.name.clone(),
                        resident_id: mask(&c.resident_id, 6, 4),
                        agency: plan_agency
                            .get(&c.plan_id)
                            .and_then(|a| agency_names.get(a))
                            .cloned()
                            .unwrap_or_default(),
                        ticket_no: t.ticket_no.clone(),
                    })
                })
                .collect();
            if !lines.is_empty() {
                out.push(RoomRoster {
                    session: session_view(&s),
                    room: room_view(&r),
                    lines,
                });
            }
        }
    }
    Ok(out)
}
