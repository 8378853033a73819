//! Revision and status rules of a bank question.
//!
//! A question has a stable id (the database's) and numbered revisions 1, 2, 3…; editing never
//! changes a revision, it adds the next one; a revision that any paper uses is immutable and can
//! never be deleted; a question can be retired (not drawn for new papers, still shown in the old
//! ones) and reinstated. The database stores and numbers; this module states the rules as pure
//! functions so every caller applies the same ones.

use std::fmt;
use std::num::NonZeroU32;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::lang::{Lang, Localized, key, render, text};
use crate::question::Question;

/// 题目状态 — whether a question may be drawn for new papers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum QuestionStatus {
    /// 在用 — drawn for new papers.
    #[default]
    Active,
    /// 停用 — kept for the papers that used it, never drawn again unless reinstated.
    Retired,
}

impl QuestionStatus {
    /// Stable machine spelling: `active`, `retired`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Active => "active",
            Self::Retired => "retired",
        }
    }

    /// Chinese label: 在用, 停用.
    pub fn label_zh(self) -> &'static str {
        text(
            Lang::Zh,
            match self {
                Self::Active => key::REVISION_STATUS_ACTIVE,
                Self::Retired => key::REVISION_STATUS_RETIRED,
            },
        )
    }

    /// Parses the machine spelling.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw {
            "active" => Some(Self::Active),
            "retired" => Some(Self::Retired),
            _ => None,
        }
    }

    /// Whether new papers may draw the question.
    pub fn is_drawable(self) -> bool {
        self == Self::Active
    }

    /// The status after retiring.
    ///
    /// # Errors
    /// [`RevisionError::AlreadyRetired`].
    pub fn retire(self) -> Result<Self, RevisionError> {
        match self {
            Self::Active => Ok(Self::Retired),
            Self::Retired => Err(RevisionError::AlreadyRetired),
        }
    }

    /// The status after reinstating.
    ///
    /// # Errors
    /// [`RevisionError::NotRetired`].
    pub fn reinstate(self) -> Result<Self, RevisionError> {
        match self {
            Self::Retired => Ok(Self::Active),
            Self::Active => Err(RevisionError::NotRetired),
        }
    }
}

/// 修订号 — a revision number, starting at 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "u32", into = "u32")]
pub struct RevisionNumber(NonZeroU32);

impl RevisionNumber {
    /// The first revision.
    pub const FIRST: Self = Self(NonZeroU32::MIN);

    /// A revision number; `None` for 0.
    pub fn new(n: u32) -> Option<Self> {
        NonZeroU32::new(n).map(Self)
    }

    /// The number.
    pub fn get(self) -> u32 {
        self.0.get()
    }

    /// The revision after this one.
    ///
    /// # Errors
    /// [`RevisionError::TooManyRevisions`] past `u32::MAX`.
    pub fn next(self) -> Result<Self, RevisionError> {
        self.0
            .checked_add(1)
            .map(Self)
            .ok_or(RevisionError::TooManyRevisions)
    }
}

impl fmt::Display for RevisionNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

impl TryFrom<u32> for RevisionNumber {
    type Error = String;
    fn try_from(n: u32) -> Result<Self, Self::Error> {
        Self::new(n).ok_or_else(|| text(Lang::En, key::REVISION_NUMBER_STARTS_AT_ONE).to_owned())
    }
}

impl From<RevisionNumber> for u32 {
    fn from(value: RevisionNumber) -> Self {
        value.get()
    }
}

/// What saving an edited question should do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", content = "revision", rename_all = "snake_case")]
pub enum EditOutcome {
    /// Nothing changed: keep the current revision, write nothing.
    Unchanged,
    /// Store the edit as this new revision.
    NewRevision(RevisionNumber),
}

/// Decides what saving `edited` over `current` (revision `number`) means: an edit is always a
/// new revision, never an update in place, so papers that used the old revision keep it.
///
/// # Errors
/// [`RevisionError::TooManyRevisions`] past `u32::MAX`.
pub fn plan_edit(
    current: &Question,
    number: RevisionNumber,
    edited: &Question,
) -> Result<EditOutcome, RevisionError> {
    if current == edited {
        Ok(EditOutcome::Unchanged)
    } else {
        number.next().map(EditOutcome::NewRevision)
    }
}

/// Checks that a revision may be deleted (e.g. discarding a mistaken import): only while no
/// paper uses it.
///
/// # Errors
/// [`RevisionError::UsedByPapers`] when `papers_using_it > 0`.
pub fn ensure_deletable(papers_using_it: u64) -> Result<(), RevisionError> {
    if papers_using_it == 0 {
        Ok(())
    } else {
        Err(RevisionError::UsedByPapers {
            papers: papers_using_it,
        })
    }
}

/// Why a revision or status change is refused.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[error("{}", self.message(Lang::En))]
pub enum RevisionError {
    /// Papers use the revision.
    UsedByPapers {
        /// How many papers use it.
        papers: u64,
    },
    /// Retiring a retired question.
    AlreadyRetired,
    /// Reinstating an active question.
    NotRetired,
    /// The revision counter is exhausted.
    TooManyRevisions,
}

impl Localized for RevisionError {
    fn message(&self, lang: Lang) -> String {
        match self {
            Self::UsedByPapers { papers } => {
                render(lang, key::REVISION_USED_BY_PAPERS, &[("papers", papers)])
            }
            Self::AlreadyRetired => render(lang, key::REVISION_ALREADY_RETIRED, &[]),
            Self::NotRetired => render(lang, key::REVISION_NOT_RETIRED, &[]),
            Self::TooManyRevisions => render(lang, key::REVISION_TOO_MANY_REVISIONS, &[]),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::question::QuestionDraft;
    use crate::question::tests::single_draft;

    #[test]
    fn retiring_and_reinstating_follow_the_status_machine() {
        assert_eq!(QuestionStatus::Active.retire(), Ok(QuestionStatus::Retired));
        assert_eq!(
            QuestionStatus::Retired.retire(),
            Err(RevisionError::AlreadyRetired)
        );
        assert_eq!(
            QuestionStatus::Retired.reinstate(),
            Ok(QuestionStatus::Active)
        );
        assert_eq!(
            QuestionStatus::Active.reinstate(),
            Err(RevisionError::NotRetired)
        );
        assert!(QuestionStatus::Active.is_drawable());
        assert!(!QuestionStatus::Retired.is_drawable());
        assert_eq!(
            QuestionStatus::parse("retired"),
            Some(QuestionStatus::Retired)
        );
    }

    #[test]
    fn an_edit_creates_the_next_revision_and_an_unchanged_save_creates_none() {
        let q = Question::from_draft(&single_draft()).unwrap();
        let edited = Question::from_draft(&QuestionDraft {
            stem: "改过的题干".into(),
            ..single_draft()
        })
        .unwrap();
        let r2 = RevisionNumber::new(2).unwrap();
        assert_eq!(
            plan_edit(&q, RevisionNumber::FIRST, &edited),
            Ok(EditOutcome::NewRevision(r2))
        );
        assert_eq!(
            plan_edit(&q, RevisionNumber::FIRST, &q.clone()),
            Ok(EditOutcome::Unchanged)
        );
        assert_eq!(
            RevisionNumber::new(u32::MAX).unwrap().next(),
            Err(RevisionError::TooManyRevisions)
        );
        assert_eq!(RevisionNumber::new(0), None);
    }

    #[test]
    fn a_revision_used_by_a_paper_cannot_be_deleted() {
        assert_eq!(ensure_deletable(0), Ok(()));
        let e = ensure_deletable(3).unwrap_err();
        assert_eq!(e, RevisionError::UsedByPapers { papers: 3 });
        assert!(e.message(Lang::Zh).contains("3 份试卷"));
    }
}
