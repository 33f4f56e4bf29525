//! Standalone HTML legal redline: no external assets, summary on top,
//! navigation by clause, deletions struck through in red, insertions
//! underlined, moves marked at both ends, a print stylesheet. All policy text
//! is escaped, so markup in a policy never runs.

use std::fmt::Write;

use html_escape::{encode_double_quoted_attribute as attr, encode_text as esc};

use super::{
    Entry, View, entries, hidden_note, id_range, kind_word, renumbered_line, run_location, shorten,
    summary_line, verdict_line,
};
use crate::diff::{ChangeKind, InlineTag};
use crate::document::ClauseKind;
use crate::report::{Change, ClauseRef, DocEntry, Report};

const STYLE: &str = r#"
:root { --del: #b3261e; --ins: #0b6b2f; --move: #6a3fb5; --muted: #5f6368; }
* { box-sizing: border-box; }
body { font: 16px/1.55 system-ui, -apple-system, "Segoe UI", "Noto Sans", "PingFang SC", "Microsoft YaHei", sans-serif; margin: 0; color: #1f1f1f; background: #fff; }
header, main, nav { max-width: 56rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.5rem; margin: 0 0 .25rem; }
.versions { color: var(--muted); margin: 0 0 .75rem; }
.summary { display: flex; flex-wrap: wrap; gap: .5rem; padding: 0; list-style: none; }
.summary li { border: 1px solid #ddd; border-radius: .4rem; padding: .2rem .6rem; }
.note { background: #fff8e1; border-left: 4px solid #f0b400; padding: .5rem .75rem; }
nav ol { columns: 2 18rem; padding-left: 1.25rem; font-size: .9rem; }
nav a { color: inherit; }
.change { border: 1px solid #ddd; border-left: 6px solid #999; border-radius: .4rem; margin: 1rem 0; padding: .6rem .9rem; }
.change.added { border-left-color: var(--ins); }
.change.removed { border-left-color: var(--del); }
.change.modified { border-left-color: #c77700; }
.change.moved, .moved-from { border-left-color: var(--move); }
.change.editorial { border-left-color: #bbb; }
.change h2 { font-size: 1rem; margin: 0 0 .3rem; }
.kind { font-size: .75rem; font-weight: 700; letter-spacing: .04em; padding: .05rem .4rem; border-radius: .3rem; background: #eee; margin-right: .4rem; }
.where { color: var(--muted); font-size: .85rem; margin: 0 0 .4rem; }
/* The whole section path where there is room; cut with an ellipsis (whole in
   the title, on hover) where there is not; always whole in print. */
.change h2 { display: flex; align-items: baseline; min-width: 0; }
.change h2 .kind { flex: none; }
.change h2 .where { margin: 0; font-weight: 400; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; min-width: 0; }
.text { margin: 0; white-space: pre-wrap; overflow-wrap: anywhere; }
del { color: var(--del); text-decoration: line-through; text-decoration-thickness: 2px; background: #fde7e6; }
ins { color: var(--ins); text-decoration: underline; text-decoration-thickness: 2px; background: #e3f5e8; }
.marker { color: var(--move); font-size: .85rem; margin: 0 0 .3rem; }
.moved-from { border: 1px dashed var(--move); border-radius: .4rem; padding: .4rem .9rem; margin: 1rem 0; color: var(--move); font-size: .9rem; }
.site-nav { font-size: .9rem; margin: 0 0 .5rem; }
.verdict { border-radius: .5rem; padding: .6rem .9rem; margin: .75rem 0; border: 1px solid #ddd; }
.verdict.major { background: #fdecea; border-color: var(--del); }
.verdict.minor { background: #fff8e1; border-color: #f0b400; }
.verdict.none { background: #eef7ee; border-color: var(--ins); }
.verdict-line { margin: 0; font-weight: 600; }
.badge { display: inline-block; font-size: .75rem; letter-spacing: .05em; padding: .1rem .45rem; border-radius: .3rem; background: #1f1f1f; color: #fff; }
.verdict.major .badge { background: var(--del); }
.triggers { margin: .4rem 0 0; padding-left: 1.1rem; }
.triggers q { color: #3c4043; }
footer { max-width: 56rem; margin: 2rem auto; padding: 0 1rem; color: var(--muted); font-size: .8rem; }
.legend del, .legend ins { padding: 0 .2rem; }
del + ins { margin-left: .15em; }
/* Two views of one page, switched without script: the changes as cards, or
   the whole new document with the changes in place. */
.views { max-width: 56rem; margin: .5rem auto 0; padding: 0 1rem; display: flex; gap: .25rem; }
.views input { position: absolute; opacity: 0; }
.views label { border: 1px solid #bbb; border-radius: .4rem; padding: .2rem .7rem; cursor: pointer; font-size: .9rem; }
.views input:checked + label { background: #1f1f1f; color: #fff; border-color: #1f1f1f; }
.views input:focus-visible + label { outline: 2px solid #1a73e8; outline-offset: 2px; }
body:has(#view-whole:checked) #changes-only, body:has(#view-whole:checked) nav.by-clause { display: none; }
body:has(#view-changes:checked) #whole-document { display: none; }
.whole .doc { margin: .35rem 0; white-space: pre-wrap; overflow-wrap: anywhere; }
.whole h2.doc, .whole h3.doc, .whole h4.doc, .whole h5.doc, .whole h6.doc { margin: 1.1rem 0 .35rem; }
.whole .meta { color: var(--muted); font-size: .9rem; }
.whole .chg { border-left: 4px solid #999; padding-left: .6rem; margin-left: -.85rem; }
.whole .chg.added { border-left-color: var(--ins); }
.whole .chg.removed { border-left-color: var(--del); }
.whole .chg.modified { border-left-color: #c77700; }
.whole .chg.moved { border-left-color: var(--move); }
.whole .chg.editorial { border-left-color: #bbb; }
.whole .tag { font: 700 .65rem/1 system-ui, sans-serif; letter-spacing: .04em; color: var(--muted); vertical-align: super; margin-left: .3rem; }
.whole pre.doc { font-size: .85rem; }
@media print {
  nav, .site-nav, .views { display: none; }
  body { font-size: 10.5pt; }
  header { padding-top: 0; }
  /* A card may break across pages (a long clause must not push the first
     card to page 2); its heading stays with its text. */
  .change h2, .marker { break-after: avoid; }
  .text { orphans: 3; widows: 3; }
  .moved-from { break-inside: avoid; }
  .change h2 { display: block; }
  .change h2 .where { white-space: normal; overflow: visible; }
  del, ins { background: none; }
  a { color: inherit; text-decoration: none; }
}
"#;

/// Render the report as a standalone HTML page.
pub fn render(report: &Report) -> String {
    render_page(report, &[], None)
}

/// [`render`] with a [`View`].
pub fn render_view(report: &Report, view: &View) -> String {
    render_full(report, &[], None, view)
}

/// [`render`] with navigation links on top (`(label, href)`, e.g. back to an
/// archive's index) and an explicit `lang` attribute.
pub fn render_page(report: &Report, nav: &[(&str, &str)], lang: Option<&str>) -> String {
    render_full(report, nav, lang, &View::default())
}

fn render_full(report: &Report, nav: &[(&str, &str)], lang: Option<&str>, view: &View) -> String {
    let title = report
        .new
        .title
        .as_deref()
        .or(report.old.title.as_deref())
        .unwrap_or("Policy");
    let mut out = String::with_capacity(64 * 1024);
    let _ = write!(
        out,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>Redline: {}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n<header>\n{}<h1>Redline: {}</h1>\n<p class=\"versions\">{} → {}</p>\n",
        attr(lang.unwrap_or_else(|| lang_of(report))),
        esc(title),
        page_style(title, report),
        nav_html(nav),
        esc(title),
        esc(&report.old.label()),
        esc(&report.new.label())
    );
    let s = &report.stats;
    let _ = write!(
        out,
        "<ul class=\"summary\" id=\"summary\"><li><strong>{}</strong> changes</li><li>{} added</li><li>{} removed</li><li>{} modified</li><li>{} moved</li><li>{} editorial</li><li>{} unchanged</li><li>+{} / −{} words</li></ul>\n<p class=\"summary-line\" hidden>{}</p>\n",
        report.changes.len(),
        s.added,
        s.removed,
        s.modified,
        s.moved,
        s.editorial,
        s.unchanged,
        s.words_added,
        s.words_removed,
        esc(&summary_line(report))
    );
    let class = report.classification.map_or("unclassified", |c| c.as_str());
    let _ = write!(
        out,
        "<section class=\"verdict {class}\" id=\"verdict\" data-classification=\"{class}\">\n<p class=\"verdict-line\"><span class=\"badge\">{}</span> {}</p>\n",
        class.to_uppercase(),
        esc(&verdict_detail(report))
    );
    if !report.triggers.is_empty() {
        out.push_str("<ul class=\"triggers\">\n");
        for t in &report.triggers {
            let _ = write!(
                out,
                "<li data-trigger=\"{}\"><strong>{}</strong> <q>{}{}</q><ul>",
                attr(&t.id),
                esc(&t.id),
                esc(t
                    .label
                    .as_deref()
                    .map(|l| format!("{l} "))
                    .as_deref()
                    .unwrap_or("")),
                esc(&t.wording)
            );
            for e in &t.evidence {
                match &e.change {
                    Some(c) => {
                        let _ = write!(
                            out,
                            "<li><a href=\"#{}\">{}</a>: {}</li>",
                            attr(c),
                            esc(c),
                            esc(&e.summary)
                        );
                    }
                    None => {
                        let _ = write!(out, "<li>{}</li>", esc(&e.summary));
                    }
                }
            }
            out.push_str("</ul></li>\n");
        }
        out.push_str("</ul>\n");
    }
    for r in &report.review {
        let _ = writeln!(
            out,
            "<p class=\"review\">Review <a href=\"#{}\">{}</a>: it touches <q>{}</q></p>",
            attr(&r.change),
            esc(&r.change),
            esc(&r.wording)
        );
    }
    for w in &report.warnings {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(w));
    }
    out.push_str("</section>\n");
    for note in &report.notes {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(note));
    }
    for t in &report.translations {
        write_translation(&mut out, t);
    }
    let (list, hidden) = entries(report, view);
    if let Some(note) = hidden_note(hidden) {
        let _ = writeln!(out, "<p class=\"note\" id=\"hidden\">{}</p>", esc(&note));
    }
    out.push_str(
        "<p class=\"legend\">Legend: <del>deleted</del> <ins>inserted</ins></p>\n</header>\n",
    );

    let whole = has_whole_document(report);
    if whole {
        out.push_str("<div class=\"views\" role=\"radiogroup\" aria-label=\"View\"><input type=\"radio\" name=\"view\" id=\"view-changes\" checked><label for=\"view-changes\">Changes only</label><input type=\"radio\" name=\"view\" id=\"view-whole\"><label for=\"view-whole\">Whole document</label></div>\n");
    }
    if !list.is_empty() {
        out.push_str(
            "<nav class=\"by-clause\" aria-label=\"Changes\"><h2>Changes by clause</h2><ol>\n",
        );
        for entry in &list {
            match entry {
                Entry::One(change) => {
                    let _ = writeln!(
                        out,
                        "<li><a href=\"#{}\" title=\"{}\">{} {}</a></li>",
                        attr(&change.id),
                        attr(&change.title()),
                        kind_word(change.kind),
                        esc(&shorten(&change.title(), 80))
                    );
                }
                Entry::Renumbered(run) => {
                    let _ = writeln!(
                        out,
                        "<li><a href=\"#{}\">EDITORIAL {}</a></li>",
                        attr(&run[0].id),
                        esc(&renumbered_line(run))
                    );
                }
            }
        }
        out.push_str("</ol></nav>\n");
    }

    out.push_str("<main id=\"changes-only\">\n");
    // The old end of each move is marked where the clause used to stand: before
    // the first change whose old clause comes after it.
    let mut moved_from: Vec<(usize, &Change)> = report
        .changes
        .iter()
        .filter(|c| c.kind == ChangeKind::Moved)
        .map(|c| {
            let old_line = c.old.as_ref().map_or(0, |o| o.line);
            let pos = report
                .changes
                .iter()
                .position(|d| {
                    d.kind != ChangeKind::Moved && d.old.as_ref().is_some_and(|o| o.line > old_line)
                })
                .unwrap_or(report.changes.len());
            (pos, c)
        })
        .collect();
    moved_from.sort_by_key(|&(pos, _)| pos);
    let mut stubs = moved_from.into_iter().peekable();
    // Entries keep the order of the changes; `n` is the index of the first
    // change of each, which is where the moved-from stubs were placed.
    let mut n = 0;
    for entry in &list {
        let (first, len) = match entry {
            Entry::One(change) => (change.id.as_str(), 1),
            Entry::Renumbered(run) => (run[0].id.as_str(), run.len()),
        };
        let at = report.changes[n..]
            .iter()
            .position(|c| c.id == first)
            .map_or(n, |k| n + k);
        while let Some((_, c)) = stubs.next_if(|&(pos, _)| pos <= at) {
            write_moved_stub(&mut out, c);
        }
        match entry {
            Entry::One(change) => write_change(&mut out, change),
            Entry::Renumbered(run) => {
                // Every id of the run stays an anchor, so links to any of
                // them (from the JSON or a trigger) still land here.
                let anchors: String = run[1..]
                    .iter()
                    .map(|c| format!("<a id=\"{}\"></a>", attr(&c.id)))
                    .collect();
                let _ = writeln!(
                    out,
                    "<section class=\"change editorial renumbered\" id=\"{}\" data-kind=\"editorial\" data-changes=\"{}\">{anchors}\n<h2><span class=\"kind\">EDITORIAL</span><span class=\"where\" title=\"{2} · {3}\">{2} · {3}</span></h2>\n<p class=\"text\">{4}</p>\n</section>",
                    attr(&run[0].id),
                    run.len(),
                    esc(&id_range(run)),
                    esc(&run_location(run)),
                    esc(&renumbered_line(run))
                );
            }
        }
        n = at + len;
    }
    for (_, c) in stubs {
        write_moved_stub(&mut out, c);
    }
    if list.is_empty() {
        out.push_str("<p>No changes.</p>\n");
    }
    out.push_str("</main>\n");
    if whole {
        write_whole_document(&mut out, report);
    }
    let _ = write!(
        out,
        "<footer>Generated by {}. Report schema {}.</footer>\n</body>\n</html>\n",
        esc(&report.generator),
        report.schema_version
    );
    out
}

/// A row of navigation links.
pub(crate) fn nav_html(nav: &[(&str, &str)]) -> String {
    if nav.is_empty() {
        return String::new();
    }
    let links: Vec<String> = nav
        .iter()
        .map(|(label, href)| format!("<a href=\"{}\">{}</a>", attr(href), esc(label)))
        .collect();
    format!("<p class=\"site-nav\">{}</p>\n", links.join(" · "))
}

fn write_moved_stub(out: &mut String, change: &Change) {
    let _ = writeln!(
        out,
        "<p class=\"moved-from\" id=\"{}-from\">↧ Clause moved away from here: <a href=\"#{}\">{}</a></p>",
        attr(&change.id),
        attr(&change.id),
        esc(&shorten(&change.title(), 100))
    );
}

fn write_change(out: &mut String, change: &Change) {
    let kind = match change.kind {
        ChangeKind::Added => "added",
        ChangeKind::Removed => "removed",
        ChangeKind::Modified => "modified",
        ChangeKind::Moved => "moved",
        ChangeKind::Editorial => "editorial",
    };
    let _ = write!(
        out,
        "<section class=\"change {kind}\" id=\"{}\" data-kind=\"{kind}\">\n<h2><span class=\"kind\">{}</span><span class=\"where\" title=\"{}\">{}</span></h2>\n",
        attr(&change.id),
        kind_word(change.kind),
        attr(&full_location(change)),
        esc(&full_location(change))
    );
    if let Some(note) = change.regroup_note() {
        let _ = writeln!(
            out,
            "<p class=\"marker\">The same words, {}</p>",
            esc(&note)
        );
    }
    if let (Some(o), Some(n)) = (&change.old, &change.new) {
        if change.kind == ChangeKind::Moved {
            let _ = writeln!(
                out,
                "<p class=\"marker\">↥ Moved here from {} (old line {}) — <a href=\"#{}-from\">see where it was</a></p>",
                esc(&o.section.join(" › ")),
                o.line,
                attr(&change.id)
            );
        }
        if o.label != n.label {
            let _ = writeln!(
                out,
                "<p class=\"marker\">Number <del>{}</del> <ins>{}</ins></p>",
                esc(o.label.as_deref().unwrap_or("(none)")),
                esc(n.label.as_deref().unwrap_or("(none)"))
            );
        }
    }
    for link in &change.link_changes {
        // The targets as text, never as live links: a redline shows where a
        // link goes, it does not send the reviewer there.
        let side = |l: Option<&str>, tag: &str| match l {
            Some(l) => format!("<{tag}><code>{}</code></{tag}>", esc(l)),
            None => "(none)".to_owned(),
        };
        let _ = writeln!(
            out,
            "<p class=\"marker link\">Link {} → {}</p>",
            side(link.old.as_deref(), "del"),
            side(link.new.as_deref(), "ins")
        );
    }
    out.push_str("<p class=\"text\">");
    write_marked_text(out, change);
    out.push_str("</p>\n</section>\n");
}

/// The clause text of a change with its deletions and insertions marked.
fn write_marked_text(out: &mut String, change: &Change) {
    let c = change.clause();
    match change.kind {
        ChangeKind::Added => {
            let _ = write!(out, "<ins>{}</ins>", esc(&c.text));
        }
        ChangeKind::Removed => {
            let _ = write!(out, "<del>{}</del>", esc(&c.text));
        }
        _ if change.regroup.is_some() && !change.has_word_edits() => {
            out.push_str(&esc(&change.new_text()));
        }
        _ if !change.has_word_edits() => out.push_str(&esc(&c.text)),
        _ => {
            for op in &change.inline {
                let _ = match op.op {
                    InlineTag::Equal => write!(out, "{}", esc(&op.text)),
                    InlineTag::Delete => write!(out, "<del>{}</del>", esc(&op.text)),
                    InlineTag::Insert => write!(out, "<ins>{}</ins>", esc(&op.text)),
                };
            }
        }
    }
}

/// True when the report carries the whole document: its unchanged clauses
/// were kept (or there are none).
fn has_whole_document(report: &Report) -> bool {
    report.stats.unchanged == 0 || !report.unchanged.is_empty()
}

/// The whole new document, each clause as the block it was written as,
/// with the changes marked in place and removed clauses where they stood.
fn write_whole_document(out: &mut String, report: &Report) {
    out.push_str("<main id=\"whole-document\" class=\"whole\">\n");
    for entry in report.document_order() {
        match entry {
            DocEntry::Unchanged(c) => {
                let (open, close) = block_tags(c, "doc");
                let _ = write!(out, "{open}");
                let label = shown_label(c);
                write_label(out, label.as_deref(), label.as_deref());
                let _ = writeln!(out, "{}{close}", esc(&c.text));
            }
            DocEntry::Change(change) => {
                let kind = kind_word(change.kind).to_ascii_lowercase();
                let (open, close) = block_tags(change.clause(), &format!("doc chg {kind}"));
                let _ = write!(out, "{open}");
                let old_label = change.old.as_ref().and_then(shown_label);
                let new_label = change.new.as_ref().and_then(shown_label);
                match change.kind {
                    ChangeKind::Added => write_label(out, None, new_label.as_deref()),
                    ChangeKind::Removed => write_label(out, old_label.as_deref(), None),
                    _ => write_label(out, old_label.as_deref(), new_label.as_deref()),
                }
                write_marked_text(out, change);
                let _ = writeln!(
                    out,
                    "<span class=\"tag\" title=\"{}\">{} {}</span>{close}",
                    attr(&full_location(change)),
                    esc(&change.id),
                    kind_word(change.kind)
                );
            }
        }
    }
    out.push_str("</main>\n");
}

/// The label as the reader sees it: a front-matter field's key with a colon.
fn shown_label(c: &ClauseRef) -> Option<String> {
    let label = c.label.as_deref()?;
    Some(match c.kind {
        ClauseKind::Meta => format!("{label}:"),
        _ => label.to_owned(),
    })
}

/// A clause's number label: as is when it did not change, else struck and
/// inserted.
fn write_label(out: &mut String, old: Option<&str>, new: Option<&str>) {
    match (old, new) {
        (Some(o), Some(n)) if o == n => {
            let _ = write!(out, "{} ", esc(n));
        }
        (o, n) => {
            if let Some(o) = o {
                let _ = write!(out, "<del>{}</del> ", esc(o));
            }
            if let Some(n) = n {
                let _ = write!(out, "<ins>{}</ins> ", esc(n));
            }
        }
    }
}

/// Opening and closing tags for a clause in the whole-document view: a
/// heading one level below the page's own title, an indented list item, a
/// front-matter field, verbatim text, or a paragraph.
fn block_tags(c: &ClauseRef, class: &str) -> (String, String) {
    match c.kind {
        ClauseKind::Heading => {
            let h = (c.level.max(1) + 1).min(6);
            (format!("<h{h} class=\"{class}\">"), format!("</h{h}>"))
        }
        ClauseKind::ListItem => (
            format!(
                "<p class=\"{class} li\" style=\"margin-left: {}rem\">",
                1.5 * f32::from(c.level.max(1))
            ),
            "</p>".into(),
        ),
        ClauseKind::Meta => (format!("<p class=\"{class} meta\">"), "</p>".into()),
        ClauseKind::Verbatim => (format!("<pre class=\"{class}\">"), "</pre>".into()),
        ClauseKind::Paragraph => (format!("<p class=\"{class}\">"), "</p>".into()),
    }
}

/// Where a change sits, whole: the section path (the document title left
/// out) with no heading shortened, the clause number, the line(s).
fn full_location(change: &Change) -> String {
    super::location_within(change, None)
}

/// The verdict sentence without the class word the badge beside it
/// already shows ("MAJOR change: 4 triggers fired…" → "4 triggers fired…").
fn verdict_detail(report: &Report) -> String {
    let line = verdict_line(report);
    match line.split_once(" change: ") {
        Some((head, rest)) if !head.contains(' ') => rest.to_owned(),
        _ => line,
    }
}

/// A CSS string literal: quotes, backslashes and line breaks escaped, and
/// `<` too, so policy text can never close the `<style>` element.
fn css_string(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' | '\\' | '<' | '>' | '\n' | '\r' | '\u{c}' => {
                out.push_str(&format!("\\{:x} ", u32::from(c)));
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The print page: A4 margins with the policy and both versions on top of
/// every page and the page number at the foot.
fn page_style(title: &str, report: &Report) -> String {
    format!(
        "\n@page {{ size: A4; margin: 16mm 14mm 18mm;\n  @top-left {{ content: {}; font: 8pt system-ui, sans-serif; color: #5f6368; }}\n  @top-right {{ content: {}; font: 8pt system-ui, sans-serif; color: #5f6368; }}\n  @bottom-left {{ content: \"policydiff redline\"; font: 8pt system-ui, sans-serif; color: #5f6368; }}\n  @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); font: 8pt system-ui, sans-serif; }}\n}}\n",
        css_string(&format!("Redline: {title}")),
        css_string(&format!("{} → {}", report.old.label(), report.new.label())),
    )
}

/// `zh` when the new text is mostly CJK, else `en`: the page's lang attribute.
fn lang_of(report: &Report) -> &'static str {
    let sample: String = report
        .changes
        .iter()
        .take(20)
        .map(|c| c.clause().text.as_str())
        .chain(report.new.title.as_deref())
        .collect();
    let cjk = sample
        .chars()
        .filter(|&c| crate::document::is_cjk(c))
        .count();
    let letters = sample.chars().filter(|c| c.is_alphabetic()).count().max(1);
    if cjk * 2 > letters { "zh" } else { "en" }
}

/// The translation check: headline, findings, structure differences.
fn write_translation(out: &mut String, t: &crate::align::TranslationCheck) {
    let state = if t.fails() { "lagging" } else { "agrees" };
    let _ = write!(
        out,
        "<section class=\"translation {state}\" id=\"translation-{}\" lang=\"en\" data-locale=\"{}\">\n<p><strong>{}</strong></p>\n",
        attr(&t.locale),
        attr(&t.locale),
        esc(&t.headline())
    );
    for note in &t.notes {
        let _ = writeln!(out, "<p class=\"note\">{}</p>", esc(note));
    }
    if !t.findings.is_empty() {
        out.push_str("<ul class=\"findings\">\n");
        for f in &t.findings {
            let _ = writeln!(
                out,
                "<li data-kind=\"{}\"><code>{}</code> {}</li>",
                attr(f.kind.as_str()),
                esc(f.kind.as_str()),
                esc(&f.message)
            );
        }
        out.push_str("</ul>\n");
    }
    if !t.new_alignment.structure.is_empty() {
        out.push_str("<details><summary>Structure differences</summary><ul>\n");
        for d in &t.new_alignment.structure {
            let _ = writeln!(
                out,
                "<li>{}</li>",
                esc(&d.describe(&t.original_locale, &t.locale))
            );
        }
        out.push_str("</ul></details>\n");
    }
    out.push_str("</section>\n");
}
