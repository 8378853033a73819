//! Sitting the exam: one attempt per admission ticket, the candidate's answers keyed by
//! (attempt, question number) for fast upserts, and the attempt's timeline of events
//! (integrity signals and what happened to it), each with the server's timestamp.
//!
//! Also: the entry window of a session (sign-in opens this many minutes before the start;
//! optionally the last six characters of the ID number are asked too), and the browser a
//! session was opened in, so a second sign-in from another browser can be told apart from a
//! reload in the same one.

// See the foundation migration: the async_trait signature needs the elided lifetime.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The attempt's states (DESIGN.md §3); the CHECK constraint keeps anything else out.
const ATTEMPT_STATES: [&str; 5] = [
    "in_progress",
    "submitted",
    "auto_submitted",
    "force_submitted",
    "voided",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            integer(ExamSession::EntryOpensMinutes).default(30),
            boolean(ExamSession::RequireIdSuffix).default(false),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ExamSession::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Session::Table)
                    .add_column(string_len_null(Session::DeviceHash, 64))
                    .to_owned(),
            )
            .await?;

        // A candidate's requests find the ticket by the signed-in candidate.
        manager
            .create_index(
                Index::create()
                    .name("idx_ticket_candidate")
                    .table(Ticket::Table)
                    .col(Ticket::CandidateId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Attempt::Table)
                    .col(big_pk_auto(Attempt::Id))
                    .col(big_integer_uniq(Attempt::TicketId))
                    .col(big_integer(Attempt::BatchId))
                    .col(big_integer(Attempt::SessionId))
                    .col(big_integer(Attempt::RoomId))
                    .col(
                        string_len(Attempt::Status, 20)
                            .check(Expr::col(Attempt::Status).is_in(ATTEMPT_STATES)),
                    )
                    .col(timestamp_with_time_zone(Attempt::StartedAt))
                    // The deadline the server enforces: the session's end plus extensions.
                    .col(timestamp_with_time_zone(Attempt::Deadline))
                    .col(integer(Attempt::ExtraSeconds).default(0))
                    .col(integer(Attempt::ItemCount))
                    .col(big_integer(Attempt::LastSeq).default(0))
                    .col(timestamp_with_time_zone(Attempt::LastSeenAt))
                    .col(string_len(Attempt::ClientIp, 64))
                    .col(timestamp_with_time_zone_null(Attempt::SubmittedAt))
                    .col(integer_null(Attempt::Answered))
                    // SHA-256 of the stored answers at submission, hex; the receipt code is
                    // its first characters.
                    .col(string_len_null(Attempt::ReceiptHash, 64))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attempt_ticket")
                            .from(Attempt::Table, Attempt::TicketId)
                            .to(Ticket::Table, Ticket::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        // The sweeper's query: in-progress attempts by deadline.
        manager
            .create_index(
                Index::create()
                    .name("idx_attempt_status_deadline")
                    .table(Attempt::Table)
                    .col(Attempt::Status)
                    .col(Attempt::Deadline)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_attempt_session_room")
                    .table(Attempt::Table)
                    .col(Attempt::SessionId)
                    .col(Attempt::RoomId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Answer::Table)
                    .col(big_integer(Answer::AttemptId))
                    .col(integer(Answer::Item))
                    // The `question_bank::Response` as JSON, by displayed option position.
                    .col(string_len(Answer::Response, 200))
                    // The browser's sequence number of the save that wrote it: an older or
                    // repeated save never overwrites a newer one.
                    .col(big_integer(Answer::Seq))
                    .col(timestamp_with_time_zone(Answer::SavedAt))
                    .primary_key(Index::create().col(Answer::AttemptId).col(Answer::Item))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_answer_attempt")
                            .from(Answer::Table, Answer::AttemptId)
                            .to(Attempt::Table, Attempt::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AttemptEvent::Table)
                    .col(big_pk_auto(AttemptEvent::Id))
                    .col(big_integer(AttemptEvent::AttemptId))
                    .col(timestamp_with_time_zone(AttemptEvent::At))
                    .col(string_len(AttemptEvent::Kind, 32))
                    .col(string_len(AttemptEvent::Detail, 500))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_attempt_event_attempt")
                            .from(AttemptEvent::Table, AttemptEvent::AttemptId)
                            .to(Attempt::Table, Attempt::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_attempt_event_attempt")
                    .table(AttemptEvent::Table)
                    .col(AttemptEvent::AttemptId)
                    .col(AttemptEvent::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AttemptEvent::Table.into_iden(),
            Answer::Table.into_iden(),
            Attempt::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .drop_index(
                Index::drop()
                    .name("idx_ticket_candidate")
                    .table(Ticket::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Session::Table)
                    .drop_column(Session::DeviceHash)
                    .to_owned(),
            )
            .await?;
        for column in [ExamSession::EntryOpensMinutes, ExamSession::RequireIdSuffix] {
            manager
                .alter_table(
                    Table::alter()
                        .table(ExamSession::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum ExamSession {
    Table,
    EntryOpensMinutes,
    RequireIdSuffix,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    DeviceHash,
}

#[derive(DeriveIden)]
enum Ticket {
    Table,
    Id,
    CandidateId,
}

#[derive(DeriveIden)]
enum Attempt {
    Table,
    Id,
    TicketId,
    BatchId,
    SessionId,
    RoomId,
    Status,
    StartedAt,
    Deadline,
    ExtraSeconds,
    ItemCount,
    LastSeq,
    LastSeenAt,
    ClientIp,
    SubmittedAt,
    Answered,
    ReceiptHash,
}

#[derive(DeriveIden)]
enum Answer {
    Table,
    AttemptId,
    Item,
    Response,
    Seq,
    SavedAt,
}

#[derive(DeriveIden)]
enum AttemptEvent {
    Table,
    Id,
    AttemptId,
    At,
    Kind,
    Detail,
}
