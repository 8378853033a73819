//! Aiken import: a stem line, options `A. text` or `A) text`, then `ANSWER: B`.
//!
//! Aiken carries no metadata: exam kind, field, difficulty and legal basis come from
//! [`ImportDefaults`]. Extensions: a stem may span several lines before the first option, options
//! may use `．`/`）`/`、` after the letter, and `ANSWER: AC` (or `A,C`) makes a 多选题.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::gift::decode_text;
use super::{
    FileError, ImportDefaults, ImportLimits, ImportReport, ImportedFile, ImportedRow, RowError,
    RowErrorReason, build_text_question, finish,
};
use crate::answer::{ChoiceAnswer, option_letter, read_choice_answer};
use crate::classify::QuestionType;
use crate::lang::{Lang, Localized, key, render};
use crate::question::{Field, QuestionDraft};

/// An Aiken syntax problem in one question.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
#[error("{}", self.message(Lang::En))]
pub enum AikenProblem {
    /// A stem without options.
    NoOptions,
    /// Options without an `ANSWER:` line.
    NoAnswerLine,
    /// An option letter out of sequence.
    OptionOutOfOrder {
        /// The letter expected next.
        expected: char,
        /// The letter found.
        found: char,
    },
    /// A line that is neither option nor answer after the options began.
    UnexpectedLine {
        /// The line (shortened).
        text: String,
    },
}

impl Localized for AikenProblem {
    fn message(&self, lang: Lang) -> String {
        match self {
            Self::NoOptions => render(lang, key::AIKEN_NO_OPTIONS, &[]),
            Self::NoAnswerLine => render(lang, key::AIKEN_NO_ANSWER_LINE, &[]),
            Self::OptionOutOfOrder { expected, found } => render(
                lang,
                key::AIKEN_OPTION_OUT_OF_ORDER,
                &[("expected", expected), ("found", found)],
            ),
            Self::UnexpectedLine { text } => {
                render(lang, key::AIKEN_UNEXPECTED_LINE, &[("text", text)])
            }
        }
    }
}

/// Reads an Aiken file (UTF-8, BOM allowed); all metadata comes from `defaults`.
///
/// # Errors
/// An [`ImportReport`] listing every question that cannot be imported, by the line its stem
/// starts on, or a file error.
pub fn parse_aiken(bytes: &[u8], defaults: &ImportDefaults) -> Result<ImportedFile, ImportReport> {
    let limits = ImportLimits::DEFAULT;
    let text = decode_text(bytes, &limits)?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    let mut current: Option<Pending> = None;
    let mut skipping = false;
    let lines = text.lines().map(str::trim).chain(std::iter::once(""));
    for (i, line) in lines.enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        if rows.len() + errors.len() > limits.max_rows {
            return Err(ImportReport::file(FileError::TooManyRows {
                limit: limits.max_rows,
            }));
        }
        let fail = |p: &Pending, problem: AikenProblem| RowError {
            row: p.line,
            column: None,
            reason: RowErrorReason::Aiken(problem),
        };
        if line.is_empty() {
            skipping = false;
            if let Some(p) = current.take() {
                let problem = if p.options.is_empty() {
                    AikenProblem::NoOptions
                } else {
                    AikenProblem::NoAnswerLine
                };
                errors.push(fail(&p, problem));
            }
            continue;
        }
        if skipping {
            continue;
        }
        let Some(p) = current.as_mut() else {
            current = Some(Pending {
                line: line_no,
                stem: line.to_owned(),
                options: Vec::new(),
            });
            continue;
        };
        if let Some(answer) = answer_line(line) {
            let Some(p) = current.take() else { continue };
            if p.options.is_empty() {
                errors.push(fail(&p, AikenProblem::NoOptions));
            } else if let Some(question) = build(&p, answer, defaults, &mut errors) {
                rows.push(ImportedRow {
                    row: p.line,
                    question,
                });
            }
            // Anything up to the next blank line belongs to this question.
            skipping = true;
            continue;
        }
        if let Some((letter, text)) = option_line(line) {
            let expected = option_letter(p.options.len());
            if letter != expected {
                let error = fail(
                    p,
                    AikenProblem::OptionOutOfOrder {
                        expected,
                        found: letter,
                    },
                );
                errors.push(error);
                current = None;
                skipping = true;
                continue;
            }
            p.options.push(text.to_owned());
            continue;
        }
        if p.options.is_empty() {
            p.stem.push('\n');
            p.stem.push_str(line);
        } else {
            let error = fail(
                p,
                AikenProblem::UnexpectedLine {
                    text: line.chars().take(40).collect(),
                },
            );
            errors.push(error);
            current = None;
            skipping = true;
        }
    }
    finish(rows, errors)
}

struct Pending {
    line: u32,
    stem: String,
    options: Vec<String>,
}

/// `ANSWER: B` (any case, `:` or `：`).
fn answer_line(line: &str) -> Option<&str> {
    let head = line.get(..6)?;
    if !head.eq_ignore_ascii_case("answer") {
        return None;
    }
    let rest = line.get(6..)?.trim_start();
    rest.strip_prefix(':')
        .or_else(|| rest.strip_prefix('：'))
        .map(str::trim)
}

/// `A. text`, `A) text`, `A．text`, `A）text`, `A、text`.
fn option_line(line: &str) -> Option<(char, &str)> {
    let mut chars = line.chars();
    let letter = chars.next().filter(char::is_ascii_uppercase)?;
    let rest = chars.as_str();
    let after = ['.', ')', '．', '）', '、']
        .iter()
        .find_map(|sep| rest.strip_prefix(*sep))?;
    Some((letter, after.trim()))
}

fn build(
    p: &Pending,
    answer: &str,
    defaults: &ImportDefaults,
    errors: &mut Vec<RowError>,
) -> Option<crate::Question> {
    let question_type = match read_choice_answer(answer) {
        ChoiceAnswer::Letters { mask, .. } if mask.count_ones() > 1 => QuestionType::Multiple,
        _ => QuestionType::Single,
    };
    let draft = QuestionDraft {
        question_type: question_type.as_str().to_owned(),
        stem: p.stem.clone(),
        options: p.options.clone(),
        answer: answer.to_owned(),
        difficulty: defaults.difficulty.to_string(),
        exam_kind: defaults.scope.exam_kind().as_str().to_owned(),
        field: defaults
            .scope
            .field()
            .map(|f| f.as_str().to_owned())
            .unwrap_or_default(),
        legal_basis: defaults
            .legal_basis
            .as_ref()
            .map(|b| b.as_str().to_owned())
            .unwrap_or_default(),
        tags: String::new(),
        explanation: String::new(),
    };
    build_text_question(&draft, p.line, "Aiken", &[Field::LegalBasis], errors)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{Difficulty, ExamScope};
    use crate::legal_basis::LegalBasis;
    use crate::question::FieldErrorReason;

    fn defaults() -> ImportDefaults {
        ImportDefaults {
            scope: ExamScope::General,
            difficulty: Difficulty::new(2).unwrap(),
            legal_basis: Some(LegalBasis::parse("《中华人民共和国行政许可法》").unwrap()),
        }
    }

    #[test]
    fn a_standard_aiken_file_imports_with_the_defaults() {
        let text = "行政许可的设定应当遵循什么原则?\nA. 公开\nB) 秘密\nC. 随意\nANSWER: A\n\n第二题\nA．甲\nB）乙\nanswer： B\n";
        let imported = parse_aiken(text.as_bytes(), &defaults()).unwrap();
        assert_eq!(imported.rows.len(), 2);
        let q = &imported.rows[0].question;
        assert_eq!(q.question_type(), QuestionType::Single);
        assert_eq!(q.options()[1].as_str(), "秘密");
        assert_eq!(q.answer_key().correct_options(), vec![0]);
        assert_eq!(q.difficulty().get(), 2);
        assert_eq!(imported.rows[1].row, 7);
        assert_eq!(
            imported.rows[1].question.answer_key().correct_options(),
            vec![1]
        );
    }

    #[test]
    fn several_answer_letters_make_a_multiple_choice_question() {
        let text = "多选\nA. 甲\nB. 乙\nC. 丙\nANSWER: A,C";
        let imported = parse_aiken(text.as_bytes(), &defaults()).unwrap();
        assert_eq!(
            imported.rows[0].question.question_type(),
            QuestionType::Multiple
        );
    }

    #[test]
    fn every_broken_question_is_reported_by_its_first_line() {
        let text = "无选项\nANSWER: A\n\n无答案\nA. 甲\nB. 乙\n\n乱序\nA. 甲\nC. 丙\nANSWER: A\n\n多余行\nA. 甲\nB. 乙\n说明文字\nANSWER: A\n\n字母越界\nA. 甲\nB. 乙\nANSWER: D\n\n仅题干";
        let report = parse_aiken(text.as_bytes(), &defaults()).unwrap_err();
        let got: Vec<(u32, RowErrorReason)> = report
            .row_errors
            .into_iter()
            .map(|e| (e.row, e.reason))
            .collect();
        assert_eq!(
            got,
            vec![
                (1, RowErrorReason::Aiken(AikenProblem::NoOptions)),
                (4, RowErrorReason::Aiken(AikenProblem::NoAnswerLine)),
                (
                    8,
                    RowErrorReason::Aiken(AikenProblem::OptionOutOfOrder {
                        expected: 'B',
                        found: 'C'
                    })
                ),
                (
                    13,
                    RowErrorReason::Aiken(AikenProblem::UnexpectedLine {
                        text: "说明文字".into()
                    })
                ),
                (
                    19,
                    RowErrorReason::Field {
                        field: Field::Answer,
                        reason: FieldErrorReason::AnswerLetterWithoutOption {
                            letter: 'D',
                            last: Some('B')
                        }
                    }
                ),
                (24, RowErrorReason::Aiken(AikenProblem::NoOptions)),
            ]
        );
    }

    #[test]
    fn without_a_default_legal_basis_each_question_says_what_is_missing() {
        let no_basis = ImportDefaults {
            legal_basis: None,
            ..defaults()
        };
        let report = parse_aiken("题\nA. 甲\nB. 乙\nANSWER: B".as_bytes(), &no_basis).unwrap_err();
        assert_eq!(
            report.row_errors[0].reason,
            RowErrorReason::MissingInFormat {
                field: Field::LegalBasis,
                format: "Aiken".into()
            }
        );
        assert!(!report.row_errors[0].message(Lang::Zh).contains("meta"));
    }
}
