//! Classification: is a change major, minor or none, and why, in the policy's
//! own words.
//!
//! The triggers come from the OLD version's own list of major changes (what
//! users were promised), each mapped to a detector of the built-in
//! [`catalogue`]; config adds triggers and overrides the mapping. Detectors
//! look only at what changed (added, removed, modified, moved-with-edits
//! clauses, never editorial ones) and the sections those clauses sit in.

mod analysis;
pub mod catalogue;
mod extract;
pub mod ids;
mod rules;
mod scan;
mod signals;
mod terms;

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use crate::diff::{ChangeKind, ChangeSet};
use crate::document::Document;
pub use analysis::Analysis;
pub use catalogue::{CATALOGUE, Detector};
pub use extract::{ListedItem, TriggerList, trigger_list};
pub use ids::{DetectorId, MANUAL_ID, TRIGGERS_ID};
pub use rules::{CustomTrigger, MapRule, Rules, RulesError};

/// How prominent the notice of a change must be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Classification {
    /// Identical, or editorial differences only.
    None,
    /// A substantive change that fires no trigger.
    Minor,
    /// At least one trigger fired: the policy promises a more prominent notice.
    Major,
}

impl Classification {
    /// Lower-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Classification::None => "none",
            Classification::Minor => "minor",
            Classification::Major => "major",
        }
    }
}

/// Where a trigger comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TriggerSource {
    /// The policy's own list of major changes.
    Policy,
    /// The built-in catalogue (the policy has no list).
    Catalogue,
    /// policydiff.toml.
    Config,
}

/// How a trigger is detected.
#[derive(Debug, Clone)]
pub enum Detection {
    /// A built-in detector.
    Builtin(&'static Detector),
    /// A config-defined rule.
    Custom(usize),
    /// Nothing maps to it: changes touching its subject are listed for manual review.
    Manual(Vec<String>),
    /// The list of triggers itself changed.
    TriggerList,
}

/// A trigger in force for one comparison.
#[derive(Debug, Clone)]
pub struct Trigger {
    /// Detector id, config id, `manual`, or `triggers`.
    pub id: String,
    /// The policy's wording (or the catalogue's or config's title).
    pub wording: String,
    /// Where it comes from.
    pub source: TriggerSource,
    /// The item's number label in the policy.
    pub label: Option<String>,
    /// The item's line in the old version.
    pub line: Option<usize>,
    /// What its detector looks for.
    pub looks_for: String,
    /// How it is detected.
    pub detection: Detection,
}

/// One piece of evidence: a change and what in it fired the trigger.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// Index into the change set's changes; `None` for run-level facts
    /// (`--impact-assessment high`).
    pub change: Option<usize>,
    /// What was found, in plain words.
    pub signal: String,
    /// The words that matched.
    pub matched: Vec<String>,
}

/// A trigger that fired, with its evidence.
#[derive(Debug, Clone)]
pub struct Fired {
    /// Index into [`Verdict::triggers`].
    pub trigger: usize,
    /// Why.
    pub findings: Vec<Finding>,
}

/// A change a person should look at: it touches the subject of a listed
/// trigger that no detector understands.
#[derive(Debug, Clone)]
pub struct Review {
    /// Index into [`Verdict::triggers`].
    pub trigger: usize,
    /// Index into the change set's changes.
    pub change: usize,
    /// Shared words.
    pub matched: Vec<String>,
}

/// The outcome of classification.
#[derive(Debug, Clone)]
pub struct Verdict {
    /// The class of the whole change.
    pub classification: Classification,
    /// Triggers in force (from the old version's list, the catalogue, config).
    pub triggers: Vec<Trigger>,
    /// Triggers that fired.
    pub fired: Vec<Fired>,
    /// Changes for manual review.
    pub review: Vec<Review>,
    /// The list as read from the old version, if it has one.
    pub list: Option<TriggerList>,
    /// Things to tell the user (no list found …).
    pub warnings: Vec<String>,
}

impl Verdict {
    /// A verdict with nothing in it, for reports made without classification.
    pub fn unclassified() -> Verdict {
        Verdict {
            classification: Classification::None,
            triggers: Vec::new(),
            fired: Vec::new(),
            review: Vec::new(),
            list: None,
            warnings: Vec::new(),
        }
    }
}

/// Per-run facts known outside the text.
#[derive(Debug, Clone, Copy, Default)]
pub struct RunFacts {
    /// A security impact assessment reported high risk for this release.
    pub impact_high: bool,
}

/// The triggers in force for a version: its own list mapped to detectors, or
/// the whole catalogue; then config triggers; then the list-changed trigger.
pub fn triggers_for(
    doc: &Document,
    rules: &Rules,
) -> (Vec<Trigger>, Option<TriggerList>, Vec<String>) {
    let list = trigger_list(doc);
    let (triggers, warnings) = triggers_from(list.as_ref(), rules);
    (triggers, list, warnings)
}

/// [`triggers_for`] a version whose list (if any) has been read.
fn triggers_from(list: Option<&TriggerList>, rules: &Rules) -> (Vec<Trigger>, Vec<String>) {
    let mut warnings = Vec::new();
    let mut triggers = Vec::new();
    match list {
        Some(list) => {
            for item in &list.items {
                let detection = rules
                    .mapped(item)
                    .map(|id| rules.detection(&id))
                    .unwrap_or_else(|| match best_detector(&item.text) {
                        Some(d) => Detection::Builtin(d),
                        None => Detection::Manual(content_words(&item.text)),
                    });
                let (id, looks_for) = describe(&detection, rules);
                triggers.push(Trigger {
                    id,
                    wording: item.text.clone(),
                    source: TriggerSource::Policy,
                    label: item.label.clone(),
                    line: Some(item.line),
                    looks_for,
                    detection,
                });
            }
        }
        None => {
            warnings.push(
                "the old version has no list of major changes (\"Major changes … include:\", \"重大变化包括\"): using the whole built-in catalogue".into(),
            );
            for d in CATALOGUE.iter() {
                triggers.push(Trigger {
                    id: d.id.as_str().into(),
                    wording: d.title.into(),
                    source: TriggerSource::Catalogue,
                    label: None,
                    line: None,
                    looks_for: d.looks_for.into(),
                    detection: Detection::Builtin(d),
                });
            }
        }
    }
    for (k, custom) in rules.custom.iter().enumerate() {
        triggers.push(Trigger {
            id: custom.id.clone(),
            wording: custom.title.clone(),
            source: TriggerSource::Config,
            label: None,
            line: None,
            looks_for: custom.looks_for(),
            detection: Detection::Custom(k),
        });
    }
    triggers.push(Trigger {
        id: TRIGGERS_ID.into(),
        wording: "The list of major changes itself changes".into(),
        source: if list.is_some() { TriggerSource::Policy } else { TriggerSource::Catalogue },
        label: None,
        line: list.map(|l| l.intro_line),
        looks_for: "any non-editorial change to the clause that lists major changes or to its items".into(),
        detection: Detection::TriggerList,
    });
    (triggers, warnings)
}

fn describe(detection: &Detection, rules: &Rules) -> (String, String) {
    match detection {
        Detection::Builtin(d) => (d.id.as_str().into(), d.looks_for.into()),
        Detection::Custom(k) => (rules.custom[*k].id.clone(), rules.custom[*k].looks_for()),
        Detection::Manual(words) => (
            MANUAL_ID.into(),
            format!(
                "no detector: changes that mention {} are listed for manual review",
                words.join(", ")
            ),
        ),
        Detection::TriggerList => (TRIGGERS_ID.into(), String::new()),
    }
}

/// The built-in detector whose wording patterns match a listed item best.
pub fn best_detector(text: &str) -> Option<&'static Detector> {
    CATALOGUE
        .iter()
        .map(|d| (d, d.maps.find(text).len()))
        .filter(|&(_, n)| n > 0)
        .max_by_key(|&(_, n)| n)
        .map(|(d, _)| d)
}

/// Words of an item that say what it is about (for manual review matching).
fn content_words(text: &str) -> Vec<String> {
    const STOP: &[&str] = &[
        "the",
        "and",
        "our",
        "your",
        "any",
        "for",
        "with",
        "that",
        "this",
        "when",
        "such",
        "have",
        "has",
        "are",
        "was",
        "change",
        "changes",
        "changed",
        "major",
        "there",
        "which",
        "will",
        "from",
        "etc",
        "into",
        "personal",
        "information",
    ];
    let mut words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .map(str::to_lowercase)
        .filter(|w| w.chars().count() >= 4 && !STOP.contains(&w.as_str()))
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    words.truncate(12);
    words
}

/// Classify a change set between two documents, in named steps: the triggers
/// in force, the evidence of each substantive change, the run-level facts,
/// and the class that follows from what fired.
pub fn classify(
    old: &Document,
    new: &Document,
    set: &ChangeSet,
    rules: &Rules,
    facts: RunFacts,
) -> Verdict {
    let (a, b) = (Analysis::default(), Analysis::default());
    classify_analysed((old, &a), (new, &b), set, rules, facts)
}

/// [`classify`], with what is read from each version alone taken from (or
/// kept in) its [`Analysis`], for a version compared more than once.
pub fn classify_analysed(
    (old, old_facts): (&Document, &Analysis),
    (new, new_facts): (&Document, &Analysis),
    set: &ChangeSet,
    rules: &Rules,
    facts: RunFacts,
) -> Verdict {
    let list = old_facts.list(old);
    let (triggers, mut warnings) = triggers_from(list, rules);
    let lists = Lists {
        old: list,
        new: new_facts.list(new),
    };
    let builtin = builtin_triggers(&triggers);
    let mut evidence = Evidence::default();
    let mut review = Vec::new();
    let mentions = signals::Mentions::new(old_facts, new_facts);
    for (k, change) in set.changes.iter().enumerate() {
        if change.kind == ChangeKind::Editorial {
            continue;
        }
        let oc = change.old.map(|i| &old.clauses[i]);
        let nc = change.new.map(|j| &new.clauses[j]);
        if change.kind == ChangeKind::Moved && oc.map(|c| &c.text) == nc.map(|c| &c.text) {
            continue; // the same words elsewhere: minor
        }
        if [oc, nc].into_iter().flatten().all(is_navigation) {
            continue; // a menu or table of contents states no practice: minor
        }
        let section = signals::Context::section_of(oc, nc);
        let prose = (
            scan::prose(oc.map_or("", |c| c.text.as_str())),
            scan::prose(nc.map_or("", |c| c.text.as_str())),
        );
        let ctx = signals::Context::new(
            change,
            (&prose.0, &prose.1),
            &section,
            (old, new),
            &mentions,
        );
        // The list of major changes describes triggers, not practices: an
        // edit to it fires `triggers`, not the trigger it mentions.
        let in_list = lists.touches(change.old, change.new);
        if !in_list {
            detect_builtin(&builtin, &ctx, k, &mut evidence);
        }
        detect_configured(
            &triggers,
            rules,
            &ctx,
            k,
            in_list,
            &mut evidence,
            &mut review,
        );
    }
    list_presence_changed(&triggers, &lists, &mut evidence);
    run_facts(&builtin, facts, &mut evidence, &mut warnings);
    let mut fired = evidence.fired;
    fired.sort_by_key(|f| f.trigger);
    let classification = class_of(&fired, set);
    Verdict {
        classification,
        triggers,
        fired,
        review,
        list: list.cloned(),
        warnings,
    }
}

/// A menu or table of contents: three or more links and little text
/// besides their labels (a site menu, "Table of contents" anchors).
fn is_navigation(clause: &crate::document::Clause) -> bool {
    // Links the parser could not read (a target with spaces) count too.
    let links = clause.links.len().max(clause.text.matches("](").count());
    links >= 3 && scan::prose(&clause.text).chars().count() < links * 40
}

/// The old and new versions' lists of major changes.
struct Lists<'a> {
    old: Option<&'a TriggerList>,
    new: Option<&'a TriggerList>,
}

impl Lists<'_> {
    /// True if a change's old or new clause belongs to its version's list.
    fn touches(&self, old: Option<usize>, new: Option<usize>) -> bool {
        old.is_some_and(|i| self.old.is_some_and(|l| touches(l, i)))
            || new.is_some_and(|j| self.new.is_some_and(|l| touches(l, j)))
    }
}

/// Fired triggers as they are collected, each finding once.
#[derive(Default)]
struct Evidence {
    fired: Vec<Fired>,
}

impl Evidence {
    /// Record a finding for a trigger (once).
    fn add(&mut self, trigger: usize, finding: Finding) {
        match self.fired.iter_mut().find(|f| f.trigger == trigger) {
            Some(f) => {
                if !f.findings.contains(&finding) {
                    f.findings.push(finding);
                }
            }
            None => self.fired.push(Fired {
                trigger,
                findings: vec![finding],
            }),
        }
    }

    /// Record a detector's finding as evidence from change `k`.
    fn add_from(&mut self, trigger: usize, k: usize, finding: Finding) {
        self.add(
            trigger,
            Finding {
                change: Some(k),
                ..finding
            },
        );
    }
}

/// The triggers in force that a built-in detector decides, with their index.
fn builtin_triggers(triggers: &[Trigger]) -> Vec<(usize, &'static Detector)> {
    triggers
        .iter()
        .enumerate()
        .filter_map(|(t, tr)| match tr.detection {
            Detection::Builtin(d) => Some((t, d)),
            _ => None,
        })
        .collect()
}

/// Step: the built-in detectors' own signals; failing those, the general
/// signals (weakened modal, negation flip …) attributed to the trigger whose
/// subject the clause is about.
fn detect_builtin(
    builtin: &[(usize, &'static Detector)],
    ctx: &signals::Context<'_>,
    k: usize,
    evidence: &mut Evidence,
) {
    let mut specific = BTreeSet::new();
    for &(t, d) in builtin {
        for finding in signals::detect(d, ctx) {
            specific.insert(t);
            evidence.add_from(t, k, finding);
        }
    }
    // General signals are the fallback: a change a detector already
    // explains gives them to no other trigger.
    if !specific.is_empty() {
        return;
    }
    let general = signals::general(ctx);
    if !general.is_empty()
        && let Some(t) = best_subject(builtin, ctx)
    {
        for finding in general {
            evidence.add_from(t, k, finding);
        }
    }
}

/// Step: config-defined triggers, manual-review subjects and the list of
/// major changes itself.
fn detect_configured(
    triggers: &[Trigger],
    rules: &Rules,
    ctx: &signals::Context<'_>,
    k: usize,
    in_list: bool,
    evidence: &mut Evidence,
    review: &mut Vec<Review>,
) {
    for (t, trigger) in triggers.iter().enumerate() {
        match &trigger.detection {
            Detection::Custom(c) => {
                if let Some(finding) = rules.custom[*c].detect(ctx) {
                    evidence.add_from(t, k, finding);
                }
            }
            Detection::Manual(words) => {
                let text = ctx.both_lower();
                let matched: Vec<String> = words
                    .iter()
                    .filter(|w| text.contains(w.as_str()))
                    .cloned()
                    .collect();
                if matched.len() >= 2 {
                    review.push(Review {
                        trigger: t,
                        change: k,
                        matched,
                    });
                }
            }
            Detection::TriggerList if in_list => evidence.add_from(
                t,
                k,
                Finding {
                    change: None,
                    signal: "the list of major changes was edited".into(),
                    matched: Vec::new(),
                },
            ),
            Detection::TriggerList | Detection::Builtin(_) => {}
        }
    }
}

/// Step: a list of major changes that appeared or disappeared as a whole.
fn list_presence_changed(triggers: &[Trigger], lists: &Lists<'_>, evidence: &mut Evidence) {
    if lists.old.is_some() == lists.new.is_some() {
        return;
    }
    // The list-changed trigger is always the last one (see triggers_for).
    evidence.add(
        triggers.len() - 1,
        Finding {
            change: None,
            signal: if lists.old.is_some() {
                "the new version no longer lists what counts as a major change".into()
            } else {
                "the new version adds a list of what counts as a major change".into()
            },
            matched: Vec::new(),
        },
    );
}

/// Step: facts stated for the run (`--impact-assessment high`).
fn run_facts(
    builtin: &[(usize, &'static Detector)],
    facts: RunFacts,
    evidence: &mut Evidence,
    warnings: &mut Vec<String>,
) {
    if !facts.impact_high {
        return;
    }
    match builtin.iter().find(|(_, d)| d.id == DetectorId::HighRisk) {
        Some(&(t, _)) => evidence.add(
            t,
            Finding {
                change: None,
                signal: "a security impact assessment reported high risk (stated for this run)".into(),
                matched: vec!["--impact-assessment high".into()],
            },
        ),
        None => warnings.push(
            "--impact-assessment high was given, but the old version's list of major changes has no high-risk item: it fires nothing".into(),
        ),
    }
}

/// Step: the class follows from what fired and whether anything substantive changed.
fn class_of(fired: &[Fired], set: &ChangeSet) -> Classification {
    if !fired.is_empty() {
        Classification::Major
    } else if set.changes.iter().any(|c| c.kind != ChangeKind::Editorial) {
        Classification::Minor
    } else {
        Classification::None
    }
}

fn touches(list: &TriggerList, index: usize) -> bool {
    list.intro_index == index || list.items.iter().any(|i| i.index == index)
}

/// The built-in trigger in force whose subject the changed clause is most about:
/// each distinct subject word in the clause counts 2; a section whose headings
/// are about the subject counts 3 (a heading is the policy's own statement of
/// what the clause is about).
fn best_subject(
    builtin: &[(usize, &'static Detector)],
    ctx: &signals::Context<'_>,
) -> Option<usize> {
    builtin
        .iter()
        .map(|&(t, d)| {
            let own = ctx.distinct(&d.subject);
            let section = if d.subject.is_match_in(&ctx.section_tok.all()) {
                3
            } else {
                0
            };
            (t, own * 2 + section)
        })
        .filter(|&(_, score)| score > 0)
        .max_by_key(|&(t, score)| (score, std::cmp::Reverse(t)))
        .map(|(t, _)| t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diff::{DiffOptions, diff};
    use crate::document::{ClauseKind, Format};

    const BUNDLED: &str = include_str!("../../policies/privacy-policy.md");

    /// Ids of the triggers that fire from `old` to `new`.
    fn fired(old: &str, new: &str) -> Vec<String> {
        let (a, b) = (
            Document::parse(old, Format::Markdown),
            Document::parse(new, Format::Markdown),
        );
        let set = diff(&a, &b, &DiffOptions::default());
        let v = classify(&a, &b, &set, &Rules::default(), RunFacts::default());
        v.fired
            .iter()
            .map(|f| v.triggers[f.trigger].id.clone())
            .collect()
    }

    /// Regression (issue 8): "found no high risk" appended to a paragraph
    /// added a negation (0 → 1), and the general negation signal went to the
    /// `high-risk` trigger, the clause's subject. Tried on every paragraph and
    /// list item of the bundled policy.
    #[test]
    fn a_statement_that_no_high_risk_was_found_never_fires_high_risk() {
        let doc = Document::parse(BUNDLED, Format::Markdown);
        let lines: Vec<&str> = BUNDLED.lines().collect();
        let mut tried = 0;
        let mut fired_on = Vec::new();
        for c in doc.clauses.iter().filter(|c| {
            matches!(c.kind, ClauseKind::Paragraph | ClauseKind::ListItem)
                && lines[c.line - 1].trim_end().ends_with('.')
                && (c.line == lines.len() || lines[c.line].trim().is_empty())
        }) {
            for sentence in [
                "The impact assessment found no high risk.",
                "The personal information security impact assessment did not find a high risk.",
            ] {
                let mut new: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
                new[c.line - 1].push(' ');
                new[c.line - 1].push_str(sentence);
                let ids = fired(BUNDLED, &(new.join("\n") + "\n"));
                tried += 1;
                // Nor may its negation go to another trigger; an edit inside
                // the list of major changes fires `triggers`, as it should.
                if ids.iter().any(|id| id != "triggers") {
                    fired_on.push(format!("line {}: {sentence} → {ids:?}", c.line));
                }
            }
        }
        assert!(tried > 40, "only {tried} paragraphs tried");
        assert!(fired_on.is_empty(), "fired:\n{}", fired_on.join("\n"));
    }

    #[test]
    fn a_statement_that_high_risk_was_found_still_fires_high_risk() {
        let lines: Vec<&str> = BUNDLED.lines().collect();
        let at = lines
            .iter()
            .position(|l| l.contains("impact assessment report indicates"))
            .expect("the high-risk item");
        // A paragraph outside the list of major changes.
        let target = lines
            .iter()
            .enumerate()
            .skip(at + 2)
            .find(|(i, l)| {
                l.trim_end().ends_with('.')
                    && lines.get(i + 1).is_none_or(|n| n.trim().is_empty())
                    && !l.starts_with('#')
            })
            .map(|(i, _)| i)
            .expect("a paragraph");
        let mut new: Vec<String> = lines.iter().map(|l| (*l).to_owned()).collect();
        new[target].push_str(" The impact assessment found a high risk to users.");
        let ids = fired(BUNDLED, &(new.join("\n") + "\n"));
        assert!(ids.iter().any(|id| id == "high-risk"), "{ids:?}");
    }

    /// A removed clause that was the way to reach the data protection
    /// officer (a link to a contact form) removes that channel, even when
    /// another clause still names the officer; the same clause removed while
    /// its link stays elsewhere does not.
    #[test]
    fn a_removed_way_to_reach_the_officer_is_a_contact_change() {
        let base = "# Privacy\n\n## Contact\n\nIn some countries you can also contact our data protection officer, as described below.\n\nWrite to us through [our help centre](https://example.com/help).\n\n";
        let with =
            format!("{base}Contact our [data protection officer](https://example.com/dpo-form).\n");
        let ids = fired(&with, base);
        assert!(ids.iter().any(|id| id == "contact"), "{ids:?}");
        let kept = format!("{base}Our officer's form: [form](https://example.com/dpo-form).\n");
        let with_kept = format!(
            "{kept}\nContact our [data protection officer](https://example.com/dpo-form).\n"
        );
        let ids = fired(&with_kept, &kept);
        assert!(!ids.iter().any(|id| id == "contact"), "{ids:?}");
    }
}
