//! `lanes completions SHELL` and `lanes man`: generated from the same clap definitions as the
//! parser, so they cannot drift from the flags.

use std::io::Write;
use std::path::Path;

use clap::CommandFactory;

use crate::args::Cli;

pub(super) fn completions(shell: clap_complete::Shell) -> i32 {
    let mut cmd = Cli::command();
    let mut out = Vec::new();
    clap_complete::generate(shell, &mut cmd, "lanes", &mut out);
    super::write_stdout(&out)
}

pub(super) fn man(out: Option<&Path>) -> i32 {
    let cmd = Cli::command();
    match out {
        None => {
            let mut buf = Vec::new();
            if let Err(e) = clap_mangen::Man::new(cmd).render(&mut buf) {
                eprintln!("error: cannot render the man page: {e}");
                return 2;
            }
            super::write_stdout(&buf)
        }
        Some(dir) => {
            if let Err(e) =
                std::fs::create_dir_all(dir).and_then(|()| clap_mangen::generate_to(cmd, dir))
            {
                eprintln!("error: cannot write man pages under {}: {e}", dir.display());
                return 2;
            }
            let _ = writeln!(std::io::stderr(), "wrote man pages under {}", dir.display());
            0
        }
    }
}
