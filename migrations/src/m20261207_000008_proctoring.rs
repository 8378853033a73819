//! Proctoring: which proctors watch which room of which session, the candidates' check-in
//! (签到) at the room door, misconduct records (evidence for the office, with the proctor's
//! description), and the room record (考场记录) the proctors complete and lock at the end.
//!
//! Also: whether a session lets a candidate start without having been checked in.

// See the foundation migration: the async_trait signature needs the elided lifetime.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::{prelude::*, schema::*};

use crate::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// Misconduct categories; the CHECK constraint keeps anything else out.
const MISCONDUCT_CATEGORIES: [&str; 6] = [
    "impersonation",
    "unauthorized_material",
    "communication",
    "leaving_seat",
    "disruption",
    "other",
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ExamSession::Table)
                    .add_column(boolean(ExamSession::RequireCheckIn).default(false))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ProctorAssignment::Table)
                    .col(big_integer(ProctorAssignment::SessionId))
                    .col(big_integer(ProctorAssignment::RoomId))
                    .col(integer(ProctorAssignment::AccountId))
                    .col(timestamp_with_time_zone(ProctorAssignment::AssignedAt))
                    .primary_key(
                        Index::create()
                            .col(ProctorAssignment::SessionId)
                            .col(ProctorAssignment::RoomId)
                            .col(ProctorAssignment::AccountId),
                    )
                    .foreign_key(&mut fk(
                        "fk_proctor_assignment_session",
                        (ProctorAssignment::Table, ProctorAssignment::SessionId),
                        (ExamSession::Table, ExamSession::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_proctor_assignment_room",
                        (ProctorAssignment::Table, ProctorAssignment::RoomId),
                        (Room::Table, Room::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_proctor_assignment_account",
                        (ProctorAssignment::Table, ProctorAssignment::AccountId),
                        (Account::Table, Account::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        // A proctor's own rooms.
        manager
            .create_index(
                Index::create()
                    .name("idx_proctor_assignment_account")
                    .table(ProctorAssignment::Table)
                    .col(ProctorAssignment::AccountId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(CheckIn::Table)
                    .col(big_integer(CheckIn::TicketId).primary_key())
                    .col(boolean(CheckIn::Present))
                    .col(timestamp_with_time_zone(CheckIn::At))
                    .col(string_len(CheckIn::ByName, 64))
                    .foreign_key(&mut fk(
                        "fk_check_in_ticket",
                        (CheckIn::Table, CheckIn::TicketId),
                        (Ticket::Table, Ticket::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Misconduct::Table)
                    .col(big_pk_auto(Misconduct::Id))
                    .col(big_integer(Misconduct::TicketId))
                    .col(
                        string_len(Misconduct::Category, 32)
                            .check(Expr::col(Misconduct::Category).is_in(MISCONDUCT_CATEGORIES)),
                    )
                    .col(string_len(Misconduct::Description, 1000))
                    // Whether the proctor voided the attempt for it.
                    .col(boolean(Misconduct::Voided))
                    .col(timestamp_with_time_zone(Misconduct::At))
                    .col(string_len(Misconduct::ByName, 64))
                    .foreign_key(&mut fk(
                        "fk_misconduct_ticket",
                        (Misconduct::Table, Misconduct::TicketId),
                        (Ticket::Table, Ticket::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_misconduct_ticket")
                    .table(Misconduct::Table)
                    .col(Misconduct::TicketId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(RoomRecord::Table)
                    .col(big_integer(RoomRecord::SessionId))
                    .col(big_integer(RoomRecord::RoomId))
                    .col(integer(RoomRecord::Present))
                    .col(integer(RoomRecord::Absent))
                    .col(text(RoomRecord::Incidents))
                    // The proctors' names as they signed, one per line.
                    .col(text(RoomRecord::Signatures))
                    .col(timestamp_with_time_zone(RoomRecord::UpdatedAt))
                    // Set once submitted: the record is locked from then on.
                    .col(timestamp_with_time_zone_null(RoomRecord::SubmittedAt))
                    .col(string_len_null(RoomRecord::SubmittedBy, 64))
                    .primary_key(
                        Index::create()
                            .col(RoomRecord::SessionId)
                            .col(RoomRecord::RoomId),
                    )
                    .foreign_key(&mut fk(
                        "fk_room_record_session",
                        (RoomRecord::Table, RoomRecord::SessionId),
                        (ExamSession::Table, ExamSession::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_room_record_room",
                        (RoomRecord::Table, RoomRecord::RoomId),
                        (Room::Table, Room::Id),
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            RoomRecord::Table.into_iden(),
            Misconduct::Table.into_iden(),
            CheckIn::Table.into_iden(),
            ProctorAssignment::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(ExamSession::Table)
                    .drop_column(ExamSession::RequireCheckIn)
                    .to_owned(),
            )
            .await
    }
}

#[derive(DeriveIden)]
enum ExamSession {
    Table,
    Id,
    RequireCheckIn,
}

#[derive(DeriveIden)]
enum Room {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Ticket {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ProctorAssignment {
    Table,
    SessionId,
    RoomId,
    AccountId,
    AssignedAt,
}

#[derive(DeriveIden)]
enum CheckIn {
    Table,
    TicketId,
    Present,
    At,
    ByName,
}

#[derive(DeriveIden)]
enum Misconduct {
    Table,
    Id,
    TicketId,
    Category,
    Description,
    Voided,
    At,
    ByName,
}

#[derive(DeriveIden)]
enum RoomRecord {
    Table,
    SessionId,
    RoomId,
    Present,
    Absent,
    Incidents,
    Signatures,
    UpdatedAt,
    SubmittedAt,
    SubmittedBy,
}
