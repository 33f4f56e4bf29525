//! Number labels as written at the start of a clause: `1.`, `1)`, `3 )`,
//! `(I)`, `( 1 )`, `II.`, `a)`, `1.2`, `一、`, `（1）`, `第一条`.
//!
//! Labels are kept verbatim for display and excluded from comparison text, so
//! renumbering a list is an editorial change, not a rewrite of every item.

/// Chinese numerals used in section labels.
fn is_cjk_numeral(c: char) -> bool {
    "〇零一二三四五六七八九十百千两".contains(c)
}

fn is_roman(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 6
        && (s.chars().all(|c| "IVXLC".contains(c)) || s.chars().all(|c| "ivxlc".contains(c)))
}

/// Split a leading number label off `text`. Returns `(label, rest)` with the
/// label exactly as written (inner spaces kept) and `rest` trimmed at its start.
pub fn split_label(text: &str) -> (Option<&str>, &str) {
    let trimmed = text.trim_start();
    let offset = text.len() - trimmed.len();
    match label_len(trimmed) {
        Some(n) => {
            let label = &text[offset..offset + n];
            (Some(label.trim_end()), trimmed[n..].trim_start())
        }
        None => (None, trimmed),
    }
}

/// Byte length of the label at the start of `s`, if there is one.
fn label_len(s: &str) -> Option<usize> {
    // A label is short: look at the first 24 characters, without allocating
    // (this runs once per clause).
    let mut buf = [(0usize, '\0'); 24];
    let mut len = 0;
    for (slot, ci) in buf.iter_mut().zip(s.char_indices()) {
        *slot = ci;
        len += 1;
    }
    let chars = &buf[..len];
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let end_at = |i: usize| chars.get(i).map_or(s.len(), |&(b, _)| b);
    // A label must be followed by white space or the end of the text, except
    // after closing punctuation that cannot end a word ("(1)Text", "一、文本").
    let boundary_ok = |i: usize| at(i).is_none_or(char::is_whitespace);
    let first = at(0)?;

    // 第一条 / 第3章 / 第十二款
    if first == '第' {
        let mut i = 1;
        while at(i).is_some_and(|c| is_cjk_numeral(c) || c.is_ascii_digit()) {
            i += 1;
        }
        if i > 1 && at(i).is_some_and(|c| "条章节款部".contains(c)) {
            if at(i) == Some('部') && at(i + 1) == Some('分') {
                i += 1;
            }
            return Some(end_at(i + 1));
        }
        return None;
    }

    // 一、 / 十二．
    if is_cjk_numeral(first) {
        let mut i = 0;
        while at(i).is_some_and(is_cjk_numeral) {
            i += 1;
        }
        return at(i)
            .is_some_and(|c| "、．.".contains(c))
            .then(|| end_at(i + 1));
    }

    // (1) ( 1 ) (I) (a) （一） （1）
    if first == '(' || first == '（' {
        let mut i = 1;
        while at(i) == Some(' ') {
            i += 1;
        }
        let start = i;
        while at(i).is_some_and(|c| c.is_alphanumeric()) {
            i += 1;
        }
        let inner: String = chars[start.min(chars.len())..i.min(chars.len())]
            .iter()
            .map(|&(_, c)| c)
            .collect();
        let numeric = !inner.is_empty()
            && (inner.chars().all(|c| c.is_ascii_digit())
                || inner.chars().all(is_cjk_numeral)
                || is_roman(&inner)
                || (inner.chars().count() == 1 && inner.chars().all(|c| c.is_ascii_lowercase())));
        if !numeric {
            return None;
        }
        while at(i) == Some(' ') {
            i += 1;
        }
        return at(i)
            .is_some_and(|c| c == ')' || c == '）')
            .then(|| end_at(i + 1));
    }

    // 1. 1) 3 ) 1.2 1、
    if first.is_ascii_digit() {
        let mut i = 0;
        while at(i).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
        }
        if i > 3 {
            return None; // a year or an amount, not a clause number
        }
        // multi-level: 1.2 / 1.2.3
        let mut levels = 1;
        while at(i) == Some('.') && at(i + 1).is_some_and(|c| c.is_ascii_digit()) {
            i += 1;
            while at(i).is_some_and(|c| c.is_ascii_digit()) {
                i += 1;
            }
            levels += 1;
        }
        match at(i) {
            Some('.') if boundary_ok(i + 1) => return Some(end_at(i + 1)),
            // Chinese text needs no space after the number: "1．我们", "1.我们".
            Some('.') if at(i + 1).is_some_and(super::is_cjk) => return Some(end_at(i + 1)),
            Some('．') | Some('、') => return Some(end_at(i + 1)),
            Some(')') | Some('）') => return Some(end_at(i + 1)),
            Some(' ') if levels > 1 => return Some(end_at(i)),
            Some(' ') => {
                // "3 )": spaces before the closing parenthesis
                let mut j = i;
                while at(j) == Some(' ') {
                    j += 1;
                }
                return matches!(at(j), Some(')') | Some('）')).then(|| end_at(j + 1));
            }
            None if levels > 1 => return Some(s.len()),
            _ => return None,
        }
    }

    // II. / iv) / a. / b)
    let mut i = 0;
    while at(i).is_some_and(|c| c.is_ascii_alphabetic()) {
        i += 1;
    }
    if i == 0 {
        return None;
    }
    let word: String = chars[..i].iter().map(|&(_, c)| c).collect();
    let is_letter_item = i == 1 && first.is_ascii_lowercase();
    if (is_roman(&word) || is_letter_item)
        && matches!(at(i), Some('.') | Some(')'))
        && boundary_ok(i + 1)
    {
        return Some(end_at(i + 1));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::split_label;

    #[track_caller]
    fn check(text: &str, label: Option<&str>, rest: &str) {
        assert_eq!(split_label(text), (label, rest), "{text:?}");
    }

    #[test]
    fn labels_from_the_bundled_policy() {
        check("1. How we collect", Some("1."), "How we collect");
        check(
            "II. Circumstances in which",
            Some("II."),
            "Circumstances in which",
        );
        check(
            "(I) Situations in which",
            Some("(I)"),
            "Situations in which",
        );
        check("( 1 ) Obtain your", Some("( 1 )"), "Obtain your");
        check("3 ) [Modify / delete", Some("3 )"), "[Modify / delete");
        check(
            "1) [Device Information]",
            Some("1)"),
            "[Device Information]",
        );
    }

    #[test]
    fn chinese_labels() {
        check("一、我们如何收集", Some("一、"), "我们如何收集");
        check("（1）设备信息", Some("（1）"), "设备信息");
        check("（一）共享", Some("（一）"), "共享");
        check("第一条 总则", Some("第一条"), "总则");
        check("第12条总则", Some("第12条"), "总则");
        check("1．我们会收集", Some("1．"), "我们会收集");
        check("2.我们会收集", Some("2."), "我们会收集");
        check("12、我们", Some("12、"), "我们");
        check("（二）【共享】我们", Some("（二）"), "【共享】我们");
    }

    #[test]
    fn other_styles() {
        check("1.2 Storage", Some("1.2"), "Storage");
        check("a) first", Some("a)"), "first");
        check("iv. fourth", Some("iv."), "fourth");
    }

    #[test]
    fn not_labels() {
        check("2025 .7 .9", None, "2025 .7 .9");
        check("I will share", None, "I will share");
        check("e.g. this", None, "e.g. this");
        check("1.5 million users", Some("1.5"), "million users");
        check(
            "[Personal Information] text",
            None,
            "[Personal Information] text",
        );
        check("(see below) text", None, "(see below) text");
        check("", None, "");
        check("14 days", None, "14 days");
    }
}
