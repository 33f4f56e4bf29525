//! Which rows of the list a run sends to: each address once, and only the
//! run's shard's.

use std::collections::HashSet;

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

/// What a dry run found in a list.
#[derive(Debug, Default, Clone, Copy)]
pub struct Survey {
    /// Valid rows this run would send to.
    pub valid: usize,
    /// Invalid rows.
    pub invalid: usize,
    /// Repeated addresses.
    pub duplicates: usize,
    /// Rows of other shards.
    pub other_shards: usize,
}

/// Read a list as a run would, sending nothing: `on_new` sees each recipient
/// this run would send to (it may stop the survey with an error),
/// `on_invalid` each invalid row.
pub fn survey<E>(
    rows: super::Rows,
    shard: Option<(u64, u64)>,
    mut on_new: impl FnMut(&super::Recipient) -> Result<(), E>,
    on_invalid: &mut dyn FnMut(&super::InvalidRow),
) -> Result<Survey, E> {
    let mut s = Survey::default();
    let mut selector = Selector::new(shard, 0);
    for row in rows {
        match row {
            Err(bad) => {
                s.invalid += bad.lines as usize;
                on_invalid(&bad);
            }
            Ok(r) => match selector.admit(&r.key()) {
                Admit::Duplicate => s.duplicates += 1,
                Admit::OtherShard => s.other_shards += 1,
                Admit::New => {
                    on_new(&r)?;
                    s.valid += 1;
                }
            },
        }
    }
    Ok(s)
}
