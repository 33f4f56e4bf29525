//! `policydiff check`: the working tree (or --head) against the latest
//! release (or --base), for CI; exit 1 at --fail-on.

use super::{Context, emit};
use crate::archive::{self, Version};
use crate::classify;
use crate::cli::{CheckArgs, CheckFormat};
use crate::diff::DiffOptions;
use crate::error::{Error, Result};
use crate::pipeline::compare;
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
            None => match archive::latest_release(&archive, &policy.name)? {
                Some(r) => r.tag,
                None => {
                    if archive.repo().is_shallow() {
                        // Tags are often not fetched into a shallow clone:
                        // HEAD may be the wrong base, and silently so.
                        eprintln!(
                            "policydiff: warning: no release tag of '{}' found in this shallow clone; comparing with HEAD. {SHALLOW_FIX}",
                            policy.name
                        );
                    }
                    "HEAD".to_owned()
                }
            },
        };
        let old = archive
            .read_at(&base_rev, &path, &base_rev)
            .map_err(|e| shallow_hint(e, &archive, &base_rev))?;
        let new = match &args.head {
            Some(rev) => archive.read_at(rev, &path, rev)?,
            None => Version::from_file(&path, &config.policy_file(policy))?,
        };
        reports.push(compare(&old, &new, Some(&policy.name), &how));
    }
    let worst = reports
        .iter()
        .filter_map(|r| r.classification)
        .max()
        .unwrap_or(classify::Classification::None);
    let failed = worst >= fail_on && worst > classify::Classification::None;
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
        return Err(Error::CheckFailed(format!(
            "the change is {} (--fail-on {})",
            worst.as_str(),
            fail_on.as_str()
        )));
    }
    Ok(())
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
