//! Clause alignment and word-level diff between two documents.
//!
//! Clauses are aligned by content, never by number: a patience diff over the
//! clauses' comparison texts anchors everything unchanged, then moved clauses
//! are found by exact text, then the clauses left in each gap are paired by
//! word similarity (modified), then near-identical clauses far apart are
//! paired as moves. What is left is added or removed. Every step is bounded by
//! a deadline; past it the diff gets coarser and says so in a note.

mod words;

use std::collections::HashMap;
use std::hash::{Hash, Hasher};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffTag, capture_diff_deadline};

use crate::document::{Clause, ClauseKind, Document};
pub use words::{InlineOp, InlineTag, inline_diff, word_count};

/// The kind of one change between two versions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// A clause only in the new version.
    Added,
    /// A clause only in the old version.
    Removed,
    /// The same clause with different wording.
    Modified,
    /// The same (or nearly the same) clause at another place.
    Moved,
    /// Differences that do not change meaning: spacing, punctuation width,
    /// case, Markdown formatting, renumbering.
    Editorial,
}

/// One change, referring to clauses by index into the two documents.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// What happened.
    pub kind: ChangeKind,
    /// Index of the old clause, if there is one.
    pub old: Option<usize>,
    /// Index of the new clause, if there is one.
    pub new: Option<usize>,
    /// Word similarity of the two texts (0–1), for paired clauses.
    pub similarity: Option<f32>,
    /// Word-level runs: concatenating the non-`Delete` runs gives the new
    /// text (see [`inline_diff`] for the old one): one `Insert` run for an
    /// added clause, one `Delete` run for a removed one, one `Equal` run for
    /// a pair whose text is the same.
    pub inline: Vec<InlineOp>,
    /// Link targets that changed between the paired clauses.
    pub links: Vec<LinkChange>,
}

/// A link target that changed: `old` became `new`; `None` on the side
/// where the link is absent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LinkChange {
    /// The target in the old clause.
    pub old: Option<String>,
    /// The target in the new clause.
    pub new: Option<String>,
}

/// The link targets that differ between two clauses, in order: a replaced
/// target is paired with its replacement; a link only on one side has
/// `None` on the other. Empty when the lists are equal.
pub fn link_changes(old: &[String], new: &[String]) -> Vec<LinkChange> {
    if old == new {
        return Vec::new();
    }
    // A clause may hold thousands of links: bound the work; past the
    // deadline the pairing is coarser but still names every change.
    let deadline = Instant::now() + Duration::from_millis(100);
    let mut out = Vec::new();
    for op in similar::capture_diff_slices_deadline(Algorithm::Myers, old, new, Some(deadline)) {
        let (tag, o, n) = op.as_tag_tuple();
        if tag == DiffTag::Equal {
            continue;
        }
        let (o, n) = (&old[o], &new[n]);
        for k in 0..o.len().max(n.len()) {
            out.push(LinkChange {
                old: o.get(k).cloned(),
                new: n.get(k).cloned(),
            });
        }
    }
    out
}

/// Runs standing for a whole text: one run of `tag`, none for an empty text.
fn whole(tag: InlineTag, text: &str) -> Vec<InlineOp> {
    if text.is_empty() {
        return Vec::new();
    }
    vec![InlineOp {
        op: tag,
        text: text.to_owned(),
    }]
}

/// Tuning of the alignment.
#[derive(Debug, Clone)]
pub struct DiffOptions {
    /// Wall-clock budget for the whole diff; past it the result is coarser.
    pub budget: Duration,
    /// Minimum similarity for two clauses in the same gap to count as one modified clause.
    pub modify_threshold: f32,
    /// Minimum similarity for two distant clauses to count as one moved clause.
    pub move_threshold: f32,
}

impl Default for DiffOptions {
    fn default() -> Self {
        DiffOptions {
            budget: Duration::from_secs(3),
            modify_threshold: 0.5,
            move_threshold: 0.8,
        }
    }
}

/// The result of comparing two documents.
#[derive(Debug, Clone, Default)]
pub struct ChangeSet {
    /// Changes in reading order of the new version (removed clauses where they stood).
    pub changes: Vec<Change>,
    /// Pairs of clauses that are identical as written.
    pub unchanged: Vec<(usize, usize)>,
    /// Things the reader should know about how the diff was made (deadline hit …).
    pub notes: Vec<String>,
}

impl ChangeSet {
    /// Number of changes of one kind.
    pub fn count(&self, kind: ChangeKind) -> usize {
        self.changes.iter().filter(|c| c.kind == kind).count()
    }
}

/// A gap between patience anchors: unmatched clauses on both sides.
struct Gap {
    old: std::ops::Range<usize>,
    new: std::ops::Range<usize>,
}

/// Word bag of a clause for cheap similarity: sorted hashes of its word tokens.
fn bag(clause: &Clause) -> Vec<u64> {
    let mut v: Vec<u64> = words::segments(clause.norm())
        .into_iter()
        .map(|(_, w)| w)
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .map(|w| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect();
    v.sort_unstable();
    v
}

/// Dice coefficient of two sorted bags: 2·|A∩B| / (|A|+|B|).
fn dice(a: &[u64], b: &[u64]) -> f32 {
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

/// Largest gap (old × new clauses) paired by dynamic programming; larger gaps
/// fall through to the indexed move search, which is linear.
const MAX_GAP_CELLS: usize = 40_000;
/// Tokens in more clauses than this are too common to find candidates by.
const MAX_POSTINGS: usize = 64;

/// Compare two documents clause by clause.
pub fn diff(old: &Document, new: &Document, options: &DiffOptions) -> ChangeSet {
    let started = Instant::now();
    let deadline = started + options.budget;
    let a = &old.clauses;
    let b = &new.clauses;
    let mut notes = Vec::new();

    // 1. Anchors, in order: first clauses with identical text (no normalising
    // needed, and that is nearly all of them), then inside each gap clauses
    // with equal comparison text.
    let mut old_match: Vec<Option<usize>> = vec![None; a.len()];
    let mut new_match: Vec<Option<usize>> = vec![None; b.len()];
    let mut pair_kind: HashMap<usize, ChangeKind> = HashMap::new(); // keyed by new index
    let mut gaps = Vec::new();
    let ta: Vec<u64> = a.iter().map(Clause::text_hash).collect();
    let tb: Vec<u64> = b.iter().map(Clause::text_hash).collect();
    let exact_ops = capture_diff_deadline(
        Algorithm::Patience,
        &ta,
        0..ta.len(),
        &tb,
        0..tb.len(),
        Some(deadline),
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
                old_match[i] = Some(j);
                new_match[j] = Some(i);
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
            Some(deadline),
        );
        for op in norm_ops {
            let (tag, sub_o, sub_n) = op.as_tag_tuple();
            let (so, sn) = (
                sub_o.start + or.start..sub_o.end + or.start,
                sub_n.start + nr.start..sub_n.end + nr.start,
            );
            if tag == DiffTag::Equal {
                for (i, j) in so.zip(sn) {
                    old_match[i] = Some(j);
                    new_match[j] = Some(i);
                }
            } else {
                gaps.push(Gap { old: so, new: sn });
            }
        }
    }

    // 2. Moves by exact comparison text.
    let mut by_text: HashMap<&str, Vec<usize>> = HashMap::new();
    for (j, c) in b.iter().enumerate().rev() {
        if new_match[j].is_none() {
            by_text.entry(c.norm()).or_default().push(j);
        }
    }
    for (i, c) in a.iter().enumerate() {
        if old_match[i].is_some() {
            continue;
        }
        if let Some(j) = by_text.get_mut(c.norm()).and_then(Vec::pop) {
            old_match[i] = Some(j);
            new_match[j] = Some(i);
            pair_kind.insert(j, ChangeKind::Moved);
        }
    }

    // 3. Modified: pair what is left inside each gap, keeping order.
    // Word bags only for clauses still unmatched: most are anchored by now.
    let bags_a: Vec<Vec<u64>> = a
        .iter()
        .zip(&old_match)
        .map(|(c, m)| if m.is_none() { bag(c) } else { Vec::new() })
        .collect();
    let bags_b: Vec<Vec<u64>> = b
        .iter()
        .zip(&new_match)
        .map(|(c, m)| if m.is_none() { bag(c) } else { Vec::new() })
        .collect();
    let mut similarity: HashMap<usize, f32> = HashMap::new();
    for gap in &gaps {
        let olds: Vec<usize> = gap
            .old
            .clone()
            .filter(|&i| old_match[i].is_none())
            .collect();
        let news: Vec<usize> = gap
            .new
            .clone()
            .filter(|&j| new_match[j].is_none())
            .collect();
        if olds.is_empty() || news.is_empty() || olds.len() * news.len() > MAX_GAP_CELLS {
            continue;
        }
        if Instant::now() > deadline {
            break;
        }
        // A lone clause replaced by a lone clause at the same place is that
        // clause rewritten, however different the words (a date, an address).
        let lone = olds.len() == 1 && news.len() == 1;
        let threshold = if lone { 0.0 } else { options.modify_threshold };
        for (i, j, s) in pair_in_order(&olds, &news, a, b, &bags_a, &bags_b, threshold) {
            old_match[i] = Some(j);
            new_match[j] = Some(i);
            pair_kind.insert(j, ChangeKind::Modified);
            similarity.insert(j, s);
        }
    }

    // 4. Near-identical clauses far apart: moved with edits. Candidates come from
    // an index of uncommon words, so the cost stays linear in the input.
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
    for (j, bag) in bags_b.iter().enumerate() {
        if new_match[j].is_none() {
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
    let mut timed_out = false;
    for i in 0..a.len() {
        if old_match[i].is_some() {
            continue;
        }
        if Instant::now() > deadline {
            timed_out = true;
            break;
        }
        let mut votes: HashMap<usize, usize> = HashMap::new();
        for t in &bags_a[i] {
            for &j in postings.get(t).into_iter().flatten() {
                if new_match[j].is_none() {
                    *votes.entry(j).or_default() += 1;
                }
            }
        }
        let mut candidates: Vec<(usize, usize)> = votes.into_iter().collect();
        candidates.sort_unstable_by(|x, y| y.1.cmp(&x.1).then(x.0.cmp(&y.0)));
        let best = candidates
            .iter()
            .take(4)
            .map(|&(j, _)| (j, dice(&bags_a[i], &bags_b[j])))
            .filter(|&(_, s)| s >= options.move_threshold)
            .max_by(|x, y| x.1.total_cmp(&y.1).then(y.0.cmp(&x.0)));
        if let Some((j, s)) = best {
            old_match[i] = Some(j);
            new_match[j] = Some(i);
            pair_kind.insert(j, ChangeKind::Moved);
            similarity.insert(j, s);
        }
    }
    if timed_out || Instant::now() > deadline {
        notes.push(format!(
            "alignment stopped at its {:.1} s budget: some moved or modified clauses may be shown as removed and added",
            options.budget.as_secs_f32()
        ));
    }

    // 5. Assemble in reading order: walk the new version, placing each removed
    // clause before the first new clause whose partner comes after it.
    let word_budget = Duration::from_millis(200);
    let mut word_timeouts = 0usize;
    let mut changes = Vec::new();
    let mut unchanged = Vec::new();
    let mut next_old = 0usize;
    let emit_removed_until = |limit: usize, changes: &mut Vec<Change>, next_old: &mut usize| {
        while *next_old < limit {
            if old_match[*next_old].is_none() {
                changes.push(Change {
                    kind: ChangeKind::Removed,
                    old: Some(*next_old),
                    new: None,
                    similarity: None,
                    inline: whole(InlineTag::Delete, &a[*next_old].text),
                    links: Vec::new(),
                });
            }
            *next_old += 1;
        }
    };
    for (j, nc) in b.iter().enumerate() {
        let Some(i) = new_match[j] else {
            changes.push(Change {
                kind: ChangeKind::Added,
                old: None,
                new: Some(j),
                similarity: None,
                inline: whole(InlineTag::Insert, &nc.text),
                links: Vec::new(),
            });
            continue;
        };
        let moved = pair_kind.get(&j) == Some(&ChangeKind::Moved);
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
        let kind = match pair_kind.get(&j) {
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
                word_budget.min(remaining.max(Duration::from_millis(5))),
            );
            word_timeouts += usize::from(hit);
            ops
        };
        changes.push(Change {
            kind,
            old: Some(i),
            new: Some(j),
            // Pairs without a recorded score matched on equal comparison text.
            similarity: Some(similarity.get(&j).copied().unwrap_or(1.0)),
            inline,
            links,
        });
    }
    emit_removed_until(a.len(), &mut changes, &mut next_old);
    if word_timeouts > 0 {
        notes.push(format!(
            "{word_timeouts} clause pair(s) hit the word-diff deadline and are shown as whole-text replacements"
        ));
    }
    ChangeSet {
        changes,
        unchanged,
        notes,
    }
}

/// Pair old and new clauses of one gap, in order, maximising total similarity
/// over pairs at or above `threshold` (a small Needleman–Wunsch).
/// Front-matter fields with the same key always pair.
fn pair_in_order(
    olds: &[usize],
    news: &[usize],
    a: &[Clause],
    b: &[Clause],
    bags_a: &[Vec<u64>],
    bags_b: &[Vec<u64>],
    threshold: f32,
) -> Vec<(usize, usize, f32)> {
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Format;

    fn kinds(old: &str, new: &str) -> Vec<ChangeKind> {
        let a = Document::parse(old, Format::Markdown);
        let b = Document::parse(new, Format::Markdown);
        diff(&a, &b, &DiffOptions::default())
            .changes
            .iter()
            .map(|c| c.kind)
            .collect()
    }

    #[test]
    fn identical_documents_have_no_changes() {
        assert!(kinds("# A\n\nOne.\n\nTwo.\n", "# A\n\nOne.\n\nTwo.\n").is_empty());
    }

    #[test]
    fn inserting_at_top_of_numbered_list_is_one_addition() {
        let old = "1. Alpha clause text\n\n2. Beta clause text\n\n3. Gamma clause text\n";
        let new = "1. New first clause\n\n2. Alpha clause text\n\n3. Beta clause text\n\n4. Gamma clause text\n";
        let k = kinds(old, new);
        assert_eq!(k.iter().filter(|&&k| k == ChangeKind::Added).count(), 1);
        assert_eq!(k.iter().filter(|&&k| k == ChangeKind::Editorial).count(), 3);
        assert!(!k.contains(&ChangeKind::Modified));
    }

    #[test]
    fn a_moved_paragraph_is_one_move() {
        let old = "First paragraph here.\n\nSecond paragraph here.\n\nThird paragraph here.\n";
        let new = "Second paragraph here.\n\nThird paragraph here.\n\nFirst paragraph here.\n";
        assert_eq!(kinds(old, new), [ChangeKind::Moved]);
    }

    #[test]
    fn a_reworded_clause_is_modified() {
        let k = kinds(
            "Intro.\n\nWe will not share your personal information with anyone.\n\nEnd.\n",
            "Intro.\n\nWe may share your personal information with partners.\n\nEnd.\n",
        );
        assert_eq!(k, [ChangeKind::Modified]);
    }

    #[test]
    fn an_exhausted_budget_degrades_with_a_note_and_loses_nothing() {
        let old: String = (0..300)
            .map(|i| {
                format!(
                    "Paragraph number {i} about data sharing with partner {}.\n\n",
                    i % 7
                )
            })
            .collect();
        let new: String = (0..300)
            .rev()
            .map(|i| {
                format!(
                    "Paragraph number {i} about data sharing with partner {} now.\n\n",
                    i % 7
                )
            })
            .collect();
        let a = Document::parse(&old, Format::Markdown);
        let b = Document::parse(&new, Format::Markdown);
        let options = DiffOptions {
            budget: Duration::ZERO,
            ..DiffOptions::default()
        };
        let set = diff(&a, &b, &options);
        assert!(!set.notes.is_empty(), "a hit deadline must be reported");
        let olds = set.changes.iter().filter(|c| c.old.is_some()).count() + set.unchanged.len();
        let news = set.changes.iter().filter(|c| c.new.is_some()).count() + set.unchanged.len();
        assert_eq!((olds, news), (a.clauses.len(), b.clauses.len()));
    }

    #[test]
    fn editorial_spacing() {
        let k = kinds(
            "3 ) [Modify content] text , here\n",
            "3) [Modify content] text, here\n",
        );
        assert_eq!(k, [ChangeKind::Editorial]);
    }

    #[test]
    fn link_changes_pair_replaced_targets_and_name_lone_ones() {
        let v = |xs: &[&str]| xs.iter().map(|x| (*x).to_owned()).collect::<Vec<_>>();
        let lc = |o: Option<&str>, n: Option<&str>| LinkChange {
            old: o.map(str::to_owned),
            new: n.map(str::to_owned),
        };
        assert!(link_changes(&v(&["a", "b"]), &v(&["a", "b"])).is_empty());
        assert_eq!(
            link_changes(&v(&["a", "b", "c"]), &v(&["a", "x", "c", "d"])),
            [lc(Some("b"), Some("x")), lc(None, Some("d"))]
        );
        assert_eq!(link_changes(&v(&["a"]), &[]), [lc(Some("a"), None)]);
    }

    #[test]
    fn a_changed_link_target_behind_the_same_text_is_editorial() {
        let a = Document::parse(
            "Intro.\n\nWrite to [us](https://a.example/c).\n",
            Format::Markdown,
        );
        let b = Document::parse(
            "Intro.\n\nWrite to [us](https://b.example/c).\n",
            Format::Markdown,
        );
        let set = diff(&a, &b, &DiffOptions::default());
        assert_eq!(set.changes.len(), 1);
        let c = &set.changes[0];
        assert_eq!(c.kind, ChangeKind::Editorial);
        assert_eq!(c.links.len(), 1);
        assert_eq!(c.inline.len(), 1);
        assert_eq!(c.inline[0].op, InlineTag::Equal);
    }
}
