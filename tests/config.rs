//! Configuration: discovery (closest file wins), `[tool.pyparallel]`, line-accurate errors,
//! `fail-on`, and the repository's `pyparallel.toml` being exactly the built-in defaults.

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use pyparallel::config::{parse_config, KEYS};
use pyparallel::diagnostic::Severity;
use pyparallel::settings::{Overrides, Settings, DEFAULT_EXCLUDE};

const BAD: &str = "import asyncio\nasync def f():\n    return asyncio.get_event_loop()\n";

mod common;

use common::{Project, Run};

/// Configuration-specific runs on the shared test project.
trait ConfigRuns {
    /// `check --output-format concise -q ARGS`.
    fn check_quiet(&self, args: &[&str]) -> Run;
    fn flagged(&self, args: &[&str]) -> Vec<String>;
    fn config_error(&self, name: &str, contents: &str) -> String;
}

impl ConfigRuns for Project {
    fn check_quiet(&self, args: &[&str]) -> Run {
        let mut all = vec!["-q"];
        all.extend_from_slice(args);
        self.check(&all)
    }

    /// The files reported, sorted.
    fn flagged(&self, args: &[&str]) -> Vec<String> {
        let run = self.check_quiet(args);
        assert!(run.code <= 1, "exit {}: {}", run.code, run.stderr);
        let mut files: Vec<String> = run
            .stdout
            .lines()
            .map(|l| l.split(':').next().unwrap().to_string())
            .collect();
        files.sort();
        files
    }

    /// Runs with a configuration file holding `contents`; asserts exit 2 and returns stderr.
    fn config_error(&self, name: &str, contents: &str) -> String {
        self.write(name, contents);
        self.write("a.py", BAD);
        let run = self.check_quiet(&[]);
        assert_eq!(
            run.code, 2,
            "{contents}\n--- stdout\n{}\n--- stderr\n{}",
            run.stdout, run.stderr
        );
        assert_eq!(
            run.stdout, "",
            "nothing is checked under a broken configuration"
        );
        run.stderr
    }
}

// ---------------------------------------------------------------- discovery

#[test]
fn each_config_file_name_is_found() {
    for name in ["pyparallel.toml", ".pyparallel.toml"] {
        let project = Project::new();
        project.write("a.py", BAD);
        project.write(name, "ignore = [\"PAR603\"]\n");
        assert_eq!(project.check_quiet(&[]).code, 0, "{name}");
    }
    let project = Project::new();
    project.write("a.py", BAD);
    project.write(
        "pyproject.toml",
        "[project]\nname = \"x\"\n\n[tool.pyparallel]\nignore = [\"PAR603\"]\n",
    );
    assert_eq!(project.check_quiet(&[]).code, 0);
}

#[test]
fn pyproject_without_the_table_is_skipped_for_the_next_one_up() {
    let project = Project::new();
    project.write("pyparallel.toml", "ignore = [\"PAR603\"]\n");
    project.write("pkg/pyproject.toml", "[tool.ruff]\nselect = [\"E\"]\n");
    project.write("pkg/a.py", BAD);
    assert_eq!(project.check_quiet(&[]).code, 0);
    // With the table, the pyproject wins.
    project.write(
        "pkg/pyproject.toml",
        "[tool.ruff]\nselect = [\"E\"]\n[tool.pyparallel]\n",
    );
    assert_eq!(project.flagged(&[]), ["pkg/a.py"]);
}

#[test]
fn closest_config_wins_for_nested_folders() {
    let project = Project::new();
    project.write("pyparallel.toml", "ignore = [\"PAR603\"]\n");
    project.write("a.py", BAD);
    project.write("inner/pyparallel.toml", "select = [\"PAR6\"]\n");
    project.write("inner/b.py", BAD);
    project.write("inner/deeper/c.py", BAD);
    project.write("other/d.py", BAD);
    assert_eq!(project.flagged(&[]), ["inner/b.py", "inner/deeper/c.py"]);
    // The same when the nested file is named directly or checked from inside.
    assert_eq!(
        project.flagged(&["inner/deeper/c.py"]),
        ["inner/deeper/c.py"]
    );
    assert_eq!(project.flagged(&["other/d.py"]), Vec::<String>::new());
    // Within one folder, .pyparallel.toml beats pyparallel.toml beats pyproject.toml.
    project.write("inner/.pyparallel.toml", "ignore = [\"PAR6\"]\n");
    assert_eq!(project.flagged(&[]), Vec::<String>::new());
}

#[test]
fn nested_config_excludes_apply_to_their_folder() {
    let project = Project::new();
    project.write("inner/pyparallel.toml", "extend-exclude = [\"gen\"]\n");
    project.write("inner/gen/a.py", BAD);
    project.write("gen/b.py", BAD);
    assert_eq!(project.flagged(&[]), ["gen/b.py"]);
}

#[test]
fn relative_patterns_are_relative_to_the_config_file() {
    let project = Project::new();
    project.write(
        "pkg/pyparallel.toml",
        "[per-file-ignores]\n\"legacy/*.py\" = [\"PAR603\"]\n",
    );
    project.write("pkg/legacy/a.py", BAD);
    project.write("legacy/b.py", BAD);
    assert_eq!(project.flagged(&[]), ["legacy/b.py"]);
    // From inside the folder too.
    let output = Command::cargo_bin("pyparallel")
        .unwrap()
        .current_dir(project.root.join("pkg"))
        .args(["check", "--output-format", "concise", "-q"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stdout)
    );
}

#[test]
fn target_version_falls_back_to_requires_python() {
    let path = Path::new("/p/pyproject.toml");
    let options = parse_config(
        path,
        "[project]\nrequires-python = \">=3.11\"\n[tool.pyparallel]\n",
    )
    .unwrap()
    .unwrap();
    assert_eq!(options.target_version, Some(11));
    let options = parse_config(
        path,
        "[project]\nrequires-python = \">=3.11\"\n[tool.pyparallel]\ntarget-version = \"py313\"\n",
    )
    .unwrap()
    .unwrap();
    assert_eq!(options.target_version, Some(13));
    assert_eq!(
        parse_config(path, "[project]\nname = \"x\"\n").unwrap(),
        None
    );
}

// ---------------------------------------------------------------- fail-on

#[test]
fn fail_on_error_does_not_fail_on_warnings() {
    let project = Project::new();
    project.write("a.py", BAD);
    project.write("pyparallel.toml", "fail-on = \"error\"\n");
    let run = project.check_quiet(&[]);
    assert_eq!(run.code, 0, "{}", run.stdout);
    // The warning is still shown.
    assert!(run.stdout.contains("PAR603"), "{}", run.stdout);
    project.write("pyparallel.toml", "fail-on = \"warning\"\n");
    assert_eq!(project.check_quiet(&[]).code, 1);
}

// ---------------------------------------------------------------- errors

#[test]
fn unknown_key_names_file_line_key_and_allowed_keys() {
    let project = Project::new();
    let stderr = project.config_error(
        "pyparallel.toml",
        "# comment\nselect = [\"PAR\"]\nselct = [\"PAR4\"]\n",
    );
    assert!(
        stderr.starts_with("error: [TMP]/pyparallel.toml:3: unknown key `selct` in the top-level table; allowed keys: extend, select, ignore,"),
        "{stderr}"
    );
    for key in KEYS {
        assert!(stderr.contains(key), "{key} missing from {stderr}");
    }
    std::fs::remove_file(project.root.join("pyparallel.toml")).unwrap();
    let stderr = project.config_error(
        "pyproject.toml",
        "[project]\nname = \"x\"\n\n[tool.pyparallel]\nfail-on = \"error\"\nfoo = 1\n",
    );
    assert!(
        stderr.starts_with(
            "error: [TMP]/pyproject.toml:6: unknown key `foo` in [tool.pyparallel]; allowed keys:"
        ),
        "{stderr}"
    );
}

#[test]
fn bad_value_types_name_the_key_and_what_is_allowed() {
    let cases = [
        ("select = \"PAR\"\n", 1, "`select` must be a list of rule selectors (got a string `\"PAR\"`)"),
        ("\n\nmin-items = \"10\"\n", 3, "`min-items` must be a positive integer (got a string `\"10\"`)"),
        ("max-workers = 0\n", 1, "`max-workers` must be a positive integer (got an integer `0`)"),
        ("force-exclude = \"yes\"\n", 1, "`force-exclude` must be true or false (got a string `\"yes\"`)"),
        ("respect-gitignore = 1\n", 1, "`respect-gitignore` must be true or false (got an integer `1`)"),
        ("free-threaded = []\n", 1, "`free-threaded` must be true or false (got an array `[]`)"),
        ("unsafe-fixes = \"true\"\n", 1, "`unsafe-fixes` must be true or false"),
        ("exclude = [1, 2]\n", 1, "`exclude` must be a list of glob patterns (got an array `[1, 2]`)"),
        ("io-functions = \"requests.get\"\n", 1, "`io-functions` must be a list of dotted function names"),
        ("cpu-functions = [true]\n", 1, "`cpu-functions` must be a list of dotted function names"),
        ("per-file-ignores = [\"x\"]\n", 1, "`per-file-ignores` must be a table of glob = [rule selectors]"),
        (
            "\n[per-file-ignores]\n\"a.py\" = [\"PAR603\"]\n\"b.py\" = \"PAR603\"\n",
            4,
            "`per-file-ignores.\"b.py\"` must be a list of rule selectors (got a string `\"PAR603\"`)",
        ),
    ];
    for (contents, line, message) in cases {
        let project = Project::new();
        let stderr = project.config_error("pyparallel.toml", contents);
        let expected = format!("error: [TMP]/pyparallel.toml:{line}: {message}");
        assert!(
            stderr.starts_with(&expected),
            "{contents}\nexpected: {expected}\ngot:      {stderr}"
        );
    }
}

#[test]
fn bad_fail_on_and_target_version_list_the_allowed_values() {
    let project = Project::new();
    let stderr = project.config_error(
        "pyparallel.toml",
        "select = [\"PAR\"]\nfail-on = \"never\"\n",
    );
    assert_eq!(
        stderr,
        "error: [TMP]/pyparallel.toml:2: `fail-on` must be one of \"warning\", \"error\" (got a string `\"never\"`)\n"
    );
    for bad in ["\"py27\"", "\"py315\"", "\"3.11\"", "311"] {
        let stderr =
            project.config_error("pyparallel.toml", &format!("\ntarget-version = {bad}\n"));
        assert!(
            stderr.starts_with("error: [TMP]/pyparallel.toml:2: `target-version` must be one of \"py38\" .. \"py314\""),
            "{bad}: {stderr}"
        );
    }
}

#[test]
fn unknown_selectors_in_config_point_at_their_line() {
    let cases = [
        (
            "select = [\"PAR\"]\n\nignore = [\"PAR999\"]\n",
            3,
            "ignore",
            "PAR999",
        ),
        (
            "extend-select = [\n  \"PAR6\",\n  \"nope\",\n]\n",
            3,
            "extend-select",
            "nope",
        ),
        (
            "\n[per-file-ignores]\n\"a.py\" = [\"PAR6\"]\n\"b.py\" = [\"PAR9\"]\n",
            4,
            "per-file-ignores",
            "PAR9",
        ),
    ];
    for (contents, line, key, selector) in cases {
        let project = Project::new();
        let stderr = project.config_error("pyparallel.toml", contents);
        let expected =
            format!("error: [TMP]/pyparallel.toml:{line}: `{key}`: unknown rule selector `{selector}`; expected `ALL`");
        assert!(
            stderr.starts_with(&expected),
            "{contents}\nexpected: {expected}\ngot:      {stderr}"
        );
    }
    // In a pyproject.toml, another tool's `select` does not mislead the line number.
    let project = Project::new();
    let stderr = project.config_error(
        "pyproject.toml",
        "[tool.ruff]\nselect = [\"E\"]\n\n[tool.pyparallel]\nselect = [\"PAR999\"]\n",
    );
    assert!(
        stderr
            .starts_with("error: [TMP]/pyproject.toml:5: `select`: unknown rule selector `PAR999`"),
        "{stderr}"
    );
}

#[test]
fn bad_glob_is_reported_with_its_line() {
    let project = Project::new();
    let stderr = project.config_error(
        "pyparallel.toml",
        "select = [\"PAR\"]\nextend-exclude = [\"a[\"]\n",
    );
    assert!(
        stderr.starts_with("error: [TMP]/pyparallel.toml:2: `extend-exclude`: invalid glob `a[`"),
        "{stderr}"
    );
}

#[test]
fn invalid_toml_reports_the_line() {
    let project = Project::new();
    let stderr = project.config_error("pyparallel.toml", "select = [\"PAR\"]\nfail-on = \n");
    assert!(
        stderr.starts_with("error: [TMP]/pyparallel.toml:2: not valid TOML"),
        "{stderr}"
    );
    let stderr = project.config_error("pyparallel.toml", "this is not toml\n");
    assert!(
        stderr.starts_with("error: [TMP]/pyparallel.toml:1: not valid TOML"),
        "{stderr}"
    );
    // A duplicate key.
    let stderr = project.config_error("pyparallel.toml", "select = []\n\nselect = []\n");
    assert!(
        stderr.starts_with("error: [TMP]/pyparallel.toml:3: not valid TOML"),
        "{stderr}"
    );
    let stderr = project.config_error("pyparallel.toml", "[tool]\npyparallel = 1\n");
    assert!(stderr.contains("unknown key `tool`"), "{stderr}");
    std::fs::remove_file(project.root.join("pyparallel.toml")).unwrap();
    let stderr = project.config_error("pyproject.toml", "[tool]\npyparallel = 1\n");
    assert!(
        stderr.starts_with("error: [TMP]/pyproject.toml:2: `tool.pyparallel` must be a table"),
        "{stderr}"
    );
}

#[test]
fn a_broken_nested_config_fails_the_run_but_other_folders_are_checked() {
    let project = Project::new();
    project.write("a.py", BAD);
    project.write("inner/pyparallel.toml", "nope = 1\n");
    project.write("inner/b.py", BAD);
    let run = project.check_quiet(&[]);
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("[TMP]/inner/pyparallel.toml:1: unknown key `nope`"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.stderr.matches("unknown key").count(),
        1,
        "reported once: {}",
        run.stderr
    );
    assert!(
        run.stdout.starts_with("a.py:3:12: PAR603"),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------- the repository's pyparallel.toml

fn repository_config() -> (PathBuf, String) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("pyparallel.toml");
    let text = std::fs::read_to_string(&path).expect("pyparallel.toml at the repository root");
    (path, text)
}

#[test]
fn repository_config_mentions_every_key_with_a_comment() {
    let (_, text) = repository_config();
    let document: toml_edit::DocumentMut = text.parse().unwrap();
    let lines: Vec<&str> = text.lines().collect();
    for key in KEYS {
        // `extend` has no default (nothing is extended): it is shown commented out.
        let written = if *key == "extend" {
            format!("# {key} =")
        } else {
            assert!(
                document.get(key).is_some(),
                "`{key}` is missing from pyparallel.toml"
            );
            format!("{key} =")
        };
        let index = lines
            .iter()
            .position(|line| line.starts_with(&written) || *line == format!("[{key}]"))
            .unwrap_or_else(|| panic!("`{key}` is not at the start of a line"));
        assert!(
            index > 0 && lines[index - 1].starts_with('#'),
            "`{key}` has no comment on the line above it"
        );
    }
    for (key, _) in document.iter() {
        assert!(
            KEYS.contains(&key),
            "`{key}` in pyparallel.toml is not a configuration key"
        );
    }
}

#[test]
fn repository_config_equals_the_built_in_defaults() {
    let (path, text) = repository_config();
    let options = parse_config(&path, &text).unwrap().expect("options");
    let root = path.parent().unwrap();
    let file = Settings::resolve(&options, &Overrides::default(), root, Some(&path)).unwrap();
    let defaults = Settings::defaults(root);

    assert_eq!(file.enabled, defaults.enabled);
    assert_eq!(file.fail_on, defaults.fail_on);
    assert_eq!(file.fail_on, Severity::Warning);
    assert_eq!(file.min_items, defaults.min_items);
    assert_eq!(file.max_workers, defaults.max_workers);
    assert_eq!(file.target_version, defaults.target_version);
    assert_eq!(file.free_threaded, defaults.free_threaded);
    assert_eq!(file.unsafe_fixes, defaults.unsafe_fixes);
    assert_eq!(file.force_exclude, defaults.force_exclude);
    assert_eq!(file.respect_gitignore, defaults.respect_gitignore);
    assert_eq!(file.io_functions, defaults.io_functions);
    assert_eq!(file.cpu_functions, defaults.cpu_functions);
    assert_eq!(file.event_loop_functions, defaults.event_loop_functions);
    assert_eq!(file.per_file_ignores.len(), defaults.per_file_ignores.len());
    // Exclusion behaves the same on every default name and on ordinary names.
    let mut probes: Vec<PathBuf> = Vec::new();
    for name in DEFAULT_EXCLUDE {
        probes.push(root.join(name));
        probes.push(root.join("pkg").join(name));
        probes.push(root.join(name).join("x.py"));
    }
    for name in ["src", "tests", "a.py", "pkg/build.py", "venvs", "distutils"] {
        probes.push(root.join(name));
    }
    for probe in &probes {
        assert_eq!(
            file.is_excluded(probe),
            defaults.is_excluded(probe),
            "{}",
            probe.display()
        );
    }
    for name in DEFAULT_EXCLUDE {
        assert!(
            file.is_excluded(&root.join(name)),
            "{name} is excluded by default"
        );
    }
    assert!(!file.is_excluded(&root.join("src")));
    // And the exclude list is literally DEFAULT_EXCLUDE.
    assert_eq!(
        options.exclude.as_deref().unwrap(),
        DEFAULT_EXCLUDE
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .as_slice()
    );
}

#[test]
fn repository_config_passes_the_cli() {
    // The binary accepts the file as --config and checks a clean file with it.
    let (path, _) = repository_config();
    let project = Project::new();
    project.write("a.py", "x = 1\n");
    let run = project.check_quiet(&["--config", path.to_str().unwrap()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

// ---------------------------------------------------------------- settings rules read

const GIL_BOUND: &str = "from concurrent.futures import ThreadPoolExecutor\n\n\ndef spin(n):\n    total = 0\n    for i in range(n):\n        total += i * i\n    return total\n\n\ndef run(ns):\n    with ThreadPoolExecutor() as executor:\n        return list(executor.map(spin, ns))\n";

#[test]
fn free_threaded_silences_the_gil_rule() {
    let project = Project::new();
    project.write("a.py", GIL_BOUND);
    assert_eq!(project.flagged(&["--select", "PAR501"]), vec!["a.py"]);
    project.write("pyparallel.toml", "free-threaded = true\n");
    assert!(project.flagged(&["--select", "PAR501"]).is_empty());
}

#[test]
fn target_version_picks_the_gil_rule_replacement() {
    let project = Project::new();
    project.write("a.py", GIL_BOUND);
    project.write("pyparallel.toml", "target-version = \"py313\"\n");
    let run = project.check_quiet(&["--select", "PAR501", "--diff", "--unsafe-fixes"]);
    assert!(
        run.stdout
            .contains("+    with ProcessPoolExecutor() as executor:"),
        "{}",
        run.stdout
    );
    project.write("pyparallel.toml", "target-version = \"py314\"\n");
    let run = project.check_quiet(&["--select", "PAR501", "--diff", "--unsafe-fixes"]);
    assert!(
        // The fix took `ThreadPoolExecutor`'s only use, so its import goes.
        run.stdout.contains(
            "-from concurrent.futures import ThreadPoolExecutor\n+from concurrent.futures import InterpreterPoolExecutor\n"
        ) && run
            .stdout
            .contains("+    with InterpreterPoolExecutor() as executor:"),
        "{}",
        run.stdout
    );
}

// ---------------------------------------------------------------- extend

/// `a.py` with PAR603 (line 3) and `b.py` with PAR402 (a pool at module level).
fn two_rule_project() -> Project {
    let project = Project::new();
    project.write("pkg/a.py", BAD);
    project.write(
        "pkg/b.py",
        "import multiprocessing\n\n\ndef work(n):\n    return n\n\n\npool = multiprocessing.Pool()\n",
    );
    project
}

#[test]
fn extend_builds_on_another_configuration() {
    let project = two_rule_project();
    project.write(
        "base/pyparallel.toml",
        "ignore = [\"PAR603\"]\nfail-on = \"error\"\nextend-exclude = [\"generated\"]\n",
    );
    project.write("pkg/generated/x.py", BAD);
    // No keys of its own: exactly the base.
    project.write(
        "pkg/pyparallel.toml",
        "extend = \"../base/pyparallel.toml\"\n",
    );
    assert_eq!(project.flagged(&[]), ["pkg/b.py"]);
    // A key set here replaces the base's; extend-select adds to the base's selection.
    project.write(
        "pkg/pyparallel.toml",
        "extend = \"../base/pyparallel.toml\"\nextend-select = [\"PAR603\"]\nextend-exclude = [\"b.py\"]\n",
    );
    assert_eq!(project.flagged(&[]), ["pkg/a.py"]);
    // A select of its own starts afresh: the base's ignore no longer applies.
    project.write(
        "pkg/pyparallel.toml",
        "extend = \"../base/pyparallel.toml\"\nselect = [\"PAR6\"]\n",
    );
    assert_eq!(project.flagged(&[]), ["pkg/a.py"]);
    // The base's fail-on = "error" still holds: the PAR603 warning does not fail the run.
    project.check_quiet(&[]).assert_code(0);
}

#[test]
fn extend_keeps_the_base_paths_relative_to_the_base() {
    let project = two_rule_project();
    // `pkg/b.py` in the base means <base's folder>/pkg/b.py: the project root here.
    project.write(
        "pyparallel.toml",
        "[per-file-ignores]\n\"pkg/a.py\" = [\"PAR603\"]\n",
    );
    project.write(
        "pkg/sub/pyparallel.toml",
        "extend = \"../../pyparallel.toml\"\n",
    );
    project.write("pkg/sub/pkg/a.py", BAD);
    let mut flagged = project.flagged(&[]);
    flagged.dedup();
    assert_eq!(flagged, ["pkg/b.py", "pkg/sub/pkg/a.py"]);
    // extend-per-file-ignores adds to the base's per-file-ignores.
    project.write(
        "pkg/sub/pyparallel.toml",
        "extend = \"../../pyparallel.toml\"\n[extend-per-file-ignores]\n\"pkg/*.py\" = [\"PAR6\"]\n",
    );
    assert_eq!(project.flagged(&[]), ["pkg/b.py"]);
}

#[test]
fn extend_reads_pyproject_and_expands_home_and_variables() {
    let project = two_rule_project();
    project.write(
        "shared/pyproject.toml",
        "[project]\nname = \"x\"\n\n[tool.pyparallel]\nignore = [\"PAR402\"]\n",
    );
    project.write(
        "pkg/pyproject.toml",
        "[tool.pyparallel]\nextend = \"$SHARED_CONFIG/pyproject.toml\"\n",
    );
    let mut command = project.command();
    command.env("SHARED_CONFIG", project.path("shared"));
    let run = project.run_with(
        command,
        &["check", "-q", "--output-format", "concise"],
        None,
    );
    assert!(
        run.stdout.starts_with("pkg/a.py:3:12: PAR603"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("b.py"), "{}", run.stdout);
    project.write(
        "pkg/pyproject.toml",
        "[tool.pyparallel]\nextend = \"~/shared/pyproject.toml\"\n",
    );
    let mut command = project.command();
    command.env("HOME", &project.root);
    let run = project.run_with(
        command,
        &["check", "-q", "--output-format", "concise"],
        None,
    );
    assert!(!run.stdout.contains("b.py"), "{}", run.stdout);
}

#[test]
fn extend_errors_name_the_file_and_line() {
    let project = Project::new();
    let stderr = project.config_error("pyparallel.toml", "# x\nextend = \"missing.toml\"\n");
    assert_eq!(
        stderr,
        "error: [TMP]/pyparallel.toml:2: `extend`: no configuration file at [TMP]/missing.toml\n"
    );
    project.write("one.toml", "extend = \"two.toml\"\n");
    project.write("two.toml", "extend = \"one.toml\"\n");
    let stderr = project.config_error("pyparallel.toml", "extend = \"one.toml\"\n");
    assert!(
        stderr.contains(
            "error: [TMP]/two.toml:1: `extend` makes a cycle: [TMP]/pyparallel.toml extends [TMP]/one.toml extends [TMP]/two.toml extends [TMP]/one.toml"
        ),
        "{stderr}"
    );
    // An error inside the extended file names that file.
    project.write("bad.toml", "select = [\"PAR999\"]\n");
    let stderr = project.config_error("pyparallel.toml", "extend = \"bad.toml\"\n");
    assert!(
        stderr.starts_with("error: [TMP]/bad.toml:1: `select`: unknown rule selector `PAR999`"),
        "{stderr}"
    );
    let stderr = project.config_error("pyparallel.toml", "extend = 3\n");
    assert!(
        stderr.contains("`extend` must be the path of a configuration file (got an integer `3`)"),
        "{stderr}"
    );
}

// ---------------------------------------------------------------- --config KEY = VALUE

#[test]
fn config_options_on_the_command_line_override_every_configuration() {
    let project = two_rule_project();
    project.write("pyparallel.toml", "ignore = [\"PAR402\"]\n");
    assert_eq!(project.flagged(&[]), ["pkg/a.py"]);
    assert_eq!(
        project.flagged(&["--config", "ignore = ['PAR603']"]),
        ["pkg/b.py"],
        "the option layers over the file: its ignore adds to the file's selection"
    );
    assert!(project
        .flagged(&[
            "--config",
            "ignore = ['PAR603']",
            "--config",
            "extend-select = []"
        ])
        .contains(&"pkg/b.py".to_string()));
    // Over a nested configuration too, and with a configuration file given.
    project.write("pkg/pyparallel.toml", "select = [\"PAR4\"]\n");
    assert_eq!(
        project.flagged(&["--config", "select = ['PAR6']"]),
        ["pkg/a.py"]
    );
    project.write("other.toml", "select = [\"PAR4\"]\n");
    assert_eq!(
        project.flagged(&["--config", "other.toml", "--config", "fail-on = 'error'"]),
        ["pkg/b.py"]
    );
    project
        .check_quiet(&[
            "--config",
            "fail-on = \"error\"",
            "--config",
            "select = ['PAR6']",
        ])
        .assert_code(0);
    // Dotted keys reach tables.
    assert!(project
        .flagged(&[
            "--config",
            "select = ['PAR']",
            "--config",
            "per-file-ignores.\"pkg/*.py\" = ['PAR4', 'PAR6']"
        ])
        .is_empty());
}

#[test]
fn command_line_selection_is_a_layer_over_the_configuration_as_in_ruff() {
    let project = two_rule_project();
    project.write("pyparallel.toml", "ignore = [\"PAR603\"]\n");
    // --select starts afresh: the configured ignore is gone.
    assert_eq!(project.flagged(&["--select", "PAR6"]), ["pkg/a.py"]);
    // --extend-select applies on top of it.
    assert_eq!(
        project.flagged(&["--extend-select", "PAR603"]),
        ["pkg/a.py", "pkg/b.py"]
    );
    // Within one layer, ignore wins.
    assert_eq!(
        project.flagged(&["--extend-select", "PAR603", "--ignore", "PAR603"]),
        ["pkg/b.py"]
    );
}

#[test]
fn bad_config_options_are_exit_two_naming_the_option() {
    let project = Project::new();
    project.write("a.py", BAD);
    let error = |value: &str| {
        let run = project.check_quiet(&["--config", value]);
        assert_eq!(run.code, 2, "{value}: {}", run.stderr);
        run.stderr
    };
    assert!(error("selct = ['PAR4']").starts_with(
        "error: --config 'selct = ['PAR4']': unknown key `selct` in the top-level table; allowed keys: extend,"
    ));
    assert_eq!(
        error("fail-on = 'never'"),
        "error: --config 'fail-on = 'never'': `fail-on` must be one of \"warning\", \"error\" (got a string `\"never\"`)\n"
    );
    assert!(error("select = ['PAR999']").contains("unknown rule selector `PAR999`"));
    assert!(error("nonsense").starts_with(
        "error: --config 'nonsense': not a configuration file, nor a TOML `KEY = VALUE` option"
    ));
    assert!(error("missing.toml").contains("no such configuration file"));
    assert!(error("a = 1\nb = 2").contains("expected exactly one `KEY = VALUE` option"));
    project.write("one.toml", "");
    project.write("two.toml", "");
    assert!(error_two(&project).contains("only one configuration file can be given"));
}

fn error_two(project: &Project) -> String {
    let run = project.check_quiet(&["--config", "one.toml", "--config", "two.toml"]);
    assert_eq!(run.code, 2);
    run.stderr
}
