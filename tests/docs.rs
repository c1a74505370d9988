//! The rule pages under `docs/` are generated from each rule's own documentation: they must not
//! drift from it, and the code the documentation recommends ("Use instead") must itself pass
//! every default rule.

use std::path::Path;

const REGENERATE: &str =
    "regenerate them with `cargo run -- generate-docs docs` and commit the result";

#[test]
fn generated_docs_are_current() {
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    let mut stale = Vec::new();
    for (path, expected) in pyparallel::docs::generated_files() {
        let file = docs.join(&path);
        match std::fs::read_to_string(&file) {
            Ok(actual) if actual == expected => {}
            Ok(_) => stale.push(format!("docs/{path} is out of date")),
            Err(error) => stale.push(format!("docs/{path} is missing ({error})")),
        }
    }
    assert!(
        stale.is_empty(),
        "generated documentation is not current:\n  {}\n{REGENERATE}",
        stale.join("\n  ")
    );
}

#[test]
fn no_stale_rule_pages() {
    // A page for a rule that no longer exists (or was renamed) would be published forever.
    let expected: Vec<String> = pyparallel::docs::generated_files()
        .into_iter()
        .map(|(path, _)| path)
        .collect();
    let rules = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/rules");
    let Ok(entries) = std::fs::read_dir(&rules) else {
        return; // reported by `generated_docs_are_current`
    };
    let mut extra: Vec<String> = entries
        .filter_map(Result::ok)
        .map(|entry| format!("rules/{}", entry.file_name().to_string_lossy()))
        .filter(|path| !expected.contains(path))
        .collect();
    extra.sort();
    assert!(
        extra.is_empty(),
        "docs/ holds pages that are no longer generated: {}; delete them, then {REGENERATE}",
        extra.join(", ")
    );
}

/// The Python code blocks that follow "Use instead" in a rule's documentation.
fn use_instead_examples(docs: &str) -> Vec<String> {
    let mut examples = Vec::new();
    let mut lines = docs.lines();
    while let Some(line) = lines.next() {
        if !line.trim_start().starts_with("Use instead") {
            continue;
        }
        let Some(fence) = lines.by_ref().find(|l| !l.trim().is_empty()) else {
            break;
        };
        assert!(
            fence.trim_start().starts_with("```"),
            "\"Use instead\" must be followed by a code block, found `{fence}`"
        );
        let code: Vec<&str> = lines
            .by_ref()
            .take_while(|l| !l.trim_start().starts_with("```"))
            .collect();
        examples.push(code.join("\n") + "\n");
    }
    examples
}

#[test]
fn every_use_instead_example_is_clean_under_the_default_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let settings = pyparallel::settings::Settings::defaults(root);
    let mut flagged = Vec::new();
    let mut checked = 0;
    for rule in pyparallel::rules::RULES {
        let examples = use_instead_examples(rule.docs);
        assert!(
            !examples.is_empty(),
            "{}: the documentation has no \"Use instead\" example",
            rule.code
        );
        for example in examples {
            checked += 1;
            let output = pyparallel::linter::lint_source(
                example.clone(),
                Path::new("example.py"),
                &settings,
            );
            for error in &output.syntax_errors {
                flagged.push(format!("{}: syntax error: {}", rule.code, error.message));
            }
            for diagnostic in &output.diagnostics {
                flagged.push(format!(
                    "{}'s example is flagged by {}: {}\n{example}",
                    rule.code, diagnostic.rule.code, diagnostic.message
                ));
            }
        }
    }
    assert!(checked >= pyparallel::rules::RULES.len());
    assert!(flagged.is_empty(), "{}", flagged.join("\n\n"));
}
