//! The analysis layer: facts about one file that the rules share, computed from the syntax
//! tree and the semantic model only (never from the checker or a rule), answered on demand
//! and memoised.

pub mod ancestry;
pub mod array_kinds;
pub mod index;
pub mod loops;
pub mod names;
pub mod semantic;
pub mod workload;
