//! Markdown (CommonMark + front matter) into clauses, via comrak.

use comrak::nodes::{AstNode, ListDelimType, ListType, NodeValue};
use comrak::{Arena, Options, parse_document};

use super::{ClauseKind, Sink};

/// Parse Markdown into `builder`.
pub(crate) fn parse(text: &str, builder: &mut impl Sink) {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let mut options = Options::default();
    options.extension.front_matter_delimiter = Some("---".into());
    let arena = Arena::new();
    let root = parse_document(&arena, text, &options);
    blocks(root, builder);
}

/// Split Markdown into independent top-level blocks: each starts at column 0
/// after a blank line, outside fenced code and front matter, so that parsing
/// the blocks one by one gives the same clauses as parsing the whole text.
/// Returns the blocks' byte ranges and first lines, or `None` when the text
/// uses something that crosses blocks (link reference definitions, HTML
/// blocks that may span blank lines); then parse it whole.
pub(crate) fn split_blocks(text: &str) -> Option<Vec<(std::ops::Range<usize>, usize)>> {
    let mut blocks = Vec::new();
    let mut start = 0;
    let mut start_line = 1;
    let mut offset = 0;
    let mut fence: Option<&str> = None;
    let mut previous_blank = false;
    let mut in_front_matter = text.starts_with("---\n") || text.starts_with("---\r\n");
    for (n, line) in text.split_inclusive('\n').enumerate() {
        let line_no = n + 1;
        let content = line.trim_end_matches(['\n', '\r']);
        let trimmed = content.trim_start();
        if in_front_matter {
            if n > 0 && content == "---" {
                in_front_matter = false;
            }
            offset += line.len();
            continue;
        }
        if let Some(f) = fence {
            if trimmed.starts_with(f) {
                fence = None;
            }
            offset += line.len();
            previous_blank = false;
            continue;
        }
        // Constructs whose meaning crosses blank lines: parse the text whole.
        if trimmed.starts_with('<') {
            let head = trimmed.get(..9).unwrap_or(trimmed).to_ascii_lowercase();
            if [
                "<!--",
                "<script",
                "<pre",
                "<style",
                "<textarea",
                "<?",
                "<![cdata[",
            ]
            .iter()
            .any(|p| head.starts_with(p))
            {
                return None;
            }
        }
        if trimmed.starts_with('[') && trimmed.contains("]:") {
            return None;
        }
        let blank = content.trim().is_empty();
        if !blank && previous_blank && !content.starts_with([' ', '\t']) && offset > start {
            blocks.push((start..offset, start_line));
            start = offset;
            start_line = line_no;
        }
        if trimmed.starts_with("```") {
            fence = Some("```");
        } else if trimmed.starts_with("~~~") {
            fence = Some("~~~");
        }
        previous_blank = blank;
        offset += line.len();
    }
    if offset > start {
        blocks.push((start..offset, start_line));
    }
    Some(blocks)
}

/// Walk the block nodes below `root` in document order. The walk keeps its
/// own stack, not the call stack: a hostile text can nest block quotes and
/// lists as deep as its size allows (100,000 levels and more), and comrak
/// itself builds and drops such trees without recursion.
fn blocks<'a>(root: &'a AstNode<'a>, b: &mut impl Sink) {
    // (node, enclosing list item's clause, list depth), next to visit on top.
    let mut stack: Vec<(&'a AstNode<'a>, Option<usize>, u8)> = Vec::new();
    push_children(&mut stack, root.children(), None, 0);
    while let Some((node, item, depth)) = stack.pop() {
        let line = node.data().sourcepos.start.line;
        let value = node.data().value.clone();
        match value {
            NodeValue::FrontMatter(raw) => front_matter(&raw, line, b),
            NodeValue::Heading(h) => {
                let (text, links) = inline_text(node);
                b.push(ClauseKind::Heading, h.level, None, &text, line, links);
            }
            NodeValue::Paragraph => {
                let (text, links) = inline_text(node);
                let i = b.push(ClauseKind::Paragraph, 0, None, &text, line, links);
                if let Some(p) = item {
                    b.set_parent(i, p);
                }
            }
            NodeValue::List(_) | NodeValue::BlockQuote | NodeValue::Document => {
                push_children(&mut stack, node.children(), item, depth);
            }
            NodeValue::Item(list) => {
                // Depths past 255 are kept as 255: no policy nests that deep,
                // and the clauses below still get their parent links.
                let depth = depth.saturating_add(1);
                let (index, rest) = list_item(node, &list, b, item, depth);
                push_children(&mut stack, rest, Some(index), depth);
            }
            NodeValue::CodeBlock(code) => {
                b.push(
                    ClauseKind::Verbatim,
                    0,
                    None,
                    &code.literal,
                    line,
                    Vec::new(),
                );
            }
            NodeValue::HtmlBlock(html) => {
                b.push(
                    ClauseKind::Verbatim,
                    0,
                    None,
                    &html.literal,
                    line,
                    Vec::new(),
                );
            }
            _ => {
                // Tables, thematic breaks and other blocks: keep any text they hold.
                let (text, links) = inline_text(node);
                if !text.trim().is_empty() {
                    b.push(ClauseKind::Paragraph, 0, None, &text, line, links);
                }
            }
        }
    }
}

/// Put `children` on the walk's stack so that the first is visited next.
fn push_children<'a>(
    stack: &mut Vec<(&'a AstNode<'a>, Option<usize>, u8)>,
    children: impl Iterator<Item = &'a AstNode<'a>>,
    item: Option<usize>,
    depth: u8,
) {
    let start = stack.len();
    stack.extend(children.map(|c| (c, item, depth)));
    stack[start..].reverse();
}

/// A list item becomes one clause from its first paragraph, labelled with its
/// number as written; later blocks of the item become its children. Returns
/// the clause's index and the blocks still to walk.
fn list_item<'a>(
    node: &'a AstNode<'a>,
    list: &comrak::nodes::NodeList,
    b: &mut impl Sink,
    parent: Option<usize>,
    depth: u8,
) -> (usize, impl Iterator<Item = &'a AstNode<'a>>) {
    let line = node.data().sourcepos.start.line;
    let label = match list.list_type {
        ListType::Ordered => Some(format!(
            "{}{}",
            list.start,
            match list.delimiter {
                ListDelimType::Period => '.',
                ListDelimType::Paren => ')',
            }
        )),
        ListType::Bullet => None,
    };
    // The item's text is its first block, whatever kind it is ("3. <div>…"
    // starts an HTML block inside the item, not an empty item).
    let first = node.first_child();
    let first_text = first.and_then(|p| match &p.data().value {
        NodeValue::Paragraph | NodeValue::Heading(_) => Some(inline_text(p)),
        NodeValue::HtmlBlock(h) => Some((h.literal.clone(), Vec::new())),
        NodeValue::CodeBlock(c) => Some((c.literal.clone(), Vec::new())),
        _ => None,
    });
    let consumed = first_text.is_some();
    let (text, links) = first_text.unwrap_or_default();
    // A bullet item's text may itself start with a written label ("- (a) ...").
    let index = match label {
        Some(_) => b.push(ClauseKind::ListItem, depth, label, &text, line, links),
        None => {
            let (l, rest) = super::split_label(&text);
            let l = l.map(str::to_owned);
            b.push(ClauseKind::ListItem, depth, l, rest, line, links)
        }
    };
    if let Some(p) = parent {
        b.set_parent(index, p);
    }
    (index, node.children().skip(usize::from(consumed)))
}

/// `key: value` lines of the front matter; each field is a clause of kind `meta`.
fn front_matter(raw: &str, first_line: usize, b: &mut impl Sink) {
    for (i, line) in raw.lines().enumerate() {
        let trimmed = line.trim();
        if trimmed.is_empty() || trimmed == "---" || trimmed.starts_with('#') {
            continue;
        }
        if let Some((key, value)) = trimmed.split_once(':') {
            let value = value.trim().trim_matches(|c| c == '"' || c == '\'');
            b.push(
                ClauseKind::Meta,
                0,
                Some(key.trim().to_owned()),
                value,
                first_line + i,
                Vec::new(),
            );
        }
    }
}

/// The visible text of an inline container (emphasis and link markup removed,
/// breaks as spaces) and the link targets inside it.
fn inline_text<'a>(node: &'a AstNode<'a>) -> (String, Vec<String>) {
    let mut text = String::new();
    let mut links = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.data().value {
            NodeValue::Text(t) => text.push_str(t),
            NodeValue::Code(c) => text.push_str(&c.literal),
            NodeValue::HtmlInline(h) => text.push_str(h),
            NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
            NodeValue::Link(l) | NodeValue::Image(l) => {
                links.push(l.url.clone());
                stack.extend(n.reverse_children());
            }
            _ => stack.extend(n.reverse_children()),
        }
    }
    (text, links)
}

#[cfg(test)]
mod tests {
    use crate::document::{ClauseKind, Document, Format};

    fn parse(md: &str) -> Document {
        Document::parse(md, Format::Markdown)
    }

    #[test]
    fn headings_lists_and_labels() {
        let doc = parse(
            "---\ntitle: Privacy Policy\neffective: 2025-07-09\n---\n\n# Privacy Policy\n\n## VI. Notice and Revision\n\n1. In order to *provide*\n\n2) Second item\n\n( 1 ) Our service\n",
        );
        let c = &doc.clauses;
        assert_eq!(doc.meta("effective"), Some("2025-07-09"));
        assert_eq!(doc.title(), Some("Privacy Policy"));
        let heading = c.iter().find(|c| c.text == "Notice and Revision").unwrap();
        assert_eq!(heading.label.as_deref(), Some("VI."));
        assert_eq!(heading.kind, ClauseKind::Heading);
        let item = c.iter().find(|c| c.text == "In order to provide").unwrap();
        assert_eq!(item.label.as_deref(), Some("1."));
        assert_eq!(item.kind, ClauseKind::ListItem);
        assert_eq!(*item.section, ["Privacy Policy", "VI. Notice and Revision"]);
        assert_eq!(item.line, 10);
        let paren = c.iter().find(|c| c.text == "Second item").unwrap();
        assert_eq!(paren.label.as_deref(), Some("2)"));
        let p = c.iter().find(|c| c.text == "Our service").unwrap();
        assert_eq!(p.label.as_deref(), Some("( 1 )"));
        assert_eq!(p.line, 14);
    }

    #[test]
    fn link_targets_are_kept_but_not_compared() {
        let a = parse("Contact [us](https://a.example/contact).");
        let b = parse("Contact [us](https://b.example/contact).");
        assert_eq!(a.clauses[0].norm(), b.clauses[0].norm());
        assert_eq!(a.clauses[0].links, ["https://a.example/contact"]);
    }

    #[test]
    fn nested_list_items_have_item_parents() {
        let doc = parse("1. Outer\n\n   - inner\n");
        assert_eq!(doc.clauses.len(), 2);
        assert_eq!(doc.clauses[1].parent, Some(0));
        assert_eq!(doc.clauses[1].level, 2);
    }
}
