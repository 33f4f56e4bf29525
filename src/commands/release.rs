//! `policydiff release --effective DATE`: tag HEAD as a release of the policy.

use super::context::parse_day;
use super::{Context, write_stdout};
use crate::archive::{self, ReleaseRequest};
use crate::classify::Classification;
use crate::cli::ReleaseArgs;
use crate::error::{Error, Result};
use crate::pipeline::{Comparison, compare};
use crate::policy::{self, Day, SincePrevious};

pub(super) fn run(ctx: &Context, args: ReleaseArgs) -> Result<()> {
    let effective = parse_day(&args.effective, "--effective")?;
    let effective_text = effective.to_string();
    let archive = ctx.archive()?;
    let (policy, path) = ctx.policy(args.policy.policy.as_deref(), &archive)?;
    let policy_name = policy.name.clone();
    let probe = ReleaseRequest {
        policy: &policy_name,
        path: &path,
        effective: &effective_text,
        message: "",
        allow_unchanged: args.allow_unchanged,
    };
    let previous = archive::check_release(&archive, &probe)?;
    let head = archive.read_at("HEAD", &path, "HEAD")?;
    // The tag's date is the effective date; a different one in the front
    // matter would tell readers of the text something else.
    if let Some(stated) = crate::pipeline::parse(&head)
        .meta("effective")
        .map(str::to_owned)
        && stated.parse::<Day>().ok() != Some(effective)
    {
        let message = format!(
            "{path} says effective: {stated} in its front matter, but --effective is {effective}; the release tag's date is the one notices use: correct the front matter (or the flag)"
        );
        if args.strict {
            return Err(Error::Usage(message));
        }
        eprintln!("policydiff: warning: {message}");
    }
    let reason = args
        .allow_short_notice
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    let report = match &previous {
        Some(prev) => {
            let old = archive.read_at(&prev.tag, &path, &prev.tag)?;
            let how = Comparison {
                rules: ctx.rules()?,
                ..Comparison::default()
            };
            Some(compare(&old, &head, Some(&policy_name), &how))
        }
        None => None,
    };
    // The notice period the config promises for this class of change.
    let mut short_notice_reason = None;
    if let Some(report) = &report {
        let notice_date = match &args.notice_date {
            Some(d) => parse_day(d, "--notice-date")?,
            None => Day::today(),
        };
        let class = report.classification.unwrap_or(Classification::None);
        if let Err(short) =
            policy::check_notice_period(class, Some(effective), notice_date, &ctx.min_days()?)
        {
            match reason {
                Some(r) => short_notice_reason = Some(r),
                None => {
                    return Err(Error::Usage(format!(
                        "{short} (policydiff.toml [notice.min_days]); to release anyway, give --allow-short-notice \"REASON\""
                    )));
                }
            }
        }
    }
    let message = policy::release_message(
        &policy_name,
        effective,
        args.message.as_deref(),
        previous
            .as_ref()
            .zip(report.as_ref())
            .map(|(prev, report)| SincePrevious {
                tag: &prev.tag,
                report,
                short_notice_reason,
            }),
    );
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
