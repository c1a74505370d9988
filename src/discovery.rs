//! Finds the Python files to check under the paths given, honouring `.gitignore`, `exclude`
//! and `extend-exclude` (as configured for each folder), and `force-exclude`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::{ConfigError, ConfigResolver};
use crate::settings::Settings;

/// A file to check and the settings that govern it.
pub struct Candidate {
    /// Absolute path.
    pub path: PathBuf,
    pub settings: Arc<Settings>,
}

/// What discovery found: files to check, and problems to report (missing paths, bad configs).
#[derive(Default)]
pub struct Discovered {
    pub files: Vec<Candidate>,
    pub errors: Vec<DiscoveryError>,
}

pub enum DiscoveryError {
    Config(ConfigError),
    Path { path: PathBuf, message: String },
}

pub fn is_python_file(path: &Path) -> bool {
    matches!(
        path.extension().and_then(|e| e.to_str()),
        Some("py" | "pyi" | "ipynb")
    )
}

/// Walks `paths` (absolute). A file named explicitly is checked whatever its extension, unless
/// excluded under `force-exclude`.
pub fn discover(paths: &[PathBuf], resolver: &Arc<ConfigResolver>) -> Discovered {
    let mut found = Discovered::default();
    let mut seen = std::collections::HashSet::new();
    for root in paths {
        let metadata = match std::fs::metadata(root) {
            Ok(metadata) => metadata,
            Err(error) => {
                found.errors.push(DiscoveryError::Path {
                    path: root.clone(),
                    message: format!("cannot read path: {error}"),
                });
                continue;
            }
        };
        if metadata.is_file() {
            match resolver.settings_for_file(root) {
                Ok(settings) => {
                    if settings.force_exclude && excluded_with_ancestors(root, &settings, resolver)
                    {
                        continue;
                    }
                    if seen.insert(canonical(root)) {
                        found.files.push(Candidate {
                            path: root.clone(),
                            settings,
                        });
                    }
                }
                Err(error) => found.errors.push(DiscoveryError::Config(error)),
            }
            continue;
        }
        if let Ok(settings) = resolver.settings_for_dir(root) {
            if settings.force_exclude && excluded_with_ancestors(root, &settings, resolver) {
                continue;
            }
        }
        walk_dir(root, resolver, &mut found, &mut seen);
    }
    found.files.sort_by(|a, b| a.path.cmp(&b.path));
    found
}

fn walk_dir(
    root: &Path,
    resolver: &Arc<ConfigResolver>,
    found: &mut Discovered,
    seen: &mut std::collections::HashSet<PathBuf>,
) {
    let respect_gitignore = resolver
        .settings_for_dir(root)
        .map(|settings| settings.respect_gitignore)
        .unwrap_or(true);
    let resolver_ref = Arc::clone(resolver);
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(false)
        .hidden(false)
        .git_ignore(respect_gitignore)
        .git_exclude(respect_gitignore)
        .git_global(respect_gitignore)
        .ignore(respect_gitignore)
        .parents(respect_gitignore)
        .require_git(false)
        .follow_links(true)
        .filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            let path = entry.path();
            let folder = path.parent();
            match folder.map(|folder| resolver_ref.settings_for_dir(folder)) {
                Some(Ok(settings)) => !settings.is_excluded(path),
                _ => true,
            }
        })
        .build();
    let mut reported_configs = std::collections::HashSet::new();
    for entry in walker {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = match &error {
                    ignore::Error::WithPath { path, .. } => path.clone(),
                    ignore::Error::WithDepth { err, .. } => match err.as_ref() {
                        ignore::Error::WithPath { path, .. } => path.clone(),
                        _ => root.to_path_buf(),
                    },
                    _ => root.to_path_buf(),
                };
                found.errors.push(DiscoveryError::Path {
                    path,
                    message: error.to_string(),
                });
                continue;
            }
        };
        if !entry.file_type().is_some_and(|t| t.is_file()) || !is_python_file(entry.path()) {
            continue;
        }
        let path = entry.path().to_path_buf();
        match resolver.settings_for_file(&path) {
            Ok(settings) => {
                if seen.insert(canonical(&path)) {
                    found.files.push(Candidate { path, settings });
                }
            }
            Err(error) => {
                if reported_configs.insert(error.path.clone()) {
                    found.errors.push(DiscoveryError::Config(error));
                }
            }
        }
    }
}

fn canonical(path: &Path) -> PathBuf {
    std::fs::canonicalize(path).unwrap_or_else(|_| path.to_path_buf())
}

/// Whether `path`, or a folder above it inside its project, is excluded. The project folder
/// (the governing configuration's folder, or the working folder) and anything above it are
/// never matched: a project living in a folder called `build` or `dist` is still checked.
/// (`--force-exclude`, and the language server for every file an editor opens.)
pub fn excluded_with_ancestors(
    path: &Path,
    settings: &Settings,
    resolver: &ConfigResolver,
) -> bool {
    let mut current = Some(path);
    while let Some(candidate) = current {
        let governing = match candidate.parent() {
            Some(parent) => resolver.settings_for_dir(parent).ok(),
            None => None,
        };
        let settings = governing.as_deref().unwrap_or(settings);
        let inside_project = candidate != settings.root && candidate.starts_with(&settings.root);
        // The path itself is matched (by name) even outside the project folder.
        if (inside_project || candidate == path)
            && candidate != settings.root
            && settings.is_excluded(candidate)
        {
            return true;
        }
        if !inside_project {
            break;
        }
        current = candidate.parent();
    }
    false
}
