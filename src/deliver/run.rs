//! The delivery run: the list read on one thread, messages sent by one
//! worker per connection, every step journalled.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::journal::{self, Event, JournalError, Record};
use super::select::{Admit, Selector};
use super::{
    Counts, DeliverError, EmailContent, Envelope, FailureKind, InvalidRow, Options, Progress,
    Recipient, Rows, Session, Summary, Transport, build_message, message_id, scrub,
};

/// A job for a worker.
struct Job {
    recipient: Recipient,
    hash: String,
    in_doubt: bool,
}

/// Everything a run sends with: the journal it resumes and appends to, the
/// headers, the way to render a recipient's email, the transport.
pub struct Delivery<'a> {
    /// The journal, opened for appending.
    pub journal: journal::Writer,
    /// Its address-hash key.
    pub key: [u8; 32],
    /// What it already records.
    pub state: &'a journal::State,
    /// Headers shared by every message.
    pub envelope: &'a Envelope,
    /// A recipient's email.
    pub render: &'a (dyn Fn(&Recipient) -> Result<EmailContent, String> + Sync),
    /// Where messages go.
    pub transport: &'a Transport,
    /// How to send.
    pub opts: &'a Options,
    /// Told about every recipient handled.
    pub progress: &'a dyn Progress,
}

/// Outcomes counted by the workers.
#[derive(Default)]
struct Counters {
    sent: AtomicUsize,
    deferred: AtomicUsize,
    failed: AtomicUsize,
    resent_in_doubt: AtomicUsize,
}

/// Outcomes by locale and the reasons of the undelivered, gathered by the
/// workers (one lock per message: nothing beside a network round trip).
#[derive(Default)]
struct Tally {
    by_locale: BTreeMap<String, Counts>,
    deferred: BTreeMap<String, usize>,
    failed: BTreeMap<String, usize>,
}

/// The `locale` field as written, the key of [`Summary::by_locale`].
fn locale_key(r: &Recipient) -> String {
    r.locale().unwrap_or("").to_owned()
}

/// Send to every recipient of `rows` not already sent according to the
/// journal. `on_invalid` hears about each invalid row (line and reason,
/// never the address).
pub fn run(
    rows: Rows,
    delivery: Delivery<'_>,
    on_invalid: &mut dyn FnMut(&InvalidRow),
) -> Result<Summary, DeliverError> {
    let Delivery {
        journal,
        key,
        state,
        envelope,
        render,
        transport,
        opts,
        progress,
    } = delivery;
    let journal = Mutex::new(journal);
    let journal_error: Mutex<Option<JournalError>> = Mutex::new(None);
    // Set when the server refuses the account itself: stop, do not fail everyone.
    let abort: Mutex<Option<String>> = Mutex::new(None);
    let stopping = || {
        journal_error.lock().map(|e| e.is_some()).unwrap_or(true)
            || abort.lock().map(|a| a.is_some()).unwrap_or(true)
    };
    let counts = Counters::default();
    let tally = Mutex::new(Tally::default());
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
                        counts.resent_in_doubt.fetch_add(1, Ordering::Relaxed);
                    }
                    let (outcome, reason) = deliver_one(
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
                        Event::Sent => counts.sent.fetch_add(1, Ordering::Relaxed),
                        Event::Deferred => counts.deferred.fetch_add(1, Ordering::Relaxed),
                        _ => counts.failed.fetch_add(1, Ordering::Relaxed),
                    };
                    {
                        let mut t = tally
                            .lock()
                            .unwrap_or_else(std::sync::PoisonError::into_inner);
                        let c = t.by_locale.entry(locale_key(&job.recipient)).or_default();
                        let reasons = match outcome {
                            Event::Sent => {
                                c.sent += 1;
                                None
                            }
                            Event::Deferred => {
                                c.deferred += 1;
                                Some(&mut t.deferred)
                            }
                            _ => {
                                c.failed += 1;
                                Some(&mut t.failed)
                            }
                        };
                        if let Some(reasons) = reasons {
                            *reasons.entry(reason).or_default() += 1;
                        }
                    }
                    progress.tick();
                }
            });
        }
        // Read the list on this thread: validate, dedupe, shard, skip the sent.
        let mut selector = Selector::new(opts.shard, opts.expected_rows);
        for row in rows {
            let next = admit(
                row,
                &mut selector,
                &key,
                state,
                opts,
                &mut summary,
                on_invalid,
            );
            match next {
                Next::Send(job) => {
                    if stopping() || tx.send(job).is_err() {
                        break;
                    }
                }
                Next::Skip { counted: true } => progress.tick(),
                Next::Skip { counted: false } => {}
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
    summary.sent += counts.sent.into_inner();
    summary.deferred += counts.deferred.into_inner();
    summary.failed += counts.failed.into_inner();
    summary.resent_in_doubt = counts.resent_in_doubt.into_inner();
    summary.stopped = abort
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    let tally = tally
        .into_inner()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for (locale, c) in &tally.by_locale {
        summary.by_locale.entry(locale.clone()).or_default().add(c);
    }
    for (mine, theirs) in [
        (&mut summary.deferred_reasons, tally.deferred),
        (&mut summary.failed_reasons, tally.failed),
    ] {
        for (reason, n) in theirs {
            *mine.entry(reason).or_default() += n;
        }
    }
    Ok(summary)
}

/// What to do with one row of the list.
enum Next {
    /// Send to this recipient.
    Send(Job),
    /// Not this run's to send; `counted` when it counts towards progress
    /// (every row of this shard does).
    Skip {
        /// Whether progress counts it.
        counted: bool,
    },
}

/// Decide about one row: invalid, a duplicate, another shard's, already
/// sent or refused for good (reported, not resent), in doubt (resent unless
/// asked not to), or to send. Counts what it skips in `summary`.
fn admit(
    row: Result<Recipient, InvalidRow>,
    selector: &mut Selector,
    key: &[u8; 32],
    state: &journal::State,
    opts: &Options,
    summary: &mut Summary,
    on_invalid: &mut dyn FnMut(&InvalidRow),
) -> Next {
    summary.rows += 1;
    let skip = Next::Skip { counted: true };
    let recipient = match row {
        Ok(r) => r,
        Err(bad) => {
            summary.invalid += bad.lines as usize;
            on_invalid(&bad);
            return skip;
        }
    };
    let key_text = recipient.key();
    match selector.admit(&key_text) {
        Admit::Duplicate => {
            summary.duplicates += 1;
            return skip;
        }
        Admit::OtherShard => {
            summary.other_shards += 1;
            return Next::Skip { counted: false };
        }
        Admit::New => {}
    }
    let hash = journal::address_hash(key, &key_text);
    let known = state.get(&hash);
    let locale = locale_key(&recipient);
    let in_doubt = match known.map(|r| r.e) {
        Some(Event::Sent) => {
            locale_counts(summary, &locale).already_sent += 1;
            summary.already_sent += 1;
            return skip;
        }
        Some(Event::Failed) => {
            // A permanent refusal stands: report it, do not resend.
            locale_counts(summary, &locale).failed += 1;
            summary.failed += 1;
            let reply = known.and_then(|r| r.reply.as_deref()).unwrap_or("");
            *summary
                .failed_reasons
                .entry(scrub::scrub(reply))
                .or_default() += 1;
            return skip;
        }
        Some(Event::Start) if !opts.resend_in_doubt => {
            locale_counts(summary, &locale).in_doubt += 1;
            summary.in_doubt += 1;
            return skip;
        }
        Some(Event::Start) => true,
        _ => false,
    };
    Next::Send(Job {
        recipient,
        hash,
        in_doubt,
    })
}

/// The counts of one locale (as written in the list).
fn locale_counts<'s>(summary: &'s mut Summary, locale: &str) -> &'s mut Counts {
    summary.by_locale.entry(locale.to_owned()).or_default()
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
) -> (Event, String) {
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
            let reason = scrub::scrub(&why);
            record(rec(Event::Failed, None, Some(id), Some(why)));
            return (Event::Failed, reason);
        }
    };
    let mut attempt = 1;
    loop {
        if let Some(rate) = opts.rate {
            wait_for_slot(next_slot, rate);
        }
        if !record(rec(Event::Start, Some(attempt), Some(id.clone()), None)) {
            return (Event::Deferred, "the journal could not be written".into());
        }
        match session.send(&message) {
            Ok(reply) => {
                record(rec(Event::Sent, None, Some(id), Some(reply)));
                return (Event::Sent, String::new());
            }
            Err(f) if f.kind == FailureKind::Stop => {
                // Not this recipient's failure: pending, for the next run.
                let reason = scrub::scrub(&f.reply);
                record(rec(Event::Deferred, None, Some(id), Some(f.reply)));
                abort
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .get_or_insert(reason.clone());
                return (Event::Deferred, reason);
            }
            Err(f) if f.kind == FailureKind::Recipient => {
                let reason = scrub::scrub(&f.reply);
                record(rec(Event::Failed, None, Some(id), Some(f.reply)));
                return (Event::Failed, reason);
            }
            Err(f) if attempt >= opts.max_attempts => {
                let reason = scrub::scrub(&f.reply);
                record(rec(Event::Deferred, None, Some(id), Some(f.reply)));
                return (Event::Deferred, reason);
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
