//! The deadline sweeper: submits every attempt whose deadline (plus the grace for saves in
//! flight) has passed, whether or not its browser is still there.
//!
//! Exactly once, however many server processes sweep one PostgreSQL database: each sweep takes
//! the expired rows with `FOR UPDATE SKIP LOCKED` (a row another process is closing is
//! skipped, not waited for), and the closing update itself only applies to a row still in
//! progress. On SQLite the sweep's transaction begins `IMMEDIATE`, so it is alone.

use std::time::Duration;

use chrono::Utc;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
    sea_query::{LockBehavior, LockType},
};

use super::{SittingConfig, chrono, close};
use crate::{
    error::AppError,
    sitting::AttemptStatus,
    ssr::{begin_write, entities::attempt},
};

/// Attempts closed per transaction.
const SWEEP_CHUNK: u64 = 200;

/// Closes the expired attempts; returns how many this call closed.
#[tracing::instrument(skip_all)]
pub async fn sweep(db: &DatabaseConnection, config: &SittingConfig) -> Result<usize, AppError> {
    let mut closed = 0;
    loop {
        let now = Utc::now();
        let txn = begin_write(db).await?;
        let expired = attempt::Entity::find()
            .filter(attempt::Column::Status.eq(AttemptStatus::InProgress.as_str()))
            .filter(attempt::Column::Deadline.lt(now - chrono(config.grace)))
            .order_by_asc(attempt::Column::Id)
            .limit(SWEEP_CHUNK)
            .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
            .all(&txn)
            .await?;
        let found = expired.len();
        for a in &expired {
            if close(&txn, a, AttemptStatus::AutoSubmitted, now, "").await? {
                closed += 1;
            }
        }
        txn.commit().await?;
        if (found as u64) < SWEEP_CHUNK {
            return Ok(closed);
        }
    }
}

/// Sweeps every `config.sweep_every` until the process ends. A failed sweep is logged (by the
/// error conversion) and tried again at the next tick.
pub fn spawn(db: DatabaseConnection, config: SittingConfig) {
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(config.sweep_every.max(Duration::from_millis(100)));
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tick.tick().await;
            match sweep(&db, &config).await {
                Ok(0) => {}
                Ok(n) => tracing::info!("sweeper: {n} attempts submitted at their deadline"),
                Err(_) => tracing::warn!("sweeper: this sweep failed; trying again"),
            }
        }
    });
}
