//! 考场编排 — seat allocation for one session: every candidate gets a room and a seat number,
//! at random but reproducibly from a 32-byte seed, with each agency's candidates spread across
//! the rooms and kept off neighbouring seats.
//!
//! # Algorithm
//!
//! 1. **Normalize.** Candidates are sorted by id and rooms by id, so the result depends only on
//!    the seed and the *sets* given, never on the order a query returned them in.
//! 2. **Occupancy.** The `n` candidates are apportioned to rooms in proportion to capacity
//!    (largest remainder, ties drawn at random): room `j` of capacity `c_j` gets `m_j` candidates
//!    with `|m_j − n·c_j/C| < 1` and `m_j ≤ c_j`, where `C` is the total capacity. Rooms fill
//!    equally, so the spare seats are spread too.
//! 3. **Room sequence.** A sequence of `n` slots in which room `j` appears `m_j` times, as evenly
//!    as possible: earliest-deadline-first over the windows `[⌊(i−1)·n/m_j⌋+1, ⌈i·n/m_j⌉]` of
//!    each room's `i`-th slot. These windows satisfy Hall's condition, so EDF meets every one,
//!    and then every prefix of length `t` holds room `j` strictly between `t·m_j/n − 1` and
//!    `t·m_j/n + 1` times.
//! 4. **Deal.** Agencies in random order, each agency's candidates in random order, are laid
//!    along the sequence: an agency occupies one contiguous stretch of `k` slots.
//! 5. **Seats.** In each room the `m_j` candidates take seats spread evenly over `1..=c_j`
//!    (`⌊i·c_j/m_j⌋ + 1`), in a random order in which no two candidates of one agency sit on
//!    consecutive occupied seats whenever the room's mix allows it (no agency holding more than
//!    half the room, rounded up); otherwise as few such pairs as the greedy fallback finds.
//!
//! # Guarantee (spreading)
//!
//! From step 3, a stretch of `k` slots holds room `j` fewer than `k·m_j/n + 2` times, so for every
//! agency `a` with `k_a` candidates and every room `j`:
//!
//! ```text
//! ⌊k_a·m_j/n⌋ − 1  ≤  candidates of a in room j  ≤  ⌈k_a·m_j/n⌉ + 1
//! ```
//!
//! With `r` rooms filled equally (`m_j = n/r`, e.g. equal rooms and `r` dividing `n`) this is at
//! most `⌈k_a/r⌉ + 1` per room. The tests check the general bound on random inputs.
//!
//! Cost: `O(n log n + n·g)` for `g` agencies per room at most; 10,000 candidates in 250 rooms
//! take a few milliseconds.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap};

use rand_chacha::ChaCha8Rng;
use rand_chacha::rand_core::{RngCore, SeedableRng};
use serde::{Deserialize, Serialize};

use super::ticket::TicketPart;
use super::{Lang, Localized, locale};
use crate::i18n::td_string;

/// Most seats a room may have: the ticket number gives the seat two digits.
pub const MAX_SEATS_PER_ROOM: u32 = 99;
/// Most rooms a session may have: the ticket number gives the room three digits.
pub const MAX_ROOMS: usize = 999;

// The limits above are the ticket format's; keep them in step.
const _: () = assert!(MAX_SEATS_PER_ROOM == TicketPart::SEAT_MAX);
const _: () = assert!(MAX_ROOMS == TicketPart::ROOM_MAX as usize);

/// A candidate to seat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatCandidate {
    /// The candidate's id (unique).
    pub id: i64,
    /// The candidate's agency.
    pub agency: i32,
}

/// 考场 — a room of the session and its number of seats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExamRoom {
    /// The room's id (unique).
    pub id: i64,
    /// Seats, 1–[`MAX_SEATS_PER_ROOM`].
    pub capacity: u32,
}

/// One candidate's place.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatAssignment {
    /// The candidate.
    pub candidate: i64,
    /// The candidate's agency.
    pub agency: i32,
    /// The room.
    pub room: i64,
    /// The seat number, `1..=capacity` of the room.
    pub seat: u32,
}

/// 座位表 — the seats of a session: every candidate exactly once, no seat twice, ordered by
/// room id and seat number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatPlan {
    assignments: Vec<SeatAssignment>,
}

impl SeatPlan {
    /// The assignments, by room id then seat number.
    pub fn assignments(&self) -> &[SeatAssignment] {
        &self.assignments
    }

    /// The assignments, by room id then seat number.
    pub fn into_assignments(self) -> Vec<SeatAssignment> {
        self.assignments
    }

    /// Number of candidates seated.
    pub fn len(&self) -> usize {
        self.assignments.len()
    }

    /// Whether nobody is seated.
    pub fn is_empty(&self) -> bool {
        self.assignments.is_empty()
    }
}

/// Why seats could not be allocated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SeatingError {
    /// Fewer seats than candidates.
    NotEnoughSeats {
        /// Candidates to seat.
        candidates: u64,
        /// Seats in all rooms.
        seats: u64,
        /// `candidates − seats`.
        missing: u64,
    },
    /// A candidate listed twice.
    DuplicateCandidate {
        /// The candidate's id.
        candidate: i64,
    },
    /// A room listed twice.
    DuplicateRoom {
        /// The room's id.
        room: i64,
    },
    /// A room with no seats or more than the ticket number can address.
    BadCapacity {
        /// The room's id.
        room: i64,
        /// Its capacity.
        capacity: u32,
    },
    /// More rooms than the ticket number can address.
    TooManyRooms {
        /// Rooms given.
        rooms: usize,
    },
}

impl Localized for SeatingError {
    fn message(&self, lang: Lang) -> String {
        let locale = locale(lang);
        match self {
            Self::NotEnoughSeats {
                candidates,
                seats,
                missing,
            } => td_string!(
                locale,
                procedure.seating_not_enough_seats,
                candidates = candidates,
                seats = seats,
                missing = missing
            )
            .to_string(),
            Self::DuplicateCandidate { candidate } => td_string!(
                locale,
                procedure.seating_duplicate_candidate,
                candidate = candidate
            )
            .to_string(),
            Self::DuplicateRoom { room } => {
                td_string!(locale, procedure.seating_duplicate_room, room = room).to_string()
            }
            Self::BadCapacity { room, capacity } => td_string!(
                locale,
                procedure.seating_bad_capacity,
                room = room,
                capacity = capacity,
                max = MAX_SEATS_PER_ROOM
            )
            .to_string(),
            Self::TooManyRooms { rooms } => td_string!(
                locale,
                procedure.seating_too_many_rooms,
                rooms = rooms,
                max = MAX_ROOMS
            )
            .to_string(),
        }
    }
}

english_display!(SeatingError);

/// Allocates a seat to every candidate; see the module documentation for the algorithm and its
/// guarantee. The same candidates, rooms and seed always give the same plan, whatever the order
/// of the slices.
///
/// # Errors
/// [`SeatingError`]: fewer seats than candidates (saying how many are missing), a candidate or
/// room listed twice, a room without seats or with more than [`MAX_SEATS_PER_ROOM`], or more than
/// [`MAX_ROOMS`] rooms.
pub fn allocate_seats(
    candidates: &[SeatCandidate],
    rooms: &[ExamRoom],
    seed: [u8; 32],
) -> Result<SeatPlan, SeatingError> {
    let mut rooms = rooms.to_vec();
    rooms.sort_by_key(|r| r.id);
    if rooms.len() > MAX_ROOMS {
        return Err(SeatingError::TooManyRooms { rooms: rooms.len() });
    }
    if let Some(pair) = rooms.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(SeatingError::DuplicateRoom { room: pair[0].id });
    }
    if let Some(room) = rooms
        .iter()
        .find(|r| !(1..=MAX_SEATS_PER_ROOM).contains(&r.capacity))
    {
        return Err(SeatingError::BadCapacity {
            room: room.id,
            capacity: room.capacity,
        });
    }
    let mut candidates = candidates.to_vec();
    candidates.sort_by_key(|c| c.id);
    if let Some(pair) = candidates.windows(2).find(|w| w[0].id == w[1].id) {
        return Err(SeatingError::DuplicateCandidate {
            candidate: pair[0].id,
        });
    }
    let seats: u64 = rooms.iter().map(|r| u64::from(r.capacity)).sum();
    let n = candidates.len() as u64;
    if n > seats {
        return Err(SeatingError::NotEnoughSeats {
            candidates: n,
            seats,
            missing: n - seats,
        });
    }

    let mut rng = ChaCha8Rng::from_seed(seed);
    let capacities: Vec<u32> = rooms.iter().map(|r| r.capacity).collect();
    let occupancy = apportion(candidates.len(), &capacities, &mut rng);
    let sequence = room_sequence(&occupancy, &mut rng);

    // Agencies in random order, each agency's candidates in random order, one after another.
    let mut by_agency: BTreeMap<i32, Vec<SeatCandidate>> = BTreeMap::new();
    for c in candidates {
        by_agency.entry(c.agency).or_default().push(c);
    }
    let mut agencies: Vec<Vec<SeatCandidate>> = by_agency.into_values().collect();
    shuffle(&mut agencies, &mut rng);
    let mut members: Vec<Vec<SeatCandidate>> = vec![Vec::new(); rooms.len()];
    let dealt = agencies.into_iter().flat_map(|mut group| {
        shuffle(&mut group, &mut rng);
        group
    });
    for (candidate, &room) in dealt.zip(&sequence) {
        if let Some(list) = members.get_mut(room) {
            list.push(candidate);
        }
    }

    let mut assignments = Vec::with_capacity(sequence.len());
    for (room, list) in rooms.iter().zip(members) {
        let placed = list.len() as u64;
        let arranged = arrange_apart(list, &mut rng);
        for (i, c) in (0u64..).zip(arranged) {
            // Seats spread evenly: distinct, within 1..=capacity because placed ≤ capacity.
            let seat = i * u64::from(room.capacity) / placed + 1;
            assignments.push(SeatAssignment {
                candidate: c.id,
                agency: c.agency,
                room: room.id,
                seat: u32::try_from(seat).unwrap_or(room.capacity),
            });
        }
    }
    Ok(SeatPlan { assignments })
}

/// A uniform draw from `0..n` (`n ≥ 1`) without modulo bias (Lemire's multiply-and-reject).
fn below(rng: &mut ChaCha8Rng, n: usize) -> usize {
    let n = n.max(1) as u64;
    let threshold = n.wrapping_neg() % n;
    loop {
        let product = u128::from(rng.next_u64()) * u128::from(n);
        if (product as u64) >= threshold {
            return (product >> 64) as usize;
        }
    }
}

/// Fisher–Yates.
fn shuffle<T>(items: &mut [T], rng: &mut ChaCha8Rng) {
    for i in (1..items.len()).rev() {
        items.swap(i, below(rng, i + 1));
    }
}

/// Splits `n ≤ Σ capacities` in proportion to the capacities by largest remainder, ties drawn at
/// random: each share is within 1 of `n·c_j/C` and at most `c_j`.
fn apportion(n: usize, capacities: &[u32], rng: &mut ChaCha8Rng) -> Vec<u32> {
    let total: u64 = capacities.iter().map(|&c| u64::from(c)).sum();
    if total == 0 {
        return vec![0; capacities.len()];
    }
    let n = n as u64;
    let mut shares: Vec<u32> = Vec::with_capacity(capacities.len());
    let mut remainders: Vec<(u64, u64, usize)> = Vec::with_capacity(capacities.len());
    for (j, &c) in capacities.iter().enumerate() {
        let exact = n * u64::from(c);
        shares.push(u32::try_from(exact / total).unwrap_or(c));
        remainders.push((exact % total, rng.next_u64(), j));
    }
    let given: u64 = shares.iter().map(|&s| u64::from(s)).sum();
    // The remainders add up to (n − given)·total and each is below total, so more than
    // n − given rooms have one: a room whose quota is a whole number never gets an extra seat.
    remainders.sort_unstable_by(|a, b| b.cmp(a));
    for &(remainder, _, j) in remainders.iter().take((n - given) as usize) {
        if remainder > 0
            && let Some(share) = shares.get_mut(j)
        {
            *share += 1;
        }
    }
    shares
}

/// A sequence of room indexes where room `j` appears `occupancy[j]` times and every prefix of
/// length `t` holds it strictly within 1 of `t·occupancy[j]/n` times (earliest deadline first;
/// see the module documentation).
fn room_sequence(occupancy: &[u32], rng: &mut ChaCha8Rng) -> Vec<usize> {
    let n: u64 = occupancy.iter().map(|&m| u64::from(m)).sum();
    // The i-th slot (1-based) of room j must fall in [release, deadline] (1-based slots).
    let window = |j: usize, i: u64| -> (u64, u64) {
        let m = u64::from(occupancy.get(j).copied().unwrap_or(1).max(1));
        ((i - 1) * n / m + 1, (i * n).div_ceil(m))
    };
    let mut next = vec![1u64; occupancy.len()];
    // (release, tiebreak, room) of each room's next slot not yet released.
    let mut waiting: BinaryHeap<Reverse<(u64, u64, usize)>> = BinaryHeap::new();
    // (deadline, tiebreak, room) of each room's released slot.
    let mut ready: BinaryHeap<Reverse<(u64, u64, usize)>> = BinaryHeap::new();
    for (j, &m) in occupancy.iter().enumerate() {
        if m > 0 {
            waiting.push(Reverse((window(j, 1).0, rng.next_u64(), j)));
        }
    }
    let mut sequence = Vec::with_capacity(usize::try_from(n).unwrap_or(0));
    for t in 1..=n {
        while let Some(&Reverse((release, tie, j))) = waiting.peek() {
            if release > t {
                break;
            }
            waiting.pop();
            ready.push(Reverse((window(j, next[j]).1, tie, j)));
        }
        // EDF never idles here (a feasible schedule exists); the fallback only keeps the
        // function total.
        let chosen = match ready.pop() {
            Some(Reverse((_, _, j))) => j,
            None => match waiting.pop() {
                Some(Reverse((_, _, j))) => j,
                None => break,
            },
        };
        sequence.push(chosen);
        next[chosen] += 1;
        if next[chosen] <= u64::from(occupancy[chosen]) {
            waiting.push(Reverse((
                window(chosen, next[chosen]).0,
                rng.next_u64(),
                chosen,
            )));
        }
    }
    sequence
}

/// Orders a room's candidates at random so that no two of one agency are neighbours, whenever
/// no agency holds more than half of the room (rounded up); otherwise greedily with as few
/// neighbouring pairs as the largest agency forces.
///
/// At each step it draws uniformly among the agencies whose choice leaves an arrangeable rest:
/// with `R` candidates left after the choice of `y`, every agency must have at most `⌈R/2⌉` and
/// `y` itself at most `⌊R/2⌋`. When the room is arrangeable, such an agency always exists (the
/// largest one other than the previous), so the draw never gets stuck.
fn arrange_apart(members: Vec<SeatCandidate>, rng: &mut ChaCha8Rng) -> Vec<SeatCandidate> {
    let mut groups: BTreeMap<i32, Vec<SeatCandidate>> = BTreeMap::new();
    for c in members {
        groups.entry(c.agency).or_default().push(c);
    }
    let mut groups: Vec<Vec<SeatCandidate>> = groups.into_values().collect();
    let mut left: usize = groups.iter().map(Vec::len).sum();
    let mut order = Vec::with_capacity(left);
    let mut previous: Option<usize> = None;
    let mut options = Vec::with_capacity(groups.len());
    while left > 0 {
        let after = left - 1;
        // Largest and second-largest group sizes, and where the largest is.
        let (mut top, mut top_at, mut second) = (0usize, usize::MAX, 0usize);
        for (g, group) in groups.iter().enumerate() {
            let size = group.len();
            if size > top {
                second = top;
                top = size;
                top_at = g;
            } else if size > second {
                second = size;
            }
        }
        options.clear();
        for (g, group) in groups.iter().enumerate() {
            if group.is_empty() || Some(g) == previous {
                continue;
            }
            let largest_other = if g == top_at { second } else { top };
            if group.len() - 1 <= after / 2 && largest_other <= after.div_ceil(2) {
                options.push(g);
            }
        }
        let chosen = if options.is_empty() {
            // Not arrangeable: take the largest other group, or repeat if it is the only one.
            groups
                .iter()
                .enumerate()
                .filter(|&(g, group)| !group.is_empty() && Some(g) != previous)
                .max_by_key(|&(_, group)| group.len())
                .map_or(previous, |(g, _)| Some(g))
        } else {
            options.get(below(rng, options.len())).copied()
        };
        let Some(g) = chosen else { break };
        let Some(candidate) = groups.get_mut(g).and_then(Vec::pop) else {
            break;
        };
        order.push(candidate);
        previous = Some(g);
        left -= 1;
    }
    order
}

#[cfg(test)]
// `allow`, not `expect`: it must stay quiet once app gets a clippy.toml with
// `allow-unwrap-in-tests` like question-bank's.
#[allow(
    clippy::unwrap_used,
    reason = "tests: a failed unwrap is a failed test"
)]
mod tests {
    use std::collections::{BTreeSet, HashMap};
    use std::time::{Duration, Instant};

    use proptest::prelude::*;

    use super::*;

    fn candidates(per_agency: &[usize]) -> Vec<SeatCandidate> {
        let mut id = 0;
        let mut out = Vec::new();
        for (agency, &k) in (1..).zip(per_agency) {
            for _ in 0..k {
                id += 1;
                out.push(SeatCandidate { id, agency });
            }
        }
        out
    }

    fn rooms(capacities: &[u32]) -> Vec<ExamRoom> {
        (100..)
            .zip(capacities)
            .map(|(id, &capacity)| ExamRoom { id, capacity })
            .collect()
    }

    /// Every invariant of a plan: each candidate once, no seat twice, seats within capacity,
    /// occupancy proportional to capacity, and the spreading bound for every agency and room.
    fn check_plan(plan: &SeatPlan, cands: &[SeatCandidate], rms: &[ExamRoom]) {
        let n = cands.len() as u64;
        assert_eq!(plan.len(), cands.len());
        let seated: BTreeSet<i64> = plan.assignments().iter().map(|a| a.candidate).collect();
        let expected: BTreeSet<i64> = cands.iter().map(|c| c.id).collect();
        assert_eq!(seated, expected, "every candidate exactly once");
        let seats: BTreeSet<(i64, u32)> = plan
            .assignments()
            .iter()
            .map(|a| (a.room, a.seat))
            .collect();
        assert_eq!(seats.len(), cands.len(), "no seat used twice");
        let capacity: HashMap<i64, u32> = rms.iter().map(|r| (r.id, r.capacity)).collect();
        let total: u64 = rms.iter().map(|r| u64::from(r.capacity)).sum();
        let mut occupancy: HashMap<i64, u64> = HashMap::new();
        let mut per_agency_room: HashMap<(i32, i64), u64> = HashMap::new();
        let mut per_agency: HashMap<i32, u64> = HashMap::new();
        for a in plan.assignments() {
            assert!(a.seat >= 1 && a.seat <= capacity[&a.room]);
            *occupancy.entry(a.room).or_default() += 1;
            *per_agency_room.entry((a.agency, a.room)).or_default() += 1;
            *per_agency.entry(a.agency).or_default() += 1;
        }
        for r in rms {
            let m = occupancy.get(&r.id).copied().unwrap_or(0);
            // |m − n·c/C| < 1
            let exact = n * u64::from(r.capacity);
            assert!(m * total < exact + total && exact < (m + 1) * total);
            for (&agency, &k) in &per_agency {
                let count = per_agency_room.get(&(agency, r.id)).copied().unwrap_or(0);
                let bound = (k * m).div_ceil(n) + 1;
                assert!(
                    count <= bound,
                    "agency {agency} has {count} in room {} (k={k}, m={m}, n={n}, bound {bound})",
                    r.id
                );
                assert!(
                    count + 1 >= (k * m) / n,
                    "agency {agency} starved in room {}",
                    r.id
                );
            }
        }
    }

    /// Pairs of same-agency candidates on consecutive occupied seats.
    fn neighbour_pairs(plan: &SeatPlan) -> usize {
        plan.assignments()
            .windows(2)
            .filter(|w| w[0].room == w[1].room && w[0].agency == w[1].agency)
            .count()
    }

    #[test]
    fn too_few_seats_are_refused_saying_how_many_are_missing() {
        let e = allocate_seats(&candidates(&[30, 25]), &rooms(&[30, 20]), [0; 32]).unwrap_err();
        assert_eq!(
            e,
            SeatingError::NotEnoughSeats {
                candidates: 55,
                seats: 50,
                missing: 5
            }
        );
        assert!(e.message(Lang::Zh).contains("还差 5 个座位"));
        assert!(e.message(Lang::En).contains("5 seats are missing"));
        assert!(allocate_seats(&candidates(&[1]), &[], [0; 32]).is_err());
    }

    #[test]
    fn bad_rooms_and_duplicate_candidates_are_refused() {
        assert_eq!(
            allocate_seats(&candidates(&[3]), &rooms(&[10, 0]), [0; 32]),
            Err(SeatingError::BadCapacity {
                room: 101,
                capacity: 0
            })
        );
        assert_eq!(
            allocate_seats(&candidates(&[3]), &rooms(&[100]), [0; 32]),
            Err(SeatingError::BadCapacity {
                room: 100,
                capacity: 100
            })
        );
        let twice = [
            ExamRoom {
                id: 7,
                capacity: 10,
            },
            ExamRoom {
                id: 7,
                capacity: 10,
            },
        ];
        assert_eq!(
            allocate_seats(&candidates(&[3]), &twice, [0; 32]),
            Err(SeatingError::DuplicateRoom { room: 7 })
        );
        let mut cs = candidates(&[3]);
        cs.push(cs[0]);
        assert_eq!(
            allocate_seats(&cs, &rooms(&[10]), [0; 32]),
            Err(SeatingError::DuplicateCandidate { candidate: 1 })
        );
    }

    #[test]
    fn everyone_is_seated_exactly_once_and_no_seat_twice() {
        let cs = candidates(&[40, 17, 9, 3, 1, 1]);
        let rs = rooms(&[30, 30, 20, 15]);
        let plan = allocate_seats(&cs, &rs, [3; 32]).unwrap();
        check_plan(&plan, &cs, &rs);
        // Ordered by room and seat.
        let keys: Vec<(i64, u32)> = plan
            .assignments()
            .iter()
            .map(|a| (a.room, a.seat))
            .collect();
        let mut sorted = keys.clone();
        sorted.sort_unstable();
        assert_eq!(keys, sorted);
    }

    #[test]
    fn an_agency_is_spread_over_equal_rooms_within_one_of_an_even_share() {
        // 12 rooms of 30, 360 candidates: every room holds 30, so each agency of k gets at most
        // ⌈k/12⌉ + 1 per room.
        let cs = candidates(&[100, 80, 60, 50, 40, 20, 7, 3]);
        let rs = rooms(&[30; 12]);
        for seed in 0..20u8 {
            let plan = allocate_seats(&cs, &rs, [seed; 32]).unwrap();
            let mut count: HashMap<(i32, i64), usize> = HashMap::new();
            for a in plan.assignments() {
                *count.entry((a.agency, a.room)).or_default() += 1;
            }
            for (&(agency, _), &c) in &count {
                let k = cs.iter().filter(|x| x.agency == agency).count();
                assert!(c <= k.div_ceil(12) + 1, "agency {agency}: {c} in one room");
            }
        }
    }

    #[test]
    fn rooms_fill_in_proportion_to_their_size() {
        let cs = candidates(&[45]);
        let rs = rooms(&[60, 30]);
        let plan = allocate_seats(&cs, &rs, [9; 32]).unwrap();
        let in_big = plan.assignments().iter().filter(|a| a.room == 100).count();
        assert_eq!(in_big, 30);
        // Seats are spread: the 15 in the small room sit on every other seat.
        let small: Vec<u32> = plan
            .assignments()
            .iter()
            .filter(|a| a.room == 101)
            .map(|a| a.seat)
            .collect();
        assert_eq!(small, (0..15).map(|i| i * 2 + 1).collect::<Vec<_>>());
    }

    #[test]
    fn the_same_seed_gives_the_same_plan_whatever_the_input_order() {
        let cs = candidates(&[20, 15, 10, 5]);
        let rs = rooms(&[20, 20, 20]);
        let a = allocate_seats(&cs, &rs, [42; 32]).unwrap();
        let mut cs_rev = cs.clone();
        cs_rev.reverse();
        let mut rs_rev = rs.clone();
        rs_rev.reverse();
        assert_eq!(a, allocate_seats(&cs_rev, &rs_rev, [42; 32]).unwrap());
        assert_eq!(a, allocate_seats(&cs, &rs, [42; 32]).unwrap());
    }

    #[test]
    fn different_seeds_give_different_plans() {
        let cs = candidates(&[20, 15, 10, 5]);
        let rs = rooms(&[20, 20, 20]);
        let a = allocate_seats(&cs, &rs, [1; 32]).unwrap();
        let b = allocate_seats(&cs, &rs, [2; 32]).unwrap();
        assert_ne!(a, b);
    }

    #[test]
    fn colleagues_never_sit_side_by_side_when_the_mix_allows() {
        // Each room holds 20; by the spreading bound an agency of 25 has at most
        // ⌈25·20/80⌉ + 1 = 8 in a room, under half of it, so every room is arrangeable.
        let cs = candidates(&[25, 25, 20, 10]);
        let rs = rooms(&[20, 20, 20, 20]);
        for seed in 0..50u8 {
            let plan = allocate_seats(&cs, &rs, [seed; 32]).unwrap();
            assert_eq!(neighbour_pairs(&plan), 0, "seed {seed}");
        }
    }

    #[test]
    fn a_dominant_agency_gets_as_few_neighbours_as_its_size_forces() {
        // One room, 7 of agency 1 and 3 of agency 2: at best 1_2_1_2_1_2_1 1 1 1 → 3 pairs.
        let cs = candidates(&[7, 3]);
        let plan = allocate_seats(&cs, &rooms(&[10]), [5; 32]).unwrap();
        assert_eq!(neighbour_pairs(&plan), 3);
        // A single agency cannot be kept apart at all, but is still seated.
        let plan = allocate_seats(&candidates(&[5]), &rooms(&[5]), [5; 32]).unwrap();
        assert_eq!(plan.len(), 5);
    }

    #[test]
    fn nobody_to_seat_gives_an_empty_plan() {
        let plan = allocate_seats(&[], &rooms(&[10]), [0; 32]).unwrap();
        assert!(plan.is_empty());
        assert!(allocate_seats(&[], &[], [0; 32]).unwrap().is_empty());
    }

    #[test]
    fn ten_thousand_candidates_in_250_rooms_take_well_under_a_second() {
        let sizes: Vec<usize> = (0..400).map(|i| 5 + (i * 37) % 46).collect();
        let mut cs = candidates(&sizes);
        assert!(cs.len() >= 10_000);
        cs.truncate(10_000);
        assert_eq!(cs.len(), 10_000);
        let rs = rooms(&[40; 250]);
        let start = Instant::now();
        let plan = allocate_seats(&cs, &rs, [11; 32]).unwrap();
        let elapsed = start.elapsed();
        check_plan(&plan, &cs, &rs);
        // Debug builds are slow; the release cost is a few milliseconds.
        assert!(elapsed < Duration::from_secs(1), "took {elapsed:?}");
    }

    #[test]
    fn the_room_sequence_stays_within_one_of_the_ideal_share_in_every_prefix() {
        let mut rng = ChaCha8Rng::from_seed([0; 32]);
        let occupancy = [7, 1, 13, 3, 0, 29];
        let seq = room_sequence(&occupancy, &mut rng);
        assert_discrepancy_below_one(&occupancy, &seq);
    }

    fn assert_discrepancy_below_one(occupancy: &[u32], seq: &[usize]) {
        let n: i64 = occupancy.iter().map(|&m| i64::from(m)).sum();
        assert_eq!(seq.len() as i64, n);
        let mut seen = vec![0i64; occupancy.len()];
        for (t, &j) in (1i64..).zip(seq) {
            seen[j] += 1;
            for (room, &m) in occupancy.iter().enumerate() {
                // |A·n − t·m| < n
                assert!(
                    (seen[room] * n - t * i64::from(m)).abs() < n,
                    "room {room} at {t}"
                );
            }
        }
    }

    proptest! {
        #[test]
        fn every_plan_keeps_every_invariant(
            sizes in prop::collection::vec(1usize..40, 1..12),
            capacities in prop::collection::vec(1u32..=99, 1..15),
            seed in any::<[u8; 32]>(),
        ) {
            let cs = candidates(&sizes);
            let rs = rooms(&capacities);
            let seats: usize = capacities.iter().map(|&c| c as usize).sum();
            match allocate_seats(&cs, &rs, seed) {
                Ok(plan) => {
                    prop_assert!(cs.len() <= seats);
                    check_plan(&plan, &cs, &rs);
                    prop_assert_eq!(allocate_seats(&cs, &rs, seed).unwrap(), plan);
                }
                Err(SeatingError::NotEnoughSeats { missing, .. }) => {
                    prop_assert_eq!(missing as usize, cs.len() - seats);
                }
                Err(other) => prop_assert!(false, "unexpected {other}"),
            }
        }

        #[test]
        fn every_room_sequence_has_prefix_discrepancy_below_one(
            occupancy in prop::collection::vec(0u32..60, 1..20),
            seed in any::<[u8; 32]>(),
        ) {
            let mut rng = ChaCha8Rng::from_seed(seed);
            let seq = room_sequence(&occupancy, &mut rng);
            assert_discrepancy_below_one(&occupancy, &seq);
        }

        #[test]
        fn arrangeable_rooms_never_seat_colleagues_side_by_side(
            sizes in prop::collection::vec(1usize..8, 1..8),
            seed in any::<[u8; 32]>(),
        ) {
            let cs = candidates(&sizes);
            let total = cs.len();
            let largest = sizes.iter().copied().max().unwrap_or(0);
            let mut rng = ChaCha8Rng::from_seed(seed);
            let order = arrange_apart(cs.clone(), &mut rng);
            prop_assert_eq!(order.len(), total);
            let pairs = order.windows(2).filter(|w| w[0].agency == w[1].agency).count();
            // The fewest neighbouring pairs possible: max(0, 2·largest − total − 1).
            let forced = (2 * largest).saturating_sub(total + 1);
            prop_assert_eq!(pairs, forced);
        }
    }
}
