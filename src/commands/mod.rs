//! The commands. Each file parses its arguments, calls the core, and writes
//! the output; `context` loads what they share and `output` writes files.

mod check;
mod context;
mod diff;
mod import;
mod init;
mod log;
mod man;
mod notice;
mod output;
mod receipts;
mod release;
mod send;
mod show;
mod site;
mod triggers;
mod verify;
mod versions;

pub use output::write_atomic;

pub(crate) use context::Context;
pub(crate) use output::{emit, write_stdout};

use std::cell::OnceCell;

use crate::cli::{Cli, Command};
use crate::error::{Error, Result};

/// Run a parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    let cwd = std::env::current_dir().map_err(|source| Error::Io {
        path: ".".into(),
        source,
    })?;
    let ctx = Context {
        cwd,
        explicit_config: cli.config.clone(),
        config: OnceCell::new(),
        color: cli.color,
    };
    match cli.command {
        Command::Diff(args) => diff::run(&ctx, args),
        Command::Show(args) => show::run(&ctx, args),
        Command::Triggers(args) => triggers::run(&ctx, args),
        Command::Notice(args) => notice::run(&ctx, args),
        Command::Site(args) => site::run(&ctx, args),
        Command::History(args) => site::history(&ctx, args),
        Command::Send(args) => send::run(&ctx, args),
        Command::Receipts(args) => receipts::run(&ctx, args),
        Command::Check(args) => check::run(&ctx, args),
        Command::Log(args) => log::run(&ctx, args),
        Command::Versions(args) => versions::run(&ctx, args),
        Command::Release(args) => release::run(&ctx, args),
        Command::Init(args) => init::run(&ctx, args),
        Command::Verify(args) => verify::run(&ctx, args),
        Command::Import(args) => import::run(&ctx, args),
        Command::Completions { shell } => man::completions(shell),
        Command::Man { out } => man::run(out),
    }
}
