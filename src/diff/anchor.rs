//! Phase 1: anchors. Clauses with identical text are matched in order (a
//! patience diff over text hashes; nearly every clause is matched here), then
//! inside each gap left, clauses with equal comparison text. What is left
//! are the gaps the later phases work on.

use std::ops::Range;
use std::time::Instant;

use similar::{Algorithm, DiffTag, capture_diff_deadline};

use super::Alignment;
use crate::document::Clause;

/// A gap between anchors: unmatched clauses on both sides.
pub(super) struct Gap {
    /// Old clauses of the gap.
    pub old: Range<usize>,
    /// New clauses of the gap.
    pub new: Range<usize>,
}

/// Match the clauses equal as written, then those equal in comparison form,
/// keeping order; returns the gaps between the matches.
pub(super) fn anchor(
    a: &[Clause],
    b: &[Clause],
    al: &mut Alignment,
    deadline: Instant,
) -> Vec<Gap> {
    let mut gaps = Vec::new();
    let ta: Vec<u64> = a.iter().map(Clause::text_hash).collect();
    let tb: Vec<u64> = b.iter().map(Clause::text_hash).collect();
    let exact_ops = capture_diff_deadline(
        Algorithm::Patience,
        &ta,
        0..ta.len(),
        &tb,
        0..tb.len(),
        super::words::timed(ta.len() + tb.len(), deadline),
    );
    for op in &exact_ops {
        let (tag, or, nr) = op.as_tag_tuple();
        // A hash collision must not pair two different texts: check them.
        if tag == DiffTag::Equal
            && or
                .clone()
                .zip(nr.clone())
                .all(|(i, j)| a[i].text == b[j].text)
        {
            for (i, j) in or.zip(nr) {
                al.anchor(i, j);
            }
            continue;
        }
        if or.is_empty() || nr.is_empty() {
            gaps.push(Gap { old: or, new: nr });
            continue;
        }
        let na: Vec<&str> = a[or.clone()].iter().map(Clause::norm).collect();
        let nb: Vec<&str> = b[nr.clone()].iter().map(Clause::norm).collect();
        let norm_ops = capture_diff_deadline(
            Algorithm::Patience,
            &na,
            0..na.len(),
            &nb,
            0..nb.len(),
            super::words::timed(na.len() + nb.len(), deadline),
        );
        for op in norm_ops {
            let (tag, sub_o, sub_n) = op.as_tag_tuple();
            let (so, sn) = (
                sub_o.start + or.start..sub_o.end + or.start,
                sub_n.start + nr.start..sub_n.end + nr.start,
            );
            if tag == DiffTag::Equal {
                for (i, j) in so.zip(sn) {
                    al.anchor(i, j);
                }
            } else {
                gaps.push(Gap { old: so, new: sn });
            }
        }
    }
    gaps
}
