//! The flags a Ruff user reaches for, with Ruff's spelling and meaning: `--output-file`,
//! `--watch`, `--show-files`, `--show-settings`, `--add-noqa`, `--color` / `FORCE_COLOR`,
//! `-v` / `-q` / `-s`, `--ignore-noqa`, `--target-version`, `--exclude`, `--isolated` ...

use std::io::Read;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

mod common;

use common::Project;

/// One PAR603 diagnostic at 3:12, with a safe fix.
const BAD: &str = "import asyncio\nasync def f():\n    return asyncio.get_event_loop()\n";
const BAD_LINE: &str = "a.py:3:12: PAR603 [*] `asyncio.get_event_loop()` in a coroutine (I/O-bound asyncio code): use `asyncio.get_running_loop()`, the loop that runs it";

// ---------------------------------------------------------------- --output-file

#[test]
fn output_file_receives_the_output_and_stdout_stays_empty() {
    let project = Project::new();
    project.write("a.py", BAD);
    let run = project.run(&[
        "check",
        "--output-format",
        "concise",
        "--output-file",
        "reports/lint.txt",
    ]);
    run.assert_code(1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        project.read("reports/lint.txt"),
        format!(
            "{BAD_LINE}\nFound 1 diagnostic (0 errors, 1 warning).\n[*] 1 fixable with --fix\n"
        )
    );
    // `-o`, any format, never coloured even with --color always.
    let run = project.run(&[
        "check",
        "-o",
        "out.json",
        "--output-format",
        "json",
        "--color",
        "always",
    ]);
    run.assert_code(1);
    let json: serde_json::Value = serde_json::from_str(&project.read("out.json")).unwrap();
    assert_eq!(json[0]["code"], "PAR603");
    let run = project.run(&["check", "-o", "full.txt", "--color", "always"]);
    run.assert_code(1);
    assert!(!project.read("full.txt").contains('\x1b'));
    // PYPARALLEL_OUTPUT_FILE is the same as the flag (Ruff's RUFF_OUTPUT_FILE).
    let mut command = project.command();
    command.env("PYPARALLEL_OUTPUT_FILE", "env.txt");
    let run = project.run_with(command, &["check", "--output-format", "concise"], None);
    run.assert_code(1);
    assert!(project.read("env.txt").starts_with(BAD_LINE));
}

#[test]
fn output_file_that_cannot_be_written_is_exit_two() {
    let project = Project::new();
    project.write("a.py", BAD);
    project.write("taken", "a file, not a folder");
    let run = project.run(&["check", "--output-file", "taken/out.txt"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .starts_with("error: cannot write the output file taken/out.txt:"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------- --show-files, --show-settings

#[test]
fn show_files_lists_what_would_be_checked() {
    let project = Project::new();
    project.write("b.py", BAD);
    project.write("a/x.py", "x = 1\n");
    project.write("a/nb.ipynb", "{}");
    project.write("build/skip.py", "x = 1\n");
    project.write("notes.txt", "x");
    let run = project.run(&["check", "--show-files"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "[TMP]/a/nb.ipynb\n[TMP]/a/x.py\n[TMP]/b.py\n");
    // Excludes from the command line apply.
    let run = project.run(&["check", "--show-files", "--extend-exclude", "a"]);
    assert_eq!(run.stdout, "[TMP]/b.py\n");
    // Nothing found: Ruff's warning.
    project.write("docs/readme.txt", "no Python here");
    let run = project.run(&["check", "--show-files", "docs"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "warning: No Python files found under the given path(s)\n"
    );
}

#[test]
fn show_settings_names_the_file_and_its_configuration() {
    let project = Project::new();
    project.write("pkg/a.py", BAD);
    project.write(
        "pyparallel.toml",
        "ignore = [\"PAR6\"]\nfail-on = \"error\"\nmax-workers = 8\n\n[per-file-ignores]\n\"pkg/*.py\" = [\"PAR1\"]\n",
    );
    let run = project.run(&["check", "--show-settings", "--target-version", "py312"]);
    run.assert_code(0);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "Resolved settings for: \"[TMP]/pkg/a.py\"");
    assert_eq!(lines[1], "Settings path: \"[TMP]/pyparallel.toml\"");
    let has = |line: &str| assert!(lines.contains(&line), "{line} in\n{}", run.stdout);
    has("fail-on = \"error\"");
    has("max-workers = 8");
    has("target-version = \"py312\"");
    has("ignored-for-this-file = [\"PAR101\", \"PAR102\", \"PAR103\"]");
    has("\"[TMP]/pkg/*.py\" = [\"PAR101\", \"PAR102\", \"PAR103\"]");
    let select = lines.iter().find(|l| l.starts_with("select = ")).unwrap();
    assert!(
        select.contains("\"PAR503\"") && !select.contains("PAR6"),
        "{select}"
    );
    // The dump is a configuration pyparallel reads back (the header lines aside).
    let body: String = lines[3..]
        .iter()
        .filter(|line| !line.starts_with("ignored-for-this-file"))
        .map(|line| format!("{line}\n"))
        .collect();
    project.write(
        "echo/pyparallel.toml",
        body.replace("[TMP]", &project.root.to_string_lossy()),
    );
    project.write("echo/a.py", BAD);
    project.run(&["check", "echo"]).assert_code(0);
    // Without a configuration file.
    let other = Project::new();
    other.write("a.py", BAD);
    let run = other.run(&["check", "--show-settings"]);
    assert!(
        run.stdout.starts_with(
            "Resolved settings for: \"[TMP]/a.py\"\nSettings path: none (the built-in defaults)\n"
        ),
        "{}",
        run.stdout
    );
    let empty = Project::new();
    let run = empty.run(&["check", "--show-settings"]);
    run.assert_code(2);
    assert_eq!(
        run.stderr,
        "error: No files found under the given path(s)\n"
    );
}

// ---------------------------------------------------------------- --add-noqa

#[test]
fn add_noqa_suppresses_every_diagnostic_on_its_line() {
    let project = Project::new();
    project.write(
        "a.py",
        "import asyncio\n\n\nasync def f():\n    x = asyncio.get_event_loop()  # keep\n    y = asyncio.get_event_loop()  # noqa: E501\n    return x, y\n",
    );
    project.write("b.py", "x = 1\n");
    let run = project.run(&["check", "--add-noqa"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "Added 2 noqa directives.\n");
    assert_eq!(
        project.read("a.py"),
        "import asyncio\n\n\nasync def f():\n    x = asyncio.get_event_loop()  # keep  # noqa: PAR603\n    y = asyncio.get_event_loop()  # noqa: E501, PAR603\n    return x, y\n"
    );
    assert_eq!(project.read("b.py"), "x = 1\n");
    // Now clean; running it again adds nothing.
    project.check(&[]).assert_code(0);
    let run = project.run(&["check", "--add-noqa"]);
    run.assert_code(0);
    assert_eq!(run.stderr, "");
}

#[test]
fn add_noqa_with_a_reason_keeps_encoding_and_line_endings() {
    let project = Project::new();
    let mut latin = b"# coding: latin-1\r\n# caf\xe9\r\n".to_vec();
    latin.extend_from_slice(BAD.replace('\n', "\r\n").as_bytes());
    project.write("a.py", &latin);
    let run = project.run(&["check", "--add-noqa=kept for now"]);
    run.assert_code(0);
    let mut expected = b"# coding: latin-1\r\n# caf\xe9\r\n".to_vec();
    expected.extend_from_slice(
        b"import asyncio\r\nasync def f():\r\n    return asyncio.get_event_loop()  # noqa: PAR603 kept for now\r\n",
    );
    assert_eq!(project.read_bytes("a.py"), expected);
    project.check(&[]).assert_code(0);
}

#[test]
fn add_noqa_skips_lines_no_comment_can_end_and_notebooks() {
    let project = Project::new();
    // The diagnostic's line ends inside a triple-quoted string.
    let source = "import asyncio\n\n\nasync def f():\n    return asyncio.get_event_loop(), \"\"\"\n    text\"\"\"\n";
    project.write("a.py", source);
    let run = project.run(&["check", "--add-noqa"]);
    run.assert_code(0);
    assert_eq!(project.read("a.py"), source);
    assert_eq!(
        run.stderr,
        "warning: cannot add `# noqa: PAR603` to a.py:5: the line ends inside a string or continues on the next line\n"
    );
    // As in Ruff, notebooks are left alone.
    let notebook = r##"{"cells": [{"cell_type": "code", "execution_count": null, "id": "a", "metadata": {}, "outputs": [], "source": ["import asyncio\n", "async def f():\n", "    return asyncio.get_event_loop()"]}], "metadata": {"kernelspec": {"language": "python", "name": "python3", "display_name": "Python 3"}}, "nbformat": 4, "nbformat_minor": 5}"##;
    let other = Project::new();
    other.write("nb.ipynb", notebook);
    let run = other.run(&["check", "--add-noqa"]);
    run.assert_code(0);
    assert_eq!(other.read("nb.ipynb"), notebook);
}

#[test]
fn add_noqa_conflicts_with_fixing_as_in_ruff() {
    let project = Project::new();
    project.write("a.py", BAD);
    for flag in ["--fix", "--diff", "--watch", "--statistics", "--show-files"] {
        let run = project.run(&["check", "--add-noqa", flag]);
        run.assert_code(2);
        assert!(
            run.stderr.contains("cannot be used with"),
            "{flag}: {}",
            run.stderr
        );
    }
    assert_eq!(project.read("a.py"), BAD);
}

// ---------------------------------------------------------------- colour

#[test]
fn color_flag_and_environment() {
    let project = Project::new();
    project.write("a.py", BAD);
    let colored = |env: &[(&str, &str)], args: &[&str]| {
        let mut command = project.command();
        command.env_remove("FORCE_COLOR");
        for (name, value) in env {
            command.env(name, value);
        }
        let mut all = vec!["check", "--output-format", "concise"];
        all.extend_from_slice(args);
        project
            .run_with(command, &all, None)
            .stdout
            .contains('\x1b')
    };
    // Piped: no colour unless asked for.
    assert!(!colored(&[], &[]));
    assert!(colored(&[], &["--color", "always"]));
    assert!(colored(&[], &["--color=always"]));
    assert!(!colored(&[("FORCE_COLOR", "1")], &["--color", "never"]));
    assert!(colored(&[("FORCE_COLOR", "1")], &[]));
    assert!(colored(&[("FORCE_COLOR", "1")], &["--color", "auto"]));
    assert!(!colored(&[("FORCE_COLOR", "")], &[]));
    // FORCE_COLOR wins over NO_COLOR (Ruff sets the override from it); --color over both.
    assert!(colored(&[("FORCE_COLOR", "1"), ("NO_COLOR", "1")], &[]));
    assert!(colored(&[("NO_COLOR", "1")], &["--color", "always"]));
    // A global flag: before the subcommand too, and for `rule`.
    let mut command = project.command();
    command.env_remove("FORCE_COLOR");
    let run = project.run_with(command, &["--color", "always", "rule", "PAR603"], None);
    assert!(run.stdout.contains('\x1b'));
    let run = project.run(&["check", "--color", "sometimes"]);
    run.assert_code(2);
}

// ---------------------------------------------------------------- log levels

#[test]
fn verbose_says_what_was_configured_found_and_timed() {
    let project = Project::new();
    project.write("a.py", BAD);
    project.write("pkg/pyparallel.toml", "ignore = [\"PAR603\"]\n");
    project.write("pkg/b.py", BAD);
    let run = project.run(&["check", "-v", "--output-format", "concise"]);
    run.assert_code(1);
    let lines: Vec<String> = run
        .stderr
        .lines()
        .map(|line| {
            // Times vary: keep the words.
            line.split(" in ").next().unwrap().to_string()
        })
        .collect();
    assert_eq!(
        lines,
        [
            "debug: Found 2 files to check",
            "debug: Using configuration file [TMP]/pkg/pyparallel.toml",
            "debug: Using the built-in defaults (no configuration file)",
            "debug: Checked a.py",
            "debug: Checked pkg/b.py",
            "debug: Checked 2 files",
        ]
    );
    assert!(run.stdout.starts_with(BAD_LINE));
    // A global flag; -v, -q and -s exclude each other.
    project.run(&["-v", "check"]).assert_code(1);
    project.run(&["check", "-v", "-q"]).assert_code(2);
}

#[test]
fn quiet_and_silent() {
    let project = Project::new();
    project.write("a.py", format!("{BAD}x = 1  # noqa: PAR60\n"));
    let run = project.check(&["-q"]);
    run.assert_code(1);
    assert_eq!(run.stdout, format!("{BAD_LINE}\n"));
    assert_eq!(run.stderr, "", "no warnings under -q, as in Ruff");
    let run = project.check(&["-s"]);
    run.assert_code(1);
    assert_eq!(run.stdout, "");
    assert_eq!(run.stderr, "");
    let run = project.check(&["--silent", "--exit-zero"]);
    run.assert_code(0);
    // Errors are still reported.
    let run = project.check(&["-s", "missing.py"]);
    run.assert_code(2);
    assert!(run.stderr.contains("missing.py"), "{}", run.stderr);
    // Under --fix with standard input, the fixed text is still printed.
    let run = project.run_with(
        project.command(),
        &["check", "-s", "--fix", "-"],
        Some(BAD.as_bytes()),
    );
    assert_eq!(
        run.stdout,
        BAD.replace("get_event_loop", "get_running_loop")
    );
}

// ---------------------------------------------------------------- selection and files

#[test]
fn ignore_noqa_reports_what_comments_hide() {
    let project = Project::new();
    project.write(
        "a.py",
        "# pyparallel: noqa\nimport asyncio\nasync def f():\n    return asyncio.get_event_loop()  # noqa: PAR603\n",
    );
    project.check(&[]).assert_code(0);
    let run = project.check(&["--ignore-noqa", "-q"]);
    run.assert_code(1);
    assert!(
        run.stdout.starts_with("a.py:4:12: PAR603"),
        "{}",
        run.stdout
    );
}

#[test]
fn target_version_flag_overrides_the_configuration() {
    let project = Project::new();
    project.write(
        "a.py",
        "from concurrent.futures import ThreadPoolExecutor\n\n\ndef work(n):\n    total = 0\n    for i in range(n):\n        total += i * i\n    return total\n\n\ndef run(items):\n    with ThreadPoolExecutor() as executor:\n        return list(executor.map(work, items))\n",
    );
    project.write("pyparallel.toml", "target-version = \"py312\"\n");
    let diff = |args: &[&str]| {
        let mut all = vec!["check", "--select", "PAR501", "--diff", "--unsafe-fixes"];
        all.extend_from_slice(args);
        project.run(&all).stdout
    };
    assert!(diff(&[]).contains("ProcessPoolExecutor()"));
    assert!(diff(&["--target-version", "py314"]).contains("InterpreterPoolExecutor()"));
    let run = project.run(&["check", "--target-version", "py27"]);
    run.assert_code(2);
    assert!(run.stderr.contains("py38..py314"), "{}", run.stderr);
}

#[test]
fn exclude_flags_and_gitignore_flags() {
    let project = Project::new();
    project.write("a.py", BAD);
    project.write("gen/b.py", BAD);
    project.write("skip_me.py", BAD);
    project.write(".gitignore", "skip_me.py\n");
    let flagged = |args: &[&str]| {
        let mut all = vec!["check", "-q", "--exit-zero", "--output-format", "concise"];
        all.extend_from_slice(args);
        let run = project.run(&all);
        let mut files: Vec<String> = run
            .stdout
            .lines()
            .map(|line| line.split(':').next().unwrap().to_string())
            .collect();
        files.dedup();
        files
    };
    assert_eq!(flagged(&[]), ["a.py", "gen/b.py"]);
    assert_eq!(flagged(&["--extend-exclude", "gen"]), ["a.py"]);
    assert_eq!(flagged(&["--exclude", "gen/b.py"]), ["a.py"]);
    assert_eq!(
        flagged(&["--no-respect-gitignore"]),
        ["a.py", "gen/b.py", "skip_me.py"]
    );
    assert_eq!(
        flagged(&["--no-respect-gitignore", "--respect-gitignore"]),
        ["a.py", "gen/b.py"]
    );
    // A named file is checked despite excludes, unless --force-exclude; --no-force-exclude
    // turns a configured force-exclude off.
    assert_eq!(
        flagged(&["--extend-exclude", "gen", "gen/b.py"]),
        ["gen/b.py"]
    );
    assert!(flagged(&["--extend-exclude", "gen", "--force-exclude", "gen/b.py"]).is_empty());
    project.write(
        "pyparallel.toml",
        "force-exclude = true\nextend-exclude = [\"gen\"]\n",
    );
    assert!(flagged(&["gen/b.py"]).is_empty());
    assert_eq!(flagged(&["--no-force-exclude", "gen/b.py"]), ["gen/b.py"]);
}

#[test]
fn isolated_reads_no_configuration() {
    let project = Project::new();
    project.write("a.py", BAD);
    project.write("pyparallel.toml", "ignore = [\"PAR603\"]\n");
    project.check(&[]).assert_code(0);
    project.check(&["--isolated"]).assert_code(1);
    // Command-line options still apply.
    project
        .check(&["--isolated", "--config", "ignore = ['PAR603']"])
        .assert_code(0);
    let run = project.check(&["--isolated", "--config", "pyparallel.toml"]);
    run.assert_code(2);
    assert!(run.stderr.contains("--isolated"), "{}", run.stderr);
}

#[test]
fn ruff_short_flags_and_aliases() {
    let project = Project::new();
    project.write("a.py", BAD);
    project.check(&["-e"]).assert_code(0);
    project.check(&["-n"]).assert_code(1);
    project.check(&["--extend-ignore", "PAR603"]).assert_code(0);
    project
        .check(&[
            "--fix-only",
            "--no-fix-only",
            "--show-fixes",
            "--no-show-fixes",
        ])
        .assert_code(1);
    let run = project.check(&["-e", "--exit-non-zero-on-fix"]);
    run.assert_code(2);
    // The output format from the environment (Ruff's RUFF_OUTPUT_FORMAT).
    let mut command = project.command();
    command.env("PYPARALLEL_OUTPUT_FORMAT", "pylint");
    let run = project.run_with(command, &["check"], None);
    assert!(
        run.stdout.starts_with("a.py:3: [PAR603] "),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------- --watch

/// Reads the child's stdout until `needle` has appeared `times` times (or 30 s pass).
fn wait_for(
    output: &std::sync::Arc<std::sync::Mutex<String>>,
    needle: &str,
    times: usize,
) -> String {
    let started = Instant::now();
    loop {
        let text = output.lock().unwrap().clone();
        if text.matches(needle).count() >= times || started.elapsed() > Duration::from_secs(30) {
            return text;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

#[test]
fn watch_rechecks_on_change_and_clears_the_screen() {
    let project = Project::new();
    project.write("a.py", BAD);
    project.write("notes.txt", "not Python");
    let mut child = Command::new(env!("CARGO_BIN_EXE_pyparallel"))
        .current_dir(&project.root)
        .args(["check", "--watch", "--output-format", "concise"])
        .env_remove("TERM")
        .env_remove("GITHUB_ACTIONS")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let output = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let sink = output.clone();
    std::thread::spawn(move || {
        let mut buffer = [0u8; 4096];
        while let Ok(n) = stdout.read(&mut buffer) {
            if n == 0 {
                break;
            }
            sink.lock()
                .unwrap()
                .push_str(&String::from_utf8_lossy(&buffer[..n]));
        }
    });
    let clear = "\x1b[H\x1b[2J\x1b[3J";
    let first = wait_for(&output, "Watching for file changes.", 1);
    // A change to a file that is not Python starts no run.
    project.write("notes.txt", "still not Python");
    std::thread::sleep(Duration::from_millis(500));
    project.write("a.py", "x = 1\n");
    let second = wait_for(&output, "Watching for file changes.", 2);
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(
        first,
        format!("{clear}Starting linter in watch mode...\nFound 1 diagnostic. Watching for file changes.\n\n{BAD_LINE}\n")
    );
    assert_eq!(
        second,
        format!("{first}{clear}File change detected...\nFound 0 diagnostics. Watching for file changes.\n")
    );
}

#[test]
fn watch_refuses_standard_input() {
    let project = Project::new();
    let run = project.run_with(
        project.command(),
        &["check", "--watch", "-"],
        Some(b"x = 1\n"),
    );
    run.assert_code(2);
    assert_eq!(run.stderr, "error: --watch cannot read standard input\n");
}
