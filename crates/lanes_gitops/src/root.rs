//! Roots: which repository holds the linted paths, and what each command falls back to when
//! none does.
//!
//! `lanes` used to answer "where is the root?" in three places (`lint_root` for `--fix`,
//! `work_tree_root` for loading and universes, `ci_base` for CI paths). They ask the same
//! question first — the git work tree holding the first path, [`repository_root`] — and differ
//! only in what they fall back to outside a repository, because they serve different needs:
//!
//! * [`write_root`]: what `--fix` may write in. Outside a repository: the current directory when
//!   it holds every path, else the deepest directory holding every path (a fix never writes
//!   outside the paths it was given).
//! * loading ([`lanes_model::load::LoadOptions::root`]) and universes use
//!   [`repository_root`] as is: without a repository there is no confinement beyond the named
//!   folders, and git-relative names do not apply.
//! * [`report_base`]: what CI formats name files relative to. Outside a repository: the
//!   directory of `lanes.toml`, else the current directory (CI systems resolve names against
//!   the checkout, which is where `lanes.toml` lives).

use std::path::{Path, PathBuf};

use lanes_lint::config_file::Settings;
use lanes_ops::{Recovery, WriteError, WriteOptions};

/// The work tree (canonical) of the git repository holding the first of `paths` that is not
/// `-` (standard input): a directory itself, a file its directory. `None` outside a repository
/// (or for standard input alone).
pub fn repository_root(paths: &[PathBuf]) -> Option<PathBuf> {
    let first = paths.iter().find(|p| p.as_os_str() != "-")?;
    let start = if first.is_dir() {
        first.clone()
    } else {
        first
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    };
    let start = std::fs::canonicalize(&start).ok()?;
    lanes_git::Repo::discover(&start).ok()?.workdir()
}

/// The root `lanes lint --fix` writes in: [`repository_root`], else the current directory
/// when it holds every path, else the deepest directory holding every path.
pub fn write_root(paths: &[PathBuf]) -> PathBuf {
    if let Some(wt) = repository_root(paths) {
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

/// The directory CI formats name files relative to: [`repository_root`], else the directory
/// of `lanes.toml`, else the current directory.
pub fn report_base(paths: &[PathBuf], settings: &Settings) -> PathBuf {
    let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
    if let Some(dir) = repository_root(paths) {
        return dir;
    }
    match &settings.file {
        Some(f) => std::path::absolute(f)
            .ok()
            .and_then(|f| f.parent().map(Path::to_path_buf))
            .unwrap_or(cwd),
        None => cwd,
    }
}

/// Where writes under `path` keep their lock and journal: the git directory when `path` is in
/// a repository (every writer in the work tree agrees on it, and it is never part of the
/// tree), else `path` itself.
fn state_dir(path: &Path) -> PathBuf {
    lanes_git::Repo::discover(path)
        .ok()
        .map(|r| r.git2().path().to_path_buf())
        .unwrap_or_else(|| path.to_path_buf())
}

/// The write options for a command rooted at `root`: nothing outside it is written, and the
/// lock and journal live in the repository's git directory (else in `root`).
pub fn write_options(root: &Path) -> WriteOptions<'static> {
    WriteOptions::new(root, state_dir(root))
}

/// The git work tree around `path`, if any (canonical).
pub fn work_tree(path: &Path) -> Option<PathBuf> {
    lanes_git::Repo::discover(path).ok()?.workdir()
}

/// What a command recovers before it runs: the root whose lock and journal it checks, and the
/// paths swept for the staged files a killed writer left (a folder with its subfolders; a file:
/// its folder only).
#[derive(Debug, Clone)]
pub struct RecoveryScope {
    /// Where writes keep their lock and journal ([`write_options`] of this root).
    pub root: PathBuf,
    /// Swept for stray staged files.
    pub sweep: Vec<PathBuf>,
}

impl RecoveryScope {
    /// A command rooted at `root` (the writing commands' `--root`, the folder `mesh revisions`
    /// reads): in a repository its work tree, whole; else `root` itself.
    pub fn at(root: &Path) -> RecoveryScope {
        match work_tree(root) {
            Some(wt) => RecoveryScope {
                root: wt.clone(),
                sweep: vec![wt],
            },
            None => RecoveryScope {
                root: root.to_path_buf(),
                sweep: vec![root.to_path_buf()],
            },
        }
    }

    /// A command that works in the repository around the current directory (`diff`, `hook`,
    /// `lint --staged/--rev/--app`): its work tree; outside one there is nothing to sweep.
    pub fn repository() -> RecoveryScope {
        match work_tree(Path::new(".")) {
            Some(wt) => RecoveryScope {
                root: wt.clone(),
                sweep: vec![wt],
            },
            None => RecoveryScope {
                root: PathBuf::from("."),
                sweep: Vec::new(),
            },
        }
    }

    /// `lanes lint PATHS`: the root `--fix` writes in ([`write_root`]); in a repository its
    /// work tree is swept, else the named paths (never all of a home folder for one file).
    pub fn lint(paths: &[PathBuf]) -> RecoveryScope {
        let root = write_root(paths);
        match work_tree(&root) {
            Some(wt) => RecoveryScope {
                root: wt.clone(),
                sweep: vec![wt],
            },
            None => RecoveryScope {
                root,
                sweep: paths.to_vec(),
            },
        }
    }
}

/// What every command that reads a repository runs first: finish or undo a write that an
/// earlier lanes process left half done ([`Recovery::journal`]), and remove the staged files a
/// killed writer left anywhere under the scope ([`Recovery::removed`]), before anything else
/// is read. Nothing is written when there is nothing to recover.
pub fn recover_scope(scope: &RecoveryScope) -> Result<Recovery, WriteError> {
    lanes_ops::recover_tree(&scope.sweep, &state_dir(&scope.root))
}

/// [`recover_scope`] for a command rooted at `root` ([`RecoveryScope::at`]).
pub fn recover(root: &Path) -> Result<Recovery, WriteError> {
    recover_scope(&RecoveryScope::at(root))
}
