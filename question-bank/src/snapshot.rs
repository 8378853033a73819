//! 题库快照 — the questions a paper is assembled from, or shown and scored against.
//!
//! The caller builds a [`BankSnapshot`] from the database: for assembly, the active questions at
//! the moment the batch's papers are made (the revision ids identify them for good); to show or
//! score a stored paper, at least the revisions that paper uses, retired or not. Entries are kept
//! in [`QuestionRef`] order whatever order the caller gives them in, so the same questions always
//! give the same papers. This module knows nothing about storage.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::lang::{Lang, Localized, key, render};
use crate::question::Question;

/// One revision of one question, as the database numbers them.
///
/// A paper stores these, so editing the bank later never changes a paper.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct QuestionRef {
    /// The question's id (stable across revisions).
    pub question_id: i64,
    /// The revision's id (a new one for every edit).
    pub revision_id: i64,
}

/// Why a snapshot could not be built.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[error("{}", self.message(Lang::En))]
pub enum SnapshotError {
    /// Two entries for the same question (two of its revisions, or one twice).
    DuplicateQuestion {
        /// The question.
        question_id: i64,
        /// One revision.
        first: i64,
        /// The other.
        second: i64,
    },
    /// Two entries with the same revision id under different questions.
    DuplicateRevision {
        /// The revision.
        revision_id: i64,
        /// One question.
        first: i64,
        /// The other.
        second: i64,
    },
}

impl Localized for SnapshotError {
    fn message(&self, lang: Lang) -> String {
        match self {
            Self::DuplicateQuestion {
                question_id,
                first,
                second,
            } => render(
                lang,
                key::SNAPSHOT_DUPLICATE_QUESTION,
                &[
                    ("question_id", question_id),
                    ("first", first),
                    ("second", second),
                ],
            ),
            Self::DuplicateRevision {
                revision_id,
                first,
                second,
            } => render(
                lang,
                key::SNAPSHOT_DUPLICATE_REVISION,
                &[
                    ("revision_id", revision_id),
                    ("first", first),
                    ("second", second),
                ],
            ),
        }
    }
}

/// The pool of questions: each with the revision it is. At most one revision per question.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BankSnapshot {
    entries: Vec<(QuestionRef, Question)>,
    by_revision: HashMap<i64, usize>,
}

impl BankSnapshot {
    /// A snapshot of `entries`, put in [`QuestionRef`] order.
    ///
    /// # Errors
    /// [`SnapshotError`] if a question or a revision appears twice.
    pub fn new(mut entries: Vec<(QuestionRef, Question)>) -> Result<Self, SnapshotError> {
        entries.sort_by_key(|(r, _)| *r);
        for pair in entries.windows(2) {
            if let [(a, _), (b, _)] = pair
                && a.question_id == b.question_id
            {
                return Err(SnapshotError::DuplicateQuestion {
                    question_id: a.question_id,
                    first: a.revision_id,
                    second: b.revision_id,
                });
            }
        }
        let mut by_revision = HashMap::with_capacity(entries.len());
        for (i, (r, _)) in entries.iter().enumerate() {
            if let Some(j) = by_revision.insert(r.revision_id, i) {
                let first = entries.get(j).map_or(0, |(e, _)| e.question_id);
                return Err(SnapshotError::DuplicateRevision {
                    revision_id: r.revision_id,
                    first,
                    second: r.question_id,
                });
            }
        }
        Ok(Self {
            entries,
            by_revision,
        })
    }

    /// The entries, in [`QuestionRef`] order.
    pub fn entries(&self) -> &[(QuestionRef, Question)] {
        &self.entries
    }

    /// Number of questions.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The question of exactly this revision (`None` if the snapshot holds another revision of
    /// it, or none).
    pub fn get(&self, question: QuestionRef) -> Option<&Question> {
        let &i = self.by_revision.get(&question.revision_id)?;
        self.entries
            .get(i)
            .filter(|(r, _)| *r == question)
            .map(|(_, q)| q)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::question::tests::single_draft;

    fn q() -> Question {
        Question::from_draft(&single_draft()).unwrap()
    }

    fn r(question_id: i64, revision_id: i64) -> QuestionRef {
        QuestionRef {
            question_id,
            revision_id,
        }
    }

    #[test]
    fn entries_are_kept_in_reference_order_whatever_the_input_order() {
        let snapshot = BankSnapshot::new(vec![(r(3, 30), q()), (r(1, 10), q())]).unwrap();
        let refs: Vec<_> = snapshot.entries().iter().map(|(r, _)| *r).collect();
        assert_eq!(refs, [r(1, 10), r(3, 30)]);
        assert!(snapshot.get(r(3, 30)).is_some());
        assert!(snapshot.get(r(3, 31)).is_none());
        assert!(snapshot.get(r(2, 30)).is_none());
    }

    #[test]
    fn two_revisions_of_one_question_are_refused() {
        let err = BankSnapshot::new(vec![(r(1, 10), q()), (r(1, 11), q())]).unwrap_err();
        assert_eq!(
            err,
            SnapshotError::DuplicateQuestion {
                question_id: 1,
                first: 10,
                second: 11
            }
        );
        assert!(err.message(Lang::Zh).contains("试题 1"));
        let err = BankSnapshot::new(vec![(r(1, 10), q()), (r(2, 10), q())]).unwrap_err();
        assert!(matches!(err, SnapshotError::DuplicateRevision { .. }));
    }
}
