//! The shipped sample bank is valid under the same rules as any import, and covers what the
//! exams need.

use std::collections::BTreeSet;

use question_bank::{ExamKind, QuestionType, parse_csv};

const SAMPLE: &[u8] = include_bytes!("../sample/sample-bank.csv");

#[test]
fn the_sample_bank_imports_without_a_single_row_error() {
    let file = match parse_csv(SAMPLE) {
        Ok(f) => f,
        Err(report) => panic!("the sample bank has errors: {report:?}"),
    };
    assert!(file.rows.len() >= 300, "only {} questions", file.rows.len());
}

#[test]
fn the_sample_bank_covers_every_type_both_kinds_and_the_core_laws() {
    let file = parse_csv(SAMPLE).expect("valid sample bank");
    let questions: Vec<_> = file.rows.iter().map(|r| &r.question).collect();
    for t in [
        QuestionType::Single,
        QuestionType::Multiple,
        QuestionType::TrueFalse,
    ] {
        assert!(
            questions.iter().any(|q| q.question_type() == t),
            "{t:?} missing"
        );
    }
    let fields: BTreeSet<String> = questions
        .iter()
        .filter(|q| q.exam_kind() == ExamKind::Professional)
        .filter_map(|q| q.field().map(|f| f.as_str().to_owned()))
        .collect();
    assert!(
        fields.contains("市场监管") && fields.contains("生态环境"),
        "{fields:?}"
    );
    for law in [
        "行政处罚法",
        "行政许可法",
        "行政强制法",
        "行政复议法",
        "行政诉讼法",
        "国家赔偿法",
        "宪法",
    ] {
        assert!(
            questions
                .iter()
                .any(|q| q.legal_basis().law_names().any(|n| n.contains(law))),
            "no question cites {law}"
        );
    }
    let difficulties: BTreeSet<u8> = questions.iter().map(|q| q.difficulty().get()).collect();
    assert_eq!(
        difficulties.len(),
        5,
        "a spread of difficulties: {difficulties:?}"
    );
}
