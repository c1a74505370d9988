//! pyparallel: finds where Python code should run in parallel and where its parallelism is
//! broken, and fixes it.

pub mod analysis;
pub mod checker;
pub mod cli;
pub mod config;
pub mod diagnostic;
pub mod discovery;
pub mod docs;
pub mod encoding;
pub mod fix;
pub mod fs;
pub mod linter;
pub mod noqa;
pub mod notebook;
pub mod output;
pub mod server;
pub mod settings;
pub mod source;

#[path = "../rules/mod.rs"]
pub mod rules;

/// Where each rule's documentation page lives (`<base>/<CODE>.md`).
pub const DOCS_BASE_URL: &str = "https://github.com/pyparallel/pyparallel/blob/main/docs/rules";
