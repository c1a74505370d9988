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

/// Sites found per rule on the day each floor was set.
const FLOORS: &[(&str, usize)] = &[
    ("PAR101", 2),
    ("PAR102", 1),
    ("PAR201", 0),
    ("PAR202", 1),
    ("PAR203", 1),
    ("PAR204", 1),
    ("PAR601", 9),
    ("PAR602", 1),
];

#[test]
fn recall_on_real_code_does_not_drop() {
    // The rules the sites are for, as `scripts/recall.py` selects them (with every rule on,
    // a rule that defers to a more specific one would look like a miss).
    let options = Options {
        select: Some(FLOORS.iter().map(|(code, _)| code.to_string()).collect()),
        ..Options::default()
    };
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
}
