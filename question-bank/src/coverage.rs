//! 组卷校验 — can this bank feed this blueprint, and how hard will it be worked?
//!
//! [`Blueprint::check`] answers before any exam: per section and per quota how many questions a
//! paper needs, how many active questions exist, and the expected exposure (the share of papers
//! a given question appears on, and so how many candidates of the batch see it); whether the
//! target difficulty can be met, with the lowest and highest mean difficulty the pool allows;
//! and every problem, naming the section and quota and the shortfall. The report serializes for
//! the UI and explains itself through [`Localized`]. Assembly refuses exactly when this report
//! lists a problem, so a blueprint that passes the check always yields papers.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::assembly::plan;
use crate::blueprint::{Blueprint, Selector, section_label};
use crate::classify::{ExamKind, QuestionType};
use crate::lang::{Lang, Localized, capitalize, join_sentences, key, render};
use crate::points::Points;
use crate::snapshot::BankSnapshot;
use crate::text::EnforcementField;

/// The report of [`Blueprint::check`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CoverageReport {
    /// The blueprint's name.
    pub blueprint: String,
    /// 考试类别.
    pub exam_kind: ExamKind,
    /// The candidates' field checked against (专业 blueprints only).
    pub field: Option<EnforcementField>,
    /// The number of candidates exposure is computed for.
    pub candidates: usize,
    /// 总分 — the sum of the sections' points.
    pub total_points: Points,
    /// 及格分 (at most the total: a blueprint cannot be built otherwise).
    pub pass_mark: Points,
    /// Questions on a paper.
    pub question_count: u32,
    /// Per section, in paper order.
    pub sections: Vec<SectionCoverage>,
    /// The difficulty check; `None` when the pool is short (fix that first).
    pub difficulty: Option<DifficultyCoverage>,
    /// Everything that stops papers from being assembled; empty when they can be.
    pub problems: Vec<CoverageProblem>,
}

/// How one section is covered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SectionCoverage {
    /// 1-based.
    pub section: usize,
    /// 题型.
    pub question_type: QuestionType,
    /// Questions in the section.
    pub count: u32,
    /// Points per question.
    pub points_per_question: Points,
    /// The section's points.
    pub points: Points,
    /// Questions a paper draws from the section's pool (the count less quotas met from outside
    /// the pool).
    pub needed: u32,
    /// Active questions in the pool.
    pub available: usize,
    /// How many questions the pool lacks (0 if none).
    pub shortfall: usize,
    /// Expected share of papers each pool question appears on (`needed / available`); `None`
    /// for an empty pool. Above 1 when the pool is short: each question would be needed more
    /// than once per paper.
    pub exposure: Option<f64>,
    /// `exposure × candidates`: how many candidates of the batch see each pool question.
    pub views_per_question: Option<f64>,
    /// Per quota, in order.
    pub quotas: Vec<QuotaCoverage>,
}

/// How one quota is covered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct QuotaCoverage {
    /// 1-based within its section.
    pub quota: usize,
    /// Which questions count.
    pub selector: Selector,
    /// Questions a paper needs (at least; exactly, for a quota met from outside the pool).
    pub needed: u32,
    /// Active questions that count.
    pub available: usize,
    /// How many are missing (0 if none).
    pub shortfall: usize,
    /// Whether the quota draws from outside the section's pool (e.g. 综合 questions on a 专业
    /// paper).
    pub external: bool,
    /// Expected share of papers each of these questions appears on; `None` if there are none.
    /// For a quota inside the pool this is the larger of `needed / available` and the section's
    /// exposure, since the rest of the section also draws from these questions.
    pub exposure: Option<f64>,
    /// `exposure × candidates`.
    pub views_per_question: Option<f64>,
}

/// Whether the target difficulty can be met.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DifficultyCoverage {
    /// Target point-weighted mean difficulty.
    pub target: f64,
    /// Allowed distance from the target.
    pub tolerance: f64,
    /// The lowest mean difficulty found for a paper meeting every quota.
    pub lowest: f64,
    /// The highest mean difficulty found for a paper meeting every quota.
    pub highest: f64,
    /// Whether a paper within the tolerance was found (assembly then always succeeds).
    pub achievable: bool,
}

/// Something that stops papers from being assembled.
///
/// `Display` is the English message as it runs on in a log line; [`Localized::message`] starts it
/// with a capital.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[error("{}", self.render(Lang::En))]
pub enum CoverageProblem {
    /// A 专业 blueprint checked or assembled without the candidate's field.
    FieldRequired,
    /// The pool of a section holds too few questions.
    SectionShortfall {
        /// 1-based.
        section: usize,
        /// 题型.
        question_type: QuestionType,
        /// Needed from the pool.
        needed: u32,
        /// Active in the pool.
        available: usize,
        /// `needed − available`.
        shortfall: usize,
    },
    /// A quota's questions are too few.
    QuotaShortfall {
        /// 1-based section.
        section: usize,
        /// 题型.
        question_type: QuestionType,
        /// 1-based quota within the section.
        quota: usize,
        /// Which questions count.
        selector: Selector,
        /// Needed.
        needed: u32,
        /// Active.
        available: usize,
        /// `needed − available`.
        shortfall: usize,
    },
    /// No paper meeting every quota lies within the tolerance of the target difficulty.
    DifficultyUnreachable {
        /// Target.
        target: f64,
        /// Tolerance.
        tolerance: f64,
        /// Lowest mean found.
        lowest: f64,
        /// Highest mean found.
        highest: f64,
    },
}

/// What to do about an unreachable difficulty.
fn difficulty_advice(target: f64, tolerance: f64, lowest: f64, highest: f64) -> crate::lang::Key {
    if target - tolerance > highest {
        key::COVERAGE_ADVICE_LOWER_TARGET
    } else if target + tolerance < lowest {
        key::COVERAGE_ADVICE_RAISE_TARGET
    } else {
        key::COVERAGE_ADVICE_WIDEN_TOLERANCE
    }
}

impl CoverageProblem {
    fn render(&self, lang: Lang) -> String {
        match self {
            Self::FieldRequired => render(lang, key::COVERAGE_FIELD_REQUIRED, &[]),
            Self::SectionShortfall {
                section,
                question_type,
                needed,
                available,
                shortfall,
            } => render(
                lang,
                key::COVERAGE_SECTION_SHORTFALL,
                &[
                    ("section", &section_label(*section, *question_type, lang)),
                    ("needed", needed),
                    ("available", available),
                    ("shortfall", shortfall),
                ],
            ),
            Self::QuotaShortfall {
                section,
                question_type,
                quota,
                selector,
                needed,
                available,
                shortfall,
            } => render(
                lang,
                key::COVERAGE_QUOTA_SHORTFALL,
                &[
                    ("section", &section_label(*section, *question_type, lang)),
                    ("quota", quota),
                    ("selector", &selector.label(lang)),
                    ("needed", needed),
                    ("available", available),
                    ("shortfall", shortfall),
                ],
            ),
            Self::DifficultyUnreachable {
                target,
                tolerance,
                lowest,
                highest,
            } => render(
                lang,
                key::COVERAGE_DIFFICULTY_UNREACHABLE,
                &[
                    ("target", &format!("{target:.2}")),
                    ("tolerance", &format!("{tolerance:.2}")),
                    ("lowest", &format!("{lowest:.2}")),
                    ("highest", &format!("{highest:.2}")),
                    (
                        "advice",
                        &render(
                            lang,
                            difficulty_advice(*target, *tolerance, *lowest, *highest),
                            &[],
                        ),
                    ),
                ],
            ),
        }
    }
}

impl Localized for CoverageProblem {
    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.render(lang),
            Lang::En => capitalize(&self.render(lang)),
        }
    }
}

impl CoverageReport {
    /// Whether papers can be assembled.
    pub fn is_ok(&self) -> bool {
        self.problems.is_empty()
    }
}

impl Localized for CoverageReport {
    /// A one-paragraph summary: the problems, or that papers can be assembled and how often
    /// the most exposed questions will be seen.
    fn message(&self, lang: Lang) -> String {
        if !self.is_ok() {
            return join_sentences(lang, self.problems.iter().map(|p| p.message(lang)));
        }
        let most = self
            .sections
            .iter()
            .filter_map(|s| s.exposure)
            .chain(
                self.sections
                    .iter()
                    .flat_map(|s| s.quotas.iter().filter_map(|q| q.exposure)),
            )
            .fold(0.0_f64, f64::max);
        let (lowest, highest) = self
            .difficulty
            .as_ref()
            .map_or((0.0, 0.0), |d| (d.lowest, d.highest));
        render(
            lang,
            key::COVERAGE_FEASIBLE,
            &[
                ("questions", &self.question_count),
                ("points", &self.total_points),
                ("pass_mark", &self.pass_mark),
                ("lowest", &format!("{lowest:.2}")),
                ("highest", &format!("{highest:.2}")),
                ("exposure", &format!("{:.1}", most * 100.0)),
            ],
        )
    }
}

impl Blueprint {
    /// Checks this blueprint against a bank before any exam: see [`CoverageReport`].
    ///
    /// `field` is the candidates' enforcement field (required for 专业 blueprints, ignored for
    /// 综合 ones); `candidates` is the batch size exposure is computed for.
    pub fn check(
        &self,
        snapshot: &BankSnapshot,
        field: Option<&EnforcementField>,
        candidates: usize,
    ) -> CoverageReport {
        plan::analyse(self, snapshot, field, candidates).report
    }
}
