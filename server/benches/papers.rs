//! Benchmark (criterion): assemble and store every paper of a scheduled 10,000-candidate batch
//! on SQLite — default 综合 blueprint, generated 5,000-question bank, batch decks, in 4 chunks of
//! 2,500 exactly as the batch page drives it. Target: under 10 s on a 2-core machine.
//!
//! Each chunk takes the decks up from the dealing state the chunk before it stored, so the
//! chunks should cost the same: besides the whole batch, each chunk is timed on its own,
//! starting from the papers and the stored state the chunks before it left (restoring them is
//! not timed).
//!
//! Run: `cargo bench -p server --bench papers`

use std::time::{Duration, Instant};

use app::{
    batches::ssr as batches,
    papers::{ASSEMBLY_CHUNK, ssr as papers},
    ssr::{
        Caller,
        entities::{paper, paper_deal_state},
    },
};
use criterion::{Criterion, SamplingMode, criterion_group, criterion_main};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    Set,
};

mod common;
use common::{CANDIDATES, draft_batch};

const CHUNKS: usize = CANDIDATES / ASSEMBLY_CHUNK as usize;

/// Drops the batch's papers after the first `kept` and its stored dealing state.
async fn drop_after(conn: &DatabaseConnection, batch: i64, kept: i32) {
    paper::Entity::delete_many()
        .filter(paper::Column::BatchId.eq(batch))
        .filter(paper::Column::DealSeq.gt(kept))
        .exec(conn)
        .await
        .expect("drop later papers");
    paper_deal_state::Entity::delete_many()
        .filter(paper_deal_state::Column::BatchId.eq(batch))
        .exec(conn)
        .await
        .expect("drop the dealing state");
}

/// Leaves the batch as it was after `chunks` chunks: their papers, and `state` as the stored
/// dealing state.
async fn rewind(
    conn: &DatabaseConnection,
    admin: &Caller,
    batch: i64,
    chunks: usize,
    state: Option<&paper_deal_state::Model>,
) {
    let kept = (chunks as u64 * ASSEMBLY_CHUNK) as i32;
    let stored = paper::Entity::find()
        .filter(paper::Column::BatchId.eq(batch))
        .filter(paper::Column::DealSeq.lte(kept))
        .count(conn)
        .await
        .expect("count papers");
    if stored < kept as u64 {
        // Fewer papers than those chunks leave (a filtered run): deal them again.
        drop_after(conn, batch, 0).await;
        for _ in 0..chunks {
            chunk(conn, admin, batch).await;
        }
    }
    drop_after(conn, batch, kept).await;
    if let Some(s) = state {
        paper_deal_state::ActiveModel {
            batch_id: Set(s.batch_id),
            dealt: Set(s.dealt),
            state: Set(s.state.clone()),
            updated_at: Set(s.updated_at),
        }
        .insert(conn)
        .await
        .expect("restore the dealing state");
    }
}

/// One chunk, as the page's `papers/assemble` call makes it; returns the papers assembled.
async fn chunk(conn: &DatabaseConnection, admin: &Caller, batch: i64) -> u64 {
    papers::assemble_next(conn, admin, batch, ASSEMBLY_CHUNK)
        .await
        .expect("papers")
        .assembled
}

fn assemble_batch(c: &mut Criterion) {
    let (rt, _dir, url) = common::runtime_and_database();
    let (conn, admin, batch, checkpoints) = rt.block_on(async {
        let (conn, admin, batch) = draft_batch(&url).await;
        batches::schedule(&conn, &admin, batch)
            .await
            .expect("schedule");
        // The stored state after each chunk but the last, to time each chunk from there.
        let mut checkpoints = vec![None];
        for _ in 1..CHUNKS {
            chunk(&conn, &admin, batch).await;
            let state = paper_deal_state::Entity::find_by_id(batch)
                .one(&conn)
                .await
                .expect("dealing state");
            assert!(state.is_some(), "a state is stored between chunks");
            checkpoints.push(state);
        }
        (conn, admin, batch, checkpoints)
    });
    let mut group = c.benchmark_group("papers");
    group.sample_size(10);
    group.sampling_mode(SamplingMode::Flat);
    group.measurement_time(Duration::from_secs(15));
    group.bench_function(
        "assemble and store 10,000 papers (4 chunks of 2,500)",
        |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    rt.block_on(async {
                        rewind(&conn, &admin, batch, 0, None).await;
                        let started = Instant::now();
                        let done = papers::assemble_all(&conn, &admin, batch)
                            .await
                            .expect("papers");
                        total += started.elapsed();
                        assert_eq!(done.assembled as usize, CANDIDATES);
                    });
                }
                total
            });
        },
    );
    // Each chunk from the papers and the state the chunks before it leave.
    for (k, state) in checkpoints.iter().enumerate() {
        let first = k as u64 * ASSEMBLY_CHUNK + 1;
        let last = (k as u64 + 1) * ASSEMBLY_CHUNK;
        let name = format!("chunk {} of {CHUNKS} (papers {first}–{last})", k + 1);
        group.bench_function(name, |b| {
            b.iter_custom(|iters| {
                let mut total = Duration::ZERO;
                for _ in 0..iters {
                    rt.block_on(async {
                        rewind(&conn, &admin, batch, k, state.as_ref()).await;
                        let started = Instant::now();
                        let done = chunk(&conn, &admin, batch).await;
                        total += started.elapsed();
                        assert_eq!(done, last);
                    });
                }
                total
            });
        });
    }
    group.finish();
}

criterion_group!(benches, assemble_batch);
criterion_main!(benches);
