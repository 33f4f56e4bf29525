//! `policydiff verify PAGE.html`: is the published page the released text?
//! Exit 0 when the only differences are editorial, 1 with the redline when
//! the page says something else, 2 on error.

use super::{Context, emit};
use crate::archive::{self, Version};
use crate::classify::Classification;
use crate::cli::{CheckFormat, FactsArgs, VerifyArgs};
use crate::diff::DiffOptions;
use crate::error::{Error, Result};
use crate::pipeline::compare;
use crate::render::{self, RedlineFormat};

pub(super) fn run(ctx: &Context, args: VerifyArgs) -> Result<()> {
    let archive = ctx.archive()?;
    let (policy, path) = ctx.policy(args.policy.policy.as_deref(), &archive)?;
    let tag = match &args.release {
        Some(tag) => tag.clone(),
        None => archive::latest_release(&archive, &policy.name)?
            .map(|r| r.tag)
            .ok_or_else(|| {
                Error::Usage(format!(
                    "policy '{}' has no release yet: give --release TAG, or tag one with `policydiff release`",
                    policy.name
                ))
            })?,
    };
    let release = archive.read_at(&tag, &path, &tag)?;
    let spec = args.page.display().to_string();
    let options = ctx.read_options(&spec, Some(&policy.name))?;
    let mut page = Version::from_file_with(&spec, &ctx.cwd.join(&args.page), &options)?;
    let (text, taken) = crate::convert::with_unstated_front_matter(&page.text, &release.text);
    if !taken.is_empty() {
        // Taken from the release, so equal by construction: the page is
        // not checked for them, and the reader must know.
        eprintln!(
            "policydiff: note: {spec} does not state {}; taken from release {tag}, so not checked",
            taken.join(", ")
        );
    }
    page.text = text;
    let how = ctx.comparison(
        DiffOptions::default(),
        &FactsArgs {
            impact_assessment: None,
        },
    )?;
    let report = compare(&release, &page, Some(&policy.name), &how);
    let class = report.classification.unwrap_or(Classification::None);
    let view = render::View {
        hide_editorial: args.redline.hide_editorial,
        max_chars: Some(args.redline.max_chars),
        redline_url: args.redline.redline_url.clone(),
    };
    let format = match args.format {
        CheckFormat::Text => RedlineFormat::Text,
        CheckFormat::Markdown => RedlineFormat::Markdown,
        CheckFormat::Json => RedlineFormat::Json,
    };
    let color = args.output.is_none() && format == RedlineFormat::Text && ctx.color_for_stdout();
    let out = render::redline_view(&report, format, color, &view);
    emit(out.as_bytes(), args.output.as_deref())?;
    if class > Classification::None {
        return Err(Error::CheckFailed(format!(
            "{spec} is not release {tag}: a {} change",
            class.as_str()
        )));
    }
    Ok(())
}
