//! The git side of the CLI: `diff`, `hook` (`lint --staged/--rev/--app` is the facade's
//! [`lanes::Target`]).

use std::fmt::Display;
use std::path::PathBuf;

use clap::{Subcommand, ValueEnum};
use serde_json::json;

use lanes::{GitError, TrafficDiff};
use lanes_git::Repo;

/// `lanes diff`.
#[derive(Debug, clap::Args)]
pub(crate) struct DiffArgs {
    /// The old side: a revision (default `HEAD`), or `A..B`, or `A...B` (from the merge base of
    /// A and B to B).
    pub a: Option<String>,
    /// The new side: a revision (default: the index).
    pub b: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Human)]
    pub format: DiffFormat,
    /// Only files under these paths (relative to the current directory; default: the whole
    /// repository).
    #[arg(long = "path", value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Do not read or update the parse cache in `$GIT_COMMON_DIR/lanes/`.
    #[arg(long)]
    pub no_cache: bool,
}

/// Output formats of `lanes diff`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffFormat {
    /// One line per changed route, then lanes and Deployments added or removed.
    Human,
    /// A Markdown table for a pull-request comment.
    Markdown,
    /// One JSON object.
    Json,
}

/// `lanes hook`.
#[derive(Debug, clap::Args)]
pub(crate) struct HookArgs {
    /// What to do.
    #[command(subcommand)]
    pub action: HookAction,
}

/// `lanes hook install|uninstall`.
#[derive(Debug, Subcommand)]
pub(crate) enum HookAction {
    /// Write the pre-commit hook (in `core.hooksPath`, else the common git directory's hooks/).
    Install {
        /// Replace a pre-commit hook lanes did not write (kept as a numbered
        /// pre-commit.lanes-backup.N; `uninstall` puts it back).
        #[arg(long)]
        force: bool,
    },
    /// Remove lanes' pre-commit hook and restore the hook it replaced, if any (a hook lanes did
    /// not write is left alone).
    Uninstall,
}

fn fail(e: impl Display) -> i32 {
    eprintln!("error: {}", super::terminal_safe(&e.to_string()));
    2
}

fn open_repo() -> Result<(Repo, PathBuf), GitError> {
    let cwd = std::env::current_dir().map_err(|e| GitError::Io("current directory".into(), e))?;
    Ok((Repo::discover(&cwd)?, cwd))
}

/// `lanes diff`: exit 0 no change, 1 traffic changed, 2 error.
pub(crate) fn diff(args: &DiffArgs) -> i32 {
    match diff_inner(args) {
        Ok((d, out)) => {
            print!("{out}");
            i32::from(!d.is_empty())
        }
        Err(e) => fail(e),
    }
}

fn diff_inner(args: &DiffArgs) -> Result<(TrafficDiff, String), GitError> {
    let d = lanes::traffic_diff(
        args.a.as_deref(),
        args.b.as_deref(),
        &args.paths,
        args.no_cache,
    )?;
    // Resource, route and lane names come from the files: escaped for the terminal (JSON
    // escapes by its own rules).
    let out = match args.format {
        DiffFormat::Human => super::terminal_safe(&d.human()).into_owned(),
        DiffFormat::Markdown => super::terminal_safe(&d.markdown()).into_owned(),
        DiffFormat::Json => {
            let routes: Vec<_> = d
                .routes
                .iter()
                .map(|r| {
                    json!({
                        "resource": r.resource,
                        "route": r.route,
                        "line": r.line(),
                        "lanes": r.lanes.iter().map(|l| json!({
                            "lane": l.lane, "before": l.before, "after": l.after,
                        })).collect::<Vec<_>>(),
                    })
                })
                .collect();
            let v = json!({
                "changed": !d.is_empty(),
                "routes": routes,
                "lanes_added": d.lanes_added,
                "lanes_removed": d.lanes_removed,
                "deployments_added": d.deployments_added,
                "deployments_removed": d.deployments_removed,
            });
            format!("{}\n", serde_json::to_string_pretty(&v).unwrap_or_default())
        }
    };
    Ok((d, out))
}

/// `lanes hook install|uninstall`.
pub(crate) fn hook(args: &HookArgs) -> i32 {
    let run = || -> Result<String, GitError> {
        let (repo, _) = open_repo()?;
        match args.action {
            HookAction::Install { force } => {
                let exe = std::env::current_exe()
                    .map_err(|e| GitError::Io("cannot locate the lanes binary".into(), e))?;
                Ok(match lanes_git::hook::install(&repo, &exe, force)? {
                    lanes_git::hook::Installed::Created(p) => {
                        format!("installed pre-commit hook {}", p.display())
                    }
                    lanes_git::hook::Installed::Updated(p) => {
                        format!("updated lanes' pre-commit hook {}", p.display())
                    }
                    lanes_git::hook::Installed::Replaced(p, b) => format!(
                        "replaced pre-commit hook {} (the old one is kept as {})",
                        p.display(),
                        b.display()
                    ),
                })
            }
            HookAction::Uninstall => Ok(match lanes_git::hook::uninstall(&repo)? {
                Some(u) => match u.restored {
                    Some(b) => format!(
                        "removed lanes' pre-commit hook {} and restored the hook it replaced (from {})",
                        u.removed.display(),
                        b.display()
                    ),
                    None => format!("removed lanes' pre-commit hook {}", u.removed.display()),
                },
                None => "no pre-commit hook installed; nothing to do".into(),
            }),
        }
    };
    match run() {
        Ok(msg) => {
            println!("{}", super::terminal_safe(&msg));
            0
        }
        Err(e) => fail(e),
    }
}
