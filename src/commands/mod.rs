//! One module per subcommand. This is the only place that prints.

mod config;
mod explain;
pub(crate) mod git;
mod lint;
mod mesh;
mod mesh_ops;
mod ops;
mod rollout;
mod safety;
mod schema;
mod shell;
mod upgrade;

use crate::args::{Cli, Command};

/// Run a command and return its exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Lint(args) => lint::run(&args),
        Command::Rules { json } => explain::rules(json),
        Command::Explain { code } => explain::explain(&code),
        Command::Rollout(c) => rollout::run(c),
        Command::Mesh(c) => mesh::run(c),
        Command::Upgrade(c) => upgrade::run(c),
        Command::Gateway(c) => mesh_ops::gateway(c),
        Command::Diff(args) => git::diff(&args),
        Command::Hook(args) => git::hook(&args),
        Command::Add(a) => ops::add(&a),
        Command::Split(a) => ops::split(&a),
        Command::Set(a) => ops::set(&a),
        Command::Plan(a) => ops::plan(&a),
        Command::Promote(a) => ops::promote(&a),
        Command::Rollback(a) => ops::rollback(&a),
        Command::Config { path, config } => config::run(path.as_deref(), config.as_deref()),
        Command::Schema { kind } => schema::run(kind.as_deref()),
        Command::Docs { out } => schema::docs(&out),
        Command::Completions { shell } => shell::completions(shell),
        Command::Man { out } => shell::man(out.as_deref()),
    }
}

/// Write bytes to standard output. A closed pipe (`lanes ... | head`) is not an error: the
/// reader has what it wanted, so the run ends quietly with 0. Other write errors exit 2.
pub fn write_stdout(bytes: &[u8]) -> i32 {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    match out.write_all(bytes).and_then(|()| out.flush()) {
        Ok(()) => 0,
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => 0,
        Err(e) => {
            eprintln!("error: cannot write to standard output: {e}");
            2
        }
    }
}
