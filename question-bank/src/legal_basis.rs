//! 法律依据 — the legal basis of a question: one or more laws, each with an optional article,
//! e.g. `《中华人民共和国行政处罚法》第三十六条；《中华人民共和国行政强制法》第十条第二款`.
//!
//! The parsed form serves filtering and blueprint quotas by law; the author's original text is
//! kept verbatim for display and export. This module owns only the citation syntax.

use std::fmt;

use serde::{Deserialize, Serialize};
use thiserror::Error;

use crate::lang::{Lang, Localized, key, render};

/// The prefix a national law's full name starts with; dropped when comparing law names.
const PRC_PREFIX: &str = "中华人民共和国";

/// Why a legal basis could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[error("{}", self.message(Lang::En))]
pub enum LegalBasisError {
    /// Nothing but whitespace.
    Empty,
    /// Longer than [`LegalBasis::MAX_CHARS`].
    TooLong {
        /// Length found.
        len: usize,
        /// Limit.
        max: usize,
    },
    /// A line break or control character.
    ControlCharacter,
    /// `《` without a matching `》`.
    UnclosedTitle {
        /// The citation in question.
        segment: String,
    },
    /// No law name.
    NoLawName {
        /// The citation in question.
        segment: String,
    },
    /// Text after the law that is not an article reference.
    UnreadableArticle {
        /// The citation in question.
        segment: String,
        /// The part that is not an article.
        rest: String,
    },
}

impl Localized for LegalBasisError {
    fn message(&self, lang: Lang) -> String {
        match self {
            Self::Empty => render(lang, key::LEGAL_BASIS_EMPTY, &[]),
            Self::TooLong { len, max } => render(
                lang,
                key::LEGAL_BASIS_TOO_LONG,
                &[("len", len), ("max", max)],
            ),
            Self::ControlCharacter => render(lang, key::LEGAL_BASIS_CONTROL_CHARACTER, &[]),
            Self::UnclosedTitle { segment } => render(
                lang,
                key::LEGAL_BASIS_UNCLOSED_TITLE,
                &[("segment", segment)],
            ),
            Self::NoLawName { segment } => {
                render(lang, key::LEGAL_BASIS_NO_LAW_NAME, &[("segment", segment)])
            }
            Self::UnreadableArticle { segment, rest } => render(
                lang,
                key::LEGAL_BASIS_UNREADABLE_ARTICLE,
                &[("segment", segment), ("rest", rest)],
            ),
        }
    }
}

/// A position inside a law: `第N条[之M][第K款][第J项]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Article {
    /// 条 — the article number.
    pub article: u32,
    /// 之M — an inserted article (第十条之一), when present.
    pub sub: Option<u32>,
    /// 款 — the paragraph, when cited.
    pub paragraph: Option<u32>,
    /// 项 — the item, when cited.
    pub item: Option<u32>,
}

impl fmt::Display for Article {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "第{}条", self.article)?;
        if let Some(sub) = self.sub {
            write!(f, "之{sub}")?;
        }
        if let Some(paragraph) = self.paragraph {
            write!(f, "第{paragraph}款")?;
        }
        if let Some(item) = self.item {
            write!(f, "第{item}项")?;
        }
        Ok(())
    }
}

/// One cited law with its article, if one is cited.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct LegalReference {
    law: String,
    article: Option<Article>,
}

impl LegalReference {
    /// The law's name as written, without 《》 (e.g. `中华人民共和国行政处罚法`).
    pub fn law(&self) -> &str {
        &self.law
    }

    /// The law's name for comparison: see [`law_key`].
    pub fn law_key(&self) -> &str {
        law_key(&self.law)
    }

    /// The cited article, if any.
    pub fn article(&self) -> Option<Article> {
        self.article
    }
}

/// A law's name for comparison: without 《》 and without the leading `中华人民共和国`, so that
/// `行政处罚法` and `《中华人民共和国行政处罚法》` compare equal.
pub fn law_key(name: &str) -> &str {
    let name = name.trim();
    let name = name
        .strip_prefix('《')
        .and_then(|n| n.strip_suffix('》'))
        .unwrap_or(name);
    name.strip_prefix(PRC_PREFIX).unwrap_or(name)
}

/// 法律依据 — one or more citations, kept with the author's original text.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct LegalBasis {
    text: String,
    references: Vec<LegalReference>,
}

impl LegalBasis {
    /// Longest accepted text, in characters.
    pub const MAX_CHARS: usize = 500;

    /// Parses citations separated by `；` or `;`. Each is `《law》` or a bare law name, followed
    /// by an optional article (第三十六条, 第三十六条第一款, 第十条之一, 第7条, 第三条第（二）项).
    ///
    /// # Errors
    /// [`LegalBasisError`] names the citation that cannot be read and how to write it.
    pub fn parse(raw: &str) -> Result<Self, LegalBasisError> {
        let text = raw.trim();
        if text.is_empty() {
            return Err(LegalBasisError::Empty);
        }
        if text.chars().any(char::is_control) {
            return Err(LegalBasisError::ControlCharacter);
        }
        let len = text.chars().count();
        if len > Self::MAX_CHARS {
            return Err(LegalBasisError::TooLong {
                len,
                max: Self::MAX_CHARS,
            });
        }
        let references = text
            .split(['；', ';'])
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(parse_reference)
            .collect::<Result<Vec<_>, _>>()?;
        if references.is_empty() {
            return Err(LegalBasisError::Empty);
        }
        Ok(Self {
            text: text.to_owned(),
            references,
        })
    }

    /// The original text, trimmed.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The citations, in the order written (never empty).
    pub fn references(&self) -> &[LegalReference] {
        &self.references
    }

    /// The first cited law's name (without 《》), for filtering and quotas.
    pub fn law_name(&self) -> &str {
        self.references.first().map_or("", |r| r.law.as_str())
    }

    /// Every cited law's name, in order.
    pub fn law_names(&self) -> impl Iterator<Item = &str> {
        self.references.iter().map(|r| r.law.as_str())
    }

    /// Whether any citation is of `law` (compared by [`law_key`]).
    pub fn cites(&self, law: &str) -> bool {
        let wanted = law_key(law);
        self.references.iter().any(|r| r.law_key() == wanted)
    }
}

impl fmt::Display for LegalBasis {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

impl TryFrom<String> for LegalBasis {
    type Error = LegalBasisError;
    fn try_from(raw: String) -> Result<Self, Self::Error> {
        Self::parse(&raw)
    }
}

impl From<LegalBasis> for String {
    fn from(value: LegalBasis) -> Self {
        value.text
    }
}

fn parse_reference(segment: &str) -> Result<LegalReference, LegalBasisError> {
    let (law, rest) = if let Some(after_open) = segment.strip_prefix('《') {
        let Some((law, rest)) = after_open.split_once('》') else {
            return Err(LegalBasisError::UnclosedTitle {
                segment: segment.to_owned(),
            });
        };
        (law.trim(), rest.trim())
    } else {
        // A bare name: the article starts at the first 第 that begins a readable article.
        let start = segment
            .char_indices()
            .filter(|&(_, c)| c == '第')
            .map(|(i, _)| i)
            .find(|&i| segment.get(i..).and_then(parse_article).is_some());
        match start {
            Some(i) => (
                segment.get(..i).unwrap_or("").trim(),
                segment.get(i..).unwrap_or("").trim(),
            ),
            None => (segment, ""),
        }
    };
    if law.is_empty() || law.contains(['《', '》']) {
        return Err(LegalBasisError::NoLawName {
            segment: segment.to_owned(),
        });
    }
    let article = if rest.is_empty() {
        None
    } else {
        Some(
            parse_article(rest).ok_or_else(|| LegalBasisError::UnreadableArticle {
                segment: segment.to_owned(),
                rest: rest.to_owned(),
            })?,
        )
    };
    Ok(LegalReference {
        law: law.to_owned(),
        article,
    })
}

/// Reads a whole article reference; `None` unless all of `text` is one.
fn parse_article(text: &str) -> Option<Article> {
    let mut cursor = Cursor {
        chars: text.chars().filter(|c| !c.is_whitespace()).collect(),
        at: 0,
    };
    let article = cursor.numbered('第', '条')?;
    let sub = if cursor.eat('之') {
        Some(cursor.number()?)
    } else {
        None
    };
    let paragraph = cursor.try_numbered('款');
    let item = cursor.try_numbered('项');
    (cursor.at == cursor.chars.len()).then_some(Article {
        article,
        sub,
        paragraph,
        item,
    })
}

struct Cursor {
    chars: Vec<char>,
    at: usize,
}

impl Cursor {
    fn peek(&self) -> Option<char> {
        self.chars.get(self.at).copied()
    }

    fn eat(&mut self, c: char) -> bool {
        if self.peek() == Some(c) {
            self.at += 1;
            true
        } else {
            false
        }
    }

    /// `第` number `unit`, with the number optionally in (half- or full-width) parentheses.
    fn numbered(&mut self, first: char, unit: char) -> Option<u32> {
        if !self.eat(first) {
            return None;
        }
        let open = self.eat('（') || self.eat('(');
        let n = self.number()?;
        if open && !(self.eat('）') || self.eat(')')) {
            return None;
        }
        self.eat(unit).then_some(n)
    }

    /// Like [`Cursor::numbered`] with `第`, but rewinds when it does not match.
    fn try_numbered(&mut self, unit: char) -> Option<u32> {
        let at = self.at;
        let n = self.numbered('第', unit);
        if n.is_none() {
            self.at = at;
        }
        n
    }

    /// Arabic (half- or full-width) or Chinese numerals, 1–9999.
    fn number(&mut self) -> Option<u32> {
        let start = self.at;
        while self.peek().is_some_and(is_numeral) {
            self.at += 1;
        }
        let digits: String = self.chars.get(start..self.at)?.iter().collect();
        let n = parse_numeral(&digits)?;
        (1..=9999).contains(&n).then_some(n)
    }
}

fn is_numeral(c: char) -> bool {
    c.is_ascii_digit()
        || ('０'..='９').contains(&c)
        || chinese_digit(c).is_some()
        || unit(c).is_some()
}

fn chinese_digit(c: char) -> Option<u32> {
    Some(match c {
        '零' | '〇' => 0,
        '一' => 1,
        '二' | '两' => 2,
        '三' => 3,
        '四' => 4,
        '五' => 5,
        '六' => 6,
        '七' => 7,
        '八' => 8,
        '九' => 9,
        _ => return None,
    })
}

fn unit(c: char) -> Option<u32> {
    Some(match c {
        '十' => 10,
        '百' => 100,
        '千' => 1000,
        _ => return None,
    })
}

fn parse_numeral(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    let arabic: Option<String> = s
        .chars()
        .map(|c| match c {
            '0'..='9' => Some(c),
            '０'..='９' => char::from_u32(u32::from(c) - u32::from('０') + u32::from('0')),
            _ => None,
        })
        .collect();
    if let Some(arabic) = arabic {
        return arabic.parse().ok().filter(|_| arabic.len() <= 5);
    }
    // Chinese: 三十六 = 36, 十 = 10, 一百零五 = 105, 两千 = 2000. Units must descend.
    let mut total = 0u32;
    let mut digit: Option<u32> = None;
    let mut last_unit = u32::MAX;
    for c in s.chars() {
        if let Some(d) = chinese_digit(c) {
            if digit.is_some_and(|d| d != 0) {
                return None; // two digits in a row, e.g. 三六
            }
            digit = Some(d);
        } else if let Some(u) = unit(c) {
            if u >= last_unit {
                return None;
            }
            total += digit.unwrap_or(1) * u;
            digit = None;
            last_unit = u;
        } else {
            return None;
        }
    }
    Some(total + digit.unwrap_or(0))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn article(text: &str) -> Option<Article> {
        LegalBasis::parse(text).unwrap().references()[0].article()
    }

    #[test]
    fn a_law_in_title_marks_with_a_chinese_article_is_read() {
        let basis = LegalBasis::parse("《中华人民共和国行政处罚法》第三十六条").unwrap();
        assert_eq!(basis.law_name(), "中华人民共和国行政处罚法");
        assert_eq!(
            basis.references()[0].article(),
            Some(Article {
                article: 36,
                sub: None,
                paragraph: None,
                item: None
            })
        );
        assert_eq!(basis.as_str(), "《中华人民共和国行政处罚法》第三十六条");
    }

    #[test]
    fn paragraphs_items_inserted_articles_and_arabic_numbers_are_read() {
        let a = article("《行政处罚法》第三十六条第一款").unwrap();
        assert_eq!((a.article, a.paragraph), (36, Some(1)));
        assert_eq!(article("《行政处罚法》第7条").unwrap().article, 7);
        assert_eq!(article("《行政处罚法》第７条").unwrap().article, 7);
        let a = article("《刑法》第十条之一").unwrap();
        assert_eq!((a.article, a.sub), (10, Some(1)));
        let a = article("《行政强制法》第二十二条第二款第（三）项").unwrap();
        assert_eq!((a.article, a.paragraph, a.item), (22, Some(2), Some(3)));
        assert_eq!(article("《宪法》第一百零五条").unwrap().article, 105);
        assert_eq!(article("《宪法》第十条").unwrap().article, 10);
        assert_eq!(article("《某法》第两千条").unwrap().article, 2000);
    }

    #[test]
    fn several_citations_separated_by_semicolons_are_all_kept() {
        let basis = LegalBasis::parse(
            "《中华人民共和国行政处罚法》第三十六条；《行政强制法》第十条; 《宪法》",
        )
        .unwrap();
        assert_eq!(
            basis.law_names().collect::<Vec<_>>(),
            ["中华人民共和国行政处罚法", "行政强制法", "宪法"]
        );
        assert_eq!(basis.references()[2].article(), None);
    }

    #[test]
    fn a_bare_law_name_without_title_marks_is_accepted() {
        let basis = LegalBasis::parse("行政处罚法第三十六条").unwrap();
        assert_eq!(basis.law_name(), "行政处罚法");
        assert_eq!(basis.references()[0].article().unwrap().article, 36);
        let basis = LegalBasis::parse("法治政府建设实施纲要").unwrap();
        assert_eq!(basis.law_name(), "法治政府建设实施纲要");
    }

    #[test]
    fn law_names_compare_without_the_national_prefix() {
        let basis = LegalBasis::parse("《中华人民共和国行政处罚法》第三十六条").unwrap();
        assert!(basis.cites("行政处罚法"));
        assert!(basis.cites("《中华人民共和国行政处罚法》"));
        assert!(!basis.cites("行政许可法"));
    }

    #[test]
    fn unreadable_citations_are_refused_with_the_offending_part() {
        assert_eq!(LegalBasis::parse("  "), Err(LegalBasisError::Empty));
        assert_eq!(LegalBasis::parse("；"), Err(LegalBasisError::Empty));
        assert!(matches!(
            LegalBasis::parse("《行政处罚法第三十六条"),
            Err(LegalBasisError::UnclosedTitle { .. })
        ));
        assert!(matches!(
            LegalBasis::parse("《》第三条"),
            Err(LegalBasisError::NoLawName { .. })
        ));
        assert!(matches!(
            LegalBasis::parse("第三条"),
            Err(LegalBasisError::NoLawName { .. })
        ));
        assert_eq!(
            LegalBasis::parse("《行政处罚法》三十六"),
            Err(LegalBasisError::UnreadableArticle {
                segment: "《行政处罚法》三十六".into(),
                rest: "三十六".into()
            })
        );
        assert!(LegalBasis::parse("《行政处罚法》第三六条").is_err());
        assert!(LegalBasis::parse("《行政处罚法》第零条").is_err());
        assert!(LegalBasis::parse("《行政处罚法》第99999999999999条").is_err());
        assert!(LegalBasis::parse("《行政处罚法》\n第三条").is_err());
    }

    #[test]
    fn legal_basis_errors_say_how_to_write_an_article() {
        let e = LegalBasis::parse("《行政处罚法》三十六").unwrap_err();
        assert!(e.message(Lang::Zh).contains("第三十六条"));
        assert!(e.message(Lang::En).contains("第三十六条"));
    }
}
