//! The audit log as the office admin sees it: the newest entries and a chain check.

mod pages;
#[cfg(feature = "ssr")]
pub mod ssr;

use chrono::{DateTime, Utc};
use leptos::prelude::*;
use leptos::server_fn::codec::Json;
use serde::{Deserialize, Serialize};

pub use pages::AuditPage as AuditLogPage;

use crate::error::AppError;

/// One audit entry, for display.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: String,
    pub target: String,
    pub detail: String,
}

/// A page of entries, newest first.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditPage {
    pub total: u64,
    pub page: u64,
    pub per_page: u64,
    pub entries: Vec<AuditEntry>,
}

/// Where the chain breaks.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AuditBreak {
    /// Entry `seq` is missing (deleted).
    Missing { seq: i64 },
    /// Entry `seq` does not point at its predecessor's hash.
    Relinked { seq: i64 },
    /// Entry `seq` was edited: its content no longer matches its hash.
    Edited { seq: i64 },
    /// Entries from `seq` on were removed from the end.
    Truncated { seq: i64 },
}

impl AuditBreak {
    /// The entry where the break was found.
    pub fn seq(&self) -> i64 {
        match self {
            AuditBreak::Missing { seq }
            | AuditBreak::Relinked { seq }
            | AuditBreak::Edited { seq }
            | AuditBreak::Truncated { seq } => *seq,
        }
    }

    /// What happened, in the interface language.
    pub fn reason(&self, locale: crate::i18n::Locale) -> &'static str {
        use crate::i18n::td_string;
        match self {
            AuditBreak::Missing { .. } => td_string!(locale, audit.break_missing),
            AuditBreak::Relinked { .. } => td_string!(locale, audit.break_relinked),
            AuditBreak::Edited { .. } => td_string!(locale, audit.break_edited),
            AuditBreak::Truncated { .. } => td_string!(locale, audit.break_truncated),
        }
    }
}

/// The result of a chain check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuditReport {
    /// Entries verified before the break (all of them when intact).
    pub entries: u64,
    pub broken: Option<AuditBreak>,
}

/// A page of the audit log. Office admin only.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "admin/audit/list", input = Json)]
pub async fn list_audit(page: u64) -> Result<AuditPage, AppError> {
    let state = crate::ssr::app_state()?;
    use crate::roles::Role;
    crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::list(&state.db, page, 50).await
}

/// Verifies the whole chain. Office admin only.
#[cfg_attr(feature = "ssr", tracing::instrument(skip_all, fields(server_fn)))]
#[server(endpoint = "admin/audit/verify", input = Json)]
pub async fn verify_audit() -> Result<AuditReport, AppError> {
    let state = crate::ssr::app_state()?;
    use crate::roles::Role;
    crate::ssr::require(&[Role::OfficeAdmin]).await?;
    ssr::verify(&state.db).await
}
