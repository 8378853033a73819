//! Results over HTTP: scoring once the exam is over, the review of attempts with evidence,
//! publication (once, final, refused while reviews are open, carrying the audit head), who
//! sees what before and after, agency scope, key corrections re-scoring exactly the attempts
//! whose paper held the question, and the exports.

use std::collections::{BTreeMap, BTreeSet};

use app::roles::Role;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::{
    batches::{approve, batch_with_rooms},
    papers::schedule_and_assemble,
    procedure::submitted_plan,
    sitting::started,
    support::{Client, DEMO_PASSWORD, TestApp},
};

/// A batch of two agencies (two candidates each) whose exam is over: three sat (answering the
/// first twenty questions with the first option shown), one was absent, and the first was
/// voided for misconduct. The admin, the batch and the printed tickets (ticket, code, agency).
struct Sat {
    admin: Client,
    scjg: Client,
    sthj: Client,
    batch: i64,
    tickets: Vec<(String, String, String)>,
    /// The signed-in clients of the three who sat.
    candidates: Vec<Client>,
}

async fn sat_batch(app: &TestApp) -> Sat {
    let scjg = app.as_role(Role::AgencyOfficer).await;
    let sthj = app.signed_in("officer.sthj", DEMO_PASSWORD).await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let plans = [
        submitted_plan(&scjg, 2, 1984).await,
        submitted_plan(&sthj, 2, 1987).await,
    ];
    approve(app, &plans).await;
    let batch = batch_with_rooms(&admin, &plans, &[4]).await;
    schedule_and_assemble(&admin, batch).await;
    let printed: Vec<Value> = admin
        .ok("batches/tickets/print", json!({ "batch_id": batch }))
        .await;
    app.start_sessions(batch, 1).await;
    let tickets: Vec<(String, String, String)> = printed
        .iter()
        .map(|t| {
            let s = |k: &str| t[k].as_str().expect(k).to_owned();
            (s("ticket_no"), s("access_code"), s("agency"))
        })
        .collect();
    let mut candidates = Vec::new();
    for (i, t) in tickets.iter().enumerate().take(3) {
        let c = started(app, &(t.0.clone(), t.1.clone())).await;
        let answers: Vec<Value> = (1..=20)
            .map(|item| json!({ "item": item, "seq": item, "response": { "choices": [0] } }))
            .collect();
        let _: Value = c
            .ok("exam/save", json!({ "answers": answers, "events": [] }))
            .await;
        if i > 0 {
            let _: Value = c.ok("exam/submit", json!({})).await;
        }
        candidates.push(c);
    }
    let () = admin
        .ok(
            "proctor/misconduct",
            json!({ "ticket_no": tickets[0].0, "category": "communication",
                    "description": "与邻座交谈", "void": true }),
        )
        .await;
    // The day is over.
    app.start_sessions(batch, 24 * 60).await;
    Sat {
        admin,
        scjg,
        sthj,
        batch,
        tickets,
        candidates,
    }
}

async fn refused(c: &Client, endpoint: &str, body: Value, status: StatusCode, field: &str) {
    let (got, err) = c.err(endpoint, body).await;
    assert_eq!(got, status, "{endpoint}: {err:?}");
    assert_eq!(err.field(), Some(field), "{endpoint}: {err:?}");
}

/// Stored totals by ticket id.
async fn totals(app: &TestApp) -> BTreeMap<i64, (String, i32)> {
    use app::ssr::entities::exam_result;
    use sea_orm::EntityTrait;
    exam_result::Entity::find()
        .all(&app.state.db)
        .await
        .expect("results")
        .into_iter()
        .map(|r| (r.ticket_id, (r.outcome, r.total)))
        .collect()
}

#[tokio::test]
async fn results_are_reviewed_published_once_and_reach_each_reader_only_in_scope() {
    let app = TestApp::spawn().await;
    let Sat {
        admin,
        scjg,
        sthj,
        batch,
        tickets,
        candidates,
    } = sat_batch(&app).await;
    let body = json!({ "batch_id": batch });

    // Before publication: neither agencies nor candidates see anything.
    refused(
        &scjg,
        "results/list",
        body.clone(),
        StatusCode::CONFLICT,
        "batch",
    )
    .await;
    let candidate = &candidates[1];
    let mine: Value = candidate.ok("results/mine", json!({})).await;
    assert!(mine.get("NotPublished").is_some(), "{mine}");

    // Scoring closes the batch; the voided attempt awaits review, so publication is refused.
    let scored: Value = admin.ok("results/score", body.clone()).await;
    assert_eq!(scored["revision"], 1);
    let overview: Value = admin.ok("results/overview", body.clone()).await;
    assert_eq!(overview["status"], "closed");
    assert_eq!(
        (
            &overview["registered"],
            &overview["sat"],
            &overview["absent"],
            &overview["voided"]
        ),
        (&json!(4), &json!(2), &json!(1), &json!(1)),
        "{overview}"
    );
    assert!(
        overview["histogram_svg"]
            .as_str()
            .is_some_and(|s| s.starts_with("<svg") && s.contains("<rect")),
        "a real chart"
    );
    assert_eq!(overview["open_reviews"], 1);
    refused(
        &admin,
        "results/publish",
        body.clone(),
        StatusCode::CONFLICT,
        "reviews",
    )
    .await;

    // The review: a reason is required; lifting the voiding scores the attempt.
    let cases: Vec<Value> = admin.ok("results/reviews", body.clone()).await;
    assert_eq!(cases.len(), 1, "{cases:?}");
    assert_eq!(cases[0]["status"], "voided");
    let attempt_id = cases[0]["attempt_id"].clone();
    refused(
        &admin,
        "results/review",
        json!({ "attempt_id": attempt_id, "decision": "lifted", "reason": " " }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "reason",
    )
    .await;
    let () = admin
        .ok(
            "results/review",
            json!({ "attempt_id": attempt_id, "decision": "lifted", "reason": "监控录像显示未交谈" }),
        )
        .await;
    let overview: Value = admin.ok("results/overview", body.clone()).await;
    assert_eq!(
        (&overview["sat"], &overview["voided"]),
        (&json!(3), &json!(0))
    );

    // Publication: once, final, carrying the audit head of that moment.
    let published: Value = admin.ok("results/publish", body.clone()).await;
    let head: String = {
        use app::ssr::entities::audit_head;
        use sea_orm::EntityTrait;
        audit_head::Entity::find_by_id(1)
            .one(&app.state.db)
            .await
            .expect("query")
            .expect("head")
            .last_hash
    };
    assert_eq!(published["audit_head"], json!(head));
    assert_eq!(published["sat"], 3);
    refused(
        &admin,
        "results/publish",
        body.clone(),
        StatusCode::CONFLICT,
        "batch",
    )
    .await;
    refused(
        &admin,
        "results/score",
        body.clone(),
        StatusCode::CONFLICT,
        "batch",
    )
    .await;
    refused(
        &admin,
        "results/review",
        json!({ "attempt_id": attempt_id, "decision": "upheld", "reason": "改判" }),
        StatusCode::CONFLICT,
        "batch",
    )
    .await;
    assert_eq!(
        app.count(&format!(
            "SELECT COUNT(*) FROM publication WHERE batch_id = {batch}"
        ))
        .await,
        1
    );

    // Each agency sees its own two candidates, never the other's.
    let own: Value = scjg.ok("results/list", body.clone()).await;
    let theirs: Value = sthj.ok("results/list", body.clone()).await;
    let numbers = |v: &Value| -> BTreeSet<String> {
        v["lines"]
            .as_array()
            .expect("lines")
            .iter()
            .map(|l| l["ticket_no"].as_str().expect("ticket").to_owned())
            .collect()
    };
    assert_eq!(numbers(&own).len(), 2);
    assert_eq!(numbers(&theirs).len(), 2);
    assert!(numbers(&own).is_disjoint(&numbers(&theirs)));
    let scjg_agency = own["lines"][0]["agency"].clone();
    for l in own["lines"].as_array().expect("lines") {
        assert_eq!(l["agency"], scjg_agency);
    }
    assert_ne!(theirs["lines"][0]["agency"], scjg_agency);

    // The candidate sees their total, pass or fail and areas; no key, no questions.
    let (status, raw) = candidate.call_raw("results/mine", json!({})).await;
    assert_eq!(status, StatusCode::OK);
    let mine: Value = serde_json::from_str(&raw).expect("json");
    let r = &mine["Published"]["notice"]["result"];
    assert!(r["total"].is_number(), "{mine}");
    assert!(["passed", "failed"].contains(&r["outcome"].as_str().unwrap_or("")));
    assert_eq!(r["areas"].as_array().map(Vec::len), Some(1));
    for secret in [
        "answer_key",
        "key",
        "stem",
        "options",
        "revision",
        "resident",
    ] {
        assert!(
            !raw.contains(secret),
            "the result carries “{secret}”: {raw}"
        );
    }

    // The absent candidate may sign in after the exam and reads "absent".
    let absent = app.anonymous();
    let (status, body) = absent
        .call(
            "exam/login",
            json!({ "ticket_no": tickets[3].0, "access_code": tickets[3].1 }),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let mine: Value = absent.ok("results/mine", json!({})).await;
    assert_eq!(mine["Published"]["notice"]["result"]["outcome"], "absent");
}

#[tokio::test]
async fn a_key_correction_rescores_exactly_the_attempts_whose_paper_held_the_question() {
    let app = TestApp::spawn().await;
    let Sat { admin, batch, .. } = sat_batch(&app).await;
    let body = json!({ "batch_id": batch });
    refused(
        &admin,
        "results/items",
        body.clone(),
        StatusCode::CONFLICT,
        "batch",
    )
    .await;
    let _: Value = admin.ok("results/score", body.clone()).await;
    let items: Vec<Value> = admin.ok("results/items", body.clone()).await;
    assert!(!items.is_empty());
    // A single-choice question some but not all papers hold, answered by someone.
    let item = items
        .iter()
        .find(|i| i["question_type"] == "single" && i["candidates"].as_u64() < Some(2))
        .or_else(|| items.iter().find(|i| i["question_type"] == "single"))
        .expect("a single-choice question");
    let revision = item["revision_id"].as_i64().expect("revision");
    let bank_key = item["bank_key"].as_str().expect("key");
    let new_key = if bank_key == "A" { "B" } else { "A" };

    // Refusals name the field.
    for (decision, key, reason, field) in [
        ("rekey", "Z", "答案有误", "new_key"),
        ("rekey", bank_key, "答案有误", "new_key"),
        ("void_award", "", "", "reason"),
    ] {
        refused(
            &admin,
            "results/decide",
            json!({ "batch_id": batch, "revision_id": revision, "decision": decision,
                    "new_key": key, "reason": reason }),
            StatusCode::UNPROCESSABLE_ENTITY,
            field,
        )
        .await;
    }
    refused(
        &admin,
        "results/decide",
        json!({ "batch_id": batch, "revision_id": 987_654, "decision": "void_award",
                "new_key": null, "reason": "x" }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "revision_id",
    )
    .await;

    // Which tickets' papers hold it, read from the stored papers.
    let holders: BTreeSet<String> = {
        use app::ssr::entities::{paper, ticket};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let papers = paper::Entity::find()
            .filter(paper::Column::BatchId.eq(batch))
            .all(&app.state.db)
            .await
            .expect("papers");
        let mut out = BTreeSet::new();
        for p in papers {
            let parsed: question_bank::Paper = serde_json::from_str(&p.body).expect("paper");
            if parsed
                .question_order()
                .iter()
                .any(|q| q.revision_id == revision)
            {
                let t = ticket::Entity::find_by_id(p.ticket_id)
                    .one(&app.state.db)
                    .await
                    .expect("query")
                    .expect("ticket");
                // Only the attempts (the absent candidate has none).
                let sat = app
                    .count(&format!(
                        "SELECT COUNT(*) FROM attempt WHERE ticket_id = {}",
                        t.id
                    ))
                    .await;
                if sat > 0 {
                    out.insert(
                        app::procedure::TicketNumber::parse(&t.ticket_no)
                            .expect("number")
                            .grouped(),
                    );
                }
            }
        }
        out
    };
    let before = totals(&app).await;
    let affected: Vec<Value> = admin
        .ok(
            "results/decide",
            json!({ "batch_id": batch, "revision_id": revision, "decision": "rekey",
                    "new_key": new_key, "reason": "法条已修订,原答案有误" }),
        )
        .await;
    let listed: BTreeSet<String> = affected
        .iter()
        .map(|a| a["ticket_no"].as_str().expect("ticket").to_owned())
        .collect();
    assert_eq!(listed, holders, "the attempts listed are those holding it");
    let after = totals(&app).await;
    let changed: usize = before
        .iter()
        .filter(|(id, v)| after.get(id) != Some(v))
        .count();
    let reported = affected
        .iter()
        .filter(|a| a["before"] != a["after"])
        .count();
    assert_eq!(changed, reported, "only listed attempts changed");
    assert!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'results.decide'")
            .await
            == 1
    );
    let items: Vec<Value> = admin.ok("results/items", body.clone()).await;
    let row = items
        .iter()
        .find(|i| i["revision_id"] == revision)
        .expect("the row");
    assert_eq!(row["decision"]["kind"], "rekey");
    assert_eq!(row["decision"]["answer_key"], new_key);

    // Voided with points awarded: every holder gets the question's point; taken back: as before
    // the correction.
    let _: Vec<Value> = admin
        .ok(
            "results/decide",
            json!({ "batch_id": batch, "revision_id": revision, "decision": "void_award",
                    "new_key": null, "reason": "题干有歧义" }),
        )
        .await;
    let _: Vec<Value> = admin
        .ok(
            "results/decide",
            json!({ "batch_id": batch, "revision_id": revision, "decision": null,
                    "new_key": null, "reason": "撤回处理" }),
        )
        .await;
    assert_eq!(totals(&app).await, before);
    assert_eq!(app.count("SELECT COUNT(*) FROM item_decision").await, 0);
}

#[tokio::test]
async fn scoring_waits_for_the_end_of_the_exam() {
    let app = TestApp::spawn().await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let plan = submitted_plan(&officer, 1, 1983).await;
    approve(&app, &[plan]).await;
    let batch = batch_with_rooms(&admin, &[plan], &[1]).await;
    let body = json!({ "batch_id": batch });
    refused(
        &admin,
        "results/score",
        body.clone(),
        StatusCode::CONFLICT,
        "batch",
    )
    .await;
    schedule_and_assemble(&admin, batch).await;
    app.start_sessions(batch, 1).await;
    refused(
        &admin,
        "results/score",
        body.clone(),
        StatusCode::CONFLICT,
        "batch",
    )
    .await;
    assert_eq!(app.count("SELECT COUNT(*) FROM exam_result").await, 0);
    let (status, _) = admin
        .call("results/overview", json!({ "batch_id": 987_654 }))
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

/// GETs an export: (status, content type, bytes).
async fn download(c: &Client, query: String) -> (StatusCode, String, Vec<u8>) {
    let r = c.get(&format!("/api/results/export?{query}")).await;
    let status = r.status();
    let kind = r
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    (status, kind, r.bytes().await.expect("body").to_vec())
}

#[tokio::test]
async fn the_agency_downloads_its_results_as_xlsx_and_csv_and_the_office_the_pass_list() {
    let app = TestApp::spawn().await;
    let Sat {
        admin,
        scjg,
        batch,
        tickets,
        ..
    } = sat_batch(&app).await;
    let _: Value = admin
        .ok("results/score", json!({ "batch_id": batch }))
        .await;
    let cases: Vec<Value> = admin
        .ok("results/reviews", json!({ "batch_id": batch }))
        .await;
    for c in &cases {
        let () = admin
            .ok(
                "results/review",
                json!({ "attempt_id": c["attempt_id"], "decision": "upheld", "reason": "违纪属实" }),
            )
            .await;
    }
    let _: Value = admin
        .ok("results/publish", json!({ "batch_id": batch }))
        .await;

    let (status, kind, xlsx) =
        download(&scjg, format!("batch_id={batch}&list=all&format=xlsx")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(kind.contains("spreadsheetml"), "{kind}");
    let table = question_bank::read_xlsx_table(&xlsx, &question_bank::ImportLimits::default());
    let table = table.expect("a readable workbook");
    let list: Value = scjg.ok("results/list", json!({ "batch_id": batch })).await;
    let expected: BTreeSet<String> = list["lines"]
        .as_array()
        .expect("lines")
        .iter()
        .map(|l| l["ticket_no"].as_str().expect("ticket").to_owned())
        .collect();
    let in_file: BTreeSet<String> = table.rows.iter().map(|r| r.cells[0].clone()).collect();
    assert_eq!(in_file, expected, "the agency's own candidates, no other");
    assert_eq!(table.headers[0], "准考证号");
    let (_, _, all) = download(&admin, format!("batch_id={batch}&list=all&format=xlsx")).await;
    let all = question_bank::read_xlsx_table(&all, &question_bank::ImportLimits::default())
        .expect("a readable workbook");
    assert_eq!(all.rows.len(), tickets.len());
    assert!(
        all.rows
            .iter()
            .any(|r| r.cells.contains(&"成绩无效".to_owned())),
        "the upheld voiding shows"
    );

    let (status, _, csv) = download(&scjg, format!("batch_id={batch}&list=all&format=csv")).await;
    assert_eq!(status, StatusCode::OK);
    let csv = String::from_utf8(csv).expect("utf-8");
    assert!(csv.starts_with('\u{feff}'), "a BOM for Excel");
    assert_eq!(csv.lines().count(), 3, "header and two rows: {csv}");

    let (status, _, _) = download(&scjg, format!("batch_id={batch}&list=all&format=pdf")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);

    let (status, _, pass) =
        download(&admin, format!("batch_id={batch}&list=pass&format=csv")).await;
    assert_eq!(status, StatusCode::OK);
    let pass = String::from_utf8(pass).expect("utf-8");
    assert!(
        pass.lines()
            .next()
            .is_some_and(|h| h.contains("公民身份号码"))
    );
    assert!(!pass.contains("不合格") && !pass.contains("缺考"), "{pass}");
}

/// The stored ticket number of the person with `resident` ID's result.
async fn ticket_of(app: &TestApp, resident: &str) -> String {
    use app::ssr::entities::{person_result, ticket};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    let p = person_result::Entity::find()
        .filter(person_result::Column::ResidentId.eq(resident))
        .one(&app.state.db)
        .await
        .expect("query")
        .expect("a result");
    ticket::Entity::find_by_id(p.ticket_id)
        .one(&app.state.db)
        .await
        .expect("query")
        .expect("ticket")
        .ticket_no
}

/// A sat batch scored, its reviews upheld and published.
async fn published_batch(app: &TestApp) -> Sat {
    let sat = sat_batch(app).await;
    let body = json!({ "batch_id": sat.batch });
    let _: Value = sat.admin.ok("results/score", body.clone()).await;
    let cases: Vec<Value> = sat.admin.ok("results/reviews", body.clone()).await;
    for c in &cases {
        let () = sat
            .admin
            .ok(
                "results/review",
                json!({ "attempt_id": c["attempt_id"], "decision": "upheld", "reason": "违纪属实" }),
            )
            .await;
    }
    let _: Value = sat.admin.ok("results/publish", body).await;
    sat
}

#[tokio::test]
async fn the_public_page_verifies_a_notice_shows_nothing_more_and_throttles_guessing() {
    let app = TestApp::spawn().await;
    let Sat {
        scjg,
        batch,
        candidates,
        ..
    } = published_batch(&app).await;
    let mine: Value = candidates[1].ok("results/mine", json!({})).await;
    let notice = &mine["Published"]["notice"];
    let code = notice["code"].as_str().expect("code").to_owned();
    assert_eq!(code.len(), 19, "four groups of four: {code}");
    assert!(
        notice["verify_url"]
            .as_str()
            .is_some_and(|u| u.ends_with(&format!("/verify/{}", code.replace('-', "")))),
        "{notice}"
    );
    assert!(
        notice["qr_svg"]
            .as_str()
            .is_some_and(|s| s.contains("<svg"))
    );
    let stored: String = {
        use app::ssr::entities::result_notice;
        use sea_orm::EntityTrait;
        let all = result_notice::Entity::find()
            .all(&app.state.db)
            .await
            .expect("notices");
        assert_eq!(all.len(), 4, "a notice for every ticket");
        all.iter()
            .find(|n| n.code == code.replace('-', ""))
            .expect("stored")
            .code
            .clone()
    };
    assert_eq!(stored.len(), 16);

    // Anyone may verify, in any spelling of the code.
    let public = app.anonymous();
    let (status, raw) = public
        .call_raw("results/verify", json!({ "code": code.to_lowercase() }))
        .await;
    assert_eq!(status, StatusCode::OK, "{raw}");
    let v: Value = serde_json::from_str(&raw).expect("json");
    assert_eq!(v["status"], "valid");
    let name = notice["result"]["name"].as_str().expect("name");
    let masked = v["name"].as_str().expect("masked");
    assert_eq!(masked.chars().next(), name.chars().next());
    assert_ne!(masked, name, "the name is partly masked");
    // Nothing beyond: no ID number, birth date, ticket, answers or other candidates.
    let resident: String = {
        use app::ssr::entities::plan_candidate;
        use sea_orm::EntityTrait;
        plan_candidate::Entity::find()
            .all(&app.state.db)
            .await
            .expect("candidates")
            .into_iter()
            .map(|c| c.resident_id)
            .collect::<Vec<_>>()
            .join("|")
    };
    for id in resident.split('|') {
        assert!(!raw.contains(id), "the ID number leaks");
        assert!(!raw.contains(&id[6..14]), "the birth date leaks");
    }
    let ticket = notice["result"]["ticket_no"].as_str().expect("ticket");
    assert!(!raw.contains(ticket) && !raw.contains(name));
    for key in ["answers", "items", "ticket", "resident", "agency"] {
        assert!(!raw.contains(key), "“{key}” in {raw}");
    }

    // A mistyped character is caught by the check character, naming the field.
    let mut typo: Vec<char> = stored.chars().collect();
    typo[3] = if typo[3] == 'A' { 'B' } else { 'A' };
    refused(
        &public,
        "results/verify",
        json!({ "code": typo.iter().collect::<String>() }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "code",
    )
    .await;
    // Guessing is throttled: after ten failures even the right code waits.
    for _ in 0..9 {
        let (status, _) = public
            .call("results/verify", json!({ "code": "0000-0000-0000-0000" }))
            .await;
        assert_ne!(status, StatusCode::OK);
    }
    let (status, _) = public.call("results/verify", json!({ "code": code })).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);

    // The agency prints its own candidates' notices only.
    let notices: Vec<Value> = scjg
        .ok("results/notices", json!({ "batch_id": batch }))
        .await;
    let list: Value = scjg.ok("results/list", json!({ "batch_id": batch })).await;
    assert_eq!(notices.len(), list["lines"].as_array().map_or(0, Vec::len));
}

#[tokio::test]
async fn eligibility_refuses_a_holder_of_a_valid_pass_and_a_candidate_over_the_re_sit_limit() {
    let app = TestApp::spawn_with(|args| args.max_resits = 0).await;
    let Sat {
        admin,
        scjg,
        batch,
        candidates,
        ..
    } = published_batch(&app).await;

    // Candidate 1 asks for a score review; the office corrects the score to a pass, which
    // supersedes the notice with a new one.
    let first: Value = candidates[1].ok("results/mine", json!({})).await;
    let old_code = first["Published"]["notice"]["code"].clone();
    assert_eq!(first["Published"]["notice"]["result"]["outcome"], "failed");
    refused(
        &candidates[1],
        "results/request-review",
        json!({ "request": "  " }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "request",
    )
    .await;
    let () = candidates[1]
        .ok(
            "results/request-review",
            json!({ "request": "我认为第 3 题判分有误" }),
        )
        .await;
    refused(
        &candidates[1],
        "results/request-review",
        json!({ "request": "再次申请" }),
        StatusCode::CONFLICT,
        "request",
    )
    .await;
    let reviews: Vec<Value> = admin
        .ok("results/score-reviews", json!({ "batch_id": batch }))
        .await;
    assert_eq!(reviews.len(), 1);
    let id = reviews[0]["id"].clone();
    let detail: Value = admin.ok("results/score-review", json!({ "id": id })).await;
    assert_eq!(
        detail["appeal"]["identical"], true,
        "regenerated from the seed"
    );
    assert_eq!(detail["receipt_matches"], true, "{detail}");
    assert_eq!(detail["items"].as_array().map(Vec::len), Some(80));
    assert_eq!(
        detail["items"][0]["given"]["zh"], "A",
        "the first option as the candidate saw it"
    );
    refused(
        &admin,
        "results/answer-review",
        json!({ "id": id, "answer": "更正", "corrected_total": "abc" }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "corrected_total",
    )
    .await;
    let () = admin
        .ok(
            "results/answer-review",
            json!({ "id": id, "answer": "经复核,第 3 题应得分", "corrected_total": "88" }),
        )
        .await;
    let after: Value = candidates[1].ok("results/mine", json!({})).await;
    let notice = &after["Published"]["notice"];
    assert_eq!(notice["result"]["outcome"], "passed");
    assert_eq!(notice["result"]["total"], 88);
    assert_ne!(notice["code"], old_code, "a new notice");
    let public = app.anonymous();
    let old: Value = public
        .ok("results/verify", json!({ "code": old_code }))
        .await;
    assert_eq!(old["status"], "superseded");
    assert_eq!(
        after["Published"]["reviews"][0]["total_after"],
        json!(88),
        "{after}"
    );

    // The people of this batch, by outcome.
    let people: Vec<(String, String, String, String)> = {
        use app::ssr::entities::{person_result, plan_candidate};
        use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
        let mut out = Vec::new();
        for p in person_result::Entity::find()
            .all(&app.state.db)
            .await
            .expect("people")
        {
            let c = plan_candidate::Entity::find()
                .filter(plan_candidate::Column::ResidentId.eq(p.resident_id.clone()))
                .one(&app.state.db)
                .await
                .expect("query")
                .expect("candidate");
            out.push((p.outcome, c.name, p.resident_id, c.sex));
        }
        out
    };
    let of = |outcome: &str| {
        people
            .iter()
            .find(|p| p.0 == outcome)
            .cloned()
            .unwrap_or_else(|| panic!("a {outcome}: {people:?}"))
    };
    let plan = crate::procedure::new_plan(&scjg).await;
    let add = |person: (String, String, String, String)| {
        json!({ "plan_id": plan, "candidate": { "name": person.1, "resident_id": person.2,
            "sex": person.3, "post": "科员", "field": "市场监管", "staffing": "在编在岗",
            "mobile": "13800138000" } })
    };
    for (outcome, rule) in [("passed", "有效期至"), ("failed", "补考")] {
        let answer: Value = scjg.ok("plans/candidates/add", add(of(outcome))).await;
        let problems = &answer["Rejected"]["problems"];
        assert!(
            problems[0]["column"]
                .as_str()
                .is_some_and(|c| c.contains("身份")),
            "the ID column: {answer}"
        );
        assert!(
            problems[0]["message"]["zh"]
                .as_str()
                .is_some_and(|m| m.contains(rule)),
            "{outcome}: {answer}"
        );
    }
    // The absent candidate never sat: free to register again.
    let answer: Value = scjg.ok("plans/candidates/add", add(of("absent"))).await;
    assert!(answer.get("Stored").is_some(), "{answer}");

    // The pass holder's certificate application is recorded (a fail's is refused, naming the
    // field): the pass no longer lapses, and registration says why.
    let passer = of("passed");
    let failed_ticket = ticket_of(&app, &of("failed").2).await;
    refused(
        &admin,
        "results/certificates",
        json!({ "batch_id": batch, "ticket_nos": [failed_ticket] }),
        StatusCode::UNPROCESSABLE_ENTITY,
        "ticket_nos",
    )
    .await;
    let passed_ticket = ticket_of(&app, &passer.2).await;
    let marked: u32 = admin
        .ok(
            "results/certificates",
            json!({ "batch_id": batch, "ticket_nos": [passed_ticket] }),
        )
        .await;
    assert_eq!(marked, 1);
    app.sql("UPDATE person_result SET valid_until = '2020-01-01T00:00:00+00:00'")
        .await;
    let answer: Value = scjg.ok("plans/candidates/add", add(passer.clone())).await;
    assert!(
        answer["Rejected"]["problems"][0]["message"]["zh"]
            .as_str()
            .is_some_and(|m| m.contains("已申领执法证")),
        "{answer}"
    );
    // Without the application, the same lapsed pass no longer bars registration.
    app.sql("UPDATE person_result SET certificate_applied_at = NULL")
        .await;
    let answer: Value = scjg.ok("plans/candidates/add", add(passer)).await;
    assert!(answer.get("Stored").is_some(), "a lapsed pass: {answer}");

    // Statistics across batches count this batch.
    let stats: Value = admin.ok("results/statistics", json!({})).await;
    assert_eq!(stats["by_year"][0]["registered"], 4);
    assert_eq!(stats["by_year"][0]["passed"], 1, "{stats}");
    assert!(
        stats["chart_svg"]
            .as_str()
            .is_some_and(|s| s.contains("<svg"))
    );
}

#[tokio::test]
async fn the_demo_holds_a_published_batch_with_results_item_analysis_and_verifiable_notices() {
    let app = TestApp::spawn_with(|a| a.demo_exam = true).await;
    let admin = app.as_role(Role::OfficeAdmin).await;
    let batch = app.count("SELECT batch_id FROM publication").await;
    let overview: Value = admin
        .ok("results/overview", json!({ "batch_id": batch }))
        .await;
    assert_eq!(overview["status"], "published");
    assert_eq!(
        (
            &overview["registered"],
            &overview["absent"],
            &overview["voided"]
        ),
        (&json!(40), &json!(2), &json!(1)),
        "{overview}"
    );
    let passed = overview["passed"].as_u64().expect("passed");
    assert!(
        passed > 5 && passed < 37,
        "a spread of results: {passed} passed"
    );
    let items: Vec<Value> = admin
        .ok("results/items", json!({ "batch_id": batch }))
        .await;
    assert!(items.len() >= 80);
    assert!(
        overview["reliability"].as_f64().is_some_and(|r| r > 0.5),
        "simulated abilities make a reliable test: {overview}"
    );
    let notices: Vec<Value> = admin
        .ok("results/notices", json!({ "batch_id": batch }))
        .await;
    assert_eq!(notices.len(), 40);
    let v: Value = app
        .anonymous()
        .ok("results/verify", json!({ "code": notices[0]["code"] }))
        .await;
    assert_eq!(v["status"], "valid");
    // The open demo exam is still there beside it.
    assert_eq!(app.demo_tickets.len(), 30);
}

#[tokio::test]
async fn two_publications_at_the_same_moment_publish_once_with_one_notice_per_ticket() {
    let app = TestApp::spawn().await;
    let Sat { admin, batch, .. } = sat_batch(&app).await;
    let body = json!({ "batch_id": batch });
    let _: Value = admin.ok("results/score", body.clone()).await;
    let cases: Vec<Value> = admin.ok("results/reviews", body.clone()).await;
    for c in &cases {
        let () = admin
            .ok(
                "results/review",
                json!({ "attempt_id": c["attempt_id"], "decision": "upheld", "reason": "违纪属实" }),
            )
            .await;
    }
    let second = app.as_role(Role::OfficeAdmin).await;
    let (a, b, c) = tokio::join!(
        admin.call("results/publish", body.clone()),
        second.call("results/publish", body.clone()),
        second.call(
            "results/decide",
            json!({ "batch_id": batch, "revision_id": 1, "decision": "void_award",
                    "new_key": null, "reason": "同时作废" }),
        ),
    );
    let statuses = [a.0, b.0];
    assert_eq!(
        statuses.iter().filter(|s| **s == StatusCode::OK).count(),
        1,
        "{a:?} {b:?}"
    );
    assert!(statuses.contains(&StatusCode::CONFLICT));
    // A decision racing the publication either came first or was refused as locked.
    assert!(
        c.0 == StatusCode::CONFLICT
            || c.0 == StatusCode::UNPROCESSABLE_ENTITY
            || c.0 == StatusCode::OK,
        "{c:?}"
    );
    assert_eq!(app.count("SELECT COUNT(*) FROM publication").await, 1);
    assert_eq!(app.count("SELECT COUNT(*) FROM result_notice").await, 4);
    assert_eq!(app.count("SELECT COUNT(*) FROM person_result").await, 4);
    assert_eq!(
        app.count("SELECT COUNT(*) FROM audit_log WHERE action = 'results.publish'")
            .await,
        1
    );
}
