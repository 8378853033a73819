//! Paper assembly throughput: one 100-question-point paper of the default 综合法律知识 blueprint
//! (40 单选 + 20 多选 + 20 判断) from a generated 5,000-question bank. Target: at least 20,000
//! papers per second on one core (≤ 50 µs per paper).
//!
//! Run: `cargo bench -p question-bank --bench assembly -- --warm-up-time 1 --measurement-time 5`

#![expect(
    clippy::unwrap_used,
    reason = "a benchmark fixture: a failure is a broken benchmark"
)]

use std::hint::black_box;
use std::time::Duration;

use criterion::{BatchSize, Criterion, criterion_group, criterion_main};
use question_bank::answer::AnswerKey;
use question_bank::{
    BankSnapshot, Blueprint, Difficulty, EnforcementField, ExamScope, LegalBasis, OptionText,
    PreparedPool, Question, QuestionParts, QuestionRef, QuestionType, Seed, Stem, Tag,
};

const QUESTIONS: usize = 5_000;
const SECRET: [u8; 32] = [11; 32];
/// Mean 2.6, the default target.
const LEVELS: [u8; 10] = [1, 2, 2, 3, 3, 3, 4, 2, 3, 3];
const LAWS: [&str; 8] = [
    "宪法",
    "行政处罚法",
    "行政许可法",
    "行政强制法",
    "行政复议法",
    "行政诉讼法",
    "国家赔偿法",
    "法治政府建设实施纲要",
];

/// 4,000 general questions (2,000 单选, 1,000 多选, 1,000 判断) and 1,000 professional ones.
fn bank() -> BankSnapshot {
    let entries = (0..QUESTIONS)
        .map(|i| {
            let question_type = match i % 20 {
                0..=8 => QuestionType::Single,
                9..=14 => QuestionType::Multiple,
                _ => QuestionType::TrueFalse,
            };
            let (options, key) = match question_type {
                QuestionType::Single => (4 + i % 2, AnswerKey::choices([i % 4]).unwrap()),
                QuestionType::Multiple => (5, AnswerKey::choices([0, 2, 4]).unwrap()),
                QuestionType::TrueFalse => (0, AnswerKey::true_false(i % 2 == 0)),
            };
            let scope = if i % 5 == 4 {
                ExamScope::Professional(EnforcementField::parse("市场监管").unwrap())
            } else {
                ExamScope::General
            };
            let law = LAWS[i % LAWS.len()];
            let q = Question::new(QuestionParts {
                question_type,
                stem: Stem::parse(&format!("第{i}题:根据《{law}》的规定,下列说法正确的是?"))
                    .unwrap(),
                options: (0..options)
                    .map(|o| {
                        OptionText::parse(&format!("选项{o}:行政机关应当依法履行职责")).unwrap()
                    })
                    .collect(),
                key,
                scope,
                legal_basis: LegalBasis::parse(&format!("《{law}》第{}条", i % 80 + 1)).unwrap(),
                difficulty: Difficulty::new(LEVELS[(i / 20) % LEVELS.len()]).unwrap(),
                tags: vec![Tag::parse(&format!("知识点{}", i % 40)).unwrap()],
                explanation: None,
            })
            .unwrap();
            let id = i as i64 + 1;
            (
                QuestionRef {
                    question_id: id,
                    revision_id: 100_000 + id,
                },
                q,
            )
        })
        .collect();
    BankSnapshot::new(entries).unwrap()
}

fn assembly(c: &mut Criterion) {
    let bank = bank();
    let blueprint = Blueprint::default_general();
    let pool = PreparedPool::new(&blueprint, &bank, None).unwrap();
    let tickets: Vec<String> = (0..100_000).map(|i| format!("2025{i:06}")).collect();

    let mut group = c.benchmark_group("assembly");
    group.sample_size(50);

    group.bench_function("prepare pool (5,000 questions)", |b| {
        b.iter(|| PreparedPool::new(black_box(&blueprint), black_box(&bank), None).unwrap())
    });

    // Seed derivation (SHA-256) included: this is the whole per-candidate cost.
    let mut i = 0;
    group.bench_function("stateless paper (80 questions)", |b| {
        b.iter(|| {
            i = (i + 1) % tickets.len();
            pool.assemble(&Seed::derive(&SECRET, &tickets[i])).unwrap()
        })
    });

    let mut batch = pool.batch(&SECRET);
    let mut n = 0usize;
    group.bench_function("batch paper (80 questions, decks)", |b| {
        b.iter(|| {
            n += 1;
            batch.next_paper(&format!("B{n:09}")).unwrap()
        })
    });

    let paper = pool.assemble(&Seed::derive(&SECRET, "view")).unwrap();
    group.bench_function("candidate view of a paper", |b| {
        b.iter_batched(
            || (),
            |()| paper.view(&bank).unwrap(),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default().measurement_time(Duration::from_secs(5));
    targets = assembly
}
criterion_main!(benches);
