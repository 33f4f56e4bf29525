//! What detectors look at: the words that arrive in (or leave) a change.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use super::Finding;
use super::catalogue::{ASSESSMENT, Detector, HIGH};
use super::ids::DetectorId;
use super::scan;
use super::terms::{Sentence, Terms, Tokens};
use crate::diff::ChangeKind;
use crate::document::{Clause, Document};

/// One change seen by the detectors.
pub struct Context<'a> {
    /// The change's kind.
    pub kind: ChangeKind,
    /// The old clause.
    pub old: Option<&'a Clause>,
    /// The new clause.
    pub new: Option<&'a Clause>,
    /// Old clause text as written ("" when added).
    pub old_text: &'a str,
    /// New clause text as written ("" when removed).
    pub new_text: &'a str,
    /// Old clause text, lower case.
    pub old_lower: String,
    /// New clause text, lower case.
    pub new_lower: String,
    /// Both, lower case, for manual-review matching.
    pub both: String,
    /// Section paths of both sides, lower case.
    pub section: &'a str,
    /// Words of the section paths.
    pub section_tok: Tokens<'a>,
    /// Words of the old text, tokenised once for every detector.
    pub old_tok: Tokens<'a>,
    /// Words of the new text.
    pub new_tok: Tokens<'a>,
    /// Durations in the old text ("15 working days" and its length in days).
    pub old_durations: Vec<(String, f64)>,
    /// Durations in the new text.
    pub new_durations: Vec<(String, f64)>,
    old_doc: &'a Document,
    new_doc: &'a Document,
}

impl<'a> Context<'a> {
    /// Describe one change.
    pub fn new(
        kind: ChangeKind,
        (old, new): (Option<&'a Clause>, Option<&'a Clause>),
        section: &'a str,
        old_doc: &'a Document,
        new_doc: &'a Document,
    ) -> Self {
        let text = |c: Option<&'a Clause>| c.map_or("", |c| c.text.as_str());
        let (old_text, new_text) = (text(old), text(new));
        let old_lower = old_text.to_lowercase();
        let new_lower = new_text.to_lowercase();
        Context {
            kind,
            old,
            new,
            both: format!("{old_lower}\n{new_lower}"),
            old_text,
            new_text,
            old_lower,
            new_lower,
            section,
            section_tok: Tokens::new(section),
            old_tok: Tokens::new(old_text),
            new_tok: Tokens::new(new_text),
            old_durations: scan::durations(old_text),
            new_durations: scan::durations(new_text),
            old_doc,
            new_doc,
        }
    }

    /// The section paths of a change's clauses, lower case, one per line.
    pub fn section_of(old: Option<&Clause>, new: Option<&Clause>) -> String {
        let mut section: Vec<&str> = Vec::new();
        for c in [old, new].into_iter().flatten() {
            section.extend(c.section.iter().map(String::as_str));
        }
        section.join("\n").to_lowercase()
    }

    /// Both texts, lower case.
    pub fn both_lower(&self) -> &str {
        &self.both
    }

    /// True if the terms occur in the old or the new text.
    pub fn either_matches(&self, terms: &Terms) -> bool {
        terms.is_match_in(&self.old_tok.all()) || terms.is_match_in(&self.new_tok.all())
    }

    /// Distinct terms (lower case) occurring in the old or new text.
    pub fn distinct(&self, terms: &Terms) -> usize {
        let mut all = terms.distinct_in(&self.old_tok.all());
        all.extend(terms.distinct_in(&self.new_tok.all()));
        all.sort();
        all.dedup();
        all.len()
    }
}

fn finding(signal: &str, matched: Vec<String>) -> Finding {
    Finding {
        change: None,
        signal: signal.into(),
        matched,
    }
}

/// Distinct terms found in a span (as written) whose lower-case form does not
/// occur in `other_lower`: what arrived.
fn only_in(terms: &Terms, span: &Sentence<'_, '_>, other_lower: &str) -> Vec<String> {
    let map: BTreeMap<String, String> = terms
        .matches_in(span)
        .into_iter()
        .map(|m| (m.to_lowercase(), m.to_owned()))
        .filter(|(lower, _)| !other_lower.contains(lower.as_str()))
        .collect();
    map.into_values().collect()
}

/// Sentences of a text.
fn sentences(text: &str) -> impl Iterator<Item = &str> {
    text.split_inclusive(['.', ';', '。', '；', '!', '?', '！', '？'])
}

/// Like [`only_in`], keeping only matches whose sentence is about `subject`
/// (or whose section is): "third parties" counts as a recipient in a sentence
/// about sharing, not in one about security audits.
///
/// A sentence that rules something out ("we will not use it for advertising")
/// adds nothing, unless it carves out an exception ("will not share … other
/// than our advertising partners").
fn only_in_about(
    terms: &Terms,
    sentences: &[(Sentence<'_, '_>, bool)],
    other_lower: &str,
) -> Vec<String> {
    let mut out: BTreeMap<String, String> = BTreeMap::new();
    for (sentence, about) in sentences {
        if *about {
            out.extend(
                only_in(terms, sentence, other_lower)
                    .into_iter()
                    .map(|m| (m.to_lowercase(), m)),
            );
        }
    }
    out.into_values().collect()
}

/// Signals of one detector in one change.
pub fn detect(d: &Detector, ctx: &Context<'_>) -> Vec<Finding> {
    let mut out = Vec::new();
    let o = ctx.old_lower.as_str();
    for s in &d.signals {
        let m = only_in(&s.terms, &ctx.new_tok.all(), o);
        if !m.is_empty() {
            out.push(finding(s.name, m));
        }
    }
    let section_about = d.section_counts && d.subject.is_match_in(&ctx.section_tok.all());
    let about = section_about || ctx.either_matches(&d.subject);
    // Each new sentence, and whether it counts as about the subject (see
    // only_in_about), decided once for all of the detector's signals.
    let sentences: Vec<(Sentence<'_, '_>, bool)> = if d.subject_signals.is_empty() {
        Vec::new()
    } else {
        ctx.new_tok
            .sentences()
            .into_iter()
            .map(|s| {
                let rules_out = NEGATION.is_match_in(&s) && !EXCEPTION.is_match_in(&s);
                let about = !rules_out && (section_about || d.subject.is_match_in(&s));
                (s, about)
            })
            .collect()
    };
    for s in &d.subject_signals {
        let m = only_in_about(&s.terms, &sentences, o);
        if !m.is_empty() {
            out.push(finding(s.name, m));
        }
    }
    match d.id {
        DetectorId::Processing => {
            // Retention: the durations in sentences about keeping data changed.
            let kept = |tokens: &Tokens<'_>| -> Vec<(String, f64)> {
                tokens
                    .sentences()
                    .iter()
                    .filter(|s| RETENTION.is_match_in(s))
                    .flat_map(|s| scan::durations(s.text()))
                    .collect()
            };
            let (a, b) = (kept(&ctx.old_tok), kept(&ctx.new_tok));
            let days = |v: &[(String, f64)]| v.iter().map(|x| x.1).collect::<Vec<_>>();
            if !b.is_empty() && days(&a) != days(&b) {
                let m = a
                    .iter()
                    .map(|x| format!("-{}", x.0))
                    .chain(b.iter().map(|x| format!("+{}", x.0)))
                    .collect();
                out.push(finding("retention period changed", m));
            }
            // A protection (anonymisation, de-identification) that left.
            if ctx.new.is_some() {
                let lost = ANONYMITY_TERMS.lost(&ctx.old_tok.all(), &ctx.new_tok.all());
                if !lost.is_empty() {
                    out.push(finding(
                        "anonymisation or de-identification removed",
                        lost.into_iter().map(|w| format!("-{w}")).collect(),
                    ));
                }
            }
        }
        DetectorId::Rights if about => {
            if ctx.old.is_some()
                && ctx.new.is_some()
                && let Some(m) = durations_longer(&ctx.old_durations, &ctx.new_durations)
            {
                out.push(finding("longer deadline to answer a request", m));
            }
            if ctx.kind == ChangeKind::Removed && d.subject.is_match_in(&ctx.old_tok.all()) {
                out.push(finding(
                    "a clause about users' rights was removed",
                    vec![first_words(ctx.old_text)],
                ));
            }
            if ctx.new.is_some() {
                let lost = RIGHT_NAME_TERMS.lost(&ctx.old_tok.all(), &ctx.new_tok.all());
                if !lost.is_empty() {
                    out.push(finding(
                        "a right removed or narrowed",
                        lost.into_iter().map(|w| format!("-{w}")).collect(),
                    ));
                }
            }
            // The channel for exercising a right (an address, a form) changed.
            let mut channel = Vec::new();
            contact(ctx, &mut channel);
            for f in channel {
                out.push(finding("channel for exercising rights changed", f.matched));
            }
        }
        DetectorId::Contact => contact(ctx, &mut out),
        DetectorId::Ownership => {
            let names = only_in_entities(ctx.new_text, o);
            let about_operation = ctx
                .new_tok
                .sentences()
                .iter()
                .any(|s| OPERATOR.is_match_in(s));
            if !names.is_empty() && about_operation {
                out.push(finding("new company name for the operator", names));
            }
        }
        DetectorId::Recipients => {
            let names: Vec<String> = ctx
                .new_tok
                .sentences()
                .iter()
                .filter(|s| d.subject.is_match_in(s))
                .flat_map(|s| only_in_entities(s.text(), o))
                .collect();
            if !names.is_empty() {
                out.push(finding("new named recipient", names));
            }
        }
        DetectorId::HighRisk => {
            let m = high_risk(ctx.new_text);
            if !m.is_empty() && high_risk(ctx.old_text).is_empty() {
                out.push(finding("impact assessment reports high risk", m));
            }
        }
        DetectorId::Rights => {}
    }
    out
}

static ANONYMITY_TERMS: LazyLock<Terms> = LazyLock::new(|| Terms::new(super::catalogue::ANONYMITY));
static RIGHT_NAME_TERMS: LazyLock<Terms> =
    LazyLock::new(|| Terms::new(super::catalogue::RIGHT_NAMES));
static RETENTION: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "retain*|retention|storage period|keep|keeps|store|stored|stores|storing|delete*|保存|保留|存储",
    )
});
static OPERATOR: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "operated by|operator|provided by|controller|we are|company|运营|运营者|控制者|提供方|本公司|我们是",
    )
});

/// Company names ("Acme Analytics Inc.", "示例科技有限公司") new in `text`.
fn only_in_entities(text: &str, other_lower: &str) -> Vec<String> {
    entities(text)
        .into_iter()
        .filter(|e| !other_lower.contains(&e.to_lowercase()))
        .collect()
}

/// Company names: capitalised words before a legal-form suffix, or CJK text before 有限公司.
fn entities(text: &str) -> Vec<String> {
    const SUFFIXES: [&str; 9] = [
        "Inc",
        "Ltd",
        "LLC",
        "Corp",
        "Corporation",
        "GmbH",
        "Co",
        "Limited",
        "PLC",
    ];
    let words = super::terms::words(text);
    let mut out = Vec::new();
    for (k, (range, _)) in words.iter().enumerate() {
        if !SUFFIXES.contains(&&text[range.clone()]) {
            continue;
        }
        let mut first = k;
        while first > 0
            && text[words[first - 1].0.clone()].starts_with(|c: char| c.is_uppercase())
            && k - first < 5
        {
            first -= 1;
        }
        if first < k {
            out.push(text[words[first].0.start..range.end].to_owned());
        }
    }
    for (i, _) in text.match_indices("有限公司") {
        let name: String = text[..i]
            .chars()
            .rev()
            .take_while(|&c| crate::document::is_cjk(c))
            .take(12)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        if !name.is_empty() {
            out.push(format!("{name}有限公司"));
        }
    }
    out
}

static ASSESS: LazyLock<Terms> = LazyLock::new(|| Terms::new(ASSESSMENT));
static HIGH_TERMS: LazyLock<Terms> = LazyLock::new(|| Terms::new(HIGH));
/// Phrases that deny the finding ("no high risk", "not high").
static DENIAL: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "no high risk|not a high risk|not high|did not find|found no|without high|未发现|不存在高风险|没有高风险",
    )
});

/// Sentences stating that an assessment found high risk.
fn high_risk(text: &str) -> Vec<String> {
    sentences(text)
        .filter(|s| ASSESS.is_match(s) && HIGH_TERMS.is_match(s) && !DENIAL.is_match(s))
        .map(|s| s.trim().to_owned())
        .collect()
}

/// Contact details: emails, phone numbers, URLs, postal addresses and link
/// targets that appear or disappear. A detail that only moved between
/// clauses is not a change: added ones are checked against the whole old
/// version, removed ones against the whole new version.
fn contact(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let details = |text: &str| -> BTreeSet<String> {
        // Cheap tests first: most clauses hold no contact detail at all.
        let mut set: BTreeSet<String> = BTreeSet::new();
        if text.contains('@') {
            set.extend(scan::emails(text).into_iter().map(str::to_lowercase));
        }
        if text.contains("://") || text.contains("www.") || text.contains("WWW.") {
            set.extend(scan::urls(text).into_iter().map(str::to_lowercase));
        }
        let digits = text.bytes().filter(u8::is_ascii_digit).count();
        if digits >= 7 {
            set.extend(scan::phones(text).into_iter().map(str::to_owned));
        }
        if digits > 0 {
            set.extend(scan::postal(text).into_iter().map(|p| p.to_lowercase()));
        }
        set
    };
    let (old, new) = (details(ctx.old_text), details(ctx.new_text));
    let mut changed = BTreeSet::new();
    for d in new.difference(&old) {
        if ctx.old.is_some() || !doc_mentions(ctx.old_doc, d) {
            changed.insert(format!("+{d}"));
        }
    }
    for d in old.difference(&new) {
        if ctx.new.is_some() || !doc_mentions(ctx.new_doc, d) {
            changed.insert(format!("-{d}"));
        }
    }
    let links = |c: Option<&Clause>| -> BTreeSet<String> {
        c.map(|c| {
            c.links
                .iter()
                .filter(|l| contact_link(l))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
    };
    let (lo, ln) = (links(ctx.old), links(ctx.new));
    if ctx.old.is_some() && ctx.new.is_some() {
        changed.extend(ln.difference(&lo).map(|l| format!("+{l}")));
        changed.extend(lo.difference(&ln).map(|l| format!("-{l}")));
    }
    if !changed.is_empty() {
        out.push(finding(
            "contact details changed",
            changed.into_iter().collect(),
        ));
    }
}

/// A link that is a way to reach the company (mail, phone, contact or complaint pages, opt-out).
fn contact_link(url: &str) -> bool {
    let u = url.to_ascii_lowercase();
    u.starts_with("mailto:")
        || u.starts_with("tel:")
        || [
            "contact",
            "complain",
            "feedback",
            "support",
            "privacy",
            "optout",
            "opt-out",
            "unsubscribe",
            "dpo",
        ]
        .iter()
        .any(|w| u.contains(w))
}

fn doc_mentions(doc: &Document, needle_lower: &str) -> bool {
    doc.clauses
        .iter()
        .any(|c| c.text.to_lowercase().contains(needle_lower))
}

fn first_words(text: &str) -> String {
    let mut s: String = text.chars().take(60).collect();
    if text.chars().count() > 60 {
        s.push('…');
    }
    s
}

fn durations_longer(a: &[(String, f64)], b: &[(String, f64)]) -> Option<Vec<String>> {
    let max = |v: &[(String, f64)]| v.iter().map(|x| x.1).fold(f64::MIN, f64::max);
    (!a.is_empty() && !b.is_empty() && max(b) > max(a)).then(|| {
        a.iter()
            .map(|x| format!("-{}", x.0))
            .chain(b.iter().map(|x| format!("+{}", x.0)))
            .collect()
    })
}

static STRONG: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "will not|shall not|won t|never|will|shall|must|undertake to|commit to|promise to|guarantee|不会|绝不|必须|承诺|保证|一定",
    )
});
static WEAK: LazyLock<Terms> =
    LazyLock::new(|| Terms::new("may|might|can|could|reserve the right|可能|可以|有权"));
static NEGATION: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new("not|never|no|none|neither|nor|n t|不会|不得|不能|不再|不予|未经|无需|禁止|绝不")
});
static EXCEPTION: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new("other than|except|unless|apart from|but|however|除|以外|除外|但|例外")
});
static LIMITER: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "only|solely|exclusively|without your consent|without your explicit consent|without your express consent|without your prior consent|explicit consent|express consent|prior consent|separate consent|unless|仅|只会|只有|未经您同意|未经您的同意|未经同意|明确同意|单独同意",
    )
});

/// General signals: a commitment weakened, a negation flipped, a limiter
/// removed, a number inside a commitment changed, a commitment removed, a
/// permission added. They say nothing about the subject; the caller
/// attributes them to the trigger whose subject the clause is about.
///
/// Sentences that report an assessment finding no high risk are left out
/// first: they state a result, not a commitment, and their "no" or "not"
/// is not a negation flipped.
pub fn general(ctx: &Context<'_>) -> Vec<Finding> {
    let denial = |tok: &Tokens<'_>| DENIAL.is_match_in(&tok.all());
    if !denial(&ctx.old_tok) && !denial(&ctx.new_tok) {
        let old = Side {
            lower: &ctx.old_lower,
            tok: &ctx.old_tok,
            durations: &ctx.old_durations,
        };
        let new = Side {
            lower: &ctx.new_lower,
            tok: &ctx.new_tok,
            durations: &ctx.new_durations,
        };
        return general_in(ctx.kind, &old, &new);
    }
    let (old, new) = (without_denials(ctx.old_text), without_denials(ctx.new_text));
    let (old_tok, new_tok) = (Tokens::new(&old), Tokens::new(&new));
    let (old_lower, new_lower) = (old.to_lowercase(), new.to_lowercase());
    let (old_durations, new_durations) = (scan::durations(&old), scan::durations(&new));
    general_in(
        ctx.kind,
        &Side {
            lower: &old_lower,
            tok: &old_tok,
            durations: &old_durations,
        },
        &Side {
            lower: &new_lower,
            tok: &new_tok,
            durations: &new_durations,
        },
    )
}

/// One side of a change as the general signals see it.
struct Side<'a> {
    lower: &'a str,
    tok: &'a Tokens<'a>,
    durations: &'a [(String, f64)],
}

/// A sentence reporting that an assessment found no high risk.
fn denies_high_risk(sentence: &str) -> bool {
    DENIAL.is_match(sentence) && (ASSESS.is_match(sentence) || HIGH_TERMS.is_match(sentence))
}

/// `text` without its sentences that deny a high-risk finding.
fn without_denials(text: &str) -> String {
    sentences(text).filter(|s| !denies_high_risk(s)).collect()
}

fn general_in(kind: ChangeKind, old: &Side<'_>, new: &Side<'_>) -> Vec<Finding> {
    let (o, n) = (old.lower, new.lower);
    let mut out = Vec::new();
    match kind {
        ChangeKind::Modified | ChangeKind::Moved => {
            let (old_all, new_all) = (old.tok.all(), new.tok.all());
            let lost = only_in(&STRONG, &old_all, n);
            let gained = only_in(&WEAK, &new_all, o);
            if !lost.is_empty() && !gained.is_empty() {
                let m = lost
                    .iter()
                    .map(|w| format!("-{w}"))
                    .chain(gained.iter().map(|w| format!("+{w}")))
                    .collect();
                out.push(finding("commitment weakened", m));
            }
            let (neg_o, neg_n) = (
                NEGATION.find_in(&old_all).len(),
                NEGATION.find_in(&new_all).len(),
            );
            if neg_o != neg_n {
                let m: Vec<String> = only_in(&NEGATION, &old_all, n)
                    .into_iter()
                    .map(|w| format!("-{w}"))
                    .chain(
                        only_in(&NEGATION, &new_all, o)
                            .into_iter()
                            .map(|w| format!("+{w}")),
                    )
                    .collect();
                out.push(finding(
                    "negation added or removed",
                    if m.is_empty() {
                        vec![format!("{neg_o} → {neg_n} negations")]
                    } else {
                        m
                    },
                ));
            }
            let limiters = only_in(&LIMITER, &old_all, n);
            if !limiters.is_empty() {
                out.push(finding(
                    "limitation removed",
                    limiters.into_iter().map(|w| format!("-{w}")).collect(),
                ));
            }
            let commitment = |span: &Sentence<'_, '_>, durations: &[(String, f64)]| {
                STRONG.is_match_in(span) || LIMITER.is_match_in(span) || !durations.is_empty()
            };
            if commitment(&old_all, old.durations) || commitment(&new_all, new.durations) {
                fn sorted(t: &str) -> Vec<&str> {
                    let mut v = scan::numbers(t);
                    v.sort_unstable();
                    v
                }
                let (a, b) = (sorted(o), sorted(n));
                // A deadline that only got shorter favours the user: not a signal.
                let (da, db) = (old.durations, new.durations);
                let max = |v: &[(String, f64)]| v.iter().map(|x| x.1).fold(0.0, f64::max);
                let only_shorter = !da.is_empty() && da.len() == db.len() && max(db) < max(da);
                if !a.is_empty() && !b.is_empty() && a != b && !only_shorter {
                    let m = a
                        .iter()
                        .filter(|x| !b.contains(x))
                        .map(|w| format!("-{w}"))
                        .chain(b.iter().filter(|x| !a.contains(x)).map(|w| format!("+{w}")))
                        .collect();
                    out.push(finding("number in a commitment changed", m));
                }
            }
        }
        ChangeKind::Removed => {
            let m: Vec<String> = [&*STRONG, &*LIMITER, &*NEGATION]
                .iter()
                .flat_map(|t| t.matches_in(&old.tok.all()).into_iter().map(str::to_owned))
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            if !m.is_empty() {
                out.push(finding("commitment removed", m));
            }
        }
        ChangeKind::Added => {
            let m = only_in(&WEAK, &new.tok.all(), "");
            if !m.is_empty() {
                out.push(finding("something newly allowed or granted", m));
            }
        }
        ChangeKind::Editorial => {}
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_compare_in_days() {
        let d = scan::durations;
        let longer = durations_longer(
            &d("within [ 15 ] working days"),
            &d("within [ 30 ] working days"),
        );
        assert_eq!(longer.map(|v| v.len()), Some(2));
        assert!(durations_longer(&d("within 30 days"), &d("within 15 days")).is_none());
    }

    #[test]
    fn high_risk_needs_both_halves_in_one_sentence() {
        assert_eq!(
            high_risk("The impact assessment found a high risk to users.").len(),
            1
        );
        assert_eq!(
            high_risk("个人信息安全影响评估报告表明存在高风险。").len(),
            1
        );
        assert!(
            high_risk("We perform regular impact assessments. High risk activities are rare.")
                .is_empty()
        );
        assert!(high_risk("The impact assessment found no high risk.").is_empty());
    }

    #[test]
    fn company_names() {
        assert_eq!(
            entities("shared with Acme Analytics Inc. and others"),
            ["Acme Analytics Inc"]
        );
        assert_eq!(entities("由示例科技有限公司运营"), ["由示例科技有限公司"]);
    }
}
