//! Message language for everything this crate tells a person, and the catalogue of its wording.
//!
//! Every error and warning type of the crate implements [`Localized`]: it can say what is wrong and
//! how to fix it in Simplified Chinese (the UI's language) or English (logs, tests, tooling). The
//! English text is also the type's `Display`. This module owns no domain rules.
//!
//! # The catalogue
//!
//! The wording lives in one file per language, `question-bank/locales/zh.json` and
//! `question-bank/locales/en.json`: JSON objects grouped by module (`{"text": {"too_long": …}}`),
//! whose messages name their parameters `{{ name }}` as the app's leptos_i18n files do. Code never
//! spells a message: it names a key, `key::TEXT_TOO_LONG` for `text.too_long`, and renders it with
//! `render` (or `text` for a message without parameters), so a misspelt key does not compile.
//!
//! `build.rs` reads both files when the crate is built and fails the build, naming the file and
//! the key, if a key is in one file and not the other, if a message's parameters differ between
//! the files, or if a value is empty or neither a string nor an object. It generates the key
//! constants and the texts of both languages into `$OUT_DIR/messages.rs`, included below: the
//! catalogue is compiled in (no file is read at run time, so it works in the browser too).
//!
//! What stays in code is what is not wording but data or syntax: the keywords and column headers
//! an import file may contain (单选题, 正确, 题干, their aliases), the values written into exported
//! files, law names, and details captured when an error happens (a parser's own message).
//!
//! To change a message, edit it in both files; to add one, add the key to both files (same
//! parameters) and use `key::…` in code. Every key must be used (an unused one is a dead-code
//! warning, so a stale message does not linger).
//!
//! Adding a language is more than adding a file. It takes: `locales/<code>.json` with every key;
//! a [`Lang`] variant (a public API change that `app` and `server` must follow, e.g. their locale
//! mapping); the file in `FILES` of `build.rs`, whose check and generated tables are written for
//! exactly two files today and must compare and emit a third; the table in `text`; and a look at
//! the few places that choose grammar per language in code rather than in the catalogue
//! (`match lang`): English predicates that take the field's name as subject and start with a
//! capital (`question`, `paper`, `coverage`, `blueprint`), sizes given in MB in Chinese and bytes in
//! English (`import`), and type names and stored keys quoted as Rust writes them in English
//! (`classify`, `answer`). Serde errors and the exported template and GIFT header have no
//! language of their own: they are rendered in English and Chinese respectively.

use std::fmt::{self, Write as _};

use serde::{Deserialize, Serialize};

/// The language of a message shown to a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Lang {
    /// 简体中文 — Simplified Chinese, the language of the UI.
    #[default]
    Zh,
    /// English.
    En,
}

/// A problem (or notice) that can explain itself to a person in either language.
///
/// Messages say what is wrong *and* how to fix it, in plain words.
pub trait Localized {
    /// The message in `lang`.
    fn message(&self, lang: Lang) -> String;
}

/// A message of the catalogue: one of the constants in [`key`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) struct Key(usize);

include!(concat!(env!("OUT_DIR"), "/messages.rs"));

/// The text of `key` in `lang`, as written in the catalogue (parameters not substituted).
pub(crate) fn text(lang: Lang, key: Key) -> &'static str {
    let table = match lang {
        Lang::Zh => &ZH,
        Lang::En => &EN,
    };
    table.get(key.0).copied().unwrap_or("")
}

/// The message `key` in `lang`, with every `{{ name }}` replaced by the argument of that name.
///
/// Arguments are inserted as they display; pre-format those that need a format spec
/// (`format!("{code:04X}")`). Inserted text is not read again for parameters. A parameter without
/// an argument stays visible as written, and text that only looks like one (`{{`, `{{ a b }}`)
/// is kept as it is: rendering never panics.
pub(crate) fn render(lang: Lang, key: Key, args: &[(&str, &dyn fmt::Display)]) -> String {
    substitute(text(lang, key), args)
}

fn substitute(template: &str, args: &[(&str, &dyn fmt::Display)]) -> String {
    let mut out = String::with_capacity(template.len() + 16);
    let mut rest = template;
    while let Some(open) = rest.find("{{") {
        out.push_str(rest.get(..open).unwrap_or(""));
        let candidate = rest.get(open..).unwrap_or("");
        match parameter(candidate) {
            Some((name, len)) => {
                match args.iter().find(|(n, _)| *n == name) {
                    Some((_, value)) => {
                        let _ = write!(out, "{value}");
                    }
                    None => out.push_str(candidate.get(..len).unwrap_or("")),
                }
                rest = candidate.get(len..).unwrap_or("");
            }
            None => {
                out.push_str("{{");
                rest = candidate.get(2..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

/// Reads `{{ name }}` at the start of `text`: the name and the length of the whole parameter.
fn parameter(text: &str) -> Option<(&str, usize)> {
    let after = text.strip_prefix("{{")?;
    let inner = after.trim_start();
    let len = inner
        .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .unwrap_or(inner.len());
    let name = inner.get(..len).filter(|n| !n.is_empty())?;
    let tail = inner.get(len..)?.trim_start();
    let rest = tail.strip_prefix("}}")?;
    Some((name, text.len() - rest.len()))
}

/// `text` with its first letter in upper case (English messages that start a sentence).
pub(crate) fn capitalize(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or_else(String::new, |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// Joins messages as clauses of one text (`；` in Chinese).
pub(crate) fn join_sentences(lang: Lang, messages: impl IntoIterator<Item = String>) -> String {
    messages
        .into_iter()
        .collect::<Vec<_>>()
        .join(text(lang, key::LANG_SENTENCE_SEPARATOR))
}

/// Joins the items of a list (`、` in Chinese).
pub(crate) fn join_list(lang: Lang, items: &[String]) -> String {
    items.join(text(lang, key::LANG_LIST_SEPARATOR))
}

#[cfg(test)]
mod tests {
    use std::collections::{BTreeMap, BTreeSet};

    use super::*;

    /// Every message of a catalogue file, by dotted key.
    fn flatten(prefix: &str, value: &serde_json::Value, out: &mut BTreeMap<String, String>) {
        match value {
            serde_json::Value::Object(map) => {
                for (name, value) in map {
                    let key = if prefix.is_empty() {
                        name.clone()
                    } else {
                        format!("{prefix}.{name}")
                    };
                    flatten(&key, value, out);
                }
            }
            serde_json::Value::String(text) => {
                out.insert(prefix.to_owned(), text.clone());
            }
            other => panic!("{prefix}: not a string or an object: {other}"),
        }
    }

    fn catalogue(json: &str) -> BTreeMap<String, String> {
        let value: serde_json::Value = serde_json::from_str(json).unwrap();
        let mut out = BTreeMap::new();
        flatten("", &value, &mut out);
        out
    }

    /// The parameters of a message, read as [`render`] reads them.
    fn params(text: &str) -> BTreeSet<String> {
        let mut found = BTreeSet::new();
        let mut rest = text;
        while let Some(open) = rest.find("{{") {
            let candidate = &rest[open..];
            match parameter(candidate) {
                Some((name, len)) => {
                    found.insert(name.to_owned());
                    rest = &candidate[len..];
                }
                None => panic!("malformed parameter in {text:?}"),
            }
        }
        found
    }

    #[test]
    fn both_catalogues_have_the_same_keys_and_parameters() {
        let zh = catalogue(include_str!("../locales/zh.json"));
        let en = catalogue(include_str!("../locales/en.json"));
        assert_eq!(
            zh.keys().collect::<Vec<_>>(),
            en.keys().collect::<Vec<_>>(),
            "zh.json and en.json must hold the same keys"
        );
        for (key, zh_text) in &zh {
            let en_text = &en[key];
            assert!(!zh_text.trim().is_empty(), "zh {key} is empty");
            assert!(!en_text.trim().is_empty(), "en {key} is empty");
            assert_eq!(params(zh_text), params(en_text), "parameters of {key}");
        }
        // The compiled tables are those files.
        assert_eq!(COUNT, zh.len());
        for (i, name) in NAMES.iter().enumerate() {
            assert_eq!(text(Lang::Zh, Key(i)), zh[*name], "{name}");
            assert_eq!(text(Lang::En, Key(i)), en[*name], "{name}");
        }
    }

    #[test]
    fn keys_name_their_messages() {
        assert_eq!(
            text(Lang::Zh, key::TEXT_TOO_LONG),
            "太长({{ len }} 字,最多 {{ max }} 字):请删减"
        );
        assert_eq!(NAMES[key::TEXT_TOO_LONG.0], "text.too_long");
        assert_eq!(text(Lang::En, Key(usize::MAX)), "");
    }

    #[test]
    fn render_substitutes_parameters() {
        assert_eq!(
            render(
                Lang::Zh,
                key::TEXT_TOO_LONG,
                &[("len", &2001), ("max", &2000)]
            ),
            "太长(2001 字,最多 2000 字):请删减"
        );
        assert_eq!(
            render(
                Lang::En,
                key::TEXT_TOO_LONG,
                &[("max", &2000), ("len", &2001)]
            ),
            "is too long (2001 characters, at most 2000): shorten it"
        );
        assert_eq!(
            substitute("{{a}}{{ a }}{{  b  }}", &[("a", &1), ("b", &"x")]),
            "11x"
        );
    }

    #[test]
    fn render_leaves_text_without_parameters_unchanged() {
        assert_eq!(
            render(Lang::Zh, key::TEXT_EMPTY, &[]),
            "不能为空:请填写内容"
        );
        assert_eq!(
            render(Lang::En, key::TEXT_EMPTY, &[("unused", &1)]),
            "is empty: fill it in"
        );
        // Single braces are text (GIFT messages are full of them).
        assert_eq!(
            render(Lang::En, key::GIFT_NO_ANSWER_BLOCK, &[]),
            "the question has no answer block: write the answers after the stem as {=right ~wrong} or {T}/{F}"
        );
    }

    #[test]
    fn render_never_panics_on_odd_input() {
        let value = &"v";
        for (template, expected) in [
            ("{{ missing }}", "{{ missing }}"),
            ("a {{ x }} b {{ y }}", "a v b {{ y }}"),
            ("{{", "{{"),
            ("}}", "}}"),
            ("{{{{ x }}}}", "{{v}}"),
            ("{{ x", "{{ x"),
            ("{{ x }", "{{ x }"),
            ("{{ }}", "{{ }}"),
            ("{{ a b }}", "{{ a b }}"),
            ("{{ 字 }}", "{{ 字 }}"),
            ("字{{x}}字", "字v字"),
            ("", ""),
            ("{{ x }}{{", "v{{"),
            ("{", "{"),
        ] {
            assert_eq!(
                substitute(template, &[("x", value)]),
                expected,
                "{template}"
            );
        }
        // An argument is inserted as it is, never read again for parameters.
        assert_eq!(
            substitute("{{ x }}", &[("x", &"{{ x }}")]),
            "{{ x }}".to_owned()
        );
        // Any text at all.
        let mut text = String::new();
        for c in ['{', '}', ' ', 'x', '字', '_', '\u{0}'] {
            for _ in 0..3 {
                text.push(c);
                let _ = substitute(&text, &[("x", value)]);
                let _ = substitute(&text.chars().rev().collect::<String>(), &[("x", value)]);
            }
        }
    }

    /// Representative messages of each kind: both languages carry every argument, and no
    /// parameter is left unfilled.
    #[test]
    fn messages_carry_their_parameters_in_both_languages() {
        use crate::import::{FileError, RowError, RowErrorReason};
        use crate::question::{Field, FieldErrorReason};
        use crate::snapshot::SnapshotError;
        use crate::text::TextError;
        use crate::{BlueprintError, Points, QuestionType, Warning, WarningKind};

        let cases: Vec<(Box<dyn Localized>, Vec<&str>)> = vec![
            (
                Box::new(TextError::TooLong {
                    len: 2001,
                    max: 2000,
                }),
                vec!["2001", "2000"],
            ),
            (
                Box::new(TextError::ControlCharacter { code: 0x1B }),
                vec!["U+001B"],
            ),
            (
                Box::new(SnapshotError::DuplicateQuestion {
                    question_id: 41,
                    first: 42,
                    second: 43,
                }),
                vec!["41", "42", "43"],
            ),
            (
                Box::new(FileError::DuplicateHeader {
                    sheet: Some("考生".to_owned()),
                    header: "姓名".to_owned(),
                    cells: vec!["A1".to_owned(), "D1".to_owned()],
                }),
                vec!["考生", "姓名", "A1", "D1"],
            ),
            (
                Box::new(RowError {
                    row: 17,
                    column: Some("答案".to_owned()),
                    reason: RowErrorReason::Field {
                        field: Field::Answer,
                        reason: FieldErrorReason::SingleNeedsExactlyOneAnswer {
                            value: "AC".to_owned(),
                            count: 2,
                        },
                    },
                }),
                vec!["17", "答案", "AC", "2"],
            ),
            (
                Box::new(BlueprintError::PointsTooLarge {
                    section: 3,
                    question_type: QuestionType::TrueFalse,
                    points: Points::from_hundredths(12_050),
                    max: Points::from_hundredths(10_000),
                }),
                vec!["3", "判断题", "120.5", "100"],
            ),
            (
                Box::new(Warning {
                    row: Some(9),
                    kind: WarningKind::ShortStem { chars: 5 },
                }),
                vec!["9", "5"],
            ),
        ];
        for (message, args) in &cases {
            for lang in [Lang::Zh, Lang::En] {
                let text = message.message(lang);
                assert!(!text.contains("{{"), "{lang:?}: {text}");
                for arg in args {
                    assert!(text.contains(arg), "{lang:?}: {text} lacks {arg}");
                }
            }
        }
        // And the languages differ: the wording really is per language.
        for (message, _) in &cases {
            assert_ne!(message.message(Lang::Zh), message.message(Lang::En));
        }
    }

    #[test]
    fn capitalize_starts_a_sentence() {
        assert_eq!(capitalize("stem is empty"), "Stem is empty");
        assert_eq!(capitalize("“x” opens"), "“x” opens");
        assert_eq!(capitalize(""), "");
    }
}
