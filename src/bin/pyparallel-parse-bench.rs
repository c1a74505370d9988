//! Parse-only baseline for the benchmark (`scripts/bench.sh`, `docs/performance.md`).
//!
//! Does what `pyparallel check` does up to the point where rules would run: the same
//! configuration resolver and file discovery, the same rayon pool (one thread per core unless
//! `--threads N`, the same stack size), the same read and UTF-8 decoding, and the same parser
//! call (`ruff_python_parser::parse_unchecked_source`). It then only counts tokens and
//! statements, so the difference between `pyparallel check` and this binary is the cost of the
//! semantic facts, the walk and the rules.
//!
//! Usage: `pyparallel-parse-bench [--threads N] [PATHS...]` (default `.`). Prints one line:
//! `files=… lines=… tokens=… statements=… syntax_errors=… unreadable=…`.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use rayon::prelude::*;
use ruff_python_ast::Stmt;
use ruff_python_parser::parse_unchecked_source;

use pyparallel::config::{ConfigArguments, ConfigResolver};
use pyparallel::discovery::discover;
use pyparallel::fs::{absolute, decode_source};
use pyparallel::linter::source_type;
use pyparallel::settings::Overrides;

/// The same allocator as `pyparallel` (src/main.rs), so the baseline parses under the same costs.
#[cfg(all(not(target_env = "msvc"), not(target_os = "openbsd")))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

#[derive(Default, Clone, Copy)]
struct Counts {
    files: usize,
    lines: usize,
    tokens: usize,
    statements: usize,
    syntax_errors: usize,
    unreadable: usize,
}

impl std::ops::Add for Counts {
    type Output = Counts;
    fn add(self, other: Counts) -> Counts {
        Counts {
            files: self.files + other.files,
            lines: self.lines + other.lines,
            tokens: self.tokens + other.tokens,
            statements: self.statements + other.statements,
            syntax_errors: self.syntax_errors + other.syntax_errors,
            unreadable: self.unreadable + other.unreadable,
        }
    }
}

/// Statements at every depth (compound statements' bodies included), without a visitor so
/// the count stays cheap next to parsing.
fn count_statements(body: &[Stmt]) -> usize {
    body.iter()
        .map(|stmt| {
            1 + match stmt {
                Stmt::FunctionDef(def) => count_statements(&def.body),
                Stmt::ClassDef(class) => count_statements(&class.body),
                Stmt::If(stmt) => {
                    count_statements(&stmt.body)
                        + stmt
                            .elif_else_clauses
                            .iter()
                            .map(|clause| count_statements(&clause.body))
                            .sum::<usize>()
                }
                Stmt::For(stmt) => count_statements(&stmt.body) + count_statements(&stmt.orelse),
                Stmt::While(stmt) => count_statements(&stmt.body) + count_statements(&stmt.orelse),
                Stmt::With(stmt) => count_statements(&stmt.body),
                Stmt::Try(stmt) => {
                    count_statements(&stmt.body)
                        + stmt
                            .handlers
                            .iter()
                            .map(|handler| match handler {
                                ruff_python_ast::ExceptHandler::ExceptHandler(handler) => {
                                    count_statements(&handler.body)
                                }
                            })
                            .sum::<usize>()
                        + count_statements(&stmt.orelse)
                        + count_statements(&stmt.finalbody)
                }
                Stmt::Match(stmt) => stmt
                    .cases
                    .iter()
                    .map(|case| count_statements(&case.body))
                    .sum(),
                _ => 0,
            }
        })
        .sum()
}

fn parse_file(path: &std::path::Path) -> Counts {
    let file = match std::fs::read(path)
        .map_err(pyparallel::fs::ReadError::Io)
        .and_then(decode_source)
    {
        Ok(file) => file,
        Err(_) => {
            return Counts {
                files: 1,
                unreadable: 1,
                ..Counts::default()
            }
        }
    };
    let parsed = parse_unchecked_source(&file.text, source_type(path));
    Counts {
        files: 1,
        lines: file.text.lines().count(),
        tokens: parsed.tokens().len(),
        statements: count_statements(&parsed.syntax().body),
        syntax_errors: usize::from(!parsed.errors().is_empty()),
        unreadable: 0,
    }
}

fn main() -> ExitCode {
    let mut threads = 0;
    let mut paths = Vec::new();
    let mut args = std::env::args_os().skip(1);
    while let Some(arg) = args.next() {
        if arg == "--threads" {
            match args.next().and_then(|n| n.to_str()?.parse().ok()) {
                Some(n) => threads = n,
                None => {
                    eprintln!("error: --threads needs a number");
                    return ExitCode::from(2);
                }
            }
        } else if arg == "-h" || arg == "--help" {
            println!("usage: pyparallel-parse-bench [--threads N] [PATHS...]");
            return ExitCode::SUCCESS;
        } else {
            paths.push(PathBuf::from(arg));
        }
    }
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    if paths.is_empty() {
        paths.push(cwd.clone());
    }
    let paths: Vec<PathBuf> = paths.iter().map(|path| absolute(path, &cwd)).collect();

    let resolver = match ConfigResolver::new(
        &ConfigArguments::default(),
        Overrides::default(),
        &cwd,
        false,
    ) {
        Ok(resolver) => Arc::new(resolver),
        Err(error) => {
            eprintln!("error: {error}");
            return ExitCode::from(2);
        }
    };
    // The same pool as `pyparallel check` (src/cli/check.rs).
    let pool = match rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .stack_size(256 * 1024 * 1024)
        .build()
    {
        Ok(pool) => pool,
        Err(error) => {
            eprintln!("error: cannot start worker threads: {error}");
            return ExitCode::from(2);
        }
    };
    let discovered = discover(&paths, &resolver);
    let counts = pool.install(|| {
        discovered
            .files
            .par_iter()
            .map(|candidate| parse_file(&candidate.path))
            .reduce(Counts::default, |a, b| a + b)
    });
    println!(
        "files={} lines={} tokens={} statements={} syntax_errors={} unreadable={}",
        counts.files,
        counts.lines,
        counts.tokens,
        counts.statements,
        counts.syntax_errors,
        counts.unreadable
    );
    ExitCode::SUCCESS
}
