//! Reading the list of major-change triggers out of the policy text itself.
//!
//! The list is introduced by a clause such as "Major changes referred to in
//! this privacy policy include but are not limited to:" (or "material
//! changes", 重大变化 / 重大变更 … 包括但不限于) and made of the numbered clauses
//! that follow it (or the list items nested in it).

use std::sync::LazyLock;

use super::terms::Terms;
use serde::{Deserialize, Serialize};

use crate::document::{ClauseKind, Document};

/// One item of the policy's own list of major changes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ListedItem {
    /// Index of the clause in its document.
    pub index: usize,
    /// Number label as written.
    pub label: Option<String>,
    /// The policy's wording of the item.
    pub text: String,
    /// Source line.
    pub line: usize,
}

/// The list as read from one version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriggerList {
    /// Index of the introducing clause.
    pub intro_index: usize,
    /// Its text.
    pub intro: String,
    /// Its source line.
    pub intro_line: usize,
    /// The items, in order.
    pub items: Vec<ListedItem>,
}

/// "major changes", "material changes", 重大变化 …
/// The phrases that name a major change.
const MAJOR_SPEC: &str = "major change*|material change*|significant change*|substantial change*|major revision*|material revision*|material update*|major update*|material modification*|重大变化|重大变更|重大调整|重大修改|实质变化|实质性变化|实质性变更";

static MAJOR: LazyLock<Terms> = LazyLock::new(|| Terms::new(MAJOR_SPEC));

/// A piece of every phrase of [`MAJOR_SPEC`] (a test holds this): a clause
/// with none of them cannot name a major change, and is ruled out without
/// tokenising it.
const MAJOR_PIECES: [&str; 8] = [
    "chang",
    "revision",
    "update",
    "modification",
    "变化",
    "变更",
    "调整",
    "修改",
];

/// [`MAJOR`]`.is_match`, with the clauses that cannot match ruled out first.
fn names_major_change(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    MAJOR_PIECES.iter().any(|p| lower.contains(p)) && MAJOR.is_match(text)
}
/// "… include:", "… refer to:", 包括 …
static LISTING: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new("includ*|mean*|refer*|such as|as follows|are|consist*|包括|是指|指|如下|包含")
});

/// A clause that introduces the list: it speaks of major changes and of what
/// they include, and ends with a colon (the items follow).
fn is_intro(text: &str) -> bool {
    let t = text.trim_end();
    (t.ends_with(':') || t.ends_with('：')) && names_major_change(t) && LISTING.is_match(t)
}

/// A list written in one paragraph: "重大变更包括但不限于：A；B；C。" —
/// the intro up to the colon, then two or more items separated by semicolons.
fn inline_list(i: usize, clause: &crate::document::Clause) -> Option<TriggerList> {
    let text = clause.text.trim_end();
    // Two items need a semicolon: most clauses are ruled out by one scan.
    if !(text.contains(';') || text.contains('；')) {
        return None;
    }
    let (colon, width) = [('：', '：'.len_utf8()), (':', 1)]
        .into_iter()
        .filter_map(|(c, w)| text.find(c).map(|at| (at, w)))
        .min_by_key(|&(at, _)| at)?;
    let (head, rest) = (&text[..colon + width], &text[colon + width..]);
    if !(names_major_change(head) && LISTING.is_match(head)) {
        return None;
    }
    let items: Vec<ListedItem> = rest
        .split(['；', ';'])
        .map(|item| item.trim().trim_end_matches(['。', '.']).trim())
        .filter(|item| !item.is_empty())
        .map(|item| ListedItem {
            index: i,
            label: None,
            text: item.to_owned(),
            line: clause.line,
        })
        .collect();
    (items.len() >= 2).then(|| TriggerList {
        intro_index: i,
        intro: head.to_owned(),
        intro_line: clause.line,
        items,
    })
}

/// Find the trigger list in a document, if it has one.
pub fn trigger_list(doc: &Document) -> Option<TriggerList> {
    let clauses = &doc.clauses;
    for (i, intro) in clauses.iter().enumerate() {
        if intro.kind == ClauseKind::Meta {
            continue;
        }
        if !is_intro(&intro.text) {
            if let Some(list) = inline_list(i, intro) {
                return Some(list);
            }
            continue;
        }
        // Items: list items nested under the intro, or the labelled clauses
        // that follow it, until the first clause that is neither.
        let mut items = Vec::new();
        for (j, c) in clauses.iter().enumerate().skip(i + 1) {
            let nested = c.parent == Some(i);
            let item_like = c.kind == ClauseKind::ListItem
                || (c.kind == ClauseKind::Paragraph && c.label.is_some());
            // The next item of the intro's own list ends the trigger list.
            let sibling = intro.kind == ClauseKind::ListItem
                && c.kind == ClauseKind::ListItem
                && c.level <= intro.level;
            if !(nested || (item_like && !sibling)) {
                break;
            }
            items.push(ListedItem {
                index: j,
                label: c.label.clone(),
                text: c.text.clone(),
                line: c.line,
            });
        }
        if !items.is_empty() {
            return Some(TriggerList {
                intro_index: i,
                intro: intro.text.clone(),
                intro_line: intro.line,
                items,
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_phrase_naming_a_major_change_holds_one_of_the_pieces() {
        for phrase in MAJOR_SPEC.split('|') {
            assert!(
                MAJOR_PIECES.iter().any(|p| phrase.contains(p)),
                "{phrase} has none of MAJOR_PIECES: the pre-check would hide it"
            );
        }
        assert!(names_major_change("Major CHANGES include:"));
        assert!(!names_major_change("Changes include:"));
    }
    use crate::document::Format;

    #[test]
    fn reads_the_bundled_policy_list() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/policies/privacy-policy.md"
        ))
        .unwrap();
        let list = trigger_list(&Document::parse(&text, Format::Markdown))
            .expect("the bundled policy has a list");
        assert!(
            list.intro
                .contains("Major changes referred to in this privacy policy")
        );
        assert_eq!(list.items.len(), 6);
        assert_eq!(list.items[0].label.as_deref(), Some("( 1 )"));
        assert!(list.items[5].text.contains("impact assessment"));
    }

    #[test]
    fn reads_a_chinese_list() {
        let text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/fixtures/zh-policy.md"
        ))
        .unwrap();
        let list = trigger_list(&Document::parse(&text, Format::Markdown)).expect("list");
        assert_eq!(list.items.len(), 6);
        assert_eq!(list.items[2].label.as_deref(), Some("（3）"));
    }

    #[test]
    fn nested_markdown_list() {
        let doc = Document::parse(
            "We will notify you of material changes. Material changes include:\n\n- a new purpose\n- new recipients\n\nOther text.\n",
            Format::Markdown,
        );
        let list = trigger_list(&doc).expect("list");
        assert_eq!(list.items.len(), 2);
    }

    #[test]
    fn a_list_in_one_paragraph() {
        let doc = Document::parse(
            "本隐私政策所指的重大变更包括但不限于：我们的服务模式发生重大变化；个人信息共享、转让或公开披露的主要对象发生变化；我们的联系方式及投诉渠道发生变化。\n",
            Format::Markdown,
        );
        let list = trigger_list(&doc).expect("list");
        assert_eq!(list.items.len(), 3);
        assert!(list.items[2].text.starts_with("我们的联系方式"));
        assert_eq!(
            super::super::best_detector(&list.items[1].text).map(|d| d.id.as_str()),
            Some("recipients")
        );
    }

    #[test]
    fn no_list() {
        let doc = Document::parse(
            "We may update this policy.\n\n1. We collect data.\n",
            Format::Markdown,
        );
        assert!(trigger_list(&doc).is_none());
    }
}
