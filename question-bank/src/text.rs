//! The text newtypes of a question: stem, option, explanation, knowledge-point tag and
//! enforcement field.
//!
//! Each is parsed once from raw input (trimmed, line endings unified to `\n`, length-checked,
//! control characters refused) and is valid from then on. This module owns the text rules only;
//! how texts combine into a question is `question`'s business.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::lang::{Lang, Localized, key, render};

/// Why a piece of text was refused.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[error("{}", self.message(Lang::En))]
pub enum TextError {
    /// Nothing but whitespace.
    Empty,
    /// Longer than the limit (lengths count characters, not bytes).
    TooLong {
        /// Length found.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// Holds an invisible control character (often pasted from another program).
    ControlCharacter {
        /// The code point.
        code: u32,
    },
    /// A line break in a one-line value.
    LineBreak,
    /// A tag holding one of the characters that separate tags.
    ContainsSeparator {
        /// The separator found.
        separator: char,
    },
}

impl Localized for TextError {
    fn message(&self, lang: Lang) -> String {
        match self {
            Self::Empty => render(lang, key::TEXT_EMPTY, &[]),
            Self::TooLong { len, max } => {
                render(lang, key::TEXT_TOO_LONG, &[("len", len), ("max", max)])
            }
            Self::ControlCharacter { code } => render(
                lang,
                key::TEXT_CONTROL_CHARACTER,
                &[("code", &format!("{code:04X}"))],
            ),
            Self::LineBreak => render(lang, key::TEXT_LINE_BREAK, &[]),
            Self::ContainsSeparator { separator } => render(
                lang,
                key::TEXT_CONTAINS_SEPARATOR,
                &[("separator", separator)],
            ),
        }
    }
}

/// Cleans raw text: unifies line endings, trims, refuses empty, control characters, line breaks
/// (unless `multiline`) and more than `max` characters.
fn clean(raw: &str, max: usize, multiline: bool) -> Result<String, TextError> {
    let unified = if raw.contains('\r') {
        raw.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        raw.to_owned()
    };
    let trimmed = unified.trim();
    if trimmed.is_empty() {
        return Err(TextError::Empty);
    }
    for c in trimmed.chars() {
        if c == '\n' {
            if !multiline {
                return Err(TextError::LineBreak);
            }
        } else if c != '\t' && (c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}') {
            return Err(TextError::ControlCharacter { code: u32::from(c) });
        }
    }
    let len = trimmed.chars().count();
    if len > max {
        return Err(TextError::TooLong { len, max });
    }
    Ok(trimmed.to_owned())
}

macro_rules! text_newtype {
    ($(#[$doc:meta])* $name:ident, $max:expr, $multiline:expr) => {
        $(#[$doc])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(try_from = "String", into = "String")]
        pub struct $name(String);

        impl $name {
            /// Longest accepted text, in characters.
            pub const MAX_CHARS: usize = $max;

            /// Parses raw input: trims it, turns `\r\n` and `\r` into `\n`, and checks the rules
            /// of this kind of text.
            ///
            /// # Errors
            /// [`TextError`] says which rule the text breaks.
            pub fn parse(raw: &str) -> Result<Self, TextError> {
                clean(raw, $max, $multiline).map(Self)
            }

            /// The text.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl TryFrom<String> for $name {
            type Error = TextError;
            fn try_from(raw: String) -> Result<Self, Self::Error> {
                Self::parse(&raw)
            }
        }

        impl From<$name> for String {
            fn from(value: $name) -> Self {
                value.0
            }
        }
    };
}

text_newtype!(
    /// 题干 — the question text; 1–2000 characters, may span lines.
    Stem,
    2000,
    true
);
text_newtype!(
    /// 选项 — the text of one option of a choice question; 1–500 characters.
    OptionText,
    500,
    true
);
text_newtype!(
    /// 解析 — the explanation shown to authors and, after publication, in score reviews;
    /// 1–4000 characters.
    Explanation,
    4000,
    true
);
text_newtype!(
    /// 执法领域 — an enforcement field such as 市场监管, 生态环境, 交通运输, 自然资源, 城市管理,
    /// 公安, 卫生健康; one line, 1–32 characters. Required for 专业法律知识 questions.
    EnforcementField,
    32,
    false
);

/// 知识点 — a knowledge-point tag; one line, 1–32 characters, without the separators
/// [`Tag::SEPARATORS`] that split a list of tags.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tag(String);

impl Tag {
    /// Longest accepted tag, in characters.
    pub const MAX_CHARS: usize = 32;
    /// Characters that separate tags in one cell: `;` `；` `、`.
    pub const SEPARATORS: [char; 3] = [';', '；', '、'];

    /// Parses one tag.
    ///
    /// # Errors
    /// [`TextError`] if the tag is empty, too long, spans lines or holds a separator.
    pub fn parse(raw: &str) -> Result<Self, TextError> {
        let text = clean(raw, Self::MAX_CHARS, false)?;
        if let Some(separator) = text.chars().find(|c| Self::SEPARATORS.contains(c)) {
            return Err(TextError::ContainsSeparator { separator });
        }
        Ok(Self(text))
    }

    /// The tag.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl AsRef<str> for Tag {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Tag {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for Tag {
    type Error = TextError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<Tag> for String {
    fn from(value: Tag) -> Self {
        value.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_is_trimmed_and_line_endings_are_unified() {
        let stem = Stem::parse("  第一行\r\n第二行\r第三行\u{3000}").unwrap();
        assert_eq!(stem.as_str(), "第一行\n第二行\n第三行");
    }

    #[test]
    fn blank_text_is_refused() {
        assert_eq!(Stem::parse(" \t\u{3000}\n"), Err(TextError::Empty));
        assert_eq!(OptionText::parse(""), Err(TextError::Empty));
    }

    #[test]
    fn stem_longer_than_2000_characters_is_refused_counting_characters_not_bytes() {
        assert!(Stem::parse(&"法".repeat(2000)).is_ok());
        assert_eq!(
            Stem::parse(&"法".repeat(2001)),
            Err(TextError::TooLong {
                len: 2001,
                max: 2000
            })
        );
    }

    #[test]
    fn option_and_explanation_limits_are_500_and_4000() {
        assert!(OptionText::parse(&"a".repeat(501)).is_err());
        assert!(Explanation::parse(&"a".repeat(4000)).is_ok());
        assert!(Explanation::parse(&"a".repeat(4001)).is_err());
    }

    #[test]
    fn control_characters_are_refused_but_tabs_and_newlines_are_kept() {
        assert_eq!(
            Stem::parse("a\u{0007}b"),
            Err(TextError::ControlCharacter { code: 7 })
        );
        assert_eq!(Stem::parse("a\tb\nc").unwrap().as_str(), "a\tb\nc");
    }

    #[test]
    fn tags_and_fields_must_be_one_line() {
        assert_eq!(Tag::parse("a\nb"), Err(TextError::LineBreak));
        assert_eq!(
            EnforcementField::parse("市场\n监管"),
            Err(TextError::LineBreak)
        );
        assert_eq!(
            EnforcementField::parse(" 市场监管 ").unwrap().as_str(),
            "市场监管"
        );
    }

    #[test]
    fn a_tag_holding_a_separator_is_refused() {
        assert_eq!(
            Tag::parse("行政处罚、听证"),
            Err(TextError::ContainsSeparator { separator: '、' })
        );
        assert!(Tag::parse(&"听".repeat(33)).is_err());
    }

    #[test]
    fn newtypes_deserialize_only_valid_text() {
        let ok: Result<Stem, _> = serde_json::from_str("\"  题干 \"");
        assert_eq!(ok.unwrap().as_str(), "题干");
        let bad: Result<Stem, _> = serde_json::from_str("\"   \"");
        assert!(bad.is_err());
    }

    #[test]
    fn text_errors_explain_themselves_in_both_languages() {
        let e = TextError::TooLong {
            len: 2100,
            max: 2000,
        };
        assert!(e.message(Lang::Zh).contains("最多 2000 字"));
        assert!(e.message(Lang::En).contains("at most 2000"));
    }
}
