//! 集体讨论决定 — the review meeting's collective decision on one exam plan.
//!
//! The rule (DESIGN.md §3): a resolution needs a quorum — by default at least two thirds of the
//! committee attend *and* cast a vote on the plan — and a majority of the votes cast. Precisely:
//!
//! - every member who cast a vote on the plan counts as present, an abstention included;
//! - the quorum is met when `present ≥ ⌈committee × numerator / denominator⌉` (and at least one
//!   member is present);
//! - abstentions count toward the quorum but not toward the majority: an option wins when it holds
//!   more than half of the approve / reject / return votes;
//! - otherwise the plan stays undecided, with the reason ([`UndecidedReason`]).
//!
//! This module owns the arithmetic only. Who may vote, the agenda, comments, and freezing the
//! minutes when the meeting closes are the service's business; it stores at most one vote per
//! member and plan, so [`resolve`] counts a member's last vote if given several.

use std::cmp::Reverse;
use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use super::{Lang, Localized, locale};
use crate::i18n::{Locale, td_string};

/// 表决意见 — what a committee member votes on a plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    /// 同意 — approve the plan.
    Approve,
    /// 不同意 — reject the plan.
    Reject,
    /// 退回修改 — return the plan to the agency for revision.
    Return,
    /// 弃权 — abstain: present for the quorum, not counted in the majority.
    Abstain,
}

impl Choice {
    /// Chinese label: 同意, 不同意, 退回修改, 弃权 (`procedure.choice_*` of the locale files).
    pub fn label_zh(self) -> &'static str {
        self.label_in(Locale::zh)
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        self.label_in(Locale::en)
    }

    fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Approve => td_string!(locale, procedure.choice_approve),
            Self::Reject => td_string!(locale, procedure.choice_reject),
            Self::Return => td_string!(locale, procedure.choice_return),
            Self::Abstain => td_string!(locale, procedure.choice_abstain),
        }
    }
}

impl fmt::Display for Choice {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_zh())
    }
}

/// One member's vote on one plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    /// The committee member (account id).
    pub member: i32,
    /// The member's choice.
    pub choice: Choice,
}

/// The quorum as a share of the committee that must be present, `numerator / denominator`,
/// strictly above 0 and at most 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "(u32, u32)", into = "(u32, u32)")]
pub struct Quorum {
    numerator: u32,
    denominator: u32,
}

/// Why a quorum share was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum QuorumError {
    /// Not a fraction in (0, 1].
    NotAShare {
        /// The numerator given.
        numerator: u32,
        /// The denominator given.
        denominator: u32,
    },
}

impl Localized for QuorumError {
    fn message(&self, lang: Lang) -> String {
        match self {
            Self::NotAShare {
                numerator,
                denominator,
            } => td_string!(
                locale(lang),
                procedure.quorum_not_a_share,
                numerator = numerator,
                denominator = denominator
            )
            .to_string(),
        }
    }
}

english_display!(QuorumError);

impl Quorum {
    /// A quorum of `numerator / denominator` of the committee.
    ///
    /// # Errors
    /// [`QuorumError::NotAShare`] unless `0 < numerator ≤ denominator`.
    pub fn new(numerator: u32, denominator: u32) -> Result<Self, QuorumError> {
        if numerator == 0 || numerator > denominator {
            return Err(QuorumError::NotAShare {
                numerator,
                denominator,
            });
        }
        Ok(Self {
            numerator,
            denominator,
        })
    }

    /// Two thirds of the committee: the default.
    pub const fn two_thirds() -> Self {
        Self {
            numerator: 2,
            denominator: 3,
        }
    }

    /// The numerator.
    pub fn numerator(self) -> u32 {
        self.numerator
    }

    /// The denominator.
    pub fn denominator(self) -> u32 {
        self.denominator
    }

    /// How many members must be present: `⌈committee_size × numerator / denominator⌉`, at
    /// least 1.
    pub fn required(self, committee_size: u32) -> u32 {
        let product = u64::from(committee_size) * u64::from(self.numerator);
        let required = product.div_ceil(u64::from(self.denominator)).max(1);
        u32::try_from(required).unwrap_or(u32::MAX)
    }

    /// Whether `present` members out of `committee_size` make a quorum.
    pub fn is_met(self, present: u32, committee_size: u32) -> bool {
        present >= self.required(committee_size)
    }
}

impl Default for Quorum {
    fn default() -> Self {
        Self::two_thirds()
    }
}

impl fmt::Display for Quorum {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.numerator, self.denominator)
    }
}

impl TryFrom<(u32, u32)> for Quorum {
    type Error = QuorumError;
    fn try_from((numerator, denominator): (u32, u32)) -> Result<Self, Self::Error> {
        Self::new(numerator, denominator)
    }
}

impl From<Quorum> for (u32, u32) {
    fn from(q: Quorum) -> Self {
        (q.numerator, q.denominator)
    }
}

/// The configurable decision rule of the review meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct DecisionRule {
    /// Share of the committee that must be present and vote (default two thirds).
    pub quorum: Quorum,
}

/// 计票 — the count of the votes on one plan (one per member).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Tally {
    /// 同意.
    pub approvals: u32,
    /// 不同意.
    pub rejections: u32,
    /// 退回修改.
    pub returns: u32,
    /// 弃权.
    pub abstentions: u32,
}

impl Tally {
    /// Members who voted, abstentions included: those present for the quorum.
    pub fn present(&self) -> u32 {
        self.cast() + self.abstentions
    }

    /// Votes that count toward the majority: everything but abstentions.
    pub fn cast(&self) -> u32 {
        self.approvals + self.rejections + self.returns
    }

    fn add(&mut self, choice: Choice) {
        let slot = match choice {
            Choice::Approve => &mut self.approvals,
            Choice::Reject => &mut self.rejections,
            Choice::Return => &mut self.returns,
            Choice::Abstain => &mut self.abstentions,
        };
        *slot += 1;
    }
}

/// Why a plan stays undecided.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum UndecidedReason {
    /// Fewer members voted than the quorum requires.
    NoQuorum {
        /// Members who voted.
        present: u32,
        /// Members required.
        required: u32,
    },
    /// Everyone present abstained.
    NoVotes,
    /// The two leading options have the same number of votes.
    Tie,
    /// The leading option holds no more than half of the votes cast.
    NoMajority,
    /// More members voted than the committee has: the input is inconsistent, nothing is decided.
    TooManyVoters {
        /// Distinct members who voted.
        voters: u32,
        /// Size of the committee.
        committee_size: u32,
    },
}

impl Localized for UndecidedReason {
    fn message(&self, lang: Lang) -> String {
        let locale = locale(lang);
        match *self {
            Self::NoQuorum { present, required } => td_string!(
                locale,
                procedure.undecided_no_quorum,
                present = present,
                required = required
            )
            .to_string(),
            Self::NoVotes => td_string!(locale, procedure.undecided_no_votes).to_owned(),
            Self::Tie => td_string!(locale, procedure.undecided_tie).to_owned(),
            Self::NoMajority => td_string!(locale, procedure.undecided_no_majority).to_owned(),
            Self::TooManyVoters {
                voters,
                committee_size,
            } => td_string!(
                locale,
                procedure.undecided_too_many_voters,
                voters = voters,
                committee_size = committee_size
            )
            .to_string(),
        }
    }
}

/// The outcome for one plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", content = "reason", rename_all = "snake_case")]
pub enum Outcome {
    /// 通过 — the plan is approved.
    Approved,
    /// 不予通过 — the plan is rejected.
    Rejected,
    /// 退回修改 — the plan goes back to the agency for revision.
    Returned,
    /// 未形成决议 — no resolution; the reason says why.
    Undecided(UndecidedReason),
}

impl Outcome {
    /// Chinese label: 通过, 不予通过, 退回修改, 未形成决议 (`procedure.outcome_*` of the locale
    /// files).
    pub fn label_zh(self) -> &'static str {
        let locale = Locale::zh;
        match self {
            Self::Approved => td_string!(locale, procedure.outcome_approved),
            Self::Rejected => td_string!(locale, procedure.outcome_rejected),
            Self::Returned => td_string!(locale, procedure.outcome_returned),
            Self::Undecided(_) => td_string!(locale, procedure.outcome_undecided),
        }
    }
}

/// 决议 — the resolution on one plan: its outcome and the count behind it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Resolution {
    outcome: Outcome,
    tally: Tally,
}

impl Resolution {
    /// The outcome.
    pub fn outcome(&self) -> Outcome {
        self.outcome
    }

    /// The count of the votes.
    pub fn tally(&self) -> Tally {
        self.tally
    }

    /// Whether the plan is approved.
    pub fn is_approved(&self) -> bool {
        self.outcome == Outcome::Approved
    }
}

/// Resolves the votes cast on one plan by a committee of `committee_size` members.
///
/// A member who appears several times in `votes` counts once, with the last vote given. The
/// outcome is never `Approved`, `Rejected` or `Returned` without a quorum, and never one of them
/// without more than half of the non-abstaining votes; see the module documentation.
pub fn resolve(committee_size: u32, votes: &[Vote], rule: &DecisionRule) -> Resolution {
    let by_member: BTreeMap<i32, Choice> = votes.iter().map(|v| (v.member, v.choice)).collect();
    let mut tally = Tally::default();
    for &choice in by_member.values() {
        tally.add(choice);
    }
    let outcome = match undecided(committee_size, &tally, rule) {
        Some(reason) => Outcome::Undecided(reason),
        None => majority(&tally),
    };
    Resolution { outcome, tally }
}

/// The reason the count cannot decide anything, before looking at the majority.
fn undecided(committee_size: u32, tally: &Tally, rule: &DecisionRule) -> Option<UndecidedReason> {
    let present = tally.present();
    if present > committee_size {
        return Some(UndecidedReason::TooManyVoters {
            voters: present,
            committee_size,
        });
    }
    if !rule.quorum.is_met(present, committee_size) {
        return Some(UndecidedReason::NoQuorum {
            present,
            required: rule.quorum.required(committee_size),
        });
    }
    if tally.cast() == 0 {
        return Some(UndecidedReason::NoVotes);
    }
    None
}

/// The option holding more than half of the votes cast, or why there is none.
fn majority(tally: &Tally) -> Outcome {
    let mut counts = [
        (tally.approvals, Outcome::Approved),
        (tally.rejections, Outcome::Rejected),
        (tally.returns, Outcome::Returned),
    ];
    counts.sort_by_key(|&(votes, _)| Reverse(votes));
    let [(first, outcome), (second, _), _] = counts;
    if first == second {
        Outcome::Undecided(UndecidedReason::Tie)
    } else if u64::from(first) * 2 > u64::from(tally.cast()) {
        outcome
    } else {
        Outcome::Undecided(UndecidedReason::NoMajority)
    }
}

#[cfg(test)]
// `allow`, not `expect`: it must stay quiet once app gets a clippy.toml with
// `allow-unwrap-in-tests` like question-bank's.
#[allow(
    clippy::unwrap_used,
    reason = "tests: a failed unwrap is a failed test"
)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    /// Votes by members 1, 2, 3… in order.
    fn votes(choices: &[Choice]) -> Vec<Vote> {
        choices
            .iter()
            .zip(1..)
            .map(|(&choice, member)| Vote { member, choice })
            .collect()
    }

    fn outcome(size: u32, choices: &[Choice]) -> Outcome {
        resolve(size, &votes(choices), &DecisionRule::default()).outcome()
    }

    use Choice::{Abstain as B, Approve as A, Reject as R, Return as T};

    #[test]
    fn a_majority_with_a_quorum_approves_the_plan() {
        let r = resolve(5, &votes(&[A, A, A, R]), &DecisionRule::default());
        assert_eq!(r.outcome(), Outcome::Approved);
        assert!(r.is_approved());
        assert_eq!(
            r.tally(),
            Tally {
                approvals: 3,
                rejections: 1,
                returns: 0,
                abstentions: 0
            }
        );
        assert_eq!(outcome(5, &[R, R, A, B]), Outcome::Rejected);
        assert_eq!(
            outcome(5, &[T, T, A, R]),
            Outcome::Undecided(UndecidedReason::NoMajority)
        );
        assert_eq!(outcome(5, &[T, T, T, A]), Outcome::Returned);
    }

    #[test]
    fn without_a_quorum_nothing_is_decided_even_if_unanimous() {
        assert_eq!(
            outcome(9, &[A, A, A, A, A]),
            Outcome::Undecided(UndecidedReason::NoQuorum {
                present: 5,
                required: 6
            })
        );
        assert_eq!(
            outcome(9, &[]),
            Outcome::Undecided(UndecidedReason::NoQuorum {
                present: 0,
                required: 6
            })
        );
        assert_eq!(
            outcome(0, &[]),
            Outcome::Undecided(UndecidedReason::NoQuorum {
                present: 0,
                required: 1
            })
        );
    }

    #[test]
    fn exactly_two_thirds_of_the_committee_make_a_quorum() {
        assert_eq!(outcome(9, &[A, A, A, A, A, R]), Outcome::Approved);
        assert_eq!(Quorum::two_thirds().required(9), 6);
        assert!(Quorum::two_thirds().is_met(6, 9));
        assert!(!Quorum::two_thirds().is_met(5, 9));
        // Rounding up: two thirds of 7 is 4.67, so 5 are needed.
        assert_eq!(Quorum::two_thirds().required(7), 5);
    }

    #[test]
    fn abstentions_count_toward_the_quorum_but_not_the_majority() {
        // 6 of 9 present; 2 approve, 1 rejects, 3 abstain: 2 of 3 cast votes is a majority.
        assert_eq!(outcome(9, &[A, A, R, B, B, B]), Outcome::Approved);
        assert_eq!(
            outcome(9, &[B, B, B, B, B, B]),
            Outcome::Undecided(UndecidedReason::NoVotes)
        );
    }

    #[test]
    fn a_tie_leaves_the_plan_undecided() {
        assert_eq!(
            outcome(6, &[A, A, R, R]),
            Outcome::Undecided(UndecidedReason::Tie)
        );
        assert_eq!(
            outcome(6, &[A, A, T, T, B]),
            Outcome::Undecided(UndecidedReason::Tie)
        );
    }

    #[test]
    fn half_of_the_votes_cast_is_not_a_majority() {
        assert_eq!(
            outcome(6, &[A, A, R, T]),
            Outcome::Undecided(UndecidedReason::NoMajority)
        );
    }

    #[test]
    fn a_member_voting_twice_counts_once_with_the_last_vote() {
        let vs = [
            Vote {
                member: 1,
                choice: R,
            },
            Vote {
                member: 2,
                choice: A,
            },
            Vote {
                member: 1,
                choice: A,
            },
        ];
        let r = resolve(3, &vs, &DecisionRule::default());
        assert_eq!(r.tally().present(), 2);
        assert_eq!(r.outcome(), Outcome::Approved);
    }

    #[test]
    fn more_voters_than_members_decides_nothing() {
        assert_eq!(
            outcome(2, &[A, A, A]),
            Outcome::Undecided(UndecidedReason::TooManyVoters {
                voters: 3,
                committee_size: 2
            })
        );
    }

    #[test]
    fn the_quorum_share_is_configurable_and_validated() {
        let half = DecisionRule {
            quorum: Quorum::new(1, 2).unwrap(),
        };
        assert!(resolve(10, &votes(&[A, A, A, R, B]), &half).is_approved());
        assert_eq!(
            Quorum::new(0, 3),
            Err(QuorumError::NotAShare {
                numerator: 0,
                denominator: 3
            })
        );
        assert!(Quorum::new(4, 3).is_err());
        assert!(Quorum::new(1, 0).is_err());
        assert_eq!(
            serde_json::to_string(&Quorum::two_thirds()).unwrap(),
            "[2,3]"
        );
        assert!(serde_json::from_str::<Quorum>("[3,2]").is_err());
    }

    #[test]
    fn reasons_explain_themselves_in_both_languages() {
        let r = UndecidedReason::NoQuorum {
            present: 5,
            required: 6,
        };
        assert!(r.message(Lang::Zh).contains("法定人数 6 人"));
        assert!(r.message(Lang::En).contains("quorum of 6"));
        assert!(
            QuorumError::NotAShare {
                numerator: 0,
                denominator: 3
            }
            .message(Lang::Zh)
            .contains("0/3")
        );
    }

    fn choice() -> impl Strategy<Value = Choice> {
        prop_oneof![Just(A), Just(R), Just(T), Just(B)]
    }

    fn quorum() -> impl Strategy<Value = Quorum> {
        (1u32..=10, 0u32..=10).prop_map(|(d, n)| Quorum::new(n.clamp(1, d), d).unwrap())
    }

    proptest! {
        #[test]
        fn one_more_approval_keeps_an_approved_plan_approved(
            size in 1u32..=15,
            choices in prop::collection::vec(choice(), 0..15),
            quorum in quorum(),
        ) {
            let rule = DecisionRule { quorum };
            let mut vs = votes(&choices);
            prop_assume!(vs.len() < size as usize);
            if resolve(size, &vs, &rule).is_approved() {
                vs.push(Vote { member: 100, choice: A });
                prop_assert!(resolve(size, &vs, &rule).is_approved());
            }
        }

        #[test]
        fn no_decision_is_ever_taken_without_a_quorum_and_a_majority(
            size in 0u32..=15,
            raw in prop::collection::vec((1i32..=20, choice()), 0..25),
            quorum in quorum(),
        ) {
            let vs: Vec<Vote> = raw.iter().map(|&(member, choice)| Vote { member, choice }).collect();
            let r = resolve(size, &vs, &DecisionRule { quorum });
            let t = r.tally();
            let winner = match r.outcome() {
                Outcome::Approved => Some(t.approvals),
                Outcome::Rejected => Some(t.rejections),
                Outcome::Returned => Some(t.returns),
                Outcome::Undecided(_) => None,
            };
            if let Some(votes_for) = winner {
                prop_assert!(t.present() <= size);
                prop_assert!(
                    u64::from(t.present()) * u64::from(quorum.denominator())
                        >= u64::from(size) * u64::from(quorum.numerator())
                );
                prop_assert!(t.present() >= 1);
                prop_assert!(votes_for * 2 > t.cast());
            }
        }

        #[test]
        fn the_order_of_the_votes_does_not_matter(
            choices in prop::collection::vec(choice(), 0..12),
            seed in any::<u64>(),
        ) {
            let vs = votes(&choices);
            let mut shuffled = vs.clone();
            // A cheap deterministic permutation driven by the seed.
            let len = shuffled.len();
            for i in 0..len {
                let j = (seed.wrapping_mul(i as u64 + 1) % len as u64) as usize;
                shuffled.swap(i, j);
            }
            let rule = DecisionRule::default();
            prop_assert_eq!(resolve(12, &vs, &rule), resolve(12, &shuffled, &rule));
        }
    }
}
