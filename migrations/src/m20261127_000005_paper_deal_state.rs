//! Where a batch's paper dealing stands between assembly chunks: one row per batch being
//! assembled, written in the same transaction as each chunk's papers and deleted when the batch
//! is (re)scheduled and its papers dropped.

// See the foundation migration: the async_trait signature needs the elided lifetime.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(PaperDealState::Table)
                    .col(big_integer(PaperDealState::BatchId).primary_key())
                    .col(integer(PaperDealState::Dealt))
                    .col(text(PaperDealState::State))
                    .col(timestamp_with_time_zone(PaperDealState::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_paper_deal_state_batch")
                            .from(PaperDealState::Table, PaperDealState::BatchId)
                            .to(Batch::Table, Batch::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(PaperDealState::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum Batch {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum PaperDealState {
    Table,
    BatchId,
    /// Papers dealt so far: the batch's stored papers are exactly `deal_seq` 1..=`dealt`.
    Dealt,
    /// The `question_bank::BatchState` as JSON: deck orders (cell positions), the stream
    /// position, the last paper's question ids and digests; never a key or the batch secret.
    State,
    UpdatedAt,
}
