//! Files as Chinese offices save them: candidate lists and bank files in GB18030 (Excel's
//! “CSV (逗号分隔)” on Chinese Windows) store what their UTF-8 originals store; UTF-16 and
//! Shift-JIS files are refused naming the encodings to save in; a Moodle GIFT file with
//! questions the bank cannot hold imports the others when the author says so.

use app::{error::AppError, roles::Role};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::procedure::{new_plan, rid};
use crate::support::{Client, TestApp};

const SAVE_AS: &str = "请另存为 UTF-8 或 GB18030 (CSV 逗号分隔)";

fn gb18030(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::GB18030.encode(text);
    assert!(!unmappable, "GB18030 encodes every character");
    bytes.into_owned()
}

fn utf16le_with_bom(text: &str) -> Vec<u8> {
    [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect()
}

fn shift_jis(text: &str) -> Vec<u8> {
    let (bytes, _, unmappable) = encoding_rs::SHIFT_JIS.encode(text);
    assert!(!unmappable, "Shift-JIS encodes every character");
    bytes.into_owned()
}

/// A list of Japanese staff, as Excel saves it on Japanese Windows.
const JAPANESE_LIST: &str = "名前,フリガナ,性別,部署\r\n山田太郎,ヤマダタロウ,男,総務課\r\n";

fn candidate_list() -> String {
    format!(
        "姓名,身份证号,性别,职务,执法领域,编制性质,手机号\r\n\
         张三,{},男,科员,市场监管,在编在岗,13800138000\r\n\
         欧阳丽娟,{},女,副主任科员,市场监管,在编在岗,13900139000\r\n",
        rid("19850312", 101),
        rid("19900728", 202)
    )
}

async fn import_list(officer: &Client, plan: i64, name: &str, bytes: Vec<u8>) -> Value {
    let (status, outcome) = officer
        .upload(
            "plans/candidates/import",
            name,
            bytes,
            &[("plan_id", &plan.to_string())],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    outcome
}

/// The plan's candidates without their ids.
async fn candidates(officer: &Client, plan: i64) -> Vec<Value> {
    let detail: Value = officer.ok("plans/get", json!({ "id": plan })).await;
    detail["candidates"]
        .as_array()
        .expect("candidates")
        .iter()
        .map(|c| {
            let mut c = c.clone();
            c.as_object_mut().expect("object").remove("id");
            c
        })
        .collect()
}

/// The file problems of a refused candidate list: (zh, en) messages.
fn list_problems(outcome: &Value) -> Vec<(String, String)> {
    outcome["Rejected"]["problems"]
        .as_array()
        .unwrap_or_else(|| panic!("refused: {outcome}"))
        .iter()
        .map(|p| {
            (
                p["message"]["zh"].as_str().unwrap_or("").to_owned(),
                p["message"]["en"].as_str().unwrap_or("").to_owned(),
            )
        })
        .collect()
}

#[tokio::test]
async fn a_candidate_list_saved_as_gb18030_stores_the_same_rows_as_its_utf8_original() {
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let plan = new_plan(&officer).await;

    let outcome = import_list(&officer, plan, "名单.csv", candidate_list().into_bytes()).await;
    assert_eq!(outcome, json!({ "Stored": { "count": 2 } }));
    let from_utf8 = candidates(&officer, plan).await;
    assert_eq!(from_utf8[1]["name"], "欧阳丽娟");
    let detail: Value = officer.ok("plans/get", json!({ "id": plan })).await;
    for c in detail["candidates"].as_array().expect("candidates") {
        let () = officer
            .ok(
                "plans/candidates/remove",
                json!({ "plan_id": plan, "candidate_id": c["id"] }),
            )
            .await;
    }
    assert!(candidates(&officer, plan).await.is_empty());

    let outcome = import_list(&officer, plan, "名单.csv", gb18030(&candidate_list())).await;
    assert_eq!(outcome, json!({ "Stored": { "count": 2 } }));
    assert_eq!(candidates(&officer, plan).await, from_utf8);
}

#[tokio::test]
async fn a_utf16_or_shift_jis_candidate_list_is_refused_naming_the_encodings_to_save_in() {
    let app = TestApp::spawn().await;
    let officer = app.as_role(Role::AgencyOfficer).await;
    let plan = new_plan(&officer).await;

    let outcome = import_list(
        &officer,
        plan,
        "名单.csv",
        utf16le_with_bom(&candidate_list()),
    )
    .await;
    let problems = list_problems(&outcome);
    assert_eq!(problems.len(), 1, "{outcome}");
    assert!(problems[0].0.contains("UTF-16"), "{outcome}");
    assert!(problems[0].0.contains(SAVE_AS), "{outcome}");
    assert!(problems[0].1.contains("UTF-8 or GB18030"), "{outcome}");

    let outcome = import_list(&officer, plan, "名簿.csv", shift_jis(JAPANESE_LIST)).await;
    let problems = list_problems(&outcome);
    assert_eq!(problems.len(), 1, "{outcome}");
    assert!(problems[0].0.contains("Shift-JIS"), "{outcome}");
    assert!(problems[0].0.contains(SAVE_AS), "{outcome}");
    assert!(problems[0].1.contains("perhaps Shift-JIS"), "{outcome}");

    assert!(
        candidates(&officer, plan).await.is_empty(),
        "nothing stored"
    );
}

const BANK_HEADER: &str =
    "题型,题干,选项A,选项B,选项C,选项D,答案,难度,考试类别,执法领域,法律依据,知识点,解析\r\n";

fn bank_csv() -> String {
    format!(
        "{BANK_HEADER}\
单选题,编码甲行政处罚的种类不包括(  )。,警告,罚款,记过,拘留,C,2,综合法律知识,,《中华人民共和国行政处罚法》第九条,处罚种类,记过是政务处分。\r\n\
多选题,编码甲下列属于行政强制措施的有(  )。,查封场所,扣押财物,罚款,冻结存款,ABD,3,专业法律知识,市场监管,《中华人民共和国行政强制法》第九条,强制措施;查封,“罚款”是行政处罚。\r\n\
判断题,编码甲行政机关实施行政处罚必须有法定依据。,,,,,正确,1,综合法律知识,,《中华人民共和国行政处罚法》第四条,处罚法定,\r\n"
    )
}

fn bank_filter(text: &str) -> Value {
    json!({ "filter": { "question_type": "", "exam_kind": "", "field": "", "law": "", "difficulty": "",
        "tag": "", "status": "", "text": text, "page": 0 } })
}

async fn bank_total(author: &Client) -> u64 {
    let page: Value = author.ok("bank/list", bank_filter("")).await;
    page["total"].as_u64().expect("total")
}

async fn upload_bank(author: &Client, name: &str, bytes: Vec<u8>) -> Value {
    let (status, outcome) = author.upload("bank/import/upload", name, bytes, &[]).await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    outcome
}

#[tokio::test]
async fn a_bank_file_saved_as_gb18030_stores_the_same_questions_as_its_utf8_original() {
    let app = TestApp::spawn().await;
    let author = app.as_role(Role::QuestionAuthor).await;

    let outcome = upload_bank(&author, "题库.csv", gb18030(&bank_csv())).await;
    let preview = &outcome["Preview"];
    assert_eq!(preview["total"], 3, "{outcome}");
    let result: Value = author
        .ok(
            "bank/import/commit",
            json!({ "upload_id": preview["upload_id"], "skip_duplicates": false,
                "skip_unsupported": false }),
        )
        .await;
    assert_eq!(result["stored"], 3);

    // What is stored is what the UTF-8 file says, character for character.
    let expected = question_bank::parse_csv(bank_csv().as_bytes()).expect("valid fixture");
    let page: Value = author.ok("bank/list", bank_filter("编码甲")).await;
    let rows = page["rows"].as_array().expect("rows");
    assert_eq!(rows.len(), 3);
    let mut stored = Vec::new();
    for row in rows {
        let detail: Value = author.ok("bank/get", json!({ "id": row["id"] })).await;
        stored.push(detail["draft"].clone());
    }
    for question in expected.questions() {
        let draft = serde_json::to_value(question.to_draft()).expect("draft");
        assert!(stored.contains(&draft), "{draft} not among {stored:?}");
    }

    // And the UTF-8 original finds every question already in the bank.
    let outcome = upload_bank(&author, "题库.csv", bank_csv().into_bytes()).await;
    assert_eq!(outcome["Preview"]["duplicates_in_bank"], json!([2, 3, 4]));
}

#[tokio::test]
async fn a_utf16_or_shift_jis_bank_file_is_refused_naming_the_encodings_to_save_in() {
    let app = TestApp::spawn().await;
    let author = app.as_role(Role::QuestionAuthor).await;
    let before = bank_total(&author).await;

    for (bytes, named_zh, named_en) in [
        (utf16le_with_bom(&bank_csv()), "UTF-16", "UTF-16"),
        (
            shift_jis(
                "題型,問題文,選択肢A,選択肢B,答え\r\n単一選択,ひらがなの問題,はい,いいえ,A\r\n",
            ),
            "Shift-JIS",
            "perhaps Shift-JIS",
        ),
    ] {
        let outcome = upload_bank(&author, "题库.csv", bytes).await;
        let problems = outcome["Rejected"]["file_problems"]
            .as_array()
            .unwrap_or_else(|| panic!("refused: {outcome}"));
        assert_eq!(problems.len(), 1, "{outcome}");
        let zh = problems[0]["zh"].as_str().unwrap_or("");
        let en = problems[0]["en"].as_str().unwrap_or("");
        assert!(zh.contains(named_zh) && zh.contains(SAVE_AS), "{outcome}");
        assert!(
            en.contains(named_en) && en.contains("UTF-8 or GB18030"),
            "{outcome}"
        );
    }
    assert_eq!(bank_total(&author).await, before, "nothing stored");
}

/// Two questions the bank holds (lines 2 and 16) among an essay (“Q8”), a matching (“Q9”), an
/// unnamed numerical and a short-answer (“Q11”) question.
const MIXED_GIFT: &str = r#"// meta: {"exam_kind":"综合法律知识","difficulty":2,"legal_basis":"《中华人民共和国行政处罚法》第九条"}
::Q1::混合甲行政处罚的种类不包括 {=记过 ~警告 ~罚款 ~拘留}

::Q8::论述行政处罚听证程序的意义。{}

::Q9::将处罚种类与法条匹配 {
=警告 -> 第九条
=行政拘留 -> 第九条
}

混合甲罚款的上限为多少万元? {#3:1}

::Q11::行政处罚的当事人享有的程序权利是? {=陈述权 =申辩权}

// meta: {"exam_kind":"综合法律知识","difficulty":1,"legal_basis":"《中华人民共和国行政处罚法》第四条"}
::Q2::混合甲行政机关实施行政处罚必须有法定依据。{T}
"#;

#[tokio::test]
async fn a_gift_file_imports_its_supported_questions_only_when_the_others_may_be_skipped() {
    let app = TestApp::spawn().await;
    let author = app.as_role(Role::QuestionAuthor).await;
    let before = bank_total(&author).await;

    let outcome = upload_bank(&author, "moodle.gift", MIXED_GIFT.as_bytes().to_vec()).await;
    let preview = &outcome["Preview"];
    assert_eq!(preview["total"], 2, "{outcome}");
    let unsupported: Vec<(Value, Value, Value)> = preview["unsupported"]
        .as_array()
        .expect("unsupported questions")
        .iter()
        .map(|q| {
            (
                q["name"].clone(),
                q["line"].clone(),
                q["kind"]["en"].clone(),
            )
        })
        .collect();
    assert_eq!(
        unsupported,
        [
            (json!("Q8"), json!(4), json!("essay")),
            (json!("Q9"), json!(6), json!("matching")),
            (Value::Null, json!(11), json!("numerical")),
            (json!("Q11"), json!(13), json!("short answer")),
        ]
    );
    assert_eq!(preview["unsupported"][0]["kind"]["zh"], "论述题");

    let commit = |skip_unsupported: bool| {
        json!({ "upload_id": preview["upload_id"], "skip_duplicates": false,
            "skip_unsupported": skip_unsupported })
    };
    let (status, err) = author.err("bank/import/commit", commit(false)).await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(err.field(), Some("skip_unsupported"));
    let AppError::Conflict { message, .. } = &err else {
        panic!("a conflict expected: {err:?}")
    };
    for named in [
        "“Q8”(第 4 行,论述题)",
        "“Q9”",
        "第 11 行(数值题)",
        "“Q11”",
        "跳过题库不支持的题目",
    ] {
        let zh = message.get(app::i18n::Locale::zh);
        assert!(zh.contains(named), "{named} in {zh}");
    }
    let en = message.get(app::i18n::Locale::en);
    assert!(en.contains("“Q8” (line 4, essay)"), "{en}");
    assert_eq!(bank_total(&author).await, before, "nothing stored");

    let result: Value = author.ok("bank/import/commit", commit(true)).await;
    assert_eq!(
        result,
        json!({ "stored": 2, "skipped_duplicates": 0, "skipped_unsupported": 4 })
    );
    assert_eq!(bank_total(&author).await, before + 2);
    let page: Value = author.ok("bank/list", bank_filter("混合甲")).await;
    let mut stems: Vec<&str> = page["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .filter_map(|r| r["stem"].as_str())
        .collect();
    stems.sort_unstable();
    assert_eq!(
        stems,
        [
            "混合甲行政处罚的种类不包括",
            "混合甲行政机关实施行政处罚必须有法定依据。"
        ]
    );
}

/// A plain Aiken file carries no exam kind, difficulty or legal basis: the defaults the author
/// gave with the upload are kept with it, so the confirmed import reads it as the preview did.
#[tokio::test]
async fn an_aiken_file_without_metadata_imports_with_the_defaults_given_at_upload() {
    let app = TestApp::spawn().await;
    let author = app.as_role(Role::QuestionAuthor).await;
    let before = bank_total(&author).await;
    let aiken = "默认值测试:行政处罚的种类不包括哪一项?\nA. 警告\nB. 记过\nC. 罚款\nD. 行政拘留\nANSWER: B\n";
    let (status, outcome) = author
        .upload(
            "bank/import/upload",
            "plain.txt",
            aiken.as_bytes().to_vec(),
            &[
                ("exam_kind", "综合法律知识"),
                ("difficulty", "2"),
                ("legal_basis", "《中华人民共和国行政处罚法》第九条"),
            ],
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{outcome}");
    let preview = &outcome["Preview"];
    assert_eq!(preview["total"], 1, "{outcome}");
    let result: Value = author
        .ok(
            "bank/import/commit",
            json!({ "upload_id": preview["upload_id"], "skip_duplicates": false,
                "skip_unsupported": false }),
        )
        .await;
    assert_eq!(result["stored"], 1, "{result}");
    assert_eq!(bank_total(&author).await, before + 1);
    let page: Value = author.ok("bank/list", bank_filter("默认值测试")).await;
    let row = &page["rows"][0];
    let detail: Value = author.ok("bank/get", json!({ "id": row["id"] })).await;
    assert_eq!(detail["draft"]["difficulty"], "2", "{detail}");
    assert_eq!(detail["draft"]["exam_kind"], "综合法律知识", "{detail}");
}
