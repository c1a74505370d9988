//! Reading and writing checked files without losing anything: BOM, line endings, permissions.

use std::io::Write;
use std::path::{Path, PathBuf};

pub use crate::encoding::Decoded as FileText;

/// Why a file could not be read as Python source.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    Decode(crate::encoding::DecodeError),
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(error) => write!(f, "cannot read file: {error}"),
            ReadError::Decode(error) => write!(f, "{error}"),
        }
    }
}

pub fn read_source(path: &Path) -> Result<FileText, ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    decode_source(bytes)
}

/// Decodes a file's bytes as Python does (PEP 263), keeping what is needed to write it back.
pub fn decode_source(bytes: Vec<u8>) -> Result<FileText, ReadError> {
    crate::encoding::decode(bytes).map_err(ReadError::Decode)
}

/// Writes `bytes` through a temporary file in the same folder and a rename, keeping the
/// original's permissions: a crash never leaves a half-written file.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let metadata = std::fs::metadata(path)?;
    if metadata.permissions().readonly() {
        return Err(std::io::Error::new(
            std::io::ErrorKind::PermissionDenied,
            "the file is read-only",
        ));
    }
    let folder = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut temp = tempfile_in(folder, path)?;
    let result = (|| {
        temp.1.write_all(bytes)?;
        temp.1.sync_all()?;
        std::fs::set_permissions(&temp.0, metadata.permissions())?;
        std::fs::rename(&temp.0, path)
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp.0);
    }
    result
}

fn tempfile_in(folder: &Path, target: &Path) -> std::io::Result<(PathBuf, std::fs::File)> {
    let stem = target
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_default();
    for attempt in 0..100u32 {
        let candidate = folder.join(format!(
            ".{stem}.pyparallel-{}-{attempt}.tmp",
            std::process::id()
        ));
        match std::fs::OpenOptions::new()
            .write(true)
            .create_new(true)
            .open(&candidate)
        {
            Ok(file) => return Ok((candidate, file)),
            Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(error) => return Err(error),
        }
    }
    Err(std::io::Error::other("could not create a temporary file"))
}

/// `path` made absolute against `cwd`, with `.` and `..` folded (without touching the disk).
pub fn absolute(path: &Path, cwd: &Path) -> PathBuf {
    let joined = if path.is_absolute() {
        path.to_path_buf()
    } else {
        cwd.join(path)
    };
    let mut normal = PathBuf::new();
    for component in joined.components() {
        match component {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                normal.pop();
            }
            other => normal.push(other),
        }
    }
    normal
}
