//! Reading and writing checked files without losing anything: BOM, line endings, permissions.

use std::io::Write;
use std::path::{Path, PathBuf};

const BOM: &str = "\u{feff}";

/// A file's text, with the byte-order mark (if any) held apart so positions start at the code.
#[derive(Debug, Clone)]
pub struct FileText {
    pub text: String,
    pub has_bom: bool,
}

/// Why a file could not be read as Python source.
#[derive(Debug)]
pub enum ReadError {
    Io(std::io::Error),
    NotUtf8 { offset: usize },
}

impl std::fmt::Display for ReadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ReadError::Io(error) => write!(f, "cannot read file: {error}"),
            ReadError::NotUtf8 { offset } => {
                write!(f, "not valid UTF-8 (invalid byte at offset {offset}); Python source must be UTF-8")
            }
        }
    }
}

pub fn read_source(path: &Path) -> Result<FileText, ReadError> {
    let bytes = std::fs::read(path).map_err(ReadError::Io)?;
    decode_source(bytes)
}

pub fn decode_source(bytes: Vec<u8>) -> Result<FileText, ReadError> {
    let text = String::from_utf8(bytes).map_err(|error| ReadError::NotUtf8 {
        offset: error.utf8_error().valid_up_to(),
    })?;
    Ok(match text.strip_prefix(BOM) {
        Some(rest) => FileText {
            text: rest.to_string(),
            has_bom: true,
        },
        None => FileText {
            text,
            has_bom: false,
        },
    })
}

/// Writes `text` (re-adding the BOM) through a temporary file in the same folder and a rename,
/// keeping the original's permissions: a crash never leaves a half-written file.
pub fn write_atomic(path: &Path, text: &str, has_bom: bool) -> std::io::Result<()> {
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
        if has_bom {
            temp.1.write_all(BOM.as_bytes())?;
        }
        temp.1.write_all(text.as_bytes())?;
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
