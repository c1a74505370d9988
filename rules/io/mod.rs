//! PAR2: I/O-bound candidates, run in thread pools or with asyncio.

pub(crate) mod candidates;
pub(super) mod par201_sequential_network_io;
pub(super) mod par202_sequential_file_io;
pub(super) mod par203_await_in_loop;
pub(super) mod par204_sequential_subprocess;
pub(super) mod par205_execute_in_loop;
