//! Terminal redline: git-style `[-deleted-]{+inserted+}` markers, or colour
//! (red strike-through, green underline) when `color` is on.

use std::fmt::Write;

use anstyle::{AnsiColor, Effects, Style};

use super::{
    Entry, View, entries, hidden_note, id_range, kind_word, location, renumbered_line,
    run_location, shorten, summary_line, verdict_line,
};
use crate::classify::Classification;
use crate::diff::{ChangeKind, InlineTag};
use crate::report::{Change, Report};

struct Paint {
    on: bool,
}

impl Paint {
    fn wrap(&self, style: Style, text: &str, plain: (&str, &str)) -> String {
        let text = v(text);
        if self.on {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            format!("{}{text}{}", plain.0, plain.1)
        }
    }
    fn del(&self, t: &str) -> String {
        self.wrap(
            AnsiColor::Red.on_default().effects(Effects::STRIKETHROUGH),
            t,
            ("[-", "-]"),
        )
    }
    fn ins(&self, t: &str) -> String {
        self.wrap(
            AnsiColor::Green.on_default().effects(Effects::UNDERLINE),
            t,
            ("{+", "+}"),
        )
    }
    fn bold(&self, t: &str) -> String {
        self.wrap(Style::new().bold(), t, ("", ""))
    }
    fn major(&self, t: &str) -> String {
        self.wrap(AnsiColor::Red.on_default().bold(), t, ("", ""))
    }
    fn dim(&self, t: &str) -> String {
        self.wrap(Style::new().dimmed(), t, ("", ""))
    }
}

/// Input text made safe for a terminal: control characters shown, never
/// obeyed. Every piece of the report reaches the output through this (or
/// through [`Paint::wrap`], which calls it), so only our own colour codes are
/// raw escapes.
fn v(s: &str) -> std::borrow::Cow<'_, str> {
    crate::terminal::visible_controls(s)
}

/// Render the report for a terminal.
pub fn render(report: &Report, color: bool) -> String {
    render_view(report, color, &View::default())
}

/// [`render`] with a [`View`].
pub fn render_view(report: &Report, color: bool, view: &View) -> String {
    let p = Paint { on: color };
    let mut out = String::new();
    let title = report
        .new
        .title
        .as_deref()
        .or(report.old.title.as_deref())
        .unwrap_or("Policy");
    let _ = writeln!(
        out,
        "{}",
        p.bold(&format!(
            "{title}: {} → {}",
            report.old.label(),
            report.new.label()
        ))
    );
    let verdict = verdict_line(report);
    let _ = writeln!(
        out,
        "{}",
        match report.classification {
            Some(Classification::Major) => p.major(&verdict),
            _ => p.bold(&verdict),
        }
    );
    for t in &report.triggers {
        let _ = writeln!(
            out,
            "  {} {}{}",
            p.bold(&format!("[{}]", t.id)),
            t.label
                .as_deref()
                .map(|l| format!("{} ", v(l)))
                .unwrap_or_default(),
            v(&shorten(&t.wording, 100))
        );
        for e in &t.evidence {
            let _ = writeln!(
                out,
                "      {}{}",
                e.change
                    .as_deref()
                    .map(|c| format!("{c}: "))
                    .unwrap_or_default(),
                v(&e.summary)
            );
        }
    }
    for r in &report.review {
        let _ = writeln!(
            out,
            "  review {}: touches \"{}\" ({})",
            r.change,
            v(&shorten(&r.wording, 60)),
            v(&r.matched.join(", "))
        );
    }
    for w in &report.warnings {
        let _ = writeln!(out, "warning: {}", v(w));
    }
    let _ = writeln!(out, "{}", v(&summary_line(report)));
    for note in &report.notes {
        let _ = writeln!(out, "note: {}", v(note));
    }
    for t in &report.translations {
        write_translation(&mut out, t, &p);
    }
    let (list, hidden) = entries(report, view);
    if let Some(note) = hidden_note(hidden) {
        let _ = writeln!(out, "note: {note}");
    }
    for entry in list {
        out.push('\n');
        match entry {
            Entry::One(change) => write_change(&mut out, change, &p),
            Entry::Renumbered(run) => {
                let _ = writeln!(
                    out,
                    "{}  {}\n    {}",
                    p.bold(&format!("[{}] EDITORIAL", id_range(run))),
                    p.dim(&v(&run_location(run))),
                    v(&renumbered_line(run))
                );
            }
        }
    }
    out
}

fn write_change(out: &mut String, change: &Change, p: &Paint) {
    let _ = writeln!(
        out,
        "{}  {}",
        p.bold(&format!(
            "[{}] {}{}",
            change.id,
            kind_word(change.kind),
            change
                .regroup_note()
                .map(|n| format!(" ({n})"))
                .unwrap_or_default()
        )),
        p.dim(&location(change))
    );
    match change.kind {
        ChangeKind::Added => {
            let _ = writeln!(out, "    {}", p.ins(&change.clause().text));
        }
        ChangeKind::Removed => {
            let _ = writeln!(out, "    {}", p.del(&change.clause().text));
        }
        ChangeKind::Moved | ChangeKind::Modified | ChangeKind::Editorial => {
            if let (ChangeKind::Moved, Some(o)) = (change.kind, &change.old) {
                let from = if o.section.is_empty() {
                    "(top)".to_owned()
                } else {
                    o.section.join(" › ")
                };
                let _ = writeln!(out, "    moved from {}, old line {}", v(&from), o.line);
            }
            if let (Some(o), Some(n)) = (&change.old, &change.new)
                && o.label != n.label
            {
                let _ = writeln!(
                    out,
                    "    number {} → {}",
                    v(o.label.as_deref().unwrap_or("(none)")),
                    v(n.label.as_deref().unwrap_or("(none)"))
                );
            }
            if !change.has_word_edits() {
                // The words stand as they were: show them, unless the
                // number line above already says all (a renumbering).
                if change.regroup.is_some() {
                    // The same words in other blocks: show them all.
                    let _ = writeln!(out, "    {}", v(&change.new_text()));
                } else if change.kind != ChangeKind::Editorial || !change.link_changes.is_empty() {
                    let _ = writeln!(out, "    {}", v(&change.clause().text));
                }
            } else {
                let mut line = String::from("    ");
                for op in &change.inline {
                    match op.op {
                        InlineTag::Equal => line.push_str(&v(&op.text)),
                        InlineTag::Delete => line.push_str(&p.del(&op.text)),
                        InlineTag::Insert => line.push_str(&p.ins(&op.text)),
                    }
                }
                let _ = writeln!(out, "{line}");
            }
            for link in &change.link_changes {
                let _ = writeln!(
                    out,
                    "    link {} → {}",
                    link.old
                        .as_deref()
                        .map_or_else(|| "(none)".to_owned(), |l| p.del(l)),
                    link.new
                        .as_deref()
                        .map_or_else(|| "(none)".to_owned(), |l| p.ins(l))
                );
            }
        }
    }
}

/// The translation check: its headline, where the structures differ, and
/// each finding.
fn write_translation(out: &mut String, t: &crate::align::TranslationCheck, p: &Paint) {
    let line = t.headline();
    let _ = writeln!(
        out,
        "{}",
        if t.fails() {
            p.major(&line)
        } else {
            p.bold(&line)
        }
    );
    for note in &t.notes {
        let _ = writeln!(out, "  note: {}", v(note));
    }
    for d in &t.new_alignment.structure {
        let _ = writeln!(
            out,
            "  structure: {}",
            v(&d.describe(&t.original_locale, &t.locale))
        );
    }
    for f in &t.findings {
        let _ = writeln!(out, "  [{}] {}", f.kind.as_str(), v(&f.message));
    }
}
