//! Stored values that must parse and do not: the request fails with a logged error, never a
//! default (a meeting is never decided under a quorum it was not convened with).

use app::roles::Role;
use reqwest::StatusCode;
use serde_json::json;

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
