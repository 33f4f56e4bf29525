//! `policydiff show VERSION`: one version's text.

use std::io::IsTerminal;

use super::{Context, write_stdout};
use crate::cli::ShowArgs;
use crate::error::Result;

pub(super) fn run(ctx: &Context, args: ShowArgs) -> Result<()> {
    let version = ctx.version(&args.spec, args.policy.policy.as_deref())?;
    // Exactly the bytes, except to a terminal, which must not obey them.
    if std::io::stdout().is_terminal() {
        return write_stdout(crate::terminal::visible_controls(&version.text).as_bytes());
    }
    write_stdout(version.text.as_bytes())
}
