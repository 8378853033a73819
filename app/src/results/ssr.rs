//! Services behind results: scoring a batch, the overview and item analysis, item decisions,
//! attempt reviews, publication, the lists and exports, and a candidate's own result.
//!
//! Every change that alters what counts (a decision, a review) is written and the whole batch
//! re-scored in one write transaction, under the batch's row lock (on SQLite the database's
//! write lock), so the stored results never disagree with the stored decisions and two
//! office admins acting at once are serialised. Publication takes the same lock.

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::Utc;
use question_bank::{
    Analysis, AnswerKey, Answers, BankSnapshot, Cell, Decisions, ExamScope, ItemDecision, Points,
    QuestionRef, Score, Subtotal, analyse, distribution, histogram, score_under,
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};
use serde::{Deserialize, Serialize};

use super::{
    AffectedAttempt, DecisionInfo, DecisionKind, GroupRate, ItemRow, PublicationInfo, ResultLine,
    ResultList, ResultOutcome, ResultsOverview, ReviewCase, ReviewDecision, ReviewInfo,
    ScoringInfo,
};
use crate::{
    audit::ssr::{Actor, record},
    batches::{
        BatchStatus,
        ssr::{agency_names, candidates_of, find, plans_of},
    },
    error::AppError,
    i18n::Locale,
    papers::ssr::{frozen_snapshot, stored_paper},
    procedure::TicketNumber,
    proctor::MisconductCategory,
    roles::Role,
    sitting::{AttemptStatus, EventKind},
    ssr::{
        Caller, ResultsPolicy, begin_write, corrupt,
        entities::{
            answer, attempt, attempt_event, attempt_review, audit_head, batch, batch_scoring,
            exam_result, exam_session, item_decision, misconduct, paper, person_result,
            plan_candidate, publication, room, ticket,
        },
    },
};

/// Ids per `IN (…)` list, well inside every backend's parameter limit.
const IN_LIST: usize = 500;
/// Rows per multi-row insert.
const INSERT_ROWS: usize = 200;
/// Longest reason accepted, in characters.
const MAX_REASON: usize = 500;

fn json_err(e: serde_json::Error) -> AppError {
    tracing::error!("results: stored JSON unreadable: {e}");
    AppError::Internal
}

fn hundredths(p: Points) -> i32 {
    i32::try_from(p.hundredths()).unwrap_or(i32::MAX)
}

pub(crate) fn points(h: i32) -> Points {
    Points::from_hundredths(u32::try_from(h).unwrap_or(0))
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The subtotals kept with a result.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Detail {
    pub(crate) areas: Vec<(ExamScope, Subtotal)>,
    pub(crate) laws: Vec<(String, Subtotal)>,
}

fn checked_reason(reason: &str) -> Result<String, AppError> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(AppError::invalid(
            "reason",
            crate::msg!(results.reason_required),
        ));
    }
    if reason.chars().count() > MAX_REASON {
        return Err(AppError::invalid(
            "reason",
            crate::msg!(results.reason_too_long, max = MAX_REASON),
        ));
    }
    Ok(reason.to_owned())
}

fn status_of(b: &batch::Model) -> Result<BatchStatus, AppError> {
    BatchStatus::parse(&b.status).ok_or_else(|| corrupt("batch status", &b.status))
}

pub(crate) fn outcome_of(r: &exam_result::Model) -> Result<ResultOutcome, AppError> {
    ResultOutcome::parse(&r.outcome).ok_or_else(|| corrupt("result outcome", &r.outcome))
}

/// The batch, locked for this write transaction, if its results may still change.
async fn open_batch(conn: &impl ConnectionTrait, batch_id: i64) -> Result<batch::Model, AppError> {
    let b = batch::Entity::find_by_id(batch_id)
        .lock_exclusive()
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    match status_of(&b)? {
        BatchStatus::Published => Err(AppError::conflict(
            "batch",
            crate::msg!(results.results_published_locked),
        )),
        BatchStatus::Draft => Err(AppError::conflict(
            "batch",
            crate::msg!(results.batch_not_held_yet),
        )),
        _ => Ok(b),
    }
}

/// The batch's item decisions as scoring takes them, and as stored.
async fn decisions_of(
    conn: &impl ConnectionTrait,
    batch_id: i64,
    snapshot: &BankSnapshot,
) -> Result<(Decisions, Vec<item_decision::Model>), AppError> {
    let rows = item_decision::Entity::find()
        .filter(item_decision::Column::BatchId.eq(batch_id))
        .order_by_asc(item_decision::Column::Id)
        .all(conn)
        .await?;
    let mut decisions = Decisions::none();
    for r in &rows {
        let question = QuestionRef {
            question_id: r.question_id,
            revision_id: r.revision_id,
        };
        let decision = match DecisionKind::parse(&r.decision) {
            Some(DecisionKind::VoidAward) => ItemDecision::VoidAward,
            Some(DecisionKind::VoidRemove) => ItemDecision::VoidRemove,
            Some(DecisionKind::Rekey) => {
                let stored = r.answer_key.as_deref().unwrap_or_default();
                let q = snapshot.get(question).ok_or(AppError::Internal)?;
                let key = AnswerKey::parse_storage(q.question_type(), q.options().len(), stored)
                    .map_err(|_| corrupt("corrected key", stored))?;
                ItemDecision::Rekey(key)
            }
            None => return Err(corrupt("item decision", &r.decision)),
        };
        decisions.insert(question, decision);
    }
    Ok((decisions, rows))
}

/// Everything scoring a batch reads.
struct BatchData {
    snapshot: BankSnapshot,
    tickets: Vec<ticket::Model>,
    papers: HashMap<i64, question_bank::Paper>,
    attempts: HashMap<i64, attempt::Model>,
    answers: HashMap<i64, Answers>,
    lifted: HashSet<i64>,
}

async fn batch_data(conn: &impl ConnectionTrait, b: &batch::Model) -> Result<BatchData, AppError> {
    let snapshot = frozen_snapshot(conn, b)
        .await?
        .ok_or_else(|| AppError::conflict("batch", crate::msg!(results.batch_not_held_yet)))?;
    let tickets = ticket::Entity::find()
        .filter(ticket::Column::BatchId.eq(b.id))
        .order_by_asc(ticket::Column::TicketNo)
        .all(conn)
        .await?;
    let mut papers = HashMap::new();
    for row in paper::Entity::find()
        .filter(paper::Column::BatchId.eq(b.id))
        .all(conn)
        .await?
    {
        papers.insert(row.ticket_id, stored_paper(&row)?);
    }
    let attempts: HashMap<i64, attempt::Model> = attempt::Entity::find()
        .filter(attempt::Column::BatchId.eq(b.id))
        .all(conn)
        .await?
        .into_iter()
        .map(|a| (a.id, a))
        .collect();
    let ids: Vec<i64> = attempts.keys().copied().collect();
    let mut answers: HashMap<i64, Answers> = HashMap::new();
    for chunk in ids.chunks(IN_LIST) {
        let rows = answer::Entity::find()
            .filter(answer::Column::AttemptId.is_in(chunk.iter().copied()))
            .all(conn)
            .await?;
        for r in rows {
            let response =
                serde_json::from_str(&r.response).map_err(|_| corrupt("answer", &r.response))?;
            answers
                .entry(r.attempt_id)
                .or_default()
                .insert(u32::try_from(r.item).unwrap_or(0), response);
        }
    }
    let lifted = attempt_review::Entity::find()
        .filter(attempt_review::Column::BatchId.eq(b.id))
        .filter(attempt_review::Column::Decision.eq(ReviewDecision::Lifted.as_str()))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| r.attempt_id)
        .collect();
    Ok(BatchData {
        snapshot,
        tickets,
        papers,
        attempts,
        answers,
        lifted,
    })
}

/// One ticket's fresh result.
struct Scored {
    ticket_id: i64,
    attempt_id: Option<i64>,
    outcome: ResultOutcome,
    score: Option<Score>,
}

/// Scores every ticket of the batch (pure, given the data).
fn score_all(data: &BatchData, decisions: &Decisions) -> Result<Vec<Scored>, AppError> {
    let by_ticket: HashMap<i64, &attempt::Model> =
        data.attempts.values().map(|a| (a.ticket_id, a)).collect();
    let empty = Answers::new();
    data.tickets
        .iter()
        .map(|t| {
            let Some(a) = by_ticket.get(&t.id) else {
                return Ok(Scored {
                    ticket_id: t.id,
                    attempt_id: None,
                    outcome: ResultOutcome::Absent,
                    score: None,
                });
            };
            let status = AttemptStatus::parse(&a.status)
                .ok_or_else(|| corrupt("attempt status", &a.status))?;
            let paper = data.papers.get(&t.id).ok_or_else(|| {
                tracing::error!("results: ticket {} was sat without a paper", t.id);
                AppError::Internal
            })?;
            let answers = data.answers.get(&a.id).unwrap_or(&empty);
            let score = score_under(paper, &data.snapshot, answers, decisions).map_err(|e| {
                tracing::error!("results: paper of ticket {} unscorable: {e}", t.id);
                AppError::Internal
            })?;
            let outcome = if status == AttemptStatus::Voided && !data.lifted.contains(&a.id) {
                ResultOutcome::Voided
            } else if score.passed {
                ResultOutcome::Passed
            } else {
                ResultOutcome::Failed
            };
            Ok(Scored {
                ticket_id: t.id,
                attempt_id: Some(a.id),
                outcome,
                score: Some(score),
            })
        })
        .collect()
}

/// Checks that the batch's exam is over: every session ended, no attempt still running.
async fn check_exam_over(conn: &impl ConnectionTrait, batch_id: i64) -> Result<(), AppError> {
    let now = Utc::now();
    let sessions = exam_session::Entity::find()
        .filter(exam_session::Column::BatchId.eq(batch_id))
        .all(conn)
        .await?;
    if let Some(s) = sessions
        .iter()
        .find(|s| crate::sitting::ssr::session_times(s).2 > now)
    {
        let end = crate::sitting::ssr::session_times(s).2;
        return Err(AppError::conflict(
            "batch",
            crate::error::Text::render(|locale| {
                let time = crate::locale::format_datetime(locale, end);
                crate::i18n::td_string!(locale, results.session_not_over, time = time).to_string()
            }),
        ));
    }
    let running = attempt::Entity::find()
        .filter(attempt::Column::BatchId.eq(batch_id))
        .filter(attempt::Column::Status.eq(AttemptStatus::InProgress.as_str()))
        .count(conn)
        .await?;
    if running > 0 {
        return Err(AppError::conflict(
            "batch",
            crate::msg!(results.attempts_still_running, count = running),
        ));
    }
    Ok(())
}

/// Re-scores the whole batch inside `txn` and stores the results and the item statistics.
/// Returns the results as they were before, by ticket: (outcome, total).
async fn rescore(
    txn: &impl ConnectionTrait,
    b: &batch::Model,
    by_name: &str,
) -> Result<(HashMap<i64, (ResultOutcome, Points)>, BatchData), AppError> {
    let data = batch_data(txn, b).await?;
    let (decisions, _) = decisions_of(txn, b.id, &data.snapshot).await?;
    let scored = score_all(&data, &decisions)?;

    let before: HashMap<i64, (ResultOutcome, Points)> = exam_result::Entity::find()
        .filter(exam_result::Column::BatchId.eq(b.id))
        .all(txn)
        .await?
        .iter()
        .map(|r| Ok((r.ticket_id, (outcome_of(r)?, points(r.total)))))
        .collect::<Result<_, AppError>>()?;
    exam_result::Entity::delete_many()
        .filter(exam_result::Column::BatchId.eq(b.id))
        .exec(txn)
        .await?;
    let now = Utc::now();
    let rows: Vec<exam_result::ActiveModel> = scored
        .iter()
        .map(|s| {
            let (total, possible, pass_mark, detail) = match &s.score {
                Some(score) => (
                    hundredths(score.total),
                    hundredths(score.possible),
                    hundredths(score.pass_mark),
                    Detail {
                        areas: score.areas.clone(),
                        laws: score.laws.clone(),
                    },
                ),
                None => (0, 0, 0, Detail::default()),
            };
            let (total, detail) = if s.outcome == ResultOutcome::Voided {
                (0, Detail::default())
            } else {
                (total, detail)
            };
            Ok(exam_result::ActiveModel {
                ticket_id: Set(s.ticket_id),
                batch_id: Set(b.id),
                attempt_id: Set(s.attempt_id),
                outcome: Set(s.outcome.as_str().to_owned()),
                total: Set(total),
                possible: Set(possible),
                pass_mark: Set(pass_mark),
                detail: Set(serde_json::to_string(&detail).map_err(json_err)?),
                scored_at: Set(now),
                ..Default::default()
            })
        })
        .collect::<Result<_, AppError>>()?;
    for chunk in rows.chunks(INSERT_ROWS) {
        exam_result::Entity::insert_many(chunk.to_vec())
            .exec(txn)
            .await?;
    }

    // Item statistics over the attempts that count (not voided).
    let counted: Vec<&[question_bank::ItemScore]> = scored
        .iter()
        .filter(|s| s.outcome != ResultOutcome::Voided)
        .filter_map(|s| s.score.as_ref().map(|sc| sc.items.as_slice()))
        .collect();
    let analysis = analyse(counted, &data.snapshot, &decisions);
    let analysis = serde_json::to_string(&analysis).map_err(json_err)?;
    let previous = batch_scoring::Entity::find_by_id(b.id).one(txn).await?;
    let revision = previous.as_ref().map_or(1, |p| p.revision + 1);
    let row = batch_scoring::ActiveModel {
        batch_id: Set(b.id),
        revision: Set(revision),
        scored_at: Set(now),
        by_name: Set(by_name.chars().take(64).collect()),
        analysis: Set(analysis),
    };
    if previous.is_some() {
        row.update(txn).await?;
    } else {
        row.insert(txn).await?;
    }
    if matches!(
        status_of(b)?,
        BatchStatus::Scheduled | BatchStatus::InProgress
    ) {
        let mut closed: batch::ActiveModel = b.clone().into();
        closed.status = Set(BatchStatus::Closed.as_str().to_owned());
        closed.update(txn).await?;
    }
    Ok((before, data))
}

/// Scores the batch (closing it) or re-scores it. Audited.
#[tracing::instrument(skip_all)]
pub async fn score(
    db: &DatabaseConnection,
    caller: &Caller,
    batch_id: i64,
) -> Result<ScoringInfo, AppError> {
    let txn = begin_write(db).await?;
    let b = open_batch(&txn, batch_id).await?;
    check_exam_over(&txn, batch_id).await?;
    rescore(&txn, &b, &caller.user.display_name).await?;
    let info = scoring_info(&txn, batch_id)
        .await?
        .ok_or(AppError::Internal)?;
    let outcomes = outcome_counts(&txn, batch_id).await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "results.score",
        &format!("batch:{batch_id}"),
        serde_json::json!({ "revision": info.revision, "outcomes": outcomes }),
    )
    .await?;
    txn.commit().await?;
    Ok(info)
}

async fn outcome_counts(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<BTreeMap<&'static str, u32>, AppError> {
    let mut counts = BTreeMap::new();
    for r in exam_result::Entity::find()
        .filter(exam_result::Column::BatchId.eq(batch_id))
        .all(conn)
        .await?
    {
        *counts.entry(outcome_of(&r)?.as_str()).or_insert(0) += 1;
    }
    Ok(counts)
}

async fn scoring_info(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<Option<ScoringInfo>, AppError> {
    Ok(batch_scoring::Entity::find_by_id(batch_id)
        .one(conn)
        .await?
        .map(|s| ScoringInfo {
            revision: s.revision,
            scored_at: s.scored_at,
            by_name: s.by_name,
        }))
}

pub(crate) async fn publication_info(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<Option<PublicationInfo>, AppError> {
    Ok(publication::Entity::find_by_id(batch_id)
        .one(conn)
        .await?
        .map(|p| PublicationInfo {
            published_at: p.published_at,
            by_name: p.by_name,
            audit_head: p.audit_head,
            sat: u32::try_from(p.sat).unwrap_or(0),
            passed: u32::try_from(p.passed).unwrap_or(0),
        }))
}

async fn stored_analysis(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<Option<Analysis>, AppError> {
    match batch_scoring::Entity::find_by_id(batch_id)
        .one(conn)
        .await?
    {
        Some(s) => serde_json::from_str(&s.analysis)
            .map(Some)
            .map_err(json_err),
        None => Ok(None),
    }
}

/// Who each ticket is: (ticket, candidate name, agency name, room name).
pub(crate) struct People {
    pub(crate) names: HashMap<i64, plan_candidate::Model>,
    agency_of_plan: HashMap<i64, String>,
    agency_id_of_plan: HashMap<i64, i32>,
    rooms: HashMap<i64, String>,
}

impl People {
    pub(crate) fn name(&self, t: &ticket::Model) -> String {
        self.names
            .get(&t.candidate_id)
            .map(|c| c.name.clone())
            .unwrap_or_default()
    }

    pub(crate) fn agency(&self, t: &ticket::Model) -> String {
        self.names
            .get(&t.candidate_id)
            .and_then(|c| self.agency_of_plan.get(&c.plan_id))
            .cloned()
            .unwrap_or_default()
    }

    pub(crate) fn agency_id(&self, t: &ticket::Model) -> Option<i32> {
        self.names
            .get(&t.candidate_id)
            .and_then(|c| self.agency_id_of_plan.get(&c.plan_id))
            .copied()
    }

    fn room(&self, t: &ticket::Model) -> String {
        self.rooms.get(&t.room_id).cloned().unwrap_or_default()
    }
}

pub(crate) async fn people(conn: &impl ConnectionTrait, batch_id: i64) -> Result<People, AppError> {
    let plans = plans_of(conn, batch_id).await?;
    let agencies = agency_names(conn).await?;
    let names = candidates_of(conn, &plans)
        .await?
        .into_iter()
        .map(|c| (c.id, c))
        .collect();
    let rooms = room::Entity::find()
        .filter(room::Column::BatchId.eq(batch_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.id, format!("{} {}", r.venue, r.name)))
        .collect();
    Ok(People {
        names,
        agency_of_plan: plans
            .iter()
            .map(|p| {
                (
                    p.id,
                    agencies.get(&p.agency_id).cloned().unwrap_or_default(),
                )
            })
            .collect(),
        agency_id_of_plan: plans.iter().map(|p| (p.id, p.agency_id)).collect(),
        rooms,
    })
}

async fn tickets_of(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<Vec<ticket::Model>, AppError> {
    Ok(ticket::Entity::find()
        .filter(ticket::Column::BatchId.eq(batch_id))
        .order_by_asc(ticket::Column::TicketNo)
        .all(conn)
        .await?)
}

async fn results_of(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<HashMap<i64, exam_result::Model>, AppError> {
    Ok(exam_result::Entity::find()
        .filter(exam_result::Column::BatchId.eq(batch_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.ticket_id, r))
        .collect())
}

/// Counts one registered person of group `name` with their outcome (if scored).
pub(crate) fn tally(
    groups: &mut BTreeMap<String, GroupRate>,
    name: String,
    outcome: Option<ResultOutcome>,
) {
    let g = groups.entry(name.clone()).or_insert_with(|| GroupRate {
        name,
        registered: 0,
        sat: 0,
        passed: 0,
    });
    g.registered += 1;
    if matches!(outcome, Some(ResultOutcome::Passed | ResultOutcome::Failed)) {
        g.sat += 1;
    }
    if outcome == Some(ResultOutcome::Passed) {
        g.passed += 1;
    }
}

fn rate(groups: BTreeMap<String, GroupRate>) -> Vec<GroupRate> {
    groups.into_values().collect()
}

/// The overview of the batch's results.
#[tracing::instrument(skip_all)]
pub async fn overview(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<ResultsOverview, AppError> {
    let b = find(conn, batch_id).await?;
    let tickets = tickets_of(conn, batch_id).await?;
    let results = results_of(conn, batch_id).await?;
    let who = people(conn, batch_id).await?;
    let analysis = stored_analysis(conn, batch_id).await?;
    let (mut sat, mut absent, mut voided, mut passed) = (0u32, 0u32, 0u32, 0u32);
    let mut totals = Vec::new();
    let mut by_agency: BTreeMap<String, GroupRate> = BTreeMap::new();
    let mut by_room: BTreeMap<String, GroupRate> = BTreeMap::new();
    let mut possible = 100.0f64;
    for t in &tickets {
        let r = results.get(&t.id);
        let outcome = r.map(outcome_of).transpose()?;
        tally(&mut by_agency, who.agency(t), outcome);
        tally(&mut by_room, who.room(t), outcome);
        match (outcome, r) {
            (Some(ResultOutcome::Absent), _) => absent += 1,
            (Some(ResultOutcome::Voided), _) => voided += 1,
            (Some(o), Some(r)) => {
                sat += 1;
                if o == ResultOutcome::Passed {
                    passed += 1;
                }
                totals.push(points(r.total).as_f64());
                possible = points(r.possible).as_f64();
            }
            _ => {}
        }
    }
    let flagged_items = match &analysis {
        Some(a) => {
            let decided: HashSet<i64> = item_decision::Entity::find()
                .filter(item_decision::Column::BatchId.eq(batch_id))
                .all(conn)
                .await?
                .iter()
                .map(|d| d.revision_id)
                .collect();
            count(
                a.items
                    .iter()
                    .filter(|i| !i.flags.is_empty() && !decided.contains(&i.question.revision_id))
                    .count(),
            )
        }
        None => 0,
    };
    Ok(ResultsOverview {
        batch_id,
        batch_name: b.name.clone(),
        status: b.status.clone(),
        scoring: scoring_info(conn, batch_id).await?,
        publication: publication_info(conn, batch_id).await?,
        registered: count(tickets.len()),
        sat,
        absent,
        voided,
        passed,
        distribution: distribution(&totals),
        reliability: analysis.as_ref().and_then(|a| a.reliability),
        histogram_svg: histogram_svg(&totals, possible),
        by_agency: rate(by_agency),
        by_room: rate(by_room),
        open_reviews: count(
            cases(conn, batch_id)
                .await?
                .iter()
                .filter(|c| c.review.is_none())
                .count(),
        ),
        flagged_items,
    })
}

/// The histogram of totals, in bins of a tenth of the paper, as an SVG document.
fn histogram_svg(totals: &[f64], possible: f64) -> String {
    use plotters::prelude::*;

    let width = (possible / 10.0).max(1.0);
    let counts = histogram(totals, width, possible);
    let top = counts.iter().copied().max().unwrap_or(0).max(1);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (640, 280)).into_drawing_area();
        let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
            root.fill(&WHITE)?;
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .x_label_area_size(28)
                .y_label_area_size(36)
                .build_cartesian_2d(0.0..possible.max(1.0), 0u32..top + 1)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_labels(11)
                .y_labels(usize::try_from(top.min(10) + 1).unwrap_or(11))
                .x_label_formatter(&|v| format!("{v:.0}"))
                .draw()?;
            chart.draw_series(counts.iter().enumerate().map(|(i, &n)| {
                let from = i as f64 * width;
                let mut bar = Rectangle::new(
                    [(from, 0), ((from + width).min(possible), n)],
                    RGBColor(0x1f, 0x5f, 0xa8).filled(),
                );
                bar.set_margin(0, 0, 1, 1);
                bar
            }))?;
            root.present()?;
            Ok(())
        })();
        if let Err(e) = drawn {
            tracing::warn!("results: histogram not drawn: {e}");
        }
    }
    svg
}

/// `text` cut to `max` characters, with "…" when cut.
fn shortened(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let mut out: String = text.chars().take(max).collect();
    out.push('…');
    out
}

/// The item analysis rows.
#[tracing::instrument(skip_all)]
pub async fn items(conn: &impl ConnectionTrait, batch_id: i64) -> Result<Vec<ItemRow>, AppError> {
    let b = find(conn, batch_id).await?;
    let Some(analysis) = stored_analysis(conn, batch_id).await? else {
        return Err(AppError::conflict(
            "batch",
            crate::msg!(results.batch_not_scored),
        ));
    };
    let snapshot = frozen_snapshot(conn, &b).await?.ok_or(AppError::Internal)?;
    let (_, decided) = decisions_of(conn, batch_id, &snapshot).await?;
    let decided: HashMap<i64, &item_decision::Model> =
        decided.iter().map(|d| (d.revision_id, d)).collect();
    analysis
        .items
        .iter()
        .map(|i| {
            let q = snapshot.get(i.question).ok_or(AppError::Internal)?;
            let decision = match decided.get(&i.question.revision_id) {
                Some(d) => Some(DecisionInfo {
                    kind: DecisionKind::parse(&d.decision)
                        .ok_or_else(|| corrupt("item decision", &d.decision))?,
                    answer_key: d.answer_key.clone(),
                    reason: d.reason.clone(),
                    by_name: d.by_name.clone(),
                    at: d.at,
                }),
                None => None,
            };
            Ok(ItemRow {
                question_id: i.question.question_id,
                revision_id: i.question.revision_id,
                question_type: q.question_type(),
                stem: shortened(q.stem().as_str(), 60),
                law: q.legal_basis().law_name().to_owned(),
                bank_key: q.answer_key().to_storage_string(),
                option_count: u8::try_from(q.options().len()).unwrap_or(u8::MAX),
                candidates: i.candidates,
                facility: i.facility,
                discrimination: i.discrimination,
                upper_lower: i.upper_lower,
                chosen: i.chosen.clone(),
                unanswered: i.unanswered,
                flags: i.flags.clone(),
                decision,
            })
        })
        .collect()
}

/// Records (or takes back) a decision about a question and re-scores the batch.
#[tracing::instrument(skip_all)]
pub async fn decide(
    db: &DatabaseConnection,
    caller: &Caller,
    batch_id: i64,
    revision_id: i64,
    kind: Option<DecisionKind>,
    answer_key: Option<&str>,
    reason: &str,
) -> Result<Vec<AffectedAttempt>, AppError> {
    let reason = checked_reason(reason)?;
    let txn = begin_write(db).await?;
    let b = open_batch(&txn, batch_id).await?;
    let Some(analysis) = stored_analysis(&txn, batch_id).await? else {
        return Err(AppError::conflict(
            "batch",
            crate::msg!(results.batch_not_scored),
        ));
    };
    let Some(stats) = analysis
        .items
        .iter()
        .find(|i| i.question.revision_id == revision_id)
    else {
        return Err(AppError::invalid(
            "revision_id",
            crate::msg!(results.question_not_in_batch),
        ));
    };
    let question = stats.question;
    let snapshot = frozen_snapshot(&txn, &b).await?.ok_or(AppError::Internal)?;
    let q = snapshot.get(question).ok_or(AppError::Internal)?;
    let key = match kind {
        Some(DecisionKind::Rekey) => {
            let raw = answer_key.unwrap_or_default().trim().to_uppercase();
            let key = AnswerKey::parse_storage(q.question_type(), q.options().len(), &raw)
                .map_err(|_| {
                    AppError::invalid(
                        "new_key",
                        crate::msg!(results.key_unreadable, options = q.options().len()),
                    )
                })?;
            if key == *q.answer_key() {
                return Err(AppError::invalid(
                    "new_key",
                    crate::msg!(results.key_same_as_bank),
                ));
            }
            Some(key.to_storage_string())
        }
        _ => None,
    };
    item_decision::Entity::delete_many()
        .filter(item_decision::Column::BatchId.eq(batch_id))
        .filter(item_decision::Column::RevisionId.eq(revision_id))
        .exec(&txn)
        .await?;
    if let Some(kind) = kind {
        item_decision::ActiveModel {
            batch_id: Set(batch_id),
            question_id: Set(question.question_id),
            revision_id: Set(revision_id),
            decision: Set(kind.as_str().to_owned()),
            answer_key: Set(key.clone()),
            reason: Set(reason.clone()),
            by_name: Set(caller.user.display_name.chars().take(64).collect()),
            at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let (before, data) = rescore(&txn, &b, &caller.user.display_name).await?;
    let after = results_of(&txn, batch_id).await?;
    let who = people(&txn, batch_id).await?;
    let holders: HashSet<i64> = data
        .papers
        .iter()
        .filter(|(_, p)| p.items().any(|(_, _, i)| i.question() == question))
        .map(|(&ticket_id, _)| ticket_id)
        .collect();
    let mut affected = Vec::new();
    for t in tickets_of(&txn, batch_id).await? {
        let Some(now) = after.get(&t.id) else {
            continue;
        };
        if !holders.contains(&t.id) || now.attempt_id.is_none() {
            continue;
        }
        let outcome_after = outcome_of(now)?;
        let (outcome_before, before_total) = before
            .get(&t.id)
            .copied()
            .unwrap_or((outcome_after, points(now.total)));
        affected.push(AffectedAttempt {
            ticket_no: TicketNumber::parse(&t.ticket_no)
                .map(|n| n.grouped())
                .unwrap_or_else(|_| t.ticket_no.clone()),
            name: who.name(&t),
            before: before_total,
            after: points(now.total),
            outcome_before,
            outcome_after,
        });
    }
    let changed = affected.iter().filter(|a| a.before != a.after).count();
    record(
        &txn,
        &Actor::from(&caller.user),
        "results.decide",
        &format!("batch:{batch_id}"),
        serde_json::json!({
            "question": question.question_id,
            "revision": revision_id,
            "decision": kind.map(DecisionKind::as_str),
            "answer_key": key,
            "reason": reason,
            "attempts": affected.len(),
            "changed": changed,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(affected)
}

/// The attempts of a batch with evidence, and their reviews.
async fn cases(conn: &impl ConnectionTrait, batch_id: i64) -> Result<Vec<ReviewCase>, AppError> {
    let attempts = attempt::Entity::find()
        .filter(attempt::Column::BatchId.eq(batch_id))
        .all(conn)
        .await?;
    let ids: Vec<i64> = attempts.iter().map(|a| a.id).collect();
    let signal_kinds: Vec<&str> = EventKind::SIGNALS.iter().map(|k| k.as_str()).collect();
    let mut signals: HashMap<i64, u32> = HashMap::new();
    for chunk in ids.chunks(IN_LIST) {
        let rows: Vec<i64> = attempt_event::Entity::find()
            .select_only()
            .column(attempt_event::Column::AttemptId)
            .filter(attempt_event::Column::AttemptId.is_in(chunk.iter().copied()))
            .filter(attempt_event::Column::Kind.is_in(signal_kinds.iter().copied()))
            .into_tuple()
            .all(conn)
            .await?;
        for id in rows {
            *signals.entry(id).or_default() += 1;
        }
    }
    let tickets: HashMap<i64, ticket::Model> = tickets_of(conn, batch_id)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut misconducts: HashMap<i64, Vec<misconduct::Model>> = HashMap::new();
    let ticket_ids: Vec<i64> = tickets.keys().copied().collect();
    for chunk in ticket_ids.chunks(IN_LIST) {
        for m in misconduct::Entity::find()
            .filter(misconduct::Column::TicketId.is_in(chunk.iter().copied()))
            .order_by_asc(misconduct::Column::Id)
            .all(conn)
            .await?
        {
            misconducts.entry(m.ticket_id).or_default().push(m);
        }
    }
    let reviews: HashMap<i64, attempt_review::Model> = attempt_review::Entity::find()
        .filter(attempt_review::Column::BatchId.eq(batch_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|r| (r.attempt_id, r))
        .collect();
    let who = people(conn, batch_id).await?;
    let mut out = Vec::new();
    for a in attempts {
        let status =
            AttemptStatus::parse(&a.status).ok_or_else(|| corrupt("attempt status", &a.status))?;
        let n = signals.get(&a.id).copied().unwrap_or(0);
        let recorded = misconducts.remove(&a.ticket_id).unwrap_or_default();
        let evidence = n > 0
            || !recorded.is_empty()
            || matches!(
                status,
                AttemptStatus::ForceSubmitted | AttemptStatus::Voided
            );
        let Some(t) = tickets.get(&a.ticket_id) else {
            continue;
        };
        if !evidence {
            continue;
        }
        let review = match reviews.get(&a.id) {
            Some(r) => Some(ReviewInfo {
                decision: ReviewDecision::parse(&r.decision)
                    .ok_or_else(|| corrupt("review decision", &r.decision))?,
                reason: r.reason.clone(),
                by_name: r.by_name.clone(),
                at: r.at,
            }),
            None => None,
        };
        out.push(ReviewCase {
            attempt_id: a.id,
            ticket_no: TicketNumber::parse(&t.ticket_no)
                .map(|n| n.grouped())
                .unwrap_or_else(|_| t.ticket_no.clone()),
            name: who.name(t),
            agency: who.agency(t),
            room: who.room(t),
            status,
            signals: n,
            misconduct: recorded
                .into_iter()
                .map(|m| {
                    let category = match MisconductCategory::parse(&m.category) {
                        Some(c) => crate::error::Text::render(|l| c.label(l).to_owned()),
                        None => return Err(corrupt("misconduct category", &m.category)),
                    };
                    Ok((category, m.description))
                })
                .collect::<Result<_, AppError>>()?,
            review,
        });
    }
    out.sort_by(|a, b| a.ticket_no.cmp(&b.ticket_no));
    Ok(out)
}

/// The review cases of a batch.
#[tracing::instrument(skip_all)]
pub async fn reviews(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<Vec<ReviewCase>, AppError> {
    find(conn, batch_id).await?;
    cases(conn, batch_id).await
}

/// Upholds or lifts an attempt's evidence; re-scores the batch if it was scored.
#[tracing::instrument(skip_all)]
pub async fn review(
    db: &DatabaseConnection,
    caller: &Caller,
    attempt_id: i64,
    decision: ReviewDecision,
    reason: &str,
) -> Result<(), AppError> {
    let reason = checked_reason(reason)?;
    let txn = begin_write(db).await?;
    let a = attempt::Entity::find_by_id(attempt_id)
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let b = open_batch(&txn, a.batch_id).await?;
    if !cases(&txn, a.batch_id)
        .await?
        .iter()
        .any(|c| c.attempt_id == attempt_id)
    {
        return Err(AppError::invalid(
            "attempt_id",
            crate::msg!(results.nothing_to_review),
        ));
    }
    attempt_review::Entity::delete_by_id(attempt_id)
        .exec(&txn)
        .await?;
    attempt_review::ActiveModel {
        attempt_id: Set(attempt_id),
        batch_id: Set(a.batch_id),
        decision: Set(decision.as_str().to_owned()),
        reason: Set(reason.clone()),
        by_name: Set(caller.user.display_name.chars().take(64).collect()),
        at: Set(Utc::now()),
    }
    .insert(&txn)
    .await?;
    if batch_scoring::Entity::find_by_id(a.batch_id)
        .one(&txn)
        .await?
        .is_some()
    {
        rescore(&txn, &b, &caller.user.display_name).await?;
    }
    record(
        &txn,
        &Actor::from(&caller.user),
        "results.review",
        &format!("attempt:{attempt_id}"),
        serde_json::json!({ "batch": a.batch_id, "decision": decision.as_str(), "reason": reason }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Publishes the batch's results.
#[tracing::instrument(skip_all)]
pub async fn publish(
    db: &DatabaseConnection,
    caller: &Caller,
    policy: &ResultsPolicy,
    batch_id: i64,
) -> Result<PublicationInfo, AppError> {
    let txn = begin_write(db).await?;
    let b = open_batch(&txn, batch_id).await?;
    if scoring_info(&txn, batch_id).await?.is_none() {
        return Err(AppError::conflict(
            "batch",
            crate::msg!(results.batch_not_scored),
        ));
    }
    let open = cases(&txn, batch_id)
        .await?
        .iter()
        .filter(|c| c.review.is_none())
        .count();
    if open > 0 {
        return Err(AppError::conflict(
            "reviews",
            crate::msg!(results.reviews_still_open, count = open),
        ));
    }
    let outcomes = outcome_counts(&txn, batch_id).await?;
    let passed = outcomes.get("passed").copied().unwrap_or(0);
    let sat = passed + outcomes.get("failed").copied().unwrap_or(0);
    record(
        &txn,
        &Actor::from(&caller.user),
        "results.publish",
        &format!("batch:{batch_id}"),
        serde_json::json!({ "outcomes": outcomes }),
    )
    .await?;
    let head = audit_head::Entity::find_by_id(1)
        .one(&txn)
        .await?
        .ok_or(AppError::Internal)?;
    let now = Utc::now();
    publication::ActiveModel {
        batch_id: Set(batch_id),
        published_at: Set(now),
        by_name: Set(caller.user.display_name.chars().take(64).collect()),
        audit_head: Set(head.last_hash.clone()),
        sat: Set(i32::try_from(sat).unwrap_or(i32::MAX)),
        passed: Set(i32::try_from(passed).unwrap_or(i32::MAX)),
    }
    .insert(&txn)
    .await?;
    super::published::on_publish(&txn, &b, policy, now).await?;
    let mut published: batch::ActiveModel = b.into();
    published.status = Set(BatchStatus::Published.as_str().to_owned());
    published.update(&txn).await?;
    txn.commit().await?;
    publication_info(db, batch_id)
        .await?
        .ok_or(AppError::Internal)
}

/// Whether the caller may read the batch's results, and which agency they are limited to.
pub(crate) async fn scope_of_batch(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    b: &batch::Model,
) -> Result<Option<i32>, AppError> {
    match caller.user.role {
        Role::OfficeAdmin => Ok(None),
        Role::AgencyOfficer => {
            let own = caller.user.agency.as_ref().map(|a| a.id);
            let holds = plans_of(conn, b.id)
                .await?
                .iter()
                .any(|p| Some(p.agency_id) == own);
            if !holds || own.is_none() {
                return Err(AppError::NotFound);
            }
            if status_of(b)? != BatchStatus::Published {
                return Err(AppError::conflict(
                    "batch",
                    crate::msg!(results.not_published_yet),
                ));
            }
            Ok(own)
        }
        _ => Err(AppError::Forbidden),
    }
}

/// The results list within the caller's scope.
#[tracing::instrument(skip_all)]
pub async fn list(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    batch_id: i64,
) -> Result<ResultList, AppError> {
    let b = find(conn, batch_id).await?;
    let agency = scope_of_batch(conn, caller, &b).await?;
    let results = results_of(conn, batch_id).await?;
    if results.is_empty() {
        return Err(AppError::conflict(
            "batch",
            crate::msg!(results.batch_not_scored),
        ));
    }
    let who = people(conn, batch_id).await?;
    let persons: HashMap<i64, person_result::Model> = person_result::Entity::find()
        .filter(person_result::Column::BatchId.eq(batch_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|p| (p.ticket_id, p))
        .collect();
    let mut lines = Vec::new();
    for t in tickets_of(conn, batch_id).await? {
        if agency.is_some() && who.agency_id(&t) != agency {
            continue;
        }
        let Some(r) = results.get(&t.id) else {
            continue;
        };
        lines.push(ResultLine {
            ticket_no: TicketNumber::parse(&t.ticket_no)
                .map(|n| n.grouped())
                .unwrap_or_else(|_| t.ticket_no.clone()),
            name: who.name(&t),
            agency: who.agency(&t),
            room: who.room(&t),
            outcome: outcome_of(r)?,
            total: points(r.total),
            possible: points(r.possible),
            pass_valid_until: persons
                .get(&t.id)
                .filter(|p| p.outcome == ResultOutcome::Passed.as_str())
                .map(|p| p.valid_until),
            certificate_applied: persons
                .get(&t.id)
                .is_some_and(|p| p.certificate_applied_at.is_some()),
        });
    }
    Ok(ResultList {
        batch_name: b.name,
        publication: publication_info(conn, batch_id).await?,
        lines,
    })
}

/// The results list or the pass list as a file: `(content type, file name, bytes)`.
#[tracing::instrument(skip_all)]
pub async fn export(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    batch_id: i64,
    which: &str,
    format: &str,
) -> Result<(&'static str, String, Vec<u8>), AppError> {
    let pass_only = match which {
        "all" => false,
        "pass" => true,
        _ => {
            return Err(AppError::invalid("list", crate::msg!(results.unknown_list)));
        }
    };
    if !matches!(format, "csv" | "xlsx") {
        return Err(AppError::invalid(
            "format",
            crate::msg!(results.unknown_format),
        ));
    }
    let list = list(conn, caller, batch_id).await?;
    let b = find(conn, batch_id).await?;
    let residents: HashMap<String, String> = if pass_only {
        let who = people(conn, batch_id).await?;
        tickets_of(conn, batch_id)
            .await?
            .iter()
            .filter_map(|t| {
                let no = TicketNumber::parse(&t.ticket_no).ok()?.grouped();
                let c = who.names.get(&t.candidate_id)?;
                Some((no, c.resident_id.clone()))
            })
            .collect()
    } else {
        HashMap::new()
    };
    let lz = Locale::zh;
    let mut header: Vec<&str> = vec![
        crate::i18n::td_string!(lz, results.column_ticket),
        crate::i18n::td_string!(lz, results.column_name),
    ];
    if pass_only {
        header.push(crate::i18n::td_string!(lz, results.column_resident_id));
    }
    header.extend([
        crate::i18n::td_string!(lz, results.column_agency),
        crate::i18n::td_string!(lz, results.column_room),
        crate::i18n::td_string!(lz, results.column_total),
        crate::i18n::td_string!(lz, results.column_possible),
        crate::i18n::td_string!(lz, results.column_outcome),
    ]);
    let rows: Vec<Vec<Cell>> = list
        .lines
        .iter()
        .filter(|l| !pass_only || l.outcome == ResultOutcome::Passed)
        .map(|l| {
            let mut row = vec![Cell::Text(l.ticket_no.clone()), Cell::Text(l.name.clone())];
            if pass_only {
                row.push(Cell::Text(
                    residents.get(&l.ticket_no).cloned().unwrap_or_default(),
                ));
            }
            row.extend([
                Cell::Text(l.agency.clone()),
                Cell::Text(l.room.clone()),
                Cell::Number(l.total.as_f64()),
                Cell::Number(l.possible.as_f64()),
                Cell::Text(l.outcome.label(lz).to_owned()),
            ]);
            row
        })
        .collect();
    let title = if pass_only {
        crate::i18n::td_string!(lz, results.pass_list_title)
    } else {
        crate::i18n::td_string!(lz, results.results_list_title)
    };
    let published = match &list.publication {
        Some(p) => {
            let at = crate::locale::format_datetime(lz, p.published_at);
            crate::i18n::td_string!(
                lz,
                results.published_line,
                at = at,
                head = p.audit_head.clone()
            )
            .to_string()
        }
        None => crate::i18n::td_string!(lz, results.not_published_line).to_owned(),
    };
    let file_stem = format!(
        "{}-batch{batch_id}",
        if pass_only { "pass-list" } else { "results" }
    );
    let fail = |e: question_bank::ExportError| {
        tracing::error!("results: export: {e}");
        AppError::Internal
    };
    if format == "csv" {
        Ok((
            "text/csv; charset=utf-8",
            format!("{file_stem}.csv"),
            question_bank::table_csv(&header, &rows).map_err(fail)?,
        ))
    } else {
        let lines = [format!("{} {title}", b.name), published];
        Ok((
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            format!("{file_stem}.xlsx"),
            question_bank::table_xlsx(title, &lines, &header, &rows).map_err(fail)?,
        ))
    }
}

/// The score of one ticket's answers under the batch's decisions (for a score review).
pub(crate) async fn score_one(
    conn: &impl ConnectionTrait,
    batch_id: i64,
    ticket_id: i64,
    answers: &Answers,
) -> Result<Score, AppError> {
    let b = find(conn, batch_id).await?;
    let snapshot = frozen_snapshot(conn, &b).await?.ok_or(AppError::Internal)?;
    let (decisions, _) = decisions_of(conn, batch_id, &snapshot).await?;
    let row = paper::Entity::find()
        .filter(paper::Column::TicketId.eq(ticket_id))
        .one(conn)
        .await?
        .ok_or(AppError::Internal)?;
    score_under(&stored_paper(&row)?, &snapshot, answers, &decisions).map_err(|e| {
        tracing::error!("results: paper of ticket {ticket_id} unscorable: {e}");
        AppError::Internal
    })
}

/// Pass rate (passed of sat) per group, as a bar chart in an SVG document.
pub(crate) fn rate_chart(rows: &[GroupRate]) -> String {
    use plotters::prelude::*;

    let mut svg = String::new();
    if rows.is_empty() {
        return svg;
    }
    {
        let root = SVGBackend::with_string(&mut svg, (640, 260)).into_drawing_area();
        let names: Vec<String> = rows.iter().map(|r| r.name.clone()).collect();
        let drawn = (|| -> Result<(), Box<dyn std::error::Error + '_>> {
            root.fill(&WHITE)?;
            let mut chart = ChartBuilder::on(&root)
                .margin(12)
                .x_label_area_size(28)
                .y_label_area_size(40)
                .build_cartesian_2d((0..rows.len()).into_segmented(), 0.0..100.0)?;
            chart
                .configure_mesh()
                .disable_x_mesh()
                .x_label_formatter(&|v| match v {
                    SegmentValue::CenterOf(i) => names.get(*i).cloned().unwrap_or_default(),
                    _ => String::new(),
                })
                .y_label_formatter(&|v| format!("{v:.0}%"))
                .draw()?;
            chart.draw_series(rows.iter().enumerate().map(|(i, r)| {
                let rate = if r.sat == 0 {
                    0.0
                } else {
                    f64::from(r.passed) * 100.0 / f64::from(r.sat)
                };
                let mut bar = Rectangle::new(
                    [
                        (SegmentValue::Exact(i), 0.0),
                        (SegmentValue::Exact(i + 1), rate),
                    ],
                    RGBColor(0x2e, 0x7d, 0x32).filled(),
                );
                bar.set_margin(0, 0, 8, 8);
                bar
            }))?;
            root.present()?;
            Ok(())
        })();
        if let Err(e) = drawn {
            tracing::warn!("results: rate chart not drawn: {e}");
        }
    }
    svg
}
