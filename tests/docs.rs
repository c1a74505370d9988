//! The rule pages under `docs/` are generated from each rule's own documentation; this test
//! fails when they drift, so a rule's docs cannot change without its page changing too.

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
