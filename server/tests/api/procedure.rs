//! Exam plans and the committee's collective decision over HTTP, including the refused
//! transitions.

use app::{procedure::resident_id::check_char, roles::Role};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Client, TestApp};

/// A valid resident ID number: area 110105, the birth date, a sequence (odd = male).
pub fn rid(birth: &str, seq: u32) -> String {
    let body = format!("110105{birth}{seq:03}");
    let check = check_char(&body).expect("17 digits");
    format!("{body}{check}")
}

pub fn candidate(name: &str, birth: &str, seq: u32) -> Value {
    json!({ "name": name, "resident_id": rid(birth, seq), "sex": if seq % 2 == 1 { "男" } else { "女" },
        "post": "科员", "field": "市场监管", "staffing": "在编在岗", "mobile": "13800138000" })
}

const NAMES: [&str; 8] = [
    "张伟", "王芳", "李娜", "刘洋", "陈静", "杨帆", "赵磊", "黄敏",
];

pub async fn new_plan(officer: &Client) -> i64 {
    officer
        .ok(
            "plans/create",
            json!({ "input": { "exam_kind": "general", "field": "",
            "period_from": "2026-12-01", "period_to": "2026-12-31", "note": "" } }),
        )
        .await
}

/// A submitted plan of the officer's agency with `n` candidates.
pub async fn submitted_plan(officer: &Client, n: u32, birth_year: u32) -> i64 {
    let id = new_plan(officer).await;
    for i in 0..n {
        let added: Value = officer
            .ok("plans/candidates/add", json!({ "plan_id": id,
                "candidate": candidate(NAMES[i as usize % NAMES.len()], &format!("{birth_year}0101"), 100 + i) }))
            .await;
        assert!(added.get("Stored").is_some(), "{added}");
    }
    let () = officer
        .ok("plans/transition", json!({ "id": id, "action": "submit" }))
        .await;
    id
}

#[tokio::test]
async fn an_officer_imports_candidates_all_or_nothing_with_every_bad_row_named() {
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let plan = new_plan(&officer).await;
    let good1 = rid("19850312", 101);
    let good2 = rid("19900728", 202);
    let mut bad_check = rid("19870101", 303);
    bad_check.pop();
    bad_check.push(if bad_check.ends_with('0') { '1' } else { '0' });
    let csv = format!(
        "姓名,身份证号,性别,职务,执法领域,编制性质,手机号\n\
张三,{good1},男,科员,市场监管,在编在岗,13800138000\n\
李四,{good2},女,科员,市场监管,在编在岗,13900139000\n\
王五,{bad_check},男,科员,市场监管,在编在岗,13700137000\n\
赵六,{},女,科员,市场监管,其他,13600136000\n",
        rid("19920202", 404)
    );
    let (status, outcome) = officer
        .upload(
            "plans/candidates/import",
            "list.csv",
            csv.into_bytes(),
            &[("plan_id", &plan.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    let problems = outcome["Rejected"]["problems"]
        .as_array()
        .expect("problems");
    let rows: Vec<u64> = problems.iter().filter_map(|p| p["row"].as_u64()).collect();
    assert_eq!(rows, vec![4, 5], "{outcome}");
    assert_eq!(problems[0]["column"], "身份证号");
    assert_eq!(problems[1]["column"], "编制性质");
    let detail: Value = officer.ok("plans/get", json!({ "id": plan })).await;
    assert_eq!(detail["candidates"], json!([]), "nothing was stored");

    let fixed = format!(
        "姓名,身份证号,性别,职务,执法领域,编制性质,手机号\n\
张三,{good1},男,科员,市场监管,在编在岗,13800138000\n\
李四,{good2},女,科员,市场监管,在编在岗,13900139000\n"
    );
    let (_, outcome) = officer
        .upload(
            "plans/candidates/import",
            "list.csv",
            fixed.into_bytes(),
            &[("plan_id", &plan.to_string())],
        )
        .await;
    assert_eq!(outcome, json!({ "Stored": { "count": 2 } }));
    let detail: Value = officer.ok("plans/get", json!({ "id": plan })).await;
    assert_eq!(detail["candidates"].as_array().map(Vec::len), Some(2));
    assert!(
        detail["candidates"][0]["resident_id"]
            .as_str()
            .unwrap_or("")
            .contains("****"),
        "IDs are masked"
    );
}

#[tokio::test]
async fn the_same_person_cannot_be_registered_twice_or_on_two_open_plans() {
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let plan = new_plan(&officer).await;
    let c = candidate("张三", "19850312", 101);
    let added: Value = officer
        .ok(
            "plans/candidates/add",
            json!({ "plan_id": plan, "candidate": c }),
        )
        .await;
    assert!(added.get("Stored").is_some());
    let again: Value = officer
        .ok(
            "plans/candidates/add",
            json!({ "plan_id": plan, "candidate": c }),
        )
        .await;
    assert!(again.get("Rejected").is_some(), "{again}");
    let other = new_plan(&officer).await;
    let elsewhere: Value = officer
        .ok(
            "plans/candidates/add",
            json!({ "plan_id": other, "candidate": c }),
        )
        .await;
    let msg = elsewhere["Rejected"]["problems"][0]["message"]["zh"]
        .as_str()
        .unwrap_or("")
        .to_owned();
    assert!(msg.contains(&format!("编号 {plan}")), "{msg}");
}

#[tokio::test]
async fn an_officer_of_another_agency_can_neither_see_nor_change_a_plan() {
    let app = TestApp::spawn().await;
    let scjg = app.as_role(Role::AgencyOfficer).await;
    let sthj = app
        .signed_in("officer.sthj", crate::support::DEMO_PASSWORD)
        .await;
    let plan = new_plan(&scjg).await;
    let (status, _) = sthj.call("plans/get", json!({ "id": plan })).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = sthj
        .call(
            "plans/candidates/add",
            json!({ "plan_id": plan, "candidate": candidate("甲", "19850312", 101) }),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = sthj
        .call(
            "plans/transition",
            json!({ "id": plan, "action": "submit" }),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let theirs: Vec<Value> = sthj.ok("plans/list", json!({})).await;
    assert!(theirs.iter().all(|p| p["id"] != plan));
}

#[tokio::test]
async fn a_plan_is_submitted_withdrawn_and_refuses_transitions_out_of_order() {
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let empty = new_plan(&officer).await;
    let (status, _) = officer
        .call(
            "plans/transition",
            json!({ "id": empty, "action": "submit" }),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "an empty plan cannot be submitted"
    );
    let plan = submitted_plan(&officer, 2, 1980).await;
    let (status, _) = officer
        .call(
            "plans/transition",
            json!({ "id": plan, "action": "revise" }),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "only a returned plan is revised"
    );
    let (status, _) = officer
        .call(
            "plans/candidates/add",
            json!({ "plan_id": plan, "candidate": candidate("晚到", "19850312", 999) }),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::CONFLICT,
        "a submitted plan is not edited"
    );
    let () = officer
        .ok(
            "plans/transition",
            json!({ "id": plan, "action": "withdraw" }),
        )
        .await;
    let detail: Value = officer.ok("plans/get", json!({ "id": plan })).await;
    assert_eq!(detail["summary"]["status"], "withdrawn");
    let steps: Vec<&str> = detail["history"]
        .as_array()
        .expect("history")
        .iter()
        .filter_map(|h| h["status"].as_str())
        .collect();
    assert_eq!(steps, vec!["draft", "submitted", "withdrawn"]);
}

/// A meeting with `plans` on its agenda and the whole committee attending: (admin, meeting,
/// agenda item ids).
pub async fn meeting_with(app: &TestApp, plans: &[i64]) -> (Client, i64, Vec<i64>) {
    let admin = app.as_role(Role::OfficeAdmin).await;
    let meeting: i64 = admin
        .ok(
            "meetings/create",
            json!({ "title": "2026 年第 4 次审核会议", "held_on": "2026-12-01" }),
        )
        .await;
    for p in plans {
        let () = admin
            .ok(
                "meetings/agenda/add",
                json!({ "meeting_id": meeting, "plan_id": p }),
            )
            .await;
    }
    let detail: Value = admin.ok("meetings/get", json!({ "id": meeting })).await;
    let members: Vec<i64> = detail["members"]
        .as_array()
        .expect("members")
        .iter()
        .filter_map(|m| m["id"].as_i64())
        .collect();
    let items: Vec<i64> = detail["items"]
        .as_array()
        .expect("items")
        .iter()
        .filter_map(|i| i["id"].as_i64())
        .collect();
    let () = admin
        .ok(
            "meetings/attendance",
            json!({ "meeting_id": meeting, "members": members }),
        )
        .await;
    (admin, meeting, items)
}

#[tokio::test]
async fn three_votes_approve_a_plan_and_the_agency_is_told() {
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let plan = submitted_plan(&officer, 3, 1981).await;
    let (admin, meeting, items) = meeting_with(&app, &[plan]).await;
    for member in ["committee1", "committee2", "committee3"] {
        let c = app.signed_in(member, crate::support::DEMO_PASSWORD).await;
        let () = c
            .ok(
                "meetings/vote",
                json!({ "item_id": items[0], "choice": "approve", "comment": "符合条件" }),
            )
            .await;
    }
    let () = admin
        .ok(
            "meetings/close",
            json!({ "meeting_id": meeting, "minutes": "会议审议了一项考试计划。" }),
        )
        .await;
    let detail: Value = officer.ok("plans/get", json!({ "id": plan })).await;
    assert_eq!(detail["summary"]["status"], "approved");
    let decided = detail["history"]
        .as_array()
        .expect("history")
        .last()
        .cloned()
        .unwrap_or_default();
    let comment = decided["comment"].as_str().unwrap_or("");
    assert!(
        comment.contains("陈建国:符合条件"),
        "the agency reads the members' comments: {comment}"
    );
    let home: Value = officer.ok("home/summary", json!({})).await;
    let told = home["unread"]
        .as_array()
        .expect("inbox")
        .iter()
        .any(|n| n["text"]["zh"].as_str().unwrap_or("").contains("通过"));
    assert!(told, "{home}");
    let m: Value = admin.ok("meetings/get", json!({ "id": meeting })).await;
    assert_eq!(m["items"][0]["resolution"], "approved");
    assert_eq!(m["minutes"], "会议审议了一项考试计划。");
}

#[tokio::test]
async fn a_member_cannot_vote_twice_nor_after_closing_nor_off_the_agenda_and_a_closed_meeting_is_frozen()
 {
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let plan = submitted_plan(&officer, 1, 1982).await;
    let (admin, meeting, items) = meeting_with(&app, &[plan]).await;
    let c1 = app
        .signed_in("committee1", crate::support::DEMO_PASSWORD)
        .await;
    let () = c1
        .ok(
            "meetings/vote",
            json!({ "item_id": items[0], "choice": "return", "comment": "材料不全" }),
        )
        .await;
    let (status, _) = c1
        .call(
            "meetings/vote",
            json!({ "item_id": items[0], "choice": "approve", "comment": "" }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "no second vote");
    let (status, _) = c1
        .call(
            "meetings/vote",
            json!({ "item_id": 999_999, "choice": "approve", "comment": "" }),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND, "no vote off the agenda");

    // One vote of three members is no quorum: the plan stays undecided for the next meeting.
    let () = admin
        .ok(
            "meetings/close",
            json!({ "meeting_id": meeting, "minutes": "未达到法定人数。" }),
        )
        .await;
    let detail: Value = officer.ok("plans/get", json!({ "id": plan })).await;
    assert_eq!(detail["summary"]["status"], "submitted");
    let c2 = app
        .signed_in("committee2", crate::support::DEMO_PASSWORD)
        .await;
    let (status, _) = c2
        .call(
            "meetings/vote",
            json!({ "item_id": items[0], "choice": "approve", "comment": "" }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "no vote after closing");
    for (endpoint, body) in [
        (
            "meetings/close",
            json!({ "meeting_id": meeting, "minutes": "改写" }),
        ),
        (
            "meetings/attendance",
            json!({ "meeting_id": meeting, "members": [] }),
        ),
        (
            "meetings/agenda/add",
            json!({ "meeting_id": meeting, "plan_id": plan }),
        ),
    ] {
        let (status, _) = admin.call(endpoint, body).await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "{endpoint} on a closed meeting"
        );
    }
}

#[tokio::test]
async fn a_returned_plan_is_revised_as_a_new_version_with_its_history_kept() {
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let plan = submitted_plan(&officer, 1, 1983).await;
    let (admin, meeting, items) = meeting_with(&app, &[plan]).await;
    for member in ["committee1", "committee2", "committee3"] {
        let c = app.signed_in(member, crate::support::DEMO_PASSWORD).await;
        let () = c
            .ok(
                "meetings/vote",
                json!({ "item_id": items[0], "choice": "return", "comment": "补充材料" }),
            )
            .await;
    }
    let () = admin
        .ok(
            "meetings/close",
            json!({ "meeting_id": meeting, "minutes": "退回一项计划。" }),
        )
        .await;
    let () = officer
        .ok(
            "plans/transition",
            json!({ "id": plan, "action": "revise" }),
        )
        .await;
    let detail: Value = officer.ok("plans/get", json!({ "id": plan })).await;
    assert_eq!(detail["summary"]["status"], "draft");
    assert_eq!(detail["summary"]["version"], 2);
    let history = detail["history"].as_array().expect("history");
    assert!(
        history
            .iter()
            .any(|h| h["status"] == "returned" && h["version"] == 1)
    );
}
