//! Where lanes may write, where it locks, and the recovery every command runs first.

use std::path::{Path, PathBuf};

use lanes_ops::{Recovered, WriteOptions};

/// The git work tree around `path`, if any (canonical).
pub fn work_tree(path: &Path) -> Option<PathBuf> {
    lanes_git::Repo::discover(path).ok()?.workdir()
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

/// Finish or undo a write that an earlier lanes process left half done under `root`, before
/// anything else is read, and say which. `Err(2)` when it cannot be recovered (or another
/// writer holds the lock).
pub fn recover(root: &Path) -> Result<(), i32> {
    let state = state_dir(root, root);
    match lanes_ops::recover(&state) {
        Ok(None) => Ok(()),
        Ok(Some(Recovered::Forward(files))) => {
            eprintln!(
                "lanes: an interrupted write was found and completed (rolled forward): {}",
                files.join(", ")
            );
            Ok(())
        }
        Ok(Some(Recovered::Back(files))) => {
            eprintln!(
                "lanes: an interrupted write was found and undone (rolled back): {}",
                files.join(", ")
            );
            Ok(())
        }
        Err(e) => {
            eprintln!("error: {e}");
            Err(2)
        }
    }
}
