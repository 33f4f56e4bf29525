//! Comparison text: the form in which two clauses are equal when they differ
//! only editorially (whitespace, punctuation spacing and width, invisible
//! characters, letter case).

use unicode_normalization::{IsNormalized, UnicodeNormalization};

/// Characters that render as nothing (or as a plain space) and so never carry
/// meaning in a policy: zero-width space/joiners, word joiner, BOM, soft
/// hyphen; and `*`, which in policy text is left-over emphasis markup (an
/// unpaired or escaped `**`), never a word.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}'
            | '\u{200C}'
            | '\u{200D}'
            | '\u{2060}'
            | '\u{FEFF}'
            | '\u{00AD}'
            | '\u{180E}'
            | '*'
    )
}

/// True for CJK ideographs, kana and Hangul: scripts written without spaces,
/// so spaces next to them are layout, not meaning.
pub fn is_cjk(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF      // Hiragana, Katakana
        | 0x3400..=0x4DBF    // CJK Extension A
        | 0x4E00..=0x9FFF    // CJK Unified Ideographs
        | 0xAC00..=0xD7AF    // Hangul syllables
        | 0xF900..=0xFAFF    // CJK Compatibility Ideographs
        | 0x20000..=0x2FA1F) // Extensions B..
}

/// Map one character (already NFKC-normalised) to its comparison form.
/// NFKC folds full-width ASCII (`，（）１`) to half-width; what it leaves we fold here.
fn fold_char(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{2032}' => '\'',
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{2033}' | '「' | '」' | '『' | '』' => '"',
        '\u{2010}'..='\u{2015}' | '\u{2212}' => '-',
        '。' | '｡' => '.',
        '、' => ',',
        '【' | '〔' | '［' => '[',
        '】' | '〕' | '］' => ']',
        '《' | '〈' => '<',
        '》' | '〉' => '>',
        c if c.is_whitespace() => ' ',
        c => c,
    }
}

/// Punctuation around which spacing is editorial ("3 )" vs "3)", "a , b" vs "a, b").
fn is_spacing_punct(c: char) -> bool {
    c.is_ascii_punctuation() && !matches!(c, '#' | '$' | '%' | '&' | '@' | '_' | '~' | '`' | '^')
}

/// The comparison form of a clause text. Two texts whose normal forms are equal
/// differ only editorially.
pub fn normalize(text: &str) -> String {
    if text.is_ascii() {
        return normalize_ascii(text);
    }
    // NFKC is the costly step; most text is already in NFKC (curly quotes,
    // dashes and CJK are; a no-break space or full-width digits are not),
    // which the quick check tells without composing anything.
    if unicode_normalization::is_nfkc_quick(text.chars()) == IsNormalized::Yes {
        return fold(text.chars(), text.len());
    }
    fold(text.nfkc(), text.len())
}

/// The folds after NFKC: invisibles dropped, punctuation and case folded,
/// spaces collapsed.
fn fold(nfkc: impl Iterator<Item = char>, capacity: usize) -> String {
    let folded = nfkc
        .filter(|c| !is_invisible(*c))
        .map(fold_char)
        .flat_map(char::to_lowercase);
    collapse_spaces(folded, capacity)
}

/// [`normalize`] for ASCII text, byte by byte: NFKC and the folds are the
/// identity on ASCII, and most English policy text is ASCII.
fn normalize_ascii(text: &str) -> String {
    let mut out: Vec<u8> = Vec::with_capacity(text.len());
    let mut pending_space = false;
    for &b in text.as_bytes() {
        if b.is_ascii_whitespace() || b == 0x0B {
            pending_space = true;
            continue;
        }
        if b == b'*' {
            continue; // left-over emphasis markup, see `is_invisible`
        }
        if pending_space {
            if let Some(&prev) = out.last()
                && !is_spacing_punct(char::from(prev))
                && !is_spacing_punct(char::from(b))
            {
                out.push(b' ');
            }
            pending_space = false;
        }
        out.push(b.to_ascii_lowercase());
    }
    // Only ASCII bytes were pushed.
    String::from_utf8(out).unwrap_or_default()
}

/// Drop white space that is layout (next to punctuation or CJK text) and
/// collapse the rest to single spaces.
fn collapse_spaces(chars: impl Iterator<Item = char>, capacity: usize) -> String {
    let mut out = String::with_capacity(capacity);
    let mut pending_space = false;
    for c in chars {
        if c == ' ' {
            pending_space = true;
            continue;
        }
        if pending_space {
            // Only a space between two words of a spaced script carries meaning;
            // next to punctuation or CJK text it is layout.
            if let Some(prev) = out.chars().next_back() {
                let layout = |x: char| is_spacing_punct(x) || is_cjk(x);
                if !layout(prev) && !layout(c) {
                    out.push(' ');
                }
            }
            pending_space = false;
        }
        out.push(c);
    }
    out
}

/// Lowercased, width- and punctuation-folded form of one word token, used as the
/// key for word-level diffs.
pub fn normalize_token(token: &str) -> String {
    if token.is_ascii() {
        return token.to_ascii_lowercase();
    }
    token
        .nfkc()
        .filter(|c| !is_invisible(*c))
        .map(fold_char)
        .flat_map(char::to_lowercase)
        .collect()
}

/// English month names, lower case, January first: dates in policy text
/// are found by them (word diff tokens, a page's stated effective date).
pub const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spacing_around_punctuation_is_editorial() {
        assert_eq!(normalize("3 ) [Modify"), normalize("3) [Modify"));
        assert_eq!(normalize("services , or"), normalize("services, or"));
        assert_eq!(normalize("( 1 ) Our"), normalize("(1) Our"));
    }

    #[test]
    fn width_case_and_invisibles_are_editorial() {
        assert_eq!(normalize("（１）我们"), normalize("(1) 我们"));
        assert_eq!(normalize("We\u{200B} Share"), normalize("we share"));
        assert_eq!(normalize("a\u{00A0}b"), normalize("a b"));
        assert_eq!(normalize("“quoted”"), normalize("\"quoted\""));
        assert_eq!(normalize("个人 信息"), normalize("个人信息"));
    }

    proptest::proptest! {
        #[test]
        fn ascii_fast_path_agrees_with_the_unicode_path(text in "[ -~\t\n\x0b\x0c\r]{0,80}") {
            let slow = collapse_spaces(text.nfkc().filter(|c| !is_invisible(*c)).map(fold_char).flat_map(char::to_lowercase), 0);
            proptest::prop_assert_eq!(normalize_ascii(&text), slow);
        }

        #[test]
        fn nfkc_quick_path_agrees_with_composing(
            text in proptest::collection::vec(proptest::sample::select(vec![
                "a", "e", "I", " ", "\u{00A0}", "\u{0301}", "\u{0308}", "é", "e\u{0301}",
                "“", "”", "—", "１", "（", "个", "人", "。", "\u{200B}", "ﬁ", "Å", "\u{212B}",
                "ß", "İ", "\u{3000}", "*", ",", "가", "\u{1100}\u{1161}",
            ]), 0..24)
        ) {
            let text: String = text.concat();
            let composed = fold(text.nfkc(), 0);
            proptest::prop_assert_eq!(normalize(&text), composed);
        }
    }

    #[test]
    fn left_over_emphasis_markers_are_editorial() {
        assert_eq!(
            normalize("**Your rights.** You may"),
            normalize("Your rights. You may")
        );
        assert_eq!(
            normalize("Your rights.** You may"),
            normalize("Your rights. You may")
        );
        assert_eq!(
            normalize("【您的权利】**您可以"),
            normalize("【您的权利】您可以")
        );
    }

    #[test]
    fn words_stay_apart() {
        assert_ne!(normalize("we share"), normalize("weshare"));
        assert_ne!(normalize("will not share"), normalize("will share"));
    }
}
