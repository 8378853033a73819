//! The pure rules of the exam procedure (DESIGN.md §3): from an agency's candidate list to a
//! seated candidate holding an admission ticket.
//!
//! Plain Rust over `std`, `serde`, `chrono`, a seeded ChaCha RNG and the interface strings of
//! [`crate::i18n`] (read with `td_string!`, no reactive context): no components, no database,
//! no async runtime, so every rule is testable on its own and builds for the browser too (forms
//! can validate as you type with the same code the server runs). The services behind the `ssr`
//! feature load data, call these functions, and store what they return.
//!
//! | module | owns |
//! |---|---|
//! | [`resident_id`] | [`ResidentId`] (公民身份号码, GB 11643-1999 with its MOD 11-2 check) and [`Sex`] |
//! | [`roster`] | one row of an agency's registration file ([`RawCandidateRow`] → [`CandidateRow`]), duplicates in a file, [`check_eligibility`] under a [`ReSitPolicy`] |
//! | [`decision`] | the review meeting's collective decision: [`resolve`] votes under a [`DecisionRule`] into a [`Resolution`] |
//! | [`seating`] | [`allocate_seats`]: random, seeded, agency-spreading seat allocation |
//! | [`ticket`] | [`TicketNumber`] (准考证号) and the one-time [`AccessCode`] |
//!
//! Every error explains itself in Chinese and English through question-bank's [`Localized`]
//! (`error.message(Lang::Zh)`); its English text is also its `Display`. The wording of those
//! messages, and of the labels shown to people ([`Sex`], [`Column`], [`Choice`], [`Outcome`]…),
//! lives in the namespace `procedure` of the locale files, `app/locales/*/procedure.json`; the
//! code keeps only what is data or syntax (the headers and cell values recognised in an uploaded
//! file, stored codes).

/// `Display` (the English message, `message(Lang::En)`) and `std::error::Error` for error types
/// that explain themselves through [`Localized`].
macro_rules! english_display {
    ($($error:ty),+ $(,)?) => {$(
        impl ::std::fmt::Display for $error {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(&$crate::procedure::Localized::message(
                    self,
                    $crate::procedure::Lang::En,
                ))
            }
        }

        impl ::std::error::Error for $error {}
    )+};
}

pub mod decision;
pub mod resident_id;
pub mod roster;
pub mod seating;
pub mod ticket;

pub use decision::{
    Choice, DecisionRule, Outcome, Quorum, QuorumError, Resolution, Tally, UndecidedReason, Vote,
    resolve,
};
pub use question_bank::{Lang, Localized};
pub use resident_id::{ResidentId, ResidentIdError, Sex};
pub use roster::{
    CandidateHistory, CandidateRow, Column, EligibilityError, FailRecord, MobileNumber, PassRecord,
    PersonName, Post, RawCandidateRow, ReSitPolicy, RowFieldError, Staffing,
    check_duplicates_in_file, check_eligibility, find_duplicate_ids,
};
pub use seating::{
    ExamRoom, MAX_ROOMS, MAX_SEATS_PER_ROOM, SeatAssignment, SeatCandidate, SeatPlan, SeatingError,
    allocate_seats,
};
pub use ticket::{AccessCode, AccessCodeError, TicketError, TicketNumber, TicketPart};

/// The locale whose `procedure` strings speak `lang`.
fn locale(lang: Lang) -> crate::i18n::Locale {
    match lang {
        Lang::Zh => crate::i18n::Locale::zh,
        Lang::En => crate::i18n::Locale::en,
    }
}

/// Maps full-width digits and Latin letters (`０`–`９`, `Ａ`–`Ｚ`, `ａ`–`ｚ`) to ASCII and leaves
/// every other character alone: what an IME or a spreadsheet in full-width mode produces.
fn half_width(c: char) -> char {
    match c {
        '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ' => {
            char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c)
        }
        _ => c,
    }
}
