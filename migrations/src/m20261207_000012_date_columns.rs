//! Calendar days as dates: a plan's period (`plan.period_from`, `plan.period_to`) and a
//! meeting's day (`meeting.held_on`) were text. PostgreSQL turns the columns into `date`
//! (every stored value was written as `YYYY-MM-DD` by the services, so the cast keeps them).
//! SQLite has no date type — it stores a date as that same text — so it gets triggers that
//! refuse a value that is not a real calendar day, aborting with "CHECK constraint failed:
//! table.column" as migration 9's do.

// See the foundation migration: the async_trait signature needs the elided lifetime.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// (table, column).
const DAYS: &[(&str, &str)] = &[
    ("plan", "period_from"),
    ("plan", "period_to"),
    ("meeting", "held_on"),
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (table, column) in DAYS {
            match db.get_database_backend() {
                DbBackend::Sqlite => {
                    let name = format!("ck_{table}_{column}_date");
                    let ok = format!("date(NEW.{column}) IS NEW.{column}");
                    crate::add_sqlite_check(db, &name, table, column, &ok).await?;
                }
                _ => {
                    db.execute_unprepared(&format!(
                        "ALTER TABLE {table} ALTER COLUMN {column} TYPE date USING {column}::date"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for (table, column) in DAYS {
            match db.get_database_backend() {
                DbBackend::Sqlite => {
                    crate::drop_sqlite_check(db, &format!("ck_{table}_{column}_date")).await?;
                }
                _ => {
                    db.execute_unprepared(&format!(
                        "ALTER TABLE {table} ALTER COLUMN {column} TYPE varchar(10) \
                         USING to_char({column}, 'YYYY-MM-DD')"
                    ))
                    .await?;
                }
            }
        }
        Ok(())
    }
}
