//! The dry run before an import is committed: what the file holds, what it duplicates, and
//! what looks doubtful.
//!
//! Duplicates against the bank are found through a caller-supplied lookup on normalised stems
//! (see [`normalize_stem`](crate::normalize_stem)), so this module needs no storage. Warnings never
//! block an import; errors are the parsers' business.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use crate::classify::{ExamKind, QuestionType};
use crate::import::ImportedFile;
use crate::lang::{Lang, Localized, key, render};

/// Stems shorter than this (in characters) draw a warning.
pub const SHORT_STEM_CHARS: usize = 8;

/// Two rows of the file whose stems are duplicates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DuplicatePair {
    /// The first row with this stem.
    pub first_row: u32,
    /// A later row repeating it.
    pub row: u32,
}

/// Something doubtful that does not block the import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum WarningKind {
    /// A header that matched no template column.
    IgnoredColumn {
        /// The header.
        header: String,
    },
    /// A very short stem.
    ShortStem {
        /// Its length in characters.
        chars: usize,
    },
    /// No 解析.
    NoExplanation,
    /// A 多选题 whose every option is correct.
    AllOptionsCorrect,
    /// A legal basis naming a law but no article.
    NoArticle {
        /// The legal basis as written.
        legal_basis: String,
    },
}

/// A warning, with the row it concerns (`None` for the file).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    /// The row (or line), if the warning concerns one.
    pub row: Option<u32>,
    /// What is doubtful.
    pub kind: WarningKind,
}

impl Localized for Warning {
    fn message(&self, lang: Lang) -> String {
        let warning = match &self.kind {
            WarningKind::IgnoredColumn { header } => {
                render(lang, key::PREVIEW_IGNORED_COLUMN, &[("header", header)])
            }
            WarningKind::ShortStem { chars } => {
                render(lang, key::PREVIEW_SHORT_STEM, &[("chars", chars)])
            }
            WarningKind::NoExplanation => render(lang, key::PREVIEW_NO_EXPLANATION, &[]),
            WarningKind::AllOptionsCorrect => render(lang, key::PREVIEW_ALL_OPTIONS_CORRECT, &[]),
            WarningKind::NoArticle { legal_basis } => render(
                lang,
                key::PREVIEW_NO_ARTICLE,
                &[("legal_basis", legal_basis)],
            ),
        };
        match self.row {
            Some(row) => render(
                lang,
                key::PREVIEW_AT_ROW,
                &[("row", &row), ("warning", &warning)],
            ),
            None => warning,
        }
    }
}

/// 导入预览 — what an import would store.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Preview {
    /// Questions in the file.
    pub total: usize,
    /// Count by 题型.
    pub by_type: BTreeMap<QuestionType, usize>,
    /// Count by 考试类别.
    pub by_exam_kind: BTreeMap<ExamKind, usize>,
    /// Count of 专业 questions by 执法领域.
    pub by_field: BTreeMap<String, usize>,
    /// Count by 难度 (1–5).
    pub by_difficulty: BTreeMap<u8, usize>,
    /// Rows whose stem repeats an earlier row's.
    pub duplicates_in_file: Vec<DuplicatePair>,
    /// Rows whose stem is already in the bank.
    pub duplicates_in_bank: Vec<u32>,
    /// Doubtful things, in row order (file-level first).
    pub warnings: Vec<Warning>,
}

impl Preview {
    /// Summarises `file`. `in_bank` answers whether a normalised stem (see
    /// [`normalize_stem`](crate::normalize_stem)) is already in the bank; pass `|_| false` to skip.
    pub fn build(file: &ImportedFile, in_bank: impl Fn(&str) -> bool) -> Self {
        let mut preview = Self {
            total: file.rows.len(),
            ..Self::default()
        };
        preview
            .warnings
            .extend(file.ignored_columns.iter().map(|h| Warning {
                row: None,
                kind: WarningKind::IgnoredColumn { header: h.clone() },
            }));
        let mut first_row_of: HashMap<String, u32> = HashMap::new();
        for imported in &file.rows {
            let q = &imported.question;
            let row = imported.row;
            *preview.by_type.entry(q.question_type()).or_default() += 1;
            *preview.by_exam_kind.entry(q.exam_kind()).or_default() += 1;
            if let Some(field) = q.field() {
                *preview
                    .by_field
                    .entry(field.as_str().to_owned())
                    .or_default() += 1;
            }
            *preview
                .by_difficulty
                .entry(q.difficulty().get())
                .or_default() += 1;

            let normalized = q.normalized_stem();
            if in_bank(&normalized) {
                preview.duplicates_in_bank.push(row);
            }
            match first_row_of.get(&normalized) {
                Some(&first_row) => preview
                    .duplicates_in_file
                    .push(DuplicatePair { first_row, row }),
                None => {
                    first_row_of.insert(normalized, row);
                }
            }

            let mut warn = |kind| {
                preview.warnings.push(Warning {
                    row: Some(row),
                    kind,
                });
            };
            let chars = q.stem().as_str().chars().count();
            if chars < SHORT_STEM_CHARS {
                warn(WarningKind::ShortStem { chars });
            }
            if q.explanation().is_none() {
                warn(WarningKind::NoExplanation);
            }
            if q.question_type() == QuestionType::Multiple
                && q.answer_key().correct_options().len() == q.options().len()
            {
                warn(WarningKind::AllOptionsCorrect);
            }
            if q.legal_basis()
                .references()
                .iter()
                .any(|r| r.article().is_none())
            {
                warn(WarningKind::NoArticle {
                    legal_basis: q.legal_basis().as_str().to_owned(),
                });
            }
        }
        preview
    }

    /// Whether any duplicate was found.
    pub fn has_duplicates(&self) -> bool {
        !self.duplicates_in_file.is_empty() || !self.duplicates_in_bank.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;
    use crate::import::ImportedRow;
    use crate::question::tests::single_draft;
    use crate::question::{Question, QuestionDraft};

    fn row(row: u32, draft: QuestionDraft) -> ImportedRow {
        ImportedRow {
            row,
            question: Question::from_draft(&draft).unwrap(),
        }
    }

    fn file() -> ImportedFile {
        ImportedFile {
            rows: vec![
                row(2, single_draft()),
                row(
                    3,
                    QuestionDraft {
                        stem: "行政机关作出较大数额罚款决定前，应当告知当事人有权要求什么？".into(),
                        question_type: "多选".into(),
                        answer: "ABCD".into(),
                        exam_kind: "专业".into(),
                        field: "公安".into(),
                        difficulty: "5".into(),
                        ..single_draft()
                    },
                ),
                row(
                    4,
                    QuestionDraft {
                        stem: "短题".into(),
                        question_type: "判断".into(),
                        options: vec![],
                        answer: "对".into(),
                        explanation: String::new(),
                        legal_basis: "《宪法》".into(),
                        ..single_draft()
                    },
                ),
            ],
            ignored_columns: vec!["序号".into()],
            sheet: None,
            unsupported: Vec::new(),
        }
    }

    #[test]
    fn counts_are_given_by_type_kind_field_and_difficulty() {
        let preview = Preview::build(&file(), |_| false);
        assert_eq!(preview.total, 3);
        assert_eq!(preview.by_type[&QuestionType::Single], 1);
        assert_eq!(preview.by_type[&QuestionType::Multiple], 1);
        assert_eq!(preview.by_type[&QuestionType::TrueFalse], 1);
        assert_eq!(preview.by_exam_kind[&ExamKind::General], 2);
        assert_eq!(preview.by_field["公安"], 1);
        assert_eq!(preview.by_difficulty[&3], 2);
        assert_eq!(preview.by_difficulty[&5], 1);
    }

    #[test]
    fn duplicates_within_the_file_are_paired_despite_punctuation_and_width() {
        let preview = Preview::build(&file(), |_| false);
        assert_eq!(
            preview.duplicates_in_file,
            vec![DuplicatePair {
                first_row: 2,
                row: 3
            }]
        );
        assert!(preview.has_duplicates());
    }

    #[test]
    fn duplicates_against_the_bank_use_the_callers_normalized_stems() {
        let bank: HashSet<String> = [crate::normalize_stem("短题。")].into();
        let preview = Preview::build(&file(), |stem| bank.contains(stem));
        assert_eq!(preview.duplicates_in_bank, vec![4]);
    }

    #[test]
    fn doubtful_rows_draw_warnings_that_never_block() {
        let preview = Preview::build(&file(), |_| false);
        let kinds: Vec<(Option<u32>, &WarningKind)> =
            preview.warnings.iter().map(|w| (w.row, &w.kind)).collect();
        assert_eq!(
            kinds,
            vec![
                (
                    None,
                    &WarningKind::IgnoredColumn {
                        header: "序号".into()
                    }
                ),
                (Some(3), &WarningKind::AllOptionsCorrect),
                (Some(4), &WarningKind::ShortStem { chars: 2 }),
                (Some(4), &WarningKind::NoExplanation),
                (
                    Some(4),
                    &WarningKind::NoArticle {
                        legal_basis: "《宪法》".into()
                    }
                ),
            ]
        );
        assert_eq!(
            preview.warnings[2].message(Lang::Zh),
            "第 4 行:题干只有 2 个字:请确认题干完整"
        );
        let json = serde_json::to_value(&preview).unwrap();
        assert_eq!(json["by_type"]["single"], 1);
    }
}
