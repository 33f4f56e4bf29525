//! Version specs as the user writes them (`-`, a file, `REV:PATH`, `REV`)
//! and the versions they name.

use std::path::{Path, PathBuf};

use super::{Archive, Origin, ReadOptions, Result, Version, read_file_with, read_stdin};

/// The suffix that asks for a Word document's text with its tracked
/// changes rejected: `draft.docx#original`, `REV:path/draft.docx#original`.
pub const ORIGINAL_SUFFIX: &str = "#original";

/// The Word document a `….docx#original` name reads, or `None` when the
/// name has no such suffix (or names no `.docx`).
pub fn original_base(name: &str) -> Option<&str> {
    name.strip_suffix(ORIGINAL_SUFFIX)
        .filter(|base| base.to_ascii_lowercase().ends_with(".docx"))
}

/// How a version spec is to be read. Resolution order: `-`; an existing file;
/// `REV:PATH`; a bare `REV` meaning the configured policy file at `REV`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Spec {
    /// Standard input.
    Stdin,
    /// A file on disk.
    File(PathBuf),
    /// A path at a revision; `path` is relative to the repository root unless it
    /// starts with `./` (relative to the current directory, as in git).
    RevPath {
        /// The revision.
        rev: String,
        /// The path.
        path: String,
    },
    /// The configured policy file at a revision.
    Rev(String),
}

impl Spec {
    /// Classify a spec string as the user wrote it, relative to `cwd`.
    pub fn parse(spec: &str, cwd: &Path) -> Spec {
        if spec == "-" {
            return Spec::Stdin;
        }
        let as_path = cwd.join(spec);
        // `draft.docx#original`: the file is draft.docx; the suffix is read
        // when the file is (see `read_file_decoded`).
        if as_path.exists() || original_base(spec).is_some_and(|base| cwd.join(base).is_file()) {
            return Spec::File(as_path);
        }
        if let Some((rev, path)) = spec.split_once(':')
            && !rev.is_empty()
            && !path.is_empty()
        {
            return Spec::RevPath {
                rev: rev.to_owned(),
                path: path.to_owned(),
            };
        }
        Spec::Rev(spec.to_owned())
    }
}

impl Version {
    /// The text of a file on disk, named as the user wrote it.
    pub fn from_file(spec: &str, path: &Path) -> Result<Version> {
        Version::from_file_with(spec, path, &ReadOptions::default())
    }

    /// [`Version::from_file`] with the options of the policy read.
    pub fn from_file_with(spec: &str, path: &Path, options: &ReadOptions) -> Result<Version> {
        let decoded = read_file_with(path, options)?;
        Ok(Version {
            spec: spec.into(),
            path: spec.into(),
            origin: Origin::File,
            text: decoded.text,
            notes: decoded.notes,
        })
    }

    /// The working-tree file of a configured policy (`path` as configured).
    pub fn from_policy_file(path: &str, file: &Path, options: &ReadOptions) -> Result<Version> {
        let decoded = read_file_with(file, options)?;
        Ok(Version {
            spec: path.into(),
            path: path.into(),
            origin: Origin::File,
            text: decoded.text,
            notes: decoded.notes,
        })
    }

    /// Standard input.
    pub fn from_stdin(spec: &str) -> Result<Version> {
        Ok(Version {
            spec: spec.into(),
            path: "<stdin>".into(),
            origin: Origin::Stdin,
            text: read_stdin()?,
            notes: Vec::new(),
        })
    }
}

impl Archive {
    /// `REV:PATH`: PATH from the repository root, or `./PATH` from `cwd` (as
    /// in git).
    pub fn read_rev_path(&self, cwd: &Path, rev: &str, path: &str, spec: &str) -> Result<Version> {
        let path = match path.strip_prefix("./") {
            Some(_) => self.repo_path(cwd, Path::new(path))?,
            None => path.to_owned(),
        };
        self.read_at(rev, &path, spec)
    }
}
