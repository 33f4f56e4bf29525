//! Phase 3: modified clauses. Inside each gap between anchors, the clauses
//! left are paired in order by word similarity (a small Needleman–Wunsch);
//! a pair is the same clause reworded.

use std::hash::{Hash, Hasher};
use std::time::Instant;

use super::anchor::Gap;
use super::{Alignment, ChangeKind, words};
use crate::document::{Clause, ClauseKind};

/// Largest gap (old × new clauses) paired by dynamic programming; larger gaps
/// fall through to the indexed move search, which is linear.
const MAX_GAP_CELLS: usize = 40_000;

/// Word bag of a clause for cheap similarity: sorted hashes of its word tokens.
pub(super) fn bag(clause: &Clause) -> Vec<u64> {
    let mut v: Vec<u64> = words::segments(clause.norm())
        .into_iter()
        .map(|(_, w)| w)
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| {
            // Fx, not SipHash: these hashes never meet an adversary's
            // table, and hashing every word of every unmatched clause was a
            // visible part of a history walk.
            let mut h = rustc_hash::FxHasher::default();
            w.hash(&mut h);
            h.finish()
        })
        .collect();
    v.sort_unstable();
    v
}

/// Word bags of the clauses still unmatched (empty for matched ones: most
/// are anchored by now and need none).
pub(super) fn bags(clauses: &[Clause], matched: &[Option<usize>]) -> Vec<Vec<u64>> {
    clauses
        .iter()
        .zip(matched)
        .map(|(c, m)| if m.is_none() { bag(c) } else { Vec::new() })
        .collect()
}

/// Dice coefficient of two sorted bags: 2·|A∩B| / (|A|+|B|).
pub(super) fn dice(a: &[u64], b: &[u64]) -> f32 {
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    let (mut i, mut j, mut common) = (0, 0, 0usize);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                common += 1;
                i += 1;
                j += 1;
            }
        }
    }
    2.0 * common as f32 / (a.len() + b.len()) as f32
}

/// The clauses and word bags of both versions, for pairing.
pub(super) struct Sides<'a> {
    /// Old clauses.
    pub a: &'a [Clause],
    /// New clauses.
    pub b: &'a [Clause],
    /// Word bags of the old clauses (see [`bags`]).
    pub bags_a: &'a [Vec<u64>],
    /// Word bags of the new clauses.
    pub bags_b: &'a [Vec<u64>],
}

/// Pair the unmatched clauses of each gap as modified, in order.
pub(super) fn pair_gaps(
    gaps: &[Gap],
    sides: &Sides<'_>,
    al: &mut Alignment,
    modify_threshold: f32,
    deadline: Instant,
) {
    for gap in gaps {
        let (olds, news) = al.unmatched_in(gap);
        if olds.is_empty() || news.is_empty() || olds.len() * news.len() > MAX_GAP_CELLS {
            continue;
        }
        if Instant::now() > deadline {
            break;
        }
        // A lone clause replaced by a lone clause at the same place is that
        // clause rewritten, however different the words (a date, an address).
        let lone = olds.len() == 1 && news.len() == 1;
        let threshold = if lone { 0.0 } else { modify_threshold };
        for (i, j, s) in pair_in_order(&olds, &news, sides, threshold) {
            al.pair(i, j, ChangeKind::Modified, Some(s));
        }
    }
}

/// Pair old and new clauses of one gap, in order, maximising total similarity
/// over pairs at or above `threshold` (a small Needleman–Wunsch).
/// Front-matter fields with the same key always pair.
fn pair_in_order(
    olds: &[usize],
    news: &[usize],
    sides: &Sides<'_>,
    threshold: f32,
) -> Vec<(usize, usize, f32)> {
    let Sides {
        a,
        b,
        bags_a,
        bags_b,
    } = sides;
    let (n, m) = (olds.len(), news.len());
    let sim = |x: usize, y: usize| {
        let (i, j) = (olds[x], news[y]);
        let s = dice(&bags_a[i], &bags_b[j]);
        let same_field = a[i].kind == ClauseKind::Meta
            && b[j].kind == ClauseKind::Meta
            && a[i].label == b[j].label;
        // Keep a tiny positive score so a zero-similarity pair can still be chosen.
        if s >= threshold || same_field {
            s.max(f32::EPSILON)
        } else {
            0.0
        }
    };
    let sims: Vec<f32> = (0..n)
        .flat_map(|x| (0..m).map(move |y| (x, y)))
        .map(|(x, y)| sim(x, y))
        .collect();
    // score[x][y]: best total for olds[x..] and news[y..]
    let mut score = vec![0.0f32; (n + 1) * (m + 1)];
    let at = |x: usize, y: usize| x * (m + 1) + y;
    for x in (0..n).rev() {
        for y in (0..m).rev() {
            let s = sims[x * m + y];
            let take = if s > 0.0 {
                s + score[at(x + 1, y + 1)]
            } else {
                0.0
            };
            score[at(x, y)] = take.max(score[at(x + 1, y)]).max(score[at(x, y + 1)]);
        }
    }
    let mut pairs = Vec::new();
    let (mut x, mut y) = (0, 0);
    while x < n && y < m {
        let s = sims[x * m + y];
        if s > 0.0 && (s + score[at(x + 1, y + 1)] - score[at(x, y)]).abs() < 1e-6 {
            pairs.push((olds[x], news[y], s));
            x += 1;
            y += 1;
        } else if (score[at(x + 1, y)] - score[at(x, y)]).abs() < 1e-6 {
            x += 1;
        } else {
            y += 1;
        }
    }
    pairs
}
