//! `policydiff.toml`: the policies a repository manages. Found from the
//! working directory upward; `--config FILE` or `POLICYDIFF_CONFIG` override.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

/// The file name looked for.
pub const FILE_NAME: &str = "policydiff.toml";

/// Errors reading the configuration.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The file.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
    /// The file is not valid TOML or has wrong keys or values.
    #[error("{path}: {message}")]
    Invalid {
        /// The file.
        path: String,
        /// What is wrong, naming the key (and line where known).
        message: String,
    },
    /// No configuration where one is needed.
    #[error(
        "no {FILE_NAME} found in {0} or any parent directory: run `policydiff init`, pass --config, or name files or REV:PATH explicitly"
    )]
    NotFound(String),
    /// A policy name that is not configured.
    #[error("no policy named '{name}' in {path} (configured: {known})")]
    UnknownPolicy {
        /// The name asked for.
        name: String,
        /// The config file.
        path: String,
        /// The names that exist.
        known: String,
    },
}

/// One managed policy.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PolicyConfig {
    /// Short name, used in release tags (`<name>/<effective-date>`). Left
    /// out when `path` is a glob: each match is named after its directory.
    #[serde(default)]
    pub name: String,
    /// Path of the policy file, relative to the config file's directory;
    /// or a glob (`*/Privacy Policy.md`, `*` and `?` within one component),
    /// each match its own policy.
    pub path: String,
    /// Human title: one string, or one per locale
    /// (`title = { en = "Privacy Policy", zh-CN = "隐私政策" }`).
    #[serde(default)]
    pub title: Option<Title>,
    /// BCP 47 locale of the text (`en`, `zh-CN`).
    #[serde(default = "default_locale")]
    pub locale: String,
    /// Web pages only: the part of the page that is the policy, a CSS
    /// selector (`main article`); default `main`, else `article`, else `body`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub select: Option<String>,
    /// Web pages only: CSS selectors of parts to leave out (`.cookie-banner`, `nav`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub remove: Vec<String>,
    /// The configured policy this one translates (`translation_of =
    /// "privacy-policy"`): `check` then compares every release in both
    /// languages, clause by clause.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub translation_of: Option<String>,
}

impl PolicyConfig {
    /// How this policy's files are read (its `select` and `remove`).
    pub fn read_options(
        &self,
    ) -> Result<crate::convert::ReadOptions, crate::convert::html::HtmlError> {
        Ok(crate::convert::ReadOptions {
            html: crate::convert::html::Selection::new(self.select.as_deref(), &self.remove)?,
        })
    }
}

/// A policy's title, in one language or per locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum Title {
    /// The same title whatever the locale.
    One(String),
    /// A title per locale tag (`en`, `zh-CN`).
    PerLocale(std::collections::BTreeMap<String, String>),
}

impl PolicyConfig {
    /// The title for a locale: its own, else the policy's locale's, else
    /// any; `None` when no title is configured.
    pub fn title_for(&self, locale: Option<&str>) -> Option<&str> {
        match self.title.as_ref()? {
            Title::One(t) => Some(t),
            Title::PerLocale(map) => locale
                .and_then(|l| map.get(l))
                .or_else(|| map.get(&self.locale))
                .or_else(|| map.values().next())
                .map(String::as_str),
        }
    }

    /// The title configured for exactly this locale (a single title is the
    /// policy's own locale's).
    pub fn title_in(&self, locale: &str) -> Option<&str> {
        match self.title.as_ref()? {
            Title::One(t) => (self.locale == locale).then_some(t.as_str()),
            Title::PerLocale(map) => map.get(locale).map(String::as_str),
        }
    }
}

fn default_locale() -> String {
    "en".into()
}

/// `[email]`: headers, SMTP user, DKIM, retries of `policydiff send`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    /// From (`Privacy Team <privacy@example.com>`).
    pub from: String,
    /// Reply-To.
    #[serde(default)]
    pub reply_to: Option<String>,
    /// List-Unsubscribe value (`<mailto:unsubscribe@example.com>, <https://…>`).
    #[serde(default)]
    pub list_unsubscribe: Option<String>,
    /// SMTP user name, when not in the transport URL.
    #[serde(default)]
    pub smtp_user: Option<String>,
    /// DKIM private key (PEM, RSA PKCS#1), relative to this file.
    #[serde(default)]
    pub dkim_key: Option<String>,
    /// DKIM selector.
    #[serde(default)]
    pub dkim_selector: Option<String>,
    /// DKIM signing domain (default: the From domain).
    #[serde(default)]
    pub dkim_domain: Option<String>,
    /// Attempts per recipient within a run (default 5).
    #[serde(default = "default_attempts")]
    pub max_attempts: u32,
}

fn default_attempts() -> u32 {
    5
}

/// `[notice]`: how users are told.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NoticeConfig {
    /// Base URL of the public archive (`policydiff site`), for links in notices.
    #[serde(default)]
    pub base_url: Option<String>,
    /// Folder of template overrides, relative to this file.
    #[serde(default = "default_templates")]
    pub templates: String,
    /// Minimum days between the notice and the effective date, per class.
    #[serde(default)]
    pub min_days: MinDays,
    /// Changes a notice lists section by section; the rest are counted
    /// with a link to the full comparison.
    #[serde(default = "default_max_changes")]
    pub max_changes: usize,
    /// Who publishes the policy (the company): the `<author>` of the
    /// archive's Atom feed.
    #[serde(default)]
    pub publisher: Option<String>,
}

fn default_max_changes() -> usize {
    crate::render::notice::MAX_CHANGES
}

fn default_templates() -> String {
    "templates".into()
}

impl Default for NoticeConfig {
    fn default() -> Self {
        NoticeConfig {
            base_url: None,
            templates: default_templates(),
            min_days: MinDays::default(),
            max_changes: default_max_changes(),
            publisher: None,
        }
    }
}

impl NoticeConfig {
    fn is_default(&self) -> bool {
        *self == NoticeConfig::default()
    }
}

/// `[notice.min_days]`: notice periods in days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MinDays {
    /// Before a major change takes effect (default 30).
    #[serde(default = "default_major_days")]
    pub major: u32,
    /// Before a minor change takes effect (default 0).
    #[serde(default)]
    pub minor: u32,
}

fn default_major_days() -> u32 {
    30
}

impl Default for MinDays {
    fn default() -> Self {
        MinDays {
            major: default_major_days(),
            minor: 0,
        }
    }
}

/// A config-defined major-change trigger.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TriggerConfig {
    /// Stable id reported when it fires.
    pub id: String,
    /// Its wording in reports.
    #[serde(default)]
    pub title: Option<String>,
    /// Only clauses under a heading containing one of these (any language).
    #[serde(default)]
    pub sections: Vec<String>,
    /// Terms whose arrival or removal in a change fires it.
    #[serde(default)]
    pub terms: Vec<String>,
    /// Regular expressions (case-insensitive) whose matches arriving or leaving fire it.
    #[serde(default)]
    pub regex: Vec<String>,
}

/// Map a listed item of the policy to a trigger id.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MapConfig {
    /// The item's label as written (`( 5 )`) or words of its wording.
    pub item: String,
    /// Built-in id, a `[[trigger]]` id, or `manual`.
    pub id: String,
}

/// The whole file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Managed policies; the first is the default.
    #[serde(default, rename = "policy")]
    pub policies: Vec<PolicyConfig>,
    /// Extra major-change triggers (`[[trigger]]`).
    #[serde(default, rename = "trigger", skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<TriggerConfig>,
    /// Overrides of how the policy's listed items map to triggers (`[[map]]`).
    #[serde(default, rename = "map", skip_serializing_if = "Vec::is_empty")]
    pub maps: Vec<MapConfig>,
    /// Notices: links, notice periods, templates (`[notice]`).
    #[serde(default, skip_serializing_if = "NoticeConfig::is_default")]
    pub notice: NoticeConfig,
    /// Update emails (`[email]`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<EmailConfig>,
    /// Directory of the config file (paths are relative to it).
    #[serde(skip)]
    pub dir: PathBuf,
    /// The config file itself.
    #[serde(skip)]
    pub file: PathBuf,
}

impl Config {
    /// Parse and validate TOML text read from `file`.
    pub fn parse(text: &str, file: &Path) -> Result<Config, ConfigError> {
        let shown = file.display().to_string();
        let invalid = |message: String| ConfigError::Invalid {
            path: shown.clone(),
            message,
        };
        let mut config: Config =
            toml::from_str(text).map_err(|e| invalid(toml_message(&e, text)))?;
        config.file = file.to_path_buf();
        config.dir = file.parent().map(Path::to_path_buf).unwrap_or_default();
        if let Some(url) = &config.notice.base_url
            && !(url.starts_with("https://") || url.starts_with("http://") || url.starts_with('/'))
        {
            return Err(invalid(format!(
                "notice.base_url = {url:?}: give an http(s) URL or an absolute path"
            )));
        }
        if let Some(p) = &config.notice.publisher
            && (p.trim().is_empty() || p.chars().any(char::is_control))
        {
            return Err(invalid(format!(
                "notice.publisher = {p:?}: give the company's name, on one line"
            )));
        }
        if let Some(email) = &config.email {
            if email.from.parse::<lettre::message::Mailbox>().is_err() {
                return Err(invalid(format!(
                    "email.from = {:?} is not an address (\"Name <addr@example.com>\")",
                    email.from
                )));
            }
            if let Some(r) = &email.reply_to
                && r.parse::<lettre::message::Mailbox>().is_err()
            {
                return Err(invalid(format!("email.reply_to = {r:?} is not an address")));
            }
            if email
                .list_unsubscribe
                .as_deref()
                .is_some_and(|u| u.contains(['\r', '\n']))
            {
                return Err(invalid(
                    "email.list_unsubscribe contains a line break".into(),
                ));
            }
            if email.dkim_key.is_some() != email.dkim_selector.is_some() {
                return Err(invalid(
                    "email.dkim_key and email.dkim_selector go together".into(),
                ));
            }
            if email.max_attempts == 0 || email.max_attempts > 20 {
                return Err(invalid(format!(
                    "email.max_attempts = {}: give 1 to 20",
                    email.max_attempts
                )));
            }
        }
        if config.policies.is_empty() {
            return Err(invalid(
                "no [[policy]] entries: add one with name and path".into(),
            ));
        }
        for (i, p) in config.policies.iter().enumerate() {
            if is_glob(&p.path) && Path::new(&p.path).is_absolute() {
                return Err(invalid(format!(
                    "policy[{i}].path = {:?} must be relative to the directory of {FILE_NAME}",
                    p.path
                )));
            }
            if is_glob(&p.path) && !p.name.is_empty() {
                return Err(invalid(format!(
                    "policy[{i}].name = {:?}: a glob's matches are named after their directories; leave name out",
                    p.name
                )));
            }
        }
        let (origin, policies): (Vec<Origin>, Vec<PolicyConfig>) =
            expand_globs(&config.dir, std::mem::take(&mut config.policies))
                .map_err(invalid)?
                .into_iter()
                .unzip();
        config.policies = policies;
        for (j, (p, &(i, globbed))) in config.policies.iter().zip(&origin).enumerate() {
            // A glob's match is named by its path too.
            let key = if globbed {
                format!("policy[{i}] ({})", p.path)
            } else {
                format!("policy[{i}]")
            };
            if p.path.trim().is_empty() {
                return Err(invalid(format!("{key}.path is empty")));
            }
            if Path::new(&p.path).is_absolute() {
                return Err(invalid(format!(
                    "{key}.path = {:?} must be relative to the directory of {FILE_NAME}",
                    p.path
                )));
            }
            if let Err(message) = check_name(&p.name) {
                return Err(invalid(format!("{key}.name = {:?}: {message}", p.name)));
            }
            if let Err(e) = p.locale.parse::<crate::policy::Locale>() {
                return Err(invalid(format!("{key}.locale = {e}")));
            }
            if let Err(e) = p.read_options() {
                return Err(invalid(format!("{key}.{e}")));
            }
            if config.policies[..j].iter().any(|q| q.name == p.name) {
                return Err(invalid(format!("{key}.name = {:?} is used twice", p.name)));
            }
        }
        for (p, &(i, globbed)) in config.policies.iter().zip(&origin) {
            let key = if globbed {
                format!("policy[{i}] ({})", p.path)
            } else {
                format!("policy[{i}]")
            };
            check_translation_of(&config.policies, p, &key).map_err(invalid)?;
        }
        Ok(config)
    }

    /// Read a config file.
    pub fn load(file: &Path) -> Result<Config, ConfigError> {
        // A config is a few KiB; 1 MiB stops a wrong --config early.
        let text = crate::input::read_text_limited(file, 1 << 20).map_err(|e| match e {
            crate::input::InputError::Io(source) => ConfigError::Io {
                path: file.display().to_string(),
                source,
            },
            e => ConfigError::Invalid {
                path: file.display().to_string(),
                message: e.to_string(),
            },
        })?;
        Config::parse(&text, file)
    }

    /// Find `policydiff.toml` from `dir` upward.
    pub fn discover(dir: &Path) -> Option<PathBuf> {
        dir.ancestors()
            .map(|d| d.join(FILE_NAME))
            .find(|f| f.is_file())
    }

    /// The policy named `name`, or the first one.
    pub fn policy(&self, name: Option<&str>) -> Result<&PolicyConfig, ConfigError> {
        match name {
            None => self
                .policies
                .first()
                .ok_or_else(|| ConfigError::NotFound(self.dir.display().to_string())),
            Some(n) => self.policies.iter().find(|p| p.name == n).ok_or_else(|| {
                ConfigError::UnknownPolicy {
                    name: n.to_owned(),
                    path: self.file.display().to_string(),
                    known: self
                        .policies
                        .iter()
                        .map(|p| p.name.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                }
            }),
        }
    }

    /// The configured translations of policy `name`, in config order.
    pub fn translations_of(&self, name: &str) -> Vec<&PolicyConfig> {
        self.policies
            .iter()
            .filter(|p| p.translation_of.as_deref() == Some(name))
            .collect()
    }

    /// Absolute path of a policy's file.
    pub fn policy_file(&self, policy: &PolicyConfig) -> PathBuf {
        self.dir.join(&policy.path)
    }

    /// TOML text for a new config with one policy.
    pub fn template(policy: &PolicyConfig) -> String {
        let body = toml::to_string(&Config {
            policies: vec![policy.clone()],
            ..Config::default()
        })
        .unwrap_or_default();
        format!(
            "# policydiff configuration: the policies this repository manages.\n# Paths are relative to this file. The first policy is the default.\n\n{body}\n{TRANSLATION}\n{NOTICE_AND_EMAIL}"
        )
    }
}

/// Why `p.translation_of` cannot stand: it names no policy, the policy
/// itself, a policy of the same locale, or a chain that comes back round
/// (a translation of a translation is refused too: one original per group).
fn check_translation_of(all: &[PolicyConfig], p: &PolicyConfig, key: &str) -> Result<(), String> {
    let Some(target) = &p.translation_of else {
        return Ok(());
    };
    let field = format!("{key}.translation_of = {target:?}");
    if *target == p.name {
        return Err(format!(
            "{field}: a policy cannot be a translation of itself"
        ));
    }
    let Some(original) = all.iter().find(|q| q.name == *target) else {
        let known: Vec<&str> = all.iter().map(|q| q.name.as_str()).collect();
        return Err(format!(
            "{field} names no configured policy (configured: {})",
            known.join(", ")
        ));
    };
    if let Some(next) = &original.translation_of {
        // Follow the chain to say whether it loops or only nests.
        let mut seen = vec![p.name.as_str(), target.as_str()];
        let mut at = next.as_str();
        loop {
            if seen.contains(&at) {
                seen.push(at);
                return Err(format!(
                    "{field}: translations form a cycle ({})",
                    seen.join(" → ")
                ));
            }
            seen.push(at);
            match all
                .iter()
                .find(|q| q.name == at)
                .and_then(|q| q.translation_of.as_deref())
            {
                Some(n) => at = n,
                None => break,
            }
        }
        return Err(format!(
            "{field} is itself a translation (of {next:?}): name the original"
        ));
    }
    if original.locale == p.locale {
        return Err(format!(
            "{field}: both are locale {:?}; set {key}.locale to the translation's language",
            p.locale
        ));
    }
    Ok(())
}

/// Why a policy name cannot be one: it becomes the prefix of git tags
/// (`<name>/<effective-date>`).
fn check_name(name: &str) -> Result<(), &'static str> {
    let safe = !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_.".contains(c))
        && !name.starts_with(['.', '-']);
    if !safe {
        return Err("use letters, digits, '-', '_' or '.' (it becomes a git tag prefix)");
    }
    // The tag `<name>/<date>` must be a valid git reference name.
    if !git2::Reference::is_valid_name(&format!("refs/tags/{name}/2000-01-01"))
        || name.ends_with(".lock")
        || name.ends_with('.')
    {
        return Err("not usable in a git tag name (no '..', no trailing '.' or '.lock')");
    }
    Ok(())
}

/// Where an expanded policy came from: the index of its `[[policy]]`
/// entry, and whether it is a glob's match.
type Origin = (usize, bool);

/// Whether a configured path is a glob.
fn is_glob(path: &str) -> bool {
    path.contains(['*', '?'])
}

/// Replace each glob policy by one policy per matching file (sorted by
/// path), named after the part of the path the first wildcard matched (a
/// directory's name, or a file's stem), made safe for a git tag. Each
/// comes with the index of its entry and whether it was a glob's match.
fn expand_globs(
    dir: &Path,
    policies: Vec<PolicyConfig>,
) -> Result<Vec<(Origin, PolicyConfig)>, String> {
    let mut out = Vec::new();
    for (i, p) in policies.into_iter().enumerate() {
        if !is_glob(&p.path) {
            out.push(((i, false), p));
            continue;
        }
        let parts: Vec<&str> = p.path.split('/').filter(|c| !c.is_empty()).collect();
        let Some(first) = parts.iter().position(|c| is_glob(c)) else {
            out.push(((i, false), p));
            continue;
        };
        let mut found = Vec::new();
        glob_walk(dir, &parts, 0, &mut Vec::new(), &mut found);
        found.sort();
        if found.is_empty() {
            return Err(format!("policy[{i}].path = {:?} matches no file", p.path));
        }
        for matched in found {
            let part = &matched[first];
            let stem = if first + 1 == parts.len() {
                Path::new(part)
                    .file_stem()
                    .map_or(part.clone(), |s| s.to_string_lossy().into_owned())
            } else {
                part.clone()
            };
            out.push((
                (i, true),
                PolicyConfig {
                    name: tag_safe(&stem),
                    path: matched.join("/"),
                    ..p.clone()
                },
            ));
        }
    }
    Ok(out)
}

/// The files below `dir` matching `parts[at..]`, as component lists.
fn glob_walk(
    dir: &Path,
    parts: &[&str],
    at: usize,
    prefix: &mut Vec<String>,
    found: &mut Vec<Vec<String>>,
) {
    let Some(part) = parts.get(at) else {
        return;
    };
    let last = at + 1 == parts.len();
    let names: Vec<String> = if is_glob(part) {
        let Ok(read) = std::fs::read_dir(dir) else {
            return;
        };
        read.flatten()
            .filter_map(|e| e.file_name().into_string().ok())
            // As in a shell, a wildcard does not match a leading '.'.
            .filter(|n| !n.starts_with('.') && glob_match(part.as_bytes(), n.as_bytes()))
            .collect()
    } else {
        vec![(*part).to_owned()]
    };
    for name in names {
        let path = dir.join(&name);
        prefix.push(name);
        if last {
            if path.is_file() {
                found.push(prefix.clone());
            }
        } else if path.is_dir() {
            glob_walk(&path, parts, at + 1, prefix, found);
        }
        prefix.pop();
    }
}

/// `*` (any run of characters) and `?` (any one) within one path component.
fn glob_match(pattern: &[u8], name: &[u8]) -> bool {
    // Iterative matching with one backtrack point: linear enough for names.
    let (mut p, mut n, mut star, mut mark) = (0, 0, None, 0);
    while n < name.len() {
        if p < pattern.len() && (pattern[p] == b'?' || pattern[p] == name[n]) {
            p += 1;
            n += 1;
        } else if p < pattern.len() && pattern[p] == b'*' {
            star = Some(p);
            mark = n;
            p += 1;
        } else if let Some(s) = star {
            p = s + 1;
            mark += 1;
            n = mark;
        } else {
            return false;
        }
    }
    pattern[p..].iter().all(|&c| c == b'*')
}

/// A directory name as a policy name: characters a git tag prefix cannot
/// hold become '-' (`Amazon Music` → `Amazon-Music`).
fn tag_safe(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        let c = if c.is_ascii_alphanumeric() || "_.".contains(c) {
            c
        } else {
            '-'
        };
        let repeated = (c == '-' || c == '.') && out.ends_with(c);
        if !repeated {
            out.push(c);
        }
    }
    let out = out
        .trim_start_matches(['.', '-'])
        .trim_end_matches(['.', '-']);
    let out = out.strip_suffix(".lock").unwrap_or(out);
    out.to_owned()
}

/// A TOML error on one line: `line L, column C: message` (toml's own Display
/// draws a multi-line snippet).
fn toml_message(e: &toml::de::Error, text: &str) -> String {
    let message = e.message().trim().replace('\n', " ");
    match e.span() {
        Some(span) => {
            let start = span.start.min(text.len());
            let before = &text[..start];
            let line = before.matches('\n').count() + 1;
            let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
            // The line itself names the key (`name = 5`), which the message may not.
            let line_text = text[before.rfind('\n').map_or(0, |i| i + 1)..]
                .lines()
                .next()
                .unwrap_or_default()
                .trim();
            let shown: String = line_text.chars().take(60).collect();
            if shown.is_empty() {
                format!("line {line}, column {column}: {message}")
            } else {
                format!("line {line}, column {column} (`{shown}`): {message}")
            }
        }
        None => message,
    }
}

/// A commented translation entry for a new config: `check` compares each
/// release in both languages once it is there.
const TRANSLATION: &str = r#"# A translation of the policy above: `policydiff check` then reads every
# release in both languages and fails when they no longer say the same thing.
# [[policy]]
# name = "privacy-policy-zh"
# path = "policies/privacy-policy.zh-CN.md"
# locale = "zh-CN"
# translation_of = "privacy-policy"
"#;

/// The `[notice]` and `[email]` part of a new config: the keys a team sets
/// before its first notice, commented where optional.
const NOTICE_AND_EMAIL: &str = r#"[notice]
# Public address of the archive that `policydiff site` builds; notices link
# to its pages. Without it, notices have no links (and say so).
# base_url = "https://example.com/privacy"
# Overrides of the notice and site templates, relative to this file.
# templates = "templates"
# Changes a notice lists before "and N more changes".
# max_changes = 5
# Author of the site's Atom feed (default: the name in [email] from).
# publisher = "Acme Corp Ltd"

[notice.min_days]
# Days between the notice and the effective date, per class of change.
major = 30
minor = 0

# For `policydiff send` (the SMTP password comes from POLICYDIFF_SMTP_PASSWORD
# or --password-file, never from this file).
# [email]
# from = "Privacy Team <privacy@example.com>"
# reply_to = "privacy@example.com"
# list_unsubscribe = "<mailto:unsubscribe@example.com>"
# smtp_user = "mailer"
# dkim_key = "keys/dkim.pem"
# dkim_selector = "policy2026"
"#;

impl std::str::FromStr for Config {
    type Err = ConfigError;
    fn from_str(s: &str) -> Result<Config, ConfigError> {
        Config::parse(s, Path::new(FILE_NAME))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_policies() {
        let c: Config = "[[policy]]\nname = \"privacy-policy\"\npath = \"policies/p.md\"\n"
            .parse()
            .unwrap();
        assert_eq!(c.policies[0].locale, "en");
        assert_eq!(c.policy(None).unwrap().name, "privacy-policy");
        assert!(c.policy(Some("nope")).is_err());
    }

    #[test]
    fn errors_name_the_key() {
        let e = "[[policy]]\nname = \"p\"\npth = \"x\"\n"
            .parse::<Config>()
            .unwrap_err()
            .to_string();
        assert!(e.contains("pth"), "{e}");
        assert!(e.contains("line 3"), "{e}");
        let e = "[[policy]]\nname = \"a b\"\npath = \"x\"\n"
            .parse::<Config>()
            .unwrap_err()
            .to_string();
        assert!(e.contains("policy[0].name"), "{e}");
        let e = "".parse::<Config>().unwrap_err().to_string();
        assert!(e.contains("no [[policy]]"), "{e}");
        for (toml, key) in [
            ("name = \"a..b\"\npath = \"x\"", "policy[0].name"),
            ("name = \"x.lock\"\npath = \"x\"", "policy[0].name"),
            (
                "name = \"p\"\npath = \"x\"\nlocale = \"fr\"",
                "policy[0].locale",
            ),
        ] {
            let e = format!("[[policy]]\n{toml}\n")
                .parse::<Config>()
                .unwrap_err()
                .to_string();
            assert!(e.contains(key), "{e}");
            assert!(!e.contains('\n'), "one line: {e}");
        }
    }

    #[test]
    fn a_glob_is_one_policy_per_match_named_after_its_directory() {
        let dir = tempfile::tempdir().unwrap();
        for f in [
            "Acme Corp/Privacy Policy.md",
            "Beta.io/Privacy Policy.md",
            ".hidden/Privacy Policy.md",
            "Gamma/Terms.md",
            "policies/cookies.md",
            "policies/privacy.md",
        ] {
            let path = dir.path().join(f);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "# P\n").unwrap();
        }
        let file = dir.path().join(FILE_NAME);
        let parse = |toml: &str| Config::parse(toml, &file);
        let c = parse(
            "[[policy]]\nname = \"main\"\npath = \"policies/privacy.md\"\n\n[[policy]]\npath = \"*/Privacy Policy.md\"\nlocale = \"zh-CN\"\n",
        )
        .unwrap();
        let got: Vec<(&str, &str, &str)> = c
            .policies
            .iter()
            .map(|p| (p.name.as_str(), p.path.as_str(), p.locale.as_str()))
            .collect();
        assert_eq!(
            got,
            vec![
                ("main", "policies/privacy.md", "en"),
                ("Acme-Corp", "Acme Corp/Privacy Policy.md", "zh-CN"),
                ("Beta.io", "Beta.io/Privacy Policy.md", "zh-CN"),
            ]
        );
        // A wildcard in the file name: named after the file.
        let c = parse("[[policy]]\npath = \"policies/*.md\"\n").unwrap();
        let names: Vec<&str> = c.policies.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["cookies", "privacy"]);
        for (toml, needle) in [
            (
                "name = \"x\"\npath = \"*/Privacy Policy.md\"",
                "leave name out",
            ),
            ("path = \"*/Missing.md\"", "matches no file"),
            (
                "path = \"policies/*.md\"\n\n[[policy]]\nname = \"privacy\"\npath = \"x.md\"",
                "used twice",
            ),
        ] {
            let e = parse(&format!("[[policy]]\n{toml}\n"))
                .unwrap_err()
                .to_string();
            assert!(e.contains(needle), "{e}");
        }
    }

    #[test]
    fn translations_are_validated_naming_the_field() {
        let base = "[[policy]]\nname = \"en\"\npath = \"en.md\"\n\n[[policy]]\nname = \"zh\"\npath = \"zh.md\"\nlocale = \"zh-CN\"\n";
        let c: Config = format!("{base}translation_of = \"en\"\n").parse().unwrap();
        assert_eq!(c.translations_of("en")[0].name, "zh");
        assert!(c.translations_of("zh").is_empty());
        for (extra, needle) in [
            ("translation_of = \"fr\"\n", "names no configured policy"),
            ("translation_of = \"zh\"\n", "translation of itself"),
            (
                "translation_of = \"en\"\n\n[[policy]]\nname = \"en2\"\npath = \"b.md\"\ntranslation_of = \"en\"\n",
                "both are locale",
            ),
        ] {
            let e = format!("{base}{extra}")
                .parse::<Config>()
                .unwrap_err()
                .to_string();
            assert!(e.contains("translation_of") && e.contains(needle), "{e}");
            assert!(!e.contains('\n'), "{e}");
        }
        let cycle = "[[policy]]\nname = \"a\"\npath = \"a.md\"\ntranslation_of = \"b\"\n\n[[policy]]\nname = \"b\"\npath = \"b.md\"\nlocale = \"zh-CN\"\ntranslation_of = \"a\"\n";
        let e = cycle.parse::<Config>().unwrap_err().to_string();
        assert!(
            e.contains("policy[0].translation_of") && e.contains("cycle"),
            "{e}"
        );
    }

    #[test]
    fn glob_matching_and_tag_safe_names() {
        assert!(glob_match(b"*", b"abc"));
        assert!(glob_match(b"a*c", b"abbbc"));
        assert!(glob_match(b"?b*", b"abz"));
        assert!(!glob_match(b"a*c", b"abcd"));
        assert!(!glob_match(b"?", b""));
        assert_eq!(
            tag_safe("Amazon E-Reader and Fire Tablet"),
            "Amazon-E-Reader-and-Fire-Tablet"
        );
        assert_eq!(tag_safe("..x..y.lock"), "x.y");
        assert_eq!(tag_safe("隐私"), "");
        assert!(check_name(&tag_safe("Booking.com")).is_ok());
    }

    #[test]
    fn a_selector_that_is_not_css_names_its_field() {
        for (toml, key) in [
            (
                "select = \"main >\"",
                "policy[0].select = \"main >\": not a valid CSS selector",
            ),
            (
                "remove = [\"nav\", \"a[\"]",
                "policy[0].remove = \"a[\": not a valid CSS selector",
            ),
        ] {
            let e = format!("[[policy]]\nname = \"p\"\npath = \"p.html\"\n{toml}\n")
                .parse::<Config>()
                .unwrap_err()
                .to_string();
            assert!(e.contains(key), "{e}");
            assert!(!e.contains('\n'), "one line: {e}");
        }
        let c: Config = "[[policy]]\nname = \"p\"\npath = \"p.html\"\nselect = \"main article\"\nremove = [\".cookie-banner\", \"nav\"]\n"
            .parse()
            .unwrap();
        assert_eq!(c.policies[0].remove.len(), 2);
    }

    #[test]
    fn template_round_trips() {
        let p = PolicyConfig {
            name: "p".into(),
            path: "policies/p.md".into(),
            title: Some(Title::One("P".into())),
            locale: "zh-CN".into(),
            select: Some("main article".into()),
            remove: vec![".cookie-banner".into(), "nav".into()],
            translation_of: None,
        };
        let c: Config = Config::template(&p).parse().unwrap();
        assert_eq!(c.policies, vec![p]);
    }
}
