//! `policydiff log`: every change in the policy's history, newest first.

use std::io::Write;

use super::Context;
use super::context::parse_day;
use super::output::stdout_result;
use crate::archive::{self, HistoryEntry};
use crate::classify::Classification;
use crate::cli::{ListFormat, LogArgs};
use crate::error::{Error, Result};
use crate::pipeline::{Comparison, Step, WalkError, walk_history};

pub(super) fn run(ctx: &Context, args: LogArgs) -> Result<()> {
    let since = args
        .since
        .as_deref()
        .map(|d| parse_day(d, "--since"))
        .transpose()?
        .map(|d| d.to_string());
    let archive = ctx.archive()?;
    let (policy, path) = ctx.policy(args.policy.policy.as_deref(), &archive)?;
    let policy_name = policy.name.clone();
    let how = Comparison {
        rules: ctx.rules()?,
        ..Comparison::default()
    };
    let entries = archive::history(&archive, &path, &policy_name)?;
    // The newest `shown` entries get a line; oldest first, the first change
    // shown is the first whose new side is on or after --since.
    let n = entries.len();
    let first_kept = match &since {
        Some(d) => (0..n)
            .rev()
            .position(|i| entries[i].date.as_str() >= d.as_str())
            .unwrap_or(n),
        None => 0,
    };
    let json = args.format == ListFormat::Json;
    let render = |step: Step<'_>| -> Option<String> {
        match step {
            Step::Change { report, .. } if json => {
                Some(serde_json::to_string_pretty(&report).unwrap_or_default())
            }
            Step::Change { entry, report } => {
                let class = report.classification.map_or("-", Classification::as_str);
                Some(history_line(entry, class, &report.fired_ids().join(", ")))
            }
            _ if json => None,
            Step::Unreadable { entry, reason } => {
                Some(history_line(entry, &format!("unreadable: {reason}"), ""))
            }
            Step::First { entry } => (first_kept == 0).then(|| history_line(entry, "first", "")),
        }
    };
    // Stdout, not its lock: the printer runs on its own thread.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
    let mut count = 0usize;
    let emit = |text: String| -> std::io::Result<()> {
        if json {
            out.write_all(if count == 0 { b"[\n" } else { b",\n" })?;
        }
        count += 1;
        out.write_all(text.as_bytes())
    };
    let walked = walk_history(
        &archive,
        &entries,
        n - first_kept,
        &path,
        &policy_name,
        &how,
        render,
        emit,
    );
    let finish = |count: usize, out: &mut dyn Write| -> std::io::Result<()> {
        if json {
            out.write_all(if count == 0 { b"[]\n" } else { b"\n]\n" })?;
        }
        out.flush()
    };
    let summary = match walked {
        Ok(summary) => summary,
        Err(WalkError::Archive(e)) => return Err(e.into()),
        Err(WalkError::Emit(e)) => return stdout_result(Err(e)),
    };
    stdout_result(finish(count, &mut out))?;
    if summary.unreadable > 0 {
        let message = format!(
            "{} version(s) of {path} could not be read (empty or not text) and were skipped; each change after one is compared with the last readable version",
            summary.unreadable
        );
        if args.strict {
            return Err(Error::Usage(message));
        }
        eprintln!("policydiff: warning: {message} (--strict makes this an error)");
    }
    Ok(())
}

/// One line of `log` text: date, commit, class, subject, fired triggers, tag.
fn history_line(e: &HistoryEntry, class: &str, fired: &str) -> String {
    let line = format!(
        "{}  {}  {:<5}  {}{}{}\n",
        &e.date[..e.date.len().min(10)],
        &e.commit[..10],
        class,
        e.subject,
        if fired.is_empty() {
            String::new()
        } else {
            format!("  [{fired}]")
        },
        e.tag
            .as_deref()
            .map(|t| format!("  ({t})"))
            .unwrap_or_default(),
    );
    crate::terminal::visible_controls(&line).into_owned()
}
