//! Results: the office's decisions about questions of a batch (void with points awarded, void
//! out of the total, corrected key), each ticket's scored result, the batch's latest scoring
//! with its item statistics, the review of attempts with evidence (upheld or lifted), and the
//! publication record carrying the audit chain's head at that moment.

// See the foundation migration: the async_trait signature needs the elided lifetime.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::{prelude::*, schema::*};

use crate::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

const DECISIONS: [&str; 3] = ["void_award", "void_remove", "rekey"];
const OUTCOMES: [&str; 4] = ["passed", "failed", "absent", "voided"];
const REVIEWS: [&str; 2] = ["upheld", "lifted"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ItemDecision::Table)
                    .col(big_pk_auto(ItemDecision::Id))
                    .col(big_integer(ItemDecision::BatchId))
                    .col(big_integer(ItemDecision::QuestionId))
                    .col(big_integer(ItemDecision::RevisionId))
                    .col(
                        string_len(ItemDecision::Decision, 16)
                            .check(Expr::col(ItemDecision::Decision).is_in(DECISIONS)),
                    )
                    .col(string_len_null(ItemDecision::AnswerKey, 16))
                    .col(string_len(ItemDecision::Reason, 500))
                    .col(string_len(ItemDecision::ByName, 64))
                    .col(timestamp_with_time_zone(ItemDecision::At))
                    .foreign_key(&mut fk(
                        "fk_item_decision_batch",
                        (ItemDecision::Table, ItemDecision::BatchId),
                        (Batch::Table, Batch::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_item_decision_batch_revision")
                    .table(ItemDecision::Table)
                    .col(ItemDecision::BatchId)
                    .col(ItemDecision::RevisionId)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ExamResult::Table)
                    .col(big_pk_auto(ExamResult::Id))
                    .col(big_integer_uniq(ExamResult::TicketId))
                    .col(big_integer(ExamResult::BatchId))
                    .col(big_integer_null(ExamResult::AttemptId))
                    .col(
                        string_len(ExamResult::Outcome, 16)
                            .check(Expr::col(ExamResult::Outcome).is_in(OUTCOMES)),
                    )
                    .col(integer(ExamResult::Total))
                    .col(integer(ExamResult::Possible))
                    .col(integer(ExamResult::PassMark))
                    .col(text(ExamResult::Detail))
                    .col(timestamp_with_time_zone(ExamResult::ScoredAt))
                    .foreign_key(&mut fk(
                        "fk_exam_result_ticket",
                        (ExamResult::Table, ExamResult::TicketId),
                        (Ticket::Table, Ticket::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_exam_result_batch")
                    .table(ExamResult::Table)
                    .col(ExamResult::BatchId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(BatchScoring::Table)
                    .col(big_integer(BatchScoring::BatchId).primary_key())
                    .col(integer(BatchScoring::Revision))
                    .col(timestamp_with_time_zone(BatchScoring::ScoredAt))
                    .col(string_len(BatchScoring::ByName, 64))
                    .col(text(BatchScoring::Analysis))
                    .foreign_key(&mut fk(
                        "fk_batch_scoring_batch",
                        (BatchScoring::Table, BatchScoring::BatchId),
                        (Batch::Table, Batch::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AttemptReview::Table)
                    .col(big_integer(AttemptReview::AttemptId).primary_key())
                    .col(big_integer(AttemptReview::BatchId))
                    .col(
                        string_len(AttemptReview::Decision, 16)
                            .check(Expr::col(AttemptReview::Decision).is_in(REVIEWS)),
                    )
                    .col(string_len(AttemptReview::Reason, 500))
                    .col(string_len(AttemptReview::ByName, 64))
                    .col(timestamp_with_time_zone(AttemptReview::At))
                    .foreign_key(&mut fk(
                        "fk_attempt_review_attempt",
                        (AttemptReview::Table, AttemptReview::AttemptId),
                        (Attempt::Table, Attempt::Id),
                    ))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Publication::Table)
                    .col(big_integer(Publication::BatchId).primary_key())
                    .col(timestamp_with_time_zone(Publication::PublishedAt))
                    .col(string_len(Publication::ByName, 64))
                    .col(string_len(Publication::AuditHead, 64))
                    .col(integer(Publication::Sat))
                    .col(integer(Publication::Passed))
                    .foreign_key(&mut fk(
                        "fk_publication_batch",
                        (Publication::Table, Publication::BatchId),
                        (Batch::Table, Batch::Id),
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Publication::Table.into_iden(),
            AttemptReview::Table.into_iden(),
            BatchScoring::Table.into_iden(),
            ExamResult::Table.into_iden(),
            ItemDecision::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Batch {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Ticket {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Attempt {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ItemDecision {
    Table,
    Id,
    BatchId,
    QuestionId,
    RevisionId,
    Decision,
    AnswerKey,
    Reason,
    ByName,
    At,
}

#[derive(DeriveIden)]
enum ExamResult {
    Table,
    Id,
    TicketId,
    BatchId,
    AttemptId,
    Outcome,
    Total,
    Possible,
    PassMark,
    Detail,
    ScoredAt,
}

#[derive(DeriveIden)]
enum BatchScoring {
    Table,
    BatchId,
    Revision,
    ScoredAt,
    ByName,
    Analysis,
}

#[derive(DeriveIden)]
enum AttemptReview {
    Table,
    AttemptId,
    BatchId,
    Decision,
    Reason,
    ByName,
    At,
}

#[derive(DeriveIden)]
enum Publication {
    Table,
    BatchId,
    PublishedAt,
    ByName,
    AuditHead,
    Sat,
    Passed,
}
