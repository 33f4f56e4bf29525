//! `send` and `receipts`: the update email to every recipient, and the proof.

use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use super::{Context, write_stdout};
use crate::cli::{ReceiptFormat, ReceiptsArgs, SendArgs};
use crate::config::ConfigError;
use crate::deliver::{
    self, EmailContent, Envelope, Event, InvalidRow, Options, Progress, Recipient, SmtpSettings,
    TlsMode, Transport, TransportSpec, journal,
};
use crate::error::{Error, Result};
use crate::render::notice::{self, ContextOptions, NoticeContext, NoticeKind, Templates};

/// Environment variable holding the SMTP password.
pub const PASSWORD_ENV: &str = "POLICYDIFF_SMTP_PASSWORD";

/// Progress on stderr: a bar on a terminal, else a line per 1%.
struct SendProgress {
    bar: Option<indicatif::ProgressBar>,
    total: usize,
    done: AtomicUsize,
    last_percent: Mutex<usize>,
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

pub(super) fn send(ctx: &Context, args: SendArgs) -> Result<()> {
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

    // The notice: versions, classification, notice period, template contexts.
    let policy = args.policy.policy.as_deref();
    let super::NoticeInput {
        old,
        new,
        report,
        effective,
        notice_date,
    } = super::notice_input(
        ctx,
        (&args.old, &args.new),
        policy,
        &args.facts,
        args.period.effective.as_deref(),
        args.period.notice_date.as_deref(),
    )?;
    let policy_cfg = config.policy(policy)?;
    let default_locale = args.locale.clone().unwrap_or_else(|| {
        if policy_cfg.locale.starts_with("zh") {
            "zh-CN".into()
        } else {
            "en".into()
        }
    });
    let contexts: BTreeMap<&str, NoticeContext> = notice::LOCALES
        .iter()
        .map(|&locale| {
            let c = NoticeContext::new(
                &report,
                &ContextOptions {
                    kind: NoticeKind::Email,
                    locale,
                    effective_date: effective.clone(),
                    notice_date: notice_date.clone(),
                    base_url: config.notice.base_url.as_deref(),
                },
            );
            (locale, c)
        })
        .collect();
    super::check_notice_period(
        &contexts[default_locale.as_str()],
        &config.notice.min_days,
        args.period.allow_short_notice.as_deref(),
    )?;
    let templates_dir = config.dir.join(&config.notice.templates);
    let templates = Templates::new(Some(templates_dir).filter(|d| d.is_dir()));
    // Each locale's context becomes a template value once; a recipient only
    // adds their fields on top.
    let values: BTreeMap<&str, minijinja::Value> = contexts
        .iter()
        .map(|(l, c)| (*l, notice::context_value(c)))
        .collect();
    let render = |r: &Recipient| -> std::result::Result<EmailContent, String> {
        let locale = r
            .locale()
            .filter(|l| notice::LOCALES.contains(l))
            .unwrap_or(&default_locale);
        let value = notice::with_recipient(&values[locale], &r.fields);
        let part = |p: &str, ext: &str| {
            templates
                .render_value(p, ext, locale, &value)
                .map_err(|e| e.to_string())
        };
        Ok(EmailContent {
            subject: part("email-subject", "txt")?
                .lines()
                .next()
                .unwrap_or_default()
                .to_owned(),
            text: part("email", "txt")?,
            html: part("email", "html")?,
        })
    };

    // The notice's identity: policy, both texts, effective date.
    let notice_id = {
        let mut h = blake3::Hasher::new();
        for part in [
            policy_cfg.name.as_str(),
            &old.text,
            &new.text,
            contexts["en"].effective_date.as_deref().unwrap_or(""),
        ] {
            h.update(part.as_bytes());
            h.update(b"\0");
        }
        h.finalize().to_hex()[..16].to_owned()
    };
    let envelope = envelope(config, &email, &notice_id)?;

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
        PathBuf::from("journals").join(format!("{}-{notice_id}{suffix}.jsonl", policy_cfg.name))
    });
    if args.dry_run {
        // Everything a real run checks before its first message, creating
        // and sending nothing.
        transport(&args, &email, true)?;
        let master = journal::load_key(Some(&config.dir), false).map_err(send_error)?;
        if journal_path.exists() {
            let (header, _, _) = journal::read(&journal_path).map_err(send_error)?;
            let master = master.as_ref().map(|(m, _)| m);
            if header.key.is_some() || master.is_some() {
                journal::check(
                    &header,
                    &journal_path,
                    &notice_id,
                    args.shard.as_deref(),
                    master,
                )
                .map_err(send_error)?;
            }
        }
        return dry_run(&args, &render, shard, &mut on_invalid);
    }

    let transport = transport(&args, &email, false)?;
    let (master, created) = journal::load_key(Some(&config.dir), true)
        .map_err(send_error)?
        .ok_or_else(|| send_error(journal::KeyError::Missing))?;
    if created {
        eprintln!(
            "policydiff: created the journal key {} (mode 0600): keep it, and keep it out of git and apart from the journals; without it `receipts --recipients` cannot name anyone",
            master.source
        );
    }
    let (writer, key, state, legacy) =
        journal::Writer::open(&journal_path, &notice_id, args.shard.as_deref(), &master)
            .map_err(send_error)?;
    if legacy {
        eprintln!(
            "policydiff: warning: {} is an old journal that holds its hash key in its header: whoever has it can confirm a guessed address; it is resumed as it is",
            journal_path.display()
        );
    }
    let total = count_rows(&args.recipients);
    let progress = SendProgress {
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
    };
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
        writer,
        key,
        &state,
        &envelope,
        &render,
        &transport,
        &opts,
        &progress,
        &mut on_invalid,
    )
    .map_err(send_error)?;
    if let Some(bar) = &progress.bar {
        bar.finish_and_clear();
    }
    let line = format!(
        "sent {}, already sent {}, deferred {}, failed {}, invalid {}, duplicates {}{}{}{}; journal {}\n",
        summary.sent,
        summary.already_sent,
        summary.deferred,
        summary.failed,
        summary.invalid,
        summary.duplicates,
        if summary.in_doubt > 0 {
            format!(", in doubt (not resent) {}", summary.in_doubt)
        } else {
            String::new()
        },
        if summary.resent_in_doubt > 0 {
            format!(", resent in doubt {}", summary.resent_in_doubt)
        } else {
            String::new()
        },
        if summary.other_shards > 0 {
            format!(", other shards {}", summary.other_shards)
        } else {
            String::new()
        },
        journal_path.display()
    );
    write_stdout(line.as_bytes())?;
    if let Some(why) = &summary.stopped {
        return Err(Error::Usage(format!(
            "the run stopped: {why}; nobody was marked failed, the recipients not yet sent stay pending, and the same command sends them once this is fixed"
        )));
    }
    if summary.undelivered() > 0 {
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
        return Err(Error::Usage(format!(
            "{} recipient(s) not delivered ({} deferred, {} in doubt, {} failed, {} invalid): {}",
            summary.undelivered(),
            summary.deferred,
            summary.in_doubt,
            summary.failed,
            summary.invalid,
            advice.join("; ")
        )));
    }
    Ok(())
}

/// Delivery errors are errors of use at the command edge (exit 2), their
/// messages naming the file, line or setting.
fn send_error(e: impl std::fmt::Display) -> Error {
    Error::Usage(e.to_string())
}

/// Headers shared by every message, from `[email]`.
fn envelope(
    config: &crate::config::Config,
    email: &crate::config::EmailConfig,
    notice_id: &str,
) -> Result<Envelope> {
    let invalid = |message: String| -> Error {
        ConfigError::Invalid {
            path: config.file.display().to_string(),
            message,
        }
        .into()
    };
    let from: lettre::message::Mailbox = email
        .from
        .parse()
        .map_err(|_| invalid("email.from is not an address".into()))?;
    let reply_to = email
        .reply_to
        .as_deref()
        .map(|r| {
            r.parse()
                .map_err(|_| invalid("email.reply_to is not an address".into()))
        })
        .transpose()?;
    let id_domain = from.email.domain().to_owned();
    let dkim = match (&email.dkim_key, &email.dkim_selector) {
        (Some(key_file), Some(selector)) => {
            let path = config.dir.join(key_file);
            let pem = std::fs::read_to_string(&path)
                .map_err(|e| invalid(format!("email.dkim_key: {}: {e}", path.display())))?;
            let key = lettre::message::dkim::DkimSigningKey::new(
                &pem,
                lettre::message::dkim::DkimSigningAlgorithm::Rsa,
            )
            .map_err(|e| invalid(format!("email.dkim_key: {}: {e}", path.display())))?;
            let domain = email
                .dkim_domain
                .clone()
                .unwrap_or_else(|| id_domain.clone());
            Some(std::sync::Arc::new(dkim_config(
                selector.clone(),
                domain,
                key,
            )))
        }
        _ => None,
    };
    Ok(Envelope {
        from,
        reply_to,
        list_unsubscribe: email.list_unsubscribe.clone(),
        id_domain,
        notice: notice_id.to_owned(),
        dkim,
    })
}

/// DKIM settings: relaxed/relaxed canonicalisation over the headers a
/// receiver judges a notice by, `List-Unsubscribe` among them (bulk-mail
/// rules want it signed). lettre 0.11's default (simple header
/// canonicalisation of From/Subject/To/Date) and a signed `Content-Type`
/// both failed an independent verifier (dkimpy) on what the server
/// received: lettre signs some header values as it holds them, not as it
/// writes them (the multipart boundary parameter, for one).
fn dkim_config(
    selector: String,
    domain: String,
    key: lettre::message::dkim::DkimSigningKey,
) -> lettre::message::dkim::DkimConfig {
    use lettre::message::dkim::{DkimCanonicalization, DkimCanonicalizationType, DkimConfig};
    use lettre::message::header::HeaderName;
    let headers = [
        "From",
        "To",
        "Subject",
        "Date",
        "Message-ID",
        "Reply-To",
        "List-Unsubscribe",
        "MIME-Version",
    ]
    .into_iter()
    .map(HeaderName::new_from_ascii_str)
    .collect();
    DkimConfig::new(
        selector,
        domain,
        key,
        headers,
        DkimCanonicalization {
            header: DkimCanonicalizationType::Relaxed,
            body: DkimCanonicalizationType::Relaxed,
        },
    )
}

/// The transport of `--transport`, with the password from the environment
/// or a file (never from the command line; never printed). With `check`
/// (`--dry-run`), every check is made but no directory is created.
fn transport(
    args: &SendArgs,
    email: &crate::config::EmailConfig,
    check: bool,
) -> Result<Transport> {
    let spec = TransportSpec::parse(&args.transport).map_err(|e| Error::Usage(e.to_string()))?;
    match spec {
        TransportSpec::File(dir) if check => {
            Transport::check_file_dir(&dir).map_err(|e| Error::Usage(e.to_string()))?;
            Ok(Transport::File(lettre::FileTransport::new(&dir), dir))
        }
        TransportSpec::File(dir) => Transport::file(dir).map_err(|e| Error::Usage(e.to_string())),
        TransportSpec::Smtp {
            implicit_tls,
            user,
            host,
            port,
        } => {
            let tls = match (implicit_tls, args.insecure) {
                (true, _) => TlsMode::Implicit,
                (false, true) => {
                    let local = host == "localhost" || host.starts_with("127.") || host == "::1";
                    if !local {
                        eprintln!(
                            "policydiff: warning: --insecure sends mail and credentials unencrypted to {host}"
                        );
                    }
                    TlsMode::None
                }
                (false, false) => TlsMode::StartTls,
            };
            let user = user.or_else(|| email.smtp_user.clone());
            let password = match &args.password_file {
                Some(f) => {
                    let f = if f.is_absolute() {
                        f.clone()
                    } else {
                        std::env::current_dir()
                            .map(|d| d.join(f))
                            .unwrap_or_else(|_| f.clone())
                    };
                    let text = std::fs::read_to_string(&f).map_err(|e| {
                        Error::Usage(format!("--password-file {}: {e}", f.display()))
                    })?;
                    Some(text.trim_end_matches(['\r', '\n']).to_owned())
                }
                None => std::env::var(PASSWORD_ENV).ok().filter(|p| !p.is_empty()),
            };
            if user.is_some() && password.is_none() {
                return Err(Error::Usage(format!(
                    "SMTP user given but no password: set {PASSWORD_ENV} or use --password-file"
                )));
            }
            let settings = SmtpSettings {
                host,
                port,
                tls,
                user,
                password,
                ca_file: args.tls_ca.clone(),
                connections: args.connections as u32,
                timeout: Duration::from_secs(args.timeout),
            };
            Transport::smtp(&settings).map_err(|e| Error::Usage(e.to_string()))
        }
    }
}

/// `--dry-run`: read and check the list, render one message per locale seen,
/// send nothing, write nothing.
fn dry_run(
    args: &SendArgs,
    render: &dyn Fn(&Recipient) -> std::result::Result<EmailContent, String>,
    shard: Option<(u64, u64)>,
    on_invalid: &mut dyn FnMut(&InvalidRow),
) -> Result<()> {
    let (mut valid, mut invalid, mut dups, mut other) = (0usize, 0usize, 0usize, 0usize);
    let mut selector = deliver::Selector::new(shard, 0);
    let mut rendered_locales = std::collections::BTreeSet::new();
    for row in deliver::recipients::open(&args.recipients).map_err(send_error)? {
        match row {
            Err(bad) => {
                invalid += bad.lines as usize;
                on_invalid(&bad);
            }
            Ok(r) => match selector.admit(&r.key()) {
                deliver::Admit::Duplicate => dups += 1,
                deliver::Admit::OtherShard => other += 1,
                deliver::Admit::New => {
                    // Render once per locale: template errors show before a real run.
                    if rendered_locales.insert(r.locale().unwrap_or("").to_owned()) {
                        render(&r).map_err(Error::Usage)?;
                    }
                    valid += 1;
                }
            },
        }
    }
    write_stdout(
        format!("dry run: would send {valid}; invalid {invalid}, duplicates {dups}, other shards {other}; nothing sent\n").as_bytes(),
    )
}

/// One receipt row.
#[derive(Debug, serde::Serialize)]
struct Receipt {
    #[serde(skip_serializing_if = "Option::is_none")]
    email: Option<String>,
    address_hash: String,
    status: String,
    time: String,
    message_id: String,
    reply: String,
    journal: String,
}

/// How final a record is, to merge journals that both know a recipient
/// (the same shard run twice, or a copy): the most final wins.
fn finality(e: Event) -> u8 {
    match e {
        Event::Sent => 3,
        Event::Failed => 2,
        Event::Deferred => 1,
        Event::Start => 0,
    }
}

pub(super) fn receipts(ctx: &Context, args: ReceiptsArgs) -> Result<()> {
    use crate::deliver::Record;
    let mut rows: Vec<Receipt> = Vec::new();
    let mut journals = Vec::new();
    let mut notice: Option<String> = None;
    let mut seen_files = std::collections::HashSet::new();
    // The key is needed only to join addresses back in.
    let master = if args.recipients.is_some() {
        let dir = ctx.config().ok().flatten().map(|c| c.dir.clone());
        journal::load_key(dir.as_deref(), false)
            .map_err(send_error)?
            .map(|(m, _)| m)
    } else {
        None
    };
    for path in &args.journal {
        // The same file twice (`--journal j.jsonl j.jsonl`, or through a
        // link) counts once.
        let canonical = std::fs::canonicalize(path).unwrap_or_else(|_| path.clone());
        if !seen_files.insert(canonical) {
            continue;
        }
        let (header, state, _) = journal::read(path).map_err(|e| Error::Usage(e.to_string()))?;
        match &notice {
            Some(n) if *n != header.notice => {
                return Err(Error::Usage(format!(
                    "{} is the journal of notice {}, the others of {n}: merge journals of one notice only",
                    path.display(),
                    header.notice
                )));
            }
            _ => notice = Some(header.notice.clone()),
        }
        let key = if args.recipients.is_some() {
            Some(
                journal::journal_key(&header, path, master.as_ref())
                    .map_err(send_error)?
                    .0,
            )
        } else {
            None
        };
        journals.push((path.display().to_string(), key, state));
    }
    let receipt = |email: Option<String>, hash: &str, r: &Record, journal: &str| Receipt {
        email,
        address_hash: hash.to_owned(),
        status: match r.e {
            Event::Sent => "sent",
            Event::Deferred => "deferred",
            Event::Failed => "failed",
            Event::Start => "in-doubt",
        }
        .to_owned(),
        time: r.at.clone(),
        message_id: r.id.clone().unwrap_or_default(),
        // Journals written before replies were scrubbed may hold addresses.
        reply: r
            .reply
            .as_deref()
            .map(deliver::scrub::scrub)
            .unwrap_or_default(),
        journal: journal.to_owned(),
    };
    match &args.recipients {
        Some(list) => {
            let mut seen = std::collections::HashSet::new();
            for row in deliver::recipients::open(list)
                .map_err(send_error)?
                .flatten()
            {
                let key_text = row.key();
                if !seen.insert(key_text.clone()) {
                    continue;
                }
                let found = journals
                    .iter()
                    .filter_map(|(name, key, state)| {
                        let hash = journal::address_hash(key.as_ref()?, &key_text);
                        state.get(&hash).map(|r| (name, hash, r))
                    })
                    .max_by_key(|(_, _, r)| finality(r.e));
                rows.push(match found {
                    Some((name, hash, r)) => receipt(Some(row.email.clone()), &hash, r, name),
                    None => Receipt {
                        email: Some(row.email.clone()),
                        address_hash: String::new(),
                        status: "not-sent".into(),
                        time: String::new(),
                        message_id: String::new(),
                        reply: String::new(),
                        journal: String::new(),
                    },
                });
            }
        }
        None => {
            // One row per hash across the journals, the most final.
            let mut best: BTreeMap<&String, (&String, &Record)> = BTreeMap::new();
            for (name, _, state) in &journals {
                for (h, r) in &state.last {
                    let e = best.entry(h).or_insert((name, r));
                    if finality(r.e) > finality(e.1.e) {
                        *e = (name, r);
                    }
                }
            }
            for (h, (name, r)) in best {
                rows.push(receipt(None, h, r, name));
            }
        }
    }
    let out = match args.format {
        ReceiptFormat::Json => crate::render::json(&rows),
        ReceiptFormat::Csv => {
            let mut w = csv::Writer::from_writer(Vec::new());
            for r in &rows {
                w.serialize(r)
                    .map_err(|e| Error::Usage(format!("writing CSV: {e}")))?;
            }
            String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
        }
    };
    write_stdout(out.as_bytes())
}
