//! Phase 2b: regrouped clauses. The same words in other blocks are an
//! editorial change: a paragraph split in two, two merged into one, a bold
//! run-in label that became a heading of its own, or a heading that became a
//! bold label. Found inside each gap between anchors by comparing word
//! sequences (punctuation and markup left out), in order.

use std::cell::OnceCell;
use std::hash::Hasher;

use super::anchor::Gap;
use super::{Alignment, ChangeKind, Regroup, words};
use crate::document::{Clause, normalize_token};

/// Largest gap (old × new clauses) searched; larger ones are left to the
/// later phases, whose cost is linear.
const MAX_GAP_CELLS: usize = 40_000;

/// The words of a clause in order, as hashes of their comparison form:
/// punctuation and markup are not words, symbols that carry meaning
/// (`$`, `%`, `@` …) are.
fn word_key(clause: &Clause) -> Vec<u64> {
    // Segments of the text as written: the comparison form drops the space
    // after a full stop, which would join "year. After" into one word.
    words::segments(&clause.text)
        .into_iter()
        .map(|(_, w)| w)
        .filter(|w| {
            w.chars()
                .any(|c| c.is_alphanumeric() || "$%@&+=€£¥§".contains(c))
        })
        .map(|w| {
            let mut h = rustc_hash::FxHasher::default();
            if w.is_ascii() {
                // normalize_token lower-cases ASCII: hash it so, without allocating.
                w.bytes().for_each(|b| h.write_u8(b.to_ascii_lowercase()));
            } else {
                normalize_token(w).bytes().for_each(|b| h.write_u8(b));
            }
            h.finish()
        })
        .collect()
}

/// Letters and digits in a clause: equal word keys have equal counts (up
/// to rare compatibility characters), so the count rules out most
/// candidates before any key is built.
fn letters(clause: &Clause) -> usize {
    if clause.text.is_ascii() {
        clause
            .text
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .count()
    } else {
        clause.text.chars().filter(|c| c.is_alphanumeric()).count()
    }
}

/// How many of `counts` from the first add up to `total` exactly, if any do.
fn parts_adding_to(total: usize, counts: &[usize]) -> Option<usize> {
    let mut sum = 0;
    for (n, &c) in counts.iter().enumerate() {
        if c == 0 {
            return None;
        }
        sum += c;
        if sum >= total {
            return (sum == total).then_some(n + 1);
        }
    }
    None
}

/// Word keys built on first use.
struct Keys<'a> {
    clauses: &'a [Clause],
    at: &'a [usize],
    keys: Vec<OnceCell<Vec<u64>>>,
}

impl<'a> Keys<'a> {
    fn new(clauses: &'a [Clause], at: &'a [usize]) -> Keys<'a> {
        Keys {
            clauses,
            at,
            keys: (0..at.len()).map(|_| OnceCell::new()).collect(),
        }
    }

    fn get(&self, k: usize) -> &[u64] {
        self.keys[k].get_or_init(|| word_key(&self.clauses[self.at[k]]))
    }

    /// Whether the keys of `n` clauses from `from` joined equal `whole`.
    fn cover(&self, whole: &[u64], from: usize, n: usize) -> bool {
        let mut at = 0;
        for k in from..from + n {
            let part = self.get(k);
            if part.is_empty() || !whole[at..].starts_with(part) {
                return false;
            }
            at += part.len();
        }
        at == whole.len()
    }
}

/// Find, in order, pairs with the same words (editorial), then clauses split
/// into consecutive ones and consecutive ones merged into one.
pub(super) fn regroup(gaps: &[Gap], a: &[Clause], b: &[Clause], al: &mut Alignment) {
    for gap in gaps {
        let (olds, news) = al.unmatched_in(gap);
        if olds.is_empty() || news.is_empty() || olds.len() * news.len() > MAX_GAP_CELLS {
            continue;
        }
        let co: Vec<usize> = olds.iter().map(|&i| letters(&a[i])).collect();
        let cn: Vec<usize> = news.iter().map(|&j| letters(&b[j])).collect();
        let ko = Keys::new(a, &olds);
        let kn = Keys::new(b, &news);
        let mut used_o = vec![false; olds.len()];
        let mut used_n = vec![false; news.len()];
        // One old clause as one or several new ones.
        let mut y0 = 0;
        for x in 0..olds.len() {
            if co[x] == 0 {
                continue;
            }
            for y in y0..news.len() {
                let Some(n) = parts_adding_to(co[x], &cn[y..]) else {
                    continue;
                };
                if !kn.cover(ko.get(x), y, n) {
                    continue;
                }
                let (i, j) = (olds[x], news[y]);
                if n == 1 {
                    al.pair(i, j, ChangeKind::Editorial, None);
                } else {
                    al.regroup(&[i], &news[y..y + n], Regroup::Split);
                }
                used_o[x] = true;
                used_n[y..y + n].iter_mut().for_each(|u| *u = true);
                y0 = y + n;
                break;
            }
        }
        // Several old clauses as one new one.
        let mut x0 = 0;
        for y in 0..news.len() {
            if used_n[y] || cn[y] == 0 {
                continue;
            }
            for x in x0..olds.len() {
                // Only clauses left unmatched may merge.
                let free = used_o[x..].iter().take_while(|u| !**u).count();
                let Some(n) = parts_adding_to(cn[y], &co[x..x + free]) else {
                    continue;
                };
                if n > 1 && ko.cover(kn.get(y), x, n) {
                    al.regroup(&olds[x..x + n], &news[y..=y], Regroup::Merged);
                    used_o[x..x + n].iter_mut().for_each(|u| *u = true);
                    x0 = x + n;
                    break;
                }
            }
        }
    }
}
