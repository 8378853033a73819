//! The question-bank domain (题库) of the enforcement qualification exam system.
//!
//! Pure Rust: no database, no HTTP, no async runtime; it builds for `wasm32-unknown-unknown`.
//! Every type that exists is valid (parse, don't validate), and every problem explains itself in
//! Chinese and English through [`Localized`].
//!
//! | module | owns |
//! |---|---|
//! | [`question`] | [`QuestionDraft`] (form/import input) → [`Question`] (valid, not `Serialize`), [`FieldError`]s, the candidate-facing [`QuestionView`] |
//! | [`answer`] | the secret [`AnswerKey`] (not `Serialize`; storage strings `B`, `ACD`, `T`/`F`) |
//! | [`classify`] | [`QuestionType`], [`ExamKind`], [`ExamScope`], [`Difficulty`] |
//! | [`text`] | [`Stem`], [`OptionText`], [`Explanation`], [`Tag`], [`EnforcementField`] |
//! | [`legal_basis`] | [`LegalBasis`] (`《中华人民共和国行政处罚法》第三十六条`) |
//! | [`normalize`] | [`normalize_stem`] for duplicate detection |
//! | [`revision`] | [`QuestionStatus`], [`RevisionNumber`], the revision rules |
//! | [`import`] | all-or-nothing parsers: [`parse_csv`], [`parse_xlsx`], [`parse_gift`], [`parse_aiken`] → [`ImportedFile`] or [`ImportReport`] |
//! | `tabular` (feature `files`) | `read_table`: any `.csv` / `.xlsx` table (a candidate list…) → `Table` of headers and text rows, problems as an [`ImportReport`] |
//! | [`preview`] | the dry-run [`Preview`]: counts, duplicates, warnings |
//! | [`export`] | [`to_xlsx`], [`to_csv`], [`to_gift`]; every export re-imports to the same questions |
//! | [`template`] | the template's columns and headers |
//! | [`points`] | exact [`Points`] (hundredths) |
//! | [`blueprint`] | 组卷方案: [`Blueprint`], [`Section`], [`Quota`], [`Selector`], [`ScoringRule`] |
//! | [`snapshot`] | the pool: [`BankSnapshot`] of [`QuestionRef`] → [`Question`] |
//! | [`coverage`] | [`Blueprint::check`] → [`CoverageReport`]: shortfalls, exposure, difficulty |
//! | [`assembly`] | seeded, reproducible assembly: [`PreparedPool`], [`Seed`], batches with exposure control |
//! | [`paper`] | the stored [`Paper`] (no key) and the candidate's [`PaperView`] |
//! | [`scoring`] | [`score`] of [`Answers`] under each section's rule |
//! | [`lang`] | [`Lang`], [`Localized`] and the message catalogue (`locales/zh.json`, `locales/en.json`) |
//!
//! Feature `files` (default): the `.csv` / `.xlsx` readers and writers. They build for wasm32
//! too, but a browser bundle that does not need them can leave them out with
//! `default-features = false`; GIFT and Aiken are always available.

pub mod analysis;
pub mod answer;
pub mod assembly;
pub mod blueprint;
pub mod classify;
pub mod coverage;
pub mod export;
pub mod import;
pub mod lang;
pub mod legal_basis;
pub mod normalize;
pub mod paper;
pub mod points;
pub mod preview;
pub mod question;
pub mod revision;
pub mod scoring;
pub mod snapshot;
#[cfg(feature = "files")]
pub mod tabular;
pub mod template;
pub mod text;

pub use analysis::{Analysis, Distribution, Flag, ItemStats, analyse, distribution, histogram};
pub use answer::{AnswerKey, AnswerKeyError, MAX_OPTIONS, MIN_OPTIONS};
pub use assembly::{
    ALGORITHM, AssemblyError, BatchAssembler, BatchState, PreparedPool, ResumeError, Seed,
    assemble, assemble_batch, regenerate,
};
pub use blueprint::{
    Blueprint, BlueprintError, BlueprintErrors, BlueprintParts, Quota, ScoringRule, Section,
    Selector,
};
pub use classify::{Difficulty, ExamKind, ExamScope, QuestionType};
pub use coverage::{
    CoverageProblem, CoverageReport, DifficultyCoverage, QuotaCoverage, SectionCoverage,
};
pub use export::{Cell, ExportError, to_gift};
#[cfg(feature = "files")]
pub use export::{table_csv, table_xlsx, template_xlsx, to_csv, to_xlsx};
pub use import::{
    FileError, ImportDefaults, ImportLimits, ImportReport, ImportedFile, ImportedRow, RowError,
    RowErrorReason, parse_aiken, parse_gift, parse_gift_with,
};
#[cfg(feature = "files")]
pub use import::{parse_csv, parse_csv_with, parse_xlsx, parse_xlsx_with};
pub use lang::{Lang, Localized};
pub use legal_basis::{LegalBasis, LegalBasisError};
pub use normalize::{is_duplicate_stem, normalize_stem};
pub use paper::{ItemView, Paper, PaperError, PaperItem, PaperSection, PaperView, SectionView};
pub use points::Points;
pub use preview::{Preview, Warning, WarningKind};
pub use question::{
    Field, FieldError, FieldErrorReason, Question, QuestionDraft, QuestionParts, QuestionView,
};
pub use revision::{QuestionStatus, RevisionError, RevisionNumber};
pub use scoring::{
    Answers, Chosen, Decisions, ItemDecision, ItemScore, Outcome, Response, Score, Subtotal, score,
    score_under,
};
pub use snapshot::{BankSnapshot, QuestionRef, SnapshotError};
#[cfg(feature = "files")]
pub use tabular::{Table, TableRow, read_csv_table, read_table, read_xlsx_table};
pub use text::{EnforcementField, Explanation, OptionText, Stem, Tag, TextError};
