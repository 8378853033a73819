//! 试题分析 — item statistics of a batch, and the distribution of its scores.
//!
//! Papers differ per candidate, so every statistic of a question is computed over the
//! candidates whose paper held it. A question is measured by what it earned against the key
//! (the corrected key, if any) before any voiding ([`ItemScore::marked`]): a voided question
//! keeps the statistics that got it voided. Candidates are ranked by their total of those
//! points.
//!
//! - **Facility** (难度/通过率): the mean share of the question's points earned.
//! - **Discrimination** (区分度): the corrected item–rest correlation — Pearson's correlation
//!   between the question's points and the candidate's other points (for a right/wrong question
//!   the point-biserial on the rest score). `None` when either does not vary.
//! - **Upper–lower index** (高低分组鉴别指数): facility among the top 27 % of those candidates
//!   by total, less facility among the bottom 27 % (ties broken by the order given).
//! - **Options**: how many chose each of the author's options (or 正确/错误).
//! - **Reliability** (信度): KR-20 / Cronbach's α, `k/(k−1) · (1 − Σσ²ᵢ / σ²ₓ)` with population
//!   variances. With one paper for all this is the textbook formula; with papers that differ,
//!   `Σσ²ᵢ` is each candidate's sum over the questions of their own paper, averaged, and `k` the
//!   mean paper length.
//!
//! A question is flagged ([`Flag`]) when its discrimination is negative or near zero, its
//! facility near 0 or 1, or a wrong option drew more candidates than the key.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::classify::QuestionType;
use crate::scoring::{Chosen, Decisions, ItemScore};
use crate::snapshot::{BankSnapshot, QuestionRef};

/// Below this, discrimination is "near zero".
pub const DISCRIMINATION_FLOOR: f64 = 0.10;
/// Below this facility a question is flagged as too hard.
pub const FACILITY_FLOOR: f64 = 0.10;
/// Above this facility a question is flagged as too easy.
pub const FACILITY_CEILING: f64 = 0.95;
/// The share of candidates in each of the upper and lower groups.
pub const GROUP_SHARE: f64 = 0.27;

/// Why a question looks faulty.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Flag {
    /// Stronger candidates did worse on it than weaker ones.
    NegativeDiscrimination,
    /// It hardly separates stronger from weaker candidates.
    LowDiscrimination,
    /// Almost nobody earned its points.
    TooHard,
    /// Almost everybody earned its points.
    TooEasy,
    /// A wrong option drew more candidates than the key (the least chosen correct option of
    /// a 多选题). `option`: the author's option (0 = A); for 判断题 0 = 正确, 1 = 错误.
    DistractorOverKey { option: u8 },
}

/// The statistics of one question.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ItemStats {
    pub question: QuestionRef,
    pub question_type: QuestionType,
    /// Candidates whose paper held it.
    pub candidates: u32,
    /// Mean share of its points earned, 0–1.
    pub facility: f64,
    /// Corrected item–rest correlation, −1–1.
    pub discrimination: Option<f64>,
    /// Upper 27 % facility less lower 27 % facility, −1–1.
    pub upper_lower: Option<f64>,
    /// Candidates choosing each of the author's options (0 = A); for 判断题 `[正确, 错误]`.
    pub chosen: Vec<u32>,
    /// Candidates who left it unanswered.
    pub unanswered: u32,
    /// Candidates whose answer did not fit the question.
    pub malformed: u32,
    /// What looks faulty.
    pub flags: Vec<Flag>,
}

/// The statistics of a batch.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// Scored attempts.
    pub candidates: u32,
    /// KR-20 / Cronbach's α.
    pub reliability: Option<f64>,
    /// Every question used, by question revision.
    pub items: Vec<ItemStats>,
}

impl Analysis {
    /// The statistics of `question`.
    pub fn item(&self, question: QuestionRef) -> Option<&ItemStats> {
        self.items
            .binary_search_by_key(&question, |i| i.question)
            .ok()
            .and_then(|at| self.items.get(at))
    }
}

/// One candidate's observation of one question.
struct Observation {
    attempt: usize,
    /// Share of the question's points earned, 0–1.
    share: f64,
    /// Points earned against the key.
    points: f64,
    chosen: Chosen,
}

/// Computes the item statistics of the attempts, each given by its items' scores; options
/// are counted against the questions of `snapshot` and the keys of `decisions`.
pub fn analyse<'a>(
    attempts: impl IntoIterator<Item = &'a [ItemScore]>,
    snapshot: &BankSnapshot,
    decisions: &Decisions,
) -> Analysis {
    let attempts: Vec<&[ItemScore]> = attempts.into_iter().collect();
    let totals: Vec<f64> = attempts
        .iter()
        .map(|items| items.iter().map(|i| i.marked.as_f64()).sum())
        .collect();
    let mut by_question: BTreeMap<QuestionRef, Vec<Observation>> = BTreeMap::new();
    for (attempt, items) in attempts.iter().enumerate() {
        for item in *items {
            let worth = item.worth.as_f64();
            let points = item.marked.as_f64();
            by_question
                .entry(item.question)
                .or_default()
                .push(Observation {
                    attempt,
                    share: if worth > 0.0 { points / worth } else { 0.0 },
                    points,
                    chosen: item.chosen,
                });
        }
    }
    let mut variances: BTreeMap<QuestionRef, f64> = BTreeMap::new();
    let items = by_question
        .iter()
        .map(|(&question, obs)| {
            let points: Vec<f64> = obs.iter().map(|o| o.points).collect();
            variances.insert(question, population_variance(&points));
            item_stats(question, obs, &totals, snapshot, decisions)
        })
        .collect();
    Analysis {
        candidates: count(attempts.len()),
        reliability: reliability(&attempts, &totals, &variances),
        items,
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn item_stats(
    question: QuestionRef,
    obs: &[Observation],
    totals: &[f64],
    snapshot: &BankSnapshot,
    decisions: &Decisions,
) -> ItemStats {
    let shares: Vec<f64> = obs.iter().map(|o| o.share).collect();
    let rests: Vec<f64> = obs
        .iter()
        .map(|o| totals.get(o.attempt).copied().unwrap_or(0.0) - o.points)
        .collect();
    let facility = mean(&shares).unwrap_or(0.0);
    let discrimination = correlation(&shares, &rests);
    let upper_lower = upper_lower(obs, totals);

    let bank = snapshot.get(question);
    let question_type = bank.map_or(QuestionType::Single, |q| q.question_type());
    let option_count = match question_type {
        QuestionType::TrueFalse => 2,
        _ => bank.map_or(0, |q| q.options().len()),
    };
    let mut chosen = vec![0u32; option_count];
    let (mut unanswered, mut malformed) = (0u32, 0u32);
    for o in obs {
        match o.chosen {
            Chosen::Nothing => unanswered += 1,
            Chosen::Malformed => malformed += 1,
            Chosen::TrueFalse(given) => {
                if let Some(c) = chosen.get_mut(usize::from(!given)) {
                    *c += 1;
                }
            }
            Chosen::Options(mask) => {
                for (i, c) in chosen.iter_mut().enumerate() {
                    if i < 16 && mask & (1 << i) != 0 {
                        *c += 1;
                    }
                }
            }
        }
    }

    let mut flags = Vec::new();
    match discrimination {
        Some(d) if d < 0.0 => flags.push(Flag::NegativeDiscrimination),
        Some(d) if d < DISCRIMINATION_FLOOR => flags.push(Flag::LowDiscrimination),
        _ => {}
    }
    if !obs.is_empty() {
        if facility < FACILITY_FLOOR {
            flags.push(Flag::TooHard);
        } else if facility > FACILITY_CEILING {
            flags.push(Flag::TooEasy);
        }
    }
    if let Some(q) = bank {
        let key = decisions.key_of(question, q.answer_key());
        let correct: Vec<usize> = match key.as_true_false() {
            Some(right) => vec![usize::from(!right)],
            None => key.correct_options(),
        };
        let least_key = correct.iter().filter_map(|&i| chosen.get(i)).min().copied();
        if let Some(least_key) = least_key {
            for (option, &n) in chosen.iter().enumerate() {
                if !correct.contains(&option) && n > least_key {
                    flags.push(Flag::DistractorOverKey {
                        option: u8::try_from(option).unwrap_or(u8::MAX),
                    });
                }
            }
        }
    }

    ItemStats {
        question,
        question_type,
        candidates: count(obs.len()),
        facility,
        discrimination,
        upper_lower,
        chosen,
        unanswered,
        malformed,
        flags,
    }
}

/// Upper-group facility less lower-group facility; groups of 27 % (at least one candidate)
/// by total, ties kept in the order given.
fn upper_lower(obs: &[Observation], totals: &[f64]) -> Option<f64> {
    if obs.len() < 2 {
        return None;
    }
    let mut ranked: Vec<&Observation> = obs.iter().collect();
    let total = |o: &Observation| totals.get(o.attempt).copied().unwrap_or(0.0);
    ranked.sort_by(|a, b| {
        total(b)
            .total_cmp(&total(a))
            .then(a.attempt.cmp(&b.attempt))
    });
    let group = ((ranked.len() as f64 * GROUP_SHARE).round() as usize).clamp(1, ranked.len() / 2);
    let share = |g: &[&Observation]| mean(&g.iter().map(|o| o.share).collect::<Vec<_>>());
    let upper = share(ranked.get(..group)?)?;
    let lower = share(ranked.get(ranked.len() - group..)?)?;
    Some(upper - lower)
}

fn reliability(
    attempts: &[&[ItemScore]],
    totals: &[f64],
    variances: &BTreeMap<QuestionRef, f64>,
) -> Option<f64> {
    if attempts.len() < 2 {
        return None;
    }
    let total_variance = population_variance(totals);
    let lengths: Vec<f64> = attempts.iter().map(|a| a.len() as f64).collect();
    let k = mean(&lengths)?;
    if total_variance <= 0.0 || k < 2.0 {
        return None;
    }
    let item_variance: Vec<f64> = attempts
        .iter()
        .map(|a| {
            a.iter()
                .map(|i| variances.get(&i.question).copied().unwrap_or(0.0))
                .sum()
        })
        .collect();
    let sum_of_item_variances = mean(&item_variance)?;
    Some(k / (k - 1.0) * (1.0 - sum_of_item_variances / total_variance))
}

/// The arithmetic mean; `None` of nothing.
pub fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

fn population_variance(values: &[f64]) -> f64 {
    mean(values).map_or(0.0, |m| {
        values.iter().map(|v| (v - m) * (v - m)).sum::<f64>() / values.len() as f64
    })
}

/// Pearson's correlation; `None` when either side does not vary.
fn correlation(x: &[f64], y: &[f64]) -> Option<f64> {
    let (mx, my) = (mean(x)?, mean(y)?);
    let (mut sxy, mut sxx, mut syy) = (0.0, 0.0, 0.0);
    for (a, b) in x.iter().zip(y) {
        sxy += (a - mx) * (b - my);
        sxx += (a - mx) * (a - mx);
        syy += (b - my) * (b - my);
    }
    let denominator = (sxx * syy).sqrt();
    (denominator > f64::EPSILON).then(|| sxy / denominator)
}

/// How a set of scores is spread.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Distribution {
    pub count: u32,
    pub mean: f64,
    pub median: f64,
    /// The sample standard deviation (n − 1); 0 for one score.
    pub standard_deviation: f64,
    pub min: f64,
    pub max: f64,
}

/// The distribution of `values`; `None` of nothing.
pub fn distribution(values: &[f64]) -> Option<Distribution> {
    let mean = mean(values)?;
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    let n = sorted.len();
    let median = if n % 2 == 1 {
        *sorted.get(n / 2)?
    } else {
        (sorted.get(n / 2 - 1)? + sorted.get(n / 2)?) / 2.0
    };
    let standard_deviation = if n > 1 {
        (sorted.iter().map(|v| (v - mean) * (v - mean)).sum::<f64>() / (n - 1) as f64).sqrt()
    } else {
        0.0
    };
    Some(Distribution {
        count: count(n),
        mean,
        median,
        standard_deviation,
        min: *sorted.first()?,
        max: *sorted.last()?,
    })
}

/// Counts of `values` in bins of `width` from 0 up to `top` (the last bin holds `top`):
/// `[0, w), [w, 2w), …, [top − w, top]`. Values outside are clamped into the end bins.
pub fn histogram(values: &[f64], width: f64, top: f64) -> Vec<u32> {
    if width <= 0.0 || top <= 0.0 {
        return Vec::new();
    }
    let bins = (top / width).ceil().max(1.0) as usize;
    let mut counts = vec![0u32; bins];
    for v in values {
        let at = ((v.clamp(0.0, top) / width).floor() as usize).min(bins - 1);
        if let Some(c) = counts.get_mut(at) {
            *c += 1;
        }
    }
    counts
}
