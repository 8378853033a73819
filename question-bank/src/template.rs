//! The legal office's import/export template: which columns exist, what they are called, which
//! are required, and how a question fills a row.
//!
//! Columns (Chinese header, English aliases, case-insensitive, in any order):
//!
//! | header | aliases | required |
//! |---|---|---|
//! | 题型 | type, question_type | yes |
//! | 题干 | stem, question | yes |
//! | 选项A … 选项H | option_a … option_h, A … H | no (a choice row needs two) |
//! | 答案 | answer, key | yes |
//! | 难度 | difficulty | yes |
//! | 考试类别 | exam_kind, kind | yes |
//! | 执法领域 | field, enforcement_field | no (a 专业 row needs it) |
//! | 法律依据 | legal_basis, basis | yes |
//! | 知识点 | tags, tag | no |
//! | 解析 | explanation | no |
//!
//! Markers around a header are ignored: `题干*`, `*题干`, `题干(必填)`, `答案（多选连写,如ACD）`.
//! This module is shared by the CSV and XLSX readers and writers and knows no file format.

use crate::answer::{MAX_OPTIONS, option_letter};
use crate::classify::fold;
use crate::question::{Field, Question};

/// Every column, in the order the export writes them.
pub const COLUMNS: [Field; 17] = [
    Field::QuestionType,
    Field::Stem,
    Field::Option(0),
    Field::Option(1),
    Field::Option(2),
    Field::Option(3),
    Field::Option(4),
    Field::Option(5),
    Field::Option(6),
    Field::Option(7),
    Field::Answer,
    Field::Difficulty,
    Field::ExamKind,
    Field::EnforcementField,
    Field::LegalBasis,
    Field::Tags,
    Field::Explanation,
];

/// The columns a file must have.
pub const REQUIRED: [Field; 6] = [
    Field::QuestionType,
    Field::Stem,
    Field::Answer,
    Field::Difficulty,
    Field::ExamKind,
    Field::LegalBasis,
];

/// The header of `field` in the template: 题型, 选项A, … These are file syntax (what
/// [`match_header`] reads back), not wording, so they stay here rather than in the message
/// catalogue; the names shown to people are [`Field::label`].
pub fn header(field: Field) -> String {
    match field {
        Field::QuestionType => "题型".to_owned(),
        Field::Stem => "题干".to_owned(),
        Field::Option(i) => format!("选项{}", option_letter(usize::from(i))),
        Field::Answer => "答案".to_owned(),
        Field::Difficulty => "难度".to_owned(),
        Field::ExamKind => "考试类别".to_owned(),
        Field::EnforcementField => "执法领域".to_owned(),
        Field::LegalBasis => "法律依据".to_owned(),
        Field::Tags => "知识点".to_owned(),
        Field::Explanation => "解析".to_owned(),
    }
}

/// The column a header names, if any (see the module docs for the accepted spellings).
pub fn match_header(raw: &str) -> Option<Field> {
    let mut key: String = fold(raw)
        .chars()
        .filter(|c| !matches!(c, '_' | '-' | '*' | ':' | '：'))
        .collect();
    // Drop a trailing parenthesised remark: 题干(必填), 答案(多选连写).
    if key.ends_with(')')
        && let Some(open) = key.rfind('(')
        && open > 0
    {
        key.truncate(open);
    }
    let field = match key.as_str() {
        "题型" | "题目类型" | "试题类型" | "type" | "questiontype" => Field::QuestionType,
        "题干" | "题目" | "题目内容" | "试题内容" | "stem" | "question" => Field::Stem,
        "答案" | "正确答案" | "标准答案" | "answer" | "key" | "correctanswer" => {
            Field::Answer
        }
        "难度" | "难度等级" | "difficulty" => Field::Difficulty,
        "考试类别" | "考试类型" | "类别" | "examkind" | "kind" => Field::ExamKind,
        "执法领域" | "领域" | "专业领域" | "field" | "enforcementfield" => {
            Field::EnforcementField
        }
        "法律依据" | "依据" | "legalbasis" | "basis" => Field::LegalBasis,
        "知识点" | "标签" | "tags" | "tag" | "knowledgepoint" | "knowledgepoints" => {
            Field::Tags
        }
        "解析" | "答案解析" | "试题解析" | "explanation" | "analysis" => {
            Field::Explanation
        }
        other => return option_column(other),
    };
    Some(field)
}

fn option_column(key: &str) -> Option<Field> {
    let letter = key
        .strip_prefix("选项")
        .or_else(|| key.strip_prefix("option"))
        .unwrap_or(key);
    let mut chars = letter.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return None;
    };
    let index = usize::from(u8::try_from(u32::from(c)).ok()?.checked_sub(b'a')?);
    (index < MAX_OPTIONS).then(|| Field::option(index))
}

/// The cells of one exported row, in [`COLUMNS`] order.
pub fn row_values(question: &Question) -> Vec<String> {
    let draft = question.to_draft();
    COLUMNS
        .iter()
        .map(|field| match field {
            Field::QuestionType => draft.question_type.clone(),
            Field::Stem => draft.stem.clone(),
            Field::Option(i) => draft
                .options
                .get(usize::from(*i))
                .cloned()
                .unwrap_or_default(),
            Field::Answer => draft.answer.clone(),
            Field::Difficulty => draft.difficulty.clone(),
            Field::ExamKind => draft.exam_kind.clone(),
            Field::EnforcementField => draft.field.clone(),
            Field::LegalBasis => draft.legal_basis.clone(),
            Field::Tags => draft.tags.clone(),
            Field::Explanation => draft.explanation.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_headers_and_english_aliases_name_the_same_columns() {
        assert_eq!(match_header("题型"), Some(Field::QuestionType));
        assert_eq!(match_header("TYPE"), Some(Field::QuestionType));
        assert_eq!(match_header("Question_Type"), Some(Field::QuestionType));
        assert_eq!(match_header("stem"), Some(Field::Stem));
        assert_eq!(match_header("选项A"), Some(Field::option(0)));
        assert_eq!(match_header("选项ｈ"), Some(Field::option(7)));
        assert_eq!(match_header("option_c"), Some(Field::option(2)));
        assert_eq!(match_header("Option D"), Some(Field::option(3)));
        assert_eq!(match_header("B"), Some(Field::option(1)));
        assert_eq!(match_header("exam_kind"), Some(Field::ExamKind));
        assert_eq!(match_header("field"), Some(Field::EnforcementField));
        assert_eq!(match_header("legal_basis"), Some(Field::LegalBasis));
        assert_eq!(match_header("Tags"), Some(Field::Tags));
        assert_eq!(match_header("解析"), Some(Field::Explanation));
    }

    #[test]
    fn header_markers_are_ignored() {
        assert_eq!(match_header("题干*"), Some(Field::Stem));
        assert_eq!(match_header("*答案"), Some(Field::Answer));
        assert_eq!(match_header("题干（必填）"), Some(Field::Stem));
        assert_eq!(match_header(" 难度 (1-5) "), Some(Field::Difficulty));
    }

    #[test]
    fn unknown_headers_and_options_past_h_match_nothing() {
        assert_eq!(match_header("序号"), None);
        assert_eq!(match_header("选项I"), None);
        assert_eq!(match_header("I"), None);
        assert_eq!(match_header(""), None);
        assert_eq!(match_header("(必填)"), None);
    }

    #[test]
    fn export_has_seventeen_columns_headed_in_chinese() {
        let headers: Vec<String> = COLUMNS.iter().map(|f| header(*f)).collect();
        assert_eq!(headers.len(), 17);
        assert_eq!(headers[0], "题型");
        assert_eq!(headers[9], "选项H");
        assert_eq!(headers[16], "解析");
    }
}
