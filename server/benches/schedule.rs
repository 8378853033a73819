//! Benchmark: schedule a batch of 10,000 candidates into 250 rooms on SQLite against a
//! generated 5,000-question bank — blueprint check and bank snapshot, seat allocation, ticket
//! numbers and persistence — and issue every admission ticket's one-time access code (argon2id
//! hashes). Target: under 60 s on a 2-core machine. (Assembling the batch's papers is the
//! `papers` benchmark.)
//!
//! Run: `cargo bench -p server --bench schedule`

use std::time::{Duration, Instant};

use app::batches::ssr as batches;

mod common;
use common::{CANDIDATES, ROOMS, draft_batch};

fn main() {
    let (rt, _dir, url) = common::runtime_and_database();
    rt.block_on(async {
        let (conn, admin, batch) = draft_batch(&url).await;
        let started = Instant::now();
        let tickets = batches::schedule(&conn, &admin, batch)
            .await
            .expect("schedule");
        let scheduled = started.elapsed();
        assert_eq!(tickets as usize, CANDIDATES);
        let started = Instant::now();
        let printed = batches::print_tickets(&conn, &admin, batch)
            .await
            .expect("print");
        let issued = started.elapsed();
        assert_eq!(printed.len(), CANDIDATES);
        println!(
            "schedule: {CANDIDATES} candidates into {ROOMS} rooms: blueprint check + snapshot + seats + \
             ticket numbers + persistence {:.1} s, access codes issued and hashed {:.1} s, total {:.1} s \
             (target < 60 s)",
            secs(scheduled),
            secs(issued),
            secs(scheduled + issued)
        );
    });
}

fn secs(d: Duration) -> f64 {
    d.as_secs_f64()
}
