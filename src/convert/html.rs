//! Web pages into the project's Markdown, read with a real HTML parser
//! (html5ever, through scraper).
//!
//! What a reader of the page sees becomes the clauses a Markdown version
//! would have: headings, paragraphs, list items labelled as the browser
//! numbers them (`ol` `start`, `type`, `reversed`, `li value`), one clause
//! per table row, one per `dl` term and definition. Inline markup goes; link
//! targets stay as Markdown links, so a changed target is still seen. What a
//! reader does not see goes too: scripts, styles, templates, `noscript`,
//! form controls, and hidden elements (`hidden`, `aria-hidden="true"`,
//! `display:none` or `visibility:hidden` in a `style` attribute). The
//! front matter gets the title (the first `<h1>`, else `<title>`) and the
//! effective date when the page states one.
//!
//! The tree is walked with its own stack (ego_tree's traversal), never by
//! recursion: a hostile page may nest elements 100,000 deep.

use std::collections::HashSet;
use std::sync::LazyLock;

use ego_tree::NodeId;
use ego_tree::iter::Edge;
use regex::Regex;
use scraper::{ElementRef, Html, Node, Selector};

/// Errors reading a web page.
#[derive(Debug, thiserror::Error)]
pub enum HtmlError {
    /// A configured selector that is not CSS.
    #[error("{field} = {css:?}: not a valid CSS selector ({reason})")]
    BadSelector {
        /// The config field (`select` or `remove`).
        field: &'static str,
        /// The selector as written.
        css: String,
        /// The parser's complaint.
        reason: String,
    },
    /// `select` names no element of the page.
    #[error(
        "select = {0:?} matches nothing in the page (is it the right page, or has its layout changed?)"
    )]
    NothingSelected(String),
    /// The selected part of the page has no visible text.
    #[error("no visible text in {0} of the page")]
    Empty(String),
    /// A page built to make the parser do unbounded work: a tag with too
    /// many attributes, or markup that makes the parser create far more
    /// elements than the page has tags.
    #[error("{0}")]
    Refused(String),
}

/// Which part of a page is the policy, as Open Terms Archive declarations
/// say it: `select` (CSS; every match, in page order) minus `remove`.
/// The default is the page's first `main`, else `article`, else `body`.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    select: Option<(String, Selector)>,
    remove: Vec<Selector>,
}

impl Selection {
    /// A selection from a policy's `select` and `remove` fields.
    pub fn new(select: Option<&str>, remove: &[String]) -> Result<Selection, HtmlError> {
        let parse = |field, css: &str| {
            Selector::parse(css).map_err(|e| HtmlError::BadSelector {
                field,
                css: css.to_owned(),
                reason: selector_reason(&e),
            })
        };
        Ok(Selection {
            select: select
                .map(|css| parse("select", css).map(|s| (css.to_owned(), s)))
                .transpose()?,
            remove: remove
                .iter()
                .map(|css| parse("remove", css))
                .collect::<Result<_, _>>()?,
        })
    }
}

/// Why a selector does not parse, in words (scraper's own message for
/// most errors asks the reader to report a bug to its developers).
fn selector_reason(e: &scraper::error::SelectorErrorKind) -> String {
    use scraper::error::SelectorErrorKind as K;
    match e {
        K::UnexpectedSelectorParseError(kind) => {
            let name = format!("{kind:?}");
            let name = name.split('(').next().unwrap_or(&name);
            let mut words = String::new();
            for (i, c) in name.chars().enumerate() {
                if c.is_ascii_uppercase() && i > 0 {
                    words.push(' ');
                }
                words.push(c.to_ascii_lowercase());
            }
            words
        }
        e => e.to_string(),
    }
}

/// Convert a web page into Markdown (front matter, then the selected part).
pub fn to_markdown(html: &str, selection: &Selection) -> Result<String, HtmlError> {
    let doc = parse(&cap_depth(html, MAX_DEPTH)?)?;
    let (roots, what) = roots(&doc, selection)?;
    let mut removed = HashSet::new();
    for sel in &selection.remove {
        removed.extend(doc.select(sel).map(|e| e.id()));
    }
    let layout = layout_tables(&doc);
    let mut walker = Walker::new(&removed, &layout);
    walker.walk(&doc, &roots);
    let blocks = walker.out;
    if blocks.is_empty() {
        return Err(HtmlError::Empty(what));
    }
    let mut cells = 0;
    for block in &blocks {
        if let Block::Table { rows, .. } = block {
            let width = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
            super::check_table(rows.len(), width, &mut cells).map_err(HtmlError::Refused)?;
        }
    }
    let title = blocks
        .iter()
        .find_map(|b| match b {
            Block::Heading {
                level: 1, plain, ..
            } => Some(plain.clone()),
            _ => None,
        })
        .or_else(|| page_title(&doc));
    let effective = effective_date(&blocks);
    Ok(render(&blocks, title.as_deref(), effective.as_deref()))
}

/// Element nesting kept when parsing, as browsers cap it (Blink at 512):
/// deeper start and end tags are dropped and their text kept. The parser
/// scans its stack of open elements at every start tag, so a page nesting
/// 100,000 elements would take minutes; no real page nests 128 deep.
const MAX_DEPTH: usize = 128;

/// Attributes accepted on one tag. The parser checks each new attribute
/// against every earlier one of its tag (quadratic); real tags carry tens.
const MAX_ATTRIBUTES: usize = 1024;

/// Work the parser may spend comparing attributes, over the whole page:
/// the sum of n² over tags with more than [`MANY_ATTRIBUTES`] attributes.
/// A page of thousands of tags each just under [`MAX_ATTRIBUTES`] would
/// otherwise cost billions of comparisons.
const MAX_ATTRIBUTE_WORK: usize = 1 << 24;

/// More attributes than real tags carry (frameworks' `data-*` included).
const MANY_ATTRIBUTES: usize = 32;

/// Longest tag accepted, in bytes. Generous: a page may inline an image as
/// a `data:` URL of some hundred KiB in one attribute.
const MAX_TAG_BYTES: usize = 1 << 20;

/// Formatting elements (`b`, `font` …) left open at once. The parser
/// re-creates every open one that a block end (`</p>`) closed before each
/// later text run, so a page leaving thousands open would build a tree
/// thousands of times its size; real pages keep a handful open.
const MAX_OPEN_FORMATTING: usize = 16;

/// Distinct attribute sets kept on formatting elements. The parser
/// re-creates at most three identical formatting elements, but any number
/// of distinct ones (`<font a=1>`, `<font a=2>` …); past this many, a
/// formatting tag keeps only whether it is hidden, which is all the walk
/// reads of it.
const MAX_FORMATTING_VARIANTS: usize = 64;

/// The formatting elements of the HTML parsing algorithm, but `a`: the
/// parser closes an open `a` when the next one starts, and its `href` is
/// read.
const FORMATTING: [&str; 13] = [
    "b", "big", "code", "em", "font", "i", "nobr", "s", "small", "strike", "strong", "tt", "u",
];

/// A tag as the HTML tokenizer reads it: where it ends (the byte after its
/// `>`, or the end of the input) and its attributes (name, value).
struct Tag<'h> {
    end: usize,
    self_closing: bool,
    attrs: Vec<(&'h str, &'h str)>,
}

/// Read a tag's attributes from `from` (just after its name), following
/// the tokenizer's states (attribute name, before/after value, quoted and
/// unquoted values, self-closing), so that this scan and the parser agree
/// on where the tag ends and how many attributes it has.
fn scan_tag(html: &str, from: usize) -> Tag<'_> {
    let b = html.as_bytes();
    let ws = |c: u8| matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ');
    let mut attrs = Vec::new();
    let mut i = from;
    let mut self_closing = false;
    loop {
        // Before an attribute name.
        while i < b.len() && (ws(b[i]) || b[i] == b'/') {
            self_closing = b[i] == b'/';
            i += 1;
        }
        if i >= b.len() {
            return Tag {
                end: b.len(),
                self_closing: false,
                attrs,
            };
        }
        if b[i] == b'>' {
            return Tag {
                end: i + 1,
                self_closing,
                attrs,
            };
        }
        self_closing = false;
        // The name: a leading `=` belongs to it.
        let name_start = i;
        i += 1;
        while i < b.len() && !ws(b[i]) && !matches!(b[i], b'/' | b'>' | b'=') {
            i += 1;
        }
        let name = &html[name_start..i];
        while i < b.len() && ws(b[i]) {
            i += 1;
        }
        let mut value = "";
        if i < b.len() && b[i] == b'=' {
            i += 1;
            while i < b.len() && ws(b[i]) {
                i += 1;
            }
            match b.get(i) {
                Some(&q @ (b'"' | b'\'')) => {
                    let start = i + 1;
                    let close = memchr::memchr(q, &b[start..]).map_or(b.len(), |e| start + e);
                    value = &html[start..close];
                    i = (close + 1).min(b.len());
                }
                Some(b'>') | None => {}
                Some(_) => {
                    let start = i;
                    while i < b.len() && !ws(b[i]) && b[i] != b'>' {
                        i += 1;
                    }
                    value = &html[start..i];
                }
            }
        }
        attrs.push((name, value));
    }
}

/// Whether attributes hide their element, as [`is_hidden`] reads them.
fn hidden_by(attrs: &[(&str, &str)]) -> bool {
    attrs.iter().any(|(name, value)| {
        let value = value.to_ascii_lowercase();
        match name.to_ascii_lowercase().as_str() {
            "hidden" => value != "until-found",
            "aria-hidden" => value.trim() == "true",
            "style" => {
                let compact: String = value.chars().filter(|c| !c.is_whitespace()).collect();
                compact
                    .split(';')
                    .any(|d| d.starts_with("display:none") || d.starts_with("visibility:hidden"))
            }
            _ => false,
        }
    })
}

/// `html` prepared for the parser, as a light scan (not a parser) that
/// reads tags as the tokenizer does and skips comments, declarations and
/// raw text (`script`, `style` …):
/// - tags nested deeper than `max` are removed (their content stays);
///   elements whose end tag is optional (`p`, `li`, `td` …) or that are
///   void are not counted;
/// - formatting elements past [`MAX_OPEN_FORMATTING`] open at once are
///   removed, and past [`MAX_FORMATTING_VARIANTS`] distinct attribute sets
///   they lose their attributes (see there);
/// - a tag with more than [`MAX_ATTRIBUTES`] attributes or longer than
///   [`MAX_TAG_BYTES`] refuses the page.
fn cap_depth(html: &str, max: usize) -> Result<std::borrow::Cow<'_, str>, HtmlError> {
    let b = html.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    // Replace html[from..to] with `with`.
    let mut replace = |out: &mut Option<String>, from: usize, to: usize, with: &str| {
        let o = out.get_or_insert_with(|| String::with_capacity(html.len()));
        o.push_str(&html[copied..from]);
        o.push_str(with);
        copied = to;
    };
    let mut stack: Vec<String> = Vec::new();
    let mut excess = 0usize;
    let mut foreign = 0usize;
    // Formatting elements open, and removed, by name (index in FORMATTING).
    let mut formatting_open = [0usize; FORMATTING.len()];
    let mut formatting_dropped = [0usize; FORMATTING.len()];
    let mut variants: HashSet<&str> = HashSet::new();
    let mut attribute_work = 0usize;
    let mut i = 0;
    while let Some(p) = memchr::memchr(b'<', &b[i..]) {
        let at = i + p;
        let rest = &b[at + 1..];
        if rest.starts_with(b"!--") {
            i = find(b, at + 4, b"-->").map_or(b.len(), |e| e + 3);
            continue;
        }
        if rest.first().is_some_and(|&c| c == b'!' || c == b'?') {
            i = memchr::memchr(b'>', &b[at..]).map_or(b.len(), |e| at + e + 1);
            continue;
        }
        let end_tag = rest.first() == Some(&b'/');
        let name_start = at + 1 + usize::from(end_tag);
        if !b.get(name_start).is_some_and(u8::is_ascii_alphabetic) {
            i = at + 1;
            continue;
        }
        // The tokenizer's tag name runs to white space, `/` or `>`.
        let name_len = b[name_start..]
            .iter()
            .take_while(|&&c| !matches!(c, b'\t' | b'\n' | b'\x0c' | b'\r' | b' ' | b'/' | b'>'))
            .count();
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let tag = scan_tag(html, name_start + name_len);
        let tag_end = tag.end;
        if tag.attrs.len() > MAX_ATTRIBUTES {
            return Err(HtmlError::Refused(format!(
                "refused: a <{}> tag at byte {at} has {} attributes, more than {MAX_ATTRIBUTES}",
                name.chars().take(32).collect::<String>(),
                tag.attrs.len()
            )));
        }
        if tag.attrs.len() > MANY_ATTRIBUTES {
            attribute_work += tag.attrs.len() * tag.attrs.len();
            if attribute_work > MAX_ATTRIBUTE_WORK {
                return Err(HtmlError::Refused(format!(
                    "refused: too many tags with hundreds of attributes (the last at byte {at}): the page is built to make the parser slow"
                )));
            }
        }
        if tag_end - at > MAX_TAG_BYTES {
            return Err(HtmlError::Refused(format!(
                "refused: a <{}> tag at byte {at} is {} bytes long, more than {} KiB",
                name.chars().take(32).collect::<String>(),
                tag_end - at,
                MAX_TAG_BYTES / 1024
            )));
        }
        let self_closing = tag.self_closing;
        i = tag_end;
        let formatting = FORMATTING.iter().position(|f| *f == name);
        if end_tag {
            if let Some(k) = formatting {
                if formatting_open[k] > 0 {
                    formatting_open[k] -= 1;
                } else if formatting_dropped[k] > 0 {
                    // Its start tag was removed: it must not close another.
                    formatting_dropped[k] -= 1;
                    replace(&mut out, at, tag_end, "");
                    continue;
                }
            }
            if !counted(&name) {
                continue;
            }
            if excess > 0 {
                excess -= 1;
                replace(&mut out, at, tag_end, "");
            } else if let Some(k) = stack.iter().rposition(|n| *n == name) {
                stack.truncate(k);
                if name == "svg" || name == "math" {
                    foreign = foreign.saturating_sub(1);
                }
            }
            continue;
        }
        if matches!(
            name.as_str(),
            "script"
                | "style"
                | "textarea"
                | "title"
                | "xmp"
                | "iframe"
                | "noembed"
                | "noframes"
                | "noscript"
        ) && !self_closing
        {
            // Raw text up to the matching end tag.
            let close = format!("</{name}");
            i = find_ignore_case(b, tag_end, close.as_bytes()).unwrap_or(b.len());
            continue;
        }
        if name == "plaintext" {
            break;
        }
        if let Some(k) = formatting
            && foreign == 0
        {
            if formatting_open.iter().sum::<usize>() >= MAX_OPEN_FORMATTING {
                formatting_dropped[k] += 1;
                replace(&mut out, at, tag_end, "");
                continue;
            }
            formatting_open[k] += 1;
            let attrs = html[name_start + name_len..tag_end].trim_end_matches(['>', '/']);
            if !tag.attrs.is_empty()
                && !variants.contains(attrs)
                && (variants.len() >= MAX_FORMATTING_VARIANTS || !variants.insert(attrs))
            {
                let plain = if hidden_by(&tag.attrs) {
                    format!("<{name} hidden>")
                } else {
                    format!("<{name}>")
                };
                replace(&mut out, at, tag_end, &plain);
            }
        }
        if !counted(&name) || (self_closing && foreign > 0) {
            continue;
        }
        if stack.len() >= max {
            excess += 1;
            replace(&mut out, at, tag_end, "");
            continue;
        }
        if name == "svg" || name == "math" {
            foreign += 1;
        }
        stack.push(name);
    }
    Ok(match out {
        Some(mut o) => {
            o.push_str(&html[copied..]);
            std::borrow::Cow::Owned(o)
        }
        None => std::borrow::Cow::Borrowed(html),
    })
}

/// Nodes the parser may create for a page of `len` bytes before it is
/// refused: a tag is at least three bytes (`<p>`) and a text node one, so
/// only re-created formatting elements (see [`MAX_OPEN_FORMATTING`]) come
/// near this.
fn max_elements(len: usize) -> usize {
    len / 2 + 100_000
}

/// Parse a page, fed to the parser in slices so that the tree's size can
/// be checked as it grows: a page whose tree outgrows [`max_elements`] is
/// refused before it fills the memory.
fn parse(html: &str) -> Result<Html, HtmlError> {
    use html5ever::tendril::{StrTendril, TendrilSink};
    // Each slice adds at most (its tags) × (open formatting elements + a
    // few) nodes past the check.
    const SLICE: usize = 16 * 1024;
    let limit = max_elements(html.len());
    let mut parser = html5ever::driver::parse_document(
        scraper::HtmlTreeSink::new(Html::new_document()),
        Default::default(),
    );
    let mut rest = html;
    while !rest.is_empty() {
        let mut cut = rest.len().min(SLICE);
        while !rest.is_char_boundary(cut) {
            cut += 1;
        }
        let (slice, tail) = rest.split_at(cut);
        parser.process(StrTendril::from_slice(slice));
        rest = tail;
        let nodes = parser.tokenizer.sink.sink.0.borrow().tree.values().len();
        if nodes > limit {
            return Err(HtmlError::Refused(format!(
                "refused: the page makes the HTML parser build more than {limit} elements (markup built to exhaust memory, such as thousands of unclosed formatting tags)"
            )));
        }
    }
    Ok(parser.finish())
}

/// Elements that nest: not void, and their end tag is not optional.
fn counted(name: &str) -> bool {
    !matches!(
        name,
        "area"
            | "base"
            | "br"
            | "col"
            | "embed"
            | "hr"
            | "img"
            | "input"
            | "link"
            | "meta"
            | "source"
            | "track"
            | "wbr"
            | "param"
            | "keygen"
            | "p"
            | "li"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "thead"
            | "tbody"
            | "tfoot"
            | "option"
            | "optgroup"
            | "rb"
            | "rt"
            | "rtc"
            | "rp"
            | "colgroup"
            | "caption"
            | "html"
            | "head"
            | "body"
    )
}

fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    memchr::memmem::find(&b[from.min(b.len())..], needle).map(|p| from + p)
}

fn find_ignore_case(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    let mut i = from;
    while let Some(p) = memchr::memchr(b'<', &b[i.min(b.len())..]) {
        let at = i + p;
        if b.len() - at >= needle.len() && b[at..at + needle.len()].eq_ignore_ascii_case(needle) {
            return Some(at);
        }
        i = at + 1;
    }
    None
}

/// The elements to read, and how to name them in a message.
fn roots(doc: &Html, selection: &Selection) -> Result<(HashSet<NodeId>, String), HtmlError> {
    if let Some((css, sel)) = &selection.select {
        let found: HashSet<NodeId> = doc.select(sel).map(|e| e.id()).collect();
        if found.is_empty() {
            return Err(HtmlError::NothingSelected(css.clone()));
        }
        return Ok((found, format!("select = {css:?}")));
    }
    for name in ["main", "article", "body"] {
        let sel = Selector::parse(name).expect("a tag name is a selector");
        if let Some(e) = doc.select(&sel).next() {
            return Ok((HashSet::from([e.id()]), format!("the <{name}>")));
        }
    }
    Ok((
        HashSet::from([doc.root_element().id()]),
        "the whole".to_owned(),
    ))
}

/// The `<title>` of the page, whitespace collapsed.
fn page_title(doc: &Html) -> Option<String> {
    let sel = Selector::parse("head title, title").expect("static selector");
    let t = doc.select(&sel).next()?.text().collect::<String>();
    let t = t.split_whitespace().collect::<Vec<_>>().join(" ");
    (!t.is_empty()).then_some(t)
}

/// Tables used for layout (holding another table or a heading): their
/// cells are read as blocks, not as one clause per row. One pass, no
/// recursion: each element's flag is whether its subtree holds such a thing.
fn layout_tables(doc: &Html) -> HashSet<NodeId> {
    let mut layout = HashSet::new();
    let mut stack: Vec<bool> = Vec::new();
    for edge in doc.tree.root().traverse() {
        match edge {
            Edge::Open(_) => stack.push(false),
            Edge::Close(node) => {
                let inside = stack.pop().unwrap_or(false);
                let name = node.value().as_element().map(|e| e.name());
                if name == Some("table") && inside {
                    layout.insert(node.id());
                }
                let marks = matches!(
                    name,
                    Some("table" | "h1" | "h2" | "h3" | "h4" | "h5" | "h6")
                );
                if let Some(parent) = stack.last_mut() {
                    *parent |= inside || marks;
                }
            }
        }
    }
    layout
}

/// Elements whose content a reader never sees as text.
fn never_text(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "template"
            | "noscript"
            | "head"
            | "title"
            | "meta"
            | "link"
            | "base"
            | "svg"
            | "canvas"
            | "iframe"
            | "object"
            | "embed"
            | "img"
            | "picture"
            | "video"
            | "audio"
            | "source"
            | "track"
            | "map"
            | "area"
            | "button"
            | "input"
            | "select"
            | "option"
            | "optgroup"
            | "datalist"
            | "textarea"
            | "output"
            | "progress"
            | "meter"
    )
}

/// Whether an element is hidden from a reader by its own attributes.
fn is_hidden(e: &scraper::node::Element) -> bool {
    if e.attr("hidden")
        .is_some_and(|v| !v.eq_ignore_ascii_case("until-found"))
    {
        return true;
    }
    if e.attr("aria-hidden")
        .is_some_and(|v| v.trim().eq_ignore_ascii_case("true"))
    {
        return true;
    }
    // A closed dialog is not displayed.
    if e.name() == "dialog" && e.attr("open").is_none() {
        return true;
    }
    e.attr("style").is_some_and(|style| {
        let compact: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .flat_map(char::to_lowercase)
            .collect();
        compact
            .split(';')
            .any(|decl| decl.starts_with("display:none") || decl.starts_with("visibility:hidden"))
    })
}

/// Elements that start and end a block of text.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "address"
            | "article"
            | "aside"
            | "blockquote"
            | "body"
            | "center"
            | "details"
            | "dialog"
            | "div"
            | "fieldset"
            | "figcaption"
            | "figure"
            | "footer"
            | "form"
            | "header"
            | "hgroup"
            | "hr"
            | "html"
            | "legend"
            | "main"
            | "nav"
            | "p"
            | "pre"
            | "section"
            | "summary"
            | "table"
            | "thead"
            | "tbody"
            | "tfoot"
            | "tr"
            | "td"
            | "th"
            | "caption"
            | "li"
            | "ol"
            | "ul"
            | "menu"
            | "dir"
            | "dl"
            | "dt"
            | "dd"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
    )
}

/// List nesting past which items are no longer indented further: no
/// policy nests lists this deep, and a hostile page's 100,000 levels
/// would otherwise be written with quadratic indentation.
const MAX_LIST_DEPTH: usize = 8;

/// One block of the output.
#[derive(Debug)]
enum Block {
    Heading {
        level: u8,
        md: String,
        plain: String,
    },
    Para {
        indent: usize,
        md: String,
        plain: String,
    },
    /// A list item: marker (`3.` or `-`) and its text, label included.
    Item {
        indent: usize,
        marker: String,
        md: String,
        plain: String,
    },
    Table {
        indent: usize,
        rows: Vec<Vec<String>>,
    },
}

impl Block {
    fn plain(&self) -> Option<&str> {
        match self {
            Block::Heading { plain, .. }
            | Block::Para { plain, .. }
            | Block::Item { plain, .. } => Some(plain),
            Block::Table { .. } => None,
        }
    }
}

/// How a list numbers its items.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Numbering {
    Decimal,
    LowerAlpha,
    UpperAlpha,
    LowerRoman,
    UpperRoman,
    /// Bullets, or no marker at all.
    None,
}

impl Numbering {
    /// From `type`, else a `list-style(-type)` in the `style` attribute.
    fn of(e: &scraper::node::Element) -> Numbering {
        let ordered = e.name() == "ol";
        let style = e.attr("style").map(|s| s.to_ascii_lowercase());
        if let Some(style) = style {
            for decl in style.split(';') {
                let Some((prop, value)) = decl.split_once(':') else {
                    continue;
                };
                if !matches!(prop.trim(), "list-style" | "list-style-type") {
                    continue;
                }
                for word in value.split_whitespace() {
                    match word {
                        "none" | "disc" | "circle" | "square" => return Numbering::None,
                        "decimal" | "decimal-leading-zero" => return Numbering::Decimal,
                        "lower-alpha" | "lower-latin" => return Numbering::LowerAlpha,
                        "upper-alpha" | "upper-latin" => return Numbering::UpperAlpha,
                        "lower-roman" => return Numbering::LowerRoman,
                        "upper-roman" => return Numbering::UpperRoman,
                        _ => {}
                    }
                }
            }
        }
        if !ordered {
            return Numbering::None;
        }
        match e.attr("type").map(str::trim) {
            Some("a") => Numbering::LowerAlpha,
            Some("A") => Numbering::UpperAlpha,
            Some("i") => Numbering::LowerRoman,
            Some("I") => Numbering::UpperRoman,
            _ => Numbering::Decimal,
        }
    }

    /// The label a browser shows for number `n` (`3.`, `c.`, `iii.`).
    fn label(self, n: i64) -> Option<String> {
        let body = match self {
            Numbering::None => return None,
            Numbering::Decimal => n.to_string(),
            // Browsers fall back to decimal where a system has no symbol.
            Numbering::LowerAlpha | Numbering::UpperAlpha if n < 1 => n.to_string(),
            Numbering::LowerRoman | Numbering::UpperRoman if !(1..=3999).contains(&n) => {
                n.to_string()
            }
            Numbering::LowerAlpha => alpha(n),
            Numbering::UpperAlpha => alpha(n).to_ascii_uppercase(),
            Numbering::LowerRoman => roman(n),
            Numbering::UpperRoman => roman(n).to_ascii_uppercase(),
        };
        Some(format!("{body}."))
    }
}

/// 1 → a, 26 → z, 27 → aa (bijective base 26, as CSS `lower-alpha`).
fn alpha(mut n: i64) -> String {
    let mut out = Vec::new();
    while n > 0 {
        n -= 1;
        out.push(b'a' + (n % 26) as u8);
        n /= 26;
    }
    out.reverse();
    String::from_utf8(out).unwrap_or_default()
}

/// 1..=3999 in lower-case Roman numerals.
fn roman(mut n: i64) -> String {
    const TABLE: [(i64, &str); 13] = [
        (1000, "m"),
        (900, "cm"),
        (500, "d"),
        (400, "cd"),
        (100, "c"),
        (90, "xc"),
        (50, "l"),
        (40, "xl"),
        (10, "x"),
        (9, "ix"),
        (5, "v"),
        (4, "iv"),
        (1, "i"),
    ];
    let mut out = String::new();
    for (value, digits) in TABLE {
        while n >= value {
            out.push_str(digits);
            n -= value;
        }
    }
    out
}

/// An open list.
struct List {
    numbering: Numbering,
    next: i64,
    step: i64,
}

/// A list item whose first text has not come yet.
struct Pending {
    indent: usize,
    marker: String,
    label: Option<String>,
}

/// The data table being read.
#[derive(Default)]
struct Table {
    indent: usize,
    caption: Option<(String, String)>,
    rows: Vec<Vec<String>>,
    row: Option<Vec<String>>,
}

/// What to do when an element closes.
enum Frame {
    Inline,
    Block,
    /// A block inside a flattened container: a space.
    Flat,
    Heading(u8),
    List,
    Item,
    Table,
    Row,
    Cell,
    Caption,
    DefList,
    Term,
    Definition,
    Link {
        start: usize,
        generation: u64,
        href: Option<String>,
    },
}

/// How runs of white space end: none pending, a space, or a line break
/// in the source (which CSS drops between two CJK characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Gap {
    None,
    Space,
    Break,
}

/// The text of the block being read, as Markdown and as plain text.
struct Inline {
    md: String,
    plain: String,
    space: Gap,
    /// Inside a table cell: `|` is escaped.
    cell: bool,
    /// Inside link text: brackets are escaped.
    links: usize,
    /// Bumped whenever the text is taken, so a link knows its start is gone.
    generation: u64,
}

impl Inline {
    fn new() -> Inline {
        Inline {
            md: String::new(),
            plain: String::new(),
            space: Gap::None,
            cell: false,
            links: 0,
            generation: 0,
        }
    }

    fn space(&mut self) {
        self.space = self.space.max(Gap::Space);
    }

    fn text(&mut self, s: &str) {
        let mut chars = s.chars().peekable();
        while let Some(c) = chars.next() {
            if matches!(c, ' ' | '\t' | '\x0C') {
                self.space = self.space.max(Gap::Space);
                continue;
            }
            if matches!(c, '\n' | '\r') {
                self.space = Gap::Break;
                continue;
            }
            self.settle_space(Some(c));
            let next = chars.peek().copied();
            self.push(c, next);
        }
    }

    /// Write the pending space before `next` (never at the start).
    fn settle_space(&mut self, next: Option<char>) {
        let space = std::mem::replace(&mut self.space, Gap::None);
        if space == Gap::None || self.plain.is_empty() {
            return;
        }
        let cjk_join = space == Gap::Break
            && next.is_some_and(crate::document::is_cjk)
            && self
                .plain
                .chars()
                .last()
                .is_some_and(crate::document::is_cjk);
        if !cjk_join {
            self.md.push(' ');
            self.plain.push(' ');
        }
    }

    /// One visible character, escaped so that Markdown reads it back as
    /// this character and nothing else.
    fn push(&mut self, c: char, next: Option<char>) {
        self.plain.push(c);
        match c {
            '\\' | '`' | '*' | '_' | '<' => self.md.push('\\'),
            '[' | ']' if self.links > 0 => self.md.push('\\'),
            '&' if next.is_some_and(|n| n.is_ascii_alphanumeric() || n == '#') => {
                self.md.push('\\')
            }
            '|' if self.cell => self.md.push('\\'),
            // `[x](y)` and `[x][y]` would be links.
            '(' | '[' if self.md.ends_with(']') && !self.md.ends_with("\\]") => {
                self.md.insert(self.md.len() - 1, '\\');
            }
            _ => {}
        }
        self.md.push(c);
    }

    fn take(&mut self) -> (String, String) {
        self.space = Gap::None;
        self.generation += 1;
        (
            std::mem::take(&mut self.md).trim_end().to_owned(),
            std::mem::take(&mut self.plain).trim_end().to_owned(),
        )
    }
}

/// The walk over the page, writing blocks.
struct Walker<'a> {
    removed: &'a HashSet<NodeId>,
    layout: &'a HashSet<NodeId>,
    out: Vec<Block>,
    inline: Inline,
    frames: Vec<Frame>,
    /// Containers (headings, cells, terms) whose inner blocks are spaces.
    flatten: usize,
    lists: Vec<List>,
    /// Indentation of the content of each open list item.
    indents: Vec<usize>,
    pending: Option<Pending>,
    table: Option<Table>,
    /// Terms of the definition list being read, and whether a definition
    /// has followed them (then the next term starts a new group).
    terms: Vec<(Vec<String>, bool)>,
}

impl<'a> Walker<'a> {
    fn new(removed: &'a HashSet<NodeId>, layout: &'a HashSet<NodeId>) -> Walker<'a> {
        Walker {
            removed,
            layout,
            out: Vec::new(),
            inline: Inline::new(),
            frames: Vec::new(),
            flatten: 0,
            lists: Vec::new(),
            indents: Vec::new(),
            pending: None,
            table: None,
            terms: Vec::new(),
        }
    }

    /// Walk the whole tree once, reading only inside `roots`.
    fn walk(&mut self, doc: &Html, roots: &HashSet<NodeId>) {
        let mut active: Option<NodeId> = None;
        let mut skip: Option<NodeId> = None;
        for edge in doc.tree.root().traverse() {
            match edge {
                Edge::Open(node) => {
                    if skip.is_some() {
                        continue;
                    }
                    if active.is_none() {
                        if roots.contains(&node.id()) {
                            active = Some(node.id());
                        } else {
                            continue;
                        }
                    }
                    match node.value() {
                        // Outside cells and caption, a table holds only
                        // white space between its parts.
                        Node::Text(t) if self.table.is_none() || self.flatten > 0 => {
                            self.inline.text(t);
                        }
                        Node::Element(e) => {
                            let Some(el) = ElementRef::wrap(node) else {
                                continue;
                            };
                            if never_text(e.name())
                                || is_hidden(e)
                                || self.removed.contains(&node.id())
                            {
                                skip = Some(node.id());
                                continue;
                            }
                            let frame = self.open(el);
                            self.frames.push(frame);
                        }
                        _ => {}
                    }
                }
                Edge::Close(node) => {
                    if let Some(id) = skip {
                        if id == node.id() {
                            skip = None;
                        }
                        continue;
                    }
                    if active.is_none() {
                        continue;
                    }
                    if node.value().is_element()
                        && let Some(frame) = self.frames.pop()
                    {
                        self.close(frame);
                    }
                    if active == Some(node.id()) {
                        self.flush();
                        active = None;
                    }
                }
            }
        }
        self.flush();
        self.pending = None;
    }

    fn indent(&self) -> usize {
        self.indents.last().copied().unwrap_or(0)
    }

    fn open(&mut self, el: ElementRef<'_>) -> Frame {
        let e = el.value();
        let name = e.name();
        match name {
            "br" => {
                self.inline.space();
                return Frame::Inline;
            }
            "a" => {
                // Keep the space before the link outside its brackets.
                self.inline.settle_space(None);
                self.inline.links += 1;
                return Frame::Link {
                    start: self.inline.md.len(),
                    generation: self.inline.generation,
                    href: e.attr("href").and_then(safe_href),
                };
            }
            _ => {}
        }
        if !is_block(name) {
            return Frame::Inline;
        }
        if self.flatten > 0 {
            // Inside a heading, cell or term: blocks read as spaces.
            self.inline.space();
            return Frame::Flat;
        }
        if self.table.is_some() {
            return self.open_in_table(name);
        }
        match name {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" if self.indents.is_empty() => {
                self.flush();
                self.flatten += 1;
                Frame::Heading(name.as_bytes()[1] - b'0')
            }
            "ol" | "ul" | "menu" | "dir" => {
                self.flush();
                self.open_pending_empty();
                let numbering = Numbering::of(e);
                let reversed = e.attr("reversed").is_some();
                let start = e.attr("start").and_then(|s| s.trim().parse::<i64>().ok());
                let start = start.unwrap_or_else(|| {
                    if reversed {
                        el.children()
                            .filter(|c| c.value().as_element().is_some_and(|e| e.name() == "li"))
                            .count() as i64
                    } else {
                        1
                    }
                });
                self.lists.push(List {
                    numbering,
                    next: start,
                    step: if reversed { -1 } else { 1 },
                });
                Frame::List
            }
            "li" => {
                self.flush();
                self.open_pending_empty();
                let (numbering, n) = match self.lists.last_mut() {
                    Some(list) => {
                        let n = e
                            .attr("value")
                            .and_then(|v| v.trim().parse::<i64>().ok())
                            .unwrap_or(list.next);
                        list.next = n.saturating_add(list.step);
                        (list.numbering, n)
                    }
                    None => (Numbering::None, 0),
                };
                let label = numbering.label(n);
                let (marker, label) = match label {
                    // Markdown writes decimal numbers itself (up to 9 digits).
                    Some(l)
                        if numbering == Numbering::Decimal && (0..=999_999_999).contains(&n) =>
                    {
                        (l, None)
                    }
                    l => ("-".to_owned(), l),
                };
                let indent = self.indent();
                let inner = if self.indents.len() >= MAX_LIST_DEPTH {
                    indent
                } else {
                    indent + marker.len() + 1
                };
                self.indents.push(inner);
                self.pending = Some(Pending {
                    indent,
                    marker,
                    label,
                });
                Frame::Item
            }
            "table" if !self.layout.contains(&el.id()) => {
                self.flush();
                self.open_pending_empty();
                self.table = Some(Table {
                    indent: self.indent(),
                    ..Table::default()
                });
                Frame::Table
            }
            "dl" => {
                self.flush();
                self.terms.push((Vec::new(), false));
                Frame::DefList
            }
            "dt" if !self.terms.is_empty() => {
                self.flush();
                self.flatten += 1;
                Frame::Term
            }
            "dd" if !self.terms.is_empty() => {
                self.flush();
                self.flatten += 1;
                Frame::Definition
            }
            _ => {
                self.flush();
                Frame::Block
            }
        }
    }

    fn open_in_table(&mut self, name: &str) -> Frame {
        let Some(table) = &mut self.table else {
            return Frame::Block;
        };
        match name {
            "tr" => {
                table.row = Some(Vec::new());
                Frame::Row
            }
            "td" | "th" if table.row.is_some() => {
                self.flatten += 1;
                self.inline.cell = true;
                Frame::Cell
            }
            "caption" => {
                self.flatten += 1;
                Frame::Caption
            }
            _ => Frame::Block,
        }
    }

    fn close(&mut self, frame: Frame) {
        match frame {
            Frame::Inline => {}
            Frame::Block => {
                if self.table.is_none() {
                    self.flush();
                }
            }
            Frame::Flat => self.inline.space(),
            Frame::Heading(level) => {
                self.flatten -= 1;
                let (md, plain) = self.inline.take();
                if plain.is_empty() {
                    return;
                }
                // A title shown twice in a row (a page banner, then the
                // document's own heading, as pandoc writes) is one heading.
                let repeated = matches!(self.out.last(),
                    Some(Block::Heading { level: l, plain: p, .. }) if *l == level && *p == plain);
                if !repeated {
                    self.out.push(Block::Heading { level, md, plain });
                }
            }
            Frame::List => {
                self.flush();
                self.lists.pop();
            }
            Frame::Item => {
                self.flush();
                self.pending = None;
                self.indents.pop();
            }
            Frame::Table => {
                if let Some(table) = self.table.take() {
                    if let Some((md, plain)) = table.caption {
                        self.out.push(Block::Para {
                            indent: table.indent,
                            md,
                            plain,
                        });
                    }
                    let rows: Vec<Vec<String>> = table
                        .rows
                        .into_iter()
                        .filter(|r| r.iter().any(|c| !c.is_empty()))
                        .collect();
                    if !rows.is_empty() {
                        self.out.push(Block::Table {
                            indent: table.indent,
                            rows,
                        });
                    }
                }
            }
            Frame::Row => {
                if let Some(table) = &mut self.table
                    && let Some(row) = table.row.take()
                    && !row.is_empty()
                {
                    table.rows.push(row);
                }
            }
            Frame::Cell => {
                self.flatten -= 1;
                self.inline.cell = false;
                let (md, _) = self.inline.take();
                if let Some(row) = self.table.as_mut().and_then(|t| t.row.as_mut()) {
                    row.push(md);
                }
            }
            Frame::Caption => {
                self.flatten -= 1;
                let (md, plain) = self.inline.take();
                if let Some(table) = &mut self.table
                    && !plain.is_empty()
                {
                    table.caption = Some((md, plain));
                }
            }
            Frame::DefList => {
                self.flush();
                if let Some((terms, defined)) = self.terms.pop()
                    && !defined
                    && !terms.is_empty()
                {
                    let md = terms.join(", ");
                    let plain = md.clone();
                    self.out.push(Block::Para {
                        indent: self.indent(),
                        md,
                        plain,
                    });
                }
            }
            Frame::Term => {
                self.flatten -= 1;
                let (md, plain) = self.inline.take();
                if let Some((terms, defined)) = self.terms.last_mut()
                    && !plain.is_empty()
                {
                    if *defined {
                        terms.clear();
                        *defined = false;
                    }
                    terms.push(md);
                }
            }
            Frame::Definition => {
                self.flatten -= 1;
                let (md, plain) = self.inline.take();
                let Some((terms, defined)) = self.terms.last_mut() else {
                    return;
                };
                *defined = true;
                if plain.is_empty() {
                    return;
                }
                let (md, plain) = if terms.is_empty() {
                    (md, plain)
                } else {
                    let term = terms.join(", ");
                    let sep = if term.ends_with([':', '：']) {
                        ""
                    } else {
                        ":"
                    };
                    (
                        format!("**{term}**{sep} {md}"),
                        format!("{}{sep} {plain}", unescape(&term)),
                    )
                };
                self.out.push(Block::Para {
                    indent: self.indent(),
                    md: escape_block_start(&md),
                    plain,
                });
            }
            Frame::Link {
                start,
                generation,
                href,
            } => {
                self.inline.links = self.inline.links.saturating_sub(1);
                let inline = &mut self.inline;
                if let Some(href) = href
                    && inline.generation == generation
                    && inline.md.len() > start
                {
                    inline.md.insert(start, '[');
                    inline.md.push_str("](<");
                    for c in href.chars() {
                        if matches!(c, '<' | '>' | '\\') {
                            inline.md.push('\\');
                        }
                        inline.md.push(c);
                    }
                    inline.md.push_str(">)");
                }
            }
        }
    }

    /// An item with no text of its own before a nested block: written
    /// with an empty text, so the nested list stays inside it.
    fn open_pending_empty(&mut self) {
        if let Some(p) = self.pending.take() {
            let md = p.label.clone().unwrap_or_default();
            self.out.push(Block::Item {
                indent: p.indent,
                marker: p.marker,
                plain: md.clone(),
                md,
            });
        }
    }

    /// End the current block of text.
    fn flush(&mut self) {
        if self.flatten > 0 {
            self.inline.space();
            return;
        }
        let (md, plain) = self.inline.take();
        if plain.is_empty() {
            return;
        }
        match self.pending.take() {
            Some(p) => {
                let (md, plain) = match &p.label {
                    Some(l) => (format!("{l} {md}"), format!("{l} {plain}")),
                    None => (escape_block_start(&md), plain),
                };
                self.out.push(Block::Item {
                    indent: p.indent,
                    marker: p.marker,
                    md,
                    plain,
                });
            }
            None => self.out.push(Block::Para {
                indent: self.indent(),
                md: escape_block_start(&md),
                plain,
            }),
        }
    }
}

/// A link target worth keeping: not a script (`javascript:`), not empty.
fn safe_href(href: &str) -> Option<String> {
    let href = href.trim();
    // Browsers ignore tabs and line breaks inside a URL's scheme.
    let scheme: String = href
        .chars()
        .filter(|c| !c.is_ascii_whitespace() && !c.is_ascii_control())
        .take(12)
        .collect::<String>()
        .to_ascii_lowercase();
    if href.is_empty()
        || ["javascript:", "vbscript:", "data:"]
            .iter()
            .any(|s| scheme.starts_with(s))
    {
        return None;
    }
    Some(href.chars().filter(|c| !c.is_control()).collect())
}

/// Escape what would make a line start a Markdown block of another kind
/// (`# `, `> `, `- `, `1. `, a fence).
fn escape_block_start(md: &str) -> String {
    let first = md.chars().next();
    if matches!(first, Some('#' | '>' | '-' | '+' | '=' | '~' | '|')) {
        return format!("\\{md}");
    }
    let digits = md.bytes().take_while(u8::is_ascii_digit).count();
    if (1..=9).contains(&digits) && matches!(md.as_bytes().get(digits), Some(b'.' | b')')) {
        return format!("{}\\{}", &md[..digits], &md[digits..]);
    }
    md.to_owned()
}

/// Escape a trailing run of `#`, which Markdown would read as a closing
/// sequence of the heading.
fn escape_heading_end(md: &str) -> String {
    let trimmed = md.trim_end_matches('#');
    if trimmed.len() == md.len() || trimmed.ends_with('\\') {
        return md.to_owned();
    }
    format!("{trimmed}\\{}", &md[trimmed.len()..])
}

/// The plain text of escaped Markdown inline text (for a term's text).
fn unescape(md: &str) -> String {
    let mut out = String::with_capacity(md.len());
    let mut chars = md.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            if let Some(n) = chars.next() {
                out.push(n);
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// The page as Markdown.
fn render(blocks: &[Block], title: Option<&str>, effective: Option<&str>) -> String {
    let mut out = String::new();
    if title.is_some() || effective.is_some() {
        out.push_str("---\n");
        if let Some(t) = title {
            out.push_str(&format!("title: {}\n", yaml_scalar(t)));
        }
        if let Some(d) = effective {
            out.push_str(&format!("effective: {d}\n"));
        }
        out.push_str("---\n\n");
    }
    let mut tight = false;
    for (i, block) in blocks.iter().enumerate() {
        if i > 0 && !tight {
            out.push('\n');
        }
        tight = false;
        match block {
            Block::Heading { level, md, .. } => {
                out.push_str(&"#".repeat(usize::from(*level)));
                out.push(' ');
                out.push_str(&escape_heading_end(md));
                out.push('\n');
            }
            Block::Para { indent, md, .. } => {
                push_indent(&mut out, *indent);
                out.push_str(md);
                out.push('\n');
            }
            Block::Item {
                indent, marker, md, ..
            } => {
                push_indent(&mut out, *indent);
                out.push_str(marker);
                if md.is_empty() {
                    // Its nested content follows on the next line: a
                    // blank line there would end the empty item.
                    tight = true;
                } else {
                    out.push(' ');
                    out.push_str(md);
                }
                out.push('\n');
            }
            Block::Table { indent, rows } => {
                let width = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
                for (r, row) in rows.iter().enumerate() {
                    push_indent(&mut out, *indent);
                    out.push('|');
                    for c in 0..width {
                        out.push(' ');
                        out.push_str(row.get(c).map_or("", String::as_str));
                        out.push_str(" |");
                    }
                    out.push('\n');
                    if r == 0 {
                        push_indent(&mut out, *indent);
                        out.push('|');
                        out.push_str(&" --- |".repeat(width));
                        out.push('\n');
                    }
                }
            }
        }
    }
    out
}

fn push_indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

/// A front-matter value on one line, quoted when YAML would misread it.
fn yaml_scalar(s: &str) -> String {
    let plain_ok = !s.contains(": ")
        && !s.contains(" #")
        && !s.starts_with(|c: char| "!&*?|>'\"%@`[]{},#-:".contains(c));
    if plain_ok {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

/// The effective date the page states, as `YYYY-MM-DD`: after "Effective
/// date", "effective as of" or "生效日期"; else after "Last updated" or
/// "更新日期"; else a date standing alone right under the first heading.
fn effective_date(blocks: &[Block]) -> Option<String> {
    static EFFECTIVE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(?:effective(?:\s+date)?|date\s+of\s+effect|in\s+effect)\b(?:\s*(?:from|on|as\s+of|since))?\s*[:：]?\s*|生效(?:日期|时间)\s*[:：为是]?\s*",
        )
        .expect("static regex")
    });
    static UPDATED: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?i)\b(?:last\s+(?:updated|modified|revised|changed)|updated)\b(?:\s*(?:on|as\s+of))?\s*[:：]?\s*|(?:最近|最后)?更新(?:日期|时间)?\s*[:：于为]?\s*",
        )
        .expect("static regex")
    });
    let texts: Vec<&str> = blocks.iter().filter_map(Block::plain).collect();
    for keyword in [&*EFFECTIVE, &*UPDATED] {
        for (i, text) in texts.iter().enumerate() {
            for m in keyword.find_iter(text) {
                if let Some(d) = date_at(&text[m.end()..]) {
                    return Some(d);
                }
                // "Effective date" alone, the date in the next block.
                if m.end() == text.len()
                    && let Some(next) = texts.get(i + 1)
                    && let Some(d) = lone_date(next)
                {
                    return Some(d);
                }
            }
        }
    }
    // A date alone under the title ("2025.7.9", "2025年7月9日").
    let first_heading = blocks
        .iter()
        .position(|b| matches!(b, Block::Heading { .. }))?;
    match blocks.get(first_heading + 1) {
        Some(Block::Para { plain, .. }) => lone_date(plain),
        _ => None,
    }
}

/// A text that is nothing but a date.
fn lone_date(text: &str) -> Option<String> {
    static TAIL: LazyLock<Regex> =
        LazyLock::new(|| Regex::new(r"^[\s日.。]*$").expect("static regex"));
    let (date, len) = date_prefix(text.trim())?;
    TAIL.is_match(&text.trim()[len..]).then_some(date)
}

/// A date at the start of `text` (after spaces).
fn date_at(text: &str) -> Option<String> {
    date_prefix(text.trim_start()).map(|(d, _)| d)
}

/// A date at the very start of `text`, as `YYYY-MM-DD`, and its length.
fn date_prefix(text: &str) -> Option<(String, usize)> {
    static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?")
            .expect("static regex")
    });
    static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^([a-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})\b")
            .expect("static regex")
    });
    static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"(?i)^(\d{1,2})(?:st|nd|rd|th)?\s+([a-z]{3,9})\.?,?\s+(\d{4})\b")
            .expect("static regex")
    });
    let (y, m, d, len) = if let Some(c) = NUMERIC.captures(text) {
        (
            c[1].parse().ok()?,
            c[2].parse().ok()?,
            c[3].parse().ok()?,
            c[0].len(),
        )
    } else if let Some(c) = MONTH_FIRST.captures(text) {
        (
            c[3].parse().ok()?,
            month(&c[1])?,
            c[2].parse().ok()?,
            c[0].len(),
        )
    } else if let Some(c) = DAY_FIRST.captures(text) {
        (
            c[3].parse().ok()?,
            month(&c[2])?,
            c[1].parse().ok()?,
            c[0].len(),
        )
    } else {
        return None;
    };
    let month = time::Month::try_from(m).ok()?;
    let date = time::Date::from_calendar_date(y, month, d).ok()?;
    Some((
        format!(
            "{:04}-{:02}-{:02}",
            date.year(),
            u8::from(date.month()),
            date.day()
        ),
        len,
    ))
}

/// An English month name or its abbreviation, as 1–12.
fn month(name: &str) -> Option<u8> {
    let name = name.to_ascii_lowercase();
    crate::document::MONTHS
        .iter()
        .position(|full| name.len() >= 3 && (full.starts_with(&name) || name == "sept"))
        .map(|i| if name == "sept" { 9 } else { i as u8 + 1 })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn md(html: &str) -> String {
        to_markdown(html, &Selection::default()).unwrap()
    }

    #[test]
    fn headings_paragraphs_and_front_matter() {
        let out = md(
            "<html><head><title>Acme | Privacy</title></head><body><h1>Privacy  Policy</h1>\n<p>Effective date: July 9, 2025</p><h2>1. What we collect</h2><p>We collect <b>your</b>\n<em>email</em>.</p></body></html>",
        );
        assert_eq!(
            out,
            "---\ntitle: Privacy Policy\neffective: 2025-07-09\n---\n\n# Privacy Policy\n\nEffective date: July 9, 2025\n\n## 1. What we collect\n\nWe collect your email.\n"
        );
    }

    #[test]
    fn title_falls_back_to_the_title_element() {
        let out = md("<title>Acme Privacy</title><p>Text.</p>");
        assert!(out.starts_with("---\ntitle: Acme Privacy\n---\n"), "{out}");
    }

    #[test]
    fn ordered_lists_get_the_labels_a_browser_shows() {
        let out = md(
            r#"<ol start="3"><li>three</li><li>four<ol type="a"><li>a one</li><li value="4">d four</li><li>e five</li></ol></li></ol>
            <ol type="I"><li>one</li><li>two</li></ol><ol type="i" start="4"><li>iv</li></ol>
            <ol reversed><li>x</li><li>y</li></ol><ol type="A" start="27"><li>AA</li></ol>
            <ul><li>bullet</li></ul><ol style="list-style: none"><li>1. written</li></ol>"#,
        );
        let expected = "3. three\n\n4. four\n\n   - a. a one\n\n   - d. d four\n\n   - e. e five\n\n- I. one\n\n- II. two\n\n- iv. iv\n\n2. x\n\n1. y\n\n- AA. AA\n\n- bullet\n\n- 1\\. written\n";
        assert_eq!(out, expected);
        // Read back, the labels are the ones shown.
        let doc = crate::document::Document::parse(&out, crate::document::Format::Markdown);
        let labels: Vec<_> = doc.clauses.iter().map(|c| c.label.clone()).collect();
        assert_eq!(
            labels,
            [
                Some("3."),
                Some("4."),
                Some("a."),
                Some("d."),
                Some("e."),
                Some("I."),
                Some("II."),
                Some("iv."),
                Some("2."),
                Some("1."),
                None,
                None,
                Some("1."),
            ]
            .map(|l| l.map(str::to_owned))
        );
        let texts: Vec<_> = doc.clauses.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts[0], "three");
        assert_eq!(texts[10], "AA. AA");
        assert_eq!(texts[12], "written");
    }

    #[test]
    fn continuation_paragraphs_and_nested_lists_stay_in_their_item() {
        let out = md(
            "<ol><li><p>First.</p><p>More.</p><ul><li>inner</li></ul></li><li><ul><li>only nested</li></ul></li></ol>",
        );
        assert_eq!(
            out,
            "1. First.\n\n   More.\n\n   - inner\n\n2.\n   - only nested\n"
        );
        let doc = crate::document::Document::parse(&out, crate::document::Format::Markdown);
        let inner = doc.clauses.iter().find(|c| c.text == "inner").unwrap();
        assert_eq!(doc.clauses[inner.parent.unwrap()].text, "First.");
        let nested = doc
            .clauses
            .iter()
            .find(|c| c.text == "only nested")
            .unwrap();
        assert_eq!(
            doc.clauses[nested.parent.unwrap()].label.as_deref(),
            Some("2.")
        );
    }

    #[test]
    fn tables_are_one_clause_per_row_and_dl_one_per_definition() {
        let out = md(
            "<table><caption>Recipients</caption><thead><tr><th>Who</th><th>Why</th></tr></thead><tbody><tr><td>Pay | Co</td><td><p>payments</p><p>refunds</p></td></tr><tr><td>Mail</td></tr></tbody></table>\
             <dl><dt>Personal data</dt><dd>Any information.</dd><dt>Controller:</dt><dd>Acme.</dd><dd>Also us.</dd></dl>",
        );
        assert_eq!(
            out,
            "Recipients\n\n| Who | Why |\n| --- | --- |\n| Pay \\| Co | payments refunds |\n| Mail |  |\n\n**Personal data**: Any information.\n\n**Controller:** Acme.\n\n**Controller:** Also us.\n"
        );
        let doc = crate::document::Document::parse(&out, crate::document::Format::Markdown);
        let texts: Vec<_> = doc.clauses.iter().map(|c| c.text.as_str()).collect();
        assert!(texts.contains(&"Pay | Co | payments refunds"), "{texts:?}");
        assert!(
            texts.contains(&"Personal data: Any information."),
            "{texts:?}"
        );
    }

    #[test]
    fn layout_tables_are_read_as_blocks() {
        let out = md(
            "<table><tr><td><h2>Title</h2><table><tr><td>a</td><td>b</td></tr></table><p>after</p></td></tr></table>",
        );
        assert_eq!(out, "## Title\n\n| a | b |\n| --- | --- |\n\nafter\n");
    }

    #[test]
    fn hidden_and_script_content_never_reaches_the_text() {
        let out = md(
            r#"<body><p onclick="alert(1)">Visible <script>alert("x")</script>text<style>p{}</style></p>
            <p hidden>h1</p><p aria-hidden="true">h2</p><p style="color:red; DISPLAY : none">h3</p>
            <div style="visibility:hidden">h4</div><template><p>h5</p></template><noscript>h6</noscript>
            <p><a href="javascript:alert(1)">click</a> <a href="https://e.com/x" onmouseover="evil()">there</a><img src=x onerror="alert(1)"></p>
            <dialog><p>h7</p></dialog><button>Accept all</button></body>"#,
        );
        assert_eq!(out, "Visible text\n\nclick [there](<https://e.com/x>)\n");
        for bad in ["alert", "evil", "onclick", "h1", "h7", "Accept"] {
            assert!(!out.contains(bad), "{bad} in {out}");
        }
    }

    #[test]
    fn selection_select_and_remove() {
        let page = r#"<body><nav>Menu</nav><main><div class="cookie-banner">We use cookies</div><article><h1>Policy</h1><p>Text.</p></article><article><p>Two.</p></article></main><footer>Foot</footer></body>"#;
        let out = md(page);
        assert!(
            out.contains("We use cookies") && !out.contains("Menu"),
            "{out}"
        );
        let sel = Selection::new(Some("main article"), &[".cookie-banner".into()]).unwrap();
        let out = to_markdown(page, &sel).unwrap();
        assert_eq!(
            out,
            "---\ntitle: Policy\n---\n\n# Policy\n\nText.\n\nTwo.\n"
        );
        let sel = Selection::new(None, &["nav".into(), "footer".into()]).unwrap();
        let out = to_markdown(
            "<body><nav>Menu</nav><p>Text.</p><footer>F</footer></body>",
            &sel,
        )
        .unwrap();
        assert_eq!(out, "Text.\n");
        let sel = Selection::new(Some("#missing"), &[]).unwrap();
        let e = to_markdown(page, &sel).unwrap_err().to_string();
        assert!(
            e.contains("#missing") && e.contains("matches nothing"),
            "{e}"
        );
        let e = Selection::new(Some("main >"), &[]).unwrap_err().to_string();
        assert!(
            e.starts_with("select = \"main >\": not a valid CSS selector"),
            "{e}"
        );
        let e = Selection::new(None, &["a[".into()])
            .unwrap_err()
            .to_string();
        assert!(e.starts_with("remove = "), "{e}");
        let e = to_markdown("<body><script>x</script></body>", &Selection::default())
            .unwrap_err()
            .to_string();
        assert!(e.contains("no visible text in the <body>"), "{e}");
    }

    #[test]
    fn markdown_syntax_in_text_reads_back_as_text() {
        let html = "<h2>C# and #</h2><p>1. not a list</p><p>- not a bullet</p><p># not a heading</p><p>&gt; not a quote</p><p>*not emphasis* _x_ `code` &lt;b&gt; [a](b) [c][d] &amp;amp; a\\b | ~~~</p><ol><li>2) item</li></ol>";
        let out = md(html);
        let doc = crate::document::Document::parse(&out, crate::document::Format::Markdown);
        let texts: Vec<String> = doc.clauses.iter().map(|c| c.display()).collect();
        assert_eq!(
            texts,
            [
                "C# and #",
                "1. not a list",
                "- not a bullet",
                "# not a heading",
                "> not a quote",
                "*not emphasis* _x_ `code` <b> [a](b) [c][d] &amp; a\\b | ~~~",
                "1. 2) item",
            ],
            "{out}"
        );
        assert!(doc.clauses.iter().all(|c| c.links.is_empty()), "{out}");
    }

    #[test]
    fn links_keep_their_targets() {
        let out = md(
            r#"<p>Write to <a href="mailto:dpo@example.com">our <b>DPO</b></a>, or see <a href="/a b">[1]</a>.</p><p><a id="x"></a>Anchor.</p>"#,
        );
        assert_eq!(
            out,
            "Write to [our DPO](<mailto:dpo@example.com>), or see [\\[1\\]](</a b>).\n\nAnchor.\n"
        );
        let doc = crate::document::Document::parse(&out, crate::document::Format::Markdown);
        assert_eq!(doc.clauses[0].text, "Write to our DPO, or see [1].");
        assert_eq!(doc.clauses[0].links, ["mailto:dpo@example.com", "/a b"]);
    }

    #[test]
    fn chinese_line_breaks_join_without_a_space() {
        let out = md(
            "<h1>隐私政策</h1><p>生效日期：2025年7月9日</p><p>我们会收集\n您的信息 and\nmore。</p>",
        );
        assert!(out.contains("effective: 2025-07-09"), "{out}");
        assert!(out.contains("我们会收集您的信息 and more。"), "{out}");
    }

    #[test]
    fn effective_dates_as_pages_state_them() {
        let page = |body: &str| md(&format!("<h1>P</h1>{body}<p>Text.</p>"));
        for (body, date) in [
            ("<p>Last updated: 3 March 2024</p>", Some("2024-03-03")),
            ("<p>Last Updated on Sept. 1st, 2023</p>", Some("2023-09-01")),
            (
                "<p>This policy is effective as of 2022/11/05.</p>",
                Some("2022-11-05"),
            ),
            (
                "<p>Updated: 2024-01-02</p><p>Effective date: 2024-02-01</p>",
                Some("2024-02-01"),
            ),
            (
                "<h2>Effective date</h2><p>January 5, 2021</p>",
                Some("2021-01-05"),
            ),
            ("<p>2025 .7 .9</p>", Some("2025-07-09")),
            ("<p>更新日期：2024年12月1日</p>", Some("2024-12-01")),
            ("<p>The effective date will be announced.</p>", None),
            ("<p>Effective date: 2025-02-30</p>", None),
            ("<p>Text first.</p><p>2025-01-01</p>", None),
        ] {
            let out = page(body);
            match date {
                Some(d) => assert!(out.contains(&format!("effective: {d}\n")), "{body}: {out}"),
                None => assert!(!out.contains("effective:"), "{body}: {out}"),
            }
        }
    }

    #[test]
    fn a_repeated_title_is_one_heading() {
        let out = md(
            r#"<header id="title-block-header"><h1 class="title">P</h1></header><h1>P</h1><p>x</p>"#,
        );
        assert_eq!(out, "---\ntitle: P\n---\n\n# P\n\nx\n");
    }

    #[test]
    fn deep_nesting_neither_overflows_nor_indents_without_end() {
        let n = 100_000;
        let html = format!("{}deep{}", "<div>".repeat(n), "</div>".repeat(n));
        assert_eq!(md(&html), "deep\n");
        let html = format!("{}deep<p>after</p>", "<div/><span title='>'>".repeat(n));
        assert_eq!(md(&html), "deep\n\nafter\n");
        let html = format!("{}deep", "<ol><li>".repeat(2_000));
        let out = md(&html);
        assert!(out.len() < 2_000 * 40, "{}", out.len());
        assert!(
            out.ends_with(". deep\n"),
            "{}",
            &out[out.len().saturating_sub(300)..]
        );
    }

    #[test]
    fn depth_cap_drops_only_tags_past_the_cap() {
        let page = "<div><!-- <div> --><script>'<div>'</script><p>a<p>b<svg><path/><path/></svg><div a=\"x>\">c</div></div>";
        assert_eq!(cap_depth(page, 3).unwrap(), page, "nothing to drop");
        let deep = "<div><div><div><div>x</div></div></div></div>";
        assert_eq!(cap_depth(deep, 2).unwrap(), "<div><div>x</div></div>");
    }

    #[test]
    fn numbering_helpers() {
        assert_eq!(alpha(1), "a");
        assert_eq!(alpha(26), "z");
        assert_eq!(alpha(28), "ab");
        assert_eq!(roman(1994), "mcmxciv");
        assert_eq!(Numbering::LowerRoman.label(0).as_deref(), Some("0."));
        assert_eq!(escape_block_start("12) x"), "12\\) x");
        assert_eq!(escape_block_start("2025 .7 .9"), "2025 .7 .9");
        assert_eq!(escape_heading_end("C#"), "C\\#");
        assert_eq!(yaml_scalar("A: B"), "'A: B'");
    }
}
