//! `policydiff man` and `policydiff completions`.

use std::path::PathBuf;

use clap::CommandFactory;

use super::write_stdout;
use crate::cli::Cli;
use crate::error::{Error, Result};

/// A completion script for `shell`.
pub(super) fn completions(shell: clap_complete::Shell) -> Result<()> {
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut Cli::command(), "policydiff", &mut out);
    write_stdout(&out)
}

pub(super) fn run(out: Option<PathBuf>) -> Result<()> {
    let cmd = Cli::command();
    match out {
        None => {
            let mut buf = Vec::new();
            clap_mangen::Man::new(cmd)
                .render(&mut buf)
                .map_err(|source| Error::Io {
                    path: "<stdout>".into(),
                    source,
                })?;
            write_stdout(&buf)
        }
        Some(dir) => {
            std::fs::create_dir_all(&dir).map_err(|source| Error::Io {
                path: dir.display().to_string(),
                source,
            })?;
            clap_mangen::generate_to(cmd, &dir).map_err(|source| Error::Io {
                path: dir.display().to_string(),
                source,
            })
        }
    }
}
