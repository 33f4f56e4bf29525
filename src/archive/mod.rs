//! The archive: policy versions read from files, standard input or git
//! history (git2 only), the history of one policy file, and release tags.

mod history;
mod release;
mod spec;

use std::io::Read;
use std::path::{Path, PathBuf};

use git2::{ObjectType, Oid, Repository};

pub use history::{
    EntryMaker, Found, HistoryEntry, WalkProgress, entries, find_versions, find_versions_with,
    history, read_once,
};
pub use release::{
    Release, ReleaseRequest, check_release, create_release, effective_of_tag, latest_release,
    releases, tag_name,
};
pub use spec::{ORIGINAL_SUFFIX, Spec, original_base};

pub use crate::convert::ReadOptions;

/// Errors of the archive layer.
#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    /// A file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The input is not a policy text.
    #[error("{path}: {reason}")]
    BadInput {
        /// Where the input came from.
        path: String,
        /// What is wrong with it.
        reason: String,
    },
    /// No git repository where one is needed.
    #[error("not a git repository (or any parent up to /): {0}")]
    NotARepository(String),
    /// A revision that git cannot resolve.
    #[error("unknown revision '{rev}'{hint}")]
    UnknownRevision {
        /// The revision as given.
        rev: String,
        /// Extra help for the reader, starting with a separator.
        hint: String,
    },
    /// The path does not exist in the tree of a revision.
    #[error("'{path}' does not exist at revision '{rev}'")]
    PathNotAtRevision {
        /// The path inside the repository.
        path: String,
        /// The revision.
        rev: String,
    },
    /// A version spec that names no policy file.
    #[error("{0}")]
    Spec(String),
    /// A release that must not be made.
    #[error("{0}")]
    Refused(String),
    /// Any other git failure.
    #[error("git: {0}")]
    Git(#[from] git2::Error),
}

type Result<T> = std::result::Result<T, ArchiveError>;

/// Where a version's text came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    /// A file on disk.
    File,
    /// Standard input.
    Stdin,
    /// A blob in git history.
    Git {
        /// The commit the text was read at (full hex id).
        commit: String,
        /// Committer date of that commit, RFC 3339.
        date: String,
        /// A release tag pointing at that commit, if any.
        tag: Option<String>,
    },
}

/// One version of a policy text.
#[derive(Debug, Clone)]
pub struct Version {
    /// The spec the user gave (`v1`, `HEAD~2:policies/p.md`, a path, `-`).
    pub spec: String,
    /// The file's path (repository-relative for git versions).
    pub path: String,
    /// Where the text came from.
    pub origin: Origin,
    /// The text, valid UTF-8 (a Word document's text converted to Markdown).
    pub text: String,
    /// Notes from reading it, for the Report (a Word document's comments).
    pub notes: Vec<String>,
}

/// A policy text decoded from raw bytes, with notes from its conversion.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Decoded {
    /// The text (Markdown, for a converted document).
    pub text: String,
    /// Notes for the Report (a Word document's comments, with their authors).
    pub notes: Vec<String>,
}

/// Most bytes a Word document may inflate to: a policy's text limit, with
/// room for XML markup around it. Checked against what the zip declares
/// before anything is inflated.
pub const MAX_INFLATED_BYTES: u64 = MAX_POLICY_BYTES as u64 * 4;

/// Largest policy text accepted. Real policies are well under 1 MB; this only
/// stops a wrong argument (a log file, a disk image) from eating memory.
pub const MAX_POLICY_BYTES: usize = 16 * 1024 * 1024;

/// Check that raw bytes are a policy text and turn them into a string; a
/// Word document or a web page (by its extension) is converted into
/// Markdown.
pub fn decode(bytes: Vec<u8>, path: &str) -> Result<String> {
    decode_with(bytes, path, &ReadOptions::default()).map(|d| d.text)
}

/// [`decode`] with the options of the policy read (which part of a web page
/// is the policy) and the notes of a conversion (a Word document's
/// comments). `….docx#original` reads a Word document with its tracked
/// changes rejected.
pub fn decode_with(bytes: Vec<u8>, path: &str, options: &ReadOptions) -> Result<Decoded> {
    let Some(source) = crate::convert::Source::of_path(path) else {
        return Ok(Decoded {
            text: decode_text(bytes, path)?,
            notes: Vec::new(),
        });
    };
    if bytes.len() > MAX_POLICY_BYTES {
        return Err(too_large(path, bytes.len() as u64));
    }
    // A text format gets the checks (and messages) of a policy text first.
    let bytes = if source.is_text() {
        decode_text(bytes, path)?.into_bytes()
    } else {
        bytes
    };
    let converted = crate::convert::to_markdown(source, &bytes, options, MAX_INFLATED_BYTES)
        .map_err(|e| ArchiveError::BadInput {
            path: path.to_owned(),
            reason: e.to_string(),
        })?;
    Ok(Decoded {
        // The converted text passes the checks of any policy text.
        text: decode_text(converted.markdown.into_bytes(), path)?,
        notes: converted.notes,
    })
}

/// Check that raw bytes are a policy text and turn them into a string.
fn decode_text(bytes: Vec<u8>, path: &str) -> Result<String> {
    let bad = |reason: String| ArchiveError::BadInput {
        path: path.to_owned(),
        reason,
    };
    if bytes.len() > MAX_POLICY_BYTES {
        return Err(too_large(path, bytes.len() as u64));
    }
    // UTF-16 before the NUL test: its ASCII letters come with NUL bytes, and
    // text in other scripts may have none at all, only the byte-order mark.
    let utf16 = match bytes.as_slice() {
        [0xFF, 0xFE, 0, 0, ..] | [0, 0, 0xFE, 0xFF, ..] => Some(("UTF-32", "UTF-32")),
        [0xFF, 0xFE, ..] => Some(("UTF-16 (little-endian, with a byte-order mark)", "UTF-16")),
        [0xFE, 0xFF, ..] => Some(("UTF-16 (big-endian, with a byte-order mark)", "UTF-16")),
        _ => {
            // Without a mark: NULs in every other byte, all on one side.
            let sample = &bytes[..bytes.len().min(4096) & !1];
            let pairs = sample.len() / 2;
            let nul_at = |odd: usize| {
                sample
                    .iter()
                    .skip(odd)
                    .step_by(2)
                    .filter(|&&b| b == 0)
                    .count()
            };
            let (even, odd) = (nul_at(0), nul_at(1));
            if pairs >= 2 && odd * 10 >= pairs * 3 && even * 20 <= odd {
                Some(("UTF-16 (little-endian)", "UTF-16LE"))
            } else if pairs >= 2 && even * 10 >= pairs * 3 && odd * 20 <= even {
                Some(("UTF-16 (big-endian)", "UTF-16BE"))
            } else {
                None
            }
        }
    };
    if let Some((what, iconv)) = utf16 {
        return Err(bad(format!(
            "{what} text, not UTF-8; convert it first, e.g. iconv -f {iconv} -t UTF-8 FILE > out.md"
        )));
    }
    if let Some(at) = memchr_nul(&bytes) {
        let line = bytes[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        return Err(bad(format!(
            "binary data (NUL byte at line {line}): not a policy text"
        )));
    }
    let text = String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let raw = e.as_bytes();
        let line = raw[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        bad(format!(
            "not valid UTF-8 (line {line}, byte {at}); convert it first, e.g. iconv -f GB18030 -t UTF-8"
        ))
    })?;
    if text.trim().is_empty() {
        return Err(bad("empty: no policy text".into()));
    }
    Ok(text)
}

#[cfg(test)]
mod decode_tests {
    use super::decode;

    fn utf16(text: &str, big_endian: bool, bom: bool) -> Vec<u8> {
        let mut units: Vec<u16> = Vec::new();
        if bom {
            units.push(0xFEFF);
        }
        units.extend(text.encode_utf16());
        units
            .iter()
            .flat_map(|u| {
                if big_endian {
                    u.to_be_bytes()
                } else {
                    u.to_le_bytes()
                }
            })
            .collect()
    }

    fn reason(bytes: Vec<u8>) -> String {
        decode(bytes, "p.md").expect_err("refused").to_string()
    }

    /// Regression (issue 8): UTF-16 was reported as "binary data (NUL byte)".
    #[test]
    fn utf16_is_named_with_the_command_that_converts_it() {
        let text = "# Privacy Policy\n\nWe collect your email address.\n";
        for (big, bom, iconv) in [
            (false, true, "-f UTF-16 "),
            (true, true, "-f UTF-16 "),
            (false, false, "-f UTF-16LE "),
            (true, false, "-f UTF-16BE "),
        ] {
            let r = reason(utf16(text, big, bom));
            assert!(r.contains("UTF-16"), "{r}");
            assert!(r.contains(iconv) && r.contains("-t UTF-8"), "{r}");
            assert!(!r.contains("binary") && !r.contains('\n'), "{r}");
        }
        // Chinese text has no NUL byte in UTF-16: the byte-order mark tells.
        let r = reason(utf16("隐私政策：我们收集您的信息。\n", false, true));
        assert!(r.contains("UTF-16") && r.contains("iconv"), "{r}");
        let r = reason(vec![0xFF, 0xFE, 0, 0, b'a', 0, 0, 0]);
        assert!(r.contains("UTF-32"), "{r}");
    }

    #[test]
    fn utf8_binary_and_other_encodings_keep_their_messages() {
        assert!(decode(b"# Title\n\nText.\n".to_vec(), "p.md").is_ok());
        let r = reason(b"\x7fELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x03\0>\0".to_vec());
        assert!(r.contains("binary data (NUL byte"), "{r}");
        let r = reason(b"text\nmore\0\n".to_vec());
        assert!(r.contains("binary data (NUL byte at line 2"), "{r}");
        let r = reason(vec![b'a', 0xB2, 0xBB, b'\n']);
        assert!(r.contains("not valid UTF-8"), "{r}");
    }
}

fn too_large(path: &str, len: u64) -> ArchiveError {
    ArchiveError::BadInput {
        path: path.to_owned(),
        reason: format!(
            "{:.1} MiB is larger than the {} MiB limit for a policy text",
            len as f64 / (1024.0 * 1024.0),
            MAX_POLICY_BYTES / (1024 * 1024)
        ),
    }
}

fn memchr_nul(bytes: &[u8]) -> Option<usize> {
    // The memchr crate's SIMD search: a tenth of core's per byte, on every
    // policy text read.
    memchr::memchr(0, bytes)
}

/// Read a policy file from disk.
///
/// Only a regular file is read (a device, FIFO or socket could be endless or
/// block forever; `-` is the way to pipe a text in), and never more than the
/// size limit plus one byte, whatever the file claims its size is.
pub fn read_file(path: &Path) -> Result<String> {
    read_file_decoded(path).map(|d| d.text)
}

/// [`read_file`] with the notes of a conversion. `draft.docx#original`
/// reads `draft.docx` (unless a file of that very name exists) with its
/// tracked changes rejected.
pub fn read_file_decoded(path: &Path) -> Result<Decoded> {
    read_file_with(path, &ReadOptions::default())
}

/// [`read_file_decoded`] with the options of the policy read.
pub fn read_file_with(path: &Path, options: &ReadOptions) -> Result<Decoded> {
    let shown = path.display().to_string();
    let base = match original_base(&shown) {
        Some(base) if !path.exists() => PathBuf::from(base),
        _ => path.to_path_buf(),
    };
    let path = base.as_path();
    let io = |source| ArchiveError::Io {
        path: shown.clone(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(io)?;
    let bad = |reason: &str| ArchiveError::BadInput {
        path: shown.clone(),
        reason: reason.into(),
    };
    if meta.is_dir() {
        return Err(bad("is a directory, not a policy file"));
    }
    if !meta.is_file() {
        return Err(bad(
            "is not a regular file (a device, pipe or socket); save the text to a file, or pipe it in as - (standard input)",
        ));
    }
    if meta.len() > MAX_POLICY_BYTES as u64 {
        return Err(too_large(&shown, meta.len()));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    file.take(MAX_POLICY_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(io)?;
    if bytes.len() > MAX_POLICY_BYTES {
        return Err(more_than_limit(&shown));
    }
    decode_with(bytes, &shown, options)
}

/// A text cut off at the limit: its real size is unknown, so say "more than".
fn more_than_limit(path: &str) -> ArchiveError {
    ArchiveError::BadInput {
        path: path.into(),
        reason: format!(
            "more than the {} MiB limit for a policy text",
            MAX_POLICY_BYTES / (1024 * 1024)
        ),
    }
}

/// Tag names by the commit they point at, sorted.
pub type Tags = std::collections::HashMap<Oid, Vec<String>>;

/// A git repository holding policy history.
pub struct Archive {
    repo: Repository,
    /// How files are read, by repository path (a policy's `select`).
    read_options: std::collections::HashMap<String, ReadOptions>,
}

impl Archive {
    /// Find the repository containing `dir`.
    pub fn discover(dir: &Path) -> Result<Archive> {
        // Like git itself, trust the object store on read instead of re-hashing
        // every object (about a tenth of the time of a history walk); `git fsck`
        // is the integrity check.
        git2::opts::strict_hash_verification(false);
        Repository::discover(dir)
            .map(|repo| Archive {
                repo,
                read_options: std::collections::HashMap::new(),
            })
            .map_err(|_| ArchiveError::NotARepository(dir.display().to_string()))
    }

    /// Read the file at `path` (repository-relative) with `options` from now
    /// on: the caller knows which policy lives there; the archive reads no
    /// configuration.
    pub fn set_read_options(&mut self, path: String, options: ReadOptions) {
        self.read_options.insert(path, options);
    }

    /// How to read the file at `path`.
    fn read_options(&self, path: &str) -> &ReadOptions {
        static DEFAULT: std::sync::LazyLock<ReadOptions> =
            std::sync::LazyLock::new(ReadOptions::default);
        self.read_options.get(path).unwrap_or(&DEFAULT)
    }

    /// The underlying repository.
    pub fn repo(&self) -> &Repository {
        &self.repo
    }

    /// The working tree root.
    pub fn workdir(&self) -> Result<&Path> {
        self.repo.workdir().ok_or_else(|| {
            ArchiveError::Spec("the repository is bare: it has no working tree".into())
        })
    }

    /// A path as seen from the repository root ('/'-separated), from a path
    /// relative to `cwd` or absolute.
    pub fn repo_path(&self, cwd: &Path, path: &Path) -> Result<String> {
        let root = std::fs::canonicalize(self.workdir()?)
            .unwrap_or_else(|_| self.workdir().map(Path::to_path_buf).unwrap_or_default());
        let abs = if path.is_absolute() {
            path.to_path_buf()
        } else {
            cwd.join(path)
        };
        let abs = normalize_path(&std::fs::canonicalize(&abs).unwrap_or(abs));
        let rel = abs.strip_prefix(&root).map_err(|_| {
            ArchiveError::Spec(format!(
                "{} is outside the repository at {}",
                path.display(),
                root.display()
            ))
        })?;
        Ok(rel
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/"))
    }

    /// Resolve a revision to a commit id.
    pub fn commit_id(&self, rev: &str) -> Result<Oid> {
        let object = self
            .repo
            .revparse_single(&format!("{rev}^{{commit}}"))
            .map_err(|_| ArchiveError::UnknownRevision {
                rev: rev.to_owned(),
                hint: if self.repo.head().is_err() {
                    ": the repository has no commits yet".into()
                } else {
                    String::new()
                },
            })?;
        Ok(object.id())
    }

    /// The text of `path` (repository-relative) at revision `rev`.
    pub fn read_at(&self, rev: &str, path: &str, spec: &str) -> Result<Version> {
        self.read_at_tagged(rev, path, spec, &self.tags_by_commit()?)
    }

    /// [`Archive::read_at`] with the tags already looked up (many reads, one scan).
    pub fn read_at_tagged(
        &self,
        rev: &str,
        path: &str,
        spec: &str,
        tags: &Tags,
    ) -> Result<Version> {
        let id = self.commit_id(rev)?;
        let commit = self.repo.find_commit(id)?;
        let tree = commit.tree()?;
        let lookup = original_base(path).unwrap_or(path);
        let entry =
            tree.get_path(Path::new(lookup))
                .map_err(|_| ArchiveError::PathNotAtRevision {
                    path: path.to_owned(),
                    rev: rev.to_owned(),
                })?;
        if entry.kind() != Some(ObjectType::Blob) {
            return Err(ArchiveError::BadInput {
                path: format!("{rev}:{path}"),
                reason: "is a directory at that revision, not a policy file".into(),
            });
        }
        let blob = self.repo.find_blob(entry.id())?;
        let Decoded { text, notes } = decode_with(
            blob.content().to_vec(),
            &format!("{rev}:{path}"),
            self.read_options(path),
        )?;
        let tag = tags.get(&id).and_then(|v| pick_tag(v, Some(rev)));
        Ok(Version {
            spec: spec.to_owned(),
            path: path.to_owned(),
            origin: Origin::Git {
                commit: id.to_string(),
                date: format_time(commit.committer().when()),
                tag,
            },
            text,
            notes,
        })
    }

    /// The version a history entry introduced, read by its blob id (no
    /// revision or path lookup: `log` reads hundreds of them).
    pub fn read_entry(&self, entry: &HistoryEntry, path: &str, tags: &Tags) -> Result<Version> {
        let blob = self.repo.find_blob(entry.blob)?;
        let spec = &entry.commit[..entry.commit.len().min(12)];
        let Decoded { text, notes } = decode_with(
            blob.content().to_vec(),
            &format!("{spec}:{path}"),
            self.read_options(path),
        )?;
        Ok(self.version_of_entry(entry, path, tags, text, notes))
    }

    /// Tag names by the commit they point at (annotated or lightweight).
    pub fn tags_by_commit(&self) -> Result<Tags> {
        let mut map: std::collections::HashMap<Oid, Vec<String>> = std::collections::HashMap::new();
        for name in self.repo.tag_names(None)?.iter().flatten().flatten() {
            if let Ok(obj) = self
                .repo
                .revparse_single(&format!("refs/tags/{name}^{{commit}}"))
            {
                map.entry(obj.id()).or_default().push(name.to_owned());
            }
        }
        for names in map.values_mut() {
            names.sort();
        }
        Ok(map)
    }
}

/// Which of the tags at one commit names a version: the one the user wrote
/// (`rev`), else a release tag (`<policy>/<YYYY-MM-DD>`, the latest), else the
/// last by name.
fn pick_tag(names: &[String], rev: Option<&str>) -> Option<String> {
    let rev = rev.map(|r| r.strip_prefix("refs/tags/").unwrap_or(r));
    if let Some(r) = rev
        && names.iter().any(|n| n == r)
    {
        return Some(r.to_owned());
    }
    let is_release = |n: &&String| {
        n.rsplit_once('/')
            .is_some_and(|(policy, _)| effective_of_tag(policy, n).is_some())
    };
    names
        .iter()
        .filter(is_release)
        .max_by_key(|n| n.rsplit_once('/').map(|(_, d)| d.to_owned()))
        .or_else(|| names.last())
        .cloned()
}

/// Collapse `.` and `..` components without touching the file system.
pub fn normalize_path(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            c => out.push(c),
        }
    }
    out
}

/// A git time as RFC 3339 in its own offset.
pub fn format_time(when: git2::Time) -> String {
    let offset = time::UtcOffset::from_whole_seconds(when.offset_minutes() * 60)
        .unwrap_or(time::UtcOffset::UTC);
    time::OffsetDateTime::from_unix_timestamp(when.seconds())
        .map(|t| t.to_offset(offset))
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_default()
}

/// Read standard input as a policy text.
pub fn read_stdin() -> Result<String> {
    let mut bytes = Vec::new();
    std::io::stdin()
        .take(MAX_POLICY_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|source| ArchiveError::Io {
            path: "<stdin>".into(),
            source,
        })?;
    if bytes.len() > MAX_POLICY_BYTES {
        return Err(more_than_limit("<stdin>"));
    }
    decode(bytes, "<stdin>")
}

#[cfg(test)]
mod tests {
    use super::pick_tag;

    #[test]
    fn the_named_tag_wins_then_release_tags() {
        let names: Vec<String> = ["privacy-policy/2025-07-09", "v1", "zz"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        assert_eq!(
            pick_tag(&names, Some("privacy-policy/2025-07-09")).as_deref(),
            Some("privacy-policy/2025-07-09")
        );
        assert_eq!(pick_tag(&names, Some("v1")).as_deref(), Some("v1"));
        assert_eq!(
            pick_tag(&names, Some("HEAD")).as_deref(),
            Some("privacy-policy/2025-07-09")
        );
        assert_eq!(
            pick_tag(&names[1..], None).as_deref(),
            Some("zz"),
            "no release tag: the last by name"
        );
    }
}
