//! The recipient list: CSV with a header row (`email` required; `name`,
//! `locale` and any other column reach the templates) or JSON Lines. Read as
//! a stream; invalid rows are reported with their line numbers.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::str::FromStr;

/// One valid recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// Line of the row in the file (1-based; the header is line 1 in CSV).
    pub line: u64,
    /// The address, as given (trimmed).
    pub email: String,
    /// Every field of the row, `email` included.
    pub fields: BTreeMap<String, String>,
}

impl Recipient {
    /// The `locale` field, if any.
    pub fn locale(&self) -> Option<&str> {
        self.fields
            .get("locale")
            .map(String::as_str)
            .filter(|l| !l.is_empty())
    }

    /// The address in the form used for identity (duplicates, journal, shards):
    /// trimmed and lower-cased.
    pub fn key(&self) -> String {
        self.email.trim().to_lowercase()
    }
}

/// A row that cannot be used, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidRow {
    /// Line in the file.
    pub line: u64,
    /// How many lines of the file the row covers (more than one when a
    /// stray quote made one field of several lines).
    pub lines: u64,
    /// What is wrong (never the address itself: it is personal data).
    pub reason: String,
}

/// Errors that stop reading the list altogether.
#[derive(Debug, thiserror::Error)]
pub enum RecipientsError {
    /// The file cannot be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The header row is unusable.
    #[error("{path}: {reason}")]
    Header {
        /// The file.
        path: String,
        /// What is wrong.
        reason: String,
    },
}

/// A stream of rows, valid or not.
pub type Rows = Box<dyn Iterator<Item = Result<Recipient, InvalidRow>>>;

/// Open a recipient list: JSON Lines when the file ends in `.jsonl`/`.ndjson`
/// or starts with `{`, else CSV.
pub fn open(path: &Path) -> Result<Rows, RecipientsError> {
    let shown = path.display().to_string();
    let io = |source| RecipientsError::Io {
        path: shown.clone(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io)?;
    let meta = file.metadata().map_err(io)?;
    if !meta.is_file() {
        // The list is read twice (counted, then sent): a pipe cannot be.
        return Err(RecipientsError::Header {
            path: shown,
            reason: if meta.is_dir() {
                "is a directory, not a recipient list".into()
            } else {
                "is not a regular file (a device or pipe); save the list to a file first".into()
            },
        });
    }
    let mut reader = BufReader::with_capacity(1 << 16, Eol::new(file));
    let first = reader
        .fill_buf()
        .map_err(io)?
        .iter()
        .copied()
        .find(|b| !b.is_ascii_whitespace());
    let lower = shown.to_ascii_lowercase();
    if lower.ends_with(".jsonl") || lower.ends_with(".ndjson") || first == Some(b'{') {
        Ok(Box::new(jsonl(reader)))
    } else {
        csv_rows(reader, &shown)
    }
}

/// Line ends made `\n`: CRLF and a lone CR alike. The CSV reader counts a
/// CRLF list's lines one short (the bad row on line 3 was reported as line
/// 2); with one kind of line end every reader counts the same.
struct Eol<R> {
    inner: R,
    /// The last byte read was a CR (already given out as `\n`).
    after_cr: bool,
}

impl<R: Read> Eol<R> {
    fn new(inner: R) -> Eol<R> {
        Eol {
            inner,
            after_cr: false,
        }
    }
}

impl<R: Read> Read for Eol<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        loop {
            let n = self.inner.read(buf)?;
            if n == 0 {
                return Ok(0);
            }
            let mut out = 0;
            for i in 0..n {
                let b = buf[i];
                match b {
                    b'\n' if self.after_cr => {} // the LF of a CRLF
                    b'\r' => {
                        buf[out] = b'\n';
                        out += 1;
                    }
                    _ => {
                        buf[out] = b;
                        out += 1;
                    }
                }
                self.after_cr = b == b'\r';
            }
            // A read of a lone LF after a CR gives nothing: read on, as
            // 0 would mean the end of the file.
            if out > 0 {
                return Ok(out);
            }
        }
    }
}

/// Characters that have no place in an address or a name: CR/LF (header
/// injection), NUL and other controls.
fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\t')
}

/// Check a row's fields and make it a recipient.
fn validate(line: u64, fields: BTreeMap<String, String>) -> Result<Recipient, InvalidRow> {
    let bad = |reason: &str| InvalidRow {
        line,
        lines: 1,
        reason: reason.to_owned(),
    };
    if let Some((k, _)) = fields.iter().find(|(_, v)| has_control(v)) {
        return Err(bad(&format!(
            "field `{k}` contains a line break or control character"
        )));
    }
    let email = fields
        .get("email")
        .map(|e| e.trim().to_owned())
        .unwrap_or_default();
    if email.is_empty() {
        return Err(bad("no email address"));
    }
    if lettre::Address::from_str(&email).is_err() {
        return Err(bad("invalid email address"));
    }
    Ok(Recipient {
        line,
        email,
        fields,
    })
}

fn csv_rows(reader: impl Read + 'static, shown: &str) -> Result<Rows, RecipientsError> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::Headers)
        .from_reader(reader);
    let headers: Vec<String> = csv
        .headers()
        .map_err(|e| RecipientsError::Header {
            path: shown.to_owned(),
            reason: format!("cannot read the header row: {e}"),
        })?
        .iter()
        .map(|h| h.trim().to_lowercase())
        .collect();
    if !headers.iter().any(|h| h == "email") {
        return Err(RecipientsError::Header {
            path: shown.to_owned(),
            reason: format!(
                "the header row has no `email` column (columns: {})",
                headers.join(", ")
            ),
        });
    }
    let width = headers.len();
    let rows = csv.into_records().map(move |record| match record {
        Err(e) => {
            let line = e.position().map_or(0, |p| p.line());
            Err(InvalidRow {
                line,
                lines: 1,
                reason: match e.kind() {
                    csv::ErrorKind::Utf8 { .. } => "not valid UTF-8".into(),
                    _ => "malformed CSV".into(),
                },
            })
        }
        Ok(r) => {
            let line = r.position().map_or(0, |p| p.line());
            // A quoted field over several lines is almost always a stray
            // quote that swallowed the rows after it: say so, and count them.
            let spanned = r.iter().map(|f| f.matches('\n').count() as u64).sum::<u64>();
            // Lines inside a field that hold a column separator are rows
            // swallowed by a stray quote; a line break in a name alone is
            // just an invalid field (reported below).
            let swallowed = r.iter().any(|f| f.lines().skip(1).any(|l| l.contains(',')));
            if spanned > 0 && swallowed {
                return Err(InvalidRow {
                    line,
                    lines: spanned + 1,
                    reason: format!(
                        "a quoted field runs over {} lines (a stray quote?): those lines were not read as recipients",
                        spanned + 1
                    ),
                });
            }
            if r.len() != width {
                return Err(InvalidRow {
                    line,
                    lines: 1,
                    reason: format!("{} columns, the header has {width}", r.len()),
                });
            }
            let fields = headers
                .iter()
                .cloned()
                .zip(r.iter().map(str::to_owned))
                .collect();
            validate(line, fields)
        }
    });
    Ok(Box::new(rows))
}

fn jsonl(reader: impl BufRead + 'static) -> impl Iterator<Item = Result<Recipient, InvalidRow>> {
    reader.split(b'\n').enumerate().filter_map(|(n, line)| {
        let line_no = n as u64 + 1;
        let bad = |reason: &str| {
            Some(Err(InvalidRow {
                line: line_no,
                lines: 1,
                reason: reason.to_owned(),
            }))
        };
        let bytes = match line {
            Ok(b) => b,
            Err(_) => return bad("unreadable line"),
        };
        let Ok(mut text) = String::from_utf8(bytes) else {
            return bad("not valid UTF-8");
        };
        if line_no == 1 && text.starts_with('\u{FEFF}') {
            text.drain(..3); // a byte-order mark is not part of the row
        }
        if text.trim().is_empty() {
            return None;
        }
        let value: serde_json::Value = match serde_json::from_str(&text) {
            Ok(v) => v,
            Err(_) => return bad("not a JSON object"),
        };
        let Some(object) = value.as_object() else {
            return bad("not a JSON object");
        };
        let mut fields = BTreeMap::new();
        for (k, v) in object {
            let v = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => String::new(),
                serde_json::Value::Number(_) | serde_json::Value::Bool(_) => v.to_string(),
                _ => return bad(&format!("field `{k}` is not a string")),
            };
            fields.insert(k.to_lowercase(), v);
        }
        Some(validate(line_no, fields))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rows(name: &str, text: &str) -> Vec<Result<Recipient, InvalidRow>> {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join(name);
        std::fs::write(&p, text).unwrap();
        open(&p).unwrap().collect()
    }

    #[test]
    fn csv_valid_and_invalid_rows_with_line_numbers() {
        let r = rows(
            "r.csv",
            "email,name,locale\nana@example.com,Ana,en\nnot-an-address,Bob,en\n,NoMail,en\n\"bob@example.com\",\"Bob\r\nBcc: x@y\",en\nc@example.com,C\n",
        );
        assert_eq!(r[0].as_ref().unwrap().email, "ana@example.com");
        assert_eq!(r[1].as_ref().unwrap_err().line, 3);
        assert!(r[1].as_ref().unwrap_err().reason.contains("invalid email"));
        assert!(r[2].as_ref().unwrap_err().reason.contains("no email"));
        assert!(r[3].as_ref().unwrap_err().reason.contains("line break"));
        assert!(r[4].as_ref().unwrap_err().reason.contains("2 columns"));
    }

    #[test]
    fn crlf_and_cr_lists_report_the_same_line_numbers_as_lf() {
        for eol in ["\n", "\r\n"] {
            let text = [
                "email,name",
                "a@example.com,A",
                "bad,B",
                "c@example.com,C,extra",
                "d@example.com,D",
            ]
            .join(eol)
                + eol;
            let r = rows("r.csv", &text);
            assert_eq!(r[0].as_ref().unwrap().line, 2, "{eol:?}");
            assert_eq!(r[1].as_ref().unwrap_err().line, 3, "{eol:?}");
            assert_eq!(r[2].as_ref().unwrap_err().line, 4, "{eol:?}");
            assert_eq!(r[3].as_ref().unwrap().line, 5, "{eol:?}");
            let json = [
                "{\"email\":\"a@example.com\"}",
                "bad",
                "{\"email\":\"d@example.com\"}",
            ]
            .join(eol)
                + eol;
            let r = rows("r.jsonl", &json);
            assert_eq!(r[1].as_ref().unwrap_err().line, 2, "{eol:?}");
            assert_eq!(r[2].as_ref().unwrap().line, 3, "{eol:?}");
        }
    }

    #[test]
    fn jsonl_rows() {
        let r = rows(
            "r.jsonl",
            "{\"email\":\"a@example.com\",\"name\":\"A\",\"tier\":3}\n\nnot json\n{\"name\":\"x\"}\n",
        );
        assert_eq!(r.len(), 3);
        assert_eq!(r[0].as_ref().unwrap().fields["tier"], "3");
        assert_eq!(r[1].as_ref().unwrap_err().line, 3);
        assert_eq!(r[2].as_ref().unwrap_err().line, 4);
    }

    #[test]
    fn a_csv_without_an_email_column_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("r.csv");
        std::fs::write(&p, "mail,name\na@example.com,A\n").unwrap();
        assert!(
            open(&p)
                .err()
                .unwrap()
                .to_string()
                .contains("no `email` column")
        );
    }
}
