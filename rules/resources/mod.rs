//! PAR7: resources, lost errors and over-parallelization.

pub(super) mod par701_over_parallelization;
pub(super) mod par702_pool_in_loop;
pub(super) mod par703_unbounded_workers;
pub(super) mod par704_unmanaged_executor;
pub(super) mod par705_discarded_future;
pub(super) mod par706_as_completed_order;
pub(crate) mod pool_uses;
