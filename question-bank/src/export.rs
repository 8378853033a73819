//! Export of questions to the template (`.xlsx`, `.csv`) and to GIFT, so that every export
//! re-imports to the same questions.
//!
//! The `.xlsx` has a sheet 题库 with the Chinese header row and one question per row, plus a
//! sheet 说明 explaining the columns; `.csv` is UTF-8 with BOM (so Excel shows Chinese) and CRLF,
//! and cells a spreadsheet would take for a formula are led by `'` (undone on import). GIFT
//! carries our metadata in a `// meta:` comment line (see [`import`](crate::import)'s GIFT
//! notes). The export includes answer keys: it is for authors, never for candidates.

use std::fmt::Write as _;

use thiserror::Error;

use crate::classify::QuestionType;
use crate::import::gift::{MetaOut, gift_text};
use crate::lang::{Lang, Localized, key, render, text};
use crate::question::Question;
use crate::text::Tag;

/// Why an export could not be written.
#[derive(Debug, Error)]
#[error("{}", self.message(Lang::En))]
pub enum ExportError {
    /// The spreadsheet writer failed.
    Spreadsheet(String),
}

impl Localized for ExportError {
    fn message(&self, lang: Lang) -> String {
        match self {
            Self::Spreadsheet(detail) => {
                render(lang, key::EXPORT_SPREADSHEET, &[("detail", detail)])
            }
        }
    }
}

/// Writes questions as a template `.csv`.
///
/// # Errors
/// [`ExportError::Spreadsheet`] if the CSV writer fails (it writes to memory, so only on a bug).
#[cfg(feature = "files")]
pub fn to_csv(questions: &[Question]) -> Result<Vec<u8>, ExportError> {
    use crate::template::{COLUMNS, header, row_values};

    let names: Vec<String> = COLUMNS.iter().map(|f| header(*f)).collect();
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let rows: Vec<Vec<Cell>> = questions
        .iter()
        .map(|q| row_values(q).into_iter().map(Cell::Text).collect())
        .collect();
    table_csv(&names, &rows)
}

/// Writes questions as a template `.xlsx` (sheet 题库, plus 说明).
///
/// # Errors
/// [`ExportError::Spreadsheet`] if the workbook cannot be written.
#[cfg(feature = "files")]
pub fn to_xlsx(questions: &[Question]) -> Result<Vec<u8>, ExportError> {
    use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook};

    use crate::question::Field;
    use crate::template::{COLUMNS, header, row_values};

    let fail = |e: rust_xlsxwriter::XlsxError| ExportError::Spreadsheet(e.to_string());
    let mut workbook = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x00DD_E6F2))
        .set_border(FormatBorder::Thin);
    let wrap = Format::new().set_text_wrap();
    let sheet = workbook.add_worksheet();
    sheet.set_name("题库").map_err(fail)?;
    for (col, field) in COLUMNS.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        sheet
            .write_string_with_format(0, col, header(*field), &head)
            .map_err(fail)?;
        let width = match field {
            Field::Stem => 50.0,
            Field::LegalBasis | Field::Explanation => 36.0,
            Field::Option(_) | Field::Tags => 18.0,
            Field::ExamKind | Field::EnforcementField => 14.0,
            _ => 8.0,
        };
        sheet.set_column_width(col, width).map_err(fail)?;
    }
    sheet.set_freeze_panes(1, 0).map_err(fail)?;
    for (i, question) in questions.iter().enumerate() {
        let row = u32::try_from(i + 1).unwrap_or(u32::MAX);
        for (col, (field, value)) in COLUMNS.iter().zip(row_values(question)).enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            if value.is_empty() {
                continue;
            }
            match field {
                Field::Difficulty => {
                    sheet
                        .write_number(row, col, f64::from(question.difficulty().get()))
                        .map_err(fail)?;
                }
                Field::Stem | Field::Explanation => {
                    sheet
                        .write_string_with_format(row, col, value, &wrap)
                        .map_err(fail)?;
                }
                _ => {
                    sheet.write_string(row, col, value).map_err(fail)?;
                }
            }
        }
    }
    let notes = workbook.add_worksheet();
    notes.set_name("说明").map_err(fail)?;
    notes.set_column_width(0, 14.0).map_err(fail)?;
    notes.set_column_width(1, 90.0).map_err(fail)?;
    // The template is the Chinese authors' document: its notes are in Chinese.
    for (i, (column, note)) in TEMPLATE_NOTES.iter().enumerate() {
        let row = u32::try_from(i).unwrap_or(u32::MAX);
        let column = column.unwrap_or_else(|| text(Lang::Zh, key::EXPORT_NOTES_COLUMN));
        notes.write_string(row, 0, column).map_err(fail)?;
        notes
            .write_string(row, 1, text(Lang::Zh, *note))
            .map_err(fail)?;
    }
    workbook.save_to_buffer().map_err(fail)
}

/// An empty template `.xlsx` for authors to fill in.
///
/// # Errors
/// [`ExportError::Spreadsheet`] if the workbook cannot be written.
#[cfg(feature = "files")]
pub fn template_xlsx() -> Result<Vec<u8>, ExportError> {
    to_xlsx(&[])
}

/// The rows of the sheet 说明: a column (its header, which is file syntax; `None` for the
/// heading row) and how to fill it in.
#[cfg(feature = "files")]
const TEMPLATE_NOTES: [(Option<&str>, crate::lang::Key); 11] = [
    (None, key::EXPORT_NOTES_HEADING),
    (Some("题型"), key::EXPORT_NOTES_QUESTION_TYPE),
    (Some("题干"), key::EXPORT_NOTES_STEM),
    (Some("选项A…选项H"), key::EXPORT_NOTES_OPTIONS),
    (Some("答案"), key::EXPORT_NOTES_ANSWER),
    (Some("难度"), key::EXPORT_NOTES_DIFFICULTY),
    (Some("考试类别"), key::EXPORT_NOTES_EXAM_KIND),
    (Some("执法领域"), key::EXPORT_NOTES_ENFORCEMENT_FIELD),
    (Some("法律依据"), key::EXPORT_NOTES_LEGAL_BASIS),
    (Some("知识点"), key::EXPORT_NOTES_TAGS),
    (Some("解析"), key::EXPORT_NOTES_EXPLANATION),
];

/// Writes questions as Moodle GIFT, with our metadata in `// meta:` lines.
pub fn to_gift(questions: &[Question]) -> String {
    // A GIFT comment for the Chinese authors who open the file.
    let mut out = format!("// {}\n\n", text(Lang::Zh, key::EXPORT_GIFT_HEADER));
    for (i, q) in questions.iter().enumerate() {
        let meta = MetaOut {
            exam_kind: q.exam_kind().keyword(),
            field: q.field().map(|f| f.as_str()),
            difficulty: q.difficulty().get(),
            legal_basis: q.legal_basis().as_str(),
            tags: q.tags().iter().map(Tag::as_str).collect(),
        };
        let meta = serde_json::to_string(&meta).unwrap_or_else(|_| "{}".to_owned());
        let _ = writeln!(out, "// meta: {meta}");
        let _ = writeln!(out, "::Q{}::{}{{", i + 1, gift_text(q.stem().as_str()));
        let key = q.answer_key();
        match q.question_type() {
            QuestionType::TrueFalse => {
                let answer = if key.as_true_false() == Some(true) {
                    "TRUE"
                } else {
                    "FALSE"
                };
                let _ = writeln!(out, "\t{answer}");
            }
            QuestionType::Single => {
                for (index, option) in q.options().iter().enumerate() {
                    let text = option.as_str();
                    // A leading % would read as a weight: make the weight explicit.
                    let (marker, weight) =
                        match (key.is_correct_option(index), text.starts_with('%')) {
                            (true, false) => ("=", ""),
                            (true, true) => ("=", "%100%"),
                            (false, false) => ("~", ""),
                            (false, true) => ("~", "%0%"),
                        };
                    let _ = writeln!(out, "\t{marker}{weight}{}", gift_text(text));
                }
            }
            QuestionType::Multiple => {
                let correct = key.correct_options().len().max(1);
                let share = weight(correct);
                for (index, option) in q.options().iter().enumerate() {
                    let weight = if key.is_correct_option(index) {
                        share.as_str()
                    } else {
                        "-100"
                    };
                    let _ = writeln!(out, "\t~%{weight}%{}", gift_text(option.as_str()));
                }
            }
        }
        if let Some(explanation) = q.explanation() {
            let _ = writeln!(out, "\t####{}", gift_text(explanation.as_str()));
        }
        out.push_str("}\n\n");
    }
    out
}

/// Moodle's weight for one of `n` correct answers: 50, 33.33333, 25, 20, 16.66667, …
fn weight(n: usize) -> String {
    let n = u32::try_from(n).unwrap_or(1).max(1);
    let w = 100.0 / f64::from(n);
    let text = format!("{w:.5}");
    text.trim_end_matches('0').trim_end_matches('.').to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::{ImportDefaults, parse_gift};
    use crate::question::QuestionDraft;
    use crate::question::tests::single_draft;

    fn sample() -> Vec<Question> {
        [
            single_draft(),
            QuestionDraft {
                question_type: "多选".into(),
                stem: "含特殊字符 {=~#:} 与\n换行".into(),
                options: vec!["%50%甲".into(), "乙".into(), "=丙".into()],
                answer: "AC".into(),
                exam_kind: "专业".into(),
                field: "生态环境".into(),
                tags: String::new(),
                ..single_draft()
            },
            QuestionDraft {
                question_type: "判断".into(),
                stem: "[html]<b>不是 HTML</b>".into(),
                options: vec![],
                answer: "错".into(),
                explanation: String::new(),
                ..single_draft()
            },
            QuestionDraft {
                options: vec!["%甲".into(), "乙".into()],
                answer: "A".into(),
                ..single_draft()
            },
        ]
        .iter()
        .map(|d| Question::from_draft(d).unwrap())
        .collect()
    }

    #[test]
    fn gift_export_reimports_to_the_same_questions() {
        let questions = sample();
        let gift = to_gift(&questions);
        let imported = parse_gift(gift.as_bytes(), &ImportDefaults::default()).unwrap();
        assert_eq!(imported.questions().cloned().collect::<Vec<_>>(), questions);
    }

    #[test]
    fn gift_export_uses_moodle_weights_for_multiple_answers() {
        assert_eq!(weight(2), "50");
        assert_eq!(weight(3), "33.33333");
        assert_eq!(weight(8), "12.5");
        let gift = to_gift(&sample());
        assert!(gift.contains("\t~%50%%50%甲"));
        assert!(gift.contains("\t~%-100%乙"));
        assert!(gift.contains("// meta: {\"exam_kind\":\"专业法律知识\",\"field\":\"生态环境\""));
    }

    #[cfg(feature = "files")]
    #[test]
    fn csv_export_reimports_to_the_same_questions() {
        let questions = sample();
        let csv = to_csv(&questions).unwrap();
        assert!(csv.starts_with(&[0xEF, 0xBB, 0xBF]));
        let imported = crate::import::parse_csv(&csv).unwrap();
        assert_eq!(imported.questions().cloned().collect::<Vec<_>>(), questions);
    }

    #[cfg(feature = "files")]
    #[test]
    fn csv_export_guards_cells_against_formula_injection() {
        let q = Question::from_draft(&QuestionDraft {
            options: vec!["=HYPERLINK(\"x\")".into(), "-1".into()],
            ..single_draft()
        })
        .unwrap();
        let csv = String::from_utf8(to_csv(std::slice::from_ref(&q)).unwrap()).unwrap();
        assert!(csv.contains("'=HYPERLINK"));
        assert!(csv.contains(",'-1,"));
        let imported = crate::import::parse_csv(csv.as_bytes()).unwrap();
        assert_eq!(imported.rows[0].question, q);
    }

    #[cfg(feature = "files")]
    #[test]
    fn xlsx_export_reimports_to_the_same_questions() {
        let questions = sample();
        let xlsx = to_xlsx(&questions).unwrap();
        let imported = crate::import::parse_xlsx(&xlsx).unwrap();
        assert_eq!(imported.sheet.as_deref(), Some("题库"));
        assert_eq!(imported.questions().cloned().collect::<Vec<_>>(), questions);
        assert_eq!(imported.rows[0].row, 2);
    }

    #[cfg(feature = "files")]
    #[test]
    fn the_empty_template_has_the_header_and_no_questions() {
        let report = crate::import::parse_xlsx(&template_xlsx().unwrap()).unwrap_err();
        assert_eq!(
            report.file_errors,
            vec![crate::import::FileError::NoQuestions]
        );
    }
}

/// One cell of a plain table ([`table_csv`], [`table_xlsx`]).
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Number(f64),
}

impl Cell {
    #[cfg(feature = "files")]
    fn as_text(&self) -> String {
        match self {
            Cell::Text(t) => t.clone(),
            Cell::Number(n) => n.to_string(),
        }
    }
}

/// Writes a plain table as `.csv`: UTF-8 with BOM, CRLF, formula-looking text led by `'`.
///
/// # Errors
/// [`ExportError::Spreadsheet`] if the CSV writer fails (it writes to memory, so only on a bug).
#[cfg(feature = "files")]
pub fn table_csv(header: &[&str], rows: &[Vec<Cell>]) -> Result<Vec<u8>, ExportError> {
    use crate::import::csv_guard;

    let mut out = vec![0xEF, 0xBB, 0xBF];
    {
        let mut writer = ::csv::WriterBuilder::new()
            .terminator(::csv::Terminator::CRLF)
            .from_writer(&mut out);
        let fail = |e: ::csv::Error| ExportError::Spreadsheet(e.to_string());
        writer.write_record(header).map_err(fail)?;
        for row in rows {
            writer
                .write_record(row.iter().map(|c| csv_guard(&c.as_text()).into_owned()))
                .map_err(fail)?;
        }
        writer
            .flush()
            .map_err(|e| ExportError::Spreadsheet(e.to_string()))?;
    }
    Ok(out)
}

/// Writes a plain table as an `.xlsx` of one sheet named `sheet`, the header row bold and
/// frozen, `title_lines` (if any) above it.
///
/// # Errors
/// [`ExportError::Spreadsheet`] if the workbook cannot be written.
#[cfg(feature = "files")]
pub fn table_xlsx(
    sheet: &str,
    title_lines: &[String],
    header: &[&str],
    rows: &[Vec<Cell>],
) -> Result<Vec<u8>, ExportError> {
    use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook};

    let fail = |e: rust_xlsxwriter::XlsxError| ExportError::Spreadsheet(e.to_string());
    let mut workbook = Workbook::new();
    let head = Format::new()
        .set_bold()
        .set_background_color(Color::RGB(0x00DD_E6F2))
        .set_border(FormatBorder::Thin);
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet).map_err(fail)?;
    let to_row = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
    for (i, line) in title_lines.iter().enumerate() {
        worksheet.write_string(to_row(i), 0, line).map_err(fail)?;
    }
    let top = to_row(title_lines.len());
    for (col, name) in header.iter().enumerate() {
        let col = u16::try_from(col).unwrap_or(u16::MAX);
        worksheet
            .write_string_with_format(top, col, *name, &head)
            .map_err(fail)?;
        worksheet.set_column_width(col, 16.0).map_err(fail)?;
    }
    worksheet.set_freeze_panes(top + 1, 0).map_err(fail)?;
    for (i, row) in rows.iter().enumerate() {
        let r = top + 1 + to_row(i);
        for (col, cell) in row.iter().enumerate() {
            let col = u16::try_from(col).unwrap_or(u16::MAX);
            match cell {
                Cell::Text(t) => worksheet.write_string(r, col, t).map_err(fail)?,
                Cell::Number(n) => worksheet.write_number(r, col, *n).map_err(fail)?,
            };
        }
    }
    workbook.save_to_buffer().map_err(fail)
}
