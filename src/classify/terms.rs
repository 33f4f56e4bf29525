//! Term lists matched as words: the detectors' vocabulary.
//!
//! A spec is `|`-separated alternatives. An alternative with CJK characters is
//! matched as a substring (Chinese has no word boundaries). Any other is a
//! phrase of words matched on word boundaries, ignoring ASCII case, hyphens
//! and spacing (`third party` matches "Third-Party"); a word ending in `*`
//! matches any word it begins (`advertis*` matches "advertising").
//!
//! Written for this crate instead of regular expressions: a run compiles
//! nothing (the regex engine needed ~0.4 ms per pattern, 10× the whole diff of
//! a real policy), and matching a clause is a hash lookup per word.

use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::{ControlFlow, Range};

use rustc_hash::FxHasher;

use crate::document::is_cjk;

/// One word of a phrase.
#[derive(Debug)]
struct Word {
    text: String,
    prefix: bool,
}

/// Characters of a prefix term used to file it.
const PREFIX_KEY: usize = 3;

/// Phrases filed by the hash of a key word (collisions only add candidates:
/// every candidate is compared word by word).
type KeyMap = HashMap<u64, Vec<(usize, Vec<Word>)>, BuildHasherDefault<KeyHasher>>;

/// The keys are already hashes: use them as they are.
#[derive(Default)]
struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        // Only u64 keys are hashed; this path is never taken but must be sound.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

fn key(word: &str) -> u64 {
    let mut h = FxHasher::default();
    h.write(word.as_bytes());
    h.finish()
}

/// One word token: where it is, its lower-case form, and the hashes used to
/// look it up (whole word; first one, two and three characters).
struct Token<'t> {
    range: Range<usize>,
    lower: Cow<'t, str>,
    whole: u64,
    prefixes: [Option<u64>; PREFIX_KEY],
}

/// A compiled term list.
#[derive(Debug)]
pub struct Terms {
    /// Phrases by their first word (exact first words).
    by_first: KeyMap,
    /// Phrases whose first word is a prefix (`advertis*`), by the prefix's
    /// first three characters (or all of it, if shorter).
    prefix_first: KeyMap,
    /// Substring terms (CJK), with their ids.
    substrings: Vec<(usize, &'static str)>,
    /// Which prefix key lengths (bit k-1 for k characters) `prefix_first`
    /// holds: most lists need one lookup per word, or none, not three.
    prefix_lengths: u8,
    /// A one-hash Bloom filter over every key filed above: most words of a
    /// text start no phrase, and a bit test turns them away for less than
    /// a hash-table probe costs.
    filter: Box<[u64; FILTER_WORDS]>,
}

/// Size of [`Terms::filter`] in 64-bit words (4,096 bits: a list of a few
/// hundred terms lets through about one word in twenty that matches none).
const FILTER_WORDS: usize = 64;

/// The filter bit of a key: its top bits, which Fx's multiply mixes best.
fn filter_bit(key: u64) -> (usize, u64) {
    let bit = (key >> 52) as usize % (FILTER_WORDS * 64);
    (bit / 64, 1 << (bit % 64))
}

/// Word tokens of a text: byte ranges of runs of letters and digits outside
/// CJK, each with its lower-case form (borrowed when already lower case).
pub fn words(text: &str) -> Vec<(Range<usize>, Cow<'_, str>)> {
    // About one word in six bytes of prose: most texts never regrow.
    let mut out = Vec::with_capacity(text.len() / 6 + 1);
    let mut start = None;
    let mut push = |s: usize, e: usize| {
        let w = &text[s..e];
        let lower = if w.chars().any(char::is_uppercase) {
            Cow::Owned(w.to_lowercase())
        } else {
            Cow::Borrowed(w)
        };
        out.push((s..e, lower));
    };
    for (i, c) in text.char_indices() {
        let word_char = c.is_alphanumeric() && !is_cjk(c);
        match (word_char, start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                push(s, i);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        push(s, text.len());
    }
    out
}

/// A text split into words once, and into sentences, so many term lists can
/// be matched against it (and its sentences) without tokenising again.
pub struct Tokens<'t> {
    /// The text.
    pub text: &'t str,
    words: Vec<Token<'t>>,
    /// Whether the text has CJK characters at all: English text skips the
    /// substring terms, whose searches cost more than the word lookups.
    cjk: bool,
    /// The sentences' byte and word ranges, found on first use: every
    /// detector asks for them again.
    spans: std::cell::OnceCell<Vec<(Range<usize>, Range<usize>)>>,
}

/// A sentence of a [`Tokens`]: its byte range and its words.
pub struct Sentence<'a, 't> {
    tokens: &'a Tokens<'t>,
    bytes: Range<usize>,
    words: Range<usize>,
}

impl<'t> Tokens<'t> {
    /// Tokenise a text.
    pub fn new(text: &'t str) -> Tokens<'t> {
        let words = words(text)
            .into_iter()
            .map(|(range, lower)| {
                let mut prefixes = [None; PREFIX_KEY];
                for (slot, (b, c)) in prefixes.iter_mut().zip(lower.char_indices()) {
                    *slot = Some(key(&lower[..b + c.len_utf8()]));
                }
                Token {
                    whole: key(&lower),
                    range,
                    lower,
                    prefixes,
                }
            })
            .collect();
        Tokens {
            text,
            words,
            cjk: !text.is_ascii() && text.chars().any(is_cjk),
            spans: std::cell::OnceCell::new(),
        }
    }

    /// The whole text as one span.
    pub fn all(&self) -> Sentence<'_, 't> {
        Sentence {
            tokens: self,
            bytes: 0..self.text.len(),
            words: 0..self.words.len(),
        }
    }

    /// The sentences (split after . ; ! ? and their CJK forms).
    pub fn sentences(&self) -> Vec<Sentence<'_, 't>> {
        self.spans
            .get_or_init(|| self.sentence_spans())
            .iter()
            .map(|(bytes, words)| Sentence {
                tokens: self,
                bytes: bytes.clone(),
                words: words.clone(),
            })
            .collect()
    }

    /// Byte and word ranges of each sentence.
    fn sentence_spans(&self) -> Vec<(Range<usize>, Range<usize>)> {
        let mut out = Vec::new();
        let mut start = 0;
        let mut w = 0;
        for piece in self
            .text
            .split_inclusive(['.', ';', '。', '；', '!', '?', '！', '？'])
        {
            let end = start + piece.len();
            let first = w;
            while w < self.words.len() && self.words[w].range.start < end {
                w += 1;
            }
            out.push((start..end, first..w));
            start = end;
        }
        out
    }
}

impl<'t> Sentence<'_, 't> {
    /// The whole text the sentence belongs to (match ranges index into it).
    pub fn whole_text(&self) -> &'t str {
        self.tokens.text
    }

    /// The sentence's text.
    pub fn text(&self) -> &str {
        &self.tokens.text[self.bytes.clone()]
    }

    /// The first word of the sentence that starts at or after byte `at` of
    /// the whole text and is not in `skip` (lower case): the word a negation
    /// governs ("will not **share**"). For CJK text, the two characters after
    /// `at` instead.
    pub fn word_after(&self, at: usize, skip: &[&str]) -> Option<String> {
        let next_cjk: String = self.tokens.text[at.min(self.bytes.end)..self.bytes.end]
            .chars()
            .take_while(|&c| is_cjk(c))
            .take(2)
            .collect();
        if !next_cjk.is_empty() {
            return Some(next_cjk);
        }
        self.tokens.words[self.words.clone()]
            .iter()
            .filter(|t| t.range.start >= at)
            .map(|t| t.lower.as_ref())
            .find(|w| !skip.contains(w))
            .map(str::to_owned)
    }
}

impl Terms {
    /// Compile a spec (see the module docs).
    pub fn new(spec: &'static str) -> Terms {
        let mut by_first = KeyMap::default();
        let mut prefix_first = KeyMap::default();
        let mut substrings = Vec::new();
        let mut prefix_lengths = 0u8;
        // A term's id is its place in the spec.
        for (id, alt) in spec
            .split('|')
            .map(str::trim)
            .enumerate()
            .filter(|(_, a)| !a.is_empty())
        {
            if alt.chars().any(is_cjk) {
                substrings.push((id, alt));
                continue;
            }
            let phrase: Vec<Word> = alt
                .split(|c: char| !(c.is_alphanumeric() || c == '*'))
                .filter(|w| !w.is_empty())
                .map(|w| Word {
                    text: w.trim_end_matches('*').to_lowercase(),
                    prefix: w.ends_with('*'),
                })
                .collect();
            match phrase.first() {
                None => {}
                Some(w) if w.prefix => {
                    let k: String = w.text.chars().take(PREFIX_KEY).collect();
                    prefix_lengths |= 1 << (k.chars().count().max(1) - 1);
                    prefix_first.entry(key(&k)).or_default().push((id, phrase));
                }
                Some(w) => by_first.entry(key(&w.text)).or_default().push((id, phrase)),
            }
        }
        let mut filter = Box::new([0u64; FILTER_WORDS]);
        for k in by_first.keys().chain(prefix_first.keys()) {
            let (word, mask) = filter_bit(*k);
            filter[word] |= mask;
        }
        Terms {
            by_first,
            prefix_first,
            substrings,
            prefix_lengths,
            filter,
        }
    }

    /// Byte ranges (in the whole text) of every match in a span; phrases may overlap.
    pub fn find_in(&self, span: &Sentence<'_, '_>) -> Vec<Range<usize>> {
        self.find_ids_in(span).into_iter().map(|(_, r)| r).collect()
    }

    /// Matches that left: words of `old` whose term matches nowhere in `new`
    /// ("desensitizing" → "desensitization" is the same term `desensiti*`).
    pub fn lost<'t>(&self, old: &Sentence<'_, 't>, new: &Sentence<'_, '_>) -> Vec<&'t str> {
        let kept: Vec<usize> = self
            .find_ids_in(new)
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let mut out: Vec<&'t str> = self
            .find_ids_in(old)
            .into_iter()
            .filter(|(id, _)| !kept.contains(id))
            .map(|(_, r)| &old.tokens.text[r])
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }

    /// Matches in a span with the id of the term that matched.
    fn find_ids_in(&self, span: &Sentence<'_, '_>) -> Vec<(usize, Range<usize>)> {
        let mut out = Vec::new();
        self.scan(span, |id, r| {
            out.push((id, r));
            ControlFlow::Continue(())
        });
        out
    }

    /// Hand every match in a span to `f`, with its term's id, until `f`
    /// breaks.
    fn scan(
        &self,
        span: &Sentence<'_, '_>,
        mut f: impl FnMut(usize, Range<usize>) -> ControlFlow<()>,
    ) {
        let tokens = &span.tokens.words[span.words.clone()];
        let matches_at = |phrase: &[Word], i: usize| -> Option<usize> {
            let end = i + phrase.len();
            let slice = tokens.get(i..end)?;
            phrase
                .iter()
                .zip(slice)
                .all(|(w, t)| {
                    if w.prefix {
                        t.lower.starts_with(&w.text)
                    } else {
                        t.lower == w.text
                    }
                })
                .then_some(end - 1)
        };
        let exact_terms = !self.by_first.is_empty();
        let maybe = |k: u64| {
            let (word, mask) = filter_bit(k);
            self.filter[word] & mask != 0
        };
        for (i, token) in tokens.iter().enumerate() {
            let exact = (exact_terms && maybe(token.whole))
                .then(|| self.by_first.get(&token.whole))
                .flatten()
                .into_iter()
                .flatten();
            // Prefix phrases are filed under their first characters: look up
            // the token's first one, two or three characters, as filed.
            let by_prefix = token
                .prefixes
                .iter()
                .enumerate()
                .filter(|(k, _)| self.prefix_lengths & (1 << k) != 0)
                .filter_map(|(_, k)| k.filter(|&k| maybe(k)))
                .filter_map(|k| self.prefix_first.get(&k))
                .flatten();
            for (id, phrase) in exact.chain(by_prefix) {
                if let Some(last) = matches_at(phrase, i)
                    && f(*id, token.range.start..tokens[last].range.end).is_break()
                {
                    return;
                }
            }
        }
        if !span.tokens.cjk {
            return;
        }
        let text = span.text();
        for &(id, term) in &self.substrings {
            for (at, m) in text.match_indices(term) {
                let r = span.bytes.start + at..span.bytes.start + at + m.len();
                if f(id, r).is_break() {
                    return;
                }
            }
        }
    }

    /// Byte ranges of every match in `text`.
    pub fn find(&self, text: &str) -> Vec<Range<usize>> {
        self.find_in(&Tokens::new(text).all())
    }

    /// True if any term occurs in the span.
    pub fn is_match_in(&self, span: &Sentence<'_, '_>) -> bool {
        let mut found = false;
        self.scan(span, |_, _| {
            found = true;
            ControlFlow::Break(())
        });
        found
    }

    /// True if any term occurs.
    pub fn is_match(&self, text: &str) -> bool {
        self.is_match_in(&Tokens::new(text).all())
    }

    /// The matches in a span as written, longest first where they overlap, each once.
    pub fn matches_in<'t>(&self, span: &Sentence<'_, 't>) -> Vec<&'t str> {
        let full: &'t str = span.tokens.text;
        let mut ranges = self.find_in(span);
        ranges.sort_by_key(|r| (r.start, std::cmp::Reverse(r.end)));
        let mut out: Vec<&'t str> = Vec::new();
        let mut covered = 0;
        for r in ranges {
            if r.start >= covered || out.is_empty() {
                out.push(&full[r.clone()]);
                covered = r.end;
            } else if r.end > covered {
                covered = r.end;
            }
        }
        out
    }

    /// The matches in `text` as written.
    pub fn matches<'t>(&self, text: &'t str) -> Vec<&'t str> {
        self.matches_in(&Tokens::new(text).all())
    }

    /// The distinct matches (lower case) in a span.
    pub fn distinct_in(&self, span: &Sentence<'_, '_>) -> Vec<String> {
        let mut seen: Vec<String> = self
            .matches_in(span)
            .into_iter()
            .map(str::to_lowercase)
            .collect();
        seen.sort();
        seen.dedup();
        seen
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_phrases_prefixes_and_cjk() {
        let t = Terms::new("third party|advertis*|device id*|位置信息|will not");
        assert_eq!(
            t.matches("Third-Party advertising partners"),
            ["Third-Party", "advertising"]
        );
        assert_eq!(
            t.matches("Device IDs and 位置信息"),
            ["Device IDs", "位置信息"]
        );
        assert!(t.is_match("we WILL  NOT share"));
        assert!(!t.is_match("thirdparty ads"));
        assert!(!t.is_match("we will note"));
    }

    #[test]
    fn overlapping_matches_keep_the_longest() {
        let t = Terms::new("personal|personal information");
        assert_eq!(
            t.matches("your personal information"),
            ["personal information"]
        );
    }
}
