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
    "extend",
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "extend-per-file-ignores",
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
    let root = path.parent().unwrap_or(Path::new(""));
    parse_config_in(path, text, root)
}

/// [`parse_config`] with relative path patterns anchored at `root` (the configuration's folder,
/// or the working folder for `--config KEY = VALUE`).
fn parse_config_in(path: &Path, text: &str, root: &Path) -> Result<Option<Options>, ConfigError> {
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
    let mut options = read_options(table, table_name, text, root)
        .map_err(|(line, message)| error(line, message))?;
    if is_pyproject && options.target_version.is_none() {
        options.target_version = requires_python(&document);
    }
    Ok(Some(options))
}

type KeyError = (Option<usize>, String);

fn read_options(
    table: &Table,
    table_name: &str,
    text: &str,
    root: &Path,
) -> Result<Options, KeyError> {
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
            Ok(list.iter().map(|pattern| anchored(pattern, root)).collect())
        };
        let per_file = |key: &'static str| -> Result<Vec<(String, Vec<String>)>, KeyError> {
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
                            "`{key}.\"{pattern}\"` must be a list of rule selectors (got {})",
                            describe(codes)
                        ),
                    )
                })?;
                check_glob(key, pattern).map_err(|message| (entry_line, message))?;
                check_elements(codes, text, entry_line, |value| check_selector(key, value))?;
                pairs.push((anchored(pattern, root), list));
            }
            Ok(pairs)
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
            "per-file-ignores" => options.per_file_ignores = Some(per_file("per-file-ignores")?),
            "extend-per-file-ignores" => {
                options.extend_per_file_ignores = Some(per_file("extend-per-file-ignores")?);
            }
            "extend" => {
                options.extend = Some(
                    item.as_str()
                        .filter(|path| !path.trim().is_empty())
                        .ok_or_else(|| bad("the path of a configuration file"))?
                        .to_string(),
                );
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

/// A glob naming a path (`src/generated`, `tests/*.py`) made absolute against the folder of
/// the configuration that wrote it, so it keeps its meaning when another configuration extends
/// this one; a bare name (`build`, `*_pb2.py`) and `**/...` match anywhere and stay as written.
fn anchored(pattern: &str, root: &Path) -> String {
    let trimmed = pattern.trim_start_matches("./");
    if !trimmed.contains('/') || trimmed.starts_with("**") || Path::new(trimmed).is_absolute() {
        return pattern.to_string();
    }
    root.join(trimmed).to_string_lossy().into_owned()
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

/// Reads and resolves one configuration file (its folder is the root for relative paths), with
/// the files it `extend`s under it and the command line's `--config KEY = VALUE` options and
/// flags over it.
pub fn load_settings(
    path: &Path,
    command_line: &Options,
    overrides: &Overrides,
) -> Result<Option<Settings>, ConfigError> {
    let Some(options) = load_options(path, &mut Vec::new())? else {
        return Ok(None);
    };
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let blame = |error: crate::settings::SettingsError| {
        let key = match &error {
            SettingsError::UnknownSelector { key, .. } | SettingsError::BadGlob { key, .. } => *key,
        };
        ConfigError {
            path: path.to_path_buf(),
            line: find_key_line(&text, key),
            message: error.to_string(),
        }
    };
    let options = options
        .layered(command_line.clone())
        .map_err(|UnknownSelector(selector)| {
            blame(SettingsError::UnknownSelector {
                key: "select",
                selector,
            })
        })?;
    let root = path.parent().map(Path::to_path_buf).unwrap_or_default();
    Settings::resolve(&options, overrides, &root, Some(path))
        .map(Some)
        .map_err(blame)
}

/// The options of one configuration file with those of the files it `extend`s layered under
/// them (`chain`: the files being read, to report a cycle). `Ok(None)`: a `pyproject.toml`
/// without a `[tool.pyparallel]` table.
fn load_options(path: &Path, chain: &mut Vec<PathBuf>) -> Result<Option<Options>, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|error| ConfigError {
        path: path.to_path_buf(),
        line: None,
        message: format!("cannot read configuration: {error}"),
    })?;
    let Some(mut options) = parse_config(path, &text)? else {
        return Ok(None);
    };
    let Some(extend) = options.extend.take() else {
        return Ok(Some(options));
    };
    let error = |message: String| ConfigError {
        path: path.to_path_buf(),
        line: find_key_line(&text, "extend"),
        message,
    };
    let folder = path.parent().unwrap_or(Path::new(""));
    let base = crate::fs::absolute(&expand_user_path(&extend).map_err(&error)?, folder);
    chain.push(canonical(path));
    if chain.contains(&canonical(&base)) {
        let cycle: Vec<String> = chain
            .iter()
            .chain(std::iter::once(&canonical(&base)))
            .map(|file| file.display().to_string())
            .collect();
        return Err(error(format!(
            "`extend` makes a cycle: {}",
            cycle.join(" extends ")
        )));
    }
    if !base.is_file() {
        return Err(error(format!(
            "`extend`: no configuration file at {}",
            base.display()
        )));
    }
    let base_options = load_options(&base, chain)?.ok_or_else(|| {
        error(format!(
            "`extend`: {} has no [tool.pyparallel] table",
            base.display()
        ))
    })?;
    chain.pop();
    base_options
        .layered(options)
        .map(Some)
        .map_err(|UnknownSelector(selector)| {
            error(
                SettingsError::UnknownSelector {
                    key: "select",
                    selector,
                }
                .to_string(),
            )
        })
}

fn canonical(path: &Path) -> PathBuf {
    path.canonicalize().unwrap_or_else(|_| path.to_path_buf())
}

/// `~` and `$NAME` / `${NAME}` expanded in an `extend` path, as Ruff expands them.
fn expand_user_path(path: &str) -> Result<PathBuf, String> {
    let mut expanded = String::new();
    let mut rest = path;
    if let Some(after) = rest.strip_prefix('~') {
        if after.is_empty() || after.starts_with(['/', '\\']) {
            let home = std::env::var("HOME")
                .or_else(|_| std::env::var("USERPROFILE"))
                .map_err(|_| format!("`extend`: cannot expand `~` in `{path}`: HOME is not set"))?;
            expanded.push_str(&home);
            rest = after;
        }
    }
    while let Some(dollar) = rest.find('$') {
        expanded.push_str(&rest[..dollar]);
        let after = &rest[dollar + 1..];
        let (name, remainder) = match after.strip_prefix('{') {
            Some(braced) => match braced.find('}') {
                Some(end) => (&braced[..end], &braced[end + 1..]),
                None => return Err(format!("`extend`: unclosed `${{` in `{path}`")),
            },
            None => {
                let end = after
                    .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                    .unwrap_or(after.len());
                (&after[..end], &after[end..])
            }
        };
        if name.is_empty() {
            expanded.push('$');
        } else {
            let value = std::env::var(name).map_err(|_| {
                format!("`extend`: the environment variable `{name}` in `{path}` is not set")
            })?;
            expanded.push_str(&value);
        }
        rest = remainder;
    }
    expanded.push_str(rest);
    Ok(PathBuf::from(expanded))
}

fn find_key_line(text: &str, key: &str) -> Option<usize> {
    text.lines()
        .position(|line| {
            let line = line.trim_start();
            line.starts_with(key) && line[key.len()..].trim_start().starts_with(['=', '.'])
        })
        .map(|index| index + 1)
}

/// What `--config` says: at most one configuration file, and any number of `KEY = VALUE`
/// options that override every configuration (as in Ruff).
#[derive(Debug, Default, Clone)]
pub struct ConfigArguments {
    pub file: Option<PathBuf>,
    pub options: Options,
}

impl ConfigArguments {
    /// Sorts the `--config` values: an existing file is the configuration file, anything else
    /// must parse as a TOML `KEY = VALUE` pair of a configuration key.
    pub fn parse(values: &[String], cwd: &Path) -> Result<Self, ConfigError> {
        let mut arguments = ConfigArguments::default();
        for value in values {
            let as_path = crate::fs::absolute(Path::new(value), cwd);
            if as_path.is_file() {
                if let Some(first) = &arguments.file {
                    return Err(ConfigError {
                        path: PathBuf::from("--config"),
                        line: None,
                        message: format!(
                            "only one configuration file can be given ({} and {}); the others must be `KEY = VALUE` options",
                            first.display(),
                            as_path.display()
                        ),
                    });
                }
                arguments.file = Some(as_path);
                continue;
            }
            let options = parse_config_option(value, cwd)?;
            arguments.options = std::mem::take(&mut arguments.options)
                .layered(options)
                .map_err(|UnknownSelector(selector)| ConfigError {
                    path: PathBuf::from("--config"),
                    line: None,
                    message: format!("unknown rule selector `{selector}`"),
                })?;
        }
        Ok(arguments)
    }
}

/// One `--config KEY = VALUE` option.
fn parse_config_option(value: &str, cwd: &Path) -> Result<Options, ConfigError> {
    let label = PathBuf::from(format!("--config '{value}'"));
    let looks_like_a_file = !value.contains('=')
        && (value.ends_with(".toml") || value.contains(std::path::MAIN_SEPARATOR));
    if looks_like_a_file {
        return Err(ConfigError {
            path: label,
            line: None,
            message: "no such configuration file (a `--config` value is either the path of a `.toml` file or a TOML `KEY = VALUE` option, e.g. `--config \"ignore = ['PAR603']\"`)".to_string(),
        });
    }
    let document = ImDocument::parse(value).map_err(|parse_error| ConfigError {
        path: label.clone(),
        line: None,
        message: format!(
            "not a configuration file, nor a TOML `KEY = VALUE` option ({}); e.g. `--config \"ignore = ['PAR603']\"`",
            parse_error.message().trim()
        ),
    })?;
    if document.as_table().len() != 1 {
        return Err(ConfigError {
            path: label,
            line: None,
            message: "expected exactly one `KEY = VALUE` option".to_string(),
        });
    }
    parse_config_in(Path::new("pyparallel.toml"), value, cwd)
        .map(Option::unwrap_or_default)
        .map_err(|error| ConfigError {
            path: label,
            line: None,
            message: error.message,
        })
}

/// Finds the settings for each folder: the closest configuration file above it, or the
/// `--config` file for everything. Memoised per folder; shared across threads.
pub struct ConfigResolver {
    command_line: Options,
    overrides: Overrides,
    fixed: Option<Arc<Settings>>,
    default: Arc<Settings>,
    cache: Mutex<HashMap<PathBuf, Result<Arc<Settings>, ConfigError>>>,
}

impl ConfigResolver {
    /// With a configuration file in `config`, every file uses that file's settings; with
    /// `isolated`, every file uses the built-in defaults (no configuration file is read).
    pub fn new(
        config: &ConfigArguments,
        overrides: Overrides,
        cwd: &Path,
        isolated: bool,
    ) -> Result<Self, ConfigError> {
        if isolated {
            if let Some(file) = &config.file {
                return Err(ConfigError {
                    path: file.clone(),
                    line: None,
                    message: "--isolated reads no configuration file: drop one of them".to_string(),
                });
            }
        }
        // The command line's own selectors are checked first, so a bad `--select` is blamed on
        // the command line, never on the `--config` file.
        let default_options = Options::default().layered(config.options.clone()).map_err(
            |UnknownSelector(selector)| ConfigError {
                path: PathBuf::from("--config"),
                line: None,
                message: format!("unknown rule selector `{selector}`"),
            },
        )?;
        let default = Settings::resolve(&default_options, &overrides, cwd, None).map_err(
            |error| match error {
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
            },
        )?;
        let default = Arc::new(default);
        let fixed = match &config.file {
            Some(path) => {
                let settings =
                    load_settings(path, &config.options, &overrides)?.ok_or_else(|| {
                        ConfigError {
                            path: path.clone(),
                            line: None,
                            message: "no [tool.pyparallel] table in this pyproject.toml"
                                .to_string(),
                        }
                    })?;
                Some(Arc::new(settings))
            }
            None if isolated => Some(default.clone()),
            None => None,
        };
        Ok(Self {
            command_line: config.options.clone(),
            overrides,
            fixed,
            default,
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
                if let Some(settings) =
                    load_settings(&candidate, &self.command_line, &self.overrides)?
                {
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
