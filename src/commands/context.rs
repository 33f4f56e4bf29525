//! What every command may need, loaded on first use: the working directory,
//! the configuration, the repository, the classification rules.

use std::cell::OnceCell;
use std::io::IsTerminal;
use std::path::PathBuf;

use crate::archive::{Archive, ArchiveError, ReadOptions, Spec, Version};
use crate::classify::{Rules, RunFacts};
use crate::cli::{ColorChoice, FactsArgs, ImpactLevel};
use crate::config::{Config, ConfigError, FILE_NAME, MinDays, PolicyConfig};
use crate::diff::DiffOptions;
use crate::error::{Error, Result};
use crate::pipeline::Comparison;
use crate::policy::{Day, Locale};

/// What every command may need, loaded on first use.
pub(crate) struct Context {
    pub(crate) cwd: PathBuf,
    pub(crate) explicit_config: Option<PathBuf>,
    pub(crate) config: OnceCell<Option<Config>>,
    pub(crate) color: ColorChoice,
}

impl Context {
    /// The configuration, if one is given or found.
    pub(crate) fn config(&self) -> Result<Option<&Config>> {
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
    pub(crate) fn policy(
        &self,
        name: Option<&str>,
        archive: &Archive,
    ) -> Result<(&PolicyConfig, String)> {
        let config = self.require_config()?;
        let policy = config.policy(name)?;
        let path = archive.repo_path(&self.cwd, &config.policy_file(policy))?;
        Ok((policy, path))
    }

    pub(crate) fn archive(&self) -> Result<Archive> {
        let start = match self.config()? {
            Some(c) if self.explicit_config.is_some() => c.dir.clone(),
            _ => self.cwd.clone(),
        };
        let mut archive = Archive::discover(&start)?;
        // Each configured policy's files are read with its own selection
        // (only web pages have one): the archive itself reads no config.
        if let Some(config) = self.config()? {
            for p in &config.policies {
                if p.select.is_none() && p.remove.is_empty() {
                    continue;
                }
                if let Ok(path) = archive.repo_path(&self.cwd, &config.policy_file(p)) {
                    archive.set_read_options(path, self.read_options_of(config, p)?);
                }
            }
        }
        Ok(archive)
    }

    /// How a policy's files are read (its `select` and `remove`).
    fn read_options_of(&self, config: &Config, p: &PolicyConfig) -> Result<ReadOptions> {
        p.read_options().map_err(|e| {
            ConfigError::Invalid {
                path: config.file.display().to_string(),
                message: format!("policy {:?}: {e}", p.name),
            }
            .into()
        })
    }

    /// How a file given as a version is read: a web page with the selection
    /// of the policy it is compared as (`--policy`, else the first), when
    /// there is a config; everything else needs no options.
    pub(crate) fn read_options(&self, path: &str, policy: Option<&str>) -> Result<ReadOptions> {
        if crate::convert::Source::of_path(path) != Some(crate::convert::Source::Html) {
            return Ok(ReadOptions::default());
        }
        match self.config()? {
            Some(config) => self.read_options_of(config, config.policy(policy)?),
            None => Ok(ReadOptions::default()),
        }
    }

    /// Read one version from its spec.
    pub(crate) fn version(&self, spec: &str, policy: Option<&str>) -> Result<Version> {
        match Spec::parse(spec, &self.cwd) {
            Spec::Stdin => Ok(Version::from_stdin(spec)?),
            Spec::File(path) => Ok(Version::from_file_with(
                spec,
                &path,
                &self.read_options(spec, policy)?,
            )?),
            Spec::RevPath { rev, path } => Ok(self
                .archive()?
                .read_rev_path(&self.cwd, &rev, &path, spec)?),
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

    /// The working-tree file of a configured policy, which must be inside
    /// the repository when there is one (as for every command).
    pub(crate) fn policy_file_version(&self, policy: Option<&str>) -> Result<Version> {
        let config = self.require_config()?;
        let p = config.policy(policy)?;
        if let Ok(archive) = self.archive() {
            self.policy(policy, &archive)?;
        }
        Ok(Version::from_policy_file(
            &p.path,
            &config.policy_file(p),
            &self.read_options_of(config, p)?,
        )?)
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
    pub(crate) fn rules(&self) -> Result<Rules> {
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
            whole_document: false,
        })
    }

    pub(crate) fn color_for_stdout(&self) -> bool {
        match self.color {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => {
                std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                    && std::io::stdout().is_terminal()
            }
        }
    }

    /// The locale of a notice: `--locale`, else the policy's, else English.
    pub(crate) fn notice_locale(
        &self,
        flag: Option<Locale>,
        policy: Option<&str>,
    ) -> Result<Locale> {
        if let Some(l) = flag {
            return Ok(l);
        }
        Ok(self
            .config()?
            .and_then(|c| c.policy(policy).ok())
            .and_then(|p| p.locale.parse().ok())
            .unwrap_or(Locale::En))
    }

    /// `[notice.min_days]`, or the defaults without a config.
    pub(crate) fn min_days(&self) -> Result<MinDays> {
        Ok(self
            .config()?
            .map(|c| c.notice.min_days.clone())
            .unwrap_or_default())
    }
}

/// Say once why notices have no links: no `[notice] base_url`, or a NEW
/// version that is not a release (only releases have pages in the archive).
pub(crate) fn warn_about_links(base_url: Option<&str>, new: &crate::report::VersionInfo) {
    match base_url {
        None => eprintln!(
            "policydiff: warning: [notice] base_url is not set in policydiff.toml, so the notices link to nothing; set it to the public archive's address (where `policydiff site` is published)"
        ),
        Some(_) if crate::policy::release_day(new).is_none() => eprintln!(
            "policydiff: warning: {} is not a release, so the notices link to no version page (the archive has releases only); tag it with `policydiff release` first",
            new.spec
        ),
        Some(_) => {}
    }
}

/// A `YYYY-MM-DD` flag value; the error names the flag.
pub(crate) fn parse_day(s: &str, flag: &str) -> Result<Day> {
    s.parse()
        .map_err(|e: crate::policy::DayError| Error::Usage(format!("{flag} {e}")))
}
