//! Small scanners for contact details, numbers and durations. Hand-written
//! for the same reason as [`super::terms`]: nothing to compile per run.

use std::borrow::Cow;

/// The words a reader reads: Markdown link targets (`](…)`), bare URLs and
/// email addresses blanked out. Words of a URL or an address ("…/privacy/
/// marketing?…", "dpo@…") are not words of the policy; a link target that
/// changed behind the same link text changes no practice. Borrowed when
/// there is nothing to blank (most clauses).
pub fn prose(text: &str) -> Cow<'_, str> {
    if !text.contains("](")
        && !text.contains("://")
        && !text.contains("www.")
        && !text.contains('@')
    {
        return Cow::Borrowed(text);
    }
    let out = link_free(text).into_owned();
    let mut blanked = out.clone();
    for found in urls(&out).into_iter().chain(emails(&out)) {
        blanked = blanked.replacen(found, " ", 1);
    }
    Cow::Owned(blanked)
}

/// `text` without its Markdown link targets (`](…)`): what remains of a
/// link is its text.
pub fn link_free(text: &str) -> Cow<'_, str> {
    if !text.contains("](") {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find("](") {
        out.push_str(&rest[..=at]);
        let mut depth = 0usize;
        let mut end = rest.len();
        for (i, c) in rest[at + 1..].char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = at + 1 + i + 1;
                        break;
                    }
                }
                '\n' => {
                    end = at + 1 + i;
                    break;
                }
                _ => {}
            }
        }
        out.push(' ');
        rest = &rest[end..];
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// A web address as a channel: host and path, lower case, without scheme,
/// "www.", query, fragment or trailing slash.
pub fn url_key(url: &str) -> String {
    let lower = url.to_ascii_lowercase();
    let rest = lower
        .split_once("://")
        .map_or(lower.as_str(), |(_, r)| r)
        .trim_start_matches("www.");
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    rest.trim_end_matches('/').to_owned()
}

/// A sentence that reports figures (statistics, averages, a metrics table
/// row): its numbers and durations are measurements, not commitments.
pub fn reports_figures(sentence: &str) -> bool {
    const MARKERS: [&str; 12] = [
        "average",
        "median",
        "statistic",
        "per cent",
        "percent",
        "%",
        "mean time",
        "metrics",
        "平均",
        "统计",
        "中位数",
        "百分比",
    ];
    let lower = sentence.to_lowercase();
    sentence.matches('|').count() >= 2 || MARKERS.iter().any(|m| lower.contains(m))
}

/// A phone number's digits (and a leading `+`): the same number however it is spaced.
pub fn phone_key(phone: &str) -> String {
    phone
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect()
}

/// A year (1900–2099), read as a date, not as a quantity.
pub fn is_year(number: &str) -> bool {
    number.len() == 4 && (number.starts_with("19") || number.starts_with("20"))
}

/// Characters allowed in the local part and domain of an email address.
fn email_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || "._%+-".contains(c)
}

/// Email addresses (`name@domain.tld`).
pub fn emails(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    for (at, _) in text.match_indices('@') {
        let start = text[..at]
            .char_indices()
            .rev()
            .take_while(|&(_, c)| email_char(c))
            .last()
            .map(|(i, _)| i);
        let end = text[at + 1..]
            .char_indices()
            .take_while(|&(_, c)| email_char(c))
            .last()
            .map(|(i, c)| at + 1 + i + c.len_utf8());
        if let (Some(s), Some(e)) = (start, end) {
            let candidate = text[s..e].trim_end_matches(['.', '-']);
            let domain = &candidate[at - s + 1..];
            let tld_ok = domain.rsplit_once('.').is_some_and(|(_, tld)| {
                tld.len() >= 2 && tld.chars().all(|c| c.is_ascii_alphabetic())
            });
            if tld_ok {
                out.push(candidate);
            }
        }
    }
    out
}

/// URLs (`http://`, `https://`, `www.`), up to white space or closing punctuation.
pub fn urls(text: &str) -> Vec<&str> {
    let lower = text.to_ascii_lowercase();
    // A set, not a list: a hostile clause may hold 100,000 URLs, and the
    // overlap test below must not look at every earlier one.
    let mut starts: std::collections::BTreeSet<usize> = std::collections::BTreeSet::new();
    for marker in ["https://", "http://", "www."] {
        for (i, _) in lower.match_indices(marker) {
            let boundary =
                i == 0 || !lower[..i].ends_with(|c: char| c.is_ascii_alphanumeric() || c == '/');
            if boundary && starts.range(i.saturating_sub(7)..=i).next().is_none() {
                starts.insert(i);
            }
        }
    }
    starts
        .into_iter()
        .map(|s| {
            let end = text[s..]
                .char_indices()
                .find(|&(_, c)| c.is_whitespace() || "<>\"'）)】，。；".contains(c))
                .map_or(text.len(), |(i, _)| s + i);
            text[s..end].trim_end_matches(['.', ',', ';', ':'])
        })
        .collect()
}

/// Phone numbers: runs of digits with spaces, dashes, dots or parentheses
/// between them, at least 7 digits, optional leading `+`; dates excluded.
pub fn phones(text: &str) -> Vec<&str> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let starts = bytes[i].is_ascii_digit()
            || (bytes[i] == b'+' && bytes.get(i + 1).is_some_and(u8::is_ascii_digit))
            || bytes[i] == b'(';
        if !starts || (i > 0 && bytes[i - 1].is_ascii_alphanumeric()) {
            i += 1;
            continue;
        }
        let mut j = i;
        let mut digits = 0;
        let mut last_digit = i;
        while j < bytes.len() {
            let b = bytes[j];
            if b.is_ascii_digit() {
                digits += 1;
                last_digit = j;
            } else {
                let separator =
                    matches!(b, b' ' | b'-' | b'(' | b')' | b'.') || (b == b'+' && j == i);
                // A space ends the number unless more of it follows.
                let ends_at_space = b == b' '
                    && bytes
                        .get(j + 1)
                        .is_some_and(|n| !n.is_ascii_digit() && *n != b'(' && *n != b'-');
                if !separator || ends_at_space {
                    break;
                }
            }
            j += 1;
        }
        let candidate = &text[i..=last_digit.max(i)];
        let is_date = candidate.len() == 10
            && candidate.as_bytes()[4] == b'-'
            && candidate.as_bytes()[7] == b'-';
        if digits >= 7 && !is_date && !(j < bytes.len() && bytes[j].is_ascii_alphabetic()) {
            out.push(candidate);
        }
        i = j.max(i + 1);
    }
    out
}

/// Postal-address markers: street words after a number, or Chinese 路/街 + 号.
pub fn postal(text: &str) -> Vec<String> {
    const STREET: [&str; 10] = [
        "road",
        "street",
        "st",
        "avenue",
        "ave",
        "boulevard",
        "floor",
        "building",
        "suite",
        "district",
    ];
    let words = super::terms::words(text);
    let mut out = Vec::new();
    for (k, (range, lower)) in words.iter().enumerate() {
        if STREET.contains(&lower.as_ref()) {
            // A number within the four words before makes it an address.
            let from = k.saturating_sub(4);
            if let Some((start, _)) = words[from..k]
                .iter()
                .find(|(_, w)| w.chars().next().is_some_and(|c| c.is_ascii_digit()))
            {
                out.push(text[start.start..range.end].to_owned());
            }
        }
    }
    for (i, _) in text.match_indices('号') {
        let before: String = text[..i]
            .chars()
            .rev()
            .take(12)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if before.contains('路') || before.contains('街') || before.contains('道') {
            out.push(format!("{before}号"));
        }
    }
    out
}

/// Chinese numerals to a value (一 … 九十九, 百).
pub fn chinese_number(s: &str) -> Option<f64> {
    let digit = |c: char| match c {
        '〇' | '零' => Some(0.0),
        '一' => Some(1.0),
        '二' | '两' => Some(2.0),
        '三' => Some(3.0),
        '四' => Some(4.0),
        '五' => Some(5.0),
        '六' => Some(6.0),
        '七' => Some(7.0),
        '八' => Some(8.0),
        '九' => Some(9.0),
        _ => None,
    };
    let mut total = 0.0;
    let mut current = 0.0;
    for c in s.chars() {
        match c {
            '十' => {
                total += if current == 0.0 { 10.0 } else { current * 10.0 };
                current = 0.0;
            }
            '百' => {
                total += if current == 0.0 {
                    100.0
                } else {
                    current * 100.0
                };
                current = 0.0;
            }
            c => current = digit(c)?,
        }
    }
    Some(total + current)
}

/// English number words used for periods ("five years", "thirty days").
fn english_number(word: &str) -> Option<f64> {
    const WORDS: [(&str, f64); 20] = [
        ("one", 1.0),
        ("two", 2.0),
        ("three", 3.0),
        ("four", 4.0),
        ("five", 5.0),
        ("six", 6.0),
        ("seven", 7.0),
        ("eight", 8.0),
        ("nine", 9.0),
        ("ten", 10.0),
        ("eleven", 11.0),
        ("twelve", 12.0),
        ("fifteen", 15.0),
        ("eighteen", 18.0),
        ("twenty", 20.0),
        ("thirty", 30.0),
        ("forty", 40.0),
        ("sixty", 60.0),
        ("ninety", 90.0),
        ("hundred", 100.0),
    ];
    WORDS.iter().find(|(w, _)| *w == word).map(|&(_, v)| v)
}

fn is_cjk_numeral(c: char) -> bool {
    matches!(
        c,
        '〇' | '零'
            | '一'
            | '二'
            | '三'
            | '四'
            | '五'
            | '六'
            | '七'
            | '八'
            | '九'
            | '十'
            | '百'
            | '两'
    )
}

/// Numbers in a text (Arabic digits, with decimals, or Chinese numerals), as written.
pub fn numbers(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start: Option<(usize, bool)> = None;
    for (i, c) in text
        .char_indices()
        .chain(std::iter::once((text.len(), ' ')))
    {
        let arabic = c.is_ascii_digit()
            || (c == '.'
                && start.is_some_and(|(_, a)| a)
                && text[i + 1..].starts_with(|d: char| d.is_ascii_digit()));
        let chinese = is_cjk_numeral(c);
        match start {
            Some((s, true)) if !arabic => {
                out.push(&text[s..i]);
                start = None;
            }
            Some((s, false)) if !chinese => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
        if start.is_none() && (c.is_ascii_digit() || chinese) {
            start = Some((i, !chinese));
        }
    }
    out
}

/// A duration as written ("15 working days", "六个月") and its length in days.
pub fn durations(text: &str) -> Vec<(String, f64)> {
    // Most clauses name no period: skip the work when no unit word occurs.
    let lower = text.to_ascii_lowercase();
    let has_unit = ["day", "week", "month", "year", "hour"]
        .iter()
        .any(|u| lower.contains(u))
        || text.contains(['天', '日', '周', '月', '年', '时']);
    if !has_unit {
        return Vec::new();
    }
    const UNITS: [(&str, f64); 16] = [
        ("个工作日", 1.0),
        ("工作日", 1.0),
        ("个月", 30.0),
        ("小时", 1.0 / 24.0),
        ("天", 1.0),
        ("日", 1.0),
        ("周", 7.0),
        ("月", 30.0),
        ("年", 365.0),
        ("day", 1.0),
        ("week", 7.0),
        ("month", 30.0),
        ("year", 365.0),
        ("hour", 1.0 / 24.0),
        ("business day", 1.0),
        ("working day", 1.0),
    ];
    // Numbers written as digits, Chinese numerals or English words ("five years").
    let mut found: Vec<(&str, f64)> = numbers(text)
        .into_iter()
        .filter_map(|n| {
            n.parse::<f64>()
                .ok()
                .or_else(|| chinese_number(n))
                .map(|v| (n, v))
        })
        .collect();
    for (range, lower) in super::terms::words(text) {
        if let Some(v) = english_number(&lower) {
            found.push((&text[range], v));
        }
    }
    let mut out = Vec::new();
    for (number, value) in found {
        let at = number.as_ptr() as usize - text.as_ptr() as usize;
        // Skip spaces and a closing bracket: "[ 15 ] working days".
        let rest = text[at + number.len()..].trim_start_matches([' ', ']', '】']);
        let lower = rest.to_ascii_lowercase();
        let lower = lower.strip_prefix("calendar ").unwrap_or(&lower);
        for (unit, days) in UNITS {
            if lower.starts_with(unit) {
                let gap = if unit.is_ascii() { " " } else { "" };
                out.push((
                    format!(
                        "{number}{gap}{unit}{}",
                        if unit.is_ascii() && value != 1.0 {
                            "s"
                        } else {
                            ""
                        }
                    ),
                    value * days,
                ));
                break;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_emails_urls_and_phones() {
        assert_eq!(
            emails("email: lvyanjing1122@163.com."),
            ["lvyanjing1122@163.com"]
        );
        assert_eq!(emails("a @ b and x@y"), Vec::<&str>::new());
        assert_eq!(
            urls("see https://example.com/privacy, or www.example.cn。"),
            ["https://example.com/privacy", "www.example.cn"]
        );
        assert_eq!(phones("电话 400-800-1234 与我们联系"), ["400-800-1234"]);
        assert_eq!(phones("call +86 10 6552 9988 now"), ["+86 10 6552 9988"]);
        assert!(phones("effective 2025-07-09 within 15 working days").is_empty());
    }

    #[test]
    fn numbers_and_durations() {
        assert_eq!(
            numbers("within [ 15 ] working days, 1.5 times, 十二个月"),
            ["15", "1.5", "十二"]
        );
        let d = durations("within [ 15 ] working days");
        assert_eq!(d, [("15 working days".to_owned(), 15.0)]);
        assert_eq!(durations("最长不超过六个月")[0].1, 180.0);
        assert_eq!(durations("15个工作日内")[0].0, "15个工作日");
        assert_eq!(
            durations("retained for five years")[0],
            ("five years".to_owned(), 1825.0)
        );
        assert_eq!(chinese_number("二十"), Some(20.0));
    }

    #[test]
    fn prose_blanks_link_targets_urls_and_emails() {
        assert_eq!(
            prose("see our [Terms](https://x.com/a?b=(c)) now"),
            "see our [Terms]  now"
        );
        assert!(!prose("write to dpo@example.com").contains("dpo"));
        assert!(!prose("Retrieved from https://x.org/w/index.php?oldid=1").contains("oldid"));
        assert!(matches!(prose("plain text"), Cow::Borrowed(_)));
        assert!(reports_figures("| Average time | 8.83 days |"));
        assert!(!reports_figures("We answer within 15 days."));
        assert_eq!(phone_key("+1 (800) 555-0100"), phone_key("+1-800-555-0100"));
    }

    #[test]
    fn postal_addresses() {
        assert_eq!(postal("Room 5, 88 Century Avenue, Shanghai").len(), 1);
        assert_eq!(postal("北京市朝阳区建国路88号").len(), 1);
        assert!(postal("We avenue of approach").is_empty());
    }
}
