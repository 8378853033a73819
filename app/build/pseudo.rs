/// The pseudo-locale form of an English string: wrapped in ⟦…⟧ and about 30 % longer, with its
/// `{{ parameters }}` kept, so a test can tell translated text from hard-coded text and see
/// whether longer translations still fit. The padding is words (` ··`), so a line can break in
/// it as it would in a real translation.
pub fn pseudo(s: &str) -> String {
    let visible = s.chars().count();
    let pad = (visible * 3).div_ceil(10).max(1);
    format!("⟦{s}{}⟧", " ··".repeat(pad.div_ceil(3)))
}
