//! The command-edge error type and the exit-code mapping.

use std::process::ExitCode;

use crate::archive::ArchiveError;
use crate::config::ConfigError;

/// Exit status: success (and `check` below its threshold).
pub const EXIT_OK: u8 = 0;
/// Exit status: `check` found a change at or above `--fail-on`.
pub const EXIT_CHECK_FAILED: u8 = 1;
/// Exit status: any error (bad arguments, unreadable input, git failure …).
pub const EXIT_ERROR: u8 = 2;

/// Any error a command reports. Every variant but `CheckFailed` exits with [`EXIT_ERROR`].
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Configuration problems.
    #[error(transparent)]
    Config(#[from] ConfigError),
    /// Reading versions or git history.
    #[error(transparent)]
    Archive(#[from] ArchiveError),
    /// A template that does not render.
    #[error("template {0}")]
    Template(#[from] crate::render::notice::TemplateError),
    /// Writing a Word document.
    #[error(transparent)]
    Docx(#[from] crate::render::docx::DocxError),
    /// Arguments that do not fit together.
    #[error("{0}")]
    Usage(String),
    /// `check` found a change at or above `--fail-on` (exit 1, not an error of use).
    #[error("{0}")]
    CheckFailed(String),
    /// Writing output.
    #[error("{path}: {source}")]
    Io {
        /// The file written.
        path: String,
        /// The cause.
        source: std::io::Error,
    },
}

/// Result alias for commands.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// The process exit code for this error.
    pub fn exit_code(&self) -> ExitCode {
        match self {
            Error::CheckFailed(_) => ExitCode::from(EXIT_CHECK_FAILED),
            _ => ExitCode::from(EXIT_ERROR),
        }
    }
}
