//! The commands: each turns parsed arguments into pipeline calls and output.

use std::cell::OnceCell;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use clap::CommandFactory;

use crate::archive::{self, Archive, ArchiveError, Origin, ReleaseRequest, Spec, Version};
use crate::cli::{
    Cli, ColorChoice, Command, DiffArgs, InitArgs, ListFormat, ReleaseArgs, ShowArgs, VersionsArgs,
};
use crate::config::{Config, ConfigError, FILE_NAME, PolicyConfig};
use crate::diff::{self, DiffOptions};
use crate::document::{Document, Format};
use crate::error::{Error, Result};
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
struct Context {
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

    fn require_config(&self) -> Result<&Config> {
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
    fn version(&self, spec: &str, policy: Option<&str>) -> Result<Version> {
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
    fn policy_name(&self, specs: &[&str], policy: Option<&str>) -> Option<String> {
        let config = self.config().ok().flatten()?;
        let named = specs
            .iter()
            .any(|s| matches!(Spec::parse(s, &self.cwd), Spec::Rev(_)));
        (named || policy.is_some())
            .then(|| config.policy(policy).ok().map(|p| p.name.clone()))
            .flatten()
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

/// Compare two loaded versions.
pub fn compare(
    old: &Version,
    new: &Version,
    policy: Option<&str>,
    options: &DiffOptions,
) -> Report {
    // Two documents, two cores: parse them side by side.
    let (old_doc, new_doc) = std::thread::scope(|s| {
        let old_doc = s.spawn(|| Document::parse(&old.text, Format::from_path(&old.path)));
        let new_doc = Document::parse(&new.text, Format::from_path(&new.path));
        (
            old_doc
                .join()
                .unwrap_or_else(|e| std::panic::resume_unwind(e)),
            new_doc,
        )
    });
    let set = diff::diff(&old_doc, &new_doc, options);
    Report::new(policy, (old, &old_doc), (new, &new_doc), &set)
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
    let options = DiffOptions {
        budget,
        ..DiffOptions::default()
    };
    let name = ctx.policy_name(&[&args.old, &args.new], policy);
    let report = compare(&old, &new, name.as_deref(), &options);
    let color =
        args.output.is_none() && args.format == RedlineFormat::Text && ctx.color_for_stdout();
    let text = render::redline(&report, args.format, color);
    emit(text.as_bytes(), args.output.as_deref())
}

fn show(ctx: &Context, args: ShowArgs) -> Result<()> {
    let version = ctx.version(&args.spec, args.policy.policy.as_deref())?;
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
            s
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
    match &previous {
        Some(prev) => {
            let old = archive.read_at(&prev.tag, &path, &prev.tag)?;
            let report = compare(&old, &head, Some(&policy_name), &DiffOptions::default());
            message.push_str(&format!(
                "Changes since {}:\n{}\n",
                prev.tag,
                release_summary(&report)
            ));
        }
        None => message.push_str("First release of this policy.\n"),
    }
    message.push_str(&format!(
        "\nPolicy: {policy_name}\nEffective-Date: {effective}\n"
    ));
    if let Some(prev) = &previous {
        message.push_str(&format!("Previous-Release: {}\n", prev.tag));
    }
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
fn parse_date(s: &str, flag: &str) -> Result<String> {
    let format = time::macros::format_description!("[year]-[month]-[day]");
    time::Date::parse(s, &format)
        .map(|d| d.format(&format).unwrap_or_else(|_| s.to_owned()))
        .map_err(|e| {
            Error::Usage(format!(
                "{flag} {s:?} is not a date of the form YYYY-MM-DD ({e})"
            ))
        })
}

/// Write to a file or to standard output.
fn emit(bytes: &[u8], path: Option<&Path>) -> Result<()> {
    match path {
        Some(p) => write_atomic(p, bytes),
        None => write_stdout(bytes),
    }
}

/// Write standard output; a closed pipe (`| head`) ends quietly.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        r => r.map_err(|source| Error::Io {
            path: "<stdout>".into(),
            source,
        }),
    }
}

/// Write a file all or nothing: a temporary file in the same directory, synced,
/// then renamed over the target.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source| Error::Io {
        path: path.display().to_string(),
        source,
    };
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&dir).map_err(io)?;
    // Mode 0666 before the umask, like any new file (tempfile's default is 0600);
    // an existing file keeps its own mode.
    let mut builder = tempfile::Builder::new();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        builder.permissions(std::fs::Permissions::from_mode(0o666));
    }
    let mut tmp = builder.tempfile_in(&dir).map_err(io)?;
    if let Ok(meta) = std::fs::metadata(path) {
        tmp.as_file()
            .set_permissions(meta.permissions())
            .map_err(io)?;
    }
    tmp.write_all(bytes).map_err(io)?;
    tmp.as_file().sync_all().map_err(io)?;
    tmp.persist(path).map_err(|e| io(e.error))?;
    Ok(())
}
