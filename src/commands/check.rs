//! `policydiff check`: the working tree (or --head) against the latest
//! release (or --base), for CI; exit 1 at --fail-on.

use super::{Context, emit};
use crate::align::lag_verdict;
use crate::archive::{self, Version};
use crate::classify;
use crate::cli::{CheckArgs, CheckFormat};
use crate::diff::DiffOptions;
use crate::error::{Error, Result};
use crate::pipeline::{
    LanguageVersions, TranslationVersions, compare, compare_translations, language_groups,
};
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
    if let Some(t) = &args.translation
        && config.policy(Some(t))?.name == config.policy(args.policy.policy.as_deref())?.name
    {
        return Err(Error::Usage(format!(
            "--translation {t}: that is the checked policy itself; name its translation"
        )));
    }
    let groups = language_groups(
        config,
        args.policy.policy.as_deref(),
        args.translation.as_deref(),
    )?;
    let how = ctx.comparison(DiffOptions::default(), &args.facts)?;
    let lag_reason = args
        .allow_translation_lag
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let mut reports = Vec::new();
    for group in &groups {
        let (policy, path) = ctx.policy(Some(&group.original), &archive)?;
        let base_rev = base_rev(&archive, &policy.name, args.base.as_deref())?;
        let read_old = |path: &str| {
            archive
                .read_at(&base_rev, path, &base_rev)
                .map_err(|e| shallow_hint(e, &archive, &base_rev))
        };
        let read_new = |name: &str, path: &str| -> Result<Version> {
            Ok(match &args.head {
                Some(rev) => archive.read_at(rev, path, rev)?,
                // The working-tree file, read as the policy says (a web
                // page's select/remove).
                None => ctx.policy_file_version(Some(name))?,
            })
        };
        let (old, new) = (read_old(&path)?, read_new(&policy.name, &path)?);
        if group.translations.is_empty() {
            reports.push(compare(&old, &new, Some(&policy.name), &how));
            continue;
        }
        // Each translation is read at the same revisions as the original:
        // one release, every language. One missing at the base is new in
        // this change.
        let mut read = Vec::new();
        for t in &group.translations {
            let (t_policy, t_path) = ctx.policy(Some(t), &archive)?;
            let t_old = match read_old(&t_path) {
                Ok(v) => Some(v),
                Err(archive::ArchiveError::PathNotAtRevision { .. }) => None,
                Err(e) => return Err(e.into()),
            };
            read.push((t_policy, t_old, read_new(t, &t_path)?));
        }
        let translations: Vec<TranslationVersions<'_>> = read
            .iter()
            .map(|(p, old, new)| TranslationVersions {
                policy: &p.name,
                locale: &p.locale,
                old: old.as_ref(),
                new,
            })
            .collect();
        let release = compare_translations(
            LanguageVersions {
                policy: &policy.name,
                locale: &policy.locale,
                old: &old,
                new: &new,
            },
            &translations,
            lag_reason,
            &how,
        );
        reports.push(release.original);
        reports.extend(release.translations);
    }
    let worst = reports
        .iter()
        .filter_map(|r| r.classification)
        .max()
        .unwrap_or(classify::Classification::None);
    let failed_class = worst >= fail_on && worst > classify::Classification::None;
    let lag = lag_verdict(&reports);
    let failed = failed_class || lag.is_some();
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
        if let Some(lag) = lag {
            why.push(format!(
                "{lag}; to pass anyway, give --allow-translation-lag \"REASON\""
            ));
        }
        return Err(Error::CheckFailed(why.join("; ")));
    }
    Ok(())
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
