//! 验证码 — the verification code of a result notice: fifteen random characters of Crockford's
//! base 32 (75 bits, never derived from the person) and a Luhn mod 32 check character, written
//! in groups of four (`K7QM-2XHD-9RWP-T4CZ`). Reading is forgiving: case, spaces and dashes do
//! not matter, and O, I and L are read as 0, 1 and 1. The check character catches every single
//! mistyped character and most swaps of two neighbours before anything is looked up.

use std::fmt;

/// Crockford's base-32 alphabet: no I, L, O or U.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";
/// Random characters in a code.
const RANDOM_CHARS: usize = 15;
/// Characters in a code, the check character included.
pub const CODE_CHARS: usize = RANDOM_CHARS + 1;

/// A well-formed verification code (its check character agrees).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct NoticeCode(String);

/// Why a typed code is not a code.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CodeError {
    /// Not 16 characters (after dashes and spaces are dropped).
    Length(usize),
    /// A character outside the alphabet.
    Character(char),
    /// The check character does not agree: a character was mistyped.
    Check,
}

fn value_of(c: char) -> Option<u8> {
    let c = match c.to_ascii_uppercase() {
        'O' => '0',
        'I' | 'L' => '1',
        other => other,
    };
    ALPHABET
        .iter()
        .position(|&a| char::from(a) == c)
        .and_then(|i| u8::try_from(i).ok())
}

fn char_of(value: u8) -> char {
    char::from(ALPHABET[usize::from(value % 32)])
}

/// Luhn mod 32: the sum that a valid code's values (check included) bring to 0 mod 32.
fn luhn_sum(values: &[u8], check_included: bool) -> u32 {
    let mut double = !check_included;
    let mut sum = 0u32;
    for &v in values.iter().rev() {
        let mut addend = u32::from(v);
        if double {
            addend *= 2;
            addend = addend / 32 + addend % 32;
        }
        sum += addend;
        double = !double;
    }
    sum
}

impl NoticeCode {
    /// A code from 10 random bytes (75 of their 80 bits are used).
    pub fn from_random(bytes: [u8; 10]) -> Self {
        let mut bits = u128::from_be_bytes({
            let mut b = [0u8; 16];
            b[6..].copy_from_slice(&bytes);
            b
        });
        let mut values = [0u8; RANDOM_CHARS];
        for v in values.iter_mut().rev() {
            *v = u8::try_from(bits & 31).unwrap_or(0);
            bits >>= 5;
        }
        let check = (32 - luhn_sum(&values, false) % 32) % 32;
        let mut code: String = values.iter().map(|&v| char_of(v)).collect();
        code.push(char_of(u8::try_from(check).unwrap_or(0)));
        Self(code)
    }

    /// Reads a typed code.
    ///
    /// # Errors
    /// [`CodeError`] naming what is wrong.
    pub fn parse(typed: &str) -> Result<Self, CodeError> {
        let chars: Vec<char> = typed
            .chars()
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        if chars.len() != CODE_CHARS {
            return Err(CodeError::Length(chars.len()));
        }
        let values = chars
            .iter()
            .map(|&c| value_of(c).ok_or(CodeError::Character(c)))
            .collect::<Result<Vec<u8>, _>>()?;
        if !luhn_sum(&values, true).is_multiple_of(32) {
            return Err(CodeError::Check);
        }
        Ok(Self(values.iter().map(|&v| char_of(v)).collect()))
    }

    /// The 16 characters, as stored.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for NoticeCode {
    /// In groups of four: `K7QM-2XHD-9RWP-T4CZ`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let groups: Vec<&str> = (0..CODE_CHARS)
            .step_by(4)
            .filter_map(|i| self.0.get(i..i + 4))
            .collect();
        f.write_str(&groups.join("-"))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, reason = "tests: failing is failing the test")]
mod tests {
    use super::*;

    fn sample(seed: u8) -> NoticeCode {
        let mut bytes = [0u8; 10];
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = seed
                .wrapping_mul(31)
                .wrapping_add(u8::try_from(i).unwrap() * 17);
        }
        NoticeCode::from_random(bytes)
    }

    #[test]
    fn a_code_reads_back_whatever_its_case_dashes_and_look_alikes() {
        for seed in 0..50 {
            let code = sample(seed);
            assert_eq!(code.as_str().len(), CODE_CHARS);
            assert_eq!(NoticeCode::parse(code.as_str()), Ok(code.clone()));
            assert_eq!(NoticeCode::parse(&code.to_string()), Ok(code.clone()));
            let sloppy = code
                .to_string()
                .to_lowercase()
                .replace('0', "o")
                .replace('1', "l");
            assert_eq!(NoticeCode::parse(&sloppy), Ok(code.clone()));
        }
        assert_eq!(sample(1).to_string().len(), 19);
    }

    #[test]
    fn every_single_mistyped_character_is_caught() {
        for seed in 0..20 {
            let code = sample(seed);
            for at in 0..CODE_CHARS {
                for &other in ALPHABET {
                    let mut chars: Vec<char> = code.as_str().chars().collect();
                    if chars[at] == char::from(other) {
                        continue;
                    }
                    chars[at] = char::from(other);
                    let typed: String = chars.into_iter().collect();
                    assert_eq!(NoticeCode::parse(&typed), Err(CodeError::Check), "{typed}");
                }
            }
        }
    }

    #[test]
    fn most_swaps_of_neighbours_are_caught_and_bad_input_is_named() {
        let (mut caught, mut swaps) = (0, 0);
        for seed in 0..20 {
            let code: Vec<char> = sample(seed).as_str().chars().collect();
            for at in 0..CODE_CHARS - 1 {
                if code[at] == code[at + 1] {
                    continue;
                }
                let mut swapped = code.clone();
                swapped.swap(at, at + 1);
                swaps += 1;
                if NoticeCode::parse(&swapped.into_iter().collect::<String>()).is_err() {
                    caught += 1;
                }
            }
        }
        assert!(caught * 100 >= swaps * 90, "{caught} of {swaps}");
        assert_eq!(NoticeCode::parse("ABC"), Err(CodeError::Length(3)));
        assert_eq!(
            NoticeCode::parse("0000-0000-0000-000U"),
            Err(CodeError::Character('U'))
        );
    }

    #[test]
    fn codes_use_the_random_bits_not_a_constant() {
        let a = NoticeCode::from_random([0; 10]);
        let b = NoticeCode::from_random([0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
        let c = NoticeCode::from_random([1, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
        assert_ne!(a, b);
        assert_ne!(a, c);
    }
}
