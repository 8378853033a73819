//! 组卷 — assembling papers: deterministic, fair and reproducible.
//!
//! `paper = assemble(blueprint, bank snapshot, seed(batch secret, ticket))`. Everything random
//! comes from the [`Seed`]'s ChaCha8 stream through this crate's own sampling functions, so the
//! same inputs give the same paper on any machine, and a paper can be rebuilt for an appeal.
//!
//! # Steps
//! 1. [`PreparedPool::new`] indexes the snapshot once per batch (and per field, for 专业 papers):
//!    questions are sorted into cells of interchangeable questions (same section, same quotas
//!    met, same difficulty), the band of allowed difficulty sums is fixed, and an *anchor* — a
//!    paper shape known to meet every quota within the band — is found. If the blueprint's
//!    [`check`](crate::Blueprint::check) lists a problem, this fails with exactly those problems.
//! 2. Per paper: how many questions each cell gives is drawn quota-first, uniformly over the
//!    free questions; if the point-weighted mean difficulty is outside the tolerance, random
//!    quota-preserving exchanges move it in (bounded; falling back to the anchor's shape). Then
//!    the questions within each cell are chosen, the order within each section and the options
//!    of each question are shuffled.
//!
//! # Exposure control: per-batch decks
//! Questions should be used evenly across a batch. Two schemes are offered:
//! - **Batch (the default for exams)**: [`PreparedPool::assemble_batch`] assembles the batch's
//!   papers in ticket order. Each cell is a *deck*: shuffled once from the batch secret, dealt
//!   in order, reshuffled when exhausted. So within a cell no question is used twice before
//!   every other question of the cell has been used once: across the batch, the uses of any two
//!   questions of a cell differ by at most one. (How many questions a paper takes from each
//!   cell still follows the random draw, which spreads use evenly across cells in expectation.)
//!   Consecutive tickets take consecutive cards, so neighbours share few questions, and the
//!   batch also guarantees that adjacent tickets never get the same question order (if a paper
//!   came out in its predecessor's order, its first two questions are swapped). The price: a
//!   paper depends on the tickets before it, so [`PreparedPool::regenerate`] replays the batch
//!   up to the ticket — well under a second for 10,000 candidates — and needs the batch's ticket
//!   list in its original order, which the batch stores anyway. A batch assembled in chunks
//!   (one request each) need not replay: [`BatchAssembler::state`] after a chunk and
//!   [`PreparedPool::resume`] before the next carry the decks over (see [`BatchState`]).
//! - **Stateless**: [`PreparedPool::assemble`] depends on its own seed only: questions are drawn
//!   uniformly within each cell, so each question's expected exposure is equal (binomial
//!   spread), and any single paper can be made on demand (a make-up sitting) without the rest
//!   of the batch. Adjacent tickets then differ only with overwhelming probability.
//!
//! The batch scheme is preferred for exams because its evenness is a guarantee rather than an
//! expectation, and its reproducibility costs only the stored ticket order.
//!
//! A 专业 batch mixes fields, and each field has its own pool: prepare one [`PreparedPool`] per
//! field and assemble each field's tickets (in ticket order) as a batch of their own; store
//! which tickets formed each such group, as `regenerate` needs exactly that list.

pub(crate) mod plan;
mod seed;
mod state;

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::Sha256;
use thiserror::Error;

use crate::blueprint::Blueprint;
use crate::coverage::CoverageProblem;
use crate::lang::{Lang, Localized, join_sentences, key, render};
use crate::paper::{Paper, PaperItem, PaperSection};
use crate::snapshot::{BankSnapshot, QuestionRef};
use crate::text::EnforcementField;
use plan::{Picker, Plan, Policy};
use seed::{Rng, batch_rng, below, shuffle};

pub use seed::Seed;
pub use state::{BatchState, ResumeError};

/// The version of the assembly algorithm, stored in every paper. Any change to how papers are
/// drawn from a seed (this module, `seed.rs`, `plan.rs`) must raise it and keep the old version
/// available, or stored papers can no longer be regenerated.
pub const ALGORITHM: u32 = 1;

/// Why papers could not be assembled.
#[derive(Debug, Clone, PartialEq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[error("{}", self.message(Lang::En))]
pub enum AssemblyError {
    /// The blueprint cannot be met from this bank: the problems of its coverage report.
    Coverage {
        /// Every problem, as [`Blueprint::check`] reports them.
        problems: Vec<CoverageProblem>,
    },
    /// A ticket number twice in one batch.
    DuplicateTicket {
        /// The ticket number.
        ticket: String,
    },
    /// Regenerating a ticket that is not in the batch's list.
    TicketNotInBatch {
        /// The ticket number.
        ticket: String,
    },
    /// A broken internal invariant (a bug, never an input problem).
    Internal {
        /// What went wrong.
        detail: String,
    },
}

impl Localized for AssemblyError {
    fn message(&self, lang: Lang) -> String {
        match self {
            Self::Coverage { problems } => {
                join_sentences(lang, problems.iter().map(|p| p.message(lang)))
            }
            Self::DuplicateTicket { ticket } => {
                render(lang, key::ASSEMBLY_DUPLICATE_TICKET, &[("ticket", ticket)])
            }
            Self::TicketNotInBatch { ticket } => render(
                lang,
                key::ASSEMBLY_TICKET_NOT_IN_BATCH,
                &[("ticket", ticket)],
            ),
            Self::Internal { detail } => {
                render(lang, key::ASSEMBLY_INTERNAL, &[("detail", detail)])
            }
        }
    }
}

fn internal(detail: &str) -> AssemblyError {
    AssemblyError::Internal {
        detail: detail.to_owned(),
    }
}

/// A blueprint's pool, indexed once for a batch (for 专业 papers: once per field).
///
/// Build it once and assemble many papers against it: that is the fast path (tens of thousands
/// of papers per second per core).
#[derive(Debug, Clone, PartialEq)]
pub struct PreparedPool {
    plan: Plan,
}

impl PreparedPool {
    /// Indexes `snapshot` for `blueprint`; `field` is the candidates' enforcement field
    /// (required for 专业 blueprints, ignored for 综合 ones).
    ///
    /// # Errors
    /// [`AssemblyError::Coverage`] with the problems [`Blueprint::check`] reports, if any.
    pub fn new(
        blueprint: &Blueprint,
        snapshot: &BankSnapshot,
        field: Option<&EnforcementField>,
    ) -> Result<Self, AssemblyError> {
        let analysis = plan::analyse(blueprint, snapshot, field, 0);
        match analysis.plan {
            Some(plan) => Ok(Self { plan }),
            None => Err(AssemblyError::Coverage {
                problems: analysis.report.problems,
            }),
        }
    }

    /// SHA-256 (hex) of everything a paper depends on besides its seed: algorithm, blueprint
    /// figures, and every eligible question revision. Each paper stores it; a regeneration that
    /// yields a different fingerprint was made from a different bank or blueprint.
    pub fn fingerprint(&self) -> &str {
        &self.plan.fingerprint
    }

    /// Every question revision a paper may draw, in snapshot order.
    pub fn eligible(&self) -> impl Iterator<Item = QuestionRef> + '_ {
        self.plan.items.iter().map(|i| i.question)
    }

    /// The paper for `seed`, depending on nothing else (the stateless scheme, see the module
    /// docs).
    ///
    /// # Errors
    /// Only [`AssemblyError::Internal`], which a prepared pool rules out.
    pub fn assemble(&self, seed: &Seed) -> Result<Paper, AssemblyError> {
        self.make(seed, None)
    }

    /// A batch in progress: papers are dealt in ticket order from per-batch decks (the batch
    /// scheme, see the module docs).
    pub fn batch(&self, batch_secret: &[u8; 32]) -> BatchAssembler<'_> {
        BatchAssembler {
            pool: self,
            secret: *batch_secret,
            decks: Decks::new(&self.plan, batch_secret),
            previous: None,
            seen: HashSet::new(),
            tickets: state::ticket_hasher(),
        }
    }

    /// The papers of a batch, one per ticket, in ticket order.
    ///
    /// # Errors
    /// [`AssemblyError::DuplicateTicket`] if a ticket number repeats.
    pub fn assemble_batch<T: AsRef<str>>(
        &self,
        batch_secret: &[u8; 32],
        tickets: &[T],
    ) -> Result<Vec<Paper>, AssemblyError> {
        unique(tickets)?;
        let mut batch = self.batch(batch_secret);
        tickets
            .iter()
            .map(|t| batch.next_paper(t.as_ref()))
            .collect()
    }

    /// The paper [`assemble_batch`](Self::assemble_batch) gave `ticket`, by replaying the batch
    /// (`tickets` as they were, in the same order) up to it.
    ///
    /// # Errors
    /// [`AssemblyError::DuplicateTicket`]; [`AssemblyError::TicketNotInBatch`].
    pub fn regenerate<T: AsRef<str>>(
        &self,
        batch_secret: &[u8; 32],
        tickets: &[T],
        ticket: &str,
    ) -> Result<Paper, AssemblyError> {
        unique(tickets)?;
        let mut batch = self.batch(batch_secret);
        for t in tickets {
            let paper = batch.next_paper(t.as_ref())?;
            if t.as_ref() == ticket {
                return Ok(paper);
            }
        }
        Err(AssemblyError::TicketNotInBatch {
            ticket: ticket.to_owned(),
        })
    }

    fn make(&self, seed: &Seed, mut decks: Option<&mut Decks>) -> Result<Paper, AssemblyError> {
        let plan = &self.plan;
        let mut rng = seed.rng();
        let mut st = plan::draw(&plan.sections, &mut Picker::Random(&mut rng))
            .ok_or_else(|| internal("the prepared pool ran short"))?;
        let mut moves = Vec::new();
        let steered = plan::steer(
            &plan.sections,
            &mut st,
            plan.band,
            &mut Policy::Random(&mut rng),
            plan.max_steps,
            &mut moves,
        );
        if !steered {
            st = plan.anchor.clone();
        }

        let mut sections = Vec::with_capacity(plan.sections.len());
        let mut chosen: Vec<u32> = Vec::new();
        let mut first_cell = 0;
        for (s, sec) in plan.sections.iter().enumerate() {
            chosen.clear();
            let counts = st
                .counts
                .get(s)
                .ok_or_else(|| internal("missing section counts"))?;
            for (c, (cell, &m)) in sec.cells.iter().zip(counts).enumerate() {
                if m == 0 {
                    continue;
                }
                let start = chosen.len();
                match decks.as_deref_mut() {
                    Some(d) => d.deal(first_cell + c, cell.size(), m, &mut chosen),
                    None => sample(&mut rng, cell.size(), m, &mut chosen),
                }
                for p in chosen.iter_mut().skip(start) {
                    *p = *cell
                        .items
                        .get(*p as usize)
                        .ok_or_else(|| internal("a cell position out of range"))?;
                }
            }
            first_cell += sec.cells.len();
            if chosen.len() != sec.count as usize {
                return Err(internal("a section came out short"));
            }
            shuffle(&mut rng, &mut chosen);
            let mut items = Vec::with_capacity(chosen.len());
            for &i in &chosen {
                let item = plan
                    .items
                    .get(i as usize)
                    .ok_or_else(|| internal("an item index out of range"))?;
                let mut order: Vec<u8> = (0..item.options).collect();
                shuffle(&mut rng, &mut order);
                items.push(PaperItem::new(item.question, order));
            }
            sections.push(PaperSection::new(
                sec.question_type,
                sec.points_per_question,
                sec.scoring,
                items,
            ));
        }
        let mean = st.sum as f64 / plan.total_weight.max(1) as f64;
        Ok(Paper::new(
            plan.fingerprint.clone(),
            sections,
            plan.total_points,
            plan.pass_mark,
            mean,
        ))
    }
}

/// Appends `m` distinct positions below `size`, uniformly (Floyd's algorithm).
fn sample(rng: &mut Rng, size: u32, m: u32, out: &mut Vec<u32>) {
    let start = out.len();
    for j in size.saturating_sub(m)..size {
        // Below j + 1 ≤ size: fits in u32.
        let t = below(rng, u64::from(j) + 1) as u32;
        let pick = if out.get(start..).is_some_and(|taken| taken.contains(&t)) {
            j
        } else {
            t
        };
        out.push(pick);
    }
}

fn unique<T: AsRef<str>>(tickets: &[T]) -> Result<(), AssemblyError> {
    let mut seen = HashSet::with_capacity(tickets.len());
    for t in tickets {
        if !seen.insert(t.as_ref()) {
            return Err(AssemblyError::DuplicateTicket {
                ticket: t.as_ref().to_owned(),
            });
        }
    }
    Ok(())
}

/// One deck per cell: a shuffled order of the cell's questions and how far it has been dealt.
#[derive(Clone)]
struct Decks {
    rng: Rng,
    decks: Vec<Deck>,
}

#[derive(Clone, Default)]
struct Deck {
    order: Vec<u32>,
    next: usize,
}

impl Decks {
    fn new(plan: &Plan, batch_secret: &[u8; 32]) -> Self {
        let cells = plan.sections.iter().map(|s| s.cells.len()).sum();
        Self {
            rng: batch_rng(batch_secret),
            decks: vec![Deck::default(); cells],
        }
    }

    /// Deals `m` positions of cell `cell` (of `size` questions) onto `out`: the least recently
    /// dealt first. A reshuffle in the middle puts this paper's earlier cards last, so no
    /// question is dealt twice to one paper (`m ≤ size`).
    fn deal(&mut self, cell: usize, size: u32, m: u32, out: &mut Vec<u32>) {
        let Some(deck) = self.decks.get_mut(cell) else {
            return;
        };
        let start = out.len();
        for _ in 0..m {
            if deck.next >= deck.order.len() {
                if deck.order.is_empty() {
                    deck.order = (0..size).collect();
                }
                shuffle(&mut self.rng, &mut deck.order);
                if let Some(taken) = out.get(start..)
                    && !taken.is_empty()
                {
                    deck.order.sort_by_key(|p| taken.contains(p));
                }
                deck.next = 0;
            }
            if let Some(&p) = deck.order.get(deck.next) {
                out.push(p);
                deck.next += 1;
            }
        }
    }
}

/// A batch being assembled in ticket order; see [`PreparedPool::batch`].
pub struct BatchAssembler<'p> {
    pool: &'p PreparedPool,
    secret: [u8; 32],
    decks: Decks,
    previous: Option<Vec<QuestionRef>>,
    seen: HashSet<String>,
    /// SHA-256 over the tickets dealt so far, in order (see [`BatchState`]).
    tickets: Sha256,
}

impl fmt::Debug for BatchAssembler<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchAssembler")
            .field("pool", &self.pool.fingerprint())
            .field("assembled", &self.seen.len())
            .finish_non_exhaustive()
    }
}

impl BatchAssembler<'_> {
    /// The next ticket's paper.
    ///
    /// # Errors
    /// [`AssemblyError::DuplicateTicket`] if this ticket already has a paper in this batch.
    pub fn next_paper(&mut self, ticket_no: &str) -> Result<Paper, AssemblyError> {
        if !self.seen.insert(ticket_no.to_owned()) {
            return Err(AssemblyError::DuplicateTicket {
                ticket: ticket_no.to_owned(),
            });
        }
        state::hash_ticket(&mut self.tickets, ticket_no);
        let seed = Seed::derive(&self.secret, ticket_no);
        let mut paper = self.pool.make(&seed, Some(&mut self.decks))?;
        let mut order = paper.question_order();
        if self.previous.as_ref() == Some(&order) && paper.swap_first_pair() {
            order = paper.question_order();
        }
        self.previous = Some(order);
        Ok(paper)
    }

    /// Papers assembled so far.
    pub fn assembled(&self) -> usize {
        self.seen.len()
    }
}

/// One paper from its own seed: [`PreparedPool::new`] then [`PreparedPool::assemble`]. For
/// more than one paper, prepare the pool once.
///
/// # Errors
/// [`AssemblyError::Coverage`] if the blueprint cannot be met from the bank.
pub fn assemble(
    blueprint: &Blueprint,
    snapshot: &BankSnapshot,
    field: Option<&EnforcementField>,
    seed: &Seed,
) -> Result<Paper, AssemblyError> {
    PreparedPool::new(blueprint, snapshot, field)?.assemble(seed)
}

/// A batch's papers in ticket order: [`PreparedPool::new`] then
/// [`PreparedPool::assemble_batch`].
///
/// # Errors
/// [`AssemblyError::Coverage`]; [`AssemblyError::DuplicateTicket`].
pub fn assemble_batch<T: AsRef<str>>(
    blueprint: &Blueprint,
    snapshot: &BankSnapshot,
    field: Option<&EnforcementField>,
    batch_secret: &[u8; 32],
    tickets: &[T],
) -> Result<Vec<Paper>, AssemblyError> {
    PreparedPool::new(blueprint, snapshot, field)?.assemble_batch(batch_secret, tickets)
}

/// One ticket's batch paper again, for an appeal: [`PreparedPool::new`] then
/// [`PreparedPool::regenerate`].
///
/// # Errors
/// [`AssemblyError::Coverage`]; [`AssemblyError::DuplicateTicket`];
/// [`AssemblyError::TicketNotInBatch`].
pub fn regenerate<T: AsRef<str>>(
    blueprint: &Blueprint,
    snapshot: &BankSnapshot,
    field: Option<&EnforcementField>,
    batch_secret: &[u8; 32],
    tickets: &[T],
    ticket: &str,
) -> Result<Paper, AssemblyError> {
    PreparedPool::new(blueprint, snapshot, field)?.regenerate(batch_secret, tickets, ticket)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floyd_sampling_gives_distinct_positions_in_range() {
        let mut rng = Seed::from_bytes([5; 32]).rng();
        for (size, m) in [(10, 10), (10, 3), (1, 1), (500, 40)] {
            let mut out = vec![999_999];
            sample(&mut rng, size, m, &mut out);
            let drawn = &out[1..];
            assert_eq!(drawn.len(), m as usize);
            assert!(drawn.iter().all(|&p| p < size));
            let distinct: HashSet<_> = drawn.iter().collect();
            assert_eq!(distinct.len(), drawn.len());
        }
    }

    #[test]
    fn a_deck_deals_every_card_once_per_round_and_never_twice_to_one_paper() {
        let mut decks = Decks {
            rng: batch_rng(&[6; 32]),
            decks: vec![Deck::default()],
        };
        let mut uses = [0u32; 7];
        // Papers of 3 from a deck of 7: rounds end in the middle of papers.
        for _ in 0..70 {
            let mut paper = Vec::new();
            decks.deal(0, 7, 3, &mut paper);
            let distinct: HashSet<_> = paper.iter().collect();
            assert_eq!(distinct.len(), 3, "{paper:?}");
            for p in paper {
                uses[p as usize] += 1;
            }
        }
        // 210 cards = 30 full rounds: every card exactly 30 times.
        assert_eq!(uses, [30; 7]);
    }
}
