//! `policydiff check`: the working tree (or --head) against the latest
//! release (or --base), for CI; exit 1 at --fail-on.

use super::{Context, emit};
use crate::archive::{self, Version};
use crate::classify;
use crate::cli::{CheckArgs, CheckFormat};
use crate::config::{Config, PolicyConfig};
use crate::diff::DiffOptions;
use crate::error::{Error, Result};
use crate::pipeline::{LanguageVersions, compare, compare_bilingual};
use crate::render::{self, RedlineFormat};
use crate::report::Report;

/// The JSON of `check`: the overall result and one Report per policy.
#[derive(Debug, serde::Serialize)]
struct CheckResult {
    schema_version: u32,
    classification: classify::Classification,
    fail_on: classify::Classification,
    failed: bool,
    reports: Vec<Report>,
}

pub(super) fn run(ctx: &Context, args: CheckArgs) -> Result<()> {
    let fail_on = classify::Classification::from(args.fail_on);
    let config = ctx.require_config()?;
    let archive = ctx.archive()?;
    let groups = groups(config, &args)?;
    let how = ctx.comparison(DiffOptions::default(), &args.facts)?;
    let lag_reason = args
        .allow_translation_lag
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let mut reports = Vec::new();
    for (name, translations) in &groups {
        let (policy, path) = ctx.policy(Some(name), &archive)?;
        let base_rev = base_rev(&archive, &policy.name, args.base.as_deref())?;
        let read = |name: &str, path: &str| -> Result<(Version, Version)> {
            let old = archive
                .read_at(&base_rev, path, &base_rev)
                .map_err(|e| shallow_hint(e, &archive, &base_rev))?;
            let new = match &args.head {
                Some(rev) => archive.read_at(rev, path, rev)?,
                // The working-tree file, read as the policy says (a web
                // page's select/remove).
                None => ctx.policy_file_version(Some(name))?,
            };
            Ok((old, new))
        };
        let (old, new) = read(&policy.name, &path)?;
        if translations.is_empty() {
            reports.push(compare(&old, &new, Some(&policy.name), &how));
            continue;
        }
        // Each translation is read at the same revisions as the original:
        // one release, every language.
        for t in translations {
            let (t_policy, t_path) = ctx.policy(Some(t), &archive)?;
            let (t_old, t_new) = read(&t_policy.name, &t_path)?;
            let (mut report, t_report) = compare_bilingual(
                LanguageVersions {
                    policy: &policy.name,
                    locale: &policy.locale,
                    old: &old,
                    new: &new,
                },
                LanguageVersions {
                    policy: &t_policy.name,
                    locale: &t_policy.locale,
                    old: &t_old,
                    new: &t_new,
                },
                &how,
            );
            if let Some(check) = &mut report.translation {
                check.allowed = lag_reason.map(str::to_owned);
            }
            // With several translations the original's Report comes once
            // per translation, each carrying that translation's check.
            reports.push(report);
            reports.push(t_report);
        }
    }
    let worst = reports
        .iter()
        .filter_map(|r| r.classification)
        .max()
        .unwrap_or(classify::Classification::None);
    let failed_class = worst >= fail_on && worst > classify::Classification::None;
    let lag_message = reports
        .iter()
        .filter_map(|r| r.translation.as_ref())
        .filter(|t| t.fails())
        .map(|t| {
            format!(
                "the {} translation ({}) lags: {} finding{}",
                t.locale,
                t.policy,
                t.findings.len(),
                if t.findings.len() == 1 { "" } else { "s" }
            )
        })
        .collect::<Vec<_>>()
        .join("; ");
    let lagging = !lag_message.is_empty();
    let failed = failed_class || lagging;
    let color = args.output.is_none() && args.format == CheckFormat::Text && ctx.color_for_stdout();
    let view = render::View {
        hide_editorial: args.redline.hide_editorial,
        max_chars: Some(args.redline.max_chars),
        redline_url: args.redline.redline_url.clone(),
    };
    let out = match args.format {
        CheckFormat::Json => render::json(&CheckResult {
            schema_version: crate::report::SCHEMA_VERSION,
            classification: worst,
            fail_on,
            failed,
            reports,
        }),
        CheckFormat::Markdown => render::check_markdown(&reports, worst, fail_on, failed, &view),
        CheckFormat::Text => reports
            .iter()
            .map(|r| render::redline_view(r, RedlineFormat::Text, color, &view))
            .collect::<Vec<_>>()
            .join("\n"),
    };
    emit(out.as_bytes(), args.output.as_deref())?;
    if failed {
        let mut why = Vec::new();
        if failed_class {
            why.push(format!(
                "the change is {} (--fail-on {})",
                worst.as_str(),
                fail_on.as_str()
            ));
        }
        if lagging {
            why.push(format!(
                "{lag_message}; to pass anyway, give --allow-translation-lag \"REASON\""
            ));
        }
        return Err(Error::CheckFailed(why.join("; ")));
    }
    Ok(())
}

/// The policies to check, each with the translations to compare with it:
/// `--policy` (or every configured policy), a translation checked with its
/// original; `--translation NAME` instead of the configured translations.
fn groups(config: &Config, args: &CheckArgs) -> Result<Vec<(String, Vec<String>)>> {
    if let Some(t) = &args.translation {
        let original = config.policy(args.policy.policy.as_deref())?;
        let translation = config.policy(Some(t))?;
        if translation.name == original.name {
            return Err(Error::Usage(format!(
                "--translation {t}: that is the checked policy itself; name its translation"
            )));
        }
        return Ok(vec![(
            original.name.clone(),
            vec![translation.name.clone()],
        )]);
    }
    let names: Vec<&PolicyConfig> = match &args.policy.policy {
        // A translation is checked with (and against) its original.
        Some(n) => {
            let p = config.policy(Some(n))?;
            vec![match &p.translation_of {
                Some(o) => config.policy(Some(o))?,
                None => p,
            }]
        }
        None => config.policies.iter().collect(),
    };
    Ok(names
        .into_iter()
        // Translations of a policy in the list are checked in its group.
        .filter(|p| {
            args.policy.policy.is_some()
                || p.translation_of
                    .as_ref()
                    .is_none_or(|o| !config.policies.iter().any(|q| &q.name == o))
        })
        .map(|p| {
            let ts = config
                .translations_of(&p.name)
                .into_iter()
                .map(|t| t.name.clone())
                .collect();
            (p.name.clone(), ts)
        })
        .collect())
}

/// The base revision: --base, else the policy's latest release tag, else HEAD.
fn base_rev(archive: &archive::Archive, policy: &str, base: Option<&str>) -> Result<String> {
    if let Some(rev) = base {
        return Ok(rev.to_owned());
    }
    Ok(match archive::latest_release(archive, policy)? {
        Some(r) => r.tag,
        None => {
            if archive.repo().is_shallow() {
                // Tags are often not fetched into a shallow clone:
                // HEAD may be the wrong base, and silently so.
                eprintln!(
                    "policydiff: warning: no release tag of '{policy}' found in this shallow clone; comparing with HEAD. {SHALLOW_FIX}"
                );
            }
            "HEAD".to_owned()
        }
    })
}

/// What to do about a base the shallow clone does not have.
const SHALLOW_FIX: &str = "Fetch the base: `git fetch --depth=1 origin <base>` (or `git fetch --unshallow --tags`), or in GitHub Actions give actions/checkout `fetch-depth: 0`.";

/// A revision git cannot find in a shallow clone is most likely just not
/// fetched: say so, and how to fetch it, instead of "unknown revision".
fn shallow_hint(
    e: archive::ArchiveError,
    archive: &archive::Archive,
    rev: &str,
) -> archive::ArchiveError {
    match e {
        archive::ArchiveError::UnknownRevision { .. } if archive.repo().is_shallow() => {
            archive::ArchiveError::UnknownRevision {
                rev: rev.to_owned(),
                hint: format!(": this is a shallow clone, which does not have it. {SHALLOW_FIX}"),
            }
        }
        e => e,
    }
}
