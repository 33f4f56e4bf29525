//! The default notice templates (templates/*.j2, compiled in): snapshots of
//! every part in both locales for a major, a minor and an editorial change,
//! plus the safety properties every default must keep: policy-derived text is
//! escaped (HTML, Markdown) and never evaluated, HTML loads nothing from the
//! network, and the `lang` attribute matches the locale.
//!
//! Review changed snapshots with `cargo insta review` (or
//! `INSTA_UPDATE=always cargo test --test notices` and read the diff).

use std::collections::BTreeMap;
use std::path::PathBuf;

/// Every locale notices exist in.
const LOCALES: [&str; 2] = ["en", "zh-CN"];

use policydiff::render::notice::{
    Counts, Links, NoticeContext, NoticeKind, Templates, TriggerNotice,
};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A context saved by `policydiff notice OLD NEW --kind email --context`.
fn fixture(class: &str, locale: &str) -> NoticeContext {
    let path = root().join(format!("tests/notices/ctx-{class}-{locale}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The context as `notice` builds it for one kind: only emails have a recipient.
fn for_kind(base: &NoticeContext, kind: NoticeKind) -> NoticeContext {
    NoticeContext {
        kind,
        recipient: if kind == NoticeKind::Email {
            base.recipient.clone()
        } else {
            None
        },
        ..base.clone()
    }
}

/// Links as `[notice] base_url = "https://example.com/privacy"` gives them.
fn links(ctx: &NoticeContext) -> Links {
    let base = "https://example.com/privacy";
    let old = ctx
        .old
        .effective
        .clone()
        .unwrap_or_else(|| "2025-07-09".into());
    let new = ctx
        .new
        .effective
        .clone()
        .unwrap_or_else(|| "2026-01-15".into());
    Links {
        archive: Some(format!("{base}/")),
        policy: Some(format!("{base}/versions/{new}.html")),
        previous: Some(format!("{base}/versions/{old}.html")),
        redline: Some(format!("{base}/redline/{old}_{new}.html")),
    }
}

/// The contexts snapshotted, by name: the four fixtures, a major change with
/// every link but no effective date and a recipient without a name, and an
/// editorial-only change (no triggers, no sections).
fn variants(locale: &str) -> Vec<(&'static str, NoticeContext)> {
    let major = fixture("major", locale);
    let minor = fixture("minor", locale);
    let major_links = NoticeContext {
        links: links(&major),
        effective_date: None,
        notice_days: None,
        recipient: Some(BTreeMap::from([(
            "email".to_owned(),
            "sam@example.com".to_owned(),
        )])),
        ..major.clone()
    };
    let none = NoticeContext {
        classification: "none".into(),
        major: false,
        triggers: Vec::new(),
        sections: Vec::new(),
        counts: Counts::default(),
        links: links(&minor),
        ..minor.clone()
    };
    vec![
        ("major", major),
        ("minor", minor),
        ("major_links", major_links),
        ("none", none),
    ]
}

/// Every (kind, part, ext) of a notice.
fn parts() -> Vec<(NoticeKind, &'static str, &'static str)> {
    NoticeKind::ALL
        .iter()
        .flat_map(|&k| k.parts().iter().map(move |&(part, ext)| (k, part, ext)))
        .collect()
}

fn render(templates: &Templates, part: &str, ext: &str, ctx: &NoticeContext) -> String {
    templates
        .render(part, ext, ctx)
        .unwrap_or_else(|e| panic!("{part}.{}.{ext}: {e}", ctx.locale))
}

fn snapshot_name(part: &str, ext: &str, variant: &str, locale: &str) -> String {
    format!(
        "{}_{ext}_{variant}_{}",
        part.replace('-', "_"),
        locale.replace('-', "_")
    )
}

#[test]
fn default_templates_snapshots() {
    let templates = Templates::new(None);
    for locale in LOCALES {
        for (variant, base) in variants(locale) {
            for (kind, part, ext) in parts() {
                let ctx = for_kind(&base, kind);
                let out = render(&templates, part, ext, &ctx);
                if part == "email-subject" {
                    assert!(
                        !out.contains('\n'),
                        "{part}.{locale}: subject is one line: {out:?}"
                    );
                    assert_eq!(
                        out.trim(),
                        out,
                        "{part}.{locale}: no surrounding white space"
                    );
                } else {
                    assert!(
                        out.ends_with('\n') && !out.ends_with("\n\n"),
                        "{part}.{locale}.{ext} ({variant}): ends with one newline"
                    );
                }
                insta::with_settings!({
                    description => format!("{part}.{locale}.{ext}.j2, {variant} change ({} notice)", kind.as_str()),
                    omit_expression => true,
                }, {
                    insta::assert_snapshot!(snapshot_name(part, ext, variant, locale), out);
                });
            }
        }
    }
}

const EVIL: &str = "<script>alert(1)</script> {{ 7*7 }} <b>Bob</b>";

/// A context with markup and template syntax in every policy-derived string.
fn evil(locale: &str) -> NoticeContext {
    let mut ctx = fixture("major", locale);
    ctx.policy.title = format!("Privacy Policy {EVIL}");
    ctx.policy.name = Some(format!("name {EVIL}"));
    for t in &mut ctx.triggers {
        t.wording = format!("{} {EVIL}", t.wording);
        t.summary = format!("{} {EVIL}", t.summary);
        t.words.push(EVIL.to_owned());
        t.label = Some(format!("( 1 ) {EVIL}"));
    }
    ctx.triggers.push(TriggerNotice {
        id: "custom".into(),
        wording: EVIL.into(),
        label: None,
        summary: format!("{EVIL}."),
        words: vec![EVIL.into()],
        details: vec![EVIL.into()],
        evidence: Vec::new(),
    });
    // Text that would start a Markdown block at the start of a line.
    ctx.triggers[0].summary = format!("1) {EVIL}");
    ctx.sections[0].title = format!("- {EVIL}\n# not a heading");
    for s in &mut ctx.sections {
        s.title = format!("{} {EVIL}", s.title);
        for c in &mut s.changes {
            c.label = Some(format!("1. {EVIL}"));
            c.before = c.before.as_ref().map(|b| format!("{EVIL}\n# {b}"));
            c.after = c.after.as_ref().map(|a| format!("{a} {EVIL}"));
        }
    }
    ctx.links.policy =
        Some("https://example.com/?q=\"><script>alert(1)</script>{{ 7*7 }}".to_string());
    ctx.links.redline = Some("https://example.com/redline.html".into());
    ctx.recipient = Some(BTreeMap::from([
        ("email".to_owned(), "bob@example.com".to_owned()),
        ("name".to_owned(), EVIL.to_owned()),
    ]));
    ctx
}

#[test]
fn policy_text_is_escaped_and_never_evaluated() {
    let templates = Templates::new(None);
    for locale in LOCALES {
        let base = evil(locale);
        for (kind, part, ext) in parts() {
            let ctx = for_kind(&base, kind);
            let out = render(&templates, part, ext, &ctx);
            let name = format!("{part}.{locale}.{ext}");
            assert!(
                !out.contains("49"),
                "{name}: template syntax in data was evaluated:\n{out}"
            );
            match ext {
                "html" => {
                    let lower = out.to_lowercase();
                    assert!(
                        !lower.contains("<script"),
                        "{name}: unescaped <script>:\n{out}"
                    );
                    assert!(!out.contains("<b>Bob</b>"), "{name}: unescaped <b>:\n{out}");
                    assert!(
                        out.contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;"),
                        "{name}: the title is shown, escaped:\n{out}"
                    );
                    assert!(
                        out.contains("&lt;b&gt;Bob&lt;&#x2f;b&gt;"),
                        "{name}: shown escaped:\n{out}"
                    );
                    assert!(
                        out.contains("{{ 7*7 }}"),
                        "{name}: template syntax shown as is:\n{out}"
                    );
                    assert!(
                        !out.contains("?q=\""),
                        "{name}: a quote in a link ends its attribute:\n{out}"
                    );
                }
                "md" => {
                    assert!(
                        !out.contains("<script>"),
                        "{name}: unescaped <script>:\n{out}"
                    );
                    assert!(!out.contains("<b>"), "{name}: unescaped <b>:\n{out}");
                    assert!(
                        out.contains("\\<script\\>"),
                        "{name}: the title is shown, escaped:\n{out}"
                    );
                    assert!(
                        out.contains("{{ 7\\*7 }}"),
                        "{name}: template syntax shown as is:\n{out}"
                    );
                    // A policy line break never starts a Markdown block (a heading here).
                    assert!(
                        !out.lines().any(|l| l.trim_start().starts_with("# ")),
                        "{name}: heading from policy text:\n{out}"
                    );
                }
                _ => {
                    assert!(
                        out.contains("{{ 7*7 }}"),
                        "{name}: template syntax shown as is:\n{out}"
                    );
                }
            }
            if part == "email-subject" {
                assert!(!out.contains('\n'), "{name}: subject is one line: {out:?}");
            }
        }
    }
}

/// The changelog entry, as Markdown renders it: one heading, one list item
/// per trigger and per section, whatever the policy text holds.
#[test]
fn changelog_markdown_structure() {
    let templates = Templates::new(None);
    let options = comrak::Options::default();
    for locale in LOCALES {
        let major = fixture("major", locale);
        let with_links = NoticeContext {
            links: links(&major),
            ..major.clone()
        };
        for (name, base) in [
            ("major", major),
            ("links", with_links),
            ("evil", evil(locale)),
        ] {
            let ctx = for_kind(&base, NoticeKind::Changelog);
            let md = render(&templates, "changelog", "md", &ctx);
            let html = comrak::markdown_to_html(&md, &options);
            let name = format!("changelog.{locale}.md ({name})");
            assert_eq!(
                html.matches("<h2>").count(),
                1,
                "{name}: one heading:\n{html}"
            );
            for bad in [
                "<h1",
                "<h3",
                "<h4",
                "<ol",
                "<pre",
                "<code",
                "<em>",
                "<table",
                "<blockquote",
                "<hr",
                "raw HTML",
            ] {
                assert!(
                    !html.contains(bad),
                    "{name}: {bad} from policy text:\n{md}\n{html}"
                );
            }
            assert_eq!(
                html.matches("<strong>").count(),
                2,
                "{name}: only the two labels are bold:\n{html}"
            );
            assert_eq!(
                html.matches("<li>").count(),
                ctx.triggers.len() + ctx.sections.len(),
                "{name}: a list item per trigger and per section:\n{md}\n{html}"
            );
            if name.contains("links") {
                for url in [&ctx.links.policy, &ctx.links.previous, &ctx.links.redline] {
                    let url = url.as_deref().expect("link");
                    assert!(
                        html.contains(&format!("href=\"{url}\"")),
                        "{name}: links to {url}:\n{html}"
                    );
                }
            }
            if name.contains("evil") {
                assert!(
                    html.contains(
                        "&lt;script&gt;alert(1)&lt;/script&gt; {{ 7*7 }} &lt;b&gt;Bob&lt;/b&gt;"
                    ),
                    "{name}: the text survives as text:\n{html}"
                );
                assert!(html.contains("href=\"https://example.com/?q=%22%3E%3Cscript%3Ealert(1)%3C/script%3E%7B%7B%207*7%20%7D%7D\""), "{name}: the link survives:\n{html}");
            }
        }
    }
}

#[test]
fn html_loads_nothing() {
    let templates = Templates::new(None);
    for locale in LOCALES {
        for (variant, base) in variants(locale).into_iter().chain([("evil", evil(locale))]) {
            for (kind, part, ext) in parts().into_iter().filter(|p| p.2 == "html") {
                let out = render(&templates, part, ext, &for_kind(&base, kind)).to_lowercase();
                for bad in [
                    "<link",
                    "src=",
                    "@import",
                    "url(",
                    "<script",
                    "<img",
                    "<iframe",
                    "<object",
                    "<embed",
                    "<base",
                    "<form",
                    "http-equiv",
                ] {
                    assert!(
                        !out.contains(bad),
                        "{part}.{locale}.{ext} ({variant}) contains {bad:?}:\n{out}"
                    );
                }
                assert!(
                    out.starts_with("<!doctype html>"),
                    "{part}.{locale}.{ext}: a full document"
                );
                assert!(
                    out.contains("<meta charset=\"utf-8\">"),
                    "{part}.{locale}.{ext}: declares UTF-8"
                );
                assert!(
                    out.contains("name=\"viewport\""),
                    "{part}.{locale}.{ext}: viewport meta"
                );
            }
        }
    }
}

#[test]
fn lang_attribute_matches_locale() {
    let templates = Templates::new(None);
    for locale in LOCALES {
        for (variant, base) in variants(locale) {
            for (kind, part, ext) in parts().into_iter().filter(|p| p.2 == "html") {
                let out = render(&templates, part, ext, &for_kind(&base, kind));
                assert!(
                    out.contains(&format!("<html lang=\"{locale}\">")),
                    "{part}.{locale}.{ext} ({variant}): lang attribute"
                );
                assert_eq!(
                    out.matches(" lang=\"").count(),
                    1,
                    "{part}.{locale}.{ext}: one lang attribute"
                );
            }
        }
    }
}

/// Odd but valid contexts render without error in every part: no effective
/// date, a date in another format, a recipient with an empty name, no
/// recipient at all, a major change without triggers or sections, changes
/// without excerpts, an unknown classification.
#[test]
fn unusual_contexts_render() {
    let templates = Templates::new(None);
    for locale in LOCALES {
        let major = fixture("major", locale);
        let mut bare = major.clone();
        bare.triggers.clear();
        bare.sections.clear();
        let mut no_excerpts = major.clone();
        for s in &mut no_excerpts.sections {
            for c in &mut s.changes {
                c.before = None;
                c.after = None;
                c.label = None;
            }
        }
        let cases = [
            NoticeContext {
                effective_date: None,
                ..major.clone()
            },
            NoticeContext {
                effective_date: Some("15 January 2026".into()),
                ..major.clone()
            },
            NoticeContext {
                effective_date: Some("2026-13-99".into()),
                ..major.clone()
            },
            NoticeContext {
                recipient: Some(BTreeMap::from([("name".to_owned(), String::new())])),
                ..major.clone()
            },
            NoticeContext {
                recipient: Some(BTreeMap::new()),
                ..major.clone()
            },
            NoticeContext {
                recipient: None,
                ..major.clone()
            },
            NoticeContext {
                links: links(&major),
                ..major.clone()
            },
            bare,
            no_excerpts,
            NoticeContext {
                classification: "unclassified".into(),
                major: false,
                ..major.clone()
            },
        ];
        for (i, base) in cases.iter().enumerate() {
            for (kind, part, ext) in parts() {
                let out = render(&templates, part, ext, &for_kind(base, kind));
                assert!(
                    !out.trim().is_empty(),
                    "case {i}: {part}.{locale}.{ext} is empty"
                );
                // A null printed by mistake shows as the word `none`.
                let visible = if ext == "html" {
                    html_text(&out)
                } else {
                    out.clone()
                };
                assert!(
                    !visible
                        .split(|c: char| !c.is_alphanumeric())
                        .any(|w| w == "none" || w == "undefined"),
                    "case {i}: {part}.{locale}.{ext} prints a null:\n{out}"
                );
            }
        }
    }
}

/// The text of an HTML document: no style sheet, no tags (so no CSS `none`).
fn html_text(html: &str) -> String {
    let body = match (html.find("</style>"), html.find("<body")) {
        (_, Some(b)) => &html[b..],
        (Some(s), None) => &html[s..],
        _ => html,
    };
    let mut out = String::new();
    let mut in_tag = false;
    for c in body.chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            _ if !in_tag => out.push(c),
            _ => {}
        }
    }
    out
}

/// `--no-classify` gives classification `none` with substantive changes:
/// no notice may then call the update editorial, minor or major.
#[test]
fn unclassified_changes_are_not_called_editorial() {
    let templates = Templates::new(None);
    for locale in LOCALES {
        let base = NoticeContext {
            classification: "none".into(),
            major: false,
            triggers: Vec::new(),
            ..fixture("minor", locale)
        };
        for (kind, part, ext) in parts() {
            let out = render(&templates, part, ext, &for_kind(&base, kind));
            let name = format!("{part}.{locale}.{ext}");
            for claim in [
                "editorial",
                "Editorial",
                "has not changed",
                "minor",
                "Minor",
                "major change as defined",
                "文字",
                "未发生变化",
                "少量",
                "属于重大变化",
                "不涉及",
            ] {
                assert!(
                    !out.contains(claim),
                    "{name}: says {claim:?} of unclassified changes:\n{out}"
                );
            }
            if part != "email-subject" && part != "in-app" {
                assert!(
                    out.contains("(II) Our technologies"),
                    "{name}: lists the changed sections:\n{out}"
                );
            }
        }
    }
}

#[test]
fn dates_read_naturally() {
    let templates = Templates::new(None);
    let en = for_kind(&fixture("major", "en"), NoticeKind::InApp);
    let zh = for_kind(&fixture("major", "zh-CN"), NoticeKind::InApp);
    assert!(render(&templates, "in-app", "txt", &en).contains("January 15, 2026"));
    assert!(render(&templates, "in-app", "txt", &zh).contains("2026年1月15日"));
    let soon = NoticeContext {
        effective_date: None,
        ..en
    };
    assert!(render(&templates, "in-app", "txt", &soon).contains("take effect soon"));
    let soon = NoticeContext {
        effective_date: None,
        ..zh
    };
    assert!(render(&templates, "in-app", "txt", &soon).contains("即将生效"));
    let odd = NoticeContext {
        effective_date: Some("early 2026".into()),
        ..for_kind(&fixture("minor", "en"), NoticeKind::InApp)
    };
    assert!(render(&templates, "in-app", "txt", &odd).contains("early 2026"));
}

/// No default template marks data as safe: escaping is never switched off.
#[test]
fn templates_never_mark_data_safe() {
    let dir = root().join("templates");
    let mut seen = 0;
    for entry in std::fs::read_dir(&dir).expect("templates/") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "j2") {
            let text = std::fs::read_to_string(&path).expect("template");
            let squeezed: String = text.chars().filter(|c| !c.is_whitespace()).collect();
            assert!(
                !squeezed.contains("|safe"),
                "{}: uses |safe",
                path.display()
            );
            assert!(
                !squeezed.contains("autoescapefalse"),
                "{}: turns autoescape off",
                path.display()
            );
            if path.to_string_lossy().ends_with(".md.j2") {
                // Every expression in a Markdown template escapes policy text
                // with `md` (or the `line` macro, which uses it), except these,
                // which only print what is already escaped or counted.
                let plain = [
                    "e",
                    "e[:n.digits]",
                    "e[n.digits:]",
                    "ns.parts|join(\", \")",
                    "ns.parts|join(\"，\")",
                    "count_text(s.changes)",
                    "label",
                    "title",
                    "read|join(\" · \")",
                ];
                for expr in text.split("{{").skip(1) {
                    let expr = expr.split("}}").next().unwrap_or_default().trim();
                    assert!(
                        expr.contains("md") || expr.starts_with("line(") || plain.contains(&expr),
                        "{}: expression without md: {{{{ {expr} }}}}",
                        path.display()
                    );
                }
            }
            seen += 1;
        }
    }
    // Notices (12), the site's pages (5) and the plain-language sentences (2).
    assert_eq!(seen, 19, "the nineteen default templates");
}

/// Issue 11: users are told what changes for them. Built from the bundled
/// pair, no notice of any kind or language shows an editorial change (the
/// renumbered items), a front-matter field or a bare date line, and every
/// listed change shows a different before and after.
#[test]
fn notices_show_no_editorial_change_and_no_front_matter() {
    use policydiff::archive::{Origin, Version};
    use policydiff::diff::ChangeKind;
    use policydiff::pipeline::{Comparison, compare};
    use policydiff::policy::Locale;
    use policydiff::render::notice::ContextOptions;
    let version = |path: &str| Version {
        spec: path.into(),
        path: path.into(),
        origin: Origin::File,
        text: std::fs::read_to_string(root().join(path)).expect("bundled policy"),
        notes: Vec::new(),
    };
    let report = compare(
        &version("policies/privacy-policy.md"),
        &version("policies/drafts/privacy-policy-next.md"),
        None,
        &Comparison::default(),
    );
    let editorial: Vec<String> = report
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Editorial)
        .map(|c| c.clause().text.chars().take(50).collect())
        .collect();
    assert!(editorial.len() >= 5, "the bundled pair renumbers a list");
    let templates = Templates::new(None);
    for locale in Locale::ALL {
        for kind in NoticeKind::ALL {
            let ctx = NoticeContext::new(
                &report,
                &ContextOptions {
                    kind,
                    locale,
                    effective_date: "2026-01-15".parse().ok(),
                    notice_date: "2025-12-01".parse().expect("a day"),
                    base_url: Some("https://example.com/privacy"),
                    max_changes: 50,
                    templates: &templates,
                    title: None,
                },
            )
            .expect("context");
            for s in &ctx.sections {
                for c in &s.changes {
                    assert_ne!(c.before, c.after, "{locale}: identical before and after");
                }
            }
            for &(part, ext) in kind.parts() {
                let out = render(&templates, part, ext, &ctx);
                let name = format!("{part}.{locale}.{ext}");
                for e in &editorial {
                    assert!(
                        !out.contains(e.as_str()),
                        "{name} shows an editorial change: {e}"
                    );
                }
                for meta in [
                    "“2025-07-09”",
                    "“2026-01-15”",
                    "2025 .7 .9",
                    "effective date",
                ] {
                    assert!(
                        !out.contains(meta),
                        "{name} shows front matter or a date line: {meta}"
                    );
                }
            }
        }
    }
}
