//! The throwaway project folder the end-to-end tests run the real binary in.
#![allow(dead_code)]

use std::path::PathBuf;

use assert_cmd::Command;
use tempfile::TempDir;

/// A throwaway project folder; the binary runs with it as the working folder.
pub struct Project {
    _dir: TempDir,
    pub root: PathBuf,
}

pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    pub fn assert_code(&self, code: i32) -> &Self {
        assert_eq!(
            self.code, code,
            "unexpected exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout, self.stderr
        );
        self
    }
}

impl Project {
    pub fn new() -> Self {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().canonicalize().expect("canonical temp dir");
        Self { _dir: dir, root }
    }

    pub fn path(&self, relative: &str) -> PathBuf {
        self.root.join(relative)
    }

    pub fn write(&self, relative: &str, contents: impl AsRef<[u8]>) -> PathBuf {
        let path = self.path(relative);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, contents).unwrap();
        path
    }

    pub fn read(&self, relative: &str) -> String {
        std::fs::read_to_string(self.path(relative)).unwrap()
    }

    pub fn read_bytes(&self, relative: &str) -> Vec<u8> {
        std::fs::read(self.path(relative)).unwrap()
    }

    pub fn command(&self) -> Command {
        let mut command = Command::cargo_bin("pyparallel").unwrap();
        command
            .current_dir(&self.root)
            .env_remove("GITHUB_ACTIONS")
            .env_remove("NO_COLOR")
            .env_remove("PYPARALLEL_DEBUG_PANIC");
        command
    }

    pub fn run_with(&self, mut command: Command, args: &[&str], stdin: Option<&[u8]>) -> Run {
        command.args(args);
        if let Some(stdin) = stdin {
            command.write_stdin(stdin.to_vec());
        }
        let output = command.output().unwrap();
        let redact = |bytes: &[u8]| {
            String::from_utf8_lossy(bytes)
                .replace(&self.root.to_string_lossy().to_string(), "[TMP]")
        };
        Run {
            code: output.status.code().expect("exit code"),
            stdout: redact(&output.stdout),
            stderr: redact(&output.stderr),
        }
    }

    pub fn run(&self, args: &[&str]) -> Run {
        self.run_with(self.command(), args, None)
    }

    /// `pyparallel check --output-format concise ARGS`.
    pub fn check(&self, args: &[&str]) -> Run {
        let mut all = vec!["check", "--output-format", "concise"];
        all.extend_from_slice(args);
        self.run(&all)
    }
}
