//! `send` and `receipts`: the update email to every recipient, and the proof.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use super::{Context, write_stdout};
use crate::cli::SendArgs;
use crate::config::ConfigError;
use crate::deliver::{
    self, EmailContent, Envelope, InvalidRow, Options, Progress, Recipient, Transport,
    TransportRequest, journal,
};
use crate::error::{Error, Result};
use crate::policy::Locale;
use crate::render::notice::{ContextOptions, EmailRenderer, NoticeContext, NoticeKind, Templates};

/// How often a progress line is written without a terminal, at the latest.
const PROGRESS_EVERY: Duration = Duration::from_secs(10);

/// Progress on stderr: a bar on a terminal, else a line each tenth of the
/// list or every [`PROGRESS_EVERY`], whichever comes first (a log of a CI
/// job gets a dozen lines, not one per recipient).
struct SendProgress {
    bar: Option<indicatif::ProgressBar>,
    total: usize,
    done: AtomicUsize,
    /// The tenth last reported, and when the last line was written.
    last: Mutex<(usize, Instant)>,
}

/// Whether a progress line is due: a further tenth of `total` done since
/// the tenth `last_tenth` reported, or [`PROGRESS_EVERY`] since the last line.
fn line_due(done: usize, total: usize, last_tenth: usize, since_last: Duration) -> bool {
    (total > 0 && done * 10 / total > last_tenth) || since_last >= PROGRESS_EVERY
}

impl SendProgress {
    /// A bar on a terminal, else occasional lines.
    fn new(total: usize) -> SendProgress {
        SendProgress {
            bar: std::io::stderr().is_terminal().then(|| {
                indicatif::ProgressBar::new(total as u64).with_style(
                    indicatif::ProgressStyle::with_template(
                        "{spinner} {pos}/{len} recipients {wide_bar} {per_sec} ETA {eta}",
                    )
                    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
                )
            }),
            total,
            done: AtomicUsize::new(0),
            last: Mutex::new((0, Instant::now())),
        }
    }

    /// Write a line if one is due (no terminal only).
    fn report(&self) {
        if self.bar.is_some() {
            return;
        }
        let done = self.done.load(Ordering::Relaxed);
        let mut last = self
            .last
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if !line_due(done, self.total, last.0, last.1.elapsed()) {
            return;
        }
        let tenth = (done * 10).checked_div(self.total).unwrap_or(0);
        *last = (tenth.max(last.0), Instant::now());
        let percent = (done * 100).checked_div(self.total).unwrap_or(100);
        eprintln!(
            "policydiff: send: {done}/{} recipients ({percent}%)",
            self.total
        );
    }
}

impl Progress for SendProgress {
    fn tick(&self) {
        self.done.fetch_add(1, Ordering::Relaxed);
        match &self.bar {
            Some(bar) => bar.inc(1),
            None => self.report(),
        }
    }
}

/// Rows of a list, for the progress total (header excluded for CSV),
/// counted in 64 KiB chunks: the list itself is never held in memory.
fn count_rows(path: &Path) -> usize {
    use std::io::Read;
    let Ok(mut file) = std::fs::File::open(path) else {
        return 0;
    };
    let mut buf = vec![0u8; 1 << 16];
    let (mut lines, mut last, mut first) = (0usize, b'\n', None);
    while let Ok(n) = file.read(&mut buf) {
        if n == 0 {
            break;
        }
        first = first.or_else(|| buf[..n].iter().copied().find(|b| !b.is_ascii_whitespace()));
        lines += buf[..n].iter().filter(|&&b| b == b'\n').count();
        last = buf[n - 1];
    }
    lines += usize::from(last != b'\n');
    if first == Some(b'{') {
        lines
    } else {
        lines.saturating_sub(1)
    }
}

/// `K/N` with 1 ≤ K ≤ N.
fn parse_shard(s: &str) -> Result<(u64, u64)> {
    let bad = || Error::Usage(format!("--shard {s:?}: write K/N with 1 ≤ K ≤ N, e.g. 2/4"));
    let (k, n) = s.split_once('/').ok_or_else(bad)?;
    let (k, n): (u64, u64) = (
        k.trim().parse().map_err(|_| bad())?,
        n.trim().parse().map_err(|_| bad())?,
    );
    if k == 0 || n == 0 || k > n {
        return Err(bad());
    }
    Ok((k, n))
}

/// `N` or `N/s`, positive.
fn parse_rate(s: &str) -> Result<f64> {
    let n = s.trim().trim_end_matches("/s");
    n.parse::<f64>()
        .ok()
        .filter(|r| r.is_finite() && *r > 0.0)
        .ok_or_else(|| Error::Usage(format!("--rate {s:?}: give messages per second, e.g. 50/s")))
}

pub(super) fn run(ctx: &Context, args: SendArgs) -> Result<()> {
    if args.connections == 0 || args.connections > 64 {
        return Err(Error::Usage(format!(
            "--connections {}: give 1 to 64",
            args.connections
        )));
    }
    let rate = args.rate.as_deref().map(parse_rate).transpose()?;
    let shard = args.shard.as_deref().map(parse_shard).transpose()?;
    let config = ctx.require_config()?;
    let email = config.email.clone().ok_or_else(|| ConfigError::Invalid {
        path: config.file.display().to_string(),
        message: "no [email] table: set at least `from = \"Name <address@example.com>\"`".into(),
    })?;
    // Check the recipient list can be opened before anything else.
    if !args.recipients.is_file() {
        return Err(Error::Usage(format!(
            "{}: not a readable file",
            args.recipients.display()
        )));
    }

    // The notice: versions, classification, notice period, one email context
    // per locale, and its identity.
    let templates_dir = config.dir.join(&config.notice.templates);
    let templates = Templates::new(Some(templates_dir).filter(|d| d.is_dir()));
    let notice = SendNotice::load(ctx, &args, &templates)?;
    let emails = EmailRenderer::new(&templates, &notice.contexts, notice.locale);
    let render = |r: &Recipient| -> std::result::Result<EmailContent, String> {
        let e = emails
            .render(r.locale(), &r.fields)
            .map_err(|e| e.to_string())?;
        Ok(EmailContent {
            subject: e.subject,
            text: e.text,
            html: e.html,
        })
    };
    let envelope = Envelope::from_config(&config.dir, &email, &notice.id).map_err(|message| {
        ConfigError::Invalid {
            path: config.file.display().to_string(),
            message,
        }
    })?;

    let mut invalid_shown = 0usize;
    let mut on_invalid = |bad: &InvalidRow| {
        invalid_shown += 1;
        if invalid_shown <= 50 {
            eprintln!(
                "policydiff: {} line {}: {} (skipped)",
                args.recipients.display(),
                bad.line,
                bad.reason
            );
        } else if invalid_shown == 51 {
            eprintln!("policydiff: more invalid rows not shown; see the summary");
        }
    };
    // The list's header is checked before anything is created (journal,
    // key, output directory); with --strict, every row is.
    drop(deliver::recipients::open(&args.recipients).map_err(send_error)?);
    if args.strict {
        deliver::strict_check(&args.recipients).map_err(send_error)?;
    }
    let journal_path = args.journal.clone().unwrap_or_else(|| {
        let suffix = shard
            .map(|(k, n)| format!("-{k}-of-{n}"))
            .unwrap_or_default();
        PathBuf::from("journals").join(format!("{}-{}{suffix}.jsonl", notice.policy, notice.id))
    });
    let default_locale = notice.locale;
    let locale_of = |raw: Option<&str>| -> Locale {
        // As the renderer picks it: the row's locale if known, else the policy's.
        raw.and_then(|l| l.parse::<Locale>().ok())
            .unwrap_or(default_locale)
    };
    if args.dry_run {
        // Everything a real run checks before its first message, creating
        // and sending nothing; the pre-flight too (one connection, no
        // message), so a wrong password or an unreachable server shows here.
        let transport = transport(&args, &email, true)?;
        preflight(&transport)?;
        check_journal(&config.dir, &journal_path, &notice.id, &args)?;
        super::context::warn_about_links(config.notice.base_url.as_deref(), &notice.new);
        return dry_run(&args, &render, &locale_of, shard, &mut on_invalid);
    }

    let transport = transport(&args, &email, false)?;
    // Before the journal or its key exists: a server that is down or
    // refuses us fails here, fast, changing nothing.
    preflight(&transport)?;
    let (writer, key, state) = open_journal(&config.dir, &journal_path, &notice.id, &args)?;
    super::context::warn_about_links(config.notice.base_url.as_deref(), &notice.new);
    let total = count_rows(&args.recipients);
    let progress = SendProgress::new(total);
    let opts = Options {
        connections: args.connections,
        rate,
        max_attempts: email.max_attempts,
        backoff: Duration::from_millis(args.retry_delay_ms),
        backoff_max: Duration::from_secs(60),
        resend_in_doubt: !args.no_resend_in_doubt || args.resend_in_doubt,
        shard,
        expected_rows: total,
    };
    let rows = deliver::recipients::open(&args.recipients).map_err(send_error)?;
    let summary = std::thread::scope(|s| {
        // Without a terminal, a line every PROGRESS_EVERY even while no
        // recipient completes (retries, a slow server).
        let (stop, stopped) = std::sync::mpsc::channel::<()>();
        if progress.bar.is_none() {
            let progress = &progress;
            s.spawn(move || {
                while let Err(std::sync::mpsc::RecvTimeoutError::Timeout) =
                    stopped.recv_timeout(Duration::from_millis(500))
                {
                    progress.report();
                }
            });
        }
        let summary = deliver::run(
            rows,
            deliver::Delivery {
                journal: writer,
                key,
                state: &state,
                envelope: &envelope,
                render: &render,
                transport: &transport,
                opts: &opts,
                progress: &progress,
            },
            &mut on_invalid,
        );
        drop(stop);
        summary
    })
    .map_err(send_error)?;
    if let Some(bar) = &progress.bar {
        bar.finish_and_clear();
    }
    write_stdout(summary_text(&summary, &journal_path, &locale_of).as_bytes())?;
    outcome(&summary)
}

/// What `send` announces: the email contexts of every locale, the locale of
/// recipients who name none, and the notice's identity.
struct SendNotice {
    policy: String,
    /// The new version, for the warning about links.
    new: crate::report::VersionInfo,
    contexts: Vec<NoticeContext>,
    locale: Locale,
    id: String,
}

impl SendNotice {
    fn load(ctx: &Context, args: &SendArgs, templates: &Templates) -> Result<SendNotice> {
        let config = ctx.require_config()?;
        let policy = args.policy.policy.as_deref();
        let input = super::notice::input(
            ctx,
            (&args.old, &args.new),
            policy,
            &args.facts,
            args.period.effective.as_deref(),
            args.period.notice_date.as_deref(),
        )?;
        let (effective, notice_date) = (input.effective, input.notice_date);
        let policy_cfg = config.policy(policy)?;
        let policy_name = policy_cfg.name.clone();
        // Each locale's email is built from that language's own text (a
        // bilingual policy), with its own title.
        let contexts: Vec<NoticeContext> = Locale::ALL
            .into_iter()
            .map(|locale| {
                let title_cfg = input
                    .language(locale)
                    .and_then(|l| config.policy(Some(&l.policy)).ok())
                    .unwrap_or(policy_cfg);
                let base_url = input.base_url_for(locale, config.notice.base_url.as_deref());
                let opts = ContextOptions {
                    kind: NoticeKind::Email,
                    locale,
                    effective_date: effective,
                    notice_date,
                    base_url: base_url.as_deref(),
                    max_changes: config.notice.max_changes,
                    templates,
                    title: title_cfg.title_in(locale.as_str()),
                };
                let mut context = NoticeContext::new(input.report_for(locale), &opts)?;
                input.agree(&mut context, &opts)?;
                Ok(context)
            })
            .collect::<Result<_>>()?;
        super::notice::check_period(
            input.classification(),
            effective,
            notice_date,
            &config.notice.min_days,
            args.period.allow_short_notice.as_deref(),
        )?;
        input.warn_disagreements();
        // One notice, every language: its identity covers each text sent
        // (one language: the old and new texts alone, as before).
        let texts = |side: fn(&super::notice::NoticeLanguage) -> &str, own: &str| {
            if input.languages.is_empty() {
                own.to_owned()
            } else {
                input
                    .languages
                    .iter()
                    .map(side)
                    .collect::<Vec<_>>()
                    .join("\0")
            }
        };
        let id = deliver::notice_id(
            &policy_name,
            &texts(|l| &l.old.text, &input.old.text),
            &texts(|l| &l.new.text, &input.new.text),
            contexts
                .first()
                .and_then(|c| c.effective_date.as_deref())
                .unwrap_or(""),
        );
        let report = &input.report;
        Ok(SendNotice {
            policy: policy_name,
            new: report.new.clone(),
            contexts,
            locale: ctx.notice_locale(args.locale.map(Locale::from), policy)?,
            id,
        })
    }
}

/// `--dry-run`: an existing journal must be this notice's and shard's, and
/// readable with the key found.
fn check_journal(config_dir: &Path, path: &Path, notice: &str, args: &SendArgs) -> Result<()> {
    let master = journal::load_key(Some(config_dir), false).map_err(send_error)?;
    if !path.exists() {
        return Ok(());
    }
    let (header, _, _) = journal::read(path).map_err(send_error)?;
    let master = master.as_ref().map(|(m, _)| m);
    if header.key.is_some() || master.is_some() {
        journal::check(&header, path, notice, args.shard.as_deref(), master).map_err(send_error)?;
    }
    Ok(())
}

/// Open (or create) the journal, creating the journal key on first use.
fn open_journal(
    config_dir: &Path,
    path: &Path,
    notice: &str,
    args: &SendArgs,
) -> Result<(journal::Writer, [u8; 32], journal::State)> {
    let (master, created) = journal::load_key(Some(config_dir), true)
        .map_err(send_error)?
        .ok_or_else(|| send_error(journal::KeyError::Missing))?;
    if created {
        eprintln!(
            "policydiff: created the journal key {} (mode 0600): keep it, and keep it out of git and apart from the journals; without it `receipts --recipients` cannot name anyone",
            master.source
        );
    }
    let (writer, key, state, legacy) =
        journal::Writer::open(path, notice, args.shard.as_deref(), &master).map_err(send_error)?;
    if legacy {
        eprintln!(
            "policydiff: warning: {} is an old journal that holds its hash key in its header: whoever has it can confirm a guessed address; it is resumed as it is",
            path.display()
        );
    }
    Ok((writer, key, state))
}

/// The summary of a run: the counts, then the main reason of the deferred
/// and of the failed, then the counts per locale.
fn summary_text(
    summary: &deliver::Summary,
    journal_path: &Path,
    locale_of: &dyn Fn(Option<&str>) -> Locale,
) -> String {
    let mut out = summary_line(summary, journal_path);
    for (what, n, reasons) in [
        ("deferred", summary.deferred, &summary.deferred_reasons),
        ("failed", summary.failed, &summary.failed_reasons),
    ] {
        let Some((reason, count)) = deliver::main_reason(reasons) else {
            continue;
        };
        let reason = if reason.is_empty() {
            "no reply recorded"
        } else {
            reason
        };
        if count == n {
            out.push_str(&format!("{what} {n}: {reason}\n"));
        } else {
            out.push_str(&format!(
                "{what} {n}: {reason} ({count} of {n}; the other reasons: `policydiff receipts`)\n"
            ));
        }
    }
    // Rows grouped by the email they get, not by how the list spells it.
    let mut by_locale: std::collections::BTreeMap<&str, deliver::Counts> = Default::default();
    for (raw, c) in &summary.by_locale {
        let locale = locale_of(Some(raw.as_str()).filter(|r| !r.is_empty()));
        by_locale.entry(locale.as_str()).or_default().add(c);
    }
    let groups: Vec<String> = by_locale
        .iter()
        .map(|(locale, c)| {
            let parts: Vec<String> = [
                ("sent", c.sent),
                ("already sent", c.already_sent),
                ("deferred", c.deferred),
                ("failed", c.failed),
                ("in doubt", c.in_doubt),
            ]
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(w, n)| format!("{w} {n}"))
            .collect();
            format!("{locale}: {}", parts.join(", "))
        })
        .collect();
    if !groups.is_empty() {
        out.push_str(&format!("by locale: {}\n", groups.join("; ")));
    }
    out
}

/// The first line of the summary: every count.
fn summary_line(summary: &deliver::Summary, journal_path: &Path) -> String {
    let extra = |n: usize, what: &str| {
        if n > 0 {
            format!(", {what} {n}")
        } else {
            String::new()
        }
    };
    format!(
        "sent {}, already sent {}, deferred {}, failed {}, invalid {}, duplicates {}{}{}{}; journal {}\n",
        summary.sent,
        summary.already_sent,
        summary.deferred,
        summary.failed,
        summary.invalid,
        summary.duplicates,
        extra(summary.in_doubt, "in doubt (not resent)"),
        extra(summary.resent_in_doubt, "resent in doubt"),
        extra(summary.other_shards, "other shards"),
        journal_path.display()
    )
}

/// Exit 2 when the run stopped or left a valid recipient undelivered,
/// saying what to do; exit 0 when every valid recipient has the message,
/// invalid rows or not (they were reported with their lines; `--strict`
/// refuses them before sending).
fn outcome(summary: &deliver::Summary) -> Result<()> {
    if let Some(why) = &summary.stopped {
        return Err(Error::Usage(format!(
            "the run stopped: {why}; nobody was marked failed, the recipients not yet sent stay pending, and the same command sends them once this is fixed"
        )));
    }
    if summary.undelivered() == 0 {
        if summary.invalid > 0 {
            eprintln!(
                "policydiff: every valid recipient has the message; {} invalid row(s) skipped (lines above): fix them and run the same command to reach them, or use --strict to refuse such a list",
                summary.invalid
            );
        }
        return Ok(());
    }
    let mut advice = Vec::new();
    if summary.deferred > 0 {
        advice.push("run the same command again to retry the deferred");
    }
    if summary.in_doubt > 0 {
        advice.push(
            "the in-doubt may have got the message (`policydiff receipts` lists them as in-doubt): --no-resend-in-doubt skips them on every run; after checking, run with --resend-in-doubt to send them again",
        );
    }
    if summary.invalid > 0 {
        advice.push("fix the invalid rows reported above and run it again to reach them");
    }
    if summary.failed > 0 {
        advice.push("see `policydiff receipts` for the server's refusals");
    }
    Err(Error::Usage(format!(
        "{} recipient(s) not delivered ({} deferred, {} in doubt, {} failed; {} invalid row(s) skipped): {}",
        summary.undelivered(),
        summary.deferred,
        summary.in_doubt,
        summary.failed,
        summary.invalid,
        advice.join("; ")
    )))
}

/// Delivery errors are errors of use at the command edge (exit 2), their
/// messages naming the file, line or setting.
fn send_error(e: impl std::fmt::Display) -> Error {
    Error::Usage(e.to_string())
}

/// Connect, EHLO, STARTTLS and AUTH once before anything else: a server
/// that is down or refuses us stops the run here, in its own words
/// (addresses scrubbed), with nothing sent and no journal or key created.
fn preflight(transport: &Transport) -> Result<()> {
    transport.preflight().map_err(|f| {
        Error::Usage(format!(
            "pre-flight: {}; nothing was sent and no journal was written or changed",
            deliver::scrub::scrub(&f.reply)
        ))
    })
}

/// The transport of `--transport`, with the password from the environment
/// or a file (never from the command line; never printed). With `check`
/// (`--dry-run`), every check is made but no directory is created.
fn transport(
    args: &SendArgs,
    email: &crate::config::EmailConfig,
    check: bool,
) -> Result<Transport> {
    let request = TransportRequest {
        spec: &args.transport,
        insecure: args.insecure,
        user: email.smtp_user.as_deref(),
        password_file: args.password_file.as_deref(),
        ca_file: args.tls_ca.as_deref(),
        connections: args.connections as u32,
        timeout: Duration::from_secs(args.timeout),
    };
    let (transport, warning) =
        Transport::open(&request, check).map_err(|e| Error::Usage(e.to_string()))?;
    if let Some(w) = warning {
        eprintln!("policydiff: warning: {w}");
    }
    Ok(transport)
}

/// Lines of the text part shown per locale by `--dry-run`.
const PREVIEW_LINES: usize = 12;

/// `--dry-run`: read and check the list, render one message per locale the
/// list uses and show its subject and first lines, send nothing, write
/// nothing.
fn dry_run(
    args: &SendArgs,
    render: &dyn Fn(&Recipient) -> std::result::Result<EmailContent, String>,
    locale_of: &dyn Fn(Option<&str>) -> Locale,
    shard: Option<(u64, u64)>,
    on_invalid: &mut dyn FnMut(&InvalidRow),
) -> Result<()> {
    let rows = deliver::recipients::open(&args.recipients).map_err(send_error)?;
    let mut rendered_locales = std::collections::BTreeSet::new();
    let mut previews = String::new();
    let found = deliver::survey(
        rows,
        shard,
        |r| {
            // Render once per locale: template errors show before a real run.
            let locale = locale_of(r.locale());
            if rendered_locales.insert(locale) {
                let email = render(r).map_err(Error::Usage)?;
                previews.push_str(&preview(&email, locale, r.line, &args.recipients));
            }
            Ok::<(), Error>(())
        },
        on_invalid,
    )?;
    let deliver::Survey {
        valid,
        invalid,
        duplicates: dups,
        other_shards: other,
    } = found;
    write_stdout(
        format!("{previews}dry run: would send {valid}; invalid {invalid}, duplicates {dups}, other shards {other}; nothing sent\n").as_bytes(),
    )
}

/// One email as `--dry-run` shows it: the locale and the row it was
/// rendered for (its line, not its address), the subject and the first
/// lines of the text part.
fn preview(email: &EmailContent, locale: Locale, line: u64, list: &Path) -> String {
    let mut lines = email.text.lines().skip_while(|l| l.trim().is_empty());
    let head: Vec<&str> = lines.by_ref().take(PREVIEW_LINES).collect();
    let more = if lines.any(|l| !l.trim().is_empty()) {
        "…\n"
    } else {
        ""
    };
    format!(
        "--- {locale} email, as rendered for {} line {line} ---\nSubject: {}\n\n{}\n{more}\n",
        list.display(),
        crate::terminal::visible_controls(&email.subject),
        head.iter()
            .map(|l| crate::terminal::visible_controls(l))
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_progress_line_is_due_each_tenth_or_every_ten_seconds() {
        let now = Duration::ZERO;
        // 52 rows: the first tenth is reached at row 6, not at every row.
        assert!(!line_due(1, 52, 0, now));
        assert!(!line_due(5, 52, 0, now));
        assert!(line_due(6, 52, 0, now));
        assert!(!line_due(7, 52, 1, now));
        assert!(line_due(52, 52, 9, now));
        // A slow run: a line after ten seconds, whatever the count.
        assert!(!line_due(1, 1_000_000, 0, Duration::from_secs(9)));
        assert!(line_due(1, 1_000_000, 0, PROGRESS_EVERY));
        assert!(line_due(0, 0, 0, PROGRESS_EVERY));
        assert!(!line_due(0, 0, 0, now));
    }

    #[test]
    fn the_summary_names_the_main_reason_and_the_locales() {
        let mut summary = deliver::Summary {
            sent: 2,
            deferred: 5,
            failed: 1,
            ..Default::default()
        };
        summary
            .deferred_reasons
            .insert("connection refused by h:25".into(), 3);
        summary.deferred_reasons.insert("451 try later".into(), 2);
        summary.failed_reasons.insert("550 no such user".into(), 1);
        for (raw, c) in [
            (
                "en",
                deliver::Counts {
                    sent: 1,
                    deferred: 5,
                    ..Default::default()
                },
            ),
            (
                "",
                deliver::Counts {
                    sent: 1,
                    ..Default::default()
                },
            ),
            (
                "zh-CN",
                deliver::Counts {
                    failed: 1,
                    ..Default::default()
                },
            ),
        ] {
            summary.by_locale.insert(raw.into(), c);
        }
        let locale_of = |raw: Option<&str>| {
            raw.and_then(|l| l.parse::<Locale>().ok())
                .unwrap_or(Locale::En)
        };
        let text = summary_text(&summary, Path::new("j.jsonl"), &locale_of);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(
            lines[1..],
            [
                "deferred 5: connection refused by h:25 (3 of 5; the other reasons: `policydiff receipts`)",
                "failed 1: 550 no such user",
                "by locale: en: sent 2, deferred 5; zh-CN: failed 1",
            ],
            "{text}"
        );
    }
}
