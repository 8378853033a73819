//! The inbox and the home page's data.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, Set,
};

use super::{AdminOverview, BankOverview, HomeSummary, NotificationItem};
use crate::{
    error::{AppError, Text},
    roles::Role,
    ssr::{
        Caller,
        entities::{account, notification},
    },
};

/// Puts a notification in an account's inbox. Call it inside the transaction of the change
/// it announces.
#[tracing::instrument(skip_all)]
pub async fn notify(
    conn: &impl ConnectionTrait,
    account_id: i32,
    kind: &str,
    text: &Text,
    link: Option<&str>,
) -> Result<(), AppError> {
    let payload = serde_json::to_string(text).map_err(|e| {
        tracing::error!("notification payload: {e}");
        AppError::Internal
    })?;
    notification::ActiveModel {
        account_id: Set(account_id),
        kind: Set(kind.to_owned()),
        payload: Set(payload),
        link: Set(link.map(str::to_owned)),
        created_at: Set(Utc::now()),
        read_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Notifies every active officer of an agency (inside the caller's transaction).
#[tracing::instrument(skip_all)]
pub async fn notify_agency_officers(
    conn: &impl ConnectionTrait,
    agency_id: i32,
    kind: &str,
    text: &Text,
    link: Option<&str>,
) -> Result<(), AppError> {
    let officers = account::Entity::find()
        .filter(account::Column::Role.eq(Role::AgencyOfficer.as_str()))
        .filter(account::Column::AgencyId.eq(agency_id))
        .filter(account::Column::Active.eq(true))
        .all(conn)
        .await?;
    for officer in officers {
        notify(conn, officer.id, kind, text, link).await?;
    }
    Ok(())
}

/// The caller's home page data.
#[tracing::instrument(skip_all)]
pub async fn summary(
    conn: &impl ConnectionTrait,
    caller: &Caller,
) -> Result<HomeSummary, AppError> {
    let unread = notification::Entity::find()
        .filter(notification::Column::AccountId.eq(caller.user.id))
        .filter(notification::Column::ReadAt.is_null())
        .order_by_desc(notification::Column::Id)
        .limit(50)
        .all(conn)
        .await?
        .into_iter()
        .map(|n| NotificationItem {
            id: n.id,
            text: serde_json::from_str(&n.payload)
                .unwrap_or_else(|_| Text::render(|_| n.kind.clone())),
            link: n.link,
            created_at: n.created_at,
        })
        .collect();
    let admin = if caller.user.role == Role::OfficeAdmin {
        let (agencies, active_accounts, disabled_accounts) =
            crate::admin::ssr::counts(conn).await?;
        Some(AdminOverview {
            agencies,
            active_accounts,
            disabled_accounts,
            audit: crate::audit::ssr::verify(conn).await?,
            recent: crate::audit::ssr::recent(conn, 8).await?,
        })
    } else {
        None
    };
    let bank = if matches!(caller.user.role, Role::QuestionAuthor | Role::OfficeAdmin) {
        let (active, retired) = crate::bank::ssr::counts_by_status(conn).await?;
        Some(BankOverview { active, retired })
    } else {
        None
    };
    Ok(HomeSummary {
        unread,
        admin,
        bank,
    })
}

/// Marks a notification read; another account's notification is "not found".
#[tracing::instrument(skip_all)]
pub async fn mark_read(
    conn: &impl ConnectionTrait,
    caller: &Caller,
    id: i64,
) -> Result<(), AppError> {
    let n = notification::Entity::find_by_id(id)
        .filter(notification::Column::AccountId.eq(caller.user.id))
        .one(conn)
        .await?
        .ok_or(AppError::NotFound)?;
    let mut am: notification::ActiveModel = n.into();
    am.read_at = Set(Some(Utc::now()));
    am.update(conn).await?;
    Ok(())
}
