//! The axum host of the exam system: configuration, start-up (database, migrations, first
//! admin, demo data), routing, security middleware and command-line subcommands. Domain rules
//! live in `app` and `question-bank`, never here.

mod assets;
pub mod config;
mod middleware;

use std::{net::SocketAddr, sync::OnceLock};

use anyhow::Context;
use app::{
    App, shell,
    ssr::{AppState, db},
};
use axum::Router;
use leptos::config::LeptosOptions;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tokio::net::TcpListener;

pub use config::{Cli, Command, ServeArgs};

/// A built application: bound to its port, ready to run.
pub struct Application {
    listener: TcpListener,
    router: Router,
    state: AppState,
    demo_tickets: Vec<(String, String)>,
}

impl Application {
    /// Connects and migrates the database, creates the first admin if needed, loads demo data
    /// if asked, and binds the address (port 0 picks a free port).
    pub async fn build(args: &ServeArgs) -> anyhow::Result<Application> {
        let db = db::connect(&args.database_url).await?;
        // Start-up work runs under a database-wide lock: N processes may start together.
        let startup = db::StartupLock::acquire(&args.database_url).await?;
        db::migrate(&db).await?;
        let site_root = args.site_root.clone();
        let hash_file = assets::hash_file(&site_root);
        let leptos_options = LeptosOptions::builder()
            .output_name("exam")
            .site_root(site_root.as_str())
            .site_pkg_dir("pkg")
            .site_addr(args.addr)
            .hash_files(hash_file.is_some())
            .hash_file(
                hash_file
                    .map(|p| p.to_string_lossy().into_owned())
                    .unwrap_or_else(|| "hash.txt".to_owned())
                    .into(),
            )
            .build();
        let state = AppState {
            db: db.clone(),
            auth: args.auth_config(),
            assembly_chunk: args.assembly_chunk.max(1),
            sitting: app::sitting::ssr::Writer::spawn(db.clone(), args.sitting_config()),
            results: args.results_policy(),
            leptos_options,
        };

        match app::auth::ssr::bootstrap_admin(&state, args.admin_password.as_deref()).await {
            Ok(Some(generated)) => println!(
                "Created the office admin account.\n  user name: admin\n  password:  {generated}\n\
                 This password is shown only once; change it after signing in."
            ),
            Ok(None) => {}
            Err(e) => anyhow::bail!("cannot create the first admin account: {e}"),
        }
        let mut demo_tickets = Vec::new();
        if args.demo {
            match app::ssr::demo::load(&state, args.demo_bank, args.demo_exam).await {
                Ok(Some(loaded)) => {
                    println!(
                        "Loaded the demo data. Every demo account's password is {}.",
                        app::ssr::demo::DEMO_PASSWORD
                    );
                    if let Some(exam) = loaded.exam {
                        println!(
                            "A demo exam is open now (batch {}, {} candidates). Sign in at \
                             /exam/login with one of these admission tickets:",
                            exam.batch_id,
                            exam.tickets.len()
                        );
                        for (ticket, code) in exam.tickets.iter().take(5) {
                            println!("  ticket {ticket}  access code {code}");
                        }
                        demo_tickets = exam.tickets;
                    }
                }
                Ok(None) => {}
                Err(e) => anyhow::bail!("cannot load the demo data: {e}"),
            }
        }
        startup.release().await?;
        app::sitting::ssr::sweeper::spawn(state.db.clone(), args.sitting_config());

        let listener = TcpListener::bind(args.addr)
            .await
            .with_context(|| format!("cannot listen on {}", args.addr))?;
        let router = router(state.clone());
        Ok(Application {
            listener,
            router,
            state,
            demo_tickets,
        })
    }

    /// The bound port.
    pub fn port(&self) -> u16 {
        self.listener.local_addr().map(|a| a.port()).unwrap_or(0)
    }

    /// The admission tickets (number, access code) of the demo exam loaded at this start.
    pub fn demo_tickets(&self) -> &[(String, String)] {
        &self.demo_tickets
    }

    /// The application state (tests reach the database through it).
    pub fn state(&self) -> &AppState {
        &self.state
    }

    /// Serves until the process is stopped (Ctrl-C or SIGTERM).
    pub async fn run_until_stopped(self) -> anyhow::Result<()> {
        axum::serve(
            self.listener,
            self.router
                .into_make_service_with_connect_info::<SocketAddr>(),
        )
        .with_graceful_shutdown(shutdown_signal())
        .await
        .context("the server stopped with an error")
    }
}

/// Every route: pages, server functions, static files, and the middleware around them.
pub fn router(state: AppState) -> Router {
    let https = state.auth.secure_cookies;
    let routes = routes();
    let leptos_options = state.leptos_options.clone();
    let ctx_state = state.clone();
    let pkg = assets::pkg_routes(&leptos_options.site_root, state.leptos_options.hash_files);
    let router = Router::new()
        .merge(pkg)
        .leptos_routes_with_context(
            &state,
            routes,
            move || leptos::prelude::provide_context(ctx_state.clone()),
            move || shell(leptos_options.clone()),
        )
        .fallback(leptos_axum::file_and_error_handler::<AppState, _>(shell))
        .with_state(state)
        .layer(axum::middleware::from_fn(middleware::server_fn_status))
        .layer(axum::middleware::from_fn(middleware::limit_body))
        .layer(axum::middleware::from_fn(middleware::refuse_cross_site))
        .layer(axum::extract::DefaultBodyLimit::max(
            app::bank::ssr::MAX_UPLOAD_BYTES + 1024 * 1024,
        ));
    middleware::with_security_headers(router, https)
        .layer(axum::middleware::from_fn(assets::no_store_by_default))
        .layer(axum::middleware::from_fn(middleware::trace_request))
}

/// The app's page routes, generated once per process.
///
/// Generating them runs the app once with every resource held back by a process-wide flag
/// (leptos_server's `SuppressResourceLoad`): a resource another page of the same process first
/// polls meanwhile waits forever, and so does its response (leptos-rs/leptos#4773). One
/// generation, before any router exists, leaves no render to catch; several servers in one
/// process (the integration tests) share it.
fn routes() -> Vec<AxumRouteListing> {
    static ROUTES: OnceLock<Vec<AxumRouteListing>> = OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The paths of every registered server function (for the authorization-matrix test).
pub fn server_fn_paths() -> Vec<String> {
    leptos::server_fn::axum::server_fn_paths()
        .map(|(path, _)| path.to_owned())
        .collect()
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}
