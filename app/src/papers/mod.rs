//! Papers (试卷) in the app: the blueprint (组卷方案) attached to a batch, the coverage report,
//! sample papers with their answer keys for the office, every candidate's paper assembled once
//! the batch is scheduled (in chunks, so the page can show progress), and the appeal view that
//! regenerates a candidate's paper from the stored seed and compares it with the stored one.
//!
//! The rules live in `question-bank` (blueprints, coverage, assembly); this module stores and
//! shows. Keyed papers ([`KeyedPaper`]) are for the office admin only; a candidate's browser
//! only ever receives [`question_bank::PaperView`], which has no key field at all (see
//! [`crate::exam`]).

mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use question_bank::{BlueprintParts, CoverageReport, Points, QuestionType, ScoringRule};
use serde::{Deserialize, Serialize};

pub use pages::{AppealPage, PaperAssembly, PapersPage};

use crate::error::AppError;

/// Papers assembled per call of [`assemble_papers`] by default (the server's
/// `--assembly-chunk`): small enough that a call returns within a couple of seconds (the page
/// shows progress between calls), large enough that a 10,000-candidate batch needs only a
/// handful.
pub const ASSEMBLY_CHUNK: u64 = 2_500;

/// The blueprint of a batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BlueprintInfo {
    pub parts: BlueprintParts,
    /// `false` while the batch uses its exam kind's default blueprint.
    pub custom: bool,
    /// Whether it may still be changed (only while the batch is a draft).
    pub editable: bool,
    pub total_points: Points,
    pub question_count: u32,
}

/// The coverage report of a batch's blueprint against the bank.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CoverageView {
    pub report: CoverageReport,
    /// Active questions in the snapshot checked.
    pub bank_questions: u64,
    /// `true` once the batch is scheduled: the report is about the frozen snapshot.
    pub frozen: bool,
}

/// How far the papers of a batch are assembled.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperProgress {
    pub assembled: u64,
    pub total: u64,
}

impl PaperProgress {
    /// Whether every ticket has its paper.
    pub fn complete(&self) -> bool {
        self.assembled >= self.total
    }
}

/// One question of a keyed paper, options in the candidate's order (office only).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyedItem {
    pub number: u32,
    pub question_id: i64,
    pub revision_id: i64,
    pub stem: String,
    pub options: Vec<String>,
    /// The correct answer as the candidate's labels: `AC`, or `true` / `false`.
    pub answer: String,
    pub difficulty: u8,
    pub legal_basis: String,
    pub explanation: String,
}

/// One section of a keyed paper.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyedSection {
    pub question_type: QuestionType,
    pub points_per_question: Points,
    pub scoring: ScoringRule,
    pub items: Vec<KeyedItem>,
}

/// A paper with its answer key, as the office sees it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct KeyedPaper {
    pub total_points: Points,
    pub pass_mark: Points,
    pub mean_difficulty: f64,
    pub algorithm: u32,
    pub pool_fingerprint: String,
    pub sections: Vec<KeyedSection>,
}

/// The appeal view: a candidate's stored paper beside the one regenerated from the seed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AppealView {
    pub ticket_no: String,
    pub name: String,
    pub agency: String,
    /// Position in the batch's dealing order (from 1).
    pub deal_seq: i32,
    /// Whether regeneration reproduced the stored paper exactly (questions, revisions, order
    /// and option orders).
    pub identical: bool,
    /// Question numbers where the two differ (empty when identical).
    pub differences: Vec<u32>,
    pub stored_fingerprint: String,
    pub regenerated_fingerprint: String,
    /// The stored paper with its key.
    pub paper: KeyedPaper,
}

/// The blueprint attached to a batch (or its kind's default). Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "papers/blueprint", input = Json)]
pub async fn get_blueprint(batch_id: i64) -> Result<BlueprintInfo, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(&[crate::roles::Role::OfficeAdmin]).await?;
    ssr::blueprint_info(&state.db, batch_id).await
}

/// Attaches a blueprint to a draft batch; `None` goes back to the kind's default. Every
/// problem is named (section, quota, field). Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "papers/blueprint/save", input = Json)]
pub async fn save_blueprint(batch_id: i64, parts: Option<BlueprintParts>) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[crate::roles::Role::OfficeAdmin]).await?;
    ssr::save_blueprint(&state.db, &caller, batch_id, parts).await
}

/// The coverage report: per section and quota, needed / available / shortfall / exposure for
/// the batch's candidates, and the achievable difficulty. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "papers/coverage", input = Json)]
pub async fn coverage(batch_id: i64) -> Result<CoverageView, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(&[crate::roles::Role::OfficeAdmin]).await?;
    ssr::coverage(&state.db, batch_id).await
}

/// A fresh sample paper with its answer key (a random seed each call). Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "papers/sample", input = Json)]
pub async fn sample_paper(batch_id: i64) -> Result<KeyedPaper, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(&[crate::roles::Role::OfficeAdmin]).await?;
    ssr::sample(&state.db, batch_id).await
}

/// Assembles and stores the next chunk of a scheduled batch's papers, in dealing order; call
/// again until the progress is complete. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "papers/assemble", input = Json)]
pub async fn assemble_papers(batch_id: i64) -> Result<PaperProgress, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[crate::roles::Role::OfficeAdmin]).await?;
    ssr::assemble_next(&state.db, &caller, batch_id, state.assembly_chunk).await
}

/// How far the batch's papers are assembled. Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "papers/progress", input = Json)]
pub async fn assembly_progress(batch_id: i64) -> Result<PaperProgress, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(&[crate::roles::Role::OfficeAdmin]).await?;
    ssr::progress(&state.db, batch_id).await
}

/// Regenerates a candidate's paper from the batch seed and compares it with the stored paper
/// (appeal view). Office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "papers/appeal", input = Json)]
pub async fn appeal(batch_id: i64, ticket_no: String) -> Result<AppealView, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[crate::roles::Role::OfficeAdmin]).await?;
    ssr::appeal(&state.db, &caller, batch_id, &ticket_no).await
}

/// A quota as the blueprint form writes it: `法律:行政处罚法 5`, `知识点:听证 3`, `综合 10`,
/// `本领域 10`, `领域:交通运输 5` (English: `law:…`, `tag:…`, `general`, `own-field`, `field:…`).
pub fn format_quota(q: &question_bank::Quota) -> String {
    use question_bank::Selector;
    let head = match &q.selector {
        Selector::General => "综合".to_owned(),
        Selector::CandidateField => "本领域".to_owned(),
        Selector::Field(f) => format!("领域:{f}"),
        Selector::Law(l) => format!("法律:{l}"),
        Selector::Tag(t) => format!("知识点:{t}"),
    };
    format!("{head} {}", q.count)
}

/// Parses the quota lines of one section (blank lines skipped). The error names the line and
/// says how to write it.
pub fn parse_quotas(text: &str) -> Result<Vec<question_bank::Quota>, crate::error::Text> {
    use crate::i18n::{Locale, td_string};
    use question_bank::{EnforcementField, Quota, Selector, Tag};
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() {
            continue;
        }
        let bad = |why: fn(Locale) -> &'static str| {
            crate::error::Text::render(|locale| {
                td_string!(
                    locale,
                    papers.quota_line_problem,
                    number = i + 1,
                    line = line,
                    why = why(locale)
                )
                .to_string()
            })
        };
        let (head, count) = line
            .rsplit_once(char::is_whitespace)
            .ok_or_else(|| bad(|l| td_string!(l, papers.quota_count_missing)))?;
        let count: u32 = count
            .trim()
            .parse()
            .map_err(|_| bad(|l| td_string!(l, papers.quota_count_not_whole)))?;
        let head = head.trim().replace('：', ":");
        let (kind, value) = match head.split_once(':') {
            Some((k, v)) => (k.trim().to_lowercase(), v.trim().to_owned()),
            None => (head.to_lowercase(), String::new()),
        };
        let selector = match kind.as_str() {
            "综合" | "general" => Selector::General,
            "本领域" | "own-field" => Selector::CandidateField,
            "领域" | "field" => Selector::Field(
                EnforcementField::parse(&value)
                    .map_err(|_| bad(|l| td_string!(l, papers.quota_field_invalid)))?,
            ),
            "法律" | "law" if !value.is_empty() => Selector::Law(value),
            "知识点" | "tag" => Selector::Tag(
                Tag::parse(&value).map_err(|_| bad(|l| td_string!(l, papers.quota_tag_invalid)))?,
            ),
            _ => {
                return Err(bad(|l| td_string!(l, papers.quota_kind_unknown)));
            }
        };
        out.push(Quota { selector, count });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quota_lines_round_trip_and_bad_lines_are_named() {
        let text = "法律:行政处罚法 5\n\n知识点：听证 3\ngeneral 10\n本领域 2\nfield:交通运输 4";
        let quotas = parse_quotas(text).expect("valid lines");
        assert_eq!(quotas.len(), 5);
        let again: Vec<String> = quotas.iter().map(format_quota).collect();
        assert_eq!(
            again,
            [
                "法律:行政处罚法 5",
                "知识点:听证 3",
                "综合 10",
                "本领域 2",
                "领域:交通运输 4"
            ]
        );
        assert_eq!(parse_quotas(&again.join("\n")).expect("round trip"), quotas);
        let err = parse_quotas("综合 10\n章节:总则 3").expect_err("unknown kind");
        let zh = err.get(crate::i18n::Locale::zh);
        assert!(zh.contains("第 2 行"), "{zh}");
        let err = parse_quotas("法律:行政许可法 x").expect_err("bad count");
        let en = err.get(crate::i18n::Locale::en);
        assert!(en.contains("whole number"), "{en}");
    }
}
