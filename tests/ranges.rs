//! Where a finding's range ends: a loop finding covers the `for` header up to and including its
//! colon (never the line break after it), in JSON, GitHub annotations and the `full` snippet.

mod common;

use common::Project;
use serde_json::Value;

/// (code, start row, start column, end row, end column) of every JSON diagnostic.
fn ranges(project: &Project, args: &[&str]) -> Vec<(String, u64, u64, u64, u64)> {
    let mut all = vec!["check", "--output-format", "json", "--exit-zero"];
    all.extend_from_slice(args);
    let run = project.run(&all);
    let diagnostics: Vec<Value> = serde_json::from_str(&run.stdout).expect("JSON output");
    diagnostics
        .iter()
        .map(|d| {
            let at = |key: &str, field: &str| d[key][field].as_u64().unwrap();
            (
                d["code"].as_str().unwrap().to_string(),
                at("location", "row"),
                at("location", "column"),
                at("end_location", "row"),
                at("end_location", "column"),
            )
        })
        .collect()
}

/// A superlinear function, and the loop of a program's top-level work that calls it per item.
const WORK: &str = "\
def work(n):
    total = 0
    for i in range(n):
        for j in range(i):
            total += i * j
    return total


";

/// `WORK`, then `report` (whose loop header is on line 11) run as the program.
fn cpu_loop(report: &str) -> String {
    format!("{WORK}{report}\n\nif __name__ == \"__main__\":\n    print(report([100], [200]))\n")
}

const ONE_LINE_HEADER: &str = "\
def report(limits, more):
    counts = []
    for limit in limits:
        counts.append(work(limit))
    return counts";

#[test]
fn a_loop_finding_ends_at_the_colon_of_the_for_header() {
    let project = Project::new();
    project.write("a.py", cpu_loop(ONE_LINE_HEADER));
    // `    for limit in limits:` is 24 characters: the colon is column 24, the end column 25.
    assert_eq!(
        ranges(&project, &["--select", "PAR101"]),
        vec![("PAR101".to_string(), 11, 5, 11, 25)]
    );
}

#[test]
fn a_header_written_over_several_lines_ends_at_its_colon() {
    let project = Project::new();
    project.write(
        "a.py",
        cpu_loop("def report(a, b):\n    counts = []\n    for limit in (\n        a + b\n    ):\n        counts.append(work(limit))\n    return counts"),
    );
    assert_eq!(
        ranges(&project, &["--select", "PAR101"]),
        vec![("PAR101".to_string(), 11, 5, 13, 7)]
    );
}

#[test]
fn a_one_line_loop_ends_at_the_colon_not_the_body() {
    let project = Project::new();
    project.write(
        "a.py",
        cpu_loop("def report(limits, more):\n    counts = []\n    for limit in limits: counts.append(work(limit))\n    return counts"),
    );
    assert_eq!(
        ranges(&project, &["--select", "PAR101"]),
        vec![("PAR101".to_string(), 11, 5, 11, 25)]
    );
}

#[test]
fn an_await_in_loop_finding_ends_at_the_colon() {
    let project = Project::new();
    project.write(
        "a.py",
        "import aiohttp\n\n\nasync def fetch(session: aiohttp.ClientSession, url):\n    async with session.get(url) as response:\n        return await response.text()\n\n\nasync def main(session, urls):\n    out = []\n    for url in urls:\n        out.append(await fetch(session, url))\n    return out\n",
    );
    assert_eq!(
        ranges(&project, &["--select", "PAR203"]),
        vec![("PAR203".to_string(), 11, 5, 11, 21)]
    );
}

#[test]
fn a_main_guard_finding_on_a_statement_over_several_lines_ends_on_its_first_line() {
    let project = Project::new();
    project.write(
        "a.py",
        "import multiprocessing\n\npool = multiprocessing.Pool(\n    processes=4,\n)\n",
    );
    assert_eq!(
        ranges(&project, &["--select", "PAR402"]),
        vec![("PAR402".to_string(), 3, 1, 3, 29)]
    );
}

#[test]
fn github_annotations_and_the_snippet_end_on_the_header_line() {
    let project = Project::new();
    project.write("a.py", cpu_loop(ONE_LINE_HEADER));
    let run = project.run(&["check", "--select", "PAR101", "--output-format", "github"]);
    assert!(
        run.stdout
            .contains("file=a.py,line=11,col=5,endLine=11,endColumn=25::"),
        "{}",
        run.stdout
    );
    let run = project.run(&["check", "--select", "PAR101", "--output-format", "full"]);
    // One line underlined from `for` to the colon, not the two-line `|_^` marker.
    assert!(
        run.stdout
            .contains("11 |     for limit in limits:\n   |     ^^^^^^^^^^^^^^^^^^^^\n"),
        "{}",
        run.stdout
    );
}
