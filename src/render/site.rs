//! The public archive of previous versions, as a self-contained static site:
//! an index of releases, a page per version, a redline per consecutive pair,
//! and an Atom feed. No external assets; readable on a phone and in print.
//!
//! The renderer returns pages as (path, contents); the command writes them.

use atom_syndication::{Category, Entry, Feed, FixedDateTime, Link, Person, Text};
use comrak::{Options, markdown_to_html};
use html_escape::encode_text as esc;
use serde::Serialize;

use super::html::render_page;
use super::notice::{ContextOptions, NoticeContext, NoticeKind};
use super::templates::{TemplateError, Templates};
use crate::classify::Classification;
use crate::diff::ChangeKind;
use crate::document::ClauseKind;
use crate::policy::{Day, Locale};
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
    /// Who publishes the policy: the feed's and every entry's `<author>`
    /// (RFC 4287 requires one).
    pub publisher: &'a str,
    /// Today: a release effective after it is marked upcoming on the index.
    /// A field so that tests can fix it.
    pub today: Day,
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

/// What a release means for its readers, as plain sentences in the site's
/// language. A change that fires triggers gets one sentence per trigger,
/// written by the `what-changes` templates from the evidence (the notices'
/// "What changes for you"); any other change one sentence on the kind of
/// edits made and that nothing changes for the reader; the first release
/// says so.
pub fn plain_sentences(
    release: &SiteRelease,
    lang: &str,
    today: Day,
    templates: &Templates,
) -> Result<Vec<String>, TemplateError> {
    let z = zh(lang);
    let Some(report) = &release.report else {
        return Ok(vec![if z {
            "首次发布。".into()
        } else {
            "First published version.".into()
        }]);
    };
    let class = report.classification.unwrap_or(Classification::None);
    if !report.triggers.is_empty() {
        let ctx = NoticeContext::new(
            report,
            &ContextOptions {
                kind: NoticeKind::Changelog,
                locale: if z { Locale::ZhCn } else { Locale::En },
                effective_date: release.effective.parse().ok(),
                notice_date: today,
                base_url: None,
                // Only the trigger sentences are read: no excerpts needed.
                max_changes: 0,
                templates,
                title: None,
            },
        )?;
        let sentences: Vec<String> = ctx
            .triggers
            .into_iter()
            .map(|t| t.summary)
            .filter(|s| !s.trim().is_empty())
            .collect();
        if !sentences.is_empty() {
            return Ok(sentences);
        }
    }
    if class == Classification::Major {
        // A major change with no sentence (an override left them empty).
        return Ok(vec![if z {
            "本次修订是政策所定义的重大变化，请查看修订对照了解详情。".into()
        } else {
            "This is a major change as the policy defines one: see what changed for the details."
                .into()
        }]);
    }
    Ok(vec![edits_sentence(report, class, z)])
}

/// One sentence on the kind of edits a minor or editorial release made, and
/// that nothing changes for the reader. Front matter and metadata are not
/// counted: readers do not see them as clauses.
fn edits_sentence(report: &Report, class: Classification, z: bool) -> String {
    let mut n = [0usize; 4]; // modified, added, removed, moved
    for c in &report.changes {
        if c.clause().kind == ClauseKind::Meta {
            continue;
        }
        match c.kind {
            ChangeKind::Modified => n[0] += 1,
            ChangeKind::Added => n[1] += 1,
            ChangeKind::Removed => n[2] += 1,
            ChangeKind::Moved => n[3] += 1,
            ChangeKind::Editorial => {}
        }
    }
    let substantive = class == Classification::Minor && n.iter().any(|&k| k > 0);
    if z {
        if !substantive {
            return "仅调整了文字、标点或格式，政策内容没有变化，对您没有影响。".into();
        }
        let parts: Vec<String> = n
            .iter()
            .zip([
                "修改了 {} 处条款",
                "新增了 {} 处条款",
                "删除了 {} 处条款",
                "调整了 {} 处条款的位置",
            ])
            .filter(|(k, _)| **k > 0)
            .map(|(k, v)| v.replace("{}", &k.to_string()))
            .collect();
        return format!(
            "我们{}；这些修改不影响我们处理您个人信息的方式，也不影响您的权利。",
            parts.join("、")
        );
    }
    if !substantive {
        return "Editorial edits only (wording, punctuation or formatting); the substance of the policy has not changed and nothing changes for you.".into();
    }
    let verbs = ["reworded", "added", "removed", "moved"];
    let parts: Vec<String> = n
        .iter()
        .zip(verbs)
        .filter(|(k, _)| **k > 0)
        .enumerate()
        .map(|(i, (k, v))| {
            // "We reworded 2 clauses, added 1 and moved 1".
            if i > 0 {
                format!("{v} {k}")
            } else if *k == 1 {
                format!("{v} 1 clause")
            } else {
                format!("{v} {k} clauses")
            }
        })
        .collect();
    let list = match parts.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} and {last}", rest.join(", ")),
        _ => parts.concat(),
    };
    format!(
        "Minor edits: we {list}; none of them changes how we handle your personal information or your rights."
    )
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
    /// `sentences` joined: one paragraph.
    summary: String,
    /// What the release means for readers, in plain sentences.
    sentences: Vec<String>,
    /// Effective after today: announced, not yet in force.
    upcoming: bool,
    version_page: String,
    redline_page: Option<String>,
}

/// Sentences joined into one paragraph: with a space in English, directly
/// in Chinese (its full stops need none).
fn join_sentences(sentences: &[String], lang: &str) -> String {
    sentences.join(if zh(lang) { "" } else { " " })
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
    build_in(info, releases, templates, &Switch::default())
}

/// One language of an archive published in several: its site and where
/// it lives.
pub struct SiteLanguage<'a> {
    /// What this language's site is about (its title, `lang`, and its own
    /// base URL: the feed's links are absolute).
    pub info: SiteInfo<'a>,
    /// Its releases, oldest first.
    pub releases: &'a [SiteRelease],
    /// Its folder under the archive's root, ending in `/` (`zh-CN/`), or
    /// empty for the language at the root (the original: the addresses
    /// notices and earlier sites link to stay as they were).
    pub dir: String,
}

/// The archive in several languages: each language's site (index, version
/// pages, redlines, Atom feed) in its folder, every page with a switch to
/// the same page in the other languages (where that page exists: a
/// translation may start later), `hreflang` alternates and `lang`
/// attributes.
pub fn build_languages(
    languages: &[SiteLanguage<'_>],
    templates: &Templates,
) -> Result<Vec<(String, String)>, TemplateError> {
    let pages: Vec<std::collections::HashSet<String>> =
        languages.iter().map(|l| pages_of(l.releases)).collect();
    let mut files = Vec::new();
    for (k, l) in languages.iter().enumerate() {
        let switch = Switch {
            dir: l.dir.clone(),
            others: languages
                .iter()
                .zip(&pages)
                .enumerate()
                .filter(|(j, _)| *j != k)
                .map(|(_, (o, p))| (o.info.lang.to_owned(), o.dir.clone(), p.clone()))
                .collect(),
        };
        for (path, text) in build_in(&l.info, l.releases, templates, &switch)? {
            files.push((format!("{}{path}", l.dir), text));
        }
    }
    Ok(files)
}

/// The pages a language's site has (index, versions, redlines).
fn pages_of(releases: &[SiteRelease]) -> std::collections::HashSet<String> {
    let mut pages: std::collections::HashSet<String> = releases
        .iter()
        .map(|r| version_page(&r.effective))
        .collect();
    pages.insert("index.html".to_owned());
    for pair in releases.windows(2) {
        pages.insert(redline_page(&pair[0].effective, &pair[1].effective));
    }
    pages
}

/// Where a language's pages are, and which pages the other languages have.
#[derive(Default)]
struct Switch {
    /// This language's folder (empty or ending in `/`).
    dir: String,
    /// The other languages: `lang`, folder, pages.
    others: Vec<(String, String, std::collections::HashSet<String>)>,
}

/// A link to the same page in another language.
#[derive(Serialize)]
struct Alternate {
    /// Its `lang` (`hreflang`).
    lang: String,
    /// The language's own name for itself.
    label: &'static str,
    /// Relative to the page linking.
    href: String,
}

impl Switch {
    /// The same page (`versions/…`, relative to a language's folder) in the
    /// other languages that have it.
    fn alternates(&self, page: &str) -> Vec<Alternate> {
        let up = "../".repeat(format!("{}{page}", self.dir).matches('/').count());
        self.others
            .iter()
            .filter(|(_, _, pages)| pages.contains(page))
            .map(|(lang, dir, _)| Alternate {
                lang: lang.clone(),
                label: language_name(lang),
                href: format!("{up}{dir}{page}"),
            })
            .collect()
    }
}

/// A language's name in itself, for the switch.
fn language_name(lang: &str) -> &'static str {
    if zh(lang) { "简体中文" } else { "English" }
}

fn build_in(
    info: &SiteInfo<'_>,
    releases: &[SiteRelease],
    templates: &Templates,
    switch: &Switch,
) -> Result<Vec<(String, String)>, TemplateError> {
    let locale = if zh(info.lang) {
        Locale::ZhCn
    } else {
        Locale::En
    };
    let mut files = Vec::with_capacity(releases.len() * 2 + 2);
    let mut views: Vec<ReleaseView<'_>> = Vec::with_capacity(releases.len());
    for (n, r) in releases.iter().enumerate() {
        let (class, _) = one_line(r, info.lang);
        let sentences = plain_sentences(r, info.lang, info.today, templates)?;
        views.push(ReleaseView {
            effective: &r.effective,
            tag: &r.tag,
            class: class.as_str(),
            summary: join_sentences(&sentences, info.lang),
            sentences,
            // An effective date that does not parse is never upcoming.
            upcoming: r.effective.parse::<Day>().is_ok_and(|day| day > info.today),
            version_page: version_page(&r.effective),
            redline_page: n
                .checked_sub(1)
                .map(|p| redline_page(&releases[p].effective, &r.effective)),
        });
    }
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
                today => info.today.to_string(),
                alternates => minijinja::Value::from(minijinja::value::Serde(switch.alternates("index.html"))),
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
                    alternates => minijinja::Value::from(minijinja::value::Serde(switch.alternates(&version_page(&r.effective)))),
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
            let page = redline_page(&prev.effective, &r.effective);
            // The redline's own renderer has a nav, not the layout: the
            // switch is one more link in it.
            let alternates = switch.alternates(&page);
            let back: Vec<(&str, &str)> = back
                .iter()
                .map(|(l, h)| (*l, h.as_str()))
                .chain(alternates.iter().map(|a| (a.label, a.href.as_str())))
                .collect();
            files.push((page, render_page(report, &back, Some(info.lang))));
        }
    }
    files.push(("feed.xml".to_owned(), feed(info, releases, &views)));
    Ok(files)
}

/// Atom feed (RFC 4287): one entry per release, newest first, each with
/// its author (the publisher), its plain-language summary, its class as a
/// category, and links to its version page (`alternate`) and, but for the
/// first, its redline (`related`).
fn feed(info: &SiteInfo<'_>, releases: &[SiteRelease], views: &[ReleaseView<'_>]) -> String {
    let z = zh(info.lang);
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
    let author = Person {
        name: info.publisher.to_owned(),
        email: None,
        uri: base.as_ref().map(|b| format!("{b}/")),
        ..Person::default()
    };
    let link = |href: String, rel: &str, title: &str| {
        let mut l = Link::default();
        l.set_href(href);
        l.set_rel(rel);
        l.set_mime_type(Some("text/html".to_owned()));
        l.set_title(Some(title.to_owned()));
        l
    };
    let (read, changed) = if z {
        ("阅读此版本", "查看修订对照")
    } else {
        ("Read this version", "See what changed")
    };
    let mut entries = Vec::new();
    for (r, view) in releases.iter().zip(views).rev() {
        let mut entry = Entry::default();
        let label = match (z, view.class) {
            (false, "first") => "first version",
            (false, "major") => "major change",
            (false, "minor") => "minor change",
            (false, _) => "editorial change",
            (true, "first") => "首个版本",
            (true, "major") => "重大变化",
            (true, "minor") => "一般变化",
            (true, _) => "文字编辑调整",
        };
        entry.set_title(if z {
            format!("{}：{label}，{} 生效", info.title, r.effective)
        } else {
            format!("{}: {label}, effective {}", info.title, r.effective)
        });
        entry.set_id(id(&version_page(&r.effective)));
        entry.set_updated(parse(&r.date));
        entry.set_authors(vec![author.clone()]);
        let mut links = vec![link(url(&view.version_page), "alternate", read)];
        if let Some(redline) = &view.redline_page {
            links.push(link(url(redline), "related", changed));
        }
        entry.set_links(links);
        entry.set_categories(vec![Category {
            term: view.class.to_owned(),
            scheme: None,
            label: Some(label.to_owned()),
        }]);
        entry.set_summary(Some(Text::plain(view.summary.clone())));
        entries.push(entry);
    }
    let mut feed = Feed::default();
    feed.set_title(info.title);
    feed.set_id(id("feed.xml"));
    feed.set_updated(releases.last().map(|r| parse(&r.date)).unwrap_or_default());
    feed.set_lang(Some(info.lang.to_owned()));
    feed.set_authors(vec![author.clone()]);
    let mut self_link = Link::default();
    self_link.set_href(url("feed.xml"));
    self_link.set_rel("self");
    self_link.set_mime_type(Some("application/atom+xml".to_owned()));
    let mut links = vec![self_link];
    if base.is_some() {
        links.push(link(url(""), "alternate", info.title));
    }
    feed.set_links(links);
    feed.set_entries(entries);
    let mut xml = feed.to_string();
    xml.push('\n');
    xml
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::archive::{Origin, Version};
    use crate::pipeline::{Comparison, compare};

    const V1: &str = "# Privacy Policy\n\n## Collection\n\nWe collect your email address to send you receipts.\n\n## Contact\n\nWrite to us at the address below.\n";

    fn version(text: &str) -> Version {
        Version {
            spec: "p.md".into(),
            path: "p.md".into(),
            origin: Origin::File,
            text: text.into(),
            notes: Vec::new(),
        }
    }

    /// Releases of these texts, effective on these days, each compared
    /// with the one before.
    fn releases(texts: &[(&str, &str)]) -> Vec<SiteRelease> {
        let mut out: Vec<SiteRelease> = Vec::new();
        for (n, (effective, text)) in texts.iter().enumerate() {
            let report = n.checked_sub(1).map(|p| {
                compare(
                    &version(texts[p].1),
                    &version(text),
                    Some("p"),
                    &Comparison::default(),
                )
            });
            out.push(SiteRelease {
                tag: format!("p/{effective}"),
                effective: (*effective).into(),
                date: format!("{effective}T00:00:00Z"),
                text: (*text).into(),
                plain: false,
                report,
            });
        }
        out
    }

    fn info<'a>(lang: &'a str, today: &str) -> SiteInfo<'a> {
        SiteInfo {
            title: "Privacy Policy",
            lang,
            base_url: None,
            name: "p",
            publisher: "Example Corp",
            today: today.parse().expect("a day"),
        }
    }

    fn file<'f>(files: &'f [(String, String)], name: &str) -> &'f str {
        files
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, c)| c.as_str())
            .unwrap_or_else(|| panic!("no {name}"))
    }

    #[test]
    fn upcoming_is_relative_to_the_injected_today_in_both_locales() {
        let v2 = V1.replace("to send you receipts", "to send you receipts and invoices");
        let rs = releases(&[("2030-01-01", V1), ("2030-06-01", &v2)]);
        let templates = Templates::new(None);
        for lang in ["en", "zh-CN"] {
            for (today, upcoming) in [
                ("2029-12-31", vec!["2030-06-01", "2030-01-01"]),
                ("2030-03-01", vec!["2030-06-01"]),
                // In force on its effective date: no longer upcoming.
                ("2030-06-01", vec![]),
            ] {
                let files = build(&info(lang, today), &rs, &templates).expect("site");
                let index = file(&files, "index.html");
                let marked: Vec<&str> = index
                    .match_indices("\" class=\"upcoming\">")
                    .map(|(at, _)| {
                        let start = index[..at].rfind("<li id=\"").expect("item") + 8;
                        &index[start..at]
                    })
                    .collect();
                assert_eq!(marked, upcoming, "{lang}, today {today}");
                let page = file(&files, "versions/2030-06-01.html");
                assert_eq!(
                    page.contains("<span class=\"upcoming-label\">"),
                    !upcoming.is_empty(),
                    "{lang}, today {today}"
                );
            }
        }
    }

    #[test]
    fn minor_and_editorial_releases_say_what_kind_of_edits_and_that_nothing_changes() {
        let minor = V1.replace("to send you receipts", "to send you receipts and invoices");
        let editorial = minor.replace("Write to us", "write to us");
        let rs = releases(&[
            ("2030-01-01", V1),
            ("2030-02-01", &minor),
            ("2030-03-01", &editorial),
        ]);
        let classes: Vec<_> = rs
            .iter()
            .filter_map(|r| r.report.as_ref()?.classification)
            .collect();
        assert_eq!(
            classes,
            [Classification::Minor, Classification::None],
            "the fixture is not what it claims to be"
        );
        let templates = Templates::new(None);
        let today: Day = "2030-06-01".parse().expect("a day");
        let said = |r: &SiteRelease, lang: &str| {
            plain_sentences(r, lang, today, &templates).expect("sentences")
        };
        assert_eq!(
            said(&rs[1], "en"),
            [
                "Minor edits: we reworded 1 clause; none of them changes how we handle your personal information or your rights."
            ]
        );
        assert_eq!(
            said(&rs[1], "zh-CN"),
            ["我们修改了 1 处条款；这些修改不影响我们处理您个人信息的方式，也不影响您的权利。"]
        );
        assert_eq!(
            said(&rs[2], "en"),
            [
                "Editorial edits only (wording, punctuation or formatting); the substance of the policy has not changed and nothing changes for you."
            ]
        );
        assert_eq!(
            said(&rs[2], "zh-CN"),
            ["仅调整了文字、标点或格式，政策内容没有变化，对您没有影响。"]
        );
        assert_eq!(said(&rs[0], "en"), ["First published version."]);
    }

    #[test]
    fn feed_without_a_base_url_still_has_an_author_and_relative_links() {
        let v2 = V1.replace("to send you receipts", "to send you receipts and invoices");
        let rs = releases(&[("2030-01-01", V1), ("2030-06-01", &v2)]);
        let files = build(&info("en", "2030-07-01"), &rs, &Templates::new(None)).expect("site");
        let xml = file(&files, "feed.xml");
        // The feed's author and one per entry.
        assert_eq!(
            xml.matches("<author><name>Example Corp</name></author>")
                .count(),
            3,
            "{xml}"
        );
        assert!(
            xml.contains("<id>urn:policydiff:p:versions/2030-06-01.html</id>"),
            "{xml}"
        );
        assert!(
            xml.contains(r#"<link href="redline/2030-01-01_2030-06-01.html" rel="related""#),
            "{xml}"
        );
    }
}
