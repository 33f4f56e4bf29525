//! The Report: the one hand-off from the diff pipeline to every renderer, and
//! the public JSON contract CI consumes. Versioned by [`SCHEMA_VERSION`];
//! `schema/report.schema.json` describes it and a test validates real output.

use serde::{Deserialize, Serialize};

use crate::archive::{Origin, Version};
use crate::diff::{ChangeKind, ChangeSet, InlineOp, InlineTag, word_count};
use crate::document::{Clause, ClauseKind, Document};

/// Version of the Report JSON. Bumped on any incompatible change.
pub const SCHEMA_VERSION: u32 = 1;

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
    /// Counts.
    pub stats: Stats,
    /// Changes in reading order of the new version.
    pub changes: Vec<Change>,
    /// Notes on how the diff was made (deadlines hit …).
    pub notes: Vec<String>,
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
    /// Word-level runs for paired clauses whose text differs.
    pub inline: Vec<InlineOp>,
}

impl Change {
    /// The clause to cite: the new one when it exists.
    pub fn clause(&self) -> &ClauseRef {
        self.new
            .as_ref()
            .or(self.old.as_ref())
            .expect("a change has at least one side")
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
        label: c.label.clone(),
        section: c.section.to_vec(),
        line: c.line,
        text: c.text.clone(),
        links: c.links.clone(),
    }
}

impl Report {
    /// Assemble the report of a comparison.
    pub fn new(
        policy: Option<&str>,
        old: (&Version, &Document),
        new: (&Version, &Document),
        set: &ChangeSet,
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
            });
        }
        Report {
            schema_version: SCHEMA_VERSION,
            generator: format!("policydiff {}", env!("CARGO_PKG_VERSION")),
            policy: policy.map(str::to_owned),
            old: VersionInfo::new(old.0, old.1),
            new: VersionInfo::new(new.0, new.1),
            stats,
            changes,
            notes: set.notes.clone(),
        }
    }

    /// True when nothing but editorial changes (or nothing at all) differs.
    pub fn is_editorial_only(&self) -> bool {
        self.changes.iter().all(|c| c.kind == ChangeKind::Editorial)
    }
}
