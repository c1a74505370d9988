//! The analysis layer: facts about one file that the rules share, computed from the syntax
//! tree and the semantic model only (never from the checker or a rule), answered on demand
//! and memoised.

pub mod ancestry;
pub mod array_kinds;
pub mod index;
pub mod library;
pub mod loop_model;
pub mod loops;
pub mod names;
pub mod semantic;
pub mod summarize;
pub mod summary;
pub mod workload;

use std::cell::OnceCell;

use ruff_python_ast::{Expr, Stmt};

use crate::analysis::array_kinds::{Kind, KindsMemo};
use crate::analysis::index::ModuleIndex;
use crate::analysis::library::Library;
use crate::analysis::semantic::Semantic;
use crate::analysis::summarize::Summaries;
use crate::analysis::workload::Workloads;

/// One file's analysis: the facts rules ask about, each computed on first use and memoised.
/// The checker owns it and hands it the semantic model of the place a rule asks about.
#[derive(Debug)]
pub struct Analysis<'a> {
    pub module: &'a [Stmt],
    pub text: &'a str,
    /// Effect and cost summaries, and the workload classes derived from them.
    pub workloads: Workloads<'a>,
    kinds: KindsMemo<'a>,
    index: OnceCell<ModuleIndex<'a>>,
}

impl<'a> Analysis<'a> {
    pub fn new(module: &'a [Stmt], text: &'a str, library: &'a Library) -> Self {
        Self {
            module,
            text,
            workloads: Workloads::new(library),
            kinds: KindsMemo::default(),
            index: OnceCell::new(),
        }
    }

    pub fn summaries(&self) -> &Summaries<'a> {
        self.workloads.summaries()
    }

    /// Module-wide lookups (awaitable defs, values bound to targets, functions called per
    /// item), built once per file on first use.
    pub fn index(&self) -> &ModuleIndex<'a> {
        self.index.get_or_init(|| ModuleIndex::build(self.module))
    }

    /// What `expr` holds where `semantic` is (NumPy array, DataFrame, Series, number, list),
    /// `None` when unknown (see [`array_kinds`]).
    pub fn kind_of(&self, semantic: &Semantic<'a>, expr: &'a Expr) -> Option<Kind> {
        array_kinds::kind_of(&self.kinds_context(semantic), expr)
    }

    /// The context the array-kind facts are computed in.
    pub fn kinds_context<'r>(&'r self, semantic: &'r Semantic<'a>) -> array_kinds::Context<'r, 'a> {
        array_kinds::Context {
            semantic,
            module: self.module,
            text: self.text,
            memo: &self.kinds,
        }
    }
}
