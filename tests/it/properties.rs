//! Property tests of the document model and the diff.

use std::collections::HashSet;
use std::time::Duration;

use policydiff::diff::{ChangeKind, DiffOptions, InlineTag, Regroup, diff, inline_diff};
use policydiff::document::{Document, Format};
use proptest::prelude::*;

use crate::support;

/// Markdown-ish lines: labels, headings, list markers, CJK, punctuation, emphasis.
fn policy_line() -> impl Strategy<Value = String> {
    let label = prop::sample::select(vec![
        "",
        "1. ",
        "2) ",
        "3 ) ",
        "( 1 ) ",
        "(II) ",
        "II. ",
        "一、",
        "（1）",
        "第一条 ",
        "- ",
        "## ",
        "### ",
    ]);
    let word = prop::sample::select(vec![
        "we",
        "will",
        "not",
        "share",
        "your",
        "personal",
        "information",
        "may",
        "with",
        "partners",
        "only",
        "consent",
        "个人",
        "信息",
        "我们",
        "不会",
        "共享",
        "可能",
        "，",
        ",",
        ".",
        "*data*",
        "[link](http://x.example)",
        "`code`",
        "<b>",
        "15",
    ]);
    (label, prop::collection::vec(word, 1..12)).prop_map(|(l, ws)| format!("{l}{}", ws.join(" ")))
}

fn policy() -> impl Strategy<Value = Vec<String>> {
    prop::collection::vec(policy_line(), 0..40)
}

fn parse(lines: &[String], format: Format) -> Document {
    Document::parse(&lines.join("\n\n"), format)
}

fn check_accounting(a: &Document, b: &Document) -> Result<(), TestCaseError> {
    let set = diff(a, b, &DiffOptions::default());
    let mut old_seen = HashSet::new();
    let mut new_seen = HashSet::new();
    for &(i, j) in &set.unchanged {
        prop_assert!(old_seen.insert(i));
        prop_assert!(new_seen.insert(j));
    }
    for c in &set.changes {
        match c.kind {
            ChangeKind::Added => prop_assert!(c.old.is_none() && c.new.is_some()),
            ChangeKind::Removed => prop_assert!(c.old.is_some() && c.new.is_none()),
            _ => prop_assert!(c.old.is_some() && c.new.is_some()),
        }
        // The README's contract: the non-`delete` runs give the new text.
        let new_text: String = c
            .inline
            .iter()
            .filter(|o| o.op != InlineTag::Delete)
            .map(|o| o.text.as_str())
            .collect();
        // A split's new text is its clauses joined by a space.
        let parts = c.new.into_iter().chain(match c.regroup {
            Some(Regroup::Split) => c.more.clone(),
            _ => Vec::new(),
        });
        let want: Vec<&str> = parts.map(|j| b.clauses[j].text.as_str()).collect();
        prop_assert_eq!(new_text, want.join(" "));
        if let Some(i) = c.old {
            prop_assert!(old_seen.insert(i), "old clause {} counted twice", i);
        }
        if let Some(j) = c.new {
            prop_assert!(new_seen.insert(j), "new clause {} counted twice", j);
        }
        // A split's further new clauses, a merge's further old ones.
        for &k in &c.more {
            let fresh = match c.regroup {
                Some(Regroup::Split) => new_seen.insert(k),
                Some(Regroup::Merged) => old_seen.insert(k),
                None => false,
            };
            prop_assert!(
                fresh,
                "part {} of {:?} counted twice or without a regroup",
                k,
                c.regroup
            );
        }
    }
    prop_assert_eq!(old_seen.len(), a.clauses.len());
    prop_assert_eq!(new_seen.len(), b.clauses.len());
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn any_text_parses(text in any::<String>()) {
        let _ = Document::parse(&text, Format::Markdown);
        let _ = Document::parse(&text, Format::Text);
    }

    #[test]
    fn a_version_against_itself_has_no_changes(lines in policy()) {
        for format in [Format::Markdown, Format::Text] {
            let doc = parse(&lines, format);
            let set = diff(&doc, &doc, &DiffOptions::default());
            prop_assert!(set.changes.is_empty(), "{:?}", set.changes);
            prop_assert_eq!(set.unchanged.len(), doc.clauses.len());
        }
    }

    #[test]
    fn changes_account_for_every_clause(old in policy(), new in policy()) {
        check_accounting(&parse(&old, Format::Markdown), &parse(&new, Format::Markdown))?;
    }

    #[test]
    fn edits_of_one_version_account_for_every_clause(
        old in policy(),
        edits in prop::collection::vec((any::<prop::sample::Index>(), policy_line(), 0..4u8), 0..8),
    ) {
        let mut new = old.clone();
        for (at, line, op) in edits {
            if new.is_empty() { new.push(line); continue; }
            let i = at.index(new.len());
            match op {
                0 => new.insert(i, line),
                1 => { new.remove(i); }
                2 => new[i] = format!("{} {}", new[i], line),
                _ => { let l = new.remove(i); new.push(l); }
            }
        }
        check_accounting(&parse(&old, Format::Markdown), &parse(&new, Format::Markdown))?;
    }

    #[test]
    fn inline_runs_rebuild_the_new_text(a in "[a-z ,.个人信息]{0,60}", b in "[a-z ,.个人信息]{0,60}") {
        let (ops, _) = inline_diff(&a, &b, true, Duration::from_secs(1));
        let old: String = ops.iter().filter(|o| o.op != InlineTag::Insert).map(|o| o.text.as_str()).collect();
        let new: String = ops.iter().filter(|o| o.op != InlineTag::Delete).map(|o| o.text.as_str()).collect();
        prop_assert_eq!(old, a);
        prop_assert_eq!(new, b);
    }
}

/// Block-by-block parsing with a cache gives the same document as parsing
/// the whole text, for every policy in the repository and its tests.
#[test]
fn cached_block_parsing_equals_whole_parsing_on_every_fixture() {
    use policydiff::document::BlockCache;
    let root = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut files = vec![
        root.join("policies/privacy-policy.md"),
        root.join("policies/drafts/privacy-policy-next.md"),
    ];
    for dir in ["tests/corpus", "tests/corpus-holdout", "tests/pairs"] {
        for entry in std::fs::read_dir(root.join(dir)).expect("dir").flatten() {
            files.push(entry.path().join("old.md"));
            files.push(entry.path().join("new.md"));
        }
    }
    let mut cache = BlockCache::default();
    let mut checked = 0;
    for f in files.iter().filter(|f| f.is_file()) {
        let text = std::fs::read_to_string(f).expect("read");
        let whole = Document::parse(&text, Format::Markdown);
        let cached = Document::parse_cached(&text, Format::Markdown, &mut cache);
        assert!(
            whole == cached,
            "{} parses differently block by block",
            f.display()
        );
        checked += 1;
    }
    assert!(checked > 100, "only {checked} files checked");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn cached_block_parsing_equals_whole_parsing(lines in policy(), more in policy(), gaps in prop::collection::vec(0..3usize, 80)) {
        use policydiff::document::BlockCache;
        // Vary blank lines, indentation and fences between lines.
        let mut text = String::new();
        for (i, l) in lines.iter().chain(&more).enumerate() {
            match gaps[i % gaps.len()] {
                0 => text.push_str(&format!("{l}\n")),
                1 => text.push_str(&format!("{l}\n\n")),
                _ => text.push_str(&format!("   {l}\n\n")),
            }
            if i == 3 {
                text.push_str("```\ncode\n\nmore code\n```\n\n");
            }
        }
        let mut cache = BlockCache::default();
        let whole = Document::parse(&text, Format::Markdown);
        let first = Document::parse_cached(&text, Format::Markdown, &mut cache);
        let second = Document::parse_cached(&text, Format::Markdown, &mut cache);
        prop_assert!(whole == first);
        prop_assert!(whole == second);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    /// CR, CRLF and LF line endings give the same document, front matter included.
    #[test]
    fn line_endings_do_not_change_the_document(lines in policy(), gaps in prop::collection::vec(0..2usize, 40)) {
        let mut lf = String::from("---\ntitle: T\neffective: 2025-01-01\n---\n\n");
        for (i, l) in lines.iter().enumerate() {
            lf.push_str(l);
            lf.push_str(if gaps[i % gaps.len()] == 0 { "\n" } else { "\n\n" });
        }
        let want = Document::parse(&lf, Format::Markdown);
        prop_assert_eq!(want.meta("effective"), Some("2025-01-01"));
        for eol in ["\r", "\r\n"] {
            let other = lf.replace('\n', eol);
            prop_assert!(Document::parse(&other, Format::Markdown) == want, "{:?}", eol);
            prop_assert!(Document::parse(&other, Format::Text) == Document::parse(&lf, Format::Text));
        }
    }
}

/// Container kinds that nest, as (opener, closer): block quotes, lists,
/// emphasis, links, images and inline HTML.
const NESTING: &[(&str, &str, &str)] = &[
    ("block quote", ">", ""),
    ("spaced block quote", "> ", ""),
    ("bullet list", "- ", ""),
    ("ordered list", "1. ", ""),
    ("emphasis", "*a ", " a*"),
    ("strong emphasis", "**a ", " a**"),
    ("underscore emphasis", "_a ", " a_"),
    ("link", "[", "](https://example.com/x)"),
    ("image", "![", "](https://example.com/x.png)"),
    ("inline HTML", "<b>", "</b>"),
];

/// A policy whose one clause sits `depth` containers deep, cycling through
/// the kinds at `kinds` (indices into [`NESTING`]).
fn nested_policy(kinds: &[usize], depth: usize) -> String {
    let mut open = String::from("# Title\n\nIntro paragraph.\n\n");
    let mut close = Vec::with_capacity(depth);
    for level in 0..depth {
        let (_, o, c) = NESTING[kinds[level % kinds.len()]];
        open.push_str(o);
        close.push(c);
    }
    open.push_str("deep clause");
    for c in close.iter().rev() {
        open.push_str(c);
    }
    open.push_str("\n\nLast paragraph.\n");
    open
}

/// The whole library pipeline on one pair: parse (whole and block by block),
/// diff, classify, report, and every redline format.
fn run_pipeline(old: &str, new: &str) {
    use policydiff::archive::{Origin, Version};
    use policydiff::classify::{Rules, RunFacts, classify};
    use policydiff::document::BlockCache;
    use policydiff::render::{RedlineFormat, redline};
    use policydiff::report::Report;
    let a = Document::parse(old, Format::Markdown);
    let b = Document::parse(new, Format::Markdown);
    let mut cache = BlockCache::default();
    assert!(Document::parse_cached(old, Format::Markdown, &mut cache) == a);
    assert!(Document::parse_cached(new, Format::Markdown, &mut cache) == b);
    let set = diff(&a, &b, &DiffOptions::default());
    let verdict = classify(&a, &b, &set, &Rules::default(), RunFacts::default());
    let version = |text: &str| Version {
        spec: "x.md".into(),
        path: "x.md".into(),
        origin: Origin::File,
        text: text.into(),
        notes: Vec::new(),
    };
    let (va, vb) = (version(old), version(new));
    let report = Report::new(None, (&va, &a), (&vb, &b), &set, Some(&verdict));
    for format in [
        RedlineFormat::Text,
        RedlineFormat::Markdown,
        RedlineFormat::Html,
        RedlineFormat::Json,
    ] {
        assert!(!redline(&report, format, false).is_empty());
    }
}

/// Regression (issue 8): `>` × 5000 overflowed the stack (exit 134). Each
/// container kind nested 100,000 deep goes through the whole pipeline, on
/// either side, in the test's own thread (2 MiB of stack, a quarter of the
/// binary's main thread).
#[test]
fn every_container_kind_nested_100_000_deep_parses_diffs_and_renders() {
    for (k, (name, _, _)) in NESTING.iter().enumerate() {
        let deep = nested_policy(&[k], 100_000);
        let doc = Document::parse(&deep, Format::Markdown);
        assert!(
            doc.clauses.iter().any(|c| c.text.contains("deep clause")),
            "{name}: the deep clause is lost"
        );
        // Each kind is once on the old side and once on the new side.
        let next = nested_policy(&[(k + 1) % NESTING.len()], 100_000);
        run_pipeline(&deep, &next);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3))]

    /// Any mix of container kinds, 100,000 deep, on both sides at once.
    #[test]
    fn mixed_nesting_100_000_deep_never_overflows(
        old_kinds in prop::collection::vec(0..NESTING.len(), 1..6),
        new_kinds in prop::collection::vec(0..NESTING.len(), 1..6),
    ) {
        run_pipeline(&nested_policy(&old_kinds, 100_000), &nested_policy(&new_kinds, 99_999));
    }
}

/// The binary (its 8 MiB main thread) on deep nesting, on either side of
/// `diff` in every format, and as the base of `check`: the issue's `>` × 5000
/// and 100,000 levels of each kind exit normally, never 134.
#[test]
fn cli_diff_and_check_survive_deep_nesting_on_either_side() {
    use support::{POLICY, TestRepo, run_ok};
    let repo = TestRepo::new();
    let plain = "# Title\n\nIntro paragraph.\n\nA shallow clause.\n\nLast paragraph.\n";
    repo.write("plain.md", plain);
    repo.write("issue.md", format!("# T\n\n{} q\n", ">".repeat(5000)));
    for k in 0..NESTING.len() {
        repo.write(&format!("deep-{k}.md"), nested_policy(&[k], 100_000));
    }
    // Each kind once on the old side and once on the new side.
    for k in 0..NESTING.len() {
        let old = format!("deep-{k}.md");
        let new = format!("deep-{}.md", (k + 1) % NESTING.len());
        let format = ["text", "markdown", "html", "json"][k % 4];
        run_ok(repo.cmd().args(["diff", &old, &new, "--format", format]));
    }
    run_ok(repo.cmd().args(["diff", "issue.md", "plain.md"]));
    run_ok(repo.cmd().args(["diff", "plain.md", "issue.md"]));

    // `check` with the deep text in the base commit and in the working tree.
    let deep = nested_policy(&[0, 2, 7, 4], 100_000);
    repo.commit(&[(POLICY, deep.as_str())], "deep", "2025-01-01T10:00:00Z");
    repo.write(POLICY, plain);
    // Exit 1 is a verdict (the deep links look like a contact change), not a crash.
    let check = |args: &[&str]| {
        let out = repo.cmd().args(args).output().expect("runs");
        let err = support::stderr(&out);
        assert!(
            matches!(out.status.code(), Some(0 | 1)),
            "{:?}: {err}",
            out.status
        );
        assert!(!out.stdout.is_empty() && !err.contains("overflow"), "{err}");
    };
    check(&["check"]);
    repo.commit(&[(POLICY, plain)], "plain", "2025-01-02T10:00:00Z");
    repo.write(POLICY, &deep);
    check(&["check", "--format", "json"]);
}
