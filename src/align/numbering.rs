//! The number a label stands for and its style, so that labels written in
//! different languages can be compared: `一、` ↔ `I.`, `（一）` ↔ `(I)` ↔
//! `(1)`, `1.` ↔ `1．`, `3 )` ↔ `3）`.

/// How a label is written, grouped into what translations map onto each other.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// A top-level section number: `一、`, `I.`, `II.`.
    Section,
    /// A number in parentheses: `(1)`, `( 1 )`, `（一）`, `(I)`, `(a)`.
    Parenthesised,
    /// A number and a dot: `1.`, `1．`, `1、`, `1.2`.
    Dotted,
    /// A number and a closing parenthesis: `1)`, `3 )`, `1）`, `a)`.
    Closed,
    /// An article: `第一条`, `第3章`.
    Article,
}

impl Style {
    /// How well two styles correspond across languages: 1 for the usual
    /// pairs, lower for the mixes translations produce (a `（一）` heading
    /// rendered as `1.`), 0 for none.
    pub fn affinity(self, other: Style) -> f32 {
        use Style::*;
        match (self, other) {
            (a, b) if a == b => 1.0,
            (Section, Dotted) | (Dotted, Section) => 0.8,
            (Parenthesised, Dotted) | (Dotted, Parenthesised) => 0.7,
            (Parenthesised, Closed) | (Closed, Parenthesised) => 0.7,
            (Dotted, Closed) | (Closed, Dotted) => 0.6,
            (Article, Section) | (Section, Article) => 0.8,
            _ => 0.4,
        }
    }
}

/// The number of a label (the last part of `1.2`) and its style.
pub fn number(label: &str) -> Option<(Style, u32)> {
    let t: String = label.chars().filter(|c| !c.is_whitespace()).collect();
    if let Some(inner) = t.strip_prefix('第') {
        let digits = inner.trim_end_matches(|c: char| "条章节款部分".contains(c));
        return value(digits).map(|v| (Style::Article, v));
    }
    if let Some(inner) = t
        .strip_prefix(['(', '（'])
        .and_then(|r| r.strip_suffix([')', '）']))
    {
        return value(inner).map(|v| (Style::Parenthesised, v));
    }
    if let Some(inner) = t.strip_suffix([')', '）']) {
        return value(inner).map(|v| (Style::Closed, v));
    }
    let inner = t.trim_end_matches(['.', '．', '、']);
    let last = inner.rsplit('.').next().unwrap_or(inner);
    let v = value(last)?;
    let section = last.chars().all(is_cjk_numeral) || is_roman(last);
    Some((
        if section {
            Style::Section
        } else {
            Style::Dotted
        },
        v,
    ))
}

/// The value of a number written in digits, Chinese numerals, Roman
/// numerals or one lower-case letter.
fn value(s: &str) -> Option<u32> {
    if s.is_empty() {
        return None;
    }
    if s.chars().all(|c| c.is_ascii_digit()) {
        return s.parse().ok();
    }
    if s.chars().all(is_cjk_numeral) {
        return chinese(s);
    }
    if is_roman(s) {
        return roman(s);
    }
    let mut chars = s.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if c.is_ascii_lowercase() => Some(c as u32 - 'a' as u32 + 1),
        _ => None,
    }
}

fn is_cjk_numeral(c: char) -> bool {
    "〇零一二三四五六七八九十百两".contains(c)
}

fn is_roman(s: &str) -> bool {
    !s.is_empty()
        && (s.chars().all(|c| "IVXLC".contains(c)) || s.chars().all(|c| "ivxlc".contains(c)))
}

/// Chinese numerals up to the hundreds: 一 … 十 … 九十九, 一百二十.
fn chinese(s: &str) -> Option<u32> {
    let digit = |c: char| "〇一二三四五六七八九".find(c).map(|b| (b / 3) as u32);
    let (mut total, mut current) = (0u32, None::<u32>);
    for c in s.chars() {
        match c {
            '零' | '〇' => current = Some(0),
            '两' => current = Some(2),
            '十' => {
                total += current.unwrap_or(1) * 10;
                current = None;
            }
            '百' => {
                total += current.unwrap_or(1) * 100;
                current = None;
            }
            c => current = Some(digit(c)?),
        }
    }
    Some(total + current.unwrap_or(0))
}

fn roman(s: &str) -> Option<u32> {
    let v = |c: char| match c.to_ascii_uppercase() {
        'I' => 1,
        'V' => 5,
        'X' => 10,
        'L' => 50,
        'C' => 100,
        _ => 0,
    };
    let vals: Vec<u32> = s.chars().map(v).collect();
    let mut total = 0i64;
    for (i, &x) in vals.iter().enumerate() {
        if vals.get(i + 1).is_some_and(|&n| n > x) {
            total -= i64::from(x);
        } else {
            total += i64::from(x);
        }
    }
    u32::try_from(total).ok().filter(|&t| t > 0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_of_both_languages() {
        assert_eq!(number("一、"), Some((Style::Section, 1)));
        assert_eq!(number("II."), Some((Style::Section, 2)));
        assert_eq!(number("IV."), Some((Style::Section, 4)));
        assert_eq!(number("十二、"), Some((Style::Section, 12)));
        assert_eq!(number("（一）"), Some((Style::Parenthesised, 1)));
        assert_eq!(number("(III)"), Some((Style::Parenthesised, 3)));
        assert_eq!(number("( 5 )"), Some((Style::Parenthesised, 5)));
        assert_eq!(number("（5）"), Some((Style::Parenthesised, 5)));
        assert_eq!(number("3 )"), Some((Style::Closed, 3)));
        assert_eq!(number("3）"), Some((Style::Closed, 3)));
        assert_eq!(number("10."), Some((Style::Dotted, 10)));
        assert_eq!(number("1.2"), Some((Style::Dotted, 2)));
        assert_eq!(number("1．"), Some((Style::Dotted, 1)));
        assert_eq!(number("第二十一条"), Some((Style::Article, 21)));
        assert_eq!(number("a)"), Some((Style::Closed, 1)));
        assert_eq!(number("foo."), None);
    }
}
