//! Seeds and the few random operations papers are made with.
//!
//! A paper is a function of its [`Seed`] and of nothing else random: the seed keys a ChaCha8
//! stream (`rand_chacha`, whose output is the same on every platform and promised stable across
//! its versions), and the operations below — a uniform integer below `n` and a Fisher–Yates
//! shuffle — are written here rather than taken from `rand`, whose algorithms for ranges and
//! shuffles are not promised stable across its versions. So a paper can be reproduced for an
//! appeal years later, on any machine, as long as this file's algorithms stay the same (the
//! [`ALGORITHM`](super::ALGORITHM) number stored in every paper changes if they ever do).

use std::fmt;

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use sha2::{Digest, Sha256};

/// The random stream of one paper (or of one batch's decks).
pub(crate) type Rng = ChaCha8Rng;

/// 试卷种子 — the 32 bytes a paper is made from.
///
/// Derived from the batch's secret and the ticket number, so it is as secret as the batch's
/// secret: whoever has it can rebuild that candidate's paper. Hence no `Serialize`, and `Debug`
/// does not print it.
#[derive(Clone, PartialEq, Eq)]
pub struct Seed([u8; 32]);

impl Seed {
    /// The seed of the paper for `ticket_no` (准考证号, exactly as stored) in the batch whose
    /// stored secret is `batch_secret`: SHA-256 over a domain tag, the secret, the ticket's
    /// length and its bytes.
    pub fn derive(batch_secret: &[u8; 32], ticket_no: &str) -> Self {
        let mut hash = Sha256::new();
        hash.update(b"question-bank/paper-seed/v1\0");
        hash.update(batch_secret);
        hash.update((ticket_no.len() as u64).to_le_bytes());
        hash.update(ticket_no.as_bytes());
        Self(hash.finalize().into())
    }

    /// A seed from raw bytes (tests, tools).
    pub fn from_bytes(bytes: [u8; 32]) -> Self {
        Self(bytes)
    }

    /// The raw bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }

    pub(crate) fn rng(&self) -> Rng {
        Rng::from_seed(self.0)
    }
}

impl fmt::Debug for Seed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Seed(..)")
    }
}

/// The stream that shuffles a batch's decks (see [`BatchAssembler`](super::BatchAssembler)).
pub(crate) fn batch_rng(batch_secret: &[u8; 32]) -> Rng {
    let mut hash = Sha256::new();
    hash.update(b"question-bank/batch-decks/v1\0");
    hash.update(batch_secret);
    Rng::from_seed(hash.finalize().into())
}

/// A uniform integer in `0..n` (0 when `n` is 0), by Lemire's multiply-and-reject method on
/// 64-bit draws: unbiased, and the same numbers on every platform.
pub(crate) fn below(rng: &mut Rng, n: u64) -> u64 {
    if n == 0 {
        return 0;
    }
    let mut m = u128::from(rng.next_u64()) * u128::from(n);
    if (m as u64) < n {
        let threshold = n.wrapping_neg() % n;
        while (m as u64) < threshold {
            m = u128::from(rng.next_u64()) * u128::from(n);
        }
    }
    (m >> 64) as u64
}

/// [`below`] for an index.
pub(crate) fn index_below(rng: &mut Rng, n: usize) -> usize {
    // usize → u64 is lossless on every supported target, and the result is below `n`.
    below(rng, n as u64) as usize
}

/// Fisher–Yates: every order equally likely.
pub(crate) fn shuffle<T>(rng: &mut Rng, items: &mut [T]) {
    for i in (1..items.len()).rev() {
        let j = index_below(rng, i + 1);
        items.swap(i, j);
    }
}

/// Lower-case hex of bytes.
pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(DIGITS[usize::from(b >> 4)]));
        out.push(char::from(DIGITS[usize::from(b & 15)]));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seeds_differ_by_ticket_and_by_secret_and_are_stable() {
        let secret = [7u8; 32];
        let a = Seed::derive(&secret, "2025010001");
        assert_eq!(a, Seed::derive(&secret, "2025010001"));
        assert_ne!(a, Seed::derive(&secret, "2025010002"));
        assert_ne!(a, Seed::derive(&[8u8; 32], "2025010001"));
        // Pinned: a change here changes every paper ever assembled.
        assert_eq!(
            hex(Seed::derive(&[0u8; 32], "A1").as_bytes()),
            hex(&{
                let mut h = Sha256::new();
                h.update(b"question-bank/paper-seed/v1\0");
                h.update([0u8; 32]);
                h.update(2u64.to_le_bytes());
                h.update(b"A1");
                <[u8; 32]>::from(h.finalize())
            })
        );
        assert_eq!(format!("{a:?}"), "Seed(..)");
    }

    #[test]
    fn the_random_stream_is_pinned() {
        // If this fails, ChaCha8 or `below` changed, and old papers can no longer be rebuilt.
        let mut rng = Seed::from_bytes([1u8; 32]).rng();
        let draws: Vec<u64> = (0..6).map(|_| below(&mut rng, 1000)).collect();
        let mut again = Seed::from_bytes([1u8; 32]).rng();
        assert_eq!(
            draws,
            (0..6).map(|_| below(&mut again, 1000)).collect::<Vec<_>>()
        );
        assert_eq!(draws, [299, 948, 684, 878, 686, 615]);
    }

    #[test]
    fn below_is_uniform_enough_and_never_reaches_n() {
        let mut rng = Seed::from_bytes([2u8; 32]).rng();
        let mut counts = [0u32; 6];
        for _ in 0..60_000 {
            let x = below(&mut rng, 6);
            counts[x as usize] += 1;
        }
        for c in counts {
            assert!((9_500..10_500).contains(&c), "{counts:?}");
        }
        assert_eq!(below(&mut rng, 0), 0);
        assert_eq!(below(&mut rng, 1), 0);
    }

    #[test]
    fn shuffle_is_a_permutation() {
        let mut rng = Seed::from_bytes([3u8; 32]).rng();
        let mut v: Vec<u32> = (0..50).collect();
        shuffle(&mut rng, &mut v);
        assert_ne!(v, (0..50).collect::<Vec<_>>());
        v.sort_unstable();
        assert_eq!(v, (0..50).collect::<Vec<_>>());
    }
}
