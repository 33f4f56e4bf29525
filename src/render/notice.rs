//! User notices from templates (minijinja): in-app, website announcement,
//! changelog entry and the update email, in English and Chinese.
//!
//! The template context ([`NoticeContext`]) is built from a [`Report`] and is
//! a documented contract (docs/notice-context.md): `notice --context` prints
//! it, `notice --from-context FILE` renders from it. Templates in the
//! repository's templates/ folder override the defaults compiled in.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

pub use super::templates::{TemplateError, Templates};

use super::excerpt::{self, Run};
use super::site::{redline_page, version_page};
use crate::classify::Classification;
use crate::diff::ChangeKind;
use crate::document::ClauseKind;
use crate::policy::{Day, Locale};
use crate::report::Report;

/// Version of the notice context. Bumped on any incompatible change.
pub const CONTEXT_VERSION: u32 = 1;

/// Kinds of notice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum NoticeKind {
    /// Short text for an in-app banner or dialog.
    InApp,
    /// A standalone HTML page for the website.
    Announcement,
    /// The update email: subject, plain text and HTML.
    Email,
    /// A Markdown entry for the public changelog.
    Changelog,
}

impl NoticeKind {
    /// Every kind, in a stable order.
    pub const ALL: [NoticeKind; 4] = [
        NoticeKind::InApp,
        NoticeKind::Announcement,
        NoticeKind::Email,
        NoticeKind::Changelog,
    ];

    /// The name used in template and file names.
    pub fn as_str(self) -> &'static str {
        match self {
            NoticeKind::InApp => "in-app",
            NoticeKind::Announcement => "announcement",
            NoticeKind::Email => "email",
            NoticeKind::Changelog => "changelog",
        }
    }

    /// The parts of this kind: (template part, file extension).
    pub fn parts(self) -> &'static [(&'static str, &'static str)] {
        match self {
            NoticeKind::InApp => &[("in-app", "txt")],
            NoticeKind::Announcement => &[("announcement", "html")],
            NoticeKind::Email => &[
                ("email-subject", "txt"),
                ("email", "txt"),
                ("email", "html"),
            ],
            NoticeKind::Changelog => &[("changelog", "md")],
        }
    }
}

/// The data a notice template sees. Documented in docs/notice-context.md.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct NoticeContext {
    /// Version of this structure.
    pub schema_version: u32,
    /// `in-app`, `announcement`, `email` or `changelog`.
    pub kind: NoticeKind,
    /// `en` or `zh-CN`.
    pub locale: String,
    /// The policy.
    pub policy: PolicyInfo,
    /// The version users agreed to.
    pub old: VersionRef,
    /// The version taking effect.
    pub new: VersionRef,
    /// Date the new version takes effect (`YYYY-MM-DD`), if known.
    pub effective_date: Option<String>,
    /// Date of the notice (`YYYY-MM-DD`).
    pub notice_date: String,
    /// Days between notice and effective date.
    pub notice_days: Option<i64>,
    /// `none`, `minor` or `major` (a string: templates and hand-written
    /// contexts may carry other values).
    pub classification: String,
    /// True for a major change: the policy promises a more prominent notice.
    pub major: bool,
    /// Fired triggers, each in the policy's words and in plain words.
    pub triggers: Vec<TriggerNotice>,
    /// Substantive changes grouped by section, in reading order (at most
    /// `[notice] max_changes` of them).
    pub sections: Vec<SectionNotice>,
    /// Substantive changes not listed in `sections`.
    #[serde(default)]
    pub more: usize,
    /// Counts of substantive changes.
    pub counts: Counts,
    /// Where to read the new and previous versions and the redline.
    pub links: Links,
    /// For emails, the recipient's fields (`email`, `name`, `locale` and any
    /// other column of the recipient list); null for other kinds.
    pub recipient: Option<BTreeMap<String, String>>,
    /// Notes for whoever prepares the notice, never shown to users (the
    /// default templates ignore them): e.g. that the languages of a
    /// bilingual policy read the change differently.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

/// The policy's name and title.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PolicyInfo {
    /// Configured name, if any.
    pub name: Option<String>,
    /// Human title.
    pub title: String,
}

/// A version as users know it.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct VersionRef {
    /// Release tag, short commit, or the spec given.
    pub id: String,
    /// Commit date (`YYYY-MM-DD`), for git versions.
    pub date: Option<String>,
    /// Effective date: the release tag's, else the front matter's.
    pub effective: Option<String>,
    /// Whether the version is a release (its tag names its effective date),
    /// so that the archive has a page for it.
    #[serde(default)]
    pub release: bool,
}

/// A fired trigger for users.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TriggerNotice {
    /// Trigger id.
    pub id: String,
    /// The policy's wording of the trigger.
    pub wording: String,
    /// Its number label in the policy.
    pub label: Option<String>,
    /// One plain sentence in the notice's locale.
    pub summary: String,
    /// The words that arrived (without markers), for templates that phrase their own.
    pub words: Vec<String>,
    /// The evidence, one technical sentence each (clause and signal).
    pub details: Vec<String>,
    /// The evidence as the sentence templates see it.
    #[serde(default)]
    pub evidence: Vec<EvidenceNotice>,
}

/// One piece of evidence of a fired trigger, for the sentence templates
/// (`what-changes.{locale}.txt.j2`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct EvidenceNotice {
    /// What the detector saw (`new recipient of personal information`, …).
    pub signal: String,
    /// The words that arrived.
    pub added: Vec<String>,
    /// The words that left.
    pub removed: Vec<String>,
    /// The policy's own new words for this change (inserted words, or the
    /// added clause), shortened: what a sentence quotes when it cannot say
    /// it better.
    pub quote: Option<String>,
    /// The same for the old words.
    pub quote_old: Option<String>,
}

/// Changes under one heading.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SectionNotice {
    /// The innermost heading (or the policy title).
    pub title: String,
    /// The changes.
    pub changes: Vec<ChangeNotice>,
}

/// One substantive change, with short excerpts.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct ChangeNotice {
    /// `added`, `removed`, `modified` or `moved`.
    pub kind: ChangeKind,
    /// Number label of the clause.
    pub label: Option<String>,
    /// Excerpt of the old text: for a modified clause, the changed words with
    /// a little context and "…" where text was left out.
    pub before: Option<String>,
    /// Excerpt of the new text, likewise.
    pub after: Option<String>,
    /// `before` as runs, the deleted words marked `changed` (for HTML).
    #[serde(default)]
    pub before_runs: Vec<Run>,
    /// `after` as runs, the inserted words marked `changed`.
    #[serde(default)]
    pub after_runs: Vec<Run>,
}

/// Counts of the changes a notice tells users about (substantive, not front
/// matter, not trivial), listed or not.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Counts {
    /// Added clauses.
    pub added: usize,
    /// Removed clauses.
    pub removed: usize,
    /// Modified clauses.
    pub modified: usize,
    /// Moved clauses.
    pub moved: usize,
}

/// Public URLs, from `[notice] base_url` and the site layout (see `site`).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Links {
    /// The archive (index of versions).
    pub archive: Option<String>,
    /// The new version's page.
    pub policy: Option<String>,
    /// The previous version's page.
    pub previous: Option<String>,
    /// The redline between them.
    pub redline: Option<String>,
}

/// Options for building a context.
#[derive(Clone)]
pub struct ContextOptions<'a> {
    /// Kind of notice.
    pub kind: NoticeKind,
    /// Locale.
    pub locale: Locale,
    /// Effective date of the new version, when known.
    pub effective_date: Option<Day>,
    /// Date of the notice.
    pub notice_date: Day,
    /// Base URL of the public archive.
    pub base_url: Option<&'a str>,
    /// Changes listed section by section; the rest are counted in `more`.
    pub max_changes: usize,
    /// The templates of the plain-language sentences.
    pub templates: &'a Templates,
    /// The policy's title configured for this locale, if any.
    pub title: Option<&'a str>,
}

/// The longest excerpt of a whole clause, in characters.
const EXCERPT: usize = 160;

/// Default of [`ContextOptions::max_changes`].
pub const MAX_CHANGES: usize = 5;

/// A change as users read it: an added, removed or moved clause shortened,
/// a modified one centred on its changed words on both sides.
fn change_notice(c: &crate::report::Change) -> ChangeNotice {
    let whole = |text: &str, changed: bool| {
        let t = super::shorten(text, EXCERPT);
        (Some(t.clone()), vec![Run { text: t, changed }])
    };
    let ((before, before_runs), (after, after_runs)) = match c.kind {
        ChangeKind::Modified | ChangeKind::Moved if c.has_word_edits() => {
            let f = excerpt::focus(&c.inline);
            (
                (Some(excerpt::plain(&f.before)), f.before),
                (Some(excerpt::plain(&f.after)), f.after),
            )
        }
        // A moved clause reads the same on both sides: it is shown once.
        ChangeKind::Moved => (
            (None, Vec::new()),
            c.new
                .as_ref()
                .map_or((None, Vec::new()), |n| whole(&n.text, false)),
        ),
        _ => (
            c.old.as_ref().map_or((None, Vec::new()), |o| {
                whole(&o.text, c.kind == ChangeKind::Removed)
            }),
            c.new.as_ref().map_or((None, Vec::new()), |n| {
                whole(&n.text, c.kind == ChangeKind::Added)
            }),
        ),
    };
    ChangeNotice {
        kind: c.kind,
        label: c.clause().label.clone(),
        before,
        after,
        before_runs,
        after_runs,
    }
}

impl NoticeContext {
    /// Build the context of a notice from a report.
    pub fn new(report: &Report, opts: &ContextOptions<'_>) -> Result<NoticeContext, TemplateError> {
        let version = |v: &crate::report::VersionInfo| VersionRef {
            id: v.label(),
            date: v.date.as_ref().map(|d| d[..d.len().min(10)].to_owned()),
            // A release's date is its tag's; the front matter's only otherwise.
            effective: crate::policy::stated_effective(v)
                .map(|d| d.to_string())
                .or_else(|| v.effective.clone()),
            release: crate::policy::release_day(v).is_some(),
        };
        let old = version(&report.old);
        let mut new = version(&report.new);
        if let Some(e) = opts.effective_date {
            new.effective = Some(e.to_string());
        }
        let effective_date = new.effective.clone();
        let notice_days = opts.effective_date.map(|e| opts.notice_date.days_until(e));
        let triggers = report
            .triggers
            .iter()
            .map(|t| trigger_notice(t, report, opts))
            .collect::<Result<Vec<_>, _>>()?;
        let mut sections: Vec<SectionNotice> = Vec::new();
        // Users see what changes for them: no editorial change, no front
        // matter, no edit they would not call a change, unless a trigger
        // cites it.
        let cited: std::collections::HashSet<&str> = report
            .triggers
            .iter()
            .flat_map(|t| t.evidence.iter())
            .filter_map(|e| e.change.as_deref())
            .collect();
        let shown = report.changes.iter().filter(|c| {
            c.kind != ChangeKind::Editorial
                && c.clause().kind != ClauseKind::Meta
                && (cited.contains(c.id.as_str())
                    || !(c.kind == ChangeKind::Modified
                        && (!c.has_word_edits() || excerpt::is_trivial(&c.inline))))
        });
        // Past the cap, the changes a trigger cites are kept first, then
        // added, removed and modified clauses, then moves; listed in reading
        // order.
        let shown: Vec<&crate::report::Change> = shown.collect();
        // What users are told about, not the Report's counts of every edit.
        let mut counts = Counts::default();
        for c in &shown {
            match c.kind {
                ChangeKind::Added => counts.added += 1,
                ChangeKind::Removed => counts.removed += 1,
                ChangeKind::Modified => counts.modified += 1,
                ChangeKind::Moved => counts.moved += 1,
                ChangeKind::Editorial => {}
            }
        }
        let mut ranked: Vec<(usize, &crate::report::Change)> =
            shown.iter().copied().enumerate().collect();
        ranked.sort_by_key(|(i, c)| {
            let rank = if cited.contains(c.id.as_str()) {
                0
            } else if c.kind == ChangeKind::Moved {
                2
            } else {
                1
            };
            (rank, *i)
        });
        let mut keep: Vec<usize> = ranked
            .iter()
            .take(opts.max_changes)
            .map(|(i, _)| *i)
            .collect();
        keep.sort_unstable();
        let more = shown.len() - keep.len();
        for c in keep.into_iter().map(|i| shown[i]) {
            let clause = c.clause();
            let title = super::shorten(
                &clause
                    .section
                    .last()
                    .cloned()
                    .or_else(|| report.new.title.clone())
                    .unwrap_or_default(),
                70,
            );
            let change = change_notice(c);
            match sections.last_mut() {
                Some(s) if s.title == title => s.changes.push(change),
                _ => sections.push(SectionNotice {
                    title,
                    changes: vec![change],
                }),
            }
        }
        // Only releases have pages in the archive (`policydiff site`).
        let page =
            |v: &crate::report::VersionInfo| crate::policy::release_day(v).map(|d| d.to_string());
        let links = match opts.base_url {
            Some(base) => {
                let base = base.trim_end_matches('/');
                let (old_page, new_page) = (page(&report.old), page(&report.new));
                Links {
                    archive: Some(format!("{base}/")),
                    policy: new_page
                        .as_deref()
                        .map(|e| format!("{base}/{}", version_page(e))),
                    previous: old_page
                        .as_deref()
                        .map(|e| format!("{base}/{}", version_page(e))),
                    redline: match (&old_page, &new_page) {
                        (Some(o), Some(n)) => Some(format!("{base}/{}", redline_page(o, n))),
                        _ => None,
                    },
                }
            }
            None => Links::default(),
        };
        let classification = report.classification.unwrap_or(Classification::None);
        Ok(NoticeContext {
            schema_version: CONTEXT_VERSION,
            kind: opts.kind,
            locale: opts.locale.as_str().to_owned(),
            policy: PolicyInfo {
                name: report.policy.clone(),
                title: notice_title(report, opts),
            },
            old,
            new,
            effective_date,
            notice_date: opts.notice_date.to_string(),
            notice_days,
            major: classification == Classification::Major,
            classification: classification.as_str().to_owned(),
            triggers,
            sections,
            more,
            counts,
            links,
            recipient: None,
            notes: Vec::new(),
        })
    }

    /// Make this notice as prominent as the release reads in every language
    /// ([`crate::pipeline::Agreement`]): the most prominent classification,
    /// and every trigger fired in some language. A trigger fired only in
    /// another language is told in this one's words: its wording from this
    /// language's own list of major changes (`report`, the Report the
    /// context was built from), its sentence from the `what-changes`
    /// template without evidence, so nothing is quoted from the other text.
    /// The disagreements become `notes`.
    pub fn agree(
        &mut self,
        report: &Report,
        agreement: &crate::pipeline::Agreement,
        opts: &ContextOptions<'_>,
    ) -> Result<(), TemplateError> {
        let own = report.classification.unwrap_or(Classification::None);
        let class = agreement.classification.unwrap_or(Classification::None);
        if class > own {
            self.classification = class.as_str().to_owned();
            self.major = class == Classification::Major;
        }
        for id in &agreement.triggers {
            if self.triggers.iter().any(|t| &t.id == id) {
                continue;
            }
            let listed = report
                .trigger_list
                .as_ref()
                .and_then(|l| l.items.iter().find(|i| &i.id == id));
            let fired = crate::report::FiredTrigger {
                id: id.clone(),
                wording: listed.map(|i| i.wording.clone()).unwrap_or_default(),
                source: listed.map_or(crate::classify::TriggerSource::Policy, |i| i.source),
                label: listed.and_then(|i| i.label.clone()),
                evidence: Vec::new(),
            };
            self.triggers.push(trigger_notice(&fired, report, opts)?);
        }
        self.notes.extend(agreement.disagreements.iter().cloned());
        Ok(())
    }
}

fn dedup(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&i)) {
            out.push(i);
        }
    }
    // Chinese terms nest (位置 in 地理位置, 位置信息 in 地理位置信息): listing
    // both reads as a repetition, so the longer one stands for the shorter.
    let nested = |a: &String, b: &String| {
        let stem = a.trim_end_matches("信息");
        a != b && has_cjk(a) && !stem.is_empty() && b.contains(stem)
    };
    let all = out.clone();
    out.retain(|a| !all.iter().any(|b| nested(a, b)));
    out
}

/// The policy's title in the notice's language: the configured one, else
/// the document's when it is written in that language, else a plain name.
/// A Chinese notice never titles the policy 《Privacy Policy》.
fn notice_title(report: &Report, opts: &ContextOptions<'_>) -> String {
    if let Some(t) = opts.title {
        return t.to_owned();
    }
    let cjk = |t: &str| t.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    report
        .new
        .title
        .clone()
        .or_else(|| report.old.title.clone())
        .filter(|t| cjk(t) == opts.locale.is_chinese())
        .unwrap_or_else(|| {
            if opts.locale.is_chinese() {
                "隐私政策".into()
            } else {
                "Privacy Policy".into()
            }
        })
}

/// Words of a signal's matches: those that arrived, those that left.
fn split_matched(e: &crate::report::Evidence) -> (Vec<String>, Vec<String>) {
    use crate::report::Matched;
    let (mut added, mut removed) = (Vec::new(), Vec::new());
    for m in e.matched_words() {
        match m {
            Matched::Added(w) => added.push(w.to_owned()),
            Matched::Removed(w) => removed.push(w.to_owned()),
        }
    }
    (dedup(added.into_iter()), dedup(removed.into_iter()))
}

/// The words a change inserted (or the clause it added), and those it
/// deleted, shortened for a quote.
fn quotes(change: Option<&crate::report::Change>) -> (Option<String>, Option<String>) {
    const QUOTE: usize = 100;
    let Some(c) = change else {
        return (None, None);
    };
    let runs = |tag: crate::diff::InlineTag| {
        let text = c
            .inline
            .iter()
            .filter(|o| o.op == tag)
            .map(|o| o.text.trim())
            .filter(|t| t.chars().any(char::is_alphanumeric))
            .collect::<Vec<_>>()
            .join(" … ");
        // A quote starts and ends on words, not on the list punctuation
        // or the joining word the diff cut it at.
        let text = text
            .trim_matches(|c: char| c.is_whitespace() || ",;，；、".contains(c))
            .to_owned();
        (!text.is_empty()).then(|| super::shorten(&text, QUOTE))
    };
    match c.kind {
        ChangeKind::Added => (c.new.as_ref().map(|n| super::shorten(&n.text, QUOTE)), None),
        ChangeKind::Removed => (None, c.old.as_ref().map(|o| super::shorten(&o.text, QUOTE))),
        // Chinese has no spaces to cut a quote at: inserted characters
        // alone read as a fragment (“及与……合作伙伴以”), so a Chinese
        // clause is quoted whole.
        _ if c.new.as_ref().is_some_and(|n| has_cjk(&n.text)) => (
            runs(crate::diff::InlineTag::Insert).and(c.new.as_ref().map(|n| whole_cjk(&n.text))),
            runs(crate::diff::InlineTag::Delete).and(c.old.as_ref().map(|o| whole_cjk(&o.text))),
        ),
        _ => (
            runs(crate::diff::InlineTag::Insert),
            runs(crate::diff::InlineTag::Delete),
        ),
    }
}

/// A whole Chinese clause as a quote: shortened, without the colon that
/// introduces its list (the quote ends the sentence).
fn whole_cjk(text: &str) -> String {
    super::shorten(text.trim_end().trim_end_matches(['：', ':']), 100)
}

/// Whether a text has CJK ideographs.
fn has_cjk(text: &str) -> bool {
    text.chars().any(crate::document::is_cjk)
}

/// A fired trigger as users read it: one plain-language sentence, written by
/// the `what-changes` template of the locale from the evidence.
fn trigger_notice(
    t: &crate::report::FiredTrigger,
    report: &Report,
    opts: &ContextOptions<'_>,
) -> Result<TriggerNotice, TemplateError> {
    let evidence: Vec<EvidenceNotice> = t
        .evidence
        .iter()
        .map(|e| {
            let (added, removed) = split_matched(e);
            let change = e
                .change
                .as_deref()
                .and_then(|id| report.changes.iter().find(|c| c.id == id));
            let (quote, quote_old) = quotes(change);
            EvidenceNotice {
                signal: e.signal.clone(),
                added,
                removed,
                quote,
                quote_old,
            }
        })
        .collect();
    let words = dedup(evidence.iter().flat_map(|e| e.added.iter().cloned()));
    let mut notice = TriggerNotice {
        id: t.id.clone(),
        wording: t.wording.clone(),
        label: t.label.clone(),
        summary: String::new(),
        words,
        details: t.evidence.iter().map(|e| e.summary.clone()).collect(),
        evidence,
    };
    // Evidence of one kind merged, keyed by what the detector saw.
    let mut signals: BTreeMap<&str, EvidenceNotice> = BTreeMap::new();
    for e in &notice.evidence {
        let m = signals.entry(&e.signal).or_default();
        m.signal = e.signal.clone();
        m.added = dedup(m.added.drain(..).chain(e.added.iter().cloned()));
        m.removed = dedup(m.removed.drain(..).chain(e.removed.iter().cloned()));
        m.quote = m.quote.take().or_else(|| e.quote.clone());
        m.quote_old = m.quote_old.take().or_else(|| e.quote_old.clone());
    }
    let value = minijinja::context! {
        id => &notice.id,
        wording => &notice.wording,
        label => &notice.label,
        quote => notice.evidence.iter().find_map(|e| e.quote.clone()),
        signals => minijinja::Value::from(minijinja::value::Serde(&signals)),
    };
    let sentence =
        opts.templates
            .render_value("what-changes", "txt", opts.locale.as_str(), &value)?;
    // One sentence, on one line, whatever the template's layout.
    notice.summary = sentence.split_whitespace().collect::<Vec<_>>().join(" ");
    if opts.locale.is_chinese() {
        notice.summary = join_cjk(&notice.summary);
    }
    Ok(notice)
}

/// Chinese text joined back after white space was collapsed: no space
/// between two CJK characters (a template's line breaks leave one).
fn join_cjk(s: &str) -> String {
    let cjk =
        |c: char| ('\u{2e80}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c);
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len());
    for (i, &c) in chars.iter().enumerate() {
        if c == ' ' && i > 0 && i + 1 < chars.len() && cjk(chars[i - 1]) && cjk(chars[i + 1]) {
            continue;
        }
        out.push(c);
    }
    out
}

/// A context as a template value.
pub fn context_value(ctx: &NoticeContext) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(ctx))
}

/// A context value with one recipient's fields as `recipient` (the base is
/// shared, not copied).
pub fn with_recipient(
    base: &minijinja::Value,
    fields: &BTreeMap<String, String>,
) -> minijinja::Value {
    minijinja::context! { recipient => minijinja::Value::from(minijinja::value::Serde(fields)), ..base.clone() }
}

/// The update email of one notice, rendered per recipient: each locale's
/// context is converted to a template value once, and a recipient only adds
/// their fields on top (this bounds `send`'s throughput).
pub struct EmailRenderer<'t> {
    templates: &'t Templates,
    values: BTreeMap<Locale, minijinja::Value>,
    default: Locale,
}

/// One recipient's email: subject line, text and HTML.
#[derive(Debug, Clone)]
pub struct RenderedEmail {
    /// The subject's first line.
    pub subject: String,
    /// Plain text.
    pub text: String,
    /// HTML.
    pub html: String,
}

impl<'t> EmailRenderer<'t> {
    /// From the email contexts of every locale; `default` serves recipients
    /// whose `locale` names none of them.
    pub fn new(templates: &'t Templates, contexts: &[NoticeContext], default: Locale) -> Self {
        let values = contexts
            .iter()
            .filter_map(|c| Some((c.locale.parse().ok()?, context_value(c))))
            .collect();
        EmailRenderer {
            templates,
            values,
            default,
        }
    }

    /// The email for a recipient with these fields (`locale`, `name` …).
    pub fn render(
        &self,
        locale: Option<&str>,
        fields: &BTreeMap<String, String>,
    ) -> Result<RenderedEmail, TemplateError> {
        let locale = locale
            .and_then(|l| l.parse::<Locale>().ok())
            .filter(|l| self.values.contains_key(l))
            .unwrap_or(self.default);
        let Some(base) = self.values.get(&locale) else {
            return Err(TemplateError {
                location: "email".into(),
                message: format!("no email context for {locale}"),
            });
        };
        let value = with_recipient(base, fields);
        let part =
            |p: &str, ext: &str| self.templates.render_value(p, ext, locale.as_str(), &value);
        Ok(RenderedEmail {
            subject: part("email-subject", "txt")?
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned(),
            text: part("email", "txt")?,
            html: part("email", "html")?,
        })
    }
}
