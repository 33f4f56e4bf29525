//! Markdown (CommonMark + front matter) into clauses, via comrak.

use comrak::nodes::{AstNode, ListDelimType, ListType, NodeValue};
use comrak::{Arena, Options, parse_document};

use super::{ClauseKind, Sink};

/// Options for policy text: CommonMark with front matter and GFM tables.
fn options(front_matter: bool) -> Options<'static> {
    let mut options = Options::default();
    if front_matter {
        options.extension.front_matter_delimiter = Some("---".into());
    }
    // Policies converted from HTML carry their tables as GFM pipe tables.
    options.extension.table = true;
    options
}

/// Parse Markdown into `builder`.
pub(crate) fn parse(text: &str, builder: &mut impl Sink) {
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let options = options(true);
    let arena = Arena::new();
    let root = parse_document(&arena, text, &options);
    blocks(&arena, root, builder);
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
    // Since the last blank line, a line started with `<` (an HTML block may be open).
    let mut html_run = false;
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
        if blank {
            html_run = false;
        } else if trimmed.starts_with('<') {
            html_run = true;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            // Inside an HTML block (which runs to the next blank line) a
            // fence line is HTML, not a fence: whether it opens one depends
            // on where the HTML block started, so parse the text whole.
            if html_run {
                return None;
            }
            fence = Some(if trimmed.starts_with("```") {
                "```"
            } else {
                "~~~"
            });
        }
        previous_blank = blank;
        offset += line.len();
    }
    if offset > start {
        blocks.push((start..offset, start_line));
    }
    Some(blocks)
}

/// How deep indented blocks are read again as Markdown; deeper ones (only
/// a hostile text nests them so) stay one paragraph of their literal text.
const MAX_REREAD: u8 = 8;

/// One block still to visit.
#[derive(Clone, Copy)]
struct Visit<'a> {
    node: &'a AstNode<'a>,
    /// Clause of the enclosing list item.
    item: Option<usize>,
    /// List depth.
    depth: u8,
    /// Lines before the text the node was parsed from (for re-read blocks).
    line_offset: usize,
    /// How many indented blocks enclose this one.
    reread: u8,
}

/// Walk the block nodes below `root` in document order. The walk keeps its
/// own stack, not the call stack: a hostile text can nest block quotes and
/// lists as deep as its size allows (100,000 levels and more), and comrak
/// itself builds and drops such trees without recursion.
fn blocks<'a>(arena: &'a Arena<'a>, root: &'a AstNode<'a>, b: &mut impl Sink) {
    let mut stack: Vec<Visit<'a>> = Vec::new();
    let top = Visit {
        node: root,
        item: None,
        depth: 0,
        line_offset: 0,
        reread: 0,
    };
    push_children(&mut stack, root.children(), top);
    while let Some(visit) = stack.pop() {
        let Visit {
            node, item, depth, ..
        } = visit;
        let line = node.data().sourcepos.start.line + visit.line_offset;
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
                push_children(&mut stack, node.children(), visit);
            }
            NodeValue::Item(list) => {
                // Depths past 255 are kept as 255: no policy nests that deep,
                // and the clauses below still get their parent links.
                let depth = depth.saturating_add(1);
                let (index, rest) = list_item(node, &list, b, item, depth, visit.line_offset);
                push_children(
                    &mut stack,
                    rest,
                    Visit {
                        item: Some(index),
                        depth,
                        ..visit
                    },
                );
            }
            // An indented block in a policy is a continuation paragraph that
            // lost its list item in an HTML conversion, not code: read it as
            // Markdown, so its links and emphasis are markup, not text.
            NodeValue::CodeBlock(code) if !code.fenced && visit.reread < MAX_REREAD => {
                let inner = parse_document(arena, &code.literal, &options(false));
                push_children(
                    &mut stack,
                    inner.children(),
                    Visit {
                        line_offset: line - 1,
                        reread: visit.reread + 1,
                        ..visit
                    },
                );
            }
            NodeValue::CodeBlock(code) if !code.fenced => {
                let i = b.push(
                    ClauseKind::Paragraph,
                    0,
                    None,
                    &code.literal,
                    line,
                    Vec::new(),
                );
                if let Some(p) = item {
                    b.set_parent(i, p);
                }
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
            NodeValue::HtmlBlock(html) => match html_visible_text(&html.literal) {
                // A block of formatting HTML counts as the text a reader sees in it.
                Some(text) => {
                    if !text.trim().is_empty() {
                        let i = b.push(ClauseKind::Paragraph, 0, None, &text, line, Vec::new());
                        if let Some(p) = item {
                            b.set_parent(i, p);
                        }
                    }
                }
                None => {
                    b.push(
                        ClauseKind::Verbatim,
                        0,
                        None,
                        &html.literal,
                        line,
                        Vec::new(),
                    );
                }
            },
            NodeValue::Table(_) => table(node, visit.line_offset, b),
            _ => {
                // Thematic breaks and other blocks: keep any text they hold.
                let (text, links) = inline_text(node);
                if !text.trim().is_empty() {
                    b.push(ClauseKind::Paragraph, 0, None, &text, line, links);
                }
            }
        }
    }
}

/// A table: its header row is one clause, and each body row is a clause
/// (cells joined by ` | `) whose section ends with the header, the context a
/// reader reads the row in.
fn table<'a>(node: &'a AstNode<'a>, line_offset: usize, b: &mut impl Sink) {
    let mut header: Option<usize> = None;
    for row in node.children() {
        let is_header = matches!(row.data().value, NodeValue::TableRow(true));
        let mut text = String::new();
        let mut links = Vec::new();
        for (k, cell) in row.children().enumerate() {
            let (t, l) = inline_text(cell);
            if k > 0 {
                text.push_str(" | ");
            }
            text.push_str(t.trim());
            links.extend(l);
        }
        let row_line = row.data().sourcepos.start.line + line_offset;
        if text.replace('|', "").trim().is_empty() {
            continue;
        }
        if is_header {
            let i = b.push(ClauseKind::Paragraph, 0, None, &text, row_line, links);
            b.set_context(Some(text));
            header = Some(i);
        } else {
            let i = b.push(ClauseKind::Paragraph, 0, None, &text, row_line, links);
            if let Some(h) = header {
                b.set_parent(i, h);
            }
        }
    }
    if header.is_some() {
        b.set_context(None);
    }
}

/// Put `children` on the walk's stack so that the first is visited next.
fn push_children<'a>(
    stack: &mut Vec<Visit<'a>>,
    children: impl Iterator<Item = &'a AstNode<'a>>,
    like: Visit<'a>,
) {
    let start = stack.len();
    stack.extend(children.map(|node| Visit { node, ..like }));
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
    line_offset: usize,
) -> (usize, impl Iterator<Item = &'a AstNode<'a>>) {
    let line = node.data().sourcepos.start.line + line_offset;
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
        NodeValue::HtmlBlock(h) => Some((
            html_visible_text(&h.literal).unwrap_or_else(|| h.literal.clone()),
            Vec::new(),
        )),
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
    let mut links: Vec<String> = Vec::new();
    let mut stack = vec![node];
    while let Some(n) = stack.pop() {
        match &n.data().value {
            NodeValue::Text(t) => text.push_str(t),
            NodeValue::Code(c) => text.push_str(&c.literal),
            // Tags are markup: a reader sees none of `<a id="x"></a>` or
            // `<span>`; a line break reads as a space.
            NodeValue::HtmlInline(h) if h.starts_with("<!--") => {}
            NodeValue::HtmlInline(h) if is_markup_tag(h) => {
                if is_break_tag(h) {
                    text.push(' ');
                }
            }
            // Anything else (`<script>`, `<iframe>`) is not policy markup: a
            // reviewer must see it as written.
            NodeValue::HtmlInline(h) => text.push_str(h),
            NodeValue::SoftBreak | NodeValue::LineBreak => text.push(' '),
            NodeValue::Link(l) | NodeValue::Image(l) => {
                links.push(l.url.clone());
                stack.extend(n.reverse_children());
            }
            _ => stack.extend(n.reverse_children()),
        }
    }
    if text.contains("](") {
        text = literal_links(&text, &mut links);
    }
    for link in &mut links {
        if let Some(mailto) = deobfuscated_mailto(link) {
            *link = mailto;
        }
    }
    (text, links)
}

/// Read `[label](target)` left as text (CommonMark refuses a target with a
/// space in it, as HTML converters write `javascript:` links) as the link a
/// reader sees: the label stays, the target joins `links`. Only targets that
/// look like one (a scheme, `/`, `#`, `www.`) count, so bracketed prose stays.
fn literal_links(text: &str, links: &mut Vec<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let after = &rest[open + 1..];
        let parsed = after.find("](").and_then(|mid| {
            let label = &after[..mid];
            let tail = &after[mid + 2..];
            let close = tail.find(')')?;
            let target = &tail[..close];
            let scheme = target
                .split_once(':')
                .is_some_and(|(s, _)| !s.is_empty() && s.chars().all(|c| c.is_ascii_alphabetic()));
            let looks = scheme || target.starts_with(['/', '#']) || target.starts_with("www.");
            (looks && !label.contains(['[', ']']) && !target.contains(['(', '\n'])).then_some((
                label,
                target,
                open + 1 + mid + 2 + close + 1,
            ))
        });
        match parsed {
            Some((label, target, end)) => {
                out.push_str(&rest[..open]);
                out.push_str(label);
                links.push(target.trim().to_owned());
                rest = &rest[end..];
            }
            None => {
                out.push_str(&rest[..=open]);
                rest = &rest[open + 1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The `mailto:` address a `javascript:` link opens, with the `/u0064` or
/// `\u0064` escapes that hide it from crawlers decoded: the link a reader
/// follows, so that de-obfuscating it is not a changed address.
fn deobfuscated_mailto(link: &str) -> Option<String> {
    let body = link.strip_prefix("javascript:")?;
    let start = body.find("mailto:")?;
    let mut out = String::new();
    let mut chars = body[start..].chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' | ';' => break,
            '/' | '\\' if chars.peek() == Some(&'u') => {
                chars.next();
                let hex: String = chars.by_ref().take(4).collect();
                out.push(char::from_u32(u32::from_str_radix(&hex, 16).ok()?)?);
            }
            c => out.push(c),
        }
    }
    let address = out.strip_prefix("mailto:")?;
    address.contains('@').then_some(out)
}

/// True for tags that break a line (`<br>`, `<p>`, `</li>` …): they read as a space.
fn is_break_tag(tag: &str) -> bool {
    matches!(
        tag_name(tag).as_str(),
        "br" | "p"
            | "div"
            | "li"
            | "ul"
            | "ol"
            | "tr"
            | "td"
            | "th"
            | "table"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
    )
}

/// The name of a tag, lower-cased: `<A href=…>` and `</a>` give `a`.
fn tag_name(tag: &str) -> String {
    tag.trim_start_matches(['<', '/'])
        .chars()
        .take_while(char::is_ascii_alphanumeric)
        .collect::<String>()
        .to_ascii_lowercase()
}

/// True for tags that only format or anchor text, as HTML converters leave
/// them in a policy: they count as nothing but their visible text.
fn is_markup_tag(tag: &str) -> bool {
    matches!(
        tag_name(tag).as_str(),
        "a" | "abbr"
            | "b"
            | "i"
            | "u"
            | "s"
            | "em"
            | "strong"
            | "small"
            | "big"
            | "mark"
            | "span"
            | "font"
            | "sup"
            | "sub"
            | "br"
            | "wbr"
            | "p"
            | "div"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "main"
            | "aside"
            | "nav"
            | "li"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "hr"
            | "blockquote"
            | "cite"
            | "q"
            | "time"
            | "address"
            | "center"
            | "img"
            | "figure"
            | "figcaption"
            | "label"
    )
}

/// The text a reader sees in a block of HTML: formatting tags dropped (block
/// tags read as a space), comments dropped, common entities decoded. `None`
/// when the block holds anything else (`<script>`, `<iframe>`, a form): then
/// it is kept as written.
fn html_visible_text(html: &str) -> Option<String> {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        out.push_str(&rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |k| &rest[k + 3..]);
            continue;
        }
        match rest.find('>') {
            Some(gt) => {
                let tag = &rest[..=gt];
                if !is_markup_tag(tag) {
                    return None;
                }
                if is_break_tag(tag) {
                    out.push(' ');
                }
                rest = &rest[gt + 1..];
            }
            None => {
                // A lone `<` is text.
                out.push('<');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Some(decode_entities(&out))
}

/// Decode the entities HTML converters leave most often.
fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_owned();
    }
    text.replace("&nbsp;", " ")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&apos;", "'")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
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

    #[test]
    fn an_indented_block_is_a_continuation_paragraph_with_markup() {
        let md = "1. Reviews\n\n    By writing a review you agree that it may be shown (see our [Terms](https://t.example/terms?x=1)) on *our* sites.\n    \n    It stays up until you remove it.\n";
        let doc = parse(md);
        let texts: Vec<_> = doc.clauses.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Reviews",
                "By writing a review you agree that it may be shown (see our Terms) on our sites.",
                "It stays up until you remove it."
            ]
        );
        let para = &doc.clauses[1];
        assert_eq!(para.kind, ClauseKind::Paragraph);
        assert_eq!(para.links, ["https://t.example/terms?x=1"]);
        assert_eq!(para.parent, Some(0));
        assert_eq!((para.line, doc.clauses[2].line), (3, 5));
        // A fenced block is still kept as written.
        let fenced = parse("```\n[a](b) *c*\n```\n");
        assert_eq!(fenced.clauses[0].kind, ClauseKind::Verbatim);
        assert_eq!(fenced.clauses[0].text, "[a](b) *c*");
    }

    #[test]
    fn deeply_indented_text_is_read_in_bounded_depth() {
        let md = format!("{}deep [link](x)\n", " ".repeat(4 * 40));
        let doc = parse(&md);
        assert_eq!(doc.clauses.len(), 1);
        assert!(doc.clauses[0].text.ends_with("deep [link](x)"));
    }

    #[test]
    fn html_counts_as_its_visible_text() {
        let a = parse(
            "<a id=\"sec-3\"></a>We keep <span class=\"x\">your</span> data.<br>For a year.\n",
        );
        assert_eq!(a.clauses[0].text, "We keep your data. For a year.");
        let b = parse(
            "<div class=\"note\">\n<!-- hidden -->We keep &amp; share <b>less</b>.\n</div>\n",
        );
        assert_eq!(b.clauses.len(), 1);
        assert_eq!(b.clauses[0].kind, ClauseKind::Paragraph);
        assert_eq!(b.clauses[0].text, "We keep & share less.");
        assert!(parse("<div></div>\n").clauses.is_empty());
        // Not markup: kept as written for a reviewer to see.
        let c = parse("We keep <script>x()</script> data.\n");
        assert_eq!(c.clauses[0].text, "We keep <script>x()</script> data.");
    }

    #[test]
    fn a_table_row_is_a_clause_with_its_header_as_context() {
        let md = "# Uses\n\n| Purpose | Data |\n| --- | --- |\n| To bill you | * Payment data<br>* Address |\n| To [help](https://h.example) you | Contact data |\n\nAfter the table.\n";
        let doc = parse(md);
        let texts: Vec<_> = doc.clauses.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(
            texts,
            [
                "Uses",
                "Purpose | Data",
                "To bill you | * Payment data * Address",
                "To help you | Contact data",
                "After the table."
            ]
        );
        assert_eq!(*doc.clauses[2].section, ["Uses", "Purpose | Data"]);
        assert_eq!(doc.clauses[3].links, ["https://h.example"]);
        assert_eq!(doc.clauses[3].line, 6);
        assert_eq!(doc.clauses[2].parent, Some(1));
        assert_eq!(*doc.clauses[4].section, ["Uses"]);
        let mut cache = crate::document::BlockCache::default();
        assert_eq!(
            Document::parse_cached(md, Format::Markdown, &mut cache),
            doc
        );
    }

    #[test]
    fn a_link_left_as_text_and_an_obfuscated_mailto_read_as_links() {
        let hidden = "javascript:location='mailto:/u0061/u0040/u0062.example';void 0";
        let a = parse(&format!("Write to [a@b.example]({hidden}) today."));
        let b = parse("Write to [a@b.example](mailto:a@b.example) today.");
        assert_eq!(a.clauses[0].text, "Write to a@b.example today.");
        assert_eq!(a.clauses[0].links, ["mailto:a@b.example"]);
        assert_eq!(a.clauses[0].links, b.clauses[0].links);
        // Bracketed prose is not a link.
        let c = parse("Rights [see below](section 4) apply.");
        assert_eq!(c.clauses[0].text, "Rights [see below](section 4) apply.");
    }
}
