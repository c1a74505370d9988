//! Every rule, once. Each rule is a module holding its metadata, documentation, check and fix;
//! [`RULES`] is the only place in the code that enumerates them.

use crate::checker::{Checker, Node, NodeKind};
use crate::diagnostic::{Diagnostic, Severity};

pub(crate) mod asyncio;
pub(crate) mod cpu;
pub(crate) mod evidence;
pub(crate) mod io;
pub(crate) mod processes;
pub(crate) mod resources;
pub(crate) mod shared_state;
pub(crate) mod threads;
pub(crate) mod vectorize;

/// Whether a rule's diagnostics carry a fix, and of which kind at best.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FixAvailability {
    Always,
    Sometimes,
    DisplayOnly,
}

impl FixAvailability {
    pub fn as_str(self) -> &'static str {
        match self {
            FixAvailability::Always => "always",
            FixAvailability::Sometimes => "sometimes",
            FixAvailability::DisplayOnly => "display-only",
        }
    }
}

/// A rule's identity, documentation and entry point.
pub struct RuleSpec {
    /// User-facing code, e.g. `PAR401` (API: never changes).
    pub code: &'static str,
    /// User-facing kebab-case name, e.g. `unpicklable-callable` (API: never changes).
    pub name: &'static str,
    pub severity: Severity,
    pub fix: FixAvailability,
    /// Off unless selected by code or name (RULES.md "opt-in").
    pub opt_in: bool,
    /// One line: what it flags.
    pub summary: &'static str,
    /// Markdown: what it does, why it matters, example, fix, fix safety.
    pub docs: &'static str,
    /// The node kinds the checker hands this rule during its single walk.
    pub kinds: &'static [NodeKind],
    /// With [`NodeKind::Call`] in `kinds`: the last names of the callees
    /// ([`crate::analysis::semantic::Semantic::resolved_tail`]) of the calls the rule is handed, so the
    /// walk skips it for every other call; empty: every call. Only for rules that return at
    /// once on any other callee.
    pub call_tails: &'static [&'static str],
    pub check: for<'a> fn(&mut Checker<'a>, Node<'a>),
}

impl std::fmt::Debug for RuleSpec {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code)
    }
}

impl PartialEq for RuleSpec {
    fn eq(&self, other: &Self) -> bool {
        self.code == other.code
    }
}
impl Eq for RuleSpec {}

impl RuleSpec {
    /// Position in [`RULES`], used for bit sets.
    pub fn index(&'static self) -> usize {
        RULES
            .iter()
            .position(|rule| std::ptr::eq(*rule, self))
            .expect("every RuleSpec is in RULES")
    }

    /// A suggestion that pays off only on real workloads, not a correctness bug: the
    /// performance candidates (PAR1 processes, PAR2 threads and asyncio, PAR3 vectorisation)
    /// and the work that stalls an event loop (PAR601, PAR602), which costs nothing where no
    /// other task runs. Not reported in test modules, which run on toy data.
    pub fn pays_off_only_on_real_workloads(&self) -> bool {
        matches!(self.code.as_bytes().get(3), Some(b'1'..=b'3'))
            || matches!(self.code, "PAR601" | "PAR602")
    }

    /// The rule's documentation page URL (the `url` field of JSON output).
    pub fn url(&self) -> String {
        format!("{}/{}.md", crate::DOCS_BASE_URL, self.code)
    }
}

/// Every rule, sorted by code.
pub static RULES: &[&RuleSpec] = &[
    &cpu::par101_loop_to_process_pool::RULE,
    &cpu::par102_reduction_to_process_pool::RULE,
    &cpu::par103_process_map_without_chunksize::RULE,
    &io::par201_sequential_network_io::RULE,
    &io::par202_sequential_file_io::RULE,
    &io::par203_await_in_loop::RULE,
    &io::par204_sequential_subprocess::RULE,
    &io::par205_execute_in_loop::RULE,
    &vectorize::par301_nested_loop_outer_product::RULE,
    &vectorize::par302_elementwise_loop::RULE,
    &vectorize::par303_loop_reduction_over_array::RULE,
    &vectorize::par304_python_map_over_array::RULE,
    &vectorize::par305_dataframe_row_loop::RULE,
    &vectorize::par306_sequential_dataframe_reads::RULE,
    &processes::par401_unpicklable_callable::RULE,
    &processes::par402_missing_main_guard::RULE,
    &processes::par403_worker_mutates_shared_state::RULE,
    &processes::par404_large_argument_to_process::RULE,
    &threads::par501_gil_bound_threads::RULE,
    &threads::par502_unsynchronized_shared_mutation::RULE,
    &threads::par503_late_binding_closure::RULE,
    &asyncio::par601_blocking_call_in_async::RULE,
    &asyncio::par602_cpu_bound_in_async::RULE,
    &asyncio::par603_get_event_loop::RULE,
    &asyncio::par604_dangling_task::RULE,
    &asyncio::par605_unawaited_coroutine::RULE,
    &asyncio::par606_asyncio_run_in_loop::RULE,
    &resources::par701_over_parallelization::RULE,
    &resources::par702_pool_in_loop::RULE,
    &resources::par703_unbounded_workers::RULE,
    &resources::par704_unmanaged_executor::RULE,
    &resources::par705_discarded_future::RULE,
    &resources::par706_as_completed_order::RULE,
];

/// Finds a rule by code (`PAR401`) or name (`unpicklable-callable`), case-insensitively for codes.
pub fn find(selector: &str) -> Option<&'static RuleSpec> {
    RULES
        .iter()
        .copied()
        .find(|rule| rule.code.eq_ignore_ascii_case(selector) || rule.name == selector)
}

/// A loop rule's finding: the compact rewrite's when its fix applies, else the outlined
/// one's when that fix applies, else whichever there is (the compact one first).
pub fn prefer_applicable(
    compact: Option<Diagnostic>,
    modelled: impl FnOnce() -> Option<Diagnostic>,
) -> Option<Diagnostic> {
    let applicable = |diagnostic: &Diagnostic| {
        diagnostic
            .fix
            .as_ref()
            .is_some_and(|fix| !fix.edits.is_empty())
    };
    if compact.as_ref().is_some_and(applicable) {
        return compact;
    }
    match (compact, modelled()) {
        (Some(compact), Some(modelled)) if !applicable(&modelled) => Some(compact),
        (_, Some(modelled)) => Some(modelled),
        (compact, None) => compact,
    }
}
