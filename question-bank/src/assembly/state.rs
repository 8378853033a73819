//! 组卷断点 — a batch's dealing paused between chunks, and taken up again.
//!
//! In the batch scheme a paper depends on every paper dealt before it (the decks), so a big
//! batch assembled in chunks, one request each, would otherwise replay the decks over every
//! paper already made, and each chunk would cost more than the last. [`BatchAssembler::state`]
//! captures what the next paper depends on and [`PreparedPool::resume`] takes it up again:
//! dealing tickets `0..k`, saving the state, resuming and dealing `k..n` gives exactly the
//! papers of dealing `0..n` in one go.
//!
//! What the next paper depends on, and so all the state holds:
//! - per deck (cell of the pool): its current order of positions within the cell and how far
//!   that order has been dealt;
//! - the position in the ChaCha8 stream that reshuffles the decks (the stream's key comes from
//!   the batch secret, which the state never holds);
//! - the previous paper's question order (adjacent tickets never get the same order);
//! - how many tickets were dealt and a SHA-256 of their numbers in order, so that resuming
//!   against another ticket list is refused, and a ticket dealt before is still a duplicate;
//! - the pool's fingerprint and a tag of the batch secret (a SHA-256 under its own domain, from
//!   which the secret cannot be recovered), so that a state is never taken up by another pool
//!   or another batch.
//!
//! Cell positions and question ids only: no answer key, no seed, no secret. Each paper's own
//! stream is derived from the secret and its ticket, so it needs no state.
//!
//! This module must not start afresh quietly: a state that does not fit the pool, the batch or
//! the tickets is a [`ResumeError`].

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use thiserror::Error;

use super::seed::{batch_rng, hex};
use super::{BatchAssembler, Deck, Decks, PreparedPool};
use crate::lang::{Lang, Localized, key, render};
use crate::snapshot::QuestionRef;

/// Where a batch's dealing stands after some tickets: see the module docs.
///
/// Serialise it (JSON) to store it between chunks. It is checked against the pool, the batch
/// secret and the tickets when taken up again, never trusted.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BatchState {
    /// [`PreparedPool::fingerprint`] of the pool it was dealt from.
    pool: String,
    /// [`batch_tag`] of the batch secret (hex).
    batch: String,
    /// Tickets dealt.
    dealt: u64,
    /// SHA-256 (hex) over the tickets dealt, in order (see [`hash_ticket`]).
    tickets: String,
    /// Word position in the deck-shuffling stream.
    stream: u128,
    /// One per cell, in the pool's cell order.
    decks: Vec<DeckState>,
    /// The last paper's question order; `None` before the first.
    previous: Option<Vec<QuestionRef>>,
}

/// One deck: an order of the cell's positions (empty before its first deal) and how many of
/// them have been dealt since it was last shuffled.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct DeckState {
    order: Vec<u32>,
    next: u64,
}

impl BatchState {
    /// How many tickets had been dealt.
    pub fn dealt(&self) -> u64 {
        self.dealt
    }

    /// The fingerprint of the pool it was dealt from.
    pub fn pool_fingerprint(&self) -> &str {
        &self.pool
    }
}

impl fmt::Debug for BatchState {
    /// The decks say which questions the next tickets get: not printed.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BatchState")
            .field("pool", &self.pool)
            .field("dealt", &self.dealt)
            .finish_non_exhaustive()
    }
}

/// Why a [`BatchState`] cannot be taken up by this pool for this batch. Each means the stored
/// state and the batch have come apart; dealing on would give papers that cannot be
/// regenerated, so assembly must stop.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{}", self.message(Lang::En))]
pub enum ResumeError {
    /// The state was dealt from another pool.
    OtherPool {
        /// The state's pool fingerprint.
        state: String,
        /// This pool's fingerprint.
        pool: String,
    },
    /// The state belongs to a batch with another secret.
    OtherBatch,
    /// Not as many tickets given as dealt as the state dealt.
    TicketCount {
        /// Tickets the state dealt.
        state: u64,
        /// Tickets given.
        given: usize,
    },
    /// The tickets given as dealt are not the ones the state dealt.
    TicketsChanged,
    /// The state has not one deck per cell of the pool.
    DeckCount {
        /// Decks in the state.
        state: usize,
        /// Cells of the pool.
        pool: usize,
    },
    /// A deck is not an order of its cell's positions, or is dealt beyond its end.
    Deck {
        /// The deck's index (cells in section order).
        deck: usize,
        /// What is wrong with it.
        problem: String,
    },
    /// The previous paper's order does not fit the pool or the number of tickets dealt.
    Previous,
}

impl Localized for ResumeError {
    fn message(&self, lang: Lang) -> String {
        match self {
            Self::OtherPool { state, pool } => render(
                lang,
                key::ASSEMBLY_RESUME_OTHER_POOL,
                &[("state", state), ("pool", pool)],
            ),
            Self::OtherBatch => render(lang, key::ASSEMBLY_RESUME_OTHER_BATCH, &[]),
            Self::TicketCount { state, given } => render(
                lang,
                key::ASSEMBLY_RESUME_TICKET_COUNT,
                &[("state", state), ("given", given)],
            ),
            Self::TicketsChanged => render(lang, key::ASSEMBLY_RESUME_TICKETS_CHANGED, &[]),
            Self::DeckCount { state, pool } => render(
                lang,
                key::ASSEMBLY_RESUME_DECK_COUNT,
                &[("state", state), ("pool", pool)],
            ),
            Self::Deck { deck, problem } => render(
                lang,
                key::ASSEMBLY_RESUME_DECK,
                &[("deck", deck), ("problem", problem)],
            ),
            Self::Previous => render(lang, key::ASSEMBLY_RESUME_PREVIOUS, &[]),
        }
    }
}

/// The tag binding a state to its batch: SHA-256 over a domain tag and the secret. The secret is
/// 32 random bytes, so the tag does not give it away.
fn batch_tag(batch_secret: &[u8; 32]) -> String {
    let mut h = Sha256::new();
    h.update(b"question-bank/batch-state/v1\0");
    h.update(batch_secret);
    hex(&h.finalize())
}

/// The hasher of a batch's dealt tickets, before any ticket.
pub(super) fn ticket_hasher() -> Sha256 {
    Sha256::new_with_prefix(b"question-bank/batch-tickets/v1\0")
}

/// Adds one ticket (length-prefixed, so the sequence reads back unambiguously).
pub(super) fn hash_ticket(h: &mut Sha256, ticket_no: &str) {
    h.update((ticket_no.len() as u64).to_le_bytes());
    h.update(ticket_no.as_bytes());
}

impl BatchAssembler<'_> {
    /// Where the dealing stands now, to store and [`resume`](PreparedPool::resume) later.
    pub fn state(&self) -> BatchState {
        BatchState {
            pool: self.pool.fingerprint().to_owned(),
            batch: batch_tag(&self.secret),
            dealt: self.seen.len() as u64,
            tickets: hex(&self.tickets.clone().finalize()),
            stream: self.decks.rng.get_word_pos(),
            decks: self
                .decks
                .decks
                .iter()
                .map(|d| DeckState {
                    order: d.order.clone(),
                    next: d.next as u64,
                })
                .collect(),
            previous: self.previous.clone(),
        }
    }
}

impl PreparedPool {
    /// Takes up a batch's dealing where `state` left it. `dealt` are the tickets already dealt,
    /// in dealing order (the state checks them against its digest; a ticket among them is
    /// refused again as a duplicate). The papers then dealt are exactly those
    /// [`assemble_batch`](Self::assemble_batch) gives the following tickets.
    ///
    /// # Errors
    /// A [`ResumeError`] when the state was made from another pool or batch, the tickets differ
    /// from those it dealt, or it is damaged. Never a fresh start.
    pub fn resume<T: AsRef<str>>(
        &self,
        batch_secret: &[u8; 32],
        state: BatchState,
        dealt: &[T],
    ) -> Result<BatchAssembler<'_>, ResumeError> {
        if state.pool != self.fingerprint() {
            return Err(ResumeError::OtherPool {
                state: state.pool,
                pool: self.fingerprint().to_owned(),
            });
        }
        if state.batch != batch_tag(batch_secret) {
            return Err(ResumeError::OtherBatch);
        }

        let sizes: Vec<u32> = self
            .plan
            .sections
            .iter()
            .flat_map(|s| s.cells.iter().map(|c| c.size()))
            .collect();
        if state.decks.len() != sizes.len() {
            return Err(ResumeError::DeckCount {
                state: state.decks.len(),
                pool: sizes.len(),
            });
        }
        let decks = state
            .decks
            .into_iter()
            .zip(sizes)
            .enumerate()
            .map(|(i, (d, size))| {
                deck(d, size).map_err(|problem| ResumeError::Deck { deck: i, problem })
            })
            .collect::<Result<Vec<_>, _>>()?;

        if dealt.len() as u64 != state.dealt {
            return Err(ResumeError::TicketCount {
                state: state.dealt,
                given: dealt.len(),
            });
        }
        let mut tickets = ticket_hasher();
        let mut seen = HashSet::with_capacity(dealt.len());
        for t in dealt {
            hash_ticket(&mut tickets, t.as_ref());
            if !seen.insert(t.as_ref().to_owned()) {
                // The state dealt no ticket twice, so these are not its tickets.
                return Err(ResumeError::TicketsChanged);
            }
        }
        if hex(&tickets.clone().finalize()) != state.tickets {
            return Err(ResumeError::TicketsChanged);
        }

        let fits = match &state.previous {
            None => state.dealt == 0,
            Some(order) => state.dealt > 0 && self.fits(order),
        };
        if !fits {
            return Err(ResumeError::Previous);
        }

        let mut rng = batch_rng(batch_secret);
        rng.set_word_pos(state.stream);
        Ok(BatchAssembler {
            pool: self,
            secret: *batch_secret,
            decks: Decks { rng, decks },
            previous: state.previous,
            seen,
            tickets,
        })
    }

    /// Whether `order` can be a paper's question order from this pool: one question per place,
    /// each of the pool.
    fn fits(&self, order: &[QuestionRef]) -> bool {
        let places: u64 = self.plan.sections.iter().map(|s| u64::from(s.count)).sum();
        let eligible: HashSet<QuestionRef> = self.eligible().collect();
        order.len() as u64 == places && order.iter().all(|q| eligible.contains(q))
    }
}

/// A stored deck checked against its cell of `size` questions.
fn deck(d: DeckState, size: u32) -> Result<Deck, String> {
    let next = usize::try_from(d.next).unwrap_or(usize::MAX);
    if d.order.is_empty() {
        return if next == 0 {
            Ok(Deck::default())
        } else {
            Err(format!("dealt {next} cards of a deck never shuffled"))
        };
    }
    if d.order.len() != size as usize {
        return Err(format!(
            "{} cards for a cell of {size} questions",
            d.order.len()
        ));
    }
    let mut present = vec![false; d.order.len()];
    for &p in &d.order {
        match present.get_mut(p as usize) {
            Some(slot) if !*slot => *slot = true,
            _ => return Err(format!("position {p} is out of range or repeated")),
        }
    }
    if next > d.order.len() {
        return Err(format!("dealt {next} cards of {}", d.order.len()));
    }
    Ok(Deck {
        order: d.order,
        next,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_deck_must_be_an_order_of_its_cell_dealt_no_further_than_its_end() {
        let ok = |order: Vec<u32>, next| deck(DeckState { order, next }, 3);
        assert!(ok(vec![], 0).is_ok());
        assert!(ok(vec![2, 0, 1], 3).is_ok());
        assert!(ok(vec![], 1).is_err());
        assert!(ok(vec![2, 0], 0).is_err());
        assert!(ok(vec![2, 0, 0], 0).is_err());
        assert!(ok(vec![2, 0, 3], 0).is_err());
        assert!(ok(vec![2, 0, 1], 4).is_err());
    }

    #[test]
    fn the_deck_stream_takes_up_exactly_where_it_stopped() {
        use super::super::seed::{below, shuffle};
        // Positions inside a ChaCha block, at its end and in the middle of the 4-block buffer.
        for draws in [0usize, 1, 7, 8, 31, 32, 33, 100] {
            let mut rng = batch_rng(&[4; 32]);
            for _ in 0..draws {
                below(&mut rng, 1000);
            }
            let mut again = batch_rng(&[4; 32]);
            again.set_word_pos(rng.get_word_pos());
            let (mut a, mut b): (Vec<u32>, Vec<u32>) = ((0..50).collect(), (0..50).collect());
            shuffle(&mut rng, &mut a);
            shuffle(&mut again, &mut b);
            assert_eq!(a, b, "after {draws} draws");
        }
    }
}
