//! Fixture snapshots: each `tests/fixtures/PARxxx*.py` is checked with only that rule enabled;
//! the snapshot holds every diagnostic with its fix, and the source after
//! `--fix --unsafe-fixes`.

use std::fmt::Write;
use std::path::{Path, PathBuf};

use pyparallel::diagnostic::Applicability;
use pyparallel::fix::fix_text;
use pyparallel::linter::lint_source;
use pyparallel::settings::{Options, Overrides, Settings};
use pyparallel::source::SourceText;

fn settings_for(code: &str) -> Settings {
    let options = Options {
        select: Some(vec![code.to_string()]),
        ..Options::default()
    };
    Settings::resolve(&options, &Overrides::default(), Path::new("/"), None).unwrap()
}

fn render(path: &Path) -> String {
    let stem = path.file_stem().unwrap().to_string_lossy().to_string();
    let code = &stem[..6];
    let settings = settings_for(code);
    let text = std::fs::read_to_string(path).unwrap();
    let output = lint_source(text.clone(), path, &settings);
    assert!(
        output.syntax_errors.is_empty(),
        "{stem} must parse: {:?}",
        output.syntax_errors
    );
    let source = SourceText::new(text.clone());
    let mut report = String::new();
    for diagnostic in &output.diagnostics {
        let start = source.location(diagnostic.range.start());
        let end = source.location(diagnostic.range.end());
        writeln!(
            report,
            "{}:{}-{}:{} {} {}",
            start.row, start.column, end.row, end.column, diagnostic.rule.code, diagnostic.message
        )
        .unwrap();
        if let Some(fix) = &diagnostic.fix {
            writeln!(
                report,
                "    fix ({}): {}",
                fix.applicability.as_str(),
                fix.message
            )
            .unwrap();
        }
    }
    let fixed = fix_text(text.clone(), path, &settings, Applicability::Unsafe);
    assert!(
        fixed.rejected.is_empty(),
        "{stem}: fixes produced invalid syntax: {:?}",
        fixed.rejected
    );
    let fixed_text = fixed.output.source.text().to_string();
    // A fixed point: fixing the result again changes nothing.
    let again = fix_text(fixed_text.clone(), path, &settings, Applicability::Unsafe);
    assert_eq!(
        again.output.source.text(),
        fixed_text,
        "{stem}: second fix run changed the file"
    );
    writeln!(
        report,
        "\n--- remaining after --fix --unsafe-fixes: {} ---",
        fixed.output.diagnostics.len()
    )
    .unwrap();
    if fixed_text == text {
        report.push_str("--- source unchanged ---\n");
    } else {
        report.push_str("--- fixed source ---\n");
        report.push_str(&fixed_text);
    }
    report
}

fn fixtures() -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir("tests/fixtures")
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "py"))
        .collect();
    files.sort();
    files
}

#[test]
fn fixture_snapshots() {
    let files = fixtures();
    assert!(files.len() >= 6, "fixtures are missing");
    for path in files {
        let name = path.file_stem().unwrap().to_string_lossy().to_string();
        insta::assert_snapshot!(name, render(&path));
    }
}

#[test]
fn every_rule_has_a_fixture() {
    let files = fixtures();
    for rule in pyparallel::rules::RULES {
        assert!(
            files.iter().any(|f| f
                .file_name()
                .unwrap()
                .to_string_lossy()
                .starts_with(rule.code)),
            "{} has no fixture in tests/fixtures",
            rule.code
        );
    }
}

#[test]
fn negatives_stay_silent() {
    for path in fixtures() {
        let stem = path.file_stem().unwrap().to_string_lossy().to_string();
        if !stem.ends_with("_negative") {
            continue;
        }
        let settings = settings_for(&stem[..6]);
        let output = lint_source(std::fs::read_to_string(&path).unwrap(), &path, &settings);
        assert!(
            output.diagnostics.is_empty(),
            "{stem}: {:?}",
            output.diagnostics
        );
    }
}

#[test]
fn test_modules_get_no_performance_candidates() {
    // Tests run on toy data: PAR1-PAR3, PAR601 and PAR602 stay silent there; pitfalls are
    // still reported.
    let source = "from concurrent.futures import ProcessPoolExecutor\n\ndef fib(n):\n    return n if n < 2 else fib(n - 1) + fib(n - 2)\n\ndef main(numbers):\n    squares = [fib(n) for n in numbers]\n    with ProcessPoolExecutor() as executor:\n        executor.map(lambda n: n + 1, numbers)\n    return squares\n";
    let options = Options {
        select: Some(vec!["PAR101".to_string(), "PAR401".to_string()]),
        ..Options::default()
    };
    let settings =
        Settings::resolve(&options, &Overrides::default(), Path::new("/"), None).unwrap();
    let codes = |name: &str| {
        lint_source(source.to_string(), Path::new(name), &settings)
            .diagnostics
            .iter()
            .map(|d| d.rule.code)
            .collect::<Vec<_>>()
    };
    assert_eq!(codes("pipeline.py"), ["PAR101", "PAR401"]);
    for test_module in ["test_pipeline.py", "pipeline_test.py", "conftest.py"] {
        assert_eq!(codes(test_module), ["PAR401"], "{test_module}");
    }
    // A fixture file in a tests folder is not a test module by its name.
    assert_eq!(codes("tests/fixtures/pipeline.py"), ["PAR101", "PAR401"]);

    let blocking = "import time\n\nasync def waits():\n    time.sleep(1)\n";
    let options = Options {
        select: Some(vec!["PAR601".to_string()]),
        ..Options::default()
    };
    let settings =
        Settings::resolve(&options, &Overrides::default(), Path::new("/"), None).unwrap();
    let found = |name: &str| {
        lint_source(blocking.to_string(), Path::new(name), &settings)
            .diagnostics
            .len()
    };
    assert_eq!(found("service.py"), 1);
    assert_eq!(found("test_service.py"), 0);
}
