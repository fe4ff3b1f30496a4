//! The keukentafel binary: parse the command line and dispatch; all work is in the library.

fn main() -> std::process::ExitCode {
    keukentafel::cli::main()
}
