//! Demo data: agencies and one account of every role with known passwords, so a newcomer can
//! click through the whole system at once. Loading twice changes nothing.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, Set};

use super::{
    AppState,
    entities::{account, agency},
};
use crate::ssr::begin_write;
use crate::{
    audit::ssr::{Actor, record},
    auth::ssr::hash_password,
    error::AppError,
    home::ssr::notify,
    roles::Role,
};

/// The password of every demo account.
pub const DEMO_PASSWORD: &str = "Demo2026exam";

/// The demo agencies: (name, code, field).
pub const DEMO_AGENCIES: [(&str, &str, &str); 3] = [
    ("市市场监督管理局", "SCJG", "市场监管"),
    ("市生态环境局", "STHJ", "生态环境"),
    ("市交通运输局", "JTYS", "交通运输"),
];

/// The demo accounts: (user name, full name, role, agency code).
pub const DEMO_ACCOUNTS: [(&str, &str, Role, Option<&str>); 9] = [
    ("office", "王晓东", Role::OfficeAdmin, None),
    ("author", "李文静", Role::QuestionAuthor, None),
    ("committee1", "陈建国", Role::CommitteeMember, None),
    ("committee2", "刘芳", Role::CommitteeMember, None),
    ("committee3", "赵立新", Role::CommitteeMember, None),
    ("officer.scjg", "张明", Role::AgencyOfficer, Some("SCJG")),
    ("officer.sthj", "周雪", Role::AgencyOfficer, Some("STHJ")),
    ("proctor", "孙磊", Role::Proctor, None),
    ("candidate", "吴昊", Role::Candidate, Some("SCJG")),
];

/// What loading the demo data added.
pub struct Loaded {
    /// The exam open now, when it was asked for (it needs the sample bank).
    pub exam: Option<OpenExam>,
}

/// Candidates of the demo exam.
pub const DEMO_EXAM_CANDIDATES: u32 = 30;

/// Loads the demo data unless it is there already, with the sample bank when `with_bank`, and
/// with an exam open now ([`open_exam`], 30 candidates) when `with_exam` too. `None` when the
/// demo data was there already.
pub async fn load(
    state: &AppState,
    with_bank: bool,
    with_exam: bool,
) -> Result<Option<Loaded>, AppError> {
    let db = &state.db;
    let already = account::Entity::find()
        .filter(account::Column::Username.eq(DEMO_ACCOUNTS[0].0))
        .count(db)
        .await?;
    if already > 0 {
        return Ok(None);
    }
    let hash = hash_password(DEMO_PASSWORD).await?;
    let now = Utc::now();
    let txn = begin_write(db).await?;
    // Checked again under the write lock: another process may have loaded it meanwhile.
    if account::Entity::find()
        .filter(account::Column::Username.eq(DEMO_ACCOUNTS[0].0))
        .count(&txn)
        .await?
        > 0
    {
        return Ok(None);
    }
    let mut agency_ids = Vec::new();
    for (name, code, field) in DEMO_AGENCIES {
        let existing = agency::Entity::find()
            .filter(agency::Column::Code.eq(code))
            .one(&txn)
            .await?;
        let id = match existing {
            Some(a) => a.id,
            None => {
                agency::ActiveModel {
                    name: Set(name.to_owned()),
                    code: Set(code.to_owned()),
                    field: Set(Some(field.to_owned())),
                    active: Set(true),
                    created_at: Set(now),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
                .id
            }
        };
        agency_ids.push((code, id));
    }
    for (username, name, role, agency_code) in DEMO_ACCOUNTS {
        let agency_id = agency_code.and_then(|code| {
            agency_ids
                .iter()
                .find(|(c, _)| *c == code)
                .map(|(_, id)| *id)
        });
        let acc = account::ActiveModel {
            username: Set(username.to_owned()),
            display_name: Set(name.to_owned()),
            role: Set(role.as_str().to_owned()),
            agency_id: Set(agency_id),
            password_hash: Set(hash.clone()),
            active: Set(true),
            must_change_password: Set(false),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        notify(
            &txn,
            acc.id,
            "demo.welcome",
            &crate::msg!(data.welcome_to_demo_of_exam_system),
            None,
        )
        .await?;
    }
    record(
        &txn,
        &Actor::system(),
        "system.demo_data",
        "demo",
        serde_json::json!({ "agencies": DEMO_AGENCIES.len(), "accounts": DEMO_ACCOUNTS.len() }),
    )
    .await?;
    txn.commit().await?;
    if !with_bank {
        return Ok(Some(Loaded { exam: None }));
    }
    // The sample bank, as its author would import it.
    let sample = question_bank::parse_csv(crate::bank::ssr::SAMPLE_BANK).map_err(|report| {
        tracing::error!("demo data: the sample bank is invalid: {report}");
        AppError::Internal
    })?;
    let author = Actor {
        id: None,
        name: DEMO_ACCOUNTS[1].0.to_owned(),
    };
    crate::bank::ssr::import_file(db, &author, &sample).await?;
    let exam = match with_exam {
        true => {
            finished_exam(state).await?;
            Some(open_exam(state, DEMO_EXAM_CANDIDATES, None).await?)
        }
        false => None,
    };
    Ok(Some(Loaded { exam }))
}

/// An exam that is open now: one approved plan of `candidates` people of the demo agency
/// 市市场监督管理局, a general-law batch scheduled into rooms of up to 99 seats, every paper
/// assembled, and a session that started a minute ago and lasts for the rest of the day
/// (Beijing time; at least an hour, at most eight), with late entry until its end.
pub struct OpenExam {
    pub batch_id: i64,
    /// (ticket number as printed, access code) of every ticket.
    pub tickets: Vec<(String, String)>,
}

/// Builds an [`OpenExam`] through the same services the office uses (needs the demo accounts
/// and a bank that feeds the default blueprint). With `shared_code`, every ticket gets that
/// access code (hashed once: a load test signs in thousands of candidates); otherwise each
/// ticket is printed with a fresh code of its own, as the office prints them.
#[tracing::instrument(skip_all)]
pub async fn open_exam(
    state: &AppState,
    candidates: u32,
    shared_code: Option<&str>,
) -> Result<OpenExam, AppError> {
    exam_of(state, candidates, shared_code, None, 0).await
}

/// [`open_exam`] with a paper of `sections` questions (单选, 多选, 判断; one point each, pass
/// mark 60 %, the default difficulty target) instead of the general exam's default blueprint:
/// the load generator's 100-question paper is `[60, 20, 20]`.
#[tracing::instrument(skip_all)]
pub async fn open_exam_of(
    state: &AppState,
    candidates: u32,
    shared_code: Option<&str>,
    sections: [u32; 3],
) -> Result<OpenExam, AppError> {
    use question_bank::{BlueprintParts, ExamKind, Points, QuestionType, ScoringRule, Section};
    let sections: Vec<Section> = [
        QuestionType::Single,
        QuestionType::Multiple,
        QuestionType::TrueFalse,
    ]
    .into_iter()
    .zip(sections)
    .filter(|(_, count)| *count > 0)
    .map(|(question_type, count)| Section {
        question_type,
        count,
        points_per_question: Points::from_hundredths(100),
        scoring: ScoringRule::AllOrNothing,
        quotas: Vec::new(),
    })
    .collect();
    let total: u32 = sections.iter().map(|s| s.count).sum();
    let parts = BlueprintParts {
        name: format!("演示方案({total} 题)"),
        exam_kind: ExamKind::General,
        sections,
        pass_mark: Points::from_hundredths(total * 60),
        target_difficulty: 2.6,
        tolerance: 0.3,
    };
    exam_of(state, candidates, shared_code, Some(parts), 0).await
}

/// [`open_exam`] for the people numbered from `first_person` (each number is a distinct
/// resident ID, so two demo exams never share a person).
async fn exam_of(
    state: &AppState,
    candidates: u32,
    shared_code: Option<&str>,
    blueprint: Option<question_bank::BlueprintParts>,
    first_person: u32,
) -> Result<OpenExam, AppError> {
    use crate::procedure::{AccessCode, ResidentId};
    use crate::ssr::entities::{exam_session, plan, plan_candidate, ticket};
    use chrono::{Duration, FixedOffset, Timelike};
    use sea_orm::sea_query::Expr;

    let db = &state.db;
    let (office, caller) = office_caller(db).await?;
    let scjg = agency::Entity::find()
        .filter(agency::Column::Code.eq(DEMO_AGENCIES[0].1))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let now = Utc::now();
    let txn = begin_write(db).await?;
    let p = plan::ActiveModel {
        agency_id: Set(scjg.id),
        exam_kind: Set("general".to_owned()),
        field: Set(None),
        period_from: Set(now.date_naive()),
        period_to: Set(now.date_naive()),
        status: Set(crate::plans::PlanStatus::Approved.as_str().to_owned()),
        version: Set(1),
        note: Set(String::new()),
        created_by: Set(office.id),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    let surnames = ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴"];
    let given = ["伟", "芳", "娜", "敏", "静", "强", "磊", "洋", "艳", "军"];
    let mut people = Vec::with_capacity(candidates as usize);
    for i in first_person..first_person + candidates {
        // Distinct, valid 18-digit IDs: a birth date per thousand, a sequence number within it.
        let birth = chrono::NaiveDate::from_ymd_opt(1975, 1, 1).unwrap_or_default()
            + Duration::days(i64::from(i / 900));
        let head = format!("110101{}{:03}", birth.format("%Y%m%d"), 100 + i % 900);
        let Some(id) = "0123456789X"
            .chars()
            .find_map(|c| ResidentId::parse(&format!("{head}{c}")).ok())
        else {
            continue;
        };
        let name = format!(
            "{}{}{}",
            surnames[(i % 10) as usize],
            given[((i / 10) % 10) as usize],
            given[((i / 100) % 10) as usize]
        );
        people.push(plan_candidate::ActiveModel {
            plan_id: Set(p.id),
            name: Set(name),
            resident_id: Set(id.as_str().to_owned()),
            sex: Set(id.sex().label_zh().to_owned()),
            post: Set("执法人员".to_owned()),
            field: Set(DEMO_AGENCIES[0].2.to_owned()),
            mobile: Set(format!("139{:08}", i)),
            created_at: Set(now),
            ..Default::default()
        });
    }
    for chunk in people.chunks(1000) {
        plan_candidate::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;

    let batch_id = crate::batches::ssr::create(
        db,
        &caller,
        &format!("演示考试 {}", now.format("%Y%m%d%H%M%S")),
        "general",
        "",
    )
    .await?;
    crate::batches::ssr::include_plan(db, &caller, batch_id, p.id).await?;
    if blueprint.is_some() {
        crate::papers::ssr::save_blueprint(db, &caller, batch_id, blueprint).await?;
    }
    // The rest of the day in Beijing, as a session duration.
    let beijing = FixedOffset::east_opt(8 * 3600).ok_or(AppError::Internal)?;
    let local = now.with_timezone(&beijing);
    let left = 24 * 60 - i64::from(local.hour() * 60 + local.minute());
    let duration = i32::try_from(left.clamp(60, 480)).unwrap_or(480);
    let start = (local + Duration::minutes(2))
        .format("%Y-%m-%dT%H:%M")
        .to_string();
    crate::batches::ssr::add_session(db, &caller, batch_id, &start, duration, duration).await?;
    let rooms = candidates.div_ceil(99).max(1);
    for r in 0..rooms {
        crate::batches::ssr::add_room(
            db,
            &caller,
            batch_id,
            "市行政学院",
            &format!("第 {} 考场", r + 1),
            "人民路 1 号",
            99,
        )
        .await?;
    }
    crate::batches::ssr::schedule(db, &caller, batch_id).await?;
    crate::papers::ssr::assemble_all(db, &caller, batch_id).await?;
    let tickets = match shared_code {
        Some(code) => {
            let code = AccessCode::parse(code).map_err(|_| {
                AppError::invalid(
                    "access_code",
                    crate::msg!(exam.wrong_ticket_number_or_access_code),
                )
            })?;
            let hash = crate::auth::ssr::hash_access_codes(vec![code.as_str().to_owned()])
                .await?
                .pop()
                .ok_or(AppError::Internal)?;
            ticket::Entity::update_many()
                .col_expr(ticket::Column::AccessCodeHash, Expr::value(hash))
                .col_expr(ticket::Column::PrintedAt, Expr::value(now))
                .filter(ticket::Column::BatchId.eq(batch_id))
                .exec(db)
                .await?;
            ticket::Entity::find()
                .filter(ticket::Column::BatchId.eq(batch_id))
                .all(db)
                .await?
                .into_iter()
                .map(|t| (t.ticket_no, code.to_string()))
                .collect()
        }
        None => crate::batches::ssr::print_tickets(db, &caller, batch_id)
            .await?
            .into_iter()
            .map(|t| (t.ticket_no, t.access_code))
            .collect(),
    };
    // The exam day has come: the session started a minute ago.
    exam_session::Entity::update_many()
        .col_expr(
            exam_session::Column::StartsAt,
            Expr::value(Utc::now() - Duration::minutes(1)),
        )
        .filter(exam_session::Column::BatchId.eq(batch_id))
        .exec(db)
        .await?;
    Ok(OpenExam { batch_id, tickets })
}

/// The demo office admin's account, and as the caller of the office's services.
async fn office_caller(
    db: &sea_orm::DatabaseConnection,
) -> Result<(account::Model, super::Caller), AppError> {
    let office = account::Entity::find()
        .filter(account::Column::Username.eq(DEMO_ACCOUNTS[0].0))
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    let caller = super::Caller {
        user: crate::auth::ssr::current_user_of(db, &office).await?,
        session: String::new(),
        candidate_id: None,
    };
    Ok((office, caller))
}

/// Candidates of the finished demo batch.
pub const DEMO_FINISHED_CANDIDATES: u32 = 40;

/// A deterministic number in [0, 1) for (candidate, question).
fn chance(candidate: u32, item: u32) -> f64 {
    let mut x = u64::from(candidate) << 32 | u64::from(item);
    x ^= x >> 33;
    x = x.wrapping_mul(0xff51_afd7_ed55_8ccd);
    x ^= x >> 33;
    x = x.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    x ^= x >> 33;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// A finished, published batch with simulated attempts, so a newcomer sees results, item
/// analysis and a verifiable notice without sitting an exam first: 40 candidates of
/// 市市场监督管理局 who sat two days ago (two absent, one voided for misconduct), scored,
/// reviewed and published through the office's own services. Returns the batch id.
#[tracing::instrument(skip_all)]
pub async fn finished_exam(state: &AppState) -> Result<i64, AppError> {
    use crate::ssr::entities::{answer, attempt, batch, exam_session, paper, ticket};
    use chrono::Duration;
    use question_bank::Response;
    use sea_orm::sea_query::Expr;

    let db = &state.db;
    let exam = exam_of(state, DEMO_FINISHED_CANDIDATES, None, None, 5000).await?;
    let batch_id = exam.batch_id;
    let (_, caller) = office_caller(db).await?;
    // Two days ago, two hours long.
    let start = Utc::now() - Duration::days(2);
    exam_session::Entity::update_many()
        .col_expr(exam_session::Column::StartsAt, Expr::value(start))
        .col_expr(exam_session::Column::DurationMinutes, Expr::value(120))
        .col_expr(exam_session::Column::LateEntryMinutes, Expr::value(30))
        .filter(exam_session::Column::BatchId.eq(batch_id))
        .exec(db)
        .await?;
    batch::Entity::update_many()
        .col_expr(
            batch::Column::Name,
            Expr::value(format!("演示批次(已公布) {}", start.format("%Y%m%d"))),
        )
        .filter(batch::Column::Id.eq(batch_id))
        .exec(db)
        .await?;
    let b = crate::batches::ssr::find(db, batch_id).await?;
    let snapshot = crate::papers::ssr::frozen_snapshot(db, &b)
        .await?
        .ok_or(AppError::Internal)?;
    let tickets = ticket::Entity::find()
        .filter(ticket::Column::BatchId.eq(batch_id))
        .all(db)
        .await?;
    let txn = begin_write(db).await?;
    let mut voided = None;
    for (n, t) in (0u32..).zip(&tickets) {
        if n % 20 == 7 {
            continue; // absent
        }
        let row = paper::Entity::find()
            .filter(paper::Column::TicketId.eq(t.id))
            .one(&txn)
            .await?
            .ok_or(AppError::Internal)?;
        let p = crate::papers::ssr::stored_paper(&row)?;
        // Abilities spread from 0.35 to 0.95.
        let ability = 0.35 + 0.6 * f64::from((n * 37) % 40) / 40.0;
        let mut answers = Vec::new();
        for (number, _, item) in p.items() {
            let q = snapshot.get(item.question()).ok_or(AppError::Internal)?;
            let key = q.answer_key();
            let odds = (ability - (f64::from(q.difficulty().get()) - 3.0) * 0.08).clamp(0.05, 0.98);
            let roll = chance(n, number);
            let right = roll < odds;
            if roll > 0.985 {
                continue; // left unanswered
            }
            let response = match key.as_true_false() {
                Some(b) => Response::TrueFalse(if right { b } else { !b }),
                None => {
                    let shown: Vec<u8> = (0u8..)
                        .zip(item.option_order())
                        .filter(|&(_, &o)| key.is_correct_option(usize::from(o)) == right)
                        .map(|(s, _)| s)
                        .collect();
                    let take = if right { shown.len() } else { 1 };
                    Response::Choices(shown.into_iter().take(take).collect())
                }
            };
            answers.push((number, response));
        }
        let at = start + Duration::minutes(i64::from(60 + n % 50));
        let a = attempt::ActiveModel {
            ticket_id: Set(t.id),
            batch_id: Set(batch_id),
            session_id: Set(t.session_id),
            room_id: Set(t.room_id),
            status: Set(crate::sitting::AttemptStatus::Submitted.as_str().to_owned()),
            started_at: Set(start),
            deadline: Set(start + Duration::minutes(120)),
            extra_seconds: Set(0),
            item_count: Set(i32::try_from(p.question_count()).unwrap_or(0)),
            last_seq: Set(i64::try_from(answers.len()).unwrap_or(0)),
            last_seen_at: Set(at),
            client_ip: Set("127.0.0.1".to_owned()),
            submitted_at: Set(Some(at)),
            answered: Set(Some(i32::try_from(answers.len()).unwrap_or(0))),
            receipt_hash: Set(None),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let rows: Vec<answer::ActiveModel> = (1i64..)
            .zip(&answers)
            .map(|(seq, (number, r))| answer::ActiveModel {
                attempt_id: Set(a.id),
                item: Set(i32::try_from(*number).unwrap_or(0)),
                response: Set(serde_json::to_string(r).unwrap_or_default()),
                seq: Set(seq),
                saved_at: Set(at),
            })
            .collect();
        if !rows.is_empty() {
            answer::Entity::insert_many(rows)
                .exec_without_returning(&txn)
                .await?;
        }
        let hash = crate::sitting::ssr::receipt_hash(a.id, &answers);
        let mut done: attempt::ActiveModel = a.into();
        done.receipt_hash = Set(Some(hash));
        let a = done.update(&txn).await?;
        if n == 3 {
            voided = Some(a);
        }
    }
    txn.commit().await?;
    if let Some(a) = voided {
        let t = tickets
            .iter()
            .find(|t| t.id == a.ticket_id)
            .ok_or(AppError::Internal)?;
        crate::proctor::ssr::misconduct(
            db,
            &caller,
            &t.ticket_no,
            "unauthorized_material",
            "考试中使用手机查阅资料(演示数据)",
            true,
        )
        .await?;
    }
    crate::results::ssr::score(db, &caller, batch_id).await?;
    for case in crate::results::ssr::reviews(db, batch_id).await? {
        crate::results::ssr::review(
            db,
            &caller,
            case.attempt_id,
            crate::results::ReviewDecision::Upheld,
            "监考记录与录像一致,维持(演示数据)",
        )
        .await?;
    }
    crate::results::ssr::publish(db, &caller, &state.results, batch_id).await?;
    Ok(batch_id)
}
