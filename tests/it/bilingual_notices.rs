//! Notices in the reader's language for a bilingual policy (issue 15): a
//! zh-CN notice quotes and summarises the Chinese policy, an en notice the
//! English one, read at the same releases; where the two languages' own
//! lists of major changes read the release differently, the more prominent
//! reading wins and a human is told.

use std::collections::BTreeSet;

use crate::support::*;

/// The bundled pair in both languages, with titles and a public archive.
pub const BILINGUAL_CONFIG: &str = "[[policy]]\nname = \"privacy-policy\"\npath = \"policies/privacy-policy.md\"\ntitle = \"Privacy Policy\"\nlocale = \"en\"\n\n[[policy]]\nname = \"privacy-policy-zh\"\npath = \"policies/privacy-policy.zh-CN.md\"\ntitle = \"隐私政策\"\nlocale = \"zh-CN\"\ntranslation_of = \"privacy-policy\"\n\n[notice]\nbase_url = \"https://example.com/privacy\"\n";

pub const EN: &str = "policies/privacy-policy.md";
pub const ZH: &str = "policies/privacy-policy.zh-CN.md";

pub fn bundled(rel: &str) -> String {
    std::fs::read_to_string(manifest_path(rel)).expect("bundled file")
}

/// The bundled policy in both languages released as 2025-07-09, then
/// `en_new` and `zh_new` released as 2026-01-15 (tags, as `release` names
/// them).
pub fn bilingual_release_repo(config: &str, en_new: &str, zh_new: &str) -> TestRepo {
    let repo = TestRepo::new();
    repo.commit(
        &[
            ("policydiff.toml", config),
            (EN, &bundled("policies/privacy-policy.md")),
            (ZH, &bundled("policies/privacy-policy.zh-CN.md")),
        ],
        "Policy in two languages",
        "2025-06-01T10:00:00Z",
    );
    repo.tag("privacy-policy/2025-07-09");
    repo.commit(
        &[(EN, en_new), (ZH, zh_new)],
        "Next policy in two languages",
        "2025-11-01T10:00:00Z",
    );
    repo.tag("privacy-policy/2026-01-15");
    repo
}

/// The bundled draft released in both languages.
pub fn bundled_draft_repo() -> TestRepo {
    bilingual_release_repo(
        BILINGUAL_CONFIG,
        &bundled("policies/drafts/privacy-policy-next.md"),
        &bundled("policies/drafts/privacy-policy-next.zh-CN.md"),
    )
}

const OLD: &str = "privacy-policy/2025-07-09";
const NEW: &str = "privacy-policy/2026-01-15";

fn notice(repo: &TestRepo, locale: &str, extra: &[&str]) -> std::process::Output {
    repo.cmd()
        .args(["notice", OLD, NEW, "--locale", locale])
        .args(["--notice-date", "2025-12-01"])
        .args(extra)
        .output()
        .expect("run policydiff")
}

/// The text a reader sees of an HTML notice: no style sheet, no tags, no
/// attributes (entities for `/` and quotes decoded).
fn visible(html: &str) -> String {
    let mut rest = html;
    let mut out = String::new();
    while let Some(start) = rest.find("<style") {
        out.push_str(&rest[..start]);
        rest = rest[start..]
            .find("</style>")
            .map_or("", |end| &rest[start + end + 8..]);
    }
    out.push_str(rest);
    let mut text = String::new();
    let mut in_tag = false;
    for c in out.chars() {
        match c {
            '<' => in_tag = true,
            '>' => {
                in_tag = false;
                text.push(' ');
            }
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&#x2f;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
}

/// Runs of three or more Latin letters, outside email addresses and URLs.
fn latin_words(text: &str) -> BTreeSet<String> {
    let mut words = BTreeSet::new();
    for token in
        text.split(|c: char| c.is_whitespace() || "“”（），。：；、《》【】()<>\"'".contains(c))
    {
        if token.contains('@') || token.contains("://") {
            continue;
        }
        let mut run = String::new();
        for c in token.chars().chain(std::iter::once(' ')) {
            if c.is_ascii_alphabetic() {
                run.push(c);
            } else {
                if run.len() >= 3 {
                    words.insert(run.to_lowercase());
                }
                run.clear();
            }
        }
    }
    words
}

#[test]
fn zh_cn_notice_of_the_bundled_bilingual_draft_quotes_the_chinese_policy() {
    let repo = bundled_draft_repo();
    let out = notice(&repo, "zh-CN", &[]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    insta::with_settings!({
        description => "every zh-CN notice of the bundled draft, released in both languages",
        omit_expression => true,
    }, {
        insta::assert_snapshot!("zh_cn_notice_of_the_bundled_bilingual_draft", text);
    });
    // The Chinese policy's own words: 《隐私政策》, its section names, its
    // clauses (in the English policy these read otherwise).
    for needle in [
        "《隐私政策》",
        "七、联系我们",
        "我们承诺自收到您在上述第1项下的请求之日起",
        "新加坡",
        "privacy@example-corp.com",
    ] {
        assert!(text.contains(needle), "lacks {needle:?}:\n{text}");
    }
    // No English policy words: a Latin word is allowed only where the
    // Chinese policy itself has it (an address, a product name).
    // (Its text, not its front matter's keys.)
    let body = |rel: &str| {
        let text = bundled(rel);
        match text
            .strip_prefix("---\n")
            .and_then(|t| t.split_once("\n---\n"))
        {
            Some((_, rest)) => rest.to_owned(),
            None => text,
        }
    };
    let chinese_policy = format!(
        "{}\n{}",
        body("policies/privacy-policy.zh-CN.md"),
        body("policies/drafts/privacy-policy-next.zh-CN.md")
    );
    let allowed = latin_words(&chinese_policy);
    let english = latin_words(&bundled("policies/drafts/privacy-policy-next.md"));
    // Each notice file as users read it (visible text for HTML).
    for part in text.split("==> ").filter(|p| !p.is_empty()) {
        let (name, body) = part.split_once(" <==\n").expect("a file banner");
        let body = if name.ends_with(".html") {
            visible(body)
        } else {
            body.to_owned()
        };
        let foreign: Vec<String> = latin_words(&body)
            .into_iter()
            .filter(|w| !allowed.contains(w))
            .collect();
        assert!(
            foreign.is_empty(),
            "{name} has Latin words the Chinese policy lacks: {foreign:?}\n{body}"
        );
    }
    // Not vacuous: English policy words are caught.
    assert!(
        english.iter().filter(|w| !allowed.contains(*w)).count() > 50,
        "the allowed words cover the English policy: {allowed:?}"
    );
    assert!(!stderr(&out).contains("disagree"), "{}", stderr(&out));
}

#[test]
fn en_notice_of_the_bilingual_release_quotes_the_english_policy() {
    let repo = bundled_draft_repo();
    let out = notice(&repo, "en", &["--kind", "email"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.contains("Privacy Policy"), "{text}");
    assert!(text.contains("Singapore"), "{text}");
    let cjk = text.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c));
    assert!(!cjk, "an English notice with Chinese text:\n{text}");
}

#[test]
fn languages_that_read_the_release_differently_are_told_and_the_more_prominent_wins() {
    // English takes the draft (major: processing, recipients, rights,
    // contact); Chinese changes only a date in its front matter wording.
    let zh_old = bundled("policies/privacy-policy.zh-CN.md");
    let repo = bilingual_release_repo(
        BILINGUAL_CONFIG,
        &bundled("policies/drafts/privacy-policy-next.md"),
        &zh_old,
    );
    let en = notice(&repo, "en", &["--kind", "in-app", "--context"]);
    assert!(en.status.success(), "{}", stderr(&en));
    let en = json(&stdout(&en));
    assert_eq!(en["classification"], "major");
    let out = notice(&repo, "zh-CN", &["--kind", "in-app", "--context"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(
        err.contains("policydiff: warning: the languages' own lists of major changes disagree")
            && err.contains("zh-CN (privacy-policy-zh) reads none []"),
        "{err}"
    );
    let zh = json(&stdout(&out));
    assert_eq!(zh["classification"], "major", "{zh:#}");
    assert_eq!(zh["major"], true);
    let ids = |v: &serde_json::Value| {
        v["triggers"]
            .as_array()
            .expect("triggers")
            .iter()
            .map(|t| t["id"].as_str().expect("id").to_owned())
            .collect::<BTreeSet<_>>()
    };
    assert_eq!(ids(&zh), ids(&en));
    assert!(
        zh["notes"][0]
            .as_str()
            .is_some_and(|n| n.contains("disagree")),
        "{zh:#}"
    );
    // Each trigger in the Chinese list's own words, nothing quoted from the
    // English text.
    for t in zh["triggers"].as_array().expect("triggers") {
        let summary = t["summary"].as_str().expect("summary");
        assert!(
            latin_words(summary).is_empty(),
            "{summary} (trigger {})",
            t["id"]
        );
    }
    // The user-facing text says nothing of the disagreement, and is the
    // prominent one.
    let text = stdout(&notice(&repo, "zh-CN", &["--kind", "in-app"]));
    assert!(text.starts_with("重要提示"), "{text}");
    assert!(!text.contains("disagree"), "{text}");
}

#[test]
fn a_policy_without_translation_reads_as_before() {
    // One language: no note, no warning, no `notes` in the context.
    let repo = bilingual_release_repo(
        DEFAULT_CONFIG,
        &bundled("policies/drafts/privacy-policy-next.md"),
        &bundled("policies/privacy-policy.zh-CN.md"),
    );
    let out = notice(&repo, "zh-CN", &["--kind", "in-app", "--context"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let zh = json(&stdout(&out));
    assert!(zh.get("notes").is_none(), "{zh:#}");
    assert!(!stderr(&out).contains("disagree"));
}
