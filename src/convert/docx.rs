//! A Word document (`.docx`) read as the project's Markdown.
//!
//! The container is a zip of XML parts. The parts are read here with
//! quick-xml (the parser docx-rs itself uses) instead of through docx-rs's
//! reader, for three reasons: docx-rs's reader does not evaluate numbering
//! (it keeps `numId`/`ilvl` but no labels, see [`super::numbering`]); a
//! converter must walk tracked changes both ways (`w:del` with `w:delText`,
//! paragraph marks inserted or deleted, `w:pPrChange`), which a model built
//! for writing flattens; and reading every part as events keeps the cost
//! linear and the input bounded (no DOCTYPE, no entity expansion, a depth
//! cap) however hostile the file. The writer side of docx-rs (issue 12) and
//! this reader share the format, not the model.
//!
//! What becomes what:
//! - `dc:title` (or the first paragraph in the Title style) and a custom
//!   property `effective` become front matter;
//! - paragraphs in a heading style or with an outline level become `#`
//!   headings; other paragraphs, paragraphs;
//! - numbered paragraphs get the label Word displays, bullets become `- `;
//! - a table becomes a GFM table, which the document layer reads as one
//!   clause per row;
//! - fields keep their displayed result; footnotes, drawings and text boxes
//!   are left out;
//! - tracked changes are accepted ([`View::Accepted`]) or rejected
//!   ([`View::Original`]);
//! - comments become notes naming their author and the clause they are on.

use std::collections::{HashMap, HashSet};
use std::io::{Cursor, Read};

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};
use zip::ZipArchive;

use super::ConvertError;
use super::numbering::{Abstract, Counter, Definitions, Label, Level, Num};

/// Which text of a document with tracked changes to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum View {
    /// Every change accepted: the text as proposed (`draft.docx`).
    Accepted,
    /// Every change rejected: the text before the edits (`draft.docx#original`).
    Original,
}

/// A converted document.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Converted {
    /// The document as the project's Markdown.
    pub markdown: String,
    /// Notes for the Report: the document's comments, each with its author.
    pub notes: Vec<String>,
}

/// Fields nested in one another accepted (a field's code may hold fields;
/// Word's own stay a few deep).
const MAX_FIELD_DEPTH: usize = 64;

/// Comments anchored in one paragraph that are kept (a note each).
const MAX_COMMENTS_PER_PARAGRAPH: usize = 256;

/// Deepest element nesting accepted. Word documents stay far below (nested
/// tables add a handful of levels each); the parser is not recursive, so
/// this only turns a hostile file into a clear error.
const MAX_DEPTH: usize = 1024;

/// The paragraph style (id) of a front-matter field (`effective: 2025-07-09`)
/// written as a paragraph: read back as front matter, not as a clause.
/// policydiff's Word redline writes its fields in it.
pub const FRONT_MATTER_STYLE: &str = "PolicydiffFrontMatter";

/// Convert a `.docx` to Markdown. `limit` bounds the uncompressed size: the
/// sizes the zip declares are checked before anything is inflated, and no
/// part is inflated past it whatever it declared.
pub fn to_markdown(bytes: &[u8], view: View, limit: u64) -> Result<Converted, ConvertError> {
    let mut zip = Package::open(bytes, limit)?;
    let document = zip.part("word/document.xml")?.ok_or_else(|| {
        ConvertError::NotDocx(
            "the package has no word/document.xml (is it a Word document?)".into(),
        )
    })?;
    let styles = match zip.part("word/styles.xml")? {
        Some(x) => read_styles(&x)?,
        None => Styles::default(),
    };
    let numbering = match zip.part("word/numbering.xml")? {
        Some(x) => read_numbering(&x)?,
        None => Definitions::default(),
    };
    let links = match zip.part("word/_rels/document.xml.rels")? {
        Some(x) => read_rels(&x)?,
        None => HashMap::new(),
    };
    let comments = match zip.part("word/comments.xml")? {
        Some(x) => read_comments(&x)?,
        None => Vec::new(),
    };
    let title = match zip.part("docProps/core.xml")? {
        Some(x) => read_core_title(&x)?,
        None => None,
    };
    let effective = match zip.part("docProps/custom.xml")? {
        Some(x) => read_effective(&x)?,
        None => None,
    };
    let mut walk = Walk::new(view, &styles, &numbering, &links);
    xml_events("word/document.xml", &document, |ev| {
        walk.event(ev);
        match walk.error.take() {
            Some(message) => Err(ConvertError::Malformed {
                part: "word/document.xml".into(),
                message,
            }),
            None => Ok(()),
        }
    })?;
    let body = walk.finish();
    let title = title
        .filter(|t| !t.trim().is_empty())
        .or(body.title.clone());
    let mut markdown = String::with_capacity(body.markdown.len() + 128);
    if !body.front.is_empty() {
        // The fields as the document's text gives them, in their order: what
        // the reader sees (and what tracked changes say) wins over properties.
        markdown.push_str("---\n");
        for (key, value) in &body.front {
            markdown.push_str(&format!("{key}: {}\n", one_line(value)));
        }
        markdown.push_str("---\n\n");
    } else if title.is_some() || effective.is_some() {
        markdown.push_str("---\n");
        if let Some(t) = &title {
            markdown.push_str(&format!("title: {}\n", one_line(t)));
        }
        if let Some(e) = &effective {
            markdown.push_str(&format!("effective: {}\n", one_line(e)));
        }
        markdown.push_str("---\n\n");
    }
    markdown.push_str(&body.markdown);
    Ok(Converted {
        markdown,
        notes: comment_notes(&comments, &body.anchors),
    })
}

/// The zip container, read within a size budget.
struct Package<'a> {
    zip: ZipArchive<Cursor<&'a [u8]>>,
    /// Bytes that may still be inflated.
    budget: u64,
    limit: u64,
}

impl<'a> Package<'a> {
    fn open(bytes: &'a [u8], limit: u64) -> Result<Package<'a>, ConvertError> {
        let mut zip = ZipArchive::new(Cursor::new(bytes))
            .map_err(|e| ConvertError::NotDocx(format!("not a zip archive ({e})")))?;
        // Check what the archive declares before inflating anything.
        let mut total: u64 = 0;
        for i in 0..zip.len() {
            let entry = zip
                .by_index_raw(i)
                .map_err(|e| ConvertError::NotDocx(format!("unreadable zip entry {i} ({e})")))?;
            let size = entry.size();
            if size > limit {
                return Err(ConvertError::Refused(format!(
                    "refused: zip entry {} declares {} bytes uncompressed, more than the {} MiB limit (a zip bomb?)",
                    entry.name(),
                    size,
                    limit / (1024 * 1024)
                )));
            }
            total = total.saturating_add(size);
        }
        if total > limit {
            return Err(ConvertError::Refused(format!(
                "refused: the zip declares {total} bytes uncompressed in all, more than the {} MiB limit (a zip bomb?)",
                limit / (1024 * 1024)
            )));
        }
        Ok(Package {
            zip,
            budget: limit,
            limit,
        })
    }

    /// A part's bytes, `None` when the package has no such part.
    fn part(&mut self, name: &str) -> Result<Option<Vec<u8>>, ConvertError> {
        let entry = match self.zip.by_name(name) {
            Ok(e) => e,
            Err(zip::result::ZipError::FileNotFound) => return Ok(None),
            Err(e) => {
                return Err(ConvertError::Malformed {
                    part: name.into(),
                    message: e.to_string(),
                });
            }
        };
        let mut out = Vec::with_capacity(entry.size().min(self.budget) as usize);
        // Never trust the declared size: inflate at most what is left.
        entry
            .take(self.budget + 1)
            .read_to_end(&mut out)
            .map_err(|e| ConvertError::Malformed {
                part: name.into(),
                message: e.to_string(),
            })?;
        if out.len() as u64 > self.budget {
            return Err(ConvertError::Refused(format!(
                "refused: {name} inflates past the {} MiB limit, more than the zip declared (a zip bomb?)",
                self.limit / (1024 * 1024)
            )));
        }
        self.budget -= out.len() as u64;
        Ok(Some(out))
    }
}

/// One XML event, with names reduced to their local part (`w:p` → `p`).
enum Ev<'a, 'b> {
    Start(&'b BytesStart<'a>),
    Empty(&'b BytesStart<'a>),
    End(&'b [u8]),
    Text(&'b str),
}

/// Walk a part's events. A DOCTYPE is refused (entity declarations could
/// expand without bound; Word never writes one); only the five predefined
/// entities and character references are resolved.
fn xml_events(
    part: &str,
    data: &[u8],
    mut on: impl FnMut(Ev<'_, '_>) -> Result<(), ConvertError>,
) -> Result<(), ConvertError> {
    let malformed = |message: String| ConvertError::Malformed {
        part: part.into(),
        message,
    };
    let mut reader = Reader::from_reader(data);
    let mut depth = 0usize;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| malformed(format!("{e} (at byte {})", reader.buffer_position())))?;
        match event {
            Event::DocType(_) => {
                return Err(ConvertError::Refused(format!(
                    "refused: {part} has a DOCTYPE; entity declarations are not read (they can expand without bound)"
                )));
            }
            Event::Start(e) => {
                depth += 1;
                if depth > MAX_DEPTH {
                    return Err(malformed(format!(
                        "elements nested deeper than {MAX_DEPTH} levels"
                    )));
                }
                on(Ev::Start(&e))?;
            }
            Event::Empty(e) => on(Ev::Empty(&e))?,
            Event::End(e) => {
                depth = depth.saturating_sub(1);
                on(Ev::End(e.local_name().as_ref()))?;
            }
            Event::Text(t) => {
                let text = t
                    .xml10_content()
                    .map_err(|e| malformed(format!("text encoding: {e}")))?;
                on(Ev::Text(&text))?;
            }
            Event::CData(t) => {
                let text = String::from_utf8_lossy(&t);
                on(Ev::Text(&text))?;
            }
            Event::GeneralRef(r) => {
                let c = match r.resolve_char_ref() {
                    Ok(Some(c)) => c,
                    Ok(None) => match r.as_ref() as &[u8] {
                        b"amp" => '&',
                        b"lt" => '<',
                        b"gt" => '>',
                        b"quot" => '"',
                        b"apos" => '\'',
                        other => {
                            return Err(malformed(format!(
                                "undefined entity &{};",
                                String::from_utf8_lossy(other)
                            )));
                        }
                    },
                    Err(e) => return Err(malformed(e.to_string())),
                };
                let mut buf = [0u8; 4];
                on(Ev::Text(c.encode_utf8(&mut buf)))?;
            }
            Event::Eof => return Ok(()),
            _ => {}
        }
    }
}

/// An attribute's value by local name (`w:val` → `val`).
fn attr(e: &BytesStart<'_>, name: &[u8]) -> Option<String> {
    e.attributes()
        .flatten()
        .find(|a| a.key.local_name().as_ref() == name)
        .and_then(|a| {
            a.normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .ok()
                .map(|v| v.into_owned())
        })
}

/// A boolean property such as `<w:isLgl/>` or `<w:isLgl w:val="0"/>`.
fn on_off(e: &BytesStart<'_>) -> bool {
    !matches!(attr(e, b"val").as_deref(), Some("0" | "false" | "off"))
}

fn local<'x>(e: &'x BytesStart<'_>) -> &'x [u8] {
    let name = e.name().into_inner();
    match name.iter().position(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

// ---------------------------------------------------------------------------
// styles.xml, numbering.xml, relationships, comments, properties
// ---------------------------------------------------------------------------

/// A paragraph style: what a converter needs of it.
#[derive(Debug, Clone, Default)]
struct Style {
    name: String,
    based_on: Option<String>,
    outline: Option<u8>,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

#[derive(Debug, Default)]
struct Styles {
    by_id: HashMap<String, Style>,
    default: Option<String>,
}

/// What a paragraph's style chain says about it.
#[derive(Debug, Default, Clone)]
struct StyleFacts {
    heading: Option<u8>,
    title: bool,
    num_id: Option<String>,
    ilvl: Option<u8>,
}

impl Styles {
    fn facts(&self, id: Option<&str>) -> StyleFacts {
        let mut facts = StyleFacts::default();
        let mut next = id.or(self.default.as_deref()).map(str::to_owned);
        // basedOn chains are short; the bound stops a cycle.
        for _ in 0..16 {
            let Some(id) = next.take() else { break };
            let Some(style) = self.by_id.get(&id) else {
                break;
            };
            let name = style.name.to_ascii_lowercase();
            if id == "Title" || name == "title" {
                facts.title = true;
            }
            if facts.heading.is_none() {
                facts.heading = style.outline.filter(|&l| l < 9).map(|l| l + 1).or_else(|| {
                    name.strip_prefix("heading ")
                        .and_then(|n| n.trim().parse::<u8>().ok())
                        .filter(|n| (1..=9).contains(n))
                });
            }
            if facts.num_id.is_none() && style.num_id.is_some() {
                facts.num_id = style.num_id.clone();
                facts.ilvl = style.ilvl;
            }
            next = style.based_on.clone();
        }
        facts
    }
}

fn read_styles(xml: &[u8]) -> Result<Styles, ConvertError> {
    let mut styles = Styles::default();
    let mut current: Option<(String, Style)> = None;
    xml_events("word/styles.xml", xml, |ev| {
        match ev {
            Ev::Start(e) | Ev::Empty(e) => match local(e) {
                b"style" => {
                    if attr(e, b"type").as_deref() == Some("paragraph")
                        && let Some(id) = attr(e, b"styleId")
                    {
                        if attr(e, b"default").is_some_and(|d| d == "1" || d == "true") {
                            styles.default = Some(id.clone());
                        }
                        current = Some((id, Style::default()));
                    }
                }
                name => {
                    if let Some((_, s)) = current.as_mut() {
                        match name {
                            b"name" => s.name = attr(e, b"val").unwrap_or_default(),
                            b"basedOn" => s.based_on = attr(e, b"val"),
                            b"outlineLvl" => {
                                s.outline = attr(e, b"val").and_then(|v| v.parse().ok())
                            }
                            b"numId" => s.num_id = attr(e, b"val"),
                            b"ilvl" => s.ilvl = attr(e, b"val").and_then(|v| v.parse().ok()),
                            _ => {}
                        }
                    }
                }
            },
            Ev::End(b"style") => {
                if let Some((id, s)) = current.take() {
                    styles.by_id.insert(id, s);
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(styles)
}

fn read_numbering(xml: &[u8]) -> Result<Definitions, ConvertError> {
    let mut defs = Definitions::default();
    let mut abs: Option<(String, Abstract)> = None;
    let mut num: Option<(String, Num)> = None;
    let mut over: Option<u8> = None;
    let mut lvl: Option<(u8, Level)> = None;
    xml_events("word/numbering.xml", xml, |ev| {
        match ev {
            Ev::Start(e) | Ev::Empty(e) => {
                let val = || attr(e, b"val");
                match local(e) {
                    b"abstractNum" => {
                        abs = attr(e, b"abstractNumId").map(|id| (id, Abstract::default()))
                    }
                    b"num" => {
                        num = attr(e, b"numId").map(|id| (id, Num::default()));
                    }
                    b"styleLink" if lvl.is_none() => {
                        if let Some((_, a)) = abs.as_mut() {
                            a.style_link = val();
                        }
                    }
                    b"numStyleLink" if lvl.is_none() => {
                        if let Some((_, a)) = abs.as_mut() {
                            a.num_style_link = val();
                        }
                    }
                    b"abstractNumId" => {
                        if let (Some((_, n)), Some(v)) = (num.as_mut(), val()) {
                            n.abstract_id = v;
                        }
                    }
                    b"lvlOverride" => over = attr(e, b"ilvl").and_then(|v| v.parse().ok()),
                    b"startOverride" => {
                        if let (Some((_, n)), Some(i), Some(v)) =
                            (num.as_mut(), over, val().and_then(|v| v.parse().ok()))
                        {
                            n.start_overrides.insert(i, v);
                        }
                    }
                    b"lvl" => {
                        lvl = attr(e, b"ilvl")
                            .and_then(|v| v.parse::<u8>().ok())
                            .filter(|&i| i < 9)
                            .map(|i| (i, Level::new()));
                    }
                    b"start" => {
                        if let (Some((_, l)), Some(v)) = (lvl.as_mut(), val()) {
                            l.start = v.parse().unwrap_or(1);
                        }
                    }
                    b"numFmt" => {
                        if let (Some((_, l)), Some(v)) = (lvl.as_mut(), val()) {
                            l.format = v;
                        }
                    }
                    b"lvlText" => {
                        if let Some((_, l)) = lvl.as_mut() {
                            l.text = val().unwrap_or_default();
                        }
                    }
                    b"lvlRestart" => {
                        if let Some((_, l)) = lvl.as_mut() {
                            l.restart = val().and_then(|v| v.parse().ok());
                        }
                    }
                    b"isLgl" => {
                        if let Some((_, l)) = lvl.as_mut() {
                            l.legal = on_off(e);
                        }
                    }
                    b"pStyle" => {
                        if let Some((_, l)) = lvl.as_mut() {
                            l.style = val();
                        }
                    }
                    _ => {}
                }
            }
            Ev::End(b"lvl") => {
                if let Some((i, l)) = lvl.take() {
                    if let (Some((_, n)), Some(_)) = (num.as_mut(), over) {
                        n.level_overrides.insert(i, l);
                    } else if let Some((_, a)) = abs.as_mut() {
                        a.levels.insert(i, l);
                    }
                }
            }
            Ev::End(b"lvlOverride") => over = None,
            Ev::End(b"abstractNum") => {
                if let Some((id, a)) = abs.take() {
                    defs.abstracts.insert(id, a);
                }
            }
            Ev::End(b"num") => {
                if let Some((id, n)) = num.take() {
                    defs.nums.insert(id, n);
                }
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(defs)
}

/// External hyperlink targets by relationship id.
fn read_rels(xml: &[u8]) -> Result<HashMap<String, String>, ConvertError> {
    let mut links = HashMap::new();
    xml_events("word/_rels/document.xml.rels", xml, |ev| {
        if let Ev::Start(e) | Ev::Empty(e) = ev
            && local(e) == b"Relationship"
            && attr(e, b"Type").is_some_and(|t| t.ends_with("/hyperlink"))
            && let (Some(id), Some(target)) = (attr(e, b"Id"), attr(e, b"Target"))
        {
            links.insert(id, target);
        }
        Ok(())
    })?;
    Ok(links)
}

/// A comment: id, author, text.
struct Comment {
    id: String,
    author: String,
    text: String,
}

fn read_comments(xml: &[u8]) -> Result<Vec<Comment>, ConvertError> {
    let mut out = Vec::new();
    let mut current: Option<Comment> = None;
    let mut in_text = false;
    xml_events("word/comments.xml", xml, |ev| {
        match ev {
            Ev::Start(e) | Ev::Empty(e) => match local(e) {
                b"comment" => {
                    current = Some(Comment {
                        id: attr(e, b"id").unwrap_or_default(),
                        author: attr(e, b"author").unwrap_or_default(),
                        text: String::new(),
                    })
                }
                b"t" => in_text = matches!(ev, Ev::Start(_)),
                b"p" | b"tab" | b"br" => {
                    if let Some(c) = current.as_mut()
                        && !c.text.is_empty()
                    {
                        c.text.push(' ');
                    }
                }
                _ => {}
            },
            Ev::Text(t) if in_text => {
                if let Some(c) = current.as_mut() {
                    c.text.push_str(t);
                }
            }
            Ev::End(b"t") => in_text = false,
            Ev::End(b"comment") => out.extend(current.take()),
            _ => {}
        }
        Ok(())
    })?;
    Ok(out)
}

/// `dc:title` of `docProps/core.xml`.
fn read_core_title(xml: &[u8]) -> Result<Option<String>, ConvertError> {
    let mut title: Option<String> = None;
    let mut inside = false;
    xml_events("docProps/core.xml", xml, |ev| {
        match ev {
            Ev::Start(e) if local(e) == b"title" => inside = true,
            Ev::End(b"title") => inside = false,
            Ev::Text(t) if inside => title.get_or_insert_with(String::new).push_str(t),
            _ => {}
        }
        Ok(())
    })?;
    Ok(title.map(|t| t.trim().to_owned()).filter(|t| !t.is_empty()))
}

/// The custom document property `effective` (also `effective date`,
/// `effective-date`, `effective_date`), as pandoc and LibreOffice write
/// front-matter fields; a date-time keeps its date.
fn read_effective(xml: &[u8]) -> Result<Option<String>, ConvertError> {
    let mut found: Option<String> = None;
    let mut inside = false;
    xml_events("docProps/custom.xml", xml, |ev| {
        match ev {
            Ev::Start(e) if local(e) == b"property" => {
                let name = attr(e, b"name")
                    .unwrap_or_default()
                    .to_ascii_lowercase()
                    .replace(['-', '_'], " ");
                inside = found.is_none() && (name == "effective" || name == "effective date");
            }
            Ev::End(b"property") => {
                if inside && found.is_none() {
                    found = Some(String::new());
                }
                inside = false;
            }
            Ev::Text(t) if inside => {
                found.get_or_insert_with(String::new).push_str(t);
                inside = false;
            }
            _ => {}
        }
        Ok(())
    })?;
    Ok(found
        .map(|v| {
            let v = v.trim();
            match v.split_once('T') {
                Some((date, _)) if date.len() == 10 => date.to_owned(),
                _ => v.to_owned(),
            }
        })
        .filter(|v| !v.is_empty()))
}

/// The notes for the Report: each comment with its author and where it is.
fn comment_notes(comments: &[Comment], anchors: &[(String, String)]) -> Vec<String> {
    let by_id: HashMap<&str, &Comment> = comments.iter().map(|c| (c.id.as_str(), c)).collect();
    let mut notes = Vec::new();
    let mut done = std::collections::HashSet::new();
    let note = |c: &Comment, at: Option<&str>| {
        let author = if c.author.trim().is_empty() {
            "an unnamed author".to_owned()
        } else {
            one_line(&c.author)
        };
        let text: String = one_line(&c.text).chars().take(500).collect();
        match at {
            Some(at) => format!("comment by {author} on {at}: {text}"),
            None => format!("comment by {author}: {text}"),
        }
    };
    for (id, at) in anchors {
        if let Some(c) = by_id.get(id.as_str())
            && done.insert(id.as_str())
        {
            notes.push(note(c, Some(at)));
        }
    }
    for c in comments {
        if done.insert(c.id.as_str()) {
            notes.push(note(c, None));
        }
    }
    notes
}

/// Text on one line, runs of white space as one space.
fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

// ---------------------------------------------------------------------------
// document.xml
// ---------------------------------------------------------------------------

/// Paragraph properties that tracked changes may differ in.
#[derive(Debug, Default, Clone)]
struct Props {
    style: Option<String>,
    num_id: Option<String>,
    ilvl: Option<u8>,
    outline: Option<u8>,
}

/// A paragraph being read.
#[derive(Debug, Default)]
struct Para {
    props: Props,
    /// Properties before a tracked formatting change (`w:pPrChange`).
    old: Option<Props>,
    /// The paragraph mark is a tracked insertion / deletion.
    mark_inserted: bool,
    mark_deleted: bool,
    /// Markdown (escaped, with links) and plain text.
    md: String,
    plain: String,
    /// Comments anchored here, in order, and as a set (a hostile paragraph
    /// may repeat one anchor a million times).
    comments: Vec<String>,
    comment_ids: HashSet<String>,
}

/// A field's state: its code (hidden) or its result (shown).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Field {
    Code,
    Result,
}

/// Text (and links and comments) of paragraphs whose mark is gone in this
/// view: it joins the next paragraph.
#[derive(Debug, Default)]
struct Carry {
    md: String,
    plain: String,
    comments: Vec<String>,
}

struct Walk<'a> {
    view: View,
    styles: &'a Styles,
    numbering: &'a Definitions,
    links: &'a HashMap<String, String>,
    counter: Counter<'a>,
    out: Body,
    /// Depth inside a subtree that is left out.
    skip: usize,
    para: Option<Para>,
    para_depth: usize,
    ppr_depth: usize,
    in_ppr_change: bool,
    in_mark_rpr: bool,
    in_trpr: bool,
    in_text: bool,
    fields: Vec<Field>,
    /// Fields of `fields` showing their code (whose text is hidden).
    code_fields: usize,
    link: Option<(usize, String)>,
    carry: Carry,
    tables: usize,
    rows: Vec<Vec<String>>,
    row: Vec<String>,
    row_removed: bool,
    cell: String,
    /// Open Markdown list items: (Word level, indent for their children).
    list: Vec<(u8, usize)>,
    /// Padded table cells written so far (see [`super::check_table`]).
    cells: usize,
    /// Why the document is refused, once it is: the walk stops there.
    error: Option<String>,
}

/// What the walk produced.
#[derive(Debug, Default)]
struct Body {
    markdown: String,
    title: Option<String>,
    /// Front-matter fields written as paragraphs in the
    /// [`FRONT_MATTER_STYLE`] (policydiff's own Word redline does).
    front: Vec<(String, String)>,
    /// Comment ids and where they are anchored, in document order.
    anchors: Vec<(String, String)>,
}

impl<'a> Walk<'a> {
    fn new(
        view: View,
        styles: &'a Styles,
        numbering: &'a Definitions,
        links: &'a HashMap<String, String>,
    ) -> Walk<'a> {
        Walk {
            view,
            styles,
            numbering,
            links,
            counter: Counter::new(numbering),
            out: Body::default(),
            skip: 0,
            para: None,
            para_depth: 0,
            ppr_depth: 0,
            in_ppr_change: false,
            in_mark_rpr: false,
            in_trpr: false,
            in_text: false,
            fields: Vec::new(),
            code_fields: 0,
            link: None,
            carry: Carry::default(),
            tables: 0,
            rows: Vec::new(),
            row: Vec::new(),
            row_removed: false,
            cell: String::new(),
            list: Vec::new(),
            cells: 0,
            error: None,
        }
    }

    fn props(&mut self) -> Option<&mut Props> {
        let p = self.para.as_mut()?;
        Some(if self.in_ppr_change {
            p.old.get_or_insert_with(Props::default)
        } else {
            &mut p.props
        })
    }

    /// Content a view leaves out: insertions when rejecting, deletions when accepting.
    fn dropped(&self, name: &[u8]) -> bool {
        match self.view {
            View::Accepted => matches!(name, b"del" | b"moveFrom"),
            View::Original => matches!(name, b"ins" | b"moveTo"),
        }
    }

    fn event(&mut self, ev: Ev<'_, '_>) {
        match ev {
            Ev::Start(e) => {
                if self.skip > 0 {
                    self.skip += 1;
                    return;
                }
                if self.element(e, true) {
                    self.skip = 1;
                }
            }
            Ev::Empty(e) => {
                if self.skip == 0 {
                    self.element(e, false);
                }
            }
            Ev::End(name) => {
                if self.skip > 0 {
                    self.skip -= 1;
                    return;
                }
                self.end(name);
            }
            Ev::Text(t) => {
                if self.skip == 0 && self.in_text {
                    self.text(t);
                }
            }
        }
    }

    fn text(&mut self, t: &str) {
        if self.code_fields > 0 {
            return;
        }
        if let Some(p) = self.para.as_mut() {
            p.plain.push_str(t);
            escape_into(&mut p.md, t);
        }
    }

    /// An opening (or empty) element. Returns true to leave out its subtree.
    fn element(&mut self, e: &BytesStart<'_>, open: bool) -> bool {
        let name = local(e);
        if self.ppr_depth > 0 {
            match name {
                b"pPr" if open => self.ppr_depth += 1,
                b"pPrChange" => {
                    // The properties before the change: none unless listed.
                    if let Some(p) = self.para.as_mut() {
                        p.old = Some(Props::default());
                    }
                    self.in_ppr_change = open;
                }
                b"rPr" if open => self.in_mark_rpr = true,
                b"ins" | b"moveTo" if self.in_mark_rpr => {
                    if let Some(p) = self.para.as_mut() {
                        p.mark_inserted = true;
                    }
                }
                b"del" | b"moveFrom" if self.in_mark_rpr => {
                    if let Some(p) = self.para.as_mut() {
                        p.mark_deleted = true;
                    }
                }
                b"pStyle" => {
                    let v = attr(e, b"val");
                    if let Some(p) = self.props() {
                        p.style = v;
                    }
                }
                b"numId" => {
                    let v = attr(e, b"val");
                    if let Some(p) = self.props() {
                        p.num_id = v;
                    }
                }
                b"ilvl" => {
                    let v = attr(e, b"val").and_then(|v| v.parse().ok());
                    if let Some(p) = self.props() {
                        p.ilvl = v;
                    }
                }
                b"outlineLvl" => {
                    let v = attr(e, b"val").and_then(|v| v.parse().ok());
                    if let Some(p) = self.props() {
                        p.outline = v;
                    }
                }
                b"sectPr" | b"rPrChange" => return open,
                _ => {}
            }
            return false;
        }
        if self.in_trpr {
            if self.tables == 1 {
                match (name, self.view) {
                    (b"ins", View::Original) | (b"del", View::Accepted) => self.row_removed = true,
                    _ => {}
                }
            }
            return open;
        }
        match name {
            b"p" if open => {
                self.para_depth += 1;
                if self.para_depth == 1 {
                    self.para = Some(Para::default());
                }
            }
            b"pPr" => {
                if open && self.para_depth == 1 {
                    self.ppr_depth = 1;
                } else {
                    return open;
                }
            }
            b"rPr" | b"instrText" | b"delInstrText" | b"drawing" | b"pict" | b"object"
            | b"AlternateContent" | b"sectPr" | b"tblPr" | b"tblGrid" | b"tcPr" | b"sdtPr"
            | b"sdtEndPr" | b"rt" | b"customXmlPr" | b"smartTagPr" | b"fldData"
            | b"txbxContent" => return open,
            b"ins" | b"del" | b"moveFrom" | b"moveTo" if self.dropped(name) => return open,
            b"t" | b"delText" => self.in_text = open,
            b"tab" | b"ptab" | b"br" | b"cr" => self.text(" "),
            b"noBreakHyphen" => self.text("-"),
            b"fldChar" => match attr(e, b"fldCharType").as_deref() {
                Some("begin") => {
                    if self.fields.len() >= MAX_FIELD_DEPTH {
                        self.error = Some(format!(
                            "fields nested deeper than {MAX_FIELD_DEPTH} levels"
                        ));
                    } else {
                        self.fields.push(Field::Code);
                        self.code_fields += 1;
                    }
                }
                Some("separate") => {
                    if let Some(f) = self.fields.last_mut()
                        && *f == Field::Code
                    {
                        *f = Field::Result;
                        self.code_fields -= 1;
                    }
                }
                Some("end") => {
                    let was_code = self.fields.pop() == Some(Field::Code);
                    self.code_fields -= usize::from(was_code);
                }
                _ => {}
            },
            b"hyperlink" if open => {
                let url = attr(e, b"id").and_then(|id| self.links.get(&id).cloned());
                if let (Some(url), Some(p)) = (url, self.para.as_ref()) {
                    self.link = Some((p.md.len(), url));
                }
            }
            b"commentRangeStart" | b"commentReference" => {
                if let (Some(id), Some(p)) = (attr(e, b"id"), self.para.as_mut())
                    && p.comments.len() < MAX_COMMENTS_PER_PARAGRAPH
                    && p.comment_ids.insert(id.clone())
                {
                    p.comments.push(id);
                }
            }
            b"tbl" if open => {
                self.tables += 1;
                if self.tables == 1 {
                    self.end_list();
                    self.rows.clear();
                }
            }
            b"tr" if open && self.tables == 1 => {
                self.row.clear();
                self.row_removed = false;
            }
            b"trPr" if open => self.in_trpr = true,
            b"tc" if open && self.tables == 1 => self.cell.clear(),
            _ => {}
        }
        false
    }

    fn end(&mut self, name: &[u8]) {
        if self.ppr_depth > 0 {
            match name {
                b"pPr" => {
                    self.ppr_depth -= 1;
                    if self.ppr_depth <= 1 {
                        self.in_ppr_change = false;
                    }
                }
                b"pPrChange" => self.in_ppr_change = false,
                b"rPr" => self.in_mark_rpr = false,
                _ => {}
            }
            return;
        }
        match name {
            b"p" => {
                self.para_depth = self.para_depth.saturating_sub(1);
                if self.para_depth == 0
                    && let Some(p) = self.para.take()
                {
                    self.paragraph(p);
                }
            }
            b"t" | b"delText" => self.in_text = false,
            b"hyperlink" => {
                if let (Some((at, url)), Some(p)) = (self.link.take(), self.para.as_mut())
                    && at <= p.md.len()
                    && !p.md[at..].trim().is_empty()
                {
                    let text = p.md.split_off(at);
                    p.md.push_str(&format!("[{text}]({})", url_md(&url)));
                }
            }
            b"trPr" => self.in_trpr = false,
            b"tc" if self.tables == 1 => {
                let cell = std::mem::take(&mut self.cell);
                self.row.push(cell);
            }
            b"tr" if self.tables == 1 => {
                let row = std::mem::take(&mut self.row);
                if !self.row_removed {
                    self.rows.push(row);
                }
            }
            b"tbl" => {
                self.tables = self.tables.saturating_sub(1);
                if self.tables == 0 {
                    let rows = std::mem::take(&mut self.rows);
                    self.table(rows);
                }
            }
            _ => {}
        }
    }

    /// A finished paragraph: joined to the next one when its mark is gone in
    /// this view, otherwise numbered and written.
    fn paragraph(&mut self, mut p: Para) {
        self.in_text = false;
        self.fields.clear();
        self.code_fields = 0;
        self.link = None;
        let mark_gone = match self.view {
            View::Accepted => p.mark_deleted,
            View::Original => p.mark_inserted,
        };
        if self.tables > 0 && self.row_removed {
            // A table row this view leaves out: its text goes with it, and
            // its numbered paragraphs do not advance the list.
            return;
        }
        if mark_gone {
            self.carry.md.push_str(&p.md);
            self.carry.plain.push_str(&p.plain);
            self.carry.comments.append(&mut p.comments);
            return;
        }
        let carry = std::mem::take(&mut self.carry);
        let md = carry.md + &p.md;
        let plain = carry.plain + &p.plain;
        let mut comments = carry.comments;
        comments.append(&mut p.comments);
        let props = match (self.view, p.old) {
            (View::Original, Some(old)) => old,
            _ => p.props,
        };
        let facts = self.styles.facts(props.style.as_deref());
        let num_id = props.num_id.clone().or(facts.num_id.clone());
        let label = match num_id.as_deref() {
            None | Some("0") => None,
            Some(id) => {
                let ilvl = props
                    .ilvl
                    .or(facts.ilvl)
                    .or_else(|| {
                        let style = props.style.as_deref().or(self.styles.default.as_deref())?;
                        self.numbering.level_of_style(id, style)
                    })
                    .unwrap_or(0);
                self.counter.next(id, ilvl).map(|l| (l, ilvl))
            }
        };
        let md = md.trim();
        let plain = plain.trim();
        let heading = props
            .outline
            .filter(|&l| l < 9)
            .map(|l| l + 1)
            .or(facts.heading);
        let label_text = match &label {
            Some((Label::Number(s), _)) => Some(s.as_str()),
            _ => None,
        };
        if !comments.is_empty() {
            let at = match label_text {
                Some(l) => format!("clause {l}"),
                None => {
                    let words: Vec<&str> = plain.split_whitespace().take(8).collect();
                    let mut s = words.join(" ");
                    if plain.split_whitespace().count() > 8 {
                        s.push('…');
                    }
                    format!("\"{s}\"")
                }
            };
            for id in comments {
                self.out.anchors.push((id, at.clone()));
            }
        }
        if md.is_empty() {
            return;
        }
        if props.style.as_deref() == Some(FRONT_MATTER_STYLE)
            && let Some((key, value)) = plain.split_once(':')
            && !key.trim().is_empty()
            && !key.contains(char::is_whitespace)
        {
            self.out
                .front
                .push((key.trim().to_owned(), value.trim().to_owned()));
            return;
        }
        if self.tables > 0 {
            if !self.cell.is_empty() {
                self.cell.push(' ');
            }
            if let Some(l) = label_text {
                escape_into(&mut self.cell, l);
                self.cell.push(' ');
            }
            self.cell.push_str(md);
            return;
        }
        if facts.title && heading.is_none() {
            if self.out.title.is_none() {
                self.out.title = Some(plain.to_owned());
            }
            return;
        }
        let out = &mut self.out.markdown;
        if let Some(level) = heading {
            self.list.clear();
            out.push_str(&"#".repeat(usize::from(level.min(6))));
            out.push(' ');
            if let Some(l) = label_text {
                escape_into(out, l);
                out.push(' ');
            }
            out.push_str(md);
            out.push_str("\n\n");
            return;
        }
        match label {
            Some((label, ilvl)) => {
                while self.list.last().is_some_and(|&(l, _)| l >= ilvl) {
                    self.list.pop();
                }
                let indent = self.list.last().map_or(0, |&(_, i)| i);
                let (marker, item) = match &label {
                    Label::Bullet => ("-".to_owned(), true),
                    Label::Number(s) => (s.clone(), is_list_marker(s)),
                };
                out.push_str(&" ".repeat(indent));
                if item {
                    out.push_str(&marker);
                } else {
                    escape_into(out, &marker);
                }
                out.push(' ');
                out.push_str(md);
                out.push_str("\n\n");
                let child = if item {
                    indent + marker.len() + 1
                } else {
                    indent
                };
                self.list.push((ilvl, child));
            }
            None => {
                self.list.clear();
                if md.starts_with(['-', '+', '=', '>']) {
                    out.push('\\');
                }
                out.push_str(md);
                out.push_str("\n\n");
            }
        }
    }

    fn end_list(&mut self) {
        self.list.clear();
    }

    /// A table as GFM: the first row is the header.
    fn table(&mut self, rows: Vec<Vec<String>>) {
        let rows: Vec<Vec<String>> = rows
            .into_iter()
            .filter(|r| r.iter().any(|c| !c.trim().is_empty()))
            .collect();
        let Some(cols) = rows.iter().map(Vec::len).max() else {
            return;
        };
        if let Err(e) = super::check_table(rows.len(), cols, &mut self.cells) {
            self.error = Some(e);
            return;
        }
        self.list.clear();
        let out = &mut self.out.markdown;
        let line = |out: &mut String, row: &[String]| {
            out.push('|');
            for k in 0..cols {
                out.push(' ');
                out.push_str(row.get(k).map_or("", |c| c.trim()));
                out.push_str(" |");
            }
            out.push('\n');
        };
        line(out, &rows[0]);
        out.push('|');
        for _ in 0..cols {
            out.push_str(" --- |");
        }
        out.push('\n');
        for row in &rows[1..] {
            line(out, row);
        }
        out.push('\n');
    }

    fn finish(mut self) -> Body {
        let carry = std::mem::take(&mut self.carry);
        if !carry.plain.trim().is_empty() {
            self.out.markdown.push_str(carry.md.trim());
            self.out.markdown.push_str("\n\n");
        }
        self.out
    }
}

/// A label CommonMark reads as an ordered-list marker (`1.`, `12)`).
fn is_list_marker(label: &str) -> bool {
    let digits = label.len() - 1;
    (1..=9).contains(&digits)
        && label[..digits].bytes().all(|b| b.is_ascii_digit())
        && matches!(label.as_bytes()[digits], b'.' | b')')
}

/// Append `text` with the characters Markdown would read as markup escaped,
/// and line breaks as spaces (a paragraph is one line).
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '\\' | '*' | '_' | '`' | '<' | '>' | '[' | ']' | '&' | '~' | '|' | '#' => {
                out.push('\\');
                out.push(c);
            }
            '\n' | '\r' | '\t' => out.push(' '),
            c => out.push(c),
        }
    }
}

/// A link destination: in angle brackets when it has spaces or parentheses.
fn url_md(url: &str) -> String {
    if url.contains([' ', '(', ')', '<', '>']) {
        format!("<{}>", url.replace(['<', '>'], ""))
    } else {
        url.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write;

    const W: &str = "xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"";

    fn package(body: &str, extra: &[(&str, &str)]) -> Vec<u8> {
        let mut w = zip::ZipWriter::new(Cursor::new(Vec::new()));
        let options = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        let doc = format!("<w:document {W}><w:body>{body}</w:body></w:document>");
        for (name, data) in
            std::iter::once(("word/document.xml", doc.as_str())).chain(extra.iter().copied())
        {
            w.start_file(name, options).unwrap();
            w.write_all(data.as_bytes()).unwrap();
        }
        w.finish().unwrap().into_inner()
    }

    fn md(body: &str, extra: &[(&str, &str)], view: View) -> String {
        to_markdown(&package(body, extra), view, 1 << 20)
            .unwrap()
            .markdown
    }

    fn p(inner: &str) -> String {
        format!("<w:p>{inner}</w:p>")
    }

    fn r(text: &str) -> String {
        format!("<w:r><w:t xml:space=\"preserve\">{text}</w:t></w:r>")
    }

    #[test]
    fn a_deleted_paragraph_mark_joins_paragraphs_only_when_accepted() {
        let body = format!(
            "{}{}",
            p(&format!(
                "<w:pPr><w:rPr><w:del w:id=\"1\" w:author=\"L\"/></w:rPr></w:pPr>{}",
                r("We collect your name")
            )),
            p(&r(" and your email."))
        );
        assert_eq!(
            md(&body, &[], View::Accepted),
            "We collect your name and your email.\n\n"
        );
        assert_eq!(
            md(&body, &[], View::Original),
            "We collect your name\n\nand your email.\n\n"
        );
    }

    #[test]
    fn a_style_change_is_undone_in_the_original() {
        let body = p(&format!(
            "<w:pPr><w:pStyle w:val=\"Heading2\"/><w:pPrChange w:id=\"2\" w:author=\"L\"><w:pPr/></w:pPrChange></w:pPr>{}",
            r("Retention")
        ));
        let styles = format!(
            "<w:styles {W}><w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/></w:style></w:styles>"
        );
        let extra = [("word/styles.xml", styles.as_str())];
        assert_eq!(md(&body, &extra, View::Accepted), "## Retention\n\n");
        assert_eq!(md(&body, &extra, View::Original), "Retention\n\n");
    }

    #[test]
    fn field_codes_are_dropped_and_markup_characters_escaped() {
        let body = p(&format!(
            "{}<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText>PAGE</w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>{}<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>{}",
            r("Page "),
            r("7"),
            r(" of *all* [terms] &amp; &lt;b&gt; #1")
        ));
        assert_eq!(
            md(&body, &[], View::Accepted),
            "Page 7 of \\*all\\* \\[terms\\] \\& \\<b\\> \\#1\n\n"
        );
        // A paragraph that would read as a list or quote marker stays text.
        assert_eq!(
            md(&p(&r("- not a bullet")), &[], View::Accepted),
            "\\- not a bullet\n\n"
        );
    }

    #[test]
    fn front_matter_from_properties_and_the_title_paragraph() {
        let custom = "<Properties><property name=\"Effective Date\"><vt:filetime xmlns:vt=\"v\">2025-07-09T00:00:00Z</vt:filetime></property></Properties>";
        let styles = format!(
            "<w:styles {W}><w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/></w:style></w:styles>"
        );
        let body = format!(
            "{}{}",
            p(&format!(
                "<w:pPr><w:pStyle w:val=\"Title\"/></w:pPr>{}",
                r("Privacy Policy")
            )),
            p(&r("Text."))
        );
        assert_eq!(
            md(
                &body,
                &[
                    ("docProps/custom.xml", custom),
                    ("word/styles.xml", &styles)
                ],
                View::Accepted
            ),
            "---\ntitle: Privacy Policy\neffective: 2025-07-09\n---\n\nText.\n\n"
        );
    }

    #[test]
    fn nested_numbered_items_nest_in_markdown_and_unanchored_comments_still_count() {
        let numbering = format!(
            "<w:numbering {W}><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/></w:lvl><w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"•\"/></w:lvl></w:abstractNum><w:num w:numId=\"5\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>"
        );
        let item = |lvl: u8, text: &str| {
            p(&format!(
                "<w:pPr><w:numPr><w:ilvl w:val=\"{lvl}\"/><w:numId w:val=\"5\"/></w:numPr></w:pPr>{}",
                r(text)
            ))
        };
        let body = format!("{}{}{}", item(0, "One"), item(1, "Sub"), item(0, "Two"));
        let comments = format!(
            "<w:comments {W}><w:comment w:id=\"9\" w:author=\"Bob\"><w:p>{}</w:p></w:comment></w:comments>",
            r("General remark.")
        );
        let c = to_markdown(
            &package(
                &body,
                &[
                    ("word/numbering.xml", &numbering),
                    ("word/comments.xml", &comments),
                ],
            ),
            View::Accepted,
            1 << 20,
        )
        .unwrap();
        assert_eq!(c.markdown, "1. One\n\n   - Sub\n\n2. Two\n\n");
        assert_eq!(c.notes, ["comment by Bob: General remark."]);
    }

    const NUMBERING: &str = "<w:numbering xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:abstractNum w:abstractNumId=\"0\"><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.\"/></w:lvl><w:lvl w:ilvl=\"1\"><w:start w:val=\"1\"/><w:numFmt w:val=\"decimal\"/><w:lvlText w:val=\"%1.%2\"/></w:lvl></w:abstractNum><w:num w:numId=\"5\"><w:abstractNumId w:val=\"0\"/></w:num></w:numbering>";

    fn item(text: &str) -> String {
        p(&format!(
            "<w:pPr><w:numPr><w:ilvl w:val=\"0\"/><w:numId w:val=\"5\"/></w:numPr></w:pPr>{}",
            r(text)
        ))
    }

    #[test]
    fn lists_numbered_through_a_list_style_get_its_labels() {
        // Abstract 1 only links to the list style "LegalList"; abstract 0
        // defines it (styleLink), as Word writes its gallery list styles.
        let numbering = format!(
            "<w:numbering {W}><w:abstractNum w:abstractNumId=\"0\"><w:styleLink w:val=\"LegalList\"/><w:lvl w:ilvl=\"0\"><w:start w:val=\"1\"/><w:numFmt w:val=\"upperRoman\"/><w:lvlText w:val=\"%1.\"/></w:lvl></w:abstractNum><w:abstractNum w:abstractNumId=\"1\"><w:numStyleLink w:val=\"LegalList\"/></w:abstractNum><w:num w:numId=\"5\"><w:abstractNumId w:val=\"1\"/></w:num></w:numbering>"
        );
        let body = format!("{}{}", item("One"), item("Two"));
        assert_eq!(
            md(&body, &[("word/numbering.xml", &numbering)], View::Accepted),
            "I. One\n\nII. Two\n\n"
        );
    }

    #[test]
    fn numbered_paragraphs_in_a_removed_table_row_do_not_count() {
        let row =
            |tr_pr: &str, text: &str| format!("<w:tr>{tr_pr}<w:tc>{}</w:tc></w:tr>", item(text));
        let body = format!(
            "<w:tbl>{}{}{}</w:tbl>{}",
            row("", "Kept"),
            row(
                "<w:trPr><w:del w:id=\"1\" w:author=\"L\"/></w:trPr>",
                "Deleted"
            ),
            row(
                "<w:trPr><w:ins w:id=\"2\" w:author=\"L\"/></w:trPr>",
                "Inserted"
            ),
            item("After")
        );
        let extra = [("word/numbering.xml", NUMBERING)];
        let accepted = md(&body, &extra, View::Accepted);
        assert!(accepted.contains("| 1. Kept |"), "{accepted}");
        assert!(!accepted.contains("Deleted"), "{accepted}");
        assert!(accepted.contains("| 2. Inserted |"), "{accepted}");
        assert!(accepted.ends_with("3. After\n\n"), "{accepted}");
        let original = md(&body, &extra, View::Original);
        assert!(original.contains("| 2. Deleted |"), "{original}");
        assert!(!original.contains("Inserted"), "{original}");
        assert!(original.ends_with("3. After\n\n"), "{original}");
    }

    #[test]
    fn limits_are_checked_before_inflating() {
        let bytes = package(&p(&r(&"x".repeat(10_000))), &[]);
        let e = to_markdown(&bytes, View::Accepted, 5_000).unwrap_err();
        assert!(e.to_string().contains("zip bomb"), "{e}");
        assert!(to_markdown(b"PK\x03\x04 not really", View::Accepted, 1 << 20).is_err());
    }
}
