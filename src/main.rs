//! The `policydiff` binary: parse arguments, run the command, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = policydiff::cli::Cli::parse();
    match policydiff::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(policydiff::error::Error::CheckFailed(why)) => {
            eprintln!("policydiff: check failed: {why}");
            ExitCode::from(policydiff::error::EXIT_CHECK_FAILED)
        }
        Err(e) => {
            eprintln!("policydiff: error: {e}");
            e.exit_code()
        }
    }
}
