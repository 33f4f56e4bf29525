//! `policydiff log`: every change in a policy's history, newest first; with
//! several policies (`--all`), every policy's, found in one walk.

use std::io::{IsTerminal, Write};

use super::Context;
use super::context::parse_day;
use super::output::stdout_result;
use crate::archive::{self, HistoryEntry, WalkProgress};
use crate::classify::Classification;
use crate::cli::{LogArgs, LogFormat};
use crate::error::{Error, Result};
use crate::pipeline::{Comparison, PolicyWalk, Step, Versions, WalkError, WalkTicks, walk_history};

pub(super) fn run(ctx: &Context, args: LogArgs) -> Result<()> {
    let since = args
        .since
        .as_deref()
        .map(|d| parse_day(d, "--since"))
        .transpose()?
        .map(|d| d.to_string());
    let archive = ctx.archive()?;
    archive::read_once();
    // Which policies: --all, each --policy once, or the default one.
    let names: Vec<Option<String>> = if args.all {
        ctx.require_config()?
            .policies
            .iter()
            .map(|p| Some(p.name.clone()))
            .collect()
    } else if args.policy.is_empty() {
        vec![None]
    } else {
        let mut names: Vec<Option<String>> = Vec::new();
        for n in &args.policy {
            if !names.iter().any(|m| m.as_deref() == Some(n)) {
                names.push(Some(n.clone()));
            }
        }
        names
    };
    let mut policies = Vec::with_capacity(names.len());
    for name in &names {
        let (policy, path) = ctx.policy(name.as_deref(), &archive)?;
        policies.push((policy.name.clone(), path));
    }
    let how = Comparison {
        rules: ctx.rules()?,
        ..Comparison::default()
    };
    let progress = Progress::new();
    let paths: Vec<&str> = policies.iter().map(|(_, p)| p.as_str()).collect();
    // One policy, no --since: its versions stream from a walk on a second
    // thread (its own repository handle) into the comparison, which then
    // starts while the walk is still comparing trees.
    let (tx, rx) = std::sync::mpsc::channel();
    let streamed = (policies.len() == 1 && since.is_none()).then_some(tx);
    let mut found = match &streamed {
        Some(_) => vec![Versions::Stream(std::sync::Mutex::new(rx))],
        None => archive::find_versions(&archive, &paths, &mut |p| progress.walk(p))?
            .into_iter()
            .map(Versions::Found)
            .collect(),
    };
    let walks: Vec<PolicyWalk> = policies
        .iter()
        .zip(found.drain(..))
        .map(|((name, path), found)| PolicyWalk {
            name: name.clone(),
            path: path.clone(),
            found,
            since: since.clone(),
        })
        .collect();
    if streamed.is_none() {
        progress.start_log(walks.iter().filter_map(|w| w.found.known_len()).sum());
    }
    let several = walks.len() > 1;
    let format = args.format;
    let render = |policy: &str, step: Step<'_>| -> Option<String> {
        let line = |entry: &HistoryEntry, class: &str, fired: &str| {
            let line = history_line(entry, class, fired);
            if several {
                format!("{}  {line}", crate::terminal::visible_controls(policy))
            } else {
                line
            }
        };
        match step {
            Step::Change { report, .. } if format == LogFormat::Json => {
                Some(serde_json::to_string_pretty(report).unwrap_or_default())
            }
            Step::Change { report, .. } if format == LogFormat::Jsonl => {
                serde_json::to_string(report).ok().map(|s| s + "\n")
            }
            Step::Change { entry, report } => {
                let class = report.classification.map_or("-", Classification::as_str);
                Some(line(entry, class, &report.fired_ids().join(", ")))
            }
            _ if format != LogFormat::Text => None,
            Step::Unreadable { entry, reason } => {
                Some(line(entry, &format!("unreadable: {reason}"), ""))
            }
            Step::First { entry } => Some(line(entry, "first", "")),
        }
    };
    let json = format == LogFormat::Json;
    // Stdout, not its lock: the printer runs on its own thread. JSON Lines
    // are flushed line by line, for whatever reads them as they come.
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout());
    let mut count = 0usize;
    let emit = |text: String| -> std::io::Result<()> {
        if json {
            out.write_all(if count == 0 { b"[\n" } else { b",\n" })?;
        }
        count += 1;
        out.write_all(text.as_bytes())?;
        if format == LogFormat::Jsonl {
            out.flush()?;
        }
        Ok(())
    };
    let git_dir = archive.repo().path().to_path_buf();
    let (walked, streamed) = std::thread::scope(|s| {
        let walker = streamed.map(|tx| {
            let (progress, path) = (&progress, paths[0]);
            s.spawn(move || -> Result<()> {
                let archive = archive::Archive::discover(&git_dir)?;
                let mut n = 0;
                archive::find_versions_with(
                    &archive,
                    &[path],
                    &mut |p| progress.walk(p),
                    &mut |_, f| {
                        n += 1;
                        // The reader is gone when output stopped (`| head`).
                        let _ = tx.send(f);
                    },
                )?;
                progress.start_log(n);
                Ok(())
            })
        });
        let walked = walk_history(&archive, &walks, &how, render, emit, &progress);
        let streamed = walker.map(|w| w.join().unwrap_or_else(|e| std::panic::resume_unwind(e)));
        (walked, streamed)
    });
    progress.finish();
    // A failed walk ends the stream early: its error, not a short log.
    streamed.transpose()?;
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
        let whose = match &walks[..] {
            [one] => one.path.clone(),
            all => format!("the {} policies", all.len()),
        };
        let message = format!(
            "{} version(s) of {whose} could not be read (empty or not text) and were skipped; each change after one is compared with the last readable version",
            summary.unreadable
        );
        if args.strict {
            return Err(Error::Usage(message));
        }
        eprintln!("policydiff: warning: {message} (--strict makes this an error)");
    }
    Ok(())
}

/// Progress of a long walk on standard error, when it is a terminal:
/// commits read, versions found, then pairs classified with rate and ETA.
pub(super) struct Progress {
    bar: Option<indicatif::ProgressBar>,
}

impl Progress {
    pub(super) fn new() -> Progress {
        let bar = std::io::stderr().is_terminal().then(|| {
            let bar = indicatif::ProgressBar::new_spinner().with_style(
                indicatif::ProgressStyle::with_template("{spinner} {msg}")
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
            );
            bar.enable_steady_tick(std::time::Duration::from_millis(120));
            bar.set_message("reading commits");
            bar
        });
        Progress { bar }
    }

    /// The walk over the commits.
    pub(super) fn walk(&self, p: WalkProgress) {
        let Some(bar) = &self.bar else { return };
        bar.set_message(match p {
            WalkProgress::Commits(n) => format!("reading commits: {n}"),
            WalkProgress::Compared {
                done,
                total,
                versions,
            } => format!("comparing commits: {done}/{total}, {versions} versions found"),
        });
    }

    /// Classifying `pairs` pairs, about.
    fn start_log(&self, pairs: usize) {
        let Some(bar) = &self.bar else { return };
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {msg} [{bar:30}] {pos}/{len} versions  {per_sec}  ETA {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        );
        bar.set_message("classifying");
        bar.set_length(pairs as u64);
    }

    pub(super) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl WalkTicks for Progress {
    fn step(&self) {
        if let Some(bar) = &self.bar {
            bar.inc(1);
        }
    }
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
