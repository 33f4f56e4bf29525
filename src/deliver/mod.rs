//! Delivery of update emails: recipients → messages → transport, with a
//! journal that makes the run resumable and proves who was notified.
//!
//! This layer knows nothing of diffs: it is given a way to render a
//! recipient's email and sends it, once in practice. Delivery is
//! at-least-once: a recipient whose attempt began but whose outcome never
//! reached the journal (the process died mid-send) is sent again on resume,
//! because a missed legal notice is worse than a duplicate; the duplicates
//! are bounded by the messages in flight and the last unsynced journal batch.

pub mod journal;
pub mod recipients;
pub mod scrub;
mod transport;

use std::collections::HashSet;
use std::path::Path;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use lettre::Message;
use lettre::message::header::{Header, HeaderName, HeaderValue};
use lettre::message::{Mailbox, MultiPart};

pub use journal::{Event, JournalError, Record};
pub use recipients::{InvalidRow, Recipient, RecipientsError, Rows};
pub use transport::{
    FailureKind, SendFailure, Session, SmtpSettings, TlsMode, Transport, TransportError,
    TransportSpec,
};

/// Errors that stop a delivery run.
#[derive(Debug, thiserror::Error)]
pub enum DeliverError {
    /// The recipient list.
    #[error(transparent)]
    Recipients(#[from] RecipientsError),
    /// The journal.
    #[error(transparent)]
    Journal(#[from] JournalError),
    /// The transport could not be set up.
    #[error(transparent)]
    Transport(#[from] TransportError),
    /// `--strict` and invalid rows.
    #[error("{0}")]
    Refused(String),
}

/// A rendered email for one recipient.
#[derive(Debug, Clone)]
pub struct EmailContent {
    /// Subject line.
    pub subject: String,
    /// Plain-text part.
    pub text: String,
    /// HTML part.
    pub html: String,
}

/// Headers common to every message.
#[derive(Debug, Clone)]
pub struct Envelope {
    /// From.
    pub from: Mailbox,
    /// Reply-To.
    pub reply_to: Option<Mailbox>,
    /// List-Unsubscribe value (`<mailto:…>, <https://…>`).
    pub list_unsubscribe: Option<String>,
    /// Domain of the Message-IDs.
    pub id_domain: String,
    /// Identity of the notice; with the address it makes the Message-ID.
    pub notice: String,
    /// DKIM signing, if configured.
    pub dkim: Option<std::sync::Arc<lettre::message::dkim::DkimConfig>>,
}

/// `List-Unsubscribe` (RFC 2369), which lettre has no type for.
#[derive(Debug, Clone)]
struct ListUnsubscribe(String);

impl Header for ListUnsubscribe {
    fn name() -> HeaderName {
        HeaderName::new_from_ascii_str("List-Unsubscribe")
    }
    fn parse(s: &str) -> Result<Self, Box<dyn std::error::Error + Send + Sync>> {
        Ok(ListUnsubscribe(s.to_owned()))
    }
    fn display(&self) -> HeaderValue {
        HeaderValue::new(Self::name(), self.0.clone())
    }
}

/// The stable Message-ID of a notice to an address: a resend is recognisable.
pub fn message_id(envelope: &Envelope, address_key: &str) -> String {
    let h = blake3::hash(format!("{}\0{address_key}", envelope.notice).as_bytes());
    format!("<{}.policydiff@{}>", &h.to_hex()[..32], envelope.id_domain)
}

/// A part's body: ASCII as lettre chooses (7bit or quoted-printable), other
/// text as base64, which is a third of quoted-printable's size for Chinese
/// and faster to encode.
fn body(text: &str) -> lettre::message::Body {
    use lettre::message::header::ContentTransferEncoding;
    if text.is_ascii() {
        return lettre::message::Body::new(text.to_owned());
    }
    lettre::message::Body::new_with_encoding(text.to_owned(), ContentTransferEncoding::Base64)
        .unwrap_or_else(|_| lettre::message::Body::new(text.to_owned()))
}

/// Build the message for one recipient.
pub fn build_message(
    envelope: &Envelope,
    to: &Recipient,
    content: &EmailContent,
) -> Result<Message, String> {
    let address = to
        .email
        .parse()
        .map_err(|_| "invalid email address".to_owned())?;
    let name = to
        .fields
        .get("name")
        .map(|n| n.trim().to_owned())
        .filter(|n| !n.is_empty());
    let mut builder = Message::builder()
        .from(envelope.from.clone())
        .to(Mailbox::new(name, address))
        // Header values are RFC 2047-encoded by lettre: CR/LF in a subject
        // cannot inject a header (and recipients with them are refused earlier).
        .subject(content.subject.trim())
        .message_id(Some(message_id(envelope, &to.key())))
        .date_now();
    if let Some(r) = &envelope.reply_to {
        builder = builder.reply_to(r.clone());
    }
    if let Some(u) = &envelope.list_unsubscribe {
        builder = builder.header(ListUnsubscribe(u.clone()));
    }
    let mut message = builder
        .multipart(MultiPart::alternative_plain_html(
            body(&content.text),
            body(&content.html),
        ))
        .map_err(|e| format!("cannot build the message: {e}"))?;
    if let Some(dkim) = &envelope.dkim {
        message.sign(dkim);
    }
    Ok(message)
}

/// How to send.
#[derive(Debug, Clone)]
pub struct Options {
    /// Parallel connections (workers).
    pub connections: usize,
    /// Messages per second at most, across all workers.
    pub rate: Option<f64>,
    /// Attempts per recipient within a run (transient failures).
    pub max_attempts: u32,
    /// First backoff; doubled each attempt, with ±50% jitter.
    pub backoff: Duration,
    /// Longest backoff.
    pub backoff_max: Duration,
    /// Resend recipients whose attempt has no outcome in the journal.
    pub resend_in_doubt: bool,
    /// Only this shard (`k` of `n`, 1-based).
    pub shard: Option<(u64, u64)>,
    /// About how many rows the list has (sizes the duplicate check up front,
    /// so it never grows by doubling in the middle of a large run).
    pub expected_rows: usize,
}

/// What a run did.
#[derive(Debug, Clone, Default, serde::Serialize)]
pub struct Summary {
    /// Rows read (valid or not).
    pub rows: usize,
    /// Accepted by the server in this run.
    pub sent: usize,
    /// Already sent in an earlier run (from the journal).
    pub already_sent: usize,
    /// Temporary failures that outlasted the retries (and recipients
    /// tried when the server refused the session): retried by the next run.
    pub deferred: usize,
    /// Recipients whose earlier attempt has no outcome, not resent because
    /// of `--no-resend-in-doubt`: a rerun with that flag skips them too.
    pub in_doubt: usize,
    /// Permanent failures.
    pub failed: usize,
    /// Invalid rows.
    pub invalid: usize,
    /// Repeated addresses (sent once).
    pub duplicates: usize,
    /// Rows of other shards.
    pub other_shards: usize,
    /// Recipients whose earlier attempt had no outcome, sent again.
    pub resent_in_doubt: usize,
    /// Why the run stopped early (the server refused the session), if it
    /// did; scrubbed of addresses.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub stopped: Option<String>,
}

impl Summary {
    /// Recipients of this run's shard not delivered (now or before).
    pub fn undelivered(&self) -> usize {
        self.deferred + self.in_doubt + self.failed + self.invalid
    }
}

/// Reports progress: counts done so far.
pub trait Progress: Sync {
    /// One more recipient handled (sent, deferred, failed or skipped).
    fn tick(&self);
}

/// The shard of an address key: 1-based.
pub fn shard_of(address_key: &str, n: u64) -> u64 {
    let h = blake3::hash(address_key.as_bytes());
    let mut first = [0u8; 8];
    first.copy_from_slice(&h.as_bytes()[..8]);
    u64::from_le_bytes(first) % n + 1
}

/// What to do with an address read from the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admit {
    /// First time seen, in this run's shard: send.
    New,
    /// Seen before in the list: sent once only.
    Duplicate,
    /// Another shard's.
    OtherShard,
}

/// Picks the addresses a run sends to: each once, and only its shard's.
pub struct Selector {
    /// 64-bit hashes of the addresses seen: 8 bytes each (a collision among
    /// a million addresses has odds of about 1 in 30 million).
    seen: HashSet<u64, std::hash::BuildHasherDefault<rustc_hash::FxHasher>>,
    shard: Option<(u64, u64)>,
}

impl Selector {
    /// For shard `k` of `n` (or all), sized for about `expected` rows so the
    /// set never grows by doubling in the middle of a large run.
    pub fn new(shard: Option<(u64, u64)>, expected: usize) -> Selector {
        Selector {
            seen: HashSet::with_capacity_and_hasher(expected, Default::default()),
            shard,
        }
    }

    /// Decide about one address key ([`Recipient::key`]).
    pub fn admit(&mut self, address_key: &str) -> Admit {
        let digest = blake3::hash(address_key.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest.as_bytes()[..8]);
        if !self.seen.insert(u64::from_le_bytes(first)) {
            return Admit::Duplicate;
        }
        match self.shard {
            Some((k, n)) if shard_of(address_key, n) != k => Admit::OtherShard,
            _ => Admit::New,
        }
    }
}

/// Check every row first (`--strict`): refuse to send anything when any row
/// is invalid.
pub fn strict_check(path: &Path) -> Result<(), DeliverError> {
    let (mut invalid, mut shown) = (0usize, Vec::new());
    for row in recipients::open(path)? {
        if let Err(bad) = row {
            invalid += bad.lines as usize;
            if shown.len() < 5 {
                shown.push(format!("line {}: {}", bad.line, bad.reason));
            }
        }
    }
    if invalid > 0 {
        let more = if invalid > shown.len() { ", …" } else { "" };
        return Err(DeliverError::Refused(format!(
            "{}: {invalid} invalid row(s) ({}{more}) and --strict: nothing was sent",
            path.display(),
            shown.join("; ")
        )));
    }
    Ok(())
}

/// A job for a worker.
struct Job {
    recipient: Recipient,
    hash: String,
    in_doubt: bool,
}

/// Send to every recipient of `rows` not already sent according to the
/// journal. `render` makes a recipient's email; `on_invalid` hears about
/// each invalid row (line and reason, never the address).
#[allow(clippy::too_many_arguments)]
pub fn run(
    rows: Rows,
    journal: journal::Writer,
    key: [u8; 32],
    state: &journal::State,
    envelope: &Envelope,
    render: &(dyn Fn(&Recipient) -> Result<EmailContent, String> + Sync),
    transport: &Transport,
    opts: &Options,
    progress: &dyn Progress,
    on_invalid: &mut dyn FnMut(&InvalidRow),
) -> Result<Summary, DeliverError> {
    let journal = Mutex::new(journal);
    let journal_error: Mutex<Option<JournalError>> = Mutex::new(None);
    // Set when the server refuses the account itself: stop, do not fail everyone.
    let abort: Mutex<Option<String>> = Mutex::new(None);
    let stopping = || {
        journal_error.lock().map(|e| e.is_some()).unwrap_or(true)
            || abort.lock().map(|a| a.is_some()).unwrap_or(true)
    };
    let counts = [
        AtomicUsize::new(0), // sent
        AtomicUsize::new(0), // deferred
        AtomicUsize::new(0), // failed
        AtomicUsize::new(0), // resent in doubt
    ];
    let next_slot = Mutex::new(Instant::now());
    let mut summary = Summary::default();
    let record = |r: Record| -> bool {
        let mut j = journal
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        match j.append(&r) {
            Ok(_) => true,
            Err(e) => {
                journal_error
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .get_or_insert(e);
                false
            }
        }
    };
    let (tx, rx) = std::sync::mpsc::sync_channel::<Job>(opts.connections * 4);
    let rx = Mutex::new(rx);
    std::thread::scope(|s| {
        for _ in 0..opts.connections.max(1) {
            s.spawn(|| {
                let mut session = transport.session();
                loop {
                    let job = rx.lock().map(|r| r.recv());
                    let Ok(Ok(job)) = job else { break };
                    // After a fatal error, drain the queue so the reader
                    // never blocks on a full channel.
                    if stopping() {
                        continue;
                    }
                    if job.in_doubt {
                        counts[3].fetch_add(1, Ordering::Relaxed);
                    }
                    let outcome = deliver_one(
                        &job,
                        envelope,
                        render,
                        &mut session,
                        opts,
                        &next_slot,
                        &record,
                        &abort,
                    );
                    match outcome {
                        Event::Sent => counts[0].fetch_add(1, Ordering::Relaxed),
                        Event::Deferred => counts[1].fetch_add(1, Ordering::Relaxed),
                        _ => counts[2].fetch_add(1, Ordering::Relaxed),
                    };
                    progress.tick();
                }
            });
        }
        // Read the list on this thread: validate, dedupe, shard, skip the sent.
        let mut selector = Selector::new(opts.shard, opts.expected_rows);
        for row in rows {
            summary.rows += 1;
            let recipient = match row {
                Ok(r) => r,
                Err(bad) => {
                    summary.invalid += bad.lines as usize;
                    on_invalid(&bad);
                    progress.tick();
                    continue;
                }
            };
            let key_text = recipient.key();
            match selector.admit(&key_text) {
                Admit::Duplicate => {
                    summary.duplicates += 1;
                    progress.tick();
                    continue;
                }
                Admit::OtherShard => {
                    summary.other_shards += 1;
                    continue;
                }
                Admit::New => {}
            }
            let hash = journal::address_hash(&key, &key_text);
            let in_doubt = match state.get(&hash).map(|r| r.e) {
                Some(Event::Sent) => {
                    summary.already_sent += 1;
                    progress.tick();
                    continue;
                }
                Some(Event::Failed) => {
                    // A permanent refusal stands: report it, do not resend.
                    summary.failed += 1;
                    progress.tick();
                    continue;
                }
                Some(Event::Start) if !opts.resend_in_doubt => {
                    summary.in_doubt += 1;
                    progress.tick();
                    continue;
                }
                Some(Event::Start) => true,
                _ => false,
            };
            if stopping() {
                break;
            }
            let job = Job {
                recipient,
                hash,
                in_doubt,
            };
            if tx.send(job).is_err() {
                break;
            }
        }
        drop(tx);
    });
    if let Some(e) = journal_error
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
    {
        return Err(e.into());
    }
    // Outcomes count only once they are on disk.
    journal
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .sync()?;
    summary.sent += counts[0].load(Ordering::Relaxed);
    summary.deferred += counts[1].load(Ordering::Relaxed);
    summary.failed += counts[2].load(Ordering::Relaxed);
    summary.resent_in_doubt = counts[3].load(Ordering::Relaxed);
    summary.stopped = abort
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    Ok(summary)
}

/// Send one recipient's message with retries; journal every step.
#[allow(clippy::too_many_arguments)]
fn deliver_one(
    job: &Job,
    envelope: &Envelope,
    render: &(dyn Fn(&Recipient) -> Result<EmailContent, String> + Sync),
    session: &mut Session<'_>,
    opts: &Options,
    next_slot: &Mutex<Instant>,
    record: &dyn Fn(Record) -> bool,
    abort: &Mutex<Option<String>>,
) -> Event {
    // Every reply is scrubbed here, the one way into the journal.
    let rec = |e: Event, n: Option<u32>, id: Option<String>, reply: Option<String>| Record {
        r: job.hash.clone(),
        e,
        at: journal::now(),
        n,
        id,
        reply: reply.map(|r| scrub::scrub(&r)),
    };
    let id = message_id(envelope, &job.recipient.key());
    let message = render(&job.recipient).and_then(|c| build_message(envelope, &job.recipient, &c));
    let message = match message {
        Ok(m) => m,
        Err(why) => {
            record(rec(Event::Failed, None, Some(id), Some(why)));
            return Event::Failed;
        }
    };
    let mut attempt = 1;
    loop {
        if let Some(rate) = opts.rate {
            wait_for_slot(next_slot, rate);
        }
        if !record(rec(Event::Start, Some(attempt), Some(id.clone()), None)) {
            return Event::Deferred;
        }
        match session.send(&message) {
            Ok(reply) => {
                record(rec(Event::Sent, None, Some(id), Some(reply)));
                return Event::Sent;
            }
            Err(f) if f.kind == FailureKind::Stop => {
                // Not this recipient's failure: pending, for the next run.
                record(rec(Event::Deferred, None, Some(id), Some(f.reply.clone())));
                abort
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .get_or_insert(scrub::scrub(&f.reply));
                return Event::Deferred;
            }
            Err(f) if f.kind == FailureKind::Recipient => {
                record(rec(Event::Failed, None, Some(id), Some(f.reply)));
                return Event::Failed;
            }
            Err(f) if attempt >= opts.max_attempts => {
                record(rec(Event::Deferred, None, Some(id), Some(f.reply)));
                return Event::Deferred;
            }
            Err(_) => {
                std::thread::sleep(backoff(opts, attempt));
                attempt += 1;
            }
        }
    }
}

/// Exponential backoff with ±50% jitter, so retries from many workers spread.
fn backoff(opts: &Options, attempt: u32) -> Duration {
    let base = opts.backoff.saturating_mul(1 << (attempt - 1).min(16));
    let capped = base.min(opts.backoff_max);
    capped.mul_f64(0.5 + fastrand::f64())
}

/// Wait for the next send slot of a shared rate limit.
fn wait_for_slot(next_slot: &Mutex<Instant>, rate: f64) {
    let interval = Duration::from_secs_f64(1.0 / rate.max(0.001));
    let at = {
        let mut slot = next_slot
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        let at = (*slot).max(now);
        *slot = at + interval;
        at
    };
    let now = Instant::now();
    if at > now {
        std::thread::sleep(at - now);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shards_partition_addresses() {
        let n = 3;
        let mut counts = [0; 3];
        for i in 0..300 {
            let k = shard_of(&format!("user{i}@example.com"), n);
            counts[(k - 1) as usize] += 1;
        }
        assert!(counts.iter().all(|&c| c > 60), "{counts:?}");
        assert_eq!(shard_of("a@example.com", 5), shard_of("a@example.com", 5));
    }

    #[test]
    fn message_ids_are_stable_per_notice_and_address() {
        let env = Envelope {
            from: "Privacy <privacy@example.com>".parse().unwrap(),
            reply_to: None,
            list_unsubscribe: None,
            id_domain: "example.com".into(),
            notice: "n1".into(),
            dkim: None,
        };
        assert_eq!(
            message_id(&env, "a@example.com"),
            message_id(&env, "a@example.com")
        );
        assert_ne!(
            message_id(&env, "a@example.com"),
            message_id(&env, "b@example.com")
        );
    }
}
