//! The template as `.csv`: UTF-8 with or without BOM, or GB18030 (Excel's “CSV (逗号分隔)” on
//! Chinese Windows), CRLF or LF, comma- (or tab-) separated.
//!
//! Any other encoding is refused as a file error that says how to re-save the file (see
//! [`encoding`](super::encoding)). Cells that the exporter guarded against formula injection
//! (`'=…`) are unguarded here.

use super::encoding::decode_csv;
use super::table::{Cell, Grid, SheetRow, parse_grid};
use super::{FileError, ImportLimits, ImportReport, ImportedFile, check_size};

/// Columns past this are ignored (the template has 17).
const MAX_COLUMNS: usize = 256;

/// Reads a template `.csv` with [`ImportLimits::DEFAULT`].
///
/// # Errors
/// An [`ImportReport`] with every problem when any row (or the file) is not valid.
pub fn parse_csv(bytes: &[u8]) -> Result<ImportedFile, ImportReport> {
    parse_csv_with(bytes, &ImportLimits::DEFAULT)
}

/// Reads a template `.csv` within `limits`.
///
/// # Errors
/// An [`ImportReport`] with every problem when any row (or the file) is not valid.
pub fn parse_csv_with(bytes: &[u8], limits: &ImportLimits) -> Result<ImportedFile, ImportReport> {
    let grid = read_csv_grid(bytes, limits)?;
    parse_grid(&grid, limits)
}

/// Decodes a `.csv` file (size checks; UTF-8 or GB18030, else refused) and reads its non-blank
/// rows, bounded by `limits`; shared by the question importer and [`tabular`](crate::tabular).
pub(crate) fn read_csv_grid(bytes: &[u8], limits: &ImportLimits) -> Result<Grid, ImportReport> {
    check_size(bytes, limits)?;
    let text = decode_csv(bytes).map_err(ImportReport::file)?;
    if text.trim().is_empty() {
        return Err(ImportReport::file(FileError::Empty));
    }
    read_grid(&text, limits)
}

fn delimiter(text: &str) -> u8 {
    let first = text.lines().find(|l| !l.trim().is_empty()).unwrap_or("");
    if first.contains('\t') && !first.contains(',') {
        b'\t'
    } else {
        b','
    }
}

fn read_grid(text: &str, limits: &ImportLimits) -> Result<Grid, ImportReport> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter(text))
        .from_reader(text.as_bytes());
    // Generous: blank-in-template rows are only known after the header is found.
    let cap = limits.max_rows.saturating_mul(2).saturating_add(100);
    let mut grid = Grid::default();
    let mut record = ::csv::StringRecord::new();
    // Row numbers as a spreadsheet shows the file: the csv reader skips empty lines, so they
    // are counted back from record positions (a quoted cell may span lines within one row).
    let mut number: u64 = 0;
    let mut next_line: u64 = 1;
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => {
                return Err(ImportReport::file(FileError::Unreadable {
                    detail: e.to_string(),
                }));
            }
        }
        let start_line = record.position().map_or(next_line, ::csv::Position::line);
        number = number
            .saturating_add(start_line.saturating_sub(next_line))
            .saturating_add(1);
        let inner_breaks = record
            .iter()
            .map(|f| f.bytes().filter(|&b| b == b'\n').count())
            .sum::<usize>();
        next_line = start_line
            .saturating_add(u64::try_from(inner_breaks).unwrap_or(0))
            .saturating_add(1);
        let number = u32::try_from(number).unwrap_or(u32::MAX);
        let cells: Vec<(usize, Cell)> = record
            .iter()
            .take(MAX_COLUMNS)
            .enumerate()
            .filter(|(_, v)| !v.trim().is_empty())
            .map(|(col, v)| (col, Cell::Text(unguard(v).to_owned())))
            .collect();
        if cells.is_empty() {
            continue;
        }
        if grid.rows.len() >= cap {
            grid.truncated = true;
            break;
        }
        grid.rows.push(SheetRow { number, cells });
    }
    Ok(grid)
}

/// Undoes the export's formula-injection guard: `'=x` → `=x`, `''=x` → `'=x`.
fn unguard(value: &str) -> &str {
    let after_quotes = value.trim_start_matches('\'');
    if after_quotes.len() < value.len() && after_quotes.starts_with(['=', '+', '-', '@']) {
        value.get(1..).unwrap_or(value)
    } else {
        value
    }
}

/// The export's formula-injection guard: a value that a spreadsheet would take for a formula
/// (`=`, `+`, `-`, `@`, possibly after quotes) gets one more leading `'`.
pub(crate) fn guard(value: &str) -> std::borrow::Cow<'_, str> {
    if value
        .trim_start_matches('\'')
        .starts_with(['=', '+', '-', '@'])
    {
        std::borrow::Cow::Owned(format!("'{value}"))
    } else {
        std::borrow::Cow::Borrowed(value)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::QuestionType;
    use crate::import::RowErrorReason;
    use crate::lang::{Lang, Localized};
    use crate::question::{Field, FieldErrorReason};

    const HEADER: &str =
        "题型,题干,选项A,选项B,选项C,选项D,答案,难度,考试类别,执法领域,法律依据,知识点,解析";

    fn file(rows: &[&str]) -> Vec<u8> {
        let mut text = HEADER.to_owned();
        for row in rows {
            text.push('\n');
            text.push_str(row);
        }
        text.into_bytes()
    }

    const GOOD: &str = "单选题,当事人要求听证的，应当在几日内提出?,三日,五日,七日,十日,C,2,综合法律知识,,《中华人民共和国行政处罚法》第六十四条,听证,";

    #[test]
    fn a_valid_file_imports_every_row_with_its_spreadsheet_row_number() {
        let bytes = file(&[
            GOOD,
            "多选,下列属于行政处罚的有,警告,罚款,拘留,记过,\"A、B、C\",较难,专业,市场监管,《行政处罚法》第九条,种类;处罚,解析文字",
            "判断,行政复议期间具体行政行为不停止执行。,,,,,正确,易,综合,,《行政复议法》第四十二条,,",
        ]);
        let imported = parse_csv(&bytes).unwrap();
        assert_eq!(imported.rows.len(), 3);
        assert_eq!(
            imported.rows.iter().map(|r| r.row).collect::<Vec<_>>(),
            [2, 3, 4]
        );
        let types: Vec<QuestionType> = imported.questions().map(|q| q.question_type()).collect();
        assert_eq!(
            types,
            [
                QuestionType::Single,
                QuestionType::Multiple,
                QuestionType::TrueFalse
            ]
        );
        assert!(imported.ignored_columns.is_empty());
    }

    #[test]
    fn a_bom_and_crlf_line_endings_are_accepted() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend(file(&[GOOD]).iter().copied());
        let text = String::from_utf8(bytes).unwrap().replace('\n', "\r\n");
        assert_eq!(parse_csv(text.as_bytes()).unwrap().rows.len(), 1);
    }

    #[test]
    fn columns_may_come_in_any_order_with_english_headers_and_extra_columns() {
        let text = "No.,Answer,STEM,type,option_b,option_a,difficulty,exam_kind,legal_basis\n\
                    1,b,题干内容,single,乙,甲,3,general,《宪法》第一条\n";
        let imported = parse_csv(text.as_bytes()).unwrap();
        let q = &imported.rows[0].question;
        assert_eq!(q.options()[0].as_str(), "甲");
        assert_eq!(q.answer_key().correct_options(), vec![1]);
        assert_eq!(imported.ignored_columns, vec!["No.".to_owned()]);
    }

    #[test]
    fn blank_rows_are_skipped_but_keep_their_row_numbers() {
        let bytes = file(&["", ",,,,,,,,,,,,", GOOD]);
        let imported = parse_csv(&bytes).unwrap();
        assert_eq!(imported.rows.len(), 1);
        assert_eq!(imported.rows[0].row, 4);
    }

    #[test]
    fn every_bad_row_is_reported_with_row_column_and_reason() {
        let bytes = file(&[
            GOOD,
            "单选题,题干,甲,乙,丙,丁,E,2,综合,,《宪法》第一条,,",
            "判断题,题干二,甲,乙,,,正确,2,综合,,《宪法》第一条,,",
            "单选题,题干三,甲,乙,,,A,2,专业,,《宪法》第一条,,",
        ]);
        let report = parse_csv(&bytes).unwrap_err();
        assert!(report.file_errors.is_empty());
        let summary: Vec<(u32, Option<&str>)> = report
            .row_errors
            .iter()
            .map(|e| (e.row, e.column.as_deref()))
            .collect();
        assert_eq!(
            summary,
            [(3, Some("答案")), (4, Some("选项A")), (5, Some("执法领域"))]
        );
        assert_eq!(
            report.row_errors[0].message(Lang::Zh),
            "第 3 行「答案」:答案“E”没有对应的选项:请填写选项E,或把答案改为 A–D 中的字母"
        );
        assert!(matches!(
            report.row_errors[1].reason,
            RowErrorReason::Field {
                reason: FieldErrorReason::OptionsNotAllowedForTrueFalse { count: 2 },
                ..
            }
        ));
    }

    #[test]
    fn the_report_an_author_reads_lists_every_bad_row_in_chinese() {
        let bytes = file(&[
            GOOD,
            "单选题,题干,甲,乙,丙,丁,AB,2,综合,,《宪法》第一条,,",
            "多选题,,甲,,丙,,A,难,专业,,《宪法》三条,,",
            "判断题,题干,是,否,,,对,2,综合,公安,《宪法》第一条,,",
            "问答题,题干,,,,,略,2,其他,,,,",
        ]);
        let report = parse_csv(&bytes).unwrap_err();
        insta::assert_snapshot!(report.message(Lang::Zh));
        insta::assert_snapshot!("report_en", report.message(Lang::En));
    }

    #[test]
    fn an_option_column_missing_from_the_file_is_named_by_its_template_header() {
        let text = "题型,题干,选项A,答案,难度,考试类别,法律依据\n单选,题干,甲,A,1,综合,《宪法》\n";
        let report = parse_csv(text.as_bytes()).unwrap_err();
        assert_eq!(report.row_errors[0].column.as_deref(), Some("选项B"));
        assert!(matches!(
            report.row_errors[0].reason,
            RowErrorReason::Field {
                field: Field::Option(1),
                reason: FieldErrorReason::TooFewOptions { count: 1 }
            }
        ));
    }

    #[test]
    fn missing_required_columns_are_named() {
        let text = "题型,选项A,选项B,难度\n单选,甲,乙,1\n";
        let report = parse_csv(text.as_bytes()).unwrap_err();
        assert_eq!(
            report.file_errors,
            vec![FileError::MissingColumns {
                sheet: None,
                missing: vec![
                    "题干".into(),
                    "答案".into(),
                    "考试类别".into(),
                    "法律依据".into()
                ],
            }]
        );
    }

    #[test]
    fn duplicate_columns_are_refused() {
        let text = format!("{HEADER},stem\n{GOOD},x\n");
        let report = parse_csv(text.as_bytes()).unwrap_err();
        assert_eq!(
            report.file_errors,
            vec![FileError::DuplicateColumn {
                column: "题干".into(),
                headers: vec!["题干".into(), "stem".into()]
            }]
        );
    }

    #[test]
    fn a_title_row_above_the_header_is_skipped() {
        let text = format!(
            "行政执法资格考试题库导入模板,,,\n{}",
            String::from_utf8(file(&[GOOD])).unwrap()
        );
        let imported = parse_csv(text.as_bytes()).unwrap();
        assert_eq!(imported.rows[0].row, 3);
    }

    #[test]
    fn a_gb18030_file_as_excel_saves_it_on_chinese_windows_imports_like_its_utf8_original() {
        let utf8 = file(&[
            GOOD,
            "多选,下列属于行政处罚的有,警告,罚款,拘留,记过,\"A、B、C\",较难,专业,市场监管,《行政处罚法》第九条,种类;处罚,解析文字",
        ]);
        let text = String::from_utf8(utf8.clone())
            .unwrap()
            .replace('\n', "\r\n");
        let (gb18030, _, unmappable) = encoding_rs::GB18030.encode(&text);
        assert!(!unmappable);
        assert_ne!(&gb18030[..], text.as_bytes());
        assert_eq!(parse_csv(&gb18030).unwrap(), parse_csv(&utf8).unwrap());
        // "题型" in GBK: read, then refused for its missing columns, not its encoding.
        let report = parse_csv(&[0xCC, 0xE2, 0xD0, 0xCD, b'\n']).unwrap_err();
        assert!(matches!(
            report.file_errors[..],
            [FileError::MissingColumns { .. }]
        ));
    }

    #[test]
    fn utf16_shift_jis_and_unreadable_files_are_refused_naming_the_encodings_to_save_in() {
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain(
                String::from_utf8(file(&[GOOD]))
                    .unwrap()
                    .encode_utf16()
                    .flat_map(u16::to_le_bytes),
            )
            .collect();
        let (shift_jis, _, _) =
            encoding_rs::SHIFT_JIS.encode("題型,問題文\n単一選択,ひらがなとカタカナ\n");
        let mut damaged = file(&[GOOD]);
        damaged.extend_from_slice(b"\n\xff");
        for (bytes, expected) in [
            (&utf16[..], FileError::CsvUtf16),
            (&[0xFF, 0xFE, b'a', 0][..], FileError::CsvUtf16),
            (&shift_jis[..], FileError::CsvShiftJis),
            (&damaged[..], FileError::CsvUnknownEncoding { line: 3 }),
        ] {
            let report = parse_csv(bytes).unwrap_err();
            assert_eq!(report.file_errors, vec![expected.clone()]);
            assert!(
                report
                    .message(Lang::Zh)
                    .contains("请另存为 UTF-8 或 GB18030 (CSV 逗号分隔)"),
                "{expected:?}"
            );
        }
    }

    #[test]
    fn empty_and_header_only_files_are_refused() {
        assert_eq!(
            parse_csv(b"").unwrap_err().file_errors,
            vec![FileError::Empty]
        );
        assert_eq!(
            parse_csv(b"\xEF\xBB\xBF\r\n").unwrap_err().file_errors,
            vec![FileError::Empty]
        );
        assert_eq!(
            parse_csv(HEADER.as_bytes()).unwrap_err().file_errors,
            vec![FileError::NoQuestions]
        );
    }

    #[test]
    fn too_many_rows_and_too_many_bytes_are_refused() {
        let limits = ImportLimits {
            max_rows: 2,
            ..ImportLimits::DEFAULT
        };
        assert_eq!(
            parse_csv_with(&file(&[GOOD, GOOD, GOOD]), &limits)
                .unwrap_err()
                .file_errors,
            vec![FileError::TooManyRows { limit: 2 }]
        );
        let limits = ImportLimits {
            max_bytes: 100,
            ..ImportLimits::DEFAULT
        };
        assert!(matches!(
            parse_csv_with(&file(&[GOOD]), &limits)
                .unwrap_err()
                .file_errors[0],
            FileError::TooLarge { .. }
        ));
    }

    #[test]
    fn a_hundred_megabyte_file_is_refused_without_parsing() {
        let bytes = vec![b'a'; 100 * 1024 * 1024 + 1];
        assert!(matches!(
            parse_csv(&bytes).unwrap_err().file_errors[0],
            FileError::TooLarge { .. }
        ));
    }

    #[test]
    fn tab_separated_text_is_read_too() {
        let text = String::from_utf8(file(&[GOOD])).unwrap().replace(',', "\t");
        assert_eq!(parse_csv(text.as_bytes()).unwrap().rows.len(), 1);
    }

    #[test]
    fn quoted_cells_may_hold_commas_quotes_and_line_breaks() {
        let row =
            "单选题,\"第一行，\"\"引号\"\",\n第二行\",\"甲,乙\",丙,,,A,2,综合,,《宪法》第一条,,";
        let imported = parse_csv(&file(&[row, GOOD])).unwrap();
        assert_eq!(
            imported.rows[0].question.stem().as_str(),
            "第一行，\"引号\",\n第二行"
        );
        assert_eq!(imported.rows[0].question.options()[0].as_str(), "甲,乙");
        assert_eq!(imported.rows[1].row, 3);
    }

    #[test]
    fn the_formula_guard_round_trips() {
        for value in ["=1+1", "'=x", "-5", "@a", "'abc", "abc", "''+", "'"] {
            assert_eq!(unguard(&guard(value)), value, "{value}");
        }
        assert_eq!(guard("=x"), "'=x");
        assert_eq!(guard("x"), "x");
    }
}
