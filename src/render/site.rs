//! The public archive of previous versions, as a self-contained static site:
//! an index of releases, a page per version, a redline per consecutive pair,
//! and an Atom feed. No external assets; readable on a phone and in print.
//!
//! The renderer returns pages as (path, contents); the command writes them.

use atom_syndication::{Entry, Feed, FixedDateTime, Link, Text};
use comrak::{Options, markdown_to_html};
use html_escape::encode_text as esc;
use serde::Serialize;

use super::html::render_page;
use super::templates::{TemplateError, Templates};
use crate::classify::Classification;
use crate::policy::Locale;
use crate::report::Report;

/// One release in the archive.
pub struct SiteRelease {
    /// Release tag.
    pub tag: String,
    /// Effective date, `YYYY-MM-DD`.
    pub effective: String,
    /// Commit date of the release, RFC 3339.
    pub date: String,
    /// The policy text (Markdown or plain text).
    pub text: String,
    /// Whether `text` is plain text.
    pub plain: bool,
    /// The comparison with the previous release (none for the first).
    pub report: Option<Report>,
}

/// What the site is about.
pub struct SiteInfo<'a> {
    /// Title of the policy.
    pub title: &'a str,
    /// `lang` of the pages (`en`, `zh-CN`).
    pub lang: &'a str,
    /// Public base URL (for the feed's absolute links), if known.
    pub base_url: Option<&'a str>,
    /// Stable id of the feed when there is no base URL.
    pub name: &'a str,
}

fn zh(lang: &str) -> bool {
    lang.starts_with("zh")
}

/// What a release is, for its badge: the first, or a change of a class.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReleaseClass {
    /// The first release: nothing to compare with.
    First,
    /// A release classified against the one before.
    Changed(Classification),
}

impl ReleaseClass {
    /// `first`, `major`, `minor` or `none` (CSS class, feed and history).
    pub fn as_str(self) -> &'static str {
        match self {
            ReleaseClass::First => "first",
            ReleaseClass::Changed(c) => c.as_str(),
        }
    }
}

/// One line about a release: its class and what fired, or that it is the first.
pub fn one_line(release: &SiteRelease, lang: &str) -> (ReleaseClass, String) {
    let z = zh(lang);
    match &release.report {
        None => (
            ReleaseClass::First,
            if z {
                "首次发布。".into()
            } else {
                "First published version.".into()
            },
        ),
        Some(r) => {
            let class = r.classification.unwrap_or(Classification::None);
            let fired = r.fired_ids();
            let s = &r.stats;
            let n = s.added + s.removed + s.modified + s.moved;
            let clauses = if n == 1 {
                "1 clause changed".to_owned()
            } else {
                format!("{n} clauses changed")
            };
            let line = match (z, fired.is_empty()) {
                (false, false) => format!("Major change ({}); {clauses}.", fired.join(", ")),
                (false, true) if class == Classification::Minor => {
                    format!("Minor change; {clauses}.")
                }
                (false, true) => "Editorial changes only.".into(),
                (true, false) => format!("重大变化（{}）；{n} 处条款变化。", fired.join("、")),
                (true, true) if class == Classification::Minor => {
                    format!("一般变化；{n} 处条款变化。")
                }
                (true, true) => "仅文字编辑调整。".into(),
            };
            (ReleaseClass::Changed(class), line)
        }
    }
}

/// The change history file (`<policy>.history.md`): one table row per
/// release, newest first.
pub fn history(title: &str, lang: &str, releases: &[SiteRelease]) -> String {
    let mut md = if zh(lang) {
        format!(
            "# {title} 变更历史\n\n由 `policydiff history` 根据发布记录生成，请勿手工编辑。\n\n| 生效日期 | 发布标签 | 类别 | 摘要 |\n|---|---|---|---|\n"
        )
    } else {
        format!(
            "# {title} change history\n\nGenerated from the releases by `policydiff history`; do not edit by hand.\n\n| Effective | Release | Class | Summary |\n|---|---|---|---|\n"
        )
    };
    for r in releases.iter().rev() {
        let (class, line) = one_line(r, lang);
        md.push_str(&format!(
            "| {} | `{}` | {} | {} |\n",
            r.effective,
            r.tag,
            class.as_str(),
            line.replace('|', "\\|")
        ));
    }
    md
}

/// Site page of a version, relative to the archive root.
pub fn version_page(effective: &str) -> String {
    format!("versions/{effective}.html")
}

/// Site page of the redline between two versions.
pub fn redline_page(old_effective: &str, new_effective: &str) -> String {
    format!("redline/{old_effective}_{new_effective}.html")
}

/// A release as the index and version templates see it.
#[derive(Serialize)]
struct ReleaseView<'a> {
    effective: &'a str,
    tag: &'a str,
    /// `first`, `major`, `minor` or `none`.
    class: &'static str,
    summary: String,
    version_page: String,
    redline_page: Option<String>,
}

/// Render the whole site: `(relative path, contents)` for every file. The
/// index and version pages come from templates (`site-index`,
/// `site-version`, `site-layout`), which a repository may override like the
/// notices'; the redlines are the HTML redline.
pub fn build(
    info: &SiteInfo<'_>,
    releases: &[SiteRelease],
    templates: &Templates,
) -> Result<Vec<(String, String)>, TemplateError> {
    let locale = if zh(info.lang) {
        Locale::ZhCn
    } else {
        Locale::En
    };
    let mut files = Vec::with_capacity(releases.len() * 2 + 2);
    let views: Vec<ReleaseView<'_>> = releases
        .iter()
        .enumerate()
        .map(|(n, r)| {
            let (class, summary) = one_line(r, info.lang);
            ReleaseView {
                effective: &r.effective,
                tag: &r.tag,
                class: class.as_str(),
                summary,
                version_page: version_page(&r.effective),
                redline_page: n
                    .checked_sub(1)
                    .map(|p| redline_page(&releases[p].effective, &r.effective)),
            }
        })
        .collect();
    let render = |page: &str, ctx: minijinja::Value| {
        templates.render_value(page, "html", locale.as_str(), &ctx)
    };

    // Index, newest first.
    let newest_first: Vec<&ReleaseView<'_>> = views.iter().rev().collect();
    files.push((
        "index.html".to_owned(),
        render(
            "site-index",
            minijinja::context! {
                lang => info.lang,
                title => info.title,
                root => "",
                releases => minijinja::Value::from(minijinja::value::Serde(&newest_first)),
            },
        )?,
    ));

    // A page per version, a redline per consecutive pair.
    let mut options = Options::default();
    options.extension.front_matter_delimiter = Some("---".into());
    let labels = if locale.is_chinese() {
        ["全部版本", "旧版本", "新版本"]
    } else {
        ["All versions", "Old version", "New version"]
    };
    for (n, r) in releases.iter().enumerate() {
        let html: String = if r.plain {
            r.text
                .lines()
                .filter(|l| !l.trim().is_empty())
                .map(|l| format!("<p>{}</p>\n", esc(l)))
                .collect()
        } else {
            // comrak leaves raw HTML out and empties javascript: links.
            markdown_to_html(&r.text, &options)
        };
        files.push((
            version_page(&r.effective),
            render(
                "site-version",
                minijinja::context! {
                    lang => info.lang,
                    title => info.title,
                    root => "../",
                    release => minijinja::Value::from(minijinja::value::Serde(&views[n])),
                    // comrak's output, raw HTML left out: marked safe here, not in the template.
                    html => minijinja::Value::from_safe_string(html),
                    previous => minijinja::Value::from(minijinja::value::Serde(n.checked_sub(1).map(|p| &views[p]))),
                    next => minijinja::Value::from(minijinja::value::Serde(views.get(n + 1))),
                },
            )?,
        ));
        if let (Some(report), Some(prev)) = (&r.report, n.checked_sub(1).map(|p| &releases[p])) {
            let back = [
                (labels[0], "../index.html".to_owned()),
                (labels[1], format!("../{}", version_page(&prev.effective))),
                (labels[2], format!("../{}", version_page(&r.effective))),
            ];
            let back: Vec<(&str, &str)> = back.iter().map(|(l, h)| (*l, h.as_str())).collect();
            files.push((
                redline_page(&prev.effective, &r.effective),
                render_page(report, &back, Some(info.lang)),
            ));
        }
    }
    files.push(("feed.xml".to_owned(), feed(info, releases)));
    Ok(files)
}

/// Atom feed: one entry per release, newest first.
fn feed(info: &SiteInfo<'_>, releases: &[SiteRelease]) -> String {
    let base = info.base_url.map(|b| b.trim_end_matches('/').to_owned());
    let url = |rel: &str| match &base {
        Some(b) => format!("{b}/{rel}"),
        None => rel.to_owned(),
    };
    let id = |rel: &str| match &base {
        Some(b) => format!("{b}/{rel}"),
        None => format!("urn:policydiff:{}:{rel}", info.name),
    };
    let parse = |d: &str| FixedDateTime::parse_from_rfc3339(d).unwrap_or_default();
    let mut entries = Vec::new();
    for r in releases.iter().rev() {
        let (class, line) = one_line(r, info.lang);
        let mut entry = Entry::default();
        entry.set_title(format!(
            "{} — {} ({})",
            info.title,
            r.effective,
            class.as_str()
        ));
        entry.set_id(id(&version_page(&r.effective)));
        entry.set_updated(parse(&r.date));
        let mut link = Link::default();
        link.set_href(url(&version_page(&r.effective)));
        link.set_rel("alternate");
        entry.set_links(vec![link]);
        entry.set_summary(Some(Text::plain(line)));
        entries.push(entry);
    }
    let mut feed = Feed::default();
    feed.set_title(info.title);
    feed.set_id(id("feed.xml"));
    feed.set_updated(releases.last().map(|r| parse(&r.date)).unwrap_or_default());
    feed.set_lang(Some(info.lang.to_owned()));
    let mut self_link = Link::default();
    self_link.set_href(url("feed.xml"));
    self_link.set_rel("self");
    feed.set_links(vec![self_link]);
    feed.set_entries(entries);
    let mut xml = feed.to_string();
    xml.push('\n');
    xml
}
