//! PAR5: thread pitfalls.

pub(super) mod par501_gil_bound_threads;
pub(super) mod par502_unsynchronized_shared_mutation;
pub(super) mod par503_late_binding_closure;
