//! Applies fixes: passes of non-overlapping edits, re-checked until nothing more applies
//! (bounded); a pass whose result does not parse is bisected and the offending fix dropped.

pub mod comprehension;
pub mod edits;
pub mod imports;
pub mod indent;
pub mod outline;
pub mod pool_rewrite;
pub mod unused_imports;

use std::path::Path;

use ruff_text_size::{Ranged, TextSize};

use crate::diagnostic::{Applicability, Diagnostic, Edit, Fix};
use crate::linter::{lint_cells, parses, LintOutput};
use crate::notebook::CellMap;
use crate::rules::RuleSpec;
use crate::settings::Settings;

/// Ruff's bound: a file that still changes after this many passes is left as it is then.
pub const MAX_PASSES: usize = 100;

/// The outcome of fixing one text.
#[derive(Debug)]
pub struct FixOutcome {
    /// The check of the final text (its diagnostics are what remains).
    pub output: LintOutput,
    /// How many fixes of each rule were applied, in first-applied order.
    pub applied: Vec<(&'static RuleSpec, usize)>,
    /// Fixes dropped because their result would not parse.
    pub rejected: Vec<RejectedFix>,
}

#[derive(Debug, Clone)]
pub struct RejectedFix {
    pub rule: &'static RuleSpec,
    pub message: String,
}

impl FixOutcome {
    pub fn fixed_count(&self) -> usize {
        self.applied.iter().map(|(_, count)| count).sum()
    }
}

/// Whether `fix` is applied at `threshold` (display-only fixes never are).
pub fn is_applicable(fix: &Fix, threshold: Applicability) -> bool {
    fix.applicability != Applicability::DisplayOnly && fix.applicability >= threshold
}

/// Fixes `text` to a fixed point, applying every fix at or above `threshold`.
pub fn fix_text(
    text: String,
    path: &Path,
    settings: &Settings,
    threshold: Applicability,
) -> FixOutcome {
    fix_cells(text, path, settings, threshold, None)
}

/// [`fix_text`] for a notebook's joined cells: the cell map follows every pass's edits.
pub fn fix_cells(
    text: String,
    path: &Path,
    settings: &Settings,
    threshold: Applicability,
    cells: Option<CellMap>,
) -> FixOutcome {
    let mut applied: Vec<(&'static RuleSpec, usize)> = Vec::new();
    let mut rejected: Vec<RejectedFix> = Vec::new();
    let mut blocked: Vec<(&'static str, Fix)> = Vec::new();
    let mut output = lint_cells(text, path, settings, cells);
    for _ in 0..MAX_PASSES {
        if !output.syntax_errors.is_empty() {
            break;
        }
        let candidates: Vec<&Diagnostic> = output
            .diagnostics
            .iter()
            .filter(|d| {
                d.fix.as_ref().is_some_and(|fix| {
                    is_applicable(fix, threshold)
                        && !blocked
                            .iter()
                            .any(|(code, b)| *code == d.rule.code && b == fix)
                })
            })
            .collect();
        if candidates.is_empty() {
            break;
        }
        let text = output.source.text();
        let pass = apply_verified_cells(text, &candidates, path, output.cells.as_ref());
        for dropped in &pass.rejected {
            rejected.push(RejectedFix {
                rule: dropped.rule,
                message: dropped.message.clone(),
            });
            blocked.push((
                dropped.rule.code,
                dropped.fix.clone().expect("candidates have fixes"),
            ));
        }
        let (new_text, pass_rules) = (pass.text, pass.rules);
        if pass_rules.is_empty() {
            break;
        }
        let cells = output
            .cells
            .as_ref()
            .map(|cells| cells.shifted(&pass.edits));
        let (new_text, cells) = without_emptied_imports(text, new_text, path, cells);
        for rule in pass_rules {
            match applied.iter_mut().find(|(r, _)| *r == rule) {
                Some((_, count)) => *count += 1,
                None => applied.push((rule, 1)),
            }
        }
        output = lint_cells(new_text, path, settings, cells);
    }
    FixOutcome {
        output,
        applied,
        rejected,
    }
}

/// `after` (the text after a pass over `before`) without the imports the pass left unused,
/// when removing them keeps the file (and each notebook cell) parsing.
fn without_emptied_imports(
    before: &str,
    after: String,
    path: &Path,
    cells: Option<CellMap>,
) -> (String, Option<CellMap>) {
    let removals = unused_imports::emptied_import_edits(before, &after, path, |edit| {
        cells.as_ref().is_none_or(|cells| !cells.crosses(edit))
    });
    if removals.is_empty() {
        return (after, cells);
    }
    let parsing_before = cells
        .as_ref()
        .map(|cells| cells.parsing_cells(&after, path));
    let candidate = apply_edits(&after, removals.iter());
    let shifted = cells.as_ref().map(|cells| cells.shifted(&removals));
    let still_parses = parses(&candidate, path)
        && match (&shifted, &parsing_before) {
            (Some(shifted), Some(before)) => {
                let now = shifted.parsing_cells(&candidate, path);
                before.iter().all(|index| now.contains(index))
            }
            _ => true,
        };
    if still_parses {
        (candidate, shifted)
    } else {
        (after, cells)
    }
}

/// One pass whose result is known to parse.
pub struct VerifiedPass<'d> {
    pub text: String,
    pub rules: Vec<&'static RuleSpec>,
    /// The edits applied (sorted), so a notebook's cell boundaries can follow them.
    pub edits: Vec<Edit>,
    /// Candidates whose fix would make the file unparsable (left out of `text`).
    pub rejected: Vec<&'d Diagnostic>,
}

/// Applies a pass; when the result does not parse, applies the fixes one at a time and leaves
/// out each one that breaks the file, so a bad fix is never written.
pub fn apply_verified<'d>(
    text: &str,
    candidates: &[&'d Diagnostic],
    path: &Path,
) -> VerifiedPass<'d> {
    apply_verified_cells(text, candidates, path, None)
}

/// [`apply_verified`] for a notebook: Jupyter runs each cell on its own, so every cell must
/// also parse by itself after the pass (not only the joined module).
fn apply_verified_cells<'d>(
    text: &str,
    candidates: &[&'d Diagnostic],
    path: &Path,
    cells: Option<&CellMap>,
) -> VerifiedPass<'d> {
    // The cells that parse on their own now must still do so after the pass.
    let whole: Vec<usize> = cells.map_or_else(Vec::new, |cells| cells.parsing_cells(text, path));
    let valid = |new_text: &str, edits: &[Edit]| {
        parses(new_text, path)
            && cells.is_none_or(|cells| {
                let after = cells.shifted(edits).parsing_cells(new_text, path);
                whole.iter().all(|index| after.contains(index))
            })
    };
    let (new_text, rules, edits) = apply_pass_edits(text, candidates);
    if valid(&new_text, &edits) {
        return VerifiedPass {
            text: new_text,
            rules,
            edits,
            rejected: Vec::new(),
        };
    }
    let mut kept: Vec<&Diagnostic> = Vec::new();
    let mut rejected = Vec::new();
    for candidate in candidates {
        let mut trial = kept.clone();
        trial.push(candidate);
        let (trial_text, _, trial_edits) = apply_pass_edits(text, &trial);
        if valid(&trial_text, &trial_edits) {
            kept.push(candidate);
        } else {
            rejected.push(*candidate);
        }
    }
    let (text, rules, edits) = apply_pass_edits(text, &kept);
    VerifiedPass {
        text,
        rules,
        edits,
        rejected,
    }
}

/// Applies the fixes of `diagnostics` whose edits do not overlap an earlier fix's edits (an
/// edit identical to one already applied, such as the same import, is applied once).
/// Returns the new text and the rules whose fixes were applied.
pub fn apply_pass(text: &str, diagnostics: &[&Diagnostic]) -> (String, Vec<&'static RuleSpec>) {
    let (text, rules, _) = apply_pass_edits(text, diagnostics);
    (text, rules)
}

/// [`apply_pass`], also returning the edits it applied.
fn apply_pass_edits(
    text: &str,
    diagnostics: &[&Diagnostic],
) -> (String, Vec<&'static RuleSpec>, Vec<Edit>) {
    let mut ordered: Vec<&Diagnostic> = diagnostics.to_vec();
    ordered.sort_by_key(|d| {
        let fix = d.fix.as_ref().expect("only diagnostics with fixes");
        fix.edits
            .first()
            .map_or(TextSize::default(), |e| e.range.start())
    });
    let mut chosen: Vec<&Edit> = Vec::new();
    let mut rules = Vec::new();
    for diagnostic in ordered {
        let fix = diagnostic
            .fix
            .as_ref()
            .expect("only diagnostics with fixes");
        let fresh: Vec<&Edit> = fix
            .edits
            .iter()
            .filter(|edit| !chosen.contains(edit))
            .collect();
        let overlaps = fresh
            .iter()
            .any(|edit| chosen.iter().any(|taken| overlap(edit, taken)));
        if overlaps {
            continue;
        }
        chosen.extend(fresh);
        rules.push(diagnostic.rule);
    }
    chosen.sort_by_key(|edit| (edit.range.start(), edit.range.end()));
    let new_text = apply_edits(text, chosen.iter().copied());
    (new_text, rules, chosen.into_iter().cloned().collect())
}

/// Two edits conflict when their ranges intersect, or both insert at the same place.
fn overlap(a: &Edit, b: &Edit) -> bool {
    let (a, b) = (a.range(), b.range());
    if a.is_empty() && b.is_empty() {
        return a.start() == b.start();
    }
    a.start() < b.end() && b.start() < a.end()
        || (a.is_empty() && b.start() < a.start() && a.start() < b.end())
        || (b.is_empty() && a.start() < b.start() && b.start() < a.end())
}

/// Applies sorted, non-overlapping edits.
pub fn apply_edits<'e>(text: &str, edits: impl Iterator<Item = &'e Edit>) -> String {
    let mut output = String::with_capacity(text.len());
    let mut last = 0usize;
    for edit in edits {
        let start = usize::from(edit.range.start());
        let end = usize::from(edit.range.end());
        output.push_str(&text[last..start]);
        output.push_str(&edit.content);
        last = end;
    }
    output.push_str(&text[last..]);
    output
}

#[cfg(test)]
mod tests {
    use ruff_text_size::{TextRange, TextSize};

    use super::*;
    use crate::rules::RULES;

    fn diagnostic(start: u32, end: u32, content: &str) -> Diagnostic {
        let range = TextRange::new(TextSize::new(start), TextSize::new(end));
        Diagnostic::new(RULES[0], "test", range)
            .with_fix(Some(Fix::safe("test", vec![Edit::replace(range, content)])))
    }

    #[test]
    fn a_fix_that_breaks_the_syntax_is_dropped_and_the_others_applied() {
        let text = "a = 1\nb = 2\n";
        let good = diagnostic(4, 5, "10");
        let bad = diagnostic(10, 11, "(");
        let pass = apply_verified(text, &[&good, &bad], Path::new("t.py"));
        assert_eq!(pass.text, "a = 10\nb = 2\n");
        assert_eq!(pass.rejected.len(), 1);
        assert_eq!(pass.rejected[0].range, bad.range);
        assert_eq!(pass.rules.len(), 1);
    }

    #[test]
    fn overlapping_fixes_wait_for_the_next_pass_and_identical_edits_apply_once() {
        let text = "x = 1\n";
        let first = diagnostic(4, 5, "2");
        let overlapping = diagnostic(0, 5, "y = 3");
        let (result, rules) = apply_pass(text, &[&first, &overlapping]);
        assert_eq!(rules.len(), 1);
        assert!(result == "x = 2\n" || result == "y = 3\n");

        let insert = |at: u32| {
            let range = TextRange::empty(TextSize::new(at));
            Diagnostic::new(RULES[0], "t", range).with_fix(Some(Fix::safe(
                "t",
                vec![Edit::insert(range.start(), "import os\n")],
            )))
        };
        let (a, b) = (insert(0), insert(0));
        let (result, rules) = apply_pass(text, &[&a, &b]);
        assert_eq!(result, "import os\nx = 1\n");
        assert_eq!(rules.len(), 2);
    }
}
