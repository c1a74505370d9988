//! `pyparallel check`: configuration, discovery, the files checked in parallel, and the modes
//! that stop short of a check (`--show-files`, `--show-settings`, `--add-noqa`) or repeat it
//! (`--watch`).

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use rayon::prelude::*;

use super::args::{CheckArgs, GlobalArgs, LogLevel};
use super::check_file::{check_bytes, display_path, FileReport, FixMode};
use super::report::{report, Presentation};
use super::terminal::{duration, use_color, Log};
use super::{add_noqa, show, watch, EXIT_ERROR, EXIT_OK};
use crate::config::{ConfigArguments, ConfigResolver};
use crate::discovery::{discover, Candidate, DiscoveryError};
use crate::fs::absolute;
use crate::output::OutputFormat;
use crate::settings::Overrides;

pub(super) fn check(args: CheckArgs, global: &GlobalArgs) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let log = Log {
        level: global.log_level(),
    };
    let stdin = reads_stdin(&args.paths, args.stdin_filename.as_deref(), log);
    if args.watch && stdin {
        eprintln!("error: --watch cannot read standard input");
        return EXIT_ERROR;
    }
    let session = match Session::new(&args, global, &cwd, stdin) {
        Ok(session) => session,
        Err(error) => {
            eprintln!("error: {error}");
            return EXIT_ERROR;
        }
    };
    if args.watch {
        return watch::watch(&args, global, &cwd);
    }
    if let Some(reason) = &args.add_noqa {
        return add_noqa::add_noqa(&session, reason);
    }
    let mut out: Box<dyn Write> = match &args.output_file {
        Some(path) => match create_output_file(&absolute(path, &cwd)) {
            Ok(file) => Box::new(file),
            Err(error) => {
                eprintln!(
                    "error: cannot write the output file {}: {error}",
                    path.display()
                );
                return EXIT_ERROR;
            }
        },
        None => Box::new(std::io::stdout().lock()),
    };
    if args.show_files {
        return show::files(&session, &mut out);
    }
    if args.show_settings {
        return show::settings(&session, &mut out);
    }
    let code = session.check_once(&mut out, false);
    if let Err(error) = out.flush() {
        eprintln!("error: cannot write the output: {error}");
        return EXIT_ERROR;
    }
    code
}

/// The output file, with its folder created as Ruff does.
fn create_output_file(path: &Path) -> std::io::Result<std::io::BufWriter<std::fs::File>> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    Ok(std::io::BufWriter::new(std::fs::File::create(path)?))
}

/// Everything one check needs, from the flags and the configuration.
pub(super) struct Session<'a> {
    pub(super) args: &'a CheckArgs,
    pub(super) cwd: PathBuf,
    pub(super) resolver: Arc<ConfigResolver>,
    pub(super) presentation: Presentation<'a>,
    pool: rayon::ThreadPool,
}

impl<'a> Session<'a> {
    pub(super) fn new(
        args: &'a CheckArgs,
        global: &GlobalArgs,
        cwd: &Path,
        stdin: bool,
    ) -> Result<Self, String> {
        let config =
            ConfigArguments::parse(&args.config, cwd).map_err(|error| error.to_string())?;
        let unsafe_fixes_flag = if args.unsafe_fixes {
            Some(true)
        } else if args.no_unsafe_fixes {
            Some(false)
        } else {
            None
        };
        // Paths on the command line are relative to the working folder.
        let anchored = |pattern: &String| {
            let trimmed = pattern.trim_start_matches("./");
            if trimmed.contains('/') && !trimmed.starts_with("**") {
                absolute(Path::new(trimmed), cwd)
                    .to_string_lossy()
                    .into_owned()
            } else {
                pattern.clone()
            }
        };
        let mut ignore = args.ignore.clone();
        ignore.extend(args.extend_ignore.iter().cloned());
        let overrides = Overrides {
            select: args.select.clone(),
            ignore,
            extend_select: args.extend_select.clone(),
            force_exclude: flag_pair(args.force_exclude, args.no_force_exclude),
            unsafe_fixes: unsafe_fixes_flag,
            respect_gitignore: flag_pair(args.respect_gitignore, args.no_respect_gitignore),
            target_version: args.target_version,
            exclude: args
                .exclude
                .as_ref()
                .map(|exclude| exclude.iter().map(anchored).collect()),
            extend_exclude: args.extend_exclude.iter().map(anchored).collect(),
            ignore_noqa: args.ignore_noqa,
        };
        let resolver = ConfigResolver::new(&config, overrides, cwd, args.isolated)
            .map_err(|error| error.to_string())?;
        let format = args.output_format.unwrap_or_else(|| {
            if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
                OutputFormat::Github
            } else {
                OutputFormat::Full
            }
        });
        let log = Log {
            level: global.log_level(),
        };
        let apply = (args.fix && !args.no_fix) || (args.fix_only && !args.no_fix_only) || args.diff;
        let mode = FixMode {
            apply,
            diff: args.diff,
            unsafe_fixes_flag,
            count_fixes: !apply
                && log.level >= LogLevel::Default
                && !args.statistics
                && format.has_summary(),
        };
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(args.threads.unwrap_or(0))
            // Deeply nested code recurses deeply in the parser and the walk.
            .stack_size(256 * 1024 * 1024)
            .build()
            .map_err(|error| format!("cannot start worker threads: {error}"))?;
        let to_file = args.output_file.is_some() && !args.watch;
        Ok(Self {
            args,
            cwd: cwd.to_path_buf(),
            resolver: Arc::new(resolver),
            presentation: Presentation {
                args,
                format,
                color: use_color(global.color, to_file),
                mode,
                stdin,
                log,
            },
            pool,
        })
    }

    pub(super) fn log(&self) -> Log {
        self.presentation.log
    }

    /// The files the paths on the command line lead to (sorted), and the problems met.
    pub(super) fn discover(&self) -> (Vec<Candidate>, Vec<String>) {
        let started = Instant::now();
        let paths: Vec<PathBuf> = if self.args.paths.is_empty() {
            vec![self.cwd.clone()]
        } else {
            self.args
                .paths
                .iter()
                .map(|path| absolute(path, &self.cwd))
                .collect()
        };
        let discovered = discover(&paths, &self.resolver);
        let errors = discovered
            .errors
            .into_iter()
            .map(|error| match error {
                DiscoveryError::Config(error) => error.to_string(),
                DiscoveryError::Path { path, message } => {
                    format!("{}: {message}", display_path(&path, &self.cwd))
                }
            })
            .collect();
        let mut files = discovered.files;
        files.sort_by(|a, b| a.path.cmp(&b.path));
        let log = self.log();
        log.debug(|| {
            format!(
                "Found {} files to check in {}",
                files.len(),
                duration(started.elapsed())
            )
        });
        if log.verbose() {
            let mut configurations: Vec<String> = files
                .iter()
                .map(|file| match &file.settings.config_file {
                    Some(path) => format!("Using configuration file {}", path.display()),
                    None => "Using the built-in defaults (no configuration file)".to_string(),
                })
                .collect();
            configurations.sort();
            configurations.dedup();
            for line in configurations {
                log.debug(|| line);
            }
        }
        (files, errors)
    }

    /// One check of everything, printed to `out`; the exit code.
    pub(super) fn check_once(&self, out: &mut dyn Write, watching: bool) -> u8 {
        let started = Instant::now();
        let (reports, errors) = if self.presentation.stdin {
            match self.check_stdin() {
                Ok(reports) => (reports, Vec::new()),
                Err(code) => return code,
            }
        } else {
            let (files, errors) = self.discover();
            if files.is_empty() && errors.is_empty() {
                // As Ruff: most likely a mistyped path or an over-broad exclude.
                self.log()
                    .warn("No Python files found under the given path(s)");
            }
            (self.check_files(&files), errors)
        };
        let log = self.log();
        if log.verbose() {
            for file in &reports {
                log.debug(|| {
                    format!(
                        "Checked {} in {}",
                        display_path(&file.path, &self.cwd),
                        duration(file.elapsed)
                    )
                });
            }
            log.debug(|| {
                format!(
                    "Checked {} files in {}",
                    reports.len(),
                    duration(started.elapsed())
                )
            });
        }
        report(&self.presentation, reports, errors, out, watching)
    }

    pub(super) fn check_files(&self, files: &[Candidate]) -> Vec<FileReport> {
        let mode = self.presentation.mode;
        self.pool.install(|| {
            files
                .par_iter()
                .map(|candidate| {
                    let started = Instant::now();
                    let display = display_path(&candidate.path, &self.cwd);
                    let bytes = std::fs::read(&candidate.path);
                    let mut report = check_bytes(
                        bytes,
                        &candidate.path,
                        display,
                        &candidate.settings,
                        mode,
                        false,
                    );
                    report.elapsed = started.elapsed();
                    report
                })
                .collect()
        })
    }

    /// Standard input checked as the file `--stdin-filename` names. `Err`: the exit code of a
    /// run that ends here.
    fn check_stdin(&self) -> Result<Vec<FileReport>, u8> {
        let mode = self.presentation.mode;
        let mut bytes = Vec::new();
        if let Err(error) = std::io::stdin().read_to_end(&mut bytes) {
            eprintln!("error: cannot read standard input: {error}");
            return Err(EXIT_ERROR);
        }
        let name = self
            .args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("-"));
        let path = absolute(&name, &self.cwd);
        let settings = match self.resolver.settings_for_file(&path) {
            Ok(settings) => settings,
            Err(error) => {
                eprintln!("error: {error}");
                return Err(EXIT_ERROR);
            }
        };
        if self.args.stdin_filename.is_some()
            && settings.force_exclude
            && settings.is_excluded(&path)
        {
            if mode.apply && !mode.diff {
                let _ = std::io::stdout().write_all(&bytes);
            }
            return Err(EXIT_OK);
        }
        let display = display_path(&name, &self.cwd);
        let mut report = self
            .pool
            .install(|| check_bytes(Ok(bytes.clone()), &path, display, &settings, mode, true));
        if mode.apply && !mode.diff && report.fixed_text.is_none() {
            // Whatever went wrong, an editor piping its buffer through `--fix` gets it back.
            report.fixed_text = Some(bytes);
        }
        Ok(vec![report])
    }
}

/// `Some(true)` for `--flag`, `Some(false)` for `--no-flag`, `None` when neither is given.
fn flag_pair(on: bool, off: bool) -> Option<bool> {
    if on {
        Some(true)
    } else if off {
        Some(false)
    } else {
        None
    }
}

/// Whether `check` reads standard input: for `-` alone, and (as in Ruff, whose editor
/// integrations rely on it) whenever `--stdin-filename` is given; other paths are then ignored
/// with a warning.
fn reads_stdin(paths: &[PathBuf], stdin_filename: Option<&Path>, log: Log) -> bool {
    if stdin_filename.is_some() {
        if let Some(path) = paths.iter().find(|path| *path != Path::new("-")) {
            log.warn(&format!(
                "Ignoring file {} in favor of standard input.",
                path.display()
            ));
        }
        return true;
    }
    matches!(paths, [only] if only == Path::new("-"))
}
