//! The `lanes` binary: parse arguments, call the library, print, exit.
//!
//! Exit codes, in every output format: 0 clean (warnings allowed), 1 findings at error level,
//! 2 usage or input failure.

mod args;
mod args_mesh;
mod args_ops;
mod args_roll;
mod commands;

use std::process::ExitCode;

/// mimalloc instead of the system allocator: lint builds millions of small arena nodes on
/// several threads, where glibc's per-thread heaps grow by one `mprotect` call at a time.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

fn main() -> ExitCode {
    let cli = match args::Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let code = commands::run(cli);
    ExitCode::from(u8::try_from(code).unwrap_or(2))
}
