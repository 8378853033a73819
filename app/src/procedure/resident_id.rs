//! 公民身份号码 — the 18-character resident identity number of the PRC (GB 11643-1999).
//!
//! Layout: 6-digit area code, 8-digit birth date `YYYYMMDD`, 3-digit sequence (odd for men, even
//! for women), and a check character computed by ISO 7064 MOD 11-2 (`0`–`9` or `X`). A
//! [`ResidentId`] that exists has passed every rule; its full text is personal data, so `Display`
//! and `Debug` show only the masked form and the full number is reachable only through
//! [`ResidentId::as_str`] (and `Serialize`, which the server needs).
//!
//! Not checked: whether the area code is in the current GB/T 2260 list (codes are retired and
//! renumbered, and numbers issued under old codes stay valid for life).

use std::fmt;

use chrono::{Datelike, NaiveDate, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::{Lang, Localized, half_width, locale};
use crate::i18n::{Locale, td_string};

/// Weights of the 17 body digits in the MOD 11-2 check (2^(18-i) mod 11).
const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
/// The check character for each value of the weighted sum mod 11.
const CHECK_CHARS: [u8; 11] = *b"10X98765432";

/// 性别 — sex, as recorded by the sequence digit of a resident ID.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sex {
    /// 男 — odd sequence digit.
    Male,
    /// 女 — even sequence digit.
    Female,
}

impl Sex {
    /// Chinese label: 男, 女 (`procedure.sex_*` of the locale files). The plan service stores it
    /// as the candidate's sex, and [`Sex::parse`] reads it back: the words it recognises stay in
    /// code, so a changed label that `parse` no longer knows fails the tests.
    pub fn label_zh(self) -> &'static str {
        self.label_in(Locale::zh)
    }

    /// English label: male, female.
    pub fn label_en(self) -> &'static str {
        self.label_in(Locale::en)
    }

    /// The label in `locale`.
    pub(super) fn label_in(self, locale: Locale) -> &'static str {
        match self {
            Self::Male => td_string!(locale, procedure.sex_male),
            Self::Female => td_string!(locale, procedure.sex_female),
        }
    }

    /// Parses 男 / 男性 / M / male and 女 / 女性 / F / female (any case, surrounding whitespace
    /// ignored); `None` for anything else.
    pub fn parse(raw: &str) -> Option<Self> {
        let folded: String = raw.trim().chars().map(half_width).collect();
        match folded.to_lowercase().as_str() {
            "男" | "男性" | "m" | "male" => Some(Self::Male),
            "女" | "女性" | "f" | "female" => Some(Self::Female),
            _ => None,
        }
    }
}

impl fmt::Display for Sex {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label_zh())
    }
}

/// Why a resident ID was refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ResidentIdError {
    /// Not 18 characters (after trimming).
    WrongLength {
        /// Characters found.
        len: usize,
    },
    /// A character other than a digit (or `X` in the last place).
    NotDigits {
        /// 1-based position of the first offending character.
        position: usize,
        /// The character.
        found: char,
    },
    /// Characters 7–14 are not a real calendar date from 1900 on.
    BadDate {
        /// The eight digits as written.
        date: String,
    },
    /// The birth date lies after today.
    FutureBirth {
        /// The birth date read from the number.
        date: NaiveDate,
    },
    /// The check character does not match the first 17 digits.
    BadChecksum {
        /// What MOD 11-2 computes from the first 17 digits.
        expected: char,
        /// What the number ends with.
        found: char,
    },
}

impl Localized for ResidentIdError {
    fn message(&self, lang: Lang) -> String {
        let locale = locale(lang);
        match self {
            Self::WrongLength { len } => {
                td_string!(locale, procedure.resident_id_wrong_length, len = len).to_string()
            }
            Self::NotDigits { position, found } => td_string!(
                locale,
                procedure.resident_id_not_digits,
                position = position,
                found = found
            )
            .to_string(),
            Self::BadDate { date } => {
                td_string!(locale, procedure.resident_id_bad_date, date = date).to_string()
            }
            Self::FutureBirth { date } => {
                td_string!(locale, procedure.resident_id_future_birth, date = date).to_string()
            }
            Self::BadChecksum { expected, found } => td_string!(
                locale,
                procedure.resident_id_bad_checksum,
                expected = expected,
                found = found
            )
            .to_string(),
        }
    }
}

english_display!(ResidentIdError);

/// 公民身份号码 — an 18-character resident identity number that passed every rule of
/// GB 11643-1999: length, digits, a real birth date from 1900 up to today, and the MOD 11-2 check.
///
/// Stored normalized: ASCII digits and an upper-case `X`. `Display` and `Debug` print the masked
/// form ([`ResidentId::masked`]) so that logs and error pages never carry the full number;
/// `Serialize` writes the full number (the server stores it), `Deserialize` parses it again.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ResidentId {
    digits: String,
    birth_date: NaiveDate,
}

impl ResidentId {
    /// Parses a resident ID, taking today's date in China (UTC+8) as the latest birth date.
    ///
    /// # Errors
    /// See [`ResidentId::parse_at`].
    pub fn parse(raw: &str) -> Result<Self, ResidentIdError> {
        let today_in_china = (Utc::now().naive_utc() + TimeDelta::hours(8)).date();
        Self::parse_at(raw, today_in_china)
    }

    /// Parses a resident ID whose holder must be born on or before `today`.
    ///
    /// Surrounding whitespace is ignored; full-width digits (`０`–`９`) and a full-width or
    /// lower-case `x` are accepted and normalized.
    ///
    /// # Errors
    /// [`ResidentIdError`]: wrong length, a non-digit, a birth date that is not a real date from
    /// 1900 on or lies after `today`, or a check character that does not match.
    pub fn parse_at(raw: &str, today: NaiveDate) -> Result<Self, ResidentIdError> {
        let chars: Vec<char> = raw
            .trim()
            .chars()
            .map(|c| match half_width(c) {
                'x' => 'X',
                other => other,
            })
            .collect();
        if chars.len() != 18 {
            return Err(ResidentIdError::WrongLength { len: chars.len() });
        }
        for (i, &c) in chars.iter().enumerate() {
            let ok = c.is_ascii_digit() || (i == 17 && c == 'X');
            if !ok {
                return Err(ResidentIdError::NotDigits {
                    position: i + 1,
                    found: c,
                });
            }
        }
        let digits: String = chars.iter().collect();
        let date_text = &digits[6..14];
        let birth_date = parse_birth_date(date_text).ok_or_else(|| ResidentIdError::BadDate {
            date: date_text.to_owned(),
        })?;
        if birth_date > today {
            return Err(ResidentIdError::FutureBirth { date: birth_date });
        }
        let expected = check_char(&digits[..17]).unwrap_or('?');
        let found = chars[17];
        if expected != found {
            return Err(ResidentIdError::BadChecksum { expected, found });
        }
        Ok(Self { digits, birth_date })
    }

    /// The full 18-character number (ASCII digits, upper-case `X`). Personal data: show it only
    /// to those entitled to it.
    pub fn as_str(&self) -> &str {
        &self.digits
    }

    /// The 6-digit area code (行政区划代码) of the place of first registration.
    pub fn area_code(&self) -> &str {
        &self.digits[..6]
    }

    /// The birth date (characters 7–14).
    pub fn birth_date(&self) -> NaiveDate {
        self.birth_date
    }

    /// The sex recorded by the sequence digit (character 17): odd is male, even is female.
    pub fn sex(&self) -> Sex {
        let odd = self
            .digits
            .as_bytes()
            .get(16)
            .is_some_and(|d| (d - b'0') % 2 == 1);
        if odd { Sex::Male } else { Sex::Female }
    }

    /// The number with the birth date and sequence hidden: first 6 and last 4 characters kept,
    /// e.g. `110105********123X`.
    pub fn masked(&self) -> String {
        format!("{}********{}", &self.digits[..6], &self.digits[14..])
    }

    /// The holder's age in whole years on `on`.
    pub fn age_on(&self, on: NaiveDate) -> u32 {
        on.years_since(self.birth_date).unwrap_or(0)
    }
}

/// The MOD 11-2 check character for a 17-digit body; `None` unless `body` is 17 ASCII digits.
///
/// Useful to build valid numbers (demo data, tests); parsing checks it by itself.
pub fn check_char(body: &str) -> Option<char> {
    let bytes = body.as_bytes();
    if bytes.len() != 17 || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let sum: u32 = bytes
        .iter()
        .zip(WEIGHTS)
        .map(|(d, w)| u32::from(d - b'0') * w)
        .sum();
    CHECK_CHARS.get((sum % 11) as usize).map(|&c| char::from(c))
}

/// A `YYYYMMDD` date from 1900 on; `None` if it is not a real calendar date.
fn parse_birth_date(text: &str) -> Option<NaiveDate> {
    let year: i32 = text.get(..4)?.parse().ok()?;
    let month: u32 = text.get(4..6)?.parse().ok()?;
    let day: u32 = text.get(6..8)?.parse().ok()?;
    NaiveDate::from_ymd_opt(year, month, day).filter(|d| d.year() >= 1900)
}

impl fmt::Display for ResidentId {
    /// The masked form: a resident ID printed by accident must not leak.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.masked())
    }
}

impl fmt::Debug for ResidentId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ResidentId({})", self.masked())
    }
}

impl TryFrom<String> for ResidentId {
    type Error = ResidentIdError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ResidentId> for String {
    fn from(value: ResidentId) -> Self {
        value.digits
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

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 6, 1).unwrap()
    }

    /// Builds a valid number from its parts.
    fn make(area: u32, date: NaiveDate, seq: u32) -> String {
        let body = format!("{area:06}{}{seq:03}", date.format("%Y%m%d"));
        let check = check_char(&body).unwrap();
        format!("{body}{check}")
    }

    #[test]
    fn a_valid_number_parses_with_its_birth_date_and_sex() {
        // The textbook example of GB 11643-1999.
        let id = ResidentId::parse_at("11010519491231002X", today()).unwrap();
        assert_eq!(id.as_str(), "11010519491231002X");
        assert_eq!(id.area_code(), "110105");
        assert_eq!(
            id.birth_date(),
            NaiveDate::from_ymd_opt(1949, 12, 31).unwrap()
        );
        assert_eq!(id.sex(), Sex::Female);
        assert_eq!(id.age_on(today()), 76);

        let man = ResidentId::parse_at(&make(440524, date(1980, 1, 1), 1), today()).unwrap();
        assert_eq!(man.sex(), Sex::Male);
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn a_wrong_check_digit_is_refused_naming_the_expected_one() {
        assert_eq!(
            ResidentId::parse_at("110105194912310021", today()),
            Err(ResidentIdError::BadChecksum {
                expected: 'X',
                found: '1'
            })
        );
    }

    #[test]
    fn february_the_thirtieth_is_not_a_birth_date() {
        let body = "11010519900230123";
        let raw = format!("{body}{}", check_char(body).unwrap());
        assert_eq!(
            ResidentId::parse_at(&raw, today()),
            Err(ResidentIdError::BadDate {
                date: "19900230".into()
            })
        );
    }

    #[test]
    fn births_before_1900_and_in_the_future_are_refused() {
        let body = "11010518991231123";
        let raw = format!("{body}{}", check_char(body).unwrap());
        assert!(matches!(
            ResidentId::parse_at(&raw, today()),
            Err(ResidentIdError::BadDate { .. })
        ));
        let raw = make(110105, date(2026, 6, 2), 123);
        assert_eq!(
            ResidentId::parse_at(&raw, today()),
            Err(ResidentIdError::FutureBirth {
                date: date(2026, 6, 2)
            })
        );
        assert!(ResidentId::parse_at(&make(110105, today(), 123), today()).is_ok());
    }

    #[test]
    fn a_number_of_the_wrong_length_is_refused_with_its_length() {
        assert_eq!(
            ResidentId::parse_at("11010519491231002", today()),
            Err(ResidentIdError::WrongLength { len: 17 })
        );
        assert_eq!(
            ResidentId::parse_at("", today()),
            Err(ResidentIdError::WrongLength { len: 0 })
        );
        // The old 15-digit numbers are no longer valid.
        assert_eq!(
            ResidentId::parse_at("110105491231002", today()),
            Err(ResidentIdError::WrongLength { len: 15 })
        );
    }

    #[test]
    fn letters_other_than_a_final_x_are_refused_with_their_position() {
        assert_eq!(
            ResidentId::parse_at("1101051949123100X2", today()),
            Err(ResidentIdError::NotDigits {
                position: 17,
                found: 'X'
            })
        );
        assert_eq!(
            ResidentId::parse_at("11010519491231002Y", today()),
            Err(ResidentIdError::NotDigits {
                position: 18,
                found: 'Y'
            })
        );
    }

    #[test]
    fn lower_case_and_full_width_input_is_normalized() {
        for raw in [
            "11010519491231002x",
            "  11010519491231002X\t",
            "１１０１０５１９４９１２３１００２Ｘ",
            "１１０１０５１９４９１２３１００２ｘ",
        ] {
            let id = ResidentId::parse_at(raw, today()).unwrap();
            assert_eq!(id.as_str(), "11010519491231002X", "{raw}");
        }
    }

    #[test]
    fn display_and_debug_show_only_the_masked_number() {
        let id = ResidentId::parse_at("11010519491231002X", today()).unwrap();
        assert_eq!(id.masked(), "110105********002X");
        assert_eq!(id.to_string(), "110105********002X");
        assert_eq!(format!("{id:?}"), "ResidentId(110105********002X)");
    }

    #[test]
    fn serde_writes_the_full_number_and_reads_only_valid_ones() {
        let id = ResidentId::parse_at("11010519491231002X", today()).unwrap();
        let json = serde_json::to_string(&id).unwrap();
        assert_eq!(json, "\"11010519491231002X\"");
        let back: ResidentId = serde_json::from_str("\"11010519491231002x\"").unwrap();
        assert_eq!(back, id);
        assert!(serde_json::from_str::<ResidentId>("\"110105194912310021\"").is_err());
    }

    #[test]
    fn errors_explain_themselves_in_both_languages() {
        let e = ResidentIdError::BadChecksum {
            expected: 'X',
            found: '1',
        };
        assert!(e.message(Lang::Zh).contains("校验位"));
        assert!(e.message(Lang::En).contains("check character"));
        assert_eq!(e.message(Lang::En), e.to_string());
    }

    #[test]
    fn sex_labels_parse_in_chinese_and_english() {
        assert_eq!(Sex::parse(" 男 "), Some(Sex::Male));
        assert_eq!(Sex::parse("女性"), Some(Sex::Female));
        assert_eq!(Sex::parse("Ｆ"), Some(Sex::Female));
        assert_eq!(Sex::parse("未知"), None);
    }

    #[test]
    fn the_sex_labels_from_the_locale_files_parse_back() {
        // The plan service stores `label_zh`; what `parse` recognises is in code.
        for sex in [Sex::Male, Sex::Female] {
            assert_eq!(Sex::parse(sex.label_zh()), Some(sex));
            assert_eq!(Sex::parse(sex.label_en()), Some(sex));
        }
    }

    fn valid_id() -> impl Strategy<Value = String> {
        let days = (today() - date(1900, 1, 1)).num_days();
        (100_000u32..=999_999, 0..=days, 0u32..=999).prop_map(|(area, offset, seq)| {
            make(area, date(1900, 1, 1) + TimeDelta::days(offset), seq)
        })
    }

    proptest! {
        #[test]
        fn every_well_formed_number_parses_and_round_trips(raw in valid_id()) {
            let id = ResidentId::parse_at(&raw, today()).unwrap();
            prop_assert_eq!(id.as_str(), raw.as_str());
            prop_assert_eq!(&ResidentId::parse_at(id.as_str(), today()).unwrap(), &id);
            let json = serde_json::to_string(&id).unwrap();
            prop_assert_eq!(serde_json::from_str::<ResidentId>(&json).unwrap(), id);
        }

        #[test]
        fn every_single_character_change_is_detected(
            raw in valid_id(),
            position in 0usize..18,
            replacement in 0usize..11,
        ) {
            let alphabet: &[u8] = if position == 17 { b"0123456789X" } else { b"0123456789" };
            let new = alphabet[replacement % alphabet.len()];
            prop_assume!(raw.as_bytes()[position] != new);
            let mut bytes = raw.into_bytes();
            bytes[position] = new;
            let changed = String::from_utf8(bytes).unwrap();
            prop_assert!(ResidentId::parse_at(&changed, today()).is_err(), "{}", changed);
        }
    }
}
