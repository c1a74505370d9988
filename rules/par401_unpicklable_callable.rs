//! PAR401 unpicklable-callable (placeholder while being written).
use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::Severity;
use crate::rules::{FixAvailability, RuleSpec};
pub static RULE: RuleSpec = RuleSpec {
    code: "PAR401", name: "unpicklable-callable", severity: Severity::Error, fix: FixAvailability::Sometimes,
    opt_in: false, summary: "", docs: "", kinds: &[NodeKind::Call], check,
};
fn check<'a>(_checker: &mut Checker<'a>, _node: Node<'a>) {}
