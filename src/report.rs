//! The Report: the one hand-off from the diff pipeline to every renderer, and
//! the public JSON contract CI consumes. Versioned by [`SCHEMA_VERSION`];
//! `schema/report.schema.json` describes it and a test validates real output.

use serde::{Deserialize, Serialize};

use crate::archive::{Origin, Version};
use crate::classify::{Classification, TriggerSource, Verdict};
use crate::diff::{ChangeKind, ChangeSet, InlineOp, InlineTag, LinkChange, Regroup, word_count};
use crate::document::{Clause, ClauseKind, Document};

/// Version of the Report JSON. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 2;

/// Everything known about a comparison of two versions.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    /// Version of this structure.
    pub schema_version: u32,
    /// The tool and version that produced it.
    pub generator: String,
    /// The configured policy name, when the versions came from one.
    pub policy: Option<String>,
    /// The old version.
    pub old: VersionInfo,
    /// The new version.
    pub new: VersionInfo,
    /// `major` if any trigger fired, `minor` if any non-editorial change, else
    /// `none`; null when classification was skipped (`diff --no-classify`).
    pub classification: Option<Classification>,
    /// Triggers that fired, each with its evidence.
    pub triggers: Vec<FiredTrigger>,
    /// The triggers in force, as read from the old version (or the catalogue)
    /// and config; null when classification was skipped.
    pub trigger_list: Option<TriggerListInfo>,
    /// Changes a person should look at: they touch a listed trigger no detector understands.
    pub review: Vec<ReviewItem>,
    /// Warnings about the classification (no list of major changes found …).
    pub warnings: Vec<String>,
    /// Counts.
    pub stats: Stats,
    /// Changes in reading order of the new version.
    pub changes: Vec<Change>,
    /// Notes on how the diff was made (deadlines hit …).
    pub notes: Vec<String>,
    /// The clauses identical in both versions, as they stand in the new one,
    /// for views of the whole document (HTML, Word). Filled only when the
    /// comparison asks for it; absent from JSON otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub unchanged: Vec<UnchangedClause>,
    /// The same release in each of the policy's translations, compared
    /// clause by clause with this one (`check` with translations
    /// configured), in configuration order; empty otherwise. Added in
    /// schema version 2.
    #[serde(default)]
    pub translations: Vec<crate::align::TranslationCheck>,
}

/// A clause that did not change, for whole-document views.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct UnchangedClause {
    /// Its index in the old version's clause list.
    pub old_index: usize,
    /// The clause as it stands in the new version.
    pub clause: ClauseRef,
}

/// Where an entry of [`Report::document_order`] goes: after new clause k
/// (None: before all), then new-side entries before removals, then the
/// order of the change list.
type OrderKey = (Option<usize>, u8, usize);

/// One entry of the whole new document in reading order: see
/// [`Report::document_order`].
#[derive(Debug, Clone, Copy)]
pub enum DocEntry<'a> {
    /// A clause that did not change.
    Unchanged(&'a ClauseRef),
    /// A change (a removed clause stands where it stood).
    Change(&'a Change),
}

/// A trigger that fired.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FiredTrigger {
    /// `processing`, `ownership`, `recipients`, `rights`, `contact`, `high-risk`,
    /// `triggers`, or a config id.
    pub id: String,
    /// The policy's own wording of the trigger (or the catalogue's or config's).
    pub wording: String,
    /// `policy`, `catalogue` or `config`.
    pub source: TriggerSource,
    /// The item's number label in the policy.
    pub label: Option<String>,
    /// Why it fired.
    pub evidence: Vec<Evidence>,
}

/// One piece of evidence for a fired trigger.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Evidence {
    /// The change (`c12`), or null for a fact stated for the run.
    pub change: Option<String>,
    /// What was found.
    pub signal: String,
    /// The words that matched (`+word` arrived, `-word` left).
    pub matched: Vec<String>,
    /// One plain-language sentence for notices.
    pub summary: String,
    /// Section of the clause, outermost first.
    pub section: Vec<String>,
    /// Number label of the clause.
    pub label: Option<String>,
    /// Old text of the clause.
    pub old_text: Option<String>,
    /// New text of the clause.
    pub new_text: Option<String>,
}

/// A matched word and which side it is on: the `+`/`-` marker of
/// [`Evidence::matched`] read in one place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Matched<'a> {
    /// It arrived (`+word`, or unmarked).
    Added(&'a str),
    /// It left (`-word`).
    Removed(&'a str),
}

impl<'a> Matched<'a> {
    /// Read one marked word.
    pub fn parse(marked: &'a str) -> Matched<'a> {
        match marked.strip_prefix('-') {
            Some(w) => Matched::Removed(w),
            None => Matched::Added(marked.strip_prefix('+').unwrap_or(marked)),
        }
    }

    /// The word without its marker.
    pub fn word(self) -> &'a str {
        match self {
            Matched::Added(w) | Matched::Removed(w) => w,
        }
    }
}

impl Evidence {
    /// The matched words, typed.
    pub fn matched_words(&self) -> impl Iterator<Item = Matched<'_>> {
        self.matched.iter().map(|m| Matched::parse(m))
    }
}

/// The triggers in force for a comparison.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TriggerListInfo {
    /// `policy` when read from the old version's own list, else `catalogue`.
    pub source: TriggerSource,
    /// The clause introducing the list.
    pub intro: Option<String>,
    /// Its line in the old version.
    pub line: Option<usize>,
    /// Every trigger in force.
    pub items: Vec<TriggerInfo>,
}

/// One trigger in force.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TriggerInfo {
    /// Its id (`manual` when no detector maps to the item).
    pub id: String,
    /// Its wording.
    pub wording: String,
    /// Where it comes from.
    pub source: TriggerSource,
    /// Number label in the policy.
    pub label: Option<String>,
    /// Line in the policy.
    pub line: Option<usize>,
    /// What its detector looks for.
    pub looks_for: String,
}

/// A change for manual review.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ReviewItem {
    /// The listed item's wording.
    pub wording: String,
    /// Its label.
    pub label: Option<String>,
    /// The change (`c3`).
    pub change: String,
    /// Words shared by the change and the item.
    pub matched: Vec<String>,
}

impl TriggerListInfo {
    /// Describe the triggers in force of a verdict.
    pub fn new(verdict: &Verdict) -> TriggerListInfo {
        TriggerListInfo {
            source: if verdict.list.is_some() {
                TriggerSource::Policy
            } else {
                TriggerSource::Catalogue
            },
            intro: verdict.list.as_ref().map(|l| l.intro.clone()),
            line: verdict.list.as_ref().map(|l| l.intro_line),
            items: verdict
                .triggers
                .iter()
                .map(|t| TriggerInfo {
                    id: t.id.clone(),
                    wording: t.wording.clone(),
                    source: t.source,
                    label: t.label.clone(),
                    line: t.line,
                    looks_for: t.looks_for.clone(),
                })
                .collect(),
        }
    }
}

/// Identity of one compared version.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VersionInfo {
    /// The spec as given.
    pub spec: String,
    /// `file`, `stdin` or `git`.
    pub source: String,
    /// File path (repository-relative for git).
    pub path: String,
    /// Commit id for git versions.
    pub commit: Option<String>,
    /// Commit date for git versions (RFC 3339).
    pub date: Option<String>,
    /// Release tag at that commit, if any.
    pub tag: Option<String>,
    /// Title of the policy.
    pub title: Option<String>,
    /// Effective date from the front matter.
    pub effective: Option<String>,
    /// Number of clauses.
    pub clauses: usize,
}

/// Counts of the comparison.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Stats {
    /// Clauses identical as written.
    pub unchanged: usize,
    /// Added clauses.
    pub added: usize,
    /// Removed clauses.
    pub removed: usize,
    /// Modified clauses.
    pub modified: usize,
    /// Moved clauses.
    pub moved: usize,
    /// Editorially changed clauses.
    pub editorial: usize,
    /// Words inserted (added clauses and insertions inside changed ones).
    pub words_added: usize,
    /// Words deleted.
    pub words_removed: usize,
}

/// Reference to a clause in one version.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ClauseRef {
    /// Index in the version's clause list (0-based).
    pub index: usize,
    /// What the clause was written as.
    pub kind: ClauseKind,
    /// Heading level (1–6) of a heading, nesting depth (1 = top) of a list
    /// item; absent (0) otherwise.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub level: u8,
    /// Number label as written.
    pub label: Option<String>,
    /// Enclosing headings, outermost first.
    pub section: Vec<String>,
    /// 1-based source line.
    pub line: usize,
    /// The clause text without its label.
    pub text: String,
    /// Link targets in the clause.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub links: Vec<String>,
}

/// One change.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Change {
    /// Stable id within the report (`c1`, `c2` …), for anchors.
    pub id: String,
    /// What happened.
    pub kind: ChangeKind,
    /// The clause in the old version.
    pub old: Option<ClauseRef>,
    /// The clause in the new version.
    pub new: Option<ClauseRef>,
    /// Word similarity of paired clauses (0–1).
    pub similarity: Option<f32>,
    /// Word-level runs. The non-`delete` runs always give the new text (one
    /// `insert` run for an added clause, one `equal` run when the words did
    /// not change); the non-`insert` runs give the old text except inside a
    /// modified or moved clause, whose equal runs show the new spelling.
    pub inline: Vec<InlineOp>,
    /// Link targets that changed between the old and new clause (a target
    /// changed behind the same link text is an editorial change).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub link_changes: Vec<LinkChange>,
    /// For an editorial change that put the same words into other blocks:
    /// `split` (one old clause became `new` and `more_new`) or `merged`
    /// (`old` and `more_old` became one). Absent otherwise.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub regroup: Option<Regroup>,
    /// The further old clauses of a merge, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_old: Vec<ClauseRef>,
    /// The further new clauses of a split, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub more_new: Vec<ClauseRef>,
}

impl Change {
    /// The clause to cite: the new one when it exists.
    pub fn clause(&self) -> &ClauseRef {
        self.new
            .as_ref()
            .or(self.old.as_ref())
            .expect("a change has at least one side")
    }

    /// True when some words were inserted or deleted (not only a number,
    /// a place or a link target changed).
    pub fn has_word_edits(&self) -> bool {
        self.inline.iter().any(|op| op.op != InlineTag::Equal)
    }

    /// The new text as the inline runs give it (all the clauses of a split,
    /// joined by a space).
    pub fn new_text(&self) -> String {
        self.inline
            .iter()
            .filter(|op| op.op != InlineTag::Delete)
            .map(|op| op.text.as_str())
            .collect()
    }

    /// A few words on a regroup for headers: `split into 3` or `merged from 2`.
    pub fn regroup_note(&self) -> Option<String> {
        match self.regroup? {
            Regroup::Split => Some(format!("split into {}", 1 + self.more_new.len())),
            Regroup::Merged => Some(format!("merged from {}", 1 + self.more_old.len())),
        }
    }

    /// `label text` of the side to cite, for headings of the change.
    pub fn title(&self) -> String {
        let c = self.clause();
        match &c.label {
            Some(l) => format!("{l} {}", c.text),
            None => c.text.clone(),
        }
    }
}

impl VersionInfo {
    /// Describe a version and its parsed document.
    pub fn new(version: &Version, doc: &Document) -> VersionInfo {
        let (source, commit, date, tag) = match &version.origin {
            Origin::File => ("file", None, None, None),
            Origin::Stdin => ("stdin", None, None, None),
            Origin::Git { commit, date, tag } => {
                ("git", Some(commit.clone()), Some(date.clone()), tag.clone())
            }
        };
        VersionInfo {
            spec: version.spec.clone(),
            source: source.into(),
            path: version.path.clone(),
            commit,
            date,
            tag,
            title: doc.title().map(str::to_owned),
            effective: doc.meta("effective").map(str::to_owned),
            clauses: doc.clauses.len(),
        }
    }

    /// A short name for headers: tag, short commit and path, or the spec.
    pub fn label(&self) -> String {
        match (&self.tag, &self.commit) {
            (Some(t), _) => t.clone(),
            (None, Some(c)) => format!("{} @ {}", self.path, &c[..c.len().min(10)]),
            _ => self.spec.clone(),
        }
    }
}

fn clause_ref(doc: &Document, index: usize) -> ClauseRef {
    let c: &Clause = &doc.clauses[index];
    ClauseRef {
        index,
        kind: c.kind,
        level: c.level,
        label: c.label.clone(),
        section: c.section.to_vec(),
        line: c.line,
        text: c.text.clone(),
        links: c.links.clone(),
    }
}

/// Evidence for the report: the finding with its clause and a plain sentence.
fn evidence(finding: &crate::classify::Finding, changes: &[Change]) -> Evidence {
    let change = finding.change.map(|k| &changes[k]);
    let clause = change.map(Change::clause);
    let words: Vec<&str> = finding
        .matched
        .iter()
        .map(|m| Matched::parse(m).word())
        .collect();
    // The innermost heading names the place well enough for a reader.
    let place = clause.map(|c| {
        let section = if c.section.len() > 1 {
            c.section.last().cloned().unwrap_or_default()
        } else {
            String::new()
        };
        match (&c.label, section.is_empty()) {
            (Some(l), false) => format!("{section}, clause {l}"),
            (Some(l), true) => format!("clause {l}"),
            (None, false) => section,
            (None, true) => "the policy".into(),
        }
    });
    let summary = match (&place, words.is_empty()) {
        (Some(p), false) => format!("{p}: {} ({})", finding.signal, words.join(", ")),
        (Some(p), true) => format!("{p}: {}", finding.signal),
        (None, _) => capitalize(&finding.signal),
    };
    Evidence {
        change: change.map(|c| c.id.clone()),
        signal: finding.signal.clone(),
        matched: finding.matched.clone(),
        summary,
        section: clause.map(|c| c.section.clone()).unwrap_or_default(),
        label: clause.and_then(|c| c.label.clone()),
        old_text: change.and_then(|c| c.old.as_ref()).map(|c| c.text.clone()),
        new_text: change.and_then(|c| c.new.as_ref()).map(|c| c.text.clone()),
    }
}

fn is_zero(n: &u8) -> bool {
    *n == 0
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

impl Report {
    /// Assemble the report of a comparison.
    pub fn new(
        policy: Option<&str>,
        old: (&Version, &Document),
        new: (&Version, &Document),
        set: &ChangeSet,
        verdict: Option<&Verdict>,
    ) -> Report {
        let mut stats = Stats {
            unchanged: set.unchanged.len(),
            ..Stats::default()
        };
        let mut changes = Vec::with_capacity(set.changes.len());
        for (n, ch) in set.changes.iter().enumerate() {
            let old_ref = ch.old.map(|i| clause_ref(old.1, i));
            let new_ref = ch.new.map(|i| clause_ref(new.1, i));
            match ch.kind {
                ChangeKind::Added => {
                    stats.added += 1;
                    stats.words_added += new_ref.as_ref().map_or(0, |c| word_count(&c.text));
                }
                ChangeKind::Removed => {
                    stats.removed += 1;
                    stats.words_removed += old_ref.as_ref().map_or(0, |c| word_count(&c.text));
                }
                ChangeKind::Modified | ChangeKind::Moved | ChangeKind::Editorial => {
                    match ch.kind {
                        ChangeKind::Modified => stats.modified += 1,
                        ChangeKind::Moved => stats.moved += 1,
                        _ => stats.editorial += 1,
                    }
                    if ch.kind != ChangeKind::Editorial {
                        for op in &ch.inline {
                            match op.op {
                                InlineTag::Insert => stats.words_added += word_count(&op.text),
                                InlineTag::Delete => stats.words_removed += word_count(&op.text),
                                InlineTag::Equal => {}
                            }
                        }
                    }
                }
            }
            changes.push(Change {
                id: format!("c{}", n + 1),
                kind: ch.kind,
                old: old_ref,
                new: new_ref,
                similarity: ch.similarity.map(|s| (s * 1000.0).round() / 1000.0),
                inline: ch.inline.clone(),
                link_changes: ch.links.clone(),
                regroup: ch.regroup,
                more_old: match ch.regroup {
                    Some(Regroup::Merged) => {
                        ch.more.iter().map(|&i| clause_ref(old.1, i)).collect()
                    }
                    _ => Vec::new(),
                },
                more_new: match ch.regroup {
                    Some(Regroup::Split) => ch.more.iter().map(|&j| clause_ref(new.1, j)).collect(),
                    _ => Vec::new(),
                },
            });
        }
        let empty = Verdict::unclassified();
        let classified = verdict.is_some();
        let verdict = verdict.unwrap_or(&empty);
        let triggers = verdict
            .fired
            .iter()
            .map(|f| {
                let t = &verdict.triggers[f.trigger];
                FiredTrigger {
                    id: t.id.clone(),
                    wording: t.wording.clone(),
                    source: t.source,
                    label: t.label.clone(),
                    evidence: f
                        .findings
                        .iter()
                        .map(|finding| evidence(finding, &changes))
                        .collect(),
                }
            })
            .collect();
        let review = verdict
            .review
            .iter()
            .map(|r| ReviewItem {
                wording: verdict.triggers[r.trigger].wording.clone(),
                label: verdict.triggers[r.trigger].label.clone(),
                change: changes[r.change].id.clone(),
                matched: r.matched.clone(),
            })
            .collect();
        Report {
            schema_version: SCHEMA_VERSION,
            classification: classified.then_some(verdict.classification),
            triggers,
            trigger_list: classified.then(|| TriggerListInfo::new(verdict)),
            review,
            warnings: verdict.warnings.clone(),
            generator: format!("policydiff {}", env!("CARGO_PKG_VERSION")),
            policy: policy.map(str::to_owned),
            old: VersionInfo::new(old.0, old.1),
            new: VersionInfo::new(new.0, new.1),
            stats,
            changes,
            notes: set.notes.clone(),
            unchanged: Vec::new(),
            translations: Vec::new(),
        }
    }

    /// Add the unchanged clauses of the new document, for whole-document
    /// views. Kept apart from [`Report::new`] because copying every clause
    /// costs a history walk time it has no use for.
    pub fn add_unchanged(&mut self, set: &ChangeSet, new: &Document) {
        self.unchanged = set
            .unchanged
            .iter()
            .map(|&(i, j)| UnchangedClause {
                old_index: i,
                clause: clause_ref(new, j),
            })
            .collect();
        self.unchanged.sort_by_key(|u| u.clause.index);
    }

    /// (old index, new index) of every clause that stayed in place (unchanged,
    /// or changed where it stands; a moved clause left its place), sorted:
    /// where an old clause's spot is in the new document.
    pub fn stayed(&self) -> Vec<(usize, usize)> {
        let mut stayed: Vec<(usize, usize)> = self
            .unchanged
            .iter()
            .map(|u| (u.old_index, u.clause.index))
            .chain(self.changes.iter().filter_map(|c| match (&c.old, &c.new) {
                (Some(o), Some(n)) if c.kind != ChangeKind::Moved => Some((o.index, n.index)),
                _ => None,
            }))
            .collect();
        stayed.sort_unstable();
        stayed
    }

    /// The whole new document in reading order: unchanged clauses and
    /// changes merged, each removed clause placed after the new clause that
    /// its nearest preceding old neighbour became. Empty of unchanged
    /// clauses unless [`Report::add_unchanged`] was called.
    pub fn document_order(&self) -> Vec<DocEntry<'_>> {
        let old_to_new = self.stayed();
        let mut keyed: Vec<(OrderKey, DocEntry<'_>)> =
            Vec::with_capacity(self.unchanged.len() + self.changes.len());
        for u in &self.unchanged {
            keyed.push(((Some(u.clause.index), 0, 0), DocEntry::Unchanged(&u.clause)));
        }
        for (n, c) in self.changes.iter().enumerate() {
            let key = match (&c.new, &c.old) {
                (Some(new), _) => (Some(new.index), 0, n),
                (None, Some(old)) => {
                    // The paired old clause just before this one.
                    let before = old_to_new.partition_point(|&(i, _)| i < old.index);
                    let after_new = before.checked_sub(1).map(|k| old_to_new[k].1);
                    (after_new, 1, n)
                }
                (None, None) => (None, 1, n),
            };
            keyed.push((key, DocEntry::Change(c)));
        }
        keyed.sort_by_key(|(k, _)| *k);
        keyed.into_iter().map(|(_, e)| e).collect()
    }

    /// The fired trigger ids, in order.
    pub fn fired_ids(&self) -> Vec<&str> {
        self.triggers.iter().map(|t| t.id.as_str()).collect()
    }
}

/// Reports of two Markdown texts, for the tests of renderers.
#[cfg(test)]
pub(crate) mod test_support {
    use super::*;
    use crate::diff::{DiffOptions, diff};
    use crate::document::Format;

    /// The unclassified Report of two Markdown texts, with the unchanged
    /// clauses kept (as for whole-document views).
    pub(crate) fn report(old: &str, new: &str) -> Report {
        let version = |text: &str| Version {
            spec: "p.md".into(),
            path: "p.md".into(),
            origin: Origin::File,
            text: text.into(),
            notes: Vec::new(),
        };
        let (ov, nv) = (version(old), version(new));
        let od = Document::parse(old, Format::Markdown);
        let nd = Document::parse(new, Format::Markdown);
        let set = diff(&od, &nd, &DiffOptions::default());
        let mut r = Report::new(None, (&ov, &od), (&nv, &nd), &set, None);
        r.add_unchanged(&set, &nd);
        r
    }
}

#[cfg(test)]
mod tests {
    use super::test_support::report;
    use super::*;

    /// The whole document reads as the new text, each removed clause where
    /// it stood in the old one.
    fn order(r: &Report) -> Vec<String> {
        r.document_order()
            .into_iter()
            .map(|e| match e {
                DocEntry::Unchanged(c) => format!("={}", c.text),
                DocEntry::Change(c) => format!("{:?}:{}", c.kind, c.clause().text),
            })
            .collect()
    }

    #[test]
    fn the_whole_document_keeps_reading_order_with_removals_in_place() {
        let r = report(
            "Alpha one.\n\nBravo two.\n\nCharlie three.\n\nDelta four.\n",
            "Alpha one.\n\nCharlie three.\n\nEcho five.\n\nDelta four.\n",
        );
        assert_eq!(
            order(&r),
            [
                "=Alpha one.",
                "Removed:Bravo two.",
                "=Charlie three.",
                "Added:Echo five.",
                "=Delta four."
            ]
        );
    }

    #[test]
    fn a_removal_stays_between_its_neighbours_when_a_neighbour_moved_away() {
        let r = report(
            "Alpha one is here.\n\nBravo two moves later on.\n\nCharlie three goes.\n\nDelta four stays.\n",
            "Alpha one is here.\n\nDelta four stays.\n\nBravo two moves later on.\n",
        );
        let order = order(&r);
        let removed = order
            .iter()
            .position(|e| e.starts_with("Removed:Charlie"))
            .unwrap();
        let delta = order.iter().position(|e| e.contains("Delta four")).unwrap();
        assert!(removed < delta, "{order:?}");
    }

    #[test]
    fn a_removal_before_everything_comes_first_and_unchanged_stays_out_of_plain_reports() {
        let r = report("Gone first.\n\nKept here.\n", "Kept here.\n");
        assert_eq!(order(&r), ["Removed:Gone first.", "=Kept here."]);
        let plain = Report {
            unchanged: Vec::new(),
            ..r
        };
        let json = serde_json::to_value(&plain).unwrap();
        assert!(json.get("unchanged").is_none());
    }
}
