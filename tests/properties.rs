//! Property tests of the document model and the diff.

use std::collections::HashSet;
use std::time::Duration;

use policydiff::diff::{ChangeKind, DiffOptions, InlineTag, diff, inline_diff};
use policydiff::document::{Document, Format};
use proptest::prelude::*;

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
        if let Some(i) = c.old {
            prop_assert!(old_seen.insert(i), "old clause {} counted twice", i);
        }
        if let Some(j) = c.new {
            prop_assert!(new_seen.insert(j), "new clause {} counted twice", j);
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
