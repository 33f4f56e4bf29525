//! Markdown redline for pull-request comments, written for GitHub-flavoured
//! Markdown: deletions and insertions are `<del>`/`<ins>` (GitHub keeps both;
//! `~~`/`**` break next to punctuation), the verdict and triggers stay on
//! top, the change list is folded in `<details>`, and the whole comment stays
//! under a character cap (GitHub rejects comments over 65,536 characters).

use std::fmt::Write;

use super::{
    Entry, View, entries, hidden_note, id_range, kind_word, location, renumbered_line,
    run_location, summary_line, verdict_line,
};
use crate::diff::{ChangeKind, InlineTag};
use crate::report::Report;

/// Escape text so Markdown shows it literally (no links, emphasis, code or
/// HTML). Only characters that can start markup are escaped, so the raw
/// comment stays readable.
pub(crate) fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if matches!(
            c,
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '~' | '&'
        ) {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// [`escape`], plus what only matters at the start of a line: a heading `#`,
/// a list marker (`-`, `+`, `1.`, `1)`), a setext `=`.
fn escape_line(text: &str) -> String {
    let escaped = escape(text);
    let digits = escaped.chars().take_while(char::is_ascii_digit).count();
    let after_digits = escaped[digits..].chars().next();
    if escaped.starts_with(['#', '-', '+', '=']) {
        format!("\\{escaped}")
    } else if digits > 0 && matches!(after_digits, Some('.') | Some(')')) {
        format!("{}\\{}", &escaped[..digits], &escaped[digits..])
    } else {
        escaped
    }
}

/// The hidden first line of every comment, so a workflow finds (and edits)
/// its own comment and no one else's.
pub const MARKER: &str = "<!-- policydiff -->";

/// A run inside `<tag>…</tag>`, the tags inside its outer white space (a
/// struck space is invisible). Inline HTML never ends a Markdown paragraph,
/// so this is safe next to any punctuation.
fn mark(text: &str, tag: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return text.to_owned();
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    format!("{lead}<{tag}>{}</{tag}>{trail}", escape(trimmed))
}

/// Length as GitHub counts it: characters.
fn chars(s: &str) -> usize {
    s.chars().count()
}

/// Render the report as Markdown.
pub fn render(report: &Report) -> String {
    render_view(report, &View::default())
}

/// [`render`] with a [`View`]: the hidden marker, then the redline within
/// the view's cap.
pub fn render_view(report: &Report, view: &View) -> String {
    let budget = view.max_chars.map(|m| m.saturating_sub(chars(MARKER) + 1));
    format!("{MARKER}\n{}", body(report, view, budget))
}

/// The redline of one report in at most `budget` characters (when given):
/// the head (verdict, triggers, counts) always, then as many changes as fit;
/// the rest are counted and summarised.
pub(crate) fn body(report: &Report, view: &View, budget: Option<usize>) -> String {
    let mut out = String::new();
    let title = report
        .new
        .title
        .as_deref()
        .or(report.old.title.as_deref())
        .unwrap_or("Policy");
    let _ = writeln!(out, "## Policy redline: {}\n", escape(title));
    let _ = writeln!(
        out,
        "`{}` → `{}`\n",
        report.old.label().replace('`', "'"),
        report.new.label().replace('`', "'")
    );
    let _ = writeln!(out, "**{}**\n", escape(&verdict_line(report)));
    for t in &report.translations {
        write_translation(&mut out, t);
    }
    if !report.triggers.is_empty() {
        let _ = writeln!(
            out,
            "| trigger | the policy's words | evidence |\n|---|---|---|"
        );
        for t in &report.triggers {
            // A trigger fired by hundreds of clauses must not crowd out
            // the verdict: the first few pieces of evidence, then a count.
            const MAX_EVIDENCE: usize = 10;
            let mut evidence: Vec<String> = t
                .evidence
                .iter()
                .take(MAX_EVIDENCE)
                .map(|e| match &e.change {
                    Some(c) => format!("{}: {}", c, escape(&e.summary)),
                    None => escape(&e.summary),
                })
                .collect();
            if t.evidence.len() > MAX_EVIDENCE {
                evidence.push(format!(
                    "… and {} more (see the redline)",
                    t.evidence.len() - MAX_EVIDENCE
                ));
            }
            let _ = writeln!(
                out,
                "| `{}` | {}{} | {} |",
                t.id,
                t.label
                    .as_deref()
                    .map(|l| format!("{} ", escape(l)))
                    .unwrap_or_default(),
                escape(&t.wording).replace('\n', " "),
                evidence.join("<br>")
            );
        }
        out.push('\n');
    }
    for r in &report.review {
        let _ = writeln!(
            out,
            "- Review {}: it touches \"{}\" ({})",
            r.change,
            escape(&r.wording),
            escape(&r.matched.join(", "))
        );
    }
    for w in &report.warnings {
        let _ = writeln!(out, "> **Warning:** {}\n", escape(w));
    }
    let _ = writeln!(out, "{}\n", escape(&summary_line(report)));
    for note in &report.notes {
        let _ = writeln!(out, "> **Note:** {}\n", escape(note));
    }
    let (list, hidden) = entries(report, view);
    if let Some(note) = hidden_note(hidden) {
        let _ = writeln!(out, "> **Note:** {}\n", escape(&note));
    }
    if list.is_empty() {
        return out;
    }
    let total = list.len();
    let mut blocks: Vec<(String, &str)> = Vec::with_capacity(total);
    for (n, entry) in list.into_iter().enumerate() {
        let mut out = String::new();
        let kind = match &entry {
            Entry::One(c) => kind_word(c.kind),
            Entry::Renumbered(_) => "EDITORIAL",
        };
        let change = match entry {
            Entry::One(change) => change,
            Entry::Renumbered(run) => {
                let _ = writeln!(
                    out,
                    "### {}. EDITORIAL ({})\n\n_{}_\n\n> {}\n",
                    n + 1,
                    id_range(run),
                    escape(&run_location(run)),
                    escape(&renumbered_line(run))
                );
                blocks.push((out, kind));
                continue;
            }
        };
        let c = change.clause();
        let _ = writeln!(
            out,
            "### {}. {}{}\n\n_{}_\n",
            n + 1,
            kind_word(change.kind),
            change
                .regroup_note()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default(),
            escape(&location(change))
        );
        let body = match change.kind {
            ChangeKind::Added => mark(&c.text, "ins"),
            ChangeKind::Removed => mark(&c.text, "del"),
            _ if change.regroup.is_some() && !change.has_word_edits() => {
                escape_line(&change.new_text())
            }
            // Renumbered only: the number line says it all.
            ChangeKind::Editorial if !change.has_word_edits() && change.link_changes.is_empty() => {
                String::new()
            }
            _ if !change.has_word_edits() => escape_line(&c.text),
            _ => change
                .inline
                .iter()
                .enumerate()
                .map(|(k, op)| match op.op {
                    InlineTag::Equal if k == 0 => escape_line(&op.text),
                    InlineTag::Equal => escape(&op.text),
                    InlineTag::Delete => mark(&op.text, "del"),
                    InlineTag::Insert => mark(&op.text, "ins"),
                })
                .collect(),
        };
        if let (Some(o), Some(nw)) = (&change.old, &change.new) {
            if change.kind == ChangeKind::Moved {
                let _ = writeln!(
                    out,
                    "> Moved from {} (old line {})  ",
                    escape(&o.section.join(" › ")),
                    o.line
                );
            }
            if o.label != nw.label {
                let _ = writeln!(
                    out,
                    "> Number {} → {}  ",
                    escape(o.label.as_deref().unwrap_or("(none)")),
                    escape(nw.label.as_deref().unwrap_or("(none)"))
                );
            }
        }
        for link in &change.link_changes {
            let _ = writeln!(
                out,
                "> Link {} → {}  ",
                link.old
                    .as_deref()
                    .map_or_else(|| "(none)".to_owned(), |l| mark(l, "del")),
                link.new
                    .as_deref()
                    .map_or_else(|| "(none)".to_owned(), |l| mark(l, "ins"))
            );
        }
        if body.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "> {body}\n");
        }
        blocks.push((out, kind));
    }
    let open = format!(
        "<details>\n<summary>The redline: {total} entr{}</summary>\n\nLegend: <del>deleted</del> <ins>inserted</ins>\n\n",
        if total == 1 { "y" } else { "ies" }
    );
    let close = "</details>\n";
    // Room for the summary of what did not fit.
    const TAIL: usize = 400;
    let room = budget.map(|b| b.saturating_sub(chars(&out) + chars(&open) + chars(close) + TAIL));
    out.push_str(&open);
    let mut used = 0;
    let mut shown = 0;
    for (block, _) in &blocks {
        let len = chars(block);
        if room.is_some_and(|r| used + len > r) {
            break;
        }
        out.push_str(block);
        used += len;
        shown += 1;
    }
    if shown < blocks.len() {
        let mut counts: Vec<(&str, usize)> = Vec::new();
        for (_, kind) in &blocks[shown..] {
            match counts.iter_mut().find(|(k, _)| k == kind) {
                Some((_, n)) => *n += 1,
                None => counts.push((kind, 1)),
            }
        }
        let counted: Vec<String> = counts
            .iter()
            .map(|(k, n)| format!("{n} {}", k.to_lowercase()))
            .collect();
        let left = blocks.len() - shown;
        let _ = writeln!(
            out,
            "**{left} more entr{} not shown** ({}): this comment is capped at {} characters. {}\n",
            if left == 1 { "y" } else { "ies" },
            counted.join(", "),
            view.max_chars.unwrap_or_default(),
            match &view.redline_url {
                Some(url) => format!("The full redline: [HTML redline]({}).", url.replace(['(', ')', ' '], "")),
                None => "The full redline is the HTML redline (`--format html`), uploaded as a workflow artifact.".to_owned(),
            }
        );
    }
    out.push_str(close);
    out
}

/// The translation check: headline, then findings and structure
/// differences in a list (the first few of each, then a count).
fn write_translation(out: &mut String, t: &crate::align::TranslationCheck) {
    const MAX: usize = 20;
    let mark = if t.fails() { "❌ " } else { "" };
    let _ = writeln!(out, "{mark}**{}**\n", escape(&t.headline()));
    for note in &t.notes {
        let _ = writeln!(out, "- note: {}", escape(note));
    }
    for f in t.findings.iter().take(MAX) {
        let _ = writeln!(out, "- `{}` {}", f.kind.as_str(), escape(&f.message));
    }
    if t.findings.len() > MAX {
        let _ = writeln!(out, "- … and {} more findings", t.findings.len() - MAX);
    }
    let structure = &t.new_alignment.structure;
    if !structure.is_empty() {
        let _ = writeln!(out, "\n<details><summary>Structure differences</summary>\n");
        for d in structure.iter().take(MAX) {
            let _ = writeln!(
                out,
                "- {}",
                escape(&d.describe(&t.original_locale, &t.locale))
            );
        }
        out.push_str("\n</details>\n");
    }
    out.push('\n');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup() {
        assert_eq!(
            escape("<script>*x*</script>"),
            "\\<script\\>\\*x\\*\\</script\\>"
        );
        assert_eq!(mark(" new words ", "ins"), " <ins>new words</ins> ");
    }
}
