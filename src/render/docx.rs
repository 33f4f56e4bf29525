//! The Word redline: the new version as a `.docx` in which every change is
//! a tracked revision (`w:ins`, `w:del`) by "policydiff", so legal can
//! accept or reject each one in Word or LibreOffice.
//!
//! What each change becomes:
//! - an unchanged clause: a plain paragraph;
//! - an added clause: a paragraph of insertions whose paragraph mark is
//!   inserted too (rejecting it leaves no empty line);
//! - a removed clause: a paragraph of deletions, its mark deleted, where it stood;
//! - a modified or editorial change: one paragraph of plain text, insertions
//!   and deletions, from the change's word runs (a changed number label is
//!   one deletion and one insertion);
//! - a moved clause: a deletion where it stood and an insertion where it
//!   stands, each with a comment saying where the other end is (docx-rs
//!   writes no move ranges, which `w:moveFrom`/`w:moveTo` need);
//! - a split: the new paragraphs as written, the paragraph marks it added
//!   inserted; a merge: the merged paragraph with a comment.
//!
//! Number labels are literal text as written; headings take the styles
//! `Heading1`… by their depth in the section tree.

use std::io::Cursor;

use docx_rs::{
    AlignmentType, BreakType, Comment, Delete, Docx, Footer, Header, Insert, LineSpacing, NumPages,
    PageNum, Paragraph, Run, RunFonts, Style, StyleType,
};

use crate::diff::{ChangeKind, InlineTag, Regroup};
use crate::document::ClauseKind;
use crate::policy::Day;
use crate::report::{Change, ClauseRef, DocEntry, Report, VersionInfo};

/// The author of every revision and comment.
pub const AUTHOR: &str = "policydiff";

/// Writing the Word container failed.
#[derive(Debug, thiserror::Error)]
#[error("cannot write the Word document: {0}")]
pub struct DocxError(#[from] zip::result::ZipError);

/// The date of the revisions: the new version's commit date, else its
/// effective date, else `today` (which the caller supplies, so the renderer
/// stays a function of its inputs). RFC 3339 in UTC, as Word writes it.
pub fn revision_date(new: &VersionInfo, today: Day) -> String {
    let commit = new.date.as_deref().and_then(|d| {
        let t = time::OffsetDateTime::parse(d, &time::format_description::well_known::Rfc3339)
            .ok()?
            .to_offset(time::UtcOffset::UTC);
        Some(format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            t.year(),
            u8::from(t.month()),
            t.day(),
            t.hour(),
            t.minute(),
            t.second()
        ))
    });
    let effective = || {
        new.effective
            .as_deref()
            .and_then(|e| e.trim().parse::<Day>().ok())
    };
    commit.unwrap_or_else(|| format!("{}T00:00:00Z", effective().unwrap_or(today)))
}

/// Render the report as a Word document with tracked changes, dated `date`
/// (see [`revision_date`]). The report must hold the unchanged clauses
/// (a whole-document comparison), or only the changes appear.
pub fn render(report: &Report, date: &str) -> Result<Vec<u8>, DocxError> {
    let mut w = Writer {
        date,
        docx: base(report, date),
        comments: 0,
    };
    for item in reading_order(report) {
        match item {
            Item::Unchanged(c) => w.plain(c),
            Item::Change(c) => w.change(c),
            Item::MovedFrom(c) => w.moved_from(c),
        }
    }
    let mut xml = w.docx.build();
    // docx-rs writes property children out of the schema's order, which
    // Word may reject or silently ignore (a paragraph mark's revision, a
    // heading style): put them in order.
    for part in std::iter::once(&mut xml.document)
        .chain([&mut xml.styles, &mut xml.comments])
        .chain(xml.headers.iter_mut())
        .chain(xml.footers.iter_mut())
    {
        if let Ok(text) = std::str::from_utf8(part) {
            *part = schema_order::apply(text).into_bytes();
        }
    }
    let mut out = Cursor::new(Vec::new());
    xml.pack(&mut out)?;
    Ok(out.into_inner())
}

/// One paragraph-level thing to write, in reading order.
enum Item<'a> {
    Unchanged(&'a ClauseRef),
    Change(&'a Change),
    /// The old place of a moved clause.
    MovedFrom(&'a Change),
}

/// [`Report::document_order`] with the old place of each moved clause added:
/// after the new place of its nearest preceding old neighbour that stayed
/// put, as removals are placed.
fn reading_order(report: &Report) -> Vec<Item<'_>> {
    let stayed = report.stayed();
    // (new index it follows, or None for the top) of each moved clause's old place.
    let moved: Vec<(Option<usize>, &Change)> = report
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Moved)
        .filter_map(|c| {
            let old = c.old.as_ref()?;
            let k = stayed.partition_point(|&(i, _)| i < old.index);
            Some((k.checked_sub(1).map(|k| stayed[k].1), c))
        })
        .collect();
    let mut out: Vec<Item<'_>> = moved
        .iter()
        .filter(|(after, _)| after.is_none())
        .map(|&(_, c)| Item::MovedFrom(c))
        .collect();
    for entry in report.document_order() {
        let new_index = match entry {
            DocEntry::Unchanged(c) => {
                out.push(Item::Unchanged(c));
                Some(c.index)
            }
            DocEntry::Change(c) => {
                out.push(Item::Change(c));
                c.new.as_ref().map(|n| n.index)
            }
        };
        if let Some(k) = new_index {
            out.extend(
                moved
                    .iter()
                    .filter(|(after, _)| *after == Some(k))
                    .map(|&(_, c)| Item::MovedFrom(c)),
            );
        }
    }
    out
}

/// The document with its styles, page header and properties.
fn base(report: &Report, date: &str) -> Docx {
    let mut docx = Docx::new()
        .default_fonts(
            RunFonts::new()
                .ascii("Liberation Serif")
                .hi_ansi("Liberation Serif"),
        )
        .default_size(22)
        .created_at(date)
        .updated_at(date);
    // Built-in names ("heading 1"), so Word and LibreOffice treat them as
    // their own heading styles (navigation pane, outline).
    for n in 1..=9usize {
        let size = [32, 28, 26, 24, 22, 22, 22, 22, 22][n - 1];
        docx = docx.add_style(
            Style::new(format!("Heading{n}"), StyleType::Paragraph)
                .name(format!("heading {n}"))
                .based_on("Normal")
                .next("Normal")
                .bold()
                .size(size)
                .outline_lvl(n - 1),
        );
    }
    // Front-matter fields in a style of their own, which reading the file
    // back as a version turns into front matter again (a round trip).
    docx = docx.add_style(
        Style::new(
            crate::convert::docx::FRONT_MATTER_STYLE,
            StyleType::Paragraph,
        )
        .name("Front Matter")
        .based_on("Normal")
        .next("Normal")
        .size(18)
        .color("5F6368"),
    );
    let title = report
        .new
        .title
        .clone()
        .or_else(|| report.policy.clone())
        .unwrap_or_else(|| report.new.path.clone());
    let header = format!(
        "{title}: tracked changes {} → {} (policydiff)",
        report.old.label(),
        report.new.label()
    );
    // Titles and labels come from the policy: no control character may
    // reach the XML (Word refuses such a file).
    let small = |t: &str| Run::new().add_text(xml_safe(t)).size(16).color("555555");
    docx.header(Header::new().add_paragraph(Paragraph::new().add_run(small(&header))))
        .footer(
            Footer::new().add_paragraph(
                Paragraph::new()
                    .align(AlignmentType::Center)
                    .add_run(small("Page "))
                    .add_page_num(PageNum::new())
                    .add_run(small(" of "))
                    .add_num_pages(NumPages::new()),
            ),
        )
}

/// A run of one kind in a paragraph.
type Op = (InlineTag, String);

struct Writer<'a> {
    date: &'a str,
    docx: Docx,
    comments: usize,
}

impl Writer<'_> {
    fn push(&mut self, p: Paragraph) {
        let docx = std::mem::take(&mut self.docx);
        self.docx = docx.add_paragraph(p);
    }

    fn plain(&mut self, c: &ClauseRef) {
        let p = self.paragraph(c, &[(InlineTag::Equal, labelled(c))], &[]);
        self.push(p);
    }

    fn change(&mut self, c: &Change) {
        let (new, old) = (c.new.as_ref(), c.old.as_ref());
        let Some(new) = new else {
            // Removed: the old clause, deleted, mark and all.
            if let Some(old) = old {
                let p = self
                    .paragraph(old, &[(InlineTag::Delete, labelled(old))], &[])
                    .delete(AUTHOR, self.date);
                self.push(p);
            }
            return;
        };
        match (c.kind, c.regroup) {
            (ChangeKind::Added, _) => {
                let p = self
                    .paragraph(new, &[(InlineTag::Insert, labelled(new))], &[])
                    .insert(AUTHOR, self.date);
                self.push(p);
            }
            (ChangeKind::Moved, _) => {
                let note = match old {
                    Some(o) => format!("Moved here from {}.", place(o, "old")),
                    None => "Moved here.".into(),
                };
                let p = self
                    .paragraph(new, &[(InlineTag::Insert, labelled(new))], &[note])
                    .insert(AUTHOR, self.date);
                self.push(p);
            }
            (_, Some(Regroup::Split)) => {
                // The same words in more paragraphs: the paragraph marks the
                // split added are the revision.
                let all: Vec<&ClauseRef> = std::iter::once(new).chain(&c.more_new).collect();
                for (k, part) in all.iter().enumerate() {
                    let notes = if k == 0 {
                        vec![match old {
                            Some(o) => format!("Split from one paragraph at {}.", place(o, "old")),
                            None => "Split from one paragraph.".into(),
                        }]
                    } else {
                        Vec::new()
                    };
                    let mut p = self.paragraph(part, &[(InlineTag::Equal, labelled(part))], &notes);
                    if k + 1 < all.len() {
                        p = p.insert(AUTHOR, self.date);
                    }
                    self.push(p);
                }
            }
            _ => {
                let mut ops = label_ops(old, new);
                ops.extend(c.inline.iter().map(|op| (op.op, op.text.clone())));
                let mut notes = Vec::new();
                if c.regroup == Some(Regroup::Merged) {
                    notes.push(format!("Merged from {} paragraphs.", 1 + c.more_old.len()));
                }
                for l in &c.link_changes {
                    notes.push(format!(
                        "Link target changed: {} → {}",
                        l.old.as_deref().unwrap_or("(none)"),
                        l.new.as_deref().unwrap_or("(none)")
                    ));
                }
                let p = self.paragraph(new, &ops, &notes);
                self.push(p);
            }
        }
    }

    /// The old place of a moved clause: deleted, with a comment.
    fn moved_from(&mut self, c: &Change) {
        let Some(old) = c.old.as_ref() else { return };
        let note = match c.new.as_ref() {
            Some(n) => format!("Moved to {}.", place(n, "new")),
            None => "Moved away.".into(),
        };
        let p = self
            .paragraph(old, &[(InlineTag::Delete, labelled(old))], &[note])
            .delete(AUTHOR, self.date);
        self.push(p);
    }

    /// A paragraph styled for the clause, with `ops` as plain, inserted and
    /// deleted runs (neighbours of one kind merged), and `notes` as comments.
    fn paragraph(&mut self, clause: &ClauseRef, ops: &[Op], notes: &[String]) -> Paragraph {
        let mut p = Paragraph::new();
        // Each comment spans the whole paragraph.
        let mut ids = Vec::new();
        for note in notes {
            let c = self.comment(note);
            ids.push(c.id());
            p = p.add_comment_start(c);
        }
        p = match clause.kind {
            ClauseKind::Heading => p
                .style(&format!("Heading{}", (clause.section.len() + 1).min(9)))
                .line_spacing(LineSpacing::new().before(240).after(120)),
            ClauseKind::ListItem => p
                .indent(Some(360), None, None, None)
                .line_spacing(LineSpacing::new().after(120)),
            ClauseKind::Meta => p
                .style(crate::convert::docx::FRONT_MATTER_STYLE)
                .line_spacing(LineSpacing::new().after(60)),
            _ => p.line_spacing(LineSpacing::new().after(120)),
        };
        let mono = clause.kind == ClauseKind::Verbatim;
        let meta = clause.kind == ClauseKind::Meta;
        for (tag, text) in merge(ops) {
            let run = |deleted: bool| {
                let mut r = text_run(&text, deleted);
                if mono {
                    r = r.fonts(
                        RunFonts::new()
                            .ascii("Liberation Mono")
                            .hi_ansi("Liberation Mono"),
                    );
                }
                if meta {
                    r = r.color("555555");
                }
                r
            };
            p = match tag {
                InlineTag::Equal => p.add_run(run(false)),
                InlineTag::Insert => {
                    p.add_insert(Insert::new(run(false)).author(AUTHOR).date(self.date))
                }
                InlineTag::Delete => p.add_delete(
                    Delete::new()
                        .add_run(run(true))
                        .author(AUTHOR)
                        .date(self.date),
                ),
            };
        }
        for id in ids {
            p = p.add_comment_end(id);
        }
        p
    }

    /// A comment by policydiff, with the next id.
    fn comment(&mut self, text: &str) -> Comment {
        self.comments += 1;
        Comment::new(self.comments)
            .author(AUTHOR)
            .date(self.date)
            .add_paragraph(Paragraph::new().add_run(Run::new().add_text(xml_safe(text))))
    }
}

/// A run of text; line breaks in the text become breaks (docx-rs drops `\n`).
fn text_run(text: &str, deleted: bool) -> Run {
    let mut r = Run::new();
    let text = xml_safe(text);
    for (k, line) in text.split('\n').enumerate() {
        if k > 0 {
            r = r.add_break(BreakType::TextWrapping);
        }
        if !line.is_empty() {
            r = if deleted {
                r.add_delete_text(line)
            } else {
                r.add_text(line)
            };
        }
    }
    r
}

/// The text with the control characters XML 1.0 cannot hold (form feed,
/// escape …) made spaces, so a stray one cannot make the file unreadable.
fn xml_safe(text: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| (c < ' ' && c != '\t' && c != '\n') || matches!(c, '\u{FFFE}' | '\u{FFFF}');
    if text.chars().any(bad) {
        text.chars().map(|c| if bad(c) { ' ' } else { c }).collect()
    } else {
        std::borrow::Cow::Borrowed(text)
    }
}

/// The clause as written: its number label (or front-matter key) and text.
pub fn labelled(c: &ClauseRef) -> String {
    format!("{}{}", label_prefix(c), c.text)
}

/// `"3.2 "`, `"effective: "`, or nothing.
fn label_prefix(c: &ClauseRef) -> String {
    match (&c.label, c.kind) {
        (Some(l), ClauseKind::Meta) => format!("{l}: "),
        (Some(l), _) => format!("{l} "),
        (None, _) => String::new(),
    }
}

/// The label of a paired clause as runs: plain when it did not change, else
/// the old one deleted and the new one inserted.
fn label_ops(old: Option<&ClauseRef>, new: &ClauseRef) -> Vec<Op> {
    let n = label_prefix(new);
    let o = old.map_or_else(|| n.clone(), label_prefix);
    if o == n {
        return vec![(InlineTag::Equal, n)];
    }
    vec![(InlineTag::Delete, o), (InlineTag::Insert, n)]
}

/// Runs with empty ones dropped and neighbours of one kind joined, so each
/// insertion or deletion is one revision.
fn merge(ops: &[Op]) -> Vec<Op> {
    let mut out: Vec<Op> = Vec::with_capacity(ops.len());
    for (tag, text) in ops {
        if text.is_empty() {
            continue;
        }
        match out.last_mut() {
            Some((t, s)) if t == tag => s.push_str(text),
            _ => out.push((*tag, text.clone())),
        }
    }
    out
}

/// Where a clause stands, for comments: `section › label (old line 12)`.
fn place(c: &ClauseRef, side: &str) -> String {
    let mut parts: Vec<&str> = c
        .section
        .iter()
        .skip(usize::from(c.section.len() > 1))
        .map(String::as_str)
        .collect();
    if let Some(l) = &c.label {
        parts.push(l);
    }
    if parts.is_empty() {
        format!("{side} line {}", c.line)
    } else {
        format!("{} ({side} line {})", parts.join(" › "), c.line)
    }
}

/// Children of `w:pPr`, `w:rPr` and `w:style` in the order ECMA-376 gives
/// them (CT_PPr, CT_ParaRPr / CT_RPr, CT_Style); an empty `w:rPr` in a
/// `w:pPr` (no paragraph-mark formatting) is dropped, as style paragraph
/// properties may not hold one.
mod schema_order {
    const PPR: &[&str] = &[
        "w:pStyle",
        "w:keepNext",
        "w:keepLines",
        "w:pageBreakBefore",
        "w:framePr",
        "w:widowControl",
        "w:numPr",
        "w:suppressLineNumbers",
        "w:pBdr",
        "w:shd",
        "w:tabs",
        "w:suppressAutoHyphens",
        "w:kinsoku",
        "w:wordWrap",
        "w:overflowPunct",
        "w:topLinePunct",
        "w:autoSpaceDE",
        "w:autoSpaceDN",
        "w:bidi",
        "w:adjustRightInd",
        "w:snapToGrid",
        "w:spacing",
        "w:ind",
        "w:contextualSpacing",
        "w:mirrorIndents",
        "w:suppressOverlap",
        "w:jc",
        "w:textDirection",
        "w:textAlignment",
        "w:textboxTightWrap",
        "w:outlineLvl",
        "w:divId",
        "w:cnfStyle",
        "w:rPr",
        "w:sectPr",
        "w:pPrChange",
    ];
    const RPR: &[&str] = &[
        "w:ins",
        "w:del",
        "w:moveFrom",
        "w:moveTo",
        "w:rStyle",
        "w:rFonts",
        "w:b",
        "w:bCs",
        "w:i",
        "w:iCs",
        "w:caps",
        "w:smallCaps",
        "w:strike",
        "w:dstrike",
        "w:outline",
        "w:shadow",
        "w:emboss",
        "w:imprint",
        "w:noProof",
        "w:snapToGrid",
        "w:vanish",
        "w:webHidden",
        "w:color",
        "w:spacing",
        "w:w",
        "w:kern",
        "w:position",
        "w:sz",
        "w:szCs",
        "w:highlight",
        "w:u",
        "w:effect",
        "w:bdr",
        "w:shd",
        "w:fitText",
        "w:vertAlign",
        "w:rtl",
        "w:cs",
        "w:em",
        "w:lang",
        "w:eastAsianLayout",
        "w:specVanish",
        "w:oMath",
        "w:rPrChange",
    ];
    const STYLE: &[&str] = &[
        "w:name",
        "w:aliases",
        "w:basedOn",
        "w:next",
        "w:link",
        "w:autoRedefine",
        "w:hidden",
        "w:uiPriority",
        "w:semiHidden",
        "w:unhideWhenUsed",
        "w:qFormat",
        "w:locked",
        "w:personal",
        "w:personalCompose",
        "w:personalReply",
        "w:rsid",
        "w:pPr",
        "w:rPr",
        "w:tblPr",
        "w:trPr",
        "w:tcPr",
        "w:tblStylePr",
    ];

    /// A node of the XML as written: text (or a declaration) kept verbatim.
    enum Node<'a> {
        Text(&'a str),
        Element {
            name: &'a str,
            open: &'a str,
            children: Vec<Node<'a>>,
            /// None for a self-closing element.
            close: Option<&'a str>,
        },
    }

    /// The end of the tag starting at `at` (past its `>`), quotes respected.
    fn tag_end(xml: &str, at: usize) -> usize {
        let mut quote = None;
        for (i, c) in xml[at..].char_indices() {
            match (quote, c) {
                (Some(q), c) if c == q => quote = None,
                (None, '"' | '\'') => quote = Some(c),
                (None, '>') => return at + i + 1,
                _ => {}
            }
        }
        xml.len()
    }

    /// Where nodes go: the children of the innermost open element (the root
    /// is never popped while parsing).
    fn top<'s, 'a>(stack: &'s mut [Frame<'a>]) -> &'s mut Vec<Node<'a>> {
        &mut stack.last_mut().expect("the root stays").2
    }

    /// An open element while parsing: name, start tag, children so far.
    type Frame<'a> = (&'a str, &'a str, Vec<Node<'a>>);

    fn parse(xml: &str) -> Vec<Node<'_>> {
        // (name, open tag, children) of each open element; the root at 0.
        let mut stack: Vec<Frame<'_>> = vec![("", "", Vec::new())];
        let mut at = 0;
        while at < xml.len() {
            let Some(lt) = xml[at..].find('<').map(|i| at + i) else {
                top(&mut stack).push(Node::Text(&xml[at..]));
                break;
            };
            if lt > at {
                top(&mut stack).push(Node::Text(&xml[at..lt]));
            }
            let end = tag_end(xml, lt);
            let tag = &xml[lt..end];
            at = end;
            let inner = tag.trim_start_matches('<').trim_end_matches('>');
            if inner.starts_with('?') || inner.starts_with('!') {
                top(&mut stack).push(Node::Text(tag));
            } else if let Some(name) = inner.strip_prefix('/') {
                let name = name.trim();
                // A stray end tag (never written by docx-rs) is kept as text.
                if stack.len() > 1 && stack.last().is_some_and(|t| t.0 == name) {
                    let (name, open, children) = stack.pop().expect("checked");
                    let node = Node::Element {
                        name,
                        open,
                        children,
                        close: Some(tag),
                    };
                    top(&mut stack).push(node);
                } else {
                    top(&mut stack).push(Node::Text(tag));
                }
            } else {
                let name = inner
                    .trim_end_matches('/')
                    .split(|c: char| c.is_whitespace())
                    .next()
                    .unwrap_or("");
                if inner.ends_with('/') {
                    let node = Node::Element {
                        name,
                        open: tag,
                        children: Vec::new(),
                        close: None,
                    };
                    top(&mut stack).push(node);
                } else {
                    stack.push((name, tag, Vec::new()));
                }
            }
        }
        // Unclosed elements (never written by docx-rs): flattened back as they were.
        while stack.len() > 1 {
            let (_, open, children) = stack.pop().expect("checked");
            let parent = &mut stack.last_mut().expect("root").2;
            parent.push(Node::Text(open));
            parent.extend(children);
        }
        stack.pop().map(|t| t.2).unwrap_or_default()
    }

    fn rank(order: &[&str], node: &Node<'_>) -> usize {
        match node {
            Node::Element { name, .. } => {
                order.iter().position(|n| n == name).unwrap_or(order.len())
            }
            Node::Text(_) => order.len(),
        }
    }

    fn write(nodes: &[Node<'_>], parent: &str, out: &mut String) {
        let order = match parent {
            "w:pPr" => Some(PPR),
            "w:rPr" => Some(RPR),
            "w:style" => Some(STYLE),
            _ => None,
        };
        let mut refs: Vec<&Node<'_>> = nodes.iter().collect();
        if let Some(order) = order {
            refs.sort_by_key(|n| rank(order, n));
        }
        for node in refs {
            match node {
                Node::Text(t) => out.push_str(t),
                Node::Element {
                    name,
                    open,
                    children,
                    close,
                } => {
                    let empty = children.is_empty();
                    if parent == "w:pPr" && *name == "w:rPr" && empty {
                        continue;
                    }
                    out.push_str(open);
                    write(children, name, out);
                    if let Some(c) = close {
                        out.push_str(c);
                    }
                }
            }
        }
    }

    /// The XML with the property children in schema order.
    pub(super) fn apply(xml: &str) -> String {
        let mut out = String::with_capacity(xml.len());
        write(&parse(xml), "", &mut out);
        out
    }

    #[cfg(test)]
    mod tests {
        #[test]
        fn properties_take_the_schema_order() {
            let xml = r#"<?xml version="1.0"?><w:p><w:pPr><w:rPr><w:color w:val="5"/><w:ins w:id="1" w:author="a&gt;b"/><w:sz w:val="3"/></w:rPr><w:pStyle w:val="H1"/><w:ind w:left="1"/><w:spacing w:after="1"/></w:pPr><w:r><w:rPr><w:sz/><w:rFonts/></w:rPr><w:t>a &lt; b</w:t></w:r></w:p><w:style><w:name/><w:rPr/><w:pPr><w:rPr /><w:outlineLvl/></w:pPr><w:next/><w:basedOn/></w:style>"#;
            assert_eq!(
                super::apply(xml),
                r#"<?xml version="1.0"?><w:p><w:pPr><w:pStyle w:val="H1"/><w:spacing w:after="1"/><w:ind w:left="1"/><w:rPr><w:ins w:id="1" w:author="a&gt;b"/><w:color w:val="5"/><w:sz w:val="3"/></w:rPr></w:pPr><w:r><w:rPr><w:rFonts/><w:sz/></w:rPr><w:t>a &lt; b</w:t></w:r></w:p><w:style><w:name/><w:basedOn/><w:next/><w:pPr><w:outlineLvl/></w:pPr><w:rPr/></w:style>"#
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(date: Option<&str>, effective: Option<&str>) -> VersionInfo {
        VersionInfo {
            spec: "p.md".into(),
            source: "file".into(),
            path: "p.md".into(),
            commit: None,
            date: date.map(str::to_owned),
            tag: None,
            title: None,
            effective: effective.map(str::to_owned),
            clauses: 0,
        }
    }

    use crate::report::test_support::report;

    fn document_xml(docx: &[u8]) -> String {
        use std::io::Read;
        let mut zip = zip::ZipArchive::new(Cursor::new(docx)).unwrap();
        let mut s = String::new();
        zip.by_name("word/document.xml")
            .unwrap()
            .read_to_string(&mut s)
            .unwrap();
        s
    }

    #[test]
    fn markup_and_control_characters_in_a_policy_stay_text() {
        let r = report(
            "# T\n\nA & B, 1 < 2 one.\n\nKept.\n",
            "# T\n\nA & B, 1 < 2 two\u{c}\u{1b}.\n\nKept.\n",
        );
        let xml = document_xml(&render(&r, "2025-01-01T00:00:00Z").unwrap());
        assert!(xml.contains("A &amp; B, 1 &lt; 2 "), "{xml}");
        assert!(!xml.chars().any(|c| c < ' '), "{xml}");
        assert!(xml.contains(">one<") && xml.contains(">two  <"), "{xml}");
        assert!(xml.contains(">Kept.<"), "{xml}");
    }

    #[test]
    fn control_characters_in_a_title_or_a_comment_never_reach_any_part() {
        // The title goes into the page header; a moved clause's section
        // name into a comment.
        let r = report(
            "---\ntitle: T\u{1b}itle\n---\n\n# A\u{c}\n\nMoving clause here.\n\n# B\n\nKept.\n",
            "---\ntitle: T\u{1b}itle\n---\n\n# A\u{c}\n\n# B\n\nKept.\n\nMoving clause here.\n",
        );
        let bytes = render(&r, "2025-01-01T00:00:00Z").unwrap();
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        for i in 0..zip.len() {
            let mut part = zip.by_index(i).unwrap();
            let name = part.name().to_owned();
            if !name.ends_with(".xml") {
                continue;
            }
            let mut xml = String::new();
            std::io::Read::read_to_string(&mut part, &mut xml).unwrap();
            assert!(
                !xml.chars()
                    .any(|c| c < ' ' && !matches!(c, '\t' | '\n' | '\r')),
                "{name}: {xml}"
            );
        }
    }

    #[test]
    fn the_revision_date_is_the_commit_then_the_effective_date_then_today() {
        let today: Day = "2030-02-03".parse().unwrap();
        assert_eq!(
            revision_date(
                &info(Some("2025-01-01T10:00:00+02:00"), Some("2024-05-06")),
                today
            ),
            "2025-01-01T08:00:00Z"
        );
        assert_eq!(
            revision_date(&info(None, Some("2024-05-06")), today),
            "2024-05-06T00:00:00Z"
        );
        assert_eq!(
            revision_date(&info(None, Some("next spring")), today),
            "2030-02-03T00:00:00Z"
        );
        assert_eq!(
            revision_date(&info(None, None), today),
            "2030-02-03T00:00:00Z"
        );
    }

    #[test]
    fn a_changed_label_is_a_deletion_and_an_insertion_and_runs_merge() {
        let clause = |label: &str| ClauseRef {
            index: 0,
            kind: ClauseKind::ListItem,
            level: 1,
            label: Some(label.into()),
            section: Vec::new(),
            line: 1,
            text: "x".into(),
            links: Vec::new(),
        };
        assert_eq!(
            label_ops(Some(&clause("3 )")), &clause("3)")),
            [
                (InlineTag::Delete, "3 ) ".to_owned()),
                (InlineTag::Insert, "3) ".to_owned())
            ]
        );
        let ops = [
            (InlineTag::Insert, "a ".to_owned()),
            (InlineTag::Insert, String::new()),
            (InlineTag::Insert, "b".to_owned()),
            (InlineTag::Equal, "c".to_owned()),
        ];
        assert_eq!(
            merge(&ops),
            [
                (InlineTag::Insert, "a b".to_owned()),
                (InlineTag::Equal, "c".to_owned())
            ]
        );
    }
}
