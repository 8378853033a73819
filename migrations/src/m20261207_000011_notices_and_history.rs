//! After publication: result notices (成绩通知单) with their verification codes, each result
//! recorded on the person (by resident ID) for the next registration's eligibility check and
//! the certificate application that keeps a pass valid, and score reviews (成绩复核).

// See the foundation migration: the async_trait signature needs the elided lifetime.
#![allow(elided_lifetimes_in_paths)]

use sea_orm_migration::{prelude::*, schema::*};

use crate::fk;

#[derive(DeriveMigrationName)]
pub struct Migration;

const NOTICE_STATES: [&str; 3] = ["valid", "revoked", "superseded"];
const OUTCOMES: [&str; 4] = ["passed", "failed", "absent", "voided"];
const REVIEW_STATES: [&str; 2] = ["open", "answered"];
const EXAM_KINDS: [&str; 2] = ["general", "professional"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ResultNotice::Table)
                    .col(big_pk_auto(ResultNotice::Id))
                    .col(string_len_uniq(ResultNotice::Code, 16))
                    .col(big_integer(ResultNotice::TicketId))
                    .col(big_integer(ResultNotice::BatchId))
                    .col(
                        string_len(ResultNotice::Status, 16)
                            .check(Expr::col(ResultNotice::Status).is_in(NOTICE_STATES)),
                    )
                    .col(timestamp_with_time_zone(ResultNotice::IssuedAt))
                    .foreign_key(&mut fk(
                        "fk_result_notice_ticket",
                        (ResultNotice::Table, ResultNotice::TicketId),
                        (Ticket::Table, Ticket::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_result_notice_ticket")
                    .table(ResultNotice::Table)
                    .col(ResultNotice::TicketId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(PersonResult::Table)
                    .col(big_pk_auto(PersonResult::Id))
                    .col(string_len(PersonResult::ResidentId, 18))
                    .col(big_integer_uniq(PersonResult::TicketId))
                    .col(big_integer(PersonResult::BatchId))
                    .col(
                        string_len(PersonResult::ExamKind, 16)
                            .check(Expr::col(PersonResult::ExamKind).is_in(EXAM_KINDS)),
                    )
                    .col(string_len_null(PersonResult::Field, 32))
                    .col(
                        string_len(PersonResult::Outcome, 16)
                            .check(Expr::col(PersonResult::Outcome).is_in(OUTCOMES)),
                    )
                    .col(timestamp_with_time_zone(PersonResult::ExamDate))
                    .col(timestamp_with_time_zone(PersonResult::ValidUntil))
                    .col(timestamp_with_time_zone_null(
                        PersonResult::CertificateAppliedAt,
                    ))
                    .foreign_key(&mut fk(
                        "fk_person_result_ticket",
                        (PersonResult::Table, PersonResult::TicketId),
                        (Ticket::Table, Ticket::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_person_result_resident")
                    .table(PersonResult::Table)
                    .col(PersonResult::ResidentId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ScoreReview::Table)
                    .col(big_pk_auto(ScoreReview::Id))
                    .col(big_integer(ScoreReview::TicketId))
                    .col(big_integer(ScoreReview::BatchId))
                    .col(string_len(ScoreReview::Request, 1000))
                    .col(timestamp_with_time_zone(ScoreReview::RequestedAt))
                    .col(
                        string_len(ScoreReview::Status, 16)
                            .check(Expr::col(ScoreReview::Status).is_in(REVIEW_STATES)),
                    )
                    .col(string_len_null(ScoreReview::Answer, 1000))
                    .col(string_len_null(ScoreReview::AnsweredBy, 64))
                    .col(timestamp_with_time_zone_null(ScoreReview::AnsweredAt))
                    .col(integer_null(ScoreReview::TotalBefore))
                    .col(integer_null(ScoreReview::TotalAfter))
                    .foreign_key(&mut fk(
                        "fk_score_review_ticket",
                        (ScoreReview::Table, ScoreReview::TicketId),
                        (Ticket::Table, Ticket::Id),
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_score_review_batch")
                    .table(ScoreReview::Table)
                    .col(ScoreReview::BatchId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ScoreReview::Table.into_iden(),
            PersonResult::Table.into_iden(),
            ResultNotice::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Ticket {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ResultNotice {
    Table,
    Id,
    Code,
    TicketId,
    BatchId,
    Status,
    IssuedAt,
}

#[derive(DeriveIden)]
enum PersonResult {
    Table,
    Id,
    ResidentId,
    TicketId,
    BatchId,
    ExamKind,
    Field,
    Outcome,
    ExamDate,
    ValidUntil,
    CertificateAppliedAt,
}

#[derive(DeriveIden)]
enum ScoreReview {
    Table,
    Id,
    TicketId,
    BatchId,
    Request,
    RequestedAt,
    Status,
    Answer,
    AnsweredBy,
    AnsweredAt,
    TotalBefore,
    TotalAfter,
}
