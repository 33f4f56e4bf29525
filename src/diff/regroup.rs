//! Phase 2b: regrouped clauses. The same words in other blocks are an
//! editorial change: a paragraph split in two, two merged into one, a bold
//! run-in label that became a heading of its own, or a heading that became a
//! bold label. Found inside each gap between anchors by comparing word
//! sequences (punctuation and markup left out), in order.

use std::hash::{Hash, Hasher};

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
            normalize_token(w).hash(&mut h);
            h.finish()
        })
        .collect()
}

/// The longest run of `parts` from the first whose keys, joined, give
/// `whole`: the number of parts used, if they give it exactly.
fn cover(whole: &[u64], parts: &[Vec<u64>]) -> Option<usize> {
    let mut at = 0;
    for (n, part) in parts.iter().enumerate() {
        if part.is_empty() || !whole[at..].starts_with(part) {
            return None;
        }
        at += part.len();
        if at == whole.len() {
            return Some(n + 1);
        }
    }
    None
}

/// Find, in order, pairs with the same words (editorial), then clauses split
/// into consecutive ones and consecutive ones merged into one.
pub(super) fn regroup(gaps: &[Gap], a: &[Clause], b: &[Clause], al: &mut Alignment) {
    for gap in gaps {
        let olds: Vec<usize> = gap
            .old
            .clone()
            .filter(|&i| al.old_match[i].is_none())
            .collect();
        let news: Vec<usize> = gap
            .new
            .clone()
            .filter(|&j| al.new_match[j].is_none())
            .collect();
        if olds.is_empty() || news.is_empty() || olds.len() * news.len() > MAX_GAP_CELLS {
            continue;
        }
        let ko: Vec<Vec<u64>> = olds.iter().map(|&i| word_key(&a[i])).collect();
        let kn: Vec<Vec<u64>> = news.iter().map(|&j| word_key(&b[j])).collect();
        let mut used_o = vec![false; olds.len()];
        let mut used_n = vec![false; news.len()];
        // One old clause as one or several new ones.
        let mut y0 = 0;
        for x in 0..olds.len() {
            if ko[x].is_empty() {
                continue;
            }
            for y in y0..news.len() {
                if kn[y].first() != ko[x].first() {
                    continue;
                }
                let Some(n) = cover(&ko[x], &kn[y..]) else {
                    continue;
                };
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
            if used_n[y] || kn[y].is_empty() {
                continue;
            }
            for x in x0..olds.len() {
                if used_o[x] || ko[x].first() != kn[y].first() {
                    continue;
                }
                // Only clauses left unmatched may merge.
                let free = used_o[x..].iter().take_while(|u| !**u).count();
                let Some(n) = cover(&kn[y], &ko[x..x + free]) else {
                    continue;
                };
                if n > 1 {
                    al.regroup(&olds[x..x + n], &news[y..=y], Regroup::Merged);
                    used_o[x..x + n].iter_mut().for_each(|u| *u = true);
                    x0 = x + n;
                    break;
                }
            }
        }
    }
}
