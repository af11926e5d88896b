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

use std::path::{Path, PathBuf};

use lanes::root::RecoveryScope;

use crate::args::{Cli, Command};

/// Run a command and return its exit code.
///
/// Every command that reads a repository first finishes or undoes a write an earlier lanes
/// process left half done there (and removes its staged files), here and nowhere else, so no
/// command can forget it ([`repository_of`]).
pub(crate) fn run(cli: Cli) -> i32 {
    if let Some(scope) = repository_of(&cli.command) {
        if let Err(code) = safety::recover(&scope) {
            return code;
        }
    }
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

/// The repository (or folder) whose manifests a command reads or writes, recovered before the
/// command runs; `None` for the commands that read none (rule docs, schemas, shell files,
/// `config`, `upgrade check`). Every command is listed, with no catch-all: a new command must
/// choose.
fn repository_of(cmd: &Command) -> Option<RecoveryScope> {
    use crate::args_mesh::{GatewayCanaryCommand as G, GatewayCommand};
    use crate::args_roll::{MeshCommand as M, RolloutCommand, UpgradeCommand as U};
    use RecoveryScope as Scope;
    let at = |p: &Path| Some(Scope::at(p));
    match cmd {
        Command::Lint(a) if a.staged || a.rev.is_some() || a.app.is_some() => {
            Some(Scope::repository())
        }
        Command::Lint(a) if a.paths.is_empty() => Some(Scope::lint(&[PathBuf::from(".")])),
        Command::Lint(a) => Some(Scope::lint(&a.paths)),
        Command::Diff(_) | Command::Hook(_) => Some(Scope::repository()),
        Command::Rollout(RolloutCommand::Steps(a)) => at(&a.root),
        Command::Mesh(M::Revisions { path, .. }) => {
            Some(Scope::lint(&[path.clone().unwrap_or_else(|| ".".into())]))
        }
        Command::Mesh(M::Switch(a)) => at(&a.common.root),
        Command::Mesh(M::Promote(a)) => at(&a.common.root),
        Command::Mesh(M::Check(a)) => at(&a.root),
        Command::Gateway(GatewayCommand::Canary(G::Start(a) | G::Finish(a))) => at(&a.common.root),
        Command::Upgrade(U::Plan(a)) => at(&a.common.root),
        Command::Upgrade(U::Next(a)) => at(&a.common.root),
        Command::Add(a) => at(&a.common.root),
        Command::Split(a) => at(&a.common.root),
        Command::Set(a) => at(&a.common.root),
        Command::Plan(a) => at(&a.common.root),
        Command::Promote(a) => at(&a.common.root),
        Command::Rollback(a) => at(&a.common.root),
        Command::Upgrade(U::Check(_))
        | Command::Config { .. }
        | Command::Rules { .. }
        | Command::Explain { .. }
        | Command::Schema { .. }
        | Command::Docs { .. }
        | Command::Completions { .. }
        | Command::Man { .. } => None,
    }
}

/// Write bytes to standard output. A closed pipe (`lanes ... | head`) is not an error: the
/// reader has what it wanted, so the run ends quietly with 0. Other write errors exit 2.
pub(crate) fn write_stdout(bytes: &[u8]) -> i32 {
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

pub(crate) use lanes::terminal_safe;
