//! After publication: result notices with verification codes and the public verification,
//! results recorded on the person (and the eligibility history they feed), certificate
//! applications, score reviews (成绩复核), a candidate's own result, and statistics across
//! batches.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Datelike, Utc};
use question_bank::{Answers, ExamScope, Points, Response};
use rand::RngCore;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::{
    GroupRate, MyPublishedResult, MyResult, NoticeStatus, NoticeView, PartScore, PublishedResult,
    ResultOutcome, ReviewedItem, ScoreReviewDetail, ScoreReviewLine, Statistics, Verification,
    code::{CodeError, NoticeCode},
    ssr::{Detail, outcome_of, people, points, publication_info, scope_of_batch},
};
use crate::{
    audit::ssr::{Actor, record},
    batches::ssr::{find, kind_label},
    error::AppError,
    procedure::{CandidateHistory, FailRecord, PassRecord, TicketNumber},
    ssr::{
        AppState, AuthConfig, Caller, ResultsPolicy, begin_write, corrupt,
        entities::{
            attempt, batch, exam_result, exam_session, person_result, plan_candidate,
            result_notice, score_review, ticket,
        },
    },
};

/// Longest score review request or answer, in characters.
const MAX_TEXT: usize = 1000;

/// The scheme and host the caller reached us by, for the verification URL printed on notices.
/// Read before the server function's first `.await`.
pub fn origin(state: &AppState) -> String {
    let Some(parts) = crate::ssr::context::request_parts() else {
        return String::new();
    };
    let header = |name: &str| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let host = header("host").unwrap_or_else(|| "localhost".to_owned());
    let scheme = if state.auth.trust_proxy {
        header("x-forwarded-proto").unwrap_or_else(|| "http".to_owned())
    } else if state.auth.secure_cookies {
        "https".to_owned()
    } else {
        "http".to_owned()
    };
    format!("{scheme}://{host}")
}

fn new_code() -> NoticeCode {
    let mut bytes = [0u8; 10];
    rand::rng().fill_bytes(&mut bytes);
    NoticeCode::from_random(bytes)
}

fn qr_svg(url: &str) -> String {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => code
            .render::<qrcode::render::svg::Color<'_>>()
            .min_dimensions(148, 148)
            .build(),
        Err(e) => {
            tracing::warn!("results: QR code not drawn: {e}");
            String::new()
        }
    }
}

/// The exam's date: the start of its first session.
async fn exam_date(conn: &impl ConnectionTrait, batch_id: i64) -> Result<DateTime<Utc>, AppError> {
    Ok(exam_session::Entity::find()
        .filter(exam_session::Column::BatchId.eq(batch_id))
        .order_by_asc(exam_session::Column::StartsAt)
        .one(conn)
        .await?
        .map_or_else(Utc::now, |s| s.starts_at))
}

async fn insert_notice(
    conn: &impl ConnectionTrait,
    ticket_id: i64,
    batch_id: i64,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    result_notice::ActiveModel {
        code: Set(new_code().as_str().to_owned()),
        ticket_id: Set(ticket_id),
        batch_id: Set(batch_id),
        status: Set(NoticeStatus::Valid.as_str().to_owned()),
        issued_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// At publication, inside its transaction: a notice for every ticket, and every result
/// recorded on its person.
pub(crate) async fn on_publish(
    txn: &impl ConnectionTrait,
    b: &batch::Model,
    policy: &ResultsPolicy,
    now: DateTime<Utc>,
) -> Result<(), AppError> {
    let date = exam_date(txn, b.id).await?;
    let valid_until = date + chrono::Duration::days(i64::from(policy.pass_valid_days));
    let results = exam_result::Entity::find()
        .filter(exam_result::Column::BatchId.eq(b.id))
        .all(txn)
        .await?;
    let who = people(txn, b.id).await?;
    let tickets: HashMap<i64, ticket::Model> = ticket::Entity::find()
        .filter(ticket::Column::BatchId.eq(b.id))
        .all(txn)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    for r in results {
        insert_notice(txn, r.ticket_id, b.id, now).await?;
        let Some(candidate) = tickets
            .get(&r.ticket_id)
            .and_then(|t| who.names.get(&t.candidate_id))
        else {
            return Err(AppError::Internal);
        };
        person_result::ActiveModel {
            resident_id: Set(candidate.resident_id.clone()),
            ticket_id: Set(r.ticket_id),
            batch_id: Set(b.id),
            exam_kind: Set(b.exam_kind.clone()),
            field: Set(b.field.clone()),
            outcome: Set(r.outcome.clone()),
            exam_date: Set(date),
            valid_until: Set(valid_until),
            certificate_applied_at: Set(None),
            ..Default::default()
        }
        .insert(txn)
        .await?;
    }
    Ok(())
}

/// The exam a stored kind and field name.
fn scope_of(kind: &str, field: Option<&str>) -> Option<ExamScope> {
    match (kind, field) {
        ("general", _) => Some(ExamScope::General),
        ("professional", Some(f)) => question_bank::EnforcementField::parse(f)
            .ok()
            .map(ExamScope::Professional),
        _ => None,
    }
}

/// The exam histories of these people, by resident ID, from their published results. A pass
/// followed by a certificate application does not lapse; a voided result counts as a fail;
/// absence counts as nothing.
pub(crate) async fn histories(
    conn: &impl ConnectionTrait,
    resident_ids: &[String],
) -> Result<HashMap<String, CandidateHistory>, AppError> {
    let mut out: HashMap<String, CandidateHistory> = HashMap::new();
    for chunk in resident_ids.chunks(500) {
        let rows = person_result::Entity::find()
            .filter(person_result::Column::ResidentId.is_in(chunk.iter().cloned()))
            .all(conn)
            .await?;
        for r in rows {
            let Some(scope) = scope_of(&r.exam_kind, r.field.as_deref()) else {
                return Err(corrupt("person result exam", &r.exam_kind));
            };
            let china = crate::batches::china_time();
            let day = r.exam_date.with_timezone(&china).date_naive();
            let history = out.entry(r.resident_id.clone()).or_default();
            match ResultOutcome::parse(&r.outcome) {
                Some(ResultOutcome::Passed) => history.passes.push(PassRecord {
                    scope,
                    passed_on: day,
                    valid_until: r.valid_until.with_timezone(&china).date_naive(),
                    certified: r.certificate_applied_at.is_some(),
                }),
                Some(ResultOutcome::Failed | ResultOutcome::Voided) => {
                    history.fails.push(FailRecord { scope, sat_on: day });
                }
                Some(ResultOutcome::Absent) => {}
                None => return Err(corrupt("person result outcome", &r.outcome)),
            }
        }
    }
    Ok(out)
}

fn grouped(ticket_no: &str) -> String {
    TicketNumber::parse(ticket_no).map_or_else(|_| ticket_no.to_owned(), |n| n.grouped())
}

/// The published result of one ticket as its candidate (or a notice) shows it.
async fn published_result(
    conn: &impl ConnectionTrait,
    b: &batch::Model,
    t: &ticket::Model,
    published_at: DateTime<Utc>,
) -> Result<PublishedResult, AppError> {
    let r = exam_result::Entity::find()
        .filter(exam_result::Column::TicketId.eq(t.id))
        .one(conn)
        .await?
        .ok_or(AppError::Internal)?;
    let detail: Detail = serde_json::from_str(&r.detail).map_err(|e| {
        tracing::error!("results: stored detail unreadable: {e}");
        AppError::Internal
    })?;
    let name = plan_candidate::Entity::find_by_id(t.candidate_id)
        .one(conn)
        .await?
        .map(|c| c.name)
        .unwrap_or_default();
    Ok(PublishedResult {
        exam: kind_label(&b.exam_kind, b.field.as_deref()),
        batch_name: b.name.clone(),
        ticket_no: grouped(&t.ticket_no),
        name,
        published_at,
        outcome: outcome_of(&r)?,
        total: points(r.total),
        possible: points(r.possible),
        pass_mark: points(r.pass_mark),
        areas: detail
            .areas
            .into_iter()
            .map(|(scope, sub)| PartScore {
                name: match scope.field() {
                    Some(f) => crate::msg!(results.area_professional, field = f.as_str()),
                    None => crate::msg!(results.area_general),
                },
                earned: sub.earned,
                possible: sub.possible,
            })
            .collect(),
    })
}

/// The latest notice of a ticket.
async fn latest_notice(
    conn: &impl ConnectionTrait,
    ticket_id: i64,
) -> Result<Option<result_notice::Model>, AppError> {
    Ok(result_notice::Entity::find()
        .filter(result_notice::Column::TicketId.eq(ticket_id))
        .order_by_desc(result_notice::Column::Id)
        .one(conn)
        .await?)
}

fn notice_status(n: &result_notice::Model) -> Result<NoticeStatus, AppError> {
    NoticeStatus::parse(&n.status).ok_or_else(|| corrupt("notice status", &n.status))
}

async fn notice_view(
    conn: &impl ConnectionTrait,
    b: &batch::Model,
    t: &ticket::Model,
    agency: String,
    origin: &str,
) -> Result<Option<NoticeView>, AppError> {
    let (Some(p), Some(n)) = (
        publication_info(conn, b.id).await?,
        latest_notice(conn, t.id).await?,
    ) else {
        return Ok(None);
    };
    let code = NoticeCode::parse(&n.code).map_err(|_| corrupt("notice code", &n.code))?;
    let verify_url = format!("{origin}/verify/{}", code.as_str());
    Ok(Some(NoticeView {
        code: code.to_string(),
        status: notice_status(&n)?,
        qr_svg: qr_svg(&verify_url),
        verify_url,
        issued_at: n.issued_at,
        result: published_result(conn, b, t, p.published_at).await?,
        agency,
        audit_head: p.audit_head,
    }))
}

/// The caller's own result.
#[tracing::instrument(skip_all)]
pub async fn mine(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    policy: &ResultsPolicy,
    origin: &str,
) -> Result<MyResult, AppError> {
    let (t, _) = crate::exam::ssr::own_ticket(conn, caller).await?;
    let b = find(conn, t.batch_id).await?;
    let Some(p) = publication_info(conn, b.id).await? else {
        return Ok(MyResult::NotPublished { batch_name: b.name });
    };
    let who = people(conn, b.id).await?;
    let notice = notice_view(conn, &b, &t, who.agency(&t), origin)
        .await?
        .ok_or(AppError::Internal)?;
    let reviews = review_lines(conn, b.id, Some(t.id)).await?;
    Ok(MyResult::Published(Box::new(MyPublishedResult {
        notice,
        review_until: p.published_at + chrono::Duration::days(i64::from(policy.review_days)),
        reviews,
    })))
}

/// The notices of a published batch within the caller's scope.
#[tracing::instrument(skip_all)]
pub async fn notices(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    batch_id: i64,
    origin: &str,
) -> Result<Vec<NoticeView>, AppError> {
    let b = find(conn, batch_id).await?;
    let agency = scope_of_batch(conn, caller, &b).await?;
    if publication_info(conn, batch_id).await?.is_none() {
        return Err(AppError::conflict(
            "batch",
            crate::msg!(results.not_published_yet),
        ));
    }
    let who = people(conn, batch_id).await?;
    let mut out = Vec::new();
    for t in ticket::Entity::find()
        .filter(ticket::Column::BatchId.eq(batch_id))
        .order_by_asc(ticket::Column::TicketNo)
        .all(conn)
        .await?
    {
        if agency.is_some() && who.agency_id(&t) != agency {
            continue;
        }
        if let Some(n) = notice_view(conn, &b, &t, who.agency(&t), origin).await? {
            out.push(n);
        }
    }
    Ok(out)
}

/// Verifies a code: throttled per client address on unknown codes.
#[tracing::instrument(skip_all)]
pub async fn verify(
    db: &DatabaseConnection,
    auth: &AuthConfig,
    ip: &str,
    typed: &str,
) -> Result<Verification, AppError> {
    let now = Utc::now();
    let key = format!("verify:{ip}");
    if let Some(wait) =
        crate::auth::ssr::throttled_for(db, auth, &key, auth.max_failures_per_account, now).await?
    {
        return Err(AppError::TooManyRequests {
            retry_after_secs: wait,
        });
    }
    let unknown = || AppError::invalid("code", crate::msg!(results.code_unknown));
    let code = match NoticeCode::parse(typed) {
        Ok(code) => code,
        Err(e) => {
            crate::auth::ssr::record_failure(db, auth, &[&key], now).await?;
            return Err(AppError::invalid(
                "code",
                match e {
                    CodeError::Length(n) => {
                        crate::msg!(
                            results.code_length,
                            count = n,
                            want = super::code::CODE_CHARS
                        )
                    }
                    CodeError::Character(c) => {
                        crate::msg!(results.code_character, character = c.to_string())
                    }
                    CodeError::Check => crate::msg!(results.code_check),
                },
            ));
        }
    };
    let Some(n) = result_notice::Entity::find()
        .filter(result_notice::Column::Code.eq(code.as_str()))
        .one(db)
        .await?
    else {
        crate::auth::ssr::record_failure(db, auth, &[&key], now).await?;
        return Err(unknown());
    };
    let b = find(db, n.batch_id).await?;
    let t = ticket::Entity::find_by_id(n.ticket_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let r = exam_result::Entity::find()
        .filter(exam_result::Column::TicketId.eq(t.id))
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let name = plan_candidate::Entity::find_by_id(t.candidate_id)
        .one(db)
        .await?
        .map(|c| crate::plans::ssr::mask(&c.name, 1, 0))
        .unwrap_or_default();
    Ok(Verification {
        office: crate::msg!(layout.office_name),
        exam: kind_label(&b.exam_kind, b.field.as_deref()),
        exam_date: exam_date(db, b.id).await?,
        batch_name: b.name,
        name,
        outcome: outcome_of(&r)?,
        total: points(r.total),
        possible: points(r.possible),
        status: notice_status(&n)?,
        issued_at: n.issued_at,
    })
}

fn checked_text(text: &str, field: &str) -> Result<String, AppError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(AppError::invalid(field, crate::msg!(results.text_required)));
    }
    if text.chars().count() > MAX_TEXT {
        return Err(AppError::invalid(
            field,
            crate::msg!(results.text_too_long, max = MAX_TEXT),
        ));
    }
    Ok(text.to_owned())
}

/// A candidate's score review request.
#[tracing::instrument(skip_all)]
pub async fn request_review(
    db: &DatabaseConnection,
    caller: &Caller,
    policy: &ResultsPolicy,
    request: &str,
) -> Result<(), AppError> {
    let request = checked_text(request, "request")?;
    let (t, _) = crate::exam::ssr::own_ticket(db, caller).await?;
    let txn = begin_write(db).await?;
    let t = ticket::Entity::find_by_id(t.id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    let Some(p) = publication_info(&txn, t.batch_id).await? else {
        return Err(AppError::conflict(
            "request",
            crate::msg!(results.not_published_yet),
        ));
    };
    let now = Utc::now();
    let until = p.published_at + chrono::Duration::days(i64::from(policy.review_days));
    if now > until {
        return Err(AppError::conflict(
            "request",
            crate::error::Text::render(|locale| {
                let until = crate::locale::format_datetime(locale, until);
                crate::i18n::td_string!(locale, results.review_period_over, until = until)
                    .to_string()
            }),
        ));
    }
    let open = score_review::Entity::find()
        .filter(score_review::Column::TicketId.eq(t.id))
        .filter(score_review::Column::Status.eq("open"))
        .one(&txn)
        .await?;
    if open.is_some() {
        return Err(AppError::conflict(
            "request",
            crate::msg!(results.review_already_open),
        ));
    }
    let row = score_review::ActiveModel {
        ticket_id: Set(t.id),
        batch_id: Set(t.batch_id),
        request: Set(request),
        requested_at: Set(now),
        status: Set("open".to_owned()),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "results.review.request",
        &format!("batch:{}", t.batch_id),
        serde_json::json!({ "review": row.id, "ticket": t.ticket_no }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

async fn review_lines(
    conn: &impl ConnectionTrait,
    batch_id: i64,
    ticket_id: Option<i64>,
) -> Result<Vec<ScoreReviewLine>, AppError> {
    let mut q = score_review::Entity::find().filter(score_review::Column::BatchId.eq(batch_id));
    if let Some(t) = ticket_id {
        q = q.filter(score_review::Column::TicketId.eq(t));
    }
    let rows = q.order_by_asc(score_review::Column::Id).all(conn).await?;
    let who = people(conn, batch_id).await?;
    let mut out = Vec::new();
    for r in rows {
        let t = ticket::Entity::find_by_id(r.ticket_id)
            .one(conn)
            .await?
            .ok_or(AppError::Internal)?;
        out.push(ScoreReviewLine {
            id: r.id,
            ticket_no: grouped(&t.ticket_no),
            name: who.name(&t),
            agency: who.agency(&t),
            request: r.request,
            requested_at: r.requested_at,
            answered: r.status == "answered",
            answer: r.answer,
            answered_by: r.answered_by,
            answered_at: r.answered_at,
            total_before: r.total_before.map(points),
            total_after: r.total_after.map(points),
        });
    }
    Ok(out)
}

/// The score review requests of a batch.
#[tracing::instrument(skip_all)]
pub async fn score_reviews(
    conn: &impl ConnectionTrait,
    batch_id: i64,
) -> Result<Vec<ScoreReviewLine>, AppError> {
    find(conn, batch_id).await?;
    review_lines(conn, batch_id, None).await
}

/// What the candidate answered, in the labels they saw.
fn given_label(r: &Response) -> crate::error::Text {
    match r {
        Response::Choices(c) => {
            let letters: String = c
                .iter()
                .map(|&p| question_bank::answer::option_letter(usize::from(p)))
                .collect();
            crate::error::Text::render(|_| letters.clone())
        }
        Response::TrueFalse(true) => crate::msg!(results.true_answer),
        Response::TrueFalse(false) => crate::msg!(results.false_answer),
    }
}

/// One score review with everything the office needs to answer it.
#[tracing::instrument(skip_all)]
pub async fn score_review(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
) -> Result<ScoreReviewDetail, AppError> {
    let row = score_review::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let line = review_lines(db, row.batch_id, Some(row.ticket_id))
        .await?
        .into_iter()
        .find(|l| l.id == id)
        .ok_or(AppError::Internal)?;
    let t = ticket::Entity::find_by_id(row.ticket_id)
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let appeal = crate::papers::ssr::appeal(db, caller, row.batch_id, &t.ticket_no).await?;
    let r = exam_result::Entity::find()
        .filter(exam_result::Column::TicketId.eq(t.id))
        .one(db)
        .await?
        .ok_or(AppError::Internal)?;
    let a = attempt::Entity::find()
        .filter(attempt::Column::TicketId.eq(t.id))
        .one(db)
        .await?;
    let (items, receipt_code, receipt_matches) = match &a {
        Some(a) => {
            let stored = crate::sitting::ssr::stored_answers(db, a.id).await?;
            let pairs: Vec<(u32, Response)> =
                stored.iter().map(|(n, r, _)| (*n, r.clone())).collect();
            let hash = crate::sitting::ssr::receipt_hash(a.id, &pairs);
            let matches = a.receipt_hash.as_deref() == Some(hash.as_str());
            let answers: Answers = pairs.into_iter().collect();
            let score = super::ssr::score_one(db, row.batch_id, t.id, &answers).await?;
            let items = score
                .items
                .iter()
                .map(|i| ReviewedItem {
                    number: i.number,
                    given: answers.get(i.number).map(given_label),
                    earned: i.earned,
                    possible: i.possible,
                    outcome: i.outcome,
                    voided: i.voided,
                })
                .collect();
            let code = crate::sitting::ssr::receipt_code(&hash);
            (items, Some(code), matches && a.submitted_at.is_some())
        }
        None => (Vec::new(), None, false),
    };
    Ok(ScoreReviewDetail {
        line,
        appeal,
        items,
        receipt_code,
        receipt_matches,
        total: points(r.total),
        possible: points(r.possible),
        outcome: outcome_of(&r)?,
    })
}

/// Answers a score review, correcting the result when the office finds it wrong.
#[tracing::instrument(skip_all)]
pub async fn answer_review(
    db: &DatabaseConnection,
    caller: &Caller,
    policy: &ResultsPolicy,
    id: i64,
    answer: &str,
    corrected_total: Option<&str>,
) -> Result<(), AppError> {
    let answer = checked_text(answer, "answer")?;
    let corrected = match corrected_total.map(str::trim).filter(|s| !s.is_empty()) {
        None => None,
        Some(s) => Some(
            s.parse::<f64>()
                .ok()
                .and_then(Points::from_f64)
                .ok_or_else(|| {
                    AppError::invalid("corrected_total", crate::msg!(results.total_unreadable))
                })?,
        ),
    };
    let txn = begin_write(db).await?;
    let row = score_review::Entity::find_by_id(id)
        .lock_exclusive()
        .one(&txn)
        .await?
        .ok_or(AppError::NotFound)?;
    if row.status != "open" {
        return Err(AppError::conflict(
            "answer",
            crate::msg!(results.review_already_answered),
        ));
    }
    let r = exam_result::Entity::find()
        .filter(exam_result::Column::TicketId.eq(row.ticket_id))
        .one(&txn)
        .await?
        .ok_or(AppError::Internal)?;
    let now = Utc::now();
    let mut am: score_review::ActiveModel = row.clone().into();
    am.status = Set("answered".to_owned());
    am.answer = Set(Some(answer.clone()));
    am.answered_by = Set(Some(caller.user.display_name.chars().take(64).collect()));
    am.answered_at = Set(Some(now));
    let change = corrected.filter(|c| i32::try_from(c.hundredths()).ok() != Some(r.total));
    if let Some(total) = change {
        let possible = points(r.possible);
        if total > possible {
            return Err(AppError::invalid(
                "corrected_total",
                crate::msg!(
                    results.total_above_possible,
                    possible = possible.to_string()
                ),
            ));
        }
        let outcome = match outcome_of(&r)? {
            ResultOutcome::Passed | ResultOutcome::Failed => {
                if total >= points(r.pass_mark) {
                    ResultOutcome::Passed
                } else {
                    ResultOutcome::Failed
                }
            }
            other => {
                return Err(AppError::conflict(
                    "corrected_total",
                    crate::msg!(results.no_score_to_correct, outcome = other.as_str()),
                ));
            }
        };
        am.total_before = Set(Some(r.total));
        am.total_after = Set(Some(i32::try_from(total.hundredths()).unwrap_or(i32::MAX)));
        let mut result: exam_result::ActiveModel = r.clone().into();
        result.total = Set(i32::try_from(total.hundredths()).unwrap_or(i32::MAX));
        result.outcome = Set(outcome.as_str().to_owned());
        result.update(&txn).await?;
        // The old notice is superseded by a new one; the person's record follows.
        result_notice::Entity::update_many()
            .col_expr(
                result_notice::Column::Status,
                sea_orm::sea_query::Expr::value(NoticeStatus::Superseded.as_str()),
            )
            .filter(result_notice::Column::TicketId.eq(row.ticket_id))
            .filter(result_notice::Column::Status.eq(NoticeStatus::Valid.as_str()))
            .exec(&txn)
            .await?;
        insert_notice(&txn, row.ticket_id, row.batch_id, now).await?;
        let date = exam_date(&txn, row.batch_id).await?;
        person_result::Entity::update_many()
            .col_expr(
                person_result::Column::Outcome,
                sea_orm::sea_query::Expr::value(outcome.as_str()),
            )
            .col_expr(
                person_result::Column::ValidUntil,
                sea_orm::sea_query::Expr::value(
                    date + chrono::Duration::days(i64::from(policy.pass_valid_days)),
                ),
            )
            .filter(person_result::Column::TicketId.eq(row.ticket_id))
            .exec(&txn)
            .await?;
    }
    am.update(&txn).await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "results.review.answer",
        &format!("batch:{}", row.batch_id),
        serde_json::json!({
            "review": id,
            "answer": answer,
            "total_before": change.map(|_| r.total),
            "total_after": change.map(Points::hundredths),
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(())
}

/// Records certificate applications of passed candidates.
#[tracing::instrument(skip_all)]
pub async fn certificates(
    db: &DatabaseConnection,
    caller: &Caller,
    batch_id: i64,
    ticket_nos: &[String],
) -> Result<u32, AppError> {
    let b = find(db, batch_id).await?;
    let agency = scope_of_batch(db, caller, &b).await?;
    let who = people(db, batch_id).await?;
    let txn = begin_write(db).await?;
    let mut marked = 0u32;
    let now = Utc::now();
    for (row, typed) in ticket_nos.iter().enumerate() {
        let not_found = || {
            AppError::invalid(
                "ticket_nos",
                crate::msg!(
                    results.ticket_not_in_list,
                    row = row + 1,
                    ticket = typed.clone()
                ),
            )
        };
        let no = TicketNumber::parse(typed).map_err(|_| not_found())?;
        let t = ticket::Entity::find()
            .filter(ticket::Column::BatchId.eq(batch_id))
            .filter(ticket::Column::TicketNo.eq(no.as_string()))
            .one(&txn)
            .await?
            .ok_or_else(not_found)?;
        if agency.is_some() && who.agency_id(&t) != agency {
            return Err(not_found());
        }
        let p = person_result::Entity::find()
            .filter(person_result::Column::TicketId.eq(t.id))
            .one(&txn)
            .await?
            .ok_or_else(not_found)?;
        if p.outcome != ResultOutcome::Passed.as_str() {
            return Err(AppError::invalid(
                "ticket_nos",
                crate::msg!(results.not_a_pass, ticket = typed.clone()),
            ));
        }
        if p.certificate_applied_at.is_none() {
            let mut am: person_result::ActiveModel = p.into();
            am.certificate_applied_at = Set(Some(now));
            am.update(&txn).await?;
            marked += 1;
        }
    }
    record(
        &txn,
        &Actor::from(&caller.user),
        "results.certificates",
        &format!("batch:{batch_id}"),
        serde_json::json!({ "tickets": ticket_nos, "marked": marked }),
    )
    .await?;
    txn.commit().await?;
    Ok(marked)
}

/// Pass rates across published batches.
#[tracing::instrument(skip_all)]
pub async fn statistics(conn: &impl ConnectionTrait) -> Result<Statistics, AppError> {
    let rows = person_result::Entity::find().all(conn).await?;
    let mut agency_of_batch: HashMap<i64, super::ssr::People> = HashMap::new();
    let tickets: HashMap<i64, ticket::Model> = ticket::Entity::find()
        .filter(ticket::Column::Id.is_in(rows.iter().map(|r| r.ticket_id)))
        .all(conn)
        .await?
        .into_iter()
        .map(|t| (t.id, t))
        .collect();
    let mut by_year: BTreeMap<String, GroupRate> = BTreeMap::new();
    let mut by_agency: BTreeMap<String, GroupRate> = BTreeMap::new();
    let mut by_field: BTreeMap<String, GroupRate> = BTreeMap::new();
    for r in &rows {
        if let std::collections::hash_map::Entry::Vacant(e) = agency_of_batch.entry(r.batch_id) {
            e.insert(people(conn, r.batch_id).await?);
        }
        let agency = match (agency_of_batch.get(&r.batch_id), tickets.get(&r.ticket_id)) {
            (Some(who), Some(t)) => who.agency(t),
            _ => String::new(),
        };
        let year = r
            .exam_date
            .with_timezone(&crate::batches::china_time())
            .year()
            .to_string();
        let field = r.field.clone().unwrap_or_default();
        let outcome = ResultOutcome::parse(&r.outcome);
        super::ssr::tally(&mut by_year, year, outcome);
        super::ssr::tally(&mut by_agency, agency, outcome);
        super::ssr::tally(&mut by_field, field, outcome);
    }
    let by_year: Vec<GroupRate> = by_year.into_values().collect();
    Ok(Statistics {
        chart_svg: super::ssr::rate_chart(&by_year),
        by_year,
        by_agency: by_agency.into_values().collect(),
        by_field: by_field.into_values().collect(),
    })
}
