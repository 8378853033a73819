//! Stored values that must parse and do not: the request fails with a logged error, never a
//! default (a meeting is never decided under a quorum it was not convened with).

use app::roles::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    procedure::{meeting_with, submitted_plan},
    support::{DEMO_PASSWORD, ServerFnLog, TestApp},
};

#[tokio::test]
async fn a_meeting_whose_stored_quorum_does_not_parse_is_not_decided() {
    let (log, _guard) = ServerFnLog::install();
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let plan = submitted_plan(&officer, 1, 1971).await;
    let (admin, meeting, _) = meeting_with(&app, &[plan]).await;
    app.sql(&format!(
        "UPDATE meeting SET quorum_den = 0 WHERE id = {meeting}"
    ))
    .await;
    log.take();
    let (status, answer) = admin
        .call(
            "meetings/close",
            json!({ "meeting_id": meeting, "minutes": "纪要。" }),
        )
        .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{answer}");
    assert_eq!(answer, json!("Internal"), "no detail reaches the user");
    let (_, errors) = log.take();
    assert!(
        errors.iter().any(|e| e.contains("meeting quorum")),
        "logged: {errors:?}"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM meeting WHERE id = {meeting} AND status = 'open'"
        ))
        .await,
        1,
        "the meeting is not closed under a default quorum"
    );
}

#[tokio::test]
async fn a_stored_meeting_or_plan_status_that_does_not_parse_fails_with_a_logged_error() {
    let (log, _guard) = ServerFnLog::install();
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let plan = submitted_plan(&officer, 1, 1972).await;
    let (_, meeting, items) = meeting_with(&app, &[plan]).await;
    drop_check(&app, "meeting", "status").await;
    app.sql(&format!(
        "UPDATE meeting SET status = 'adjourned' WHERE id = {meeting}"
    ))
    .await;
    let member = app.signed_in("committee1", DEMO_PASSWORD).await;
    log.take();
    let (status, answer) = member
        .call(
            "meetings/vote",
            json!({ "item_id": items[0], "choice": "approve", "comment": "" }),
        )
        .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{answer}");
    let (_, errors) = log.take();
    assert!(
        errors.iter().any(|e| e.contains("meeting status")),
        "logged: {errors:?}"
    );
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM vote WHERE item_id = {}",
            items[0]
        ))
        .await,
        0,
        "no vote stored"
    );
    // Reading it is no different: the meeting is neither shown open nor closed.
    for (endpoint, body) in [
        ("meetings/get", json!({ "id": meeting })),
        ("meetings/list", json!({})),
    ] {
        log.take();
        let (status, answer) = member.call(endpoint, body).await;
        assert_eq!(
            status,
            StatusCode::INTERNAL_SERVER_ERROR,
            "{endpoint}: {answer}"
        );
        let (_, errors) = log.take();
        assert!(
            errors.iter().any(|e| e.contains("meeting status")),
            "{endpoint} logged: {errors:?}"
        );
    }

    drop_check(&app, "plan", "status").await;
    app.sql(&format!(
        "UPDATE plan SET status = 'lost' WHERE id = {plan}"
    ))
    .await;
    log.take();
    let (status, answer) = officer.call("plans/get", json!({ "id": plan })).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR, "{answer}");
    let (_, errors) = log.take();
    assert!(
        errors.iter().any(|e| e.contains("lost")),
        "logged: {errors:?}"
    );
}

/// Removes the schema's guard on a state column (migration 9), as a database written by hand
/// or by an older build might lack it.
async fn drop_check(app: &TestApp, table: &str, column: &str) {
    if app.url.starts_with("postgres") {
        app.sql(&format!(
            "ALTER TABLE {table} DROP CONSTRAINT ck_{table}_{column}"
        ))
        .await;
    } else {
        for when in ["insert", "update"] {
            app.sql(&format!("DROP TRIGGER ck_{table}_{column}_{when}"))
                .await;
        }
    }
}

#[tokio::test]
async fn the_schema_refuses_a_state_outside_its_enum() {
    use sea_orm::ConnectionTrait;
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let plan = submitted_plan(&officer, 1, 1973).await;
    let (admin, meeting, items) = meeting_with(&app, &[plan]).await;
    let member = app.signed_in("committee1", DEMO_PASSWORD).await;
    let () = member
        .ok(
            "meetings/vote",
            json!({ "item_id": items[0], "choice": "approve", "comment": "" }),
        )
        .await;
    let batch: i64 = admin
        .ok(
            "batches/create",
            json!({ "name": "2026 年第 9 批", "exam_kind": "general", "field": "" }),
        )
        .await;
    for sql in [
        format!("UPDATE plan SET status = 'lost' WHERE id = {plan}"),
        format!("UPDATE plan SET exam_kind = 'oral' WHERE id = {plan}"),
        format!("UPDATE plan_event SET status = 'lost' WHERE plan_id = {plan}"),
        format!("UPDATE meeting SET status = 'adjourned' WHERE id = {meeting}"),
        format!(
            "UPDATE meeting_item SET resolution = 'maybe' WHERE id = {}",
            items[0]
        ),
        format!(
            "UPDATE vote SET choice = 'yes' WHERE item_id = {}",
            items[0]
        ),
        format!("UPDATE batch SET status = 'lost' WHERE id = {batch}"),
        format!("UPDATE batch SET exam_kind = 'oral' WHERE id = {batch}"),
        "UPDATE question SET status = 'lost'".to_owned(),
        "UPDATE question SET question_type = 'essay'".to_owned(),
        "UPDATE question SET exam_kind = 'oral'".to_owned(),
    ] {
        let refused = app.state.db.execute_unprepared(&sql).await;
        let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.contains("ck_") || message.contains("CHECK constraint failed"),
            "{sql}: {message:?}"
        );
    }
    // Calendar days are dates: PostgreSQL's date type or SQLite's triggers refuse a day that
    // does not exist and text that is not a day.
    for sql in [
        format!("UPDATE plan SET period_from = '2026-13-01' WHERE id = {plan}"),
        format!("UPDATE plan SET period_to = '2026-02-30' WHERE id = {plan}"),
        format!("UPDATE meeting SET held_on = 'next week' WHERE id = {meeting}"),
    ] {
        let refused = app.state.db.execute_unprepared(&sql).await;
        let message = refused.err().map(|e| e.to_string()).unwrap_or_default();
        assert!(
            message.contains("CHECK constraint failed")
                || message.contains("date/time field value out of range")
                || message.contains("invalid input syntax for type date"),
            "{sql}: {message:?}"
        );
    }
    app.sql(&format!(
        "UPDATE plan SET period_to = '2027-01-31' WHERE id = {plan}"
    ))
    .await;
    let detail: Value = officer.ok("plans/get", json!({ "id": plan })).await;
    assert_eq!(detail["summary"]["period_to"], "2027-01-31");
    // What the enums store is still admitted (a resolution may also be absent).
    app.sql(&format!(
        "UPDATE meeting_item SET resolution = NULL WHERE id = {}",
        items[0]
    ))
    .await;
    app.sql(&format!(
        "UPDATE plan SET status = 'in_review' WHERE id = {plan}"
    ))
    .await;
}
