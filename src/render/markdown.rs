//! Markdown redline for pull-request comments. Deletions are `~~struck~~`,
//! insertions **bold**, so the meaning survives where HTML is stripped.

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

/// Markers around a run, placed inside its outer white space so `**x **` never happens.
fn mark(text: &str, marker: &str) -> String {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return text.to_owned();
    }
    let lead = &text[..text.len() - text.trim_start().len()];
    let trail = &text[text.trim_end().len()..];
    format!("{lead}{marker}{}{marker}{trail}", escape(trimmed))
}

/// Render the report as Markdown.
pub fn render(report: &Report) -> String {
    render_view(report, &View::default())
}

/// [`render`] with a [`View`].
pub fn render_view(report: &Report, view: &View) -> String {
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
    if !report.triggers.is_empty() {
        let _ = writeln!(
            out,
            "| trigger | the policy's words | evidence |\n|---|---|---|"
        );
        for t in &report.triggers {
            let evidence: Vec<String> = t
                .evidence
                .iter()
                .map(|e| match &e.change {
                    Some(c) => format!("{}: {}", c, escape(&e.summary)),
                    None => escape(&e.summary),
                })
                .collect();
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
    let _ = writeln!(out, "Legend: ~~deleted~~ **inserted**\n");
    for (n, entry) in list.into_iter().enumerate() {
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
            ChangeKind::Added => mark(&c.text, "**"),
            ChangeKind::Removed => mark(&c.text, "~~"),
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
                    InlineTag::Delete => mark(&op.text, "~~"),
                    InlineTag::Insert => mark(&op.text, "**"),
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
                    .map_or_else(|| "(none)".to_owned(), |l| mark(l, "~~")),
                link.new
                    .as_deref()
                    .map_or_else(|| "(none)".to_owned(), |l| mark(l, "**"))
            );
        }
        if body.is_empty() {
            out.push('\n');
        } else {
            let _ = writeln!(out, "> {body}\n");
        }
    }
    out
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
        assert_eq!(mark(" new words ", "**"), " **new words** ");
    }
}
