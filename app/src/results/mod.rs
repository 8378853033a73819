//! 成绩 — scoring a batch, the office's review before publication (statistics, item analysis,
//! voiding or re-keying a question, reviewing attempts with evidence), publication, and the
//! published results: each candidate's own, each agency's candidates', and the office's lists
//! and pass list (执法证申领名单) as `.xlsx` and `.csv`.
//!
//! Scoring is a pure function ([`question_bank::score_under`]) of the paper, the batch's frozen
//! bank snapshot, the stored answers and the batch's item decisions; a batch is re-scored as a
//! whole, in one write transaction, whenever a decision or review changes what counts, so the
//! stored results always agree with what is decided. Publication is one audited act that
//! locks the results and carries the audit chain's head hash, printed on the published list.
//!
//! Before publication only the office admin sees results; afterwards a candidate sees their
//! own (never the key or the questions) and an agency officer their agency's candidates.

pub mod code;
mod pages;
#[cfg(feature = "ssr")]
pub mod published;
#[cfg(feature = "ssr")]
pub mod ssr;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json, Streaming};
use question_bank::{Distribution, Flag, Points, QuestionType};
use serde::{Deserialize, Serialize};

pub use pages::{
    MyResultPage, NoticesPage, ResultListPage, ResultsPage, ScoreReviewPage, StatisticsPage,
    VerifyPage,
};

use crate::{
    error::{AppError, Text},
    i18n::{Locale, td_string},
    roles::Role,
    sitting::AttemptStatus,
};

/// Who may read published results of a batch: the office (everything, any time) and agency
/// officers (their candidates, once published).
pub const READERS: &[Role] = &[Role::OfficeAdmin, Role::AgencyOfficer];

/// A ticket's result. Stored by [`ResultOutcome::as_str`]; the schema admits nothing else.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultOutcome {
    /// 合格.
    Passed,
    /// 不合格.
    Failed,
    /// 缺考: never started.
    Absent,
    /// 成绩无效: voided for misconduct, and the voiding upheld.
    Voided,
}

impl ResultOutcome {
    pub const ALL: [ResultOutcome; 4] = [
        ResultOutcome::Passed,
        ResultOutcome::Failed,
        ResultOutcome::Absent,
        ResultOutcome::Voided,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ResultOutcome::Passed => "passed",
            ResultOutcome::Failed => "failed",
            ResultOutcome::Absent => "absent",
            ResultOutcome::Voided => "voided",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<ResultOutcome> {
        ResultOutcome::ALL.into_iter().find(|o| o.as_str() == s)
    }

    /// The outcome's name in `locale`.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            ResultOutcome::Passed => td_string!(locale, results.outcome_passed),
            ResultOutcome::Failed => td_string!(locale, results.outcome_failed),
            ResultOutcome::Absent => td_string!(locale, results.outcome_absent),
            ResultOutcome::Voided => td_string!(locale, results.outcome_voided),
        }
    }
}

/// What the office decides about a question of the batch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum DecisionKind {
    /// 作废并给分: everyone whose paper held it gets its points.
    VoidAward,
    /// 作废并不计分: it leaves the total; the pass mark shrinks in proportion.
    VoidRemove,
    /// 更正答案.
    Rekey,
}

impl DecisionKind {
    pub const ALL: [DecisionKind; 3] = [
        DecisionKind::VoidAward,
        DecisionKind::VoidRemove,
        DecisionKind::Rekey,
    ];

    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            DecisionKind::VoidAward => "void_award",
            DecisionKind::VoidRemove => "void_remove",
            DecisionKind::Rekey => "rekey",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<DecisionKind> {
        DecisionKind::ALL.into_iter().find(|d| d.as_str() == s)
    }

    /// The decision's name in `locale`.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            DecisionKind::VoidAward => td_string!(locale, results.decision_void_award),
            DecisionKind::VoidRemove => td_string!(locale, results.decision_void_remove),
            DecisionKind::Rekey => td_string!(locale, results.decision_rekey),
        }
    }
}

/// The office's review of an attempt with evidence.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewDecision {
    /// 维持: the evidence, and any voiding, stands.
    Upheld,
    /// 撤销: the evidence is dismissed; a voided attempt is scored.
    Lifted,
}

impl ReviewDecision {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewDecision::Upheld => "upheld",
            ReviewDecision::Lifted => "lifted",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<ReviewDecision> {
        [ReviewDecision::Upheld, ReviewDecision::Lifted]
            .into_iter()
            .find(|d| d.as_str() == s)
    }

    /// The decision's name in `locale`.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            ReviewDecision::Upheld => td_string!(locale, results.review_upheld),
            ReviewDecision::Lifted => td_string!(locale, results.review_lifted),
        }
    }
}

/// What a flag says, in `locale`.
pub fn flag_label(flag: Flag, locale: Locale) -> String {
    match flag {
        Flag::NegativeDiscrimination => {
            td_string!(locale, results.flag_negative_discrimination).to_owned()
        }
        Flag::LowDiscrimination => td_string!(locale, results.flag_low_discrimination).to_owned(),
        Flag::TooHard => td_string!(locale, results.flag_too_hard).to_owned(),
        Flag::TooEasy => td_string!(locale, results.flag_too_easy).to_owned(),
        Flag::DistractorOverKey { option } => {
            let option = option_name(option, None, locale);
            td_string!(locale, results.flag_distractor_over_key, option = option).to_string()
        }
    }
}

/// An option's name: its letter (A = 0), or 正确/错误 for 判断题 (0 = 正确).
pub fn option_name(option: u8, question_type: Option<QuestionType>, locale: Locale) -> String {
    match question_type {
        Some(QuestionType::TrueFalse) if option == 0 => {
            td_string!(locale, results.true_answer).to_owned()
        }
        Some(QuestionType::TrueFalse) => td_string!(locale, results.false_answer).to_owned(),
        _ => question_bank::answer::option_letter(usize::from(option)).to_string(),
    }
}

/// The state of a result notice. Stored by [`NoticeStatus::as_str`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NoticeStatus {
    /// 有效.
    Valid,
    /// 已撤销.
    Revoked,
    /// 已被复核后的通知单取代.
    Superseded,
}

impl NoticeStatus {
    /// The stored name.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeStatus::Valid => "valid",
            NoticeStatus::Revoked => "revoked",
            NoticeStatus::Superseded => "superseded",
        }
    }

    /// Parses a stored name.
    pub fn parse(s: &str) -> Option<NoticeStatus> {
        [
            NoticeStatus::Valid,
            NoticeStatus::Revoked,
            NoticeStatus::Superseded,
        ]
        .into_iter()
        .find(|n| n.as_str() == s)
    }

    /// The status's name in `locale`.
    pub fn label(self, locale: Locale) -> &'static str {
        match self {
            NoticeStatus::Valid => td_string!(locale, results.notice_valid),
            NoticeStatus::Revoked => td_string!(locale, results.notice_revoked),
            NoticeStatus::Superseded => td_string!(locale, results.notice_superseded),
        }
    }
}

/// Sat and passed in one group (an agency, a room).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupRate {
    pub name: String,
    pub registered: u32,
    pub sat: u32,
    pub passed: u32,
}

/// The batch's latest scoring.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoringInfo {
    pub revision: i32,
    pub scored_at: DateTime<Utc>,
    pub by_name: String,
}

/// The publication record.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicationInfo {
    pub published_at: DateTime<Utc>,
    pub by_name: String,
    /// The audit chain's head hash at publication.
    pub audit_head: String,
    pub sat: u32,
    pub passed: u32,
}

/// The batch overview the office reviews before publication.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResultsOverview {
    pub batch_id: i64,
    pub batch_name: String,
    pub status: String,
    pub scoring: Option<ScoringInfo>,
    pub publication: Option<PublicationInfo>,
    pub registered: u32,
    pub sat: u32,
    pub absent: u32,
    pub voided: u32,
    pub passed: u32,
    /// Of the scored totals (absent and voided left out), in points.
    pub distribution: Option<Distribution>,
    pub reliability: Option<f64>,
    /// The score histogram, an SVG document drawn on the server.
    pub histogram_svg: String,
    pub by_agency: Vec<GroupRate>,
    pub by_room: Vec<GroupRate>,
    /// Attempts with evidence not yet reviewed.
    pub open_reviews: u32,
    /// Questions flagged by the item statistics and not decided.
    pub flagged_items: u32,
}

/// One question's statistics, as the item analysis lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ItemRow {
    pub question_id: i64,
    pub revision_id: i64,
    pub question_type: QuestionType,
    /// The stem, shortened.
    pub stem: String,
    pub law: String,
    /// The bank's key, as letters (`B`, `ACD`) or 正确/错误 (`T`/`F`).
    pub bank_key: String,
    pub option_count: u8,
    pub candidates: u32,
    pub facility: f64,
    pub discrimination: Option<f64>,
    pub upper_lower: Option<f64>,
    pub chosen: Vec<u32>,
    pub unanswered: u32,
    pub flags: Vec<Flag>,
    pub decision: Option<DecisionInfo>,
}

/// A decision taken about a question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DecisionInfo {
    pub kind: DecisionKind,
    /// The corrected key, for [`DecisionKind::Rekey`].
    pub answer_key: Option<String>,
    pub reason: String,
    pub by_name: String,
    pub at: DateTime<Utc>,
}

/// An attempt whose result a decision changed or could change.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedAttempt {
    pub ticket_no: String,
    pub name: String,
    pub before: Points,
    pub after: Points,
    pub outcome_before: ResultOutcome,
    pub outcome_after: ResultOutcome,
}

/// An attempt with evidence the office must review before publication.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewCase {
    pub attempt_id: i64,
    pub ticket_no: String,
    pub name: String,
    pub agency: String,
    pub room: String,
    pub status: AttemptStatus,
    /// Integrity signals recorded (focus lost, full screen left, paste, heartbeat gaps…).
    pub signals: u32,
    /// Misconduct the proctors recorded: (category, description).
    pub misconduct: Vec<(Text, String)>,
    pub review: Option<ReviewInfo>,
}

/// A review taken.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewInfo {
    pub decision: ReviewDecision,
    pub reason: String,
    pub by_name: String,
    pub at: DateTime<Utc>,
}

/// One line of a results list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultLine {
    pub ticket_no: String,
    pub name: String,
    pub agency: String,
    pub room: String,
    pub outcome: ResultOutcome,
    pub total: Points,
    pub possible: Points,
    /// For a published pass: until when it is valid without a certificate application.
    pub pass_valid_until: Option<DateTime<Utc>>,
    /// For a published pass: whether the certificate application is recorded.
    pub certificate_applied: bool,
}

/// A batch's results list, for the office (any time after scoring) or an agency officer
/// (its candidates, after publication).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultList {
    pub batch_name: String,
    pub publication: Option<PublicationInfo>,
    pub lines: Vec<ResultLine>,
}

/// Points earned of points possible in one part of the exam.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartScore {
    pub name: Text,
    pub earned: Points,
    pub possible: Points,
}

/// What a candidate sees of their result.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum MyResult {
    /// The results of the batch are not published yet.
    NotPublished {
        batch_name: String,
    },
    Published(Box<MyPublishedResult>),
}

/// A result notice (成绩通知单), printable on A4, with its verification code and the QR code of
/// the public verification page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NoticeView {
    /// The code in groups of four.
    pub code: String,
    pub status: NoticeStatus,
    pub verify_url: String,
    /// The QR code of `verify_url`, an SVG document.
    pub qr_svg: String,
    pub issued_at: DateTime<Utc>,
    pub result: PublishedResult,
    pub agency: String,
    /// The audit chain's head at publication.
    pub audit_head: String,
}

/// What the public verification page shows of a notice: never the ID number, the birth date,
/// the answers or anyone else.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Verification {
    pub office: Text,
    pub exam: Text,
    pub batch_name: String,
    pub exam_date: DateTime<Utc>,
    /// The name, all but its first character masked.
    pub name: String,
    pub outcome: ResultOutcome,
    pub total: Points,
    pub possible: Points,
    pub status: NoticeStatus,
    pub issued_at: DateTime<Utc>,
}

/// A score review request (成绩复核) and its answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ScoreReviewLine {
    pub id: i64,
    pub ticket_no: String,
    pub name: String,
    pub agency: String,
    pub request: String,
    pub requested_at: DateTime<Utc>,
    pub answered: bool,
    pub answer: Option<String>,
    pub answered_by: Option<String>,
    pub answered_at: Option<DateTime<Utc>>,
    pub total_before: Option<Points>,
    pub total_after: Option<Points>,
}

/// One question as the office reviews it: the candidate's answer in the labels they saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewedItem {
    pub number: u32,
    /// What the candidate answered, as they saw it (`AC`, 正确); `None` when unanswered.
    pub given: Option<Text>,
    pub earned: Points,
    pub possible: Points,
    pub outcome: question_bank::Outcome,
    pub voided: bool,
}

/// What the office reads to answer a score review: the paper regenerated from the seed beside
/// the stored one, the stored answers, the submission receipt and the scoring per question.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScoreReviewDetail {
    pub line: ScoreReviewLine,
    pub appeal: crate::papers::AppealView,
    pub items: Vec<ReviewedItem>,
    /// The receipt code of the submission, recomputed from the stored answers.
    pub receipt_code: Option<String>,
    /// Whether that recomputed code is the one the candidate was given at submission.
    pub receipt_matches: bool,
    pub total: Points,
    pub possible: Points,
    pub outcome: ResultOutcome,
}

/// Pass rates across published batches.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statistics {
    pub by_year: Vec<GroupRate>,
    pub by_agency: Vec<GroupRate>,
    /// By enforcement field; the general exam's row has an empty name.
    pub by_field: Vec<GroupRate>,
    /// Pass rate per year, an SVG document.
    pub chart_svg: String,
}

/// A published result as its candidate sees it: no key, no questions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublishedResult {
    pub batch_name: String,
    pub exam: Text,
    pub ticket_no: String,
    pub name: String,
    pub published_at: DateTime<Utc>,
    pub outcome: ResultOutcome,
    pub total: Points,
    pub possible: Points,
    pub pass_mark: Points,
    /// Per exam area (综合法律知识, 专业法律知识).
    pub areas: Vec<PartScore>,
}

/// The candidate's own published result with its notice and their score review requests.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct MyPublishedResult {
    pub notice: NoticeView,
    /// Until when a score review may be requested.
    pub review_until: DateTime<Utc>,
    pub reviews: Vec<ScoreReviewLine>,
}

/// The overview of a batch's results. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/overview", input = Json)]
pub async fn load_overview(batch_id: i64) -> Result<ResultsOverview, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::overview(&state.db, batch_id).await
}

/// Scores (or re-scores) every ticket of a batch whose sessions have all ended and closes it.
/// Refused once published. Audited. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/score", input = Json)]
pub async fn score_batch(batch_id: i64) -> Result<ScoringInfo, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::score(&state.db, &caller, batch_id).await
}

/// The item analysis of a scored batch: every question used. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/items", input = Json)]
pub async fn load_items(batch_id: i64) -> Result<Vec<ItemRow>, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::items(&state.db, batch_id).await
}

/// Voids a question of the batch (`void_award`, `void_remove`), corrects its key (`rekey` with
/// `new_key` as letters or T/F), or takes the decision back (`decision` empty). Reason
/// required; audited; the batch is re-scored and the attempts whose paper held the question
/// are returned with their totals before and after. Office admin, before publication.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/decide", input = Json)]
pub async fn decide_item(
    batch_id: i64,
    revision_id: i64,
    decision: Option<DecisionKind>,
    new_key: Option<String>,
    reason: String,
) -> Result<Vec<AffectedAttempt>, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::decide(
        &state.db,
        &caller,
        batch_id,
        revision_id,
        decision,
        new_key.as_deref(),
        &reason,
    )
    .await
}

/// The attempts of a batch with evidence (signals, misconduct, collection, voiding) and their
/// reviews. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/reviews", input = Json)]
pub async fn load_reviews(batch_id: i64) -> Result<Vec<ReviewCase>, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::reviews(&state.db, batch_id).await
}

/// Upholds or lifts the evidence of an attempt, with a reason; a lifted voiding is scored.
/// Audited; the batch is re-scored. Office admin, before publication.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/review", input = Json)]
pub async fn review_attempt(
    attempt_id: i64,
    decision: ReviewDecision,
    reason: String,
) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::review(&state.db, &caller, attempt_id, decision, &reason).await
}

/// Publishes the batch's results: once, final, refused while reviews are open. Audited; the
/// record carries the audit chain's head. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/publish", input = Json)]
pub async fn publish(batch_id: i64) -> Result<PublicationInfo, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::publish(&state.db, &caller, &state.results, batch_id).await
}

/// The results list of a batch: the office sees every ticket once scored; an agency officer
/// sees its own candidates once published.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/list", input = Json)]
pub async fn load_list(batch_id: i64) -> Result<ResultList, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(READERS).await?;
    ssr::list(&state.db, &caller, batch_id).await
}

/// The results list (`list=all`) or the pass list for certificate applications (`list=pass`)
/// as `.xlsx` or `.csv`, with the scope of [`load_list`].
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/export", input = GetUrl, output = Streaming)]
pub async fn export_results(
    batch_id: i64,
    list: String,
    format: String,
) -> Result<leptos::server_fn::codec::ByteStream<AppError>, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(READERS).await?;
    let (content_type, file_name, bytes) =
        ssr::export(&state.db, &caller, batch_id, &list, &format).await?;
    crate::ssr::download(content_type, &file_name, bytes)
}

/// The caller's own result, with the notice once published. Candidates.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/mine", input = Json)]
pub async fn load_my_result() -> Result<MyResult, AppError> {
    let state = crate::ssr::app_state()?;
    let origin = published::origin(&state);
    let caller = crate::ssr::require(&[Role::Candidate]).await?;
    published::mine(&state.db, &caller, &state.results, &origin).await
}

/// Verifies a result notice's code. Public (no sign-in); unknown codes are throttled per
/// client address.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/verify", input = Json)]
pub async fn verify_notice(code: String) -> Result<Verification, AppError> {
    let state = crate::ssr::app_state()?;
    let ip = crate::sitting::ssr::caller_ip(&state);
    published::verify(&state.db, &state.auth, &ip, &code).await
}

/// The result notices of a published batch: the office's all, an agency officer's its
/// candidates'.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/notices", input = Json)]
pub async fn load_notices(batch_id: i64) -> Result<Vec<NoticeView>, AppError> {
    let state = crate::ssr::app_state()?;
    let origin = published::origin(&state);
    let caller = crate::ssr::require(READERS).await?;
    published::notices(&state.db, &caller, batch_id, &origin).await
}

/// Asks for a score review (成绩复核) of the caller's published result, within the review
/// period; one open request at a time. Audited. Candidates.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/request-review", input = Json)]
pub async fn request_score_review(request: String) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::Candidate]).await?;
    published::request_review(&state.db, &caller, &state.results, &request).await
}

/// The score review requests of a batch. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/score-reviews", input = Json)]
pub async fn load_score_reviews(batch_id: i64) -> Result<Vec<ScoreReviewLine>, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(&[Role::OfficeAdmin]).await?;
    published::score_reviews(&state.db, batch_id).await
}

/// One score review with the regenerated paper, the stored answers, the receipt and the
/// scoring per question. Audited (the office sees a keyed paper). Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/score-review", input = Json)]
pub async fn load_score_review(id: i64) -> Result<ScoreReviewDetail, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    published::score_review(&state.db, &caller, id).await
}

/// Answers a score review; a `corrected_total` (points) different from the stored one changes
/// the result and supersedes the notice with a new one. Audited. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/answer-review", input = Json)]
pub async fn answer_score_review(
    id: i64,
    answer: String,
    corrected_total: Option<String>,
) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    published::answer_review(
        &state.db,
        &caller,
        &state.results,
        id,
        &answer,
        corrected_total.as_deref(),
    )
    .await
}

/// Records that the passed candidates on `ticket_nos` applied for their enforcement
/// certificate, so their passes no longer lapse. Audited. The office, or an agency officer for
/// its own candidates.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/certificates", input = Json)]
pub async fn record_certificate_applications(
    batch_id: i64,
    ticket_nos: Vec<String>,
) -> Result<u32, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(READERS).await?;
    published::certificates(&state.db, &caller, batch_id, &ticket_nos).await
}

/// Pass rates across published batches by year, agency and field. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "results/statistics", input = Json)]
pub async fn load_statistics() -> Result<Statistics, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(&[Role::OfficeAdmin]).await?;
    published::statistics(&state.db).await
}
