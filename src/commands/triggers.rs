//! `policydiff triggers [VERSION]`: the policy's own list of major changes,
//! as read and mapped to detectors.

use super::{Context, write_stdout};
use crate::classify;
use crate::cli::{ListFormat, TriggersArgs};
use crate::error::Result;
use crate::pipeline::parse;
use crate::render;

pub(super) fn run(ctx: &Context, args: TriggersArgs) -> Result<()> {
    let policy = args.policy.policy.as_deref();
    let version = match &args.spec {
        Some(spec) => ctx.version(spec, policy)?,
        None => ctx.policy_file_version(policy)?,
    };
    let doc = parse(&version);
    let (list, read, warnings) = classify::triggers_for(&doc, &ctx.rules()?);
    let verdict = classify::Verdict {
        classification: classify::Classification::None,
        triggers: list,
        fired: Vec::new(),
        review: Vec::new(),
        list: read,
        warnings,
    };
    let info = crate::report::TriggerListInfo::new(&verdict);
    let out = match args.format {
        ListFormat::Json => render::json(&info),
        ListFormat::Text => render::trigger_list(&info, &verdict.warnings, &version.spec),
    };
    write_stdout(out.as_bytes())
}
