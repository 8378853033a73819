//! Foundation tables: agencies, accounts, sessions, login throttling, the audit chain and the
//! in-app inbox.

// sea-orm-migration declares `up`/`down` with an elided `SchemaManager` lifetime through
// async_trait; writing it out does not match the trait, so the idiom lint is silenced here.
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
                    .table(Agency::Table)
                    .col(pk_auto(Agency::Id))
                    .col(string_len_uniq(Agency::Name, 100))
                    .col(string_len_uniq(Agency::Code, 32))
                    .col(string_len_null(Agency::Field, 32))
                    .col(boolean(Agency::Active).default(true))
                    .col(timestamp_with_time_zone(Agency::CreatedAt))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Account::Table)
                    .col(pk_auto(Account::Id))
                    .col(string_len_uniq(Account::Username, 64))
                    .col(string_len(Account::DisplayName, 64))
                    .col(string_len(Account::Role, 32))
                    .col(integer_null(Account::AgencyId))
                    .col(string(Account::PasswordHash))
                    .col(boolean(Account::Active).default(true))
                    .col(boolean(Account::MustChangePassword).default(false))
                    .col(timestamp_with_time_zone(Account::CreatedAt))
                    .col(timestamp_with_time_zone(Account::UpdatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_account_agency")
                            .from(Account::Table, Account::AgencyId)
                            .to(Agency::Table, Agency::Id)
                            .on_delete(ForeignKeyAction::Restrict),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_account_agency")
                    .table(Account::Table)
                    .col(Account::AgencyId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Session::Table)
                    .col(string_len(Session::TokenHash, 64).primary_key())
                    .col(integer(Session::AccountId))
                    .col(timestamp_with_time_zone(Session::CreatedAt))
                    .col(timestamp_with_time_zone(Session::LastSeenAt))
                    .col(timestamp_with_time_zone(Session::ExpiresAt))
                    .col(string_len(Session::Ip, 64))
                    .col(string_len(Session::UserAgent, 256))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_session_account")
                            .from(Session::Table, Session::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_session_account")
                    .table(Session::Table)
                    .col(Session::AccountId)
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(LoginFailure::Table)
                    .col(big_pk_auto(LoginFailure::Id))
                    .col(string_len(LoginFailure::Key, 160))
                    .col(timestamp_with_time_zone(LoginFailure::At))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_login_failure_key_at")
                    .table(LoginFailure::Table)
                    .col(LoginFailure::Key)
                    .col(LoginFailure::At)
                    .to_owned(),
            )
            .await?;

        // The head row serialises appends to the chain on both engines: every append first
        // updates it (a row lock on PostgreSQL, the write lock on SQLite).
        manager
            .create_table(
                Table::create()
                    .table(AuditHead::Table)
                    .col(integer(AuditHead::Id).primary_key())
                    .col(big_integer(AuditHead::Seq))
                    .col(string_len(AuditHead::LastHash, 64))
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::insert()
                    .into_table(AuditHead::Table)
                    .columns([AuditHead::Id, AuditHead::Seq, AuditHead::LastHash])
                    .values_panic([1.into(), 0i64.into(), "0".repeat(64).into()])
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(big_integer(AuditLog::Seq).primary_key())
                    .col(timestamp_with_time_zone(AuditLog::At))
                    .col(integer_null(AuditLog::ActorId))
                    .col(string_len(AuditLog::ActorName, 64))
                    .col(string_len(AuditLog::Action, 64))
                    .col(string_len(AuditLog::Target, 128))
                    .col(text(AuditLog::Detail))
                    .col(string_len(AuditLog::PrevHash, 64))
                    .col(string_len(AuditLog::Hash, 64))
                    .to_owned(),
            )
            .await?;

        manager
            .create_table(
                Table::create()
                    .table(Notification::Table)
                    .col(big_pk_auto(Notification::Id))
                    .col(integer(Notification::AccountId))
                    .col(string_len(Notification::Kind, 64))
                    .col(text(Notification::Payload))
                    .col(string_len_null(Notification::Link, 256))
                    .col(timestamp_with_time_zone(Notification::CreatedAt))
                    .col(timestamp_with_time_zone_null(Notification::ReadAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_notification_account")
                            .from(Notification::Table, Notification::AccountId)
                            .to(Account::Table, Account::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notification_account")
                    .table(Notification::Table)
                    .col(Notification::AccountId)
                    .col(Notification::ReadAt)
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            Notification::Table.into_iden(),
            AuditLog::Table.into_iden(),
            AuditHead::Table.into_iden(),
            LoginFailure::Table.into_iden(),
            Session::Table.into_iden(),
            Account::Table.into_iden(),
            Agency::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}

#[derive(DeriveIden)]
enum Agency {
    Table,
    Id,
    Name,
    Code,
    Field,
    Active,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Account {
    Table,
    Id,
    Username,
    DisplayName,
    Role,
    AgencyId,
    PasswordHash,
    Active,
    MustChangePassword,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum Session {
    Table,
    TokenHash,
    AccountId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    Ip,
    UserAgent,
}

#[derive(DeriveIden)]
enum LoginFailure {
    Table,
    Id,
    Key,
    At,
}

#[derive(DeriveIden)]
enum AuditHead {
    Table,
    Id,
    Seq,
    LastHash,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Seq,
    At,
    ActorId,
    ActorName,
    Action,
    Target,
    Detail,
    PrevHash,
    Hash,
}

#[derive(DeriveIden)]
enum Notification {
    Table,
    Id,
    AccountId,
    Kind,
    Payload,
    Link,
    CreatedAt,
    ReadAt,
}
