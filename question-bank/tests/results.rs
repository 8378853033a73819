//! Results: scoring under the office's decisions (voided questions both ways, corrected keys,
//! the shrunk pass mark, subtotals per area and law) and the item statistics of a batch against
//! values computed by hand.

#![allow(
    clippy::unwrap_used,
    reason = "test fixtures: failing is failing the test"
)]

mod common;

use common::*;
use question_bank::answer::AnswerKey;
use question_bank::{
    Answers, Blueprint, Chosen, Decisions, ExamScope, Flag, ItemDecision, ItemScore, Outcome,
    Paper, Points, QuestionRef, QuestionType, Response, Seed, analyse, assemble, distribution,
    histogram, score, score_under,
};

const SECRET: [u8; 32] = [7; 32];

fn paper_of(ticket: &str) -> (question_bank::BankSnapshot, Paper) {
    let bank = general_bank();
    let paper = assemble(
        &Blueprint::default_general(),
        &bank,
        None,
        &Seed::derive(&SECRET, ticket),
    )
    .unwrap();
    (bank, paper)
}

fn perfect(bank: &question_bank::BankSnapshot, paper: &Paper) -> Answers {
    paper
        .items()
        .map(|(n, _, item)| (n, correct_positions(bank, item)))
        .collect()
}

fn hundredths(h: u32) -> Points {
    Points::from_hundredths(h)
}

#[test]
fn a_question_voided_with_points_awarded_gives_everyone_its_points_whatever_they_answered() {
    let (bank, paper) = paper_of("2025000001");
    let (n, section, item) = paper.items().next().unwrap();
    let decisions: Decisions = [(item.question(), ItemDecision::VoidAward)]
        .into_iter()
        .collect();

    // Unanswered, wrong, right: each earns the question's points.
    let right = correct_positions(&bank, item);
    let wrong = match &right {
        Response::Choices(c) => Response::Choices(vec![(c[0] + 1) % 4]),
        Response::TrueFalse(b) => Response::TrueFalse(!b),
    };
    for answers in [
        Answers::new(),
        [(n, wrong)].into_iter().collect(),
        [(n, right)].into_iter().collect(),
    ] {
        let before = score(&paper, &bank, &answers).unwrap();
        let after = score_under(&paper, &bank, &answers, &decisions).unwrap();
        let first = &after.items[0];
        assert!(first.voided);
        assert_eq!(first.earned, section.points_per_question());
        assert_eq!(
            first.marked, before.items[0].earned,
            "marked keeps the key's verdict"
        );
        assert_eq!(first.outcome, before.items[0].outcome);
        assert_eq!(after.possible, pts(100));
        // What the question earned before is replaced by its full points.
        assert_eq!(
            after.total.hundredths(),
            before.total.hundredths() - before.items[0].earned.hundredths()
                + section.points_per_question().hundredths()
        );
    }
}

#[test]
fn a_question_voided_out_of_the_total_shrinks_the_total_and_the_pass_mark_in_proportion() {
    let (bank, paper) = paper_of("2025000002");
    // The first question is a 1-point 单选题 of the default blueprint.
    let (_, section, first) = paper.items().next().unwrap();
    assert_eq!(section.points_per_question(), pts(1));
    let decisions: Decisions = [(first.question(), ItemDecision::VoidRemove)]
        .into_iter()
        .collect();

    let all = score_under(&paper, &bank, &perfect(&bank, &paper), &decisions).unwrap();
    assert_eq!((all.total, all.possible), (pts(99), pts(99)));
    // 60 of 100 becomes 59.4 of 99: the same share.
    assert_eq!(all.pass_mark, hundredths(5940));
    assert!(all.items[0].voided && all.items[0].possible.is_zero());

    // Exactly 59.4 passes, 59.39 could not be reached but 59 fails: answer 59 1-point
    // questions other than the first right, then check 59 < 59.4.
    let mut answers = Answers::new();
    let ones: Vec<_> = paper
        .items()
        .filter(|(_, s, _)| s.points_per_question() == pts(1))
        .skip(1)
        .take(59)
        .map(|(n, _, item)| (n, correct_positions(&bank, item)))
        .collect();
    for (n, r) in ones {
        answers.insert(n, r);
    }
    let s = score_under(&paper, &bank, &answers, &decisions).unwrap();
    assert_eq!(s.total, pts(59));
    assert!(!s.passed, "59 of 99 is under 60 %");
    // Without the decision the same answers are 59 of 100: failed as well, against 60.
    assert!(!score(&paper, &bank, &answers).unwrap().passed);
}

#[test]
fn two_removed_questions_keep_the_pass_share_rounded_up_to_the_hundredth() {
    let (bank, paper) = paper_of("2025000003");
    let firsts: Vec<QuestionRef> = paper
        .items()
        .take(3)
        .map(|(_, _, i)| i.question())
        .collect();
    let decisions: Decisions = firsts
        .iter()
        .map(|&q| (q, ItemDecision::VoidRemove))
        .collect();
    let s = score_under(&paper, &bank, &Answers::new(), &decisions).unwrap();
    // 97 of 100 remain: 60 × 97 / 100 = 58.2.
    assert_eq!((s.possible, s.pass_mark), (pts(97), hundredths(5820)));
    assert_eq!(s.total, Points::ZERO);
    assert!(s.items.iter().take(3).all(|i| i.voided));
}

#[test]
fn a_corrected_key_scores_the_new_key_right_and_the_old_one_wrong() {
    let (bank, paper) = paper_of("2025000004");
    let (n, _, item) = paper
        .items()
        .find(|(_, s, _)| s.question_type() == QuestionType::Single)
        .unwrap();
    let q = bank.get(item.question()).unwrap();
    let old = q.answer_key().correct_options()[0];
    let new = (old + 1) % q.options().len();
    let decisions: Decisions = [(
        item.question(),
        ItemDecision::Rekey(AnswerKey::choices([new]).unwrap()),
    )]
    .into_iter()
    .collect();
    let shown = |original: usize| {
        item.option_order()
            .iter()
            .position(|&o| usize::from(o) == original)
            .unwrap() as u8
    };
    let old_answer: Answers = [(n, Response::Choices(vec![shown(old)]))]
        .into_iter()
        .collect();
    let new_answer: Answers = [(n, Response::Choices(vec![shown(new)]))]
        .into_iter()
        .collect();
    let at = n as usize - 1;

    assert_eq!(
        score(&paper, &bank, &old_answer).unwrap().items[at].outcome,
        Outcome::Correct
    );
    let s = score_under(&paper, &bank, &old_answer, &decisions).unwrap();
    assert_eq!(
        (s.items[at].outcome, s.total),
        (Outcome::Wrong, Points::ZERO)
    );
    assert!(!s.items[at].voided);
    let s = score_under(&paper, &bank, &new_answer, &decisions).unwrap();
    assert_eq!((s.items[at].outcome, s.total), (Outcome::Correct, pts(1)));
    assert_eq!(s.items[at].chosen, Chosen::Options(1 << new));
}

#[test]
fn subtotals_per_area_and_per_law_add_up_to_the_total() {
    let bank = general_bank();
    let paper = assemble(
        &Blueprint::default_professional(),
        &bank,
        Some(&field(0)),
        &Seed::derive(&SECRET, "2025000005"),
    )
    .unwrap();
    let s = score(&paper, &bank, &perfect(&bank, &paper)).unwrap();
    assert_eq!(s.total, pts(100));
    let sum = |subs: Vec<Points>| subs.into_iter().map(Points::hundredths).sum::<u32>();
    assert_eq!(sum(s.areas.iter().map(|(_, t)| t.earned).collect()), 10_000);
    assert_eq!(
        sum(s.areas.iter().map(|(_, t)| t.possible).collect()),
        10_000
    );
    assert_eq!(
        sum(s.laws.iter().map(|(_, t)| t.possible).collect()),
        10_000
    );
    let (bank_g, general) = paper_of("2025000007");
    let g = score(&general, &bank_g, &Answers::new()).unwrap();
    assert_eq!(g.areas.len(), 1);
    assert_eq!(g.areas[0].0, ExamScope::General);
    assert_eq!(g.areas[0].1.possible, pts(100));
    assert!(
        s.areas
            .iter()
            .any(|(a, _)| *a == ExamScope::Professional(field(0)))
    );
    // Laws are grouped by name whatever the 《》 and 中华人民共和国 prefix.
    assert_eq!(s.laws.len(), 3, "{:?}", s.laws);
}

#[test]
fn malformed_and_foreign_answers_score_nothing_and_are_counted_as_malformed() {
    let (bank, paper) = paper_of("2025000006");
    let mut answers = Answers::new();
    answers.insert(1, Response::Choices(vec![200]));
    answers.insert(2, Response::TrueFalse(true));
    answers.insert(999, Response::TrueFalse(true));
    let s = score(&paper, &bank, &answers).unwrap();
    assert_eq!(s.total, Points::ZERO);
    assert_eq!(s.items[0].chosen, Chosen::Malformed);
    assert_eq!(s.items[1].chosen, Chosen::Malformed);
    assert_eq!(s.items[2].chosen, Chosen::Nothing);
    let stats = analyse([s.items.as_slice()], &bank, &Decisions::none());
    let first = stats.item(s.items[0].question).unwrap();
    assert_eq!((first.malformed, first.unanswered), (1, 0));
}

// ---- Item statistics against a fixture computed by hand ----

/// Five candidates on one paper of four 1-point 判断题 (questions 0–3 of the bank; the key of
/// question i is 正确 for even i). 1 = right, 0 = wrong:
///
/// | candidate | q0 | q1 | q2 | q3 | total |
/// |-----------|----|----|----|----|-------|
/// | c1        | 1  | 1  | 1  | 0  | 3     |
/// | c2        | 1  | 1  | 0  | 0  | 2     |
/// | c3        | 1  | 0  | 1  | 0  | 2     |
/// | c4        | 0  | 1  | 0  | 1  | 2     |
/// | c5        | 0  | 0  | 0  | 1  | 1     |
const GRID: [[u8; 4]; 5] = [
    [1, 1, 1, 0],
    [1, 1, 0, 0],
    [1, 0, 1, 0],
    [0, 1, 0, 1],
    [0, 0, 0, 1],
];

fn fixture(items: usize) -> (question_bank::BankSnapshot, Vec<Vec<ItemScore>>) {
    let bank = snapshot(&specs(QuestionType::TrueFalse, 0, 4, &[3]));
    let attempts = GRID
        .iter()
        .map(|row| {
            row.iter()
                .take(items)
                .enumerate()
                .map(|(i, &right)| {
                    let key = i % 2 == 0;
                    let given = if right == 1 { key } else { !key };
                    ItemScore {
                        number: i as u32 + 1,
                        question: reference(i),
                        worth: pts(1),
                        possible: pts(1),
                        earned: pts(u32::from(right)),
                        marked: pts(u32::from(right)),
                        outcome: if right == 1 {
                            Outcome::Correct
                        } else {
                            Outcome::Wrong
                        },
                        chosen: Chosen::TrueFalse(given),
                        voided: false,
                    }
                })
                .collect()
        })
        .collect();
    (bank, attempts)
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn item_statistics_match_the_values_computed_by_hand() {
    // Three questions: totals 3, 2, 2, 1, 0 (c1 … c5 without q3).
    let (bank, attempts) = fixture(3);
    let a = analyse(
        attempts.iter().map(Vec::as_slice),
        &bank,
        &Decisions::none(),
    );
    assert_eq!(a.candidates, 5);
    let [q0, q1, q2] = [0, 1, 2].map(|i| a.item(reference(i)).unwrap());

    // Facility: 3/5, 3/5, 2/5.
    assert!(close(q0.facility, 0.6) && close(q1.facility, 0.6) && close(q2.facility, 0.4));

    // q0: x = 1 1 1 0 0, rest = 2 1 1 1 0: cov 0.2, var x 0.24, var rest 0.4,
    // r = 0.2 / √0.096 = 0.645497.
    assert!(close(q0.discrimination.unwrap(), 0.2 / 0.096f64.sqrt()));
    // q1: x = 1 1 0 1 0, rest = 2 1 2 0 0: cov 0 → r = 0, flagged as near zero.
    assert!(close(q1.discrimination.unwrap(), 0.0));
    assert!(q1.flags.contains(&Flag::LowDiscrimination));
    // q2: x = 1 0 1 0 0, rest = 2 2 1 1 0: cov 0.12, var rest 0.56, r = 0.12 / √0.1344.
    assert!(close(q2.discrimination.unwrap(), 0.12 / 0.1344f64.sqrt()));
    assert!(
        !q0.flags
            .iter()
            .any(|f| matches!(f, Flag::LowDiscrimination))
    );

    // Upper–lower: 27 % of 5 rounds to 1 candidate a group: c1 (3) above, c5 (0) below.
    for q in [q0, q1, q2] {
        assert!(close(q.upper_lower.unwrap(), 1.0));
    }

    // KR-20: k = 3, Σpq = 3 × 0.24 = 0.72, σ²ₓ = 1.04: 1.5 × (1 − 0.72/1.04) = 6/13.
    assert!(
        close(a.reliability.unwrap(), 6.0 / 13.0),
        "{:?}",
        a.reliability
    );

    // Options, as [正确, 错误]: q0's key is 正确 (3 chose it), q1's is 错误 (3 chose it).
    assert_eq!(q0.chosen, vec![3, 2]);
    assert_eq!(q1.chosen, vec![2, 3]);
    assert_eq!(q2.chosen, vec![2, 3]);
    // q2's key is 正确, chosen by 2, while 错误 drew 3: a distractor over the key.
    assert!(q2.flags.contains(&Flag::DistractorOverKey { option: 1 }));
    assert!(
        !q0.flags
            .iter()
            .any(|f| matches!(f, Flag::DistractorOverKey { .. }))
    );
}

#[test]
fn a_question_the_weaker_candidates_got_right_is_flagged_negative() {
    // Four questions: q3 is right only for c4 and c5, the weakest by total.
    let (bank, attempts) = fixture(4);
    let a = analyse(
        attempts.iter().map(Vec::as_slice),
        &bank,
        &Decisions::none(),
    );
    let q3 = a.item(reference(3)).unwrap();
    // x = 0 0 0 1 1, rest = 3 2 2 1 0: cov −0.44, var x 0.24, var rest 1.04.
    assert!(close(
        q3.discrimination.unwrap(),
        -0.44 / (0.24f64 * 1.04).sqrt()
    ));
    assert!(q3.flags.contains(&Flag::NegativeDiscrimination));
    // Totals 3 2 2 2 1: c1 above, c5 below; q3: 0 − 1.
    assert!(close(q3.upper_lower.unwrap(), -1.0));
}

#[test]
fn statistics_count_only_the_candidates_whose_paper_held_the_question() {
    let (bank, mut attempts) = fixture(3);
    // c5 had another paper: without q2.
    attempts[4].retain(|i| i.question != reference(2));
    let a = analyse(
        attempts.iter().map(Vec::as_slice),
        &bank,
        &Decisions::none(),
    );
    let q2 = a.item(reference(2)).unwrap();
    assert_eq!(q2.candidates, 4);
    assert!(close(q2.facility, 0.5));
    assert_eq!(a.item(reference(0)).unwrap().candidates, 5);
}

#[test]
fn a_question_everybody_got_right_is_too_easy_and_has_no_discrimination() {
    let (bank, mut attempts) = fixture(3);
    for a in &mut attempts {
        a[0].marked = pts(1);
        a[0].chosen = Chosen::TrueFalse(true);
    }
    let a = analyse(
        attempts.iter().map(Vec::as_slice),
        &bank,
        &Decisions::none(),
    );
    let q0 = a.item(reference(0)).unwrap();
    assert!(close(q0.facility, 1.0));
    assert_eq!(q0.discrimination, None);
    assert_eq!(q0.flags, vec![Flag::TooEasy]);
}

#[test]
fn a_corrected_key_moves_the_distractor_flag() {
    let (bank, attempts) = fixture(3);
    // q2's key corrected to 错误: now the key drew 3 and 正确 only 2.
    let decisions: Decisions = [(
        reference(2),
        ItemDecision::Rekey(AnswerKey::true_false(false)),
    )]
    .into_iter()
    .collect();
    let a = analyse(attempts.iter().map(Vec::as_slice), &bank, &decisions);
    let q2 = a.item(reference(2)).unwrap();
    assert!(
        !q2.flags
            .iter()
            .any(|f| matches!(f, Flag::DistractorOverKey { .. }))
    );
}

#[test]
fn distribution_and_histogram_of_scores() {
    let d = distribution(&[60.0, 70.0, 80.0, 90.0]).unwrap();
    assert!(close(d.mean, 75.0) && close(d.median, 75.0));
    // Sample standard deviation: √(500/3).
    assert!(close(d.standard_deviation, (500.0f64 / 3.0).sqrt()));
    assert_eq!((d.min, d.max, d.count), (60.0, 90.0, 4));
    assert!(close(distribution(&[5.0, 1.0, 3.0]).unwrap().median, 3.0));
    assert_eq!(distribution(&[]), None);

    let h = histogram(&[0.0, 9.99, 10.0, 59.5, 100.0, 100.0], 10.0, 100.0);
    assert_eq!(h, vec![2, 1, 0, 0, 0, 1, 0, 0, 0, 2]);
    assert!(histogram(&[1.0], 0.0, 100.0).is_empty());
}
