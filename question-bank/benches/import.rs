//! Import throughput: a 20,000-question template `.xlsx` (and `.csv`, GIFT) parsed and validated
//! in memory. Target: under 2 s for the xlsx on the 2-core reference machine.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use question_bank::{
    ImportDefaults, Question, QuestionDraft, parse_csv, parse_gift, parse_xlsx, to_csv, to_gift,
    to_xlsx,
};

const QUESTIONS: usize = 20_000;
const FIELDS: [&str; 7] = [
    "市场监管",
    "生态环境",
    "交通运输",
    "自然资源",
    "城市管理",
    "公安",
    "卫生健康",
];

fn bank() -> Vec<Question> {
    (0..QUESTIONS)
        .filter_map(|i| {
            let professional = i % 3 == 0;
            let (question_type, options, answer) = match i % 3 {
                0 => ("单选题", 4, "C"),
                1 => ("多选题", 5, "A、C、E"),
                _ => ("判断题", 0, "正确"),
            };
            Question::from_draft(&QuestionDraft {
                question_type: question_type.to_owned(),
                stem: format!(
                    "第{i}题:根据《中华人民共和国行政处罚法》的规定,行政机关在作出较大数额罚款的行政处罚决定之前,应当告知当事人有要求举行听证的权利,下列说法正确的是( )?"
                ),
                options: (0..options)
                    .map(|o| format!("选项{o}:当事人应当在行政机关告知后{}日内提出听证要求", o + 3))
                    .collect(),
                answer: answer.to_owned(),
                difficulty: (i % 5 + 1).to_string(),
                exam_kind: if professional { "专业法律知识" } else { "综合法律知识" }.to_owned(),
                field: if professional { FIELDS[i % FIELDS.len()].to_owned() } else { String::new() },
                legal_basis: "《中华人民共和国行政处罚法》第六十三条第一款；《中华人民共和国行政处罚法》第六十四条".to_owned(),
                tags: "听证；行政处罚；程序".to_owned(),
                explanation: "较大数额罚款、没收较大数额违法所得等处罚决定作出前,应当告知当事人有要求听证的权利。".to_owned(),
            })
            .ok()
        })
        .collect()
}

fn import(c: &mut Criterion) {
    let questions = bank();
    assert_eq!(
        questions.len(),
        QUESTIONS,
        "the generated bank must be valid"
    );
    let Ok(xlsx) = to_xlsx(&questions) else {
        panic!("xlsx export failed");
    };
    let Ok(csv) = to_csv(&questions) else {
        panic!("csv export failed");
    };
    let gift = to_gift(&questions);
    println!(
        "20,000 questions: xlsx {} KiB, csv {} KiB, gift {} KiB",
        xlsx.len() / 1024,
        csv.len() / 1024,
        gift.len() / 1024
    );

    let mut group = c.benchmark_group("import_20000");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("xlsx_parse_and_validate", |b| {
        b.iter(|| {
            let imported = parse_xlsx(black_box(&xlsx));
            assert!(matches!(&imported, Ok(f) if f.rows.len() == QUESTIONS));
            imported
        });
    });
    group.bench_function("csv_parse_and_validate", |b| {
        b.iter(|| parse_csv(black_box(&csv)));
    });
    group.bench_function("gift_parse_and_validate", |b| {
        b.iter(|| parse_gift(black_box(gift.as_bytes()), &ImportDefaults::default()));
    });
    group.finish();
}

criterion_group!(benches, import);
criterion_main!(benches);
