//! Benchmark (criterion): assemble and store every paper of a scheduled 10,000-candidate batch
//! on SQLite — default 综合 blueprint, generated 5,000-question bank, batch decks, in chunks of
//! 2,500 exactly as the batch page drives it. Target: under 10 s on a 2-core machine.
//!
//! Each measured run starts from a batch without papers (deleting them is not timed).
//!
//! Run: `cargo bench -p server --bench papers`

use std::time::{Duration, Instant};

use app::{batches::ssr as batches, papers::ssr as papers, ssr::entities::paper};
use criterion::{Criterion, criterion_group, criterion_main};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

mod common;
use common::{CANDIDATES, draft_batch};

fn assemble_batch(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}/bench.db?mode=rwc", dir.path().display());
    let (conn, admin, batch) = rt.block_on(async {
        let (conn, admin, batch) = draft_batch(&url).await;
        batches::schedule(&conn, &admin, batch)
            .await
            .expect("schedule");
        (conn, admin, batch)
    });
    let mut group = c.benchmark_group("papers");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(30));
    group.bench_function("assemble and store 10,000 papers", |b| {
        b.iter_custom(|iters| {
            let mut total = Duration::ZERO;
            for _ in 0..iters {
                rt.block_on(async {
                    paper::Entity::delete_many()
                        .filter(paper::Column::BatchId.eq(batch))
                        .exec(&conn)
                        .await
                        .expect("clear papers");
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
    });
    group.finish();
}

criterion_group!(benches, assemble_batch);
criterion_main!(benches);
