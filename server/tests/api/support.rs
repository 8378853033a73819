//! The test harness: spawn the app, sign in as any role, call server functions, count the
//! server functions a page runs.

use std::{
    collections::BTreeMap,
    sync::{
        Arc, Mutex, PoisonError,
        atomic::{AtomicU32, Ordering},
    },
};

use app::{error::AppError, roles::Role, ssr::AppState};
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database, Statement};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};
use server::{Application, ServeArgs};
use tracing::{Level, Subscriber, field::Field, span};
use tracing_subscriber::{
    Layer,
    filter::filter_fn,
    layer::{Context, SubscriberExt},
    registry::LookupSpan,
};

/// The first admin's password in tests.
pub const ADMIN_PASSWORD: &str = "Admin2026test";
/// Every demo account's password.
pub const DEMO_PASSWORD: &str = app::ssr::demo::DEMO_PASSWORD;

/// A demo account of each role.
pub fn demo_user(role: Role) -> &'static str {
    match role {
        Role::OfficeAdmin => "office",
        Role::QuestionAuthor => "author",
        Role::CommitteeMember => "committee1",
        Role::AgencyOfficer => "officer.scjg",
        Role::Proctor => "proctor",
        Role::Candidate => "candidate",
    }
}

/// A running application with its own database.
pub struct TestApp {
    pub base: String,
    pub state: AppState,
    /// The database URL (for a second process on the same database).
    pub url: String,
    /// The demo exam's admission tickets (number, access code), when it was loaded.
    pub demo_tickets: Vec<(String, String)>,
    _db: TestDb,
}

/// A fresh, empty database of its own: a temporary SQLite file, or a new PostgreSQL database
/// when `TEST_DATABASE_URL` is set (dropped with this value).
pub struct TestDb {
    pub url: String,
    _sqlite_dir: Option<tempfile::TempDir>,
    pg_drop: Option<(String, String)>,
}

impl TestDb {
    pub async fn new() -> TestDb {
        match std::env::var("TEST_DATABASE_URL") {
            Ok(base) if !base.is_empty() => {
                let name = format!(
                    "exam_test_{}_{}_{}",
                    std::process::id(),
                    COUNTER.fetch_add(1, Ordering::SeqCst),
                    rand::random::<u32>()
                );
                let admin = Database::connect(&base)
                    .await
                    .expect("connect to TEST_DATABASE_URL");
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create the test database");
                let url = match base.rsplit_once('/') {
                    Some((prefix, _)) => format!("{prefix}/{name}"),
                    None => panic!("TEST_DATABASE_URL needs a database name"),
                };
                TestDb {
                    url,
                    _sqlite_dir: None,
                    pg_drop: Some((base, name)),
                }
            }
            _ => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/exam.db?mode=rwc", dir.path().display());
                TestDb {
                    url,
                    _sqlite_dir: Some(dir),
                    pg_drop: None,
                }
            }
        }
    }

    /// Whether this is a PostgreSQL database.
    pub fn is_postgres(&self) -> bool {
        self.pg_drop.is_some()
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

impl TestApp {
    /// Spawns the app with demo data loaded.
    pub async fn spawn() -> TestApp {
        Self::spawn_with(|_| {}).await
    }

    /// Spawns the app after letting the test adjust its settings.
    pub async fn spawn_with(adjust: impl FnOnce(&mut ServeArgs)) -> TestApp {
        let db = TestDb::new().await;
        let url = db.url.clone();
        let mut args = ServeArgs::for_tests(url.clone());
        args.admin_password = Some(ADMIN_PASSWORD.to_owned());
        args.demo = true;
        adjust(&mut args);
        let application = Application::build(&args).await.expect("build the app");
        let base = format!("http://127.0.0.1:{}", application.port());
        let state = application.state().clone();
        let demo_tickets = application.demo_tickets().to_vec();
        tokio::spawn(application.run_until_stopped());
        TestApp {
            base,
            state,
            url,
            demo_tickets,
            _db: db,
        }
    }

    /// A client with its own cookie jar, not signed in.
    pub fn anonymous(&self) -> Client {
        Client::new(&self.base)
    }

    /// A client signed in as `username`.
    pub async fn signed_in(&self, username: &str, password: &str) -> Client {
        let c = self.anonymous();
        let (status, body) = c.login(username, password).await;
        assert_eq!(
            status,
            StatusCode::OK,
            "sign-in of {username} failed: {body}"
        );
        c
    }

    /// A client signed in as the demo account of `role`.
    pub async fn as_role(&self, role: Role) -> Client {
        self.signed_in(demo_user(role), DEMO_PASSWORD).await
    }

    /// Runs a `SELECT COUNT(*)`-style query and returns its single number.
    pub async fn count(&self, sql: &str) -> i64 {
        let db = &self.state.db;
        let row = db
            .query_one_raw(Statement::from_string(db.get_database_backend(), sql))
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"))
            .expect("one row");
        // PostgreSQL keeps INT4 and INT8 apart; either is a number here.
        row.try_get_by_index::<i64>(0)
            .or_else(|_| row.try_get_by_index::<i32>(0).map(i64::from))
            .expect("a number")
    }

    /// Moves the batch's sessions so that they started `minutes_ago` minutes ago (negative: in
    /// the future), as if the exam day had come.
    pub async fn start_sessions(&self, batch: i64, minutes_ago: i64) {
        use app::ssr::entities::exam_session;
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
        exam_session::Entity::update_many()
            .col_expr(
                exam_session::Column::StartsAt,
                Expr::value(chrono::Utc::now() - chrono::Duration::minutes(minutes_ago)),
            )
            .filter(exam_session::Column::BatchId.eq(batch))
            .exec(&self.state.db)
            .await
            .expect("move the sessions");
    }

    /// Another server process on this app's database (its own pool, writer and sweeper), as
    /// when several processes serve one PostgreSQL database.
    pub async fn second_process(&self) {
        let mut args = ServeArgs::for_tests(self.url.clone());
        args.admin_password = Some(ADMIN_PASSWORD.to_owned());
        let application = Application::build(&args).await.expect("build the app");
        tokio::spawn(application.run_until_stopped());
    }

    /// Runs raw SQL against the app's database (to simulate time passing or tampering).
    pub async fn sql(&self, sql: &str) {
        self.state
            .db
            .execute_unprepared(sql)
            .await
            .unwrap_or_else(|e| panic!("{sql}: {e}"));
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        if let Some((base, name)) = self.pg_drop.take() {
            // A runtime of its own: Drop cannot await, and the test's runtime is ending.
            let _ = std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                    .expect("runtime");
                rt.block_on(async {
                    if let Ok(db) = Database::connect(&base).await {
                        let _ = db
                            .execute_unprepared(&format!(
                                "DROP DATABASE IF EXISTS {name} WITH (FORCE)"
                            ))
                            .await;
                    }
                });
            })
            .join();
        }
    }
}

/// An HTTP client with a cookie jar.
pub struct Client {
    pub base: String,
    pub http: reqwest::Client,
}

impl Client {
    /// A client of the server at `base` with its own cookie jar, not signed in.
    pub fn new(base: &str) -> Client {
        Client {
            base: base.to_owned(),
            http: reqwest::Client::builder()
                .cookie_store(true)
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("http client"),
        }
    }

    /// Posts `body` to server function `endpoint`; returns the status and the JSON answer.
    pub async fn call(&self, endpoint: &str, body: Value) -> (StatusCode, Value) {
        let (status, text) = self.call_raw(endpoint, body).await;
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    /// Posts `body` to server function `endpoint`; returns the status and the exact bytes of
    /// the answer (as the browser receives them).
    pub async fn call_raw(&self, endpoint: &str, body: Value) -> (StatusCode, String) {
        let res = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .json(&body)
            .send()
            .await
            .expect("request");
        let status = res.status();
        (status, res.text().await.expect("body"))
    }

    /// GETs server function `endpoint` with `query`; returns the status and the answer (JSON
    /// when it is JSON, else the text).
    pub async fn call_get(&self, endpoint: &str, query: &str) -> (StatusCode, Value) {
        let res = self
            .http
            .get(format!("{}/api/{endpoint}?{query}", self.base))
            .send()
            .await
            .expect("request");
        let status = res.status();
        let text = res.text().await.expect("body");
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    /// Uploads a file as `file`, with extra text fields, to server function `endpoint`.
    pub async fn upload(
        &self,
        endpoint: &str,
        file_name: &str,
        bytes: Vec<u8>,
        fields: &[(&str, &str)],
    ) -> (StatusCode, Value) {
        let mut form = reqwest::multipart::Form::new().part(
            "file",
            reqwest::multipart::Part::bytes(bytes).file_name(file_name.to_owned()),
        );
        for (k, v) in fields {
            form = form.text(k.to_string(), v.to_string());
        }
        let res = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .multipart(form)
            .send()
            .await
            .expect("request");
        let status = res.status();
        let text = res.text().await.expect("body");
        let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
        (status, value)
    }

    /// Calls and decodes a successful answer; panics with the error otherwise.
    pub async fn ok<T: DeserializeOwned>(&self, endpoint: &str, body: Value) -> T {
        let (status, value) = self.call(endpoint, body).await;
        assert!(status.is_success(), "{endpoint} answered {status}: {value}");
        serde_json::from_value(value).expect("decode answer")
    }

    /// Calls and decodes the error; panics if the call succeeded.
    pub async fn err(&self, endpoint: &str, body: Value) -> (StatusCode, AppError) {
        let (status, value) = self.call(endpoint, body).await;
        assert!(
            !status.is_success(),
            "{endpoint} unexpectedly succeeded: {value}"
        );
        let err = serde_json::from_value(value.clone())
            .unwrap_or_else(|e| panic!("{endpoint}: not an AppError ({e}): {value}"));
        (status, err)
    }

    /// Signs in.
    pub async fn login(&self, username: &str, password: &str) -> (StatusCode, Value) {
        self.call(
            "auth/login",
            json!({ "username": username, "password": password }),
        )
        .await
    }

    /// GETs a page.
    pub async fn get(&self, path: &str) -> reqwest::Response {
        self.http
            .get(format!("{}{path}", self.base))
            .send()
            .await
            .expect("request")
    }
}

/// What the app logged on the test's thread: how often each server function ran (every
/// `#[server]` function opens a span named after it and marked with a `server_fn` field, once
/// per run however it is called), and the message of every ERROR event.
#[derive(Clone, Default)]
pub struct ServerFnLog {
    inner: Arc<Mutex<Logged>>,
}

#[derive(Default)]
struct Logged {
    runs: BTreeMap<String, u32>,
    errors: Vec<String>,
}

impl ServerFnLog {
    /// Starts logging on the current thread until the guard is dropped.
    ///
    /// The test must run on a current-thread runtime (the default of `#[tokio::test]`): the app
    /// it spawns then renders its pages on this same thread, and apps of other tests running in
    /// parallel (on their own threads) are not counted.
    pub fn install() -> (ServerFnLog, tracing::subscriber::DefaultGuard) {
        let log = ServerFnLog::default();
        let layer = log.clone().with_filter(filter_fn(|meta| {
            is_server_fn(meta) || *meta.level() == Level::ERROR
        }));
        let guard = tracing::subscriber::set_default(tracing_subscriber::registry().with(layer));
        (log, guard)
    }

    /// The server-function runs and errors logged since the last call, clearing them.
    pub fn take(&self) -> (BTreeMap<String, u32>, Vec<String>) {
        // A callsite that another test's thread was registering while this log was installed
        // may have cached "nobody listens"; asking every callsite again fixes that.
        tracing::callsite::rebuild_interest_cache();
        let mut logged = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        let logged = std::mem::take(&mut *logged);
        (logged.runs, logged.errors)
    }
}

/// Whether `meta` is the span of a server function.
fn is_server_fn(meta: &tracing::Metadata<'_>) -> bool {
    meta.is_span() && meta.fields().field("server_fn").is_some()
}

impl<S: Subscriber + for<'a> LookupSpan<'a>> Layer<S> for ServerFnLog {
    fn on_new_span(&self, attrs: &span::Attributes<'_>, _id: &span::Id, _ctx: Context<'_, S>) {
        let meta = attrs.metadata();
        if is_server_fn(meta) {
            let mut logged = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            *logged.runs.entry(meta.name().to_owned()).or_default() += 1;
        }
    }

    fn on_event(&self, event: &tracing::Event<'_>, _ctx: Context<'_, S>) {
        if *event.metadata().level() == Level::ERROR {
            struct Message(String);
            impl tracing::field::Visit for Message {
                fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
                    if field.name() == "message" {
                        self.0 = format!("{value:?}");
                    }
                }
            }
            let mut message = Message(String::new());
            event.record(&mut message);
            let mut logged = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
            logged
                .errors
                .push(format!("{}: {}", event.metadata().target(), message.0));
        }
    }
}
