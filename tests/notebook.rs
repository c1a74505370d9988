//! Jupyter notebooks end to end: diagnostics name the cell, `--fix` rewrites only the changed
//! cells' sources (outputs, metadata, layout and the final newline untouched), `noqa` works per
//! cell, discovery finds notebooks, stdin takes a notebook, and every format says where.

mod common;

use common::Project;
use serde_json::Value;

/// Written as Jupyter writes (nbformat: one-space indent, sorted keys, final newline): imports
/// in cell 2, IPython magics in cell 3, a PAR201 loop in cell 4, a `%%bash` cell, PAR603 with
/// a `noqa` twin in cell 6.
const FETCH: &str = include_str!("notebooks/fetch.ipynb");

fn project() -> Project {
    let project = Project::new();
    project.write("fetch.ipynb", FETCH);
    project
}

/// Everything in the notebook but the code cells' sources.
fn without_sources(notebook: &str) -> Value {
    let mut value: Value = serde_json::from_str(notebook).unwrap();
    for cell in value["cells"].as_array_mut().unwrap() {
        cell.as_object_mut().unwrap().remove("source");
    }
    value
}

fn cell_source(notebook: &str, number: usize) -> String {
    let value: Value = serde_json::from_str(notebook).unwrap();
    match &value["cells"][number - 1]["source"] {
        Value::String(text) => text.clone(),
        Value::Array(lines) => lines.iter().map(|l| l.as_str().unwrap()).collect(),
        other => panic!("unexpected source {other}"),
    }
}

#[test]
fn diagnostics_name_the_cell_with_rows_in_the_cell() {
    let project = project();
    let run = project.check(&["fetch.ipynb", "-q"]);
    run.assert_code(1);
    insta::assert_snapshot!("notebook_concise", run.stdout);
    // The `# noqa: PAR603` line of cell 6 is silent; its twin on the next line is not.
    assert!(!run.stdout.contains("cell 6:2:"), "{}", run.stdout);
    assert!(
        run.stdout.contains("fetch.ipynb:cell 6:3:13: PAR603"),
        "{}",
        run.stdout
    );

    let run = project.run(&["check", "--output-format", "json", "fetch.ipynb"]);
    let array: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let cells: Vec<(u64, &str, u64)> = array
        .iter()
        .map(|d| {
            (
                d["cell"].as_u64().unwrap(),
                d["code"].as_str().unwrap(),
                d["location"]["row"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(cells, vec![(4, "PAR201", 2), (6, "PAR603", 3)]);
    assert_eq!(array[1]["noqa_row"], 3);

    let run = project.run(&["check", "fetch.ipynb"]);
    assert!(
        run.stdout.contains("--> fetch.ipynb:cell 6:3:13"),
        "{}",
        run.stdout
    );
}

#[test]
fn python_files_have_a_null_cell() {
    let project = Project::new();
    project.write(
        "a.py",
        "import asyncio\nasync def f():\n    return asyncio.get_event_loop()\n",
    );
    let run = project.run(&["check", "--output-format", "json", "a.py"]);
    let array: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(array[0]["cell"], Value::Null);
}

#[test]
fn fix_rewrites_only_the_changed_sources() {
    let project = project();
    let run = project.check(&["fetch.ipynb", "--fix", "--unsafe-fixes"]);
    run.assert_code(0);
    let fixed = project.read("fetch.ipynb");
    insta::assert_snapshot!("notebook_fixed", fixed);
    assert_eq!(without_sources(&fixed), without_sources(FETCH));
    // Unchanged cells keep their exact bytes, and the layout is Jupyter's (one-space indent,
    // final newline, non-ASCII unescaped).
    assert!(fixed.ends_with("}\n"));
    assert!(fixed.contains("ünïcode stays as written"));
    assert_eq!(cell_source(&fixed, 3), cell_source(FETCH, 3));
    assert_eq!(
        cell_source(&fixed, 2),
        "import asyncio\nimport requests\nfrom concurrent.futures import ThreadPoolExecutor\nimport functools"
    );
    // The import added for cell 4's rewrite went into cell 2, after the existing imports, and
    // the whole notebook still runs as one module.
    assert!(cell_source(&fixed, 4)
        .starts_with("pages = []\nwith ThreadPoolExecutor(max_workers=8) as executor:\n"));
    // A fixed point: nothing left, and a second run writes nothing.
    let again = project.check(&["fetch.ipynb", "--fix", "--unsafe-fixes"]);
    again.assert_code(0);
    assert_eq!(project.read("fetch.ipynb"), fixed);
}

#[test]
fn safe_fix_only_touches_its_cell_and_diff_is_per_cell() {
    let project = project();
    let run = project.run(&["check", "--diff", "fetch.ipynb"]);
    run.assert_code(1);
    assert_eq!(
        run.stdout,
        "--- a/fetch.ipynb:cell 6\n+++ b/fetch.ipynb:cell 6\n@@ -1,4 +1,4 @@\n async def main():\n     loop = asyncio.get_event_loop()  # noqa: PAR603\n-    other = asyncio.get_event_loop()\n+    other = asyncio.get_running_loop()\n     return loop, other\n"
    );
    assert_eq!(project.read("fetch.ipynb"), FETCH, "--diff writes nothing");
    project.check(&["--fix", "fetch.ipynb"]).assert_code(1);
    let fixed = project.read("fetch.ipynb");
    let changed: Vec<&str> = FETCH
        .lines()
        .zip(fixed.lines())
        .filter(|(a, b)| a != b)
        .map(|(_, b)| b)
        .collect();
    assert_eq!(
        changed,
        vec!["    \"    other = asyncio.get_running_loop()\\n\","]
    );
}

#[test]
fn other_json_layouts_are_kept() {
    // Two-space indentation, unsorted keys, no final newline, a source given as one string.
    let notebook = "{\n  \"nbformat\": 4,\n  \"nbformat_minor\": 2,\n  \"metadata\": {},\n  \"cells\": [\n    {\n      \"cell_type\": \"code\",\n      \"source\": [\n        \"import asyncio\\n\",\n        \"async def f():\\n\",\n        \"    return asyncio.get_event_loop()\"\n      ],\n      \"outputs\": [],\n      \"metadata\": {\"tags\": [\"x\"]},\n      \"execution_count\": null\n    },\n    {\n      \"cell_type\": \"code\",\n      \"source\": \"async def g():\\n    return asyncio.get_event_loop()\\n\",\n      \"outputs\": [],\n      \"metadata\": {},\n      \"execution_count\": null\n    }\n  ]\n}";
    let project = Project::new();
    project.write("two.ipynb", notebook);
    project.check(&["--fix", "two.ipynb"]).assert_code(0);
    assert_eq!(
        project.read("two.ipynb"),
        notebook
            .replace(
                "\"    return asyncio.get_event_loop()\"\n",
                "\"    return asyncio.get_running_loop()\"\n"
            )
            .replace(
                "\\n    return asyncio.get_event_loop()\\n\"",
                "\\n    return asyncio.get_running_loop()\\n\""
            )
    );
}

#[test]
fn a_fix_spanning_cells_is_only_suggested() {
    // PAR402 wraps module-level code from the pool onwards in a main guard: across cells that
    // cannot be written back, so the notebook is left as it is and the fix is shown instead.
    let notebook = serde_json::json!({
        "cells": [
            {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
             "source": ["from concurrent.futures import ProcessPoolExecutor\n", "\n", "\n", "def square(x):\n", "    return x * x\n"]},
            {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
             "source": ["with ProcessPoolExecutor() as executor:\n", "    print(list(executor.map(square, range(4))))"]},
            {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
             "source": ["print('done')"]}
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5
    });
    let text = serde_json::to_string_pretty(&notebook).unwrap();
    let project = Project::new();
    project.write("pool.ipynb", &text);
    // Only PAR402: PAR701 would (rightly) unwrap the trivial `square` from the pool.
    let run = project.check(&[
        "--fix",
        "--unsafe-fixes",
        "--select",
        "PAR402",
        "pool.ipynb",
    ]);
    run.assert_code(1);
    assert!(
        run.stdout.contains("pool.ipynb:cell 2:1:1: PAR402"),
        "{}",
        run.stdout
    );
    assert_eq!(project.read("pool.ipynb"), text);
    let run = project.run(&[
        "check",
        "--output-format",
        "json",
        "--select",
        "PAR402",
        "pool.ipynb",
    ]);
    let array: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    let fix = &array[0]["fix"];
    assert_eq!(fix["applicability"], "displayonly", "{fix}");
    assert!(
        fix["message"].as_str().unwrap().contains("spans cells"),
        "{fix}"
    );
}

#[test]
fn discovery_finds_notebooks_and_skips_other_kernels() {
    let project = project();
    let r_notebook = FETCH
        .replace("\"language\": \"python\"", "\"language\": \"R\"")
        .replace("\"name\": \"python\",", "\"name\": \"R\",");
    project.write("sub/analysis_r.ipynb", r_notebook);
    let run = project.check(&["-q"]);
    run.assert_code(1);
    assert!(
        run.stdout.contains("fetch.ipynb:cell 4:2:1: PAR201"),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains("analysis_r"), "{}", run.stdout);
}

#[test]
fn invalid_notebook_is_an_error_naming_it() {
    let project = Project::new();
    project.write("broken.ipynb", "{\"cells\": [");
    project.write("ok.py", "x = 1\n");
    let run = project.check(&[]);
    run.assert_code(2);
    assert!(
        run.stderr
            .contains("error: broken.ipynb: not a valid Jupyter notebook:"),
        "{}",
        run.stderr
    );
}

#[test]
fn syntax_error_in_a_cell_names_the_cell() {
    let notebook = serde_json::json!({
        "cells": [
            {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": ["x = 1"]},
            {"cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [], "source": ["def broken(:\n", "    pass"]}
        ],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5
    });
    let project = Project::new();
    project.write("bad.ipynb", serde_json::to_string(&notebook).unwrap());
    let run = project.check(&["bad.ipynb", "-q"]);
    run.assert_code(1);
    assert!(
        run.stdout.starts_with("bad.ipynb:cell 2:1:"),
        "{}",
        run.stdout
    );
}

#[test]
fn stdin_takes_a_notebook() {
    let project = Project::new();
    let run = project.run_with(
        project.command(),
        &[
            "check",
            "--output-format",
            "concise",
            "-q",
            "-",
            "--stdin-filename",
            "nb.ipynb",
        ],
        Some(FETCH.as_bytes()),
    );
    run.assert_code(1);
    assert!(
        run.stdout.contains("nb.ipynb:cell 6:3:13: PAR603"),
        "{}",
        run.stdout
    );
    // Under --fix the fixed notebook (JSON) is printed; diagnostics go to stderr.
    let run = project.run_with(
        project.command(),
        &["check", "--fix", "-", "--stdin-filename", "nb.ipynb"],
        Some(FETCH.as_bytes()),
    );
    run.assert_code(1);
    let value: Value = serde_json::from_str(&run.stdout).expect("a notebook on stdout");
    assert!(value["cells"][5]["source"][2]
        .as_str()
        .unwrap()
        .contains("get_running_loop"));
}

#[test]
fn annotations_and_sarif_point_at_the_notebook_file_lines() {
    let project = project();
    let run = project.run(&["check", "--output-format", "github", "fetch.ipynb"]);
    let line_of = |needle: &str| FETCH.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let loop_line = line_of("\"for url in urls:\\n\"");
    let call_line = line_of("\"    other = asyncio.get_event_loop()\\n\"");
    assert_eq!(
        run.stdout.lines().collect::<Vec<_>>(),
        vec![
            format!("::warning title=pyparallel (PAR201),file=fetch.ipynb,line={loop_line},endLine={loop_line}::fetch.ipynb:cell 4:2:1: PAR201 I/O-bound loop makes a network request for one item of `urls` at a time with `requests.get`; overlap the waits in a thread pool (ThreadPoolExecutor.map)"),
            format!("::warning title=pyparallel (PAR603),file=fetch.ipynb,line={call_line},endLine={call_line}::fetch.ipynb:cell 6:3:13: PAR603 `asyncio.get_event_loop()` in a coroutine (I/O-bound asyncio code): use `asyncio.get_running_loop()`, the loop that runs it"),
        ]
    );
    let run = project.run(&["check", "--output-format", "sarif", "fetch.ipynb"]);
    let sarif: Value = serde_json::from_str(&run.stdout).unwrap();
    let result = &sarif["runs"][0]["results"][1];
    assert_eq!(
        result["locations"][0]["physicalLocation"]["region"],
        serde_json::json!({"startLine": call_line, "endLine": call_line})
    );
    assert!(result["message"]["text"]
        .as_str()
        .unwrap()
        .ends_with("(cell 6, line 3, column 13)"));
    assert!(result.get("fixes").is_none());
}

#[test]
fn line_formats_name_the_cell_or_the_file_line() {
    let project = project();
    let line_of = |needle: &str| FETCH.lines().position(|l| l.contains(needle)).unwrap() + 1;
    let loop_line = line_of("\"for url in urls:\\n\"");
    let call_line = line_of("\"    other = asyncio.get_event_loop()\\n\"");
    let run = project.run(&["check", "--output-format", "grouped", "-q", "fetch.ipynb"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert_eq!(lines[0], "fetch.ipynb:");
    assert!(
        lines[1].starts_with("  cell 4:2:1  PAR201 "),
        "{}",
        run.stdout
    );
    assert!(
        lines[2].starts_with("  cell 6:3:13 PAR603 [*] "),
        "{}",
        run.stdout
    );
    let run = project.run(&["check", "--output-format", "pylint", "fetch.ipynb"]);
    let lines: Vec<&str> = run.stdout.lines().collect();
    assert!(lines[0].starts_with(&format!("fetch.ipynb:{loop_line}: [PAR201] ")));
    assert!(lines[1].starts_with(&format!("fetch.ipynb:{call_line}: [PAR603] ")));
    let run = project.run(&["check", "--output-format", "gitlab", "fetch.ipynb"]);
    let entries: Vec<Value> = serde_json::from_str(&run.stdout).unwrap();
    assert_eq!(
        entries[1]["location"]["positions"]["begin"],
        serde_json::json!({"line": call_line, "column": 1})
    );
    let run = project.run(&["check", "--output-format", "rdjson", "fetch.ipynb"]);
    let report: Value = serde_json::from_str(&run.stdout).unwrap();
    let second = &report["diagnostics"][1];
    assert_eq!(
        second["location"]["range"],
        serde_json::json!({"start": {"line": call_line}, "end": {"line": call_line}})
    );
    assert!(
        second.get("suggestions").is_none(),
        "a cell edit is no file suggestion"
    );
}
