//! Stem normalisation for duplicate detection.
//!
//! Two stems are duplicates exactly when their normalised forms are equal. The rule is
//! deliberately simple and explainable to an author: width, case, spacing and punctuation do not
//! make a question different. This module knows nothing about storage; the caller keeps the
//! normalised stems of the bank (e.g. in an indexed column) and compares.

use unicode_normalization::UnicodeNormalization;

/// The duplicate-detection form of a stem: NFKC (full-width → half-width), lower case, and only
/// letters and digits kept — all whitespace, punctuation (，。、；：？！“”‘’（）《》【】—…· and their
/// ASCII cousins) and symbols are dropped.
///
/// ```
/// use question_bank::normalize_stem;
/// assert_eq!(
///     normalize_stem("下列说法，正确的是（　）？"),
///     normalize_stem("下列说法正确的是 ( ) ?")
/// );
/// ```
pub fn normalize_stem(stem: &str) -> String {
    stem.nfkc()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Whether two stems count as duplicates.
pub fn is_duplicate_stem(a: &str, b: &str) -> bool {
    normalize_stem(a) == normalize_stem(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn width_case_spacing_and_punctuation_do_not_distinguish_stems() {
        assert!(is_duplicate_stem(
            "根据《行政处罚法》，ＡＢＣ罚款１０００元。",
            "根据 行政处罚法 abc 罚款 1000 元"
        ));
        assert!(is_duplicate_stem(
            "“当事人”有权——陈述、申辩…【】·？！：；‘’",
            "当事人有权陈述申辩"
        ));
        assert!(is_duplicate_stem("A\tB\nC\u{3000}D", "abcd"));
    }

    #[test]
    fn different_words_or_numbers_are_not_duplicates() {
        assert!(!is_duplicate_stem("罚款1000元", "罚款2000元"));
        assert!(!is_duplicate_stem("可以听证", "应当听证"));
    }

    #[test]
    fn normalized_form_keeps_only_lowercase_letters_and_digits() {
        assert_eq!(normalize_stem("Ａ，ｂ。C！（１）"), "abc1");
    }
}
