//! Where command output goes: standard output, one file written all or
//! nothing, or a tree of files (the site) that replaces only a tree of ours.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

/// Name of the manifest `site` writes into its output directory. Its presence
/// is what lets a later run replace the directory; it lists every file written.
pub const SITE_MANIFEST: &str = ".policydiff-site";

fn io_err(path: &Path) -> impl FnOnce(std::io::Error) -> Error + use<> {
    let path = path.display().to_string();
    move |source| Error::Io { path, source }
}

/// Write to a file or to standard output.
pub fn emit(bytes: &[u8], path: Option<&Path>) -> Result<()> {
    match path {
        Some(p) => write_atomic(p, bytes),
        None => write_stdout(bytes),
    }
}

/// Write standard output; a closed pipe (`| head`) ends quietly.
pub fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    stdout_result(out.write_all(bytes).and_then(|()| out.flush()))
}

/// A closed pipe (`| head`) ends quietly; any other write error is one.
pub(crate) fn stdout_result(r: std::io::Result<()>) -> Result<()> {
    match r {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(|source| Error::Io {
            path: "<stdout>".into(),
            source,
        }),
    }
}

/// Write a file all or nothing: a temporary file in the same directory, synced,
/// then renamed over the target.
///
/// Only a regular file (or a path that does not exist yet) is replaced that
/// way. A symbolic link is followed, so the file it points at is replaced and
/// the link stays. A character device, FIFO or socket (`/dev/stdout`, a pipe)
/// is written through: renaming over it would destroy the node and the reader
/// would get nothing.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let target = match std::fs::metadata(path) {
        Ok(meta) if meta.is_dir() => {
            return Err(Error::Usage(format!(
                "{}: is a directory; give a file name",
                path.display()
            )));
        }
        Ok(meta) if !meta.is_file() => return write_through(path, bytes),
        // A link to a regular file: replace the file, keep the link.
        Ok(_) if is_symlink(path) => std::fs::canonicalize(path).map_err(io)?,
        _ => path.to_path_buf(),
    };
    let dir = match target.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    // Mode 0666 before the umask, like any new file (tempfile's default is 0600);
    // an existing file keeps its own mode.
    let mut builder = tempfile::Builder::new();
    builder.prefix(".policydiff-");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(&dir).map_err(io)?;
    if let Ok(meta) = std::fs::metadata(&target) {
        tmp.as_file()
            .set_permissions(meta.permissions())
            .map_err(io)?;
    }
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(&target).map_err(|e| io(e.error))?;
    Ok(())
}

fn is_symlink(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink())
}

/// Write into an existing non-regular file (device, FIFO, socket) as a shell
/// redirection would. A short write or a full device is an error.
fn write_through(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = io_err(path);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .map_err(io_err(path))?;
    f.write_all(bytes).and_then(|()| f.flush()).map_err(io)
}

/// Paths that `site --out` must never replace or contain: the repository
/// root, the config's directory and the policy files.
#[derive(Debug, Default)]
pub struct Protected {
    /// Directories the output may not be nor contain.
    pub dirs: Vec<PathBuf>,
    /// Files the output may not contain.
    pub files: Vec<PathBuf>,
}

/// Write a tree of files all or nothing: into a fresh directory beside the
/// target, then swapped into place (the old one removed only after).
///
/// `dir` may be replaced only when it does not exist, is empty, or holds a
/// site written by this function (its [`SITE_MANIFEST`] lists every file in
/// it); anything else is refused, naming what is there. The manifest is
/// written into the new tree.
pub fn write_tree(dir: &Path, files: &[(String, String)], protected: &Protected) -> Result<()> {
    let abs = absolute(dir)?;
    check_not_protected(dir, &abs, protected)?;
    match std::fs::symlink_metadata(&abs) {
        Ok(m) if m.file_type().is_symlink() => {
            return Err(Error::Usage(format!(
                "{}: is a symbolic link; give the directory itself",
                dir.display()
            )));
        }
        Ok(m) if !m.is_dir() => {
            return Err(Error::Usage(format!(
                "{}: exists and is not a directory",
                dir.display()
            )));
        }
        Ok(_) => check_ours(dir, &abs)?,
        Err(_) => {}
    }
    let parent = match abs.parent() {
        Some(p) => p.to_path_buf(),
        None => {
            return Err(Error::Usage(format!(
                "{}: the root directory cannot be a site",
                dir.display()
            )));
        }
    };
    std::fs::create_dir_all(&parent).map_err(io_err(&parent))?;
    // Dropped on any error below: the staging tree is removed with it.
    let staging = tempfile::Builder::new()
        .prefix(".policydiff-site-")
        .tempdir_in(&parent)
        .map_err(io_err(&parent))?;
    let mut manifest = String::from(
        "# Written by `policydiff site`. The whole directory is replaced on the next run;\n\
         # a file not listed here makes that run refuse, so nothing of yours is lost.\n",
    );
    for (rel, contents) in files {
        let path = staging.path().join(rel);
        if let Some(p) = path.parent() {
            std::fs::create_dir_all(p).map_err(io_err(p))?;
        }
        std::fs::write(&path, contents).map_err(io_err(&path))?;
        manifest.push_str(rel);
        manifest.push('\n');
    }
    let mpath = staging.path().join(SITE_MANIFEST);
    std::fs::write(&mpath, manifest).map_err(io_err(&mpath))?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        // tempdir makes 0700: a site is for publishing.
        let _ = std::fs::set_permissions(staging.path(), std::fs::Permissions::from_mode(0o755));
    }
    if abs.exists() {
        let old = tempfile::Builder::new()
            .prefix(".policydiff-old-")
            .tempdir_in(&parent)
            .map_err(io_err(&parent))?;
        let old_site = old.path().join("site");
        std::fs::rename(&abs, &old_site).map_err(io_err(dir))?;
        if let Err(e) = std::fs::rename(staging.path(), &abs) {
            // Put the previous site back; the staging tree goes with `staging`.
            let _ = std::fs::rename(&old_site, &abs);
            return Err(io_err(dir)(e));
        }
        // `old` removes the previous site when dropped.
    } else {
        std::fs::rename(staging.path(), &abs).map_err(io_err(dir))?;
    }
    // Renamed away: nothing left for the guard to remove.
    let _ = staging.keep();
    Ok(())
}

/// An absolute, normalised form of `path` (symbolic links resolved as far as
/// the path exists).
fn absolute(path: &Path) -> Result<PathBuf> {
    let cwd = std::env::current_dir().map_err(io_err(Path::new(".")))?;
    let joined = cwd.join(path);
    // Resolve the longest existing prefix, then append the rest.
    let mut existing = joined.as_path();
    let mut rest = Vec::new();
    loop {
        if let Ok(real) = std::fs::canonicalize(existing) {
            let mut out = real;
            for part in rest.iter().rev() {
                out.push(part);
            }
            return Ok(crate::archive::normalize_path(&out));
        }
        match (existing.parent(), existing.file_name()) {
            (Some(parent), Some(name)) => {
                rest.push(name.to_owned());
                existing = parent;
            }
            _ => return Ok(crate::archive::normalize_path(&joined)),
        }
    }
}

fn check_not_protected(shown: &Path, abs: &Path, protected: &Protected) -> Result<()> {
    for d in &protected.dirs {
        let d = absolute(d)?;
        if d.starts_with(abs) {
            return Err(Error::Usage(format!(
                "--out {}: would replace {}, which holds the repository or its configuration; give a directory of its own, e.g. --out site",
                shown.display(),
                d.display()
            )));
        }
    }
    for f in &protected.files {
        let f = absolute(f)?;
        if f.starts_with(abs) {
            return Err(Error::Usage(format!(
                "--out {}: would replace the policy file {}; give a directory of its own, e.g. --out site",
                shown.display(),
                f.display()
            )));
        }
    }
    Ok(())
}

/// Refuse an existing directory that is neither empty nor a site of ours.
fn check_ours(shown: &Path, abs: &Path) -> Result<()> {
    let io = io_err(shown);
    let mut entries: Vec<String> = std::fs::read_dir(abs)
        .map_err(io)?
        .filter_map(|e| e.ok())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    if entries.is_empty() {
        return Ok(());
    }
    entries.sort();
    let listed = |names: &[String]| {
        let mut s = names
            .iter()
            .take(5)
            .map(|n| n.as_str())
            .collect::<Vec<_>>()
            .join(", ");
        if names.len() > 5 {
            s.push_str(&format!(" and {} more", names.len() - 5));
        }
        s
    };
    let Ok(manifest) = std::fs::read_to_string(abs.join(SITE_MANIFEST)) else {
        return Err(Error::Usage(format!(
            "--out {}: the directory is not empty ({}) and was not written by `policydiff site`; refusing to replace it: give an empty or new directory",
            shown.display(),
            listed(&entries)
        )));
    };
    // Every file in the tree must be one the manifest lists, or it would be lost.
    let known: std::collections::HashSet<&str> = manifest
        .lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .collect();
    let mut foreign = Vec::new();
    let mut stack = vec![abs.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).map_err(io_err(&d))?.flatten() {
            let p = e.path();
            let rel = p
                .strip_prefix(abs)
                .map(|r| r.to_string_lossy().replace('\\', "/"))
                .unwrap_or_default();
            match e.file_type() {
                Ok(t) if t.is_dir() => stack.push(p),
                _ if rel == SITE_MANIFEST || known.contains(rel.as_str()) => {}
                _ => foreign.push(rel),
            }
        }
    }
    if !foreign.is_empty() {
        foreign.sort();
        return Err(Error::Usage(format!(
            "--out {}: holds files that `policydiff site` did not write ({}); refusing to replace it: move them out first",
            shown.display(),
            listed(&foreign)
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_only_our_own_tree() {
        let tmp = tempfile::tempdir().unwrap();
        let site = tmp.path().join("site");
        let files = vec![("index.html".to_owned(), "x".to_owned())];
        write_tree(&site, &files, &Protected::default()).unwrap();
        assert!(site.join(SITE_MANIFEST).is_file());
        // Ours: replaced.
        write_tree(&site, &files, &Protected::default()).unwrap();
        // A file of the user's inside it: refused, file kept.
        std::fs::write(site.join("CNAME"), "example.com").unwrap();
        let e = write_tree(&site, &files, &Protected::default()).unwrap_err();
        assert!(e.to_string().contains("CNAME"), "{e}");
        assert_eq!(
            std::fs::read_to_string(site.join("CNAME")).unwrap(),
            "example.com"
        );
        // Nothing left beside it.
        let left: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .flatten()
            .map(|e| e.file_name())
            .collect();
        assert_eq!(left, vec![std::ffi::OsString::from("site")]);
    }

    #[test]
    fn refuses_protected_paths() {
        let tmp = tempfile::tempdir().unwrap();
        let repo = tmp.path().join("repo");
        std::fs::create_dir_all(repo.join("policies")).unwrap();
        std::fs::write(repo.join("policies/p.md"), "x").unwrap();
        let protected = Protected {
            dirs: vec![repo.clone()],
            files: vec![repo.join("policies/p.md")],
        };
        let files = vec![("index.html".to_owned(), "x".to_owned())];
        for out in [
            repo.clone(),
            repo.join("policies"),
            tmp.path().to_path_buf(),
        ] {
            assert!(write_tree(&out, &files, &protected).is_err(), "{out:?}");
        }
        assert!(repo.join("policies/p.md").is_file());
        write_tree(&repo.join("site"), &files, &protected).unwrap();
    }
}
