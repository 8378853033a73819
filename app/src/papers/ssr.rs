//! Services behind papers: blueprints per batch, bank snapshots, coverage, sample papers,
//! assembly and storage of every candidate's paper, and regeneration for appeals.
//!
//! A batch's papers are dealt in ticket-number order from per-batch decks
//! ([`question_bank::PreparedPool::batch`]); each stored paper keeps its place in that order
//! (`deal_seq`), and the bank snapshot (question revision ids) and pool fingerprint are frozen
//! on the batch when it is scheduled, so a paper can be regenerated exactly at any later time.
//! Between the chunks a batch is assembled in, where the dealing stands is stored beside the
//! papers (`paper_deal_state`), so each chunk takes the decks up there instead of replaying
//! the batch.

use std::collections::HashMap;

use chrono::Utc;
use question_bank::{
    AssemblyError, BankSnapshot, BatchState, Blueprint, BlueprintParts, EnforcementField, ExamKind,
    Paper, PaperView, PreparedPool, QuestionRef, Seed,
};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{
    AppealView, BlueprintInfo, CoverageView, KeyedItem, KeyedPaper, KeyedSection, PaperProgress,
};
use crate::{
    audit::ssr::{Actor, record},
    bank::{ssr::question_of, text_of},
    batches::ssr::{agency_names, candidates_of, find, find_draft, plans_of},
    error::{AppError, FieldMessage},
    procedure::TicketNumber,
    ssr::{
        Caller, begin_write, corrupt,
        entities::{
            batch, paper, paper_deal_state, plan_candidate, question, question_revision, ticket,
        },
    },
};

const DRAFT: &str = "draft";
const ACTIVE: &str = "active";
/// Rows per multi-row insert: a paper row is a few kilobytes of JSON.
const INSERT_ROWS: usize = 100;
/// Ids per `IN (…)` list, well inside every backend's parameter limit.
const IN_LIST: usize = 500;

fn json_err(e: serde_json::Error) -> AppError {
    tracing::error!("papers: stored JSON unreadable: {e}");
    AppError::Internal
}

/// An assembly problem as the app's error: coverage problems are the office's to fix.
fn assembly_err(e: &AssemblyError) -> AppError {
    match e {
        AssemblyError::Internal { detail } => {
            tracing::error!("papers: assembly: {detail}");
            AppError::Internal
        }
        other => AppError::conflict("blueprint", text_of(other)),
    }
}

fn kind_of(b: &batch::Model) -> ExamKind {
    if b.exam_kind == "professional" {
        ExamKind::Professional
    } else {
        ExamKind::General
    }
}

/// The blueprint attached to the batch, or its exam kind's default.
pub fn blueprint_of(b: &batch::Model) -> Result<Blueprint, AppError> {
    match &b.blueprint {
        Some(json) => serde_json::from_str(json).map_err(json_err),
        None => Ok(match kind_of(b) {
            ExamKind::General => Blueprint::default_general(),
            ExamKind::Professional => Blueprint::default_professional(),
        }),
    }
}

/// The candidates' field of a 专业 batch.
fn field_of(b: &batch::Model) -> Result<Option<EnforcementField>, AppError> {
    match (kind_of(b), &b.field) {
        (ExamKind::Professional, Some(f)) => EnforcementField::parse(f)
            .map(Some)
            .map_err(|e| AppError::conflict("field", text_of(&e))),
        _ => Ok(None),
    }
}

/// The blueprint of a batch, as the page shows it.
#[tracing::instrument(skip_all)]
pub async fn blueprint_info(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<BlueprintInfo, AppError> {
    let b = find(conn, batch_id).await?;
    let bp = blueprint_of(&b)?;
    Ok(BlueprintInfo {
        total_points: bp.total_points(),
        question_count: bp.question_count(),
        parts: bp.to_parts(),
        custom: b.blueprint.is_some(),
        editable: b.status == DRAFT,
    })
}

/// Attaches `parts` (checked: every problem named) to a draft batch, or its kind's default
/// for `None`.
#[tracing::instrument(skip_all)]
pub async fn save_blueprint(
    db: &DatabaseConnection,
    caller: &Caller,
    batch_id: i64,
    parts: Option<BlueprintParts>,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let b = find_draft(&txn, batch_id).await?;
    let stored = match parts {
        None => None,
        Some(parts) => {
            if parts.exam_kind != kind_of(&b) {
                return Err(AppError::invalid(
                    "exam_kind",
                    crate::msg!(papers.blueprint_s_exam_kind_must_be),
                ));
            }
            let bp = Blueprint::new(parts).map_err(|errors| AppError::Fields {
                errors: errors
                    .0
                    .iter()
                    .map(|e| FieldMessage {
                        field: "blueprint".to_owned(),
                        message: text_of(e),
                    })
                    .collect(),
            })?;
            Some(bp)
        }
    };
    let name = stored.as_ref().map(|bp| bp.name().to_owned());
    let mut am: batch::ActiveModel = b.into();
    am.blueprint = Set(stored
        .as_ref()
        .map(serde_json::to_string)
        .transpose()
        .map_err(json_err)?);
    am.update(&txn).await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "batch.blueprint",
        &format!("batch:{batch_id}"),
        serde_json::json!({ "blueprint": name, "default": stored.is_none() }),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

/// Every active question at its current revision.
#[tracing::instrument(skip_all)]
pub async fn active_snapshot(conn: &impl ConnectionTrait) -> Result<BankSnapshot, AppError> {
    let current: HashMap<i64, i32> = question::Entity::find()
        .select_only()
        .column(question::Column::Id)
        .column(question::Column::Revision)
        .filter(question::Column::Status.eq(ACTIVE))
        .into_tuple::<(i64, i32)>()
        .all(conn)
        .await?
        .into_iter()
        .collect();
    let ids: Vec<i64> = current.keys().copied().collect();
    let entries = load_revisions(conn, question_revision::Column::QuestionId, &ids, |rev| {
        current.get(&rev.question_id) == Some(&rev.number)
    })
    .await?;
    snapshot(entries)
}

/// The questions of the revisions whose `column` is one of `ids` and that `keep` accepts, read
/// in chunks within every backend's parameter limit.
async fn load_revisions(
    conn: &impl ConnectionTrait,
    column: question_revision::Column,
    ids: &[i64],
    keep: impl Fn(&question_revision::Model) -> bool,
) -> Result<Vec<(QuestionRef, question_bank::Question)>, AppError> {
    let mut entries = Vec::with_capacity(ids.len());
    for chunk in ids.chunks(IN_LIST) {
        for rev in question_revision::Entity::find()
            .filter(column.is_in(chunk.iter().copied()))
            .all(conn)
            .await?
        {
            if keep(&rev) {
                entries.push((reference(&rev), question_of(&rev)?));
            }
        }
    }
    Ok(entries)
}

/// Question revisions already read, by revision id. A revision never changes once written, so
/// a process may keep what it read: a mass start reads each of a batch's few hundred questions
/// once instead of once per candidate. A cache, not shared state: any process fills its own.
static REVISIONS: std::sync::LazyLock<
    std::sync::Mutex<HashMap<i64, (QuestionRef, question_bank::Question)>>,
> = std::sync::LazyLock::new(Default::default);

/// Revisions kept at most (a bank's worth); past that the cache starts afresh.
const REVISIONS_CACHED: usize = 50_000;

/// The revisions `ids`, from [`REVISIONS`] or the database.
async fn cached_revisions(
    conn: &impl ConnectionTrait,
    ids: &[i64],
) -> Result<Vec<(QuestionRef, question_bank::Question)>, AppError> {
    let lock = || {
        REVISIONS
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    };
    let missing: Vec<i64> = {
        let cache = lock();
        ids.iter()
            .copied()
            .filter(|id| !cache.contains_key(id))
            .collect()
    };
    if !missing.is_empty() {
        let loaded =
            load_revisions(conn, question_revision::Column::Id, &missing, |_| true).await?;
        let mut cache = lock();
        if cache.len() + loaded.len() > REVISIONS_CACHED {
            cache.clear();
        }
        for (r, q) in loaded {
            cache.insert(r.revision_id, (r, q));
        }
    }
    let cache = lock();
    Ok(ids.iter().filter_map(|id| cache.get(id).cloned()).collect())
}

fn reference(rev: &question_revision::Model) -> QuestionRef {
    QuestionRef {
        question_id: rev.question_id,
        revision_id: rev.id,
    }
}

fn snapshot(
    entries: Vec<(QuestionRef, question_bank::Question)>,
) -> Result<BankSnapshot, AppError> {
    BankSnapshot::new(entries).map_err(|e| {
        tracing::error!("papers: snapshot: {e}");
        AppError::Internal
    })
}

/// The snapshot frozen on a scheduled batch.
pub(crate) async fn frozen_snapshot(
    conn: &impl ConnectionTrait,
    b: &batch::Model,
) -> Result<Option<BankSnapshot>, AppError> {
    let Some(json) = &b.bank_snapshot else {
        return Ok(None);
    };
    let refs: Vec<QuestionRef> = serde_json::from_str(json).map_err(json_err)?;
    let ids: Vec<i64> = refs.iter().map(|r| r.revision_id).collect();
    let entries = load_revisions(conn, question_revision::Column::Id, &ids, |_| true).await?;
    if entries.len() != refs.len() {
        tracing::error!("papers: batch {} snapshot names missing revisions", b.id);
        return Err(AppError::Internal);
    }
    snapshot(entries).map(Some)
}

/// The frozen snapshot of a scheduled batch, else the bank as it is now.
async fn snapshot_for(
    conn: &impl ConnectionTrait,
    b: &batch::Model,
) -> Result<(BankSnapshot, bool), AppError> {
    match frozen_snapshot(conn, b).await? {
        Some(s) => Ok((s, true)),
        None => Ok((active_snapshot(conn).await?, false)),
    }
}

fn prepare(b: &batch::Model, snapshot: &BankSnapshot) -> Result<PreparedPool, AppError> {
    let field = field_of(b)?;
    PreparedPool::new(&blueprint_of(b)?, snapshot, field.as_ref()).map_err(|e| assembly_err(&e))
}

fn secret_of(b: &batch::Model) -> Result<[u8; 32], AppError> {
    hex::decode(&b.secret_seed)
        .ok()
        .and_then(|v| <[u8; 32]>::try_from(v).ok())
        .ok_or_else(|| {
            tracing::error!("papers: batch {} has a malformed secret seed", b.id);
            AppError::Internal
        })
}

async fn candidate_count(conn: &impl ConnectionTrait, batch_id: i64) -> Result<usize, AppError> {
    let plans = plans_of(conn, batch_id).await?;
    Ok(candidates_of(conn, &plans).await?.len())
}

/// The coverage report of the batch's blueprint against its snapshot (frozen once scheduled).
#[tracing::instrument(skip_all)]
pub async fn coverage(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<CoverageView, AppError> {
    let b = find(conn, batch_id).await?;
    let (snapshot, frozen) = snapshot_for(conn, &b).await?;
    let field = field_of(&b)?;
    let candidates = candidate_count(conn, batch_id).await?;
    Ok(CoverageView {
        report: blueprint_of(&b)?.check(&snapshot, field.as_ref(), candidates),
        bank_questions: snapshot.len() as u64,
        frozen,
    })
}

/// A sample paper from a fresh random seed, with its key.
#[tracing::instrument(skip_all)]
pub async fn sample(conn: &impl ConnectionTrait, batch_id: i64) -> Result<KeyedPaper, AppError> {
    let b = find(conn, batch_id).await?;
    let (snapshot, _) = snapshot_for(conn, &b).await?;
    let pool = prepare(&b, &snapshot)?;
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let paper = pool
        .assemble(&Seed::from_bytes(bytes))
        .map_err(|e| assembly_err(&e))?;
    keyed(&paper, &snapshot)
}

/// The paper with its key, options in the candidate's order.
pub fn keyed(paper: &Paper, snapshot: &BankSnapshot) -> Result<KeyedPaper, AppError> {
    let mut sections: Vec<KeyedSection> = Vec::with_capacity(paper.sections().len());
    for (number, section, item) in paper.items() {
        let q = snapshot.get(item.question()).ok_or_else(|| {
            tracing::error!("papers: question {:?} not in snapshot", item.question());
            AppError::Internal
        })?;
        let order = item.option_order();
        let options = order
            .iter()
            .filter_map(|&o| q.options().get(usize::from(o)))
            .map(|o| o.as_str().to_owned())
            .collect();
        let key = q.answer_key();
        let answer = match key.as_true_false() {
            Some(true) => "true".to_owned(),
            Some(false) => "false".to_owned(),
            None => order
                .iter()
                .zip('A'..='Z')
                .filter(|&(&o, _)| key.is_correct_option(usize::from(o)))
                .map(|(_, label)| label)
                .collect(),
        };
        let keyed_item = KeyedItem {
            number,
            question_id: item.question().question_id,
            revision_id: item.question().revision_id,
            stem: q.stem().as_str().to_owned(),
            options,
            answer,
            difficulty: q.difficulty().get(),
            legal_basis: q.legal_basis().as_str().to_owned(),
            explanation: q
                .explanation()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
        };
        match sections.last_mut() {
            Some(s) if s.question_type == section.question_type() => s.items.push(keyed_item),
            _ => sections.push(KeyedSection {
                question_type: section.question_type(),
                points_per_question: section.points_per_question(),
                scoring: section.scoring(),
                items: vec![keyed_item],
            }),
        }
    }
    Ok(KeyedPaper {
        total_points: paper.total_points(),
        pass_mark: paper.pass_mark(),
        mean_difficulty: paper.mean_difficulty(),
        algorithm: paper.algorithm(),
        pool_fingerprint: paper.pool_fingerprint().to_owned(),
        sections,
    })
}

/// At (re)scheduling, inside its transaction: checks that the blueprint can be met, freezes
/// the bank snapshot and the pool fingerprint on the batch, and drops papers assembled for
/// earlier tickets and where their dealing stood. Fails with the coverage problems if the bank
/// cannot feed the blueprint.
#[tracing::instrument(skip_all)]
pub async fn freeze(conn: &impl ConnectionTrait, b: &batch::Model) -> Result<(), AppError> {
    // The dealing state goes with the papers: the next assembly starts the batch afresh.
    paper_deal_state::Entity::delete_by_id(b.id)
        .exec(conn)
        .await?;
    paper::Entity::delete_many()
        .filter(paper::Column::BatchId.eq(b.id))
        .exec(conn)
        .await?;
    let snapshot = active_snapshot(conn).await?;
    let pool = prepare(b, &snapshot)?;
    let refs: Vec<QuestionRef> = snapshot.entries().iter().map(|(r, _)| *r).collect();
    let mut am: batch::ActiveModel = b.clone().into();
    am.bank_snapshot = Set(Some(serde_json::to_string(&refs).map_err(json_err)?));
    am.pool_fingerprint = Set(Some(pool.fingerprint().to_owned()));
    am.update(conn).await?;
    Ok(())
}

/// Tickets of the batch in dealing order (ticket-number order), as `(id, number)`.
async fn deal_order(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<Vec<(i64, String)>, AppError> {
    ticket::Entity::find()
        .select_only()
        .column(ticket::Column::Id)
        .column(ticket::Column::TicketNo)
        .filter(ticket::Column::BatchId.eq(batch_id))
        .order_by_asc(ticket::Column::TicketNo)
        .into_tuple::<(i64, String)>()
        .all(conn)
        .await
        .map_err(AppError::from)
}

async fn assembled(conn: &impl ConnectionTrait, batch_id: i64) -> Result<u64, AppError> {
    paper::Entity::find()
        .filter(paper::Column::BatchId.eq(batch_id))
        .count(conn)
        .await
        .map_err(AppError::from)
}

/// How far the batch's papers are assembled.
#[tracing::instrument(skip_all)]
pub async fn progress(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<PaperProgress, AppError> {
    find(conn, batch_id).await?;
    let total = ticket::Entity::find()
        .filter(ticket::Column::BatchId.eq(batch_id))
        .count(conn)
        .await?;
    Ok(PaperProgress {
        assembled: assembled(conn, batch_id).await?,
        total,
    })
}

fn not_scheduled() -> AppError {
    AppError::conflict(
        "batch",
        crate::msg!(papers.batch_is_not_scheduled_yet_papers),
    )
}

/// The snapshot frozen on a scheduled batch; a conflict while it is a draft.
async fn scheduled_snapshot(
    conn: &impl ConnectionTrait,
    b: &batch::Model,
) -> Result<BankSnapshot, AppError> {
    match frozen_snapshot(conn, b).await? {
        Some(s) if b.status != DRAFT => Ok(s),
        _ => Err(not_scheduled()),
    }
}

/// The pool of a scheduled batch from its frozen snapshot, checked against its stored
/// fingerprint.
fn pool_of(b: &batch::Model, snapshot: &BankSnapshot) -> Result<PreparedPool, AppError> {
    let pool = prepare(b, snapshot)?;
    if b.pool_fingerprint.as_deref() != Some(pool.fingerprint()) {
        tracing::error!(
            "papers: batch {} pool fingerprint {} differs from the frozen {:?}",
            b.id,
            pool.fingerprint(),
            b.pool_fingerprint
        );
        return Err(AppError::Internal);
    }
    Ok(pool)
}

/// The frozen pool of a scheduled batch, checked against its stored fingerprint.
async fn frozen_pool(
    conn: &impl ConnectionTrait,
    b: &batch::Model,
) -> Result<(BankSnapshot, PreparedPool), AppError> {
    let snapshot = scheduled_snapshot(conn, b).await?;
    let pool = pool_of(b, &snapshot)?;
    Ok((snapshot, pool))
}

/// Where a chunk's dealing starts.
enum Start {
    /// No paper yet.
    Fresh,
    /// From the state stored with the last chunk.
    Resume(BatchState),
    /// Papers stored without a state (begun before states were stored): replay the batch's
    /// stored prefix once, checking that it ends in the last stored paper.
    Replay(Paper),
}

/// Deals `tickets[from..until]` (`tickets` in dealing order) from the batch's frozen pool:
/// their papers as JSON, and the dealing state after them as JSON. CPU-bound: runs on the
/// blocking pool.
fn deal_chunk(
    b: &batch::Model,
    snapshot: &BankSnapshot,
    start: Start,
    tickets: &[String],
    from: usize,
    until: usize,
) -> Result<(Vec<String>, String), AppError> {
    let pool = pool_of(b, snapshot)?;
    let secret = secret_of(b)?;
    let (dealt, chunk) = tickets
        .get(..until)
        .and_then(|t| t.split_at_checked(from))
        .ok_or(AppError::Internal)?;
    let mut dealer = match start {
        Start::Fresh => pool.batch(&secret),
        Start::Resume(state) => pool.resume(&secret, state, dealt).map_err(|e| {
            tracing::error!(
                "papers: batch {}: the stored dealing state does not fit: {e}",
                b.id
            );
            AppError::Internal
        })?,
        Start::Replay(last) => {
            let mut dealer = pool.batch(&secret);
            let mut replayed = None;
            for t in dealt {
                replayed = Some(dealer.next_paper(t).map_err(|e| assembly_err(&e))?);
            }
            if replayed.as_ref() != Some(&last) {
                tracing::error!(
                    "papers: batch {}: replaying {} tickets does not give the last stored paper",
                    b.id,
                    dealt.len()
                );
                return Err(AppError::Internal);
            }
            dealer
        }
    };
    let papers = chunk
        .iter()
        .map(|t| {
            let paper = dealer.next_paper(t).map_err(|e| assembly_err(&e))?;
            serde_json::to_string(&paper).map_err(json_err)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let state = serde_json::to_string(&dealer.state()).map_err(json_err)?;
    Ok((papers, state))
}

/// Where the batch's dealing stands after its `done` stored papers.
async fn start_of(
    conn: &impl ConnectionTrait,
    batch_id: i64,
    stored: Option<&paper_deal_state::Model>,
    done: u64,
) -> Result<Start, AppError> {
    let Some(row) = stored else {
        if done == 0 {
            return Ok(Start::Fresh);
        }
        tracing::warn!(
            "papers: batch {batch_id} has {done} papers but no dealing state: replaying"
        );
        let last = paper::Entity::find()
            .filter(paper::Column::BatchId.eq(batch_id))
            .filter(paper::Column::DealSeq.eq(i32::try_from(done).map_err(|_| AppError::Internal)?))
            .one(conn)
            .await?
            .ok_or(AppError::Internal)?;
        return stored_paper(&last).map(Start::Replay);
    };
    let state: BatchState = serde_json::from_str(&row.state).map_err(|e| {
        let head: String = row.state.chars().take(120).collect();
        corrupt(
            &format!("paper dealing state of batch {batch_id} ({e})"),
            &head,
        )
    })?;
    if state.dealt() != done || u64::try_from(row.dealt).ok() != Some(done) {
        tracing::error!(
            "papers: batch {batch_id} has {done} papers but its dealing state is at {} (row {})",
            state.dealt(),
            row.dealt
        );
        return Err(AppError::Internal);
    }
    Ok(Start::Resume(state))
}

/// Assembles and stores the papers of the next `limit` tickets in dealing order, and where
/// the dealing then stands, in one transaction: the next call takes the decks up from the
/// stored state instead of replaying the batch, so every chunk costs about the same.
///
/// Two calls on one batch at once deal one after the other, never the same chunk twice: the
/// batch row is locked first (`SELECT … FOR UPDATE` on PostgreSQL; on SQLite the `IMMEDIATE`
/// transaction already holds the write lock) and progress is read after that. The unique
/// `(batch_id, deal_seq)` index backs this up.
#[tracing::instrument(skip_all)]
pub async fn assemble_next(
    db: &DatabaseConnection,
    caller: &Caller,
    batch_id: i64,
    limit: u64,
) -> Result<PaperProgress, AppError> {
    let txn = begin_write(db).await?;
    let b = batch::Entity::find_by_id(batch_id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if b.status == DRAFT || b.bank_snapshot.is_none() {
        return Err(not_scheduled());
    }
    let tickets = deal_order(&txn, batch_id).await?;
    let total = tickets.len() as u64;
    let done = assembled(&txn, batch_id).await?;
    if done >= total {
        return Ok(PaperProgress {
            assembled: done,
            total,
        });
    }
    let snapshot = scheduled_snapshot(&txn, &b).await?;
    let until = (done + limit.max(1)).min(total);
    let stored = paper_deal_state::Entity::find_by_id(batch_id)
        .one(&txn)
        .await?;
    let start = start_of(&txn, batch_id, stored.as_ref(), done).await?;

    let numbers: Vec<String> = tickets.iter().map(|(_, no)| no.clone()).collect();
    let (from, to) = (done as usize, until as usize);
    let fingerprint = b.pool_fingerprint.clone();
    let (bodies, state) =
        tokio::task::spawn_blocking(move || deal_chunk(&b, &snapshot, start, &numbers, from, to))
            .await
            .map_err(|e| {
                tracing::error!("papers: assembly task: {e}");
                AppError::Internal
            })??;

    let now = Utc::now();
    let rows: Vec<paper::ActiveModel> = tickets
        .iter()
        .zip(0i32..)
        .skip(from)
        .zip(bodies)
        .map(|(((ticket_id, _), seq), body)| paper::ActiveModel {
            batch_id: Set(batch_id),
            ticket_id: Set(*ticket_id),
            deal_seq: Set(seq + 1),
            body: Set(body),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    if rows.len() != to - from {
        tracing::error!(
            "papers: batch {batch_id}: dealt {} papers of {}",
            rows.len(),
            to - from
        );
        return Err(AppError::Internal);
    }
    for chunk in rows.chunks(INSERT_ROWS) {
        paper::Entity::insert_many(chunk.to_vec())
            .exec(&txn)
            .await?;
    }
    if until == total {
        // Every ticket has its paper: nothing more to take up.
        paper_deal_state::Entity::delete_by_id(batch_id)
            .exec(&txn)
            .await?;
        record(
            &txn,
            &Actor::from(&caller.user),
            "batch.papers",
            &format!("batch:{batch_id}"),
            serde_json::json!({ "papers": total, "pool": fingerprint }),
        )
        .await?;
    } else {
        let dealt = i32::try_from(until).map_err(|_| AppError::Internal)?;
        match stored {
            Some(row) => {
                let mut am: paper_deal_state::ActiveModel = row.into();
                am.dealt = Set(dealt);
                am.state = Set(state);
                am.updated_at = Set(now);
                am.update(&txn).await?;
            }
            None => {
                paper_deal_state::ActiveModel {
                    batch_id: Set(batch_id),
                    dealt: Set(dealt),
                    state: Set(state),
                    updated_at: Set(now),
                }
                .insert(&txn)
                .await?;
            }
        }
    }
    txn.commit().await?;
    Ok(PaperProgress {
        assembled: until,
        total,
    })
}

/// Assembles every remaining paper of the batch, chunk by chunk.
#[tracing::instrument(skip_all)]
pub async fn assemble_all(
    db: &DatabaseConnection,
    caller: &Caller,
    batch_id: i64,
) -> Result<PaperProgress, AppError> {
    loop {
        let p = assemble_next(db, caller, batch_id, super::ASSEMBLY_CHUNK).await?;
        if p.complete() {
            return Ok(p);
        }
    }
}

pub(crate) fn stored_paper(row: &paper::Model) -> Result<Paper, AppError> {
    serde_json::from_str(&row.body).map_err(json_err)
}

/// Regenerates a candidate's paper from the batch seed and the stored dealing order, and
/// compares it with the stored paper. Audited: the office sees a keyed paper.
#[tracing::instrument(skip_all)]
pub async fn appeal(
    db: &DatabaseConnection,
    caller: &Caller,
    batch_id: i64,
    ticket_no: &str,
) -> Result<AppealView, AppError> {
    let no =
        TicketNumber::parse(ticket_no).map_err(|e| AppError::invalid("ticket_no", text_of(&e)))?;
    let b = find(db, batch_id).await?;
    let not_found =
        || AppError::invalid("ticket_no", crate::msg!(papers.no_paper_of_this_batch_has));
    let t = ticket::Entity::find()
        .filter(ticket::Column::BatchId.eq(batch_id))
        .filter(ticket::Column::TicketNo.eq(no.as_string()))
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    let row = paper::Entity::find()
        .filter(paper::Column::TicketId.eq(t.id))
        .one(db)
        .await?
        .ok_or_else(not_found)?;
    let stored = stored_paper(&row)?;
    let (snapshot, pool) = frozen_pool(db, &b).await?;
    let numbers: HashMap<i64, String> = deal_order(db, batch_id).await?.into_iter().collect();
    let order: Vec<String> = paper::Entity::find()
        .select_only()
        .column(paper::Column::TicketId)
        .filter(paper::Column::BatchId.eq(batch_id))
        .filter(paper::Column::DealSeq.lte(row.deal_seq))
        .order_by_asc(paper::Column::DealSeq)
        .into_tuple::<i64>()
        .all(db)
        .await?
        .into_iter()
        .filter_map(|id| numbers.get(&id).cloned())
        .collect();
    let regenerated = pool
        .regenerate(&secret_of(&b)?, &order, &t.ticket_no)
        .map_err(|e| assembly_err(&e))?;
    let differences: Vec<u32> = stored
        .items()
        .zip(regenerated.items())
        .filter(|((_, _, a), (_, _, b))| a != b)
        .map(|((n, _, _), _)| n)
        .collect();
    let candidate = plan_candidate::Entity::find_by_id(t.candidate_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let agencies = agency_names(db).await?;
    let plans = plans_of(db, batch_id).await?;
    let agency = plans
        .iter()
        .find(|p| p.id == candidate.plan_id)
        .and_then(|p| agencies.get(&p.agency_id))
        .cloned()
        .unwrap_or_default();
    let identical = stored == regenerated;
    let txn = begin_write(db).await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "paper.appeal",
        &format!("batch:{batch_id}"),
        serde_json::json!({ "ticket": t.ticket_no, "identical": identical }),
    )
    .await?;
    txn.commit().await?;
    Ok(AppealView {
        ticket_no: no.grouped(),
        name: candidate.name,
        agency,
        deal_seq: row.deal_seq,
        identical,
        differences,
        stored_fingerprint: stored.pool_fingerprint().to_owned(),
        regenerated_fingerprint: regenerated.pool_fingerprint().to_owned(),
        paper: keyed(&stored, &snapshot)?,
    })
}

/// The paper of a ticket as its candidate sees it: stems and options in the candidate's
/// order, no key, no ids.
#[tracing::instrument(skip_all)]
pub async fn candidate_view(
    conn: &impl ConnectionTrait,
    t: &ticket::Model,
) -> Result<PaperView, AppError> {
    let row = paper::Entity::find()
        .filter(paper::Column::TicketId.eq(t.id))
        .one(conn)
        .await?
        .ok_or_else(|| {
            AppError::conflict("paper", crate::msg!(papers.your_paper_is_not_ready_ask))
        })?;
    let paper = stored_paper(&row)?;
    // Only the paper's own revisions, from the cache where they were read before.
    let ids: Vec<i64> = paper
        .question_order()
        .iter()
        .map(|r| r.revision_id)
        .collect();
    let entries = cached_revisions(conn, &ids).await?;
    paper.view(&snapshot(entries)?).map_err(|e| {
        tracing::error!(
            "papers: batch {} paper {} unviewable: {e}",
            t.batch_id,
            row.id
        );
        AppError::Internal
    })
}
