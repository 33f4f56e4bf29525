//! The one pipeline every command is a prefix of: versions → documents →
//! change set → verdict → Report. Commands, benches and tests all enter here.

use std::collections::VecDeque;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use git2::Oid;
use rustc_hash::FxHashMap;

use crate::archive::{Archive, ArchiveError, Found, HistoryEntry, Version};
use crate::classify::{self, Analysis, Rules, RunFacts, Verdict};
use crate::diff::{self, ChangeSet, DiffOptions};
use crate::document::{BlockCache, Document, Format};
use crate::report::{Report, VersionInfo};

/// How to compare: diff tuning, classification rules, per-run facts.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Diff tuning.
    pub diff: DiffOptions,
    /// Classify the change (off: redline only).
    pub classify: bool,
    /// Config triggers and mapping.
    pub rules: Rules,
    /// Facts stated for this run.
    pub facts: RunFacts,
    /// Keep the unchanged clauses in the Report, for whole-document views.
    pub whole_document: bool,
}

impl Default for Comparison {
    fn default() -> Self {
        Comparison {
            diff: DiffOptions::default(),
            classify: true,
            rules: Rules::default(),
            facts: RunFacts::default(),
            whole_document: false,
        }
    }
}

/// Combined size of a pair from which parsing and freeing go to a second
/// thread.
const PARALLEL_PARSE_BYTES: usize = 256 * 1024;

/// Parse a version in its format.
pub fn parse(version: &Version) -> Document {
    Document::parse(&version.text, Format::from_path(&version.path))
}

/// Compare two loaded versions: parse (both at once), diff, classify, report.
pub fn compare(old: &Version, new: &Version, policy: Option<&str>, how: &Comparison) -> Report {
    // Two documents, two cores: parse them side by side. Below a few
    // hundred kilobytes a thread costs more than it saves (its own malloc
    // arena and stack are fresh pages to fault in), so small pairs stay on
    // this thread.
    let large = old.text.len() + new.text.len() >= PARALLEL_PARSE_BYTES;
    let (old_doc, new_doc) = if large {
        std::thread::scope(|s| {
            let old_doc = s.spawn(|| parse(old));
            let new_doc = parse(new);
            (
                old_doc
                    .join()
                    .unwrap_or_else(|e| std::panic::resume_unwind(e)),
                new_doc,
            )
        })
    } else {
        (parse(old), parse(new))
    };
    let report = compare_docs((old, &old_doc), (new, &new_doc), policy, how);
    // Freeing two large clause trees is a good part of a one-shot diff's
    // time: do it on the other core while the caller renders the Report
    // (a process that exits first just leaves it to the OS).
    if large {
        std::thread::spawn(move || drop((old_doc, new_doc)));
    }
    report
}

/// Compare two parsed versions.
pub fn compare_docs(
    old: (&Version, &Document),
    new: (&Version, &Document),
    policy: Option<&str>,
    how: &Comparison,
) -> Report {
    let (a, b) = (Analysis::default(), Analysis::default());
    compare_analysed((old.0, old.1, &a), (new.0, new.1, &b), policy, how)
}

/// [`compare_docs`], with what classification reads from each version alone
/// taken from (or kept in) its [`Analysis`]: a history compares every
/// version twice.
pub fn compare_analysed(
    (old, old_doc, old_facts): (&Version, &Document, &Analysis),
    (new, new_doc, new_facts): (&Version, &Document, &Analysis),
    policy: Option<&str>,
    how: &Comparison,
) -> Report {
    let (set, verdict) = assess((old_doc, old_facts), (new_doc, new_facts), how);
    report_of(
        policy,
        (old, old_doc),
        (new, new_doc),
        &set,
        verdict.as_ref(),
        how,
    )
}

/// The Report of an assessed pair, with what the comparison asked for
/// (unchanged clauses for whole-document views) and the notes reading the
/// versions left (a Word document's comments), each once: both sides of
/// `draft.docx#original draft.docx` carry the same ones.
fn report_of(
    policy: Option<&str>,
    old: (&Version, &Document),
    new: (&Version, &Document),
    set: &ChangeSet,
    verdict: Option<&Verdict>,
    how: &Comparison,
) -> Report {
    let mut report = Report::new(policy, old, new, set, verdict);
    if how.whole_document {
        report.add_unchanged(set, new.1);
    }
    for note in old.0.notes.iter().chain(&new.0.notes) {
        if !report.notes.contains(note) {
            report.notes.push(note.clone());
        }
    }
    report
}

/// The change set between two documents and its verdict (when classifying):
/// all of a comparison that depends on the texts alone.
fn assess(
    (old_doc, old_facts): (&Document, &Analysis),
    (new_doc, new_facts): (&Document, &Analysis),
    how: &Comparison,
) -> (ChangeSet, Option<Verdict>) {
    let set = diff::diff(old_doc, new_doc, &how.diff);
    let verdict = how.classify.then(|| {
        classify::classify_analysed(
            (old_doc, old_facts),
            (new_doc, new_facts),
            &set,
            &how.rules,
            how.facts,
        )
    });
    (set, verdict)
}

/// One version of a history as the walk hands it to the comparisons: read,
/// parsed and (lazily) analysed once, shared by the two changes it belongs to.
struct Analysed {
    version: Version,
    /// The blob the text was read from: equal blobs, equal documents.
    blob: Oid,
    parsed: Arc<Parsed>,
}

/// What a version's text becomes, the same for every commit that has its
/// blob: a capture flipping between two variants reads, parses and analyses
/// each variant once.
struct Parsed {
    /// The notes reading the text left.
    notes: Vec<String>,
    doc: Document,
    facts: Analysis,
}

/// The documents of a policy's recent blobs, for [`Parsed`]. Bounded: the
/// oldest go first.
#[derive(Default)]
struct RecentDocs {
    by_blob: FxHashMap<Oid, Arc<Parsed>>,
    order: VecDeque<Oid>,
}

impl RecentDocs {
    /// Blobs kept: a variant that comes back does so within a few versions.
    const MAX: usize = 16;

    fn put(&mut self, blob: Oid, parsed: &Arc<Parsed>) {
        if self.by_blob.insert(blob, Arc::clone(parsed)).is_none() {
            self.order.push_back(blob);
        }
        while self.order.len() > Self::MAX {
            if let Some(old) = self.order.pop_front() {
                self.by_blob.remove(&old);
            }
        }
    }
}

/// Reports of recent pairs, by policy and the blobs of both sides. Archives
/// that capture a page flipping between two variants compare the same two
/// texts again and again (a quarter of the pairs of Open Terms Archive's
/// privacy policies); all of a Report but the versions' who and when
/// depends on the texts alone, so a repeat takes the earlier one. Bounded:
/// the oldest entries go first.
#[derive(Default)]
struct Assessed {
    recent: std::sync::Mutex<Recent>,
}

type PairKey = (usize, Oid, Oid);

#[derive(Default)]
struct Recent {
    by_key: FxHashMap<PairKey, Arc<Report>>,
    order: VecDeque<PairKey>,
}

impl Assessed {
    /// Pairs kept: repeats in a flipping history are a few versions apart.
    const MAX: usize = 64;

    fn get(&self, key: PairKey) -> Option<Arc<Report>> {
        let recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        recent.by_key.get(&key).cloned()
    }

    fn put(&self, key: PairKey, value: Arc<Report>) {
        let mut recent = self.recent.lock().unwrap_or_else(|e| e.into_inner());
        if recent.by_key.insert(key, value).is_none() {
            recent.order.push_back(key);
        }
        while recent.order.len() > Self::MAX {
            if let Some(old) = recent.order.pop_front() {
                recent.by_key.remove(&old);
            }
        }
    }
}

/// One step of a policy's history, newest first.
pub enum Step<'a> {
    /// The version `entry` introduced, compared with the readable version
    /// before it.
    Change {
        /// The commit.
        entry: &'a HistoryEntry,
        /// The comparison.
        report: &'a Report,
    },
    /// A version that could not be read (an empty or binary capture).
    Unreadable {
        /// The commit.
        entry: &'a HistoryEntry,
        /// Why, in a word or two (`empty`).
        reason: String,
    },
    /// The oldest readable version, with nothing before it.
    First {
        /// The commit.
        entry: &'a HistoryEntry,
    },
}

/// What a history walk went through.
#[derive(Debug, Default, Clone, Copy)]
pub struct WalkSummary {
    /// Versions that could not be read and were skipped.
    pub unreadable: usize,
}

/// One policy's part of a history walk: its versions as
/// [`crate::archive::find_versions`] found them, newest first.
#[derive(Debug)]
pub struct PolicyWalk {
    /// The policy's name (reports and release tags).
    pub name: String,
    /// Its file, repository-relative.
    pub path: String,
    /// Its versions.
    pub found: Versions,
    /// Only changes whose new side was committed on or after this date
    /// (`YYYY-MM-DD`); older versions serve only as the base of the oldest
    /// change shown.
    pub since: Option<String>,
}

/// A policy's versions, newest first.
#[derive(Debug)]
pub enum Versions {
    /// All found.
    Found(Vec<Found>),
    /// Arriving while a walk over the commits finds them (on another
    /// thread, [`crate::archive::find_versions_with`]), so that comparing
    /// starts before the walk ends; the walk's end closes the channel.
    /// `since` is not applied to them (it needs every date).
    Stream(std::sync::Mutex<std::sync::mpsc::Receiver<Found>>),
}

impl Versions {
    /// How many, when known.
    pub fn known_len(&self) -> Option<usize> {
        match self {
            Versions::Found(v) => Some(v.len()),
            Versions::Stream(_) => None,
        }
    }
}

/// The progress of a history walk, for a display.
pub trait WalkTicks: Sync {
    /// One more step (a classified pair, a first or unreadable version) is out.
    fn step(&self);
}

impl WalkTicks for () {
    fn step(&self) {}
}

/// Walk the histories of `policies`, one after the other, and hand every
/// step, newest first within a policy, to `emit`. `render` turns a step of
/// a policy (named by its first argument) into what `emit` writes.
///
/// A pipeline in output order: this thread reads the commit metadata of a
/// policy's versions, then reads and parses the versions from the newest
/// back (each reuses the parsed blocks of the one before); two workers
/// compare the pairs and render them; `emit` runs on a third thread and
/// receives each result as soon as every earlier one is out. Every queue is
/// bounded and a policy's versions are dropped when its walk is done, so
/// memory stays flat however long the history and however many the
/// policies; when `emit` fails (a closed pipe) the walk stops. An unreadable
/// version is passed in its place and skipped: the version after it is
/// compared with the last readable one before it.
pub fn walk_history<R, E>(
    archive: &Archive,
    policies: &[PolicyWalk],
    how: &Comparison,
    render: impl Fn(&str, Step<'_>) -> Option<R> + Sync,
    emit: impl FnMut(R) -> Result<(), E> + Send,
    ticks: &dyn WalkTicks,
) -> Result<WalkSummary, WalkError<E>>
where
    R: Send,
    E: Send,
{
    let tags = archive.tags_by_commit()?;
    type Pair = Arc<Analysed>;
    /// A job: the global sequence number of its step, the policy, its
    /// entries, the entry's index, the two sides.
    type Job = (usize, usize, Arc<HistoryEntry>, Pair, Pair);
    let (job_tx, job_rx) = std::sync::mpsc::sync_channel::<Job>(16);
    let job_rx = std::sync::Mutex::new(job_rx);
    let (done_tx, done_rx) = std::sync::mpsc::sync_channel::<(usize, Option<R>)>(16);
    // Set when `emit` fails: everyone stops.
    let closed = AtomicBool::new(false);
    // Steps out so far. The reader stays within WINDOW steps of it: a slow
    // pair would otherwise let the other worker fill the printer's reorder
    // buffer with every result after it, whatever their number.
    let printed = (std::sync::Mutex::new(0usize), std::sync::Condvar::new());
    const WINDOW: usize = 64;
    let wait_for_printer = |seq: usize| {
        let (count, cond) = &printed;
        let mut n = count.lock().unwrap_or_else(|e| e.into_inner());
        while seq >= *n + WINDOW && !closed.load(Ordering::Relaxed) {
            n = cond.wait(n).unwrap_or_else(|e| e.into_inner());
        }
    };
    let mut summary = WalkSummary::default();
    let render = &render;
    let assessed = Assessed::default();
    std::thread::scope(|s| {
        for _ in 0..2 {
            let done_tx = done_tx.clone();
            let (job_rx, closed, assessed) = (&job_rx, &closed, &assessed);
            s.spawn(move || {
                loop {
                    let job = job_rx.lock().map(|rx| rx.recv());
                    let Ok(Ok((seq, p, entry, old, new))) = job else {
                        break;
                    };
                    if closed.load(Ordering::Relaxed) {
                        continue; // drain, so the reader is never stuck on a full queue
                    }
                    let name = policies[p].name.as_str();
                    let key = (p, old.blob, new.blob);
                    let (o, n) = (&old.parsed, &new.parsed);
                    let out = match assessed.get(key) {
                        Some(same) => {
                            let mut report = Report::clone(&same);
                            report.old = VersionInfo::new(&old.version, &o.doc);
                            report.new = VersionInfo::new(&new.version, &n.doc);
                            let step = Step::Change {
                                entry: &entry,
                                report: &report,
                            };
                            render(name, step)
                        }
                        None => {
                            let (set, verdict) =
                                assess((&o.doc, &o.facts), (&n.doc, &n.facts), how);
                            let report = report_of(
                                Some(name),
                                (&old.version, &o.doc),
                                (&new.version, &n.doc),
                                &set,
                                verdict.as_ref(),
                                how,
                            );
                            let step = Step::Change {
                                entry: &entry,
                                report: &report,
                            };
                            let out = render(name, step);
                            assessed.put(key, Arc::new(report));
                            out
                        }
                    };
                    let _ = done_tx.send((seq, out));
                }
            });
        }
        let (closed, printed) = (&closed, &printed);
        let printer = s.spawn(move || -> Result<(), E> {
            let mut emit = emit;
            let mut waiting = std::collections::BTreeMap::new();
            let mut next = 0usize;
            let (count, cond) = printed;
            for (k, out) in done_rx.iter() {
                waiting.insert(k, out);
                while let Some(out) = waiting.remove(&next) {
                    next += 1;
                    ticks.step();
                    if let Some(out) = out
                        && let Err(e) = emit(out)
                    {
                        closed.store(true, Ordering::Relaxed);
                        cond.notify_all();
                        return Err(e);
                    }
                }
                *count.lock().unwrap_or_else(|e| e.into_inner()) = next;
                cond.notify_all();
            }
            Ok(())
        });
        // Steps are numbered across policies, in output order.
        let mut seq = 0usize;
        let produced = (|| -> Result<(), ArchiveError> {
            for (p, policy) in policies.iter().enumerate() {
                if closed.load(Ordering::Relaxed) {
                    break;
                }
                let (name, path) = (policy.name.as_str(), policy.path.as_str());
                let mut maker = crate::archive::EntryMaker::with_tags(archive, path, name, &tags)?;
                // The newest `shown` entries get a step; oldest first, the
                // first change shown is the first whose new side is on or
                // after `since`.
                let (listed, shown) = match &policy.found {
                    Versions::Found(found) => {
                        let entries = found
                            .iter()
                            .map(|f| maker.make(archive, f).map(Arc::new))
                            .collect::<Result<Vec<_>, _>>()?;
                        let n = entries.len();
                        let shown = match &policy.since {
                            Some(d) => {
                                n - (0..n)
                                    .rev()
                                    .position(|i| entries[i].date.as_str() >= d.as_str())
                                    .unwrap_or(n)
                            }
                            None => n,
                        };
                        (Some(entries), shown)
                    }
                    Versions::Stream(_) => (None, usize::MAX),
                };
                let all_shown = listed.as_ref().is_none_or(|e| shown == e.len());
                let stream = match &policy.found {
                    Versions::Stream(rx) => Some(rx.lock().unwrap_or_else(|e| e.into_inner())),
                    Versions::Found(_) => None,
                };
                let mut entries: Box<dyn Iterator<Item = Result<Arc<HistoryEntry>, ArchiveError>>> =
                    match (listed, &stream) {
                        (Some(listed), _) => Box::new(listed.into_iter().map(Ok)),
                        (None, Some(rx)) => {
                            Box::new(rx.iter().map(|f| maker.make(archive, &f).map(Arc::new)))
                        }
                        (None, None) => Box::new(std::iter::empty()),
                    };
                // The newer side of the next change, waiting for its older side.
                let mut pending: Option<(usize, Arc<HistoryEntry>, Pair)> = None;
                let mut cache = BlockCache::default();
                let mut docs = RecentDocs::default();
                for k in 0.. {
                    if closed.load(Ordering::Relaxed) {
                        break;
                    }
                    let Some(e) = entries.next().transpose()? else {
                        break;
                    };
                    // A blob seen lately: its document, and the version's
                    // who and when (all the Report takes from a version).
                    let reread = docs.by_blob.get(&e.blob).map(|parsed| {
                        let notes = parsed.notes.clone();
                        let version =
                            archive.version_of_entry(&e, path, &tags, String::new(), notes);
                        (version, Arc::clone(parsed))
                    });
                    let read = match reread {
                        Some(r) => Ok(r),
                        None => archive.read_entry(&e, path, &tags).map(|mut version| {
                            let doc = Document::parse_cached(
                                &version.text,
                                Format::from_path(&version.path),
                                &mut cache,
                            );
                            // Nothing reads the text again: only the document.
                            version.text = String::new();
                            let parsed = Arc::new(Parsed {
                                notes: version.notes.clone(),
                                doc,
                                facts: Analysis::default(),
                            });
                            docs.put(e.blob, &parsed);
                            (version, parsed)
                        }),
                    };
                    let (version, parsed) = match read {
                        Ok(v) => v,
                        Err(ArchiveError::BadInput { reason, .. }) => {
                            if k < shown {
                                wait_for_printer(seq);
                                summary.unreadable += 1;
                                let reason = reason.split(':').next().unwrap_or(&reason).to_owned();
                                let out = render(name, Step::Unreadable { entry: &e, reason });
                                if done_tx.send((seq, out)).is_err() {
                                    return Ok(());
                                }
                                seq += 1;
                            }
                            continue;
                        }
                        Err(e) => return Err(e),
                    };
                    let current = Arc::new(Analysed {
                        version,
                        blob: e.blob,
                        parsed,
                    });
                    if let Some((at, newer_entry, newer)) = pending.take() {
                        wait_for_printer(at);
                        let job = (at, p, newer_entry, Arc::clone(&current), newer);
                        if job_tx.send(job).is_err() {
                            return Ok(()); // every worker is gone
                        }
                    }
                    if k >= shown {
                        break; // the base of the oldest change shown
                    }
                    pending = Some((seq, e, current));
                    seq += 1;
                }
                // The oldest version, when every version is shown.
                if let Some((at, entry, _)) = pending.take() {
                    let out = all_shown
                        .then(|| render(name, Step::First { entry: &entry }))
                        .flatten();
                    if done_tx.send((at, out)).is_err() {
                        return Ok(());
                    }
                }
            }
            Ok(())
        })();
        drop(job_tx);
        drop(done_tx);
        let printed = printer
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        produced?;
        printed.map_err(WalkError::Emit)
    })?;
    Ok(summary)
}

/// Why a history walk stopped.
#[derive(Debug)]
pub enum WalkError<E> {
    /// Reading the history.
    Archive(ArchiveError),
    /// Writing a step.
    Emit(E),
}

impl<E> From<ArchiveError> for WalkError<E> {
    fn from(e: ArchiveError) -> Self {
        WalkError::Archive(e)
    }
}

/// One language of a release compared in two languages.
#[derive(Debug, Clone, Copy)]
pub struct LanguageVersions<'a> {
    /// The configured policy name.
    pub policy: &'a str,
    /// Its locale (`en`, `zh-CN`).
    pub locale: &'a str,
    /// The old version.
    pub old: &'a Version,
    /// The new version.
    pub new: &'a Version,
}

/// A policy and the translations checked with it: one release, every
/// language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LanguageGroup {
    /// The original's policy name.
    pub original: String,
    /// Its translations' policy names, in configuration order.
    pub translations: Vec<String>,
}

/// The policies to compare, each with its translations: `policy` (or every
/// configured policy), a translation named there standing for its
/// original's group; `translation` instead of the configured
/// translations. Each policy appears in one group only, so its Report
/// comes once.
pub fn language_groups(
    config: &crate::config::Config,
    policy: Option<&str>,
    translation: Option<&str>,
) -> Result<Vec<LanguageGroup>, crate::config::ConfigError> {
    if let Some(t) = translation {
        let original = config.policy(policy)?;
        let translation = config.policy(Some(t))?;
        return Ok(vec![LanguageGroup {
            original: original.name.clone(),
            translations: vec![translation.name.clone()],
        }]);
    }
    let originals: Vec<&crate::config::PolicyConfig> = match policy {
        // A translation is checked with (and against) its original.
        Some(n) => {
            let p = config.policy(Some(n))?;
            vec![match &p.translation_of {
                Some(o) => config.policy(Some(o))?,
                None => p,
            }]
        }
        // A translation of a configured policy is checked in its group.
        None => config
            .policies
            .iter()
            .filter(|p| {
                p.translation_of
                    .as_ref()
                    .is_none_or(|o| !config.policies.iter().any(|q| &q.name == o))
            })
            .collect(),
    };
    Ok(originals
        .into_iter()
        .map(|p| LanguageGroup {
            original: p.name.clone(),
            translations: config
                .translations_of(&p.name)
                .into_iter()
                .map(|t| t.name.clone())
                .collect(),
        })
        .collect())
}

/// A translation of a release: like [`LanguageVersions`], but its old
/// version may be missing (a translation first added in this change).
#[derive(Debug, Clone, Copy)]
pub struct TranslationVersions<'a> {
    /// The configured policy name.
    pub policy: &'a str,
    /// Its locale (`zh-CN`).
    pub locale: &'a str,
    /// The old version; `None` when the file did not exist there.
    pub old: Option<&'a Version>,
    /// The new version.
    pub new: &'a Version,
}

/// One release of a policy in all its languages.
#[derive(Debug, Clone)]
pub struct TranslatedRelease {
    /// The original's Report, carrying one translation check per
    /// translation (`Report::translations`): each policy's Report once,
    /// however many translations it has.
    pub original: Report,
    /// Each translation's own comparison, in the order given, for the
    /// translations that existed in the old version.
    pub translations: Vec<Report>,
}

/// Compare one release in a policy and its translations: every comparison
/// (side by side), then each translation aligned clause by clause with the
/// original and the places where they diverge
/// ([`crate::align::check_translation`]), put in the original's Report. A
/// translation new in this change has no comparison of its own; its check
/// aligns the new texts and says so in a note. `allow_lag` is the reason
/// given for accepting findings (`check --allow-translation-lag`).
pub fn compare_translations(
    original: LanguageVersions<'_>,
    translations: &[TranslationVersions<'_>],
    allow_lag: Option<&str>,
    how: &Comparison,
) -> TranslatedRelease {
    let join = |h: std::thread::ScopedJoinHandle<'_, Document>| {
        h.join().unwrap_or_else(|e| std::panic::resume_unwind(e))
    };
    // Parse every text on its own thread.
    let (docs_o, docs_t) = std::thread::scope(|s| {
        let o_old = s.spawn(|| parse(original.old));
        let o_new = s.spawn(|| parse(original.new));
        let ts: Vec<_> = translations
            .iter()
            .map(|t| {
                (
                    t.old.map(|v| s.spawn(move || parse(v))),
                    s.spawn(|| parse(t.new)),
                )
            })
            .collect();
        let ts: Vec<(Option<Document>, Document)> = ts
            .into_iter()
            .map(|(old, new)| (old.map(join), join(new)))
            .collect();
        ((join(o_old), join(o_new)), ts)
    });
    // Compare each language old → new, side by side.
    let (report_o, reports_t) = std::thread::scope(|s| {
        let ts: Vec<_> = translations
            .iter()
            .zip(&docs_t)
            .map(|(t, (old_doc, new_doc))| {
                s.spawn(move || {
                    let (old, old_doc) = (t.old?, old_doc.as_ref()?);
                    Some(compare_docs(
                        (old, old_doc),
                        (t.new, new_doc),
                        Some(t.policy),
                        how,
                    ))
                })
            })
            .collect();
        let o = compare_docs(
            (original.old, &docs_o.0),
            (original.new, &docs_o.1),
            Some(original.policy),
            how,
        );
        let ts: Vec<Option<Report>> = ts
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect();
        (o, ts)
    });
    let checks: Vec<crate::align::TranslationCheck> = translations
        .iter()
        .zip(&docs_t)
        .zip(&reports_t)
        .map(|((t, docs), report)| {
            let mut check = match (&docs.0, report) {
                (Some(old_doc), Some(report_t)) => crate::align::check_translation(
                    crate::align::lag::Language {
                        policy: original.policy,
                        locale: original.locale,
                        old: &docs_o.0,
                        new: &docs_o.1,
                        report: &report_o,
                    },
                    crate::align::lag::Language {
                        policy: t.policy,
                        locale: t.locale,
                        old: old_doc,
                        new: &docs.1,
                        report: report_t,
                    },
                ),
                _ => crate::align::check_new_translation(
                    crate::align::NewLanguage {
                        policy: original.policy,
                        locale: original.locale,
                        new: &docs_o.1,
                        version: original.new,
                    },
                    crate::align::NewLanguage {
                        policy: t.policy,
                        locale: t.locale,
                        new: &docs.1,
                        version: t.new,
                    },
                    original.old,
                ),
            };
            check.allowed = allow_lag.map(str::to_owned);
            check
        })
        .collect();
    let mut report_o = report_o;
    report_o.translations = checks;
    // Freeing the documents is left to a thread of its own: the caller
    // has what it needs.
    std::thread::spawn(move || drop((docs_o, docs_t)));
    TranslatedRelease {
        original: report_o,
        translations: reports_t.into_iter().flatten().collect(),
    }
}

/// Compare one release in a policy and one translation
/// ([`compare_translations`] with a single translation that has an old
/// version). Returns the original's Report (carrying the translation
/// check) and the translation's.
pub fn compare_bilingual(
    original: LanguageVersions<'_>,
    translation: LanguageVersions<'_>,
    how: &Comparison,
) -> (Report, Report) {
    let TranslatedRelease {
        original: report_o,
        translations,
    } = compare_translations(
        original,
        &[TranslationVersions {
            policy: translation.policy,
            locale: translation.locale,
            old: Some(translation.old),
            new: translation.new,
        }],
        None,
        how,
    );
    // The translation had an old version, so it has its own Report.
    let Some(report_t) = translations.into_iter().next() else {
        unreachable!("a translation with an old version is compared")
    };
    (report_o, report_t)
}

/// Compare one release in each of its languages, side by side (a thread
/// each): a notice in a language quotes that language's own comparison.
/// The Reports come in the order of `languages`.
pub fn compare_languages(languages: &[LanguageVersions<'_>], how: &Comparison) -> Vec<Report> {
    std::thread::scope(|s| {
        let handles: Vec<_> = languages
            .iter()
            .map(|l| s.spawn(move || compare(l.old, l.new, Some(l.policy), how)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    })
}

/// What the languages of one release say about its prominence, each read
/// from its own list of major changes: they must agree, and where they do
/// not, the more prominent reading wins (a user is never told less in one
/// language than in another).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Agreement {
    /// The most prominent classification of any language.
    pub classification: Option<crate::classify::Classification>,
    /// Every trigger fired in some language, in first-seen order.
    pub triggers: Vec<String>,
    /// One sentence per language that reads the release differently, for a
    /// human (stderr, the notice context's `notes`), never for users.
    pub disagreements: Vec<String>,
}

/// The [`Agreement`] of the Reports of one release in several languages,
/// each given with its locale.
pub fn agreement(languages: &[(&str, &Report)]) -> Agreement {
    let mut out = Agreement::default();
    for (_, r) in languages {
        out.classification = out.classification.max(r.classification);
        for t in &r.triggers {
            if !out.triggers.contains(&t.id) {
                out.triggers.push(t.id.clone());
            }
        }
    }
    let reading = |r: &Report| {
        let class = r
            .classification
            .unwrap_or(crate::classify::Classification::None)
            .as_str();
        let ids: Vec<&str> = r.triggers.iter().map(|t| t.id.as_str()).collect();
        format!("{class} [{}]", ids.join(", "))
    };
    let Some((_, first)) = languages.first() else {
        return out;
    };
    fn ids(r: &Report) -> std::collections::BTreeSet<&str> {
        r.triggers.iter().map(|t| t.id.as_str()).collect()
    }
    let differs = languages
        .iter()
        .any(|(_, r)| r.classification != first.classification || ids(r) != ids(first));
    if differs {
        let each: Vec<String> = languages
            .iter()
            .map(|(locale, r)| {
                format!(
                    "{locale} ({}) reads {}",
                    r.policy.as_deref().unwrap_or("?"),
                    reading(r)
                )
            })
            .collect();
        out.disagreements.push(format!(
            "the languages' own lists of major changes disagree: {}; every notice uses {} [{}]",
            each.join(", "),
            out.classification
                .unwrap_or(crate::classify::Classification::None)
                .as_str(),
            out.triggers.join(", ")
        ));
    }
    out
}
