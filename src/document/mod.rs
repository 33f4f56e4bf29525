//! The document model: a policy text (Markdown or plain text) parsed into a
//! tree of clauses. This layer never touches git or files: it takes a string
//! and returns a [`Document`].

mod label;
mod markdown;
mod normalize;

use rustc_hash::FxHashMap as HashMap;
use std::borrow::Cow;
use std::sync::Arc;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

pub use label::split_label;
pub use normalize::{MONTHS, is_cjk, normalize, normalize_token};

/// How a policy text is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// CommonMark with optional `---` front matter.
    Markdown,
    /// Plain text: one clause per non-empty line.
    Text,
}

impl Format {
    /// The format implied by a file name: `.txt` is plain text, anything else Markdown.
    pub fn from_path(path: &str) -> Format {
        let lower = path.to_ascii_lowercase();
        if lower.ends_with(".txt") || lower.ends_with(".text") {
            Format::Text
        } else {
            Format::Markdown
        }
    }
}

/// What kind of block a clause was written as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ClauseKind {
    /// A front-matter field (`effective: 2025-07-09`); its key is the label.
    Meta,
    /// A section title.
    Heading,
    /// A paragraph of running text.
    Paragraph,
    /// An item of a numbered or bulleted list.
    ListItem,
    /// Verbatim text (code block or raw HTML block), kept as written.
    Verbatim,
}

/// One clause of a policy: the unit of alignment and comparison.
#[derive(Debug, Clone, PartialEq)]
pub struct Clause {
    /// The block the clause was written as.
    pub kind: ClauseKind,
    /// Heading level (1–6) for headings; list nesting depth (1 = top) for items; 0 otherwise.
    pub level: u8,
    /// The number label as written (`1.`, `( 1 )`, `II.`, `一、`), if any.
    pub label: Option<String>,
    /// The visible text without its label (Markdown markup removed).
    pub text: String,
    /// Comparison form of `text`, computed on first use: most clauses are
    /// matched by their exact text and never need it.
    norm: OnceLock<String>,
    /// Hash of `text`, made while parsing (in parallel) so alignment compares
    /// numbers, not strings.
    pub(crate) text_hash: u64,
    /// Index of the enclosing heading or list item, if any.
    pub parent: Option<usize>,
    /// Titles of the enclosing headings, outermost first, each with its label.
    /// Shared by all clauses of a section.
    pub section: Arc<[String]>,
    /// 1-based source line where the clause starts.
    pub line: usize,
    /// Link targets in the clause; kept out of `norm` because a changed target
    /// behind unchanged visible text is editorial for the redline.
    pub links: Vec<String>,
}

impl Clause {
    /// Hash of the text as written; equal texts have equal hashes.
    pub fn text_hash(&self) -> u64 {
        self.text_hash
    }

    /// Comparison form of the text: two clauses whose forms are equal differ
    /// only editorially (see [`normalize`]).
    pub fn norm(&self) -> &str {
        self.norm.get_or_init(|| normalize(&self.text))
    }

    /// The clause as a reader cites it: label and text.
    pub fn display(&self) -> String {
        match &self.label {
            // CJK labels end in their own punctuation ("一、", "（1）") and take no space.
            Some(l)
                if self.kind != ClauseKind::Meta
                    && l.ends_with(['、', '）', '条', '章', '节', '款']) =>
            {
                format!("{l}{}", self.text)
            }
            Some(l) if self.kind != ClauseKind::Meta => format!("{l} {}", self.text),
            Some(l) => format!("{l}: {}", self.text),
            None => self.text.clone(),
        }
    }
}

/// A parsed policy: clauses in document order, with the tree kept as parent links.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Document {
    /// Every clause in document order.
    pub clauses: Vec<Clause>,
}

impl Document {
    /// Parse `text` in the given format. Never fails: any string is a document.
    /// CRLF and lone CR line endings count as LF.
    pub fn parse(text: &str, format: Format) -> Document {
        let text = &*unify_line_endings(text);
        let mut builder = Builder::default();
        match format {
            Format::Markdown => markdown::parse(text, &mut builder),
            Format::Text => {
                let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
                for (i, line) in text.lines().enumerate() {
                    if !line.trim().is_empty() {
                        builder.push(ClauseKind::Paragraph, 0, None, line, i + 1, Vec::new());
                    }
                }
            }
        }
        Document {
            clauses: builder.clauses,
        }
    }

    /// Parse Markdown block by block, reusing the blocks already parsed for
    /// an earlier version (`cache`): consecutive versions of a policy share
    /// almost all of their blocks. Gives the same document as
    /// [`Document::parse`].
    pub fn parse_cached(text: &str, format: Format, cache: &mut BlockCache) -> Document {
        let text = &*unify_line_endings(text);
        let body = text.strip_prefix('\u{FEFF}').unwrap_or(text);
        let blocks = match format {
            Format::Markdown => markdown::split_blocks(body),
            Format::Text => None,
        };
        let Some(blocks) = blocks else {
            return Document::parse(text, format);
        };
        let mut builder = Builder::default();
        let mut next = BlockCache::default();
        for (range, first_line) in blocks {
            let block = &body[range];
            let key = hash_text(block);
            // A hit must be the same text, not only the same hash.
            let hit = cache
                .0
                .remove(&key)
                .or_else(|| next.0.get(&key).cloned())
                .filter(|(cached, _)| &**cached == block);
            // A hit keeps its copy of the text: most blocks of a version
            // are the last one's, and copying them all again was a visible
            // part of a history walk.
            let (kept, events) = match hit {
                Some(hit) => hit,
                None => {
                    let mut recorder = Recorder::default();
                    markdown::parse(block, &mut recorder);
                    (block.into(), Arc::new(recorder.events))
                }
            };
            builder.replay(&events, first_line - 1);
            next.0.insert(key, (kept, events));
        }
        // Keep only the blocks of this version: the next one is compared with it.
        *cache = next;
        Document {
            clauses: builder.clauses,
        }
    }

    /// The document title: the `title` front-matter field, else the first heading.
    pub fn title(&self) -> Option<&str> {
        self.meta("title").or_else(|| {
            self.clauses
                .iter()
                .find(|c| c.kind == ClauseKind::Heading)
                .map(|c| c.text.as_str())
        })
    }

    /// The value of a front-matter field.
    pub fn meta(&self, key: &str) -> Option<&str> {
        self.clauses
            .iter()
            .take_while(|c| c.kind == ClauseKind::Meta)
            .find(|c| c.label.as_deref() == Some(key))
            .map(|c| c.text.as_str())
    }
}

/// The text with CRLF and lone CR (old Mac) line endings made LF, so that
/// front matter, blocks and line numbers are found the same whatever the
/// editor wrote. Borrowed when there is no CR at all, as in most texts.
fn unify_line_endings(text: &str) -> Cow<'_, str> {
    // SIMD search: this runs over every text parsed.
    if memchr::memchr(b'\r', text.as_bytes()).is_none() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(text.replace("\r\n", "\n").replace('\r', "\n"))
}

/// A fast hash of a text; equal hashes are always confirmed by comparing the
/// texts, so its quality only matters for speed.
fn hash_text(text: &str) -> u64 {
    use std::hash::Hasher;
    let mut h = rustc_hash::FxHasher::default();
    h.write(text.as_bytes());
    h.finish()
}

/// Parsed blocks by the hash of their text, for [`Document::parse_cached`].
#[derive(Debug, Default)]
pub struct BlockCache(HashMap<u64, (Arc<str>, Arc<Vec<Event>>)>);

/// What the parser did, recorded to be replayed at another place.
#[derive(Debug, Clone)]
pub(crate) enum Event {
    /// A [`Sink::push`]; `line` is relative to the block.
    Push {
        kind: ClauseKind,
        level: u8,
        label: Option<String>,
        text: String,
        line: usize,
        links: Vec<String>,
    },
    /// A [`Sink::set_parent`], in push indices of the block.
    SetParent { child: usize, parent: usize },
    /// A [`Sink::set_context`].
    Context(Option<String>),
}

/// Where the parsers put clauses.
pub(crate) trait Sink {
    /// Add a clause; returns its index.
    fn push(
        &mut self,
        kind: ClauseKind,
        level: u8,
        label: Option<String>,
        text: &str,
        line: usize,
        links: Vec<String>,
    ) -> usize;
    /// Make `parent` the parent of `child` (list nesting).
    fn set_parent(&mut self, child: usize, parent: usize);
    /// Add `context` (a table's header) after the headings in the section
    /// of the clauses pushed from now on; `None` ends it.
    fn set_context(&mut self, context: Option<String>);
}

/// Records parser events for a block.
#[derive(Default)]
struct Recorder {
    events: Vec<Event>,
    pushed: usize,
}

impl Sink for Recorder {
    fn push(
        &mut self,
        kind: ClauseKind,
        level: u8,
        label: Option<String>,
        text: &str,
        line: usize,
        links: Vec<String>,
    ) -> usize {
        self.events.push(Event::Push {
            kind,
            level,
            label,
            text: text.to_owned(),
            line,
            links,
        });
        self.pushed += 1;
        self.pushed - 1
    }
    fn set_parent(&mut self, child: usize, parent: usize) {
        self.events.push(Event::SetParent { child, parent });
    }
    fn set_context(&mut self, context: Option<String>) {
        self.events.push(Event::Context(context));
    }
}

/// Builds the clause list while tracking the heading stack.
#[derive(Default)]
pub(crate) struct Builder {
    clauses: Vec<Clause>,
    /// Open headings: (level, clause index).
    headings: Vec<(u8, usize)>,
    /// Display titles of the open headings, rebuilt only when they change.
    section: Arc<[String]>,
    /// The section with a table header added, while inside a table.
    context: Option<Arc<[String]>>,
}

impl Sink for Builder {
    fn push(
        &mut self,
        kind: ClauseKind,
        level: u8,
        label: Option<String>,
        text: &str,
        line: usize,
        links: Vec<String>,
    ) -> usize {
        Builder::push(self, kind, level, label, text, line, links)
    }
    fn set_parent(&mut self, child: usize, parent: usize) {
        Builder::set_parent(self, child, parent);
    }
    fn set_context(&mut self, context: Option<String>) {
        self.context = context.map(|c| {
            self.section
                .iter()
                .cloned()
                .chain(std::iter::once(c))
                .collect()
        });
    }
}

impl Builder {
    /// Replay a block's events, its lines shifted by `line_offset`.
    fn replay(&mut self, events: &[Event], line_offset: usize) {
        let base = self.clauses.len();
        for e in events {
            match e {
                Event::Push {
                    kind,
                    level,
                    label,
                    text,
                    line,
                    links,
                } => {
                    self.push(
                        *kind,
                        *level,
                        label.clone(),
                        text,
                        line + line_offset,
                        links.clone(),
                    );
                }
                Event::SetParent { child, parent } => self.set_parent(base + child, base + parent),
                Event::Context(c) => Sink::set_context(self, c.clone()),
            }
        }
    }

    /// Add a clause. `label` is the label from the markup (a list item's number);
    /// without one, a label written at the start of `text` is split off.
    pub(crate) fn push(
        &mut self,
        kind: ClauseKind,
        level: u8,
        label: Option<String>,
        text: &str,
        line: usize,
        links: Vec<String>,
    ) -> usize {
        let text = text.trim();
        let (label, body) = match (label, kind) {
            (Some(l), _) => (Some(l), text),
            (None, ClauseKind::Meta | ClauseKind::Verbatim) => (None, text),
            (None, _) => {
                let (l, rest) = split_label(text);
                (l.map(str::to_owned), rest)
            }
        };
        if kind == ClauseKind::Heading {
            while self.headings.last().is_some_and(|&(l, _)| l >= level) {
                self.headings.pop();
            }
            self.section = self
                .headings
                .iter()
                .map(|&(_, i)| self.clauses[i].display())
                .collect();
        }
        let section = Arc::clone(self.context.as_ref().unwrap_or(&self.section));
        let parent = self.headings.last().map(|&(_, i)| i);
        let index = self.clauses.len();
        self.clauses.push(Clause {
            kind,
            level,
            label,
            norm: OnceLock::new(),
            text_hash: hash_text(body),
            text: body.to_owned(),
            parent,
            section,
            line,
            links,
        });
        if kind == ClauseKind::Heading {
            self.headings.push((level, index));
            self.section = self
                .headings
                .iter()
                .map(|&(_, i)| self.clauses[i].display())
                .collect();
        }
        index
    }

    /// Make `parent` the parent of the clause at `child` (list nesting).
    pub(crate) fn set_parent(&mut self, child: usize, parent: usize) {
        self.clauses[child].parent = Some(parent);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Regression (found by the block-cache property test): a fence line
    /// inside an HTML block is HTML, so the block cache must not split the
    /// text as if a fence opened there.
    #[test]
    fn a_fence_line_inside_an_html_block_parses_the_same_block_by_block() {
        let text = "we\nwe\nwe\n\n<b>\n```\ncode\n\nmore code\n```\n\nwe\n";
        let whole = Document::parse(text, Format::Markdown);
        let mut cache = BlockCache::default();
        assert!(whole == Document::parse_cached(text, Format::Markdown, &mut cache));
        assert!(whole == Document::parse_cached(text, Format::Markdown, &mut cache));
    }

    #[test]
    fn plain_text_is_one_clause_per_line() {
        let doc = Document::parse("\u{FEFF}Title\n\n1. First\n( 2 ) Second\n", Format::Text);
        let texts: Vec<_> = doc.clauses.iter().map(|c| c.text.as_str()).collect();
        assert_eq!(texts, ["Title", "First", "Second"]);
        assert_eq!(doc.clauses[2].label.as_deref(), Some("( 2 )"));
        assert_eq!(doc.clauses[2].line, 4);
    }

    /// Regression (issue 8): with CR-only line endings the front matter was
    /// not recognised and its fields were lost.
    #[test]
    fn cr_crlf_and_lf_line_endings_give_the_same_document() {
        let lf = "---\ntitle: Privacy Policy\neffective: 2025-07-09\n---\n\n# Privacy Policy\n\n1. First clause.\n\n   - nested\n\nLast line.\n";
        let cr = lf.replace('\n', "\r");
        let crlf = lf.replace('\n', "\r\n");
        for format in [Format::Markdown, Format::Text] {
            let want = Document::parse(lf, format);
            assert_eq!(Document::parse(&cr, format), want, "{format:?} CR");
            assert_eq!(Document::parse(&crlf, format), want, "{format:?} CRLF");
            let mut cache = BlockCache::default();
            assert_eq!(Document::parse_cached(&cr, format, &mut cache), want);
        }
        let doc = Document::parse(&cr, Format::Markdown);
        assert_eq!(doc.meta("effective"), Some("2025-07-09"));
        assert_eq!(doc.title(), Some("Privacy Policy"));
        assert_eq!(doc.clauses.last().map(|c| c.line), Some(12));
    }
}
