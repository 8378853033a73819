//! Typed configuration from flags and environment variables.

use std::{net::SocketAddr, time::Duration};

use app::ssr::AuthConfig;
use clap::{Args, Parser, Subcommand};

/// 行政执法资格考试系统 — the enforcement qualification exam system.
#[derive(Debug, Parser)]
#[command(version, about)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
    #[command(flatten)]
    pub serve: ServeArgs,
}

/// What to do (default: serve).
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Serve the web application (the default).
    Serve,
    /// Apply pending database migrations and exit.
    Migrate,
    /// Recompute the audit chain and report the first edited or deleted entry (exit 1 if any).
    VerifyAudit,
    /// Load the demo data into the database and exit.
    Demo,
    /// Create an exam that is open now, for the load generator: the demo data, then a batch of
    /// `--candidates` candidates who all share one access code, their papers assembled; the
    /// ticket numbers are written to `--tickets` (`ticket_no,access_code` a line).
    DemoExam {
        #[arg(long, default_value_t = 10_000)]
        candidates: u32,
        #[arg(long, default_value = "LQAD-TEST")]
        access_code: String,
        #[arg(long, default_value = "tickets.csv")]
        tickets: std::path::PathBuf,
        /// The paper's questions by type, `单选,多选,判断` (one point each; `60,20,20` is a
        /// 100-question paper). Without it: the general exam's default blueprint (40, 20, 20).
        #[arg(long, value_parser = parse_sections)]
        sections: Option<[u32; 3]>,
    },
}

/// `60,20,20` → `[60, 20, 20]`: three question counts.
fn parse_sections(s: &str) -> Result<[u32; 3], String> {
    let counts: Vec<u32> = s
        .split(',')
        .map(|n| n.trim().parse::<u32>())
        .collect::<Result<_, _>>()
        .map_err(|e| format!("`{s}`: {e}; give three counts, e.g. 60,20,20"))?;
    <[u32; 3]>::try_from(counts)
        .map_err(|c| format!("`{s}`: {} counts; give three, e.g. 60,20,20", c.len()))
}

/// Options of the server.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Database URL: `sqlite://data/exam.db?mode=rwc` (embedded) or `postgres://…`.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://data/exam.db?mode=rwc",
        global = true
    )]
    pub database_url: String,
    /// Address to listen on (port 0 picks a free port).
    #[arg(long, env = "EXAM_ADDR", default_value = "127.0.0.1:3000")]
    pub addr: SocketAddr,
    /// Folder with the built site (`pkg/` with the wasm, JS and CSS).
    #[arg(long, env = "LEPTOS_SITE_ROOT", default_value = "target/site")]
    pub site_root: String,
    /// Password of the first office admin (`admin`), used only when the database has no
    /// account. Without it a password is generated and printed once.
    #[arg(long, env = "EXAM_ADMIN_PASSWORD", hide_env_values = true)]
    pub admin_password: Option<String>,
    /// Load demo data (agencies, one account of every role) at start.
    #[arg(long, env = "EXAM_DEMO")]
    pub demo: bool,
    /// With `--demo`: also load the sample question bank (`--demo-bank false` leaves the bank
    /// empty, e.g. to try importing the sample file by hand).
    #[arg(long, env = "EXAM_DEMO_BANK", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo_bank: bool,
    /// With `--demo` and the sample bank: also an exam of 30 candidates that is open now, its
    /// first admission tickets printed at start (`--demo-exam false` leaves it out).
    #[arg(long, env = "EXAM_DEMO_EXAM", default_value_t = true, action = clap::ArgAction::Set)]
    pub demo_exam: bool,
    /// Mark cookies `Secure` (set this when served over HTTPS).
    #[arg(long, env = "EXAM_SECURE_COOKIES")]
    pub secure_cookies: bool,
    /// Trust `X-Forwarded-For` for client addresses (only behind your own reverse proxy).
    #[arg(long, env = "EXAM_TRUST_PROXY")]
    pub trust_proxy: bool,
    /// Minutes of inactivity after which a session ends.
    #[arg(long, env = "EXAM_SESSION_IDLE_MINUTES", default_value_t = 30)]
    pub session_idle_minutes: u64,
    /// Hours after sign-in after which a session ends regardless.
    #[arg(long, env = "EXAM_SESSION_MAX_HOURS", default_value_t = 12)]
    pub session_max_hours: u64,
    /// Papers assembled per request while the batch page assembles a batch's papers.
    #[arg(long, env = "EXAM_ASSEMBLY_CHUNK", default_value_t = app::papers::ASSEMBLY_CHUNK)]
    pub assembly_chunk: u64,
    /// Seconds after an attempt's deadline during which saves sent before it are still taken
    /// (requests in flight); the sweeper submits the attempt when they are over.
    #[arg(long, env = "EXAM_SAVE_GRACE_SECONDS", default_value_t = 10)]
    pub save_grace_seconds: u64,
    /// Seconds between two runs of the deadline sweeper (which submits expired attempts).
    #[arg(long, env = "EXAM_SWEEP_EVERY_SECONDS", default_value_t = 1)]
    pub sweep_every_seconds: u64,
    /// Days after the exam a pass stays valid unless a certificate application is recorded.
    #[arg(long, env = "EXAM_PASS_VALID_DAYS", default_value_t = 365)]
    pub pass_valid_days: u32,
    /// Re-sits a fail allows (a person may fail this many times plus one since the last pass).
    #[arg(long, env = "EXAM_MAX_RESITS", default_value_t = 1)]
    pub max_resits: u32,
    /// Days after publication a candidate may request a score review (成绩复核).
    #[arg(long, env = "EXAM_REVIEW_DAYS", default_value_t = 15)]
    pub review_days: u32,
}

impl ServeArgs {
    /// Settings for a test: a given database, port 0, no demo data.
    pub fn for_tests(database_url: String) -> Self {
        ServeArgs {
            database_url,
            addr: SocketAddr::from(([127, 0, 0, 1], 0)),
            site_root: "target/site".to_owned(),
            admin_password: None,
            demo: false,
            demo_bank: true,
            demo_exam: false,
            secure_cookies: false,
            trust_proxy: false,
            session_idle_minutes: 30,
            session_max_hours: 12,
            assembly_chunk: app::papers::ASSEMBLY_CHUNK,
            save_grace_seconds: 10,
            sweep_every_seconds: 1,
            pass_valid_days: 365,
            max_resits: 1,
            review_days: 15,
        }
    }

    /// What a result means afterwards.
    pub fn results_policy(&self) -> app::ssr::ResultsPolicy {
        app::ssr::ResultsPolicy {
            pass_valid_days: self.pass_valid_days,
            max_resits: self.max_resits,
            review_days: self.review_days,
        }
    }

    /// The session and throttling policy.
    pub fn auth_config(&self) -> AuthConfig {
        AuthConfig {
            idle_timeout: Duration::from_secs(self.session_idle_minutes.max(1) * 60),
            absolute_timeout: Duration::from_secs(self.session_max_hours.max(1) * 3600),
            secure_cookies: self.secure_cookies,
            trust_proxy: self.trust_proxy,
            ..AuthConfig::default()
        }
    }

    /// The sitting policy (the deadline's grace for saves in flight).
    pub fn sitting_config(&self) -> app::sitting::ssr::SittingConfig {
        app::sitting::ssr::SittingConfig {
            grace: Duration::from_secs(self.save_grace_seconds),
            sweep_every: Duration::from_secs(self.sweep_every_seconds.max(1)),
            session_idle: Duration::from_secs(self.session_idle_minutes.max(1) * 60),
            ..Default::default()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::parse_sections;

    #[test]
    fn sections_are_three_counts() {
        assert_eq!(parse_sections("60,20,20"), Ok([60, 20, 20]));
        assert_eq!(parse_sections(" 40, 0 ,20"), Ok([40, 0, 20]));
        let two = parse_sections("60,20").expect_err("two counts");
        assert!(two.contains("2 counts; give three"), "{two}");
        let word = parse_sections("60,twenty,20").expect_err("not a number");
        assert!(word.contains("give three counts"), "{word}");
    }
}
