//! Races: requests fired at the same moment from separate clients, then assertions on what is
//! stored. Each runs on SQLite and, with `TEST_DATABASE_URL`, on PostgreSQL.

use app::{error::AppError, roles::Role};
use futures::future::join_all;
use reqwest::StatusCode;
use serde_json::{Value, json};
use server::{Application, ServeArgs};

use crate::{
    batches::{approve, batch_with_rooms, schedule_and_print},
    procedure::{candidate, meeting_with, new_plan, submitted_plan},
    support::{ADMIN_PASSWORD, DEMO_PASSWORD, TestApp, TestDb},
};

/// Three members vote while the admin closes the meeting, 20 rounds: every acknowledged vote
/// is in the stored tally, and no vote is stored that was not acknowledged.
#[tokio::test]
async fn votes_racing_the_close_are_either_in_the_minutes_or_refused() {
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let mut members = Vec::new();
    for m in ["committee1", "committee2", "committee3"] {
        members.push(app.signed_in(m, DEMO_PASSWORD).await);
    }
    for round in 0..20u32 {
        let plan = submitted_plan(&officer, 1, 1960 + round).await;
        let (admin, meeting, items) = meeting_with(&app, &[plan]).await;
        let item = items[0];
        let votes = members.iter().map(|c| {
            c.call(
                "meetings/vote",
                json!({ "item_id": item, "choice": "approve", "comment": "" }),
            )
        });
        let close = admin.call(
            "meetings/close",
            json!({ "meeting_id": meeting, "minutes": "并发测试。" }),
        );
        let (answers, closed) = tokio::join!(join_all(votes), close);
        assert_eq!(closed.0, StatusCode::OK, "close: {}", closed.1);
        let mut acknowledged = 0;
        for (status, body) in &answers {
            match *status {
                StatusCode::OK => acknowledged += 1,
                StatusCode::CONFLICT => {
                    assert_eq!(body["Conflict"]["field"], "meeting", "{body}")
                }
                other => panic!("round {round}: a vote answered {other}: {body}"),
            }
        }
        let stored = app
            .count(&format!("SELECT COUNT(*) FROM vote WHERE item_id = {item}"))
            .await;
        assert_eq!(stored, acknowledged, "round {round}: stored votes");
        let tallied = app
            .count(&format!(
                "SELECT COUNT(*) FROM meeting_item WHERE id = {item} \
                 AND tally LIKE '同意 {acknowledged} ·%'"
            ))
            .await;
        assert_eq!(
            tallied, 1,
            "round {round}: the minutes' tally counts the {acknowledged} acknowledged votes"
        );
    }
}

/// A scheduled batch of `n` candidates with printed tickets: (ticket number, access code) of
/// its first ticket.
async fn printed_ticket(app: &TestApp, n: u32) -> (String, String) {
    let officer = app.as_role(Role::AgencyOfficer).await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let plan = submitted_plan(&officer, n, 1977).await;
    approve(app, &[plan]).await;
    let batch = batch_with_rooms(&admin, &[plan], &[n as i32]).await;
    let printed = schedule_and_print(&admin, batch).await;
    app.start_sessions(batch, -10).await;
    (
        printed[0]["ticket_no"].as_str().expect("ticket").to_owned(),
        printed[0]["access_code"].as_str().expect("code").to_owned(),
    )
}

#[tokio::test]
async fn twenty_simultaneous_first_sign_ins_on_one_ticket_leave_one_live_session() {
    let app = TestApp::spawn().await;
    let (ticket_no, code) = printed_ticket(&app, 1).await;
    let clients: Vec<_> = (0..20).map(|_| app.anonymous()).collect();
    let answers = join_all(clients.iter().map(|c| {
        c.call(
            "exam/login",
            json!({ "ticket_no": ticket_no, "access_code": code }),
        )
    }))
    .await;
    // One browser gets in; every other is refused as signed in elsewhere (one live login).
    for (status, body) in &answers {
        assert!(
            !status.is_server_error(),
            "a sign-in answered {status}: {body}"
        );
        assert!(
            *status == StatusCode::OK
                || (*status == StatusCode::CONFLICT && body["Conflict"]["field"] == "ticket_no"),
            "{status}: {body}"
        );
    }
    assert_eq!(
        answers.iter().filter(|(s, _)| *s == StatusCode::OK).count(),
        1,
        "exactly one sign-in accepted"
    );
    assert_eq!(
        app.count("SELECT COUNT(*) FROM account WHERE candidate_id IS NOT NULL")
            .await,
        1,
        "one sign-in account for the candidate"
    );
    assert_eq!(
        app.count(
            "SELECT COUNT(*) FROM session s JOIN account a ON a.id = s.account_id \
             WHERE a.candidate_id IS NOT NULL"
        )
        .await,
        1,
        "exactly one live session"
    );
    let live: Vec<bool> = join_all(clients.iter().map(|c| c.call("exam/ticket", json!({}))))
        .await
        .into_iter()
        .map(|(s, _)| s == StatusCode::OK)
        .collect();
    assert_eq!(live.iter().filter(|ok| **ok).count(), 1, "one tab still in");
}

#[tokio::test]
async fn ten_simultaneous_batch_creations_get_ten_distinct_numbers() {
    let app = TestApp::spawn().await;
    let admins: Vec<_> = join_all((0..10).map(|_| app.as_role(Role::OfficeAdmin))).await;
    let answers = join_all(admins.iter().enumerate().map(|(i, c)| {
        c.call(
            "batches/create",
            json!({ "name": format!("并发批次 {i}"), "exam_kind": "general", "field": "" }),
        )
    }))
    .await;
    for (status, body) in &answers {
        assert_eq!(*status, StatusCode::OK, "{body}");
    }
    assert_eq!(app.count("SELECT COUNT(*) FROM batch").await, 10);
    assert_eq!(
        app.count("SELECT COUNT(DISTINCT seq) FROM batch").await,
        10,
        "ten distinct batch numbers"
    );
    assert_eq!(
        app.count("SELECT CAST(MAX(seq) AS BIGINT) FROM batch")
            .await,
        10
    );
}

#[tokio::test]
async fn one_person_added_to_two_agencies_open_plans_at_once_is_accepted_once() {
    let app = TestApp::spawn().await;
    let scjg = app.as_role(Role::AgencyOfficer).await;
    let sthj = app.signed_in("officer.sthj", DEMO_PASSWORD).await;
    for round in 0..5u32 {
        let a = new_plan(&scjg).await;
        let b = new_plan(&sthj).await;
        let person = candidate("周同", "19880808", 500 + round);
        let (first, second) = tokio::join!(
            scjg.call(
                "plans/candidates/add",
                json!({ "plan_id": a, "candidate": person })
            ),
            sthj.call(
                "plans/candidates/add",
                json!({ "plan_id": b, "candidate": person })
            ),
        );
        assert_eq!(first.0, StatusCode::OK, "{}", first.1);
        assert_eq!(second.0, StatusCode::OK, "{}", second.1);
        let stored = [&first.1, &second.1]
            .iter()
            .filter(|v| v.get("Stored").is_some())
            .count();
        assert_eq!(stored, 1, "round {round}: {} / {}", first.1, second.1);
        let refused = [&first.1, &second.1]
            .into_iter()
            .find_map(|v| v.get("Rejected"))
            .expect("the other is refused");
        assert_eq!(refused["problems"][0]["column"], "身份证号", "{refused}");
        let msg = refused["problems"][0]["message"]["zh"]
            .as_str()
            .unwrap_or_default();
        assert!(msg.contains("另一个未结束的考试计划"), "{msg}");
        let rid = person["resident_id"].as_str().expect("rid");
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) FROM plan_candidate WHERE resident_id = '{rid}'"
            ))
            .await,
            1
        );
    }
}

/// Two server processes start at once on one empty PostgreSQL database: both serve, the
/// migrations ran once, there is one admin and one set of demo data. (Two applications in one
/// test process, each with its own connection pool, as two processes would have.)
#[tokio::test]
async fn two_servers_started_at_once_on_one_empty_database_share_one_set_up() {
    let db = TestDb::new().await;
    if !db.is_postgres() {
        // One SQLite file serves one process; several processes are the PostgreSQL set-up.
        return;
    }
    let args = || {
        let mut a = ServeArgs::for_tests(db.url.clone());
        a.admin_password = Some(ADMIN_PASSWORD.to_owned());
        a.demo = true;
        a
    };
    let (args_a, args_b) = (args(), args());
    let (a, b) = tokio::join!(Application::build(&args_a), Application::build(&args_b));
    let (a, b) = (a.expect("first server"), b.expect("second server"));
    let state = a.state().clone();
    let ports = [a.port(), b.port()];
    tokio::spawn(a.run_until_stopped());
    tokio::spawn(b.run_until_stopped());
    for port in ports {
        let c = reqwest::Client::new();
        let res = c
            .post(format!("http://127.0.0.1:{port}/api/auth/login"))
            .json(&json!({ "username": "admin", "password": ADMIN_PASSWORD }))
            .send()
            .await
            .expect("request");
        assert_eq!(res.status(), StatusCode::OK, "server on {port} serves");
    }
    let count = |sql: &'static str| {
        let db = state.db.clone();
        async move {
            use sea_orm::{ConnectionTrait, Statement};
            db.query_one_raw(Statement::from_string(db.get_database_backend(), sql))
                .await
                .expect(sql)
                .expect("row")
                .try_get_by_index::<i64>(0)
                .expect("number")
        }
    };
    assert_eq!(
        count("SELECT COUNT(*) FROM seaql_migrations").await,
        count("SELECT COUNT(DISTINCT version) FROM seaql_migrations").await,
        "each migration ran once"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM account WHERE username = 'admin'").await,
        1
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM account WHERE username = 'office'").await,
        1,
        "demo data once"
    );
    assert_eq!(
        count("SELECT COUNT(*) FROM audit_log WHERE action = 'system.bootstrap'").await,
        1
    );
}

/// Every unique index of the schema, violated on this engine, becomes a 409 conflict naming
/// its field.
#[tokio::test]
async fn each_unique_index_violation_is_a_conflict_naming_its_field() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn().await;
    let db = &app.state.db;
    // A scheduled batch, so tickets and papers exist to duplicate.
    let (ticket_no, _) = printed_ticket(&app, 2).await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let batch = app.count("SELECT MAX(id) FROM batch").await;
    loop {
        let p: Value = admin
            .ok("papers/assemble", json!({ "batch_id": batch }))
            .await;
        if p["assembled"] == p["total"] {
            break;
        }
    }
    let cases: Vec<(String, &str)> = vec![
        (
            "INSERT INTO agency (name, code, field, active, created_at) \
             SELECT name, 'X1', field, active, created_at FROM agency LIMIT 1"
                .to_owned(),
            "name",
        ),
        (
            "INSERT INTO agency (name, code, field, active, created_at) \
             SELECT 'another name', code, field, active, created_at FROM agency LIMIT 1"
                .to_owned(),
            "code",
        ),
        (
            "INSERT INTO account (username, display_name, role, password_hash, active, \
             must_change_password, created_at, updated_at) SELECT username, display_name, role, \
             password_hash, active, must_change_password, created_at, updated_at FROM account \
             WHERE username = 'admin'"
                .to_owned(),
            "username",
        ),
        (
            "INSERT INTO plan_candidate (plan_id, name, resident_id, sex, post, field, mobile, \
             created_at) SELECT plan_id, name, resident_id, sex, post, field, mobile, created_at \
             FROM plan_candidate LIMIT 1"
                .to_owned(),
            "resident_id",
        ),
        (
            "INSERT INTO meeting_item (meeting_id, plan_id, plan_version, resolution, tally) \
             SELECT meeting_id, plan_id, plan_version, resolution, tally FROM meeting_item LIMIT 1"
                .to_owned(),
            "plan",
        ),
        (
            "INSERT INTO vote (item_id, account_id, choice, comment, at) \
             SELECT item_id, account_id, choice, comment, at FROM vote LIMIT 1"
                .to_owned(),
            "choice",
        ),
        (
            "INSERT INTO batch (name, exam_kind, field, status, year, seq, secret_seed, \
             created_at) SELECT name, exam_kind, field, status, year, seq, secret_seed, \
             created_at FROM batch LIMIT 1"
                .to_owned(),
            "batch",
        ),
        (
            format!("UPDATE ticket SET ticket_no = '{ticket_no}' WHERE ticket_no <> '{ticket_no}'"),
            "ticket_no",
        ),
        (
            "INSERT INTO question_revision (question_id, number, content, author_name, \
             created_at) SELECT question_id, number, content, author_name, created_at \
             FROM question_revision LIMIT 1"
                .to_owned(),
            "revision",
        ),
        (
            "INSERT INTO paper (batch_id, ticket_id, deal_seq, body, created_at) \
             SELECT batch_id, ticket_id, deal_seq + 1000, body, created_at FROM paper LIMIT 1"
                .to_owned(),
            "paper",
        ),
    ];
    for (sql, field) in cases {
        let err = db
            .execute_unprepared(&sql)
            .await
            .expect_err(&format!("{sql} must violate a unique index"));
        let app_err = AppError::from(err);
        assert_eq!(app_err.status(), 409, "{sql}: {app_err:?}");
        assert_eq!(app_err.field(), Some(field), "{sql}: {app_err:?}");
    }
}
