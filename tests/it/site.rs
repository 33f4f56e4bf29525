//! End-to-end tests of `policydiff site`, the public archive of released
//! versions: the Atom feed as a feed reader parses it, every page checked as
//! text (lang, no external resources, policy markup never live), a Chinese
//! archive, and the site driven in a real headless Chromium
//! (`tests/browser/check-site.mjs`).
//!
//! Every test builds its own temporary git repository with fixed-date commits
//! and real `policydiff release` tags.

use crate::support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::time::Duration;

use regex::Regex;
use support::{POLICY, TestRepo, banners, bundled_draft, bundled_policy, run_ok};

/// Public URL of the English test site.
const BASE_URL: &str = "https://example.com/privacy";

/// The releases of the English test site, oldest first:
/// (effective date, notice date, commit date, expected badge class).
const RELEASES: [(&str, &str, &str, &str); 4] = [
    ("2025-07-09", "2025-05-10", "2025-07-01T10:00:00Z", "first"),
    ("2025-10-01", "2025-08-02", "2025-09-01T10:00:00Z", "minor"),
    ("2026-01-15", "2025-11-16", "2025-12-01T10:00:00Z", "major"),
    ("2026-04-01", "2026-01-31", "2026-03-01T10:00:00Z", "minor"),
];

/// The release whose text carries markup that must never become live.
const PROBE: &str = "2026-04-01";
/// Raw HTML in the policy: omitted or escaped, never run.
const SCRIPT: &str = "<script>window.__pwned = 1; alert(1)</script>";
/// A Markdown link with a `javascript:` URL: never an href.
const JS_LINK: &str = "[click](javascript:alert(2))";
/// Template syntax in the policy: shown as written, never evaluated.
const TEMPLATE_LINE: &str = "Template probe: {{ 7*7 }} end of probe.";

/// The minor edit between the first and second release.
const MINOR_OLD: &str = "Thank you for your use and trust in us. We will continue to be committed to providing you with safer and more reliable services.";
const MINOR_NEW: &str = "Thank you for choosing us. We will keep working to provide you with safer and more reliable services.";

/// Config of the Chinese archive.
const ZH_CONFIG: &str = "[[policy]]\nname = \"privacy-policy-zh\"\npath = \"policies/privacy-policy.zh-CN.md\"\ntitle = \"隐私政策\"\nlocale = \"zh-CN\"\n\n[notice]\npublisher = \"示例科技有限公司\"\n";
/// `[notice] publisher` of [`ZH_CONFIG`]: the Chinese feed's author.
const ZH_PUBLISHER: &str = "示例科技有限公司";
/// Effective date of the upcoming release: after any day these tests run.
const FAR_FUTURE: &str = "2099-09-01";
const ZH_POLICY: &str = "policies/privacy-policy.zh-CN.md";

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

/// A built site; the repository (and with it the site) is removed on drop.
struct Site {
    _repo: TestRepo,
    dir: PathBuf,
}

impl Site {
    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.dir.join(rel))
            .unwrap_or_else(|e| panic!("read {rel} of the site: {e}"))
    }
}

fn read_text(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The four policy texts of the English site, oldest first.
fn english_texts() -> [String; 4] {
    let v1 = read_text(&bundled_policy());
    let v2 = v1.replacen(MINOR_OLD, MINOR_NEW, 1);
    assert_ne!(
        v1, v2,
        "the bundled policy no longer has the sentence edited"
    );
    let v3 = read_text(&bundled_draft());
    let anchor = "## definition";
    assert!(v3.contains(anchor), "the bundled draft has no {anchor:?}");
    let v4 = v3.replacen(
        anchor,
        &format!("{SCRIPT}\n\nFor help, {JS_LINK} here.\n\n{TEMPLATE_LINE}\n\n{anchor}"),
        1,
    );
    [v1, v2, v3, v4]
}

/// Four releases of the bundled policy (first; a minor edit; the bundled
/// draft, a major change; the draft plus hostile markup), then `site`.
fn english_site() -> Site {
    let repo = TestRepo::new();
    for (n, text) in english_texts().iter().enumerate() {
        let (effective, notice, date, class) = RELEASES[n];
        repo.commit(&[(POLICY, text)], &format!("Policy v{}", n + 1), date);
        run_ok(
            repo.cmd()
                .args(["release", "--effective", effective, "--notice-date", notice]),
        );
        if n > 0 {
            // The fixture is what it claims to be.
            let msg = repo.tag_message(&format!("privacy-policy/{effective}"));
            assert!(
                msg.contains(&format!("Classification: {class}")),
                "release {effective} is not {class}:\n{msg}"
            );
        }
    }
    build_site(repo, Some(BASE_URL), 4)
}

/// Two releases of tests/fixtures/zh-policy.md under `locale = "zh-CN"`.
fn chinese_site() -> Site {
    let repo = TestRepo::without_config();
    repo.git(&["config", "user.name", "Test Author"]);
    repo.git(&["config", "user.email", "author@example.com"]);
    let v1 = read_text(&support::manifest_path("tests/fixtures/zh-policy.md"));
    let v2 = v1.replacen("最长不超过六个月", "最长不超过十二个月", 1);
    assert_ne!(v1, v2, "zh-policy.md no longer has the sentence edited");
    repo.commit(
        &[("policydiff.toml", ZH_CONFIG), (ZH_POLICY, &v1)],
        "政策 v1",
        "2025-02-20T10:00:00Z",
    );
    run_ok(repo.cmd().args(["release", "--effective", "2025-03-01"]));
    repo.commit(&[(ZH_POLICY, &v2)], "政策 v2", "2025-06-01T10:00:00Z");
    run_ok(repo.cmd().args([
        "release",
        "--effective",
        "2025-09-01",
        "--notice-date",
        "2025-07-01",
    ]));
    build_site(repo, Some("https://example.cn/privacy/"), 2)
}

/// Run `policydiff site` into `<tempdir>/site` (beside the work tree).
fn build_site(repo: TestRepo, base_url: Option<&str>, releases: usize) -> Site {
    let dir = repo
        .path()
        .parent()
        .expect("work tree has a parent")
        .join("site");
    let mut cmd = repo.cmd();
    cmd.arg("site").arg("--out").arg(&dir);
    if let Some(url) = base_url {
        cmd.args(["--base-url", url]);
    }
    let out = run_ok(&mut cmd);
    assert!(
        out.contains(&format!("for {releases} releases")),
        "unexpected summary: {out}"
    );
    Site { _repo: repo, dir }
}

/// Every file under `dir`, as `/`-separated relative paths, sorted.
fn files_under(dir: &Path) -> Vec<String> {
    fn walk(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                walk(root, &path, out);
            } else {
                let rel = path.strip_prefix(root).expect("under root");
                let parts: Vec<String> = rel
                    .components()
                    .map(|c| c.as_os_str().to_string_lossy().into_owned())
                    .collect();
                out.push(parts.join("/"));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out);
    out.sort();
    out
}

fn html_files(site: &Site) -> Vec<String> {
    files_under(&site.dir)
        .into_iter()
        .filter(|f| f.ends_with(".html"))
        .collect()
}

fn re(pattern: &str) -> Regex {
    Regex::new(pattern).expect("valid regex")
}

/// Every URL-valued attribute (`href`, `src`, `action`, …) of a page, with
/// character references decoded.
fn url_attributes(html: &str) -> Vec<(String, String)> {
    let attr = re(
        r#"(?i)\s(href|src|srcset|action|formaction|poster|data|xlink:href)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))"#,
    );
    attr.captures_iter(html)
        .map(|c| {
            let raw = c
                .get(2)
                .or_else(|| c.get(3))
                .or_else(|| c.get(4))
                .map_or("", |m| m.as_str());
            (
                c[1].to_ascii_lowercase(),
                html_escape::decode_html_entities(raw).into_owned(),
            )
        })
        .collect()
}

/// What a browser would see as the scheme of a URL: control characters and
/// whitespace dropped, lower-cased.
fn normalized_url(url: &str) -> String {
    url.chars()
        .filter(|c| !c.is_whitespace() && !c.is_control())
        .collect::<String>()
        .to_ascii_lowercase()
}

/// The checks every page of any archive must pass: `lang`, and nothing that
/// loads or runs anything from outside the page.
fn assert_self_contained(site: &Site, lang: &str) {
    let pages = html_files(site);
    assert!(!pages.is_empty(), "no pages in {}", site.dir.display());
    let tag_with_handler = re(r#"(?i)<[a-z][^>]*\son[a-z]+\s*="#);
    let css_url = re(r#"(?i)url\(\s*['"]?\s*(https?:)?//"#);
    let link_tag = re(r#"(?i)<link\b[^>]*>"#);
    for page in &pages {
        let html = site.read(page);
        let lower = html.to_ascii_lowercase();
        let expected_lang = format!("<html lang=\"{lang}\">");
        assert!(
            html.contains(&expected_lang),
            "{page} lacks {expected_lang}\n{}",
            banners(&[(page, &html[..html.len().min(400)])])
        );
        assert_eq!(
            html.matches("<html").count(),
            1,
            "{page}: more than one <html>"
        );
        for banned in [
            "<script",
            "@import",
            "<iframe",
            "<object",
            "<embed",
            "<base",
            "<meta http-equiv=\"refresh\"",
        ] {
            assert!(!lower.contains(banned), "{page} contains {banned:?}");
        }
        assert!(
            !lower.contains("<link rel=\"stylesheet\""),
            "{page} links a stylesheet"
        );
        for tag in link_tag.find_iter(&html) {
            let tag = tag.as_str();
            assert!(
                tag.contains("rel=\"alternate\"") && tag.contains("feed.xml"),
                "{page}: unexpected <link>: {tag}"
            );
        }
        assert!(
            !tag_with_handler.is_match(&html),
            "{page} has an inline event handler: {:?}",
            tag_with_handler.find(&html).map(|m| m.as_str())
        );
        assert!(
            !css_url.is_match(&html),
            "{page} loads a remote url() in CSS"
        );
        for (name, value) in url_attributes(&html) {
            let url = normalized_url(&value);
            assert!(
                !url.contains("javascript:") && !url.starts_with("vbscript:"),
                "{page}: {name}={value:?} is script"
            );
            if name != "href" {
                assert!(
                    !url.starts_with("http:")
                        && !url.starts_with("https:")
                        && !url.starts_with("//"),
                    "{page}: external resource {name}={value:?}"
                );
            }
            assert!(
                !url.starts_with("data:text/html"),
                "{page}: {name}={value:?}"
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Feed
// ---------------------------------------------------------------------------

/// What feed-rs's parser puts as the id of an element that has none (it
/// would otherwise invent one, hiding the omission).
const NO_ID: &str = "<no id>";

/// Check an Atom feed against what RFC 4287 requires, as a feed reader
/// (feed-rs) parses it: the feed's id, title, updated and author; each
/// entry's id (unique), title, updated, an alternate link (at most one),
/// a summary or content, and an author of its own or the feed's. Returns
/// every problem found, empty when the feed is valid.
fn atom_problems(xml: &str) -> Vec<String> {
    let parser = feed_rs::parser::Builder::new()
        .id_generator(|_, _, _| NO_ID.to_owned())
        .build();
    let feed = match parser.parse(xml.as_bytes()) {
        Ok(f) => f,
        Err(e) => return vec![format!("does not parse: {e}")],
    };
    let mut problems = Vec::new();
    if feed.feed_type != feed_rs::model::FeedType::Atom {
        problems.push(format!("not Atom but {:?}", feed.feed_type));
    }
    let text =
        |t: &Option<feed_rs::model::Text>| t.as_ref().is_some_and(|t| !t.content.trim().is_empty());
    let named = |people: &[feed_rs::model::Person]| {
        people
            .iter()
            .any(|p| p.name.as_deref().is_some_and(|n| !n.trim().is_empty()))
    };
    // A date before 2001 is a default, not a date.
    let dated = |seconds: Option<i64>| seconds.is_some_and(|s| s > 1_000_000_000);
    if feed.id.is_empty() || feed.id == NO_ID {
        problems.push("feed: no <id>".into());
    }
    if !text(&feed.title) {
        problems.push("feed: no <title>".into());
    }
    if !dated(feed.updated.map(|d| d.timestamp())) {
        problems.push("feed: no <updated>".into());
    }
    let feed_author = named(&feed.authors);
    if !feed_author {
        problems.push("feed: no <author> (so every entry needs one)".into());
    }
    if feed.entries.is_empty() {
        problems.push("feed: no entries".into());
    }
    let mut ids = BTreeSet::new();
    for (n, e) in feed.entries.iter().enumerate() {
        let at = format!("entry {n} ({})", e.id);
        if e.id.is_empty() || e.id == NO_ID {
            problems.push(format!("{at}: no <id>"));
        } else if !ids.insert(e.id.clone()) {
            problems.push(format!("{at}: duplicate <id>"));
        }
        if !text(&e.title) {
            problems.push(format!("{at}: no <title>"));
        }
        if !dated(e.updated.map(|d| d.timestamp())) {
            problems.push(format!("{at}: no <updated>"));
        }
        // feed-rs reads a link without rel as rel="alternate" (the default).
        let alternates = e
            .links
            .iter()
            .filter(|l| l.rel.as_deref().is_none_or(|r| r == "alternate"))
            .count();
        if alternates != 1 {
            problems.push(format!("{at}: {alternates} alternate links, not 1"));
        }
        let content = e
            .content
            .as_ref()
            .is_some_and(|c| c.body.as_deref().is_some_and(|b| !b.trim().is_empty()));
        if !text(&e.summary) && !content {
            problems.push(format!("{at}: no <summary> or <content>"));
        }
        if !named(&e.authors) && !feed_author {
            problems.push(format!("{at}: no <author>, and the feed has none"));
        }
    }
    problems
}

#[test]
fn feed_has_one_entry_per_release_newest_first_with_absolute_links() {
    let site = english_site();
    let xml = site.read("feed.xml");
    let feed = feed_rs::parser::parse(xml.as_bytes())
        .unwrap_or_else(|e| panic!("feed.xml does not parse: {e}\n{xml}"));
    assert_eq!(feed.feed_type, feed_rs::model::FeedType::Atom, "{xml}");
    assert_eq!(feed.language.as_deref(), Some("en"), "{xml}");
    assert_eq!(
        feed.title.as_ref().map(|t| t.content.as_str()),
        Some("Privacy Policy")
    );
    assert!(
        feed.links
            .iter()
            .any(|l| l.rel.as_deref() == Some("self") && l.href == format!("{BASE_URL}/feed.xml")),
        "no absolute self link: {:?}",
        feed.links
    );

    assert_eq!(feed.entries.len(), 4, "{xml}");
    let newest_first: Vec<&str> = RELEASES.iter().rev().map(|r| r.0).collect();
    let mut ids = BTreeSet::new();
    for (entry, effective) in feed.entries.iter().zip(&newest_first) {
        let title = entry.title.as_ref().map_or("", |t| t.content.as_str());
        assert!(
            title.contains(effective),
            "entry {title:?} is not the release of {effective} (entries must be newest first)"
        );
        assert!(ids.insert(entry.id.clone()), "duplicate id {}", entry.id);
        let expected = format!("{BASE_URL}/versions/{effective}.html");
        assert!(
            entry.links.iter().any(|l| l.href == expected),
            "entry {effective} does not link {expected}: {:?}",
            entry.links
        );
        for link in &entry.links {
            let rel = link
                .href
                .strip_prefix(&format!("{BASE_URL}/"))
                .unwrap_or_else(|| panic!("link {} is not under {BASE_URL}/", link.href));
            assert!(
                site.dir.join(rel).is_file(),
                "feed links {} but the site has no {rel}",
                link.href
            );
        }
        assert!(
            entry
                .summary
                .as_ref()
                .is_some_and(|s| !s.content.is_empty()),
            "entry {effective} has no summary"
        );
        assert!(entry.updated.is_some(), "entry {effective} has no updated");
    }
    let updated: Vec<_> = feed.entries.iter().map(|e| e.updated).collect();
    assert!(
        updated.windows(2).all(|w| w[0] > w[1]),
        "entries are not newest first by date: {updated:?}"
    );
    assert_eq!(
        feed.updated, updated[0],
        "feed updated is not the newest entry's"
    );
    assert_eq!(atom_problems(&xml), Vec::<String>::new(), "{xml}");
}

/// The summary of an entry, as a feed reader shows it.
fn summary_of(entry: &feed_rs::model::Entry) -> &str {
    entry.summary.as_ref().map_or("", |s| s.content.as_str())
}

#[test]
fn feed_entries_have_an_author_a_plain_summary_and_a_redline_link() {
    let site = english_site();
    let xml = site.read("feed.xml");
    assert_eq!(atom_problems(&xml), Vec::<String>::new(), "{xml}");
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("feed parses");
    // No publisher configured, no [email]: the base URL's host.
    let names = |p: &[feed_rs::model::Person]| {
        p.iter()
            .map(|p| p.name.clone().unwrap_or_default())
            .collect::<Vec<_>>()
    };
    assert_eq!(names(&feed.authors), ["example.com"], "{xml}");
    let newest_first: Vec<&str> = RELEASES.iter().rev().map(|r| r.0).collect();
    for (n, (entry, effective)) in feed.entries.iter().zip(&newest_first).enumerate() {
        assert_eq!(names(&entry.authors), ["example.com"], "entry {effective}");
        // The redline from the release before, as rel="related"; none for the first.
        let related: Vec<&str> = entry
            .links
            .iter()
            .filter(|l| l.rel.as_deref() == Some("related"))
            .map(|l| l.href.as_str())
            .collect();
        match newest_first.get(n + 1) {
            Some(previous) => assert_eq!(
                related,
                [format!("{BASE_URL}/redline/{previous}_{effective}.html")],
                "entry {effective}"
            ),
            None => assert!(related.is_empty(), "the first release links a redline"),
        }
        let summary = summary_of(entry);
        // Sentences, not detector ids.
        assert!(
            summary.ends_with(['.', '”']) && summary.contains(' '),
            "entry {effective}: {summary:?}"
        );
        assert!(
            !re(r"\((processing|ownership|recipients|rights|contact|high-risk)(, |\))")
                .is_match(summary),
            "entry {effective} lists detector ids: {summary:?}"
        );
    }
    // The major change: one sentence per fired trigger, from the evidence.
    let major = summary_of(&feed.entries[1]);
    for sentence in [
        "We will now share your personal information with",
        "Requests about your data will now be answered within 30 working days instead of 15",
        "You can now contact us about your personal information at privacy@example-corp.com",
    ] {
        assert!(
            major.contains(sentence),
            "major summary lacks {sentence:?}: {major}"
        );
    }
    // The minor ones: what kind of edits, and that nothing changes for you.
    assert_eq!(
        summary_of(&feed.entries[2]),
        "Minor edits: we reworded 1 clause; none of them changes how we handle your personal information or your rights."
    );
    assert!(
        summary_of(&feed.entries[0]).starts_with("Minor edits: we added"),
        "{}",
        summary_of(&feed.entries[0])
    );
    assert_eq!(summary_of(&feed.entries[3]), "First published version.");
    // The index says the same, a sentence to an item.
    let index = site.read("index.html");
    assert!(
        index.contains(
            "<li>Requests about your data will now be answered within 30 working days instead of 15"
        ),
        "the index does not list the major change's sentences"
    );
}

#[test]
fn the_validator_rejects_a_feed_missing_what_rfc_4287_requires() {
    // The site's own feed, with every <author> taken out: invalid.
    let site = english_site();
    let xml = site.read("feed.xml");
    assert!(atom_problems(&xml).is_empty());
    let no_author = re(r"(?s)<author>.*?</author>").replace_all(&xml, "");
    let problems = atom_problems(&no_author);
    assert!(
        problems
            .iter()
            .any(|p| p == "feed: no <author> (so every entry needs one)")
            && problems
                .iter()
                .filter(|p| p.ends_with("no <author>, and the feed has none"))
                .count()
                == 4,
        "{problems:?}"
    );
    // A bare entry: no id, updated, link or summary.
    let bare = r#"<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title><id>urn:x</id><updated>2026-01-01T00:00:00Z</updated><author><name>A</name></author><entry><title>E</title></entry></feed>"#;
    assert_eq!(
        atom_problems(bare),
        [
            "entry 0 (<no id>): no <id>",
            "entry 0 (<no id>): no <updated>",
            "entry 0 (<no id>): 0 alternate links, not 1",
            "entry 0 (<no id>): no <summary> or <content>",
        ]
    );
}

// ---------------------------------------------------------------------------
// Pages as text
// ---------------------------------------------------------------------------

#[test]
fn site_has_the_index_a_page_per_version_a_redline_per_pair_and_the_feed() {
    let site = english_site();
    // The manifest lets the next run replace this site, and only this site.
    let mut expected: Vec<String> = vec![
        ".policydiff-site".into(),
        "feed.xml".into(),
        "index.html".into(),
    ];
    for (n, r) in RELEASES.iter().enumerate() {
        expected.push(format!("versions/{}.html", r.0));
        if n > 0 {
            expected.push(format!("redline/{}_{}.html", RELEASES[n - 1].0, r.0));
        }
    }
    expected.sort();
    assert_eq!(files_under(&site.dir), expected);

    let index = site.read("index.html");
    let ids: Vec<&str> = re(r#"<li id="([^"]+)""#)
        .captures_iter(&index)
        .map(|c| c.get(1).expect("id").as_str())
        .collect();
    let newest_first: Vec<&str> = RELEASES.iter().rev().map(|r| r.0).collect();
    assert_eq!(ids, newest_first, "releases are not listed newest first");
    let badges: Vec<&str> = re(r#"<span class="badge (\w+)">"#)
        .captures_iter(&index)
        .map(|c| c.get(1).expect("class").as_str())
        .collect();
    let classes: Vec<&str> = RELEASES.iter().rev().map(|r| r.3).collect();
    assert_eq!(badges, classes, "badges");

    // Each item links its version and, but for the first, its redline.
    let items: Vec<&str> = index.split("<li id=").skip(1).collect();
    for (n, item) in items.iter().enumerate() {
        let i = RELEASES.len() - 1 - n;
        let effective = RELEASES[i].0;
        let version = format!("class=\"version-link\" href=\"versions/{effective}.html\"");
        assert!(item.contains(&version), "item {effective} lacks {version}");
        if i == 0 {
            assert!(!item.contains("redline-link"), "the first has a redline");
        } else {
            let redline = format!(
                "class=\"redline-link\" href=\"redline/{}_{effective}.html\"",
                RELEASES[i - 1].0
            );
            assert!(item.contains(&redline), "item {effective} lacks {redline}");
        }
    }

    // The redline of the major change: verdict, change cards, del and ins.
    let major = site.read(&format!("redline/{}_{}.html", RELEASES[1].0, RELEASES[2].0));
    assert!(
        major.contains("<section class=\"verdict major\""),
        "no major verdict"
    );
    assert!(
        major.contains("<section class=\"change "),
        "no change cards"
    );
    assert!(
        major.matches("<del>").count() > 1 && major.matches("<ins>").count() > 1,
        "no del/ins beyond the legend"
    );
    // Every link inside the site resolves.
    for page in html_files(&site) {
        let html = site.read(&page);
        let base = Path::new(&page).parent().unwrap_or(Path::new(""));
        for (name, value) in url_attributes(&html) {
            if name != "href" || value.starts_with('#') || value.is_empty() {
                continue;
            }
            let target = site.dir.join(base).join(&value);
            assert!(
                target.is_file(),
                "{page}: broken link {value} ({})",
                target.display()
            );
        }
    }
}

#[test]
fn pages_are_self_contained_in_english_and_policy_markup_never_runs() {
    let site = english_site();
    assert_self_contained(&site, "en");

    let version = format!("versions/{PROBE}.html");
    let redline = format!("redline/{}_{PROBE}.html", RELEASES[2].0);
    // The injected <script> is escaped or left out, everywhere.
    for page in html_files(&site) {
        let html = site.read(&page);
        for (at, _) in html.match_indices("window.__pwned") {
            assert!(
                html[..at].ends_with("&lt;script&gt;"),
                "{page}: window.__pwned outside an escaped <script>: {:?}",
                &html[at.saturating_sub(60)..(at + 60).min(html.len())]
            );
        }
    }
    let redline_html = site.read(&redline);
    assert!(
        redline_html.contains("&lt;script&gt;window.__pwned = 1; alert(1)&lt;/script&gt;"),
        "the redline does not show the added <script> line as text"
    );
    // The javascript: link keeps its text but not its URL.
    let version_html = site.read(&version);
    let click = re(r#"<a\b[^>]*>click</a>"#);
    let anchor = click
        .find(&version_html)
        .unwrap_or_else(|| panic!("{version}: the link text 'click' is gone"))
        .as_str();
    assert!(
        !anchor.to_ascii_lowercase().contains("javascript"),
        "{anchor}"
    );
    // {{ 7*7 }} is shown as written, never evaluated.
    for page in [&version, &redline] {
        let html = site.read(page);
        assert!(
            html.contains(TEMPLATE_LINE),
            "{page} does not show {TEMPLATE_LINE:?} literally"
        );
    }
    for file in files_under(&site.dir) {
        let text = site.read(&file);
        assert!(
            !text.contains("Template probe: 49"),
            "{file}: the template was evaluated"
        );
    }
}

#[test]
fn chinese_archive_marks_every_page_zh_cn() {
    let site = chinese_site();
    assert_self_contained(&site, "zh-CN");
    for page in html_files(&site) {
        let html = site.read(&page);
        assert!(!html.contains("lang=\"en\""), "{page} says lang=en");
    }
    let index = site.read("index.html");
    assert_eq!(index.matches("<li id=").count(), 2, "{index}");
    assert!(index.contains("首版"), "no first-version badge in Chinese");
    assert!(index.contains("生效日期"), "index is not in Chinese");
    let redline = site.read("redline/2025-03-01_2025-09-01.html");
    assert!(
        redline.contains("<del>") && redline.contains("<ins>"),
        "redline lacks del/ins"
    );
    let xml = site.read("feed.xml");
    assert_eq!(atom_problems(&xml), Vec::<String>::new(), "{xml}");
    let feed = feed_rs::parser::parse(xml.as_bytes()).expect("feed parses");
    assert_eq!(feed.language.as_deref(), Some("zh-CN"));
    assert_eq!(feed.entries.len(), 2);
    assert_eq!(
        feed.entries[0].links[0].href,
        "https://example.cn/privacy/versions/2025-09-01.html"
    );
    // [notice] publisher is the author, of the feed and of every entry.
    for people in std::iter::once(&feed.authors).chain(feed.entries.iter().map(|e| &e.authors)) {
        assert_eq!(
            people
                .iter()
                .map(|p| p.name.as_deref().unwrap_or(""))
                .collect::<Vec<_>>(),
            [ZH_PUBLISHER],
            "{xml}"
        );
    }
    // The retention period, said in Chinese from the evidence.
    assert_eq!(
        summary_of(&feed.entries[0]),
        "我们保存您个人信息的期限调整为十二个月（原为六个月）。"
    );
    assert_eq!(summary_of(&feed.entries[1]), "首次发布。");
    assert!(
        index.contains("<p>我们保存您个人信息的期限调整为十二个月（原为六个月）。</p>"),
        "the index lacks the plain summary"
    );
}

/// A release effective after today is upcoming on the index and its page,
/// and only that one, in either language.
#[test]
fn a_release_effective_after_today_is_marked_upcoming_in_both_locales() {
    for zh in [false, true] {
        let (repo, policy, first) = if zh {
            let repo = TestRepo::without_config();
            repo.git(&["config", "user.name", "Test Author"]);
            repo.git(&["config", "user.email", "author@example.com"]);
            repo.write("policydiff.toml", ZH_CONFIG);
            let text = read_text(&support::manifest_path("tests/fixtures/zh-policy.md"));
            (repo, ZH_POLICY, text)
        } else {
            (TestRepo::new(), POLICY, read_text(&bundled_policy()))
        };
        let second = if zh {
            first.replacen("最长不超过六个月", "最长不超过十二个月", 1)
        } else {
            first.replacen(MINOR_OLD, MINOR_NEW, 1)
        };
        assert_ne!(
            first, second,
            "the fixture no longer has the sentence edited"
        );
        repo.commit(
            &[
                (
                    "policydiff.toml",
                    if zh {
                        ZH_CONFIG
                    } else {
                        support::DEFAULT_CONFIG
                    },
                ),
                (policy, &first),
            ],
            "v1",
            "2025-02-20T10:00:00Z",
        );
        run_ok(repo.cmd().args(["release", "--effective", "2025-03-01"]));
        repo.commit(&[(policy, &second)], "v2", "2025-06-01T10:00:00Z");
        run_ok(repo.cmd().args(["release", "--effective", FAR_FUTURE]));
        let site = build_site(repo, None, 2);
        let index = site.read("index.html");
        let item = |effective: &str| {
            let start = index
                .find(&format!("<li id=\"{effective}\""))
                .unwrap_or_else(|| panic!("no item {effective}:\n{index}"));
            let end = index[start..].find("</h2>").expect("item heading ends") + start;
            index[start..end].to_owned()
        };
        let (label, takes_effect, in_force) = if zh {
            (
                "即将生效",
                format!("将于 {FAR_FUTURE} 生效"),
                "生效日期 2025-03-01",
            )
        } else {
            (
                "Upcoming",
                format!("Takes effect {FAR_FUTURE}"),
                "Effective 2025-03-01",
            )
        };
        let upcoming = item(FAR_FUTURE);
        assert!(
            upcoming.contains("class=\"upcoming\"")
                && upcoming.contains(&format!("<span class=\"upcoming-label\">{label}</span>"))
                && upcoming.contains(&takes_effect),
            "zh={zh}: {FAR_FUTURE} is not marked upcoming: {upcoming}"
        );
        let past = item("2025-03-01");
        assert!(
            !past.contains("upcoming") && past.contains(in_force),
            "zh={zh}: a release in force is marked upcoming: {past}"
        );
        assert_eq!(
            index.matches("<span class=\"upcoming-label\">").count(),
            1,
            "zh={zh}"
        );
        let page = site.read(&format!("versions/{FAR_FUTURE}.html"));
        assert!(
            page.contains(&format!("<span class=\"upcoming-label\">{label}</span>")),
            "zh={zh}: the version page does not say upcoming"
        );
        assert!(
            !site
                .read("versions/2025-03-01.html")
                .contains("<span class=\"upcoming-label\">"),
            "zh={zh}"
        );
    }
}

// ---------------------------------------------------------------------------
// Headless Chromium
// ---------------------------------------------------------------------------

/// `target/test-artifacts`, where the screenshots go.
fn artifact_dir() -> PathBuf {
    let tmp = Path::new(env!("CARGO_TARGET_TMPDIR"));
    tmp.parent().unwrap_or(tmp).join("test-artifacts")
}

/// Why the browser check cannot run here, if it cannot.
fn browser_prerequisites_missing(browser_dir: &Path) -> Option<String> {
    let mut missing = Vec::new();
    let node = std::process::Command::new("node").arg("--version").output();
    if !node.is_ok_and(|o| o.status.success()) {
        missing.push("`node` on PATH".to_owned());
    }
    let pw = browser_dir.join("node_modules/playwright-core/package.json");
    if !pw.is_file() {
        missing.push(format!("{} (npm package)", pw.display()));
    }
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    if !Path::new(&chromium).is_file() {
        missing.push(format!("a Chromium binary at {chromium} (env CHROMIUM)"));
    }
    (!missing.is_empty()).then(|| missing.join(", "))
}

/// Run one of tests/browser's scripts (`node SCRIPT TARGET ARTIFACTS
/// EXPECT_JSON`) in headless Chromium: it must exit 0 and print its JSON
/// summary, returned with the shown output for messages.
fn run_browser_check(
    script: &str,
    target: &Path,
    artifacts: &Path,
    expect: &serde_json::Value,
) -> (serde_json::Value, String) {
    let out = assert_cmd::Command::new("node")
        .current_dir(support::manifest_path("tests/browser"))
        .arg(script)
        .arg(target)
        .arg(artifacts)
        .arg(expect.to_string())
        .timeout(Duration::from_secs(180))
        .output()
        .expect("run node");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let shown = banners(&[("stdout", &stdout), ("stderr", &stderr)]);
    assert!(
        out.status.success(),
        "browser check {script} failed ({}):\n{shown}",
        out.status
    );
    let summary: serde_json::Value = serde_json::from_str(stdout.trim())
        .unwrap_or_else(|e| panic!("{script} printed no JSON summary ({e}):\n{shown}"));
    (summary, shown)
}

#[test]
fn site_works_in_headless_chromium() {
    let browser_dir = support::manifest_path("tests/browser");
    if let Some(missing) = browser_prerequisites_missing(&browser_dir) {
        let msg = format!(
            "SKIPPED: headless Chromium test needs {missing}; run `npm ci --prefix tests/browser` and install chromium (Debian: apt-get install chromium)"
        );
        support::skip_loudly(&msg);
        return;
    }
    let site = english_site();
    let artifacts = artifact_dir();
    std::fs::create_dir_all(&artifacts).expect("create target/test-artifacts");
    let expect = serde_json::json!({
        "releases": RELEASES.len(),
        "badges": ["Minor", "Major", "Minor", "First"],
        "classes": RELEASES.iter().rev().map(|r| r.3).collect::<Vec<_>>(),
        "probe": PROBE,
        "template": "{{ 7*7 }}",
        "lang": "en",
    });
    let started = std::time::Instant::now();
    let (summary, shown) = run_browser_check("check-site.mjs", &site.dir, &artifacts, &expect);
    assert_eq!(summary["ok"], true, "{shown}");
    let failed: Vec<_> = summary["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter(|c| c["ok"] != true)
        .collect();
    assert!(failed.is_empty(), "failed checks: {failed:?}\n{shown}");
    for shot in ["site-redline.png", "site-index-phone.png"] {
        let path = artifacts.join(shot);
        let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        assert!(
            bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 10_000,
            "{} is not a real screenshot ({} bytes)",
            path.display(),
            bytes.len()
        );
    }
    eprintln!(
        "headless Chromium: {} checks passed in {:.1}s; screenshots in {}",
        summary["checks"].as_array().map_or(0, Vec::len),
        started.elapsed().as_secs_f64(),
        artifacts.display()
    );
}

// ---------------------------------------------------------------------------
// Issue 12: the HTML redline in print (headless Chromium → PDF → pdftotext)
// ---------------------------------------------------------------------------

/// Text of one page of a PDF (`pdftotext`), white space collapsed.
fn pdf_page_text(pdf: &Path, page: usize) -> String {
    let out = std::process::Command::new("pdftotext")
        .args(["-f", &page.to_string(), "-l", &page.to_string()])
        .arg(pdf)
        .arg("-")
        .output()
        .expect("run pdftotext");
    assert!(out.status.success(), "pdftotext failed");
    String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn redline_prints_with_header_footer_legend_and_whole_section_paths() {
    let chromium = std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into());
    let have = |cmd: &str| std::process::Command::new(cmd).arg("-v").output().is_ok();
    let mut missing = Vec::new();
    if !Path::new(&chromium).is_file() {
        missing.push(format!("a Chromium binary at {chromium} (env CHROMIUM)"));
    }
    for tool in ["pdftotext", "pdfinfo", "pdftoppm"] {
        if !have(tool) {
            missing.push(format!("`{tool}` (Debian: apt-get install poppler-utils)"));
        }
    }
    if !missing.is_empty() {
        let msg = format!("SKIPPED: print layout test needs {}", missing.join(", "));
        support::skip_loudly(&msg);
        return;
    }
    let dir = support::TestDir::new();
    let html = dir.join("redline.html");
    let old = support::bundled_policy();
    let new = support::bundled_draft();
    support::run_ok(
        dir.cmd()
            .arg("diff")
            .arg(&old)
            .arg(&new)
            .args(["-f", "html", "-o"])
            .arg(&html),
    );
    let artifacts = artifact_dir();
    std::fs::create_dir_all(&artifacts).expect("create target/test-artifacts");
    let pdf = artifacts.join("redline-print.pdf");
    let _ = std::fs::remove_file(&pdf);
    let out = assert_cmd::Command::new(&chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(format!("file://{}", html.display()))
        .timeout(Duration::from_secs(120))
        .output()
        .expect("run chromium");
    assert!(
        pdf.is_file(),
        "no PDF: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let info = std::process::Command::new("pdfinfo")
        .arg(&pdf)
        .output()
        .expect("pdfinfo");
    let pages: usize = String::from_utf8_lossy(&info.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .expect("page count");
    assert!(pages >= 2, "{pages} pages");
    let texts: Vec<String> = (1..=pages).map(|p| pdf_page_text(&pdf, p)).collect();
    // Every page: the policy, both versions, its number.
    for (k, t) in texts.iter().enumerate() {
        assert!(t.contains("Redline: Privacy Policy"), "page {}: {t}", k + 1);
        assert!(
            t.contains("policies/privacy-policy.md → ")
                && t.contains("policies/drafts/privacy-policy-next.md"),
            "page {}: {t}",
            k + 1
        );
        assert!(
            t.contains(&format!("Page {} of {pages}", k + 1)),
            "page {}: {t}",
            k + 1
        );
    }
    let all = texts.join(" ");
    // One verdict badge; the legend prints.
    assert_eq!(all.matches("MAJOR").count(), 1, "{all}");
    assert!(
        texts[0].contains("Legend: deleted inserted"),
        "{}",
        texts[0]
    );
    // Section paths whole (the text redline shortens this one).
    assert!(
        all.contains("IV. How do we safely protect and store your personal information? › 1. Storage of Information"),
        "{all}"
    );
    // Page 1 is not half empty: the first change starts on it and it holds
    // about as much text as the next page.
    assert!(texts[0].contains("MODIFIED"), "{}", texts[0]);
    assert!(
        texts[0].len() * 10 >= texts[1].len() * 6,
        "page 1 has {} characters, page 2 {}",
        texts[0].len(),
        texts[1].len()
    );
    // A picture of page 1 for a human to look at.
    let png = artifacts.join("redline-print-1");
    let status = std::process::Command::new("pdftoppm")
        .args(["-png", "-r", "60", "-f", "1", "-l", "1", "-singlefile"])
        .arg(&pdf)
        .arg(&png)
        .status()
        .expect("pdftoppm");
    assert!(status.success());
    eprintln!(
        "print layout: {pages} pages; {} and {}.png",
        pdf.display(),
        png.display()
    );
}

// ---------------------------------------------------------------------------
// Issue 12: the redline's "whole document" view (headless Chromium)
// ---------------------------------------------------------------------------

#[test]
fn redline_whole_document_view_reads_as_the_new_text_with_changes_in_place() {
    let browser_dir = support::manifest_path("tests/browser");
    if let Some(missing) = browser_prerequisites_missing(&browser_dir) {
        let msg = format!(
            "SKIPPED: whole-document view test needs {missing}; run `npm ci --prefix tests/browser` and install chromium"
        );
        support::skip_loudly(&msg);
        return;
    }
    let dir = support::TestDir::new();
    let html = dir.join("redline.html");
    let (old, new) = (bundled_policy(), bundled_draft());
    run_ok(
        dir.cmd()
            .arg("diff")
            .arg(&old)
            .arg(&new)
            .args(["-f", "html", "-o"])
            .arg(&html),
    );
    // What the reader must see: every clause of the new version, in order,
    // as its number label and text; and every removed clause, struck.
    let parsed = policydiff::document::Document::parse(
        &read_text(&new),
        policydiff::document::Format::Markdown,
    );
    let want: Vec<String> = parsed
        .clauses
        .iter()
        .map(|c| match (&c.label, c.kind) {
            (Some(l), policydiff::document::ClauseKind::Meta) => format!("{l}: {}", c.text),
            (Some(l), _) => format!("{l} {}", c.text),
            (None, _) => c.text.clone(),
        })
        .collect();
    let report: serde_json::Value = serde_json::from_str(&run_ok(
        dir.cmd()
            .arg("diff")
            .arg(&old)
            .arg(&new)
            .args(["-f", "json"]),
    ))
    .expect("report JSON");
    let removed = report["stats"]["removed"].as_u64().expect("removed");
    let expect = serde_json::json!({ "new": want, "removed": removed });
    let artifacts = artifact_dir();
    let (summary, shown) = run_browser_check("check-redline.mjs", &html, &artifacts, &expect);
    assert_eq!(summary["ok"], true, "{shown}");
}

/// In the whole-document view a removed clause stays where it stood,
/// struck, between its old neighbours.
#[test]
fn a_removed_clause_stands_struck_in_the_whole_document_where_it_stood() {
    let dir = support::TestDir::new();
    let old = dir.write(
        "old.md",
        "# P\n\nAlpha one.\n\nBravo two.\n\nCharlie three.\n",
    );
    let new = dir.write("new.md", "# P\n\nAlpha one.\n\nCharlie three.\n");
    let html = run_ok(
        dir.cmd()
            .arg("diff")
            .arg(&old)
            .arg(&new)
            .args(["-f", "html"]),
    );
    let whole = html
        .split("<main id=\"whole-document\"")
        .nth(1)
        .expect("a whole-document view");
    let (a, b, c) = (
        whole.find("Alpha one.").expect("alpha"),
        whole.find("<del>Bravo two.</del>").expect("bravo struck"),
        whole.find("Charlie three.").expect("charlie"),
    );
    assert!(a < b && b < c, "{whole}");
    assert!(html.contains("id=\"view-whole\""));
}

// ---------------------------------------------------------------------------
// Issue 15: a bilingual policy's archive in both languages
// ---------------------------------------------------------------------------

/// The bundled policy and draft released in English and Chinese, then
/// `site`.
fn bilingual_site() -> Site {
    use crate::bilingual_notices::{BILINGUAL_CONFIG, bilingual_release_repo, bundled};
    let repo = bilingual_release_repo(
        BILINGUAL_CONFIG,
        &bundled("policies/drafts/privacy-policy-next.md"),
        &bundled("policies/drafts/privacy-policy-next.zh-CN.md"),
    );
    build_site(repo, None, 2)
}

#[test]
fn a_bilingual_archive_has_every_page_and_a_feed_in_each_language() {
    let site = bilingual_site();
    let pages = [
        "index.html",
        "versions/2025-07-09.html",
        "versions/2026-01-15.html",
        "redline/2025-07-09_2026-01-15.html",
    ];
    for (dir, lang, other, other_dir, title) in [
        ("", "en", "zh-CN", "zh-CN/", "Privacy Policy"),
        ("zh-CN/", "zh-CN", "en", "", "隐私政策"),
    ] {
        for page in pages {
            let rel = format!("{dir}{page}");
            let html = site.read(&rel);
            assert!(html.contains(&format!("<html lang=\"{lang}\"")), "{rel}");
            // The switch names the same page in the other language.
            let up = "../".repeat(rel.matches('/').count());
            let href = format!("{up}{other_dir}{page}");
            assert!(
                html.contains(&format!("href=\"{href}\"")),
                "{rel} does not link {href}"
            );
            assert!(
                site.dir
                    .join(&rel)
                    .parent()
                    .expect("dir")
                    .join(&href)
                    .is_file(),
                "{rel}: {href} does not exist"
            );
            if !page.starts_with("redline/") {
                assert!(
                    html.contains(&format!(
                        "<link rel=\"alternate\" hreflang=\"{other}\" href=\"{href}\">"
                    )),
                    "{rel}"
                );
            }
        }
        // Each language's feed, in its language, about its own text.
        let xml = site.read(&format!("{dir}feed.xml"));
        assert!(xml.contains(&format!("xml:lang=\"{lang}\"")), "{xml}");
        assert!(xml.contains(&format!("<title>{title}</title>")), "{xml}");
        assert!(atom_problems(&xml).is_empty(), "{:?}", atom_problems(&xml));
    }
    // The Chinese pages show the Chinese text.
    let zh = site.read("zh-CN/versions/2026-01-15.html");
    assert!(
        zh.contains("新加坡"),
        "the Chinese page lacks the Chinese text"
    );
    assert!(!zh.contains("Singapore"));
}

#[test]
fn the_language_switch_works_in_headless_chromium() {
    let browser_dir = support::manifest_path("tests/browser");
    if let Some(missing) = browser_prerequisites_missing(&browser_dir) {
        let msg = format!(
            "SKIPPED: headless Chromium test needs {missing}; run `npm ci --prefix tests/browser` and install chromium (Debian: apt-get install chromium)"
        );
        support::skip_loudly(&msg);
        return;
    }
    let site = bilingual_site();
    let artifacts = artifact_dir().join("bilingual");
    std::fs::create_dir_all(&artifacts).expect("create target/test-artifacts/bilingual");
    let expect = serde_json::json!({
        "releases": 2,
        "classes": ["major", "first"],
        "lang": "en",
        "dirs": {"zh-CN/": "zh-CN"},
        "switch": {
            "from": "versions/2026-01-15.html",
            "lang": "zh-CN",
            "to": "zh-CN/versions/2026-01-15.html",
        },
    });
    let (summary, shown) = run_browser_check("check-site.mjs", &site.dir, &artifacts, &expect);
    let names: Vec<&str> = summary["checks"]
        .as_array()
        .expect("checks")
        .iter()
        .filter_map(|c| c["name"].as_str())
        .collect();
    // The switch was exercised, both ways, on a version page and the index.
    for needle in [
        "switch from versions/2026-01-15.html lands on zh-CN/versions/2026-01-15.html",
        "switch from zh-CN/versions/2026-01-15.html lands on versions/2026-01-15.html",
        "switch from index.html lands on zh-CN/index.html",
        "zh-CN/versions/2026-01-15.html: lang=\"zh-CN\" after the switch",
    ] {
        assert!(names.contains(&needle), "no check {needle:?}:\n{shown}");
    }
    assert_eq!(summary["ok"], true, "{shown}");
    for shot in ["site-switch-zh-CN.png", "site-switch-index-zh-CN.png"] {
        let bytes = std::fs::read(artifacts.join(shot)).expect("screenshot");
        assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n") && bytes.len() > 10_000);
    }
    eprintln!("screenshots in {}", artifacts.display());
}
