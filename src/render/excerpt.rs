//! Excerpts for people: a change shown by the words that changed, with a
//! little context on either side, and the edits a reader would not call a
//! change (punctuation, letter case, a plural, a bare date line) told apart.

use serde::{Deserialize, Serialize};

use crate::diff::{InlineOp, InlineTag};

/// Characters of context kept on each side of the changed words.
const CONTEXT: usize = 30;
/// Longest excerpt, in characters, before the changed span is cut short.
const LONGEST: usize = 120;

/// A run of an excerpt: text, and whether it is what changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Run {
    /// The text.
    pub text: String,
    /// True for deleted words (in a before excerpt) or inserted ones (after).
    pub changed: bool,
}

/// The two sides of a change, each centred on the changed words.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Focused {
    /// The old side's runs (equal and deleted), trimmed to the change.
    pub before: Vec<Run>,
    /// The new side's runs (equal and inserted), trimmed to the change.
    pub after: Vec<Run>,
}

/// Plain text of runs.
pub fn plain(runs: &[Run]) -> String {
    runs.iter().map(|r| r.text.as_str()).collect()
}

/// Centre both sides of a word diff on its changes: from a little before
/// the first changed run to a little after the last one, with "…" where
/// text was left out. Each side is its own contiguous text, cut short at a
/// word when the changed span is long.
pub fn focus(ops: &[InlineOp]) -> Focused {
    let changed = |op: &InlineOp| op.op != InlineTag::Equal;
    let (Some(first), Some(last)) = (ops.iter().position(changed), ops.iter().rposition(changed))
    else {
        return Focused::default();
    };
    let equal_text = |range: &[InlineOp]| -> String {
        range
            .iter()
            .filter(|o| o.op == InlineTag::Equal)
            .map(|o| o.text.as_str())
            .collect()
    };
    let lead = tail_of(&equal_text(&ops[..first]), CONTEXT);
    let tail = head_of(&equal_text(&ops[last + 1..]), CONTEXT);
    let side = |keep: InlineTag| {
        let mut runs = Vec::new();
        if !lead.is_empty() {
            push(&mut runs, &lead, false);
        }
        let mut budget = LONGEST;
        let mut cut = false;
        for op in &ops[first..=last] {
            if op.op != InlineTag::Equal && op.op != keep {
                continue;
            }
            let n = op.text.chars().count();
            if n > budget {
                let part = head_of(&op.text, budget);
                push(&mut runs, part.trim_end_matches('…'), op.op == keep);
                cut = true;
                break;
            }
            budget -= n;
            push(&mut runs, &op.text, op.op == keep);
        }
        if cut {
            push(&mut runs, "…", false);
        } else if !tail.is_empty() {
            push(&mut runs, &tail, false);
        }
        runs
    };
    Focused {
        before: side(InlineTag::Delete),
        after: side(InlineTag::Insert),
    }
}

fn push(runs: &mut Vec<Run>, text: &str, changed: bool) {
    // Equal runs carry the new side's spacing: on the old side a word may
    // then meet the next one with no space between (`us` + `and`).
    let glued = runs
        .last()
        .and_then(|r| r.text.chars().last())
        .is_some_and(|c| c.is_ascii_alphanumeric())
        && text
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    let text = if glued {
        format!(" {text}")
    } else {
        text.to_owned()
    };
    let text = text.as_str();
    // …and a space that belonged before an inserted word stays before the
    // punctuation that follows it (`courses , and`).
    if text.starts_with([',', '.', ';', ':', '!', '?', ')'])
        && let Some(last) = runs.last_mut()
        && !last.changed
        && last.text.ends_with(' ')
    {
        let trimmed = last.text.trim_end().len();
        last.text.truncate(trimmed);
    }
    match runs.last_mut() {
        Some(r) if r.changed == changed => r.text.push_str(text),
        _ => runs.push(Run {
            text: text.to_owned(),
            changed,
        }),
    }
}

/// The last `max` characters of `text`, from a word start, with "…" when cut.
fn tail_of(text: &str, max: usize) -> String {
    let n = text.chars().count();
    if n <= max {
        return text.to_owned();
    }
    let start: String = text.chars().skip(n - max).collect();
    // Start at a word when the cut fell inside one (not for CJK text).
    let trimmed = match start.find(' ') {
        Some(i) if i < max / 2 => &start[i + 1..],
        _ => start.as_str(),
    };
    format!("…{trimmed}")
}

/// The first `max` characters of `text`, to a word end, with "…" when cut.
fn head_of(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(' ').filter(|&i| i > max / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}

/// Whether a modified clause's edits are ones a reader would not call a
/// change: only punctuation or spacing, only letter case or a plural `s`,
/// or new digits in a line with no words at all (a bare date line).
pub fn is_trivial(ops: &[InlineOp]) -> bool {
    let (mut deleted, mut inserted, mut all) = (String::new(), String::new(), String::new());
    for op in ops {
        match op.op {
            InlineTag::Delete => deleted.push_str(&op.text),
            InlineTag::Insert => inserted.push_str(&op.text),
            InlineTag::Equal => {}
        }
        all.push_str(&op.text);
    }
    if deleted.is_empty() && inserted.is_empty() {
        return false;
    }
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| w.to_lowercase())
            .collect()
    };
    let (d, i) = (words(&deleted), words(&inserted));
    // Punctuation or spacing only.
    if d.is_empty() && i.is_empty() {
        return true;
    }
    // A line of numbers and punctuation only (`2025 .7 .9`): a date line.
    if !all.chars().any(char::is_alphabetic) {
        return true;
    }
    // Letter case, or a plural `s`, word for word.
    d.len() == i.len()
        && d.iter().zip(&i).all(|(a, b)| {
            a == b
                || a.strip_suffix('s') == Some(b.as_str())
                || b.strip_suffix('s') == Some(a.as_str())
        })
        && d.iter()
            .chain(&i)
            .any(|w| w.chars().any(char::is_alphabetic))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ops(spec: &[(char, &str)]) -> Vec<InlineOp> {
        spec.iter()
            .map(|&(t, text)| InlineOp {
                op: match t {
                    '=' => InlineTag::Equal,
                    '-' => InlineTag::Delete,
                    _ => InlineTag::Insert,
                },
                text: text.to_owned(),
            })
            .collect()
    }

    #[test]
    fn excerpts_centre_on_the_change_and_differ() {
        let long = "We collect your device model, operating system version, unique device identifiers and network information, and ";
        let o = ops(&[
            ('=', long),
            ('-', "IMEI "),
            ('+', "IMEI and advertising identifiers "),
            ('=', "to keep the service secure and working."),
        ]);
        let f = focus(&o);
        let (b, a) = (plain(&f.before), plain(&f.after));
        assert_ne!(b, a);
        assert!(b.starts_with('…') && b.contains("IMEI"), "{b}");
        assert!(a.contains("advertising identifiers"), "{a}");
        assert!(
            f.after
                .iter()
                .any(|r| r.changed && r.text.contains("advertising"))
        );
        assert!(b.chars().count() < long.chars().count() + 60, "{b}");
    }

    #[test]
    fn trivial_edits_are_told_apart() {
        assert!(is_trivial(&ops(&[
            ('=', "the authorities"),
            ('-', "."),
            ('+', ";")
        ])));
        assert!(is_trivial(&ops(&[
            ('-', "definition"),
            ('+', "Definitions")
        ])));
        assert!(is_trivial(&ops(&[
            ('-', "2025 "),
            ('+', "2026 "),
            ('=', "."),
            ('-', "7 "),
            ('+', "3 "),
            ('=', "."),
            ('-', "9"),
            ('+', "1"),
        ])));
        // A number in a sentence is a change.
        assert!(!is_trivial(&ops(&[
            ('=', "within "),
            ('-', "15"),
            ('+', "30"),
            ('=', " working days"),
        ])));
        assert!(!is_trivial(&ops(&[('-', "not "), ('=', "share")])));
    }
}
