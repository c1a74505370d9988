//! `--watch`: checks, then checks again whenever a Python file or a configuration file under the
//! paths changes, clearing the screen before each run as Ruff does. Runs until interrupted.

use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::Duration;

use notify::{RecursiveMode, Watcher};

use super::args::{CheckArgs, GlobalArgs};
use super::check::Session;
use super::terminal::clear_screen;
use super::EXIT_ERROR;
use crate::config::CONFIG_FILES;
use crate::fs::absolute;

pub(super) fn watch(args: &CheckArgs, global: &GlobalArgs, cwd: &Path) -> u8 {
    let (sender, events) = mpsc::channel();
    let mut watcher = match notify::recommended_watcher(sender) {
        Ok(watcher) => watcher,
        Err(error) => {
            eprintln!("error: cannot watch for file changes: {error}");
            return EXIT_ERROR;
        }
    };
    let paths: Vec<PathBuf> = if args.paths.is_empty() {
        vec![cwd.to_path_buf()]
    } else {
        args.paths.iter().map(|path| absolute(path, cwd)).collect()
    };
    for path in watched(&paths, args, cwd) {
        if let Err(error) = watcher.watch(&path, RecursiveMode::Recursive) {
            eprintln!("error: cannot watch {}: {error}", path.display());
            return EXIT_ERROR;
        }
    }
    let mut header = "Starting linter in watch mode...";
    loop {
        clear_screen();
        println!("{header}");
        // The configuration is read afresh each time: a change to it is what triggered the run.
        match Session::new(args, global, cwd, false) {
            Ok(session) => {
                let mut out = std::io::stdout().lock();
                session.check_once(&mut out, true);
            }
            Err(error) => eprintln!("error: {error}"),
        }
        header = "File change detected...";
        loop {
            match events.recv() {
                Ok(Ok(event)) if is_relevant(&event) => break,
                Ok(Ok(_)) => {}
                Ok(Err(error)) => eprintln!("error: watching for file changes: {error}"),
                Err(_) => return EXIT_ERROR,
            }
        }
        // One save is several events: let them settle into one run.
        while events.recv_timeout(Duration::from_millis(100)).is_ok() {}
    }
}

/// The paths to watch: those checked, and the configuration files that govern them from above
/// (the closest configuration may sit in a parent folder), and the `--config` file.
fn watched(paths: &[PathBuf], args: &CheckArgs, cwd: &Path) -> Vec<PathBuf> {
    let mut watched: Vec<PathBuf> = paths.to_vec();
    for path in paths {
        for folder in path.ancestors().skip(1) {
            for name in CONFIG_FILES {
                let candidate = folder.join(name);
                if candidate.is_file() && !watched.iter().any(|w| candidate.starts_with(w)) {
                    watched.push(candidate);
                }
            }
        }
    }
    for value in &args.config {
        let file = absolute(Path::new(value), cwd);
        if file.is_file() && !watched.iter().any(|w| file.starts_with(w)) {
            watched.push(file);
        }
    }
    watched
}

/// A change worth a new run, as Ruff decides: Python sources, notebooks and TOML files;
/// not reads or metadata-only events.
fn is_relevant(event: &notify::Event) -> bool {
    if event.kind.is_access() || event.kind.is_other() {
        return false;
    }
    if event.need_rescan() {
        return true;
    }
    event.paths.iter().any(|path| {
        matches!(
            path.extension().and_then(|ext| ext.to_str()),
            Some("py" | "pyi" | "pyw" | "ipynb" | "toml")
        )
    })
}
