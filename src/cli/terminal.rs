//! What the terminal gets: colour (Ruff's `--color`, `FORCE_COLOR` and `NO_COLOR`), verbose
//! and warning lines on standard error, and clearing the screen in watch mode.

use std::io::IsTerminal;
use std::time::Duration;

use super::args::{ColorChoice, LogLevel};

/// Whether to colour the output. `--color always|never` decides; otherwise a non-empty
/// `FORCE_COLOR` turns colour on and a non-empty `NO_COLOR` off, and a terminal gets colour.
/// Output written to a file (`--output-file`) is never coloured, as in Ruff.
pub(super) fn use_color(choice: Option<ColorChoice>, to_file: bool) -> bool {
    if to_file {
        return false;
    }
    let set = |name: &str| std::env::var_os(name).is_some_and(|value| !value.is_empty());
    match choice {
        Some(ColorChoice::Always) => true,
        Some(ColorChoice::Never) => false,
        Some(ColorChoice::Auto) | None => {
            if set("FORCE_COLOR") {
                true
            } else if set("NO_COLOR") {
                false
            } else {
                std::io::stdout().is_terminal()
            }
        }
    }
}

/// Lines on standard error for `-v` and for warnings, as the log level allows.
#[derive(Debug, Clone, Copy)]
pub(super) struct Log {
    pub(super) level: LogLevel,
}

impl Log {
    pub(super) fn verbose(self) -> bool {
        self.level >= LogLevel::Verbose
    }

    /// A `debug:` line, under `-v` only.
    pub(super) fn debug(self, message: impl FnOnce() -> String) {
        if self.verbose() {
            eprintln!("debug: {}", message());
        }
    }

    /// A `warning:` line, unless `-q` or `-s` (Ruff shows warnings at its default level only).
    pub(super) fn warn(self, message: &str) {
        if self.level >= LogLevel::Default {
            eprintln!("warning: {message}");
        }
    }
}

/// `1.25 ms`, `0.84 s`: a duration for people.
pub(super) fn duration(elapsed: Duration) -> String {
    let millis = elapsed.as_secs_f64() * 1000.0;
    if millis < 1000.0 {
        format!("{millis:.2} ms")
    } else {
        format!("{:.2} s", millis / 1000.0)
    }
}

/// Clears the screen and its scrollback before a watch-mode run, as Ruff does (the escape
/// sequence that suits `TERM`, or the console API on older Windows).
pub(super) fn clear_screen() {
    let _ = clearscreen::clear();
}
