//! The home page: each role sees what waits for it, and the in-app inbox (notifications).

mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

pub use pages::{AuditBadge, HomePage};

use crate::{
    audit::{AuditEntry, AuditReport},
    error::{AppError, Text},
};

/// One notification in the inbox.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotificationItem {
    pub id: i64,
    pub text: Text,
    pub link: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// The office admin's overview.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AdminOverview {
    pub agencies: u64,
    pub active_accounts: u64,
    pub disabled_accounts: u64,
    pub audit: AuditReport,
    pub recent: Vec<AuditEntry>,
}

/// The question author's overview of the bank.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct BankOverview {
    pub active: u64,
    pub retired: u64,
}

/// What the home page shows the caller.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct HomeSummary {
    pub unread: Vec<NotificationItem>,
    pub admin: Option<AdminOverview>,
    pub bank: Option<BankOverview>,
}

/// The caller's home page data. Any signed-in role; each sees only its own inbox.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "home/summary", input = Json)]
pub async fn load_home() -> Result<HomeSummary, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require_any().await?;
    ssr::summary(&state.db, &caller).await
}

/// Marks one of the caller's notifications read. Any signed-in role, own notifications only.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "home/notifications/read", input = Json)]
pub async fn mark_notification_read(id: i64) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require_any().await?;
    ssr::mark_read(&state.db, &caller, id).await
}
