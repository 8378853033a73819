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

/// Loads the demo data unless it is there already, with the sample bank when `with_bank`.
/// Returns whether anything was added.
pub async fn load(state: &AppState, with_bank: bool) -> Result<bool, AppError> {
    let db = &state.db;
    let already = account::Entity::find()
        .filter(account::Column::Username.eq(DEMO_ACCOUNTS[0].0))
        .count(db)
        .await?;
    if already > 0 {
        return Ok(false);
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
        return Ok(false);
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
        return Ok(true);
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
    Ok(true)
}
