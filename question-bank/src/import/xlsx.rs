//! The template as `.xlsx`: the worksheet named 题库 / Questions, else the first worksheet whose
//! top rows hold the header. (A generic [`tabular`](crate::tabular) table is read from the first
//! worksheet with content.)
//!
//! Cells are streamed (a sheet claiming a huge used range costs nothing), formula cells yield
//! their cached value or a row error, error values and empty cells of merged ranges become row
//! errors. The zip's declared unpacked size is checked before anything is inflated (the zip
//! reader refuses entries that inflate past their declared size), and the third-party reader is
//! run under `catch_unwind` so that a malformed workbook it chokes on is a file error, not a crash.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{DataRef, Reader, Xlsx, XlsxError};

use super::table::{Cell, Grid, MergedRange, SheetRow, has_header, parse_grid};
use super::{FileError, ImportLimits, ImportReport, ImportedFile, check_size};
use crate::classify::fold;

/// Columns past this are ignored (the template has 17).
const MAX_COLUMNS: u32 = 256;
/// The OLE2 signature of `.xls` files and of encrypted `.xlsx` files.
pub(crate) const OLE_SIGNATURE: [u8; 8] = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
/// Sheet names preferred over position.
const PREFERRED_SHEETS: [&str; 4] = ["题库", "questions", "question", "题目"];

/// Reads a template `.xlsx` with [`ImportLimits::DEFAULT`].
///
/// # Errors
/// An [`ImportReport`] with every problem when any row (or the file) is not valid.
pub fn parse_xlsx(bytes: &[u8]) -> Result<ImportedFile, ImportReport> {
    parse_xlsx_with(bytes, &ImportLimits::DEFAULT)
}

/// Reads a template `.xlsx` within `limits`.
///
/// # Errors
/// An [`ImportReport`] with every problem when any row (or the file) is not valid.
pub fn parse_xlsx_with(bytes: &[u8], limits: &ImportLimits) -> Result<ImportedFile, ImportReport> {
    let grid = read_xlsx_grid(bytes, limits, SheetChoice::Questions)?;
    parse_grid(&grid, limits)
}

/// Which worksheet of a workbook to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum SheetChoice {
    /// The sheet named 题库 / Questions, else the first whose top rows hold the template's
    /// header, else the first worksheet.
    Questions,
    /// The first worksheet with any content, else the first worksheet.
    FirstNonEmpty,
}

/// Checks a workbook (size, signature, unpacked size) and reads one worksheet's cells and merged
/// ranges, bounded by `limits`, with the reader under `catch_unwind`; shared by the question
/// importer and [`tabular`](crate::tabular).
pub(crate) fn read_xlsx_grid(
    bytes: &[u8],
    limits: &ImportLimits,
    choice: SheetChoice,
) -> Result<Grid, ImportReport> {
    if bytes.is_empty() {
        return Err(ImportReport::file(FileError::Empty));
    }
    check_size(bytes, limits)?;
    if bytes.starts_with(&OLE_SIGNATURE) {
        return Err(ImportReport::file(FileError::LegacyOrEncryptedWorkbook));
    }
    if !bytes.starts_with(b"PK") {
        return Err(ImportReport::file(FileError::NotXlsx));
    }
    check_unpacked_size(bytes, limits)?;
    catch_unwind(AssertUnwindSafe(|| read_workbook(bytes, limits, choice))).unwrap_or_else(|_| {
        Err(ImportReport::file(FileError::Unreadable {
            detail: "malformed workbook".to_owned(),
        }))
    })
}

fn check_unpacked_size(bytes: &[u8], limits: &ImportLimits) -> Result<(), ImportReport> {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| ImportReport::file(FileError::NotXlsx))?;
    let mut total: u64 = 0;
    for i in 0..archive.len() {
        let size = archive
            .by_index_raw(i)
            .map_err(|e| {
                ImportReport::file(FileError::Unreadable {
                    detail: e.to_string(),
                })
            })?
            .size();
        total = total.saturating_add(size);
        if total > limits.max_unpacked_bytes {
            return Err(ImportReport::file(FileError::UnpackedTooLarge {
                size: total,
                limit: limits.max_unpacked_bytes,
            }));
        }
    }
    if archive.index_for_name("xl/workbook.xml").is_none()
        && archive.index_for_name("[Content_Types].xml").is_none()
    {
        return Err(ImportReport::file(FileError::NotXlsx));
    }
    Ok(())
}

fn unreadable(e: &XlsxError) -> ImportReport {
    ImportReport::file(FileError::Unreadable {
        detail: e.to_string().chars().take(200).collect(),
    })
}

fn read_workbook(
    bytes: &[u8],
    limits: &ImportLimits,
    choice: SheetChoice,
) -> Result<Grid, ImportReport> {
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(|e| match e {
        XlsxError::Zip(_) | XlsxError::FileNotFound(_) => ImportReport::file(FileError::NotXlsx),
        other => unreadable(&other),
    })?;
    let names = workbook.sheet_names();
    if names.is_empty() {
        return Err(ImportReport::file(FileError::NoWorksheet));
    }
    let order = match choice {
        SheetChoice::Questions => {
            let (preferred, others): (Vec<String>, Vec<String>) = names
                .into_iter()
                .partition(|n| PREFERRED_SHEETS.contains(&fold(n).as_str()));
            preferred.into_iter().chain(others).collect()
        }
        SheetChoice::FirstNonEmpty => names,
    };
    let mut fallback: Option<Grid> = None;
    for name in order {
        let grid = match read_sheet(&mut workbook, &name, limits) {
            Ok(grid) => grid,
            // Chart sheets, dialog sheets…: not a table.
            Err(XlsxError::NotAWorksheet(_)) => continue,
            Err(e) => return Err(unreadable(&e)),
        };
        let wanted = match choice {
            SheetChoice::Questions => has_header(&grid.rows),
            SheetChoice::FirstNonEmpty => grid.rows.iter().any(|r| !r.is_blank()),
        };
        if grid.truncated || wanted {
            let merged = workbook
                .merge_cells_by_sheet_name(&name)
                .unwrap_or_default()
                .into_iter()
                .map(|d| MergedRange {
                    first_row: d.start.0.saturating_add(1),
                    last_row: d.end.0.saturating_add(1),
                    first_col: usize::try_from(d.start.1).unwrap_or(usize::MAX),
                    last_col: usize::try_from(d.end.1).unwrap_or(usize::MAX),
                })
                .collect();
            return Ok(Grid { merged, ..grid });
        }
        if fallback.is_none() {
            fallback = Some(grid);
        }
    }
    // No sheet has a header (or any content): report against the first one.
    fallback.ok_or_else(|| ImportReport::file(FileError::NoWorksheet))
}

fn read_sheet(
    workbook: &mut Xlsx<Cursor<&[u8]>>,
    name: &str,
    limits: &ImportLimits,
) -> Result<Grid, XlsxError> {
    let cap = limits.max_rows.saturating_mul(2).saturating_add(100);
    let mut rows: BTreeMap<u32, Vec<(usize, Cell)>> = BTreeMap::new();
    let mut truncated = false;
    let mut reader = workbook.worksheet_cells_reader(name)?;
    while let Some(record) = reader.next_cell_with_formula()? {
        let (row, col) = record.pos;
        if col >= MAX_COLUMNS {
            continue;
        }
        let Some(cell) = to_cell(record.value, record.formula) else {
            continue;
        };
        if rows.len() >= cap && !rows.contains_key(&row) {
            truncated = true;
            break;
        }
        rows.entry(row)
            .or_default()
            .push((usize::try_from(col).unwrap_or(usize::MAX), cell));
    }
    Ok(Grid {
        rows: rows
            .into_iter()
            .map(|(row, cells)| SheetRow {
                number: row.saturating_add(1),
                cells,
            })
            .collect(),
        truncated,
        sheet: Some(name.to_owned()),
        merged: Vec::new(),
    })
}

fn to_cell(value: DataRef<'_>, formula: Option<String>) -> Option<Cell> {
    let text = match value {
        DataRef::Empty => {
            return formula
                .filter(|f| !f.trim().is_empty())
                .map(Cell::FormulaWithoutValue);
        }
        DataRef::String(s) => s,
        DataRef::SharedString(s) => s.to_owned(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) => number(f),
        DataRef::Bool(b) => if b { "TRUE" } else { "FALSE" }.to_owned(),
        DataRef::DateTime(d) => number(d.as_f64()),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => s,
        DataRef::Error(e) => return Some(Cell::ErrorValue(e.to_string())),
    };
    if text.trim().is_empty() {
        None
    } else {
        Some(Cell::Text(text))
    }
}

/// Renders a number as a person typed it: `3` not `3.0`.
fn number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 {
        #[expect(
            clippy::cast_possible_truncation,
            reason = "checked integral and in range"
        )]
        let i = f as i64;
        i.to_string()
    } else {
        f.to_string()
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::import::RowErrorReason;
    use crate::question::{Field, FieldErrorReason};
    use rust_xlsxwriter::{Format, Formula, Workbook, Worksheet};

    const HEADER: [&str; 13] = [
        "题型",
        "题干",
        "选项A",
        "选项B",
        "选项C",
        "选项D",
        "答案",
        "难度",
        "考试类别",
        "执法领域",
        "法律依据",
        "知识点",
        "解析",
    ];
    const GOOD: [&str; 13] = [
        "单选题",
        "当事人要求听证的，应当在几日内提出?",
        "三日",
        "五日",
        "七日",
        "十日",
        "C",
        "2",
        "综合法律知识",
        "",
        "《中华人民共和国行政处罚法》第六十四条",
        "听证",
        "",
    ];

    fn write_rows(sheet: &mut Worksheet, first_row: u32, rows: &[&[&str]]) {
        for (r, row) in rows.iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                if !value.is_empty() {
                    sheet
                        .write_string(first_row + r as u32, c as u16, *value)
                        .unwrap();
                }
            }
        }
    }

    fn book(rows: &[&[&str]]) -> Vec<u8> {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        write_rows(sheet, 0, rows);
        workbook.save_to_buffer().unwrap()
    }

    #[test]
    fn a_valid_workbook_imports_every_row() {
        let bytes = book(&[&HEADER, &GOOD, &GOOD]);
        let imported = parse_xlsx(&bytes).unwrap();
        assert_eq!(imported.rows.len(), 2);
        assert_eq!(imported.rows[1].row, 3);
        assert_eq!(imported.sheet.as_deref(), Some("Sheet1"));
    }

    #[test]
    fn numbers_and_booleans_are_read_as_typed() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        write_rows(sheet, 0, &[&HEADER]);
        let row = [
            "判断题",
            "题干",
            "",
            "",
            "",
            "",
            "",
            "",
            "综合",
            "",
            "《宪法》第一条",
            "",
            "",
        ];
        write_rows(sheet, 1, &[&row]);
        sheet.write_boolean(1, 6, false).unwrap();
        sheet.write_number(1, 7, 4.0).unwrap();
        let imported = parse_xlsx(&workbook.save_to_buffer().unwrap()).unwrap();
        let q = &imported.rows[0].question;
        assert_eq!(q.answer_key().as_true_false(), Some(false));
        assert_eq!(q.difficulty().get(), 4);
    }

    #[test]
    fn the_sheet_named_questions_is_preferred_and_a_sheet_without_header_is_skipped() {
        let mut workbook = Workbook::new();
        let notes = workbook.add_worksheet().set_name("说明").unwrap();
        notes.write_string(0, 0, "填写说明:每行一道题").unwrap();
        let other = workbook.add_worksheet().set_name("旧题").unwrap();
        write_rows(other, 0, &[&HEADER, &["x"]]);
        let bank = workbook.add_worksheet().set_name("题库").unwrap();
        write_rows(bank, 0, &[&HEADER, &GOOD]);
        let imported = parse_xlsx(&workbook.save_to_buffer().unwrap()).unwrap();
        assert_eq!(imported.sheet.as_deref(), Some("题库"));

        let mut workbook = Workbook::new();
        let notes = workbook.add_worksheet().set_name("说明").unwrap();
        notes.write_string(0, 0, "填写说明").unwrap();
        let data = workbook.add_worksheet().set_name("Data").unwrap();
        write_rows(data, 0, &[&HEADER, &GOOD]);
        let imported = parse_xlsx(&workbook.save_to_buffer().unwrap()).unwrap();
        assert_eq!(imported.sheet.as_deref(), Some("Data"));
    }

    #[test]
    fn a_workbook_without_the_template_header_names_the_missing_columns() {
        let bytes = book(&[&["姓名", "身份证号"], &["张三", "1"]]);
        let report = parse_xlsx(&bytes).unwrap_err();
        assert_eq!(
            report.file_errors,
            vec![FileError::MissingColumns {
                sheet: Some("Sheet1".into()),
                missing: ["题型", "题干", "答案", "难度", "考试类别", "法律依据"]
                    .map(String::from)
                    .to_vec(),
            }]
        );
    }

    #[test]
    fn a_formula_cell_yields_its_cached_value_or_a_row_error() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        write_rows(sheet, 0, &[&HEADER, &GOOD, &GOOD]);
        sheet
            .write_formula(1, 7, Formula::new("=1+1").set_result("2"))
            .unwrap();
        sheet.write_formula(2, 6, Formula::new("=\"C\"")).unwrap();
        let bytes = workbook.save_to_buffer().unwrap();
        let report = parse_xlsx(&bytes).unwrap_err();
        // rust_xlsxwriter stores 0 as the result of a formula without one, so row 3's
        // answer reads "0"; row 2's formula yields its cached 2 and is fine.
        assert_eq!(report.row_errors.len(), 1);
        assert_eq!(report.row_errors[0].row, 3);
        assert_eq!(report.row_errors[0].column.as_deref(), Some("答案"));
    }

    #[test]
    fn a_formula_without_cached_value_is_a_row_error() {
        assert_eq!(
            to_cell(DataRef::Empty, Some("A1&B1".into())),
            Some(Cell::FormulaWithoutValue("A1&B1".into()))
        );
        assert_eq!(
            to_cell(DataRef::Float(3.0), Some("1+2".into())),
            Some(Cell::Text("3".into()))
        );
        assert_eq!(to_cell(DataRef::Empty, None), None);
        let bytes = xlsx_with_sheet_xml(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>题型</t></is></c><c r="B1" t="inlineStr"><is><t>题干</t></is></c><c r="C1" t="inlineStr"><is><t>答案</t></is></c><c r="D1" t="inlineStr"><is><t>难度</t></is></c><c r="E1" t="inlineStr"><is><t>考试类别</t></is></c><c r="F1" t="inlineStr"><is><t>法律依据</t></is></c></row>
               <row r="2"><c r="A2" t="inlineStr"><is><t>判断</t></is></c><c r="B2" t="inlineStr"><is><t>题干</t></is></c><c r="C2"><f>IF(1,"对","错")</f></c><c r="D2"><v>1</v></c><c r="E2" t="inlineStr"><is><t>综合</t></is></c><c r="F2" t="e"><v>#N/A</v></c></row>"#,
        );
        let report = parse_xlsx(&bytes).unwrap_err();
        let reasons: Vec<_> = report
            .row_errors
            .iter()
            .map(|e| {
                (
                    e.row,
                    e.column.clone().unwrap_or_default(),
                    e.reason.clone(),
                )
            })
            .collect();
        assert_eq!(
            reasons,
            vec![
                (
                    2,
                    "答案".to_owned(),
                    RowErrorReason::FormulaWithoutValue {
                        formula: "IF(1,\"对\",\"错\")".into()
                    }
                ),
                (
                    2,
                    "法律依据".to_owned(),
                    RowErrorReason::ErrorValue {
                        value: "#N/A".into()
                    }
                ),
            ]
        );
    }

    #[test]
    fn empty_cells_of_a_merged_range_are_row_errors() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        let mut professional = GOOD;
        professional[8] = "专业";
        professional[9] = "";
        write_rows(
            sheet,
            0,
            &[&HEADER, &professional, &professional, &professional],
        );
        sheet
            .merge_range(1, 9, 3, 9, "市场监管", &Format::new())
            .unwrap();
        let report = parse_xlsx(&workbook.save_to_buffer().unwrap()).unwrap_err();
        let rows: Vec<(u32, RowErrorReason)> = report
            .row_errors
            .iter()
            .map(|e| (e.row, e.reason.clone()))
            .collect();
        let merged = RowErrorReason::MergedCell {
            range: "J2:J4".into(),
        };
        assert_eq!(rows, vec![(3, merged.clone()), (4, merged)]);
    }

    #[test]
    fn bad_rows_are_all_reported() {
        let mut bad = GOOD;
        bad[6] = "E";
        let mut worse = GOOD;
        worse[0] = "问答题";
        worse[7] = "9";
        let report = parse_xlsx(&book(&[&HEADER, &GOOD, &bad, &worse])).unwrap_err();
        let cells: Vec<(u32, &str)> = report
            .row_errors
            .iter()
            .map(|e| (e.row, e.column.as_deref().unwrap_or("")))
            .collect();
        assert_eq!(cells, vec![(3, "答案"), (4, "题型"), (4, "难度")]);
        assert!(matches!(
            report.row_errors[0].reason,
            RowErrorReason::Field {
                field: Field::Answer,
                reason: FieldErrorReason::AnswerLetterWithoutOption { letter: 'E', .. }
            }
        ));
    }

    #[test]
    fn files_that_are_not_xlsx_are_refused_with_the_fix() {
        assert_eq!(
            parse_xlsx(b"").unwrap_err().file_errors,
            vec![FileError::Empty]
        );
        assert_eq!(
            parse_xlsx("题型,题干\n".as_bytes())
                .unwrap_err()
                .file_errors,
            vec![FileError::NotXlsx]
        );
        let mut xls = OLE_SIGNATURE.to_vec();
        xls.extend([0; 512]);
        assert_eq!(
            parse_xlsx(&xls).unwrap_err().file_errors,
            vec![FileError::LegacyOrEncryptedWorkbook]
        );
        assert_eq!(
            parse_xlsx(b"PK\x03\x04garbage").unwrap_err().file_errors,
            vec![FileError::NotXlsx]
        );
        let mut truncated = book(&[&HEADER, &GOOD]);
        truncated.truncate(truncated.len() / 2);
        assert!(parse_xlsx(&truncated).is_err());
    }

    #[test]
    fn a_zip_that_unpacks_past_the_limit_is_refused_before_inflating() {
        let bytes = book(&[&HEADER, &GOOD]);
        let limits = ImportLimits {
            max_unpacked_bytes: 1000,
            ..ImportLimits::DEFAULT
        };
        assert!(matches!(
            parse_xlsx_with(&bytes, &limits).unwrap_err().file_errors[0],
            FileError::UnpackedTooLarge { limit: 1000, .. }
        ));
    }

    #[test]
    fn a_sheet_with_too_many_rows_is_refused() {
        let limits = ImportLimits {
            max_rows: 3,
            ..ImportLimits::DEFAULT
        };
        let bytes = book(&[&HEADER, &GOOD, &GOOD, &GOOD, &GOOD]);
        assert_eq!(
            parse_xlsx_with(&bytes, &limits).unwrap_err().file_errors,
            vec![FileError::TooManyRows { limit: 3 }]
        );
    }

    #[test]
    fn a_cell_far_away_does_not_allocate_a_huge_range() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        write_rows(sheet, 0, &[&HEADER, &GOOD]);
        sheet.write_string(1_048_575, 16_383, "远处").unwrap();
        assert_eq!(
            parse_xlsx(&workbook.save_to_buffer().unwrap())
                .unwrap()
                .rows
                .len(),
            1
        );
    }

    /// A minimal xlsx package around hand-written `<sheetData>` content.
    pub(crate) fn xlsx_with_sheet_xml(sheet_data: &str) -> Vec<u8> {
        use std::io::Write;
        use zip::write::{SimpleFileOptions, ZipWriter};
        let parts = [
            (
                "[Content_Types].xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#.to_owned(),
            ),
            (
                "_rels/.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned(),
            ),
            (
                "xl/workbook.xml",
                r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned(),
            ),
            (
                "xl/_rels/workbook.xml.rels",
                r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned(),
            ),
            (
                "xl/worksheets/sheet1.xml",
                format!(
                    r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData></worksheet>"#
                ),
            ),
        ];
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, content) in parts {
            zip.start_file(name, options).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }
}
