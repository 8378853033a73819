//! The prepared pool and the search that keeps a paper's difficulty within its band.
//!
//! Preparation sorts every eligible question of a section into a *cell*: questions that share a
//! group (the section's pool, or the outside scope of one quota), the set of the section's quotas
//! they count for, and a difficulty are interchangeable as far as the blueprint is concerned. A
//! paper is then decided in two steps: how many questions to take from each cell (the
//! combinatorial part: quotas and difficulty, a handful of cells), and which questions within
//! each cell (the fairness part: uniform at random, or least recently used across a batch).
//!
//! Counts are drawn quota-first, uniformly over the questions still free (so a question's chance
//! does not depend on how the pool is cut into cells), then *steered*: while the paper's
//! point-weighted difficulty sum lies outside the band, a random exchange of one question for one
//! of another cell that brings it strictly closer and breaks no quota is made. Each step strictly
//! shrinks the (integer) distance to the band and there is a hard step limit, so it always ends.
//! If it ends outside the band, the paper falls back to the *anchor*: counts found at
//! preparation that are known to lie within the band (the questions in each cell are still drawn
//! at random). Preparation reports the difficulty unreachable exactly when no anchor is found,
//! so assembly after a clean check never fails.

use std::collections::BTreeMap;

use sha2::{Digest, Sha256};

use super::seed::{Rng, Seed, below, hex};
use crate::blueprint::{Blueprint, ScoringRule, Selector};
use crate::classify::{ExamKind, ExamScope, QuestionType};
use crate::coverage::{
    CoverageProblem, CoverageReport, DifficultyCoverage, QuotaCoverage, SectionCoverage,
};
use crate::points::Points;
use crate::question::Question;
use crate::snapshot::{BankSnapshot, QuestionRef};
use crate::text::{EnforcementField, Tag};

/// Random starts tried when looking for an anchor, after the lowest and the highest paper.
const ANCHOR_TRIES: usize = 8;

/// One question of the pool.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Item {
    pub question: QuestionRef,
    pub options: u8,
}

/// Interchangeable questions: same group, same quotas met, same difficulty.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Cell {
    /// 0 = the section's pool; `g ≥ 1` = the outside scope of one quota.
    pub group: usize,
    /// Bit `k` set ⇔ these questions count for the section's quota `k` (pool quotas only).
    pub mask: u32,
    pub difficulty: u8,
    /// Indices into [`Plan::items`].
    pub items: Vec<u32>,
}

impl Cell {
    pub fn size(&self) -> u32 {
        u32::try_from(self.items.len()).unwrap_or(u32::MAX)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct PlanSection {
    pub question_type: QuestionType,
    pub points_per_question: Points,
    pub scoring: ScoringRule,
    /// Points per question in hundredths: the weight of one question in the difficulty sum.
    pub weight: u64,
    pub count: u32,
    pub cells: Vec<Cell>,
    /// Questions taken from each group: `[0]` from the pool, `[g]` exactly a quota's count.
    pub group_need: Vec<u32>,
    /// Minimum count per quota bit (0 for quotas met from outside the pool).
    pub quota_need: Vec<u32>,
    /// Cell indices by ascending difficulty.
    pub by_difficulty: Vec<usize>,
}

/// The band of allowed difficulty sums (Σ weight × difficulty), inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Band {
    pub lo: u64,
    pub hi: u64,
}

impl Band {
    fn new(target: f64, tolerance: f64, total_weight: u64) -> Self {
        let w = total_weight as f64;
        // A hair of slack so that a paper exactly on the edge, up to float rounding, counts.
        let eps = 1e-9 * w.max(1.0);
        let lo = ((target - tolerance) * w - eps).ceil().max(0.0);
        let hi = ((target + tolerance) * w + eps).floor().max(0.0);
        // Both are integral and far below 2^53: the conversions are exact.
        Self {
            lo: lo as u64,
            hi: hi as u64,
        }
    }

    fn distance(self, sum: u64) -> u64 {
        if sum < self.lo {
            self.lo - sum
        } else {
            sum.saturating_sub(self.hi)
        }
    }
}

/// How many questions each cell gives, with each quota's coverage and the difficulty sum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct State {
    pub counts: Vec<Vec<u32>>,
    cover: Vec<Vec<u32>>,
    pub sum: u64,
}

impl State {
    fn empty(sections: &[PlanSection]) -> Self {
        Self {
            counts: sections.iter().map(|s| vec![0; s.cells.len()]).collect(),
            cover: sections
                .iter()
                .map(|s| vec![0; s.quota_need.len()])
                .collect(),
            sum: 0,
        }
    }

    fn change(&mut self, sections: &[PlanSection], s: usize, c: usize, add: bool) {
        let (Some(sec), Some(counts), Some(cover)) = (
            sections.get(s),
            self.counts.get_mut(s),
            self.cover.get_mut(s),
        ) else {
            return;
        };
        let (Some(cell), Some(n)) = (sec.cells.get(c), counts.get_mut(c)) else {
            return;
        };
        let value = sec.weight * u64::from(cell.difficulty);
        if add {
            *n += 1;
            self.sum += value;
        } else {
            *n = n.saturating_sub(1);
            self.sum = self.sum.saturating_sub(value);
        }
        if cell.group == 0 {
            for (k, have) in cover.iter_mut().enumerate() {
                if cell.mask & (1 << k) != 0 {
                    if add {
                        *have += 1;
                    } else {
                        *have = have.saturating_sub(1);
                    }
                }
            }
        }
    }
}

/// How the first draw picks cells.
pub(crate) enum Picker<'r> {
    /// Uniformly over the free questions.
    Random(&'r mut Rng),
    /// The easiest free question.
    Lowest,
    /// The hardest free question.
    Highest,
}

impl Picker<'_> {
    fn pick(
        &mut self,
        sec: &PlanSection,
        counts: &[u32],
        eligible: impl Fn(&Cell) -> bool,
    ) -> Option<usize> {
        let free = |i: usize| {
            let cell = sec.cells.get(i)?;
            let n = counts.get(i).copied().unwrap_or(u32::MAX);
            (eligible(cell) && n < cell.size()).then(|| u64::from(cell.size() - n))
        };
        match self {
            Self::Random(rng) => {
                let total: u64 = (0..sec.cells.len()).filter_map(free).sum();
                if total == 0 {
                    return None;
                }
                let mut r = below(rng, total);
                for i in 0..sec.cells.len() {
                    if let Some(f) = free(i) {
                        if r < f {
                            return Some(i);
                        }
                        r -= f;
                    }
                }
                None
            }
            Self::Lowest => sec
                .by_difficulty
                .iter()
                .copied()
                .find(|&i| free(i).is_some()),
            Self::Highest => sec
                .by_difficulty
                .iter()
                .rev()
                .copied()
                .find(|&i| free(i).is_some()),
        }
    }
}

/// The first draw: outside-pool quotas, then pool quotas in order (each topped up to its
/// minimum), then the rest of each section from its pool. `None` if the pool is short (which a
/// clean coverage check rules out).
pub(crate) fn draw(sections: &[PlanSection], picker: &mut Picker<'_>) -> Option<State> {
    let mut st = State::empty(sections);
    for (s, sec) in sections.iter().enumerate() {
        for (g, &need) in sec.group_need.iter().enumerate().skip(1) {
            for _ in 0..need {
                let c = picker.pick(sec, st.counts.get(s)?, |c| c.group == g)?;
                st.change(sections, s, c, true);
            }
        }
        for (k, &need) in sec.quota_need.iter().enumerate() {
            let bit = 1u32 << k;
            while st.cover.get(s)?.get(k).copied().unwrap_or(0) < need {
                let c = picker.pick(sec, st.counts.get(s)?, |c| {
                    c.group == 0 && c.mask & bit != 0
                })?;
                st.change(sections, s, c, true);
            }
        }
        let have: u32 = sec
            .cells
            .iter()
            .zip(st.counts.get(s)?)
            .filter(|(c, _)| c.group == 0)
            .map(|(_, &n)| n)
            .sum();
        let need = sec.group_need.first().copied().unwrap_or(0);
        for _ in have..need {
            let c = picker.pick(sec, st.counts.get(s)?, |c| c.group == 0)?;
            st.change(sections, s, c, true);
        }
    }
    Some(st)
}

/// How [`steer`] chooses among the moves that bring the sum closer to the band.
pub(crate) enum Policy<'r> {
    /// The move landing closest to the band (then the smallest change, then the first).
    Deterministic,
    /// A random move, weighted by the number of question-for-question exchanges it stands for.
    Random(&'r mut Rng),
}

/// One question of cell `from` exchanged for one of cell `to`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Move {
    section: usize,
    from: usize,
    to: usize,
    new_distance: u64,
    delta: u64,
    weight: u64,
}

/// Exchanges questions until the sum lies in `band`; `false` if no exchange brings it closer
/// (or after `max_steps`). Never breaks a quota.
pub(crate) fn steer(
    sections: &[PlanSection],
    st: &mut State,
    band: Band,
    policy: &mut Policy<'_>,
    max_steps: usize,
    moves: &mut Vec<Move>,
) -> bool {
    for _ in 0..max_steps {
        let distance = band.distance(st.sum);
        if distance == 0 {
            return true;
        }
        let up = st.sum < band.lo;
        moves.clear();
        for (s, sec) in sections.iter().enumerate() {
            let (Some(counts), Some(cover)) = (st.counts.get(s), st.cover.get(s)) else {
                continue;
            };
            for (a, (ca, &na)) in sec.cells.iter().zip(counts).enumerate() {
                if na == 0 {
                    continue;
                }
                let lost = ca.mask;
                for (b, (cb, &nb)) in sec.cells.iter().zip(counts).enumerate() {
                    let better = if up {
                        cb.difficulty > ca.difficulty
                    } else {
                        cb.difficulty < ca.difficulty
                    };
                    if !better || cb.group != ca.group || nb >= cb.size() {
                        continue;
                    }
                    if !quotas_survive(lost & !cb.mask, cover, &sec.quota_need) {
                        continue;
                    }
                    let delta = sec.weight * u64::from(ca.difficulty.abs_diff(cb.difficulty));
                    let sum = if up {
                        st.sum + delta
                    } else {
                        st.sum.saturating_sub(delta)
                    };
                    let new_distance = band.distance(sum);
                    if new_distance < distance {
                        moves.push(Move {
                            section: s,
                            from: a,
                            to: b,
                            new_distance,
                            delta,
                            weight: u64::from(na) * u64::from(cb.size() - nb),
                        });
                    }
                }
            }
        }
        let chosen = match policy {
            Policy::Deterministic => moves
                .iter()
                .min_by_key(|m| (m.new_distance, m.delta))
                .copied(),
            Policy::Random(rng) => {
                let total: u64 = moves.iter().map(|m| m.weight).sum();
                let mut r = below(rng, total);
                moves
                    .iter()
                    .find(|m| {
                        if r < m.weight {
                            true
                        } else {
                            r -= m.weight;
                            false
                        }
                    })
                    .copied()
            }
        };
        let Some(m) = chosen else {
            return false;
        };
        st.change(sections, m.section, m.from, false);
        st.change(sections, m.section, m.to, true);
    }
    band.distance(st.sum) == 0
}

/// Whether losing one question counting for each quota in `lost` keeps every quota met.
fn quotas_survive(lost: u32, cover: &[u32], need: &[u32]) -> bool {
    let mut rest = lost;
    while rest != 0 {
        let k = rest.trailing_zeros() as usize;
        if cover.get(k).copied().unwrap_or(0) <= need.get(k).copied().unwrap_or(0) {
            return false;
        }
        rest &= rest - 1;
    }
    true
}

/// A prepared pool: cells, band and anchor. See the module docs.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Plan {
    pub sections: Vec<PlanSection>,
    pub items: Vec<Item>,
    pub band: Band,
    pub total_weight: u64,
    pub anchor: State,
    pub fingerprint: String,
    pub total_points: Points,
    pub pass_mark: Points,
    pub max_steps: usize,
}

/// The coverage report, and the plan when the report lists no problem.
pub(crate) struct Analysis {
    pub report: CoverageReport,
    pub plan: Option<Plan>,
}

enum Resolved<'a> {
    /// Counts questions of the section's pool matching the predicate.
    Pool(Predicate<'a>),
    /// Draws exactly the quota's count from this other scope.
    Outside(ExamScope),
}

enum Predicate<'a> {
    All,
    Law(&'a str),
    Tag(&'a Tag),
}

impl Predicate<'_> {
    fn matches(&self, q: &Question) -> bool {
        match self {
            Self::All => true,
            Self::Law(law) => q.legal_basis().cites(law),
            Self::Tag(tag) => q.tags().contains(tag),
        }
    }
}

fn resolve<'a>(
    selector: &'a Selector,
    pool: Option<&ExamScope>,
    field: Option<&EnforcementField>,
) -> Resolved<'a> {
    let scope = match selector {
        Selector::Law(law) => return Resolved::Pool(Predicate::Law(law)),
        Selector::Tag(tag) => return Resolved::Pool(Predicate::Tag(tag)),
        Selector::General => ExamScope::General,
        Selector::Field(f) => ExamScope::Professional(f.clone()),
        Selector::CandidateField => match field {
            Some(f) => ExamScope::Professional(f.clone()),
            // Only reachable without a field, which is reported on its own.
            None => return Resolved::Pool(Predicate::All),
        },
    };
    if pool == Some(&scope) {
        Resolved::Pool(Predicate::All)
    } else {
        Resolved::Outside(scope)
    }
}

fn ratio(needed: f64, available: usize) -> Option<f64> {
    (available > 0).then(|| needed / available as f64)
}

fn round(x: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (x * scale).round() / scale
}

/// Checks `blueprint` against `snapshot` and prepares the pool if nothing stands in the way.
pub(crate) fn analyse(
    blueprint: &Blueprint,
    snapshot: &BankSnapshot,
    field: Option<&EnforcementField>,
    candidates: usize,
) -> Analysis {
    let professional = blueprint.exam_kind() == ExamKind::Professional;
    let field = if professional { field } else { None };
    let pool_scope = if professional {
        field.cloned().map(ExamScope::Professional)
    } else {
        Some(ExamScope::General)
    };
    let mut problems = Vec::new();
    if pool_scope.is_none() {
        problems.push(CoverageProblem::FieldRequired);
    }
    let views = |exposure: Option<f64>| exposure.map(|e| round(e * candidates as f64, 2));
    let share = |exposure: Option<f64>| exposure.map(|e| round(e, 4));

    let mut items: Vec<Item> = Vec::new();
    let mut sections = Vec::new();
    let mut coverage = Vec::new();
    for (i, section) in blueprint.sections().iter().enumerate() {
        let n = i + 1;
        let t = section.question_type;
        let resolved: Vec<Resolved<'_>> = section
            .quotas
            .iter()
            .map(|q| resolve(&q.selector, pool_scope.as_ref(), field))
            .collect();
        let mut group_of = vec![0usize; resolved.len()];
        let mut group_need = vec![0u32];
        for (k, r) in resolved.iter().enumerate() {
            if matches!(r, Resolved::Outside(_)) {
                group_need.push(section.quotas.get(k).map_or(0, |q| q.count));
                group_of[k] = group_need.len() - 1;
            }
        }
        let outside: u32 = group_need.iter().skip(1).sum();
        let pool_need = section.count.saturating_sub(outside);
        if let Some(first) = group_need.first_mut() {
            *first = pool_need;
        }
        let quota_need: Vec<u32> = section
            .quotas
            .iter()
            .zip(&resolved)
            .map(|(q, r)| match r {
                Resolved::Pool(_) => q.count,
                Resolved::Outside(_) => 0,
            })
            .collect();

        let mut cells: BTreeMap<(usize, u32, u8), Vec<u32>> = BTreeMap::new();
        let mut quota_available = vec![0usize; resolved.len()];
        let mut pool_available = 0usize;
        for (r, q) in snapshot.entries() {
            if q.question_type() != t {
                continue;
            }
            let key = if Some(q.scope()) == pool_scope.as_ref() {
                let mut mask = 0u32;
                for (k, res) in resolved.iter().enumerate() {
                    if let Resolved::Pool(p) = res
                        && p.matches(q)
                    {
                        mask |= 1 << k;
                        quota_available[k] += 1;
                    }
                }
                pool_available += 1;
                (0, mask, q.difficulty().get())
            } else if let Some(k) = resolved
                .iter()
                .position(|res| matches!(res, Resolved::Outside(s) if s == q.scope()))
            {
                quota_available[k] += 1;
                (group_of[k], 0, q.difficulty().get())
            } else {
                continue;
            };
            let Ok(index) = u32::try_from(items.len()) else {
                continue;
            };
            items.push(Item {
                question: *r,
                options: u8::try_from(q.options().len()).unwrap_or(u8::MAX),
            });
            cells.entry(key).or_default().push(index);
        }

        let shortfall = (pool_need as usize).saturating_sub(pool_available);
        if shortfall > 0 && pool_scope.is_some() {
            problems.push(CoverageProblem::SectionShortfall {
                section: n,
                question_type: t,
                needed: pool_need,
                available: pool_available,
                shortfall,
            });
        }
        let section_exposure = ratio(f64::from(pool_need), pool_available);
        let mut quotas = Vec::new();
        for (k, (quota, res)) in section.quotas.iter().zip(&resolved).enumerate() {
            let available = quota_available[k];
            let shortfall = (quota.count as usize).saturating_sub(available);
            let external = matches!(res, Resolved::Outside(_));
            if shortfall > 0 && pool_scope.is_some() {
                problems.push(CoverageProblem::QuotaShortfall {
                    section: n,
                    question_type: t,
                    quota: k + 1,
                    selector: quota.selector.clone(),
                    needed: quota.count,
                    available,
                    shortfall,
                });
            }
            let exposure = ratio(f64::from(quota.count), available).map(|e| {
                if external {
                    e
                } else {
                    e.max(section_exposure.unwrap_or(0.0))
                }
            });
            quotas.push(QuotaCoverage {
                quota: k + 1,
                selector: quota.selector.clone(),
                needed: quota.count,
                available,
                shortfall,
                external,
                exposure: share(exposure),
                views_per_question: views(exposure),
            });
        }
        coverage.push(SectionCoverage {
            section: n,
            question_type: t,
            count: section.count,
            points_per_question: section.points_per_question,
            points: section.points(),
            needed: pool_need,
            available: pool_available,
            shortfall,
            exposure: share(section_exposure),
            views_per_question: views(section_exposure),
            quotas,
        });

        let cells: Vec<Cell> = cells
            .into_iter()
            .map(|((group, mask, difficulty), items)| Cell {
                group,
                mask,
                difficulty,
                items,
            })
            .collect();
        let mut by_difficulty: Vec<usize> = (0..cells.len()).collect();
        by_difficulty.sort_by_key(|&c| (cells.get(c).map_or(0, |c| c.difficulty), c));
        sections.push(PlanSection {
            question_type: t,
            points_per_question: section.points_per_question,
            scoring: section.scoring,
            weight: u64::from(section.points_per_question.hundredths()),
            count: section.count,
            cells,
            group_need,
            quota_need,
            by_difficulty,
        });
    }

    let total_weight: u64 = sections.iter().map(|s| s.weight * u64::from(s.count)).sum();
    let band = Band::new(
        blueprint.target_difficulty(),
        blueprint.tolerance(),
        total_weight,
    );
    let question_count = blueprint.question_count();
    let max_steps = 8 * question_count as usize + 64;
    let mean = |st: &State| round(st.sum as f64 / total_weight.max(1) as f64, 4);

    let mut difficulty = None;
    let mut plan = None;
    if problems.is_empty() {
        let fingerprint = fingerprint(&sections, &items, band, blueprint);
        let extremes =
            draw(&sections, &mut Picker::Lowest).zip(draw(&sections, &mut Picker::Highest));
        if let Some((mut lowest, mut highest)) = extremes {
            let mut moves = Vec::new();
            let floor = Band { lo: 0, hi: 0 };
            let ceiling = Band {
                lo: u64::MAX,
                hi: u64::MAX,
            };
            let det = &mut Policy::Deterministic;
            steer(&sections, &mut lowest, floor, det, max_steps, &mut moves);
            steer(&sections, &mut highest, ceiling, det, max_steps, &mut moves);
            let anchor = find_anchor(&sections, band, max_steps, &lowest, &highest, &fingerprint);
            difficulty = Some(DifficultyCoverage {
                target: blueprint.target_difficulty(),
                tolerance: blueprint.tolerance(),
                lowest: mean(&lowest),
                highest: mean(&highest),
                achievable: anchor.is_some(),
            });
            match anchor {
                Some(anchor) => {
                    plan = Some(Plan {
                        sections,
                        items,
                        band,
                        total_weight,
                        anchor,
                        fingerprint: hex(&fingerprint),
                        total_points: blueprint.total_points(),
                        pass_mark: blueprint.pass_mark(),
                        max_steps,
                    });
                }
                None => problems.push(CoverageProblem::DifficultyUnreachable {
                    target: blueprint.target_difficulty(),
                    tolerance: blueprint.tolerance(),
                    lowest: mean(&lowest),
                    highest: mean(&highest),
                }),
            }
        }
    }

    Analysis {
        report: CoverageReport {
            blueprint: blueprint.name().to_owned(),
            exam_kind: blueprint.exam_kind(),
            field: field.cloned(),
            candidates,
            total_points: blueprint.total_points(),
            pass_mark: blueprint.pass_mark(),
            question_count,
            sections: coverage,
            difficulty,
            problems,
        },
        plan,
    }
}

/// Counts of an in-band paper: from the lowest paper steered up, the highest steered down, or
/// a few random papers steered either way (all deterministic).
fn find_anchor(
    sections: &[PlanSection],
    band: Band,
    max_steps: usize,
    lowest: &State,
    highest: &State,
    fingerprint: &[u8; 32],
) -> Option<State> {
    let mut moves = Vec::new();
    for start in [lowest, highest] {
        let mut st = start.clone();
        if steer(
            sections,
            &mut st,
            band,
            &mut Policy::Deterministic,
            max_steps,
            &mut moves,
        ) {
            return Some(st);
        }
    }
    let mut rng = Seed::from_bytes(*fingerprint).rng();
    for _ in 0..ANCHOR_TRIES {
        let mut st = draw(sections, &mut Picker::Random(&mut rng))?;
        if steer(
            sections,
            &mut st,
            band,
            &mut Policy::Random(&mut rng),
            max_steps,
            &mut moves,
        ) {
            return Some(st);
        }
    }
    None
}

/// SHA-256 of everything a paper depends on besides its seed: the algorithm, the blueprint's
/// figures and every eligible question revision with its cell. Stored in each paper, so that a
/// regeneration from a different bank or blueprint is detected rather than silently different.
fn fingerprint(
    sections: &[PlanSection],
    items: &[Item],
    band: Band,
    blueprint: &Blueprint,
) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(b"question-bank/pool/v1\0");
    h.update(super::ALGORITHM.to_le_bytes());
    h.update(band.lo.to_le_bytes());
    h.update(band.hi.to_le_bytes());
    h.update(blueprint.pass_mark().hundredths().to_le_bytes());
    for sec in sections {
        h.update(sec.question_type.as_str().as_bytes());
        h.update(sec.count.to_le_bytes());
        h.update(sec.weight.to_le_bytes());
        match sec.scoring {
            ScoringRule::AllOrNothing => h.update([0u8]),
            ScoringRule::PartialCredit { per_option } => {
                h.update([1u8]);
                h.update(per_option.hundredths().to_le_bytes());
            }
        }
        for &n in sec.group_need.iter().chain(&sec.quota_need) {
            h.update(n.to_le_bytes());
        }
        h.update((sec.cells.len() as u64).to_le_bytes());
        for cell in &sec.cells {
            h.update((cell.group as u64).to_le_bytes());
            h.update(cell.mask.to_le_bytes());
            h.update([cell.difficulty]);
            h.update((cell.items.len() as u64).to_le_bytes());
            for item in cell.items.iter().filter_map(|&i| items.get(i as usize)) {
                h.update(item.question.question_id.to_le_bytes());
                h.update(item.question.revision_id.to_le_bytes());
                h.update([item.options]);
            }
        }
    }
    h.finalize().into()
}
