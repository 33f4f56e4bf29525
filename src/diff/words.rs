//! Word-level diff inside one clause pair. Tokens are Unicode words; inside CJK
//! runs every character is its own token (UAX #29 breaks between ideographs),
//! so a one-character edit in Chinese stays a one-character change.

use std::borrow::Cow;
use std::ops::Range;
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
    /// What the diff compares: the text, or its comparison form (borrowed
    /// when that is the text itself, as for most lower-case words).
    key: Cow<'a, str>,
}

/// ASCII letters, digits and `_`: what a word is made of.
fn is_ascii_word(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

/// End of the ASCII word starting at `i` (a word byte): its run of word
/// bytes, joined across a mid-word `'`, `.`, `,`, `:` or `;` as UAX #29 joins
/// them ("don't", "1.5", "e.g").
fn ascii_word_end(b: &[u8], mut i: usize) -> usize {
    i += 1;
    loop {
        while i < b.len() && is_ascii_word(b[i]) {
            i += 1;
        }
        let joins = i + 1 < b.len()
            && matches!(b[i], b'\'' | b'.' | b',' | b':' | b';')
            && is_ascii_word(b[i + 1])
            && joinable(b[i - 1], b[i], b[i + 1]);
        if !joins {
            return i;
        }
        i += 1;
    }
}

/// End of the segment that starts at `b[i]`, an ASCII byte that is not part
/// of a word: a run of spaces (WB3d: runs of spaces stay together, tabs do
/// not), CR LF (WB3), or the one byte.
fn other_end(b: &[u8], i: usize) -> usize {
    if b[i] == b' ' {
        i + b[i..].iter().take_while(|&&c| c == b' ').count()
    } else if b[i] == b'\r' && b.get(i + 1) == Some(&b'\n') {
        i + 2
    } else {
        i + 1
    }
}

/// Word-boundary segments of ASCII text: runs of letters, digits and `_`
/// (with `'` or `.` between two of them, as UAX #29 joins them), runs of
/// white space, and single other characters. Same as
/// `split_word_bound_indices` on ASCII, without its Unicode tables.
fn ascii_segments(text: &str) -> Vec<(usize, &str)> {
    // A segment every three bytes or so (a word, then a space or a mark):
    // sized once instead of regrown.
    let mut out = Vec::with_capacity(text.len() / 3 + 1);
    ascii_segments_into(text, 0, &mut out);
    out
}

/// [`ascii_segments`] of `text`, which starts at byte `offset` of the text
/// `out` indexes, appended to `out` (the pieces of a mixed text go into one
/// list instead of a list each).
fn ascii_segments_into<'t>(text: &'t str, offset: usize, out: &mut Vec<(usize, &'t str)>) {
    let b = text.as_bytes();
    let word = is_ascii_word;
    let mut i = 0;
    while i < b.len() {
        let start = i;
        i = if word(b[i]) {
            ascii_word_end(b, i)
        } else {
            other_end(b, i)
        };
        out.push((offset + start, &text[start..i]));
    }
}

/// Word-boundary segments of a text (UAX #29), with the ASCII fast path.
pub(crate) fn segments(text: &str) -> Vec<(usize, &str)> {
    if text.is_ascii() {
        ascii_segments(text)
    } else {
        mixed_segments(text).unwrap_or_else(|| text.split_word_bound_indices().collect())
    }
}

/// ASCII white space as UAX #29 sees it: every one breaks on both sides,
/// but for runs of spaces (WB3d), CR LF (WB3) and the marks after a space
/// or tab (WB4).
fn is_break_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

/// [`segments`] of a text that is not all ASCII: cut at ASCII white space,
/// each piece between segmented alone (the fast way when it is ASCII), the
/// white space as [`ascii_segments`] cuts it. Most words of most policies
/// are ASCII even where a few are not. None where a piece may join the
/// white space beside it (a mark after a space, an ideographic space next
/// to one): the caller then segments the whole text.
fn mixed_segments(text: &str) -> Option<Vec<(usize, &str)>> {
    let b = text.as_bytes();
    let mut out = Vec::with_capacity(b.len() / 3 + 1);
    let mut i = 0;
    while i < b.len() {
        let start = i;
        if is_break_space(b[i]) {
            i = other_end(b, i);
            out.push((start, &text[start..i]));
            continue;
        }
        while i < b.len() && !is_break_space(b[i]) {
            i += 1;
        }
        let piece = &text[start..i];
        if piece.is_ascii() {
            ascii_segments_into(piece, start, &mut out);
            continue;
        }
        // The only joins across white space: a space or tab with the marks
        // after it, and white space with white space.
        let before = start.checked_sub(1).map(|k| b[k]);
        let after = b.get(i).copied();
        let first = piece.chars().next()?;
        let last = piece.chars().next_back()?;
        if matches!(before, Some(b' ' | b'\t')) && !first.is_ascii() && joins(before?, first) {
            return None;
        }
        if after == Some(b' ') && !last.is_ascii() && joins_after(last) {
            return None;
        }
        out.extend(
            piece
                .split_word_bound_indices()
                .map(|(k, w)| (start + k, w)),
        );
    }
    Some(out)
}

/// Whether UAX #29 keeps ASCII white space `w` and `c` after it together.
fn joins(w: u8, c: char) -> bool {
    let mut buf = [0u8; 8];
    buf[0] = w;
    let n = 1 + c.encode_utf8(&mut buf[1..]).len();
    std::str::from_utf8(&buf[..n]).map_or(true, |two| two.split_word_bounds().nth(1).is_none())
}

/// Whether UAX #29 keeps `c` and a space after it together.
fn joins_after(c: char) -> bool {
    let mut buf = [0u8; 8];
    let n = c.encode_utf8(&mut buf).len();
    buf[n] = b' ';
    std::str::from_utf8(&buf[..=n]).map_or(true, |two| two.split_word_bounds().nth(1).is_none())
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

/// Byte ranges of compound tokens in `text`: e-mail addresses, URLs, dates,
/// phone numbers, and numbers with their separators and units. A reader
/// (and Word Compare) sees each as one thing, so a change replaces it whole
/// instead of striking the digits between its dots. Hand-written scanning:
/// this runs on every modified clause and must not compile patterns.
fn compound_spans(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        // Only at the start of a word: never inside "abc123".
        // (After CJK text a date or address may follow with no space.)
        let at_start = i == 0 || !(b[i - 1].is_ascii_alphanumeric() || b[i - 1] == b'_');
        if at_start
            && let Some(end) = url_end(b, i)
                .or_else(|| email_end(b, i))
                .or_else(|| month_date_end(b, i))
                .or_else(|| numeric_end(b, i))
        {
            out.push((i, end));
            i = end;
            continue;
        }
        i += utf8_len(b[i]);
    }
    out
}

fn utf8_len(first: u8) -> usize {
    match first {
        0xF0..=0xFF => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80
}

/// Trailing sentence punctuation is not part of a URL or address.
fn trim_trailing(b: &[u8], start: usize, mut end: usize) -> usize {
    while end > start
        && matches!(
            b[end - 1],
            b'.' | b',' | b';' | b':' | b'!' | b'?' | b')' | b'-'
        )
    {
        end -= 1;
    }
    end
}

fn url_end(b: &[u8], i: usize) -> Option<usize> {
    let rest = &b[i..];
    let prefix = ["https://", "http://", "www."]
        .iter()
        .find(|p| rest.len() > p.len() && rest[..p.len()].eq_ignore_ascii_case(p.as_bytes()))?;
    let mut end = i + prefix.len();
    while end < b.len()
        && !b[end].is_ascii_whitespace()
        && !matches!(b[end], b'<' | b'>' | b'"' | b'`' | b'[' | b']')
        && b[end] >= 0x21
        && b[end] < 0x80
    {
        end += 1;
    }
    let end = trim_trailing(b, i, end);
    (end > i + prefix.len()).then_some(end)
}

fn email_end(b: &[u8], i: usize) -> Option<usize> {
    let local = |c: u8| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-');
    let mut at = i;
    while at < b.len() && local(b[at]) {
        at += 1;
    }
    if at == i || b.get(at) != Some(&b'@') {
        return None;
    }
    let mut end = at + 1;
    while end < b.len() && (b[end].is_ascii_alphanumeric() || matches!(b[end], b'.' | b'-')) {
        end += 1;
    }
    let end = trim_trailing(b, at + 1, end);
    b[at + 1..end].contains(&b'.').then_some(end)
}

use crate::document::MONTHS;

/// Length of a month name (full, or a three-letter abbreviation with an
/// optional dot) at `i`, followed by a non-letter.
fn month_at(b: &[u8], i: usize) -> Option<usize> {
    let word_end = (i..b.len())
        .find(|&k| !b[k].is_ascii_alphabetic())
        .unwrap_or(b.len());
    let word = &b[i..word_end];
    if word.len() < 3 {
        return None;
    }
    let hit = MONTHS.iter().any(|m| {
        word.eq_ignore_ascii_case(m.as_bytes())
            || word.len() == 3 && m.as_bytes()[..3].eq_ignore_ascii_case(word)
            || word.len() == 4 && word.eq_ignore_ascii_case(b"sept")
    });
    if !hit {
        return None;
    }
    let dot = usize::from(word.len() <= 4 && b.get(word_end) == Some(&b'.'));
    Some(word_end + dot - i)
}

fn digits_at(b: &[u8], i: usize) -> usize {
    b[i.min(b.len())..]
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count()
}

/// A day of the month: one or two digits with an optional ordinal suffix.
fn day_at(b: &[u8], i: usize) -> Option<usize> {
    let n = digits_at(b, i);
    if n == 0 || n > 2 {
        return None;
    }
    let mut end = i + n;
    if end + 2 <= b.len()
        && [b"st", b"nd", b"rd", b"th"]
            .iter()
            .any(|s| b[end..end + 2].eq_ignore_ascii_case(*s))
    {
        end += 2;
    }
    (end >= b.len() || !b[end].is_ascii_alphanumeric()).then_some(end)
}

/// A four-digit year after one space (and an optional comma before it).
fn year_after(b: &[u8], end: usize) -> Option<usize> {
    let mut k = end;
    if b.get(k) == Some(&b',') {
        k += 1;
    }
    if b.get(k) != Some(&b' ') {
        return None;
    }
    k += 1;
    (digits_at(b, k) == 4 && !b.get(k + 4).is_some_and(u8::is_ascii_alphanumeric)).then_some(k + 4)
}

/// "9 July 2025", "9th July", "July 9, 2025", "July 2025", "Jul. 9".
fn month_date_end(b: &[u8], i: usize) -> Option<usize> {
    if b[i].is_ascii_digit() {
        let day = day_at(b, i)?;
        if b.get(day) != Some(&b' ') {
            return None;
        }
        let m = month_at(b, day + 1)?;
        let end = day + 1 + m;
        return Some(year_after(b, end).unwrap_or(end));
    }
    let m = month_at(b, i)?;
    let end = i + m;
    if b.get(end) == Some(&b' ')
        && let Some(day) = day_at(b, end + 1)
    {
        return Some(year_after(b, day).unwrap_or(day));
    }
    // "July 2025" but not a bare month name ("may" is a verb).
    year_after(b, end)
}

/// Units that belong to the number before them.
const UNITS: [&str; 24] = [
    "%", "days", "day", "hours", "hour", "minutes", "months", "month", "years", "year", "weeks",
    "week", "kb", "mb", "gb", "tb", "km", "kg", "usd", "eur", "gbp", "cny", "rmb", "yuan",
];

/// Numbers with separators ("1,000.50", "2025-07-09", "2025.7.9", "10:30"),
/// phone numbers ("+1 (555) 010-2030", "400-820-8888"), a currency sign
/// before and a unit after ("$5", "30 days", "5 %"), and Chinese dates
/// ("2025年7月9日").
fn numeric_end(b: &[u8], i: usize) -> Option<usize> {
    let mut k = i;
    let phone = b[k] == b'+' || b[k] == b'(';
    // A currency sign or phone prefix before the digits.
    if matches!(b[k], b'$' | b'+' | b'(') {
        k += 1;
    } else if b[k..].starts_with("€".as_bytes())
        || b[k..].starts_with("£".as_bytes())
        || b[k..].starts_with("¥".as_bytes())
    {
        k += 2;
    }
    if digits_at(b, k) == 0 {
        return None;
    }
    let mut end = k;
    let mut groups = 0;
    let year_first = digits_at(b, k) == 4;
    loop {
        end += digits_at(b, end);
        groups += 1;
        // Chinese date parts: 年 月 日 after digits.
        if let Some(unit) = ["年", "月", "日", "号"]
            .iter()
            .find(|u| b[end..].starts_with(u.as_bytes()))
        {
            end += unit.len();
            if digits_at(b, end) > 0 {
                continue;
            }
            return (groups > 1).then_some(end);
        }
        let sep = b.get(end).copied();
        let next = |n: usize| b.get(end + n).is_some_and(u8::is_ascii_digit);
        match sep {
            Some(b'-' | b'.' | b'/' | b',' | b':') if next(1) => end += 1,
            // "2025 .7 .9": a dotted date typed with spaces.
            Some(b' ') if year_first && b.get(end + 1) == Some(&b'.') && next(2) => end += 2,
            Some(b')') if phone && b.get(end + 1) == Some(&b' ') && next(2) => end += 2,
            Some(b' ') if phone && (next(1) || b.get(end + 1) == Some(&b'(')) => {
                end += 1;
                if b[end] == b'(' {
                    end += 1;
                }
            }
            _ => break,
        }
    }
    if b[i] == b'(' && b.get(end) == Some(&b')') {
        end += 1;
    }
    // A bare "(12" is not a phone number.
    if b[i] == b'(' && groups < 2 {
        return None;
    }
    // A unit, glued ("5%", "10MB") or after one space ("30 days").
    let unit_at = |at: usize| {
        UNITS.iter().find_map(|u| {
            let u = u.as_bytes();
            let tail = b.get(at..at + u.len())?;
            let after = b.get(at + u.len());
            (tail.eq_ignore_ascii_case(u) && !after.is_some_and(|c| is_word_byte(*c)))
                .then_some(at + u.len())
        })
    };
    if let Some(e) = unit_at(end).or_else(|| {
        (b.get(end) == Some(&b' '))
            .then(|| unit_at(end + 1))
            .flatten()
    }) {
        return Some(e);
    }
    // A plain integer is already one segment: nothing to merge.
    let plain = groups == 1 && k == i;
    (!plain).then_some(end)
}

/// Split `text` into tokens; white space rides on the token before it,
/// except with `exact`, where it is a token of its own so that a change of
/// spacing never shows the word next to it struck and re-inserted.
/// Compound tokens (see [`compound_spans`]) are one token each.
fn tokenize(text: &str, exact: bool) -> Vec<Token<'_>> {
    let spans = compound_spans(text);
    let mut span = spans.iter().peekable();
    let mut tokens: Vec<Token<'_>> = Vec::new();
    let mut start = 0;
    // End of the compound the last token is part of, if any.
    let mut inside = 0;
    for (offset, segment) in segments(text) {
        let seg_end = offset + segment.len();
        if offset < inside
            && let Some(last) = tokens.last_mut()
        {
            last.text = &text[start..seg_end];
            inside = inside.max(seg_end);
            continue;
        }
        while span.peek().is_some_and(|s| s.1 <= offset) {
            span.next();
        }
        if let Some(&&(s, e)) = span.peek()
            && s == offset
        {
            start = offset;
            inside = e.max(seg_end);
            tokens.push(Token {
                text: &text[offset..seg_end],
                key: Cow::Borrowed(""),
            });
            continue;
        }
        if segment.chars().all(char::is_whitespace) && !exact {
            match tokens.last_mut() {
                Some(last) => last.text = &text[start..seg_end],
                None => tokens.push(Token {
                    text: segment,
                    key: Cow::Borrowed(""),
                }),
            }
            continue;
        }
        start = offset;
        tokens.push(Token {
            text: segment,
            key: Cow::Borrowed(""),
        });
    }
    for t in &mut tokens {
        // As written means white space too: it may be the only difference.
        t.key = if exact {
            Cow::Borrowed(t.text)
        } else {
            let word = t.text.trim_end();
            // ASCII without capitals is its own comparison form.
            if word
                .bytes()
                .all(|b| b.is_ascii() && !b.is_ascii_uppercase())
            {
                Cow::Borrowed(word)
            } else {
                Cow::Owned(normalize_token(word))
            }
        };
    }
    tokens
}

/// Inputs of at most this many items (tokens, clauses) both sides together
/// are diffed without a deadline: even the worst case (every item differs,
/// Myers' O((N+M)·D)) is a few million steps, milliseconds, and checking
/// the clock at every step cost more than that on a history walk.
pub(super) const UNTIMED_ITEMS: usize = 2_000;

/// The deadline to give a diff of `items` items: none for a small one.
pub(super) fn timed(items: usize, deadline: Instant) -> Option<Instant> {
    (items > UNTIMED_ITEMS).then_some(deadline)
}

/// One step of the token-level script: equal or not, with its token ranges.
#[derive(Debug, Clone)]
struct Step {
    equal: bool,
    old: Range<usize>,
    new: Range<usize>,
}

/// Short words that carry no content of their own: a run made only of these
/// between two edits reads as part of the rewrite, not as kept text.
/// Negations are not here: "not" kept between edits is meaning.
const FUNCTION_WORDS: [&str; 40] = [
    "a", "an", "the", "of", "to", "in", "on", "at", "by", "for", "with", "from", "as", "and", "or",
    "but", "if", "that", "this", "these", "those", "is", "are", "be", "was", "were", "it", "its",
    "we", "our", "you", "your", "us", "which", "who", "such", "any", "all", "will", "may",
];

/// Equal runs between two edits of at most this many words may join the
/// edits (as diff-match-patch's semantic clean-up does, counted in words;
/// see [`semantic_cleanup`] for the length rule). Tuned on the bundled pair
/// and real pairs of the contrib-versions snapshot: four keeps addresses and
/// article names apart while whole rewritten sentences read as one.
const MAX_ABSORBED_WORDS: usize = 4;

/// Whether a token is a word (not white space or punctuation).
fn is_word(t: &Token<'_>) -> bool {
    t.key.chars().any(char::is_alphanumeric)
}

/// Merge edits separated by short or function-word equal runs into one
/// replacement, so a rewritten sentence reads as one deletion and one
/// insertion of whole phrases instead of interleaving with the few short
/// words both versions happen to share.
fn semantic_cleanup(steps: Vec<Step>, a: &[Token<'_>], b: &[Token<'_>]) -> Vec<Step> {
    // Words before each token, so a run's word count is one subtraction:
    // merged edits grow, and counting them again each time was quadratic.
    let prefix = |ts: &[Token<'_>]| {
        let mut p = Vec::with_capacity(ts.len() + 1);
        p.push(0usize);
        for t in ts {
            p.push(p[p.len() - 1] + usize::from(is_word(t)));
        }
        p
    };
    let (pa, pb) = (prefix(a), prefix(b));
    let words_a = |r: &std::ops::Range<usize>| pa[r.end] - pa[r.start];
    let words_b = |r: &std::ops::Range<usize>| pb[r.end] - pb[r.start];
    let mut out: Vec<Step> = Vec::with_capacity(steps.len());
    let push = |out: &mut Vec<Step>, s: Step| match out.last_mut() {
        Some(last) if !last.equal && !s.equal => {
            last.old.end = s.old.end;
            last.new.end = s.new.end;
        }
        _ => out.push(s),
    };
    let mut steps = steps.into_iter().peekable();
    while let Some(step) = steps.next() {
        let between = step.equal
            && out.last().is_some_and(|l| !l.equal)
            && steps.peek().is_some_and(|n| !n.equal);
        if between {
            let left = out.last().expect("checked");
            let right = steps.peek().expect("checked");
            let side = |s: &Step| words_a(&s.old).max(words_b(&s.new));
            let kept = &b[step.new.clone()];
            let n = words_b(&step.new);
            // Only a short run can be absorbed: look at its words only then.
            let function_only = n <= MAX_ABSORBED_WORDS
                && kept
                    .iter()
                    .filter(|t| is_word(t))
                    .all(|t| FUNCTION_WORDS.contains(&t.key.as_ref()));
            let (l, r) = (side(left), side(right));
            // Function words go when an edit beside them is at least as
            // long; content words only when both edits are twice as long,
            // so "555 [-West-]{+W.+} 18th" keeps its shared number.
            let absorb = l > 0
                && r > 0
                && n <= MAX_ABSORBED_WORDS
                && ((function_only && n <= l.max(r)) || (2 * n <= l.min(r)));
            if absorb {
                let right = steps.next().expect("checked");
                let last = out.last_mut().expect("checked");
                last.old.end = right.old.end;
                last.new.end = right.new.end;
                continue;
            }
        }
        push(&mut out, step);
    }
    out
}

/// Word diff of `old` and `new`. With `exact`, tokens compare as written (for
/// editorial changes, whose differences are exactly the invisible ones);
/// otherwise they compare in normal form, so case and width noise does not
/// show inside a real modification, and short shared words between edits
/// are merged into the edit (see [`semantic_cleanup`]). Returns the runs and
/// whether the deadline was hit (then the result is coarser but still
/// correct).
pub fn inline_diff(old: &str, new: &str, exact: bool, budget: Duration) -> (Vec<InlineOp>, bool) {
    let a = tokenize(old, exact);
    let b = tokenize(new, exact);
    let ka: Vec<&str> = a.iter().map(|t| t.key.as_ref()).collect();
    let kb: Vec<&str> = b.iter().map(|t| t.key.as_ref()).collect();
    let started = Instant::now();
    let deadline = started + budget;
    let ops = capture_diff_deadline(
        Algorithm::Patience,
        &ka,
        0..ka.len(),
        &kb,
        0..kb.len(),
        timed(ka.len() + kb.len(), deadline),
    );
    let timed_out = Instant::now() > deadline;
    let steps: Vec<Step> = ops
        .iter()
        .map(|op| {
            let (tag, old, new) = op.as_tag_tuple();
            Step {
                equal: tag == DiffTag::Equal,
                old,
                new,
            }
        })
        .collect();
    // Editorial differences are invisible ones: merging would show
    // unchanged words struck and re-inserted.
    let steps = if exact {
        steps
    } else {
        semantic_cleanup(steps, &a, &b)
    };
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
    let mut steps = steps.into_iter().peekable();
    while let Some(step) = steps.next() {
        let old_text: String = a[step.old].iter().map(|t| t.text).collect();
        let new_text: String = b[step.new].iter().map(|t| t.text).collect();
        if step.equal {
            // Equal by key: show the new wording, which is what will stand.
            // But white space one side has before an edit belongs to the
            // edit ("us[- and-]{+,+} our", not "us[-and-]{+,+} our"), or
            // rejecting the edit would glue two words together.
            let next = steps.peek().filter(|next| !next.equal);
            let deletes = next.is_some_and(|n| !n.old.is_empty());
            let inserts = next.is_some_and(|n| !n.new.is_empty() && n.old.is_empty());
            match (
                old_text.strip_prefix(new_text.as_str()),
                new_text.strip_prefix(old_text.as_str()),
            ) {
                (Some(extra), _) if deletes && !extra.is_empty() && extra.trim().is_empty() => {
                    push(InlineTag::Equal, &new_text);
                    push(InlineTag::Delete, extra);
                }
                (_, Some(extra)) if inserts && !extra.is_empty() && extra.trim().is_empty() => {
                    push(InlineTag::Equal, &old_text);
                    push(InlineTag::Insert, extra);
                }
                _ => push(InlineTag::Equal, &new_text),
            }
        } else {
            push(InlineTag::Delete, &old_text);
            push(InlineTag::Insert, &new_text);
        }
    }
    (shared_space_after(out), timed_out)
}

/// A replacement whose two sides end in the same white space gives that
/// white space to the text after it: "[-15-]{+30+} days", not
/// "[-15 -]{+30 +}days". Both sides still rebuild exactly.
fn shared_space_after(ops: Vec<InlineOp>) -> Vec<InlineOp> {
    let mut out: Vec<InlineOp> = Vec::with_capacity(ops.len() + 1);
    let mut carry = String::new();
    let mut ops = ops.into_iter().peekable();
    while let Some(mut op) = ops.next() {
        if !carry.is_empty() {
            if op.op == InlineTag::Equal {
                op.text.insert_str(0, &carry);
                carry.clear();
            } else {
                out.push(InlineOp {
                    op: InlineTag::Equal,
                    text: std::mem::take(&mut carry),
                });
            }
        }
        if op.op == InlineTag::Delete
            && let Some(mut ins) = ops.next_if(|n| n.op == InlineTag::Insert)
        {
            let common: usize = op
                .text
                .chars()
                .rev()
                .zip(ins.text.chars().rev())
                .take_while(|(x, y)| x == y && x.is_whitespace())
                .map(|(x, _)| x.len_utf8())
                .sum();
            if common > 0 && common < op.text.len() && common < ins.text.len() {
                carry = op.text.split_off(op.text.len() - common);
                ins.text.truncate(ins.text.len() - common);
            }
            out.push(op);
            out.push(ins);
            continue;
        }
        out.push(op);
    }
    if !carry.is_empty() {
        out.push(InlineOp {
            op: InlineTag::Equal,
            text: carry,
        });
    }
    out
}

/// Count of word tokens (not white space or punctuation) in a run of text.
pub fn word_count(text: &str) -> usize {
    // Reports count the words of every change, and most text between
    // spaces is ASCII even in a policy that is not. UAX #29 never joins
    // across ASCII white space: a space, tab or line break breaks on both
    // sides, except with more spaces (WB3d, a run without words) and with
    // the marks that follow it (WB4: a segment with a word in it iff the
    // marks are one, whether they start a piece or follow a space). So
    // the count is the sum over the pieces between, each ASCII piece taking
    // the fast segmentation.
    if text.is_ascii() {
        return ascii_word_count(text.as_bytes());
    }
    text.split([' ', '\t', '\n', '\r', '\x0c'])
        .map(|piece| {
            if piece.is_ascii() {
                ascii_word_count(piece.as_bytes())
            } else {
                piece
                    .split_word_bounds()
                    .filter(|w| w.chars().any(char::is_alphanumeric))
                    .count()
            }
        })
        .sum()
}

/// The words of ASCII text as [`ascii_segments`] cuts it, counted without
/// collecting: the segments with a letter or digit in them, which are the
/// runs of word characters (a segment of anything else has none).
fn ascii_word_count(b: &[u8]) -> usize {
    let word = is_ascii_word;
    let (mut count, mut i) = (0, 0);
    while i < b.len() {
        if !word(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        i = ascii_word_end(b, i);
        if b[start..i].iter().any(u8::is_ascii_alphanumeric) {
            count += 1;
        }
    }
    count
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
        assert_eq!(render(&ops), "we [-will not-]{+may+} share your data");
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

    /// Characters whose word-boundary rules meet at ASCII white space:
    /// spaces and breaks, letters and digits of several scripts, mid-word
    /// punctuation, combining marks, format characters, joiners, emoji,
    /// regional indicators, a circled letter (alphabetic and pictographic).
    const MIXED: &[char] = &[
        ' ',
        ' ',
        '\t',
        '\n',
        '\r',
        '\x0c',
        '\x0b',
        'a',
        'Z',
        '1',
        '_',
        '.',
        ',',
        '\'',
        ':',
        ';',
        '-',
        'é',
        'ß',
        '’',
        '‘',
        '“',
        '·',
        '\u{301}',
        '\u{300}',
        '\u{200D}',
        '\u{200B}',
        '\u{AD}',
        '\u{A0}',
        '\u{3000}',
        '\u{2028}',
        '\u{85}',
        '中',
        '文',
        'カ',
        'ナ',
        'ー',
        'あ',
        'א',
        '״',
        '😀',
        '\u{1F1E6}',
        '\u{1F1E8}',
        'Ⓜ',
        '٣',
        '\u{FE0F}',
        '\u{E0020}',
    ];

    proptest::proptest! {
        #[test]
        fn ascii_segments_match_unicode_segmentation(text in "[a-zA-Z0-9 .,:;'_()\\[\\]\t-]{0,60}") {
            let fast: Vec<(usize, &str)> = ascii_segments(&text);
            let slow: Vec<(usize, &str)> = text.split_word_bound_indices().collect();
            proptest::prop_assert_eq!(fast, slow);
        }

        #[test]
        fn segments_match_unicode_segmentation_on_mixed_text(
            text in proptest::collection::vec(proptest::sample::select(MIXED.to_vec()), 0..48)
        ) {
            let text: String = text.into_iter().collect();
            let slow: Vec<(usize, &str)> = text.split_word_bound_indices().collect();
            proptest::prop_assert_eq!(segments(&text), slow, "{:?}", text);
        }

        #[test]
        fn word_count_matches_unicode_segmentation_on_mixed_text(
            text in proptest::collection::vec(proptest::sample::select(MIXED.to_vec()), 0..48)
        ) {
            let text: String = text.into_iter().collect();
            let slow = text
                .split_word_bounds()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            proptest::prop_assert_eq!(word_count(&text), slow, "{:?}", text);
        }

        #[test]
        fn word_count_matches_unicode_segmentation_on_any_ascii(text in "([a-c1-2]|[.,:;'_ ]|[\\x00-\\x7f]){0,80}") {
            let slow = text
                .split_word_bounds()
                .filter(|w| w.chars().any(char::is_alphanumeric))
                .count();
            proptest::prop_assert_eq!(word_count(&text), slow);
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

    fn diff(old: &str, new: &str, exact: bool) -> String {
        render(&inline_diff(old, new, exact, Duration::from_secs(1)).0)
    }

    #[test]
    fn addresses_urls_dates_and_numbers_are_whole_tokens() {
        let cases = [
            (
                "mail a1122@163.com now",
                "mail privacy@acme-corp.example now",
                "mail [-a1122@163.com-]{+privacy@acme-corp.example+} now",
            ),
            (
                "see https://a.example/p?x=1.",
                "see https://b.example/q.",
                "see [-https://a.example/p?x=1-]{+https://b.example/q+}.",
            ),
            (
                "from 2025-07-09 on",
                "from 2026-03-01 on",
                "from [-2025-07-09-]{+2026-03-01+} on",
            ),
            (
                "from 2025.7.9 on",
                "from 2026.3.1 on",
                "from [-2025.7.9-]{+2026.3.1+} on",
            ),
            (
                "from 9 July 2025 on",
                "from 1 March 2026 on",
                "from [-9 July 2025-]{+1 March 2026+} on",
            ),
            (
                "from July 9, 2025 on",
                "from March 1, 2026 on",
                "from [-July 9, 2025-]{+March 1, 2026+} on",
            ),
            (
                "自2025年7月9日起",
                "自2026年3月1日起",
                "自[-2025年7月9日-]{+2026年3月1日+}起",
            ),
            (
                "up to 1,000.50 USD",
                "up to 2,500.00 USD",
                "up to [-1,000.50 USD-]{+2,500.00 USD+}",
            ),
            (
                "within 15 days of",
                "within 30 days of",
                "within [-15 days-]{+30 days+} of",
            ),
            (
                "call +1 (555) 010-2030 now",
                "call +1 (555) 010-9999 now",
                "call [-+1 (555) 010-2030-]{++1 (555) 010-9999+} now",
            ),
            (
                "call 400-820-8888 now",
                "call 400-820-1234 now",
                "call [-400-820-8888-]{+400-820-1234+} now",
            ),
        ];
        for (old, new, want) in cases {
            assert_eq!(diff(old, new, false), want, "{old} → {new}");
        }
    }

    #[test]
    fn a_bare_month_word_or_number_stays_a_word() {
        // "may" is a verb, "5" a plain number: no compound to merge.
        assert_eq!(
            diff("we may keep 5 copies", "we may keep 6 copies", false),
            "we may keep [-5-]{+6+} copies"
        );
    }

    #[test]
    fn rewritten_sentence_reads_as_one_replacement() {
        let got = diff(
            "Data is kept. We will not provide or store personal information outside the territory of Ruritania.",
            "Data is kept. Where necessary to provide our services, we may store personal information in Elbonia; before doing so, we will complete the assessment the law requires.",
            false,
        );
        assert_eq!(
            got,
            "Data is kept. [-We will not provide or store personal information outside the territory of Ruritania-]\
             {+Where necessary to provide our services, we may store personal information in Elbonia; before doing so, we will complete the assessment the law requires+}."
        );
    }

    #[test]
    fn a_shared_phrase_between_equal_sized_edits_stays() {
        // Three content words kept between two five-word edits: kept text.
        assert_eq!(
            diff(
                "We will not provide or store personal information outside the territory of Ruritania.",
                "Where necessary to provide our services, we may store personal information in Elbonia after an assessment.",
                false,
            ),
            "[-We will not provide or-]{+Where necessary to provide our services, we may+} store personal information \
             [-outside the territory of Ruritania-]{+in Elbonia after an assessment+}."
        );
    }

    #[test]
    fn long_shared_runs_stay_equal() {
        // Five shared content words between two edits are kept text.
        assert_eq!(
            diff(
                "we may share your personal data with partners",
                "we will share your personal data with affiliates",
                false
            ),
            "we [-may-]{+will+} share your personal data with [-partners-]{+affiliates+}"
        );
    }

    #[test]
    fn spacing_alone_never_strikes_a_word() {
        for (old, new) in [
            ("Otherwise we", "Otherwise  we"),
            ("attach it", "attach  it"),
            ("a b", "a\u{3000}b"),
        ] {
            let (ops, _) = inline_diff(old, new, true, Duration::from_secs(1));
            for op in ops.iter().filter(|o| o.op != InlineTag::Equal) {
                assert!(
                    op.text.trim().is_empty(),
                    "{old:?} → {new:?}: {:?}",
                    render(&ops)
                );
            }
        }
        assert_eq!(
            diff("Otherwise we", "Otherwise  we", true),
            "Otherwise[- -]{+  +}we"
        );
    }

    proptest::proptest! {
        #[test]
        fn runs_give_the_new_text_with_compounds(
            old in "[a-z0-9 .,:@/+()年月日-]{0,50}",
            new in "[a-z0-9 .,:@/+()年月日-]{0,50}",
            exact in proptest::bool::ANY,
        ) {
            let (ops, _) = inline_diff(&old, &new, exact, Duration::from_secs(1));
            let right: String = ops.iter().filter(|o| o.op != InlineTag::Delete).map(|o| o.text.as_str()).collect();
            proptest::prop_assert_eq!(right, new);
            if exact {
                let left: String = ops.iter().filter(|o| o.op != InlineTag::Insert).map(|o| o.text.as_str()).collect();
                proptest::prop_assert_eq!(left, old);
            }
            proptest::prop_assert!(ops.iter().all(|o| !o.text.is_empty()));
        }
    }
}
