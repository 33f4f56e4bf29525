//! `send` and `receipts`: the update email to every recipient, and the proof.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

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

/// Progress on stderr: a bar on a terminal, else a line per 1%.
struct SendProgress {
    bar: Option<indicatif::ProgressBar>,
    total: usize,
    done: AtomicUsize,
    last_percent: Mutex<usize>,
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
            last_percent: Mutex::new(0),
        }
    }
}

impl Progress for SendProgress {
    fn tick(&self) {
        let done = self.done.fetch_add(1, Ordering::Relaxed) + 1;
        match &self.bar {
            Some(bar) => bar.inc(1),
            None if self.total > 0 => {
                let percent = done * 100 / self.total;
                let mut last = self
                    .last_percent
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner);
                if percent > *last {
                    *last = percent;
                    eprintln!(
                        "policydiff: send: {done}/{} recipients ({percent}%)",
                        self.total
                    );
                }
            }
            None => {}
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
    if args.dry_run {
        // Everything a real run checks before its first message, creating
        // and sending nothing.
        transport(&args, &email, true)?;
        check_journal(&config.dir, &journal_path, &notice.id, &args)?;
        super::context::warn_about_links(config.notice.base_url.as_deref(), &notice.new);
        return dry_run(&args, &render, shard, &mut on_invalid);
    }

    let transport = transport(&args, &email, false)?;
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
    )
    .map_err(send_error)?;
    if let Some(bar) = &progress.bar {
        bar.finish_and_clear();
    }
    write_stdout(summary_line(&summary, &journal_path).as_bytes())?;
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
        let super::notice::NoticeInput {
            old,
            new,
            report,
            effective,
            notice_date,
        } = super::notice::input(
            ctx,
            (&args.old, &args.new),
            policy,
            &args.facts,
            args.period.effective.as_deref(),
            args.period.notice_date.as_deref(),
        )?;
        let policy_cfg = config.policy(policy)?;
        let policy_name = policy_cfg.name.clone();
        let contexts: Vec<NoticeContext> = Locale::ALL
            .into_iter()
            .map(|locale| {
                NoticeContext::new(
                    &report,
                    &ContextOptions {
                        kind: NoticeKind::Email,
                        locale,
                        effective_date: effective,
                        notice_date,
                        base_url: config.notice.base_url.as_deref(),
                        max_changes: config.notice.max_changes,
                        templates,
                        title: policy_cfg.title_in(locale.as_str()),
                    },
                )
            })
            .collect::<std::result::Result<_, _>>()?;
        super::notice::check_period(
            &report,
            effective,
            notice_date,
            &config.notice.min_days,
            args.period.allow_short_notice.as_deref(),
        )?;
        let id = deliver::notice_id(
            &policy_name,
            &old.text,
            &new.text,
            contexts
                .first()
                .and_then(|c| c.effective_date.as_deref())
                .unwrap_or(""),
        );
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

/// The one-line summary of a run.
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

/// Exit 2 when the run stopped or left anyone undelivered, saying what to do.
fn outcome(summary: &deliver::Summary) -> Result<()> {
    if let Some(why) = &summary.stopped {
        return Err(Error::Usage(format!(
            "the run stopped: {why}; nobody was marked failed, the recipients not yet sent stay pending, and the same command sends them once this is fixed"
        )));
    }
    if summary.undelivered() == 0 {
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
        advice.push("fix the invalid rows reported above and run it again");
    }
    if summary.failed > 0 {
        advice.push("see `policydiff receipts` for the server's refusals");
    }
    Err(Error::Usage(format!(
        "{} recipient(s) not delivered ({} deferred, {} in doubt, {} failed, {} invalid): {}",
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

/// `--dry-run`: read and check the list, render one message per locale seen,
/// send nothing, write nothing.
fn dry_run(
    args: &SendArgs,
    render: &dyn Fn(&Recipient) -> std::result::Result<EmailContent, String>,
    shard: Option<(u64, u64)>,
    on_invalid: &mut dyn FnMut(&InvalidRow),
) -> Result<()> {
    let rows = deliver::recipients::open(&args.recipients).map_err(send_error)?;
    let mut rendered_locales = std::collections::BTreeSet::new();
    let found = deliver::survey(
        rows,
        shard,
        |r| {
            // Render once per locale: template errors show before a real run.
            if rendered_locales.insert(r.locale().unwrap_or("").to_owned()) {
                render(r).map_err(Error::Usage)?;
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
        format!("dry run: would send {valid}; invalid {invalid}, duplicates {dups}, other shards {other}; nothing sent\n").as_bytes(),
    )
}
