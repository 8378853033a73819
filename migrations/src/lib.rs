//! The schema of the exam system as sea-orm migrations.
//!
//! Every migration runs unchanged on SQLite and PostgreSQL. This crate holds structure only: no
//! business rules, no seed data (demo data lives in the app's services).

pub use sea_orm_migration::prelude::*;

mod m20261127_000001_foundation;
mod m20261127_000002_question_bank;
mod m20261127_000003_procedure;
mod m20261127_000004_papers;
mod m20261127_000005_paper_deal_state;
mod m20261201_000006_devices_and_uploads;
mod m20261207_000007_sitting;
mod m20261207_000008_proctoring;
mod m20261207_000009_state_checks;
mod m20261207_000010_results;
mod m20261207_000011_notices_and_history;
mod m20261207_000012_date_columns;

/// The ordered list of migrations.
pub struct Migrator;

/// A foreign key that refuses to delete a row still referenced.
pub(crate) fn fk(
    name: &str,
    from: (impl IntoIden, impl IntoIden),
    to: (impl IntoIden, impl IntoIden),
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .name(name)
        .from(from.0, from.1)
        .to(to.0, to.1)
        .on_delete(ForeignKeyAction::Restrict)
        .to_owned()
}

/// SQLite's stand-in for a CHECK constraint on an existing table (it cannot add one without
/// rebuilding the table): triggers `{name}_insert` and `{name}_update` that abort a write of
/// `table.column` when the condition `ok` (over `NEW.`) does not hold, with "CHECK constraint
/// failed: table.column".
pub(crate) async fn add_sqlite_check(
    db: &impl sea_orm_migration::sea_orm::ConnectionTrait,
    name: &str,
    table: &str,
    column: &str,
    ok: &str,
) -> Result<(), DbErr> {
    for (when, on) in [
        ("insert", "INSERT"),
        ("update", &*format!("UPDATE OF {column}")),
    ] {
        db.execute_unprepared(&format!(
            "CREATE TRIGGER {name}_{when} BEFORE {on} ON {table} FOR EACH ROW \
             WHEN NOT ({ok}) \
             BEGIN SELECT RAISE(ABORT, 'CHECK constraint failed: {table}.{column}'); END"
        ))
        .await?;
    }
    Ok(())
}

/// Drops the triggers [`add_sqlite_check`] made.
pub(crate) async fn drop_sqlite_check(
    db: &impl sea_orm_migration::sea_orm::ConnectionTrait,
    name: &str,
) -> Result<(), DbErr> {
    for when in ["insert", "update"] {
        db.execute_unprepared(&format!("DROP TRIGGER IF EXISTS {name}_{when}"))
            .await?;
    }
    Ok(())
}

#[async_trait::async_trait]
impl MigratorTrait for Migrator {
    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261127_000001_foundation::Migration),
            Box::new(m20261127_000002_question_bank::Migration),
            Box::new(m20261127_000003_procedure::Migration),
            Box::new(m20261127_000004_papers::Migration),
            Box::new(m20261127_000005_paper_deal_state::Migration),
            Box::new(m20261201_000006_devices_and_uploads::Migration),
            Box::new(m20261207_000007_sitting::Migration),
            Box::new(m20261207_000008_proctoring::Migration),
            Box::new(m20261207_000009_state_checks::Migration),
            Box::new(m20261207_000010_results::Migration),
            Box::new(m20261207_000011_notices_and_history::Migration),
            Box::new(m20261207_000012_date_columns::Migration),
        ]
    }
}
