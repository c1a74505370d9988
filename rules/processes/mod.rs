//! PAR4: process-pool pitfalls.

pub(super) mod par401_unpicklable_callable;
pub(super) mod par402_missing_main_guard;
pub(super) mod par403_worker_mutates_shared_state;
pub(super) mod par404_large_argument_to_process;
