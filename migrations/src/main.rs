//! `migrations` — run the schema migrations from the command line (`up`, `down`, `status`, …).
//! The database is chosen by `DATABASE_URL`, as for the server.

use sea_orm_migration::prelude::*;

#[tokio::main]
async fn main() {
    cli::run_cli(migrations::Migrator).await;
}
