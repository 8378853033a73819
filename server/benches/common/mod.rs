//! The fixture the server benchmarks share: a SQLite database with a generated 5,000-question
//! bank and a draft batch of 10,000 candidates from 40 agencies in 250 rooms of 40 seats.

#![allow(dead_code, reason = "each benchmark uses part of the fixture")]

use app::{
    audit::ssr::Actor,
    bank::ssr as bank,
    batches::ssr as batches,
    procedure::resident_id::check_char,
    roles::{CurrentUser, Role},
    ssr::{
        Caller, db,
        entities::{agency, plan, plan_candidate},
    },
};
use chrono::Utc;
use sea_orm::{ActiveModelTrait, DatabaseConnection, EntityTrait, Set};

pub const CANDIDATES: usize = 10_000;
pub const AGENCIES: usize = 40;
pub const ROOMS: usize = 250;
pub const SEATS: i32 = 40;
pub const QUESTIONS: usize = 5_000;
/// Mean 2.6, the default blueprint's target.
pub const LEVELS: [u8; 10] = [1, 2, 2, 3, 3, 3, 4, 2, 3, 3];
pub const LAWS: [&str; 7] = [
    "中华人民共和国宪法",
    "中华人民共和国行政处罚法",
    "中华人民共和国行政许可法",
    "中华人民共和国行政强制法",
    "中华人民共和国行政复议法",
    "中华人民共和国行政诉讼法",
    "中华人民共和国国家赔偿法",
];

/// A bank file of 5,000 distinct general questions: 2,250 单选, 1,500 多选, 1,250 判断.
pub fn bank_csv() -> String {
    let mut csv = String::from(
        "题型,题干,选项A,选项B,选项C,选项D,选项E,选项F,选项G,选项H,答案,难度,考试类别,执法领域,法律依据,知识点,解析\n",
    );
    for i in 0..QUESTIONS {
        let law = LAWS[i % LAWS.len()];
        let level = LEVELS[(i / 20) % LEVELS.len()];
        let article = i % 80 + 1;
        let (kind, options, answer) = match i % 20 {
            0..=8 => ("单选题", "甲,乙,丙,丁,,,,", ["A", "B", "C", "D"][i % 4]),
            9..=14 => ("多选题", "甲,乙,丙,丁,戊,,,", "ACE"),
            _ => (
                "判断题",
                ",,,,,,,",
                if i % 2 == 0 { "正确" } else { "错误" },
            ),
        };
        csv.push_str(&format!(
            "{kind},第{i}号基准题:依照《{law}》第{article}条的规定，下列哪一项表述正确?,{options},{answer},{level},综合法律知识,,《{law}》第{article}条,知识点{},\n",
            i % 40
        ));
    }
    csv
}

pub fn resident_id(i: usize) -> String {
    let body = format!(
        "110105{}{:02}{:02}{:03}",
        1960 + i % 40,
        i % 12 + 1,
        i % 28 + 1,
        i % 1000
    );
    let check = check_char(&body).unwrap_or('0');
    format!("{body}{check}")
}

/// A multi-threaded runtime, a temporary folder and the URL of a fresh SQLite database in it
/// (the folder is removed when dropped).
pub fn runtime_and_database() -> (tokio::runtime::Runtime, tempfile::TempDir, String) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
    (rt, dir, url)
}

/// Connects to `url`, migrates, and builds the fixture; returns the office admin and the
/// draft batch, ready to schedule.
pub async fn draft_batch(url: &str) -> (DatabaseConnection, Caller, i64) {
    let conn = db::connect(url).await.expect("connect");
    db::migrate(&conn).await.expect("migrate");
    let admin = Caller {
        user: CurrentUser {
            id: 1,
            username: "bench".into(),
            display_name: "bench".into(),
            role: Role::OfficeAdmin,
            agency: None,
            must_change_password: false,
        },
        session: String::new(),
        candidate_id: None,
    };
    let now = Utc::now();
    let mut plan_ids = Vec::new();
    for a in 0..AGENCIES {
        let ag = agency::ActiveModel {
            name: Set(format!("机关{a}")),
            code: Set(format!("A{a}")),
            field: Set(None),
            active: Set(true),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&conn)
        .await
        .expect("agency");
        let p = plan::ActiveModel {
            agency_id: Set(ag.id),
            exam_kind: Set("general".into()),
            field: Set(None),
            period_from: Set(chrono::NaiveDate::from_ymd_opt(2099, 12, 1).expect("a day")),
            period_to: Set(chrono::NaiveDate::from_ymd_opt(2099, 12, 31).expect("a day")),
            status: Set("approved".into()),
            version: Set(1),
            note: Set(String::new()),
            created_by: Set(1),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        }
        .insert(&conn)
        .await
        .expect("plan");
        plan_ids.push(p.id);
    }
    let rows: Vec<plan_candidate::ActiveModel> = (0..CANDIDATES)
        .map(|i| plan_candidate::ActiveModel {
            plan_id: Set(plan_ids[i % AGENCIES]),
            name: Set("张伟".into()),
            resident_id: Set(resident_id(i)),
            sex: Set("男".into()),
            post: Set(String::new()),
            field: Set("市场监管".into()),
            mobile: Set("13800138000".into()),
            created_at: Set(now),
            ..Default::default()
        })
        .collect();
    for chunk in rows.chunks(500) {
        plan_candidate::Entity::insert_many(chunk.to_vec())
            .exec(&conn)
            .await
            .expect("candidates");
    }
    let file = question_bank::parse_csv(bank_csv().as_bytes()).expect("bank file");
    let author = Actor {
        id: None,
        name: "bench".into(),
    };
    let imported = bank::import_file(&conn, &author, &file)
        .await
        .expect("import");
    assert_eq!(imported as usize, QUESTIONS);
    let batch = batches::create(&conn, &admin, "基准测试批次", "general", "")
        .await
        .expect("batch");
    for p in &plan_ids {
        batches::include_plan(&conn, &admin, batch, *p)
            .await
            .expect("include");
    }
    batches::add_session(&conn, &admin, batch, "2099-12-20T09:00", 90, 15)
        .await
        .expect("session");
    for r in 0..ROOMS {
        batches::add_room(
            &conn,
            &admin,
            batch,
            "市行政学院",
            &format!("第{}考场", r + 1),
            "",
            SEATS,
        )
        .await
        .expect("room");
    }

    (conn, admin, batch)
}
