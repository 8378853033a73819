//! 评分 — scoring a candidate's answers to their paper.
//!
//! Answers are given as the candidate saw the paper: by question number (from 1 across the
//! paper) and by *displayed* option position (0 = the first option shown, labelled A). Scoring
//! maps each position back through the paper's permutation to the author's option and compares
//! with the answer key, under the section's [`ScoringRule`]. A malformed answer (a position that
//! does not exist, a true/false answer to a choice question, two options on a 单选题) scores 0;
//! it is never an error. Answers to numbers not on the paper are ignored. This module stores
//! nothing and never exposes the key: only points, an [`Outcome`] and the author's options
//! chosen ([`Chosen`]) per question come out.
//!
//! After the exam the office may decide about a question of the batch ([`ItemDecision`]): void
//! it (everyone whose paper held it gets its points, or it leaves the paper's total) or correct
//! its key. [`score_under`] applies those decisions; it is a pure function of the paper, the
//! bank snapshot, the answers and the decisions, so a batch re-scored at any time scores the
//! same.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::answer::AnswerKey;
use crate::blueprint::ScoringRule;
use crate::classify::{ExamScope, QuestionType};
use crate::legal_basis::law_key;
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

/// How one question went, by the key it was marked against (before any voiding).
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

/// What the candidate chose, in the author's terms: the item statistics count it per option.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Chosen {
    /// Nothing (or an empty selection).
    Nothing,
    /// The author's options chosen: bit `i` set ⇔ the author's option `i` (0 = A).
    Options(u16),
    /// 正确 or 错误.
    TrueFalse(bool),
    /// An answer that does not fit the question (a position not shown, the wrong kind of
    /// answer, two options on a 单选题).
    Malformed,
}

impl Chosen {
    /// Reads `response` to a question of `question_type` shown in `option_order`.
    fn read(question_type: QuestionType, option_order: &[u8], response: &Response) -> Self {
        match (question_type, response) {
            (QuestionType::TrueFalse, Response::TrueFalse(given)) => Self::TrueFalse(*given),
            (QuestionType::Single | QuestionType::Multiple, Response::Choices(shown)) => {
                let mut mask = 0u16;
                for &p in shown {
                    match option_order.get(usize::from(p)) {
                        Some(&original) if original < 16 => mask |= 1 << original,
                        _ => return Self::Malformed,
                    }
                }
                match mask.count_ones() {
                    0 => Self::Nothing,
                    n if n > 1 && question_type == QuestionType::Single => Self::Malformed,
                    _ => Self::Options(mask),
                }
            }
            _ => Self::Malformed,
        }
    }
}

/// 题目处理 — what the office decided about one question of a batch after the exam.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ItemDecision {
    /// 作废并给分 — void: everyone whose paper held it gets its points.
    VoidAward,
    /// 作废并不计分 — void: it leaves the paper's total, and the pass mark shrinks in
    /// proportion (the same share of the remaining points is needed to pass).
    VoidRemove,
    /// 更正答案 — scored against this key instead of the bank's.
    Rekey(AnswerKey),
}

/// The decisions of a batch, by question revision.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Decisions(BTreeMap<QuestionRef, ItemDecision>);

impl Decisions {
    /// No decisions: every question counts, against the bank's key.
    pub fn none() -> Self {
        Self::default()
    }

    /// Records the decision about `question`, returning the one it replaces.
    pub fn insert(
        &mut self,
        question: QuestionRef,
        decision: ItemDecision,
    ) -> Option<ItemDecision> {
        self.0.insert(question, decision)
    }

    /// The decision about `question`.
    pub fn get(&self, question: QuestionRef) -> Option<ItemDecision> {
        self.0.get(&question).copied()
    }

    /// The key `question` is marked against: the corrected one, or the bank's.
    pub fn key_of<'k>(&'k self, question: QuestionRef, bank_key: &'k AnswerKey) -> &'k AnswerKey {
        match self.0.get(&question) {
            Some(ItemDecision::Rekey(key)) => key,
            _ => bank_key,
        }
    }
}

impl FromIterator<(QuestionRef, ItemDecision)> for Decisions {
    fn from_iter<I: IntoIterator<Item = (QuestionRef, ItemDecision)>>(iter: I) -> Self {
        Self(iter.into_iter().collect())
    }
}

/// The score of one question.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ItemScore {
    /// 题号, from 1.
    pub number: u32,
    /// The question revision.
    pub question: QuestionRef,
    /// What the question is worth on the paper.
    pub worth: Points,
    /// What it counts for in the total: its worth, or 0 once voided out of the total.
    pub possible: Points,
    /// What the answer earned, after any voiding.
    pub earned: Points,
    /// What the answer earned against the key (the corrected key, if any), before voiding: the
    /// item statistics use this.
    pub marked: Points,
    /// How it went against the key.
    pub outcome: Outcome,
    /// What was chosen, in the author's terms.
    pub chosen: Chosen,
    /// Whether the question was voided.
    pub voided: bool,
}

/// Points earned out of points possible.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Subtotal {
    pub earned: Points,
    pub possible: Points,
}

impl Subtotal {
    fn add(&mut self, earned: Points, possible: Points) {
        self.earned = self.earned.checked_add(earned).unwrap_or(self.earned);
        self.possible = self.possible.checked_add(possible).unwrap_or(self.possible);
    }
}

/// 成绩 — the score of a paper.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Score {
    /// Points earned.
    pub total: Points,
    /// The paper's points (less any question voided out of the total).
    pub possible: Points,
    /// The points needed to pass: the paper's pass mark, shrunk in proportion when questions
    /// leave the total (rounded up to the hundredth).
    pub pass_mark: Points,
    /// `total ≥ pass_mark`.
    pub passed: bool,
    /// Per exam area (综合法律知识, 专业法律知识 of a field), in the order first met.
    pub areas: Vec<(ExamScope, Subtotal)>,
    /// Per law (the first law each question cites, as first written), in the order first met.
    pub laws: Vec<(String, Subtotal)>,
    /// Per question, in paper order.
    pub items: Vec<ItemScore>,
}

impl Score {
    /// The total against the key before any voiding: the item statistics rank by it.
    pub fn marked_total(&self) -> Points {
        self.items
            .iter()
            .fold(Points::ZERO, |t, i| t.checked_add(i.marked).unwrap_or(t))
    }
}

/// Scores `answers` to `paper` against the questions of `snapshot`, with no decisions.
///
/// # Errors
/// [`PaperError`] if the snapshot lacks one of the paper's revisions or does not fit it.
pub fn score(
    paper: &Paper,
    snapshot: &BankSnapshot,
    answers: &Answers,
) -> Result<Score, PaperError> {
    score_under(paper, snapshot, answers, &Decisions::none())
}

/// Scores `answers` to `paper` against the questions of `snapshot`, under the batch's
/// `decisions`.
///
/// # Errors
/// [`PaperError`] if the snapshot lacks one of the paper's revisions or does not fit it.
pub fn score_under(
    paper: &Paper,
    snapshot: &BankSnapshot,
    answers: &Answers,
    decisions: &Decisions,
) -> Result<Score, PaperError> {
    let mut total = Subtotal::default();
    let mut areas: Vec<(ExamScope, Subtotal)> = Vec::new();
    let mut laws: Vec<(String, Subtotal)> = Vec::new();
    let mut items = Vec::with_capacity(paper.question_count());
    for (number, section, item) in paper.items() {
        let q = Paper::resolve(number, section, item, snapshot)?;
        let question = item.question();
        let worth = section.points_per_question();
        let chosen = answers.get(number).map_or(Chosen::Nothing, |r| {
            Chosen::read(section.question_type(), item.option_order(), r)
        });
        let key = decisions.key_of(question, q.answer_key());
        let (outcome, marked) = mark(
            section.question_type(),
            section.scoring(),
            worth,
            key,
            chosen,
        );
        let decision = decisions.get(question);
        let (possible, earned) = match decision {
            Some(ItemDecision::VoidAward) => (worth, worth),
            Some(ItemDecision::VoidRemove) => (Points::ZERO, Points::ZERO),
            Some(ItemDecision::Rekey(_)) | None => (worth, marked),
        };
        total.add(earned, possible);
        let scope = q.scope();
        match areas.iter_mut().find(|(s, _)| s == scope) {
            Some((_, sub)) => sub.add(earned, possible),
            None => {
                let mut sub = Subtotal::default();
                sub.add(earned, possible);
                areas.push((scope.clone(), sub));
            }
        }
        let law = q.legal_basis().law_name();
        match laws.iter_mut().find(|(l, _)| law_key(l) == law_key(law)) {
            Some((_, sub)) => sub.add(earned, possible),
            None => {
                let mut sub = Subtotal::default();
                sub.add(earned, possible);
                laws.push((law.to_owned(), sub));
            }
        }
        items.push(ItemScore {
            number,
            question,
            worth,
            possible,
            earned,
            marked,
            outcome,
            chosen,
            voided: matches!(
                decision,
                Some(ItemDecision::VoidAward | ItemDecision::VoidRemove)
            ),
        });
    }
    let pass_mark = scaled_pass_mark(paper.pass_mark(), paper.total_points(), total.possible);
    Ok(Score {
        total: total.earned,
        possible: total.possible,
        pass_mark,
        passed: total.earned >= pass_mark,
        areas,
        laws,
        items,
    })
}

/// `pass_mark × possible ÷ paper_total`, rounded up to the hundredth: passing needs the same
/// share of what remains.
fn scaled_pass_mark(pass_mark: Points, paper_total: Points, possible: Points) -> Points {
    if possible == paper_total || paper_total.is_zero() {
        return pass_mark;
    }
    let scaled = (u64::from(pass_mark.hundredths()) * u64::from(possible.hundredths()))
        .div_ceil(u64::from(paper_total.hundredths()));
    Points::from_hundredths(u32::try_from(scaled).unwrap_or(u32::MAX))
}

/// The outcome and points of what was chosen, against `key`.
fn mark(
    question_type: QuestionType,
    scoring: ScoringRule,
    points: Points,
    key: &AnswerKey,
    chosen: Chosen,
) -> (Outcome, Points) {
    let wrong = (Outcome::Wrong, Points::ZERO);
    match chosen {
        Chosen::Nothing => (Outcome::Unanswered, Points::ZERO),
        Chosen::Malformed => wrong,
        Chosen::TrueFalse(given) => {
            if key.as_true_false() == Some(given) {
                (Outcome::Correct, points)
            } else {
                wrong
            }
        }
        Chosen::Options(chosen) => {
            if question_type == QuestionType::TrueFalse {
                return wrong;
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
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::answer::AnswerKey;

    /// Reads and marks one response, as scoring does.
    fn mark_response(
        question_type: QuestionType,
        scoring: ScoringRule,
        points: Points,
        key: &AnswerKey,
        option_order: &[u8],
        response: &Response,
    ) -> (Outcome, Points) {
        let chosen = Chosen::read(question_type, option_order, response);
        mark(question_type, scoring, points, key, chosen)
    }

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
        mark_response(
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
            mark_response(
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
            mark_response(
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
