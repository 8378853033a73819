//! Services behind agency and account management. Every change runs in one transaction with
//! its audit entry.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait,
    PaginatorTrait, QueryFilter, QueryOrder, Set,
};

use super::{
    AccountFilter, AccountList, AccountRow, AgencyInput, AgencyRow, CreatedAccount, NewAccount,
};
use crate::{
    audit::ssr::{Actor, record},
    auth::ssr::{end_sessions, generate_password, hash_password, validate_new_password},
    error::AppError,
    roles::AgencyRef,
    ssr::{
        Caller, begin_write,
        entities::{account, agency},
    },
};

async fn agency_row(db: &impl ConnectionTrait, a: agency::Model) -> Result<AgencyRow, AppError> {
    let accounts = account::Entity::find()
        .filter(account::Column::AgencyId.eq(a.id))
        .count(db)
        .await?;
    Ok(AgencyRow {
        id: a.id,
        name: a.name,
        code: a.code,
        field: a.field,
        active: a.active,
        accounts,
    })
}

/// Every agency, by name.
#[tracing::instrument(skip_all)]
pub async fn list_agencies(db: &impl ConnectionTrait) -> Result<Vec<AgencyRow>, AppError> {
    let agencies = agency::Entity::find()
        .order_by_asc(agency::Column::Name)
        .all(db)
        .await?;
    let mut rows = Vec::with_capacity(agencies.len());
    for a in agencies {
        rows.push(agency_row(db, a).await?);
    }
    Ok(rows)
}

struct ValidAgency {
    name: String,
    code: String,
    field: Option<String>,
}

fn validate_agency(input: &AgencyInput) -> Result<ValidAgency, AppError> {
    let name = input.name.trim();
    if !(2..=100).contains(&name.chars().count()) {
        return Err(AppError::invalid(
            "name",
            crate::msg!(admin.agency_name_needs_2_100_characters),
        ));
    }
    let code = input.code.trim();
    if code.is_empty()
        || code.len() > 32
        || !code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err(AppError::invalid(
            "code",
            crate::msg!(admin.agency_code_needs_1_32_letters),
        ));
    }
    let field = input.field.trim();
    if field.chars().count() > 32 {
        return Err(AppError::invalid(
            "field",
            crate::msg!(admin.enforcement_field_has_at_most_32),
        ));
    }
    Ok(ValidAgency {
        name: name.to_owned(),
        code: code.to_uppercase(),
        field: (!field.is_empty()).then(|| field.to_owned()),
    })
}

/// Creates (no `id`) or updates an agency. Name and code are unique.
#[tracing::instrument(skip_all)]
pub async fn save_agency(
    db: &DatabaseConnection,
    caller: &Caller,
    input: AgencyInput,
) -> Result<AgencyRow, AppError> {
    let valid = validate_agency(&input)?;
    let txn = begin_write(db).await?;
    let mut clash = Condition::any()
        .add(agency::Column::Name.eq(valid.name.as_str()))
        .add(agency::Column::Code.eq(valid.code.as_str()));
    if let Some(id) = input.id {
        clash = Condition::all().add(clash).add(agency::Column::Id.ne(id));
    }
    if let Some(other) = agency::Entity::find().filter(clash).one(&txn).await? {
        return Err(if other.name == valid.name {
            AppError::conflict(
                "name",
                crate::msg!(admin.agency_named_name_exists_already, name = valid.name),
            )
        } else {
            AppError::conflict(
                "code",
                crate::msg!(admin.agency_code_code_is_taken_already, code = valid.code),
            )
        });
    }
    let (model, action) = match input.id {
        None => (
            agency::ActiveModel {
                name: Set(valid.name),
                code: Set(valid.code),
                field: Set(valid.field),
                active: Set(true),
                created_at: Set(Utc::now()),
                ..Default::default()
            }
            .insert(&txn)
            .await?,
            "agency.create",
        ),
        Some(id) => {
            let existing = agency::Entity::find_by_id(id)
                .one(&txn)
                .await?
                .ok_or(AppError::NotFound)?;
            let mut am: agency::ActiveModel = existing.into();
            am.name = Set(valid.name);
            am.code = Set(valid.code);
            am.field = Set(valid.field);
            am.active = Set(input.active);
            (am.update(&txn).await?, "agency.update")
        }
    };
    record(
        &txn,
        &Actor::from(&caller.user),
        action,
        &format!("agency:{}", model.id),
        serde_json::json!({ "name": model.name, "code": model.code, "active": model.active }),
    )
    .await?;
    let row = agency_row(&txn, model).await?;
    txn.commit().await?;
    Ok(row)
}

async fn account_row(
    db: &impl ConnectionTrait,
    acc: account::Model,
) -> Result<AccountRow, AppError> {
    let user = crate::auth::ssr::current_user_of(db, &acc).await?;
    Ok(AccountRow {
        id: acc.id,
        username: acc.username,
        display_name: acc.display_name,
        role: user.role,
        agency: user.agency,
        active: acc.active,
        must_change_password: acc.must_change_password,
        created_at: acc.created_at,
    })
}

/// A filtered page of accounts, by user name.
#[tracing::instrument(skip_all)]
pub async fn list_accounts(
    db: &impl ConnectionTrait,
    filter: &AccountFilter,
) -> Result<AccountList, AppError> {
    const PER_PAGE: u64 = 25;
    // Candidates' sign-in accounts belong to their tickets, not to account management.
    let mut q = account::Entity::find()
        .filter(account::Column::CandidateId.is_null())
        .order_by_asc(account::Column::Username);
    if let Some(role) = filter.role {
        q = q.filter(account::Column::Role.eq(role.as_str()));
    }
    if let Some(agency_id) = filter.agency_id {
        q = q.filter(account::Column::AgencyId.eq(agency_id));
    }
    let text = filter.text.trim();
    if !text.is_empty() {
        q = q.filter(
            Condition::any()
                .add(account::Column::Username.contains(text))
                .add(account::Column::DisplayName.contains(text)),
        );
    }
    let paginator = q.paginate(db, PER_PAGE);
    let total = paginator.num_items().await?;
    let models = paginator.fetch_page(filter.page).await?;
    let mut rows = Vec::with_capacity(models.len());
    for m in models {
        rows.push(account_row(db, m).await?);
    }
    Ok(AccountList {
        total,
        page: filter.page,
        per_page: PER_PAGE,
        rows,
    })
}

fn validate_username(username: &str) -> Result<(), AppError> {
    let ok = (3..=64).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(AppError::invalid(
            "username",
            crate::msg!(admin.user_name_needs_3_64_letters),
        ))
    }
}

/// Creates an account; generates the password when none is given.
#[tracing::instrument(skip_all)]
pub async fn create_account(
    db: &DatabaseConnection,
    caller: &Caller,
    input: NewAccount,
) -> Result<CreatedAccount, AppError> {
    let username = input.username.trim().to_owned();
    validate_username(&username)?;
    let display_name = input.display_name.trim().to_owned();
    if !(1..=64).contains(&display_name.chars().count()) {
        return Err(AppError::invalid(
            "display_name",
            crate::msg!(admin.give_person_s_full_name_at),
        ));
    }
    if input.role.needs_agency() && input.agency_id.is_none() {
        return Err(AppError::invalid(
            "agency_id",
            crate::msg!(admin.agency_officer_must_belong_to_agency),
        ));
    }
    let generated = input.password.is_empty();
    let password = if generated {
        generate_password()
    } else {
        validate_new_password("password", &input.password)?;
        input.password.clone()
    };
    let hash = hash_password(&password).await?;

    let txn = begin_write(db).await?;
    if let Some(agency_id) = input.agency_id {
        let found = agency::Entity::find_by_id(agency_id).one(&txn).await?;
        if !found.is_some_and(|a| a.active) {
            return Err(AppError::invalid(
                "agency_id",
                crate::msg!(admin.chosen_agency_does_not_exist_or),
            ));
        }
    }
    if account::Entity::find()
        .filter(account::Column::Username.eq(username.as_str()))
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(AppError::conflict(
            "username",
            crate::msg!(
                admin.user_name_username_is_taken_already,
                username = username
            ),
        ));
    }
    let now = Utc::now();
    let acc = account::ActiveModel {
        username: Set(username.clone()),
        display_name: Set(display_name),
        role: Set(input.role.as_str().to_owned()),
        agency_id: Set(input.agency_id),
        password_hash: Set(hash),
        active: Set(true),
        must_change_password: Set(true),
        created_at: Set(now),
        updated_at: Set(now),
        ..Default::default()
    }
    .insert(&txn)
    .await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "account.create",
        &format!("account:{}", acc.id),
        serde_json::json!({
            "username": username,
            "role": input.role.as_str(),
            "agency_id": input.agency_id,
        }),
    )
    .await?;
    txn.commit().await?;
    Ok(CreatedAccount {
        id: acc.id,
        password: generated.then_some(password),
    })
}

async fn find_account(db: &impl ConnectionTrait, id: i32) -> Result<account::Model, AppError> {
    account::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)
}

/// Enables or disables an account. Disabling ends its sessions; nobody disables themselves.
#[tracing::instrument(skip_all)]
pub async fn set_account_active(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
    active: bool,
) -> Result<(), AppError> {
    if id == caller.user.id && !active {
        return Err(AppError::conflict(
            "id",
            crate::msg!(admin.you_cannot_disable_account_you_are),
        ));
    }
    let txn = begin_write(db).await?;
    let acc = find_account(&txn, id).await?;
    let mut am: account::ActiveModel = acc.into();
    am.active = Set(active);
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    if !active {
        end_sessions(&txn, id, None).await?;
    }
    record(
        &txn,
        &Actor::from(&caller.user),
        if active {
            "account.enable"
        } else {
            "account.disable"
        },
        &format!("account:{id}"),
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await.map_err(AppError::from)
}

/// Gives an account a new generated password (returned once) and ends its sessions.
#[tracing::instrument(skip_all)]
pub async fn reset_password(
    db: &DatabaseConnection,
    caller: &Caller,
    id: i32,
) -> Result<String, AppError> {
    let password = generate_password();
    let hash = hash_password(&password).await?;
    let txn = begin_write(db).await?;
    let acc = find_account(&txn, id).await?;
    let mut am: account::ActiveModel = acc.into();
    am.password_hash = Set(hash);
    am.must_change_password = Set(true);
    am.updated_at = Set(Utc::now());
    am.update(&txn).await?;
    end_sessions(&txn, id, None).await?;
    record(
        &txn,
        &Actor::from(&caller.user),
        "account.reset_password",
        &format!("account:{id}"),
        serde_json::json!({}),
    )
    .await?;
    txn.commit().await?;
    Ok(password)
}

/// Counts for the admin's home page: agencies, active and disabled accounts.
#[tracing::instrument(skip_all)]
pub async fn counts(db: &impl ConnectionTrait) -> Result<(u64, u64, u64), AppError> {
    let agencies = agency::Entity::find().count(db).await?;
    let active = account::Entity::find()
        .filter(account::Column::Active.eq(true))
        .count(db)
        .await?;
    let disabled = account::Entity::find()
        .filter(account::Column::Active.eq(false))
        .count(db)
        .await?;
    Ok((agencies, active, disabled))
}

/// A reference to an agency by id (for demo data and later features).
#[tracing::instrument(skip_all)]
pub async fn agency_ref(db: &impl ConnectionTrait, id: i32) -> Result<AgencyRef, AppError> {
    let a = agency::Entity::find_by_id(id)
        .one(db)
        .await?
        .ok_or(AppError::NotFound)?;
    Ok(AgencyRef {
        id: a.id,
        name: a.name,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn agency_codes_are_normalised_to_upper_case() {
        let v = validate_agency(&AgencyInput {
            name: "市市场监督管理局".into(),
            code: "scjg-01".into(),
            ..Default::default()
        });
        assert!(matches!(v, Ok(ref a) if a.code == "SCJG-01"));
    }

    #[test]
    fn an_agency_code_with_spaces_is_refused_naming_the_field() {
        let v = validate_agency(&AgencyInput {
            name: "市市场监督管理局".into(),
            code: "SC JG".into(),
            ..Default::default()
        });
        assert_eq!(
            v.err().and_then(|e| e.field().map(str::to_owned)),
            Some("code".into())
        );
    }

    #[test]
    fn user_names_allow_only_safe_ascii() {
        assert!(validate_username("zhang.wei").is_ok());
        assert!(validate_username("张伟").is_err());
        assert!(validate_username("ab").is_err());
    }
}
