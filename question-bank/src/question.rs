//! The validated question and the draft it is built from.
//!
//! [`QuestionDraft`] is what a form or an importer fills in: plain strings, serde-able, possibly
//! wrong. [`Question::from_draft`] turns it into a [`Question`] or returns *every* field error at
//! once. A `Question` cannot exist invalid: its fields are private and every constructor checks
//! the cross-field rules (option count per type, answer letters pointing at options, exam kind vs
//! enforcement field). It is not `Serialize` because it holds the [`AnswerKey`]; browsers get a
//! [`QuestionView`]. This module knows nothing about storage or files.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::answer::{
    AnswerKey, ChoiceAnswer, MAX_OPTIONS, MIN_OPTIONS, mask_letters, option_letter,
    read_choice_answer, read_true_false,
};
use crate::classify::{Difficulty, ExamKind, ExamScope, QuestionType};
use crate::lang::{Lang, Localized, pick};
use crate::legal_basis::{LegalBasis, LegalBasisError};
use crate::normalize::normalize_stem;
use crate::text::{EnforcementField, Explanation, OptionText, Stem, Tag, TextError};

/// Most knowledge-point tags on one question.
pub const MAX_TAGS: usize = 16;

/// A field of a question, as named in the form and the import template.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "field", content = "index", rename_all = "snake_case")]
pub enum Field {
    /// 题型.
    QuestionType,
    /// 题干.
    Stem,
    /// 选项A … 选项H, by index (0 = A).
    Option(u8),
    /// 答案.
    Answer,
    /// 难度.
    Difficulty,
    /// 考试类别.
    ExamKind,
    /// 执法领域.
    EnforcementField,
    /// 法律依据.
    LegalBasis,
    /// 知识点.
    Tags,
    /// 解析.
    Explanation,
}

impl Field {
    /// The field at option `index` (0 = A).
    pub fn option(index: usize) -> Self {
        Self::Option(u8::try_from(index).unwrap_or(u8::MAX))
    }

    /// The Chinese name, which is also the template's column header: 题型, 选项A, 答案…
    pub fn label_zh(self) -> String {
        match self {
            Self::QuestionType => "题型".to_owned(),
            Self::Stem => "题干".to_owned(),
            Self::Option(i) => format!("选项{}", option_letter(usize::from(i))),
            Self::Answer => "答案".to_owned(),
            Self::Difficulty => "难度".to_owned(),
            Self::ExamKind => "考试类别".to_owned(),
            Self::EnforcementField => "执法领域".to_owned(),
            Self::LegalBasis => "法律依据".to_owned(),
            Self::Tags => "知识点".to_owned(),
            Self::Explanation => "解析".to_owned(),
        }
    }

    /// The English name: type, stem, option A, answer…
    pub fn label_en(self) -> String {
        match self {
            Self::QuestionType => "type".to_owned(),
            Self::Stem => "stem".to_owned(),
            Self::Option(i) => format!("option {}", option_letter(usize::from(i))),
            Self::Answer => "answer".to_owned(),
            Self::Difficulty => "difficulty".to_owned(),
            Self::ExamKind => "exam kind".to_owned(),
            Self::EnforcementField => "enforcement field".to_owned(),
            Self::LegalBasis => "legal basis".to_owned(),
            Self::Tags => "tags".to_owned(),
            Self::Explanation => "explanation".to_owned(),
        }
    }

    /// The name in `lang`.
    pub fn label(self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.label_zh(),
            Lang::En => self.label_en(),
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label_en())
    }
}

/// Why a field was refused. Variants carry the offending value.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum FieldErrorReason {
    /// Left blank, but required.
    #[error("is empty: fill it in")]
    Required,
    /// The text breaks a text rule.
    #[error("{0}")]
    Text(TextError),
    /// 题型 not recognised.
    #[error(
        "“{value}” is not a question type: write 单选题 (single), 多选题 (multiple) or 判断题 (true_false)"
    )]
    UnknownQuestionType {
        /// The value given.
        value: String,
    },
    /// 考试类别 not recognised.
    #[error(
        "“{value}” is not an exam kind: write 综合法律知识 (general) or 专业法律知识 (professional)"
    )]
    UnknownExamKind {
        /// The value given.
        value: String,
    },
    /// 专业法律知识 without an enforcement field.
    #[error(
        "is required for 专业法律知识 (professional) questions: fill in the field, e.g. 市场监管, or change the exam kind to 综合法律知识"
    )]
    FieldRequiredForProfessional,
    /// 综合法律知识 with an enforcement field.
    #[error(
        "must be empty for 综合法律知识 (general) questions but is “{value}”: clear it, or change the exam kind to 专业法律知识"
    )]
    FieldNotAllowedForGeneral {
        /// The field given.
        value: String,
    },
    /// 法律依据 cannot be read.
    #[error("{0}")]
    LegalBasis(LegalBasisError),
    /// 难度 not recognised.
    #[error(
        "“{value}” is not a difficulty: write a whole number from 1 to 5, or 易/较易/中/较难/难"
    )]
    UnknownDifficulty {
        /// The value given.
        value: String,
    },
    /// A choice question with fewer than two options.
    #[error(
        "a choice question needs at least 2 options but has {count}: fill in 选项A and 选项B at least"
    )]
    TooFewOptions {
        /// Options found.
        count: usize,
    },
    /// More than eight options.
    #[error("at most 8 options (A–H) are allowed but there are {count}: remove some")]
    TooManyOptions {
        /// Options found.
        count: usize,
    },
    /// A blank option followed by a filled one.
    #[error(
        "option {letter} is empty but option {next} after it is filled: fill in option {letter} or move the later options up"
    )]
    MissingOptionBetween {
        /// The blank option.
        letter: char,
        /// The next filled option.
        next: char,
    },
    /// Two options with the same text.
    #[error("option {letter} has the same text as option {same_as}: change one of them")]
    DuplicateOption {
        /// The later option.
        letter: char,
        /// The earlier option with the same text.
        same_as: char,
    },
    /// A 判断题 with options.
    #[error(
        "a true/false question has no options but {count} are filled: clear the option columns and answer 正确 or 错误"
    )]
    OptionsNotAllowedForTrueFalse {
        /// Options found.
        count: usize,
    },
    /// The answer is not option letters.
    #[error("“{value}” is not an answer: write option letters such as B or ACD")]
    AnswerUnreadable {
        /// The value given.
        value: String,
    },
    /// The answer names a letter for which there is no option.
    #[error("answer letter {letter} has no option: fill in 选项{letter} or use a letter from {}", letter_range(*.last))]
    AnswerLetterWithoutOption {
        /// The letter without an option.
        letter: char,
        /// The last filled option's letter, if any option is filled.
        last: Option<char>,
    },
    /// A 单选题 whose answer is not exactly one letter.
    #[error(
        "a single-choice question has exactly one correct answer but “{value}” names {count}: keep one letter, or change the type to 多选题"
    )]
    SingleNeedsExactlyOneAnswer {
        /// The answer given.
        value: String,
        /// How many letters it names.
        count: usize,
    },
    /// A 多选题 whose answer is fewer than two letters.
    #[error(
        "a multiple-choice question has at least two correct answers but “{value}” names one: add the other correct letters, or change the type to 单选题"
    )]
    MultipleNeedsAtLeastTwoAnswers {
        /// The answer given.
        value: String,
    },
    /// A 判断题 answer that is not true or false.
    #[error("“{value}” is not a true/false answer: write 正确 or 错误 (also 对/错, √/×, T/F)")]
    TrueFalseAnswerUnreadable {
        /// The value given.
        value: String,
    },
    /// An answer key of another question type (typed construction only).
    #[error(
        "the answer key is for a {found:?} question, not a {expected:?} one: supply a key of the question's type"
    )]
    AnswerDoesNotFitType {
        /// The question's type.
        expected: QuestionType,
        /// The key's type.
        found: QuestionType,
    },
    /// More than [`MAX_TAGS`] tags.
    #[error("at most {max} tags are allowed but there are {count}: remove some")]
    TooManyTags {
        /// Tags found.
        count: usize,
        /// Limit.
        max: usize,
    },
    /// One tag breaks a text rule.
    #[error("tag “{tag}” {error}")]
    Tag {
        /// The tag.
        tag: String,
        /// What is wrong with it.
        error: TextError,
    },
}

fn letter_range(last: Option<char>) -> String {
    match last {
        Some(last) => format!("A–{last}"),
        None => "the options once they are filled in".to_owned(),
    }
}

impl FieldErrorReason {
    /// The message for this reason on `field`, in `lang`.
    pub fn describe(&self, field: Field, lang: Lang) -> String {
        let label = field.label_zh();
        let zh = match self {
            Self::Required => format!("{label}不能为空:请填写{label}"),
            Self::Text(e) => format!("{label}{}", e.message(Lang::Zh)),
            Self::UnknownQuestionType { value } => {
                format!("题型“{value}”无法识别:请填写 单选题、多选题 或 判断题")
            }
            Self::UnknownExamKind { value } => {
                format!("考试类别“{value}”无法识别:请填写 综合法律知识 或 专业法律知识")
            }
            Self::FieldRequiredForProfessional => "专业法律知识的题目必须填写执法领域:请填写执法领域(如 市场监管),或把考试类别改为 综合法律知识".to_owned(),
            Self::FieldNotAllowedForGeneral { value } => format!(
                "综合法律知识的题目不填写执法领域(现为“{value}”):请清空执法领域,或把考试类别改为 专业法律知识"
            ),
            Self::LegalBasis(e) => format!("{label}{}", e.message(Lang::Zh)),
            Self::UnknownDifficulty { value } => {
                format!("难度“{value}”无法识别:请填写 1–5 的整数,或 易、较易、中、较难、难")
            }
            Self::TooFewOptions { count } => format!(
                "选择题至少需要 2 个选项,现有 {count} 个:请至少填写选项A和选项B"
            ),
            Self::TooManyOptions { count } => {
                format!("选项最多 8 个(A–H),现有 {count} 个:请删减选项")
            }
            Self::MissingOptionBetween { letter, next } => format!(
                "选项{letter}为空,但其后的选项{next}有内容:请填写选项{letter},或把后面的选项前移"
            ),
            Self::DuplicateOption { letter, same_as } => {
                format!("选项{letter}与选项{same_as}内容相同:请修改其中一个")
            }
            Self::OptionsNotAllowedForTrueFalse { count } => format!(
                "判断题不能有选项(现填写了 {count} 个):请清空选项,答案填写 正确 或 错误"
            ),
            Self::AnswerUnreadable { value } => {
                format!("答案“{value}”无法识别:请填写选项字母,如 B 或 ACD")
            }
            Self::AnswerLetterWithoutOption { letter, last } => match last {
                Some(last) => format!(
                    "答案“{letter}”没有对应的选项:请填写选项{letter},或把答案改为 A–{last} 中的字母"
                ),
                None => format!("答案“{letter}”没有对应的选项:请先填写选项"),
            },
            Self::SingleNeedsExactlyOneAnswer { value, count } => format!(
                "单选题只能有一个正确答案,“{value}”却有 {count} 个:请只保留一个字母,或把题型改为 多选题"
            ),
            Self::MultipleNeedsAtLeastTwoAnswers { value } => format!(
                "多选题至少要有两个正确答案,“{value}”只有一个:请补充其他正确选项,或把题型改为 单选题"
            ),
            Self::TrueFalseAnswerUnreadable { value } => format!(
                "判断题的答案“{value}”无法识别:请填写 正确 或 错误(也可写 对/错、√/×、T/F)"
            ),
            Self::AnswerDoesNotFitType { expected, found } => format!(
                "答案是{}的答案,与题型{}不符:请按题型填写答案",
                found.label_zh(),
                expected.label_zh()
            ),
            Self::TooManyTags { count, max } => {
                format!("知识点最多 {max} 个,现有 {count} 个:请删减")
            }
            Self::Tag { tag, error } => format!("知识点“{tag}”{}", error.message(Lang::Zh)),
        };
        pick(lang, zh, self.english(field))
    }

    /// English: a predicate gets the field's name as subject ("Stem is empty: …"); a reason that
    /// is a sentence of its own stands alone ("Answer letter E has no option: …").
    fn english(&self, field: Field) -> String {
        let predicate = matches!(
            self,
            Self::Required
                | Self::Text(_)
                | Self::FieldRequiredForProfessional
                | Self::FieldNotAllowedForGeneral { .. }
                | Self::LegalBasis(
                    LegalBasisError::Empty
                        | LegalBasisError::TooLong { .. }
                        | LegalBasisError::ControlCharacter
                )
        );
        if predicate {
            capitalize(&format!("{} {self}", field.label_en()))
        } else {
            capitalize(&self.to_string())
        }
    }
}

fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// One refused field of a question: which field, and why.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("{field}: {reason}")]
pub struct FieldError {
    /// The field.
    pub field: Field,
    /// Why it was refused.
    pub reason: FieldErrorReason,
}

impl FieldError {
    fn new(field: Field, reason: FieldErrorReason) -> Self {
        Self { field, reason }
    }
}

impl Localized for FieldError {
    fn message(&self, lang: Lang) -> String {
        self.reason.describe(self.field, lang)
    }
}

/// A question as typed into a form or read from a file: plain strings, not yet checked.
///
/// Values are read leniently (see [`Question::from_draft`]). The draft carries the answer, so it
/// belongs to author-facing paths only; candidates get a [`QuestionView`].
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct QuestionDraft {
    /// 题型: 单选题 / 多选题 / 判断题 (or 单选, single, …).
    pub question_type: String,
    /// 题干.
    pub stem: String,
    /// 选项A, 选项B, … in order; blank trailing options are ignored.
    pub options: Vec<String>,
    /// 答案: letters (`B`, `ACD`, `A、C`) or, for 判断题, 正确 / 错误 (对/错, √/×, T/F).
    pub answer: String,
    /// 难度: 1–5 or 易 / 较易 / 中 / 较难 / 难.
    pub difficulty: String,
    /// 考试类别: 综合法律知识 / 专业法律知识 (or 综合, 专业, general, professional).
    pub exam_kind: String,
    /// 执法领域: required for 专业法律知识, blank for 综合法律知识.
    pub field: String,
    /// 法律依据, e.g. `《中华人民共和国行政处罚法》第三十六条`.
    pub legal_basis: String,
    /// 知识点, separated by `;`, `；` or `、`.
    pub tags: String,
    /// 解析 (optional).
    pub explanation: String,
}

/// The typed parts of a question, each already valid on its own; [`Question::new`] checks how
/// they fit together.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionParts {
    /// 题型.
    pub question_type: QuestionType,
    /// 题干.
    pub stem: Stem,
    /// 选项, A first; empty for 判断题.
    pub options: Vec<OptionText>,
    /// 答案.
    pub key: AnswerKey,
    /// 考试类别 and 执法领域.
    pub scope: ExamScope,
    /// 法律依据.
    pub legal_basis: LegalBasis,
    /// 难度.
    pub difficulty: Difficulty,
    /// 知识点 (duplicates are dropped, order kept).
    pub tags: Vec<Tag>,
    /// 解析.
    pub explanation: Option<Explanation>,
}

/// A valid question (one revision of it: identity and revision numbers belong to the database).
///
/// Invariants: 单选题 has 2–8 options and exactly one correct; 多选题 has 2–8 options and at least
/// two correct; 判断题 has no options and a true/false key; every key letter points at an option;
/// no two options are the same; a professional question has an enforcement field and a general
/// one has none; at most [`MAX_TAGS`] distinct tags.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Question {
    question_type: QuestionType,
    stem: Stem,
    options: Vec<OptionText>,
    key: AnswerKey,
    scope: ExamScope,
    legal_basis: LegalBasis,
    difficulty: Difficulty,
    tags: Vec<Tag>,
    explanation: Option<Explanation>,
}

/// 考生看到的题目 — what a candidate's browser receives: no answer key, no explanation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    /// 题型.
    pub question_type: QuestionType,
    /// 题干.
    pub stem: String,
    /// 选项 in display order (empty for 判断题).
    pub options: Vec<String>,
}

impl Question {
    /// Builds a question from typed parts, checking the cross-field rules.
    ///
    /// # Errors
    /// Every broken rule, each naming its field.
    pub fn new(parts: QuestionParts) -> Result<Self, Vec<FieldError>> {
        let QuestionParts {
            question_type,
            stem,
            options,
            key,
            scope,
            legal_basis,
            difficulty,
            mut tags,
            explanation,
        } = parts;
        let mut errors = Vec::new();
        let count = options.len();
        if question_type.has_options() {
            if count < MIN_OPTIONS {
                errors.push(FieldError::new(
                    Field::option(count),
                    FieldErrorReason::TooFewOptions { count },
                ));
            } else if count > MAX_OPTIONS {
                errors.push(FieldError::new(
                    Field::option(MAX_OPTIONS),
                    FieldErrorReason::TooManyOptions { count },
                ));
            }
            errors.extend(duplicate_options(options.iter().map(OptionText::as_str)));
        } else if count > 0 {
            errors.push(FieldError::new(
                Field::option(0),
                FieldErrorReason::OptionsNotAllowedForTrueFalse { count },
            ));
        }
        if key.question_type() != question_type {
            errors.push(FieldError::new(
                Field::Answer,
                FieldErrorReason::AnswerDoesNotFitType {
                    expected: question_type,
                    found: key.question_type(),
                },
            ));
        } else if let Some(highest) = key.highest_option()
            && highest >= count
        {
            errors.push(FieldError::new(
                Field::Answer,
                FieldErrorReason::AnswerLetterWithoutOption {
                    letter: option_letter(highest),
                    last: count.checked_sub(1).map(option_letter),
                },
            ));
        }
        dedup_keep_order(&mut tags);
        if tags.len() > MAX_TAGS {
            errors.push(FieldError::new(
                Field::Tags,
                FieldErrorReason::TooManyTags {
                    count: tags.len(),
                    max: MAX_TAGS,
                },
            ));
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Self {
            question_type,
            stem,
            options,
            key,
            scope,
            legal_basis,
            difficulty,
            tags,
            explanation,
        })
    }

    /// Reads a draft leniently and checks every rule, returning all field errors at once.
    ///
    /// # Errors
    /// One [`FieldError`] per problem, in field order. A field whose value cannot be read does not
    /// cause follow-on errors in fields that depend on it (an unknown type suppresses the answer
    /// checks, for instance).
    pub fn from_draft(draft: &QuestionDraft) -> Result<Self, Vec<FieldError>> {
        let mut errors = Vec::new();
        let mut fail = |field: Field, reason: FieldErrorReason| {
            errors.push(FieldError::new(field, reason));
        };

        let question_type = if is_blank(&draft.question_type) {
            fail(Field::QuestionType, FieldErrorReason::Required);
            None
        } else {
            let t = QuestionType::parse(&draft.question_type);
            if t.is_none() {
                fail(
                    Field::QuestionType,
                    FieldErrorReason::UnknownQuestionType {
                        value: draft.question_type.trim().to_owned(),
                    },
                );
            }
            t
        };

        let stem = required_text(&draft.stem, Stem::parse).map_err(|r| fail(Field::Stem, r));

        // Options: up to the last filled one.
        let filled = draft
            .options
            .iter()
            .rposition(|o| !is_blank(o))
            .map_or(0, |last| last + 1);
        let mut options = Vec::with_capacity(filled);
        let mut options_ok = true;
        match question_type {
            Some(QuestionType::TrueFalse) => {
                if filled > 0 {
                    let first = draft.options.iter().position(|o| !is_blank(o)).unwrap_or(0);
                    let count = draft.options.iter().filter(|o| !is_blank(o)).count();
                    fail(
                        Field::option(first),
                        FieldErrorReason::OptionsNotAllowedForTrueFalse { count },
                    );
                    options_ok = false;
                }
            }
            Some(QuestionType::Single | QuestionType::Multiple) | None => {
                for (i, raw) in draft.options.iter().take(filled).enumerate() {
                    if is_blank(raw) {
                        let next = draft
                            .options
                            .iter()
                            .skip(i)
                            .position(|o| !is_blank(o))
                            .map_or('?', |p| option_letter(i + p));
                        fail(
                            Field::option(i),
                            FieldErrorReason::MissingOptionBetween {
                                letter: option_letter(i),
                                next,
                            },
                        );
                        options_ok = false;
                    } else {
                        match OptionText::parse(raw) {
                            Ok(o) => options.push(o),
                            Err(e) => {
                                fail(Field::option(i), FieldErrorReason::Text(e));
                                options_ok = false;
                            }
                        }
                    }
                }
                if question_type.is_some() {
                    if filled < MIN_OPTIONS {
                        fail(
                            Field::option(filled),
                            FieldErrorReason::TooFewOptions { count: filled },
                        );
                        options_ok = false;
                    } else if filled > MAX_OPTIONS {
                        fail(
                            Field::option(MAX_OPTIONS),
                            FieldErrorReason::TooManyOptions { count: filled },
                        );
                        options_ok = false;
                    }
                }
                if options_ok {
                    for e in duplicate_options(options.iter().map(OptionText::as_str)) {
                        fail(e.field, e.reason);
                        options_ok = false;
                    }
                }
            }
        }

        let key = match question_type {
            None => None,
            Some(_) if is_blank(&draft.answer) => {
                fail(Field::Answer, FieldErrorReason::Required);
                None
            }
            Some(QuestionType::TrueFalse) => {
                let b = read_true_false(&draft.answer);
                if b.is_none() {
                    fail(
                        Field::Answer,
                        FieldErrorReason::TrueFalseAnswerUnreadable {
                            value: draft.answer.trim().to_owned(),
                        },
                    );
                }
                b.map(AnswerKey::true_false)
            }
            Some(t) => {
                let value = draft.answer.trim().to_owned();
                let last = filled.min(MAX_OPTIONS).checked_sub(1).map(option_letter);
                match read_choice_answer(&value) {
                    ChoiceAnswer::Unreadable => {
                        fail(Field::Answer, FieldErrorReason::AnswerUnreadable { value });
                        None
                    }
                    ChoiceAnswer::LetterPastH(letter) => {
                        fail(
                            Field::Answer,
                            FieldErrorReason::AnswerLetterWithoutOption { letter, last },
                        );
                        None
                    }
                    ChoiceAnswer::Letters { mask, highest } => {
                        let mut ok = true;
                        if highest >= filled {
                            // Name the first letter without an option.
                            let missing = (filled..MAX_OPTIONS)
                                .find(|&i| mask & (1 << i) != 0)
                                .unwrap_or(highest);
                            fail(
                                Field::Answer,
                                FieldErrorReason::AnswerLetterWithoutOption {
                                    letter: option_letter(missing),
                                    last,
                                },
                            );
                            ok = false;
                        }
                        let count = mask.count_ones() as usize;
                        if t == QuestionType::Single && count != 1 {
                            fail(
                                Field::Answer,
                                FieldErrorReason::SingleNeedsExactlyOneAnswer {
                                    value: value.clone(),
                                    count,
                                },
                            );
                            ok = false;
                        }
                        if t == QuestionType::Multiple && count < 2 {
                            fail(
                                Field::Answer,
                                FieldErrorReason::MultipleNeedsAtLeastTwoAnswers {
                                    value: mask_letters(mask),
                                },
                            );
                            ok = false;
                        }
                        ok.then(|| AnswerKey::from_mask(mask))
                    }
                }
            }
        };

        let difficulty = if is_blank(&draft.difficulty) {
            fail(Field::Difficulty, FieldErrorReason::Required);
            None
        } else {
            let d = Difficulty::parse(&draft.difficulty);
            if d.is_none() {
                fail(
                    Field::Difficulty,
                    FieldErrorReason::UnknownDifficulty {
                        value: draft.difficulty.trim().to_owned(),
                    },
                );
            }
            d
        };

        let exam_kind = if is_blank(&draft.exam_kind) {
            fail(Field::ExamKind, FieldErrorReason::Required);
            None
        } else {
            let k = ExamKind::parse(&draft.exam_kind);
            if k.is_none() {
                fail(
                    Field::ExamKind,
                    FieldErrorReason::UnknownExamKind {
                        value: draft.exam_kind.trim().to_owned(),
                    },
                );
            }
            k
        };
        let scope = match exam_kind {
            None => {
                // Still check the field's own text.
                if !is_blank(&draft.field)
                    && let Err(e) = EnforcementField::parse(&draft.field)
                {
                    fail(Field::EnforcementField, FieldErrorReason::Text(e));
                }
                None
            }
            Some(ExamKind::General) => {
                if is_blank(&draft.field) {
                    Some(ExamScope::General)
                } else {
                    fail(
                        Field::EnforcementField,
                        FieldErrorReason::FieldNotAllowedForGeneral {
                            value: draft.field.trim().to_owned(),
                        },
                    );
                    None
                }
            }
            Some(ExamKind::Professional) => {
                if is_blank(&draft.field) {
                    fail(
                        Field::EnforcementField,
                        FieldErrorReason::FieldRequiredForProfessional,
                    );
                    None
                } else {
                    EnforcementField::parse(&draft.field)
                        .map(ExamScope::Professional)
                        .map_err(|e| fail(Field::EnforcementField, FieldErrorReason::Text(e)))
                        .ok()
                }
            }
        };

        let legal_basis = match LegalBasis::parse(&draft.legal_basis) {
            Ok(b) => Some(b),
            Err(LegalBasisError::Empty) => {
                fail(Field::LegalBasis, FieldErrorReason::Required);
                None
            }
            Err(e) => {
                fail(Field::LegalBasis, FieldErrorReason::LegalBasis(e));
                None
            }
        };

        let mut tags = Vec::new();
        let mut tags_ok = true;
        for raw in draft.tags.split(Tag::SEPARATORS) {
            if is_blank(raw) {
                continue;
            }
            match Tag::parse(raw) {
                Ok(tag) => tags.push(tag),
                Err(error) => {
                    fail(
                        Field::Tags,
                        FieldErrorReason::Tag {
                            tag: raw.trim().chars().take(40).collect(),
                            error,
                        },
                    );
                    tags_ok = false;
                }
            }
        }
        dedup_keep_order(&mut tags);
        if tags.len() > MAX_TAGS {
            fail(
                Field::Tags,
                FieldErrorReason::TooManyTags {
                    count: tags.len(),
                    max: MAX_TAGS,
                },
            );
            tags_ok = false;
        }

        let explanation = if is_blank(&draft.explanation) {
            Ok(None)
        } else {
            Explanation::parse(&draft.explanation)
                .map(Some)
                .map_err(|e| fail(Field::Explanation, FieldErrorReason::Text(e)))
        };

        match (
            question_type,
            stem,
            key,
            scope,
            legal_basis,
            difficulty,
            explanation,
        ) {
            (
                Some(question_type),
                Ok(stem),
                Some(key),
                Some(scope),
                Some(legal_basis),
                Some(difficulty),
                Ok(explanation),
            ) if errors.is_empty() && options_ok && tags_ok => Self::new(QuestionParts {
                question_type,
                stem,
                options,
                key,
                scope,
                legal_basis,
                difficulty,
                tags,
                explanation,
            }),
            _ => {
                errors.sort_by_key(|e| e.field);
                Err(errors)
            }
        }
    }

    /// The draft that builds this question again: `Question::from_draft(&q.to_draft()) == Ok(q)`.
    /// Values are written the way the import template shows them (单选题, 正确, 综合法律知识…).
    pub fn to_draft(&self) -> QuestionDraft {
        QuestionDraft {
            question_type: self.question_type.label_zh().to_owned(),
            stem: self.stem.as_str().to_owned(),
            options: self.options.iter().map(|o| o.as_str().to_owned()).collect(),
            answer: self.key.to_display_string(),
            difficulty: self.difficulty.to_string(),
            exam_kind: self.scope.exam_kind().label_zh().to_owned(),
            field: self
                .scope
                .field()
                .map(|f| f.as_str().to_owned())
                .unwrap_or_default(),
            legal_basis: self.legal_basis.as_str().to_owned(),
            tags: self
                .tags
                .iter()
                .map(Tag::as_str)
                .collect::<Vec<_>>()
                .join("；"),
            explanation: self
                .explanation
                .as_ref()
                .map(|e| e.as_str().to_owned())
                .unwrap_or_default(),
        }
    }

    /// 题型.
    pub fn question_type(&self) -> QuestionType {
        self.question_type
    }

    /// 题干.
    pub fn stem(&self) -> &Stem {
        &self.stem
    }

    /// 选项, A first (empty for 判断题).
    pub fn options(&self) -> &[OptionText] {
        &self.options
    }

    /// 答案 — the secret. Never put it in a wire type; see [`AnswerKey`].
    pub fn answer_key(&self) -> &AnswerKey {
        &self.key
    }

    /// 考试类别 with 执法领域.
    pub fn scope(&self) -> &ExamScope {
        &self.scope
    }

    /// 考试类别.
    pub fn exam_kind(&self) -> ExamKind {
        self.scope.exam_kind()
    }

    /// 执法领域 (professional questions only).
    pub fn field(&self) -> Option<&EnforcementField> {
        self.scope.field()
    }

    /// 法律依据.
    pub fn legal_basis(&self) -> &LegalBasis {
        &self.legal_basis
    }

    /// 难度.
    pub fn difficulty(&self) -> Difficulty {
        self.difficulty
    }

    /// 知识点, distinct, in the order written.
    pub fn tags(&self) -> &[Tag] {
        &self.tags
    }

    /// 解析.
    pub fn explanation(&self) -> Option<&Explanation> {
        self.explanation.as_ref()
    }

    /// The stem's duplicate-detection form, see [`normalize_stem`].
    pub fn normalized_stem(&self) -> String {
        normalize_stem(self.stem.as_str())
    }

    /// What a candidate may see: type, stem and options, no key.
    pub fn view(&self) -> QuestionView {
        QuestionView {
            question_type: self.question_type,
            stem: self.stem.as_str().to_owned(),
            options: self.options.iter().map(|o| o.as_str().to_owned()).collect(),
        }
    }
}

fn is_blank(s: &str) -> bool {
    s.trim().is_empty()
}

fn required_text<T>(
    raw: &str,
    parse: impl Fn(&str) -> Result<T, TextError>,
) -> Result<T, FieldErrorReason> {
    if is_blank(raw) {
        Err(FieldErrorReason::Required)
    } else {
        parse(raw).map_err(FieldErrorReason::Text)
    }
}

/// Errors for options that repeat an earlier one (same text, or same text up to punctuation).
fn duplicate_options<'a>(options: impl Iterator<Item = &'a str>) -> Vec<FieldError> {
    let mut seen: Vec<(String, String)> = Vec::new();
    let mut errors = Vec::new();
    for (i, text) in options.enumerate() {
        let norm = normalize_stem(text);
        if let Some(j) = seen
            .iter()
            .position(|(t, n)| t == text || (!norm.is_empty() && *n == norm))
        {
            errors.push(FieldError::new(
                Field::option(i),
                FieldErrorReason::DuplicateOption {
                    letter: option_letter(i),
                    same_as: option_letter(j),
                },
            ));
        }
        seen.push((text.to_owned(), norm));
    }
    errors
}

fn dedup_keep_order(tags: &mut Vec<Tag>) {
    let mut seen = HashSet::new();
    tags.retain(|t| seen.insert(t.clone()));
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) fn single_draft() -> QuestionDraft {
        QuestionDraft {
            question_type: "单选题".into(),
            stem: "行政机关作出较大数额罚款决定前,应当告知当事人有权要求什么?".into(),
            options: vec!["听证".into(), "复议".into(), "诉讼".into(), "赔偿".into()],
            answer: "A".into(),
            difficulty: "3".into(),
            exam_kind: "综合法律知识".into(),
            field: String::new(),
            legal_basis: "《中华人民共和国行政处罚法》第六十三条".into(),
            tags: "听证；行政处罚".into(),
            explanation: "较大数额罚款应告知听证权利。".into(),
        }
    }

    fn reasons(draft: &QuestionDraft) -> Vec<(Field, FieldErrorReason)> {
        Question::from_draft(draft)
            .unwrap_err()
            .into_iter()
            .map(|e| (e.field, e.reason))
            .collect()
    }

    #[test]
    fn a_complete_single_choice_draft_builds_a_question() {
        let q = Question::from_draft(&single_draft()).unwrap();
        assert_eq!(q.question_type(), QuestionType::Single);
        assert_eq!(q.options().len(), 4);
        assert_eq!(q.answer_key().correct_options(), vec![0]);
        assert_eq!(q.exam_kind(), ExamKind::General);
        assert_eq!(q.field(), None);
        assert_eq!(q.difficulty().get(), 3);
        assert_eq!(q.tags().len(), 2);
        assert_eq!(q.legal_basis().law_name(), "中华人民共和国行政处罚法");
    }

    #[test]
    fn single_choice_with_two_correct_answers_is_rejected() {
        let draft = QuestionDraft {
            answer: "AB".into(),
            ..single_draft()
        };
        assert_eq!(
            reasons(&draft),
            vec![(
                Field::Answer,
                FieldErrorReason::SingleNeedsExactlyOneAnswer {
                    value: "AB".into(),
                    count: 2
                }
            )]
        );
    }

    #[test]
    fn multiple_choice_with_one_correct_answer_is_rejected() {
        let draft = QuestionDraft {
            question_type: "多选".into(),
            answer: "C".into(),
            ..single_draft()
        };
        assert_eq!(
            reasons(&draft),
            vec![(
                Field::Answer,
                FieldErrorReason::MultipleNeedsAtLeastTwoAnswers { value: "C".into() }
            )]
        );
    }

    #[test]
    fn multiple_choice_accepts_answers_written_with_separators_and_full_width_letters() {
        for answer in ["ACD", "A,C,D", "A、C、D", "A，C，D", "ＡＣＤ", "acd"] {
            let draft = QuestionDraft {
                question_type: "multiple".into(),
                answer: answer.into(),
                ..single_draft()
            };
            let q = Question::from_draft(&draft).unwrap();
            assert_eq!(q.answer_key().correct_options(), vec![0, 2, 3], "{answer}");
        }
    }

    #[test]
    fn answer_letter_pointing_at_no_option_is_rejected_and_says_which_letters_exist() {
        let draft = QuestionDraft {
            answer: "E".into(),
            ..single_draft()
        };
        let errors = Question::from_draft(&draft).unwrap_err();
        assert_eq!(
            errors[0].reason,
            FieldErrorReason::AnswerLetterWithoutOption {
                letter: 'E',
                last: Some('D')
            }
        );
        assert_eq!(
            errors[0].message(Lang::Zh),
            "答案“E”没有对应的选项:请填写选项E,或把答案改为 A–D 中的字母"
        );
        assert_eq!(
            errors[0].message(Lang::En),
            "Answer letter E has no option: fill in 选项E or use a letter from A–D"
        );
    }

    #[test]
    fn answer_letter_past_h_is_rejected() {
        let draft = QuestionDraft {
            answer: "Z".into(),
            ..single_draft()
        };
        assert!(matches!(
            reasons(&draft)[0].1,
            FieldErrorReason::AnswerLetterWithoutOption { letter: 'Z', .. }
        ));
    }

    #[test]
    fn true_false_with_options_is_rejected() {
        let draft = QuestionDraft {
            question_type: "判断".into(),
            answer: "正确".into(),
            ..single_draft()
        };
        assert_eq!(
            reasons(&draft),
            vec![(
                Field::option(0),
                FieldErrorReason::OptionsNotAllowedForTrueFalse { count: 4 }
            )]
        );
    }

    #[test]
    fn true_false_reads_every_common_spelling_of_its_answer() {
        for (answer, expected) in [("正确", true), ("错", false), ("√", true), ("F", false)] {
            let draft = QuestionDraft {
                question_type: "判断题".into(),
                options: vec![],
                answer: answer.into(),
                ..single_draft()
            };
            let q = Question::from_draft(&draft).unwrap();
            assert_eq!(q.answer_key().as_true_false(), Some(expected));
            assert!(q.options().is_empty());
        }
        let draft = QuestionDraft {
            question_type: "判断题".into(),
            options: vec![],
            answer: "A".into(),
            ..single_draft()
        };
        assert_eq!(
            reasons(&draft),
            vec![(
                Field::Answer,
                FieldErrorReason::TrueFalseAnswerUnreadable { value: "A".into() }
            )]
        );
    }

    #[test]
    fn professional_question_without_field_is_rejected() {
        let draft = QuestionDraft {
            exam_kind: "专业法律知识".into(),
            ..single_draft()
        };
        assert_eq!(
            reasons(&draft),
            vec![(
                Field::EnforcementField,
                FieldErrorReason::FieldRequiredForProfessional
            )]
        );
        let draft = QuestionDraft {
            exam_kind: "专业".into(),
            field: "市场监管".into(),
            ..single_draft()
        };
        let q = Question::from_draft(&draft).unwrap();
        assert_eq!(q.field().map(EnforcementField::as_str), Some("市场监管"));
    }

    #[test]
    fn general_question_with_field_is_rejected() {
        let draft = QuestionDraft {
            field: "公安".into(),
            ..single_draft()
        };
        assert_eq!(
            reasons(&draft),
            vec![(
                Field::EnforcementField,
                FieldErrorReason::FieldNotAllowedForGeneral {
                    value: "公安".into()
                }
            )]
        );
    }

    #[test]
    fn choice_question_needs_two_to_eight_options() {
        let draft = QuestionDraft {
            options: vec!["听证".into()],
            ..single_draft()
        };
        assert_eq!(
            reasons(&draft),
            vec![(
                Field::option(1),
                FieldErrorReason::TooFewOptions { count: 1 }
            )]
        );
        let draft = QuestionDraft {
            options: (0..9).map(|i| format!("选项{i}")).collect(),
            ..single_draft()
        };
        assert_eq!(
            reasons(&draft),
            vec![(
                Field::option(8),
                FieldErrorReason::TooManyOptions { count: 9 }
            )]
        );
        let draft = QuestionDraft {
            options: (0..8).map(|i| format!("选项{i}")).collect(),
            answer: "H".into(),
            ..single_draft()
        };
        assert!(Question::from_draft(&draft).is_ok());
    }

    #[test]
    fn a_gap_between_options_is_rejected_but_trailing_blanks_are_ignored() {
        let draft = QuestionDraft {
            options: vec!["听证".into(), " ".into(), "诉讼".into(), String::new()],
            ..single_draft()
        };
        assert_eq!(
            reasons(&draft),
            vec![(
                Field::option(1),
                FieldErrorReason::MissingOptionBetween {
                    letter: 'B',
                    next: 'C'
                }
            )]
        );
        let draft = QuestionDraft {
            options: vec!["听证".into(), "复议".into(), String::new(), " ".into()],
            ..single_draft()
        };
        assert_eq!(Question::from_draft(&draft).unwrap().options().len(), 2);
    }

    #[test]
    fn two_options_with_the_same_text_are_rejected() {
        let draft = QuestionDraft {
            options: vec!["听证".into(), "复议".into(), "听证。".into()],
            ..single_draft()
        };
        assert_eq!(
            reasons(&draft),
            vec![(
                Field::option(2),
                FieldErrorReason::DuplicateOption {
                    letter: 'C',
                    same_as: 'A'
                }
            )]
        );
    }

    #[test]
    fn every_field_error_is_reported_at_once() {
        let draft = QuestionDraft {
            question_type: "单选题".into(),
            stem: " ".into(),
            options: vec!["甲".into(), "乙".into()],
            answer: "C".into(),
            difficulty: "9".into(),
            exam_kind: "专业".into(),
            field: String::new(),
            legal_basis: "《行政处罚法".into(),
            tags: String::new(),
            explanation: String::new(),
        };
        let fields: Vec<Field> = reasons(&draft).into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            vec![
                Field::Stem,
                Field::Answer,
                Field::Difficulty,
                Field::EnforcementField,
                Field::LegalBasis
            ]
        );
    }

    #[test]
    fn unknown_type_does_not_cause_follow_on_answer_errors() {
        let draft = QuestionDraft {
            question_type: "填空".into(),
            ..single_draft()
        };
        assert_eq!(
            reasons(&draft),
            vec![(
                Field::QuestionType,
                FieldErrorReason::UnknownQuestionType {
                    value: "填空".into()
                }
            )]
        );
    }

    #[test]
    fn an_empty_draft_names_every_required_field() {
        let fields: Vec<Field> = reasons(&QuestionDraft::default())
            .into_iter()
            .map(|(f, _)| f)
            .collect();
        assert_eq!(
            fields,
            vec![
                Field::QuestionType,
                Field::Stem,
                Field::Difficulty,
                Field::ExamKind,
                Field::LegalBasis
            ]
        );
    }

    #[test]
    fn tags_are_split_on_every_separator_and_deduplicated() {
        let draft = QuestionDraft {
            tags: "听证;回避；听证、 简易程序 ;".into(),
            ..single_draft()
        };
        let q = Question::from_draft(&draft).unwrap();
        let tags: Vec<&str> = q.tags().iter().map(Tag::as_str).collect();
        assert_eq!(tags, ["听证", "回避", "简易程序"]);
        let draft = QuestionDraft {
            tags: (0..17)
                .map(|i| format!("点{i}"))
                .collect::<Vec<_>>()
                .join(";"),
            ..single_draft()
        };
        assert_eq!(
            reasons(&draft),
            vec![(
                Field::Tags,
                FieldErrorReason::TooManyTags { count: 17, max: 16 }
            )]
        );
    }

    #[test]
    fn a_question_rebuilds_from_its_own_draft() {
        for draft in [
            single_draft(),
            QuestionDraft {
                question_type: "多选".into(),
                answer: "B、D".into(),
                exam_kind: "专业".into(),
                field: "生态环境".into(),
                explanation: String::new(),
                ..single_draft()
            },
            QuestionDraft {
                question_type: "判断".into(),
                options: vec![],
                answer: "×".into(),
                difficulty: "较难".into(),
                ..single_draft()
            },
        ] {
            let q = Question::from_draft(&draft).unwrap();
            assert_eq!(Question::from_draft(&q.to_draft()), Ok(q));
        }
    }

    #[test]
    fn typed_construction_checks_the_key_against_type_and_options() {
        let q = Question::from_draft(&single_draft()).unwrap();
        let parts = |key: AnswerKey, question_type: QuestionType| QuestionParts {
            question_type,
            stem: q.stem().clone(),
            options: q.options().to_vec(),
            key,
            scope: q.scope().clone(),
            legal_basis: q.legal_basis().clone(),
            difficulty: q.difficulty(),
            tags: vec![],
            explanation: None,
        };
        assert!(
            Question::new(parts(
                AnswerKey::choices([1]).unwrap(),
                QuestionType::Single
            ))
            .is_ok()
        );
        let errors = Question::new(parts(
            AnswerKey::choices([0, 1]).unwrap(),
            QuestionType::Single,
        ))
        .unwrap_err();
        assert!(matches!(
            errors[0].reason,
            FieldErrorReason::AnswerDoesNotFitType { .. }
        ));
        let errors = Question::new(parts(
            AnswerKey::choices([4, 5]).unwrap(),
            QuestionType::Multiple,
        ))
        .unwrap_err();
        assert_eq!(
            errors[0].reason,
            FieldErrorReason::AnswerLetterWithoutOption {
                letter: 'F',
                last: Some('D')
            }
        );
        let errors =
            Question::new(parts(AnswerKey::true_false(true), QuestionType::TrueFalse)).unwrap_err();
        assert!(matches!(
            errors[0].reason,
            FieldErrorReason::OptionsNotAllowedForTrueFalse { count: 4 }
        ));
    }

    #[test]
    fn the_candidate_view_carries_no_answer() {
        let q = Question::from_draft(&single_draft()).unwrap();
        let json = serde_json::to_string(&q.view()).unwrap();
        assert!(json.contains("听证"));
        assert!(!json.contains("answer"));
        assert!(!json.contains("explanation"));
        assert_eq!(
            serde_json::to_value(q.view()).unwrap()["question_type"],
            "single"
        );
    }

    #[test]
    fn every_reason_has_a_chinese_and_an_english_message_that_says_how_to_fix_it() {
        let samples = [
            FieldErrorReason::Required,
            FieldErrorReason::UnknownQuestionType { value: "x".into() },
            FieldErrorReason::UnknownExamKind { value: "x".into() },
            FieldErrorReason::FieldRequiredForProfessional,
            FieldErrorReason::FieldNotAllowedForGeneral { value: "x".into() },
            FieldErrorReason::UnknownDifficulty { value: "x".into() },
            FieldErrorReason::TooFewOptions { count: 1 },
            FieldErrorReason::TooManyOptions { count: 9 },
            FieldErrorReason::OptionsNotAllowedForTrueFalse { count: 2 },
            FieldErrorReason::AnswerUnreadable { value: "1".into() },
            FieldErrorReason::TrueFalseAnswerUnreadable { value: "x".into() },
            FieldErrorReason::TooManyTags { count: 20, max: 16 },
        ];
        for reason in samples {
            let zh = reason.describe(Field::Answer, Lang::Zh);
            let en = reason.describe(Field::Answer, Lang::En);
            assert!(zh.contains("请"), "{zh}");
            assert!(en.contains(':'), "{en}");
        }
    }
}
