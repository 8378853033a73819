//! 答案 — the answer key, the one secret a question holds, and option letters.
//!
//! [`AnswerKey`] is deliberately neither `Serialize` nor `Deserialize`: it can reach the database
//! only through [`AnswerKey::to_storage_string`] and come back only through
//! [`AnswerKey::parse_storage`], so no wire type can carry it to a browser by accident. This
//! module also reads the many ways authors write answers (`ACD`, `A、C、D`, `ＡＣ`, 正确, √…).

use thiserror::Error;
use unicode_normalization::UnicodeNormalization;

use crate::classify::{QuestionType, fold};
use crate::lang::{Lang, Localized, key, render};

/// Fewest options a choice question may have.
pub const MIN_OPTIONS: usize = 2;
/// Most options a choice question may have (A–H).
pub const MAX_OPTIONS: usize = 8;

/// The letter of the option at `index` (0 → `A`); `?` past `Z`.
pub fn option_letter(index: usize) -> char {
    u8::try_from(index)
        .ok()
        .filter(|&i| i < 26)
        .map_or('?', |i| char::from(b'A' + i))
}

/// The index of an option letter (`A`/`a` → 0) among A–Z.
pub fn letter_index(letter: char) -> Option<usize> {
    let upper = letter.to_ascii_uppercase();
    upper
        .is_ascii_uppercase()
        .then(|| usize::from(upper as u8 - b'A'))
}

/// The correct answer of a question. Not `Serialize`: see the module docs.
///
/// ```compile_fail
/// fn wire<T: serde::Serialize>() {}
/// wire::<question_bank::AnswerKey>(); // an answer key can never be put on the wire
/// ```
/// ```compile_fail
/// fn wire<T: serde::Serialize>() {}
/// wire::<question_bank::Question>(); // nor can a question, which holds one
/// ```
/// ```
/// fn wire<T: serde::Serialize>() {}
/// wire::<question_bank::QuestionView>(); // what candidates get instead
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AnswerKey(Key);

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Key {
    /// Bit `i` set ⇔ option `i` is correct.
    Choices(u8),
    TrueFalse(bool),
}

/// Why a stored answer key could not be read back.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", self.message(Lang::En))]
pub enum AnswerKeyError {
    /// The text is not a key of the given type.
    Invalid {
        /// The stored text.
        stored: String,
        /// The type it was read as.
        question_type: QuestionType,
        /// The number of options it was checked against.
        option_count: usize,
    },
    /// A choice key with no correct option, or one past H.
    BadIndices {
        /// The indices given.
        indices: Vec<usize>,
    },
}

impl AnswerKey {
    /// The key of a true/false question.
    pub fn true_false(correct: bool) -> Self {
        Self(Key::TrueFalse(correct))
    }

    /// The key of a choice question from a bit mask (bit `i` ⇔ option `i`). Validity against
    /// the option count and type is checked by the question.
    pub(crate) fn from_mask(mask: u8) -> Self {
        Self(Key::Choices(mask))
    }

    /// The key of a choice question whose correct options are `indices` (0 = A).
    ///
    /// # Errors
    /// [`AnswerKeyError::BadIndices`]: an index past [`MAX_OPTIONS`], or no index at all. (Whether it suits a particular
    /// question is checked when the question is built.)
    pub fn choices(indices: impl IntoIterator<Item = usize>) -> Result<Self, AnswerKeyError> {
        let indices: Vec<usize> = indices.into_iter().collect();
        let mut mask = 0u8;
        let mut bad = false;
        for &i in &indices {
            match u32::try_from(i).ok().and_then(|i| 1u8.checked_shl(i)) {
                Some(bit) if i < MAX_OPTIONS => mask |= bit,
                _ => bad = true,
            }
        }
        if bad || mask == 0 {
            return Err(AnswerKeyError::BadIndices { indices });
        }
        Ok(Self(Key::Choices(mask)))
    }

    /// The type of question this key fits: one correct option → single, several → multiple.
    pub fn question_type(&self) -> QuestionType {
        match self.0 {
            Key::TrueFalse(_) => QuestionType::TrueFalse,
            Key::Choices(mask) if mask.count_ones() == 1 => QuestionType::Single,
            Key::Choices(_) => QuestionType::Multiple,
        }
    }

    /// Whether option `index` (0 = A) is correct; always `false` for true/false keys.
    pub fn is_correct_option(&self, index: usize) -> bool {
        match self.0 {
            Key::Choices(mask) => u32::try_from(index)
                .ok()
                .and_then(|i| 1u8.checked_shl(i))
                .is_some_and(|bit| index < MAX_OPTIONS && mask & bit != 0),
            Key::TrueFalse(_) => false,
        }
    }

    /// The correct option indices in ascending order (empty for true/false keys).
    pub fn correct_options(&self) -> Vec<usize> {
        (0..MAX_OPTIONS)
            .filter(|&i| self.is_correct_option(i))
            .collect()
    }

    /// The answer of a true/false key.
    pub fn as_true_false(&self) -> Option<bool> {
        match self.0 {
            Key::TrueFalse(b) => Some(b),
            Key::Choices(_) => None,
        }
    }

    /// Highest option index the key points at (choice keys only).
    pub(crate) fn highest_option(&self) -> Option<usize> {
        self.correct_options().last().copied()
    }

    /// The storage form: the correct letters in order (`B`, `ACD`) or `T` / `F`.
    pub fn to_storage_string(&self) -> String {
        match self.0 {
            Key::TrueFalse(true) => "T".to_owned(),
            Key::TrueFalse(false) => "F".to_owned(),
            Key::Choices(_) => self
                .correct_options()
                .into_iter()
                .map(option_letter)
                .collect(),
        }
    }

    /// The form authors see in the template: letters, or 正确 / 错误.
    pub fn to_display_string(&self) -> String {
        match self.0 {
            Key::TrueFalse(true) => "正确".to_owned(),
            Key::TrueFalse(false) => "错误".to_owned(),
            Key::Choices(_) => self.to_storage_string(),
        }
    }

    /// Reads a key written by [`AnswerKey::to_storage_string`], checking it against the
    /// question's type and option count (the letter `F` is an option for choice questions and
    /// "false" for true/false ones, hence the type).
    ///
    /// # Errors
    /// [`AnswerKeyError::Invalid`] when the text is not exactly such a key.
    pub fn parse_storage(
        question_type: QuestionType,
        option_count: usize,
        stored: &str,
    ) -> Result<Self, AnswerKeyError> {
        let invalid = || AnswerKeyError::Invalid {
            stored: stored.to_owned(),
            question_type,
            option_count,
        };
        let key = match question_type {
            QuestionType::TrueFalse => match stored {
                "T" => Self::true_false(true),
                "F" => Self::true_false(false),
                _ => return Err(invalid()),
            },
            QuestionType::Single | QuestionType::Multiple => {
                if !(MIN_OPTIONS..=MAX_OPTIONS).contains(&option_count) {
                    return Err(invalid());
                }
                let mut indices = Vec::new();
                for c in stored.chars() {
                    match letter_index(c) {
                        Some(i) if c.is_ascii_uppercase() && i < option_count => indices.push(i),
                        _ => return Err(invalid()),
                    }
                }
                if !indices.is_sorted_by(|a, b| a < b) {
                    return Err(invalid());
                }
                Self::choices(indices).map_err(|_| invalid())?
            }
        };
        if key.question_type() == question_type {
            Ok(key)
        } else {
            Err(invalid())
        }
    }
}

/// A choice answer as typed by an author, read leniently.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum ChoiceAnswer {
    /// Bit mask of the letters (A–H) named, and the highest letter index named.
    Letters { mask: u8, highest: usize },
    /// A letter past H.
    LetterPastH(char),
    /// Something that is not letters.
    Unreadable,
}

/// Reads `B`, `ACD`, `A,C,D`, `A、C、D`, `A，C，D`, `ＡＣ`, `a c` as a set of option letters.
/// Repeated letters count once.
pub(crate) fn read_choice_answer(raw: &str) -> ChoiceAnswer {
    let mut mask = 0u8;
    let mut highest = 0;
    let mut any = false;
    for c in raw.nfkc() {
        if c.is_whitespace() || matches!(c, ',' | '、' | ';' | '/' | '|' | '.' | '，' | '；') {
            continue;
        }
        if !c.is_ascii_alphabetic() {
            return ChoiceAnswer::Unreadable;
        }
        let Some(i) = letter_index(c) else {
            return ChoiceAnswer::Unreadable;
        };
        if i >= MAX_OPTIONS {
            return ChoiceAnswer::LetterPastH(c.to_ascii_uppercase());
        }
        mask |= 1 << i;
        highest = highest.max(i);
        any = true;
    }
    if any {
        ChoiceAnswer::Letters { mask, highest }
    } else {
        ChoiceAnswer::Unreadable
    }
}

/// Reads 正确 / 错误, 对 / 错, √ / ×, T / F, true / false, 是 / 否 (any case, full-width too).
pub(crate) fn read_true_false(raw: &str) -> Option<bool> {
    match fold(raw).as_str() {
        "正确" | "对" | "√" | "✓" | "✔" | "t" | "true" | "是" | "y" | "yes" => Some(true),
        "错误" | "错" | "×" | "✗" | "✘" | "x" | "f" | "false" | "否" | "n" | "no" => {
            Some(false)
        }
        _ => None,
    }
}

/// Letters a–h of a mask, for messages.
pub(crate) fn mask_letters(mask: u8) -> String {
    (0..MAX_OPTIONS)
        .filter(|i| mask & (1 << i) != 0)
        .map(option_letter)
        .collect()
}

impl Localized for AnswerKeyError {
    fn message(&self, lang: Lang) -> String {
        match self {
            Self::Invalid {
                stored,
                question_type,
                option_count,
            } => {
                // The English message quotes the stored text as Rust does (`"AX"`).
                let stored = match lang {
                    Lang::Zh => stored.clone(),
                    Lang::En => format!("{stored:?}"),
                };
                render(
                    lang,
                    key::ANSWER_INVALID_STORED,
                    &[
                        ("stored", &stored),
                        ("question_type", &question_type.message_name(lang)),
                        ("option_count", option_count),
                    ],
                )
            }
            Self::BadIndices { indices } => render(
                lang,
                key::ANSWER_BAD_INDICES,
                &[("indices", &format!("{indices:?}"))],
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn storage_strings_round_trip_for_every_type() {
        let single = AnswerKey::choices([1]).unwrap();
        assert_eq!(single.to_storage_string(), "B");
        assert_eq!(
            AnswerKey::parse_storage(QuestionType::Single, 4, "B"),
            Ok(single)
        );
        let multiple = AnswerKey::choices([3, 0, 2]).unwrap();
        assert_eq!(multiple.to_storage_string(), "ACD");
        assert_eq!(
            AnswerKey::parse_storage(QuestionType::Multiple, 4, "ACD"),
            Ok(multiple)
        );
        for b in [true, false] {
            let key = AnswerKey::true_false(b);
            assert_eq!(
                AnswerKey::parse_storage(QuestionType::TrueFalse, 0, &key.to_storage_string()),
                Ok(key)
            );
        }
    }

    #[test]
    fn stored_f_means_option_f_for_choices_and_false_for_true_false() {
        assert_eq!(
            AnswerKey::parse_storage(QuestionType::Single, 6, "F")
                .unwrap()
                .correct_options(),
            vec![5]
        );
        assert_eq!(
            AnswerKey::parse_storage(QuestionType::TrueFalse, 0, "F")
                .unwrap()
                .as_true_false(),
            Some(false)
        );
    }

    #[test]
    fn stored_keys_that_do_not_fit_the_question_are_refused() {
        for (t, n, s) in [
            (QuestionType::Single, 4, "AB"),
            (QuestionType::Multiple, 4, "A"),
            (QuestionType::Single, 4, "E"),
            (QuestionType::Single, 4, "b"),
            (QuestionType::Multiple, 4, "CA"),
            (QuestionType::Multiple, 4, "AA"),
            (QuestionType::Single, 1, "A"),
            (QuestionType::Single, 9, "A"),
            (QuestionType::TrueFalse, 0, "true"),
            (QuestionType::Single, 4, ""),
        ] {
            assert!(AnswerKey::parse_storage(t, n, s).is_err(), "{t:?} {n} {s}");
        }
    }

    #[test]
    fn typed_answers_are_read_in_all_common_spellings() {
        let acd = ChoiceAnswer::Letters {
            mask: 0b1101,
            highest: 3,
        };
        for raw in [
            "ACD",
            "A,C,D",
            "A、C、D",
            "A，C，D",
            "ａｃｄ",
            " a c d ",
            "CAD",
            "AACD",
        ] {
            assert_eq!(read_choice_answer(raw), acd, "{raw}");
        }
        assert_eq!(read_choice_answer("AI"), ChoiceAnswer::LetterPastH('I'));
        assert_eq!(read_choice_answer("1"), ChoiceAnswer::Unreadable);
        assert_eq!(read_choice_answer(""), ChoiceAnswer::Unreadable);
        assert_eq!(read_choice_answer("正确"), ChoiceAnswer::Unreadable);
    }

    #[test]
    fn true_false_answers_are_read_in_all_common_spellings() {
        for raw in ["正确", "对", "√", "T", "t", "TRUE", "True", "Ｔ"] {
            assert_eq!(read_true_false(raw), Some(true), "{raw}");
        }
        for raw in ["错误", "错", "×", "F", "false", "FALSE"] {
            assert_eq!(read_true_false(raw), Some(false), "{raw}");
        }
        assert_eq!(read_true_false("A"), None);
    }

    #[test]
    fn letters_and_indices_correspond() {
        assert_eq!(option_letter(0), 'A');
        assert_eq!(option_letter(7), 'H');
        assert_eq!(letter_index('h'), Some(7));
        assert_eq!(letter_index('1'), None);
    }
}
