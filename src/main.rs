//! The keukentafel binary: parse the command line and dispatch; all work is in the library.

#![deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

fn main() -> std::process::ExitCode {
    restore_default_sigpipe();
    keukentafel::cli::main()
}

/// Rust ignores SIGPIPE, so printing into a pipe whose reader is gone (`keukentafel user list |
/// head -1`) would panic in `println!`. A command-line tool ends quietly there instead, killed by
/// the signal like `cat` or `ls`, with the usual status for it.
#[cfg(unix)]
fn restore_default_sigpipe() {
    // SAFETY: called first thing in `main`, before any other thread exists; SIG_DFL is a valid
    // disposition for SIGPIPE.
    unsafe {
        libc::signal(libc::SIGPIPE, libc::SIG_DFL);
    }
}

#[cfg(not(unix))]
fn restore_default_sigpipe() {}
