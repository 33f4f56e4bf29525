//! The history walk over a history longer than one chunk of the parallel
//! comparison of commits (issue 13): every version git lists, in git's
//! order, and `log --all` reports each policy's consecutive versions, with
//! recurring texts (reused documents and Reports) named by their own
//! commits.

use std::collections::HashMap;
use std::io::Write;
use std::process::Stdio;

use serde_json::Value;

use crate::support::{TestRepo, policy_text, run_ok};

const A: &str = "a/Privacy Policy.md";
const B: &str = "b/Privacy Policy.md";
const OTHER: &str = "c/notes.txt";
/// More commits than two chunks of the walk (512 each).
const COMMITS: u32 = 1300;

/// A linear history, built by `git fast-import`: commit k changes `a`
/// (k % 3 == 0), `b` (k % 3 == 1) or a file no policy names; `a` cycles
/// through three texts, so its texts and its pairs of texts recur.
fn long_history() -> TestRepo {
    let repo = TestRepo::new();
    let mut stream = String::new();
    for k in 0..COMMITS {
        let (path, text) = match k % 3 {
            0 => (A, policy_text(1 + (k / 3) % 3)),
            1 => (B, format!("{}\nRevision {k}.\n", policy_text(2))),
            _ => (OTHER, format!("note {k}\n")),
        };
        let time = 1_700_000_000 + u64::from(k) * 60;
        stream.push_str(&format!(
            "commit refs/heads/main\ncommitter T <t@example.com> {time} +0000\ndata {}\nc{k}\n",
            format!("c{k}").len()
        ));
        stream.push_str(&format!(
            "M 100644 inline {path}\ndata {}\n{text}\n",
            text.len()
        ));
    }
    let mut child = std::process::Command::new("git")
        .args(["fast-import", "--quiet"])
        .current_dir(repo.path())
        .stdin(Stdio::piped())
        .spawn()
        .expect("run git fast-import");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(stream.as_bytes())
        .expect("feed fast-import");
    assert!(child.wait().expect("fast-import").success());
    repo.git(&["reset", "-q", "--hard", "main"]);
    repo.write(
        "policydiff.toml",
        format!(
            "[[policy]]\nname = \"a\"\npath = \"{A}\"\n\n[[policy]]\nname = \"b\"\npath = \"{B}\"\n"
        ),
    );
    repo.write("all.toml", "[[policy]]\npath = \"*/Privacy Policy.md\"\n");
    repo
}

/// The blob of `path` at each commit that changed it, from `git log --raw`.
fn blobs_by_commit(repo: &TestRepo, path: &str) -> HashMap<String, String> {
    let log = repo.git(&["log", "--format=%H", "--raw", "--no-abbrev", "--", path]);
    let mut out = HashMap::new();
    let mut commit = String::new();
    for line in log.lines() {
        if let Some(raw) = line.strip_prefix(':') {
            let blob = raw.split_whitespace().nth(3).expect("new blob");
            out.insert(commit.clone(), blob.to_owned());
        } else if !line.is_empty() {
            commit = line.to_owned();
        }
    }
    out
}

#[test]
fn versions_across_chunks_are_gits_and_log_all_pairs_them_in_order() {
    let repo = long_history();
    let mut git_lists = HashMap::new();
    for (name, path) in [("a", A), ("b", B)] {
        let git: Vec<String> = repo
            .git(&["log", "--format=%H", "--", path])
            .lines()
            .map(str::to_owned)
            .collect();
        assert!(git.len() > 400, "{name}: {} versions", git.len());
        let ours: Vec<String> = run_ok(repo.cmd().args(["versions", "-p", name]))
            .lines()
            .map(|l| l.split_whitespace().next().unwrap_or_default().to_owned())
            .collect();
        let git_short: Vec<&str> = git.iter().map(|c| &c[..10]).collect();
        assert_eq!(ours, git_short, "versions of {name}");
        git_lists.insert(name, git);
    }
    let out = run_ok(
        repo.cmd()
            .args(["--config", "all.toml", "log", "--all", "--format", "jsonl"]),
    );
    let reports: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    // Per policy, newest first: each Report compares a version with the one
    // before it, both named by their own commits, even where the same two
    // texts were compared before.
    let blobs: HashMap<&str, HashMap<String, String>> = [
        ("a", blobs_by_commit(&repo, A)),
        ("b", blobs_by_commit(&repo, B)),
    ]
    .into();
    let mut by_texts: HashMap<(&str, String, String), Value> = HashMap::new();
    let mut seen = HashMap::new();
    for report in &reports {
        let name = report["policy"].as_str().expect("policy name");
        let list = &git_lists[name];
        let k: &mut usize = seen.entry(name.to_owned()).or_default();
        assert_eq!(report["new"]["commit"].as_str(), Some(list[*k].as_str()));
        assert_eq!(
            report["old"]["commit"].as_str(),
            Some(list[*k + 1].as_str())
        );
        let blob = &blobs[name];
        let key = (name, blob[&list[*k + 1]].clone(), blob[&list[*k]].clone());
        let mut rest = report.clone();
        rest["old"] = Value::Null;
        rest["new"] = Value::Null;
        if let Some(first) = by_texts.get(&key) {
            assert_eq!(&rest, first, "a repeated pair of texts of {name}");
        } else {
            by_texts.insert(key, rest);
        }
        *k += 1;
    }
    for (name, list) in &git_lists {
        assert_eq!(
            seen.get(*name),
            Some(&(list.len() - 1)),
            "changes of {name}"
        );
    }
    // `a` cycles through three texts: three pairs of texts, each compared
    // again and again.
    let pairs_of_a = by_texts.keys().filter(|(name, ..)| *name == "a").count();
    assert_eq!(pairs_of_a, 3);
}
