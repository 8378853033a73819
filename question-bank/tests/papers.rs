//! Papers from blueprints: assembly, batches and appeals, the candidate's view, scoring, and the
//! coverage report an office reads before an exam.

mod common;

use std::collections::HashSet;

use common::*;
use question_bank::{
    Answers, AssemblyError, BankSnapshot, BatchState, Blueprint, CoverageProblem, ExamKind, Lang,
    Localized, Outcome, Paper, PaperError, Points, PreparedPool, QuestionType, Quota, Response,
    ResumeError, ScoringRule, Seed, Selector, assemble, regenerate, score,
};

use QuestionType::{Multiple, Single, TrueFalse};

const SECRET: [u8; 32] = [42; 32];
fn tickets(n: usize) -> Vec<String> {
    (1..=n).map(|i| format!("2025{i:06}")).collect()
}

#[test]
fn a_default_general_paper_has_40_20_20_questions_for_100_points_within_the_difficulty_band() {
    let bank = general_bank();
    let bp = Blueprint::default_general();
    let paper = assemble(&bp, &bank, None, &Seed::derive(&SECRET, "2025000001")).unwrap();
    let counts: Vec<usize> = paper.sections().iter().map(|s| s.items().len()).collect();
    assert_eq!(counts, [40, 20, 20]);
    assert_eq!(paper.total_points(), pts(100));
    assert_eq!(paper.pass_mark(), pts(60));
    assert_eq!(paper.question_count(), 80);
    check_paper(&paper, &bp, &bank, None).unwrap();
}

#[test]
fn the_same_seed_gives_the_same_paper_and_other_tickets_other_orders() {
    let bank = general_bank();
    let pool = PreparedPool::new(&Blueprint::default_general(), &bank, None).unwrap();
    let seed = Seed::derive(&SECRET, "2025000001");
    assert_eq!(pool.assemble(&seed).unwrap(), pool.assemble(&seed).unwrap());
    // And from a snapshot given in another order: the snapshot sorts itself.
    let mut entries = bank.entries().to_vec();
    entries.reverse();
    let reversed = BankSnapshot::new(entries).unwrap();
    assert_eq!(
        assemble(&Blueprint::default_general(), &reversed, None, &seed).unwrap(),
        pool.assemble(&seed).unwrap()
    );
    let orders: HashSet<_> = tickets(50)
        .iter()
        .map(|t| {
            pool.assemble(&Seed::derive(&SECRET, t))
                .unwrap()
                .question_order()
        })
        .collect();
    assert_eq!(orders.len(), 50);
}

#[test]
fn a_batch_is_reproducible_and_any_ticket_can_be_regenerated_for_an_appeal() {
    let bank = general_bank();
    let bp = Blueprint::default_general();
    let pool = PreparedPool::new(&bp, &bank, None).unwrap();
    let tickets = tickets(30);
    let batch = pool.assemble_batch(&SECRET, &tickets).unwrap();
    assert_eq!(batch, pool.assemble_batch(&SECRET, &tickets).unwrap());
    for paper in &batch {
        check_paper(paper, &bp, &bank, None).unwrap();
        assert_eq!(paper.pool_fingerprint(), pool.fingerprint());
    }
    // An appeal on ticket 17 rebuilds exactly the stored paper, from scratch.
    let stored = serde_json::to_string(&batch[16]).unwrap();
    let again = regenerate(&bp, &bank, None, &SECRET, &tickets, &tickets[16]).unwrap();
    assert_eq!(serde_json::to_string(&again).unwrap(), stored);
    // Another batch secret gives other papers.
    assert_ne!(pool.assemble_batch(&[1; 32], &tickets).unwrap(), batch);
    assert_eq!(
        pool.regenerate(&SECRET, &tickets, "2099000001"),
        Err(AssemblyError::TicketNotInBatch {
            ticket: "2099000001".into()
        })
    );
    let twice = [tickets[0].clone(), tickets[1].clone(), tickets[0].clone()];
    let err = pool.assemble_batch(&SECRET, &twice).unwrap_err();
    assert_eq!(
        err,
        AssemblyError::DuplicateTicket {
            ticket: tickets[0].clone()
        }
    );
    assert!(err.message(Lang::Zh).contains("出现两次"));
}

#[test]
fn a_batch_spreads_questions_so_neighbours_share_few() {
    let bank = general_bank();
    let pool = PreparedPool::new(&Blueprint::default_general(), &bank, None).unwrap();
    let batch = pool.assemble_batch(&SECRET, &tickets(6)).unwrap();
    for pair in batch.windows(2) {
        let a: HashSet<_> = pair[0].question_order().into_iter().collect();
        let shared = pair[1]
            .question_order()
            .iter()
            .filter(|q| a.contains(q))
            .count();
        // 80 of 240 questions per paper: uniform draws would share about 27.
        assert!(shared <= 12, "neighbours share {shared} questions");
    }
}

#[test]
fn adjacent_tickets_never_get_the_same_question_order_even_from_a_tiny_pool() {
    // Three questions, three places: only 6 orders exist, so uniform shuffles would repeat
    // between neighbours about one time in six.
    let bank = snapshot(&specs(Single, 0, 3, &[3]));
    let bp = blueprint(
        ExamKind::General,
        vec![section(Single, 3, 1, vec![])],
        2,
        3.0,
        0.5,
    );
    let pool = PreparedPool::new(&bp, &bank, None).unwrap();
    let batch = pool.assemble_batch(&SECRET, &tickets(200)).unwrap();
    for pair in batch.windows(2) {
        assert_ne!(pair[0].question_order(), pair[1].question_order());
    }
    let distinct: HashSet<_> = batch.iter().map(Paper::question_order).collect();
    assert_eq!(distinct.len(), 6, "every order is still used");
}

fn tiny_pool() -> PreparedPool {
    let bank = snapshot(&specs(Single, 0, 3, &[3]));
    let bp = blueprint(
        ExamKind::General,
        vec![section(Single, 3, 1, vec![])],
        2,
        3.0,
        0.5,
    );
    PreparedPool::new(&bp, &bank, None).expect("a pool")
}

#[test]
fn a_batch_taken_up_from_its_stored_state_after_any_ticket_deals_what_one_go_would() {
    // The tiny pool puts every rule to work: the decks reshuffle every paper and the
    // adjacent-order swap is frequent, so its `previous` must carry over too.
    let pool = tiny_pool();
    let tickets = tickets(40);
    let whole = pool.assemble_batch(&SECRET, &tickets).unwrap();
    let mut batch = pool.batch(&SECRET);
    for k in 0..=tickets.len() {
        let stored = serde_json::to_string(&batch.state()).unwrap();
        let state: BatchState = serde_json::from_str(&stored).unwrap();
        assert_eq!(state.dealt(), k as u64);
        let mut resumed = pool.resume(&SECRET, state, &tickets[..k]).unwrap();
        let rest: Vec<Paper> = tickets[k..]
            .iter()
            .map(|t| resumed.next_paper(t).unwrap())
            .collect();
        assert_eq!(rest, whole[k..], "resumed after {k} tickets");
        if let Some(t) = tickets.get(k) {
            batch.next_paper(t).unwrap();
        }
    }
    // The same with the default blueprint and a bank whose decks run out mid-paper.
    let bank = general_bank();
    let pool = PreparedPool::new(&Blueprint::default_general(), &bank, None).unwrap();
    let tickets = self::tickets(12);
    let whole = pool.assemble_batch(&SECRET, &tickets).unwrap();
    let mut first = pool.batch(&SECRET);
    for t in &tickets[..5] {
        first.next_paper(t).unwrap();
    }
    let mut second = pool.resume(&SECRET, first.state(), &tickets[..5]).unwrap();
    let rest: Vec<Paper> = tickets[5..]
        .iter()
        .map(|t| second.next_paper(t).unwrap())
        .collect();
    assert_eq!(rest, whole[5..]);
    assert_eq!(second.assembled(), 12);
}

#[test]
fn a_dealing_state_that_does_not_fit_is_refused_never_a_fresh_start() {
    let pool = tiny_pool();
    let tickets = tickets(6);
    let mut batch = pool.batch(&SECRET);
    for t in &tickets[..4] {
        batch.next_paper(t).unwrap();
    }
    let state = batch.state();
    let dealt = &tickets[..4];

    // Another pool, another batch.
    let other = PreparedPool::new(&Blueprint::default_general(), &general_bank(), None).unwrap();
    assert_eq!(
        other.resume(&SECRET, state.clone(), dealt).unwrap_err(),
        ResumeError::OtherPool {
            state: pool.fingerprint().to_owned(),
            pool: other.fingerprint().to_owned(),
        }
    );
    assert_eq!(
        pool.resume(&[1; 32], state.clone(), dealt).unwrap_err(),
        ResumeError::OtherBatch
    );
    // Not the tickets it dealt: too few, another order, another number.
    assert_eq!(
        pool.resume(&SECRET, state.clone(), &tickets[..3])
            .unwrap_err(),
        ResumeError::TicketCount { state: 4, given: 3 }
    );
    let mut swapped = dealt.to_vec();
    swapped.swap(0, 1);
    assert_eq!(
        pool.resume(&SECRET, state.clone(), &swapped).unwrap_err(),
        ResumeError::TicketsChanged
    );
    let mut renamed = dealt.to_vec();
    renamed[3] = "2099000001".into();
    let err = pool.resume(&SECRET, state.clone(), &renamed).unwrap_err();
    assert_eq!(err, ResumeError::TicketsChanged);
    assert!(
        err.to_string().contains("schedule the batch again"),
        "{err}"
    );

    // Damaged in storage.
    let json = serde_json::to_value(&state).unwrap();
    let tampered = |edit: &dyn Fn(&mut serde_json::Value)| {
        let mut v = json.clone();
        edit(&mut v);
        let state: BatchState = serde_json::from_value(v).unwrap();
        pool.resume(&SECRET, state, dealt).unwrap_err()
    };
    assert!(matches!(
        tampered(&|v| v["decks"][0]["order"][0] = v["decks"][0]["order"][1].clone()),
        ResumeError::Deck { deck: 0, .. }
    ));
    assert!(matches!(
        tampered(&|v| v["decks"][0]["next"] = 9.into()),
        ResumeError::Deck { deck: 0, .. }
    ));
    assert_eq!(
        tampered(&|v| v["decks"] = serde_json::json!([])),
        ResumeError::DeckCount { state: 0, pool: 1 }
    );
    assert_eq!(
        tampered(&|v| v["previous"][0]["revision_id"] = 1.into()),
        ResumeError::Previous
    );
    assert_eq!(
        tampered(&|v| v["previous"] = serde_json::Value::Null),
        ResumeError::Previous
    );
    let mut unknown = json.clone();
    unknown["extra"] = 1.into();
    assert!(serde_json::from_value::<BatchState>(unknown).is_err());

    // A ticket dealt before the state is still a duplicate after it.
    let mut resumed = pool.resume(&SECRET, state, dealt).unwrap();
    assert_eq!(
        resumed.next_paper(&tickets[2]).unwrap_err(),
        AssemblyError::DuplicateTicket {
            ticket: tickets[2].clone()
        }
    );
    assert!(resumed.next_paper(&tickets[4]).is_ok());
}

#[test]
fn a_stored_dealing_state_holds_positions_and_question_ids_but_no_secret_and_no_key() {
    let bank = general_bank();
    let pool = PreparedPool::new(&Blueprint::default_general(), &bank, None).unwrap();
    let mut batch = pool.batch(&SECRET);
    for t in tickets(3) {
        batch.next_paper(&t).unwrap();
    }
    let state = batch.state();
    let json = serde_json::to_value(&state).unwrap();
    fn keys(v: &serde_json::Value, out: &mut std::collections::BTreeSet<String>) {
        match v {
            serde_json::Value::Object(map) => {
                for (k, v) in map {
                    out.insert(k.clone());
                    keys(v, out);
                }
            }
            serde_json::Value::Array(items) => items.iter().for_each(|v| keys(v, out)),
            _ => {}
        }
    }
    let mut found = std::collections::BTreeSet::new();
    keys(&json, &mut found);
    let expected = [
        "pool",
        "batch",
        "dealt",
        "tickets",
        "stream",
        "decks",
        "order",
        "next",
        "previous",
        "question_id",
        "revision_id",
    ];
    assert_eq!(found, expected.iter().map(|k| (*k).to_owned()).collect());
    let text = json.to_string();
    let secret_hex: String = SECRET.iter().map(|b| format!("{b:02x}")).collect();
    assert!(!text.contains(&secret_hex), "the secret is in the state");
    assert!(
        !format!("{state:?}").contains("order"),
        "Debug hides the decks"
    );
}

#[test]
fn a_professional_paper_draws_its_field_part_from_the_candidates_field() {
    let bank = general_bank();
    let bp = blueprint(
        ExamKind::Professional,
        vec![
            section(
                Single,
                20,
                2,
                vec![Quota {
                    selector: Selector::General,
                    count: 8,
                }],
            ),
            section(TrueFalse, 10, 6, vec![]),
        ],
        60,
        2.6,
        0.3,
    );
    let own = field(1);
    let pool = PreparedPool::new(&bp, &bank, Some(&own)).unwrap();
    for t in tickets(20) {
        let paper = pool.assemble(&Seed::derive(&SECRET, &t)).unwrap();
        check_paper(&paper, &bp, &bank, Some(&own)).unwrap();
        let fields: Vec<_> = paper
            .question_order()
            .iter()
            .map(|r| bank.get(*r).unwrap().scope().clone())
            .collect();
        let general = fields.iter().filter(|s| s.field().is_none()).count();
        let own_field = fields.iter().filter(|s| s.field() == Some(&own)).count();
        assert_eq!((general, own_field), (8, 22));
    }
    let err = PreparedPool::new(&bp, &bank, None).unwrap_err();
    assert_eq!(
        err,
        AssemblyError::Coverage {
            problems: vec![CoverageProblem::FieldRequired]
        }
    );
    assert!(err.message(Lang::Zh).contains("请指定考生的执法领域"));
}

#[test]
fn law_and_tag_quotas_are_met_on_every_paper() {
    let bank = general_bank();
    let bp = blueprint(
        ExamKind::General,
        vec![
            section(
                Single,
                30,
                2,
                vec![
                    Quota {
                        selector: law(0),
                        count: 18,
                    },
                    Quota {
                        selector: tag(2),
                        count: 10,
                    },
                ],
            ),
            section(
                Multiple,
                10,
                4,
                vec![Quota {
                    selector: Selector::Law("《中华人民共和国行政许可法》".into()),
                    count: 6,
                }],
            ),
        ],
        60,
        2.6,
        0.2,
    );
    let pool = PreparedPool::new(&bp, &bank, None).unwrap();
    for paper in pool.assemble_batch(&SECRET, &tickets(200)).unwrap() {
        check_paper(&paper, &bp, &bank, None).unwrap();
    }
}

#[test]
fn the_candidate_view_shows_options_in_the_candidates_order_and_carries_no_key() {
    let bank = general_bank();
    let paper = assemble(
        &Blueprint::default_general(),
        &bank,
        None,
        &Seed::derive(&SECRET, "2025000009"),
    )
    .unwrap();
    let view = paper.view(&bank).unwrap();
    let mut number = 0;
    for (section, paper_section) in view.sections.iter().zip(paper.sections()) {
        for (item, paper_item) in section.items.iter().zip(paper_section.items()) {
            number += 1;
            assert_eq!(item.number, number);
            let q = bank.get(paper_item.question()).unwrap();
            assert_eq!(item.question.stem, q.stem().as_str());
            for (shown, &original) in paper_item.option_order().iter().enumerate() {
                assert_eq!(
                    item.question.options[shown],
                    q.options()[usize::from(original)].as_str()
                );
            }
        }
    }
    let json = serde_json::to_string(&view).unwrap();
    for secret in [
        "answer",
        "key",
        "correct",
        "explanation",
        "question_id",
        "revision",
        "difficulty",
        "legal",
        "order",
    ] {
        assert!(!json.contains(secret), "the view carries “{secret}”");
    }
    // The stored paper has no key either: only revisions and permutations.
    let stored = serde_json::to_string(&paper).unwrap();
    assert!(!stored.contains("answer") && !stored.contains("key"));
}

#[test]
fn answers_given_as_displayed_are_scored_through_the_permutation() {
    let bank = general_bank();
    let mut bp = Blueprint::default_general().to_parts();
    bp.sections[1].scoring = ScoringRule::PartialCredit {
        per_option: Points::from_hundredths(50),
    };
    let bp = Blueprint::new(bp).unwrap();
    let paper = assemble(&bp, &bank, None, &Seed::derive(&SECRET, "2025000003")).unwrap();
    let all: Vec<_> = paper.items().collect();

    let perfect: Answers = all
        .iter()
        .map(|(n, _, item)| (*n, correct_positions(&bank, item)))
        .collect();
    let s = score(&paper, &bank, &perfect).unwrap();
    assert_eq!((s.total, s.passed), (pts(100), true));
    assert!(s.items.iter().all(|i| i.outcome == Outcome::Correct));

    let nothing = score(&paper, &bank, &Answers::new()).unwrap();
    assert_eq!((nothing.total, nothing.passed), (Points::ZERO, false));
    assert!(
        nothing
            .items
            .iter()
            .all(|i| i.outcome == Outcome::Unanswered)
    );

    // The author's letters are not the candidate's: answering the key's original letters as
    // positions is mostly wrong. And one correct option of a 多选题 earns the partial share.
    let mut answers = Answers::new();
    let (n, section, item) = all
        .iter()
        .find(|(_, s, _)| s.question_type() == Multiple)
        .unwrap();
    let Response::Choices(correct) = correct_positions(&bank, item) else {
        unreachable!()
    };
    answers.insert(*n, Response::Choices(vec![correct[0]]));
    let s = score(&paper, &bank, &answers).unwrap();
    let one = &s.items[*n as usize - 1];
    assert_eq!(section.points_per_question(), pts(2));
    assert_eq!(
        (one.outcome, one.earned),
        (Outcome::Partial, Points::from_hundredths(50))
    );
    assert_eq!(s.total, Points::from_hundredths(50));
}

#[test]
fn a_stored_paper_reads_back_and_a_tampered_one_is_refused() {
    let bank = general_bank();
    let paper = assemble(
        &Blueprint::default_general(),
        &bank,
        None,
        &Seed::derive(&SECRET, "x"),
    )
    .unwrap();
    let json = serde_json::to_string(&paper).unwrap();
    assert_eq!(serde_json::from_str::<Paper>(&json).unwrap(), paper);

    let first = &paper.sections()[0].items()[0];
    let order = serde_json::to_string(first.option_order()).unwrap();
    let bad = json.replacen(&order, "[0,0,1,2]", 1);
    let err = serde_json::from_str::<Paper>(&bad).unwrap_err();
    assert!(err.to_string().contains("not a permutation"), "{err}");

    let bad = json.replace(r#""total_points":100"#, r#""total_points":99"#);
    let err = serde_json::from_str::<Paper>(&bad).unwrap_err();
    assert!(err.to_string().contains("add up to 100"), "{err}");

    let second = paper.sections()[0].items()[1].question();
    let bad = json.replace(
        &format!(r#""question_id":{},"#, second.question_id),
        &format!(r#""question_id":{},"#, first.question().question_id),
    );
    assert!(serde_json::from_str::<Paper>(&bad).is_err());
}

#[test]
fn viewing_or_scoring_against_the_wrong_snapshot_names_the_question() {
    let bank = general_bank();
    let paper = assemble(
        &Blueprint::default_general(),
        &bank,
        None,
        &Seed::derive(&SECRET, "x"),
    )
    .unwrap();
    let empty = BankSnapshot::default();
    let err = paper.view(&empty).unwrap_err();
    assert_eq!(
        err,
        PaperError::QuestionMissing {
            number: 1,
            question: paper.sections()[0].items()[0].question()
        }
    );
    assert!(err.message(Lang::Zh).starts_with("第 1 题"));
    assert!(score(&paper, &empty, &Answers::new()).is_err());
}

#[test]
fn the_fingerprint_changes_when_the_bank_does() {
    let bank = general_bank();
    let bp = Blueprint::default_general();
    let pool = PreparedPool::new(&bp, &bank, None).unwrap();
    // Retiring a professional question does not concern a general paper…
    let mut entries = bank.entries().to_vec();
    entries.pop();
    let without_professional = BankSnapshot::new(entries.clone()).unwrap();
    let same = PreparedPool::new(&bp, &without_professional, None).unwrap();
    assert_eq!(pool.fingerprint(), same.fingerprint());
    // …retiring a general one does.
    entries.remove(0);
    let smaller = BankSnapshot::new(entries).unwrap();
    let other = PreparedPool::new(&bp, &smaller, None).unwrap();
    assert_ne!(pool.fingerprint(), other.fingerprint());
    assert_eq!(pool.fingerprint().len(), 64);
}

#[test]
fn an_unreachable_difficulty_is_a_clear_error_naming_the_achievable_range() {
    let mut s = specs(Single, 0, 50, &[1, 2]);
    s.extend(specs(TrueFalse, 0, 50, &[1]));
    let bank = snapshot(&s);
    let bp = blueprint(
        ExamKind::General,
        vec![
            section(Single, 10, 1, vec![]),
            section(TrueFalse, 10, 1, vec![]),
        ],
        12,
        3.5,
        0.3,
    );
    let report = bp.check(&bank, None, 100);
    let difficulty = report.difficulty.clone().unwrap();
    assert_eq!((difficulty.lowest, difficulty.highest), (1.0, 1.5));
    assert!(!difficulty.achievable);
    let err = PreparedPool::new(&bp, &bank, None).unwrap_err();
    assert_eq!(
        err,
        AssemblyError::Coverage {
            problems: report.problems.clone()
        }
    );
    assert_eq!(
        err.message(Lang::Zh),
        "无法组出平均难度在 3.50 ± 0.30 之内的试卷:满足全部配额的试卷平均难度在 1.00 到 1.50 之间:请降低目标难度,或补充较难的题目"
    );
    assert_eq!(
        err.message(Lang::En),
        "No paper can have a mean difficulty within 3.50 ± 0.30: papers meeting every quota range from 1.00 to 1.50: lower the target, or add harder questions"
    );
}

#[test]
fn a_band_too_narrow_for_the_difficulties_is_reported_rather_than_missed() {
    // Two questions of difficulty 1 or 3 each: means 1, 2 or 3 only, none within 2.5 ± 0.2.
    let bank = snapshot(&specs(Single, 0, 10, &[1, 3]));
    let bp = blueprint(
        ExamKind::General,
        vec![section(Single, 2, 1, vec![])],
        1,
        2.5,
        0.2,
    );
    let report = bp.check(&bank, None, 10);
    assert!(matches!(
        report.problems[..],
        [CoverageProblem::DifficultyUnreachable { .. }]
    ));
    assert!(report.message(Lang::En).contains("widen the tolerance"));
    assert!(PreparedPool::new(&bp, &bank, None).is_err());
}

/// A blueprint this bank can only partly feed, for the report an office reads.
fn short_bank_and_blueprint() -> (BankSnapshot, Blueprint) {
    let mut s = specs(Single, 0, 30, &LEVELS);
    s.extend(specs(Multiple, 0, 12, &LEVELS));
    s.extend(specs(TrueFalse, 1, 40, &LEVELS));
    let bank = snapshot(&s);
    let bp = blueprint(
        ExamKind::Professional,
        vec![
            section(
                Single,
                20,
                2,
                vec![Quota {
                    selector: Selector::General,
                    count: 20,
                }],
            ),
            section(
                Multiple,
                15,
                2,
                vec![Quota {
                    selector: Selector::General,
                    count: 15,
                }],
            ),
            section(
                TrueFalse,
                30,
                1,
                vec![
                    Quota {
                        selector: law(0),
                        count: 16,
                    },
                    Quota {
                        selector: tag(1),
                        count: 4,
                    },
                ],
            ),
        ],
        60,
        2.6,
        0.3,
    );
    (bank, bp)
}

#[test]
fn the_coverage_report_names_each_section_quota_and_shortfall() {
    let (bank, bp) = short_bank_and_blueprint();
    let report = bp.check(&bank, Some(&field(0)), 500);
    assert!(!report.is_ok());
    insta::assert_snapshot!(
        "coverage_report_with_shortfalls",
        serde_json::to_string_pretty(&report).unwrap()
    );
    insta::assert_snapshot!(
        "coverage_report_with_shortfalls_zh",
        report.message(Lang::Zh)
    );
    insta::assert_snapshot!(
        "coverage_report_with_shortfalls_en",
        report.message(Lang::En)
    );
}

#[test]
fn the_coverage_report_of_a_feasible_blueprint_states_exposure_per_quota() {
    let bank = general_bank();
    let bp = blueprint(
        ExamKind::General,
        vec![
            section(
                Single,
                40,
                1,
                vec![Quota {
                    selector: law(0),
                    count: 20,
                }],
            ),
            section(Multiple, 20, 2, vec![]),
            section(TrueFalse, 20, 1, vec![]),
        ],
        60,
        2.6,
        0.3,
    );
    let report = bp.check(&bank, None, 1000);
    assert!(report.is_ok(), "{}", report.message(Lang::En));
    let single = &report.sections[0];
    assert_eq!((single.needed, single.available), (40, 120));
    assert_eq!(single.exposure, Some(0.3333));
    // 20 of the 40 law questions on every paper: each is on half the papers.
    assert_eq!(single.quotas[0].exposure, Some(0.5));
    assert_eq!(single.quotas[0].views_per_question, Some(500.0));
    insta::assert_snapshot!(
        "coverage_report_feasible",
        serde_json::to_string_pretty(&report).unwrap()
    );
    insta::assert_snapshot!("coverage_report_feasible_zh", report.message(Lang::Zh));
}

#[cfg(feature = "files")]
#[test]
fn the_sample_bank_feeds_both_default_blueprints() {
    let file = question_bank::parse_csv(include_bytes!("../sample/sample-bank.csv"))
        .expect("a valid sample bank");
    let bank = BankSnapshot::new(
        file.rows
            .into_iter()
            .enumerate()
            .map(|(i, row)| (reference(i), row.question))
            .collect(),
    )
    .unwrap();
    let general = Blueprint::default_general();
    let report = general.check(&bank, None, 1000);
    assert!(report.is_ok(), "{}", report.message(Lang::En));
    let paper = assemble(&general, &bank, None, &Seed::derive(&SECRET, "1")).unwrap();
    check_paper(&paper, &general, &bank, None).unwrap();
    let professional = Blueprint::default_professional();
    for name in ["市场监管", "生态环境"] {
        let field = question_bank::EnforcementField::parse(name).unwrap();
        let report = professional.check(&bank, Some(&field), 100);
        assert!(report.is_ok(), "{name}: {}", report.message(Lang::En));
        let paper = assemble(
            &professional,
            &bank,
            Some(&field),
            &Seed::derive(&SECRET, "1"),
        )
        .unwrap();
        check_paper(&paper, &professional, &bank, Some(&field)).unwrap();
    }
}

#[test]
fn papers_are_pinned_so_that_stored_papers_stay_reproducible() {
    // If this snapshot changes, papers already stored can no longer be regenerated: raise
    // `ALGORITHM` and keep the old algorithm instead.
    let bank = general_bank();
    let bp = blueprint(
        ExamKind::General,
        vec![
            section(Single, 4, 5, vec![]),
            section(Multiple, 2, 10, vec![]),
            section(TrueFalse, 3, 20, vec![]),
        ],
        60,
        2.6,
        0.3,
    );
    let pool = PreparedPool::new(&bp, &bank, None).unwrap();
    let stateless = pool.assemble(&Seed::from_bytes([0; 32])).unwrap();
    let batch = pool.assemble_batch(&SECRET, &tickets(2)).unwrap();
    insta::assert_snapshot!(
        "pinned_papers",
        serde_json::to_string(&[&stateless, &batch[0], &batch[1]]).unwrap()
    );
}
