//! The history of policy files: every commit that changed their bytes,
//! found for any number of paths in one walk over the commits.
//!
//! Why not libgit2's revision walk and `Tree::get_path`: profiled on a
//! 42,000-commit archive, the walk (which reads and parses every commit) and
//! the tree lookups (which read the commit again, then parse the whole root
//! tree, hundreds of entries, into allocated entries) were three quarters of
//! the time, and freeing libgit2's object cache at exit a tenth. Here every
//! commit is read once, raw, for its tree, parents and time; the order is
//! computed from those exactly as libgit2 computes it (topological, then by
//! committer time); and each commit is compared with its parents as git does
//! it: tree ids first, then only the entries along the configured paths,
//! found by scanning raw tree bytes, descending only where the ids differ;
//! two threads share that comparison, chunk by chunk of the order.

use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use git2::{Odb, OdbObject, Oid};
use rustc_hash::FxHashMap;

use super::{Archive, ArchiveError, Result, format_time};

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

/// A version as the walk finds it: the commit that introduced it and the
/// blob. 40 bytes, so the versions of hundreds of policies over tens of
/// thousands of commits stay small; [`entries`] fills in the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Found {
    /// The commit.
    pub commit: Oid,
    /// The blob at the path in that commit.
    pub blob: Oid,
}

/// How far a walk has come, for a progress display.
#[derive(Debug, Clone, Copy)]
pub enum WalkProgress {
    /// Commits read so far (their total is unknown until the end).
    Commits(usize),
    /// Commits compared with their parents so far, of the total, and
    /// versions found so far.
    Compared {
        /// Commits done.
        done: usize,
        /// All commits.
        total: usize,
        /// Versions found (all paths).
        versions: usize,
    },
}

/// Turn off libgit2's object cache for the rest of the process. A walk over
/// the history reads every object once: the cache would only grow (up to
/// 256 MiB) and then free its objects one by one at exit, a tenth of the
/// time of `versions` when profiled.
pub fn read_once() {
    git2::opts::enable_caching(false);
}

/// Every commit reachable from HEAD whose version of `path` differs from each
/// of its parents' (or that adds it), newest first. `policy` names the policy
/// whose release tags are reported.
pub fn history(archive: &Archive, path: &str, policy: &str) -> Result<Vec<HistoryEntry>> {
    let found = find_versions(archive, &[path], &mut |_| {})?;
    entries(archive, path, policy, &found[0])
}

/// The versions of each of `paths` (repository-relative), newest first, as
/// [`history`] defines them, in one walk over the commits reachable from
/// HEAD. `progress` hears how far the walk has come.
pub fn find_versions(
    archive: &Archive,
    paths: &[&str],
    progress: &mut dyn FnMut(WalkProgress),
) -> Result<Vec<Vec<Found>>> {
    let mut out = vec![Vec::new(); paths.len()];
    find_versions_with(archive, paths, progress, &mut |p, f| out[p].push(f))?;
    Ok(out)
}

/// [`find_versions`], handing each version to `found` with the index of its
/// path as soon as it is known: newest first per path, after every commit
/// has been read (the order needs them all).
pub fn find_versions_with(
    archive: &Archive,
    paths: &[&str],
    progress: &mut dyn FnMut(WalkProgress),
    found: &mut dyn FnMut(usize, Found),
) -> Result<()> {
    let repo = archive.repo();
    let Some(head) = repo.head().ok().and_then(|h| h.target()) else {
        return Ok(());
    };
    let odb = repo.odb()?;
    let graph = Graph::read(&odb, head, progress)?;
    let order = graph.order();
    let trie = Trie::new(paths);
    // Comparing a commit with its parents is independent of every other
    // commit: two threads take chunks of the order in turn, each with its
    // own repository handle (a handle is not shared between threads), and
    // this one hands out each chunk's versions once all before it are out.
    let chunks = Chunks {
        graph: &graph,
        order: &order,
        trie: &trie,
        next: AtomicUsize::new(0),
        failed: AtomicBool::new(false),
        done: Mutex::new(vec![None; order.len().div_ceil(CHUNK)]),
    };
    let several = order.len() > CHUNK;
    let git_dir = repo.path().to_path_buf();
    let (mut emitted, mut versions) = (0usize, 0usize);
    let mut hand_out = || {
        loop {
            let hits = {
                let mut done = chunks.done.lock().unwrap_or_else(|e| e.into_inner());
                match done.get_mut(emitted).and_then(Option::take) {
                    Some(hits) => hits,
                    None => return,
                }
            };
            for &(k, p, blob) in &hits {
                versions += 1;
                let commit = graph.nodes[order[k as usize] as usize].id;
                found(p as usize, Found { commit, blob });
            }
            emitted += 1;
            progress(WalkProgress::Compared {
                done: (emitted * CHUNK).min(order.len()),
                total: order.len(),
                versions,
            });
        }
    };
    std::thread::scope(|s| -> Result<()> {
        let helper = several.then(|| {
            s.spawn(|| -> Result<()> {
                let repo = git2::Repository::open(&git_dir)?;
                let odb = repo.odb()?;
                let mut trees = TreeCache::default();
                while chunks.one(&odb, &mut trees)? {}
                Ok(())
            })
        });
        let mut trees = TreeCache::default();
        let mine = (|| {
            while chunks.one(&odb, &mut trees)? {
                hand_out();
            }
            Ok(())
        })();
        let theirs = helper.map_or(Ok(()), |h| {
            h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
        });
        mine.and(theirs)?;
        hand_out();
        Ok(())
    })
}

/// Commits per chunk of the parallel comparison: enough that consecutive
/// commits share trees in a thread's cache, few enough that versions reach
/// the caller early.
const CHUNK: usize = 512;

/// The versions a chunk of the order introduces: (position in the order,
/// path index, blob), in order.
type ChunkHits = Vec<(u32, u32, Oid)>;

/// The order cut into chunks, taken in turn by the threads comparing
/// commits with their parents.
struct Chunks<'a> {
    graph: &'a Graph,
    order: &'a [u32],
    trie: &'a Trie,
    /// The next chunk not taken.
    next: AtomicUsize,
    /// Set when a thread failed: the others stop.
    failed: AtomicBool,
    /// Each chunk's versions, until handed out.
    done: Mutex<Vec<Option<ChunkHits>>>,
}

impl Chunks<'_> {
    /// Compare the commits of the next chunk; false when none is left.
    fn one<'o>(&self, odb: &'o Odb<'_>, trees: &mut TreeCache<'o>) -> Result<bool> {
        let c = self.next.fetch_add(1, Ordering::Relaxed);
        let start = c * CHUNK;
        if start >= self.order.len() || self.failed.load(Ordering::Relaxed) {
            return Ok(false);
        }
        let end = (start + CHUNK).min(self.order.len());
        let hits = self.compare(odb, trees, start..end).inspect_err(|_| {
            self.failed.store(true, Ordering::Relaxed);
        })?;
        self.done.lock().unwrap_or_else(|e| e.into_inner())[c] = Some(hits);
        Ok(true)
    }

    /// The versions the commits at `positions` of the order introduce:
    /// where a path differs from every parent (or the commit adds it).
    fn compare<'o>(
        &self,
        odb: &'o Odb<'_>,
        trees: &mut TreeCache<'o>,
        positions: std::ops::Range<usize>,
    ) -> Result<ChunkHits> {
        let mut out = ChunkHits::new();
        let mut changed: Vec<(usize, Option<Oid>)> = Vec::new();
        // Per path: in how many of this commit's parents it differs, and its blob.
        let mut hits: FxHashMap<usize, (usize, Oid)> = FxHashMap::default();
        for k in positions {
            let node = &self.graph.nodes[self.order[k] as usize];
            hits.clear();
            let parents: Vec<Option<Oid>> = if node.parents.is_empty() {
                vec![None]
            } else {
                node.parents
                    .iter()
                    .map(|&p| Some(self.graph.nodes[p as usize].tree))
                    .collect()
            };
            for &old in &parents {
                changed.clear();
                diff(odb, trees, self.trie, 0, Some(node.tree), old, &mut changed)?;
                for &(p, blob) in &changed {
                    if let Some(b) = blob {
                        hits.entry(p).or_insert((0, b)).0 += 1;
                    }
                }
            }
            // A merge that takes one side's text brings no new version: the
            // path must differ from every parent.
            let start = out.len();
            out.extend(
                hits.iter()
                    .filter(|(_, (n, _))| *n == parents.len())
                    .map(|(&p, &(_, b))| (k as u32, p as u32, b)),
            );
            out[start..].sort_unstable_by_key(|&(_, p, _)| p);
        }
        Ok(out)
    }
}

/// The history entries of the versions `found` of `path`: commit metadata
/// and the releases of `policy`.
pub fn entries(
    archive: &Archive,
    path: &str,
    policy: &str,
    found: &[Found],
) -> Result<Vec<HistoryEntry>> {
    let mut maker = EntryMaker::new(archive, path, policy)?;
    found.iter().map(|f| maker.make(archive, f)).collect()
}

/// Makes the history entries of one path's versions, one at a time, newest
/// first (the order matters: a release goes to the newest version with its
/// bytes).
pub struct EntryMaker {
    /// Release by the blob of the path at its commit, until given out.
    releases: FxHashMap<Oid, super::Release>,
}

impl EntryMaker {
    /// Look up the releases of `policy`, whose file is `path`.
    pub fn new(archive: &Archive, path: &str, policy: &str) -> Result<EntryMaker> {
        Self::of_releases(archive, path, super::releases(archive, policy)?)
    }

    /// Like [`EntryMaker::new`], with the repository's tags already listed.
    pub fn with_tags(
        archive: &Archive,
        path: &str,
        policy: &str,
        tags: &super::Tags,
    ) -> Result<EntryMaker> {
        Self::of_releases(archive, path, super::release::releases_in(tags, policy))
    }

    fn of_releases(
        archive: &Archive,
        path: &str,
        found: Vec<super::Release>,
    ) -> Result<EntryMaker> {
        let repo = archive.repo();
        let mut releases = FxHashMap::default();
        for r in found {
            // A release tag may point at any commit, in HEAD's history or not.
            let blob = repo
                .find_commit(r.commit)?
                .tree()?
                .get_path(Path::new(path))
                .ok()
                .map(|e| e.id());
            if let Some(b) = blob {
                releases.insert(b, r);
            }
        }
        Ok(EntryMaker { releases })
    }

    /// The entry of the next (older) version.
    pub fn make(&mut self, archive: &Archive, f: &Found) -> Result<HistoryEntry> {
        let commit = archive.repo().find_commit(f.commit)?;
        let author = commit.author();
        // A release tag may sit on a later commit that left the text alone:
        // it releases the version that introduced those bytes.
        let release = self.releases.remove(&f.blob);
        Ok(HistoryEntry {
            commit: f.commit.to_string(),
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
            blob: f.blob,
        })
    }
}

impl Archive {
    /// The version of `path` that `entry` introduced, its text already read
    /// (by [`Archive::read_entry`], or earlier for a commit with the same
    /// blob).
    pub fn version_of_entry(
        &self,
        entry: &HistoryEntry,
        path: &str,
        tags: &super::Tags,
        text: String,
        notes: Vec<String>,
    ) -> super::Version {
        let spec = &entry.commit[..entry.commit.len().min(12)];
        let tag = Oid::from_str(&entry.commit)
            .ok()
            .and_then(|id| tags.get(&id))
            .and_then(|v| super::pick_tag(v, None));
        super::Version {
            spec: spec.to_owned(),
            path: path.to_owned(),
            origin: super::Origin::Git {
                commit: entry.commit.clone(),
                date: entry.date.clone(),
                tag,
            },
            text,
            notes,
        }
    }
}

/// One commit as the walk needs it.
struct Node {
    id: Oid,
    tree: Oid,
    /// Indices of the parents, in the commit's order.
    parents: Vec<u32>,
    /// Committer time, seconds.
    time: i64,
}

/// Every commit reachable from a head.
struct Graph {
    nodes: Vec<Node>,
}

impl Graph {
    fn read(odb: &Odb<'_>, head: Oid, progress: &mut dyn FnMut(WalkProgress)) -> Result<Graph> {
        let mut index: FxHashMap<Oid, u32> = FxHashMap::default();
        let mut nodes: Vec<Node> = Vec::new();
        // Parent ids not yet resolved to indices, per node.
        let mut parent_ids: Vec<Vec<Oid>> = Vec::new();
        let mut todo = vec![head];
        while let Some(id) = todo.pop() {
            if index.contains_key(&id) {
                continue;
            }
            let object = match odb.read(id) {
                Ok(o) => o,
                // Beyond a shallow clone's boundary (not the head itself).
                Err(_) if !nodes.is_empty() => continue,
                Err(e) => return Err(e.into()),
            };
            let (tree, parents, time) = parse_commit(object.data()).ok_or_else(|| {
                ArchiveError::Git(git2::Error::from_str(&format!(
                    "commit {id} cannot be parsed"
                )))
            })?;
            index.insert(id, nodes.len() as u32);
            todo.extend(parents.iter().rev().filter(|p| !index.contains_key(p)));
            nodes.push(Node {
                id,
                tree,
                parents: Vec::new(),
                time,
            });
            parent_ids.push(parents);
            if nodes.len().is_multiple_of(1024) {
                progress(WalkProgress::Commits(nodes.len()));
            }
        }
        for (node, ids) in nodes.iter_mut().zip(parent_ids) {
            // Parents missing from the object store are not parents here.
            node.parents = ids.iter().filter_map(|p| index.get(p).copied()).collect();
        }
        Ok(Graph { nodes })
    }

    /// Node indices newest first, in exactly the order of libgit2's
    /// `Sort::TOPOLOGICAL | Sort::TIME` walk from the head (node 0): a port
    /// of its `sort_in_topological_order`, binary heap included, so that
    /// commits with equal times come out as they always have.
    fn order(&self) -> Vec<u32> {
        let n = self.nodes.len();
        // 1 + the number of children (counted per parent link).
        let mut in_degree = vec![1u32; n];
        for node in &self.nodes {
            for &p in &node.parents {
                in_degree[p as usize] += 1;
            }
        }
        let time = |i: u32| self.nodes[i as usize].time;
        let mut heap = Heap::default();
        if n > 0 {
            heap.push(0, &time);
        }
        let mut out = Vec::with_capacity(n);
        while let Some(next) = heap.pop(&time) {
            for &p in &self.nodes[next as usize].parents {
                let d = &mut in_degree[p as usize];
                if *d == 0 {
                    continue;
                }
                *d -= 1;
                if *d == 1 {
                    heap.push(p, &time);
                }
            }
            in_degree[next as usize] = 0;
            out.push(next);
        }
        out
    }
}

/// libgit2's `git_pqueue` with `git_commit_list_time_cmp`: newest on top,
/// ties left where the sift stops.
#[derive(Default)]
struct Heap(Vec<u32>);

impl Heap {
    /// libgit2's comparison as "a need not move below b".
    fn le(a: u32, b: u32, time: &impl Fn(u32) -> i64) -> bool {
        time(a) >= time(b)
    }

    fn push(&mut self, item: u32, time: &impl Fn(u32) -> i64) {
        let v = &mut self.0;
        v.push(item);
        let mut el = v.len() - 1;
        while el > 0 {
            let parent_el = (el - 1) >> 1;
            let parent = v[parent_el];
            if Self::le(parent, item, time) {
                break;
            }
            v[el] = parent;
            el = parent_el;
        }
        v[el] = item;
    }

    fn pop(&mut self, time: &impl Fn(u32) -> i64) -> Option<u32> {
        let v = &mut self.0;
        let top = *v.first()?;
        let last = v.pop()?;
        if v.is_empty() {
            return Some(top);
        }
        v[0] = last;
        let (mut el, parent) = (0usize, last);
        loop {
            let mut kid_el = (el << 1) + 1;
            let Some(&kid) = v.get(kid_el) else { break };
            let mut kid = kid;
            if let Some(&rkid) = v.get(kid_el + 1)
                && !Self::le(kid, rkid, time)
            {
                kid = rkid;
                kid_el += 1;
            }
            if Self::le(parent, kid, time) {
                break;
            }
            v[el] = kid;
            el = kid_el;
        }
        v[el] = parent;
        Some(top)
    }
}

/// Tree id, parent ids and committer time of a raw commit object.
fn parse_commit(data: &[u8]) -> Option<(Oid, Vec<Oid>, i64)> {
    let mut lines = data.split(|&b| b == b'\n');
    let tree = hex_oid(lines.next()?.strip_prefix(b"tree ")?)?;
    let mut parents = Vec::new();
    let mut time = 0;
    for line in lines {
        if let Some(hex) = line.strip_prefix(b"parent ") {
            parents.push(hex_oid(hex)?);
        } else if let Some(sig) = line.strip_prefix(b"committer ") {
            // `Name <email> 1700000000 +0100`: the time follows the last '>'.
            let after = &sig[sig.iter().rposition(|&b| b == b'>').map_or(0, |i| i + 1)..];
            time = std::str::from_utf8(after)
                .ok()
                .and_then(|s| s.split_whitespace().next())
                .and_then(|t| t.parse().ok())
                .unwrap_or(0);
            break;
        } else if line.is_empty() {
            break;
        }
    }
    Some((tree, parents, time))
}

fn hex_oid(hex: &[u8]) -> Option<Oid> {
    Oid::from_str(std::str::from_utf8(hex).ok()?).ok()
}

/// The configured paths as a tree of components: each node a directory
/// level, its children by name, a leaf the index of a path.
#[derive(Default)]
struct Trie {
    /// Child node per component name.
    children: FxHashMap<Vec<u8>, usize>,
    nodes: Vec<TrieNode>,
}

#[derive(Default)]
struct TrieNode {
    /// (component, node) below this directory.
    children: Vec<(Vec<u8>, usize)>,
    /// Paths that end here.
    leaf: Vec<usize>,
    /// Bit `len % 64` set for the length of every child name: most entries
    /// of a tree are rejected on their length alone, without hashing.
    lens: u64,
    /// The greatest child as git sorts tree entries (a directory's name
    /// with a '/' after it): a scan stops past it.
    last: Vec<u8>,
}

impl Trie {
    fn new(paths: &[&str]) -> Trie {
        let mut trie = Trie {
            children: FxHashMap::default(),
            nodes: vec![TrieNode::default()],
        };
        for (k, path) in paths.iter().enumerate() {
            let mut at = 0;
            for part in path.split('/').filter(|p| !p.is_empty()) {
                let part = part.as_bytes();
                at = match trie.nodes[at].children.iter().find(|(n, _)| n == part) {
                    Some(&(_, c)) => c,
                    None => {
                        trie.nodes.push(TrieNode::default());
                        let c = trie.nodes.len() - 1;
                        trie.nodes[at].children.push((part.to_vec(), c));
                        c
                    }
                };
            }
            trie.nodes[at].leaf.push(k);
        }
        for i in 0..trie.nodes.len() {
            let key = |&(ref n, c): &(Vec<u8>, usize)| {
                let mut k = n.clone();
                if !trie.nodes[c].children.is_empty() {
                    k.push(b'/');
                }
                k
            };
            let last = trie.nodes[i].children.iter().map(key).max();
            trie.nodes[i].last = last.unwrap_or_default();
        }
        for node in &mut trie.nodes {
            node.lens = node
                .children
                .iter()
                .fold(0, |bits, (n, _)| bits | 1 << (n.len() % 64));
        }
        // The root may have hundreds of children: look them up by name.
        trie.children = trie.nodes[0]
            .children
            .iter()
            .map(|(n, c)| (n.clone(), *c))
            .collect();
        trie
    }

    fn may_have(&self, node: usize, name: &[u8]) -> bool {
        self.nodes[node].lens & 1 << (name.len() % 64) != 0
    }

    fn child(&self, node: usize, name: &[u8]) -> Option<usize> {
        if node == 0 {
            self.children.get(name).copied()
        } else {
            self.nodes[node]
                .children
                .iter()
                .find(|(n, _)| n == name)
                .map(|&(_, c)| c)
        }
    }
}

/// Raw trees recently read: a commit's tree is read again as the parent
/// of the next commit in the walk. Bounded: emptied when full.
#[derive(Default)]
struct TreeCache<'a> {
    trees: FxHashMap<Oid, OdbObject<'a>>,
}

impl<'a> TreeCache<'a> {
    const MAX: usize = 256;

    fn get(&mut self, odb: &'a Odb<'_>, id: Oid) -> Result<&OdbObject<'a>> {
        self.load(odb, &[id])?;
        Ok(&self.trees[&id])
    }

    /// Two trees at once (a commit's and its parent's).
    fn pair(
        &mut self,
        odb: &'a Odb<'_>,
        a: Oid,
        b: Oid,
    ) -> Result<(&OdbObject<'a>, &OdbObject<'a>)> {
        self.load(odb, &[a, b])?;
        Ok((&self.trees[&a], &self.trees[&b]))
    }

    /// Read what of `ids` is not here, emptying the cache first if they
    /// would not fit (so none of them is dropped before it is used).
    fn load(&mut self, odb: &'a Odb<'_>, ids: &[Oid]) -> Result<()> {
        let missing = ids.iter().filter(|id| !self.trees.contains_key(id)).count();
        if self.trees.len() + missing > Self::MAX {
            self.trees.clear();
        }
        for &id in ids {
            if let std::collections::hash_map::Entry::Vacant(slot) = self.trees.entry(id) {
                slot.insert(odb.read(id)?);
            }
        }
        Ok(())
    }
}

/// An entry of a tree along the configured paths.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Entry {
    Tree(Oid),
    File(Oid),
}

/// The entries of a raw tree that are on the configured paths below trie
/// node `node`, as (child node, entry).
fn entries_on_paths(data: &[u8], trie: &Trie, node: usize, out: &mut Vec<(usize, Entry)>) {
    let (wanted, last) = (trie.nodes[node].children.len(), &trie.nodes[node].last[..]);
    let start = out.len();
    let mut next = RawEntry::first(data);
    while let Some((entry, rest)) = next {
        // Entries are sorted (a directory as its name and '/'): none after
        // the greatest wanted name can be wanted.
        if entry.key().cmp(last.iter()) == std::cmp::Ordering::Greater {
            break;
        }
        if let Some(found) = entry.on_paths(trie, node) {
            out.push(found);
            if out.len() - start == wanted {
                break;
            }
        }
        next = RawEntry::first(rest);
    }
}

/// One entry of a raw tree object: `<mode> <name>\0<20-byte id>`.
#[derive(Clone, Copy)]
struct RawEntry<'a> {
    mode: &'a [u8],
    name: &'a [u8],
    id: &'a [u8],
    /// The whole entry: two entries with the same bytes are the same.
    bytes: &'a [u8],
}

impl<'a> RawEntry<'a> {
    /// The first entry of `rest` and what follows it; None at the end (or
    /// where the object is not a well-formed tree).
    fn first(rest: &'a [u8]) -> Option<(RawEntry<'a>, &'a [u8])> {
        let nul = memchr::memchr(0, rest)?;
        // The mode is at most 6 bytes.
        let space = rest[..nul.min(7)].iter().position(|&b| b == b' ')?;
        let id = rest.get(nul + 1..nul + 21)?;
        let entry = RawEntry {
            mode: &rest[..space],
            name: &rest[space + 1..nul],
            id,
            bytes: &rest[..nul + 21],
        };
        Some((entry, &rest[nul + 21..]))
    }

    /// The name as git sorts entries: a directory's with a '/' after it.
    fn key(&self) -> impl Iterator<Item = &'a u8> {
        let slash: &'static [u8] = if self.mode == b"40000" { b"/" } else { b"" };
        self.name.iter().chain(slash)
    }

    /// The entry as the walk follows it, if it is on a configured path
    /// below trie node `node`.
    fn on_paths(&self, trie: &Trie, node: usize) -> Option<(usize, Entry)> {
        if !trie.may_have(node, self.name) {
            return None;
        }
        let child = trie.child(node, self.name)?;
        let id = Oid::from_bytes(self.id).ok()?;
        match self.mode {
            b"40000" => Some((child, Entry::Tree(id))),
            // A submodule is not a file.
            b"160000" => None,
            _ => Some((child, Entry::File(id))),
        }
    }
}

/// The entries on the configured paths below trie node `node` that differ
/// between two raw trees (both sorted as git sorts them), into `sides`
/// (new, old). The two are walked side by side and an entry whose bytes
/// are the same in both is passed over unread: a commit changes a few
/// entries of a tree that has hundreds (an archive's root).
fn changed_entries<'a>(
    new: &'a [u8],
    old: &'a [u8],
    trie: &Trie,
    node: usize,
    sides: &mut [Vec<(usize, Entry)>; 2],
) {
    use std::cmp::Ordering;
    let last = &trie.nodes[node].last[..];
    // Entries are sorted: none after the greatest wanted name can be wanted.
    type Next<'a> = Option<(RawEntry<'a>, &'a [u8])>;
    let wanted = |next: Next<'a>| -> Next<'a> {
        next.filter(|(e, _)| e.key().cmp(last.iter()) != Ordering::Greater)
    };
    let (mut a, mut b) = (wanted(RawEntry::first(new)), wanted(RawEntry::first(old)));
    let mut push = |side: usize, e: &RawEntry<'_>| {
        if let Some(found) = e.on_paths(trie, node) {
            sides[side].push(found);
        }
    };
    loop {
        match (a, b) {
            (None, None) => break,
            (Some((x, rest_a)), Some((y, rest_b))) => {
                let order = if x.bytes == y.bytes {
                    None
                } else {
                    Some(x.key().cmp(y.key()))
                };
                if order != Some(Ordering::Greater) {
                    if order.is_some() {
                        push(0, &x);
                    }
                    a = wanted(RawEntry::first(rest_a));
                }
                if order != Some(Ordering::Less) {
                    if order.is_some() {
                        push(1, &y);
                    }
                    b = wanted(RawEntry::first(rest_b));
                }
            }
            (Some((x, rest)), None) => {
                push(0, &x);
                a = wanted(RawEntry::first(rest));
            }
            (None, Some((y, rest))) => {
                push(1, &y);
                b = wanted(RawEntry::first(rest));
            }
        }
    }
}

/// The configured paths below trie node `node` whose file differs between
/// tree `new` and tree `old` (either may be absent), with the blob in `new`:
/// `(path index, blob)`. Subtrees with equal ids are not read.
#[allow(clippy::too_many_arguments)]
fn diff<'a>(
    odb: &'a Odb<'_>,
    trees: &mut TreeCache<'a>,
    trie: &Trie,
    node: usize,
    new: Option<Oid>,
    old: Option<Oid>,
    out: &mut Vec<(usize, Option<Oid>)>,
) -> Result<()> {
    if new == old {
        return Ok(());
    }
    let mut sides: [Vec<(usize, Entry)>; 2] = [Vec::new(), Vec::new()];
    match (new, old) {
        (Some(n), Some(o)) => {
            let (n, o) = trees.pair(odb, n, o)?;
            changed_entries(n.data(), o.data(), trie, node, &mut sides);
        }
        _ => {
            for (side, id) in [new, old].into_iter().enumerate() {
                if let Some(id) = id {
                    let tree = trees.get(odb, id)?;
                    entries_on_paths(tree.data(), trie, node, &mut sides[side]);
                }
            }
        }
    }
    // Both sides by child, walked together: a directory with hundreds of
    // configured paths (every policy of an archive) would otherwise look
    // each child up in the other side, hundreds squared per commit.
    for side in &mut sides {
        side.sort_unstable_by_key(|&(c, _)| c);
    }
    let (mut i, mut j) = (0, 0);
    loop {
        let (c, a, b) = match (sides[0].get(i), sides[1].get(j)) {
            (None, None) => break,
            (Some(&(ca, x)), Some(&(cb, y))) if ca == cb => {
                (i, j) = (i + 1, j + 1);
                (ca, Some(x), Some(y))
            }
            (Some(&(ca, x)), Some(&(cb, _))) if ca < cb => {
                i += 1;
                (ca, Some(x), None)
            }
            (Some(&(ca, x)), None) => {
                i += 1;
                (ca, Some(x), None)
            }
            (_, Some(&(cb, y))) => {
                j += 1;
                (cb, None, Some(y))
            }
        };
        if a == b {
            continue;
        }
        let file = |e: Option<Entry>| match e {
            Some(Entry::File(id)) => Some(id),
            _ => None,
        };
        let tree = |e: Option<Entry>| match e {
            Some(Entry::Tree(id)) => Some(id),
            _ => None,
        };
        if file(a) != file(b) {
            for &p in &trie.nodes[c].leaf {
                out.push((p, file(a)));
            }
        }
        if tree(a) != tree(b) && !trie.nodes[c].children.is_empty() {
            diff(odb, trees, trie, c, tree(a), tree(b), out)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use git2::{Repository, Signature, Sort, Time};

    /// The walk's order against libgit2's own revision walk.
    fn check_order(repo: &Repository) {
        let head = repo.head().unwrap().target().unwrap();
        let odb = repo.odb().unwrap();
        let graph = Graph::read(&odb, head, &mut |_| {}).unwrap();
        let ours: Vec<Oid> = graph
            .order()
            .iter()
            .map(|&i| graph.nodes[i as usize].id)
            .collect();
        let mut walk = repo.revwalk().unwrap();
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME).unwrap();
        walk.push(head).unwrap();
        let theirs: Vec<Oid> = walk.map(|r| r.unwrap()).collect();
        assert_eq!(ours, theirs);
    }

    fn commit(repo: &Repository, parents: &[Oid], time: i64, file: &str, text: &str) -> Oid {
        let sig = Signature::new("t", "t@example.invalid", &Time::new(time, 0)).unwrap();
        let blob = repo.blob(text.as_bytes()).unwrap();
        let base = parents
            .first()
            .map(|p| repo.find_commit(*p).unwrap().tree().unwrap());
        let mut dir = repo.treebuilder(None).unwrap();
        if let Some(t) = base.as_ref().and_then(|t| t.get_name("d")) {
            dir = repo
                .treebuilder(Some(&repo.find_tree(t.id()).unwrap()))
                .unwrap();
        }
        dir.insert(file, blob, 0o100644).unwrap();
        let dir = dir.write().unwrap();
        let mut root = repo.treebuilder(base.as_ref()).unwrap();
        root.insert("d", dir, 0o040000).unwrap();
        let tree = repo.find_tree(root.write().unwrap()).unwrap();
        let parents: Vec<_> = parents
            .iter()
            .map(|p| repo.find_commit(*p).unwrap())
            .collect();
        let refs: Vec<_> = parents.iter().collect();
        repo.commit(None, &sig, &sig, "c", &tree, &refs).unwrap()
    }

    /// An archive over a repository a test built.
    fn archive_of(repo: Repository) -> Archive {
        Archive {
            repo,
            read_options: Default::default(),
        }
    }

    /// Equal times, branches and merges: ties must break as libgit2's heap
    /// breaks them, or `versions` would list commits in another order.
    #[test]
    fn order_is_libgit2s_topological_time_order() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let root = commit(&repo, &[], 100, "p.md", "a");
        let mut tips = vec![root];
        // Several branches off the root and off each other, many commits
        // sharing a time, merged back in a crossing pattern.
        for round in 0..6i64 {
            let mut next = Vec::new();
            for (k, &tip) in tips.iter().enumerate() {
                let t = 200 + round * 10 + (k as i64 % 2);
                let a = commit(&repo, &[tip], t, "p.md", &format!("{round}-{k}"));
                let b = commit(&repo, &[a], t, "q.md", &format!("{round}-{k}"));
                next.push(b);
            }
            if next.len() > 1 {
                let m = commit(&repo, &[next[1], next[0]], 205 + round * 10, "p.md", "m");
                next[0] = m;
                next.remove(1);
            }
            next.push(commit(&repo, &[tips[0]], 150, "r.md", &round.to_string()));
            tips = next;
        }
        // An octopus of equal-time branches: many ties in the heap at once.
        let mut all = tips.clone();
        for k in 0..9i64 {
            let mut tip = root;
            for j in 0..3 {
                tip = commit(&repo, &[tip], 300 + (k * j) % 3, "s.md", &format!("{k}{j}"));
            }
            all.push(tip);
        }
        let head = commit(&repo, &all, 1000, "p.md", "end");
        repo.set_head_detached(head).unwrap();
        check_order(&repo);
        // A real repository, when one is named (e.g. a large archive).
        if let Ok(path) = std::env::var("POLICYDIFF_ORDER_REPO") {
            check_order(&Repository::open(path).unwrap());
        }
    }

    #[test]
    fn versions_differ_from_every_parent() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let a = commit(&repo, &[], 1, "p.md", "one");
        let b = commit(&repo, &[a], 2, "q.md", "other file");
        let c = commit(&repo, &[b], 3, "p.md", "two");
        let side = commit(&repo, &[b], 4, "p.md", "three");
        // The merge takes one side's text: no new version.
        let m = commit(&repo, &[c, side], 5, "p.md", "two");
        repo.set_head_detached(m).unwrap();
        let archive = archive_of(repo);
        let found =
            find_versions(&archive, &["d/p.md", "d/q.md", "d/none.md"], &mut |_| {}).unwrap();
        let commits = |f: &[Found]| f.iter().map(|f| f.commit).collect::<Vec<_>>();
        assert_eq!(commits(&found[0]), vec![side, c, a]);
        assert_eq!(commits(&found[1]), vec![b]);
        assert!(found[2].is_empty());
    }

    /// A policy's releases are its own `<policy>/<YYYY-MM-DD>` tags,
    /// annotated or not, oldest first; a tag of another policy whose name
    /// starts the same, or without a date, is none of them.
    #[test]
    fn releases_are_a_policys_dated_tags_oldest_first() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let a = commit(&repo, &[], 1, "p.md", "one");
        let b = commit(&repo, &[a], 2, "p.md", "two");
        let c = commit(&repo, &[b], 3, "q.md", "other");
        repo.set_head_detached(c).unwrap();
        let sig = Signature::new("t", "t@example.invalid", &Time::new(4, 0)).unwrap();
        let tag = |name: &str, at: Oid, annotated: bool| {
            let obj = repo.find_object(at, None).unwrap();
            if annotated {
                repo.tag(name, &obj, &sig, "release", false).unwrap();
            } else {
                repo.tag_lightweight(name, &obj, false).unwrap();
            }
        };
        tag("p/2024-01-01", a, true);
        tag("p/2025-06-30", b, false);
        tag("p/not-a-date", b, false);
        tag("pp/2024-02-02", c, true);
        tag("q/2023-03-03", c, true);
        tag("v1", c, false);
        let archive = archive_of(repo);
        let tags = archive.tags_by_commit().unwrap();
        let key = |rs: Vec<crate::archive::Release>| {
            rs.into_iter()
                .map(|r| (r.tag, r.commit, r.effective))
                .collect::<Vec<_>>()
        };
        let listed = |policy: &str| key(super::super::release::releases_in(&tags, policy));
        let day = |d: &str| d.to_owned();
        assert_eq!(
            listed("p"),
            vec![
                ("p/2024-01-01".to_owned(), a, day("2024-01-01")),
                ("p/2025-06-30".to_owned(), b, day("2025-06-30")),
            ]
        );
        assert_eq!(
            listed("pp"),
            vec![("pp/2024-02-02".to_owned(), c, day("2024-02-02"))]
        );
        assert_eq!(
            listed("q"),
            vec![("q/2023-03-03".to_owned(), c, day("2023-03-03"))]
        );
        assert!(listed("v1").is_empty() && listed("none").is_empty());
        // And as a command asks for them, from the repository.
        assert_eq!(
            key(crate::archive::releases(&archive, "p").unwrap()),
            listed("p")
        );
    }

    /// The walk compares trees side by side and passes equal entries over:
    /// against a plain lookup of every path in every commit, on a history
    /// that adds, changes, removes and retypes files among names that sort
    /// around each other as git sorts them ("d-x/" < "d.md" < "d/" < "d0/").
    #[test]
    fn versions_match_a_lookup_of_every_path_in_every_commit() {
        let dir = tempfile::tempdir().unwrap();
        let repo = Repository::init(dir.path()).unwrap();
        let paths = [
            "d.md", "d/p.md", "d-x/p.md", "d0/p.md", "d/e/x.md", "d/e", "top.md",
        ];
        let noise = ["d/n.txt", "m.md", "d/e/y.md", "zz/q.md"];
        let mut seed = 0x2545_f491_4f6c_dd1d_u64;
        let mut rand = move |n: u64| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            seed % n
        };
        let sig = |t: i64| Signature::new("t", "t@example.invalid", &Time::new(t, 0)).unwrap();
        let mut index = repo.index().unwrap();
        let mut tips: Vec<Oid> = Vec::new();
        for t in 0..240i64 {
            for _ in 0..=rand(3) {
                let all: Vec<&str> = paths.iter().chain(&noise).copied().collect();
                let path = all[rand(all.len() as u64) as usize];
                match rand(5) {
                    // Remove the path, or everything below it.
                    0 => {
                        let _ = index.remove_path(Path::new(path));
                        let _ = index.remove_dir(Path::new(path), 0);
                    }
                    // Write it (a file where a directory was replaces it).
                    _ => {
                        let _ = index.remove_dir(Path::new(path), 0);
                        let text = format!("v{}", rand(4));
                        let entry = git2::IndexEntry {
                            ctime: git2::IndexTime::new(0, 0),
                            mtime: git2::IndexTime::new(0, 0),
                            dev: 0,
                            ino: 0,
                            mode: 0o100644,
                            uid: 0,
                            gid: 0,
                            file_size: 0,
                            id: Oid::ZERO_SHA1,
                            flags: 0,
                            flags_extended: 0,
                            path: path.as_bytes().to_vec(),
                        };
                        // A file under a path that is now a file: drop it.
                        let parent_is_file = Path::new(path)
                            .ancestors()
                            .skip(1)
                            .filter(|a| !a.as_os_str().is_empty())
                            .any(|a| index.get_path(a, 0).is_some());
                        if !parent_is_file {
                            index.add_frombuffer(&entry, text.as_bytes()).unwrap();
                        }
                    }
                }
            }
            let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
            // Now and then a merge of the last two tips.
            let parents: Vec<Oid> = if tips.len() >= 2 && rand(6) == 0 {
                vec![tips[tips.len() - 1], tips[tips.len() - 2]]
            } else {
                tips.last().copied().into_iter().collect()
            };
            let parents: Vec<_> = parents
                .iter()
                .map(|p| repo.find_commit(*p).unwrap())
                .collect();
            let refs: Vec<_> = parents.iter().collect();
            let c = repo
                .commit(None, &sig(1000 + t), &sig(1000 + t), "c", &tree, &refs)
                .unwrap();
            if rand(4) == 0 {
                tips.push(c); // a side branch starts here
            } else if let Some(last) = tips.last_mut() {
                *last = c;
            } else {
                tips.push(c);
            }
        }
        let head = *tips.last().unwrap();
        repo.set_head_detached(head).unwrap();
        let archive = archive_of(repo);
        let repo = archive.repo();
        let found = find_versions(&archive, &paths, &mut |_| {}).unwrap();
        let blob_at = |c: &git2::Commit<'_>, path: &str| {
            c.tree()
                .unwrap()
                .get_path(Path::new(path))
                .ok()
                .filter(|e| e.kind() == Some(git2::ObjectType::Blob))
                .map(|e| e.id())
        };
        let mut walk = repo.revwalk().unwrap();
        walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME).unwrap();
        walk.push(head).unwrap();
        let commits: Vec<Oid> = walk.map(|r| r.unwrap()).collect();
        let mut total = 0;
        for (k, path) in paths.iter().enumerate() {
            let expected: Vec<(Oid, Oid)> = commits
                .iter()
                .filter_map(|&id| {
                    let c = repo.find_commit(id).unwrap();
                    let blob = blob_at(&c, path)?;
                    c.parents()
                        .all(|p| blob_at(&p, path) != Some(blob))
                        .then_some((id, blob))
                })
                .collect();
            let ours: Vec<(Oid, Oid)> = found[k].iter().map(|f| (f.commit, f.blob)).collect();
            assert_eq!(ours, expected, "{path}");
            total += ours.len();
        }
        assert!(
            total > 100,
            "the history exercises the walk ({total} versions)"
        );
    }
}
