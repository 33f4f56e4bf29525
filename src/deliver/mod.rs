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
mod message;
pub mod receipts;
pub mod recipients;
mod run;
pub mod scrub;
mod select;
mod transport;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

pub use journal::{Event, JournalError, Record};
pub use message::{Envelope, build_message, message_id};
pub use recipients::{InvalidRow, Recipient, RecipientsError, Rows};
pub use run::{Delivery, run};
pub use select::{Admit, Selector, Survey, shard_of, survey};
pub use transport::{
    FailureKind, PASSWORD_ENV, SendFailure, Session, SmtpSettings, TlsMode, Transport,
    TransportError, TransportRequest, TransportSpec,
};

/// The identity of a notice: the policy, both texts and the effective date.
/// It names the journal and, with an address, makes the Message-ID.
pub fn notice_id(policy: &str, old_text: &str, new_text: &str, effective: &str) -> String {
    let mut h = blake3::Hasher::new();
    for part in [policy, old_text, new_text, effective] {
        h.update(part.as_bytes());
        h.update(b"\0");
    }
    h.finalize().to_hex()[..16].to_owned()
}

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
    /// Why recipients are deferred: each reason (the last reply, scrubbed)
    /// and how many it holds back.
    pub deferred_reasons: BTreeMap<String, usize>,
    /// Why recipients failed (in this run or before), likewise.
    pub failed_reasons: BTreeMap<String, usize>,
    /// Outcomes by the recipients' `locale` field as written in the list
    /// (`""` when it has none); the caller knows which email each got.
    pub by_locale: BTreeMap<String, Counts>,
}

/// Outcomes of one group of recipients.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Counts {
    /// Sent in this run.
    pub sent: usize,
    /// Sent in an earlier run.
    pub already_sent: usize,
    /// Deferred.
    pub deferred: usize,
    /// Failed (now or before).
    pub failed: usize,
    /// In doubt and not resent.
    pub in_doubt: usize,
}

impl Counts {
    /// Add `other`'s counts.
    pub fn add(&mut self, other: &Counts) {
        self.sent += other.sent;
        self.already_sent += other.already_sent;
        self.deferred += other.deferred;
        self.failed += other.failed;
        self.in_doubt += other.in_doubt;
    }
}

impl Summary {
    /// Valid recipients of this run's shard not delivered (now or before).
    /// Invalid rows are not among them: they name nobody that can be sent to.
    pub fn undelivered(&self) -> usize {
        self.deferred + self.in_doubt + self.failed
    }
}

/// The most frequent reason of a group, with its count (ties: the first in
/// order, so the choice is stable).
pub fn main_reason(reasons: &BTreeMap<String, usize>) -> Option<(&str, usize)> {
    reasons
        .iter()
        .fold(None, |best: Option<(&str, usize)>, (r, &n)| match best {
            Some((_, m)) if m >= n => best,
            _ => Some((r.as_str(), n)),
        })
}

/// Reports progress: counts done so far.
pub trait Progress: Sync {
    /// One more recipient handled (sent, deferred, failed or skipped).
    fn tick(&self);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_main_reason_is_the_most_frequent_and_ties_are_stable() {
        let mut reasons = BTreeMap::new();
        assert_eq!(main_reason(&reasons), None);
        reasons.insert("b".to_owned(), 2);
        reasons.insert("a".to_owned(), 2);
        reasons.insert("c".to_owned(), 1);
        assert_eq!(main_reason(&reasons), Some(("a", 2)));
        reasons.insert("d".to_owned(), 3);
        assert_eq!(main_reason(&reasons), Some(("d", 3)));
    }

    #[test]
    fn invalid_rows_are_not_undelivered_recipients() {
        let s = Summary {
            invalid: 4,
            duplicates: 1,
            ..Default::default()
        };
        assert_eq!(s.undelivered(), 0);
        let s = Summary {
            deferred: 1,
            in_doubt: 2,
            failed: 3,
            invalid: 4,
            ..Default::default()
        };
        assert_eq!(s.undelivered(), 6);
    }

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
