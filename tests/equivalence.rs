//! Execution equivalence: each program in `tests/equivalence/PAR*.py` prints the same before
//! and after `pyparallel check --fix --unsafe-fixes` (or, with a `.expected` file beside it,
//! prints that intended output after the fix), the fix changes it, and a second run
//! changes nothing. Needs `python3`, and NumPy and pandas for the PAR3 programs (installed by
//! `scripts/test.sh`; never skipped: a missing interpreter or package fails the test).

use std::path::{Path, PathBuf};
use std::process::Command;

fn python(args: &[&Path]) -> String {
    let output = Command::new("python3")
        .args(args)
        .output()
        .expect("python3 must be installed to run the execution-equivalence tests");
    assert!(
        output.status.success(),
        "python3 {args:?} failed:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn fix(path: &Path) {
    let status = Command::new(env!("CARGO_BIN_EXE_pyparallel"))
        .args([
            "check",
            "--fix",
            "--unsafe-fixes",
            "--select",
            "ALL",
            "-q",
            "--exit-zero",
        ])
        .arg(path)
        .status()
        .unwrap();
    assert!(status.success(), "pyparallel failed on {}", path.display());
}

/// How a program must be run so that its original version works at all.
enum Harness {
    /// Run directly.
    Plain,
    /// Compare with process pools swapped for threads (the original cannot pickle), then run
    /// the fixed program with real processes under `spawn` too.
    ThreadsThenSpawn,
    /// Run directly, then run the fixed program under `spawn` (which the original fails).
    PlainThenSpawn,
}

fn harness(name: &str) -> Harness {
    match &name[..6] {
        "PAR401" => Harness::ThreadsThenSpawn,
        "PAR402" | "PAR101" | "PAR102" | "PAR103" | "PAR501" => Harness::PlainThenSpawn,
        _ => Harness::Plain,
    }
}

#[test]
fn fixes_preserve_program_output() {
    let folder = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/equivalence");
    let threads = folder.join("with_threads.py");
    let spawn = folder.join("with_spawn.py");
    let mut programs: Vec<PathBuf> = std::fs::read_dir(&folder)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| {
            path.file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with("PAR")
                && path.extension().is_some_and(|ext| ext == "py")
        })
        .collect();
    programs.sort();
    assert!(programs.len() >= 3);
    for program in programs {
        let name = program.file_name().unwrap().to_string_lossy().to_string();
        let temp = tempfile::tempdir().unwrap();
        let copy = temp.path().join(&name);
        std::fs::copy(&program, &copy).unwrap();
        let original = std::fs::read_to_string(&copy).unwrap();
        let run = |path: &Path| match harness(&name) {
            Harness::ThreadsThenSpawn => python(&[&threads, path]),
            Harness::Plain | Harness::PlainThenSpawn => python(&[path]),
        };
        let before = run(&copy);
        assert!(!before.trim().is_empty(), "{name} printed nothing");

        fix(&copy);
        let fixed = std::fs::read_to_string(&copy).unwrap();
        assert_ne!(fixed, original, "{name}: the fix changed nothing");
        let after = run(&copy);
        // A rule whose finding is that the program does not do what it says (PAR605: a
        // coroutine that never runs) keeps the intended output beside the program instead.
        let expected = program.with_extension("expected");
        if expected.exists() {
            let expected = std::fs::read_to_string(&expected).unwrap();
            assert_ne!(
                before, expected,
                "{name}: the original already prints the intended output"
            );
            assert_eq!(
                after, expected,
                "{name}: the fixed program does not print the intended output; fixed source:\n{fixed}"
            );
        } else {
            assert_eq!(
                before, after,
                "{name}: output changed by the fix; fixed source:\n{fixed}"
            );
        }
        if matches!(
            harness(&name),
            Harness::ThreadsThenSpawn | Harness::PlainThenSpawn
        ) {
            let real = python(&[&spawn, &copy]);
            assert_eq!(
                before, real,
                "{name}: the fixed program differs under real spawned processes"
            );
        }

        fix(&copy);
        assert_eq!(
            std::fs::read_to_string(&copy).unwrap(),
            fixed,
            "{name}: not a fixed point"
        );
    }
}
