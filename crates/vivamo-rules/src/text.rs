//! Text clean-up shared by every field.

/// Characters that are invisible in a form but survive copy and paste: zero-width space,
/// joiners, word joiner, byte-order mark, and the left-to-right / right-to-left marks.
pub(crate) fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{200C}' | '\u{200D}' | '\u{200E}' | '\u{200F}' | '\u{2060}' | '\u{FEFF}'
    )
}

/// Trims Unicode whitespace (including NBSP, tabs and line breaks) and invisible format
/// characters from both ends.
pub(crate) fn clean(s: &str) -> &str {
    s.trim_matches(|c: char| c.is_whitespace() || is_invisible(c))
}

/// [`clean`]s an optional value; `None` when nothing is left.
pub(crate) fn clean_opt(s: Option<&String>) -> Option<&str> {
    s.map(|s| clean(s)).filter(|s| !s.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn trims_unicode_space_and_invisibles() {
        assert_eq!(clean("\u{00A0}\t a b \u{200B}\u{FEFF}\n"), "a b");
        assert_eq!(clean("\u{3000}x\u{2003}"), "x");
        assert_eq!(clean_opt(Some(&" \u{00A0} ".to_string())), None);
        assert_eq!(clean_opt(None), None);
    }
}
