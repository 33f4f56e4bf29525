//! Web pages as versions (issue 14): pages made by pandoc from our own
//! Markdown (a converter we did not write), `import`, `init --import`, and
//! `verify` against real release tags in real git repositories.

use std::path::Path;
use std::process::Command as Process;

use crate::support::{
    self, DEFAULT_CONFIG, POLICY, TestDir, TestRepo, json, policy_text, run_err, run_ok, stdout,
};

/// Whether pandoc runs; when not, the test skips loudly (a failure under CI=true).
fn pandoc_or_skip(test: &str) -> bool {
    let ok = Process::new("pandoc")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    if !ok {
        let msg = format!(
            "SKIPPED {test}: needs pandoc (Debian: apt-get install pandoc; .ci/run installs it)"
        );
        support::skip_loudly(&msg);
    }
    ok
}

/// `pandoc -s -o out.html in.md`, as a team publishing its Markdown would.
fn pandoc_html(input: &Path, out: &Path) {
    let status = Process::new("pandoc")
        .arg("-s")
        .arg("-o")
        .arg(out)
        .arg(input)
        .status()
        .expect("run pandoc");
    assert!(status.success(), "pandoc failed on {}", input.display());
}

/// Every editorial change between the Markdown and pandoc's page has a
/// known cause outside our converter: pandoc's smart typography (straight
/// quotes become curly ones), and HTML lists, which have no `1)` style (a
/// browser numbers every `ol` `1.`). Returns the causes seen.
fn explain_editorial(report: &serde_json::Value) -> Vec<&'static str> {
    let mut causes = Vec::new();
    for change in report["changes"].as_array().expect("changes") {
        assert_eq!(change["kind"], "editorial", "not editorial: {change:#}");
        let old_label = change["old"]["label"].as_str().unwrap_or_default();
        let new_label = change["new"]["label"].as_str().unwrap_or_default();
        let cause = if old_label != new_label {
            assert_eq!(
                old_label.replace(')', "."),
                new_label,
                "a label other than the list delimiter changed: {change:#}"
            );
            "list delimiter"
        } else {
            // What was deleted, with curly quotes made straight, is what
            // was inserted.
            let straight = |s: &str| s.replace(['‘', '’'], "'").replace(['“', '”'], "\"");
            let (mut deleted, mut inserted) = (String::new(), String::new());
            for op in change["inline"].as_array().expect("inline ops") {
                let text = op["text"].as_str().unwrap_or_default();
                match op["op"].as_str() {
                    Some("delete") => deleted.push_str(text),
                    Some("insert") => inserted.push_str(text),
                    _ => {}
                }
            }
            assert_ne!(deleted, inserted, "{change:#}");
            assert_eq!(
                straight(&deleted),
                straight(&inserted),
                "an editorial change other than quote style: {change:#}"
            );
            "quote style"
        };
        if !causes.contains(&cause) {
            causes.push(cause);
        }
    }
    causes
}

#[test]
fn pandoc_html_of_the_bundled_policy_is_the_same_policy() {
    if !pandoc_or_skip("pandoc_html_of_the_bundled_policy_is_the_same_policy") {
        return;
    }
    let dir = TestDir::new();
    pandoc_html(&support::bundled_policy(), &dir.join("x.html"));
    let policy = support::bundled_policy().display().to_string();
    let out = run_ok(dir.cmd().args(["diff", &policy, "x.html", "-f", "json"]));
    let report = json(&out);
    assert_eq!(report["classification"], "none", "{out}");
    let causes = explain_editorial(&report);
    assert!(
        !causes.is_empty(),
        "pandoc's page is not byte-identical in text"
    );
    // Every clause of the policy is there: title and effective date
    // (stated under the title as "2025 .7 .9") included.
    assert_eq!(report["stats"]["added"], 0);
    assert_eq!(report["stats"]["removed"], 0);
}

#[test]
fn import_then_diff_reports_nothing_substantive() {
    if !pandoc_or_skip("import_then_diff_reports_nothing_substantive") {
        return;
    }
    let dir = TestDir::new();
    pandoc_html(&support::bundled_policy(), &dir.join("x.html"));
    let printed = run_ok(dir.cmd().args(["import", "x.html"]));
    assert!(
        printed.starts_with(
            "---\ntitle: Privacy Policy\neffective: 2025-07-09\n---\n\n# Privacy Policy\n"
        ),
        "{}",
        &printed[..200.min(printed.len())]
    );
    run_ok(dir.cmd().args(["import", "x.html", "-o", "imported.md"]));
    assert_eq!(String::from_utf8(dir.read("imported.md")).unwrap(), printed);
    // An existing file is kept unless --force.
    run_err(
        dir.cmd().args(["import", "x.html", "-o", "imported.md"]),
        &["imported.md", "already exists", "--force"],
    );
    run_ok(
        dir.cmd()
            .args(["import", "x.html", "-o", "imported.md", "--force"]),
    );
    let policy = support::bundled_policy().display().to_string();
    let report = json(&run_ok(dir.cmd().args([
        "diff",
        &policy,
        "imported.md",
        "-f",
        "json",
    ])));
    assert_eq!(report["classification"], "none");
    explain_editorial(&report);
    // A Word document imports the same way (pandoc writes it; its quotes
    // are kept straight so the text is the policy's own).
    let docx = dir.join("d.docx");
    let status = std::process::Command::new("pandoc")
        .args(["-f", "markdown-smart", "-o"])
        .arg(&docx)
        .arg(support::bundled_policy())
        .status()
        .expect("run pandoc");
    assert!(status.success());
    run_ok(dir.cmd().args(["import", "d.docx", "-o", "from-word.md"]));
    let report = json(&run_ok(dir.cmd().args([
        "diff",
        &policy,
        "from-word.md",
        "-f",
        "json",
    ])));
    assert_eq!(report["classification"], "none");
    assert_eq!(report["stats"]["added"], 0);
    assert_eq!(report["stats"]["removed"], 0);
    // A file that only looks like one is refused by name.
    dir.write("bad.docx", b"PK\x03\x04");
    run_err(
        dir.cmd().args(["import", "bad.docx"]),
        &["bad.docx", "not a Word document"],
    );
    run_err(
        dir.cmd().args(["import", "notes.md"]),
        &["notes.md", ".html"],
    );
}

#[test]
fn init_import_converts_a_page_into_the_policy() {
    let dir = TestDir::new();
    dir.write(
        "Privacy Page.html",
        "<html><body><nav>Home</nav><main><h1>Privacy Policy</h1><p>Last updated: May 2, 2025</p><ol><li>We collect your email.</li></ol></main></body></html>",
    );
    run_ok(dir.cmd().args(["init", "--import", "Privacy Page.html"]));
    let text = String::from_utf8(dir.read("policies/privacy-page.md")).unwrap();
    assert_eq!(
        text,
        "---\ntitle: Privacy Policy\neffective: 2025-05-02\n---\n\n# Privacy Policy\n\nLast updated: May 2, 2025\n\n1. We collect your email.\n"
    );
    let config = String::from_utf8(dir.read("policydiff.toml")).unwrap();
    assert!(
        config.contains("path = \"policies/privacy-page.md\""),
        "{config}"
    );
}

/// `policy_text(v)` as the company's web page: site chrome around it, a
/// cookie banner inside `main`, tracking script, and the policy in an article.
fn page_of(version: u32) -> String {
    let md = policy_text(version);
    let mut items = String::new();
    let mut contact = String::new();
    for line in md.lines() {
        if let Some((n, text)) = line.split_once(". ")
            && n.parse::<u32>().is_ok()
        {
            items.push_str(&format!("<li>{text}</li>\n"));
        } else if line.starts_with("Write to") {
            contact = line.replace(
                "privacy@example.com",
                "<a href=\"mailto:privacy@example.com\">privacy@example.com</a>",
            );
        }
    }
    format!(
        r#"<!doctype html><html><head><title>Acme</title><script>track()</script></head>
<body><nav><a href="/">Home</a></nav><main><div class="cookie-banner">We use cookies. <button onclick="ok()">OK</button></div>
<article><h1>Privacy Policy</h1><h2>Collection</h2><ol>{items}</ol><h2>Contact</h2><p>{}</p></article></main>
<footer>© Acme</footer></body></html>"#,
        contact
    )
}

/// Versions 1 and 2 released (2025-01-10, 2025-02-10), version 3 committed
/// but not released; the config says which part of the page is the policy.
fn released_repo() -> TestRepo {
    let repo = TestRepo::new();
    let config =
        format!("{DEFAULT_CONFIG}select = \"main article\"\nremove = [\".cookie-banner\"]\n");
    repo.commit(
        &[("policydiff.toml", &config), (POLICY, &policy_text(1))],
        "Policy v1",
        "2025-01-01T10:00:00Z",
    );
    run_ok(repo.cmd().args([
        "release",
        "--effective",
        "2025-01-10",
        "--allow-short-notice",
        "test",
    ]));
    repo.commit(
        &[(POLICY, &policy_text(2))],
        "Policy v2",
        "2025-02-01T10:00:00Z",
    );
    run_ok(repo.cmd().args([
        "release",
        "--effective",
        "2025-02-10",
        "--allow-short-notice",
        "test",
    ]));
    repo.commit(
        &[(POLICY, &policy_text(3))],
        "Policy v3",
        "2025-03-01T10:00:00Z",
    );
    repo
}

/// Run verify; return its exit code and stdout.
fn verify(repo: &TestRepo, args: &[&str]) -> (i32, String) {
    let out = repo
        .cmd()
        .arg("verify")
        .args(args)
        .output()
        .expect("run policydiff");
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!err.contains("panicked"), "{err}");
    (out.status.code().unwrap_or(-1), stdout(&out))
}

#[test]
fn verify_passes_the_released_page_and_fails_an_old_or_unreleased_one() {
    let repo = released_repo();
    repo.write("live.html", page_of(2));
    let (code, out) = verify(&repo, &["live.html"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("No change in substance"), "{out}");
    // An old version still live.
    repo.write("old.html", page_of(1));
    let (code, out) = verify(&repo, &["old.html"]);
    assert_eq!(code, 1, "{out}");
    assert!(
        out.contains("[-2 years-]{+1 year+}") || out.contains("1 year"),
        "{out}"
    );
    // An unreleased edit live.
    repo.write("early.html", page_of(3));
    let (code, out) = verify(&repo, &["early.html", "-f", "json"]);
    assert_eq!(code, 1, "{out}");
    let report = json(&out);
    assert_eq!(report["old"]["tag"], "privacy-policy/2025-02-10", "{out}");
    assert!(out.contains("analytics partners"), "{out}");
    // The old page is exactly the older release.
    let (code, out) = verify(
        &repo,
        &["old.html", "--release", "privacy-policy/2025-01-10"],
    );
    assert_eq!(code, 0, "{out}");
    // Without the configured selection the cookie banner would count.
    repo.write("policydiff.toml", DEFAULT_CONFIG);
    let (code, out) = verify(&repo, &["live.html"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("We use cookies"), "{out}");
}

#[test]
fn verify_on_pandoc_html_of_the_released_bundled_policy() {
    if !pandoc_or_skip("verify_on_pandoc_html_of_the_released_bundled_policy") {
        return;
    }
    let repo = TestRepo::new();
    let bundled = std::fs::read_to_string(support::bundled_policy()).unwrap();
    repo.commit(
        &[("policydiff.toml", DEFAULT_CONFIG), (POLICY, &bundled)],
        "Import policy",
        "2025-07-01T10:00:00Z",
    );
    run_ok(repo.cmd().args(["release", "--effective", "2025-07-09"]));
    pandoc_html(&support::bundled_policy(), &repo.join("live.html"));
    let (code, out) = verify(&repo, &["live.html"]);
    assert_eq!(code, 0, "{out}");
    // The draft published before its release.
    pandoc_html(&support::bundled_draft(), &repo.join("draft.html"));
    let (code, out) = verify(&repo, &["draft.html", "-f", "markdown"]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("<ins>") || out.contains("<del>"), "{out}");
}

#[test]
fn verify_errors_exit_2() {
    let repo = TestRepo::new();
    repo.commit(
        &[
            ("policydiff.toml", DEFAULT_CONFIG),
            (POLICY, &policy_text(1)),
        ],
        "v1",
        "2025-01-01T10:00:00Z",
    );
    repo.write("live.html", page_of(1));
    run_err(
        repo.cmd().args(["verify", "live.html"]),
        &["no release", "--release"],
    );
    run_err(
        repo.cmd()
            .args(["verify", "missing.html", "--release", "HEAD"]),
        &["missing.html"],
    );
    repo.write(
        "policydiff.toml",
        format!("{DEFAULT_CONFIG}select = \"#policy\"\n"),
    );
    run_err(
        repo.cmd()
            .args(["verify", "live.html", "--release", "HEAD"]),
        &["live.html", "#policy", "matches nothing"],
    );
}

/// A policy kept as a web page in git: `check` reads the working-tree page
/// with the policy's own `select`/`remove`, as history reads do, so a
/// change to a removed part (the cookie banner) is no change at all, and a
/// change to the policy is.
#[test]
fn check_reads_a_working_tree_page_with_the_policys_selection() {
    let repo = TestRepo::new();
    let config = "[[policy]]\nname = \"privacy-policy\"\npath = \"policies/privacy-policy.html\"\ntitle = \"Privacy Policy\"\nlocale = \"en\"\nselect = \"main article\"\nremove = [\".cookie-banner\"]\n";
    repo.commit(
        &[
            ("policydiff.toml", config),
            ("policies/privacy-policy.html", &page_of(1)),
        ],
        "Policy page v1",
        "2025-01-01T10:00:00Z",
    );
    let banner = page_of(1).replace("We use cookies.", "We use many more cookies now.");
    assert_ne!(banner, page_of(1));
    repo.write("policies/privacy-policy.html", &banner);
    run_ok(
        repo.cmd()
            .args(["check", "--base", "HEAD", "--fail-on", "minor"]),
    );
    repo.write("policies/privacy-policy.html", page_of(2));
    let out = repo
        .cmd()
        .args(["check", "--base", "HEAD", "--fail-on", "minor"])
        .output()
        .expect("run");
    assert_eq!(
        out.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
}
