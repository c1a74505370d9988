//! `--show-files` and `--show-settings`: what a check would look at, and with which settings,
//! without checking anything (Ruff's flags of the same names).

use std::io::Write;

use super::check::Session;
use super::{EXIT_ERROR, EXIT_OK};
use crate::diagnostic::Severity;
use crate::rules::RULES;
use crate::settings::Settings;

/// Prints every file a check would read, one absolute path a line, sorted.
pub(super) fn files(session: &Session, out: &mut dyn Write) -> u8 {
    let (files, errors) = session.discover();
    if files.is_empty() && errors.is_empty() {
        session
            .log()
            .warn("No Python files found under the given path(s)");
    }
    for file in &files {
        let _ = writeln!(out, "{}", file.path.display());
    }
    finish(out, &errors)
}

/// Prints the settings of the first file a check would read (in path order): where they come
/// from, then every configuration key with its resolved value, in the configuration's syntax.
pub(super) fn settings(session: &Session, out: &mut dyn Write) -> u8 {
    let (files, mut errors) = session.discover();
    let Some(first) = files.first() else {
        errors.push("No files found under the given path(s)".to_string());
        return finish(out, &errors);
    };
    let _ = writeln!(out, "Resolved settings for: \"{}\"", first.path.display());
    match &first.settings.config_file {
        Some(path) => {
            let _ = writeln!(out, "Settings path: \"{}\"", path.display());
        }
        None => {
            let _ = writeln!(out, "Settings path: none (the built-in defaults)");
        }
    }
    let _ = writeln!(out);
    let _ = write!(out, "{}", describe(&first.settings, &first.path));
    finish(out, &errors)
}

fn finish(out: &mut dyn Write, errors: &[String]) -> u8 {
    let _ = out.flush();
    for error in errors {
        eprintln!("error: {error}");
    }
    if errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_ERROR
    }
}

/// `settings` as configuration keys and values (TOML), for `path`.
fn describe(settings: &Settings, path: &std::path::Path) -> String {
    let quoted = |items: &mut dyn Iterator<Item = String>| {
        let items: Vec<String> = items.map(|item| format!("{item:?}")).collect();
        format!("[{}]", items.join(", "))
    };
    let enabled = quoted(
        &mut RULES
            .iter()
            .filter(|rule| settings.is_enabled(rule))
            .map(|rule| rule.code.to_string()),
    );
    let ignored_here = quoted(
        &mut settings
            .ignored_for(path)
            .iter()
            .map(|r| r.code.to_string()),
    );
    let mut text = String::new();
    text.push_str(
        "# The rules enabled (select, extend-select and ignore, with the command line).\n",
    );
    text.push_str(&format!("select = {enabled}\n"));
    text.push_str("# Turned off for this file by per-file-ignores.\n");
    text.push_str(&format!("ignored-for-this-file = {ignored_here}\n"));
    text.push_str(&format!(
        "exclude = {}\n",
        quoted(&mut settings.exclude_patterns.iter().cloned())
    ));
    text.push_str(&format!("force-exclude = {}\n", settings.force_exclude));
    text.push_str(&format!(
        "respect-gitignore = {}\n",
        settings.respect_gitignore
    ));
    text.push_str(&format!(
        "target-version = \"py3{}\"\n",
        settings.target_version
    ));
    text.push_str(&format!("free-threaded = {}\n", settings.free_threaded));
    text.push_str(&format!(
        "fail-on = \"{}\"\n",
        match settings.fail_on {
            Severity::Warning => "warning",
            Severity::Error => "error",
        }
    ));
    text.push_str(&format!("unsafe-fixes = {}\n", settings.unsafe_fixes));
    text.push_str(&format!("min-items = {}\n", settings.min_items));
    text.push_str(&format!("max-workers = {}\n", settings.max_workers));
    text.push_str(&format!(
        "io-functions = {}\n",
        quoted(&mut settings.io_functions.iter().cloned())
    ));
    text.push_str(&format!(
        "cpu-functions = {}\n",
        quoted(&mut settings.cpu_functions.iter().cloned())
    ));
    text.push_str(&format!(
        "event-loop-functions = {}\n",
        quoted(&mut settings.event_loop_functions.iter().cloned())
    ));
    text.push_str("\n[per-file-ignores]\n");
    for (pattern, rules) in &settings.per_file_ignore_patterns {
        text.push_str(&format!(
            "{pattern:?} = {}\n",
            quoted(&mut rules.iter().map(|rule| rule.code.to_string()))
        ));
    }
    text
}
