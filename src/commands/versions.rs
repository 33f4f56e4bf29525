//! `policydiff versions`: every committed version of the policy.

use super::{Context, write_stdout};
use crate::archive;
use crate::cli::{ListFormat, VersionsArgs};
use crate::error::Result;
use crate::render;

pub(super) fn run(ctx: &Context, args: VersionsArgs) -> Result<()> {
    let archive = ctx.archive()?;
    archive::read_once();
    let (policy, path) = ctx.policy(args.policy.policy.as_deref(), &archive)?;
    let progress = super::log::Progress::new();
    let found = archive::find_versions(&archive, &[&path], &mut |p| progress.walk(p))?;
    progress.finish();
    let entries = archive::entries(&archive, &path, &policy.name, &found[0])?;
    let out = match args.format {
        ListFormat::Json => render::json(&entries),
        ListFormat::Text => {
            let mut s = String::new();
            if entries.is_empty() {
                s.push_str(&format!("no committed versions of {path}\n"));
            }
            for e in &entries {
                let release = match (&e.tag, &e.effective) {
                    (Some(t), Some(d)) => format!("  [{t}, effective {d}]"),
                    _ => String::new(),
                };
                s.push_str(&format!(
                    "{}  {}  {}  {}{}\n",
                    &e.commit[..10],
                    &e.date[..e.date.len().min(10)],
                    e.author,
                    e.subject,
                    release
                ));
            }
            // Subjects and authors are anyone's text: never raw to a terminal.
            crate::terminal::visible_controls(&s).into_owned()
        }
    };
    write_stdout(out.as_bytes())
}
