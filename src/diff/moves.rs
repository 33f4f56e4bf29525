//! Phases 2 and 4: moves. First clauses whose comparison text reappears
//! elsewhere unchanged; then, after gap pairing, near-identical clauses far
//! apart (moved with edits), found through an index of uncommon words so the
//! cost stays linear in the input.

use rustc_hash::FxHashMap as HashMap;
use std::time::Instant;

use super::pair::dice;
use super::{Alignment, ChangeKind};
use crate::document::Clause;

/// Tokens in more clauses than this are too common to find candidates by.
const MAX_POSTINGS: usize = 64;

/// Pair unmatched clauses whose comparison texts are equal, wherever they stand.
pub(super) fn exact_moves(a: &[Clause], b: &[Clause], al: &mut Alignment) {
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::default();
    for (j, c) in b.iter().enumerate().rev() {
        if al.new_match[j].is_none() {
            by_text.entry(c.norm()).or_default().push(j);
        }
    }
    for (i, c) in a.iter().enumerate() {
        if al.old_match[i].is_some() {
            continue;
        }
        if let Some(j) = by_text.get_mut(c.norm()).and_then(Vec::pop) {
            al.pair(i, j, ChangeKind::Moved, None);
        }
    }
}

/// Pair unmatched clauses anywhere whose word bags are at least `threshold`
/// similar. Returns true when the deadline stopped the search.
pub(super) fn near_moves(
    al: &mut Alignment,
    bags_a: &[Vec<u64>],
    bags_b: &[Vec<u64>],
    threshold: f32,
    deadline: Instant,
) -> bool {
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::default();
    for (j, bag) in bags_b.iter().enumerate() {
        if al.new_match[j].is_none() {
            let mut last = None;
            for &t in bag {
                if last != Some(t) {
                    postings.entry(t).or_default().push(j);
                    last = Some(t);
                }
            }
        }
    }
    postings.retain(|_, v| v.len() <= MAX_POSTINGS);
    for (i, bag_a) in bags_a.iter().enumerate() {
        if al.old_match[i].is_some() {
            continue;
        }
        if Instant::now() > deadline {
            return true;
        }
        let mut votes: HashMap<usize, usize> = HashMap::default();
        for t in bag_a {
            for &j in postings.get(t).into_iter().flatten() {
                if al.new_match[j].is_none() {
                    *votes.entry(j).or_default() += 1;
                }
            }
        }
        let mut candidates: Vec<(usize, usize)> = votes.into_iter().collect();
        candidates.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        let best = candidates
            .iter()
            .take(4)
            .map(|&(j, _)| (j, dice(bag_a, &bags_b[j])))
            .filter(|&(_, s)| s >= threshold)
            .max_by(|x, y| x.1.total_cmp(&y.1).then(y.0.cmp(&x.0)));
        if let Some((j, s)) = best {
            al.pair(i, j, ChangeKind::Moved, Some(s));
        }
    }
    false
}
