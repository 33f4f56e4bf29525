//! The Report JSON contract: every pair in tests/pairs diffs to a report that
//! validates against schema/report.schema.json, with the expected counts, and
//! whose changes account for every clause of both versions.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use serde_json::Value;

fn schema() -> jsonschema::Validator {
    let text =
        std::fs::read_to_string(root().join("schema/report.schema.json")).expect("schema file");
    let schema: Value = serde_json::from_str(&text).expect("schema is JSON");
    jsonschema::validator_for(&schema).expect("schema compiles")
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn report(old: &Path, new: &Path) -> Value {
    let out = Command::cargo_bin("policydiff")
        .expect("binary")
        .current_dir(root())
        .args(["diff", "--format", "json"])
        .arg(old)
        .arg(new)
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "diff failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

fn pairs() -> Vec<PathBuf> {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(root().join("tests/pairs"))
        .expect("tests/pairs")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.is_dir())
        .collect();
    dirs.sort();
    assert!(
        dirs.len() >= 5,
        "expected the fixture pairs, found {dirs:?}"
    );
    dirs
}

fn validation_errors(validator: &jsonschema::Validator, value: &Value) -> Vec<String> {
    validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect()
}

#[test]
fn every_pair_matches_its_expected_counts_and_the_schema() {
    let validator = schema();
    let mut failures = Vec::new();
    for dir in pairs() {
        let name = dir
            .file_name()
            .expect("name")
            .to_string_lossy()
            .into_owned();
        let expect: Value = serde_json::from_str(
            &std::fs::read_to_string(dir.join("expect.json")).expect("expect.json"),
        )
        .expect("json");
        let r = report(&dir.join("old.md"), &dir.join("new.md"));
        for e in validation_errors(&validator, &r) {
            failures.push(format!("{name}: schema: {e}"));
        }
        for kind in ["added", "removed", "modified", "moved", "editorial"] {
            let want = &expect[kind];
            let got = &r["stats"][kind];
            if want != got {
                failures.push(format!(
                    "{name}: {kind}: expected {want}, got {got} ({})",
                    expect["about"]
                ));
            }
            let listed = r["changes"]
                .as_array()
                .expect("changes")
                .iter()
                .filter(|c| c["kind"] == kind)
                .count();
            if Some(listed as u64) != got.as_u64() {
                failures.push(format!(
                    "{name}: {kind}: stats say {got}, changes list {listed}"
                ));
            }
        }
        if expect["classification"] != r["classification"] {
            failures.push(format!(
                "{name}: classification: expected {}, got {}",
                expect["classification"], r["classification"]
            ));
        }
        let fired: Vec<&Value> = r["triggers"]
            .as_array()
            .expect("triggers")
            .iter()
            .map(|t| &t["id"])
            .collect();
        let want: Vec<&Value> = expect["triggers"]
            .as_array()
            .expect("expected triggers")
            .iter()
            .collect();
        if fired != want {
            failures.push(format!(
                "{name}: triggers: expected {want:?}, got {fired:?}"
            ));
        }
        if let Some(words) = expect["inline_contains"].as_array() {
            let inline: String = r["changes"]
                .as_array()
                .expect("changes")
                .iter()
                .flat_map(|c| c["inline"].as_array().cloned().unwrap_or_default())
                .filter(|op| op["op"] != "equal")
                .map(|op| op["text"].as_str().unwrap_or_default().to_owned())
                .collect();
            for w in words {
                let w = w.as_str().expect("string");
                if !inline.contains(w) {
                    failures.push(format!(
                        "{name}: inline changes do not contain {w:?}: {inline:?}"
                    ));
                }
            }
        }
    }
    assert!(failures.is_empty(), "\n{}\n", failures.join("\n"));
}

/// Every clause of both versions is unchanged or in exactly one change.
#[test]
fn changes_account_for_every_clause() {
    for dir in pairs() {
        let r = report(&dir.join("old.md"), &dir.join("new.md"));
        let s = &r["stats"];
        let n = |k: &str| s[k].as_u64().expect("count");
        let both = n("unchanged") + n("modified") + n("moved") + n("editorial");
        assert_eq!(
            both + n("added"),
            r["new"]["clauses"].as_u64().expect("n"),
            "{}",
            dir.display()
        );
        assert_eq!(
            both + n("removed"),
            r["old"]["clauses"].as_u64().expect("n"),
            "{}",
            dir.display()
        );
        let mut old_seen = std::collections::HashSet::new();
        let mut new_seen = std::collections::HashSet::new();
        for c in r["changes"].as_array().expect("changes") {
            if let Some(i) = c["old"]["index"].as_u64() {
                assert!(
                    old_seen.insert(i),
                    "old clause {i} in two changes ({})",
                    dir.display()
                );
            }
            if let Some(i) = c["new"]["index"].as_u64() {
                assert!(
                    new_seen.insert(i),
                    "new clause {i} in two changes ({})",
                    dir.display()
                );
            }
        }
    }
}

/// The schema is strict enough to catch a broken report (so the test above can fail).
#[test]
fn schema_rejects_a_report_missing_a_change_kind() {
    let validator = schema();
    let dir = root().join("tests/pairs/mixed");
    let mut r = report(&dir.join("old.md"), &dir.join("new.md"));
    assert!(validation_errors(&validator, &r).is_empty());
    r["changes"][0]
        .as_object_mut()
        .expect("object")
        .remove("kind");
    assert!(!validation_errors(&validator, &r).is_empty());
    let mut r2 = report(&dir.join("old.md"), &dir.join("new.md"));
    r2["schema_version"] = Value::from(1);
    assert!(!validation_errors(&validator, &r2).is_empty());
}

/// Concatenation of the runs of `change` that are not `skip`.
fn runs_without(change: &Value, skip: &str) -> String {
    change["inline"]
        .as_array()
        .expect("inline")
        .iter()
        .filter(|op| op["op"] != skip)
        .map(|op| op["text"].as_str().expect("text"))
        .collect()
}

/// Regression (issue 8): `inline` was empty for added, moved and renumbered
/// changes (15 of 25 in the bundled release pair). The README promises that
/// the non-`delete` runs always give the new text.
#[test]
fn inline_runs_give_the_new_text_of_every_change_of_the_bundled_pair() {
    let r = report(
        &root().join("policies/privacy-policy.md"),
        &root().join("policies/drafts/privacy-policy-next.md"),
    );
    assert!(validation_errors(&schema(), &r).is_empty());
    let changes = r["changes"].as_array().expect("changes");
    assert!(changes.len() >= 20, "{} changes", changes.len());
    let mut kinds = std::collections::BTreeMap::<&str, usize>::new();
    for c in changes {
        let kind = c["kind"].as_str().expect("kind");
        *kinds.entry(kind).or_default() += 1;
        let ops = c["inline"].as_array().expect("inline");
        match kind {
            "added" => {
                assert_eq!(ops.len(), 1, "{c}");
                assert_eq!(ops[0]["op"], "insert", "{c}");
                assert_eq!(ops[0]["text"], c["new"]["text"], "{c}");
            }
            "removed" => {
                assert_eq!(runs_without(c, "insert"), c["old"]["text"], "{c}");
                assert_eq!(runs_without(c, "delete"), "", "{c}");
            }
            _ => {
                assert!(!ops.is_empty(), "{c}");
                assert_eq!(runs_without(c, "delete"), c["new"]["text"], "{c}");
                if c["old"]["text"] == c["new"]["text"] {
                    assert_eq!(ops.len(), 1, "{c}");
                    assert_eq!(ops[0]["op"], "equal", "{c}");
                }
            }
        }
        if kind == "editorial" {
            assert_eq!(runs_without(c, "insert"), c["old"]["text"], "{c}");
        }
    }
    for kind in ["added", "moved", "editorial"] {
        assert!(
            kinds.contains_key(kind),
            "the pair has no {kind} change: {kinds:?}"
        );
    }
}

/// Regression (issue 8): a link target changed behind the same link text gave
/// "No changes". It is an editorial change that names the old and the new
/// target in every format; its class stays none.
#[test]
fn a_link_target_only_change_is_editorial_and_named_in_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = dir.path().join("old.md");
    let new = dir.path().join("new.md");
    let body = |url: &str| {
        format!(
            "# Policy\n\n## Contact\n\nYou can [lodge a complaint]({url}) at any time.\n\nOther text.\n"
        )
    };
    std::fs::write(&old, body("https://example.com/complaints")).expect("write");
    std::fs::write(&new, body("https://other.example.net/form")).expect("write");

    let r = report(&old, &new);
    assert!(validation_errors(&schema(), &r).is_empty(), "{r}");
    assert_eq!(r["classification"], "none");
    assert_eq!(r["stats"]["editorial"], 1);
    let changes = r["changes"].as_array().expect("changes");
    assert_eq!(changes.len(), 1, "{r}");
    assert_eq!(changes[0]["kind"], "editorial");
    assert_eq!(
        changes[0]["link_changes"],
        serde_json::json!([{"old": "https://example.com/complaints", "new": "https://other.example.net/form"}])
    );

    for format in ["text", "markdown", "html"] {
        let out = Command::cargo_bin("policydiff")
            .expect("binary")
            .args(["diff", "--format", format])
            .arg(&old)
            .arg(&new)
            .env("NO_COLOR", "1")
            .output()
            .expect("runs");
        assert!(
            out.status.success(),
            "{format}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let text = String::from_utf8(out.stdout).expect("utf-8");
        for needle in [
            "example.com/complaints",
            "other.example.net/form",
            "complaint",
        ] {
            assert!(text.contains(needle), "{format} lacks {needle}:\n{text}");
        }
        assert!(!text.contains("No changes"), "{format}:\n{text}");
    }

    // A link added to a clause whose words also changed is named too.
    std::fs::write(
        &new,
        "# Policy\n\n## Contact\n\nYou can [lodge a complaint](https://example.com/complaints) or [write](mailto:dpo@example.com) at any time.\n\nOther text.\n",
    )
    .expect("write");
    let r = report(&old, &new);
    assert!(validation_errors(&schema(), &r).is_empty(), "{r}");
    assert_eq!(
        r["changes"][0]["link_changes"],
        serde_json::json!([{"old": null, "new": "mailto:dpo@example.com"}]),
        "{r}"
    );
}

/// Issue 10: bold run-in labels made headings, a paragraph split in two and
/// two merged into one are editorial, said so in the Report (valid against
/// the schema) and in every redline format.
#[test]
fn split_and_merged_paragraphs_are_editorial_and_named_in_every_format() {
    let dir = tempfile::tempdir().expect("temp dir");
    let old = dir.path().join("old.md");
    let new = dir.path().join("new.md");
    std::fs::write(
        &old,
        "# Policy\n\n## Uses\n\n(a) **To Provide Our Services.** We process your account data to run the service.\n\n(b) **To Keep You Safe.** We process login data to stop fraud.\n\nWe keep data for a year.\n\nThen we delete it.\n",
    )
    .expect("write");
    std::fs::write(
        &new,
        "# Policy\n\n## Uses\n\n### (a) To Provide Our Services\n\nWe process your account data to run the service.\n\n### (b) To Keep You Safe\n\nWe process login data to stop fraud.\n\nWe keep data for a year. Then we delete it.\n",
    )
    .expect("write");
    let r = report(&old, &new);
    assert!(validation_errors(&schema(), &r).is_empty(), "{r}");
    assert_eq!(r["classification"], "none", "{r}");
    let changes = r["changes"].as_array().expect("changes");
    let regroups: Vec<&str> = changes
        .iter()
        .map(|c| c["regroup"].as_str().unwrap_or("-"))
        .collect();
    assert_eq!(regroups, ["split", "split", "merged"], "{r}");
    assert!(changes.iter().all(|c| c["kind"] == "editorial"));
    assert_eq!(
        changes[0]["more_new"][0]["text"],
        "We process your account data to run the service."
    );
    assert_eq!(changes[2]["more_old"][0]["text"], "Then we delete it.");

    for (format, needle) in [
        ("text", "(split into 2)"),
        ("markdown", "(split into 2)"),
        ("html", "split into 2"),
    ] {
        let out = Command::cargo_bin("policydiff")
            .expect("binary")
            .args(["diff", "--format", format])
            .arg(&old)
            .arg(&new)
            .env("NO_COLOR", "1")
            .output()
            .expect("runs");
        let text = String::from_utf8(out.stdout).expect("utf-8");
        assert!(text.contains(needle), "{format} lacks {needle}:\n{text}");
        assert!(text.contains("merged from 2"), "{format}:\n{text}");
        assert!(!text.contains("ADDED"), "{format}:\n{text}");
    }
}
