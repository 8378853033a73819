//! Exposure over 10,000 papers: every eligible question is used about equally often, and paper
//! difficulties stay within the tolerance. Prints the spread (run with `--nocapture`).
//!
//! Bank: 200 单选 / 100 多选 / 100 判断 (general), difficulties 1–5 in the proportions
//! 1:2:4:2:1 (mean 3.0). Blueprint: 20 单选 × 1 + 10 多选 × 2 + 10 判断 × 1, target 3.0 ± 0.3.
//! Each question's expected exposure is 10,000 × 20 / 200 = 1,000 uses (likewise 1,000 for the
//! other sections).
//!
//! Stated bounds, per question, relative to its section's mean use:
//! - batch scheme (decks): within ±3 % — within a deck, uses differ by at most one; what
//!   remains is the random split between difficulty cells and the difficulty repair (observed:
//!   at most 1 %);
//! - stateless scheme: within ±15 % — binomial spread (σ ≈ 3 % of the mean, so ±5σ) plus the
//!   repair (observed: at most about 10 %).

mod common;

use std::collections::HashMap;

use common::*;
use question_bank::{ExamKind, Paper, PreparedPool, QuestionRef, QuestionType, Seed};

const PAPERS: usize = 10_000;
const SECRET: [u8; 32] = [3; 32];
const LEVELS: [u8; 10] = [1, 2, 2, 3, 3, 3, 3, 4, 4, 5];

fn pool() -> (
    PreparedPool,
    question_bank::Blueprint,
    question_bank::BankSnapshot,
) {
    let mut s = specs(QuestionType::Single, 0, 200, &LEVELS);
    s.extend(specs(QuestionType::Multiple, 0, 100, &LEVELS));
    s.extend(specs(QuestionType::TrueFalse, 0, 100, &LEVELS));
    let bank = snapshot(&s);
    let bp = blueprint(
        ExamKind::General,
        vec![
            section(QuestionType::Single, 20, 1, vec![]),
            section(QuestionType::Multiple, 10, 2, vec![]),
            section(QuestionType::TrueFalse, 10, 1, vec![]),
        ],
        30,
        3.0,
        0.3,
    );
    let pool = PreparedPool::new(&bp, &bank, None).expect("the bank feeds the blueprint");
    (pool, bp, bank)
}

/// Checks the exposure of every eligible question against `bound` (relative to its section's
/// mean) and prints the spread of uses and of paper difficulty.
fn assess(
    scheme: &str,
    papers: impl Iterator<Item = Paper>,
    pool: &PreparedPool,
    bank: &question_bank::BankSnapshot,
    bp: &question_bank::Blueprint,
    bound: f64,
) {
    let mut uses: HashMap<QuestionRef, u32> = pool.eligible().map(|q| (q, 0)).collect();
    let mut means = Vec::with_capacity(PAPERS);
    for paper in papers {
        for q in paper.question_order() {
            *uses.get_mut(&q).expect("only eligible questions") += 1;
        }
        means.push(paper.mean_difficulty());
    }
    assert_eq!(means.len(), PAPERS);
    for t in [
        QuestionType::Single,
        QuestionType::Multiple,
        QuestionType::TrueFalse,
    ] {
        let of_type: Vec<u32> = uses
            .iter()
            .filter(|(q, _)| bank.get(**q).is_some_and(|q| q.question_type() == t))
            .map(|(_, &n)| n)
            .collect();
        let mean = f64::from(of_type.iter().sum::<u32>()) / of_type.len() as f64;
        let (min, max) = (
            of_type.iter().copied().min().unwrap_or(0),
            of_type.iter().copied().max().unwrap_or(0),
        );
        let worst = of_type
            .iter()
            .map(|&n| (f64::from(n) - mean).abs() / mean)
            .fold(0.0, f64::max);
        println!(
            "{scheme:9} {:6}: {} questions, uses mean {mean:.1}, min {min}, max {max}, worst deviation {:.1} % (bound {:.0} %)",
            t.label_zh(),
            of_type.len(),
            worst * 100.0,
            bound * 100.0
        );
        assert!(
            (mean - 1000.0).abs() < 1e-6,
            "every paper has the same shape"
        );
        assert!(
            worst <= bound,
            "{scheme} {t:?}: a question is used {:.1} % away from the mean",
            worst * 100.0
        );
    }
    let n = means.len() as f64;
    let avg = means.iter().sum::<f64>() / n;
    let sd = (means.iter().map(|m| (m - avg).powi(2)).sum::<f64>() / n).sqrt();
    let lo = means.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = means.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    println!(
        "{scheme:9} difficulty over {PAPERS} papers: mean {avg:.3}, sd {sd:.3}, min {lo:.3}, max {hi:.3} (target {} ± {})",
        bp.target_difficulty(),
        bp.tolerance()
    );
    assert!(lo >= bp.target_difficulty() - bp.tolerance() - 1e-9);
    assert!(hi <= bp.target_difficulty() + bp.tolerance() + 1e-9);
}

#[test]
fn over_10000_batch_papers_every_question_is_used_within_3_percent_of_the_mean() {
    let (pool, bp, bank) = pool();
    let mut batch = pool.batch(&SECRET);
    let papers = (0..PAPERS).map(|i| batch.next_paper(&format!("2025{i:06}")).expect("a paper"));
    assess("batch", papers, &pool, &bank, &bp, 0.03);
}

#[test]
fn over_10000_stateless_papers_every_question_is_used_within_15_percent_of_the_mean() {
    let (pool, bp, bank) = pool();
    let papers = (0..PAPERS).map(|i| {
        pool.assemble(&Seed::derive(&SECRET, &format!("2025{i:06}")))
            .expect("a paper")
    });
    assess("stateless", papers, &pool, &bank, &bp, 0.15);
}
