//! Known devices: browsers that have signed in to an account successfully before. Sign-in
//! throttling (OWASP's device cookies) lets such a browser through failures caused elsewhere,
//! so a stranger who keeps failing on an account slows the stranger, not the owner.
//!
//! And the defaults an author gave with a bank upload (exam kind, field, difficulty, legal
//! basis for GIFT and Aiken files, which carry none), kept with the upload so the confirmed
//! import reads the file exactly as the preview did.

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
                    .table(KnownDevice::Table)
                    // SHA-256 of the cookie's random token, hex: the token is never stored.
                    .col(string_len(KnownDevice::TokenHash, 64).primary_key())
                    .col(integer(KnownDevice::AccountId))
                    .col(timestamp_with_time_zone(KnownDevice::CreatedAt))
                    .col(timestamp_with_time_zone(KnownDevice::LastUsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_known_device_account")
                            .from(KnownDevice::Table, KnownDevice::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_known_device_account")
                    .table(KnownDevice::Table)
                    .col(KnownDevice::AccountId)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(ImportUpload::Table)
                    .add_column(text_null(ImportUpload::Defaults))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(ImportUpload::Table)
                    .drop_column(ImportUpload::Defaults)
                    .to_owned(),
            )
            .await?;
        manager
            .drop_table(Table::drop().table(KnownDevice::Table).to_owned())
            .await
    }
}

#[derive(DeriveIden)]
enum KnownDevice {
    Table,
    TokenHash,
    AccountId,
    CreatedAt,
    LastUsedAt,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ImportUpload {
    Table,
    Defaults,
}
