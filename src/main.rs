fn main() -> std::process::ExitCode {
    pyparallel::cli::main()
}

/// The parser allocates every node of every file's syntax tree separately and frees the tree
/// when the file is done; jemalloc makes both cheaper than the system allocator (as Ruff does).
#[cfg(all(not(target_env = "msvc"), not(target_os = "openbsd")))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;
