//! The append-only, hash-chained audit log.
//!
//! Each entry stores the hash of the previous one and its own hash over
//! `prev_hash | seq | at | actor | action | target | detail`. Appends are serialised through the
//! `audit_head` row, which every append updates first (a row lock on PostgreSQL, the write lock
//! on SQLite), so the chain never forks. [`verify`] recomputes the chain: an edited entry breaks
//! its hash, a deleted one leaves a gap in `seq`, a removed tail disagrees with the head row.

use chrono::{DateTime, SubsecRound, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
    sea_query::{Expr, ExprTrait},
};
use sha2::{Digest, Sha256};

use super::{AuditBreak, AuditEntry, AuditPage, AuditReport};
use crate::{
    error::AppError,
    roles::CurrentUser,
    ssr::entities::{audit_head, audit_log},
};

/// Who did it: an account, or the system itself (start-up, CLI).
#[derive(Clone, Debug)]
pub struct Actor {
    pub id: Option<i32>,
    pub name: String,
}

impl Actor {
    /// The system itself.
    pub fn system() -> Self {
        Actor {
            id: None,
            name: "system".to_owned(),
        }
    }
}

impl From<&CurrentUser> for Actor {
    fn from(u: &CurrentUser) -> Self {
        Actor {
            id: Some(u.id),
            name: u.username.clone(),
        }
    }
}

fn timestamp(at: &DateTime<Utc>) -> String {
    at.format("%Y-%m-%dT%H:%M:%S%.6fZ").to_string()
}

/// The hash of an entry, hex.
fn entry_hash(m: &audit_log::Model) -> String {
    let mut h = Sha256::new();
    for part in [
        m.prev_hash.as_str(),
        &m.seq.to_string(),
        &timestamp(&m.at),
        &m.actor_id.map(|i| i.to_string()).unwrap_or_default(),
        &m.actor_name,
        &m.action,
        &m.target,
        &m.detail,
    ] {
        // Length-prefix each part so no two different entries hash the same bytes.
        h.update((part.len() as u64).to_be_bytes());
        h.update(part.as_bytes());
    }
    hex::encode(h.finalize())
}

/// Appends an entry. Call it inside the transaction of the change it records.
#[tracing::instrument(skip_all)]
pub async fn record(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: serde_json::Value,
) -> Result<(), AppError> {
    audit_head::Entity::update_many()
        .col_expr(
            audit_head::Column::Seq,
            Expr::col(audit_head::Column::Seq).add(1),
        )
        .filter(audit_head::Column::Id.eq(1))
        .exec(conn)
        .await?;
    let head = audit_head::Entity::find_by_id(1)
        .one(conn)
        .await?
        .ok_or_else(|| {
            tracing::error!("audit: head row missing");
            AppError::Internal
        })?;
    let mut entry = audit_log::Model {
        seq: head.seq,
        at: Utc::now().trunc_subsecs(6),
        actor_id: actor.id,
        actor_name: actor.name.chars().take(64).collect(),
        action: action.chars().take(64).collect(),
        target: target.chars().take(128).collect(),
        detail: detail.to_string(),
        prev_hash: head.last_hash.clone(),
        hash: String::new(),
    };
    entry.hash = entry_hash(&entry);
    let hash = entry.hash.clone();
    audit_log::ActiveModel::from(entry).insert(conn).await?;
    let mut head: audit_head::ActiveModel = head.into();
    head.last_hash = Set(hash);
    head.update(conn).await?;
    Ok(())
}

/// Recomputes the whole chain and reports the first break.
#[tracing::instrument(skip_all)]
pub async fn verify(conn: &impl ConnectionTrait) -> Result<AuditReport, AppError> {
    const CHUNK: u64 = 1000;
    let mut expected_seq = 1i64;
    let mut prev_hash = "0".repeat(64);
    let mut entries = 0u64;
    loop {
        let rows = audit_log::Entity::find()
            .filter(audit_log::Column::Seq.gte(expected_seq))
            .order_by_asc(audit_log::Column::Seq)
            .limit(CHUNK)
            .all(conn)
            .await?;
        let done = (rows.len() as u64) < CHUNK;
        for row in rows {
            let broken = if row.seq != expected_seq {
                Some(AuditBreak::Missing { seq: expected_seq })
            } else if row.prev_hash != prev_hash {
                Some(AuditBreak::Relinked { seq: row.seq })
            } else if entry_hash(&row) != row.hash {
                Some(AuditBreak::Edited { seq: row.seq })
            } else {
                None
            };
            if let Some(broken) = broken {
                return Ok(AuditReport {
                    entries,
                    broken: Some(broken),
                });
            }
            entries += 1;
            expected_seq += 1;
            prev_hash = row.hash;
        }
        if done {
            break;
        }
    }
    let head = audit_head::Entity::find_by_id(1).one(conn).await?;
    let broken = match head {
        Some(h) if h.seq == expected_seq - 1 && h.last_hash == prev_hash => None,
        _ => Some(AuditBreak::Truncated { seq: expected_seq }),
    };
    Ok(AuditReport { entries, broken })
}

/// One page of the log, newest first.
#[tracing::instrument(skip_all)]
pub async fn list(
    conn: &impl ConnectionTrait,
    page: u64,
    per_page: u64,
) -> Result<AuditPage, AppError> {
    let per_page = per_page.clamp(1, 200);
    let paginator = audit_log::Entity::find()
        .order_by_desc(audit_log::Column::Seq)
        .paginate(conn, per_page);
    let total = paginator.num_items().await?;
    let rows = paginator.fetch_page(page).await?;
    Ok(AuditPage {
        total,
        page,
        per_page,
        entries: rows
            .into_iter()
            .map(|r| AuditEntry {
                seq: r.seq,
                at: r.at,
                actor: r.actor_name,
                action: r.action,
                target: r.target,
                detail: r.detail,
            })
            .collect(),
    })
}

/// The newest entries about one account (for its home page).
#[tracing::instrument(skip_all)]
pub async fn recent(conn: &impl ConnectionTrait, n: u64) -> Result<Vec<AuditEntry>, AppError> {
    Ok(list(conn, 0, n).await?.entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(detail: &str) -> audit_log::Model {
        audit_log::Model {
            seq: 1,
            at: DateTime::from_timestamp(1_800_000_000, 123_456_000).unwrap_or_default(),
            actor_id: Some(1),
            actor_name: "admin".into(),
            action: "auth.login".into(),
            target: "account:1".into(),
            detail: detail.into(),
            prev_hash: "0".repeat(64),
            hash: String::new(),
        }
    }

    #[test]
    fn any_change_to_an_entry_changes_its_hash() {
        let a = entry("{}");
        let b = entry("{ }");
        assert_ne!(entry_hash(&a), entry_hash(&b));
        let mut c = entry("{}");
        c.actor_name = "admim".into();
        assert_ne!(entry_hash(&a), entry_hash(&c));
    }

    #[test]
    fn moving_text_between_fields_changes_the_hash() {
        let mut a = entry("{}");
        a.action = "ab".into();
        a.target = "c".into();
        let mut b = entry("{}");
        b.action = "a".into();
        b.target = "bc".into();
        assert_ne!(entry_hash(&a), entry_hash(&b));
    }
}
