//! The append-only journal of one notice's delivery: proof of notification
//! and the state a resumed run starts from.
//!
//! JSON Lines. The first line is a header naming the notice and the key
//! (by a fingerprint, never the key itself) of the keyed hash (BLAKE3) that
//! stands for each address: the journal never holds an address, yet
//! `receipts --recipients FILE` can join them back where the key is. The key
//! lives apart from the journals (see [`load_key`]), so a leaked journal
//! cannot confirm a guessed address. Then one line per event: `start` (an attempt begins), `sent`,
//! `deferred` (4xx or connection failure after the last retry) or `failed`
//! (5xx). Lines are flushed and fsynced in batches; an outcome counts as
//! reported only once it is on disk.

use std::collections::HashMap;
use std::fs::{File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// Format version of the journal. Version 1 held the hash key in its
/// header; such journals are still read and resumed (with that key).
pub const JOURNAL_VERSION: u32 = 2;

/// Environment variable holding the journal key (64 hex digits).
pub const KEY_ENV: &str = "POLICYDIFF_JOURNAL_KEY";
/// Environment variable naming a file that holds the journal key.
pub const KEY_FILE_ENV: &str = "POLICYDIFF_JOURNAL_KEY_FILE";
/// The key file created beside the configuration when no key is given.
pub const KEY_FILE_NAME: &str = "policydiff-journal.key";

/// Errors reading or writing a journal.
#[derive(Debug, thiserror::Error)]
pub enum JournalError {
    /// I/O on the journal file.
    #[error("{path}: {source}")]
    Io {
        /// The journal.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The journal is not one, or is damaged.
    #[error("{path}: {reason}")]
    Corrupt {
        /// The journal.
        path: String,
        /// What is wrong, with the line.
        reason: String,
    },
    /// The journal belongs to another notice.
    #[error(
        "{path} is the journal of notice {found}, not of this one ({expected}): give another --journal or the same versions"
    )]
    OtherNotice {
        /// The journal.
        path: String,
        /// Its notice.
        found: String,
        /// This run's notice.
        expected: String,
    },
}

type Result<T> = std::result::Result<T, JournalError>;

/// First line of a journal.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Header {
    /// Format version.
    pub journal: u32,
    /// Id of the notice (policy and versions).
    pub notice: String,
    /// Version 1 only: the hex key of the address hash, in the header.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    /// Fingerprint of the key that hashed the addresses (a hash of the key:
    /// it tells keys apart and reveals nothing of them).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// Shard (`K/N`), if the run was sharded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<String>,
    /// When the journal was created (RFC 3339).
    pub created: String,
}

/// What happened to a recipient.
#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Event {
    /// An attempt began.
    Start,
    /// The server accepted the message.
    Sent,
    /// A temporary failure outlasted the retries: try again in a later run.
    Deferred,
    /// The server refused permanently.
    Failed,
}

/// One journal line after the header.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Record {
    /// Keyed hash of the address.
    pub r: String,
    /// The event.
    pub e: Event,
    /// When (RFC 3339, UTC).
    pub at: String,
    /// Attempt number (1-based) for `start`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub n: Option<u32>,
    /// Message-ID of the message.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The server's reply (or the transport's error).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reply: Option<String>,
}

/// The last known state of each recipient in a journal.
#[derive(Debug, Default)]
pub struct State {
    /// Latest record per address hash (an outcome beats a later `start` only
    /// when that start has no outcome: then the recipient is in doubt).
    pub last: HashMap<String, Record>,
}

impl State {
    /// The state of one address hash.
    pub fn get(&self, hash: &str) -> Option<&Record> {
        self.last.get(hash)
    }
}

/// Keyed hash of an address (lower-cased and trimmed by the caller).
pub fn address_hash(key: &[u8; 32], address: &str) -> String {
    let h = blake3::keyed_hash(key, address.as_bytes());
    h.to_hex()[..32].to_owned()
}

/// The master key of the journals: where it came from, for messages.
#[derive(Clone)]
pub struct MasterKey {
    bytes: [u8; 32],
    /// Where it is (an environment variable or a file), for messages.
    pub source: String,
}

impl std::fmt::Debug for MasterKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key itself.
        write!(f, "MasterKey({})", self.source)
    }
}

impl MasterKey {
    /// A key from its bytes (tests and benchmarks).
    pub fn from_bytes(bytes: [u8; 32], source: &str) -> MasterKey {
        MasterKey {
            bytes,
            source: source.to_owned(),
        }
    }

    /// Fingerprint recorded in the header: which key, without the key.
    pub fn id(&self) -> String {
        blake3::keyed_hash(&self.bytes, b"policydiff journal key id").to_hex()[..16].to_owned()
    }

    /// The hash key of one notice's journals: shards of a notice share it,
    /// and hashes of different notices cannot be linked.
    pub fn for_notice(&self, notice: &str) -> [u8; 32] {
        let mut h = blake3::Hasher::new_keyed(&self.bytes);
        h.update(b"policydiff journal notice\0");
        h.update(notice.as_bytes());
        *h.finalize().as_bytes()
    }
}

/// Errors finding the journal key.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// A key that is not 64 hex digits.
    #[error("{0}: not a journal key (64 hex digits)")]
    Malformed(String),
    /// The key file cannot be read or written.
    #[error("journal key {path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// No key anywhere, where one is needed.
    #[error(
        "no journal key: set {KEY_ENV}, or {KEY_FILE_ENV} to the key file, or run where the configuration's {KEY_FILE_NAME} is"
    )]
    Missing,
}

/// Find the journal key: `POLICYDIFF_JOURNAL_KEY` (hex), else the file
/// named by `POLICYDIFF_JOURNAL_KEY_FILE`, else `policydiff-journal.key`
/// beside the configuration (`config_dir`). With `create`, a missing key
/// file beside the configuration is created (random key, mode 0600) and
/// `Ok(Some(..))` says so in its second field.
pub fn load_key(
    config_dir: Option<&Path>,
    create: bool,
) -> std::result::Result<Option<(MasterKey, bool)>, KeyError> {
    if let Some(hex) = std::env::var(KEY_ENV).ok().filter(|v| !v.trim().is_empty()) {
        let bytes = parse_key(hex.trim()).ok_or_else(|| KeyError::Malformed(KEY_ENV.into()))?;
        return Ok(Some((MasterKey::from_bytes(bytes, KEY_ENV), false)));
    }
    let named = std::env::var_os(KEY_FILE_ENV).filter(|v| !v.is_empty());
    let (path, may_create) = match (named, config_dir) {
        (Some(p), _) => (PathBuf::from(p), false),
        (None, Some(dir)) => (dir.join(KEY_FILE_NAME), create),
        (None, None) => return Ok(None),
    };
    let shown = path.display().to_string();
    let io = |source| KeyError::Io {
        path: shown.clone(),
        source,
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => {
            let bytes = parse_key(text.trim()).ok_or_else(|| KeyError::Malformed(shown.clone()))?;
            Ok(Some((MasterKey::from_bytes(bytes, &shown), false)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && may_create => {
            create_key_file(&path).map_err(io)?;
            // Read back what is there: a concurrent run may have won the race.
            let text = std::fs::read_to_string(&path).map_err(io)?;
            let bytes = parse_key(text.trim()).ok_or_else(|| KeyError::Malformed(shown.clone()))?;
            Ok(Some((MasterKey::from_bytes(bytes, &shown), true)))
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !may_create => {
            if matches!(std::env::var_os(KEY_FILE_ENV), Some(v) if !v.is_empty()) {
                Err(io(e))
            } else {
                Ok(None)
            }
        }
        Err(e) => Err(io(e)),
    }
}

/// Write a fresh random key to `path`, readable by its owner only, without
/// ever replacing a key that is there (written aside, then linked in).
fn create_key_file(path: &Path) -> std::io::Result<()> {
    let dir = path
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut key = [0u8; 32];
    getrandom(&mut key)?;
    let mut builder = tempfile::Builder::new();
    builder.prefix(".policydiff-key-");
    #[cfg(unix)]
    builder.permissions(std::os::unix::fs::PermissionsExt::from_mode(0o600));
    let mut tmp = builder.tempfile_in(dir)?;
    tmp.write_all(format!("{}\n", hex(&key)).as_bytes())?;
    tmp.as_file().sync_all()?;
    match tmp.persist_noclobber(path) {
        Ok(_) => Ok(()),
        Err(e) if e.error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e.error),
    }
}

/// Key material from the operating system's random source.
fn getrandom(buf: &mut [u8]) -> std::io::Result<()> {
    use std::io::Read;
    File::open("/dev/urandom")?.read_exact(buf)
}

/// Parse a hex key.
pub fn parse_key(hex: &str) -> Option<[u8; 32]> {
    if hex.len() != 64 {
        return None;
    }
    let mut key = [0u8; 32];
    for (i, chunk) in hex.as_bytes().chunks(2).enumerate() {
        let s = std::str::from_utf8(chunk).ok()?;
        key[i] = u8::from_str_radix(s, 16).ok()?;
    }
    Some(key)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Now, RFC 3339 UTC with milliseconds.
pub fn now() -> String {
    let t = time::OffsetDateTime::now_utc();
    let format = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z"
    );
    t.format(&format).unwrap_or_default()
}

/// Read a journal: its header, the state of every recipient, and how it
/// ends. A final line cut short by a crash is ignored (see [`Tail`]); any
/// other damage is an error naming the line.
pub fn read(path: &Path) -> Result<(Header, State, Tail)> {
    let shown = path.display().to_string();
    let io = |source| JournalError::Io {
        path: shown.clone(),
        source,
    };
    let file = File::open(path).map_err(io)?;
    // A device or FIFO named as a journal would be read forever.
    if !file.metadata().map_err(io)?.is_file() {
        return Err(JournalError::Corrupt {
            path: shown.clone(),
            reason: "is not a regular file, so not a journal".into(),
        });
    }
    let mut reader = BufReader::new(file);
    let mut header_line = String::new();
    reader.read_line(&mut header_line).map_err(io)?;
    let header: Header =
        serde_json::from_str(header_line.trim_end()).map_err(|_| JournalError::Corrupt {
            path: shown.clone(),
            reason: "line 1 is not a policydiff journal header".into(),
        })?;
    let header_ok = match header.journal {
        1 => header.key.as_deref().and_then(parse_key).is_some(),
        JOURNAL_VERSION => header.key.is_none() && header.key_id.is_some(),
        _ => false,
    };
    if !header_ok {
        return Err(JournalError::Corrupt {
            path: shown,
            reason: format!(
                "line 1: unsupported journal version {} or bad key",
                header.journal
            ),
        });
    }
    let mut state = State::default();
    let mut offset = header_line.len() as u64;
    let mut line_no = 1u64;
    let mut tail = Tail::Clean;
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let n = reader.read_until(b'\n', &mut buf).map_err(io)?;
        if n == 0 {
            break;
        }
        line_no += 1;
        let complete = buf.ends_with(b"\n");
        let record: Option<Record> = std::str::from_utf8(&buf)
            .ok()
            .and_then(|s| serde_json::from_str(s.trim_end()).ok());
        match (record, complete) {
            (Some(r), complete) => {
                if !complete {
                    // A whole record whose newline was not written yet.
                    tail = Tail::NeedsNewline;
                }
                let in_doubt_start = r.e == Event::Start;
                match state.last.get(&r.r) {
                    // A start after an outcome is a new attempt (a resumed
                    // deferral); a start after a start keeps the first.
                    Some(prev) if in_doubt_start && prev.e == Event::Start => {}
                    _ => {
                        state.last.insert(r.r.clone(), r);
                    }
                }
            }
            (None, false) => {
                tail = Tail::CutAt(offset);
                break;
            }
            (None, true) => {
                return Err(JournalError::Corrupt {
                    path: shown,
                    reason: format!("line {line_no} is not a journal record"),
                });
            }
        }
        offset += n as u64;
    }
    Ok((header, state, tail))
}

/// The hash key of a journal: from its header (version 1), or derived from
/// the master key, which must be the one that wrote it. The flag is true
/// for a version-1 journal.
pub fn journal_key(
    header: &Header,
    path: &Path,
    master: Option<&MasterKey>,
) -> Result<([u8; 32], bool)> {
    if let Some(key) = header.key.as_deref().and_then(parse_key) {
        return Ok((key, true));
    }
    let shown = path.display().to_string();
    let Some(master) = master else {
        return Err(JournalError::Corrupt {
            path: shown,
            reason: format!(
                "its hash key is not in the journal: set {KEY_ENV}, or {KEY_FILE_ENV} to the key file, or run where the configuration's {KEY_FILE_NAME} is"
            ),
        });
    };
    let expected = header.key_id.as_deref().unwrap_or_default();
    if master.id() != expected {
        return Err(JournalError::Corrupt {
            path: shown,
            reason: format!(
                "was written with another journal key (key id {expected}; {} has key id {}): give the key it was written with",
                master.source,
                master.id()
            ),
        });
    }
    Ok((master.for_notice(&header.notice), false))
}

/// Check that a journal read from `path` can be resumed by this run: same
/// notice, same shard, the key at hand. Returns what [`journal_key`] does.
pub fn check(
    header: &Header,
    path: &Path,
    notice: &str,
    shard: Option<&str>,
    master: Option<&MasterKey>,
) -> Result<([u8; 32], bool)> {
    let shown = path.display().to_string();
    if header.notice != notice {
        return Err(JournalError::OtherNotice {
            path: shown,
            found: header.notice.clone(),
            expected: notice.to_owned(),
        });
    }
    if header.shard.as_deref() != shard {
        return Err(JournalError::Corrupt {
            path: shown,
            reason: format!(
                "this journal is of shard {}, not {}: give each shard its own journal",
                header.shard.as_deref().unwrap_or("(none)"),
                shard.unwrap_or("(none)")
            ),
        });
    }
    journal_key(header, path, master)
}

/// How a journal ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tail {
    /// On a newline.
    Clean,
    /// With a half-written line starting at this offset (dropped on resume).
    CutAt(u64),
    /// With a whole record missing its newline (added on resume).
    NeedsNewline,
}

/// Hold an exclusive lock on the journal for the life of the run: two runs
/// on one journal would each send to everyone. The lock goes with the
/// process, so a killed run leaves nothing stale behind.
fn lock(file: &File, path: &Path) -> Result<()> {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: flock only takes the descriptor of a file we hold open.
        let rc = unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) };
        if rc != 0 {
            return Err(JournalError::Corrupt {
                path: path.display().to_string(),
                reason: "is in use by another `policydiff send` (locked): wait for it to finish"
                    .into(),
            });
        }
    }
    Ok(())
}

/// Appends records, fsyncing in batches.
pub struct Writer {
    file: BufWriter<File>,
    path: PathBuf,
    unsynced: usize,
    last_sync: Instant,
    /// Records written since the last fsync.
    pending: usize,
}

/// Most records between two fsyncs, and the longest time.
const SYNC_EVERY: usize = 256;
const SYNC_INTERVAL: Duration = Duration::from_millis(200);

impl Writer {
    /// Open a journal for this notice: create it or resume it (checking it
    /// belongs to the notice and to `master`). Returns the writer, the hash
    /// key of the notice, the state so far, and whether the journal is of
    /// version 1 (its key in its header, used as it is).
    pub fn open(
        path: &Path,
        notice: &str,
        shard: Option<&str>,
        master: &MasterKey,
    ) -> Result<(Writer, [u8; 32], State, bool)> {
        let shown = path.display().to_string();
        let io = |source| JournalError::Io {
            path: shown.clone(),
            source,
        };
        if path.exists() {
            let (header, state, tail) = read(path)?;
            let (key, legacy) = check(&header, path, notice, shard, Some(master))?;
            // Appends always go to the end, whoever else writes (O_APPEND).
            let mut file = OpenOptions::new()
                .read(true)
                .append(true)
                .open(path)
                .map_err(io)?;
            lock(&file, path)?;
            match tail {
                // Drop a half-written last line, so appends start on a line.
                Tail::CutAt(at) => file.set_len(at).map_err(io)?,
                Tail::NeedsNewline => file.write_all(b"\n").map_err(io)?,
                Tail::Clean => {}
            }
            let w = Writer {
                file: BufWriter::new(file),
                path: path.to_path_buf(),
                unsynced: 0,
                last_sync: Instant::now(),
                pending: 0,
            };
            return Ok((w, key, state, legacy));
        }
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        let key = master.for_notice(notice);
        let header = Header {
            journal: JOURNAL_VERSION,
            notice: notice.to_owned(),
            key: None,
            key_id: Some(master.id()),
            shard: shard.map(str::to_owned),
            created: now(),
        };
        let file = OpenOptions::new()
            .create_new(true)
            .append(true)
            .open(path)
            .map_err(io)?;
        lock(&file, path)?;
        let mut w = Writer {
            file: BufWriter::new(file),
            path: path.to_path_buf(),
            unsynced: 0,
            last_sync: Instant::now(),
            pending: 0,
        };
        let line = serde_json::to_string(&header).unwrap_or_default();
        w.file
            .write_all(line.as_bytes())
            .and_then(|()| w.file.write_all(b"\n"))
            .map_err(io)?;
        w.sync()?;
        Ok((w, key, State::default(), false))
    }

    fn io(&self) -> impl Fn(std::io::Error) -> JournalError + '_ {
        move |source| JournalError::Io {
            path: self.path.display().to_string(),
            source,
        }
    }

    /// Append a record; fsync when the batch is full or old enough.
    /// Returns true when the record (and all before it) is on disk.
    pub fn append(&mut self, record: &Record) -> Result<bool> {
        let line = serde_json::to_string(record).unwrap_or_default();
        let written = self
            .file
            .write_all(line.as_bytes())
            .and_then(|()| self.file.write_all(b"\n"));
        written.map_err(self.io())?;
        self.unsynced += 1;
        self.pending += 1;
        if self.unsynced >= SYNC_EVERY || self.last_sync.elapsed() >= SYNC_INTERVAL {
            self.sync()?;
            return Ok(true);
        }
        Ok(false)
    }

    /// Flush and fsync everything written. Returns how many records became durable.
    pub fn sync(&mut self) -> Result<usize> {
        self.file.flush().map_err(self.io())?;
        self.file.get_ref().sync_data().map_err(self.io())?;
        self.unsynced = 0;
        self.last_sync = Instant::now();
        Ok(std::mem::take(&mut self.pending))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn master() -> MasterKey {
        MasterKey::from_bytes([7; 32], "test")
    }

    fn rec(r: &str, e: Event) -> Record {
        Record {
            r: r.into(),
            e,
            at: now(),
            n: None,
            id: None,
            reply: None,
        }
    }

    #[test]
    fn resume_reads_state_and_drops_a_torn_last_line() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.jsonl");
        let (mut w, key, state, _) = Writer::open(&p, "n1", None, &master()).unwrap();
        assert!(state.last.is_empty());
        let a = address_hash(&key, "a@example.com");
        w.append(&rec(&a, Event::Start)).unwrap();
        w.append(&rec(&a, Event::Sent)).unwrap();
        w.append(&rec("b", Event::Start)).unwrap();
        w.sync().unwrap();
        drop(w);
        // A crash mid-write leaves half a line.
        let mut f = OpenOptions::new().append(true).open(&p).unwrap();
        f.write_all(b"{\"r\":\"c\",\"e\":\"se").unwrap();
        drop(f);
        let (mut w, key2, state, legacy) = Writer::open(&p, "n1", None, &master()).unwrap();
        assert!(!legacy);
        assert_eq!(key, key2);
        assert_eq!(state.get(&a).unwrap().e, Event::Sent);
        assert_eq!(state.get("b").unwrap().e, Event::Start);
        assert!(state.get("c").is_none());
        w.append(&rec("c", Event::Sent)).unwrap();
        w.sync().unwrap();
        let (_, state, torn) = read(&p).unwrap();
        assert_eq!(torn, Tail::Clean);
        assert_eq!(state.get("c").unwrap().e, Event::Sent);
    }

    #[test]
    fn another_notice_and_corruption_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("j.jsonl");
        let (mut w, _, _, _) = Writer::open(&p, "n1", None, &master()).unwrap();
        w.append(&rec("a", Event::Sent)).unwrap();
        w.sync().unwrap();
        drop(w);
        assert!(matches!(
            Writer::open(&p, "n2", None, &master()),
            Err(JournalError::OtherNotice { .. })
        ));
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(
            &p,
            format!("{text}garbage\n{{\"r\":\"b\",\"e\":\"sent\",\"at\":\"x\"}}\n"),
        )
        .unwrap();
        let err = read(&p).unwrap_err().to_string();
        assert!(err.contains("line 3"), "{err}");
        std::fs::write(&p, "not a journal\n").unwrap();
        assert!(read(&p).unwrap_err().to_string().contains("line 1"));
    }
}
