//! A crash: the real server binary is killed with SIGKILL while candidates are sitting the exam,
//! then started again on the same database. Every answer it acknowledged is there, and the
//! candidates carry on where they were.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;

use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{ADMIN_PASSWORD, Client, TestDb};

/// The server binary, started on `url` with the demo data; its address and the demo tickets
/// it printed (none on a restart: the demo data is there already).
fn start(url: &str) -> (Child, String, Vec<(String, String)>) {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let mut child = Command::new(env!("CARGO_BIN_EXE_server"))
        .arg("--demo")
        .env("DATABASE_URL", url)
        .env("EXAM_ADDR", format!("127.0.0.1:{port}"))
        .env("EXAM_ADMIN_PASSWORD", ADMIN_PASSWORD)
        .env("RUST_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("start the server binary");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = mpsc::channel();
    // Reads the start-up lines, then keeps draining so the pipe never fills.
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            let _ = tx.send(line);
        }
    });
    let mut tickets = Vec::new();
    loop {
        let line = rx
            .recv_timeout(std::time::Duration::from_secs(120))
            .expect("the server starts within two minutes");
        if let Some(rest) = line.trim().strip_prefix("ticket ") {
            let (ticket, code) = rest.split_once("access code").expect("a ticket line");
            tickets.push((ticket.trim().to_owned(), code.trim().to_owned()));
        }
        if line.starts_with("Serving on") {
            break;
        }
    }
    (child, format!("http://127.0.0.1:{port}"), tickets)
}

#[tokio::test]
async fn after_a_kill_9_every_acknowledged_answer_is_there_and_the_candidates_resume() {
    let db = TestDb::new().await;
    let (mut server, base, tickets) = start(&db.url);
    assert!(tickets.len() >= 5, "the demo exam printed its tickets");
    let mut candidates = Vec::new();
    for (ticket, code) in tickets.iter().take(5) {
        let c = Client::new(&base);
        let (status, body) = c
            .call(
                "exam/login",
                json!({ "ticket_no": ticket, "access_code": code }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let _: Value = c.ok("exam/start", json!({})).await;
        candidates.push(c);
    }
    // Each candidate saves ten answers; every save is acknowledged before the next.
    for (i, c) in candidates.iter().enumerate() {
        for item in 1..=10u32 {
            let pos = u8::try_from((item as usize + i) % 2).expect("small");
            let (status, body) = c
                .call(
                    "exam/save",
                    json!({ "answers": [{ "item": item, "seq": item, "response": { "choices": [pos] } }], "events": [] }),
                )
                .await;
            assert_eq!(status, StatusCode::OK, "{body}");
        }
    }
    server.kill().expect("SIGKILL");
    server.wait().expect("reaped");

    let (mut server, base, _) = start(&db.url);
    for (i, c) in candidates.iter_mut().enumerate() {
        c.base = base.clone();
        let sitting: Value = c.ok("exam/sitting", json!({})).await;
        let attempt = &sitting["attempt"];
        assert_eq!(attempt["status"], "in_progress", "{sitting}");
        let answers = attempt["answers"].as_array().expect("answers");
        assert_eq!(answers.len(), 10, "candidate {i}: {sitting}");
        for a in answers {
            let item = a["item"].as_u64().expect("item") as usize;
            assert_eq!(a["response"]["choices"][0], (item + i) % 2, "{a}");
            assert_eq!(a["seq"], item as u64);
        }
        assert_eq!(attempt["last_seq"], 10);
        // And carries on.
        let (status, body) = c
            .call(
                "exam/save",
                json!({ "answers": [{ "item": 11, "seq": 11, "response": { "choices": [0] } }], "events": [] }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    server.kill().expect("stop");
    server.wait().expect("reaped");
}
