//! Sitting the exam over HTTP: start, autosave with sequence numbers, the deadline and its
//! grace, one live sign-in and its unlock, submission and the receipt, the deadline sweeper
//! (also with two server processes on one database), and what a candidate may reach.

use std::collections::BTreeSet;

use app::roles::Role;
use futures::future::join_all;
use question_bank::Response;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    batches::schedule_and_print,
    papers::{draft_batch, keys, schedule_and_assemble},
    support::{Client, TestApp},
};

/// A batch of `n` candidates with papers, tickets printed and its session started a minute
/// ago: the batch id and each (ticket number, access code).
async fn open_exam(app: &TestApp, n: u32) -> (i64, Vec<(String, String)>) {
    let (admin, batch) = draft_batch(app, n, 1985).await;
    schedule_and_assemble(&admin, batch).await;
    let printed: Vec<Value> = admin
        .ok("batches/tickets/print", json!({ "batch_id": batch }))
        .await;
    app.start_sessions(batch, 1).await;
    let tickets = printed
        .iter()
        .map(|t| {
            (
                t["ticket_no"].as_str().expect("ticket").to_owned(),
                t["access_code"].as_str().expect("code").to_owned(),
            )
        })
        .collect();
    (batch, tickets)
}

/// A candidate signed in on `ticket` who has started.
pub async fn started(app: &TestApp, ticket: &(String, String)) -> Client {
    let c = app.anonymous();
    let (status, body) = c
        .call(
            "exam/login",
            json!({ "ticket_no": ticket.0, "access_code": ticket.1 }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let attempt: Value = c.ok("exam/start", json!({})).await;
    assert_eq!(attempt["status"], "in_progress", "{attempt}");
    c
}

fn choice(pos: u8) -> Value {
    json!({ "choices": [pos] })
}

async fn save(c: &Client, answers: Value) -> (StatusCode, Value) {
    c.call("exam/save", json!({ "answers": answers, "events": [] }))
        .await
}

/// Sends a save that must be refused with `status`, naming `field`.
async fn refused(c: &Client, body: Value, status: StatusCode, field: &str) {
    let (got, err) = c.err("exam/save", body).await;
    assert_eq!(got, status, "{err:?}");
    assert_eq!(err.field(), Some(field), "{err:?}");
}

/// The stored answer of `item` of the only attempt of `ticket`: (response JSON, seq).
async fn stored(app: &TestApp, ticket: &str, item: i32) -> Option<(String, i64)> {
    use app::ssr::entities::{answer, attempt, ticket as t};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let no = app::procedure::TicketNumber::parse(ticket).expect("ticket number");
    let tk = t::Entity::find()
        .filter(t::Column::TicketNo.eq(no.as_string()))
        .one(&app.state.db)
        .await
        .expect("query")
        .expect("ticket");
    let a = attempt::Entity::find()
        .filter(attempt::Column::TicketId.eq(tk.id))
        .one(&app.state.db)
        .await
        .expect("query")
        .expect("attempt");
    answer::Entity::find_by_id((a.id, item))
        .one(&app.state.db)
        .await
        .expect("query")
        .map(|r| (r.response, r.seq))
}

#[tokio::test]
async fn out_of_order_and_repeated_saves_keep_the_newest_answer() {
    let app = TestApp::spawn().await;
    let (_, tickets) = open_exam(&app, 1).await;
    let c = started(&app, &tickets[0]).await;
    let ticket = &tickets[0].0;

    let (status, body) = save(&c, json!([{ "item": 1, "seq": 5, "response": choice(2) }])).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // An older save arriving late is acknowledged (the server has something newer) but
    // changes nothing; the same save twice is harmless.
    let (status, _) = save(&c, json!([{ "item": 1, "seq": 3, "response": choice(0) }])).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = save(&c, json!([{ "item": 1, "seq": 5, "response": choice(2) }])).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        stored(&app, ticket, 1).await,
        Some((r#"{"choices":[2]}"#.to_owned(), 5))
    );

    // Twenty changes of question 2 sent at once, in scrambled order: the newest stays.
    let order = [
        7, 19, 3, 12, 20, 1, 15, 9, 4, 18, 11, 2, 16, 6, 14, 8, 17, 5, 13, 10,
    ];
    let answers = join_all(order.iter().map(|seq| {
        let pos = u8::try_from(*seq % 4).expect("small");
        save(
            &c,
            json!([{ "item": 2, "seq": 100 + seq, "response": choice(pos) }]),
        )
    }))
    .await;
    assert!(
        answers.iter().all(|(s, _)| *s == StatusCode::OK),
        "{answers:?}"
    );
    assert_eq!(
        stored(&app, ticket, 2).await,
        Some((r#"{"choices":[0]}"#.to_owned(), 120))
    );

    // Resuming shows the stored answers and the highest sequence number seen.
    let sitting: Value = c.ok("exam/sitting", json!({})).await;
    assert_eq!(sitting["attempt"]["last_seq"], 120, "{sitting}");
    assert_eq!(
        sitting["attempt"]["answers"]
            .as_array()
            .expect("answers")
            .len(),
        2
    );

    // Bad saves are refused naming the field, and store nothing.
    refused(
        &c,
        json!({ "answers": [{ "item": 999, "seq": 200, "response": choice(0) }], "events": [] }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "answers",
    )
    .await;
    refused(
        &c,
        json!({ "answers": [{ "item": 3, "seq": 201, "response": { "choices": [9] } }], "events": [] }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "answers",
    )
    .await;
    refused(
        &c,
        json!({ "answers": [], "events": [{ "kind": "submitted", "detail": "" }] }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "events",
    )
    .await;
    assert_eq!(stored(&app, ticket, 3).await, None);
}

#[tokio::test]
async fn a_save_after_the_deadline_and_its_grace_is_refused_and_one_within_the_grace_is_kept() {
    let app = TestApp::spawn().await;
    let (_, tickets) = open_exam(&app, 1).await;
    let c = started(&app, &tickets[0]).await;
    // The deadline passed two seconds ago: within the 10 s grace for requests in flight.
    move_deadlines(&app, -2, 1).await;
    let (status, body) = save(&c, json!([{ "item": 1, "seq": 1, "response": choice(1) }])).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Thirty seconds ago: refused, and nothing is stored.
    move_deadlines(&app, -30, 1).await;
    refused(
        &c,
        json!({ "answers": [{ "item": 2, "seq": 2, "response": choice(1) }], "events": [] }),
        StatusCode::CONFLICT,
        "attempt",
    )
    .await;
    assert_eq!(stored(&app, &tickets[0].0, 2).await, None);
    assert_eq!(
        stored(&app, &tickets[0].0, 1).await.map(|(_, seq)| seq),
        Some(1)
    );
    // And the paper is no longer served.
    let (status, _) = c.call("exam/paper", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

/// Moves the deadline of the first `count` attempts (by id) to `secs` seconds from now.
async fn move_deadlines(app: &TestApp, secs: i64, count: u64) {
    use app::ssr::entities::attempt;
    use sea_orm::{
        ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, sea_query::Expr,
    };
    let ids: Vec<i64> = attempt::Entity::find()
        .order_by_asc(attempt::Column::Id)
        .limit(count)
        .all(&app.state.db)
        .await
        .expect("attempts")
        .into_iter()
        .map(|a| a.id)
        .collect();
    attempt::Entity::update_many()
        .col_expr(
            attempt::Column::Deadline,
            Expr::value(chrono::Utc::now() + chrono::Duration::seconds(secs)),
        )
        .filter(attempt::Column::Id.is_in(ids))
        .exec(&app.state.db)
        .await
        .expect("move the deadlines");
}

#[tokio::test]
async fn a_second_sign_in_elsewhere_is_refused_until_unlocked_and_the_unlock_ends_the_first() {
    let app = TestApp::spawn().await;
    let (_, tickets) = open_exam(&app, 1).await;
    let (ticket_no, code) = &tickets[0];
    let first = started(&app, &tickets[0]).await;
    let login = json!({ "ticket_no": ticket_no, "access_code": code });

    // The same browser signing in again (a reload after the cookie was lost is another
    // browser; this one keeps its device cookie) is fine.
    let (status, body) = first.call("exam/login", login.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");

    let second = app.anonymous();
    let (status, err) = second.err("exam/login", login.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("ticket_no"));
    assert!(
        err.message(app::i18n::Locale::zh).contains("监考员"),
        "{err:?}"
    );

    let admin = app.as_role(Role::OfficeAdmin).await;
    let (status, err) = admin
        .err(
            "exam/unlock",
            json!({ "ticket_no": ticket_no, "reason": "  " }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err.field(), Some("reason"));
    // A candidate may not unlock.
    let (status, _) = first
        .call(
            "exam/unlock",
            json!({ "ticket_no": ticket_no, "reason": "换机" }),
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let () = admin
        .ok(
            "exam/unlock",
            json!({ "ticket_no": ticket_no, "reason": "考生电脑故障,换到备用机" }),
        )
        .await;

    // The first tab is told at its next save; the second browser signs in and resumes.
    let (status, _) = save(&first, json!([])).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    let (status, body) = second.call("exam/login", login.clone()).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let resumed: Value = second.ok("exam/start", json!({})).await;
    assert_eq!(resumed["status"], "in_progress");
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'exam.unlock'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attempt_event WHERE kind = 'unlocked'")
            .await,
        1
    );
    // The first browser is now the other one.
    let (status, _) = first.call("exam/login", login).await;
    assert_eq!(status, StatusCode::CONFLICT);
}

#[tokio::test]
async fn submission_is_idempotent_and_its_receipt_code_is_the_hash_of_the_stored_answers() {
    let app = TestApp::spawn().await;
    let (_, tickets) = open_exam(&app, 1).await;
    let c = started(&app, &tickets[0]).await;
    let (status, _) = save(
        &c,
        json!([
            { "item": 1, "seq": 1, "response": choice(0) },
            { "item": 2, "seq": 2, "response": { "choices": [1, 3] } },
            { "item": 3, "seq": 3, "response": { "choices": [] } },
        ]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let receipt: Value = c.ok("exam/submit", json!({})).await;
    assert_eq!(receipt["status"], "submitted");
    assert_eq!(receipt["answered"], 2, "a cleared answer is no answer");
    assert_eq!(receipt["total"], 80);
    let again: Value = c.ok("exam/submit", json!({})).await;
    assert_eq!(again, receipt, "submitting twice gives the same receipt");

    // Recomputed from what is stored, the code matches.
    let attempt_id = app.count("SELECT id FROM attempt").await;
    let answers = vec![
        (1, Response::Choices(vec![0])),
        (2, Response::Choices(vec![1, 3])),
        (3, Response::Choices(vec![])),
    ];
    let hash = app::sitting::ssr::receipt_hash(attempt_id, &answers);
    assert_eq!(
        receipt["code"].as_str(),
        Some(app::sitting::ssr::receipt_code(&hash).as_str())
    );

    // After submission nothing changes.
    refused(
        &c,
        json!({ "answers": [{ "item": 4, "seq": 9, "response": choice(0) }], "events": [] }),
        StatusCode::CONFLICT,
        "attempt",
    )
    .await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attempt_event WHERE kind = 'submitted'")
            .await,
        1
    );
}

#[tokio::test]
async fn the_sweeper_submits_expired_attempts_exactly_once_even_with_two_processes() {
    let app = TestApp::spawn().await;
    let (_, tickets) = open_exam(&app, 3).await;
    let mut clients = Vec::new();
    for t in &tickets {
        clients.push(started(&app, t).await);
    }
    let (status, _) = save(
        &clients[0],
        json!([{ "item": 1, "seq": 1, "response": choice(3) }]),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    // A second process sweeps the same database.
    app.second_process().await;
    // Two attempts ran out of time (their grace too) while their browsers were gone.
    move_deadlines(&app, -11, 2).await;
    let mut closed = 0;
    for _ in 0..50 {
        closed = app
            .count("SELECT COUNT(*) FROM attempt WHERE status = 'auto_submitted'")
            .await;
        if closed == 2 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(closed, 2, "both expired attempts submitted within 5 s");
    // Let both sweepers run a few more times: still once each.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attempt_event WHERE kind = 'auto_submitted'")
            .await,
        2
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attempt WHERE status = 'in_progress'")
            .await,
        1
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM attempt WHERE status = 'auto_submitted' AND receipt_hash IS NOT NULL")
            .await,
        2
    );
    // The candidate whose browser comes back sees the receipt.
    let sitting: Value = clients[0].ok("exam/sitting", json!({})).await;
    assert_eq!(sitting["attempt"]["status"], "auto_submitted", "{sitting}");
    assert_eq!(sitting["attempt"]["receipt"]["answered"], 1);
}

#[tokio::test]
async fn a_candidate_reaches_only_their_own_attempt_and_never_a_key() {
    let app = TestApp::spawn().await;
    let (_, tickets) = open_exam(&app, 2).await;
    let a = started(&app, &tickets[0]).await;
    let b = started(&app, &tickets[1]).await;
    let (status, _) = save(&a, json!([{ "item": 1, "seq": 1, "response": choice(1) }])).await;
    assert_eq!(status, StatusCode::OK);
    // Another candidate's ticket or attempt in the body is no way in.
    let attempt_a = app.count("SELECT MIN(id) FROM attempt").await;
    let (status, _) = b
        .call(
            "exam/save",
            json!({ "answers": [{ "item": 1, "seq": 50, "response": choice(3) }], "events": [], "attempt_id": attempt_a, "ticket_no": tickets[0].0 }),
        )
        .await;
    assert!(
        status == StatusCode::OK || status.is_client_error(),
        "{status}"
    );
    assert_eq!(
        stored(&app, &tickets[0].0, 1).await,
        Some((r#"{"choices":[1]}"#.to_owned(), 1)),
        "A's answer untouched"
    );
    let mine: Value = b.ok("exam/sitting", json!({})).await;
    assert!(mine["ticket"]["name"].is_string(), "{mine}");
    assert_ne!(
        mine["ticket"]["ticket_no"]
            .as_str()
            .map(|s| s.replace(' ', "")),
        Some(tickets[0].0.replace(' ', ""))
    );

    // Every answer a candidate receives, byte for byte: no key, nothing of the bank's.
    let mut bodies = Vec::new();
    for endpoint in ["exam/sitting", "exam/start", "exam/paper", "exam/ticket"] {
        let (status, body) = a.call_raw(endpoint, json!({})).await;
        assert_eq!(status, StatusCode::OK, "{endpoint}: {body}");
        bodies.push(body);
    }
    let (_, body) = a
        .call_raw(
            "exam/save",
            json!({ "answers": [{ "item": 2, "seq": 2, "response": choice(0) }], "events": [] }),
        )
        .await;
    bodies.push(body);
    let (_, body) = a.call_raw("exam/submit", json!({})).await;
    bodies.push(body);
    let page = a.get("/exam").await.text().await.expect("page");
    for body in &bodies {
        let v: Value = serde_json::from_str(body).expect("JSON");
        let mut found = BTreeSet::new();
        keys(&v, &mut found);
        for word in [
            "key",
            "answer_key",
            "correct",
            "explanation",
            "legal_basis",
            "revision_id",
            "question_id",
        ] {
            assert!(!found.contains(word), "{word} in {body}");
        }
        for word in [
            "\"key\"",
            "correct",
            "explanation",
            "legal_basis",
            "revision",
        ] {
            assert!(!body.contains(word), "{word} in {body}");
        }
    }
    for word in ["explanation", "legal_basis", "\"key\""] {
        assert!(!page.contains(word), "{word} in the /exam page");
    }
}

#[tokio::test]
async fn sign_in_opens_thirty_minutes_before_the_start_and_late_entry_ends_it() {
    let app = TestApp::spawn().await;
    let (batch, tickets) = open_exam(&app, 2).await;
    let login = |t: &(String, String)| json!({ "ticket_no": t.0, "access_code": t.1 });
    // An hour before the start: not yet, and the page says when.
    app.start_sessions(batch, -60).await;
    let c = app.anonymous();
    let (status, err) = c.err("exam/login", login(&tickets[0])).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("ticket_no"));
    assert!(
        err.message(app::i18n::Locale::zh).contains("起可以登录"),
        "{err:?}"
    );
    // Twenty minutes before: the waiting room, but no start and no paper yet.
    app.start_sessions(batch, -20).await;
    let (status, body) = c.call("exam/login", login(&tickets[0])).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, err) = c.err("exam/start", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("start"));
    let (status, _) = c.call("exam/paper", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    // Twenty minutes after a start with fifteen minutes of late entry: the one who started
    // may come back; the one who did not is refused.
    app.start_sessions(batch, 1).await;
    let _: Value = c.ok("exam/start", json!({})).await;
    app.start_sessions(batch, 20).await;
    let late = app.anonymous();
    let (status, err) = late.err("exam/login", login(&tickets[1])).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("ticket_no"));
    let (status, body) = c.call("exam/login", login(&tickets[0])).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn no_one_starts_until_every_ticket_of_the_batch_has_its_paper() {
    // One paper per assembly request: the batch is part-way dealt after the first.
    let app = TestApp::spawn_with(|a| a.assembly_chunk = 1).await;
    let (admin, batch) = draft_batch(&app, 3, 1986).await;
    let printed = schedule_and_print(&admin, batch).await;
    app.start_sessions(batch, 1).await;
    let c = app.anonymous();
    let login = json!({
        "ticket_no": printed[0]["ticket_no"],
        "access_code": printed[0]["access_code"],
    });
    let (status, body) = c.call("exam/login", login).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let assemble = || admin.ok::<Value>("papers/assemble", json!({ "batch_id": batch }));
    for dealt in 0..3 {
        let view: Value = c.ok("exam/sitting", json!({})).await;
        assert_eq!(view["papers_ready"], false, "{dealt} of 3 dealt: {view}");
        let (status, err) = c.err("exam/start", json!({})).await;
        assert_eq!(status, StatusCode::CONFLICT, "{dealt} of 3 dealt");
        assert_eq!(err.field(), Some("paper"), "{dealt} of 3 dealt: {err:?}");
        let p = assemble().await;
        assert_eq!(p["assembled"], dealt + 1, "{p}");
    }
    let view: Value = c.ok("exam/sitting", json!({})).await;
    assert_eq!(view["papers_ready"], true, "{view}");
    let attempt: Value = c.ok("exam/start", json!({})).await;
    assert_eq!(attempt["status"], "in_progress", "{attempt}");
}

#[tokio::test]
async fn the_demo_exam_is_open_at_start_and_a_printed_ticket_sits_it() {
    let app = TestApp::spawn_with(|a| a.demo_exam = true).await;
    assert_eq!(app.demo_tickets.len(), 30);
    let c = started(&app, &app.demo_tickets[0]).await;
    let paper: Value = c.ok("exam/paper", json!({})).await;
    let items: usize = paper["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .map(|s| s["items"].as_array().map_or(0, Vec::len))
        .sum();
    assert_eq!(items, 80);
    let (status, _) = save(&c, json!([{ "item": 80, "seq": 1, "response": choice(0) }])).await;
    assert_eq!(status, StatusCode::OK);
    let receipt: Value = c.ok("exam/submit", json!({})).await;
    assert_eq!(receipt["answered"], 1);
    // Every ticket of the demo batch has its own code: the second one signs in too.
    let _ = started(&app, &app.demo_tickets[1]).await;
}

#[tokio::test]
async fn the_load_generator_s_exam_has_the_paper_it_asks_for_and_one_shared_code() {
    let app = TestApp::spawn().await;
    let exam = app::ssr::demo::open_exam_of(&app.state, 3, Some("LQAD-TEST"), [60, 20, 20])
        .await
        .expect("open exam");
    assert_eq!(exam.tickets.len(), 3);
    for ticket in &exam.tickets {
        assert_eq!(ticket.1, "LQAD-TEST");
        let c = started(&app, ticket).await;
        let paper: Value = c.ok("exam/paper", json!({})).await;
        let counts: Vec<usize> = paper["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .map(|s| s["items"].as_array().map_or(0, Vec::len))
            .collect();
        assert_eq!(counts, [60, 20, 20], "{paper}");
    }
}

#[tokio::test]
async fn a_stranger_s_wrong_codes_throttle_the_ticket_until_the_office_unlocks_it() {
    let app = TestApp::spawn().await;
    let (_, tickets) = open_exam(&app, 1).await;
    let (ticket_no, code) = &tickets[0];
    let stranger = app.anonymous();
    for _ in 0..10 {
        let (status, _) = stranger
            .call(
                "exam/login",
                json!({ "ticket_no": ticket_no, "access_code": "AAAA-AAAA" }),
            )
            .await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    }
    let owner = app.anonymous();
    let login = json!({ "ticket_no": ticket_no, "access_code": code });
    let (status, _) = owner.call("exam/login", login.clone()).await;
    assert_eq!(
        status,
        StatusCode::TOO_MANY_REQUESTS,
        "the ticket is throttled"
    );
    let admin = app.as_role(Role::OfficeAdmin).await;
    let () = admin
        .ok(
            "exam/unlock",
            json!({ "ticket_no": ticket_no, "reason": "邻座误输登录码,核实身份后解锁" }),
        )
        .await;
    let (status, body) = owner.call("exam/login", login).await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn a_save_on_an_ended_or_idle_session_is_refused_as_signed_out() {
    // The writer checks a save's session itself (with its whole batch): the rules are those of
    // every other request.
    let app = TestApp::spawn().await;
    let (_, tickets) = open_exam(&app, 2).await;
    let idle = started(&app, &tickets[0]).await;
    let ended = started(&app, &tickets[1]).await;
    let (status, body) = save(
        &idle,
        json!([{ "item": 1, "seq": 1, "response": choice(0) }]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    // Unused for longer than the idle timeout (30 minutes), and past its absolute end.
    app.sql(&format!(
        "UPDATE session SET last_seen_at = '{}' WHERE account_id = (SELECT id FROM account \
         WHERE candidate_id = (SELECT candidate_id FROM ticket WHERE ticket_no = '{}'))",
        (chrono::Utc::now() - chrono::Duration::minutes(31)).to_rfc3339(),
        app::procedure::TicketNumber::parse(&tickets[0].0)
            .expect("ticket")
            .as_string()
    ))
    .await;
    app.sql(&format!(
        "UPDATE session SET expires_at = '{}' WHERE account_id = (SELECT id FROM account \
         WHERE candidate_id = (SELECT candidate_id FROM ticket WHERE ticket_no = '{}'))",
        (chrono::Utc::now() - chrono::Duration::minutes(1)).to_rfc3339(),
        app::procedure::TicketNumber::parse(&tickets[1].0)
            .expect("ticket")
            .as_string()
    ))
    .await;
    for c in [&idle, &ended] {
        let (status, _) = save(c, json!([{ "item": 2, "seq": 2, "response": choice(1) }])).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(stored(&app, &tickets[0].0, 2).await, None);
    assert_eq!(
        stored(&app, &tickets[0].0, 1).await.map(|(_, seq)| seq),
        Some(1)
    );
}
