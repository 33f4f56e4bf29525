//! Renderers. They only read a [`Report`]; they never recompute the diff.

mod excerpt;
pub mod html;
mod markdown;
pub mod notice;
pub mod site;
pub mod templates;
mod text;

use std::fmt::Write;

use crate::classify::Classification;
use crate::diff::ChangeKind;
use crate::report::{Report, TriggerListInfo};

/// Output formats of a redline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
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

/// Headline of a classification, in words a reviewer acts on.
pub fn verdict_line(report: &Report) -> String {
    match report.classification {
        None => "Not classified (--no-classify): redline only.".into(),
        Some(Classification::Major) => format!(
            "MAJOR change: {} trigger{} fired. The policy promises a more prominent notice of major changes.",
            report.triggers.len(),
            if report.triggers.len() == 1 { "" } else { "s" }
        ),
        Some(Classification::Minor) => {
            "Minor change: substantive edits, no major-change trigger fired.".into()
        }
        Some(Classification::None) => {
            "No change in substance: identical or editorial differences only.".into()
        }
    }
}

/// The triggers in force, for `policydiff triggers`.
pub fn trigger_list(info: &TriggerListInfo, warnings: &[String], spec: &str) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Major-change triggers of {spec}");
    match (&info.intro, info.line) {
        (Some(intro), Some(line)) => {
            let _ = writeln!(
                out,
                "read from the policy, line {line}: \"{}\"",
                shorten(intro, 120)
            );
        }
        _ => {
            let _ = writeln!(out, "the policy lists none: using the built-in catalogue");
        }
    }
    for w in warnings {
        let _ = writeln!(out, "warning: {w}");
    }
    for t in &info.items {
        let _ = writeln!(
            out,
            "\n{:<11} {}{}",
            t.id,
            t.label
                .as_deref()
                .map(|l| format!("{l} "))
                .unwrap_or_default(),
            t.wording
        );
        let source = match t.source {
            crate::classify::TriggerSource::Policy => "policy",
            crate::classify::TriggerSource::Catalogue => "catalogue",
            crate::classify::TriggerSource::Config => "policydiff.toml",
        };
        let _ = writeln!(
            out,
            "{:<11} from: {source}{}",
            "",
            t.line.map(|l| format!(", line {l}")).unwrap_or_default()
        );
        if !t.looks_for.is_empty() {
            let _ = writeln!(out, "{:<11} looks for: {}", "", t.looks_for);
        }
    }
    out
}

/// The Markdown comment of `check`: the overall verdict, then each policy's redline.
pub fn check_markdown(
    reports: &[Report],
    worst: Classification,
    fail_on: Classification,
    failed: bool,
) -> String {
    let mut out = format!(
        "# Privacy policy check: {}\n\n",
        match worst {
            Classification::Major => "**MAJOR** change",
            Classification::Minor => "minor change",
            Classification::None => "no change in substance",
        }
    );
    if failed {
        let _ = writeln!(
            out,
            "This check fails at `--fail-on {}`: a major change needs legal approval and the more prominent notice the policy promises.\n",
            fail_on.as_str()
        );
    }
    for r in reports {
        out.push_str(&markdown::render(r));
        out.push('\n');
    }
    out
}
