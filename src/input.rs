//! Reading a file the user named: a regular file only, and never more than a
//! limit, so a wrong argument (`/dev/zero`, a FIFO, a disk image) is refused
//! at once instead of hanging or eating memory.

use std::io::Read;
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum InputError {
    /// The operating system refused.
    #[error("{0}")]
    Io(#[from] std::io::Error),
    /// A directory.
    #[error("is a directory, not a file")]
    Directory,
    /// A device, FIFO or socket.
    #[error("is not a regular file (a device, pipe or socket)")]
    NotRegular,
    /// Larger than the limit.
    #[error("is larger than the {} MiB limit", .0 / (1024 * 1024))]
    TooLarge(u64),
}

/// The bytes of the regular file at `path`, at most `limit` of them.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, InputError> {
    let meta = std::fs::metadata(path)?;
    if meta.is_dir() {
        return Err(InputError::Directory);
    }
    if !meta.is_file() {
        return Err(InputError::NotRegular);
    }
    if meta.len() > limit {
        return Err(InputError::TooLarge(limit));
    }
    let mut bytes = Vec::with_capacity(meta.len() as usize);
    // The file may grow after the check: read one byte past the limit to know.
    std::fs::File::open(path)?
        .take(limit + 1)
        .read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(InputError::TooLarge(limit));
    }
    Ok(bytes)
}

/// [`read_limited`] as UTF-8 text.
pub fn read_text_limited(path: &Path, limit: u64) -> Result<String, InputError> {
    String::from_utf8(read_limited(path, limit)?).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        let line = e.as_bytes()[..at].iter().filter(|&&b| b == b'\n').count() + 1;
        InputError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            format!("not valid UTF-8 (line {line})"),
        ))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_devices_and_large_files() {
        assert!(matches!(
            read_limited(Path::new("/dev/zero"), 10),
            Err(InputError::NotRegular)
        ));
        let dir = tempfile::tempdir().unwrap();
        let f = dir.path().join("f");
        std::fs::write(&f, "0123456789a").unwrap();
        assert!(matches!(
            read_limited(&f, 10),
            Err(InputError::TooLarge(10))
        ));
        assert_eq!(read_limited(&f, 11).unwrap().len(), 11);
        assert!(matches!(
            read_limited(dir.path(), 10),
            Err(InputError::Directory)
        ));
    }
}
