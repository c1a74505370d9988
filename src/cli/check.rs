//! `pyparallel check`: configuration, discovery, the files checked in parallel, the report.

use std::io::{IsTerminal, Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use rayon::prelude::*;

use super::args::CheckArgs;
use super::check_file::{check_bytes, display_path, FileReport, FixMode};
use super::report::report;
use super::{EXIT_ERROR, EXIT_OK};
use crate::config::ConfigResolver;
use crate::discovery::{discover, DiscoveryError};
use crate::fs::absolute;
use crate::output::OutputFormat;
use crate::settings::Overrides;

pub(super) fn check(args: CheckArgs) -> u8 {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    let unsafe_fixes_flag = if args.unsafe_fixes {
        Some(true)
    } else if args.no_unsafe_fixes {
        Some(false)
    } else {
        None
    };
    let overrides = Overrides {
        select: args.select.clone(),
        ignore: args.ignore.clone(),
        extend_select: args.extend_select.clone(),
        force_exclude: args.force_exclude.then_some(true),
        unsafe_fixes: unsafe_fixes_flag,
    };
    let resolver = match ConfigResolver::new(args.config.as_deref(), overrides, &cwd) {
        Ok(resolver) => Arc::new(resolver),
        Err(error) => {
            eprintln!("error: {error}");
            return EXIT_ERROR;
        }
    };
    let format = args.output_format.unwrap_or_else(|| {
        if std::env::var("GITHUB_ACTIONS").is_ok_and(|v| v == "true") {
            OutputFormat::Github
        } else {
            OutputFormat::Full
        }
    });
    let apply = (args.fix && !args.no_fix) || args.fix_only || args.diff;
    let mode = FixMode {
        apply,
        diff: args.diff,
        unsafe_fixes_flag,
        count_fixes: !apply && !args.quiet && !args.statistics && format.has_summary(),
    };
    let color = std::io::stdout().is_terminal()
        && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty());

    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads.unwrap_or(0))
        // Deeply nested code recurses deeply in the parser and the walk.
        .stack_size(256 * 1024 * 1024)
        .build()
    {
        Ok(pool) => pool,
        Err(error) => {
            eprintln!("error: cannot start worker threads: {error}");
            return EXIT_ERROR;
        }
    };

    let stdin = reads_stdin(&args.paths, args.stdin_filename.as_deref());
    let mut errors: Vec<String> = Vec::new();
    let reports: Vec<FileReport> = if stdin {
        let mut bytes = Vec::new();
        if let Err(error) = std::io::stdin().read_to_end(&mut bytes) {
            eprintln!("error: cannot read standard input: {error}");
            return EXIT_ERROR;
        }
        let name = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("-"));
        let path = absolute(&name, &cwd);
        let settings = match resolver.settings_for_file(&path) {
            Ok(settings) => settings,
            Err(error) => {
                eprintln!("error: {error}");
                return EXIT_ERROR;
            }
        };
        if args.stdin_filename.is_some() && settings.force_exclude && settings.is_excluded(&path) {
            if mode.apply && !mode.diff {
                let _ = std::io::stdout().write_all(&bytes);
            }
            return EXIT_OK;
        }
        let display = display_path(&name, &cwd);
        let mut report =
            pool.install(|| check_bytes(Ok(bytes.clone()), &path, display, &settings, mode, true));
        if mode.apply && !mode.diff && report.fixed_text.is_none() {
            // Whatever went wrong, an editor piping its buffer through `--fix` gets it back.
            report.fixed_text = Some(bytes);
        }
        vec![report]
    } else {
        let paths: Vec<PathBuf> = if args.paths.is_empty() {
            vec![cwd.clone()]
        } else {
            args.paths.iter().map(|p| absolute(p, &cwd)).collect()
        };
        let discovered = discover(&paths, &resolver);
        if discovered.files.is_empty() && discovered.errors.is_empty() {
            // As Ruff: most likely a mistyped path or an over-broad exclude.
            eprintln!("warning: No Python files found under the given path(s)");
        }
        for error in discovered.errors {
            errors.push(match error {
                DiscoveryError::Config(error) => error.to_string(),
                DiscoveryError::Path { path, message } => {
                    format!("{}: {message}", display_path(&path, &cwd))
                }
            });
        }
        pool.install(|| {
            discovered
                .files
                .par_iter()
                .map(|candidate| {
                    let display = display_path(&candidate.path, &cwd);
                    let bytes = std::fs::read(&candidate.path);
                    check_bytes(
                        bytes,
                        &candidate.path,
                        display,
                        &candidate.settings,
                        mode,
                        false,
                    )
                })
                .collect()
        })
    };

    report(&args, format, color, mode, stdin, reports, errors)
}

/// Whether `check` reads standard input: for `-` alone, and (as in Ruff, whose editor
/// integrations rely on it) whenever `--stdin-filename` is given; other paths are then ignored
/// with a warning.
fn reads_stdin(paths: &[PathBuf], stdin_filename: Option<&Path>) -> bool {
    if stdin_filename.is_some() {
        if let Some(path) = paths.iter().find(|path| *path != Path::new("-")) {
            eprintln!(
                "warning: Ignoring file {} in favor of standard input.",
                path.display()
            );
        }
        return true;
    }
    matches!(paths, [only] if only == Path::new("-"))
}
