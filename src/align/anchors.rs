//! Anchors: the parts of a clause that survive translation unchanged —
//! email addresses, URLs, numbers (amounts, dates, durations) and, in
//! Chinese (or other CJK) text, names written in Latin script.

use crate::document::is_cjk;

/// The anchors of one clause, each list sorted and without duplicates.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Anchors {
    /// Email addresses, lower-cased.
    pub emails: Vec<String>,
    /// URLs as written (trailing punctuation dropped).
    pub urls: Vec<String>,
    /// Numbers as written in digits (full-width digits folded, thousands
    /// separators and leading zeros dropped).
    pub numbers: Vec<String>,
    /// Numbers followed by a unit of time (`15 working days`, `15个工作日`),
    /// as `15 days`: for messages about deadlines.
    pub durations: Vec<String>,
    /// Latin-script words (two letters or more) of a clause written mostly
    /// in CJK script, lower-cased: names (`IMEI`, `Google Analytics`) that a
    /// translation keeps as written. Empty for a Latin-script clause.
    pub names: Vec<String>,
    /// Every Latin-script word of the clause, lower-cased: what the other
    /// language's `names` are looked up in.
    pub words: Vec<String>,
    /// Whether the clause is written mostly in CJK script.
    pub cjk: bool,
}

impl Anchors {
    /// Read the anchors of a clause text.
    pub fn of(text: &str) -> Anchors {
        let mut a = Anchors::default();
        let (mut cjk_chars, mut latin_words) = (0usize, 0usize);
        let chars: Vec<(usize, char)> = text.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let (at, c) = chars[i];
            if is_cjk(c) {
                cjk_chars += 1;
                i += 1;
                continue;
            }
            // URLs first: their digits and letters are not numbers or words.
            if c.is_ascii_alphabetic() && is_url_start(&text[at..]) {
                let end = scan_while(&chars, i, |c| {
                    !(c.is_whitespace() || is_cjk(c) || "<>\"'（）【】，。；：、“”".contains(c))
                });
                let url = text[at..byte_at(&chars, end, text.len())]
                    .trim_end_matches(['.', ',', ';', ':', ')', ']', '!', '?']);
                a.urls.push(url.to_owned());
                i = end;
                continue;
            }
            if is_email_char(c) {
                let end = scan_while(&chars, i, is_email_char);
                let token = &text[at..byte_at(&chars, end, text.len())];
                if let Some(email) = as_email(token) {
                    a.emails.push(email.to_lowercase());
                    i = end;
                    continue;
                }
            }
            if let Some(d) = digit(c) {
                // A number: digits, with thousands separators and one decimal point.
                let mut value = String::from(d);
                let mut j = i + 1;
                while j < chars.len() {
                    let c = chars[j].1;
                    if let Some(d) = digit(c) {
                        value.push(d);
                        j += 1;
                    } else if (c == ',' || c == '.')
                        && chars.get(j + 1).and_then(|&(_, n)| digit(n)).is_some()
                        && !(c == '.' && value.contains('.'))
                    {
                        if c == '.' {
                            value.push('.');
                        }
                        j += 1;
                    } else {
                        break;
                    }
                }
                let value = strip_zeros(&value);
                if let Some(unit) = time_unit(&text[byte_at(&chars, j, text.len())..]) {
                    a.durations.push(format!("{value} {unit}"));
                }
                a.numbers.push(value);
                i = j;
                continue;
            }
            if c.is_ascii_alphabetic() {
                let end = scan_while(&chars, i, |c| c.is_ascii_alphanumeric() || c == '-');
                let word = text[at..byte_at(&chars, end, text.len())].to_ascii_lowercase();
                latin_words += 1;
                if word.len() >= 2 {
                    a.words.push(word);
                }
                i = end;
                continue;
            }
            i += 1;
        }
        // Mostly CJK: more CJK characters than Latin words (a Chinese
        // sentence of 20 characters holds one or two Latin names at most).
        a.cjk = cjk_chars > 0 && cjk_chars >= 2 * latin_words;
        if a.cjk {
            a.names = a.words.clone();
        }
        for v in [
            &mut a.emails,
            &mut a.urls,
            &mut a.numbers,
            &mut a.durations,
            &mut a.names,
            &mut a.words,
        ] {
            v.sort_unstable();
            v.dedup();
        }
        a
    }

    /// How many anchors the clause has (names and words aside).
    pub fn count(&self) -> usize {
        self.emails.len() + self.urls.len() + self.numbers.len()
    }
}

/// The differences between the anchors of two counterpart clauses, by kind;
/// empty when they agree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct AnchorDiff {
    /// Kinds whose values differ: (`email`, `url`, `number`, `name`), with the
    /// values on each side that the other lacks.
    pub kinds: Vec<(&'static str, Vec<String>, Vec<String>)>,
}

impl AnchorDiff {
    /// Compare the anchors of a clause (`a`) with its counterpart's (`b`).
    pub fn between(a: &Anchors, b: &Anchors) -> AnchorDiff {
        let mut kinds = Vec::new();
        for (kind, x, y) in [
            ("email", &a.emails, &b.emails),
            ("url", &a.urls, &b.urls),
            ("number", &a.numbers, &b.numbers),
        ] {
            let (only_a, only_b) = (minus(x, y), minus(y, x));
            if !only_a.is_empty() || !only_b.is_empty() {
                kinds.push((kind, only_a, only_b));
            }
        }
        // A Latin name in CJK text must appear in the other language's clause.
        let (names_a, names_b) = (minus(&a.names, &b.words), minus(&b.names, &a.words));
        if !names_a.is_empty() || !names_b.is_empty() {
            kinds.push(("name", names_a, names_b));
        }
        AnchorDiff { kinds }
    }

    /// Whether the counterparts agree on every anchor.
    pub fn is_empty(&self) -> bool {
        self.kinds.is_empty()
    }

    /// The part of `self` not already in `before`: differences that a change
    /// introduced, not ones the two texts always had.
    pub fn since(&self, before: &AnchorDiff) -> AnchorDiff {
        AnchorDiff {
            kinds: self
                .kinds
                .iter()
                .filter(|k| !before.kinds.contains(k))
                .cloned()
                .collect(),
        }
    }

    /// Shared and total anchors of two clauses, for alignment scores.
    pub fn overlap(a: &Anchors, b: &Anchors) -> (usize, usize) {
        let mut shared = 0;
        let mut total = 0;
        for (x, y) in [
            (&a.emails, &b.emails),
            (&a.urls, &b.urls),
            (&a.numbers, &b.numbers),
        ] {
            let s = x.iter().filter(|v| y.binary_search(v).is_ok()).count();
            shared += s;
            total += x.len() + y.len() - s;
        }
        for (names, words) in [(&a.names, &b.words), (&b.names, &a.words)] {
            let s = names
                .iter()
                .filter(|v| words.binary_search(v).is_ok())
                .count();
            shared += s;
            total += names.len();
        }
        (shared, total)
    }
}

/// `x` without the values in `y` (both sorted).
fn minus(x: &[String], y: &[String]) -> Vec<String> {
    x.iter()
        .filter(|v| y.binary_search(v).is_err())
        .cloned()
        .collect()
}

fn byte_at(chars: &[(usize, char)], i: usize, len: usize) -> usize {
    chars.get(i).map_or(len, |&(b, _)| b)
}

fn scan_while(chars: &[(usize, char)], from: usize, keep: impl Fn(char) -> bool) -> usize {
    let mut j = from;
    while j < chars.len() && keep(chars[j].1) {
        j += 1;
    }
    j
}

fn is_url_start(s: &str) -> bool {
    let lower = |p: &str| s.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    lower("https://") || lower("http://") || lower("www.")
}

fn is_email_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._%+-@".contains(c)
}

/// `token` as an email address: one `@`, a dotted domain with a letter TLD.
fn as_email(token: &str) -> Option<&str> {
    let token = token.trim_end_matches(['.', '-']);
    let (local, domain) = token.split_once('@')?;
    let tld = domain.rsplit_once('.')?.1;
    (!local.is_empty()
        && !domain.contains('@')
        && tld.len() >= 2
        && tld.chars().all(|c| c.is_ascii_alphabetic()))
    .then_some(token)
}

/// An ASCII or full-width digit, as ASCII.
fn digit(c: char) -> Option<char> {
    match c {
        '0'..='9' => Some(c),
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32),
        _ => None,
    }
}

fn strip_zeros(v: &str) -> String {
    let t = v.trim_start_matches('0');
    if t.is_empty() || t.starts_with('.') {
        format!("0{t}")
    } else {
        t.to_owned()
    }
}

/// The unit of time right after a number, in one spelling for both languages.
fn time_unit(after: &str) -> Option<&'static str> {
    let t = after.trim_start_matches([' ', ']', '】', ')', '）', '\u{a0}']);
    let t = t.trim_start_matches(['个', '個']);
    let lower: String = t.chars().take(14).collect::<String>().to_ascii_lowercase();
    const UNITS: &[(&str, &str)] = &[
        ("working day", "days"),
        ("business day", "days"),
        ("calendar day", "days"),
        ("day", "days"),
        ("工作日", "days"),
        ("自然日", "days"),
        ("天", "days"),
        ("日内", "days"),
        ("week", "weeks"),
        ("周内", "weeks"),
        ("month", "months"),
        ("月内", "months"),
        ("year", "years"),
        ("年内", "years"),
        ("hour", "hours"),
        ("小时", "hours"),
    ];
    UNITS
        .iter()
        .find(|(p, _)| lower.starts_with(p))
        .map(|&(_, u)| u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anchors_of_an_english_and_a_chinese_clause_agree() {
        let en = Anchors::of(
            "We promise to process your request within [ 15 ] working days; write to privacy@Example-Corp.com or see https://example.com/privacy.",
        );
        let zh = Anchors::of(
            "我们承诺自收到请求之日起【15】个工作日内完成处理；请致信 privacy@example-corp.com 或访问https://example.com/privacy。",
        );
        assert_eq!(en.numbers, ["15"]);
        assert_eq!(en.durations, ["15 days"]);
        assert_eq!(zh.durations, ["15 days"]);
        assert_eq!(en.emails, ["privacy@example-corp.com"]);
        assert_eq!(zh.urls, ["https://example.com/privacy"]);
        assert_eq!(en.urls, zh.urls);
        assert!(zh.cjk && !en.cjk);
        assert!(AnchorDiff::between(&en, &zh).is_empty());
    }

    #[test]
    fn differences_by_kind_and_latin_names_in_chinese() {
        let en = Anchors::of("within 30 days, shared with Google Analytics and IPO advisers");
        let zh = Anchors::of("在20天内，与Google Analytics及Adjust共享，包括IPO顾问");
        let d = AnchorDiff::between(&en, &zh);
        assert_eq!(
            d.kinds,
            vec![
                ("number", vec!["30".to_owned()], vec!["20".to_owned()]),
                ("name", vec![], vec!["adjust".to_owned()]),
            ]
        );
        let same_before =
            AnchorDiff::between(&en, &Anchors::of("在30天内，与Google Analytics共享"));
        assert_eq!(d.since(&same_before), d);
        assert!(d.since(&d).is_empty());
    }

    #[test]
    fn dates_and_full_width_digits() {
        let en = Anchors::of("2025 .7 .9");
        let zh = Anchors::of("２０２５年7月09日");
        assert_eq!(en.numbers, ["2025", "7", "9"]);
        assert_eq!(zh.numbers, ["2025", "7", "9"]);
        assert_eq!(Anchors::of("1,000 users, 1.5%").numbers, ["1.5", "1000"]);
    }
}
