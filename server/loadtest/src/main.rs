//! `loadtest` — simulated candidates sitting an exam over real HTTP against running servers.
//!
//! Each candidate signs in on an admission ticket, starts within the start window (the mass
//! start), loads the paper, answers questions with an exponentially distributed think time
//! (changing some earlier answers), reloads the page once in a while, and submits — or runs out
//! of time without submitting. At the end the database is read: every answer a server
//! acknowledged must be stored with its latest value. It prints throughput, latency percentiles
//! per operation, errors, lost answers, and the servers' peak resident memory.
//!
//! Bounded in count and time, and only ever aimed at loopback addresses. Prepare an open exam
//! with `server demo-exam --candidates N --sections 60,20,20 --tickets FILE` first (README:
//! Performance).

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::Parser;
use rand::Rng;
use reqwest::StatusCode;
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::{Value, json};

/// Simulated candidates sitting an exam.
#[derive(Debug, Parser)]
#[command(version, about)]
struct Args {
    /// A server's base URL (repeat for several processes; loopback only). Candidates are
    /// spread over them.
    #[arg(long = "server", required = true)]
    servers: Vec<String>,
    /// The tickets file `server demo-exam` wrote: `ticket_no,access_code` a line.
    #[arg(long)]
    tickets: PathBuf,
    /// The servers' database, read at the end to check every acknowledged answer.
    #[arg(long, env = "DATABASE_URL")]
    database_url: String,
    /// How many candidates (0: every ticket in the file).
    #[arg(long, default_value_t = 0)]
    candidates: usize,
    /// Mean think time between two answers, in milliseconds (exponentially distributed).
    #[arg(long, default_value_t = 5000)]
    think_ms: u64,
    /// Answers each candidate gives (0: every question of the paper).
    #[arg(long, default_value_t = 0)]
    answers: usize,
    /// Candidates start spread evenly over this many seconds (the mass start).
    #[arg(long, default_value_t = 60)]
    start_window_s: u64,
    /// Share of answers that change an earlier answer instead of answering the next question.
    #[arg(long, default_value_t = 0.1)]
    change_share: f64,
    /// Share of candidates who reload the page once, mid-exam.
    #[arg(long, default_value_t = 0.05)]
    reload_share: f64,
    /// Share of candidates who never submit (they run out of time; the sweeper submits them).
    #[arg(long, default_value_t = 0.1)]
    no_submit_share: f64,
    /// Sign-ins under way at once before the start (each costs the server an argon2 check).
    #[arg(long, default_value_t = 32)]
    login_concurrency: usize,
    /// The whole run stops after this many seconds, whatever is left.
    #[arg(long, default_value_t = 1800)]
    max_seconds: u64,
    /// Process ids of the servers, for their peak resident memory (Linux: VmHWM).
    #[arg(long = "server-pid")]
    server_pids: Vec<u32>,
}

/// Latencies in microseconds and error counts, per operation.
#[derive(Default)]
struct Stats {
    latency: BTreeMap<&'static str, Vec<u64>>,
    errors: BTreeMap<String, u64>,
    /// Acknowledged saves per second of the run (seconds since the process began).
    saves_per_second: BTreeMap<u64, u64>,
}

/// When the process began: the clock of [`Stats::saves_per_second`].
static EPOCH: std::sync::OnceLock<Instant> = std::sync::OnceLock::new();

/// The busiest `window` seconds of acknowledged saves: (saves per second over them, the
/// window's first second).
fn peak_rate(per_second: &BTreeMap<u64, u64>, window: u64) -> (f64, u64) {
    let (Some(first), Some(last)) = (per_second.keys().next(), per_second.keys().last()) else {
        return (0.0, 0);
    };
    (*first..=last.saturating_sub(window - 1).max(*first))
        .map(|start| {
            let n: u64 = per_second
                .range(start..start + window)
                .map(|(_, n)| n)
                .sum();
            (n as f64 / window as f64, start)
        })
        .fold(
            (0.0, 0),
            |best, cur| if cur.0 > best.0 { cur } else { best },
        )
}

type Shared = Arc<Mutex<Stats>>;

/// A candidate's acknowledged answers: item → (seq, response).
type Acked = HashMap<u64, (i64, Value)>;

fn record(stats: &Shared, op: &'static str, took: Duration) {
    let second = EPOCH.get_or_init(Instant::now).elapsed().as_secs();
    let mut s = stats.lock().unwrap_or_else(PoisonError::into_inner);
    s.latency
        .entry(op)
        .or_default()
        .push(u64::try_from(took.as_micros()).unwrap_or(u64::MAX));
    if op == "save" {
        *s.saves_per_second.entry(second).or_default() += 1;
    }
}

fn error(stats: &Shared, op: &str, what: String) {
    let mut s = stats.lock().unwrap_or_else(PoisonError::into_inner);
    *s.errors.entry(format!("{op}: {what}")).or_default() += 1;
}

/// One simulated candidate's browser.
struct Candidate {
    http: reqwest::Client,
    base: String,
    ticket: String,
    code: String,
    cookies: String,
}

impl Candidate {
    async fn call(
        &self,
        stats: &Shared,
        op: &'static str,
        endpoint: &str,
        body: Value,
    ) -> Option<Value> {
        let t0 = Instant::now();
        let res = self
            .http
            .post(format!("{}/api/{endpoint}", self.base))
            .header(reqwest::header::COOKIE, &self.cookies)
            .json(&body)
            .send()
            .await;
        let res = match res {
            Ok(r) => r,
            Err(e) => {
                error(stats, op, format!("transport: {}", short(&e.to_string())));
                return None;
            }
        };
        let status = res.status();
        let text = res.text().await.unwrap_or_default();
        record(stats, op, t0.elapsed());
        if status == StatusCode::OK {
            serde_json::from_str(&text).ok()
        } else {
            error(stats, op, format!("{status} {}", short(&text)));
            None
        }
    }

    async fn login(&mut self, stats: &Shared) -> bool {
        let t0 = Instant::now();
        let res = self
            .http
            .post(format!("{}/api/exam/login", self.base))
            .json(&json!({ "ticket_no": self.ticket, "access_code": self.code }))
            .send()
            .await;
        match res {
            Ok(r) if r.status() == StatusCode::OK => {
                record(stats, "login", t0.elapsed());
                self.cookies = r
                    .headers()
                    .get_all(reqwest::header::SET_COOKIE)
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .filter_map(|v| v.split(';').next())
                    .collect::<Vec<_>>()
                    .join("; ");
                true
            }
            Ok(r) => {
                let status = r.status();
                let text = r.text().await.unwrap_or_default();
                error(stats, "login", format!("{status} {}", short(&text)));
                false
            }
            Err(e) => {
                error(
                    stats,
                    "login",
                    format!("transport: {}", short(&e.to_string())),
                );
                false
            }
        }
    }
}

fn short(s: &str) -> String {
    s.chars().take(120).collect()
}

/// What a question takes: (number, options; 0 for true/false).
fn questions(paper: &Value) -> Vec<(u64, usize, bool)> {
    paper["sections"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|s| {
            let multiple = s["question_type"] == "multiple";
            s["items"].as_array().into_iter().flatten().map(move |i| {
                (
                    i["number"].as_u64().unwrap_or(0),
                    i["question"]["options"].as_array().map_or(0, Vec::len),
                    multiple,
                )
            })
        })
        .collect()
}

fn random_response(rng: &mut impl Rng, options: usize, multiple: bool) -> Value {
    if options == 0 {
        return json!({ "true_false": rng.random_bool(0.5) });
    }
    if multiple {
        let mut chosen: Vec<usize> = (0..options).filter(|_| rng.random_bool(0.5)).collect();
        if chosen.is_empty() {
            chosen.push(rng.random_range(0..options));
        }
        json!({ "choices": chosen })
    } else {
        json!({ "choices": [rng.random_range(0..options)] })
    }
}

fn think(rng: &mut impl Rng, mean_ms: u64) -> Duration {
    let u: f64 = rng.random_range(f64::EPSILON..1.0);
    Duration::from_secs_f64(-u.ln() * mean_ms as f64 / 1000.0)
}

/// One candidate's exam after sign-in: start at `start_at`, answer, maybe reload, submit.
/// Returns the acknowledged answers: item → (seq, response).
async fn sit(
    c: Candidate,
    args: Arc<Args>,
    stats: Shared,
    start_at: Instant,
    deadline: Instant,
) -> (String, Acked) {
    let mut acked = HashMap::new();
    tokio::time::sleep_until(start_at.into()).await;
    let Some(attempt) = c.call(&stats, "start", "exam/start", json!({})).await else {
        return (c.ticket, acked);
    };
    let mut seq = attempt["last_seq"].as_i64().unwrap_or(0);
    let Some(paper) = c.call(&stats, "paper", "exam/paper", json!({})).await else {
        return (c.ticket, acked);
    };
    let qs = questions(&paper);
    if qs.is_empty() {
        error(&stats, "paper", "no questions".to_owned());
        return (c.ticket, acked);
    }
    let (reload_at, submit, total) = {
        let mut rng = rand::rng();
        let total = if args.answers == 0 {
            qs.len()
        } else {
            args.answers.min(qs.len())
        };
        let reload_at = rng
            .random_bool(args.reload_share.clamp(0.0, 1.0))
            .then(|| rng.random_range(0..total.max(1)));
        (
            reload_at,
            !rng.random_bool(args.no_submit_share.clamp(0.0, 1.0)),
            total,
        )
    };
    let mut next = 0usize;
    for k in 0..total {
        let pause = think(&mut rand::rng(), args.think_ms);
        if Instant::now() + pause > deadline {
            return (c.ticket, acked);
        }
        tokio::time::sleep(pause).await;
        if reload_at == Some(k) {
            c.call(&stats, "reload", "exam/sitting", json!({})).await;
            c.call(&stats, "reload", "exam/paper", json!({})).await;
        }
        let (item, response) = {
            let mut rng = rand::rng();
            let index = if next > 0 && rng.random_bool(args.change_share.clamp(0.0, 1.0)) {
                rng.random_range(0..next)
            } else {
                next += 1;
                (next - 1).min(qs.len() - 1)
            };
            let (item, options, multiple) = qs[index];
            (item, random_response(&mut rng, options, multiple))
        };
        seq += 1;
        let body = json!({ "answers": [{ "item": item, "seq": seq, "response": response }], "events": [] });
        // A failed save is sent again, as the page's journal does.
        for attempt in 0..3 {
            if c.call(&stats, "save", "exam/save", body.clone())
                .await
                .is_some()
            {
                acked.insert(item, (seq, response.clone()));
                break;
            }
            if attempt < 2 {
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
    if submit {
        c.call(&stats, "submit", "exam/submit", json!({})).await;
    }
    (c.ticket, acked)
}

/// Checks every acknowledged answer against the database: the number lost.
async fn lost_answers(url: &str, acked: &[(String, Acked)]) -> anyhow::Result<(u64, u64)> {
    let db = Database::connect(url)
        .await
        .context("connect to the database")?;
    let rows = db
        .query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT t.ticket_no, a.item, a.response, a.seq FROM answer a \
             JOIN attempt x ON x.id = a.attempt_id JOIN ticket t ON t.id = x.ticket_id",
        ))
        .await
        .context("read the answers")?;
    let mut stored: HashMap<(String, u64), (i64, Value)> = HashMap::with_capacity(rows.len());
    for r in rows {
        let ticket: String = r.try_get_by_index(0)?;
        let item: i32 = r.try_get_by_index(1)?;
        let response: String = r.try_get_by_index(2)?;
        let seq: i64 = r.try_get_by_index(3)?;
        stored.insert(
            (ticket, u64::try_from(item).unwrap_or(0)),
            (seq, serde_json::from_str(&response).unwrap_or(Value::Null)),
        );
    }
    let (mut checked, mut lost) = (0, 0);
    for (ticket, answers) in acked {
        let key: String = ticket.chars().filter(char::is_ascii_digit).collect();
        for (item, (seq, response)) in answers {
            checked += 1;
            match stored.get(&(key.clone(), *item)) {
                Some((s, r)) if s == seq && r == response => {}
                // A newer save the server took after this one: not lost.
                Some((s, _)) if s > seq => {}
                _ => lost += 1,
            }
        }
    }
    Ok((checked, lost))
}

fn peak_rss_kib(pid: u32) -> Option<u64> {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()?
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[rank.min(sorted.len() - 1)] as f64 / 1000.0
}

fn loopback_only(url: &str) -> anyhow::Result<()> {
    let host = url
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or(url)
        .split(['/', '?'])
        .next()
        .unwrap_or("");
    let host = host.rsplit_once(':').map_or(host, |(h, _)| h);
    if host == "localhost" || host == "[::1]" || host.starts_with("127.") {
        Ok(())
    } else {
        bail!(
            "{url}: the load generator only targets loopback addresses (127.0.0.0/8, localhost, [::1])"
        )
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    EPOCH.get_or_init(Instant::now);
    let args = Arc::new(Args::parse());
    for s in &args.servers {
        loopback_only(s)?;
    }
    let file = std::fs::read_to_string(&args.tickets)
        .with_context(|| format!("read {}", args.tickets.display()))?;
    let mut tickets: Vec<(String, String)> = file
        .lines()
        .filter_map(|l| l.split_once(','))
        .map(|(t, c)| (t.trim().to_owned(), c.trim().to_owned()))
        .collect();
    if args.candidates > 0 {
        tickets.truncate(args.candidates);
    }
    if tickets.is_empty() {
        bail!("no tickets in {}", args.tickets.display());
    }
    let http = reqwest::Client::builder()
        .timeout(Duration::from_secs(60))
        .pool_max_idle_per_host(4096)
        .build()?;
    let stats: Shared = Arc::default();
    let began = Instant::now();
    let deadline = began + Duration::from_secs(args.max_seconds);

    // Sign-in, before the start (in an exam room: during the half hour before it).
    println!("signing in {} candidates…", tickets.len());
    let gate = Arc::new(tokio::sync::Semaphore::new(args.login_concurrency.max(1)));
    let signed_in: Vec<Candidate> =
        futures::future::join_all(tickets.into_iter().enumerate().map(|(i, (ticket, code))| {
            let http = http.clone();
            let base = args.servers[i % args.servers.len()]
                .trim_end_matches('/')
                .to_owned();
            let gate = gate.clone();
            let stats = stats.clone();
            async move {
                let _permit = gate.acquire().await.ok()?;
                let mut c = Candidate {
                    http,
                    base,
                    ticket,
                    code,
                    cookies: String::new(),
                };
                c.login(&stats).await.then_some(c)
            }
        }))
        .await
        .into_iter()
        .flatten()
        .collect();
    let login_time = began.elapsed();
    println!(
        "{} signed in after {:.1} s; the exam starts",
        signed_in.len(),
        login_time.as_secs_f64()
    );

    let n = signed_in.len();
    let t0 = Instant::now();
    let window = Duration::from_secs(args.start_window_s);
    let tasks: Vec<_> = signed_in
        .into_iter()
        .enumerate()
        .map(|(i, c)| {
            let start_at = t0 + window.mul_f64(i as f64 / n.max(1) as f64);
            tokio::spawn(sit(c, args.clone(), stats.clone(), start_at, deadline))
        })
        .collect();
    let mut acked = Vec::with_capacity(n);
    for t in tasks {
        if let Ok(r) = t.await {
            acked.push(r);
        }
    }
    let exam_time = t0.elapsed();

    let (checked, lost) = lost_answers(&args.database_url, &acked).await?;
    let stats = stats.lock().unwrap_or_else(PoisonError::into_inner);
    println!(
        "\n== {} candidates, {} server(s), exam phase {:.1} s ==",
        n,
        args.servers.len(),
        exam_time.as_secs_f64()
    );
    println!(
        "{:<8} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9}",
        "op", "count", "per s", "p50 ms", "p90 ms", "p99 ms", "max ms"
    );
    for (op, samples) in &stats.latency {
        let mut s = samples.clone();
        s.sort_unstable();
        let span = if *op == "login" {
            login_time
        } else {
            exam_time
        };
        println!(
            "{:<8} {:>9} {:>9.1} {:>9.1} {:>9.1} {:>9.1} {:>9.1}",
            op,
            s.len(),
            s.len() as f64 / span.as_secs_f64().max(0.001),
            percentile(&s, 50.0),
            percentile(&s, 90.0),
            percentile(&s, 99.0),
            percentile(&s, 100.0)
        );
    }
    let (peak, at) = peak_rate(&stats.saves_per_second, 10);
    let begun = t0
        .duration_since(*EPOCH.get_or_init(Instant::now))
        .as_secs();
    println!(
        "saves: busiest 10 s {peak:.0}/s (from {} s after the exam phase began)",
        at.saturating_sub(begun)
    );
    let errors: u64 = stats.errors.values().sum();
    println!("errors: {errors}");
    for (what, count) in &stats.errors {
        println!("  {count:>7}  {what}");
    }
    println!("acknowledged answers checked in the database: {checked}; lost: {lost}");
    for pid in &args.server_pids {
        match peak_rss_kib(*pid) {
            Some(kib) => println!(
                "server pid {pid}: peak resident memory {:.1} MiB",
                kib as f64 / 1024.0
            ),
            None => println!("server pid {pid}: peak resident memory unknown"),
        }
    }
    if lost > 0 {
        std::process::exit(2);
    }
    Ok(())
}
