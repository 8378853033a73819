//! The one conversion from database errors to the app's error, and the one way to open a write
//! transaction.
//!
//! A unique-constraint violation becomes [`AppError::Conflict`] naming the field and what to
//! do; every other database error is logged once, with where it happened, and answered as
//! [`AppError::Internal`]. Services write `?` on sea-orm results and never build their own
//! mapping.

use sea_orm::{
    ConnectionTrait, DatabaseConnection, DatabaseTransaction, DbBackend, DbErr, SqlErr,
    SqliteTransactionMode, Statement, TransactionOptions, TransactionTrait,
};

use crate::error::{AppError, Text};

/// One unique index of the schema: how both engines name it, and what the user is told.
struct UniqueRule {
    /// SQLite names the columns: `UNIQUE constraint failed: account.username`.
    sqlite: &'static str,
    /// PostgreSQL names the constraint: `… violates unique constraint "account_username_key"`.
    postgres: &'static str,
    field: &'static str,
    message: fn() -> Text,
}

/// Every unique index of the schema. A violation of one not listed here is still a conflict,
/// on the field `record`, so a user never sees a 500 for it.
const UNIQUE_RULES: &[UniqueRule] = &[
    UniqueRule {
        sqlite: "agency.name",
        postgres: "agency_name_key",
        field: "name",
        message: || crate::msg!(data.agency_with_this_name_exists_already),
    },
    UniqueRule {
        sqlite: "agency.code",
        postgres: "agency_code_key",
        field: "code",
        message: || crate::msg!(data.this_agency_code_is_in_use),
    },
    UniqueRule {
        sqlite: "account.username",
        postgres: "account_username_key",
        field: "username",
        message: || crate::msg!(data.this_user_name_is_taken_choose),
    },
    UniqueRule {
        sqlite: "account.candidate_id",
        postgres: "idx_account_candidate",
        field: "candidate",
        message: || crate::msg!(data.this_candidate_has_sign_in_account),
    },
    UniqueRule {
        sqlite: "question_revision.question_id, question_revision.number",
        postgres: "idx_revision_question_number",
        field: "revision",
        message: || crate::msg!(data.someone_revised_this_question_at_same),
    },
    UniqueRule {
        sqlite: "plan_candidate.plan_id, plan_candidate.resident_id",
        postgres: "idx_candidate_plan_rid",
        field: "resident_id",
        message: || crate::msg!(data.this_person_is_registered_on_this),
    },
    UniqueRule {
        sqlite: "meeting_item.meeting_id, meeting_item.plan_id",
        postgres: "idx_item_meeting_plan",
        field: "plan",
        message: || crate::msg!(data.this_plan_is_on_meeting_s),
    },
    UniqueRule {
        sqlite: "vote.item_id, vote.account_id",
        postgres: "idx_vote_item_account",
        field: "choice",
        message: || crate::msg!(data.you_have_voted_on_this_plan),
    },
    UniqueRule {
        sqlite: "batch.year, batch.seq",
        postgres: "idx_batch_year_seq",
        field: "batch",
        message: || crate::msg!(data.batch_created_at_same_moment_took),
    },
    UniqueRule {
        sqlite: "ticket.ticket_no",
        postgres: "ticket_ticket_no_key",
        field: "ticket_no",
        message: || crate::msg!(data.ticket_number_is_taken_already_schedule),
    },
    UniqueRule {
        sqlite: "ticket.session_id, ticket.room_id, ticket.seat",
        postgres: "idx_ticket_room_seat",
        field: "seat",
        message: || crate::msg!(data.seat_is_taken_already_schedule_batch),
    },
    UniqueRule {
        sqlite: "paper.ticket_id",
        postgres: "paper_ticket_id_key",
        field: "paper",
        message: || crate::msg!(data.this_candidate_s_paper_was_made),
    },
    UniqueRule {
        sqlite: "paper.batch_id, paper.deal_seq",
        postgres: "idx_paper_batch_deal",
        field: "paper",
        message: || crate::msg!(data.these_papers_were_made_by_another),
    },
];

/// The conflict a unique violation with this database `message` stands for.
fn unique_conflict(message: &str) -> AppError {
    let rule = UNIQUE_RULES.iter().find(|r| {
        message.contains(&format!("\"{}\"", r.postgres))
            || message
                .split_once("UNIQUE constraint failed: ")
                .is_some_and(|(_, cols)| cols.trim() == r.sqlite)
    });
    match rule {
        Some(r) => AppError::conflict(r.field, (r.message)()),
        None => {
            tracing::warn!("unique violation not in the rule table: {message}");
            AppError::conflict(
                "record",
                crate::msg!(data.this_record_exists_already_perhaps_submitted),
            )
        }
    }
}

impl From<DbErr> for AppError {
    /// Unique violations become named conflicts; everything else is logged here, once, with
    /// the place of the `?` that converted it, and becomes `Internal`.
    #[track_caller]
    fn from(e: DbErr) -> Self {
        if let Some(SqlErr::UniqueConstraintViolation(message)) = e.sql_err() {
            return unique_conflict(&message);
        }
        let at = std::panic::Location::caller();
        tracing::error!(at = %at, "database: {e}");
        AppError::Internal
    }
}

/// A stored value that must parse and does not: logged once, answered as `Internal` — never
/// replaced by a default.
#[track_caller]
pub fn corrupt(what: &str, value: &str) -> AppError {
    let at = std::panic::Location::caller();
    tracing::error!(at = %at, "stored {what} does not parse: {value:?}");
    AppError::Internal
}

/// Opens a transaction that will write. On SQLite it starts `IMMEDIATE`, taking the write lock
/// at `BEGIN` so the busy timeout applies (a deferred transaction that reads first and then
/// writes fails with `SQLITE_BUSY_SNAPSHOT` when another writer committed in between); on
/// PostgreSQL it is an ordinary transaction whose decisions take row locks
/// (`SELECT … FOR UPDATE`).
pub async fn begin_write(db: &DatabaseConnection) -> Result<DatabaseTransaction, AppError> {
    let txn = db
        .begin_with_options(TransactionOptions {
            sqlite_transaction_mode: Some(SqliteTransactionMode::Immediate),
            ..Default::default()
        })
        .await;
    txn.map_err(AppError::from)
}

/// Serialises every transaction that calls this with the same `key` until it ends: a
/// PostgreSQL transaction-scoped advisory lock. On SQLite the `IMMEDIATE` write transaction
/// ([`begin_write`]) already holds the database's one write lock, so nothing more is needed.
/// For decisions that rest on a read of rows that do not exist yet (the next batch number,
/// whether a person is on another open plan), where there is no row to lock.
pub async fn serialize_on(txn: &impl ConnectionTrait, key: &str) -> Result<(), AppError> {
    if txn.get_database_backend() != DbBackend::Postgres {
        return Ok(());
    }
    txn.execute_raw(Statement::from_sql_and_values(
        DbBackend::Postgres,
        "SELECT pg_advisory_xact_lock($1)",
        [lock_id(key).into()],
    ))
    .await?;
    Ok(())
}

/// A stable 64-bit advisory-lock id for `key`.
pub fn lock_id(key: &str) -> i64 {
    use sha2::{Digest, Sha256};
    let digest = Sha256::digest(key.as_bytes());
    let mut bytes = [0u8; 8];
    bytes.copy_from_slice(&digest[..8]);
    i64::from_be_bytes(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_sqlite_unique_violation_names_its_field() {
        let e = unique_conflict("UNIQUE constraint failed: account.username");
        assert_eq!(e.field(), Some("username"));
        assert_eq!(e.status(), 409);
    }

    #[test]
    fn a_postgres_unique_violation_names_its_field() {
        let e = unique_conflict(
            "duplicate key value violates unique constraint \"idx_batch_year_seq\"",
        );
        assert_eq!(e.field(), Some("batch"));
    }

    #[test]
    fn a_column_list_must_match_whole_not_by_prefix() {
        // `plan_candidate.plan_id, plan_candidate.resident_id` is not `ticket.ticket_no`.
        let e = unique_conflict(
            "UNIQUE constraint failed: plan_candidate.plan_id, plan_candidate.resident_id",
        );
        assert_eq!(e.field(), Some("resident_id"));
        let unknown = unique_conflict("UNIQUE constraint failed: x.y");
        assert_eq!(unknown.field(), Some("record"));
    }
}
