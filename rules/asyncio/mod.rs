//! PAR6: asyncio pitfalls.

pub(crate) mod calls;
pub(super) mod par601_blocking_call_in_async;
pub(super) mod par602_cpu_bound_in_async;
pub(super) mod par603_get_event_loop;
pub(super) mod par604_dangling_task;
pub(super) mod par605_unawaited_coroutine;
pub(super) mod par606_asyncio_run_in_loop;
