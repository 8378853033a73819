//! The question bank over HTTP: import with preview, all-or-nothing, revisions, retire, export.

use app::{error::AppError, roles::Role};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::support::{Client, TestApp};

const HEADER: &str =
    "题型,题干,选项A,选项B,选项C,选项D,答案,难度,考试类别,执法领域,法律依据,知识点,解析\n";

fn valid_csv(tag: &str) -> String {
    format!(
        "{HEADER}\
单选题,{tag}行政处罚的种类不包括(  )。,警告,罚款,记过,拘留,C,2,综合法律知识,,《中华人民共和国行政处罚法》第九条,处罚种类,记过是政务处分。\n\
多选题,{tag}下列属于行政强制措施的有(  )。,查封场所,扣押财物,罚款,冻结存款,ABD,3,综合法律知识,,《中华人民共和国行政强制法》第九条,强制措施,罚款是行政处罚。\n\
判断题,{tag}行政机关实施行政处罚必须有法定依据。,,,,,正确,1,综合法律知识,,《中华人民共和国行政处罚法》第四条,处罚法定,第四条。\n"
    )
}

fn filter(text: &str) -> Value {
    json!({ "filter": { "question_type": "", "exam_kind": "", "field": "", "law": "", "difficulty": "",
        "tag": "", "status": "", "text": text, "page": 0 } })
}

async fn bank_total(c: &Client) -> u64 {
    let page: Value = c.ok("bank/list", filter("")).await;
    page["total"].as_u64().expect("total")
}

#[tokio::test]
async fn the_author_previews_then_imports_a_valid_file_in_one_go() {
    let app = TestApp::spawn().await;
    let author = app.as_role(Role::QuestionAuthor).await;
    let before = bank_total(&author).await;
    let (status, outcome) = author
        .upload(
            "bank/import/upload",
            "bank.csv",
            valid_csv("甲").into_bytes(),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    let preview = &outcome["Preview"];
    assert_eq!(preview["total"], 3);
    assert_eq!(preview["duplicates_in_bank"], json!([]));
    assert_eq!(
        bank_total(&author).await,
        before,
        "a preview stores nothing"
    );

    let result: Value = author
        .ok(
            "bank/import/commit",
            json!({ "upload_id": preview["upload_id"], "skip_duplicates": true, "skip_unsupported": false }),
        )
        .await;
    assert_eq!(result["stored"], 3);
    assert_eq!(bank_total(&author).await, before + 3);
    let found: Value = author.ok("bank/list", filter("甲行政处罚的种类")).await;
    assert_eq!(found["total"], 1);
    assert_eq!(
        found["rows"][0]["legal_basis"],
        "《中华人民共和国行政处罚法》第九条"
    );
}

#[tokio::test]
async fn an_invalid_file_stores_nothing_and_reports_every_bad_row() {
    let app = TestApp::spawn().await;
    let author = app.as_role(Role::QuestionAuthor).await;
    let before = bank_total(&author).await;
    let csv = format!(
        "{HEADER}\
单选题,乙一道正确的题(  )。,甲,乙,丙,丁,A,2,综合法律知识,,《中华人民共和国行政处罚法》第九条,,\n\
单选题,乙答案没有对应选项(  )。,甲,乙,丙,丁,E,2,综合法律知识,,《中华人民共和国行政处罚法》第九条,,\n\
判断题,乙判断题不应有选项。,对,错,,,正确,9,综合法律知识,,《中华人民共和国行政处罚法》第四条,,\n"
    );
    let (status, outcome) = author
        .upload("bank/import/upload", "bad.csv", csv.into_bytes(), &[])
        .await;
    assert_eq!(status, StatusCode::OK);
    let rows = outcome["Rejected"]["rows"]
        .as_array()
        .expect("row problems");
    let mut bad_rows: Vec<u64> = rows.iter().filter_map(|r| r["row"].as_u64()).collect();
    bad_rows.dedup();
    assert_eq!(bad_rows, vec![3, 4], "{outcome}");
    let columns: Vec<&str> = rows.iter().filter_map(|r| r["column"].as_str()).collect();
    assert!(columns.contains(&"答案"), "{columns:?}");
    assert!(columns.contains(&"难度"), "{columns:?}");
    assert!(
        rows.iter()
            .all(|r| !r["message"]["zh"].as_str().unwrap_or("").is_empty()),
        "every problem is explained in Chinese"
    );
    assert_eq!(bank_total(&author).await, before, "nothing was stored");
}

#[tokio::test]
async fn the_demo_bank_is_the_sample_file_so_importing_it_again_finds_only_duplicates() {
    let app = TestApp::spawn().await;
    let author = app.as_role(Role::QuestionAuthor).await;
    assert!(
        bank_total(&author).await >= 300,
        "the demo data loads the sample bank"
    );
    let template = author
        .http
        .get(format!("{}/api/bank/template", app.base))
        .send()
        .await
        .expect("template");
    assert_eq!(template.status(), StatusCode::OK);
    let bytes = template.bytes().await.expect("bytes").to_vec();
    let (_, outcome) = author
        .upload("bank/import/upload", "sample-bank.csv", bytes, &[])
        .await;
    let preview = &outcome["Preview"];
    let total = preview["total"].as_u64().expect("total");
    assert_eq!(
        preview["duplicates_in_bank"].as_array().map(Vec::len),
        Some(total as usize)
    );
    let result: Value = author
        .ok(
            "bank/import/commit",
            json!({ "upload_id": preview["upload_id"], "skip_duplicates": true, "skip_unsupported": false }),
        )
        .await;
    assert_eq!(
        result,
        json!({ "stored": 0, "skipped_duplicates": total, "skipped_unsupported": 0 })
    );
}

#[tokio::test]
async fn an_exported_workbook_imports_back_to_the_same_questions() {
    let app = TestApp::spawn().await;
    let author = app.as_role(Role::QuestionAuthor).await;
    let active = {
        let page: Value = author
            .ok("bank/list", json!({ "filter": { "question_type": "", "exam_kind": "", "field": "",
                "law": "", "difficulty": "", "tag": "", "status": "active", "text": "", "page": 0 } }))
            .await;
        page["total"].as_u64().expect("total")
    };
    let res = author
        .http
        .get(format!(
            "{}/api/bank/export?format=xlsx&status=active",
            app.base
        ))
        .send()
        .await
        .expect("export");
    assert_eq!(res.status(), StatusCode::OK);
    assert!(
        res.headers()["content-disposition"]
            .to_str()
            .unwrap_or("")
            .contains(".xlsx"),
        "downloaded as a workbook"
    );
    let bytes = res.bytes().await.expect("bytes").to_vec();
    let (_, outcome) = author
        .upload("bank/import/upload", "export.xlsx", bytes, &[])
        .await;
    assert_eq!(
        outcome["Preview"]["total"].as_u64(),
        Some(active),
        "{outcome}"
    );
    assert_eq!(
        outcome["Preview"]["duplicates_in_bank"]
            .as_array()
            .map(Vec::len),
        Some(active as usize)
    );
}

fn draft(stem: &str) -> Value {
    json!({ "question_type": "单选题", "stem": stem, "options": ["警告", "罚款", "记过", "拘留"],
        "answer": "C", "difficulty": "2", "exam_kind": "综合法律知识", "field": "",
        "legal_basis": "《中华人民共和国行政处罚法》第九条", "tags": "处罚种类", "explanation": "" })
}

#[tokio::test]
async fn an_edit_becomes_revision_2_and_revision_1_is_kept() {
    let app = TestApp::spawn().await;
    let author = app.as_role(Role::QuestionAuthor).await;
    let id: i64 = author
        .ok(
            "bank/create",
            json!({ "draft": draft("丙第一版题干(  )。") }),
        )
        .await;
    let unchanged: i32 = author
        .ok(
            "bank/update",
            json!({ "id": id, "draft": draft("丙第一版题干(  )。") }),
        )
        .await;
    assert_eq!(unchanged, 1, "saving without a change makes no revision");
    let rev: i32 = author
        .ok(
            "bank/update",
            json!({ "id": id, "draft": draft("丙第二版题干(  )。") }),
        )
        .await;
    assert_eq!(rev, 2);
    let detail: Value = author.ok("bank/get", json!({ "id": id })).await;
    assert_eq!(detail["revision"], 2);
    assert_eq!(detail["draft"]["stem"], "丙第二版题干(  )。");
    let history = detail["history"].as_array().expect("history");
    assert_eq!(history.len(), 2);
    assert_eq!(history[1]["number"], 1);
    assert_eq!(history[1]["stem"], "丙第一版题干(  )。");
}

#[tokio::test]
async fn an_invalid_question_names_every_bad_field_and_a_duplicate_stem_is_refused() {
    let app = TestApp::spawn().await;
    let author = app.as_role(Role::QuestionAuthor).await;
    let mut bad = draft("丁题干");
    bad["answer"] = json!("AB");
    bad["legal_basis"] = json!("");
    let (status, err) = author.err("bank/create", json!({ "draft": bad })).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    let AppError::Fields { errors } = err else {
        panic!("field errors expected")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    assert!(
        fields.contains(&"answer") && fields.contains(&"legal_basis"),
        "{fields:?}"
    );

    let _: i64 = author
        .ok("bank/create", json!({ "draft": draft("丁 重复 题干") }))
        .await;
    let (status, err) = author
        .err("bank/create", json!({ "draft": draft("丁重复题干") }))
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("stem"));
}

#[tokio::test]
async fn a_retired_question_leaves_the_active_list_and_can_be_restored() {
    let app = TestApp::spawn().await;
    let author = app.as_role(Role::QuestionAuthor).await;
    let id: i64 = author
        .ok(
            "bank/create",
            json!({ "draft": draft("戊将被停用的题(  )。") }),
        )
        .await;
    let () = author
        .ok("bank/set-active", json!({ "id": id, "active": false }))
        .await;
    let active: Value = author
        .ok(
            "bank/list",
            json!({ "filter": { "question_type": "", "exam_kind": "", "field": "", "law": "",
            "difficulty": "", "tag": "", "status": "active", "text": "戊将被停用", "page": 0 } }),
        )
        .await;
    assert_eq!(active["total"], 0);
    let () = author
        .ok("bank/set-active", json!({ "id": id, "active": true }))
        .await;
    let detail: Value = author.ok("bank/get", json!({ "id": id })).await;
    assert_eq!(detail["active"], true);
}

#[tokio::test]
async fn other_roles_cannot_import_or_read_the_bank() {
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let (status, _) = officer
        .upload(
            "bank/import/upload",
            "bank.csv",
            valid_csv("己").into_bytes(),
            &[],
        )
        .await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let candidate = app.as_role(Role::Candidate).await;
    let (status, _) = candidate.call("bank/get", json!({ "id": 1 })).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let admin = app.as_role(Role::OfficeAdmin).await;
    let (status, _) = admin
        .upload(
            "bank/import/upload",
            "bank.csv",
            valid_csv("庚").into_bytes(),
            &[],
        )
        .await;
    assert_eq!(
        status,
        StatusCode::FORBIDDEN,
        "the office admin reads but does not write the bank"
    );
}
