//! Papers: the blueprint attached to a batch, the bank snapshot and pool fingerprint frozen
//! when the batch is scheduled, every candidate's stored paper with its place in the batch's
//! dealing order, and the link from a candidate's sign-in account to the candidate.

// See the foundation migration: the async_trait signature needs the elided lifetime.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite adds one column per ALTER TABLE.
        for column in [
            text_null(Batch::Blueprint),
            text_null(Batch::BankSnapshot),
            string_len_null(Batch::PoolFingerprint, 64),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Batch::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(Account::Table)
                    .add_column(big_integer_null(Account::CandidateId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_account_candidate")
                    .table(Account::Table)
                    .col(Account::CandidateId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Paper::Table)
                    .col(big_pk_auto(Paper::Id))
                    .col(big_integer(Paper::BatchId))
                    .col(big_integer_uniq(Paper::TicketId))
                    .col(integer(Paper::DealSeq))
                    .col(text(Paper::Body))
                    .col(timestamp_with_time_zone(Paper::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_paper_batch")
                            .from(Paper::Table, Paper::BatchId)
                            .to(Batch::Table, Batch::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_paper_ticket")
                            .from(Paper::Table, Paper::TicketId)
                            .to(Ticket::Table, Ticket::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_paper_batch_deal")
                    .table(Paper::Table)
                    .col(Paper::BatchId)
                    .col(Paper::DealSeq)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Paper::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("idx_account_candidate")
                    .table(Account::Table)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Account::Table)
                    .drop_column(Account::CandidateId)
                    .to_owned(),
            )
            .await?;
        for column in [
            Batch::Blueprint,
            Batch::BankSnapshot,
            Batch::PoolFingerprint,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Batch::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Batch {
    Table,
    Id,
    /// The attached blueprint as `BlueprintParts` JSON; `NULL` = the exam kind's default.
    Blueprint,
    /// The question revisions papers were drawn from, frozen at scheduling (JSON list).
    BankSnapshot,
    /// The prepared pool's fingerprint at scheduling.
    PoolFingerprint,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    /// For a candidate's sign-in account: the plan candidate it belongs to.
    CandidateId,
}

#[derive(DeriveIden)]
enum Ticket {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Paper {
    Table,
    Id,
    BatchId,
    TicketId,
    /// Position in the batch's dealing order (ticket-number order at assembly): regenerating
    /// a paper replays the batch in this order.
    DealSeq,
    /// The `question_bank::Paper` as JSON: revisions and option orders, never a key.
    Body,
    CreatedAt,
}
