//! Reads `pyparallel.toml`, `.pyparallel.toml` and `[tool.pyparallel]` in `pyproject.toml`,
//! and finds the closest one above each checked file.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use toml_edit::{ImDocument, Item, Table, Value};

use crate::diagnostic::Severity;
use crate::settings::{
    resolve_selectors, Options, Overrides, Settings, SettingsError, UnknownSelector,
    MAX_TARGET_MINOR, MIN_TARGET_MINOR,
};

/// Every key a configuration may hold.
pub const KEYS: &[&str] = &[
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "exclude",
    "extend-exclude",
    "force-exclude",
    "respect-gitignore",
    "target-version",
    "free-threaded",
    "fail-on",
    "unsafe-fixes",
    "min-items",
    "max-workers",
    "io-functions",
    "cpu-functions",
    "event-loop-functions",
];

/// Configuration file names, in the order they win within one folder.
pub const CONFIG_FILES: &[&str] = &[".pyparallel.toml", "pyparallel.toml", "pyproject.toml"];

/// A configuration problem: the file, the line (when known) and what is wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ConfigError {
    pub path: PathBuf,
    pub line: Option<usize>,
    pub message: String,
}

impl std::fmt::Display for ConfigError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "{}:{}: {}", self.path.display(), line, self.message),
            None => write!(f, "{}: {}", self.path.display(), self.message),
        }
    }
}

/// Parses the pyparallel options of a configuration file. `Ok(None)`: a `pyproject.toml`
/// without a `[tool.pyparallel]` table.
pub fn parse_config(path: &Path, text: &str) -> Result<Option<Options>, ConfigError> {
    let error = |line: Option<usize>, message: String| ConfigError {
        path: path.to_path_buf(),
        line,
        message,
    };
    let document = ImDocument::parse(text).map_err(|parse_error| {
        let line = parse_error.span().map(|span| line_of(text, span.start));
        let reason = parse_error.message().trim().to_string();
        error(line, format!("not valid TOML: {reason}"))
    })?;
    let is_pyproject = path
        .file_name()
        .is_some_and(|name| name == "pyproject.toml");
    let (table, table_name) = if is_pyproject {
        let Some(tool) = document.get("tool").and_then(Item::as_table_like) else {
            return Ok(None);
        };
        let Some(item) = tool.get("pyparallel") else {
            return Ok(None);
        };
        let Some(table) = item.as_table() else {
            return Err(error(
                item.span().map(|span| line_of(text, span.start)),
                "`tool.pyparallel` must be a table".to_string(),
            ));
        };
        (table, "[tool.pyparallel]")
    } else {
        (document.as_table(), "the top-level table")
    };
    let mut options =
        read_options(table, table_name, text).map_err(|(line, message)| error(line, message))?;
    if is_pyproject && options.target_version.is_none() {
        options.target_version = requires_python(&document);
    }
    Ok(Some(options))
}

type KeyError = (Option<usize>, String);

fn read_options(table: &Table, table_name: &str, text: &str) -> Result<Options, KeyError> {
    let mut options = Options::default();
    for (key, item) in table.iter() {
        let line = table
            .key(key)
            .and_then(|key| key.span())
            .or_else(|| item.span())
            .map(|span| line_of(text, span.start));
        let bad = |expected: &str| -> KeyError {
            (
                line,
                format!("`{key}` must be {expected} (got {})", describe(item)),
            )
        };
        // Selectors and globs are checked here, where each element's line is known.
        let selectors = |key: &'static str| -> Result<Vec<String>, KeyError> {
            let list = string_list(item).ok_or_else(|| bad("a list of rule selectors"))?;
            check_elements(item, text, line, |value| check_selector(key, value))?;
            Ok(list)
        };
        let globs = |key: &'static str| -> Result<Vec<String>, KeyError> {
            let list = string_list(item).ok_or_else(|| bad("a list of glob patterns"))?;
            check_elements(item, text, line, |value| check_glob(key, value))?;
            Ok(list)
        };
        match key {
            "select" => options.select = Some(selectors("select")?),
            "ignore" => options.ignore = Some(selectors("ignore")?),
            "extend-select" => options.extend_select = Some(selectors("extend-select")?),
            "exclude" => options.exclude = Some(globs("exclude")?),
            "extend-exclude" => options.extend_exclude = Some(globs("extend-exclude")?),
            "io-functions" => {
                options.io_functions =
                    Some(string_list(item).ok_or_else(|| bad("a list of dotted function names"))?);
            }
            "cpu-functions" => {
                options.cpu_functions =
                    Some(string_list(item).ok_or_else(|| bad("a list of dotted function names"))?);
            }
            "event-loop-functions" => {
                options.event_loop_functions =
                    Some(string_list(item).ok_or_else(|| bad("a list of dotted function names"))?);
            }
            "force-exclude" => {
                options.force_exclude = Some(item.as_bool().ok_or_else(|| bad("true or false"))?)
            }
            "respect-gitignore" => {
                options.respect_gitignore =
                    Some(item.as_bool().ok_or_else(|| bad("true or false"))?);
            }
            "free-threaded" => {
                options.free_threaded = Some(item.as_bool().ok_or_else(|| bad("true or false"))?)
            }
            "unsafe-fixes" => {
                options.unsafe_fixes = Some(item.as_bool().ok_or_else(|| bad("true or false"))?)
            }
            "fail-on" => {
                options.fail_on = Some(match item.as_str() {
                    Some("warning") => Severity::Warning,
                    Some("error") => Severity::Error,
                    _ => return Err(bad("one of \"warning\", \"error\"")),
                });
            }
            "target-version" => {
                let allowed =
                    format!("one of \"py3{MIN_TARGET_MINOR}\" .. \"py3{MAX_TARGET_MINOR}\"");
                let minor = item
                    .as_str()
                    .and_then(parse_target_version)
                    .ok_or_else(|| bad(&allowed))?;
                options.target_version = Some(minor);
            }
            "min-items" => {
                options.min_items =
                    Some(positive_integer(item).ok_or_else(|| bad("a positive integer"))?);
            }
            "max-workers" => {
                options.max_workers =
                    Some(positive_integer(item).ok_or_else(|| bad("a positive integer"))?);
            }
            "per-file-ignores" => {
                let entries = item
                    .as_table_like()
                    .ok_or_else(|| bad("a table of glob = [rule selectors]"))?;
                let mut pairs = Vec::new();
                for (pattern, codes) in entries.iter() {
                    let entry_line = entries
                        .get_key_value(pattern)
                        .and_then(|(key, _)| key.span())
                        .map(|span| line_of(text, span.start))
                        .or(line);
                    let list = string_list(codes).ok_or_else(|| {
                        (
                            entry_line,
                            format!(
                                "`per-file-ignores.\"{pattern}\"` must be a list of rule selectors (got {})",
                                describe(codes)
                            ),
                        )
                    })?;
                    check_glob("per-file-ignores", pattern)
                        .map_err(|message| (entry_line, message))?;
                    check_elements(codes, text, entry_line, |value| {
                        check_selector("per-file-ignores", value)
                    })?;
                    pairs.push((pattern.to_string(), list));
                }
                options.per_file_ignores = Some(pairs);
            }
            unknown => {
                return Err((
                    line,
                    format!(
                        "unknown key `{unknown}` in {table_name}; allowed keys: {}",
                        KEYS.join(", ")
                    ),
                ));
            }
        }
    }
    Ok(options)
}

/// Runs `check` on each string of an array, reporting the failing element's own line.
fn check_elements(
    item: &Item,
    text: &str,
    fallback: Option<usize>,
    check: impl Fn(&str) -> Result<(), String>,
) -> Result<(), KeyError> {
    for value in item.as_array().into_iter().flatten() {
        if let Some(string) = value.as_str() {
            check(string).map_err(|message| {
                let line = value
                    .span()
                    .map(|span| line_of(text, span.start))
                    .or(fallback);
                (line, message)
            })?;
        }
    }
    Ok(())
}

fn check_selector(key: &'static str, selector: &str) -> Result<(), String> {
    resolve_selectors(&[selector.to_string()])
        .map(drop)
        .map_err(|UnknownSelector(selector)| {
            SettingsError::UnknownSelector { key, selector }.to_string()
        })
}

fn check_glob(key: &'static str, pattern: &str) -> Result<(), String> {
    globset::Glob::new(pattern.trim_start_matches("./"))
        .map(drop)
        .map_err(|error| {
            SettingsError::BadGlob {
                key,
                pattern: pattern.to_string(),
                reason: error.kind().to_string(),
            }
            .to_string()
        })
}

fn string_list(item: &Item) -> Option<Vec<String>> {
    item.as_array()?
        .iter()
        .map(|value| value.as_str().map(str::to_string))
        .collect()
}

fn positive_integer(item: &Item) -> Option<u64> {
    item.as_integer()
        .filter(|value| *value > 0)
        .map(|value| value as u64)
}

fn describe(item: &Item) -> String {
    match item {
        Item::Value(value) => {
            let kind = match value {
                Value::String(_) => "a string",
                Value::Integer(_) => "an integer",
                Value::Float(_) => "a float",
                Value::Boolean(_) => "a boolean",
                Value::Datetime(_) => "a datetime",
                Value::Array(_) => "an array",
                Value::InlineTable(_) => "a table",
            };
            format!("{kind} `{}`", value.to_string().trim())
        }
        Item::Table(_) => "a table".to_string(),
        Item::ArrayOfTables(_) => "an array of tables".to_string(),
        Item::None => "nothing".to_string(),
    }
}

/// `py311` → 11, within the supported range.
pub fn parse_target_version(text: &str) -> Option<u8> {
    let minor: u8 = text.strip_prefix("py3")?.parse().ok()?;
    (MIN_TARGET_MINOR..=MAX_TARGET_MINOR)
        .contains(&minor)
        .then_some(minor)
}

/// The lowest Python 3 minor version `[project] requires-python` allows (`>=3.10` → 10).
fn requires_python(document: &ImDocument<&str>) -> Option<u8> {
    let spec = document.get("project")?.get("requires-python")?.as_str()?;
    let start = spec.find("3.")? + 2;
    let digits: String = spec[start..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    let minor: u8 = digits.parse().ok()?;
    Some(minor.clamp(MIN_TARGET_MINOR, MAX_TARGET_MINOR))
}

fn line_of(text: &str, offset: usize) -> usize {
    text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
        + 1
}

/// Reads and resolves one configuration file (its folder is the root for relative paths).
pub fn load_settings(path: &Path, overrides: &Overrides) -> Result<Option<Settings>, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|error| ConfigError {
        path: path.to_path_buf(),
        line: None,
        message: format!("cannot read configuration: {error}"),
    })?;
    let Some(options) = parse_config(path, &text)? else {
        return Ok(None);
    };
    let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Settings::resolve(&options, overrides, &root, Some(path))
        .map(Some)
        .map_err(|error| {
            let key = match &error {
                crate::settings::SettingsError::UnknownSelector { key, .. }
                | crate::settings::SettingsError::BadGlob { key, .. } => *key,
            };
            ConfigError {
                path: path.to_path_buf(),
                line: find_key_line(&text, key),
                message: error.to_string(),
            }
        })
}

fn find_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            line.starts_with(key) && line[key.len()..].trim_start().starts_with(['=', '.'])
        })
        .map(|index| index + 1)
}

/// Finds the settings for each folder: the closest configuration file above it, or the
/// `--config` file for everything. Memoised per folder; shared across threads.
pub struct ConfigResolver {
    overrides: Overrides,
    fixed: Option<Arc<Settings>>,
    default: Arc<Settings>,
    cache: Mutex<HashMap<PathBuf, Result<Arc<Settings>, ConfigError>>>,
}

impl ConfigResolver {
    /// With `config`, every file uses that file's settings.
    pub fn new(
        config: Option<&Path>,
        overrides: Overrides,
        cwd: &Path,
    ) -> Result<Self, ConfigError> {
        // The command line's own selectors are checked first, so a bad `--select` is blamed on
        // the command line, never on the `--config` file.
        let default =
            Settings::resolve(&Options::default(), &overrides, cwd, None).map_err(|error| {
                match error {
                    SettingsError::UnknownSelector { key, selector } => ConfigError {
                        path: PathBuf::from(format!("--{key}")),
                        line: None,
                        message: SettingsError::UnknownSelector { key, selector }
                            .to_string()
                            .trim_start_matches(&format!("`{key}`: "))
                            .to_string(),
                    },
                    other => ConfigError {
                        path: PathBuf::from("<command line>"),
                        line: None,
                        message: other.to_string(),
                    },
                }
            })?;
        let fixed = match config {
            Some(path) => {
                let path = crate::fs::absolute(path, cwd);
                let settings = load_settings(&path, &overrides)?.ok_or_else(|| ConfigError {
                    path: path.clone(),
                    line: None,
                    message: "no [tool.pyparallel] table in this pyproject.toml".to_string(),
                })?;
                Some(Arc::new(settings))
            }
            None => None,
        };
        Ok(Self {
            overrides,
            fixed,
            default: Arc::new(default),
            cache: Mutex::new(HashMap::new()),
        })
    }

    /// The settings governing files in `folder` (absolute).
    pub fn settings_for_dir(&self, folder: &Path) -> Result<Arc<Settings>, ConfigError> {
        if let Some(fixed) = &self.fixed {
            return Ok(fixed.clone());
        }
        if let Some(found) = self.cache.lock().expect("config cache").get(folder) {
            return found.clone();
        }
        let resolved = self.resolve_dir(folder);
        self.cache
            .lock()
            .expect("config cache")
            .insert(folder.to_path_buf(), resolved.clone());
        resolved
    }

    fn resolve_dir(&self, folder: &Path) -> Result<Arc<Settings>, ConfigError> {
        for name in CONFIG_FILES {
            let candidate = folder.join(name);
            if candidate.is_file() {
                if let Some(settings) = load_settings(&candidate, &self.overrides)? {
                    return Ok(Arc::new(settings));
                }
            }
        }
        match folder.parent() {
            Some(parent) => self.settings_for_dir(parent),
            None => Ok(self.default.clone()),
        }
    }

    /// The settings governing `file` (absolute).
    pub fn settings_for_file(&self, file: &Path) -> Result<Arc<Settings>, ConfigError> {
        self.settings_for_dir(file.parent().unwrap_or(Path::new("/")))
    }
}
