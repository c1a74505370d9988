fn main() -> std::process::ExitCode {
    pyparallel::cli::main()
}
