//! Services of the question bank. Every change runs in one transaction with its audit entry;
//! an import stores all of its questions or none.

use std::collections::HashSet;

use chrono::Utc;
use question_bank::{
    Difficulty, ExamKind, ExamScope, ImportDefaults, ImportReport, ImportedFile, LegalBasis,
    Preview, Question, QuestionDraft, RevisionNumber,
    import::{GiftOptions, UnsupportedQuestion},
    revision::{EditOutcome, plan_edit},
};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, QuerySelect, Set,
};

use super::{
    BankFilter, BankPageData, BankRow, ImportPreview, ImportResult, QuestionDetail, RevisionInfo,
    RowProblem, UnsupportedRow, UploadOutcome, fields_error, text_of,
};
use crate::{
    audit::ssr::{Actor, record},
    error::AppError,
    ssr::{
        Caller, begin_write, corrupt,
        entities::{import_upload, question, question_revision},
    },
};

/// The sample bank shipped with the system (the import template, filled in).
pub const SAMPLE_BANK: &[u8] = include_bytes!("../../../question-bank/sample/sample-bank.csv");

/// The largest bank file accepted.
pub const MAX_UPLOAD_BYTES: usize = 100 * 1024 * 1024;
const ACTIVE: &str = "active";
const RETIRED: &str = "retired";

fn joined(items: impl Iterator<Item = String>) -> String {
    let mut s = String::from("|");
    for i in items {
        s.push_str(&i);
        s.push('|');
    }
    s
}

/// The filterable columns of a question.
fn columns(q: &Question) -> (String, String) {
    let laws = joined(q.legal_basis().law_names().map(str::to_owned));
    let tags = joined(q.tags().iter().map(|t| t.as_str().to_owned()));
    (laws, tags)
}

fn content(q: &Question) -> Result<String, AppError> {
    serde_json::to_string(&q.to_draft()).map_err(|e| {
        tracing::error!("bank: serialise draft: {e}");
        AppError::Internal
    })
}

/// The question stored in a revision.
pub fn question_of(rev: &question_revision::Model) -> Result<Question, AppError> {
    let draft: QuestionDraft = serde_json::from_str(&rev.content).map_err(|e| {
        tracing::error!("bank: revision {} unreadable: {e}", rev.id);
        AppError::Internal
    })?;
    Question::from_draft(&draft).map_err(|errors| {
        tracing::error!("bank: revision {} no longer valid: {errors:?}", rev.id);
        AppError::Internal
    })
}

fn active_model(q: &Question, revision: i32, now: chrono::DateTime<Utc>) -> question::ActiveModel {
    let (laws, tags) = columns(q);
    question::ActiveModel {
        status: Set(ACTIVE.to_owned()),
        revision: Set(revision),
        question_type: Set(q.question_type().as_str().to_owned()),
        exam_kind: Set(q.exam_kind().as_str().to_owned()),
        field: Set(q.field().map(|f| f.as_str().to_owned())),
        difficulty: Set(i16::from(q.difficulty().get())),
        stem: Set(q.stem().as_str().to_owned()),
        normalized_stem: Set(q.normalized_stem()),
        legal_basis: Set(q.legal_basis().as_str().to_owned()),
        laws: Set(laws),
        tags: Set(tags),
        updated_at: Set(now),
        ..Default::default()
    }
}

async fn insert_revision(
    conn: &impl ConnectionTrait,
    question_id: i64,
    number: i32,
    q: &Question,
    actor: &Actor,
) -> Result<i64, AppError> {
    let rev = question_revision::ActiveModel {
        question_id: Set(question_id),
        number: Set(number),
        content: Set(content(q)?),
        author_id: Set(actor.id),
        author_name: Set(actor.name.clone()),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(rev.id)
}

/// Stores a new question with its first revision; returns its id.
async fn insert_question(
    conn: &impl ConnectionTrait,
    q: &Question,
    actor: &Actor,
) -> Result<i64, AppError> {
    let now = Utc::now();
    let mut am = active_model(q, 1, now);
    am.created_at = Set(now);
    let row = am.insert(conn).await?;
    insert_revision(conn, row.id, 1, q, actor).await?;
    Ok(row.id)
}

/// Refuses a stem that an active question (other than `except`) has already.
async fn ensure_unique_stem(
    conn: &impl ConnectionTrait,
    q: &Question,
    except: Option<i64>,
) -> Result<(), AppError> {
    let mut find = question::Entity::find()
        .filter(question::Column::NormalizedStem.eq(q.normalized_stem()))
        .filter(question::Column::Status.eq(ACTIVE));
    if let Some(id) = except {
        find = find.filter(question::Column::Id.ne(id));
    }
    if let Some(other) = find.one(conn).await? {
        return Err(AppError::conflict(
            "stem",
            crate::msg!(bank.question_id_has_same_stem_already, id = other.id),
        ));
    }
    Ok(())
}

/// Creates a question from a draft.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    draft: &QuestionDraft,
) -> Result<i64, AppError> {
    let q = Question::from_draft(draft).map_err(|e| fields_error(&e))?;
    let actor = Actor::from(&caller.user);
    let txn = begin_write(db).await?;
    ensure_unique_stem(&txn, &q, None).await?;
    let id = insert_question(&txn, &q, &actor).await?;
    record(
        &txn,
        &actor,
        "bank.create",
        &format!("question:{id}"),
        serde_json::json!({ "revision": 1 }),
    )
    .await?;
    txn.commit().await?;
    Ok(id)
}

async fn current_revision(
    conn: &impl ConnectionTrait,
    row: &question::Model,
) -> Result<question_revision::Model, AppError> {
    question_revision::Entity::find()
        .filter(question_revision::Column::QuestionId.eq(row.id))
        .filter(question_revision::Column::Number.eq(row.revision))
        .one(conn)
        .await?
        .ok_or_else(|| {
            tracing::error!("bank: question {} lacks revision {}", row.id, row.revision);
            AppError::Internal
        })
}

async fn find_row(conn: &impl ConnectionTrait, id: i64) -> Result<question::Model, AppError> {
    question::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)
}

/// Saves an edit as a new revision (none when nothing changed); returns the current number.
#[tracing::instrument(skip_all)]
pub async fn update(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    draft: &QuestionDraft,
) -> Result<i32, AppError> {
    let edited = Question::from_draft(draft).map_err(|e| fields_error(&e))?;
    let actor = Actor::from(&caller.user);
    let txn = begin_write(db).await?;
    let row = find_row(&txn, id).await?;
    let current = question_of(&current_revision(&txn, &row).await?)?;
    let number =
        RevisionNumber::new(u32::try_from(row.revision).unwrap_or(1)).ok_or(AppError::Internal)?;
    let next = match plan_edit(&current, number, &edited) {
        Ok(EditOutcome::Unchanged) => return Ok(row.revision),
        Ok(EditOutcome::NewRevision(n)) => {
            i32::try_from(n.get()).map_err(|_| AppError::Internal)?
        }
        Err(e) => {
            return Err(AppError::conflict("revision", text_of(&e)));
        }
    };
    ensure_unique_stem(&txn, &edited, Some(id)).await?;
    insert_revision(&txn, id, next, &edited, &actor).await?;
    let mut am = active_model(&edited, next, Utc::now());
    am.id = Set(id);
    am.status = Set(row.status.clone());
    am.update(&txn).await?;
    record(
        &txn,
        &actor,
        "bank.revise",
        &format!("question:{id}"),
        serde_json::json!({ "revision": next }),
    )
    .await?;
    txn.commit().await?;
    Ok(next)
}

/// Retires or restores a question.
#[tracing::instrument(skip_all)]
pub async fn set_active(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    active: bool,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    let row = find_row(&txn, id).await?;
    if active && row.status != ACTIVE {
        let q = question_of(&current_revision(&txn, &row).await?)?;
        ensure_unique_stem(&txn, &q, Some(id)).await?;
    }
    let mut am: question::ActiveModel = row.into();
    am.status = Set(if active { ACTIVE } else { RETIRED }.to_owned());
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        if active {
            "bank.restore"
        } else {
            "bank.retire"
        },
        &format!("question:{id}"),
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

fn filtered(filter: &BankFilter) -> sea_orm::Select<question::Entity> {
    let mut q = question::Entity::find();
    let eq = |col: question::Column, v: &str| (!v.trim().is_empty()).then(|| col.eq(v.trim()));
    let mut cond = Condition::all();
    for c in [
        eq(question::Column::QuestionType, &filter.question_type),
        eq(question::Column::ExamKind, &filter.exam_kind),
        eq(question::Column::Field, &filter.field),
        eq(question::Column::Status, &filter.status),
    ]
    .into_iter()
    .flatten()
    {
        cond = cond.add(c);
    }
    if let Ok(d) = filter.difficulty.trim().parse::<i16>() {
        cond = cond.add(question::Column::Difficulty.eq(d));
    }
    if !filter.law.trim().is_empty() {
        cond = cond.add(question::Column::Laws.contains(filter.law.trim()));
    }
    if !filter.tag.trim().is_empty() {
        cond = cond.add(question::Column::Tags.contains(format!("|{}|", filter.tag.trim())));
    }
    if !filter.text.trim().is_empty() {
        cond = cond.add(question::Column::Stem.contains(filter.text.trim()));
    }
    q = q.filter(cond);
    q
}

fn bank_row(m: question::Model) -> BankRow {
    BankRow {
        id: m.id,
        revision: m.revision,
        question_type: m.question_type,
        exam_kind: m.exam_kind,
        field: m.field,
        stem: m.stem,
        legal_basis: m.legal_basis,
        difficulty: m.difficulty,
        tags: m
            .tags
            .split('|')
            .filter(|t| !t.is_empty())
            .map(str::to_owned)
            .collect(),
        active: m.status == ACTIVE,
    }
}

/// A filtered page of the bank, newest first.
#[tracing::instrument(skip_all)]
pub async fn list(
    conn: &impl ConnectionTrait,
    filter: &BankFilter,
) -> Result<BankPageData, AppError> {
    const PER_PAGE: u64 = 20;
    let total = filtered(filter).count(conn).await?;
    let rows = filtered(filter)
        .order_by_desc(question::Column::Id)
        .offset(filter.page * PER_PAGE)
        .limit(PER_PAGE)
        .all(conn)
        .await?;
    Ok(BankPageData {
        total,
        page: filter.page,
        per_page: PER_PAGE,
        rows: rows.into_iter().map(bank_row).collect(),
    })
}

/// A question with its current draft and revision history.
#[tracing::instrument(skip_all)]
pub async fn detail(conn: &impl ConnectionTrait, id: i64) -> Result<QuestionDetail, AppError> {
    let row = find_row(conn, id).await?;
    let revisions = question_revision::Entity::find()
        .filter(question_revision::Column::QuestionId.eq(id))
        .order_by_desc(question_revision::Column::Number)
        .all(conn)
        .await?;
    let current = revisions
        .iter()
        .find(|r| r.number == row.revision)
        .ok_or(AppError::Internal)?;
    let draft = question_of(current)?.to_draft();
    let mut history = Vec::with_capacity(revisions.len());
    for r in &revisions {
        history.push(RevisionInfo {
            number: r.number,
            created_at: r.created_at,
            author: r.author_name.clone(),
            stem: question_of(r)?.stem().as_str().to_owned(),
        });
    }
    Ok(QuestionDetail {
        id,
        active: row.status == ACTIVE,
        revision: row.revision,
        draft,
        history,
    })
}

/// A bank file as uploaded, with the defaults for formats that lack our metadata.
pub struct UploadForm {
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub exam_kind: String,
    pub field: String,
    pub difficulty: String,
    pub legal_basis: String,
}

/// Reads the multipart upload.
#[tracing::instrument(skip_all)]
pub async fn read_upload_form(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<UploadForm, AppError> {
    let mut multipart = data.into_inner().ok_or_else(|| AppError::BadRequest {
        field: Some("file".into()),
    })?;
    let mut form = UploadForm {
        file_name: String::new(),
        bytes: Vec::new(),
        exam_kind: String::new(),
        field: String::new(),
        difficulty: String::new(),
        legal_basis: String::new(),
    };
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest {
            field: Some("file".into()),
        })?
    {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            form.file_name = field
                .file_name()
                .unwrap_or("upload")
                .chars()
                .take(255)
                .collect();
            while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest {
                field: Some("file".into()),
            })? {
                if form.bytes.len() + chunk.len() > MAX_UPLOAD_BYTES {
                    return Err(AppError::invalid(
                        "file",
                        crate::msg!(bank.file_is_larger_than_100_mb),
                    ));
                }
                form.bytes.extend_from_slice(&chunk);
            }
        } else {
            let value = field.text().await.map_err(|_| AppError::BadRequest {
                field: Some("file".into()),
            })?;
            match name.as_str() {
                "exam_kind" => form.exam_kind = value,
                "field" => form.field = value,
                "difficulty" => form.difficulty = value,
                "legal_basis" => form.legal_basis = value,
                _ => {}
            }
        }
    }
    if form.bytes.is_empty() {
        return Err(AppError::invalid(
            "file",
            crate::msg!(bank.choose_bank_file_to_import_xlsx),
        ));
    }
    Ok(form)
}

enum Format {
    Csv,
    Xlsx,
    Gift,
    Aiken,
}

fn format_of(file_name: &str, bytes: &[u8]) -> Format {
    let lower = file_name.to_lowercase();
    if lower.ends_with(".xlsx") || bytes.starts_with(b"PK") {
        Format::Xlsx
    } else if lower.ends_with(".gift") {
        Format::Gift
    } else if lower.ends_with(".aiken") {
        Format::Aiken
    } else if lower.ends_with(".txt") {
        // Aiken files have "ANSWER:" lines; GIFT has braces.
        if bytes.windows(7).any(|w| w.eq_ignore_ascii_case(b"ANSWER:")) {
            Format::Aiken
        } else {
            Format::Gift
        }
    } else {
        Format::Csv
    }
}

fn defaults_of(form: &UploadForm) -> Result<ImportDefaults, AppError> {
    let kind = if form.exam_kind.trim().is_empty() {
        ExamKind::General
    } else {
        ExamKind::parse(form.exam_kind.trim())
            .ok_or_else(|| AppError::invalid("exam_kind", crate::msg!(bank.choose_exam_kind)))?
    };
    let scope = match kind {
        ExamKind::General => ExamScope::General,
        ExamKind::Professional => ExamScope::Professional(
            question_bank::EnforcementField::parse(form.field.trim()).map_err(|_| {
                AppError::invalid(
                    "field",
                    crate::msg!(bank.professional_questions_need_enforcement_field_e),
                )
            })?,
        ),
    };
    let difficulty = Difficulty::parse(form.difficulty.trim()).unwrap_or(Difficulty::MEDIUM);
    let legal_basis = if form.legal_basis.trim().is_empty() {
        None
    } else {
        Some(
            LegalBasis::parse(form.legal_basis.trim())
                .map_err(|e| AppError::invalid("legal_basis", text_of(&e)))?,
        )
    };
    Ok(ImportDefaults {
        scope,
        difficulty,
        legal_basis,
    })
}

/// Parses a file off the async runtime (a large workbook takes a while); gives the form back.
async fn parse_blocking(
    form: UploadForm,
) -> Result<(UploadForm, Result<ImportedFile, ImportReport>), AppError> {
    tokio::task::spawn_blocking(move || {
        let parsed = parse(&form);
        parsed.map(|p| (form, p))
    })
    .await
    .map_err(|e| {
        tracing::error!("bank: parse task: {e}");
        AppError::Internal
    })?
}

/// Parses a file by its format; GIFT and Aiken use the defaults of the form.
fn parse(form: &UploadForm) -> Result<Result<ImportedFile, ImportReport>, AppError> {
    Ok(match format_of(&form.file_name, &form.bytes) {
        Format::Csv => question_bank::parse_csv(&form.bytes),
        Format::Xlsx => question_bank::parse_xlsx(&form.bytes),
        // Questions the bank cannot hold are listed in the preview; whether they may be left
        // out is the author's choice when committing.
        Format::Gift => question_bank::import::parse_gift_with(
            &form.bytes,
            &defaults_of(form)?,
            &GiftOptions {
                skip_unsupported: true,
            },
        ),
        Format::Aiken => question_bank::import::parse_aiken(&form.bytes, &defaults_of(form)?),
    })
}

fn rejected(report: &ImportReport) -> UploadOutcome {
    UploadOutcome::Rejected {
        file_problems: report.file_errors.iter().map(text_of).collect(),
        rows: report
            .row_errors
            .iter()
            .map(|e| RowProblem {
                row: e.row,
                column: e.column.clone().unwrap_or_default(),
                message: text_of(&e.reason),
            })
            .collect(),
    }
}

async fn bank_stems(conn: &impl ConnectionTrait) -> Result<HashSet<String>, AppError> {
    let stems: Vec<String> = question::Entity::find()
        .select_only()
        .column(question::Column::NormalizedStem)
        .filter(question::Column::Status.eq(ACTIVE))
        .into_tuple()
        .all(conn)
        .await?;
    Ok(stems.into_iter().collect())
}

fn counts<K: ToString>(m: impl IntoIterator<Item = (K, usize)>) -> Vec<(String, u64)> {
    m.into_iter()
        .map(|(k, v)| (k.to_string(), v as u64))
        .collect()
}

/// Parses an upload: stores it for the confirmation and answers with the preview, or answers
/// with every problem and stores nothing.
#[tracing::instrument(skip_all)]
pub async fn upload(
    db: &DatabaseConnection,
    caller: &Caller,
    form: UploadForm,
) -> Result<UploadOutcome, AppError> {
    let (form, parsed) = parse_blocking(form).await?;
    let file = match parsed {
        Ok(file) => file,
        Err(report) => return Ok(rejected(&report)),
    };
    let stems = bank_stems(db).await?;
    let preview = Preview::build(&file, |s| stems.contains(s));
    // Uploads older than a day were abandoned; drop them as we go.
    import_upload::Entity::delete_many()
        .filter(import_upload::Column::CreatedAt.lt(Utc::now() - chrono::Duration::days(1)))
        .exec(db)
        .await?;
    // The defaults go with the file, so the confirmed import reads it as the preview did.
    let defaults = serde_json::json!({
        "exam_kind": form.exam_kind,
        "field": form.field,
        "difficulty": form.difficulty,
        "legal_basis": form.legal_basis,
    });
    let stored = import_upload::ActiveModel {
        account_id: Set(caller.user.id),
        file_name: Set(form.file_name.clone()),
        content: Set(form.bytes),
        created_at: Set(Utc::now()),
        defaults: Set(Some(defaults.to_string())),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(UploadOutcome::Preview(ImportPreview {
        upload_id: stored.id,
        file_name: form.file_name,
        total: preview.total as u64,
        by_type: counts(preview.by_type.iter().map(|(k, v)| (k.label_zh(), *v))),
        by_kind: counts(preview.by_exam_kind.iter().map(|(k, v)| (k.label_zh(), *v))),
        by_field: counts(preview.by_field.iter().map(|(k, v)| (k.clone(), *v))),
        by_difficulty: preview
            .by_difficulty
            .iter()
            .map(|(k, v)| (*k, *v as u64))
            .collect(),
        duplicates_in_file: preview
            .duplicates_in_file
            .iter()
            .map(|d| (d.first_row, d.row))
            .collect(),
        duplicates_in_bank: preview.duplicates_in_bank.clone(),
        unsupported: file
            .unsupported
            .iter()
            .map(|q| UnsupportedRow {
                line: q.line,
                name: q.name.clone(),
                kind: text_of(&q.kind),
            })
            .collect(),
        warnings: preview.warnings.iter().map(text_of).collect(),
    }))
}

/// What a confirmed import may leave out.
#[derive(Clone, Copy, Debug, Default)]
pub struct CommitOptions {
    /// Leave out questions whose stem the bank (or an earlier row) holds.
    pub skip_duplicates: bool,
    /// Leave out questions the bank cannot hold (GIFT essay, matching, numerical, short answer).
    pub skip_unsupported: bool,
}

/// Stores every question of a previewed upload in one transaction. Repeated questions, and
/// questions the bank cannot hold, are left out when `options` say so; otherwise any of them
/// makes the whole import fail.
#[tracing::instrument(skip_all)]
pub async fn commit(
    db: &DatabaseConnection,
    caller: &Caller,
    upload_id: i64,
    options: CommitOptions,
) -> Result<ImportResult, AppError> {
    let upload = import_upload::Entity::find_by_id(upload_id)
        .filter(import_upload::Column::AccountId.eq(caller.user.id))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let defaults: serde_json::Value = match upload.defaults.as_deref() {
        Some(json) => serde_json::from_str(json).map_err(|_| corrupt("upload defaults", json))?,
        None => serde_json::Value::Null,
    };
    let default = |key: &str| defaults[key].as_str().unwrap_or_default().to_owned();
    let form = UploadForm {
        file_name: upload.file_name.clone(),
        bytes: upload.content,
        exam_kind: default("exam_kind"),
        field: default("field"),
        difficulty: default("difficulty"),
        legal_basis: default("legal_basis"),
    };
    let file = match parse_blocking(form).await?.1 {
        Ok(file) => file,
        Err(_) => {
            return Err(AppError::conflict(
                "upload_id",
                crate::msg!(bank.file_no_longer_passes_validation_upload),
            ));
        }
    };
    if !options.skip_unsupported && !file.unsupported.is_empty() {
        return Err(unsupported_error(&file.unsupported));
    }
    let actor = Actor::from(&caller.user);
    let txn = begin_write(db).await?;
    let mut seen = bank_stems(&txn).await?;
    let (mut stored, mut skipped) = (0u64, 0u64);
    for row in &file.rows {
        let stem = row.question.normalized_stem();
        if seen.contains(&stem) {
            if options.skip_duplicates {
                skipped += 1;
                continue;
            }
            return Err(AppError::conflict(
                "file",
                crate::msg!(bank.row_row_repeats_stem_of_bank, row = row.row),
            ));
        }
        insert_question(&txn, &row.question, &actor).await?;
        seen.insert(stem);
        stored += 1;
    }
    import_upload::Entity::delete_by_id(upload_id)
        .exec(&txn)
        .await?;
    record(
        &txn,
        &actor,
        "bank.import",
        &format!("upload:{upload_id}"),
        serde_json::json!({ "file": upload.file_name, "stored": stored, "skipped": skipped,
            "skipped_unsupported": file.unsupported.len() }),
    )
    .await?;
    txn.commit().await?;
    Ok(ImportResult {
        stored,
        skipped_duplicates: skipped,
        skipped_unsupported: file.unsupported.len() as u64,
    })
}

/// The refusal of an import holding questions the bank cannot hold, naming each.
fn unsupported_error(questions: &[UnsupportedQuestion]) -> AppError {
    use crate::i18n::td_string;
    AppError::conflict(
        "skip_unsupported",
        crate::error::Text::render(|locale| {
            let named = questions
                .iter()
                .map(|q| {
                    let kind = text_of(&q.kind);
                    let kind = kind.get(locale);
                    match &q.name {
                        Some(name) => td_string!(
                            locale,
                            bank.unsupported_named,
                            name = name,
                            line = q.line,
                            kind = kind
                        )
                        .to_string(),
                        None => {
                            td_string!(locale, bank.unsupported_unnamed, line = q.line, kind = kind)
                                .to_string()
                        }
                    }
                })
                .collect::<Vec<_>>()
                .join(td_string!(locale, common.enumeration_separator));
            td_string!(
                locale,
                bank.file_holds_unsupported,
                count = questions.len(),
                questions = named
            )
            .to_string()
        }),
    )
}

/// Imports a whole file at once (no preview), e.g. the sample bank for the demo data.
#[tracing::instrument(skip_all)]
pub async fn import_file(
    db: &DatabaseConnection,
    actor: &Actor,
    file: &ImportedFile,
) -> Result<u64, AppError> {
    let txn = begin_write(db).await?;
    let mut seen = bank_stems(&txn).await?;
    let mut stored = 0;
    for row in &file.rows {
        if seen.insert(row.question.normalized_stem()) {
            insert_question(&txn, &row.question, actor).await?;
            stored += 1;
        }
    }
    record(
        &txn,
        actor,
        "bank.import",
        "sample",
        serde_json::json!({ "stored": stored }),
    )
    .await?;
    txn.commit().await?;
    Ok(stored)
}

/// The matching questions as a file: `(content type, file name, bytes)`.
#[tracing::instrument(skip_all)]
pub async fn export(
    conn: &impl ConnectionTrait,
    filter: &BankFilter,
    format: &str,
) -> Result<(&'static str, String, Vec<u8>), AppError> {
    let rows = filtered(filter)
        .order_by_asc(question::Column::Id)
        .all(conn)
        .await?;
    let mut questions = Vec::with_capacity(rows.len());
    for row in &rows {
        questions.push(question_of(&current_revision(conn, row).await?)?);
    }
    let date = Utc::now()
        .with_timezone(&crate::batches::china_time())
        .format("%Y%m%d");
    match format {
        "gift" => Ok((
            "text/plain; charset=utf-8",
            format!("question-bank-{date}.gift.txt"),
            question_bank::to_gift(&questions).into_bytes(),
        )),
        "xlsx" => {
            let bytes = question_bank::to_xlsx(&questions).map_err(|e| {
                tracing::error!("bank: xlsx export: {e}");
                AppError::Internal
            })?;
            Ok((
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                format!("question-bank-{date}.xlsx"),
                bytes,
            ))
        }
        other => Err(AppError::invalid(
            "format",
            crate::msg!(bank.unknown_export_format_other_use_xlsx, other = other),
        )),
    }
}

/// Counts for the home page: active and retired questions.
#[tracing::instrument(skip_all)]
pub async fn counts_by_status(conn: &impl ConnectionTrait) -> Result<(u64, u64), AppError> {
    let active = question::Entity::find()
        .filter(question::Column::Status.eq(ACTIVE))
        .count(conn)
        .await?;
    let retired = question::Entity::find()
        .filter(question::Column::Status.eq(RETIRED))
        .count(conn)
        .await?;
    Ok((active, retired))
}
