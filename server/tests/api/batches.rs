//! Exam batches over HTTP: forming, capacity refusal, scheduling with spread seats and ticket
//! numbers, printing with one-time access codes (stored hashed), rosters, and refusals.

use app::roles::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    procedure::{meeting_with, submitted_plan},
    support::{Client, DEMO_PASSWORD, TestApp},
};

/// Approves `plans` at a meeting where all three demo members vote for them.
pub async fn approve(app: &TestApp, plans: &[i64]) {
    let (admin, meeting, items) = meeting_with(app, plans).await;
    for member in ["committee1", "committee2", "committee3"] {
        let c = app.signed_in(member, DEMO_PASSWORD).await;
        for item in &items {
            let () = c
                .ok(
                    "meetings/vote",
                    json!({ "item_id": item, "choice": "approve", "comment": "" }),
                )
                .await;
        }
    }
    let () = admin
        .ok(
            "meetings/close",
            json!({ "meeting_id": meeting, "minutes": "批准。" }),
        )
        .await;
}

/// Schedules the batch and prints its admission tickets: the printed tickets (number, access
/// code, …).
pub async fn schedule_and_print(admin: &Client, batch: i64) -> Vec<Value> {
    let _: u64 = admin
        .ok("batches/schedule", json!({ "batch_id": batch }))
        .await;
    admin
        .ok("batches/tickets/print", json!({ "batch_id": batch }))
        .await
}

pub async fn batch_with_rooms(admin: &Client, plans: &[i64], rooms: &[i32]) -> i64 {
    let batch: i64 = admin
        .ok("batches/create", json!({ "name": "2026 年第 1 批综合法律知识考试", "exam_kind": "general", "field": "" }))
        .await;
    for p in plans {
        let () = admin
            .ok(
                "batches/include-plan",
                json!({ "batch_id": batch, "plan_id": p }),
            )
            .await;
    }
    let () = admin
        .ok("batches/sessions/add", json!({ "batch_id": batch, "starts_at": "2099-12-20T09:00", "duration_minutes": 90, "late_entry_minutes": 15 }))
        .await;
    for (i, seats) in rooms.iter().enumerate() {
        let () = admin
            .ok("batches/rooms/add", json!({ "batch_id": batch, "venue": "市行政学院", "name": format!("第 {} 考场", i + 1), "address": "人民路 1 号", "capacity": seats }))
            .await;
    }
    batch
}

#[tokio::test]
async fn scheduling_over_capacity_is_refused_with_the_missing_seats_named() {
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let plan = submitted_plan(&officer, 5, 1984).await;
    approve(&app, &[plan]).await;
    let batch = batch_with_rooms(&admin, &[plan], &[2, 2]).await;
    let (status, err) = admin
        .err("batches/schedule", json!({ "batch_id": batch }))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let msg = err.message(app::i18n::Locale::zh);
    assert!(msg.contains("缺 1 个"), "{msg}");
    let tickets = app
        .count(&format!(
            "SELECT COUNT(*) AS n FROM ticket WHERE batch_id = {batch}"
        ))
        .await;
    assert_eq!(tickets, 0, "nothing was written");
}

#[tokio::test]
async fn a_scheduled_batch_seats_every_candidate_once_and_officers_print_only_their_own_tickets() {
    let app = TestApp::spawn().await;
    let scjg = app.as_role(Role::AgencyOfficer).await;
    let sthj = app.signed_in("officer.sthj", DEMO_PASSWORD).await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let plan_a = submitted_plan(&scjg, 6, 1984).await;
    let plan_b = submitted_plan(&sthj, 6, 1986).await;
    approve(&app, &[plan_a, plan_b]).await;
    let batch = batch_with_rooms(&admin, &[plan_a, plan_b], &[6, 6]).await;
    let issued: u64 = admin
        .ok("batches/schedule", json!({ "batch_id": batch }))
        .await;
    assert_eq!(issued, 12);
    let distinct = app
        .count(&format!(
            "SELECT COUNT(DISTINCT room_id * 1000 + seat) AS n FROM ticket WHERE batch_id = {batch}"
        ))
        .await;
    assert_eq!(distinct, 12, "no seat is used twice");
    let most_in_one_room = app
        .count(&format!(
            "SELECT COUNT(*) AS n FROM ticket t JOIN plan_candidate c ON c.id = t.candidate_id \
             WHERE t.batch_id = {batch} AND c.plan_id = {plan_a} GROUP BY t.room_id ORDER BY 1 DESC LIMIT 1"
        ))
        .await;
    assert!(
        most_in_one_room <= 4,
        "an agency's six candidates are spread over both rooms ({most_in_one_room} in one)"
    );

    let printed: Vec<Value> = scjg
        .ok("batches/tickets/print", json!({ "batch_id": batch }))
        .await;
    assert_eq!(
        printed.len(),
        6,
        "an officer prints only the agency's tickets"
    );
    assert!(printed.iter().all(|t| t["agency"] == "市市场监督管理局"));
    let code = printed[0]["access_code"]
        .as_str()
        .expect("code")
        .replace('-', "");
    assert_eq!(code.len(), 8);
    let hashes = app
        .count(&format!("SELECT COUNT(*) AS n FROM ticket WHERE batch_id = {batch} AND access_code_hash LIKE '$argon2id$%'"))
        .await;
    assert_eq!(hashes, 6, "only hashes of the codes are stored");
    let stored_plain = app
        .count(&format!(
            "SELECT COUNT(*) AS n FROM ticket WHERE access_code_hash LIKE '%{code}%'"
        ))
        .await;
    assert_eq!(stored_plain, 0);

    let rosters: Vec<Value> = admin
        .ok("batches/rosters", json!({ "batch_id": batch }))
        .await;
    let lines: usize = rosters
        .iter()
        .map(|r| r["lines"].as_array().map(Vec::len).unwrap_or(0))
        .sum();
    assert_eq!(lines, 12);
    let (status, _) = scjg
        .call("batches/rosters", json!({ "batch_id": batch }))
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_scheduled_batch_takes_no_more_rooms_and_rescheduling_is_audited() {
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let plan = submitted_plan(&officer, 3, 1987).await;
    approve(&app, &[plan]).await;
    let batch = batch_with_rooms(&admin, &[plan], &[5]).await;
    let _: u64 = admin
        .ok("batches/schedule", json!({ "batch_id": batch }))
        .await;
    let (status, _) = admin
        .call(
            "batches/rooms/add",
            json!({ "batch_id": batch, "venue": "x", "name": "y", "address": "", "capacity": 5 }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let again: u64 = admin
        .ok("batches/schedule", json!({ "batch_id": batch }))
        .await;
    assert_eq!(again, 3);
    let audit: Value = admin.ok("admin/audit/list", json!({ "page": 0 })).await;
    assert_eq!(audit["entries"][0]["action"], "batch.reschedule");
    let detail: Value = officer.ok("plans/get", json!({ "id": plan })).await;
    assert_eq!(detail["summary"]["status"], "scheduled");
}

#[tokio::test]
async fn an_unapproved_plan_cannot_join_a_batch() {
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let plan = submitted_plan(&officer, 1, 1988).await;
    let batch: i64 = admin
        .ok(
            "batches/create",
            json!({ "name": "未批准测试批次", "exam_kind": "general", "field": "" }),
        )
        .await;
    let (status, _) = admin
        .call(
            "batches/include-plan",
            json!({ "batch_id": batch, "plan_id": plan }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
}
