//! Recall on real code: `tests/recall/*.py` are genuine sites found in public application
//! code (each names its source), rewritten in the shape found, with the line where a finding
//! must start marked `# recall: PARxxx`. This test measures how many are found per rule and
//! fails if any rule finds fewer than it did when the floor below was last raised: recall may
//! only go up. `scripts/recall.py` prints the same figures, with the missed sites.

use std::collections::BTreeMap;
use std::path::Path;

use pyparallel::linter::lint_source;
use pyparallel::settings::{Options, Overrides, Settings};
use pyparallel::source::SourceText;

/// Sites found per rule on the day each floor was set (PAR201, PAR202 and PAR204 raised when
/// the loop decomposition and outlining landed; PAR101 and PAR102 when outlining reached
/// process pools, PAR202 and PAR204 again when inner loops under a few written-out values
/// counted, PAR306 when its loops were decomposed too).
const FLOORS: &[(&str, usize)] = &[
    ("PAR101", 3),
    ("PAR102", 3),
    ("PAR201", 13),
    ("PAR202", 9),
    ("PAR203", 3),
    ("PAR204", 7),
    ("PAR205", 3),
    ("PAR306", 5),
    ("PAR601", 9),
    ("PAR602", 1),
    ("PAR606", 1),
];

/// Lines of the loop statement starting on `row`: up to the next line indented no deeper
/// than the loop line (blank and comment lines do not end it).
fn loop_span(lines: &[&str], row: usize) -> (usize, usize) {
    let indent = |line: &str| line.len() - line.trim_start().len();
    let start = lines[row - 1];
    let depth = indent(start);
    let mut end = row;
    // A comprehension or call spanning several lines: brackets still open on the start line.
    let mut open = 0i32;
    for (index, line) in lines.iter().enumerate().skip(row - 1) {
        let code = line.split_once('#').map_or(*line, |(code, _)| code);
        if index + 1 > row && open <= 0 {
            let trimmed = line.trim();
            if !trimmed.is_empty() && !trimmed.starts_with('#') && indent(line) <= depth {
                break;
            }
        }
        for ch in code.chars() {
            match ch {
                '(' | '[' | '{' => open += 1,
                ')' | ']' | '}' => open -= 1,
                _ => {}
            }
        }
        end = index + 1;
    }
    (row, end)
}

#[test]
fn recall_on_real_code_does_not_drop() {
    // The rules the sites are for, as `scripts/recall.py` selects them (with every rule on,
    // a rule that defers to a more specific one would look like a miss).
    let options = Options {
        select: Some(FLOORS.iter().map(|(code, _)| code.to_string()).collect()),
        ..Options::default()
    };
    let mut lookalikes = 0;
    let mut flagged = Vec::new();
    let settings =
        Settings::resolve(&options, &Overrides::default(), Path::new("/"), None).unwrap();
    let mut sites: BTreeMap<&str, usize> = BTreeMap::new();
    let mut found: BTreeMap<&str, usize> = BTreeMap::new();
    let mut missed = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir("tests/recall")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "py"))
        .collect();
    files.sort();
    assert!(files.len() >= 40, "the recall set is missing");
    for path in files {
        let text = std::fs::read_to_string(&path).unwrap();
        let output = lint_source(text.clone(), &path, &settings);
        assert!(
            output.syntax_errors.is_empty(),
            "{} must parse",
            path.display()
        );
        let source = SourceText::new(text.clone());
        let lines: Vec<&str> = text.lines().collect();
        for (index, line) in lines.iter().enumerate() {
            let Some((_, marker)) = line.split_once("# lookalike: ") else {
                continue;
            };
            let (first, last) = loop_span(&lines, index + 1);
            for code in marker.split(',').map(str::trim) {
                let rule = pyparallel::rules::find(code).expect("a rule code").code;
                assert!(
                    FLOORS.iter().any(|(selected, _)| *selected == rule),
                    "{}: look-alike rule {rule} is not selected",
                    path.display()
                );
                lookalikes += 1;
                let fired: Vec<usize> = output
                    .diagnostics
                    .iter()
                    .filter(|diagnostic| diagnostic.rule.code == rule)
                    .map(|diagnostic| source.row(diagnostic.range.start()))
                    .filter(|row| (first..=last).contains(row))
                    .collect();
                if !fired.is_empty() {
                    flagged.push(format!(
                        "{}:{} {rule} (fired on {fired:?})",
                        path.display(),
                        index + 1
                    ));
                }
            }
        }
        for (index, line) in text.lines().enumerate() {
            let Some((_, marker)) = line.split_once("# recall: ") else {
                continue;
            };
            let row = index + 1;
            for code in marker.split(',').map(str::trim) {
                let rule = pyparallel::rules::find(code).expect("a rule code").code;
                *sites.entry(rule).or_default() += 1;
                let hit = output.diagnostics.iter().any(|diagnostic| {
                    diagnostic.rule.code == rule && source.row(diagnostic.range.start()) == row
                });
                if hit {
                    *found.entry(rule).or_default() += 1;
                } else {
                    missed.push(format!("{}:{row} {rule}", path.display()));
                }
            }
        }
    }
    let mut report = String::new();
    for (rule, count) in &sites {
        let hits = found.get(rule).copied().unwrap_or(0);
        report.push_str(&format!("{rule}: {hits} of {count}\n"));
    }
    for (rule, floor) in FLOORS {
        let hits = found.get(rule).copied().unwrap_or(0);
        assert!(
            hits >= *floor,
            "{rule} finds {hits} recall sites, fewer than {floor}:\n{report}missed:\n  {}",
            missed.join("\n  ")
        );
    }
    assert!(
        lookalikes >= 20,
        "the look-alikes are missing ({lookalikes} marked)"
    );
    assert!(
        flagged.is_empty(),
        "{} of {lookalikes} look-alikes flagged:\n  {}",
        flagged.len(),
        flagged.join("\n  ")
    );
}
