//! Import of question files: the legal office's template as `.csv` or `.xlsx`, Moodle GIFT and
//! Aiken.
//!
//! Import is all-or-nothing: a parser returns either every question of the file, valid, or an
//! [`ImportReport`] listing every problem — file-level ones ([`FileError`]) and every bad row with
//! its 1-based row (or line) number, column and reason ([`RowError`]). Storing the questions in one
//! transaction is the caller's job. No parser panics on any input; sizes and row counts are
//! bounded by [`ImportLimits`] before anything large is built.
//!
//! | format | entry points | metadata |
//! |---|---|---|
//! | template `.csv` | [`parse_csv`], [`parse_csv_with`] | columns, see [`template`](crate::template) |
//! | template `.xlsx` | [`parse_xlsx`], [`parse_xlsx_with`] | columns |
//! | GIFT | [`parse_gift`], [`parse_gift_with`] | `// meta:` line, else [`ImportDefaults`] |
//! | Aiken | [`parse_aiken`] | [`ImportDefaults`] |

mod aiken;
#[cfg(feature = "files")]
mod csv;
#[cfg(feature = "files")]
mod encoding;
pub(crate) mod gift;
#[cfg(feature = "files")]
pub(crate) mod table;
#[cfg(feature = "files")]
mod xlsx;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::classify::{Difficulty, ExamScope};
use crate::lang::{Lang, Localized, join_list, key, render, text};
use crate::legal_basis::LegalBasis;
use crate::question::{Field, FieldErrorReason, Question, QuestionDraft};

pub use aiken::AikenProblem;
pub use aiken::parse_aiken;
#[cfg(feature = "files")]
pub(crate) use csv::guard as csv_guard;
#[cfg(feature = "files")]
pub(crate) use csv::read_csv_grid;
#[cfg(feature = "files")]
pub use csv::{parse_csv, parse_csv_with};
pub use gift::{
    GiftOptions, GiftProblem, UnsupportedKind, UnsupportedQuestion, parse_gift, parse_gift_with,
};
#[cfg(all(test, feature = "files"))]
pub(crate) use xlsx::tests::xlsx_with_sheet_xml;
#[cfg(feature = "files")]
pub(crate) use xlsx::{OLE_SIGNATURE, SheetChoice, read_xlsx_grid};
#[cfg(feature = "files")]
pub use xlsx::{parse_xlsx, parse_xlsx_with};

/// Bounds on what a parser accepts, checked before anything large is built.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportLimits {
    /// Largest file, in bytes.
    pub max_bytes: usize,
    /// Most question rows (blank rows not counted).
    pub max_rows: usize,
    /// Largest total unpacked size of an `.xlsx` (zip) file, in bytes.
    pub max_unpacked_bytes: u64,
}

impl ImportLimits {
    /// 50 MiB, 50,000 rows, 512 MiB unpacked.
    pub const DEFAULT: Self = Self {
        max_bytes: 50 * 1024 * 1024,
        max_rows: 50_000,
        max_unpacked_bytes: 512 * 1024 * 1024,
    };
}

impl Default for ImportLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Values for formats that cannot carry our metadata (GIFT without `// meta:`, Aiken), chosen
/// by the author when importing.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct ImportDefaults {
    /// 考试类别 and 执法领域.
    pub scope: ExamScope,
    /// 难度.
    pub difficulty: Difficulty,
    /// 法律依据; without one, a question whose file gives none is reported as an error.
    pub legal_basis: Option<LegalBasis>,
}

/// One imported question with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedRow {
    /// 1-based spreadsheet row (header = row 1), or the line a GIFT/Aiken question starts on.
    pub row: u32,
    /// The question.
    pub question: Question,
}

/// A successfully parsed file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ImportedFile {
    /// Every question, in file order.
    pub rows: Vec<ImportedRow>,
    /// Headers that matched no template column and were ignored (e.g. 序号); worth a warning
    /// because a misspelt optional column (解 析) lands here.
    pub ignored_columns: Vec<String>,
    /// The worksheet read, for `.xlsx`.
    pub sheet: Option<String>,
    /// GIFT questions of kinds the bank does not hold, left out of `rows`, in file order; only
    /// ever filled when the caller asked to skip them ([`GiftOptions::skip_unsupported`]).
    pub unsupported: Vec<UnsupportedQuestion>,
}

impl ImportedFile {
    /// The questions alone.
    pub fn questions(&self) -> impl Iterator<Item = &Question> {
        self.rows.iter().map(|r| &r.question)
    }
}

/// A problem with the file as a whole; nothing is imported.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[error("{}", self.message(Lang::En))]
pub enum FileError {
    /// No bytes, or nothing but whitespace.
    Empty,
    /// Over [`ImportLimits::max_bytes`].
    TooLarge {
        /// Size found.
        size: u64,
        /// Limit.
        limit: u64,
    },
    /// A GIFT or Aiken text file that is not UTF-8.
    NotUtf8 {
        /// First line with invalid bytes.
        line: u64,
    },
    /// A UTF-16 GIFT or Aiken text file (Notepad's “Unicode”).
    Utf16,
    /// A `.csv` in UTF-16 (Excel's “Unicode Text”): a byte-order mark, or NUL bytes on one side of
    /// most byte pairs.
    CsvUtf16,
    /// A `.csv` that looks like Japanese Shift-JIS text.
    CsvShiftJis,
    /// A `.csv` that is neither UTF-8 nor GB18030 text: another code page, or not a text file.
    CsvUnknownEncoding {
        /// First line that neither encoding reads (or that holds characters GB18030 text hardly
        /// ever does).
        line: u64,
    },
    /// Not an `.xlsx` workbook at all.
    NotXlsx,
    /// An old binary `.xls`, or a password-protected workbook (both are OLE containers).
    LegacyOrEncryptedWorkbook,
    /// The workbook's parts unpack to more than [`ImportLimits::max_unpacked_bytes`].
    UnpackedTooLarge {
        /// Declared unpacked size.
        size: u64,
        /// Limit.
        limit: u64,
    },
    /// The workbook is damaged.
    Unreadable {
        /// What the reader said.
        detail: String,
    },
    /// A workbook without worksheets.
    NoWorksheet,
    /// Required columns are missing from the header row.
    MissingColumns {
        /// The worksheet, for `.xlsx`.
        sheet: Option<String>,
        /// The missing columns' names (题型, 题干, …).
        missing: Vec<String>,
    },
    /// Two headers name the same column.
    DuplicateColumn {
        /// The template column.
        column: String,
        /// The headers in the file that mean it.
        headers: Vec<String>,
    },
    /// More question rows than [`ImportLimits::max_rows`].
    TooManyRows {
        /// Limit.
        limit: usize,
    },
    /// A header but no question.
    NoQuestions,
    /// A table (read by `tabular`) whose first row holds data instead of column names.
    NoHeaderRow {
        /// The worksheet, for `.xlsx`.
        sheet: Option<String>,
        /// The cell, e.g. `B1`.
        cell: String,
        /// Its content (at most 40 characters).
        value: String,
    },
    /// A table's header row leaves columns of the table without a name.
    EmptyHeader {
        /// The worksheet, for `.xlsx`.
        sheet: Option<String>,
        /// The empty header cells, e.g. `C1`.
        cells: Vec<String>,
    },
    /// A table's header row names two columns alike (ignoring case, width and spaces).
    DuplicateHeader {
        /// The worksheet, for `.xlsx`.
        sheet: Option<String>,
        /// The name, as first written.
        header: String,
        /// The header cells that give it, e.g. `A1`, `D1`.
        cells: Vec<String>,
    },
    /// A table with more rows below its header than [`ImportLimits::max_rows`].
    TooManyTableRows {
        /// Limit.
        limit: usize,
    },
}

/// A size for people: megabytes with one decimal in Chinese, bytes in English (as the messages
/// have always given them).
fn size(bytes: u64, lang: Lang) -> String {
    match lang {
        Lang::Zh => {
            #[expect(clippy::cast_precision_loss, reason = "a rounded figure for people")]
            let mb = bytes as f64 / (1024.0 * 1024.0);
            format!("{mb:.1}")
        }
        Lang::En => bytes.to_string(),
    }
}

impl Localized for FileError {
    fn message(&self, lang: Lang) -> String {
        // A message about a worksheet names it, in a variant of the message of its own.
        let in_sheet = |sheet: &Option<String>, plain, named| match sheet {
            Some(sheet) => (named, Some(sheet.clone())),
            None => (plain, None),
        };
        match self {
            Self::Empty => render(lang, key::IMPORT_FILE_EMPTY, &[]),
            Self::TooLarge { size: s, limit } => render(
                lang,
                key::IMPORT_FILE_TOO_LARGE,
                &[("size", &size(*s, lang)), ("limit", &size(*limit, lang))],
            ),
            Self::NotUtf8 { line } => render(lang, key::IMPORT_FILE_NOT_UTF8, &[("line", line)]),
            Self::Utf16 => render(lang, key::IMPORT_FILE_UTF16, &[]),
            Self::CsvUtf16 => render(lang, key::IMPORT_FILE_CSV_UTF16, &[]),
            Self::CsvShiftJis => render(lang, key::IMPORT_FILE_CSV_SHIFT_JIS, &[]),
            Self::CsvUnknownEncoding { line } => render(
                lang,
                key::IMPORT_FILE_CSV_UNKNOWN_ENCODING,
                &[("line", line)],
            ),
            Self::NotXlsx => render(lang, key::IMPORT_FILE_NOT_XLSX, &[]),
            Self::LegacyOrEncryptedWorkbook => {
                render(lang, key::IMPORT_FILE_LEGACY_OR_ENCRYPTED_WORKBOOK, &[])
            }
            Self::UnpackedTooLarge { size: s, limit } => render(
                lang,
                key::IMPORT_FILE_UNPACKED_TOO_LARGE,
                &[("size", &size(*s, lang)), ("limit", &size(*limit, lang))],
            ),
            Self::Unreadable { detail } => {
                render(lang, key::IMPORT_FILE_UNREADABLE, &[("detail", detail)])
            }
            Self::NoWorksheet => render(lang, key::IMPORT_FILE_NO_WORKSHEET, &[]),
            Self::MissingColumns { sheet, missing } => {
                let (key, sheet) = in_sheet(
                    sheet,
                    key::IMPORT_FILE_MISSING_COLUMNS,
                    key::IMPORT_FILE_MISSING_COLUMNS_IN_SHEET,
                );
                render(
                    lang,
                    key,
                    &[
                        ("sheet", &sheet.unwrap_or_default()),
                        ("missing", &join_list(lang, missing)),
                    ],
                )
            }
            Self::DuplicateColumn { column, headers } => render(
                lang,
                key::IMPORT_FILE_DUPLICATE_COLUMN,
                &[("column", column), ("headers", &join_list(lang, headers))],
            ),
            Self::TooManyRows { limit } => {
                render(lang, key::IMPORT_FILE_TOO_MANY_ROWS, &[("limit", limit)])
            }
            Self::NoQuestions => render(lang, key::IMPORT_FILE_NO_QUESTIONS, &[]),
            Self::NoHeaderRow { sheet, cell, value } => {
                let (key, sheet) = in_sheet(
                    sheet,
                    key::IMPORT_FILE_NO_HEADER_ROW,
                    key::IMPORT_FILE_NO_HEADER_ROW_IN_SHEET,
                );
                render(
                    lang,
                    key,
                    &[
                        ("sheet", &sheet.unwrap_or_default()),
                        ("cell", cell),
                        ("value", value),
                    ],
                )
            }
            Self::EmptyHeader { sheet, cells } => {
                let (key, sheet) = in_sheet(
                    sheet,
                    key::IMPORT_FILE_EMPTY_HEADER,
                    key::IMPORT_FILE_EMPTY_HEADER_IN_SHEET,
                );
                render(
                    lang,
                    key,
                    &[
                        ("sheet", &sheet.unwrap_or_default()),
                        ("cells", &join_list(lang, cells)),
                    ],
                )
            }
            Self::DuplicateHeader {
                sheet,
                header,
                cells,
            } => {
                let (key, sheet) = in_sheet(
                    sheet,
                    key::IMPORT_FILE_DUPLICATE_HEADER,
                    key::IMPORT_FILE_DUPLICATE_HEADER_IN_SHEET,
                );
                render(
                    lang,
                    key,
                    &[
                        ("sheet", &sheet.unwrap_or_default()),
                        ("header", header),
                        ("cells", &join_list(lang, cells)),
                    ],
                )
            }
            Self::TooManyTableRows { limit } => render(
                lang,
                key::IMPORT_FILE_TOO_MANY_TABLE_ROWS,
                &[("limit", limit)],
            ),
        }
    }
}

/// Why one row (or one GIFT/Aiken question) was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[error("{}", self.message(Lang::En))]
pub enum RowErrorReason {
    /// A field of the question is wrong.
    Field {
        /// The field.
        field: Field,
        /// Why.
        reason: FieldErrorReason,
    },
    /// A formula cell without a cached result.
    FormulaWithoutValue {
        /// The formula text.
        formula: String,
    },
    /// A spreadsheet error value such as `#N/A`.
    ErrorValue {
        /// The error shown by Excel.
        value: String,
    },
    /// An empty cell covered by a merged range.
    MergedCell {
        /// The merged range, e.g. `F2:F9`.
        range: String,
    },
    /// A value the format cannot carry and no default supplies.
    MissingInFormat {
        /// The field.
        field: Field,
        /// `GIFT` or `Aiken`.
        format: String,
    },
    /// A GIFT syntax problem.
    Gift(GiftProblem),
    /// An Aiken syntax problem.
    Aiken(AikenProblem),
}

impl Localized for RowErrorReason {
    fn message(&self, lang: Lang) -> String {
        match self {
            Self::Field { field, reason } => reason.describe(*field, lang),
            Self::Gift(p) => p.message(lang),
            Self::Aiken(p) => p.message(lang),
            Self::FormulaWithoutValue { formula } => render(
                lang,
                key::IMPORT_ROW_FORMULA_WITHOUT_VALUE,
                &[("formula", formula)],
            ),
            Self::ErrorValue { value } => {
                render(lang, key::IMPORT_ROW_ERROR_VALUE, &[("value", value)])
            }
            Self::MergedCell { range } => {
                render(lang, key::IMPORT_ROW_MERGED_CELL, &[("range", range)])
            }
            Self::MissingInFormat { field, format } => {
                // GIFT can carry the value in a `// meta:` line; Aiken cannot.
                let key = if format == "GIFT" {
                    key::IMPORT_ROW_MISSING_IN_GIFT
                } else {
                    key::IMPORT_ROW_MISSING_IN_FORMAT
                };
                render(
                    lang,
                    key,
                    &[("format", format), ("field", &field.label(lang))],
                )
            }
        }
    }
}

/// One bad row: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("{}", self.message(Lang::En))]
pub struct RowError {
    /// 1-based spreadsheet row (header = row 1), or line number for GIFT/Aiken.
    pub row: u32,
    /// The column header as written in the file (or the template's name when the column is
    /// absent); `None` when the problem is not one cell's.
    pub column: Option<String>,
    /// Why.
    pub reason: RowErrorReason,
}

impl Localized for RowError {
    fn message(&self, lang: Lang) -> String {
        let reason = self.reason.message(lang);
        match &self.column {
            Some(column) => render(
                lang,
                key::IMPORT_ROW_AT_COLUMN,
                &[("row", &self.row), ("column", column), ("reason", &reason)],
            ),
            None => render(
                lang,
                key::IMPORT_ROW_AT,
                &[("row", &self.row), ("reason", &reason)],
            ),
        }
    }
}

/// Everything wrong with a file that was not imported.
///
/// `Display` is a one-line English summary for logs (`0 file problem(s), 3 bad row(s)`); the
/// report for a person is [`Localized::message`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Error, Serialize, Deserialize)]
#[error("{}", render(Lang::En, key::IMPORT_REPORT_SUMMARY, &[("file_problems", &self.file_errors.len()), ("bad_rows", &self.bad_row_count())]))]
pub struct ImportReport {
    /// Problems with the file as a whole.
    pub file_errors: Vec<FileError>,
    /// Problems with single rows, ordered by row.
    pub row_errors: Vec<RowError>,
}

impl ImportReport {
    pub(crate) fn file(error: FileError) -> Self {
        Self {
            file_errors: vec![error],
            row_errors: Vec::new(),
        }
    }

    /// How many distinct rows have problems.
    pub fn bad_row_count(&self) -> usize {
        bad_rows(&self.row_errors)
    }

    /// Every problem as a message, file problems first.
    pub fn messages(&self, lang: Lang) -> Vec<String> {
        self.file_errors
            .iter()
            .map(|e| e.message(lang))
            .chain(self.row_errors.iter().map(|e| e.message(lang)))
            .collect()
    }
}

impl Localized for ImportReport {
    fn message(&self, lang: Lang) -> String {
        let summary = if self.file_errors.is_empty() {
            render(
                lang,
                key::IMPORT_REPORT_ROWS_REFUSED,
                &[("count", &self.bad_row_count())],
            )
        } else {
            text(lang, key::IMPORT_REPORT_FILE_REFUSED).to_owned()
        };
        std::iter::once(summary)
            .chain(self.messages(lang))
            .collect::<Vec<_>>()
            .join("\n")
    }
}

fn bad_rows(errors: &[RowError]) -> usize {
    errors.iter().map(|e| e.row).collect::<BTreeSet<_>>().len()
}

/// Refuses files over the byte limit and empty files.
pub(crate) fn check_size(bytes: &[u8], limits: &ImportLimits) -> Result<(), ImportReport> {
    if bytes.len() > limits.max_bytes {
        return Err(ImportReport::file(FileError::TooLarge {
            size: u64::try_from(bytes.len()).unwrap_or(u64::MAX),
            limit: u64::try_from(limits.max_bytes).unwrap_or(u64::MAX),
        }));
    }
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(ImportReport::file(FileError::Empty));
    }
    Ok(())
}

/// Builds a question from a draft filled from a text format, turning "required" errors on
/// fields the format cannot carry into [`RowErrorReason::MissingInFormat`].
pub(crate) fn build_text_question(
    draft: &QuestionDraft,
    line: u32,
    format: &str,
    fields_from_defaults: &[Field],
    errors: &mut Vec<RowError>,
) -> Option<Question> {
    match Question::from_draft(draft) {
        Ok(q) => Some(q),
        Err(field_errors) => {
            for e in field_errors {
                let reason = if e.reason == FieldErrorReason::Required
                    && fields_from_defaults.contains(&e.field)
                {
                    RowErrorReason::MissingInFormat {
                        field: e.field,
                        format: format.to_owned(),
                    }
                } else {
                    RowErrorReason::Field {
                        field: e.field,
                        reason: e.reason,
                    }
                };
                errors.push(RowError {
                    row: line,
                    column: Some(crate::template::header(e.field)),
                    reason,
                });
            }
            None
        }
    }
}

/// Wraps up a text-format parse: every question, or the report.
pub(crate) fn finish(
    rows: Vec<ImportedRow>,
    errors: Vec<RowError>,
) -> Result<ImportedFile, ImportReport> {
    if !errors.is_empty() {
        return Err(ImportReport {
            file_errors: Vec::new(),
            row_errors: errors,
        });
    }
    if rows.is_empty() {
        return Err(ImportReport::file(FileError::NoQuestions));
    }
    Ok(ImportedFile {
        rows,
        ..ImportedFile::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn row_errors_name_row_column_and_reason_in_both_languages() {
        let e = RowError {
            row: 7,
            column: Some("答案".into()),
            reason: RowErrorReason::Field {
                field: Field::Answer,
                reason: FieldErrorReason::AnswerLetterWithoutOption {
                    letter: 'E',
                    last: Some('D'),
                },
            },
        };
        assert_eq!(
            e.message(Lang::Zh),
            "第 7 行「答案」:答案“E”没有对应的选项:请填写选项E,或把答案改为 A–D 中的字母"
        );
        assert_eq!(
            e.message(Lang::En),
            "row 7, column 答案: Answer letter E has no option: fill in 选项E or use a letter from A–D"
        );
    }

    #[test]
    fn file_errors_say_how_to_fix_the_file() {
        assert!(
            FileError::NotUtf8 { line: 3 }
                .message(Lang::Zh)
                .contains("请将文件另存为 UTF-8 编码")
        );
        for e in [
            FileError::CsvUtf16,
            FileError::CsvShiftJis,
            FileError::CsvUnknownEncoding { line: 2 },
        ] {
            assert!(
                e.message(Lang::Zh)
                    .contains("请另存为 UTF-8 或 GB18030 (CSV 逗号分隔)"),
                "{e:?}"
            );
            assert!(e.message(Lang::En).contains("UTF-8 or GB18030"), "{e:?}");
        }
        assert!(
            FileError::CsvShiftJis
                .message(Lang::En)
                .contains("Shift-JIS")
        );
        assert!(FileError::CsvUtf16.message(Lang::Zh).contains("UTF-16"));
        let missing = FileError::MissingColumns {
            sheet: Some("Sheet1".into()),
            missing: vec!["题干".into(), "答案".into()],
        };
        assert!(
            missing
                .message(Lang::Zh)
                .contains("工作表“Sheet1”缺少必填列:题干、答案")
        );
        assert!(missing.message(Lang::En).contains("题干, 答案"));
        assert!(
            FileError::TooLarge {
                size: 100 * 1024 * 1024,
                limit: 50 * 1024 * 1024
            }
            .message(Lang::Zh)
            .contains("100.0 MB")
        );
    }

    #[test]
    fn the_report_summarises_and_lists_every_problem() {
        let report = ImportReport {
            file_errors: vec![],
            row_errors: vec![
                RowError {
                    row: 2,
                    column: None,
                    reason: RowErrorReason::MergedCell {
                        range: "A2:A3".into(),
                    },
                },
                RowError {
                    row: 2,
                    column: Some("题干".into()),
                    reason: RowErrorReason::ErrorValue {
                        value: "#N/A".into(),
                    },
                },
            ],
        };
        assert_eq!(report.bad_row_count(), 1);
        let text = report.message(Lang::Zh);
        assert!(text.starts_with("1 行有错误,未导入任何题目"));
        assert_eq!(text.lines().count(), 3);
        let json = serde_json::to_string(&report).unwrap();
        assert!(json.contains("merged_cell"));
    }

    #[test]
    fn oversized_and_empty_inputs_are_refused_before_parsing() {
        let limits = ImportLimits {
            max_bytes: 10,
            ..ImportLimits::DEFAULT
        };
        assert_eq!(
            check_size(&[b'a'; 11], &limits).unwrap_err().file_errors,
            vec![FileError::TooLarge {
                size: 11,
                limit: 10
            }]
        );
        assert_eq!(
            check_size(b" \r\n", &limits).unwrap_err().file_errors,
            vec![FileError::Empty]
        );
        assert!(check_size(b"a", &limits).is_ok());
    }
}
