//! PAR402 missing-main-guard (placeholder while being written).
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, RuleSpec};
pub static RULE: RuleSpec = RuleSpec {
    code: "PAR402", name: "missing-main-guard", severity: Severity::Error, fix: FixAvailability::Sometimes,
    opt_in: false, summary: "", docs: "", kinds: &[NodeKind::Call], check,
};
fn check<'a>(_checker: &mut Checker<'a>, _node: Node<'a>) {}
