//! Group commit: the writer that stores attempts' starts, saves and submissions.
//!
//! Requests queue their job on a lane and wait. A lane takes every job waiting (up to
//! [`MAX_BATCH`]), decides each under the attempts' row locks in one write transaction, commits
//! once and only then answers each request — with its own outcome: one candidate's refused
//! save does not fail another's. While a commit is on disk the next jobs gather, so the batch
//! grows with the load and a lone save is not delayed. SQLite has one lane (it has one writer
//! anyway); PostgreSQL has several, a job's lane chosen by its attempt or ticket, so one
//! attempt's saves stay in order on one lane.
//!
//! Nothing here is shared state: the decisions are made in the database, under its locks, so
//! several server processes may each run their own writer on one PostgreSQL database.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait,
    ActiveValue::NotSet,
    ColumnTrait, DatabaseConnection, DatabaseTransaction, DbBackend, EntityTrait, IntoActiveModel,
    JoinType, QueryFilter, QueryOrder, QuerySelect, Set,
    sea_query::{Alias, Expr, ExprTrait, OnConflict},
};
use tokio::sync::{mpsc, oneshot};

use super::{SittingConfig, chrono, closed_error, event, status_of};
use crate::{
    error::AppError,
    roles::Role,
    sitting::{AnswerSave, AttemptStatus, ClientEvent, EventKind, SaveAck},
    ssr::{
        begin_write,
        entities::{account, answer, attempt, attempt_event, session, ticket},
    },
};

/// Most jobs one transaction takes.
pub const MAX_BATCH: usize = 512;
/// Jobs that may wait on one lane before new requests wait to queue.
const LANE_CAPACITY: usize = 20_000;

/// Start an attempt for a ticket (the window and the paper were checked by the caller).
#[derive(Debug)]
pub struct StartJob {
    pub ticket_id: i64,
    pub batch_id: i64,
    pub session_id: i64,
    pub room_id: i64,
    pub item_count: i32,
    pub deadline: DateTime<Utc>,
    pub ip: String,
}

/// Store changed answers and integrity signals of one candidate's attempt. The request itself
/// reads nothing from the database: the writer checks the session and finds the candidate's
/// attempt for the whole batch of saves at once.
#[derive(Debug)]
pub struct SaveJob {
    /// The SHA-256 (hex) of the request's session token.
    pub session: String,
    /// When the request arrived: the deadline is judged by it, not by when its batch commits.
    pub received: DateTime<Utc>,
    pub ip: String,
    pub answers: Vec<AnswerSave>,
    pub events: Vec<ClientEvent>,
}

enum Job {
    Start(StartJob, oneshot::Sender<Result<i64, AppError>>),
    Save(SaveJob, oneshot::Sender<Result<SaveAck, AppError>>),
    Submit(i64, oneshot::Sender<Result<(), AppError>>),
}

/// The handle requests queue their jobs on (cheap to clone).
#[derive(Clone)]
pub struct Writer {
    lanes: Arc<Vec<mpsc::Sender<Job>>>,
    config: SittingConfig,
}

impl std::fmt::Debug for Writer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Writer")
            .field("lanes", &self.lanes.len())
            .finish()
    }
}

impl Writer {
    /// Spawns the lanes on the current runtime.
    pub fn spawn(db: DatabaseConnection, config: SittingConfig) -> Writer {
        let count = match db.get_database_backend() {
            DbBackend::Postgres => 4,
            _ => 1,
        };
        let lanes = (0..count)
            .map(|_| {
                let (tx, rx) = mpsc::channel(LANE_CAPACITY);
                tokio::spawn(run(db.clone(), config.clone(), rx));
                tx
            })
            .collect();
        Writer {
            lanes: Arc::new(lanes),
            config,
        }
    }

    /// The sitting policy.
    pub fn config(&self) -> &SittingConfig {
        &self.config
    }

    async fn queue<T>(
        &self,
        key: i64,
        job: impl FnOnce(oneshot::Sender<Result<T, AppError>>) -> Job,
    ) -> Result<T, AppError> {
        let lane =
            &self.lanes[usize::try_from(key.rem_euclid(self.lanes.len() as i64)).unwrap_or(0)];
        let (tx, rx) = oneshot::channel();
        if lane.send(job(tx)).await.is_err() {
            tracing::error!("the answer writer has stopped");
            return Err(AppError::Internal);
        }
        rx.await.map_err(|_| {
            tracing::error!("the answer writer dropped a job");
            AppError::Internal
        })?
    }

    /// Starts the ticket's attempt (or finds the one started): its id.
    pub async fn start(&self, job: StartJob) -> Result<i64, AppError> {
        self.queue(job.ticket_id, |tx| Job::Start(job, tx)).await
    }

    /// Saves; answered after the commit. A session's saves always take the same lane.
    pub async fn save(&self, job: SaveJob) -> Result<SaveAck, AppError> {
        let key = job
            .session
            .get(..15)
            .and_then(|head| i64::from_str_radix(head, 16).ok())
            .unwrap_or(0);
        self.queue(key, |tx| Job::Save(job, tx)).await
    }

    /// Submits (idempotent); answered after the commit.
    pub async fn submit(&self, attempt_id: i64) -> Result<(), AppError> {
        self.queue(attempt_id, |tx| Job::Submit(attempt_id, tx))
            .await
    }
}

async fn run(db: DatabaseConnection, config: SittingConfig, mut rx: mpsc::Receiver<Job>) {
    while let Some(first) = rx.recv().await {
        let mut jobs = vec![first];
        while jobs.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => jobs.push(job),
                Err(_) => break,
            }
        }
        commit_batch(&db, &config, jobs).await;
    }
}

/// Runs one batch in one transaction and answers every job after the commit (or, when the
/// transaction fails, answers every job with the error: nothing of it was stored).
async fn commit_batch(db: &DatabaseConnection, config: &SittingConfig, jobs: Vec<Job>) {
    let mut starts = Vec::new();
    let mut saves = Vec::new();
    let mut submits = Vec::new();
    for job in jobs {
        match job {
            Job::Start(j, tx) => starts.push((j, tx)),
            Job::Save(j, tx) => saves.push((j, tx)),
            Job::Submit(id, tx) => submits.push((id, tx)),
        }
    }
    let outcome = async {
        let txn = begin_write(db).await?;
        let mut started = Vec::with_capacity(starts.len());
        for (job, _) in &starts {
            started.push(start(&txn, job).await?);
        }
        let jobs: Vec<&SaveJob> = saves.iter().map(|(j, _)| j).collect();
        let saved = save_all(&txn, config, &jobs).await?;
        let mut submitted = Vec::with_capacity(submits.len());
        for (id, _) in &submits {
            submitted.push(submit(&txn, config, *id).await?);
        }
        txn.commit().await?;
        Ok::<_, AppError>((started, saved, submitted))
    }
    .await;
    match outcome {
        Ok((started, saved, submitted)) => {
            for ((_, tx), r) in starts.into_iter().zip(started) {
                let _ = tx.send(r);
            }
            for ((_, tx), r) in saves.into_iter().zip(saved) {
                let _ = tx.send(r);
            }
            for ((_, tx), r) in submits.into_iter().zip(submitted) {
                let _ = tx.send(r);
            }
        }
        Err(e) => {
            for (_, tx) in starts {
                let _ = tx.send(Err(e.clone()));
            }
            for (_, tx) in saves {
                let _ = tx.send(Err(e.clone()));
            }
            for (_, tx) in submits {
                let _ = tx.send(Err(e.clone()));
            }
        }
    }
}

/// Inserts the attempt unless the ticket has one; the attempt's id either way.
async fn start(
    txn: &DatabaseTransaction,
    job: &StartJob,
) -> Result<Result<i64, AppError>, AppError> {
    let now = Utc::now();
    let inserted = attempt::Entity::insert(attempt::ActiveModel {
        id: NotSet,
        ticket_id: Set(job.ticket_id),
        batch_id: Set(job.batch_id),
        session_id: Set(job.session_id),
        room_id: Set(job.room_id),
        status: Set(AttemptStatus::InProgress.as_str().to_owned()),
        started_at: Set(now),
        deadline: Set(job.deadline),
        extra_seconds: Set(0),
        item_count: Set(job.item_count),
        last_seq: Set(0),
        last_seen_at: Set(now),
        client_ip: Set(job.ip.clone()),
        submitted_at: Set(None),
        answered: Set(None),
        receipt_hash: Set(None),
    })
    .on_conflict(
        OnConflict::column(attempt::Column::TicketId)
            .do_nothing()
            .to_owned(),
    )
    .exec_without_returning(txn)
    .await?;
    let a = attempt::Entity::find()
        .filter(attempt::Column::TicketId.eq(job.ticket_id))
        .one(txn)
        .await?
        .ok_or(AppError::Internal)?;
    if inserted == 1 {
        event(txn, a.id, EventKind::Started, now, &job.ip).await?;
    }
    Ok(Ok(a.id))
}

/// Why one save is refused before anything of it is stored.
fn check_save(
    a: Option<&attempt::Model>,
    job: &SaveJob,
    config: &SittingConfig,
) -> Result<(), AppError> {
    let a = a.ok_or_else(|| AppError::conflict("attempt", crate::msg!(sitting.not_started_yet)))?;
    let status = status_of(a)?;
    if status != AttemptStatus::InProgress {
        return Err(closed_error(status));
    }
    if job.received > a.deadline + chrono(config.grace) {
        return Err(closed_error(status));
    }
    let items = u32::try_from(a.item_count).unwrap_or(0);
    for s in &job.answers {
        if s.item == 0 || s.item > items {
            return Err(AppError::invalid(
                "answers",
                crate::msg!(sitting.no_such_question, item = s.item, items = items),
            ));
        }
        if s.seq < 1 {
            return Err(AppError::invalid(
                "answers",
                crate::msg!(sitting.sequence_numbers_start_at_1),
            ));
        }
        if let question_bank::Response::Choices(c) = &s.response
            && (c.len() > 8 || c.iter().any(|p| *p >= 8))
        {
            return Err(AppError::invalid(
                "answers",
                crate::msg!(sitting.choices_a_to_h_only, item = s.item),
            ));
        }
    }
    Ok(())
}

/// Decides every save of the batch and writes the accepted ones: answers upserted (an older
/// sequence number never replaces a newer one), events appended, each attempt's heartbeat and
/// last sequence number updated.
async fn save_all(
    txn: &DatabaseTransaction,
    config: &SittingConfig,
    jobs: &[&SaveJob],
) -> Result<Vec<Result<SaveAck, AppError>>, AppError> {
    if jobs.is_empty() {
        return Ok(Vec::new());
    }
    let who = candidates_of(txn, config, jobs).await?;
    let mut candidates: Vec<i64> = who
        .iter()
        .filter_map(|w| w.as_ref().ok().copied())
        .collect();
    candidates.sort_unstable();
    candidates.dedup();
    // candidate → ticket → attempt, for the whole batch in two queries.
    let mut ticket_of: HashMap<i64, i64> = HashMap::with_capacity(candidates.len());
    for chunk in candidates.chunks(500) {
        for t in ticket::Entity::find()
            .filter(ticket::Column::CandidateId.is_in(chunk.to_vec()))
            .all(txn)
            .await?
        {
            ticket_of.insert(t.id, t.candidate_id);
        }
    }
    let mut ticket_ids: Vec<i64> = ticket_of.keys().copied().collect();
    ticket_ids.sort_unstable();
    let mut attempts: HashMap<i64, attempt::Model> = HashMap::with_capacity(ticket_ids.len());
    for chunk in ticket_ids.chunks(500) {
        // Row locks in ticket order: lanes and processes never wait on each other in a cycle.
        for a in attempt::Entity::find()
            .filter(attempt::Column::TicketId.is_in(chunk.to_vec()))
            .order_by_asc(attempt::Column::TicketId)
            .lock_exclusive()
            .all(txn)
            .await?
        {
            if let Some(candidate) = ticket_of.get(&a.ticket_id) {
                attempts.insert(*candidate, a);
            }
        }
    }
    let now = Utc::now();
    let mut rows: BTreeMap<(i64, u32), (i64, String)> = BTreeMap::new();
    let mut events = Vec::new();
    let mut touched: BTreeMap<i64, ()> = BTreeMap::new();
    let mut results = Vec::with_capacity(jobs.len());
    for (job, who) in jobs.iter().zip(who) {
        let candidate = match who {
            Ok(c) => c,
            Err(e) => {
                results.push(Err(e));
                continue;
            }
        };
        if let Err(e) = check_save(attempts.get(&candidate), job, config) {
            results.push(Err(e));
            continue;
        }
        let Some(a) = attempts.get_mut(&candidate) else {
            results.push(Err(AppError::NotFound));
            continue;
        };
        let silent = job.received - a.last_seen_at;
        if silent > chrono(config.heartbeat_gap) {
            events.push(event_row(
                a.id,
                EventKind::HeartbeatGap,
                now,
                format!("{} s", silent.num_seconds()),
            ));
        }
        if job.ip != a.client_ip {
            events.push(event_row(
                a.id,
                EventKind::AddressChange,
                now,
                format!("{} → {}", a.client_ip, job.ip),
            ));
            a.client_ip = job.ip.clone();
        }
        for e in &job.events {
            events.push(event_row(
                a.id,
                e.kind,
                now,
                e.detail.chars().take(200).collect(),
            ));
        }
        for s in &job.answers {
            let json = serde_json::to_string(&s.response).map_err(|e| {
                tracing::error!("an answer does not serialize: {e}");
                AppError::Internal
            })?;
            let entry = rows.entry((a.id, s.item)).or_insert((s.seq, json.clone()));
            if s.seq > entry.0 {
                *entry = (s.seq, json);
            }
            a.last_seq = Ord::max(a.last_seq, s.seq);
        }
        if job.received > a.last_seen_at {
            a.last_seen_at = job.received;
        }
        touched.insert(candidate, ());
        results.push(Ok(SaveAck {
            now,
            deadline: a.deadline,
        }));
    }

    let models: Vec<answer::ActiveModel> = rows
        .into_iter()
        .map(
            |((attempt_id, item), (seq, response))| answer::ActiveModel {
                attempt_id: Set(attempt_id),
                item: Set(i32::try_from(item).unwrap_or(i32::MAX)),
                response: Set(response),
                seq: Set(seq),
                saved_at: Set(now),
            },
        )
        .collect();
    let mut models = models.into_iter().peekable();
    while models.peek().is_some() {
        let chunk: Vec<answer::ActiveModel> = models.by_ref().take(1000).collect();
        answer::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::columns([answer::Column::AttemptId, answer::Column::Item])
                    .update_columns([
                        answer::Column::Response,
                        answer::Column::Seq,
                        answer::Column::SavedAt,
                    ])
                    .action_and_where(
                        Expr::col((answer::Entity, answer::Column::Seq))
                            .lt(Expr::col((Alias::new("excluded"), answer::Column::Seq))),
                    )
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    let mut events = events.into_iter().peekable();
    while events.peek().is_some() {
        let chunk: Vec<attempt_event::ActiveModel> = events.by_ref().take(1000).collect();
        attempt_event::Entity::insert_many(chunk)
            .exec_without_returning(txn)
            .await?;
    }
    // Every touched attempt's heartbeat, last sequence number and address in one statement per
    // thousand: the rows exist (and are locked), so each "insert" is an update of three columns.
    let touched: Vec<attempt::ActiveModel> = touched
        .into_keys()
        .filter_map(|c| attempts.get(&c).cloned())
        .map(|m| m.into_active_model().reset_all())
        .collect();
    let mut touched = touched.into_iter().peekable();
    while touched.peek().is_some() {
        let chunk: Vec<attempt::ActiveModel> = touched.by_ref().take(1000).collect();
        attempt::Entity::insert_many(chunk)
            .on_conflict(
                OnConflict::column(attempt::Column::Id)
                    .update_columns([
                        attempt::Column::LastSeq,
                        attempt::Column::LastSeenAt,
                        attempt::Column::ClientIp,
                    ])
                    .to_owned(),
            )
            .exec_without_returning(txn)
            .await?;
    }
    Ok(results)
}

/// The candidate each save signs in for, checked as a request of its own would be: a missing,
/// ended or idle session is refused as not signed in, another role's as forbidden. Every
/// session of the batch is read in one query (per 500), and the sessions due a refresh (a
/// sixth of the idle timeout after the last) are refreshed in one statement.
async fn candidates_of(
    txn: &DatabaseTransaction,
    config: &SittingConfig,
    jobs: &[&SaveJob],
) -> Result<Vec<Result<i64, AppError>>, AppError> {
    let mut hashes: Vec<String> = jobs.iter().map(|j| j.session.clone()).collect();
    hashes.sort_unstable();
    hashes.dedup();
    type Row = (
        String,
        DateTime<Utc>,
        DateTime<Utc>,
        bool,
        String,
        Option<i64>,
    );
    let mut found: HashMap<String, Row> = HashMap::with_capacity(hashes.len());
    for chunk in hashes.chunks(500) {
        for row in session::Entity::find()
            .select_only()
            .column(session::Column::TokenHash)
            .column(session::Column::LastSeenAt)
            .column(session::Column::ExpiresAt)
            .column(account::Column::Active)
            .column(account::Column::Role)
            .column(account::Column::CandidateId)
            .join(
                JoinType::InnerJoin,
                session::Entity::belongs_to(account::Entity)
                    .from(session::Column::AccountId)
                    .to(account::Column::Id)
                    .into(),
            )
            .filter(session::Column::TokenHash.is_in(chunk.to_vec()))
            .into_tuple::<Row>()
            .all(txn)
            .await?
        {
            found.insert(row.0.clone(), row);
        }
    }
    let now = Utc::now();
    let idle = chrono(config.session_idle);
    let mut refresh = Vec::new();
    let who = jobs
        .iter()
        .map(|j| {
            let (hash, last_seen, expires, active, role, candidate) =
                found.get(&j.session).ok_or(AppError::Unauthorized)?;
            if now >= *expires || now >= *last_seen + idle || !active {
                return Err(AppError::Unauthorized);
            }
            if role != Role::Candidate.as_str() {
                return Err(AppError::Forbidden);
            }
            if now - *last_seen > idle / 6 {
                refresh.push(hash.clone());
            }
            // A candidate's account that holds no ticket has no attempt either.
            candidate
                .ok_or_else(|| AppError::conflict("attempt", crate::msg!(sitting.not_started_yet)))
        })
        .collect();
    refresh.sort_unstable();
    refresh.dedup();
    for chunk in refresh.chunks(500) {
        session::Entity::update_many()
            .col_expr(session::Column::LastSeenAt, Expr::value(now))
            .filter(session::Column::TokenHash.is_in(chunk.to_vec()))
            .exec(txn)
            .await?;
    }
    Ok(who)
}

fn event_row(
    attempt_id: i64,
    kind: EventKind,
    at: DateTime<Utc>,
    detail: String,
) -> attempt_event::ActiveModel {
    attempt_event::ActiveModel {
        id: NotSet,
        attempt_id: Set(attempt_id),
        at: Set(at),
        kind: Set(kind.as_str().to_owned()),
        detail: Set(detail),
    }
}

/// Submits an attempt under its row lock: the candidate's submission before the deadline's
/// grace ends, the server's after it. A closed attempt answers as it is (idempotent), a
/// voided one is refused.
async fn submit(
    txn: &DatabaseTransaction,
    config: &SittingConfig,
    attempt_id: i64,
) -> Result<Result<(), AppError>, AppError> {
    let Some(a) = attempt::Entity::find_by_id(attempt_id)
        .lock_exclusive()
        .one(txn)
        .await?
    else {
        return Ok(Err(AppError::NotFound));
    };
    match status_of(&a)? {
        AttemptStatus::InProgress => {
            let now = Utc::now();
            let status = if now <= a.deadline + chrono(config.grace) {
                AttemptStatus::Submitted
            } else {
                AttemptStatus::AutoSubmitted
            };
            super::close(txn, &a, status, now, "").await?;
            Ok(Ok(()))
        }
        AttemptStatus::Voided => Ok(Err(closed_error(AttemptStatus::Voided))),
        _ => Ok(Ok(())),
    }
}
