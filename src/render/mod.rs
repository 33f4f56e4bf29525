//! Renderers. They only read a [`Report`]; they never recompute the diff.

mod html;
mod markdown;
mod text;

use crate::diff::ChangeKind;
use crate::report::Report;

/// Output formats of a redline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RedlineFormat {
    /// Terminal redline.
    Text,
    /// For a pull-request comment; readable where HTML is stripped.
    Markdown,
    /// Standalone legal redline page.
    Html,
    /// The Report (public contract).
    Json,
}

/// Render a report as a redline.
pub fn redline(report: &Report, format: RedlineFormat, color: bool) -> String {
    match format {
        RedlineFormat::Text => text::render(report, color),
        RedlineFormat::Markdown => markdown::render(report),
        RedlineFormat::Html => html::render(report),
        RedlineFormat::Json => json(report),
    }
}

/// The report as pretty JSON with a trailing newline.
pub fn json<T: serde::Serialize>(value: &T) -> String {
    let mut s = serde_json::to_string_pretty(value).expect("report values always serialize");
    s.push('\n');
    s
}

/// Upper-case word for a change kind.
pub fn kind_word(kind: ChangeKind) -> &'static str {
    match kind {
        ChangeKind::Added => "ADDED",
        ChangeKind::Removed => "REMOVED",
        ChangeKind::Modified => "MODIFIED",
        ChangeKind::Moved => "MOVED",
        ChangeKind::Editorial => "EDITORIAL",
    }
}

/// One-line summary of the counts.
pub fn summary_line(report: &Report) -> String {
    let s = &report.stats;
    let total = report.changes.len();
    if total == 0 {
        return format!("No changes ({} clauses identical).", s.unchanged);
    }
    format!(
        "{total} change{}: {} added, {} removed, {} modified, {} moved, {} editorial; {} clauses unchanged; +{} / -{} words",
        if total == 1 { "" } else { "s" },
        s.added,
        s.removed,
        s.modified,
        s.moved,
        s.editorial,
        s.unchanged,
        s.words_added,
        s.words_removed
    )
}

/// Where a change sits, for headers: the section path (each heading shortened,
/// the document title left out), the clause number, and the line(s).
pub(crate) fn location(change: &crate::report::Change) -> String {
    let c = change.clause();
    let mut parts: Vec<String> = c
        .section
        .iter()
        .skip(usize::from(c.section.len() > 1))
        .map(|s| shorten(s, 36))
        .collect();
    if let Some(label) = &c.label {
        parts.push(label.clone());
    }
    let lines = match (&change.old, &change.new) {
        (Some(o), Some(n)) if o.line == n.line => format!("line {}", n.line),
        (Some(o), Some(n)) => format!("line {} → {}", o.line, n.line),
        (Some(o), None) => format!("old line {}", o.line),
        (None, Some(n)) => format!("new line {}", n.line),
        (None, None) => String::new(),
    };
    if parts.is_empty() {
        lines
    } else {
        format!("{} ({lines})", parts.join(" › "))
    }
}

/// At most `max` characters, cut at a word boundary with an ellipsis.
pub fn shorten(text: &str, max: usize) -> String {
    if text.chars().count() <= max {
        return text.to_owned();
    }
    let cut: String = text.chars().take(max).collect();
    let at = cut.rfind(' ').filter(|&i| i > max / 2).unwrap_or(cut.len());
    format!("{}…", cut[..at].trim_end())
}
