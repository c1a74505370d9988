//! The command line: `pyparallel check`, `pyparallel rule`, `pyparallel server`.

mod add_noqa;
mod args;
mod check;
mod check_file;
mod report;
mod show;
mod terminal;
mod watch;

use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::rules::{self, RULES};
use args::{CheckArgs, GlobalArgs};

#[derive(Debug, Parser)]
#[command(
    name = "pyparallel",
    version,
    about = "Finds where Python code should run in parallel and where its parallelism is broken, and fixes it."
)]
#[command(args_override_self = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    #[command(flatten)]
    global: GlobalArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check Python files (default: the current folder).
    Check(Box<CheckArgs>),
    /// Print a rule's documentation.
    Rule(RuleArgs),
    /// Run the language server (LSP over standard input and output), for editors.
    Server,
    /// Write the generated documentation pages into a folder (default: docs).
    #[command(hide = true)]
    GenerateDocs { folder: Option<PathBuf> },
}

#[derive(Debug, Args)]
struct RuleArgs {
    /// A rule code (PAR401) or name (unpicklable-callable).
    #[arg(required_unless_present = "all")]
    rule: Option<String>,
    /// Print every rule's documentation.
    #[arg(long, conflicts_with = "rule")]
    all: bool,
}

/// Exit codes (DESIGN.md).
pub(super) const EXIT_OK: u8 = 0;
pub(super) const EXIT_DIAGNOSTICS: u8 = 1;
pub(super) const EXIT_ERROR: u8 = 2;

pub fn main() -> ExitCode {
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let code = if error.use_stderr() {
                EXIT_ERROR
            } else {
                EXIT_OK
            };
            let _ = error.print();
            return ExitCode::from(code);
        }
    };
    let code = match cli.command {
        Command::Check(args) => check::check(*args, &cli.global),
        Command::Rule(args) => rule(args, &cli.global),
        Command::Server => crate::server::run(),
        Command::GenerateDocs { folder } => {
            generate_docs(folder.unwrap_or_else(|| PathBuf::from("docs")))
        }
    };
    ExitCode::from(code)
}

fn rule(args: RuleArgs, global: &GlobalArgs) -> u8 {
    let stdout = std::io::stdout();
    // Rendered in a terminal; markdown (as in docs/rules/) when piped or under NO_COLOR.
    let styled = terminal::use_color(global.color, false);
    let show = |page: String| {
        if styled {
            crate::docs::render_terminal(&page)
        } else {
            page
        }
    };
    let mut out = stdout.lock();
    if args.all {
        let pages: Vec<String> = RULES
            .iter()
            .map(|rule| crate::docs::rule_page(rule))
            .collect();
        let _ = write!(out, "{}", show(pages.join("\n---\n\n")));
        return EXIT_OK;
    }
    let selector = args.rule.unwrap_or_default();
    match rules::find(&selector) {
        Some(rule) => {
            let _ = write!(out, "{}", show(crate::docs::rule_page(rule)));
            EXIT_OK
        }
        None => {
            eprintln!(
                "error: unknown rule `{selector}`; known rules: {}",
                RULES.iter().map(|r| r.code).collect::<Vec<_>>().join(", ")
            );
            EXIT_ERROR
        }
    }
}

fn generate_docs(folder: PathBuf) -> u8 {
    for (path, contents) in crate::docs::generated_files() {
        let target = folder.join(path);
        if let Some(parent) = target.parent() {
            let _ = std::fs::create_dir_all(parent);
        }
        if let Err(error) = std::fs::write(&target, contents) {
            eprintln!("error: {}: {error}", target.display());
            return EXIT_ERROR;
        }
    }
    EXIT_OK
}

/// Thread-local record of the last panic, so the run can report it with the file and rule.
fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let payload = info
            .payload()
            .downcast_ref::<&str>()
            .map(ToString::to_string)
            .or_else(|| info.payload().downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "unknown panic".to_string());
        let location = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        LAST_PANIC.with(|last| *last.borrow_mut() = Some(format!("{payload}{location}")));
    }));
}

thread_local! {
    pub(super) static LAST_PANIC: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}
