//! What detectors look at: the words that arrive in (or leave) a change.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::LazyLock;

use super::Finding;
use super::analysis::Analysis;
use super::catalogue::{ASSESSMENT, Detector, HIGH};
use super::ids::DetectorId;
use super::scan;
use super::terms::{Sentence, Terms, Tokens};
use crate::diff::{Change, ChangeKind};
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
    /// Both, lower case, for manual-review matching (made on first use:
    /// only a trigger that no detector covers asks).
    both: std::cell::OnceCell<String>,
    /// Section paths of both sides, lower case.
    pub section: &'a str,
    /// Words of the section paths.
    pub section_tok: Tokens<'a>,
    /// Words of the old text, tokenised once for every detector.
    pub old_tok: Tokens<'a>,
    /// Words of the new text.
    pub new_tok: Tokens<'a>,
    /// Index of the new clause in the new version.
    new_index: Option<usize>,
    old_doc: &'a Document,
    new_doc: &'a Document,
    mentions: &'a Mentions<'a>,
    /// For each sentence of the new text: whether a negation rules it out
    /// of being about a subject (the same for every detector: worked out
    /// on first use, once).
    negated: std::cell::OnceCell<Vec<bool>>,
}

/// The whole text of each version, lower case, built only when a detector
/// asks whether a detail appears anywhere (before, every question
/// lower-cased every clause again: quadratic on a large policy), and at most
/// once per version (it lives in the version's [`Analysis`]).
pub struct Mentions<'a> {
    old: &'a Analysis,
    new: &'a Analysis,
}

impl<'a> Mentions<'a> {
    /// The texts of the old and the new version, from their analyses.
    pub fn new(old: &'a Analysis, new: &'a Analysis) -> Self {
        Mentions { old, new }
    }

    fn of_old(&self, doc: &Document) -> &DocText {
        self.old.text(doc)
    }

    fn of_new(&self, doc: &Document) -> &DocText {
        self.new.text(doc)
    }
}

/// One version's clause texts and link targets, lower case, and its phone
/// numbers by their digits.
#[derive(Debug)]
pub(super) struct DocText {
    text: String,
    links: String,
    phones: std::collections::HashSet<String>,
    /// Some clause hides an address ("[email protected]").
    obfuscated: bool,
}

impl DocText {
    pub(super) fn of(doc: &Document) -> DocText {
        let mut text = String::new();
        let mut links = String::new();
        let mut phones = std::collections::HashSet::new();
        let mut hidden = false;
        for c in &doc.clauses {
            hidden = hidden || obfuscated(&c.text);
            if c.text.is_ascii() {
                // ASCII lower-cases in place: no second allocation per clause.
                let at = text.len();
                text.push_str(&c.text);
                text[at..].make_ascii_lowercase();
            } else {
                text.push_str(&c.text.to_lowercase());
            }
            text.push('\n');
            for l in &c.links {
                links.push_str(&l.to_lowercase());
                links.push('\n');
            }
            // A phone number has seven digits; most clauses have none.
            if c.text.bytes().any(|b| b.is_ascii_digit()) {
                phones.extend(scan::phones(&c.text).into_iter().map(scan::phone_key));
            }
        }
        DocText {
            text,
            links,
            phones,
            obfuscated: hidden,
        }
    }

    fn mentions(&self, needle_lower: &str) -> bool {
        // memmem: these are whole documents searched for long needles
        // (link targets), where std's two-way search was a visible cost.
        let within =
            |hay: &str| memchr::memmem::find(hay.as_bytes(), needle_lower.as_bytes()).is_some();
        within(&self.text)
            || within(&self.links)
            // Phone numbers are compared by their digits.
            || (needle_lower.bytes().all(|b| b.is_ascii_digit() || b == b'+')
                && self.phones.contains(needle_lower))
    }
}

impl<'a> Context<'a> {
    /// Describe one change. `prose` is each side's text as a reader reads
    /// it ([`scan::prose`]): detectors match words there, never in URLs.
    pub fn new(
        change: &Change,
        (old_prose, new_prose): (&'a str, &'a str),
        section: &'a str,
        (old_doc, new_doc): (&'a Document, &'a Document),
        mentions: &'a Mentions<'a>,
    ) -> Self {
        let old = change.old.map(|i| &old_doc.clauses[i]);
        let new = change.new.map(|j| &new_doc.clauses[j]);
        let text = |c: Option<&'a Clause>| c.map_or("", |c| c.text.as_str());
        let (old_text, new_text) = (text(old), text(new));
        let old_lower = old_text.to_lowercase();
        let new_lower = new_text.to_lowercase();
        Context {
            kind: change.kind,
            old,
            new,
            both: std::cell::OnceCell::new(),
            old_text,
            new_text,
            old_lower,
            new_lower,
            section,
            section_tok: Tokens::new(section),
            old_tok: Tokens::new(old_prose),
            new_tok: Tokens::new(new_prose),
            new_index: change.new,
            old_doc,
            new_doc,
            mentions,
            negated: std::cell::OnceCell::new(),
        }
    }

    /// The new text's sentences, each with whether a negation (and no
    /// exception) rules it out.
    fn negated_sentences(&self) -> impl Iterator<Item = (Sentence<'_, 'a>, bool)> {
        let sentences = self.new_tok.sentences();
        let negated = self.negated.get_or_init(|| {
            sentences
                .iter()
                .map(|s| NEGATION.is_match_in(s) && !EXCEPTION.is_match_in(s))
                .collect()
        });
        sentences.into_iter().zip(negated.iter().copied())
    }

    /// Whether the old version mentions `needle_lower` anywhere.
    fn old_mentions(&self, needle_lower: &str) -> bool {
        self.mentions.of_old(self.old_doc).mentions(needle_lower)
    }

    /// Whether the new version mentions `needle_lower` anywhere.
    fn new_mentions(&self, needle_lower: &str) -> bool {
        self.mentions.of_new(self.new_doc).mentions(needle_lower)
    }

    /// The section paths of a change's clauses, lower case, one per line.
    pub fn section_of(old: Option<&Clause>, new: Option<&Clause>) -> String {
        let mut section: Vec<&str> = Vec::new();
        for c in [old, new].into_iter().flatten() {
            section.extend(c.section.iter().map(String::as_str));
        }
        section.join("\n").to_lowercase()
    }

    /// What arriving words are compared with: the old clause ("" for an
    /// added clause: a clause added whole says everything anew, even words
    /// the policy used elsewhere).
    fn before_lower(&self) -> &str {
        &self.old_lower
    }

    /// Both texts, lower case.
    pub fn both_lower(&self) -> &str {
        self.both
            .get_or_init(|| format!("{}\n{}", self.old_lower, self.new_lower))
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
    // Distinct first: a term repeated through a long clause is looked for
    // in the other text once, not once per occurrence (quadratic).
    let mut map: BTreeMap<String, String> = BTreeMap::new();
    for m in terms.matches_in(span) {
        // The last spelling of a term is the one shown, as before.
        map.insert(m.to_lowercase(), m.to_owned());
    }
    // A substring search of the other text per term, within a budget; past
    // it (a hostile clause with thousands of distinct terms) an ASCII term
    // counts as there when each of its words is.
    let mut budget = 50_000_000usize;
    let mut words: Option<std::collections::HashSet<&str>> = None;
    map.retain(|lower, _| {
        if budget >= other_lower.len() || !lower.is_ascii() {
            budget = budget.saturating_sub(other_lower.len());
            return memchr::memmem::find(other_lower.as_bytes(), lower.as_bytes()).is_none();
        }
        let words = words.get_or_insert_with(|| {
            other_lower
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect()
        });
        !lower
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .all(|w| words.contains(w))
    });
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
    let o = ctx.before_lower();
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
        ctx.negated_sentences()
            .map(|(s, rules_out)| {
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
                    .filter(|s| RETENTION.is_match_in(s) && !scan::reports_figures(s.text()))
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
            if let Some(m) = consent_exception(ctx) {
                out.push(finding("new exception to consent", m));
            }
            let cookies = cookie_uses(ctx);
            if !cookies.is_empty() {
                out.push(finding(
                    "new tracking, analytics or advertising use of cookies",
                    cookies,
                ));
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
            // Deadlines: the durations in sentences about answering a request.
            let deadlines = |tokens: &Tokens<'_>| -> Vec<(String, f64)> {
                tokens
                    .sentences()
                    .iter()
                    .filter(|s| ANSWERING.is_match_in(s) && !scan::reports_figures(s.text()))
                    .flat_map(|s| scan::durations(s.text()))
                    .collect()
            };
            if ctx.old.is_some()
                && ctx.new.is_some()
                && let Some(m) =
                    durations_longer(&deadlines(&ctx.old_tok), &deadlines(&ctx.new_tok))
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
            // A new refusal of a way to exercise a right ("we do not accept
            // requests by post").
            let refused = refusals(ctx);
            if !refused.is_empty() {
                out.push(finding(
                    "a way of exercising a right refused",
                    refused.into_iter().map(|w| format!("+{w}")).collect(),
                ));
            }
            // The channel for exercising a right (an address, a form) changed.
            // Only in a section about rights: in the contact section the
            // same change is `contact`'s.
            let mut channel = Vec::new();
            if section_about {
                contact(ctx, &mut channel);
            }
            for f in channel {
                out.push(finding("channel for exercising rights changed", f.matched));
            }
        }
        DetectorId::Contact => {
            contact(ctx, &mut out);
            let lost = roles_lost(ctx);
            if !lost.is_empty() {
                out.push(finding(
                    "responsible department, officer or complaint channel removed",
                    lost,
                ));
            }
            // The company named in the contact clause changed.
            let in_contact_clause = section_about
                || ctx
                    .new_tok
                    .sentences()
                    .iter()
                    .any(|s| d.subject.is_match_in(s));
            if in_contact_clause {
                let m = operator_changed(ctx);
                if !m.is_empty() {
                    out.push(finding("company named in the contact clause changed", m));
                }
            }
        }
        DetectorId::Ownership => {
            let m = operator_changed(ctx);
            if !m.is_empty() {
                out.push(finding("new company name for the operator", m));
            }
        }
        DetectorId::Recipients => {
            // Sentences about sharing, and entries of a third-party SDK list.
            let sdk_section = SDK.is_match_in(&ctx.section_tok.all());
            let names: Vec<String> = ctx
                .new_tok
                .sentences()
                .iter()
                .filter(|s| sdk_section || d.subject.is_match_in(s) || SDK.is_match_in(s))
                .flat_map(|s| only_in_entities(s.text(), o))
                .collect();
            if !names.is_empty() {
                out.push(finding("new named recipient", names));
            }
            let sdks = new_sdks(ctx);
            if !sdks.is_empty() {
                out.push(finding("new third-party SDK", sdks));
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
/// A sentence naming the controller or operator.
static OPERATOR: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "operated by|operator|provided by|controller|controllers|业务主体|个人信息处理者|主体变更|responsible for your personal|responsible for the processing|we are|our company is|运营|运营者|控制者|提供方|本公司|我们是|我们（指|我们(指|以下简称“我们”|以下简称\"我们\"",
    )
});
/// Refusing a way of exercising a right.
static REFUSAL: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "do not accept|does not accept|will not accept|cannot accept|can not accept|no longer accept|not able to accept|will not respond|do not respond|不接受|不予受理|无法受理|不再受理|不予响应",
    )
});

/// Ways of sending a request (what a refusal can refuse).
static CHANNELS: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "postal mail|post|mail|letter|telephone|phone|fax|facsimile|email|e mail|online|in person|web form|form|app|邮寄|信函|电话|传真|邮件|在线|当面|表单",
    )
});

/// New refusals: a refusal term new to the clause, or a refusal sentence
/// that now names a way of sending a request the old refusals did not
/// ("We do not accept requests via postal mail").
fn refusals(ctx: &Context<'_>) -> Vec<String> {
    let refusing = |tok: &Tokens<'_>| -> Vec<String> {
        tok.sentences()
            .iter()
            .filter(|s| REFUSAL.is_match_in(s))
            .flat_map(|s| {
                let verb = REFUSAL.matches_in(s).first().map(|v| v.to_string());
                CHANNELS
                    .matches_in(s)
                    .into_iter()
                    .map(move |c| format!("{} … {}", verb.clone().unwrap_or_default(), c))
            })
            .collect()
    };
    let mut out: Vec<String> = only_in(&REFUSAL, &ctx.new_tok.all(), ctx.before_lower())
        .into_iter()
        .map(|w| format!("+{w}"))
        .collect();
    if out.is_empty() {
        let old = refusing(&ctx.old_tok);
        let channel = |x: &str| x.rsplit(" … ").next().unwrap_or_default().to_lowercase();
        let old_channels: BTreeSet<String> = old.iter().map(|x| channel(x)).collect();
        out.extend(
            refusing(&ctx.new_tok)
                .into_iter()
                .filter(|x| !old_channels.contains(&channel(x)))
                .map(|x| format!("+{x}")),
        );
    }
    out.sort();
    out.dedup();
    out
}

/// Third-party SDKs and their lists.
static SDK: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "sdk|sdks|software development kit*|第三方sdk|sdk名称|第三方主体|第三方名称|开发者名称",
    )
});
/// A statement that consent is not needed (an exception to consent), or the
/// introduction of a list of such cases.
static CONSENT_EXCEPTION: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "do not need your consent|does not require your consent|not required to obtain your consent|without requiring your consent|consent is not required|no consent is required|without obtaining your consent|exceptions to consent|without your consent in the following|无需征得|无需取得您|无需您的同意|无需经过您的|不必征得|无须征得|征得授权同意的例外|征得同意的例外",
    )
});
/// Cookies and similar tracking technologies.
static COOKIES: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "cookie*|pixel*|web beacon*|tracking technolog*|similar technolog*|local storage|像素|网络信标|同类技术|类似技术",
    )
});
/// Uses of cookies that track: analytics, advertising, cross-site tracking.
static TRACKING_USES: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "advertis*|analytics|analyse|analyze|tracking|track you|marketing|retarget*|remarketing|interest based|cross site|cross device|measurement|广告|分析|统计|追踪|跟踪|营销|精准推送",
    )
});

/// A new case where consent is not needed: a sentence saying so arrived, or
/// an item was added to the list introduced by such a sentence. Quotes the
/// item's first words.
fn consent_exception(ctx: &Context<'_>) -> Option<Vec<String>> {
    let new = ctx.new?;
    let before = ctx.before_lower();
    let arrived = only_in(&CONSENT_EXCEPTION, &ctx.new_tok.all(), before);
    if !arrived.is_empty() {
        return Some(arrived.into_iter().map(|w| format!("+{w}")).collect());
    }
    if ctx.old.is_some() || new.label.is_none() && new.kind != crate::document::ClauseKind::ListItem
    {
        return None;
    }
    // An added item: its list's introduction is its parent or the nearest
    // clause before it that is not an item.
    let j = ctx.new_index?;
    let clauses = &ctx.new_doc.clauses;
    let intro = new
        .parent
        .map(|p| &clauses[p])
        .filter(|p| p.kind == crate::document::ClauseKind::ListItem)
        .or_else(|| {
            clauses[..j]
                .iter()
                .rev()
                .find(|c| c.label.is_none() && c.kind != crate::document::ClauseKind::ListItem)
        })?;
    CONSENT_EXCEPTION
        .is_match(&intro.text)
        .then(|| vec![format!("+{}", first_words(&new.text))])
}

/// Tracking, analytics or advertising uses newly stated in sentences about cookies.
fn cookie_uses(ctx: &Context<'_>) -> Vec<String> {
    let before = ctx.before_lower();
    let mut out: Vec<String> = ctx
        .new_tok
        .sentences()
        .iter()
        .filter(|s| {
            // A sentence ruling a use out ("we do not use cookies for
            // advertising") states no use, unless it carves out an exception.
            COOKIES.is_match_in(s) && (!NEGATION.is_match_in(s) || EXCEPTION.is_match_in(s))
        })
        .flat_map(|s| only_in(&TRACKING_USES, s, before))
        .map(|w| format!("+{w}"))
        .collect();
    out.sort();
    out.dedup();
    out
}

/// SDKs named in an SDK list entry ("SDK名称：…", "SDK name: …") that the
/// old version does not name.
fn new_sdks(ctx: &Context<'_>) -> Vec<String> {
    let text = ctx.new_text;
    let mut out = Vec::new();
    for marker in ["SDK名称", "SDK 名称", "SDK name", "SDK Name"] {
        for (at, _) in text.match_indices(marker) {
            let rest = text[at + marker.len()..].trim_start_matches([':', '：', ' ', '*']);
            let name: String = rest
                .chars()
                .take_while(|c| !"；;，,。\n|*".contains(*c))
                .take(40)
                .collect();
            let name = name.trim();
            if !name.is_empty() && !ctx.old_mentions(&name.to_lowercase()) {
                out.push(format!("+{name}"));
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

/// A sentence about answering a request (where a duration is a deadline).
static ANSWERING: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "respond*|reply|replies|answer*|request|requests|process your request|complete your request|handle your request|feedback|回复|答复|反馈|响应|处理您的|请求|申请",
    )
});

/// The operator or controller named in a sentence changed: company names in
/// the new clause's operator sentences that the old clause does not name,
/// quoted with the names they replace.
fn operator_changed(ctx: &Context<'_>) -> Vec<String> {
    let named = |tok: &Tokens<'_>| -> Vec<String> {
        tok.sentences()
            .iter()
            .filter(|s| OPERATOR.is_match_in(s))
            .flat_map(|s| entities(s.text()))
            .collect()
    };
    let (o, n) = (ctx.old_lower.as_str(), ctx.new_lower.as_str());
    let added: Vec<String> = named(&ctx.new_tok)
        .into_iter()
        .filter(|e| !o.contains(&e.to_lowercase()))
        .collect();
    if added.is_empty() {
        return added;
    }
    let mut m: Vec<String> = named(&ctx.old_tok)
        .into_iter()
        .filter(|e| !n.contains(&e.to_lowercase()))
        .map(|e| format!("-{e}"))
        .collect();
    m.extend(added.into_iter().map(|e| format!("+{e}")));
    m.dedup();
    m
}

/// Company names ("Acme Analytics Inc.", "示例科技有限公司") new in `text`.
fn only_in_entities(text: &str, other_lower: &str) -> Vec<String> {
    entities(text)
        .into_iter()
        .filter(|e| !other_lower.contains(&e.to_lowercase()))
        .collect()
}

/// Company names: capitalised words before a legal-form suffix (Inc.,
/// Ltd, LLC, Limited, Unlimited Company, GmbH, S.A., B.V. …), or CJK text
/// before 有限公司 (without a leading 由/指/为 …).
fn entities(text: &str) -> Vec<String> {
    const SUFFIXES: [&[&str]; 16] = [
        &["Inc"],
        &["Ltd"],
        &["LLC"],
        &["LLP"],
        &["Corp"],
        &["Corporation"],
        &["GmbH"],
        &["Co"],
        &["Limited"],
        &["PLC"],
        &["AG"],
        &["SE"],
        &["Unlimited", "Company"],
        &["S", "A"],
        &["B", "V"],
        &["N", "V"],
    ];
    let words = super::terms::words(text);
    let word = |i: usize| &text[words[i].0.clone()];
    let mut out = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let Some(suffix) = SUFFIXES.iter().find(|sfx| {
            k + sfx.len() <= words.len() && sfx.iter().enumerate().all(|(d, w)| word(k + d) == *w)
        }) else {
            k += 1;
            continue;
        };
        let last = k + suffix.len() - 1;
        let mut first = k;
        while first > 0 && word(first - 1).starts_with(|c: char| c.is_uppercase()) && k - first < 5
        {
            first -= 1;
        }
        // "Unlimited Company" is itself capitalised: the name needs a word before it.
        if first < k {
            out.push(text[words[first].0.start..words[last].0.end].to_owned());
        }
        k = last + 1;
    }
    for (i, _) in text.match_indices("有限公司") {
        let name: String = text[..i]
            .chars()
            .rev()
            .take_while(|&c| crate::document::is_cjk(c) || "（）()".contains(c))
            .take(24)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        // "我们（指…", "本产品由…": the name starts after the pointer word.
        let name = name
            .rsplit_once("（指")
            .or_else(|| name.rsplit_once("(指"))
            .map_or(name.as_str(), |(_, n)| n);
        let name = name.trim_start_matches([
            '由', '指', '为', '是', '与', '和', '及', '（', '(', '）', ')',
        ]);
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

/// Contact channels: email addresses, phone numbers and postal addresses
/// that appear or disappear, read from the words a reader sees and from
/// `mailto:`/`tel:` links (the address behind the link, not the URL). Web
/// links are never a channel here: a changed target behind the same link
/// text (tracking parameters, hosts, locale paths) changes no practice; a
/// contact or complaint form is a named channel (see the contact detector's
/// subject signals). A detail that only moved between clauses is not a
/// change: added ones are checked against the whole old version, removed
/// ones against the whole new version. An address hidden by email
/// obfuscation ("[email protected]") on the other side is not a change either.
fn contact(ctx: &Context<'_>, out: &mut Vec<Finding>) {
    let details = |c: Option<&Clause>, text: &str, prose: &str| -> BTreeSet<String> {
        // Cheap tests first: most clauses hold no contact detail at all.
        let mut set: BTreeSet<String> = BTreeSet::new();
        if text.contains('@') {
            set.extend(scan::emails(text).into_iter().map(str::to_lowercase));
        }
        for link in c.map_or(&[][..], |c| c.links.as_slice()) {
            let lower = link.to_ascii_lowercase();
            if let Some(address) = lower.strip_prefix("mailto:") {
                let address = address.split('?').next().unwrap_or_default();
                if address.contains('@') {
                    set.insert(address.to_owned());
                }
            } else if let Some(number) = lower.strip_prefix("tel:") {
                set.insert(scan::phone_key(number));
            }
        }
        // A web address written out in a sentence about a form, a request or
        // contacting us is a channel; compared without query, fragment and
        // "www.", so tracking parameters change nothing.
        if text.contains("://") || text.contains("www.") {
            for sentence in scan::link_free(text).split_inclusive(['.', ';', '。', '；', '\n']) {
                if FORM_WORDS.is_match(sentence) {
                    set.extend(scan::urls(sentence).into_iter().map(scan::url_key));
                }
            }
        }
        let digits = prose.bytes().filter(u8::is_ascii_digit).count();
        if digits >= 7 {
            set.extend(scan::phones(prose).into_iter().map(scan::phone_key));
        }
        if digits > 0 {
            set.extend(scan::postal(prose).into_iter().map(|p| p.to_lowercase()));
        }
        set
    };
    let old = details(ctx.old, ctx.old_text, ctx.old_tok.text);
    let new = details(ctx.new, ctx.new_text, ctx.new_tok.text);
    if old == new {
        return;
    }
    // Obfuscation on one side hides that side's addresses (the whole
    // document's, for a clause added or removed: asked once per version).
    let hidden = |clause: Option<&Clause>, text: &DocText| match clause {
        Some(c) => obfuscated(&c.text) || c.links.iter().any(|l| obfuscated(l)),
        None => text.obfuscated,
    };
    let old_hidden = || hidden(ctx.old, ctx.mentions.of_old(ctx.old_doc));
    let new_hidden = || hidden(ctx.new, ctx.mentions.of_new(ctx.new_doc));
    let is_email = |d: &str| d.contains('@');
    let mut changed = BTreeSet::new();
    for d in new.difference(&old) {
        if is_email(d) && old_hidden() {
            continue;
        }
        if ctx.old.is_some() || !ctx.old_mentions(d) {
            changed.insert(format!("+{d}"));
        }
    }
    for d in old.difference(&new) {
        if is_email(d) && new_hidden() {
            continue;
        }
        if ctx.new.is_some() || !ctx.new_mentions(d) {
            changed.insert(format!("-{d}"));
        }
    }
    if !changed.is_empty() {
        out.push(finding(
            "contact details changed",
            changed.into_iter().collect(),
        ));
    }
}

/// Words that make a written-out web address a channel.
static FORM_WORDS: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "form|forms|contact*|complain*|request*|feedback|submit|表单|联系|投诉|举报|反馈|申请|提交",
    )
});

/// Named contact roles (a DPO, a department) that left: from a modified
/// clause, or with a removed clause when the new version names them nowhere.
fn roles_lost(ctx: &Context<'_>) -> Vec<String> {
    let lost: Vec<&str> = match ctx.new {
        Some(_) => CONTACT_ROLE_TERMS.lost(&ctx.old_tok.all(), &ctx.new_tok.all()),
        // A removed clause: the role is lost when the new version names it
        // nowhere, or when the way to reach it that the clause gave (its
        // link or address) is gone from the new version ("Contact our data
        // protection officer" with a form link, removed, while another
        // clause still names the officer).
        None => {
            let channels: Vec<String> = ctx
                .old
                .map(|c| {
                    c.links
                        .iter()
                        .filter(|l| l.contains(':') && !l.starts_with('#'))
                        .map(|l| l.to_lowercase())
                        .collect()
                })
                .unwrap_or_default();
            let channel_gone =
                !channels.is_empty() && channels.iter().all(|l| !ctx.new_mentions(l));
            CONTACT_ROLE_TERMS
                .matches_in(&ctx.old_tok.all())
                .into_iter()
                .filter(|r| channel_gone || !ctx.new_mentions(&r.to_lowercase()))
                .collect()
        }
    };
    let mut out: Vec<String> = lost.into_iter().map(|r| format!("-{r}")).collect();
    out.sort();
    out.dedup();
    out
}

static CONTACT_ROLE_TERMS: LazyLock<Terms> =
    LazyLock::new(|| Terms::new(super::catalogue::CONTACT_ROLES));

/// Email obfuscation placeholders (Cloudflare's "[email protected]" and its link).
fn obfuscated(text: &str) -> bool {
    text.contains("email protected")
        || text.contains("email&#160;protected")
        || text.contains("email-protection")
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
/// Verbs of handling personal information (what a new permission allows).
static HANDLING: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "share|shares|shared|sharing|use your|use it|use this|use the|use personal|use such|used|using|collect*|disclos*|transfer*|process*|combin*|sell|sold|retain*|keep|kept|store|stored|access your|provide your|provide it|provide personal|provide them|obtain*|analys*|analyz*|monitor*|track*|record*|sent to|send your|publish*|共享|使用|收集|披露|转让|处理|提供|获取|保存|存储|出售|分析|公开",
    )
});

/// Words of a commitment that a sentence removed whole takes with it.
static COMMITMENT: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "will not|shall not|won t|will never|never|undertake to|commit to|promise to|guarantee|不会|绝不|承诺|保证",
    )
});
static LIMITER: LazyLock<Terms> = LazyLock::new(|| {
    Terms::new(
        "only|solely|exclusively|limited to|restricted to|if you agree|if you consent|with your consent|with your permission|subject to your consent|仅限于|经您同意|征得您的同意|在您同意|without your consent|without your explicit consent|without your express consent|without your prior consent|explicit consent|express consent|prior consent|separate consent|unless|仅|只会|只有|未经您同意|未经您的同意|未经同意|明确同意|单独同意",
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
        };
        let new = Side {
            lower: &ctx.new_lower,
            tok: &ctx.new_tok,
        };
        return general_in(ctx.kind, &old, &new);
    }
    let (old, new) = (
        without_denials(ctx.old_tok.text),
        without_denials(ctx.new_tok.text),
    );
    let (old_tok, new_tok) = (Tokens::new(&old), Tokens::new(&new));
    let (old_lower, new_lower) = (old.to_lowercase(), new.to_lowercase());
    general_in(
        ctx.kind,
        &Side {
            lower: &old_lower,
            tok: &old_tok,
        },
        &Side {
            lower: &new_lower,
            tok: &new_tok,
        },
    )
}

/// One side of a change as the general signals see it.
struct Side<'a> {
    lower: &'a str,
    tok: &'a Tokens<'a>,
}

/// Words a negation is not about ("will not **be** shared" governs "shared").
const GOVERNED_SKIP: &[&str] = &[
    "be",
    "been",
    "being",
    "to",
    "a",
    "an",
    "the",
    "any",
    "your",
    "you",
    "we",
    "us",
    "it",
    "have",
    "has",
    "ever",
    "always",
    "also",
    "directly",
    "otherwise",
    "do",
    "does",
    "will",
    "may",
    "can",
    "at",
    "all",
];

/// The general signals of one pair of corresponding sentences.
fn aligned_signals(o: &Sentence<'_, '_>, n: &Sentence<'_, '_>, out: &mut Vec<Finding>) {
    let (ot, nt) = (o.text().to_lowercase(), n.text().to_lowercase());
    let lost = only_in(&STRONG, o, &nt);
    let gained = only_in(&WEAK, n, &ot);
    if !lost.is_empty() && !gained.is_empty() {
        let m = lost
            .iter()
            .map(|w| format!("-{w}"))
            .chain(gained.iter().map(|w| format!("+{w}")))
            .collect();
        out.push(finding("commitment weakened", m));
    }
    // A negation counts when it left (or arrived) while the word it governs
    // stayed: "not share" → "share".
    let flipped = |from: &Sentence<'_, '_>, other: &str, sign: char| -> Vec<String> {
        NEGATION
            .find_in(from)
            .into_iter()
            .filter_map(|r| {
                let neg = &from.whole_text()[r.clone()];
                if other.contains(&neg.to_lowercase()) {
                    return None;
                }
                let governed = from.word_after(r.end, GOVERNED_SKIP)?;
                other
                    .contains(governed.as_str())
                    .then(|| format!("{sign}{neg} {governed}"))
            })
            .collect()
    };
    let negations: Vec<String> = flipped(o, &nt, '-')
        .into_iter()
        .chain(flipped(n, &ot, '+'))
        .collect();
    if !negations.is_empty() {
        out.push(finding("negation added or removed", negations));
    }
    // A limiter replaced by another ("only" → "limited to") still limits.
    let limiters = if LIMITER.is_match_in(n) {
        Vec::new()
    } else {
        only_in(&LIMITER, o, &nt)
    };
    if !limiters.is_empty() {
        out.push(finding(
            "limitation removed",
            limiters.into_iter().map(|w| format!("-{w}")).collect(),
        ));
    }
    // A number inside a commitment (not a date, not a reported figure).
    let commitment = |s: &Sentence<'_, '_>| {
        (STRONG.is_match_in(s) || LIMITER.is_match_in(s) || !scan::durations(s.text()).is_empty())
            && !scan::reports_figures(s.text())
    };
    if commitment(o) || commitment(n) {
        let numbers = |t: &str| -> Vec<String> {
            let mut v: Vec<String> = scan::numbers(t)
                .into_iter()
                .filter(|x| !scan::is_year(x))
                .map(str::to_owned)
                .collect();
            v.sort_unstable();
            v
        };
        let (a, b) = (numbers(o.text()), numbers(n.text()));
        let (da, db) = (scan::durations(o.text()), scan::durations(n.text()));
        let max = |v: &[(String, f64)]| v.iter().map(|x| x.1).fold(0.0, f64::max);
        // A deadline that only got shorter favours the user: not a signal.
        let only_shorter = !da.is_empty() && da.len() == db.len() && max(&db) < max(&da);
        let m: Vec<String> = a
            .iter()
            .filter(|x| !b.contains(x))
            .map(|w| format!("-{w}"))
            .chain(b.iter().filter(|x| !a.contains(x)).map(|w| format!("+{w}")))
            .collect();
        if !a.is_empty() && !b.is_empty() && !m.is_empty() && !only_shorter {
            out.push(finding("number in a commitment changed", m));
        }
    }
}

/// Pairs (old, new) of sentences that correspond: the most similar by
/// character pairs (Dice ≥ 0.5), each used once. Sentences found word for
/// word on the other side carry no change and are left out first.
fn align(old: &[Sentence<'_, '_>], new: &[Sentence<'_, '_>]) -> Vec<(usize, usize)> {
    let key = |s: &Sentence<'_, '_>| -> String {
        s.text()
            .chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let (ok, nk): (Vec<String>, Vec<String>) =
        (old.iter().map(key).collect(), new.iter().map(key).collect());
    let unchanged_o: Vec<bool> = ok.iter().map(|k| k.is_empty() || nk.contains(k)).collect();
    let unchanged_n: Vec<bool> = nk.iter().map(|k| k.is_empty() || ok.contains(k)).collect();
    let pairs = |k: &str| -> BTreeSet<(char, char)> {
        let chars: Vec<char> = k.chars().collect();
        chars.windows(2).map(|w| (w[0], w[1])).collect()
    };
    let np: Vec<Option<BTreeSet<(char, char)>>> = nk
        .iter()
        .zip(&unchanged_n)
        .map(|(k, &u)| (!u).then(|| pairs(k)))
        .collect();
    let mut scored = Vec::new();
    for (i, k) in ok.iter().enumerate() {
        if unchanged_o[i] {
            continue;
        }
        let a = pairs(k);
        for (j, b) in np.iter().enumerate() {
            let Some(b) = b else { continue };
            let shared = a.intersection(b).count();
            let dice = 2.0 * shared as f64 / (a.len() + b.len()).max(1) as f64;
            if dice >= 0.5 {
                scored.push((dice, i, j));
            }
        }
    }
    scored.sort_by(|x, y| y.0.total_cmp(&x.0));
    let (mut used_o, mut used_n) = (BTreeSet::new(), BTreeSet::new());
    let mut out = Vec::new();
    for (_, i, j) in scored {
        if !used_o.contains(&i) && !used_n.contains(&j) {
            used_o.insert(i);
            used_n.insert(j);
            out.push((i, j));
        }
    }
    out.sort_unstable();
    out
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
    let mut out = Vec::new();
    match kind {
        ChangeKind::Modified | ChangeKind::Moved => {
            // Judged sentence by sentence, on sentences that correspond: a
            // sentence removed whole (with its "not") is not a negation
            // flipped, and "will not share" → "may share" is.
            let (old_s, new_s) = (old.tok.sentences(), new.tok.sentences());
            let pairs = align(&old_s, &new_s);
            for &(i, j) in &pairs {
                aligned_signals(&old_s[i], &new_s[j], &mut out);
            }
            // A sentence removed whole counts only if it made a commitment
            // ("we will not …", "only with your consent"), not for a stray "not".
            let n_all = new.lower;
            let paired: std::collections::HashSet<usize> = pairs.iter().map(|p| p.0).collect();
            // The commitment words first (cheap, per sentence), then whether
            // the sentence still stands in the new text: a substring search
            // of the whole clause, so done only for the few sentences that
            // carry a commitment, and within a budget; past it (a hostile
            // clause of thousands of sentences) a sentence counts as still
            // there when a sentence of the new text reads the same.
            let mut budget = 50_000_000usize;
            let new_sentences: std::cell::OnceCell<std::collections::HashSet<String>> =
                std::cell::OnceCell::new();
            let removed: Vec<String> = old_s
                .iter()
                .enumerate()
                .filter(|(i, _)| !paired.contains(i))
                .map(|(_, s)| {
                    let words: Vec<String> = [&*COMMITMENT, &*LIMITER]
                        .into_iter()
                        .flat_map(|t| t.matches_in(s).into_iter().map(str::to_owned))
                        .collect();
                    (s, words)
                })
                .filter(|(_, words)| !words.is_empty())
                .filter(|(s, _)| {
                    let lower = s.text().trim().to_lowercase();
                    if budget >= n_all.len() {
                        budget -= n_all.len();
                        !n_all.contains(lower.as_str())
                    } else {
                        let set = new_sentences.get_or_init(|| {
                            new_s
                                .iter()
                                .map(|n| n.text().trim().to_lowercase())
                                .collect()
                        });
                        !set.contains(&lower)
                    }
                })
                .flat_map(|(_, words)| words)
                .collect::<BTreeSet<_>>()
                .into_iter()
                .map(|w| format!("-{w}"))
                .collect();
            if !removed.is_empty() {
                out.push(finding("commitment removed", removed));
            }
        }
        ChangeKind::Removed => {
            // A commitment ("will not", "only", "without your consent"),
            // not a stray "not" or "will".
            let m: Vec<String> = [&*COMMITMENT, &*LIMITER]
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
            // "may" counts when what it allows is done to information
            // ("we may share …"), not "the Services may be provided online".
            let mut m: Vec<String> = Vec::new();
            let text = new.tok.text;
            for r in WEAK.find_in(&new.tok.all()) {
                let mut end = (r.end + 32).min(text.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                let after = &text[r.end..end];
                if let Some(verb) = HANDLING.matches(after).first() {
                    m.push(format!("{} {}", &text[r.clone()], verb));
                }
            }
            m.sort();
            m.dedup();
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
        assert_eq!(entities("由示例科技有限公司运营"), ["示例科技有限公司"]);
        assert_eq!(
            entities("我们（指示例（上海）网络科技有限公司及其关联公司）"),
            ["示例（上海）网络科技有限公司"]
        );
        assert_eq!(
            entities("the data controller is Example International Unlimited Company."),
            ["Example International Unlimited Company"]
        );
        assert_eq!(
            entities("Sample Travel B.V. and Demo S.A."),
            ["Sample Travel B.V", "Demo S.A"]
        );
    }
}
