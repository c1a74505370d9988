//! Every `--output-format`, snapshotted (insta), plus the exact JSON shape DESIGN.md promises
//! and the GitHub workflow-command escaping.

use assert_cmd::Command;
use serde_json::Value;

const BAD: &str = "import asyncio\nasync def f():\n    return asyncio.get_event_loop()\n";

mod common;

use common::Project;

/// `a.py` with one PAR603 diagnostic, `sub/b.py` with two (one of them suppressed), and a
/// syntax error in `sub/c.py`.
fn project() -> Project {
    let project = Project::new();
    project.write("a.py", BAD);
    project.write(
        "sub/b.py",
        "import asyncio as aio\n\n\nasync def g():\n    loop = aio.get_event_loop()\n    other = aio.get_event_loop()  # noqa: PAR603\n    return loop, other\n",
    );
    project.write("sub/c.py", "def broken()\n    pass\n");
    project
}

/// Runs `check --output-format FORMAT ARGS`: (exit code, stdout with the temp folder as `[TMP]`).
fn format(project: &Project, format: &str, args: &[&str]) -> (i32, String) {
    let mut all = vec!["check", "--output-format", format];
    all.extend_from_slice(args);
    let run = project.run(&all);
    (run.code, run.stdout)
}

#[test]
fn full() {
    let (code, out) = format(&project(), "full", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("full", out);
}

#[test]
fn full_is_the_default_format() {
    let project = project();
    let (_, explicit) = format(&project, "full", &[]);
    let output = Command::cargo_bin("pyparallel")
        .unwrap()
        .current_dir(&project.root)
        .env_remove("GITHUB_ACTIONS")
        .arg("check")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), explicit);
}

#[test]
fn concise() {
    let (code, out) = format(&project(), "concise", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("concise", out);
}

#[test]
fn json() {
    let (code, out) = format(&project(), "json", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("json", out);
}

#[test]
fn json_lines() {
    let (code, out) = format(&project(), "json-lines", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("json_lines", out);
    // Each line is one object, the same objects as `json`.
    let (_, json) = format(&project(), "json", &[]);
    let array: Vec<Value> = serde_json::from_str(&json).unwrap();
    let lines: Vec<Value> = out
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(array, lines);
}

#[test]
fn github() {
    let (code, out) = format(&project(), "github", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("github", out);
}

#[test]
fn sarif() {
    let (code, out) = format(&project(), "sarif", &[]);
    assert_eq!(code, 1);
    let document: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(document["version"], "2.1.0");
    let driver = &document["runs"][0]["tool"]["driver"];
    assert_eq!(driver["name"], "pyparallel");
    let ids: Vec<&str> = driver["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_str().unwrap())
        .collect();
    let codes: Vec<&str> = pyparallel::rules::RULES.iter().map(|r| r.code).collect();
    assert_eq!(ids, codes, "every rule is described, in table order");
    // The rule descriptions belong to the rules' authors; snapshot the results.
    let results = document["runs"][0]["results"].clone();
    insta::assert_snapshot!(
        "sarif_results",
        serde_json::to_string_pretty(&results).unwrap()
    );
    // ruleIndex points at the rule.
    for result in results.as_array().unwrap() {
        if let Some(index) = result["ruleIndex"].as_u64() {
            assert_eq!(driver["rules"][index as usize]["id"], result["ruleId"]);
        }
    }
}

#[test]
fn junit() {
    let (code, out) = format(&project(), "junit", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("junit", out);
}

#[test]
fn grouped() {
    let (code, out) = format(&project(), "grouped", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("grouped", out);
}

#[test]
fn grouped_aligns_rows_and_columns_within_a_file() {
    let project = Project::new();
    let mut source =
        String::from("import asyncio\n\n\nasync def f():\n    return asyncio.get_event_loop()\n");
    source.push_str(&"\n".repeat(6));
    source.push_str("async def g():\n    loop = asyncio.get_event_loop()\n    return loop\n");
    project.write("a.py", source);
    let run = project.run(&["check", "--output-format", "grouped", "-q"]);
    assert_eq!(
        run.stdout
            .lines()
            .take(3)
            .map(|l| l.split(" PAR").next().unwrap())
            .collect::<Vec<_>>(),
        vec!["a.py:", "   5:12", "  13:12"]
    );
}

#[test]
fn pylint() {
    let (code, out) = format(&project(), "pylint", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("pylint", out);
}

#[test]
fn gitlab() {
    let (code, out) = format(&project(), "gitlab", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("gitlab", out);
    // Fingerprints are unique and stable (the same on every run).
    let entries: Vec<Value> = serde_json::from_str(&out).unwrap();
    let mut fingerprints: Vec<&str> = entries
        .iter()
        .map(|e| e["fingerprint"].as_str().unwrap())
        .collect();
    fingerprints.sort_unstable();
    fingerprints.dedup();
    assert_eq!(fingerprints.len(), entries.len());
}

#[test]
fn gitlab_paths_are_relative_to_ci_project_dir() {
    let project = project();
    let mut command = project.command();
    command.env("CI_PROJECT_DIR", project.path("sub"));
    let run = project.run_with(command, &["check", "--output-format", "gitlab"], None);
    let entries: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let paths: Vec<&str> = entries
        .iter()
        .map(|e| e["location"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(paths, ["../a.py", "b.py", "c.py"]);
}

#[test]
fn rdjson() {
    let (code, out) = format(&project(), "rdjson", &[]);
    assert_eq!(code, 1);
    insta::assert_snapshot!("rdjson", out);
}

#[test]
fn clean_output_in_every_format() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    std::fs::write(root.join("ok.py"), "x = 1\n").unwrap();
    let mut outputs = String::new();
    for format in [
        "full",
        "concise",
        "grouped",
        "json",
        "json-lines",
        "github",
        "gitlab",
        "pylint",
        "rdjson",
        "junit",
    ] {
        let output = Command::cargo_bin("pyparallel")
            .unwrap()
            .current_dir(&root)
            .args(["check", "--output-format", format])
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{format}");
        outputs.push_str(&format!(
            "--- {format}\n{}",
            String::from_utf8(output.stdout).unwrap()
        ));
    }
    insta::assert_snapshot!("clean", outputs);
}

#[test]
fn json_has_exactly_the_documented_shape() {
    let project = project();
    let (_, out) = format(&project, "json", &[]);
    let array: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(array.len(), 3);
    let keys = |value: &Value| {
        let mut keys: Vec<String> = value.as_object().unwrap().keys().cloned().collect();
        keys.sort();
        keys
    };
    for message in &array {
        assert_eq!(
            keys(message),
            [
                "cell",
                "code",
                "end_location",
                "filename",
                "fix",
                "location",
                "message",
                "name",
                "noqa_row",
                "severity",
                "url"
            ]
        );
        assert_eq!(message["cell"], Value::Null);
        // Absolute: the temp folder (redacted to [TMP]) is its start.
        assert!(
            message["filename"].as_str().unwrap().starts_with("[TMP]/"),
            "{message}"
        );
        assert_eq!(keys(&message["location"]), ["column", "row"]);
        assert_eq!(keys(&message["end_location"]), ["column", "row"]);
    }
    let first = &array[0];
    assert_eq!(first["code"], "PAR603");
    assert_eq!(first["name"], "get-event-loop");
    assert_eq!(first["severity"], "warning");
    assert_eq!(first["filename"], "[TMP]/a.py");
    assert_eq!(
        first["location"],
        serde_json::json!({"row": 3, "column": 12})
    );
    assert_eq!(
        first["end_location"],
        serde_json::json!({"row": 3, "column": 36})
    );
    assert_eq!(first["noqa_row"], 3);
    assert_eq!(
        first["url"],
        format!("{}/PAR603.md", pyparallel::DOCS_BASE_URL)
    );
    let fix = &first["fix"];
    assert_eq!(keys(fix), ["applicability", "edits", "message"]);
    assert_eq!(fix["applicability"], "safe");
    assert_eq!(
        fix["edits"],
        serde_json::json!([{
            "content": "get_running_loop",
            "location": {"row": 3, "column": 20},
            "end_location": {"row": 3, "column": 34},
        }])
    );
    // Sorted by file, then position: a.py, sub/b.py, sub/c.py.
    let files: Vec<&str> = array
        .iter()
        .map(|m| m["filename"].as_str().unwrap())
        .collect();
    let mut sorted = files.clone();
    sorted.sort();
    assert_eq!(files, sorted);
}

#[test]
fn json_filename_is_absolute_for_relative_and_dotted_arguments() {
    let project = project();
    for argument in ["a.py", "./a.py", "sub/../a.py"] {
        let (_, out) = format(&project, "json", &[argument]);
        let array: Vec<Value> = serde_json::from_str(&out).unwrap();
        assert_eq!(array[0]["filename"], "[TMP]/a.py", "{argument}");
    }
}

#[test]
fn json_columns_count_characters() {
    let project = project();
    project.write(
        "u.py",
        "import asyncio\nasync def f():\n    é = \"ü\"; return asyncio.get_event_loop()\n",
    );
    let (_, out) = format(&project, "json", &["u.py"]);
    let array: Vec<Value> = serde_json::from_str(&out).unwrap();
    assert_eq!(
        array[0]["location"],
        serde_json::json!({"row": 3, "column": 21})
    );
}

#[test]
fn github_escapes_paths_and_messages() {
    let project = project();
    project.write("odd,na:me%.py", BAD);
    project.write("new\nline.py", BAD);
    let (_, out) = format(&project, "github", &["odd,na:me%.py", "new\nline.py"]);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(
        lines.len(),
        2,
        "one line per diagnostic, even with a newline in the path: {out}"
    );
    assert_eq!(
        lines[0],
        "::warning title=pyparallel (PAR603),file=new%0Aline.py,line=3,col=12,endLine=3,endColumn=36::new%0Aline.py:3:12: PAR603 `asyncio.get_event_loop()` in a coroutine (I/O-bound asyncio code): use `asyncio.get_running_loop()`, the loop that runs it"
    );
    assert_eq!(
        lines[1],
        "::warning title=pyparallel (PAR603),file=odd%2Cna%3Ame%25.py,line=3,col=12,endLine=3,endColumn=36::odd,na:me%25.py:3:12: PAR603 `asyncio.get_event_loop()` in a coroutine (I/O-bound asyncio code): use `asyncio.get_running_loop()`, the loop that runs it"
    );
}

#[test]
fn concise_marks_only_applicable_fixes() {
    let project = project();
    let (_, out) = format(&project, "concise", &["a.py", "-q"]);
    assert!(out.contains("PAR603 [*] "), "{out}");
    let (_, out) = format(&project, "concise", &["sub/c.py", "-q"]);
    assert!(!out.contains("[*]"), "{out}");
}

#[test]
fn full_shows_fix_diffs_with_show_fixes_and_always_for_suggestions() {
    let project = Project::new();
    project.write("a.py", BAD);
    let (_, plain) = format(&project, "full", &["a.py"]);
    assert!(!plain.contains("Safe fix:"), "{plain}");
    let (_, shown) = format(&project, "full", &["a.py", "--show-fixes"]);
    assert!(
        shown.contains("Safe fix:\n  async def f():\n-     return asyncio.get_event_loop()\n+     return asyncio.get_running_loop()\n"),
        "{shown}"
    );
    // A display-only suggestion (PAR401 on a local class) is always shown as code.
    project.write(
        "b.py",
        "from concurrent.futures import ProcessPoolExecutor\n\n\ndef run(values):\n    class Scaler:\n        def scale(self, v):\n            return v * 2\n\n    with ProcessPoolExecutor() as executor:\n        return list(executor.map(Scaler().scale, values))\n",
    );
    let (code, out) = format(&project, "full", &["b.py"]);
    assert_eq!(code, 1);
    assert!(out.contains("Suggested code (not applied):"), "{out}");
    assert!(out.contains("+ class Scaler:"), "{out}");
    // Nothing was written.
    assert!(project.read("b.py").contains("    class Scaler:"));
}

#[test]
fn sarif_fingerprints_survive_line_shifts_and_paths_are_relative() {
    let project = Project::new();
    project.write("a.py", BAD);
    let result = |project: &Project| {
        let (_, out) = format(project, "sarif", &["a.py"]);
        let document: Value = serde_json::from_str(&out).unwrap();
        let run = &document["runs"][0];
        assert_eq!(
            run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
            "file://[TMP]/"
        );
        run["results"][0].clone()
    };
    let before = result(&project);
    project.write("a.py", format!("# a comment\n\n{BAD}"));
    let after = result(&project);
    let region = |r: &Value| r["locations"][0]["physicalLocation"]["region"]["startLine"].clone();
    assert_eq!(region(&before), 3);
    assert_eq!(region(&after), 5);
    assert_eq!(before["partialFingerprints"], after["partialFingerprints"]);
    assert_eq!(
        before["locations"][0]["physicalLocation"]["artifactLocation"],
        serde_json::json!({"uri": "a.py", "uriBaseId": "%SRCROOT%"})
    );
}
