//! 组卷方案 — blueprints: what a paper is made of.
//!
//! A [`Blueprint`] says, per [`Section`]: the question type, how many questions, the points per
//! question, how 多选题 are scored ([`ScoringRule`]) and the [`Quota`]s the section must meet; and
//! for the whole paper the pass mark and a target mean difficulty with a tolerance. A blueprint
//! that exists is valid ([`Blueprint::new`] checks every rule and names every problem at once);
//! it travels as JSON through [`BlueprintParts`]. Whether a bank can feed a blueprint is a
//! different question, answered by [`Blueprint::check`](crate::Blueprint::check). This module
//! knows no bank and no randomness.
//!
//! # Where a section's questions come from
//!
//! A section's *pool* holds the active questions of its type and of the blueprint's exam: for a
//! 综合法律知识 blueprint the general questions, for a 专业法律知识 blueprint the professional
//! questions of the candidate's own field. Quotas are minimums:
//! - [`Selector::Law`] and [`Selector::Tag`] quotas ask that *at least* `count` questions of the
//!   section come from the pool's questions citing that law / carrying that tag;
//! - a scope quota ([`Selector::General`], [`Selector::CandidateField`], [`Selector::Field`]) that
//!   names the pool's own scope is met by any question of the section; one that names another
//!   scope (say [`Selector::General`] in a 专业 blueprint) draws exactly `count` questions of the
//!   section from outside the pool, from that scope. This is how a 专业 paper can carry a general
//!   part while its field part comes from the candidate's field.
//!
//! The rest of a section is drawn from its pool.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::classify::{ExamKind, QuestionType};
use crate::lang::{Lang, Localized, capitalize, join_sentences, key, render, text};
use crate::legal_basis::law_key;
use crate::points::Points;
use crate::text::{EnforcementField, Tag};

/// Most questions in one section.
pub const MAX_SECTION_COUNT: u32 = 500;
/// Most quotas in one section.
pub const MAX_QUOTAS: usize = 16;
/// Most points for one question.
pub const MAX_POINTS_PER_QUESTION: u32 = 100;
/// Longest blueprint name, in characters.
pub const MAX_NAME_CHARS: usize = 64;
/// Longest law name in a quota, in characters.
pub const MAX_LAW_CHARS: usize = 100;

/// How a question of a section is scored.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(tag = "rule", rename_all = "snake_case")]
pub enum ScoringRule {
    /// 全对得分 — full points for exactly the correct answer, nothing otherwise.
    #[default]
    AllOrNothing,
    /// 少选得分 — 多选题 only: when no wrong option is chosen, `per_option` points for each
    /// correct option chosen (at most the question's points; all correct options = full
    /// points). Any wrong option chosen = 0.
    PartialCredit {
        /// Points for each correct option chosen; more than 0 and at most the question's points.
        per_option: Points,
    },
}

/// Which questions a [`Quota`] counts. Serialized as `{"by": "law", "value": "行政处罚法"}`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "by", content = "value", rename_all = "snake_case")]
pub enum Selector {
    /// 综合法律知识 questions.
    General,
    /// 专业法律知识 questions of the candidate's own field (专业 blueprints only).
    CandidateField,
    /// 专业法律知识 questions of one named field (专业 blueprints only).
    Field(EnforcementField),
    /// Questions citing a law, compared by [`law_key`] (`行政处罚法` matches
    /// `《中华人民共和国行政处罚法》第三十六条`).
    Law(String),
    /// Questions carrying a knowledge-point tag.
    Tag(Tag),
}

impl Selector {
    /// A short description: 综合法律知识, 考生本人的执法领域, 《行政处罚法》, 知识点“听证”…
    pub fn label(&self, lang: Lang) -> String {
        match self {
            Self::General => text(lang, key::BLUEPRINT_SELECTOR_GENERAL).to_owned(),
            Self::CandidateField => text(lang, key::BLUEPRINT_SELECTOR_CANDIDATE_FIELD).to_owned(),
            Self::Field(f) => render(lang, key::BLUEPRINT_SELECTOR_FIELD, &[("field", f)]),
            Self::Law(l) => render(lang, key::BLUEPRINT_SELECTOR_LAW, &[("law", &law_key(l))]),
            Self::Tag(t) => render(lang, key::BLUEPRINT_SELECTOR_TAG, &[("tag", t)]),
        }
    }

    /// Whether this selects by exam kind / field rather than by content.
    pub fn is_scope(&self) -> bool {
        matches!(self, Self::General | Self::CandidateField | Self::Field(_))
    }

    /// The form two selectors are compared in, so that `行政处罚法` and
    /// `《中华人民共和国行政处罚法》` count as the same quota.
    fn identity(&self) -> (u8, &str) {
        match self {
            Self::General => (0, ""),
            Self::CandidateField => (1, ""),
            Self::Field(f) => (2, f.as_str()),
            Self::Law(l) => (3, law_key(l)),
            Self::Tag(t) => (4, t.as_str()),
        }
    }
}

impl fmt::Display for Selector {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label(Lang::En))
    }
}

/// 配额 — at least `count` questions of the section match `selector` (see the module docs for
/// scope selectors).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Quota {
    /// Which questions count.
    pub selector: Selector,
    /// How many, at least (1 or more).
    pub count: u32,
}

/// 大题 — one section of a paper: questions of one type. Checked as part of a [`Blueprint`].
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Section {
    /// 题型; each type appears in at most one section.
    pub question_type: QuestionType,
    /// Number of questions, 1–[`MAX_SECTION_COUNT`].
    pub count: u32,
    /// Points per question, more than 0 and at most [`MAX_POINTS_PER_QUESTION`].
    pub points_per_question: Points,
    /// How a question is scored ([`ScoringRule::PartialCredit`] only for 多选题).
    #[serde(default)]
    pub scoring: ScoringRule,
    /// Quotas, at most [`MAX_QUOTAS`]; their counts add up to at most `count`.
    #[serde(default)]
    pub quotas: Vec<Quota>,
}

impl Section {
    /// The section's points: count × points per question.
    pub fn points(&self) -> Points {
        self.points_per_question
            .checked_mul(self.count)
            .unwrap_or(Points::ZERO)
    }
}

/// A blueprint as typed in a form or stored as JSON, not yet checked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BlueprintParts {
    /// 方案名称.
    pub name: String,
    /// 考试类别.
    pub exam_kind: ExamKind,
    /// 大题, in paper order.
    pub sections: Vec<Section>,
    /// 及格分.
    pub pass_mark: Points,
    /// 目标难度 — the target point-weighted mean difficulty, 1–5.
    pub target_difficulty: f64,
    /// 难度容差 — how far a paper's mean difficulty may lie from the target; more than 0, at
    /// most 4.
    pub tolerance: f64,
}

/// 组卷方案 — a valid blueprint.
///
/// Invariants: a name of 1–[`MAX_NAME_CHARS`] characters; 1–3 sections of distinct types, each
/// with 1–[`MAX_SECTION_COUNT`] questions worth more than 0 and at most
/// [`MAX_POINTS_PER_QUESTION`] points; partial credit only for 多选题, with a share per option
/// of more than 0 and at most the question's points; per section at most [`MAX_QUOTAS`] quotas
/// of at least one question each, no two alike, adding up to at most the section's count;
/// quotas on fields only in 专业 blueprints; a pass mark of more than 0 and at most the total;
/// a target difficulty in 1–5 and a tolerance in (0, 4].
///
/// The mean difficulty of a paper is weighted by points: a 2-point question weighs twice a
/// 1-point one, as it does in the score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "BlueprintParts", into = "BlueprintParts")]
pub struct Blueprint {
    name: String,
    exam_kind: ExamKind,
    sections: Vec<Section>,
    pass_mark: Points,
    target_difficulty: f64,
    tolerance: f64,
    total_points: Points,
}

/// `第 2 部分(多选题)` / `section 2 (多选题, multiple choice)`; `section` is 1-based.
pub(crate) fn section_label(section: usize, t: QuestionType, lang: Lang) -> String {
    let type_key = match t {
        QuestionType::Single => key::BLUEPRINT_SECTION_TYPE_SINGLE,
        QuestionType::Multiple => key::BLUEPRINT_SECTION_TYPE_MULTIPLE,
        QuestionType::TrueFalse => key::BLUEPRINT_SECTION_TYPE_TRUE_FALSE,
    };
    render(
        lang,
        key::BLUEPRINT_SECTION,
        &[("section", &section), ("type", &text(lang, type_key))],
    )
}

/// One broken rule of a blueprint. Sections and quotas are numbered from 1.
///
/// `Display` is the English message as it runs on in a log line (`the pass mark is 0: …`);
/// [`Localized::message`] starts it with a capital.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[error("{}", self.render(Lang::En))]
pub enum BlueprintError {
    /// No name.
    NameEmpty,
    /// Name too long.
    NameTooLong {
        /// Length found.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// Name with a line break or control character.
    NameControlCharacter,
    /// No sections.
    NoSections,
    /// Two sections of the same type.
    DuplicateSectionType {
        /// The later section.
        section: usize,
        /// Its type.
        question_type: QuestionType,
        /// The earlier section of that type.
        same_as: usize,
    },
    /// A section without questions.
    CountZero {
        /// The section.
        section: usize,
        /// Its type.
        question_type: QuestionType,
    },
    /// A section with too many questions.
    CountTooLarge {
        /// The section.
        section: usize,
        /// Its type.
        question_type: QuestionType,
        /// The count given.
        count: u32,
        /// Limit.
        max: u32,
    },
    /// Questions worth nothing.
    PointsZero {
        /// The section.
        section: usize,
        /// Its type.
        question_type: QuestionType,
    },
    /// Questions worth too much.
    PointsTooLarge {
        /// The section.
        section: usize,
        /// Its type.
        question_type: QuestionType,
        /// Points given.
        points: Points,
        /// Limit.
        max: Points,
    },
    /// Partial credit on a section that is not 多选题.
    PartialCreditNotForType {
        /// The section.
        section: usize,
        /// Its type.
        question_type: QuestionType,
    },
    /// A partial-credit share of 0 or more than the question is worth.
    PartialShareInvalid {
        /// The section.
        section: usize,
        /// Its type.
        question_type: QuestionType,
        /// The share given.
        per_option: Points,
        /// The question's points.
        points: Points,
    },
    /// Too many quotas.
    TooManyQuotas {
        /// The section.
        section: usize,
        /// Its type.
        question_type: QuestionType,
        /// Quotas given.
        count: usize,
        /// Limit.
        max: usize,
    },
    /// A quota for no questions.
    QuotaCountZero {
        /// The section.
        section: usize,
        /// Its type.
        question_type: QuestionType,
        /// The quota.
        quota: usize,
    },
    /// A law quota whose law name cannot be used.
    QuotaLawInvalid {
        /// The section.
        section: usize,
        /// Its type.
        question_type: QuestionType,
        /// The quota.
        quota: usize,
        /// The law name given.
        law: String,
    },
    /// A field quota in a 综合 blueprint.
    FieldQuotaInGeneral {
        /// The section.
        section: usize,
        /// Its type.
        question_type: QuestionType,
        /// The quota.
        quota: usize,
        /// Its selector.
        selector: Selector,
    },
    /// The same selector twice in one section.
    DuplicateQuota {
        /// The section.
        section: usize,
        /// Its type.
        question_type: QuestionType,
        /// The later quota.
        quota: usize,
        /// The earlier quota.
        same_as: usize,
    },
    /// Quotas asking for more than the section holds.
    QuotasExceedCount {
        /// The section.
        section: usize,
        /// Its type.
        question_type: QuestionType,
        /// Sum of the quotas.
        quotas_total: u64,
        /// The section's count.
        count: u32,
    },
    /// A pass mark of 0.
    PassMarkZero,
    /// A pass mark above the total.
    PassMarkAboveTotal {
        /// The pass mark.
        pass_mark: Points,
        /// The total points.
        total: Points,
    },
    /// A target difficulty outside 1–5.
    TargetDifficultyOutOfRange {
        /// The target given.
        target: f64,
    },
    /// A tolerance of 0 or less, above 4, or not a number.
    ToleranceOutOfRange {
        /// The tolerance given.
        tolerance: f64,
    },
}

impl BlueprintError {
    fn render(&self, lang: Lang) -> String {
        let sec = |section: usize, t: QuestionType| section_label(section, t, lang);
        match self {
            Self::NameEmpty => render(lang, key::BLUEPRINT_NAME_EMPTY, &[]),
            Self::NameTooLong { len, max } => render(
                lang,
                key::BLUEPRINT_NAME_TOO_LONG,
                &[("len", len), ("max", max)],
            ),
            Self::NameControlCharacter => render(lang, key::BLUEPRINT_NAME_CONTROL_CHARACTER, &[]),
            Self::NoSections => render(lang, key::BLUEPRINT_NO_SECTIONS, &[]),
            Self::DuplicateSectionType {
                section,
                question_type,
                same_as,
            } => render(
                lang,
                key::BLUEPRINT_DUPLICATE_SECTION_TYPE,
                &[
                    ("section", &sec(*section, *question_type)),
                    ("same_as", same_as),
                ],
            ),
            Self::CountZero {
                section,
                question_type,
            } => render(
                lang,
                key::BLUEPRINT_COUNT_ZERO,
                &[("section", &sec(*section, *question_type))],
            ),
            Self::CountTooLarge {
                section,
                question_type,
                count,
                max,
            } => render(
                lang,
                key::BLUEPRINT_COUNT_TOO_LARGE,
                &[
                    ("section", &sec(*section, *question_type)),
                    ("count", count),
                    ("max", max),
                ],
            ),
            Self::PointsZero {
                section,
                question_type,
            } => render(
                lang,
                key::BLUEPRINT_POINTS_ZERO,
                &[("section", &sec(*section, *question_type))],
            ),
            Self::PointsTooLarge {
                section,
                question_type,
                points,
                max,
            } => render(
                lang,
                key::BLUEPRINT_POINTS_TOO_LARGE,
                &[
                    ("section", &sec(*section, *question_type)),
                    ("points", points),
                    ("max", max),
                ],
            ),
            Self::PartialCreditNotForType {
                section,
                question_type,
            } => render(
                lang,
                key::BLUEPRINT_PARTIAL_CREDIT_NOT_FOR_TYPE,
                &[("section", &sec(*section, *question_type))],
            ),
            Self::PartialShareInvalid {
                section,
                question_type,
                per_option,
                points,
            } => render(
                lang,
                key::BLUEPRINT_PARTIAL_SHARE_INVALID,
                &[
                    ("section", &sec(*section, *question_type)),
                    ("per_option", per_option),
                    ("points", points),
                ],
            ),
            Self::TooManyQuotas {
                section,
                question_type,
                count,
                max,
            } => render(
                lang,
                key::BLUEPRINT_TOO_MANY_QUOTAS,
                &[
                    ("section", &sec(*section, *question_type)),
                    ("count", count),
                    ("max", max),
                ],
            ),
            Self::QuotaCountZero {
                section,
                question_type,
                quota,
            } => render(
                lang,
                key::BLUEPRINT_QUOTA_COUNT_ZERO,
                &[
                    ("section", &sec(*section, *question_type)),
                    ("quota", quota),
                ],
            ),
            Self::QuotaLawInvalid {
                section,
                question_type,
                quota,
                law,
            } => render(
                lang,
                key::BLUEPRINT_QUOTA_LAW_INVALID,
                &[
                    ("section", &sec(*section, *question_type)),
                    ("quota", quota),
                    ("law", law),
                    ("max", &MAX_LAW_CHARS),
                ],
            ),
            Self::FieldQuotaInGeneral {
                section,
                question_type,
                quota,
                selector,
            } => render(
                lang,
                key::BLUEPRINT_FIELD_QUOTA_IN_GENERAL,
                &[
                    ("section", &sec(*section, *question_type)),
                    ("quota", quota),
                    ("selector", &selector.label(lang)),
                ],
            ),
            Self::DuplicateQuota {
                section,
                question_type,
                quota,
                same_as,
            } => render(
                lang,
                key::BLUEPRINT_DUPLICATE_QUOTA,
                &[
                    ("section", &sec(*section, *question_type)),
                    ("quota", quota),
                    ("same_as", same_as),
                ],
            ),
            Self::QuotasExceedCount {
                section,
                question_type,
                quotas_total,
                count,
            } => render(
                lang,
                key::BLUEPRINT_QUOTAS_EXCEED_COUNT,
                &[
                    ("section", &sec(*section, *question_type)),
                    ("quotas_total", quotas_total),
                    ("count", count),
                ],
            ),
            Self::PassMarkZero => render(lang, key::BLUEPRINT_PASS_MARK_ZERO, &[]),
            Self::PassMarkAboveTotal { pass_mark, total } => render(
                lang,
                key::BLUEPRINT_PASS_MARK_ABOVE_TOTAL,
                &[("pass_mark", pass_mark), ("total", total)],
            ),
            Self::TargetDifficultyOutOfRange { target } => render(
                lang,
                key::BLUEPRINT_TARGET_DIFFICULTY_OUT_OF_RANGE,
                &[("target", target)],
            ),
            Self::ToleranceOutOfRange { tolerance } => render(
                lang,
                key::BLUEPRINT_TOLERANCE_OUT_OF_RANGE,
                &[("tolerance", tolerance)],
            ),
        }
    }
}

impl Localized for BlueprintError {
    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.render(lang),
            Lang::En => capitalize(&self.render(lang)),
        }
    }
}

/// Every broken rule of a blueprint, in order (never empty).
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
#[serde(transparent)]
pub struct BlueprintErrors(pub Vec<BlueprintError>);

impl fmt::Display for BlueprintErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message(Lang::En))
    }
}

impl Localized for BlueprintErrors {
    fn message(&self, lang: Lang) -> String {
        join_sentences(lang, self.0.iter().map(|e| e.message(lang)))
    }
}

impl Blueprint {
    /// Checks every rule of a blueprint (see the type's invariants).
    ///
    /// # Errors
    /// [`BlueprintErrors`] with every broken rule, each naming its section and quota.
    pub fn new(parts: BlueprintParts) -> Result<Self, BlueprintErrors> {
        let BlueprintParts {
            name,
            exam_kind,
            sections,
            pass_mark,
            target_difficulty,
            tolerance,
        } = parts;
        let mut errors = Vec::new();
        let name = name.trim().to_owned();
        let len = name.chars().count();
        if name.is_empty() {
            errors.push(BlueprintError::NameEmpty);
        } else if name.chars().any(char::is_control) {
            errors.push(BlueprintError::NameControlCharacter);
        } else if len > MAX_NAME_CHARS {
            errors.push(BlueprintError::NameTooLong {
                len,
                max: MAX_NAME_CHARS,
            });
        }
        if sections.is_empty() {
            errors.push(BlueprintError::NoSections);
        }
        let mut total = Points::ZERO;
        for (i, section) in sections.iter().enumerate() {
            check_section(i + 1, section, &sections[..i], exam_kind, &mut errors);
            total = total.checked_add(section.points()).unwrap_or(total);
        }
        if pass_mark.is_zero() {
            errors.push(BlueprintError::PassMarkZero);
        } else if pass_mark > total && !sections.is_empty() {
            errors.push(BlueprintError::PassMarkAboveTotal { pass_mark, total });
        }
        if !(1.0..=5.0).contains(&target_difficulty) {
            errors.push(BlueprintError::TargetDifficultyOutOfRange {
                target: target_difficulty,
            });
        }
        if !(tolerance > 0.0 && tolerance <= 4.0) {
            errors.push(BlueprintError::ToleranceOutOfRange { tolerance });
        }
        if !errors.is_empty() {
            return Err(BlueprintErrors(errors));
        }
        Ok(Self {
            name,
            exam_kind,
            sections,
            pass_mark,
            target_difficulty,
            tolerance,
            total_points: total,
        })
    }

    /// 综合法律知识 by default: 40 单选题 × 1 + 20 多选题 × 2 (all or nothing) + 20 判断题 × 1 =
    /// 100 points, pass mark 60, no quotas.
    ///
    /// Target difficulty 2.6 with tolerance 0.3: a qualification exam, slightly easier than
    /// 中 (3), matching the shipped sample bank (mean 2.58). A random paper from a bank centred
    /// on the target has a point-weighted mean with a standard deviation of about 0.13
    /// (σ≈1.1 per question over ≈71 effective questions), so ±0.3 is ≈2.3σ: few papers need
    /// the difficulty repair, and no two papers differ by more than 0.6.
    pub fn default_general() -> Self {
        Self::standard(
            "综合法律知识(默认方案)",
            ExamKind::General,
            [
                (QuestionType::Single, 40, 1),
                (QuestionType::Multiple, 20, 2),
                (QuestionType::TrueFalse, 20, 1),
            ],
        )
    }

    /// 专业法律知识 by default, all from the candidate's field: 25 单选题 × 2 + 10 多选题 × 3
    /// (all or nothing) + 10 判断题 × 2 = 100 points, pass mark 60, target 2.6 ± 0.3.
    ///
    /// Fewer questions than the general paper because a field's bank is smaller (the sample
    /// bank holds 25 / 12 / 12 per field); offices with larger field banks define their own.
    pub fn default_professional() -> Self {
        Self::standard(
            "专业法律知识(默认方案)",
            ExamKind::Professional,
            [
                (QuestionType::Single, 25, 2),
                (QuestionType::Multiple, 10, 3),
                (QuestionType::TrueFalse, 10, 2),
            ],
        )
    }

    fn standard(name: &str, exam_kind: ExamKind, sections: [(QuestionType, u32, u32); 3]) -> Self {
        let sections: Vec<Section> = sections
            .into_iter()
            .map(|(question_type, count, points)| Section {
                question_type,
                count,
                points_per_question: Points::from_hundredths(points * 100),
                scoring: ScoringRule::AllOrNothing,
                quotas: Vec::new(),
            })
            .collect();
        let total_points = sections
            .iter()
            .fold(Points::ZERO, |t, s| t.checked_add(s.points()).unwrap_or(t));
        // Built by hand (not through `new`) so that no fallible call is needed; the unit tests
        // check that `new` accepts both defaults.
        Self {
            name: name.to_owned(),
            exam_kind,
            sections,
            pass_mark: Points::from_hundredths(6000),
            target_difficulty: 2.6,
            tolerance: 0.3,
            total_points,
        }
    }

    /// 方案名称.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// 考试类别.
    pub fn exam_kind(&self) -> ExamKind {
        self.exam_kind
    }

    /// 大题, in paper order.
    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// 及格分.
    pub fn pass_mark(&self) -> Points {
        self.pass_mark
    }

    /// 总分 — the sum of the sections' points.
    pub fn total_points(&self) -> Points {
        self.total_points
    }

    /// Number of questions on a paper.
    pub fn question_count(&self) -> u32 {
        self.sections.iter().map(|s| s.count).sum()
    }

    /// 目标难度 (point-weighted mean, 1–5).
    pub fn target_difficulty(&self) -> f64 {
        self.target_difficulty
    }

    /// 难度容差.
    pub fn tolerance(&self) -> f64 {
        self.tolerance
    }

    /// The parts this blueprint was built from.
    pub fn to_parts(&self) -> BlueprintParts {
        BlueprintParts {
            name: self.name.clone(),
            exam_kind: self.exam_kind,
            sections: self.sections.clone(),
            pass_mark: self.pass_mark,
            target_difficulty: self.target_difficulty,
            tolerance: self.tolerance,
        }
    }
}

fn check_section(
    n: usize,
    section: &Section,
    earlier: &[Section],
    exam_kind: ExamKind,
    errors: &mut Vec<BlueprintError>,
) {
    let t = section.question_type;
    if let Some(j) = earlier.iter().position(|s| s.question_type == t) {
        errors.push(BlueprintError::DuplicateSectionType {
            section: n,
            question_type: t,
            same_as: j + 1,
        });
    }
    if section.count == 0 {
        errors.push(BlueprintError::CountZero {
            section: n,
            question_type: t,
        });
    } else if section.count > MAX_SECTION_COUNT {
        errors.push(BlueprintError::CountTooLarge {
            section: n,
            question_type: t,
            count: section.count,
            max: MAX_SECTION_COUNT,
        });
    }
    let points = section.points_per_question;
    let max_points = Points::from_hundredths(MAX_POINTS_PER_QUESTION * 100);
    if points.is_zero() {
        errors.push(BlueprintError::PointsZero {
            section: n,
            question_type: t,
        });
    } else if points > max_points {
        errors.push(BlueprintError::PointsTooLarge {
            section: n,
            question_type: t,
            points,
            max: max_points,
        });
    }
    if let ScoringRule::PartialCredit { per_option } = section.scoring {
        if t != QuestionType::Multiple {
            errors.push(BlueprintError::PartialCreditNotForType {
                section: n,
                question_type: t,
            });
        } else if per_option.is_zero() || per_option > points {
            errors.push(BlueprintError::PartialShareInvalid {
                section: n,
                question_type: t,
                per_option,
                points,
            });
        }
    }
    if section.quotas.len() > MAX_QUOTAS {
        errors.push(BlueprintError::TooManyQuotas {
            section: n,
            question_type: t,
            count: section.quotas.len(),
            max: MAX_QUOTAS,
        });
    }
    let mut quotas_total = 0u64;
    for (k, quota) in section.quotas.iter().enumerate() {
        let q = k + 1;
        quotas_total += u64::from(quota.count);
        if quota.count == 0 {
            errors.push(BlueprintError::QuotaCountZero {
                section: n,
                question_type: t,
                quota: q,
            });
        }
        match &quota.selector {
            Selector::Law(law) => {
                let key = law_key(law);
                if key.is_empty()
                    || key.chars().count() > MAX_LAW_CHARS
                    || key.chars().any(char::is_control)
                    || key.contains(['《', '》'])
                {
                    errors.push(BlueprintError::QuotaLawInvalid {
                        section: n,
                        question_type: t,
                        quota: q,
                        law: law.clone(),
                    });
                }
            }
            Selector::CandidateField | Selector::Field(_) if exam_kind == ExamKind::General => {
                errors.push(BlueprintError::FieldQuotaInGeneral {
                    section: n,
                    question_type: t,
                    quota: q,
                    selector: quota.selector.clone(),
                });
            }
            _ => {}
        }
        if let Some(j) = section.quotas[..k]
            .iter()
            .position(|o| o.selector.identity() == quota.selector.identity())
        {
            errors.push(BlueprintError::DuplicateQuota {
                section: n,
                question_type: t,
                quota: q,
                same_as: j + 1,
            });
        }
    }
    if quotas_total > u64::from(section.count) {
        errors.push(BlueprintError::QuotasExceedCount {
            section: n,
            question_type: t,
            quotas_total,
            count: section.count,
        });
    }
}

impl TryFrom<BlueprintParts> for Blueprint {
    type Error = BlueprintErrors;
    fn try_from(parts: BlueprintParts) -> Result<Self, Self::Error> {
        Self::new(parts)
    }
}

impl From<Blueprint> for BlueprintParts {
    fn from(value: Blueprint) -> Self {
        Self {
            name: value.name,
            exam_kind: value.exam_kind,
            sections: value.sections,
            pass_mark: value.pass_mark,
            target_difficulty: value.target_difficulty,
            tolerance: value.tolerance,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pts(n: u32) -> Points {
        Points::whole(n).unwrap()
    }

    fn section(question_type: QuestionType, count: u32, points: u32) -> Section {
        Section {
            question_type,
            count,
            points_per_question: pts(points),
            scoring: ScoringRule::AllOrNothing,
            quotas: vec![],
        }
    }

    fn parts() -> BlueprintParts {
        Blueprint::default_general().to_parts()
    }

    fn errors(parts: BlueprintParts) -> Vec<BlueprintError> {
        Blueprint::new(parts).unwrap_err().0
    }

    #[test]
    fn the_default_general_blueprint_is_40_20_20_for_100_points_and_passes_its_own_checks() {
        let b = Blueprint::default_general();
        assert_eq!(b.total_points(), pts(100));
        assert_eq!(b.pass_mark(), pts(60));
        assert_eq!(b.question_count(), 80);
        assert_eq!(Blueprint::new(b.to_parts()).unwrap(), b);
        let p = Blueprint::default_professional();
        assert_eq!(p.total_points(), pts(100));
        assert_eq!(p.exam_kind(), ExamKind::Professional);
        assert_eq!(Blueprint::new(p.to_parts()).unwrap(), p);
    }

    #[test]
    fn a_blueprint_round_trips_through_json_and_bad_json_is_refused_with_the_reason() {
        let mut p = parts();
        p.sections[1].scoring = ScoringRule::PartialCredit {
            per_option: Points::from_hundredths(50),
        };
        p.sections[0].quotas = vec![
            Quota {
                selector: Selector::Law("行政处罚法".into()),
                count: 10,
            },
            Quota {
                selector: Selector::Tag(Tag::parse("听证").unwrap()),
                count: 2,
            },
        ];
        let b = Blueprint::new(p).unwrap();
        let json = serde_json::to_string(&b).unwrap();
        assert!(
            json.contains(r#""selector":{"by":"law","value":"行政处罚法"}"#),
            "{json}"
        );
        assert!(json.contains(r#""scoring":{"rule":"partial_credit","per_option":0.5}"#));
        assert_eq!(serde_json::from_str::<Blueprint>(&json).unwrap(), b);
        let bad = json.replace(r#""pass_mark":60"#, r#""pass_mark":160"#);
        let err = serde_json::from_str::<Blueprint>(&bad).unwrap_err();
        assert!(err.to_string().contains("pass mark 160"), "{err}");
    }

    #[test]
    fn quotas_above_the_section_count_name_the_section_and_the_excess() {
        let mut p = parts();
        p.sections[1].quotas = vec![
            Quota {
                selector: Selector::Law("行政处罚法".into()),
                count: 15,
            },
            Quota {
                selector: Selector::Law("行政许可法".into()),
                count: 10,
            },
        ];
        let e = errors(p);
        assert_eq!(
            e,
            vec![BlueprintError::QuotasExceedCount {
                section: 2,
                question_type: QuestionType::Multiple,
                quotas_total: 25,
                count: 20
            }]
        );
        assert_eq!(
            e[0].message(Lang::Zh),
            "第 2 部分(多选题)各配额合计 25 题,超过该部分的 20 题:请减少配额或增加题数"
        );
        assert_eq!(
            e[0].message(Lang::En),
            "Section 2 (多选题, multiple choice): the quotas add up to 25 questions, more than the section's 20: lower the quotas or raise the count"
        );
    }

    #[test]
    fn every_rule_is_reported_at_once() {
        let p = BlueprintParts {
            name: " ".into(),
            exam_kind: ExamKind::General,
            sections: vec![
                section(QuestionType::Single, 0, 1),
                Section {
                    scoring: ScoringRule::PartialCredit { per_option: pts(1) },
                    quotas: vec![
                        Quota {
                            selector: Selector::CandidateField,
                            count: 1,
                        },
                        Quota {
                            selector: Selector::Law("《中华人民共和国行政处罚法》".into()),
                            count: 0,
                        },
                        Quota {
                            selector: Selector::Law("行政处罚法".into()),
                            count: 1,
                        },
                        Quota {
                            selector: Selector::Law("《》".into()),
                            count: 1,
                        },
                    ],
                    ..section(QuestionType::TrueFalse, 5, 0)
                },
                section(QuestionType::Single, 600, 101),
            ],
            pass_mark: Points::ZERO,
            target_difficulty: 6.0,
            tolerance: f64::NAN,
        };
        let kinds: Vec<String> = errors(p)
            .iter()
            .map(|e| {
                serde_json::to_value(e).unwrap()["kind"]
                    .as_str()
                    .unwrap()
                    .to_owned()
            })
            .collect();
        assert_eq!(
            kinds,
            [
                "name_empty",
                "count_zero",
                "points_zero",
                "partial_credit_not_for_type",
                "field_quota_in_general",
                "quota_count_zero",
                "duplicate_quota",
                "quota_law_invalid",
                "duplicate_section_type",
                "count_too_large",
                "points_too_large",
                "pass_mark_zero",
                "target_difficulty_out_of_range",
                "tolerance_out_of_range",
            ]
        );
    }

    #[test]
    fn partial_credit_share_must_be_positive_and_at_most_the_points() {
        let mut p = parts();
        p.sections[1].scoring = ScoringRule::PartialCredit { per_option: pts(3) };
        assert!(matches!(
            errors(p)[..],
            [BlueprintError::PartialShareInvalid { section: 2, .. }]
        ));
    }

    #[test]
    fn a_pass_mark_above_the_total_is_refused() {
        let mut p = parts();
        p.pass_mark = pts(101);
        let e = errors(p);
        assert_eq!(
            e,
            vec![BlueprintError::PassMarkAboveTotal {
                pass_mark: pts(101),
                total: pts(100)
            }]
        );
        assert!(
            e[0].message(Lang::Zh)
                .contains("及格分 101 高于试卷总分 100")
        );
    }

    #[test]
    fn every_error_explains_itself_in_both_languages() {
        let mut p = parts();
        p.name = "x".repeat(70);
        p.tolerance = 0.0;
        let e = Blueprint::new(p).unwrap_err();
        assert!(e.message(Lang::Zh).contains("请"));
        assert!(e.message(Lang::En).contains("shorten it"));
        assert_eq!(e.to_string(), e.message(Lang::En));
    }
}
