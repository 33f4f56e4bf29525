//! Converters from other document formats into the project's Markdown:
//! bytes in, Markdown (and notes about the source) out. They sit between the
//! archive, which hands them raw bytes, and the document layer, which parses
//! the Markdown; they never touch files or git.

pub mod docx;
pub mod numbering;

/// Why a document could not be converted.
#[derive(Debug, thiserror::Error)]
pub enum ConvertError {
    /// The input is not a document of the expected kind.
    #[error("not a Word document (.docx): {0}")]
    NotDocx(String),
    /// A part of the document is malformed.
    #[error("{part}: {message}")]
    Malformed {
        /// The part (`word/document.xml`).
        part: String,
        /// What is wrong.
        message: String,
    },
    /// The input is refused as unsafe to read (a zip bomb, entity expansion).
    #[error("{0}")]
    Refused(String),
}
