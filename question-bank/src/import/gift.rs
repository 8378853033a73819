//! Moodle GIFT import, and the GIFT text helpers the exporter shares.
//!
//! Supported: multiple choice `{=right ~wrong}` (单选题), multiple answers with weights
//! `{~%50%A ~%50%B ~%-100%C}` (多选题: every positive weight is a correct option), true/false
//! `{T}` `{F}` `{TRUE}` `{FALSE}` (判断题), `::title::` (ignored), `//` comment lines,
//! `$CATEGORY:` lines, escapes `\: \~ \= \# \{ \} \\ \n`, per-answer `#feedback` (dropped),
//! `####general feedback` (→ 解析), `[html]`/`[moodle]`/`[plain]`/`[markdown]` markers, and the
//! missing-word form `text {…} text` (the gap becomes `____`). Short answer, numerical, matching
//! and essay questions (and questions with several answer blocks) are refused with a clear
//! reason — or, with [`GiftOptions::skip_unsupported`], left out and listed by name and line
//! in [`ImportedFile::unsupported`], so a Moodle export imports without editing it.
//!
//! Our metadata travels in a comment line right before a question (Moodle ignores it):
//!
//! ```text
//! // meta: {"exam_kind":"专业法律知识","field":"市场监管","difficulty":3,"legal_basis":"《中华人民共和国行政处罚法》第三十六条","tags":["听证"]}
//! ::Q1::下列……{
//!     =正确选项
//!     ~错误选项
//!     ####解析
//! }
//! ```
//!
//! Each meta key is optional; what is missing comes from [`ImportDefaults`], and without a
//! `tags` key the last segment of the current `$CATEGORY:` becomes the tag when it is a valid one.

use serde::{Deserialize, Serialize};
use thiserror::Error;

use super::{
    FileError, ImportDefaults, ImportLimits, ImportReport, ImportedFile, ImportedRow, RowError,
    RowErrorReason, build_text_question, check_size, finish,
};
use crate::answer::option_letter;
use crate::classify::{ExamKind, QuestionType};
use crate::lang::{Lang, Localized, key, render, text};
use crate::question::{Field, QuestionDraft};
use crate::text::Tag;

/// A GIFT syntax problem in one question.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
#[error("{}", self.message(Lang::En))]
pub enum GiftProblem {
    /// No `{…}` answer block.
    NoAnswerBlock,
    /// `{` without `}`.
    UnclosedAnswerBlock,
    /// `::title` without the closing `::`.
    UnclosedTitle,
    /// A question type the bank does not hold.
    UnsupportedType {
        /// What kind of question it is.
        kind: UnsupportedKind,
    },
    /// No answer marked correct.
    NoCorrectAnswer,
    /// A `// meta:` line that is not a JSON object.
    BadMeta {
        /// The JSON error.
        detail: String,
    },
}

impl Localized for GiftProblem {
    fn message(&self, lang: Lang) -> String {
        match self {
            Self::NoAnswerBlock => render(lang, key::GIFT_NO_ANSWER_BLOCK, &[]),
            Self::UnclosedAnswerBlock => render(lang, key::GIFT_UNCLOSED_ANSWER_BLOCK, &[]),
            Self::UnclosedTitle => render(lang, key::GIFT_UNCLOSED_TITLE, &[]),
            Self::UnsupportedType { kind } => render(
                lang,
                key::GIFT_UNSUPPORTED_TYPE,
                &[("kind", &kind.message(lang))],
            ),
            Self::NoCorrectAnswer => render(lang, key::GIFT_NO_CORRECT_ANSWER, &[]),
            Self::BadMeta { detail } => render(lang, key::GIFT_BAD_META, &[("detail", detail)]),
        }
    }
}

/// GIFT question kinds the bank does not hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum UnsupportedKind {
    /// 论述题 — `{}`: an answer written freely.
    Essay,
    /// 匹配题 — `{=a -> b =c -> d}`.
    Matching,
    /// 数值题 — `{#3:1}`.
    Numerical,
    /// 简答题 — `{=answer =other answer}`.
    ShortAnswer,
    /// Several `{…}` blocks in one question (a multi-gap cloze).
    SeveralAnswerBlocks,
}

impl UnsupportedKind {
    /// The kind in Chinese, e.g. 论述题.
    pub fn label_zh(self) -> &'static str {
        self.label(Lang::Zh)
    }

    /// The kind in English, e.g. essay.
    pub fn label_en(self) -> &'static str {
        self.label(Lang::En)
    }

    fn label(self, lang: Lang) -> &'static str {
        let key = match self {
            Self::Essay => key::GIFT_KIND_ESSAY,
            Self::Matching => key::GIFT_KIND_MATCHING,
            Self::Numerical => key::GIFT_KIND_NUMERICAL,
            Self::ShortAnswer => key::GIFT_KIND_SHORT_ANSWER,
            Self::SeveralAnswerBlocks => key::GIFT_KIND_SEVERAL_ANSWER_BLOCKS,
        };
        text(lang, key)
    }
}

impl Localized for UnsupportedKind {
    fn message(&self, lang: Lang) -> String {
        self.label(lang).to_owned()
    }
}

/// A question of the file that the bank cannot hold, left out of the import.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnsupportedQuestion {
    /// The line the question starts on.
    pub line: u32,
    /// Its GIFT name (`::Q8::` → `Q8`); `None` for an unnamed question.
    pub name: Option<String>,
    /// What kind of question it is.
    pub kind: UnsupportedKind,
}

/// How [`parse_gift_with`] reads a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct GiftOptions {
    /// Leave questions of kinds the bank does not hold out of the import and list them in
    /// [`ImportedFile::unsupported`], instead of refusing the file. A file holding nothing but
    /// such questions is still refused.
    pub skip_unsupported: bool,
}

/// Reads a GIFT file (UTF-8, BOM allowed). Metadata GIFT cannot carry comes from `defaults`.
///
/// # Errors
/// An [`ImportReport`] listing every question that cannot be imported, by the line it starts
/// on, or a file error (empty, not UTF-8, too large, no questions).
pub fn parse_gift(bytes: &[u8], defaults: &ImportDefaults) -> Result<ImportedFile, ImportReport> {
    parse_gift_with(bytes, defaults, &GiftOptions::default())
}

/// Reads a GIFT file as [`parse_gift`] does, but as `options` say.
///
/// # Errors
/// As [`parse_gift`]; with [`GiftOptions::skip_unsupported`], questions the bank cannot hold
/// are errors only when the file holds nothing else.
pub fn parse_gift_with(
    bytes: &[u8],
    defaults: &ImportDefaults,
    options: &GiftOptions,
) -> Result<ImportedFile, ImportReport> {
    let limits = ImportLimits::DEFAULT;
    let text = decode_text(bytes, &limits)?;
    let blocks = split_blocks(text);
    if blocks.len() > limits.max_rows {
        return Err(ImportReport::file(FileError::TooManyRows {
            limit: limits.max_rows,
        }));
    }
    let mut rows = Vec::with_capacity(blocks.len());
    let mut errors = Vec::new();
    let mut unsupported = Vec::new();
    for block in blocks {
        let problem = |reason: GiftProblem| RowError {
            row: block.line,
            column: None,
            reason: RowErrorReason::Gift(reason),
        };
        let meta = match block.meta.as_deref().map(parse_meta).transpose() {
            Ok(meta) => meta.unwrap_or_default(),
            Err(e) => {
                errors.push(problem(e));
                continue;
            }
        };
        let parsed = match parse_question(&block.text) {
            Ok(parsed) => parsed,
            Err(GiftProblem::UnsupportedType { kind }) if options.skip_unsupported => {
                unsupported.push(UnsupportedQuestion {
                    line: block.line,
                    name: gift_name(&block.text),
                    kind,
                });
                continue;
            }
            Err(e) => {
                errors.push(problem(e));
                continue;
            }
        };
        let (draft, from_defaults) = to_draft(parsed, meta, block.category.as_deref(), defaults);
        if let Some(question) =
            build_text_question(&draft, block.line, "GIFT", &from_defaults, &mut errors)
        {
            rows.push(ImportedRow {
                row: block.line,
                question,
            });
        }
    }
    if rows.is_empty() && errors.is_empty() {
        // Nothing would be imported: the skipped questions are the file's problems.
        errors = unsupported
            .iter()
            .map(|q| RowError {
                row: q.line,
                column: None,
                reason: RowErrorReason::Gift(GiftProblem::UnsupportedType { kind: q.kind }),
            })
            .collect();
    }
    let mut file = finish(rows, errors)?;
    file.unsupported = unsupported;
    Ok(file)
}

/// The GIFT name of a question (`::Q8:: …` → `Q8`), unescaped; `None` without one.
fn gift_name(block: &str) -> Option<String> {
    let chars: Vec<char> = block.trim().chars().collect();
    if !chars.starts_with(&[':', ':']) {
        return None;
    }
    let close = find_unescaped(&chars, 2, &[':', ':'])?;
    let name = unescape(&collect(&chars, 2, close));
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

/// Checks size and decodes UTF-8 (BOM stripped) for the text formats.
pub(crate) fn decode_text<'a>(
    bytes: &'a [u8],
    limits: &ImportLimits,
) -> Result<&'a str, ImportReport> {
    check_size(bytes, limits)?;
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return Err(ImportReport::file(FileError::Utf16));
    }
    let bytes = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]).unwrap_or(bytes);
    let text = std::str::from_utf8(bytes).map_err(|e| {
        let valid = bytes.get(..e.valid_up_to()).unwrap_or(&[]);
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        ImportReport::file(FileError::NotUtf8 {
            line: u64::try_from(line).unwrap_or(u64::MAX),
        })
    })?;
    if text.trim().is_empty() {
        return Err(ImportReport::file(FileError::Empty));
    }
    Ok(text)
}

struct Block {
    line: u32,
    text: String,
    meta: Option<String>,
    category: Option<String>,
}

/// Splits the file into question blocks (separated by blank lines), collecting `// meta:`
/// comments and `$CATEGORY:` lines on the way.
fn split_blocks(text: &str) -> Vec<Block> {
    let mut blocks = Vec::new();
    let mut current: Option<Block> = None;
    let mut pending_meta: Option<String> = None;
    let mut category: Option<String> = None;
    for (i, line) in text.lines().enumerate() {
        let line_no = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let trimmed = line.trim();
        if trimmed.is_empty() {
            blocks.extend(current.take());
            continue;
        }
        if let Some(comment) = trimmed.strip_prefix("//") {
            if current.is_none()
                && let Some(meta) = comment.trim_start().strip_prefix("meta:")
            {
                pending_meta = Some(meta.trim().to_owned());
            }
            continue;
        }
        match current.as_mut() {
            Some(block) => {
                block.text.push('\n');
                block.text.push_str(line);
            }
            None => {
                if let Some(path) = trimmed.strip_prefix("$CATEGORY:") {
                    category = Some(path.trim().to_owned());
                    continue;
                }
                current = Some(Block {
                    line: line_no,
                    text: line.to_owned(),
                    meta: pending_meta.take(),
                    category: category.clone(),
                });
            }
        }
    }
    blocks.extend(current);
    blocks
}

/// Our metadata, from a `// meta:` line.
#[derive(Debug, Default)]
struct Meta {
    exam_kind: Option<String>,
    field: Option<String>,
    difficulty: Option<String>,
    legal_basis: Option<String>,
    tags: Option<String>,
}

fn parse_meta(json: &str) -> Result<Meta, GiftProblem> {
    let value: serde_json::Value =
        serde_json::from_str(json).map_err(|e| GiftProblem::BadMeta {
            detail: e.to_string(),
        })?;
    let serde_json::Value::Object(map) = value else {
        return Err(GiftProblem::BadMeta {
            detail: "not a JSON object".to_owned(),
        });
    };
    let text = |key: &str| -> Option<String> {
        match map.get(key)? {
            serde_json::Value::String(s) => Some(s.clone()),
            serde_json::Value::Number(n) => Some(n.to_string()),
            serde_json::Value::Array(items) => Some(
                items
                    .iter()
                    .map(|v| v.as_str().map_or_else(|| v.to_string(), str::to_owned))
                    .collect::<Vec<_>>()
                    .join("；"),
            ),
            serde_json::Value::Null => None,
            other => Some(other.to_string()),
        }
    };
    Ok(Meta {
        exam_kind: text("exam_kind"),
        field: text("field"),
        difficulty: text("difficulty"),
        legal_basis: text("legal_basis"),
        tags: text("tags"),
    })
}

/// The written form of our metadata, for the exporter.
#[derive(Serialize)]
pub(crate) struct MetaOut<'a> {
    pub(crate) exam_kind: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) field: Option<&'a str>,
    pub(crate) difficulty: u8,
    pub(crate) legal_basis: &'a str,
    pub(crate) tags: Vec<&'a str>,
}

#[derive(Debug, PartialEq)]
enum Answers {
    TrueFalse(bool),
    Choices(Vec<(String, bool)>),
}

#[derive(Debug, PartialEq)]
struct Parsed {
    stem: String,
    answers: Answers,
    feedback: Option<String>,
}

/// Index of the first unescaped occurrence of `pattern` in `chars[from..]`.
fn find_unescaped(chars: &[char], from: usize, pattern: &[char]) -> Option<usize> {
    let mut i = from;
    while i < chars.len() {
        if chars.get(i) == Some(&'\\') {
            i += 2;
            continue;
        }
        if chars.get(i..i + pattern.len()) == Some(pattern) {
            return Some(i);
        }
        i += 1;
    }
    None
}

fn collect(chars: &[char], from: usize, to: usize) -> String {
    chars
        .get(from..to.min(chars.len()))
        .unwrap_or(&[])
        .iter()
        .collect()
}

fn parse_question(block: &str) -> Result<Parsed, GiftProblem> {
    let chars: Vec<char> = block.trim().chars().collect();
    let mut start = 0;
    if chars.starts_with(&[':', ':']) {
        let close = find_unescaped(&chars, 2, &[':', ':']).ok_or(GiftProblem::UnclosedTitle)?;
        start = close + 2;
    }
    let open = find_unescaped(&chars, start, &['{']).ok_or(GiftProblem::NoAnswerBlock)?;
    let close = find_unescaped(&chars, open + 1, &['}']).ok_or(GiftProblem::UnclosedAnswerBlock)?;
    let before = collect(&chars, start, open);
    let after = collect(&chars, close + 1, chars.len());
    if find_unescaped(&after.chars().collect::<Vec<_>>(), 0, &['{']).is_some() {
        return Err(GiftProblem::UnsupportedType {
            kind: UnsupportedKind::SeveralAnswerBlocks,
        });
    }
    let stem_raw = if after.trim().is_empty() {
        before
    } else {
        format!("{}____{}", before.trim_end(), after.trim_start())
    };
    // A format marker on the question text sets the format of its answers too.
    let html = stem_raw
        .trim_start()
        .chars()
        .take(6)
        .collect::<String>()
        .eq_ignore_ascii_case("[html]");
    let text_of = |raw: &str| {
        let text = plain_text(raw);
        if html {
            strip_html(&text).trim().to_owned()
        } else {
            text
        }
    };
    let stem = plain_text(&stem_raw);

    let body: Vec<char> = chars.get(open + 1..close).unwrap_or(&[]).to_vec();
    let (answers_part, feedback) = match find_unescaped(&body, 0, &['#', '#', '#', '#']) {
        Some(at) => (
            body.get(..at).unwrap_or(&[]).to_vec(),
            Some(text_of(&collect(&body, at + 4, body.len()))),
        ),
        None => (body, None),
    };
    let answers_text: String = answers_part.iter().collect();
    let trimmed = answers_text.trim();
    if trimmed.is_empty() {
        return Err(GiftProblem::UnsupportedType {
            kind: UnsupportedKind::Essay,
        });
    }
    if trimmed.starts_with('#') {
        return Err(GiftProblem::UnsupportedType {
            kind: UnsupportedKind::Numerical,
        });
    }
    // True/false: the first token, before any feedback.
    let first: String = {
        let t: Vec<char> = trimmed.chars().collect();
        let end = find_unescaped(&t, 0, &['#']).unwrap_or(t.len());
        collect(&t, 0, end).trim().to_uppercase()
    };
    match first.as_str() {
        "T" | "TRUE" => {
            return Ok(Parsed {
                stem,
                answers: Answers::TrueFalse(true),
                feedback,
            });
        }
        "F" | "FALSE" => {
            return Ok(Parsed {
                stem,
                answers: Answers::TrueFalse(false),
                feedback,
            });
        }
        _ => {}
    }
    let choices = split_choices(&answers_part)?
        .into_iter()
        .map(|(text, correct)| (text_of(&text), correct))
        .collect();
    Ok(Parsed {
        stem,
        answers: Answers::Choices(choices),
        feedback,
    })
}

fn split_choices(body: &[char]) -> Result<Vec<(String, bool)>, GiftProblem> {
    // Split at unescaped = and ~.
    let mut pieces: Vec<(char, Vec<char>)> = Vec::new();
    let mut lead = Vec::new();
    let mut i = 0;
    while let Some(&c) = body.get(i) {
        if c == '\\' {
            let target = pieces.last_mut().map_or(&mut lead, |(_, p)| p);
            target.push(c);
            if let Some(&next) = body.get(i + 1) {
                target.push(next);
            }
            i += 2;
            continue;
        }
        if c == '=' || c == '~' {
            pieces.push((c, Vec::new()));
        } else {
            pieces.last_mut().map_or(&mut lead, |(_, p)| p).push(c);
        }
        i += 1;
    }
    if !lead.iter().collect::<String>().trim().is_empty() || pieces.is_empty() {
        return Err(GiftProblem::UnsupportedType {
            kind: UnsupportedKind::ShortAnswer,
        });
    }
    // Only `=` answers: short answer, or matching when they pair items with `->`.
    if pieces.iter().all(|(marker, _)| *marker == '=') {
        let matching = pieces
            .iter()
            .any(|(_, p)| find_unescaped(p, 0, &['-', '>']).is_some());
        return Err(GiftProblem::UnsupportedType {
            kind: if matching {
                UnsupportedKind::Matching
            } else {
                UnsupportedKind::ShortAnswer
            },
        });
    }
    let mut choices = Vec::with_capacity(pieces.len());
    for (marker, piece) in pieces {
        let text: String = piece.iter().collect();
        let text = text.trim_start();
        // Optional weight: %50%.
        let (weight, rest) = match text
            .strip_prefix('%')
            .and_then(|t| t.split_once('%'))
            .and_then(|(w, rest)| Some((w.trim().parse::<f64>().ok()?, rest)))
        {
            Some((w, rest)) => (Some(w), rest),
            None => (None, text),
        };
        let rest: Vec<char> = rest.chars().collect();
        let end = find_unescaped(&rest, 0, &['#']).unwrap_or(rest.len());
        let option = collect(&rest, 0, end);
        let correct = match (marker, weight) {
            (_, Some(w)) => w > 0.0,
            ('=', None) => true,
            _ => false,
        };
        choices.push((option, correct));
    }
    if !choices.iter().any(|(_, correct)| *correct) {
        return Err(GiftProblem::NoCorrectAnswer);
    }
    Ok(choices)
}

/// Strips a format marker, HTML (for `[html]`), and GIFT escapes.
fn plain_text(raw: &str) -> String {
    let trimmed = raw.trim();
    let lower = trimmed
        .chars()
        .take(10)
        .collect::<String>()
        .to_ascii_lowercase();
    let (is_html, body) = if lower.starts_with("[html]") {
        (true, trimmed.get(6..).unwrap_or(""))
    } else if lower.starts_with("[moodle]") {
        (false, trimmed.get(8..).unwrap_or(""))
    } else if lower.starts_with("[plain]") {
        (false, trimmed.get(7..).unwrap_or(""))
    } else if lower.starts_with("[markdown]") {
        (false, trimmed.get(10..).unwrap_or(""))
    } else {
        (false, trimmed)
    };
    let text = unescape(body);
    let text = if is_html { strip_html(&text) } else { text };
    text.trim().to_owned()
}

/// Undoes GIFT escapes: `\\ \~ \= \# \{ \} \:` and `\n`.
pub(crate) fn unescape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(e @ ('\\' | '~' | '=' | '#' | '{' | '}' | ':')) => out.push(e),
            Some(other) => {
                out.push('\\');
                out.push(other);
            }
            None => out.push('\\'),
        }
    }
    out
}

/// Text as written in an exported GIFT file: escaped, and led by `[plain]` when it would
/// otherwise start with a format marker.
pub(crate) fn gift_text(text: &str) -> String {
    let lower = text
        .chars()
        .take(10)
        .collect::<String>()
        .to_ascii_lowercase();
    let marker = ["[html]", "[moodle]", "[plain]", "[markdown]"]
        .iter()
        .any(|m| lower.starts_with(m));
    if marker {
        format!("[plain]{}", escape(text))
    } else {
        escape(text)
    }
}

/// Escapes text for GIFT: the special characters get a backslash, newlines become `\n`.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        match c {
            '\\' | '~' | '=' | '#' | '{' | '}' | ':' => {
                out.push('\\');
                out.push(c);
            }
            '\n' => out.push_str("\\n"),
            _ => out.push(c),
        }
    }
    out
}

fn strip_html(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(open) = rest.find('<') {
        out.push_str(rest.get(..open).unwrap_or(""));
        let after = rest.get(open..).unwrap_or("");
        let Some(close) = after.find('>') else {
            out.push_str(after);
            rest = "";
            break;
        };
        let tag = after
            .get(1..close)
            .unwrap_or("")
            .trim()
            .to_ascii_lowercase();
        if tag.starts_with("br") || tag == "/p" || tag == "/div" {
            out.push('\n');
        }
        rest = after.get(close + 1..).unwrap_or("");
    }
    out.push_str(rest);
    out.replace("&nbsp;", " ")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

fn to_draft(
    parsed: Parsed,
    meta: Meta,
    category: Option<&str>,
    defaults: &ImportDefaults,
) -> (QuestionDraft, Vec<Field>) {
    let mut from_defaults = Vec::new();
    let (question_type, options, answer) = match parsed.answers {
        Answers::TrueFalse(b) => (
            QuestionType::TrueFalse,
            Vec::new(),
            if b { "T" } else { "F" }.to_owned(),
        ),
        Answers::Choices(choices) => {
            let answer: String = choices
                .iter()
                .enumerate()
                .filter(|(_, (_, correct))| *correct)
                .map(|(i, _)| option_letter(i))
                .collect();
            let t = if answer.chars().count() == 1 {
                QuestionType::Single
            } else {
                QuestionType::Multiple
            };
            (
                t,
                choices.into_iter().map(|(text, _)| text).collect(),
                answer,
            )
        }
    };
    let exam_kind = meta.exam_kind.unwrap_or_else(|| {
        from_defaults.push(Field::ExamKind);
        defaults.scope.exam_kind().keyword().to_owned()
    });
    let field = meta.field.unwrap_or_else(|| {
        if ExamKind::parse(&exam_kind) == Some(ExamKind::Professional) {
            from_defaults.push(Field::EnforcementField);
            defaults
                .scope
                .field()
                .map(|f| f.as_str().to_owned())
                .unwrap_or_default()
        } else {
            String::new()
        }
    });
    let difficulty = meta.difficulty.unwrap_or_else(|| {
        from_defaults.push(Field::Difficulty);
        defaults.difficulty.to_string()
    });
    let legal_basis = meta.legal_basis.unwrap_or_else(|| {
        from_defaults.push(Field::LegalBasis);
        defaults
            .legal_basis
            .as_ref()
            .map(|b| b.as_str().to_owned())
            .unwrap_or_default()
    });
    let tags = meta.tags.unwrap_or_else(|| {
        category
            .and_then(|path| path.rsplit('/').next())
            .filter(|leaf| !leaf.starts_with('$') && Tag::parse(leaf).is_ok())
            .map(|leaf| leaf.trim().to_owned())
            .unwrap_or_default()
    });
    (
        QuestionDraft {
            question_type: question_type.as_str().to_owned(),
            stem: parsed.stem,
            options,
            answer,
            difficulty,
            exam_kind,
            field,
            legal_basis,
            tags,
            explanation: parsed.feedback.unwrap_or_default(),
        },
        from_defaults,
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::classify::{Difficulty, ExamScope};
    use crate::legal_basis::LegalBasis;
    use crate::question::FieldErrorReason;
    use crate::text::EnforcementField;

    fn defaults() -> ImportDefaults {
        ImportDefaults {
            scope: ExamScope::General,
            difficulty: Difficulty::MEDIUM,
            legal_basis: Some(LegalBasis::parse("《中华人民共和国行政处罚法》").unwrap()),
        }
    }

    fn one(text: &str) -> crate::Question {
        let imported = parse_gift(text.as_bytes(), &defaults()).unwrap();
        assert_eq!(imported.rows.len(), 1);
        imported.rows.into_iter().next().unwrap().question
    }

    fn problem(text: &str) -> RowErrorReason {
        parse_gift(text.as_bytes(), &defaults())
            .unwrap_err()
            .row_errors
            .remove(0)
            .reason
    }

    #[test]
    fn multiple_choice_with_one_right_answer_is_a_single_choice_question() {
        let q = one("::Q1:: 行政处罚的种类不包括 {=记过 ~警告 ~罚款 ~拘留}");
        assert_eq!(q.question_type(), QuestionType::Single);
        assert_eq!(q.stem().as_str(), "行政处罚的种类不包括");
        assert_eq!(q.options().len(), 4);
        assert_eq!(q.answer_key().correct_options(), vec![0]);
        assert_eq!(q.difficulty(), Difficulty::MEDIUM);
        assert_eq!(q.legal_basis().law_name(), "中华人民共和国行政处罚法");
    }

    #[test]
    fn weighted_answers_make_a_multiple_choice_question() {
        let q = one(
            "下列属于行政处罚的有{\n ~%50%警告\n ~%50%罚款\n ~%-100%记过#不是处罚\n ####处罚法第九条\n}",
        );
        assert_eq!(q.question_type(), QuestionType::Multiple);
        assert_eq!(q.answer_key().correct_options(), vec![0, 1]);
        assert_eq!(q.options()[2].as_str(), "记过");
        assert_eq!(q.explanation().unwrap().as_str(), "处罚法第九条");
    }

    #[test]
    fn true_false_in_all_spellings() {
        for (body, expected) in [
            ("{T}", true),
            ("{TRUE}", true),
            ("{F}", false),
            ("{false}", false),
        ] {
            let q = one(&format!("行政复议期间不停止执行。{body}"));
            assert_eq!(q.answer_key().as_true_false(), Some(expected), "{body}");
        }
        let q = one("陈述申辩{T#对####依法享有}");
        assert_eq!(q.explanation().unwrap().as_str(), "依法享有");
    }

    #[test]
    fn comments_categories_escapes_and_blank_lines_are_handled() {
        let text = "// 注释\n$CATEGORY: $course$/综合/听证程序\n\n::标题\\:一::当事人\\{应当\\}在\\~3\\=日内提出\\#号\\\\{=是 ~否}\n\n// 另一题\n第二题{=甲 ~乙}\n";
        let imported = parse_gift(text.as_bytes(), &defaults()).unwrap();
        assert_eq!(imported.rows.len(), 2);
        let q = &imported.rows[0].question;
        assert_eq!(q.stem().as_str(), "当事人{应当}在~3=日内提出#号\\");
        assert_eq!(q.tags()[0].as_str(), "听证程序");
        assert_eq!(imported.rows[0].row, 4);
        assert_eq!(imported.rows[1].row, 7);
    }

    #[test]
    fn a_meta_line_supplies_our_metadata() {
        let text = "// meta: {\"exam_kind\":\"专业法律知识\",\"field\":\"市场监管\",\"difficulty\":4,\"legal_basis\":\"《中华人民共和国食品安全法》第三十四条\",\"tags\":[\"食品\",\"禁止\"]}\n题{=甲 ~乙}";
        let q = one(text);
        assert_eq!(
            q.scope(),
            &ExamScope::Professional(EnforcementField::parse("市场监管").unwrap())
        );
        assert_eq!(q.difficulty().get(), 4);
        assert_eq!(q.tags().len(), 2);
        assert!(q.legal_basis().cites("食品安全法"));
    }

    #[test]
    fn missing_legal_basis_without_default_is_reported_with_the_fix() {
        let no_basis = ImportDefaults {
            legal_basis: None,
            ..defaults()
        };
        let report = parse_gift("题{=甲 ~乙}".as_bytes(), &no_basis).unwrap_err();
        let e = &report.row_errors[0];
        assert_eq!(
            e.reason,
            RowErrorReason::MissingInFormat {
                field: Field::LegalBasis,
                format: "GIFT".into()
            }
        );
        assert!(e.message(Lang::Zh).contains("// meta:"));
    }

    #[test]
    fn a_professional_default_supplies_the_field() {
        let professional = ImportDefaults {
            scope: ExamScope::Professional(EnforcementField::parse("交通运输").unwrap()),
            ..defaults()
        };
        let imported = parse_gift("题{=甲 ~乙}".as_bytes(), &professional).unwrap();
        assert_eq!(
            imported.rows[0]
                .question
                .field()
                .map(EnforcementField::as_str),
            Some("交通运输")
        );
        let report = parse_gift(
            "// meta: {\"exam_kind\":\"专业\"}\n题{=甲 ~乙}".as_bytes(),
            &defaults(),
        )
        .unwrap_err();
        assert_eq!(
            report.row_errors[0].reason,
            RowErrorReason::Field {
                field: Field::EnforcementField,
                reason: FieldErrorReason::FieldRequiredForProfessional
            }
        );
    }

    #[test]
    fn unsupported_question_types_are_refused_by_kind() {
        for (text, kind) in [
            ("简答{=答案}", UnsupportedKind::ShortAnswer),
            ("简答{=甲 =乙}", UnsupportedKind::ShortAnswer),
            ("数值{#3:1}", UnsupportedKind::Numerical),
            ("数值{#\n=%100%3:0\n}", UnsupportedKind::Numerical),
            ("论述{}", UnsupportedKind::Essay),
            ("论述{####参考要点}", UnsupportedKind::Essay),
            ("匹配{=a -> b =c -> d}", UnsupportedKind::Matching),
            (
                "缺词 {=甲 ~乙} 中间 {=丙 ~丁}",
                UnsupportedKind::SeveralAnswerBlocks,
            ),
        ] {
            assert_eq!(
                problem(text),
                RowErrorReason::Gift(GiftProblem::UnsupportedType { kind }),
                "{text}"
            );
        }
        let e = GiftProblem::UnsupportedType {
            kind: UnsupportedKind::Matching,
        };
        assert_eq!(
            e.message(Lang::Zh),
            "不支持 GIFT 的匹配题:题库只收单选题、多选题和判断题"
        );
        assert!(e.message(Lang::En).starts_with("GIFT matching questions"));
    }

    /// Two supported questions among one of each unsupported kind, named or not.
    const MIXED: &str = "// meta: {\"difficulty\":2}\n::Q1::单选题{=甲 ~乙}\n\n\
        ::Q8::论述听证程序的意义。{}\n\n\
        ::Q9 匹配::将处罚与依据匹配{\n=警告 -> 第九条\n=罚款 -> 第九条\n}\n\n\
        数值:罚款上限为多少万元?{#3:1}\n\n\
        ::\\:简答\\:::简答题{=听证 =陈述申辩}\n\n\
        ::Q2::判断题{T}\n";

    #[test]
    fn unsupported_questions_are_errors_unless_skipped() {
        let report = parse_gift(MIXED.as_bytes(), &defaults()).unwrap_err();
        let rows: Vec<u32> = report.row_errors.iter().map(|e| e.row).collect();
        assert_eq!(rows, [4, 6, 11, 13]);

        let skip = GiftOptions {
            skip_unsupported: true,
        };
        let file = parse_gift_with(MIXED.as_bytes(), &defaults(), &skip).unwrap();
        assert_eq!(file.rows.iter().map(|r| r.row).collect::<Vec<_>>(), [2, 15]);
        assert_eq!(file.rows[0].question.difficulty().get(), 2);
        let unsupported: Vec<(u32, Option<&str>, UnsupportedKind)> = file
            .unsupported
            .iter()
            .map(|q| (q.line, q.name.as_deref(), q.kind))
            .collect();
        assert_eq!(
            unsupported,
            [
                (4, Some("Q8"), UnsupportedKind::Essay),
                (6, Some("Q9 匹配"), UnsupportedKind::Matching),
                (11, None, UnsupportedKind::Numerical),
                (13, Some(":简答:"), UnsupportedKind::ShortAnswer),
            ]
        );
    }

    #[test]
    fn skipping_never_hides_other_problems_or_imports_an_empty_file() {
        let skip = GiftOptions {
            skip_unsupported: true,
        };
        let report =
            parse_gift_with("论述{}\n\n题{~甲 ~乙}".as_bytes(), &defaults(), &skip).unwrap_err();
        assert_eq!(
            report.row_errors.iter().map(|e| e.row).collect::<Vec<_>>(),
            [3]
        );
        let report =
            parse_gift_with("::Q8::论述{}\n\n数值{#3}".as_bytes(), &defaults(), &skip).unwrap_err();
        assert_eq!(
            report
                .row_errors
                .iter()
                .map(|e| (e.row, e.reason.clone()))
                .collect::<Vec<_>>(),
            [
                (
                    1,
                    RowErrorReason::Gift(GiftProblem::UnsupportedType {
                        kind: UnsupportedKind::Essay
                    })
                ),
                (
                    3,
                    RowErrorReason::Gift(GiftProblem::UnsupportedType {
                        kind: UnsupportedKind::Numerical
                    })
                ),
            ]
        );
        let file = parse_gift("题{=甲 ~乙}".as_bytes(), &defaults()).unwrap();
        assert!(file.unsupported.is_empty());
    }

    #[test]
    fn syntax_problems_are_reported_per_question_with_line_numbers() {
        let text = "无答案的描述\n\n题{=甲 ~乙\n\n::未闭合标题 题{=a ~b}\n\n题{~甲 ~乙}\n\n// meta: {bad\n题{=甲 ~乙}";
        let report = parse_gift(text.as_bytes(), &defaults()).unwrap_err();
        let got: Vec<(u32, RowErrorReason)> = report
            .row_errors
            .into_iter()
            .map(|e| (e.row, e.reason))
            .collect();
        assert_eq!(got.len(), 5);
        assert_eq!(
            got[0],
            (1, RowErrorReason::Gift(GiftProblem::NoAnswerBlock))
        );
        assert_eq!(
            got[1],
            (3, RowErrorReason::Gift(GiftProblem::UnclosedAnswerBlock))
        );
        assert_eq!(
            got[2],
            (5, RowErrorReason::Gift(GiftProblem::UnclosedTitle))
        );
        assert_eq!(
            got[3],
            (7, RowErrorReason::Gift(GiftProblem::NoCorrectAnswer))
        );
        assert!(matches!(
            got[4],
            (10, RowErrorReason::Gift(GiftProblem::BadMeta { .. }))
        ));
    }

    #[test]
    fn missing_word_questions_keep_a_gap_in_the_stem() {
        let q = one("当事人应当在{=三日 ~五日}内提出听证要求");
        assert_eq!(q.stem().as_str(), "当事人应当在____内提出听证要求");
    }

    #[test]
    fn html_questions_are_turned_into_plain_text() {
        let q = one("[html]<p>罚款&amp;没收</p>{=<b>甲</b> ~乙}");
        assert_eq!(q.stem().as_str(), "罚款&没收");
        assert_eq!(q.options()[0].as_str(), "甲");
    }

    #[test]
    fn escaping_round_trips() {
        for text in ["a:b~c=d#e{f}g\\h\ni", "\\n", "普通文字", "\\", ""] {
            assert_eq!(unescape(&escape(text)), text);
        }
    }

    #[test]
    fn empty_and_non_utf8_files_are_file_errors() {
        assert_eq!(
            parse_gift(b"", &defaults()).unwrap_err().file_errors,
            vec![FileError::Empty]
        );
        assert_eq!(
            parse_gift(b"// only a comment\n", &defaults())
                .unwrap_err()
                .file_errors,
            vec![FileError::NoQuestions]
        );
        assert_eq!(
            parse_gift(b"\xCC\xE2{T}", &defaults())
                .unwrap_err()
                .file_errors,
            vec![FileError::NotUtf8 { line: 1 }]
        );
    }
}
