//! 评分 — scoring a candidate's answers to their paper.
//!
//! Answers are given as the candidate saw the paper: by question number (from 1 across the
//! paper) and by *displayed* option position (0 = the first option shown, labelled A). Scoring
//! maps each position back through the paper's permutation to the author's option and compares
//! with the answer key, under the section's [`ScoringRule`]. A malformed answer (a position that
//! does not exist, a true/false answer to a choice question, two options on a 单选题) scores 0;
//! it is never an error. Answers to numbers not on the paper are ignored. This module stores
//! nothing and never exposes the key: only points and an [`Outcome`] per question come out.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::blueprint::ScoringRule;
use crate::classify::QuestionType;
use crate::paper::{Paper, PaperError};
use crate::points::Points;
use crate::snapshot::{BankSnapshot, QuestionRef};

/// One answer, as the candidate gave it.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Response {
    /// The displayed positions chosen (0 = the first option shown). One for 单选题.
    Choices(Vec<u8>),
    /// 正确 (`true`) or 错误 (`false`), for 判断题.
    TrueFalse(bool),
}

/// 作答 — a candidate's answers by question number. JSON: `{"1": {"choices": [2]}, …}`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Answers(BTreeMap<u32, Response>);

impl Answers {
    /// No answers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Records the answer to question `number`, returning the one it replaces.
    pub fn insert(&mut self, number: u32, response: Response) -> Option<Response> {
        self.0.insert(number, response)
    }

    /// The answer to question `number`.
    pub fn get(&self, number: u32) -> Option<&Response> {
        self.0.get(&number)
    }

    /// Number of questions answered.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether nothing is answered.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl FromIterator<(u32, Response)> for Answers {
    fn from_iter<I: IntoIterator<Item = (u32, Response)>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

/// How one question went.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// 正确 — full points.
    Correct,
    /// 少选 — some correct options and no wrong one, under partial credit.
    Partial,
    /// 错误 — a wrong or malformed answer (or an incomplete one under all-or-nothing).
    Wrong,
    /// 未作答.
    Unanswered,
}

/// The score of one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemScore {
    /// 题号, from 1.
    pub number: u32,
    /// The question revision.
    pub question: QuestionRef,
    /// What the question is worth.
    pub possible: Points,
    /// What the answer earned.
    pub earned: Points,
    /// How it went.
    pub outcome: Outcome,
}

/// 成绩 — the score of a paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    /// Points earned.
    pub total: Points,
    /// The paper's points.
    pub possible: Points,
    /// The paper's pass mark.
    pub pass_mark: Points,
    /// `total ≥ pass_mark`.
    pub passed: bool,
    /// Per question, in paper order.
    pub items: Vec<ItemScore>,
}

/// Scores `answers` to `paper` against the questions of `snapshot`.
///
/// # Errors
/// [`PaperError`] if the snapshot lacks one of the paper's revisions or does not fit it.
pub fn score(
    paper: &Paper,
    snapshot: &BankSnapshot,
    answers: &Answers,
) -> Result<Score, PaperError> {
    let mut total = Points::ZERO;
    let mut items = Vec::with_capacity(paper.question_count());
    for (number, section, item) in paper.items() {
        let q = Paper::resolve(number, section, item, snapshot)?;
        let possible = section.points_per_question();
        let (outcome, earned) = match answers.get(number) {
            None => (Outcome::Unanswered, Points::ZERO),
            Some(response) => mark(
                section.question_type(),
                section.scoring(),
                possible,
                q.answer_key(),
                item.option_order(),
                response,
            ),
        };
        total = total.checked_add(earned).unwrap_or(total);
        items.push(ItemScore {
            number,
            question: item.question(),
            possible,
            earned,
            outcome,
        });
    }
    Ok(Score {
        total,
        possible: paper.total_points(),
        pass_mark: paper.pass_mark(),
        passed: total >= paper.pass_mark(),
        items,
    })
}

/// The outcome and points of one response.
fn mark(
    question_type: QuestionType,
    scoring: ScoringRule,
    points: Points,
    key: &crate::answer::AnswerKey,
    option_order: &[u8],
    response: &Response,
) -> (Outcome, Points) {
    let wrong = (Outcome::Wrong, Points::ZERO);
    match (question_type, response) {
        (QuestionType::TrueFalse, Response::TrueFalse(given)) => {
            if key.as_true_false() == Some(*given) {
                (Outcome::Correct, points)
            } else {
                wrong
            }
        }
        (QuestionType::Single | QuestionType::Multiple, Response::Choices(shown)) => {
            // Back from displayed positions to the author's options.
            let mut chosen = 0u16;
            for &p in shown {
                match option_order.get(usize::from(p)) {
                    Some(&original) => chosen |= 1 << original,
                    None => return wrong,
                }
            }
            if chosen == 0 {
                return (Outcome::Unanswered, Points::ZERO);
            }
            let correct = key
                .correct_options()
                .into_iter()
                .fold(0u16, |m, i| m | (1 << i));
            if chosen & !correct != 0 {
                return wrong;
            }
            if chosen == correct {
                return (Outcome::Correct, points);
            }
            match (question_type, scoring) {
                (QuestionType::Multiple, ScoringRule::PartialCredit { per_option }) => {
                    let earned = per_option
                        .checked_mul(chosen.count_ones())
                        .map_or(points, |p| p.min(points));
                    (Outcome::Partial, earned)
                }
                _ => wrong,
            }
        }
        _ => wrong,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::AnswerKey;

    fn pts(h: u32) -> Points {
        Points::from_hundredths(h)
    }

    const PARTIAL: ScoringRule = ScoringRule::PartialCredit {
        per_option: Points::from_hundredths(50),
    };

    /// A 多选题 with correct options A, C, D (originals 0, 2, 3) of five, shown reversed:
    /// displayed position p is original 4 − p.
    fn multiple(scoring: ScoringRule, shown: &[u8]) -> (Outcome, Points) {
        let key = AnswerKey::choices([0, 2, 3]).unwrap();
        mark(
            QuestionType::Multiple,
            scoring,
            pts(200),
            &key,
            &[4, 3, 2, 1, 0],
            &Response::Choices(shown.to_vec()),
        )
    }

    #[test]
    fn all_or_nothing_gives_full_points_only_for_exactly_the_correct_options() {
        let all = ScoringRule::AllOrNothing;
        // Originals 0, 2, 3 are shown at 4, 2, 1.
        assert_eq!(multiple(all, &[4, 2, 1]), (Outcome::Correct, pts(200)));
        assert_eq!(multiple(all, &[1, 2, 4, 4]), (Outcome::Correct, pts(200)));
        assert_eq!(multiple(all, &[4, 2]), (Outcome::Wrong, Points::ZERO));
        assert_eq!(multiple(all, &[4, 2, 1, 0]), (Outcome::Wrong, Points::ZERO));
        // The author's letters are not the candidate's: A, C, D as displayed is wrong.
        assert_eq!(multiple(all, &[0, 2, 3]), (Outcome::Wrong, Points::ZERO));
    }

    #[test]
    fn partial_credit_pays_per_correct_option_and_nothing_once_a_wrong_one_is_chosen() {
        assert_eq!(multiple(PARTIAL, &[4]), (Outcome::Partial, pts(50)));
        assert_eq!(multiple(PARTIAL, &[4, 1]), (Outcome::Partial, pts(100)));
        assert_eq!(multiple(PARTIAL, &[4, 2, 1]), (Outcome::Correct, pts(200)));
        assert_eq!(
            multiple(PARTIAL, &[4, 2, 3]),
            (Outcome::Wrong, Points::ZERO)
        );
        assert_eq!(multiple(PARTIAL, &[0]), (Outcome::Wrong, Points::ZERO));
        assert_eq!(multiple(PARTIAL, &[]), (Outcome::Unanswered, Points::ZERO));
    }

    #[test]
    fn partial_credit_never_pays_more_than_the_question() {
        let generous = ScoringRule::PartialCredit {
            per_option: pts(150),
        };
        assert_eq!(multiple(generous, &[4, 2]), (Outcome::Partial, pts(200)));
    }

    #[test]
    fn malformed_answers_score_zero_without_error() {
        assert_eq!(multiple(PARTIAL, &[9]), (Outcome::Wrong, Points::ZERO));
        let key = AnswerKey::choices([1]).unwrap();
        let single = |r: Response| {
            mark(
                QuestionType::Single,
                PARTIAL,
                pts(100),
                &key,
                &[1, 0, 2, 3],
                &r,
            )
        };
        assert_eq!(single(Response::Choices(vec![0])).0, Outcome::Correct);
        assert_eq!(single(Response::Choices(vec![1])).0, Outcome::Wrong);
        assert_eq!(single(Response::Choices(vec![0, 1])).0, Outcome::Wrong);
        assert_eq!(single(Response::TrueFalse(true)).0, Outcome::Wrong);
    }

    #[test]
    fn true_false_compares_with_the_key_and_refuses_choices() {
        let key = AnswerKey::true_false(false);
        let tf = |r: Response| {
            mark(
                QuestionType::TrueFalse,
                ScoringRule::AllOrNothing,
                pts(100),
                &key,
                &[],
                &r,
            )
        };
        assert_eq!(tf(Response::TrueFalse(false)), (Outcome::Correct, pts(100)));
        assert_eq!(
            tf(Response::TrueFalse(true)),
            (Outcome::Wrong, Points::ZERO)
        );
        assert_eq!(
            tf(Response::Choices(vec![0])),
            (Outcome::Wrong, Points::ZERO)
        );
    }

    #[test]
    fn answers_travel_as_json_keyed_by_question_number() {
        let answers: Answers = [
            (1, Response::Choices(vec![2])),
            (3, Response::TrueFalse(true)),
        ]
        .into_iter()
        .collect();
        let json = serde_json::to_string(&answers).unwrap();
        assert_eq!(json, r#"{"1":{"choices":[2]},"3":{"true_false":true}}"#);
        assert_eq!(serde_json::from_str::<Answers>(&json).unwrap(), answers);
    }
}
