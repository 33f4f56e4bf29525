//! The commands: each turns parsed arguments into pipeline calls and output.

mod output;
mod send;

pub use output::write_atomic;
pub(crate) use output::{emit, write_stdout};

use std::cell::OnceCell;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use clap::CommandFactory;

use crate::archive::{self, Archive, ArchiveError, Origin, ReleaseRequest, Spec, Version};
use crate::classify::{self, Rules, RunFacts};
use crate::cli::{
    CheckArgs, CheckFormat, Cli, ColorChoice, Command, DiffArgs, FactsArgs, HistoryArgs,
    ImpactLevel, InitArgs, KindArg, ListFormat, LogArgs, NoticeArgs, ReleaseArgs, ShowArgs,
    SiteArgs, TriggersArgs, VersionsArgs,
};
use crate::config::{Config, ConfigError, FILE_NAME, PolicyConfig};
use crate::diff::{self, DiffOptions};
use crate::document::{BlockCache, Document, Format};
use crate::error::{Error, Result};
use crate::render::notice::{self, ContextOptions, NoticeContext, NoticeKind, Templates};
use crate::render::site::{SiteInfo, SiteRelease};
use crate::render::{self, RedlineFormat};
use crate::report::Report;

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let cwd = std::env::current_dir().map_err(|source| Error::Io {
        path: ".".into(),
        source,
    })?;
    let ctx = Context {
        cwd,
        explicit_config: cli.config.clone(),
        config: OnceCell::new(),
        color: cli.color,
    };
    match cli.command {
        Command::Diff(args) => diff_cmd(&ctx, args),
        Command::Show(args) => show(&ctx, args),
        Command::Triggers(args) => triggers(&ctx, args),
        Command::Notice(args) => notice(&ctx, args),
        Command::Site(args) => site(&ctx, args),
        Command::History(args) => history_cmd(&ctx, args),
        Command::Send(args) => send::send(&ctx, args),
        Command::Receipts(args) => send::receipts(&ctx, args),
        Command::Check(args) => check(&ctx, args),
        Command::Log(args) => log(&ctx, args),
        Command::Versions(args) => versions(&ctx, args),
        Command::Release(args) => release(&ctx, args),
        Command::Init(args) => init(&ctx, args),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(shell, &mut Cli::command(), "policydiff", &mut out);
            write_stdout(&out)
        }
        Command::Man { out } => man(out),
    }
}

/// What every command may need, loaded on first use.
pub(crate) struct Context {
    cwd: PathBuf,
    explicit_config: Option<PathBuf>,
    config: OnceCell<Option<Config>>,
    color: ColorChoice,
}

impl Context {
    /// The configuration, if one is given or found.
    fn config(&self) -> Result<Option<&Config>> {
        if let Some(c) = self.config.get() {
            return Ok(c.as_ref());
        }
        let loaded = match &self.explicit_config {
            Some(path) => Some(Config::load(&self.cwd.join(path))?),
            None => Config::discover(&self.cwd)
                .map(|p| Config::load(&p))
                .transpose()?,
        };
        Ok(self.config.get_or_init(|| loaded).as_ref())
    }

    pub(crate) fn require_config(&self) -> Result<&Config> {
        self.config()?
            .ok_or_else(|| ConfigError::NotFound(self.cwd.display().to_string()).into())
    }

    /// The configured policy and its repository-relative path.
    fn policy(&self, name: Option<&str>, archive: &Archive) -> Result<(&PolicyConfig, String)> {
        let config = self.require_config()?;
        let policy = config.policy(name)?;
        let path = archive.repo_path(&self.cwd, &config.policy_file(policy))?;
        Ok((policy, path))
    }

    fn archive(&self) -> Result<Archive> {
        let start = match self.config()? {
            Some(c) if self.explicit_config.is_some() => c.dir.clone(),
            _ => self.cwd.clone(),
        };
        Ok(Archive::discover(&start)?)
    }

    /// Read one version from its spec.
    pub(crate) fn version(&self, spec: &str, policy: Option<&str>) -> Result<Version> {
        match Spec::parse(spec, &self.cwd) {
            Spec::Stdin => Ok(Version {
                spec: spec.into(),
                path: "<stdin>".into(),
                origin: Origin::Stdin,
                text: archive::read_stdin()?,
            }),
            Spec::File(path) => Ok(Version {
                spec: spec.into(),
                path: spec.into(),
                origin: Origin::File,
                text: archive::read_file(&path)?,
            }),
            Spec::RevPath { rev, path } => {
                let archive = self.archive()?;
                let path = match path.strip_prefix("./") {
                    Some(_) => archive.repo_path(&self.cwd, Path::new(&path))?,
                    None => path,
                };
                Ok(archive.read_at(&rev, &path, spec)?)
            }
            Spec::Rev(rev) => {
                let archive = self.archive().map_err(|e| match e {
                    Error::Archive(ArchiveError::NotARepository(_)) => Error::Usage(format!(
                        "'{spec}' is not a file, and this is not a git repository where it could be a revision"
                    )),
                    e => e,
                })?;
                if self.config()?.is_none() {
                    return Err(Error::Usage(format!(
                        "'{spec}' is not a file; as a revision it needs a policy file: add {FILE_NAME} (policydiff init) or write {spec}:PATH"
                    )));
                }
                let (_, path) = self.policy(policy, &archive)?;
                archive.read_at(&rev, &path, spec).map_err(|e| match e {
                    ArchiveError::UnknownRevision { rev, hint } if hint.is_empty() => ArchiveError::UnknownRevision {
                        hint: format!(": '{rev}' is neither an existing file nor a known tag, branch or commit"),
                        rev,
                    }
                    .into(),
                    e => e.into(),
                })
            }
        }
    }

    /// The policy name to record in reports, when the versions came from config.
    pub(crate) fn policy_name(&self, specs: &[&str], policy: Option<&str>) -> Option<String> {
        let config = self.config().ok().flatten()?;
        let named = specs
            .iter()
            .any(|s| matches!(Spec::parse(s, &self.cwd), Spec::Rev(_)));
        (named || policy.is_some())
            .then(|| config.policy(policy).ok().map(|p| p.name.clone()))
            .flatten()
    }

    /// Classification rules from config (none without a config).
    fn rules(&self) -> Result<Rules> {
        match self.config()? {
            Some(config) => Rules::from_config(config).map_err(|e| {
                ConfigError::Invalid {
                    path: config.file.display().to_string(),
                    message: e.to_string(),
                }
                .into()
            }),
            None => Ok(Rules::default()),
        }
    }

    /// Diff options, rules and facts for a command.
    pub(crate) fn comparison(&self, diff: DiffOptions, facts: &FactsArgs) -> Result<Comparison> {
        Ok(Comparison {
            diff,
            classify: true,
            rules: self.rules()?,
            facts: RunFacts {
                impact_high: facts.impact_assessment == Some(ImpactLevel::High),
            },
        })
    }

    fn color_for_stdout(&self) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }
}

/// How to compare: diff tuning, classification rules, per-run facts.
#[derive(Debug, Clone)]
pub struct Comparison {
    /// Diff tuning.
    pub diff: DiffOptions,
    /// Classify the change (off: redline only).
    pub classify: bool,
    /// Config triggers and mapping.
    pub rules: Rules,
    /// Facts stated for this run.
    pub facts: RunFacts,
}

impl Default for Comparison {
    fn default() -> Self {
        Comparison {
            diff: DiffOptions::default(),
            classify: true,
            rules: Rules::default(),
            facts: RunFacts::default(),
        }
    }
}

/// Parse a version in its format.
pub fn parse(version: &Version) -> Document {
    Document::parse(&version.text, Format::from_path(&version.path))
}

/// Compare two loaded versions: parse (both at once), diff, classify, report.
pub fn compare(old: &Version, new: &Version, policy: Option<&str>, how: &Comparison) -> Report {
    // Two documents, two cores: parse them side by side.
    let (old_doc, new_doc) = std::thread::scope(|s| {
        let old_doc = s.spawn(|| parse(old));
        let new_doc = parse(new);
        (
            old_doc
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            new_doc,
        )
    });
    compare_docs((old, &old_doc), (new, &new_doc), policy, how)
}

/// Compare two parsed versions.
pub fn compare_docs(
    old: (&Version, &Document),
    new: (&Version, &Document),
    policy: Option<&str>,
    how: &Comparison,
) -> Report {
    let set = diff::diff(old.1, new.1, &how.diff);
    let verdict = how
        .classify
        .then(|| classify::classify(old.1, new.1, &set, &how.rules, how.facts));
    Report::new(policy, old, new, &set, verdict.as_ref())
}

fn diff_cmd(ctx: &Context, args: DiffArgs) -> Result<()> {
    if args.old == "-" && args.new == "-" {
        return Err(Error::Usage(
            "only one of OLD and NEW can be - (standard input)".into(),
        ));
    }
    let budget = Duration::try_from_secs_f64(args.timeout)
        .ok()
        .filter(|d| !d.is_zero())
        .ok_or_else(|| {
            Error::Usage(format!(
                "--timeout {}: give a positive number of seconds",
                args.timeout
            ))
        })?;
    let policy = args.policy.policy.as_deref();
    let old = ctx.version(&args.old, policy)?;
    let new = ctx.version(&args.new, policy)?;
    let mut how = ctx.comparison(
        DiffOptions {
            budget,
            ..DiffOptions::default()
        },
        &args.facts,
    )?;
    how.classify = !args.no_classify;
    let name = ctx.policy_name(&[&args.old, &args.new], policy);
    let report = compare(&old, &new, name.as_deref(), &how);
    let color =
        args.output.is_none() && args.format == RedlineFormat::Text && ctx.color_for_stdout();
    let text = render::redline(&report, args.format, color);
    emit(text.as_bytes(), args.output.as_deref())
}

fn show(ctx: &Context, args: ShowArgs) -> Result<()> {
    let version = ctx.version(&args.spec, args.policy.policy.as_deref())?;
    // Exactly the bytes, except to a terminal, which must not obey them.
    if std::io::stdout().is_terminal() {
        return write_stdout(crate::terminal::visible_controls(&version.text).as_bytes());
    }
    write_stdout(version.text.as_bytes())
}

fn versions(ctx: &Context, args: VersionsArgs) -> Result<()> {
    let archive = ctx.archive()?;
    let (policy, path) = ctx.policy(args.policy.policy.as_deref(), &archive)?;
    let entries = archive::history(&archive, &path, &policy.name)?;
    let out = match args.format {
        ListFormat::Json => render::json(&entries),
        ListFormat::Text => {
            let mut s = String::new();
            if entries.is_empty() {
                s.push_str(&format!("no committed versions of {path}\n"));
            }
            for e in &entries {
                let release = match (&e.tag, &e.effective) {
                    (Some(t), Some(d)) => format!("  [{t}, effective {d}]"),
                    _ => String::new(),
                };
                s.push_str(&format!(
                    "{}  {}  {}  {}{}\n",
                    &e.commit[..10],
                    &e.date[..e.date.len().min(10)],
                    e.author,
                    e.subject,
                    release
                ));
            }
            // Subjects and authors are anyone's text: never raw to a terminal.
            crate::terminal::visible_controls(&s).into_owned()
        }
    };
    write_stdout(out.as_bytes())
}

fn release(ctx: &Context, args: ReleaseArgs) -> Result<()> {
    let effective = parse_date(&args.effective, "--effective")?;
    let archive = ctx.archive()?;
    let (policy, path) = ctx.policy(args.policy.policy.as_deref(), &archive)?;
    let policy_name = policy.name.clone();
    let probe = ReleaseRequest {
        policy: &policy_name,
        path: &path,
        effective: &effective,
        message: "",
        allow_unchanged: args.allow_unchanged,
    };
    let previous = archive::check_release(&archive, &probe)?;
    let head = archive.read_at("HEAD", &path, "HEAD")?;
    let mut message = format!("{policy_name}: effective {effective}\n\n");
    if let Some(m) = args
        .message
        .as_deref()
        .map(str::trim)
        .filter(|m| !m.is_empty())
    {
        message.push_str(m);
        message.push_str("\n\n");
    }
    let mut trailers = format!("\nPolicy: {policy_name}\nEffective-Date: {effective}\n");
    match &previous {
        Some(prev) => {
            let old = archive.read_at(&prev.tag, &path, &prev.tag)?;
            let how = Comparison {
                rules: ctx.rules()?,
                ..Comparison::default()
            };
            let report = compare(&old, &head, Some(&policy_name), &how);
            message.push_str(&format!(
                "Changes since {}:\n{}\n",
                prev.tag,
                release_summary(&report)
            ));
            // The notice period the config promises for this class of change.
            let notice_date = match &args.notice_date {
                Some(d) => parse_date(d, "--notice-date")?,
                None => today(),
            };
            let class = report
                .classification
                .unwrap_or(classify::Classification::None);
            let needed = match class {
                classify::Classification::Major => {
                    ctx.config()?.map_or(30, |c| c.notice.min_days.major)
                }
                classify::Classification::Minor => {
                    ctx.config()?.map_or(0, |c| c.notice.min_days.minor)
                }
                classify::Classification::None => 0,
            };
            let days = notice::days_between(&notice_date, &effective).unwrap_or(0);
            if needed > 0 && days < i64::from(needed) {
                match args
                    .allow_short_notice
                    .as_deref()
                    .map(str::trim)
                    .filter(|r| !r.is_empty())
                {
                    Some(reason) => trailers.push_str(&format!(
                        "Short-Notice-Reason: {}\n",
                        reason.replace('\n', " ")
                    )),
                    None => {
                        return Err(Error::Usage(format!(
                            "this is a {} change: it needs {needed} days' notice, but {effective} is {days} day(s) after {notice_date} (policydiff.toml [notice.min_days]); to release anyway, give --allow-short-notice \"REASON\"",
                            class.as_str()
                        )));
                    }
                }
            }
            trailers.push_str(&format!("Classification: {}\n", class.as_str()));
            if !report.triggers.is_empty() {
                trailers.push_str(&format!("Triggers: {}\n", report.fired_ids().join(", ")));
            }
            trailers.push_str(&format!("Previous-Release: {}\n", prev.tag));
        }
        None => message.push_str("First release of this policy.\n"),
    }
    message.push_str(&trailers);
    if args.dry_run {
        return write_stdout(message.as_bytes());
    }
    let req = ReleaseRequest {
        message: &message,
        ..probe
    };
    let made = archive::create_release(&archive, &req)?;
    write_stdout(
        format!(
            "created tag {} on {} ({path} effective {effective})\n",
            made.tag,
            &made.commit.to_string()[..10]
        )
        .as_bytes(),
    )
}

/// The summary of changes written into a release tag: counts, then one line per
/// non-editorial change.
fn release_summary(report: &Report) -> String {
    let mut s = render::summary_line(report);
    s.push('\n');
    const MAX: usize = 40;
    let substantive: Vec<_> = report
        .changes
        .iter()
        .filter(|c| c.kind != diff::ChangeKind::Editorial)
        .collect();
    for c in substantive.iter().take(MAX) {
        s.push_str(&format!(
            "- {} {}\n",
            render::kind_word(c.kind).to_lowercase(),
            render::shorten(&c.title(), 100)
        ));
    }
    if substantive.len() > MAX {
        s.push_str(&format!("- … and {} more\n", substantive.len() - MAX));
    }
    s
}

fn triggers(ctx: &Context, args: TriggersArgs) -> Result<()> {
    let policy = args.policy.policy.as_deref();
    let version = match &args.spec {
        Some(spec) => ctx.version(spec, policy)?,
        None => {
            let config = ctx.require_config()?;
            let p = config.policy(policy)?;
            // Inside a repository, the policy file must be in it, as for every
            // other command.
            if let Ok(archive) = ctx.archive() {
                ctx.policy(policy, &archive)?;
            }
            let file = config.policy_file(p);
            Version {
                spec: p.path.clone(),
                path: p.path.clone(),
                origin: Origin::File,
                text: archive::read_file(&file)?,
            }
        }
    };
    let doc = parse(&version);
    let (list, read, warnings) = classify::triggers_for(&doc, &ctx.rules()?);
    let verdict = classify::Verdict {
        classification: classify::Classification::None,
        triggers: list,
        fired: Vec::new(),
        review: Vec::new(),
        list: read,
        warnings,
    };
    let info = crate::report::TriggerListInfo::new(&verdict);
    let out = match args.format {
        ListFormat::Json => render::json(&info),
        ListFormat::Text => render::trigger_list(&info, &verdict.warnings, &version.spec),
    };
    write_stdout(out.as_bytes())
}

/// Today's date, `YYYY-MM-DD` (UTC).
pub(crate) fn today() -> String {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::OffsetDateTime::now_utc()
        .date()
        .format(&format)
        .unwrap_or_default()
}

fn notice(ctx: &Context, args: NoticeArgs) -> Result<()> {
    let kinds: Vec<NoticeKind> = match args.kind {
        KindArg::InApp => vec![NoticeKind::InApp],
        KindArg::Announcement => vec![NoticeKind::Announcement],
        KindArg::Email => vec![NoticeKind::Email],
        KindArg::Changelog => vec![NoticeKind::Changelog],
        KindArg::All => NoticeKind::ALL.to_vec(),
    };
    if args.context && kinds.len() > 1 {
        return Err(Error::Usage(
            "--context prints one context: give --kind in-app, announcement, email or changelog"
                .into(),
        ));
    }
    let recipient = parse_recipient(&args.recipient)?;
    let config = ctx.config()?;
    let templates_dir = config.map(|c| c.dir.join(&c.notice.templates));
    let templates = Templates::new(templates_dir.filter(|d| d.is_dir()));

    // The contexts to render, one per kind.
    let contexts: Vec<NoticeContext> = match &args.from_context {
        Some(file) => {
            let text = crate::input::read_text_limited(file, 16 << 20).map_err(|e| match e {
                crate::input::InputError::Io(source) => Error::Io {
                    path: file.display().to_string(),
                    source,
                },
                e => Error::Usage(format!("{}: {e}", file.display())),
            })?;
            let base: NoticeContext = serde_json::from_str(&text).map_err(|e| {
                Error::Usage(format!("{}: not a notice context: {e}", file.display()))
            })?;
            kinds
                .iter()
                .map(|&kind| NoticeContext {
                    kind,
                    ..base.clone()
                })
                .collect()
        }
        None => {
            let (Some(old_spec), Some(new_spec)) = (&args.old, &args.new) else {
                return Err(Error::Usage(
                    "give OLD and NEW, or --from-context FILE".into(),
                ));
            };
            let policy = args.policy.policy.as_deref();
            let NoticeInput {
                report,
                effective,
                notice_date,
                ..
            } = notice_input(
                ctx,
                (old_spec, new_spec),
                policy,
                &args.facts,
                args.period.effective.as_deref(),
                args.period.notice_date.as_deref(),
            )?;
            let locale = args.locale.clone().unwrap_or_else(|| {
                config
                    .and_then(|c| c.policy(policy).ok())
                    .map(|p| p.locale.clone())
                    .filter(|l| notice::LOCALES.contains(&l.as_str()))
                    .unwrap_or_else(|| "en".into())
            });
            let base_url = config.and_then(|c| c.notice.base_url.clone());
            let contexts: Vec<NoticeContext> = kinds
                .iter()
                .map(|&kind| {
                    NoticeContext::new(
                        &report,
                        &ContextOptions {
                            kind,
                            locale: &locale,
                            effective_date: effective.clone(),
                            notice_date: notice_date.clone(),
                            base_url: base_url.as_deref(),
                        },
                    )
                })
                .collect();
            if let Some(first) = contexts.first() {
                let min_days = config
                    .map(|c| c.notice.min_days.clone())
                    .unwrap_or_default();
                check_notice_period(first, &min_days, args.period.allow_short_notice.as_deref())?;
            }
            contexts
        }
    };
    let contexts: Vec<NoticeContext> = contexts
        .into_iter()
        .map(|mut c| {
            if c.kind == NoticeKind::Email && !recipient.is_empty() {
                c.recipient = Some(recipient.clone());
            }
            c
        })
        .collect();

    if args.context {
        return write_stdout(render::json(&contexts[0]).as_bytes());
    }
    let mut files: Vec<(String, String)> = Vec::new();
    for c in &contexts {
        for &(part, ext) in c.kind.parts() {
            let text = templates.render(part, ext, c)?;
            files.push((format!("{part}.{}.{ext}", c.locale), text));
        }
    }
    match &args.out {
        Some(dir) => {
            let mut listing = String::new();
            for (name, text) in &files {
                write_atomic(&dir.join(name), text.as_bytes())?;
                listing.push_str(&format!("{}\n", dir.join(name).display()));
            }
            write_stdout(listing.as_bytes())
        }
        None if files.len() == 1 => write_stdout(files[0].1.as_bytes()),
        None => {
            let mut out = String::new();
            for (name, text) in &files {
                out.push_str(&format!("==> {name} <==\n{text}"));
                if !text.ends_with('\n') {
                    out.push('\n');
                }
                out.push('\n');
            }
            write_stdout(out.as_bytes())
        }
    }
}

/// What a notice is about: the two versions, their report, and its dates.
pub(crate) struct NoticeInput {
    /// The old version.
    pub old: Version,
    /// The new version.
    pub new: Version,
    /// Their comparison, classified.
    pub report: Report,
    /// `--effective`, validated.
    pub effective: Option<String>,
    /// `--notice-date`, validated, or today.
    pub notice_date: String,
}

/// Load and compare the versions of a notice and check its dates (shared by
/// `notice` and `send`).
pub(crate) fn notice_input(
    ctx: &Context,
    (old_spec, new_spec): (&str, &str),
    policy: Option<&str>,
    facts: &FactsArgs,
    effective: Option<&str>,
    notice_date: Option<&str>,
) -> Result<NoticeInput> {
    let old = ctx.version(old_spec, policy)?;
    let new = ctx.version(new_spec, policy)?;
    let how = ctx.comparison(DiffOptions::default(), facts)?;
    let name = ctx.policy_name(&[old_spec, new_spec], policy);
    let report = compare(&old, &new, name.as_deref(), &how);
    let effective = effective
        .map(|d| parse_date(d, "--effective"))
        .transpose()?;
    let notice_date = match notice_date {
        Some(d) => parse_date(d, "--notice-date")?,
        None => today(),
    };
    Ok(NoticeInput {
        old,
        new,
        report,
        effective,
        notice_date,
    })
}

/// `KEY=VALUE` pairs into a recipient's fields.
fn parse_recipient(pairs: &[String]) -> Result<std::collections::BTreeMap<String, String>> {
    let mut fields = std::collections::BTreeMap::new();
    for p in pairs {
        let (k, v) = p
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| {
                Error::Usage(format!("--recipient {p:?}: write KEY=VALUE, e.g. name=Ana"))
            })?;
        fields.insert(k.trim().to_owned(), v.to_owned());
    }
    Ok(fields)
}

/// Refuse an effective date too soon for the class of change, unless a
/// reason is given (it is then recorded where the caller records things).
pub(crate) fn check_notice_period(
    c: &NoticeContext,
    min: &crate::config::MinDays,
    reason: Option<&str>,
) -> Result<()> {
    let needed = match c.classification.as_str() {
        "major" => min.major,
        "minor" => min.minor,
        _ => 0,
    };
    if needed == 0 {
        return Ok(());
    }
    let short = match c.notice_days {
        Some(days) if days >= i64::from(needed) => return Ok(()),
        Some(days) => format!(
            "a {} change needs {needed} days' notice, but {} is {days} day(s) after the notice date {}",
            c.classification,
            c.effective_date.as_deref().unwrap_or("?"),
            c.notice_date
        ),
        None => format!(
            "a {} change needs {needed} days' notice, and the new version has no effective date: give --effective YYYY-MM-DD",
            c.classification
        ),
    };
    match reason.map(str::trim) {
        Some(r) if !r.is_empty() => Ok(()),
        _ => Err(Error::Usage(format!(
            "{short} (policydiff.toml [notice.min_days]); to go ahead anyway, give --allow-short-notice \"REASON\""
        ))),
    }
}

/// Every release of a policy, oldest first, each compared with the one before.
fn released(
    ctx: &Context,
    archive: &Archive,
    policy: &PolicyConfig,
    path: &str,
) -> Result<Vec<SiteRelease>> {
    let releases = archive::releases(archive, &policy.name)?;
    if releases.is_empty() {
        return Err(Error::Usage(format!(
            "{} has no releases yet: tag one with `policydiff release --effective YYYY-MM-DD`",
            policy.name
        )));
    }
    let how = Comparison {
        rules: ctx.rules()?,
        ..Comparison::default()
    };
    let tags = archive.tags_by_commit()?;
    let progress = if std::io::stderr().is_terminal() {
        indicatif::ProgressBar::new(releases.len() as u64).with_style(
            indicatif::ProgressStyle::with_template(
                "{spinner} {pos}/{len} releases {wide_bar} {eta}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
        )
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut cache = BlockCache::default();
    let mut previous: Option<(Version, Document)> = None;
    let mut out = Vec::with_capacity(releases.len());
    for r in &releases {
        let version = archive.read_at_tagged(&r.tag, path, &r.tag, &tags)?;
        let doc =
            Document::parse_cached(&version.text, Format::from_path(&version.path), &mut cache);
        let report = previous
            .as_ref()
            .map(|(pv, pd)| compare_docs((pv, pd), (&version, &doc), Some(&policy.name), &how));
        let date = match &version.origin {
            Origin::Git { date, .. } => date.clone(),
            _ => String::new(),
        };
        out.push(SiteRelease {
            tag: r.tag.clone(),
            effective: r.effective.clone(),
            date,
            text: version.text.clone(),
            plain: Format::from_path(path) == Format::Text,
            report,
        });
        previous = Some((version, doc));
        progress.inc(1);
    }
    progress.finish_and_clear();
    Ok(out)
}

fn site(ctx: &Context, args: SiteArgs) -> Result<()> {
    let archive = ctx.archive()?;
    let (policy, path) = ctx.policy(args.policy.policy.as_deref(), &archive)?;
    let config = ctx.require_config()?;
    let base_url = args
        .base_url
        .clone()
        .or_else(|| config.notice.base_url.clone());
    let releases = released(ctx, &archive, policy, &path)?;
    let title = policy
        .title
        .clone()
        .or_else(|| {
            parse(&Version {
                spec: String::new(),
                path: path.clone(),
                origin: Origin::File,
                text: releases[releases.len() - 1].text.clone(),
            })
            .title()
            .map(str::to_owned)
        })
        .unwrap_or_else(|| policy.name.clone());
    let info = SiteInfo {
        title: &title,
        lang: &policy.locale,
        base_url: base_url.as_deref(),
        name: &policy.name,
    };
    let files = render::site::build(&info, &releases);
    let protected = output::Protected {
        dirs: vec![archive.workdir()?.to_path_buf(), config.dir.clone()],
        files: config
            .policies
            .iter()
            .map(|p| config.policy_file(p))
            .collect(),
    };
    output::write_tree(&args.out, &files, &protected)?;
    write_stdout(
        format!(
            "wrote {} files for {} releases to {}\n",
            files.len(),
            releases.len(),
            args.out.display()
        )
        .as_bytes(),
    )
}

fn history_cmd(ctx: &Context, args: HistoryArgs) -> Result<()> {
    let archive = ctx.archive()?;
    let (policy, path) = ctx.policy(args.policy.policy.as_deref(), &archive)?;
    let config = ctx.require_config()?;
    let releases = released(ctx, &archive, policy, &path)?;
    let md = render::site::history(
        policy.title.as_deref().unwrap_or(&policy.name),
        &policy.locale,
        &releases,
    );
    if args.stdout {
        return write_stdout(md.as_bytes());
    }
    let file = config.policy_file(policy);
    let stem = file
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or(&policy.name)
        .to_owned();
    let target = file.with_file_name(format!("{stem}.history.md"));
    write_atomic(&target, md.as_bytes())?;
    write_stdout(format!("wrote {}\n", target.display()).as_bytes())
}

/// The JSON of `check`: the overall result and one Report per policy.
#[derive(Debug, serde::Serialize)]
struct CheckResult {
    schema_version: u32,
    classification: classify::Classification,
    fail_on: classify::Classification,
    failed: bool,
    reports: Vec<Report>,
}

fn check(ctx: &Context, args: CheckArgs) -> Result<()> {
    let config = ctx.require_config()?;
    let archive = ctx.archive()?;
    let names: Vec<String> = match &args.policy.policy {
        Some(n) => vec![config.policy(Some(n))?.name.clone()],
        None => config.policies.iter().map(|p| p.name.clone()).collect(),
    };
    let how = ctx.comparison(DiffOptions::default(), &args.facts)?;
    let mut reports = Vec::new();
    for name in &names {
        let (policy, path) = ctx.policy(Some(name), &archive)?;
        let base_rev = match &args.base {
            Some(rev) => rev.clone(),
            None => archive::latest_release(&archive, &policy.name)?
                .map_or_else(|| "HEAD".to_owned(), |r| r.tag),
        };
        let old = archive.read_at(&base_rev, &path, &base_rev)?;
        let new = match &args.head {
            Some(rev) => archive.read_at(rev, &path, rev)?,
            None => Version {
                spec: path.clone(),
                path: path.clone(),
                origin: Origin::File,
                text: archive::read_file(&config.policy_file(policy))?,
            },
        };
        reports.push(compare(&old, &new, Some(&policy.name), &how));
    }
    let worst = reports
        .iter()
        .filter_map(|r| r.classification)
        .max()
        .unwrap_or(classify::Classification::None);
    let failed = worst >= args.fail_on && worst > classify::Classification::None;
    let color = args.output.is_none() && args.format == CheckFormat::Text && ctx.color_for_stdout();
    let out = match args.format {
        CheckFormat::Json => render::json(&CheckResult {
            schema_version: crate::report::SCHEMA_VERSION,
            classification: worst,
            fail_on: args.fail_on,
            failed,
            reports,
        }),
        CheckFormat::Markdown => render::check_markdown(&reports, worst, args.fail_on, failed),
        CheckFormat::Text => reports
            .iter()
            .map(|r| render::redline(r, RedlineFormat::Text, color))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    emit(out.as_bytes(), args.output.as_deref())?;
    if failed {
        return Err(Error::CheckFailed(format!(
            "the change is {} (--fail-on {})",
            worst.as_str(),
            args.fail_on.as_str()
        )));
    }
    Ok(())
}

/// `log`: every change in the policy's history, newest first.
///
/// A pipeline in output order: this thread reads and parses the versions from
/// the newest back (each reuses the parsed blocks of the one before); two
/// workers compare the pairs; a printer writes each result as soon as the
/// ones before it are out. Every queue is bounded, so memory stays flat
/// however long the history. A version that cannot be read (an empty or
/// binary capture) is shown in its place and skipped: the version after it is
/// compared with the last readable one before it.
fn log(ctx: &Context, args: LogArgs) -> Result<()> {
    let since = args
        .since
        .as_deref()
        .map(|d| parse_date(d, "--since"))
        .transpose()?;
    let archive = ctx.archive()?;
    let (policy, path) = ctx.policy(args.policy.policy.as_deref(), &archive)?;
    let policy_name = policy.name.clone();
    let how = Comparison {
        rules: ctx.rules()?,
        ..Comparison::default()
    };
    let entries = archive::history(&archive, &path, &policy_name)?;
    // Entries [0, shown) get a line (newest first); older ones serve only as
    // the base of the oldest shown change. Oldest first, the first change
    // shown is the first whose new side is on or after --since.
    let n = entries.len();
    let first_kept = match &since {
        Some(d) => (0..n)
            .rev()
            .position(|i| entries[i].date.as_str() >= d.as_str())
            .unwrap_or(n),
        None => 0,
    };
    let shown = n - first_kept;
    let json = args.format == ListFormat::Json;
    let tags = archive.tags_by_commit()?;

    let step_line = |r: &Report, e: &archive::HistoryEntry| -> String {
        let fired = r.fired_ids().join(", ");
        let class = r
            .classification
            .map_or("-", classify::Classification::as_str);
        history_line(e, class, &fired)
    };
    let render_step = |k: usize, old: &(Version, Document), new: &(Version, Document)| -> String {
        let report = compare_docs((&old.0, &old.1), (&new.0, &new.1), Some(&policy_name), &how);
        if json {
            serde_json::to_string_pretty(&report).unwrap_or_default()
        } else {
            step_line(&report, &entries[k])
        }
    };

    type Pair = Arc<(Version, Document)>;
    let (job_tx, job_rx) = std::sync::mpsc::sync_channel::<(usize, Pair, Pair)>(16);
    let job_rx = std::sync::Mutex::new(job_rx);
    let (done_tx, done_rx) = std::sync::mpsc::sync_channel::<(usize, Option<String>)>(16);
    let mut unreadable = 0usize;
    // Set when standard output is gone (`| head`): everyone stops.
    let closed = std::sync::atomic::AtomicBool::new(false);
    let printed = std::thread::scope(|s| -> Result<()> {
        for _ in 0..2 {
            let done_tx = done_tx.clone();
            let (job_rx, render_step, closed) = (&job_rx, &render_step, &closed);
            s.spawn(move || {
                loop {
                    let job = job_rx.lock().map(|rx| rx.recv());
                    let Ok(Ok((k, old, new))) = job else { break };
                    if closed.load(Ordering::Relaxed) {
                        continue; // drain, so the reader is never stuck on a full queue
                    }
                    let _ = done_tx.send((k, Some(render_step(k, &old, &new))));
                }
            });
        }
        // The printer: results in index order, each as soon as it can go.
        let closed = &closed;
        let printer = s.spawn(move || -> Result<()> {
            use std::io::Write;
            let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
            let mut waiting = std::collections::BTreeMap::new();
            let (mut next, mut count) = (0usize, 0usize);
            let mut written = Ok(());
            for (k, text) in done_rx.iter() {
                waiting.insert(k, text);
                while let Some(text) = waiting.remove(&next) {
                    next += 1;
                    let Some(text) = text else { continue };
                    if json {
                        let sep: &[u8] = if count == 0 { b"[\n" } else { b",\n" };
                        written = written.and_then(|()| out.write_all(sep));
                    }
                    count += 1;
                    written = written.and_then(|()| out.write_all(text.as_bytes()));
                }
                if written.is_err() {
                    closed.store(true, Ordering::Relaxed);
                    break;
                }
            }
            if json {
                let end: &[u8] = if count == 0 { b"[]\n" } else { b"\n]\n" };
                written = written.and_then(|()| out.write_all(end));
            }
            match written.and_then(|()| out.flush()) {
                Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
                r => r.map_err(|source| Error::Io {
                    path: "<stdout>".into(),
                    source,
                }),
            }
        });
        // The newer side of the next change, waiting for its older side.
        let mut pending: Option<(usize, Pair)> = None;
        let mut cache = BlockCache::default();
        let produced = (|| -> Result<()> {
            for (k, e) in entries.iter().enumerate() {
                if closed.load(Ordering::Relaxed) {
                    break;
                }
                let version = match archive.read_entry(e, &path, &tags) {
                    Ok(v) => v,
                    Err(ArchiveError::BadInput { reason, .. }) => {
                        if k < shown {
                            unreadable += 1;
                            let why = reason.split(':').next().unwrap_or(&reason).to_owned();
                            let line =
                                (!json).then(|| history_line(e, &format!("unreadable: {why}"), ""));
                            if done_tx.send((k, line)).is_err() {
                                break;
                            }
                        }
                        continue;
                    }
                    Err(e) => return Err(e.into()),
                };
                let doc = Document::parse_cached(
                    &version.text,
                    Format::from_path(&version.path),
                    &mut cache,
                );
                let current = Arc::new((version, doc));
                if let Some((j, newer)) = pending.take()
                    && job_tx.send((j, Arc::clone(&current), newer)).is_err()
                {
                    // Every worker is gone: the printer says why.
                    break;
                }
                if k >= shown {
                    break; // the base of the oldest change shown
                }
                pending = Some((k, current));
            }
            // The oldest readable version, with nothing before it.
            if let Some((j, _)) = pending.take() {
                let line =
                    (first_kept == 0 && !json).then(|| history_line(&entries[j], "first", ""));
                let _ = done_tx.send((j, line));
            }
            Ok(())
        })();
        drop(job_tx);
        drop(done_tx);
        let printed = printer
            .join()
            .unwrap_or_else(|e| std::panic::resume_unwind(e));
        produced.and(printed)
    });
    printed?;
    if unreadable > 0 {
        let message = format!(
            "{unreadable} version(s) of {path} could not be read (empty or not text) and were skipped; each change after one is compared with the last readable version"
        );
        if args.strict {
            return Err(Error::Usage(message));
        }
        eprintln!("policydiff: warning: {message} (--strict makes this an error)");
    }
    Ok(())
}

/// One line of `log` text: date, commit, class, subject, fired triggers, tag.
fn history_line(e: &archive::HistoryEntry, class: &str, fired: &str) -> String {
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

fn init(ctx: &Context, args: InitArgs) -> Result<()> {
    let config_path = ctx.cwd.join(FILE_NAME);
    if config_path.exists() && !args.force {
        return Err(Error::Usage(format!(
            "{} already exists (use --force to overwrite)",
            config_path.display()
        )));
    }
    let (name, rel_path) = match &args.import {
        Some(file) => {
            let text = archive::read_file(&ctx.cwd.join(file))?;
            let stem = file
                .file_stem()
                .and_then(|s| s.to_str())
                .unwrap_or("privacy-policy");
            let name = args.name.clone().unwrap_or_else(|| slug(stem));
            let ext = file.extension().and_then(|e| e.to_str()).unwrap_or("md");
            let rel = format!("policies/{name}.{ext}");
            let dest = ctx.cwd.join(&rel);
            if dest.exists() && !args.force {
                return Err(Error::Usage(format!(
                    "{} already exists (use --force to overwrite)",
                    dest.display()
                )));
            }
            write_atomic(&dest, text.as_bytes())?;
            (name, rel)
        }
        None => {
            let name = args.name.clone().unwrap_or_else(|| "privacy-policy".into());
            let rel = format!("policies/{name}.md");
            (name, rel)
        }
    };
    let policy = PolicyConfig {
        name,
        path: rel_path.clone(),
        title: args.title.clone(),
        locale: args.locale.clone(),
    };
    let text = Config::template(&policy);
    // Validate what we are about to write with the same rules as loading.
    Config::parse(&text, &config_path)?;
    write_atomic(&config_path, text.as_bytes())?;
    let mut msg = format!("wrote {}\n", config_path.display());
    // The journal key must never be committed beside the journals it unlocks.
    let ignore = ctx.cwd.join(".gitignore");
    let ignored = std::fs::read_to_string(&ignore).unwrap_or_default();
    let key = crate::deliver::journal::KEY_FILE_NAME;
    if !ignored
        .lines()
        .any(|l| l.trim() == key || l.trim() == format!("/{key}"))
    {
        let mut text = ignored.clone();
        if !text.is_empty() && !text.ends_with('\n') {
            text.push('\n');
        }
        text.push_str(&format!(
            "# policydiff send's journal key: keep it out of git (see README, journal)\n/{key}\n"
        ));
        write_atomic(&ignore, text.as_bytes())?;
        msg.push_str(&format!("added /{key} to {}\n", ignore.display()));
    }
    if args.import.is_some() {
        msg.push_str(&format!("imported policy to {rel_path}: commit both, then `policydiff release --effective YYYY-MM-DD`\n"));
    } else if !ctx.cwd.join(&rel_path).exists() {
        msg.push_str(&format!(
            "note: {rel_path} does not exist yet: put the policy there or run init --import FILE\n"
        ));
    }
    if Archive::discover(&ctx.cwd).is_err() {
        msg.push_str(
            "note: this directory is not in a git repository; run `git init` to keep versions\n",
        );
    }
    write_stdout(msg.as_bytes())
}

fn man(out: Option<PathBuf>) -> Result<()> {
    let cmd = Cli::command();
    match out {
        None => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut buf)
                .map_err(|source| Error::Io {
                    path: "<stdout>".into(),
                    source,
                })?;
            write_stdout(&buf)
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
                path: dir.display().to_string(),
                source,
            })?;
            clap_mangen::generate_to(cmd, &dir).map_err(|source| Error::Io {
                path: dir.display().to_string(),
                source,
            })
        }
    }
}

/// `a Name.txt` → `a-name`.
fn slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    let out = out.trim_end_matches('-').to_owned();
    if out.is_empty() { "policy".into() } else { out }
}

/// Validate a `YYYY-MM-DD` date; the error names the flag.
pub(crate) fn parse_date(s: &str, flag: &str) -> Result<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &format)
        .map(|d| d.format(&format).unwrap_or_else(|_| s.to_owned()))
        .map_err(|e| {
            Error::Usage(format!(
                "{flag} {s:?} is not a date of the form YYYY-MM-DD ({e})"
            ))
        })
}
