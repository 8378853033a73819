//! Proctoring over HTTP: a proctor reaches only the rooms assigned to them; every action needs
//! its reason (named in the refusal) and writes one audit entry; an extension moves the
//! deadline the server enforces; a room-wide grant changes that room's running attempts and no
//! other; force-submit and void are final and visible to the office; unlock ends the first
//! sign-in; check-in gates the start when the session asks for it; the room record is stored
//! and locked once submitted.

use app::roles::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    batches::{approve, batch_with_rooms},
    papers::schedule_and_assemble,
    procedure::submitted_plan,
    sitting::started,
    support::{Client, TestApp},
};

/// An exam whose session started a minute ago, with rooms of the given sizes.
struct Exam {
    admin: Client,
    session: i64,
    /// Per room: its id and its (ticket number, access code)s.
    rooms: Vec<(i64, Vec<(String, String)>)>,
}

async fn exam_in_rooms(app: &TestApp, sizes: &[i32]) -> Exam {
    use app::ssr::entities::ticket;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
    let officer = app.as_role(Role::AgencyOfficer).await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let total: i32 = sizes.iter().sum();
    let plan = submitted_plan(&officer, u32::try_from(total).expect("size"), 1986).await;
    approve(app, &[plan]).await;
    let batch = batch_with_rooms(&admin, &[plan], sizes).await;
    schedule_and_assemble(&admin, batch).await;
    let printed: Vec<Value> = admin
        .ok("batches/tickets/print", json!({ "batch_id": batch }))
        .await;
    app.start_sessions(batch, 1).await;
    let tickets = ticket::Entity::find()
        .filter(ticket::Column::BatchId.eq(batch))
        .order_by_asc(ticket::Column::RoomId)
        .order_by_asc(ticket::Column::Seat)
        .all(&app.state.db)
        .await
        .expect("tickets");
    let session = tickets[0].session_id;
    let code = |no: &str| -> String {
        printed
            .iter()
            .find(|t| {
                app::procedure::TicketNumber::parse(t["ticket_no"].as_str().unwrap_or(""))
                    .map(|n| n.as_string())
                    .ok()
                    .as_deref()
                    == Some(no)
            })
            .and_then(|t| t["access_code"].as_str())
            .expect("printed code")
            .to_owned()
    };
    let mut rooms: Vec<(i64, Vec<(String, String)>)> = Vec::new();
    for t in &tickets {
        let entry = (t.ticket_no.clone(), code(&t.ticket_no));
        match rooms.last_mut() {
            Some((room, list)) if *room == t.room_id => list.push(entry),
            _ => rooms.push((t.room_id, vec![entry])),
        }
    }
    Exam {
        admin,
        session,
        rooms,
    }
}

/// A second proctor account, signed in.
async fn second_proctor(app: &TestApp, admin: &Client) -> (Client, i64) {
    let created: Value = admin
        .ok(
            "admin/accounts/create",
            json!({ "input": {
            "username": "proctor.b", "display_name": "钱明", "role": "proctor",
            "agency_id": null, "password": "" } }),
        )
        .await;
    let password = created["password"].as_str().expect("password").to_owned();
    let id = created["id"].as_i64().expect("id");
    (app.signed_in("proctor.b", &password).await, id)
}

/// The demo proctor's account id.
async fn demo_proctor_id(app: &TestApp) -> i64 {
    app.count("SELECT id FROM account WHERE username = 'proctor'")
        .await
}

async fn assign(admin: &Client, session: i64, room: i64, proctors: &[i64]) {
    let () = admin
        .ok(
            "proctor/assign",
            json!({ "session_id": session, "room_id": room, "account_ids": proctors }),
        )
        .await;
}

/// Audit entries of `action`.
async fn audited(app: &TestApp, action: &str) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) AS n FROM audit_log WHERE action = '{action}'"
    ))
    .await
}

/// The attempt row of a ticket: (status, deadline as stored, extra seconds).
async fn attempt_of(app: &TestApp, ticket_no: &str) -> app::ssr::entities::attempt::Model {
    use app::ssr::entities::{attempt, ticket};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let t = ticket::Entity::find()
        .filter(ticket::Column::TicketNo.eq(ticket_no))
        .one(&app.state.db)
        .await
        .expect("query")
        .expect("ticket");
    attempt::Entity::find()
        .filter(attempt::Column::TicketId.eq(t.id))
        .one(&app.state.db)
        .await
        .expect("query")
        .expect("attempt")
}

/// Moves one attempt's deadline to `secs` seconds from now.
async fn set_deadline(app: &TestApp, ticket_no: &str, secs: i64) {
    use app::ssr::entities::attempt;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let a = attempt_of(app, ticket_no).await;
    attempt::Entity::update_many()
        .col_expr(
            attempt::Column::Deadline,
            Expr::value(chrono::Utc::now() + chrono::Duration::seconds(secs)),
        )
        .filter(attempt::Column::Id.eq(a.id))
        .exec(&app.state.db)
        .await
        .expect("move the deadline");
}

async fn save_one(c: &Client, item: u32, seq: i64) -> (StatusCode, Value) {
    c.call(
        "exam/save",
        json!({ "answers": [{ "item": item, "seq": seq, "response": { "choices": [1] } }], "events": [] }),
    )
    .await
}

#[tokio::test]
async fn a_proctor_reaches_only_the_rooms_assigned_to_them() {
    let app = TestApp::spawn().await;
    let exam = exam_in_rooms(&app, &[2, 2]).await;
    let (room_a, tickets_a) = &exam.rooms[0];
    let (room_b, tickets_b) = &exam.rooms[1];
    let (proctor_b, b_id) = second_proctor(&app, &exam.admin).await;
    assign(
        &exam.admin,
        exam.session,
        *room_a,
        &[demo_proctor_id(&app).await],
    )
    .await;
    assign(&exam.admin, exam.session, *room_b, &[b_id]).await;
    let proctor_a = app.as_role(Role::Proctor).await;

    let mine: Value = proctor_a.ok("proctor/rooms", json!({})).await;
    let rooms = mine["rooms"].as_array().expect("rooms");
    assert_eq!(rooms.len(), 1, "{mine}");
    assert_eq!(rooms[0]["room_id"], *room_a);
    assert_eq!(rooms[0]["proctors"], json!(["孙磊"]));
    assert_eq!(mine["can_assign"], false);
    assert_eq!(mine["assignable"], json!([]));

    let console: Value = proctor_a
        .ok(
            "proctor/console",
            json!({ "session_id": exam.session, "room_id": room_a }),
        )
        .await;
    assert_eq!(console["rows"].as_array().map(Vec::len), Some(2));
    assert!(
        console["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .all(|r| r["state"] == "expected"),
        "{console}"
    );

    // Room B, its tickets and its record do not exist for proctor A: 404, and nothing written.
    let other = &tickets_b[0].0;
    let before = app.count("SELECT COUNT(*) AS n FROM audit_log").await;
    for (endpoint, body) in [
        (
            "proctor/console",
            json!({ "session_id": exam.session, "room_id": room_b }),
        ),
        (
            "proctor/record",
            json!({ "session_id": exam.session, "room_id": room_b }),
        ),
        (
            "proctor/grant-room",
            json!({ "session_id": exam.session, "room_id": room_b, "minutes": 5, "reason": "停电" }),
        ),
        (
            "proctor/record/save",
            json!({ "session_id": exam.session, "room_id": room_b, "present": 2, "absent": 0, "incidents": "", "signatures": "孙磊", "submit": false }),
        ),
        ("proctor/timeline", json!({ "ticket_no": other })),
        (
            "proctor/check-in",
            json!({ "ticket_no": other, "present": true }),
        ),
        (
            "proctor/extend",
            json!({ "ticket_no": other, "minutes": 5, "reason": "设备故障" }),
        ),
        (
            "proctor/force-submit",
            json!({ "ticket_no": other, "reason": "x" }),
        ),
        (
            "proctor/misconduct",
            json!({ "ticket_no": other, "category": "other", "description": "x", "void": false }),
        ),
        ("exam/unlock", json!({ "ticket_no": other, "reason": "x" })),
    ] {
        let (status, body) = proctor_a.call(endpoint, body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{endpoint}: {body}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log").await,
        before
    );
    // Proctor B reaches room B, and not A.
    let (status, _) = proctor_b
        .call(
            "proctor/console",
            json!({ "session_id": exam.session, "room_id": room_b }),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = proctor_b
        .call("proctor/timeline", json!({ "ticket_no": tickets_a[0].0 }))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // The office reaches both, and may assign.
    let all: Value = exam.admin.ok("proctor/rooms", json!({})).await;
    assert_eq!(all["rooms"].as_array().map(Vec::len), Some(2), "{all}");
    assert_eq!(all["can_assign"], true);
    assert!(
        all["assignable"]
            .as_array()
            .expect("proctors")
            .iter()
            .any(|p| p["username"] == "proctor.b")
    );
    // Only active proctor accounts can be assigned.
    let (status, err) = exam
        .admin
        .err(
            "proctor/assign",
            json!({ "session_id": exam.session, "room_id": room_a, "account_ids": [1] }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err.field(), Some("account_ids"));
}

#[tokio::test]
async fn every_action_needs_its_reason_and_writes_one_audit_entry() {
    let app = TestApp::spawn().await;
    let exam = exam_in_rooms(&app, &[3]).await;
    let (room, tickets) = &exam.rooms[0];
    assign(
        &exam.admin,
        exam.session,
        *room,
        &[demo_proctor_id(&app).await],
    )
    .await;
    let proctor = app.as_role(Role::Proctor).await;
    let _a = started(&app, &tickets[0]).await;
    let _b = started(&app, &tickets[1]).await;
    let t0 = &tickets[0].0;
    let t1 = &tickets[1].0;

    let refusals = [
        (
            "proctor/extend",
            json!({ "ticket_no": t0, "minutes": 10, "reason": "  " }),
            "reason",
        ),
        (
            "proctor/extend",
            json!({ "ticket_no": t0, "minutes": 0, "reason": "设备故障" }),
            "minutes",
        ),
        (
            "proctor/grant-room",
            json!({ "session_id": exam.session, "room_id": room, "minutes": 5, "reason": "" }),
            "reason",
        ),
        (
            "proctor/force-submit",
            json!({ "ticket_no": t0, "reason": "" }),
            "reason",
        ),
        (
            "exam/unlock",
            json!({ "ticket_no": t0, "reason": "" }),
            "reason",
        ),
        (
            "proctor/misconduct",
            json!({ "ticket_no": t0, "category": "cheating", "description": "夹带", "void": false }),
            "category",
        ),
        (
            "proctor/misconduct",
            json!({ "ticket_no": t0, "category": "unauthorized_material", "description": " ", "void": true }),
            "description",
        ),
    ];
    let before = app.count("SELECT COUNT(*) AS n FROM audit_log").await;
    for (endpoint, body, field) in refusals {
        let (status, err) = proctor.err(endpoint, body).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{endpoint}");
        assert_eq!(err.field(), Some(field), "{endpoint}: {err:?}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log").await,
        before,
        "a refused action writes nothing"
    );

    let actions: [(&str, Value, &str); 6] = [
        (
            "proctor/check-in",
            json!({ "ticket_no": tickets[2].0, "present": false }),
            "proctor.mark_absent",
        ),
        (
            "proctor/extend",
            json!({ "ticket_no": t0, "minutes": 10, "reason": "电脑死机重启" }),
            "proctor.extend",
        ),
        (
            "proctor/grant-room",
            json!({ "session_id": exam.session, "room_id": room, "minutes": 5, "reason": "停电 5 分钟" }),
            "proctor.grant_room",
        ),
        (
            "exam/unlock",
            json!({ "ticket_no": t1, "reason": "考生更换电脑" }),
            "exam.unlock",
        ),
        (
            "proctor/misconduct",
            json!({ "ticket_no": t1, "category": "communication", "description": "与邻座交谈,已警告", "void": false }),
            "proctor.misconduct",
        ),
        (
            "proctor/force-submit",
            json!({ "ticket_no": t0, "reason": "考生身体不适,提前离场" }),
            "proctor.force_submit",
        ),
    ];
    for (endpoint, body, action) in actions {
        let (status, body) = proctor.call(endpoint, body).await;
        assert_eq!(status, StatusCode::OK, "{endpoint}: {body}");
        assert_eq!(audited(&app, action).await, 1, "{action}");
    }
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM audit_log").await,
        before + 6
    );
    // The extension, the grant and the collection are on the candidate's timeline with
    // their reasons.
    let timeline: Value = proctor
        .ok("proctor/timeline", json!({ "ticket_no": t0 }))
        .await;
    let entries = timeline["entries"].as_array().expect("entries");
    let details: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["detail"].as_str())
        .collect();
    assert!(
        details.iter().any(|d| d.contains("电脑死机重启")),
        "{timeline}"
    );
    assert!(
        details.iter().any(|d| d.contains("停电 5 分钟")),
        "{timeline}"
    );
    assert!(
        entries
            .iter()
            .any(|e| e["kind"] == json!({ "attempt": "force_submitted" })),
        "{timeline}"
    );
    assert_eq!(timeline["state"], "force_submitted");
    // The sign-in on the ticket is there too, with the address it came from.
    assert!(
        entries.iter().any(|e| e["kind"] == "signed_in"
            && e["detail"]
                .as_str()
                .unwrap_or_default()
                .contains("127.0.0.1")),
        "{timeline}"
    );
    let a = attempt_of(&app, t0).await;
    assert_eq!(a.extra_seconds, 15 * 60);
}

#[tokio::test]
async fn an_extension_moves_the_deadline_the_server_enforces() {
    // The sweeper stays out of the way: the test moves the deadline by hand.
    let app = TestApp::spawn_with(|a| a.sweep_every_seconds = 3600).await;
    let exam = exam_in_rooms(&app, &[1]).await;
    let (room, tickets) = &exam.rooms[0];
    assign(
        &exam.admin,
        exam.session,
        *room,
        &[demo_proctor_id(&app).await],
    )
    .await;
    let proctor = app.as_role(Role::Proctor).await;
    let c = started(&app, &tickets[0]).await;
    let t = &tickets[0].0;

    // The session's deadline passed a minute ago (well beyond the 10 s grace): refused.
    set_deadline(&app, t, -60).await;
    let (status, _) = save_one(&c, 1, 1).await;
    assert_eq!(status, StatusCode::CONFLICT);
    // Ten more minutes: the same save is now taken, and its acknowledgement carries the new
    // deadline.
    let () = proctor
        .ok(
            "proctor/extend",
            json!({ "ticket_no": t, "minutes": 10, "reason": "停电后重启电脑" }),
        )
        .await;
    let a = attempt_of(&app, t).await;
    let left = (a.deadline - chrono::Utc::now()).num_seconds();
    assert!((530..=540).contains(&left), "{left} s left");
    let (status, ack) = save_one(&c, 1, 2).await;
    assert_eq!(status, StatusCode::OK, "{ack}");
    let acked: chrono::DateTime<chrono::Utc> =
        serde_json::from_value(ack["deadline"].clone()).expect("deadline");
    assert_eq!(acked, a.deadline);
    // And once the new deadline has passed too: refused again.
    set_deadline(&app, t, -60).await;
    let (status, _) = save_one(&c, 2, 3).await;
    assert_eq!(status, StatusCode::CONFLICT);
    // An extension needs a running attempt.
    let () = proctor
        .ok(
            "proctor/force-submit",
            json!({ "ticket_no": t, "reason": "到时收卷" }),
        )
        .await;
    let (status, err) = proctor
        .err(
            "proctor/extend",
            json!({ "ticket_no": t, "minutes": 5, "reason": "x" }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("attempt"));
}

#[tokio::test]
async fn a_room_wide_grant_changes_every_running_attempt_of_that_room_and_no_other() {
    let app = TestApp::spawn().await;
    let exam = exam_in_rooms(&app, &[3, 2]).await;
    let (room_a, tickets_a) = &exam.rooms[0];
    let (_, tickets_b) = &exam.rooms[1];
    let mut clients = Vec::new();
    for t in tickets_a.iter().chain(tickets_b) {
        clients.push(started(&app, t).await);
    }
    // One of room A has already handed in.
    let (status, _) = clients[2].call("exam/submit", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let before: Vec<_> = {
        let mut v = Vec::new();
        for t in tickets_a.iter().chain(tickets_b) {
            v.push(attempt_of(&app, &t.0).await.deadline);
        }
        v
    };
    let changed: u32 = exam
        .admin
        .ok(
            "proctor/grant-room",
            json!({ "session_id": exam.session, "room_id": room_a, "minutes": 7, "reason": "第 1 考场停电 7 分钟" }),
        )
        .await;
    assert_eq!(changed, 2);
    let minutes: Vec<i64> = {
        let mut v = Vec::new();
        for (t, old) in tickets_a.iter().chain(tickets_b).zip(&before) {
            v.push((attempt_of(&app, &t.0).await.deadline - *old).num_minutes());
        }
        v
    };
    assert_eq!(minutes, vec![7, 7, 0, 0, 0]);
    let detail: Value = exam
        .admin
        .ok("proctor/timeline", json!({ "ticket_no": tickets_a[0].0 }))
        .await;
    assert!(
        detail.to_string().contains("第 1 考场停电 7 分钟"),
        "{detail}"
    );
}

#[tokio::test]
async fn force_submit_and_void_are_final_and_the_office_sees_them() {
    let app = TestApp::spawn().await;
    let exam = exam_in_rooms(&app, &[3]).await;
    let (room, tickets) = &exam.rooms[0];
    assign(
        &exam.admin,
        exam.session,
        *room,
        &[demo_proctor_id(&app).await],
    )
    .await;
    let proctor = app.as_role(Role::Proctor).await;
    let a = started(&app, &tickets[0]).await;
    let b = started(&app, &tickets[1]).await;
    let (status, _) = save_one(&a, 1, 1).await;
    assert_eq!(status, StatusCode::OK);

    let () = proctor
        .ok(
            "proctor/force-submit",
            json!({ "ticket_no": tickets[0].0, "reason": "考生突发疾病" }),
        )
        .await;
    let collected = attempt_of(&app, &tickets[0].0).await;
    assert_eq!(collected.status, "force_submitted");
    assert_eq!(collected.answered, Some(1));
    assert!(collected.receipt_hash.is_some());
    // The candidate's page is told; the answers cannot change.
    let (status, err) = a
        .err(
            "exam/save",
            json!({ "answers": [{ "item": 2, "seq": 2, "response": { "choices": [0] } }], "events": [] }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("attempt"));
    // Final for the proctor: collecting again is refused.
    let (status, _) = proctor
        .call(
            "proctor/force-submit",
            json!({ "ticket_no": tickets[0].0, "reason": "再次" }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    // Misconduct with voiding: a running attempt and a collected one can both be voided.
    let () = proctor
        .ok(
            "proctor/misconduct",
            json!({ "ticket_no": tickets[1].0, "category": "unauthorized_material", "description": "使用手机查阅资料,已收缴手机", "void": true }),
        )
        .await;
    assert_eq!(attempt_of(&app, &tickets[1].0).await.status, "voided");
    let (status, _) = b
        .call("exam/save", json!({ "answers": [], "events": [] }))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let sitting: Value = b.ok("exam/sitting", json!({})).await;
    assert_eq!(sitting["attempt"]["status"], "voided");
    let (status, err) = proctor
        .err(
            "proctor/misconduct",
            json!({ "ticket_no": tickets[1].0, "category": "other", "description": "again", "void": true }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("attempt"));
    // Nothing to void before the start.
    let (status, err) = proctor
        .err(
            "proctor/misconduct",
            json!({ "ticket_no": tickets[2].0, "category": "impersonation", "description": "证件与本人不符", "void": true }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("void"));

    // The office sees both in the console and on the timelines.
    let console: Value = exam
        .admin
        .ok(
            "proctor/console",
            json!({ "session_id": exam.session, "room_id": room }),
        )
        .await;
    let states: Vec<&str> = console["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["state"].as_str().unwrap_or(""))
        .collect();
    assert!(states.contains(&"force_submitted"), "{console}");
    assert!(states.contains(&"voided"), "{console}");
    let voided: Value = exam
        .admin
        .ok("proctor/timeline", json!({ "ticket_no": tickets[1].0 }))
        .await;
    assert!(
        voided["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["kind"] == json!({ "misconduct": "unauthorized_material" })),
        "{voided}"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) AS n FROM misconduct WHERE voided = TRUE")
            .await,
        1
    );
}

#[tokio::test]
async fn a_proctors_unlock_ends_the_first_sign_in() {
    let app = TestApp::spawn().await;
    let exam = exam_in_rooms(&app, &[1]).await;
    let (room, tickets) = &exam.rooms[0];
    assign(
        &exam.admin,
        exam.session,
        *room,
        &[demo_proctor_id(&app).await],
    )
    .await;
    let proctor = app.as_role(Role::Proctor).await;
    let first = started(&app, &tickets[0]).await;
    let login = json!({ "ticket_no": tickets[0].0, "access_code": tickets[0].1 });
    let second = app.anonymous();
    let (status, err) = second.err("exam/login", login.clone()).await;
    assert_eq!(status, StatusCode::CONFLICT, "{err:?}");

    let () = proctor
        .ok(
            "exam/unlock",
            json!({ "ticket_no": tickets[0].0, "reason": "考生电脑故障,换机" }),
        )
        .await;
    let (status, _) = first
        .call("exam/save", json!({ "answers": [], "events": [] }))
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "the first tab is told");
    let (status, body) = second.call("exam/login", login).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, _) = second
        .call("exam/save", json!({ "answers": [], "events": [] }))
        .await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn check_in_gates_the_start_when_the_session_asks_for_it() {
    let app = TestApp::spawn().await;
    let exam = exam_in_rooms(&app, &[2]).await;
    let (room, tickets) = &exam.rooms[0];
    let () = exam
        .admin
        .ok(
            "proctor/require-check-in",
            json!({ "session_id": exam.session, "required": true }),
        )
        .await;
    let c = app.anonymous();
    let (status, body) = c
        .call(
            "exam/login",
            json!({ "ticket_no": tickets[0].0, "access_code": tickets[0].1 }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, err) = c.err("exam/start", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("check_in"));

    // The console shows who is waiting, then the check-in lets the start through.
    let console: Value = exam
        .admin
        .ok(
            "proctor/console",
            json!({ "session_id": exam.session, "room_id": room }),
        )
        .await;
    let row = |c: &Value, t: &str| -> Value {
        c["rows"]
            .as_array()
            .expect("rows")
            .iter()
            .find(|r| r["ticket_no"] == t)
            .cloned()
            .expect("row")
    };
    assert_eq!(row(&console, &tickets[0].0)["state"], "waiting");
    assert_eq!(row(&console, &tickets[1].0)["state"], "expected");
    let () = exam
        .admin
        .ok(
            "proctor/check-in",
            json!({ "ticket_no": tickets[0].0, "present": true }),
        )
        .await;
    let attempt: Value = c.ok("exam/start", json!({})).await;
    assert_eq!(attempt["status"], "in_progress");
    // A candidate who started cannot be marked absent.
    let (status, err) = exam
        .admin
        .err(
            "proctor/check-in",
            json!({ "ticket_no": tickets[0].0, "present": false }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("present"));
    let () = exam
        .admin
        .ok(
            "proctor/check-in",
            json!({ "ticket_no": tickets[1].0, "present": false }),
        )
        .await;
    let console: Value = exam
        .admin
        .ok(
            "proctor/console",
            json!({ "session_id": exam.session, "room_id": room }),
        )
        .await;
    assert_eq!(row(&console, &tickets[0].0)["state"], "in_progress");
    assert_eq!(row(&console, &tickets[1].0)["state"], "absent");
}

#[tokio::test]
async fn the_room_record_is_prefilled_stored_and_locked_once_submitted() {
    let app = TestApp::spawn().await;
    let exam = exam_in_rooms(&app, &[3]).await;
    let (room, tickets) = &exam.rooms[0];
    assign(
        &exam.admin,
        exam.session,
        *room,
        &[demo_proctor_id(&app).await],
    )
    .await;
    let proctor = app.as_role(Role::Proctor).await;
    let c = started(&app, &tickets[0]).await;
    let () = proctor
        .ok(
            "proctor/check-in",
            json!({ "ticket_no": tickets[1].0, "present": true }),
        )
        .await;
    let ids = json!({ "session_id": exam.session, "room_id": room });
    let record: Value = proctor.ok("proctor/record", ids.clone()).await;
    assert_eq!(record["present"], 2, "{record}");
    assert_eq!(record["absent"], 1);
    assert_eq!(record["signatures"], "孙磊");
    assert_eq!(record["submitted_at"], Value::Null);

    let form = |present: i32, absent: i32, signatures: &str, submit: bool| {
        json!({ "session_id": exam.session, "room_id": room, "present": present, "absent": absent,
                "incidents": "9:40 第 3 座考生未到。", "signatures": signatures, "submit": submit })
    };
    let (status, err) = proctor
        .err("proctor/record/save", form(2, 2, "孙磊", false))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err.field(), Some("present"));
    let (status, err) = proctor
        .err("proctor/record/save", form(2, 1, "", true))
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(err.field(), Some("signatures"));
    // Not while a candidate is still answering.
    let (status, err) = proctor
        .err("proctor/record/save", form(2, 1, "孙磊\n钱明", true))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("submit"));
    let () = proctor
        .ok("proctor/record/save", form(2, 1, "孙磊\n钱明", false))
        .await;
    let (status, _) = c.call("exam/submit", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let () = proctor
        .ok("proctor/record/save", form(2, 1, "孙磊\n钱明", true))
        .await;
    let record: Value = proctor.ok("proctor/record", ids).await;
    assert_eq!(record["signatures"], "孙磊\n钱明");
    assert_eq!(record["incidents"], "9:40 第 3 座考生未到。");
    assert!(record["submitted_at"].is_string(), "{record}");
    // Locked: no more changes, and the room takes no more actions.
    let (status, err) = proctor
        .err("proctor/record/save", form(2, 1, "孙磊", false))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("room"));
    let (status, err) = proctor
        .err(
            "proctor/check-in",
            json!({ "ticket_no": tickets[2].0, "present": true }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("room"));
    assert_eq!(audited(&app, "proctor.record_submit").await, 1);
}

#[tokio::test]
async fn simultaneous_extensions_all_count_and_a_collection_racing_a_submission_closes_once() {
    use futures::future::join_all;
    let app = TestApp::spawn().await;
    let exam = exam_in_rooms(&app, &[2]).await;
    let (room, tickets) = &exam.rooms[0];
    assign(
        &exam.admin,
        exam.session,
        *room,
        &[demo_proctor_id(&app).await],
    )
    .await;
    let proctor = app.as_role(Role::Proctor).await;
    let a = started(&app, &tickets[0]).await;
    let b = started(&app, &tickets[1]).await;
    let before = attempt_of(&app, &tickets[0].0).await.deadline;

    // Ten one-minute extensions and ten saves at the same moment: every extension counts.
    let extends = join_all((0..10).map(|i| {
        proctor.call(
            "proctor/extend",
            json!({ "ticket_no": tickets[0].0, "minutes": 1, "reason": format!("第 {i} 次补时") }),
        )
    }));
    let saves = join_all((0..10).map(|i| save_one(&a, i + 1, i64::from(i) + 1)));
    let (extends, saves) = tokio::join!(extends, saves);
    assert!(
        extends.iter().all(|(s, _)| *s == StatusCode::OK),
        "{extends:?}"
    );
    assert!(saves.iter().all(|(s, _)| *s == StatusCode::OK), "{saves:?}");
    let after = attempt_of(&app, &tickets[0].0).await;
    assert_eq!((after.deadline - before).num_minutes(), 10);
    assert_eq!(after.extra_seconds, 600);
    assert_eq!(audited(&app, "proctor.extend").await, 10);

    // The proctor collects while the candidate submits: one of them closes the attempt, once.
    let (collect, submit) = tokio::join!(
        proctor.call(
            "proctor/force-submit",
            json!({ "ticket_no": tickets[1].0, "reason": "到时收卷" }),
        ),
        b.call("exam/submit", json!({})),
    );
    let closed = attempt_of(&app, &tickets[1].0).await;
    match closed.status.as_str() {
        "force_submitted" => {
            assert_eq!(collect.0, StatusCode::OK, "{collect:?}");
            // Submitting a closed attempt answers its receipt, which says who closed it.
            assert_eq!(submit.0, StatusCode::OK, "{submit:?}");
            assert_eq!(submit.1["status"], "force_submitted", "{submit:?}");
        }
        "submitted" => {
            assert_eq!(submit.0, StatusCode::OK, "{submit:?}");
            assert_eq!(collect.0, StatusCode::CONFLICT, "{collect:?}");
        }
        other => panic!("closed as {other}"),
    }
    let closing = app
        .count(&format!(
            "SELECT COUNT(*) AS n FROM attempt_event WHERE attempt_id = {} \
             AND kind IN ('submitted', 'force_submitted', 'auto_submitted')",
            closed.id
        ))
        .await;
    assert_eq!(closing, 1);
}
