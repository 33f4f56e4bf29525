//! Proof of notification: the journals of one notice merged into one
//! receipt per recipient, the most final record winning.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use super::journal::{self, Event, MasterKey, Record, State};
use super::{DeliverError, recipients, scrub};

/// One receipt row.
#[derive(Debug, serde::Serialize)]
pub struct Receipt {
    /// The address, only when a recipient list was given to join it back in
    /// (empty for an invalid row: what is there may not be an address).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// The row's line in the recipient list, when one was given.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// Keyed hash of the address, as in the journal.
    pub address_hash: String,
    /// `sent`, `deferred`, `failed`, `in-doubt` or `not-sent`; with a
    /// recipient list also `invalid` (never sent: the reason is in `reply`)
    /// and `duplicate` (the address of an earlier line, sent once).
    pub status: String,
    /// When (RFC 3339).
    pub time: String,
    /// Message-ID of the message sent.
    pub message_id: String,
    /// The server's reply, with addresses scrubbed; for an invalid row,
    /// what is wrong with it; for a duplicate, the line it repeats.
    pub reply: String,
    /// The journal the record comes from.
    pub journal: String,
}

/// The journals of one notice, read.
pub struct Journals {
    /// Name, hash key (when addresses are to be joined back in) and state.
    journals: Vec<(String, Option<[u8; 32]>, State)>,
}

/// The receipt status of a journal event.
pub fn status(e: Event) -> &'static str {
    match e {
        Event::Sent => "sent",
        Event::Deferred => "deferred",
        Event::Failed => "failed",
        Event::Start => "in-doubt",
    }
}

/// How final a record is, to merge journals that both know a recipient
/// (the same shard run twice, or a copy): the most final wins.
fn finality(e: Event) -> u8 {
    match e {
        Event::Sent => 3,
        Event::Failed => 2,
        Event::Deferred => 1,
        Event::Start => 0,
    }
}

fn receipt(
    email: Option<String>,
    line: Option<u64>,
    hash: &str,
    r: &Record,
    journal: &str,
) -> Receipt {
    Receipt {
        email,
        line,
        address_hash: hash.to_owned(),
        status: status(r.e).to_owned(),
        time: r.at.clone(),
        message_id: r.id.clone().unwrap_or_default(),
        // Journals written before replies were scrubbed may hold addresses.
        reply: r.reply.as_deref().map(scrub::scrub).unwrap_or_default(),
        journal: journal.to_owned(),
    }
}

impl Journals {
    /// Read `paths` (the same file twice, or through a link, counts once);
    /// all must be journals of one notice. With `master`, each journal's hash
    /// key is derived too, so that addresses can be joined back in.
    pub fn read(
        paths: &[impl AsRef<Path>],
        master: Option<Option<&MasterKey>>,
    ) -> Result<Journals, DeliverError> {
        let mut journals = Vec::new();
        let mut notice: Option<String> = None;
        let mut seen = HashSet::new();
        for path in paths {
            let path = path.as_ref();
            let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf());
            if !seen.insert(canonical) {
                continue;
            }
            let (header, state, _) = journal::read(path)?;
            match &notice {
                Some(n) if *n != header.notice => {
                    return Err(DeliverError::Refused(format!(
                        "{} is the journal of notice {}, the others of {n}: merge journals of one notice only",
                        path.display(),
                        header.notice
                    )));
                }
                _ => notice = Some(header.notice.clone()),
            }
            let key = match master {
                Some(m) => Some(journal::journal_key(&header, path, m)?.0),
                None => None,
            };
            journals.push((path.display().to_string(), key, state));
        }
        Ok(Journals { journals })
    }

    /// One receipt per row of the recipient list, in its order: `not-sent`
    /// for those no journal knows, `invalid` and `duplicate` for the rows a
    /// run skips, each with its line. Needs the hash keys
    /// ([`Journals::read`] with a master key).
    pub fn for_list(&self, list: &Path) -> Result<Vec<Receipt>, DeliverError> {
        let mut rows = Vec::new();
        // Address key → its first line.
        let mut seen: HashMap<String, u64> = HashMap::new();
        let skipped = |email: String, line: u64, status: &str, reply: String| Receipt {
            email: Some(email),
            line: Some(line),
            address_hash: String::new(),
            status: status.into(),
            time: String::new(),
            message_id: String::new(),
            reply,
            journal: String::new(),
        };
        for row in recipients::open(list)? {
            let row = match row {
                Ok(r) => r,
                Err(bad) => {
                    // The reason never holds the address; nor does the row.
                    rows.push(skipped(String::new(), bad.line, "invalid", bad.reason));
                    continue;
                }
            };
            let key_text = row.key();
            if let Some(first) = seen.get(&key_text) {
                let why = format!("same address as line {first}: one message for both");
                rows.push(skipped(row.email.clone(), row.line, "duplicate", why));
                continue;
            }
            seen.insert(key_text.clone(), row.line);
            let found = self
                .journals
                .iter()
                .filter_map(|(name, key, state)| {
                    let hash = journal::address_hash(key.as_ref()?, &key_text);
                    state.get(&hash).map(|r| (name, hash, r))
                })
                .max_by_key(|(_, _, r)| finality(r.e));
            rows.push(match found {
                Some((name, hash, r)) => {
                    receipt(Some(row.email.clone()), Some(row.line), &hash, r, name)
                }
                None => Receipt {
                    email: Some(row.email.clone()),
                    line: Some(row.line),
                    address_hash: String::new(),
                    status: "not-sent".into(),
                    time: String::new(),
                    message_id: String::new(),
                    reply: String::new(),
                    journal: String::new(),
                },
            });
        }
        Ok(rows)
    }

    /// One receipt per address hash across the journals, the most final.
    pub fn by_hash(&self) -> Vec<Receipt> {
        let mut best: BTreeMap<&String, (&String, &Record)> = BTreeMap::new();
        for (name, _, state) in &self.journals {
            for (h, r) in &state.last {
                let e = best.entry(h).or_insert((name, r));
                if finality(r.e) > finality(e.1.e) {
                    *e = (name, r);
                }
            }
        }
        best.into_iter()
            .map(|(h, (name, r))| receipt(None, None, h, r, name))
            .collect()
    }
}
