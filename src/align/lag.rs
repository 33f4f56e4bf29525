//! Translation lag: one release compared in two languages. Given the
//! comparison of the original (old → new) and of its translation (old →
//! new), and the alignments of the two languages' old and new texts, find
//! where the languages no longer say the same thing:
//!
//! - a clause changed substantively in one language whose counterpart did not change;
//! - a clause added or removed in one language only;
//! - a clause moved in one language only (the texts now tell it in another order);
//! - counterparts changed in both languages that now differ in an anchor
//!   (an email, a number of days, a Latin-script name);
//! - a classification or a set of fired triggers that differs.
//!
//! Editorial changes (spacing, punctuation width, renumbering) are never
//! findings, in one language or both.

use serde::{Deserialize, Serialize};

use super::{
    AlignedPair, Alignment, AnchorDiff, Anchors, StructureDiff, Which, align, align_with_seeds,
    structure_diffs,
};
use crate::classify::Classification;
use crate::diff::ChangeKind;
use crate::document::Document;
use crate::report::Report;

/// A clause as a finding cites it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClauseAt {
    /// Index in its document's clause list.
    pub index: usize,
    /// Number label as written.
    pub label: Option<String>,
    /// 1-based source line.
    pub line: usize,
    /// Enclosing headings, outermost first.
    pub section: Vec<String>,
    /// The start of its text (at most 80 characters).
    pub text: String,
}

impl ClauseAt {
    /// Cite clause `index` of `doc`.
    pub fn of(doc: &Document, index: usize) -> ClauseAt {
        let c = &doc.clauses[index];
        let mut text: String = c.text.chars().take(80).collect();
        if text.len() < c.text.len() {
            text.push('…');
        }
        ClauseAt {
            index,
            label: c.label.clone(),
            line: c.line,
            section: c.section.to_vec(),
            text,
        }
    }

    /// `clause ( 5 ) at line 228` or `the clause at line 12`.
    pub fn cite(&self) -> String {
        match &self.label {
            Some(l) => format!("clause {l} at line {}", self.line),
            None => format!("the clause at line {}", self.line),
        }
    }
}

/// What happened to a clause in its own language's comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SideStatus {
    /// Identical as written.
    Unchanged,
    /// Changed only editorially (spacing, width, case, renumbering).
    Editorial,
    /// Changed in substance.
    Changed,
    /// Moved, words unchanged.
    Moved,
    /// Only in the new version.
    Added,
    /// Only in the old version.
    Removed,
    /// No counterpart in this language.
    Missing,
}

/// One language's side of a finding.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Side {
    /// The policy's locale (`en`, `zh-CN`).
    pub locale: String,
    /// What happened to the clause in this language.
    pub status: SideStatus,
    /// The clause in the old version, if it was there.
    pub old: Option<ClauseAt>,
    /// The clause in the new version, if it is there.
    pub new: Option<ClauseAt>,
    /// For a missing clause: the clause of this language (new version)
    /// after which the counterpart would stand.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<ClauseAt>,
}

/// The kind of a finding.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum FindingKind {
    /// Changed in substance in one language; its counterpart did not change.
    ChangedInOneLanguage,
    /// Added in one language only.
    AddedInOneLanguage,
    /// Removed in one language only.
    RemovedInOneLanguage,
    /// Moved in one language only: the texts now tell it in another order.
    MovedInOneLanguage,
    /// Counterparts both changed, and now differ in an anchor.
    AnchorDiffers,
    /// The two comparisons are classified differently.
    ClassificationDiffers,
    /// Same class, different fired triggers.
    TriggersDiffer,
}

impl FindingKind {
    /// The kebab-case id, as in JSON.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingKind::ChangedInOneLanguage => "changed-in-one-language",
            FindingKind::AddedInOneLanguage => "added-in-one-language",
            FindingKind::RemovedInOneLanguage => "removed-in-one-language",
            FindingKind::MovedInOneLanguage => "moved-in-one-language",
            FindingKind::AnchorDiffers => "anchor-differs",
            FindingKind::ClassificationDiffers => "classification-differs",
            FindingKind::TriggersDiffer => "triggers-differ",
        }
    }
}

/// One anchor kind on which counterparts differ.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AnchorMismatch {
    /// `email`, `url`, `number` or `name`.
    pub kind: String,
    /// Values in the original's clause that its counterpart lacks.
    pub original: Vec<String>,
    /// Values in the translation's clause that its counterpart lacks.
    pub translation: Vec<String>,
}

/// One place where the languages no longer say the same thing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranslationFinding {
    /// What was found.
    pub kind: FindingKind,
    /// One sentence naming both clauses, their labels and lines.
    pub message: String,
    /// The original's side (absent for classification findings).
    pub original: Option<Side>,
    /// The translation's side.
    pub translation: Option<Side>,
    /// Anchors that differ between the counterparts' new texts (and did not before).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub anchors: Vec<AnchorMismatch>,
}

/// The alignment of one version's two languages, summed up.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AlignmentSummary {
    /// Clauses in the original.
    pub original_clauses: usize,
    /// Clauses in the translation.
    pub translation_clauses: usize,
    /// Pairs aligned.
    pub aligned: usize,
    /// Overall confidence, 0–1 (mean pair confidence, lowered by clauses left over).
    pub confidence: f32,
    /// The weakest pair's confidence.
    pub min_confidence: f32,
    /// Where the structures differ: clauses left over, lists of different lengths.
    pub structure: Vec<StructureDiff>,
    /// Every aligned pair, by clause index (as in the Report's `ClauseRef.index`).
    pub pairs: Vec<AlignedPair>,
}

impl AlignmentSummary {
    fn new(original: &Document, translation: &Document, a: &Alignment) -> AlignmentSummary {
        AlignmentSummary {
            original_clauses: original.clauses.len(),
            translation_clauses: translation.clauses.len(),
            aligned: a.pairs.len(),
            confidence: (a.confidence() * 1000.0).round() / 1000.0,
            min_confidence: a.min_confidence(),
            structure: structure_diffs(original, translation, a),
            pairs: a.pairs.clone(),
        }
    }
}

/// The cross-language part of a Report: how the translation of the policy
/// changed alongside it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TranslationCheck {
    /// The original's locale.
    pub original_locale: String,
    /// The translation's configured policy name.
    pub policy: String,
    /// The translation's locale.
    pub locale: String,
    /// The translation's old version (spec and path); null when the
    /// translation is new in this change.
    pub old: Option<String>,
    /// The translation's new version.
    pub new: String,
    /// The translation's own classification.
    pub classification: Option<Classification>,
    /// The translation's fired triggers.
    pub triggers: Vec<String>,
    /// Alignment of the two old texts; null when the translation is new in
    /// this change.
    pub old_alignment: Option<AlignmentSummary>,
    /// Alignment of the two new texts.
    pub new_alignment: AlignmentSummary,
    /// Where the languages diverge.
    pub findings: Vec<TranslationFinding>,
    /// Why the findings were accepted (`check --allow-translation-lag REASON`).
    pub allowed: Option<String>,
    /// What the check could not do, or did differently: a translation new
    /// in this change, an alignment narrowed for very long texts.
    pub notes: Vec<String>,
}

impl TranslationCheck {
    /// The translation's counterpart (new version) of the original's new clause `index`.
    pub fn counterpart(&self, index: usize) -> Option<usize> {
        self.new_alignment
            .pairs
            .iter()
            .find(|p| p.original == index)
            .map(|p| p.translation)
    }

    /// Whether `check` fails on it: findings and no accepted reason.
    pub fn fails(&self) -> bool {
        !self.findings.is_empty() && self.allowed.is_none()
    }
}

/// One language of a release: its texts and their comparison.
#[derive(Debug, Clone, Copy)]
pub struct Language<'a> {
    /// The configured policy name.
    pub policy: &'a str,
    /// Its locale.
    pub locale: &'a str,
    /// The old text.
    pub old: &'a Document,
    /// The new text.
    pub new: &'a Document,
    /// The comparison old → new.
    pub report: &'a Report,
}

/// What happened to every clause of one language, read from its Report.
struct Fate {
    /// Status of each new clause.
    new_status: Vec<SideStatus>,
    /// The old clause of each new clause.
    old_of_new: Vec<Option<usize>>,
    /// The new clause of each old clause.
    new_of_old: Vec<Option<usize>>,
    /// Whether each old clause was removed.
    removed: Vec<bool>,
}

impl Fate {
    fn of(old: &Document, new: &Document, report: &Report) -> Fate {
        let (n_old, n_new) = (old.clauses.len(), new.clauses.len());
        let mut f = Fate {
            new_status: vec![SideStatus::Unchanged; n_new],
            old_of_new: vec![None; n_new],
            new_of_old: vec![None; n_old],
            removed: vec![false; n_old],
        };
        let mut seen_old = vec![false; n_old];
        let mut seen_new = vec![false; n_new];
        for ch in &report.changes {
            let o = ch.old.as_ref().map(|c| c.index).filter(|&i| i < n_old);
            let n = ch.new.as_ref().map(|c| c.index).filter(|&j| j < n_new);
            let status = match ch.kind {
                ChangeKind::Added => SideStatus::Added,
                ChangeKind::Removed => SideStatus::Removed,
                ChangeKind::Modified => SideStatus::Changed,
                ChangeKind::Moved if ch.has_word_edits() => SideStatus::Changed,
                ChangeKind::Moved => SideStatus::Moved,
                ChangeKind::Editorial => SideStatus::Editorial,
            };
            if let Some(i) = o {
                seen_old[i] = true;
                f.removed[i] = status == SideStatus::Removed;
                f.new_of_old[i] = n;
            }
            if let Some(j) = n {
                seen_new[j] = true;
                f.new_status[j] = status;
                f.old_of_new[j] = o;
            }
            // A split or merge is editorial: its further clauses come from
            // (or went into) the same clause.
            for c in &ch.more_new {
                if c.index < n_new {
                    seen_new[c.index] = true;
                    f.new_status[c.index] = SideStatus::Editorial;
                    f.old_of_new[c.index] = o;
                }
            }
            for c in &ch.more_old {
                if c.index < n_old {
                    seen_old[c.index] = true;
                    f.new_of_old[c.index] = n;
                }
            }
        }
        // The clauses no change names are identical and in the same order.
        let rest_old: Vec<usize> = (0..n_old).filter(|&i| !seen_old[i]).collect();
        let rest_new: Vec<usize> = (0..n_new).filter(|&j| !seen_new[j]).collect();
        if rest_old.len() == rest_new.len() {
            for (i, j) in rest_old.into_iter().zip(rest_new) {
                f.new_of_old[i] = Some(j);
                f.old_of_new[j] = Some(i);
            }
        }
        f
    }
}

/// Everything about one language needed while comparing with the other.
struct View<'a> {
    lang: Language<'a>,
    fate: Fate,
}

impl View<'_> {
    fn side(&self, old: Option<usize>, new: Option<usize>, status: SideStatus) -> Side {
        Side {
            locale: self.lang.locale.to_owned(),
            status,
            old: old.map(|i| ClauseAt::of(self.lang.old, i)),
            new: new.map(|j| ClauseAt::of(self.lang.new, j)),
            after: None,
        }
    }

    fn status_of_new(&self, j: usize) -> SideStatus {
        self.fate.new_status[j]
    }
}

/// Compare a release in two languages: align the old texts and the new
/// texts, and report where the two comparisons diverge.
pub fn check_translation(original: Language<'_>, translation: Language<'_>) -> TranslationCheck {
    let old_al = align(original.old, translation.old);
    let o = View {
        lang: original,
        fate: Fate::of(original.old, original.new, original.report),
    };
    let t = View {
        lang: translation,
        fate: Fate::of(translation.old, translation.new, translation.report),
    };
    // The new texts: the old pairs carried through each language's own
    // diff, and what is left between them aligned by structure. (Aligned
    // from scratch, a clause inserted at the top of a list in one language
    // would pair with the other's first item by its label.)
    let seeds: Vec<(usize, usize)> = (0..original.new.clauses.len())
        .filter_map(|ja| {
            let ia = o.fate.old_of_new[ja]?;
            let ib = old_al.counterpart(ia)?;
            Some((ja, t.fate.new_of_old[ib]?))
        })
        .collect();
    let new_al = align_with_seeds(original.new, translation.new, &seeds);
    let mut findings = Vec::new();
    // Each direction: the original's changes against the translation, then
    // the translation's against the original (with the alignments flipped).
    let flipped_old = flip(&old_al);
    let flipped_new = flip(&new_al);
    one_direction(&o, &t, &old_al, &new_al, Which::Original, &mut findings);
    one_direction(
        &t,
        &o,
        &flipped_old,
        &flipped_new,
        Which::Translation,
        &mut findings,
    );
    classification_findings(original, translation, &mut findings);
    findings.sort_by_key(|f| {
        let line = f
            .original
            .as_ref()
            .and_then(|s| s.new.as_ref().or(s.old.as_ref()).or(s.after.as_ref()))
            .map_or(usize::MAX, |c| c.line);
        (line, f.kind)
    });
    TranslationCheck {
        original_locale: original.locale.to_owned(),
        policy: translation.policy.to_owned(),
        locale: translation.locale.to_owned(),
        old: Some(version_name(&translation.report.old)),
        new: version_name(&translation.report.new),
        classification: translation.report.classification,
        triggers: translation
            .report
            .fired_ids()
            .into_iter()
            .map(str::to_owned)
            .collect(),
        old_alignment: Some(AlignmentSummary::new(
            original.old,
            translation.old,
            &old_al,
        )),
        new_alignment: AlignmentSummary::new(original.new, translation.new, &new_al),
        findings,
        allowed: None,
        notes: old_al.notes.into_iter().chain(new_al.notes).collect(),
    }
}

/// A translation that did not exist in the old version: there is no
/// change of it to compare, so only the new texts are aligned (their
/// structure differences are reported) and a note says why there are no
/// findings.
pub fn check_new_translation(
    original: NewLanguage<'_>,
    translation: NewLanguage<'_>,
    original_old: &crate::archive::Version,
) -> TranslationCheck {
    let al = align(original.new, translation.new);
    let mut notes = vec![format!(
        "translation added in this change: {} ({}) did not exist at {}, the original's old version; only the new texts are aligned",
        translation.policy, translation.version.path, original_old.spec
    )];
    notes.extend(al.notes.iter().cloned());
    TranslationCheck {
        original_locale: original.locale.to_owned(),
        policy: translation.policy.to_owned(),
        locale: translation.locale.to_owned(),
        old: None,
        new: if translation.version.spec == translation.version.path {
            translation.version.path.clone()
        } else {
            format!(
                "{} ({})",
                translation.version.spec, translation.version.path
            )
        },
        classification: None,
        triggers: Vec::new(),
        old_alignment: None,
        new_alignment: AlignmentSummary::new(original.new, translation.new, &al),
        findings: Vec::new(),
        allowed: None,
        notes,
    }
}

/// One language's new text alone (a translation new in this change, and
/// its original).
#[derive(Debug, Clone, Copy)]
pub struct NewLanguage<'a> {
    /// The configured policy name.
    pub policy: &'a str,
    /// Its locale.
    pub locale: &'a str,
    /// The new text.
    pub new: &'a Document,
    /// The new version it was read from.
    pub version: &'a crate::archive::Version,
}

/// Why `check` fails on translations: one clause per translation with
/// findings and no accepted reason, across `reports`; `None` when every
/// translation keeps up (or its lag was accepted).
pub fn lag_verdict<'a>(reports: impl IntoIterator<Item = &'a Report>) -> Option<String> {
    let lagging: Vec<String> = reports
        .into_iter()
        .flat_map(|r| &r.translations)
        .filter(|t| t.fails())
        .map(|t| {
            format!(
                "the {} translation ({}) lags: {} finding{}",
                t.locale,
                t.policy,
                t.findings.len(),
                plural(t.findings.len())
            )
        })
        .collect();
    (!lagging.is_empty()).then(|| lagging.join("; "))
}

fn version_name(v: &crate::report::VersionInfo) -> String {
    if v.spec == v.path {
        v.path.clone()
    } else {
        format!("{} ({})", v.spec, v.path)
    }
}

/// The same alignment seen from the translation.
fn flip(a: &Alignment) -> Alignment {
    Alignment {
        pairs: a
            .pairs
            .iter()
            .map(|p| AlignedPair {
                original: p.translation,
                translation: p.original,
                confidence: p.confidence,
            })
            .collect(),
        forward: a.backward.clone(),
        backward: a.forward.clone(),
        notes: Vec::new(),
    }
}

/// Findings about `a`'s changes, looking at `b` through the alignments
/// (`old_al`, `new_al` map `a`'s clauses to `b`'s). `who` says which
/// language `a` is; findings always name the original first.
fn one_direction(
    a: &View<'_>,
    b: &View<'_>,
    old_al: &Alignment,
    new_al: &Alignment,
    who: Which,
    out: &mut Vec<TranslationFinding>,
) {
    let lang = |v: &View<'_>| v.lang.locale.to_owned();
    let mut push =
        |kind: FindingKind, message: String, side_a: Side, side_b: Side, anchors: &AnchorDiff| {
            let mismatches: Vec<AnchorMismatch> = anchors
                .kinds
                .iter()
                .map(|(k, x, y)| {
                    let (x, y) = match who {
                        Which::Original => (x.clone(), y.clone()),
                        Which::Translation => (y.clone(), x.clone()),
                    };
                    AnchorMismatch {
                        kind: (*k).to_owned(),
                        original: x,
                        translation: y,
                    }
                })
                .collect();
            let (original, translation) = match who {
                Which::Original => (side_a, side_b),
                Which::Translation => (side_b, side_a),
            };
            out.push(TranslationFinding {
                kind,
                message,
                original: Some(original),
                translation: Some(translation),
                anchors: mismatches,
            });
        };
    let anchors_new = |ja: usize, jb: usize| {
        AnchorDiff::between(
            &Anchors::of(&a.lang.new.clauses[ja].text),
            &Anchors::of(&b.lang.new.clauses[jb].text),
        )
    };
    let anchors_old = |ia: usize, ib: usize| {
        AnchorDiff::between(
            &Anchors::of(&a.lang.old.clauses[ia].text),
            &Anchors::of(&b.lang.old.clauses[ib].text),
        )
    };
    // Where b's counterpart would stand: after the counterpart of the
    // nearest earlier clause of a that has one (computed once: a search
    // back from every added clause is quadratic when most are added).
    let before = super::last_counterpart_before(&new_al.forward);
    let after_in_b = |ja: usize| before[ja].map(|jb| ClauseAt::of(b.lang.new, jb));
    for ja in 0..a.lang.new.clauses.len() {
        let status = a.status_of_new(ja);
        let ia = a.fate.old_of_new[ja];
        match status {
            SideStatus::Added => {
                let partner = new_al.counterpart(ja);
                if let Some(jb) = partner
                    && b.status_of_new(jb) == SideStatus::Added
                {
                    // Added in both; only the original's side checks the pair.
                    if who == Which::Original {
                        let d = anchors_new(ja, jb);
                        if !d.is_empty() {
                            let message = format!(
                                "added in both languages, but they differ ({}): {} {} and {} {}",
                                describe(&d, &lang(a), &lang(b)),
                                lang(a),
                                ClauseAt::of(a.lang.new, ja).cite(),
                                lang(b),
                                ClauseAt::of(b.lang.new, jb).cite()
                            );
                            push(
                                FindingKind::AnchorDiffers,
                                message,
                                a.side(None, Some(ja), SideStatus::Added),
                                b.side(None, Some(jb), SideStatus::Added),
                                &d,
                            );
                        }
                    }
                    continue;
                }
                let clause = ClauseAt::of(a.lang.new, ja);
                let mut side_b = b.side(None, None, SideStatus::Missing);
                side_b.after = after_in_b(ja);
                let place = side_b
                    .after
                    .as_ref()
                    .map_or(String::from("at its start"), |c| {
                        format!("after {}", c.cite())
                    });
                let message = format!(
                    "added in {} only: {}; no counterpart in {} (it would stand {place})",
                    lang(a),
                    clause.cite(),
                    lang(b)
                );
                push(
                    FindingKind::AddedInOneLanguage,
                    message,
                    a.side(None, Some(ja), SideStatus::Added),
                    side_b,
                    &AnchorDiff::default(),
                );
            }
            SideStatus::Changed | SideStatus::Moved => {
                let Some(ia) = ia else { continue };
                // The counterpart before the change, and what became of it.
                let Some(ib) = old_al.counterpart(ia) else {
                    continue;
                };
                if b.fate.removed[ib] {
                    continue; // reported as removed in b only
                }
                let Some(jb) = b.fate.new_of_old[ib] else {
                    continue;
                };
                let sb = b.status_of_new(jb);
                let d = anchors_new(ja, jb).since(&anchors_old(ia, ib));
                if status == SideStatus::Moved {
                    // A move matters only if the texts now differ in order.
                    if sb != SideStatus::Moved && new_al.counterpart(ja) != Some(jb) {
                        let message = format!(
                            "moved in {} only: {} (was line {}); its {} counterpart {} stayed where it was",
                            lang(a),
                            ClauseAt::of(a.lang.new, ja).cite(),
                            a.lang.old.clauses[ia].line,
                            lang(b),
                            ClauseAt::of(b.lang.new, jb).cite()
                        );
                        push(
                            FindingKind::MovedInOneLanguage,
                            message,
                            a.side(Some(ia), Some(ja), SideStatus::Moved),
                            b.side(Some(ib), Some(jb), sb),
                            &AnchorDiff::default(),
                        );
                    }
                    continue;
                }
                if sb == SideStatus::Changed {
                    // Changed in both: report each pair once, from the original.
                    if who == Which::Original && !d.is_empty() {
                        let message = format!(
                            "changed in both languages, but differently ({}): {} {} and {} {}",
                            describe(&d, &lang(a), &lang(b)),
                            lang(a),
                            ClauseAt::of(a.lang.new, ja).cite(),
                            lang(b),
                            ClauseAt::of(b.lang.new, jb).cite()
                        );
                        push(
                            FindingKind::AnchorDiffers,
                            message,
                            a.side(Some(ia), Some(ja), SideStatus::Changed),
                            b.side(Some(ib), Some(jb), sb),
                            &d,
                        );
                    }
                    continue;
                }
                let detail = if d.is_empty() {
                    String::new()
                } else {
                    format!(" ({})", describe(&d, &lang(a), &lang(b)))
                };
                let message = format!(
                    "changed in {} only: {}{detail}; its {} counterpart {} did not change",
                    lang(a),
                    ClauseAt::of(a.lang.new, ja).cite(),
                    lang(b),
                    ClauseAt::of(b.lang.new, jb).cite()
                );
                push(
                    FindingKind::ChangedInOneLanguage,
                    message,
                    a.side(Some(ia), Some(ja), SideStatus::Changed),
                    b.side(Some(ib), Some(jb), sb),
                    &d,
                );
            }
            _ => {}
        }
    }
    // Removed in a: was its counterpart removed too?
    for ia in 0..a.lang.old.clauses.len() {
        if !a.fate.removed[ia] {
            continue;
        }
        let Some(ib) = old_al.counterpart(ia) else {
            continue;
        };
        if b.fate.removed[ib] {
            continue;
        }
        let jb = b.fate.new_of_old[ib];
        let sb = jb.map_or(SideStatus::Unchanged, |j| b.status_of_new(j));
        let message = format!(
            "removed in {} only: {} of the old version; its {} counterpart {} is still there",
            lang(a),
            ClauseAt::of(a.lang.old, ia).cite(),
            lang(b),
            jb.map_or_else(
                || ClauseAt::of(b.lang.old, ib).cite(),
                |j| ClauseAt::of(b.lang.new, j).cite()
            )
        );
        push(
            FindingKind::RemovedInOneLanguage,
            message,
            a.side(Some(ia), None, SideStatus::Removed),
            b.side(Some(ib), jb, sb),
            &AnchorDiff::default(),
        );
    }
}

/// `number: en 30, zh-CN 20` for the kinds that differ.
fn describe(d: &AnchorDiff, lang_a: &str, lang_b: &str) -> String {
    d.kinds
        .iter()
        .map(|(k, x, y)| {
            let show = |v: &[String]| {
                if v.is_empty() {
                    "none".to_owned()
                } else {
                    v.join(", ")
                }
            };
            format!("{k}: {lang_a} {}, {lang_b} {}", show(x), show(y))
        })
        .collect::<Vec<_>>()
        .join("; ")
}

fn classification_findings(
    original: Language<'_>,
    translation: Language<'_>,
    out: &mut Vec<TranslationFinding>,
) {
    let (ro, rt) = (original.report, translation.report);
    let class = |r: &Report| r.classification.map_or("unclassified", |c| c.as_str());
    let ids = |r: &Report| {
        let mut v: Vec<String> = r.fired_ids().into_iter().map(str::to_owned).collect();
        v.sort();
        v.dedup();
        v
    };
    let (io, it) = (ids(ro), ids(rt));
    let shown = |v: &[String]| {
        if v.is_empty() {
            String::new()
        } else {
            format!(" [{}]", v.join(", "))
        }
    };
    let kind = if ro.classification != rt.classification {
        FindingKind::ClassificationDiffers
    } else if io != it {
        FindingKind::TriggersDiffer
    } else {
        return;
    };
    out.push(TranslationFinding {
        kind,
        message: format!(
            "{} {}{} but {} {}{}",
            original.locale,
            class(ro),
            shown(&io),
            translation.locale,
            class(rt),
            shown(&it)
        ),
        original: None,
        translation: None,
        anchors: Vec::new(),
    });
}

impl TranslationCheck {
    /// One line for the top of a human report: the translation, its
    /// verdict, the alignment and the outcome.
    pub fn headline(&self) -> String {
        let class = match &self.old {
            // No old translation: nothing of its own was compared.
            None => "new in this change",
            Some(_) => self.classification.map_or("unclassified", |c| c.as_str()),
        };
        let triggers = if self.triggers.is_empty() {
            String::new()
        } else {
            format!(" [{}]", self.triggers.join(", "))
        };
        let a = &self.new_alignment;
        let outcome = match (self.findings.len(), &self.allowed) {
            (0, _) => "the languages agree".to_owned(),
            (n, Some(reason)) => format!(
                "{n} finding{} accepted (--allow-translation-lag: {reason})",
                plural(n)
            ),
            (n, None) => format!("{n} finding{} where the languages diverge", plural(n)),
        };
        format!(
            "Translation {} ({}): {class}{triggers}; {} pairs aligned of {} {} and {} {} clauses (confidence {:.2}); {outcome}",
            self.locale,
            self.policy,
            a.aligned,
            a.original_clauses,
            self.original_locale,
            a.translation_clauses,
            self.locale,
            a.confidence
        )
    }
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

impl StructureDiff {
    /// One sentence naming the clauses and lines.
    pub fn describe(&self, original_locale: &str, locale: &str) -> String {
        match self {
            StructureDiff::Unaligned {
                side,
                clause,
                after,
            } => {
                let (here, there) = match side {
                    Which::Original => (original_locale, locale),
                    Which::Translation => (locale, original_locale),
                };
                let place = after
                    .as_ref()
                    .map_or(String::new(), |c| format!(" (would follow {})", c.cite()));
                format!(
                    "{here} {} has no counterpart in {there}{place}",
                    clause.cite()
                )
            }
            StructureDiff::ListLength {
                original,
                translation,
                original_items,
                translation_items,
            } => format!(
                "the list at {original_locale} {} has {original_items} items, at {locale} {} {translation_items}",
                original.cite(),
                translation.cite()
            ),
        }
    }
}
