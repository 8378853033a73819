//! Which encoding a `.csv` is in: UTF-8 (with or without BOM), or GB18030 — what Excel's
//! “CSV (逗号分隔)” writes on Chinese Windows (GBK and GB2312 are subsets of it).
//!
//! Anything else is refused with a [`FileError`] that names the encodings to save in: UTF-16
//! (Excel's “Unicode Text”), Shift-JIS, another code page, a file that is not text. Nothing is
//! ever decoded with replacement characters: a file is read exactly or not at all. This module
//! decides the encoding only; reading the rows is the caller's business.

use std::borrow::Cow;

use encoding_rs::{DecoderResult, GB18030, SHIFT_JIS};

use super::FileError;

/// Bytes looked at for the UTF-16 byte pattern.
const SAMPLE_BYTES: usize = 4096;

/// Decodes a `.csv` file's bytes.
///
/// In order: a UTF-16 byte-order mark, or NUL on one side of most byte pairs, is UTF-16 and
/// refused; valid UTF-8 (a BOM dropped) is UTF-8; bytes that decode as GB18030 without a single
/// invalid sequence, to mostly common Chinese characters, are GB18030. Bytes that are Japanese
/// Shift-JIS text are refused as such; the rest as an unknown encoding, with the line up to
/// which UTF-8 or GB18030 reads it.
///
/// # Errors
/// [`FileError::CsvUtf16`], [`FileError::CsvShiftJis`] or [`FileError::CsvUnknownEncoding`].
pub(crate) fn decode_csv(bytes: &[u8]) -> Result<Cow<'_, str>, FileError> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) || looks_utf16(bytes) {
        return Err(FileError::CsvUtf16);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        // The file says it is UTF-8: it is, or it is damaged.
        return std::str::from_utf8(rest).map(Cow::Borrowed).map_err(|e| {
            FileError::CsvUnknownEncoding {
                line: line_at(rest, e.valid_up_to()),
            }
        });
    }
    let utf8_line = match std::str::from_utf8(bytes) {
        Ok(text) => return Ok(Cow::Borrowed(text)),
        Err(e) => line_at(bytes, e.valid_up_to()),
    };
    // The line named is as far as either encoding reads: a UTF-8 file damaged on line 300 is
    // not GB18030 from line 1 on.
    let refused = |gb18030_line: u64| {
        if is_shift_jis_text(bytes) {
            FileError::CsvShiftJis
        } else {
            FileError::CsvUnknownEncoding {
                line: utf8_line.max(gb18030_line),
            }
        }
    };
    let Some(text) = GB18030.decode_without_bom_handling_and_without_replacement(bytes) else {
        return Err(refused(first_malformed_gb18030_line(bytes)));
    };
    match first_rare_gb18030_line(bytes) {
        None => Ok(text),
        Some(line) => Err(refused(line)),
    }
}

/// UTF-16 without a byte-order mark: in the first bytes, at least one byte in 16 is a NUL on
/// the same side of its pair (the high byte of ASCII characters: separators, digits, line
/// breaks). A text file in any accepted encoding holds no NUL.
fn looks_utf16(bytes: &[u8]) -> bool {
    let sample = bytes.get(..SAMPLE_BYTES).unwrap_or(bytes);
    let (mut even, mut odd) = (0usize, 0usize);
    for (i, _) in sample.iter().enumerate().filter(|(_, b)| **b == 0) {
        if i % 2 == 0 {
            even += 1;
        } else {
            odd += 1;
        }
    }
    even.max(odd) > 0 && even.max(odd).saturating_mul(16) >= sample.len()
}

/// Whether the bytes are Shift-JIS text with Japanese kana: most Japanese text has kana, and
/// Chinese text read as Shift-JIS almost never decodes without an invalid sequence.
fn is_shift_jis_text(bytes: &[u8]) -> bool {
    SHIFT_JIS
        .decode_without_bom_handling_and_without_replacement(bytes)
        .is_some_and(|text| {
            text.chars()
                .any(|c| matches!(c, '\u{3041}'..='\u{30FF}' | '\u{FF66}'..='\u{FF9F}'))
        })
}

/// The 1-based line holding byte `at`.
fn line_at(bytes: &[u8], at: usize) -> u64 {
    let before = bytes.get(..at).unwrap_or(bytes);
    let breaks = before.iter().filter(|&&b| b == b'\n').count();
    u64::try_from(breaks).map_or(u64::MAX, |n| n.saturating_add(1))
}

/// The line of the first byte sequence that is not GB18030.
fn first_malformed_gb18030_line(bytes: &[u8]) -> u64 {
    let mut decoder = GB18030.new_decoder_without_bom_handling();
    let mut out = String::with_capacity(SAMPLE_BYTES);
    let mut at = 0;
    loop {
        out.clear();
        let rest = bytes.get(at..).unwrap_or(&[]);
        let (result, read) = decoder.decode_to_string_without_replacement(rest, &mut out, true);
        at += read;
        match result {
            DecoderResult::OutputFull if read > 0 => {}
            DecoderResult::OutputFull
            | DecoderResult::InputEmpty
            | DecoderResult::Malformed(..) => {
                return line_at(bytes, at);
            }
        }
    }
}

/// For bytes that are valid GB18030: `None` when at least half of the non-ASCII characters are
/// common ones — GB2312's 6,763 hanzi and its punctuation and symbols, which is nearly all of
/// Chinese office text (a rare character in a name is fine) — else the first line holding a rare
/// one. Japanese Shift-JIS text is mostly valid GB18030 byte-wise but reads as rare characters
/// (kana lead bytes 0x82/0x83 and most kanji lead bytes fall outside GB2312); so does much
/// Traditional-Chinese Big5 text (trail bytes 0x40–0x7E).
fn first_rare_gb18030_line(bytes: &[u8]) -> Option<u64> {
    let (mut common, mut rare) = (0usize, 0usize);
    let mut first_rare = None;
    let mut line: u64 = 1;
    let mut i = 0;
    while let Some(&lead) = bytes.get(i) {
        let width = match lead {
            b'\n' => {
                line = line.saturating_add(1);
                1
            }
            0x00..=0x7F => 1,
            0x81..=0xFE => {
                let trail = bytes.get(i + 1).copied().unwrap_or(0);
                let is_common = match (lead, trail) {
                    // Four-byte sequences: characters beyond GBK.
                    (_, 0x30..=0x39) => false,
                    (0xA1..=0xA9 | 0xB0..=0xF7, 0xA1..=0xFE) => true,
                    _ => false,
                };
                if is_common {
                    common += 1;
                } else {
                    rare += 1;
                    first_rare.get_or_insert(line);
                }
                if (0x30..=0x39).contains(&trail) { 4 } else { 2 }
            }
            // 0x80 (€) and anything else that decoded as one byte.
            _ => {
                rare += 1;
                first_rare.get_or_insert(line);
                1
            }
        };
        i += width;
    }
    if rare > common { first_rare } else { None }
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const LIST: &str = "姓名,身份证号,性别,职务,执法领域,编制性质,手机号\n\
                        张三,110101199003071234,男,科员,市场监管,在编在岗,13800138000\n";

    fn gb18030(text: &str) -> Vec<u8> {
        let (bytes, _, unmappable) = GB18030.encode(text);
        assert!(!unmappable);
        bytes.into_owned()
    }

    #[test]
    fn utf8_is_read_with_or_without_a_bom() {
        assert_eq!(decode_csv(LIST.as_bytes()).unwrap(), LIST);
        let mut with_bom = vec![0xEF, 0xBB, 0xBF];
        with_bom.extend_from_slice(LIST.as_bytes());
        assert_eq!(decode_csv(&with_bom).unwrap(), LIST);
    }

    #[test]
    fn gbk_and_gb18030_bytes_are_read_as_gb18030() {
        assert_eq!(decode_csv(&gb18030(LIST)).unwrap(), LIST);
        // "题型" in GBK.
        assert_eq!(decode_csv(&[0xCC, 0xE2, 0xD0, 0xCD]).unwrap(), "题型");
        // A rare character in a name (喆, GBK 0x86B4; 𠀀 needs four bytes) is fine among common ones.
        let rare = "姓名,备注\n王喆,𠀀\n";
        assert_eq!(decode_csv(&gb18030(rare)).unwrap(), rare);
    }

    #[test]
    fn utf16_is_refused_with_or_without_a_bom() {
        let utf16le: Vec<u8> = LIST.encode_utf16().flat_map(u16::to_le_bytes).collect();
        let utf16be: Vec<u8> = LIST.encode_utf16().flat_map(u16::to_be_bytes).collect();
        for bytes in [&utf16le, &utf16be] {
            assert_eq!(decode_csv(bytes), Err(FileError::CsvUtf16));
            let mut with_bom = vec![0xFF, 0xFE];
            with_bom.extend_from_slice(bytes);
            assert_eq!(decode_csv(&with_bom), Err(FileError::CsvUtf16));
        }
        assert_eq!(decode_csv(&[0xFE, 0xFF, 0, b'a']), Err(FileError::CsvUtf16));
    }

    #[test]
    fn japanese_shift_jis_is_refused_as_such() {
        for text in [
            "名前,フリガナ,性別\n山田太郎,ヤマダタロウ,男\n",
            "氏名,ふりがな\n佐藤花子,さとうはなこ\n",
        ] {
            let (bytes, _, _) = SHIFT_JIS.encode(text);
            assert_eq!(decode_csv(&bytes), Err(FileError::CsvShiftJis), "{text}");
        }
    }

    #[test]
    fn other_bytes_are_refused_with_the_first_unreadable_line() {
        // Valid up to line 3, then a lone lead byte before an ASCII comma.
        let mut bytes = gb18030(LIST);
        bytes.extend_from_slice(b"\xB0,1\n");
        assert_eq!(
            decode_csv(&bytes),
            Err(FileError::CsvUnknownEncoding { line: 3 })
        );
        // This Big5 list reads mostly as rare GBK characters.
        let (big5, _, _) = encoding_rs::BIG5.encode("姓名,身份證號,性別\n張三,科員,男\n");
        assert!(matches!(
            decode_csv(&big5),
            Err(FileError::CsvUnknownEncoding { .. })
        ));
        // A UTF-8 BOM before bytes that are not UTF-8.
        assert_eq!(
            decode_csv(b"\xEF\xBB\xBFa\nb\xFF"),
            Err(FileError::CsvUnknownEncoding { line: 2 })
        );
        assert!(decode_csv(&[0xFF; 8]).is_err());
    }

    proptest! {
        #[test]
        fn double_byte_lookalikes_never_panic(
            bytes in proptest::collection::vec(
                prop_oneof![0x80u8..=0xFF, 0x30u8..=0x39, 0x40u8..=0x7E, Just(b','), Just(b'\n'), Just(0u8)],
                0..1024,
            ),
        ) {
            let _ = decode_csv(&bytes);
        }
    }
}
