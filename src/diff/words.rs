//! Word-level diff inside one clause pair. Tokens are Unicode words; inside CJK
//! runs every character is its own token (UAX #29 breaks between ideographs),
//! so a one-character edit in Chinese stays a one-character change.

use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffTag, capture_diff_deadline};
use unicode_segmentation::UnicodeSegmentation;

use crate::document::normalize_token;

/// What an inline segment does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum InlineTag {
    /// Present on both sides.
    Equal,
    /// Only in the old text.
    Delete,
    /// Only in the new text.
    Insert,
}

/// A run of text with one tag. Concatenating the non-`insert` runs gives the old
/// text; the non-`delete` runs give the new text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InlineOp {
    /// What this run does.
    pub op: InlineTag,
    /// The text of the run, white space included.
    pub text: String,
}

/// One token: its text as written (with trailing white space) and its key.
struct Token<'a> {
    text: &'a str,
    key: String,
}

/// Word-boundary segments of ASCII text: runs of letters, digits and `_`
/// (with `'` or `.` between two of them, as UAX #29 joins them), runs of
/// white space, and single other characters. Same as
/// `split_word_bound_indices` on ASCII, without its Unicode tables.
fn ascii_segments(text: &str) -> Vec<(usize, &str)> {
    let b = text.as_bytes();
    let word = |c: u8| c.is_ascii_alphanumeric() || c == b'_';
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let start = i;
        if word(b[i]) {
            i += 1;
            loop {
                while i < b.len() && word(b[i]) {
                    i += 1;
                }
                // "don't", "1.5", "e.g": a mid-word ' or . between letters/digits.
                let joins = i + 1 < b.len()
                    && matches!(b[i], b'\'' | b'.' | b',' | b':' | b';')
                    && word(b[i + 1])
                    && joinable(b[i - 1], b[i], b[i + 1]);
                if !joins {
                    break;
                }
                i += 1;
            }
        } else if b[i] == b' ' {
            // WB3d: runs of spaces stay together (tabs do not).
            while i < b.len() && b[i] == b' ' {
                i += 1;
            }
        } else if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
            i += 2;
        } else {
            i += 1;
        }
        out.push((start, &text[start..i]));
    }
    out
}

/// Word-boundary segments of a text (UAX #29), with the ASCII fast path.
pub(crate) fn segments(text: &str) -> Vec<(usize, &str)> {
    if text.is_ascii() {
        ascii_segments(text)
    } else {
        text.split_word_bound_indices().collect()
    }
}

/// UAX #29 rules for a mid-word character: MidLetter `:` and MidNumLet
/// `.` `'` join letters (WB6/7); MidNum `,` `;` and MidNumLet join digits
/// (WB11/12).
fn joinable(before: u8, mid: u8, after: u8) -> bool {
    let letter = |c: u8| c.is_ascii_alphabetic();
    let digit = |c: u8| c.is_ascii_digit();
    match mid {
        b'\'' | b'.' | b':' => {
            letter(before) && letter(after) || (mid != b':' && digit(before) && digit(after))
        }
        b',' | b';' => digit(before) && digit(after),
        _ => false,
    }
}

/// Split `text` into tokens; white space rides on the token before it.
fn tokenize(text: &str, exact: bool) -> Vec<Token<'_>> {
    let mut tokens: Vec<Token<'_>> = Vec::new();
    let mut start = 0;
    for (offset, segment) in segments(text) {
        if segment.chars().all(char::is_whitespace) {
            match tokens.last_mut() {
                Some(last) => last.text = &text[start..offset + segment.len()],
                None => tokens.push(Token {
                    text: segment,
                    key: String::new(),
                }),
            }
            continue;
        }
        start = offset;
        tokens.push(Token {
            text: segment,
            key: normalize_token(segment),
        });
    }
    if exact {
        // As written means white space too: it may be the only difference.
        for t in &mut tokens {
            t.key = t.text.to_owned();
        }
    }
    tokens
}

/// Word diff of `old` and `new`. With `exact`, tokens compare as written (for
/// editorial changes, whose differences are exactly the invisible ones);
/// otherwise they compare in normal form, so case and width noise does not
/// show inside a real modification. Returns the runs and whether the deadline
/// was hit (then the result is coarser but still correct).
pub fn inline_diff(old: &str, new: &str, exact: bool, budget: Duration) -> (Vec<InlineOp>, bool) {
    let a = tokenize(old, exact);
    let b = tokenize(new, exact);
    let ka: Vec<&str> = a.iter().map(|t| t.key.as_str()).collect();
    let kb: Vec<&str> = b.iter().map(|t| t.key.as_str()).collect();
    let started = Instant::now();
    let deadline = started + budget;
    let ops = capture_diff_deadline(
        Algorithm::Patience,
        &ka,
        0..ka.len(),
        &kb,
        0..kb.len(),
        Some(deadline),
    );
    let timed_out = Instant::now() > deadline;
    let mut out: Vec<InlineOp> = Vec::new();
    let mut push = |op: InlineTag, text: &str| {
        if text.is_empty() {
            return;
        }
        match out.last_mut() {
            Some(last) if last.op == op => last.text.push_str(text),
            _ => out.push(InlineOp {
                op,
                text: text.to_owned(),
            }),
        }
    };
    for op in ops {
        let (tag, old_range, new_range) = op.as_tag_tuple();
        let old_text: String = a[old_range].iter().map(|t| t.text).collect();
        let new_text: String = b[new_range].iter().map(|t| t.text).collect();
        match tag {
            // Equal by key: show the new wording, which is what will stand.
            DiffTag::Equal => push(InlineTag::Equal, &new_text),
            DiffTag::Delete => push(InlineTag::Delete, &old_text),
            DiffTag::Insert => push(InlineTag::Insert, &new_text),
            DiffTag::Replace => {
                push(InlineTag::Delete, &old_text);
                push(InlineTag::Insert, &new_text);
            }
        }
    }
    (out, timed_out)
}

/// Count of word tokens (not white space or punctuation) in a run of text.
pub fn word_count(text: &str) -> usize {
    text.split_word_bounds()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render(ops: &[InlineOp]) -> String {
        ops.iter()
            .map(|o| match o.op {
                InlineTag::Equal => o.text.clone(),
                InlineTag::Delete => format!("[-{}-]", o.text),
                InlineTag::Insert => format!("{{+{}+}}", o.text),
            })
            .collect()
    }

    #[test]
    fn english_word_change() {
        let (ops, _) = inline_diff(
            "we will not share your data",
            "we may share your data",
            false,
            Duration::from_secs(1),
        );
        assert_eq!(render(&ops), "we [-will not -]{+may +}share your data");
    }

    #[test]
    fn chinese_one_character_edit() {
        let (ops, _) = inline_diff(
            "我们不会共享您的个人信息",
            "我们可能共享您的个人信息",
            false,
            Duration::from_secs(1),
        );
        assert_eq!(render(&ops), "我们[-不会-]{+可能+}共享您的个人信息");
    }

    proptest::proptest! {
        #[test]
        fn ascii_segments_match_unicode_segmentation(text in "[a-zA-Z0-9 .,:;'_()\\[\\]\t-]{0,60}") {
            let fast: Vec<(usize, &str)> = ascii_segments(&text);
            let slow: Vec<(usize, &str)> = text.split_word_bound_indices().collect();
            proptest::prop_assert_eq!(fast, slow);
        }
    }

    #[test]
    fn runs_rebuild_both_sides() {
        let old = "In order to  provide you, with services";
        let new = "In order to provide you with better services!";
        let (ops, _) = inline_diff(old, new, true, Duration::from_secs(1));
        let left: String = ops
            .iter()
            .filter(|o| o.op != InlineTag::Insert)
            .map(|o| o.text.as_str())
            .collect();
        let right: String = ops
            .iter()
            .filter(|o| o.op != InlineTag::Delete)
            .map(|o| o.text.as_str())
            .collect();
        assert_eq!(left, old);
        assert_eq!(right, new);
    }
}
