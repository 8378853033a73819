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
use crate::lang::{Lang, Localized, pick};
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
pub enum FileError {
    /// No bytes, or nothing but whitespace.
    #[error("the file is empty: fill in the import template and upload it again")]
    Empty,
    /// Over [`ImportLimits::max_bytes`].
    #[error("the file is too large ({size} bytes, at most {limit}): split it into several files")]
    TooLarge {
        /// Size found.
        size: u64,
        /// Limit.
        limit: u64,
    },
    /// A GIFT or Aiken text file that is not UTF-8.
    #[error(
        "the file is not UTF-8 encoded (unreadable from line {line}): save it as UTF-8 (in Notepad: Save as → Encoding: UTF-8)"
    )]
    NotUtf8 {
        /// First line with invalid bytes.
        line: u64,
    },
    /// A UTF-16 GIFT or Aiken text file (Notepad's “Unicode”).
    #[error("the file is UTF-16 encoded: save it as UTF-8 (in Notepad: Save as → Encoding: UTF-8)")]
    Utf16,
    /// A `.csv` in UTF-16 (Excel's “Unicode Text”): a byte-order mark, or NUL bytes on one side of
    /// most byte pairs.
    #[error(
        "the file is UTF-16 encoded (Excel “Unicode Text”): {}",
        SAVE_CSV_AS_EN
    )]
    CsvUtf16,
    /// A `.csv` that looks like Japanese Shift-JIS text.
    #[error(
        "the file's encoding is not recognised (perhaps Shift-JIS, Japanese): {}",
        SAVE_CSV_AS_EN
    )]
    CsvShiftJis,
    /// A `.csv` that is neither UTF-8 nor GB18030 text: another code page, or not a text file.
    #[error(
        "the file is neither UTF-8 nor GB18030 encoded text (unreadable from line {line}; another encoding, or not a text file): {}",
        SAVE_CSV_AS_EN
    )]
    CsvUnknownEncoding {
        /// First line that neither encoding reads (or that holds characters GB18030 text hardly
        /// ever does).
        line: u64,
    },
    /// Not an `.xlsx` workbook at all.
    #[error(
        "the file is not an .xlsx workbook: save it as “Excel Workbook (*.xlsx)” and upload that"
    )]
    NotXlsx,
    /// An old binary `.xls`, or a password-protected workbook (both are OLE containers).
    #[error(
        "this is an old .xls file or a password-protected workbook: save it as “Excel Workbook (*.xlsx)” without a password"
    )]
    LegacyOrEncryptedWorkbook,
    /// The workbook's parts unpack to more than [`ImportLimits::max_unpacked_bytes`].
    #[error(
        "the workbook unpacks to {size} bytes, more than {limit}: remove unrelated sheets and pictures, or split it"
    )]
    UnpackedTooLarge {
        /// Declared unpacked size.
        size: u64,
        /// Limit.
        limit: u64,
    },
    /// The workbook is damaged.
    #[error("the workbook cannot be read ({detail}): open it in Excel and save it again")]
    Unreadable {
        /// What the reader said.
        detail: String,
    },
    /// A workbook without worksheets.
    #[error("the workbook has no worksheet: use the import template")]
    NoWorksheet,
    /// Required columns are missing from the header row.
    #[error("{}required columns are missing: {}. Use the import template; its first row names the columns", sheet_prefix_en(.sheet.as_deref()), .missing.join(", "))]
    MissingColumns {
        /// The worksheet, for `.xlsx`.
        sheet: Option<String>,
        /// The missing columns' names (题型, 题干, …).
        missing: Vec<String>,
    },
    /// Two headers name the same column.
    #[error("column {column} appears more than once (headers {}): delete the extra column", .headers.join(", "))]
    DuplicateColumn {
        /// The template column.
        column: String,
        /// The headers in the file that mean it.
        headers: Vec<String>,
    },
    /// More question rows than [`ImportLimits::max_rows`].
    #[error("the file has more than {limit} question rows: split it into several files")]
    TooManyRows {
        /// Limit.
        limit: usize,
    },
    /// A header but no question.
    #[error(
        "the file has column names but no questions: fill in questions from the row below the header"
    )]
    NoQuestions,
    /// A table (read by `tabular`) whose first row holds data instead of column names.
    #[error("{}the header row must name the columns, but cell {cell} holds “{value}”, which looks like data: insert a row with the column names above the data", sheet_prefix_en(.sheet.as_deref()))]
    NoHeaderRow {
        /// The worksheet, for `.xlsx`.
        sheet: Option<String>,
        /// The cell, e.g. `B1`.
        cell: String,
        /// Its content (at most 40 characters).
        value: String,
    },
    /// A table's header row leaves columns of the table without a name.
    #[error("{}the header row gives no column name in {}: fill in every column's name, or delete the column", sheet_prefix_en(.sheet.as_deref()), .cells.join(", "))]
    EmptyHeader {
        /// The worksheet, for `.xlsx`.
        sheet: Option<String>,
        /// The empty header cells, e.g. `C1`.
        cells: Vec<String>,
    },
    /// A table's header row names two columns alike (ignoring case, width and spaces).
    #[error("{}the column name “{header}” appears more than once ({}): delete the extra column or rename it", sheet_prefix_en(.sheet.as_deref()), .cells.join(", "))]
    DuplicateHeader {
        /// The worksheet, for `.xlsx`.
        sheet: Option<String>,
        /// The name, as first written.
        header: String,
        /// The header cells that give it, e.g. `A1`, `D1`.
        cells: Vec<String>,
    },
    /// A table with more rows below its header than [`ImportLimits::max_rows`].
    #[error("the table has more than {limit} rows below the header: split it into several files")]
    TooManyTableRows {
        /// Limit.
        limit: usize,
    },
}

/// How to save a `.csv` so that it can be read, in English and in Chinese.
const SAVE_CSV_AS_EN: &str = "save it as UTF-8 or GB18030 (CSV, comma delimited): in Excel “CSV UTF-8 (Comma delimited)”, or “CSV (Comma delimited)” on Chinese Windows";
const SAVE_CSV_AS_ZH: &str = "请另存为 UTF-8 或 GB18030 (CSV 逗号分隔),即 Excel 中的“CSV UTF-8(逗号分隔)”,或中文 Windows 上的“CSV(逗号分隔)”";

fn sheet_prefix_en(sheet: Option<&str>) -> String {
    sheet.map_or_else(String::new, |s| format!("worksheet “{s}”: "))
}

fn sheet_prefix_zh(sheet: Option<&str>) -> String {
    sheet.map_or_else(String::new, |s| format!("工作表“{s}”:"))
}

fn megabytes(bytes: u64) -> String {
    #[expect(clippy::cast_precision_loss, reason = "a rounded figure for people")]
    let mb = bytes as f64 / (1024.0 * 1024.0);
    format!("{mb:.1}")
}

impl Localized for FileError {
    fn message(&self, lang: Lang) -> String {
        let zh = match self {
            Self::Empty => "文件是空的:请使用导入模板填写内容后再上传".to_owned(),
            Self::TooLarge { size, limit } => format!(
                "文件太大({} MB,上限 {} MB):请拆分成多个文件分批导入",
                megabytes(*size),
                megabytes(*limit)
            ),
            Self::NotUtf8 { line } => format!(
                "文件不是 UTF-8 编码(从第 {line} 行起无法识别):请将文件另存为 UTF-8 编码(记事本中“另存为”→编码选择“UTF-8”)"
            ),
            Self::Utf16 => "文件是 UTF-16 编码:请将文件另存为 UTF-8 编码(记事本中“另存为”→编码选择“UTF-8”)".to_owned(),
            Self::CsvUtf16 => format!("文件是 UTF-16 编码(Excel 的“Unicode 文本”):{SAVE_CSV_AS_ZH}"),
            Self::CsvShiftJis => format!("无法识别文件的编码(可能是日文 Shift-JIS 编码):{SAVE_CSV_AS_ZH}"),
            Self::CsvUnknownEncoding { line } => format!(
                "文件既不是 UTF-8 也不是 GB18030 编码的文本(从第 {line} 行起无法识别,可能是其他编码,或不是文本文件):{SAVE_CSV_AS_ZH}"
            ),
            Self::NotXlsx => "文件不是有效的 .xlsx 工作簿:请在 Excel 中另存为“Excel 工作簿(*.xlsx)”后再上传".to_owned(),
            Self::LegacyOrEncryptedWorkbook => "这是旧版 .xls 文件或设有密码的工作簿:请在 Excel 中取消密码,另存为“Excel 工作簿(*.xlsx)”后再上传".to_owned(),
            Self::UnpackedTooLarge { size, limit } => format!(
                "工作簿解压后过大({} MB,上限 {} MB):请删除无关的工作表和图片,或拆分文件",
                megabytes(*size),
                megabytes(*limit)
            ),
            Self::Unreadable { detail } => {
                format!("工作簿已损坏,无法读取({detail}):请在 Excel 中打开并重新保存")
            }
            Self::NoWorksheet => "工作簿中没有工作表:请使用导入模板".to_owned(),
            Self::MissingColumns { sheet, missing } => format!(
                "{}缺少必填列:{}。请使用导入模板,第一行为列名:题型、题干、选项A…选项H、答案、难度、考试类别、执法领域、法律依据、知识点、解析",
                sheet.as_deref().map_or_else(String::new, |s| format!("工作表“{s}”")),
                missing.join("、")
            ),
            Self::DuplicateColumn { column, headers } => format!(
                "“{column}”列出现了不止一次(列名:{}):请删除多余的列",
                headers.join("、")
            ),
            Self::TooManyRows { limit } => {
                format!("题目超过 {limit} 行:请拆分成多个文件分批导入")
            }
            Self::NoQuestions => "文件中只有列名,没有题目:请从列名的下一行开始填写题目".to_owned(),
            Self::NoHeaderRow { sheet, cell, value } => format!(
                "{}列名行应填写各列的名称,但单元格 {cell} 的内容“{value}”像是数据:请在数据上方插入一行列名",
                sheet_prefix_zh(sheet.as_deref())
            ),
            Self::EmptyHeader { sheet, cells } => format!(
                "{}列名行的 {} 没有列名:请为每一列填写列名,或删除该列",
                sheet_prefix_zh(sheet.as_deref()),
                cells.join("、")
            ),
            Self::DuplicateHeader {
                sheet,
                header,
                cells,
            } => format!(
                "{}列名“{header}”出现了不止一次({}):请删除多余的列或修改列名",
                sheet_prefix_zh(sheet.as_deref()),
                cells.join("、")
            ),
            Self::TooManyTableRows { limit } => {
                format!("表格超过 {limit} 行(不含列名行):请拆分成多个文件分批导入")
            }
        };
        pick(lang, zh, self.to_string())
    }
}

/// Why one row (or one GIFT/Aiken question) was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RowErrorReason {
    /// A field of the question is wrong.
    #[error("{}", .reason.describe(*.field, Lang::En))]
    Field {
        /// The field.
        field: Field,
        /// Why.
        reason: FieldErrorReason,
    },
    /// A formula cell without a cached result.
    #[error(
        "the cell holds the formula ={formula} but no computed value: open the file in Excel and save it, or replace the formula by its value"
    )]
    FormulaWithoutValue {
        /// The formula text.
        formula: String,
    },
    /// A spreadsheet error value such as `#N/A`.
    #[error("the cell holds the error value {value}: fix the formula or type the content")]
    ErrorValue {
        /// The error shown by Excel.
        value: String,
    },
    /// An empty cell covered by a merged range.
    #[error("the cell is part of the merged range {range}: unmerge it and fill in every row")]
    MergedCell {
        /// The merged range, e.g. `F2:F9`.
        range: String,
    },
    /// A value the format cannot carry and no default supplies.
    #[error("the {format} file gives no {}: choose a default when importing{}", .field.label_en(), if *.format == "GIFT" { ", or add a // meta: line before the question" } else { "" })]
    MissingInFormat {
        /// The field.
        field: Field,
        /// `GIFT` or `Aiken`.
        format: String,
    },
    /// A GIFT syntax problem.
    #[error("{0}")]
    Gift(GiftProblem),
    /// An Aiken syntax problem.
    #[error("{0}")]
    Aiken(AikenProblem),
}

impl Localized for RowErrorReason {
    fn message(&self, lang: Lang) -> String {
        match self {
            Self::Field { field, reason } => reason.describe(*field, lang),
            Self::Gift(p) => p.message(lang),
            Self::Aiken(p) => p.message(lang),
            Self::FormulaWithoutValue { formula } => pick(
                lang,
                format!(
                    "单元格是公式(={formula}),但没有计算结果:请在 Excel 中打开并保存一次,或把公式替换为数值(复制后“选择性粘贴→数值”)"
                ),
                self.to_string(),
            ),
            Self::ErrorValue { value } => pick(
                lang,
                format!("单元格是错误值 {value}:请修正公式,或直接填写内容"),
                self.to_string(),
            ),
            Self::MergedCell { range } => pick(
                lang,
                format!("单元格属于合并单元格 {range}:请取消合并,并在每一行分别填写"),
                self.to_string(),
            ),
            Self::MissingInFormat { field, format } => {
                let label = field.label_zh();
                let meta = if format == "GIFT" {
                    ",或在题目前加上 // meta: 行"
                } else {
                    ""
                };
                pick(
                    lang,
                    format!("{format} 文件中没有“{label}”:请在导入时选择默认{label}{meta}"),
                    self.to_string(),
                )
            }
        }
    }
}

/// One bad row: where, and why.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[error("row {row}{}: {reason}", .column.as_deref().map(|c| format!(", column {c}")).unwrap_or_default())]
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
        match (lang, &self.column) {
            (Lang::Zh, Some(c)) => format!("第 {} 行「{c}」:{reason}", self.row),
            (Lang::Zh, None) => format!("第 {} 行:{reason}", self.row),
            (Lang::En, Some(c)) => format!("row {}, column {c}: {reason}", self.row),
            (Lang::En, None) => format!("row {}: {reason}", self.row),
        }
    }
}

/// Everything wrong with a file that was not imported.
#[derive(Debug, Clone, PartialEq, Eq, Default, Error, Serialize, Deserialize)]
#[error("{} file problem(s), {} bad row(s)", .file_errors.len(), bad_rows(.row_errors))]
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
        let summary = match lang {
            Lang::Zh if self.file_errors.is_empty() => format!(
                "{} 行有错误,未导入任何题目。请修改后重新上传:",
                self.bad_row_count()
            ),
            Lang::Zh => "文件有错误,未导入任何题目:".to_owned(),
            Lang::En if self.file_errors.is_empty() => format!(
                "{} row(s) have errors; nothing was imported. Fix them and upload again:",
                self.bad_row_count()
            ),
            Lang::En => "The file has errors; nothing was imported:".to_owned(),
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
                    column: Some(e.field.label_zh()),
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
