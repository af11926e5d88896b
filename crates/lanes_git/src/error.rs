//! Errors: each renders as one clear line.

use std::path::PathBuf;

/// Everything that can go wrong on the git side. `Display` is one line, fit for `error: …`.
#[derive(Debug, thiserror::Error)]
pub enum GitError {
    /// No repository at or above the path.
    #[error("not a git repository (or any parent up to the root): {}", .0.display())]
    NotARepo(PathBuf),
    /// The operation needs a work tree or an index and the repository is bare.
    #[error("{what} needs a work tree, but the repository at {} is bare", .1.display(), what = .0)]
    Bare(&'static str, PathBuf),
    /// A revision that does not resolve.
    #[error("unknown revision `{rev}`: {reason}")]
    BadRev {
        /// The revision as given.
        rev: String,
        /// libgit2's reason, shortened.
        reason: String,
    },
    /// A path missing at a revision.
    #[error("path `{path}` does not exist at revision `{rev}`")]
    PathMissing {
        /// The revision as given.
        rev: String,
        /// The repository path.
        path: String,
    },
    /// Another process holds the index lock.
    #[error("the index is locked: {} exists (another git process is running? if not, remove the file)", .0.display())]
    IndexLocked(PathBuf),
    /// user.name or user.email is missing.
    #[error("cannot commit: git {0} is not set (run `git config user.name \"Your Name\"` and `git config user.email you@example.com`)")]
    MissingIdentity(&'static str),
    /// Changes other than the stage's files are staged.
    #[error("other changes are already staged ({}); commit or unstage them first, or pass --include-staged", list(.0))]
    OtherStaged(Vec<String>),
    /// A path outside the work tree or otherwise unusable.
    #[error("bad path `{0}`: {1}")]
    BadPath(String, String),
    /// Problems with an Argo CD Application.
    #[error("{0}")]
    App(String),
    /// The commit could not be created; the index on disk was left as it was.
    #[error("commit failed: {0}; the index was left as it was")]
    CommitFailed(String),
    /// Filesystem trouble (hooks).
    #[error("{0}: {1}")]
    Io(String, std::io::Error),
    /// A hook file lanes did not write.
    #[error("{} exists and was not written by lanes{}", .0.display(), .1)]
    ForeignHook(PathBuf, &'static str),
    /// Anything else libgit2 reports.
    #[error("git: {}", .0.message())]
    Git(#[from] git2::Error),
}

fn list(v: &[String]) -> String {
    const MAX: usize = 5;
    let mut s = v.iter().take(MAX).cloned().collect::<Vec<_>>().join(", ");
    if v.len() > MAX {
        s.push_str(&format!(" and {} more", v.len() - MAX));
    }
    s
}
