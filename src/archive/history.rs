//! The history of one policy file: every commit that changed its bytes.

use std::collections::HashMap;
use std::path::Path;

use git2::{Oid, Sort};

use super::{Archive, Result, format_time};

/// One version of the policy file in git history.
#[derive(Debug, Clone, serde::Serialize)]
pub struct HistoryEntry {
    /// Full commit id.
    pub commit: String,
    /// Committer date, RFC 3339.
    pub date: String,
    /// Author as `Name <email>`.
    pub author: String,
    /// First line of the commit message.
    pub subject: String,
    /// Release tag of this policy on this commit, if released.
    pub tag: Option<String>,
    /// Effective date of that release (`YYYY-MM-DD`).
    pub effective: Option<String>,
    /// Blob id of the policy text at this commit.
    #[serde(skip)]
    pub blob: Oid,
}

/// Every commit reachable from HEAD whose version of `path` differs from each
/// of its parents' (or that adds it), newest first. `policy` names the policy
/// whose release tags are reported.
pub fn history(archive: &Archive, path: &str, policy: &str) -> Result<Vec<HistoryEntry>> {
    let repo = archive.repo();
    let head = match repo.head() {
        Ok(h) => h,
        Err(_) => return Ok(Vec::new()),
    };
    let Some(head) = head.target() else {
        return Ok(Vec::new());
    };
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME)?;
    walk.push(head)?;

    // Blob id of the path per commit, and per root tree (commits that share a
    // tree share the answer). Every commit is looked up once even though it is
    // asked about again as a parent.
    let mut by_commit: HashMap<Oid, Option<Oid>> = HashMap::new();
    let mut by_tree: HashMap<Oid, Option<Oid>> = HashMap::new();
    let mut blob_at = |id: Oid| -> Result<Option<Oid>> {
        if let Some(b) = by_commit.get(&id) {
            return Ok(*b);
        }
        let tree_id = repo.find_commit(id)?.tree_id();
        let b = match by_tree.get(&tree_id) {
            Some(b) => *b,
            None => {
                let b = repo
                    .find_tree(tree_id)?
                    .get_path(Path::new(path))
                    .ok()
                    .map(|e| e.id());
                by_tree.insert(tree_id, b);
                b
            }
        };
        by_commit.insert(id, b);
        Ok(b)
    };

    let mut releases: HashMap<Oid, super::Release> = HashMap::new();
    for r in super::releases(archive, policy)? {
        if let Some(b) = blob_at(r.commit)? {
            releases.insert(b, r);
        }
    }

    let mut out = Vec::new();
    for id in walk {
        let id = id?;
        let Some(blob) = blob_at(id)? else {
            continue;
        };
        let commit = repo.find_commit(id)?;
        // A merge that takes one side's text brings no new version.
        let mut changed = true;
        for parent in commit.parent_ids() {
            if blob_at(parent)? == Some(blob) {
                changed = false;
            }
        }
        if !changed {
            continue;
        }
        let author = commit.author();
        // A release tag may sit on a later commit that left the text alone:
        // it releases the version that introduced those bytes.
        let release = releases.remove(&blob);
        out.push(HistoryEntry {
            commit: id.to_string(),
            date: format_time(commit.committer().when()),
            author: format!(
                "{} <{}>",
                String::from_utf8_lossy(author.name_bytes()),
                String::from_utf8_lossy(author.email_bytes())
            ),
            subject: String::from_utf8_lossy(commit.summary_bytes().unwrap_or_default())
                .into_owned(),
            tag: release.as_ref().map(|r| r.tag.clone()),
            effective: release.map(|r| r.effective),
            blob,
        });
    }
    Ok(out)
}
