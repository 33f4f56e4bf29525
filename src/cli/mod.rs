//! Command-line interface (clap derive): commands and global options. clap
//! stays in this layer: its value enums (`values`) convert into the core's
//! own types.

mod values;

pub use values::{FailOnArg, FormatArg, LocaleArg};

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// Archive, redline, classify and announce privacy-policy versions kept in git.
#[derive(Debug, Parser)]
#[command(name = "policydiff", version, about, long_about = None, propagate_version = true)]
pub struct Cli {
    /// Configuration file (default: policydiff.toml found from the current directory upward).
    #[arg(long, global = true, env = "POLICYDIFF_CONFIG", value_name = "FILE")]
    pub config: Option<PathBuf>,

    /// When to colour terminal output (NO_COLOR is honoured by `auto`).
    #[arg(long, global = true, value_enum, default_value_t = ColorChoice::Auto)]
    pub color: ColorChoice,

    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// When to use colour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorChoice {
    /// Colour when writing to a terminal and NO_COLOR is unset.
    Auto,
    /// Always colour.
    Always,
    /// Never colour.
    Never,
}

/// The commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Redline two versions clause by clause and word by word.
    ///
    /// A VERSION is a path to a file; REV:PATH (a file at a git revision; PATH
    /// from the repository root, or ./PATH from the current directory); a bare
    /// REV (tag, branch, commit, HEAD~2) meaning the configured policy file at
    /// that revision; or - for standard input.
    Diff(DiffArgs),
    /// Print one version of the policy.
    Show(ShowArgs),
    /// Show the list of major-change triggers as read from a version of the policy.
    Triggers(TriggersArgs),
    /// Render user notices (in-app, announcement, email, changelog) from templates.
    Notice(NoticeArgs),
    /// Build the public archive of released versions: a static site with redlines and an Atom feed.
    Site(SiteArgs),
    /// Regenerate the policy's change history file (`<policy>.history.md`) from its releases.
    History(HistoryArgs),
    /// Send the update email to every recipient of a list, resumably, with a journal as proof.
    Send(SendArgs),
    /// Proof of notification per recipient, from one or more send journals.
    Receipts(ReceiptsArgs),
    /// Classify the working-tree policy against a base (for CI); exit 1 at --fail-on.
    Check(CheckArgs),
    /// Every change in the policy's history, newest first, with its classification.
    Log(LogArgs),
    /// List every version of the policy in git history, newest first.
    Versions(VersionsArgs),
    /// Tag HEAD as a release of the policy with its effective date.
    Release(ReleaseArgs),
    /// Write a policydiff.toml for this repository.
    Init(InitArgs),
    /// Is the published web page the released text? Exit 0 when it differs
    /// only editorially, 1 (with the redline) when it says something else.
    Verify(VerifyArgs),
    /// Convert a web page (.html, .htm) into the project's Markdown.
    Import(ImportArgs),
    /// Print a shell completion script.
    Completions {
        /// The shell.
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff), or write one page per command into a directory.
    Man {
        /// Directory to write policydiff.1 and policydiff-COMMAND.1 into.
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
}

/// Which configured policy.
#[derive(Debug, Args)]
pub struct PolicyArg {
    /// Policy name from policydiff.toml (default: the first one).
    #[arg(long, short = 'p', value_name = "NAME")]
    pub policy: Option<String>,
}

/// Arguments of `diff`.
#[derive(Debug, Args)]
pub struct DiffArgs {
    /// The old version.
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The new version.
    #[arg(value_name = "NEW")]
    pub new: String,
    /// Which configured policy.
    #[command(flatten)]
    pub policy: PolicyArg,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = FormatArg::Text)]
    pub format: FormatArg,
    /// Write to FILE instead of standard output (atomically: all or nothing).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Time budget for aligning clauses, in seconds; past it the diff is coarser and says so.
    #[arg(long, value_name = "SECONDS", default_value_t = 3.0)]
    pub timeout: f64,
    /// Redline only: do not classify (the Report's classification is null).
    #[arg(long)]
    pub no_classify: bool,
    /// How the human redline is cut down.
    #[command(flatten)]
    pub redline: RedlineArgs,
    /// Facts known outside the text.
    #[command(flatten)]
    pub facts: FactsArgs,
}

/// Facts known outside the policy text.
#[derive(Debug, Args)]
pub struct FactsArgs {
    /// Result of this release's personal information security impact
    /// assessment; `high` fires the high-risk trigger.
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub impact_assessment: Option<ImpactLevel>,
}

/// Result of a security impact assessment.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ImpactLevel {
    /// High risk: a major change by the policy's own terms.
    High,
    /// Medium risk.
    Medium,
    /// Low risk.
    Low,
}

/// Arguments of `triggers`.
#[derive(Debug, Args)]
pub struct TriggersArgs {
    /// The version to read (default: the configured policy file in the working tree).
    #[arg(value_name = "VERSION")]
    pub spec: Option<String>,
    /// Which configured policy.
    #[command(flatten)]
    pub policy: PolicyArg,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// Arguments of `send`.
#[derive(Debug, Args)]
pub struct SendArgs {
    /// The old version (what users agreed to).
    #[arg(value_name = "OLD")]
    pub old: String,
    /// The new version.
    #[arg(value_name = "NEW")]
    pub new: String,
    /// Which configured policy.
    #[command(flatten)]
    pub policy: PolicyArg,
    /// Recipient list: CSV with a header row (`email` required) or JSON Lines.
    #[arg(long, value_name = "FILE")]
    pub recipients: PathBuf,
    /// Where mail goes: file:DIR (default file:outbox), smtp://[USER@]HOST:PORT (STARTTLS required) or smtps://[USER@]HOST:PORT.
    #[arg(long, value_name = "SPEC", default_value = "file:outbox")]
    pub transport: String,
    /// Allow smtp:// without TLS (only for a server on localhost).
    #[arg(long)]
    pub insecure: bool,
    /// Extra CA certificate (PEM) to trust for the SMTP server.
    #[arg(long, value_name = "FILE")]
    pub tls_ca: Option<PathBuf>,
    /// File holding the SMTP password (else POLICYDIFF_SMTP_PASSWORD).
    #[arg(long, value_name = "FILE")]
    pub password_file: Option<PathBuf>,
    /// At most N messages per second (`N` or `N/s`).
    #[arg(long, value_name = "N/s")]
    pub rate: Option<String>,
    /// Parallel SMTP connections.
    #[arg(long, value_name = "N", default_value_t = 4)]
    pub connections: usize,
    /// Journal file (default: journals/<policy>-<notice>[-K-of-N].jsonl).
    #[arg(long, value_name = "FILE")]
    pub journal: Option<PathBuf>,
    /// Check the list and render, but send nothing and write no journal.
    #[arg(long)]
    pub dry_run: bool,
    /// Send only shard K of N (1-based), e.g. 2/4: deterministic by address.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<String>,
    /// Refuse to send anything when any row is invalid.
    #[arg(long)]
    pub strict: bool,
    /// Do not resend recipients whose earlier attempt has no outcome
    /// (at-most-once); they are reported as in doubt.
    #[arg(long, overrides_with = "resend_in_doubt")]
    pub no_resend_in_doubt: bool,
    /// Resend recipients whose earlier attempt has no outcome (the default;
    /// the last of the two flags wins), e.g. after checking that the
    /// in-doubt ones of a `--no-resend-in-doubt` run did not get it.
    #[arg(long, overrides_with = "no_resend_in_doubt")]
    pub resend_in_doubt: bool,
    /// Seconds to wait for each SMTP reply.
    #[arg(long, value_name = "SECONDS", default_value_t = 30, value_parser = clap::value_parser!(u64).range(1..=600))]
    pub timeout: u64,
    /// First retry delay in milliseconds (doubled each attempt, with jitter).
    #[arg(long, value_name = "MS", default_value_t = 1000)]
    pub retry_delay_ms: u64,
    /// Language for recipients without a `locale` (default: the policy's).
    #[arg(long, value_enum)]
    pub locale: Option<LocaleArg>,
    /// Effective date, notice date and notice period.
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Facts known outside the text.
    #[command(flatten)]
    pub facts: FactsArgs,
}

/// Output formats of `receipts`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReceiptFormat {
    /// CSV with a header row.
    Csv,
    /// A JSON list.
    Json,
}

/// Arguments of `receipts`.
#[derive(Debug, Args)]
pub struct ReceiptsArgs {
    /// Journal(s) of a notice (several for shards): `--journal a.jsonl
    /// b.jsonl` or `--journal journals/*.jsonl`; a file given twice counts once.
    #[arg(long, value_name = "FILE", required = true, num_args = 1..)]
    pub journal: Vec<PathBuf>,
    /// Join the addresses back in from this recipient list.
    #[arg(long, value_name = "FILE")]
    pub recipients: Option<PathBuf>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ReceiptFormat::Csv)]
    pub format: ReceiptFormat,
}

/// Arguments of `site`.
#[derive(Debug, Args)]
pub struct SiteArgs {
    /// Which configured policy.
    #[command(flatten)]
    pub policy: PolicyArg,
    /// Directory to write the site into (replaced as a whole when done).
    #[arg(long, value_name = "DIR")]
    pub out: PathBuf,
    /// Public URL the site is served from (for absolute links in the feed;
    /// default: `[notice] base_url`).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
}

/// Arguments of `history`.
#[derive(Debug, Args)]
pub struct HistoryArgs {
    /// Which configured policy.
    #[command(flatten)]
    pub policy: PolicyArg,
    /// Print the history instead of writing the file.
    #[arg(long)]
    pub stdout: bool,
}

/// When a notice goes out and when the new version takes effect.
#[derive(Debug, Args)]
pub struct PeriodArgs {
    /// Date the new version takes effect (default: its front matter `effective`).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub effective: Option<String>,
    /// Date the notice goes out (default: today).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub notice_date: Option<String>,
    /// Accept an effective date sooner than the notice period, for this reason.
    #[arg(long, value_name = "REASON")]
    pub allow_short_notice: Option<String>,
}

/// How the human redline formats are cut down (shared by `diff` and `check`).
#[derive(Debug, Args)]
pub struct RedlineArgs {
    /// Leave editorial changes (spacing, case, renumbering …) out of the text,
    /// Markdown and HTML redlines, saying how many were left out; JSON keeps them.
    #[arg(long)]
    pub hide_editorial: bool,
    /// Markdown only: the most characters the comment may have (GitHub
    /// rejects comments above 65,536); changes past it are counted and
    /// summarised, with a pointer to the full HTML redline.
    #[arg(long, value_name = "N", default_value_t = 60_000)]
    pub max_chars: usize,
    /// Markdown only: where the full HTML redline is (e.g. the workflow run
    /// whose artifact holds it), linked when the comment is cut.
    #[arg(long, value_name = "URL")]
    pub redline_url: Option<String>,
}

/// Which notices to render.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KindArg {
    /// Short text for an in-app banner.
    InApp,
    /// Website announcement page.
    Announcement,
    /// Update email: subject, text, HTML.
    Email,
    /// Changelog entry (Markdown).
    Changelog,
    /// Every kind.
    All,
}

impl KindArg {
    /// The notices this choice renders.
    pub fn kinds(self) -> Vec<crate::render::notice::NoticeKind> {
        use crate::render::notice::NoticeKind;
        match self {
            KindArg::InApp => vec![NoticeKind::InApp],
            KindArg::Announcement => vec![NoticeKind::Announcement],
            KindArg::Email => vec![NoticeKind::Email],
            KindArg::Changelog => vec![NoticeKind::Changelog],
            KindArg::All => NoticeKind::ALL.to_vec(),
        }
    }
}

/// Arguments of `notice`.
#[derive(Debug, Args)]
pub struct NoticeArgs {
    /// The old version (what users agreed to).
    #[arg(value_name = "OLD", required_unless_present = "from_context")]
    pub old: Option<String>,
    /// The new version.
    #[arg(value_name = "NEW", required_unless_present = "from_context")]
    pub new: Option<String>,
    /// Which configured policy.
    #[command(flatten)]
    pub policy: PolicyArg,
    /// Which notice.
    #[arg(long, value_enum, default_value_t = KindArg::All)]
    pub kind: KindArg,
    /// Language of the notice (default: the policy's locale).
    #[arg(long, value_enum)]
    pub locale: Option<LocaleArg>,
    /// Effective date, notice date and notice period.
    #[command(flatten)]
    pub period: PeriodArgs,
    /// Write each notice into DIR (`email.en.html` …) instead of standard output.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Print the template context as JSON instead of rendering (needs one --kind).
    #[arg(long, conflicts_with = "from_context")]
    pub context: bool,
    /// Render from a context JSON file (as printed by --context).
    #[arg(long, value_name = "FILE")]
    pub from_context: Option<PathBuf>,
    /// A recipient field for previewing emails (`name=Ana`, `email=a@example.com`).
    #[arg(long = "recipient", value_name = "KEY=VALUE")]
    pub recipient: Vec<String>,
    /// Facts known outside the text.
    #[command(flatten)]
    pub facts: FactsArgs,
}

/// Output formats of `check`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CheckFormat {
    /// Terminal summary and redline.
    Text,
    /// For a pull-request comment.
    Markdown,
    /// The check result with one Report per policy.
    Json,
}

/// Arguments of `check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Base revision (default: the policy's latest release tag, else HEAD).
    #[arg(long, value_name = "REV")]
    pub base: Option<String>,
    /// Head revision (default: the policy file in the working tree).
    #[arg(long, value_name = "REV")]
    pub head: Option<String>,
    /// Exit 1 when the change is at least this class.
    #[arg(long, value_enum, default_value_t = FailOnArg::Major)]
    pub fail_on: FailOnArg,
    /// Which configured policy (default: every policy in policydiff.toml).
    #[command(flatten)]
    pub policy: PolicyArg,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Write to FILE instead of standard output (atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How the human redline is cut down.
    #[command(flatten)]
    pub redline: RedlineArgs,
    /// Facts known outside the text.
    #[command(flatten)]
    pub facts: FactsArgs,
    /// Also compare the release in this configured policy, a translation of
    /// the checked one (default: the translations policydiff.toml names
    /// with `translation_of`).
    #[arg(long, value_name = "NAME")]
    pub translation: Option<String>,
    /// Pass although the translation no longer says what the original
    /// says; the reason is recorded in the report.
    #[arg(long, value_name = "REASON")]
    pub allow_translation_lag: Option<String>,
}

/// Arguments of `log`.
#[derive(Debug, Args)]
pub struct LogArgs {
    /// Policy names from policydiff.toml (default: the first one); several
    /// are walked in one pass over the history.
    #[arg(long, short = 'p', value_name = "NAME", conflicts_with = "all")]
    pub policy: Vec<String>,
    /// Every configured policy, in one pass over the history.
    #[arg(long)]
    pub all: bool,
    /// Only changes committed on or after this date (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub since: Option<String>,
    /// Output format: one line per change, a JSON list of Reports, or JSON
    /// Lines (one Report a line, written as each is ready).
    #[arg(long, short = 'f', value_enum, default_value_t = LogFormat::Text)]
    pub format: LogFormat,
    /// Fail (exit 2) when a version in the history cannot be read, instead of
    /// showing it as unreadable and going on.
    #[arg(long)]
    pub strict: bool,
}

/// Output formats of `log`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LogFormat {
    /// One line per change (with several policies, each line starts with the policy's name).
    Text,
    /// A JSON list of Reports.
    Json,
    /// JSON Lines: one Report a line.
    Jsonl,
}

/// Arguments of `show`.
#[derive(Debug, Args)]
pub struct ShowArgs {
    /// The version to print.
    #[arg(value_name = "VERSION")]
    pub spec: String,
    /// Which configured policy.
    #[command(flatten)]
    pub policy: PolicyArg,
}

/// Output formats of listings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// One line each.
    Text,
    /// A JSON list.
    Json,
}

/// Arguments of `versions`.
#[derive(Debug, Args)]
pub struct VersionsArgs {
    /// Which configured policy.
    #[command(flatten)]
    pub policy: PolicyArg,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = ListFormat::Text)]
    pub format: ListFormat,
}

/// Arguments of `release`.
#[derive(Debug, Args)]
pub struct ReleaseArgs {
    /// Which configured policy.
    #[command(flatten)]
    pub policy: PolicyArg,
    /// Date the released text takes effect (YYYY-MM-DD).
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub effective: String,
    /// Text to put in the tag message above the summary of changes.
    #[arg(long, short = 'm', value_name = "TEXT")]
    pub message: Option<String>,
    /// Release even if the text is unchanged since the previous release.
    #[arg(long)]
    pub allow_unchanged: bool,
    /// Print the tag message and do not create the tag.
    #[arg(long)]
    pub dry_run: bool,
    /// Refuse when the policy's front matter states another effective date
    /// than --effective (without it, a warning).
    #[arg(long)]
    pub strict: bool,
    /// Date users are told (default: today); checked against the notice period.
    #[arg(long, value_name = "YYYY-MM-DD")]
    pub notice_date: Option<String>,
    /// Release although the effective date is sooner than the notice period
    /// allows; the reason is recorded in the tag.
    #[arg(long, value_name = "REASON")]
    pub allow_short_notice: Option<String>,
}

/// Arguments of `verify`.
#[derive(Debug, Args)]
pub struct VerifyArgs {
    /// The page as published (e.g. saved with curl), .html or .htm.
    #[arg(value_name = "PAGE")]
    pub page: PathBuf,
    /// Which configured policy (its select and remove say which part of the page is the policy).
    #[command(flatten)]
    pub policy: PolicyArg,
    /// The release the page must state (default: the policy's latest release tag).
    #[arg(long, value_name = "TAG")]
    pub release: Option<String>,
    /// Output format.
    #[arg(long, short = 'f', value_enum, default_value_t = CheckFormat::Text)]
    pub format: CheckFormat,
    /// Write to FILE instead of standard output (atomically).
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// How the human redline is cut down.
    #[command(flatten)]
    pub redline: RedlineArgs,
}

/// Arguments of `import`.
#[derive(Debug, Args)]
pub struct ImportArgs {
    /// The document: .html or .htm (.docx is recognised, not read yet).
    #[arg(value_name = "FILE")]
    pub file: PathBuf,
    /// Write the Markdown to OUT.md (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "OUT.md")]
    pub output: Option<PathBuf>,
    /// Overwrite OUT.md if it exists.
    #[arg(long)]
    pub force: bool,
    /// The part of the page that is the policy (CSS; default main, else article, else body).
    #[arg(long, value_name = "CSS")]
    pub select: Option<String>,
    /// Parts of the page to leave out (CSS; repeat for more).
    #[arg(long, value_name = "CSS")]
    pub remove: Vec<String>,
}

/// Arguments of `init`.
#[derive(Debug, Args)]
pub struct InitArgs {
    /// Copy this policy file into policies/ and configure it; a web page
    /// (.html, .htm) is converted into Markdown first.
    #[arg(long, value_name = "FILE")]
    pub import: Option<PathBuf>,
    /// Policy name (default: from the imported file name, else privacy-policy).
    #[arg(long)]
    pub name: Option<String>,
    /// Human title of the policy.
    #[arg(long)]
    pub title: Option<String>,
    /// Locale of the policy text.
    #[arg(long, value_enum, default_value_t = LocaleArg::En)]
    pub locale: LocaleArg,
    /// Overwrite an existing policydiff.toml or policy file.
    #[arg(long)]
    pub force: bool,
}
