//! The `policydiff` binary: parse arguments, run the command, map errors to exit codes.

use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match policydiff::cli::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => e.exit(), // --help, --version
        Err(e) => {
            // Usage errors follow the one-line convention of every other error.
            eprintln!("policydiff: error: {}", usage_line(&e.render().to_string()));
            return ExitCode::from(policydiff::error::EXIT_ERROR);
        }
    };
    match policydiff::commands::run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(policydiff::error::Error::CheckFailed(why)) => {
            eprintln!("policydiff: check failed: {}", one_line(&why));
            ExitCode::from(policydiff::error::EXIT_CHECK_FAILED)
        }
        Err(e) => {
            eprintln!("policydiff: error: {}", one_line(&e.to_string()));
            e.exit_code()
        }
    }
}

/// An error message as one line, with input control characters made visible.
/// Messages that span lines (a library's snippet with a caret under it) keep
/// their first line and their last, which states the error.
fn one_line(message: &str) -> String {
    let lines: Vec<&str> = message
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let joined = match lines.as_slice() {
        [] => String::new(),
        [one] => (*one).to_owned(),
        [first, .., last] => format!(
            "{}: {}",
            first.trim_end_matches(':'),
            last.strip_prefix("error: ").unwrap_or(last)
        ),
    };
    policydiff::terminal::visible_controls(&joined).into_owned()
}

/// clap's multi-line usage error as one line: the error, the items it lists,
/// and which `--help` to read.
fn usage_line(text: &str) -> String {
    let mut lines = text.lines();
    let first = lines.next().unwrap_or_default();
    let mut message = first.strip_prefix("error: ").unwrap_or(first).to_owned();
    if message.ends_with(':') {
        // "the following required arguments were not provided:" + an indented list.
        let items: Vec<&str> = lines
            .clone()
            .map(str::trim)
            .take_while(|l| !l.is_empty())
            .collect();
        message.push(' ');
        message.push_str(&items.join(", "));
    } else if let Some(values) = text
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with("[possible values:"))
    {
        message.push(' ');
        message.push_str(values);
    }
    let command = text
        .lines()
        .find_map(|l| l.strip_prefix("Usage: "))
        .map(|u| {
            u.split_whitespace()
                .take_while(|w| !w.starts_with(['[', '<', '-']))
                .collect::<Vec<_>>()
                .join(" ")
        })
        .filter(|c| !c.is_empty())
        .or_else(|| {
            // No usage line: the subcommand is the first word after the binary.
            std::env::args()
                .nth(1)
                .filter(|a| !a.starts_with('-'))
                .map(|a| format!("policydiff {a}"))
        })
        .unwrap_or_else(|| "policydiff".into());
    one_line(&format!("{message} (see {command} --help)"))
}
