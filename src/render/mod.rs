//! Renderers. They only read a [`Report`]; they never recompute the diff.

pub mod docx;
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
use crate::report::{Change, Report, TriggerListInfo};

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
    /// Word document with tracked changes (binary: see [`docx::render`]).
    Docx,
}

impl RedlineFormat {
    /// True for the formats that show the whole new document with the
    /// changes in place, so the comparison must keep unchanged clauses.
    pub fn shows_whole_document(self) -> bool {
        matches!(self, RedlineFormat::Html | RedlineFormat::Docx)
    }
}

/// Render a report as a redline. Word is binary: [`RedlineFormat::Docx`]
/// gives the JSON here, and [`docx::render`] writes the document.
pub fn redline(report: &Report, format: RedlineFormat, color: bool) -> String {
    match format {
        RedlineFormat::Text => text::render(report, color),
        RedlineFormat::Markdown => markdown::render(report),
        RedlineFormat::Html => html::render(report),
        RedlineFormat::Json | RedlineFormat::Docx => json(report),
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
    location_within(change, Some(36))
}

/// [`location`] with each heading shortened to `max` characters, or whole.
pub(crate) fn location_within(change: &crate::report::Change, max: Option<usize>) -> String {
    let c = change.clause();
    let mut parts: Vec<String> = c
        .section
        .iter()
        .skip(usize::from(c.section.len() > 1))
        .map(|s| max.map_or_else(|| s.clone(), |m| shorten(s, m)))
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
    view: &View,
) -> String {
    let mut out = format!(
        "{}\n# Privacy policy check: {}\n\n",
        markdown::MARKER,
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
    // The cap is for the whole comment: each policy gets an equal share of
    // what is left after the heading.
    let share = view
        .max_chars
        .map(|m| m.saturating_sub(out.chars().count()) / reports.len().max(1) - 1);
    for r in reports {
        out.push_str(&markdown::body(r, view, share));
        out.push('\n');
    }
    out
}

/// What the human formats show beyond the Report itself.
#[derive(Debug, Clone, Default)]
pub struct View {
    /// Leave editorial changes out (and say how many were left out).
    pub hide_editorial: bool,
    /// Markdown: the most characters the output may have; `None` for no cap.
    pub max_chars: Option<usize>,
    /// Markdown: where the full HTML redline is, linked when the output is cut.
    pub redline_url: Option<String>,
}

/// [`redline`] with a [`View`]; JSON ignores the view (it keeps every change).
/// Word is binary: see [`docx::render`].
pub fn redline_view(report: &Report, format: RedlineFormat, color: bool, view: &View) -> String {
    match format {
        RedlineFormat::Text => text::render_view(report, color, view),
        RedlineFormat::Markdown => markdown::render_view(report, view),
        RedlineFormat::Html => html::render_view(report, view),
        RedlineFormat::Json | RedlineFormat::Docx => json(report),
    }
}

/// One entry of a human-format change list: a change, or a run of
/// consecutive renumberings in one list shown as one line.
pub(crate) enum Entry<'a> {
    /// A change shown on its own.
    One(&'a Change),
    /// Two or more consecutive changes that only renumber items of one list.
    Renumbered(&'a [Change]),
}

/// True for an editorial change whose only difference is the item number.
fn renumber_only(c: &Change) -> bool {
    c.kind == ChangeKind::Editorial
        && c.regroup.is_none()
        && c.link_changes.is_empty()
        && !c.has_word_edits()
        && matches!((&c.old, &c.new), (Some(o), Some(n)) if o.label.is_some() && n.label.is_some() && o.label != n.label)
}

/// The changes as the human formats list them, and how many editorial
/// changes the view hid. Renumberings are collapsed only when consecutive
/// and in the same section, so each line names one list.
pub(crate) fn entries<'a>(report: &'a Report, view: &View) -> (Vec<Entry<'a>>, usize) {
    let changes = &report.changes;
    let mut out = Vec::new();
    let mut hidden = 0;
    let mut i = 0;
    while i < changes.len() {
        let c = &changes[i];
        if view.hide_editorial && c.kind == ChangeKind::Editorial {
            hidden += 1;
            i += 1;
            continue;
        }
        if renumber_only(c) {
            let section = &c.clause().section;
            let run = changes[i..]
                .iter()
                .take_while(|d| renumber_only(d) && &d.clause().section == section)
                .count();
            if run >= 2 {
                out.push(Entry::Renumbered(&changes[i..i + run]));
                i += run;
                continue;
            }
        }
        out.push(Entry::One(c));
        i += 1;
    }
    (out, hidden)
}

/// The number in a label ("11." → 11, "(3)" → 3), if it has one.
fn label_number(label: Option<&str>) -> Option<i64> {
    let l = label?;
    let digits: String = l
        .chars()
        .skip_while(|c| !c.is_ascii_digit())
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().ok()
}

/// "items 2.–11. renumbered (one item inserted above)": the new numbers,
/// and the cause when every number moved by the same amount.
pub(crate) fn renumbered_line(run: &[Change]) -> String {
    let label = |c: &Change| {
        c.new
            .as_ref()
            .and_then(|n| n.label.clone())
            .unwrap_or_default()
    };
    let (first, last) = (&run[0], &run[run.len() - 1]);
    let shifts: Vec<Option<i64>> = run
        .iter()
        .map(|c| {
            let o = label_number(c.old.as_ref().and_then(|o| o.label.as_deref()))?;
            let n = label_number(c.new.as_ref().and_then(|n| n.label.as_deref()))?;
            Some(n - o)
        })
        .collect();
    let cause = match shifts[0] {
        Some(d) if d != 0 && shifts.iter().all(|s| *s == Some(d)) => {
            let n = d.unsigned_abs();
            let what = if d > 0 { "inserted" } else { "removed" };
            if n == 1 {
                format!(" (one item {what} above)")
            } else {
                format!(" ({n} items {what} above)")
            }
        }
        _ => String::new(),
    };
    format!("items {}–{} renumbered{cause}", label(first), label(last))
}

/// `c7–c16`: the ids of a run of changes.
pub(crate) fn id_range(run: &[Change]) -> String {
    format!("{}–{}", run[0].id, run[run.len() - 1].id)
}

/// Where a renumbered run sits: its section path and its lines.
pub(crate) fn run_location(run: &[Change]) -> String {
    let c = run[0].clause();
    let parts: Vec<String> = c
        .section
        .iter()
        .skip(usize::from(c.section.len() > 1))
        .map(|s| shorten(s, 36))
        .collect();
    let line = |c: &Change| c.new.as_ref().map_or(0, |n| n.line);
    let lines = format!("new lines {}–{}", line(&run[0]), line(&run[run.len() - 1]));
    if parts.is_empty() {
        lines
    } else {
        format!("{} ({lines})", parts.join(" › "))
    }
}

/// The sentence that says what `--hide-editorial` left out.
pub(crate) fn hidden_note(hidden: usize) -> Option<String> {
    (hidden > 0).then(|| {
        format!(
            "{hidden} editorial change{} hidden (--hide-editorial); the JSON report keeps every change.",
            if hidden == 1 { "" } else { "s" }
        )
    })
}
