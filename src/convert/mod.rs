//! Documents that are not Markdown, converted into the project's Markdown
//! when they are read: Word documents (`.docx`) and web pages (`.html`,
//! `.htm`). Bytes in, Markdown (and notes about the source) out. The layer
//! sits between the archive, which hands it raw bytes, and the document
//! layer, which parses the Markdown; it never touches files or git.

pub mod docx;
pub mod html;
pub mod numbering;

pub use docx::{Converted, View};

/// Errors of the conversion layer.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// A web page that cannot be read as a policy.
    #[error(transparent)]
    Html(#[from] html::HtmlError),
    /// The input is not a Word document.
    #[error("not a Word document (.docx): {0}")]
    NotDocx(String),
    /// A part of a Word document is malformed.
    #[error("{part}: {message}")]
    Malformed {
        /// The part (`word/document.xml`).
        part: String,
        /// What is wrong.
        message: String,
    },
    /// The input is refused as unsafe to read (a zip bomb, entity expansion).
    #[error("{0}")]
    Refused(String),
}

/// Widest table read: a converted table is a GFM table padded to its
/// widest row, so one row of a million cells would pad every other row.
pub const MAX_TABLE_COLUMNS: usize = 1000;

/// Table cells (rows × columns, as padded) read in one document: each
/// padded cell is at least three bytes of Markdown, so this keeps a
/// converted document's tables near the 16 MiB a policy may be.
pub const MAX_TABLE_CELLS: usize = 5 * 1024 * 1024;

/// Count a table of `rows` rows padded to `columns` columns against a
/// document's budget of [`MAX_TABLE_CELLS`] (`cells`: padded cells of the
/// tables before it), before it is written. The error says why, in words.
pub(crate) fn check_table(rows: usize, columns: usize, cells: &mut usize) -> Result<(), String> {
    if columns > MAX_TABLE_COLUMNS {
        return Err(format!(
            "refused: a table row has {columns} cells, more than {MAX_TABLE_COLUMNS}"
        ));
    }
    *cells = cells.saturating_add(rows.saturating_mul(columns));
    if *cells > MAX_TABLE_CELLS {
        return Err(format!(
            "refused: the tables, each padded to its widest row, would take more than {MAX_TABLE_CELLS} cells ({rows} rows × {columns} columns in this one)"
        ));
    }
    Ok(())
}

/// A document format converted into Markdown when read, known by the
/// file's extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A web page: `.html`, `.htm`.
    Html,
    /// A Word document: `.docx` with its tracked changes accepted,
    /// `.docx#original` with them rejected.
    Docx(View),
}

impl Source {
    /// The format a path's extension names, if it is one converted on read.
    /// A `#fragment` after the name (`draft.docx#original`) is not part of it.
    pub fn of_path(path: &str) -> Option<Source> {
        let name = path.rsplit(['/', '\\']).next().unwrap_or(path);
        let (name, fragment) = match name.split_once('#') {
            Some((name, fragment)) => (name, Some(fragment)),
            None => (name, None),
        };
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match (ext.as_str(), fragment) {
            ("html" | "htm" | "xhtml", None) => Some(Source::Html),
            ("docx", None) => Some(Source::Docx(View::Accepted)),
            ("docx", Some("original")) => Some(Source::Docx(View::Original)),
            _ => None,
        }
    }

    /// Whether the format is text (checked as UTF-8 like a policy text
    /// before conversion), not a binary container.
    pub fn is_text(self) -> bool {
        matches!(self, Source::Html)
    }
}

/// How documents are read: which part of a web page is the policy. The
/// default reads a page's `main`, else `article`, else `body`.
#[derive(Debug, Clone, Default)]
pub struct ReadOptions {
    /// The part of a web page that is the policy.
    pub html: html::Selection,
}

/// Convert a document into the project's Markdown. Text formats get their
/// bytes already checked as UTF-8 (see [`Source::is_text`]); a container
/// may inflate to at most `limit` bytes.
pub fn to_markdown(
    source: Source,
    bytes: &[u8],
    options: &ReadOptions,
    limit: u64,
) -> Result<Converted, ConvertError> {
    match source {
        Source::Html => {
            // Callers check text formats first; this only guards the type.
            let text = String::from_utf8_lossy(bytes);
            Ok(Converted {
                markdown: html::to_markdown(&text, &options.html)?,
                notes: Vec::new(),
            })
        }
        Source::Docx(view) => docx::to_markdown(bytes, view, limit),
    }
}

/// The front-matter fields (`key: value` lines) of a Markdown text.
fn front_matter(text: &str) -> Option<(&str, &str)> {
    let rest = text.strip_prefix("---\n")?;
    let end = rest.find("\n---\n").map(|e| e + 1).or_else(|| {
        rest.strip_suffix("\n---")
            .map(|r| r.len() + 1)
            .or_else(|| rest.starts_with("---\n").then_some(0))
    })?;
    Some((&rest[..end], &rest[end..]))
}

/// A converted page with the front-matter fields it does not state (a page
/// seldom prints its effective date) taken from `reference`, so that what
/// the page does not say is not compared as removed. Returns the text and
/// the keys taken.
pub fn with_unstated_front_matter(page: &str, reference: &str) -> (String, Vec<String>) {
    let Some((fields, _)) = front_matter(reference) else {
        return (page.to_owned(), Vec::new());
    };
    let key = |line: &str| line.split_once(':').map(|(k, _)| k.trim().to_owned());
    let (page_fields, body) = front_matter(page).unwrap_or(("", page));
    let stated: Vec<String> = page_fields.lines().filter_map(key).collect();
    let mut taken = Vec::new();
    let mut out = String::from("---\n");
    out.push_str(page_fields);
    for line in fields.lines() {
        if let Some(k) = key(line)
            && !k.starts_with('#')
            && !stated.contains(&k)
        {
            out.push_str(line);
            out.push('\n');
            taken.push(k);
        }
    }
    if taken.is_empty() {
        return (page.to_owned(), taken);
    }
    if front_matter(page).is_some() {
        out.push_str(body);
    } else {
        out.push_str("---\n\n");
        out.push_str(body);
    }
    (out, taken)
}

#[cfg(test)]
mod tests {
    use super::{Source, View, with_unstated_front_matter};

    #[test]
    fn unstated_fields_come_from_the_reference() {
        let release = "---\ntitle: P\neffective: 2025-07-09\n---\n\n# P\n";
        let (page, taken) = with_unstated_front_matter("---\ntitle: Q\n---\n\n# Q\n", release);
        assert_eq!(page, "---\ntitle: Q\neffective: 2025-07-09\n---\n\n# Q\n");
        assert_eq!(taken, ["effective"]);
        let (page, taken) = with_unstated_front_matter("# Q\n", release);
        assert_eq!(page, "---\ntitle: P\neffective: 2025-07-09\n---\n\n# Q\n");
        assert_eq!(taken.len(), 2);
        let stated = "---\ntitle: P\neffective: 2024-01-01\n---\n\n# P\n";
        assert_eq!(with_unstated_front_matter(stated, release).0, stated);
        assert_eq!(with_unstated_front_matter("# Q\n", "# P\n").0, "# Q\n");
    }

    #[test]
    fn sources_by_extension() {
        assert_eq!(Source::of_path("a/b/Policy.HTML"), Some(Source::Html));
        assert_eq!(Source::of_path("page.htm"), Some(Source::Html));
        assert_eq!(
            Source::of_path("draft.docx#original"),
            Some(Source::Docx(View::Original))
        );
        assert_eq!(
            Source::of_path("a/Draft.DOCX"),
            Some(Source::Docx(View::Accepted))
        );
        assert_eq!(Source::of_path("page.html#main"), None);
        assert_eq!(Source::of_path("HEAD:policies/p.md"), None);
        assert_eq!(Source::of_path("html/p.md"), None);
        assert_eq!(Source::of_path("noext"), None);
    }
}
