//! The authorization matrix: every server function × every role (and anonymous).
//!
//! Every feature registers its server functions in [`MATRIX`]. The test fails if a registered
//! server function is missing here, if a call is allowed that should be refused, or if an
//! allowed role is refused. Sample bodies are chosen so that an allowed call changes nothing
//! (invalid input, unknown ids).

use app::roles::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::TestApp;

/// Who may call a server function.
#[derive(Clone, Copy, Debug)]
enum Access {
    /// Everyone, signed in or not.
    Public,
    /// Any signed-in role.
    SignedIn,
    /// Only these roles.
    Roles(&'static [Role]),
}

/// (endpoint, access, sample body). A body `{"GET": query}` is sent as a GET with that
/// query string; `{"MULTIPART": true}` as a multipart upload of a small invalid file.
fn matrix() -> Vec<(&'static str, Access, Value)> {
    use Access::*;
    const ADMIN: &[Role] = &[Role::OfficeAdmin];
    const BANK_READERS: &[Role] = &[Role::QuestionAuthor, Role::OfficeAdmin];
    const AUTHORS: &[Role] = &[Role::QuestionAuthor];
    const OFFICER: &[Role] = &[Role::AgencyOfficer];
    const PLAN_VIEWERS: &[Role] = &[
        Role::AgencyOfficer,
        Role::OfficeAdmin,
        Role::CommitteeMember,
    ];
    const MEETING_READERS: &[Role] = &[Role::OfficeAdmin, Role::CommitteeMember];
    const COMMITTEE: &[Role] = &[Role::CommitteeMember];
    const BATCH_VIEWERS: &[Role] = &[Role::OfficeAdmin, Role::AgencyOfficer, Role::Proctor];
    const TICKET_PRINTERS: &[Role] = &[Role::OfficeAdmin, Role::AgencyOfficer];
    const ROSTER_READERS: &[Role] = &[Role::OfficeAdmin, Role::Proctor];
    const CANDIDATE: &[Role] = &[Role::Candidate];
    const WATCHERS: &[Role] = &[Role::OfficeAdmin, Role::Proctor];
    const RESULT_READERS: &[Role] = &[Role::OfficeAdmin, Role::AgencyOfficer];
    vec![
        ("batches/list", Roles(BATCH_VIEWERS), json!({})),
        (
            "batches/get",
            Roles(BATCH_VIEWERS),
            json!({ "id": 999_999 }),
        ),
        (
            "batches/create",
            Roles(ADMIN),
            json!({ "name": "", "exam_kind": "", "field": "" }),
        ),
        (
            "batches/include-plan",
            Roles(ADMIN),
            json!({ "batch_id": 999_999, "plan_id": 999_999 }),
        ),
        (
            "batches/sessions/add",
            Roles(ADMIN),
            json!({ "batch_id": 999_999, "starts_at": "", "duration_minutes": 0, "late_entry_minutes": 0 }),
        ),
        (
            "batches/rooms/add",
            Roles(ADMIN),
            json!({ "batch_id": 999_999, "venue": "", "name": "", "address": "", "capacity": 0 }),
        ),
        (
            "batches/schedule",
            Roles(ADMIN),
            json!({ "batch_id": 999_999 }),
        ),
        (
            "batches/tickets/print",
            Roles(TICKET_PRINTERS),
            json!({ "batch_id": 999_999 }),
        ),
        (
            "batches/rosters",
            Roles(ROSTER_READERS),
            json!({ "batch_id": 999_999 }),
        ),
        (
            "papers/blueprint",
            Roles(ADMIN),
            json!({ "batch_id": 999_999 }),
        ),
        (
            "papers/blueprint/save",
            Roles(ADMIN),
            json!({ "batch_id": 999_999, "parts": null }),
        ),
        (
            "papers/coverage",
            Roles(ADMIN),
            json!({ "batch_id": 999_999 }),
        ),
        (
            "papers/sample",
            Roles(ADMIN),
            json!({ "batch_id": 999_999 }),
        ),
        (
            "papers/assemble",
            Roles(ADMIN),
            json!({ "batch_id": 999_999 }),
        ),
        (
            "papers/progress",
            Roles(ADMIN),
            json!({ "batch_id": 999_999 }),
        ),
        (
            "papers/appeal",
            Roles(ADMIN),
            json!({ "batch_id": 999_999, "ticket_no": "" }),
        ),
        (
            "exam/login",
            Public,
            json!({ "ticket_no": "", "access_code": "" }),
        ),
        ("exam/ticket", Roles(CANDIDATE), json!({})),
        ("exam/paper", Roles(CANDIDATE), json!({})),
        ("exam/sitting", Roles(CANDIDATE), json!({})),
        ("exam/start", Roles(CANDIDATE), json!({})),
        (
            "exam/save",
            Roles(CANDIDATE),
            json!({ "answers": [], "events": [] }),
        ),
        ("exam/submit", Roles(CANDIDATE), json!({})),
        (
            "exam/unlock",
            Roles(WATCHERS),
            json!({ "ticket_no": "", "reason": "" }),
        ),
        ("proctor/rooms", Roles(WATCHERS), json!({})),
        (
            "proctor/assign",
            Roles(ADMIN),
            json!({ "session_id": 999_999, "room_id": 999_999, "account_ids": [] }),
        ),
        (
            "proctor/require-check-in",
            Roles(ADMIN),
            json!({ "session_id": 999_999, "required": false }),
        ),
        (
            "proctor/console",
            Roles(WATCHERS),
            json!({ "session_id": 999_999, "room_id": 999_999 }),
        ),
        (
            "proctor/check-in",
            Roles(WATCHERS),
            json!({ "ticket_no": "", "present": true }),
        ),
        (
            "proctor/extend",
            Roles(WATCHERS),
            json!({ "ticket_no": "", "minutes": 0, "reason": "" }),
        ),
        (
            "proctor/grant-room",
            Roles(WATCHERS),
            json!({ "session_id": 999_999, "room_id": 999_999, "minutes": 0, "reason": "" }),
        ),
        (
            "proctor/force-submit",
            Roles(WATCHERS),
            json!({ "ticket_no": "", "reason": "" }),
        ),
        (
            "proctor/misconduct",
            Roles(WATCHERS),
            json!({ "ticket_no": "", "category": "", "description": "", "void": false }),
        ),
        (
            "proctor/timeline",
            Roles(WATCHERS),
            json!({ "ticket_no": "" }),
        ),
        (
            "proctor/record",
            Roles(WATCHERS),
            json!({ "session_id": 999_999, "room_id": 999_999 }),
        ),
        (
            "proctor/record/save",
            Roles(WATCHERS),
            json!({ "session_id": 999_999, "room_id": 999_999, "present": 0, "absent": 0, "incidents": "", "signatures": "", "submit": false }),
        ),
        (
            "results/overview",
            Roles(ADMIN),
            json!({ "batch_id": 999_999 }),
        ),
        (
            "results/score",
            Roles(ADMIN),
            json!({ "batch_id": 999_999 }),
        ),
        (
            "results/items",
            Roles(ADMIN),
            json!({ "batch_id": 999_999 }),
        ),
        (
            "results/decide",
            Roles(ADMIN),
            json!({ "batch_id": 999_999, "revision_id": 1, "decision": null, "new_key": null, "reason": "" }),
        ),
        (
            "results/reviews",
            Roles(ADMIN),
            json!({ "batch_id": 999_999 }),
        ),
        (
            "results/review",
            Roles(ADMIN),
            json!({ "attempt_id": 999_999, "decision": "upheld", "reason": "" }),
        ),
        (
            "results/publish",
            Roles(ADMIN),
            json!({ "batch_id": 999_999 }),
        ),
        (
            "results/list",
            Roles(RESULT_READERS),
            json!({ "batch_id": 999_999 }),
        ),
        (
            "results/export",
            Roles(RESULT_READERS),
            json!({ "GET": "batch_id=999999&list=all&format=nonsense" }),
        ),
        ("results/mine", Roles(CANDIDATE), json!({})),
        ("results/verify", Public, json!({ "code": "" })),
        (
            "results/notices",
            Roles(RESULT_READERS),
            json!({ "batch_id": 999_999 }),
        ),
        (
            "results/request-review",
            Roles(CANDIDATE),
            json!({ "request": "" }),
        ),
        (
            "results/score-reviews",
            Roles(ADMIN),
            json!({ "batch_id": 999_999 }),
        ),
        (
            "results/score-review",
            Roles(ADMIN),
            json!({ "id": 999_999 }),
        ),
        (
            "results/answer-review",
            Roles(ADMIN),
            json!({ "answer": "", "corrected_total": null, "id": 999_999 }),
        ),
        (
            "results/certificates",
            Roles(RESULT_READERS),
            json!({ "batch_id": 999_999, "ticket_nos": [] }),
        ),
        ("results/statistics", Roles(ADMIN), json!({})),
        ("plans/list", Roles(PLAN_VIEWERS), json!({})),
        ("plans/get", Roles(PLAN_VIEWERS), json!({ "id": 999_999 })),
        (
            "plans/create",
            Roles(OFFICER),
            json!({ "input": { "exam_kind": "", "field": "", "period_from": "", "period_to": "", "note": "" } }),
        ),
        (
            "plans/candidates/add",
            Roles(OFFICER),
            json!({ "plan_id": 999_999, "candidate": { "name": "", "resident_id": "", "sex": "", "post": "", "field": "", "staffing": "", "mobile": "" } }),
        ),
        (
            "plans/candidates/remove",
            Roles(OFFICER),
            json!({ "plan_id": 999_999, "candidate_id": 999_999 }),
        ),
        (
            "plans/candidates/import",
            Roles(OFFICER),
            json!({ "MULTIPART": true }),
        ),
        (
            "plans/transition",
            Roles(OFFICER),
            json!({ "id": 999_999, "action": "submit" }),
        ),
        ("meetings/list", Roles(MEETING_READERS), json!({})),
        (
            "meetings/get",
            Roles(MEETING_READERS),
            json!({ "id": 999_999 }),
        ),
        (
            "meetings/create",
            Roles(ADMIN),
            json!({ "title": "", "held_on": "" }),
        ),
        (
            "meetings/agenda/add",
            Roles(ADMIN),
            json!({ "meeting_id": 999_999, "plan_id": 999_999 }),
        ),
        (
            "meetings/attendance",
            Roles(ADMIN),
            json!({ "meeting_id": 999_999, "members": [] }),
        ),
        (
            "meetings/vote",
            Roles(COMMITTEE),
            json!({ "item_id": 999_999, "choice": "approve", "comment": "" }),
        ),
        (
            "meetings/close",
            Roles(ADMIN),
            json!({ "meeting_id": 999_999, "minutes": "" }),
        ),
        (
            "bank/list",
            Roles(BANK_READERS),
            json!({ "filter": { "question_type": "", "exam_kind": "", "field": "", "law": "", "difficulty": "", "tag": "", "status": "", "text": "", "page": 0 } }),
        ),
        ("bank/get", Roles(BANK_READERS), json!({ "id": 999_999 })),
        (
            "bank/create",
            Roles(AUTHORS),
            json!({ "draft": { "question_type": "", "stem": "", "options": [], "answer": "", "difficulty": "", "exam_kind": "", "field": "", "legal_basis": "", "tags": "", "explanation": "" } }),
        ),
        (
            "bank/update",
            Roles(AUTHORS),
            json!({ "id": 999_999, "draft": { "question_type": "", "stem": "", "options": [], "answer": "", "difficulty": "", "exam_kind": "", "field": "", "legal_basis": "", "tags": "", "explanation": "" } }),
        ),
        (
            "bank/set-active",
            Roles(AUTHORS),
            json!({ "id": 999_999, "active": true }),
        ),
        (
            "bank/import/upload",
            Roles(AUTHORS),
            json!({ "MULTIPART": true }),
        ),
        (
            "bank/import/commit",
            Roles(AUTHORS),
            json!({ "upload_id": 999_999, "skip_duplicates": true, "skip_unsupported": false }),
        ),
        (
            "bank/export",
            Roles(BANK_READERS),
            json!({ "GET": "format=nonsense" }),
        ),
        ("bank/template", Roles(BANK_READERS), json!({ "GET": "" })),
        ("auth/me", Public, json!({})),
        (
            "auth/login",
            Public,
            json!({ "username": "nobody.matrix", "password": "x" }),
        ),
        ("auth/logout", Public, json!({})),
        (
            "auth/change-password",
            SignedIn,
            json!({ "current": "wrong", "new_password": "x" }),
        ),
        ("home/summary", SignedIn, json!({})),
        (
            "home/notifications/read",
            SignedIn,
            json!({ "id": 999_999 }),
        ),
        ("admin/agencies/list", Roles(ADMIN), json!({})),
        (
            "admin/agencies/save",
            Roles(ADMIN),
            json!({ "input": { "id": null, "name": "", "code": "", "field": "", "active": true } }),
        ),
        (
            "admin/accounts/list",
            Roles(ADMIN),
            json!({ "filter": { "role": null, "agency_id": null, "text": "", "page": 0 } }),
        ),
        (
            "admin/accounts/create",
            Roles(ADMIN),
            json!({ "input": { "username": "x", "display_name": "", "role": "proctor", "agency_id": null, "password": "" } }),
        ),
        (
            "admin/accounts/set-active",
            Roles(ADMIN),
            json!({ "id": 999_999, "active": true }),
        ),
        (
            "admin/accounts/reset-password",
            Roles(ADMIN),
            json!({ "id": 999_999 }),
        ),
        (
            "admin/accounts/throttle",
            Roles(ADMIN),
            json!({ "id": 999_999 }),
        ),
        (
            "admin/accounts/clear-throttle",
            Roles(ADMIN),
            json!({ "id": 999_999 }),
        ),
        ("admin/audit/list", Roles(ADMIN), json!({ "page": 0 })),
        ("admin/audit/verify", Roles(ADMIN), json!({})),
    ]
}

#[tokio::test]
async fn every_registered_server_function_is_in_the_matrix() {
    let listed: Vec<String> = matrix().iter().map(|(e, ..)| format!("/api/{e}")).collect();
    let mut missing: Vec<String> = server::server_fn_paths()
        .into_iter()
        .filter(|p| !listed.contains(p))
        .collect();
    missing.sort();
    assert!(
        missing.is_empty(),
        "register these in the authorization matrix: {missing:?}"
    );
    for path in &listed {
        assert!(
            server::server_fn_paths().contains(path),
            "{path} is in the matrix but no such server function exists"
        );
    }
}

#[tokio::test]
async fn every_server_function_refuses_the_roles_it_does_not_serve() {
    let app = TestApp::spawn().await;
    let anonymous = app.anonymous();
    let mut clients = Vec::new();
    for role in Role::ALL {
        clients.push((Some(role), app.as_role(role).await));
    }
    clients.push((None, anonymous));

    let mut wrong = Vec::new();
    for (endpoint, access, body) in matrix() {
        for (role, client) in &clients {
            // Logging out would end the client's session for the rest of the walk.
            if endpoint == "auth/logout" && role.is_some() {
                continue;
            }
            let (status, answer) = if let Some(query) = body.get("GET").and_then(Value::as_str) {
                client.call_get(endpoint, query).await
            } else if body.get("MULTIPART").is_some() {
                client
                    .upload(endpoint, "bad.csv", b"not,a,bank\n".to_vec(), &[])
                    .await
            } else {
                client.call(endpoint, body.clone()).await
            };
            let allowed = match access {
                Access::Public => true,
                Access::SignedIn => role.is_some(),
                Access::Roles(roles) => role.is_some_and(|r| roles.contains(&r)),
            };
            let refused = status == StatusCode::FORBIDDEN && answer == json!("Forbidden")
                || status == StatusCode::UNAUTHORIZED && answer == json!("Unauthorized");
            let expected_refusal = if role.is_some() {
                StatusCode::FORBIDDEN
            } else {
                StatusCode::UNAUTHORIZED
            };
            if allowed == refused || (!allowed && status != expected_refusal) {
                wrong.push(format!(
                    "{endpoint} as {role:?}: {status} {answer} (should be {})",
                    if allowed { "allowed" } else { "refused" }
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "authorization matrix violations:\n{}",
        wrong.join("\n")
    );
}

/// Sends `body` (raw bytes, JSON content type) to server function `endpoint`.
async fn post_raw(
    client: &crate::support::Client,
    endpoint: &str,
    body: Vec<u8>,
) -> (StatusCode, Value) {
    let res = client
        .http
        .post(format!("{}/api/{endpoint}", client.base))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .expect("request");
    let status = res.status();
    let text = res.text().await.expect("body");
    (
        status,
        serde_json::from_str(&text).unwrap_or(Value::String(text)),
    )
}

#[tokio::test]
async fn every_server_function_answers_bad_bodies_with_4xx_naming_the_field() {
    let app = TestApp::spawn().await;
    // Signed in, so a body that does decode would reach the role check, not stop at sign-in.
    let client = app.as_role(Role::OfficeAdmin).await;
    let mut wrong = Vec::new();
    for (endpoint, _, body) in matrix() {
        if endpoint == "auth/logout" {
            continue;
        }
        if body.get("GET").is_some() {
            let (status, answer) = client.call_get(endpoint, "format=%FF%FE&&=").await;
            if status.is_server_error() {
                wrong.push(format!("{endpoint} garbage query: {status} {answer}"));
            }
            continue;
        }
        let multipart = body.get("MULTIPART").is_some();
        // Not JSON at all (for an upload: not a multipart body).
        let (status, answer) = post_raw(&client, endpoint, b"{not json".to_vec()).await;
        if status != StatusCode::BAD_REQUEST || answer.get("BadRequest").is_none() {
            wrong.push(format!("{endpoint} non-JSON: {status} {answer}"));
        }
        // Oversized.
        let huge = vec![b' '; 60 * 1024 * 1024];
        let limit = if multipart {
            110 * 1024 * 1024
        } else {
            2 * 1024 * 1024
        };
        let (status, answer) =
            post_raw(&client, endpoint, huge[..limit.min(huge.len())].to_vec()).await;
        let expect_413 = !multipart;
        if status.is_server_error() || (expect_413 && status != StatusCode::PAYLOAD_TOO_LARGE) {
            wrong.push(format!("{endpoint} oversized: {status} {answer}"));
        }
        if multipart {
            continue;
        }
        // A wrong type: an array where an object of arguments belongs.
        let (status, answer) = post_raw(&client, endpoint, b"[1, 2, 3]".to_vec()).await;
        let takes_args = body.as_object().is_some_and(|o| !o.is_empty());
        if status.is_server_error() || (takes_args && status != StatusCode::BAD_REQUEST) {
            wrong.push(format!("{endpoint} wrong type: {status} {answer}"));
        }
        // A missing field: the first argument left out is named.
        if let Some(first) = body.as_object().and_then(|o| o.keys().next().cloned()) {
            let mut partial = body.clone();
            if let Some(o) = partial.as_object_mut() {
                o.remove(&first);
            }
            let (status, answer) = client.call(endpoint, partial).await;
            if status != StatusCode::BAD_REQUEST || answer["BadRequest"]["field"] != json!(first) {
                wrong.push(format!("{endpoint} missing {first}: {status} {answer}"));
            }
            // A wrong type in that field.
            let mut typed = body.clone();
            if let Some(o) = typed.as_object_mut() {
                o.insert(first.clone(), json!([[["x"]]]));
            }
            let (status, answer) = client.call(endpoint, typed).await;
            if status != StatusCode::BAD_REQUEST {
                wrong.push(format!(
                    "{endpoint} wrong type of {first}: {status} {answer}"
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "bad bodies answered wrongly:\n{}",
        wrong.join("\n")
    );
}

/// Scope: every endpoint an agency officer may call that takes the id of an agency's object
/// (a plan, its candidate, a batch holding its plans) answers 404 when another agency's
/// officer names that object — the object's existence is not revealed.
#[tokio::test]
async fn another_agencys_officer_finds_none_of_an_agencys_objects() {
    use crate::{
        batches::{approve, batch_with_rooms},
        procedure::{new_plan, submitted_plan},
    };
    let app = TestApp::spawn().await;
    let owner = app.as_role(Role::AgencyOfficer).await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let stranger = app
        .signed_in("officer.sthj", crate::support::DEMO_PASSWORD)
        .await;
    // A draft plan with a candidate, and a scheduled batch holding another plan of the agency.
    let draft = new_plan(&owner).await;
    let added: Value = owner
        .ok(
            "plans/candidates/add",
            json!({ "plan_id": draft, "candidate": crate::procedure::candidate("甲乙", "19850312", 101) }),
        )
        .await;
    assert!(added.get("Stored").is_some(), "{added}");
    let candidate_id = app
        .count(&format!(
            "SELECT id FROM plan_candidate WHERE plan_id = {draft}"
        ))
        .await;
    let scheduled = submitted_plan(&owner, 2, 1979).await;
    approve(&app, &[scheduled]).await;
    let batch = batch_with_rooms(&admin, &[scheduled], &[2]).await;
    let _: u64 = admin
        .ok("batches/schedule", json!({ "batch_id": batch }))
        .await;

    let mut checked = Vec::new();
    let mut wrong = Vec::new();
    for (endpoint, access, body) in matrix() {
        let Access::Roles(roles) = access else {
            continue;
        };
        if !roles.contains(&Role::AgencyOfficer) || body.get("MULTIPART").is_some() {
            continue;
        }
        let Some(object) = body.as_object() else {
            continue;
        };
        let mut scoped = body.clone();
        let mut names_an_object = false;
        for key in object.keys() {
            let value = match key.as_str() {
                "id" | "plan_id" if endpoint.starts_with("plans/") => json!(draft),
                "candidate_id" => json!(candidate_id),
                "id" | "batch_id" if endpoint.starts_with("batches/") => json!(batch),
                _ => continue,
            };
            scoped[key] = value;
            names_an_object = true;
        }
        if !names_an_object {
            continue;
        }
        let (status, answer) = stranger.call(endpoint, scoped.clone()).await;
        if status != StatusCode::NOT_FOUND {
            wrong.push(format!("{endpoint} {scoped}: {status} {answer}"));
        }
        checked.push((endpoint, scoped));
    }
    assert!(checked.len() >= 6, "endpoints checked: {checked:?}");
    assert!(wrong.is_empty(), "scope violations:\n{}", wrong.join("\n"));
    // Nothing was changed by the stranger's calls.
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM plan_candidate WHERE plan_id = {draft}"
        ))
        .await,
        1
    );
    // The owner is not refused for scope on the same calls.
    for (endpoint, scoped) in checked {
        let (status, answer) = owner.call(endpoint, scoped.clone()).await;
        assert_ne!(
            status,
            StatusCode::NOT_FOUND,
            "{endpoint} as the owner: {answer}"
        );
    }
}

/// Scope for candidates: the candidate endpoints take no ids; each signed-in candidate reaches
/// only the ticket signed in with.
#[tokio::test]
async fn each_candidate_reaches_only_their_own_ticket() {
    use crate::{
        batches::{approve, batch_with_rooms, schedule_and_print},
        procedure::submitted_plan,
    };
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let plan = submitted_plan(&officer, 2, 1983).await;
    approve(&app, &[plan]).await;
    let batch = batch_with_rooms(&admin, &[plan], &[2]).await;
    let printed = schedule_and_print(&admin, batch).await;
    assert_eq!(printed.len(), 2);
    app.start_sessions(batch, -10).await;
    for t in &printed {
        let c = app.anonymous();
        let (status, body) = c
            .call(
                "exam/login",
                json!({ "ticket_no": t["ticket_no"], "access_code": t["access_code"] }),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let mine: Value = c.ok("exam/ticket", json!({})).await;
        assert_eq!(mine["ticket_no"], t["ticket_no"]);
        assert_eq!(mine["name"], t["name"]);
        // Extra arguments naming another ticket are not a way in.
        let other = printed
            .iter()
            .find(|o| o["ticket_no"] != t["ticket_no"])
            .expect("other");
        let (_, answer) = c
            .call("exam/ticket", json!({ "ticket_no": other["ticket_no"] }))
            .await;
        assert_ne!(answer["ticket_no"], other["ticket_no"], "{answer}");
    }
}
