//! Plain tables from `.csv` / `.xlsx` files — a header row and rows of text — for lists that are
//! not questions (an agency's candidate list: 姓名, 身份证号, 性别, 职务…). The caller maps the
//! headers to its own columns.
//!
//! The bytes are read exactly as the question importer reads them (same size, encoding and
//! row limits, same workbook checks and panic guard), so every file problem is reported the same
//! way, as an [`ImportReport`]:
//!
//! - file problems ([`FileError`]): empty file, a `.csv` neither UTF-8 nor GB18030 (UTF-16,
//!   Shift-JIS…), not an `.xlsx`, too large, too many rows ([`FileError::TooManyTableRows`]), no
//!   header row ([`FileError::NoHeaderRow`]), header cells without a name ([`FileError::EmptyHeader`]) or naming a column twice
//!   ([`FileError::DuplicateHeader`], ignoring case, width and spaces);
//! - cell problems ([`RowError`], with the column's header text as `column`): a formula without
//!   a cached value, an error value such as `#N/A`, an empty cell covered by a merged range.
//!
//! The header is the first non-blank row; title rows above it (rows with a single filled cell,
//! e.g. a merged “2024 年执法人员名单”) are skipped, unless the table has a single column. A
//! header cell holding only digits and punctuation means the header row is missing (the first
//! row is data). Every column with a header or with data belongs to the table. Fully blank rows are skipped; rows
//! keep their spreadsheet numbers. A workbook is read from its first worksheet with content.
//! Nothing here panics on any input.

use std::collections::{BTreeSet, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::classify::fold;
use crate::import::table::{
    Cell, Grid, HEADER_SEARCH_ROWS, SheetRow, cell_text, column_name, merged_cells, rows_with_data,
};
use crate::import::{
    FileError, ImportLimits, ImportReport, OLE_SIGNATURE, RowError, SheetChoice, read_csv_grid,
    read_xlsx_grid,
};

/// Characters of a cell quoted in [`FileError::NoHeaderRow`].
const QUOTED_CHARS: usize = 40;

/// A table read from a file: its header names and its non-blank rows.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Table {
    /// The worksheet read, for `.xlsx`.
    pub sheet: Option<String>,
    /// The header row's names, trimmed, left to right; unique (ignoring case, width and spaces)
    /// and never empty.
    pub headers: Vec<String>,
    /// The rows below the header, blank rows left out, in file order.
    pub rows: Vec<TableRow>,
}

/// One row of a [`Table`].
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct TableRow {
    /// 1-based spreadsheet row (header = row 1 unless title rows precede it).
    pub row: u32,
    /// One value per header, trimmed; `""` when the cell is empty.
    pub cells: Vec<String>,
}

/// Reads a table from a `.csv` file (UTF-8 with or without BOM, or GB18030; CRLF or LF; comma or
/// tab).
///
/// # Errors
/// An [`ImportReport`] with every file and cell problem.
pub fn read_csv_table(bytes: &[u8], limits: &ImportLimits) -> Result<Table, ImportReport> {
    let grid = read_csv_grid(bytes, limits)?;
    table_of(&grid, limits)
}

/// Reads a table from the first worksheet with content of an `.xlsx` workbook.
///
/// # Errors
/// An [`ImportReport`] with every file and cell problem.
pub fn read_xlsx_table(bytes: &[u8], limits: &ImportLimits) -> Result<Table, ImportReport> {
    let grid = read_xlsx_grid(bytes, limits, SheetChoice::FirstNonEmpty)?;
    table_of(&grid, limits)
}

/// Reads a table from a workbook or a `.csv`: by file name extension (`.xlsx`, `.xlsm`, `.xls` →
/// workbook, an old `.xls` being refused with the fix), or by the zip (or OLE) signature of the
/// bytes; anything else is read as `.csv`.
///
/// # Errors
/// An [`ImportReport`] with every file and cell problem.
pub fn read_table(
    file_name: &str,
    bytes: &[u8],
    limits: &ImportLimits,
) -> Result<Table, ImportReport> {
    if is_workbook(file_name, bytes) {
        read_xlsx_table(bytes, limits)
    } else {
        read_csv_table(bytes, limits)
    }
}

fn is_workbook(file_name: &str, bytes: &[u8]) -> bool {
    let extension = file_name
        .rsplit_once('.')
        .map(|(_, ext)| ext.trim().to_ascii_lowercase());
    matches!(extension.as_deref(), Some("xlsx" | "xlsm" | "xls"))
        || bytes.starts_with(b"PK\x03\x04")
        || bytes.starts_with(&OLE_SIGNATURE)
}

/// Whether a header text is a name: it holds a letter or a CJK character, not only digits and
/// punctuation (an ID or phone number, a date, an amount).
fn is_name(text: &str) -> bool {
    text.chars().any(char::is_alphabetic)
}

fn filled(row: &SheetRow) -> impl Iterator<Item = &(usize, Cell)> {
    row.cells.iter().filter(|(_, cell)| !cell.is_blank())
}

/// The index in `rows` of the header: the first non-blank row with more than one filled cell
/// (rows above it with a single one are titles), else the first non-blank row (a one-column
/// table).
fn find_header(rows: &[SheetRow]) -> Option<usize> {
    let mut non_blank = rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.is_blank())
        .take(HEADER_SEARCH_ROWS)
        .peekable();
    let first = non_blank.peek()?.0;
    Some(
        non_blank
            .find(|(_, row)| filled(row).nth(1).is_some())
            .map_or(first, |(index, _)| index),
    )
}

/// A header cell's reference, e.g. `C1`.
fn cell_ref(col: usize, row: u32) -> String {
    format!("{}{row}", column_name(col))
}

/// The table's columns with their header names, or the header's problems.
fn header_names(
    grid: &Grid,
    header: &SheetRow,
    data: &[SheetRow],
) -> Result<Vec<(usize, String)>, ImportReport> {
    let used: BTreeSet<usize> = filled(header)
        .chain(data.iter().flat_map(filled))
        .map(|(col, _)| *col)
        .collect();
    let (Some(&first), Some(&last)) = (used.first(), used.last()) else {
        return Ok(Vec::new());
    };
    let by_col: HashMap<usize, &Cell> = header.cells.iter().map(|(c, cell)| (*c, cell)).collect();
    let mut columns = Vec::new();
    let mut empty = Vec::new();
    let mut row_errors = Vec::new();
    for col in first..=last {
        match cell_text(by_col.get(&col).copied(), None) {
            Ok(Some(text)) => columns.push((col, text.trim().to_owned())),
            Ok(None) => empty.push(cell_ref(col, header.number)),
            Err(reason) => row_errors.push(RowError {
                row: header.number,
                column: Some(column_name(col)),
                reason,
            }),
        }
    }
    if let Some((col, text)) = columns.iter().find(|(_, text)| !is_name(text)) {
        return Err(ImportReport::file(FileError::NoHeaderRow {
            sheet: grid.sheet.clone(),
            cell: cell_ref(*col, header.number),
            value: text.chars().take(QUOTED_CHARS).collect(),
        }));
    }
    let mut file_errors = Vec::new();
    if !empty.is_empty() {
        file_errors.push(FileError::EmptyHeader {
            sheet: grid.sheet.clone(),
            cells: empty,
        });
    }
    // Same name ignoring case, width and spaces, in order of first appearance.
    let mut seen: HashMap<String, usize> = HashMap::new();
    let mut groups: Vec<(&str, Vec<String>)> = Vec::new();
    for (col, text) in &columns {
        let group = *seen.entry(fold(text)).or_insert_with(|| {
            groups.push((text.as_str(), Vec::new()));
            groups.len() - 1
        });
        if let Some((_, cells)) = groups.get_mut(group) {
            cells.push(cell_ref(*col, header.number));
        }
    }
    file_errors.extend(groups.into_iter().filter(|(_, cells)| cells.len() > 1).map(
        |(header, cells)| FileError::DuplicateHeader {
            sheet: grid.sheet.clone(),
            header: header.to_owned(),
            cells,
        },
    ));
    if file_errors.is_empty() && row_errors.is_empty() {
        Ok(columns)
    } else {
        Err(ImportReport {
            file_errors,
            row_errors,
        })
    }
}

/// Turns a grid into a table: every cell readable, or every problem reported.
fn table_of(grid: &Grid, limits: &ImportLimits) -> Result<Table, ImportReport> {
    let too_many = || {
        ImportReport::file(FileError::TooManyTableRows {
            limit: limits.max_rows,
        })
    };
    if grid.truncated {
        return Err(too_many());
    }
    let Some(index) = find_header(&grid.rows) else {
        return Err(ImportReport::file(FileError::Empty));
    };
    let header = grid.rows.get(index).cloned().unwrap_or_default();
    let data = grid.rows.get(index + 1..).unwrap_or(&[]);
    let columns = header_names(grid, &header, data)?;

    let wanted: HashSet<usize> = columns.iter().map(|(col, _)| *col).collect();
    let rows = rows_with_data(data, &wanted);
    if rows.len() > limits.max_rows {
        return Err(too_many());
    }
    let last_row = rows.last().map_or(header.number, |r| r.number);
    let merged = merged_cells(grid, header.number, last_row, &wanted);

    let mut table_rows = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for row in rows {
        let by_col: HashMap<usize, &Cell> = row.cells.iter().map(|(c, cell)| (*c, cell)).collect();
        let mut cells = Vec::with_capacity(columns.len());
        for (col, name) in &columns {
            match cell_text(by_col.get(col).copied(), merged.get(&(row.number, *col))) {
                Ok(text) => cells.push(text.map_or_else(String::new, |t| t.trim().to_owned())),
                Err(reason) => {
                    cells.push(String::new());
                    errors.push(RowError {
                        row: row.number,
                        column: Some(name.clone()),
                        reason,
                    });
                }
            }
        }
        table_rows.push(TableRow {
            row: row.number,
            cells,
        });
    }
    if !errors.is_empty() {
        return Err(ImportReport {
            file_errors: Vec::new(),
            row_errors: errors,
        });
    }
    Ok(Table {
        sheet: grid.sheet.clone(),
        headers: columns.into_iter().map(|(_, name)| name).collect(),
        rows: table_rows,
    })
}

#[cfg(test)]
mod tests {
    use std::sync::LazyLock;

    use proptest::prelude::*;
    use rust_xlsxwriter::{Format, Workbook};

    use super::*;
    use crate::import::{RowErrorReason, xlsx_with_sheet_xml};
    use crate::lang::{Lang, Localized};

    const HEADERS: [&str; 7] = [
        "姓名",
        "身份证号",
        "性别",
        "职务",
        "执法领域",
        "编制性质",
        "手机号",
    ];
    const ZHANG: [&str; 7] = [
        "张三",
        "110101199003071234",
        "男",
        "科员",
        "市场监管",
        "行政编制",
        "13800138000",
    ];
    const LI: [&str; 7] = [
        "李四",
        "11010119900307567X",
        "女",
        "副科长",
        "生态环境",
        "事业编制",
        "13900139000",
    ];

    fn csv(lines: &[&str]) -> Vec<u8> {
        lines.join("\n").into_bytes()
    }

    fn strings(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    fn limits() -> ImportLimits {
        ImportLimits::DEFAULT
    }

    /// A workbook whose first sheet is empty and whose second holds the list, row 3 of it blank,
    /// the headers padded with spaces, the phone numbers typed as numbers.
    fn workbook() -> Vec<u8> {
        let mut workbook = Workbook::new();
        workbook.add_worksheet().set_name("说明").expect("name");
        let sheet = workbook.add_worksheet().set_name("人员名单").expect("name");
        for (c, header) in HEADERS.iter().enumerate() {
            let c = u16::try_from(c).expect("column");
            sheet
                .write_string(0, c, format!(" {header} "))
                .expect("write");
        }
        for (r, person) in [(1, ZHANG), (3, LI)] {
            for (c, value) in person.iter().enumerate().take(6) {
                let c = u16::try_from(c).expect("column");
                sheet.write_string(r, c, *value).expect("write");
            }
            let phone: f64 = person[6].parse().expect("number");
            sheet.write_number(r, 6, phone).expect("write");
        }
        // Row 3 holds only spaces.
        sheet.write_string(2, 0, "  ").expect("write");
        sheet.write_string(2, 3, "\u{3000}").expect("write");
        workbook.save_to_buffer().expect("save")
    }

    static WORKBOOK: LazyLock<Vec<u8>> = LazyLock::new(workbook);

    #[test]
    fn a_csv_with_bom_and_crlf_line_endings_is_read_with_trimmed_cells() {
        let mut bytes = vec![0xEF, 0xBB, 0xBF];
        bytes.extend(
            csv(&[
                &HEADERS.join(","),
                " 张三 ,110101199003071234,男,科员,市场监管,行政编制,13800138000",
                "\"李四\",11010119900307567X,女,副科长,生态环境,事业编制,",
            ])
            .iter()
            .copied(),
        );
        let text = String::from_utf8(bytes)
            .expect("utf-8")
            .replace('\n', "\r\n");
        let table = read_csv_table(text.as_bytes(), &limits()).expect("table");
        assert_eq!(table.sheet, None);
        assert_eq!(table.headers, strings(&HEADERS));
        assert_eq!(table.rows.len(), 2);
        assert_eq!(table.rows[0].row, 2);
        assert_eq!(table.rows[0].cells, strings(&ZHANG));
        let mut li = strings(&LI);
        li[6] = String::new();
        assert_eq!(table.rows[1].cells, li);
    }

    #[test]
    fn a_gb18030_csv_reads_as_the_same_table_as_its_utf8_original() {
        let utf8 = csv(&[&HEADERS.join(","), &ZHANG.join(","), &LI.join(",")]);
        let (gb18030, _, _) =
            encoding_rs::GB18030.encode(std::str::from_utf8(&utf8).expect("utf-8"));
        let table = read_table("名单.csv", &gb18030, &limits()).expect("table");
        assert_eq!(
            table,
            read_table("名单.csv", &utf8, &limits()).expect("table")
        );
        assert_eq!(table.rows[1].cells, strings(&LI));
        // "姓名" in GBK.
        let table = read_csv_table(&[0xD0, 0xD5, 0xC3, 0xFB, b'\n'], &limits()).expect("gbk");
        assert_eq!(table.headers, ["姓名"]);
        let (shift_jis, _, _) = encoding_rs::SHIFT_JIS.encode("名前,フリガナ\n山田,ヤマダ\n");
        assert_eq!(
            read_csv_table(&shift_jis, &limits())
                .expect_err("shift-jis")
                .file_errors,
            vec![FileError::CsvShiftJis]
        );
    }

    #[test]
    fn an_xlsx_written_by_rust_xlsxwriter_is_read_from_its_first_non_empty_sheet() {
        let table = read_xlsx_table(&WORKBOOK, &limits()).expect("table");
        assert_eq!(table.sheet.as_deref(), Some("人员名单"));
        assert_eq!(table.headers, strings(&HEADERS));
        let rows: Vec<(u32, Vec<String>)> =
            table.rows.into_iter().map(|r| (r.row, r.cells)).collect();
        assert_eq!(rows, vec![(2, strings(&ZHANG)), (4, strings(&LI))]);
    }

    #[test]
    fn blank_rows_are_skipped_and_keep_their_row_numbers() {
        let bytes = csv(&[
            &HEADERS.join(","),
            "",
            ",,,,,,",
            " , ,\t,,,,",
            &ZHANG.join(","),
            "",
        ]);
        let table = read_csv_table(&bytes, &limits()).expect("table");
        assert_eq!(table.rows.len(), 1);
        assert_eq!(table.rows[0].row, 5);
        // And in the workbook above, row 3 is blank.
        let table = read_xlsx_table(&WORKBOOK, &limits()).expect("table");
        assert_eq!(table.rows.iter().map(|r| r.row).collect::<Vec<_>>(), [2, 4]);
    }

    #[test]
    fn a_formula_without_cached_value_and_an_error_value_are_reported_with_their_header() {
        let bytes = xlsx_with_sheet_xml(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="inlineStr"><is><t>职务</t></is></c><c r="C1" t="inlineStr"><is><t> 手机号 </t></is></c></row>
               <row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c><c r="B2"><f>VLOOKUP(A2,职务表!A:B,2,0)</f></c><c r="C2"><v>13800138000</v></c></row>
               <row r="3"><c r="A3" t="inlineStr"><is><t>李四</t></is></c><c r="B3" t="inlineStr"><is><t>科员</t></is></c><c r="C3" t="e"><v>#N/A</v></c></row>"#,
        );
        let report = read_table("名单.xlsx", &bytes, &limits()).expect_err("cell problems");
        assert!(report.file_errors.is_empty());
        let errors: Vec<(u32, Option<&str>, &RowErrorReason)> = report
            .row_errors
            .iter()
            .map(|e| (e.row, e.column.as_deref(), &e.reason))
            .collect();
        assert_eq!(
            errors,
            vec![
                (
                    2,
                    Some("职务"),
                    &RowErrorReason::FormulaWithoutValue {
                        formula: "VLOOKUP(A2,职务表!A:B,2,0)".into()
                    }
                ),
                (
                    3,
                    Some("手机号"),
                    &RowErrorReason::ErrorValue {
                        value: "#N/A".into()
                    }
                ),
            ]
        );
        assert!(
            report.row_errors[0]
                .message(Lang::Zh)
                .starts_with("第 2 行「职务」:单元格是公式")
        );
    }

    #[test]
    fn empty_cells_of_a_merged_range_are_reported_with_their_header() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet();
        for (r, row) in [HEADERS, ZHANG, LI, ZHANG].iter().enumerate() {
            for (c, value) in row.iter().enumerate() {
                let (r, c) = (
                    u32::try_from(r).expect("row"),
                    u16::try_from(c).expect("column"),
                );
                if c != 4 || r == 0 {
                    sheet.write_string(r, c, *value).expect("write");
                }
            }
        }
        sheet
            .merge_range(1, 4, 3, 4, "市场监管", &Format::new())
            .expect("merge");
        let report = read_xlsx_table(&workbook.save_to_buffer().expect("save"), &limits())
            .expect_err("merged cells");
        let errors: Vec<(u32, Option<&str>, &RowErrorReason)> = report
            .row_errors
            .iter()
            .map(|e| (e.row, e.column.as_deref(), &e.reason))
            .collect();
        let merged = RowErrorReason::MergedCell {
            range: "E2:E4".into(),
        };
        assert_eq!(
            errors,
            vec![
                (3, Some("执法领域"), &merged),
                (4, Some("执法领域"), &merged)
            ]
        );
    }

    #[test]
    fn a_file_without_a_header_row_is_refused() {
        let bytes = csv(&[&ZHANG.join(","), &LI.join(",")]);
        let report = read_csv_table(&bytes, &limits()).expect_err("no header");
        assert_eq!(
            report.file_errors,
            vec![FileError::NoHeaderRow {
                sheet: None,
                cell: "B1".into(),
                value: "110101199003071234".into()
            }]
        );
        assert!(report.row_errors.is_empty());
        assert_eq!(
            report.file_errors[0].message(Lang::Zh),
            "列名行应填写各列的名称,但单元格 B1 的内容“110101199003071234”像是数据:请在数据上方插入一行列名"
        );
        // Only a title above the data: the title is not taken for the header.
        let bytes = csv(&["2024年执法人员名单", &ZHANG.join(",")]);
        assert!(matches!(
            read_csv_table(&bytes, &limits())
                .expect_err("no header")
                .file_errors[..],
            [FileError::NoHeaderRow { .. }]
        ));
    }

    #[test]
    fn a_title_row_above_the_header_is_skipped() {
        let bytes = csv(&[
            "2024年行政执法人员资格考试报名表,,,,,,",
            "",
            &HEADERS.join(","),
            &ZHANG.join(","),
        ]);
        let table = read_csv_table(&bytes, &limits()).expect("table");
        assert_eq!(table.headers, strings(&HEADERS));
        assert_eq!(table.rows[0].row, 4);
        // A single-column list keeps its first row as the header.
        let table = read_csv_table(&csv(&["姓名", "张三", "李四"]), &limits()).expect("table");
        assert_eq!(table.headers, ["姓名"]);
        assert_eq!(table.rows.len(), 2);
    }

    #[test]
    fn empty_and_duplicate_header_names_are_refused() {
        let bytes = csv(&[
            "姓名,,性别,姓 名,ＮＡＭＥ,name",
            "张三,1,男,张三,a,b,多出的一列",
        ]);
        let report = read_csv_table(&bytes, &limits()).expect_err("bad header");
        assert_eq!(
            report.file_errors,
            vec![
                FileError::EmptyHeader {
                    sheet: None,
                    cells: vec!["B1".into(), "G1".into()]
                },
                FileError::DuplicateHeader {
                    sheet: None,
                    header: "姓名".into(),
                    cells: vec!["A1".into(), "D1".into()]
                },
                FileError::DuplicateHeader {
                    sheet: None,
                    header: "ＮＡＭＥ".into(),
                    cells: vec!["E1".into(), "F1".into()]
                },
            ]
        );
        assert_eq!(
            report.file_errors[1].message(Lang::Zh),
            "列名“姓名”出现了不止一次(A1、D1):请删除多余的列或修改列名"
        );
        // Columns with neither a header nor data do not belong to the table.
        let table = read_csv_table(&csv(&[",姓名,性别", ",张三,男"]), &limits()).expect("table");
        assert_eq!(table.headers, ["姓名", "性别"]);
    }

    #[test]
    fn header_problems_name_the_worksheet_in_both_languages() {
        let mut workbook = Workbook::new();
        let sheet = workbook.add_worksheet().set_name("名单").expect("name");
        sheet.write_string(0, 0, "姓名").expect("write");
        sheet.write_string(0, 2, "性别").expect("write");
        sheet.write_string(1, 0, "张三").expect("write");
        let report = read_xlsx_table(&workbook.save_to_buffer().expect("save"), &limits())
            .expect_err("empty header");
        let error = &report.file_errors[0];
        assert_eq!(
            error.message(Lang::Zh),
            "工作表“名单”:列名行的 B1 没有列名:请为每一列填写列名,或删除该列"
        );
        assert_eq!(
            error.message(Lang::En),
            "worksheet “名单”: the header row gives no column name in B1: fill in every column's name, or delete the column"
        );
        let json = serde_json::to_string(error).expect("json");
        assert!(json.contains(r#""kind":"empty_header""#));
    }

    #[test]
    fn bytes_that_are_not_a_workbook_are_refused() {
        let text = csv(&[&HEADERS.join(","), &ZHANG.join(",")]);
        assert_eq!(
            read_xlsx_table(&text, &limits())
                .expect_err("not xlsx")
                .file_errors,
            vec![FileError::NotXlsx]
        );
        assert_eq!(
            read_table("名单.XLSX", &text, &limits())
                .expect_err("not xlsx")
                .file_errors,
            vec![FileError::NotXlsx]
        );
        assert_eq!(
            read_table("名单.xlsx", b"PK\x03\x04garbage", &limits())
                .expect_err("not xlsx")
                .file_errors,
            vec![FileError::NotXlsx]
        );
        let mut xls = OLE_SIGNATURE.to_vec();
        xls.extend([0; 512]);
        assert_eq!(
            read_table("名单", &xls, &limits())
                .expect_err("xls")
                .file_errors,
            vec![FileError::LegacyOrEncryptedWorkbook]
        );
        let mut truncated = WORKBOOK.clone();
        truncated.truncate(truncated.len() / 2);
        assert!(read_table("名单.xlsx", &truncated, &limits()).is_err());
    }

    #[test]
    fn the_reader_is_chosen_by_extension_or_zip_signature() {
        let table = read_table("upload.csv", &WORKBOOK, &limits()).expect("workbook");
        assert_eq!(table.sheet.as_deref(), Some("人员名单"));
        let table = read_table("upload", &WORKBOOK, &limits()).expect("workbook");
        assert_eq!(table.rows.len(), 2);
        let text = csv(&[&HEADERS.join(","), &ZHANG.join(",")]);
        for name in ["名单.csv", "名单.txt", "名单", ""] {
            let table = read_table(name, &text, &limits()).expect("csv");
            assert_eq!(table.sheet, None, "{name}");
            assert_eq!(table.rows.len(), 1, "{name}");
        }
    }

    #[test]
    fn file_problems_are_file_errors() {
        for bytes in [&b""[..], b" \r\n", b"\xEF\xBB\xBF", b",,,\n,,"] {
            assert_eq!(
                read_csv_table(bytes, &limits())
                    .expect_err("empty")
                    .file_errors,
                vec![FileError::Empty],
                "{bytes:?}"
            );
        }
        let mut workbook = Workbook::new();
        workbook.add_worksheet();
        assert_eq!(
            read_xlsx_table(&workbook.save_to_buffer().expect("save"), &limits())
                .expect_err("empty")
                .file_errors,
            vec![FileError::Empty]
        );
        let utf16: Vec<u8> = HEADERS
            .join(",")
            .encode_utf16()
            .flat_map(u16::to_le_bytes)
            .collect();
        assert_eq!(
            read_csv_table(&utf16, &limits())
                .expect_err("utf-16")
                .file_errors,
            vec![FileError::CsvUtf16]
        );
        let three = csv(&[&HEADERS.join(","), &ZHANG.join(","), "", &LI.join(",")]);
        let two = ImportLimits {
            max_rows: 2,
            ..ImportLimits::DEFAULT
        };
        assert_eq!(read_csv_table(&three, &two).expect("table").rows.len(), 2);
        let one = ImportLimits {
            max_rows: 1,
            ..ImportLimits::DEFAULT
        };
        assert_eq!(
            read_csv_table(&three, &one)
                .expect_err("too many")
                .file_errors,
            vec![FileError::TooManyTableRows { limit: 1 }]
        );
        assert_eq!(
            read_xlsx_table(&WORKBOOK, &one)
                .expect_err("too many")
                .file_errors,
            vec![FileError::TooManyTableRows { limit: 1 }]
        );
        let small = ImportLimits {
            max_bytes: 10,
            ..ImportLimits::DEFAULT
        };
        assert!(matches!(
            read_table("名单.xlsx", &WORKBOOK, &small)
                .expect_err("too large")
                .file_errors[..],
            [FileError::TooLarge { .. }]
        ));
        assert_eq!(
            FileError::TooManyTableRows { limit: 1 }.message(Lang::Zh),
            "表格超过 1 行(不含列名行):请拆分成多个文件分批导入"
        );
    }

    #[test]
    fn a_header_without_rows_is_an_empty_table() {
        let table = read_csv_table(HEADERS.join(",").as_bytes(), &limits()).expect("table");
        assert_eq!(table.headers.len(), 7);
        assert!(table.rows.is_empty());
    }

    #[test]
    fn a_formula_or_error_in_the_header_row_is_reported_with_the_column_letter() {
        let bytes = xlsx_with_sheet_xml(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>姓名</t></is></c><c r="B1" t="e"><v>#REF!</v></c></row>
               <row r="2"><c r="A2" t="inlineStr"><is><t>张三</t></is></c><c r="B2" t="inlineStr"><is><t>科员</t></is></c></row>"#,
        );
        let report = read_xlsx_table(&bytes, &limits()).expect_err("header error");
        assert_eq!(
            report.row_errors,
            vec![RowError {
                row: 1,
                column: Some("B".into()),
                reason: RowErrorReason::ErrorValue {
                    value: "#REF!".into()
                }
            }]
        );
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(
            bytes in proptest::collection::vec(any::<u8>(), 0..4096),
            name in prop::sample::select(vec!["名单.csv", "名单.xlsx", "名单.xls", "名单", ""]),
        ) {
            let _ = read_table(name, &bytes, &limits());
        }

        #[test]
        fn arbitrary_bytes_after_a_zip_signature_never_panic(
            tail in proptest::collection::vec(any::<u8>(), 0..4096),
        ) {
            let mut bytes = b"PK\x03\x04".to_vec();
            bytes.extend(tail);
            let _ = read_table("名单", &bytes, &limits());
        }

        #[test]
        fn a_damaged_workbook_never_panics(
            edits in proptest::collection::vec((any::<prop::sample::Index>(), any::<u8>()), 1..16),
        ) {
            let mut bytes = WORKBOOK.clone();
            for (at, byte) in edits {
                let at = at.index(bytes.len());
                bytes[at] = byte;
            }
            let _ = read_table("名单.xlsx", &bytes, &limits());
        }

        #[test]
        fn arbitrary_text_never_panics(text in "\\PC{0,400}") {
            let _ = read_table("名单.csv", text.as_bytes(), &limits());
        }
    }
}
