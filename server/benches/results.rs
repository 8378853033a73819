//! Benchmark: scoring a batch on SQLite. The 10,000 candidates of the shared fixture get papers
//! of 100 questions (60 单选, 20 多选, 20 判断 from the 5,000-question bank), and every one of
//! them has sat and answered all 100 (written straight into the database: this measures the
//! scoring, not the sitting). Measured: `results/score` — reading every paper, answer and
//! decision, scoring 10,000 attempts, storing 10,000 results and the item statistics of the
//! batch in one write transaction (target under 10 s) — first on a fresh batch, then again as a
//! re-score after a question is voided; and reading the overview and the item analysis the
//! review page shows.
//!
//! Run: `cargo bench -p server --bench results`

use std::time::Instant;

use app::{
    batches::ssr as batches,
    papers::ssr as papers,
    results::{DecisionKind, ssr as results},
    ssr::entities::ticket,
};
use chrono::Utc;
use question_bank::{BlueprintParts, ExamKind, Points, QuestionType, ScoringRule, Section};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, TransactionTrait,
};

mod common;
use common::{CANDIDATES, draft_batch};

const QUESTIONS: u32 = 100;
/// Rows per multi-row INSERT of answers.
const ROWS: usize = 500;

fn main() {
    let (rt, _dir, url) = common::runtime_and_database();
    rt.block_on(run(&url));
}

fn section(question_type: QuestionType, count: u32) -> Section {
    Section {
        question_type,
        count,
        points_per_question: Points::from_hundredths(100),
        scoring: ScoringRule::AllOrNothing,
        quotas: Vec::new(),
    }
}

async fn exec(conn: &impl ConnectionTrait, sql: String) {
    conn.execute_raw(sea_orm::Statement::from_string(
        conn.get_database_backend(),
        sql,
    ))
    .await
    .expect("sql");
}

/// Inserts the answer rows gathered (SQL value tuples) and empties the list.
async fn insert_answers(conn: &impl ConnectionTrait, rows: &mut Vec<String>) {
    exec(
        conn,
        format!(
            "INSERT INTO answer (attempt_id, item, response, seq, saved_at) VALUES {}",
            rows.join(", ")
        ),
    )
    .await;
    rows.clear();
}

async fn run(url: &str) {
    let (conn, admin, batch) = draft_batch(url).await;
    let parts = BlueprintParts {
        name: "百题方案".into(),
        exam_kind: ExamKind::General,
        sections: vec![
            section(QuestionType::Single, 60),
            section(QuestionType::Multiple, 20),
            section(QuestionType::TrueFalse, 20),
        ],
        pass_mark: Points::from_hundredths(6000),
        target_difficulty: 2.6,
        tolerance: 0.3,
    };
    papers::save_blueprint(&conn, &admin, batch, Some(parts))
        .await
        .expect("blueprint");
    batches::schedule(&conn, &admin, batch)
        .await
        .expect("schedule");
    let t = Instant::now();
    papers::assemble_all(&conn, &admin, batch)
        .await
        .expect("assemble");
    println!(
        "results: {CANDIDATES} papers of {QUESTIONS} questions assembled in {:.1} s (setup)",
        t.elapsed().as_secs_f64()
    );

    // Every candidate sat and answered every question.
    let tickets = ticket::Entity::find()
        .filter(ticket::Column::BatchId.eq(batch))
        .order_by_asc(ticket::Column::Id)
        .all(&conn)
        .await
        .expect("tickets");
    assert_eq!(tickets.len(), CANDIDATES);
    let t = Instant::now();
    let now = Utc::now() - chrono::Duration::days(1);
    let at = now.to_rfc3339();
    // One transaction on one connection (a `BEGIN` sent through the pool would hold a
    // connection's write lock while the inserts go through others).
    let txn = conn.begin().await.expect("begin");
    for chunk in tickets.chunks(ROWS) {
        let values: Vec<String> = chunk
            .iter()
            .map(|t| {
                format!(
                    "({}, {}, {}, {}, 'submitted', '{at}', '{at}', 0, {QUESTIONS}, {QUESTIONS}, '{at}', '127.0.0.1', '{at}', {QUESTIONS}, NULL)",
                    t.id, batch, t.session_id, t.room_id
                )
            })
            .collect();
        exec(
            &txn,
            format!(
                "INSERT INTO attempt (ticket_id, batch_id, session_id, room_id, status, started_at, deadline, \
                 extra_seconds, item_count, last_seq, last_seen_at, client_ip, submitted_at, answered, receipt_hash) \
                 VALUES {}",
                values.join(", ")
            ),
        )
        .await;
    }
    txn.commit().await.expect("commit");
    let attempts: Vec<i64> = tickets.iter().map(|t| t.id).collect();
    let first_attempt = {
        let row = conn
            .query_one_raw(sea_orm::Statement::from_string(
                conn.get_database_backend(),
                format!("SELECT MIN(id) FROM attempt WHERE batch_id = {batch}"),
            ))
            .await
            .expect("query")
            .expect("row");
        row.try_get_by_index::<i64>(0).expect("id")
    };
    let txn = conn.begin().await.expect("begin");
    let mut rows = Vec::with_capacity(ROWS);
    for (k, _) in attempts.iter().enumerate() {
        let attempt = first_attempt + k as i64;
        for item in 1..=QUESTIONS {
            // 单选 1–60, 多选 61–80, 判断 81–100 (the blueprint's section order).
            let response = match item {
                1..=60 => format!(r#"{{"choices":[{}]}}"#, (item as usize + k) % 4),
                61..=80 => format!(
                    r#"{{"choices":[{},{}]}}"#,
                    k % 3,
                    2 + (item as usize + k) % 3
                ),
                _ => format!(
                    r#"{{"true_false":{}}}"#,
                    !(item as usize + k).is_multiple_of(3)
                ),
            };
            rows.push(format!("({attempt}, {item}, '{response}', {item}, '{at}')"));
            if rows.len() == ROWS {
                insert_answers(&txn, &mut rows).await;
            }
        }
    }
    if !rows.is_empty() {
        insert_answers(&txn, &mut rows).await;
    }
    txn.commit().await.expect("commit");
    // The exam day is over.
    exec(
        &conn,
        format!(
            "UPDATE exam_session SET starts_at = '{}' WHERE batch_id = {batch}",
            (Utc::now() - chrono::Duration::days(1)).to_rfc3339()
        ),
    )
    .await;
    println!(
        "results: {CANDIDATES} attempts with {} answers written in {:.1} s (setup)",
        CANDIDATES as u32 * QUESTIONS,
        t.elapsed().as_secs_f64()
    );

    let t = Instant::now();
    results::score(&conn, &admin, batch).await.expect("score");
    let first = t.elapsed();
    println!(
        "results: scored and stored {CANDIDATES} attempts of {QUESTIONS} questions with the item \
         analysis in {:.2} s (target < 10 s)",
        first.as_secs_f64()
    );

    let t = Instant::now();
    let items = results::items(&conn, batch).await.expect("items");
    let overview = results::overview(&conn, batch).await.expect("overview");
    println!(
        "results: the review page's overview and item analysis ({} questions) read in {:.2} s; \
         mean {:.1}, KR-20 {:.3}",
        items.len(),
        t.elapsed().as_secs_f64(),
        overview.distribution.map_or(0.0, |d| d.mean),
        overview.reliability.unwrap_or(f64::NAN)
    );

    let t = Instant::now();
    let affected = results::decide(
        &conn,
        &admin,
        batch,
        items[0].revision_id,
        Some(DecisionKind::VoidAward),
        None,
        "基准测试:作废并给分",
    )
    .await
    .expect("decide");
    println!(
        "results: a question voided and the batch re-scored in {:.2} s ({} attempts held it)",
        t.elapsed().as_secs_f64(),
        affected.len()
    );
}
