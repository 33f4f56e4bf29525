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

use super::site::{redline_page, version_page};
use crate::classify::Classification;
use crate::diff::ChangeKind;
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
    /// Substantive changes grouped by section, in reading order.
    pub sections: Vec<SectionNotice>,
    /// Counts of substantive changes.
    pub counts: Counts,
    /// Where to read the new and previous versions and the redline.
    pub links: Links,
    /// For emails, the recipient's fields (`email`, `name`, `locale` and any
    /// other column of the recipient list); null for other kinds.
    pub recipient: Option<BTreeMap<String, String>>,
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
    /// Effective date from the text's front matter or release tag.
    pub effective: Option<String>,
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
    /// Excerpt of the old text.
    pub before: Option<String>,
    /// Excerpt of the new text.
    pub after: Option<String>,
}

/// Counts for a notice.
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
#[derive(Debug, Clone)]
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
}

/// The longest excerpt, in characters.
const EXCERPT: usize = 240;

fn excerpt(text: &str) -> String {
    super::shorten(text, EXCERPT)
}

impl NoticeContext {
    /// Build the context of a notice from a report.
    pub fn new(report: &Report, opts: &ContextOptions<'_>) -> NoticeContext {
        let zh = opts.locale.is_chinese();
        let version = |v: &crate::report::VersionInfo| VersionRef {
            id: v.label(),
            date: v.date.as_ref().map(|d| d[..d.len().min(10)].to_owned()),
            effective: v.effective.clone().or_else(|| {
                v.tag
                    .as_deref()
                    .and_then(|t| t.rsplit('/').next())
                    .map(str::to_owned)
            }),
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
            .map(|t| {
                let words: Vec<String> = dedup(
                    t.evidence
                        .iter()
                        .flat_map(|e| e.matched.iter())
                        .filter(|m| !m.starts_with('-') && !m.starts_with("--"))
                        .map(|m| m.trim_start_matches('+').to_owned()),
                );
                TriggerNotice {
                    id: t.id.clone(),
                    wording: t.wording.clone(),
                    label: t.label.clone(),
                    summary: plain_summary(&t.id, &t.wording, &words, zh),
                    words,
                    details: t.evidence.iter().map(|e| e.summary.clone()).collect(),
                }
            })
            .collect();
        let mut sections: Vec<SectionNotice> = Vec::new();
        // Counted once, by the Report.
        let counts = Counts {
            added: report.stats.added,
            removed: report.stats.removed,
            modified: report.stats.modified,
            moved: report.stats.moved,
        };
        for c in report
            .changes
            .iter()
            .filter(|c| c.kind != ChangeKind::Editorial)
        {
            let clause = c.clause();
            let title = clause
                .section
                .last()
                .cloned()
                .or_else(|| report.new.title.clone())
                .unwrap_or_default();
            let change = ChangeNotice {
                kind: c.kind,
                label: clause.label.clone(),
                before: c.old.as_ref().map(|o| excerpt(&o.text)),
                after: c.new.as_ref().map(|n| excerpt(&n.text)),
            };
            match sections.last_mut() {
                Some(s) if s.title == title => s.changes.push(change),
                _ => sections.push(SectionNotice {
                    title,
                    changes: vec![change],
                }),
            }
        }
        let links = match opts.base_url {
            Some(base) => {
                let base = base.trim_end_matches('/');
                Links {
                    archive: Some(format!("{base}/")),
                    policy: new
                        .effective
                        .as_deref()
                        .map(|e| format!("{base}/{}", version_page(e))),
                    previous: old
                        .effective
                        .as_deref()
                        .map(|e| format!("{base}/{}", version_page(e))),
                    redline: match (&old.effective, &new.effective) {
                        (Some(o), Some(n)) => Some(format!("{base}/{}", redline_page(o, n))),
                        _ => None,
                    },
                }
            }
            None => Links::default(),
        };
        let classification = report.classification.unwrap_or(Classification::None);
        NoticeContext {
            schema_version: CONTEXT_VERSION,
            kind: opts.kind,
            locale: opts.locale.as_str().to_owned(),
            policy: PolicyInfo {
                name: report.policy.clone(),
                title: report
                    .new
                    .title
                    .clone()
                    .or_else(|| report.old.title.clone())
                    .unwrap_or_else(|| {
                        if zh {
                            "隐私政策".into()
                        } else {
                            "Privacy Policy".into()
                        }
                    }),
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
            counts,
            links,
            recipient: None,
        }
    }
}

fn dedup(items: impl Iterator<Item = String>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for i in items {
        if !out.iter().any(|o| o.eq_ignore_ascii_case(&i)) {
            out.push(i);
        }
    }
    out
}

/// One sentence a user understands, per trigger.
fn plain_summary(id: &str, wording: &str, words: &[String], zh: bool) -> String {
    let list = if zh {
        words.join("、")
    } else {
        words.join(", ")
    };
    let with = |en: &str, cn: &str| -> String {
        match (zh, list.is_empty()) {
            (false, true) => format!("{en}."),
            (false, false) => format!("{en} ({list})."),
            (true, true) => format!("{cn}。"),
            (true, false) => format!("{cn}（{list}）。"),
        }
    };
    match id {
        "processing" => with(
            "How we use your personal information changes",
            "我们处理您个人信息的方式发生变化",
        ),
        "ownership" => with(
            "The company responsible for your personal information changes",
            "负责处理您个人信息的主体发生变化",
        ),
        "recipients" => with(
            "Who we share your personal information with changes",
            "我们共享、转让或公开披露您个人信息的对象发生变化",
        ),
        "rights" => with(
            "Your rights over your personal information, or how you exercise them, change",
            "您的个人信息权利或其行使方式发生变化",
        ),
        "contact" => with(
            "How to contact us about your personal information changes",
            "联系我们的方式或投诉渠道发生变化",
        ),
        "high-risk" => with(
            "A security impact assessment found a high risk",
            "个人信息安全影响评估发现存在高风险",
        ),
        "triggers" => with(
            "What we count as a major change has been revised",
            "本政策对重大变化的界定已调整",
        ),
        _ => with(
            wording.trim_end_matches(['.', ';', '。', '；']),
            wording.trim_end_matches(['.', ';', '。', '；']),
        ),
    }
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
