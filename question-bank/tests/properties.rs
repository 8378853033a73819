//! Property tests: parsers never panic on any input, every valid question survives an
//! export → import round trip in every format, and no invalid draft ever builds a question.

use proptest::prelude::*;
use question_bank::{
    AnswerKey, Field, ImportDefaults, Question, QuestionDraft, QuestionType, normalize_stem,
    parse_aiken, parse_gift, to_gift,
};

// ---------------------------------------------------------------------------------------------
// Strategies

/// Text pieces chosen to stress every format: separators, quotes, GIFT specials, formula
/// leaders, XML escapes, full-width characters, line breaks.
const PIECES: &[&str] = &[
    "行政",
    "处罚",
    "许可",
    "强制",
    "听证",
    "复议",
    "诉讼",
    "当事人",
    "罚款",
    "１０００元",
    "ＡＢＣ",
    "a",
    "B",
    "x",
    "7",
    "42",
    " ",
    "  ",
    ",",
    "，",
    "。",
    "、",
    ";",
    "；",
    ":",
    "：",
    "?",
    "？",
    "\"",
    "'",
    "“",
    "”",
    "《",
    "》",
    "（",
    "）",
    "(",
    ")",
    "{",
    "}",
    "=",
    "~",
    "#",
    "####",
    "%",
    "%50%",
    "\\",
    "\\n",
    "->",
    "//",
    "::",
    "$CATEGORY:",
    "[html]",
    "<b>",
    "&amp;",
    "_x0041_",
    "_x000D_",
    "=SUM(A1)",
    "+",
    "-",
    "@",
    "\n",
    "\t",
    "ANSWER: A",
    "A. ",
    "T",
    "FALSE",
    "\u{3000}",
    "√",
    "×",
    "…",
    "—",
    "😀",
];

fn text(max_pieces: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::sample::select(PIECES), 1..=max_pieces)
        .prop_map(|pieces| pieces.concat())
}

fn one_line(max_pieces: usize) -> impl Strategy<Value = String> {
    text(max_pieces).prop_map(|t| t.replace(['\n', '\t'], "").replace("\\n", ""))
}

const LAWS: &[&str] = &[
    "《中华人民共和国行政处罚法》第三十六条",
    "《中华人民共和国行政许可法》第十二条第一款",
    "《行政强制法》第7条；《宪法》",
    "行政复议法第二十二条",
    "《中华人民共和国食品安全法》第三十四条第（二）项; 《刑法》第十条之一",
    "《法治政府建设实施纲要（2021－2025年）》",
];

const FIELDS: &[&str] = &[
    "市场监管",
    "生态环境",
    "交通运输",
    "自然资源",
    "城市管理",
    "公安",
    "卫生健康",
];

prop_compose! {
    fn valid_draft()(
        kind in 0..3u8,
        stem in text(12),
        options in proptest::collection::vec(text(4), 8),
        option_count in 2..=8usize,
        correct_bits in 1..=255u8,
        truth in any::<bool>(),
        professional in any::<bool>(),
        field in proptest::sample::select(FIELDS),
        difficulty in 1..=5u8,
        legal_basis in proptest::sample::select(LAWS),
        tags in proptest::collection::vec(one_line(3), 0..4),
        explanation in proptest::option::of(text(8)),
    ) -> QuestionDraft {
        let question_type = match kind { 0 => QuestionType::Single, 1 => QuestionType::Multiple, _ => QuestionType::TrueFalse };
        let mask = correct_bits & (((1u16 << option_count) - 1) as u8);
        let letters: Vec<char> = (0..option_count).filter(|i| mask & (1 << i) != 0).map(|i| (b'A' + i as u8) as char).collect();
        let answer = match question_type {
            QuestionType::Single => letters.first().copied().unwrap_or('A').to_string(),
            QuestionType::Multiple if letters.len() >= 2 => letters.iter().collect(),
            QuestionType::Multiple => "AB".to_owned(),
            QuestionType::TrueFalse => if truth { "正确" } else { "错误" }.to_owned(),
        };
        QuestionDraft {
            question_type: question_type.as_str().to_owned(),
            stem,
            options: if question_type == QuestionType::TrueFalse { vec![] } else { options.into_iter().take(option_count).collect() },
            answer,
            difficulty: difficulty.to_string(),
            exam_kind: if professional { "专业" } else { "综合" }.to_owned(),
            field: if professional { field.to_owned() } else { String::new() },
            legal_basis: legal_basis.to_owned(),
            tags: tags.join("；"),
            explanation: explanation.unwrap_or_default(),
        }
    }
}

/// Valid questions (drafts that happen to break a rule, e.g. two equal options, are dropped).
fn valid_question() -> impl Strategy<Value = Question> {
    valid_draft().prop_filter_map("draft must be valid", |d| Question::from_draft(&d).ok())
}

fn defaults() -> ImportDefaults {
    ImportDefaults::default()
}

// ---------------------------------------------------------------------------------------------
// (a) No parser panics on any input.

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn gift_and_aiken_parsers_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
        let _ = parse_gift(&bytes, &defaults());
        let _ = parse_aiken(&bytes, &defaults());
    }

    #[test]
    fn gift_and_aiken_parsers_never_panic_on_format_like_text(lines in proptest::collection::vec(text(10), 0..30)) {
        let joined = lines.join("\n");
        let _ = parse_gift(joined.as_bytes(), &defaults());
        let _ = parse_aiken(joined.as_bytes(), &defaults());
    }

    #[test]
    fn normalization_is_idempotent(stem in text(20)) {
        let once = normalize_stem(&stem);
        prop_assert_eq!(normalize_stem(&once), once);
    }
}

// ---------------------------------------------------------------------------------------------
// (b) Export → import round trips.

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn a_question_rebuilds_from_its_own_draft(q in valid_question()) {
        prop_assert_eq!(Question::from_draft(&q.to_draft()), Ok(q));
    }

    #[test]
    fn answer_keys_survive_their_storage_string(q in valid_question()) {
        let key = q.answer_key();
        let stored = key.to_storage_string();
        prop_assert_eq!(
            AnswerKey::parse_storage(q.question_type(), q.options().len(), &stored),
            Ok(*key)
        );
    }

    #[test]
    fn gift_export_reimports_to_the_same_questions(questions in proptest::collection::vec(valid_question(), 1..8)) {
        let gift = to_gift(&questions);
        let imported = parse_gift(gift.as_bytes(), &defaults());
        prop_assert!(imported.is_ok(), "{:?}\n{}", imported.err(), gift);
        let imported = imported.unwrap_or_default();
        prop_assert_eq!(imported.questions().cloned().collect::<Vec<_>>(), questions);
    }
}

// ---------------------------------------------------------------------------------------------
// (c) Invalid drafts never build a question.

/// One way to break a valid draft, and the field that must then be reported.
#[derive(Debug, Clone, Copy)]
enum Breakage {
    EmptyStem,
    StemTooLong,
    AnswerLetterWithoutOption,
    TwoAnswersForSingle,
    OneAnswerForMultiple,
    OptionsOnTrueFalse,
    UnreadableTrueFalseAnswer,
    ProfessionalWithoutField,
    GeneralWithField,
    UnknownDifficulty,
    UnknownKind,
    UnknownType,
    UnreadableLegalBasis,
    GapInOptions,
    DuplicateOptions,
    NineOptions,
    OneOption,
    ControlCharacterInStem,
}

const BREAKAGES: &[Breakage] = &[
    Breakage::EmptyStem,
    Breakage::StemTooLong,
    Breakage::AnswerLetterWithoutOption,
    Breakage::TwoAnswersForSingle,
    Breakage::OneAnswerForMultiple,
    Breakage::OptionsOnTrueFalse,
    Breakage::UnreadableTrueFalseAnswer,
    Breakage::ProfessionalWithoutField,
    Breakage::GeneralWithField,
    Breakage::UnknownDifficulty,
    Breakage::UnknownKind,
    Breakage::UnknownType,
    Breakage::UnreadableLegalBasis,
    Breakage::GapInOptions,
    Breakage::DuplicateOptions,
    Breakage::NineOptions,
    Breakage::OneOption,
    Breakage::ControlCharacterInStem,
];

fn choice_options(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("选项内容{i}")).collect()
}

fn break_draft(mut d: QuestionDraft, how: Breakage) -> (QuestionDraft, Field) {
    let field = match how {
        Breakage::EmptyStem => {
            d.stem = " \u{3000}\n".into();
            Field::Stem
        }
        Breakage::StemTooLong => {
            d.stem = "题".repeat(2001);
            Field::Stem
        }
        Breakage::AnswerLetterWithoutOption => {
            d.question_type = "单选".into();
            d.options = choice_options(3);
            d.answer = "D".into();
            Field::Answer
        }
        Breakage::TwoAnswersForSingle => {
            d.question_type = "单选".into();
            d.options = choice_options(4);
            d.answer = "AC".into();
            Field::Answer
        }
        Breakage::OneAnswerForMultiple => {
            d.question_type = "多选".into();
            d.options = choice_options(4);
            d.answer = "B".into();
            Field::Answer
        }
        Breakage::OptionsOnTrueFalse => {
            d.question_type = "判断".into();
            d.options = choice_options(2);
            d.answer = "对".into();
            Field::Option(0)
        }
        Breakage::UnreadableTrueFalseAnswer => {
            d.question_type = "判断".into();
            d.options = vec![];
            d.answer = "A".into();
            Field::Answer
        }
        Breakage::ProfessionalWithoutField => {
            d.exam_kind = "专业法律知识".into();
            d.field = "  ".into();
            Field::EnforcementField
        }
        Breakage::GeneralWithField => {
            d.exam_kind = "综合法律知识".into();
            d.field = "公安".into();
            Field::EnforcementField
        }
        Breakage::UnknownDifficulty => {
            d.difficulty = "6".into();
            Field::Difficulty
        }
        Breakage::UnknownKind => {
            d.exam_kind = "其他".into();
            Field::ExamKind
        }
        Breakage::UnknownType => {
            d.question_type = "填空题".into();
            Field::QuestionType
        }
        Breakage::UnreadableLegalBasis => {
            d.legal_basis = "《行政处罚法".into();
            Field::LegalBasis
        }
        Breakage::GapInOptions => {
            d.question_type = "单选".into();
            d.options = vec!["甲".into(), String::new(), "丙".into()];
            d.answer = "A".into();
            Field::Option(1)
        }
        Breakage::DuplicateOptions => {
            d.question_type = "单选".into();
            d.options = vec!["甲".into(), "乙".into(), "甲。".into()];
            d.answer = "A".into();
            Field::Option(2)
        }
        Breakage::NineOptions => {
            d.question_type = "单选".into();
            d.options = choice_options(9);
            d.answer = "A".into();
            Field::Option(8)
        }
        Breakage::OneOption => {
            d.question_type = "单选".into();
            d.options = choice_options(1);
            d.answer = "A".into();
            Field::Option(1)
        }
        Breakage::ControlCharacterInStem => {
            d.stem = format!("{}\u{0}", d.stem);
            Field::Stem
        }
    };
    (d, field)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn a_broken_draft_never_builds_and_names_the_broken_field(
        draft in valid_draft(),
        how in proptest::sample::select(BREAKAGES),
    ) {
        let (broken, field) = break_draft(draft, how);
        let result = Question::from_draft(&broken);
        prop_assert!(result.is_err(), "{how:?} built a question");
        let errors = result.err().unwrap_or_default();
        prop_assert!(errors.iter().any(|e| e.field == field), "{how:?}: {errors:?}");
    }

    #[test]
    fn any_draft_either_fails_or_builds_a_question_that_keeps_every_invariant(
        question_type in prop_oneof![Just("单选".to_owned()), Just("多选".to_owned()), Just("判断".to_owned()), text(2)],
        stem in text(6),
        options in proptest::collection::vec(prop_oneof![Just(String::new()), text(2)], 0..10),
        answer in prop_oneof![text(2), "[A-Ja-j,、 ]{0,6}", Just("正确".to_owned())],
        difficulty in prop_oneof!["[0-7]", text(1)],
        exam_kind in prop_oneof![Just("综合".to_owned()), Just("专业".to_owned()), text(1)],
        field in prop_oneof![Just(String::new()), Just("公安".to_owned()), text(2)],
        legal_basis in prop_oneof![proptest::sample::select(LAWS).prop_map(str::to_owned), text(3)],
    ) {
        let draft = QuestionDraft {
            question_type, stem, options, answer, difficulty, exam_kind, field, legal_basis,
            tags: String::new(), explanation: String::new(),
        };
        if let Ok(q) = Question::from_draft(&draft) {
            let n = q.options().len();
            let correct = q.answer_key().correct_options();
            match q.question_type() {
                QuestionType::Single => prop_assert!((2..=8).contains(&n) && correct.len() == 1),
                QuestionType::Multiple => prop_assert!((2..=8).contains(&n) && correct.len() >= 2),
                QuestionType::TrueFalse => prop_assert!(n == 0 && q.answer_key().as_true_false().is_some()),
            }
            prop_assert!(correct.iter().all(|&i| i < n));
            prop_assert_eq!(q.field().is_some(), q.exam_kind() == question_bank::ExamKind::Professional);
            prop_assert!(!q.stem().as_str().is_empty());
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Spreadsheet formats (feature `files`).

#[cfg(feature = "files")]
mod files {
    use super::*;
    use question_bank::{parse_csv, parse_xlsx, to_csv, to_xlsx};

    #[expect(
        clippy::unwrap_used,
        reason = "a test fixture: failing is failing the test"
    )]
    fn sample_xlsx() -> Vec<u8> {
        let q = Question::from_draft(&QuestionDraft {
            question_type: "单选".into(),
            stem: "题干".into(),
            options: vec!["甲".into(), "乙".into()],
            answer: "A".into(),
            difficulty: "3".into(),
            exam_kind: "综合".into(),
            legal_basis: "《宪法》第一条".into(),
            ..QuestionDraft::default()
        })
        .unwrap();
        to_xlsx(&[q.clone(), q]).unwrap()
    }

    /// A minimal workbook around hand-written sheet XML.
    #[expect(
        clippy::unwrap_used,
        reason = "a test fixture: failing is failing the test"
    )]
    fn xlsx_with_sheet_xml(sheet_data: &str) -> Vec<u8> {
        use std::io::{Cursor, Write};
        use zip::write::{SimpleFileOptions, ZipWriter};
        let parts = [
            ("[Content_Types].xml", r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/></Types>"#.to_owned()),
            ("_rels/.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#.to_owned()),
            ("xl/workbook.xml", r#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="题库" sheetId="1" r:id="rId1"/></sheets></workbook>"#.to_owned()),
            ("xl/_rels/workbook.xml.rels", r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#.to_owned()),
            ("xl/worksheets/sheet1.xml", format!(r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{sheet_data}</sheetData><mergeCells count="1"><mergeCell ref="A2:Q9"/></mergeCells></worksheet>"#)),
        ];
        let mut zip = ZipWriter::new(Cursor::new(Vec::new()));
        let options =
            SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        for (name, content) in parts {
            zip.start_file(name, options).unwrap();
            zip.write_all(content.as_bytes()).unwrap();
        }
        zip.finish().unwrap().into_inner()
    }

    const CELL_PIECES: &[&str] = &[
        r#"<row r="1">"#,
        "</row>",
        r#"<row r="999999">"#,
        r#"<row r="0">"#,
        r#"<row>"#,
        r#"<c r="A1" t="inlineStr"><is><t>题干</t></is></c>"#,
        r#"<c r="B1" t="inlineStr"><is><t>题型</t></is></c>"#,
        r#"<c r="C1" t="inlineStr"><is><t>答案</t></is></c>"#,
        r#"<c r="A2" t="inlineStr"><is><t>内容</t></is></c>"#,
        r#"<c r="B2" t="s"><v>99</v></c>"#,
        r#"<c r="C2" t="s"><v>-1</v></c>"#,
        r#"<c r="XFD1048576"><v>1</v></c>"#,
        r#"<c r="ZZZZ1"><v>1</v></c>"#,
        r#"<c r="A99999999999"><v>1</v></c>"#,
        r#"<c r="D2"><f>1/0</f></c>"#,
        r#"<c r="D3" t="e"><v>#DIV/0!</v></c>"#,
        r#"<c r="E2" t="b"><v>1</v></c>"#,
        r#"<c r="F2" t="n"><v>1e308</v></c>"#,
        r#"<c r="F3" t="n"><v>NaN</v></c>"#,
        r#"<c r="F4" s="9999"><v>45000</v></c>"#,
        r#"<c r="G2" t="d"><v>2024-01-01T00:00:00</v></c>"#,
        r#"<c r="H2" t="str"><v></v></c>"#,
        r#"<c><v>2</v></c>"#,
        "<c r=\"\">",
        "</c>",
        "<v>",
        "</v>",
        "&amp;",
        "&bogus;",
        "<",
        ">",
        "\u{0}",
    ];

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        #[test]
        fn csv_and_xlsx_parsers_never_panic_on_arbitrary_bytes(bytes in proptest::collection::vec(any::<u8>(), 0..2048)) {
            let _ = parse_csv(&bytes);
            let _ = parse_xlsx(&bytes);
            let mut zip_like = b"PK\x03\x04".to_vec();
            zip_like.extend(&bytes);
            let _ = parse_xlsx(&zip_like);
        }

        #[test]
        fn csv_parser_never_panics_on_template_like_text(rows in proptest::collection::vec(proptest::collection::vec(text(3), 0..20), 0..20)) {
            let mut csv = "题型,题干,选项A,选项B,选项C,答案,难度,考试类别,执法领域,法律依据,知识点,解析\n".to_owned();
            for row in rows {
                csv.push_str(&row.join(","));
                csv.push('\n');
            }
            let _ = parse_csv(csv.as_bytes());
        }

        #[test]
        fn xlsx_parser_never_panics_on_a_damaged_workbook(
            flips in proptest::collection::vec((any::<proptest::sample::Index>(), any::<u8>()), 1..8),
            cut in any::<proptest::sample::Index>(),
            truncate in any::<bool>(),
        ) {
            let mut bytes = sample_xlsx();
            for (at, value) in flips {
                let i = at.index(bytes.len());
                bytes[i] = value;
            }
            if truncate {
                let len = cut.index(bytes.len());
                bytes.truncate(len);
            }
            let _ = parse_xlsx(&bytes);
        }

        #[test]
        fn xlsx_parser_never_panics_on_strange_sheet_xml(pieces in proptest::collection::vec(proptest::sample::select(CELL_PIECES), 0..40)) {
            let _ = parse_xlsx(&xlsx_with_sheet_xml(&pieces.concat()));
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(128))]

        #[test]
        fn csv_export_reimports_to_the_same_questions(questions in proptest::collection::vec(valid_question(), 1..8)) {
            let csv = to_csv(&questions).unwrap();
            let imported = parse_csv(&csv);
            prop_assert!(imported.is_ok(), "{:?}", imported.err());
            prop_assert_eq!(imported.unwrap_or_default().questions().cloned().collect::<Vec<_>>(), questions);
        }

        #[test]
        fn xlsx_export_reimports_to_the_same_questions(questions in proptest::collection::vec(valid_question(), 1..8)) {
            let xlsx = to_xlsx(&questions).unwrap();
            let imported = parse_xlsx(&xlsx);
            prop_assert!(imported.is_ok(), "{:?}", imported.err());
            prop_assert_eq!(imported.unwrap_or_default().questions().cloned().collect::<Vec<_>>(), questions);
        }
    }
}
