//! Benchmark: import a 20,000-question `.xlsx` into a fresh SQLite database — parse and
//! validate the workbook, then store every question and its first revision in one
//! transaction. Target: parse under 2 s, store under 5 s on a 2-core machine.
//!
//! Run: `cargo bench -p server --bench bank_import`

use std::time::{Duration, Instant};

use app::{audit::ssr::Actor, bank::ssr::import_file, ssr::db};
use question_bank::{Question, QuestionDraft};

const QUESTIONS: usize = 20_000;
const RUNS: usize = 3;

fn question(i: usize) -> Question {
    let (kind, tf) = (i % 3, i % 3 == 2);
    let draft = QuestionDraft {
        question_type: ["单选题", "多选题", "判断题"][kind].into(),
        stem: format!(
            "第{i}题:根据《行政处罚法》,关于行政处罚的下列说法中,编号{i}的说法是否正确(  )。"
        ),
        options: if tf {
            Vec::new()
        } else {
            (0..4).map(|o| format!("选项内容{i}-{o}")).collect()
        },
        answer: ["B", "ACD", "正确"][kind].into(),
        difficulty: ((i % 5) + 1).to_string(),
        exam_kind: if i.is_multiple_of(4) {
            "专业法律知识"
        } else {
            "综合法律知识"
        }
        .into(),
        field: if i.is_multiple_of(4) {
            "市场监管".into()
        } else {
            String::new()
        },
        legal_basis: format!("《中华人民共和国行政处罚法》第{}条", i % 80 + 1),
        tags: "行政处罚;处罚程序".into(),
        explanation: "依据相关条文。".into(),
    };
    match Question::from_draft(&draft) {
        Ok(q) => q,
        Err(e) => panic!("generated question {i} is invalid: {e:?}"),
    }
}

fn main() {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let questions: Vec<Question> = (0..QUESTIONS).map(question).collect();
    let xlsx = question_bank::to_xlsx(&questions).expect("workbook");
    println!(
        "bank_import: {QUESTIONS} questions, workbook {} KiB",
        xlsx.len() / 1024
    );
    let (mut parse_times, mut store_times) = (Vec::new(), Vec::new());
    for run in 1..=RUNS {
        let started = Instant::now();
        let file = question_bank::parse_xlsx(&xlsx).expect("valid workbook");
        let parsed = started.elapsed();
        assert_eq!(file.rows.len(), QUESTIONS);

        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
        let stored = rt.block_on(async {
            let conn = db::connect(&url).await.expect("connect");
            db::migrate(&conn).await.expect("migrate");
            let started = Instant::now();
            let n = import_file(&conn, &Actor::system(), &file)
                .await
                .expect("import");
            assert_eq!(n as usize, QUESTIONS);
            started.elapsed()
        });
        println!(
            "run {run}: parse+validate {:.0} ms, store in SQLite {:.0} ms",
            ms(parsed),
            ms(stored)
        );
        parse_times.push(parsed);
        store_times.push(stored);
    }
    println!(
        "best: parse+validate {:.0} ms (target < 2000), store {:.0} ms (target < 5000)",
        ms(*parse_times.iter().min().unwrap_or(&Duration::ZERO)),
        ms(*store_times.iter().min().unwrap_or(&Duration::ZERO))
    );
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}
