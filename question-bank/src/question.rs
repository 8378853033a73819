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
use crate::lang::{Lang, Localized, capitalize, key, render, text};
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

    /// The Chinese name: 题型, 选项A, 答案… (today the same words as the template's column
    /// headers, which are file syntax: see [`template::header`](crate::template::header)).
    pub fn label_zh(self) -> String {
        self.label(Lang::Zh)
    }

    /// The English name: type, stem, option A, answer…
    pub fn label_en(self) -> String {
        self.label(Lang::En)
    }

    /// The name in `lang`.
    pub fn label(self, lang: Lang) -> String {
        let key = match self {
            Self::QuestionType => key::QUESTION_FIELD_QUESTION_TYPE,
            Self::Stem => key::QUESTION_FIELD_STEM,
            Self::Option(i) => {
                return render(
                    lang,
                    key::QUESTION_FIELD_OPTION,
                    &[("letter", &option_letter(usize::from(i)))],
                );
            }
            Self::Answer => key::QUESTION_FIELD_ANSWER,
            Self::Difficulty => key::QUESTION_FIELD_DIFFICULTY,
            Self::ExamKind => key::QUESTION_FIELD_EXAM_KIND,
            Self::EnforcementField => key::QUESTION_FIELD_ENFORCEMENT_FIELD,
            Self::LegalBasis => key::QUESTION_FIELD_LEGAL_BASIS,
            Self::Tags => key::QUESTION_FIELD_TAGS,
            Self::Explanation => key::QUESTION_FIELD_EXPLANATION,
        };
        text(lang, key).to_owned()
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.label_en())
    }
}

/// Why a field was refused. Variants carry the offending value.
///
/// `Display` is the English reason without the field's name ("is empty: fill it in");
/// [`FieldErrorReason::describe`] gives the whole message.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[error("{}", self.render(Lang::En, "").trim_start())]
pub enum FieldErrorReason {
    /// Left blank, but required.
    Required,
    /// The text breaks a text rule.
    Text(TextError),
    /// 题型 not recognised.
    UnknownQuestionType {
        /// The value given.
        value: String,
    },
    /// 考试类别 not recognised.
    UnknownExamKind {
        /// The value given.
        value: String,
    },
    /// 专业法律知识 without an enforcement field.
    FieldRequiredForProfessional,
    /// 综合法律知识 with an enforcement field.
    FieldNotAllowedForGeneral {
        /// The field given.
        value: String,
    },
    /// 法律依据 cannot be read.
    LegalBasis(LegalBasisError),
    /// 难度 not recognised.
    UnknownDifficulty {
        /// The value given.
        value: String,
    },
    /// A choice question with fewer than two options.
    TooFewOptions {
        /// Options found.
        count: usize,
    },
    /// More than eight options.
    TooManyOptions {
        /// Options found.
        count: usize,
    },
    /// A blank option followed by a filled one.
    MissingOptionBetween {
        /// The blank option.
        letter: char,
        /// The next filled option.
        next: char,
    },
    /// Two options with the same text.
    DuplicateOption {
        /// The later option.
        letter: char,
        /// The earlier option with the same text.
        same_as: char,
    },
    /// A 判断题 with options.
    OptionsNotAllowedForTrueFalse {
        /// Options found.
        count: usize,
    },
    /// The answer is not option letters.
    AnswerUnreadable {
        /// The value given.
        value: String,
    },
    /// The answer names a letter for which there is no option.
    AnswerLetterWithoutOption {
        /// The letter without an option.
        letter: char,
        /// The last filled option's letter, if any option is filled.
        last: Option<char>,
    },
    /// A 单选题 whose answer is not exactly one letter.
    SingleNeedsExactlyOneAnswer {
        /// The answer given.
        value: String,
        /// How many letters it names.
        count: usize,
    },
    /// A 多选题 whose answer is fewer than two letters.
    MultipleNeedsAtLeastTwoAnswers {
        /// The answer given.
        value: String,
    },
    /// A 判断题 answer that is not true or false.
    TrueFalseAnswerUnreadable {
        /// The value given.
        value: String,
    },
    /// An answer key of another question type (typed construction only).
    AnswerDoesNotFitType {
        /// The question's type.
        expected: QuestionType,
        /// The key's type.
        found: QuestionType,
    },
    /// More than [`MAX_TAGS`] tags.
    TooManyTags {
        /// Tags found.
        count: usize,
        /// Limit.
        max: usize,
    },
    /// One tag breaks a text rule.
    Tag {
        /// The tag.
        tag: String,
        /// What is wrong with it.
        error: TextError,
    },
}

impl FieldErrorReason {
    /// The message for this reason on `field`, in `lang`.
    pub fn describe(&self, field: Field, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.render(lang, &field.label(lang)),
            // A predicate gets the field's name as subject ("Stem is empty: …"); a reason that is
            // a sentence of its own stands alone ("Answer letter E has no option: …").
            Lang::En => {
                let subject = if self.is_predicate() {
                    field.label(lang)
                } else {
                    String::new()
                };
                capitalize(self.render(lang, &subject).trim_start())
            }
        }
    }

    /// Whether the English reason is a predicate that needs the field's name as subject.
    fn is_predicate(&self) -> bool {
        matches!(
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
        )
    }

    /// The reason in `lang`, with `field` where the message names the field.
    fn render(&self, lang: Lang, field: &str) -> String {
        let field: (&str, &dyn fmt::Display) = ("field", &field);
        match self {
            Self::Required => render(lang, key::QUESTION_REASON_REQUIRED, &[field]),
            Self::Text(e) => render(
                lang,
                key::QUESTION_REASON_TEXT,
                &[field, ("problem", &e.message(lang))],
            ),
            Self::UnknownQuestionType { value } => render(
                lang,
                key::QUESTION_REASON_UNKNOWN_QUESTION_TYPE,
                &[("value", value)],
            ),
            Self::UnknownExamKind { value } => render(
                lang,
                key::QUESTION_REASON_UNKNOWN_EXAM_KIND,
                &[("value", value)],
            ),
            // The Chinese message names 执法领域 itself; the English one is a predicate.
            Self::FieldRequiredForProfessional => english_subject(
                lang,
                field,
                render(
                    lang,
                    key::QUESTION_REASON_FIELD_REQUIRED_FOR_PROFESSIONAL,
                    &[],
                ),
            ),
            Self::FieldNotAllowedForGeneral { value } => english_subject(
                lang,
                field,
                render(
                    lang,
                    key::QUESTION_REASON_FIELD_NOT_ALLOWED_FOR_GENERAL,
                    &[("value", value)],
                ),
            ),
            Self::LegalBasis(e) => render(
                lang,
                key::QUESTION_REASON_TEXT,
                &[field, ("problem", &e.message(lang))],
            ),
            Self::UnknownDifficulty { value } => render(
                lang,
                key::QUESTION_REASON_UNKNOWN_DIFFICULTY,
                &[("value", value)],
            ),
            Self::TooFewOptions { count } => render(
                lang,
                key::QUESTION_REASON_TOO_FEW_OPTIONS,
                &[("count", count)],
            ),
            Self::TooManyOptions { count } => render(
                lang,
                key::QUESTION_REASON_TOO_MANY_OPTIONS,
                &[("count", count)],
            ),
            Self::MissingOptionBetween { letter, next } => render(
                lang,
                key::QUESTION_REASON_MISSING_OPTION_BETWEEN,
                &[("letter", letter), ("next", next)],
            ),
            Self::DuplicateOption { letter, same_as } => render(
                lang,
                key::QUESTION_REASON_DUPLICATE_OPTION,
                &[("letter", letter), ("same_as", same_as)],
            ),
            Self::OptionsNotAllowedForTrueFalse { count } => render(
                lang,
                key::QUESTION_REASON_OPTIONS_NOT_ALLOWED_FOR_TRUE_FALSE,
                &[("count", count)],
            ),
            Self::AnswerUnreadable { value } => render(
                lang,
                key::QUESTION_REASON_ANSWER_UNREADABLE,
                &[("value", value)],
            ),
            Self::AnswerLetterWithoutOption { letter, last } => match last {
                Some(last) => render(
                    lang,
                    key::QUESTION_REASON_ANSWER_LETTER_WITHOUT_OPTION,
                    &[("letter", letter), ("last", last)],
                ),
                None => render(
                    lang,
                    key::QUESTION_REASON_ANSWER_LETTER_WITHOUT_ANY_OPTION,
                    &[("letter", letter)],
                ),
            },
            Self::SingleNeedsExactlyOneAnswer { value, count } => render(
                lang,
                key::QUESTION_REASON_SINGLE_NEEDS_EXACTLY_ONE_ANSWER,
                &[("value", value), ("count", count)],
            ),
            Self::MultipleNeedsAtLeastTwoAnswers { value } => render(
                lang,
                key::QUESTION_REASON_MULTIPLE_NEEDS_AT_LEAST_TWO_ANSWERS,
                &[("value", value)],
            ),
            Self::TrueFalseAnswerUnreadable { value } => render(
                lang,
                key::QUESTION_REASON_TRUE_FALSE_ANSWER_UNREADABLE,
                &[("value", value)],
            ),
            Self::AnswerDoesNotFitType { expected, found } => render(
                lang,
                key::QUESTION_REASON_ANSWER_DOES_NOT_FIT_TYPE,
                &[
                    ("expected", &expected.message_name(lang)),
                    ("found", &found.message_name(lang)),
                ],
            ),
            Self::TooManyTags { count, max } => render(
                lang,
                key::QUESTION_REASON_TOO_MANY_TAGS,
                &[("count", count), ("max", max)],
            ),
            Self::Tag { tag, error } => render(
                lang,
                key::QUESTION_REASON_TAG,
                &[("tag", tag), ("problem", &error.message(lang))],
            ),
        }
    }
}

/// In English, `predicate` with the field's name as subject (`field`: "enforcement field is
/// required …"); the Chinese `predicate` is a whole message already.
fn english_subject(lang: Lang, field: (&str, &dyn fmt::Display), predicate: String) -> String {
    match lang {
        Lang::Zh => predicate,
        Lang::En => render(
            lang,
            key::QUESTION_REASON_TEXT,
            &[field, ("problem", &predicate)],
        ),
    }
}

/// One refused field of a question: which field, and why.
///
/// `Display` is short English for logs (`stem: is empty: fill it in`); the message for a person is
/// [`Localized::message`].
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("{}", render(Lang::En, key::QUESTION_FIELD_ERROR, &[("field", &self.field), ("reason", &self.reason)]))]
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
            question_type: self.question_type.keyword().to_owned(),
            stem: self.stem.as_str().to_owned(),
            options: self.options.iter().map(|o| o.as_str().to_owned()).collect(),
            answer: self.key.to_display_string(),
            difficulty: self.difficulty.to_string(),
            exam_kind: self.scope.exam_kind().keyword().to_owned(),
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
