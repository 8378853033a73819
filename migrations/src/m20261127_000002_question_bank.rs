//! The question bank: questions with their current attributes (for fast filtering), their
//! immutable revisions, and uploaded import files awaiting the author's confirmation.

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
                    .table(Question::Table)
                    .col(big_pk_auto(Question::Id))
                    .col(string_len(Question::Status, 16))
                    .col(integer(Question::Revision))
                    .col(string_len(Question::QuestionType, 16))
                    .col(string_len(Question::ExamKind, 16))
                    .col(string_len_null(Question::Field, 32))
                    .col(small_integer(Question::Difficulty))
                    .col(text(Question::Stem))
                    .col(text(Question::NormalizedStem))
                    .col(text(Question::LegalBasis))
                    .col(text(Question::Laws))
                    .col(text(Question::Tags))
                    .col(timestamp_with_time_zone(Question::CreatedAt))
                    .col(timestamp_with_time_zone(Question::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        for (name, cols) in [
            (
                "idx_question_filter",
                vec![
                    Question::Status,
                    Question::QuestionType,
                    Question::ExamKind,
                    Question::Difficulty,
                ],
            ),
            ("idx_question_field", vec![Question::Field]),
            (
                "idx_question_normalized_stem",
                vec![Question::NormalizedStem],
            ),
        ] {
            let mut idx = Index::create();
            idx.name(name).table(Question::Table);
            for c in cols {
                idx.col(c);
            }
            manager.create_index(idx.to_owned()).await?;
        }

        manager
            .create_table(
                Table::create()
                    .table(QuestionRevision::Table)
                    .col(big_pk_auto(QuestionRevision::Id))
                    .col(big_integer(QuestionRevision::QuestionId))
                    .col(integer(QuestionRevision::Number))
                    .col(text(QuestionRevision::Content))
                    .col(integer_null(QuestionRevision::AuthorId))
                    .col(string_len(QuestionRevision::AuthorName, 64))
                    .col(timestamp_with_time_zone(QuestionRevision::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_revision_question")
                            .from(QuestionRevision::Table, QuestionRevision::QuestionId)
                            .to(Question::Table, Question::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_revision_question_number")
                    .table(QuestionRevision::Table)
                    .col(QuestionRevision::QuestionId)
                    .col(QuestionRevision::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(ImportUpload::Table)
                    .col(big_pk_auto(ImportUpload::Id))
                    .col(integer(ImportUpload::AccountId))
                    .col(string_len(ImportUpload::FileName, 255))
                    .col(blob(ImportUpload::Content))
                    .col(timestamp_with_time_zone(ImportUpload::CreatedAt))
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ImportUpload::Table.into_iden(),
            QuestionRevision::Table.into_iden(),
            Question::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
#[expect(
    clippy::enum_variant_names,
    reason = "each variant names its column; the column is question_type/ticket_no"
)]
enum Question {
    Table,
    Id,
    Status,
    Revision,
    QuestionType,
    ExamKind,
    Field,
    Difficulty,
    Stem,
    NormalizedStem,
    LegalBasis,
    Laws,
    Tags,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum QuestionRevision {
    Table,
    Id,
    QuestionId,
    Number,
    Content,
    AuthorId,
    AuthorName,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ImportUpload {
    Table,
    Id,
    AccountId,
    FileName,
    Content,
    CreatedAt,
}
