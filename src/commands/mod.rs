//! One module per subcommand. This is the only place that prints.

mod config;
mod explain;
pub(crate) mod git;
mod lint;
mod mesh;
mod mesh_ops;
mod ops;
mod rollout;
pub(crate) mod safety;
mod schema;
mod shell;
pub(crate) mod universes;
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

/// Make text safe for a terminal: control characters (ESC, CR, BEL, ...) in file names, keys
/// and messages become visible escapes (`\x1b`), so a crafted file name cannot move the cursor
/// or change the terminal's title. Newlines and tabs stay.
pub fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    let bad = |c: char| c.is_control() && c != '\n' && c != '\t';
    if !s.chars().any(bad) {
        return std::borrow::Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if bad(c) {
            let n = c as u32;
            if n <= 0xff {
                out.push_str(&format!("\\x{n:02x}"));
            } else {
                out.push_str(&format!("\\u{{{n:x}}}"));
            }
        } else {
            out.push(c);
        }
    }
    std::borrow::Cow::Owned(out)
}
