//! Services behind exam plans. Every change runs in one transaction with its audit entry and
//! a history event; a candidate import stores every row or none.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use question_bank::Localized;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::{
    CandidateImport, CandidateInput, CandidateProblem, CandidateView, PlanDetail, PlanEventView,
    PlanInput, PlanStatus, PlanStep, PlanSummary,
};
use crate::{
    audit::ssr::{Actor, record},
    error::{AppError, Text},
    home::ssr::notify,
    procedure::{
        CandidateRow, Column, RawCandidateRow, check_duplicates_in_file, check_eligibility,
    },
    roles::{AgencyRef, Role},
    ssr::{
        Caller, ResultsPolicy, begin_write,
        entities::{
            account, agency, batch, batch_plan, meeting_item, plan, plan_candidate, plan_event,
        },
        serialize_on,
    },
};

/// Plans whose candidates count as registered elsewhere (a person sits in one open plan only).
pub const OPEN: [PlanStatus; 6] = [
    PlanStatus::Draft,
    PlanStatus::Submitted,
    PlanStatus::InReview,
    PlanStatus::Approved,
    PlanStatus::Returned,
    PlanStatus::Scheduled,
];

fn text(m: &impl Localized) -> Text {
    Text::localized(m)
}

/// The status of a stored plan.
pub fn status_of(p: &plan::Model) -> Result<PlanStatus, AppError> {
    PlanStatus::parse(&p.status).ok_or_else(|| {
        tracing::error!("plans: plan {} has unknown status {}", p.id, p.status);
        AppError::Internal
    })
}

#[tracing::instrument(skip_all)]
pub async fn summary_of(
    conn: &impl ConnectionTrait,
    p: &plan::Model,
) -> Result<PlanSummary, AppError> {
    let agency = agency::Entity::find_by_id(p.agency_id)
        .one(conn)
        .await?
        .ok_or(AppError::Internal)?;
    let candidates = plan_candidate::Entity::find()
        .filter(plan_candidate::Column::PlanId.eq(p.id))
        .count(conn)
        .await?;
    Ok(PlanSummary {
        id: p.id,
        agency: AgencyRef {
            id: agency.id,
            name: agency.name,
        },
        exam_kind: p.exam_kind.clone(),
        field: p.field.clone(),
        period_from: p.period_from.to_string(),
        period_to: p.period_to.to_string(),
        status: status_of(p)?,
        version: p.version,
        candidates,
        updated_at: p.updated_at,
    })
}

/// Whether the caller may see the plan: its agency's officers, the office admin, and
/// committee members once it is on a meeting's agenda.
async fn may_see(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    p: &plan::Model,
) -> Result<bool, AppError> {
    Ok(match caller.user.role {
        Role::OfficeAdmin => true,
        Role::AgencyOfficer => caller
            .user
            .agency
            .as_ref()
            .is_some_and(|a| a.id == p.agency_id),
        Role::CommitteeMember => {
            meeting_item::Entity::find()
                .filter(meeting_item::Column::PlanId.eq(p.id))
                .count(conn)
                .await?
                > 0
        }
        _ => false,
    })
}

/// The plan, if the caller may see it; otherwise "not found" (another agency's plans do not
/// exist for an officer).
#[tracing::instrument(skip_all)]
pub async fn visible_plan(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    id: i64,
) -> Result<plan::Model, AppError> {
    let p = plan::Entity::find_by_id(id)
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    if may_see(conn, caller, &p).await? {
        Ok(p)
    } else {
        Err(AppError::NotFound)
    }
}

/// The plan, which must be the caller's agency's and in draft.
async fn editable_plan(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    id: i64,
) -> Result<plan::Model, AppError> {
    let p = visible_plan(conn, caller, id).await?;
    if caller.user.role != Role::AgencyOfficer {
        return Err(AppError::Forbidden);
    }
    if status_of(&p)? != PlanStatus::Draft {
        return Err(AppError::conflict(
            "status",
            crate::msg!(plans.only_draft_plan_can_be_changed),
        ));
    }
    Ok(p)
}

/// Plans the caller may see, newest first.
#[tracing::instrument(skip_all)]
pub async fn list(
    conn: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<Vec<PlanSummary>, AppError> {
    let mut q = plan::Entity::find().order_by_desc(plan::Column::Id);
    match caller.user.role {
        Role::OfficeAdmin => {}
        Role::AgencyOfficer => {
            let agency = caller.user.agency.as_ref().ok_or(AppError::Forbidden)?;
            q = q.filter(plan::Column::AgencyId.eq(agency.id));
        }
        Role::CommitteeMember => {
            let on_agenda: Vec<i64> = meeting_item::Entity::find()
                .all(conn)
                .await?
                .into_iter()
                .map(|i| i.plan_id)
                .collect();
            q = q.filter(plan::Column::Id.is_in(on_agenda));
        }
        _ => return Err(AppError::Forbidden),
    }
    let mut out = Vec::new();
    for p in q.all(conn).await? {
        out.push(summary_of(conn, &p).await?);
    }
    Ok(out)
}

/// `s` with all but its first `keep_head` and last `keep_tail` characters starred out (for
/// resident IDs and mobile numbers on screen and paper).
pub fn mask(s: &str, keep_head: usize, keep_tail: usize) -> String {
    let chars: Vec<char> = s.chars().collect();
    chars
        .iter()
        .enumerate()
        .map(|(i, c)| {
            if i < keep_head || i + keep_tail >= chars.len() {
                *c
            } else {
                '*'
            }
        })
        .collect()
}

fn candidate_view(c: &plan_candidate::Model) -> CandidateView {
    CandidateView {
        id: c.id,
        name: c.name.clone(),
        resident_id: mask(&c.resident_id, 6, 4),
        sex: c.sex.clone(),
        post: c.post.clone(),
        field: c.field.clone(),
        mobile: mask(&c.mobile, 3, 4),
    }
}

async fn candidates_of(
    conn: &impl ConnectionTrait,
    plan_id: i64,
) -> Result<Vec<plan_candidate::Model>, AppError> {
    plan_candidate::Entity::find()
        .filter(plan_candidate::Column::PlanId.eq(plan_id))
        .order_by_asc(plan_candidate::Column::Id)
        .all(conn)
        .await
        .map_err(AppError::from)
}

/// A plan with its candidates and history.
#[tracing::instrument(skip_all)]
pub async fn detail(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    id: i64,
) -> Result<PlanDetail, AppError> {
    let p = visible_plan(conn, caller, id).await?;
    let history = plan_event::Entity::find()
        .filter(plan_event::Column::PlanId.eq(id))
        .order_by_asc(plan_event::Column::Id)
        .all(conn)
        .await?
        .into_iter()
        .map(|e| PlanEventView {
            version: e.version,
            status: PlanStatus::parse(&e.status).unwrap_or(PlanStatus::Draft),
            comment: e.comment,
            actor: e.actor_name,
            at: e.at,
        })
        .collect();
    let editable = caller.user.role == Role::AgencyOfficer && status_of(&p)? == PlanStatus::Draft;
    Ok(PlanDetail {
        summary: summary_of(conn, &p).await?,
        note: p.note.clone(),
        candidates: candidates_of(conn, id)
            .await?
            .iter()
            .map(candidate_view)
            .collect(),
        history,
        editable,
    })
}

/// Records a step of the plan's history with the candidates as they are now.
#[tracing::instrument(skip_all)]
pub async fn record_event(
    conn: &impl ConnectionTrait,
    p: &plan::Model,
    status: PlanStatus,
    comment: &str,
    actor: &Actor,
) -> Result<(), AppError> {
    let snapshot: Vec<CandidateView> = candidates_of(conn, p.id)
        .await?
        .iter()
        .map(candidate_view)
        .collect();
    plan_event::ActiveModel {
        plan_id: Set(p.id),
        version: Set(p.version),
        status: Set(status.as_str().to_owned()),
        comment: Set(comment.to_owned()),
        snapshot: Set(serde_json::to_string(&snapshot).unwrap_or_default()),
        actor_name: Set(actor.name.clone()),
        at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Moves plan `p` by `step` inside the caller's write transaction: the one place a plan's
/// state changes. The step must be allowed from the plan's state ([`PlanStatus::after`]); a
/// revision starts a new version; the step goes into the plan's history with `comment`.
#[tracing::instrument(skip_all, fields(plan = p.id, ?step))]
pub async fn move_plan(
    conn: &impl ConnectionTrait,
    p: plan::Model,
    step: PlanStep,
    comment: &str,
    actor: &Actor,
) -> Result<plan::Model, AppError> {
    let to = status_of(&p)?.after(step).ok_or_else(|| {
        AppError::conflict("status", crate::msg!(plans.plan_s_current_state_does_not))
    })?;
    let version = p.version + i32::from(step.new_version());
    let mut am: plan::ActiveModel = p.into();
    am.status = Set(to.as_str().to_owned());
    am.version = Set(version);
    am.updated_at = Set(Utc::now());
    let p = am.update(conn).await?;
    record_event(conn, &p, to, comment, actor).await?;
    Ok(p)
}

fn parse_date(field: &str, s: &str) -> Result<NaiveDate, AppError> {
    NaiveDate::parse_from_str(s.trim(), "%Y-%m-%d")
        .map_err(|_| AppError::invalid(field, crate::msg!(plans.s_is_not_date_write_it, s = s)))
}

struct ValidPlan {
    exam_kind: &'static str,
    field: Option<String>,
    from: NaiveDate,
    to: NaiveDate,
}

fn validate(input: &PlanInput) -> Result<ValidPlan, AppError> {
    let exam_kind = match input.exam_kind.as_str() {
        "general" => "general",
        "professional" => "professional",
        _ => {
            return Err(AppError::invalid(
                "exam_kind",
                crate::msg!(plans.choose_exam_kind_general_or_professional),
            ));
        }
    };
    let field = input.field.trim();
    let field = match (exam_kind, field.is_empty()) {
        ("professional", true) => {
            return Err(AppError::invalid(
                "field",
                crate::msg!(plans.professional_law_exam_needs_enforcement_field),
            ));
        }
        ("professional", false) => Some(field.chars().take(32).collect()),
        _ => None,
    };
    let from = parse_date("period_from", &input.period_from)?;
    let to = parse_date("period_to", &input.period_to)?;
    if to < from {
        return Err(AppError::invalid(
            "period_to",
            crate::msg!(plans.end_of_wished_period_cannot_be),
        ));
    }
    Ok(ValidPlan {
        exam_kind,
        field,
        from,
        to,
    })
}

/// Creates a draft plan for the caller's agency.
#[tracing::instrument(skip_all)]
pub async fn create(
    db: &DatabaseConnection,
    caller: &Caller,
    input: &PlanInput,
) -> Result<i64, AppError> {
    let agency = caller.user.agency.as_ref().ok_or(AppError::Forbidden)?;
    let v = validate(input)?;
    let now = Utc::now();
    let actor = Actor::from(&caller.user);
    let txn = begin_write(db).await?;
    let p = plan::ActiveModel {
        agency_id: Set(agency.id),
        exam_kind: Set(v.exam_kind.to_owned()),
        field: Set(v.field),
        period_from: Set(v.from),
        period_to: Set(v.to),
        status: Set(PlanStatus::Draft.as_str().to_owned()),
        version: Set(1),
        note: Set(input.note.chars().take(2000).collect()),
        created_by: Set(caller.user.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record_event(&txn, &p, PlanStatus::Draft, "", &actor).await?;
    record(
        &txn,
        &actor,
        "plan.create",
        &format!("plan:{}", p.id),
        serde_json::json!({ "agency": agency.id }),
    )
    .await?;
    txn.commit().await?;
    Ok(p.id)
}

fn problem(row: u32, column: Column, message: Text) -> CandidateProblem {
    CandidateProblem {
        row,
        column: column.header_zh().to_owned(),
        message,
    }
}

/// Checks rows `(spreadsheet row, input)` and stores them all, or none with every problem.
#[tracing::instrument(skip_all)]
pub async fn add_candidates(
    db: &DatabaseConnection,
    caller: &Caller,
    policy: &ResultsPolicy,
    plan_id: i64,
    rows: Vec<(u32, CandidateInput)>,
) -> Result<CandidateImport, AppError> {
    let txn = begin_write(db).await?;
    let p = editable_plan(&txn, caller, plan_id).await?;
    let mut problems = Vec::new();
    let mut valid: Vec<(u32, CandidateRow)> = Vec::new();
    for (row, input) in rows {
        let raw = RawCandidateRow {
            name: input.name,
            resident_id: input.resident_id,
            sex: input.sex,
            post: input.post,
            field: input.field,
            staffing: input.staffing,
            mobile: input.mobile,
        };
        match CandidateRow::parse(raw) {
            Ok(c) => {
                if let Some(field) = &p.field
                    && c.field().as_str() != field
                {
                    problems.push(problem(
                        row,
                        Column::Field,
                        crate::msg!(
                            plans.field_as_str_differs_from_plan,
                            as_str = c.field().as_str(),
                            field = field
                        ),
                    ));
                }
                valid.push((row, c));
            }
            Err(errors) => {
                problems.extend(errors.iter().map(|e| problem(row, e.column(), text(e))));
            }
        }
    }
    let parsed: Vec<CandidateRow> = valid.iter().map(|(_, c)| c.clone()).collect();
    for (first, later) in check_duplicates_in_file(&parsed) {
        problems.push(problem(
            valid[later].0,
            Column::ResidentId,
            crate::msg!(
                plans.resident_id_repeats_row_first_register,
                first = valid[first].0
            ),
        ));
    }
    // The same person in this plan or another open plan. Registrations are serialised, so
    // two agencies adding one person at the same moment cannot both pass this check.
    serialize_on(&txn, "plan.registration").await?;
    let ids: Vec<String> = valid
        .iter()
        .map(|(_, c)| c.resident_id().as_str().to_owned())
        .collect();
    let existing = plan_candidate::Entity::find()
        .filter(plan_candidate::Column::ResidentId.is_in(ids))
        .all(&txn)
        .await?;
    let mut open_plan: HashMap<String, i64> = HashMap::new();
    for c in existing {
        let other = plan::Entity::find_by_id(c.plan_id).one(&txn).await?;
        if let Some(other) = other
            && OPEN.contains(&status_of(&other)?)
            && !exam_published(&txn, other.id).await?
        {
            open_plan.insert(c.resident_id, other.id);
        }
    }
    for (row, c) in &valid {
        if let Some(other) = open_plan.get(c.resident_id().as_str()) {
            problems.push(problem(
                *row,
                Column::ResidentId,
                if *other == plan_id {
                    crate::msg!(plans.this_person_is_on_plan_already)
                } else {
                    crate::msg!(plans.this_person_is_registered_on_another, other = other)
                },
            ));
        }
    }
    // Eligibility against each person's published results: a valid pass of the same exam, or
    // the re-sits used up, refuses the row naming the rule.
    let scope = match (p.exam_kind.as_str(), &p.field) {
        ("professional", Some(f)) => question_bank::EnforcementField::parse(f)
            .ok()
            .map(question_bank::ExamScope::Professional),
        _ => Some(question_bank::ExamScope::General),
    };
    if let Some(scope) = scope {
        let ids: Vec<String> = valid
            .iter()
            .map(|(_, c)| c.resident_id().as_str().to_owned())
            .collect();
        let histories = crate::results::published::histories(&txn, &ids).await?;
        let today = Utc::now()
            .with_timezone(&crate::batches::china_time())
            .date_naive();
        let resits = crate::procedure::ReSitPolicy {
            max_resits: policy.max_resits,
        };
        for (row, c) in &valid {
            if let Some(history) = histories.get(c.resident_id().as_str())
                && let Err(e) = check_eligibility(history, &scope, today, &resits)
            {
                problems.push(problem(*row, Column::ResidentId, text(&e)));
            }
        }
    }
    if !problems.is_empty() {
        problems.sort_by_key(|p| p.row);
        return Ok(CandidateImport::Rejected { problems });
    }
    let now = Utc::now();
    for (_, c) in &valid {
        plan_candidate::ActiveModel {
            plan_id: Set(plan_id),
            name: Set(c.name().as_str().to_owned()),
            resident_id: Set(c.resident_id().as_str().to_owned()),
            sex: Set(c.sex().label_zh().to_owned()),
            post: Set(c.post().map(|p| p.as_str().to_owned()).unwrap_or_default()),
            field: Set(c.field().as_str().to_owned()),
            mobile: Set(c.mobile().as_str().to_owned()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
    }
    let mut am: plan::ActiveModel = p.into();
    am.updated_at = Set(now);
    am.update(&txn).await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "plan.candidates.add",
        &format!("plan:{plan_id}"),
        serde_json::json!({ "count": valid.len() }),
    )
    .await?;
    txn.commit().await?;
    Ok(CandidateImport::Stored {
        count: valid.len() as u64,
    })
}

/// Whether the plan's batch has published its results: its people are free to register again
/// (subject to eligibility).
async fn exam_published(conn: &impl ConnectionTrait, plan_id: i64) -> Result<bool, AppError> {
    let batches: Vec<i64> = batch_plan::Entity::find()
        .filter(batch_plan::Column::PlanId.eq(plan_id))
        .all(conn)
        .await?
        .into_iter()
        .map(|bp| bp.batch_id)
        .collect();
    Ok(batch::Entity::find()
        .filter(batch::Column::Id.is_in(batches))
        .filter(batch::Column::Status.eq(crate::batches::BatchStatus::Published.as_str()))
        .count(conn)
        .await?
        > 0)
}

/// Removes a candidate from a draft plan.
#[tracing::instrument(skip_all)]
pub async fn remove_candidate(
    db: &DatabaseConnection,
    caller: &Caller,
    plan_id: i64,
    candidate_id: i64,
) -> Result<(), AppError> {
    let txn = begin_write(db).await?;
    editable_plan(&txn, caller, plan_id).await?;
    let res = plan_candidate::Entity::delete_many()
        .filter(plan_candidate::Column::Id.eq(candidate_id))
        .filter(plan_candidate::Column::PlanId.eq(plan_id))
        .exec(&txn)
        .await?;
    if res.rows_affected == 0 {
        return Err(AppError::NotFound);
    }
    record(
        &txn,
        &Actor::from(&caller.user),
        "plan.candidates.remove",
        &format!("plan:{plan_id}"),
        serde_json::json!({ "candidate": candidate_id }),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

/// Reads the multipart candidate upload: `plan_id` and `file`.
#[tracing::instrument(skip_all)]
pub async fn read_candidate_upload(
    data: leptos::server_fn::codec::MultipartData,
) -> Result<(i64, String, Vec<u8>), AppError> {
    let mut multipart = data.into_inner().ok_or_else(|| AppError::BadRequest {
        field: Some("file".into()),
    })?;
    let (mut plan_id, mut file_name, mut bytes) = (None, String::new(), Vec::new());
    while let Some(mut field) = multipart
        .next_field()
        .await
        .map_err(|_| AppError::BadRequest {
            field: Some("file".into()),
        })?
    {
        match field.name().unwrap_or_default() {
            "plan_id" => {
                let v = field.text().await.map_err(|_| AppError::BadRequest {
                    field: Some("file".into()),
                })?;
                plan_id = v.trim().parse::<i64>().ok();
            }
            "file" => {
                file_name = field.file_name().unwrap_or("upload").to_owned();
                while let Some(chunk) = field.chunk().await.map_err(|_| AppError::BadRequest {
                    field: Some("file".into()),
                })? {
                    if bytes.len() + chunk.len() > 20 * 1024 * 1024 {
                        return Err(AppError::invalid(
                            "file",
                            crate::msg!(plans.candidate_file_is_larger_than_20),
                        ));
                    }
                    bytes.extend_from_slice(&chunk);
                }
            }
            _ => {}
        }
    }
    let plan_id =
        plan_id.ok_or_else(|| AppError::invalid("plan_id", crate::msg!(plans.plan_is_missing)))?;
    if bytes.is_empty() {
        return Err(AppError::invalid(
            "file",
            crate::msg!(plans.choose_candidate_file_xlsx_or_csv),
        ));
    }
    Ok((plan_id, file_name, bytes))
}

/// Imports a candidate file: all rows or none.
#[tracing::instrument(skip_all)]
pub async fn import_candidates(
    db: &DatabaseConnection,
    caller: &Caller,
    policy: &ResultsPolicy,
    plan_id: i64,
    file_name: &str,
    bytes: Vec<u8>,
) -> Result<CandidateImport, AppError> {
    // Refuse early (and cheaply) when the plan is not the caller's draft.
    editable_plan(db, caller, plan_id).await?;
    let name = file_name.to_owned();
    let table = tokio::task::spawn_blocking(move || {
        question_bank::tabular::read_table(&name, &bytes, &question_bank::ImportLimits::default())
    })
    .await
    .map_err(|_| AppError::Internal)?;
    let table = match table {
        Ok(t) => t,
        Err(report) => {
            let mut problems: Vec<CandidateProblem> = report
                .file_errors
                .iter()
                .map(|e| CandidateProblem {
                    row: 0,
                    column: String::new(),
                    message: text(e),
                })
                .collect();
            problems.extend(report.row_errors.iter().map(|e| CandidateProblem {
                row: e.row,
                column: e.column.clone().unwrap_or_default(),
                message: text(&e.reason),
            }));
            return Ok(CandidateImport::Rejected { problems });
        }
    };
    let columns: Vec<Option<Column>> = table
        .headers
        .iter()
        .map(|h| Column::from_header(h))
        .collect();
    let required = [
        Column::Name,
        Column::ResidentId,
        Column::Sex,
        Column::Field,
        Column::Staffing,
        Column::Mobile,
    ];
    let missing: Vec<&str> = required
        .iter()
        .filter(|c| !columns.contains(&Some(**c)))
        .map(|c| c.header_zh())
        .collect();
    if !missing.is_empty() {
        return Ok(CandidateImport::Rejected {
            problems: vec![CandidateProblem {
                row: 1,
                column: String::new(),
                message: crate::msg!(
                    plans.header_lacks_these_columns_join,
                    join = missing.join(", ")
                ),
            }],
        });
    }
    let rows = table
        .rows
        .iter()
        .map(|r| {
            let mut input = CandidateInput::default();
            for (col, cell) in columns.iter().zip(&r.cells) {
                let slot = match col {
                    Some(Column::Name) => &mut input.name,
                    Some(Column::ResidentId) => &mut input.resident_id,
                    Some(Column::Sex) => &mut input.sex,
                    Some(Column::Post) => &mut input.post,
                    Some(Column::Field) => &mut input.field,
                    Some(Column::Staffing) => &mut input.staffing,
                    Some(Column::Mobile) => &mut input.mobile,
                    None => continue,
                };
                *slot = cell.clone();
            }
            (r.row, input)
        })
        .collect();
    add_candidates(db, caller, policy, plan_id, rows).await
}

/// Moves a plan along its state machine on the officer's request.
#[tracing::instrument(skip_all)]
pub async fn transition(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i64,
    action: &str,
) -> Result<(), AppError> {
    let actor = Actor::from(&caller.user);
    let txn = begin_write(db).await?;
    let p = visible_plan(&txn, caller, id).await?;
    let from = status_of(&p)?;
    let step = match action {
        "submit" => PlanStep::Submit,
        "withdraw" => PlanStep::Withdraw,
        "revise" => PlanStep::Revise,
        _ => {
            return Err(AppError::conflict(
                "status",
                crate::msg!(plans.plan_s_current_state_does_not),
            ));
        }
    };
    if step == PlanStep::Submit
        && from.after(step).is_some()
        && candidates_of(&txn, id).await?.is_empty()
    {
        return Err(AppError::conflict(
            "candidates",
            crate::msg!(plans.plan_has_no_candidates_yet_register),
        ));
    }
    let p = move_plan(&txn, p, step, "", &actor).await?;
    let (to, version) = (status_of(&p)?, p.version);
    record(
        &txn,
        &actor,
        &format!("plan.{action}"),
        &format!("plan:{id}"),
        serde_json::json!({ "from": from.as_str(), "to": to.as_str(), "version": version }),
    )
    .await?;
    if to == PlanStatus::Submitted {
        let admins = account::Entity::find()
            .filter(account::Column::Role.eq(Role::OfficeAdmin.as_str()))
            .filter(account::Column::Active.eq(true))
            .all(&txn)
            .await?;
        let agency = caller
            .user
            .agency
            .as_ref()
            .map(|a| a.name.clone())
            .unwrap_or_default();
        for admin in admins {
            notify(
                &txn,
                admin.id,
                "plan.submitted",
                &crate::msg!(
                    plans.agency_submitted_exam_plan_no_id,
                    agency = agency,
                    id = id
                ),
                Some(&format!("/plans/{id}")),
            )
            .await?;
        }
    }
    txn.commit().await.map_err(AppError::from)
}
