//! 报名名单 — the rules for one candidate row of an agency's registration file, for duplicates
//! within a file, and for who may sit an exam at all.
//!
//! The file itself (xlsx / csv) is read elsewhere, by question-bank's table reader, into
//! [`RawCandidateRow`]s of text cells; this module turns one row into a valid [`CandidateRow`] or
//! into *all* of its problems at once, each naming its column by the Chinese header the agency
//! sees and saying how to fix it. The cross-row and history rules are pure functions the plan
//! service calls: [`check_duplicates_in_file`] / [`find_duplicate_ids`] and [`check_eligibility`].
//!
//! Not here: looking up duplicates in other plans of the batch (the service queries them and can
//! reuse [`find_duplicate_ids`]), exemptions (免考) for holders of the national legal
//! qualification, and the office's power to reset a re-sit count after retraining (the service
//! passes only the history that counts).

use std::collections::HashMap;
use std::fmt;

use chrono::NaiveDate;
use question_bank::{EnforcementField, ExamScope, TextError};
use serde::{Deserialize, Serialize};

use super::resident_id::{ResidentId, ResidentIdError, Sex};
use super::{Lang, Localized, half_width, locale};
use crate::i18n::{Locale, td_string};

/// A column of the registration file, in template order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Column {
    /// 姓名.
    Name,
    /// 身份证号.
    ResidentId,
    /// 性别.
    Sex,
    /// 职务.
    Post,
    /// 执法领域.
    Field,
    /// 编制性质.
    Staffing,
    /// 手机号.
    Mobile,
}

impl Column {
    /// Every column, in template order.
    pub const ALL: [Self; 7] = [
        Self::Name,
        Self::ResidentId,
        Self::Sex,
        Self::Post,
        Self::Field,
        Self::Staffing,
        Self::Mobile,
    ];

    /// The template's header: 姓名, 身份证号, 性别, 职务, 执法领域, 编制性质, 手机号
    /// (`procedure.column_*` of the Chinese locale file). It is shown to people (and names the
    /// column in every [`RowFieldError`]); the headers recognised in an uploaded file are the
    /// literals of [`Column::from_header`], which must include it (a test checks they do).
    pub fn header_zh(self) -> &'static str {
        self.header(Locale::zh)
    }

    /// English name of the column.
    pub fn header_en(self) -> &'static str {
        self.header(Locale::en)
    }

    /// The column's name in `locale`.
    fn header(self, locale: Locale) -> &'static str {
        match self {
            Self::Name => td_string!(locale, procedure.column_name),
            Self::ResidentId => td_string!(locale, procedure.column_resident_id),
            Self::Sex => td_string!(locale, procedure.column_sex),
            Self::Post => td_string!(locale, procedure.column_post),
            Self::Field => td_string!(locale, procedure.column_field),
            Self::Staffing => td_string!(locale, procedure.column_staffing),
            Self::Mobile => td_string!(locale, procedure.column_mobile),
        }
    }

    /// Recognizes a header as agencies write it: the template's, common variants (身份证号码,
    /// 联系电话…), the English name; whitespace, case, full width and a trailing `*` (marking a
    /// required column) do not matter. `None` for an unknown header.
    ///
    /// The accepted spellings are syntax of the file, not interface text: they stay here, not in
    /// the locale files.
    pub fn from_header(raw: &str) -> Option<Self> {
        let folded: String = raw
            .chars()
            .map(half_width)
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        let folded = folded.trim_end_matches(['*', '＊']);
        Some(match folded {
            "姓名" | "考生姓名" | "名字" | "name" => Self::Name,
            "身份证号" | "身份证号码" | "公民身份号码" | "身份证" | "resident_id"
            | "residentid" | "id" => Self::ResidentId,
            "性别" | "sex" | "gender" => Self::Sex,
            "职务" | "职务职级" | "职务/职级" | "岗位" | "post" => Self::Post,
            "执法领域" | "执法类别" | "执法门类" | "领域" | "field" => Self::Field,
            "编制性质" | "编制情况" | "人员性质" | "staffing" => Self::Staffing,
            "手机号" | "手机号码" | "手机" | "联系电话" | "mobile" | "phone" => {
                Self::Mobile
            }
            _ => return None,
        })
    }
}

impl fmt::Display for Column {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.header_zh())
    }
}

/// One problem of one cell of a candidate row. Every message names the column (its Chinese
/// header) and says how to fix the cell.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum RowFieldError {
    /// 姓名 is empty.
    NameMissing,
    /// 姓名 is longer than [`PersonName::MAX_CHARS`].
    NameTooLong {
        /// Characters found.
        len: usize,
    },
    /// 姓名 holds something other than Chinese characters, Latin letters and `·`.
    NameBadCharacter {
        /// The character.
        found: char,
    },
    /// 姓名 starts or ends with `·`, or has two in a row.
    NameMisplacedDot,
    /// 身份证号 is not a valid resident ID.
    ResidentId(ResidentIdError),
    /// 性别 is neither 男 nor 女.
    SexUnknown {
        /// The cell as written.
        found: String,
    },
    /// 性别 contradicts the sex digit of the resident ID.
    SexMismatch {
        /// What the 性别 cell says.
        declared: Sex,
        /// What the ID's sequence digit says.
        from_id: Sex,
    },
    /// 职务 is not one line of at most [`Post::MAX_CHARS`] characters.
    Post(TextError),
    /// 执法领域 is empty or not one line of at most 32 characters.
    Field(TextError),
    /// 编制性质 is neither 在编在岗 nor 其他.
    StaffingUnknown {
        /// The cell as written.
        found: String,
    },
    /// 编制性质 is not 在编在岗: the person may not sit.
    NotOnPost {
        /// The cell as written.
        found: String,
    },
    /// 手机号 is not an 11-digit mainland mobile number.
    MobileInvalid {
        /// The cell as written.
        found: String,
    },
}

impl RowFieldError {
    /// The column the problem is in.
    pub fn column(&self) -> Column {
        match self {
            Self::NameMissing
            | Self::NameTooLong { .. }
            | Self::NameBadCharacter { .. }
            | Self::NameMisplacedDot => Column::Name,
            Self::ResidentId(_) => Column::ResidentId,
            Self::SexUnknown { .. } | Self::SexMismatch { .. } => Column::Sex,
            Self::Post(_) => Column::Post,
            Self::Field(_) => Column::Field,
            Self::StaffingUnknown { .. } | Self::NotOnPost { .. } => Column::Staffing,
            Self::MobileInvalid { .. } => Column::Mobile,
        }
    }
}

impl Localized for RowFieldError {
    fn message(&self, lang: Lang) -> String {
        let locale = locale(lang);
        // Every message starts with the column's header as the template writes it, in English
        // too: that is what the agency sees in its file.
        let column = self.column().header_zh();
        match self {
            Self::NameMissing => {
                td_string!(locale, procedure.row_name_missing, column = column).to_string()
            }
            Self::NameTooLong { len } => td_string!(
                locale,
                procedure.row_name_too_long,
                column = column,
                len = len,
                max = PersonName::MAX_CHARS
            )
            .to_string(),
            Self::NameBadCharacter { found } => td_string!(
                locale,
                procedure.row_name_bad_character,
                column = column,
                found = found
            )
            .to_string(),
            Self::NameMisplacedDot => {
                td_string!(locale, procedure.row_name_misplaced_dot, column = column).to_string()
            }
            Self::ResidentId(e) => td_string!(
                locale,
                procedure.row_resident_id,
                column = column,
                detail = e.message(lang)
            )
            .to_string(),
            Self::SexUnknown { found } => td_string!(
                locale,
                procedure.row_sex_unknown,
                column = column,
                found = found
            )
            .to_string(),
            Self::SexMismatch { declared, from_id } => td_string!(
                locale,
                procedure.row_sex_mismatch,
                column = column,
                declared = declared.label_in(locale),
                from_id = from_id.label_in(locale)
            )
            .to_string(),
            Self::Post(e) => td_string!(
                locale,
                procedure.row_post,
                column = column,
                detail = e.message(lang)
            )
            .to_string(),
            Self::Field(e) => td_string!(
                locale,
                procedure.row_field,
                column = column,
                detail = e.message(lang)
            )
            .to_string(),
            Self::StaffingUnknown { found } => td_string!(
                locale,
                procedure.row_staffing_unknown,
                column = column,
                found = found
            )
            .to_string(),
            Self::NotOnPost { found } => td_string!(
                locale,
                procedure.row_not_on_post,
                column = column,
                found = found
            )
            .to_string(),
            Self::MobileInvalid { found } => td_string!(
                locale,
                procedure.row_mobile_invalid,
                column = column,
                found = found
            )
            .to_string(),
        }
    }
}

english_display!(RowFieldError);

/// 姓名 — a person's name: 1–[`PersonName::MAX_CHARS`] characters, Chinese characters or Latin
/// letters, with `·` between the parts of a transliterated name (阿依古丽·买买提).
///
/// Normalized: full-width letters to ASCII; `•`, `・`, `‧`, `．` and `.` to `·`; spaces dropped
/// except one between two Latin letters (so a padded `张  三` becomes `张三`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct PersonName(String);

impl PersonName {
    /// Longest accepted name, in characters.
    pub const MAX_CHARS: usize = 32;

    /// Parses a name cell.
    ///
    /// # Errors
    /// [`RowFieldError`] for the 姓名 column: empty, too long, a character that is not a Chinese
    /// character, a letter or `·`, or a misplaced `·`.
    pub fn parse(raw: &str) -> Result<Self, RowFieldError> {
        let chars: Vec<char> = raw
            .trim()
            .chars()
            .map(|c| match half_width(c) {
                '•' | '・' | '‧' | '．' | '.' | '･' => '·',
                other => other,
            })
            .collect();
        let mut name = String::with_capacity(raw.len());
        for (i, &c) in chars.iter().enumerate() {
            if c.is_whitespace() {
                let before = name.chars().last();
                let after = chars
                    .get(i + 1..)
                    .and_then(|rest| rest.iter().copied().find(|c| !c.is_whitespace()));
                let between_letters = before.is_some_and(|b| b.is_ascii_alphabetic())
                    && after.is_some_and(|a| a.is_ascii_alphabetic());
                if between_letters && !name.ends_with(' ') {
                    name.push(' ');
                }
                continue;
            }
            if !(is_han(c) || c.is_ascii_alphabetic() || c == '·') {
                return Err(RowFieldError::NameBadCharacter { found: c });
            }
            name.push(c);
        }
        let len = name.chars().count();
        if len == 0 {
            return Err(RowFieldError::NameMissing);
        }
        if len > Self::MAX_CHARS {
            return Err(RowFieldError::NameTooLong { len });
        }
        if name.starts_with('·') || name.ends_with('·') || name.contains("··") {
            return Err(RowFieldError::NameMisplacedDot);
        }
        Ok(Self(name))
    }

    /// The normalized name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for PersonName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Whether `c` is a CJK ideograph (basic block, extensions A–H, compatibility) or 〇.
fn is_han(c: char) -> bool {
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{20000}'..='\u{2EBEF}'
        | '\u{30000}'..='\u{323AF}'
        | '\u{F900}'..='\u{FAFF}'
        | '〇')
}

/// 职务 — a post or rank, one line of at most [`Post::MAX_CHARS`] characters.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct Post(String);

impl Post {
    /// Longest accepted post, in characters.
    pub const MAX_CHARS: usize = 32;

    /// Parses a post cell; `Ok(None)` for an empty cell (the column is optional).
    ///
    /// # Errors
    /// [`RowFieldError::Post`]: more than one line, a control character, or too long.
    pub fn parse(raw: &str) -> Result<Option<Self>, RowFieldError> {
        let text = raw.trim();
        if text.is_empty() {
            return Ok(None);
        }
        if let Some(c) = text.chars().find(|c| c.is_control()) {
            return Err(RowFieldError::Post(if c == '\n' || c == '\r' {
                TextError::LineBreak
            } else {
                TextError::ControlCharacter { code: u32::from(c) }
            }));
        }
        let len = text.chars().count();
        if len > Self::MAX_CHARS {
            return Err(RowFieldError::Post(TextError::TooLong {
                len,
                max: Self::MAX_CHARS,
            }));
        }
        Ok(Some(Self(text.to_owned())))
    }

    /// The post.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// 编制性质 — staffing status. Only 在编在岗 may sit the exam.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Staffing {
    /// 在编在岗 — permanent staff on post: eligible.
    OnPost,
    /// 其他 — anyone else (contract staff, auxiliaries, seconded…): not eligible.
    Other,
}

impl Staffing {
    /// Parses 在编在岗, and 其他 with its usual spellings (编外, 聘用, 协管…); `None` for anything
    /// else. Whitespace does not matter. The spellings are syntax of the file: they stay in code.
    pub fn parse(raw: &str) -> Option<Self> {
        let folded: String = raw.chars().filter(|c| !c.is_whitespace()).collect();
        match folded.as_str() {
            "在编在岗" | "在编在岗人员" => Some(Self::OnPost),
            "其他" | "其它" | "编外" | "编外人员" | "非在编" | "聘用" | "聘用人员" | "合同制"
            | "劳务派遣" | "协管" | "协管员" | "辅助人员" => Some(Self::Other),
            _ => None,
        }
    }

    /// Chinese label: 在编在岗, 其他 (`procedure.staffing_*` of the locale files; what
    /// [`Staffing::parse`] recognises stays in code).
    pub fn label_zh(self) -> &'static str {
        match self {
            Self::OnPost => td_string!(Locale::zh, procedure.staffing_on_post),
            Self::Other => td_string!(Locale::zh, procedure.staffing_other),
        }
    }
}

/// 手机号 — a mainland mobile number: 11 digits starting with `1[3-9]`.
///
/// Normalized: full-width digits, spaces and hyphens, and a `+86` / `0086` / `86` prefix are
/// accepted and removed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct MobileNumber(String);

impl MobileNumber {
    /// Parses a mobile number cell.
    ///
    /// # Errors
    /// [`RowFieldError::MobileInvalid`] carrying the cell as written.
    pub fn parse(raw: &str) -> Result<Self, RowFieldError> {
        let cleaned: String = raw
            .chars()
            .map(half_width)
            .filter(|c| !c.is_whitespace() && *c != '-')
            .collect();
        let digits = cleaned
            .strip_prefix("+86")
            .or_else(|| cleaned.strip_prefix("0086"))
            .or_else(|| cleaned.strip_prefix("86").filter(|rest| rest.len() == 11))
            .unwrap_or(&cleaned);
        let bytes = digits.as_bytes();
        let valid = bytes.len() == 11
            && bytes.iter().all(u8::is_ascii_digit)
            && bytes[0] == b'1'
            && (b'3'..=b'9').contains(&bytes[1]);
        if valid {
            Ok(Self(digits.to_owned()))
        } else {
            Err(RowFieldError::MobileInvalid {
                found: raw.trim().to_owned(),
            })
        }
    }

    /// The 11 digits.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number with the middle four digits hidden: `138****5678`.
    pub fn masked(&self) -> String {
        format!("{}****{}", &self.0[..3], &self.0[7..])
    }
}

/// One row of the registration file as read: the text of each cell, untouched.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct RawCandidateRow {
    /// 姓名.
    pub name: String,
    /// 身份证号.
    pub resident_id: String,
    /// 性别.
    pub sex: String,
    /// 职务 (may be empty).
    pub post: String,
    /// 执法领域.
    pub field: String,
    /// 编制性质.
    pub staffing: String,
    /// 手机号.
    pub mobile: String,
}

/// A valid candidate row: every cell parsed, the sex cross-checked with the ID, the person on
/// permanent staff (在编在岗).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateRow {
    name: PersonName,
    resident_id: ResidentId,
    sex: Sex,
    post: Option<Post>,
    field: EnforcementField,
    mobile: MobileNumber,
}

impl CandidateRow {
    /// Parses a row, taking today's date in China as the latest birth date.
    ///
    /// # Errors
    /// Every problem of the row, in column order; see [`CandidateRow::parse_at`].
    pub fn parse(raw: RawCandidateRow) -> Result<Self, Vec<RowFieldError>> {
        Self::parse_with(raw, ResidentId::parse)
    }

    /// Parses a row whose candidate must be born on or before `today`.
    ///
    /// # Errors
    /// Every problem of the row at once, in column order: name, resident ID, sex (unknown, or
    /// contradicting the ID), post, enforcement field, staffing (unknown, or not 在编在岗),
    /// mobile.
    pub fn parse_at(raw: RawCandidateRow, today: NaiveDate) -> Result<Self, Vec<RowFieldError>> {
        Self::parse_with(raw, |s| ResidentId::parse_at(s, today))
    }

    fn parse_with(
        raw: RawCandidateRow,
        parse_id: impl Fn(&str) -> Result<ResidentId, ResidentIdError>,
    ) -> Result<Self, Vec<RowFieldError>> {
        let mut errors = Vec::new();
        let name = PersonName::parse(&raw.name)
            .map_err(|e| errors.push(e))
            .ok();
        let resident_id = parse_id(&raw.resident_id)
            .map_err(|e| errors.push(RowFieldError::ResidentId(e)))
            .ok();
        let sex = match Sex::parse(&raw.sex) {
            None => {
                errors.push(RowFieldError::SexUnknown {
                    found: raw.sex.trim().to_owned(),
                });
                None
            }
            Some(declared) => match &resident_id {
                Some(id) if id.sex() != declared => {
                    errors.push(RowFieldError::SexMismatch {
                        declared,
                        from_id: id.sex(),
                    });
                    None
                }
                _ => Some(declared),
            },
        };
        let post = Post::parse(&raw.post).map_err(|e| errors.push(e)).ok();
        let field = EnforcementField::parse(&raw.field)
            .map_err(|e| errors.push(RowFieldError::Field(e)))
            .ok();
        let found = raw.staffing.trim().to_owned();
        match Staffing::parse(&raw.staffing) {
            Some(Staffing::OnPost) => {}
            Some(Staffing::Other) => errors.push(RowFieldError::NotOnPost { found }),
            None => errors.push(RowFieldError::StaffingUnknown { found }),
        }
        let mobile = MobileNumber::parse(&raw.mobile)
            .map_err(|e| errors.push(e))
            .ok();
        match (name, resident_id, sex, post, field, mobile) {
            (Some(name), Some(resident_id), Some(sex), Some(post), Some(field), Some(mobile))
                if errors.is_empty() =>
            {
                Ok(Self {
                    name,
                    resident_id,
                    sex,
                    post,
                    field,
                    mobile,
                })
            }
            _ => Err(errors),
        }
    }

    /// 姓名.
    pub fn name(&self) -> &PersonName {
        &self.name
    }

    /// 身份证号.
    pub fn resident_id(&self) -> &ResidentId {
        &self.resident_id
    }

    /// 性别 (agrees with the resident ID).
    pub fn sex(&self) -> Sex {
        self.sex
    }

    /// 职务, if given.
    pub fn post(&self) -> Option<&Post> {
        self.post.as_ref()
    }

    /// 执法领域.
    pub fn field(&self) -> &EnforcementField {
        &self.field
    }

    /// 手机号.
    pub fn mobile(&self) -> &MobileNumber {
        &self.mobile
    }
}

/// Pairs of rows of one file holding the same resident ID, as `(first, later)` indexes into
/// `rows` (0-based), ordered by the later index. A number found three times gives two pairs,
/// each with the first occurrence.
pub fn check_duplicates_in_file(rows: &[CandidateRow]) -> Vec<(usize, usize)> {
    find_duplicate_ids(rows.iter().enumerate().map(|(i, r)| (i, r.resident_id())))
}

/// Pairs `(first, later)` of keys whose resident IDs are equal, in the order the later ones
/// come. The key can be a row index, a row number, or a candidate id, so the same function checks
/// a file against itself or a plan against its batch.
pub fn find_duplicate_ids<'a, K: Copy>(
    entries: impl IntoIterator<Item = (K, &'a ResidentId)>,
) -> Vec<(K, K)> {
    let mut first: HashMap<&'a str, K> = HashMap::new();
    let mut pairs = Vec::new();
    for (key, id) in entries {
        match first.get(id.as_str()) {
            Some(&earlier) => pairs.push((earlier, key)),
            None => {
                first.insert(id.as_str(), key);
            }
        }
    }
    pairs
}

/// 合格记录 — a pass of one exam, valid until a date (a pass not followed by a certificate
/// application in time lapses).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PassRecord {
    /// The exam passed (general, or professional in a field).
    pub scope: ExamScope,
    /// The day of the exam.
    pub passed_on: NaiveDate,
    /// The last day the pass is valid (ignored once `certified`).
    pub valid_until: NaiveDate,
    /// A certificate application followed: the pass no longer lapses.
    #[serde(default)]
    pub certified: bool,
}

/// 不合格记录 — a failed attempt at one exam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailRecord {
    /// The exam failed.
    pub scope: ExamScope,
    /// The day of the exam.
    pub sat_on: NaiveDate,
}

/// A person's exam history, as the service loads it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CandidateHistory {
    /// Passes, any order.
    pub passes: Vec<PassRecord>,
    /// Failed attempts, any order.
    pub fails: Vec<FailRecord>,
}

/// 补考规则 — how many times a failed candidate may sit the same exam again.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReSitPolicy {
    /// Re-sits allowed after a first failed attempt (default 1): with `max_resits` re-sits a
    /// person may fail `max_resits + 1` times since the last pass before being refused.
    pub max_resits: u32,
}

impl Default for ReSitPolicy {
    fn default() -> Self {
        Self { max_resits: 1 }
    }
}

/// Why a person may not sit an exam.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum EligibilityError {
    /// The person holds a pass of the same exam that is still valid on the exam day.
    HoldsValidPass {
        /// The exam.
        scope: ExamScope,
        /// Last day of the pass's validity.
        valid_until: NaiveDate,
    },
    /// The person passed the exam and applied for the certificate.
    HoldsCertificate {
        /// The exam.
        scope: ExamScope,
        /// The day of the exam passed.
        passed_on: NaiveDate,
    },
    /// The person has failed the exam as often as the re-sit rule allows.
    ReSitLimitReached {
        /// The exam.
        scope: ExamScope,
        /// Failed attempts since the last pass.
        fails: u32,
        /// Re-sits the rule allows.
        max_resits: u32,
    },
}

impl Localized for EligibilityError {
    fn message(&self, lang: Lang) -> String {
        let locale = locale(lang);
        match self {
            Self::HoldsValidPass { scope, valid_until } => td_string!(
                locale,
                procedure.eligibility_holds_valid_pass,
                scope = scope_label(scope, locale),
                valid_until = valid_until
            )
            .to_string(),
            Self::HoldsCertificate { scope, passed_on } => td_string!(
                locale,
                procedure.eligibility_holds_certificate,
                scope = scope_label(scope, locale),
                passed_on = passed_on
            )
            .to_string(),
            Self::ReSitLimitReached {
                scope,
                fails,
                max_resits,
            } => td_string!(
                locale,
                procedure.eligibility_resit_limit_reached,
                scope = scope_label(scope, locale),
                fails = fails,
                max_resits = max_resits
            )
            .to_string(),
        }
    }
}

english_display!(EligibilityError);

/// The exam's name: 综合法律知识, or 专业法律知识(市场监管).
fn scope_label(scope: &ExamScope, locale: Locale) -> String {
    match scope {
        ExamScope::General => td_string!(locale, procedure.scope_general).to_owned(),
        ExamScope::Professional(field) => {
            td_string!(locale, procedure.scope_professional, field = field).to_string()
        }
    }
}

/// 资格审查 — whether a person may sit the exam `scope` held on `exam_date`.
///
/// Refused when the person holds a pass of the same exam (same kind and, for 专业法律知识, same
/// field) still valid on `exam_date`, or has failed that exam more than `max_resits` times since
/// its last pass (expired passes count as passes: the count restarts after each).
///
/// # Errors
/// [`EligibilityError`] saying which rule refused and why.
pub fn check_eligibility(
    history: &CandidateHistory,
    scope: &ExamScope,
    exam_date: NaiveDate,
    policy: &ReSitPolicy,
) -> Result<(), EligibilityError> {
    let passes = history.passes.iter().filter(|p| &p.scope == scope);
    if let Some(certified) = passes
        .clone()
        .filter(|p| p.certified)
        .max_by_key(|p| p.passed_on)
    {
        return Err(EligibilityError::HoldsCertificate {
            scope: scope.clone(),
            passed_on: certified.passed_on,
        });
    }
    if let Some(valid) = passes
        .clone()
        .filter(|p| p.valid_until >= exam_date)
        .max_by_key(|p| p.valid_until)
    {
        return Err(EligibilityError::HoldsValidPass {
            scope: scope.clone(),
            valid_until: valid.valid_until,
        });
    }
    let last_pass = passes.map(|p| p.passed_on).max();
    let fails = history
        .fails
        .iter()
        .filter(|f| &f.scope == scope && last_pass.is_none_or(|passed| f.sat_on > passed))
        .count();
    let fails = u32::try_from(fails).unwrap_or(u32::MAX);
    if fails > policy.max_resits {
        return Err(EligibilityError::ReSitLimitReached {
            scope: scope.clone(),
            fails,
            max_resits: policy.max_resits,
        });
    }
    Ok(())
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
    use crate::procedure::resident_id::check_char;

    fn today() -> NaiveDate {
        date(2026, 6, 1)
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    /// A valid row for a woman (the textbook ID ends in 002X).
    fn raw() -> RawCandidateRow {
        RawCandidateRow {
            name: "王小红".into(),
            resident_id: "11010519491231002X".into(),
            sex: "女".into(),
            post: "科员".into(),
            field: "市场监管".into(),
            staffing: "在编在岗".into(),
            mobile: "13812345678".into(),
        }
    }

    fn id_with_seq(seq: u32) -> String {
        let body = format!("32010219850315{seq:03}");
        format!("{body}{}", check_char(&body).unwrap())
    }

    #[test]
    fn a_complete_row_parses() {
        let row = CandidateRow::parse_at(raw(), today()).unwrap();
        assert_eq!(row.name().as_str(), "王小红");
        assert_eq!(row.resident_id().as_str(), "11010519491231002X");
        assert_eq!(row.sex(), Sex::Female);
        assert_eq!(row.post().map(Post::as_str), Some("科员"));
        assert_eq!(row.field().as_str(), "市场监管");
        assert_eq!(row.mobile().as_str(), "13812345678");
        assert_eq!(row.mobile().masked(), "138****5678");
    }

    #[test]
    fn every_problem_of_a_row_is_reported_at_once_in_column_order() {
        let bad = RawCandidateRow {
            name: "王小红2".into(),
            resident_id: "110105194912310021".into(),
            sex: "未知".into(),
            post: "科员\n副科".into(),
            field: "  ".into(),
            staffing: "其他".into(),
            mobile: "1281234567".into(),
        };
        let errors = CandidateRow::parse_at(bad, today()).unwrap_err();
        let columns: Vec<Column> = errors.iter().map(RowFieldError::column).collect();
        assert_eq!(columns, Column::ALL.to_vec());
        assert_eq!(errors[0], RowFieldError::NameBadCharacter { found: '2' });
        assert!(matches!(
            errors[1],
            RowFieldError::ResidentId(ResidentIdError::BadChecksum { .. })
        ));
        assert_eq!(errors[3], RowFieldError::Post(TextError::LineBreak));
        assert_eq!(errors[4], RowFieldError::Field(TextError::Empty));
        for e in &errors {
            let zh = e.message(Lang::Zh);
            assert!(zh.starts_with(e.column().header_zh()), "{zh}");
            assert!(e.to_string().starts_with(e.column().header_zh()), "{e}");
        }
    }

    #[test]
    fn a_sex_that_contradicts_the_id_names_both() {
        let row = RawCandidateRow {
            sex: "男".into(),
            ..raw()
        };
        let errors = CandidateRow::parse_at(row, today()).unwrap_err();
        assert_eq!(
            errors,
            vec![RowFieldError::SexMismatch {
                declared: Sex::Male,
                from_id: Sex::Female
            }]
        );
        let zh = errors[0].message(Lang::Zh);
        assert!(zh.contains("填写为“男”") && zh.contains("表示“女”"), "{zh}");
        assert!(
            errors[0]
                .to_string()
                .contains("says male but the resident ID")
        );
    }

    #[test]
    fn only_permanent_on_post_staff_may_sit() {
        let row = RawCandidateRow {
            staffing: "聘用".into(),
            ..raw()
        };
        let errors = CandidateRow::parse_at(row, today()).unwrap_err();
        assert_eq!(
            errors,
            vec![RowFieldError::NotOnPost {
                found: "聘用".into()
            }]
        );
        assert!(errors[0].message(Lang::Zh).contains("只有在编在岗人员"));
        let row = RawCandidateRow {
            staffing: "在编再岗".into(),
            ..raw()
        };
        assert_eq!(
            CandidateRow::parse_at(row, today()).unwrap_err(),
            vec![RowFieldError::StaffingUnknown {
                found: "在编再岗".into()
            }]
        );
    }

    #[test]
    fn post_may_be_empty_but_not_too_long() {
        let row = RawCandidateRow {
            post: " ".into(),
            ..raw()
        };
        assert_eq!(CandidateRow::parse_at(row, today()).unwrap().post(), None);
        let row = RawCandidateRow {
            post: "科".repeat(33),
            ..raw()
        };
        assert_eq!(
            CandidateRow::parse_at(row, today()).unwrap_err(),
            vec![RowFieldError::Post(TextError::TooLong { len: 33, max: 32 })]
        );
    }

    #[test]
    fn names_accept_chinese_letters_and_the_middle_dot() {
        assert_eq!(PersonName::parse(" 张  三 ").unwrap().as_str(), "张三");
        assert_eq!(
            PersonName::parse("阿依古丽•买买提").unwrap().as_str(),
            "阿依古丽·买买提"
        );
        assert_eq!(
            PersonName::parse("John  Smith").unwrap().as_str(),
            "John Smith"
        );
        assert_eq!(PersonName::parse("Ｌｉ 明").unwrap().as_str(), "Li明");
        assert_eq!(PersonName::parse("  "), Err(RowFieldError::NameMissing));
        assert_eq!(
            PersonName::parse("·买买提"),
            Err(RowFieldError::NameMisplacedDot)
        );
        assert_eq!(
            PersonName::parse("买买提··艾力"),
            Err(RowFieldError::NameMisplacedDot)
        );
        assert_eq!(
            PersonName::parse("张三(借调)"),
            Err(RowFieldError::NameBadCharacter { found: '(' })
        );
        assert_eq!(
            PersonName::parse(&"张".repeat(33)),
            Err(RowFieldError::NameTooLong { len: 33 })
        );
    }

    #[test]
    fn mobile_numbers_are_mainland_eleven_digit_numbers() {
        for ok in [
            "13812345678",
            "+86 138-1234-5678",
            "８６１９９１２３４５６７８",
            "0086 15912345678",
        ] {
            assert!(MobileNumber::parse(ok).is_ok(), "{ok}");
        }
        for bad in [
            "12812345678",
            "1381234567",
            "023-12345678",
            "",
            "1381234567a",
        ] {
            assert_eq!(
                MobileNumber::parse(bad),
                Err(RowFieldError::MobileInvalid {
                    found: bad.to_owned()
                }),
                "{bad}"
            );
        }
    }

    #[test]
    fn headers_are_recognized_as_agencies_write_them() {
        assert_eq!(Column::from_header("身份证号码"), Some(Column::ResidentId));
        assert_eq!(Column::from_header(" 姓 名* "), Some(Column::Name));
        assert_eq!(Column::from_header("联系电话"), Some(Column::Mobile));
        assert_eq!(Column::from_header("ＭＯＢＩＬＥ"), Some(Column::Mobile));
        assert_eq!(Column::from_header("备注"), None);
        for c in Column::ALL {
            assert_eq!(Column::from_header(c.header_zh()), Some(c));
        }
    }

    #[test]
    fn duplicate_ids_in_a_file_are_paired_with_their_first_row() {
        let row = |seq: u32| {
            let id = id_with_seq(seq);
            let sex = if seq % 2 == 1 { "男" } else { "女" };
            CandidateRow::parse_at(
                RawCandidateRow {
                    resident_id: id,
                    sex: sex.into(),
                    ..raw()
                },
                today(),
            )
            .unwrap()
        };
        let rows = vec![row(1), row(2), row(1), row(3), row(1), row(2)];
        assert_eq!(
            check_duplicates_in_file(&rows),
            vec![(0, 2), (0, 4), (1, 5)]
        );
        assert!(check_duplicates_in_file(&rows[..2]).is_empty());
    }

    fn general_pass(passed_on: NaiveDate, valid_until: NaiveDate) -> PassRecord {
        PassRecord {
            certified: false,
            scope: ExamScope::General,
            passed_on,
            valid_until,
        }
    }

    fn general_fail(sat_on: NaiveDate) -> FailRecord {
        FailRecord {
            scope: ExamScope::General,
            sat_on,
        }
    }

    #[test]
    fn a_valid_pass_of_the_same_exam_bars_sitting_it_again() {
        let history = CandidateHistory {
            passes: vec![general_pass(date(2025, 6, 1), date(2026, 12, 31))],
            fails: vec![],
        };
        let policy = ReSitPolicy::default();
        let e = check_eligibility(&history, &ExamScope::General, today(), &policy).unwrap_err();
        assert_eq!(
            e,
            EligibilityError::HoldsValidPass {
                scope: ExamScope::General,
                valid_until: date(2026, 12, 31)
            }
        );
        assert!(e.message(Lang::Zh).contains("综合法律知识"));
        assert!(e.message(Lang::Zh).contains("2026-12-31"));
        // A different exam, or the same pass expired, does not bar.
        let market = ExamScope::Professional(EnforcementField::parse("市场监管").unwrap());
        assert!(check_eligibility(&history, &market, today(), &policy).is_ok());
        assert!(
            check_eligibility(&history, &ExamScope::General, date(2027, 1, 1), &policy).is_ok()
        );
    }

    #[test]
    fn a_certified_pass_bars_sitting_again_even_after_its_validity() {
        let mut pass = general_pass(date(2020, 6, 1), date(2021, 6, 1));
        let policy = ReSitPolicy::default();
        let lapsed = CandidateHistory {
            passes: vec![pass.clone()],
            fails: vec![],
        };
        assert!(check_eligibility(&lapsed, &ExamScope::General, today(), &policy).is_ok());
        pass.certified = true;
        let certified = CandidateHistory {
            passes: vec![pass],
            fails: vec![],
        };
        let e = check_eligibility(&certified, &ExamScope::General, today(), &policy).unwrap_err();
        assert!(matches!(e, EligibilityError::HoldsCertificate { .. }));
        assert!(e.message(Lang::Zh).contains("已申领执法证"), "{e}");
    }

    #[test]
    fn the_re_sit_limit_counts_fails_since_the_last_pass_of_the_same_exam() {
        let policy = ReSitPolicy::default();
        let market = ExamScope::Professional(EnforcementField::parse("市场监管").unwrap());
        let mut history = CandidateHistory {
            passes: vec![],
            fails: vec![general_fail(date(2025, 5, 1))],
        };
        // One fail: the one re-sit is still open.
        assert!(check_eligibility(&history, &ExamScope::General, today(), &policy).is_ok());
        history.fails.push(general_fail(date(2025, 11, 1)));
        let e = check_eligibility(&history, &ExamScope::General, today(), &policy).unwrap_err();
        assert_eq!(
            e,
            EligibilityError::ReSitLimitReached {
                scope: ExamScope::General,
                fails: 2,
                max_resits: 1
            }
        );
        assert!(e.message(Lang::Zh).contains("补考机会"));
        assert!(e.to_string().contains("re-sit limit"));
        // Fails of another exam do not count, nor do fails before a (since lapsed) pass.
        assert!(check_eligibility(&history, &market, today(), &policy).is_ok());
        history
            .passes
            .push(general_pass(date(2025, 12, 1), date(2026, 3, 1)));
        assert!(check_eligibility(&history, &ExamScope::General, today(), &policy).is_ok());
        // A more generous rule allows another attempt.
        history.passes.clear();
        let two = ReSitPolicy { max_resits: 2 };
        assert!(check_eligibility(&history, &ExamScope::General, today(), &two).is_ok());
    }

    proptest! {
        #[test]
        fn a_row_with_any_valid_id_and_matching_sex_parses(seq in 0u32..=999, mobile in 0u64..1_000_000_000) {
            let sex = if seq % 2 == 1 { "男" } else { "女" };
            let row = RawCandidateRow {
                resident_id: id_with_seq(seq),
                sex: sex.into(),
                mobile: format!("13{mobile:09}"),
                ..raw()
            };
            prop_assert!(CandidateRow::parse_at(row, today()).is_ok());
        }

        #[test]
        fn the_duplicate_check_finds_exactly_the_repeated_ids(seqs in prop::collection::vec(0u32..20, 0..30)) {
            let ids: Vec<ResidentId> = seqs
                .iter()
                .map(|&s| ResidentId::parse_at(&id_with_seq(s), today()).unwrap())
                .collect();
            let pairs = find_duplicate_ids(ids.iter().enumerate());
            let distinct: std::collections::BTreeSet<u32> = seqs.iter().copied().collect();
            prop_assert_eq!(pairs.len(), seqs.len() - distinct.len());
            for (a, b) in pairs {
                prop_assert!(a < b);
                prop_assert_eq!(&ids[a], &ids[b]);
                prop_assert!(ids[..a].iter().all(|x| x != &ids[a]));
            }
        }
    }
}
