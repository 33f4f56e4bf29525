//! Release tags. Scheme: an annotated tag `<policy>/<YYYY-MM-DD>` (the policy's
//! name from policydiff.toml and its effective date) on the released commit.
//! The message's first line is `<policy>: effective <date>`, then the summary
//! of changes since the previous release, then trailers `Policy:`,
//! `Effective-Date:` and `Previous-Release:` for machines.

use git2::{ObjectType, Oid, Status};

use super::{Archive, ArchiveError, Result};

/// A release of one policy.
#[derive(Debug, Clone)]
pub struct Release {
    /// Tag name.
    pub tag: String,
    /// The commit it points at.
    pub commit: Oid,
    /// Effective date, `YYYY-MM-DD`.
    pub effective: String,
}

/// The tag name of a release.
pub fn tag_name(policy: &str, effective: &str) -> String {
    format!("{policy}/{effective}")
}

/// The effective date in a tag name of `policy`'s scheme, if it is one.
pub fn effective_of_tag<'a>(policy: &str, tag: &'a str) -> Option<&'a str> {
    let date = tag.strip_prefix(policy)?.strip_prefix('/')?;
    let ok = date.len() == 10
        && date.char_indices().all(|(i, c)| {
            if i == 4 || i == 7 {
                c == '-'
            } else {
                c.is_ascii_digit()
            }
        });
    ok.then_some(date)
}

/// Every release of `policy`, oldest effective date first.
pub fn releases(archive: &Archive, policy: &str) -> Result<Vec<Release>> {
    Ok(releases_in(&archive.tags_by_commit()?, policy))
}

/// Every release of `policy` among tags already listed by commit
/// ([`Archive::tags_by_commit`]), oldest effective date first: what
/// [`releases`] gives, for a walk over hundreds of policies that lists the
/// tags once.
pub fn releases_in(tags: &super::Tags, policy: &str) -> Vec<Release> {
    let mut out: Vec<Release> = tags
        .iter()
        .flat_map(|(commit, names)| names.iter().map(move |n| (*commit, n)))
        .filter_map(|(commit, name)| {
            let effective = effective_of_tag(policy, name)?;
            Some(Release {
                tag: name.clone(),
                commit,
                effective: effective.to_owned(),
            })
        })
        .collect();
    out.sort_by(|a, b| a.effective.cmp(&b.effective));
    out
}

/// The release with the latest effective date.
pub fn latest_release(archive: &Archive, policy: &str) -> Result<Option<Release>> {
    Ok(releases(archive, policy)?.pop())
}

/// What to release.
#[derive(Debug, Clone)]
pub struct ReleaseRequest<'a> {
    /// Policy name (tag prefix).
    pub policy: &'a str,
    /// Repository-relative path of the policy file.
    pub path: &'a str,
    /// Effective date, already validated as `YYYY-MM-DD`.
    pub effective: &'a str,
    /// Full tag message (title, summary, trailers).
    pub message: &'a str,
    /// Release even when the text is the same as at the previous release.
    pub allow_unchanged: bool,
}

/// Why a release may not be made, if anything: checked before any summary is
/// computed so the user hears the simple reason first.
pub fn check_release(archive: &Archive, req: &ReleaseRequest<'_>) -> Result<Option<Release>> {
    let repo = archive.repo();
    let status = repo
        .status_file(std::path::Path::new(req.path))
        .unwrap_or(Status::CURRENT);
    if status.intersects(
        Status::WT_MODIFIED
            | Status::WT_DELETED
            | Status::WT_NEW
            | Status::INDEX_MODIFIED
            | Status::INDEX_NEW
            | Status::INDEX_DELETED
            | Status::WT_RENAMED
            | Status::INDEX_RENAMED,
    ) {
        return Err(ArchiveError::Refused(format!(
            "{} has uncommitted changes: commit them first, so the release is exactly what is in git",
            req.path
        )));
    }
    let head = archive.commit_id("HEAD")?;
    let head_blob = repo
        .find_commit(head)?
        .tree()?
        .get_path(std::path::Path::new(req.path))
        .map_err(|_| ArchiveError::PathNotAtRevision {
            path: req.path.to_owned(),
            rev: "HEAD".into(),
        })?
        .id();
    let tag = tag_name(req.policy, req.effective);
    if repo.refname_to_id(&format!("refs/tags/{tag}")).is_ok() {
        return Err(ArchiveError::Refused(format!("tag {tag} already exists")));
    }
    let previous = latest_release(archive, req.policy)?;
    if let Some(prev) = &previous {
        if req.effective <= prev.effective.as_str() {
            return Err(ArchiveError::Refused(format!(
                "effective date {} is not after the latest release {} (effective {})",
                req.effective, prev.tag, prev.effective
            )));
        }
        let prev_blob = repo
            .find_commit(prev.commit)?
            .tree()?
            .get_path(std::path::Path::new(req.path))
            .ok()
            .map(|e| e.id());
        if prev_blob == Some(head_blob) && !req.allow_unchanged {
            return Err(ArchiveError::Refused(format!(
                "{} has not changed since {}: nothing to release (use --allow-unchanged to re-release the same text)",
                req.path, prev.tag
            )));
        }
    }
    repo.signature().map_err(|_| {
        ArchiveError::Refused(
            "no git identity: set user.name and user.email (git config user.name \"…\"; git config user.email …) so the release tag records who made it".into(),
        )
    })?;
    Ok(previous)
}

/// Create the annotated release tag on HEAD. Call [`check_release`] first.
///
/// Check and tag happen under an exclusive lock on a file in the git
/// directory, so two concurrent releases cannot both pass the check: the
/// second one sees the first one's tag and is refused.
pub fn create_release(archive: &Archive, req: &ReleaseRequest<'_>) -> Result<Release> {
    let _lock = lock_releases(archive)?;
    check_release(archive, req)?;
    let repo = archive.repo();
    let head = archive.commit_id("HEAD")?;
    let target = repo.find_object(head, Some(ObjectType::Commit))?;
    let tagger = repo.signature()?;
    let tag = tag_name(req.policy, req.effective);
    // force = false: never move an existing tag, even if one appeared meanwhile.
    repo.tag(&tag, &target, &tagger, req.message, false)?;
    Ok(Release {
        tag,
        commit: head,
        effective: req.effective.to_owned(),
    })
}

/// An exclusive advisory lock held while it lives (released on drop, or when
/// the process dies).
struct ReleaseLock(#[allow(dead_code)] std::fs::File);

fn lock_releases(archive: &Archive) -> Result<ReleaseLock> {
    let path = archive.repo().path().join("policydiff-release.lock");
    let io = |source| ArchiveError::Io {
        path: path.display().to_string(),
        source,
    };
    let file = std::fs::OpenOptions::new()
        .create(true)
        .truncate(false)
        .write(true)
        .open(&path)
        .map_err(io)?;
    #[cfg(unix)]
    {
        use std::os::unix::io::AsRawFd;
        // SAFETY: flock on a file descriptor we own; blocks until the other
        // release is done.
        if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX) } != 0 {
            return Err(io(std::io::Error::last_os_error()));
        }
    }
    Ok(ReleaseLock(file))
}
