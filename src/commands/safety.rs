//! Where lanes may write, where it locks, and the recovery every command runs first.

use std::path::{Path, PathBuf};

use lanes_ops::{Recovered, WriteOptions};

/// The git work tree around `path`, if any (canonical).
pub fn work_tree(path: &Path) -> Option<PathBuf> {
    lanes_git::Repo::discover(path).ok()?.workdir()
}

/// What a command recovers before it runs: the root whose lock and journal it checks, and the
/// paths swept for the staged files a killed writer left (a folder with its subfolders; a file:
/// its folder only).
pub struct Scope {
    /// Where writes keep their lock and journal ([`write_options`] of this root).
    pub root: PathBuf,
    /// Swept for stray staged files.
    pub sweep: Vec<PathBuf>,
}

impl Scope {
    /// A command rooted at `root` (the writing commands' `--root`, the folder `mesh revisions`
    /// reads): in a repository its work tree, whole; else `root` itself.
    pub fn at(root: &Path) -> Scope {
        match work_tree(root) {
            Some(wt) => Scope {
                root: wt.clone(),
                sweep: vec![wt],
            },
            None => Scope {
                root: root.to_path_buf(),
                sweep: vec![root.to_path_buf()],
            },
        }
    }

    /// A command that works in the repository around the current directory (`diff`, `hook`,
    /// `lint --staged/--rev/--app`): its work tree; outside one there is nothing to sweep.
    pub fn repository() -> Scope {
        match work_tree(Path::new(".")) {
            Some(wt) => Scope {
                root: wt.clone(),
                sweep: vec![wt],
            },
            None => Scope {
                root: PathBuf::from("."),
                sweep: Vec::new(),
            },
        }
    }

    /// `lanes lint PATHS`: the root `--fix` writes in ([`lint_root`]); in a repository its
    /// work tree is swept, else the named paths (never all of a home folder for one file).
    pub fn lint(paths: &[PathBuf]) -> Scope {
        let root = lint_root(paths);
        match work_tree(&root) {
            Some(wt) => Scope {
                root: wt.clone(),
                sweep: vec![wt],
            },
            None => Scope {
                root,
                sweep: paths.to_vec(),
            },
        }
    }
}

/// Where writes under `path` keep their lock and journal: the git directory when `path` is in
/// a repository (every writer in the work tree agrees on it, and it is never part of the
/// tree), else `fallback`.
fn state_dir(path: &Path, fallback: &Path) -> PathBuf {
    lanes_git::Repo::discover(path)
        .ok()
        .map(|r| r.git2().path().to_path_buf())
        .unwrap_or_else(|| fallback.to_path_buf())
}

/// The write options for a command rooted at `root`: nothing outside it is written.
pub fn write_options(root: &Path) -> WriteOptions<'static> {
    WriteOptions::new(root, state_dir(root, root))
}

/// The root `lanes lint --fix` writes in: the git work tree of the first path, else the current
/// directory when it holds every path, else the deepest directory holding every path.
pub fn lint_root(paths: &[PathBuf]) -> PathBuf {
    if let Some(wt) = paths.first().and_then(|p| work_tree(p)) {
        return wt;
    }
    let mut root: Option<PathBuf> = None;
    for p in paths {
        // A named file's directory, not the directory its symbolic link points into.
        let abs = std::path::absolute(p).unwrap_or_else(|_| p.clone());
        let dir = if abs.is_dir() {
            abs
        } else {
            abs.parent().map(Path::to_path_buf).unwrap_or(abs)
        };
        let dir = dir.canonicalize().unwrap_or(dir);
        root = Some(match root {
            None => dir,
            Some(r) => r
                .components()
                .zip(dir.components())
                .take_while(|(a, b)| a == b)
                .map(|(a, _)| a)
                .collect(),
        });
    }
    let root = root.unwrap_or_else(|| PathBuf::from("."));
    // Run from a directory that holds every path: that directory.
    match std::env::current_dir().and_then(|d| d.canonicalize()) {
        Ok(cwd) if root.starts_with(&cwd) => cwd,
        _ => root,
    }
}

/// Finish or undo a write that an earlier lanes process left half done under `root`, and remove
/// the staged files a killed writer left anywhere under it, before anything else is read; say
/// which on stderr. `Err(2)` when it cannot be recovered (or another writer holds the lock
/// while a journal waits). Called once, by the dispatcher ([`super::run`]), for every command
/// that reads a repository.
pub fn recover(scope: &Scope) -> Result<(), i32> {
    let root = scope.root.as_path();
    let state = state_dir(root, root);
    let safe = |files: &[String]| super::terminal_safe(&files.join(", ")).into_owned();
    match lanes_ops::recover_tree(&scope.sweep, &state) {
        Ok(r) => {
            match r.journal {
                None => {}
                Some(Recovered::Forward(files)) => eprintln!(
                    "lanes: an interrupted write was found and completed (rolled forward): {}",
                    safe(&files)
                ),
                Some(Recovered::Back(files)) => eprintln!(
                    "lanes: an interrupted write was found and undone (rolled back): {}",
                    safe(&files)
                ),
            }
            if !r.removed.is_empty() {
                let names: Vec<String> = r
                    .removed
                    .iter()
                    .map(|p| {
                        let rel = scope
                            .sweep
                            .iter()
                            .find_map(|s| p.strip_prefix(s).ok())
                            .unwrap_or(p);
                        lanes_model::load::display(rel)
                    })
                    .collect();
                eprintln!(
                    "lanes: removed {} temporary file(s) left by an interrupted write: {}",
                    names.len(),
                    safe(&names)
                );
            }
            Ok(())
        }
        Err(e) => {
            eprintln!("error: {}", super::terminal_safe(&e.to_string()));
            Err(2)
        }
    }
}
