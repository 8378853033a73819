//! The template reader shared by CSV and XLSX: a grid of cells in, questions or a report out.
//!
//! The file readers only turn bytes into a [`Grid`] (bounded by the limits); this module finds
//! the header row, maps columns, skips blank rows, fills a [`QuestionDraft`] per row and collects
//! every error with its row and column. The cell-level rules (blank rows, formulas without a
//! value, error values, merged cells) are shared with [`tabular`](crate::tabular).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::{
    FileError, ImportLimits, ImportReport, ImportedFile, ImportedRow, RowError, RowErrorReason,
};
use crate::answer::MAX_OPTIONS;
use crate::question::{Field, Question, QuestionDraft};
use crate::template::{REQUIRED, header as template_header, match_header};

/// How many non-blank rows from the top may precede the header (a title row, notes…).
pub(crate) const HEADER_SEARCH_ROWS: usize = 20;
/// Bound on the work spent expanding merged ranges into cells.
const MAX_MERGED_CELLS: usize = 2_000_000;

/// One cell's content as the file gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Cell {
    /// A value (numbers already rendered as text).
    Text(String),
    /// A formula with no cached result.
    FormulaWithoutValue(String),
    /// A spreadsheet error such as `#N/A`.
    ErrorValue(String),
}

impl Cell {
    pub(crate) fn is_blank(&self) -> bool {
        matches!(self, Self::Text(t) if t.trim().is_empty())
    }
}

/// One row of a sheet: its 1-based number and its non-empty cells by 0-based column.
#[derive(Debug, Clone, Default)]
pub(crate) struct SheetRow {
    pub(crate) number: u32,
    pub(crate) cells: Vec<(usize, Cell)>,
}

impl SheetRow {
    pub(crate) fn is_blank(&self) -> bool {
        self.cells.iter().all(|(_, c)| c.is_blank())
    }
}

/// A merged range, 1-based rows and 0-based columns, inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct MergedRange {
    pub(crate) first_row: u32,
    pub(crate) last_row: u32,
    pub(crate) first_col: usize,
    pub(crate) last_col: usize,
}

impl MergedRange {
    fn name(&self) -> String {
        format!(
            "{}{}:{}{}",
            column_name(self.first_col),
            self.first_row,
            column_name(self.last_col),
            self.last_row
        )
    }
}

/// A sheet read from a file.
#[derive(Debug, Clone, Default)]
pub(crate) struct Grid {
    pub(crate) rows: Vec<SheetRow>,
    /// The reader stopped early because the sheet had too many rows.
    pub(crate) truncated: bool,
    pub(crate) sheet: Option<String>,
    pub(crate) merged: Vec<MergedRange>,
}

/// Spreadsheet column name: 0 → A, 25 → Z, 26 → AA.
pub(crate) fn column_name(mut col: usize) -> String {
    let mut name = Vec::new();
    loop {
        name.push(char::from(b'A' + u8::try_from(col % 26).unwrap_or(0)));
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    name.iter().rev().collect()
}

/// The header's columns.
struct Header {
    /// Index into `Grid::rows` of the header row.
    index: usize,
    /// (column, field, header text as written).
    columns: Vec<(usize, Field, String)>,
    ignored: Vec<String>,
}

fn header_cells(row: &SheetRow) -> impl Iterator<Item = (usize, &str)> {
    row.cells.iter().filter_map(|(col, cell)| match cell {
        Cell::Text(t) if !t.trim().is_empty() => Some((*col, t.trim())),
        _ => None,
    })
}

/// Whether `row` looks like the header: it names the 题干 column.
fn names_stem(row: &SheetRow) -> bool {
    header_cells(row).any(|(_, h)| match_header(h) == Some(Field::Stem))
}

/// Whether a sheet has a header row near the top (for choosing among worksheets).
pub(crate) fn has_header(rows: &[SheetRow]) -> bool {
    rows.iter()
        .filter(|r| !r.is_blank())
        .take(HEADER_SEARCH_ROWS)
        .any(names_stem)
}

fn find_header(grid: &Grid) -> Result<Header, ImportReport> {
    let mut non_blank = grid
        .rows
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.is_blank())
        .take(HEADER_SEARCH_ROWS)
        .peekable();
    let Some(&(first, _)) = non_blank.peek() else {
        return Err(ImportReport::file(FileError::Empty));
    };
    let index = non_blank
        .find(|(_, r)| names_stem(r))
        .map_or(first, |(i, _)| i);
    let row = grid.rows.get(index).cloned().unwrap_or_default();

    let mut columns = Vec::new();
    let mut ignored = Vec::new();
    let mut by_field: BTreeMap<Field, Vec<String>> = BTreeMap::new();
    for (col, text) in header_cells(&row) {
        match match_header(text) {
            Some(field) => {
                by_field.entry(field).or_default().push(text.to_owned());
                columns.push((col, field, text.to_owned()));
            }
            None => ignored.push(text.to_owned()),
        }
    }
    let mut errors = Vec::new();
    let missing: Vec<String> = REQUIRED
        .iter()
        .filter(|f| !by_field.contains_key(f))
        .map(|f| template_header(*f))
        .collect();
    if !missing.is_empty() {
        errors.push(FileError::MissingColumns {
            sheet: grid.sheet.clone(),
            missing,
        });
    }
    for (field, headers) in by_field {
        if headers.len() > 1 {
            errors.push(FileError::DuplicateColumn {
                column: template_header(field),
                headers,
            });
        }
    }
    if errors.is_empty() {
        Ok(Header {
            index,
            columns,
            ignored,
        })
    } else {
        Err(ImportReport {
            file_errors: errors,
            row_errors: Vec::new(),
        })
    }
}

/// Merged cells other than a range's top-left, restricted to `columns` and the rows after the
/// header, each with its range's name.
pub(crate) fn merged_cells(
    grid: &Grid,
    header_row: u32,
    last_row: u32,
    columns: &HashSet<usize>,
) -> HashMap<(u32, usize), String> {
    let mut cells = HashMap::new();
    let mut work = 0usize;
    for range in &grid.merged {
        let name = range.name();
        let first_row = range.first_row.max(header_row.saturating_add(1));
        let last_row = range.last_row.min(last_row);
        for &col in columns {
            if col < range.first_col || col > range.last_col {
                continue;
            }
            for row in first_row..=last_row {
                work += 1;
                if work > MAX_MERGED_CELLS {
                    return cells;
                }
                if (row, col) != (range.first_row, range.first_col) {
                    cells.insert((row, col), name.clone());
                }
            }
        }
    }
    cells
}

/// The rows with content in `columns`: blank rows are skipped.
pub(crate) fn rows_with_data<'a>(
    rows: &'a [SheetRow],
    columns: &HashSet<usize>,
) -> Vec<&'a SheetRow> {
    rows.iter()
        .filter(|r| {
            r.cells
                .iter()
                .any(|(c, cell)| columns.contains(c) && !cell.is_blank())
        })
        .collect()
}

/// A data cell's text (`None` when empty), or why it has none: a formula without a cached value,
/// an error value, or an empty cell covered by the merged range `merged`.
pub(crate) fn cell_text<'a>(
    cell: Option<&'a Cell>,
    merged: Option<&String>,
) -> Result<Option<&'a str>, RowErrorReason> {
    match cell {
        Some(Cell::Text(text)) if !text.trim().is_empty() => Ok(Some(text)),
        Some(Cell::FormulaWithoutValue(formula)) => Err(RowErrorReason::FormulaWithoutValue {
            formula: formula.chars().take(200).collect(),
        }),
        Some(Cell::ErrorValue(value)) => Err(RowErrorReason::ErrorValue {
            value: value.clone(),
        }),
        _ => merged.map_or(Ok(None), |range| {
            Err(RowErrorReason::MergedCell {
                range: range.clone(),
            })
        }),
    }
}

/// Reads the questions of a grid: every row valid, or every problem reported.
pub(crate) fn parse_grid(grid: &Grid, limits: &ImportLimits) -> Result<ImportedFile, ImportReport> {
    if grid.truncated {
        return Err(ImportReport::file(FileError::TooManyRows {
            limit: limits.max_rows,
        }));
    }
    let header = find_header(grid)?;
    let header_row = grid.rows.get(header.index).map_or(1, |r| r.number);
    let data = grid.rows.get(header.index + 1..).unwrap_or(&[]);
    let names: HashMap<Field, &str> = header
        .columns
        .iter()
        .map(|(_, f, h)| (*f, h.as_str()))
        .collect();
    let column_of = |field: Field| -> String {
        names
            .get(&field)
            .map_or_else(|| template_header(field), |h| (*h).to_owned())
    };
    let mapped_cols: HashSet<usize> = header.columns.iter().map(|(c, _, _)| *c).collect();

    // Blank rows (in the template's columns) are skipped; count the rest before any work.
    let rows = rows_with_data(data, &mapped_cols);
    if rows.len() > limits.max_rows {
        return Err(ImportReport::file(FileError::TooManyRows {
            limit: limits.max_rows,
        }));
    }
    if rows.is_empty() {
        return Err(ImportReport::file(FileError::NoQuestions));
    }
    let last_row = rows.last().map_or(header_row, |r| r.number);
    let merged = merged_cells(grid, header_row, last_row, &mapped_cols);

    let mut imported = Vec::with_capacity(rows.len());
    let mut errors = Vec::new();
    for row in rows {
        let mut draft = QuestionDraft {
            options: vec![String::new(); MAX_OPTIONS],
            ..QuestionDraft::default()
        };
        let by_col: HashMap<usize, &Cell> = row.cells.iter().map(|(c, cell)| (*c, cell)).collect();
        let mut broken = HashSet::new();
        for (col, field, header_text) in &header.columns {
            let text = cell_text(by_col.get(col).copied(), merged.get(&(row.number, *col)));
            match text {
                Ok(Some(text)) => set_field(&mut draft, *field, text),
                Ok(None) => {}
                Err(reason) => {
                    broken.insert(*field);
                    errors.push(RowError {
                        row: row.number,
                        column: Some(header_text.clone()),
                        reason,
                    });
                }
            }
        }
        match Question::from_draft(&draft) {
            Ok(question) if broken.is_empty() => imported.push(ImportedRow {
                row: row.number,
                question,
            }),
            Ok(_) => {}
            Err(field_errors) => errors.extend(
                field_errors
                    .into_iter()
                    .filter(|e| !broken.contains(&e.field))
                    .map(|e| RowError {
                        row: row.number,
                        column: Some(column_of(e.field)),
                        reason: RowErrorReason::Field {
                            field: e.field,
                            reason: e.reason,
                        },
                    }),
            ),
        }
    }
    if errors.is_empty() {
        Ok(ImportedFile {
            rows: imported,
            ignored_columns: header.ignored,
            sheet: grid.sheet.clone(),
            unsupported: Vec::new(),
        })
    } else {
        errors.sort_by_key(|e| e.row);
        Err(ImportReport {
            file_errors: Vec::new(),
            row_errors: errors,
        })
    }
}

fn set_field(draft: &mut QuestionDraft, field: Field, text: &str) {
    let text = text.to_owned();
    match field {
        Field::QuestionType => draft.question_type = text,
        Field::Stem => draft.stem = text,
        Field::Option(i) => {
            if let Some(slot) = draft.options.get_mut(usize::from(i)) {
                *slot = text;
            }
        }
        Field::Answer => draft.answer = text,
        Field::Difficulty => draft.difficulty = text,
        Field::ExamKind => draft.exam_kind = text,
        Field::EnforcementField => draft.field = text,
        Field::LegalBasis => draft.legal_basis = text,
        Field::Tags => draft.tags = text,
        Field::Explanation => draft.explanation = text,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn column_names_follow_spreadsheet_lettering() {
        assert_eq!(column_name(0), "A");
        assert_eq!(column_name(25), "Z");
        assert_eq!(column_name(26), "AA");
        assert_eq!(column_name(27), "AB");
        assert_eq!(column_name(701), "ZZ");
        assert_eq!(column_name(702), "AAA");
    }
}
