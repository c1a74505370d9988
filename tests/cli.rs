//! End-to-end tests of `pyparallel check` and `pyparallel rule`: every flag, exit code and
//! error message, run against the real binary. PAR603 (get-event-loop, a warning with a safe
//! fix) is the rule under test.

/// One PAR603 diagnostic at 3:12, with a safe fix.
const BAD: &str = "import asyncio\nasync def f():\n    return asyncio.get_event_loop()\n";
const FIXED: &str = "import asyncio\nasync def f():\n    return asyncio.get_running_loop()\n";
const CLEAN: &str = "import asyncio\nasync def f():\n    return 1\n";

mod common;

use common::{Project, Run};

const BAD_LINE: &str = "a.py:3:12: PAR603 [*] `asyncio.get_event_loop()` in a coroutine (I/O-bound asyncio code): use `asyncio.get_running_loop()`, the loop that runs it";

// ---------------------------------------------------------------- exit codes and footer

#[test]
fn clean_file_exits_zero_with_all_checks_passed() {
    let project = Project::new();
    project.write("a.py", CLEAN);
    let run = project.check(&[]);
    run.assert_code(0);
    assert_eq!(run.stdout, "All checks passed!\n");
    assert_eq!(run.stderr, "");
}

#[test]
fn diagnostic_exits_one_with_footer() {
    let project = Project::new();
    project.write("a.py", BAD);
    let run = project.check(&[]);
    run.assert_code(1);
    assert_eq!(
        run.stdout,
        format!(
            "{BAD_LINE}\nFound 1 diagnostic (0 errors, 1 warning).\n[*] 1 fixable with --fix\n"
        )
    );
    // Nothing is written without --fix.
    assert_eq!(project.read("a.py"), BAD);
}

#[test]
fn default_path_is_the_working_folder() {
    let project = Project::new();
    project.write("pkg/a.py", BAD);
    project.write("pkg/b.py", CLEAN);
    let run = project.run(&["check", "--output-format", "concise", "-q"]);
    run.assert_code(1);
    assert!(
        run.stdout.starts_with("pkg/a.py:3:12: PAR603"),
        "{}",
        run.stdout
    );
    assert_eq!(run.stdout.lines().count(), 1);
}

#[test]
fn missing_path_is_exit_two_naming_it() {
    let project = Project::new();
    project.write("a.py", BAD);
    let run = project.check(&["nope.py", "a.py"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("error: nope.py: cannot read path"),
        "{}",
        run.stderr
    );
    // The other file is still checked.
    assert!(run.stdout.contains("a.py:3:12: PAR603"));
}

#[test]
fn unknown_flag_and_missing_subcommand_are_exit_two() {
    let project = Project::new();
    let run = project.run(&["check", "--no-such-flag"]);
    run.assert_code(2);
    assert!(run.stderr.contains("--no-such-flag"), "{}", run.stderr);
    project.run(&[]).assert_code(2);
    let version = project.run(&["--version"]);
    version.assert_code(0);
    assert!(version.stdout.starts_with("pyparallel "));
}

#[test]
fn exit_zero_keeps_diagnostics_but_exits_zero() {
    let project = Project::new();
    project.write("a.py", BAD);
    let run = project.check(&["--exit-zero"]);
    run.assert_code(0);
    assert!(run.stdout.contains(BAD_LINE));
}

#[test]
fn quiet_drops_the_footer_only() {
    let project = Project::new();
    project.write("a.py", BAD);
    let run = project.check(&["-q"]);
    run.assert_code(1);
    assert_eq!(run.stdout, format!("{BAD_LINE}\n"));
    let run = project.check(&["--quiet", "--fix"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "");
    project.write("b.py", CLEAN);
    let run = project.check(&["-q", "b.py"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "");
}

#[test]
fn footer_wording() {
    use pyparallel::output::{write_summary, Summary};
    let render = |summary: Summary| {
        let mut out = Vec::new();
        write_summary(&summary, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    };
    assert_eq!(render(Summary::default()), "All checks passed!\n");
    assert_eq!(
        render(Summary { remaining: 5, errors: 2, warnings: 3, fixable: 3, hidden_unsafe: 2, fixed: 0 }),
        "Found 5 diagnostics (2 errors, 3 warnings).\n[*] 3 fixable with --fix (2 more with --unsafe-fixes)\n"
    );
    assert_eq!(
        render(Summary {
            remaining: 1,
            errors: 1,
            warnings: 0,
            fixable: 0,
            hidden_unsafe: 1,
            fixed: 0
        }),
        "Found 1 diagnostic (1 error, 0 warnings).\n1 fixable with --fix --unsafe-fixes.\n"
    );
    assert_eq!(
        render(Summary {
            remaining: 0,
            errors: 0,
            warnings: 0,
            fixable: 0,
            hidden_unsafe: 0,
            fixed: 2
        }),
        "Found 2 diagnostics (2 fixed, 0 remaining).\n"
    );
}

// ---------------------------------------------------------------- fixes

#[test]
fn fix_rewrites_the_file_and_exits_zero() {
    let project = Project::new();
    project.write("a.py", BAD);
    let run = project.check(&["--fix"]);
    run.assert_code(0);
    assert_eq!(project.read("a.py"), FIXED);
    assert_eq!(run.stdout, "Found 1 diagnostic (1 fixed, 0 remaining).\n");
    // A second run finds nothing.
    project.check(&[]).assert_code(0);
}

#[test]
fn no_fix_overrides_fix() {
    let project = Project::new();
    project.write("a.py", BAD);
    project.check(&["--fix", "--no-fix"]).assert_code(1);
    assert_eq!(project.read("a.py"), BAD);
}

#[test]
fn fix_from_a_name_import_adds_get_running_loop() {
    let project = Project::new();
    project.write(
        "a.py",
        "from asyncio import get_event_loop\n\nasync def f():\n    return get_event_loop()\n",
    );
    project.check(&["--fix"]).assert_code(0);
    let fixed = project.read("a.py");
    assert!(fixed.contains("return get_running_loop()"), "{fixed}");
    assert!(
        fixed.contains("get_running_loop") && fixed.starts_with("from asyncio import"),
        "{fixed}"
    );
    // The result is clean and still parses (a second run reports nothing).
    project.check(&[]).assert_code(0);
}

#[test]
fn unsafe_fixes_flags_are_accepted_and_last_one_wins() {
    // PAR603's fix is safe: it applies with or without unsafe fixes.
    let project = Project::new();
    project.write("a.py", BAD);
    project.check(&["--fix", "--unsafe-fixes"]).assert_code(0);
    assert_eq!(project.read("a.py"), FIXED);
    project.write("a.py", BAD);
    project.write("pyparallel.toml", "unsafe-fixes = true\n");
    project
        .check(&["--fix", "--no-unsafe-fixes"])
        .assert_code(0);
    assert_eq!(project.read("a.py"), FIXED);
    let run = project.check(&["--unsafe-fixes", "--no-unsafe-fixes", "--no-unsafe-fixes"]);
    run.assert_code(0);
    let run = project.check(&["--unsafe-fixes", "--bogus-unsafe"]);
    run.assert_code(2);
}

#[test]
fn diff_prints_a_unified_diff_and_writes_nothing() {
    let project = Project::new();
    project.write("a.py", BAD);
    let run = project.check(&["--diff"]);
    run.assert_code(1);
    assert_eq!(
        run.stdout,
        "--- a/a.py\n+++ b/a.py\n@@ -1,3 +1,3 @@\n import asyncio\n async def f():\n-    return asyncio.get_event_loop()\n+    return asyncio.get_running_loop()\n"
    );
    assert_eq!(project.read("a.py"), BAD);
    // Nothing to change: exit 0, no output.
    project.write("a.py", CLEAN);
    let run = project.check(&["--diff"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "");
}

#[test]
fn diff_with_show_fixes_keeps_stdout_a_clean_patch() {
    let project = Project::new();
    project.write("a.py", BAD);
    let run = project.check(&["--diff", "--show-fixes"]);
    run.assert_code(1);
    assert!(run.stdout.starts_with("--- a/a.py\n"), "{}", run.stdout);
    assert!(!run.stdout.contains("Fix"), "{}", run.stdout);
    assert_eq!(
        run.stderr,
        "Would fix 1 diagnostic:\n- a.py:\n    1 × PAR603 (get-event-loop)\n"
    );
    let run = project.check(&["--diff"]);
    assert_eq!(run.stderr, "Would fix 1 diagnostic.\n");
    let run = project.check(&["--diff", "-q"]);
    assert_eq!(run.stderr, "");
    assert_eq!(project.read("a.py"), BAD);
}

#[test]
fn show_fixes_lists_what_was_fixed() {
    let project = Project::new();
    project.write("a.py", BAD);
    project.write(
        "sub/b.py",
        format!("{BAD}\nasync def g():\n    return asyncio.get_event_loop()\n"),
    );
    let run = project.check(&["--fix", "--show-fixes"]);
    run.assert_code(0);
    assert_eq!(
        run.stdout,
        "\nFixed 3 diagnostics:\n- a.py:\n    1 × PAR603 (get-event-loop)\n- sub/b.py:\n    2 × PAR603 (get-event-loop)\nFound 3 diagnostics (3 fixed, 0 remaining).\n"
    );
    // Without --show-fixes the list is absent.
    project.write("a.py", BAD);
    let run = project.check(&["--fix"]);
    assert!(!run.stdout.contains("Fixed"), "{}", run.stdout);
}

#[test]
fn exit_non_zero_on_fix() {
    let project = Project::new();
    project.write("a.py", BAD);
    project
        .check(&["--fix", "--exit-non-zero-on-fix"])
        .assert_code(1);
    assert_eq!(project.read("a.py"), FIXED);
    // Nothing fixed: exit 0.
    project
        .check(&["--fix", "--exit-non-zero-on-fix"])
        .assert_code(0);
}

#[test]
fn fix_only_applies_fixes_and_reports_only_the_count() {
    let project = Project::new();
    project.write("a.py", BAD);
    let run = project.check(&["--fix-only"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "Fixed 1 diagnostic.\n");
    assert_eq!(project.read("a.py"), FIXED);
    let run = project.check(&["--fix-only"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "Fixed 0 diagnostics.\n");
    project.write("a.py", BAD);
    project
        .check(&["--fix-only", "--exit-non-zero-on-fix"])
        .assert_code(1);
}

#[test]
fn fix_only_exits_zero_even_with_unfixable_diagnostics() {
    // A syntax error cannot be fixed; --fix-only does not report it.
    let project = Project::new();
    project.write("a.py", "def f()\n    pass\n");
    let run = project.check(&["--fix-only"]);
    run.assert_code(0);
    assert!(!run.stdout.contains("SyntaxError"), "{}", run.stdout);
}

// ---------------------------------------------------------------- rule selection

#[test]
fn select_and_ignore_by_code_prefix_name_and_all() {
    let project = Project::new();
    project.write("a.py", BAD);
    for selector in [
        "PAR603",
        "PAR6",
        "PAR60",
        "PAR",
        "get-event-loop",
        "ALL",
        "par603",
    ] {
        let run = project.check(&["--select", selector]);
        assert_eq!(run.code, 1, "--select {selector}: {}", run.stdout);
    }
    for selector in ["PAR4", "PAR401", "missing-main-guard", "PAR40"] {
        let run = project.check(&["--select", selector]);
        assert_eq!(run.code, 0, "--select {selector}: {}", run.stdout);
    }
    for selector in ["PAR603", "PAR6", "get-event-loop", "ALL"] {
        let run = project.check(&["--ignore", selector]);
        assert_eq!(run.code, 0, "--ignore {selector}: {}", run.stdout);
    }
    // A comma-separated list.
    project.check(&["--select", "PAR401,PAR603"]).assert_code(1);
    project.check(&["--ignore", "PAR401,PAR603"]).assert_code(0);
    // extend-select adds to the selected set.
    project
        .check(&["--select", "PAR4", "--extend-select", "PAR603"])
        .assert_code(1);
    project
        .check(&["--select", "PAR4", "--extend-select", "PAR4"])
        .assert_code(0);
    // ignore wins over select.
    project
        .check(&["--select", "PAR603", "--ignore", "PAR6"])
        .assert_code(0);
    // Repeated list options accumulate.
    project
        .check(&["--ignore", "PAR401", "--ignore", "PAR603"])
        .assert_code(0);
    project
        .check(&[
            "--select",
            "PAR4",
            "--extend-select",
            "PAR603",
            "--extend-select",
            "PAR401",
        ])
        .assert_code(1);
}

#[test]
fn repeated_flags_are_not_an_error() {
    // pre-commit: the `pyparallel-fix` hook runs `check --fix`, and users add `args: [--fix]`.
    let project = Project::new();
    project.write("a.py", BAD);
    project
        .check(&["--fix", "--fix", "--exit-zero", "--exit-zero"])
        .assert_code(0);
    assert_eq!(project.read("a.py"), FIXED);
    // A repeated --select accumulates, as a comma-separated list does.
    project.write("a.py", BAD);
    project
        .check(&["--select", "PAR603", "--select", "PAR4"])
        .assert_code(1);
    project
        .check(&["--select", "PAR401", "--select", "PAR402"])
        .assert_code(0);
}

#[test]
fn select_replaces_the_configured_set_and_extend_select_adds() {
    let project = Project::new();
    project.write("a.py", BAD);
    project.write("pyparallel.toml", "select = [\"PAR4\"]\n");
    project.check(&[]).assert_code(0);
    project.check(&["--select", "PAR603"]).assert_code(1);
    project.check(&["--extend-select", "PAR603"]).assert_code(1);
}

#[test]
fn unknown_selector_is_exit_two() {
    let project = Project::new();
    project.write("a.py", BAD);
    for flag in ["--select", "--ignore", "--extend-select"] {
        for selector in ["PAR999", "bogus", "PAR9"] {
            let run = project.check(&[flag, selector]);
            run.assert_code(2);
            assert!(
                run.stderr
                    .contains(&format!("unknown rule selector `{selector}`")),
                "{flag} {selector}: {}",
                run.stderr
            );
            assert!(
                run.stderr.starts_with(&format!("error: {flag}: ")),
                "names the flag: {}",
                run.stderr
            );
            assert!(
                run.stderr.contains("PAR4"),
                "the message says what is allowed: {}",
                run.stderr
            );
            assert_eq!(run.stdout, "");
        }
    }
}

#[test]
fn unknown_selector_on_the_command_line_is_not_blamed_on_the_config_file() {
    let project = Project::new();
    project.write("a.py", BAD);
    project.write("custom.toml", "select = [\"PAR6\"]\n");
    let run = project.check(&["--config", "custom.toml", "--select", "PAR999"]);
    run.assert_code(2);
    assert!(
        run.stderr
            .starts_with("error: --select: unknown rule selector `PAR999`"),
        "{}",
        run.stderr
    );
    assert!(!run.stderr.contains("custom.toml"), "{}", run.stderr);
}

// ---------------------------------------------------------------- statistics

#[test]
fn statistics_text_and_json() {
    let project = Project::new();
    project.write("a.py", BAD);
    project.write(
        "b.py",
        format!("{BAD}\nasync def g():\n    return asyncio.get_event_loop()\n"),
    );
    project.write("c.py", "def f()\n    pass\n");
    let run = project.check(&["--statistics"]);
    run.assert_code(1);
    assert_eq!(
        run.stdout,
        "3\tPAR603     \t[*] get-event-loop\n1\tSyntaxError\t    invalid-syntax\n"
    );
    let run = project.run(&["check", "--statistics", "--output-format", "json"]);
    run.assert_code(1);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        value,
        serde_json::json!([
            {"code": "PAR603", "name": "get-event-loop", "count": 3, "fixable": true},
            {"code": "SyntaxError", "name": "invalid-syntax", "count": 1, "fixable": false},
        ])
    );
    // Clean: nothing printed, exit 0.
    let project = Project::new();
    project.write("a.py", CLEAN);
    let run = project.check(&["--statistics"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "");
}

// ---------------------------------------------------------------- --config and --force-exclude

#[test]
fn config_flag_overrides_discovered_configuration() {
    let project = Project::new();
    project.write("a.py", BAD);
    project.write("pyparallel.toml", "ignore = [\"PAR603\"]\n");
    project.check(&[]).assert_code(0);
    project.write("other.toml", "select = [\"PAR6\"]\n");
    project.check(&["--config", "other.toml"]).assert_code(1);
    let run = project.check(&["--config", "missing.toml"]);
    run.assert_code(2);
    assert!(run.stderr.contains("missing.toml"), "{}", run.stderr);
    assert!(
        run.stderr.contains("no such configuration file"),
        "{}",
        run.stderr
    );
    // A pyproject.toml without the table cannot serve as --config.
    project.write("pyproject.toml", "[project]\nname = \"x\"\n");
    let run = project.check(&["--config", "pyproject.toml"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("no [tool.pyparallel] table"),
        "{}",
        run.stderr
    );
}

#[test]
fn an_exclude_pattern_ending_in_a_slash_names_the_folder() {
    // As README's own example writes it: `extend-exclude = ["vendor/"]`.
    let project = Project::new();
    project.write("pyparallel.toml", "extend-exclude = [\"vendor/\"]\n");
    project.write("vendor/app.py", BAD);
    project.write("b.py", BAD);
    let run = project.check(&["-q"]);
    run.assert_code(1);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(run.stdout.starts_with("b.py:"), "{}", run.stdout);
}

#[test]
fn force_exclude_applies_excludes_to_named_files() {
    let project = Project::new();
    project.write("pyparallel.toml", "extend-exclude = [\"generated\"]\n");
    project.write("generated/a.py", BAD);
    project.write("b.py", BAD);
    // Walking the folder skips it anyway.
    let run = project.check(&["-q"]);
    run.assert_code(1);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(run.stdout.starts_with("b.py:"));
    // Named explicitly: checked without --force-exclude, skipped with it.
    project.check(&["generated/a.py"]).assert_code(1);
    let run = project.check(&["--force-exclude", "generated/a.py"]);
    run.assert_code(0);
    assert_eq!(run.stdout, "All checks passed!\n");
    project
        .check(&["--force-exclude", "generated"])
        .assert_code(0);
    project
        .check(&["--force-exclude", "generated/a.py", "b.py"])
        .assert_code(1);
    // force-exclude in the configuration does the same.
    project.write(
        "pyparallel.toml",
        "extend-exclude = [\"generated\"]\nforce-exclude = true\n",
    );
    project.check(&["generated/a.py"]).assert_code(0);
}

#[test]
fn force_exclude_does_not_exclude_a_project_whose_folder_has_an_excluded_name() {
    // A project living in a folder called `build` (a default exclude) is still checked.
    let project = Project::new();
    project.write("build/pyparallel.toml", "");
    project.write("build/a.py", BAD);
    let mut command = project.command();
    command.current_dir(project.path("build"));
    let run = project.run_with(
        command,
        &[
            "check",
            "--output-format",
            "concise",
            "--force-exclude",
            "a.py",
        ],
        None,
    );
    run.assert_code(1);
}

// ---------------------------------------------------------------- stdin

#[test]
fn stdin_is_checked_under_the_given_name() {
    let project = Project::new();
    let run = project.run_with(
        project.command(),
        &[
            "check",
            "--output-format",
            "concise",
            "-",
            "--stdin-filename",
            "a.py",
        ],
        Some(BAD.as_bytes()),
    );
    run.assert_code(1);
    assert!(run.stdout.starts_with(BAD_LINE), "{}", run.stdout);
    // Without a name it is shown as `-`.
    let run = project.run_with(
        project.command(),
        &["check", "--output-format", "concise", "-"],
        Some(BAD.as_bytes()),
    );
    run.assert_code(1);
    assert!(run.stdout.starts_with("-:3:12: PAR603"), "{}", run.stdout);
    let run = project.run_with(project.command(), &["check", "-"], Some(CLEAN.as_bytes()));
    run.assert_code(0);
}

#[test]
fn stdin_filename_without_a_dash_reads_standard_input_as_ruff_does() {
    let project = Project::new();
    // In the working folder, but not what is checked: standard input is.
    project.write("other.py", BAD);
    let args = [
        "check",
        "--output-format",
        "concise",
        "--stdin-filename",
        "a.py",
    ];
    let run = project.run_with(project.command(), &args, Some(BAD.as_bytes()));
    run.assert_code(1);
    let findings = |stdout: &str| {
        stdout
            .lines()
            .filter(|line| line.contains("PAR603"))
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    assert_eq!(findings(&run.stdout), vec![BAD_LINE], "{}", run.stdout);
    assert_eq!(run.stderr, "");
    // A path beside the name is ignored, with Ruff's warning.
    let mut with_path = args.to_vec();
    with_path.push("other.py");
    let run = project.run_with(project.command(), &with_path, Some(BAD.as_bytes()));
    run.assert_code(1);
    assert_eq!(findings(&run.stdout), vec![BAD_LINE], "{}", run.stdout);
    assert_eq!(
        run.stderr,
        "warning: Ignoring file other.py in favor of standard input.\n"
    );
    // Under --fix the fixed text goes to stdout and no file is written.
    let run = project.run_with(
        project.command(),
        &["check", "--fix", "--stdin-filename", "a.py"],
        Some(BAD.as_bytes()),
    );
    run.assert_code(0);
    assert_eq!(run.stdout, FIXED);
    assert!(!project.path("a.py").exists());
    assert_eq!(project.read("other.py"), BAD);
}

#[test]
fn stdin_under_fix_prints_the_fixed_source_only_on_stdout() {
    let project = Project::new();
    let run = project.run_with(
        project.command(),
        &[
            "check",
            "--output-format",
            "concise",
            "--fix",
            "-",
            "--stdin-filename",
            "a.py",
        ],
        Some(BAD.as_bytes()),
    );
    run.assert_code(0);
    assert_eq!(run.stdout, FIXED);
    assert!(run.stderr.contains("1 fixed"), "{}", run.stderr);
    assert!(!project.path("a.py").exists(), "stdin mode writes no file");
    // Clean input comes back unchanged.
    let run = project.run_with(
        project.command(),
        &["check", "--fix", "-"],
        Some(CLEAN.as_bytes()),
    );
    run.assert_code(0);
    assert_eq!(run.stdout, CLEAN);
    // --fix-only too.
    let run = project.run_with(
        project.command(),
        &["check", "--fix-only", "-"],
        Some(BAD.as_bytes()),
    );
    run.assert_code(0);
    assert_eq!(run.stdout, FIXED);
}

#[test]
fn stdin_under_fix_echoes_input_it_cannot_fix() {
    // An editor replacing its buffer with stdout must never get an empty file back.
    let project = Project::new();
    let broken = b"x = '\xff'\n";
    let run = project.run_with(project.command(), &["check", "--fix", "-"], Some(broken));
    run.assert_code(2);
    assert_eq!(
        run.stdout.as_bytes(),
        String::from_utf8_lossy(broken).as_bytes()
    );
    let syntax = "def f()\n    pass\n";
    let run = project.run_with(
        project.command(),
        &["check", "--fix", "-"],
        Some(syntax.as_bytes()),
    );
    run.assert_code(1);
    assert_eq!(run.stdout, syntax);
}

#[test]
fn stdin_uses_configuration_and_force_exclude_of_its_name() {
    let project = Project::new();
    project.write("pkg/pyparallel.toml", "ignore = [\"PAR603\"]\n");
    let run = project.run_with(
        project.command(),
        &["check", "-", "--stdin-filename", "pkg/a.py"],
        Some(BAD.as_bytes()),
    );
    run.assert_code(0);
    project.write("pyparallel.toml", "exclude = [\"skip_*.py\"]\n");
    let run = project.run_with(
        project.command(),
        &[
            "check",
            "--force-exclude",
            "-",
            "--stdin-filename",
            "skip_me.py",
        ],
        Some(BAD.as_bytes()),
    );
    run.assert_code(0);
    let run = project.run_with(
        project.command(),
        &[
            "check",
            "--force-exclude",
            "--fix",
            "-",
            "--stdin-filename",
            "skip_me.py",
        ],
        Some(BAD.as_bytes()),
    );
    run.assert_code(0);
    assert_eq!(
        run.stdout, BAD,
        "an excluded stdin file is echoed unchanged under --fix"
    );
    let run = project.run_with(
        project.command(),
        &["check", "-", "--stdin-filename", "skip_me.py"],
        Some(BAD.as_bytes()),
    );
    run.assert_code(1);
}

// ---------------------------------------------------------------- broken files

#[test]
fn syntax_error_is_reported_and_other_files_still_checked() {
    let project = Project::new();
    project.write("a.py", BAD);
    project.write("broken.py", "x = 1\ndef f()\n    pass\n");
    let run = project.check(&["-q"]);
    run.assert_code(1);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines.len(), 2, "{}", run.stdout);
    assert_eq!(lines[0], BAD_LINE);
    assert!(
        lines[1].starts_with("broken.py:2:8: SyntaxError: Expected `:`, found newline"),
        "{}",
        lines[1]
    );
    let run = project.run(&["check", "--output-format", "json", "broken.py"]);
    run.assert_code(1);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value[0]["code"], serde_json::Value::Null);
    assert_eq!(value[0]["name"], "invalid-syntax");
    assert_eq!(value[0]["severity"], "error");
    assert_eq!(
        value[0]["location"],
        serde_json::json!({"row": 2, "column": 8})
    );
    assert_eq!(value[0]["fix"], serde_json::Value::Null);
    assert_eq!(value[0]["url"], serde_json::Value::Null);
    // --fix leaves a broken file alone.
    project.check(&["--fix", "broken.py"]).assert_code(1);
    assert_eq!(project.read("broken.py"), "x = 1\ndef f()\n    pass\n");
}

#[test]
fn syntax_errors_fail_even_with_fail_on_error() {
    let project = Project::new();
    project.write("pyparallel.toml", "fail-on = \"error\"\n");
    project.write("broken.py", "def f()\n    pass\n");
    project.check(&[]).assert_code(1);
}

#[test]
fn undeclared_non_utf8_file_is_an_error_naming_it_and_others_are_checked() {
    let project = Project::new();
    project.write("a.py", BAD);
    project.write("latin1.py", b"# caf\xe9\nx = 1\n");
    let run = project.check(&[]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("error: latin1.py: not valid UTF-8 (invalid byte 0xE9 at line 1, column 6) and no PEP 263 coding declaration on its first two lines; Python would reject it"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains(BAD_LINE), "{}", run.stdout);
    // Alone, it is not "All checks passed!".
    let run = project.check(&["latin1.py"]);
    run.assert_code(2);
    assert_eq!(run.stdout, "");
    assert!(run.stderr.contains("latin1.py"), "{}", run.stderr);
}

#[cfg(unix)]
#[test]
fn unreadable_file_is_an_error_naming_it() {
    use std::os::unix::fs::PermissionsExt;
    let project = Project::new();
    project.write("a.py", BAD);
    let secret = project.write("secret.py", BAD);
    std::fs::set_permissions(&secret, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&secret).is_ok() {
        eprintln!("skipped: this user (root?) can read a mode-000 file");
        return;
    }
    let run = project.check(&[]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("error: secret.py: cannot read file"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.contains(BAD_LINE));
}

#[cfg(unix)]
#[test]
fn read_only_file_under_fix_is_an_error_and_unchanged() {
    use std::os::unix::fs::PermissionsExt;
    let project = Project::new();
    let path = project.write("a.py", BAD);
    project.write("b.py", BAD);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o444)).unwrap();
    let run = project.check(&["--fix"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("error: a.py: cannot write the fixed file: the file is read-only; the file was left unchanged"),
        "{}",
        run.stderr
    );
    assert_eq!(project.read("a.py"), BAD);
    // The unfixed diagnostic is still reported, the other file is fixed.
    assert!(run.stdout.contains(BAD_LINE), "{}", run.stdout);
    assert_eq!(project.read("b.py"), FIXED);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o444);
}

#[test]
fn rule_panic_is_reported_and_the_run_continues() {
    if !cfg!(debug_assertions) {
        eprintln!("skipped: PYPARALLEL_DEBUG_PANIC works in debug builds only");
        return;
    }
    let project = Project::new();
    project.write("a.py", BAD);
    project.write("b.py", "x = 1\n");
    project.write("c.py", "def f()\n    pass\n");
    let mut command = project.command();
    command.env("PYPARALLEL_DEBUG_PANIC", "PAR603");
    let run = project.run_with(
        command,
        &["check", "--output-format", "concise", "--fix"],
        None,
    );
    run.assert_code(2);
    assert!(
        run.stderr.contains(
            "error: a.py: internal error in rule PAR603: debug panic requested for PAR603"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("the file was not changed"),
        "{}",
        run.stderr
    );
    assert_eq!(project.read("a.py"), BAD);
    // The other files were checked.
    assert!(
        run.stdout.contains("c.py:1:8: SyntaxError"),
        "{}",
        run.stdout
    );
    // b.py does not call get_event_loop, so PAR603 never reaches a Call it flags... but it
    // does see every call: make sure only files with calls hit the panic.
    assert!(!run.stderr.contains("b.py"), "{}", run.stderr);
}

#[test]
fn deeply_nested_code_does_not_crash() {
    let project = Project::new();
    let parens = format!("x = {}1{}\n", "(".repeat(3000), ")".repeat(3000));
    project.write("parens.py", parens);
    let mut ifs = String::new();
    for depth in 0..1000 {
        ifs.push_str(&" ".repeat(depth));
        ifs.push_str("if x:\n");
    }
    ifs.push_str(&" ".repeat(1000));
    ifs.push_str("pass\n");
    project.write("ifs.py", format!("x = 1\n{ifs}"));
    project.write("a.py", BAD);
    let run = project.check(&["-q"]);
    // Either clean or a syntax error (a parser nesting limit), never a crash.
    assert!(
        run.code == 0 || run.code == 1,
        "code {}: {}",
        run.code,
        run.stderr
    );
    assert!(run.stdout.contains(BAD_LINE), "{}", run.stdout);
    assert!(!run.stderr.contains("internal error"), "{}", run.stderr);
    let calls = format!(
        "import asyncio\nasync def f():\n    return {}asyncio.get_event_loop(){}\n",
        "(".repeat(2000),
        ")".repeat(2000)
    );
    project.write("calls.py", calls);
    let run = project.check(&["-q", "calls.py"]);
    assert!(run.code == 1, "code {}: {}", run.code, run.stderr);
}

// ---------------------------------------------------------------- byte preservation

#[test]
fn crlf_file_keeps_its_line_endings() {
    let project = Project::new();
    let original = BAD.replace('\n', "\r\n");
    project.write("a.py", &original);
    project.check(&["--fix"]).assert_code(0);
    assert_eq!(
        project.read_bytes("a.py"),
        FIXED.replace('\n', "\r\n").into_bytes()
    );
    // An added import uses the file's line ending too.
    let source = "from asyncio import get_event_loop\r\n\r\nasync def f():\r\n    return get_event_loop()\r\n";
    project.write("b.py", source);
    project.check(&["--fix", "b.py"]).assert_code(0);
    let fixed = project.read("b.py");
    assert!(fixed.contains("get_running_loop()"), "{fixed:?}");
    assert_eq!(
        fixed.matches('\n').count(),
        fixed.matches("\r\n").count(),
        "{fixed:?}"
    );
}

#[test]
fn bom_file_keeps_its_bom_and_reports_unshifted_columns() {
    let project = Project::new();
    project.write("a.py", format!("\u{feff}{BAD}"));
    let run = project.check(&["-q"]);
    assert_eq!(run.stdout, format!("{BAD_LINE}\n"));
    project.check(&["--fix"]).assert_code(0);
    assert_eq!(
        project.read_bytes("a.py"),
        format!("\u{feff}{FIXED}").into_bytes()
    );
}

#[test]
fn tab_indented_file_is_fixed_in_place() {
    let project = Project::new();
    let source = "import asyncio\nasync def f():\n\tif True:\n\t\treturn asyncio.get_event_loop()  # trailing\n\treturn 1\n";
    project.write("a.py", source);
    let run = project.check(&["-q"]);
    assert_eq!(
        run.stdout
            .lines()
            .next()
            .unwrap()
            .split(": PAR603")
            .next()
            .unwrap(),
        "a.py:4:10"
    );
    project.check(&["--fix"]).assert_code(0);
    assert_eq!(
        project.read("a.py"),
        source.replace("get_event_loop", "get_running_loop")
    );
}

#[cfg(unix)]
#[test]
fn fix_keeps_file_permissions_and_leaves_no_temporary_files() {
    use std::os::unix::fs::PermissionsExt;
    let project = Project::new();
    let path = project.write("a.py", BAD);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o751)).unwrap();
    project.check(&["--fix"]).assert_code(0);
    assert_eq!(project.read("a.py"), FIXED);
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o751);
    let names: Vec<String> = std::fs::read_dir(&project.root)
        .unwrap()
        .map(|entry| entry.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, vec!["a.py".to_string()]);
}

// ---------------------------------------------------------------- suppression

#[test]
fn noqa_comments() {
    let project = Project::new();
    let cases = [
        ("# noqa", 0),
        ("# noqa: PAR603", 0),
        ("#noqa:PAR603", 0),
        ("# NOQA: par603", 0),
        ("# noqa: E501, PAR603", 0),
        ("# type: ignore  # noqa: PAR603", 0),
        ("# noqa: PAR999", 1),
        ("# noqa: PAR60", 1),
        ("# not a noqa", 1),
        ("# noqa: E501", 1),
    ];
    for (comment, code) in cases {
        project.write(
            "a.py",
            format!(
                "import asyncio\nasync def f():\n    return asyncio.get_event_loop()  {comment}\n"
            ),
        );
        let run = project.check(&[]);
        assert_eq!(run.code, code, "{comment}: {}", run.stdout);
    }
    // A noqa on another line does not suppress.
    project.write("a.py", "import asyncio  # noqa\nasync def f():  # noqa: PAR603\n    return asyncio.get_event_loop()\n");
    project.check(&[]).assert_code(1);
    // A suppressed diagnostic is not fixed either.
    project.write(
        "a.py",
        "import asyncio\nasync def f():\n    return asyncio.get_event_loop()  # noqa\n",
    );
    project.check(&["--fix"]).assert_code(0);
    assert!(project.read("a.py").contains("get_event_loop"));
}

#[test]
fn invalid_noqa_codes_are_warnings_naming_the_file_and_line() {
    let project = Project::new();
    let unknown = |code: &str, line: usize| {
        format!("warning: Unknown rule code in `# noqa` on a.py:{line}: `{code}` is not a pyparallel rule (codes are written in full, e.g. `PAR603`), so it suppresses nothing\n")
    };
    let no_codes = |line: usize| {
        format!("warning: Invalid `# noqa` directive on a.py:{line}: expected a comma-separated list of codes (e.g., `# noqa: PAR101, PAR203`), so it suppresses nothing\n")
    };
    let cases = [
        ("# noqa: PAR60", unknown("PAR60", 3)),
        // Other tools' codes are theirs: only the unknown PAR code is named.
        ("# noqa: E501, par999", unknown("PAR999", 3)),
        // As in Ruff, a colon without codes is not a blanket `# noqa`.
        ("# noqa:", no_codes(3)),
        ("# noqa: get-event-loop", no_codes(3)),
    ];
    for (comment, warning) in cases {
        project.write(
            "a.py",
            format!(
                "import asyncio\nasync def f():\n    return asyncio.get_event_loop()  {comment}\n"
            ),
        );
        let run = project.check(&[]);
        run.assert_code(1);
        assert_eq!(run.stderr, warning, "{comment}");
        // Whatever the output format; not under -q (as Ruff's warnings).
        let run = project.run(&["check", "--output-format", "json"]);
        assert_eq!(run.stderr, warning, "{comment}");
        let run = project.check(&["-q"]);
        assert_eq!(run.stderr, "", "{comment}");
    }
    // On a line without a diagnostic, and file-level directives, too; a valid file is silent.
    project.write(
        "a.py",
        "# pyparallel: noqa: PAR7\nx = 1  # noqa: PAR1234\ny = 2  # noqa: PAR603, E501\n",
    );
    let run = project.check(&[]);
    run.assert_code(0);
    assert_eq!(
        run.stderr,
        format!(
            "warning: Unknown rule code in `# pyparallel: noqa` on a.py:1: `PAR7` is not a pyparallel rule (codes are written in full, e.g. `PAR603`), so it suppresses nothing\n{}",
            unknown("PAR1234", 2)
        )
    );
    project.write("b.py", "x = 1  # noqa: PAR603\n");
    let run = project.check(&["b.py"]);
    assert_eq!(run.stderr, "");
}

#[test]
fn noqa_on_a_multiline_call_goes_on_its_first_line() {
    let project = Project::new();
    project.write(
        "a.py",
        "import asyncio\nasync def f():\n    return asyncio.get_event_loop(  # noqa: PAR603\n    )\n",
    );
    project.check(&[]).assert_code(0);
    project.write(
        "a.py",
        "import asyncio\nasync def f():\n    return asyncio.get_event_loop(\n    )  # noqa: PAR603\n",
    );
    let run = project.run(&["check", "--output-format", "json"]);
    run.assert_code(1);
    let value: serde_json::Value = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(value[0]["noqa_row"], 3);
}

#[test]
fn file_level_noqa() {
    let project = Project::new();
    let cases = [
        ("# pyparallel: noqa", 0),
        ("# pyparallel: noqa: PAR603", 0),
        ("#pyparallel:noqa:PAR603", 0),
        ("# pyparallel: noqa: PAR401", 1),
        ("x = 1  # pyparallel: noqa", 1),
        ("# flake8: noqa", 1),
    ];
    for (comment, code) in cases {
        project.write("a.py", format!("{comment}\n{BAD}"));
        let run = project.check(&[]);
        assert_eq!(run.code, code, "{comment}: {}", run.stdout);
    }
    // Anywhere in the file, on its own line.
    project.write("a.py", format!("{BAD}    # pyparallel: noqa: PAR603\n"));
    project.check(&[]).assert_code(0);
}

// ---------------------------------------------------------------- discovery

#[test]
fn gitignore_is_honoured_without_a_git_repository() {
    let project = Project::new();
    project.write(".gitignore", "ignored/\nskip.py\n");
    project.write("ignored/a.py", BAD);
    project.write("skip.py", BAD);
    project.write("kept.py", BAD);
    let run = project.check(&["-q"]);
    run.assert_code(1);
    assert_eq!(run.stdout.lines().count(), 1, "{}", run.stdout);
    assert!(run.stdout.starts_with("kept.py:"), "{}", run.stdout);
    // respect-gitignore = false turns it off.
    project.write("pyparallel.toml", "respect-gitignore = false\n");
    let run = project.check(&["-q"]);
    assert_eq!(run.stdout.lines().count(), 3, "{}", run.stdout);
}

#[test]
fn default_excludes_and_exclude_settings() {
    let project = Project::new();
    for folder in [
        ".venv",
        "venv",
        "build",
        "node_modules",
        ".git",
        "__pypackages__",
        "site-packages",
    ] {
        project.write(&format!("{folder}/a.py"), BAD);
    }
    project.write("nested/dist/a.py", BAD);
    project.write("src/a.py", BAD);
    project.write("src/gen/b.py", BAD);
    project.write("src/c_pb2.py", BAD);
    project.write("notes.txt", BAD);
    project.write("stub.pyi", BAD);
    let listed = |run: &Run| {
        let mut files: Vec<String> = run
            .stdout
            .lines()
            .map(|line| line.split(':').next().unwrap().to_string())
            .collect();
        files.sort();
        files
    };
    let run = project.check(&["-q"]);
    assert_eq!(
        listed(&run),
        ["src/a.py", "src/c_pb2.py", "src/gen/b.py", "stub.pyi"]
    );
    project.write(
        "pyparallel.toml",
        "extend-exclude = [\"src/gen\", \"*_pb2.py\"]\n",
    );
    let run = project.check(&["-q"]);
    assert_eq!(listed(&run), ["src/a.py", "stub.pyi"]);
    // `exclude` replaces the defaults.
    project.write("pyparallel.toml", "exclude = [\"src\"]\n");
    let run = project.check(&["-q"]);
    let files = listed(&run);
    assert!(files.contains(&"venv/a.py".to_string()), "{files:?}");
    assert!(files.contains(&"nested/dist/a.py".to_string()), "{files:?}");
    assert!(!files.iter().any(|f| f.starts_with("src/")), "{files:?}");
    // A non-Python file named explicitly is checked.
    project.check(&["notes.txt"]).assert_code(1);
    // An excluded folder named explicitly is checked.
    project.write("pyparallel.toml", "");
    let run = project.check(&["-q", "build"]);
    assert_eq!(listed(&run), ["build/a.py"]);
}

#[test]
fn per_file_ignores() {
    let project = Project::new();
    project.write(
        "pyparallel.toml",
        "[per-file-ignores]\n\"tests/*\" = [\"PAR603\"]\n\"legacy.py\" = [\"PAR6\"]\n\"**/old_*.py\" = [\"get-event-loop\"]\n",
    );
    project.write("tests/test_a.py", BAD);
    project.write("legacy.py", BAD);
    project.write("pkg/deep/old_x.py", BAD);
    project.write("a.py", BAD);
    let run = project.check(&["-q"]);
    run.assert_code(1);
    assert_eq!(run.stdout, format!("{BAD_LINE}\n"));
}

#[test]
fn files_are_reported_in_sorted_order_for_any_thread_count() {
    let project = Project::new();
    for name in ["z.py", "m/a.py", "a.py", "b/c/d.py"] {
        project.write(name, BAD);
    }
    let one = project.check(&["--threads", "1"]);
    let four = project.check(&["--threads", "4"]);
    assert_eq!(one.stdout, four.stdout);
    let files: Vec<&str> = one
        .stdout
        .lines()
        .filter_map(|l| l.split(':').next())
        .take(4)
        .collect();
    assert_eq!(files, ["a.py", "b/c/d.py", "m/a.py", "z.py"]);
}

// ---------------------------------------------------------------- colour and defaults

#[test]
fn github_actions_defaults_to_github_format() {
    let project = Project::new();
    project.write("a.py", BAD);
    let mut command = project.command();
    command.env("GITHUB_ACTIONS", "true");
    let run = project.run_with(command, &["check"], None);
    run.assert_code(1);
    assert!(
        run.stdout
            .starts_with("::warning title=pyparallel (PAR603),file=a.py,line=3"),
        "{}",
        run.stdout
    );
    // An explicit format still wins.
    let mut command = project.command();
    command.env("GITHUB_ACTIONS", "true");
    let run = project.run_with(command, &["check", "--output-format", "concise"], None);
    assert!(run.stdout.starts_with(BAD_LINE), "{}", run.stdout);
    // Other values do not switch.
    let mut command = project.command();
    command.env("GITHUB_ACTIONS", "false");
    let run = project.run_with(command, &["check"], None);
    assert!(!run.stdout.contains("::warning"), "{}", run.stdout);
}

/// Runs the binary under a pseudo-terminal (via python3's pty module) and returns its output.
#[cfg(unix)]
fn run_in_terminal(project: &Project, no_color: Option<&str>, format: &str) -> Option<String> {
    run_args_in_terminal(project, no_color, &["check", "--output-format", format])
}

/// Runs the binary with `args` under a pseudo-terminal.
#[cfg(unix)]
fn run_args_in_terminal(
    project: &Project,
    no_color: Option<&str>,
    args: &[&str],
) -> Option<String> {
    let script = r#"
import os, pty, subprocess, sys
master, slave = pty.openpty()
process = subprocess.Popen(sys.argv[1:], stdout=slave, stderr=slave, stdin=subprocess.DEVNULL)
os.close(slave)
chunks = []
while True:
    try:
        data = os.read(master, 65536)
    except OSError:
        break
    if not data:
        break
    chunks.append(data)
process.wait()
sys.stdout.buffer.write(b"".join(chunks))
"#;
    let binary = assert_cmd::cargo::cargo_bin("pyparallel");
    let mut command = std::process::Command::new("python3");
    command
        .arg("-c")
        .arg(script)
        .arg(binary)
        .args(args)
        .current_dir(&project.root)
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS");
    if let Some(value) = no_color {
        command.env("NO_COLOR", value);
    }
    let output = command.output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

#[cfg(unix)]
#[test]
fn colour_on_a_terminal_unless_no_color() {
    let project = Project::new();
    project.write("a.py", BAD);
    let Some(coloured) = run_in_terminal(&project, None, "full") else {
        eprintln!("skipped: python3 with pty is not available");
        return;
    };
    assert!(coloured.contains("\x1b["), "{coloured:?}");
    let plain = run_in_terminal(&project, Some("1"), "full").unwrap();
    assert!(plain.contains("PAR603"), "{plain:?}");
    assert!(!plain.contains("\x1b["), "{plain:?}");
    let concise = run_in_terminal(&project, None, "concise").unwrap();
    assert!(concise.contains("\x1b["), "{concise:?}");
    let concise_plain = run_in_terminal(&project, Some("1"), "concise").unwrap();
    assert!(!concise_plain.contains("\x1b["), "{concise_plain:?}");
    // An empty NO_COLOR does not count (no-color.org).
    let empty = run_in_terminal(&project, Some(""), "concise").unwrap();
    assert!(empty.contains("\x1b["), "{empty:?}");
    // Piped output has no colour (every other test).
    let run = project.check(&[]);
    assert!(!run.stdout.contains('\x1b'));
}

// ---------------------------------------------------------------- pyparallel rule

#[test]
fn rule_prints_documentation() {
    let project = Project::new();
    for selector in ["PAR603", "par603", "get-event-loop"] {
        let run = project.run(&["rule", selector]);
        run.assert_code(0);
        assert!(run.stdout.contains("PAR603"), "{}", run.stdout);
        assert!(run.stdout.contains("get-event-loop"), "{}", run.stdout);
        assert!(run.stdout.contains("## What it does"), "{}", run.stdout);
        assert!(run.stdout.contains("## Fix safety"), "{}", run.stdout);
    }
    let all = project.run(&["rule", "--all"]);
    all.assert_code(0);
    for rule in pyparallel::rules::RULES {
        assert!(
            all.stdout.contains(rule.code),
            "{} missing from rule --all",
            rule.code
        );
    }
    assert!(all.stdout.contains("## What it does"));
}

#[cfg(unix)]
#[test]
fn rule_is_rendered_in_a_terminal_and_markdown_when_piped() {
    let project = Project::new();
    let Some(rendered) = run_args_in_terminal(&project, None, &["rule", "PAR603"]) else {
        eprintln!("skipped: python3 with pty is not available");
        return;
    };
    assert!(
        rendered.contains("\x1b[1mWhat it does\x1b[0m"),
        "{rendered:?}"
    );
    assert!(!rendered.contains("## "), "{rendered:?}");
    assert!(!rendered.contains("```"), "{rendered:?}");
    // Piped (and under NO_COLOR): exactly the generated markdown page.
    let piped = project.run(&["rule", "PAR603"]);
    let page = pyparallel::docs::rule_page(pyparallel::rules::find("PAR603").unwrap());
    assert_eq!(piped.stdout, page);
    let plain = run_args_in_terminal(&project, Some("1"), &["rule", "PAR603"]).unwrap();
    assert!(plain.contains("## What it does"), "{plain:?}");
}

#[test]
fn unknown_rule_is_exit_two() {
    let project = Project::new();
    let run = project.run(&["rule", "PAR999"]);
    run.assert_code(2);
    assert!(
        run.stderr.contains("error: unknown rule `PAR999`"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("PAR603"),
        "lists the known rules: {}",
        run.stderr
    );
    assert_eq!(run.stdout, "");
    project.run(&["rule"]).assert_code(2);
    project.run(&["rule", "PAR603", "--all"]).assert_code(2);
}

#[test]
fn a_folder_without_python_files_warns_and_exits_zero() {
    let project = Project::new();
    project.write("notes.txt", "nothing to check");
    let run = project.check(&[]);
    run.assert_code(0);
    assert_eq!(
        run.stderr,
        "warning: No Python files found under the given path(s)\n"
    );
}
