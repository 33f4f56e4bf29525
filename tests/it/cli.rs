//! End-to-end tests of the `policydiff` binary: every command, its output
//! formats, git version specs, release tags, and the errors a user can cause.
//!

use crate::support;

use std::io::Write;
use std::path::Path;

use serde_json::Value;
use support::{
    DEFAULT_CONFIG, POLICY, TestDir, TestRepo, assert_same, bundled_draft, bundled_policy, json,
    one_version_repo, policy_text, run_err, run_ok, stderr, stdout, three_version_repo,
};

// ---------------------------------------------------------------------------
// Fixtures
// ---------------------------------------------------------------------------

/// The two adjacent paragraphs the draft swaps (policies/drafts/README.md:
/// "the Transport Layer Security Protocol paragraph now follows the We use a
/// variety of encryption technologies paragraph"). Either may be reported as
/// the one that moved.
const SWAPPED: [&str; 2] = [
    "Transport Layer Security Protocol",
    "We use a variety of encryption technologies",
];

fn bundled_args(extra: &[&str]) -> Vec<String> {
    let mut v = vec![
        "diff".to_owned(),
        bundled_policy().display().to_string(),
        bundled_draft().display().to_string(),
    ];
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

/// The text redline's change entries as (KIND, whole block).
fn text_entries(out: &str) -> Vec<(String, String)> {
    out.split("\n\n")
        .filter(|b| b.starts_with("[c"))
        .map(|b| {
            let kind = b.split_whitespace().nth(1).unwrap_or_default().to_owned();
            (kind, b.to_owned())
        })
        .collect()
}

fn has_entry(entries: &[(String, String)], kind: &str, needle: &str) -> bool {
    entries.iter().any(|(k, b)| k == kind && b.contains(needle))
}

/// Changes of a JSON report of the given kind whose new (or old) text contains `needle`.
fn json_changes<'a>(report: &'a Value, kind: &str, needle: &str) -> Vec<&'a Value> {
    report["changes"]
        .as_array()
        .expect("changes is a list")
        .iter()
        .filter(|c| c["kind"] == kind)
        .filter(|c| {
            ["new", "old"]
                .iter()
                .any(|side| c[side]["text"].as_str().is_some_and(|t| t.contains(needle)))
        })
        .collect()
}

fn stat(report: &Value, key: &str) -> u64 {
    report["stats"][key]
        .as_u64()
        .unwrap_or_else(|| panic!("stats.{key} missing"))
}

// ---------------------------------------------------------------------------
// diff of two files
// ---------------------------------------------------------------------------

#[test]
fn diff_bundled_policy_and_draft_lists_each_known_edit_with_its_kind() {
    let dir = TestDir::new();
    let out = run_ok(dir.cmd().args(bundled_args(&[])));
    let entries = text_entries(&out);
    let fail = || support::banners(&[("output", &out)]);

    assert!(
        out.lines()
            .nth(1)
            .is_some_and(|l| l.starts_with("MAJOR change")),
        "{}",
        fail()
    );
    assert!(out.lines().any(|l| l.contains("changes:")), "{}", fail());
    // Substantive wording changes.
    for needle in [
        "Singapore",
        "example-corp.com",
        "30",
        "advertising and analytics partners",
    ] {
        assert!(
            has_entry(&entries, "MODIFIED", needle),
            "no MODIFIED entry with {needle:?}{}",
            fail()
        );
    }
    // New clauses.
    assert!(
        has_entry(&entries, "ADDED", "[Location Information]"),
        "{}",
        fail()
    );
    assert!(
        has_entry(&entries, "ADDED", "human resources management"),
        "{}",
        fail()
    );
    // The TLS paragraph and the one after it swapped places, text unchanged:
    // one of them is reported as MOVED, neither as removed + added.
    assert!(
        SWAPPED.iter().any(|p| has_entry(&entries, "MOVED", p)),
        "no MOVED entry for the swapped paragraphs{}",
        fail()
    );
    for kind in ["ADDED", "REMOVED", "MODIFIED"] {
        for p in SWAPPED {
            assert!(
                !has_entry(&entries, kind, p),
                "swapped paragraph {p:?} reported as {kind}{}",
                fail()
            );
        }
    }
    // Spacing, case and renumbering are editorial.
    assert!(has_entry(&entries, "EDITORIAL", "Directly"), "{}", fail());
    assert!(has_entry(&entries, "EDITORIAL", "3 ) → 3)"), "{}", fail());
    // The ten renumbered items of one list are one entry (issue 12).
    assert!(
        has_entry(
            &entries,
            "EDITORIAL",
            "items 2.–11. renumbered (one item inserted above)"
        ),
        "{}",
        fail()
    );
    assert!(!has_entry(&entries, "EDITORIAL", "1. → 2."), "{}", fail());
    assert!(!out.contains('\x1b'), "colour in piped output{}", fail());
}

#[test]
fn diff_bundled_json_has_schema_version_and_a_kind_on_every_change() {
    let dir = TestDir::new();
    let report = json(&run_ok(dir.cmd().args(bundled_args(&["--format", "json"]))));
    assert_eq!(report["schema_version"], 2);
    assert_eq!(report["old"]["source"], "file");
    assert_eq!(report["new"]["source"], "file");
    assert_eq!(report["old"]["effective"], "2025-07-09");
    assert_eq!(report["new"]["effective"], "2026-01-15");
    let changes = report["changes"].as_array().expect("changes is a list");
    assert!(!changes.is_empty());
    let kinds = ["added", "removed", "modified", "moved", "editorial"];
    for (i, c) in changes.iter().enumerate() {
        let kind = c["kind"]
            .as_str()
            .unwrap_or_else(|| panic!("change {i} has no kind: {c}"));
        assert!(kinds.contains(&kind), "change {i} has kind {kind:?}");
        assert_eq!(c["id"], format!("c{}", i + 1));
    }
    let moved: Vec<&Value> = SWAPPED
        .iter()
        .flat_map(|p| json_changes(&report, "moved", p))
        .collect();
    assert_eq!(
        moved.len(),
        1,
        "exactly one of the swapped paragraphs moved"
    );
    let moved = moved[0];
    assert_eq!(
        moved["old"]["text"], moved["new"]["text"],
        "moved text is unchanged"
    );
    assert_eq!(
        json_changes(&report, "added", "[Location Information]").len(),
        1
    );
    assert_eq!(
        json_changes(&report, "added", "human resources management").len(),
        1
    );
    assert_eq!(json_changes(&report, "modified", "Singapore").len(), 1);
    assert_eq!(
        json_changes(&report, "modified", "privacy@example-corp.com").len(),
        1
    );
    assert!(!json_changes(&report, "editorial", "Directly").is_empty());
}

#[test]
fn diff_bundled_json_stats_add_up_to_clause_counts() {
    let dir = TestDir::new();
    let report = json(&run_ok(dir.cmd().args(bundled_args(&["-f", "json"]))));
    let [unchanged, added, removed, modified, moved, editorial] = [
        "unchanged",
        "added",
        "removed",
        "modified",
        "moved",
        "editorial",
    ]
    .map(|k| stat(&report, k));
    let old_clauses = report["old"]["clauses"].as_u64().expect("old.clauses");
    let new_clauses = report["new"]["clauses"].as_u64().expect("new.clauses");
    assert_eq!(
        unchanged + added + modified + moved + editorial,
        new_clauses,
        "{}",
        report["stats"]
    );
    assert_eq!(
        unchanged + removed + modified + moved + editorial,
        old_clauses,
        "{}",
        report["stats"]
    );
    // And the per-kind counts are the changes listed.
    for kind in ["added", "removed", "modified", "moved", "editorial"] {
        let listed = report["changes"]
            .as_array()
            .expect("changes")
            .iter()
            .filter(|c| c["kind"] == kind)
            .count() as u64;
        assert_eq!(listed, stat(&report, kind), "count of {kind}");
    }
    assert!(stat(&report, "words_added") > 0);
}

#[test]
fn diff_of_identical_files_reports_no_changes() {
    let dir = TestDir::new();
    let p = bundled_policy();
    let report = json(&run_ok(
        dir.cmd().arg("diff").arg(&p).arg(&p).args(["-f", "json"]),
    ));
    assert_eq!(report["changes"].as_array().map(Vec::len), Some(0));
    assert_eq!(
        stat(&report, "unchanged"),
        report["new"]["clauses"].as_u64().unwrap_or(0)
    );
    let text = run_ok(dir.cmd().arg("diff").arg(&p).arg(&p));
    assert!(text.contains("No changes"), "{text}");
}

// ---------------------------------------------------------------------------
// HTML and Markdown
// ---------------------------------------------------------------------------

#[test]
fn diff_html_is_a_full_document_with_del_and_ins() {
    let dir = TestDir::new();
    let html = run_ok(dir.cmd().args(bundled_args(&["--format", "html"])));
    assert!(
        html.starts_with("<!DOCTYPE html>"),
        "{}",
        &html[..html.len().min(200)]
    );
    for needle in [
        "<html",
        "<head>",
        "<meta charset=\"utf-8\">",
        "<title>",
        "<body>",
        "</body>",
        "<del>",
        "<ins>",
    ] {
        assert!(html.contains(needle), "html lacks {needle}");
    }
    assert!(html.trim_end().ends_with("</html>"));
    assert!(html.contains("data-kind=\"moved\""));
    assert!(SWAPPED.iter().any(|p| html.contains(p)));
}

fn write_script_policies(dir: &TestDir) {
    dir.write(
        "old.md",
        "# Policy\n\n1. We collect your name.\n\n2. We keep data for 1 year.\n",
    );
    dir.write(
        "new.md",
        "# Policy <script>alert(0)</script>\n\n1. We collect your name <script>alert(1)</script>.\n\n2. We keep data for 1 year.\n\n3. <script>alert(2)</script> is new.\n",
    );
}

#[test]
fn diff_html_escapes_script_tags_in_policy_text() {
    let dir = TestDir::new();
    write_script_policies(&dir);
    let html = run_ok(dir.cmd().args(["diff", "old.md", "new.md", "-f", "html"]));
    assert!(
        !html.to_lowercase().contains("<script"),
        "{}",
        support::banners(&[("html", &html)])
    );
    assert!(
        html.contains("&lt;script&gt;alert(1)&lt;/script&gt;") || html.contains("&lt;script&gt;"),
        "{html}"
    );
    assert!(html.contains("alert(2)"));
}

#[test]
fn diff_markdown_escapes_script_tags_in_policy_text() {
    let dir = TestDir::new();
    write_script_policies(&dir);
    let md = run_ok(
        dir.cmd()
            .args(["diff", "old.md", "new.md", "--format", "markdown"]),
    );
    // `\<script\>` is the escaped form; any `<script` not preceded by a backslash is raw HTML.
    assert!(
        !md.replace("\\<", "").contains("<script"),
        "{}",
        support::banners(&[("markdown", &md)])
    );
    // The text survives (however much of it is escaped).
    let unescaped = md.replace('\\', "");
    assert!(
        unescaped.contains("<script>alert(1)</script>") && unescaped.contains("alert(2)"),
        "{md}"
    );
    assert!(
        md.contains("**") || md.contains("~~"),
        "no redline markers:\n{md}"
    );
}

#[test]
fn regression_list_item_starting_with_html_is_not_an_empty_clause() {
    let dir = TestDir::new();
    write_script_policies(&dir);
    let report = json(&run_ok(
        dir.cmd().args(["diff", "old.md", "new.md", "-f", "json"]),
    ));
    for c in report["changes"].as_array().expect("changes") {
        for side in ["old", "new"] {
            if let Some(text) = c[side]["text"].as_str() {
                assert!(!text.trim().is_empty(), "empty clause in change {c}");
            }
        }
    }
    assert_eq!(json_changes(&report, "added", "alert(2)").len(), 1);
}

// ---------------------------------------------------------------------------
// -o FILE
// ---------------------------------------------------------------------------

#[test]
fn diff_output_flag_writes_file_and_nothing_to_stdout() {
    let dir = TestDir::new();
    let expected = run_ok(dir.cmd().args(bundled_args(&["-f", "html"])));
    let printed = run_ok(
        dir.cmd()
            .args(bundled_args(&["-f", "html", "-o", "redline.html"])),
    );
    assert_same("", &printed);
    assert_same(
        &expected,
        &String::from_utf8_lossy(&dir.read("redline.html")),
    );
    assert_eq!(
        dir.list("."),
        vec!["redline.html"],
        "no temporary files left behind"
    );
}

#[test]
fn diff_output_flag_creates_missing_parent_directories() {
    let dir = TestDir::new();
    run_ok(
        dir.cmd()
            .args(bundled_args(&["--output", "out/nested/redline.txt"])),
    );
    let text = String::from_utf8_lossy(&dir.read("out/nested/redline.txt")).into_owned();
    assert!(text.contains("MOVED"), "{text}");
    assert!(!text.contains('\x1b'), "a file never gets colour");
}

#[test]
fn diff_output_overwrites_an_existing_file_completely() {
    let dir = TestDir::new();
    dir.write("out.json", "x".repeat(200_000));
    run_ok(
        dir.cmd()
            .args(bundled_args(&["-f", "json", "-o", "out.json"])),
    );
    json(&String::from_utf8_lossy(&dir.read("out.json")));
}

#[test]
fn diff_output_under_a_regular_file_exits_2_and_writes_nothing() {
    let dir = TestDir::new();
    dir.write("afile", "keep me\n");
    let out = dir
        .cmd()
        .args(bundled_args(&["-o", "afile/sub/out.txt"]))
        .output()
        .expect("run");
    assert_same("", &stdout(&out));
    run_err(
        dir.cmd().args(bundled_args(&["-o", "afile/sub/out.txt"])),
        &["afile/sub/out.txt"],
    );
    assert_eq!(dir.list("."), vec!["afile"]);
    assert_eq!(dir.read("afile"), b"keep me\n");
}

#[test]
fn regression_diff_output_onto_a_directory_exits_2_and_leaves_no_temp_file() {
    let dir = TestDir::new();
    std::fs::create_dir(dir.join("outdir")).expect("mkdir");
    run_err(dir.cmd().args(bundled_args(&["-o", "outdir"])), &["outdir"]);
    assert_eq!(dir.list("."), vec!["outdir"], "temporary file left behind");
    assert!(dir.list("outdir").is_empty());
}

#[cfg(unix)]
#[test]
fn regression_diff_output_file_gets_normal_permissions_not_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TestDir::new();
    let reference = dir.write("reference.txt", "x");
    run_ok(
        dir.cmd()
            .args(bundled_args(&["-f", "html", "-o", "redline.html"])),
    );
    let mode = |p: &Path| std::fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(
        format!("{:o}", mode(&dir.join("redline.html"))),
        format!("{:o}", mode(&reference)),
        "redline.html should have the permissions of any newly created file"
    );
}

// ---------------------------------------------------------------------------
// Version specs in a git repository
// ---------------------------------------------------------------------------

#[test]
fn diff_bare_revisions_compare_the_configured_policy_at_each_commit() {
    let repo = three_version_repo();
    let report = json(&run_ok(
        repo.cmd().args(["diff", "HEAD~2", "HEAD", "-f", "json"]),
    ));
    assert_eq!(report["policy"], "privacy-policy");
    assert_eq!(report["old"]["source"], "git");
    assert_eq!(report["old"]["path"], POLICY);
    assert_eq!(report["old"]["commit"], repo.rev_parse("HEAD~2"));
    assert_eq!(report["old"]["date"], "2025-01-01T10:00:00Z");
    assert_eq!(report["new"]["commit"], repo.rev_parse("HEAD"));
    assert_eq!(report["new"]["date"], "2025-03-01T10:00:00Z");
    assert_eq!(json_changes(&report, "modified", "years").len(), 1);
    assert_eq!(
        json_changes(&report, "added", "analytics partners").len(),
        1
    );
    let text = run_ok(repo.cmd().args(["diff", "HEAD~2", "HEAD"]));
    assert!(
        text.contains("MODIFIED") && text.contains("ADDED"),
        "{text}"
    );
}

#[test]
fn diff_tag_against_head_labels_the_old_side_with_the_tag() {
    let repo = three_version_repo();
    let report = json(&run_ok(
        repo.cmd().args(["diff", "v1", "HEAD", "-f", "json"]),
    ));
    assert_eq!(report["old"]["spec"], "v1");
    assert_eq!(report["old"]["tag"], "v1");
    assert_eq!(report["old"]["commit"], repo.rev_parse("v1"));
    assert_eq!(report["new"]["tag"], Value::Null);
    let text = run_ok(repo.cmd().args(["diff", "v1", "HEAD"]));
    assert!(
        text.lines().next().is_some_and(|l| l.contains("v1 →")),
        "{text}"
    );
}

#[test]
fn diff_rev_path_against_working_tree_file() {
    let repo = three_version_repo();
    // An uncommitted edit: the file side must be read from the working tree.
    let mut edited = policy_text(3);
    edited.push_str("\nWe also use cookies for session management.\n");
    repo.write(POLICY, &edited);
    let report = json(&run_ok(repo.cmd().args([
        "diff",
        "HEAD~1:policies/privacy-policy.md",
        "policies/privacy-policy.md",
        "-f",
        "json",
    ])));
    assert_eq!(report["old"]["source"], "git");
    assert_eq!(report["old"]["commit"], repo.rev_parse("HEAD~1"));
    assert_eq!(report["new"]["source"], "file");
    assert_eq!(
        json_changes(&report, "added", "analytics partners").len(),
        1
    );
    assert_eq!(json_changes(&report, "added", "cookies").len(), 1);
    assert_eq!(json_changes(&report, "modified", "3 years").len(), 1);
}

#[test]
fn diff_dot_relative_rev_path_resolves_from_a_subdirectory() {
    let repo = three_version_repo();
    let sub = repo.join("policies");
    let report = json(&run_ok(repo.cmd_in(&sub).args([
        "diff",
        "HEAD~2:./privacy-policy.md",
        "HEAD:./privacy-policy.md",
        "-f",
        "json",
    ])));
    assert_eq!(report["old"]["path"], POLICY);
    assert_eq!(report["new"]["path"], POLICY);
    assert_eq!(report["old"]["commit"], repo.rev_parse("HEAD~2"));
    assert_eq!(json_changes(&report, "modified", "years").len(), 1);
    // Without ./ the path is from the repository root, even in a subdirectory.
    let report = json(&run_ok(repo.cmd_in(&sub).args([
        "diff",
        "HEAD~2:policies/privacy-policy.md",
        "HEAD",
        "-f",
        "json",
    ])));
    assert_eq!(report["old"]["path"], POLICY);
}

#[test]
fn diff_stdin_against_a_revision() {
    let repo = three_version_repo();
    let v2 = String::from_utf8(repo.show_at("HEAD~1", POLICY)).expect("utf-8");
    let from_stdin = json(&run_ok(
        repo.cmd()
            .args(["diff", "-", "HEAD", "-f", "json"])
            .write_stdin(v2),
    ));
    assert_eq!(from_stdin["old"]["source"], "stdin");
    let from_git = json(&run_ok(
        repo.cmd().args(["diff", "HEAD~1", "HEAD", "-f", "json"]),
    ));
    assert_eq!(from_stdin["stats"], from_git["stats"]);
    assert_eq!(from_stdin["changes"], from_git["changes"]);
}

#[test]
fn diff_with_both_sides_stdin_is_refused() {
    let repo = three_version_repo();
    run_err(
        repo.cmd().args(["diff", "-", "-"]).write_stdin("1. x\n"),
        &["standard input"],
    );
}

// ---------------------------------------------------------------------------
// show
// ---------------------------------------------------------------------------

#[test]
fn show_prints_exactly_the_bytes_of_that_version() {
    let repo = three_version_repo();
    let out = repo.cmd().args(["show", "HEAD~1"]).output().expect("run");
    assert!(out.status.success(), "{}", support::stderr(&out));
    assert_eq!(out.stdout, repo.show_at("HEAD~1", POLICY));
    assert_eq!(out.stdout, policy_text(2).into_bytes());
    let out = repo
        .cmd()
        .args(["show", "HEAD~2:policies/privacy-policy.md"])
        .output()
        .expect("run");
    assert_eq!(out.stdout, policy_text(1).into_bytes());
}

// ---------------------------------------------------------------------------
// versions
// ---------------------------------------------------------------------------

/// Five commits, three touching the policy; a release tag on a later commit
/// that left the policy alone (it releases the version before it), and a
/// non-release tag on the first commit.
fn five_commit_repo() -> (TestRepo, [String; 5]) {
    let repo = TestRepo::new();
    let c1 = repo.commit(
        &[
            ("policydiff.toml", DEFAULT_CONFIG),
            (POLICY, &policy_text(1)),
        ],
        "Policy v1",
        "2025-01-01T10:00:00Z",
    );
    repo.tag("v1");
    let c2 = repo.commit(
        &[("README.txt", "readme\n")],
        "Add readme",
        "2025-02-01T10:00:00Z",
    );
    let c3 = repo.commit(
        &[(POLICY, &policy_text(2))],
        "Policy v2",
        "2025-03-01T10:00:00Z",
    );
    let c4 = repo.commit(
        &[("README.txt", "readme 2\n")],
        "Edit readme",
        "2025-04-01T10:00:00Z",
    );
    repo.tag_annotated(
        "privacy-policy/2025-04-15",
        "HEAD",
        "privacy-policy: effective 2025-04-15",
    );
    let c5 = repo.commit(
        &[(POLICY, &policy_text(3))],
        "Policy v3",
        "2025-05-01T10:00:00Z",
    );
    (repo, [c1, c2, c3, c4, c5])
}

#[test]
fn versions_json_lists_only_commits_touching_the_policy_newest_first() {
    let (repo, [c1, _c2, c3, _c4, c5]) = five_commit_repo();
    let list = json(&run_ok(repo.cmd().args(["versions", "--format", "json"])));
    let entries = list.as_array().expect("a JSON list");
    assert_eq!(entries.len(), 3, "{list:#}");
    let commits: Vec<&str> = entries
        .iter()
        .map(|e| e["commit"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(commits, [c5.as_str(), c3.as_str(), c1.as_str()]);
    let dates: Vec<&str> = entries
        .iter()
        .map(|e| e["date"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(
        dates,
        [
            "2025-05-01T10:00:00Z",
            "2025-03-01T10:00:00Z",
            "2025-01-01T10:00:00Z"
        ]
    );
    for e in entries {
        for key in ["commit", "date", "tag", "effective", "author", "subject"] {
            assert!(e.get(key).is_some(), "entry lacks {key}: {e}");
        }
    }
    // The release tag sits on c4 (README only): it releases the text from c3.
    assert_eq!(entries[1]["tag"], "privacy-policy/2025-04-15");
    assert_eq!(entries[1]["effective"], "2025-04-15");
    assert_eq!(entries[0]["tag"], Value::Null);
    // `v1` is not a release tag of this policy.
    assert_eq!(entries[2]["tag"], Value::Null);
    assert_eq!(entries[2]["effective"], Value::Null);
}

#[test]
fn versions_text_is_one_line_per_version_with_the_release_marked() {
    let (repo, [c1, _c2, c3, _c4, c5]) = five_commit_repo();
    let out = run_ok(repo.cmd().arg("versions"));
    let expected = format!(
        "{}  2025-05-01  Test Author <author@example.com>  Policy v3\n\
         {}  2025-03-01  Test Author <author@example.com>  Policy v2  [privacy-policy/2025-04-15, effective 2025-04-15]\n\
         {}  2025-01-01  Test Author <author@example.com>  Policy v1\n",
        &c5[..10],
        &c3[..10],
        &c1[..10]
    );
    assert_same(&expected, &out);
}

// ---------------------------------------------------------------------------
// release
// ---------------------------------------------------------------------------

#[test]
fn release_creates_annotated_tag_with_effective_date_trailer() {
    let repo = one_version_repo();
    let out = run_ok(repo.cmd().args(["release", "--effective", "2025-07-09"]));
    assert!(out.contains("privacy-policy/2025-07-09"), "{out}");
    assert_eq!(repo.tags(), ["privacy-policy/2025-07-09"]);
    assert_eq!(
        repo.rev_parse("privacy-policy/2025-07-09"),
        repo.rev_parse("HEAD")
    );
    let msg = repo.tag_message("privacy-policy/2025-07-09");
    assert!(
        msg.starts_with("privacy-policy: effective 2025-07-09\n"),
        "{msg}"
    );
    assert!(msg.contains("Effective-Date: 2025-07-09"), "{msg}");
    assert!(msg.contains("Policy: privacy-policy"), "{msg}");
    assert!(!msg.contains("Previous-Release:"), "{msg}");
    // The tagger is the repository's identity.
    let tagger = repo.git(&[
        "tag",
        "-l",
        "--format=%(taggername) %(taggeremail)",
        "privacy-policy/2025-07-09",
    ]);
    assert_eq!(tagger, "Test Author <author@example.com>");
}

#[test]
fn second_release_summarises_changes_since_the_previous_one() {
    let repo = one_version_repo();
    run_ok(repo.cmd().args(["release", "--effective", "2025-07-09"]));
    repo.commit(
        &[(POLICY, &policy_text(3))],
        "Policy v3",
        "2025-08-01T10:00:00Z",
    );
    run_ok(repo.cmd().args([
        "release",
        "--effective",
        "2025-10-01",
        "--notice-date",
        "2025-08-01",
        "-m",
        "Adds analytics sharing.",
    ]));
    assert_eq!(
        repo.tags(),
        ["privacy-policy/2025-07-09", "privacy-policy/2025-10-01"]
    );
    let msg = repo.tag_message("privacy-policy/2025-10-01");
    for needle in [
        "privacy-policy: effective 2025-10-01",
        "Adds analytics sharing.",
        "Changes since privacy-policy/2025-07-09",
        "analytics partners",
        "Effective-Date: 2025-10-01",
        "Previous-Release: privacy-policy/2025-07-09",
    ] {
        assert!(msg.contains(needle), "tag message lacks {needle:?}\n{msg}");
    }
    // And `versions` shows both releases on their commits.
    let list = json(&run_ok(repo.cmd().args(["versions", "-f", "json"])));
    assert_eq!(list[0]["tag"], "privacy-policy/2025-10-01");
    assert_eq!(list[1]["tag"], "privacy-policy/2025-07-09");
    assert_eq!(list[1]["effective"], "2025-07-09");
}

#[test]
fn release_refuses_uncommitted_change_to_the_policy_file() {
    let repo = one_version_repo();
    repo.write(POLICY, policy_text(2));
    run_err(
        repo.cmd().args(["release", "--effective", "2025-07-09"]),
        &[POLICY, "uncommitted"],
    );
    // Staged but not committed is refused too.
    repo.git(&["add", POLICY]);
    run_err(
        repo.cmd().args(["release", "--effective", "2025-07-09"]),
        &[POLICY, "uncommitted"],
    );
    assert!(repo.tags().is_empty());
}

#[test]
fn release_refuses_when_the_tag_already_exists() {
    let repo = one_version_repo();
    run_ok(repo.cmd().args(["release", "--effective", "2025-07-09"]));
    repo.commit(
        &[(POLICY, &policy_text(2))],
        "Policy v2",
        "2025-08-01T10:00:00Z",
    );
    run_err(
        repo.cmd().args(["release", "--effective", "2025-07-09"]),
        &["privacy-policy/2025-07-09", "already exists"],
    );
    assert_eq!(repo.tags(), ["privacy-policy/2025-07-09"]);
    assert_eq!(
        repo.rev_parse("privacy-policy/2025-07-09"),
        repo.rev_parse("HEAD~1"),
        "tag not moved"
    );
}

#[test]
fn release_refuses_an_effective_date_not_after_the_previous_release() {
    let repo = one_version_repo();
    run_ok(repo.cmd().args(["release", "--effective", "2025-07-09"]));
    repo.commit(
        &[(POLICY, &policy_text(2))],
        "Policy v2",
        "2025-08-01T10:00:00Z",
    );
    run_err(
        repo.cmd().args(["release", "--effective", "2025-07-01"]),
        &["2025-07-01", "not after", "privacy-policy/2025-07-09"],
    );
    assert_eq!(repo.tags(), ["privacy-policy/2025-07-09"]);
}

#[test]
fn release_refuses_malformed_effective_dates() {
    let repo = one_version_repo();
    for bad in ["2025-13-40", "tomorrow", "2025-02-30", "2025/07/09", ""] {
        run_err(
            repo.cmd().args(["release", "--effective", bad]),
            &["--effective", "YYYY-MM-DD"],
        );
    }
    assert!(repo.tags().is_empty());
}

#[test]
fn release_refuses_unchanged_text_unless_allow_unchanged() {
    let repo = one_version_repo();
    run_ok(repo.cmd().args(["release", "--effective", "2025-07-09"]));
    // A commit that does not touch the policy changes nothing to release.
    repo.commit(&[("README.txt", "hi\n")], "Readme", "2025-08-01T10:00:00Z");
    run_err(
        repo.cmd().args(["release", "--effective", "2025-09-01"]),
        &[POLICY, "not changed", "--allow-unchanged"],
    );
    assert_eq!(repo.tags(), ["privacy-policy/2025-07-09"]);
    run_ok(
        repo.cmd()
            .args(["release", "--effective", "2025-09-01", "--allow-unchanged"]),
    );
    assert_eq!(
        repo.tags(),
        ["privacy-policy/2025-07-09", "privacy-policy/2025-09-01"]
    );
    let msg = repo.tag_message("privacy-policy/2025-09-01");
    assert!(
        msg.contains("Previous-Release: privacy-policy/2025-07-09"),
        "{msg}"
    );
}

#[test]
fn release_refuses_without_a_git_identity() {
    let repo = TestRepo::without_identity();
    repo.commit(
        &[
            ("policydiff.toml", DEFAULT_CONFIG),
            (POLICY, &policy_text(1)),
        ],
        "Policy v1",
        "2025-01-01T10:00:00Z",
    );
    // HOME and XDG_CONFIG_HOME are empty temp dirs and GIT_CONFIG_NOSYSTEM=1 (see support::TestDir::cmd).
    run_err(
        repo.cmd().args(["release", "--effective", "2025-07-09"]),
        &["no git identity", "user.name", "user.email"],
    );
    assert!(repo.tags().is_empty());
}

#[test]
fn release_dry_run_prints_the_message_and_creates_no_tag() {
    let repo = one_version_repo();
    let out = run_ok(repo.cmd().args([
        "release",
        "--effective",
        "2025-07-09",
        "--dry-run",
        "-m",
        "Initial text.",
    ]));
    assert_same(
        "privacy-policy: effective 2025-07-09\n\nInitial text.\n\nFirst release of this policy.\n\nPolicy: privacy-policy\nEffective-Date: 2025-07-09\n",
        &out,
    );
    assert!(repo.tags().is_empty());
}

// ---------------------------------------------------------------------------
// init
// ---------------------------------------------------------------------------

#[test]
fn init_in_an_empty_repo_writes_a_config_that_loads() {
    let repo = TestRepo::without_config();
    repo.git(&["config", "user.name", "Test Author"]);
    repo.git(&["config", "user.email", "author@example.com"]);
    repo.write(".gitignore", "target/");
    let out = run_ok(repo.cmd().arg("init"));
    assert!(out.contains("policydiff.toml"), "{out}");
    // The journal key is ignored by git, once, after what was there.
    let ignore = String::from_utf8(repo.read(".gitignore")).expect("utf-8");
    assert!(ignore.starts_with("target/\n"), "{ignore}");
    assert_eq!(
        ignore.matches("/policydiff-journal.key").count(),
        1,
        "{ignore}"
    );
    run_ok(repo.cmd().args(["init", "--force"]));
    let again = String::from_utf8(repo.read(".gitignore")).expect("utf-8");
    assert_eq!(again, ignore);
    repo.write("policydiff-journal.key", "00");
    assert!(
        repo.git(&["status", "--porcelain", "--ignored"])
            .contains("!! policydiff-journal.key")
    );
    let config = String::from_utf8(repo.read("policydiff.toml")).expect("utf-8");
    assert!(
        config.contains("path = \"policies/privacy-policy.md\""),
        "{config}"
    );
    // It loads: `versions` runs and finds nothing committed yet.
    let out = run_ok(repo.cmd().arg("versions"));
    assert!(out.contains("no committed versions"), "{out}");
    let head = repo.commit(
        &[(POLICY, &policy_text(1))],
        "Policy v1",
        "2025-01-01T10:00:00Z",
    );
    let list = json(&run_ok(repo.cmd().args(["versions", "-f", "json"])));
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    assert_eq!(list[0]["commit"], head);
}

#[test]
fn init_import_copies_the_file_into_policies() {
    let repo = TestRepo::without_config();
    repo.write("some.txt", policy_text(1));
    run_ok(repo.cmd().args(["init", "--import", "some.txt"]));
    assert_eq!(repo.read("policies/some.txt"), policy_text(1).into_bytes());
    assert_eq!(
        repo.read("some.txt"),
        policy_text(1).into_bytes(),
        "original left in place"
    );
    let config = String::from_utf8(repo.read("policydiff.toml")).expect("utf-8");
    assert!(config.contains("name = \"some\""), "{config}");
    assert!(config.contains("path = \"policies/some.txt\""), "{config}");
    // The imported policy is the configured one.
    repo.commit(&[], "Import policy", "2025-01-01T10:00:00Z");
    let report = json(&run_ok(repo.cmd().args([
        "diff",
        "HEAD",
        "policies/some.txt",
        "-f",
        "json",
    ])));
    assert_eq!(report["policy"], "some");
    assert_eq!(report["old"]["path"], "policies/some.txt");
    assert_eq!(report["changes"].as_array().map(Vec::len), Some(0));
}

#[test]
fn init_refuses_to_overwrite_an_existing_config_without_force() {
    let repo = TestRepo::without_config();
    let mine = "# mine\n[[policy]]\nname = \"terms\"\npath = \"terms.md\"\n";
    repo.write("policydiff.toml", mine);
    run_err(
        repo.cmd().arg("init"),
        &["policydiff.toml", "already exists", "--force"],
    );
    assert_eq!(repo.read("policydiff.toml"), mine.as_bytes());
    // The import target is protected the same way.
    repo.write("some.txt", "1. New text.\n");
    repo.write("policies/some.txt", "1. Old text.\n");
    std::fs::remove_file(repo.join("policydiff.toml")).expect("remove config");
    run_err(
        repo.cmd().args(["init", "--import", "some.txt"]),
        &["policies/some.txt", "already exists"],
    );
    assert_eq!(repo.read("policies/some.txt"), b"1. Old text.\n");
    // --force overwrites.
    repo.write("policydiff.toml", mine);
    run_ok(repo.cmd().args(["init", "--force"]));
    let config = String::from_utf8(repo.read("policydiff.toml")).expect("utf-8");
    assert!(
        config.contains("privacy-policy") && !config.contains("terms"),
        "{config}"
    );
}

// ---------------------------------------------------------------------------
// completions and man
// ---------------------------------------------------------------------------

#[test]
fn completions_bash_prints_a_script() {
    let dir = TestDir::new();
    let out = run_ok(dir.cmd().args(["completions", "bash"]));
    assert!(out.contains("policydiff"), "{out}");
    assert!(out.contains("complete"), "{out}");
}

#[test]
fn man_prints_a_roff_page() {
    let dir = TestDir::new();
    let out = run_ok(dir.cmd().arg("man"));
    assert!(out.contains(".TH"), "{out}");
}

#[test]
fn man_out_writes_policydiff_1_into_the_directory() {
    let dir = TestDir::new();
    let printed = run_ok(dir.cmd().args(["man", "--out", "man"]));
    assert_same("", &printed);
    let page = String::from_utf8(dir.read("man/policydiff.1")).expect("utf-8");
    assert!(page.contains(".TH"), "{page}");
    assert!(
        dir.list("man").iter().any(|n| n == "policydiff-diff.1"),
        "{:?}",
        dir.list("man")
    );
}

#[test]
fn help_and_version_flags_work() {
    let dir = TestDir::new();
    let help = run_ok(dir.cmd().arg("--help"));
    for cmd in [
        "diff",
        "show",
        "versions",
        "release",
        "init",
        "completions",
        "man",
    ] {
        assert!(help.contains(cmd), "--help lacks {cmd}:\n{help}");
    }
    let version = run_ok(dir.cmd().arg("--version"));
    assert!(version.starts_with("policydiff "), "{version}");
    let diff_help = run_ok(dir.cmd().args(["diff", "--help"]));
    assert!(diff_help.contains("--format"), "{diff_help}");
}

// ---------------------------------------------------------------------------
// Bad input: exit 2, `policydiff: error:` naming the file or thing, never a panic
// ---------------------------------------------------------------------------

#[test]
fn missing_file_outside_a_git_repo_is_an_error_naming_it() {
    let dir = TestDir::new();
    dir.write("present.md", "1. Text.\n");
    run_err(
        dir.cmd().args(["diff", "nosuch.md", "present.md"]),
        &["nosuch.md", "not a file"],
    );
    run_err(
        dir.cmd().args(["diff", "present.md", "nosuch.md"]),
        &["nosuch.md"],
    );
}

#[test]
fn directory_given_as_a_version_is_an_error() {
    let dir = TestDir::new();
    std::fs::create_dir(dir.join("adir")).expect("mkdir");
    dir.write("present.md", "1. Text.\n");
    run_err(
        dir.cmd().args(["diff", "adir", "present.md"]),
        &["adir", "directory"],
    );
}

#[test]
fn empty_file_is_an_error() {
    let dir = TestDir::new();
    dir.write("empty.md", "");
    dir.write("blank.md", " \n\n\t\n");
    dir.write("present.md", "1. Text.\n");
    run_err(
        dir.cmd().args(["diff", "empty.md", "present.md"]),
        &["empty.md", "empty"],
    );
    run_err(
        dir.cmd().args(["diff", "present.md", "blank.md"]),
        &["blank.md", "empty"],
    );
}

#[test]
fn binary_file_with_nul_is_an_error() {
    let dir = TestDir::new();
    dir.write("image.md", b"1. Text.\n\x89PNG\r\n\x00\x00\x00\rIHDR");
    dir.write("present.md", "1. Text.\n");
    run_err(
        dir.cmd().args(["diff", "present.md", "image.md"]),
        &["image.md", "binary", "line 3"],
    );
}

#[test]
fn non_utf8_file_is_an_error_suggesting_conversion() {
    let dir = TestDir::new();
    // "隐私政策" (privacy policy) in GBK.
    dir.write("gbk.md", b"1. \xd2\xfe\xcb\xbd\xd5\xfe\xb2\xdf\n");
    dir.write("present.md", "1. Text.\n");
    run_err(
        dir.cmd().args(["diff", "gbk.md", "present.md"]),
        &["gbk.md", "UTF-8", "line 1"],
    );
}

#[test]
fn file_over_the_size_limit_is_an_error_mentioning_the_limit() {
    let dir = TestDir::new();
    {
        let file = std::fs::File::create(dir.join("huge.md")).expect("create");
        let mut w = std::io::BufWriter::new(file);
        let line = "1. This is a line of policy text repeated to make a fifty megabyte file.\n";
        let mut written = 0;
        while written < 50 * 1024 * 1024 {
            w.write_all(line.as_bytes()).expect("write");
            written += line.len();
        }
        w.flush().expect("flush");
    }
    dir.write("present.md", "1. Text.\n");
    run_err(
        dir.cmd().args(["diff", "present.md", "huge.md"]),
        &["huge.md", "limit", "MiB"],
    );
}

#[test]
fn stdin_over_the_size_limit_is_an_error() {
    let dir = TestDir::new();
    dir.write(
        "big.md",
        "1. Words and more words.\n".repeat(20 * 1024 * 1024 / 25 + 1),
    );
    dir.write("present.md", "1. Text.\n");
    run_err(
        dir.cmd()
            .args(["diff", "-", "present.md"])
            .pipe_stdin(dir.join("big.md"))
            .expect("stdin"),
        &["<stdin>", "limit"],
    );
}

#[test]
fn regression_stdin_over_the_limit_does_not_claim_it_is_16_mib() {
    let dir = TestDir::new();
    dir.write(
        "big.md",
        "1. Words and more words.\n".repeat(20 * 1024 * 1024 / 25 + 1),
    );
    dir.write("present.md", "1. Text.\n");
    let err = run_err(
        dir.cmd()
            .args(["diff", "-", "present.md"])
            .pipe_stdin(dir.join("big.md"))
            .expect("stdin"),
        &["<stdin>", "limit"],
    );
    assert!(!err.contains("16.0 MiB is larger than the 16 MiB"), "{err}");
}

#[test]
fn unknown_revision_in_a_repo_is_an_error_naming_it() {
    let repo = three_version_repo();
    run_err(
        repo.cmd().args(["diff", "nosuchrev", "HEAD"]),
        &["unknown revision 'nosuchrev'"],
    );
    run_err(
        repo.cmd()
            .args(["diff", "nosuchrev:policies/privacy-policy.md", "HEAD"]),
        &["nosuchrev"],
    );
}

#[test]
fn path_absent_at_a_revision_is_an_error_naming_both() {
    let repo = three_version_repo();
    run_err(
        repo.cmd().args(["diff", "HEAD~1:policies/nope.md", "HEAD"]),
        &["'policies/nope.md' does not exist at revision 'HEAD~1'"],
    );
    // A commit before the policy existed.
    let repo = TestRepo::new();
    repo.commit(
        &[("policydiff.toml", DEFAULT_CONFIG)],
        "Config",
        "2025-01-01T10:00:00Z",
    );
    repo.commit(
        &[(POLICY, &policy_text(1))],
        "Policy",
        "2025-02-01T10:00:00Z",
    );
    run_err(
        repo.cmd().args(["diff", "HEAD~1", "HEAD"]),
        &[POLICY, "HEAD~1"],
    );
}

#[test]
fn versions_outside_a_git_repository_is_an_error() {
    let dir = TestDir::new();
    dir.write("policydiff.toml", DEFAULT_CONFIG);
    run_err(dir.cmd().arg("versions"), &["not a git repository"]);
}

#[test]
fn invalid_config_with_unknown_key_names_the_key_and_line() {
    let repo = TestRepo::new();
    repo.write(
        "policydiff.toml",
        "[[policy]]\nname = \"privacy-policy\"\npth = \"policies/privacy-policy.md\"\n",
    );
    let err = run_err(
        repo.cmd().arg("versions"),
        &["policydiff.toml", "pth", "line 3"],
    );
    assert!(err.contains("unknown field"), "{err}");
}

#[test]
fn unknown_policy_name_is_an_error_listing_configured_ones() {
    let repo = three_version_repo();
    run_err(
        repo.cmd().args(["versions", "--policy", "nosuch"]),
        &["no policy named 'nosuch'", "privacy-policy"],
    );
    run_err(
        repo.cmd().args(["diff", "HEAD~1", "HEAD", "-p", "nosuch"]),
        &["nosuch"],
    );
}

#[test]
fn non_positive_timeout_is_an_error() {
    let dir = TestDir::new();
    for t in ["0", "NaN", "inf"] {
        run_err(
            dir.cmd().args(bundled_args(&["--timeout", t])),
            &["--timeout"],
        );
    }
}

#[test]
fn regression_huge_timeout_is_an_error_or_accepted_not_a_panic() {
    let dir = TestDir::new();
    let out = dir
        .cmd()
        .args(bundled_args(&["--timeout", "1e20"]))
        .output()
        .expect("run");
    let err = support::stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        matches!(out.status.code(), Some(0 | 2)),
        "{}: {err}",
        out.status
    );
}

// ---------------------------------------------------------------------------
// Pipes and colour
// ---------------------------------------------------------------------------

#[test]
fn diff_into_a_closed_pipe_exits_0_quietly() {
    let dir = TestDir::new();
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_policydiff"))
        .current_dir(dir.path())
        .args(bundled_args(&["-f", "html"]))
        .env("NO_COLOR", "1")
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("spawn policydiff");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    let err = support::stderr(&out);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
    assert_same("", &err);
}

#[test]
fn color_always_emits_ansi_sequences_even_with_no_color_set() {
    let dir = TestDir::new();
    let out = run_ok(dir.cmd().args(bundled_args(&["--color", "always"])));
    assert!(
        out.contains("\x1b["),
        "no ANSI escapes:\n{}",
        &out[..out.len().min(500)]
    );
    // Colour replaces the [- -] / {+ +} markers.
    assert!(!out.contains("{+"), "plain markers in coloured output");
}

#[test]
fn no_color_with_auto_emits_no_ansi_sequences() {
    let dir = TestDir::new();
    let out = run_ok(dir.cmd().args(bundled_args(&[])).env("NO_COLOR", "1"));
    assert!(!out.contains('\x1b'), "ANSI escapes despite NO_COLOR");
    assert!(
        out.contains("{+") && out.contains("[-"),
        "plain markers expected"
    );
    let out = run_ok(
        dir.cmd()
            .args(bundled_args(&["--color", "never"]))
            .env_remove("NO_COLOR"),
    );
    assert!(!out.contains('\x1b'), "ANSI escapes with --color never");
    let out = run_ok(
        dir.cmd()
            .args(bundled_args(&["--color", "always", "-f", "json"])),
    );
    assert!(!out.contains('\x1b'), "ANSI escapes in JSON");
}

// ---------------------------------------------------------------------------
// classification: check, log, triggers, config triggers
// ---------------------------------------------------------------------------

fn bundled_text() -> String {
    std::fs::read_to_string(bundled_policy()).expect("bundled policy")
}

fn draft_text() -> String {
    std::fs::read_to_string(bundled_draft()).expect("bundled draft")
}

/// A repo with the bundled policy committed and released on 2025-07-09.
fn released_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.commit(
        &[(POLICY, &bundled_text())],
        "Import policy",
        "2025-07-01T10:00:00Z",
    );
    run_ok(repo.cmd().args(["release", "--effective", "2025-07-09"]));
    repo
}

fn exit_code(cmd: &mut assert_cmd::Command) -> (i32, String, String) {
    let out = cmd.output().expect("run policydiff");
    let err = support::stderr(&out);
    assert!(!err.contains("panicked"), "panic:\n{err}");
    (
        out.status.code().expect("exit code"),
        support::stdout(&out),
        err,
    )
}

#[test]
fn check_fails_with_exit_1_on_a_major_working_tree_change_against_the_latest_release() {
    let repo = released_repo();
    repo.write(POLICY, draft_text());
    let (code, out, err) = exit_code(repo.cmd().args(["check"]));
    assert_eq!(
        code,
        1,
        "{}",
        support::banners(&[("stdout", &out), ("stderr", &err)])
    );
    assert!(out.contains("MAJOR change"), "{out}");
    assert!(err.starts_with("policydiff: check failed:"), "{err}");
    assert!(
        out.contains("privacy-policy/2025-07-09"),
        "the base is the release tag:\n{out}"
    );

    let (code, out, _) = exit_code(repo.cmd().args(["check", "--format", "json"]));
    assert_eq!(code, 1);
    let v = json(&out);
    assert_eq!(v["classification"], "major");
    assert_eq!(v["failed"], true);
    let ids: Vec<&str> = v["reports"][0]["triggers"]
        .as_array()
        .expect("triggers")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    for id in ["processing", "recipients", "rights", "contact"] {
        assert!(ids.contains(&id), "{id} did not fire: {ids:?}");
    }
    let evidence = &v["reports"][0]["triggers"][0]["evidence"][0];
    assert!(
        evidence["summary"].as_str().is_some_and(|s| !s.is_empty()),
        "{evidence}"
    );
}

#[test]
fn check_passes_below_the_threshold_and_fail_on_minor_catches_minor_changes() {
    let repo = released_repo();
    let minor = bundled_text().replace(
        "and enhance employees' awareness of the importance of protecting personal information.",
        "and enhance employees' awareness of the importance of protecting personal information. We also review access logs every month.",
    );
    repo.write(POLICY, &minor);
    let (code, out, _) = exit_code(repo.cmd().args(["check"]));
    assert_eq!(code, 0, "a minor change passes --fail-on major:\n{out}");
    assert!(out.contains("Minor change"), "{out}");
    let (code, _, err) = exit_code(repo.cmd().args(["check", "--fail-on", "minor"]));
    assert_eq!(code, 1, "{err}");

    let editorial = bundled_text().replace("3 ) [Modify", "3) [Modify");
    repo.write(POLICY, &editorial);
    let (code, out, _) = exit_code(repo.cmd().args(["check", "--fail-on", "minor"]));
    assert_eq!(code, 0, "editorial only is none:\n{out}");
    assert!(out.contains("No change in substance"), "{out}");
}

#[test]
fn check_markdown_to_a_file_for_a_pull_request_comment() {
    let repo = released_repo();
    repo.write(POLICY, draft_text());
    let (code, out, _) =
        exit_code(
            repo.cmd()
                .args(["check", "--format", "markdown", "-o", "report.md"]),
        );
    assert_eq!(code, 1);
    assert!(out.is_empty(), "-o writes nothing to stdout: {out}");
    let md = String::from_utf8(repo.read("report.md")).expect("utf-8");
    assert!(
        md.starts_with("<!-- policydiff -->\n# Privacy policy check: **MAJOR** change"),
        "{md}"
    );
    assert!(md.contains("| `recipients` |"), "{md}");
}

#[test]
fn check_with_explicit_base_and_head_and_bad_policy() {
    let repo = released_repo();
    repo.commit(
        &[(POLICY, &draft_text())],
        "Revise policy",
        "2025-12-01T10:00:00Z",
    );
    let (code, out, _) = exit_code(repo.cmd().args([
        "check", "--base", "HEAD~1", "--head", "HEAD", "--format", "json",
    ]));
    assert_eq!(code, 1);
    assert_eq!(json(&out)["reports"][0]["new"]["source"], "git");
    let (code, _, _) = exit_code(
        repo.cmd()
            .args(["check", "--base", "HEAD", "--head", "HEAD"]),
    );
    assert_eq!(code, 0);
    run_err(
        repo.cmd().args(["check", "--policy", "nosuch"]),
        &["nosuch"],
    );
    run_err(
        repo.cmd().args(["check", "--base", "no-such-rev"]),
        &["no-such-rev"],
    );
}

#[test]
fn log_lists_every_change_newest_first_with_its_classification() {
    let repo = TestRepo::new();
    let v1 = bundled_text();
    let v2 = v1.replace("3 ) [Modify", "3) [Modify");
    let v3 = v2.replace(
        "and enhance employees' awareness of the importance of protecting personal information.",
        "and enhance employees' awareness of the importance of protecting personal information. We also review access logs every month.",
    );
    let v4 = v3.replace("lvyanjing1122@163.com", "privacy@example-corp.com");
    repo.commit(&[(POLICY, &v1)], "Import policy", "2025-01-01T10:00:00Z");
    repo.commit(&[(POLICY, &v2)], "Fix spacing", "2025-02-01T10:00:00Z");
    repo.commit(
        &[("README.md", "unrelated")],
        "Unrelated",
        "2025-02-15T10:00:00Z",
    );
    repo.commit(&[(POLICY, &v3)], "Add log reviews", "2025-03-01T10:00:00Z");
    repo.commit(
        &[(POLICY, &v4)],
        "New contact address",
        "2025-04-01T10:00:00Z",
    );

    let out = run_ok(repo.cmd().args(["log"]));
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), 4, "{out}");
    assert!(
        lines[0].contains("major")
            && lines[0].contains("[contact]")
            && lines[0].contains("New contact address"),
        "{out}"
    );
    assert!(
        lines[1].contains("minor") && lines[1].contains("Add log reviews"),
        "{out}"
    );
    assert!(
        lines[2].contains("none") && lines[2].contains("Fix spacing"),
        "{out}"
    );
    assert!(
        lines[3].contains("first") && lines[3].contains("Import policy"),
        "{out}"
    );

    let v = json(&run_ok(repo.cmd().args(["log", "--format", "json"])));
    let classes: Vec<&str> = v
        .as_array()
        .expect("list")
        .iter()
        .map(|r| r["classification"].as_str().expect("class"))
        .collect();
    assert_eq!(classes, ["major", "minor", "none"]);
    assert_eq!(v[0]["triggers"][0]["id"], "contact");

    let since = run_ok(repo.cmd().args(["log", "--since", "2025-03-01"]));
    assert_eq!(since.lines().count(), 2, "{since}");
    run_err(repo.cmd().args(["log", "--since", "March"]), &["--since"]);
}

#[test]
fn triggers_shows_the_policys_own_list_mapped_to_detectors() {
    let repo = released_repo();
    let out = run_ok(repo.cmd().args(["triggers"]));
    for (id, words) in [
        ("processing", "( 1 ) Our service model"),
        ("ownership", "( 2 ) We have major changes in our ownership"),
        ("recipients", "( 3 ) The main objects of sharing"),
        (
            "rights",
            "( 4 ) There are significant changes in your rights",
        ),
        ("contact", "( 5 ) When our responsible department"),
        (
            "high-risk",
            "( 6 ) When the personal information security impact assessment",
        ),
    ] {
        assert!(
            out.lines().any(|l| l.starts_with(id) && l.contains(words)),
            "{id}: {words}\n{out}"
        );
    }
    let v = json(&run_ok(repo.cmd().args(["triggers", "--format", "json"])));
    assert_eq!(v["source"], "policy");
    assert_eq!(
        v["items"].as_array().expect("items").len(),
        7,
        "six items and `triggers`"
    );
    // At another revision, or a file.
    let out = run_ok(repo.cmd().args(["triggers", "privacy-policy/2025-07-09"]));
    assert!(out.contains("( 6 )"), "{out}");
}

#[test]
fn a_policy_without_a_list_falls_back_to_the_catalogue_with_a_warning() {
    let dir = TestDir::new();
    dir.write("old.md", "# Policy\n\nWe collect your email address.\n");
    dir.write(
        "new.md",
        "# Policy\n\nWe collect your email address and your precise location.\n",
    );
    let out = run_ok(
        dir.cmd()
            .args(["diff", "old.md", "new.md", "--format", "json"]),
    );
    let v = json(&out);
    assert_eq!(v["trigger_list"]["source"], "catalogue");
    assert!(
        v["warnings"][0]
            .as_str()
            .expect("warning")
            .contains("catalogue"),
        "{out}"
    );
    assert_eq!(v["classification"], "major");
    assert_eq!(v["triggers"][0]["source"], "catalogue");
}

#[test]
fn config_triggers_and_mapping_overrides() {
    let repo = released_repo();
    repo.write(
        "policydiff.toml",
        format!(
            "{DEFAULT_CONFIG}\n[[trigger]]\nid = \"children\"\ntitle = \"Children's data\"\nsections = [\"Special Tips\"]\nterms = [\"age of 16\", \"儿童\"]\n\n[[map]]\nitem = \"( 6 )\"\nid = \"manual\"\n"
        ),
    );
    let out = run_ok(repo.cmd().args(["triggers"]));
    assert!(
        out.lines()
            .any(|l| l.starts_with("children") && l.contains("Children's data")),
        "{out}"
    );
    assert!(
        out.lines()
            .any(|l| l.starts_with("manual") && l.contains("( 6 )")),
        "{out}"
    );

    repo.write(
        POLICY,
        bundled_text().replace("users over the age of 14.", "users over the age of 16."),
    );
    let v = json(&run_ok(repo.cmd().args([
        "diff",
        "privacy-policy/2025-07-09",
        POLICY,
        "--format",
        "json",
    ])));
    let ids: Vec<&str> = v["triggers"]
        .as_array()
        .expect("triggers")
        .iter()
        .map(|t| t["id"].as_str().expect("id"))
        .collect();
    assert!(ids.contains(&"children"), "{ids:?}");
    assert_eq!(
        v["triggers"]
            .as_array()
            .expect("t")
            .iter()
            .find(|t| t["id"] == "children")
            .expect("children")["source"],
        "config"
    );
}

#[test]
fn invalid_classification_config_names_the_key() {
    let repo = released_repo();
    for (extra, needle) in [
        (
            "[[trigger]]\nid = \"x\"\nregex = [\"(unclosed\"]\n",
            "trigger[0].regex[0]",
        ),
        (
            "[[trigger]]\nid = \"recipients\"\nterms = [\"a\"]\n",
            "trigger[0].id",
        ),
        ("[[trigger]]\nid = \"empty\"\n", "trigger[0]"),
        ("[[map]]\nitem = \"( 1 )\"\nid = \"nosuch\"\n", "map[0].id"),
        (
            "[[trigger]]\nid = \"x\"\nterms = [\"a\"]\nwords = [\"b\"]\n",
            "words",
        ),
    ] {
        repo.write("policydiff.toml", format!("{DEFAULT_CONFIG}\n{extra}"));
        run_err(repo.cmd().args(["triggers"]), &["policydiff.toml", needle]);
    }
}

#[test]
fn impact_assessment_high_fires_the_high_risk_trigger() {
    let repo = released_repo();
    repo.write(POLICY, bundled_text().replace("3 ) [Modify", "3) [Modify"));
    let v = json(&run_ok(repo.cmd().args([
        "diff",
        "privacy-policy/2025-07-09",
        POLICY,
        "--format",
        "json",
        "--impact-assessment",
        "high",
    ])));
    assert_eq!(v["classification"], "major");
    assert_eq!(v["triggers"][0]["id"], "high-risk");
    assert_eq!(v["triggers"][0]["evidence"][0]["change"], Value::Null);
    let v = json(&run_ok(repo.cmd().args([
        "diff",
        "privacy-policy/2025-07-09",
        POLICY,
        "--format",
        "json",
        "--impact-assessment",
        "low",
    ])));
    assert_eq!(v["classification"], "none");
}

#[test]
fn no_classify_gives_a_redline_only_report() {
    let dir = TestDir::new();
    let v = json(&run_ok(dir.cmd().args(bundled_args(&[
        "--format",
        "json",
        "--no-classify",
    ]))));
    assert_eq!(v["classification"], Value::Null);
    assert_eq!(v["trigger_list"], Value::Null);
    assert!(v["triggers"].as_array().expect("list").is_empty());
    assert!(v["changes"].as_array().expect("list").len() > 10);
}

#[test]
fn the_example_workflow_calls_commands_that_exist_with_flags_they_accept() {
    use yaml_rust2::YamlLoader;
    let text =
        std::fs::read_to_string(support::manifest_path(".github/workflows/policy-check.yml"))
            .expect("workflow");
    let docs = YamlLoader::load_from_str(&text).expect("the workflow is valid YAML");
    let steps = docs[0]["jobs"]["check"]["steps"].as_vec().expect("steps");
    let runs: Vec<&str> = steps.iter().filter_map(|s| s["run"].as_str()).collect();
    let check_line = runs
        .iter()
        .flat_map(|r| r.lines())
        .find(|l| l.contains("$POLICYDIFF\" check"))
        .expect("a step runs policydiff check");
    // The arguments after the binary, with the GitHub expression filled in.
    let args_text = check_line
        .split_once("$POLICYDIFF\" ")
        .expect("binary")
        .1
        .replace("${{ github.base_ref }}", "main");
    let mut args = vec!["policydiff".to_owned()];
    args.extend(
        args_text
            .split_whitespace()
            .map(|a| a.trim_matches('"').to_owned()),
    );
    let parsed = <policydiff::cli::Cli as clap::Parser>::try_parse_from(&args);
    assert!(
        parsed.is_ok(),
        "{args:?}: {}",
        parsed.err().map(|e| e.to_string()).unwrap_or_default()
    );
    // It reads exit 1 as "major" and fails on 2: what check promises.
    let all = runs.join("\n");
    assert!(
        all.contains("if [ \"$code\" -ge 2 ]"),
        "errors must fail the job"
    );
    let gate = steps
        .iter()
        .find(|s| {
            s["if"]
                .as_str()
                .is_some_and(|c| c.contains("legal-approved"))
        })
        .expect("a legal-approval gate");
    assert!(
        gate["if"]
            .as_str()
            .expect("if")
            .contains("steps.check.outputs.exit == '1'")
    );
}

#[test]
fn release_of_a_major_change_refuses_a_short_notice_period_unless_a_reason_is_given() {
    let repo = released_repo();
    repo.commit(
        &[(POLICY, &draft_text())],
        "Revise policy",
        "2025-12-01T10:00:00Z",
    );
    run_err(
        repo.cmd().args([
            "release",
            "--effective",
            "2026-01-15",
            "--notice-date",
            "2025-12-20",
        ]),
        &["major", "30 days", "--allow-short-notice"],
    );
    assert_eq!(repo.tags(), ["privacy-policy/2025-07-09"]);
    run_ok(repo.cmd().args([
        "release",
        "--effective",
        "2026-01-15",
        "--notice-date",
        "2025-12-20",
        "--allow-short-notice",
        "regulator deadline",
    ]));
    let msg = repo.tag_message("privacy-policy/2026-01-15");
    assert!(
        msg.contains("Short-Notice-Reason: regulator deadline"),
        "{msg}"
    );
    assert!(msg.contains("Classification: major"), "{msg}");
    assert!(
        msg.contains("Triggers: processing, recipients, rights, contact"),
        "{msg}"
    );
}

#[test]
fn notice_refuses_a_short_notice_period_and_renders_every_kind_into_a_directory() {
    let dir = TestDir::new();
    let args = |extra: &[&str]| {
        let mut v: Vec<String> = vec![
            "notice".into(),
            bundled_policy().display().to_string(),
            bundled_draft().display().to_string(),
        ];
        v.extend(extra.iter().map(|s| s.to_string()));
        v
    };
    run_err(
        dir.cmd().args(args(&["--notice-date", "2025-12-20"])),
        &["30 days", "2026-01-15", "--allow-short-notice"],
    );
    let out = run_ok(dir.cmd().args(args(&[
        "--notice-date",
        "2025-12-01",
        "--out",
        "notices",
        "--locale",
        "zh-CN",
    ])));
    let files = dir.list("notices");
    for f in [
        "in-app.zh-CN.txt",
        "announcement.zh-CN.html",
        "email-subject.zh-CN.txt",
        "email.zh-CN.txt",
        "email.zh-CN.html",
        "changelog.zh-CN.md",
    ] {
        assert!(
            files.iter().any(|x| x == f),
            "{f} missing: {files:?}\n{out}"
        );
    }
    // --context, then --from-context, give the same email.
    let ctx = run_ok(dir.cmd().args(args(&[
        "--notice-date",
        "2025-12-01",
        "--kind",
        "email",
        "--context",
        "--recipient",
        "name=Ana",
    ])));
    dir.write("ctx.json", &ctx);
    let direct = run_ok(dir.cmd().args(args(&[
        "--notice-date",
        "2025-12-01",
        "--kind",
        "email",
        "--recipient",
        "name=Ana",
    ])));
    let from = run_ok(
        dir.cmd()
            .args(["notice", "--from-context", "ctx.json", "--kind", "email"]),
    );
    assert_same(&direct, &from);
    run_err(
        dir.cmd()
            .args(args(&["--context", "--notice-date", "2025-12-01"])),
        &["--kind"],
    );
    dir.write("bad.json", "{\"schema_version\": 1}");
    run_err(
        dir.cmd().args(["notice", "--from-context", "bad.json"]),
        &["bad.json", "missing field"],
    );
}

#[test]
fn a_broken_override_template_is_an_error_naming_the_file_and_line() {
    let repo = released_repo();
    repo.write(
        "templates/in-app.en.txt.j2",
        "line one\n{{ policy.title }}\n{{ no_such_variable }}\n",
    );
    repo.write(POLICY, bundled_text().replace("3 ) [Modify", "3) [Modify"));
    run_err(
        repo.cmd().args([
            "notice",
            "privacy-policy/2025-07-09",
            POLICY,
            "--kind",
            "in-app",
        ]),
        &["in-app.en.txt.j2:3", "undefined"],
    );
    repo.write("templates/in-app.en.txt.j2", "{% if %}\n");
    run_err(
        repo.cmd().args([
            "notice",
            "privacy-policy/2025-07-09",
            POLICY,
            "--kind",
            "in-app",
        ]),
        &["in-app.en.txt.j2:1", "syntax"],
    );
    // An override that works is used instead of the default.
    repo.write(
        "templates/in-app.en.txt.j2",
        "Custom: {{ classification }}\n",
    );
    let out = run_ok(repo.cmd().args([
        "notice",
        "privacy-policy/2025-07-09",
        POLICY,
        "--kind",
        "in-app",
    ]));
    assert_eq!(out, "Custom: none\n");
}

#[test]
fn history_writes_one_row_per_release_newest_first() {
    let repo = released_repo();
    repo.commit(
        &[(POLICY, &draft_text())],
        "Revise policy",
        "2025-12-01T10:00:00Z",
    );
    run_ok(repo.cmd().args([
        "release",
        "--effective",
        "2026-01-15",
        "--notice-date",
        "2025-12-01",
    ]));
    let out = run_ok(repo.cmd().args(["history"]));
    assert!(out.contains("privacy-policy.history.md"), "{out}");
    let md = String::from_utf8(repo.read("policies/privacy-policy.history.md")).expect("utf-8");
    let rows: Vec<&str> = md.lines().filter(|l| l.starts_with("| 20")).collect();
    assert_eq!(rows.len(), 2, "{md}");
    assert!(
        rows[0].contains("2026-01-15")
            && rows[0].contains("major")
            && rows[0].contains("recipients"),
        "{md}"
    );
    assert!(
        rows[1].contains("2025-07-09") && rows[1].contains("first"),
        "{md}"
    );
    let printed = run_ok(repo.cmd().args(["history", "--stdout"]));
    assert_same(&md, &printed);
    let bare = TestRepo::new();
    bare.commit(
        &[(POLICY, &bundled_text())],
        "Import",
        "2025-07-01T10:00:00Z",
    );
    run_err(bare.cmd().args(["history"]), &["no releases"]);
}

// ---------------------------------------------------------------------------
// send with the file transport (SMTP: tests/smtp.rs)
// ---------------------------------------------------------------------------

const EMAIL_CONFIG: &str = "\n[email]\nfrom = \"Privacy Team <privacy@example.com>\"\nreply_to = \"privacy@example.com\"\nlist_unsubscribe = \"<mailto:unsubscribe@example.com>\"\n";

/// A released repo whose working tree holds the draft (a major change), with [email] set.
fn send_repo() -> TestRepo {
    let repo = released_repo();
    repo.write("policydiff.toml", format!("{DEFAULT_CONFIG}{EMAIL_CONFIG}"));
    repo.write(POLICY, draft_text());
    repo
}

fn send_args(extra: &[&str]) -> Vec<String> {
    let mut v: Vec<String> = [
        "send",
        "privacy-policy/2025-07-09",
        POLICY,
        "--notice-date",
        "2025-12-01",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    if !extra.contains(&"--transport") {
        v.extend(["--transport".to_string(), "file:out".to_string()]);
    }
    v.extend(extra.iter().map(|s| s.to_string()));
    v
}

fn eml_files(repo: &TestRepo, dir: &str) -> Vec<String> {
    if !repo.join(dir).is_dir() {
        return Vec::new();
    }
    repo.list(dir)
        .into_iter()
        .filter(|f| f.ends_with(".eml"))
        .map(|f| String::from_utf8(repo.read(&format!("{dir}/{f}"))).expect("utf-8"))
        .collect()
}

#[test]
fn send_writes_one_message_per_valid_unique_recipient_and_reports_the_rest() {
    let repo = send_repo();
    repo.write(
        "r.csv",
        "email,name,locale\nana@example.com,Ana,en\nANA@example.com,Ana twice,en\nli@example.com,李雷,zh-CN\nnot-an-address,X,en\n\"bob@example.com\",\"Bob\r\nBcc: x@y\",en\n,nobody,en\n",
    );
    let out = repo
        .cmd()
        .args(send_args(&[
            "--recipients",
            "r.csv",
            "--journal",
            "j.jsonl",
        ]))
        .output()
        .expect("run");
    let (stdout, stderr) = (support::stdout(&out), support::stderr(&out));
    // Issue 11: every valid recipient was sent, so exit 0 (it was 2); the
    // skipped rows are listed with their lines and counted in the summary.
    assert_eq!(
        out.status.code(),
        Some(0),
        "every valid recipient was sent: {stderr}"
    );
    assert!(
        stdout.contains("sent 2")
            && stdout.contains("invalid 3")
            && stdout.contains("duplicates 1")
            && stdout.contains("by locale: en: sent 1; zh-CN: sent 1"),
        "{stdout}"
    );
    assert!(
        stderr.contains("3 invalid row(s) skipped") && !stderr.contains("policydiff: error"),
        "{stderr}"
    );
    for line in [
        "r.csv line 5: invalid email address",
        "r.csv line 6: field `name` contains a line break",
        "line 8: no email address",
    ] {
        assert!(stderr.contains(line), "{line}\n{stderr}");
    }
    assert!(
        !stderr.contains("not-an-address"),
        "addresses are not logged: {stderr}"
    );
    let mails = eml_files(&repo, "out");
    assert_eq!(mails.len(), 2);
    assert!(
        mails
            .iter()
            .all(|m| !m.contains("x@y") && !m.contains("\nBcc:")),
        "no injected header"
    );
    let zh = mails
        .iter()
        .find(|m| m.contains("li@example.com"))
        .expect("zh mail");
    assert!(
        !zh.contains("ana@example.com"),
        "no other recipient's address in a message"
    );
    for header in [
        "Message-ID: <",
        "Reply-To: privacy@example.com",
        "List-Unsubscribe: <mailto:unsubscribe@example.com>",
        "multipart/alternative",
        "text/plain",
        "text/html",
        "Date: ",
    ] {
        assert!(zh.contains(header), "{header} missing:\n{zh}");
    }
    // The journal holds hashes, never addresses.
    let journal = String::from_utf8(repo.read("j.jsonl")).expect("utf-8");
    assert!(!journal.contains("@example.com\""), "{journal}");
    // A rerun resumes: nothing is sent twice.
    let again = repo
        .cmd()
        .args(send_args(&[
            "--recipients",
            "r.csv",
            "--journal",
            "j.jsonl",
        ]))
        .output()
        .expect("run");
    assert!(
        support::stdout(&again).contains("sent 0, already sent 2"),
        "{}",
        support::stdout(&again)
    );
    assert_eq!(eml_files(&repo, "out").len(), 2);
    // Receipts join the addresses back in, with the Message-IDs of the files.
    let receipts = run_ok(repo.cmd().args([
        "receipts",
        "--journal",
        "j.jsonl",
        "--recipients",
        "r.csv",
        "--format",
        "json",
    ]));
    let rows = json(&receipts);
    let ana = rows
        .as_array()
        .expect("list")
        .iter()
        .find(|r| r["email"] == "ana@example.com")
        .expect("ana");
    assert_eq!(ana["status"], "sent");
    let id = ana["message_id"].as_str().expect("id");
    assert!(
        mails.iter().any(|m| m.contains(id)),
        "the receipt's Message-ID is the message's"
    );
}

#[test]
fn send_strict_and_dry_run_send_nothing() {
    let repo = send_repo();
    repo.write("r.csv", "email,name\nana@example.com,Ana\nbad,Bad\n");
    // One line: the refusal names the invalid rows.
    let out = repo
        .cmd()
        .args(send_args(&["--recipients", "r.csv", "--strict"]))
        .output()
        .expect("run");
    let err = support::stderr(&out);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("line 3: invalid email address"), "{err}");
    assert!(
        err.starts_with("policydiff: error:") && err.contains("--strict: nothing was sent"),
        "{err}"
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(eml_files(&repo, "out").is_empty());
    let out = run_ok(repo.cmd().args(send_args(&[
        "--recipients",
        "r.csv",
        "--dry-run",
        "--journal",
        "dry.jsonl",
    ])));
    assert!(
        out.contains("would send 1") && out.contains("invalid 1"),
        "{out}"
    );
    assert!(eml_files(&repo, "out").is_empty());
    assert!(
        !repo.join("dry.jsonl").exists(),
        "a dry run writes no journal"
    );
}

#[test]
fn send_shards_partition_the_list_and_receipts_merge_their_journals() {
    let repo = send_repo();
    let mut csv = String::from("email,name\n");
    for i in 0..30 {
        csv.push_str(&format!("user{i}@example.com,User {i}\n"));
    }
    repo.write("r.csv", &csv);
    let mut journals = Vec::new();
    for k in 1..=3 {
        let journal = format!("j{k}.jsonl");
        let shard = format!("{k}/3");
        run_ok(repo.cmd().args(send_args(&[
            "--recipients",
            "r.csv",
            "--shard",
            &shard,
            "--journal",
            &journal,
        ])));
        journals.push(journal);
    }
    assert_eq!(
        eml_files(&repo, "out").len(),
        30,
        "every recipient once across shards"
    );
    let mut args = vec!["receipts".to_string()];
    for j in &journals {
        args.push("--journal".into());
        args.push(j.clone());
    }
    args.extend([
        "--recipients".into(),
        "r.csv".into(),
        "--format".into(),
        "json".into(),
    ]);
    let rows = json(&run_ok(repo.cmd().args(&args)));
    assert_eq!(
        rows.as_array()
            .expect("list")
            .iter()
            .filter(|r| r["status"] == "sent")
            .count(),
        30
    );
    run_err(
        repo.cmd()
            .args(send_args(&["--recipients", "r.csv", "--shard", "4/3"])),
        &["--shard"],
    );
}

#[test]
fn send_bad_journals_and_settings_are_clear_errors() {
    let repo = send_repo();
    repo.write("r.csv", "email\nana@example.com\n");
    // A journal of another notice.
    run_ok(repo.cmd().args(send_args(&[
        "--recipients",
        "r.csv",
        "--journal",
        "j.jsonl",
    ])));
    repo.write(
        POLICY,
        draft_text().replace("privacy@example-corp.com", "dpo@example.com"),
    );
    run_err(
        repo.cmd().args(send_args(&[
            "--recipients",
            "r.csv",
            "--journal",
            "j.jsonl",
        ])),
        &["j.jsonl", "notice"],
    );
    // A damaged journal.
    repo.write("bad.jsonl", "{\"journal\":1,\"notice\":\"x\"}\n");
    run_err(
        repo.cmd().args(send_args(&[
            "--recipients",
            "r.csv",
            "--journal",
            "bad.jsonl",
        ])),
        &["bad.jsonl", "line 1"],
    );
    std::fs::create_dir_all(repo.join("dir.jsonl")).expect("mkdir");
    run_err(
        repo.cmd().args(send_args(&[
            "--recipients",
            "r.csv",
            "--journal",
            "dir.jsonl",
        ])),
        &["dir.jsonl"],
    );
    // No [email] table; a password in the URL; a missing list.
    repo.write("policydiff.toml", DEFAULT_CONFIG);
    run_err(
        repo.cmd().args(send_args(&["--recipients", "r.csv"])),
        &["[email]", "from"],
    );
    repo.write("policydiff.toml", format!("{DEFAULT_CONFIG}{EMAIL_CONFIG}"));
    let err = run_err(
        repo.cmd().args(send_args(&[
            "--recipients",
            "r.csv",
            "--transport",
            "smtp://u:hunter2@127.0.0.1:1",
        ])),
        &["password in the URL"],
    );
    assert!(
        !err.contains("hunter2"),
        "the password is never printed: {err}"
    );
    run_err(
        repo.cmd().args(send_args(&["--recipients", "nope.csv"])),
        &["nope.csv"],
    );
    repo.write("nocol.csv", "mail\nana@example.com\n");
    run_err(
        repo.cmd().args(send_args(&["--recipients", "nocol.csv"])),
        &["nocol.csv", "email"],
    );
}

// ---------------------------------------------------------------------------
// Issue 8: regressions from the hostile run (one test per failure)
// ---------------------------------------------------------------------------

/// A repository with one committed, released version of the policy.
fn released_v1_repo() -> TestRepo {
    let repo = one_version_repo();
    repo.tag_annotated(
        "privacy-policy/2025-01-01",
        "HEAD",
        "privacy-policy: effective 2025-01-01",
    );
    repo
}

/// Entries left beside `dir` by an interrupted write (`.policydiff-*`).
fn leftovers(repo: &TestDir, rel: &str) -> Vec<String> {
    repo.list(rel)
        .into_iter()
        .filter(|n| n.starts_with(".policydiff-"))
        .collect()
}

#[test]
fn site_refuses_a_non_empty_directory_it_did_not_write_and_keeps_its_files() {
    let repo = released_v1_repo();
    repo.write("d/important.txt", "keep");
    let err = run_err(
        repo.cmd().args(["site", "--out", "d"]),
        &["d", "important.txt", "not written by `policydiff site`"],
    );
    assert_eq!(err.lines().count(), 1, "{err}");
    assert_eq!(repo.read("d/important.txt"), b"keep");
    assert!(leftovers(&repo, ".").is_empty(), "{:?}", repo.list("."));

    // Its own site is replaced; a file added to it afterwards blocks the next run.
    run_ok(repo.cmd().args(["site", "--out", "site"]));
    run_ok(repo.cmd().args(["site", "--out", "site"]));
    assert!(repo.join("site/.policydiff-site").is_file());
    repo.write("site/CNAME", "policy.example.com");
    run_err(repo.cmd().args(["site", "--out", "site"]), &["CNAME"]);
    assert_eq!(repo.read("site/CNAME"), b"policy.example.com");
    assert!(leftovers(&repo, ".").is_empty(), "{:?}", repo.list("."));
}

#[test]
fn site_never_replaces_the_repository_its_config_or_a_policy_file() {
    let repo = released_v1_repo();
    let before = repo.list(".");
    for out in [".", "policies", "..", repo.path().to_str().unwrap()] {
        run_err(repo.cmd().args(["site", "--out", out]), &["--out"]);
        assert_eq!(repo.list("."), before, "--out {out} changed the repository");
    }
    assert!(repo.join(".git/HEAD").is_file());
    assert_eq!(repo.read(POLICY), policy_text(1).as_bytes());
    assert!(repo.join("policydiff.toml").is_file());
    // An empty directory is fine, and nothing is left beside it.
    std::fs::create_dir(repo.join("empty")).unwrap();
    run_ok(repo.cmd().args(["site", "--out", "empty"]));
    assert!(repo.join("empty/index.html").is_file());
    assert!(leftovers(&repo, ".").is_empty(), "{:?}", repo.list("."));
}

#[cfg(unix)]
#[test]
fn output_onto_a_device_writes_through_and_never_replaces_the_node() {
    use std::os::unix::fs::FileTypeExt;
    let dir = TestDir::new();
    let (old, new) = (bundled_policy(), bundled_draft());
    // /dev/full: the write fails (ENOSPC), exit 2, and the device stays a device.
    if std::fs::metadata("/dev/full").is_ok_and(|m| m.file_type().is_char_device()) {
        run_err(
            dir.cmd()
                .args(["diff", old.to_str().unwrap(), new.to_str().unwrap()])
                .args(["-o", "/dev/full"]),
            &["/dev/full"],
        );
        assert!(
            std::fs::metadata("/dev/full")
                .unwrap()
                .file_type()
                .is_char_device()
        );
    }
    // A link to /dev/stdout: the output reaches the reader, the link stays.
    std::os::unix::fs::symlink("/dev/stdout", dir.join("out.txt")).unwrap();
    let out = run_ok(
        dir.cmd()
            .args(["diff", old.to_str().unwrap(), new.to_str().unwrap()])
            .args(["-o", "out.txt"]),
    );
    assert!(out.contains("MAJOR"), "the reader got: {out:?}");
    assert!(
        std::fs::symlink_metadata(dir.join("out.txt"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
    // A link to a regular file: the file is replaced, the link kept.
    dir.write("real.txt", "old");
    std::fs::remove_file(dir.join("out.txt")).unwrap();
    std::os::unix::fs::symlink("real.txt", dir.join("out.txt")).unwrap();
    run_ok(
        dir.cmd()
            .args(["diff", old.to_str().unwrap(), new.to_str().unwrap()])
            .args(["-o", "out.txt"]),
    );
    assert!(String::from_utf8_lossy(&dir.read("real.txt")).contains("MAJOR"));
    assert!(
        std::fs::symlink_metadata(dir.join("out.txt"))
            .unwrap()
            .file_type()
            .is_symlink()
    );
}

#[cfg(unix)]
#[test]
fn devices_and_fifos_as_versions_are_refused_at_once() {
    let dir = TestDir::new();
    let fifo = dir.join("pipe");
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let mut inputs = vec!["/dev/zero".to_owned(), "/dev/urandom".to_owned()];
    if made.is_ok_and(|s| s.success()) {
        inputs.push(fifo.display().to_string());
    }
    let other = bundled_policy();
    for input in &inputs {
        let started = std::time::Instant::now();
        run_err(
            dir.cmd()
                .args(["diff", input, other.to_str().unwrap()])
                .timeout(std::time::Duration::from_secs(10)),
            &[input, "not a regular file"],
        );
        assert!(
            started.elapsed() < std::time::Duration::from_secs(5),
            "{input} took {:?}",
            started.elapsed()
        );
    }
}

#[test]
fn control_characters_in_an_error_message_are_shown_not_obeyed() {
    let dir = TestDir::new();
    let err = run_err(
        dir.cmd().args(["diff", "\u{1b}]0;pwned\u{7}", "\u{1b}[2J"]),
        &["\\x1b]0;pwned\\x07"],
    );
    assert!(!err.contains('\u{1b}'), "raw ESC on stderr: {err:?}");
}

#[test]
fn usage_and_config_errors_are_one_line() {
    let repo = TestRepo::new();
    let err = run_err(repo.cmd().args(["diff", "--bogus"]), &["--bogus", "--help"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    let err = run_err(repo.cmd().args(["diff"]), &["<OLD>", "<NEW>"]);
    assert_eq!(err.lines().count(), 1, "{err}");
    repo.write(
        "policydiff.toml",
        "[[policy]]\nname = \"p\"\npath = \"x.md\"\nlocale = [1\n",
    );
    let err = run_err(
        repo.cmd().args(["versions"]),
        &["policydiff.toml", "line 4"],
    );
    assert_eq!(err.lines().count(), 1, "{err}");
}

#[test]
fn config_refuses_locales_without_templates_and_names_git_cannot_tag() {
    let repo = TestRepo::new();
    for (toml, needle) in [
        (
            "name = \"p\"\npath = \"p.md\"\nlocale = \"fr\"",
            "policy[0].locale",
        ),
        ("name = \"a..b\"\npath = \"p.md\"", "policy[0].name"),
        ("name = \"x.lock\"\npath = \"p.md\"", "policy[0].name"),
    ] {
        repo.write("policydiff.toml", format!("[[policy]]\n{toml}\n"));
        let err = run_err(repo.cmd().args(["versions"]), &["policydiff.toml", needle]);
        assert!(!err.contains("libgit2"), "{err}");
    }
}

#[test]
fn triggers_refuses_a_policy_path_outside_the_repository() {
    let repo = TestRepo::new();
    let outside = TestDir::new();
    outside.write("secret.md", policy_text(1));
    repo.write(
        "policydiff.toml",
        format!(
            "[[policy]]\nname = \"p\"\npath = \"{}\"\n",
            pathdiff(repo.path(), &outside.join("secret.md"))
        ),
    );
    run_err(repo.cmd().args(["triggers"]), &["outside the repository"]);
}

/// `target` relative to `base` (both absolute), with `..` steps.
fn pathdiff(base: &Path, target: &Path) -> String {
    let b: Vec<_> = base.components().collect();
    let t: Vec<_> = target.components().collect();
    let common = b.iter().zip(&t).take_while(|(x, y)| x == y).count();
    let mut parts: Vec<String> = vec!["..".into(); b.len() - common];
    parts.extend(
        t[common..]
            .iter()
            .map(|c| c.as_os_str().to_string_lossy().into_owned()),
    );
    parts.join("/")
}

#[test]
fn concurrent_releases_of_the_same_text_tag_it_once() {
    let repo = released_v1_repo();
    for trial in 0..20u32 {
        repo.commit(
            &[(POLICY, &policy_text(trial + 2))],
            &format!("Policy v{}", trial + 2),
            &format!("2025-02-01T10:{:02}:00Z", trial),
        );
        let tags_before = repo.tags().len();
        let spawn = |date: &str| {
            let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_policydiff"));
            cmd.current_dir(repo.path())
                .env("HOME", repo.home())
                .env("GIT_CONFIG_NOSYSTEM", "1")
                .env_remove("POLICYDIFF_CONFIG")
                .args([
                    "release",
                    "--effective",
                    date,
                    "--allow-short-notice",
                    "test",
                ])
                .stdout(std::process::Stdio::null())
                .stderr(std::process::Stdio::null())
                .spawn()
                .unwrap()
        };
        let (mut a, mut b) = (
            spawn(&format!("{}-01-01", 2030 + trial)),
            spawn(&format!("{}-06-01", 2030 + trial)),
        );
        let (ra, rb) = (a.wait().unwrap(), b.wait().unwrap());
        let made = repo.tags().len() - tags_before;
        assert_eq!(made, 1, "trial {trial}: {:?}", repo.tags());
        assert!(ra.success() != rb.success(), "one must fail: {ra} {rb}");
    }
}

#[test]
fn log_shows_an_unreadable_version_in_place_and_goes_on() {
    let repo = TestRepo::new();
    repo.commit(
        &[
            ("policydiff.toml", DEFAULT_CONFIG),
            (POLICY, &policy_text(1)),
        ],
        "Policy v1",
        "2025-01-01T10:00:00Z",
    );
    repo.commit(&[(POLICY, "")], "Empty capture", "2025-02-01T10:00:00Z");
    repo.commit(
        &[(POLICY, &policy_text(2))],
        "Policy v2",
        "2025-03-01T10:00:00Z",
    );
    let out = repo.cmd().arg("log").output().unwrap();
    assert!(out.status.success(), "{}", support::stderr(&out));
    let text = stdout(&out);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].contains("Policy v2") && !lines[0].contains("unreadable"));
    assert!(lines[1].contains("unreadable: empty") && lines[1].contains("Empty capture"));
    assert!(lines[2].contains("first") && lines[2].contains("Policy v1"));
    assert!(support::stderr(&out).contains("1 version(s)"));
    // v2 is compared with v1, the last readable version.
    let json_out = run_ok(repo.cmd().args(["log", "--format", "json"]));
    let reports = json(&json_out);
    assert_eq!(reports.as_array().unwrap().len(), 1, "{json_out}");
    run_err(repo.cmd().args(["log", "--strict"]), &["could not be read"]);
}

#[test]
fn the_tag_the_user_named_is_the_one_reported() {
    let repo = released_v1_repo();
    repo.tag("v1");
    repo.commit(
        &[(POLICY, &policy_text(2))],
        "Policy v2",
        "2025-02-01T10:00:00Z",
    );
    let report = json(&run_ok(repo.cmd().args([
        "diff",
        "privacy-policy/2025-01-01",
        "HEAD",
        "--format",
        "json",
    ])));
    assert_eq!(
        report["old"]["tag"], "privacy-policy/2025-01-01",
        "{report}"
    );
    let report = json(&run_ok(
        repo.cmd().args(["diff", "v1", "HEAD", "--format", "json"]),
    ));
    assert_eq!(report["old"]["tag"], "v1", "{report}");
    // Named by commit: the release tag is preferred.
    let report = json(&run_ok(
        repo.cmd()
            .args(["diff", "HEAD~1", "HEAD", "--format", "json"]),
    ));
    assert_eq!(
        report["old"]["tag"], "privacy-policy/2025-01-01",
        "{report}"
    );
}

#[test]
fn control_characters_in_a_policy_never_reach_the_terminal_raw_even_in_colour() {
    let dir = TestDir::new();
    dir.write("old.md", "# T\n\nWe keep data for 30 days.\n");
    dir.write(
        "new.md",
        "# T\n\nWe keep data for 30 days.\u{1b}]52;c;cHduZWQ=\u{7}\u{1b}[2J\u{9b}0m\n",
    );
    for color in ["never", "always"] {
        let out = run_ok(
            dir.cmd()
                .args(["diff", "old.md", "new.md", "--color", color]),
        );
        assert!(out.contains("\\x1b]52;c;cHduZWQ=\\x07"), "{out:?}");
        assert!(!out.contains('\u{7}') && !out.contains('\u{9b}'), "{out:?}");
        // Only our own colour codes (CSI … m) may be raw escapes.
        for (i, _) in out.match_indices('\u{1b}') {
            let rest = &out[i + 1..];
            let end = rest.find('m').expect("an SGR sequence ends with m");
            assert!(
                rest.starts_with('[')
                    && rest[1..end].chars().all(|c| c.is_ascii_digit() || c == ';'),
                "raw escape that is not ours: {:?}",
                &rest[..end.min(20)]
            );
        }
    }
}

// ---------------------------------------------------------------------------
// Issue 11: `send` as an operator expects (file transport: no pre-flight)
// ---------------------------------------------------------------------------

/// Not on a terminal (as here: stderr is a pipe), progress is a line per
/// tenth of the list (or every 10 s), not one per row: main wrote 52 lines
/// for 52 rows.
#[test]
fn send_progress_without_a_terminal_is_a_line_per_tenth_not_one_per_row() {
    let repo = send_repo();
    let mut csv = String::from("email,name\n");
    for i in 0..52 {
        csv.push_str(&format!("user{i}@example.com,User {i}\n"));
    }
    repo.write("r.csv", &csv);
    let out = repo
        .cmd()
        .args(send_args(&[
            "--recipients",
            "r.csv",
            "--journal",
            "j.jsonl",
        ]))
        .output()
        .expect("run");
    let stderr = support::stderr(&out);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    let progress: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("policydiff: send:"))
        .collect();
    assert!(
        (2..=11).contains(&progress.len()),
        "{} progress lines:\n{stderr}",
        progress.len()
    );
    assert_eq!(
        progress.last().copied(),
        Some("policydiff: send: 52/52 recipients (100%)"),
        "{stderr}"
    );
    assert_eq!(eml_files(&repo, "out").len(), 52);
}

/// `--dry-run` shows, per locale the list uses, the rendered subject and the
/// first lines of one email, naming the row by its line, never its address.
#[test]
fn send_dry_run_shows_the_subject_and_first_lines_of_one_email_per_locale() {
    let repo = send_repo();
    repo.write(
        "r.csv",
        "email,name,locale\nana@example.com,Ana,en\nli@example.com,李雷,zh-CN\nbo@example.com,Bo,en\nfr@example.com,Fr,fr\n",
    );
    let out = run_ok(repo.cmd().args(send_args(&[
        "--recipients",
        "r.csv",
        "--dry-run",
        "--journal",
        "dry.jsonl",
    ])));
    let en = out
        .find("--- en email, as rendered for r.csv line 2 ---\nSubject: ")
        .unwrap_or_else(|| panic!("no English preview:\n{out}"));
    let zh = out
        .find("--- zh-CN email, as rendered for r.csv line 3 ---\nSubject: ")
        .unwrap_or_else(|| panic!("no Chinese preview:\n{out}"));
    // One per locale: Bo (en) and the unknown `fr` (rendered in en) add none.
    assert_eq!(out.matches("--- ").count(), 2, "{out}");
    let (en_part, zh_part) = (&out[en..zh], &out[zh..]);
    let subject = |part: &str| part.lines().nth(1).unwrap_or("").to_owned();
    assert!(subject(en_part).len() > "Subject: ".len(), "{out}");
    assert!(
        subject(zh_part)
            .chars()
            .any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)),
        "{out}"
    );
    assert!(en_part.contains("Ana") && zh_part.contains("李雷"), "{out}");
    // The first lines only, not the whole email.
    assert!(
        en_part.lines().count() <= 17 && en_part.contains("…"),
        "{out}"
    );
    assert!(out.contains("dry run: would send 4"), "{out}");
    assert!(
        !out.contains("@example.com"),
        "an address was printed:\n{out}"
    );
    assert!(eml_files(&repo, "out").is_empty() && !repo.join("dry.jsonl").exists());
}

/// `receipts --recipients` lists every row of the list: the invalid (no
/// address, the reason) and the duplicates too, each with its status and line.
#[test]
fn receipts_recipients_lists_invalid_and_duplicate_rows_with_status_and_line() {
    let repo = send_repo();
    repo.write(
        "r.csv",
        "email,name\nana@example.com,Ana\nnot-an-address,X\nANA@example.com,Ana twice\nbo@example.com,Bo\n,Nobody\n",
    );
    run_ok(repo.cmd().args(send_args(&[
        "--recipients",
        "r.csv",
        "--journal",
        "j.jsonl",
    ])));
    let rows = json(&run_ok(repo.cmd().args([
        "receipts",
        "--journal",
        "j.jsonl",
        "--recipients",
        "r.csv",
        "--format",
        "json",
    ])));
    let got: Vec<(u64, &str, &str, &str)> = rows
        .as_array()
        .expect("list")
        .iter()
        .map(|r| {
            (
                r["line"].as_u64().expect("line"),
                r["status"].as_str().expect("status"),
                r["email"].as_str().expect("email"),
                r["reply"].as_str().expect("reply"),
            )
        })
        .map(|(l, s, e, r)| (l, s, e, if s == "sent" { "" } else { r }))
        .collect();
    assert_eq!(
        got,
        [
            (2, "sent", "ana@example.com", ""),
            (3, "invalid", "", "invalid email address"),
            (
                4,
                "duplicate",
                "ANA@example.com",
                "same address as line 2: one message for both"
            ),
            (5, "sent", "bo@example.com", ""),
            (6, "invalid", "", "no email address"),
        ],
        "{rows:#}"
    );
    // CSV: the same rows, a `line` column.
    let csv =
        run_ok(
            repo.cmd()
                .args(["receipts", "--journal", "j.jsonl", "--recipients", "r.csv"]),
        );
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("email,line,address_hash,status,time,message_id,reply,journal")
    );
    assert_eq!(lines.count(), 5, "{csv}");
    assert!(
        csv.contains("\n,3,,invalid,,,invalid email address,\n"),
        "{csv}"
    );
    assert!(!csv.contains("not-an-address"), "{csv}");
}

// ---------------------------------------------------------------------------
// Issue 12: renumbering collapsed, --hide-editorial
// ---------------------------------------------------------------------------

/// Ten items, and the same list with one item inserted at the top, and a
/// real edit further down so the report has more than renumbering.
fn renumbered_pair(dir: &TestDir) {
    let items = |first: &str| {
        let mut s = String::from("# Policy\n\n## Uses\n\n");
        let mut n = 1;
        if !first.is_empty() {
            s.push_str(&format!("{n}. {first}\n"));
            n += 1;
        }
        for k in 1..=10 {
            s.push_str(&format!(
                "{n}. We use item number {k} for its own purpose.\n"
            ));
            n += 1;
        }
        s
    };
    dir.write(
        "old.md",
        format!("{}\n## Contact\n\nWrite to us.\n", items("")),
    );
    dir.write(
        "new.md",
        format!(
            "{}\n## Contact\n\nWrite to us at any time.\n",
            items("We use a new item.")
        ),
    );
}

#[test]
fn consecutive_renumberings_are_one_line_in_human_formats_and_all_in_json() {
    let dir = TestDir::new();
    renumbered_pair(&dir);
    let text = run_ok(
        dir.cmd()
            .args(["diff", "old.md", "new.md", "--color", "never"]),
    );
    let line = "items 2.–11. renumbered (one item inserted above)";
    assert!(text.contains(line), "{text}");
    assert!(!text.contains("number 1. → 2."), "{text}");
    assert_eq!(text.matches("EDITORIAL").count(), 1, "{text}");
    let md = run_ok(
        dir.cmd()
            .args(["diff", "old.md", "new.md", "-f", "markdown"]),
    );
    assert!(md.contains(line), "{md}");
    assert!(!md.contains("Number 1\\. → 2\\."), "{md}");
    let html = run_ok(dir.cmd().args(["diff", "old.md", "new.md", "-f", "html"]));
    assert!(html.contains(line), "{html}");
    assert_eq!(
        html.matches("class=\"change editorial").count(),
        1,
        "{html}"
    );
    // Every change keeps an anchor, so links to any id still land.
    for k in 3..=12 {
        assert!(html.contains(&format!("id=\"c{k}\"")), "c{k} in {html}");
    }
    let report = json(&run_ok(
        dir.cmd().args(["diff", "old.md", "new.md", "-f", "json"]),
    ));
    let editorial = report["changes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["kind"] == "editorial")
        .count();
    assert_eq!(editorial, 10, "JSON keeps every renumbering");
}

#[test]
fn hide_editorial_leaves_them_out_and_says_how_many() {
    let dir = TestDir::new();
    renumbered_pair(&dir);
    for format in ["text", "markdown", "html"] {
        let out = run_ok(dir.cmd().args([
            "diff",
            "old.md",
            "new.md",
            "-f",
            format,
            "--hide-editorial",
            "--color",
            "never",
        ]));
        assert!(
            out.contains("10 editorial changes hidden"),
            "{format}: {out}"
        );
        assert!(!out.contains("renumbered"), "{format}: {out}");
        assert!(
            out.contains("any time"),
            "{format}: the real edit stays: {out}"
        );
    }
    let report = json(&run_ok(dir.cmd().args([
        "diff",
        "old.md",
        "new.md",
        "-f",
        "json",
        "--hide-editorial",
    ])));
    assert_eq!(report["changes"].as_array().unwrap().len(), 12);
}

// ---------------------------------------------------------------------------
// Issue 12: Markdown that renders on GitHub
// ---------------------------------------------------------------------------

/// GitHub-flavoured rendering: the GFM extensions GitHub enables, raw HTML
/// kept (GitHub keeps `<del>`, `<ins>`, `<details>`, `<summary>`).
fn gfm(md: &str) -> String {
    let mut options = comrak::Options::default();
    options.extension.strikethrough = true;
    options.extension.table = true;
    options.extension.autolink = true;
    options.extension.tasklist = true;
    options.render.r#unsafe = true;
    comrak::markdown_to_html(md, &options)
}

fn html_text(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

#[test]
fn markdown_renders_every_deletion_and_insertion_under_gfm() {
    let dir = TestDir::new();
    let md = run_ok(dir.cmd().args(bundled_args(&["--format", "markdown"])));
    assert!(md.starts_with("<!-- policydiff -->\n"), "{md}");
    // GitHub autolinks addresses and URLs, inside <del> too: compare text.
    let html = gfm(&md);
    let plain = regex::Regex::new(r#"<a href="[^"]*">|</a>"#)
        .unwrap()
        .replace_all(&html, "")
        .into_owned();
    // The marker is an HTML comment: present, not visible.
    assert!(html.starts_with("<!-- policydiff -->"), "{html}");
    let report = json(&run_ok(dir.cmd().args(bundled_args(&["--format", "json"]))));
    let mut checked = 0;
    for c in report["changes"].as_array().unwrap() {
        if c["kind"] != "modified" {
            continue;
        }
        for op in c["inline"].as_array().unwrap() {
            let tag = match op["op"].as_str().unwrap() {
                "insert" => "ins",
                "delete" => "del",
                _ => continue,
            };
            let text = op["text"].as_str().unwrap().trim();
            if text.is_empty() {
                continue;
            }
            let want = format!("<{tag}>{}</{tag}>", html_text(text));
            assert!(plain.contains(&want), "{want} not in\n{html}");
            checked += 1;
        }
    }
    assert!(checked >= 10, "only {checked} runs checked");
    // Verdict and triggers above the fold; the change list folded.
    let details = html.find("<details>").expect("a <details> block");
    assert!(html.find("MAJOR change").unwrap() < details, "{html}");
    assert!(html.find("<table>").unwrap() < details, "{html}");
    assert!(html.contains("</details>"), "{html}");
    // Nothing of the old markers leaks as literal text.
    assert!(!html.contains("~~") && !html.contains("**"), "{html}");
}

#[test]
fn markdown_marks_punctuation_edits_without_breaking_emphasis() {
    let dir = TestDir::new();
    dir.write(
        "old.md",
        "# P\n\nWe report to the authorities. We read the device ID.\n",
    );
    dir.write(
        "new.md",
        "# P\n\nWe report to the authorities; we read the device ID (IMEI).\n",
    );
    let html = gfm(&run_ok(
        dir.cmd()
            .args(["diff", "old.md", "new.md", "-f", "markdown"]),
    ));
    assert!(!html.contains("~~") && !html.contains("**"), "{html}");
    assert!(
        html.contains("<ins>(IMEI)</ins>")
            || html.contains("<ins> (IMEI)</ins>")
            || html.contains("(IMEI)</ins>"),
        "{html}"
    );
    assert!(html.contains("<del>"), "{html}");
}

#[test]
fn markdown_comment_stays_under_its_cap_and_counts_the_rest() {
    let dir = TestDir::new();
    let para = |k: usize, word: &str| {
        format!(
            "## Section {k}\n\nWe keep record {k} of your data for {word} purposes only, as the law requires.\n\n"
        )
    };
    let old: String = (0..300).map(|k| para(k, "billing")).collect();
    let new: String = (0..300).map(|k| para(k, "marketing")).collect();
    dir.write("old.md", format!("# P\n\n{old}"));
    dir.write("new.md", format!("# P\n\n{new}"));
    let full = run_ok(dir.cmd().args([
        "diff",
        "old.md",
        "new.md",
        "-f",
        "markdown",
        "--max-chars",
        "1000000",
    ]));
    assert!(!full.contains("not shown"), "uncapped shows all");
    for cap in [4_000usize, 20_000] {
        let md = run_ok(dir.cmd().args([
            "diff",
            "old.md",
            "new.md",
            "-f",
            "markdown",
            "--max-chars",
            &cap.to_string(),
            "--redline-url",
            "https://github.com/o/r/actions/runs/1",
        ]));
        assert!(md.chars().count() <= cap, "{} > {cap}", md.chars().count());
        assert!(md.contains("more entries not shown"), "{md}");
        let html = gfm(&md);
        assert!(
            html.contains("<a href=\"https://github.com/o/r/actions/runs/1\">HTML redline</a>"),
            "{html}"
        );
        assert!(html.contains("</details>"), "{html}");
        // Shown + counted = all 300.
        let shown = html.matches("<h3>").count();
        let left: usize = md
            .lines()
            .find(|l| l.contains("more entries not shown"))
            .and_then(|l| l.trim_start_matches("**").split_whitespace().next())
            .and_then(|n| n.parse().ok())
            .expect("a count");
        assert_eq!(shown + left, 300, "{md}");
    }
    // The default cap is 60,000 characters.
    let md = run_ok(
        dir.cmd()
            .args(["diff", "old.md", "new.md", "-f", "markdown"]),
    );
    let explicit = run_ok(dir.cmd().args([
        "diff",
        "old.md",
        "new.md",
        "-f",
        "markdown",
        "--max-chars",
        "60000",
    ]));
    assert_eq!(md, explicit);
    assert!(md.chars().count() <= 60_000);
}

#[test]
fn check_on_a_shallow_clone_says_how_to_fetch_the_base() {
    let repo = TestRepo::new();
    repo.commit(
        &[
            (POLICY, &policy_text(1)),
            ("policydiff.toml", DEFAULT_CONFIG),
        ],
        "v1",
        "2025-01-01T10:00:00Z",
    );
    repo.commit(&[(POLICY, &policy_text(2))], "v2", "2025-02-01T10:00:00Z");
    let url = format!("file://{}", repo.path().display());
    repo.git(&["clone", "-q", "--depth", "1", &url, "shallow"]);
    let shallow = repo.join("shallow");
    // Not shallow: the same base resolves.
    let full = repo
        .cmd()
        .args(["check", "--base", "HEAD~1"])
        .output()
        .unwrap();
    assert_ne!(full.status.code(), Some(2), "{}", stdout(&full));
    let err = run_err(
        repo.cmd_in(&shallow).args(["check", "--base", "HEAD~1"]),
        &["shallow clone", "git fetch --depth=", "fetch-depth: 0"],
    );
    assert!(err.contains("'HEAD~1'"), "{err}");
}

#[test]
fn the_example_workflow_caches_the_binary_and_comments_only_on_its_own_comment() {
    use yaml_rust2::YamlLoader;
    let text =
        std::fs::read_to_string(support::manifest_path(".github/workflows/policy-check.yml"))
            .expect("workflow");
    let docs = YamlLoader::load_from_str(&text).expect("the workflow is valid YAML");
    let steps = docs[0]["jobs"]["check"]["steps"].as_vec().expect("steps");
    let uses = |name: &str| {
        steps
            .iter()
            .find(|s| s["uses"].as_str().is_some_and(|u| u.starts_with(name)))
            .unwrap_or_else(|| panic!("a step uses {name}"))
    };
    assert_eq!(
        uses("actions/checkout")["with"]["fetch-depth"].as_i64(),
        Some(0)
    );
    let cache = uses("actions/cache");
    assert!(cache["id"].as_str().is_some());
    // cargo install runs only on a cache miss.
    let install = steps
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("cargo install"))
        })
        .expect("an install step");
    assert!(
        install["if"]
            .as_str()
            .expect("if")
            .contains("cache-hit != 'true'")
    );
    assert_eq!(
        uses("actions/upload-artifact")["with"]["path"].as_str(),
        Some("policy-redline.html")
    );
    let runs: String = steps
        .iter()
        .filter_map(|s| s["run"].as_str())
        .collect::<Vec<_>>()
        .join("\n");
    assert!(
        !runs.contains("--edit-last"),
        "may overwrite another bot's comment"
    );
    assert!(
        runs.contains("startswith(\"<!-- policydiff -->\")"),
        "{runs}"
    );
    assert!(runs.contains("policy-redline.html"));
    // Forks: the job summary, never a comment.
    let summary = steps
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("$GITHUB_STEP_SUMMARY"))
        })
        .expect("a job-summary step");
    assert!(
        summary["if"]
            .as_str()
            .expect("if")
            .contains("!= github.repository")
    );
    let comment = steps
        .iter()
        .find(|s| {
            s["run"]
                .as_str()
                .is_some_and(|r| r.contains("gh pr comment"))
        })
        .expect("a comment step");
    assert!(
        comment["if"]
            .as_str()
            .expect("if")
            .contains("== github.repository")
    );
    // The marker the workflow looks for is the one the comment starts with.
    let repo = released_repo();
    repo.write(POLICY, draft_text());
    let md = repo
        .cmd()
        .args(["check", "--format", "markdown"])
        .output()
        .unwrap();
    assert!(stdout(&md).starts_with("<!-- policydiff -->\n"));
}

// issue 13: several policies in one pass, globs, JSON Lines

/// A watchdog's archive: one policy file per service directory, configured
/// by one glob.
fn archive_repo() -> TestRepo {
    let repo = TestRepo::new();
    repo.write(
        "policydiff.toml",
        "[[policy]]\npath = \"*/Privacy Policy.md\"\n",
    );
    let (acme, beta) = ("Acme Corp/Privacy Policy.md", "Beta.io/Privacy Policy.md");
    repo.commit(
        &[(acme, &policy_text(1))],
        "Acme v1",
        "2025-01-01T10:00:00Z",
    );
    repo.commit(
        &[(beta, &policy_text(1))],
        "Beta v1",
        "2025-01-02T10:00:00Z",
    );
    repo.commit(
        &[("Acme Corp/Terms.md", "terms")],
        "Terms",
        "2025-01-03T10:00:00Z",
    );
    repo.commit(
        &[(acme, &policy_text(2))],
        "Acme v2",
        "2025-02-01T10:00:00Z",
    );
    repo.commit(
        &[(acme, &policy_text(3)), (beta, &policy_text(3))],
        "Both v3",
        "2025-03-01T10:00:00Z",
    );
    repo
}

#[test]
fn a_glob_makes_one_policy_per_directory_and_log_all_walks_them_once() {
    let repo = archive_repo();
    let acme = run_ok(repo.cmd().args(["log", "-p", "Acme-Corp"]));
    assert_eq!(acme.lines().count(), 3, "{acme}");
    assert!(acme.lines().next().unwrap().contains("Both v3"), "{acme}");
    assert!(
        !acme.starts_with("Acme"),
        "one policy: lines as before\n{acme}"
    );
    let versions = run_ok(repo.cmd().args(["versions", "-p", "Beta.io"]));
    assert_eq!(versions.lines().count(), 2, "{versions}");

    // --all: every policy, in config order, each line named; the same
    // lines as one policy at a time.
    let all = run_ok(repo.cmd().args(["log", "--all"]));
    let beta = run_ok(repo.cmd().args(["log", "-p", "Beta.io"]));
    let expected: String = acme
        .lines()
        .map(|l| format!("Acme-Corp  {l}\n"))
        .chain(beta.lines().map(|l| format!("Beta.io  {l}\n")))
        .collect();
    assert_same(&expected, &all);
    // Progress goes to a terminal only: none in a pipe.
    let out = repo.cmd().args(["log", "--all"]).output().unwrap();
    assert!(
        out.status.success() && out.stderr.is_empty(),
        "{}",
        stderr(&out)
    );
    // Several --policy: in the order given.
    let two = run_ok(repo.cmd().args(["log", "-p", "Beta.io", "-p", "Acme-Corp"]));
    assert!(two.starts_with("Beta.io  "), "{two}");
    assert_eq!(two.lines().count(), 5, "{two}");
    run_err(
        repo.cmd().args(["log", "--all", "-p", "Beta.io"]),
        &["--all"],
    );
}

#[test]
fn log_jsonl_is_one_report_a_line() {
    let repo = archive_repo();
    let out = run_ok(repo.cmd().args(["log", "--all", "--format", "jsonl"]));
    let reports: Vec<serde_json::Value> = out.lines().map(json).collect();
    let policies: Vec<&str> = reports
        .iter()
        .map(|r| r["policy"].as_str().expect("policy"))
        .collect();
    // Acme: v3←v2, v2←v1; Beta: v3←v1. No line for a first version.
    assert_eq!(policies, ["Acme-Corp", "Acme-Corp", "Beta.io"], "{out}");
    assert!(out.ends_with("}\n") && !out.contains("\n\n"), "{out}");
    // The same Reports as the JSON list.
    let list = json(&run_ok(
        repo.cmd().args(["log", "--all", "--format", "json"]),
    ));
    assert_eq!(list.as_array().expect("list"), &reports);
}

#[test]
fn a_glob_with_a_name_or_no_match_is_refused() {
    let repo = archive_repo();
    repo.write(
        "policydiff.toml",
        "[[policy]]\nname = \"x\"\npath = \"*/Privacy Policy.md\"\n",
    );
    run_err(repo.cmd().args(["log"]), &["leave name out"]);
    repo.write("policydiff.toml", "[[policy]]\npath = \"*/Cookies.md\"\n");
    run_err(repo.cmd().args(["log"]), &["matches no file"]);
}
