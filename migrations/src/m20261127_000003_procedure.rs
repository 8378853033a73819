//! The procedure: agencies' exam plans with their candidates and history, the committee's
//! review meetings with attendance, agenda and votes, and exam batches with sessions, rooms
//! and admission tickets.

// See the foundation migration: the async_trait signature needs the elided lifetime.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::{prelude::*, schema::*};

use crate::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

async fn index(
    manager: &SchemaManager<'_>,
    name: &str,
    table: impl IntoIden,
    cols: Vec<Alias>,
    unique: bool,
) -> Result<(), DbErr> {
    let mut idx = Index::create();
    idx.name(name).table(table);
    for c in cols {
        idx.col(c);
    }
    if unique {
        idx.unique();
    }
    manager.create_index(idx.to_owned()).await
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Plan::Table)
                    .col(big_pk_auto(Plan::Id))
                    .col(integer(Plan::AgencyId))
                    .col(string_len(Plan::ExamKind, 16))
                    .col(string_len_null(Plan::Field, 32))
                    .col(string_len(Plan::PeriodFrom, 10))
                    .col(string_len(Plan::PeriodTo, 10))
                    .col(string_len(Plan::Status, 16))
                    .col(integer(Plan::Version))
                    .col(text(Plan::Note))
                    .col(integer(Plan::CreatedBy))
                    .col(timestamp_with_time_zone(Plan::CreatedAt))
                    .col(timestamp_with_time_zone(Plan::UpdatedAt))
                    .foreign_key(&mut fk(
                        "fk_plan_agency",
                        (Plan::Table, Plan::AgencyId),
                        (Alias::new("agency"), Alias::new("id")),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_plan_agency",
            Plan::Table,
            vec![Alias::new("agency_id")],
            false,
        )
        .await?;
        index(
            manager,
            "idx_plan_status",
            Plan::Table,
            vec![Alias::new("status")],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PlanCandidate::Table)
                    .col(big_pk_auto(PlanCandidate::Id))
                    .col(big_integer(PlanCandidate::PlanId))
                    .col(string_len(PlanCandidate::Name, 32))
                    .col(string_len(PlanCandidate::ResidentId, 18))
                    .col(string_len(PlanCandidate::Sex, 8))
                    .col(string_len(PlanCandidate::Post, 32))
                    .col(string_len(PlanCandidate::Field, 32))
                    .col(string_len(PlanCandidate::Mobile, 16))
                    .col(timestamp_with_time_zone(PlanCandidate::CreatedAt))
                    .foreign_key(&mut fk(
                        "fk_candidate_plan",
                        (PlanCandidate::Table, PlanCandidate::PlanId),
                        (Plan::Table, Plan::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_candidate_plan_rid",
            PlanCandidate::Table,
            vec![Alias::new("plan_id"), Alias::new("resident_id")],
            true,
        )
        .await?;
        index(
            manager,
            "idx_candidate_rid",
            PlanCandidate::Table,
            vec![Alias::new("resident_id")],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(PlanEvent::Table)
                    .col(big_pk_auto(PlanEvent::Id))
                    .col(big_integer(PlanEvent::PlanId))
                    .col(integer(PlanEvent::Version))
                    .col(string_len(PlanEvent::Status, 16))
                    .col(text(PlanEvent::Comment))
                    .col(text(PlanEvent::Snapshot))
                    .col(string_len(PlanEvent::ActorName, 64))
                    .col(timestamp_with_time_zone(PlanEvent::At))
                    .foreign_key(&mut fk(
                        "fk_event_plan",
                        (PlanEvent::Table, PlanEvent::PlanId),
                        (Plan::Table, Plan::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_event_plan",
            PlanEvent::Table,
            vec![Alias::new("plan_id")],
            false,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Meeting::Table)
                    .col(big_pk_auto(Meeting::Id))
                    .col(string_len(Meeting::Title, 100))
                    .col(string_len(Meeting::HeldOn, 10))
                    .col(string_len(Meeting::Status, 16))
                    .col(integer(Meeting::QuorumNum))
                    .col(integer(Meeting::QuorumDen))
                    .col(integer(Meeting::CommitteeSize))
                    .col(text(Meeting::Minutes))
                    .col(timestamp_with_time_zone(Meeting::CreatedAt))
                    .col(timestamp_with_time_zone_null(Meeting::ClosedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MeetingAttendee::Table)
                    .col(big_integer(MeetingAttendee::MeetingId))
                    .col(integer(MeetingAttendee::AccountId))
                    .primary_key(
                        Index::create()
                            .col(MeetingAttendee::MeetingId)
                            .col(MeetingAttendee::AccountId),
                    )
                    .foreign_key(&mut fk(
                        "fk_attendee_meeting",
                        (MeetingAttendee::Table, MeetingAttendee::MeetingId),
                        (Meeting::Table, Meeting::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MeetingItem::Table)
                    .col(big_pk_auto(MeetingItem::Id))
                    .col(big_integer(MeetingItem::MeetingId))
                    .col(big_integer(MeetingItem::PlanId))
                    .col(integer(MeetingItem::PlanVersion))
                    .col(string_len_null(MeetingItem::Resolution, 16))
                    .col(text(MeetingItem::Tally))
                    .foreign_key(&mut fk(
                        "fk_item_meeting",
                        (MeetingItem::Table, MeetingItem::MeetingId),
                        (Meeting::Table, Meeting::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_item_plan",
                        (MeetingItem::Table, MeetingItem::PlanId),
                        (Plan::Table, Plan::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_item_meeting_plan",
            MeetingItem::Table,
            vec![Alias::new("meeting_id"), Alias::new("plan_id")],
            true,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(Vote::Table)
                    .col(big_pk_auto(Vote::Id))
                    .col(big_integer(Vote::ItemId))
                    .col(integer(Vote::AccountId))
                    .col(string_len(Vote::Choice, 16))
                    .col(text(Vote::Comment))
                    .col(timestamp_with_time_zone(Vote::At))
                    .foreign_key(&mut fk(
                        "fk_vote_item",
                        (Vote::Table, Vote::ItemId),
                        (MeetingItem::Table, MeetingItem::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_vote_item_account",
            Vote::Table,
            vec![Alias::new("item_id"), Alias::new("account_id")],
            true,
        )
        .await?;

        manager
            .create_table(
                Table::create()
                    .table(Batch::Table)
                    .col(big_pk_auto(Batch::Id))
                    .col(string_len(Batch::Name, 100))
                    .col(string_len(Batch::ExamKind, 16))
                    .col(string_len_null(Batch::Field, 32))
                    .col(string_len(Batch::Status, 16))
                    .col(integer(Batch::Year))
                    .col(integer(Batch::Seq))
                    .col(string_len(Batch::SecretSeed, 64))
                    .col(timestamp_with_time_zone(Batch::CreatedAt))
                    .col(timestamp_with_time_zone_null(Batch::ScheduledAt))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_batch_year_seq",
            Batch::Table,
            vec![Alias::new("year"), Alias::new("seq")],
            true,
        )
        .await?;
        manager
            .create_table(
                Table::create()
                    .table(BatchPlan::Table)
                    .col(big_integer(BatchPlan::BatchId))
                    .col(big_integer(BatchPlan::PlanId))
                    .primary_key(
                        Index::create()
                            .col(BatchPlan::BatchId)
                            .col(BatchPlan::PlanId),
                    )
                    .foreign_key(&mut fk(
                        "fk_batchplan_batch",
                        (BatchPlan::Table, BatchPlan::BatchId),
                        (Batch::Table, Batch::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_batchplan_plan",
                        (BatchPlan::Table, BatchPlan::PlanId),
                        (Plan::Table, Plan::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ExamSession::Table)
                    .col(big_pk_auto(ExamSession::Id))
                    .col(big_integer(ExamSession::BatchId))
                    .col(integer(ExamSession::Seq))
                    .col(timestamp_with_time_zone(ExamSession::StartsAt))
                    .col(integer(ExamSession::DurationMinutes))
                    .col(integer(ExamSession::LateEntryMinutes))
                    .foreign_key(&mut fk(
                        "fk_session_batch",
                        (ExamSession::Table, ExamSession::BatchId),
                        (Batch::Table, Batch::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Room::Table)
                    .col(big_pk_auto(Room::Id))
                    .col(big_integer(Room::BatchId))
                    .col(integer(Room::Seq))
                    .col(string_len(Room::Venue, 100))
                    .col(string_len(Room::Name, 64))
                    .col(string_len(Room::Address, 200))
                    .col(integer(Room::Capacity))
                    .foreign_key(&mut fk(
                        "fk_room_batch",
                        (Room::Table, Room::BatchId),
                        (Batch::Table, Batch::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Ticket::Table)
                    .col(big_pk_auto(Ticket::Id))
                    .col(big_integer(Ticket::BatchId))
                    .col(big_integer(Ticket::SessionId))
                    .col(big_integer(Ticket::RoomId))
                    .col(integer(Ticket::Seat))
                    .col(big_integer(Ticket::CandidateId))
                    .col(string_len_uniq(Ticket::TicketNo, 32))
                    .col(string_len_null(Ticket::AccessCodeHash, 255))
                    .col(timestamp_with_time_zone(Ticket::CreatedAt))
                    .col(timestamp_with_time_zone_null(Ticket::PrintedAt))
                    .foreign_key(&mut fk(
                        "fk_ticket_batch",
                        (Ticket::Table, Ticket::BatchId),
                        (Batch::Table, Batch::Id),
                    ))
                    .foreign_key(&mut fk(
                        "fk_ticket_candidate",
                        (Ticket::Table, Ticket::CandidateId),
                        (PlanCandidate::Table, PlanCandidate::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        index(
            manager,
            "idx_ticket_batch",
            Ticket::Table,
            vec![Alias::new("batch_id")],
            false,
        )
        .await?;
        index(
            manager,
            "idx_ticket_room_seat",
            Ticket::Table,
            vec![
                Alias::new("session_id"),
                Alias::new("room_id"),
                Alias::new("seat"),
            ],
            true,
        )
        .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Ticket::Table.into_iden(),
            Room::Table.into_iden(),
            ExamSession::Table.into_iden(),
            BatchPlan::Table.into_iden(),
            Batch::Table.into_iden(),
            Vote::Table.into_iden(),
            MeetingItem::Table.into_iden(),
            MeetingAttendee::Table.into_iden(),
            Meeting::Table.into_iden(),
            PlanEvent::Table.into_iden(),
            PlanCandidate::Table.into_iden(),
            Plan::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Plan {
    Table,
    Id,
    AgencyId,
    ExamKind,
    Field,
    PeriodFrom,
    PeriodTo,
    Status,
    Version,
    Note,
    CreatedBy,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum PlanCandidate {
    Table,
    Id,
    PlanId,
    Name,
    ResidentId,
    Sex,
    Post,
    Field,
    Mobile,
    CreatedAt,
}

#[derive(DeriveIden)]
enum PlanEvent {
    Table,
    Id,
    PlanId,
    Version,
    Status,
    Comment,
    Snapshot,
    ActorName,
    At,
}

#[derive(DeriveIden)]
enum Meeting {
    Table,
    Id,
    Title,
    HeldOn,
    Status,
    QuorumNum,
    QuorumDen,
    CommitteeSize,
    Minutes,
    CreatedAt,
    ClosedAt,
}

#[derive(DeriveIden)]
enum MeetingAttendee {
    Table,
    MeetingId,
    AccountId,
}

#[derive(DeriveIden)]
enum MeetingItem {
    Table,
    Id,
    MeetingId,
    PlanId,
    PlanVersion,
    Resolution,
    Tally,
}

#[derive(DeriveIden)]
enum Vote {
    Table,
    Id,
    ItemId,
    AccountId,
    Choice,
    Comment,
    At,
}

#[derive(DeriveIden)]
enum Batch {
    Table,
    Id,
    Name,
    ExamKind,
    Field,
    Status,
    Year,
    Seq,
    SecretSeed,
    CreatedAt,
    ScheduledAt,
}

#[derive(DeriveIden)]
enum BatchPlan {
    Table,
    BatchId,
    PlanId,
}

#[derive(DeriveIden)]
enum ExamSession {
    Table,
    Id,
    BatchId,
    Seq,
    StartsAt,
    DurationMinutes,
    LateEntryMinutes,
}

#[derive(DeriveIden)]
enum Room {
    Table,
    Id,
    BatchId,
    Seq,
    Venue,
    Name,
    Address,
    Capacity,
}

#[derive(DeriveIden)]
#[expect(
    clippy::enum_variant_names,
    reason = "each variant names its column; the column is question_type/ticket_no"
)]
enum Ticket {
    Table,
    Id,
    BatchId,
    SessionId,
    RoomId,
    Seat,
    CandidateId,
    TicketNo,
    AccessCodeHash,
    CreatedAt,
    PrintedAt,
}
