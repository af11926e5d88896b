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
    quiet_on_closed_stdout();
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

/// `lanes schema lanes-toml | head`: when the reader closes the pipe, `print!` panics with
/// "failed printing to stdout: Broken pipe". The reader has what it wanted, so end quietly with
/// status 0, as `head` expects. Every other panic goes to the default hook.
fn quiet_on_closed_stdout() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let msg = info
            .payload()
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| info.payload().downcast_ref::<&str>().copied())
            .unwrap_or("");
        if msg.starts_with("failed printing to stdout") && msg.contains("Broken pipe") {
            std::process::exit(0);
        }
        default(info);
    }));
}
