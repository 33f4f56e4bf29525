//! `log` over a history that flips between the same texts: each version is
//! analysed once and a repeated pair of texts reuses its comparison (issue
//! 13). Every Report of the walk must still be the one `diff` makes for
//! that pair alone.

use serde_json::Value;

use crate::support::{POLICY, TestRepo, policy_text, run_ok};

/// A Report without what names the two versions (commit, date, spec).
fn assessment(mut report: Value) -> Value {
    for side in ["old", "new"] {
        report[side] = Value::Null;
    }
    report
}

#[test]
fn a_flipping_history_reports_each_pair_as_diff_does_alone() {
    let repo = TestRepo::new();
    // A, B, A, B, A, C, A: the pairs (A, B), (B, A) and (A, C) repeat.
    let texts = [2, 3, 2, 3, 2, 1, 2];
    let mut commits = Vec::new();
    for (k, v) in texts.iter().enumerate() {
        let date = format!("2025-01-{:02}T10:00:00Z", k + 1);
        commits.push(repo.commit(&[(POLICY, &policy_text(*v))], &format!("v{k}"), &date));
    }
    let out = run_ok(repo.cmd().args(["log", "--format", "jsonl"]));
    let reports: Vec<Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).expect("a JSON line"))
        .collect();
    assert_eq!(reports.len(), texts.len() - 1, "{out}");
    // Newest first: report k compares commit n-2-k with n-1-k.
    let n = commits.len();
    for (k, report) in reports.into_iter().enumerate() {
        let (old, new) = (&commits[n - 2 - k], &commits[n - 1 - k]);
        assert_eq!(report["new"]["commit"].as_str(), Some(new.as_str()));
        let alone = run_ok(repo.cmd().args(["diff", old, new, "--format", "json"]));
        let alone: Value = serde_json::from_str(&alone).expect("diff's Report");
        assert_eq!(
            assessment(report),
            assessment(alone),
            "pair {old}..{new} (log, then diff alone)"
        );
    }
}
