//! The release as the documentation promises it: every pinned version in the README, the docs,
//! the action and the pre-commit mirror is Cargo.toml's, the package name on PyPI is the same
//! everywhere, and the action downloads only archives the release workflow builds.

use std::path::Path;

const VERSION: &str = env!("CARGO_PKG_VERSION");

fn read(path: &str) -> String {
    std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path))
        .unwrap_or_else(|error| panic!("{path}: {error}"))
}

/// The files that tell users which release to install.
fn documents() -> Vec<(String, String)> {
    let mut paths = vec![
        "README.md".to_string(),
        "action.yml".to_string(),
        "integrations/pre-commit-mirror/README.md".to_string(),
        "integrations/pre-commit-mirror/pyproject.toml".to_string(),
    ];
    let docs = Path::new(env!("CARGO_MANIFEST_DIR")).join("docs");
    for entry in std::fs::read_dir(docs).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|ext| ext == "md") {
            paths.push(format!(
                "docs/{}",
                path.file_name().unwrap().to_string_lossy()
            ));
        }
    }
    paths
        .into_iter()
        .map(|path| (read(&path), path))
        .map(|(text, path)| (path, text))
        .collect()
}

/// The versions written after `marker` in `text` (`rev: v0.1.0` → `0.1.0`).
fn pinned<'t>(text: &'t str, marker: &str) -> Vec<&'t str> {
    text.match_indices(marker)
        .map(|(at, _)| {
            let rest = &text[at + marker.len()..];
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == '.'))
                .unwrap_or(rest.len());
            rest[..end].trim_end_matches('.')
        })
        // A release version (`0.1.0`), not a file format's (`version: 2`).
        .filter(|version| version.matches('.').count() == 2)
        .collect()
}

#[test]
fn every_pinned_release_is_cargo_toml_s_version() {
    let markers = [
        "rev: v",
        "pyparallel/pyparallel@v",
        "pyparallel-pre-commit@v",
        "pyparallel-lint==",
        "releases/download/v",
        "version: ",
        "version = \"",
    ];
    let mut found = 0;
    let mut wrong = Vec::new();
    for (path, text) in documents() {
        for marker in markers {
            for version in pinned(&text, marker) {
                found += 1;
                if version != VERSION {
                    wrong.push(format!("{path}: `{marker}{version}`"));
                }
            }
        }
    }
    assert!(
        found >= 8,
        "only {found} pins found: the markers no longer match the docs"
    );
    assert!(
        wrong.is_empty(),
        "pinned to another release than Cargo.toml's {VERSION}:\n{}",
        wrong.join("\n")
    );
}

#[test]
fn the_package_on_pypi_is_pyparallel_lint_everywhere() {
    assert!(read("pyproject.toml").contains("\nname = \"pyparallel-lint\"\n"));
    assert!(read("integrations/pre-commit-mirror/pyproject.toml")
        .contains(&format!("dependencies = [\"pyparallel-lint=={VERSION}\"]")));
    assert!(
        read(".github/workflows/release.yml").contains("https://pypi.org/project/pyparallel-lint/")
    );
    // `pip install pyparallel` installs an unrelated project: never recommended.
    for (path, text) in documents() {
        assert!(
            !text.contains("pip install pyparallel\n") && !text.contains("pip install pyparallel`"),
            "{path} recommends `pip install pyparallel`"
        );
    }
}

#[test]
fn the_action_downloads_only_archives_the_release_builds() {
    let install = read("scripts/action-install.sh");
    let release = read(".github/workflows/release.yml");
    let targets: Vec<&str> = install
        .lines()
        .filter_map(|line| line.trim().split_once(") echo "))
        .map(|(_, target)| target.trim_end_matches(" ;;").trim())
        .collect();
    assert_eq!(targets.len(), 5, "{targets:?}");
    for target in targets {
        assert!(
            release.contains(&format!("target: {target},")),
            "action-install.sh downloads {target}, which release.yml does not build"
        );
    }
    // Both name the archives the same way (scripts/package_binary.py).
    assert!(install.contains("archive=\"pyparallel-$target.tar.gz\""));
    assert!(read("scripts/package_binary.py").contains("f\"pyparallel-{target}.tar.gz\""));
}

#[test]
fn the_mirror_hooks_match_the_source_built_hooks() {
    // The same ids, entries and file types; only the language differs.
    let strip = |text: &str| -> Vec<String> {
        text.lines()
            .filter(|line| {
                !line.starts_with('#')
                    && !line.contains("language:")
                    && !line.contains("additional_dependencies")
            })
            .map(str::to_string)
            .collect()
    };
    let source_built = read(".pre-commit-hooks.yaml");
    let prebuilt = read("integrations/pre-commit-mirror/.pre-commit-hooks.yaml");
    assert_eq!(strip(&source_built), strip(&prebuilt));
    assert!(prebuilt.contains("language: python"));
    assert!(source_built.contains("language: rust"));
}
