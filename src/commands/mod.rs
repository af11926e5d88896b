//! One module per subcommand. This is the only place that prints.

mod config;
mod explain;
pub mod fix;
mod lint;
mod schema;

use crate::args::{Cli, Command};

/// Run a command and return its exit code.
pub fn run(cli: Cli) -> i32 {
    match cli.command {
        Command::Lint(args) => lint::run(&args),
        Command::Rules { json } => explain::rules(json),
        Command::Explain { code } => explain::explain(&code),
        Command::Config { path, config } => config::run(path.as_deref(), config.as_deref()),
        Command::Schema { kind } => schema::run(kind.as_deref()),
        Command::Docs { out } => schema::docs(&out),
    }
}
