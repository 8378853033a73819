//! The question bank as authors use it: browse with filters, read a question with its
//! revision history, write and revise with live validation, retire and restore, import files
//! with a preview, export.
//!
//! The rules of a valid question live in `question-bank`; the same check runs in the browser
//! (live validation) and on the server (the one that counts).

mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::{GetUrl, Json, MultipartData, MultipartFormData, Streaming};
use question_bank::{FieldError, Localized, question::Field};
use serde::{Deserialize, Serialize};

pub use pages::{BankPage, ImportPage, NewQuestionPage, QuestionPage};

use crate::{
    error::{AppError, FieldMessage, Text},
    roles::Role,
};
pub use question_bank::QuestionDraft;

/// Who may read the bank.
pub const READERS: &[Role] = &[Role::QuestionAuthor, Role::OfficeAdmin];
/// Who may change it.
pub const WRITERS: &[Role] = &[Role::QuestionAuthor];

/// The form key of a question field (`stem`, `option_2`, …).
pub fn field_key(field: Field) -> String {
    match field {
        Field::QuestionType => "question_type".into(),
        Field::Stem => "stem".into(),
        Field::Option(i) => format!("option_{i}"),
        Field::Answer => "answer".into(),
        Field::Difficulty => "difficulty".into(),
        Field::ExamKind => "exam_kind".into(),
        Field::EnforcementField => "field".into(),
        Field::LegalBasis => "legal_basis".into(),
        Field::Tags => "tags".into(),
        Field::Explanation => "explanation".into(),
    }
}

/// Both languages of a `question-bank` message.
pub fn text_of(m: &impl Localized) -> Text {
    Text::localized(m)
}

/// Field errors of a draft as the app's error.
pub fn fields_error(errors: &[FieldError]) -> AppError {
    AppError::Fields {
        errors: errors
            .iter()
            .map(|e| FieldMessage {
                field: field_key(e.field),
                message: text_of(e),
            })
            .collect(),
    }
}

/// Filters of the bank list. Empty strings mean "any".
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankFilter {
    pub question_type: String,
    pub exam_kind: String,
    pub field: String,
    pub law: String,
    pub difficulty: String,
    pub tag: String,
    pub status: String,
    pub text: String,
    pub page: u64,
}

/// One question as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankRow {
    pub id: i64,
    pub revision: i32,
    pub question_type: String,
    pub exam_kind: String,
    pub field: Option<String>,
    pub stem: String,
    pub legal_basis: String,
    pub difficulty: i16,
    pub tags: Vec<String>,
    pub active: bool,
}

/// A page of the bank.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankPageData {
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub rows: Vec<BankRow>,
}

/// One revision in a question's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevisionInfo {
    pub number: i32,
    pub created_at: DateTime<Utc>,
    pub author: String,
    pub stem: String,
}

/// A question for its authors: the current revision (with its key) and the history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionDetail {
    pub id: i64,
    pub active: bool,
    pub revision: i32,
    pub draft: QuestionDraft,
    pub history: Vec<RevisionInfo>,
}

/// One bad row of an import file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowProblem {
    pub row: u32,
    pub column: String,
    pub message: Text,
}

/// A question of an uploaded file that the bank cannot hold (a GIFT essay, matching, numerical
/// or short-answer question): imported only by leaving it out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsupportedRow {
    /// The line the question starts on.
    pub line: u32,
    /// Its GIFT name (`::Q8::` → `Q8`), if it has one.
    pub name: Option<String>,
    /// 论述题 / essay, 匹配题 / matching, …
    pub kind: Text,
}

/// What an uploaded file would import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportPreview {
    pub upload_id: i64,
    pub file_name: String,
    pub total: u64,
    pub by_type: Vec<(String, u64)>,
    pub by_kind: Vec<(String, u64)>,
    pub by_field: Vec<(String, u64)>,
    pub by_difficulty: Vec<(u8, u64)>,
    /// (first row, repeating row) within the file.
    pub duplicates_in_file: Vec<(u32, u32)>,
    /// Rows whose stem the bank holds already.
    pub duplicates_in_bank: Vec<u32>,
    /// Questions the bank cannot hold; the import needs `skip_unsupported` to leave them out.
    pub unsupported: Vec<UnsupportedRow>,
    pub warnings: Vec<Text>,
}

/// The answer to an upload: a preview to confirm, or every problem of the file.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum UploadOutcome {
    Preview(ImportPreview),
    Rejected {
        file_problems: Vec<Text>,
        rows: Vec<RowProblem>,
    },
}

/// The result of a confirmed import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportResult {
    pub stored: u64,
    pub skipped_duplicates: u64,
    pub skipped_unsupported: u64,
}

/// A filtered page of the bank. Question authors and the office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "bank/list", input = Json)]
pub async fn list_questions(filter: BankFilter) -> Result<BankPageData, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(READERS).await?;
    ssr::list(&state.db, &filter).await
}

/// One question with its history. Question authors and the office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "bank/get", input = Json)]
pub async fn get_question(id: i64) -> Result<QuestionDetail, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(READERS).await?;
    ssr::detail(&state.db, id).await
}

/// Creates a question (revision 1). Question authors.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "bank/create", input = Json)]
pub async fn create_question(draft: QuestionDraft) -> Result<i64, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(WRITERS).await?;
    ssr::create(&state.db, &caller, &draft).await
}

/// Saves an edit as a new revision; returns the current revision number. Question authors.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "bank/update", input = Json)]
pub async fn update_question(id: i64, draft: QuestionDraft) -> Result<i32, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(WRITERS).await?;
    ssr::update(&state.db, &caller, id, &draft).await
}

/// Retires (never drawn again) or restores a question. Question authors.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "bank/set-active", input = Json)]
pub async fn set_question_active(id: i64, active: bool) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(WRITERS).await?;
    ssr::set_active(&state.db, &caller, id, active).await
}

/// Uploads a bank file (`file`; for GIFT/Aiken also `exam_kind`, `field`, `difficulty`,
/// `legal_basis` defaults) and answers with its preview or every problem. Question authors.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "bank/import/upload", input = MultipartFormData)]
pub async fn upload_bank_file(data: MultipartData) -> Result<UploadOutcome, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(WRITERS).await?;
    let form = ssr::read_upload_form(data).await?;
    ssr::upload(&state.db, &caller, form).await
}

/// Stores every question of a previewed upload in one transaction, leaving out repeated
/// questions (`skip_duplicates`) and questions the bank cannot hold (`skip_unsupported`) when
/// asked to; otherwise either makes the import fail. Question authors.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "bank/import/commit", input = Json)]
pub async fn commit_import(
    upload_id: i64,
    skip_duplicates: bool,
    skip_unsupported: bool,
) -> Result<ImportResult, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(WRITERS).await?;
    let options = ssr::CommitOptions {
        skip_duplicates,
        skip_unsupported,
    };
    ssr::commit(&state.db, &caller, upload_id, options).await
}

/// Downloads the questions matching the filter as `xlsx` (the import template) or `gift`.
/// Question authors and the office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "bank/export", input = GetUrl, output = Streaming)]
pub async fn export_bank(
    format: String,
    status: Option<String>,
    exam_kind: Option<String>,
    field: Option<String>,
) -> Result<leptos::server_fn::codec::ByteStream<AppError>, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(READERS).await?;
    let filter = BankFilter {
        status: status.unwrap_or_default(),
        exam_kind: exam_kind.unwrap_or_default(),
        field: field.unwrap_or_default(),
        ..BankFilter::default()
    };
    let (content_type, file_name, bytes) = ssr::export(&state.db, &filter, &format).await?;
    crate::ssr::context::download(content_type, &file_name, bytes)
}

/// The sample bank in the import template, to copy as an example. Question authors and the
/// office admin.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "bank/template", input = GetUrl, output = Streaming)]
pub async fn bank_template() -> Result<leptos::server_fn::codec::ByteStream<AppError>, AppError> {
    crate::ssr::require(READERS).await?;
    if let Some(opts) = use_context::<leptos_axum::ResponseOptions>() {
        opts.insert_header(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("text/csv; charset=utf-8"),
        );
        opts.insert_header(
            http::header::CONTENT_DISPOSITION,
            http::HeaderValue::from_static("attachment; filename=\"sample-bank.csv\""),
        );
    }
    Ok(leptos::server_fn::codec::ByteStream::new(
        futures::stream::once(async { Ok::<_, AppError>(ssr::SAMPLE_BANK.to_vec()) }),
    ))
}
