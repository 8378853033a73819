//! 准考证号 and 考试口令 — the admission ticket number and the one-time access code printed on
//! the ticket.
//!
//! # Ticket number format
//!
//! Fifteen digits, read left to right from the largest unit to the smallest, so that sorting the
//! numbers sorts the tickets by batch, session, room and seat:
//!
//! ```text
//! 2026 001 01 012 34 7
//! │    │   │  │   │  └ check digit (Luhn, over the 14 digits before it)
//! │    │   │  │   └─── seat in the room, 01–99
//! │    │   │  └─────── room number in the session, 001–999
//! │    │   └────────── session (场次) of the batch, 01–99
//! │    └────────────── batch (批次) sequence within the year, 001–999
//! └─────────────────── year of the batch, 2000–9999
//! ```
//!
//! Printed grouped as above ([`TicketNumber::grouped`]); typed and stored as 15 plain digits
//! ([`TicketNumber::as_string`], `Display`). [`TicketNumber::parse`] ignores spaces and hyphens
//! and accepts full-width digits. The check digit lets the login form say "mistyped" at once:
//! Luhn catches every single wrong digit and almost every swap of two neighbours.
//!
//! # Access code
//!
//! Eight characters from a 32-character alphabet without the look-alikes `0 O 1 I`
//! ([`AccessCode::ALPHABET`], 40 bits), drawn from a cryptographic RNG. It is shown once, on the
//! printed ticket: the type is neither `Serialize` nor `Deserialize`, `Debug` hides it, and the
//! database keeps only an argon2 hash of [`AccessCode::as_str`] (hashed elsewhere).

use std::fmt;

use rand_chacha::rand_core::CryptoRng;
use serde::{Deserialize, Serialize};

use super::{Lang, Localized, half_width, locale};
use crate::i18n::{Locale, td_string};

/// A part of a ticket number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TicketPart {
    /// 年份 — the batch's year.
    Year,
    /// 批次 — the batch's sequence number within the year.
    Batch,
    /// 场次 — the session within the batch.
    Session,
    /// 考场 — the room number within the session.
    Room,
    /// 座位号 — the seat within the room.
    Seat,
}

impl TicketPart {
    /// Highest room number (three digits).
    pub const ROOM_MAX: u32 = 999;
    /// Highest seat number (two digits).
    pub const SEAT_MAX: u32 = 99;

    /// The smallest and largest value the part can hold.
    pub fn range(self) -> (u32, u32) {
        match self {
            Self::Year => (2000, 9999),
            Self::Batch => (1, 999),
            Self::Session => (1, 99),
            Self::Room => (1, Self::ROOM_MAX),
            Self::Seat => (1, Self::SEAT_MAX),
        }
    }

    /// Chinese label (`procedure.ticket_part_*` of the locale files).
    pub fn label_zh(self) -> &'static str {
        self.label_in(Locale::zh)
    }

    /// English label.
    pub fn label_en(self) -> &'static str {
        self.label_in(Locale::en)
    }

    fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Year => td_string!(locale, procedure.ticket_part_year),
            Self::Batch => td_string!(locale, procedure.ticket_part_batch),
            Self::Session => td_string!(locale, procedure.ticket_part_session),
            Self::Room => td_string!(locale, procedure.ticket_part_room),
            Self::Seat => td_string!(locale, procedure.ticket_part_seat),
        }
    }
}

/// Why a ticket number was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum TicketError {
    /// Not 15 digits (spaces and hyphens not counted).
    WrongLength {
        /// Digits and other characters found.
        len: usize,
    },
    /// A character that is not a digit.
    NotDigits {
        /// 1-based position among the characters kept.
        position: usize,
        /// The character.
        found: char,
    },
    /// A part outside its range (e.g. seat 00).
    OutOfRange {
        /// Which part.
        part: TicketPart,
        /// The value given.
        value: u32,
    },
    /// The check digit does not match: a digit is mistyped.
    BadCheckDigit {
        /// What the first 14 digits give.
        expected: char,
        /// What the number ends with.
        found: char,
    },
}

impl Localized for TicketError {
    fn message(&self, lang: Lang) -> String {
        let locale = locale(lang);
        match self {
            Self::WrongLength { len } => {
                td_string!(locale, procedure.ticket_wrong_length, len = len).to_string()
            }
            Self::NotDigits { position, found } => td_string!(
                locale,
                procedure.ticket_not_digits,
                position = position,
                found = found
            )
            .to_string(),
            Self::OutOfRange { part, value } => {
                let (min, max) = part.range();
                td_string!(
                    locale,
                    procedure.ticket_out_of_range,
                    part = part.label_in(locale),
                    value = value,
                    min = min,
                    max = max
                )
                .to_string()
            }
            Self::BadCheckDigit { expected, found } => td_string!(
                locale,
                procedure.ticket_bad_check_digit,
                expected = expected,
                found = found
            )
            .to_string(),
        }
    }
}

english_display!(TicketError);

/// 准考证号 — an admission ticket number; see the module documentation for the format.
///
/// Ordered by year, batch, session, room and seat, like its digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TicketNumber {
    year: u32,
    batch: u32,
    session: u32,
    room: u32,
    seat: u32,
}

impl TicketNumber {
    /// Number of digits, check digit included.
    pub const LEN: usize = 15;

    /// A ticket number from its parts.
    ///
    /// # Errors
    /// [`TicketError::OutOfRange`] naming the first part outside its range.
    pub fn new(
        year: u32,
        batch: u32,
        session: u32,
        room: u32,
        seat: u32,
    ) -> Result<Self, TicketError> {
        for (part, value) in [
            (TicketPart::Year, year),
            (TicketPart::Batch, batch),
            (TicketPart::Session, session),
            (TicketPart::Room, room),
            (TicketPart::Seat, seat),
        ] {
            let (min, max) = part.range();
            if !(min..=max).contains(&value) {
                return Err(TicketError::OutOfRange { part, value });
            }
        }
        Ok(Self {
            year,
            batch,
            session,
            room,
            seat,
        })
    }

    /// Parses a typed ticket number: spaces and hyphens are ignored, full-width digits accepted.
    ///
    /// # Errors
    /// [`TicketError`]: not 15 digits, a non-digit, a part out of range, or a wrong check digit.
    pub fn parse(raw: &str) -> Result<Self, TicketError> {
        let chars: Vec<char> = raw
            .chars()
            .map(half_width)
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if let Some((i, &found)) = chars.iter().enumerate().find(|(_, c)| !c.is_ascii_digit()) {
            return Err(TicketError::NotDigits {
                position: i + 1,
                found,
            });
        }
        if chars.len() != Self::LEN {
            return Err(TicketError::WrongLength { len: chars.len() });
        }
        let digits: Vec<u32> = chars.iter().filter_map(|c| c.to_digit(10)).collect();
        let number = |from: usize, to: usize| {
            digits
                .get(from..to)
                .unwrap_or_default()
                .iter()
                .fold(0, |n, d| n * 10 + d)
        };
        let expected = luhn_check_digit(digits.get(..14).unwrap_or_default());
        let found = chars[14];
        if expected != found {
            return Err(TicketError::BadCheckDigit { expected, found });
        }
        Self::new(
            number(0, 4),
            number(4, 7),
            number(7, 9),
            number(9, 12),
            number(12, 14),
        )
    }

    /// The batch's year.
    pub fn year(self) -> u32 {
        self.year
    }

    /// The batch's sequence within the year.
    pub fn batch(self) -> u32 {
        self.batch
    }

    /// The session within the batch.
    pub fn session(self) -> u32 {
        self.session
    }

    /// The room number within the session.
    pub fn room(self) -> u32 {
        self.room
    }

    /// The seat within the room.
    pub fn seat(self) -> u32 {
        self.seat
    }

    /// The 15 plain digits, as typed and stored.
    pub fn as_string(self) -> String {
        let body = self.body();
        let digits: Vec<u32> = body.chars().filter_map(|c| c.to_digit(10)).collect();
        format!("{body}{}", luhn_check_digit(&digits))
    }

    /// The number grouped for print: `2026 001 01 012 34 7`.
    pub fn grouped(self) -> String {
        let plain = self.as_string();
        [0..4, 4..7, 7..9, 9..12, 12..14, 14..15]
            .into_iter()
            .filter_map(|r| plain.get(r))
            .collect::<Vec<_>>()
            .join(" ")
    }

    fn body(self) -> String {
        format!(
            "{:04}{:03}{:02}{:03}{:02}",
            self.year, self.batch, self.session, self.room, self.seat
        )
    }
}

/// The Luhn check digit for `payload` (digits 0–9, most significant first).
fn luhn_check_digit(payload: &[u32]) -> char {
    let sum: u32 = payload
        .iter()
        .rev()
        .enumerate()
        .map(|(i, &d)| {
            if i % 2 == 0 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    char::from_digit((10 - sum % 10) % 10, 10).unwrap_or('0')
}

impl fmt::Display for TicketNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_string())
    }
}

impl TryFrom<String> for TicketNumber {
    type Error = TicketError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<TicketNumber> for String {
    fn from(value: TicketNumber) -> Self {
        value.as_string()
    }
}

/// Why a typed access code was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AccessCodeError {
    /// Not 8 characters (spaces and hyphens not counted).
    WrongLength {
        /// Characters found.
        len: usize,
    },
    /// A character the codes never contain.
    BadCharacter {
        /// 1-based position among the characters kept.
        position: usize,
        /// The character.
        found: char,
    },
}

impl Localized for AccessCodeError {
    fn message(&self, lang: Lang) -> String {
        let locale = locale(lang);
        match self {
            Self::WrongLength { len } => {
                td_string!(locale, procedure.access_code_wrong_length, len = len).to_string()
            }
            Self::BadCharacter { position, found } => td_string!(
                locale,
                procedure.access_code_bad_character,
                position = position,
                found = found
            )
            .to_string(),
        }
    }
}

english_display!(AccessCodeError);

/// 考试口令 — the one-time access code printed on an admission ticket.
///
/// A secret: not `Serialize`, `Debug` prints `AccessCode(********)`. `Display` gives the
/// printable form `ABCD-EFGH`; [`AccessCode::as_str`] the canonical 8 characters to hash.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessCode(String);

impl AccessCode {
    /// Characters a code is made of: digits 2–9 and capital letters without `I` and `O`.
    pub const ALPHABET: &'static [u8; 32] = b"23456789ABCDEFGHJKLMNPQRSTUVWXYZ";
    /// Characters in a code.
    pub const LEN: usize = 8;

    /// Draws a fresh code (40 bits of entropy) from a cryptographic RNG.
    pub fn generate<R: CryptoRng + ?Sized>(rng: &mut R) -> Self {
        let code = (0..Self::LEN)
            .map(|_| {
                // The top 5 bits index the 32 characters uniformly.
                let index = (rng.next_u32() >> 27) as usize;
                Self::ALPHABET.get(index).map_or('2', |&c| char::from(c))
            })
            .collect();
        Self(code)
    }

    /// Parses a typed code: case, spaces, hyphens and full-width letters do not matter.
    ///
    /// # Errors
    /// [`AccessCodeError`]: not 8 characters, or a character outside the alphabet.
    pub fn parse(raw: &str) -> Result<Self, AccessCodeError> {
        let chars: Vec<char> = raw
            .chars()
            .map(|c| half_width(c).to_ascii_uppercase())
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let in_alphabet = |c: char| u8::try_from(c).is_ok_and(|b| Self::ALPHABET.contains(&b));
        if let Some((i, &found)) = chars.iter().enumerate().find(|(_, c)| !in_alphabet(**c)) {
            return Err(AccessCodeError::BadCharacter {
                position: i + 1,
                found,
            });
        }
        if chars.len() != Self::LEN {
            return Err(AccessCodeError::WrongLength { len: chars.len() });
        }
        Ok(Self(chars.into_iter().collect()))
    }

    /// The canonical 8 characters, to hash or to compare with a hash. Never log it.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for AccessCode {
    /// The printable form, `ABCD-EFGH`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (head, tail) = self.0.split_at(self.0.len() / 2);
        write!(f, "{head}-{tail}")
    }
}

impl fmt::Debug for AccessCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("AccessCode(********)")
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
    use rand_chacha::ChaCha8Rng;
    use rand_chacha::rand_core::SeedableRng;

    use super::*;

    #[test]
    fn a_ticket_number_reads_as_year_batch_session_room_seat_and_check() {
        let t = TicketNumber::new(2026, 1, 1, 12, 34).unwrap();
        let plain = t.as_string();
        assert_eq!(plain.len(), 15);
        assert!(plain.starts_with("20260010101234"));
        assert_eq!(t.grouped(), format!("2026 001 01 012 34 {}", &plain[14..]));
        assert_eq!(t.to_string(), plain);
        let back = TicketNumber::parse(&t.grouped()).unwrap();
        assert_eq!(back, t);
        assert_eq!(
            (
                back.year(),
                back.batch(),
                back.session(),
                back.room(),
                back.seat()
            ),
            (2026, 1, 1, 12, 34)
        );
    }

    #[test]
    fn the_check_digit_is_the_luhn_digit() {
        // Luhn's textbook example: 7992739871 has check digit 3.
        assert_eq!(luhn_check_digit(&[7, 9, 9, 2, 7, 3, 9, 8, 7, 1]), '3');
    }

    #[test]
    fn parts_out_of_range_are_refused_by_name() {
        assert_eq!(
            TicketNumber::new(2026, 1, 1, 12, 0),
            Err(TicketError::OutOfRange {
                part: TicketPart::Seat,
                value: 0
            })
        );
        assert_eq!(
            TicketNumber::new(2026, 1000, 1, 1, 1),
            Err(TicketError::OutOfRange {
                part: TicketPart::Batch,
                value: 1000
            })
        );
        let e = TicketNumber::new(1999, 1, 1, 1, 1).unwrap_err();
        assert_eq!(e.message(Lang::Zh), "年份为 1999,应在 2000 到 9999 之间");
        assert_eq!(
            e.message(Lang::En),
            "the year is 1999, it must be between 2000 and 9999"
        );
    }

    #[test]
    fn typed_ticket_numbers_are_checked_for_length_digits_and_check_digit() {
        let plain = TicketNumber::new(2026, 3, 2, 101, 7).unwrap().as_string();
        assert_eq!(
            TicketNumber::parse(&plain[..14]),
            Err(TicketError::WrongLength { len: 14 })
        );
        assert!(matches!(
            TicketNumber::parse(&format!("{}A", &plain[..14])),
            Err(TicketError::NotDigits {
                position: 15,
                found: 'A'
            })
        ));
        let full_width: String = plain
            .chars()
            .map(|c| char::from_u32(u32::from(c) + 0xFEE0).unwrap())
            .collect();
        assert!(TicketNumber::parse(&full_width).is_ok());
        assert!(TicketNumber::parse(&format!(" {}-{} ", &plain[..7], &plain[7..])).is_ok());
        let mut wrong = plain.into_bytes();
        wrong[13] = if wrong[13] == b'9' {
            b'0'
        } else {
            wrong[13] + 1
        };
        let wrong = String::from_utf8(wrong).unwrap();
        assert!(matches!(
            TicketNumber::parse(&wrong),
            Err(TicketError::BadCheckDigit { .. })
        ));
    }

    #[test]
    fn ticket_numbers_serialize_as_their_plain_digits() {
        let t = TicketNumber::new(2026, 1, 1, 1, 1).unwrap();
        let json = serde_json::to_string(&t).unwrap();
        assert_eq!(json, format!("\"{}\"", t.as_string()));
        assert_eq!(serde_json::from_str::<TicketNumber>(&json).unwrap(), t);
        assert!(serde_json::from_str::<TicketNumber>("\"202600101010100\"").is_err());
    }

    #[test]
    fn access_codes_use_only_unambiguous_characters() {
        let mut rng = ChaCha8Rng::from_seed([7; 32]);
        for _ in 0..1000 {
            let code = AccessCode::generate(&mut rng);
            assert_eq!(code.as_str().len(), 8);
            assert!(
                code.as_str()
                    .bytes()
                    .all(|b| AccessCode::ALPHABET.contains(&b) && !b"0O1I".contains(&b))
            );
        }
        assert!(!AccessCode::ALPHABET.iter().any(|b| b"0O1I".contains(b)));
    }

    #[test]
    fn the_same_seed_gives_the_same_codes_and_codes_differ() {
        let draw = |seed| {
            let mut rng = ChaCha8Rng::from_seed(seed);
            (0..100)
                .map(|_| AccessCode::generate(&mut rng).as_str().to_owned())
                .collect::<Vec<_>>()
        };
        let a = draw([1; 32]);
        assert_eq!(a, draw([1; 32]));
        assert_ne!(a, draw([2; 32]));
        let distinct: std::collections::BTreeSet<_> = a.iter().collect();
        assert_eq!(distinct.len(), a.len());
    }

    #[test]
    fn an_access_code_prints_grouped_and_never_shows_in_debug() {
        let code = AccessCode::parse("abcd efgh").unwrap();
        assert_eq!(code.as_str(), "ABCDEFGH");
        assert_eq!(code.to_string(), "ABCD-EFGH");
        assert_eq!(format!("{code:?}"), "AccessCode(********)");
        assert_eq!(AccessCode::parse("ABCD-EFGH").unwrap(), code);
    }

    #[test]
    fn typed_access_codes_with_look_alikes_or_wrong_length_are_refused() {
        assert_eq!(
            AccessCode::parse("ABCD-EFG0"),
            Err(AccessCodeError::BadCharacter {
                position: 8,
                found: '0'
            })
        );
        assert_eq!(
            AccessCode::parse("ABCDEFG"),
            Err(AccessCodeError::WrongLength { len: 7 })
        );
        assert!(
            AccessCodeError::BadCharacter {
                position: 1,
                found: 'O'
            }
            .message(Lang::Zh)
            .contains("没有 0、O、1、I")
        );
    }

    proptest! {
        #[test]
        fn every_ticket_number_round_trips_and_every_single_digit_error_is_caught(
            year in 2000u32..=9999,
            batch in 1u32..=999,
            session in 1u32..=99,
            room in 1u32..=999,
            seat in 1u32..=99,
            position in 0usize..15,
            delta in 1u8..=9,
        ) {
            let t = TicketNumber::new(year, batch, session, room, seat).unwrap();
            prop_assert_eq!(TicketNumber::parse(&t.as_string()).unwrap(), t);
            prop_assert_eq!(TicketNumber::parse(&t.grouped()).unwrap(), t);
            let mut bytes = t.as_string().into_bytes();
            bytes[position] = b'0' + (bytes[position] - b'0' + delta) % 10;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(TicketNumber::parse(&changed).is_err());
        }

        #[test]
        fn every_generated_access_code_parses_back(seed in any::<[u8; 32]>()) {
            let mut rng = ChaCha8Rng::from_seed(seed);
            let code = AccessCode::generate(&mut rng);
            prop_assert_eq!(AccessCode::parse(&code.to_string()).unwrap(), code.clone());
            prop_assert_eq!(AccessCode::parse(&code.as_str().to_lowercase()).unwrap(), code);
        }
    }
}
