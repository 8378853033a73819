//! Connecting to the database chosen by `DATABASE_URL` and bringing its schema up to date.
//!
//! SQLite runs in WAL mode with `synchronous=FULL` (a commit is on disk before the request is
//! answered), foreign keys on and a busy timeout, on every pooled connection.

use std::time::Duration;

use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseConnection, DbBackend, DbErr, Statement,
};

/// Why the database could not be opened or migrated.
#[derive(Debug, thiserror::Error)]
pub enum DbSetupError {
    #[error("cannot connect to the database at {url}: {source}")]
    Connect { url: String, source: DbErr },
    #[error("a database migration failed, the server will not start: {0}")]
    Migrate(DbErr),
    #[error("cannot take the start-up lock on the database: {0}")]
    Lock(DbErr),
    #[error("cannot create the folder for the SQLite file {path}: {source}")]
    Folder {
        path: String,
        source: std::io::Error,
    },
}

/// Opens a pool on `url` (`sqlite://path?mode=rwc` or `postgres://…`).
pub async fn connect(url: &str) -> Result<DatabaseConnection, DbSetupError> {
    if let Some(path) = sqlite_path(url)
        && let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|source| DbSetupError::Folder {
            path: path.to_owned(),
            source,
        })?;
    }
    let mut opts = ConnectOptions::new(url.to_owned());
    opts.sqlx_logging(false)
        .connect_timeout(Duration::from_secs(10))
        .acquire_timeout(Duration::from_secs(30));
    if url.starts_with("sqlite:") {
        opts.max_connections(8).min_connections(1);
        opts.map_sqlx_sqlite_opts(|o| {
            use sea_orm::sqlx::sqlite::{SqliteJournalMode, SqliteSynchronous};
            o.journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .create_if_missing(true)
        });
    } else {
        opts.max_connections(32).min_connections(1);
    }
    Database::connect(opts)
        .await
        .map_err(|source| DbSetupError::Connect {
            url: redact(url),
            source,
        })
}

/// Applies every pending migration.
pub async fn migrate(db: &DatabaseConnection) -> Result<(), DbSetupError> {
    Migrator::up(db, None).await.map_err(DbSetupError::Migrate)
}

/// A database-wide lock held while one process does the start-up work (migrations, the first
/// admin, demo data), so several processes can start together on one PostgreSQL database: the
/// others wait, then find the work done. A PostgreSQL session advisory lock on a connection of
/// its own; on SQLite (one process, one file) there is nothing to take.
pub struct StartupLock {
    conn: Option<DatabaseConnection>,
}

impl StartupLock {
    /// Waits for the lock.
    pub async fn acquire(url: &str) -> Result<StartupLock, DbSetupError> {
        if !url.starts_with("postgres") {
            return Ok(StartupLock { conn: None });
        }
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.sqlx_logging(false)
            .max_connections(1)
            .min_connections(1)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(300));
        let conn = Database::connect(opts)
            .await
            .map_err(|source| DbSetupError::Connect {
                url: redact(url),
                source,
            })?;
        conn.execute_raw(Self::statement("SELECT pg_advisory_lock($1)"))
            .await
            .map_err(DbSetupError::Lock)?;
        Ok(StartupLock { conn: Some(conn) })
    }

    /// Lets the next process in.
    pub async fn release(self) -> Result<(), DbSetupError> {
        if let Some(conn) = self.conn {
            conn.execute_raw(Self::statement("SELECT pg_advisory_unlock($1)"))
                .await
                .map_err(DbSetupError::Lock)?;
            conn.close().await.map_err(DbSetupError::Lock)?;
        }
        Ok(())
    }

    fn statement(sql: &str) -> Statement {
        Statement::from_sql_and_values(
            DbBackend::Postgres,
            sql,
            [super::dberr::lock_id("exam-system.startup").into()],
        )
    }
}

fn sqlite_path(url: &str) -> Option<&str> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or(rest);
    (!path.is_empty() && path != ":memory:").then_some(path)
}

/// The URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let creds = &url[scheme + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..scheme + 3], user, &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_redacted_from_database_urls() {
        assert_eq!(
            redact("postgres://exam:secret@db:5432/exam"),
            "postgres://exam:***@db:5432/exam"
        );
        assert_eq!(redact("sqlite://data/exam.db"), "sqlite://data/exam.db");
    }

    #[test]
    fn the_sqlite_file_path_is_found_in_both_url_forms() {
        assert_eq!(
            sqlite_path("sqlite://data/exam.db?mode=rwc"),
            Some("data/exam.db")
        );
        assert_eq!(sqlite_path("sqlite:x.db"), Some("x.db"));
        assert_eq!(sqlite_path("sqlite::memory:"), None);
        assert_eq!(sqlite_path("postgres://x"), None);
    }
}
