//! PAR1: CPU-bound candidates, run in process pools.

pub(crate) mod candidates;
pub(super) mod par101_loop_to_process_pool;
pub(super) mod par102_reduction_to_process_pool;
pub(super) mod par103_process_map_without_chunksize;
