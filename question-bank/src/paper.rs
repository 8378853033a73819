//! 试卷 — one candidate's paper, and what the candidate's browser is shown of it.
//!
//! A [`Paper`] records which question revisions a candidate got, in which order, and each
//! question's option permutation; with the points and scoring rule of each section, the pass
//! mark and the mean difficulty. It holds no answer key and no question text: it is stored as
//! JSON beside the attempt, and read back only through checks of its own consistency. Editing
//! the bank later never changes it, because it names revisions.
//!
//! [`Paper::view`] renders it for the candidate as [`PaperView`]: stems and options in the
//! candidate's order, numbered, and nothing else — no key, no ids. This module does not choose
//! questions (that is [`assembly`](crate::assembly)) or score them ([`scoring`](crate::scoring)).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::answer::MAX_OPTIONS;
use crate::blueprint::ScoringRule;
use crate::classify::QuestionType;
use crate::lang::{Lang, Localized, capitalize, key, render};
use crate::points::Points;
use crate::question::{Question, QuestionView};
use crate::snapshot::{BankSnapshot, QuestionRef};

/// One question on a paper.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PaperItem {
    question: QuestionRef,
    option_order: Vec<u8>,
}

impl PaperItem {
    pub(crate) fn new(question: QuestionRef, option_order: Vec<u8>) -> Self {
        Self {
            question,
            option_order,
        }
    }

    /// The question revision.
    pub fn question(&self) -> QuestionRef {
        self.question
    }

    /// The option permutation: `option_order[shown] = original` — the option displayed at
    /// position `shown` (0 = first shown, labelled A) is the question's option `original`
    /// (0 = the author's A). Empty for 判断题.
    pub fn option_order(&self) -> &[u8] {
        &self.option_order
    }
}

/// One section of a paper.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct PaperSection {
    question_type: QuestionType,
    points_per_question: Points,
    scoring: ScoringRule,
    items: Vec<PaperItem>,
}

impl PaperSection {
    pub(crate) fn new(
        question_type: QuestionType,
        points_per_question: Points,
        scoring: ScoringRule,
        items: Vec<PaperItem>,
    ) -> Self {
        Self {
            question_type,
            points_per_question,
            scoring,
            items,
        }
    }

    /// 题型.
    pub fn question_type(&self) -> QuestionType {
        self.question_type
    }

    /// Points per question.
    pub fn points_per_question(&self) -> Points {
        self.points_per_question
    }

    /// How its questions are scored.
    pub fn scoring(&self) -> ScoringRule {
        self.scoring
    }

    /// The questions, in the candidate's order.
    pub fn items(&self) -> &[PaperItem] {
        &self.items
    }
}

/// 试卷 — see the module docs. Deserializing checks the paper's own consistency
/// ([`PaperError`]); that it fits a bank is checked when it is viewed or scored.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "PaperRepr")]
pub struct Paper {
    algorithm: u32,
    pool: String,
    sections: Vec<PaperSection>,
    total_points: Points,
    pass_mark: Points,
    mean_difficulty: f64,
}

#[derive(Deserialize)]
struct PaperRepr {
    algorithm: u32,
    pool: String,
    sections: Vec<PaperSection>,
    total_points: Points,
    pass_mark: Points,
    mean_difficulty: f64,
}

impl TryFrom<PaperRepr> for Paper {
    type Error = PaperError;
    fn try_from(r: PaperRepr) -> Result<Self, PaperError> {
        if r.sections.is_empty() {
            return Err(PaperError::Empty);
        }
        let mut seen = HashSet::new();
        let mut total = Points::ZERO;
        let mut number = 0u32;
        for (i, section) in r.sections.iter().enumerate() {
            if section.items.is_empty() {
                return Err(PaperError::EmptySection { section: i + 1 });
            }
            let count = u32::try_from(section.items.len()).unwrap_or(u32::MAX);
            total = section
                .points_per_question
                .checked_mul(count)
                .and_then(|p| total.checked_add(p))
                .ok_or(PaperError::TotalMismatch {
                    stated: r.total_points,
                    computed: total,
                })?;
            for item in &section.items {
                number += 1;
                if !seen.insert(item.question.question_id) {
                    return Err(PaperError::RepeatedQuestion {
                        question_id: item.question.question_id,
                    });
                }
                let n = item.option_order.len();
                let fits_type = match section.question_type {
                    QuestionType::TrueFalse => n == 0,
                    QuestionType::Single | QuestionType::Multiple => n >= 2,
                };
                if !fits_type || !is_permutation(&item.option_order) {
                    return Err(PaperError::BadOptionOrder {
                        number,
                        order: item.option_order.clone(),
                    });
                }
            }
        }
        if total != r.total_points {
            return Err(PaperError::TotalMismatch {
                stated: r.total_points,
                computed: total,
            });
        }
        if r.pass_mark > total {
            return Err(PaperError::PassMarkAboveTotal {
                pass_mark: r.pass_mark,
                total,
            });
        }
        if !(1.0..=5.0).contains(&r.mean_difficulty) {
            return Err(PaperError::BadMeanDifficulty {
                mean: r.mean_difficulty,
            });
        }
        Ok(Self {
            algorithm: r.algorithm,
            pool: r.pool,
            sections: r.sections,
            total_points: r.total_points,
            pass_mark: r.pass_mark,
            mean_difficulty: r.mean_difficulty,
        })
    }
}

fn is_permutation(order: &[u8]) -> bool {
    if order.len() > MAX_OPTIONS {
        return false;
    }
    let mut seen = 0u16;
    for &o in order {
        if usize::from(o) >= order.len() || seen & (1 << o) != 0 {
            return false;
        }
        seen |= 1 << o;
    }
    true
}

/// Why a paper is malformed, or does not fit the bank it is shown or scored against.
/// Question numbers (`number`) count from 1 across the whole paper.
///
/// `Display` is the English message as it runs on in a log line (`the paper has no sections: …`);
/// [`Localized::message`] starts it with a capital.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[error("{}", self.render(Lang::En))]
pub enum PaperError {
    /// No sections.
    Empty,
    /// A section without questions.
    EmptySection {
        /// 1-based.
        section: usize,
    },
    /// A question twice.
    RepeatedQuestion {
        /// The question.
        question_id: i64,
    },
    /// An option order that is not a permutation fitting the section's type.
    BadOptionOrder {
        /// The question number.
        number: u32,
        /// The order found.
        order: Vec<u8>,
    },
    /// A total that is not the sum of the sections.
    TotalMismatch {
        /// The stated total.
        stated: Points,
        /// The sections' sum.
        computed: Points,
    },
    /// A pass mark above the total.
    PassMarkAboveTotal {
        /// The pass mark.
        pass_mark: Points,
        /// The total.
        total: Points,
    },
    /// A mean difficulty outside 1–5.
    BadMeanDifficulty {
        /// The mean found.
        mean: f64,
    },
    /// A question revision the bank snapshot does not hold.
    QuestionMissing {
        /// The question number.
        number: u32,
        /// The revision.
        question: QuestionRef,
    },
    /// The revision is of another type than its section.
    TypeMismatch {
        /// The question number.
        number: u32,
        /// The revision.
        question: QuestionRef,
        /// The section's type.
        expected: QuestionType,
        /// The revision's type.
        found: QuestionType,
    },
    /// The revision has another number of options than the permutation.
    OptionCountMismatch {
        /// The question number.
        number: u32,
        /// The revision.
        question: QuestionRef,
        /// Options of the revision.
        options: usize,
        /// Length of the permutation.
        ordered: usize,
    },
}

impl PaperError {
    fn render(&self, lang: Lang) -> String {
        match self {
            Self::Empty => render(lang, key::PAPER_EMPTY, &[]),
            Self::EmptySection { section } => {
                render(lang, key::PAPER_EMPTY_SECTION, &[("section", section)])
            }
            Self::RepeatedQuestion { question_id } => render(
                lang,
                key::PAPER_REPEATED_QUESTION,
                &[("question_id", question_id)],
            ),
            Self::BadOptionOrder { number, order } => render(
                lang,
                key::PAPER_BAD_OPTION_ORDER,
                &[("number", number), ("order", &format!("{order:?}"))],
            ),
            Self::TotalMismatch { stated, computed } => render(
                lang,
                key::PAPER_TOTAL_MISMATCH,
                &[("stated", stated), ("computed", computed)],
            ),
            Self::PassMarkAboveTotal { pass_mark, total } => render(
                lang,
                key::PAPER_PASS_MARK_ABOVE_TOTAL,
                &[("pass_mark", pass_mark), ("total", total)],
            ),
            Self::BadMeanDifficulty { mean } => {
                render(lang, key::PAPER_BAD_MEAN_DIFFICULTY, &[("mean", mean)])
            }
            Self::QuestionMissing { number, question } => render(
                lang,
                key::PAPER_QUESTION_MISSING,
                &[
                    ("number", number),
                    ("question_id", &question.question_id),
                    ("revision_id", &question.revision_id),
                ],
            ),
            Self::TypeMismatch {
                number,
                question,
                expected,
                found,
            } => render(
                lang,
                key::PAPER_TYPE_MISMATCH,
                &[
                    ("number", number),
                    ("revision_id", &question.revision_id),
                    ("found", &found.message_name(lang)),
                    ("expected", &expected.message_name(lang)),
                ],
            ),
            Self::OptionCountMismatch {
                number,
                question,
                options,
                ordered,
            } => render(
                lang,
                key::PAPER_OPTION_COUNT_MISMATCH,
                &[
                    ("number", number),
                    ("revision_id", &question.revision_id),
                    ("options", options),
                    ("ordered", ordered),
                ],
            ),
        }
    }
}

impl Localized for PaperError {
    fn message(&self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.render(lang),
            Lang::En => capitalize(&self.render(lang)),
        }
    }
}

/// 考生看到的试卷 — what the candidate's browser receives: no key, no ids.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperView {
    /// 总分.
    pub total_points: Points,
    /// 及格分.
    pub pass_mark: Points,
    /// 大题, in order.
    pub sections: Vec<SectionView>,
}

/// One section as the candidate sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SectionView {
    /// 题型.
    pub question_type: QuestionType,
    /// Points per question.
    pub points_per_question: Points,
    /// How its questions are scored (so the candidate knows whether a partial answer counts).
    pub scoring: ScoringRule,
    /// The questions.
    pub items: Vec<ItemView>,
}

/// One question as the candidate sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemView {
    /// 题号, from 1 across the paper; answers are given by this number.
    pub number: u32,
    /// Stem and options, options in the candidate's order.
    pub question: QuestionView,
}

impl Paper {
    pub(crate) fn new(
        pool: String,
        sections: Vec<PaperSection>,
        total_points: Points,
        pass_mark: Points,
        mean_difficulty: f64,
    ) -> Self {
        Self {
            algorithm: crate::assembly::ALGORITHM,
            pool,
            sections,
            total_points,
            pass_mark,
            mean_difficulty,
        }
    }

    /// The assembly algorithm's version (see [`ALGORITHM`](crate::assembly::ALGORITHM)).
    pub fn algorithm(&self) -> u32 {
        self.algorithm
    }

    /// The fingerprint of the prepared pool the paper came from (see
    /// [`PreparedPool::fingerprint`](crate::PreparedPool::fingerprint)).
    pub fn pool_fingerprint(&self) -> &str {
        &self.pool
    }

    /// The sections, in order.
    pub fn sections(&self) -> &[PaperSection] {
        &self.sections
    }

    /// 总分.
    pub fn total_points(&self) -> Points {
        self.total_points
    }

    /// 及格分.
    pub fn pass_mark(&self) -> Points {
        self.pass_mark
    }

    /// The point-weighted mean difficulty of the questions.
    pub fn mean_difficulty(&self) -> f64 {
        self.mean_difficulty
    }

    /// Number of questions.
    pub fn question_count(&self) -> usize {
        self.sections.iter().map(|s| s.items.len()).sum()
    }

    /// Every question revision, in the candidate's order.
    pub fn question_order(&self) -> Vec<QuestionRef> {
        self.items().map(|(_, _, item)| item.question).collect()
    }

    /// Every item with its number (from 1) and its section.
    pub fn items(&self) -> impl Iterator<Item = (u32, &PaperSection, &PaperItem)> {
        self.sections
            .iter()
            .flat_map(|s| s.items.iter().map(move |item| (s, item)))
            .zip(1u32..)
            .map(|((s, item), number)| (number, s, item))
    }

    /// Swaps the first two questions of the first section that has two, so that the paper's
    /// question order differs from what it was. `false` if no section has two questions.
    pub(crate) fn swap_first_pair(&mut self) -> bool {
        match self.sections.iter_mut().find(|s| s.items.len() >= 2) {
            Some(s) => {
                s.items.swap(0, 1);
                true
            }
            None => false,
        }
    }

    /// The question of `item`, checked against the section and the permutation.
    pub(crate) fn resolve<'s>(
        number: u32,
        section: &PaperSection,
        item: &PaperItem,
        snapshot: &'s BankSnapshot,
    ) -> Result<&'s Question, PaperError> {
        let q = snapshot
            .get(item.question)
            .ok_or(PaperError::QuestionMissing {
                number,
                question: item.question,
            })?;
        if q.question_type() != section.question_type {
            return Err(PaperError::TypeMismatch {
                number,
                question: item.question,
                expected: section.question_type,
                found: q.question_type(),
            });
        }
        if q.options().len() != item.option_order.len() {
            return Err(PaperError::OptionCountMismatch {
                number,
                question: item.question,
                options: q.options().len(),
                ordered: item.option_order.len(),
            });
        }
        Ok(q)
    }

    /// The paper as the candidate sees it: stems and options in the candidate's order.
    ///
    /// # Errors
    /// [`PaperError`] if `snapshot` lacks one of the paper's revisions or does not fit it.
    pub fn view(&self, snapshot: &BankSnapshot) -> Result<PaperView, PaperError> {
        let mut numbers = 1u32..;
        let mut sections = Vec::with_capacity(self.sections.len());
        for section in &self.sections {
            let mut items = Vec::with_capacity(section.items.len());
            for item in &section.items {
                let number = numbers.next().unwrap_or(u32::MAX);
                let q = Self::resolve(number, section, item, snapshot)?;
                let options = item
                    .option_order
                    .iter()
                    .filter_map(|&o| q.options().get(usize::from(o)))
                    .map(|o| o.as_str().to_owned())
                    .collect();
                items.push(ItemView {
                    number,
                    question: QuestionView {
                        question_type: q.question_type(),
                        stem: q.stem().as_str().to_owned(),
                        options,
                    },
                });
            }
            sections.push(SectionView {
                question_type: section.question_type,
                points_per_question: section.points_per_question,
                scoring: section.scoring,
                items,
            });
        }
        Ok(PaperView {
            total_points: self.total_points,
            pass_mark: self.pass_mark,
            sections,
        })
    }
}
