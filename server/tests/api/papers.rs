//! Papers over HTTP: the blueprint attached to a batch and its checks, the coverage report,
//! refusal to schedule what the bank cannot feed, assembly and storage of every candidate's
//! paper (in chunks that take up the stored dealing state), the appeal view, and what a
//! candidate's browser receives (no key, checked on bytes).

use std::collections::{BTreeSet, HashMap};

use app::{
    roles::Role,
    ssr::entities::{batch, exam_session, paper, question_revision, ticket},
};
use chrono::{Duration, Utc};
use question_bank::{BankSnapshot, Paper, PreparedPool, QuestionRef};
use reqwest::StatusCode;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, sea_query::Expr};
use serde_json::{Value, json};

use crate::{
    batches::{approve, batch_with_rooms},
    procedure::{candidate, submitted_plan},
    support::{Client, TestApp},
};

fn zh(err: &app::error::AppError) -> String {
    err.message(app::i18n::Locale::zh)
}

/// A draft batch holding one approved plan of `n` candidates, in one room of `n` seats.
pub async fn draft_batch(app: &TestApp, n: u32, birth_year: u32) -> (Client, i64) {
    let officer = app.as_role(Role::AgencyOfficer).await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let plan = submitted_plan(&officer, n, birth_year).await;
    approve(app, &[plan]).await;
    let batch = batch_with_rooms(&admin, &[plan], &[n as i32]).await;
    (admin, batch)
}

/// Schedules the batch and assembles every paper through the chunked endpoint.
pub async fn schedule_and_assemble(admin: &Client, batch: i64) -> Value {
    let _: u64 = admin
        .ok("batches/schedule", json!({ "batch_id": batch }))
        .await;
    let before: Value = admin
        .ok("papers/progress", json!({ "batch_id": batch }))
        .await;
    assert_eq!(before["assembled"], 0, "{before}");
    loop {
        let p: Value = admin
            .ok("papers/assemble", json!({ "batch_id": batch }))
            .await;
        if p["assembled"] == p["total"] {
            return p;
        }
    }
}

/// Attaches `parts` to the batch and returns the coverage report.
async fn attach(admin: &Client, batch: i64, parts: Value) -> Value {
    let () = admin
        .ok(
            "papers/blueprint/save",
            json!({ "batch_id": batch, "parts": parts }),
        )
        .await;
    admin
        .ok("papers/coverage", json!({ "batch_id": batch }))
        .await
}

#[tokio::test]
async fn a_blueprint_is_checked_whole_and_a_bank_that_cannot_feed_it_stops_scheduling() {
    let app = TestApp::spawn().await;
    let (admin, batch) = draft_batch(&app, 3, 1984).await;

    let info: Value = admin
        .ok("papers/blueprint", json!({ "batch_id": batch }))
        .await;
    assert_eq!(info["custom"], false);
    assert_eq!(info["question_count"], 80);
    assert_eq!(info["total_points"], 100);

    // Every problem at once, each naming its section.
    let mut bad = info["parts"].clone();
    bad["sections"][0]["count"] = json!(0);
    bad["sections"][1]["points_per_question"] = json!(0);
    bad["pass_mark"] = json!(500);
    let (status, err) = admin
        .err(
            "papers/blueprint/save",
            json!({ "batch_id": batch, "parts": bad }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let msg = zh(&err);
    assert!(msg.contains("第 1 部分"), "{msg}");
    assert!(msg.contains("第 2 部分"), "{msg}");
    assert!(msg.contains("及格"), "{msg}");
    let info_after: Value = admin
        .ok("papers/blueprint", json!({ "batch_id": batch }))
        .await;
    assert_eq!(info_after["custom"], false, "nothing was stored");

    // A quota the bank cannot meet: the report names it with its shortfall.
    let mut short = info["parts"].clone();
    short["name"] = json!("复议法强化方案");
    short["sections"][0]["quotas"] =
        json!([{ "selector": { "by": "law", "value": "行政复议法" }, "count": 35 }]);
    let report = attach(&admin, batch, short).await;
    let quota = &report["report"]["sections"][0]["quotas"][0];
    assert_eq!(quota["needed"], 35);
    let available = quota["available"].as_u64().expect("available");
    assert!(available < 35, "{quota}");
    assert_eq!(quota["shortfall"].as_u64(), Some(35 - available));
    assert!(
        !report["report"]["problems"]
            .as_array()
            .expect("problems")
            .is_empty()
    );
    let (status, err) = admin
        .err("batches/schedule", json!({ "batch_id": batch }))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let msg = zh(&err);
    assert!(msg.contains("行政复议法"), "{msg}");
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) AS n FROM ticket WHERE batch_id = {batch}"
        ))
        .await,
        0,
        "a refused schedule writes nothing"
    );

    // A quota it can meet; the report then shows exposure for the batch's 3 candidates.
    let mut fine = info["parts"].clone();
    fine["name"] = json!("处罚法重点方案");
    fine["sections"][0]["quotas"] =
        json!([{ "selector": { "by": "law", "value": "行政处罚法" }, "count": 8 }]);
    let report = attach(&admin, batch, fine).await;
    assert_eq!(report["report"]["problems"], json!([]), "{report}");
    assert_eq!(report["report"]["candidates"], 3);
    let exposure = report["report"]["sections"][0]["exposure"]
        .as_f64()
        .expect("exposure");
    assert!(exposure > 0.0 && exposure <= 1.0, "{exposure}");
    assert_eq!(report["report"]["difficulty"]["achievable"], true);

    // A sample paper carries the key and meets the quota.
    let sample: Value = admin
        .ok("papers/sample", json!({ "batch_id": batch }))
        .await;
    let singles = sample["sections"][0]["items"].as_array().expect("items");
    assert_eq!(singles.len(), 40);
    let cited = singles
        .iter()
        .filter(|q| {
            q["legal_basis"]
                .as_str()
                .is_some_and(|b| b.contains("行政处罚法"))
        })
        .count();
    assert!(cited >= 8, "the quota is met ({cited})");
    assert!(
        singles
            .iter()
            .all(|q| q["answer"].as_str().is_some_and(|a| a.len() == 1))
    );

    let audit: Value = admin.ok("admin/audit/list", json!({ "page": 0 })).await;
    assert_eq!(audit["entries"][0]["action"], "batch.blueprint");
}

#[tokio::test]
async fn every_candidate_gets_a_stored_paper_that_the_appeal_view_reproduces() {
    let app = TestApp::spawn().await;
    let (admin, batch) = draft_batch(&app, 6, 1985).await;
    let done = schedule_and_assemble(&admin, batch).await;
    assert_eq!(done["total"], 6);
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(DISTINCT ticket_id) AS n FROM paper WHERE batch_id = {batch}"
        ))
        .await,
        6
    );
    // Nothing more to do: assembling again changes nothing.
    let again: Value = admin
        .ok("papers/assemble", json!({ "batch_id": batch }))
        .await;
    assert_eq!(again, done);
    // The blueprint is fixed once scheduled.
    let (status, _) = admin
        .call(
            "papers/blueprint/save",
            json!({ "batch_id": batch, "parts": null }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);

    let rosters: Vec<Value> = admin
        .ok("batches/rosters", json!({ "batch_id": batch }))
        .await;
    let tickets: Vec<String> = rosters[0]["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l["ticket_no"].as_str().expect("ticket").to_owned())
        .collect();
    let mut orders = BTreeSet::new();
    for t in &tickets {
        let view: Value = admin
            .ok(
                "papers/appeal",
                json!({ "batch_id": batch, "ticket_no": t }),
            )
            .await;
        assert_eq!(view["identical"], true, "{t}: {}", view["differences"]);
        assert_eq!(view["stored_fingerprint"], view["regenerated_fingerprint"]);
        let order: Vec<i64> = view["paper"]["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .flat_map(|s| s["items"].as_array().cloned().unwrap_or_default())
            .map(|q| q["revision_id"].as_i64().expect("revision"))
            .collect();
        assert_eq!(order.len(), 80);
        orders.insert(order);
    }
    assert_eq!(orders.len(), 6, "every candidate has a paper of their own");

    // A stored paper that was tampered with no longer matches its regeneration.
    app.sql(&format!(
        "UPDATE paper SET body = (SELECT body FROM paper WHERE batch_id = {batch} AND deal_seq = 2) \
         WHERE batch_id = {batch} AND deal_seq = 1"
    ))
    .await;
    let mut mismatches = 0;
    for t in &tickets {
        let view: Value = admin
            .ok(
                "papers/appeal",
                json!({ "batch_id": batch, "ticket_no": t }),
            )
            .await;
        if view["identical"] == false {
            mismatches += 1;
            assert!(!view["differences"].as_array().expect("list").is_empty());
        }
    }
    assert_eq!(mismatches, 1, "exactly the tampered paper differs");
    let (status, err) = admin
        .err(
            "papers/appeal",
            json!({ "batch_id": batch, "ticket_no": "12345" }),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(zh(&err).contains("15"), "{}", zh(&err));
}

/// Every object key anywhere in `v`.
/// Every object key in `v`, at any depth.
pub fn keys(v: &Value, out: &mut BTreeSet<String>) {
    match v {
        Value::Object(map) => {
            for (k, v) in map {
                out.insert(k.clone());
                keys(v, out);
            }
        }
        Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn a_candidate_signs_in_on_the_ticket_and_receives_the_paper_without_any_key() {
    let app = TestApp::spawn().await;
    let (admin, batch) = draft_batch(&app, 2, 1986).await;
    schedule_and_assemble(&admin, batch).await;
    let printed: Vec<Value> = admin
        .ok("batches/tickets/print", json!({ "batch_id": batch }))
        .await;
    let ticket_no = printed[0]["ticket_no"].as_str().expect("ticket").to_owned();
    let code = printed[0]["access_code"].as_str().expect("code").to_owned();
    // Sign-in opens half an hour before the start.
    app.start_sessions(batch, -20).await;

    let candidate = app.anonymous();
    let (status, err) = candidate
        .err(
            "exam/login",
            json!({ "ticket_no": ticket_no, "access_code": "AAAA-AAAA" }),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a wrong code is refused"
    );
    assert!(zh(&err).contains("登录码错误"), "{}", zh(&err));
    let (status, body) = candidate
        .call(
            "exam/login",
            json!({ "ticket_no": ticket_no, "access_code": code.to_lowercase() }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["role"], "candidate");
    let mine: Value = candidate.ok("exam/ticket", json!({})).await;
    assert_eq!(mine["name"], printed[0]["name"]);
    assert_eq!(mine["ticket_no"], printed[0]["ticket_no"]);
    assert_eq!(mine["open"], false);

    let (status, err) = candidate.err("exam/paper", json!({})).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(zh(&err).contains("尚未开始"), "{}", zh(&err));

    // The session opens.
    exam_session::Entity::update_many()
        .col_expr(
            exam_session::Column::StartsAt,
            Expr::value(Utc::now() - Duration::minutes(5)),
        )
        .filter(exam_session::Column::BatchId.eq(batch))
        .exec(&app.state.db)
        .await
        .expect("open the session");
    let _: Value = candidate.ok("exam/start", json!({})).await;
    let (status, bytes) = candidate.call_raw("exam/paper", json!({})).await;
    assert_eq!(status, StatusCode::OK, "{bytes}");

    // What the browser receives: question text and structure, nothing else.
    let served: Value = serde_json::from_str(&bytes).expect("JSON");
    let mut found = BTreeSet::new();
    keys(&served, &mut found);
    let allowed: BTreeSet<String> = [
        "total_points",
        "pass_mark",
        "sections",
        "question_type",
        "points_per_question",
        "scoring",
        "rule",
        "per_option",
        "items",
        "number",
        "question",
        "stem",
        "options",
    ]
    .into_iter()
    .map(str::to_owned)
    .collect();
    assert!(
        found.is_subset(&allowed),
        "unexpected fields reach the candidate: {:?}",
        found.difference(&allowed).collect::<Vec<_>>()
    );
    for word in [
        "answer",
        "key",
        "correct",
        "explanation",
        "legal_basis",
        "difficulty",
        "revision",
        "question_id",
        "pool",
    ] {
        assert!(!bytes.contains(word), "{word} reaches the candidate");
    }

    // It is the stored paper: the same questions, order and option order as the office's
    // keyed copy; and none of the key's companions (explanations) is in the bytes.
    let keyed: Value = admin
        .ok(
            "papers/appeal",
            json!({ "batch_id": batch, "ticket_no": ticket_no }),
        )
        .await;
    let flat = |paper: &Value, item_field: &str| -> Vec<Value> {
        paper["sections"]
            .as_array()
            .expect("sections")
            .iter()
            .flat_map(|s| s["items"].as_array().cloned().unwrap_or_default())
            .map(|q| {
                if item_field.is_empty() {
                    q
                } else {
                    q[item_field].clone()
                }
            })
            .collect()
    };
    let served_items = flat(&served, "question");
    let keyed_items = flat(&keyed["paper"], "");
    assert_eq!(served_items.len(), 80);
    for (s, k) in served_items.iter().zip(&keyed_items) {
        assert_eq!(s["stem"], k["stem"]);
        assert_eq!(s["options"], k["options"]);
        let explanation = k["explanation"].as_str().unwrap_or("");
        if explanation.chars().count() > 12 {
            assert!(!bytes.contains(explanation), "an explanation leaked");
        }
    }

    // One live sign-in per candidate: signing in elsewhere is refused while this one lives.
    let elsewhere = app.anonymous();
    let (status, _) = elsewhere
        .call(
            "exam/login",
            json!({ "ticket_no": ticket_no, "access_code": code }),
        )
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    let (status, _) = candidate.call("exam/ticket", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let audit: Value = admin.ok("admin/audit/list", json!({ "page": 0 })).await;
    assert!(
        audit["entries"]
            .as_array()
            .expect("entries")
            .iter()
            .any(|e| e["action"] == "auth.ticket_login")
    );
}

#[tokio::test]
async fn a_professional_batch_draws_only_from_its_field() {
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let plan: i64 = officer
        .ok(
            "plans/create",
            json!({ "input": { "exam_kind": "professional", "field": "市场监管",
            "period_from": "2026-12-01", "period_to": "2026-12-31", "note": "" } }),
        )
        .await;
    for i in 0..2 {
        let added: Value = officer
            .ok(
                "plans/candidates/add",
                json!({ "plan_id": plan, "candidate": candidate("周强", "19880101", 300 + i) }),
            )
            .await;
        assert!(added.get("Stored").is_some(), "{added}");
    }
    let () = officer
        .ok(
            "plans/transition",
            json!({ "id": plan, "action": "submit" }),
        )
        .await;
    approve(&app, &[plan]).await;
    let batch: i64 = admin
        .ok(
            "batches/create",
            json!({ "name": "2026 年第 2 批专业法律知识考试(市场监管)", "exam_kind": "professional", "field": "市场监管" }),
        )
        .await;
    let () = admin
        .ok(
            "batches/include-plan",
            json!({ "batch_id": batch, "plan_id": plan }),
        )
        .await;
    let () = admin
        .ok("batches/sessions/add", json!({ "batch_id": batch, "starts_at": "2099-12-21T09:00", "duration_minutes": 90, "late_entry_minutes": 15 }))
        .await;
    let () = admin
        .ok("batches/rooms/add", json!({ "batch_id": batch, "venue": "市行政学院", "name": "第 1 考场", "address": "", "capacity": 2 }))
        .await;
    let info: Value = admin
        .ok("papers/blueprint", json!({ "batch_id": batch }))
        .await;
    assert_eq!(info["parts"]["exam_kind"], "professional");
    assert_eq!(info["question_count"], 45);
    let report: Value = admin
        .ok("papers/coverage", json!({ "batch_id": batch }))
        .await;
    let available = app
        .count(
            "SELECT COUNT(*) AS n FROM question WHERE status = 'active' AND exam_kind = 'professional' \
             AND field = '市场监管' AND question_type = 'single'",
        )
        .await;
    assert_eq!(
        report["report"]["sections"][0]["available"].as_i64(),
        Some(available),
        "the pool is the field's single-choice questions"
    );
    schedule_and_assemble(&admin, batch).await;

    let rosters: Vec<Value> = admin
        .ok("batches/rosters", json!({ "batch_id": batch }))
        .await;
    let ticket = rosters[0]["lines"][0]["ticket_no"].clone();
    let view: Value = admin
        .ok(
            "papers/appeal",
            json!({ "batch_id": batch, "ticket_no": ticket }),
        )
        .await;
    assert_eq!(view["identical"], true);
    let ids: Vec<String> = view["paper"]["sections"]
        .as_array()
        .expect("sections")
        .iter()
        .flat_map(|s| s["items"].as_array().cloned().unwrap_or_default())
        .map(|q| q["question_id"].to_string())
        .collect();
    assert_eq!(ids.len(), 45);
    let in_field = app
        .count(&format!(
            "SELECT COUNT(*) AS n FROM question WHERE id IN ({}) AND exam_kind = 'professional' \
             AND field = '市场监管'",
            ids.join(",")
        ))
        .await;
    assert_eq!(in_field, 45, "every question is from the candidates' field");
}

/// The batch's stored papers in dealing order, with their ticket numbers and `deal_seq`.
async fn stored_papers(app: &TestApp, batch: i64) -> Vec<(i32, String, Paper)> {
    let db = &app.state.db;
    let numbers: HashMap<i64, String> = ticket::Entity::find()
        .filter(ticket::Column::BatchId.eq(batch))
        .all(db)
        .await
        .expect("tickets")
        .into_iter()
        .map(|t| (t.id, t.ticket_no))
        .collect();
    paper::Entity::find()
        .filter(paper::Column::BatchId.eq(batch))
        .order_by_asc(paper::Column::DealSeq)
        .all(db)
        .await
        .expect("papers")
        .into_iter()
        .map(|p| {
            let body: Paper = serde_json::from_str(&p.body).expect("a stored paper");
            (p.deal_seq, numbers[&p.ticket_id].clone(), body)
        })
        .collect()
}

/// The papers of the whole batch dealt in one go, straight from `question_bank`: the frozen
/// snapshot, the blueprint, the secret and the tickets in ticket-number order.
async fn one_go(app: &TestApp, batch: i64) -> Vec<(String, Paper)> {
    let db = &app.state.db;
    let b = batch::Entity::find_by_id(batch)
        .one(db)
        .await
        .expect("batch")
        .expect("the batch exists");
    let refs: Vec<QuestionRef> =
        serde_json::from_str(b.bank_snapshot.as_deref().expect("frozen")).expect("refs");
    let revisions = question_revision::Entity::find()
        .filter(question_revision::Column::Id.is_in(refs.iter().map(|r| r.revision_id)))
        .all(db)
        .await
        .expect("revisions");
    let snapshot = BankSnapshot::new(
        revisions
            .iter()
            .map(|r| {
                let q = app::bank::ssr::question_of(r).expect("a question");
                (
                    QuestionRef {
                        question_id: r.question_id,
                        revision_id: r.id,
                    },
                    q,
                )
            })
            .collect(),
    )
    .expect("snapshot");
    let blueprint = app::papers::ssr::blueprint_of(&b).expect("blueprint");
    let pool = PreparedPool::new(&blueprint, &snapshot, None).expect("pool");
    assert_eq!(b.pool_fingerprint.as_deref(), Some(pool.fingerprint()));
    let secret: [u8; 32] = (0..32)
        .map(|i| u8::from_str_radix(&b.secret_seed[2 * i..2 * i + 2], 16).expect("hex"))
        .collect::<Vec<_>>()
        .try_into()
        .expect("32 bytes");
    let tickets: Vec<String> = ticket::Entity::find()
        .filter(ticket::Column::BatchId.eq(batch))
        .order_by_asc(ticket::Column::TicketNo)
        .all(db)
        .await
        .expect("tickets")
        .into_iter()
        .map(|t| t.ticket_no)
        .collect();
    let papers = pool.assemble_batch(&secret, &tickets).expect("papers");
    tickets.into_iter().zip(papers).collect()
}

/// Checks the stored papers: `deal_seq` 1, 2, 3… and each the paper of dealing the batch in
/// one go.
async fn assert_papers_of_one_go(app: &TestApp, batch: i64) {
    let stored = stored_papers(app, batch).await;
    let seqs: Vec<i32> = stored.iter().map(|(seq, _, _)| *seq).collect();
    assert_eq!(seqs, (1..=stored.len() as i32).collect::<Vec<_>>());
    let whole = one_go(app, batch).await;
    assert!(stored.len() <= whole.len());
    for ((_, ticket, paper), (expected_ticket, expected)) in stored.iter().zip(&whole) {
        assert_eq!(ticket, expected_ticket, "dealt in ticket-number order");
        assert!(paper == expected, "{ticket}: not the paper of one go");
    }
}

async fn assemble_once(admin: &Client, batch: i64) -> u64 {
    let p: Value = admin
        .ok("papers/assemble", json!({ "batch_id": batch }))
        .await;
    p["assembled"].as_u64().expect("assembled")
}

async fn deal_states(app: &TestApp, batch: i64) -> i64 {
    app.count(&format!(
        "SELECT COUNT(*) AS n FROM paper_deal_state WHERE batch_id = {batch}"
    ))
    .await
}

#[tokio::test]
async fn a_batch_assembled_in_chunks_takes_up_its_stored_dealing_state_and_equals_one_go() {
    let app = TestApp::spawn_with(|args| args.assembly_chunk = 3).await;
    let (admin, batch) = draft_batch(&app, 8, 1987).await;
    let _: u64 = admin
        .ok("batches/schedule", json!({ "batch_id": batch }))
        .await;
    let mut steps = Vec::new();
    loop {
        let done = assemble_once(&admin, batch).await;
        steps.push(done);
        if done == 8 {
            break;
        }
        // Between chunks, where the dealing stands is stored beside the papers.
        assert_eq!(
            app.count(&format!(
                "SELECT COUNT(*) AS n FROM paper_deal_state WHERE batch_id = {batch} AND dealt = {done}"
            ))
            .await,
            1
        );
    }
    assert_eq!(steps, [3, 6, 8]);
    assert_eq!(deal_states(&app, batch).await, 0, "nothing left to take up");
    assert_papers_of_one_go(&app, batch).await;

    // The appeal view regenerates each from the secret, the ticket and the deal order.
    for (_, ticket, _) in stored_papers(&app, batch).await {
        let view: Value = admin
            .ok(
                "papers/appeal",
                json!({ "batch_id": batch, "ticket_no": ticket }),
            )
            .await;
        assert_eq!(view["identical"], true, "{ticket}: {}", view["differences"]);
    }
}

#[tokio::test]
async fn a_stored_dealing_state_that_does_not_fit_stops_assembly_and_rescheduling_clears_it() {
    let app = TestApp::spawn_with(|args| args.assembly_chunk = 3).await;
    let (admin, batch) = draft_batch(&app, 7, 1988).await;
    let _: u64 = admin
        .ok("batches/schedule", json!({ "batch_id": batch }))
        .await;
    assert_eq!(assemble_once(&admin, batch).await, 3);
    let papers = format!("SELECT COUNT(*) AS n FROM paper WHERE batch_id = {batch}");

    // A state that parses but belongs to another batch: refused, nothing dealt.
    app.sql(&format!(
        "UPDATE paper_deal_state SET state = REPLACE(state, '\"batch\":\"', '\"batch\":\"0') \
         WHERE batch_id = {batch}"
    ))
    .await;
    let (status, _) = admin
        .call("papers/assemble", json!({ "batch_id": batch }))
        .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(app.count(&papers).await, 3, "never a fresh start");
    app.sql(&format!(
        "UPDATE paper_deal_state SET state = REPLACE(state, '\"batch\":\"0', '\"batch\":\"') \
         WHERE batch_id = {batch}"
    ))
    .await;

    // Papers without a state (assembly begun before states were stored): replayed once.
    app.sql(&format!(
        "DELETE FROM paper_deal_state WHERE batch_id = {batch}"
    ))
    .await;
    assert_eq!(assemble_once(&admin, batch).await, 6);
    assert_eq!(deal_states(&app, batch).await, 1);
    assert_papers_of_one_go(&app, batch).await;

    // A state that does not parse: a logged error, not a restart from zero.
    app.sql(&format!(
        "UPDATE paper_deal_state SET state = 'not json' WHERE batch_id = {batch}"
    ))
    .await;
    let (status, _) = admin
        .call("papers/assemble", json!({ "batch_id": batch }))
        .await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    assert_eq!(app.count(&papers).await, 6);

    // Rescheduling drops the papers and the state with them; assembly starts afresh.
    let _: u64 = admin
        .ok("batches/schedule", json!({ "batch_id": batch }))
        .await;
    assert_eq!(app.count(&papers).await, 0);
    assert_eq!(deal_states(&app, batch).await, 0);
    assert_eq!(assemble_once(&admin, batch).await, 3);
    assert_eq!(assemble_once(&admin, batch).await, 6);
    assert_eq!(assemble_once(&admin, batch).await, 7);
    assert_papers_of_one_go(&app, batch).await;
}

#[tokio::test]
async fn simultaneous_assembly_calls_deal_consecutive_chunks_never_the_same_one_twice() {
    let app = TestApp::spawn_with(|args| args.assembly_chunk = 3).await;
    let (admin, batch) = draft_batch(&app, 13, 1989).await;
    let _: u64 = admin
        .ok("batches/schedule", json!({ "batch_id": batch }))
        .await;
    // Four tabs at once: each call waits for the one before and deals the next chunk.
    let (a, b, c, d) = tokio::join!(
        assemble_once(&admin, batch),
        assemble_once(&admin, batch),
        assemble_once(&admin, batch),
        assemble_once(&admin, batch)
    );
    let mut all = [a, b, c, d];
    all.sort_unstable();
    assert_eq!(all, [3, 6, 9, 12]);
    assert_eq!(assemble_once(&admin, batch).await, 13);
    assert_papers_of_one_go(&app, batch).await;
}
