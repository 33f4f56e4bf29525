//! `policydiff diff OLD NEW`: the redline of two versions, classified.

use std::io::IsTerminal;
use std::time::Duration;

use super::{Context, emit};
use crate::cli::DiffArgs;
use crate::diff::DiffOptions;
use crate::error::{Error, Result};
use crate::pipeline::compare;
use crate::policy::Day;
use crate::render::{self, RedlineFormat};

pub(super) fn run(ctx: &Context, args: DiffArgs) -> Result<()> {
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
    let format = RedlineFormat::from(args.format);
    // Refused before any work: a Word file is binary, and a terminal would
    // show it as garbage.
    if format == RedlineFormat::Docx && args.output.is_none() && std::io::stdout().is_terminal() {
        return Err(Error::Usage(
            "--format docx writes a binary Word file: give -o FILE.docx, or redirect standard output to a file".into(),
        ));
    }
    how.whole_document = format.shows_whole_document();
    let name = ctx.policy_name(&[&args.old, &args.new], policy);
    let report = compare(&old, &new, name.as_deref(), &how);
    let color = args.output.is_none() && format == RedlineFormat::Text && ctx.color_for_stdout();
    let view = render::View {
        hide_editorial: args.redline.hide_editorial,
        max_chars: Some(args.redline.max_chars),
        redline_url: args.redline.redline_url.clone(),
    };
    if format == RedlineFormat::Docx {
        let date = render::docx::revision_date(&report.new, Day::today());
        let bytes = render::docx::render(&report, &date)?;
        return emit(&bytes, args.output.as_deref());
    }
    let text = render::redline_view(&report, format, color, &view);
    emit(text.as_bytes(), args.output.as_deref())
}
