//! How a question is classified: its type (单选题 / 多选题 / 判断题), its exam kind and enforcement
//! field, and its difficulty.
//!
//! Each value has a stable machine spelling (`as_str`, used in the database and in JSON), a
//! Chinese label for people (`label_zh`, from the message catalogue, see [`lang`](crate::lang)), the
//! keyword the import template writes (`keyword`: file syntax, kept in code with the spellings
//! `parse` accepts) and a lenient `parse` that accepts what authors actually type. It owns no
//! cross-field rules (those are in `question`).

use std::fmt;

use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;

use crate::lang::{Lang, key, render, text};
use crate::text::EnforcementField;

/// Folds a typed value for lenient matching: NFKC (full-width → half-width), lower case, no
/// whitespace.
pub(crate) fn fold(raw: &str) -> String {
    raw.nfkc()
        .flat_map(char::to_lowercase)
        .filter(|c| !c.is_whitespace())
        .collect()
}

/// 题型 — the type of a question.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionType {
    /// 单选题 — 2–8 options, exactly one correct.
    Single,
    /// 多选题 — 2–8 options, at least two correct.
    Multiple,
    /// 判断题 — no options; the statement is true or false.
    TrueFalse,
}

impl QuestionType {
    /// All types, in template order.
    pub const ALL: [Self; 3] = [Self::Single, Self::Multiple, Self::TrueFalse];

    /// Stable machine spelling: `single`, `multiple`, `true_false`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Single => "single",
            Self::Multiple => "multiple",
            Self::TrueFalse => "true_false",
        }
    }

    /// Chinese label: 单选题, 多选题, 判断题.
    pub fn label_zh(self) -> &'static str {
        self.label(Lang::Zh)
    }

    /// The label in `lang`: 单选题 / single choice…
    pub(crate) fn label(self, lang: Lang) -> &'static str {
        let key = match self {
            Self::Single => key::CLASSIFY_QUESTION_TYPE_SINGLE,
            Self::Multiple => key::CLASSIFY_QUESTION_TYPE_MULTIPLE,
            Self::TrueFalse => key::CLASSIFY_QUESTION_TYPE_TRUE_FALSE,
        };
        text(lang, key)
    }

    /// How messages name the type: its label in Chinese; in English the variant's name
    /// (`Single`, `TrueFalse`), as the English messages have always written it.
    pub(crate) fn message_name(self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.label_zh().to_owned(),
            Lang::En => format!("{self:?}"),
        }
    }

    /// The template's keyword for the type, written into exported files and read back by
    /// [`QuestionType::parse`]: 单选题, 多选题, 判断题. File syntax, not wording.
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            Self::Single => "单选题",
            Self::Multiple => "多选题",
            Self::TrueFalse => "判断题",
        }
    }

    /// Whether the question has options.
    pub fn has_options(self) -> bool {
        !matches!(self, Self::TrueFalse)
    }

    /// Parses 单选 / 单选题 / single, 多选 / 多选题 / multiple, 判断 / 判断题 / true_false
    /// (any case, full-width letters allowed); `None` for anything else.
    pub fn parse(raw: &str) -> Option<Self> {
        match fold(raw).as_str() {
            "单选" | "单选题" | "单项选择题" | "single" | "single_choice" | "singlechoice" => {
                Some(Self::Single)
            }
            "多选" | "多选题" | "多项选择题" | "multiple" | "multiple_choice"
            | "multiplechoice" => Some(Self::Multiple),
            "判断" | "判断题" | "true_false" | "truefalse" | "true/false" => {
                Some(Self::TrueFalse)
            }
            _ => None,
        }
    }
}

impl fmt::Display for QuestionType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_zh())
    }
}

/// 考试类别 — which of the two exams a question belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExamKind {
    /// 综合法律知识 — general law, common to all agencies.
    General,
    /// 专业法律知识 — the laws of one enforcement field.
    Professional,
}

impl ExamKind {
    /// Stable machine spelling: `general`, `professional`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::General => "general",
            Self::Professional => "professional",
        }
    }

    /// Chinese label: 综合法律知识, 专业法律知识.
    pub fn label_zh(self) -> &'static str {
        text(
            Lang::Zh,
            match self {
                Self::General => key::CLASSIFY_EXAM_KIND_GENERAL,
                Self::Professional => key::CLASSIFY_EXAM_KIND_PROFESSIONAL,
            },
        )
    }

    /// The template's keyword for the exam kind, written into exported files and read back by
    /// [`ExamKind::parse`]: 综合法律知识, 专业法律知识. File syntax, not wording.
    pub(crate) fn keyword(self) -> &'static str {
        match self {
            Self::General => "综合法律知识",
            Self::Professional => "专业法律知识",
        }
    }

    /// Parses 综合法律知识 / 综合 / general and 专业法律知识 / 专业 / professional (any case);
    /// `None` for anything else.
    pub fn parse(raw: &str) -> Option<Self> {
        match fold(raw).as_str() {
            "综合法律知识" | "综合" | "综合类" | "general" => Some(Self::General),
            "专业法律知识" | "专业" | "专业类" | "professional" => {
                Some(Self::Professional)
            }
            _ => None,
        }
    }
}

impl fmt::Display for ExamKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_zh())
    }
}

/// The exam a question belongs to, with its enforcement field where there is one: a general
/// question cannot carry a field and a professional one cannot lack it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(tag = "exam_kind", content = "field", rename_all = "snake_case")]
pub enum ExamScope {
    /// 综合法律知识.
    General,
    /// 专业法律知识 of one enforcement field.
    Professional(EnforcementField),
}

impl ExamScope {
    /// The exam kind.
    pub fn exam_kind(&self) -> ExamKind {
        match self {
            Self::General => ExamKind::General,
            Self::Professional(_) => ExamKind::Professional,
        }
    }

    /// The enforcement field, for professional questions.
    pub fn field(&self) -> Option<&EnforcementField> {
        match self {
            Self::General => None,
            Self::Professional(field) => Some(field),
        }
    }
}

impl Default for ExamScope {
    /// 综合法律知识.
    fn default() -> Self {
        Self::General
    }
}

/// 难度 — difficulty from 1 (易, easy) to 5 (难, hard).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u8", into = "u8")]
pub struct Difficulty(u8);

impl Difficulty {
    /// Easiest.
    pub const MIN: Self = Self(1);
    /// Hardest.
    pub const MAX: Self = Self(5);
    /// The middle, 中.
    pub const MEDIUM: Self = Self(3);
    const LABELS: [crate::lang::Key; 5] = [
        key::CLASSIFY_DIFFICULTY_LEVEL_1,
        key::CLASSIFY_DIFFICULTY_LEVEL_2,
        key::CLASSIFY_DIFFICULTY_LEVEL_3,
        key::CLASSIFY_DIFFICULTY_LEVEL_4,
        key::CLASSIFY_DIFFICULTY_LEVEL_5,
    ];

    /// A difficulty from its number; `None` outside 1–5.
    pub fn new(level: u8) -> Option<Self> {
        (1..=5).contains(&level).then_some(Self(level))
    }

    /// Parses `1`–`5` (also `3.0` as spreadsheets write numbers, and full-width digits) or
    /// 易 / 较易 / 中 (中等) / 较难 / 难; `None` for anything else.
    pub fn parse(raw: &str) -> Option<Self> {
        let folded = fold(raw);
        let number = folded
            .strip_suffix(".0")
            .unwrap_or(&folded)
            .parse::<u8>()
            .ok();
        if let Some(level) = number {
            return Self::new(level);
        }
        match folded.as_str() {
            "易" | "容易" | "简单" => Some(Self(1)),
            "较易" | "较容易" | "较简单" => Some(Self(2)),
            "中" | "中等" | "一般" => Some(Self(3)),
            "较难" => Some(Self(4)),
            "难" | "困难" => Some(Self(5)),
            _ => None,
        }
    }

    /// The number, 1–5.
    pub fn get(self) -> u8 {
        self.0
    }

    /// Chinese label: 易, 较易, 中, 较难, 难.
    pub fn label_zh(self) -> &'static str {
        let key = Self::LABELS
            .get(usize::from(self.0).saturating_sub(1))
            .copied()
            .unwrap_or(key::CLASSIFY_DIFFICULTY_LEVEL_3);
        text(Lang::Zh, key)
    }
}

impl Default for Difficulty {
    fn default() -> Self {
        Self::MEDIUM
    }
}

impl fmt::Display for Difficulty {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl TryFrom<u8> for Difficulty {
    type Error = String;
    fn try_from(level: u8) -> Result<Self, Self::Error> {
        Self::new(level).ok_or_else(|| {
            render(
                Lang::En,
                key::CLASSIFY_DIFFICULTY_OUT_OF_RANGE,
                &[("level", &level)],
            )
        })
    }
}

impl From<Difficulty> for u8 {
    fn from(value: Difficulty) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn question_types_parse_from_chinese_and_english_spellings() {
        for raw in [
            "单选",
            "单选题",
            "single",
            "SINGLE",
            " 单选题 ",
            "ｓｉｎｇｌｅ",
        ] {
            assert_eq!(
                QuestionType::parse(raw),
                Some(QuestionType::Single),
                "{raw}"
            );
        }
        for raw in ["多选", "多选题", "Multiple"] {
            assert_eq!(
                QuestionType::parse(raw),
                Some(QuestionType::Multiple),
                "{raw}"
            );
        }
        for raw in ["判断", "判断题", "true_false", "TRUE_FALSE"] {
            assert_eq!(
                QuestionType::parse(raw),
                Some(QuestionType::TrueFalse),
                "{raw}"
            );
        }
        assert_eq!(QuestionType::parse("填空题"), None);
    }

    #[test]
    fn exam_kinds_parse_from_long_and_short_names() {
        assert_eq!(ExamKind::parse("综合法律知识"), Some(ExamKind::General));
        assert_eq!(ExamKind::parse("综合"), Some(ExamKind::General));
        assert_eq!(ExamKind::parse("General"), Some(ExamKind::General));
        assert_eq!(ExamKind::parse("专业"), Some(ExamKind::Professional));
        assert_eq!(
            ExamKind::parse("professional"),
            Some(ExamKind::Professional)
        );
        assert_eq!(ExamKind::parse("法律"), None);
    }

    #[test]
    fn difficulty_parses_numbers_and_words() {
        assert_eq!(Difficulty::parse("1").map(Difficulty::get), Some(1));
        assert_eq!(Difficulty::parse("5.0").map(Difficulty::get), Some(5));
        assert_eq!(Difficulty::parse("３").map(Difficulty::get), Some(3));
        assert_eq!(Difficulty::parse("易").map(Difficulty::get), Some(1));
        assert_eq!(Difficulty::parse("较易").map(Difficulty::get), Some(2));
        assert_eq!(Difficulty::parse("中").map(Difficulty::get), Some(3));
        assert_eq!(Difficulty::parse("较难").map(Difficulty::get), Some(4));
        assert_eq!(Difficulty::parse("难").map(Difficulty::get), Some(5));
    }

    #[test]
    fn difficulty_outside_one_to_five_is_refused() {
        for raw in ["0", "6", "-1", "2.5", "", "很难", "300"] {
            assert_eq!(Difficulty::parse(raw), None, "{raw}");
        }
        assert!(serde_json::from_str::<Difficulty>("9").is_err());
    }

    #[test]
    fn keywords_read_back_and_labels_come_from_the_catalogue() {
        for t in QuestionType::ALL {
            assert_eq!(QuestionType::parse(t.keyword()), Some(t));
            assert_eq!(QuestionType::parse(t.label_zh()), Some(t), "{t:?}");
        }
        for k in [ExamKind::General, ExamKind::Professional] {
            assert_eq!(ExamKind::parse(k.keyword()), Some(k));
            assert_eq!(ExamKind::parse(k.label_zh()), Some(k), "{k:?}");
        }
        assert_eq!(QuestionType::Multiple.label_zh(), "多选题");
        assert_eq!(QuestionType::Multiple.label(Lang::En), "multiple choice");
        assert_eq!(QuestionType::TrueFalse.message_name(Lang::En), "TrueFalse");
        let labels: Vec<&str> = (1..=5)
            .filter_map(Difficulty::new)
            .map(Difficulty::label_zh)
            .collect();
        assert_eq!(labels, ["易", "较易", "中", "较难", "难"]);
        for d in (1..=5).filter_map(Difficulty::new) {
            assert_eq!(Difficulty::parse(d.label_zh()), Some(d));
        }
    }

    #[test]
    fn scope_serializes_with_kind_and_field() {
        let scope = ExamScope::Professional(EnforcementField::parse("市场监管").unwrap());
        let json = serde_json::to_string(&scope).unwrap();
        assert_eq!(json, r#"{"exam_kind":"professional","field":"市场监管"}"#);
        assert_eq!(scope.exam_kind(), ExamKind::Professional);
        assert_eq!(ExamScope::General.field(), None);
    }
}
