//! `server` — run the exam system, or one of its maintenance subcommands.

use clap::Parser;
use server::{Application, Cli, Command};

#[tokio::main]
async fn main() -> std::process::ExitCode {
    use std::io::IsTerminal;
    tracing_subscriber::fmt()
        // Colour only on a terminal: a log file keeps plain `ERROR` words to search for.
        .with_ansi(std::io::stdout().is_terminal())
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env()
                .unwrap_or_else(|_| "info,sqlx=warn,sea_orm=warn".into()),
        )
        .init();
    let cli = Cli::parse();
    match run(cli).await {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run(cli: Cli) -> anyhow::Result<std::process::ExitCode> {
    use app::ssr::db;
    match cli.command.unwrap_or(Command::Serve) {
        Command::Serve => {
            let app = Application::build(&cli.serve).await?;
            println!(
                "Serving on http://{}",
                cli.serve.addr.ip().to_string() + ":" + &app.port().to_string()
            );
            app.run_until_stopped().await?;
        }
        Command::Migrate => {
            let conn = db::connect(&cli.serve.database_url).await?;
            db::migrate(&conn).await?;
            println!("The database schema is up to date.");
        }
        Command::VerifyAudit => {
            let conn = db::connect(&cli.serve.database_url).await?;
            let report = app::audit::ssr::verify(&conn)
                .await
                .map_err(|e| anyhow::anyhow!("cannot read the audit log: {e}"))?;
            match report.broken {
                None => println!("Audit chain intact: {} entries.", report.entries),
                Some(b) => {
                    println!(
                        "Audit chain BROKEN at entry {}: {} ({} entries verified before it).",
                        b.seq(),
                        b.reason(app::i18n::Locale::en),
                        report.entries
                    );
                    return Ok(std::process::ExitCode::FAILURE);
                }
            }
        }
        Command::Demo => {
            let mut args = cli.serve.clone();
            args.demo = true;
            args.addr = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
            Application::build(&args).await?;
        }
        Command::DemoExam {
            candidates,
            access_code,
            tickets,
            sections,
        } => {
            let mut args = cli.serve.clone();
            args.demo = true;
            args.demo_exam = false;
            args.addr = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
            let app = Application::build(&args).await?;
            let code = Some(access_code.as_str());
            let exam = match sections {
                None => app::ssr::demo::open_exam(app.state(), candidates, code).await,
                Some(s) => app::ssr::demo::open_exam_of(app.state(), candidates, code, s).await,
            }
            .map_err(|e| anyhow::anyhow!("cannot create the exam: {e}"))?;
            let lines: String = exam
                .tickets
                .iter()
                .map(|(t, c)| format!("{t},{c}\n"))
                .collect();
            std::fs::write(&tickets, lines)?;
            println!(
                "Batch {} is open now: {} candidates; tickets in {}.",
                exam.batch_id,
                exam.tickets.len(),
                tickets.display()
            );
        }
    }
    Ok(std::process::ExitCode::SUCCESS)
}
