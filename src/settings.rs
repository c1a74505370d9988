//! Resolved settings for a file: built-in defaults, then a configuration file, then the
//! command line. Every key here is documented in the repository's `pyparallel.toml`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};

use crate::analysis::library::Library;
use crate::checker::DispatchTable;
use crate::diagnostic::Severity;
use crate::rules::{RuleSpec, RULES};

/// Directories and files never checked unless the configuration says otherwise (as Ruff).
pub const DEFAULT_EXCLUDE: &[&str] = &[
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".git-rewrite",
    ".hg",
    ".ipynb_checkpoints",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pyenv",
    ".pytest_cache",
    ".pytype",
    ".ruff_cache",
    ".svn",
    ".tox",
    ".venv",
    ".vscode",
    "__pypackages__",
    "_build",
    "buck-out",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "venv",
];

pub const DEFAULT_TARGET_VERSION: u8 = 9;
pub const DEFAULT_MIN_ITEMS: u64 = 1000;
pub const DEFAULT_MAX_WORKERS: u64 = 32;
pub const MIN_TARGET_MINOR: u8 = 8;
pub const MAX_TARGET_MINOR: u8 = 14;

/// Options as written in a configuration file or on the command line (all optional).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Options {
    pub select: Option<Vec<String>>,
    pub ignore: Option<Vec<String>>,
    pub extend_select: Option<Vec<String>>,
    pub per_file_ignores: Option<Vec<(String, Vec<String>)>>,
    /// Added to `per-file-ignores` (kept through `extend`, where `per-file-ignores` is replaced).
    pub extend_per_file_ignores: Option<Vec<(String, Vec<String>)>>,
    pub exclude: Option<Vec<String>>,
    pub extend_exclude: Option<Vec<String>>,
    pub force_exclude: Option<bool>,
    pub respect_gitignore: Option<bool>,
    /// Minor version of Python 3 (`py311` → 11).
    pub target_version: Option<u8>,
    pub free_threaded: Option<bool>,
    pub fail_on: Option<Severity>,
    pub unsafe_fixes: Option<bool>,
    pub min_items: Option<u64>,
    pub max_workers: Option<u64>,
    pub io_functions: Option<Vec<String>>,
    pub cpu_functions: Option<Vec<String>>,
    pub event_loop_functions: Option<Vec<String>>,
    /// The configuration file this one extends (as written; resolved by the loader).
    pub extend: Option<String>,
}

impl Options {
    /// `child` layered over these options, as Ruff layers an `extend`ed file under the one that
    /// extends it, and `--config KEY = VALUE` over a file: a key `child` sets replaces this
    /// one's (`exclude` and `per-file-ignores` whole), `extend-exclude` and
    /// `extend-per-file-ignores` add up, and the rule selection is this one's with `child`'s
    /// `extend-select` and `ignore` applied on top, unless `child` has its own `select`, which
    /// starts afresh.
    pub fn layered(self, child: Options) -> Result<Options, UnknownSelector> {
        let (select, extend_select, ignore) = if child.select.is_some() {
            (child.select, child.extend_select, child.ignore)
        } else if child.extend_select.is_none() && child.ignore.is_none() {
            (self.select, self.extend_select, self.ignore)
        } else {
            // The base's own selection, resolved, is the set the child's changes apply to.
            let enabled = self.enabled_rules()?;
            (
                Some(enabled.iter().map(|rule| rule.code.to_string()).collect()),
                child.extend_select,
                child.ignore,
            )
        };
        fn concat<T>(base: Option<Vec<T>>, more: Option<Vec<T>>) -> Option<Vec<T>> {
            match (base, more) {
                (Some(mut base), Some(more)) => {
                    base.extend(more);
                    Some(base)
                }
                (base, more) => base.or(more),
            }
        }
        Ok(Options {
            select,
            ignore,
            extend_select,
            per_file_ignores: child.per_file_ignores.or(self.per_file_ignores),
            extend_per_file_ignores: concat(
                self.extend_per_file_ignores,
                child.extend_per_file_ignores,
            ),
            exclude: child.exclude.or(self.exclude),
            extend_exclude: concat(self.extend_exclude, child.extend_exclude),
            force_exclude: child.force_exclude.or(self.force_exclude),
            respect_gitignore: child.respect_gitignore.or(self.respect_gitignore),
            target_version: child.target_version.or(self.target_version),
            free_threaded: child.free_threaded.or(self.free_threaded),
            fail_on: child.fail_on.or(self.fail_on),
            unsafe_fixes: child.unsafe_fixes.or(self.unsafe_fixes),
            min_items: child.min_items.or(self.min_items),
            max_workers: child.max_workers.or(self.max_workers),
            io_functions: child.io_functions.or(self.io_functions),
            cpu_functions: child.cpu_functions.or(self.cpu_functions),
            event_loop_functions: child.event_loop_functions.or(self.event_loop_functions),
            extend: None,
        })
    }

    /// The rules these options enable on their own: `select` (default `PAR`), plus
    /// `extend-select`, minus `ignore` (which wins).
    pub fn enabled_rules(&self) -> Result<Vec<&'static RuleSpec>, UnknownSelector> {
        let default_select = vec!["PAR".to_string()];
        let mut enabled = vec![false; RULES.len()];
        for rule in resolve_selectors(self.select.as_ref().unwrap_or(&default_select))? {
            enabled[rule.index()] = true;
        }
        for rule in resolve_selectors(self.extend_select.as_deref().unwrap_or_default())? {
            enabled[rule.index()] = true;
        }
        for rule in resolve_selectors(self.ignore.as_deref().unwrap_or_default())? {
            enabled[rule.index()] = false;
        }
        Ok(RULES
            .iter()
            .copied()
            .filter(|rule| enabled[rule.index()])
            .collect())
    }
}

/// Command-line flags that adjust whatever configuration applies. The rule selection flags are
/// one more layer over the configuration's, as in Ruff: `--select` starts afresh,
/// `--extend-select` and `--ignore` change the configured set.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub select: Option<Vec<String>>,
    pub ignore: Vec<String>,
    pub extend_select: Vec<String>,
    pub force_exclude: Option<bool>,
    pub unsafe_fixes: Option<bool>,
    pub respect_gitignore: Option<bool>,
    pub target_version: Option<u8>,
    /// `--exclude` (replaces the configured list) and `--extend-exclude`, made absolute against
    /// the working folder where they name paths.
    pub exclude: Option<Vec<String>>,
    pub extend_exclude: Vec<String>,
    /// `--ignore-noqa`: report diagnostics whatever `# noqa` comments say.
    pub ignore_noqa: bool,
}

/// A rule selector that matched nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownSelector(pub String);

/// Which rules a list of selectors names. `ALL`, a code, a name, or a code prefix (`PAR4`).
/// Opt-in rules are named only by `ALL`, their code or their name.
pub fn resolve_selectors(selectors: &[String]) -> Result<Vec<&'static RuleSpec>, UnknownSelector> {
    let mut rules = Vec::new();
    for selector in selectors {
        let selector = selector.trim();
        let matched: Vec<&'static RuleSpec> = if selector.eq_ignore_ascii_case("ALL") {
            RULES.to_vec()
        } else if let Some(rule) = crate::rules::find(selector) {
            vec![rule]
        } else {
            let upper = selector.to_ascii_uppercase();
            let is_prefix =
                upper.starts_with("PAR") && upper[3..].bytes().all(|b| b.is_ascii_digit());
            if !is_prefix {
                return Err(UnknownSelector(selector.to_string()));
            }
            let matched: Vec<_> = RULES
                .iter()
                .copied()
                .filter(|rule| rule.code.starts_with(&upper) && !rule.opt_in)
                .collect();
            if matched.is_empty() && !RULES.iter().any(|rule| rule.code.starts_with(&upper)) {
                return Err(UnknownSelector(selector.to_string()));
            }
            matched
        };
        for rule in matched {
            if !rules.contains(&rule) {
                rules.push(rule);
            }
        }
    }
    Ok(rules)
}

/// Everything a file's check needs to know from configuration.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Indexed like [`RULES`].
    pub enabled: Vec<bool>,
    pub dispatch: DispatchTable,
    pub per_file_ignores: Vec<(GlobSet, Vec<&'static RuleSpec>)>,
    pub exclude: GlobSet,
    pub force_exclude: bool,
    pub respect_gitignore: bool,
    pub target_version: u8,
    pub free_threaded: bool,
    pub fail_on: Severity,
    pub unsafe_fixes: bool,
    pub min_items: u64,
    pub max_workers: u64,
    pub io_functions: Vec<String>,
    pub cpu_functions: Vec<String>,
    /// Report diagnostics whatever `# noqa` comments say (`--ignore-noqa`).
    pub ignore_noqa: bool,
    /// `exclude` plus `extend-exclude` as written, and the `per-file-ignores` patterns with
    /// their rules, for `--show-settings`.
    pub exclude_patterns: Vec<String>,
    pub per_file_ignore_patterns: Vec<(String, Vec<&'static RuleSpec>)>,
    pub event_loop_functions: Vec<String>,
    /// The library tables extended by `io-functions`, `cpu-functions` and
    /// `event-loop-functions`.
    pub library: Arc<Library>,
    /// The folder relative paths in this configuration are resolved against.
    pub root: PathBuf,
    /// The configuration file these settings came from, if any.
    pub config_file: Option<PathBuf>,
}

/// Errors turning options into settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SettingsError {
    UnknownSelector {
        key: &'static str,
        selector: String,
    },
    BadGlob {
        key: &'static str,
        pattern: String,
        reason: String,
    },
}

impl std::fmt::Display for SettingsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            SettingsError::UnknownSelector { key, selector } => write!(
                f,
                "`{key}`: unknown rule selector `{selector}`; expected `ALL`, a rule code such as `PAR401`, a code prefix such as `PAR4`, or a rule name such as `unpicklable-callable`"
            ),
            SettingsError::BadGlob { key, pattern, reason } => {
                write!(f, "`{key}`: invalid glob `{pattern}`: {reason}")
            }
        }
    }
}

impl Settings {
    /// The built-in defaults, rooted at `root`.
    pub fn defaults(root: &Path) -> Self {
        Self::resolve(&Options::default(), &Overrides::default(), root, None)
            .expect("the built-in defaults are valid")
    }

    /// Applies `options` (from a file) and `overrides` (from the command line) to the defaults.
    pub fn resolve(
        options: &Options,
        overrides: &Overrides,
        root: &Path,
        config_file: Option<&Path>,
    ) -> Result<Self, SettingsError> {
        let selectors = |key: &'static str, list: &[String]| {
            resolve_selectors(list).map_err(|UnknownSelector(selector)| {
                SettingsError::UnknownSelector { key, selector }
            })
        };
        // The configuration's own selection, then the command line's on top of it.
        let mut enabled = vec![false; RULES.len()];
        let configured = options
            .enabled_rules()
            .map_err(|UnknownSelector(selector)| {
                let key = [
                    ("select", &options.select),
                    ("extend-select", &options.extend_select),
                    ("ignore", &options.ignore),
                ]
                .into_iter()
                .find(|(_, list)| list.iter().flatten().any(|s| s.trim() == selector))
                .map_or("select", |(key, _)| key);
                SettingsError::UnknownSelector { key, selector }
            })?;
        let from_command_line = overrides
            .select
            .as_ref()
            .map(|select| selectors("select", select));
        match from_command_line {
            Some(select) => {
                for rule in select? {
                    enabled[rule.index()] = true;
                }
            }
            None => {
                for rule in configured {
                    enabled[rule.index()] = true;
                }
            }
        }
        for rule in selectors("extend-select", &overrides.extend_select)? {
            enabled[rule.index()] = true;
        }
        for rule in selectors("ignore", &overrides.ignore)? {
            enabled[rule.index()] = false;
        }

        let mut per_file_ignores = Vec::new();
        let mut per_file_ignore_patterns = Vec::new();
        let all_per_file = options
            .per_file_ignores
            .iter()
            .flatten()
            .chain(options.extend_per_file_ignores.iter().flatten());
        for (pattern, codes) in all_per_file {
            let globs = path_globs("per-file-ignores", root, std::slice::from_ref(pattern))?;
            let rules = selectors("per-file-ignores", codes)?;
            per_file_ignore_patterns.push((pattern.clone(), rules.clone()));
            per_file_ignores.push((globs, rules));
        }

        let mut exclude_patterns: Vec<String> =
            match overrides.exclude.as_ref().or(options.exclude.as_ref()) {
                Some(exclude) => exclude.clone(),
                None => DEFAULT_EXCLUDE.iter().map(ToString::to_string).collect(),
            };
        exclude_patterns.extend(options.extend_exclude.iter().flatten().cloned());
        exclude_patterns.extend(overrides.extend_exclude.iter().cloned());
        let exclude = path_globs("exclude", root, &exclude_patterns)?;

        let dispatch = DispatchTable::new(|rule| enabled[rule.index()]);
        Ok(Self {
            enabled,
            dispatch,
            per_file_ignores,
            exclude,
            force_exclude: overrides
                .force_exclude
                .or(options.force_exclude)
                .unwrap_or(false),
            respect_gitignore: overrides
                .respect_gitignore
                .or(options.respect_gitignore)
                .unwrap_or(true),
            target_version: overrides
                .target_version
                .or(options.target_version)
                .unwrap_or(DEFAULT_TARGET_VERSION),
            free_threaded: options.free_threaded.unwrap_or(false),
            fail_on: options.fail_on.unwrap_or(Severity::Warning),
            unsafe_fixes: overrides
                .unsafe_fixes
                .or(options.unsafe_fixes)
                .unwrap_or(false),
            min_items: options.min_items.unwrap_or(DEFAULT_MIN_ITEMS),
            max_workers: options.max_workers.unwrap_or(DEFAULT_MAX_WORKERS),
            io_functions: options.io_functions.clone().unwrap_or_default(),
            cpu_functions: options.cpu_functions.clone().unwrap_or_default(),
            ignore_noqa: overrides.ignore_noqa,
            exclude_patterns,
            per_file_ignore_patterns,
            event_loop_functions: options.event_loop_functions.clone().unwrap_or_default(),
            library: Arc::new(Library::with_extensions(
                options.io_functions.as_deref().unwrap_or_default(),
                options.cpu_functions.as_deref().unwrap_or_default(),
                options.event_loop_functions.as_deref().unwrap_or_default(),
            )),
            root: root.to_path_buf(),
            config_file: config_file.map(Path::to_path_buf),
        })
    }

    pub fn is_enabled(&self, rule: &'static RuleSpec) -> bool {
        self.enabled[rule.index()]
    }

    /// Whether `path` (absolute) matches `exclude`/`extend-exclude`, by its full path or its
    /// file name.
    pub fn is_excluded(&self, path: &Path) -> bool {
        glob_matches(&self.exclude, path)
    }

    /// The rules `per-file-ignores` turns off for `path` (absolute).
    pub fn ignored_for(&self, path: &Path) -> Vec<&'static RuleSpec> {
        self.per_file_ignores
            .iter()
            .filter(|(globs, _)| glob_matches(globs, path))
            .flat_map(|(_, rules)| rules.iter().copied())
            .collect()
    }
}

fn glob_matches(globs: &GlobSet, path: &Path) -> bool {
    if globs.is_empty() {
        return false;
    }
    globs.is_match(path) || path.file_name().is_some_and(|name| globs.is_match(name))
}

/// Each pattern matches by file name, and also as a path under `root`.
fn path_globs(
    key: &'static str,
    root: &Path,
    patterns: &[String],
) -> Result<GlobSet, SettingsError> {
    let mut builder = GlobSetBuilder::new();
    for pattern in patterns {
        let bad = |error: globset::Error| SettingsError::BadGlob {
            key,
            pattern: pattern.clone(),
            reason: error.kind().to_string(),
        };
        // `vendor/` names the folder, as in a `.gitignore` (a path never ends with a slash).
        let trimmed = pattern.trim_start_matches("./");
        let trimmed = match trimmed.trim_end_matches('/') {
            "" => trimmed,
            folder => folder,
        };
        builder.add(Glob::new(trimmed).map_err(bad)?);
        let absolute = root.join(trimmed);
        builder.add(Glob::new(&absolute.to_string_lossy()).map_err(bad)?);
    }
    builder.build().map_err(|error| SettingsError::BadGlob {
        key,
        pattern: patterns.join(", "),
        reason: error.to_string(),
    })
}
