//! Clause alignment and word-level diff between two documents.
//!
//! Clauses are aligned by content, never by number: a patience diff over the
//! clauses' comparison texts anchors everything unchanged, then moved clauses
//! are found by exact text, then the clauses left in each gap are paired by
//! word similarity (modified), then near-identical clauses far apart are
//! paired as moves. What is left is added or removed. Every step is bounded by
//! a deadline; past it the diff gets coarser and says so in a note.

mod anchor;
mod assemble;
mod moves;
mod pair;
mod regroup;
mod words;

use rustc_hash::{FxHashMap as HashMap, FxHashSet};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};
use similar::{Algorithm, DiffTag};

use crate::document::Document;
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
    /// For an editorial change that regrouped the words into other blocks:
    /// a split (one old clause, several new) or a merge (several old, one new).
    pub regroup: Option<Regroup>,
    /// The further clauses of a regroup, in order, on the side that has
    /// several: new clauses after `new` for a split, old ones after `old` for
    /// a merge. Empty otherwise.
    pub more: Vec<usize>,
}

/// How an editorial change regrouped the same words into blocks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Regroup {
    /// One clause became several consecutive ones (a paragraph split, a
    /// bold run-in label made a heading of its own).
    Split,
    /// Several consecutive clauses became one.
    Merged,
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

/// The matching the phases build up: who pairs with whom, and how.
pub(super) struct Alignment {
    /// Partner in the new version of each old clause.
    pub old_match: Vec<Option<usize>>,
    /// Partner in the old version of each new clause.
    pub new_match: Vec<Option<usize>>,
    /// Kind of each pair not matched as an anchor, by new index.
    pub kind: HashMap<usize, ChangeKind>,
    /// Word similarity of pairs matched by similarity, by new index.
    pub similarity: HashMap<usize, f32>,
    /// Regroups by their first new clause: how, the old clauses, the new ones.
    pub groups: HashMap<usize, (Regroup, Vec<usize>, Vec<usize>)>,
    /// New clauses after the first of a split: shown with the first.
    pub later_parts: FxHashSet<usize>,
}

impl Alignment {
    /// The clauses of a gap that no earlier phase matched, old and new.
    fn unmatched_in(&self, gap: &anchor::Gap) -> (Vec<usize>, Vec<usize>) {
        (
            gap.old
                .clone()
                .filter(|&i| self.old_match[i].is_none())
                .collect(),
            gap.new
                .clone()
                .filter(|&j| self.new_match[j].is_none())
                .collect(),
        )
    }
}

impl Alignment {
    fn new(old: usize, new: usize) -> Alignment {
        Alignment {
            old_match: vec![None; old],
            new_match: vec![None; new],
            kind: HashMap::default(),
            similarity: HashMap::default(),
            groups: HashMap::default(),
            later_parts: FxHashSet::default(),
        }
    }

    /// Match two clauses as an anchor: unchanged, or changed only editorially.
    pub(super) fn anchor(&mut self, i: usize, j: usize) {
        self.old_match[i] = Some(j);
        self.new_match[j] = Some(i);
    }

    /// Pair two clauses as a change of `kind`, with its similarity if scored.
    pub(super) fn pair(&mut self, i: usize, j: usize, kind: ChangeKind, similarity: Option<f32>) {
        self.anchor(i, j);
        self.kind.insert(j, kind);
        if let Some(s) = similarity {
            self.similarity.insert(j, s);
        }
    }

    /// Match consecutive old clauses with consecutive new ones holding the
    /// same words (one side has exactly one clause).
    pub(super) fn regroup(&mut self, olds: &[usize], news: &[usize], how: Regroup) {
        for &i in olds {
            self.old_match[i] = Some(news[0]);
        }
        for &j in news {
            self.new_match[j] = Some(olds[0]);
        }
        self.later_parts.extend(&news[1..]);
        self.kind.insert(news[0], ChangeKind::Editorial);
        self.groups
            .insert(news[0], (how, olds.to_vec(), news.to_vec()));
    }
}

/// Compare two documents clause by clause, phase by phase (see the module
/// comment); each phase works on what the earlier ones left unmatched.
pub fn diff(old: &Document, new: &Document, options: &DiffOptions) -> ChangeSet {
    let deadline = Instant::now() + options.budget;
    let (a, b) = (&old.clauses[..], &new.clauses[..]);
    let mut notes = Vec::new();
    let mut al = Alignment::new(a.len(), b.len());

    let gaps = anchor::anchor(a, b, &mut al, deadline);
    moves::exact_moves(a, b, &mut al);
    regroup::regroup(&gaps, a, b, &mut al);
    let bags_a = pair::bags(a, &al.old_match);
    let bags_b = pair::bags(b, &al.new_match);
    let sides = pair::Sides {
        a,
        b,
        bags_a: &bags_a,
        bags_b: &bags_b,
    };
    pair::pair_gaps(&gaps, &sides, &mut al, options.modify_threshold, deadline);
    let timed_out = moves::near_moves(&mut al, &bags_a, &bags_b, options.move_threshold, deadline);
    if timed_out || Instant::now() > deadline {
        notes.push(format!(
            "alignment stopped at its {:.1} s budget: some moved or modified clauses may be shown as removed and added",
            options.budget.as_secs_f32()
        ));
    }

    let assembled = assemble::assemble(a, b, &al, deadline);
    if assembled.word_timeouts > 0 {
        notes.push(format!(
            "{} clause pair(s) hit the word-diff deadline and are shown as whole-text replacements",
            assembled.word_timeouts
        ));
    }
    ChangeSet {
        changes: assembled.changes,
        unchanged: assembled.unchanged,
        notes,
    }
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

    #[test]
    fn a_paragraph_split_in_two_is_one_editorial_split() {
        let old = "# Uses\n\nWe keep your data for a year. After that we delete it.\n\nEnd.\n";
        let new = "# Uses\n\nWe keep your data for a year.\n\nAfter that we delete it.\n\nEnd.\n";
        let a = Document::parse(old, Format::Markdown);
        let b = Document::parse(new, Format::Markdown);
        let set = diff(&a, &b, &DiffOptions::default());
        assert_eq!(set.changes.len(), 1, "{:?}", set.changes);
        let c = &set.changes[0];
        assert_eq!(
            (c.kind, c.regroup),
            (ChangeKind::Editorial, Some(Regroup::Split))
        );
        assert_eq!(
            (c.old, c.new, c.more.as_slice()),
            (Some(1), Some(1), &[2][..])
        );
        // And back: merged.
        let set = diff(&b, &a, &DiffOptions::default());
        assert_eq!(set.changes.len(), 1);
        let c = &set.changes[0];
        assert_eq!(c.regroup, Some(Regroup::Merged));
        assert_eq!(
            (c.old, c.new, c.more.as_slice()),
            (Some(1), Some(1), &[2][..])
        );
    }

    #[test]
    fn bold_run_in_labels_made_headings_are_editorial() {
        let item = |l: &str, t: &str| {
            format!("({l}) **To {t}.** We process your contact data to {t} for you.\n\n")
        };
        let heading = |l: &str, t: &str| {
            format!("### ({l}) To {t}\n\nWe process your contact data to {t} for you.\n\n")
        };
        let topics = [
            ("a", "provide our services"),
            ("b", "send messages"),
            ("c", "keep accounts safe"),
        ];
        let old: String = topics.iter().map(|(l, t)| item(l, t)).collect();
        let new: String = topics.iter().map(|(l, t)| heading(l, t)).collect();
        let k = kinds(&old, &new);
        assert_eq!(
            k,
            [ChangeKind::Editorial; 3],
            "split, not added and modified"
        );
        // A heading that becomes a bold label is editorial too.
        let k = kinds("## Your rights\n\nText.\n", "**Your rights:**\n\nText.\n");
        assert_eq!(k, [ChangeKind::Editorial]);
    }

    #[test]
    fn the_same_words_with_a_word_changed_are_not_a_split() {
        let k = kinds(
            "We keep your data for a year. After that we delete it.\n",
            "We keep your data for two years.\n\nAfter that we delete it.\n",
        );
        assert!(
            k.contains(&ChangeKind::Modified) || k.contains(&ChangeKind::Added),
            "{k:?}"
        );
        assert!(!k.contains(&ChangeKind::Editorial), "{k:?}");
    }

    #[test]
    fn chinese_split_with_full_width_labels_is_editorial() {
        let old = "（一）【收集信息】我们会收集您的手机号码。我们不会出售您的信息。\n";
        let new = "（一）【收集信息】\n\n我们会收集您的手机号码。我们不会出售您的信息。\n";
        assert_eq!(kinds(old, new), [ChangeKind::Editorial]);
        let a = Document::parse(
            "1．我们会收集您的手机号码。\n2、我们不会出售您的信息。\n",
            Format::Text,
        );
        let b = Document::parse(
            "1． 我们会收集您的手机号码，我们不会出售您的信息。\n",
            Format::Text,
        );
        let set = diff(&a, &b, &DiffOptions::default());
        assert_eq!(set.changes.len(), 1);
        assert_eq!(set.changes[0].regroup, Some(Regroup::Merged));
    }
}
