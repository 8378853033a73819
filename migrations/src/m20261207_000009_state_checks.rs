//! The states of the older tables kept in the schema too: every status, choice, resolution
//! question type and exam kind column admits only the values its Rust enum stores (plans, plan history,
//! batches, meetings, agenda items, votes, questions). A row written around the application
//! (by hand, or by a later bug) with any other value is refused by the database.
//!
//! PostgreSQL gets CHECK constraints. SQLite cannot add a constraint to an existing table
//! without rebuilding it, so it gets the equivalent triggers: a row inserted or updated with a
//! value outside the list is aborted with "CHECK constraint failed: table.column".

// See the foundation migration: the async_trait signature needs the elided lifetime.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

const PLAN_STATES: &[&str] = &[
    "draft",
    "submitted",
    "in_review",
    "approved",
    "rejected",
    "returned",
    "withdrawn",
    "scheduled",
];
const BATCH_STATES: &[&str] = &["draft", "scheduled", "in_progress", "closed", "published"];
const MEETING_STATES: &[&str] = &["open", "closed"];
const CHOICES: &[&str] = &["approve", "reject", "return", "abstain"];
const RESOLUTIONS: &[&str] = &["approved", "rejected", "returned", "undecided"];
const QUESTION_STATES: &[&str] = &["active", "retired"];
const EXAM_KINDS: &[&str] = &["general", "professional"];
const QUESTION_TYPES: &[&str] = &["single", "multiple", "true_false"];

/// (table, column, admitted values, whether NULL is admitted).
const CHECKS: &[(&str, &str, &[&str], bool)] = &[
    ("plan", "status", PLAN_STATES, false),
    ("plan", "exam_kind", EXAM_KINDS, false),
    ("plan_event", "status", PLAN_STATES, false),
    ("batch", "status", BATCH_STATES, false),
    ("batch", "exam_kind", EXAM_KINDS, false),
    ("meeting", "status", MEETING_STATES, false),
    ("meeting_item", "resolution", RESOLUTIONS, true),
    ("vote", "choice", CHOICES, false),
    ("question", "status", QUESTION_STATES, false),
    ("question", "question_type", QUESTION_TYPES, false),
    ("question", "exam_kind", EXAM_KINDS, false),
];

/// The SQL condition a value must meet.
fn condition(column: &str, values: &[&str], nullable: bool, prefix: &str) -> String {
    let list = values
        .iter()
        .map(|v| format!("'{v}'"))
        .collect::<Vec<_>>()
        .join(", ");
    let inside = format!("{prefix}{column} IN ({list})");
    if nullable {
        format!("({prefix}{column} IS NULL OR {inside})")
    } else {
        inside
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (table, column, values, nullable) in CHECKS {
            let name = format!("ck_{table}_{column}");
            match db.get_database_backend() {
                DbBackend::Sqlite => {
                    let ok = condition(column, values, *nullable, "NEW.");
                    crate::add_sqlite_check(db, &name, table, column, &ok).await?;
                }
                _ => {
                    let ok = condition(column, values, *nullable, "");
                    db.execute_unprepared(&format!(
                        "ALTER TABLE {table} ADD CONSTRAINT {name} CHECK ({ok})"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (table, column, ..) in CHECKS {
            let name = format!("ck_{table}_{column}");
            match db.get_database_backend() {
                DbBackend::Sqlite => crate::drop_sqlite_check(db, &name).await?,
                _ => {
                    db.execute_unprepared(&format!(
                        "ALTER TABLE {table} DROP CONSTRAINT IF EXISTS {name}"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }
}
