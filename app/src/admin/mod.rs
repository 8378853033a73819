//! The office admin's management of agencies (执法机关) and accounts.

mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

pub use pages::{AccountsPage, AgenciesPage};

use crate::{
    error::AppError,
    roles::{AgencyRef, Role},
};

/// An agency as listed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyRow {
    pub id: i32,
    pub name: String,
    pub code: String,
    pub field: Option<String>,
    pub active: bool,
    pub accounts: u64,
}

/// The agency form: `id` is `None` to create.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AgencyInput {
    pub id: Option<i32>,
    pub name: String,
    pub code: String,
    pub field: String,
    pub active: bool,
}

/// An account as listed (no secrets).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountRow {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub agency: Option<AgencyRef>,
    pub active: bool,
    pub must_change_password: bool,
    pub created_at: DateTime<Utc>,
}

/// Filters of the account list.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountFilter {
    pub role: Option<Role>,
    pub agency_id: Option<i32>,
    pub text: String,
    pub page: u64,
}

/// A page of accounts.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountList {
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub rows: Vec<AccountRow>,
}

/// The new-account form. An empty password asks the server to generate one.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub agency_id: Option<i32>,
    pub password: String,
}

/// A created account; `password` is the generated one, shown once.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CreatedAccount {
    pub id: i32,
    pub password: Option<String>,
}

/// All agencies. Office admin only.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "admin/agencies/list", input = Json)]
pub async fn list_agencies() -> Result<Vec<AgencyRow>, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::list_agencies(&state.db).await
}

/// Creates or updates an agency. Office admin only.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "admin/agencies/save", input = Json)]
pub async fn save_agency(input: AgencyInput) -> Result<AgencyRow, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::save_agency(&state.db, &caller, input).await
}

/// A filtered page of accounts. Office admin only.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "admin/accounts/list", input = Json)]
pub async fn list_accounts(filter: AccountFilter) -> Result<AccountList, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::list_accounts(&state.db, &filter).await
}

/// Creates an account. Office admin only.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "admin/accounts/create", input = Json)]
pub async fn create_account(input: NewAccount) -> Result<CreatedAccount, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::create_account(&state.db, &caller, input).await
}

/// Enables or disables an account; disabling ends its sessions. Office admin only.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "admin/accounts/set-active", input = Json)]
pub async fn set_account_active(id: i32, active: bool) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::set_account_active(&state.db, &caller, id, active).await
}

/// Sets a new generated password, returned once; ends the account's sessions. Office admin only.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "admin/accounts/reset-password", input = Json)]
pub async fn reset_password(id: i32) -> Result<String, AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::reset_password(&state.db, &caller, id).await
}

/// An account's sign-in throttle: recent failures and, if it is held back now, for how long.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ThrottleView {
    pub failures: u64,
    pub wait_secs: Option<u64>,
}

/// An account's sign-in throttle. Office admin only.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "admin/accounts/throttle", input = Json)]
pub async fn account_throttle(id: i32) -> Result<ThrottleView, AppError> {
    let state = crate::ssr::app_state()?;
    crate::ssr::require(&[Role::OfficeAdmin]).await?;
    crate::auth::ssr::throttle_of(&state.db, &state.auth, id).await
}

/// Clears an account's failed sign-ins (audited). Office admin only.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "admin/accounts/clear-throttle", input = Json)]
pub async fn clear_account_throttle(id: i32) -> Result<(), AppError> {
    let state = crate::ssr::app_state()?;
    let caller = crate::ssr::require(&[Role::OfficeAdmin]).await?;
    crate::auth::ssr::clear_throttle(&state.db, &caller, id).await
}
