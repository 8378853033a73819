//! Message language for everything this crate tells a person.
//!
//! Every error and warning type of the crate implements [`Localized`]: it can say what is wrong and
//! how to fix it in Simplified Chinese (the UI's language) or English (logs, tests, tooling). The
//! English text is also the type's `Display`. This module owns no domain rules.

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

/// Picks the text for `lang` from a Chinese and an English version.
pub(crate) fn pick(lang: Lang, zh: String, en: String) -> String {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}
