//! How diagnostics name their evidence: the call path to an effect and what a cost grows
//! with, in the words and line numbers of the file.

use crate::analysis::summary::{CallPath, Cost};
use crate::checker::Checker;

/// "`helper` → `requests.get` (line 17)": the calls from the flagged one to the effect, with
/// the line of the effect.
pub fn call_path(checker: &Checker, path: &CallPath) -> String {
    let mut text = path
        .iter()
        .map(|step| format!("`{}`", step.callee))
        .collect::<Vec<_>>()
        .join(" → ");
    if let Some(last) = path.last() {
        text.push_str(&format!(" (line {})", checker.source.row(last.at)));
    }
    text
}

/// "loops over `range(n)` (line 5): grows with the input".
pub fn cost(checker: &Checker, cost: &Cost) -> Option<String> {
    let (what, at) = cost.evidence.as_ref()?;
    let work = cost.cpu?;
    Some(format!(
        "{what} (line {}): {}",
        checker.source.row(*at),
        work.describe()
    ))
}
