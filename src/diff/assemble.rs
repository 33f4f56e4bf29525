//! Phase 5: assembly. The matching becomes the list of changes in reading
//! order of the new version, each removed clause placed where it stood, with
//! the word-level runs of every changed pair.

use std::time::{Duration, Instant};

use super::words::{InlineOp, InlineTag, inline_diff};
use super::{Alignment, Change, ChangeKind, Regroup, link_changes};
use crate::document::Clause;

/// Word-diff budget of one clause pair.
const WORD_BUDGET: Duration = Duration::from_millis(200);

/// The assembled changes.
pub(super) struct Assembled {
    /// Changes in reading order of the new version.
    pub changes: Vec<Change>,
    /// Pairs identical as written.
    pub unchanged: Vec<(usize, usize)>,
    /// Clause pairs whose word diff hit its deadline.
    pub word_timeouts: usize,
}

/// Runs standing for a whole text: one run of `tag`, none for an empty text.
pub(super) fn whole(tag: InlineTag, text: &str) -> Vec<InlineOp> {
    if text.is_empty() {
        return Vec::new();
    }
    vec![InlineOp {
        op: tag,
        text: text.to_owned(),
    }]
}

/// Walk the new version, placing each removed clause before the first new
/// clause whose partner comes after it.
pub(super) fn assemble(a: &[Clause], b: &[Clause], al: &Alignment, deadline: Instant) -> Assembled {
    let mut word_timeouts = 0usize;
    let mut changes = Vec::new();
    let mut unchanged = Vec::new();
    let mut next_old = 0usize;
    let emit_removed_until = |limit: usize, changes: &mut Vec<Change>, next_old: &mut usize| {
        while *next_old < limit {
            if al.old_match[*next_old].is_none() {
                changes.push(Change {
                    kind: ChangeKind::Removed,
                    old: Some(*next_old),
                    new: None,
                    similarity: None,
                    inline: whole(InlineTag::Delete, &a[*next_old].text),
                    links: Vec::new(),
                    regroup: None,
                    more: Vec::new(),
                });
            }
            *next_old += 1;
        }
    };
    for (j, nc) in b.iter().enumerate() {
        let Some(i) = al.new_match[j] else {
            changes.push(Change {
                kind: ChangeKind::Added,
                old: None,
                new: Some(j),
                similarity: None,
                inline: whole(InlineTag::Insert, &nc.text),
                links: Vec::new(),
                regroup: None,
                more: Vec::new(),
            });
            continue;
        };
        if al.later_parts.contains(&j) {
            continue; // shown with the first part of its split
        }
        if let Some((how, olds, news)) = al.groups.get(&j) {
            emit_removed_until(olds[0], &mut changes, &mut next_old);
            next_old = next_old.max(olds[olds.len() - 1] + 1);
            changes.push(regrouped(a, b, *how, olds, news));
            continue;
        }
        let moved = al.kind.get(&j) == Some(&ChangeKind::Moved);
        if !moved {
            emit_removed_until(i, &mut changes, &mut next_old);
            next_old = next_old.max(i + 1);
        }
        let oc = &a[i];
        let same_text = oc.text == nc.text;
        // A changed link target behind the same words is editorial, but it
        // is a change: a reviewer must see where the link now goes.
        let links = link_changes(&oc.links, &nc.links);
        let same_form = same_text
            && oc.label == nc.label
            && oc.kind == nc.kind
            && oc.level == nc.level
            && links.is_empty();
        let kind = match al.kind.get(&j) {
            Some(&k) => k,
            None if same_form => {
                unchanged.push((i, j));
                continue;
            }
            None => ChangeKind::Editorial,
        };
        let exact = kind == ChangeKind::Editorial || oc.norm() == nc.norm();
        let inline = if same_text {
            whole(InlineTag::Equal, &nc.text)
        } else {
            let remaining = deadline.saturating_duration_since(Instant::now());
            let (ops, hit) = inline_diff(
                &oc.text,
                &nc.text,
                exact,
                WORD_BUDGET.min(remaining.max(Duration::from_millis(5))),
            );
            word_timeouts += usize::from(hit);
            ops
        };
        changes.push(Change {
            kind,
            old: Some(i),
            new: Some(j),
            // Pairs without a recorded score matched on equal comparison text.
            similarity: Some(al.similarity.get(&j).copied().unwrap_or(1.0)),
            inline,
            links,
            regroup: None,
            more: Vec::new(),
        });
    }
    emit_removed_until(a.len(), &mut changes, &mut next_old);
    Assembled {
        changes,
        unchanged,
        word_timeouts,
    }
}

/// The change of a split or merge: the word runs compare the joined texts of
/// each side (a space between clauses), exactly as written.
fn regrouped(a: &[Clause], b: &[Clause], how: Regroup, olds: &[usize], news: &[usize]) -> Change {
    let join = |clauses: &[Clause], at: &[usize]| {
        at.iter()
            .map(|&k| clauses[k].text.as_str())
            .collect::<Vec<_>>()
            .join(" ")
    };
    let links = |clauses: &[Clause], at: &[usize]| -> Vec<String> {
        at.iter()
            .flat_map(|&k| clauses[k].links.iter().cloned())
            .collect()
    };
    let (old_text, new_text) = (join(a, olds), join(b, news));
    // The words are equal, so the runs are short; a split of a huge clause
    // still gets a deadline.
    let (inline, _) = inline_diff(&old_text, &new_text, true, WORD_BUDGET);
    let more = match how {
        Regroup::Split => news[1..].to_vec(),
        Regroup::Merged => olds[1..].to_vec(),
    };
    Change {
        kind: ChangeKind::Editorial,
        old: Some(olds[0]),
        new: Some(news[0]),
        similarity: Some(1.0),
        inline,
        links: link_changes(&links(a, olds), &links(b, news)),
        regroup: Some(how),
        more,
    }
}
