//! Aligning a policy with its translation, clause by clause, by structure
//! rather than by translating: the order of clauses, their kinds and
//! heading levels, their number labels (`一、` ↔ `I.`, `（一）` ↔ `(I)`,
//! `1.` ↔ `1.`), their relative lengths and shapes (a closing colon, a
//! bracketed lead term), and the anchors that survive translation
//! (emails, URLs, numbers, Latin-script names in CJK text).
//!
//! The alignment is monotone (both texts tell the clauses in the same
//! order): a dynamic programme over the two clause lists picks the pairs
//! with the best total score, leaving a clause unpaired where one language
//! has a clause the other has not. Each pair gets a confidence.
//!
//! [`lag`] then compares two comparisons (original old → new, translation
//! old → new) through the alignments, for `check` across languages.

mod anchors;
pub mod lag;
mod numbering;

pub use anchors::{AnchorDiff, Anchors};
pub use lag::{
    ClauseAt, FindingKind, NewLanguage, Side, SideStatus, TranslationCheck, TranslationFinding,
    check_new_translation, check_translation, lag_verdict,
};
pub use numbering::{Style, number};

use serde::{Deserialize, Serialize};

use crate::document::{Clause, ClauseKind, Document};

/// Cost of leaving a clause without a counterpart. Two of them (one on each
/// side) cost more than a weak pair, so clauses pair up wherever the counts
/// allow and are left over only where one language has more.
const GAP: f32 = 0.45;

/// Above this many cells the programme runs in a band around the diagonal.
const FULL_CELLS: usize = 4_000_000;

/// Slack either side of the diagonal, beyond the difference in length,
/// when the programme runs in a band.
const BAND_SLACK: usize = 200;

/// The most cells a banded programme visits (a byte of moves each, and a
/// score call): about two texts of 80 000 clauses with the usual slack.
/// Longer texts are aligned in a narrower band, with a note.
const MAX_CELLS: usize = 32_000_000;

/// One aligned pair: a clause of the first document and its counterpart.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct AlignedPair {
    /// Index in the first document (the original).
    pub original: usize,
    /// Index in the second document (the translation).
    pub translation: usize,
    /// How sure the pairing is, 0–1.
    pub confidence: f32,
}

/// Where the two documents' structures differ.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum StructureDiff {
    /// A clause with no counterpart in the other language.
    Unaligned {
        /// `original` or `translation`.
        side: Which,
        /// The clause.
        clause: ClauseAt,
        /// The clause of the other language after which it would stand.
        after: Option<ClauseAt>,
    },
    /// A list (clauses numbered in one style under one parent) with a
    /// different number of items in each language.
    ListLength {
        /// The first item of the list in the original.
        original: ClauseAt,
        /// The first item of its counterpart list.
        translation: ClauseAt,
        /// Items in the original's list.
        original_items: usize,
        /// Items in the translation's list.
        translation_items: usize,
    },
}

/// One of the two languages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Which {
    /// The original (the policy that is translated).
    Original,
    /// The translation.
    Translation,
}

/// The alignment of two documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Alignment {
    /// Pairs in document order (monotone in both indices).
    pub pairs: Vec<AlignedPair>,
    /// Counterpart in the translation of each clause of the original.
    pub forward: Vec<Option<usize>>,
    /// Counterpart in the original of each clause of the translation.
    pub backward: Vec<Option<usize>>,
    /// How the alignment fell short of a full search (texts too long for
    /// it), for the Report.
    pub notes: Vec<String>,
}

impl Alignment {
    /// The counterpart in the translation of original clause `i`.
    pub fn counterpart(&self, i: usize) -> Option<usize> {
        self.forward.get(i).copied().flatten()
    }

    /// The counterpart in the original of translation clause `j`.
    pub fn original_of(&self, j: usize) -> Option<usize> {
        self.backward.get(j).copied().flatten()
    }

    /// Mean confidence of the pairs, lowered by the share of clauses left
    /// over (1 for two empty documents).
    pub fn confidence(&self) -> f32 {
        let total = self.forward.len() + self.backward.len();
        if total == 0 {
            return 1.0;
        }
        let sum: f32 = self.pairs.iter().map(|p| p.confidence).sum();
        (2.0 * sum / total as f32).clamp(0.0, 1.0)
    }

    /// The lowest confidence of a pair.
    pub fn min_confidence(&self) -> f32 {
        self.pairs.iter().map(|p| p.confidence).fold(1.0, f32::min)
    }
}

/// What alignment needs of a clause, computed once.
struct Features {
    kind: ClauseKind,
    level: u8,
    number: Option<(Style, u32)>,
    /// Size relative to the document's mean clause (CJK characters count
    /// as words divided by the document's own ratio, by dividing by the mean).
    size: f32,
    depth: usize,
    colon: bool,
    semicolon: bool,
    bracket: bool,
    anchors: Anchors,
    meta_key: Option<String>,
}

fn features(doc: &Document) -> Vec<Features> {
    let raw: Vec<f32> = doc.clauses.iter().map(|c| units(&c.text)).collect();
    let mean = (raw.iter().sum::<f32>() / raw.len().max(1) as f32).max(1.0);
    doc.clauses
        .iter()
        .zip(raw)
        .map(|(c, u)| clause_features(c, u / mean))
        .collect()
}

fn clause_features(c: &Clause, size: f32) -> Features {
    let t = c.text.trim_end();
    Features {
        kind: c.kind,
        level: c.level,
        number: c.label.as_deref().and_then(number),
        size,
        depth: c.section.len(),
        colon: t.ends_with([':', '：']),
        semicolon: t.ends_with([';', '；']),
        bracket: c.text.trim_start().starts_with(['[', '【']),
        anchors: Anchors::of(&c.text),
        meta_key: (c.kind == ClauseKind::Meta)
            .then(|| c.label.clone())
            .flatten(),
    }
}

/// A language-neutral size: Latin words, and CJK characters at the rate of
/// about 1.6 to a word (the document mean evens out the rest).
fn units(text: &str) -> f32 {
    let mut cjk = 0usize;
    let mut words = 0usize;
    let mut in_word = false;
    for c in text.chars() {
        if crate::document::is_cjk(c) {
            cjk += 1;
            in_word = false;
        } else if c.is_alphanumeric() {
            if !in_word {
                words += 1;
            }
            in_word = true;
        } else {
            in_word = false;
        }
    }
    words as f32 + cjk as f32 / 1.6
}

/// Kinds that may stand for each other: a numbered paragraph in one
/// language is often a list item in the other's Markdown.
fn kinds_compatible(a: ClauseKind, b: ClauseKind) -> bool {
    use ClauseKind::*;
    matches!(
        (a, b),
        (Heading, Heading)
            | (Meta, Meta)
            | (Verbatim, Verbatim)
            | (Paragraph | ListItem, Paragraph | ListItem)
    )
}

/// The score of pairing two clauses: positive for a likely pair, negative
/// for an unlikely one; `None` when they cannot pair at all.
fn score(a: &Features, b: &Features, position_gap: f32) -> Option<f32> {
    if !kinds_compatible(a.kind, b.kind) {
        return None;
    }
    if a.kind == ClauseKind::Meta {
        // Front-matter fields pair by their key alone.
        return (a.meta_key == b.meta_key).then_some(2.0);
    }
    let mut s = 0.0;
    // Number labels: the strongest structural signal.
    s += match (a.number, b.number) {
        (Some((sa, va)), Some((sb, vb))) if va == vb => 0.6 + 0.6 * sa.affinity(sb),
        (Some(_), Some(_)) => -0.5,
        (None, None) => 0.1,
        _ => -0.35,
    };
    if a.kind == ClauseKind::Heading {
        s += if a.level == b.level { 0.4 } else { -0.3 };
    } else {
        s += if a.kind == b.kind { 0.1 } else { 0.0 };
        s += if a.depth == b.depth { 0.1 } else { -0.2 };
    }
    // Relative sizes: a translation keeps a long clause long.
    let (x, y) = (a.size + 0.15, b.size + 0.15);
    let ratio = x.min(y) / x.max(y);
    s += 0.8 * (ratio - 0.45);
    // Shapes that survive translation.
    s += match (a.colon, b.colon) {
        (true, true) => 0.25,
        (false, false) => 0.0,
        _ => -0.25,
    };
    s += match (a.semicolon, b.semicolon) {
        (true, true) => 0.1,
        _ => 0.0,
    };
    s += match (a.bracket, b.bracket) {
        (true, true) => 0.3,
        (false, false) => 0.0,
        _ => -0.2,
    };
    // Anchors: shared ones pull together, differing ones push apart (but
    // not so far that a changed number alone breaks a pair).
    let (shared, total) = AnchorDiff::overlap(&a.anchors, &b.anchors);
    if total > 0 {
        let unshared = (total - shared) as f32;
        s += (1.2 * shared as f32 - 0.5 * unshared) / total as f32;
    }
    // Far from the diagonal is unlikely.
    s -= 1.5 * position_gap;
    Some(s)
}

/// How far a pair lies from the diagonal, as a share of the documents.
fn diagonal_gap(i: usize, j: usize, n: usize, m: usize) -> f32 {
    (i as f32 / n as f32 - j as f32 / m as f32).abs()
}

/// Align `original` and `translation` clause by clause.
pub fn align(original: &Document, translation: &Document) -> Alignment {
    align_with_seeds(original, translation, &[])
}

/// Align `original` and `translation` keeping `seeds`, pairs known from
/// elsewhere (a release's old texts aligned, carried through each
/// language's own diff): only the clauses between consecutive seeds are
/// aligned by structure. Seeds that are out of range or not monotone
/// (a clause moved in one language) are dropped.
pub fn align_with_seeds(
    original: &Document,
    translation: &Document,
    seeds: &[(usize, usize)],
) -> Alignment {
    let fa = features(original);
    let fb = features(translation);
    let (n, m) = (fa.len(), fb.len());
    let seeds = monotone(seeds, n, m);
    let mut raw = Vec::with_capacity(n.min(m));
    let mut notes = Vec::new();
    let (mut a0, mut b0) = (0, 0);
    for &(a, b) in seeds.iter().chain(std::iter::once(&(n, m))) {
        if a > a0 && b > b0 {
            let (pairs, note) = dp(&fa, &fb, (a0, a), (b0, b));
            raw.extend(pairs);
            notes.extend(note);
        }
        if a < n && b < m {
            raw.push((a, b));
        }
        (a0, b0) = (a + 1, b + 1);
    }
    let mut out = finish(&fa, &fb, &raw);
    out.notes = notes;
    out
}

/// The longest run of `seeds` increasing in both indices.
fn monotone(seeds: &[(usize, usize)], n: usize, m: usize) -> Vec<(usize, usize)> {
    let mut s: Vec<(usize, usize)> = seeds
        .iter()
        .copied()
        .filter(|&(a, b)| a < n && b < m)
        .collect();
    s.sort_unstable();
    s.dedup_by_key(|p| p.0);
    // Longest increasing subsequence on the second index (patience sorting).
    let mut tails: Vec<usize> = Vec::new(); // index into s
    let mut back = vec![usize::MAX; s.len()];
    for k in 0..s.len() {
        let pos = tails.partition_point(|&t| s[t].1 < s[k].1);
        if pos > 0 {
            back[k] = tails[pos - 1];
        }
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut k = tails.last().copied().unwrap_or(usize::MAX);
    while k != usize::MAX {
        out.push(s[k]);
        k = back[k];
    }
    out.reverse();
    out
}

/// The best monotone pairing of `fa[a.0..a.1]` with `fb[b.0..b.1]`, and a
/// note when the search had to be narrowed to fit [`MAX_CELLS`].
fn dp(
    fa: &[Features],
    fb: &[Features],
    a: (usize, usize),
    b: (usize, usize),
) -> (Vec<(usize, usize)>, Option<String>) {
    let (n, m) = (a.1 - a.0, b.1 - b.0);
    let (half, note) = band_half(n, m);
    (dp_banded(fa, fb, a, b, half), note)
}

/// How far each side of the diagonal the programme looks: everywhere when
/// the documents are small; else a corridor wide enough for the difference
/// in length plus slack; and when even that is more than [`MAX_CELLS`],
/// the widest corridor that fits (with a note saying so).
fn band_half(n: usize, m: usize) -> (usize, Option<String>) {
    if (n + 1).saturating_mul(m + 1) <= FULL_CELLS {
        return (m, None);
    }
    let half = (n.abs_diff(m) + BAND_SLACK).min(m);
    if band_cells(n, m, half) <= MAX_CELLS {
        return (half, None);
    }
    // The band must stay connected: each row's centre moves by up to
    // ⌈m/n⌉ columns, so the corridor is at least that wide.
    let least = m.div_ceil(n.max(1)).max(1);
    let fits = (MAX_CELLS / (n + 1)).saturating_sub(1) / 2;
    let narrowed = fits.max(least).min(half);
    let note = format!(
        "{n} × {m} clauses is too many to align freely: pairs were searched only within {narrowed} clauses of the diagonal (instead of {half}), so a clause far out of place in one language may be reported as unaligned"
    );
    (narrowed, Some(note))
}

/// Cells the programme visits with corridor `half` (an upper bound).
fn band_cells(n: usize, m: usize, half: usize) -> usize {
    (n + 1).saturating_mul((2 * half + 1).min(m + 1))
}

/// The columns of DP row `i` (0..=n) inside the corridor: the diagonal
/// from (0, 0) to (n, m), `half` either side.
fn band(i: usize, n: usize, m: usize, half: usize) -> (usize, usize) {
    let centre = (i * m).checked_div(n).unwrap_or(m);
    (centre.saturating_sub(half), (centre + half).min(m))
}

/// The programme in a corridor: scores and moves are kept for the
/// corridor's cells only (rows stored at offsets, each as wide as its
/// band), so time and memory are O((n + m) · half), not O(n · m).
fn dp_banded(
    fa: &[Features],
    fb: &[Features],
    a: (usize, usize),
    b: (usize, usize),
    half: usize,
) -> Vec<(usize, usize)> {
    const DIAG: u8 = 0;
    const UP: u8 = 1; // leave a clause of `fa` over
    const LEFT: u8 = 2; // leave a clause of `fb` over
    let (n_all, m_all) = (fa.len(), fb.len());
    let (n, m) = (a.1 - a.0, b.1 - b.0);
    let neg = f32::NEG_INFINITY;
    let bands: Vec<(usize, usize)> = (0..=n).map(|i| band(i, n, m, half)).collect();
    let mut offsets = Vec::with_capacity(n + 2);
    offsets.push(0usize);
    for &(lo, hi) in &bands {
        offsets.push(offsets[offsets.len() - 1] + (hi - lo + 1));
    }
    let mut moves = vec![LEFT; offsets[n + 1]];
    // Row 0: only clauses of `fb` left over.
    let (_, hi0) = bands[0];
    let mut prev: Vec<f32> = (0..=hi0).map(|j| -GAP * j as f32).collect();
    let mut cur: Vec<f32> = Vec::with_capacity(prev.len());
    for i in 1..=n {
        let (plo, phi) = bands[i - 1];
        let (lo, hi) = bands[i];
        let at_prev = |prev: &[f32], j: usize| {
            if j >= plo && j <= phi {
                prev[j - plo]
            } else {
                neg
            }
        };
        let ai = a.0 + i - 1;
        let row = &mut moves[offsets[i]..offsets[i + 1]];
        cur.clear();
        for j in lo..=hi {
            let mut best = at_prev(&prev, j) - GAP;
            let mut mv = UP;
            if j > lo && cur[j - 1 - lo] - GAP > best {
                best = cur[j - 1 - lo] - GAP;
                mv = LEFT;
            }
            if j > 0 {
                let diag = at_prev(&prev, j - 1);
                let bj = b.0 + j - 1;
                if diag > neg
                    && let Some(s) = score(&fa[ai], &fb[bj], diagonal_gap(ai, bj, n_all, m_all))
                    && diag + s > best
                {
                    best = diag + s;
                    mv = DIAG;
                }
            }
            cur.push(best);
            row[j - lo] = mv;
        }
        std::mem::swap(&mut prev, &mut cur);
    }
    let (mut i, mut j) = (n, m);
    let mut raw = Vec::new();
    while i > 0 || j > 0 {
        let mv = if i == 0 {
            LEFT
        } else if j == 0 {
            UP
        } else {
            moves[offsets[i] + j - bands[i].0]
        };
        match mv {
            DIAG => {
                raw.push((a.0 + i - 1, b.0 + j - 1));
                i -= 1;
                j -= 1;
            }
            UP => i -= 1,
            _ => j -= 1,
        }
    }
    raw.reverse();
    raw
}

/// The alignment of monotone pairs, each with its confidence: the pair's
/// own score, raised when its neighbours are pairs too (a run of
/// consecutive pairs confirms the structure).
fn finish(fa: &[Features], fb: &[Features], raw: &[(usize, usize)]) -> Alignment {
    let (n, m) = (fa.len(), fb.len());
    let mut out = Alignment {
        pairs: Vec::with_capacity(raw.len()),
        forward: vec![None; n],
        backward: vec![None; m],
        notes: Vec::new(),
    };
    for (k, &(a, b)) in raw.iter().enumerate() {
        let s = score(&fa[a], &fb[b], diagonal_gap(a, b, n, m)).unwrap_or(-1.0);
        let before = k > 0 && raw[k - 1].0 + 1 == a && raw[k - 1].1 + 1 == b;
        let after = raw
            .get(k + 1)
            .is_some_and(|&(x, y)| x == a + 1 && y == b + 1);
        let z = 2.5 * (s - 0.2) + 0.6 * (f32::from(u8::from(before)) + f32::from(u8::from(after)));
        let confidence = 1.0 / (1.0 + (-z).exp());
        out.pairs.push(AlignedPair {
            original: a,
            translation: b,
            confidence: (confidence * 1000.0).round() / 1000.0,
        });
        out.forward[a] = Some(b);
        out.backward[b] = Some(a);
    }
    out
}

/// A list: clauses numbered in one style under one parent, in order.
struct List {
    items: Vec<usize>,
}

/// The lists of a document: runs of clauses with labels of one style that
/// share a parent and a section.
fn lists(doc: &Document) -> Vec<List> {
    let mut out: Vec<List> = Vec::new();
    let mut open: Option<(Style, Option<usize>, usize)> = None; // style, parent, list index
    for (i, c) in doc.clauses.iter().enumerate() {
        if c.kind == ClauseKind::Heading || c.kind == ClauseKind::Meta {
            open = None;
            continue;
        }
        let Some((style, _)) = c.label.as_deref().and_then(number) else {
            continue; // unnumbered text inside a list does not end it
        };
        match open {
            Some((s, p, k)) if s == style && p == c.parent => out[k].items.push(i),
            _ => {
                out.push(List { items: vec![i] });
                open = Some((style, c.parent, out.len() - 1));
            }
        }
    }
    out
}

/// For each clause, the counterpart of the nearest earlier clause that has
/// one: where a clause without a counterpart would stand in the other text.
pub(crate) fn last_counterpart_before(map: &[Option<usize>]) -> Vec<Option<usize>> {
    let mut last = None;
    map.iter()
        .map(|m| {
            let here = last;
            last = m.or(last);
            here
        })
        .collect()
}

/// The places where the structures differ: clauses without a counterpart,
/// and lists of different lengths.
pub fn structure_diffs(
    original: &Document,
    translation: &Document,
    alignment: &Alignment,
) -> Vec<StructureDiff> {
    let mut out = Vec::new();
    let before_t = last_counterpart_before(&alignment.forward);
    for (i, m) in alignment.forward.iter().enumerate() {
        if m.is_none() {
            let after = before_t[i].map(|j| ClauseAt::of(translation, j));
            out.push(StructureDiff::Unaligned {
                side: Which::Original,
                clause: ClauseAt::of(original, i),
                after,
            });
        }
    }
    let before_o = last_counterpart_before(&alignment.backward);
    for (j, m) in alignment.backward.iter().enumerate() {
        if m.is_none() {
            let after = before_o[j].map(|i| ClauseAt::of(original, i));
            out.push(StructureDiff::Unaligned {
                side: Which::Translation,
                clause: ClauseAt::of(translation, j),
                after,
            });
        }
    }
    let lb = lists(translation);
    let mut list_of_b = vec![None; translation.clauses.len()];
    for (k, l) in lb.iter().enumerate() {
        for &j in &l.items {
            list_of_b[j] = Some(k);
        }
    }
    for la in lists(original) {
        // The counterpart list: where most of the items' counterparts are.
        let mut votes: Vec<(usize, usize)> = Vec::new();
        for &i in &la.items {
            if let Some(k) = alignment.counterpart(i).and_then(|j| list_of_b[j]) {
                match votes.iter_mut().find(|(x, _)| *x == k) {
                    Some(v) => v.1 += 1,
                    None => votes.push((k, 1)),
                }
            }
        }
        let Some(&(k, _)) = votes
            .iter()
            .max_by_key(|&&(k, n)| (n, std::cmp::Reverse(k)))
        else {
            continue;
        };
        let lbk = &lb[k];
        if lbk.items.len() != la.items.len() {
            out.push(StructureDiff::ListLength {
                original: ClauseAt::of(original, la.items[0]),
                translation: ClauseAt::of(translation, lbk.items[0]),
                original_items: la.items.len(),
                translation_items: lbk.items.len(),
            });
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::Format;

    fn bundled() -> (Document, Document) {
        let root = env!("CARGO_MANIFEST_DIR");
        let read = |p: &str| {
            Document::parse(
                &std::fs::read_to_string(format!("{root}/{p}")).unwrap(),
                Format::Markdown,
            )
        };
        (
            read("policies/privacy-policy.md"),
            read("policies/privacy-policy.zh-CN.md"),
        )
    }

    /// The target of issue 15: the bundled pair aligns every clause, each
    /// with the clause on the same line (the Chinese mirrors the English
    /// line for line, so the line is the truth to check against).
    #[test]
    fn the_bundled_pair_aligns_every_clause_to_its_line() {
        let (en, zh) = bundled();
        let a = align(&en, &zh);
        assert_eq!(a.pairs.len(), en.clauses.len());
        assert_eq!(en.clauses.len(), zh.clauses.len());
        for p in &a.pairs {
            assert_eq!(
                en.clauses[p.original].line, zh.clauses[p.translation].line,
                "{:?} ↔ {:?}",
                en.clauses[p.original].text, zh.clauses[p.translation].text
            );
        }
        assert!(structure_diffs(&en, &zh, &a).is_empty());
        assert!(a.confidence() > 0.8, "{}", a.confidence());
    }

    #[test]
    fn a_clause_only_in_one_language_is_left_over() {
        let (en, zh) = bundled();
        let mut text = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/policies/privacy-policy.zh-CN.md"
        ))
        .unwrap();
        text = text.replace(
            "（8）涉及商业秘密的。",
            "（8）涉及商业秘密的；\n\n（9）法律法规规定的其他情形。",
        );
        let zh2 = Document::parse(&text, Format::Markdown);
        let a = align(&en, &zh2);
        let extra: Vec<_> = a
            .backward
            .iter()
            .enumerate()
            .filter(|(_, m)| m.is_none())
            .map(|(j, _)| zh2.clauses[j].text.as_str())
            .collect();
        assert_eq!(extra, ["法律法规规定的其他情形。"]);
        let diffs = structure_diffs(&en, &zh2, &a);
        assert!(diffs.iter().any(|d| matches!(
            d,
            StructureDiff::ListLength {
                original_items: 8,
                translation_items: 9,
                ..
            }
        )));
        let _ = zh;
    }
}

#[cfg(test)]
mod band_tests {
    use super::*;
    use crate::document::Format;
    use proptest::prelude::*;

    /// The programme as first written: every cell of the full grid.
    fn dp_full(fa: &[Features], fb: &[Features]) -> Vec<(usize, usize)> {
        let (n, m) = (fa.len(), fb.len());
        let mut score_at = vec![0f32; (n + 1) * (m + 1)];
        let mut moves = vec![2u8; (n + 1) * (m + 1)];
        for (j, s) in score_at.iter_mut().take(m + 1).enumerate() {
            *s = -GAP * j as f32;
        }
        for i in 1..=n {
            score_at[i * (m + 1)] = -GAP * i as f32;
            moves[i * (m + 1)] = 1;
            for j in 1..=m {
                let mut best = score_at[(i - 1) * (m + 1) + j] - GAP;
                let mut mv = 1;
                if score_at[i * (m + 1) + j - 1] - GAP > best {
                    best = score_at[i * (m + 1) + j - 1] - GAP;
                    mv = 2;
                }
                let diag = score_at[(i - 1) * (m + 1) + j - 1];
                if let Some(s) = score(&fa[i - 1], &fb[j - 1], diagonal_gap(i - 1, j - 1, n, m))
                    && diag + s > best
                {
                    best = diag + s;
                    mv = 0;
                }
                score_at[i * (m + 1) + j] = best;
                moves[i * (m + 1) + j] = mv;
            }
        }
        let (mut i, mut j) = (n, m);
        let mut raw = Vec::new();
        while i > 0 || j > 0 {
            let mv = if i == 0 {
                2
            } else if j == 0 {
                1
            } else {
                moves[i * (m + 1) + j]
            };
            match mv {
                0 => {
                    raw.push((i - 1, j - 1));
                    i -= 1;
                    j -= 1;
                }
                1 => i -= 1,
                _ => j -= 1,
            }
        }
        raw.reverse();
        raw
    }

    /// A document of generated clauses: headings, numbered items and
    /// paragraphs of various lengths, some with anchors and colons.
    fn doc(spec: &[(u8, u8, u8)]) -> Document {
        let mut text = String::new();
        for (k, &(kind, len, extra)) in spec.iter().enumerate() {
            let words: Vec<&str> = ["data", "policy", "user", "share", "keep", "right"]
                .iter()
                .cycle()
                .skip(k % 6)
                .take(1 + usize::from(len % 12))
                .copied()
                .collect();
            let mut body = words.join(" ");
            match extra % 4 {
                1 => body.push_str(&format!(" within {} days", extra)),
                2 => body.push(':'),
                3 => body.push_str(" at privacy@example.com"),
                _ => {}
            }
            match kind % 3 {
                0 => text.push_str(&format!("## {body}\n\n")),
                1 => text.push_str(&format!("{}. {body}.\n\n", 1 + usize::from(len % 5))),
                _ => text.push_str(&format!("{body}.\n\n")),
            }
        }
        Document::parse(&text, Format::Markdown)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(64))]

        /// Where the band covers the whole grid, the banded programme
        /// finds exactly what the full one does.
        #[test]
        fn banded_equals_full_where_the_band_covers_everything(
            a in proptest::collection::vec((0u8..3, 0u8..40, 0u8..60), 0..24),
            b in proptest::collection::vec((0u8..3, 0u8..40, 0u8..60), 0..24),
        ) {
            let (da, db) = (doc(&a), doc(&b));
            let (fa, fb) = (features(&da), features(&db));
            let (n, m) = (fa.len(), fb.len());
            prop_assume!(n > 0 && m > 0);
            let full = dp_full(&fa, &fb);
            // `half = m` is every column; so is any wider corridor.
            prop_assert_eq!(&dp_banded(&fa, &fb, (0, n), (0, m), m), &full);
            prop_assert_eq!(&dp_banded(&fa, &fb, (0, n), (0, m), m + n), &full);
            // And `align` itself (small: no band) agrees.
            let raw: Vec<(usize, usize)> =
                align(&da, &db).pairs.iter().map(|p| (p.original, p.translation)).collect();
            prop_assert_eq!(raw, full);
        }

        /// A narrow corridor still ends at the last cell: the alignment is
        /// monotone and in range, whatever the lengths.
        #[test]
        fn a_narrow_band_still_aligns_monotonically(
            a in proptest::collection::vec((0u8..3, 0u8..40, 0u8..60), 1..40),
            b in proptest::collection::vec((0u8..3, 0u8..40, 0u8..60), 1..40),
            half in 0usize..4,
        ) {
            let (fa, fb) = (features(&doc(&a)), features(&doc(&b)));
            let (n, m) = (fa.len(), fb.len());
            prop_assume!(n > 0 && m > 0);
            let half = half.max(m.div_ceil(n));
            let raw = dp_banded(&fa, &fb, (0, n), (0, m), half);
            for w in raw.windows(2) {
                prop_assert!(w[0].0 < w[1].0 && w[0].1 < w[1].1);
            }
            prop_assert!(raw.iter().all(|&(i, j)| i < n && j < m));
        }
    }

    /// Two long texts of short clauses with no anchors (the case that once
    /// filled a full n × m grid): the band keeps the work near the
    /// diagonal, and the texts align clause for clause.
    #[test]
    fn two_texts_of_50k_clauses_align_in_a_band() {
        let n = 50_000;
        let text = |lang: &str| {
            (0..n)
                .map(|k| {
                    format!(
                        "{lang} clause {} of the text.\n\n",
                        ["one", "two", "three"][k % 3]
                    )
                })
                .collect::<String>()
        };
        let a = Document::parse(&text("first"), Format::Markdown);
        let b = Document::parse(&text("second"), Format::Markdown);
        assert_eq!((a.clauses.len(), b.clauses.len()), (n, n));
        let (half, note) = band_half(n, n);
        assert_eq!((half, note), (BAND_SLACK, None));
        // Memory: one byte per corridor cell, not per grid cell.
        assert!(band_cells(n, n, half) <= MAX_CELLS);
        assert!(band_cells(n, n, half) * 100 < n * n);
        let started = std::time::Instant::now();
        let al = align(&a, &b);
        let took = started.elapsed();
        assert_eq!(al.pairs.len(), n);
        assert!(al.pairs.iter().all(|p| p.original == p.translation));
        assert!(al.notes.is_empty());
        eprintln!("50k × 50k clauses aligned in {took:?}");
    }

    /// Texts too long even for the usual band are aligned in a narrower
    /// one, with a note, instead of exhausting memory.
    #[test]
    fn a_million_clauses_narrow_the_band_with_a_note() {
        let (n, m) = (1_000_000, 990_000);
        let (half, note) = band_half(n, m);
        let note = note.expect("a note");
        assert!(band_cells(n, m, half) <= MAX_CELLS, "{half}");
        assert!(half >= m.div_ceil(n), "{half}");
        assert!(note.contains("1000000 × 990000"), "{note}");
        // Very uneven lengths keep the corridor connected.
        let (half, _) = band_half(2_000_000, 40_000_000);
        assert!(half >= 20, "{half}");
    }
}
